"""Dedup quality benchmark: pairwise precision and recall of each preset on labelled edits.

Builds a labelled set of article pairs from real article texts (the shared corpus when present,
else the demo world's own stories):

* positives, one per edit type: new headline, dateline prefix, a dropped paragraph, an added
  paragraph, a few substituted words, different site boilerplate, an AMP/print copy (same words,
  other whitespace, quotes and paragraph breaks), and all of the light edits combined;
* copies of another length: a truncated copy (the first 3+ paragraphs, 25-60% of the text), an
  excerpt cut mid-paragraph that ends in a "read the full story" line, a copy still carrying
  100-200 words of its outlet's teaser headlines, nav and footer lines that cleaning missed, and
  the story followed by other wire briefs;
* syndicated rewrites (two paragraphs cut, two swapped, a note added, a dozen words changed):
  duplicates for the "syndicated" preset, left out of the scores of "same-article";
* hard negatives: the most similar pairs of different real articles, follow-up stories that reuse
  one or two background paragraphs (the longest) of an earlier one, short briefs sharing a long
  standard paragraph, and different articles on two sites of one network wrapped in the same
  100-200 words of the network's furniture, with their whole body or with only their first
  paragraph (extraction lost the rest); plus random pairs.

Where a pair carries outlet or network furniture, a few earlier pages of the same sites with the
same furniture are stored before it (``--context``), as a crawl of those sites would have.

Pairs of "different" real articles with the same title are left out: in this corpus they are
the same article captured twice. Each pair runs end to end in both arrival orders, each time in
a fresh in-memory store (a copy of an empty one): the pair counts as "duplicate" when the second
text joins the first one's story. Two engines: ``store``, ``Store.add_article`` as it is
(exact text, resemblance, containment: storage.containment), and ``resemblance``, the same
store without its containment tier and furniture check, as it decided before them. The same
pairs are also scored with the MinHash signature estimate instead of exact Jaccard as the
verifier, to show which of the two is right.

Chinese and Japanese articles (fundus and aeb truth, trafilatura_eval pages) are left out of
those rows and get a row of their own: the same edits with their own datelines, notes,
boilerplate and standard paragraphs, a substituted "word" being two characters, each edit
drawn ``--cjk-draws`` times (there are few such articles), against briefs, follow-ups and
every pair of different articles.

    python benchmarks/dedup_quality.py [--corpus PATH] [--limit N] [--seed S] [--context N]
                                       [--engines resemblance,store] [--explain] [--cjk-draws N]
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import sqlite3
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils
from dedup_pairs import (
    DEFAULT_CORPUS,
    MIN_SOURCE_WORDS,
    Pair,
    build_pairs,
    load_corpus,
    load_demo,
    usable,
)
from dedup_pairs_cjk import (
    build_cjk_pairs,
    is_cjk,
    load_cjk,
)

from storage import PRESETS, Store
from storage.containment import DEFAULT_PARAMS, ContainmentParams, Profile, compare
from storage.dedup import Fingerprint
from storage.matcher import Match, SqliteMatcher
from storage.minhash import (
    MIN_MINHASH_WORDS,
    band_keys,
    estimate,
    jaccard,
    shingles,
    signature_from_shingles,
)
from storage.normalize import words
from storage.textunits import word_count

CONTAINMENT = DEFAULT_PARAMS  # --param overrides it

ORDERS = ("a>b", "b>a")
_TEMPLATES: dict[str, Store] = {}


class ResemblanceOnly(SqliteMatcher):
    """The store's matcher without its containment tier and furniture check (as before them)."""

    def find_contained(self, fp: Fingerprint, **_: object) -> Match | None:
        return None

    def _furniture_made(self, fp: Fingerprint, near: Match, before: int | None) -> bool:
        return False


def fresh_store(preset: str, engine: str = "store") -> Store:
    """An empty store of ``preset``: a copy of one opened once, 100x cheaper than opening.

    ``engine``: "store", the store as it is (with CONTAINMENT), or "resemblance", without its
    containment tier.
    """
    template = _TEMPLATES.get(preset)
    if template is None:
        template = _TEMPLATES[preset] = Store.open(":memory:", preset=preset)
    conn = sqlite3.connect(":memory:", isolation_level=None)
    template.conn.backup(conn)
    conn.row_factory = sqlite3.Row
    db = sqlite_utils.Database(conn)
    store = Store(db, ":memory:", template.params, template.threshold, template.preset)
    kind = ResemblanceOnly if engine == "resemblance" else SqliteMatcher
    store._local = store.matcher = kind(conn, store.params, store.threshold, CONTAINMENT)
    return store


