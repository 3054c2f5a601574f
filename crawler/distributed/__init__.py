"""Distributed mode: crawl workers on one or many machines share a Redis queue, seen-URL filter
and near-duplicate index, each writing its own SQLite shard (merged with ``newsdedup merge``).

Switched on by ``NEWSDEDUP_REDIS_URL`` (``newsdedup crawl --redis URL``); without it nothing here
runs and no Redis is needed. The queue and the seen-URL filter are scrapy-redis's scheduler and
dupefilter; this package fills in what scrapy-redis leaves open:

- :mod:`~crawler.distributed.config`: the settings that switch a crawl to Redis;
- :mod:`~crawler.distributed.coordination`: workers stay while others may add work, and the last
  one to leave ends the run; requests a stopped or dead worker took go back in the queue;
- :mod:`~crawler.distributed.queue`: taking a request marks the worker busy in the same step;
- :mod:`~crawler.distributed.pipeline`: new articles matched in the shared index;
- :mod:`~crawler.distributed.stats`: each worker's counters added up in Redis;
- :mod:`~crawler.distributed.codec`: queued requests as JSON, not pickle.

Seeds are ordinary requests from ``NewsSpider.start()``, none ``dont_filter``, so every worker may
yield the same seeds and the shared filter lets each through once. ``SCHEDULER_PERSIST`` is forced
on, so a worker that closes does not flush the queue and filter the others still use; the last
one to leave a finished crawl clears them. Every worker checks each request it takes from the
queue against robots.txt (:class:`crawler.middlewares.WaitingRobotsTxtMiddleware`).
"""

from crawler.distributed.config import (
    REDIS_URL_ENV,
    Distributed,
    DistributedError,
    configure,
    keys,
    setting,
    shard_name,
)

__all__ = [
    "REDIS_URL_ENV",
    "Distributed",
    "DistributedError",
    "configure",
    "keys",
    "setting",
    "shard_name",
]
