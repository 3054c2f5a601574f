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
:func:`anchor_rank`, falls in the lowest 1/``sample`` of its range), plus the shingle of lowest
rank of each line, so every paragraph, short lines included, has one. A posting list holds at
most ``per_story`` articles of one story and ``posting_cap`` in all, so neither furniture nor a
story syndicated a thousand times makes a lookup read more. One read of a text's posting lists
(:class:`Lookup`) serves everything done with that text in a transaction.

Furniture: an anchor whose postings span ``furniture_stories`` or more different stories is
furniture (nav lines, teaser headlines, footers, standard paragraphs, common phrases), and a line
most of whose anchors are furniture does not count, on either side. The rest must share at least
``min_shared`` shingles (about 60 words of text of its own) and must not lie within a single
paragraph of the smaller side (``min_spread`` shingles outside its largest shared paragraph), so
a shared disclaimer or background paragraph never joins two stories; unless the smaller side is
that paragraph and next to nothing else (an excerpt of one paragraph, its "read more" line).

Candidates are verified exactly on the shingle sets of the stored texts, as the Jaccard tier is.
Shingles come from :func:`storage.minhash.shingles` over :func:`storage.normalize.words` of each
line, so what counts as a word follows those two functions.
"""

from __future__ import annotations

import sqlite3
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable
from dataclasses import asdict, dataclass, field, fields

import numpy as np

from storage.minhash import shingles
from storage.normalize import words

TABLE = "containment"
# What an article is matched on: its text without learned furniture (as storage.matcher says).
MATCH_TEXT = "coalesce(match_text, text)"
CONTAINMENT_DDL = (
    f"CREATE TABLE IF NOT EXISTS {TABLE} (anchor INTEGER NOT NULL, article_id INTEGER NOT NULL, "
    "PRIMARY KEY (anchor, article_id)) WITHOUT ROWID"
)
# SQLite builds may cap bound parameters at 999; a long article has more anchors than that.
_CHUNK = 900


@dataclass(frozen=True)
class ContainmentParams:
    """What decides anchors and verdicts; to be persisted with the data (``to_meta``)."""

    shingle_size: int = 5
    # One shingle in ``sample`` is an anchor: a 60-word shared run holds ~7 of them.
    sample: int = 8
    threshold: float = 0.8
    # ~60 words of text shared outside furniture: less is a paragraph, not a story.
    min_shared: int = 56
    # Shared shingles outside the largest shared paragraph of the smaller side: one sentence.
    min_spread: int = 16
    furniture_stories: int = 3
    posting_cap: int = 32
    # Members of one story posted under an anchor: more copies would add reads, not stories.
    per_story: int = 2
    # Stored articles verified per text, those sharing the most anchors first.
    candidates: int = 4
    # Anchors a stored article must share to be verified at all.
    min_hits: int = 3

    def __post_init__(self) -> None:
        if not 0.5 <= self.threshold <= 1.0:
            raise ValueError(f"containment threshold must be in [0.5, 1], got {self.threshold}")
        for name in (
            "shingle_size",
            "sample",
            "min_shared",
            "posting_cap",
            "per_story",
            "candidates",
        ):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1, got {getattr(self, name)}")
        if self.furniture_stories < 2:
            raise ValueError(
                f"furniture_stories must be at least 2 (one story is not furniture), "
                f"got {self.furniture_stories}"
            )
        if self.furniture_stories > self.posting_cap:
            raise ValueError(
                f"furniture_stories ({self.furniture_stories}) cannot exceed posting_cap "
                f"({self.posting_cap}): a capped posting list could never show it"
            )

    def to_meta(self) -> dict[str, str]:
        """Return the parameters as ``containment_<name>`` -> string, for the ``meta`` table."""
        return {f"containment_{k}": str(v) for k, v in asdict(self).items()}

    @classmethod
    def from_meta(cls, meta: dict[str, str]) -> ContainmentParams:
        """Rebuild parameters from ``meta`` rows written by :meth:`to_meta`."""
        values: dict[str, object] = {}
        for f in fields(cls):
            raw = meta.get(f"containment_{f.name}")
            if raw is not None:
                values[f.name] = float(raw) if f.type in ("float", float) else int(raw)
        return cls(**values)  # type: ignore[arg-type]


DEFAULT_PARAMS = ContainmentParams()


def create_tables(conn: sqlite3.Connection) -> None:
    """Create the anchor table when missing (inside the caller's transaction)."""
    conn.execute(CONTAINMENT_DDL)


# Fibonacci hashing: CRC-32 is linear, so shingle hashes are multiplied by 2**32 / golden ratio
# (odd, so the product modulo 2**32 is a bijection) and anchors are chosen by the product.
_GOLDEN = 0x9E3779B1
_GOLDEN_INVERSE = pow(_GOLDEN, -1, 1 << 32)
_MASK = 0xFFFFFFFF


def anchor_rank(h: int) -> int:
    """The rank by which shingle hash ``h`` is chosen as an anchor (lower is chosen first)."""
    return (h * _GOLDEN) & _MASK


def _anchors(lines: list[frozenset[int]], params: ContainmentParams) -> list[tuple[int, ...]]:
    """Each line's anchors: its sampled shingles and its shingle of lowest rank."""
    # All lines in one numpy pass: a Python loop over every shingle costs twice as much.
    sizes = [len(s) for s in lines]
    flat = np.fromiter((h for s in lines for h in s), dtype=np.uint64, count=sum(sizes))
    rank = (flat * np.uint64(_GOLDEN)) & np.uint64(_MASK)
    starts = np.zeros(len(sizes), dtype=np.int64)
    starts[1:] = np.cumsum(sizes)[:-1]
    smallest = (np.minimum.reduceat(rank, starts) * np.uint64(_GOLDEN_INVERSE)) & np.uint64(_MASK)
    sampled = rank < np.uint64((_MASK + 1) // params.sample)
    chosen: list[set[int]] = [{h} for h in smallest.tolist()]
    line_of = np.repeat(np.arange(len(sizes)), sizes)
    for i, h in zip(line_of[sampled].tolist(), flat[sampled].tolist(), strict=True):
        chosen[i].add(h)
    return [tuple(sorted(c)) for c in chosen]


@dataclass(frozen=True)
class Line:
    """One line (paragraph) of a text: its shingles and the anchors among them."""

    shingles: frozenset[int]
    anchors: tuple[int, ...]
    words: tuple[str, ...] = field(default=(), compare=False, repr=False)


@dataclass(frozen=True)
class Profile:
    """What containment needs to know about one text; computed outside the write transaction."""

    lines: tuple[Line, ...]
    shingle_count: int
    shingle_size: int = DEFAULT_PARAMS.shingle_size

    @classmethod
    def of(cls, text: str, params: ContainmentParams = DEFAULT_PARAMS) -> Profile:
        """Profile ``text``: the shingles and anchors of each non-empty line."""
        split = [w for w in map(words, text.split("\n")) if w]
        if not split:
            return cls((), 0, params.shingle_size)
        sets = [frozenset(shingles(w, params.shingle_size)) for w in split]
        lines = tuple(
            Line(sh, anchors, tuple(w))
            for sh, anchors, w in zip(sets, _anchors(sets, params), split, strict=True)
        )
        return cls(lines, len(frozenset().union(*sets)), params.shingle_size)

    def text_shingles(self) -> set[int]:
        """The shingles of the whole text, equal to ``shingles(words(text), size)``.

        The lines' shingles plus those across each line break, so that the Jaccard tier can
        take its shingles from here instead of shingling the text a second time.
        """
        size = self.shingle_size
        every = [w for line in self.lines for w in line.words]
        if len(every) <= size:
            return shingles(every, size)
        out: set[int] = set()
        start = 0
        for line in self.lines:
            if start:
                out |= shingles(every[max(0, start - size + 1) : start + size - 1], size)
            if len(line.words) >= size:
                # A line shorter than a shingle has a shingle of its own words only, which the
                # whole text does not have: its words are in the shingles across its breaks.
                out |= line.shingles
            start += len(line.words)
        return out

    @property
    def anchors(self) -> set[int]:
        return {a for line in self.lines for a in line.anchors}

    @property
    def word_count(self) -> int:
        return sum(len(line.words) for line in self.lines)


@dataclass(frozen=True)
class Comparison:
    """Exact containment of two profiles, furniture lines left out on both sides."""

    inside: float  # share of the new text's own shingles found in the stored one
    holds: float  # share of the stored text's own shingles found in the new one
    shared: int  # shingles shared outside furniture
    spread: int  # of those, outside the smaller side's largest shared paragraph
    jaccard: float  # Jaccard similarity of the two texts' own shingles
    furniture: int  # shingles left out as furniture, both sides together
    # The smaller side's own shingles outside that paragraph, shared or not: next to none when
    # the smaller text is that one paragraph (an excerpt of one paragraph).
    rest: int = 0

    @property
    def share(self) -> float:
        return max(self.inside, self.holds)

    @property
    def direction(self) -> str:
        return "inside" if self.inside >= self.holds else "holds"

    def passes(self, params: ContainmentParams) -> bool:
        """True when the two texts are one story by containment."""
        return (
            self.share >= params.threshold
            and self.shared >= params.min_shared
            and (self.spread >= params.min_spread or self.rest < params.min_spread // 2)
        )

    def reason(self, params: ContainmentParams) -> str:
        """Why it passes or not, for logs and benchmarks."""
        if self.shared < params.min_shared:
            return f"too little shared text of its own ({self.shared} shingles)"
        if self.spread < params.min_spread and self.rest >= params.min_spread // 2:
            return "shared text lies within one paragraph"
        if self.share < params.threshold:
            return f"containment {self.share:.2f} under {params.threshold}"
        return f"containment {self.share:.2f} ({self.direction})"


@dataclass(frozen=True)
class ContainmentMatch:
    """A stored article whose story the text joins; ``kind`` goes to the ``match`` column."""

    representative: int
    similarity: float  # the containment share, rounded like the Jaccard tier's
    matched_id: int
    direction: str  # "inside": the text is inside the stored one; "holds": the reverse
    kind: str = "containment"


def _is_furniture(line: Line, furniture: set[int]) -> bool:
    return sum(a in furniture for a in line.anchors) * 2 > len(line.anchors)


def _own(profile: Profile, furniture: set[int]) -> tuple[set[int], list[frozenset[int]]]:
    """Shingles of the lines that are not furniture, as a whole and line by line."""
    kept = [line.shingles for line in profile.lines if not _is_furniture(line, furniture)]
    return set().union(*kept), kept


def compare(a: Profile, b: Profile, furniture: set[int]) -> Comparison:
    """Exact containment of ``a`` (the new text) and ``b`` (a stored one) both ways."""
    own_a, lines_a = _own(a, furniture)
    own_b, lines_b = _own(b, furniture)
    dropped = a.shingle_count - len(own_a) + b.shingle_count - len(own_b)
    shared = own_a & own_b
    if not shared:
        return Comparison(0.0, 0.0, 0, 0, 0.0, dropped)
    inside, holds = len(shared) / len(own_a), len(shared) / len(own_b)
    smaller, own_smaller = (lines_a, own_a) if inside >= holds else (lines_b, own_b)
    per_line = [len(s & shared) for s in smaller]
    largest = max(range(len(per_line)), key=per_line.__getitem__)
    union = len(own_a) + len(own_b) - len(shared)
    return Comparison(
        inside,
        holds,
        len(shared),
        sum(per_line) - per_line[largest],
        len(shared) / union,
        dropped,
        len(own_smaller - smaller[largest]),
    )


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
        if profile.shingle_count < self.params.min_shared:
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
        if profile.shingle_count < params.min_shared:
            return []
        if lookup is None:
            lookup = self.lookup(profile, before=before)
        furniture = lookup.furniture(params.furniture_stories)
        own_anchors = {
            a
            for line in profile.lines
            if not _is_furniture(line, furniture)
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
            verdict = compare(profile, candidate, furniture)
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
        return compare(profile, other, self._furniture_of(profile, [other], lookup))

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
        if not any(_is_furniture(line, furniture) for line in profile.lines):
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
