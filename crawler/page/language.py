"""The language of an article: what the page declares, checked against the script of its text.

Templates often declare a language the text is not in (``<html lang="en">`` on a Japanese site),
and many Chinese pages declare none. Where the text is written mostly in one script that only a
few languages use (Chinese characters, kana, Hangul, Thai, Lao, Khmer, Myanmar), that script
decides; other scripts are shared by many languages, and there the page's declaration stands.
"""

from __future__ import annotations

import logging
import re
from collections import Counter

import regex

logger = logging.getLogger(__name__)

# A script decides the language when it writes at least this share of the text's letters; a
# declared language of such a script is taken to be wrong when its script writes less than
# WRONG_SHARE of them (a Japanese site's English page declaring "ja").
SCRIPT_SHARE = 0.5
WRONG_SHARE = 0.1
# Japanese writes kana between its Chinese characters; Chinese writes none.
KANA_SHARE = 0.05
_SCRIPTS = {
    "han": r"\p{Han}",
    "kana": r"\p{Hiragana}\p{Katakana}\u30fc",
    "ko": r"\p{Hangul}",
    "th": r"\p{Thai}",
    "lo": r"\p{Lao}",
    "km": r"\p{Khmer}",
    "my": r"\p{Myanmar}",
}
_SCRIPT_CHAR = regex.compile(
    "(?V1)" + "|".join(f"(?P<{name}>[[{chars}]&&\\p{{L}}])" for name, chars in _SCRIPTS.items())
)
# Languages written in those scripts, and the scripts that write them.
_LANGUAGE_SCRIPTS = {
    "ja": ("han", "kana"),
    "zh": ("han",),
    "ko": ("ko", "han"),
    "th": ("th",),
    "lo": ("lo",),
    "km": ("km",),
    "my": ("my",),
}
# The blocks of those scripts (and a little more): text with none of them is looked at no further.
_ANY = re.compile(
    "[\u0e00-\u0eff\u1000-\u11ff\u1780-\u17ff\u19e0-\u19ff\u2e80-\u9fff\ua960-\ua97f"
    "\ua9e0-\ua9ff\uaa60-\uaa7f\uac00-\ud7ff\uf900-\ufaff\uff66-\uffdc"
    "\U00016fe0-\U00016fff\U0001aff0-\U0001b2ff\U00020000-\U0003ffff]"
)
_LETTER = re.compile(r"[^\W\d_]")


def script_language(text: str) -> tuple[str | None, Counter[str]]:
    """Return the language the script of ``text`` implies (None when its letters are mostly
    of a script many languages share, such as Latin or Cyrillic) and the letters counted per
    script (``"letters"``: all of them)."""
    counts: Counter[str] = Counter()
    if not text or _ANY.search(text) is None:
        return None, counts
    for match in _SCRIPT_CHAR.finditer(text):
        counts[match.lastgroup or ""] += 1
    if not counts:
        return None, counts
    counts["letters"] = len(_LETTER.findall(text))
    letters = counts["letters"] or 1
    han_kana = counts["han"] + counts["kana"]
    if han_kana >= SCRIPT_SHARE * letters:
        return ("ja" if counts["kana"] >= KANA_SHARE * han_kana else "zh"), counts
    for name in ("ko", "th", "lo", "km", "my"):
        if counts[name] >= SCRIPT_SHARE * letters:
            return name, counts
    return None, counts


def article_language(declared: str | None, text: str, url: str = "") -> str | None:
    """Return the language to store for an article: ``declared`` (a two-letter code, or None)
    unless the script of ``text`` says otherwise. Each correction is logged with its reason."""
    implied, counts = script_language(text)
    if implied is not None:
        if declared != implied:
            logger.debug(
                "%s declares language %r but its text is written in the script of %r",
                url,
                declared,
                implied,
            )
        return implied
    if declared in _LANGUAGE_SCRIPTS:
        letters = counts["letters"] or len(_LETTER.findall(text))
        own = sum(counts[name] for name in _LANGUAGE_SCRIPTS[declared])
        if letters and own < WRONG_SHARE * letters:
            logger.debug(
                "%s declares language %r but %d of its %d letters are in that language's "
                "script: language left unknown",
                url,
                declared,
                own,
                letters,
            )
            return None
    return declared


__all__ = ["article_language", "script_language"]
