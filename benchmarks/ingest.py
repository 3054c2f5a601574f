"""Ingest throughput: records/s of ``newsdedup ingest`` on real pages against the extraction limit.

Writes the aeb+fundus pages of the shared corpus (or the project's fixture pages when the corpus
is absent) into one gzip WARC file, replicated under distinct URLs to at least 2,000 records:
copy k of a page is served from host ``c<k>.<host>``, so the page's own canonical link (another
site) is ignored and every copy keeps its own URL. The copies are the same text, so every page
after the first copy is stored as an exact duplicate: the figures include dedup.

Then, on the same machine and pages, it measures

1. reading alone: FastWARC and warcio over the WARC file (records/s, MB/s of payload);
2. the ceiling: trafilatura alone (``extract``, comments off) on the same HTML in N processes,
   no network, no store;
3. ``PagePool`` alone: ``process_page`` (extraction, cleaning, MinHash) in N workers, no store;
4. ``newsdedup ingest`` end to end into a fresh store (a subprocess, as a user runs it), with
   and without keeping the raw HTML;

and prints records/s, CPU seconds per record, peak RSS of the process tree, and the ratios to
the ceiling. Run it on a quiet machine: every figure is wall-clock.

    python benchmarks/ingest.py [--corpus PATH] [--min-records 2000] [--workers N]
"""

from __future__ import annotations

import argparse
import gzip
import json
import multiprocessing
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import proctree

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"
FIXTURES = ROOT / "tests" / "fixtures" / "pages"


# ---------------------------------------------------------------------- the pages


def corpus_pages(corpus: Path) -> list[tuple[str, bytes]]:
    """Return (url, html) of the aeb and fundus pages, or [] when the corpus is absent."""
    pages: list[tuple[str, bytes]] = []
    truth = corpus / "aeb" / "ground-truth.json"
    if truth.is_file():
        for key, entry in sorted(json.loads(truth.read_text(encoding="utf-8")).items()):
            html = corpus / "aeb" / "html" / f"{key}.html.gz"
            if html.is_file() and entry.get("url"):
                pages.append((entry["url"], gzip.decompress(html.read_bytes())))
    for meta in sorted((corpus / "fundus" / "ground-truth").glob("*.json")):
        html = corpus / "fundus" / "html" / f"{meta.stem}.html.gz"
        url = json.loads(meta.read_text(encoding="utf-8")).get("url")
        if html.is_file() and url:
            pages.append((url, gzip.decompress(html.read_bytes())))
    return pages


def fixture_pages() -> list[tuple[str, bytes]]:
    return [
        (
            f"https://fixtures.example/news/2025/01/{path.stem.replace('_', '-')}-story",
            path.read_bytes(),
        )
        for path in sorted(FIXTURES.glob("*.html"))
    ]


def copy_url(url: str, copy: int) -> str:
    parts = urlsplit(url)
    if copy == 0:
        return url
    return parts._replace(netloc=f"c{copy}.{parts.netloc}").geturl()


