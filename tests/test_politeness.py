"""Politeness: robots.txt (Disallow and Crawl-delay), a User-Agent with a contact, per-source
delays; and the pieces behind them (Retry-After parsing, the address policy)."""

from __future__ import annotations

import time
from collections.abc import Callable
from itertools import pairwise
from pathlib import Path
from types import SimpleNamespace

import pytest
from sitegen import Site, build_world, crawl, write_world

from crawler.demo.server import Reply, RouteRequest, serve_world
from crawler.politeness import retry_after_seconds, set_min_delay
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


# Delays are 1 s and a gap must measure at least 0.75 s: the times are taken where the server
# handles each request, and on a loaded machine it may handle one late and the next on time.
# A delay not kept gives gaps of a few milliseconds.
DELAY = 1.0
SLACK = 0.25


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
    assert min(gaps(times)) >= DELAY - SLACK  # Crawl-delay, with no jitter shortening it
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
    assert min(gaps(times)) >= DELAY - SLACK


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
