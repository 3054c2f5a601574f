"""Item pipelines, in order: a page's verdict becomes an article or a reasoned fetch record, the
source's language is checked, and the article is deduplicated and stored in one step."""

from __future__ import annotations

import logging
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem, NotConfigured

from crawler.items import ArticleItem, FetchRecord, PageItem, store_record
from crawler.writer import ArticleWriter
from storage import Store, StoreError
from storage.outcomes import (
    ARTICLE,
    DUPLICATE,
    ERROR,
    LANGUAGE,
    QUIET_REASONS,
    REJECTED,
    page_outcome,
)

logger = logging.getLogger(__name__)


class VerdictPipeline:
    """Turn what a page process made of a page into an ``ArticleItem``, or into a
    ``FetchRecord`` saying why there is no article."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.keep_html = crawler.settings.getbool("NEWSDEDUP_KEEP_HTML")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> VerdictPipeline:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, PageItem) or item.result is None:
            return item
        result = item.result
        stats = self.crawler.stats
        stats.inc_value("newsdedup/pages/cpu_seconds", result.seconds)
        if result.article is None:
            reason = result.reason or REJECTED
            outcome = page_outcome(reason)
            stats.inc_value(f"newsdedup/{'errors' if outcome == ERROR else 'rejected'}/{reason}")
            if result.page_type:
                stats.inc_value(f"newsdedup/page_types/{result.page_type}")
            return FetchRecord(
                url=item.url,
                status=item.status,
                outcome=outcome,
                reason=reason,
                fetched_at=item.fetched_at,
                detail=result.detail,
                source=item.source,
                page_type=result.page_type,
            )
        stats.inc_value("newsdedup/extracted")
        stats.inc_value(f"newsdedup/page_types/{ARTICLE}")
        # The page goes to the store as its page process compressed it, else as fetched.
        record = result.record(
            fetched_at=item.fetched_at,
            http_status=item.status,
            raw_html=item.body if self.keep_html and result.html_zlib is None else None,
            source=item.source,
        )
        if not self.keep_html:
            record["raw_html_zlib"] = None
        return ArticleItem(**record, fetched_url=item.url)


class SourceLanguagePipeline:
    """Between verdict and storage: keep only articles in their source's language(s).

    An article whose detected language is not among the source's ``language`` codes becomes a
    rejected fetch (reason "language"); one with no detected language gets the source's first.
    Sources without ``language`` accept everything.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SourceLanguagePipeline:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, ArticleItem) or item.source is None:
            return item
        sources = getattr(self.crawler.spider, "sources", {})
        source = sources.get(item.source)
        if source is None or not source.language:
            return item
        if item.language is None:
            item.language = source.language[0]
            return item
        if item.language.split("-")[0].lower() in source.language:
            return item
        self.crawler.stats.inc_value(f"newsdedup/rejected/{LANGUAGE}")
        return FetchRecord(
            url=item.fetched_url,
            status=item.http_status,
            outcome=REJECTED,
            reason=LANGUAGE,
            fetched_at=item.fetched_at,
            detail=(
                f"article in {item.language!r}, source {item.source!r} expects "
                f"{', '.join(source.language)}"
            ),
            source=item.source,
            page_type=ARTICLE,  # an article, in another language
        )


class StorePipeline:
    """Deduplicate each article against the whole store and write it, logging every fetch."""

    def __init__(self, crawler: Crawler, db_path: str):
        self.crawler = crawler
        self.db_path = db_path
        self.store: Store | None = None
        self.writer: ArticleWriter | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        db_path = crawler.settings.get("NEWSDEDUP_DB")
        if not db_path:
            raise NotConfigured("NEWSDEDUP_DB is empty: set it to the SQLite file to write to")
        return cls(crawler, db_path)

    def open_spider(self) -> None:
        try:
            self.store = Store.open(self.db_path)
        except StoreError as exc:
            logger.error("cannot open the store: %s", exc)
            raise
        self.writer = ArticleWriter(self.store)

    def close_spider(self) -> None:
        if self.store is not None:
            self.store.close()
            self.store = None

    def process_item(self, item: Any) -> Any:
        if self.store is None or self.writer is None:
            raise RuntimeError("the store pipeline got an item before its spider opened")
        stats = self.crawler.stats
        if isinstance(item, FetchRecord):
            self.store.log_fetch(
                item.url,
                status=item.status,
                outcome=item.outcome,
                reason=item.reason,
                fetched_at=item.fetched_at,
                source=item.source,
                page_type=item.page_type,
            )
            level = "DEBUG" if item.reason in QUIET_REASONS else "INFO"
            detail = f" ({item.detail})" if item.detail else ""
            raise DropItem(f"{item.outcome} {item.url}: {item.reason}{detail}", log_level=level)
        if not isinstance(item, ArticleItem):
            return item
        record = store_record(item)
        stripped, restated = self.writer.stripped, self.writer.restated
        result, _ = self.writer.write(record, item.fetched_url)
        if self.writer.stripped > stripped:
            stats.inc_value("newsdedup/boilerplate_stripped")
        if self.writer.restated > restated:
            # Stored articles cleaned again by what this one taught.
            stats.inc_value("newsdedup/boilerplate_restated", self.writer.restated - restated)
        item.status = result.status
        item.article_id = result.article_id
        item.duplicate_of = result.duplicate_of
        item.similarity = result.similarity
        stats.inc_value(f"newsdedup/articles/{result.status}")
        if result.status == DUPLICATE:
            logger.info(
                "duplicate %s of article %s (%s, similarity %.2f)",
                item.url,
                result.duplicate_of,
                result.match,
                result.similarity or 0.0,
            )
        # The page and its signature are stored; feed exports and logs need neither.
        item.raw_html = item.raw_html_zlib = item.minhash = None
        return item


__all__ = ["SourceLanguagePipeline", "StorePipeline", "VerdictPipeline"]
