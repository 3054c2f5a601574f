"""Who decides what a new article duplicates: the store's own index, or one shared with others.

The store asks its :class:`Matcher` about every new article, inside the write transaction that
stores it. :class:`SqliteMatcher` looks in the store itself (exact text hash, then LSH candidates
verified by exact Jaccard); ``storage.shared_index.SharedMatcher`` looks in an index that several
stores share.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Collection
from dataclasses import dataclass
from typing import Protocol

from storage.dedup import Fingerprint
from storage.lsh import SqliteLSH
from storage.minhash import MinHashParams, jaccard, text_shingles
from storage.normalize import words

# What an article is matched on: its text without the furniture its site or network prints on
# many pages (``match_text``, stored only when it differs from the text).
MATCH_TEXT = "coalesce(match_text, text)"


@dataclass(frozen=True)
class Match:
    """Outcome of matching one text against the store."""

    kind: str  # "exact" | "minhash"
    representative: int
    similarity: float
    matched_id: int


class Matcher(Protocol):
    """What :class:`storage.Store` needs to deduplicate new articles (``Store.matcher``)."""

    def match(self, url: str, fp: Fingerprint) -> Match | None:
        """Return what the new article at ``url`` duplicates, or None.

        Called inside the write transaction that stores the article; a matched id must be one of
        the store's articles.
        """
        ...

    def adding(self) -> contextlib.AbstractContextManager[None]:
        """Surround one whole :meth:`storage.Store.add_article`, its write transaction included.

        A matcher that keeps state outside the store learns on leaving whether the article was
        stored (the transaction committed) or not.
        """
        ...


class SqliteMatcher:
    """Matches against the store's own articles and LSH index; reads only, inside the caller's
    transaction."""

    def __init__(self, conn: sqlite3.Connection, params: MinHashParams, threshold: float) -> None:
        if not 0.0 < threshold <= 1.0:
            raise ValueError(f"similarity threshold must be in (0, 1], got {threshold}")
        self.conn = conn
        self.params = params
        self.threshold = threshold
        self.lsh = SqliteLSH(conn)

    def match(self, url: str, fp: Fingerprint) -> Match | None:
        """Return the best match for a new article among the stored ones."""
        return self.find(fp)

    def adding(self) -> contextlib.AbstractContextManager[None]:
        """Nothing to do around an add: everything this matcher reads is in the store."""
        return contextlib.nullcontext()

    def find(
        self,
        fp: Fingerprint,
        *,
        exclude: int | None = None,
        before: int | None = None,
        skip: Collection[int] = (),
    ) -> Match | None:
        """Return the best match for ``fp`` among stored articles other than ``exclude``.

        ``before`` limits the search to ids below it (re-dedup walks the store in id order);
        articles in ``skip`` are passed over (a story being regrouped, not yet re-decided).
        """
        return self.find_exact(fp, exclude=exclude, before=before, skip=skip) or self.find_near(
            fp, exclude=exclude, before=before, skip=skip
        )

    def find_exact(
        self,
        fp: Fingerprint,
        *,
        exclude: int | None = None,
        before: int | None = None,
        skip: Collection[int] = (),
    ) -> Match | None:
        """Tier 2: identical normalised text (hash looked up, then the words compared)."""
        if not fp.exact_candidate or fp.text_hash is None:
            return None
        rows = self.conn.execute(
            f"SELECT id, duplicate_of, {MATCH_TEXT} FROM articles WHERE text_hash = ? AND id < ? "
            "ORDER BY id LIMIT 8",
            (fp.text_hash, before if before is not None else 2**63 - 1),
        )
        for article_id, duplicate_of, text in rows:
            if article_id != exclude and article_id not in skip and words(text) == fp.words:
                return Match("exact", duplicate_of or article_id, 1.0, article_id)
        return None

    def find_near(
        self,
        fp: Fingerprint,
        *,
        exclude: int | None = None,
        before: int | None = None,
        skip: Collection[int] = (),
    ) -> Match | None:
        """Tier 3: LSH candidates verified by exact Jaccard on their stored text's shingles."""
        if not fp.indexable:
            return None
        ids = self.lsh.candidates(fp.keys, exclude=exclude)
        if before is not None:
            ids = [i for i in ids if i < before]
        if skip:
            ids = [i for i in ids if i not in skip]
        if not ids:
            return None
        marks = ",".join("?" * len(ids))
        best: tuple[float, int, int] | None = None  # (similarity, -id, representative)
        rows = self.conn.execute(
            f"SELECT id, duplicate_of, {MATCH_TEXT} FROM articles WHERE id IN ({marks})", ids
        )
        for article_id, duplicate_of, text in rows:
            sim = jaccard(fp.shingles, text_shingles(words(text), self.params))
            key = (sim, -article_id, duplicate_of or article_id)
            if best is None or key[:2] > best[:2]:
                best = key
        if best is None or best[0] < self.threshold:
            return None
        return Match("minhash", best[2], round(best[0], 4), -best[1])
