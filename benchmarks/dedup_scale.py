"""Dedup scale benchmark: cost per article, memory, disk and start-up at 10k, 100k and 1M articles.

Stores synthetic articles (about 300 words from a Zipf-distributed vocabulary; 10% of them near
duplicates of an earlier article: dateline, a dropped 30-word paragraph, four substituted words;
with ``--truncated SHARE``, that share of truncated copies too: the first 3 or 4 of the 8
paragraphs of an earlier article) and prints, per size:

* median and p99 cost per article: ``Store.add_article`` as a whole (MinHash, exact-hash and LSH
  lookups, verification, article row, FTS and index rows, commit), no extraction;
* peak RSS of the process that built the store;
* bytes on disk per article of dedup data (LSH table, text-hash index and column; from dbstat),
  and of the whole file for context;
* time to open a store of that size in a fresh process and dedup the next article.

The same figures for datasketch's in-memory ``MinHashLSH`` (same MinHash parameters; insert and
query, no verification), as the reference; its "open" is unpickling the saved index, the fastest
way to get it back, and its bytes on disk are the pickle's.

The store's dedup time holds its containment work too, shown alone as ``cont``: the profile
(line shingles and anchors; the MinHash signature is made from the same shingles), anchor
lookups, verification, the furniture check of Jaccard matches, anchor rows. Its bytes on disk
include the ``containment`` table.

Each (engine, size) runs in its own process so peak RSS is its own.

    python benchmarks/dedup_scale.py [--sizes 10000,100000,1000000] [--workdir DIR]
                                     [--no-reference] [--keep] [--truncated SHARE]
                                     [--engines store,datasketch] [--cpu-time]
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import random
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from array import array
from pathlib import Path
from typing import Any

VOCAB_SIZE = 50_000
WORDS = 300
DUP_SHARE = 0.10
SEED = 20240501


def _vocabulary() -> tuple[list[str], list[float]]:
    rng = random.Random(SEED)
    syllables = ["ka", "lo", "mi", "ne", "ru", "sa", "te", "vi", "do", "pe", "an", "or", "el", "us"]
    vocab = sorted(
        {"".join(rng.choice(syllables) for _ in range(rng.randint(1, 4))) for _ in range(200_000)}
    )[:VOCAB_SIZE]
    rng.shuffle(vocab)
    weights = [1.0 / (rank + 1) for rank in range(len(vocab))]  # Zipf, like word use in news
    cum, total = [], 0.0
    for w in weights:
        total += w
        cum.append(total)
    return vocab, cum


VOCAB, CUM = _vocabulary()


def original(n: int) -> list[str]:
    """The words of synthetic article ``n``: reproducible from n alone, so nothing is kept."""
    return random.Random(n).choices(VOCAB, cum_weights=CUM, k=WORDS)


def near_copy(n: int, source: int) -> list[str]:
    rng = random.Random(-n)
    ws = original(source)
    start = rng.randrange(0, WORDS - 30)
    del ws[start : start + 30]  # a dropped paragraph
    for _ in range(4):
        ws[rng.randrange(len(ws))] = rng.choice(VOCAB)
    return ["LONDON", "Wire"] + ws


def truncated_copy(n: int, source: int) -> list[str]:
    return original(source)[: random.Random(-n).choice((120, 160))]


TRUNCATED_SHARE = 0.0  # set by --truncated; 0 keeps the stream of earlier runs
# Per-article times: wall clock, or with --cpu-time the thread's CPU time, which other processes
# on a busy machine do not inflate (the store does no fsync per article, so they agree when idle).
_clock = time.perf_counter
CONTAINMENT_META: dict[str, str] = {}  # --param overrides of storage.containment's parameters


def _containment_params() -> Any:
    from storage.containment import DEFAULT_PARAMS, ContainmentParams

    return ContainmentParams.from_meta({**DEFAULT_PARAMS.to_meta(), **CONTAINMENT_META})


def _kind(n: int) -> str:
    if n <= 10:
        return "original"
    draw = random.Random(n * 7919).random()
    if draw < DUP_SHARE:
        return "near"
    return "truncated" if draw < DUP_SHARE + TRUNCATED_SHARE else "original"


def _is_copy(n: int) -> bool:
    return _kind(n) != "original"


def article(n: int) -> tuple[str, str]:
    """(text, kind) of the n-th article of the stream; copies are of earlier originals."""
    kind = _kind(n)
    if kind == "original":
        return _paragraphs(original(n)), kind
    rng = random.Random(-n * 31)
    source = rng.randrange(n)
    while _is_copy(source):
        source = rng.randrange(n)
    copy = near_copy if kind == "near" else truncated_copy
    return _paragraphs(copy(n, source)), kind


def _source(size: int) -> int:
    """An original article in the middle of a store of ``size``, for the first dedup after open."""
    n = size // 2
    while _is_copy(n):
        n += 1
    return n


def _paragraphs(ws: list[str]) -> str:
    return "\n".join(" ".join(ws[i : i + 40]) for i in range(0, len(ws), 40))


def _record(n: int, text: str) -> dict[str, Any]:
    return {"url": f"https://site{n % 50}.example/a/{n}", "title": f"Article {n}", "text": text}


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _percentiles(times: array) -> tuple[float, float]:
    ordered = sorted(times)
    return statistics.median(ordered) * 1e3, ordered[int(len(ordered) * 0.99)] * 1e3


# ------------------------------------------------------------------ engines (run in a child)


def _open_store(path: Path) -> Any:
    from storage import Store
    from storage.matcher import SqliteMatcher

    store = Store.open(path)
    if CONTAINMENT_META:
        params = _containment_params()
        store._local = store.matcher = SqliteMatcher(
            store.conn, store.params, store.threshold, params
        )
    return store


def build_store(size: int, path: Path) -> dict[str, Any]:
    import storage.store

    times = array("d")
    dedup_times = array("d")
    cont_times = array("d")
    spent = [0.0, 0.0]  # dedup work inside the current article: all of it, containment's
    depth = [0, 0]  # nesting of timed calls: only the outermost one counts

    original = storage.store.Fingerprint
    min_shared = _containment_params().min_shared

    def timed(method: Any, part: int) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            depth[part] += 1
            started = _clock()
            try:
                return method(*args, **kwargs)
            finally:
                depth[part] -= 1
                if not depth[part]:
                    spent[part] += _clock() - started

        return wrapper

    class TimedFingerprint:
        @staticmethod
        def of(text: str, params: Any = None, precomputed: object = None) -> Any:
            started = _clock()
            fp = original.of(text, params, precomputed)
            if fp.word_count >= min_shared:
                # The profile first, as add_article computes it: the signature's shingles
                # come from it.
                at = _clock()
                fp.profile(_containment_params())
                spent[1] += _clock() - at
            if fp.indexable:
                fp.keys  # noqa: B018 - the signature and band keys, as add_article computes them
            spent[0] += _clock() - started
            return fp

    storage.store.Fingerprint = TimedFingerprint  # type: ignore[misc]
    planned: dict[str, int] = {"near": 0, "truncated": 0}
    found = dict.fromkeys(planned, 0)
    with _open_store(path) as store:
        local = store._local
        local.match = timed(local.match, 0)  # type: ignore[method-assign]
        local.index = timed(local.index, 0)  # type: ignore[method-assign]
        index = local.containment
        for name in ("lookup", "matches", "insert", "furniture_made"):
            setattr(index, name, timed(getattr(index, name), 1))
        started_all = time.perf_counter()
        for n in range(size):
            text, kind = article(n)
            record = _record(n, text)
            spent[0] = spent[1] = 0.0
            started = _clock()
            result = store.add_article(record)
            times.append(_clock() - started)
            dedup_times.append(spent[0])
            cont_times.append(spent[1])
            if kind in planned:
                planned[kind] += 1
                found[kind] += result.status == "duplicate"
        rate = size / (time.perf_counter() - started_all)
        duplicates = store.conn.execute(
            "SELECT count(*) FROM articles WHERE duplicate_of IS NOT NULL"
        ).fetchone()[0]
        extra = duplicates - sum(found.values())
    median, p99 = _percentiles(times)
    dedup_median, dedup_p99 = _percentiles(dedup_times)
    cont_median, cont_p99 = _percentiles(cont_times)
    return {
        "dedup_median_ms": dedup_median,
        "dedup_p99_ms": dedup_p99,
        "cont_median_ms": cont_median,
        "cont_p99_ms": cont_p99,
        "median_ms": median,
        "p99_ms": p99,
        "articles_per_s": rate,
        "peak_rss_mb": _peak_rss_mb(),
        "near_copies": planned["near"],
        "found": found["near"],
        "truncated": planned["truncated"],
        "found_truncated": found["truncated"],
        "unplanned_duplicates": extra,
        **_disk(path, size),
    }


def _disk(path: Path, size: int) -> dict[str, Any]:
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        pages = dict(conn.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name").fetchall())
    except sqlite3.OperationalError:
        pages = {}
    finally:
        conn.close()
    # The text_hash column itself: an 8-byte integer plus its 1-byte type in the record header.
    dedup = pages.get("lsh", 0) + pages.get("articles_text_hash", 0) + 9 * size
    cont = pages.get("containment", 0)
    return {
        "dedup_bytes_per_article": (dedup + cont) / size if pages else None,
        "lsh_bytes_per_article": pages.get("lsh", 0) / size if pages else None,
        "containment_bytes_per_article": cont / size if pages else None,
        "file_bytes_per_article": path.stat().st_size / size,
    }


def reopen_store(size: int, path: Path) -> dict[str, Any]:
    # Imports are not what opening a store costs (datasketch, with scipy, takes a second or two).
    import datasketch  # noqa: F401

    import storage.matcher  # noqa: F401
    import storage.store  # noqa: F401

    source = _source(size)
    copy = truncated_copy if TRUNCATED_SHARE else near_copy
    text = _paragraphs(copy(size, source))
    started = time.perf_counter()
    with _open_store(path) as store:
        status = store.add_article(_record(size, text)).status
        elapsed = time.perf_counter() - started
    return {"open_first_ms": elapsed * 1e3, "open_rss_mb": _peak_rss_mb(), "status": status}


def build_reference(size: int, path: Path) -> dict[str, Any]:
    from datasketch import MinHash, MinHashLSH

    from storage import PRESETS
    from storage.minhash import signature_from_shingles, text_shingles
    from storage.normalize import words

    params = PRESETS["same-article"].params
    lsh = MinHashLSH(num_perm=params.num_perm, params=(params.bands, params.rows))
    perms = MinHash(num_perm=params.num_perm, seed=params.seed).permutations
    times = array("d")
    found = planned = 0
    for n in range(size):
        text, kind = article(n)
        is_copy = kind == "near"
        started = _clock()
        sig = signature_from_shingles(text_shingles(words(text), params), params)
        mh = MinHash(hashvalues=sig, permutations=perms, scheme="affine32")
        hits = lsh.query(mh)
        lsh.insert(n, mh, check_duplication=False)
        times.append(_clock() - started)
        planned += is_copy
        found += is_copy and bool(hits)
    median, p99 = _percentiles(times)
    rate = size / sum(times)
    with open(path, "wb") as fp:
        pickle.dump(lsh, fp, protocol=pickle.HIGHEST_PROTOCOL)
    return {
        "dedup_median_ms": median,
        "dedup_p99_ms": p99,
        "median_ms": median,
        "p99_ms": p99,
        "articles_per_s": rate,
        "peak_rss_mb": _peak_rss_mb(),
        "near_copies": planned,
        "found": found,
        "dedup_bytes_per_article": path.stat().st_size / size,
        "file_bytes_per_article": path.stat().st_size / size,
    }


def reopen_reference(size: int, path: Path) -> dict[str, Any]:
    from datasketch import MinHash

    from storage import PRESETS
    from storage.minhash import signature

    params = PRESETS["same-article"].params
    started = time.perf_counter()
    with open(path, "rb") as fp:
        lsh = pickle.load(fp)
    sig = signature(_paragraphs(near_copy(size, _source(size))), params)
    perms = MinHash(num_perm=params.num_perm, seed=params.seed).permutations
    mh = MinHash(hashvalues=sig, permutations=perms, scheme="affine32")
    hits = lsh.query(mh)
    lsh.insert(size, mh, check_duplication=False)
    elapsed = time.perf_counter() - started
    return {
        "open_first_ms": elapsed * 1e3,
        "open_rss_mb": _peak_rss_mb(),
        "status": "duplicate" if hits else "new",
    }


ENGINES = {
    "store": (build_store, reopen_store, "news.db"),
    "datasketch": (build_reference, reopen_reference, "lsh.pickle"),
}


def _child(argv: list[str]) -> int:
    global TRUNCATED_SHARE, _clock
    action, engine, size, workdir = argv[0], argv[1], int(argv[2]), Path(argv[3])
    TRUNCATED_SHARE = float(argv[4])
    CONTAINMENT_META.update(json.loads(argv[5]))
    if argv[6] == "cpu":
        _clock = time.thread_time
    build, reopen, name = ENGINES[engine]
    path = workdir / f"{engine}-{size}-{name}"
    if action == "build":
        for leftover in workdir.glob(f"{path.name}*"):
            leftover.unlink()
        figures = build(size, path)
    else:
        figures = reopen(size, path)
    print(json.dumps(figures))
    return 0


def _run(
    action: str,
    engine: str,
    size: int,
    workdir: Path,
    truncated: float,
    params: dict[str, str],
    clock: str,
) -> dict[str, Any]:
    argv = [action, engine, str(size), str(workdir), str(truncated), json.dumps(params), clock]
    out = subprocess.run(
        [sys.executable, __file__, "_child", *argv],
        capture_output=True,
        text=True,
    )
    if out.returncode:
        sys.stderr.write(out.stderr)
        raise SystemExit(f"{action} {engine} {size} failed with exit code {out.returncode}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def _fmt(value: Any, spec: str) -> str:
    if value is None:
        return format("n/a", spec.split(".")[0].rstrip("f"))
    return format(value, spec)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "_child":
        return _child(argv[1:])
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--no-reference", action="store_true", help="skip datasketch MinHashLSH")
    parser.add_argument("--engines", default=None, help="store,datasketch")
    parser.add_argument(
        "--truncated", type=float, default=0.0, help="share of truncated copies in the stream"
    )
    parser.add_argument("--keep", action="store_true", help="keep the stores built")
    parser.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="override a storage.containment.ContainmentParams field",
    )
    parser.add_argument(
        "--cpu-time", action="store_true", help="per-article times in CPU time, not wall clock"
    )
    args = parser.parse_args(argv)
    params = {f"containment_{k}": v for k, v in (item.split("=", 1) for item in args.param)}
    clock = "cpu" if args.cpu_time else "wall"
    sizes = [int(s) for s in args.sizes.split(",")]
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="dedup_scale_"))
    workdir.mkdir(parents=True, exist_ok=True)
    if args.engines:
        engines = args.engines.split(",")
    else:
        engines = ["store"] if args.no_reference else ["store", "datasketch"]
    header = (
        f"{'engine':11} {'articles':>9} {'dedup med':>9} {'dedup p99':>9} {'cont med':>8} "
        f"{'cont p99':>8} {'add med':>8} {'add p99':>8} {'art/s':>6} {'RSS MB':>6} "
        f"{'dedup B':>7} {'cont B':>6} {'file B':>6} {'open+1st':>9} {'found':>13} "
        f"{'truncated':>11}"
    )
    print(header, flush=True)
    try:
        for size in sizes:
            for engine in engines:
                built = _run("build", engine, size, workdir, args.truncated, params, clock)
                opened = _run("open", engine, size, workdir, args.truncated, params, clock)
                found = f"{built['found']}/{built['near_copies']}"
                truncated = (
                    f"{built['found_truncated']}/{built['truncated']}"
                    if "truncated" in built
                    else "n/a"
                )
                print(
                    f"{engine:11} {size:>9} {built['dedup_median_ms']:>9.3f} "
                    f"{built['dedup_p99_ms']:>9.3f} "
                    f"{_fmt(built.get('cont_median_ms'), '>8.3f')} "
                    f"{_fmt(built.get('cont_p99_ms'), '>8.3f')} {built['median_ms']:>8.3f} "
                    f"{built['p99_ms']:>8.2f} {built['articles_per_s']:>6.0f} "
                    f"{built['peak_rss_mb']:>6.0f} "
                    f"{_fmt(built.get('dedup_bytes_per_article'), '>7.0f')} "
                    f"{_fmt(built.get('containment_bytes_per_article'), '>6.0f')} "
                    f"{built['file_bytes_per_article']:>6.0f} "
                    f"{opened['open_first_ms']:>7.1f}ms {found:>13} {truncated:>11}",
                    flush=True,
                )
                if built.get("unplanned_duplicates"):
                    print(f"  ! {built['unplanned_duplicates']} unplanned duplicates", flush=True)
    finally:
        if not args.keep and args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    print(
        f"\n{os.cpu_count()} CPUs. Times in ms per article ({clock} clock; 'cpu' is the "
        "thread's CPU time). dedup = MinHash signature and band "
        "keys, exact-hash and LSH lookups with verification, LSH row inserts (for datasketch: "
        "MinHash, query, insert), and containment's work too (cont: profile, anchor "
        "lookups, verification, anchor rows); add = the whole Store.add_article (also the "
        "article row, FTS, commit). "
        "dedup B = bytes per article of LSH table + text-hash index and column + containment "
        "table (the pickle for datasketch); cont B = the containment table alone; file B = the "
        "whole file. open+1st = open in a fresh process and dedup one more article (a truncated "
        "copy with --truncated). found = near copies detected / planted; truncated = truncated "
        "copies detected / planted."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
