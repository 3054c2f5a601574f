"""Duplicate matching (exact hash, then MinHash LSH verified by exact Jaccard) and presets."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

import numpy as np

from storage.lsh import SqliteLSH
from storage.minhash import (
    DEFAULT_PARAMS,
    MIN_EXACT_WORDS,
    MIN_MINHASH_WORDS,
    MinHashParams,
    band_keys,
    coerce_signature,
    jaccard,
    shingles,
    signature_from_shingles,
)
from storage.normalize import text_hash, words


@dataclass(frozen=True)
class Preset:
    """A named dedup configuration: the similarity threshold and the MinHash parameters."""

    name: str
    threshold: float
    params: MinHashParams
    description: str


# Chosen with benchmarks/dedup_quality.py (real article texts with labelled edits and hard
# negatives). Verification is exact Jaccard, so the band layout only decides which pairs get
# verified: 16 bands x 3 rows make a pair at J=0.6 a candidate 98% of the time (J=0.5: 88%) while
# unrelated news (J < 0.01 on 5-word shingles) almost never is, and cost 16 index rows a text.
PRESETS: dict[str, Preset] = {
    "same-article": Preset(
        name="same-article",
        threshold=0.6,
        params=MinHashParams(num_perm=48, bands=16, rows=3),
        description=(
            "the same article published again: new headline, dateline, a paragraph dropped or "
            "added, a few words changed, site boilerplate, AMP/print copies; short briefs that "
            "only share a standard paragraph stay apart"
        ),
    ),
    "syndicated": Preset(
        name="syndicated",
        threshold=0.5,
        # 24 bands x 2 rows: a pair at J=0.4 is a candidate 98% of the time; more candidates to
        # verify and 24 index rows a text, the price of the lower threshold.
        params=MinHashParams(num_perm=48, bands=24, rows=2),
        description=(
            "also rewrites of one wire story that keep about half of its wording (paragraphs "
            "reordered or cut, a dozen words changed, local paragraphs added); may merge short "
            "briefs that share a long standard paragraph"
        ),
    ),
}
DEFAULT_PRESET = "same-article"


@dataclass(frozen=True)
class Match:
    """Outcome of matching one text against the store."""

    kind: str  # "exact" | "minhash"
    representative: int
    similarity: float
    matched_id: int


@dataclass
class Fingerprint:
    """What dedup needs to know about one text; computed once, outside the write transaction."""

    words: list[str]
    text_hash: int | None
    params: MinHashParams
    _shingles: set[int] | None = None
    _signature: np.ndarray | None = None
    _keys: list[int] | None = field(default=None, repr=False)

    @classmethod
    def of(
        cls, text: str, params: MinHashParams = DEFAULT_PARAMS, precomputed: object = None
    ) -> Fingerprint:
        """Fingerprint ``text``; ``precomputed``: optional signature (minhash.coerce_signature)."""
        w = words(text)
        fp = cls(words=w, text_hash=text_hash(w), params=params)
        if precomputed is not None and fp.indexable:
            fp._signature = coerce_signature(precomputed, params)
        return fp

    @property
    def word_count(self) -> int:
        return len(self.words)

    @property
    def exact_candidate(self) -> bool:
        """Long enough for identical text to mean the same article."""
        return self.word_count >= MIN_EXACT_WORDS

    @property
    def indexable(self) -> bool:
        """Long enough to be a near-duplicate candidate and to be indexed."""
        return self.word_count >= MIN_MINHASH_WORDS

    @property
    def shingles(self) -> set[int]:
        if self._shingles is None:
            self._shingles = shingles(self.words, self.params.shingle_size)
        return self._shingles

    @property
    def signature(self) -> np.ndarray:
        if self._signature is None:
            self._signature = signature_from_shingles(self.shingles, self.params)
        return self._signature

    @property
    def keys(self) -> list[int]:
        if self._keys is None:
            self._keys = band_keys(self.signature, self.params)
        return self._keys


class Matcher:
    """Finds the stored article a text duplicates; reads only, inside the caller's transaction."""

    def __init__(self, conn: sqlite3.Connection, params: MinHashParams, threshold: float) -> None:
        if not 0.0 < threshold <= 1.0:
            raise ValueError(f"similarity threshold must be in (0, 1], got {threshold}")
        self.conn = conn
        self.params = params
        self.threshold = threshold
        self.lsh = SqliteLSH(conn)

    def match(
        self, fp: Fingerprint, *, exclude: int | None = None, before: int | None = None
    ) -> Match | None:
        """Return the best match for ``fp`` among stored articles other than ``exclude``.

        ``before`` limits the search to ids below it (re-dedup walks the store in id order).
        """
        return self.match_exact(fp, exclude=exclude, before=before) or self.match_near(
            fp, exclude=exclude, before=before
        )

    def match_exact(
        self, fp: Fingerprint, *, exclude: int | None = None, before: int | None = None
    ) -> Match | None:
        """Tier 2: identical normalised text (hash looked up, then the words compared)."""
        if not fp.exact_candidate or fp.text_hash is None:
            return None
        rows = self.conn.execute(
            "SELECT id, duplicate_of, text FROM articles WHERE text_hash = ? AND id < ? "
            "ORDER BY id LIMIT 8",
            (fp.text_hash, before if before is not None else 2**63 - 1),
        )
        for article_id, duplicate_of, text in rows:
            if article_id != exclude and words(text) == fp.words:
                return Match("exact", duplicate_of or article_id, 1.0, article_id)
        return None

    def match_near(
        self, fp: Fingerprint, *, exclude: int | None = None, before: int | None = None
    ) -> Match | None:
        """Tier 3: LSH candidates verified by exact Jaccard on their stored text's shingles."""
        if not fp.indexable:
            return None
        ids = self.lsh.candidates(fp.keys, exclude=exclude)
        if before is not None:
            ids = [i for i in ids if i < before]
        if not ids:
            return None
        marks = ",".join("?" * len(ids))
        best: tuple[float, int, int] | None = None  # (similarity, -id, representative)
        rows = self.conn.execute(
            f"SELECT id, duplicate_of, text FROM articles WHERE id IN ({marks})", ids
        )
        for article_id, duplicate_of, text in rows:
            sim = jaccard(fp.shingles, shingles(words(text), self.params.shingle_size))
            key = (sim, -article_id, duplicate_of or article_id)
            if best is None or key[:2] > best[:2]:
                best = key
        if best is None or best[0] < self.threshold:
            return None
        return Match("minhash", best[2], round(best[0], 4), -best[1])
