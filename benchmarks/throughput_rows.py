"""The rows of the throughput benchmark: each runs one command on the site's pages and measures it.

Every command runs in its own process tree, sampled by :class:`proctree.Sampler` for CPU time
(the main process apart from its page processes) and memory (RSS and PSS summed over the tree,
and a curve per 1,000 pages for the commands that write a store).
"""

from __future__ import annotations

import configparser
import functools
import gzip
import json
import re
import shutil
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import proctree
from throughput_site import Server

ROOT = Path(__file__).resolve().parents[1]
# How often the process trees are sampled for CPU and memory, in seconds.
SAMPLE_EVERY = 0.1
# news-please downloads a whole batch with one thread per URL before extracting it.
NEWS_PLEASE_BATCH = 100


@dataclass
class Figures:
    """What one measured command did: pages, wall seconds, CPU seconds, peak memory."""

    name: str
    pages: int
    seconds: float
    cpu: float = 0.0
    main_cpu: float = 0.0  # the command's own process, without its page processes
    peak_rss: int = 0
    peak_pss: int = 0
    main_pss: int = 0
    note: str = ""
    load: float = 0.0  # load average when it started
    main_role: str = ""  # what the main process does, when its CPU is reported apart
    curve: list[proctree.Point] = field(default_factory=list)
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def rate(self) -> float:
        return self.pages / self.seconds if self.seconds else 0.0


def fetch_count(db: Path) -> Callable[[], int]:
    """A progress callable: how many fetches the store at ``db`` has logged so far."""

    def count() -> int:
        try:
            with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
                return int(conn.execute("SELECT count(*) FROM fetches").fetchone()[0])
        except sqlite3.Error:
            return 0

    return count


def run_measured(
    name: str,
    args: list[str],
    env: dict[str, str] | None = None,
    progress: Callable[[], int] | None = None,
) -> Figures:
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
    sampler = proctree.Sampler(process.pid, SAMPLE_EVERY, progress)
    out, err = process.communicate()
    seconds = time.perf_counter() - started
    peaks = sampler.stop()
    figures = Figures(
        name, 0, seconds, peaks.cpu, peaks.root_cpu, peaks.rss, peaks.pss, peaks.root_pss
    )
    figures.curve = peaks.curve
    figures.extra = {"stdout": out, "stderr": err, "returncode": process.returncode}
    last = out.strip().splitlines()[-1] if out.strip() else ""
    if last.startswith("{"):
        reported = json.loads(last)
        figures.seconds = reported.get("seconds", seconds)
        figures.pages = reported.get("pages", 0)
    return figures


# ---------------------------------------------------------------------- extraction alone


def phase_ceiling(
    folder: Path, paths: list[str], workers: int, extract: Callable[[str], int] | None = None
) -> None:
    """(a): trafilatura.extract on every page file in ``workers`` processes; prints JSON.

    ``extract`` is what runs on each file (default :func:`_extract_file`).
    """
    import multiprocessing

    extract = extract or _extract_file
    files = [str(folder / (path.lstrip("/") + ".gz")) for path in paths]
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
        html = gzip.decompress(page.read())
    return int(bool(trafilatura.extract(html, with_metadata=with_metadata)))


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
            body = gzip.decompress((folder / (path.lstrip("/") + ".gz")).read_bytes())
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
    me = [sys.executable, str(ROOT / "benchmarks" / "throughput.py"), "_phase", name]
    figures = run_measured(label, [*me, str(folder), str(paths_file), str(workers)])
    if figures.extra["returncode"] != 0:
        sys.exit(f"{label} failed:\n{str(figures.extra['stderr'])[-3000:]}")
    texts = json.loads(str(figures.extra["stdout"]).strip().splitlines()[-1])["texts"]
    figures.note = f"{texts} with text; timed after the workers started"
    return figures


# ---------------------------------------------------------------------- newsdedup


def fetch_outcomes(db: Path) -> tuple[int, Counter[str], Counter[str]]:
    """Return (article pages fetched, their outcome counts, other fetches' counts) of a store."""
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT url, outcome, reason FROM fetches").fetchall()
    pages: Counter[str] = Counter()
    others: Counter[str] = Counter()
    for url, outcome, reason in rows:
        label = outcome if outcome not in ("rejected", "error") else f"{outcome} {reason}"
        (pages if "/news/" in url else others)[label] += 1
    return sum(pages.values()), pages, others


def describe(figures: Figures, db: Path, role: str) -> None:
    """Set the row's pages from the store's fetch log, and its note."""
    figures.pages, counts, others = fetch_outcomes(db)
    figures.main_role = role
    note = ", ".join(f"{name} {n}" for name, n in counts.most_common())
    if others:
        note += "; other fetches: " + ", ".join(f"{name} {n}" for name, n in others.most_common())
    figures.note = note


CRAWL_BASE_SETTINGS = {
    # Politeness off: one local site, every core busy.
    "AUTOTHROTTLE_ENABLED": "0",
    "DOWNLOAD_DELAY": "0",
    "CONCURRENT_REQUESTS": "32",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "32",
}


def run_crawl(
    server: Server,
    folder: Path,
    workers: int,
    name: str,
    start: str = "/",
    profile: Path | None = None,
    **more: str,
) -> Figures:
    """``newsdedup crawl`` of the site from page ``start`` into a fresh store, with ``more``
    settings (the project's defaults otherwise, politeness delays off).

    With ``profile``, the crawl process runs under cProfile (CPU time) and writes its stats
    there.
    """
    db = folder / "crawl.db"
    for stale in folder.glob("crawl.db*"):
        stale.unlink()
    settings = {**CRAWL_BASE_SETTINGS, "NEWSDEDUP_WORKERS": str(workers), **more}
    python = [sys.executable]
    if profile is not None:
        python += [str(ROOT / "benchmarks" / "cpuprofile.py"), str(profile)]
    args = [*python, "-m", "crawler.cli", "crawl", f"{server.base}{start}", "--db", str(db)]
    args += [arg for name, value in settings.items() for arg in ("-s", f"{name}={value}")]
    figures = run_measured(name, args, progress=fetch_count(db))
    if figures.extra["returncode"] != 0:
        sys.exit(f"the crawl failed:\n{str(figures.extra['stderr'])[-3000:]}")
    describe(figures, db, "crawl process")
    own = re.search(r"Crawled (\d+) pages in ([\d.]+) s", str(figures.extra["stdout"]))
    if own:
        figures.note += f"; its own timer {int(own[1]) / float(own[2]):.1f} pages/s"
    return figures


def run_ingest(
    inputs: Path, folder: Path, workers: int, name: str, profile: Path | None = None
) -> Figures:
    """``newsdedup ingest`` of ``inputs`` (a WARC file or a folder) into a fresh store."""
    db = folder / "ingest.db"
    for stale in folder.glob("ingest.db*"):
        stale.unlink()
    python = [sys.executable]
    if profile is not None:
        python += [str(ROOT / "benchmarks" / "cpuprofile.py"), str(profile)]
    args = [*python, "-m", "crawler.cli", "ingest", str(inputs), "--db", str(db), "-q"]
    figures = run_measured(name, [*args, "--workers", str(workers)], progress=fetch_count(db))
    if figures.extra["returncode"] != 0:
        sys.exit(f"the ingest failed:\n{str(figures.extra['stderr'])[-3000:]}")
    describe(figures, db, "ingest process (read, write)")
    return figures


# ---------------------------------------------------------------------- other tools


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
