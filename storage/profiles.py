"""The text side of containment matching (storage.containment): its parameters, a text's
profile (lines, shingles and anchors) and the exact comparison of two profiles. No SQL here."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import asdict, dataclass, field, fields
from functools import cached_property

import numpy as np

from storage.minhash import shingle_sequence, shingles
from storage.normalize import words


@dataclass(frozen=True)
class ContainmentParams:
    """What decides anchors and verdicts; to be persisted with the data (``to_meta``)."""

    shingle_size: int = 5
    # One shingle in ``sample`` is an anchor: a 60-word shared run holds ~7 of them.
    sample: int = 8
    threshold: float = 0.8
    # Words of text shared outside furniture: a short excerpt less its dateline. Less is a
    # paragraph, not a story; a text with fewer words of its own is not indexed at all.
    min_shared: int = 50
    # A paragraph at least ``line_share`` of whose shingles are shared is present (a paragraph
    # of two sentences, one of them changed, and a dateline), and its longest unshared run
    # counts as shared, up to ``forgive`` shingles in all: a copy editor's changed sentence must
    # not decide a short excerpt.
    line_share: float = 0.4
    forgive: int = 32
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
        if not 0.25 <= self.line_share <= 1.0:
            raise ValueError(f"containment line_share must be in [0.25, 1], got {self.line_share}")
        if self.forgive < 0:
            raise ValueError(f"containment forgive must be at least 0, got {self.forgive}")
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

    @cached_property
    def own_words(self) -> int:
        """Words of text of its own: a repeated line counts once (see :func:`run_words`)."""
        seen: set[int] = set()
        total = 0
        for line in self.lines:
            new = line.shingles - seen
            if new:
                total += min(len(new) + self.shingle_size - 1, max(len(line.words), len(new)))
                seen |= new
        return total

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
    # Words of the shared text, estimated from its runs (see run_words).
    shared_words: int = 0
    # Share of the smaller side's own shingles that are shared, a changed sentence in each of
    # its paragraphs mostly shared forgiven (up to ``forgive`` shingles; see _covered).
    covered: float = 0.0
    # Of ``rest``, the shingles forgiven as a changed sentence in a paragraph mostly shared.
    forgiven_rest: int = 0

    @property
    def share(self) -> float:
        return max(self.inside, self.holds)

    @property
    def direction(self) -> str:
        return "inside" if self.inside >= self.holds else "holds"

    def passes(self, params: ContainmentParams) -> bool:
        """True when the two texts are one story by containment."""
        return (
            max(self.share, self.covered) >= params.threshold
            and self.shared_words >= params.min_shared
            and (self.spread >= params.min_spread or self.unshared_rest < params.min_spread // 2)
        )

    @property
    def unshared_rest(self) -> int:
        """The smaller side's own shingles outside its largest shared paragraph that are not
        shared, a changed sentence in a paragraph mostly shared forgiven: next to none when
        that paragraph is all it has, or the rest is in the story too (an excerpt of a long
        paragraph and a short one, a copy editor's sentence in the short one)."""
        return max(0, self.rest - self.spread - self.forgiven_rest)

    def reason(self, params: ContainmentParams) -> str:
        """Why it passes or not, for logs and benchmarks."""
        if self.shared_words < params.min_shared:
            return f"too little shared text of its own ({self.shared_words} words)"
        if self.spread < params.min_spread and self.unshared_rest >= params.min_spread // 2:
            return "shared text lies within one paragraph"
        if max(self.share, self.covered) < params.threshold:
            return f"containment {self.share:.2f} under {params.threshold}"
        if self.share < params.threshold:
            return (
                f"containment {self.share:.2f}, {self.covered:.2f} by paragraph ({self.direction})"
            )
        return f"containment {self.share:.2f} ({self.direction})"


def is_furniture(line: Line, furniture: set[int]) -> bool:
    return sum(a in furniture for a in line.anchors) * 2 > len(line.anchors)


def run_words(lines: Iterable[Line], among: Collection[int], size: int) -> int:
    """Words covered by the shingles of ``lines`` that are in ``among``, estimated per line as
    its new such shingles plus ``size - 1`` (exact when each line holds one run of them).

    A shingle already counted on an earlier line adds nothing, so a line repeated thirty times
    is as much text as the line once.
    """
    seen: set[int] = set()
    total = 0
    for line in lines:
        new = (line.shingles & among) - seen
        if new:
            total += min(len(new) + size - 1, max(len(line.words), len(new)))
            seen |= new
    return total


def _own(profile: Profile, furniture: set[int]) -> tuple[set[int], list[Line]]:
    """Shingles of the lines that are not furniture, as a whole, and those lines."""
    kept = [line for line in profile.lines if not is_furniture(line, furniture)]
    return set().union(*(line.shingles for line in kept)), kept


def _gaps(line: Line, shared: set[int], size: int) -> list[int]:
    """Unshared shingles of ``line``, gap by gap.

    A gap is a run of unshared shingles, taking in shared islands shorter than ``size``: a
    changed sentence may repeat a phrase of the story it replaces.
    """
    gaps: list[list[int]] = []  # [end, unshared shingles]
    for i, h in enumerate(shingle_sequence(line.words, size)):
        if h in shared:
            continue
        if gaps and i - gaps[-1][0] < size:
            gaps[-1][0] = i + 1
            gaps[-1][1] += 1
        else:
            gaps.append([i + 1, 1])
    return [n for _, n in gaps]


def _covered(
    lines: list[Line], own: set[int], shared: set[int], size: int, params: ContainmentParams
) -> float:
    """Share of ``own`` that is shared, counting as shared too the largest gap of each line
    mostly shared (a changed sentence, a dateline), up to ``forgive`` shingles in all.

    A rewrite that changes a word here and there gains one small gap per paragraph, not all.
    """
    return (len(own & shared) + _forgiven(lines, shared, size, params)) / len(own)


def _forgiven(lines: Iterable[Line], shared: set[int], size: int, params: ContainmentParams) -> int:
    """Shingles forgiven in ``lines``: the largest gap of each line mostly shared, up to
    ``forgive`` in all."""
    forgiven = 0
    for line in lines:
        if (
            len(line.shingles & shared) < params.line_share * len(line.shingles)
            or line.shingles <= shared
        ):
            continue
        forgiven += max(_gaps(line, shared, size))
    return min(forgiven, params.forgive)


def compare(
    a: Profile, b: Profile, furniture: set[int], params: ContainmentParams = DEFAULT_PARAMS
) -> Comparison:
    """Exact containment of ``a`` (the new text) and ``b`` (a stored one) both ways."""
    own_a, lines_a = _own(a, furniture)
    own_b, lines_b = _own(b, furniture)
    dropped = a.shingle_count - len(own_a) + b.shingle_count - len(own_b)
    shared = own_a & own_b
    if not shared:
        return Comparison(0.0, 0.0, 0, 0, 0.0, dropped)
    inside, holds = len(shared) / len(own_a), len(shared) / len(own_b)
    smaller, own_smaller = (lines_a, own_a) if inside >= holds else (lines_b, own_b)
    per_line = [len(line.shingles & shared) for line in smaller]
    largest = max(range(len(per_line)), key=per_line.__getitem__)
    union = len(own_a) + len(own_b) - len(shared)
    return Comparison(
        inside,
        holds,
        len(shared),
        sum(per_line) - per_line[largest],
        len(shared) / union,
        dropped,
        len(own_smaller - smaller[largest].shingles),
        run_words(smaller, shared, a.shingle_size),
        _covered(smaller, own_smaller, shared, a.shingle_size, params),
        _forgiven(
            (line for i, line in enumerate(smaller) if i != largest), shared, a.shingle_size, params
        ),
    )
