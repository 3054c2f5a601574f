"""Discovery of article URLs: what a response is, and which URLs it leads to (no Scrapy here)."""

from __future__ import annotations

import io
import re
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum
from urllib.parse import urljoin, urlsplit

import lxml.etree
import lxml.html

from crawler.urls import canonicalize, site_of


class Kind(str, Enum):
    """What a fetched response turned out to be, judged from its bytes."""

    HTML = "html"
    FEED = "feed"
    SITEMAP = "sitemap"
    SITEMAP_INDEX = "sitemap_index"
    OTHER = "other"


# How much of a body is looked at to tell HTML from a feed or a sitemap: enough to get past an
# XML declaration, comments, a stylesheet instruction and a long doctype.
SNIFF_BYTES = 4096
# A compressed sitemap may not inflate past this: a sitemap holds at most 50,000 URLs (~10 MB).
MAX_SITEMAP_BYTES = 50 * 1024 * 1024
# Links to these never lead to an article page.
ASSET_EXTENSIONS = frozenset(
    ".jpg .jpeg .png .gif .webp .svg .ico .bmp .tif .tiff .avif .mp3 .mp4 .m4a .wav .ogg .webm "
    ".mov .avi .pdf .zip .gz .tgz .bz2 .7z .rar .exe .dmg .apk .css .js .json .woff .woff2 .ttf "
    ".eot .doc .docx .xls .xlsx .ppt .pptx .csv".split()
)
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml")

_ROOT_TAG = re.compile(rb"<\s*([A-Za-z][\w.-]*:)?([A-Za-z][\w.-]*)")
_XML_PARSER = lxml.etree.XMLParser(
    recover=True, resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True
)


@dataclass(frozen=True)
class Entry:
    """A URL that a feed or sitemap lists, with the date it gives, if any."""

    url: str
    published: str | None = None
    title: str | None = None


@dataclass
class Links:
    """What an HTML page points to: pages to follow, feeds and sitemaps it advertises."""

    pages: list[str] = field(default_factory=list)
    feeds: list[str] = field(default_factory=list)


def maybe_gunzip(body: bytes, limit: int = MAX_SITEMAP_BYTES) -> bytes:
    """Return ``body`` inflated if it is gzip data (a ``.xml.gz`` sitemap), else unchanged.

    Raises ``ValueError`` when the inflated size would pass ``limit`` (a decompression bomb).
    """
    if not body.startswith(b"\x1f\x8b"):
        return body
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    out = inflater.decompress(body, limit + 1)
    if len(out) > limit:
        raise ValueError(f"compressed body inflates past {limit} bytes")
    return out


def sniff_kind(body: bytes, content_type: str | None = None) -> Kind:
    """Tell what a response is from its first bytes, not from its URL or declared type.

    Servers label feeds ``text/xml``, ``text/html`` or ``application/octet-stream`` often enough
    that the declared type is only a tie-breaker.
    """
    head = body[:SNIFF_BYTES].lstrip(b"\xef\xbb\xbf \t\r\n")
    head = re.sub(rb"<\?.*?\?>|<!--.*?-->", b"", head, flags=re.S).lstrip()
    lowered = head[:512].lower()
    if lowered.startswith((b"<!doctype html", b"<html")):
        return Kind.HTML
    match = _ROOT_TAG.search(head) if head.startswith(b"<") else None
    if match:
        root = match.group(2).lower()
        if root in (b"rss", b"feed", b"rdf"):
            return Kind.FEED
        if root == b"urlset":
            return Kind.SITEMAP
        if root == b"sitemapindex":
            return Kind.SITEMAP_INDEX
        if root in (b"html", b"head", b"body", b"div", b"p", b"meta", b"title", b"!doctype"):
            return Kind.HTML
    ctype = (content_type or "").lower()
    if "html" in ctype and b"\x00" not in head:
        return Kind.HTML
    return Kind.OTHER


def _local(tag: object) -> str:
    if not isinstance(tag, str):
        return ""
    return tag.rpartition("}")[2].lower()


def _parse_xml(body: bytes) -> lxml.etree._Element | None:
    try:
        return lxml.etree.fromstring(body, parser=_XML_PARSER)
    except lxml.etree.XMLSyntaxError:
        return None


def _child_text(element: lxml.etree._Element, *names: str) -> str | None:
    for child in element.iter():
        if _local(child.tag) in names and child.text and child.text.strip():
            return child.text.strip()
    return None


