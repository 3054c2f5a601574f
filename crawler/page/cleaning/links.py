"""Links by where they lead (this page, its site, elsewhere), and lines made of nothing but them.

A short line whose words are links into the site or buttons, with at most a short label
around them, is navigation, whatever its language: a share, print or e-mail toolbar,
"continue reading", "more from this section", "back to top", a tag line, an "also read"
pointer. A sentence that happens to hold a link ends like a sentence, or has more words of
its own.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import quote, unquote

from lxml.html import HtmlElement

from crawler.page.cleaning.measure import (
    WORD_MAX_CHARS,
    ends_sentence,
    more_words_than,
    text_content,
    words,
)

SELF = "self"  # a fragment of this page, or the page itself
INTERNAL = "internal"  # another page of the same site
EXTERNAL = "external"
ACTION = "action"  # a script, mail or phone link: a button in a link's clothes

# A navigation line is at most this long, and has at most this many words outside its links
# ("Read also:", "More from", "Tags:").
LINE_MAX_WORDS = 30
LABEL_MAX_WORDS = 6
LABEL_TRAILING_WORDS = 1  # "More Business coverage"
# A longer line is navigation only when links hold this share of its characters (spaces and
# separators aside).
ALL_LINKS_SHARE = 0.9
# A list of navigation items is a toolbar ("Share | Print | E-mail") up to this many items;
# longer ones are menus, which extraction leaves out on its own.
TOOLBAR_MAX_ITEMS = 8
# Elements that make a line of their own; a link's line is the nearest of them around it.
BLOCK_TAGS = frozenset(
    {
        *("p", "div", "li", "dd", "dt", "center", "section", "article", "aside", "header"),
        *("footer", "nav", "blockquote", "figure", "figcaption", "form", "ul", "ol", "dl"),
        *("table", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "main", "pre"),
        *("address", "details", "summary", "body", "html"),
    }
)
# Lines that are not judged here: headings (a linked subhead), table cells (data), figures
# (the caption pass owns them), lists and whole regions (not a line), list items (judged with
# their list, which is cheaper: most links of a page are menu items).
_NOT_LINES = frozenset(
    {
        *("h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "tr", "table", "figure"),
        *("figcaption", "ul", "ol", "dl", "main", "body", "html", "pre", "article", "li"),
    }
)
_ACTION_SCHEMES = ("javascript:", "mailto:", "tel:", "sms:", "whatsapp:", "data:")
# A path that names one story: a slug of several words, a number of several digits (an id or
# a date), or a page file other than an index.
SLUG_MIN_WORDS = 3
_LONG_NUMBER = re.compile(r"\d{4,}")
_ID_QUERY = re.compile(r"(?:^|&)[a-z_]*(?:id|p|story|article)=\d{3,}", re.IGNORECASE)


@lru_cache(maxsize=4096)
def site_key(netloc: str) -> str:
    """The part of a host name that names the site: "news.example.co.uk" -> "example.co.uk".

    An address (127.0.0.1:8080) keeps its port: each port is a site of its own.
    """
    host = netloc.lower().rpartition("@")[2]
    name, _, port = host.partition(":")
    labels = name.strip(".").split(".")
    if all(label.isdigit() for label in labels) or name.startswith("["):
        return host
    # A two-letter country domain with a short second level ("co.uk", "com.au") keeps three.
    keep = 3 if len(labels) >= 3 and len(labels[-1]) == 2 and len(labels[-2]) <= 3 else 2
    return ".".join(labels[-keep:])


@lru_cache(maxsize=8192)
def _split(href: str) -> tuple[str | None, str, str]:
    """(host or None for a relative link, path, query) of a link that is not an action.

    A plain split, cheaper than urlsplit for the many links of a page; an unknown scheme gives
    the host "" (elsewhere).
    """
    if href.startswith("//"):
        netloc, _, rest = href[2:].partition("/")
        rest = "/" + rest
    elif href[:8].lower().startswith(("http://", "https://")):
        netloc, _, rest = href.split("//", 1)[1].partition("/")
        rest = "/" + rest
    elif ":" in href.split("/", 1)[0].split("?", 1)[0]:
        return "", "", ""  # ftp:, an app's scheme
    else:
        netloc, rest = None, href  # type: ignore[assignment]
    rest = rest.split("#", 1)[0]
    path, _, query = rest.partition("?")
    if netloc is not None:
        netloc = netloc.split("?", 1)[0].split("#", 1)[0]
    return netloc, path, query


class Site:
    """Where the links of one page lead: to the page, to its site, elsewhere or to a script."""

    def __init__(self, url: str) -> None:
        self.url = url
        netloc, path, _ = _split(url) if url else ("", "/", "")
        self.key = site_key(netloc or "")
        self.path = path or "/"
        self._quoted: str | None = None  # the address as a share link quotes it, when asked
        self._kinds: dict[str | None, str] = {}
        self._stories: dict[str | None, bool] = {}  # menus and cards repeat their links

    def _where(self, href: str | None) -> tuple[str, str, str]:
        """(kind, path, query) of a link: see :meth:`kind`."""
        if not href:
            return ACTION, "", ""
        href = href.strip()
        if not href or href.startswith("#"):
            return SELF, "", ""
        if href[:12].lower().startswith(_ACTION_SCHEMES):
            return ACTION, "", ""
        netloc, path, query = _split(href)
        if netloc is None:
            if path and not path.startswith("/"):
                return INTERNAL, path, query  # relative to this page's folder
            return (SELF if path in ("", self.path) else INTERNAL), path, query
        if not netloc or site_key(netloc) != self.key:
            return EXTERNAL, path, query
        return (SELF if (path or "/") == self.path else INTERNAL), path, query

    def kind(self, href: str | None) -> str:
        """SELF, INTERNAL, EXTERNAL or ACTION for a link's ``href``."""
        kind = self._kinds.get(href)
        if kind is None:
            kind = self._kinds[href] = self._where(href)[0]
        return kind

    def shares_this_page(self, href: str) -> bool:
        """True for a link elsewhere that carries this page's address: a share button."""
        if not self.url:
            return False
        if self._quoted is None:
            self._quoted = quote(self.url, safe="")
        return self._quoted in href or self.url in unquote(href)

    def leads_to_story(self, href: str | None) -> bool:
        """True for a link to another page of the site whose address names one story."""
        story = self._stories.get(href)
        if story is None:
            story = self._stories[href] = self._names_story(href)
        return story

    def _names_story(self, href: str | None) -> bool:
        kind, path, query = self._where(href)
        return kind == INTERNAL and _names_story(path, query)


