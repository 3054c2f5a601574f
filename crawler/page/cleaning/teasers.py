"""Other stories out of the tree: lists of teaser cards, lists of headlines, story cards nested in
the article, stories appended under it, and blocks under a "Related" heading.

A teaser is a headline link to another story of the same site, with at most an excerpt, a date
and a thumbnail beside it. A block whose items are mostly teasers is related content whatever
its heading says, in any language, and goes with its heading.
"""

from __future__ import annotations

from lxml.html import HtmlElement

from crawler.page.cleaning.measure import (
    ends_sentence,
    link_share,
    link_words,
    more_words_than,
    text_content,
    text_of,
    words,
)
from crawler.page.cleaning.pruning import Pruning

# A link of at least this many words to another story reads as a headline (HEADLINE_MIN_WORDS
# in a list of links alone; TEASER_HEADLINE_MIN_WORDS beside an excerpt, a date or a picture,
# where a tag or a section name of three words may be linked too).
HEADLINE_MIN_WORDS = 3
TEASER_HEADLINE_MIN_WORDS = 4
# A list of at least this many items, each a link of a few words, is a list of other stories
# (a teaser list under the article, "Mehr zum Thema"), whatever heading it has or lacks.
HEADLINE_LIST_MIN_ITEMS = 2
HEADLINE_LINK_SHARE = 0.8
# Teaser lists: at least TEASER_LIST_MIN_ITEMS items holding a headline link, of at most
# TEASER_ITEM_MAX_WORDS each (headline, excerpt, date), and at least TEASER_LIST_SHARE of the
# container's items with text. An item starts at most TEASER_ITEM_LEVELS above its headline.
TEASER_LIST_MIN_ITEMS = 2
TEASER_ITEM_MAX_WORDS = 60
TEASER_LIST_SHARE = 0.6
TEASER_ITEM_LEVELS = 4
# A span inside a paragraph made of several headline links (a name's hover card listing the
# person's latest stories) is a teaser card the page shows on demand, not words of the sentence.
INLINE_CARD_MIN_LINKS = 2
INLINE_CARD_LINK_SHARE = 0.8
# A related-block heading climbs to its container while the container stays small or
# link-heavy, so "<div><h3>Related</h3><ul>...</ul></div>" goes as a whole.
BLOCK_SMALL_WORDS = 40
BLOCK_MAX_WORDS = 600
BLOCK_MIN_LINK_SHARE = 0.4
# After the heading, siblings made mostly of links, or short ones holding a link, are teasers.
TEASER_LINK_SHARE = 0.5
TEASER_MAX_WORDS = 30
# A heading over a block of other stories is this short.
HEADING_MAX_WORDS = 12
# An <article> nested in the article, headed by a link to another page, is a teaser card for
# that page (a list of other posts, "more from"); cards are short.
STORY_CARD_MAX_WORDS = 150
# An inner <article> sharing this many class names with the outer one is another post rendered
# with the same template; comments and embeds have classes of their own.
SAME_TEMPLATE_CLASSES = 3
# A page that appends the next story under the article repeats the article's markup, headline
# included; the first story must hold at least this much paragraph text to be the one kept.
NEXT_STORY_MIN_BODY_CHARS = 500

STOP_TAGS = frozenset({"html", "body", "article", "main"})
# Teaser cards are often <article> elements: a teaser's item may be one, not its list.
_ITEM_STOP_TAGS = frozenset({"html", "body", "main"})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_HEADING_LIKE = frozenset({*_HEADINGS, "p", "div", "span", "strong", "b", "header", "dt"})


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
        if linked and words(text_content(heading)) >= HEADLINE_MIN_WORDS:
            return words(text_content(el)) <= STORY_CARD_MAX_WORDS
    return False


def drop_story_cards(articles: list[HtmlElement], state: Pruning) -> None:
    for el in articles:
        if el.getparent() is not None and _is_story_card(el):
            state.drop(el, "story_card")


