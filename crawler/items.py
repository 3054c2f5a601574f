"""Items that travel from the spider through the pipelines to the store.

An :class:`ArticleItem` carries the fields of ``storage.fields`` that a page and its fetch give,
so a field added there reaches the store from a crawl with no change here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from crawler.page.article import article_class, field_specs
from storage.fields import ARTICLE_FIELDS, RECORD_KEYS

if TYPE_CHECKING:
    from crawler.page.process import PageResult


@dataclass
class PageItem:
    """A fetched HTML page with what a page process made of it: links, article or reason."""

    url: str
    status: int
    # Kept out of repr: Scrapy logs dropped items, and a page body would flood the log.
    body: bytes = field(repr=False)
    encoding: str | None
    fetched_at: str
    source: str | None = None
    result: PageResult | None = None


@dataclass
class FetchRecord:
    """A fetch that produced no article (an error, a non-HTML body, a rejected page)."""

    url: str
    status: int | None
    outcome: str
    reason: str
    fetched_at: str
    detail: str = ""
    source: str | None = None


# The article fields a page and its fetch give, in the order of storage.fields.
ARTICLE_KEYS = tuple(name for name in ARTICLE_FIELDS if name in RECORD_KEYS)
# The page as the store keeps it, and the MinHash signature its page process computed.
_PAGE_KEYS = ("raw_html", "raw_html_zlib", "minhash")
# What Store.add_article takes, bar "variant" (computed when the article is stored).
STORE_KEYS = (*ARTICLE_KEYS, *_PAGE_KEYS)

ArticleItem: Any = article_class(
    "ArticleItem",
    [
        *field_specs(ARTICLE_KEYS, required=("url", "text", "fetched_at", "http_status")),
        # The URL the page was fetched from; ``url`` is the article's canonical one.
        ("fetched_url", str, ""),
        # Dropped once stored.
        ("raw_html", bytes | None, field(default=None, repr=False)),
        ("raw_html_zlib", bytes | None, field(default=None, repr=False)),
        ("minhash", bytes | None, field(default=None, repr=False)),
        # What the store made of it, filled in by the store pipeline.
        ("status", str | None, None),
        ("article_id", int | None, None),
        ("duplicate_of", int | None, None),
        ("similarity", float | None, None),
    ],
    "An extracted, cleaned article ready to be deduplicated and stored.",
    __name__,
)


def store_record(item: Any) -> dict[str, Any]:
    """Return ``item``'s fields that :meth:`storage.Store.add_article` takes, as they are."""
    # Not dataclasses.asdict: it would deep-copy every list and page.
    return {name: getattr(item, name) for name in STORE_KEYS}


__all__ = ["ARTICLE_KEYS", "STORE_KEYS", "ArticleItem", "FetchRecord", "PageItem", "store_record"]
