"""The pieces of incremental crawling: entry dates, skip rules, run state, validators, the lock,
and the charset rules."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from crawler.freshness import Freshness, date_bounds, parse_since
from crawler.page.charset import choose_encoding
from storage import Store
from storage.crawlstate import CrawlState, Seen
from storage.lock import CrawlLock, StoreBusy

UTC = dt.timezone.utc


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "earliest", "latest"),
    [
        ("2025-03-14", "2025-03-14T00:00:00", "2025-03-14T23:59:59"),
        ("2025-02", "2025-02-01T00:00:00", "2025-02-28T23:59:59"),
        ("2025-03-14T09:30:00Z", "2025-03-14T09:30:00", "2025-03-14T09:30:00"),
        ("2025-03-14T11:30:00+02:00", "2025-03-14T09:30:00", "2025-03-14T09:30:00"),
        ("Fri, 14 Mar 2025 09:30:00 +0000", "2025-03-14T09:30:00", "2025-03-14T09:30:00"),
        ("2025-03-14T09:30:00", "2025-03-14T09:30:00", "2025-03-14T09:30:00"),
    ],
)
def test_date_bounds(value: str, earliest: str, latest: str) -> None:
    assert date_bounds(value) == (at(earliest), at(latest))


@pytest.mark.parametrize("value", [None, "", "yesterday", "14/03/2025", "2025-13-45"])
def test_unreadable_dates_are_none(value: str | None) -> None:
    assert date_bounds(value) is None


def test_skip_rules() -> None:
    rules = Freshness(since=at("2025-03-10T00:00:00"))
    article = Seen("2025-03-15T12:00:00+00:00", 7, "stored")
    rejected = Seen("2025-03-15T12:00:00+00:00", None, "rejected")
    assert rules.skip_reason("2025-03-09", None) == "before_since"
    assert rules.skip_reason("2025-03-10", None) is None
    assert rules.skip_reason(None, None) is None  # undated links are never bounded by --since
    assert rules.skip_reason("2025-03-12", article) == "known"
    assert rules.skip_reason(None, article) == "known"
    assert rules.skip_reason("2025-03-16T08:00:00Z", article) is None  # changed since fetched
    assert rules.skip_reason("2025-03-15", article) == "known"  # same day: not provably newer
    assert rules.skip_reason("2025-03-12", rejected) == "seen"
    assert rules.skip_reason(None, rejected) is None  # hubs are always looked at again
    refresh = Freshness(refresh=True, since=at("2025-03-10T00:00:00"))
    assert refresh.skip_reason("2025-03-12", article) is None
    assert refresh.skip_reason("2025-03-01", None) == "before_since"


def test_gone_urls_wait_longer_after_each_gone_answer() -> None:
    rules = Freshness(gone_wait=dt.timedelta(days=1), gone_wait_max=dt.timedelta(days=5))
    fetched = "2025-03-15T12:00:00+00:00"

    def skip(answers: int, hours_later: float) -> str | None:
        now = at("2025-03-15T12:00:00") + dt.timedelta(hours=hours_later)
        return rules.skip_reason(None, Seen(fetched, None, "gone", answers), now)

    assert skip(1, 23) == "gone" and skip(1, 25) is None
    assert skip(2, 47) == "gone" and skip(2, 49) is None
    assert skip(3, 95) == "gone" and skip(3, 97) is None
    assert skip(4, 119) == "gone" and skip(4, 121) is None  # capped at gone_wait_max
    assert skip(1000, 121) is None
    # A feed date after the 404 says the page is back: ask at once.
    now = at("2025-03-15T13:00:00")
    assert rules.skip_reason("2025-03-15T12:30:00Z", Seen(fetched, None, "gone", 1), now) is None
    assert Freshness(refresh=True).skip_reason(None, Seen(fetched, None, "gone", 1), now) is None


def test_parse_since() -> None:
    assert parse_since("2025-03-10") == at("2025-03-10T00:00:00")
    assert parse_since("") is None
    with pytest.raises(ValueError, match="--since: 'last week' is not a date"):
        parse_since("last week")


def test_runs_validators_and_sources(tmp_path: Path) -> None:
    with CrawlState.open(tmp_path / "news.db") as state:
        first = state.begin_run(["a", "b"])
        state.remember_validators("http://x/", '"v1"', None, first)
        assert state.validators("http://x/") is None  # not before the run completes
        state.finish_run(first, "finished", {"n": 1}, {"a": {"responses": 3}, "b": {}}, {"a"})
        assert state.validators("http://x/") == ('"v1"', None)
        second = state.begin_run(["a"])
        state.remember_validators("http://x/", '"v2"', "Fri, 14 Mar 2025 18:00:00 GMT", second)
        # Killed: the run stays "running"; the next one marks it interrupted and the old
        # validators still stand.
        third = state.begin_run(["a"])
        assert state.validators("http://x/") == ('"v1"', None)
        state.finish_run(third, "shutdown", {}, {"a": {}}, {"a"})
        statuses = {run["id"]: run["status"] for run in state.runs()}
        assert statuses == {first: "finished", second: "interrupted", third: "shutdown"}
        a, b = state.sources()
        assert (a.name, a.runs, a.successes, a.last_status) == ("a", 2, 1, "interrupted")
        assert a.last_success_at is not None and a.last_counts == {}
        assert (b.runs, b.successes, b.last_status, b.last_success_at) == (1, 0, "failed", None)
        state.forget_validators("http://x/")
        assert state.validators("http://x/") is None


def test_seen_urls(tmp_path: Path) -> None:
    with Store.open(tmp_path / "news.db") as store:
        state = CrawlState(store.conn)
        result = store.add_article(
            {
                "url": "https://x.example/a",
                "text": "word " * 50,
                "fetched_at": "2025-03-14T10:00:00+00:00",
            }
        )
        assert state.seen("https://x.example/a") == Seen(
            "2025-03-14T10:00:00+00:00", result.article_id, "article"
        )
        state.remember_seen("https://x.example/amp/a", "unchanged", "2025-03-15", result.article_id)
        state.remember_seen("https://x.example/gone", "gone", "2025-03-15")
        assert state.seen("https://x.example/amp/a").is_article
        assert not state.seen("https://x.example/gone").is_article
        assert state.seen("https://x.example/never") is None
        # Gone answers in a row are counted; any other answer starts the count over.
        assert state.seen("https://x.example/gone").gone_answers == 1
        state.remember_seen("https://x.example/gone", "gone", "2025-03-17")
        assert state.seen("https://x.example/gone") == Seen("2025-03-17", None, "gone", 2)
        state.remember_seen("https://x.example/gone", "rejected", "2025-03-18")
        assert state.seen("https://x.example/gone").gone_answers == 0
        state.remember_seen("https://x.example/gone", "gone", "2025-03-19")
        assert state.seen("https://x.example/gone").gone_answers == 1


def test_lock_is_exclusive_across_processes_and_reentrant_within_one(tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from storage.lock import CrawlLock; "
            f"CrawlLock({str(db)!r}).acquire(); print('locked', flush=True); time.sleep(3600)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        with pytest.raises(
            StoreBusy, match=rf"news.db is being crawled by another process \(pid {holder.pid}"
        ):
            CrawlLock(db).acquire()
        with pytest.raises(StoreBusy, match="after waiting 0.6 s"):
            CrawlLock(db).acquire(wait=0.6)
    finally:
        holder.kill()
        holder.wait()
    outer = CrawlLock(db).acquire()
    inner = CrawlLock(db).acquire()  # the same process may ask again (CLI, then extension)
    inner.release()
    outer.release()
    CrawlLock(db).acquire().release()


@pytest.mark.parametrize(
    ("text", "encoding", "content_type", "expected"),
    [
        (
            "caf\u00e9 na\u00efve \u201cquoted\u201d text",
            "cp1252",
            "text/html",
            ("cp1252", "detected"),
        ),
        (
            "caf\u00e9 na\u00efve text",
            "cp1252",
            "text/html; charset=windows-1252",
            ("cp1252", "header"),
        ),
        ("caf\u00e9 na\u00efve text", "utf-8", "text/html; charset=iso-8859-1", ("utf-8", "utf-8")),
        ("plain ascii", "ascii", "text/html; charset=iso-8859-1", ("cp1252", "header")),
        (
            "\u041f\u0440\u0438\u0432\u0435\u0442 \u043c\u0438\u0440 \u0441\u0435\u0433\u043e\u0434\u043d\u044f",
            "cp1251",
            "text/html; charset=windows-1251",
            ("cp1251", "header"),
        ),
    ],
)
def test_charset_rules(text: str, encoding: str, content_type: str, expected: tuple) -> None:
    body = f'<html><head><meta charset="utf-8"></head><body><p>{text}</p></body></html>'
    assert choose_encoding(body.encode(encoding), content_type) == expected


def test_charset_meta_is_used_when_the_bytes_agree() -> None:
    body = '<html><head><meta charset="windows-1251"></head><body>\u041f\u0440\u0438\u0432\u0435\u0442</body></html>'
    assert choose_encoding(body.encode("cp1251"), "text/html") == ("cp1251", "meta")
    assert choose_encoding(b"\xef\xbb\xbf<html>x</html>", "text/html") == ("utf-8", "bom")
