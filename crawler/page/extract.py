"""Article extraction: one page's HTML in, one cleaned Article or a reasoned rejection out."""

from __future__ import annotations

import functools
import json
import logging
import re
import time
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import datetime
from html import unescape
from urllib.parse import urljoin, urlsplit

from htmldate import find_date
from lxml import etree
from lxml.html import (
    HtmlComment,
    HtmlElement,
    HtmlEntity,
    HTMLParser,
    HtmlProcessingInstruction,
    fromstring,
)
from trafilatura import bare_extraction
from trafilatura.metadata import (
    examine_meta,
    extract_author,
    extract_catstags,
    extract_meta_json,
    extract_sitename,
    extract_title,
    extract_url,
)
from trafilatura.settings import Document, Extractor, set_date_params
from trafilatura.utils import (
    decode_file,
    is_dubious_html,
    line_processing,
    load_html,
    repair_faulty_html,
)

from crawler.page.cleaning import clean_lines, prune_tree
from crawler.page.cleaning.text import _similar, line_key, linked_text_share
from crawler.urls import canonicalize, site_of

logger = logging.getLogger(__name__)

# Below this many words of cleaned body a page is a stub (a video page, a teaser, a paywall),
# not an article worth storing.
MIN_ARTICLE_WORDS = 40
# Without article markup, a page whose extracted text is mostly teasers (lines that open with
# a link to another page: headline, excerpt, date) is a section or tag page. A teaser's
# headline link takes at least LISTING_LINK_SHARE of its line.
LISTING_LINKED_SHARE = 0.5
LISTING_LINK_SHARE = 0.15

# JSON-LD types that say "this page is one article".
ARTICLE_LD_TYPES = frozenset(
    {
        "article",
        "newsarticle",
        "reportagenewsarticle",
        "analysisnewsarticle",
        "opinionnewsarticle",
        "backgroundnewsarticle",
        "reviewnewsarticle",
        "blogposting",
        "liveblogposting",
        "socialmediaposting",
        "techarticle",
        "scholarlyarticle",
        "report",
    }
)
# JSON-LD types of pages that list or describe things rather than tell one story.
NON_ARTICLE_LD_TYPES = frozenset(
    {"collectionpage", "profilepage", "aboutpage", "contactpage", "searchresultspage"}
)
# Path segments of listing and site pages: /tag/x, /author/jane, /section/world, /about.
NON_ARTICLE_SEGMENTS = frozenset(
    {
        "tag",
        "tags",
        "author",
        "authors",
        "section",
        "sections",
        "category",
        "categories",
        "topic",
        "topics",
        "about",
        "about-us",
        "contact",
        "contact-us",
        "search",
        "archive",
        "archives",
        "impressum",
        "imprint",
        "privacy",
        "privacy-policy",
        "terms",
    }
)
# A non-article segment only marks a listing when little path follows it: "/tag/pakistan/"
# is a tag page, "/category/world/2024/05/long-story-slug" is an article filed in a category.
NON_ARTICLE_TRAILING_SEGMENTS = 2
_SLUG_WORDS = 4  # a trailing slug with this many hyphenated words reads as a story headline
# A path of at most this many single words ("/world/", "/news/europe/") is shaped like a
# section; articles carry a slug, a number or a file name. Without article markup, such a
# page whose text is short lines (teaser excerpts) is a section page.
SECTION_MAX_SEGMENTS = 2
_SECTION_SEGMENT = re.compile(r"^[a-z]+$")
SECTION_MIN_LINES = 4
SECTION_MAX_AVG_WORDS = 15
_ARTICLE_ID = re.compile(r"\d{5,}")  # "/archive/63076": a story's number, not a listing
# Templates that cut a long story into chunks (one container per chunk, ads between them) make
# trafilatura keep only the first chunk. A paragraph it left out is taken back when its
# container has the same tag and class as a container of extracted paragraphs and both sit
# under a common ancestor at most SPLIT_BODY_LEVELS levels up: a sibling chunk of one body.
SPLIT_BODY_LEVELS = 4
# Only prose comes back: paragraphs of this many words, with little linked text, never inside
# a link (a teaser card) or a comment thread.
SPLIT_MIN_WORDS = 12
SPLIT_MAX_LINK_SHARE = 0.2
# An anchor (an extracted paragraph that tells where the body's containers are) is this long.
SPLIT_ANCHOR_MIN_WORDS = 8
# Recovered text may be at most this multiple of the extracted text; more is another page
# part (a thread, a feed of stories) that happens to share the body's markup.
SPLIT_MAX_GROWTH = 3.0
# A paragraph whose first or last words are in the extracted text is one trafilatura trimmed
# or split, not a missing one.
_SPLIT_PROBE_WORDS = 8