def write_warc(pages: list[tuple[str, bytes]], folder: Path, minimum: int) -> tuple[Path, int]:
    from crawler.archive.warc import WarcFileWriter

    copies = -(-minimum // len(pages))
    with WarcFileWriter(folder, prefix="bench", max_bytes=2**40) as writer:
        for copy in range(copies):
            for url, html in pages:
                writer.write_response(
                    copy_url(url, copy), 200, [("Content-Type", "text/html; charset=utf-8")], html
                )
    return writer.files[0], copies * len(pages)


# ---------------------------------------------------------------------- measuring


@dataclass
class Figures:
    name: str
    records: int
    seconds: float
    cpu: float
    peak_rss: int
    peak_pss: int

    @property
    def rate(self) -> float:
        return self.records / self.seconds if self.seconds else 0.0


def measure_process(name: str, records: int, args: list[str]) -> Figures:
    """Run ``args`` as a subprocess; sample its process tree's CPU and RSS until it ends."""
    started = time.perf_counter()
    proc = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    peak_rss, peak_pss, cpu = 0, 0, 0.0
    done = threading.Event()

    def sampler() -> None:
        nonlocal peak_rss, peak_pss, cpu
        while not done.is_set():
            used, rss, pss = proctree.usage(proctree.process_tree(proc.pid))
            cpu, peak_rss, peak_pss = max(cpu, used), max(peak_rss, rss), max(peak_pss, pss)
            done.wait(0.1)

    thread = threading.Thread(target=sampler, daemon=True)
    thread.start()
    out, err = proc.communicate()
    seconds = time.perf_counter() - started
    done.set()
    thread.join()
    if proc.returncode != 0:
        sys.exit(f"{name} failed ({proc.returncode}):\n{err.decode()[-2000:]}")
    lines = out.decode().strip().splitlines()
    if lines and lines[-1].startswith("{"):
        seconds = json.loads(lines[-1])["seconds"]  # the phase timed itself, after start-up
    return Figures(name, records, seconds, cpu, peak_rss, peak_pss)


# ---------------------------------------------------------------------- the phases
# Each phase runs in its own process (``benchmarks/ingest.py _phase NAME ...``) so its CPU and
# memory are its own.


def _read_fastwarc(path: Path) -> tuple[int, int]:
    from fastwarc import ArchiveIterator, WarcRecordType

    count = size = 0
    with open(path, "rb") as stream:
        for record in ArchiveIterator(
            stream, record_types=WarcRecordType.response, auto_decode="all"
        ):
            size += len(record.reader.read())
            count += 1
    return count, size


def _read_warcio(path: Path) -> tuple[int, int]:
    from warcio.archiveiterator import ArchiveIterator

    count = size = 0
    with open(path, "rb") as stream:
        for record in ArchiveIterator(stream):
            if record.rec_type == "response":
                size += len(record.content_stream().read())
                count += 1
    return count, size


def _warc_pages(path: Path) -> Iterator[tuple[str, bytes]]:
    from fastwarc import ArchiveIterator, WarcRecordType

    with open(path, "rb") as stream:
        for record in ArchiveIterator(
            stream, record_types=WarcRecordType.response, auto_decode="all"
        ):
            yield record.headers.get("WARC-Target-URI"), record.reader.read()


def _trafilatura(args: tuple[str, bytes]) -> int:
    import trafilatura

    _url, html = args
    text = trafilatura.extract(
        html.decode("utf-8", "replace"), include_comments=False, deduplicate=False
    )
    return len(text or "")


def _batches(path: Path, size: int) -> Iterator[list[tuple[str, bytes]]]:
    batch: list[tuple[str, bytes]] = []
    for page in _warc_pages(path):
        batch.append(page)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def phase_ceiling(path: Path, workers: int) -> None:
    # Pages are read from the WARC file as they go, a batch at a time, so memory stays that of
    # the extraction (Pool.imap would queue the whole input at once).
    context = multiprocessing.get_context("forkserver")
    with context.Pool(workers) as pool:
        pool.map(_trafilatura, next(_batches(path, workers)))  # start and warm the workers
        started = time.perf_counter()
        for batch in _batches(path, 8 * workers):
            pool.map(_trafilatura, batch, chunksize=1)
        print(json.dumps({"seconds": time.perf_counter() - started}))


def phase_pool(path: Path, workers: int) -> None:
    from collections import deque

    from crawler.page.pool import PagePool
    from storage import MinHashParams

    with PagePool(workers, params=MinHashParams()) as pool:
        url, html = next(_warc_pages(path))
        pool.submit(html, url, "utf-8", links=False).result()
        started = time.perf_counter()
        window: deque[Future[object]] = deque()
        for url, html in _warc_pages(path):
            if len(window) >= pool.max_in_flight:
                window.popleft().result()
            window.append(pool.submit(html, url, "utf-8", links=False))
        for future in window:
            future.result()
        print(json.dumps({"seconds": time.perf_counter() - started}))


PHASES: dict[str, Callable[[Path, int], None]] = {"ceiling": phase_ceiling, "pool": phase_pool}


# ---------------------------------------------------------------------- report


def mib(value: int) -> str:
    return f"{value / 2**20:.0f} MiB"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--min-records", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=len(os.sched_getaffinity(0)))
    parser.add_argument("--keep", type=Path, help="Keep the WARC file and stores in this folder.")
    args = parser.parse_args(argv)

    pages = corpus_pages(args.corpus)
    source = f"aeb+fundus ({len(pages)} pages)"
    if not pages:
        pages = fixture_pages()
        source = f"fixture pages only ({len(pages)}; {args.corpus} is absent)"
    folder = args.keep or Path(tempfile.mkdtemp(prefix="ingest-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    warc, records = write_warc(pages, folder / "warc", args.min_records)
    megabytes = sum(len(html) for _url, html in pages) / 2**20 * records / len(pages)
    print(
        f"pages: {source}, {records} records, {megabytes:.0f} MiB of HTML; "
        f"WARC {warc.stat().st_size / 2**20:.0f} MiB gzip; {args.workers} workers; "
        f"load average {os.getloadavg()[0]:.2f}"
    )

    print("\nreading the WARC file (payloads decoded, one process):")
    for name, reader in (("fastwarc", _read_fastwarc), ("warcio", _read_warcio)):
        try:
            started = time.perf_counter()
            count, size = reader(warc)
            seconds = time.perf_counter() - started
        except ImportError:
            print(f"  {name:<10} not installed")
            continue
        print(f"  {name:<10} {count / seconds:8.0f} records/s  {size / 2**20 / seconds:6.0f} MiB/s")

    me = [sys.executable, str(Path(__file__).resolve()), "_phase"]
    results: list[Figures] = []
    for phase, label in (
        ("ceiling", "(a) trafilatura alone, N processes"),
        ("pool", "(p) process_page in PagePool, no store"),
    ):
        figures = measure_process(label, records, [*me, phase, str(warc), str(args.workers)])
        results.append(figures)
    for keep in ("--keep-html", "--no-keep-html"):
        db = folder / f"ingest{keep}.db"
        db.unlink(missing_ok=True)
        label = f"(b) newsdedup ingest {keep}"
        command = [sys.executable, "-m", "crawler.cli", "ingest", str(warc), "--db", str(db)]
        results.append(
            measure_process(label, records, [*command, "-q", keep, "--workers", str(args.workers)])
        )

    header = (
        f"{'records/s':>10}{'vs (a)':>8}{'CPU s/rec':>11}{'N/CPU':>8}{'vs (a)':>8}"
        f"{'peak RSS':>10}{'peak PSS':>10}"
    )
    print(f"\n{'':44}{header}")
    ceiling = results[0]
    for figures in results:
        per = figures.cpu / figures.records
        bound = args.workers / per
        print(
            f"  {figures.name:<42}{figures.rate:10.1f}{figures.rate / ceiling.rate:8.2f}"
            f"{per:11.4f}{bound:8.1f}{bound * ceiling.cpu / (args.workers * records):8.2f}"
            f"{mib(figures.peak_rss):>10}{mib(figures.peak_pss):>10}"
        )
    print(
        "\n(a) and (p) are timed after their workers have started; (b) is the whole command "
        "(start-up, reading, extraction, dedup, store) as a user runs it. CPU is the whole "
        "process tree's, start-up included; N/CPU is the records/s that CPU cost allows on N "
        "idle cores (what the figures would be without other load on the machine). RSS sums "
        "every process of the tree; PSS counts pages shared by the forkserver and its workers "
        "once."
        f"\nload average at the end {os.getloadavg()[0]:.2f}"
    )


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "_phase":
        PHASES[sys.argv[2]](Path(sys.argv[3]), int(sys.argv[4]))
    else:
        main()