def _names_story(path: str, query: str) -> bool:
    if query and _ID_QUERY.search(query):
        return True
    if _LONG_NUMBER.search(path):
        return True
    return any(
        max(segment.count("-"), segment.count("_")) >= SLUG_MIN_WORDS - 1
        for segment in path.split("/")
    )


def is_story_address(url: str) -> bool:
    """True when ``url`` names one story (a slug, a long number, an id in the query), as the
    links :meth:`Site.leads_to_story` takes for headlines do."""
    _, path, query = _split(url)
    return _names_story(path, query)


def _line_of(link: HtmlElement, blocky: dict[HtmlElement, bool]) -> HtmlElement | None:
    """The line a link sits in: its nearest block ancestor, or the link itself when it stands
    between blocks (a call to action under a paragraph). None where lines are not judged.
    ``blocky`` remembers which elements have block children (a page may hold thousands of
    links in one container)."""
    inline, line = link, link.getparent()
    while line is not None and line.tag not in BLOCK_TAGS:
        inline, line = line, line.getparent()
    if line is None or line.tag in _NOT_LINES:
        return None  # list items are judged with their list: see navigation_items
    has_blocks = blocky.get(line)
    if has_blocks is None:
        has_blocks = blocky[line] = any(child.tag in BLOCK_TAGS for child in line)
    if not has_blocks:
        return line
    # Between blocks, the link with the inline markup around it is a line of its own, unless
    # text runs on around it: then it is part of a sentence the blocks interrupt.
    if (inline.tail or "").strip():
        return None
    before = inline.getprevious()
    text_before = (before.tail if before is not None else line.text) or ""
    return None if text_before.strip() else inline


