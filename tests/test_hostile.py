"""A hostile site on 127.0.0.1: the crawl ends in bounded time, every failure is in the fetch log
with its reason, `newsdedup stats` counts them, and the good pages of the same site are stored."""

from __future__ import annotations

import gzip
import json
import random
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

import pytest
from sitegen import (
    CRAWL_TIMEOUT,
    ROOT,
    Article,
    Site,
    article_html,
    build_world,
    crawl,
    listing_html,
    paragraphs,
    write_site,
)

from crawler.demo.server import Reply, RouteRequest, World, serve_world

HOSTILE_SETTINGS = [
    "-s",
    "DOWNLOAD_TIMEOUT=4",
    "-s",
    "RETRY_TIMES=1",
    "-s",
    "NEWSDEDUP_RETRY_BACKOFF=0.2",
]
BOMB_BYTES = 64 * 1024 * 1024  # inflates to four times DOWNLOAD_MAXSIZE
HUGE_BYTES = 20 * 1024 * 1024
CHARSET_TEXT = (
    "The na\u00efve caf\u00e9 owner on the quay said \u201cno\u201d to the r\u00e9sum\u00e9 "
    "\u2014 a d\u00e9j\u00e0 vu for the fa\u00e7ade committee of the harbour."
)


class _Trap(BaseHTTPRequestHandler):
    """A server on another loopback address: the crawl must never reach it."""

    hits: list[str] = []

    def do_GET(self) -> None:  # noqa: N802
        self.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def trap() -> Iterator[str]:
    try:
        server = HTTPServer(("127.0.0.2", 0), _Trap)
    except OSError:
        pytest.skip("cannot bind 127.0.0.2 here")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.2:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def html(title: str, body: str, charset: str = "utf-8") -> str:
    return (
        f'<!DOCTYPE html><html><head><meta charset="{charset}"><title>{title}</title></head>'
        f"<body>{body}</body></html>"
    )


def hostile_routes(
    site: Site, flaky_article: Article, lying: Article, trap: str, released: threading.Event
) -> tuple:
    """(site, path) -> route for every hostile page, and the times the flaky page was asked.

    The slow page answers only once ``released`` is set.
    """
    attempts: dict[str, list[float]] = {"flaky": [], "slow": []}
    flaky_page = article_html(site, flaky_article).encode("utf-8")

    def flaky(request: RouteRequest) -> Reply:
        attempts["flaky"].append(time.monotonic())
        if len(attempts["flaky"]) == 1:
            return Reply(503, b"busy", {"Content-Type": "text/plain", "Retry-After": "1"})
        return Reply(200, flaky_page, {"Content-Type": "text/html; charset=utf-8"})

    def redirect(target: str) -> Any:
        return lambda request: Reply(302, headers={"Location": target})

    def status(code: int) -> Any:
        return lambda request: Reply(
            code, html(str(code), "gone").encode(), {"Content-Type": "text/html"}
        )

    def slow(request: RouteRequest) -> Reply:
        # Never answers while the crawl runs: every try can only end at DOWNLOAD_TIMEOUT.
        attempts["slow"].append(time.monotonic())
        released.wait(CRAWL_TIMEOUT)
        return Reply(200, html("slow", "late").encode(), {"Content-Type": "text/html"})

    def calendar(request: RouteRequest) -> Reply:
        month = int(request.query.partition("=")[2] or "0")
        links = "".join(
            f'<a href="/calendar/?m={m}">month {m}</a> ' for m in (month - 1, month + 1)
        )
        return Reply(200, html(f"Calendar {month}", links).encode(), {"Content-Type": "text/html"})

    bomb = gzip.compress(b" " * BOMB_BYTES, compresslevel=9)
    lying_page = article_html(site, lying).encode("cp1252")
    malformed = (
        b"<html><head><title>Broken</ti<body><div><p>unclosed <b>bold <i>mess"
        b"</div></div></div><table><tr><td>cell<p>" + b"word " * 80 + b"<<<>>>&&&;</html"
    )
    folder = site.folder
    routes = {
        "/flaky/": flaky,
        "/chain/0": redirect("/chain/1"),
        **{f"/chain/{n}": redirect(f"/chain/{n + 1}") for n in range(1, 12)},
        "/loop/a": redirect("/loop/b"),
        "/loop/b": redirect("/loop/a"),
        "/self": redirect("/self"),
        "/to-metadata": redirect("http://169.254.169.254/latest/meta-data/"),
        "/to-private": redirect("http://10.255.255.1/admin"),
        "/to-other-loopback": redirect(f"{trap}/secret"),
        "/to-ftp": redirect("ftp://files.example/x"),
        "/gone-410": status(410),
        "/slow.html": slow,
        "/calendar/": calendar,
        "/binary.html": lambda r: Reply(
            200, bytes(range(256)) * 64, {"Content-Type": "text/html"}, rewrite=False
        ),
        "/bomb.html": lambda r: Reply(
            200,
            bomb,
            {"Content-Type": "text/html", "Content-Encoding": "gzip"},
            rewrite=False,
        ),
        "/huge.html": lambda r: Reply(
            200, b"<html>" + b"x" * HUGE_BYTES, {"Content-Type": "text/html"}, rewrite=False
        ),
        "/malformed.html": lambda r: Reply(200, malformed, {"Content-Type": "text/html"}),
        lying.path: lambda r: Reply(200, lying_page, {"Content-Type": "text/html"}),
    }
    return {(folder, path): route for path, route in routes.items()}, attempts