# The standfirst is looked for when the page's description has this many words and its first
# LEAD_PROBE_WORDS are not in the text; the element showing it is a plain block of text.
LEAD_MIN_WORDS = 8
LEAD_PROBE_WORDS = 8
LEAD_MAX_CHILDREN = 3
LEAD_START_WORDS = 3  # the words searched for in the page's text nodes
LEAD_TEXT_CHARS = 3000
_LEAD_GAP_BYTES = 200  # white space between a tag and its text in the source, at most
LEAD_LENGTH_RANGE = (0.7, 1.5)  # the shown standfirst against the description, in characters
_LEAD_TAGS = frozenset({"p", "div", "h2", "span", "strong"})
_LEAD_XPATH = etree.XPath("descendant::text()[contains(., $probe)]", smart_strings=True)
LEAD_LEVELS = 10
_OPENING_CHARS = 300
_OPENING_LINES = 3
_OPENING_PARAGRAPHS = 60  # the opening paragraph is among the page's first <p> elements
# Second-level suffixes that come before a country code; the publisher's name is left of them.
_SECOND_LEVEL = frozenset({"co", "com", "org", "net", "gov", "ac", "or", "ne", "go"})
# Shorter host names ("ap", "rt") are too likely to open an ordinary sentence.
_HOST_NAME_MIN_CHARS = 4

# One options object for every page. Comments are not article text; trafilatura's own
# deduplication is off because its cache outlives a document and can blank later pages. Its
# metadata is read by :class:`_Metadata`, only as far as the page's own tags leave it needed.
OPTIONS = Extractor(
    output_format="python",
    comments=False,
    dedup=False,
    with_metadata=False,
    tables=True,
)
# trafilatura's own cap on a metadata value, in characters.
_METADATA_MAX_CHARS = 10000
# Where the host name gives the site's name when nothing else does (as trafilatura reads it).
_HOST_NAME = re.compile(r"https?://(?:www\.|w[0-9]+\.)?([^/]+)")


# trafilatura's parser settings, with one change: lxml.html picks a class per element (forms,
# inputs, labels) through a Python callback each time it hands out an element object, which
# costs more than the rest of a walk over the tree. One plain HtmlElement class, picked in C,
# makes every walk cheaper (ours and trafilatura's) and changes nothing either of us uses.
_PARSER = HTMLParser(
    collect_ids=False,
    default_doctype=False,
    encoding="utf-8",
    remove_comments=True,
    remove_pis=True,
)
_PARSER.set_element_class_lookup(
    etree.ElementDefaultClassLookup(
        element=HtmlElement, comment=HtmlComment, pi=HtmlProcessingInstruction, entity=HtmlEntity
    )
)


@dataclass
class Article:
    """Result of extraction and cleaning of one page."""

    url: str
    title: str | None
    text: str
    authors: list[str] = field(default_factory=list)
    published: str | None = None
    modified: str | None = None
    language: str | None = None
    site_name: str | None = None
    description: str | None = None
    tags: list[str] = field(default_factory=list)
    image: str | None = None
    captions: list[str] = field(default_factory=list)
    page_type: str | None = None