def drop_next_stories(articles: list[HtmlElement], state: Pruning) -> None:
    """Drop the stories a page appends under its article (endless scroll): a later <article>,
    not nested in another, with its own <h1>, after a first one that holds a real body."""
    top = [a for a in articles if not any(x.tag == "article" for x in a.iterancestors())]
    if len(top) < 2:
        return
    headed = [a for a in top if next(a.iter("h1"), None) is not None]
    if len(headed) < 2 or state.paragraph_chars(headed[0]) < NEXT_STORY_MIN_BODY_CHARS:
        return
    for story in headed[1:]:
        state.drop(story, "next_story")


def is_inline_card(el: HtmlElement) -> bool:
    """True for a span of headline links inside a paragraph: a hover card, not the sentence."""
    links = list(el.iterchildren("a"))
    headlines = sum(1 for a in links if words(text_content(a)) > HEADLINE_MIN_WORDS)
    if headlines < INLINE_CARD_MIN_LINKS:
        return False
    linked = sum(words(text_content(a)) for a in links)
    if linked < INLINE_CARD_LINK_SHARE * words(text_content(el)):
        return False
    return any(a.tag == "p" for a in el.iterancestors())


def _kicker_words(item: HtmlElement) -> int:
    """Words of a bold kicker before an item's link ("<b>Pension reform:</b> <a>...</a>")."""
    first = item[0] if len(item) else None
    if first is None or first.tag not in {"strong", "b"} or (item.text or "").strip():
        return 0
    if next(first.iter("a"), None) is not None:
        return 0
    return words(text_content(first))


def is_headline_list(el: HtmlElement) -> bool:
    """True for a list whose every item is one link, perhaps after a bold kicker: other
    stories, not article text."""
    items = 0
    for item in el.iterchildren("li"):  # lazily: most lists (menus) fail on their first item
        count = words(text_content(item))
        if count < HEADLINE_MIN_WORDS:
            return False
        linked = link_words(item)
        if linked < HEADLINE_LINK_SHARE * count and (
            linked < HEADLINE_MIN_WORDS
            or linked + _kicker_words(item) < HEADLINE_LINK_SHARE * count
        ):
            return False
        items += 1
    return items >= HEADLINE_LIST_MIN_ITEMS


def _starts_parent(el: HtmlElement) -> bool:
    parent = el.getparent()
    if (parent.text or "").strip():
        return False
    for sib in el.itersiblings(preceding=True):
        if text_of(sib) or (sib.tail or "").strip():
            return False
    return True


def _block_root(heading: HtmlElement) -> HtmlElement:
    node = heading
    while True:
        parent = node.getparent()
        if parent is None or parent.tag in STOP_TAGS or not _starts_parent(node):
            return node
        count = words(text_of(parent))
        if count > BLOCK_SMALL_WORDS and (
            count > BLOCK_MAX_WORDS or link_share(parent, count) < BLOCK_MIN_LINK_SHARE
        ):
            return node
        node = parent


def _is_teaser(el: HtmlElement) -> bool:
    if not isinstance(el.tag, str):
        return True  # comments and processing instructions
    if el.tag in _HEADINGS:
        return False
    count = words(text_of(el))
    if not count:
        return True
    share = link_share(el, count)
    return share >= TEASER_LINK_SHARE or (count <= TEASER_MAX_WORDS and share > 0)


def drop_related_block(heading: HtmlElement, state: Pruning) -> None:
    """A "Related" heading, the block it opens and the teasers after it."""
    root = _block_root(heading)
    for sib in list(root.itersiblings()):
        if not _is_teaser(sib):
            break
        state.drop(sib, "related_teaser")
    state.drop(root, "related_heading")


