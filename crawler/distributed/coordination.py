"""Workers of one crawl: who is busy, who may leave, and the last one ends the run."""

from __future__ import annotations

import logging
import os
import socket
import time
import weakref
from typing import Any

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider, NotConfigured
from scrapy.utils.asyncio import create_looping_call

from crawler.distributed.config import dead_after, keys, setting
from storage.shared_index import connect

logger = logging.getLogger(__name__)

# Wait at most this long for NEWSDEDUP_REDIS_WAIT_WORKERS workers to join.
START_WAIT_SECONDS = 120.0

# Lua scripts of the worker registry. A worker's entry in ``<prefix>:news:workers`` is
# "busy:<time>" or "idle:<time>", the time from Redis's clock (machines' clocks may differ).
# ``<prefix>:news:claimed:<worker>`` holds the requests a worker took since it was last idle.

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
# Seconds between two renewals of a worker's time in the registry (more often when the
# dead-worker limit is short: at least four renewals fit in it).
BEAT_SECONDS = 5.0

WORKERS: weakref.WeakKeyDictionary[Crawler, WorkerCoordination] = weakref.WeakKeyDictionary()


def worker_id() -> str:
    """This process's name in the worker registry."""
    return f"{socket.gethostname()}:{os.getpid()}"


class WorkerCoordination:
    """Keeps workers open while others may still add work, and ends the run with the last one.

    Each worker is registered in ``<prefix>:news:workers`` as busy from the moment it takes a
    request from the queue (in the same step) until its engine is idle again, when it records
    itself idle. A worker with nothing to do waits while requests are queued or another worker is
    busy; when neither holds for ``NEWSDEDUP_REDIS_IDLE_CLOSE`` seconds, it leaves in one step
    that checks both again, and takes nothing from the queue after that. The last worker to
    leave deletes the queue and the seen-URL filter: the run is over. A worker stopped before the
    end puts the requests it had taken back in the queue; one not heard of for
    ``NEWSDEDUP_REDIS_DEAD_AFTER`` seconds is taken for dead and its requests are put back by
    the others.
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
        self.dead_after = dead_after(settings)
        self.beat = min(BEAT_SECONDS, self.dead_after / 4)
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
        # Requests taken from the queue (-> their queued form) not known to be done yet, and
        # those of them that were answered (a redirect or a retry is queued by then).
        self.taken: dict[Request, bytes] = {}
        self.answered: set[Request] = set()
        WORKERS[crawler] = self
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(self.request_scheduled, signal=signals.request_scheduled)
        crawler.signals.connect(self.response_received, signal=signals.response_received)
        crawler.signals.connect(self.response_downloaded, signal=signals.response_downloaded)

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
            args=[self.me, self.keys["claimed"], self.dead_after, mode],
        )
        what, requeued = reply[0].decode(), int(reply[1])
        if requeued and mode != "abort":  # an abort's count is this worker's own requests
            logger.warning("put back %d requests taken by workers that stopped answering", requeued)
        return what, requeued

    def _tick(self) -> None:
        """Renew this worker's time now and then; while waiting, let the engine look for work."""
        if self.left:
            return
        self._ticks += 1
        try:
            if self._ticks * POLL_SECONDS >= self.beat:
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
        closing = getattr(slot, "closing", None) is not None
        # While stopping, a request that failed on the way out stays claimed: it goes back.
        done = [
            request
            for request in self.taken
            if request not in inprogress and (request in self.answered or not closing)
        ]
        self._release(done)

    def _release(self, done: list[Request]) -> None:
        if done:
            self.client.zrem(self.claimed, *(self.taken.pop(request) for request in done))
            self.answered.difference_update(done)

    def response_received(self, **_: Any) -> None:
        self.idle_since = None

    def response_downloaded(self, request: Request, **_: Any) -> None:
        if request in self.taken:
            self.answered.add(request)

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
        # Idle: everything taken is done, and the claimed set was cleared.
        self.taken.clear()
        self.answered.clear()
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
            # Stopped before the end (a signal, a limit): what this worker answered is done (its
            # links are queued); what it took and could not answer goes back to the queue.
            self._release([request for request in self.taken if request in self.answered])
            what, requeued = self._update("abort")
            if requeued:
                logger.info("put %d unfinished requests back in the shared queue", requeued)
        except Exception as exc:  # noqa: BLE001 - leaving must not fail the crawl's report
            logger.warning("could not sign off from Redis: %s", exc)
