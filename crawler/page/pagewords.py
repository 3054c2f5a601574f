"""Words as page-type evidence: the words of a page's title, URL path, headings and opening text.

Each word is hashed (CRC-32, the same in every process) together with the place it was read,
and kept in the page's measures as a key ``#<hash in hex>``. A small linear model over the hashed
words (:class:`WordModel`, learned by ``scripts/train_pagetype.py``) says how much more they
read like an article's than like any other page type's; its answer is one input of the
page-type model. A page with no word the model knows (a language it never saw) gets 0: no
evidence either way. Plain Python.
"""

from __future__ import annotations

import base64
import math
import re
import zlib
from collections.abc import Iterable
from itertools import islice
from urllib.parse import urlsplit

# Words of letters only, of two to twenty of them: numbers and ids say nothing of the type, and
# a run of unspaced script is cut into pieces of twenty.
_WORD = re.compile(r"[^\W\d_]{2,20}")
PREFIX = "#"
# How much of the page is read: headings, and the opening words of the extracted text.
MAX_HEADINGS = 40
TEXT_WORDS = 200
TEXT_CHARS = 6000


def hashed(place: str, text: str, limit: int | None = None) -> dict[str, float]:
    """The words of ``text`` as measures: ``{"#<crc32 of place:word>": 1.0}``."""
    found = _WORD.findall(text.lower()) if limit is None else _first(text.lower(), limit)
    start = zlib.crc32(f"{place}:".encode())  # each word's CRC goes on from its place's
    crc32 = zlib.crc32
    return {f"#{crc32(word.encode(), start):x}": 1.0 for word in dict.fromkeys(found)}


def _first(text: str, limit: int) -> list[str]:
    return [match.group() for match in islice(_WORD.finditer(text), limit)]


def page_words(title: str, headings: Iterable[str], url: str) -> dict[str, float]:
    """Hashed words of the page's <title>, its headings and its URL's path."""
    words = hashed("t", title)
    words.update(hashed("h", " ".join(headings)))
    words.update(hashed("u", urlsplit(url).path))
    return words


def text_words(lines: list[str]) -> dict[str, float]:
    """Hashed words of the opening of the extracted text."""
    return hashed("x", "\n".join(lines)[:TEXT_CHARS], TEXT_WORDS)


def buckets_of(*measures: dict[str, float] | None, buckets: int) -> list[int]:
    """The distinct buckets the hashed words of ``measures`` fall in."""
    found = {
        int(key[1:], 16) % buckets for m in measures if m for key in m if key.startswith(PREFIX)
    }
    return sorted(found)


# --- the weights, four bits each ----------------------------------------------------------

# Each weight is stored as one of 15 levels of its row's largest weight: the score sums a few
# hundred of them, and the file stays small enough to ship a model per cross-validation fold.
LEVELS = 7


def pack(row: list[float]) -> tuple[str, float]:
    """A row of weights as (base64 of its 4-bit levels, the weight of one level)."""
    step = max((abs(w) for w in row), default=0.0) / LEVELS or 1.0
    levels = [min(max(round(w / step), -LEVELS), LEVELS) + LEVELS + 1 for w in row]
    if len(levels) % 2:
        levels.append(LEVELS + 1)
    data = bytes((levels[i] << 4) | levels[i + 1] for i in range(0, len(levels), 2))
    return base64.b64encode(data).decode("ascii"), float(f"{step:.6g}")


def unpack(text: str, step: float, size: int) -> list[float]:
    """The row :func:`pack` stored."""
    out = []
    for byte in base64.b64decode(text):
        out.append(((byte >> 4) - LEVELS - 1) * step)
        out.append(((byte & 15) - LEVELS - 1) * step)
    return out[:size]


class WordModel:
    """One weight row per page type over hashed word buckets, without bias."""

    def __init__(self, data: dict) -> None:
        self.buckets: int = data["buckets"]
        self.classes: list[str] = list(data["classes"])
        self.rows = [
            unpack(text, step, self.buckets)
            for text, step in zip(data["rows"], data["steps"], strict=True)
        ]
        self._article = self.classes.index("article")

    def score(self, page: dict[str, float], text: dict[str, float] | None) -> float:
        """How much more the page's words read like an article's than like the likeliest other
        type's (a difference of logits); 0.0 when none is known."""
        found = buckets_of(page, text, buckets=self.buckets)
        if not found:
            return 0.0
        weight = 1.0 / math.sqrt(len(found))  # presence, normalised to unit length
        logits = [weight * sum(map(row.__getitem__, found)) for row in self.rows]
        article = logits.pop(self._article)
        return article - max(logits)


__all__ = ["WordModel", "buckets_of", "hashed", "pack", "page_words", "text_words", "unpack"]
