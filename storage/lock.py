"""The lock that keeps two crawls (or ingests) off one store at the same time."""

from __future__ import annotations

import contextlib
import logging
import os
import threading
import time
from pathlib import Path
from typing import IO

from storage.connection import utc_now
from storage.errors import StoreError

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows has no flock; crawls there run unlocked
    fcntl = None  # type: ignore[assignment]

logger = logging.getLogger(__name__)

LOCK_SUFFIX = ".lock"
# How often a waiting crawl tries the lock again.
LOCK_POLL_S = 0.5


class StoreBusy(StoreError):
    """Another crawl holds the store; the message says which process and what to do."""


class CrawlLock:
    """An exclusive lock on a store for one crawl: a ``flock`` on ``<db>.lock`` beside it.

    The lock is the operating system's, so it goes away with the process however it ends
    (even SIGKILL); the file itself may stay and means nothing. Re-entrant within one process,
    so a command that locks before starting Scrapy and the crawl extension can both ask for it.
    """

    _held: dict[str, tuple[IO[str], int]] = {}
    _guard = threading.Lock()

    def __init__(self, db_path: str | Path) -> None:
        self.db_path = str(db_path)
        self.path = Path(f"{os.path.abspath(db_path)}{LOCK_SUFFIX}")
        self._key = str(self.path)
        self._mine = False

    def acquire(self, wait: float = 0.0) -> CrawlLock:
        """Take the lock, waiting up to ``wait`` seconds; raises StoreBusy if it stays taken."""
        if fcntl is None:  # pragma: no cover
            logger.warning("no file locking on this platform: crawls of one store may overlap")
            return self
        with self._guard:
            if self._key in self._held:
                handle, count = self._held[self._key]
                self._held[self._key] = (handle, count + 1)
                self._mine = True
                return self
        try:
            handle = open(self.path, "a+", encoding="utf-8")  # noqa: SIM115 - held until release
        except OSError as exc:
            raise StoreError(
                f"cannot create the lock file {self.path}: {exc}; the folder of the store must "
                "be writable"
            ) from exc
        deadline = time.monotonic() + max(wait, 0.0)
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = _read_holder(handle)
                    handle.close()
                    waited = f" after waiting {wait:g} s" if wait > 0 else ""
                    raise StoreBusy(
                        f"{self.db_path} is being crawled by another process{holder}{waited}; "
                        "let that crawl finish (schedule crawls with `flock -n`, see the README), "
                        "or wait for it with -s NEWSDEDUP_LOCK_WAIT=SECONDS"
                    ) from None
                time.sleep(LOCK_POLL_S)
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()} since {utc_now()}\n")
        handle.flush()
        with self._guard:
            self._held[self._key] = (handle, 1)
        self._mine = True
        return self

    def release(self) -> None:
        """Give the lock back (the outermost release in this process unlocks the file)."""
        if not self._mine or fcntl is None:
            return
        self._mine = False
        with self._guard:
            handle, count = self._held[self._key]
            if count > 1:
                self._held[self._key] = (handle, count - 1)
                return
            del self._held[self._key]
        with contextlib.suppress(OSError):
            handle.seek(0)
            handle.truncate()
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
        handle.close()

    def __enter__(self) -> CrawlLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


def _read_holder(handle: IO[str]) -> str:
    with contextlib.suppress(OSError):
        handle.seek(0)
        text = handle.read().strip()
        if text:
            return f" ({text})"
    return ""


__all__ = ["LOCK_SUFFIX", "CrawlLock", "StoreBusy"]
