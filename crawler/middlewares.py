"""Downloader middlewares: robots.txt for every waiting request, conditional requests, charsets,
meta refresh.

The address guards are in :mod:`crawler.safety`, retries in :mod:`crawler.politeness`.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.http import HtmlResponse, Response
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred

from crawler.extensions import run_for
from crawler.page.charset import choose_encoding

logger = logging.getLogger(__name__)

NOT_MODIFIED = 304
# Scrapy looks for a refresh in the first 4,096 characters of a page; in UTF-8 and every other
# ASCII-compatible encoding a character takes at most four bytes.
_HEAD_BYTES = 4 * 4096


class _NetworkErrorsWithoutTraceback(logging.Filter):
    """A robots.txt that cannot be downloaded (refused, unresolvable, timed out) is the site's
    state, not a fault of ours: Scrapy logs it with a traceback, which says nothing more than
    its one-line message. Other errors keep theirs."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        kind = type(error)
        # Newer Scrapy wraps Twisted's network errors in scrapy.exceptions.Download*Error.
        if error is not None and (
            isinstance(error, OSError)
            or kind.__module__.startswith("twisted.")
            or (kind.__module__ == "scrapy.exceptions" and kind.__name__.startswith("Download"))
        ):
            record.exc_info = None
            record.exc_text = None
        return True


_ROBOTS_LOG = logging.getLogger(RobotsTxtMiddleware.__module__)
if not any(isinstance(f, _NetworkErrorsWithoutTraceback) for f in _ROBOTS_LOG.filters):
    _ROBOTS_LOG.addFilter(_NetworkErrorsWithoutTraceback())


def _is_robots(url: str) -> bool:
    return url.split("?", 1)[0].endswith("/robots.txt")


class WaitingRobotsTxtMiddleware(RobotsTxtMiddleware):
    """Scrapy's robots.txt middleware, with the parser given to every request that waited for it.

    Scrapy's keeps one Deferred per host while robots.txt downloads, and every waiting request
    awaits it; but awaiting a Deferred from asyncio replaces its result with None, so only the
    first waiter gets the parser and the others are let through unchecked: a third start URL on
    one site, or a distributed worker taking a host's links from the shared queue before it has
    read that host's robots.txt, fetched disallowed pages.
    """

    async def robot_parser(self, request: Request) -> Any:
        parser = await super().robot_parser(request)
        # Set before the Deferred fires: the parser, or None when robots.txt could not be read.
        settled = self._parsers.get(urlparse_cached(request).netloc)
        return parser if isinstance(settled, Deferred) else settled


class ConditionalRequestsMiddleware:
    """Ask with the validators of the last complete run; remember the ones servers send.

    A ``304 Not Modified`` answer reaches the spider (not its errback), which then knows the page
    and everything it links to were dealt with by an earlier run. robots.txt is always fetched
    in full: Scrapy's robots middleware would read an empty 304 body as "allow everything".
    With ``NEWSDEDUP_REFRESH`` no validators are sent.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.refresh = crawler.settings.getbool("NEWSDEDUP_REFRESH")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ConditionalRequestsMiddleware:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        if self.refresh or _is_robots(request.url) or request.meta.get("unconditional"):
            return
        run = run_for(self.crawler)
        found = run.state.validators(request.url) if run is not None else None
        if found is None:
            return
        etag, last_modified = found
        if etag:
            request.headers.setdefault(b"If-None-Match", etag.encode("latin-1"))
        if last_modified:
            request.headers.setdefault(b"If-Modified-Since", last_modified.encode("latin-1"))
        allowed = list(request.meta.get("handle_httpstatus_list", []))
        if NOT_MODIFIED not in allowed:
            request.meta["handle_httpstatus_list"] = [*allowed, NOT_MODIFIED]

    def process_response(self, request: Request, response: Response) -> Response:
        if response.status != 200 or _is_robots(request.url):
            return response
        etag = response.headers.get(b"ETag")
        last_modified = response.headers.get(b"Last-Modified")
        run = run_for(self.crawler)
        if (etag or last_modified) and run is not None and run.run_id is not None:
            run.state.remember_validators(
                request.url,
                etag.decode("latin-1") if etag else None,
                last_modified.decode("latin-1") if last_modified else None,
                run.run_id,
            )
        return response


class CharsetMiddleware:
    """Give every HTML response the encoding its bytes agree with (see ``crawler.page.charset``).

    Scrapy trusts the HTTP header first and the meta tag next without checking either against
    the bytes; a page whose declaration lies would be decoded into mojibake.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CharsetMiddleware:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        if not isinstance(response, HtmlResponse) or not response.body:
            return response
        encoding, how = choose_encoding(response.body, response.headers.get(b"Content-Type"))
        if self.stats is not None:
            self.stats.inc_value(f"newsdedup/charset/{how}")
        if how in ("detected", "fallback"):
            logger.debug("%s: encoding %s (%s)", response.url, encoding, how)
        return _with_encoding(response, encoding)


def _with_encoding(response: HtmlResponse, encoding: str) -> HtmlResponse:
    """``response.replace(encoding=encoding)`` without working out the encoding it replaces.

    ``replace`` reads every attribute of the old response, its ``encoding`` too, and a page
    served without a charset in its Content-Type then has its meta tags scanned, or the whole
    body decoded, for an answer that is thrown away.
    """
    kwargs = {name: getattr(response, name) for name in response.attributes if name != "encoding"}
    return type(response)(encoding=encoding, **kwargs)


class HeadMetaRefreshMiddleware(MetaRefreshMiddleware):
    """Scrapy's ``MetaRefreshMiddleware``, skipped for pages that cannot hold a refresh.

    Scrapy reads the refresh from ``response.text[:4096]``, which decodes the whole page first
    and keeps the text on the response for as long as the response lives: on news pages, the
    largest use of the crawl process's memory, and a full decode of every page. A refresh needs
    the word "refresh" in those first characters, so a page whose opening bytes lack it, in any
    case, is passed on as it is. Pages with NUL bytes there (UTF-16 or UTF-32, where the word is
    not spelled in ASCII bytes) get Scrapy's check as before.
    """

    def process_response(self, request: Request, response: Response) -> Request | Response:
        if isinstance(response, HtmlResponse):
            head = response.body[:_HEAD_BYTES]
            if b"\x00" not in head and b"refresh" not in head.lower():
                return response
        return super().process_response(request, response)


__all__ = [
    "CharsetMiddleware",
    "ConditionalRequestsMiddleware",
    "HeadMetaRefreshMiddleware",
    "WaitingRobotsTxtMiddleware",
]
