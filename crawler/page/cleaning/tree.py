"""HTML-tree cleaning before extraction: one walk over the tree sorts out the candidates, then
each rule (layout, figures, prompts, teasers, navigation lines) removes what it recognises.

The rules decide from the page's structure, which holds across CMSs and languages (a dialog, a
box around a button or a form, a list of headline links to other stories, a line made of
links); class names and phrases only add evidence. Every rule is guarded so that it cannot
take the article with it (:class:`~crawler.page.cleaning.pruning.Pruning`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from lxml.html import HtmlElement

from crawler.page.cleaning import figures, layout, links, prompts, teasers
from crawler.page.cleaning.copies import line_key
from crawler.page.cleaning.markers import BOX, CAPTION, LINKLIST, marker_kind
from crawler.page.cleaning.measure import text_content, words
from crawler.page.cleaning.phrases import RELATED_HEADING_RE
from crawler.page.cleaning.pruning import Pruning, TreeFindings, add_unique

logger = logging.getLogger(__name__)

# Re-exported: the text pass and tests read the caption bound from here.
CAPTION_MAX_WORDS = figures.CAPTION_MAX_WORDS
# Alt texts shorter than this ("photo", "logo") never reappear as a body paragraph worth matching.
ALT_MIN_WORDS = 4
# Link texts of at least this many words are remembered, so the text pass can tell a line
# that is a link to another story ("Tram line extension approved") from a sentence.
LINK_TEXT_MIN_WORDS = 3
HEADING_MAX_WORDS = 8
_HEADLINE_PROBE_CHARS = 200
_HEADING_MAX_CHARS = 200  # generous for eight words, with the spaces of an indented template

# Where a heading of a related block may sit; other tags are left to the text pass.
_HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "strong", "b", "p", "dt"})
_SCAN_TAGS = (
    *("div", "section", "aside", "article", "main", "header", "footer", "nav", "form"),
    *("p", "span", "figure", "figcaption", "img", "a", "ul", "ol", "dl", "dt", "dd"),
    *("h1", "h2", "h3", "h4", "h5", "h6", "strong", "b", "blockquote", "table", "small", "cite"),
    *("button", "input", "select", "textarea", "center"),
)
# Regions extraction drops whole (trafilatura's cleaning removes all but <header>).
_REGIONS = ("nav", "aside", "footer", "header")
_CONTROLS = frozenset({"button", "input", "select", "textarea"})
_UNSEEN = object()
_STOP_TAGS = frozenset({"html", "body", "article", "main"})
_DIALOG_ROLES = frozenset({"dialog", "alertdialog"})
_HIDDEN_INPUTS = frozenset({"hidden", "submit", "image"})


@dataclass
class _Candidates:
    """What the walk over the tree found for each rule, in document order."""

    captions: list[HtmlElement] = field(default_factory=list)
    images: list[HtmlElement] = field(default_factory=list)
    linklists: list[HtmlElement] = field(default_factory=list)
    widgets: list[HtmlElement] = field(default_factory=list)
    headings: list[HtmlElement] = field(default_factory=list)
    lists: list[HtmlElement] = field(default_factory=list)
    spans: list[HtmlElement] = field(default_factory=list)
    articles: list[HtmlElement] = field(default_factory=list)
    links: list[HtmlElement] = field(default_factory=list)
    headlines: list[HtmlElement] = field(default_factory=list)
    controls: list[HtmlElement] = field(default_factory=list)
    dialogs: list[HtmlElement] = field(default_factory=list)


def _related_heading(el: HtmlElement) -> bool:
    """True for a short heading-like element whose own text says "Related", "Read more"..."""
    if len(el) > 2:
        return False
    text = el.text or ""
    if not text.strip() and len(el) == 1:
        text = el[0].text or ""
    if len(text) > _HEADING_MAX_CHARS:  # a paragraph: no need to read it
        return False
    # The phrase first: it fails at once on almost every element, where counting would not.
    text = " ".join(text.split())
    return bool(text and RELATED_HEADING_RE.match(text)) and words(text) <= HEADING_MAX_WORDS


def _scan_link(el: HtmlElement, state: Pruning, seen: set[str], out: _Candidates) -> None:
    out.links.append(el)
    # Most links are plain text; text_content() only for the ones with markup inside.
    text = text_content(el) if len(el) else el.text
    if not text:
        return
    # Menus repeat their links (header and footer): each text is normalised once.
    if text not in seen and text.count(" ") + 1 >= LINK_TEXT_MIN_WORDS:
        seen.add(text)
        key = line_key(text)
        if key.count(" ") + 1 >= LINK_TEXT_MIN_WORDS:
            state.found.link_texts.add(key)
    # A headline needs a few words; unspaced scripts are counted, not split on spaces.
    text = text.strip()
    if text.count(" ") < teasers.TEASER_HEADLINE_MIN_WORDS - 1 and text.isascii():
        return
    if (
        state.site.leads_to_story(el.get("href"))
        # Only a lower bound is wanted: the first characters are enough to count.
        and words(text[:_HEADLINE_PROBE_CHARS]) >= teasers.TEASER_HEADLINE_MIN_WORDS
    ):
        out.headlines.append(el)
        state.found.story_links.append(el.get("href") or "")


def _scan(body: HtmlElement, state: Pruning) -> _Candidates:
    """One walk over the tree: the candidates of every rule."""
    out = _Candidates()
    found = state.found
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
            out.images.append(el)
            alt = " ".join((el.get("alt") or "").split())
            if words(alt) >= ALT_MIN_WORDS:
                add_unique(found.alt_texts, alt)
            for attr in ("data-caption", "data-credit"):
                value = " ".join((el.get(attr) or "").split())
                if value:
                    add_unique(found.captions, value)
            continue
        elif tag == "a":
            # A link made a button (role="button", href="#") is a control like a <button>.
            if el.get("role") == "button":
                out.controls.append(el)
            _scan_link(el, state, seen_links, out)
            continue
        elif tag == "figcaption":
            out.captions.append(el)
            continue
        elif tag in _CONTROLS:
            if tag != "input" or (el.get("type") or "text").lower() not in _HIDDEN_INPUTS:
                out.controls.append(el)
            continue
        kind = None
        if tag == "article":
            out.articles.append(el)
        elif tag not in _STOP_TAGS:
            role = el.get("role")
            if role is not None or el.get("aria-modal") == "true":
                if role in _DIALOG_ROLES or el.get("aria-modal") == "true":
                    out.dialogs.append(el)
                    continue
                if role == "button":
                    out.controls.append(el)
            if tag == "form":
                out.controls.append(el)
            # What the element's class, or else its id, says it is (memoised per page).
            marker = el.get("class")
            if marker:
                kind = kinds.get(marker, _UNSEEN)
                if kind is _UNSEEN:
                    kind = kinds[marker] = marker_kind(marker)
            if not kind:
                marker = el.get("id")
                if marker:
                    kind = kinds.get(marker, _UNSEEN)
                    if kind is _UNSEEN:
                        kind = kinds[marker] = marker_kind(marker)
            if kind:
                if kind == CAPTION:
                    out.captions.append(el)
                elif kind == LINKLIST:
                    out.linklists.append(el)
                elif kind == BOX:
                    found.boxes.append(el)
                else:
                    out.widgets.append(el)
                continue
        if tag in _HEADING_TAGS:
            if _related_heading(el):
                out.headings.append(el)
        elif tag == "ul" or tag == "ol":
            out.lists.append(el)
        elif tag == "span" and len(el) >= teasers.INLINE_CARD_MIN_LINKS:
            out.spans.append(el)
    return out


def _drop_regions(body: HtmlElement, state: Pruning) -> None:
    """Drop the page's navigation, asides and footers, which extraction never keeps, and its
    masthead (a <header> outside the article), before the walk, so that no rule spends time
    on what they hold; one that holds the story's headline or its <article> is left alone."""
    for el in list(body.iter(*_REGIONS)):
        if el.getparent() is None or state.detached(el):
            continue
        if next(el.iterdescendants("h1", "article", "main"), None) is not None:
            continue
        if el.tag != "nav" and next(el.iterancestors("article", "main"), None) is not None:
            if el.tag == "header":
                continue  # the article's own header: headline, byline, standfirst
            if el.tag == "aside" and next(el.iter("img"), None) is not None:
                continue  # an image set beside the text: the figure rules take its caption
        state.drop_region(el)


