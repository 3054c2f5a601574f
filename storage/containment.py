"""Containment matching: a text mostly inside a stored article, or holding most of one.

Resemblance (Jaccard) cannot link a copy much shorter or longer than the stored one: the first
280 words of a 780-word story share 35% of the union, and so does a story followed by other wire
briefs. Containment divides the shared shingles by the smaller side instead: a text at least
``threshold`` of whose shingles are in one stored article (``inside``), or which holds at least
``threshold`` of a stored article (``holds``), joins that article's story.

Candidates come from an inverted index of *anchors* in the store's SQLite file (table
``containment``: one row per anchor and article, the anchor being the shingle's CRC-32 as a
non-negative INTEGER; written in the caller's transaction). A text's anchors are a fixed sample
of its shingles, the same in every copy whatever its length (those whose rank, see
:func:`storage.profiles.anchor_rank`, falls in the lowest 1/``sample`` of its range), plus the
shingle of lowest rank of each line, so every paragraph, short lines included, has one. A posting
list holds at most ``per_story`` articles of one story and ``posting_cap`` in all, so neither
furniture nor a story syndicated a thousand times makes a lookup read more. One read of a text's
posting lists (:class:`Lookup`) serves everything done with that text in a transaction.

Furniture: an anchor whose postings span ``furniture_stories`` or more different stories is
furniture (nav lines, teaser headlines, footers, standard paragraphs, common phrases), and a line
most of whose anchors are furniture does not count, on either side. The rest must share at least
``min_shared`` words of text and must not lie within a single paragraph of the smaller side
(``min_spread`` shingles outside its largest shared paragraph), so a shared disclaimer or
background paragraph never joins two stories; unless the smaller side has next to nothing else
that is not shared (an excerpt of one paragraph and its "read more" line, or of a long paragraph
and a short one, both in the story). A copy editor's changed
sentence costs a short excerpt a fifth of its shingles: in a paragraph mostly shared
(``line_share``), the largest unshared run counts as shared, up to ``forgive`` shingles in all.

Candidates are verified exactly on the shingle sets of the stored texts, as the Jaccard tier is.
Shingles come from :func:`storage.minhash.shingles` over :func:`storage.normalize.words` of each
line, so what counts as a word follows those two functions.
"""

from __future__ import annotations

import sqlite3
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from storage.profiles import (
    DEFAULT_PARAMS,
    Comparison,
    ContainmentParams,
    Profile,
    compare,
    is_furniture,
)

TABLE = "containment"
# What an article is matched on: its text without learned furniture (as storage.matcher says).
MATCH_TEXT = "coalesce(match_text, text)"
CONTAINMENT_DDL = (
    f"CREATE TABLE IF NOT EXISTS {TABLE} (anchor INTEGER NOT NULL, article_id INTEGER NOT NULL, "
    "PRIMARY KEY (anchor, article_id)) WITHOUT ROWID"
)
# SQLite builds may cap bound parameters at 999; a long article has more anchors than that.
_CHUNK = 900


def create_tables(conn: sqlite3.Connection) -> None:
    """Create the anchor table when missing (inside the caller's transaction)."""
    conn.execute(CONTAINMENT_DDL)


@dataclass(frozen=True)
class ContainmentMatch:
    """A stored article whose story the text joins; ``kind`` goes to the ``match`` column."""

    representative: int
    similarity: float  # the containment share, rounded like the Jaccard tier's
    matched_id: int
    direction: str  # "inside": the text is inside the stored one; "holds": the reverse
    kind: str = "containment"


@dataclass(frozen=True)
class Lookup:
    """The posting lists of one text's anchors, read once and shared by everything that needs
    them for that text: matching, checking a match found otherwise, indexing it."""

    postings: dict[int, list[tuple[int, int]]]  # anchor -> [(article id, story id), ...]
    before: int | None

    def furniture(self, stories: int) -> set[int]:
        """The anchors whose postings span at least ``stories`` stories."""
        return {a for a, rows in self.postings.items() if len({s for _, s in rows}) >= stories}


