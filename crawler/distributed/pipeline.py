"""The store pipeline of a distributed worker: new articles matched in the shared index."""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from crawler.distributed.config import keys, setting, shard_name
from crawler.extensions import run_for
from crawler.items import ArticleItem
from crawler.pipelines import StorePipeline
from storage import StoreError
from storage.crawlstate import Seen
from storage.shared_index import RedisIndex, SharedMatcher, redact

logger = logging.getLogger(__name__)


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
