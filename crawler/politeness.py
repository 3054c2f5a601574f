"""Being kind to sites: robots.txt Crawl-delay, per-source delays, Retry-After and backoff.

Scrapy keeps one download slot per host with its own delay. A minimum delay for a host (from
robots.txt ``Crawl-delay`` or a source's ``download_delay``) is written into the downloader's
per-slot settings, which Scrapy applies to the slot, and AutoThrottle here never goes below it.
Retries of 429/5xx answers wait for the server's ``Retry-After`` (or an exponential backoff) and
pause the whole host meanwhile, not only the one request.
"""

from __future__ import annotations

import logging
import time
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.extensions.throttle import AutoThrottle
from scrapy.http import Response
from scrapy.utils.asyncio import call_later
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet import task

logger = logging.getLogger(__name__)


def set_min_delay(crawler: Crawler, host: str, delay: float, *, strict: bool = False) -> None:
    """Make requests to ``host`` at least ``delay`` seconds apart from now on.

    ``strict`` also turns off the random jitter for the host, so the delay is never shortened
    (robots.txt Crawl-delay is a rule, a configured delay a wish).
    """
    engine = crawler.engine
    if engine is None or delay <= 0:
        return
    downloader = engine.downloader
    conf = downloader.per_slot_settings.setdefault(host, {})
    conf["delay"] = max(float(conf.get("delay", 0.0)), delay)
    if strict:
        conf["jitter"] = 0.0
    slot = downloader.slots.get(host)
    if slot is not None:
        slot.delay = max(slot.delay, conf["delay"])
        if strict:
            slot.jitter = 0.0


def min_delay(crawler: Crawler, host: str | None) -> float:
    """The minimum delay set for ``host`` with :func:`set_min_delay` (0 when none)."""
    if crawler.engine is None or host is None:
        return 0.0
    return float(crawler.engine.downloader.per_slot_settings.get(host, {}).get("delay", 0.0))


class RobotsCrawlDelay:
    """Honour ``Crawl-delay`` from robots.txt, capped at ``NEWSDEDUP_MAX_CRAWL_DELAY``."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.cap = crawler.settings.getfloat("NEWSDEDUP_MAX_CRAWL_DELAY")
        self.user_agent = crawler.settings.get("ROBOTSTXT_USER_AGENT") or crawler.settings.get(
            "USER_AGENT"
        )
        crawler.signals.connect(self.robots_parsed, signal=signals.robots_parsed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RobotsCrawlDelay:
        return cls(crawler)

    def robots_parsed(self, robotparser: Any, request: Request) -> None:
        delay = robotparser.crawl_delay(self.user_agent)
        if not delay:
            return
        host = urlsplit(request.url).hostname or ""
        if delay > self.cap:
            logger.warning(
                "%s asks for a Crawl-delay of %g s; using NEWSDEDUP_MAX_CRAWL_DELAY (%g s)",
                host,
                delay,
                self.cap,
            )
            delay = self.cap
        self.crawler.stats.set_value(f"newsdedup/crawl_delay/{host}", delay)
        set_min_delay(self.crawler, host, float(delay), strict=True)


class Throttle(AutoThrottle):
    """AutoThrottle that never goes below a host's minimum delay (Crawl-delay, source delay)."""

    def _response_downloaded(self, response: Response, request: Request, spider: Any) -> None:
        super()._response_downloaded(response, request, spider)
        key, slot = self._get_slot(request, spider)
        if slot is not None:
            slot.delay = max(slot.delay, min_delay(self.crawler, key))


