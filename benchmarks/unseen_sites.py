"""Unseen-sites benchmark: crawl generated news worlds and score what the store holds.

Each seed gives a world never seen before (crawler.demo.cms): five or six sites in several CMS
styles and languages, junk inside and around every article, listing pages of every kind, wire
copies across sites. Each world is served on 127.0.0.1, crawled with ``newsdedup crawl``
(politeness delays off) and scored against its truth: articles carrying junk, non-article pages
stored, token F1 of the texts, captions found and leaked, near-duplicate pair precision and
recall, lost articles. Prints a table per seed and the pooled figures.

Rules are written against the development seeds (the default, 1-5); ``--fresh N`` adds N seeds
drawn from os.urandom, printed so a run can be replayed. Seeds from 1000 up are held out.

``--twice`` crawls each world a second time with the start URLs in reverse order and counts the
URLs whose stored text or story differs between the two stores (0 when the store does not depend
on the order pages arrive in).

    python benchmarks/unseen_sites.py [--seeds 1,2,3] [--fresh N] [--sites N] [--twice] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections import Counter
from pathlib import Path

from crawler.demo.cms import Scores, combine, generate
from crawler.demo.cms.run import CrawlFailed, Run, crawl_and_score

DEV_SEEDS = "1,2,3,4,5"
COLUMNS = (
    f"{'seed':>10} {'sites':>5} {'arts':>5} {'lost':>4} {'junk':>11} {'lists':>5} "
    f"{'F1':>5} {'P':>5} {'R':>5} {'capt':>5} {'leak':>5} {'dupP':>5} {'dupR':>5} "
    f"{'pairs':>5} {'crawl':>6}"
)


def fresh_seeds(count: int) -> list[int]:
    return [int.from_bytes(os.urandom(4), "big") for _ in range(count)]


def row(label: str, s: Scores, sites: int, seconds: float) -> str:
    junk = f"{len(s.junk_articles)} ({s.junk_share:.0%})"
    return (
        f"{label:>10} {sites:>5} {s.stored:>5} {len(s.lost):>4} {junk:>11} "
        f"{len(s.non_articles):>5} {s.f1:>5.3f} {s.precision:>5.3f} {s.recall:>5.3f} "
        f"{s.caption_recall:>5.2f} {s.caption_leak:>5.2f} {s.dup_precision:>5.3f} "
        f"{s.dup_recall:>5.3f} {s.dup_tp + s.dup_fn:>5} {seconds:>5.1f}s"
    )


def details(s: Scores) -> list[str]:
    kinds = ", ".join(f"{k} {n}" for k, n in s.junk_kinds.most_common())
    listing = Counter(kind for _, kind in s.non_articles)
    lines = [
        f"articles carrying junk, by kind of junk: {kinds or 'none'}",
        "non-article pages stored: "
        + (", ".join(f"{k} {n}" for k, n in listing.most_common()) or "none"),
    ]
    lines += [f"  e.g. {url}: {kind}: {text!r}" for url, kind, text in s.junk_examples[:5]]
    by_kind = s.dup_recall_by_kind()
    lines.append(
        "near-duplicate recall by the shorter copy: "
        + ", ".join(f"{k} {r:.2f} ({n} pairs)" for k, (r, n) in by_kind.items())
    )
    if s.unknown:
        lines.append(f"stored URLs the truth does not know: {len(s.unknown)}, e.g. {s.unknown[0]}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", default=DEV_SEEDS, help="comma-separated seeds (default 1-5)")
    parser.add_argument("--fresh", type=int, default=0, help="add N seeds drawn at random")
    parser.add_argument("--sites", type=int, default=None, help="sites per world (default 5-6)")
    parser.add_argument("--keep", type=Path, default=None, help="keep worlds and stores here")
    parser.add_argument(
        "--twice", action="store_true", help="crawl again in reverse order and compare the stores"
    )
    args = parser.parse_args(argv)
    try:
        seeds = [int(s) for s in args.seeds.split(",") if s.strip()]
    except ValueError:
        parser.error(f"--seeds must be comma-separated whole numbers, got {args.seeds!r}")
    fresh = fresh_seeds(args.fresh)
    if fresh:
        print(f"fresh seeds: {','.join(map(str, fresh))}")
    if args.keep is not None:
        return bench(seeds + fresh, args.keep, args.sites, args.twice)
    with tempfile.TemporaryDirectory(prefix="unseen-sites-") as tmp:
        return bench(seeds + fresh, Path(tmp), args.sites, args.twice)


def fresh_db(path: Path) -> Path:
    for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        leftover.unlink(missing_ok=True)
    return path


def order_differences(first: Run, second: Run) -> tuple[int, int]:
    """(URLs whose stored text differs, URLs whose story differs) between two crawls."""
    urls = set(first.fingerprint) | set(second.fingerprint)
    texts = stories = 0
    for url in urls:
        a, b = first.fingerprint.get(url), second.fingerprint.get(url)
        if a is None or b is None:
            texts += 1
            stories += 1
            continue
        texts += a["text_sha256"] != b["text_sha256"]
        stories += a["story"] != b["story"]
    return texts, stories


def bench(seeds: list[int], workdir: Path, sites_per_world: int | None, twice: bool) -> int:
    """Generate, crawl and score each seed's world under ``workdir``; print the tables."""
    runs: list[Run] = []
    print(COLUMNS)
    for seed in seeds:
        world = workdir / f"world-{seed}"
        truth = generate(seed, world, sites=sites_per_world)
        try:
            run = crawl_and_score(world, fresh_db(workdir / f"crawl-{seed}.db"))
            again = None
            if twice:
                again = crawl_and_score(
                    world, fresh_db(workdir / f"crawl-{seed}-rev.db"), reverse=True
                )
        except CrawlFailed as exc:
            print(f"{seed:>10} crawl failed: {exc}", file=sys.stderr)
            return 1
        runs.append(run)
        line = row(str(seed), run.scores, len(truth.sites), run.seconds)
        if again is not None:
            texts, stories = order_differences(run, again)
            line += f"  reversed order: {texts} texts, {stories} stories differ"
        print(line, flush=True)
    pooled = combine(run.scores for run in runs)
    sites = sum(len(run.truth.sites) for run in runs)
    seconds = sum(run.seconds for run in runs) / len(runs)
    print(row("all", pooled, sites, seconds) + " (mean)")
    print()
    print("\n".join(details(pooled)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