def is_navigation(line: HtmlElement, site: Site) -> bool:
    """True for a short line made of links into the site or buttons, and a label at most."""
    if len(line) == 1 and line[0].tag == "a" and not len(line[0]):
        # The common line: one plain link alone (a menu item, "Continue reading").
        link = line[0]
        if (line.text or "").strip() or (link.tail or "").strip():
            return _is_navigation(line, site)
        return _leads_inside(link, site) and _is_label_line((link.text or "").strip())
    if line.tag == "a" and not len(line):
        return _leads_inside(line, site) and _is_label_line((line.text or "").strip())
    return _is_navigation(line, site)


def _leads_inside(link: HtmlElement, site: Site) -> bool:
    href = link.get("href")
    return site.kind(href) != EXTERNAL or site.shares_this_page(href or "")


def _is_label_line(text: str) -> bool:
    """True for the text of a line that is all link: short, and no sentence."""
    if not text or ends_sentence(text):
        return False
    return len(text) <= LINE_MAX_WORDS or not more_words_than(text, LINE_MAX_WORDS)


def _is_navigation(line: HtmlElement, site: Site) -> bool:
    raw = text_content(line)
    if len(raw) > LINE_MAX_WORDS * WORD_MAX_CHARS:
        return _all_links(line, raw, site)
    text = raw.strip()
    if not text or ends_sentence(text):
        return False
    outside = text
    linked = False
    trailing = ""
    for el in [line] if line.tag in ("a", "button") else line.iter("a", "button"):
        if el.tag == "a" and not _leads_inside(el, site):
            return False
        own = text_content(el).strip()
        if own:
            linked = True
            before, _, trailing = outside.partition(own)
            outside = f"{before} {trailing}"
    # A label stands before the links ("Read also:", "Tags:"); a sentence runs on after them.
    if not linked or words(outside) > LABEL_MAX_WORDS or words(trailing) > LABEL_TRAILING_WORDS:
        return False
    # Up to LINE_MAX_WORDS characters, a line cannot have more words than that.
    return len(text) <= LINE_MAX_WORDS or words(text) <= LINE_MAX_WORDS


def _all_links(line: HtmlElement, raw: str, site: Site) -> bool:
    """True for a line of any length made of links into the site alone: a cloud of tags, a
    wall of links. Prose is never that."""
    linked = 0
    for link in line.iter("a"):
        if not _leads_inside(link, site):
            return False
        linked += len(text_content(link).strip())
    return linked >= ALL_LINKS_SHARE * len("".join(raw.split()))


def navigation_lines(links: list[HtmlElement]) -> list[HtmlElement]:
    """The distinct lines of ``links``, in document order, that may be navigation."""
    seen: set[HtmlElement] = set()
    blocky: dict[HtmlElement, bool] = {}
    lines = []
    for link in links:
        line = _line_of(link, blocky)
        if line is not None and line not in seen:
            seen.add(line)
            lines.append(line)
    return lines


def navigation_items(items: list[HtmlElement], site: Site) -> list[HtmlElement]:
    """The items of a list that are navigation lines."""
    return [item for item in items if is_navigation(item, site)]


def stands_alone(line: HtmlElement) -> bool:
    """True for a line that is a link standing between blocks (see :func:`navigation_lines`)."""
    return line.tag not in BLOCK_TAGS


__all__ = [
    "ACTION",
    "EXTERNAL",
    "INTERNAL",
    "SELF",
    "Site",
    "is_navigation",
    "navigation_items",
    "navigation_lines",
    "site_key",
    "stands_alone",
]
