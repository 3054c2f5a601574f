"""Distributed mode: crawl workers on one or many machines share a Redis queue, seen-URL filter
and near-duplicate index, each writing its own SQLite shard (merged with ``newsdedup merge``).

Switched on by ``NEWSDEDUP_REDIS_URL`` (``newsdedup crawl --redis URL``); without it nothing here
runs and no Redis is needed. The queue and the seen-URL filter are scrapy-redis's scheduler and
dupefilter; what scrapy-redis leaves open is handled here:

- seeds: ``NewsSpider.start()`` is an ``async def start()`` yielding ordinary requests (not
  scrapy-redis's ``start_requests()``, ignored since Scrapy 2.16), and none is ``dont_filter``,
  so every worker may yield the same seeds and the shared filter lets each through once;
- ``SCHEDULER_PERSIST`` is forced on: a worker closing must not flush the queue and filter the
  others still use. When the last worker leaves a finished crawl, it clears the queue and filter
  itself (:class:`WorkerCoordination`), so the next run fetches homepages and feeds again;
- a worker whose queue runs dry waits while another worker is busy (its pages may add links),
  instead of closing at once;
- stats stay Scrapy's in-memory collector per worker (scrapy-redis's Redis collector fails when
  the spider closes); :class:`SharedStats` adds each worker's counters to a Redis hash at close
  and never fails the crawl over it;
- queued requests are JSON (:mod:`crawler.queuecodec`), not pickle.

Redis URLs may carry a password (``redis://:PASSWORD@host:6379/0``) and use TLS (``rediss://``;
``NEWSDEDUP_REDIS_TLS_CA`` names a private CA's PEM file).
"""

from __future__ import annotations

import logging
import os
import socket
import time
from pathlib import Path
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider, NotConfigured
from scrapy.settings import BaseSettings
from scrapy.statscollectors import MemoryStatsCollector

from crawler.items import ArticleItem
from crawler.pipelines import StorePipeline
from storage import StoreError
from storage.shared_index import RedisIndex, SharedMatcher, connect, redact

logger = logging.getLogger(__name__)

# The environment variable that switches distributed mode on, as the setting of the same name.
REDIS_URL_ENV = "NEWSDEDUP_REDIS_URL"
# Our settings (not in crawler/settings.py while distributed mode is optional): name -> default.
SETTINGS: dict[str, Any] = {
    # Redis to share the crawl through; empty: single-machine mode.
    "NEWSDEDUP_REDIS_URL": "",
    # Prefix of every Redis key of this crawl; crawls with different prefixes share nothing.
    "NEWSDEDUP_REDIS_PREFIX": "newsdedup",
    # PEM file of a private CA that signed the Redis server's TLS certificate (rediss:// URLs).
    "NEWSDEDUP_REDIS_TLS_CA": "",
    # Seconds a worker with nothing to do waits (all other workers idle too) before it closes.
    "NEWSDEDUP_REDIS_IDLE_CLOSE": 5.0,
    # This worker's shard name in the shared index; empty: host name and store path.
    "NEWSDEDUP_REDIS_SHARD": "",
    # Wait (at most START_WAIT_SECONDS) until this many workers have joined before crawling,
    # so a run started on several machines at once shares the work from the first page on.
    "NEWSDEDUP_REDIS_WAIT_WORKERS": 0,
}
START_WAIT_SECONDS = 120.0
# A worker that said it was busy this long ago without a word since is taken for dead.
BUSY_STALE_SECONDS = 120.0
STORE_PIPELINE = "crawler.pipelines.StorePipeline"


class DistributedError(ValueError):
    """Distributed mode cannot start; the message says what is missing and how to fix it."""


def setting(settings: BaseSettings, name: str) -> Any:
    """``name`` from ``settings``, else the environment variable of that name, else the default.

    The environment lets one worker's deployment carry its Redis URL and CA file without
    ``-s`` (which only knows the settings of crawler/settings.py).
    """
    value = settings.get(name)
    if value is None or value == "":
        value = os.environ.get(name) or None
    return SETTINGS[name] if value is None else value


def keys(settings: BaseSettings, spider: str = "news") -> dict[str, str]:
    """The Redis keys of a crawl: queue, filter, workers, stats and the index prefix."""
    prefix = setting(settings, "NEWSDEDUP_REDIS_PREFIX")
    return {
        "queue": f"{prefix}:{spider}:requests",
        "dupefilter": f"{prefix}:{spider}:dupefilter",
        "workers": f"{prefix}:{spider}:workers",
        "stats": f"{prefix}:{spider}:stats",
        "index": f"{prefix}:index",
    }


