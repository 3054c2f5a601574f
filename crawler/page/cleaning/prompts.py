"""Prompts and widgets out of the tree: consent and cookie banners, newsletter sign-ups, paywall
and log-in boxes, share bars, author boxes.

They are told by their structure, in any language: a dialog (an ARIA dialog role or modal
flag), or a small box built around a control (a button, a form, an input, a call-to-action
link standing between blocks) with a few short lines of text beside it. The class names of
widgets add evidence for the boxes templates name plainly.
"""

from __future__ import annotations

from lxml.html import HtmlElement

from crawler.page.cleaning.measure import (
    link_share,
    more_words_than,
    text_content,
    text_of,
    words,
)
from crawler.page.cleaning.pruning import Pruning

# A block classed "related"/"read-more" is a list of links only if links carry this share of its
# words, or it is tiny (a heading box); the article body, even when a template gives it a
# "read-more" class, is mostly unlinked text.
LINKLIST_MIN_LINK_SHARE = 0.25
LINKLIST_TINY_WORDS = 15
# Share/newsletter/social widgets are small; anything larger is probably not a widget.
WIDGET_MAX_WORDS = 80
# A box beside the story is dropped only when this much paragraph text stays without it.
BOX_REST_MIN_CHARS = 1000
# A dialog holds at most this many words; a box around a control at most PROMPT_MAX_WORDS, in
# lines of at most PROMPT_LINE_MAX_WORDS (a prompt's sentences are short; an article's
# paragraph that happens to sit next to a button is longer).
DIALOG_MAX_WORDS = 150
PROMPT_MAX_WORDS = 60
PROMPT_LINE_MAX_WORDS = 30
# A box is found at most PROMPT_LEVELS above its control, among blocks of at most
# PROMPT_MAX_CHILDREN children (a prompt has a few parts; a page region has many).
PROMPT_LEVELS = 5
PROMPT_MAX_CHILDREN = 12
# Around a call-to-action link the box is closer (the link is one of its parts) and has few
# links and no list: a panel of the page's content may end with a link too ("More details").
PROMPT_ACTION_LEVELS = 2
PROMPT_MAX_LINKS = 3
# A box stops growing at these: the article's own containers.
_STOP_TAGS = frozenset({"html", "body", "article", "main"})
# Boxes that say they hold the page's content.
_CONTENT_ROLES = frozenset({"tabpanel", "main", "article", "feed", "document"})
# Elements whose text is one line of a box; their length is checked.
_LINE_TAGS = ("p", "li", "dd", "blockquote")


def drop_marked_blocks(
    linklists: list[HtmlElement], widgets: list[HtmlElement], state: Pruning
) -> None:
    """Blocks a class or id names a related list or a widget, while small or link-heavy."""
    for els, rule in ((linklists, "related_class"), (widgets, "widget_class")):
        for el in els:
            if state.detached(el):
                continue
            text = text_of(el)
            count = words(text)
            if state.too_big(text) or state.holds_article(el):
                continue
            if rule == "widget_class":
                keep = count > WIDGET_MAX_WORDS
            else:
                keep = count > LINKLIST_TINY_WORDS and link_share(el, count) < (
                    LINKLIST_MIN_LINK_SHARE
                )
            if not keep:
                state.drop(el, rule, len(text))


def drop_side_boxes(boxes: list[HtmlElement], state: Pruning) -> None:
    """Author-bio and fact boxes, when the page keeps a body of paragraphs without them."""
    for el in boxes:
        if state.detached(el):
            continue
        # Whatever its size, a box goes when the page keeps a body of paragraphs without it;
        # a box holding most of the page's text goes only from inside an <article> that does.
        chars = state.paragraph_chars(el)
        if state.holds_article(el):
            story = next(el.iterancestors("article"), None)
            rest = state.paragraph_chars(story) - chars if story is not None else 0
        else:
            rest = state.paragraph_total - chars
        if rest >= BOX_REST_MIN_CHARS:
            state.drop(el, "box_class")


def _is_prompt(box: HtmlElement, state: Pruning, action: bool) -> bool:
    """True for a small box of short lines (and, around a link, a few links and no lists)."""
    if (box.get("role") or "") in _CONTENT_ROLES or state.holds_article(box):
        return False
    if action:
        if sum(1 for _ in box.iter("a")) > PROMPT_MAX_LINKS:
            return False
        if next(box.iter("ul", "ol", "table", "dl"), None) is not None:
            return False
    return not any(
        more_words_than(text_content(el), PROMPT_LINE_MAX_WORDS) for el in box.iter(*_LINE_TAGS)
    )


def _box_around(
    control: HtmlElement, small: dict[HtmlElement, bool], levels: int = PROMPT_LEVELS
) -> HtmlElement | None:
    """The largest block around ``control`` of at most PROMPT_MAX_WORDS words, at most
    ``levels`` above it. ``small`` remembers the blocks already measured."""
    if more_words_than(text_content(control), PROMPT_MAX_WORDS):
        return None
    node = control
    for _ in range(levels):
        parent = node.getparent()
        if parent is None or parent.tag in _STOP_TAGS:
            break
        fits = small.get(parent)
        if fits is None:
            fits = small[parent] = len(parent) <= PROMPT_MAX_CHILDREN and not more_words_than(
                text_content(parent), PROMPT_MAX_WORDS
            )
        if not fits:
            break
        node = parent
    return node


def _is_control(el: HtmlElement) -> bool:
    """True for a control a prompt is built around: a form, a field, or a button with a label
    that acts (a toggle of the page's own panels, or an icon, is not one)."""
    if el.tag in ("form", "input", "select", "textarea"):
        return True
    if el.get("aria-controls") is not None or el.get("aria-expanded") is not None:
        return False
    if (el.get("role") or "") in ("tab", "menuitem", "switch"):
        return False
    return bool(text_content(el).strip())


def drop_dialogs(dialogs: list[HtmlElement], state: Pruning) -> None:
    """Elements that say they are dialogs (role="dialog", aria-modal): banners, pop-ups."""
    for el in dialogs:
        if state.detached(el):
            continue
        text = text_of(el)
        if words(text) <= DIALOG_MAX_WORDS and not state.holds_article(el):
            state.drop(el, "dialog", len(text))


def drop_prompt_boxes(
    controls: list[HtmlElement], actions: list[HtmlElement], state: Pruning
) -> None:
    """Small boxes built around a button, a form or a field (``controls``), or around a
    call-to-action link standing between blocks (``actions``)."""
    small: dict[HtmlElement, bool] = {}
    for control, action in [(c, False) for c in controls] + [(a, True) for a in actions]:
        if not action and not _is_control(control):
            continue
        box = _box_around(control, small, PROMPT_ACTION_LEVELS if action else PROMPT_LEVELS)
        if box is None or state.detached(box):
            continue
        if box is control and control.tag not in ("form", "button"):
            continue  # a lone link or field: the navigation-line rule judges it
        if _is_prompt(box, state, action):
            state.drop(box, "prompt_box")


__all__ = [
    "drop_dialogs",
    "drop_marked_blocks",
    "drop_prompt_boxes",
    "drop_side_boxes",
]
