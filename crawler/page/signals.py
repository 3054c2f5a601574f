"""What a page says about itself before extraction: meta tags, JSON-LD, canonical link, lang."""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, field
from html import unescape
from urllib.parse import urljoin, urlsplit

from lxml import etree
from lxml.html import HtmlElement

from crawler.urls import canonicalize, site_of

logger = logging.getLogger(__name__)

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
# Elements whose text is page furniture, not a headline or a byline.
CHROME_TAGS = frozenset({"nav", "footer", "aside", "form", "menu"})
# Class or id words of a site's logo or name, which some sites put in an <h1>.
_LOGO = re.compile(r"logo|brand|site-?(?:title|name)|masthead", re.IGNORECASE)
# Inside a headline these start a new run of text (a kicker in its own span); other tags
# (em, a, strong) are part of a word run.
_BREAK_TAGS = frozenset(
    {"span", "div", "p", "br", "small", "header", "time", "h2", "h3", "li", "dd", "dt"}
)
_RUN = "\x00"
# Soft hyphens and zero-width characters: invisible, they only split a word for a reader.
_INVISIBLE = re.compile("[\u00ad\u200b-\u200d\u2060\ufeff]")
_SKIP_TAGS = frozenset({"script", "style", "noscript", "svg", "button", "template"})
# Headlines read: the first ones in the page (a page with hundreds is a listing anyway).
MAX_HEADLINES = 8


@dataclass(frozen=True)
class Headline:
    """An <h1> of the page: its text with a space where its parts meet, and where it sits."""

    text: str
    runs: tuple[str, ...]  # the kicker and the headline apart when they are in separate spans
    in_article: bool  # inside <article>, <main> or marked itemprop=headline
    chrome: bool  # inside nav/footer/aside, or the site's logo


# Dates marked in the page body: <time> elements and itemprop dates, the first ones only.
MAX_DATE_MARKS = 24
# Class, id or label words that say which date an element gives (extra evidence beside
# itemprop and pubdate, in the languages of the press).
_UPDATED = re.compile(
    r"updat|modif|edited|revised|aktualisiert|geändert|actualis|actualiz|mis à jour|"
    r"aggiornat|oppdatert|opdateret|uppdaterad|bijgewerkt|zaktualizowano|güncellen",
    re.IGNORECASE,
)
_PUBLISHED = re.compile(
    r"publi|posted|created|veröffentlicht|erschienen|publié|publicado|pubblicat|"
    r"gepubliceerd|opublikowano|yayın",
    re.IGNORECASE,
)


# Dates marked with an itemprop (read as attribute strings, in C), and <time> elements.
_ITEMPROPS = etree.XPath("//body//@itemprop")
_DATE_PROPS = frozenset({"datepublished", "datecreated", "datemodified"})


@dataclass(frozen=True)
class DateMark:
    """A date in the page body: its machine value (or text), which date it says it is, where."""

    value: str
    kind: str | None  # "published", "modified", or None when the markup does not say
    in_article: bool
    chrome: bool