class PageRejected(Exception):
    """The page is not stored as an article; ``reason`` is a short code to count by."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


@dataclass
class _Signals:
    """What the page says about itself in <head> and JSON-LD, read before extraction."""

    meta: dict[str, str] = field(default_factory=dict)
    meta_tags: list[str] = field(default_factory=list)
    ld_types: list[str] = field(default_factory=list)
    ld: dict[str, object] = field(default_factory=dict)
    canonical: str | None = None
    lang: str | None = None

    @property
    def ld_article_type(self) -> str | None:
        return next((t for t in self.ld_types if t.lower() in ARTICLE_LD_TYPES), None)


class _Clock:
    """Adds the CPU time since the previous lap to a stage total, when asked to keep time.

    CPU time of this process, not wall time, so other work on the machine does not blur it.
    """

    def __init__(self, totals: dict[str, float] | None) -> None:
        self.totals = totals
        self.last = time.process_time()

    def lap(self, stage: str) -> None:
        if self.totals is None:
            return
        now = time.process_time()
        self.totals[stage] = self.totals.get(stage, 0.0) + now - self.last
        self.last = now


def _trimmed(value: str | None) -> str | None:
    """A metadata value as trafilatura hands it out: capped, entities decoded, spaces tidied."""
    if not value:
        return value
    if len(value) > _METADATA_MAX_CHARS:
        value = value[: _METADATA_MAX_CHARS - 1] + "…"
    return line_processing(unescape(value))


class _Metadata:
    """trafilatura's metadata of a page, each costly field read only when it is asked for.

    ``bare_extraction(with_metadata=True)`` reads every field of every page: categories and a
    licence we never use, tags and a site name that the page's own tags usually give, and the
    date through htmldate, whose extensive search builds dateparser's patterns for every locale
    the first time a process needs them (about 1.5 s of CPU and 40 MiB in each page worker).
    The page's meta tags and JSON-LD come first for those fields (:func:`extract_article`), so
    they are read here only when the page has nothing better. Title and authors come from the
    same steps as in trafilatura (head, JSON-LD, then the page), so they are read at once.
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


def _load(html: bytes | str) -> HtmlElement | None:
    """trafilatura's load_html with the parser above; anything unusual goes to load_html."""
    text = decode_file(html)
    beginning = text[:50].lower()
    try:
        tree = fromstring(repair_faulty_html(text, beginning), parser=_PARSER)
    except Exception:  # an encoding declaration in a str, broken markup: the library's fallbacks
        return load_html(html)
    if tree is None or len(tree) < 1:
        return load_html(html)
    if is_dubious_html(beginning) and len(tree) < 2:
        return None  # not HTML at all, as load_html would also say
    return tree


def parse_page(html: bytes | str, url: str) -> HtmlElement:
    """Parse a page as :func:`extract_article` does; raise PageRejected when it is no HTML.

    Reasons: "empty", "not_html", "parse_error". Read the tree (links, say), then hand it to
    :func:`extract_article`, which changes it, so that the page is parsed once.
    """
    if not html or not (html.strip() if isinstance(html, str) else html.strip()):
        raise PageRejected("empty", f"{url} returned an empty body")
    head = html[:1024]
    if isinstance(head, bytes) and (b"\x00" in head or head.startswith(b"%PDF")):
        raise PageRejected("not_html", f"{url} is binary content, not an HTML page")
    try:
        tree = _load(html)
    except Exception as err:  # lxml raises a zoo of errors on broken input
        raise PageRejected("parse_error", f"{url} could not be parsed as HTML: {err}") from err
    if tree is None:
        raise PageRejected("not_html", f"{url} does not look like an HTML page")
    return tree


def _walk_ld(node: object, signals: _Signals) -> None:
    if isinstance(node, list):
        for item in node:
            _walk_ld(item, signals)
        return
    if not isinstance(node, dict):
        return
    types = node.get("@type")
    for kind in types if isinstance(types, list) else [types]:
        if isinstance(kind, str):
            signals.ld_types.append(kind)
            if kind.lower() in ARTICLE_LD_TYPES and not signals.ld:
                signals.ld = node
    if "@graph" in node:
        _walk_ld(node["@graph"], signals)


def _read_signals(tree: HtmlElement, url: str) -> _Signals:
    signals = _Signals()
    for meta in tree.iter("meta"):
        name = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
        content = " ".join((meta.get("content") or "").split())
        if not name or not content:
            continue
        if name == "article:tag":
            signals.meta_tags.append(content)
        signals.meta.setdefault(name, content)
        if (meta.get("http-equiv") or "").lower() == "content-language":
            signals.meta.setdefault("content-language", content)
    for link in tree.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split() and link.get("href"):
            signals.canonical = urljoin(url, link.get("href").strip())
            break
    for script in tree.iter("script"):
        if (script.get("type") or "").lower() != "application/ld+json" or not script.text:
            continue
        try:
            _walk_ld(json.loads(script.text.strip().rstrip(";")), signals)
        except ValueError:
            logger.debug("unreadable JSON-LD on %s", url)
    signals.lang = tree.get("lang") or tree.get("xml:lang")
    return signals


