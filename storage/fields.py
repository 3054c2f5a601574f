"""The article's fields, listed once: extraction, items, rows and exports derive from it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Field:
    """One article field: its name, its kind, who sets it and whether exports carry it.

    ``kind`` is "text" (a string or None), "list" (a list of strings, stored as JSON), "int" or
    "float". ``origin`` is "page" (extraction of the page gives it), "fetch" (the crawl or ingest
    that fetched the page gives it) or "store" (the store computes it).
    """

    name: str
    kind: str
    origin: str
    export: bool = True


# The order is the export's column order (the contract with export and the CLI).
FIELDS: tuple[Field, ...] = (
    Field("id", "int", "store"),
    Field("url", "text", "page"),
    Field("title", "text", "page"),
    Field("text", "text", "page"),
    Field("published", "text", "page"),
    Field("modified", "text", "page"),
    # Which part of the page gave `published`: jsonld, meta, time, url or text.
    Field("date_source", "text", "page"),
    Field("authors", "list", "page"),
    # The news agency credited for agency copy ("AP", "dpa"), apart from the people in authors.
    Field("agency", "text", "page"),
    Field("language", "text", "page"),
    Field("site", "text", "fetch"),
    Field("site_name", "text", "page"),
    Field("description", "text", "page"),
    Field("tags", "list", "page"),
    Field("image", "text", "page"),
    Field("captions", "list", "page"),
    Field("fetched_at", "text", "fetch"),
    Field("duplicate_of", "int", "store"),
    Field("similarity", "float", "store"),
    # free | paywalled | truncated (crawler.page.access); NULL for articles stored before it.
    Field("access", "text", "page"),
    # Not in an export unless asked for with --fields.
    Field("match", "text", "store", export=False),
    Field("matched_id", "int", "store", export=False),
    Field("word_count", "int", "store", export=False),
    Field("page_type", "text", "page", export=False),
    # The page's template (crawler.page.template): site boilerplate is learned per template.
    Field("template", "text", "page", export=False),
    Field("source", "text", "fetch", export=False),
    Field("http_status", "int", "fetch", export=False),
    Field("first_seen", "text", "store", export=False),
    Field("updated_at", "text", "store", export=False),
)

BY_NAME = {f.name: f for f in FIELDS}
# Fields every export row carries, in this order.
EXPORT_FIELDS = tuple(f.name for f in FIELDS if f.export)
# Everything an article dict read from the store carries.
ARTICLE_FIELDS = tuple(f.name for f in FIELDS)
# What extraction of one page gives: crawler's Article carries exactly these.
PAGE_FIELDS = tuple(f.name for f in FIELDS if f.origin == "page")
LIST_FIELDS = tuple(f.name for f in FIELDS if f.kind == "list")
# Optional string columns a record sets (url, text and fetched_at are checked apart).
TEXT_FIELDS = tuple(
    f.name
    for f in FIELDS
    if f.origin != "store" and f.kind == "text" and f.name not in ("url", "text", "fetched_at")
)
# What Store.add_article takes: the page's and the fetch's fields, the page itself, and the
# text to match on when it is not the whole text (``match_text``, see Store.add_article).
RECORD_KEYS = frozenset(
    {f.name for f in FIELDS if f.origin != "store"}
    | {"raw_html", "raw_html_zlib", "minhash", "variant", "match_text"}
)

__all__ = [
    "ARTICLE_FIELDS",
    "BY_NAME",
    "EXPORT_FIELDS",
    "FIELDS",
    "LIST_FIELDS",
    "PAGE_FIELDS",
    "RECORD_KEYS",
    "TEXT_FIELDS",
    "Field",
]
