"""The ``news`` spider: from homepages, sections, feeds and sitemaps to article pages.

The spider only decides what to fetch. Every HTML page it meets goes out as a ``PageItem``;
the pipelines decide whether it is an article, clean it, deduplicate it and store it.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from datetime import datetime, timezone
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Response
from scrapy.settings import SETTINGS_PRIORITIES, BaseSettings
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import (
    ConnectionRefusedError,
    DNSLookupError,
    TCPTimedOutError,
    TimeoutError,
)
from twisted.python.failure import Failure

from crawler import discovery
from crawler.discovery import Kind
from crawler.items import FetchRecord, PageItem
from crawler.urls import canonicalize, site_of


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


_FAILURE_REASONS = (
    (DNSLookupError, "dns_error"),
    (ConnectionRefusedError, "connection_refused"),
    (TimeoutError, "timeout"),
    (TCPTimedOutError, "timeout"),
)


class NewsSpider(scrapy.Spider):
    """Discover and fetch news articles from the given start URLs."""

    name = "news"

    def __init__(self, urls: str | None = None, source: str | None = None, **kwargs: Any):
        super().__init__(**kwargs)
        self._urls_arg = urls
        self.source = source
        self.allowed_sites: set[str] = set()

    @classmethod
    def update_settings(cls, settings: BaseSettings) -> None:
        super().update_settings(settings)
        # The contact may be overridden alone (-s NEWSDEDUP_CONTACT=...); keep the User-Agent
        # naming it unless the User-Agent itself was set on the command line.
        if (settings.getpriority("USER_AGENT") or 0) < SETTINGS_PRIORITIES["cmdline"]:
            contact = settings.get("NEWSDEDUP_CONTACT")
            settings.set("USER_AGENT", f"newsdedup/0.1 (+{contact})", priority="spider")

    def start_urls_checked(self) -> list[str]:
        """Return the start URLs from ``-a urls=`` and ``NEWSDEDUP_START_URLS``, checked."""
        urls = split_urls(self._urls_arg) + split_urls(
            self.settings.getlist("NEWSDEDUP_START_URLS")
        )
        return [check_start_url(url) for url in dict.fromkeys(urls)]

    async def start(self) -> AsyncIterator[Any]:
        urls = self.start_urls_checked()
        if not urls:
            self.logger.error("no start URLs: pass -a urls=https://... or set NEWSDEDUP_START_URLS")
            return
        self.allowed_sites = {site_of(url) for url in urls}
        self.allowed_sites.update(self.settings.getlist("NEWSDEDUP_ALLOWED_SITES"))
        roots = {}
        for url in urls:
            parts = urlsplit(url)
            roots.setdefault(f"{parts.scheme}://{parts.netloc}", url)
        for url in urls:
            yield self.request(url, entry=True)
        for root in roots:
            yield scrapy.Request(
                f"{root}/robots.txt",
                callback=self.parse_robots,
                errback=self.on_robots_error,
                meta={"dont_obey_robotstxt": True},
                priority=10,
            )

    def request(self, url: str, entry: bool = False, **meta: Any) -> scrapy.Request:
        """Return a request for ``url`` with our callbacks; entry pages are fetched first."""
        return scrapy.Request(
            url,
            callback=self.parse,
            errback=self.on_error,
            meta={"entry": entry, **meta},
            priority=5 if entry else 0,
        )

    def follow(self, urls: list[str]) -> Iterator[scrapy.Request]:
        """Yield requests for the crawlable same-site URLs among ``urls``."""
        for url in discovery.same_site(urls, self.allowed_sites):
            if discovery.is_crawlable(url):
                yield self.request(canonicalize(url))

    def parse(self, response: Response, **kwargs: Any) -> Iterator[Any]:
        fetched_at = now_iso()
        content_type = response.headers.get(b"Content-Type", b"").decode("latin-1")
        kind = discovery.sniff_kind(response.body, content_type)
        self.crawler.stats.inc_value(f"newsdedup/responses/{kind.value}")
        if kind is Kind.FEED:
            entries = discovery.parse_feed(response.body, response.url)
            yield from self.follow([entry.url for entry in entries])
        elif kind in (Kind.SITEMAP, Kind.SITEMAP_INDEX):
            yield from self.parse_sitemap_body(response)
        elif kind is Kind.HTML:
            yield from self.parse_html(response, fetched_at)
        else:
            yield FetchRecord(
                url=response.url,
                status=response.status,
                outcome="rejected",
                reason="not_html",
                fetched_at=fetched_at,
                detail=f"Content-Type {content_type or 'missing'}: not an HTML page",
                source=self.source,
            )

    def parse_sitemap_body(self, response: Response) -> Iterator[Any]:
        try:
            pages, sitemaps = discovery.parse_sitemap(response.body, response.url)
        except ValueError as exc:
            yield FetchRecord(
                response.url, response.status, "error", "bad_sitemap", now_iso(), str(exc)
            )
            return
        for sitemap in discovery.same_site(sitemaps, self.allowed_sites):
            yield self.request(sitemap)
        yield from self.follow([page.url for page in pages])

    def parse_html(self, response: Response, fetched_at: str) -> Iterator[Any]:
        encoding = getattr(response, "encoding", None)
        links = discovery.html_links(response.body, response.url, encoding)
        for feed in discovery.same_site(links.feeds, self.allowed_sites):
            yield self.request(feed)
        yield from self.follow(links.pages)
        yield PageItem(
            url=response.url,
            status=response.status,
            body=response.body,
            encoding=encoding,
            fetched_at=fetched_at,
            source=self.source,
        )

    def parse_robots(self, response: Response) -> Iterator[Any]:
        for sitemap in discovery.sitemaps_from_robots(response.body, response.url):
            if site_of(sitemap) in self.allowed_sites:
                yield self.request(sitemap)

    def on_robots_error(self, failure: Failure) -> None:
        # A site without robots.txt simply has no sitemaps to announce there.
        self.logger.debug("no robots.txt: %s", failure.value)

    def on_error(self, failure: Failure) -> Iterator[FetchRecord]:
        request = failure.request  # type: ignore[attr-defined]
        status = None
        if failure.check(HttpError):
            status = failure.value.response.status
            reason = f"http_{status}"
            detail = f"the server answered HTTP {status}"
        else:
            reason = next(
                (name for exc, name in _FAILURE_REASONS if failure.check(exc)), "download_error"
            )
            detail = str(failure.value) or failure.type.__name__
        self.crawler.stats.inc_value(f"newsdedup/errors/{reason}")
        if request.meta.get("entry"):
            self.crawler.stats.inc_value("newsdedup/entry_errors")
        yield FetchRecord(request.url, status, "error", reason, now_iso(), detail, self.source)
