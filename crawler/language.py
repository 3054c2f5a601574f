"""A source's expected language: fill it in where extraction found none, reject other ones."""

from __future__ import annotations

import logging
from typing import Any

from scrapy.crawler import Crawler

from crawler.items import ArticleItem, FetchRecord

logger = logging.getLogger(__name__)


class SourceLanguagePipeline:
    """Between extraction and storage: keep only articles in their source's language(s).

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
        self.crawler.stats.inc_value("newsdedup/rejected/language")
        return FetchRecord(
            url=item.fetched_url,
            status=item.http_status,
            outcome="rejected",
            reason="language",
            fetched_at=item.fetched_at,
            detail=(
                f"article in {item.language!r}, source {item.source!r} expects "
                f"{', '.join(source.language)}"
            ),
            source=item.source,
        )


__all__ = ["SourceLanguagePipeline"]
