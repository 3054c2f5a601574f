"""The crawl parses pages in worker processes: a page that hangs or crashes its worker, needs too
much memory, or is megabytes of deeply nested markup costs that page only (fetch log reason), and
the crawl finishes with every good page stored."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import time
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sitegen import (
    CRAWL_TIMEOUT,
    ROOT,
    Article,
    Site,
    build_world,
    crawl,
    crawl_command,
    listing_html,
    paragraphs,
    write_site,
)

import crawler.page.process
from crawler.demo.server import Reply, World, serve_world
from crawler.extensions import BadSetting, page_pool_options
from crawler.page.pool import PagePool
from crawler.page.process import PageResult, process_page
from crawler.run import build_settings, parse_overrides

TESTS = Path(__file__).resolve().parent
# Environment variable naming the file where `misbehave` writes the pid of each worker it runs in.
PID_FILE = "NEWSDEDUP_TEST_PID_FILE"
# Deep enough for lxml to keep (it stops at 256 levels), repeated to a few MB.
NESTED_DEPTH = 250
NESTED_BLOCKS = 400
# The crawl's limit per page: far above what a good page needs on a loaded machine (a fresh
# page process's first page included), so only the pages that never finish reach it.
PAGE_TIMEOUT = 10
BAD_PAGES = {
    "/news/2025/03/23/page-that-hangs-the-parser/": "timeout",
    "/news/2025/03/24/page-that-crashes-the-worker/": "worker_crashed",
    "/news/2025/03/25/page-that-is-a-memory-hog/": "memory_limit",
    "/news/2025/03/26/deeply-nested-megabytes/": "timeout",
}


# Run inside the crawl's worker processes (imported there by module name, from PYTHONPATH).


def spin(html: str, url: str) -> None:
    """A parse that never finishes, on the CPU, until the page process is killed."""
    while True:
        pass


def misbehave(
    body: bytes, url: str, encoding: str | None, params: Any, *, links: bool = True
) -> PageResult:
    """Hang, crash or hog memory when the URL asks for it, else handle the page normally."""
    pid_file = os.environ.get(PID_FILE)
    if pid_file:
        with open(pid_file, "a", encoding="ascii") as out:
            out.write(f"{os.getpid()} {url}\n")
    if "hangs-the-parser" in url:
        while True:  # asleep until the page process is killed
            time.sleep(1)
    if "deeply-nested" in url:
        crawler.page.process.parse_page = spin  # type: ignore[assignment]
    if "crashes-the-worker" in url:
        os.kill(os.getpid(), signal.SIGKILL)
    if "memory-hog" in url:
        original = crawler.page.process.extract_article

        def greedy(html: str, url: str, **options: object) -> None:
            blocks = [bytearray(64 * 1024 * 1024) for _ in range(64)]  # 4 GiB
            del blocks

        crawler.page.process.extract_article = greedy  # type: ignore[assignment]
        try:
            return process_page(body, url, encoding, params, links=links)
        finally:
            crawler.page.process.extract_article = original
    return process_page(body, url, encoding, params, links=links)


def nested_html() -> bytes:
    block = "<div><p>deep text here " * NESTED_DEPTH + "</p></div>" * NESTED_DEPTH
    return (
        "<!DOCTYPE html><html><head><title>Deep</title>"
        '<meta property="og:type" content="article"></head><body><article>'
        + block * NESTED_BLOCKS
        + "</article></body></html>"
    ).encode()


@pytest.fixture(scope="module")
def bad_world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[World, Site]]:
    root = tmp_path_factory.mktemp("pool") / "world"
    (site,) = build_world(root, sites=1, per_site=5, shared=0, seed=23)
    good = list(site.articles)
    bad = [
        Article(site.folder, path, f"Bad page {n}", paragraphs(random.Random(n)), 23)
        for n, path in enumerate(BAD_PAGES)
    ]
    site.articles.extend(bad)
    site.extra_files["index.html"] = listing_html(site, "Front page", site.articles)
    write_site(root, site, ["/"])
    site.articles = good
    nested = nested_html()
    routes = {
        (site.folder, "/news/2025/03/26/deeply-nested-megabytes/"): lambda r: Reply(
            200, nested, {"Content-Type": "text/html; charset=utf-8"}, rewrite=False
        )
    }
    with serve_world(root, routes=routes) as world:
        yield world, site


def fetch_log(db: Path) -> dict[str, dict[str, Any]]:
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        return {row["url"]: dict(row) for row in conn.execute("SELECT * FROM fetches")}


def stored_urls(db: Path) -> set[str]:
    with sqlite3.connect(db) as conn:
        return {row[0] for row in conn.execute("SELECT url FROM articles")}


@pytest.fixture(scope="module")
def bad_crawl(
    bad_world: tuple[World, Site], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Any]:
    world, _site = bad_world
    folder = tmp_path_factory.mktemp("crawl")
    db, pids = folder / "news.db", folder / "pids.txt"
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(TESTS), os.environ.get("PYTHONPATH")])),
        PID_FILE: str(pids),
    }
    settings = {
        "NEWSDEDUP_WORKERS": "2",
        "NEWSDEDUP_PAGE_TIMEOUT": str(PAGE_TIMEOUT),
        "NEWSDEDUP_PAGE_MEMORY_MB": "512",
        "NEWSDEDUP_PAGE_FUNCTION": "test_pool_crawl.misbehave",
    }
    args = [arg for name, value in settings.items() for arg in ("-s", f"{name}={value}")]
    result = subprocess.run(
        crawl_command(db, *world.start_urls(), *args),
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=CRAWL_TIMEOUT,
        check=False,
    )
    handled = (
        [line.split(" ", 1) for line in pids.read_text().splitlines()] if pids.exists() else []
    )
    return {
        "result": result,
        "db": db,
        "pids": [int(pid) for pid, _url in handled],
        "urls": [url for _pid, url in handled],
    }


def test_pages_that_never_finish_are_stopped_at_the_limit_once(
    bad_world: tuple[World, Site], bad_crawl: dict[str, Any]
) -> None:
    result = bad_crawl["result"]
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    world, site = bad_world
    log = fetch_log(bad_crawl["db"])
    for path, reason in BAD_PAGES.items():
        url = world.url(site.folder, path)
        # Handed to a page process once, and not again after its process was replaced.
        assert bad_crawl["urls"].count(url) == 1, path
        assert log[url]["reason"] == reason
        if reason == "timeout":
            assert f"{url} took more than {PAGE_TIMEOUT} s to process" in result.stderr


def test_each_bad_page_is_in_the_fetch_log_with_its_reason(
    bad_world: tuple[World, Site], bad_crawl: dict[str, Any]
) -> None:
    world, site = bad_world
    log = fetch_log(bad_crawl["db"])
    found = {path: log.get(world.url(site.folder, path), {}) for path in BAD_PAGES}
    assert {path: row.get("reason") for path, row in found.items()} == BAD_PAGES
    assert {row.get("outcome") for row in found.values()} == {"error"}
    summary = bad_crawl["result"].stdout
    for reason in ("timeout 2", "worker_crashed 1", "memory_limit 1"):
        assert reason in summary, summary


def test_the_good_pages_are_all_stored(
    bad_world: tuple[World, Site], bad_crawl: dict[str, Any]
) -> None:
    world, site = bad_world
    stored = stored_urls(bad_crawl["db"])
    assert {world.url(site.folder, article.path) for article in site.articles} <= stored
    assert not {world.url(site.folder, path) for path in BAD_PAGES} & stored


def test_pages_are_parsed_in_worker_processes(bad_crawl: dict[str, Any]) -> None:
    with sqlite3.connect(bad_crawl["db"]) as conn:
        (crawl_pid,) = conn.execute("SELECT pid FROM crawl_runs").fetchone()
    pids = set(bad_crawl["pids"])
    assert pids and crawl_pid not in pids
    # The workers that hung and crashed were replaced by new processes.
    assert len(pids) >= 3


def test_pages_in_the_crawl_process_give_the_same_store(
    bad_world: tuple[World, Site], tmp_path: Path
) -> None:
    world, site = bad_world
    urls = [world.url(site.folder, article.path) for article in site.articles]
    pooled, inline = tmp_path / "pooled.db", tmp_path / "inline.db"
    for db, workers in ((pooled, "2"), (inline, "0")):
        result = crawl(db, *urls, "-s", f"NEWSDEDUP_WORKERS={workers}", "-s", "DEPTH_LIMIT=0")
        assert result.returncode == 0, result.stderr
    with sqlite3.connect(pooled) as a, sqlite3.connect(inline) as b:
        query = "SELECT url, title, text, duplicate_of FROM articles ORDER BY url"
        assert a.execute(query).fetchall() == b.execute(query).fetchall()
        assert len(a.execute(query).fetchall()) == len(urls)
        # Every article's page is kept, compressed by whoever parsed it, the same either way.
        pages = "SELECT a.url, p.html FROM pages p JOIN articles a ON a.id = p.article_id"
        kept = [{url: zlib.decompress(html) for url, html in db.execute(pages)} for db in (a, b)]
    assert kept[0] == kept[1] and len(kept[0]) == len(urls)
    assert all(b"<html" in html for html in kept[0].values())


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("NEWSDEDUP_WORKERS=-1", "NEWSDEDUP_WORKERS='-1' is negative"),
        ("NEWSDEDUP_PAGE_TIMEOUT=soon", "NEWSDEDUP_PAGE_TIMEOUT='soon' is not a number"),
        ("NEWSDEDUP_MAX_IN_FLIGHT=0", "NEWSDEDUP_MAX_IN_FLIGHT=0 would never hand out a page"),
        ("NEWSDEDUP_PAGE_FUNCTION=nowhere.nothing", "NEWSDEDUP_PAGE_FUNCTION='nowhere.nothing'"),
    ],
)
def test_a_bad_page_setting_is_named(setting: str, message: str) -> None:
    settings = build_settings(parse_overrides([setting]))
    with pytest.raises(BadSetting) as raised:
        page_pool_options(settings)
    assert message in str(raised.value)


def test_page_settings_map_onto_the_pool() -> None:
    defaults = page_pool_options(build_settings())
    assert defaults == {
        "workers": None,
        "max_in_flight": None,
        "keep_html": True,
        "page_timeout": 30.0,
        "memory_mb": 1024,
        "function": process_page,
    }
    options = page_pool_options(
        build_settings(
            parse_overrides(
                [
                    "NEWSDEDUP_WORKERS=3",
                    "NEWSDEDUP_PAGE_TIMEOUT=0",
                    "NEWSDEDUP_PAGE_MEMORY_MB=256",
                    "NEWSDEDUP_MAX_IN_FLIGHT=5",
                    "NEWSDEDUP_KEEP_HTML=0",
                ]
            )
        )
    )
    pool = PagePool(**options)
    settings = (pool.workers, pool.page_timeout, pool.memory_mb, pool.max_in_flight)
    assert settings == (3, None, 256, 5) and not pool.keep_html


def test_start_brings_the_workers_up_before_the_first_page() -> None:
    with PagePool(1) as pool:
        pool.start()
        pool.start()  # already up: returns at once
        assert pool.stats.submitted == 0
    with pytest.raises(RuntimeError, match="closed"):
        pool.start()
    PagePool(0).start()  # nothing to start
