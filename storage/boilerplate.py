"""Per-site boilerplate counts in the store: which segments recur on how many pages of a site.

The learner (``crawler.cleaning.boilerplate.SiteBoilerplate``) decides what counts as
boilerplate; this module only keeps its counts, in three tables of the store's own file
(``storage.schema.BOILERPLATE_DDL``): the pages counted, the segments' page counts, and each
site's number of pages counted.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import TYPE_CHECKING

from storage.connection import transaction

if TYPE_CHECKING:
    from storage.store import Store

# SQLite allows 32,766 bound parameters; a page has far fewer segments, but chunk anyway.
_CHUNK = 500


class StoreBoilerplate:
    """The learner's persistence over a :class:`~storage.Store` (a ``BoilerplateStore``)."""

    def __init__(self, store: Store) -> None:
        self.conn: sqlite3.Connection = store.conn

    def site_pages(self, site: str) -> int:
        """Return how many pages of ``site`` have been counted."""
        row = self.conn.execute(
            "SELECT pages FROM boilerplate_sites WHERE site = ?", (site,)
        ).fetchone()
        return 0 if row is None else int(row[0])

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
            self.conn.execute(
                "INSERT INTO boilerplate_sites (site, pages) VALUES (?, 1) "
                "ON CONFLICT (site) DO UPDATE SET pages = pages + 1",
                (site,),
            )
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
            for table in ("boilerplate_pages", "boilerplate_segments", "boilerplate_sites"):
                if site is None:
                    self.conn.execute(f"DELETE FROM {table}")
                else:
                    self.conn.execute(f"DELETE FROM {table} WHERE site = ?", (site,))
