"""Ingest WARC archives and saved pages through the crawl's own path: extract, clean, dedup, store.

Pages are read in order (:mod:`crawler.archive.captures`), handled on every core by
:class:`crawler.page.pool.PagePool` (extraction, cleaning, MinHash signature) and stored in the
order they were read, so two ingests of the same files give the same store. What was already
ingested is known from the store itself (:class:`storage.ingestlog.IngestLog`): files read to the
end are skipped unopened, and after an interruption the records already settled are skipped
before any parsing.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import signal
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from crawler import settings as project_settings
from crawler.archive.captures import (
    Capture,
    Problem,
    Skipped,
    find_inputs,
    read_saved_page,
    read_warc,
)
from crawler.archive.filters import IngestFilters
from crawler.page.charset import choose_encoding
from crawler.page.discovery import Kind, sniff_kind
from crawler.page.pool import (
    DEFAULT_PAGE_TIMEOUT,
    MAX_PAGE_BYTES,
    PagePool,
)
from crawler.page.process import PageResult
from crawler.writer import ArticleWriter
from storage import Store
from storage.ingestlog import FileMark, IngestLog
from storage.matcher import SqliteMatcher
from storage.outcomes import (
    ERROR,
    EXTRACT_ERROR,
    MEMORY_LIMIT,
    NOT_HTML,
    REJECTED,
    ROBOTS_TXT,
    TRANSIENT_ERRORS,
    page_outcome,
)

logger = logging.getLogger(__name__)

# Same default as a crawl: keep each page's HTML so articles can be re-extracted later.
DEFAULT_KEEP_HTML: bool = project_settings.NEWSDEDUP_KEEP_HTML
# How often the progress callback is called, in seconds.
PROGRESS_SECONDS = 5.0
# How many problem messages a report keeps (all are counted and logged).
MAX_MESSAGES = 100
# Records settled per commit, and the longest a commit waits: one commit per record wrote the
# same index pages again for every article. A kill loses at most the records of one commit,
# which the next ingest does again (their rows and their settled marks commit together).
COMMIT_RECORDS = 100
COMMIT_SECONDS = 2.0


@dataclass
class IngestReport:
    """What one ingest read and did; the CLI prints it, tests read it."""

    files: int = 0  # input files read
    files_skipped: int = 0  # read to the end by an earlier ingest, unchanged since
    records: int = 0  # WARC records and saved pages read
    pages: int = 0  # pages handed to the page processes
    already: int = 0  # records settled by an earlier ingest, not processed again
    articles: Counter[str] = field(default_factory=Counter)  # new, duplicate, updated, unchanged
    rejected: Counter[str] = field(default_factory=Counter)  # by reason: not_article, too_short...
    errors: Counter[str] = field(default_factory=Counter)  # http_404, truncated_record, missing..
    skipped: Counter[str] = field(default_factory=Counter)  # request, revisit, filtered_site...
    messages: list[str] = field(default_factory=list)  # the first problems, for humans
    seconds: float = 0.0
    cpu_seconds: float = 0.0  # CPU time the page processes spent
    interrupted: bool = False

    @property
    def nothing_read(self) -> bool:
        """True when not one record could be read and no input was already ingested."""
        return self.records == 0 and self.files_skipped == 0

    @property
    def stored(self) -> int:
        return sum(self.articles.values())

    def problem(self, item: Problem) -> None:
        self.errors[item.reason] += 1
        if len(self.messages) < MAX_MESSAGES:
            self.messages.append(item.message)
        logger.warning("%s", item.message)


ProgressCallback = Callable[[IngestReport], None]


class _Ingester:
    """One ingest run: reads inputs, feeds the pool, stores results in reading order."""

    def __init__(
        self,
        store: Store,
        pool: PagePool,
        filters: IngestFilters,
        source: str | None,
        progress: ProgressCallback | None,
    ) -> None:
        self.store = store
        self.writer = ArticleWriter(store)
        self.pool = pool
        self.filters = filters
        self.filters_key = filters.key()
        self.source = source
        self.progress = progress
        self.log = IngestLog(store.conn)
        self.report = IngestReport()
        self.window: deque[tuple[Capture, Future[PageResult]]] = deque()
        self.retry_later = 0  # pages of the current file to try again in a later ingest
        self.started = time.monotonic()
        self.last_progress = self.started
        # A matcher with state outside the store learns whether an article was stored when its
        # own transaction ends: its articles are committed one by one.
        self.batched = isinstance(store.matcher, SqliteMatcher)
        self.uncommitted = 0  # records settled in the open transaction
        self.batch_started = 0.0

    def run(self, paths: Iterable[str | Path]) -> IngestReport:
        try:
            for entry in find_inputs(paths):
                if isinstance(entry, Problem):
                    self.report.problem(entry)
                    continue
                self.read_file(*entry)
            self.drain(until_empty=True)
        except KeyboardInterrupt:
            # Pages in flight are not settled: the next ingest does them again.
            self.report.interrupted = True
            self.pool.terminate()
            self.window.clear()
        finally:
            # What was settled is kept, after an interruption too; an error that is not the
            # store's own leaves it as consistent as any commit does.
            self.commit()
        self.report.seconds = time.monotonic() - self.started
        if self.progress:
            self.progress(self.report)
        return self.report

    def read_file(self, kind: str, path: Path) -> None:
        try:
            stat = path.stat()
        except OSError as err:
            self.report.problem(Problem("unreadable_file", f"{path}: {err}", str(path)))
            return
        mark = FileMark(str(path.resolve()), stat.st_size, stat.st_mtime_ns)
        if self.log.file_done(mark, self.filters_key):
            self.report.files_skipped += 1
            logger.info("%s was ingested before and has not changed; skipped", path)
            return
        count = 0
        self.retry_later = 0
        try:
            if kind == "warc":
                for item in read_warc(path, max_bytes=self.pool.max_bytes):
                    count += 1
                    self.take(item)
            else:
                count = 1
                self.take(read_saved_page(path, max_bytes=self.pool.max_bytes))
        except OSError as err:
            self.report.problem(
                Problem("unreadable_file", f"{path}: cannot read it: {err}", str(path))
            )
            return
        # Every record of the file must be settled before the file is marked as done.
        self.drain(until_empty=True)
        self.report.files += 1
        if self.retry_later:
            logger.warning(
                "%s: %d pages could not be handled; the next ingest of it tries them again",
                path,
                self.retry_later,
            )
            return
        self.log.finish_file(mark, count, self.filters_key)
        self.commit()

    # ------------------------------------------------------------------ one record

    def begin(self) -> None:
        """Open the transaction that the next records settle in, unless one is open."""
        if self.batched and not self.store.conn.in_transaction:
            self.store.conn.execute("BEGIN IMMEDIATE")
            self.batch_started = time.monotonic()

    def settled(self) -> None:
        """Count one more record settled; commit when enough are, or waited long enough."""
        self.uncommitted += 1
        if (
            self.uncommitted >= COMMIT_RECORDS
            or time.monotonic() - self.batch_started >= COMMIT_SECONDS
        ):
            self.commit()

    def commit(self) -> None:
        """Commit the records settled so far."""
        if self.batched and self.store.conn.in_transaction:
            self.store.conn.execute("COMMIT")
        self.uncommitted = 0

    def take(self, item: Capture | Skipped | Problem) -> None:
        """Settle one record read, or hand its page to the pool."""
        self.tick()
        self.begin()
        self.read_record(item)
        if not (self.window and self.window[-1][0] is item):
            self.settled()

    def read_record(self, item: Capture | Skipped | Problem) -> None:
        report = self.report
        if isinstance(item, Problem):
            if item.record_id is not None:
                report.records += 1
            if item.url:
                self.store.log_fetch(
                    item.url,
                    status=None,
                    outcome=ERROR,
                    reason=item.reason,
                    source=self.source or Path(item.file).name,
                )
            report.problem(item)
            return
        report.records += 1
        if isinstance(item, Skipped):
            report.skipped[item.reason] += 1
            return
        capture = item
        if not self.filters.site_ok(capture.url):
            report.skipped["filtered_site"] += 1
            return
        if self.filters.captured_too_early(capture.fetched_at):
            report.skipped["filtered_date"] += 1
            return
        if self.log.seen(capture.record_id):
            report.already += 1
            return
        if urlsplit(capture.url).path == "/robots.txt":
            # A crawl reads robots.txt for its rules and sitemaps and stores nothing either.
            report.skipped[ROBOTS_TXT] += 1
            return
        status = capture.status
        if status >= 400 or status < 200:
            self.settle_fetch(capture, ERROR, f"http_{status}")
            report.errors[f"http_{status}"] += 1
            return
        if status >= 300:
            report.skipped["redirect"] += 1
            self.log.settle(
                capture.record_id, url=capture.url, outcome="redirect", file=capture.file
            )
            return
        kind = sniff_kind(capture.body, capture.content_type)
        if kind in (Kind.FEED, Kind.SITEMAP, Kind.SITEMAP_INDEX):
            # A crawl reads these for links and stores nothing: neither does ingest.
            report.skipped[kind.value] += 1
            self.log.settle(
                capture.record_id, url=capture.url, outcome=kind.value, file=capture.file
            )
            return
        if kind is not Kind.HTML:
            self.settle_fetch(capture, REJECTED, NOT_HTML)
            report.rejected[NOT_HTML] += 1
            return
        if len(self.window) >= self.pool.max_in_flight:
            self.finish(*self.window.popleft())
        future = self.pool.submit(
            capture.body,
            capture.url,
            # As the crawl decodes a response: the encoding the bytes agree with, so a UTF-8
            # page saved with its original GBK or Shift_JIS meta tag does not become mojibake.
            choose_encoding(capture.body, capture.content_type)[0],
            links=False,
        )
        self.window.append((capture, future))
        self.drain()

    def drain(self, until_empty: bool = False) -> None:
        """Store finished pages in reading order; with ``until_empty``, wait for all of them."""
        while self.window and (until_empty or self.window[0][1].done()):
            self.finish(*self.window.popleft())
            self.tick()

    def tick(self) -> None:
        """Call the progress callback when it is due."""
        now = time.monotonic()
        if self.progress and now - self.last_progress >= PROGRESS_SECONDS:
            self.last_progress = now
            self.report.seconds = now - self.started
            self.progress(self.report)

    def finish(self, capture: Capture, future: Future[PageResult]) -> None:
        result = future.result()
        self.begin()
        self.store_result(capture, result)
        self.settled()

    def store_result(self, capture: Capture, result: PageResult) -> None:
        report = self.report
        report.pages += 1
        report.cpu_seconds += result.seconds
        article = result.article
        # A page that could not be handled for a reason another try may get past is not
        # settled, its file is not marked as done, and the next ingest of the file tries it again.
        if article is None and result.reason in TRANSIENT_ERRORS:
            report.errors[result.reason] += 1
            self.retry_later += 1
            if result.reason in (EXTRACT_ERROR, MEMORY_LIMIT):  # the pool logs the others
                logger.warning("%s: %s", result.reason, result.detail)
            self.store.log_fetch(
                capture.url,
                status=capture.status,
                outcome=ERROR,
                reason=result.reason,
                fetched_at=capture.fetched_at,
                source=self.source_of(capture),
            )
            return
        if article is None:
            reason = result.reason or REJECTED
            outcome = page_outcome(reason)
            (report.errors if outcome == ERROR else report.rejected)[reason] += 1
            logger.debug("%s %s: %s (%s)", outcome, capture.url, reason, result.detail)
            self.settle_fetch(capture, outcome, reason, result.page_type)
            return
        filtered = self.filters.article_filtered(article, capture.fetched_at)
        if filtered:
            report.skipped[filtered] += 1
            return
        record = result.record(
            fetched_at=capture.fetched_at,
            http_status=capture.status,
            source=self.source_of(capture),
        )
        added, outcome = self.writer.write(record, capture.url)
        report.articles[added.status] += 1
        self.log.settle(
            capture.record_id,
            url=article.url,
            outcome=outcome,
            article_id=added.article_id,
            file=capture.file,
        )

    def settle_fetch(
        self, capture: Capture, outcome: str, reason: str, page_type: str | None = None
    ) -> None:
        """Log a fetch that gave no article, and remember the record as settled."""
        self.store.log_fetch(
            capture.url,
            status=capture.status,
            outcome=outcome,
            reason=reason,
            fetched_at=capture.fetched_at,
            source=self.source_of(capture),
            page_type=page_type,
        )
        self.log.settle(
            capture.record_id, url=capture.url, outcome=outcome, reason=reason, file=capture.file
        )

    def source_of(self, capture: Capture) -> str:
        return self.source or Path(capture.file).name


def ingest(
    paths: Iterable[str | Path],
    store: Store,
    *,
    sites: Iterable[str] = (),
    since: str | dt.date | None = None,
    until: str | dt.date | None = None,
    language: str | None = None,
    keep_html: bool = DEFAULT_KEEP_HTML,
    workers: int | None = None,
    page_timeout: float | None = DEFAULT_PAGE_TIMEOUT,
    max_bytes: int = MAX_PAGE_BYTES,
    source: str | None = None,
    progress: ProgressCallback | None = None,
) -> IngestReport:
    """Ingest WARC files and saved pages (files or folders) into ``store``; return a report.

    Each response is extracted, cleaned, deduplicated and stored as a crawled page would be, on
    ``workers`` page processes (default: every usable core). ``sites``, ``since``, ``until`` and
    ``language`` filter what is stored (see :class:`IngestFilters`). ``source`` names where
    articles came from (default: the WARC file's name). ``progress(report)`` is called every few
    seconds. Bad input (a missing file, a truncated or damaged record) is counted in
    ``report.errors`` with a message, and the rest is still ingested. Ctrl-C stops cleanly with
    ``report.interrupted`` set; the next ingest of the same files resumes.
    Raises ValueError for a malformed date, :class:`~crawler.archive.captures.MissingDependency`
    when FastWARC is missing, storage.StoreError when the store cannot be written.
    """
    filters = IngestFilters.of(sites, since, until, language)
    with PagePool(
        workers,
        params=store.params,
        page_timeout=page_timeout,
        max_bytes=max_bytes,
        keep_html=keep_html,
    ) as pool:
        ingester = _Ingester(store, pool, filters, source, progress)
        return ingester.run(paths)


@contextlib.contextmanager
def stop_on_sigterm() -> Iterator[None]:
    """Within the block, SIGTERM stops an ingest as Ctrl-C does (cleanly, resumable)."""

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt(f"signal {signum}")

    try:
        previous = signal.signal(signal.SIGTERM, interrupt)
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


__all__ = [
    "DEFAULT_KEEP_HTML",
    "IngestFilters",
    "IngestReport",
    "ingest",
    "stop_on_sigterm",
]