def configure(settings: BaseSettings, priority: str = "cmdline", *, check: bool = True) -> bool:
    """Switch ``settings`` to distributed mode when a Redis URL is set; return whether it is.

    With ``check``, the server is asked first. Raises DistributedError when scrapy-redis or
    redis is missing, or the server cannot be reached or refuses the password.
    """
    url = setting(settings, "NEWSDEDUP_REDIS_URL")
    if not url:
        return False
    try:
        import redis  # noqa: F401
        import scrapy_redis  # noqa: F401
    except ImportError:
        raise DistributedError(
            f"--redis / {REDIS_URL_ENV} needs scrapy-redis and redis: "
            "pip install 'newsdedup[redis]'"
        ) from None
    prefix = setting(settings, "NEWSDEDUP_REDIS_PREFIX")
    params: dict[str, Any] = {"socket_timeout": 30, "socket_connect_timeout": 10}
    ca = setting(settings, "NEWSDEDUP_REDIS_TLS_CA")
    if check:
        try:
            connect(url, ca_certs=ca or None).close()
        except StoreError as exc:
            raise DistributedError(f"{exc} (--redis / {REDIS_URL_ENV})") from None
    if ca:
        params["ssl_ca_certs"] = ca
    pipelines = dict(settings.getdict("ITEM_PIPELINES"))
    order = pipelines.pop(STORE_PIPELINE, 800)
    pipelines["crawler.distributed.SharedStorePipeline"] = order
    extensions = dict(settings.getdict("EXTENSIONS"))
    extensions["crawler.distributed.WorkerCoordination"] = 0
    values = {
        "NEWSDEDUP_REDIS_URL": url,
        "REDIS_URL": url,
        "REDIS_PARAMS": params,
        "SCHEDULER": "scrapy_redis.scheduler.Scheduler",
        "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
        "SCHEDULER_PERSIST": True,
        "SCHEDULER_QUEUE_KEY": f"{prefix}:%(spider)s:requests",
        "SCHEDULER_DUPEFILTER_KEY": f"{prefix}:%(spider)s:dupefilter",
        "DUPEFILTER_KEY": f"{prefix}:%(spider)s:dupefilter",
        "SCHEDULER_SERIALIZER": "crawler.queuecodec",
        "STATS_CLASS": "crawler.distributed.SharedStats",
        "ITEM_PIPELINES": pipelines,
        "EXTENSIONS": extensions,
    }
    settings.setdict(values, priority=priority)
    return True


class Distributed:
    """Scrapy add-on form of :func:`configure`, for ``ADDONS`` (``scrapy crawl news``)."""

    def update_settings(self, settings: BaseSettings) -> None:
        configure(settings, priority="addon")


def shard_name(settings: BaseSettings) -> str:
    """This worker's name in the shared index: the setting, else host name and store path."""
    name = setting(settings, "NEWSDEDUP_REDIS_SHARD")
    if name:
        return str(name)
    return f"{socket.gethostname()}:{Path(settings.get('NEWSDEDUP_DB')).resolve()}"


class SharedStorePipeline(StorePipeline):
    """The store pipeline with new articles matched in the shared index, not the shard alone."""

    def open_spider(self) -> None:
        super().open_spider()
        assert self.store is not None, "the store opens with the spider"
        settings = self.crawler.settings
        url = setting(settings, "NEWSDEDUP_REDIS_URL")
        try:
            index = RedisIndex.open(
                url,
                self.store.params,
                self.store.threshold,
                prefix=keys(settings)["index"],
                ca_certs=setting(settings, "NEWSDEDUP_REDIS_TLS_CA") or None,
            )
        except StoreError as exc:
            logger.error("cannot open the shared index: %s", exc)
            raise
        self.store.shared = SharedMatcher(index, self.store.conn, shard_name(settings))
        logger.info("matching duplicates in the shared index at %s", redact(url))

    def process_item(self, item: Any) -> Any:
        shared = self.store.shared if self.store is not None else None
        if shared is not None:
            shared.last = None
        item = super().process_item(item)
        if shared is not None and isinstance(item, ArticleItem) and shared.last is not None:
            verdict = shared.last
            stats = self.crawler.stats
            if verdict.kind == "url":
                stats.inc_value("newsdedup/shared/same_url_elsewhere")
            elif shared.remote_duplicate:
                stats.inc_value("newsdedup/shared/duplicate_elsewhere")
                logger.info(
                    "duplicate %s of %s stored by another worker (%s, similarity %.2f)",
                    item.url,
                    verdict.matched_url,
                    verdict.kind,
                    verdict.similarity or 0.0,
                )
        return item


def _queue_length(client: Any, key: str) -> int:
    kind = client.type(key)
    kind = kind.decode() if isinstance(kind, bytes) else kind
    if kind == "zset":
        return int(client.zcard(key))
    if kind == "list":
        return int(client.llen(key))
    return 0


