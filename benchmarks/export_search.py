"""Export and search speed on a synthetic store: articles/s, CPU per article, peak RSS, latency.

Builds synthetic stores of 10k and 100k articles (~300 words each, Zipf-distributed pseudo-words,
5% of them marked as duplicates). The rows go in with one ``executemany`` INSERT per batch
straight into the ``articles`` table of a store created by ``Store.open`` — the FTS triggers
index them as a crawl would, but dedup (MinHash, LSH) is bypassed: it is not what is measured
here and would take far longer than the export itself.

Each export (JSONL, CSV, Parquet) runs in a child process (``sys.executable`` on this file with
``--child``), so its peak RSS (``VmHWM``) is that of one export alone, measured at both sizes to
show it stays flat. Besides the wall-clock rate, the child
reports the CPU time it spent per article, which does not depend on how busy the machine is;
with ``--repeat`` each export runs that many times and the median is shown. Search latency is
the median and p95 over 20 queries (single words of several frequencies, AND pairs, phrases,
prefixes), each run 3 times after one warm-up.

    python benchmarks/export_search.py [--sizes 10000,100000] [--words 300] [--keep DIR]
        [--formats jsonl,csv,parquet] [--repeat 1] [--no-search]

Goals: JSONL >= 20,000 articles/s, peak RSS <= 200 MB at every size, search median <= 50 ms.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from storage import Store
from storage.export import export

BATCH = 5_000
DUPLICATE_SHARE = 0.05
VOCAB_SIZE = 20_000
SYLLABLES = [c + v for c in "bdfgklmnprstvz" for v in "aeiou"]
SITES = [f"site{i}.example" for i in range(20)]

INSERT = (
    "INSERT INTO articles (id, url, title, text, published, authors, language, site, site_name, "
    "tags, captions, text_hash, word_count, duplicate_of, similarity, match, matched_id, "
    "fetched_at, first_seen, updated_at) "
    "VALUES (?, ?, ?, ?, ?, '[\"Ann Author\"]', 'en', ?, ?, '[]', '[]', ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def vocabulary(size: int) -> list[str]:
    """Distinct pronounceable pseudo-words, deterministic."""
    rng = random.Random(7)
    words: set[str] = set()
    while len(words) < size:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    return sorted(words, key=lambda w: (len(w), w))


def build_store(path: Path, n: int, words: int) -> float:
    """Create a store of ``n`` articles; return the seconds it took."""
    start = time.perf_counter()
    vocab = vocabulary(VOCAB_SIZE)
    # Cumulative weights computed once: rng.choices would redo the sum on every call.
    cum_weights = list(itertools.accumulate(1.0 / (rank + 1) for rank in range(len(vocab))))
    rng = random.Random(42)
    with Store.open(path) as store:
        conn = store.conn
        conn.execute("PRAGMA synchronous = OFF")
        for first in range(1, n + 1, BATCH):
            rows = []
            for i in range(first, min(first + BATCH, n + 1)):
                tokens = rng.choices(vocab, cum_weights=cum_weights, k=words)
                # Paragraphs of ~60 words, as extracted articles have.
                text = "\n".join(" ".join(tokens[j : j + 60]) for j in range(0, words, 60))
                site = SITES[i % len(SITES)]
                dup = rng.randrange(1, i) if i > 1 and rng.random() < DUPLICATE_SHARE else None
                day = f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}"
                rows.append(
                    (
                        i,
                        f"https://{site}/news/{i}",
                        " ".join(tokens[:8]).capitalize(),
                        text,
                        day,
                        site,
                        site.split(".")[0].title(),
                        rng.getrandbits(63),
                        words,
                        dup,
                        0.9 if dup else None,
                        "minhash" if dup else None,
                        dup,
                        f"{day}T12:00:00Z",
                        f"{day}T12:00:00Z",
                        f"{day}T12:00:00Z",
                    )
                )
            with conn:
                conn.executemany(INSERT, rows)
    return time.perf_counter() - start


def cpu_seconds() -> float:
    """User plus system CPU time of this process so far."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def child(fmt: str, db: str, out: str) -> None:
    """Export ``db`` to ``out`` and print rows, seconds, CPU seconds, peak RSS as JSON."""
    with Store.open(db, create=False) as store:
        start, cpu = time.perf_counter(), cpu_seconds()
        rows = export(store, out, format=fmt)
        seconds, cpu = time.perf_counter() - start, cpu_seconds() - cpu
    print(json.dumps({"rows": rows, "seconds": seconds, "cpu": cpu, "rss_mb": peak_rss_mb()}))


