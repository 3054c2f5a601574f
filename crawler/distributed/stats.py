"""Scrapy's in-memory stats, added to a Redis hash when a worker closes."""

from __future__ import annotations

import logging
from typing import Any

from scrapy.statscollectors import MemoryStatsCollector

from crawler.distributed.config import keys, setting
from storage.shared_index import connect

logger = logging.getLogger(__name__)


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
