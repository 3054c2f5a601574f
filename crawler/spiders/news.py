"""The ``news`` spider: from homepages, sections, feeds and sitemaps to article pages.

The spider only decides what to fetch. Every HTML page it meets is parsed once, in a worker
process of a :class:`crawler.page.pool.PagePool` (links, article or rejection, from the same
parse); the spider follows the links and hands the result on as a ``PageItem``, and the
pipelines store it (the store signs each article for dedup: under a millisecond, and the workers
need not import datasketch and scipy, ~45 MiB each). The reactor never parses a page, so
downloads go on while every core extracts; a page that hangs or crashes its worker costs that
page only.

What to crawl comes from a sources file (``NEWSDEDUP_SOURCES``) and/or start URLs (``-a urls=``,
``NEWSDEDUP_START_URLS``); start URLs given that way form one source per site. Runs are
incremental: links to articles already stored are not followed (unless ``NEWSDEDUP_REFRESH``),
feed and sitemap entries dated before ``NEWSDEDUP_SINCE`` or before the last fetch of their page
are skipped, and a page answering ``304 Not Modified`` is not followed again.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from datetime import datetime, timezone
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.http import Response
from scrapy.settings import SETTINGS_PRIORITIES, BaseSettings
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.misc import load_object
from twisted.internet.error import (
    ConnectionRefusedError,
    DNSLookupError,
    TCPTimedOutError,
    TimeoutError,
)
from twisted.python.failure import Failure

from crawler import safety
from crawler import settings as project_settings
from crawler.extensions import run_for
from crawler.items import FetchRecord, PageItem
from crawler.page import discovery
from crawler.page.discovery import Kind
from crawler.page.pool import PagePool
from crawler.page.process import PageResult
from crawler.politeness import set_min_delay
from crawler.sources import Source, SourcesError, load_sources
from crawler.urls import canonicalize, site_of

# Seconds the spider waits for the page workers to stop when it closes.
PAGES_CLOSE_TIMEOUT = 30.0


def now_iso() -> str:
    """Return the current UTC time as ISO 8601 with seconds."""
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def split_urls(value: str | list[str] | tuple[str, ...] | None) -> list[str]:
    """Return the URLs of a ``-a urls=`` value or a setting: a list, or commas/spaces."""
    if not value:
        return []
    if isinstance(value, str):
        return [part for part in re.split(r"[\s,]+", value) if part]
    return [part for item in value for part in split_urls(item)]


class BadStartURL(ValueError):
    """A start URL that cannot be crawled; the message says why and how to fix it."""


def check_start_url(url: str) -> str:
    """Return ``url`` canonicalised, or raise ``BadStartURL`` saying what is wrong with it."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise BadStartURL(
            f"start URL {url!r} is not an http(s) URL; write it in full, e.g. https://{url}"
            if not parts.scheme
            else f"start URL {url!r} uses {parts.scheme}:, only http and https are crawled"
        )
    if not parts.hostname:
        raise BadStartURL(f"start URL {url!r} has no host name")
    try:
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError as exc:
        raise BadStartURL(f"start URL {url!r} has a malformed port") from exc
    return canonicalize(url)


def sources_depth(settings: BaseSettings) -> int | None:
    """The deepest ``depth`` of the sources file named in ``settings``, or None."""
    path = settings.get("NEWSDEDUP_SOURCES")
    if not path:
        return None
    try:
        sources = load_sources(path, settings.getlist("NEWSDEDUP_ONLY"))
    except SourcesError:
        return None  # reported with its full message when the spider loads the file
    depths = [source.depth for source in sources if source.depth is not None]
    return max(depths) if depths else None


class BadSetting(ValueError):
    """A setting with a value that cannot be used; the message names it and what it takes."""


def _optional_number(settings: BaseSettings, name: str, kind: Callable[[Any], Any]) -> Any:
    """Return setting ``name`` converted by ``kind`` (int or float), None when unset or empty.

    Raises ``BadSetting`` for a value that is not a number of that kind, or is negative.
    """
    raw = settings.get(name)
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    try:
        value = kind(raw)
    except (TypeError, ValueError):
        raise BadSetting(f"{name}={raw!r} is not a number; e.g. -s {name}=2") from None
    if value < 0:
        raise BadSetting(f"{name}={raw!r} is negative; use 0 or more")
    return value


