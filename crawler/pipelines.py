"""Item pipelines: what a page worker made of each page becomes an article or a reasoned fetch
record; articles are then deduplicated and stored in one step."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, fields
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem, NotConfigured

from crawler.items import ArticleItem, FetchRecord, PageItem
from crawler.page.process import PageResult, process_page
from crawler.urls import canonicalize, site_of
from crawler.writer import ArticleWriter
from storage import Store, StoreError
from storage.outcomes import ERROR, QUIET_REASONS, REJECTED, fetch_outcome, page_outcome

logger = logging.getLogger(__name__)


@dataclass
class ProcessedPage(PageItem):
    """A fetched HTML page with what a page worker made of it: links, article or reason."""

    result: PageResult | None = None


@dataclass
class SignedArticle(ArticleItem):
    """An article with the MinHash signature its worker computed and its page as the worker
    compressed it, so the store need not do either."""

    minhash: bytes | None = None
    raw_html_zlib: bytes | None = field(default=None, repr=False)


class ExtractPipeline:
    """Turn a page into an ``ArticleItem``, or into a ``FetchRecord`` saying why not.

    Pages arrive processed (``ProcessedPage``: the spider had a worker parse them once, for links
    and article together); a bare ``PageItem`` is processed here, in the crawl process.
    """

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.keep_html = crawler.settings.getbool("NEWSDEDUP_KEEP_HTML")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ExtractPipeline:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        if isinstance(item, ProcessedPage) and item.result is not None:
            result = item.result
        elif isinstance(item, PageItem):
            result = process_page(item.body, item.url, item.encoding, links=False)
        else:
            return item
        stats = self.crawler.stats
        stats.inc_value("newsdedup/pages/cpu_seconds", result.seconds)
        article = result.article
        if article is None:
            reason = result.reason or REJECTED
            outcome = page_outcome(reason)
            stats.inc_value(f"newsdedup/{'errors' if outcome == ERROR else 'rejected'}/{reason}")
            return FetchRecord(
                url=item.url,
                status=item.status,
                outcome=outcome,
                reason=reason,
                fetched_at=item.fetched_at,
                detail=result.detail,
                source=item.source,
            )
        stats.inc_value("newsdedup/extracted")
        return SignedArticle(
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
            raw_html=item.body if self.keep_html and result.html_zlib is None else None,
            source=item.source,
            minhash=result.minhash,
            raw_html_zlib=result.html_zlib if self.keep_html else None,
        )


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


# Fields of ArticleItem that the store does not take: they describe the store's answer.
_RESULT_FIELDS = ("status", "article_id", "duplicate_of", "similarity", "fetched_url")


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
        assert self.writer is not None
        # The fields as they are: dataclasses.asdict would deep-copy every list and page.
        record = {
            f.name: getattr(item, f.name) for f in fields(item) if f.name not in _RESULT_FIELDS
        }
        record["variant"] = canonicalize(item.fetched_url) != item.url
        stripped = self.writer.stripped
        result = self.writer.add(record)
        if self.writer.stripped > stripped:
            stats.inc_value("newsdedup/boilerplate_stripped")
        item.status = result.status
        item.article_id = result.article_id
        item.duplicate_of = result.duplicate_of
        item.similarity = result.similarity
        outcome = fetch_outcome(result.status)
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
        # The page body and signature have been stored; do not carry them further (feed exports,
        # logs).
        item.raw_html = None
        if isinstance(item, SignedArticle):
            item.minhash = item.raw_html_zlib = None
        return item
