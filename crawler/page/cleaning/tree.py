"""HTML-tree cleaning before extraction: take captions out, drop related-story and share blocks."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from functools import lru_cache

from lxml import etree
from lxml.html import HtmlElement

from crawler.page.cleaning.phrases import RELATED_HEADING_RE
from crawler.page.cleaning.text import line_key

logger = logging.getLogger(__name__)

# A caption longer than this is more likely a mislabelled text block than a caption.
CAPTION_MAX_WORDS = 80
# Alt texts shorter than this ("photo", "logo") never reappear as a body paragraph worth matching.
ALT_MIN_WORDS = 4
# A block removed by its class or id may hold at most this share of the page's text, so a
# template that tags the whole article wrapper "related-..." or "newsletter" cannot erase it.
CLASS_BLOCK_MAX_SHARE = 0.4
# A block classed "related"/"read-more" is a list of links only if links carry this share of its
# words, or it is tiny (a heading box); the article body, even when a template gives it a
# "read-more" class, is mostly unlinked text.
LINKLIST_MIN_LINK_SHARE = 0.25
LINKLIST_TINY_WORDS = 15
# A list of at least this many items, each a link of a few words, is a list of other stories
# (a teaser list under the article, "Mehr zum Thema"), whatever heading it has or lacks.
HEADLINE_LIST_MIN_ITEMS = 2
HEADLINE_MIN_WORDS = 3
HEADLINE_LINK_SHARE = 0.8
# A span inside a paragraph made of several headline links (a name's hover card listing the
# person's latest stories) is a teaser card the page shows on demand, not words of the sentence.
INLINE_CARD_MIN_LINKS = 2
INLINE_CARD_LINK_SHARE = 0.8
# Link texts of at least this many words are remembered, so the text pass can tell a line
# that is a link to another story ("Tram line extension approved") from a sentence.
LINK_TEXT_MIN_WORDS = 3
# Share/newsletter/social widgets are small; anything larger is probably not a widget.
WIDGET_MAX_WORDS = 80
# A related-block heading climbs to its container while the container stays small or
# link-heavy, so "<div><h3>Related</h3><ul>...</ul></div>" goes as a whole.
BLOCK_SMALL_WORDS = 40
BLOCK_MAX_WORDS = 600
BLOCK_MIN_LINK_SHARE = 0.4
# After the heading, siblings made mostly of links, or short ones holding a link, are teasers.
TEASER_LINK_SHARE = 0.5
TEASER_MAX_WORDS = 30
HEADING_MAX_WORDS = 8
_HEADING_MAX_CHARS = 200  # generous for eight words, with the spaces of an indented template

# One pass over the tree sorts elements by what their class or id says they are. Markers are
# compared lowercased with "-" and "_" removed ("read-more", "readMore" -> "readmore"), by
# substring: plain `in` tests are much cheaper than a regex over every class on the page.
_CAPTION_WORDS = ("caption", "credit", "photographer", "bildunterschrift", "legende")
_LINKLIST_WORDS = (
    "related", "recommend", "readmore", "morestories", "morenews", "morearticles", "mostread",
    "mostpopular", "mostviewed", "alsoread", "youmay", "outbrain", "taboola", "trending",
    "furtherreading",
)  # fmt: skip
_WIDGET_WORDS = (
    "social", "share", "sharing", "newsletter", "subscribe", "signup", "followus", "printlink",
    "printbutton", "cookie", "consent", "advert", "adslot", "adcontainer", "sponsor",
)  # fmt: skip


# Boxes beside the story inside the article: the author's bio, a fact box. Templates name them
# plainly, and they can be long (a fact box holding a full transcript). "Info boxes" are left
# alone: some sites put the whole article, or a paragraph of it, in one.
_BOX_WORDS = ("authorbio", "aboutauthor", "abouttheauthor", "authorbox", "factbox")


_KINDS = {
    **{w: "box" for w in _BOX_WORDS},
    **{w: "widget" for w in _WIDGET_WORDS},
    **{w: "linklist" for w in _LINKLIST_WORDS},
    **{w: "caption" for w in _CAPTION_WORDS},
}


def _trie_pattern(words: list[str]) -> str:
    """Regex alternation of ``words`` grouped by shared prefixes (several times faster)."""
    if "" in words:
        rest = [w for w in words if w]
        return f"(?:{_trie_pattern(rest)})?" if rest else ""
    groups: dict[str, list[str]] = {}
    for word in words:
        groups.setdefault(word[0], []).append(word[1:])
    branches = [re.escape(head) + _trie_pattern(tails) for head, tails in sorted(groups.items())]
    return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"


_MARKER = re.compile(_trie_pattern(sorted(_KINDS)))


# Pages of one site share their templates' class names, so a bounded memo of this pure function
# saves most of the lowercasing and searching over a crawl; it holds no page content.
@lru_cache(maxsize=8192)
def _marker_kind(marker: str) -> str | None:
    hit = _MARKER.search(marker.lower().replace("-", "").replace("_", ""))
    return _KINDS[hit.group()] if hit else None


# Where a heading of a related block may sit; other tags are left to the text pass.
_HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "strong", "b", "p", "dt"})
_CHARS = etree.XPath("string-length(normalize-space(.))")
_SCAN_TAGS = (
    *("div", "section", "aside", "article", "main", "header", "footer", "nav", "form"),
    *("p", "span", "figure", "figcaption", "img", "a", "ul", "ol", "dl", "dt", "dd"),
    *("h1", "h2", "h3", "h4", "h5", "h6", "strong", "b", "blockquote", "table", "small", "cite"),
)
_UNSEEN = object()
_STOP_TAGS = frozenset({"html", "body", "article", "main"})
# A block holding this share of the page's paragraph text is the article, whatever its class
# says ("entry-content entry-content-read-more"); related blocks hold a few short excerpts.
ARTICLE_PARAGRAPH_SHARE = 0.4
# An <article> nested in the article, headed by a link to another page, is a teaser card for
# that page (a list of other posts, "more from"); cards are short.
STORY_CARD_MAX_WORDS = 150
# An inner <article> sharing this many class names with the outer one is another post rendered
# with the same template; comments and embeds have classes of their own.
SAME_TEMPLATE_CLASSES = 3
# A box beside the story is dropped only when this much paragraph text stays without it.
BOX_REST_MIN_CHARS = 1000
# A page that appends the next story under the article repeats the article's markup, headline
# included; the first story must hold at least this much paragraph text to be the one kept.
NEXT_STORY_MIN_BODY_CHARS = 500
# An element classed "caption" that holds a paragraph this long is a lead or a teaser text
# (a video's description), not a caption.
CAPTION_PARAGRAPH_MAX_WORDS = 20


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


def _heading_text(el: HtmlElement) -> str | None:
    """Own text of a short heading-like element, without building text of big subtrees."""
    if len(el) > 2:
        return None
    text = el.text or ""
    if not text.strip() and len(el) == 1:
        text = el[0].text or ""
    if len(text) > _HEADING_MAX_CHARS:  # a paragraph: no need to split it into words
        return None
    words = text.split()
    return " ".join(words) if 0 < len(words) <= HEADING_MAX_WORDS else None


def _paragraph_chars(el: HtmlElement) -> int:
    return sum(len(p.text_content()) for p in el.iter("p"))


def _is_caption(el: HtmlElement, text: str) -> bool:
    if _words(text) > CAPTION_MAX_WORDS:
        return False
    if el.tag == "figcaption":
        return True
    return not any(
        _words(p.text_content()) > CAPTION_PARAGRAPH_MAX_WORDS for p in el.iterdescendants("p")
    )


def _scan(
    body: HtmlElement, found: TreeFindings
) -> tuple[list, list, list, list, list, list, list]:
    """One walk over the tree: caption, related-list, widget, heading, list, card and <article>
    candidates."""
    captions, linklists, widgets, headings, lists, spans, articles = [], [], [], [], [], [], []
    boxes: list[HtmlElement] = []
    found.boxes = boxes
    kinds: dict[str, object] = {}  # templates repeat class names; classify each once
    seen_links: set[str] = set()
    paragraphs = found.paragraphs
    # Only tags that can matter are handed to Python: libxml2 skips the rest (svg paths, <i>,
    # <br>, table cells...), which saves building an element object for each of them.
    for el in body.iter(*_SCAN_TAGS):
        tag = el.tag
        if tag == "p":
            paragraphs.append(el)
        elif tag == "img":
            alt = " ".join((el.get("alt") or "").split())
            if len(alt.split()) >= ALT_MIN_WORDS:
                _add_unique(found.alt_texts, alt)
            for attr in ("data-caption", "data-credit"):
                value = " ".join((el.get(attr) or "").split())
                if value:
                    _add_unique(found.captions, value)
            continue
        if tag == "a":
            # Most links are plain text; text_content() only for the ones with markup inside.
            text = el.text_content() if len(el) else el.text
            # Menus repeat their links (header and footer): each text is normalised once.
            if text and text not in seen_links and text.count(" ") + 1 >= LINK_TEXT_MIN_WORDS:
                seen_links.add(text)
                key = line_key(text)
                if key.count(" ") + 1 >= LINK_TEXT_MIN_WORDS:
                    found.link_texts.add(key)
            continue
        if tag == "figcaption":
            captions.append(el)
            continue
        kind = None
        if tag == "article":
            articles.append(el)
        elif tag not in _STOP_TAGS:
            marker = el.get("class")
            if marker:
                kind = kinds.get(marker, _UNSEEN)
                if kind is _UNSEEN:
                    kind = kinds[marker] = _marker_kind(marker)
            if not kind:
                marker = el.get("id")
                if marker:
                    kind = kinds.get(marker, _UNSEEN)
                    if kind is _UNSEEN:
                        kind = kinds[marker] = _marker_kind(marker)
            if kind:
                if kind == "caption":
                    captions.append(el)
                elif kind == "linklist":
                    linklists.append(el)
                elif kind == "box":
                    boxes.append(el)
                else:
                    widgets.append(el)
                continue
        if tag in _HEADING_TAGS:
            text = _heading_text(el)
            if text and RELATED_HEADING_RE.match(text):
                headings.append(el)
        elif tag == "ul" or tag == "ol":
            lists.append(el)
        elif tag == "span" and len(el) >= INLINE_CARD_MIN_LINKS:
            spans.append(el)
    return captions, linklists, widgets, headings, lists, spans, articles


def _inside_link(el: HtmlElement) -> bool:
    return next(el.iterancestors("a"), None) is not None


def _is_story_card(el: HtmlElement) -> bool:
    """True for an <article> inside another that is a different story: a small card whose
    heading links away, or a post in the outer article's own template (a list of posts)."""
    outer = next(el.iterancestors("article"), None)
    if outer is None:
        return False
    shared = set((el.get("class") or "").split()) & set((outer.get("class") or "").split())
    if len(shared) >= SAME_TEMPLATE_CLASSES and el.get("id") != outer.get("id"):
        return True
    for heading in el.iter("h1", "h2", "h3", "h4"):
        linked = next(heading.iter("a"), None) is not None or _inside_link(heading)
        # A headline, not a name: a forum post's or comment's heading links to its author.
        if linked and _words(heading.text_content()) >= HEADLINE_MIN_WORDS:
            return _words(el.text_content()) <= STORY_CARD_MAX_WORDS
    return False


