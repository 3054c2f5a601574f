"""newsdedup ingest: WARC files and saved pages of the demo world give the store a crawl gives.

The WARC files are built here from the very responses the demo world served to a crawl of it,
with the bad records the issue asks for: a truncated record, a non-HTML record, a record with a
wrong charset, a revisit record, and a damaged gzip member.
"""

from __future__ import annotations

import functools
import gzip
import http.client
import json
import shutil
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

import crawler.archive.ingest as ingesting
from crawler.archive.captures import read_warc
from crawler.archive.ingest import IngestReport, ingest
from crawler.archive.warc import WarcFileWriter, payload_digest
from crawler.demo.server import World, serve_world
from crawler.page.pool import PagePool
from storage import Store

# FastWARC is the optional "warc" extra: without it there is nothing to ingest with.
fastwarc = pytest.importorskip("fastwarc")

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 180
FAST = ["-s", "AUTOTHROTTLE_ENABLED=0", "-s", "DOWNLOAD_DELAY=0"]
# Pages given special treatment in the archive (site folder, path).
CHARSET_PAGE = ("valley-herald", "/2025/03/10/estover-academy-robotics-final/")
SAVED_WITH_SIDECAR = ("cpa-wire", "/stories/2025/03/09/volk-wins-rapid-title-cpa1008.html")
SAVED_BY_CANONICAL = ("daily-courier", "/world/2025/03/10/ice-found-on-asteroid/")
# robots.txt keeps crawls away from this article; it only appears truncated in the archive.
TRUNCATED_PAGE = ("cpa-wire", "/internal/embargoed/budget-preview-cpa1101.html")
DAMAGED_PAGE = ("valley-herald", "/private/not-a-real-page/")


@pytest.fixture(scope="module")
def world() -> Iterator[World]:
    with serve_world() as served:
        yield served


def run(args: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, cwd=ROOT, capture_output=True, text=True, timeout=TIMEOUT, check=False
    )


def articles(db: Path) -> dict[str, dict[str, Any]]:
    with Store.open(db, create=False) as store:
        return {row["url"]: row for row in store.iter_articles(include_duplicates=True)}


def groups(rows: dict[str, dict[str, Any]]) -> list[list[str]]:
    found: dict[int, set[str]] = {}
    for url, row in rows.items():
        found.setdefault(row["duplicate_of"] or row["id"], set()).add(url)
    return sorted(sorted(group) for group in found.values())


def fetch(world: World, site: str, path: str) -> tuple[int, list[tuple[str, str]], bytes]:
    """GET a page of the world without following redirects, as a crawler sees it."""
    parts = urlsplit(world.sites[site])
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.getheaders(), response.read()
    finally:
        conn.close()


