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
  instead of closing at once, and looks at the queue every half second meanwhile; taking a
  request and marking the worker busy are one step, as are checking that nobody has work left
  and leaving, so no request is ever out of everyone's sight (:class:`WorkerCoordination`);
- a worker takes nothing from the queue before its spider has started (start URLs' hosts
  trusted, delays set), and puts back what it took if it is stopped or dies;
- Scrapy's robots.txt middleware lets requests through unchecked when several wait for one
  host's robots.txt, which a worker taking a host's links from the queue often has: a fixed
  one replaces it (:class:`crawler.middlewares.WaitingRobotsTxtMiddleware`, the default in
  every mode);
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
import weakref
from functools import partial
from pathlib import Path
from typing import Any

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider, NotConfigured
from scrapy.settings import BaseSettings
from scrapy.statscollectors import MemoryStatsCollector
from scrapy.utils.asyncio import create_looping_call

from crawler.items import ArticleItem
from crawler.pipelines import StorePipeline
from crawler.state import run_for
from storage import StoreError
from storage.crawlstate import Seen
from storage.shared_index import RedisIndex, SharedMatcher, connect, redact

try:
    from scrapy_redis.queue import PriorityQueue
except ImportError:  # distributed mode is optional; configure() says what to install
    PriorityQueue = object  # type: ignore[assignment,misc]

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
SCRAPY_ROBOTS = "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware"
ROBOTS_ORDER = 100  # Scrapy's own place for it


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
        "claimed": f"{prefix}:{spider}:claimed:",
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
    middlewares = dict(settings.getdict("DOWNLOADER_MIDDLEWARES"))
    if middlewares.get(SCRAPY_ROBOTS, 0) is not None:
        middlewares[SCRAPY_ROBOTS] = None
        middlewares["crawler.middlewares.WaitingRobotsTxtMiddleware"] = ROBOTS_ORDER
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
        "SCHEDULER_QUEUE_CLASS": "crawler.distributed.SharedQueue",
        "SCHEDULER_SERIALIZER": "crawler.queuecodec",
        "STATS_CLASS": "crawler.distributed.SharedStats",
        "ITEM_PIPELINES": pipelines,
        "EXTENSIONS": extensions,
        "DOWNLOADER_MIDDLEWARES": middlewares,
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


def _seen_in(index: RedisIndex, url: str) -> Seen | None:
    try:
        return index.seen(url)
    except Exception as exc:  # noqa: BLE001 - a link is fetched rather than the page lost
        logger.warning("cannot ask the shared index about %s: %s", url, exc)
        return None


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
        self.store.matcher = SharedMatcher(index, self.store.conn, shard_name(settings))
        logger.info("matching duplicates in the shared index at %s", redact(url))
        run = run_for(self.crawler)
        if run is not None:
            # Links to articles other workers stored, in this run or earlier ones, are known.
            run.state.elsewhere = partial(_seen_in, index)

    def process_item(self, item: Any) -> Any:
        item = super().process_item(item)
        shared = self.store.matcher if self.store is not None else None
        if not isinstance(shared, SharedMatcher):
            return item
        if isinstance(item, ArticleItem) and shared.last is not None:
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


# Lua scripts of the worker registry. A worker's entry in ``<prefix>:news:workers`` is
# "busy:<time>" or "idle:<time>", the time from Redis's clock (machines' clocks may differ).
# ``<prefix>:news:claimed:<worker>`` holds the requests a worker took since it was last idle.

# KEYS: queue, workers, claimed; ARGV: worker. Take the first request and mark the worker busy in
# one step, so no other worker can see the queue empty and everyone idle while a request is
# between the queue and a worker.
_POP = """
local top = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #top == 0 then return false end
redis.call('ZREM', KEYS[1], top[1])
redis.call('ZADD', KEYS[3], top[2], top[1])
redis.call('HSET', KEYS[2], ARGV[1], 'busy:' .. redis.call('TIME')[1])
return top[1]
"""