HOSTILE_LINKS = [
    "/flaky/",
    "/chain/0",
    "/loop/a",
    "/self",
    "/to-metadata",
    "/to-private",
    "/to-other-loopback",
    "/to-ftp",
    "/missing-404.html",
    "/gone-410",
    "/slow.html",
    "/calendar/?m=0",
    "/binary.html",
    "/bomb.html",
    "/huge.html",
    "/malformed.html",
    "javascript:alert(1)",
    "mailto:desk@site-a.example",
    "data:text/html,<b>hi</b>",
    "tel:+15550100",
    "ftp://files.example/pub/",
]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory, trap: str) -> Iterator[dict[str, Any]]:
    root = tmp_path_factory.mktemp("hostile") / "world"
    (site,) = build_world(root, sites=1, per_site=5, shared=0, seed=5)
    flaky = Article(
        site.folder, "/flaky/", "Flaky server story", paragraphs(random.Random(4), 4), 21
    )
    lying = Article(
        site.folder,
        "/news/2025/03/22/cafe-charset-story/",
        "Caf\u00e9 story with a lying charset",
        [CHARSET_TEXT, *paragraphs(random.Random(3), 3)],
        22,
    )
    site.articles.append(lying)
    extra = "".join(f'<a href="{link}">hostile {n}</a>\n' for n, link in enumerate(HOSTILE_LINKS))
    site.extra_files["index.html"] = listing_html(site, "Front page", site.articles, extra)
    write_site(root, site, ["/"])
    released = threading.Event()
    routes, attempts = hostile_routes(site, flaky, lying, trap, released)
    db = tmp_path_factory.mktemp("db") / "hostile.db"
    with serve_world(root, routes=routes) as world:
        try:
            result = crawl(db, *world.start_urls(), *HOSTILE_SETTINGS)
        finally:
            released.set()
        yield {
            "world": world,
            "site": site,
            "result": result,
            "db": db,
            "attempts": attempts,
            "requests": [path for _site, path in world.requests],
            "lying": lying,
        }


def fetch_log(db: Path) -> dict[str, dict]:
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        return {row["url"]: dict(row) for row in conn.execute("SELECT * FROM fetches ORDER BY id")}