@pytest.fixture(scope="module")
def crawled(world: World, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    db = tmp_path_factory.mktemp("crawl") / "crawl.db"
    world.clear_log()
    result = run(
        [sys.executable, "-m", "crawler.cli", "crawl", *world.start_urls(), "--db", str(db), *FAST]
    )
    assert result.returncode == 0, result.stderr
    seen = []
    for hit in world.log:
        if hit.method == "GET" and (hit.site, hit.path) not in seen:
            seen.append((hit.site, hit.path))
    return {"db": db, "articles": articles(db), "requests": seen}


def write_request_record(path: Path, url: str) -> None:
    """Append a request record, the kind that CC-NEWS files hold beside each response."""
    record = fastwarc.WarcRecord()
    record.init_headers(fastwarc.WarcRecordType.request)
    record.headers.set("WARC-Target-URI", url)
    record.headers.set("Content-Type", "application/http; msgtype=request")
    record.set_bytes_content(f"GET {urlsplit(url).path} HTTP/1.1\r\n\r\n".encode())
    with open(path, "ab") as out:
        record.write(out)  # plain (uncompressed) WARC


@pytest.fixture(scope="module")
def archive(
    world: World, crawled: dict[str, Any], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Any]:
    """Build the inputs: two gzip WARC files, a plain one, a folder of saved pages."""
    root = tmp_path_factory.mktemp("archive")
    requests = crawled["requests"]
    special = {CHARSET_PAGE, SAVED_WITH_SIDECAR, SAVED_BY_CANONICAL}
    plain = [r for r in requests if r not in special]
    half = len(plain) // 2
    first_ids: dict[str, str] = {}
    with WarcFileWriter(root / "a", prefix="first") as writer:
        for site, path in plain[:half]:
            status, headers, body = fetch(world, site, path)
            url = world.url(site, path)
            first_ids[url] = writer.write_response(url, status, headers, body)
        # Seen again unchanged: a revisit record, whose payload is the earlier capture.
        site, path = plain[0]
        status, headers, body = fetch(world, site, path)
        url = world.url(site, path)
        writer.write_revisit(
            url, status, headers, digest=payload_digest(body), refers_to=first_ids[url]
        )
    with WarcFileWriter(root / "b" / "nested", prefix="second") as writer:
        for site, path in plain[half:]:
            status, headers, body = fetch(world, site, path)
            writer.write_response(world.url(site, path), status, headers, body)
        # A charset that does not exist: the page's <meta charset> must win, as in a crawl.
        status, headers, body = fetch(world, *CHARSET_PAGE)
        headers = [(k, v) for k, v in headers if k.lower() != "content-type"]
        headers.append(("Content-Type", "text/html; charset=utf-42"))
        writer.write_response(world.url(*CHARSET_PAGE), status, headers, body)
        # Not HTML at all.
        writer.write_response(
            world.url("cpa-wire", "/static/logo.png"),
            200,
            [("Content-Type", "image/png")],
            b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4,
        )
    # A damaged gzip member between two good ones: the one after it is still read.
    damaged = root / "b" / "damaged.warc.gz"
    with WarcFileWriter(root / "tmp", prefix="damaged") as writer:
        status, headers, body = fetch(world, *TRUNCATED_PAGE)
        writer.write_response(world.url(*DAMAGED_PAGE), status, headers, body)
        status, headers, body = fetch(world, *plain[1])
        writer.write_response(world.url(*plain[1]), status, headers, body)
    data = bytearray(writer.files[0].read_bytes())
    members = [i for i in range(len(data)) if data.startswith(b"\x1f\x8b\x08", i)]
    second = members[1]  # [warcinfo, damaged page, good page]
    data[second + 40 : second + 240] = bytes(200)
    damaged.write_bytes(bytes(data))
    shutil.rmtree(root / "tmp")
    # A plain WARC whose last record is cut short (an interrupted download).
    cut = root / "c.warc"
    with WarcFileWriter(root / "tmp", prefix="cut") as writer:
        status, headers, body = fetch(world, *TRUNCATED_PAGE)
        writer.write_response(world.url(*TRUNCATED_PAGE), status, headers, body)
    whole = gzip.decompress(writer.files[0].read_bytes())
    shutil.rmtree(root / "tmp")
    write_request_record(cut, world.url(*TRUNCATED_PAGE))
    with open(cut, "ab") as out:
        out.write(whole[: len(whole) - 700])
    # Saved pages: one with a JSON sidecar, one found by its canonical link.
    pages = root / "saved"
    pages.mkdir()
    _status, _headers, body = fetch(world, *SAVED_WITH_SIDECAR)
    (pages / "volk.html.gz").write_bytes(gzip.compress(body))
    (pages / "volk.json").write_text(json.dumps({"url": world.url(*SAVED_WITH_SIDECAR)}))
    _status, _headers, body = fetch(world, *SAVED_BY_CANONICAL)
    (pages / "ice.html").write_bytes(body)
    (pages / "notes.txt").write_text("not a page: passed over")
    inputs = [root / "a", root / "b", cut, root / "missing.warc.gz", pages]
    return {"root": root, "inputs": inputs}


@pytest.fixture(scope="module")
def ingested(archive: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    db = tmp_path_factory.mktemp("ingest") / "ingest.db"
    with Store.open(db) as store:
        report = ingest(archive["inputs"], store)
        fetches = store.conn.execute("SELECT count(*) FROM fetches").fetchone()[0]
    return {"db": db, "report": report, "articles": articles(db), "fetches": fetches}


def test_ingest_stores_what_the_crawl_stored(
    crawled: dict[str, Any], ingested: dict[str, Any]
) -> None:
    assert set(ingested["articles"]) == set(crawled["articles"])
    assert groups(ingested["articles"]) == groups(crawled["articles"])


def test_a_charset_that_does_not_exist_falls_back_to_the_page(
    world: World, crawled: dict[str, Any], ingested: dict[str, Any]
) -> None:
    url = world.url(*CHARSET_PAGE)
    assert ingested["articles"][url]["text"] == crawled["articles"][url]["text"]
    assert "\ufffd" not in ingested["articles"][url]["text"]


def test_bad_records_are_counted_with_their_reason(world: World, ingested: dict[str, Any]) -> None:
    report: IngestReport = ingested["report"]
    assert report.errors["truncated_record"] == 1
    assert report.errors["corrupt_record"] == 1
    assert report.errors["missing_file"] == 1
    assert report.errors["http_404"] >= 1
    assert report.rejected["not_html"] == 1
    assert report.skipped["revisit"] == 1
    assert report.skipped["request"] == 1
    assert report.skipped["warcinfo"] >= 4
    messages = "\n".join(report.messages)
    assert "c.warc" in messages and "cut short" in messages
    assert "damaged.warc.gz" in messages and "missing.warc.gz" in messages
    assert world.url(*TRUNCATED_PAGE) not in ingested["articles"]
    assert world.url(*DAMAGED_PAGE) not in ingested["articles"]
    assert not report.nothing_read and not report.interrupted


def test_saved_pages_are_ingested_by_sidecar_or_canonical_url(
    world: World, ingested: dict[str, Any]
) -> None:
    assert world.url(*SAVED_WITH_SIDECAR) in ingested["articles"]
    assert world.url(*SAVED_BY_CANONICAL) in ingested["articles"]


def test_a_second_ingest_adds_nothing_and_opens_nothing(
    archive: dict[str, Any], ingested: dict[str, Any]
) -> None:
    with Store.open(ingested["db"]) as store:
        report = ingest(archive["inputs"], store)
        fetches = store.conn.execute("SELECT count(*) FROM fetches").fetchone()[0]
    assert report.pages == 0 and report.records == 0 and not report.articles
    assert report.files_skipped == 6  # 3 gzip WARC files, 1 plain, 2 saved pages
    assert report.errors == {"missing_file": 1}
    assert fetches == ingested["fetches"]
    assert articles(ingested["db"]) == ingested["articles"]


def test_an_interrupted_ingest_resumes_where_it_stopped(
    archive: dict[str, Any],
    crawled: dict[str, Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls = 0
    finish = ingesting._Ingester.finish

    def interrupt_after_ten(self: Any, *args: Any) -> None:
        nonlocal calls
        calls += 1
        if calls > 10:
            raise KeyboardInterrupt
        finish(self, *args)

    monkeypatch.setattr(ingesting._Ingester, "finish", interrupt_after_ten)
    with Store.open(tmp_path / "resume.db") as store:
        first = ingest(archive["inputs"], store, workers=1)
    assert first.interrupted and first.pages == 10
    monkeypatch.setattr(ingesting._Ingester, "finish", finish)
    with Store.open(tmp_path / "resume.db") as store:
        second = ingest(archive["inputs"], store, workers=1)
    assert not second.interrupted
    assert second.already >= 10  # settled before the interruption: not parsed again
    assert set(articles(tmp_path / "resume.db")) == set(crawled["articles"])


# A script that runs ``run`` after ``imports``, killing itself (SIGKILL: nothing is cleaned up)
# as the eleventh page is about to be settled, with a commit every 4 settled records.
def kill_script(imports: str, run: str) -> str:
    return f"""
import os, signal, sys
import crawler.archive.ingest as ingesting
{imports}

ingesting.COMMIT_RECORDS, ingesting.COMMIT_SECONDS = 4, 1e9
finish, calls = ingesting._Ingester.finish, []


def kill_after_ten(self, *args):
    calls.append(1)
    if len(calls) > 10:
        os.kill(os.getpid(), signal.SIGKILL)
    finish(self, *args)


ingesting._Ingester.finish = kill_after_ten
{run}
"""


# Ingests the inputs into a store through the library.
KILL_SCRIPT = kill_script(
    "from storage import Store",
    "with Store.open(sys.argv[1]) as store:\n    ingesting.ingest(sys.argv[2:], store, workers=0)",
)


def test_records_settled_before_a_kill_are_skipped_and_the_rest_done_again(
    archive: dict[str, Any], crawled: dict[str, Any], tmp_path: Path
) -> None:
    db = tmp_path / "killed.db"
    inputs = [str(path) for path in archive["inputs"]]
    killed = run([sys.executable, "-c", KILL_SCRIPT, str(db), *inputs])
    assert killed.returncode == -9, killed.stderr
    with Store.open(db, create=False) as store:
        settled = store.conn.execute(
            "SELECT count(*), count(article_id) FROM ingest_records"
        ).fetchone()
        stored = store.conn.execute(
            "SELECT count(*) FROM ingest_records JOIN articles ON articles.id = article_id"
        ).fetchone()[0]
        # Committed in batches: the pages stored since the last commit are lost with their marks.
        assert settled[0] > 0 and settled[1] <= 10
        assert stored == settled[1]  # every settled article is in the store
        second = ingest(archive["inputs"], store, workers=1)
    assert second.already == settled[0]  # settled before the kill: not parsed again
    assert not second.interrupted
    assert set(articles(db)) == set(crawled["articles"])


# The same kill through ``newsdedup ingest`` with its page processes, then run again to its end.
CLI_KILL_SCRIPT = kill_script(
    "from crawler.cli import main", 'main(["ingest", "--workers", "2", *sys.argv[1:]])'
)
# Columns that say when a row was written, not what was stored.
WHEN = ("id", "duplicate_of", "matched_id", "first_seen", "updated_at")


def contents(rows: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {url: {k: v for k, v in row.items() if k not in WHEN} for url, row in rows.items()}


def test_a_killed_ingest_run_again_ends_with_the_store_of_an_uninterrupted_one(
    archive: dict[str, Any], ingested: dict[str, Any], tmp_path: Path
) -> None:
    db = tmp_path / "killed.db"
    inputs = [str(path) for path in archive["inputs"]]
    killed = run([sys.executable, "-c", CLI_KILL_SCRIPT, "--db", str(db), *inputs])
    assert killed.returncode == -9, killed.stderr
    before = articles(db)
    assert 0 < len(before) < len(ingested["articles"])
    again = run([sys.executable, "-m", "crawler.cli", "ingest", "--db", str(db), *inputs])
    assert again.returncode == 0, again.stderr
    after = articles(db)
    assert contents(after) == contents(ingested["articles"])
    assert groups(after) == groups(ingested["articles"])
    with Store.open(db, create=False) as store:
        fetches = store.conn.execute("SELECT count(*) FROM fetches").fetchone()[0]
    assert fetches == ingested["fetches"]


def test_filters_by_site_language_and_date(
    world: World, archive: dict[str, Any], tmp_path: Path
) -> None:
    herald = urlsplit(world.sites["valley-herald"]).netloc
    with Store.open(tmp_path / "site.db") as store:
        report = ingest(archive["inputs"], store, sites=[herald], workers=1)
    stored = articles(tmp_path / "site.db")
    assert stored and {row["site"] for row in stored.values()} == {herald}
    assert report.skipped["filtered_site"] > 0
    with Store.open(tmp_path / "lang.db") as store:
        report = ingest(archive["inputs"], store, language="de", workers=1)
    assert not articles(tmp_path / "lang.db")
    assert report.skipped["filtered_language"] > 0
    with Store.open(tmp_path / "date.db") as store:
        ingest(archive["inputs"], store, since="2025-03-12", until="2025-03-12", workers=1)
    dated = articles(tmp_path / "date.db")
    assert dated and all(row["published"].startswith("2025-03-12") for row in dated.values())


def test_filtered_ingest_does_not_hide_files_from_an_unfiltered_one(
    archive: dict[str, Any], tmp_path: Path, crawled: dict[str, Any]
) -> None:
    with Store.open(tmp_path / "twice.db") as store:
        ingest(archive["inputs"], store, language="de", workers=1)
        report = ingest(archive["inputs"], store, workers=1)
    assert report.files_skipped == 0
    assert set(articles(tmp_path / "twice.db")) == set(crawled["articles"])


def test_reader_resumes_after_a_damaged_member(archive: dict[str, Any]) -> None:
    items = list(read_warc(archive["root"] / "b" / "damaged.warc.gz", max_bytes=10**7))
    kinds = [type(item).__name__ for item in items]
    assert kinds == ["Skipped", "Problem", "Capture"]


def test_cli_ingest_prints_a_summary_and_fails_only_when_nothing_is_read(
    archive: dict[str, Any], tmp_path: Path
) -> None:
    db = tmp_path / "cli.db"
    result = run(
        [sys.executable, "-m", "crawler.cli", "ingest", str(archive["root"] / "a"), "-q"]
        + ["--db", str(db), "--workers", "1", "--no-keep-html"]
    )
    assert result.returncode == 0, result.stderr
    assert "new articles" in result.stdout and "records/s" in result.stdout
    with Store.open(db) as store:
        assert store.stats()["totals"]["pages_kept"] == 0
    missing = run(
        [sys.executable, "-m", "crawler.cli", "ingest", str(tmp_path / "nope.warc.gz")]
        + ["--db", str(tmp_path / "none.db")]
    )
    assert missing.returncode == 3
    assert "nope.warc.gz: no such file or folder" in missing.stderr
    assert "Traceback" not in missing.stderr


def test_a_crawl_can_archive_what_it_fetched(
    world: World, crawled: dict[str, Any], tmp_path: Path
) -> None:
    warcs = tmp_path / "warc"
    db = tmp_path / "archived-crawl.db"
    world.clear_log()
    # As the README says: the crawl as usual, plus -s NEWSDEDUP_WARC_DIR.
    result = run(
        [sys.executable, "-m", "crawler.cli", "crawl", *world.start_urls(), "--db", str(db)]
        + [*FAST, "-s", f"NEWSDEDUP_WARC_DIR={warcs}"]
    )
    assert result.returncode == 0, result.stderr
    # Every answer the crawl was given, but redirects, which Scrapy follows before any
    # component sees a response.
    answered = Counter(
        (world.url(hit.site, hit.path), hit.status)
        for hit in world.log
        if not 300 <= hit.status < 400
    )
    captures = [
        item
        for path in sorted(warcs.glob("newsdedup-*.warc.gz"))
        for item in read_warc(path, max_bytes=10**7)
        if type(item).__name__ == "Capture"
    ]
    assert Counter((c.url, c.status) for c in captures) == answered
    assert any(url.endswith("/robots.txt") for url, _status in answered)
    assert any(status == 404 for _url, status in answered)
    # Each holds the body as served (decoded), not another page's.
    by_url = {world.url(site, "/").rstrip("/"): site for site in world.sites}
    for capture in captures:
        parts = urlsplit(capture.url)
        site = by_url[f"{parts.scheme}://{parts.netloc}"]
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        assert capture.body == fetch(world, site, path)[2], capture.url
    with Store.open(tmp_path / "rebuilt.db") as store:
        report = ingest([warcs], store, workers=1)
    assert not report.errors.get("truncated_record") and not report.errors.get("corrupt_record")
    rebuilt = articles(tmp_path / "rebuilt.db")
    assert set(rebuilt) == set(articles(db)) == set(crawled["articles"])
    assert groups(rebuilt) == groups(crawled["articles"])


def raw_response_record(path: Path, url: str, http: bytes) -> None:
    """Append a response record holding ``http`` exactly as it came off the wire."""
    record = fastwarc.WarcRecord()
    record.init_headers(fastwarc.WarcRecordType.response)
    record.headers.set("WARC-Target-URI", url)
    record.headers.set("Content-Type", "application/http; msgtype=response")
    record.set_bytes_content(http)
    with open(path, "ab") as out:
        record.write(out)


def test_bodies_as_sent_on_the_wire_are_decoded(tmp_path: Path) -> None:
    html = b"<!DOCTYPE html><html><body><p>" + "caf\u00e9 ".encode() * 200 + b"</p></body></html>"
    packed = gzip.compress(html)
    chunked = b"".join(
        b"%x\r\n%s\r\n" % (len(packed[i : i + 500]), packed[i : i + 500])
        for i in range(0, len(packed), 500)
    )
    head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n"
    raw_response_record(
        tmp_path / "wire.warc",
        "https://a.example/x",
        head + b"Transfer-Encoding: chunked\r\n\r\n" + chunked,
    )
    (capture,) = read_warc(tmp_path / "wire.warc", max_bytes=10**6)
    assert capture.body == html and capture.status == 200
    assert capture.content_type == "text/html"


def test_the_writer_rotates_files_and_records_the_body_as_delivered(tmp_path: Path) -> None:
    headers = [("Content-Type", "text/html"), ("Content-Encoding", "gzip"), ("Content-Length", "9")]
    with WarcFileWriter(tmp_path, prefix="rot", max_bytes=1) as writer:
        for i in range(3):
            writer.write_response(f"https://a.example/{i}", 200, headers, b"<html>%d</html>" % i)
    assert len(writer.files) == 3 and writer.records == 6  # a warcinfo record opens each file
    for i, path in enumerate(sorted(writer.files)):
        items = list(read_warc(path, max_bytes=1000))
        assert [type(item).__name__ for item in items] == ["Skipped", "Capture"]
        assert items[1].body == b"<html>%d</html>" % i
        raw = gzip.decompress(path.read_bytes())
        assert b"Content-Encoding" not in raw and b"Content-Length: 14\r\n" in raw


def test_oversized_pages_are_rejected_not_parsed(tmp_path: Path) -> None:
    with WarcFileWriter(tmp_path / "big") as writer:
        writer.write_response(
            "https://a.example/news/2025/01/a-very-long-story",
            200,
            [("Content-Type", "text/html")],
            b"<html><body>" + b"<p>word </p>" * 2000 + b"</body></html>",
        )
    with Store.open(tmp_path / "big.db") as store:
        report = ingest([tmp_path / "big"], store, workers=0, max_bytes=1000)
        again = ingest([tmp_path / "big"], store, workers=0, max_bytes=1000)
        outcomes = store.conn.execute("SELECT outcome, reason FROM fetches").fetchall()
    # An error, as in a crawl, but settled: the same bytes stay over the limit.
    assert report.errors == {"too_large": 1} and not report.rejected
    assert again.pages == 0
    assert [tuple(row) for row in outcomes] == [("error", "too_large")]


def never_done(body: bytes, url: str, encoding: str | None, params: Any, *, links: bool = True):
    """A page function that never returns (run in a page process until its time limit)."""
    while True:
        time.sleep(1)


def test_a_page_that_times_out_is_tried_again_by_the_next_ingest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    words = " ".join(f"word{i}" for i in range(40))
    body = (
        b"<html><head><meta property='og:type' content='article'></head><body><article>"
        + f"<p>{words}</p>".encode() * 10
        + b"</article></body></html>"
    )
    with WarcFileWriter(tmp_path / "slow") as writer:
        writer.write_response(
            "https://a.example/news/2025/01/a-very-long-story",
            200,
            [("Content-Type", "text/html")],
            body,
        )
    with Store.open(tmp_path / "slow.db") as store:
        # The first ingest's page processes never finish a page: it times out by construction.
        with monkeypatch.context() as patch:
            patch.setattr(ingesting, "PagePool", functools.partial(PagePool, function=never_done))
            first = ingest([tmp_path / "slow"], store, workers=1, page_timeout=1.0)
        second = ingest([tmp_path / "slow"], store, workers=1)
        reasons = [r[0] for r in store.conn.execute("SELECT reason FROM fetches ORDER BY id")]
    assert first.errors == {"timeout": 1} and not first.rejected
    assert second.files_skipped == 0 and second.pages == 1
    assert reasons[0] == "timeout"


def test_kept_pages_are_the_records_html(archive: dict[str, Any], tmp_path: Path) -> None:
    # The page workers compress each article's page; the store keeps it byte for byte.
    bodies = {
        item.url: item.body
        for path in sorted((archive["root"] / "a").rglob("*.warc.gz"))
        for item in read_warc(path, max_bytes=10**7)
        if type(item).__name__ == "Capture"
    }
    with Store.open(tmp_path / "kept.db") as store:
        ingest([archive["root"] / "a"], store, workers=1)
        # Each article keeps the page of the last record that wrote it, found by that record's
        # URL: the article's own URL may be another page's (an AMP copy stores its article
        # under the canonical URL).
        written = dict(
            store.conn.execute(
                "SELECT article_id, url FROM fetches WHERE article_id IS NOT NULL "
                "AND outcome IN ('stored', 'duplicate', 'updated') ORDER BY id"
            ).fetchall()
        )
        assert written and store.stats()["totals"]["pages_kept"] == len(written)
        assert set(written) == {row[0] for row in store.conn.execute("SELECT id FROM articles")}
        for article_id, fetched_url in written.items():
            assert store.raw_html(article_id) == bodies[fetched_url], fetched_url
