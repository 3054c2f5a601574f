"""Containment candidates: which index finds copies of another length, and at what cost.

Compares the candidate stage of the ways to find, for a text arriving, a stored text that it
is mostly inside of or that is mostly inside it. Verification is exact and the same for all of
them, so what differs is the share of true pairs that become candidates (recall) and how many
other texts must be verified per query (cost), plus the index rows each text adds:

* ``anchors``: the anchor index of storage.containment (a 1/``sample`` sample of shingles plus
  each line's smallest), incremental, one row per anchor in SQLite;
* ``anchors, no line minima``: the fixed sample alone;
* ``minhash LSH bxr``: the store's own Jaccard LSH band keys, incremental;
* ``size-partitioned LSH``: an incremental stand-in for LSH Ensemble: texts in size classes
  (powers of two of their shingle count), band keys for 1, 2 and 3 rows per band; a query asks
  each class with the row count that the containment threshold and the size ratio call for;
* ``datasketch LSH Ensemble``: ``MinHashLSHEnsemble`` itself, built in one go over the whole
  stored set (it cannot take one more text later); it answers "which stored texts contain the
  query", so it cannot find a stored text inside the query.

Texts: every real article of the corpus, and of each its copies of another length (truncated,
an excerpt with a read-more line, the story followed by other briefs, the story in its outlet's
furniture) and a syndicated rewrite; all stored, then each queried. A pair is found in the
order a>b when querying b returns a, and in b>a when querying a returns b.

    python benchmarks/containment_index.py [--corpus PATH] [--limit N]
"""

from __future__ import annotations

import argparse
import math
import random
import statistics
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable

import numpy as np
from dedup_pairs import (
    DEFAULT_CORPUS,
    NETWORKS,
    Doc,
    excerpt,
    furniture,
    load_corpus,
    rewrite,
    truncated,
    usable,
    with_briefs,
    wrapped,
)

from storage import PRESETS
from storage.minhash import MinHashParams, band_keys, shingles, signature_from_shingles
from storage.normalize import words
from storage.profiles import DEFAULT_PARAMS, ContainmentParams, Profile, anchor_rank

CANDIDATES = 4  # texts verified per query, as storage.containment does


class Generator:
    name = ""

    def add(self, key: int, text: str) -> int:
        """Index ``text``; return the rows it added."""
        raise NotImplementedError

    def query(self, key: int, text: str) -> list[int]:
        """Candidates for ``text``, best first, without ``key`` itself."""
        raise NotImplementedError


class Anchors(Generator):
    def __init__(self, params: ContainmentParams, line_minima: bool = True) -> None:
        self.params = params
        self.line_minima = line_minima
        self.postings: dict[int, list[int]] = defaultdict(list)
        self.name = f"anchors 1/{params.sample}" + ("" if line_minima else ", no line minima")

    def _anchors(self, text: str) -> set[int]:
        profile = Profile.of(text, self.params)
        if self.line_minima:
            return profile.anchors
        # The fixed sample alone: drop each line's smallest unless it is sampled anyway.
        cut = 2**32 // self.params.sample
        return {a for a in profile.anchors if anchor_rank(a) < cut}

    def add(self, key: int, text: str) -> int:
        anchors = self._anchors(text)
        for a in anchors:
            if len(self.postings[a]) < self.params.posting_cap:
                self.postings[a].append(key)
        return len(anchors)

    def query(self, key: int, text: str) -> list[int]:
        hits: Counter[int] = Counter()
        for a in self._anchors(text):
            hits.update(self.postings.get(a, ()))
        hits.pop(key, None)
        ranked = [k for k, n in hits.items() if n >= self.params.min_hits]
        return sorted(ranked, key=lambda k: (-hits[k], k))


def _signature(text: str, params: MinHashParams) -> tuple[np.ndarray, int]:
    sh = shingles(words(text), params.shingle_size)
    return signature_from_shingles(sh, params), len(sh)


class BandLSH(Generator):
    def __init__(self, params: MinHashParams) -> None:
        self.params = params
        self.buckets: dict[int, list[int]] = defaultdict(list)
        self.name = f"minhash LSH {params.bands}x{params.rows}"

    def add(self, key: int, text: str) -> int:
        keys = band_keys(_signature(text, self.params)[0], self.params)
        for k in keys:
            self.buckets[k].append(key)
        return len(keys)

    def query(self, key: int, text: str) -> list[int]:
        hits: Counter[int] = Counter()
        for k in band_keys(_signature(text, self.params)[0], self.params):
            hits.update(self.buckets.get(k, ()))
        hits.pop(key, None)
        return sorted(hits, key=lambda k: (-hits[k], k))