class ContainmentIndex:
    """The anchor index over a store's connection; callers own the transaction.

    Reads ``articles(id, duplicate_of, text, match_text)``: stories are
    ``coalesce(duplicate_of, id)``, and candidates are verified on the text they are matched on.
    """

    def __init__(self, conn: sqlite3.Connection, params: ContainmentParams = DEFAULT_PARAMS):
        self.conn = conn
        self.params = params

    def profile(self, text: str) -> Profile:
        return Profile.of(text, self.params)

    def indexable(self, profile: Profile) -> bool:
        """True when the text has enough words of its own to share ``min_shared`` with another."""
        # Every shingle of its own is worth a word at least: most texts need no closer count.
        minimum = self.params.min_shared
        return profile.shingle_count >= minimum or profile.own_words >= minimum

    # ------------------------------------------------------------------ writing

    def insert(
        self,
        article_id: int,
        profile: Profile,
        lookup: Lookup | None = None,
        story: int | None = None,
    ) -> None:
        """Index ``article_id`` under its anchors, except in posting lists that are full.

        A list is full at ``posting_cap`` articles, or for ``story`` (the article's story, itself
        when None) at ``per_story`` of its members. ``lookup``: the text's postings read in this
        transaction (:meth:`lookup`); read here when not given.
        """
        if not self.indexable(profile):
            return
        if lookup is None:
            lookup = self.lookup(profile)
        story = article_id if story is None else story
        cap, per_story = self.params.posting_cap, self.params.per_story
        rows = []
        for anchor in sorted(profile.anchors):
            posted = lookup.postings.get(anchor, ())
            if len(posted) < cap and sum(s == story for _, s in posted) < per_story:
                rows.append((anchor, article_id))
        self.conn.executemany(
            f"INSERT OR IGNORE INTO {TABLE} (anchor, article_id) VALUES (?, ?)", rows
        )

    def remove(self, article_id: int, profile: Profile) -> None:
        """Drop ``article_id`` from its anchors' posting lists (before its text changes)."""
        self.conn.executemany(
            f"DELETE FROM {TABLE} WHERE anchor = ? AND article_id = ?",
            [(a, article_id) for a in profile.anchors],
        )

    def clear(self) -> None:
        """Remove every posting (re-dedup rebuilds them)."""
        self.conn.execute(f"DELETE FROM {TABLE}")

    def count(self) -> int:
        """Number of (anchor, article) rows."""
        return self.conn.execute(f"SELECT count(*) FROM {TABLE}").fetchone()[0]

    # ------------------------------------------------------------------ reading

    def lookup(self, profile: Profile, *, before: int | None = None) -> Lookup:
        """Read the posting lists of ``profile``'s anchors (only ids below ``before``)."""
        return self._lookup(profile.anchors, before)

    def _lookup(self, anchors: Iterable[int], before: int | None) -> Lookup:
        found: dict[int, list[tuple[int, int]]] = defaultdict(list)
        ordered = sorted(anchors)
        limit = before if before is not None else 2**63 - 1
        for start in range(0, len(ordered), _CHUNK):
            chunk = ordered[start : start + _CHUNK]
            marks = ",".join("?" * len(chunk))
            rows = self.conn.execute(
                f"SELECT c.anchor, c.article_id, coalesce(a.duplicate_of, a.id) FROM {TABLE} c "
                f"JOIN articles a ON a.id = c.article_id WHERE c.anchor IN ({marks}) "
                "AND c.article_id < ?",
                [*chunk, limit],
            )
            for anchor, article_id, story in rows:
                found[anchor].append((article_id, story))
        return Lookup(dict(found), before)

    def furniture(self, anchors: Iterable[int], *, before: int | None = None) -> set[int]:
        """Those of ``anchors`` that are furniture now."""
        return self._lookup(anchors, before).furniture(self.params.furniture_stories)

    def _furniture_of(
        self, profile: Profile, others: Iterable[Profile], lookup: Lookup
    ) -> set[int]:
        # The stored texts' own furniture counts too: anchors the new text does not have.
        furniture = lookup.furniture(self.params.furniture_stories)
        unknown = set().union(*(p.anchors for p in others)) - profile.anchors
        if unknown:
            furniture |= self.furniture(unknown, before=lookup.before)
        return furniture

    def match(
        self,
        profile: Profile,
        *,
        exclude: int | None = None,
        before: int | None = None,
        lookup: Lookup | None = None,
    ) -> ContainmentMatch | None:
        """Return the stored article ``profile`` joins by containment, or None.

        ``exclude``: an id never matched (the article itself, on update); ``before``: only ids
        below it (re-dedup walks the store in id order); ``lookup``: the postings if already
        read. The best verified candidate wins: the largest share, then the most shared
        shingles, then the lowest id.
        """
        found = self.matches(profile, exclude=exclude, before=before, lookup=lookup)
        return found[0] if found else None

    def matches(
        self,
        profile: Profile,
        *,
        exclude: int | None = None,
        before: int | None = None,
        lookup: Lookup | None = None,
        skip: Collection[int] = (),
    ) -> list[ContainmentMatch]:
        """Every verified candidate, best first (see :meth:`match`); articles in ``skip`` are
        passed over (a story being regrouped, not yet decided again).

        More than one story among them means the text links stories that were apart.
        """
        params = self.params
        if not self.indexable(profile):
            return []
        if lookup is None:
            lookup = self.lookup(profile, before=before)
        furniture = lookup.furniture(params.furniture_stories)
        own_anchors = {
            a
            for line in profile.lines
            if not is_furniture(line, furniture)
            for a in line.anchors
            if a not in furniture
        }
        hits: Counter[int] = Counter()
        for anchor in own_anchors:
            for article_id, _ in lookup.postings.get(anchor, ()):
                if article_id != exclude and article_id not in skip:
                    hits[article_id] += 1
        ranked = sorted(
            (i for i, n in hits.items() if n >= params.min_hits), key=lambda i: (-hits[i], i)
        )[: params.candidates]
        if not ranked:
            return []
        marks = ",".join("?" * len(ranked))
        rows = self.conn.execute(
            f"SELECT id, duplicate_of, {MATCH_TEXT} FROM articles WHERE id IN ({marks})", ranked
        ).fetchall()
        stored = {row[0]: (row[1], Profile.of(row[2] or "", params)) for row in rows}
        furniture = self._furniture_of(profile, (p for _, p in stored.values()), lookup)
        verified = []
        for article_id, (duplicate_of, candidate) in stored.items():
            verdict = compare(profile, candidate, furniture, params)
            if verdict.passes(params):
                key = (verdict.share, verdict.shared, -article_id)
                found = ContainmentMatch(
                    representative=duplicate_of or article_id,
                    similarity=round(verdict.share, 4),
                    matched_id=article_id,
                    direction=verdict.direction,
                )
                verified.append((key, found))
        return [found for _, found in sorted(verified, key=lambda v: v[0], reverse=True)]

    def compare_stored(
        self,
        profile: Profile,
        article_id: int,
        *,
        before: int | None = None,
        lookup: Lookup | None = None,
    ) -> Comparison | None:
        """Containment of ``profile`` and the stored article ``article_id`` (None if absent)."""
        row = self.conn.execute(
            f"SELECT {MATCH_TEXT} FROM articles WHERE id = ?", (article_id,)
        ).fetchone()
        if row is None:
            return None
        other = Profile.of(row[0] or "", self.params)
        if lookup is None:
            lookup = self.lookup(profile, before=before)
        return compare(profile, other, self._furniture_of(profile, [other], lookup), self.params)

    def furniture_made(
        self,
        profile: Profile,
        article_id: int,
        jaccard_threshold: float,
        *,
        lookup: Lookup | None = None,
    ) -> Comparison | None:
        """The verdict when a resemblance match with ``article_id`` is furniture's doing.

        That is when, furniture left out, the two texts resemble each other less than
        ``jaccard_threshold`` and neither is inside the other: pages whose extraction kept a
        network's furniture and lost the body. None when the match stands.
        """
        if lookup is None:
            lookup = self.lookup(profile)
        furniture = lookup.furniture(self.params.furniture_stories)
        if not any(is_furniture(line, furniture) for line in profile.lines):
            # Nothing the two share is furniture: leaving out the stored text's own furniture
            # only makes the rest resemble more.
            return None
        verdict = self.compare_stored(profile, article_id, lookup=lookup)
        if (
            verdict is None
            or not verdict.furniture
            or verdict.jaccard >= jaccard_threshold
            or verdict.passes(self.params)
        ):
            return None
        return verdict