# KEYS: queue, workers, dupefilter; ARGV: worker, claimed key prefix, stale seconds, mode.
# Modes: "beat" keeps the worker's state and renews its time; "idle" records that the worker has
# nothing in hand (its claimed requests are done) and says what others are doing; "leave" does
# the same, and when no request is queued and no other worker is busy, removes the worker (the
# last one also clears the queue and the seen-URL filter: the crawl is over); "abort" puts the
# worker's claimed requests back in the queue and removes it. Workers not heard of for ``stale``
# seconds are taken for dead: their claimed requests go back in the queue.
_STATE = """
local me, claimed, mode = ARGV[1], ARGV[2], ARGV[4]
local now = tonumber(redis.call('TIME')[1])
local function requeue(who)
  local items = redis.call('ZRANGE', claimed .. who, 0, -1, 'WITHSCORES')
  for i = 1, #items, 2 do redis.call('ZADD', KEYS[1], items[i + 1], items[i]) end
  redis.call('DEL', claimed .. who)
  return #items / 2
end
if mode == 'beat' then
  local state = string.match(redis.call('HGET', KEYS[2], me) or 'busy:', '^(%a+):')
  redis.call('HSET', KEYS[2], me, state .. ':' .. now)
  return {'beat', 0}
end
if mode == 'abort' then
  local n = requeue(me)
  redis.call('HDEL', KEYS[2], me)
  return {'aborted', n}
end
redis.call('DEL', claimed .. me)
local busy, requeued = 0, 0
local all = redis.call('HGETALL', KEYS[2])
for i = 1, #all, 2 do
  local who, state, seen = all[i], string.match(all[i + 1], '^(%a+):(%d+)$')
  if who ~= me then
    if now - (tonumber(seen) or 0) > tonumber(ARGV[3]) then
      requeued = requeued + requeue(who)
      redis.call('HDEL', KEYS[2], who)
    elseif state == 'busy' then
      busy = busy + 1
    end
  end
end
local queued = redis.call('ZCARD', KEYS[1])
if queued > 0 or busy > 0 or mode ~= 'leave' then
  redis.call('HSET', KEYS[2], me, 'idle:' .. now)
  if queued > 0 then return {'queued', requeued} end
  if busy > 0 then return {'busy', requeued} end
  return {'idle', requeued}
end
redis.call('HDEL', KEYS[2], me)
if redis.call('HLEN', KEYS[2]) == 0 then
  redis.call('DEL', KEYS[1], KEYS[3])
  return {'last', requeued}
end
return {'left', requeued}
"""

# Seconds between two looks at the shared queue by a worker waiting for work (Scrapy's own
# heartbeat looks every 5 s, so a waiting worker would find the queue emptied by busier ones).
POLL_SECONDS = 0.5
# Seconds between two renewals of a worker's time in the registry.
BEAT_SECONDS = 5.0

_WORKERS: weakref.WeakKeyDictionary[Crawler, WorkerCoordination] = weakref.WeakKeyDictionary()


def worker_id() -> str:
    """This process's name in the worker registry."""
    return f"{socket.gethostname()}:{os.getpid()}"


class SharedQueue(PriorityQueue):
    """scrapy-redis's priority queue, taking requests on behalf of :class:`WorkerCoordination`.

    A request is taken and the worker marked busy in one step (and kept in the worker's claimed
    set until it is idle again, so a worker that dies does not lose it). Nothing is taken before
    the worker's spider has started (its start URLs trusted, delays set) or after it has left.
    """

    def __init__(self, server: Any, spider: Any, key: str, serializer: Any = None) -> None:
        super().__init__(server, spider, key, serializer)
        self.worker = _WORKERS.get(spider.crawler)
        self._pop = server.register_script(_POP)

    def __len__(self) -> int:
        if self.worker is not None and self.worker.left:
            return 0
        return int(super().__len__())

    def pop(self, timeout: int = 0) -> Any:
        worker = self.worker
        if worker is None:
            return super().pop(timeout)
        if worker.left or not worker.started:
            return None
        data = self._pop(keys=[self.key, worker.keys["workers"], worker.claimed], args=[worker.me])
        if not data:
            return None
        request = self._decode_request(data)
        worker.taken[request] = data
        return request


