"""An article's metadata: the page's own tags first, trafilatura's where they are silent."""

from __future__ import annotations

import functools
import logging
import re
import unicodedata
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

from crawler.page.bylines import Byline, byline, needs_page_bylines
from crawler.page.dates import PageDates, page_dates
from crawler.page.signals import Signals, read_bylines
from crawler.page.titles import displayed_site_name, headline, site_names
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

    def __init__(self, tree: HtmlElement, url: str, date_tree: HtmlElement | None = None) -> None:
        self.tree = tree
        # The page before pruning, where the date is searched: date lines sit in the headers and
        # bylines that pruning takes out with the furniture.
        self.date_tree = date_tree if date_tree is not None else tree
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

    @property
    def date_url(self) -> str:
        """The URL whose path htmldate reads: the page's own, else the one it was fetched from."""
        return self.declared_url or self.page_url

    @functools.cached_property
    def date(self) -> str | None:
        return find_date(self.date_tree, url=self.date_url, **set_date_params(extensive=True))

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


def title(url: str, signals: Signals, found: Metadata) -> str | None:
    """The headline (:func:`crawler.page.titles.headline`), trafilatura's title without it."""
    value = headline(signals, url, fallback=found.title)
    return unicodedata.normalize("NFC", value) if value else None


def read_page_bylines(tree: HtmlElement, url: str, signals: Signals) -> None:
    """Add the page's byline elements to ``signals`` when its markup names no author.

    Call it before the tree is cleaned (cleaning takes blocks out that hold bylines).
    """
    if needs_page_bylines(signals, site_names(signals, url)):
        signals.bylines = read_bylines(tree)


def authors(url: str, signals: Signals, found: Metadata, text: str | None = None) -> Byline:
    """The byline's people and agency (:func:`crawler.page.bylines.byline`); trafilatura's
    reading of the page when its markup names nobody. ``text`` is the article's text, whose
    opening dateline may name an agency."""
    publishers = site_names(signals, url)
    return byline(signals, publishers, text=text, fallback=found.author)


def shown_description(signals: Signals) -> str | None:
    """The description the page shows to sharers (og:description, else description)."""
    return first(signals.meta.get("og:description"), signals.meta.get("description"))


def description(signals: Signals, found: Metadata) -> str | None:
    """The page's description, trafilatura's as a last resort."""
    return first(shown_description(signals), found.description)


def site_name(url: str, signals: Signals, found: Metadata) -> str | None:
    """The publication's name: og:site_name, then trafilatura's, then the JSON-LD publisher;
    the name its page titles carry rather than a bare host name."""
    publisher = signals.ld.get("publisher")
    name = signals.meta.get("og:site_name") or first(found.sitename, *ld_names(publisher)[:1])
    if not name or ("." in name and " " not in name):
        return displayed_site_name(signals, url) or name
    return name


def dates(signals: Signals, found: Metadata) -> PageDates:
    """Publication and update dates (:func:`crawler.page.dates.page_dates`); htmldate's
    search of the URL and text only when the page's markup gives no publication date."""
    return page_dates(signals, found.date_url, search=lambda: first(found.date))


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
    "read_page_bylines",
    "description",
    "image",
    "page_type",
    "publisher_names",
    "dates",
    "shown_description",
    "site_name",
    "tags",
    "title",
]
