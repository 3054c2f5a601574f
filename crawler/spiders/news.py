"""The ``news`` spider: from homepages, sections, feeds and sitemaps to article pages.

The spider only decides what to fetch. Every HTML page it meets is parsed once by the crawl's
page pool (:class:`crawler.extensions.PagePoolExtension`: links, article or rejection, from the
same parse); the spider follows the links and hands the result on as a ``PageItem``, and the
pipelines store it. The reactor never parses a page, so downloads go on while every core
extracts.

What to crawl comes from a sources file (``NEWSDEDUP_SOURCES``) and/or start URLs (``-a urls=``,
``NEWSDEDUP_START_URLS``); start URLs given that way form one source per site. Runs are
incremental: links to articles already stored are not followed (unless ``NEWSDEDUP_REFRESH``),
feed and sitemap entries dated before ``NEWSDEDUP_SINCE`` or before the last fetch of their page
are skipped, and a page answering ``304 Not Modified`` is not followed again.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Iterator
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.http import Response
from scrapy.settings import SETTINGS_PRIORITIES, BaseSettings
from twisted.python.failure import Failure

from crawler import safety
from crawler.extensions import PagePoolExtension, run_for
from crawler.failures import failure_reason
from crawler.items import FetchRecord, PageItem
from crawler.page import discovery
from crawler.page.discovery import Kind
from crawler.page.process import PageResult
from crawler.politeness import set_min_delay
from crawler.sources import Source, crawl_sources, deepest_depth, split_urls
from crawler.urls import canonicalize, site_of
from storage.connection import utc_now
from storage.outcomes import ERROR, NOT_HTML, REJECTED, ROBOTS_TXT, UNCHANGED


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
        self.pages: PagePoolExtension | None = None

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
        deepest = deepest_depth(
            settings.get("NEWSDEDUP_SOURCES"), settings.getlist("NEWSDEDUP_ONLY")
        )
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
        spider.pages = PagePoolExtension.of(crawler)
        crawler.signals.connect(spider.robots_parsed, signal=signals.robots_parsed)
        return spider

    # ------------------------------------------------------------------ what to crawl

    def load_sources(self) -> dict[str, Source]:
        """The sources of this crawl (see :func:`crawler.sources.crawl_sources`).

        Raises ``SourcesError`` or ``BadStartURL`` with a message naming the mistake.
        """
        settings = self.settings
        urls = split_urls(self._urls_arg) + split_urls(settings.getlist("NEWSDEDUP_START_URLS"))
        return crawl_sources(
            settings.get("NEWSDEDUP_SOURCES"),
            settings.getlist("NEWSDEDUP_ONLY"),
            urls,
            self._source_arg,
        )

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
        if self.pages is not None:
            # The page processes are up before the first download: pages downloaded meanwhile
            # would only pile up waiting for them.
            await self.pages.wait_ready()
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
        fetched_at = utc_now()
        source = response.meta.get("source")
        if response.status == 304:
            self.crawler.stats.inc_value("newsdedup/not_modified")
            run = run_for(self.crawler)
            if run is not None:
                run.count(source, "not_modified")
            yield FetchRecord(
                url=response.url,
                status=304,
                outcome=UNCHANGED,
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
                outcome=REJECTED,
                reason=NOT_HTML,
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
                ERROR,
                "bad_sitemap",
                utc_now(),
                str(exc),
                response.meta.get("source"),
            )
            return
        yield from self.follow_listings(response, sitemaps)
        yield from self.follow(response, [(page.url, page.published) for page in pages])

    async def process_html(self, response: Response) -> PageResult:
        """Have a page process parse the page once: its links, article or reason, and signature.

        Waits (without blocking the reactor) while the page processes have their fill of pages.
        Links are only looked for when the page's source goes deeper than this page.
        """
        if self.pages is None:
            raise RuntimeError("the spider has no page pool; it was not made by from_crawler")
        source = self.sources.get(response.meta.get("source", ""))
        depth = response.meta.get("depth", 0)
        links = source is None or depth + 1 <= self.depth_of(source)
        encoding = getattr(response, "encoding", None)
        return await self.pages.process(response.body, response.url, encoding, links=links)

    def parse_html(self, response: Response, result: PageResult, fetched_at: str) -> Iterator[Any]:
        """Yield the requests for a processed page's links, then the page itself.

        The page's body goes on only when its page process did not keep it already: the pipelines
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
        outcome = REJECTED if reason == ROBOTS_TXT else ERROR
        kind = "rejected" if outcome == REJECTED else "errors"
        self.crawler.stats.inc_value(f"newsdedup/{kind}/{reason}")
        if request.meta.get("entry"):
            self.crawler.stats.inc_value("newsdedup/entry_errors")
        yield FetchRecord(
            url, status, outcome, reason, utc_now(), detail, request.meta.get("source")
        )