class WorkerCoordination:
    """Keeps workers open while others may still add work, and ends the run with the last one.

    Each worker keeps ``<prefix>:news:workers[<id>]`` at the time of its last response while
    busy, 0 while idle. An idle worker closes only when the queue is empty, no other worker is
    busy and it has been idle ``NEWSDEDUP_REDIS_IDLE_CLOSE`` seconds. The last worker to leave a
    finished crawl deletes the queue and the seen-URL filter: the run is over.
    """

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        url = setting(settings, "NEWSDEDUP_REDIS_URL")
        if not url:
            raise NotConfigured("distributed mode is off (no NEWSDEDUP_REDIS_URL)")
        self.crawler = crawler
        self.url = url
        self.ca = setting(settings, "NEWSDEDUP_REDIS_TLS_CA") or None
        self.idle_close = float(setting(settings, "NEWSDEDUP_REDIS_IDLE_CLOSE"))
        self.me = f"{socket.gethostname()}:{os.getpid()}"
        self.client: Any = None
        self.keys: dict[str, str] = {}
        self.idle_since: float | None = None
        self.last_beat = 0.0
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(self.response_received, signal=signals.response_received)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WorkerCoordination:
        return cls(crawler)

    def spider_opened(self, spider: Any) -> None:
        self.client = connect(self.url, ca_certs=self.ca)
        self.keys = keys(self.crawler.settings, spider.name)
        self.beat()
        wanted = int(setting(self.crawler.settings, "NEWSDEDUP_REDIS_WAIT_WORKERS"))
        deadline = time.monotonic() + START_WAIT_SECONDS
        # Blocking is fine here: nothing has been scheduled yet.
        while self.client.hlen(self.keys["workers"]) < wanted:
            if time.monotonic() > deadline:
                logger.warning(
                    "only %d of %d workers joined; crawling anyway",
                    self.client.hlen(self.keys["workers"]),
                    wanted,
                )
                break
            time.sleep(0.1)
        self.beat()

    def beat(self, busy: bool = True) -> None:
        now = time.time()
        self.last_beat = now
        self.client.hset(self.keys["workers"], self.me, repr(now) if busy else "0")

    def response_received(self, **_: Any) -> None:
        self.idle_since = None
        if time.time() - self.last_beat >= 1.0:
            self.beat()

    def spider_idle(self, spider: Any) -> None:
        self.beat(busy=False)
        now = time.time()
        if _queue_length(self.client, self.keys["queue"]):
            self.idle_since = None
            raise DontCloseSpider
        others = {
            k.decode(): float(v) for k, v in self.client.hgetall(self.keys["workers"]).items()
        }
        others.pop(self.me, None)
        if any(busy > now - BUSY_STALE_SECONDS for busy in others.values() if busy):
            self.idle_since = None
            raise DontCloseSpider
        if self.idle_since is None:
            self.idle_since = now
        if now - self.idle_since < self.idle_close:
            raise DontCloseSpider

    def spider_closed(self, spider: Any, reason: str) -> None:
        if self.client is None:
            return
        try:
            self.client.hdel(self.keys["workers"], self.me)
            if (
                reason == "finished"
                and not self.client.hlen(self.keys["workers"])
                and not _queue_length(self.client, self.keys["queue"])
            ):
                self.client.delete(self.keys["queue"], self.keys["dupefilter"])
                logger.info("last worker of the crawl: cleared the shared queue and URL filter")
        except Exception as exc:  # noqa: BLE001 - leaving must not fail the crawl's report
            logger.warning("could not sign off from Redis: %s", exc)


class SharedStats(MemoryStatsCollector):
    """Scrapy's in-memory stats, whose numbers are also added to a Redis hash at close.

    ``HGETALL <prefix>:news:stats`` then sums every worker's counters (all runs, until deleted).
    A Redis error here is logged, never raised: the crawl's own report must not depend on it.
    """

    def _persist_stats(self, stats: dict[str, Any], *args: Any, **kwargs: Any) -> None:
        super()._persist_stats(stats, *args, **kwargs)
        settings = self._crawler.settings
        spider = self._crawler.spider
        try:
            client = connect(
                setting(settings, "NEWSDEDUP_REDIS_URL"),
                ca_certs=setting(settings, "NEWSDEDUP_REDIS_TLS_CA") or None,
            )
            pipe = client.pipeline(transaction=False)
            key = keys(settings, spider.name if spider else "news")["stats"]
            for name, value in stats.items():
                if isinstance(value, bool) or not isinstance(value, (int, float)):
                    continue
                if isinstance(value, int):
                    pipe.hincrby(key, name, value)
                else:
                    pipe.hincrbyfloat(key, name, value)
            pipe.execute()
        except Exception as exc:  # noqa: BLE001 - stats must never fail the crawl
            logger.warning("could not add this worker's stats to Redis: %s", exc)
