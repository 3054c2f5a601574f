"""Cost of the page-type decision against the whole of ``process_page``, on the shared corpus.

Runs ``process_page`` (links on, as a crawl below its last depth) over the HTML of every set of
``../shared/corpus`` in one process, and adds up the CPU time (``time.process_time``) of the
whole call and of the page-type work inside it: the measures of the page
(:func:`crawler.page.pagefeatures.read_page`), of its text (:func:`~.pagefeatures.read_text` and the
teaser share it needs) and the model's decision. Prints both per set, and the share.

    python benchmarks/pagetype_time.py [--corpus ../shared/corpus] [--limit N] [--repeat 2]
"""

from __future__ import annotations

import argparse
import functools
import gzip
import sys
import time
from pathlib import Path

import crawler.page.extract
from crawler.evaluate import LAYOUTS, find_sets
from crawler.page import pagefeatures, pagetype
from crawler.page.process import process_page

SPENT = [0.0]


def _timed(function):
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        started = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            SPENT[0] += time.process_time() - started

    return wrapper


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    default = Path(__file__).resolve().parents[2] / "shared" / "corpus"
    parser.add_argument("--corpus", type=Path, default=default)
    parser.add_argument("--limit", type=int, help="pages per set")
    parser.add_argument("--repeat", type=int, default=2, help="runs; the first warms caches")
    args = parser.parse_args(argv)

    # The page-type work, wherever extraction calls it. The teaser share is counted whole,
    # though the fixed listing rule needed it before on pages without article markup.
    pagefeatures.read_page = _timed(pagefeatures.read_page)
    pagefeatures.read_text = _timed(pagefeatures.read_text)
    pagetype.Model.decide = _timed(pagetype.Model.decide)
    crawler.page.extract.teaser_share = _timed(crawler.page.extract.teaser_share)

    pages = []
    for name, folder in find_sets(args.corpus):
        chosen = list(LAYOUTS[name][1](folder))[: args.limit]
        pages += [(name, p.url, gzip.decompress(p.html_path.read_bytes())) for p in chosen]
    totals: dict[str, list[float]] = {}
    for run in range(args.repeat):
        totals = {}
        for name, url, body in pages:
            SPENT[0] = 0.0
            result = process_page(body, url)
            entry = totals.setdefault(name, [0, 0.0, 0.0])
            entry[0] += 1
            entry[1] += result.seconds
            entry[2] += SPENT[0]
        print(f"run {run + 1} of {args.repeat} done", file=sys.stderr)
    print(f"{'set':<18}{'pages':>6}{'process_page ms':>17}{'page type ms':>14}{'share':>8}")
    whole = [0, 0.0, 0.0]
    for name, (count, seconds, typing) in totals.items():
        whole = [whole[0] + count, whole[1] + seconds, whole[2] + typing]
        print(
            f"{name:<18}{count:>6}{1000 * seconds / count:>17.1f}{1000 * typing / count:>14.2f}"
            f"{100 * typing / seconds:>7.1f}%"
        )
    count, seconds, typing = whole
    print(
        f"{'all':<18}{count:>6}{1000 * seconds / count:>17.1f}{1000 * typing / count:>14.2f}"
        f"{100 * typing / seconds:>7.1f}%"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
