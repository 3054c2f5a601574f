"""Throughput as users feel it: ``newsdedup crawl`` and ``ingest`` against extraction alone.

Builds a site of at least 2,000 real pages (see ``throughput_site``: the aeb+fundus pages of the
shared corpus, each copy made unique, gzip-served, with the links of a real site: menus, further
stories, other sites, missing pages and a folder robots.txt disallows) and measures, on the same
pages and machine:

(a)  the ceiling: trafilatura alone (``extract``) on the same HTML in N processes, no network;
(m)  the same with ``with_metadata=True`` (title, author, date...), which a news corpus needs
     and (a) leaves out;
(p)  ``process_page`` (extraction and cleaning; links off) in a ``PagePool`` of N workers that
     compress each article's page for the store; no network, no store;
(b)  ``newsdedup crawl`` of the index into a fresh store as a user runs it: robots.txt obeyed,
     the default depth, links extracted, filtered and followed; politeness delays off
     (AutoThrottle off, DOWNLOAD_DELAY 0, 32 concurrent requests);
(1)  the former (b): the index's links only (``DEPTH_LIMIT 1``, the index linking every page),
     robots.txt not fetched, so the cost of link handling shows; optional variants of (b):
     ``k`` without keeping raw HTML, ``0`` with every page parsed in the crawl process itself;
(i)  ``newsdedup ingest`` of the same pages from one WARC file into a fresh store;
(f)  the same from the folder of saved pages (``.html.gz`` with a ``.json`` sidecar each);
(c)  trafilatura's command line over the page URLs: ``--parallel N``, ``SLEEP_TIME = 0`` and
     ``SSRF_PROTECTION = off`` (it refuses loopback addresses otherwise);
(d)  news-please (``NewsPlease.from_urls``, in batches, images off) in its own virtualenv,
     when there is one (``--install-news-please`` creates it from PyPI).

and prints pages/s, CPU seconds per page (the whole process tree, and for newsdedup the main
process apart from its page processes), peak memory summed over the tree (RSS, and PSS, which
counts pages shared by forked processes once, as a cgroup does), the memory every 1,000 pages
of the newsdedup rows, and the ratios to the ceilings. Pages/s are wall-clock: run it on a quiet
machine. CPU seconds per page hardly depend on other load, so compare those on a busy one.
``--profile DIR`` runs the main process of (b), (1), (i) and (f) under cProfile, timed in CPU
seconds.

    python benchmarks/throughput.py [--pages 2000] [--workers N] [--only amp1bifcd] (also k 0)
        [--news-please-venv DIR] [--install-news-please] [--keep DIR] [--profile DIR]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

from throughput_rows import (
    PHASES,
    Figures,
    install_news_please,
    run_crawl,
    run_ingest,
    run_news_please,
    run_phase,
    run_trafilatura_cli,
)
from throughput_site import Server, corpus_pages, demo_pages, first_level, write_site, write_warc

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"
DEFAULT_NEWS_PLEASE_VENV = Path(tempfile.gettempdir()) / "newsdedup-news-please"


# ---------------------------------------------------------------------- report


def mib(value: int) -> str:
    return f"{value / 2**20:.0f} MiB"


def per_page(seconds: float, figures: Figures) -> str:
    return f"{seconds / figures.pages:.4f}" if figures.pages else "-"


def table(results: list[Figures]) -> str:
    lines = [
        f"| {'':<32} | pages | pages/s | CPU s/page | main process | page processes "
        "| peak RSS | peak PSS | main PSS |",
        f"|{'-' * 34}|------:|--------:|-----------:|-------------:|---------------:"
        "|---------:|---------:|---------:|",
    ]
    for figures in results:
        main_cpu = per_page(figures.main_cpu, figures) if figures.main_role else "-"
        rest = per_page(figures.cpu - figures.main_cpu, figures) if figures.main_role else "-"
        main_pss = mib(figures.main_pss) if figures.main_role else "-"
        lines.append(
            f"| {figures.name:<32} | {figures.pages:5d} | {figures.rate:7.1f} | "
            f"{per_page(figures.cpu, figures):>10} | {main_cpu:>12} | {rest:>14} | "
            f"{mib(figures.peak_rss):>8} | {mib(figures.peak_pss):>8} | {main_pss:>8} |"
        )
    return "\n".join(lines)


def curves(results: list[Figures]) -> str:
    """Memory of each newsdedup row every 1,000 pages: summed PSS (summed RSS), main PSS."""
    lines = []
    for figures in results:
        if figures.curve:
            points = ", ".join(
                f"{point.done}: {point.pss / 2**20:.0f} ({point.rss / 2**20:.0f}) "
                f"main {point.root_pss / 2**20:.0f}"
                for point in figures.curve
            )
            lines.append(f"{figures.name}, MiB at fetches logged: {points}")
    return "\n".join(lines)


CRAWL_ROWS = {
    # key: (label, start page, more settings); the default depth is DEPTH_LIMIT's, 3.
    "b": ("(b) newsdedup crawl", "/", {}),
    "1": (
        "(1) index only, depth 1, no robots",
        "/all.html",
        {"DEPTH_LIMIT": "1", "ROBOTSTXT_OBEY": "0"},
    ),
    "k": ("(k) (b) without raw HTML", "/", {"NEWSDEDUP_KEEP_HTML": "0"}),
    "0": ("(0) (b), pages in the reactor", "/", {"NEWSDEDUP_WORKERS": "0"}),
}


def measure(
    key: str,
    args: argparse.Namespace,
    server: Server,
    folder: Path,
    site: Path,
    paths_file: Path,
    urls_file: Path,
) -> Figures | None:
    """Run the measurement named ``key`` once; None when it cannot run here."""
    load = os.getloadavg()[0]
    profile = args.profile / f"{key}.prof" if args.profile else None
    if key == "a":
        figures = run_phase("ceiling", "(a) trafilatura alone", site, paths_file, args.workers)
    elif key == "m":
        label = "(m) trafilatura + metadata"
        figures = run_phase("ceiling_metadata", label, site, paths_file, args.workers)
    elif key == "p":
        label = "(p) process_page in PagePool"
        figures = run_phase("pool", label, site, paths_file, args.workers)
    elif key in CRAWL_ROWS:
        label, start, more = CRAWL_ROWS[key]
        workers = args.workers if key != "0" else 0
        more = {name: value for name, value in more.items() if name != "NEWSDEDUP_WORKERS"}
        figures = run_crawl(server, folder, workers, label, start, profile, **more)
    elif key == "i":
        warc = write_warc(site, paths_file.read_text(encoding="utf-8").split(), folder / "warc")
        label = "(i) newsdedup ingest, WARC"
        figures = run_ingest(warc, folder, args.workers, label, profile)
    elif key == "f":
        label = "(f) newsdedup ingest, saved pages"
        figures = run_ingest(site / "news", folder, args.workers, label, profile)
    elif key == "c":
        figures = run_trafilatura_cli(folder, urls_file, args.workers)
    elif key == "d" and (args.news_please_venv / "bin" / "python").exists():
        figures = run_news_please(args.news_please_venv, urls_file)
    elif key == "d":
        print(f"(d) skipped: no virtualenv at {args.news_please_venv}; --install-news-please")
        return None
    else:
        sys.exit(f"--only: unknown measurement {key!r}; choose among a m p b 1 k 0 i f c d")
    figures.load = load
    return figures


RATIOS = (
    ("b", "a"), ("b", "m"), ("b", "p"), ("b", "c"), ("b", "d"), ("1", "m"), ("b", "1"),
    ("i", "m"), ("f", "m"),
)  # fmt: skip


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--pages", type=int, default=2000, help="Pages to serve (at least).")
    parser.add_argument("--workers", type=int, default=len(os.sched_getaffinity(0)))
    parser.add_argument(
        "--only",
        default="amp1bifcd",
        help="Which to run: a m p b 1 i f c d, and the crawl variants k 0.",
    )
    parser.add_argument("--news-please-venv", type=Path, default=DEFAULT_NEWS_PLEASE_VENV)
    parser.add_argument(
        "--install-news-please",
        action="store_true",
        help="Create --news-please-venv and pip install news-please into it first.",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="Run everything this many times, interleaved; report each one's best run.",
    )
    parser.add_argument("--keep", type=Path, help="Write the site and stores in this folder.")
    parser.add_argument(
        "--profile",
        type=Path,
        help="Write cProfile stats of the newsdedup rows' main process here.",
    )
    args = parser.parse_args(argv)

    pages = corpus_pages(args.corpus)
    source = f"aeb+fundus ({len(pages)} pages)"
    if not pages:
        pages = demo_pages()
        source = f"demo world articles ({len(pages)}; {args.corpus} is absent)"
    folder = args.keep or Path(tempfile.mkdtemp(prefix="throughput-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    if args.profile:
        args.profile.mkdir(parents=True, exist_ok=True)
    site = folder / "site"
    shutil.rmtree(site, ignore_errors=True)
    shutil.rmtree(folder / "warc", ignore_errors=True)
    paths = write_site(pages, site, args.pages)
    paths_file = folder / "paths.txt"
    paths_file.write_text("\n".join(paths), encoding="utf-8")
    megabytes = sum(f.stat().st_size for f in site.rglob("*.html.gz")) / 2**20
    print(
        f"pages: {source} as {len(paths)} unique linked copies ({megabytes:.0f} MiB gzip), an "
        f"index of {first_level(len(paths))} and robots.txt; {args.workers} workers; "
        f"load average {os.getloadavg()[0]:.2f}",
        flush=True,
    )
    if args.install_news_please and not (args.news_please_venv / "bin" / "python").exists():
        install_news_please(args.news_please_venv)

    server = Server(site)
    urls_file = folder / "urls.txt"
    urls_file.write_text("\n".join(f"{server.base}{path}" for path in paths), encoding="utf-8")
    results: dict[str, Figures] = {}
    try:
        for _round in range(args.repeat):
            for key in args.only:
                figures = measure(key, args, server, folder, site, paths_file, urls_file)
                if figures is None:
                    continue
                figures.note += f"; load average {figures.load:.2f} when it started"
                print(f"  {figures.name}: {figures.rate:.1f} pages/s", flush=True)
                if key not in results or figures.rate > results[key].rate:
                    results[key] = figures
    finally:
        server.close()

    print()
    print(table(list(results.values())))
    print()
    for figures in results.values():
        if figures.note:
            print(f"{figures.name}: {figures.note}")
    print(curves(list(results.values())))
    for top, bottom in RATIOS:
        if top in results and bottom in results and results[bottom].rate:
            ratio = results[top].rate / results[bottom].rate
            cpu = (
                results[bottom].cpu
                / results[bottom].pages
                / (results[top].cpu / results[top].pages)
            )
            print(f"({top})/({bottom}) = {ratio:.2f} in pages/s, {cpu:.2f} in CPU per page")
    print(
        "\n(a), (m) and (p) are timed after their workers started; the other rows are the whole "
        "command as a user runs it (start-up included). CPU is the whole process tree's; for "
        "newsdedup also its main process alone (crawl: downloads, spider, pipelines, store; "
        "ingest: reading, store) and the rest (page processes, their forkserver). RSS sums every "
        "process of the tree; PSS counts pages shared by forked processes once."
        f"\nload average at the end {os.getloadavg()[0]:.2f}"
    )


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "_phase":
        name, folder, paths_file, workers = sys.argv[2:6]
        paths = Path(paths_file).read_text(encoding="utf-8").split()
        PHASES[name](Path(folder), paths, int(workers))
    else:
        main()
