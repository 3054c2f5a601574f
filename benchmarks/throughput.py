"""Crawl throughput: ``newsdedup crawl`` against extraction alone, trafilatura CLI, news-please.

Writes the aeb+fundus pages of the shared corpus (the demo world's articles when the corpus is
absent) as at least 2,000 pages under distinct URLs, with an index page linking them all, and
serves them from a local HTTP server (``python -m http.server``, HTTP/1.1, its own process).
Every copy is made unique: a marker word proper to the copy follows every third word of the
page's text (never inside tags, scripts or styles), so no two copies share a shingle and dedup
keeps them all apart (pages without spaces between words, as in Chinese or Japanese, stay alike:
their copies count as duplicates, and the table says how many).

Then, on the same pages and machine, it measures

(a)  the ceiling: trafilatura alone (``extract``) on the same HTML in N processes, no network;
(m)  the same with ``with_metadata=True`` (title, author, date...), which a news corpus needs
     and (a) leaves out;
(p)  ``process_page`` (extraction and cleaning; links off, as the crawl at its last depth) in a
     ``PagePool`` of N workers that compress each article's page for the store, as the crawl's
     do (the crawl's store signs the articles); no network, no store: the crawl's own ceiling;
(b)  ``newsdedup crawl`` of the index page into a fresh store, politeness delays off
     (AutoThrottle off, DOWNLOAD_DELAY 0, 32 concurrent requests, robots.txt not fetched),
     DEPTH_LIMIT 1 (the index's links; the pages' own relative links lead nowhere here);
     optional variants: ``k`` the same without keeping raw HTML, ``0`` with every page parsed
     in the crawl process itself (NEWSDEDUP_WORKERS=0, as before the page workers);
(c)  trafilatura's command line over the same URL list: ``--parallel N``, ``SLEEP_TIME = 0``
     and ``SSRF_PROTECTION = off`` (it refuses loopback addresses otherwise) through
     ``--config-file``;
(d)  news-please (``NewsPlease.from_urls``, in batches, images off) in its own virtualenv,
     when there is one (``--install-news-please`` creates it from PyPI).

and prints pages/s, CPU seconds per page and peak memory of each process tree, and the ratios
(b)/(a), (b)/(m), (b)/(p), (b)/(c), (b)/(d); for the crawl, also the CPU of the crawl process itself
(downloads, pipelines, store) apart from its page workers. Pages/s are wall-clock: run it on a
quiet machine. CPU seconds per page hardly depend on other load, so compare those on a busy one.

    python benchmarks/throughput.py [--pages 2000] [--workers N] [--only apbcd] (also m, k, 0)
        [--news-please-venv DIR] [--install-news-please] [--keep DIR]
"""

from __future__ import annotations

import argparse
import configparser
import functools
import gzip
import json
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import proctree

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"
DEMO_WORLD = ROOT / "crawler" / "demo" / "site"
DEFAULT_NEWS_PLEASE_VENV = Path(tempfile.gettempdir()) / "newsdedup-news-please"
# How often the process trees are sampled for CPU and memory, in seconds.
SAMPLE_EVERY = 0.1
# news-please downloads a whole batch with one thread per URL before extracting it.
NEWS_PLEASE_BATCH = 100

# ---------------------------------------------------------------------- the pages


def corpus_pages(corpus: Path) -> list[tuple[str, bytes]]:
    """Return (name, html) of the aeb and fundus pages, or [] when the corpus is absent."""
    files = sorted((corpus / "aeb" / "html").glob("*.html.gz"))
    files += sorted((corpus / "fundus" / "html").glob("*.html.gz"))
    return [
        (path.name.removesuffix(".html.gz"), gzip.decompress(path.read_bytes())) for path in files
    ]


def demo_pages() -> list[tuple[str, bytes]]:
    """Return (name, html) of the demo world's article pages."""
    truth = json.loads((DEMO_WORLD / "truth.json").read_text(encoding="utf-8"))
    pages = []
    for url, entry in sorted(truth["articles"].items()):
        path = url.split("/", 3)[3]
        file = DEMO_WORLD / entry["site"] / path
        file = file if file.suffix == ".html" else file / "index.html"
        if file.is_file():
            pages.append((f"{entry['site']}-{Path(path).name or 'index'}", file.read_bytes()))
    return pages


