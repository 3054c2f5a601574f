"""One crawl's bookkeeping: the store lock, the run record, per-source counts and what was seen.

The :class:`CrawlStateExtension` holds the lock on the store for the whole crawl, records the run
when the spider opens and closes it when the spider closes (a run killed half way stays
``running`` until the next one marks it ``interrupted``). It listens to Scrapy's signals to
count each source's requests and outcomes and to remember final answers (rejected pages, pages
that are gone, variant URLs of stored articles) so later runs need not ask again.
"""

from __future__ import annotations

import datetime as dt
import logging
import weakref
from collections import Counter
from typing import Any

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response

from crawler.incremental import Freshness
from crawler.items import ArticleItem, FetchRecord
from storage.crawlstate import CrawlState
from storage.lock import CrawlLock
from storage.outcomes import GONE_REASONS

logger = logging.getLogger(__name__)

# Error reasons that are a final answer about a URL: it is gone, asking again changes nothing.


def parse_since(value: Any) -> dt.datetime | None:
    """``NEWSDEDUP_SINCE`` as an aware UTC datetime (a date means its midnight), or None.

    Raises ValueError with the accepted formats for anything else.
    """
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, dt.date):
        moment = dt.datetime(value.year, value.month, value.day)
    else:
        try:
            moment = dt.datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
        except ValueError:
            raise ValueError(
                f"NEWSDEDUP_SINCE / --since: {value!r} is not a date; write YYYY-MM-DD or "
                "YYYY-MM-DDTHH:MM:SS"
            ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment.astimezone(dt.timezone.utc)


class CrawlRun:
    """The crawl state of one running crawl, shared by the spider, middlewares and extension."""

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        self.db_path: str = settings.get("NEWSDEDUP_DB")
        self.freshness = Freshness(
            refresh=settings.getbool("NEWSDEDUP_REFRESH"),
            since=parse_since(settings.get("NEWSDEDUP_SINCE")),
        )
        self.state = CrawlState.open(self.db_path)
        self.run_id: int | None = None
        self.counts: dict[str, Counter[str]] = {}
        self.answered: set[str] = set()
        # Sources whose start pages this process asked for. In distributed mode another worker
        # may fetch them all, and this shard has nothing to say of that source's run.
        self.tried: set[str] = set()
        self.shared = bool(settings.get("NEWSDEDUP_REDIS_URL"))

    def begin(self, sources: list[str]) -> None:
        if self.run_id is None:
            self.run_id = self.state.begin_run(sources)
            for name in sources:
                self.counts.setdefault(name, Counter())

    def count(self, source: str | None, what: str, n: int = 1) -> None:
        if source is not None:
            self.counts.setdefault(source, Counter())[what] += n

    def finish(self, reason: str, stats: dict[str, Any]) -> None:
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
                run.finish(reason, stats)
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
        if item.article_id is not None and item.fetched_url != item.url:
            run.state.remember_seen(
                item.fetched_url, item.status or "stored", item.fetched_at, item.article_id
            )

    def item_dropped(self, item: Any, response: Any, exception: Exception, spider: Any) -> None:
        run = self.run
        if run is None or not isinstance(item, FetchRecord):
            return
        run.count(item.source, item.outcome)
        if item.outcome == "error":
            run.count(item.source, f"error_{item.reason}")
        if item.outcome == "rejected":
            run.state.remember_seen(item.url, "rejected", item.fetched_at)
        elif item.outcome == "error" and item.reason in GONE_REASONS:
            run.state.remember_seen(item.url, "gone", item.fetched_at)

    def item_error(self, item: Any, response: Any, spider: Any, failure: Any) -> None:
        # The page was fetched but not stored: forget its validators, or the next run would be
        # told "not modified" and never store it.
        run = self.run
        if run is not None and isinstance(response, Response):
            logger.warning("could not store %s; it will be fetched again next run", response.url)
            run.state.forget_validators(response.url)


__all__ = ["CrawlRun", "CrawlStateExtension", "parse_since", "run_for"]
