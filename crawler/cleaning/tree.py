"""HTML-tree cleaning before extraction: take captions out, drop related-story and share blocks."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from lxml.html import HtmlElement

from crawler.cleaning.phrases import RELATED_HEADING_RE

logger = logging.getLogger(__name__)

# A caption longer than this is more likely a mislabelled text block than a caption.
CAPTION_MAX_WORDS = 80
# Alt texts shorter than this ("photo", "logo") never reappear as a body paragraph worth matching.
ALT_MIN_WORDS = 4
# A block removed by its class or id may hold at most this share of the page's words, so a
# template that tags the whole article wrapper "related-..." or "newsletter" cannot erase it.
CLASS_BLOCK_MAX_SHARE = 0.4
# Share/newsletter/social widgets are small; anything larger is probably not a widget.
WIDGET_MAX_WORDS = 80
# A related-block heading climbs to its container while the container stays small or
# link-heavy, so "<div><h3>Related</h3><ul>...</ul></div>" goes as a whole.
BLOCK_SMALL_WORDS = 40
BLOCK_MAX_WORDS = 600
BLOCK_MIN_LINK_SHARE = 0.2
# After the heading, siblings made mostly of links, or short ones holding a link, are teasers.
TEASER_LINK_SHARE = 0.5
TEASER_MAX_WORDS = 30
HEADING_MAX_WORDS = 8

_CAPTION_CLASS = re.compile(r"caption|credit|photographer|bildunterschrift|legende", re.IGNORECASE)
_LINKLIST_CLASS = re.compile(
    r"related|recommend|read-?more|more-?(?:stories|news|articles)|most-?(?:read|popular|viewed)"
    r"|also-?read|you-?may|outbrain|taboola|trending|further-?reading",
    re.IGNORECASE,
)
_WIDGET_CLASS = re.compile(
    r"social|share|sharing|newsletter|subscribe|signup|sign-up|follow-?us|print-?(?:link|button)"
    r"|cookie|consent|advert|ad-?slot|ad-?container|sponsor",
    re.IGNORECASE,
)
_HEADING_TAGS = frozenset(
    {"h1", "h2", "h3", "h4", "h5", "h6", "p", "strong", "b", "span", "a", "div", "li", "dt"}
    | {"header", "label"}
)
_STOP_TAGS = frozenset({"html", "body", "article", "main"})
_SKIP_TAGS = frozenset({"script", "style", "noscript", "template"})


@dataclass
class TreeFindings:
    """What the tree pass took out of the page and the body must not repeat."""

    captions: list[str] = field(default_factory=list)
    alt_texts: list[str] = field(default_factory=list)
    removed: dict[str, int] = field(default_factory=dict)

    def count(self, rule: str) -> None:
        self.removed[rule] = self.removed.get(rule, 0) + 1


def _text(el: HtmlElement) -> str:
    return " ".join(el.text_content().split())


def _words(text: str) -> int:
    return len(text.split())


def _link_share(el: HtmlElement, words: int) -> float:
    if not words:
        return 0.0
    linked = sum(_words(a.text_content()) for a in el.iter("a"))
    return linked / words


def _drop(el: HtmlElement) -> None:
    """Remove an element but keep its tail text, which belongs to the parent."""
    if el.getparent() is not None:
        el.drop_tree()


def _add_unique(items: list[str], text: str) -> None:
    if text and text not in items:
        items.append(text)


def _collect_captions(tree: HtmlElement, found: TreeFindings) -> None:
    for img in tree.iter("img"):
        alt = " ".join((img.get("alt") or "").split())
        if _words(alt) >= ALT_MIN_WORDS:
            _add_unique(found.alt_texts, alt)
        for attr in ("data-caption", "data-credit"):
            value = " ".join((img.get(attr) or "").split())
            if value:
                _add_unique(found.captions, value)
    candidates = []
    for el in tree.iter():
        if not isinstance(el.tag, str) or el.tag in _SKIP_TAGS:
            continue
        if el.tag == "figcaption" or _CAPTION_CLASS.search(
            f"{el.get('class', '')} {el.get('id', '')}"
        ):
            candidates.append(el)
    for el in candidates:
        if el.getparent() is None:
            continue  # already dropped with an enclosing caption
        text = _text(el)
        if _words(text) > CAPTION_MAX_WORDS:
            continue
        _add_unique(found.captions, text)
        _drop(el)
        found.count("caption")


def _drop_by_class(tree: HtmlElement, total_words: int, found: TreeFindings) -> None:
    limit = max(total_words * CLASS_BLOCK_MAX_SHARE, 1)
    for el in list(tree.iter()):
        if not isinstance(el.tag, str) or el.tag in _STOP_TAGS or el.getparent() is None:
            continue
        marker = f"{el.get('class', '')} {el.get('id', '')}"
        if marker == " ":
            continue
        if _LINKLIST_CLASS.search(marker):
            if _words(_text(el)) <= limit:
                _drop(el)
                found.count("related_class")
        elif _WIDGET_CLASS.search(marker):
            words = _words(_text(el))
            if words <= WIDGET_MAX_WORDS and words <= limit:
                _drop(el)
                found.count("widget_class")


def _starts_parent(el: HtmlElement) -> bool:
    parent = el.getparent()
    if (parent.text or "").strip():
        return False
    for sib in el.itersiblings(preceding=True):
        if _text(sib) or (sib.tail or "").strip():
            return False
    return True


def _block_root(heading: HtmlElement) -> HtmlElement:
    node = heading
    while True:
        parent = node.getparent()
        if parent is None or parent.tag in _STOP_TAGS or not _starts_parent(node):
            return node
        words = _words(_text(parent))
        if words > BLOCK_SMALL_WORDS and (
            words > BLOCK_MAX_WORDS or _link_share(parent, words) < BLOCK_MIN_LINK_SHARE
        ):
            return node
        node = parent


def _is_teaser(el: HtmlElement) -> bool:
    if not isinstance(el.tag, str):
        return True  # comments and processing instructions
    if el.tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
        return False
    text = _text(el)
    words = _words(text)
    if not words:
        return True
    share = _link_share(el, words)
    return share >= TEASER_LINK_SHARE or (words <= TEASER_MAX_WORDS and share > 0)


def _drop_related_headings(tree: HtmlElement, top: HtmlElement, found: TreeFindings) -> None:
    headings = []
    for el in tree.iter(*_HEADING_TAGS):
        if el.tag in {"div", "li", "dt", "header"} and len(el) > 3:
            continue
        text = _text(el)
        if text and _words(text) <= HEADING_MAX_WORDS and RELATED_HEADING_RE.match(text):
            headings.append(el)
    for heading in headings:
        if heading.getparent() is None or not _attached(heading, top):
            continue
        root = _block_root(heading)
        if (
            root is heading
            and heading.tag in {"a", "span", "strong", "b"}
            and not _starts_parent(heading)
        ):
            # An inline "read more" link at the end of a real paragraph: drop only the link.
            _drop(heading)
            found.count("related_heading")
            continue
        for sib in list(root.itersiblings()):
            if not _is_teaser(sib):
                break
            _drop(sib)
        _drop(root)
        found.count("related_heading")


def _attached(el: HtmlElement, top: HtmlElement) -> bool:
    """True when el still hangs from ``top`` (an ancestor may have been dropped already)."""
    node = el
    while node.getparent() is not None:
        node = node.getparent()
    return node is top


def prune_tree(tree: HtmlElement) -> TreeFindings:
    """Take captions, related-story blocks and share widgets out of ``tree`` in place.

    Returns the captions and alt texts found, so the text pass can drop their copies, and
    counts per rule of what was removed.
    """
    found = TreeFindings()
    body = tree.find("body")
    if body is None:
        body = tree
    _collect_captions(body, found)
    total_words = _words(_text(body))
    _drop_by_class(body, total_words, found)
    _drop_related_headings(body, tree, found)
    if found.removed:
        logger.debug("tree pass removed %s", found.removed)
    return found