def _drop_story_cards(articles: list[HtmlElement], found: TreeFindings) -> None:
    for el in articles:
        if el.getparent() is not None and _is_story_card(el):
            _drop(el)
            found.count("story_card")


def _drop_next_stories(articles: list[HtmlElement], found: TreeFindings) -> None:
    """Drop the stories a page appends under its article (endless scroll): a later <article>,
    not nested in another, with its own <h1>, after a first one that holds a real body."""
    top = [a for a in articles if not any(x.tag == "article" for x in a.iterancestors())]
    if len(top) < 2:
        return
    headed = [a for a in top if next(a.iter("h1"), None) is not None]
    if len(headed) < 2 or _paragraph_chars(headed[0]) < NEXT_STORY_MIN_BODY_CHARS:
        return
    for story in headed[1:]:
        _drop(story)
        found.count("next_story")


def _is_inline_card(el: HtmlElement) -> bool:
    """True for a span of headline links inside a paragraph: a hover card, not the sentence."""
    links = list(el.iterchildren("a"))
    headlines = sum(1 for a in links if _words(a.text_content()) > HEADLINE_MIN_WORDS)
    if headlines < INLINE_CARD_MIN_LINKS:
        return False
    linked = sum(_words(a.text_content()) for a in links)
    if linked < INLINE_CARD_LINK_SHARE * _words(el.text_content()):
        return False
    return any(a.tag == "p" for a in el.iterancestors())