def arrivals(pair: Pair, order: str) -> Iterator[tuple[str, str, str]]:
    """(url, title, text) of the context pages, then the pair's two texts in ``order``."""
    for i, (host, text) in enumerate(pair.context):
        yield f"https://{host}/earlier/{i}", "Earlier", text
    first, second = (0, 1) if order == "a>b" else (1, 0)
    docs = (pair.a, pair.b)
    for i in (first, second):
        yield f"https://{pair.hosts[i]}/story", docs[i].title, docs[i].text


def store_says_duplicate(pair: Pair, preset: str, order: str = "a>b") -> bool:
    """Whether the second text of ``order`` joins the first one's story in the store as it is."""
    return says_duplicate(pair, preset, order, "store").linked


@dataclass
class Outcome:
    linked: bool
    how: str  # the second text's match kind, or why containment said no


def says_duplicate(pair: Pair, preset: str, order: str, engine: str) -> Outcome:
    """Whether the second text of ``order`` joins the first one's story, and how."""
    with fresh_store(preset, engine) as store:
        results = [
            store.add_article({"url": url, "title": title, "text": text})
            for url, title, text in arrivals(pair, order)
        ]
        first, second = results[-2:]
        linked = store.story(first.article_id)["id"] == store.story(second.article_id)["id"]
        how = second.match or "new"
        if not linked and second.match is None:
            index = store._local.containment
            check = index.compare_stored(
                index.profile(pair.b.text if order == "a>b" else pair.a.text),
                first.article_id,
                before=second.article_id,
            )
            if check is not None:
                how = check.reason(index.params)
    return Outcome(linked, how)


def estimate_says_duplicate(pair: Pair, preset: str) -> bool:
    """The same decision with the signature estimate as verifier instead of exact Jaccard."""
    p = PRESETS[preset]
    wa, wb = words(pair.a.text), words(pair.b.text)
    if wa == wb and len(wa) >= 10:
        return True
    if min(len(wa), len(wb)) < MIN_MINHASH_WORDS:
        return False
    sa = signature_from_shingles(shingles(wa, p.params.shingle_size), p.params)
    sb = signature_from_shingles(shingles(wb, p.params.shingle_size), p.params)
    if not set(band_keys(sa, p.params)) & set(band_keys(sb, p.params)):
        return False
    return estimate(sa, sb) >= p.threshold


def exact_jaccard(pair: Pair, size: int) -> float:
    return jaccard(shingles(words(pair.a.text), size), shingles(words(pair.b.text), size))


def containment_share(pair: Pair) -> float:
    """Exact containment of the pair's texts, no furniture known (the larger of both ways)."""
    return compare(Profile.of(pair.a.text), Profile.of(pair.b.text), set()).share


# ------------------------------------------------------------------ scoring

Counts = dict[str, dict[str, int]]


def score(pairs: list[Pair], decide: Callable[[Pair], bool]) -> Counts:
    counts: Counts = defaultdict(lambda: {"n": 0, "yes": 0})
    for pair in pairs:
        c = counts[pair.kind]
        c["n"] += 1
        c["yes"] += decide(pair)
    return counts


def summary(pairs: list[Pair], counts: Counts, preset: str) -> tuple[float, float]:
    """Pairwise (precision, recall) for ``preset`` over the pairs that count for it."""
    labels = {p.kind: p.duplicate(preset) for p in pairs}
    tp = sum(c["yes"] for k, c in counts.items() if labels[k])
    pos = sum(c["n"] for k, c in counts.items() if labels[k])
    fp = sum(c["yes"] for k, c in counts.items() if labels[k] is False)
    precision = tp / (tp + fp) if tp + fp else 1.0
    return precision, tp / pos if pos else 0.0