class WorkerCoordination:
    """Keeps workers open while others may still add work, and ends the run with the last one.

    Each worker is registered in ``<prefix>:news:workers`` as busy from the moment it takes a
    request from the queue (in the same step) until its engine is idle again, when it records
    itself idle. A worker with nothing to do waits while requests are queued or another worker is
    busy; when neither holds for ``NEWSDEDUP_REDIS_IDLE_CLOSE`` seconds, it leaves in one step
    that checks both again, and takes nothing from the queue after that. The last worker to
    leave deletes the queue and the seen-URL filter: the run is over. A worker stopped before the
    end puts the requests it had taken back in the queue; one not heard of for
    ``BUSY_STALE_SECONDS`` is taken for dead and its requests are put back by the others.
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
        self.me = worker_id()
        self.client: Any = None
        self.keys: dict[str, str] = {}
        self.claimed = ""
        self.idle_since: float | None = None
        # Whether the spider has started (requests may be taken) and whether this worker left.
        self.started = False
        self.left = False
        self._state: Any = None
        self._loop: Any = None
        self._ticks = 0
        # Requests taken from the queue (-> their queued form) not known to be done yet.
        self.taken: dict[Request, bytes] = {}
        _WORKERS[crawler] = self
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(self.request_scheduled, signal=signals.request_scheduled)
        crawler.signals.connect(self.response_received, signal=signals.response_received)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WorkerCoordination:
        return cls(crawler)

    def spider_opened(self, spider: Any) -> None:
        self.client = connect(self.url, ca_certs=self.ca)
        self.keys = keys(self.crawler.settings, spider.name)
        self.claimed = f"{self.keys['claimed']}{self.me}"
        self._state = self.client.register_script(_STATE)
        self._update("beat")
        wanted = int(setting(self.crawler.settings, "NEWSDEDUP_REDIS_WAIT_WORKERS"))
        deadline = time.monotonic() + START_WAIT_SECONDS
        beat = time.monotonic()
        # Blocking is fine here: nothing has been scheduled yet.
        while self.client.hlen(self.keys["workers"]) < wanted:
            if time.monotonic() > deadline:
                logger.warning(
                    "only %d of %d workers joined; crawling anyway",
                    self.client.hlen(self.keys["workers"]),
                    wanted,
                )
                break
            if time.monotonic() - beat >= 1.0:
                beat = time.monotonic()
                self._update("beat")
            time.sleep(0.1)
        self._update("beat")
        self._loop = create_looping_call(self._tick)
        self._loop.start(POLL_SECONDS, now=False)

    def _update(self, mode: str) -> tuple[str, int]:
        reply = self._state(
            keys=[self.keys["queue"], self.keys["workers"], self.keys["dupefilter"]],
            args=[self.me, self.keys["claimed"], BUSY_STALE_SECONDS, mode],
        )
        what, requeued = reply[0].decode(), int(reply[1])
        if requeued:
            logger.warning("put back %d requests taken by workers that stopped answering", requeued)
        return what, requeued

    def _tick(self) -> None:
        """Renew this worker's time now and then; while waiting, let the engine look for work."""
        if self.left:
            return
        self._ticks += 1
        try:
            if self._ticks * POLL_SECONDS >= BEAT_SECONDS:
                self._ticks = 0
                self._update("beat")
                self._release_done()
        except Exception as exc:  # noqa: BLE001 - a missed beat is retried at the next tick
            logger.warning("could not renew this worker's time in Redis: %s", exc)
        if self.idle_since is not None:
            slot = getattr(self.crawler.engine, "_slot", None)
            if slot is not None:
                slot.nextcall.schedule()

    def _release_done(self) -> None:
        """Drop from the claimed set the requests this worker is done with (answered, and the
        answer's links queued), so the set stays small while the worker is never idle."""
        slot = getattr(self.crawler.engine, "_slot", None)
        inprogress = getattr(slot, "inprogress", None)
        if inprogress is None or not self.taken:
            return  # cleared when the worker is next idle
        done = [request for request in self.taken if request not in inprogress]
        if done:
            self.client.zrem(self.claimed, *(self.taken.pop(request) for request in done))

    def response_received(self, **_: Any) -> None:
        self.idle_since = None

    def request_scheduled(self, request: Request, **_: Any) -> None:
        # The spider yields its first request once it has trusted its start URLs' hosts and
        # set their delays: from then on it can take any request from the queue.
        self.started = True

    def spider_idle(self, spider: Any) -> None:
        self.started = True
        if self.left:
            return
        now = time.monotonic()
        if self.idle_since is None:
            self.idle_since = now
        mode = "leave" if now - self.idle_since >= self.idle_close else "idle"
        what, _ = self._update(mode)
        self.taken.clear()  # idle: everything taken is done, and the claimed set was cleared
        if what in ("queued", "busy"):
            # Reset the grace period: it counts from the moment nobody has anything to do.
            self.idle_since = now
        if what in ("left", "last"):
            self.left = True
            if what == "last":
                logger.info("last worker of the crawl: cleared the shared queue and URL filter")
            return
        raise DontCloseSpider

    def spider_closed(self, spider: Any, reason: str) -> None:
        if self._loop is not None and self._loop.running:
            self._loop.stop()
        if self.client is None or self.left:
            return
        try:
            # Stopped before the end (a signal, a limit): what this worker took is not done.
            what, requeued = self._update("abort")
            if requeued:
                logger.info("put %d unfinished requests back in the shared queue", requeued)
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
