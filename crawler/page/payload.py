"""The article a page carries as data: JSON-LD ``articleBody`` and framework payloads.

Script-rendered sites (Next.js, Nuxt, React Query, Apollo, Arc Fusion) ship the story in a
script and leave the HTML body empty or a stub until a browser runs them. When the HTML gives
no article, the body is taken from the page's structured data: the longest text it carries,
whether one string (plain text or HTML) or a list of blocks (paragraph objects).
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from typing import Any

from lxml.html import HtmlElement

from crawler.page.cleaning.measure import words

logger = logging.getLogger(__name__)

# A payload shorter than this is a teaser or a description, not a body.
PAYLOAD_MIN_WORDS = 40
# A list of blocks is a body when at least this many of its items carry text.
BLOCKS_MIN_ITEMS = 2
# A string of this many words in a block counts as one of its paragraphs.
BLOCK_MIN_WORDS = 3
# Scripts larger than this are not parsed (a page's payload is rarely over a megabyte or two;
# a larger one is costly to read for what it may hold).
SCRIPT_MAX_CHARS = 4_000_000
# How deep a payload's JSON is walked; deeper values are left alone.
WALK_MAX_DEPTH = 40
_JSON_START = re.compile(r"(?:=|\(|\bpush\()\s*([\[{])")
_HTML_TAG = re.compile(r"<(?:p|br|div|h[1-6]|ul|li|blockquote)\b", re.IGNORECASE)
# Template placeholders left in a body for the page's scripts to fill: "$$ARTICLEAD$$".
_PLACEHOLDER = re.compile(r"(?:\$\$|%%|\{\{|\[\[)\s*[\w.:-]{1,40}\s*(?:\$\$|%%|\}\}|\]\])")
# Framework payloads say who they are; other scripts (analytics, ads) are not read.
_PAYLOAD_MARKERS = (
    "__NEXT_DATA__", "__next_f", "__NUXT", "__APOLLO_STATE__", "__INITIAL_STATE__",
    "__PRELOADED_STATE__", "__RQ", "Fusion.globalContent", "dehydratedState", "articleBody",
)  # fmt: skip


def _scripts(tree: HtmlElement) -> Iterator[Any]:
    """The JSON values of the page's data scripts."""
    decoder = json.JSONDecoder()
    for script in tree.iter("script"):
        text = script.text or ""
        if not text.strip() or len(text) > SCRIPT_MAX_CHARS:
            continue
        kind = (script.get("type") or "").lower()
        if "json" in kind:
            try:
                yield json.loads(text)
            except ValueError:
                continue
        elif any(marker in text for marker in _PAYLOAD_MARKERS):
            # JavaScript around JSON: each "x = {...}", "push([...])" holds a value.
            for match in _JSON_START.finditer(text):
                try:
                    value, _ = decoder.raw_decode(text, match.start(1))
                except ValueError:
                    continue
                yield value


def _candidates(value: Any) -> Iterator[str]:
    """Texts a JSON value holds: its strings, and the paragraphs of its lists of blocks."""
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, str):
            yield node
        elif depth >= WALK_MAX_DEPTH:
            continue
        elif isinstance(node, dict):
            stack.extend((child, depth + 1) for child in node.values())
        elif isinstance(node, list):
            paragraphs = [text for item in node if (text := _block_text(item))]
            if len(paragraphs) >= BLOCKS_MIN_ITEMS:
                yield "\n".join(paragraphs)
            stack.extend((child, depth + 1) for child in node)


def _block_text(item: Any) -> str | None:
    """The text of one block of a body: a string, or the longest string field of an object."""
    if isinstance(item, str):
        return item if words(item) >= BLOCK_MIN_WORDS else None
    if not isinstance(item, dict):
        return None
    texts = [v for v in item.values() if isinstance(v, str) and words(v) >= BLOCK_MIN_WORDS]
    return max(texts, key=len) if texts else None


def _visible_words(text: str) -> int:
    """Words of ``text`` as a reader would see them (tags out, if it is HTML)."""
    if _HTML_TAG.search(text):
        text = re.sub(r"<[^>]+>", " ", text)
    return words(text)


def payload_body(tree: HtmlElement) -> str | None:
    """Return the longest article text the page's data scripts carry, or None.

    The text is HTML when the payload holds HTML, else plain text with a paragraph a line.
    """
    best, best_words = None, PAYLOAD_MIN_WORDS - 1
    for value in _scripts(tree):
        for text in _candidates(value):
            # Cheap test first: a body is long, most strings are not.
            if len(text) < PAYLOAD_MIN_WORDS * 2:
                continue
            count = _visible_words(text)
            if count > best_words:
                best, best_words = text, count
    if best is None:
        return None
    logger.debug("article body of %d words taken from the page's data", best_words)
    return _PLACEHOLDER.sub(" ", best)


def is_html(text: str) -> bool:
    """True when a payload text is HTML rather than plain text."""
    return bool(_HTML_TAG.search(text))


__all__ = ["PAYLOAD_MIN_WORDS", "is_html", "payload_body"]