def page_pool_options(settings: BaseSettings) -> dict[str, Any]:
    """Return :class:`~crawler.page.pool.PagePool` arguments from the ``NEWSDEDUP_*`` page settings.

    Unset settings keep the pool's defaults; a time or memory limit of 0 means none. Raises
    ``BadSetting`` for an unusable value (call it before a crawl to report that as a usage
    error).
    """
    options: dict[str, Any] = {
        "workers": _optional_number(settings, "NEWSDEDUP_WORKERS", int),
        "max_in_flight": _optional_number(settings, "NEWSDEDUP_MAX_IN_FLIGHT", int),
        # The workers compress the pages the store keeps, off the crawl process.
        "keep_html": settings.getbool("NEWSDEDUP_KEEP_HTML"),
    }
    if options["max_in_flight"] == 0:
        raise BadSetting("NEWSDEDUP_MAX_IN_FLIGHT=0 would never hand out a page; use 1 or more")
    timeout = _optional_number(settings, "NEWSDEDUP_PAGE_TIMEOUT", float)
    if timeout is not None:
        options["page_timeout"] = timeout or None
    memory_mb = _optional_number(settings, "NEWSDEDUP_PAGE_MEMORY_MB", int)
    if memory_mb is not None:
        options["memory_mb"] = memory_mb or None
    name = settings.get("NEWSDEDUP_PAGE_FUNCTION") or project_settings.NEWSDEDUP_PAGE_FUNCTION
    try:
        options["function"] = load_object(name)
    except (ImportError, NameError, ValueError) as exc:
        raise BadSetting(
            f"NEWSDEDUP_PAGE_FUNCTION={name!r} cannot be imported ({exc}); give the import "
            "path of a function, e.g. crawler.page.process.process_page"
        ) from None
    return options


# Errors of the download itself, by exception type: the reason recorded in the fetch log.
_FAILURE_REASONS: tuple[tuple[type[BaseException], str], ...] = (
    (CannotResolveHostError, "dns_error"),
    (DNSLookupError, "dns_error"),
    (DownloadConnectionRefusedError, "connection_refused"),
    (ConnectionRefusedError, "connection_refused"),
    (DownloadTimeoutError, "timeout"),
    (TimeoutError, "timeout"),
    (TCPTimedOutError, "timeout"),
    (ResponseDataLossError, "data_loss"),
    (DownloadFailedError, "download_failed"),
)


def failure_reason(failure: Failure, url: str) -> tuple[str, int | None, str]:
    """``(reason, HTTP status, detail)`` for a failed request, for the fetch log."""
    if failure.check(HttpError):
        status = failure.value.response.status
        return f"http_{status}", status, f"the server answered HTTP {status}"
    exc = failure.value
    known = safety.failure_reason(exc, url)
    if known is not None:
        return known[0], None, known[1]
    text = str(exc) or type(exc).__name__
    if isinstance(exc, DownloadCancelledError) and "max size" in text:
        return "too_large", None, text
    if isinstance(exc, IgnoreRequest):
        if "robots.txt" in text:
            return "robots_txt", None, "disallowed by robots.txt"
        if "decompression" in text:
            return "decompression_limit", None, text
        if "redirection" in text:
            return "too_many_redirects", None, text
        return "ignored", None, text
    reason = next((name for kind, name in _FAILURE_REASONS if failure.check(kind)), None)
    return reason or "download_error", None, text