def merged(*counts: Counts) -> Counts:
    out: Counts = defaultdict(lambda: {"n": 0, "yes": 0})
    for c in counts:
        for kind, v in c.items():
            out[kind]["n"] += v["n"]
            out[kind]["yes"] += v["yes"]
    return out


# ------------------------------------------------------------------ unspaced scripts (CJK)

# The same edits on Chinese and Japanese articles, with their own datelines, notes, boilerplate
# and standard paragraphs; a "word" substituted is two characters.


def cjk_report(root: Path, rng: random.Random, draws: int) -> None:
    """Print the precision and recall of each preset on the CJK pairs, as a row of their own."""
    docs = [d for d in load_cjk(root) if len(d.paragraphs) >= 3]
    docs = [d for d in docs if word_count(d.text) >= MIN_SOURCE_WORDS]
    if len(docs) < 2:
        print("\nno Chinese or Japanese articles in the corpus: no CJK row")
        return
    pairs = build_cjk_pairs(docs, rng, draws)
    by_label = {lab: sum(p.label == lab for p in pairs) for lab in ("dup", "rewrite", "diff")}
    print(
        f"\nChinese and Japanese articles: {len(docs)}, each edit drawn {draws} times: "
        f"{by_label['dup']} duplicate, {by_label['rewrite']} syndicated rewrites, "
        f"{by_label['diff']} not duplicate pairs"
    )
    kinds = list(dict.fromkeys(p.kind for p in pairs))
    for name, preset in PRESETS.items():
        stored = score(pairs, lambda p, name=name: store_says_duplicate(p, name))
        print(f"preset {name!r} on CJK pairs (char shingles of {preset.params.char_shingle_size})")
        for kind in kinds:
            c = stored[kind]
            print(f"  {kind:32} {c['n']:>6} {c['yes'] / c['n']:>8.3f}")
        p, r = summary(pairs, stored, name)
        print(f"  {'CJK precision / recall (store, exact Jaccard)':48} {p:.4f} / {r:.4f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--limit", type=int, default=0, help="use at most N source articles")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--context", type=int, default=3, help="earlier pages per site carrying its furniture"
    )
    parser.add_argument("--engines", default="resemblance,store")
    parser.add_argument("--presets", default=",".join(PRESETS))
    parser.add_argument(
        "--explain", action="store_true", help="count why containment missed or merged"
    )
    parser.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="override a storage.containment.ContainmentParams field",
    )
    parser.add_argument("--cjk-draws", type=int, default=5, help="draws of each CJK edit")
    args = parser.parse_args(argv)
    global CONTAINMENT
    overrides = dict(item.split("=", 1) for item in args.param)
    CONTAINMENT = ContainmentParams.from_meta(
        {**DEFAULT_PARAMS.to_meta(), **{f"containment_{k}": v for k, v in overrides.items()}}
    )
    rng = random.Random(args.seed)
    docs = [d for d in usable(load_corpus(args.corpus)) if not is_cjk(d.text)]  # own row below
    source = f"shared corpus at {args.corpus}"
    if not docs:
        docs = usable(load_demo())
        source = "demo world stories (corpus absent)"
    if args.limit:
        docs = docs[: args.limit]
    pairs = build_pairs(docs, rng, args.context)
    engines = args.engines.split(",")
    by_label = {lab: sum(p.label == lab for p in pairs) for lab in ("dup", "rewrite", "diff")}
    print(f"source: {source}: {len(docs)} articles")
    print(
        f"pairs: {by_label['dup']} duplicate, {by_label['rewrite']} syndicated rewrites, "
        f"{by_label['diff']} not duplicate; each in both arrival orders; {args.context} earlier "
        f"pages per site where furniture is involved\n"
    )
    kinds = list(dict.fromkeys(p.kind for p in pairs))
    labels = {p.kind: p.label for p in pairs}
    for name in args.presets.split(","):
        preset = PRESETS[name]
        started = time.perf_counter()
        results: dict[tuple[str, str], Counts] = {}
        reasons: dict[str, Counter[str]] = defaultdict(Counter)
        for order in ORDERS:
            for engine in engines:

                def decide(
                    p: Pair,
                    name: str = name,
                    order: str = order,
                    engine: str = engine,
                    reasons: dict = reasons,
                ) -> bool:
                    outcome = says_duplicate(p, name, order, engine)
                    label = p.duplicate(name)
                    explain = args.explain and engine == "store" and label is not None
                    if explain and outcome.linked != label:
                        reasons[p.kind][outcome.how] += 1
                    return outcome.linked

                results[engine, order] = score(pairs, decide)
        est = score(pairs, lambda p, name=name: estimate_says_duplicate(p, name))
        elapsed = time.perf_counter() - started
        params = preset.params
        print(
            f"preset {name!r}: threshold {preset.threshold}, {params.shingle_size}-word shingles, "
            f"{params.num_perm} perms = {params.bands} bands x {params.rows} rows ({elapsed:.1f}s)"
        )
        columns = [(e, o) for e in engines for o in ORDERS]
        head = " ".join(f"{e[:5] + ' ' + o:>11}" for e, o in columns)
        print(f"  {'pair kind':34} {'label':>7} {'pairs':>5} {head} {'estimate':>8}")
        for kind in kinds:
            cells = " ".join(
                f"{results[c][kind]['yes'] / results[c][kind]['n']:>11.3f}" for c in columns
            )
            e = est[kind]
            print(f"  {kind:34} {labels[kind]:>7} {e['n']:>5} {cells} {e['yes'] / e['n']:>8.3f}")
        for engine in engines:
            for order in (*ORDERS, "both"):
                counts = (
                    merged(*(results[engine, o] for o in ORDERS))
                    if order == "both"
                    else results[engine, order]
                )
                p, r = summary(pairs, counts, name)
                line = f"  precision / recall ({engine}, {order})"
                extra = ""
                if name != "syndicated":
                    rw = counts["syndicated rewrite"]
                    extra = f"   syndicated rewrites linked {rw['yes'] / rw['n']:.3f}"
                print(f"{line:50} {p:.4f} / {r:.4f}{extra}")
        p2, r2 = summary(pairs, est, name)
        print(f"  {'precision / recall (signature estimate)':48} {p2:.4f} / {r2:.4f}\n")
        if args.explain:
            for kind, counter in reasons.items():
                print(f"  containment {'misses' if labels[kind] != 'diff' else 'merges'}: {kind}")
                for how, n in counter.most_common(6):
                    print(f"    {n:>5}  {how}")
            print()
    print("rows: share of pairs called duplicate; recall for 'dup', false positives for 'diff'")
    print("\nexact Jaccard (5-word shingles) | containment, by pair kind: min / median / max")
    for kind in kinds:
        values = sorted(exact_jaccard(p, 5) for p in pairs if p.kind == kind)
        shares = sorted(containment_share(p) for p in pairs if p.kind == kind)
        print(
            f"  {kind:34} {values[0]:.3f} / {values[len(values) // 2]:.3f} / {values[-1]:.3f}"
            f"  |  {shares[0]:.3f} / {shares[len(shares) // 2]:.3f} / {shares[-1]:.3f}"
        )
    print(f"\ncontainment: {CONTAINMENT}")
    print(
        "\nshare linked by Jaccard >= 0.6 or containment at each threshold (exact, no furniture "
        "known, so the furniture kinds are left out):"
    )
    shown = [k for k in kinds if not any(p.context for p in pairs if p.kind == k)]
    verdicts = {
        k: [(exact_jaccard(p, 5), compare(Profile.of(p.a.text), Profile.of(p.b.text), set()))
            for p in pairs if p.kind == k]
        for k in shown
    }  # fmt: skip
    thresholds = (0.8, 0.75, 0.7, 0.65, 0.6)
    print(f"  {'pair kind':34} {'label':>7} " + " ".join(f"{t:>6}" for t in thresholds))
    for kind in shown:
        cells = []
        for t in thresholds:
            params = dataclasses.replace(CONTAINMENT, threshold=t)
            v = verdicts[kind]
            cells.append(f"{sum(j >= 0.6 or c.passes(params) for j, c in v) / len(v):>6.3f}")
        print(f"  {kind:34} {labels[kind]:>7} " + " ".join(cells))
    cjk_report(args.corpus, random.Random(args.seed), args.cjk_draws)
    return 0


if __name__ == "__main__":
    sys.exit(main())
