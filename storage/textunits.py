"""Units of text that mean the same amount in every script: words where a script spaces its
words, characters where it does not (Chinese, Japanese, Thai, Lao, Khmer, Myanmar).

Everything that counts, compares or shingles text goes through here, so that a minimum length,
a ``word_count`` and a near-duplicate shingle mean the same amount of text in every script.
"""

from __future__ import annotations

import re
import unicodedata

import regex

# Scripts written without spaces between words: each letter, mark or digit of theirs is a unit
# of its own. The prolonged sound mark and the iteration marks are Common script but join
# Japanese and Chinese characters.
_HAN_KANA_CHAR = r"[[\p{Han}\p{Hiragana}\p{Katakana}]&&[\p{L}\p{M}\p{N}]]|[\u30fc\u3005\u303b]"
_SOUTHEAST_CHAR = r"[[\p{Thai}\p{Lao}\p{Khmer}\p{Myanmar}]&&[\p{L}\p{M}\p{N}]]"
_HAN_KANA = regex.compile(f"(?V1){_HAN_KANA_CHAR}")
_SOUTHEAST = regex.compile(f"(?V1){_SOUTHEAST_CHAR}")
# A unit: one character of an unspaced script, or a run of letters, digits and combining marks
# of any other script (marks included, so Devanagari or Bengali words are not cut at a vowel
# sign, as a plain \w+ cuts them).
_SPACED_WORD = (
    r"[[\p{L}\p{N}\p{M}_]--[\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}\p{Lao}\p{Khmer}"
    r"\p{Myanmar}\u30fc\u3005\u303b]]+"
)
_UNIT = regex.compile(rf"(?V1){_HAN_KANA_CHAR}|{_SOUTHEAST_CHAR}|{_SPACED_WORD}")
# The same, with each run of unspaced characters in one piece (see runs()).
_RUN = regex.compile(rf"(?V1)(?:{_HAN_KANA_CHAR}|{_SOUTHEAST_CHAR})+|{_SPACED_WORD}")

# Fast path. In these blocks no character is a combining mark or belongs to an unspaced script,
# and Python's \w agrees with the letters and digits of _UNIT character by character
# (tests/test_textunits.py checks every code point), so the standard library's \w+ finds the
# same units several times faster. Latin, Greek, Cyrillic, Armenian, Georgian and Hangul text,
# with the punctuation, symbols and emoji around it, takes this path; other text takes _UNIT.
_PLAIN_BLOCKS = (
    "\x00-\u02ff\u0370-\u0482\u048a-\u0590\u10a0-\u10ff\u1100-\u11ff\u1e00-\u1fff"
    "\u2000-\u20cf\u2100-\u2c7f\u2e00-\u2e7f\u3130-\u318f\ua720-\ua7ff\uab30-\uab6f"
    "\uac00-\ud7a3\U0001f000-\U0001faff"
)
_NOT_PLAIN = re.compile(f"[^{_PLAIN_BLOCKS}]")
_WORD = re.compile(r"\w+")
_ASCII_WORD = re.compile(r"[a-z0-9_]+")
# Every unit of an unspaced script is a single character at or above this code point.
_FIRST_UNSPACED = "\u0e00"
# The blocks of the unspaced scripts, and a little more (tests/test_search_scripts.py checks
# that every unspaced character is in them): a quick test for has_unspaced().
_MAYBE_UNSPACED = re.compile(
    "[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u19e0-\u19ff\u2e80-\u9fff\ua9e0-\ua9ff"
    "\uaa60-\uaa7f\uf900-\ufaff\uff66-\uff9d\U000116d0-\U000116ff\U00016fe0-\U00016fff"
    "\U0001aff0-\U0001b16f\U0001f200-\U0001f2ff\U00020000-\U0003ffff]"
)

# How many characters of an unspaced script count as one word. A Chinese word is 1.5 to 2
# characters, a Japanese one about 2 with its kana; Thai, Lao, Khmer and Myanmar characters
# include vowel and tone marks, about 4 to a word.
HAN_KANA_CHARS_PER_WORD = 2
SOUTHEAST_CHARS_PER_WORD = 4

# Kinds of unit (see :func:`kinds`).
SPACED, HAN_KANA, SOUTHEAST = 0, 1, 2


def _pieces(text: str | None, unspaced: regex.Pattern[str]) -> list[str]:
    """Words of ``text`` (NFKC, case-folded), cut by ``unspaced`` where it has characters of
    unspaced scripts; the plain word pattern where it has none, which is faster."""
    if not text:
        return []
    if text.isascii():
        return _ASCII_WORD.findall(text.lower())
    text = unicodedata.normalize("NFKC", text).casefold()
    if _NOT_PLAIN.search(text) is None:
        return _WORD.findall(text)
    return unspaced.findall(text)


def units(text: str | None) -> list[str]:
    """Return the units of ``text`` (NFKC, case-folded): words of spaced scripts and single
    characters of unspaced ones, in order. An empty list for None or an empty text."""
    return _pieces(text, _UNIT)


def runs(text: str | None) -> list[str]:
    """Return :func:`units` with each run of consecutive unspaced characters joined into one
    piece: "Tokyo東京都" gives ["tokyo", "東京都"]. A piece is a run when its first character
    is unspaced (:func:`is_unspaced`)."""
    return _pieces(text, _RUN)