def _candidate_probability(j: float, bands: int, rows: int) -> float:
    return 1 - (1 - j**rows) ** bands


class PartitionedLSH(Generator):
    """Size classes x (1, 2, 3 rows per band), all keys kept: what an incremental LSH Ensemble
    over SQLite would store. 48 permutations: 48 + 24 + 16 keys a text."""

    ROWS = (1, 2, 3)

    def __init__(self, threshold: float, num_perm: int = 48) -> None:
        self.threshold = threshold
        self.params = {
            r: MinHashParams(num_perm=num_perm, bands=num_perm // r, rows=r) for r in self.ROWS
        }
        self.buckets: dict[tuple[int, int, int], list[int]] = defaultdict(list)
        self.classes: set[int] = set()
        self.name = "size-partitioned LSH (1,2,3 rows)"

    @staticmethod
    def _class(size: int) -> int:
        return max(0, int(math.log2(max(size, 1))))

    def add(self, key: int, text: str) -> int:
        sig, size = _signature(text, self.params[1])
        c = self._class(size)
        self.classes.add(c)
        rows = 0
        for r, params in self.params.items():
            for k in band_keys(sig, params):
                self.buckets[c, r, k].append(key)
                rows += 1
        return rows

    def _rows_for(self, q: int, c: int) -> int:
        # The lowest Jaccard a pair at the threshold can have with a text of class c (sizes
        # 2**c .. 2**(c+1)): the fewest rows that still make it a candidate 90% of the time.
        t = self.threshold
        low, high = 2**c, 2 ** (c + 1)
        j_small = t * min(q, low) / (q + low - t * min(q, low))
        j_large = t * min(q, high) / (q + high - t * min(q, high))
        j = min(j_small, j_large)
        for r in sorted(self.ROWS, reverse=True):
            if _candidate_probability(j, self.params[r].bands, r) >= 0.9:
                return r
        return 1

    def query(self, key: int, text: str) -> list[int]:
        sig, size = _signature(text, self.params[1])
        hits: Counter[int] = Counter()
        for c in self.classes:
            r = self._rows_for(size, c)
            for k in band_keys(sig, self.params[r]):
                hits.update(self.buckets.get((c, r, k), ()))
        hits.pop(key, None)
        return sorted(hits, key=lambda k: (-hits[k], k))


class Ensemble(Generator):
    """datasketch's MinHashLSHEnsemble, built once over everything (static)."""

    def __init__(self, threshold: float, num_perm: int, num_part: int = 8, m: int = 4) -> None:
        self.threshold = threshold
        self.params = MinHashParams(num_perm=num_perm, bands=num_perm // 4, rows=4)
        self.num_perm, self.num_part, self.m = num_perm, num_part, m
        self.entries: list[tuple[int, object, int]] = []
        self.index = None
        self.name = f"datasketch LSH Ensemble ({num_perm} perms, static)"

    def _minhash(self, text: str) -> tuple[object, int]:
        from datasketch import MinHash

        sig, size = _signature(text, self.params)
        perms = MinHash(num_perm=self.num_perm, seed=self.params.seed).permutations
        return MinHash(hashvalues=sig, permutations=perms, scheme="affine32"), max(size, 1)

    def add(self, key: int, text: str) -> int:
        mh, size = self._minhash(text)
        self.entries.append((key, mh, size))
        return -1  # reported below: keys per text depend on the partitions

    def query(self, key: int, text: str) -> list[int]:
        from datasketch import MinHashLSHEnsemble

        if self.index is None:
            self.index = MinHashLSHEnsemble(
                threshold=self.threshold, num_perm=self.num_perm, num_part=self.num_part, m=self.m
            )
            self.index.index(self.entries)
        mh, size = self._minhash(text)
        return [k for k in self.index.query(mh, size) if k != key]


def variants(docs: list[Doc], rng: random.Random) -> list[tuple[str, int, Doc]]:
    """(kind, source index, text) of every copy of another length, and a rewrite."""
    out: list[tuple[str, int, Doc]] = []
    for i, doc in enumerate(docs):
        short = truncated(doc, rng)
        if short is not None:
            out.append(("truncated copy", i, short))
        cut = excerpt(doc, rng)
        if cut is not None:
            out.append(("excerpt + read-more line", i, cut))
        others = [d for d in rng.sample(docs, 4) if d is not doc][:2]
        out.append(("story + other wire briefs", i, with_briefs(doc, others, rng)))
        top, bottom = furniture(f"The Outlet {i}", rng.choice(NETWORKS), docs, rng)
        out.append(("copy + outlet lines", i, wrapped(doc, top, bottom)))
        out.append(("syndicated rewrite", i, rewrite(doc, rng)))
    return out


def evaluate(
    make: Callable[[], Generator], docs: list[Doc], copies: list[tuple[str, int, Doc]]
) -> dict[str, object]:
    """Per kind of copy: an index of every article and the copies of that kind, then queries."""
    found: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    others: list[int] = []
    rows: list[int] = []
    queries = 0
    add_s = query_s = 0.0
    name = ""
    kinds = list(dict.fromkeys(k for k, _, _ in copies))
    for kind in kinds:
        gen = make()
        name = gen.name
        mine = [(source, c) for k, source, c in copies if k == kind]
        texts = [d.text for d in docs] + [c.text for _, c in mine]
        started = time.perf_counter()
        rows += [gen.add(k, t) for k, t in enumerate(texts)]
        add_s += time.perf_counter() - started
        started = time.perf_counter()
        for n, (source, _) in enumerate(mine):
            key = len(docs) + n
            for order, (q, target) in (("a>b", (key, source)), ("b>a", (source, key))):
                got = gen.query(q, texts[q])
                queries += 1
                found[kind, order][0] += target in got[:CANDIDATES]
                found[kind, order][1] += 1
        query_s += time.perf_counter() - started
    # Unrelated candidates: every article queried against all the others (no copies stored),
    # so only what different news stories have in common makes one.
    gen = make()
    for k, d in enumerate(docs):
        gen.add(k, d.text)
    for k, d in enumerate(docs):
        others.append(len(gen.query(k, d.text)))
    counted = [r for r in rows if r >= 0]
    return {
        "name": name,
        "found": found,
        "rows": statistics.mean(counted) if counted else None,
        "others": statistics.mean(others),
        "others_p99": sorted(others)[int(len(others) * 0.99)],
        "add_ms": add_s / len(rows) * 1e3,
        "query_ms": query_s / queries * 1e3,
        "stored": len(docs) + len(copies) // len(kinds),
    }


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(DEFAULT_CORPUS))
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(list(argv) if argv is not None else None)
    from pathlib import Path

    docs = usable(load_corpus(Path(args.corpus)))
    if not docs:
        print("the shared corpus is absent; nothing to measure")
        return 1
    if args.limit:
        docs = docs[: args.limit]
    rng = random.Random(args.seed)
    copies = variants(docs, rng)
    t = DEFAULT_PARAMS.threshold
    makers: list[Callable[[], Generator]] = [
        lambda: Anchors(DEFAULT_PARAMS),
        lambda: Anchors(ContainmentParams(sample=16)),
        lambda: Anchors(DEFAULT_PARAMS, line_minima=False),
        lambda: BandLSH(PRESETS["same-article"].params),
        lambda: BandLSH(PRESETS["syndicated"].params),
        lambda: BandLSH(MinHashParams(num_perm=48, bands=48, rows=1)),
        lambda: PartitionedLSH(t),
        lambda: Ensemble(t, 48),
        lambda: Ensemble(t, 128),
    ]
    kinds = list(dict.fromkeys(k for k, _, _ in copies))
    print(
        f"{len(docs)} articles and {len(copies)} copies stored; each copy queried in both orders; "
        f"a pair is found when its partner is among the first {CANDIDATES} candidates\n"
    )
    header = " ".join(f"{k[:14]:>14}" for k in kinds)
    print(f"{'index':44} {'order':>5} {header} {'rows/text':>9} {'unrel/q':>8} {'p99':>5}")
    for make in makers:
        r = evaluate(make, docs, copies)
        for order in ("a>b", "b>a"):
            cells = " ".join(
                f"{r['found'][k, order][0] / r['found'][k, order][1]:>14.3f}"  # type: ignore[index]
                for k in kinds
            )
            rows = "n/a" if r["rows"] is None else f"{r['rows']:.0f}"
            print(
                f"{r['name']:44} {order:>5} {cells} {rows:>9} {r['others']:>8.1f} "
                f"{r['others_p99']:>5}"
            )
        print(
            f"{'':44} add {r['add_ms']:.2f} ms/text, query {r['query_ms']:.2f} ms "
            f"(in-memory Python, {r['stored']} texts stored)"
        )
    print(
        f"\nunrel/q: candidates per query when each of the {len(docs)} articles is queried "
        "against all the others (different stories: each one verified for nothing, up to "
        f"{CANDIDATES}); grows with the store."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
