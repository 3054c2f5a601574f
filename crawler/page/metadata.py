"""An article's metadata: the page's own tags first, trafilatura's where they are silent."""

from __future__ import annotations

import functools
import logging
import re
import unicodedata
from datetime import datetime
from html import unescape
from urllib.parse import urljoin

from htmldate import find_date
from lxml.html import HtmlElement
from trafilatura.metadata import (
    examine_meta,
    extract_author,
    extract_catstags,
    extract_meta_json,
    extract_sitename,
    extract_title,
    extract_url,
)
from trafilatura.settings import Document, set_date_params
from trafilatura.utils import line_processing

from crawler.page.signals import Signals
from crawler.urls import site_of

logger = logging.getLogger(__name__)

# Second-level suffixes that come before a country code; the publisher's name is left of them.
_SECOND_LEVEL = frozenset({"co", "com", "org", "net", "gov", "ac", "or", "ne", "go"})
# Shorter host names ("ap", "rt") are too likely to open an ordinary sentence.
_HOST_NAME_MIN_CHARS = 4
# trafilatura's own cap on a metadata value, in characters.
_METADATA_MAX_CHARS = 10000
# Where the host name gives the site's name when nothing else does (as trafilatura reads it).
_HOST_NAME = re.compile(r"https?://(?:www\.|w[0-9]+\.)?([^/]+)")


def _trimmed(value: str | None) -> str | None:
    """A metadata value as trafilatura hands it out: capped, entities decoded, spaces tidied."""
    if not value:
        return value
    if len(value) > _METADATA_MAX_CHARS:
        value = value[: _METADATA_MAX_CHARS - 1] + "…"
    return line_processing(unescape(value))


class Metadata:
    """trafilatura's metadata of a page, each costly field read only when it is asked for.

    ``bare_extraction(with_metadata=True)`` reads every field of every page, the date through
    htmldate, whose search builds dateparser's patterns for every locale the first time a
    process needs them. The page's meta tags and JSON-LD come first for those fields (the
    functions below), so the costly ones are read here only when the page has nothing better.
    Title and authors come from the same steps as in trafilatura (head, JSON-LD, then the page),
    so they are read at once.
    """

    def __init__(self, tree: HtmlElement, url: str) -> None:
        self.tree = tree
        self.page_url = url
        doc = examine_meta(tree)
        if doc.author and " " not in doc.author:
            doc.author = None  # a single word is a handle or a section name, not a byline
        try:
            doc = extract_meta_json(tree, doc)
        except Exception as err:  # the library's JSON-LD walk has bugs on odd documents
            logger.debug("trafilatura could not read the JSON-LD of %s: %s", url, err)
        self.doc: Document = doc
        self.title = _trimmed(doc.title or extract_title(tree))
        self.author = _trimmed(doc.author or extract_author(tree))
        self.image = _trimmed(doc.image)
        self.description = _trimmed(doc.description)
        self.pagetype = _trimmed(doc.pagetype)

    @functools.cached_property
    def declared_url(self) -> str | None:
        """The page's own URL for itself (og:url, JSON-LD, rel=canonical), if it gives one."""
        return self.doc.url or extract_url(self.tree)

    @functools.cached_property
    def sitename(self) -> str | None:
        name = self.doc.sitename or extract_sitename(self.tree)
        if name:
            name = name.lstrip("@")
            if name and "." not in name and not name[0].isupper():
                name = name.title()
        elif self.declared_url and (match := _HOST_NAME.match(self.declared_url)):
            name = match[1]
        return _trimmed(name)

    @functools.cached_property
    def date(self) -> str | None:
        # The URL it was fetched from when the page names none: htmldate reads dates in paths.
        url = self.declared_url or self.page_url
        return find_date(self.tree, url=url, **set_date_params(extensive=True))

    @functools.cached_property
    def tags(self) -> list[str]:
        return self.doc.tags or extract_catstags("tag", self.tree)