# Kind of every single-character unit seen so far: a few thousand characters in practice,
# bounded against text made of every code point there is.
_CHAR_KINDS: dict[str, int] = {}
_CHAR_KINDS_MAX = 100_000


def kind(unit: str) -> int:
    """Return :data:`HAN_KANA`, :data:`SOUTHEAST` or :data:`SPACED` (a word) for a unit."""
    if len(unit) > 1 or unit < _FIRST_UNSPACED:
        return SPACED
    found = _CHAR_KINDS.get(unit)
    if found is None:
        if _HAN_KANA.match(unit):
            found = HAN_KANA
        elif _SOUTHEAST.match(unit):
            found = SOUTHEAST
        else:
            found = SPACED
        if len(_CHAR_KINDS) < _CHAR_KINDS_MAX:
            _CHAR_KINDS[unit] = found
    return found


def kinds(unit_list: list[str]) -> list[int] | None:
    """Return the :func:`kind` of each unit, or None when every unit is a word of a spaced
    script (most texts: callers then need not look at units one by one)."""
    first = _FIRST_UNSPACED
    if "".join(unit_list).isascii() or not any(len(u) == 1 and u >= first for u in unit_list):
        return None
    # Most units are characters seen before: one dictionary lookup each.
    found = [_CHAR_KINDS.get(u, -1) for u in unit_list]
    if -1 in found:
        found = [k if k != -1 else kind(u) for u, k in zip(unit_list, found, strict=True)]
    return found


def word_count(text: str | None) -> int:
    """Return how many words ``text`` is worth: its spaced words, plus its unspaced characters
    at :data:`HAN_KANA_CHARS_PER_WORD` or :data:`SOUTHEAST_CHARS_PER_WORD` characters a word."""
    if not text:
        return 0
    return count_words(units(text))


def count_words(unit_list: list[str]) -> int:
    """Return the word count of a list of :func:`units` (see :func:`word_count`)."""
    unit_kinds = kinds(unit_list)
    if unit_kinds is None:
        return len(unit_list)
    han_kana = unit_kinds.count(HAN_KANA)
    southeast = unit_kinds.count(SOUTHEAST)
    spaced = len(unit_kinds) - han_kana - southeast
    return (
        spaced + -(-han_kana // HAN_KANA_CHARS_PER_WORD) + -(-southeast // SOUTHEAST_CHARS_PER_WORD)
    )


def _token_worth(token: str) -> int:
    # A white-space token is one word, unless it holds characters of an unspaced script.
    if max(token) < _FIRST_UNSPACED:
        return 1
    token_units = units(token)
    return 1 if kinds(token_units) is None else count_words(token_units)


def opening(text: str, count: int) -> str:
    """Return the start of ``text`` worth ``count`` words, white space collapsed to single
    spaces: its first ``count`` white-space separated words, where a run of unspaced characters
    is cut after as many characters as make the words left. For finding a passage verbatim."""
    kept: list[str] = []
    left = count
    # Every token is worth a word at least: the first ``count`` are all that can be kept, and
    # a long paragraph need not be split whole.
    for token in text.split(None, max(count, 0))[:count]:
        if left <= 0:
            break
        worth = _token_worth(token)
        if worth > left:
            keep = -(-len(token) * left // worth)  # characters in proportion, rounded up
            token, worth = token[:keep], left
        kept.append(token)
        left -= worth
    return " ".join(kept)


def ending(text: str, count: int) -> str:
    """Return the end of ``text`` worth ``count`` words, as :func:`opening` returns its start."""
    if count <= 0:
        return ""
    kept: list[str] = []
    left = count
    for token in reversed(text.rsplit(None, count)[-count:]):
        if left <= 0:
            break
        worth = _token_worth(token)
        if worth > left:
            keep = -(-len(token) * left // worth)
            token, worth = token[len(token) - keep :], left
        kept.append(token)
        left -= worth
    return " ".join(reversed(kept))


def has_unspaced(text: str | None) -> bool:
    """True when ``text`` has a unit of a script written without spaces (as :func:`kinds` of
    its :func:`units` would say, but without cutting the text into units)."""
    if not text or text.isascii():
        return False
    compatible = True
    for match in _MAYBE_UNSPACED.finditer(text):
        char = match.group()
        if is_unspaced(char):
            return True
        compatible = compatible and unicodedata.is_normalized("NFKC", char)
    # A compatibility character (a squared katakana word) may become unspaced ones under NFKC.
    return not compatible and kinds(units(text)) is not None


def is_unspaced(unit: str) -> bool:
    """True when ``unit`` is a character of a script written without spaces."""
    return kind(unit) != SPACED


__all__ = [
    "HAN_KANA",
    "HAN_KANA_CHARS_PER_WORD",
    "SOUTHEAST",
    "SOUTHEAST_CHARS_PER_WORD",
    "SPACED",
    "count_words",
    "ending",
    "has_unspaced",
    "is_unspaced",
    "kind",
    "kinds",
    "opening",
    "runs",
    "units",
    "word_count",
]