def _canonical_url(url: str, signals: _Signals) -> str:
    for candidate in (signals.canonical, signals.meta.get("og:url")):
        if not candidate:
            continue
        absolute = urljoin(url, candidate)
        if urlsplit(absolute).scheme in {"http", "https"} and site_of(absolute) == site_of(url):
            return canonicalize(absolute)
    return canonicalize(url)


def _listing_shape(url: str) -> str | None:
    """Return why the URL looks like a listing or site page, or None."""
    parts = urlsplit(url)
    segments = [s for s in parts.path.lower().split("/") if s]
    if not segments:
        # "/?p=3289" is a post on a site without pretty URLs, not the home page.
        return None if parts.query else "the site's home page"
    for index, segment in enumerate(segments):
        stem = segment.rsplit(".", 1)[0]
        if stem not in NON_ARTICLE_SEGMENTS:
            continue
        rest = segments[index + 1 :]
        if len(rest) <= NON_ARTICLE_TRAILING_SEGMENTS and not any(
            s.count("-") + 1 >= _SLUG_WORDS or _ARTICLE_ID.search(s) for s in rest
        ):
            return f"a /{stem}/ page"
    return None


def _reject_non_article(url: str, signals: _Signals) -> None:
    if signals.ld_article_type:
        return
    listing = [t for t in signals.ld_types if t.lower() in NON_ARTICLE_LD_TYPES]
    if listing:
        raise PageRejected("not_article", f"{url} declares itself a {listing[0]} in JSON-LD")
    og_type = signals.meta.get("og:type", "").lower()
    if og_type in {"profile", "website"} and _listing_shape(url):
        raise PageRejected("not_article", f"{url} is {_listing_shape(url)} (og:type {og_type})")
    if og_type == "profile":
        raise PageRejected("not_article", f"{url} is a profile page (og:type profile)")
    shape = _listing_shape(url)
    if shape:
        raise PageRejected("not_article", f"{url} is {shape}, not an article")


def _section_shape(url: str) -> bool:
    """True for "/world/", "/news/europe/": one or two single words, no slug, id or file name."""
    parts = urlsplit(url)
    segments = [s for s in parts.path.lower().split("/") if s]
    return (
        not parts.query
        and 0 < len(segments) <= SECTION_MAX_SEGMENTS
        and all(_SECTION_SEGMENT.match(s) for s in segments)
    )


def _reject_listing(url: str, lines: list[str], link_texts: set[str]) -> None:
    """Reject a page without article markup whose text reads as a list of teasers."""
    if linked_text_share(lines, link_texts, LISTING_LINK_SHARE) >= LISTING_LINKED_SHARE:
        raise PageRejected("not_article", f"{url} is mostly links to other pages, not an article")
    words = sum(len(line.split()) for line in lines)
    short_lines = len(lines) >= SECTION_MIN_LINES and words / len(lines) < SECTION_MAX_AVG_WORDS
    if short_lines and _section_shape(url):
        raise PageRejected("not_article", f"{url} is a section page: short path, teaser lines")


def _container_ancestors(container: HtmlElement) -> list[HtmlElement]:
    ancestors = []
    for ancestor in container.iterancestors():
        ancestors.append(ancestor)
        if len(ancestors) >= SPLIT_BODY_LEVELS:
            break
    return ancestors


def _outside_body(el: HtmlElement, root: HtmlElement) -> bool:
    """True inside a link (a teaser card), a comment thread or a block the tree pass dropped."""
    ancestor = el
    for ancestor in el.iterancestors():
        if ancestor.tag == "a":
            return True
        marker = f"{ancestor.get('class') or ''} {ancestor.get('id') or ''}"
        if "comment" in marker.lower():
            return True
    return ancestor is not root


