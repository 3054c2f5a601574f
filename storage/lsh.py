"""The MinHash LSH index inside SQLite: a (band key, article) row per band, WITHOUT ROWID.

Rows are written with the article in the caller's transaction, so the index never drifts from the
articles, nothing is rebuilt at start-up, and memory does not grow with the store.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

# A text shares bands with every near copy already stored. A story syndicated hundreds of times
# would make every later copy verify hundreds of candidates; the copies sharing most bands are
# the likeliest matches, so only that many are looked at.
MAX_CANDIDATES = 32


class SqliteLSH:
    """Band-key index over a connection; callers own the transaction."""

    def __init__(self, conn: sqlite3.Connection, table: str = "lsh") -> None:
        self.conn = conn
        self.table = table

    def insert(self, article_id: int, keys: Sequence[int]) -> None:
        """Index ``article_id`` under each of its band ``keys``."""
        self.conn.executemany(
            f"INSERT OR IGNORE INTO {self.table} (key, article_id) VALUES (?, ?)",
            [(key, article_id) for key in keys],
        )

    def remove(self, article_id: int, keys: Sequence[int]) -> None:
        """Drop ``article_id`` from each of its band ``keys`` (missing rows are ignored)."""
        self.conn.executemany(
            f"DELETE FROM {self.table} WHERE key = ? AND article_id = ?",
            [(key, article_id) for key in keys],
        )

    def candidates(
        self, keys: Sequence[int], *, limit: int = MAX_CANDIDATES, exclude: int | None = None
    ) -> list[int]:
        """Return ids sharing at least one band with ``keys``, most shared bands first."""
        if not keys:
            return []
        marks = ",".join("?" * len(keys))
        rows = self.conn.execute(
            f"SELECT article_id, count(*) AS hits FROM {self.table} WHERE key IN ({marks}) "
            "GROUP BY article_id ORDER BY hits DESC, article_id LIMIT ?",
            [*keys, limit + 1],
        ).fetchall()
        return [row[0] for row in rows if row[0] != exclude][:limit]

    def clear(self) -> None:
        """Remove every entry (used when re-deduplicating the whole store)."""
        self.conn.execute(f"DELETE FROM {self.table}")

    def count(self) -> int:
        """Number of (key, article) rows."""
        return self.conn.execute(f"SELECT count(*) FROM {self.table}").fetchone()[0]
