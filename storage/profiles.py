"""The text side of containment matching (storage.containment): its parameters, a text's
profile (lines, shingles and anchors) and the exact comparison of two profiles. No SQL here."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields

import numpy as np

from storage.minhash import shingles
from storage.normalize import words


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


def is_furniture(line: Line, furniture: set[int]) -> bool:
    return sum(a in furniture for a in line.anchors) * 2 > len(line.anchors)


def _own(profile: Profile, furniture: set[int]) -> tuple[set[int], list[frozenset[int]]]:
    """Shingles of the lines that are not furniture, as a whole and line by line."""
    kept = [line.shingles for line in profile.lines if not is_furniture(line, furniture)]
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
