"""Captions and credits out of the tree and into ``captions``: figures marked up as such, and
any small block that holds one image and a few short lines beside it (a caption, a credit).
"""

from __future__ import annotations

from collections.abc import Iterator

from lxml.html import HtmlElement

from crawler.page.cleaning.measure import more_words_than, text_content, text_of, words
from crawler.page.cleaning.pruning import Pruning, add_unique

# A caption longer than this is more likely a mislabelled text block than a caption.
CAPTION_MAX_WORDS = 80
# An element classed "caption" that holds a paragraph this long is a lead or a teaser text
# (a video's description), not a caption.
CAPTION_PARAGRAPH_MAX_WORDS = 20
# An image box: one image and at most this many words beside it (a caption and a credit).
FIGURE_MAX_WORDS = 50
# The box is looked for this many levels above the image (wrappers such as <picture>, a
# link, a cell), among ancestors with at most FIGURE_MAX_CHILDREN children.
FIGURE_LEVELS = 4
FIGURE_MAX_CHILDREN = 6
# A box whose text has no more words than this holds a label, not a caption.
LABEL_MAX_WORDS = 1
# A link of this many words in a box is a headline: the box is a teaser card, not a figure.
FIGURE_LINK_MAX_WORDS = 2
_MEDIA = ("img", "picture", "video", "iframe", "svg")
# Parts of one image: a <picture> and its <source> elements (which libxml2 may nest inside
# each other, as it does not know them as empty) are the image itself, not a level above it.
_IMAGE_PARTS = frozenset({"picture", "source"})
# Elements whose content the reader never sees as text: a <noscript> copy of the image for
# browsers without scripts, the image's JSON-LD in a <script>.
_UNSHOWN = frozenset({"noscript", "script", "style", "template"})
# A figure's own controls (zoom, full screen, "read more" of a long caption) are short buttons;
# their labels are no caption.
FIGURE_BUTTON_MAX_WORDS = 2
_NOT_CAPTION_TEXT = _UNSHOWN | {"button"}
# Blocks a box may be; an image inside text-level elements (a paragraph with an inline icon, a
# list item, a heading) is no figure.
_BOX_TAGS = frozenset({"div", "figure", "section", "aside", "center", "span"})
_BLOCK_TAGS = frozenset({"div", "figure"})
_TEXT_TAGS = frozenset({"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "dd", "dt"})
_STOP_TAGS = frozenset({"article", "main", "body"})
_EMPHASIS = frozenset({"strong", "b", "em", "i"})
_CAPTION_ENDS = (".", ")")
_NOT_IN_BOX = ("h1", "h2", "h3", "h4", "h5", "h6", "form", "input", "ul", "ol")


def is_caption(el: HtmlElement, text: str) -> bool:
    """True when an element marked as a caption holds a caption, not a lead or a teaser."""
    if words(text) > CAPTION_MAX_WORDS:
        return False
    if el.tag == "figcaption" or _beside_image(el):
        return True
    return not any(
        words(text_content(p)) > CAPTION_PARAGRAPH_MAX_WORDS for p in el.iterdescendants("p")
    )


def _beside_image(el: HtmlElement) -> bool:
    """True when ``el`` holds no image and its parent, a small block, holds one: the caption
    block of a figure, however long its one paragraph."""
    parent = el.getparent()
    if parent is None or len(parent) > FIGURE_MAX_CHILDREN or parent.tag not in _BOX_TAGS:
        return False
    if next(el.iter("img"), None) is not None:
        return False
    return sum(1 for image in parent.iter("img") if not _unshown(image)) == 1


def _unshown(el: HtmlElement) -> bool:
    return next(el.iterancestors(*_UNSHOWN), None) is not None


def take_marked_captions(candidates: list[HtmlElement], state: Pruning) -> None:
    """Captions marked up as such (<figcaption>, class "caption"/"credit") go to captions."""
    for el in candidates:
        if state.detached(el):
            continue
        text = text_of(el)
        if not is_caption(el, text):
            continue
        add_unique(state.found.captions, text)
        state.drop(el, "caption", len(text))


def _box_of(image: HtmlElement, memo: dict[HtmlElement, bool]) -> HtmlElement | None:
    """The nearest ancestor of ``image`` with text in it, when it may be a figure's block."""
    node = image
    levels = 0
    while levels < FIGURE_LEVELS:
        parent = node.getparent()
        if parent is None:
            return None
        if parent.tag in _IMAGE_PARTS:
            node = parent
            continue
        levels += 1
        if parent.tag != "a":  # an image wrapped in a link climbs on
            # A list item holding the image in a block of its own is a gallery's slide; one
            # holding it inline is a line of text with an icon.
            slide = parent.tag == "li" and node.tag in _BLOCK_TAGS
            if (parent.tag in _TEXT_TAGS and not slide) or len(parent) > FIGURE_MAX_CHILDREN:
                return None  # an image in running text, or in a region of many blocks
            textful = memo.get(parent)
            if textful is None:
                # The first piece of text settles it: no need to read a whole region.
                textful = memo[parent] = any(piece.strip() for piece in _shown_text(parent))
            if textful:
                return parent if parent.tag in _BOX_TAGS or slide else None
        node = parent
    return None


def _shown_text(el: HtmlElement) -> Iterator[str]:
    """The pieces of text of ``el`` a caption may hold: none from inside _UNSHOWN elements or
    the figure's buttons."""
    if el.text:
        yield el.text
    for child in el:
        # A comment's tag is a function, not a name: it has no text to show.
        if isinstance(child.tag, str) and child.tag not in _NOT_CAPTION_TEXT:
            yield from _shown_text(child)
        if child.tail:
            yield child.tail


def _caption_of(box: HtmlElement) -> str | None:
    """The text of ``box`` as one caption; None when the box holds more than one image, a
    heading, a form, a button or a link long enough to be a call or a headline, or too many
    words."""
    images = drawings = 0
    for el in box.iter(*_MEDIA, *_NOT_IN_BOX, "a", "button"):
        if el.tag == "img" and _unshown(el):
            continue  # the <noscript> copy of the image
        if next(el.iterancestors("button"), None) is not None:
            continue  # a button's icon
        if el.tag == "button":
            if more_words_than(text_of(el), FIGURE_BUTTON_MAX_WORDS):
                return None  # a call to action: the box is a prompt
            continue
        if el.tag in _NOT_IN_BOX:
            return None
        if el.tag == "a":
            if more_words_than(text_of(el), FIGURE_LINK_MAX_WORDS):
                return None
        elif el.tag == "svg":
            drawings += 1
        elif el.tag != "picture":
            images += 1
    # Beside a picture, an <svg> is an icon (zoom, info, play); alone, it may be the figure.
    if (images or drawings) != 1:
        return None
    # Pieces joined with a space: a caption and its credit are often apart only by a <br>.
    text = " ".join(" ".join(_shown_text(box)).split())
    return None if more_words_than(text, FIGURE_MAX_WORDS) else text


def _figure_around(box: HtmlElement) -> HtmlElement | None:
    """The <figure> a few levels above ``box`` when it is one figure's (one image, few words)."""
    for level, el in enumerate(box.iterancestors()):
        if level >= FIGURE_LEVELS or el.tag in _STOP_TAGS:
            return None
        if el.tag == "figure":
            return el if _caption_of(el) else None
    return None


def take_image_boxes(images: list[HtmlElement], state: Pruning) -> None:
    """A small block holding one image and a caption or credit beside it is a figure, whatever
    its markup: its lines go to captions, the block out of the text."""
    memo: dict[HtmlElement, bool] = {}
    for image in images:
        box = _box_of(image, memo)
        if box is None or state.detached(box):
            continue
        text = _caption_of(box)
        if text and not more_words_than(text, LABEL_MAX_WORDS):
            # A label ("Image", "Photo") in the image's own box: the caption may sit beside.
            wider = _box_of(box, memo)
            wider_text = _caption_of(wider) if wider is not None else None
            if wider_text:
                box, text = wider, wider_text
        figure = _figure_around(box)
        if figure is not None:
            # The whole <figure> goes, so a caption beside the image's box goes with it.
            box, text = figure, _caption_of(figure) or text
        if not text or state.holds_article(box):
            continue
        add_unique(state.found.captions, text)
        state.drop(box, "image_box", len(text))


def _image_block(image: HtmlElement) -> HtmlElement:
    """The outermost block around ``image`` that holds nothing else: its <figure>, link or
    wrappers without text of their own."""
    node = image
    for _ in range(FIGURE_LEVELS):
        parent = node.getparent()
        if parent is None or parent.tag in _TEXT_TAGS or parent.tag in _STOP_TAGS:
            break
        if len(parent) > 1 and parent.tag not in _IMAGE_PARTS:
            break
        if any(piece.strip() for piece in _shown_text(parent)):
            break
        node = parent
    return node


def _emphasised_caption(el: HtmlElement | None) -> str | None:
    """The text of ``el`` when it is a short paragraph all in one bold or italic run that ends
    like a sentence or a credit: a caption written as a paragraph. A bold subheading has no
    full stop."""
    if el is None or el.tag != "p" or len(el) != 1 or (el.text or "").strip():
        return None
    run = el[0]
    if run.tag not in _EMPHASIS or len(run) or (run.tail or "").strip():
        return None
    text = " ".join((run.text or "").split())
    if not text.endswith(_CAPTION_ENDS) or more_words_than(text, CAPTION_PARAGRAPH_MAX_WORDS):
        return None
    return text


def take_paragraph_captions(images: list[HtmlElement], state: Pruning) -> None:
    """An image standing alone, with no caption of its own, followed by a short paragraph all
    in bold or italic: that paragraph is its caption."""
    for image in images:
        if image.getparent() is None or state.detached(image) or _unshown(image):
            continue
        block = _image_block(image)
        after = block.getnext()
        text = _emphasised_caption(after)
        if text and after is not None:
            add_unique(state.found.captions, text)
            state.drop(after, "caption_paragraph", len(text))


__all__ = [
    "CAPTION_MAX_WORDS",
    "is_caption",
    "take_image_boxes",
    "take_marked_captions",
    "take_paragraph_captions",
]
