"""Repairs of the extracted body: chunks of a split story, and a standfirst left out."""

from __future__ import annotations

import logging
import unicodedata
from bisect import bisect_right

from lxml import etree
from lxml.html import HtmlElement

from crawler.page.cleaning.copies import line_key, similar
from crawler.page.cleaning.measure import text_content
from crawler.page.cleaning.measure import words as word_count
from storage.textunits import ending, opening

logger = logging.getLogger(__name__)

# Templates that cut a long story into chunks (one container per chunk, ads between them) make
# trafilatura keep only the first chunk. A paragraph it left out is taken back when its
# container has the same tag and class as a container of extracted paragraphs and both sit
# under a common ancestor at most SPLIT_BODY_LEVELS levels up: a sibling chunk of one body.
SPLIT_BODY_LEVELS = 4
# Word counts are storage.textunits.word_count (measure.words, its faster spelling): two
# Chinese or Japanese characters make a word.
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


def recover_split_body(
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
    candidates: list[tuple[HtmlElement, str, int, int]] = []  # paragraph, text, words, line
    last_line = -1  # document order: each candidate knows the extracted line it follows
    for para in chunked:
        content = text_content(para)
        words = word_count(content)
        if words < SPLIT_ANCHOR_MIN_WORDS:
            continue
        at = blob.find(opening(content, _SPLIT_PROBE_WORDS))
        if at >= 0:
            last_line = bisect_right(starts, at) - 1
            container = para.getparent()
            anchor_containers.add(container)
            signature = (container.tag, container.get("class"))
            anchors.update((*signature, a) for a in _container_ancestors(container))
        elif words >= SPLIT_MIN_WORDS and ending(content, _SPLIT_PROBE_WORDS) not in blob:
            candidates.append((para, content, words, last_line))
    if not candidates or not anchors:
        return lines
    inserts: dict[int, list[str]] = {}
    added = 0
    for para, content, words, after in candidates:
        container = para.getparent()
        if container in anchor_containers:
            continue
        signature = (container.tag, container.get("class"))
        if not any((*signature, a) in anchors for a in _container_ancestors(container)):
            continue
        linked = sum(word_count(text_content(a)) for a in para.iter("a"))
        if linked > SPLIT_MAX_LINK_SHARE * words or _outside_body(para, tree):
            continue
        text = " ".join(content.split())
        if not unicodedata.is_normalized("NFC", text):
            text = unicodedata.normalize("NFC", text)
        inserts.setdefault(after, []).append(text)
        added += words
    if not inserts or added > SPLIT_MAX_GROWTH * word_count("\n".join(lines)):
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
        opening(line[:_OPENING_CHARS], _SPLIT_PROBE_WORDS)
        for line in text.split("\n", _OPENING_LINES)[:_OPENING_LINES]
        if line.strip()
    }
    for para in paragraphs[:_OPENING_PARAGRAPHS]:
        own = para.text or ""
        if own.count(" ") < _SPLIT_PROBE_WORDS:  # markup early in the paragraph: all its text
            own = text_content(para)
        if own.strip() and opening(own[:_OPENING_CHARS], _SPLIT_PROBE_WORDS) in openings:
            region = para
            for _ in range(LEAD_LEVELS):
                parent = region.getparent()
                if parent is None or parent.tag == "body":
                    break
                region = parent
            return region if region.getparent() is not None else None
    return None


def missing_lead(
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
    if word_count(description) < LEAD_MIN_WORDS:
        return None
    start = opening(description, LEAD_PROBE_WORDS)
    # Already in the body? The plain test first, it settles most pages; a standfirst opens the
    # text, so the normalised test reads only the text's first characters.
    if start in text or line_key(start) in line_key(text[:LEAD_TEXT_CHARS]):
        return None
    probe = opening(description, LEAD_START_WORDS)
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
        found = " ".join(text_content(el).split())
        if not low <= len(found) <= high or el.getparent() is None:
            continue
        if similar(line_key(found), key) and not _outside_body(el, tree):
            return unicodedata.normalize("NFC", found)
    return None


__all__ = ["missing_lead", "recover_split_body"]
