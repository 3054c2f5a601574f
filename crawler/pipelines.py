"""Item pipelines: extract and clean each page, then deduplicate and store it in one step."""

from __future__ import annotations

import logging
from dataclasses import asdict
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem, NotConfigured

from crawler.extract import PageRejected, extract_article
from crawler.items import ArticleItem, FetchRecord, PageItem
from crawler.urls import site_of
from storage import Store, StoreError

logger = logging.getLogger(__name__)

# Rejections that are the normal business of a crawl (hubs, tag pages) are logged quietly.
QUIET_REASONS = frozenset({"not_article"})


class ExtractPipeline:
    """Turn a ``PageItem`` into an ``ArticleItem``, or into a ``FetchRecord`` saying why not."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.keep_html = crawler.settings.getbool("NEWSDEDUP_KEEP_HTML")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ExtractPipeline:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, PageItem):
            return item
        stats = self.crawler.stats
        html = item.body.decode(item.encoding or "utf-8", errors="replace")
        try:
            article = extract_article(html, item.url)
        except PageRejected as rejection:
            stats.inc_value(f"newsdedup/rejected/{rejection.reason}")
            return FetchRecord(
                url=item.url,
                status=item.status,
                outcome="rejected",
                reason=rejection.reason,
                fetched_at=item.fetched_at,
                detail=rejection.detail,
                source=item.source,
            )
        stats.inc_value("newsdedup/extracted")
        return ArticleItem(
            url=article.url,
            fetched_url=item.url,
            title=article.title,
            text=article.text,
            fetched_at=item.fetched_at,
            http_status=item.status,
            authors=list(article.authors),
            published=article.published,
            modified=article.modified,
            language=article.language,
            site=site_of(article.url),
            site_name=article.site_name,
            description=article.description,
            tags=list(article.tags),
            image=article.image,
            captions=list(article.captions),
            raw_html=item.body if self.keep_html else None,
            source=item.source,
        )


# Fields of ArticleItem that the store does not take: they describe the store's answer.
_RESULT_FIELDS = ("status", "article_id", "duplicate_of", "similarity", "fetched_url")


class StorePipeline:
    """Deduplicate each article against the whole store and write it, logging every fetch."""

    def __init__(self, crawler: Crawler, db_path: str):
        self.crawler = crawler
        self.db_path = db_path
        self.store: Store | None = None

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

    def close_spider(self) -> None:
        if self.store is not None:
            self.store.close()
            self.store = None

    def process_item(self, item: Any) -> Any:
        assert self.store is not None, "the store opens with the spider"
        stats = self.crawler.stats
        if isinstance(item, FetchRecord):
            self.store.log_fetch(
                item.url,
                status=item.status,
                outcome=item.outcome,
                reason=item.reason,
                fetched_at=item.fetched_at,
                source=item.source,
            )
            level = "DEBUG" if item.reason in QUIET_REASONS else "INFO"
            detail = f" ({item.detail})" if item.detail else ""
            raise DropItem(f"{item.outcome} {item.url}: {item.reason}{detail}", log_level=level)
        if not isinstance(item, ArticleItem):
            return item
        record = {k: v for k, v in asdict(item).items() if k not in _RESULT_FIELDS}
        result = self.store.add_article(record)
        item.status = result.status
        item.article_id = result.article_id
        item.duplicate_of = result.duplicate_of
        item.similarity = result.similarity
        outcome = "stored" if result.status == "new" else result.status
        self.store.log_fetch(
            item.fetched_url,
            status=item.http_status,
            outcome=outcome,
            article_id=result.article_id,
            fetched_at=item.fetched_at,
            source=item.source,
        )
        stats.inc_value(f"newsdedup/articles/{result.status}")
        if result.status == "duplicate":
            logger.info(
                "duplicate %s of article %s (%s, similarity %.2f)",
                item.url,
                result.duplicate_of,
                result.match,
                result.similarity or 0.0,
            )
        # The page body has been stored; do not carry it further (feed exports, logs).
        item.raw_html = None
        return item
