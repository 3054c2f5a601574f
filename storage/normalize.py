"""Text normalisation shared by exact-hash and MinHash dedup: one definition of "same text"."""

from __future__ import annotations

import hashlib
import re
import unicodedata

# Word characters in any script; punctuation, whitespace and case never make two texts differ.
_WORD_RE = re.compile(r"\w+")


def words(text: str | None) -> list[str]:
    """Return the lowercase words of ``text`` after NFKC normalisation (empty list for None)."""
    if not text:
        return []
    return _WORD_RE.findall(unicodedata.normalize("NFKC", text).casefold())


def text_hash(word_list: list[str]) -> int | None:
    """Return a signed 64-bit hash of the normalised text, or None when there are no words.

    Signed so that SQLite stores it as a plain INTEGER; collisions are still checked by comparing
    the normalised texts, so the hash only has to be a good index key.
    """
    if not word_list:
        return None
    digest = hashlib.blake2b(" ".join(word_list).encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "little", signed=True)