def _is_heading(el: HtmlElement) -> bool:
    """True for a short heading-like element: a title over a block, not a sentence."""
    if not isinstance(el.tag, str) or el.tag not in _HEADING_LIKE:
        return False
    text = text_of(el)
    if el.tag not in _HEADINGS and (
        len(el) > 2 or ends_sentence(text) or next(el.iter("a", "br"), None) is not None
    ):
        return False  # a sentence, a menu of links or lines: not a title
    return 0 < words(text) <= HEADING_MAX_WORDS


def _is_teaser_list(container: HtmlElement, headlines: set[HtmlElement]) -> bool:
    """True when most of the container's items, and most of its text, are teasers."""
    # Text of the container's own, between its children, is a body's text, not a list's.
    loose = words(container.text) + sum(words(child.tail) for child in container)
    if loose > HEADING_MAX_WORDS:
        return False
    teasers = others = 0
    teaser_chars = other_chars = 0
    first = True
    for child in container:
        if not isinstance(child.tag, str):
            continue
        text = text_content(child).strip()
        if not text:
            continue  # a thumbnail, an empty ad slot
        if not more_words_than(text, TEASER_ITEM_MAX_WORDS) and any(
            a in headlines for a in child.iter("a")
        ):
            teasers += 1
            teaser_chars += len(text)
        elif not (first and _is_heading(child)):
            others += 1
            other_chars += len(text)
            if others > (1 - TEASER_LIST_SHARE) * len(container):
                return False  # too many other things, whatever the rest holds
        first = False
    return (
        teasers >= TEASER_LIST_MIN_ITEMS
        and teasers >= TEASER_LIST_SHARE * (teasers + others)
        and teaser_chars >= TEASER_LIST_SHARE * (teaser_chars + other_chars)
    )


def _with_heading(block: HtmlElement) -> list[HtmlElement]:
    """``block`` grown over the wrappers that hold only it and a heading, and the heading just
    before it: what goes when a list of teasers goes."""
    while True:
        parent = block.getparent()
        if parent is None or parent.tag in STOP_TAGS:
            break
        others = [c for c in parent if c is not block and isinstance(c.tag, str)]
        if len(others) > 1 or any(text_of(c) and not _is_heading(c) for c in others):
            break
        block = parent
    before = block.getprevious()
    while before is not None and not isinstance(before.tag, str):
        before = before.getprevious()
    if before is not None and before.tag in _HEADINGS and _is_heading(before):
        return [before, block]
    return [block]


def _depth(el: HtmlElement) -> int:
    return sum(1 for _ in el.iterancestors())


def drop_teaser_lists(headlines: list[HtmlElement], state: Pruning) -> None:
    """Blocks whose items are mostly teasers (``headlines``: links to other stories of the
    site, with a headline's words), their heading included."""
    if len(headlines) < TEASER_LIST_MIN_ITEMS:
        return
    items_of: dict[HtmlElement, list[HtmlElement]] = {}
    for link in headlines:
        child = link
        for _ in range(TEASER_ITEM_LEVELS + 1):
            parent = child.getparent()
            if parent is None or parent.tag in _ITEM_STOP_TAGS:
                break
            items = items_of.setdefault(parent, [])
            if child not in items:
                items.append(child)
            child = parent
    candidates = [el for el, items in items_of.items() if len(items) >= TEASER_LIST_MIN_ITEMS]
    if not candidates:
        return
    marked = set(headlines)
    # Innermost first: the list itself, before a region that holds it and other things.
    for container in sorted(candidates, key=_depth, reverse=True):
        if state.detached(container) or not _is_teaser_list(container, marked):
            continue
        found = state.found
        found.teaser_cards += sum(1 for a in container.iter("a") if a in marked)
        if state.is_most_of_page(container):
            found.kept_teaser_words += words(text_of(container))
            continue
        for el in _with_heading(container):
            state.drop(el, "teaser_list")


__all__ = [
    "HEADLINE_MIN_WORDS",
    "TEASER_HEADLINE_MIN_WORDS",
    "drop_next_stories",
    "drop_related_block",
    "drop_story_cards",
    "drop_teaser_lists",
    "is_headline_list",
    "is_inline_card",
]
