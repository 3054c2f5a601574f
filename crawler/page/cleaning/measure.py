"""How much text a piece of a page holds: words as storage.textunits counts them, links' share."""

from __future__ import annotations

import re
import unicodedata

from lxml import etree
from lxml.html import HtmlElement

from storage.textunits import word_count

# Counting goes through storage.textunits; the text of most pages is in the Latin script, for
# which a run of \w characters (after NFKC) is exactly one of its units, and plain string
# operations count those runs several times faster than its Unicode-property regex. Text in
# other scripts, or with combining marks, goes to word_count itself.
_ASCII_SPACES = bytes.maketrans(
    bytes(range(128)), bytes(c if chr(c).isalnum() or c == 95 else 32 for c in range(128))
)
# Not in a \w run: Latin-1 and Latin Extended punctuation and symbols, and general punctuation
# (dashes, curly quotes, ellipses), whose NFKC forms are punctuation too.
_LATIN_NON_WORD = re.compile(
    "["
    + "".join(chr(c) for c in range(0x80, 0x300) if not re.match(r"\w", chr(c)))
    + "\u2000-\u206f]"
)
_OTHER_SCRIPT = re.compile(r"[^\x00-\u02ff\u2000-\u206f]")


def words(text: str | None) -> int:
    """Return ``storage.textunits.word_count(text)``, computed faster for Latin-script text."""
    if not text:
        return 0
    if not text.isascii():
        if not unicodedata.is_normalized("NFKC", text):
            text = unicodedata.normalize("NFKC", text)
        if _OTHER_SCRIPT.search(text):
            return word_count(text)
        text = _LATIN_NON_WORD.sub(" ", text)
    return len(text.encode("utf-8").translate(_ASCII_SPACES).split())


# On average over several words, no script spends more characters on a word than this: a text
# longer than ``limit * WORD_MAX_CHARS`` has more than ``limit`` words without counting them.
WORD_MAX_CHARS = 20


def more_words_than(text: str | None, limit: int) -> bool:
    """True when ``text`` has more than ``limit`` words; long texts are not counted."""
    if not text:
        return False
    return len(text) > limit * WORD_MAX_CHARS or words(text) > limit


def text_content(el: HtmlElement) -> str:
    """``el.text_content()``, in half the time: libxml2's text serialiser in place of an XPath
    evaluation, which costs more to set up than most elements' text costs to read."""
    if not isinstance(el.tag, str):
        return el.text_content()  # a comment's own text, as text_content() gives it
    return etree.tostring(el, method="text", encoding="unicode", with_tail=False)


def text_of(el: HtmlElement) -> str:
    """The element's text with runs of white space made one space."""
    return " ".join(text_content(el).split())


def link_words(el: HtmlElement) -> int:
    """Words of ``el`` inside links."""
    return sum(words(text_content(a)) for a in el.iter("a"))


def link_share(el: HtmlElement, total: int) -> float:
    """Share of ``el``'s ``total`` words inside links (0.0 for an element without words)."""
    return link_words(el) / total if total else 0.0


def ends_sentence(text: str) -> bool:
    """True when ``text`` ends like a sentence (a full stop, not an ellipsis; ! or ?)."""
    end = text.rstrip(" \"'”’»)]")
    if not end or end.endswith(("...", "…")):
        return False
    return end[-1] in ".!?。！？"


__all__ = [
    "WORD_MAX_CHARS",
    "ends_sentence",
    "link_share",
    "link_words",
    "more_words_than",
    "text_content",
    "text_of",
    "words",
]
