"""Items that travel from the spider through the pipelines to the store."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class PageItem:
    """A fetched HTML page that may hold an article; the extraction pipeline decides."""

    url: str
    status: int
    # Kept out of repr: Scrapy logs dropped items, and a page body would flood the log.
    body: bytes = field(repr=False)
    encoding: str | None
    fetched_at: str
    source: str | None = None


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


@dataclass
class ArticleItem:
    """An extracted, cleaned article ready to be deduplicated and stored."""

    url: str
    fetched_url: str
    title: str | None
    text: str
    fetched_at: str
    http_status: int
    authors: list[str] = field(default_factory=list)
    published: str | None = None
    modified: str | None = None
    language: str | None = None
    site: str | None = None
    site_name: str | None = None
    description: str | None = None
    tags: list[str] = field(default_factory=list)
    image: str | None = None
    captions: list[str] = field(default_factory=list)
    raw_html: bytes | None = field(default=None, repr=False)
    source: str | None = None
    # Filled in by the store pipeline: what the store made of it.
    status: str | None = None
    article_id: int | None = None
    duplicate_of: int | None = None
    similarity: float | None = None