def _kicker_words(item: HtmlElement) -> int:
    """Words of a bold kicker before an item's link ("<b>Pension reform:</b> <a>...</a>")."""
    first = item[0] if len(item) else None
    if first is None or first.tag not in {"strong", "b"} or (item.text or "").strip():
        return 0
    if next(first.iter("a"), None) is not None:
        return 0
    return _words(first.text_content())


def _is_headline_list(el: HtmlElement) -> bool:
    """True for a list whose every item is one link, perhaps after a bold kicker: other
    stories, not article text."""
    items = 0
    for item in el.iterchildren("li"):  # lazily: most lists (menus) fail on their first item
        words = _words(item.text_content())
        if words < HEADLINE_MIN_WORDS:
            return False
        linked = sum(_words(a.text_content()) for a in item.iter("a"))
        if linked < HEADLINE_LINK_SHARE * words and (
            linked < HEADLINE_MIN_WORDS
            or linked + _kicker_words(item) < HEADLINE_LINK_SHARE * words
        ):
            return False
        items += 1
    return items >= HEADLINE_LIST_MIN_ITEMS


def _detached(el: HtmlElement, dropped: set) -> bool:
    if not dropped:
        return False
    return el in dropped or any(a in dropped for a in el.iterancestors())


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


def _drop_related_block(heading: HtmlElement, found: TreeFindings, dropped: set) -> None:
    root = _block_root(heading)
    for sib in list(root.itersiblings()):
        if not _is_teaser(sib):
            break
        dropped.add(sib)
        _drop(sib)
    dropped.add(root)
    _drop(root)
    found.count("related_heading")