class NewsSpider(scrapy.Spider):
    """Discover and fetch news articles from the configured sources."""

    name = "news"

    def __init__(self, urls: str | None = None, source: str | None = None, **kwargs: Any):
        super().__init__(**kwargs)
        self._urls_arg = urls
        self._source_arg = source
        self.sources: dict[str, Source] = {}
        self.default_depth = 0
        self.extra_sites: set[str] = set()
        self._robots_done: set[str] = set()
        self.pages: PagePool | None = None
        self._pages_ready: asyncio.Future[None] | None = None

    @classmethod
    def update_settings(cls, settings: BaseSettings) -> None:
        super().update_settings(settings)
        # The contact may be overridden alone (-s NEWSDEDUP_CONTACT=...); keep the User-Agent
        # naming it unless the User-Agent itself was set on the command line.
        if (settings.getpriority("USER_AGENT") or 0) < SETTINGS_PRIORITIES["cmdline"]:
            contact = settings.get("NEWSDEDUP_CONTACT")
            settings.set("USER_AGENT", f"newsdedup/0.1 (+{contact})", priority="spider")
        # DEPTH_LIMIT is the default depth of a source and Scrapy's overall cap: a source that
        # asks for more raises the cap (the spider keeps every source to its own depth), unless
        # DEPTH_LIMIT was set on the command line.
        deepest = sources_depth(settings)
        if (
            deepest is not None
            and deepest > settings.getint("DEPTH_LIMIT")
            and (settings.getpriority("DEPTH_LIMIT") or 0) < SETTINGS_PRIORITIES["cmdline"]
        ):
            settings.set("DEPTH_LIMIT", deepest, priority="spider")

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> NewsSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.default_depth = crawler.settings.getint("DEPTH_LIMIT")
        spider.extra_sites = set(crawler.settings.getlist("NEWSDEDUP_ALLOWED_SITES"))
        spider.sources = spider.load_sources()
        spider.pages = PagePool(**page_pool_options(crawler.settings))
        crawler.signals.connect(spider.robots_parsed, signal=signals.robots_parsed)
        crawler.signals.connect(spider.open_pages, signal=signals.spider_opened)
        crawler.signals.connect(spider.close_pages, signal=signals.spider_closed)
        return spider

    # ------------------------------------------------------------------ page workers

    def open_pages(self) -> None:
        """Start the page workers in a thread (a second or two; :meth:`start` waits for them)."""
        if self.pages is None:
            return
        self._pages_ready = asyncio.ensure_future(self._start_pages(self.pages))

    async def _start_pages(self, pool: PagePool) -> None:
        try:
            await asyncio.to_thread(pool.start)
        except Exception as exc:
            self.logger.error(
                "cannot start the page workers: %s; set NEWSDEDUP_WORKERS=0 to handle pages in "
                "the crawl process",
                exc,
            )
            raise

    async def close_pages(self, reason: str) -> None:
        """Stop the page workers (no page is in flight once the spider closes)."""
        pool, self.pages = self.pages, None
        if pool is None:
            return
        if self._pages_ready is not None:
            with contextlib.suppress(Exception):
                await self._pages_ready  # a pool still starting would be left running
        await asyncio.to_thread(pool.close, PAGES_CLOSE_TIMEOUT)
        done = pool.stats
        if done.done:
            self.logger.info(
                "page workers handled %d pages (%d timed out, %d crashed their worker, "
                "%d too large, %d other errors)",
                done.done,
                done.timeouts,
                done.crashed,
                done.too_large,
                done.errors,
            )

    # ------------------------------------------------------------------ what to crawl

    def start_urls_checked(self) -> list[str]:
        """Return the start URLs from ``-a urls=`` and ``NEWSDEDUP_START_URLS``, checked."""
        urls = split_urls(self._urls_arg) + split_urls(
            self.settings.getlist("NEWSDEDUP_START_URLS")
        )
        return [check_start_url(url) for url in dict.fromkeys(urls)]

    def load_sources(self) -> dict[str, Source]:
        """The sources of this crawl: the sources file's, then one per site of the start URLs.

        Raises ``SourcesError`` or ``BadStartURL`` with a message naming the mistake.
        """
        sources: dict[str, Source] = {}
        path = self.settings.get("NEWSDEDUP_SOURCES")
        if path:
            for source in load_sources(path, self.settings.getlist("NEWSDEDUP_ONLY")):
                sources[source.name] = source
        by_site: dict[str, list[str]] = {}
        for url in self.start_urls_checked():
            key = self._source_arg or site_of(url)
            by_site.setdefault(key, []).append(url)
        for name, urls in by_site.items():
            if name in sources:
                known = sources[name]
                sources[name] = Source(**{**_fields(known), "urls": (*known.urls, *urls)})
            else:
                sources[name] = Source(name=name, urls=tuple(urls))
        return sources

    def source_names(self) -> list[str]:
        return list(self.sources)

    def depth_of(self, source: Source) -> int:
        return self.default_depth if source.depth is None else source.depth

    def sites_of(self, source: Source) -> set[str]:
        return set(source.sites) | self.extra_sites

    # ------------------------------------------------------------------ requests

    async def start(self) -> AsyncIterator[Any]:
        if not self.sources:
            self.logger.error(
                "nothing to crawl: pass URLs (-a urls=https://...), set NEWSDEDUP_START_URLS, "
                "or name a sources file with NEWSDEDUP_SOURCES (newsdedup crawl --sources)"
            )
            return
        if self._pages_ready is not None:
            # The page workers are up before the first download: pages downloaded meanwhile
            # would only pile up waiting for them.
            await self._pages_ready
        stats = self.crawler.stats
        safety.POLICY.trust_start_urls(url for s in self.sources.values() for url in s.urls)
        roots: dict[str, str] = {}
        for source in self.sources.values():
            if source.download_delay is not None:
                for host in source.hosts:
                    set_min_delay(self.crawler, host, source.download_delay)
            for url in source.urls:
                parts = urlsplit(url)
                roots.setdefault(f"{parts.scheme}://{parts.netloc}", source.name)
        for source in self.sources.values():
            for url in source.urls:
                stats.inc_value("newsdedup/entries")
                yield self.request(url, source.name, entry=True)
        if not self.settings.getbool("ROBOTSTXT_OBEY"):
            # Scrapy's robots middleware is off, so nobody reads robots.txt for its sitemaps.
            for root, name in roots.items():
                yield scrapy.Request(
                    f"{root}/robots.txt",
                    callback=self.parse_robots,
                    errback=self.on_robots_error,
                    meta={"dont_obey_robotstxt": True, "source": name},
                    priority=10,
                )

    def request(self, url: str, source: str, entry: bool = False, **meta: Any) -> scrapy.Request:
        """Return a request for ``url`` with our callbacks; entry pages are fetched first."""
        return scrapy.Request(
            url,
            callback=self.parse,
            errback=self.on_error,
            meta={"entry": entry, "source": source, **meta},
            priority=5 if entry else 0,
        )

    def follow(
        self,
        response: Response,
        links: Iterable[tuple[str, str | None]],
        *,
        canonical: bool = False,
    ) -> Iterator[scrapy.Request]:
        """Yield requests for the links (URL, date or None) this response's source wants.

        A link is followed when it is on one of the source's sites, crawlable, within the
        source's depth and patterns, and not skipped by the incremental rules. ``canonical``
        links (from :func:`crawler.page.discovery.html_links`) are crawlable and canonical already.
        """
        source = self.sources[response.meta["source"]]
        stats = self.crawler.stats
        if response.meta.get("depth", 0) + 1 > self.depth_of(source):
            stats.inc_value("newsdedup/skipped/depth")
            return
        run = run_for(self.crawler)
        sites = self.sites_of(source)
        for link, date in links:
            if canonical:
                url = link
            elif discovery.is_crawlable(link):
                url = canonicalize(link)
            else:
                continue
            if site_of(url) not in sites:
                continue
            if not source.wants(url):
                stats.inc_value("newsdedup/skipped/pattern")
                continue
            if run is not None:
                reason = run.freshness.skip_reason(date, run.state.seen(url))
                if reason is not None:
                    stats.inc_value(f"newsdedup/skipped/{reason}")
                    run.count(source.name, f"skipped_{reason}")
                    continue
            yield self.request(url, source.name)

    def follow_listings(self, response: Response, urls: Iterable[str]) -> Iterator[scrapy.Request]:
        """Yield requests for feeds and sitemaps on the source's sites: always fetched (they
        are where new articles appear; conditional requests make unchanged ones cheap)."""
        source = self.sources[response.meta["source"]]
        sites = self.sites_of(source)
        for url in urls:
            if discovery.is_crawlable(url) and site_of(url) in sites:
                yield self.request(canonicalize(url), source.name)

    # ------------------------------------------------------------------ responses

    async def parse(self, response: Response, **kwargs: Any) -> AsyncIterator[Any]:
        fetched_at = now_iso()
        source = response.meta.get("source")
        if response.status == 304:
            self.crawler.stats.inc_value("newsdedup/not_modified")
            run = run_for(self.crawler)
            if run is not None:
                run.count(source, "not_modified")
            yield FetchRecord(
                url=response.url,
                status=304,
                outcome="unchanged",
                reason="not_modified",
                fetched_at=fetched_at,
                detail="not modified since the last complete run",
                source=source,
            )
            return
        content_type = response.headers.get(b"Content-Type", b"").decode("latin-1")
        kind = discovery.sniff_kind(response.body, content_type)
        self.crawler.stats.inc_value(f"newsdedup/responses/{kind.value}")
        if kind is Kind.FEED:
            entries = discovery.parse_feed(response.body, response.url)
            for request in self.follow(response, [(e.url, e.published) for e in entries]):
                yield request
        elif kind in (Kind.SITEMAP, Kind.SITEMAP_INDEX):
            for output in self.parse_sitemap_body(response):
                yield output
        elif kind is Kind.HTML:
            result = await self.process_html(response)
            for output in self.parse_html(response, result, fetched_at):
                yield output
        else:
            yield FetchRecord(
                url=response.url,
                status=response.status,
                outcome="rejected",
                reason="not_html",
                fetched_at=fetched_at,
                detail=f"Content-Type {content_type or 'missing'}: not an HTML page",
                source=source,
            )

    def parse_sitemap_body(self, response: Response) -> Iterator[Any]:
        try:
            pages, sitemaps = discovery.parse_sitemap(response.body, response.url)
        except ValueError as exc:
            yield FetchRecord(
                response.url,
                response.status,
                "error",
                "bad_sitemap",
                now_iso(),
                str(exc),
                response.meta.get("source"),
            )
            return
        yield from self.follow_listings(response, sitemaps)
        yield from self.follow(response, [(page.url, page.published) for page in pages])

    async def process_html(self, response: Response) -> PageResult:
        """Have a worker parse the page once: its links, article or reason, and signature.

        Waits (without blocking the reactor) while the workers have their fill of pages. Links
        are only looked for when the page's source goes deeper than this page.
        """
        if self.pages is None:
            raise RuntimeError("the page workers are closed; the spider is closing")
        if self._pages_ready is not None:
            await self._pages_ready
        source = self.sources.get(response.meta.get("source", ""))
        depth = response.meta.get("depth", 0)
        links = source is None or depth + 1 <= self.depth_of(source)
        encoding = getattr(response, "encoding", None)
        return await self.pages.process(response.body, response.url, encoding, links=links)

    def parse_html(self, response: Response, result: PageResult, fetched_at: str) -> Iterator[Any]:
        """Yield the requests for a processed page's links, then the page itself.

        The page's body goes on only when the worker did not keep it already: the pipelines
        need nothing else of it, and the crawl process holds it no longer than it must.
        """
        yield from self.follow_listings(response, result.links.feeds)
        yield from self.follow(
            response, [(url, None) for url in result.links.pages], canonical=True
        )
        kept = result.html_zlib is not None or result.article is None
        yield PageItem(
            url=response.url,
            status=response.status,
            body=b"" if kept else response.body,
            encoding=getattr(response, "encoding", None),
            fetched_at=fetched_at,
            source=response.meta.get("source"),
            result=result,
        )

    # ------------------------------------------------------------------ robots.txt

    def robots_parsed(self, robotparser: Any, request: scrapy.Request) -> None:
        """Schedule the sitemaps a robots.txt names (Scrapy's robots middleware read it)."""
        parts = urlsplit(request.url)
        root = f"{parts.scheme}://{parts.netloc}"
        source = next(
            (s for s in self.sources.values() if site_of(root) in s.sites),
            None,
        )
        if source is None or root in self._robots_done or self.crawler.engine is None:
            return
        self._robots_done.add(root)
        # Protego (Scrapy's default parser) keeps the Sitemap lines; other parsers may not.
        listed = list(getattr(getattr(robotparser, "rp", None), "sitemaps", ()) or ())
        for sitemap in listed:
            url = canonicalize(sitemap)
            if discovery.is_crawlable(url) and site_of(url) in self.sites_of(source):
                self.crawler.engine.crawl(self.request(url, source.name))

    def parse_robots(self, response: Response) -> Iterator[Any]:
        source = self.sources.get(response.meta.get("source", ""))
        if source is None:
            return
        for sitemap in discovery.sitemaps_from_robots(response.body, response.url):
            if site_of(sitemap) in self.sites_of(source):
                yield self.request(canonicalize(sitemap), source.name)

    def on_robots_error(self, failure: Failure) -> None:
        # A site without robots.txt simply has no sitemaps to announce there.
        self.logger.debug("no robots.txt: %s", failure.value)

    # ------------------------------------------------------------------ errors

    def on_error(self, failure: Failure) -> Iterator[FetchRecord]:
        request = failure.request  # type: ignore[attr-defined]
        reason, status, detail = failure_reason(failure, request.url)
        # A failure after redirects is logged under the URL that was linked, the one a later
        # run would follow again.
        redirects = request.meta.get("redirect_urls") or []
        url = redirects[0] if redirects else request.url
        if redirects and request.url not in detail:
            detail = f"{detail} (after redirects to {request.url})"
        outcome = "rejected" if reason == "robots_txt" else "error"
        kind = "rejected" if outcome == "rejected" else "errors"
        self.crawler.stats.inc_value(f"newsdedup/{kind}/{reason}")
        if request.meta.get("entry"):
            self.crawler.stats.inc_value("newsdedup/entry_errors")
        yield FetchRecord(
            url, status, outcome, reason, now_iso(), detail, request.meta.get("source")
        )


def _fields(source: Source) -> dict[str, Any]:
    return {
        "name": source.name,
        "urls": source.urls,
        "allow": source.allow,
        "deny": source.deny,
        "depth": source.depth,
        "language": source.language,
        "download_delay": source.download_delay,
        "enabled": source.enabled,
    }
