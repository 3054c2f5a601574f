"""Scrapy extensions of a crawl: its state in the store, its WARC export and its page pool.

The :class:`CrawlStateExtension` holds the lock on the store for the whole crawl, records the run
when the spider opens and closes it when the spider closes (a run killed half way stays
``running`` until the next one marks it ``interrupted``). It listens to Scrapy's signals to
count each source's requests and outcomes and to remember final answers (rejected pages, pages
that are gone, variant URLs of stored articles) so later runs need not ask again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import queue
import threading
import weakref
from collections import Counter
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta, timezone
from typing import Any

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from scrapy.settings import BaseSettings
from scrapy.utils.misc import load_object

from crawler import schedule
from crawler import settings as defaults
from crawler.archive.captures import MissingDependency
from crawler.archive.warc import DEFAULT_MAX_MB, DEFAULT_PREFIX, WarcFileWriter
from crawler.errors import ConfigError
from crawler.freshness import Freshness, parse_since
from crawler.items import ArticleItem, FetchRecord
from crawler.page.pool import PagePool
from crawler.page.process import PageResult
from crawler.sources import Source
from crawler.urls import canonicalize
from storage.crawlstate import CrawlState
from storage.lock import CrawlLock
from storage.outcomes import ERROR, GONE, GONE_REASONS, REJECTED, STORED

logger = logging.getLogger(__name__)

# Seconds the page processes get to stop when the spider closes.
PAGES_CLOSE_TIMEOUT = 30.0
# Responses waiting for the WARC writer thread; past this the crawl waits for the disk.
WARC_QUEUE_SIZE = 256


class CrawlRun:
    """The crawl state of one running crawl, shared by the spider, middlewares and extension."""

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        self.db_path: str = settings.get("NEWSDEDUP_DB")
        self.freshness = Freshness(
            refresh=settings.getbool("NEWSDEDUP_REFRESH"),
            since=parse_since(settings.get("NEWSDEDUP_SINCE")),
            gone_wait=timedelta(days=settings.getfloat("NEWSDEDUP_GONE_WAIT_DAYS")),
            gone_wait_max=timedelta(days=settings.getfloat("NEWSDEDUP_GONE_WAIT_MAX_DAYS")),
        )
        self.state = CrawlState.open(self.db_path)
        self.run_id: int | None = None
        self.counts: dict[str, Counter[str]] = {}
        self.answered: set[str] = set()
        # Sources whose start pages this process asked for. In distributed mode another worker
        # may fetch them all, and this shard has nothing to say of that source's run.
        self.tried: set[str] = set()
        self.shared = bool(settings.get("NEWSDEDUP_REDIS_URL"))
        self.settings = settings
        # When the visits of this run started, on the scheduling clock (NEWSDEDUP_NOW).
        self.started = schedule.now(settings)

    def begin(self, sources: list[str]) -> None:
        if self.run_id is None:
            self.run_id = self.state.begin_run(sources)
            for name in sources:
                self.counts.setdefault(name, Counter())

    def count(self, source: str | None, what: str, n: int = 1) -> None:
        if source is not None:
            self.counts.setdefault(source, Counter())[what] += n

    def finish(
        self, reason: str, stats: dict[str, Any], crawled: Mapping[str, Source] | None = None
    ) -> None:
        if self.run_id is None:
            return
        status = "finished" if reason == "finished" else reason
        wanted = {k: v for k, v in stats.items() if k.startswith("newsdedup/") or "count" in k}
        sources = {
            name: dict(counts)
            for name, counts in self.counts.items()
            if name in self.tried or not self.shared
        }
        self.state.finish_run(self.run_id, status, wanted, sources, self.answered)
        if crawled:
            complete = self.answered if status == "finished" else set()
            schedule.record_visits(
                self.state.conn, crawled, sources, complete, self.started, self.settings
            )
        self.run_id = None

    def close(self) -> None:
        self.state.close()


_RUNS: weakref.WeakKeyDictionary[Crawler, CrawlRun] = weakref.WeakKeyDictionary()


def run_for(crawler: Crawler) -> CrawlRun | None:
    """The :class:`CrawlRun` of ``crawler`` (opened on first use), or None without a store."""
    run = _RUNS.get(crawler)
    if run is None and crawler.settings.get("NEWSDEDUP_DB"):
        run = _RUNS[crawler] = CrawlRun(crawler)
    return run


def redirected_from(response: Any) -> list[str]:
    """The URLs (canonical) that redirected to ``response``: the links a later run will meet."""
    try:
        chain = response.meta.get("redirect_urls") or []
    except AttributeError:  # no response, or one not tied to a request
        return []
    return [canonicalize(url) for url in chain]


class CrawlStateExtension:
    """Lock the store, record the run, count per source, remember final answers."""

    def __init__(self, crawler: Crawler) -> None:
        db_path = crawler.settings.get("NEWSDEDUP_DB")
        if not db_path:
            raise NotConfigured("NEWSDEDUP_DB is empty: no store to keep crawl state in")
        self.crawler = crawler
        # Taken here, before any pipeline opens the store: a second crawl stops at once.
        self.lock = CrawlLock(db_path).acquire(crawler.settings.getfloat("NEWSDEDUP_LOCK_WAIT"))
        connect = crawler.signals.connect
        connect(self.spider_opened, signal=signals.spider_opened)
        connect(self.spider_closed, signal=signals.spider_closed)
        connect(self.request_reached_downloader, signal=signals.request_reached_downloader)
        connect(self.response_received, signal=signals.response_received)
        connect(self.item_scraped, signal=signals.item_scraped)
        connect(self.item_dropped, signal=signals.item_dropped)
        connect(self.item_error, signal=signals.item_error)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlStateExtension:
        return cls(crawler)

    @property
    def run(self) -> CrawlRun | None:
        return run_for(self.crawler)

    def spider_opened(self, spider: Any) -> None:
        run = self.run
        if run is not None:
            run.begin(list(getattr(spider, "source_names", lambda: [])()))

    def spider_closed(self, spider: Any, reason: str) -> None:
        run = _RUNS.pop(self.crawler, None)
        try:
            if run is not None:
                stats = self.crawler.stats.get_stats() if self.crawler.stats else {}
                run.finish(reason, stats, getattr(spider, "sources", None))
                run.close()
                logger.info("crawl run closed: %s", reason)
        finally:
            self.lock.release()

    def request_reached_downloader(self, request: Request, spider: Any) -> None:
        run = self.run
        source = request.meta.get("source")
        if run is not None and request.meta.get("entry") and source is not None:
            run.tried.add(source)

    def response_received(self, response: Response, request: Request, spider: Any) -> None:
        run = self.run
        if run is None:
            return
        source = request.meta.get("source")
        run.count(source, "responses")
        if request.meta.get("entry") and response.status < 400 and source is not None:
            run.answered.add(source)

    def item_scraped(self, item: Any, response: Any, spider: Any) -> None:
        run = self.run
        if run is None or not isinstance(item, ArticleItem):
            return
        run.count(item.source, f"articles_{item.status}")
        if item.article_id is None:
            return
        for url in {item.fetched_url, *redirected_from(response)} - {item.url}:
            run.state.remember_seen(url, item.status or STORED, item.fetched_at, item.article_id)

    def item_dropped(self, item: Any, response: Any, exception: Exception, spider: Any) -> None:
        run = self.run
        if run is None or not isinstance(item, FetchRecord):
            return
        run.count(item.source, item.outcome)
        if item.outcome == ERROR:
            run.count(item.source, f"error_{item.reason}")
        if item.outcome == REJECTED:
            answer = REJECTED
        elif item.outcome == ERROR and item.reason in GONE_REASONS:
            answer = GONE
        else:
            return
        for url in {item.url, *redirected_from(response)}:
            run.state.remember_seen(url, answer, item.fetched_at)

    def item_error(self, item: Any, response: Any, spider: Any, failure: Any) -> None:
        # The page was fetched but not stored: forget its validators, or the next run would be
        # told "not modified" and never store it.
        run = self.run
        if run is not None and isinstance(response, Response):
            logger.warning("could not store %s; it will be fetched again next run", response.url)
            run.state.forget_validators(response.url)


class WarcExport:
    """Every response of the crawl, written to WARC files by a thread that never holds up the
    reactor. Off unless ``NEWSDEDUP_WARC_DIR`` names a folder."""

    def __init__(self, writer: WarcFileWriter, stats: Any = None) -> None:
        self.writer = writer
        self.stats = stats
        self.queue: queue.Queue[tuple[str, int, list[tuple[str, str]], bytes, datetime] | None]
        self.queue = queue.Queue(WARC_QUEUE_SIZE)
        self.thread = threading.Thread(target=self._run, name="warc-writer", daemon=True)
        self.thread.start()
        self.failed = False

    @classmethod
    def from_crawler(cls, crawler: Any) -> WarcExport:
        settings = crawler.settings
        folder = settings.get("NEWSDEDUP_WARC_DIR")
        if not folder:
            # Off is the normal case: a bare NotConfigured keeps Scrapy from warning about it.
            raise NotConfigured
        try:
            writer = WarcFileWriter(
                folder,
                prefix=settings.get("NEWSDEDUP_WARC_PREFIX") or DEFAULT_PREFIX,
                max_bytes=settings.getint("NEWSDEDUP_WARC_MAX_MB", DEFAULT_MAX_MB) * 1024 * 1024,
                info={"robots": "obey" if settings.getbool("ROBOTSTXT_OBEY") else "ignore"},
            )
        except (MissingDependency, OSError) as err:
            raise NotConfigured(f"NEWSDEDUP_WARC_DIR={folder}: {err}") from err
        extension = cls(writer, crawler.stats)
        crawler.signals.connect(extension.response_received, signal=signals.response_received)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def response_received(self, response: Any, request: Any, spider: Any = None) -> None:
        headers = [
            (name.decode("latin-1"), value.decode("latin-1"))
            for name, values in response.headers.items()
            for value in values
        ]
        item = (response.url, response.status, headers, response.body, datetime.now(timezone.utc))
        self.queue.put(item)

    def spider_closed(self, spider: Any = None) -> None:
        self.queue.put(None)
        self.thread.join()
        self.writer.close()
        if self.stats is not None:
            self.stats.set_value("newsdedup/warc/records", self.writer.records)
            self.stats.set_value("newsdedup/warc/files", len(self.writer.files))

    def _run(self) -> None:
        while True:
            item = self.queue.get()
            if item is None:
                return
            if self.failed:
                continue  # keep draining so the crawl never blocks on a dead disk
            url, status, headers, body, when = item
            try:
                self.writer.write_response(url, status, headers, body, fetched_at=when)
            except OSError as err:
                self.failed = True
                logger.error("cannot write WARC files to %s: %s", self.writer.folder, err)


# --------------------------------------------------------------------------- the page pool


class BadSetting(ConfigError):
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
    """Return :class:`~crawler.page.pool.PagePool` arguments from the ``NEWSDEDUP_*`` settings.

    A time or memory limit of 0 means none. Raises ``BadSetting`` for an unusable value (call it
    before a crawl to report that as a usage error).
    """
    options: dict[str, Any] = {
        "workers": _optional_number(settings, "NEWSDEDUP_WORKERS", int),
        "max_in_flight": _optional_number(settings, "NEWSDEDUP_MAX_IN_FLIGHT", int),
        # The page processes compress the pages the store keeps, off the crawl process.
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
    name = settings.get("NEWSDEDUP_PAGE_FUNCTION") or defaults.NEWSDEDUP_PAGE_FUNCTION
    try:
        options["function"] = load_object(name)
    except (ImportError, NameError, ValueError) as exc:
        raise BadSetting(
            f"NEWSDEDUP_PAGE_FUNCTION={name!r} cannot be imported ({exc}); give the import "
            f"path of a function, e.g. {defaults.NEWSDEDUP_PAGE_FUNCTION}"
        ) from None
    return options


_PAGE_POOLS: weakref.WeakKeyDictionary[Crawler, PagePoolExtension] = weakref.WeakKeyDictionary()


class PagePoolExtension:
    """The crawl's page pool: started with the spider, in a thread, and stopped with it.

    :meth:`process` hands a page to the pool once it is up; the reactor never parses a page.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.pool: PagePool | None = PagePool(**page_pool_options(crawler.settings))
        self.ready: asyncio.Future[None] | None = None
        _PAGE_POOLS[crawler] = self
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PagePoolExtension:
        return cls(crawler)

    @classmethod
    def of(cls, crawler: Crawler) -> PagePoolExtension:
        """The crawl's page pool extension, made here if EXTENSIONS left it out."""
        return _PAGE_POOLS.get(crawler) or cls(crawler)

    def spider_opened(self) -> None:
        # Starting takes a second or two; :meth:`wait_ready` lets the spider wait for it.
        if self.pool is not None:
            self.ready = asyncio.ensure_future(self._start(self.pool))

    async def _start(self, pool: PagePool) -> None:
        try:
            await asyncio.to_thread(pool.start)
        except Exception as exc:
            logger.error(
                "cannot start the page processes: %s; set NEWSDEDUP_WORKERS=0 to handle pages "
                "in the crawl process",
                exc,
            )
            raise

    async def wait_ready(self) -> None:
        """Return once the page processes are up (at once when they are, or never started)."""
        if self.ready is not None:
            await self.ready

    async def process(
        self, body: bytes, url: str, encoding: str | None, *, links: bool
    ) -> PageResult:
        """Have a page process handle one page; see :meth:`PagePool.process`."""
        if self.pool is None:
            raise RuntimeError("the page pool is closed; the spider is closing")
        await self.wait_ready()
        return await self.pool.process(body, url, encoding, links=links)

    async def spider_closed(self, reason: str) -> None:
        """Stop the page processes (no page is in flight once the spider closes)."""
        pool, self.pool = self.pool, None
        if pool is None:
            return
        if self.ready is not None:
            with contextlib.suppress(Exception):
                await self.ready  # a pool still starting would be left running
        await asyncio.to_thread(pool.close, PAGES_CLOSE_TIMEOUT)
        done = pool.stats
        if done.done:
            logger.info(
                "page processes handled %d pages (%d timed out, %d crashed their process, "
                "%d too large, %d other errors)",
                done.done,
                done.timeouts,
                done.crashed,
                done.too_large,
                done.errors,
            )


__all__ = [
    "BadSetting",
    "CrawlRun",
    "CrawlStateExtension",
    "PagePoolExtension",
    "WarcExport",
    "page_pool_options",
    "run_for",
]