def _recover_split_body(
    tree: HtmlElement, paragraphs: list[HtmlElement], lines: list[str]
) -> list[str]:
    """Return ``lines`` with the paragraphs of sibling body chunks trafilatura left out.

    ``paragraphs`` are the page's <p> elements in document order. Each recovered paragraph
    goes after the line of the last extracted paragraph before it.
    """
    # Chunks share their container's markup: only paragraphs in containers whose tag and
    # class recur are looked at, which rules out most pages before any text is read.
    groups: dict[tuple[str, str], set[HtmlElement]] = {}
    marked: list[tuple[HtmlElement, tuple[str, str]]] = []
    for para in paragraphs:
        container = para.getparent()
        marker = container.get("class") if container is not None else None
        if marker:
            signature = (container.tag, marker)
            groups.setdefault(signature, set()).add(container)
            marked.append((para, signature))
    chunked = [para for para, signature in marked if len(groups[signature]) > 1]
    if not chunked:
        return lines
    # Paragraphs are matched to the extracted lines by their first and last words, verbatim:
    # a paragraph trafilatura split or trimmed still matches, and no text is normalised.
    blob = " ".join(lines)
    starts, offset = [], 0
    for line in lines:
        starts.append(offset)
        offset += len(line) + 1
    anchors: set[tuple[str, str, HtmlElement]] = set()
    anchor_containers: set[HtmlElement] = set()
    candidates: list[tuple[HtmlElement, list[str], int]] = []  # paragraph, words, line before
    last_line = -1  # document order: each candidate knows the extracted line it follows
    for para in chunked:
        words = para.text_content().split()
        if len(words) < SPLIT_ANCHOR_MIN_WORDS:
            continue
        at = blob.find(" ".join(words[:_SPLIT_PROBE_WORDS]))
        if at >= 0:
            last_line = bisect_right(starts, at) - 1
            container = para.getparent()
            anchor_containers.add(container)
            signature = (container.tag, container.get("class"))
            anchors.update((*signature, a) for a in _container_ancestors(container))
        elif len(words) >= SPLIT_MIN_WORDS and " ".join(words[-_SPLIT_PROBE_WORDS:]) not in blob:
            candidates.append((para, words, last_line))
    if not candidates or not anchors:
        return lines
    inserts: dict[int, list[str]] = {}
    added = 0
    for para, words, after in candidates:
        container = para.getparent()
        if container in anchor_containers:
            continue
        signature = (container.tag, container.get("class"))
        if not any((*signature, a) in anchors for a in _container_ancestors(container)):
            continue
        linked = sum(len(a.text_content().split()) for a in para.iter("a"))
        if linked > SPLIT_MAX_LINK_SHARE * len(words) or _outside_body(para, tree):
            continue
        text = " ".join(words)
        if not unicodedata.is_normalized("NFC", text):
            text = unicodedata.normalize("NFC", text)
        inserts.setdefault(after, []).append(text)
        added += len(words)
    if not inserts or added > SPLIT_MAX_GROWTH * sum(len(line.split()) for line in lines):
        return lines
    logger.debug("recovered %d words of a body split into chunks", added)
    recovered = list(inserts.get(-1, []))
    for index, line in enumerate(lines):
        recovered.append(line)
        recovered.extend(inserts.get(index, []))
    return recovered


def _opens_text_node(html: bytes | str, probe: str) -> bool:
    """True when ``probe`` opens a text node of the page's source (right after a tag).

    A search of the source costs next to nothing next to one of the tree; copies in meta tags,
    attributes and JSON do not count. A page that spells the words with entities or in another
    encoding than UTF-8 is not searched further.
    """
    source = html if isinstance(html, bytes) else html.encode("utf-8", "replace")
    needle = probe.encode("utf-8")
    at = source.find(needle)
    while at >= 0:
        before = source[max(at - _LEAD_GAP_BYTES, 0) : at].rstrip()
        if before.endswith(b">"):
            return True
        at = source.find(needle, at + 1)
    return False


