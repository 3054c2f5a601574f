"""Politeness: robots.txt (Disallow and Crawl-delay), a User-Agent with a contact, per-source
delays; and the pieces behind them (Retry-After parsing, the address policy)."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from itertools import pairwise
from pathlib import Path
from random import Random
from types import SimpleNamespace
from typing import Any

import pytest
from scrapy import Request, Spider
from scrapy.http import Response
from scrapy.utils.test import get_crawler
from sitegen import (
    CRAWL_TIMEOUT,
    ROOT,
    Article,
    Site,
    article_html,
    build_world,
    crawl,
    crawl_command,
    listing_html,
    paragraphs,
    write_world,
)

from crawler import politeness
from crawler.demo.server import Reply, RouteRequest, serve_world
from crawler.politeness import PoliteRetryMiddleware, retry_after_seconds, set_min_delay
from crawler.safety import POLICY, AddressPolicy, BlockedAddress, GuardedResolver

CONTACT = "mailto:crawl-desk@example.org"


def timed_routes(root: Path, site: Site, times: list[float]) -> dict[tuple[str, str], Callable]:
    routes = {}
    for article in site.articles:
        file = root / site.folder / article.path.strip("/") / "index.html"

        def answer(request: RouteRequest, file: Path = file) -> Reply:
            times.append(time.monotonic())
            return Reply(200, file.read_bytes(), {"Content-Type": "text/html; charset=utf-8"})

        routes[(site.folder, article.path)] = answer
    return routes


def gaps(times: list[float]) -> list[float]:
    ordered = sorted(times)
    return [later - earlier for earlier, later in pairwise(ordered)]


# Delays are 1 s. The times are taken where the server handles each request, and on a loaded
# machine it may handle one late and the next on time, which shortens one gap by the lateness
# and lengthens the one before. So each gap must measure at least half the delay, and all of
# them together the delays less 0.25 s. A delay not kept gives gaps of a few milliseconds.
DELAY = 1.0
SLACK = 0.25


def kept_apart(times: list[float]) -> bool:
    spaced = gaps(times)
    return min(spaced) >= DELAY / 2 and sum(spaced) >= len(spaced) * DELAY - SLACK


def test_robots_crawl_delay_disallow_and_user_agent(tmp_path: Path) -> None:
    root = tmp_path / "world"
    # Five articles, four gaps: a delay shortened by jitter (x0.5 to x1.5) shows in one.
    (site,) = build_world(root, sites=1, per_site=5, shared=0, seed=3)
    write_world(root, [site], start=["/"])
    robots = root / site.folder / "robots.txt"
    robots.write_text(
        f"User-agent: *\nCrawl-delay: {DELAY:g}\nDisallow: /private/\nDisallow: /about/\n",
        encoding="utf-8",
    )
    times: list[float] = []
    with serve_world(root, routes=timed_routes(root, site, times)) as world:
        result = crawl(
            tmp_path / "news.db", *world.start_urls(), "-s", f"NEWSDEDUP_CONTACT={CONTACT}"
        )
        log = world.log
    assert result.returncode == 0, result.stderr
    assert len(times) == 5
    assert kept_apart(times), gaps(times)  # the Crawl-delay (jitter: see the test below)
    paths = [hit.path for hit in log]
    assert not any(path.startswith(("/private/", "/about/")) for path in paths)
    assert paths.count("/robots.txt") == 1  # read once, for rules and sitemaps alike
    agents = {hit.headers.get("User-Agent") for hit in log}
    assert agents == {f"newsdedup/0.1 (+{CONTACT})"}


def test_source_download_delay(tmp_path: Path) -> None:
    root = tmp_path / "world"
    (site,) = build_world(root, sites=1, per_site=3, shared=0, seed=4)
    write_world(root, [site], start=["/"])
    times: list[float] = []
    with serve_world(root, routes=timed_routes(root, site, times)) as world:
        sources = tmp_path / "sources.toml"
        sources.write_text(
            f'[sources.slow]\nurls = ["{world.url(site.folder)}"]\ndownload_delay = {DELAY:g}\n',
            encoding="utf-8",
        )
        result = crawl(
            tmp_path / "news.db", "--sources", str(sources), "-s", "DOWNLOAD_DELAY_JITTER=0"
        )
    assert result.returncode == 0, result.stderr
    assert len(times) == 3
    assert kept_apart(times), gaps(times)


def test_a_robots_delay_is_never_shortened_by_jitter() -> None:
    slot = SimpleNamespace(delay=0.0, jitter=0.5)
    downloader = SimpleNamespace(per_slot_settings={}, slots={"a.example": slot})
    crawler = SimpleNamespace(engine=SimpleNamespace(downloader=downloader))
    set_min_delay(crawler, "a.example", 2.0)  # a configured delay: a wish, jitter stays
    assert (slot.delay, slot.jitter) == (2.0, 0.5)
    set_min_delay(crawler, "a.example", 1.0, strict=True)  # Crawl-delay: a rule
    assert (slot.delay, slot.jitter) == (2.0, 0.0)
    assert downloader.per_slot_settings["a.example"] == {"delay": 2.0, "jitter": 0.0}
    set_min_delay(crawler, "b.example", 3.0, strict=True)  # no slot yet: for when it opens
    assert downloader.per_slot_settings["b.example"] == {"delay": 3.0, "jitter": 0.0}


@pytest.mark.parametrize(
    ("header", "seconds"),
    [("120", 120.0), (b"0", 0.0), ("soon", None), ("", None), (None, None)],
)
def test_retry_after_seconds(header: str | bytes | None, seconds: float | None) -> None:
    assert retry_after_seconds(header) == seconds


def test_retry_after_http_date() -> None:
    now = 1_700_000_000.0
    assert retry_after_seconds("Tue, 14 Nov 2023 22:13:50 GMT", now=now) == pytest.approx(30.0)
    assert retry_after_seconds("Tue, 14 Nov 2023 22:00:00 GMT", now=now) == 0.0


def test_address_policy() -> None:
    policy = AddressPolicy()
    assert policy.check("news.example", "93.184.216.34") is None
    for address in ("127.0.0.1", "10.1.2.3", "169.254.169.254", "::1", "::ffff:192.168.0.1"):
        reason = policy.check("evil.example", address)
        assert reason and "evil.example resolves to" in reason
    assert "link-local" in (policy.check("x", "169.254.169.254") or "")
    policy.trust_start_urls(["http://127.0.0.1:8000/", "http://intranet.local/news/"])
    assert policy.check("127.0.0.1", "127.0.0.1") is None
    assert policy.check("127.0.0.2", "127.0.0.2") is not None
    assert policy.check("intranet.local", "10.0.0.5") is None  # a start URL's own host
    assert policy.check("other.local", "10.0.0.5") is None  # ...and from then on its address
    assert policy.check("other.local", "10.0.0.6") is not None
    policy.configure(["192.168.0.0/16"])
    assert policy.check("printer.lan", "192.168.1.20") is None
    with pytest.raises(ValueError, match="NEWSDEDUP_ALLOWED_NETWORKS: 'nonsense'"):
        policy.configure(["nonsense"])


def test_resolver_checks_the_address_it_connects_to() -> None:
    # A name that resolved to a public address when a link was found and resolves to a
    # metadata address when it is fetched: the resolver's answer is what is checked.
    assert GuardedResolver._vet("93.184.216.34", "rebind.example") == "93.184.216.34"
    with pytest.raises(BlockedAddress, match="rebind.example resolves to 169.254.169.254"):
        GuardedResolver._vet("169.254.169.254", "rebind.example")
    assert POLICY.blocked_reason("rebind.example")


def test_429_pauses_the_whole_host_for_retry_after(tmp_path: Path) -> None:
    root = tmp_path / "world"
    (site,) = build_world(root, sites=1, per_site=12, shared=0, seed=5)
    write_world(root, [site], start=["/", "/feed.xml"])
    hits: list[tuple[float, str, int]] = []
    lock = threading.Lock()
    routes = {}
    for article in site.articles:
        file = root / site.folder / article.path.strip("/") / "index.html"

        def answer(request: RouteRequest, file: Path = file) -> Reply:
            with lock:
                status = 429 if not hits else 200
                hits.append((time.monotonic(), request.path, status))
            if status == 429:
                return Reply(429, b"slow down", {"Content-Type": "text/plain", "Retry-After": "2"})
            return Reply(200, file.read_bytes(), {"Content-Type": "text/html; charset=utf-8"})

        routes[(site.folder, article.path)] = answer
    with serve_world(root, routes=routes) as world:
        # One request at a time (with no delay at all Scrapy sends every queued request of a
        # slot at once): none is on its way when the 429 comes, except one the downloader may
        # send the moment that answer is in, before the retry middleware sees it.
        result = crawl(
            tmp_path / "news.db",
            *world.start_urls(),
            *["-s", "DOWNLOAD_DELAY=0.05", "-s", "DOWNLOAD_DELAY_JITTER=0"],
            *["-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1"],
        )
    assert result.returncode == 0, result.stderr
    refused_at = hits[0][0]
    # Every article was fetched, the refused one twice, and the host rested for Retry-After
    # (checked as a lower bound only: a slow machine may rest longer).
    assert sorted(path for _, path, status in hits if status == 200) == sorted(
        a.path for a in site.articles
    )
    during_rest = [at - refused_at for at, _, _ in hits[1:] if at - refused_at < 1.9]
    assert len(during_rest) <= 1, during_rest


class FakeClock:
    """Stands in for the time module in crawler.politeness: a clock that never moves."""

    def __init__(self, now: float) -> None:
        self.now = now

    def time(self) -> float:
        return self.now

    def monotonic(self) -> float:
        return self.now


def retry_middleware(monkeypatch: pytest.MonkeyPatch, **settings: Any) -> PoliteRetryMiddleware:
    monkeypatch.setattr(politeness, "time", FakeClock(1000.0))
    crawler = get_crawler(Spider, {"RETRY_TIMES": 5, **settings})
    crawler.spider = Spider.from_crawler(crawler, name="polite")
    # A downloader with no slot yet: the host pause is all there is to see.
    downloader = SimpleNamespace(slots={}, get_slot_key=lambda request: "")
    crawler.engine = SimpleNamespace(downloader=downloader)  # type: ignore[assignment]
    return PoliteRetryMiddleware.from_crawler(crawler)


def answer(url: str, status: int, retry_after: str | None = None, times: int = 0) -> tuple:
    request = Request(url, meta={"retry_times": times} if times else {})
    headers = {"Retry-After": retry_after} if retry_after is not None else {}
    return request, Response(url, status=status, headers=headers, request=request)


def test_retry_waits_back_off_exponentially_up_to_the_cap(monkeypatch) -> None:
    retries = retry_middleware(
        monkeypatch, NEWSDEDUP_RETRY_BACKOFF=1.5, NEWSDEDUP_RETRY_AFTER_MAX=10
    )
    waits = []
    for times in range(5):
        retry = retries.process_response(*answer("http://a.example/x", 502, times=times))
        assert isinstance(retry, Request)
        waits.append(retry.meta["retry_not_before"] - 1000.0)
    assert waits == [1.5, 3.0, 6.0, 10.0, 10.0]  # doubled each time, capped by the setting
    assert retries.paused == {}  # a 502 is one page's trouble, not the host's


def test_retry_after_is_waited_for_and_pauses_the_host(monkeypatch) -> None:
    retries = retry_middleware(monkeypatch, NEWSDEDUP_RETRY_AFTER_MAX=120)
    retry = retries.process_response(*answer("http://a.example/x", 429, "7"))
    assert retry.meta["retry_not_before"] == 1007.0
    assert retries.paused == {"a.example": 1007.0}
    retry = retries.process_response(*answer("http://b.example/y", 503, "30"))
    assert retries.paused == {"a.example": 1007.0, "b.example": 1030.0}


def test_retry_after_over_the_cap_is_not_waited_for(monkeypatch) -> None:
    retries = retry_middleware(monkeypatch, NEWSDEDUP_RETRY_AFTER_MAX=60)
    request, response = answer("http://a.example/x", 503, "3600")
    assert retries.process_response(request, response) is response
    assert retries.paused == {}
    assert retries.crawler.stats.get_value("newsdedup/retry_after_too_long") == 1


def test_robots_crawl_delay_is_capped(tmp_path: Path) -> None:
    root = tmp_path / "world"
    (site,) = build_world(root, sites=1, per_site=2, shared=0, seed=6)
    write_world(root, [site], start=["/"])
    (root / site.folder / "robots.txt").write_text(
        "User-agent: *\nCrawl-delay: 3600\n", encoding="utf-8"
    )
    db = tmp_path / "news.db"
    with serve_world(root) as world:
        result = crawl(db, *world.start_urls(), "-s", "NEWSDEDUP_MAX_CRAWL_DELAY=0.2")
    assert result.returncode == 0, result.stderr
    assert "asks for a Crawl-delay of 3600 s; using NEWSDEDUP_MAX_CRAWL_DELAY (0.2 s)" in (
        result.stderr
    )
    with sqlite3.connect(db) as conn:
        stats = json.loads(conn.execute("SELECT stats FROM crawl_runs").fetchone()[0])
        stored = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    assert stats["newsdedup/crawl_delay/127.0.0.1"] == 0.2
    assert stored == 2


class EvilHandler(BaseHTTPRequestHandler):
    """Serves one article at every path but robots.txt, counting what it was asked."""

    def do_GET(self) -> None:  # noqa: N802 - name fixed by BaseHTTPRequestHandler
        self.server.hits.append(self.path)  # type: ignore[attr-defined]
        if self.path == "/robots.txt":
            body, status, kind = b"User-agent: *\n", 200, "text/plain"
        else:
            body, status, kind = self.server.page, 200, "text/html; charset=utf-8"  # type: ignore[attr-defined]
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@pytest.fixture()
def private_host(tmp_path: Path) -> Iterator[dict[str, Any]]:
    """A site whose front page links to http://evil.test:PORT/story/, a name that resolves (in
    the crawl, through tests/mapped_resolver.py) to 127.0.0.2, where a server waits."""
    try:
        evil = ThreadingHTTPServer(("127.0.0.2", 0), EvilHandler)
    except OSError:
        pytest.skip("cannot listen on 127.0.0.2")
    origin = f"http://evil.test:{evil.server_address[1]}"
    evil.hits = []  # type: ignore[attr-defined]
    story = Article("evil", "/story/", "A story on a private address", paragraphs(Random(8)), 3)
    evil.page = article_html(Site("evil", origin), story).encode()  # type: ignore[attr-defined]
    thread = threading.Thread(target=evil.serve_forever, daemon=True)
    thread.start()
    root = tmp_path / "world"
    (site,) = build_world(root, sites=1, per_site=2, shared=0, seed=9)
    link = f'<a href="{origin}/story/">Elsewhere</a>'
    site.extra_files["index.html"] = listing_html(site, "Front page", site.articles, link)
    write_world(root, [site], start=["/"])
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(
            [str(Path(__file__).parent), os.environ.get("PYTHONPATH", "")]
        ),
        "NEWSDEDUP_TEST_HOSTS": "evil.test=127.0.0.2",
    }
    try:
        with serve_world(root) as world:
            yield {"world": world, "origin": origin, "hits": evil.hits, "env": env}
    finally:
        evil.shutdown()
        evil.server_close()


def crawl_with_resolver(db: Path, info: dict[str, Any], *args: str) -> subprocess.CompletedProcess:
    command = crawl_command(
        db,
        *info["world"].start_urls(),
        "-s", "TWISTED_DNS_RESOLVER=mapped_resolver.MappedResolver",
        "-s", f"NEWSDEDUP_ALLOWED_SITES={info['origin'].removeprefix('http://')}",
        *args,
    )  # fmt: skip
    return subprocess.run(
        command, cwd=ROOT, env=info["env"], capture_output=True, text=True, timeout=CRAWL_TIMEOUT
    )


def test_a_name_resolving_to_a_private_address_is_not_connected_to(
    private_host: dict[str, Any], tmp_path: Path
) -> None:
    db = tmp_path / "news.db"
    result = crawl_with_resolver(db, private_host)
    assert result.returncode == 0, result.stderr
    assert private_host["hits"] == []
    with sqlite3.connect(db) as conn:
        reasons = dict(conn.execute("SELECT url, reason FROM fetches WHERE outcome = 'error'"))
        stored = {row[0] for row in conn.execute("SELECT url FROM articles")}
    assert reasons.get(private_host["origin"] + "/story/") == "blocked_address", reasons
    assert len(stored) == 2  # the site's own articles


def test_allowed_networks_let_a_private_address_through(
    private_host: dict[str, Any], tmp_path: Path
) -> None:
    db = tmp_path / "news.db"
    result = crawl_with_resolver(db, private_host, "-s", "NEWSDEDUP_ALLOWED_NETWORKS=127.0.0.2/32")
    assert result.returncode == 0, result.stderr
    assert "/story/" in private_host["hits"]
    with sqlite3.connect(db) as conn:
        stored = {row[0] for row in conn.execute("SELECT url FROM articles")}
    assert private_host["origin"] + "/story/" in stored