def publisher_names(url: str, site_name: str | None) -> list[str]:
    """Names a publisher goes by: its site name and the name in its host ("ascom.com")."""
    labels = site_of(url).split(":")[0].split(".")
    # "example.co.uk": the name is before the second-level suffix.
    while len(labels) > 2 and labels[-2] in _SECOND_LEVEL:
        labels = labels[:-1]
    names = [site_name] if site_name else []
    if len(labels) >= 2 and len(labels[-2]) >= _HOST_NAME_MIN_CHARS:
        names.append(labels[-2])
    return names


def iso(value: object) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    try:
        datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return text


def first(*values: object) -> str | None:
    for value in values:
        if isinstance(value, str) and value.strip():
            return " ".join(value.split())
    return None


def ld_names(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return ld_names(value.get("name"))
    if isinstance(value, list):
        return [name for item in value for name in ld_names(item)]
    return []


def tags(signals: Signals, found: Metadata) -> list[str]:
    raw: list[str] = list(signals.meta_tags)
    keywords = signals.ld.get("keywords")
    if isinstance(keywords, list):
        raw.extend(k for k in keywords if isinstance(k, str))
    elif isinstance(keywords, str):
        raw.extend(keywords.split(","))
    for name in ("news_keywords", "keywords"):
        if not raw and signals.meta.get(name):
            raw.extend(signals.meta[name].split(","))
    if not raw:
        raw.extend(found.tags)
    tags: list[str] = []
    for tag in raw:
        tag = " ".join(tag.split())
        if tag and tag not in tags:
            tags.append(tag)
    return tags


def title(signals: Signals, found: Metadata) -> str | None:
    """The headline: trafilatura's reading of head and JSON-LD, then og:title, then headline."""
    value = first(found.title, signals.meta.get("og:title"), signals.ld.get("headline"))
    return unicodedata.normalize("NFC", value) if value else value


def authors(signals: Signals, found: Metadata) -> list[str]:
    """The byline's names: trafilatura's reading, else the JSON-LD ``author``."""
    names = [a.strip() for a in (found.author or "").split(";") if a.strip()]
    if not names:
        names = [" ".join(n.split()) for n in ld_names(signals.ld.get("author")) if n.strip()]
    return names


def shown_description(signals: Signals) -> str | None:
    """The description the page shows to sharers (og:description, else description)."""
    return first(signals.meta.get("og:description"), signals.meta.get("description"))


def description(signals: Signals, found: Metadata) -> str | None:
    """The page's description, trafilatura's as a last resort."""
    return first(shown_description(signals), found.description)


def site_name(signals: Signals, found: Metadata) -> str | None:
    """The publication's name: og:site_name, then trafilatura's, then the JSON-LD publisher."""
    publisher = signals.ld.get("publisher")
    return signals.meta.get("og:site_name") or first(found.sitename, *ld_names(publisher)[:1])


def published(signals: Signals, found: Metadata) -> str | None:
    """The publication date: the page's tags and JSON-LD, else htmldate's search."""
    meta, ld = signals.meta, signals.ld
    return first(
        iso(meta.get("article:published_time")),
        iso(ld.get("datePublished")),
        iso(meta.get("og:published_time")),
        iso(meta.get("date")),
    ) or first(found.date)


def modified(signals: Signals) -> str | None:
    """The last modification date the page's tags or JSON-LD give."""
    meta, ld = signals.meta, signals.ld
    return first(
        iso(meta.get("article:modified_time")),
        iso(ld.get("dateModified")),
        iso(meta.get("og:updated_time")),
    )


def image(url: str, signals: Signals, found: Metadata) -> str | None:
    """The lead image's absolute URL."""
    value = first(signals.meta.get("og:image"), signals.meta.get("twitter:image"), found.image)
    return urljoin(url, value) if value else None


def page_type(signals: Signals, found: Metadata) -> str | None:
    """What the page says it is: its JSON-LD article type, og:type or trafilatura's page type."""
    return signals.ld_article_type or first(signals.meta.get("og:type"), found.pagetype)


__all__ = [
    "Metadata",
    "authors",
    "description",
    "image",
    "modified",
    "page_type",
    "publisher_names",
    "published",
    "shown_description",
    "site_name",
    "tags",
    "title",
]