def _body_region(paragraphs: list[HtmlElement], text: str) -> HtmlElement | None:
    """The ancestor LEAD_LEVELS up of the <p> that opens ``text``, or None."""
    # The text may open with a headline or a date line: its first few lines are tried.
    openings = {
        " ".join(line[:_OPENING_CHARS].split()[:_SPLIT_PROBE_WORDS])
        for line in text.split("\n", _OPENING_LINES)[:_OPENING_LINES]
        if line.strip()
    }
    for para in paragraphs[:_OPENING_PARAGRAPHS]:
        own = para.text or ""
        if own.count(" ") < _SPLIT_PROBE_WORDS:  # markup early in the paragraph: all its text
            own = para.text_content()
        if own.strip() and " ".join(own[:_OPENING_CHARS].split()[:_SPLIT_PROBE_WORDS]) in openings:
            region = para
            for _ in range(LEAD_LEVELS):
                parent = region.getparent()
                if parent is None or parent.tag == "body":
                    break
                region = parent
            return region if region.getparent() is not None else None
    return None


def _missing_lead(
    tree: HtmlElement,
    paragraphs: list[HtmlElement],
    html: bytes | str,
    description: str,
    text: str,
) -> str | None:
    """Return the standfirst shown on the page when the extracted text lacks it, else None.

    Templates set the standfirst apart from the body (a bigger font, another container), and
    trafilatura often leaves it out; the page's description names it. It is taken from the
    page (the meta copy may be cut short) when an element of the pruned tree says the same.
    """
    words = description.split()
    if len(words) < LEAD_MIN_WORDS:
        return None
    start = " ".join(words[:LEAD_PROBE_WORDS])
    # Already in the body? The plain test first, it settles most pages; a standfirst opens the
    # text, so the normalised test reads only the text's first characters.
    if start in text or line_key(start) in line_key(text[:LEAD_TEXT_CHARS]):
        return None
    probe = " ".join(words[:LEAD_START_WORDS])
    if not _opens_text_node(html, probe):
        return None
    key = line_key(description)
    low, high = len(description) * LEAD_LENGTH_RANGE[0], len(description) * LEAD_LENGTH_RANGE[1]
    # Only text that opens with the description's first words is read: libxml2 finds it, where
    # reading the text of every block of the page would cost far more.
    # The standfirst sits near the body: the search covers the few levels of the tree around
    # the paragraph that opens the extracted text, not the whole page.
    scope = _body_region(paragraphs, text)
    if scope is None:
        scope = tree  # the text opens with no <p> of the page: the whole page is searched
    for hit in _LEAD_XPATH(scope, probe=probe):
        el = hit.getparent()
        if hit.is_tail and el is not None:
            el = el.getparent()
        if el is None or el.tag not in _LEAD_TAGS or len(el) > LEAD_MAX_CHILDREN:
            continue
        found = " ".join(el.text_content().split())
        if not low <= len(found) <= high or el.getparent() is None:
            continue
        if _similar(line_key(found), key) and not _outside_body(el, tree):
            return unicodedata.normalize("NFC", found)
    return None


def _publisher_names(url: str, site_name: str | None) -> list[str]:
    """Names a publisher goes by: its site name and the name in its host ("ascom.com")."""
    labels = site_of(url).split(":")[0].split(".")
    # "example.co.uk": the name is before the second-level suffix.
    while len(labels) > 2 and labels[-2] in _SECOND_LEVEL:
        labels = labels[:-1]
    names = [site_name] if site_name else []
    if len(labels) >= 2 and len(labels[-2]) >= _HOST_NAME_MIN_CHARS:
        names.append(labels[-2])
    return names


def _iso(value: object) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    try:
        datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return text


def _first(*values: object) -> str | None:
    for value in values:
        if isinstance(value, str) and value.strip():
            return " ".join(value.split())
    return None