def test_crawl_finishes_having_tried_each_page_a_bounded_number_of_times(
    hostile: dict[str, Any],
) -> None:
    # The crawl itself runs under CRAWL_TIMEOUT; what bounds it is that nothing is asked for
    # without end: a page that never answers is tried once and retried once (RETRY_TIMES=1),
    # and no other page more often.
    assert hostile["result"].returncode == 0, hostile["result"].stderr
    assert "Traceback" not in hostile["result"].stderr
    assert len(hostile["attempts"]["slow"]) == 2
    asked = Counter(hostile["requests"])  # requests answered (the slow page's are not)
    assert asked["/flaky/"] == 2  # 503, then the answer
    assert max(asked.values()) == 2, asked.most_common(3)


def test_every_failure_is_logged_with_its_reason(hostile: dict[str, Any]) -> None:
    world: World = hostile["world"]
    site = hostile["site"].folder
    log = fetch_log(hostile["db"])

    def reason(path: str) -> str | None:
        entry = log.get(world.url(site, path))
        return entry and entry["reason"]

    expected = {
        "/chain/0": "too_many_redirects",
        "/loop/a": "redirect_loop",
        "/self": "redirect_loop",
        "/to-metadata": "blocked_address",
        "/to-private": "blocked_address",
        "/to-other-loopback": "blocked_address",
        "/to-ftp": "bad_redirect",
        "/missing-404.html": "http_404",
        "/gone-410": "http_410",
        "/slow.html": "timeout",
        "/binary.html": "not_html",
        "/bomb.html": "decompression_limit",
        "/huge.html": "too_large",
        # Parsed without a crash or an extractor error: a verdict on the page, no text in it.
        "/malformed.html": "empty",
    }
    assert {path: reason(path) for path in expected} == expected
    assert log[world.url(site, "/malformed.html")]["outcome"] == "rejected"


def test_good_pages_of_the_same_site_are_all_stored(hostile: dict[str, Any]) -> None:
    world: World = hostile["world"]
    site: Site = hostile["site"]
    with sqlite3.connect(hostile["db"]) as conn:
        urls = {row[0] for row in conn.execute("SELECT url FROM articles")}
    for article in site.articles:
        assert world.url(site.folder, article.path) in urls
    # The flaky page answered 503 first: the retry waited for Retry-After, then stored it.
    first, second = hostile["attempts"]["flaky"][:2]
    assert second - first >= 0.95
    assert world.url(site.folder, "/flaky/") in urls


def test_lying_charset_comes_out_right(hostile: dict[str, Any]) -> None:
    world: World = hostile["world"]
    url = world.url(hostile["site"].folder, hostile["lying"].path)
    with sqlite3.connect(hostile["db"]) as conn:
        title, text = conn.execute(
            "SELECT title, text FROM articles WHERE url = ?", (url,)
        ).fetchone()
    assert "caf\u00e9" in text and "na\u00efve" in text and "\u201cno\u201d" in text
    assert title.startswith("Caf\u00e9 story")


def test_nothing_unsafe_or_endless_is_requested(hostile: dict[str, Any], trap: str) -> None:
    requests = hostile["requests"]
    assert not any(path.startswith(("javascript", "mailto", "data", "tel")) for path in requests)
    assert _Trap.hits == []
    calendar = [path for path in requests if path.startswith("/calendar/")]
    assert 0 < len(calendar) <= 8  # the infinite calendar stops at DEPTH_LIMIT
    assert requests.count("/chain/0") == 1
    assert max(int(p.rsplit("/", 1)[1]) for p in requests if p.startswith("/chain/")) <= 6


def test_stats_show_errors_by_reason(hostile: dict[str, Any]) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "crawler.cli", "stats", "--db", str(hostile["db"]), "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    errors = {(e["outcome"], e["reason"]): e["count"] for e in json.loads(result.stdout)["errors"]}
    for reason in ("blocked_address", "redirect_loop", "timeout", "too_large", "http_410"):
        assert ("error", reason) in errors
    assert errors[("error", "redirect_loop")] == 2
    assert errors[("error", "blocked_address")] == 3
