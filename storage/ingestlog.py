"""What ``ingest`` has already read: archive files done, and records settled, kept in the store.

Two tables live in the store's own SQLite file, created on first use
(``storage.schema.INGEST_DDL``, ``CREATE TABLE IF NOT EXISTS``, so older stores gain them without
a schema migration):

- ``ingest_files``: one row per input file and filter set, with its size and modification time
  when it was read to the end. A file read completely with the same filters (or none) and
  unchanged since is skipped without opening it.
- ``ingest_records``: one row per record whose outcome is settled (stored, a duplicate,
  rejected by the extractor, not HTML...), keyed by its WARC-Record-ID (or the content digest of a
  saved page). An interrupted ingest re-reads its file and skips these records before any parsing.

A record is written here right after the store took its article, in its own transaction: a crash
in between leaves a stored article whose record is not listed, and the next ingest processes it
again; the store then finds the same URL and text and answers "unchanged", so nothing is added.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass

from storage.connection import transaction, utc_now
from storage.schema import INGEST_DDL


@dataclass(frozen=True)
class FileMark:
    """Identity of an input file as ingest saw it: where it is, how big, when last changed."""

    path: str
    size: int
    mtime_ns: int


class IngestLog:
    """The ingest bookkeeping of one store, on the store's connection (``store.conn``)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        for statement in INGEST_DDL:
            self.conn.execute(statement)

    def file_done(self, mark: FileMark, filters: str = "") -> bool:
        """True when this file, unchanged, was read to the end with ``filters`` or with none."""
        row = self.conn.execute(
            "SELECT 1 FROM ingest_files WHERE path = ? AND size = ? AND mtime_ns = ? "
            "AND filters IN ('', ?) LIMIT 1",
            (mark.path, mark.size, mark.mtime_ns, filters),
        ).fetchone()
        return row is not None

    def finish_file(self, mark: FileMark, records: int, filters: str = "") -> None:
        """Record that ``mark`` was read to the end (``records`` records) with ``filters``."""
        self._write(
            "INSERT INTO ingest_files (path, filters, size, mtime_ns, records, finished_at) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (path, filters) DO UPDATE SET "
            "size = excluded.size, mtime_ns = excluded.mtime_ns, records = excluded.records, "
            "finished_at = excluded.finished_at",
            [(mark.path, filters, mark.size, mark.mtime_ns, records, utc_now())],
        )

    def seen(self, record_id: str) -> bool:
        """True when the record's outcome is already settled."""
        row = self.conn.execute(
            "SELECT 1 FROM ingest_records WHERE record_id = ?", (record_id,)
        ).fetchone()
        return row is not None

    def settle(
        self,
        record_id: str,
        *,
        url: str | None,
        outcome: str,
        reason: str | None = None,
        article_id: int | None = None,
        file: str | None = None,
    ) -> None:
        """Record the outcome of one record (insert or replace)."""
        self.settle_many([(record_id, url, outcome, reason, article_id, file)])

    def settle_many(
        self,
        rows: Iterable[tuple[str, str | None, str, str | None, int | None, str | None]],
    ) -> None:
        """Record ``(record_id, url, outcome, reason, article_id, file)`` rows, one transaction."""
        now = utc_now()
        self._write(
            "INSERT OR REPLACE INTO ingest_records "
            "(record_id, url, outcome, reason, article_id, file, ingested_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(*row, now) for row in rows],
        )

    def counts(self) -> dict[str, int]:
        """Settled records by outcome."""
        rows = self.conn.execute("SELECT outcome, count(*) FROM ingest_records GROUP BY outcome")
        return {outcome: count for outcome, count in rows}

    def _write(self, sql: str, rows: list[tuple[object, ...]]) -> None:
        if not rows:
            return
        with transaction(self.conn):
            self.conn.executemany(sql, rows)


__all__ = ["FileMark", "IngestLog"]