# Byline evidence in the page body: itemprop author, rel=author links, and elements classed as
# a byline or an author, the first ones in page order.
MAX_BYLINE_MARKS = 40
# A byline is short; a longer element classed "author" is an author's biography or a box.
BYLINE_MAX_CHARS = 200
# A byline set as the opening paragraph in bold is among this many paragraphs under the <h1>
# ("By Jane Roe" after a standfirst), and has at most this many words; a longer paragraph
# is the running text.
LEAD_BYLINE_PARAGRAPHS = 4
LEAD_BYLINE_MAX_WORDS = 12
_MARKED_AUTHORS = etree.XPath(
    "//body//*[@itemprop='author' or @itemprop='creator'] "
    "| //body//a[contains(concat(' ', normalize-space(@rel), ' '), ' author ')]"
)
# Links to an author's page ("/author/jane-roe", "/autoren/…", "?author=Jane+Roe"): CMSs link
# a byline's names there even where no class or rel says "author".
_AUTHOR_HREFS = etree.XPath("//body//a/@href")
_AUTHOR_PAGE = re.compile(
    r"/(?:authors?|autor(?:en|in)?|auteurs?|autores?|autori|writers?|contributors?|"
    r"journalists?|byline)/[^/?#]+|[?&]_?author=[^&#]+",
    re.IGNORECASE,
)
# "By Jane Roe", "Von Jane Roe": a byline written out under the headline.
_BY_LINE = re.compile(r"^(?:by|von|par|por|door)\b[\s:]+\S", re.IGNORECASE)
# Elements that hold no text of their own; one inside an author box does not make the box an
# outer one.
_VOID_TAGS = frozenset({"img", "meta", "link", "input", "button", "br", "hr", "source", "svg"})
# Class attributes are read as strings (in C) and matched here: cheaper than asking XPath to
# lower-case and search every element's class.
_CLASS_VALUES = etree.XPath("//body//@class")
_BYLINE_CLASS = re.compile(r"byline|author|autor|auteur|writer|reporter|verfasser", re.IGNORECASE)
# Class words of elements that name someone other than the article's author: commenters,
# photographers, the authors of teasers to other stories.
_NOT_BYLINE = re.compile(
    r"comment|caption|credit|photo|foto|image|bild|teaser|related|avatar|bio\b|follow|social|"
    r"share|newsletter|subscribe|footer|sidebar",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class BylineMark:
    """A byline element: its text, its link texts, how it was marked, and where it sits.

    ``boxes`` number its parent and grandparent among the page's elements, so that byline
    elements side by side in one list (one per author) can be told from bylines of teasers.
    """

    text: str
    links: tuple[str, ...]
    source: str  # "itemprop", "rel", "class", "href" (a link to an author's page) or "lead"
    in_article: bool
    chrome: bool
    boxes: tuple[int, ...] = ()


@dataclass
class Signals:
    """What the page says about itself in <head> and JSON-LD, read before extraction."""

    meta: dict[str, str] = field(default_factory=dict)
    meta_tags: list[str] = field(default_factory=list)
    ld_types: list[str] = field(default_factory=list)
    ld: dict[str, object] = field(default_factory=dict)
    canonical: str | None = None
    lang: str | None = None
    # Every value of meta tags that may repeat (several authors), in page order.
    meta_lists: dict[str, list[str]] = field(default_factory=dict)
    # Every JSON-LD object that names a @type, in page order (graph members included).
    ld_nodes: list[dict[str, object]] = field(default_factory=list)
    page_title: str | None = None
    headlines: list[Headline] = field(default_factory=list)
    dates: list[DateMark] = field(default_factory=list)
    # Short texts holding a year just under the headline, where a template writes the date.
    header_texts: list[str] = field(default_factory=list)
    bylines: list[BylineMark] = field(default_factory=list)

    @property
    def ld_article_type(self) -> str | None:
        return next((t for t in self.ld_types if t.lower() in ARTICLE_LD_TYPES), None)

    @property
    def marked_article(self) -> bool:
        """True when the page's markup says it is an article (JSON-LD type or og:type)."""
        return bool(self.ld_article_type) or self.meta.get("og:type", "").lower() == "article"


def _walk_ld(node: object, signals: Signals) -> None:
    if isinstance(node, list):
        for item in node:
            _walk_ld(item, signals)
        return
    if not isinstance(node, dict):
        return
    types = node.get("@type")
    if types:
        signals.ld_nodes.append(node)
    for kind in types if isinstance(types, list) else [types]:
        if isinstance(kind, str):
            signals.ld_types.append(kind)
            if kind.lower() in ARTICLE_LD_TYPES and not signals.ld:
                signals.ld = node
    if "@graph" in node:
        _walk_ld(node["@graph"], signals)


def read_signals(tree: HtmlElement, url: str) -> Signals:
    signals = Signals()
    for meta in tree.iter("meta"):
        name = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
        content = " ".join((meta.get("content") or "").split())
        if not name or not content:
            continue
        if name == "article:tag":
            signals.meta_tags.append(content)
        signals.meta.setdefault(name, content)
        signals.meta_lists.setdefault(name, []).append(content)
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
    signals.ld = article_node(signals.ld_nodes, url, signals) or signals.ld
    title = tree.find(".//title")
    if title is not None:
        signals.page_title = " ".join(title.text_content().split()) or None
    signals.headlines = read_headlines(tree)
    signals.dates = read_dates(tree)
    signals.header_texts = read_header_texts(tree)
    return signals


def _ld_urls(node: dict[str, object]) -> set[str]:
    """The URLs a JSON-LD article node gives for itself, without scheme and trailing slash."""
    urls = set()
    for key in ("url", "@id", "mainEntityOfPage"):
        value = node.get(key)
        if isinstance(value, dict):
            value = value.get("@id") or value.get("url")
        if isinstance(value, str) and value.strip():
            urls.add(value.strip().split("://", 1)[-1].split("#")[0].rstrip("/"))
    return urls


def article_node(
    nodes: list[dict[str, object]], url: str, signals: Signals
) -> dict[str, object] | None:
    """The JSON-LD node of the page's own article, not of a related item it lists.

    Of several article nodes, the one whose URL is the page's (canonical, og:url or the URL
    fetched); else the first one: a page's own article comes before its related items.
    """
    articles = [
        n
        for n in nodes
        if any(
            isinstance(t, str) and t.lower() in ARTICLE_LD_TYPES
            for t in (n["@type"] if isinstance(n["@type"], list) else [n["@type"]])
        )
    ]
    if len(articles) < 2:
        return articles[0] if articles else None
    own = {
        u.split("://", 1)[-1].split("#")[0].rstrip("/")
        for u in (url, signals.canonical, signals.meta.get("og:url"))
        if u
    }
    return next((n for n in articles if _ld_urls(n) & own), articles[0])


def ld_text(value: object) -> str | None:
    """A JSON-LD string value with its HTML entities decoded and its spaces tidied."""
    if not isinstance(value, str):
        return None
    return " ".join(unescape(value).split()) or None


def text_runs(el: HtmlElement) -> list[str]:
    """The runs of text in ``el``: a block, or a span of several words, starts a new one.

    A kicker in a span of its own ("<span>Kicker</span><span>Headline</span>") is its own run,
    where ``text_content()`` would glue "KickerHeadline"; a one-word span is part of its run
    (a drop cap, a highlighted word).
    """
    parts: list[str] = []

    def walk(node: HtmlElement) -> None:
        if not isinstance(node.tag, str) or node.tag in _SKIP_TAGS:
            return
        spaced = node.tag in _BREAK_TAGS and (
            node.tag != "span" or len(node.text_content().split()) > 1
        )
        if spaced:
            parts.append(_RUN)
        parts.append(node.text or "")
        for child in node:
            walk(child)
            parts.append(child.tail or "")
        if spaced:
            parts.append(_RUN)

    walk(el)
    runs = (" ".join(_INVISIBLE.sub("", run).split()) for run in "".join(parts).split(_RUN))
    return [run for run in runs if run]


def _place(el: HtmlElement) -> tuple[bool, bool]:
    """(inside the article, page furniture) for an element."""
    ancestors = list(el.iterancestors())
    in_article = (el.get("itemprop") or "").lower() == "headline" or any(
        a.tag in ("article", "main") or (a.get("itemprop") or "").lower() == "articlebody"
        for a in ancestors
    )
    chrome = any(a.tag in CHROME_TAGS for a in ancestors) or (
        not in_article and any(a.tag == "header" for a in ancestors)
    )
    for node in (el, *ancestors[:2]):
        if _LOGO.search(f"{node.get('class', '')} {node.get('id', '')}"):
            chrome = True
    return in_article, chrome


def _date_kind(el: HtmlElement) -> str | None:
    prop = (el.get("itemprop") or "").lower()
    if prop in ("datepublished", "datecreated") or el.get("pubdate") is not None:
        return "published"
    if prop == "datemodified":
        return "modified"
    nodes = (el, el.getparent()) if el.getparent() is not None else (el,)
    label = " ".join(f"{node.get('class', '')} {node.get('id', '')}" for node in nodes)
    label += " " + " ".join(el.text_content().split()[:3])
    if _UPDATED.search(label):
        return "modified"
    if _PUBLISHED.search(label):
        return "published"
    return None


def read_dates(tree: HtmlElement) -> list[DateMark]:
    """The first dates the page body marks up: itemprop dates, then <time> elements, each in
    page order."""
    marks = []
    marked = [
        prop.getparent()
        for prop in _ITEMPROPS(tree)
        if prop.lower() in _DATE_PROPS and prop.getparent().tag not in ("meta", "time")
    ]
    for el in (*marked, *tree.iter("time")):
        value = el.get("datetime") or el.get("content") or " ".join(el.text_content().split())
        if value:
            marks.append(DateMark(value.strip(), _date_kind(el), *_place(el)))
            if len(marks) >= MAX_DATE_MARKS:
                break
    return marks


def _byline_source(el: HtmlElement) -> str:
    if (el.get("itemprop") or "").lower() in ("author", "creator"):
        return "itemprop"
    if el.tag == "a" and "author" in (el.get("rel") or "").lower().split():
        return "rel"
    if el.tag == "a" and not _BYLINE_CLASS.search(el.get("class") or ""):
        return "href"
    return "class"


def _of_the_article(el: HtmlElement) -> bool:
    """True when the microdata item ``el`` belongs to is the page's article (or none)."""
    for parent in el.iterancestors():
        if parent.get("itemscope") is not None:
            kind = (parent.get("itemtype") or "").rstrip("/").rsplit("/", 1)[-1].lower()
            return not kind or kind in ARTICLE_LD_TYPES or kind.endswith("page")
    return True


def read_bylines(tree: HtmlElement) -> list[BylineMark]:
    """The page's byline elements, innermost first where they nest, in page order.

    An itemprop author with an itemprop name inside gives that name. Elements whose class
    says they hold a caption, a comment, a teaser or an avatar are left out.
    """
    found: list[BylineMark] = []
    marked = _MARKED_AUTHORS(tree)
    # Each kind of mark in page order; marked elements first (they are read first anyway).
    elements = list(marked)
    for value in _CLASS_VALUES(tree):
        if _BYLINE_CLASS.search(value) and value.getparent() not in elements[: len(marked)]:
            elements.append(value.getparent())
    # Boxes holding a byline element: a link to an author's page does not make one.
    outer = {parent for el in elements if el.tag not in _VOID_TAGS for parent in el.iterancestors()}
    taken = set(elements)
    for href in _AUTHOR_HREFS(tree):
        if _AUTHOR_PAGE.search(href) and href.getparent() not in taken:
            elements.append(href.getparent())
    numbers: dict[HtmlElement, int] = {}
    for el in elements:
        source = _byline_source(el)
        if source == "class" and (
            _NOT_BYLINE.search(f"{el.get('class', '')} {el.get('id', '')}") or el in outer
        ):
            continue  # not a byline, or an outer box of an inner one
        if el.tag in _SKIP_TAGS or el.tag in ("meta", "link", "img", "input", "button"):
            continue
        if source == "itemprop" and not _of_the_article(el):
            continue  # the author of a comment or a review on the page
        named = el.xpath(".//*[@itemprop='name']") if source == "itemprop" else []
        text = " ".join(text_runs(named[0] if named else el))
        if len(text) > BYLINE_MAX_CHARS and source == "class":
            # An author box with a biography: its heading names the author.
            heading = next(el.iter("h2", "h3", "h4", "h5", "h6"), None)
            el = heading if heading is not None else el
            text = " ".join(text_runs(el))
        if not text or len(text) > BYLINE_MAX_CHARS:
            continue
        links = tuple(" ".join(text_runs(a)) for a in ([el] if el.tag == "a" else el.iter("a")))
        boxes = tuple(numbers.setdefault(box, len(numbers)) for box in list(el.iterancestors())[:2])
        found.append(BylineMark(text, tuple(t for t in links if t), source, *_place(el), boxes))
        if len(found) >= MAX_BYLINE_MARKS:
            break
    lead = _lead_byline(tree)
    if lead is not None:
        found.append(lead)
    return found


def _lead_byline(tree: HtmlElement) -> BylineMark | None:
    """The byline some templates write as the article's opening paragraph: a short paragraph
    all in bold, or one that opens with "By", among the few under the <h1>, before any
    paragraph of running text."""
    h1 = next(tree.iter("h1"), None)
    if h1 is None:
        return None
    after = False
    looked = 0
    for el in tree.iter("h1", "p"):
        if el is h1:
            after = True
            continue
        if not after or el.tag != "p":
            continue
        text = " ".join(el.text_content().split())
        if not text:
            continue
        looked += 1
        if looked > LEAD_BYLINE_PARAGRAPHS or len(text.split()) > LEAD_BYLINE_MAX_WORDS:
            return None  # the running text has begun
        bold = [child for child in el if child.tag in ("strong", "b")]
        if _BY_LINE.match(text) or (
            len(bold) == 1
            and len(el) == 1
            and not (el.text or "").strip()
            and not (bold[0].tail or "").strip()
            and len(bold[0]) == 0
        ):
            return BylineMark(text, (), "lead", *_place(el))
    return None


# The date line under a headline: among this many elements after the <h1>, at most this many
# words, a year in it; the first few such texts are kept.
HEADER_ELEMENTS = 40
HEADER_TEXT_MAX_WORDS = 8
MAX_HEADER_TEXTS = 6
# Longer than this before its white space is collapsed, a text is no short line: skipping it
# keeps the story's own containers from being split word by word on every page.
HEADER_RAW_MAX_CHARS = 600
# A year of this century or the last, not part of a longer number.
YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")


def read_header_texts(tree: HtmlElement) -> list[str]:
    """Short texts with a year in the elements just after the article's <h1> (the first one
    outside the page furniture), up to the next heading, those labelled as an update or
    inside the furniture left out: where a template without date markup writes
    "October 15, 2025" under the headline."""
    h1 = next((h for h in tree.iter("h1") if not _place(h)[1]), None)
    if h1 is None:
        return []
    found: list[str] = []
    for el in _FOLLOWING(h1):
        if el.tag in ("h1", "h2") or len(found) >= MAX_HEADER_TEXTS:
            break  # the story's sections, or another story, begin
        if el.tag in _SKIP_TAGS:
            continue
        raw = el.text_content()
        if len(raw) > HEADER_RAW_MAX_CHARS:
            continue  # a box holding the story, not a line under the headline
        text = " ".join(raw.split())
        if (
            text
            and len(text.split()) <= HEADER_TEXT_MAX_WORDS
            and YEAR.search(text)
            and not _UPDATED.search(f"{el.get('class', '')} {el.get('id', '')} {text}")
            and not _place(el)[1]
        ):
            found.append(text)
    return found


_FOLLOWING = etree.XPath(f"following::*[position() <= {HEADER_ELEMENTS}]")


def read_headlines(tree: HtmlElement) -> list[Headline]:
    """The page's first <h1> elements with text, in page order."""
    found = []
    for el in tree.iter("h1"):
        runs = text_runs(el)
        if runs:
            found.append(Headline(" ".join(runs), tuple(runs), *_place(el)))
            if len(found) >= MAX_HEADLINES:
                break
    return found


def canonical_url(url: str, signals: Signals) -> str:
    for candidate in (signals.canonical, signals.meta.get("og:url")):
        if not candidate:
            continue
        absolute = urljoin(url, candidate)
        if urlsplit(absolute).scheme in {"http", "https"} and site_of(absolute) == site_of(url):
            return canonicalize(absolute)
    return canonicalize(url)


def language(signals: Signals) -> str | None:
    for raw in (
        signals.lang,
        signals.meta.get("content-language"),
        signals.meta.get("og:locale"),
        signals.ld.get("inLanguage") if isinstance(signals.ld.get("inLanguage"), str) else None,
    ):
        if raw and re.match(r"^[a-zA-Z]{2}(?:$|[-_])", raw.strip()):
            return raw.strip()[:2].lower()
    return None


__all__ = [
    "ARTICLE_LD_TYPES",
    "BylineMark",
    "CHROME_TAGS",
    "DateMark",
    "Headline",
    "Signals",
    "article_node",
    "canonical_url",
    "language",
    "ld_text",
    "read_bylines",
    "read_dates",
    "read_headlines",
    "read_signals",
    "text_runs",
]