def prune_tree(tree: HtmlElement) -> TreeFindings:
    """Take captions, related-story blocks and share widgets out of ``tree`` in place.

    Returns the captions and alt texts found, so the text pass can drop their copies, and
    counts per rule of what was removed.
    """
    found = TreeFindings()
    body = tree.find("body")
    if body is None:
        body = tree
    captions, linklists, widgets, headings, lists, spans, articles = _scan(body, found)
    if len(articles) > 1:
        _drop_next_stories(articles, found)
        _drop_story_cards(articles, found)
    dropped: set = set()
    paragraph_total = 0
    boxes = found.boxes
    if linklists or widgets or boxes:
        # The <p> elements are known already (at scan time, before anything is dropped).
        paragraph_total = sum(len(p.text_content()) for p in found.paragraphs)
    limit: list[float] = []  # the page's total, counted once and only when a block may reach it

    def too_big(text: str) -> bool:
        """True when a block's text is more than CLASS_BLOCK_MAX_SHARE of the page's."""
        # Most blocks are far smaller than the page's paragraphs alone: no need to count the
        # page's characters (a walk over all its text) to know they are small enough.
        if len(text) <= CLASS_BLOCK_MAX_SHARE * paragraph_total:
            return False
        if not limit:
            # Characters, counted by libxml2 in C, plus what was dropped before this point.
            limit.append(max((int(_CHARS(body)) + dropped_chars[0]) * CLASS_BLOCK_MAX_SHARE, 1))
        return len(text) > limit[0]

    dropped_chars = [0]

    def holds_article(el: HtmlElement) -> bool:
        share = _paragraph_chars(el) / paragraph_total if paragraph_total else 0.0
        return share >= ARTICLE_PARAGRAPH_SHARE

    for el in captions:
        if _detached(el, dropped):
            continue
        text = _text(el)
        if not _is_caption(el, text):
            continue
        _add_unique(found.captions, text)
        dropped.add(el)
        dropped_chars[0] += len(text)
        _drop(el)
        found.count("caption")
    for el in linklists:
        if _detached(el, dropped):
            continue
        text = _text(el)
        words = _words(text)
        if too_big(text) or holds_article(el):
            continue
        if words <= LINKLIST_TINY_WORDS or _link_share(el, words) >= LINKLIST_MIN_LINK_SHARE:
            dropped.add(el)
            dropped_chars[0] += len(text)
            _drop(el)
            found.count("related_class")
    for el in widgets:
        if _detached(el, dropped):
            continue
        text = _text(el)
        words = _words(text)
        if words <= WIDGET_MAX_WORDS and not too_big(text) and not holds_article(el):
            dropped.add(el)
            dropped_chars[0] += len(text)
            _drop(el)
            found.count("widget_class")
    for el in boxes:
        if _detached(el, dropped):
            continue
        # Whatever its size, a box goes when the page keeps a body of paragraphs without it;
        # a box holding most of the page's text goes only from inside an <article> that does.
        chars = _paragraph_chars(el)
        if holds_article(el):
            story = next(el.iterancestors("article"), None)
            rest = _paragraph_chars(story) - chars if story is not None else 0
        else:
            rest = paragraph_total - chars
        if rest >= BOX_REST_MIN_CHARS:
            dropped.add(el)
            _drop(el)
            found.count("box_class")
    for el in headings:
        if not _detached(el, dropped):
            _drop_related_block(el, found, dropped)
    for el in lists:
        if _is_headline_list(el) and not _detached(el, dropped):
            dropped.add(el)
            _drop(el)
            found.count("link_list")
    for el in spans:
        if _is_inline_card(el) and not _detached(el, dropped):
            dropped.add(el)
            _drop(el)
            found.count("inline_card")
    if found.removed:
        logger.debug("tree pass removed %s", found.removed)
    return found
