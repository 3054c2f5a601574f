"""Per-site boilerplate counts in the store: which segments recur on how many pages of a site.

The learner (``crawler.cleaning.boilerplate.SiteBoilerplate``) decides what counts as
boilerplate; this module only keeps its counts, in two tables of the store's own file, created
with ``CREATE TABLE IF NOT EXISTS`` so an older store simply gains them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from storage.store import Store, transaction

TABLES = """
CREATE TABLE IF NOT EXISTS boilerplate_pages (
    site TEXT NOT NULL,
    page_hash INTEGER NOT NULL,     -- signed 64-bit hash of the page's canonical URL
    PRIMARY KEY (site, page_hash)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS boilerplate_segments (
    site TEXT NOT NULL,
    hash INTEGER NOT NULL,          -- signed 64-bit hash of the normalised segment
    pages INTEGER NOT NULL,         -- pages of the site that carry it
    words INTEGER NOT NULL,
    sample TEXT NOT NULL,           -- the segment as first seen, for people reading the table
    PRIMARY KEY (site, hash)
) WITHOUT ROWID;
"""

# SQLite allows 32,766 bound parameters; a page has far fewer segments, but chunk anyway.
_CHUNK = 500


class StoreBoilerplate:
    """The learner's persistence over a :class:`~storage.Store` (a ``BoilerplateStore``)."""

    def __init__(self, store: Store) -> None:
        self.conn: sqlite3.Connection = store.conn
        self.conn.executescript(TABLES)

    def site_pages(self, site: str) -> int:
        """Return how many pages of ``site`` have been counted."""
        row = self.conn.execute(
            "SELECT count(*) FROM boilerplate_pages WHERE site = ?", (site,)
        ).fetchone()
        return int(row[0])

    def segment_pages(self, site: str, hashes: Sequence[int]) -> dict[int, int]:
        """Return ``{hash: pages}`` for those of ``hashes`` seen on ``site`` (others: absent)."""
        found: dict[int, int] = {}
        for start in range(0, len(hashes), _CHUNK):
            chunk = list(hashes[start : start + _CHUNK])
            marks = ",".join("?" * len(chunk))
            rows = self.conn.execute(
                "SELECT hash, pages FROM boilerplate_segments "
                f"WHERE site = ? AND hash IN ({marks})",
                [site, *chunk],
            )
            found.update((int(h), int(p)) for h, p in rows)
        return found

    def add_page(self, site: str, page_hash: int, segments: dict[int, tuple[int, str]]) -> bool:
        """Count one page and its segments in one transaction.

        Returns False, changing nothing, when the page was counted before.
        """
        with transaction(self.conn):
            cursor = self.conn.execute(
                "INSERT OR IGNORE INTO boilerplate_pages (site, page_hash) VALUES (?, ?)",
                (site, page_hash),
            )
            if cursor.rowcount == 0:
                return False
            self.conn.executemany(
                "INSERT INTO boilerplate_segments (site, hash, pages, words, sample) "
                "VALUES (?, ?, 1, ?, ?) "
                "ON CONFLICT (site, hash) DO UPDATE SET pages = pages + 1",
                [(site, h, words, sample) for h, (words, sample) in segments.items()],
            )
        return True

    def forget(self, site: str | None = None) -> None:
        """Drop the counts of ``site`` (every site when None), to learn them anew."""
        with transaction(self.conn):
            for table in ("boilerplate_pages", "boilerplate_segments"):
                if site is None:
                    self.conn.execute(f"DELETE FROM {table}")
                else:
                    self.conn.execute(f"DELETE FROM {table} WHERE site = ?", (site,))