def peak_rss_mb() -> float:
    """Peak RSS of this process in MB.

    VmHWM where there is /proc: ru_maxrss of a child started by subprocess starts at the RSS
    the parent had when it forked, so it would count the parent's stores and search caches.
    """
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def run_export(fmt: str, db: Path, out: Path, repeat: int = 1) -> dict[str, float]:
    """Run one export ``repeat`` times, each in a child process; return the median figures."""
    runs = []
    for _ in range(repeat):
        load = os.getloadavg()[0]
        proc = subprocess.run(
            [sys.executable, __file__, "--child", fmt, str(db), str(out)],
            check=True,
            capture_output=True,
            text=True,
        )
        figures = json.loads(proc.stdout.strip().splitlines()[-1])
        figures["rate"] = figures["rows"] / figures["seconds"]
        figures["cpu_us"] = figures["cpu"] / figures["rows"] * 1e6
        figures["load"] = load
        runs.append(figures)
    result = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
    result["rss_mb"] = max(run["rss_mb"] for run in runs)
    result["mb"] = out.stat().st_size / 1e6
    return result


def queries() -> list[str]:
    """20 queries: words of several frequencies, AND pairs, phrases and prefixes."""
    vocab = vocabulary(VOCAB_SIZE)
    singles = [vocab[r] for r in (50, 200, 500, 1000, 2000, 4000, 8000, 15000)]
    pairs = [f"{vocab[a]} {vocab[b]}" for a, b in ((30, 300), (100, 1000), (400, 3000), (60, 90))]
    phrases = [f'"{vocab[a]} {vocab[b]}"' for a, b in ((0, 1), (2, 10), (5, 50), (20, 40))]
    prefixes = [f"{vocab[r][:4]}*" for r in (100, 3000)]
    mixed = [f"{vocab[10]} OR {vocab[5000]}", f"{vocab[300]} NOT {vocab[3]}"]
    return singles + pairs + phrases + prefixes + mixed


def search_latency(db: Path, repeat: int = 3) -> dict[str, float]:
    """Median and p95 search latency in ms (limit 20, default filters) over the 20 queries."""
    timings: list[float] = []
    with Store.open(db, create=False) as store:
        for query in queries():
            store.search(query)  # warm-up: page cache and FTS segments
            for _ in range(repeat):
                start = time.perf_counter()
                store.search(query)
                timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    return {
        "median_ms": statistics.median(timings),
        "p95_ms": timings[int(0.95 * (len(timings) - 1))],
        "max_ms": timings[-1],
    }


def main() -> None:
    """Build the stores, measure, print a table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000", help="store sizes, comma-separated")
    parser.add_argument("--words", type=int, default=300, help="words per article")
    parser.add_argument("--keep", help="folder to build the stores in (kept afterwards)")
    parser.add_argument("--formats", default="jsonl,csv,parquet", help="export formats to time")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each export (median)")
    parser.add_argument("--no-search", action="store_true", help="skip the search latency")
    parser.add_argument("--child", nargs=3, metavar=("FORMAT", "DB", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    formats = [f.strip() for f in args.formats.split(",") if f.strip()]
    with tempfile.TemporaryDirectory(dir=args.keep) as tmp:
        folder = Path(args.keep or tmp)
        exports = []
        latencies = []
        for n in sizes:
            db = folder / f"synthetic-{n}.db"
            if not db.exists():
                built = build_store(db, n, args.words)
                print(f"built {n} articles in {built:.1f} s ({db.stat().st_size / 1e6:.0f} MB)")
            for fmt in formats:
                figures = run_export(fmt, db, folder / f"out-{n}.{fmt}", args.repeat)
                exports.append((n, fmt, figures))
                print(f"measured {fmt} at {n}", flush=True)
            if not args.no_search:
                latencies.append((n, search_latency(db)))
    print()
    print(
        f"{'articles':>9} {'format':>8} {'art/s':>8} {'CPU us/art':>11} {'peak RSS MB':>12} "
        f"{'output MB':>10} {'load':>5}"
    )
    for n, fmt, f in exports:
        print(
            f"{n:>9} {fmt:>8} {f['rate']:>8,.0f} {f['cpu_us']:>11.1f} {f['rss_mb']:>12.0f} "
            f"{f['mb']:>10.0f} {f['load']:>5.1f}"
        )
    print(f"(exported rows are the unique articles, 95% of each store; median of {args.repeat})")
    if latencies:
        print()
        print(f"{'articles':>9} {'search median ms':>17} {'p95 ms':>7} {'max ms':>7}")
        for n, latency in latencies:
            print(
                f"{n:>9} {latency['median_ms']:>17.1f} {latency['p95_ms']:>7.1f} "
                f"{latency['max_ms']:>7.1f}"
            )


if __name__ == "__main__":
    main()