def retry_after_seconds(value: bytes | str | None, now: float | None = None) -> float | None:
    """Seconds a ``Retry-After`` header asks to wait (delta-seconds or HTTP-date), or None."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


class PoliteRetryMiddleware(RetryMiddleware):
    """Scrapy's retries, waiting first: ``Retry-After`` when the server gives one, else an
    exponential backoff (``NEWSDEDUP_RETRY_BACKOFF`` × 2^n). A 429 or 503 pauses the host.

    A ``Retry-After`` longer than ``NEWSDEDUP_RETRY_AFTER_MAX`` is not waited for: the request
    fails with the server's answer, and the next run tries again.
    """

    def __init__(self, settings: Any) -> None:
        super().__init__(settings)
        self.backoff = settings.getfloat("NEWSDEDUP_RETRY_BACKOFF")
        self.max_wait = settings.getfloat("NEWSDEDUP_RETRY_AFTER_MAX")
        self.paused: dict[str, float] = {}  # host -> monotonic time before which it rests

    async def process_request(self, request: Request) -> None:
        host = urlsplit(request.url).hostname or ""
        # retry_not_before is wall-clock time: in distributed mode the retry goes through the
        # shared queue and may be taken by a worker on another machine, with another monotonic
        # clock.
        wait = max(
            request.meta.get("retry_not_before", 0.0) - time.time(),
            self.paused.get(host, 0.0) - time.monotonic(),
        )
        if wait > 0:
            # Imported here: importing the reactor at module level would install Twisted's
            # default one before Scrapy installs the asyncio reactor.
            from twisted.internet import reactor

            await maybe_deferred_to_future(task.deferLater(reactor, wait))

    def process_response(self, request: Request, response: Response) -> Request | Response:
        if request.meta.get("dont_retry") or response.status not in self.retry_http_codes:
            return response
        asked = retry_after_seconds(response.headers.get(b"Retry-After"))
        retries = request.meta.get("retry_times", 0)
        wait = asked if asked is not None else self.backoff * 2**retries
        if wait > self.max_wait:
            if asked is not None:
                self.crawler.stats.inc_value("newsdedup/retry_after_too_long")
                logger.warning(
                    "%s answered %d with Retry-After %g s, over NEWSDEDUP_RETRY_AFTER_MAX "
                    "(%g s): not retrying in this run",
                    request.url,
                    response.status,
                    asked,
                    self.max_wait,
                )
                return response
            wait = self.max_wait
        retry = self._retry(request, f"{response.status} (waiting {wait:g} s)")
        if retry is None:
            return response
        self._delay(retry, wait, pause_host=response.status in (429, 503))
        return retry

    def process_exception(self, request: Request, exception: Exception) -> Any:
        retry = super().process_exception(request, exception)
        if isinstance(retry, Request):
            self._delay(
                retry, min(self.backoff * 2 ** request.meta.get("retry_times", 0), self.max_wait)
            )
        return retry

    def _delay(self, retry: Request, wait: float, *, pause_host: bool = False) -> None:
        retry.meta["retry_not_before"] = time.time() + wait
        if pause_host:
            host = urlsplit(retry.url).hostname or ""
            self.paused[host] = max(self.paused.get(host, 0.0), time.monotonic() + wait)
            self._hold_slot(retry, wait)
        self.crawler.stats.inc_value("newsdedup/retry_waits")

    def _hold_slot(self, request: Request, wait: float) -> None:
        """Hold back the requests already queued in the host's download slot for ``wait`` s.

        :meth:`process_request` only stops requests that have not reached the downloader yet;
        up to CONCURRENT_REQUESTS more may be waiting in the slot's queue. The downloader sends
        none of them while the slot has a pending ``latercall``.
        """
        engine = self.crawler.engine
        if engine is None:
            return
        downloader = engine.downloader
        slot = downloader.slots.get(downloader.get_slot_key(request))
        if slot is None:
            return
        if slot.latercall is not None:
            slot.latercall.cancel()
        slot.latercall = call_later(wait, downloader._latercall, slot)


__all__ = [
    "PoliteRetryMiddleware",
    "RobotsCrawlDelay",
    "Throttle",
    "min_delay",
    "retry_after_seconds",
    "set_min_delay",
]
