"""A pool of page processes running :func:`~crawler.page.process.process_page`: every core.

A page process is one of the pool's worker processes (``NEWSDEDUP_WORKERS`` says how many);
in distributed mode a "worker" is a whole crawl node instead. The pool sits on
``pebble.ProcessPool``, which already does what a crawl needs and ``concurrent.futures`` does
not: a time limit per task that kills and replaces the process, a dead process that costs its
task only (not a ``BrokenProcessPool``), and recycling of processes after a number of tasks. On
top of it :class:`PagePool` adds

- bounded in-flight work: :meth:`PagePool.submit` blocks, and :meth:`PagePool.process` awaits,
  while ``max_in_flight`` pages are being handled, so memory stays flat;
- a memory cap per page process (``RLIMIT_AS``) and a size cap per page, so a page that blows up
  memory costs that page only;
- the page's HTML compressed in its page process when the store keeps pages (``keep_html``), so
  the crawl process neither compresses it nor holds the body once handed over;
- results that never raise for a bad page: a timeout, a crashed process or an oversized page
  comes back as a :class:`~crawler.page.process.PageResult` with ``reason`` set.

Use from a thread: ``future = pool.submit(body, url, encoding)`` (a ``concurrent.futures.Future``).
Use from asyncio (Scrapy's asyncio reactor): ``result = await pool.process(body, url, encoding)``;
from Twisted code, ``Deferred.fromFuture(asyncio.ensure_future(pool.process(...)))``.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import ctypes
import gc
import logging
import multiprocessing
import os
import platform
import threading
import weakref
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from types import TracebackType
from typing import TYPE_CHECKING, Any

from pebble import ProcessExpired, ProcessPool

from crawler import settings as defaults
from crawler.page.process import PageResult, process_page
from storage.outcomes import TIMEOUT, TOO_LARGE, WORKER_CRASHED, WORKER_ERROR
from storage.pagecodec import compress_html

if TYPE_CHECKING:
    from storage.minhash import MinHashParams

logger = logging.getLogger(__name__)

DEFAULT_PAGE_TIMEOUT: float = defaults.NEWSDEDUP_PAGE_TIMEOUT
DEFAULT_MEMORY_MB: int = defaults.NEWSDEDUP_PAGE_MEMORY_MB
# No news page comes close to this; larger ones are not parsed at all.
MAX_PAGE_BYTES = 10 * 1024 * 1024
# A page process is replaced after this many pages, so a slow leak in a parser stays bounded;
# a new one spends ~2 s warming the extraction stack's caches, hence not more often.
TASKS_PER_PROCESS = 5000
# Enough that a page process never waits for its next page, few enough that memory stays flat.
IN_FLIGHT_PER_PROCESS = 4

# Page-sized buffers from this size up get their own mapping, returned to the system when
# freed; glibc's moving threshold would let them fragment the heap instead.
MMAP_THRESHOLD = 128 * 1024
_M_MMAP_THRESHOLD = -3  # mallopt parameter number, from glibc's malloc.h

PageFunction = Callable[..., PageResult]


def usable_cores() -> int:
    """Return how many cores this process may run on (its CPU affinity, not the machine's)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # macOS and Windows have no affinity call
        return max(1, os.cpu_count() or 1)


def _address_space() -> int | None:
    """Return this process's virtual size in bytes (Linux), or None where /proc is missing."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        return None


def release_page_buffers() -> bool:
    """Make this process hand page-sized buffers back to the system once freed (glibc only).

    Sets glibc's mmap threshold to :data:`MMAP_THRESHOLD` for the whole process. Returns True
    when it did, False where the C library is not glibc. Never raises.
    """
    if platform.system() != "Linux" or platform.libc_ver()[0] != "glibc":
        return False
    try:
        return bool(ctypes.CDLL(None).mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD))
    except (OSError, AttributeError):
        return False


def _init_process(memory_mb: int | None) -> None:
    """Set up a new page process: memory habits and address-space cap; never raises."""
    # What the process holds now (the extraction stack) lives as long as it does: the cyclic
    # collector need not scan it, nor copy the forkserver's shared pages by scanning them.
    gc.freeze()
    release_page_buffers()
    if not memory_mb:
        return
    try:
        import resource

        size = _address_space()
        if size is None:
            return
        limit = size + memory_mb * 1024 * 1024
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ImportError, OSError, ValueError) as err:
        logger.warning("cannot cap page process memory at %s MiB: %s", memory_mb, err)


def _run_page(
    function: PageFunction,
    body: bytes,
    url: str,
    encoding: str | None,
    params: MinHashParams | None,
    links: bool,
    keep_html: bool,
) -> PageResult:
    """Run ``function`` on one page, in a page process; compress the page when it is to be kept.

    Only an article's page is kept by the store, so only then is it compressed.
    """
    result = function(body, url, encoding, params, links=links)
    if keep_html and result.article is not None and result.html_zlib is None:
        result.html_zlib = compress_html(body)
    return result


def _process_ready() -> None:
    """A task that does nothing: once it has run, a page process is up (:meth:`PagePool.start`)."""


def _mp_context(sign: bool = False) -> Any:
    """Return the multiprocessing context for page processes (``sign``: they compute signatures).

    forkserver where it exists: page processes are forked from a clean server that has imported
    the extraction stack once, so a replacement starts in milliseconds, and none is forked from a
    parent running the reactor's threads (fork after threads can deadlock on a held lock).
    """
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        # Signing needs numpy and datasketch (with scipy): imported once in the server, their
        # pages are shared by every page process instead of copied into each.
        preload = ["crawler.page.process", *(["storage.minhash", "datasketch"] if sign else [])]
        context.set_forkserver_preload(preload)
        return context
    return multiprocessing.get_context("spawn")


@dataclass
class PoolStats:
    """Counters of what the pool did, for logs and Scrapy stats."""

    submitted: int = 0
    done: int = 0
    timeouts: int = 0
    crashed: int = 0
    errors: int = 0
    too_large: int = 0


class PagePool:
    """Run :func:`~crawler.page.process.process_page` on every usable core, a page at a time each.

    ``workers``: page processes (default: usable cores); 0 handles pages in the calling thread,
    without time or memory limits (debugging, tiny inputs). ``params``: the store's MinHash
    parameters, passed to every page (None: no signatures). ``page_timeout``: seconds per page
    (None: no limit). ``memory_mb``: address space a page process may add to its size at start
    (None: no cap). ``max_in_flight``: pages submitted and not yet done (default 4 per process).
    ``max_bytes``: larger pages are not parsed. ``keep_html``: the page processes compress each
    article's page for the store (``PageResult.html_zlib``). ``function``: what runs in the
    page processes, with :func:`~crawler.page.process.process_page`'s signature (tests put a
    misbehaving one here).

    Page processes start on the first page. Close with :meth:`close` (waits for pages in flight) or
    :meth:`terminate`; the pool is a context manager that closes it.
    """

    def __init__(
        self,
        workers: int | None = None,
        *,
        params: MinHashParams | None = None,
        page_timeout: float | None = DEFAULT_PAGE_TIMEOUT,
        memory_mb: int | None = DEFAULT_MEMORY_MB,
        max_in_flight: int | None = None,
        max_bytes: int = MAX_PAGE_BYTES,
        tasks_per_process: int = TASKS_PER_PROCESS,
        keep_html: bool = False,
        function: PageFunction = process_page,
    ) -> None:
        if workers is not None and workers < 0:
            raise ValueError(f"workers must be 0 or more, got {workers}")
        if page_timeout is not None and page_timeout <= 0:
            raise ValueError(f"page_timeout must be positive seconds, got {page_timeout}")
        if max_in_flight is not None and max_in_flight < 1:
            raise ValueError(f"max_in_flight must be at least 1, got {max_in_flight}")
        self.workers = usable_cores() if workers is None else workers
        self.params = params
        self.page_timeout = page_timeout
        self.memory_mb = memory_mb
        self.max_in_flight = max_in_flight or IN_FLIGHT_PER_PROCESS * max(1, self.workers)
        self.max_bytes = max_bytes
        self.tasks_per_process = tasks_per_process
        self.keep_html = keep_html
        self.function = function
        self.stats = PoolStats()
        self._lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(self.max_in_flight)
        self._async_slots: weakref.WeakKeyDictionary[
            asyncio.AbstractEventLoop, asyncio.Semaphore
        ] = weakref.WeakKeyDictionary()
        self._pool: ProcessPool | None = None
        self._closed = False

    # ------------------------------------------------------------------ submitting

    def start(self) -> None:
        """Start the page processes now rather than with the first page; return once one is up.

        Starting takes about a second (the first process imports the extraction stack), and
        whoever starts the pool waits that long. From an event loop, run this in a thread
        (``await asyncio.to_thread(pool.start)``) before the first :meth:`process`, so the loop
        never waits. Does nothing with ``workers=0`` or when the processes are up already.
        Raises RuntimeError when the pool is closed.
        """
        if self._closed:
            raise RuntimeError("the page pool is closed; open a new PagePool")
        if self.workers:
            self._ensure_pool().schedule(_process_ready).result()

    def submit(
        self, body: bytes, url: str, encoding: str | None = None, *, links: bool = True
    ) -> Future[PageResult]:
        """Hand one page to a page process; return a future of its :class:`PageResult`.

        Blocks while ``max_in_flight`` pages are in flight (call it from a thread, not from an
        event loop; there, await :meth:`process`). The future never raises for a bad page.
        Raises RuntimeError when the pool is closed.
        """
        self._slots.acquire()
        try:
            future = self._dispatch(body, url, encoding, links)
        except BaseException:
            self._slots.release()
            raise
        future.add_done_callback(lambda _: self._slots.release())
        return future

    async def process(
        self, body: bytes, url: str, encoding: str | None = None, *, links: bool = True
    ) -> PageResult:
        """Handle one page in a page process and return its :class:`PageResult` (asyncio).

        Waits without blocking the event loop while ``max_in_flight`` pages of this loop are in
        flight. Never raises for a bad page; raises RuntimeError when the pool is closed.
        Cancelling the awaiting task cancels the page (its process is replaced if it had started).
        """
        async with self._loop_slots():
            return await asyncio.wrap_future(self._dispatch(body, url, encoding, links))

    def _loop_slots(self) -> asyncio.Semaphore:
        loop = asyncio.get_running_loop()
        with self._lock:
            slots = self._async_slots.get(loop)
            if slots is None:
                slots = self._async_slots[loop] = asyncio.Semaphore(self.max_in_flight)
        return slots

    def _dispatch(
        self, body: bytes, url: str, encoding: str | None, links: bool
    ) -> Future[PageResult]:
        if self._closed:
            raise RuntimeError("the page pool is closed; open a new PagePool")
        with self._lock:
            self.stats.submitted += 1
        out: Future[PageResult] = Future()
        if len(body) > self.max_bytes:
            self._count("too_large")
            out.set_result(
                PageResult.failed(
                    url,
                    TOO_LARGE,
                    f"{url} has {len(body)} bytes of HTML, more than the {self.max_bytes} "
                    "a page may have",
                )
            )
            return out
        args = (self.function, body, url, encoding, self.params, links, self.keep_html)
        if self.workers == 0:
            out.set_result(_run_page(*args))
            self._count()
            return out
        task = self._ensure_pool().schedule(_run_page, args=args, timeout=self.page_timeout)
        out.add_done_callback(lambda done: task.cancel() if done.cancelled() else None)
        task.add_done_callback(lambda done: self._settle(done, out, url))
        return out

    def _settle(self, task: Future[PageResult], out: Future[PageResult], url: str) -> None:
        """Turn a page process's outcome into a PageResult; runs in pebble's result thread."""
        if out.done():  # cancelled by the caller
            return
        counter = None
        try:
            result = task.result()
        except (TimeoutError, concurrent.futures.TimeoutError):
            counter = "timeouts"
            result = PageResult.failed(
                url,
                TIMEOUT,
                f"{url} took more than {self.page_timeout:g} s to process; its page process "
                "was replaced",
            )
        except ProcessExpired as err:
            counter = "crashed"
            result = PageResult.failed(
                url,
                WORKER_CRASHED,
                f"the page process handling {url} died (exit code {err.exitcode}); it was replaced",
            )
        except concurrent.futures.CancelledError:
            return
        except Exception as err:  # an unpicklable result, a pool that broke...
            counter = "errors"
            result = PageResult.failed(
                url,
                WORKER_ERROR,
                f"handing {url} to a page process failed: {type(err).__name__}: {err}",
            )
        if counter:
            logger.warning("%s: %s", result.reason, result.detail)
        self._count(counter)
        with contextlib.suppress(concurrent.futures.InvalidStateError):
            out.set_result(result)

    def _count(self, counter: str | None = None) -> None:
        with self._lock:
            self.stats.done += 1
            if counter:
                setattr(self.stats, counter, getattr(self.stats, counter) + 1)

    def _ensure_pool(self) -> ProcessPool:
        with self._lock:
            if self._pool is None:
                # This process hands every page over in page-sized buffers.
                release_page_buffers()
                self._pool = ProcessPool(
                    max_workers=self.workers,
                    max_tasks=self.tasks_per_process,
                    initializer=_init_process,
                    initargs=(self.memory_mb,),
                    context=_mp_context(sign=self.params is not None),
                )
                logger.debug("started %d page processes", self.workers)
            return self._pool

    # ------------------------------------------------------------------ stopping

    def close(self, timeout: float | None = None) -> None:
        """Stop taking pages, let those in flight finish, stop the page processes (idempotent).

        Waits at most ``timeout`` seconds (None: until done), then kills what is left.
        """
        self._closed = True
        pool, self._pool = self._pool, None
        if pool is None:
            return
        pool.close()
        pool.join(timeout)
        if pool.active:
            logger.warning("page processes still busy after %s s; stopping them", timeout)
            pool.stop()
            pool.join()

    def terminate(self) -> None:
        """Stop at once: kill the page processes; pages in flight come back as worker_error."""
        self._closed = True
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.stop()
            pool.join()

    def __enter__(self) -> PagePool:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is None:
            self.close()
        else:
            self.terminate()


__all__ = [
    "DEFAULT_MEMORY_MB",
    "DEFAULT_PAGE_TIMEOUT",
    "MAX_PAGE_BYTES",
    "PagePool",
    "PoolStats",
    "release_page_buffers",
    "usable_cores",
]
