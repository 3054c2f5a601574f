"""Who decides what a new article duplicates: the store's own index, or one shared with others.

The store asks its :class:`Matcher` about every new article, inside the write transaction that
stores it. :class:`SqliteMatcher` looks in the store itself (exact text hash, then LSH candidates
verified by exact Jaccard, then containment: storage.containment); ``storage.shared_index.
SharedMatcher`` looks in an index that several stores share (resemblance only).
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Collection
from dataclasses import dataclass
from typing import Protocol

from storage.containment import (
    DEFAULT_PARAMS as CONTAINMENT_PARAMS,
)
from storage.containment import (
    MATCH_TEXT,
    ContainmentIndex,
    ContainmentParams,
    Lookup,
    Profile,
)
from storage.dedup import Fingerprint
from storage.lsh import SqliteLSH
from storage.minhash import MinHashParams, jaccard, text_shingles
from storage.normalize import words

__all__ = ["MATCH_TEXT", "Match", "Matcher", "SqliteMatcher"]


@dataclass(frozen=True)
class Match:
    """Outcome of matching one text against the store."""

    kind: str  # "exact" | "minhash" | "containment"
    representative: int
    similarity: float  # Jaccard, or for containment the share of the smaller text inside
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
    """Matches against the store's own articles, LSH index and containment index; reads only,
    inside the caller's transaction, except :meth:`index`."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        params: MinHashParams,
        threshold: float,
        containment: ContainmentParams = CONTAINMENT_PARAMS,
    ) -> None:
        if not 0.0 < threshold <= 1.0:
            raise ValueError(f"similarity threshold must be in (0, 1], got {threshold}")
        self.conn = conn
        self.params = params
        self.threshold = threshold
        self.lsh = SqliteLSH(conn)
        self.containment = ContainmentIndex(conn, containment)

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
        Tiers in order: exact text, resemblance (unless only furniture the two share makes it),
        containment.
        """
        found = self.find_exact(fp, exclude=exclude, before=before, skip=skip)
        if found is not None:
            return found
        near = self.find_near(fp, exclude=exclude, before=before, skip=skip)
        if near is not None and not self._furniture_made(fp, near, before):
            return near
        return self.find_contained(fp, exclude=exclude, before=before, skip=skip)

    def _lookup(self, fp: Fingerprint, before: int | None) -> tuple[Profile, Lookup]:
        profile = fp.profile(self.containment.params)
        if fp.lookup is None or fp.lookup.before != before:
            fp.lookup = self.containment.lookup(profile, before=before)
        return profile, fp.lookup

    def _furniture_made(self, fp: Fingerprint, near: Match, before: int | None) -> bool:
        # Unlearned furniture of a network (pages whose extraction kept the frame and lost the
        # body) must not make two stories one: the match stands only without it.
        profile, lookup = self._lookup(fp, before)
        verdict = self.containment.furniture_made(
            profile, near.matched_id, self.threshold, lookup=lookup
        )
        return verdict is not None

    def find_contained(
        self,
        fp: Fingerprint,
        *,
        exclude: int | None = None,
        before: int | None = None,
        skip: Collection[int] = (),
    ) -> Match | None:
        """Tier 4: a text mostly inside a stored one, or holding most of one (containment)."""
        if fp.word_count < self.containment.params.min_shared:
            return None
        profile, lookup = self._lookup(fp, before)
        found = self.containment.matches(
            profile, exclude=exclude, before=before, lookup=lookup, skip=skip
        )
        if not found:
            return None
        best = found[0]
        return Match(best.kind, best.representative, best.similarity, best.matched_id)

    def index(self, article_id: int, fp: Fingerprint, match: Match | None) -> None:
        """Put a stored article in the LSH and containment indexes (in the caller's
        transaction). An exact copy adds nothing: its text is indexed under the copy it
        matched."""
        if match is not None and match.kind == "exact":
            return
        if fp.indexable:
            self.lsh.insert(article_id, fp.keys)
        if fp.word_count >= self.containment.params.min_shared:
            profile = fp.profile(self.containment.params)
            story = match.representative if match is not None else article_id
            # Postings read while matching serve here too (they only decide which lists are
            # full): in re-dedup, those below the article are all there are yet.
            self.containment.insert(article_id, profile, fp.lookup, story)

    def unindex(self, article_id: int, text: str) -> None:
        """Take a stored article out of both indexes under ``text``, what it was indexed with."""
        old = Fingerprint.of(text, self.params)
        if old.indexable:
            self.lsh.remove(article_id, old.keys)
        if old.word_count >= self.containment.params.min_shared:
            self.containment.remove(article_id, old.profile(self.containment.params))

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
