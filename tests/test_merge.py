"""Merging shard stores: stories across shards, id remapping, idempotency, refusals."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest
from click.testing import CliRunner

import storage.crawlstate
from crawler.cli import main
from storage import ParameterMismatch, Store, StoreError
from storage.crawlstate import CrawlState, Seen
from storage.dedup import PRESETS, Fingerprint
from storage.merge import merge
from storage.schedule import Policy, Schedule
from storage.shared_index import SharedMatcher, Verdict

WORDS = "river council budget harbour ferry school market storm bridge tunnel energy wage".split()


def text(seed: int, words: int = 120) -> str:
    rng = random.Random(seed)
    return " ".join(rng.choice(WORDS) + str(rng.randint(0, 99)) for _ in range(words))


def near(base: str) -> str:
    return " ".join(base.split()[:-4] + ["a", "changed", "last", "line"])


def record(url: str, body: str, day: int = 1) -> dict[str, object]:
    return {
        "url": url,
        "title": f"title of {url}",
        "text": body,
        "fetched_at": f"2025-03-{day:02d}T00:00:00+00:00",
        "raw_html": f"<html><body>{body}</body></html>".encode(),
    }


class ScriptedIndex:
    """Stands in for RedisIndex: numbers articles and says what each duplicates, as scripted."""

    def __init__(self, verdicts: dict[str, tuple[str | None, str | None]]) -> None:
        self.verdicts = verdicts
        self.numbers: dict[str, int] = {}

    def register(self, url: str, shard: str, fp: Fingerprint) -> Verdict:
        seq = self.numbers.setdefault(url, len(self.numbers) + 1)
        kind, matched = self.verdicts.get(url, (None, None))
        if kind is None or matched is None:
            return Verdict(seq)
        return Verdict(seq, kind, self.numbers[matched], matched, 1.0 if kind == "exact" else 0.9)

    # Every transaction here commits: nothing to confirm or undo.
    def pending(self, shard: str) -> dict[int, float]:
        return {}

    def confirm(self, shard: str, seqs: list[int]) -> None:
        pass

    def unregister(self, shard: str, seq: int) -> bool:
        raise AssertionError(f"article {seq} of {shard} was rolled back")


def shared_shard(path: Path, index: ScriptedIndex) -> Store:
    store = Store.open(path)
    store.matcher = SharedMatcher(index, store.conn, path.name)  # type: ignore[arg-type]
    return store


def groups(store: Store) -> set[frozenset[str]]:
    by_rep: dict[int, set[str]] = {}
    for row in store.conn.execute("SELECT id, url, duplicate_of FROM articles"):
        by_rep.setdefault(row["duplicate_of"] or row["id"], set()).add(row["url"])
    return {frozenset(urls) for urls in by_rep.values()}


def test_plain_shards_keep_their_stories(tmp_path: Path) -> None:
    story = text(1)
    with Store.open(tmp_path / "a.db") as a:
        a.add_article(record("https://a.example/1", text(2)))
        a.add_article(record("https://a.example/story", story))
        assert a.add_article(record("https://a.example/copy", near(story))).status == "duplicate"
        a.log_fetch("https://a.example/", status=200, outcome="rejected", reason="not_article")
    with Store.open(tmp_path / "b.db") as b:
        b.add_article(record("https://b.example/1", text(3)))
        b.add_article(record("https://a.example/1", text(2)))  # the same URL as in a.db
    result = merge([tmp_path / "a.db", tmp_path / "b.db"], tmp_path / "out.db")
    assert (result.copied, result.duplicates, result.already) == (4, 1, 1)
    with Store.open(tmp_path / "out.db") as out:
        assert groups(out) == {
            frozenset({"https://a.example/1"}),
            frozenset({"https://b.example/1"}),
            frozenset({"https://a.example/story", "https://a.example/copy"}),
        }
        copy = out.get("https://a.example/copy")
        assert copy is not None and copy["match"] == "minhash"
        assert out.get(copy["duplicate_of"])["url"] == "https://a.example/story"  # type: ignore[index]
        hits = out.search("changed", include_duplicates=True)
        assert hits[0]["url"] == "https://a.example/copy"  # FTS filled
        assert out.conn.execute("SELECT count(*) FROM pages").fetchone()[0] == 4
        assert out.stats()["dedup"]["lsh_rows"] > 0
        # A later near copy crawled into the merged store joins the same story.
        later = out.add_article(record("https://c.example/again", story + " extra"))
        assert later.status == "duplicate"
        assert later.duplicate_of == out.get("https://a.example/story")["id"]  # type: ignore[index]
        before = out.stats()["totals"]
    # Idempotent: merging the same shards again adds nothing.
    again = merge([tmp_path / "b.db", tmp_path / "a.db"], tmp_path / "out.db")
    assert (again.copied, again.fetches) == (0, 0)
    with Store.open(tmp_path / "out.db") as out:
        assert out.stats()["totals"] == before


def test_links_across_shards_follow_the_global_order(tmp_path: Path) -> None:
    story = text(5)
    index = ScriptedIndex(
        {
            "https://b.example/copy": ("minhash", "https://a.example/story"),
            "https://a.example/copy-of-copy": ("minhash", "https://b.example/copy"),
            "https://b.example/exact": ("exact", "https://a.example/story"),
        }
    )
    a = shared_shard(tmp_path / "a.db", index)
    b = shared_shard(tmp_path / "b.db", index)
    a.add_article(record("https://a.example/story", story))
    b.add_article(record("https://b.example/copy", near(story)))
    a.add_article(record("https://a.example/copy-of-copy", near(story) + " more"))
    b.add_article(record("https://b.example/exact", story))
    b.add_article(record("https://b.example/alone", text(6)))
    a.close()
    b.close()
    # Shards listed in any order: the shared index's numbers decide who comes first.
    merge([tmp_path / "b.db", tmp_path / "a.db"], tmp_path / "out.db")
    with Store.open(tmp_path / "out.db") as out:
        first = out.get("https://a.example/story")
        assert first is not None and first["id"] == 1 and first["duplicate_of"] is None
        story_rows = out.story(1)
        assert {d["url"] for d in story_rows["duplicates"]} == {
            "https://b.example/copy",
            "https://a.example/copy-of-copy",
            "https://b.example/exact",
        }
        chained = out.get("https://a.example/copy-of-copy")
        assert chained is not None
        assert out.get(chained["matched_id"])["url"] == "https://b.example/copy"  # type: ignore[index]
        exact = out.get("https://b.example/exact")
        assert exact is not None and exact["match"] == "exact"
        indexed = {r[0] for r in out.conn.execute("SELECT DISTINCT article_id FROM lsh")}
        assert exact["id"] not in indexed  # exact copies are not indexed, as in one store


def test_refusals(tmp_path: Path) -> None:
    Store.open(tmp_path / "a.db").close()
    syndicated = PRESETS["syndicated"]
    Store.open(tmp_path / "s.db", params=syndicated.params, threshold=syndicated.threshold).close()
    with pytest.raises(StoreError, match="no store at"):
        merge([tmp_path / "missing.db"], tmp_path / "out.db")
    with pytest.raises(StoreError, match="both a shard and the output"):
        merge([tmp_path / "a.db"], tmp_path / "a.db")
    with pytest.raises(ParameterMismatch, match="same preset"):
        merge([tmp_path / "a.db", tmp_path / "s.db"], tmp_path / "out.db")
    with pytest.raises(ParameterMismatch, match="cannot merge into"):
        merge([tmp_path / "a.db"], tmp_path / "s.db")


def test_merge_command(tmp_path: Path) -> None:
    with Store.open(tmp_path / "a.db") as a:
        a.add_article(record("https://a.example/1", text(7)))
    with Store.open(tmp_path / "b.db") as b:
        b.add_article(record("https://b.example/1", text(8)))
    runner = CliRunner()
    out = tmp_path / "out.db"
    done = runner.invoke(
        main, ["merge", str(tmp_path / "a.db"), str(tmp_path / "b.db"), "-o", str(out)]
    )
    assert done.exit_code == 0, done.output
    assert "2 articles copied" in done.output
    missing = runner.invoke(main, ["merge", str(tmp_path / "nope.db"), "-o", str(out)])
    assert missing.exit_code == 1 and "no store at" in missing.output


def crawl_into(path: Path, urls: list[str], seen: dict[str, str | None], etag: str) -> None:
    """A finished run into the store at ``path``: articles, final answers and validators."""
    with Store.open(path) as store:
        state = CrawlState(store.conn)
        run = state.begin_run(["news"])
        for n, url in enumerate(urls):
            store.add_article(record(url, text(100 + len(url) + n)))
            state.remember_validators(url, etag, None, run)
        for url, article in seen.items():
            article_id = store.get(article)["id"] if article else None  # type: ignore[index]
            state.remember_seen(url, "stored" if article else "rejected", "2025-03-02", article_id)
        state.finish_run(
            run, "finished", {"pages": len(urls)}, {"news": {"responses": 1}}, {"news"}
        )


def test_crawl_state_comes_along(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Run times from a clock the test moves (a's run ends before b's starts), not the wall
    # clock: with it, a's and b's runs ended in the same second or not as it happened, and
    # the source's merged state came out one way or the other.
    ticks = iter(range(1, 60))
    monkeypatch.setattr(
        storage.crawlstate, "utc_now", lambda: f"2025-03-02T00:00:{next(ticks):02d}+00:00"
    )
    crawl_into(
        tmp_path / "a.db",
        ["https://a.example/1", "https://a.example/2"],
        {"https://a.example/about": None, "https://a.example/1?amp": "https://a.example/1"},
        '"a"',
    )
    crawl_into(tmp_path / "b.db", ["https://b.example/1"], {}, '"b"')
    result = merge([tmp_path / "a.db", tmp_path / "b.db"], tmp_path / "out.db")
    # Source "news" comes from a, then b's later run replaces its last run: two changes.
    assert result.crawl_state == {"runs": 2, "sources": 2, "validators": 3, "seen": 2}
    with Store.open(tmp_path / "out.db") as out:
        state = CrawlState(out.conn)
        assert state.validators("https://b.example/1") == ('"b"', None)
        assert state.validators("https://a.example/2") == ('"a"', None)
        variant = state.seen("https://a.example/1?amp")
        assert variant is not None
        assert variant.article_id == out.get("https://a.example/1")["id"]  # type: ignore[index]
        assert state.seen("https://a.example/about") == Seen("2025-03-02", None, "rejected")
        assert len(state.runs()) == 2
        source = state.source("news")
        assert source is not None and source.last_status == "ok" and source.runs == 1
        # b's run, which started at tick 3 and finished at tick 4, not a's (1 and 2).
        assert source.last_run_at == "2025-03-02T00:00:03+00:00"
        assert source.last_success_at == "2025-03-02T00:00:04+00:00"
    again = merge([tmp_path / "b.db", tmp_path / "a.db"], tmp_path / "out.db")
    assert again.crawl_state == {"runs": 0, "sources": 0, "validators": 0, "seen": 0}


def test_a_representative_stored_after_its_copies_keeps_its_story(tmp_path):
    rng = random.Random(3)
    vocab = [f"w{i}" for i in range(3000)]
    full = "\n".join(" ".join(rng.choice(vocab) for _ in range(30)) for _ in range(12))
    shard = tmp_path / "shard.db"
    with Store.open(shard) as store:
        store.add_article({"url": "https://a.example/1", "text": "\n".join(full.split("\n")[:4])})
        store.add_article({"url": "https://b.example/1", "text": full})
    out = tmp_path / "out.db"
    merge([shard], out)
    with Store.open(out) as store:
        story = store.story("https://a.example/1")
        assert story["representative"]["url"] == "https://b.example/1" and story["size"] == 2


HOUR = dt.timedelta(hours=1)


def test_schedule_comes_along(tmp_path: Path) -> None:
    """Each source's schedule in the merged store is that of its latest visit in any shard."""
    start = dt.datetime(2026, 3, 2, 6, 0, tzinfo=dt.timezone.utc)
    policy = Policy(interval=3600, floor=300, ceiling=86400)
    visits = {
        "a.db": [(start, [("wire", 4, True), ("blog", 0, True)])],
        "b.db": [(start + HOUR / 2, [("wire", 9, True)])],
    }
    for name, runs in visits.items():
        with Store.open(tmp_path / name) as shard:
            shard.add_article(record(f"https://{name}.example/1", text(len(name))))
            for at, seen in runs:
                Schedule(shard.conn).visited(seen, {"wire": policy, "blog": policy}, at)
    result = merge([tmp_path / "a.db", tmp_path / "b.db"], tmp_path / "out.db")
    assert result.crawl_state["schedule"] == 3  # wire and blog from a, then wire from b
    with Store.open(tmp_path / "out.db") as out, Store.open(tmp_path / "b.db") as b:
        merged = Schedule(out.conn)
        assert merged.get("wire") == Schedule(b.conn).get("wire")
        assert merged.get("blog").last_visit == "2026-03-02T06:00:00+00:00"  # type: ignore[union-attr]
    again = merge([tmp_path / "b.db", tmp_path / "a.db"], tmp_path / "out.db")
    assert again.crawl_state["schedule"] == 0