_NOT_TEXT = re.compile(
    r"(<script\b.*?</script\s*>|<style\b.*?</style\s*>|<!--.*?-->|<[^>]*>)", re.I | re.S
)
_THREE_WORDS = re.compile(r"\S+\s+\S+\s+\S+")


def marker(copy: int) -> str:
    """Return the marker word of copy number ``copy``: letters only, one spelling per copy."""
    letters = ""
    while True:
        copy, digit = divmod(copy, 26)
        letters = chr(ord("a") + digit) + letters
        if not copy:
            return f"zq{letters}x"


def make_unique(html: str, copy: int) -> str:
    """Return ``html`` with the copy's marker after every third word of its text."""
    word = marker(copy)
    parts = _NOT_TEXT.split(html)
    for index in range(0, len(parts), 2):  # even parts are text, odd parts what split matched
        parts[index] = _THREE_WORDS.sub(lambda match: f"{match.group(0)} {word}", parts[index])
    return "".join(parts)


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:60] or "page"


def write_site(pages: list[tuple[str, bytes]], folder: Path, count: int) -> list[str]:
    """Write ``count`` unique copies of ``pages`` and an index linking them; return their paths."""
    paths = []
    for number in range(count):
        name, html = pages[number % len(pages)]
        path = f"/news/{number:05d}/{slug(name)}.html"
        text = make_unique(html.decode("utf-8", "replace"), number // len(pages))
        file = folder / path.lstrip("/")
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(text, encoding="utf-8")
        paths.append(path)
    links = "\n".join(f'<li><a href="{path}">page {n}</a></li>' for n, path in enumerate(paths))
    (folder / "index.html").write_text(
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Index</title></head>'
        f"<body><h1>All pages</h1><ul>\n{links}\n</ul></body></html>\n",
        encoding="utf-8",
    )
    return paths


# ---------------------------------------------------------------------- serving


class Server:
    """``python -m http.server`` on 127.0.0.1 in its own process (not part of any measurement)."""

    def __init__(self, folder: Path) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "http.server",
                "--bind",
                "127.0.0.1",
                "--protocol",
                "HTTP/1.1",
                "--directory",
                str(folder),
                str(self.port),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{self.base}/index.html", timeout=5):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    def close(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


# ---------------------------------------------------------------------- measuring


@dataclass
class Figures:
    """What one measured command did: pages, wall seconds, CPU seconds, peak memory."""

    name: str
    pages: int
    seconds: float
    cpu: float = 0.0
    peak_rss: int = 0
    peak_pss: int = 0
    note: str = ""
    load: float = 0.0  # load average when it started
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def rate(self) -> float:
        return self.pages / self.seconds if self.seconds else 0.0


def run_measured(name: str, args: list[str], env: dict[str, str] | None = None) -> Figures:
    """Run ``args`` to the end, sampling its process tree; return its figures and output.

    CPU is the tree's user+system time, including children it reaped (workers replaced on the
    way), as last sampled; RSS sums every process of the tree (pages shared after a fork counted
    in each), PSS shares them out. A command whose last output line is JSON gives its pages, and
    its own seconds when it timed its work after start-up.
    """
    started = time.perf_counter()
    process = subprocess.Popen(
        args, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    peaks = [0.0, 0, 0]  # CPU seconds, RSS, PSS
    own = [0.0]  # CPU seconds of the command's own process, without its children
    done = threading.Event()

    def sample() -> None:
        # The tree's CPU includes what each process's reaped children used, so a worker that
        # ends moves into its parent's figure: the sum only grows, and its peak is the total.
        while not done.is_set():
            cpu, rss, pss = proctree.usage(proctree.process_tree(process.pid))
            fields = proctree.stat(process.pid)
            if fields is not None:
                own[0] = max(own[0], proctree.cpu_seconds(fields, children=False))
            peaks[:] = [max(peaks[0], cpu), max(peaks[1], rss), max(peaks[2], pss)]
            done.wait(SAMPLE_EVERY)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = process.communicate()
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    figures = Figures(name, 0, seconds, peaks[0], int(peaks[1]), int(peaks[2]))
    figures.extra = {
        "stdout": out,
        "stderr": err,
        "returncode": process.returncode,
        "own_cpu": own[0],
    }
    last = out.strip().splitlines()[-1] if out.strip() else ""
    if last.startswith("{"):
        reported = json.loads(last)
        figures.seconds = reported.get("seconds", seconds)
        figures.pages = reported.get("pages", 0)
    return figures


# ---------------------------------------------------------------------- the contenders


def phase_ceiling(
    folder: Path, paths: list[str], workers: int, extract: Callable[[str], int] | None = None
) -> None:
    """(a): trafilatura.extract on every page file in ``workers`` processes; prints JSON.

    ``extract`` is what runs on each file (default :func:`_extract_file`).
    """
    import multiprocessing

    extract = extract or _extract_file
    files = [str(folder / path.lstrip("/")) for path in paths]
    with multiprocessing.get_context("forkserver").Pool(workers) as pool:
        pool.map(extract, files[:workers])  # start and warm the workers
        started = time.perf_counter()
        texts = sum(pool.imap_unordered(extract, files, chunksize=4))
        print(
            json.dumps(
                {"seconds": time.perf_counter() - started, "pages": len(files), "texts": texts}
            )
        )


def _extract_file(path: str, with_metadata: bool = False) -> int:
    import trafilatura

    with open(path, "rb") as page:
        return int(bool(trafilatura.extract(page.read(), with_metadata=with_metadata)))


def _extract_file_with_metadata(path: str) -> int:
    return _extract_file(path, with_metadata=True)


def phase_pool(folder: Path, paths: list[str], workers: int) -> None:
    """(p): process_page on every page file in a PagePool of ``workers``; prints JSON."""
    from collections import deque
    from concurrent.futures import Future

    from crawler.page.pool import PagePool

    # As in the crawl: the workers compress kept pages; the store signs the articles.
    with PagePool(workers, keep_html=True) as pool:
        pool.start()
        started = time.perf_counter()
        window: deque[Future[object]] = deque()
        articles = 0
        for path in paths:
            if len(window) >= pool.max_in_flight:
                articles += window.popleft().result().ok  # type: ignore[attr-defined]
            body = (folder / path.lstrip("/")).read_bytes()
            window.append(pool.submit(body, f"http://127.0.0.1{path}", "utf-8", links=False))
        articles += sum(future.result().ok for future in window)  # type: ignore[attr-defined]
        print(
            json.dumps(
                {"seconds": time.perf_counter() - started, "pages": len(paths), "texts": articles}
            )
        )


PHASES: dict[str, Callable[[Path, list[str], int], None]] = {
    "ceiling": phase_ceiling,
    "ceiling_metadata": functools.partial(phase_ceiling, extract=_extract_file_with_metadata),
    "pool": phase_pool,
}


def run_phase(name: str, label: str, folder: Path, paths_file: Path, workers: int) -> Figures:
    me = [sys.executable, str(Path(__file__).resolve()), "_phase", name]
    figures = run_measured(label, [*me, str(folder), str(paths_file), str(workers)])
    if figures.extra["returncode"] != 0:
        sys.exit(f"{label} failed:\n{str(figures.extra['stderr'])[-3000:]}")
    texts = json.loads(str(figures.extra["stdout"]).strip().splitlines()[-1])["texts"]
    figures.note = f"{texts} with text; timed after the workers started"
    return figures


def crawl_outcomes(db: Path) -> tuple[int, Counter[str]]:
    """Return (article pages fetched, outcome/reason counts) from a crawl's fetch log."""
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT outcome, reason FROM fetches WHERE url LIKE '%/news/%'"
        ).fetchall()
    counts = Counter(
        outcome if outcome != "rejected" else f"rejected {reason}" for outcome, reason in rows
    )
    return len(rows), counts


def run_crawl(
    server: Server, folder: Path, workers: int, name: str = "(b) newsdedup crawl", **more: str
) -> Figures:
    db = folder / "crawl.db"
    for stale in folder.glob("crawl.db*"):
        stale.unlink()
    settings = {
        "AUTOTHROTTLE_ENABLED": "0",
        "DOWNLOAD_DELAY": "0",
        "CONCURRENT_REQUESTS": "32",
        "CONCURRENT_REQUESTS_PER_DOMAIN": "32",
        "ROBOTSTXT_OBEY": "0",
        "DEPTH_LIMIT": "1",
        "NEWSDEDUP_WORKERS": str(workers),
        **more,
    }
    args = [sys.executable, "-m", "crawler.cli", "crawl", f"{server.base}/", "--db", str(db)]
    args += [arg for name, value in settings.items() for arg in ("-s", f"{name}={value}")]
    figures = run_measured(name, args)
    if figures.extra["returncode"] != 0:
        sys.exit(f"the crawl failed:\n{str(figures.extra['stderr'])[-3000:]}")
    figures.pages, counts = crawl_outcomes(db)
    summary = str(figures.extra["stdout"])
    own = re.search(r"Crawled (\d+) pages in ([\d.]+) s", summary)
    timer = f"; its own timer {int(own[1]) / float(own[2]):.1f} pages/s" if own else ""
    crawl_cpu = float(figures.extra["own_cpu"])  # type: ignore[arg-type]
    split = (
        f"; CPU s/page: crawl process {crawl_cpu / figures.pages:.4f}, page workers and the "
        f"rest {(figures.cpu - crawl_cpu) / figures.pages:.4f}"
        if figures.pages
        else ""
    )
    figures.note = ", ".join(f"{name} {n}" for name, n in counts.most_common()) + timer + split
    return figures


def trafilatura_config(folder: Path) -> Path:
    """Write trafilatura's own settings.cfg with no sleep and loopback allowed; return its path."""
    import trafilatura

    config = configparser.ConfigParser()
    config.read(Path(trafilatura.__file__).parent / "settings.cfg", encoding="utf-8")
    config["DEFAULT"]["SLEEP_TIME"] = "0"
    config["DEFAULT"]["SSRF_PROTECTION"] = "off"
    path = folder / "trafilatura.cfg"
    with path.open("w", encoding="utf-8") as out:
        config.write(out)
    return path


def run_trafilatura_cli(folder: Path, urls_file: Path, workers: int) -> Figures:
    out = folder / "trafilatura-out"
    shutil.rmtree(out, ignore_errors=True)
    command = shutil.which("trafilatura", path=str(Path(sys.executable).parent)) or "trafilatura"
    args = [command, "-i", str(urls_file), "--parallel", str(workers), "-v"]
    args += ["--config-file", str(trafilatura_config(folder)), "-o", str(out)]
    figures = run_measured("(c) trafilatura CLI", args)
    if figures.extra["returncode"] != 0:
        sys.exit(f"trafilatura failed:\n{str(figures.extra['stderr'])[-3000:]}")
    figures.pages = len(urls_file.read_text(encoding="utf-8").split())
    # Its output files are named by a hash of their words, so copies of one page overwrite each
    # other: count what it gave up on instead (-v logs each).
    log = str(figures.extra["stderr"])
    failed = log.count("discarding data") + log.count("No result for URL")
    figures.note = f"{figures.pages - failed} with text"
    return figures


NEWS_PLEASE_SCRIPT = """
import json, sys, time
from newsplease import NewsPlease
urls = open(sys.argv[1], encoding="utf-8").read().split()
batch = int(sys.argv[2])
texts = 0
for start in range(0, len(urls), batch):
    found = NewsPlease.from_urls(
        urls[start:start + batch], request_args={"timeout": 30}, fetch_images=False
    )
    texts += sum(1 for article in found.values() if getattr(article, "maintext", None))
print(json.dumps({"pages": len(urls), "texts": texts}))
"""


def install_news_please(venv: Path) -> None:
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "news-please"], check=True
    )


