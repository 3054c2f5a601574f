"""Text normalisation shared by exact-hash and MinHash dedup: one definition of "same text"."""

from __future__ import annotations

import hashlib

from storage.textunits import units


def words(text: str | None) -> list[str]:
    """Return the units of ``text`` (:func:`storage.textunits.units`): lowercase words of spaced
    scripts and single characters of unspaced ones, after NFKC normalisation; punctuation,
    white space and case never make two texts differ (empty list for None)."""
    return units(text)


def text_hash(word_list: list[str]) -> int | None:
    """Return a signed 64-bit hash of the normalised text, or None when there are no words.

    Signed so that SQLite stores it as a plain INTEGER; collisions are still checked by comparing
    the normalised texts, so the hash only has to be a good index key.
    """
    if not word_list:
        return None
    digest = hashlib.blake2b(" ".join(word_list).encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "little", signed=True)
