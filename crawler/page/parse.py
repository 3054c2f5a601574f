"""Parsing a page: its HTML into one lxml tree, or a reasoned rejection when it is not HTML."""

from __future__ import annotations

from lxml import etree
from lxml.html import (
    HtmlComment,
    HtmlElement,
    HtmlEntity,
    HTMLParser,
    HtmlProcessingInstruction,
    fromstring,
)
from trafilatura.utils import decode_file, is_dubious_html, load_html, repair_faulty_html

from storage.outcomes import EMPTY, NOT_HTML, PARSE_ERROR


class PageRejected(Exception):
    """The page is not stored as an article; ``reason`` is a short code to count by."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


# trafilatura's parser settings, with one change: lxml.html picks a class per element (forms,
# inputs, labels) through a Python callback each time it hands out an element object, which
# costs more than the rest of a walk over the tree. One plain HtmlElement class, picked in C,
# makes every walk cheaper (ours and trafilatura's) and changes nothing either of us uses.
_PARSER = HTMLParser(
    collect_ids=False,
    default_doctype=False,
    encoding="utf-8",
    remove_comments=True,
    remove_pis=True,
)
_PARSER.set_element_class_lookup(
    etree.ElementDefaultClassLookup(
        element=HtmlElement, comment=HtmlComment, pi=HtmlProcessingInstruction, entity=HtmlEntity
    )
)


def _load(html: bytes | str) -> HtmlElement | None:
    """trafilatura's load_html with the parser above; anything unusual goes to load_html."""
    text = decode_file(html)
    beginning = text[:50].lower()
    try:
        tree = fromstring(repair_faulty_html(text, beginning), parser=_PARSER)
    except Exception:  # an encoding declaration in a str, broken markup: the library's fallbacks
        return load_html(html)
    if tree is None or len(tree) < 1:
        return load_html(html)
    if is_dubious_html(beginning) and len(tree) < 2:
        return None  # not HTML at all, as load_html would also say
    return tree


def parse_page(html: bytes | str, url: str) -> HtmlElement:
    """Parse a page as :func:`extract_article` does; raise PageRejected when it is no HTML.

    Reasons: "empty", "not_html", "parse_error". Read the tree (links, say), then hand it to
    :func:`extract_article`, which changes it, so that the page is parsed once.
    """
    if not html or not (html.strip() if isinstance(html, str) else html.strip()):
        raise PageRejected(EMPTY, f"{url} returned an empty body")
    head = html[:1024]
    if isinstance(head, bytes) and (b"\x00" in head or head.startswith(b"%PDF")):
        raise PageRejected(NOT_HTML, f"{url} is binary content, not an HTML page")
    try:
        tree = _load(html)
    except Exception as err:  # lxml raises a zoo of errors on broken input
        raise PageRejected(PARSE_ERROR, f"{url} could not be parsed as HTML: {err}") from err
    if tree is None:
        raise PageRejected(NOT_HTML, f"{url} does not look like an HTML page")
    return tree


__all__ = ["PageRejected", "parse_page"]