def _drop_navigation(lines: list[HtmlElement], state: Pruning) -> None:
    """Drop the navigation lines."""
    for line in lines:
        if links.is_navigation(line, state.site) and not state.detached(line):
            state.drop(line, "navigation")


def _drop_lists(lists: list[HtmlElement], state: Pruning) -> None:
    """Lists of headlines, and lists of navigation (menus, toolbars): whole when every item
    is one, else the navigation items alone."""
    for el in lists:
        if state.detached(el):
            continue
        if teasers.is_headline_list(el):
            state.drop(el, "link_list")
            continue
        items = list(el.iterchildren("li"))
        if len(items) > links.TOOLBAR_MAX_ITEMS:
            continue  # a menu: extraction drops lists of links this long itself
        navigation = links.navigation_items(items, state.site)
        if navigation and len(navigation) == len(items):
            state.drop(el, "navigation")
        else:
            for item in navigation:
                state.drop(item, "navigation")


def _leads_inside(line: HtmlElement, state: Pruning) -> bool:
    """True when every link of ``line`` leads to this site, a script or this page."""
    return all(state.site.kind(a.get("href")) != links.EXTERNAL for a in line.iter("a"))


def prune_tree(tree: HtmlElement, url: str = "") -> TreeFindings:
    """Take captions, prompts, related-story blocks and navigation out of ``tree`` in place.

    ``url`` is the page's address, which tells links into the site from links elsewhere.
    Returns the captions and alt texts found, so the text pass can drop their copies, the
    page's link texts, and counts per rule of what was removed.
    """
    found = TreeFindings()
    body = tree.find("body")
    if body is None:
        body = tree
    state = Pruning(body, found, url)
    # Layout first: the rules below read blocks and lines, not a page-wide grid of cells.
    if layout.unwrap_layout_tables(list(body.iter("table"))):
        found.count("layout_table")
    _drop_regions(body, state)
    seen = _scan(body, state)
    if len(seen.articles) > 1:
        teasers.drop_next_stories(seen.articles, state)
    figures.take_image_boxes(seen.images, state)
    figures.take_marked_captions(seen.captions, state)
    figures.take_paragraph_captions(seen.images, state)
    prompts.drop_dialogs(seen.dialogs, state)
    # The most specific structures first: a list of teasers goes whole, with its heading,
    # before the rules for single cards and boxes take it apart.
    teasers.drop_teaser_lists(seen.headlines, state)
    if len(seen.articles) > 1:
        teasers.drop_story_cards(seen.articles, state)
    lines = links.navigation_lines(seen.links)
    # A link standing between blocks, into the site, is a call to action, like a button.
    actions = [line for line in lines if links.stands_alone(line) and _leads_inside(line, state)]
    # Structure before names: a box around a form goes whole, where a class names the form.
    prompts.drop_prompt_boxes(seen.controls, actions, state)
    prompts.drop_marked_blocks(seen.linklists, seen.widgets, state)
    prompts.drop_side_boxes(found.boxes, state)
    for el in seen.headings:
        if not state.detached(el):
            teasers.drop_related_block(el, state)
    _drop_lists(seen.lists, state)
    _drop_navigation(lines, state)
    for el in seen.spans:
        if teasers.is_inline_card(el) and not state.detached(el):
            state.drop(el, "inline_card")
    if found.removed:
        logger.debug("tree pass removed %s", found.removed)
    return found


__all__ = ["CAPTION_MAX_WORDS", "TreeFindings", "prune_tree"]
