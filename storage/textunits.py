"""Units of text that mean the same amount in every script: words where a script spaces its
words, characters where it does not (Chinese, Japanese, Thai, Lao, Khmer, Myanmar).

Everything that counts, compares or shingles text goes through here, so that a minimum length,
a ``word_count`` and a near-duplicate shingle mean the same amount of text in every script.
"""

from __future__ import annotations

import unicodedata

import regex

# Scripts written without spaces between words: each character is a unit of its own.
_UNSPACED = r"\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}\p{Lao}\p{Khmer}\p{Myanmar}"
# A unit: one character of an unspaced script, or a run of letters, digits and combining marks
# of any other script (marks included, so Devanagari or Bengali words are not cut at a vowel
# sign, as a plain \w+ cuts them). The prolonged sound mark and iteration marks join Japanese
# and Chinese characters.
_UNIT = regex.compile(
    rf"(?V1)[{_UNSPACED}\u30fc\u3005\u303b]|[[\p{{L}}\p{{N}}\p{{M}}_]--[{_UNSPACED}]]+"
)
_HAN_KANA = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\u30fc\u3005\u303b]")
_SOUTHEAST = regex.compile(r"[\p{Thai}\p{Lao}\p{Khmer}\p{Myanmar}]")

# How many characters of an unspaced script count as one word. A Chinese word is 1.5 to 2
# characters, a Japanese one about 2 with its kana; Thai, Lao, Khmer and Myanmar characters
# include vowel and tone marks, about 4 to a word.
HAN_KANA_CHARS_PER_WORD = 2
SOUTHEAST_CHARS_PER_WORD = 4


def units(text: str | None) -> list[str]:
    """Return the units of ``text`` (NFKC, case-folded): words of spaced scripts and single
    characters of unspaced ones, in order. An empty list for None or an empty text."""
    if not text:
        return []
    return _UNIT.findall(unicodedata.normalize("NFKC", text).casefold())


def word_count(text: str | None) -> int:
    """Return how many words ``text`` is worth: its spaced words, plus its unspaced characters
    at :data:`HAN_KANA_CHARS_PER_WORD` or :data:`SOUTHEAST_CHARS_PER_WORD` characters a word."""
    if not text:
        return 0
    return count_words(units(text))


def count_words(unit_list: list[str]) -> int:
    """Return the word count of a list of :func:`units` (see :func:`word_count`)."""
    spaced = han_kana = southeast = 0
    for unit in unit_list:
        if len(unit) > 1:
            spaced += 1
        elif _HAN_KANA.match(unit):
            han_kana += 1
        elif _SOUTHEAST.match(unit):
            southeast += 1
        else:
            spaced += 1
    return (
        spaced + -(-han_kana // HAN_KANA_CHARS_PER_WORD) + -(-southeast // SOUTHEAST_CHARS_PER_WORD)
    )


def is_unspaced(unit: str) -> bool:
    """True when ``unit`` is a character of a script written without spaces."""
    return len(unit) == 1 and bool(_HAN_KANA.match(unit) or _SOUTHEAST.match(unit))


__all__ = [
    "HAN_KANA_CHARS_PER_WORD",
    "SOUTHEAST_CHARS_PER_WORD",
    "count_words",
    "is_unspaced",
    "units",
    "word_count",
]