def run_news_please(venv: Path, urls_file: Path) -> Figures:
    python = venv / "bin" / "python"
    args = [str(python), "-c", NEWS_PLEASE_SCRIPT, str(urls_file), str(NEWS_PLEASE_BATCH)]
    figures = run_measured("(d) news-please", args)
    if figures.extra["returncode"] != 0:
        figures.note = f"failed: {str(figures.extra['stderr']).strip().splitlines()[-1:]}"
        return figures
    texts = json.loads(str(figures.extra["stdout"]).strip().splitlines()[-1])["texts"]
    figures.note = f"{texts} with text; extraction in os.cpu_count() processes"
    return figures


# ---------------------------------------------------------------------- report


def mib(value: int) -> str:
    return f"{value / 2**20:.0f} MiB"


def table(results: list[Figures]) -> str:
    lines = [
        f"| {'':<26} | pages | seconds | pages/s | CPU s/page | peak RSS | peak PSS |",
        f"|{'-' * 28}|------:|--------:|--------:|-----------:|---------:|---------:|",
    ]
    for figures in results:
        per = figures.cpu / figures.pages if figures.pages else 0.0
        lines.append(
            f"| {figures.name:<26} | {figures.pages:5d} | {figures.seconds:7.1f} | "
            f"{figures.rate:7.1f} | {per:10.4f} | {mib(figures.peak_rss):>8} | "
            f"{mib(figures.peak_pss):>8} |"
        )
    return "\n".join(lines)


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
    if key == "a":
        figures = run_phase("ceiling", "(a) trafilatura alone", site, paths_file, args.workers)
    elif key == "m":
        label = "(m) trafilatura + metadata"
        figures = run_phase("ceiling_metadata", label, site, paths_file, args.workers)
    elif key == "p":
        label = "(p) process_page in PagePool"
        figures = run_phase("pool", label, site, paths_file, args.workers)
    elif key == "b":
        figures = run_crawl(server, folder, args.workers)
    elif key == "k":
        label = "(b) without raw HTML"
        figures = run_crawl(server, folder, args.workers, label, NEWSDEDUP_KEEP_HTML="0")
    elif key == "0":
        figures = run_crawl(server, folder, 0, "(b) pages in the reactor")
    elif key == "c":
        figures = run_trafilatura_cli(folder, urls_file, args.workers)
    elif key == "d" and (args.news_please_venv / "bin" / "python").exists():
        figures = run_news_please(args.news_please_venv, urls_file)
    elif key == "d":
        print(f"(d) skipped: no virtualenv at {args.news_please_venv}; --install-news-please")
        return None
    else:
        sys.exit(f"--only: unknown measurement {key!r}; choose among a m p b k 0 c d")
    figures.load = load
    return figures


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--pages", type=int, default=2000, help="Pages to serve (at least).")
    parser.add_argument("--workers", type=int, default=len(os.sched_getaffinity(0)))
    parser.add_argument(
        "--only",
        default="apbcd",
        help="Which to run: a p b c d, (a) with metadata m, and the crawl variants k 0.",
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
    args = parser.parse_args(argv)

    pages = corpus_pages(args.corpus)
    source = f"aeb+fundus ({len(pages)} pages)"
    if not pages:
        pages = demo_pages()
        source = f"demo world articles ({len(pages)}; {args.corpus} is absent)"
    folder = args.keep or Path(tempfile.mkdtemp(prefix="throughput-bench-"))
    site = folder / "site"
    shutil.rmtree(site, ignore_errors=True)
    paths = write_site(pages, site, args.pages)
    paths_file = folder / "paths.txt"
    paths_file.write_text("\n".join(paths), encoding="utf-8")
    megabytes = sum(f.stat().st_size for f in site.rglob("*.html")) / 2**20
    print(
        f"pages: {source} as {len(paths)} unique copies ({megabytes:.0f} MiB of HTML) and an "
        f"index; {args.workers} workers; load average {os.getloadavg()[0]:.2f}",
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
    crawl = results.get("b")
    if crawl is not None:
        ratios = (("a", "(b)/(a)"), ("m", "(b)/(m)"), ("p", "(b)/(p)"), ("c", "(b)/(c)"))
        for key, label in (*ratios, ("d", "(b)/(d)")):
            other = results.get(key)
            if other is not None and other.rate:
                print(f"{label} = {crawl.rate / other.rate:.2f}")
    print(
        "\n(a), (m) and (p) are timed after their workers started; (b), (c) and (d) are the whole "
        "command as a user runs it (start-up included). CPU is the whole process tree's. RSS "
        "sums every process of the tree; PSS counts pages shared by forked processes once."
        f"\nload average at the end {os.getloadavg()[0]:.2f}"
    )


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "_phase":
        name, folder, paths_file, workers = sys.argv[2:6]
        paths = Path(paths_file).read_text(encoding="utf-8").split()
        PHASES[name](Path(folder), paths, int(workers))
    else:
        main()
