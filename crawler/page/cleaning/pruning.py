"""One tree pass's bookkeeping: what it found, what it dropped, and the guards every rule obeys."""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree
from lxml.html import HtmlElement

from crawler.page.cleaning.links import Site
from crawler.page.cleaning.measure import more_words_than, text_content

# A block removed as furniture may hold at most this share of the page's text, so a template
# that tags the whole article wrapper "related-..." or "newsletter" cannot erase it.
CLASS_BLOCK_MAX_SHARE = 0.4
# A block holding this share of the page's paragraph text is the article, whatever its class
# or structure says ("entry-content entry-content-read-more"); furniture holds a few lines.
ARTICLE_PARAGRAPH_SHARE = 0.4
# A page with less text than this in <p> elements writes its body in other blocks (cells,
# <br>-separated runs of text): there the share of all the page's text decides.
ARTICLE_MIN_PARAGRAPH_CHARS = 500

# A wrapper left with at most this many words, and no link or media, held the removed block's
# label.
LEFTOVER_MAX_WORDS = 6
_KEEP_TAGS = frozenset({"html", "body", "article", "main", "p", "li", "td", "th", "tr"})
_CONTENT_TAGS = frozenset({"a", "img", "picture", "video", "iframe", "table", "ul", "ol"})

_CHARS = etree.XPath("string-length(normalize-space(.))")


@dataclass
class TreeFindings:
    """What the tree pass took out of the page and the body must not repeat."""

    captions: list[str] = field(default_factory=list)
    alt_texts: list[str] = field(default_factory=list)
    link_texts: set[str] = field(default_factory=set)
    removed: dict[str, int] = field(default_factory=dict)
    # Author-bio, fact and info boxes the scan found (dropped by prune_tree).
    boxes: list[HtmlElement] = field(default_factory=list)
    # Every <p> of the page in document order (some may since have been dropped with their
    # block), so later passes need not walk the tree again.
    paragraphs: list[HtmlElement] = field(default_factory=list)
    # Teaser lists of the page (headline links to other stories): their headlines, and the
    # words of the ones kept because they are most of the page (a listing's cards).
    teaser_cards: int = 0
    kept_teaser_words: int = 0
    # Addresses of the page's headline links to other stories of its site, as written.
    story_links: list[str] = field(default_factory=list)

    def count(self, rule: str) -> None:
        self.removed[rule] = self.removed.get(rule, 0) + 1


def add_unique(items: list[str], text: str) -> None:
    if text and text not in items:
        items.append(text)


class Pruning:
    """The state of one pass over one page's tree, shared by the rules of the pass.

    Every rule removes elements through :meth:`drop`, and asks :meth:`holds_article` and
    :meth:`too_big` before removing a block, so no rule can take the article with it.
    """

    def __init__(self, body: HtmlElement, found: TreeFindings, url: str) -> None:
        self.body = body
        self.found = found
        self.site = Site(url)
        self.dropped: set[HtmlElement] = set()
        self.dropped_chars = 0
        self.regions: list[HtmlElement] = []  # dropped whole; measured only when needed
        self._paragraph_total: int | None = None
        self._limit: float | None = None

    @property
    def paragraph_total(self) -> int:
        """Characters of the page's <p> elements, counted once (dropped ones included)."""
        if self._paragraph_total is None:
            self._paragraph_total = sum(len(text_content(p)) for p in self.found.paragraphs)
        return self._paragraph_total

    def detached(self, el: HtmlElement) -> bool:
        """True when ``el`` went with a block dropped earlier in the pass."""
        if not self.dropped:
            return False
        # isdisjoint walks the ancestors in C; a generator would run Python for each of them.
        return el in self.dropped or not self.dropped.isdisjoint(el.iterancestors())

    def too_big(self, text: str) -> bool:
        """True when a block's text is more than CLASS_BLOCK_MAX_SHARE of the page's."""
        # Most blocks are far smaller than the page's paragraphs alone: no need to count the
        # page's characters (a walk over all its text) to know they are small enough.
        if len(text) <= CLASS_BLOCK_MAX_SHARE * self.paragraph_total:
            return False
        if self._limit is None:
            # Characters, counted by libxml2 in C, plus what was dropped before this point.
            total = int(_CHARS(self.body)) + self.dropped_chars
            total += sum(int(_CHARS(region)) for region in self.regions)
            self._limit = max(total * CLASS_BLOCK_MAX_SHARE, 1)
        return len(text) > self._limit

    def paragraph_chars(self, el: HtmlElement) -> int:
        return sum(len(text_content(p)) for p in el.iter("p"))

    def holds_article(self, el: HtmlElement) -> bool:
        """True when ``el`` holds ARTICLE_PARAGRAPH_SHARE of the page's paragraph text, or on
        a page of few paragraphs, CLASS_BLOCK_MAX_SHARE of all its text."""
        total = self.paragraph_total
        if total < ARTICLE_MIN_PARAGRAPH_CHARS:
            return self.too_big(" ".join(text_content(el).split()))
        return self.paragraph_chars(el) >= ARTICLE_PARAGRAPH_SHARE * total

    def is_most_of_page(self, el: HtmlElement) -> bool:
        """True when ``el`` holds the article by both measures: its paragraphs and all its text.

        For blocks whose structure already says what they are (a list of teasers): their
        excerpts may be a page's only <p> elements when its body sits in other blocks.
        """
        return self.holds_article(el) and self.too_big(" ".join(text_content(el).split()))

    def drop_region(self, el: HtmlElement) -> None:
        """Drop a whole region of the page (its navigation, a footer)."""
        self.regions.append(el)
        self.drop(el, "region")

    def drop(self, el: HtmlElement, rule: str, chars: int = 0) -> None:
        """Remove ``el`` (its tail text stays with the parent) and count it under ``rule``."""
        self.dropped.add(el)
        self.dropped_chars += chars
        parent = el.getparent()
        if parent is not None:
            el.drop_tree()
            self._drop_leftovers(parent)
        self.found.count(rule)

    def _drop_leftovers(self, parent: HtmlElement) -> None:
        """Drop the wrappers a removal leaves empty or holding a label alone ("Advertisement"
        over an ad slot, "Newsletter" over a form), their tails kept: extraction drops an
        empty block with the text that follows it (a table-laid page's next paragraph)."""
        while parent is not self.body and parent.tag not in _KEEP_TAGS:
            above = parent.getparent()
            if above is None:
                return
            if len(parent):
                if any(child.tag in _CONTENT_TAGS for child in parent.iter()):
                    return
                if more_words_than(text_content(parent), LEFTOVER_MAX_WORDS):
                    return
            elif more_words_than(parent.text, LEFTOVER_MAX_WORDS):
                return
            self.dropped.add(parent)
            parent.drop_tree()
            self.found.count("leftover")
            parent = above


__all__ = [
    "ARTICLE_PARAGRAPH_SHARE",
    "CLASS_BLOCK_MAX_SHARE",
    "Pruning",
    "TreeFindings",
    "add_unique",
]