def _ld_names(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return _ld_names(value.get("name"))
    if isinstance(value, list):
        return [name for item in value for name in _ld_names(item)]
    return []


def _language(signals: _Signals) -> str | None:
    for raw in (
        signals.lang,
        signals.meta.get("content-language"),
        signals.meta.get("og:locale"),
        signals.ld.get("inLanguage") if isinstance(signals.ld.get("inLanguage"), str) else None,
    ):
        if raw and re.match(r"^[a-zA-Z]{2}(?:$|[-_])", raw.strip()):
            return raw.strip()[:2].lower()
    return None


def _tags(signals: _Signals, found: _Metadata) -> list[str]:
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


def extract_article(
    html: bytes | str,
    url: str,
    *,
    decide: bool = True,
    timings: dict[str, float] | None = None,
    tree: HtmlElement | None = None,
) -> Article:
    """Extract and clean the article in ``html`` fetched from ``url``.

    Returns an :class:`Article`. Raises :class:`PageRejected` with reason "empty", "not_html",
    "parse_error", "not_article" or "too_short" when the page is not stored as an article.
    With ``decide=False`` the article/non-article and length checks are skipped (evaluation on
    pages known to be articles, re-cleaning stored pages); unreadable pages still raise.
    When ``timings`` is given, the seconds spent per stage ("parse", "cleaning",
    "trafilatura", "metadata") are added to it, for benchmarks. ``tree`` is ``html`` as
    :func:`parse_page` parsed it, when the caller has parsed it already; it is changed here.
    """
    clock = _Clock(timings)
    if tree is None:
        tree = parse_page(html, url)
    signals = _read_signals(tree, url)
    if decide:
        _reject_non_article(url, signals)
    clock.lap("parse")
    findings = prune_tree(tree)
    clock.lap("cleaning")
    doc = bare_extraction(tree, options=OPTIONS)
    clock.lap("trafilatura")
    # From here on the work is ours: recovering split bodies and the text pass.
    if doc is None or not doc.text:
        raise PageRejected("empty", f"no article text found on {url}")
    found = _Metadata(tree, url)
    clock.lap("metadata")
    ld = signals.ld
    meta = signals.meta
    title = _first(found.title, meta.get("og:title"), ld.get("headline"))
    if title:
        title = unicodedata.normalize("NFC", title)
    authors = [a.strip() for a in (found.author or "").split(";") if a.strip()]
    if not authors:
        authors = [" ".join(n.split()) for n in _ld_names(ld.get("author")) if n.strip()]
    captions = list(findings.captions)
    # NFC, as trafilatura's own extract() returns it: one spelling per character, so that
    # matching, search and dedup see the same text for the same words.
    text = doc.text
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    raw_lines = _recover_split_body(tree, findings.paragraphs, text.split("\n"))
    description = _first(meta.get("og:description"), meta.get("description"))
    lead = (
        _missing_lead(tree, findings.paragraphs, html, description, text) if description else None
    )
    if lead:
        raw_lines.insert(0, lead)
    marked = bool(signals.ld_article_type) or meta.get("og:type", "").lower() == "article"
    if decide and not marked:
        _reject_listing(url, raw_lines, findings.link_texts)
    publisher = ld.get("publisher")
    site_name = meta.get("og:site_name") or _first(found.sitename, *_ld_names(publisher)[:1])
    lines = clean_lines(
        raw_lines,
        link_texts=findings.link_texts,
        title=title,
        site_name=site_name,
        captions=captions,
        alt_texts=findings.alt_texts,
        authors=authors,
        about_names=_publisher_names(url, site_name),
        found_captions=captions,
    )
    clock.lap("cleaning")
    words = sum(len(line.split()) for line in lines)
    page_type = signals.ld_article_type or _first(meta.get("og:type"), found.pagetype)
    if decide and words < MIN_ARTICLE_WORDS:
        raise PageRejected(
            "too_short", f"{url} has {words} words of text, fewer than {MIN_ARTICLE_WORDS}"
        )
    published = _first(
        _iso(meta.get("article:published_time")),
        _iso(ld.get("datePublished")),
        _iso(meta.get("og:published_time")),
        _iso(meta.get("date")),
    ) or _first(found.date)
    modified = _first(
        _iso(meta.get("article:modified_time")),
        _iso(ld.get("dateModified")),
        _iso(meta.get("og:updated_time")),
    )
    image = _first(meta.get("og:image"), meta.get("twitter:image"), found.image)
    return Article(
        url=_canonical_url(url, signals),
        title=title,
        text="\n".join(lines),
        authors=authors,
        published=published,
        modified=modified,
        language=_language(signals),
        site_name=site_name,
        description=_first(meta.get("og:description"), meta.get("description"), found.description),
        tags=_tags(signals, found),
        image=urljoin(url, image) if image else None,
        captions=[unicodedata.normalize("NFC", c) for c in captions],
        page_type=page_type,
    )
