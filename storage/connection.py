"""The store's SQLite connection: opening the file with checks that turn low-level failures into
messages with a fix, write transactions, and the timestamps rows carry."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from storage.errors import StoreError

BUSY_TIMEOUT_S = 30.0
CACHE_KIB = 32 * 1024
WAL_CHECKPOINT_PAGES = 4000


def connect(path: str | Path, *, create: bool) -> sqlite3.Connection:
    """Open ``path`` in WAL mode with autocommit (transactions are explicit).

    Raises StoreError naming the path and the fix when the folder is missing, the file is not a
    SQLite database, it cannot be read or written, or it does not exist and ``create`` is False.
    """
    if str(path) == ":memory:":
        return sqlite3.connect(":memory:", isolation_level=None)
    path = Path(path)
    if path.is_dir():
        raise StoreError(
            f"{path} is a folder, not a store file; pass a file path such as {path / 'news.db'}"
        )
    if not path.exists():
        if not create:
            raise StoreError(
                f"no store at {path}: check the --db path, or create one with "
                f"`newsdedup crawl --db {path}`"
            )
        parent = path.parent if str(path.parent) else Path(".")
        if not parent.is_dir():
            raise StoreError(
                f"cannot create store {path}: folder {parent} does not exist; "
                f"create it (mkdir -p {parent}) or choose another --db path"
            )
        if not os.access(parent, os.W_OK | os.X_OK):
            raise StoreError(
                f"cannot create store {path}: no permission to write in {parent}; "
                "choose another --db path or fix the folder's permissions"
            )
    elif not os.access(path, os.R_OK):
        raise StoreError(f"cannot read store {path}: permission denied; fix its permissions")
    try:
        conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_S, isolation_level=None)
    except sqlite3.Error as err:
        raise StoreError(f"cannot open store {path}: {err}; check the --db path") from err
    try:
        # The first statement that reads the file is where "not a database" shows up.
        # A read-only folder cannot hold the WAL files; reads still work in rollback mode then.
        conn.execute("PRAGMA journal_mode=WAL").fetchone()
    except sqlite3.DatabaseError as err:
        conn.close()
        if "not a database" in str(err) or "malformed" in str(err):
            raise StoreError(
                f"{path} is not a newsdedup store (SQLite says: {err}); "
                "choose another --db path or move that file away"
            ) from err
        raise StoreError(f"cannot open store {path}: {err}") from err
    # WAL with synchronous=NORMAL is durable across crashes of the process and never corrupts;
    # only the last transactions before a power loss can be lost, and a re-crawl refetches them.
    conn.execute("PRAGMA synchronous=NORMAL")
    # Enough page cache for the inner pages of the LSH, URL and FTS B-trees of a million-article
    # store, so a lookup reads only leaf pages; memory stays bounded by this, not by the store.
    conn.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
    # A checkpoint fsyncs the file; every 1000 pages (the default) that is every ~40 articles and
    # halves the write rate. 16 MB of WAL between checkpoints costs little and stays bounded.
    conn.execute(f"PRAGMA wal_autocheckpoint={WAL_CHECKPOINT_PAGES}")
    conn.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_S * 1000)}")
    return conn


@contextlib.contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[None]:
    """Run the block as one write transaction on ``conn``: committed, or rolled back on error.

    Inside another transaction the block is a savepoint of it: undone alone on error, committed
    only with the outer transaction (so a caller can store an article and what follows from it
    in one commit).
    """
    if conn.in_transaction:
        conn.execute("SAVEPOINT nested")
        try:
            yield
        except BaseException:
            conn.execute("ROLLBACK TO nested")
            conn.execute("RELEASE nested")
            raise
        else:
            conn.execute("RELEASE nested")
        return
    # IMMEDIATE takes the write lock up front: a deferred transaction that reads and then writes
    # fails with SQLITE_BUSY when another writer got in between, instead of waiting.
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    else:
        conn.execute("COMMIT")


def utc_now() -> str:
    """Current time as ISO 8601 UTC with seconds, as every timestamp in the store is written."""
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