def parse_feed(body: bytes, base_url: str) -> list[Entry]:
    """Return the entries of an RSS 2.0, RSS 1.0 (RDF) or Atom feed, links made absolute."""
    root = _parse_xml(body)
    if root is None:
        return []
    entries: list[Entry] = []
    for item in root.iter():
        name = _local(item.tag)
        if name not in ("item", "entry"):
            continue
        url = None
        for child in item:
            child_name = _local(child.tag)
            if child_name == "link":
                href = child.get("href")
                rel = (child.get("rel") or "alternate").lower()
                if href and rel == "alternate":
                    url = href.strip()
                    break
                if not href and child.text and child.text.strip():
                    url = child.text.strip()
                    break
        if url is None:
            guid = item.find("guid")
            if guid is not None and (guid.get("isPermaLink") or "true").lower() == "true":
                url = (guid.text or "").strip() or None
        if not url:
            continue
        published = _child_text(item, "pubdate", "published", "updated", "date", "issued")
        title = _child_text(item, "title")
        entries.append(Entry(urljoin(base_url, url), published, title))
    return entries


def parse_sitemap(body: bytes, base_url: str) -> tuple[list[Entry], list[str]]:
    """Return ``(pages, sitemaps)`` listed by a sitemap or a sitemap index.

    Pages carry ``news:publication_date`` (Google News sitemaps) or else ``lastmod`` as their
    date, and ``news:title`` as their title.
    """
    root = _parse_xml(maybe_gunzip(body))
    if root is None:
        return [], []
    pages: list[Entry] = []
    sitemaps: list[str] = []
    for element in root:
        name = _local(element.tag)
        loc = None
        lastmod = news_date = news_title = None
        for child in element.iter():
            child_name = _local(child.tag)
            text = (child.text or "").strip()
            if child_name == "loc" and loc is None:
                loc = text
            elif child_name == "lastmod":
                lastmod = text or None
            elif child_name == "publication_date":
                news_date = text or None
            elif child_name == "title" and "news" in str(child.tag):
                news_title = text or None
        if not loc:
            continue
        url = urljoin(base_url, loc)
        if name == "sitemap":
            sitemaps.append(url)
        elif name == "url":
            pages.append(Entry(url, news_date or lastmod, news_title))
    return pages, sitemaps


def sitemaps_from_robots(body: bytes, base_url: str) -> list[str]:
    """Return the ``Sitemap:`` URLs a robots.txt names."""
    found = []
    for raw in io.BytesIO(body):
        line = raw.strip()
        if line[:8].lower() == b"sitemap:":
            url = line[8:].strip().decode("utf-8", "replace")
            if url:
                found.append(urljoin(base_url, url))
    return found


def is_crawlable(url: str) -> bool:
    """Return True for an http(s) URL that may lead to a page (not an image, PDF, script...).

    A malformed address (a port that is no number, a broken IPv6 host) leads nowhere."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError:
        return False
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return False
    path = parts.path.lower()
    dot = path.rfind(".")
    return not (dot > path.rfind("/") and path[dot:] in ASSET_EXTENSIONS)


def html_links(body: bytes, base_url: str, encoding: str | None = None) -> Links:
    """Return the crawlable links and the advertised feeds of an HTML page, canonicalised.

    Parses ``body``; where the page is parsed anyway, :func:`tree_links` reads the same tree.
    """
    parser = lxml.html.HTMLParser(encoding=encoding) if encoding else None
    try:
        doc = lxml.html.document_fromstring(body, parser=parser, base_url=base_url)
    except (lxml.etree.ParserError, ValueError):
        return Links()
    return tree_links(doc, base_url)


def tree_links(doc: lxml.html.HtmlElement, base_url: str) -> Links:
    """Return the crawlable links and the advertised feeds of a parsed page, canonicalised.

    ``<base href>`` is honoured; ``rel=nofollow`` links are skipped; links keep document order
    and appear once. The tree is only read.
    """
    base = doc.find(".//base[@href]")
    if base is not None:
        base_url = urljoin(base_url, base.get("href", ""))
    links = Links()
    seen: set[str] = set()

    def add(target: list[str], href: str | None) -> None:
        if not href:
            return
        try:
            url = urljoin(base_url, href.strip())
        except ValueError:  # an href no address can be made of: "http://[broken/"
            return
        if not is_crawlable(url):
            return
        url = canonicalize(url)
        if url not in seen:
            seen.add(url)
            target.append(url)

    for link in doc.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        kind = (link.get("type") or "").lower()
        if "alternate" in rel and kind in FEED_TYPES:
            add(links.feeds, link.get("href"))
    for anchor in doc.iter("a"):
        if "nofollow" in (anchor.get("rel") or "").lower().split():
            continue
        add(links.pages, anchor.get("href"))
    return links


def same_site(urls: Iterable[str], sites: set[str]) -> list[str]:
    """Keep the URLs whose site (host without ``www.``, port) is one of ``sites``."""
    return [url for url in urls if site_of(url) in sites]


__all__ = [
    "Entry",
    "Kind",
    "Links",
    "html_links",
    "is_crawlable",
    "maybe_gunzip",
    "parse_feed",
    "parse_sitemap",
    "same_site",
    "sitemaps_from_robots",
    "sniff_kind",
    "tree_links",
]
