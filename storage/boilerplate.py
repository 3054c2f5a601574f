"""Boilerplate counts in the store: which segments recur on how many pages of a learning key.

The learner (``crawler.learning``) decides what counts as boilerplate; this module keeps what it
needs, in the tables of ``storage.schema.LEARNING_DDL``: the keys (a site, a template of a
site, a template across hosts) and their page counts, each segment's page count and state per
key, which stored page carries which segment, and each counted article's text before learned
boilerplate was stripped from it. Every method runs in the caller's transaction.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from storage.store import Store

# SQLite allows 32,766 bound parameters; a page has far fewer segments, but chunk anyway.
_CHUNK = 500

# Bits of boilerplate_counts.state.
PLACED = 1  # a line at its place at the top or bottom of the text, not a line anywhere
FURNITURE = 2  # never matched on
LEARNED = 4  # boilerplate: stripped from the text
STORIES = 8  # printed on pages of three different stories


def key_hash(*parts: str) -> int:
    """Stable signed 64-bit hash of ``parts`` (fits an SQLite INTEGER); 0 for all-empty parts."""
    if not any(parts):
        return 0
    digest = hashlib.blake2b("\x1f".join(parts).encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


class Count(NamedTuple):
    """One segment under one key."""

    pages: int
    words: int
    state: int


class Carrier(NamedTuple):
    """A stored article as the learner reads it back."""

    article_id: int
    url: str
    site: str
    template: str
    title: str
    cleaned: str  # its text before learned boilerplate was stripped
    text: str  # as stored
    match_text: str  # what dedup matches it on


def _chunks(items: Sequence[int]) -> Iterable[list[int]]:
    for start in range(0, len(items), _CHUNK):
        yield list(items[start : start + _CHUNK])


class StoreBoilerplate:
    """The learner's persistence over a :class:`~storage.Store`'s connection."""

    def __init__(self, store: Store) -> None:
        self.conn: sqlite3.Connection = store.conn

    # -- keys

    def add_pages(self, keys: Sequence[tuple[int, str, str]], delta: int) -> dict[int, int]:
        """Add ``delta`` pages to each of ``keys`` ((key, site, template), created when new);
        return ``{key: pages}`` after."""
        after = {}
        for key, site, template in keys:
            row = self.conn.execute(
                "INSERT INTO boilerplate_keys (key, site, template, pages) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (key) DO UPDATE SET pages = pages + excluded.pages RETURNING pages",
                (key, site, template, delta),
            ).fetchone()
            after[key] = int(row[0])
        return after

    # -- segment counts

    def counts(self, keys: Sequence[int], hashes: Sequence[int]) -> dict[tuple[int, int], Count]:
        """``{(key, hash): Count}`` of ``hashes`` counted under ``keys`` (others: absent)."""
        found: dict[tuple[int, int], Count] = {}
        if not keys:
            return found
        key_marks = ",".join("?" * len(keys))
        for chunk in _chunks(hashes):
            marks = ",".join("?" * len(chunk))
            rows = self.conn.execute(
                "SELECT key, hash, pages, words, state FROM boilerplate_counts "
                f"WHERE key IN ({key_marks}) AND hash IN ({marks})",
                [*keys, *chunk],
            )
            found.update(((k, h), Count(p, w, s)) for k, h, p, w, s in rows)
        return found

    def add_counts(
        self, keys: Sequence[int], segments: Mapping[int, tuple[int, bool]], delta: int
    ) -> dict[tuple[int, int], Count]:
        """Add ``delta`` (1 or -1) to the page count of each of ``segments`` ({hash: (words,
        placed)}) under each of ``keys``; return ``{(key, hash): Count}`` after (a count that
        falls to zero is deleted)."""
        before = self.counts(keys, list(segments))
        after: dict[tuple[int, int], Count] = {}
        for key in keys:
            for h, (words, placed) in segments.items():
                old = before.get((key, h))
                if old is None:
                    after[key, h] = Count(delta, words, PLACED if placed else 0)
                else:
                    after[key, h] = Count(old.pages + delta, old.words, old.state)
        self.conn.executemany(
            "INSERT INTO boilerplate_counts (key, hash, pages, words, state) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (key, hash) DO UPDATE SET pages = excluded.pages",
            [(k, h, c.pages, c.words, c.state) for (k, h), c in after.items() if c.pages > 0],
        )
        gone = [kh for kh, c in after.items() if c.pages <= 0]
        if gone:
            self.conn.executemany("DELETE FROM boilerplate_counts WHERE key = ? AND hash = ?", gone)
        return after

    def set_states(self, states: Mapping[tuple[int, int], tuple[int, str | None]]) -> None:
        """Set the state (and sample line) of segments: ``{(key, hash): (state, line)}``."""
        if states:
            self.conn.executemany(
                "UPDATE boilerplate_counts SET state = ?, sample = coalesce(sample, ?) "
                "WHERE key = ? AND hash = ?",
                [(state, sample, k, h) for (k, h), (state, sample) in states.items()],
            )

    def marked(self, key: int, low: int, high: int) -> dict[int, Count]:
        """Segments of ``key`` on ``low`` to ``high`` pages marked furniture, learned or of
        three stories."""
        rows = self.conn.execute(
            "SELECT hash, pages, words, state FROM boilerplate_counts "
            "WHERE key = ? AND pages BETWEEN ? AND ? AND state >= ?",
            (key, low, high, FURNITURE),
        )
        return {h: Count(p, w, s) for h, p, w, s in rows}

    # -- carriers

    def carriers(
        self, h: int, *, site: int | None, template: int | None, limit: int | None = None
    ) -> list[int]:
        """Ids of the articles carrying segment ``h`` under a key: of ``site`` (None: any),
        with ``template`` (None: any), by their URL's hash, at most ``limit``."""
        where, args = "hash = ?", [h]
        if site is not None:
            where += " AND site = ?"
            args.append(site)
        if template is not None:
            where += " AND template = ?"
            args.append(template)
        # Ordered by the page's hash, not by when it was stored: the same carriers whatever the
        # order pages came in.
        sql = f"SELECT article_id FROM boilerplate_carriers WHERE {where} ORDER BY site, page"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return [row[0] for row in self.conn.execute(sql, args)]

    def add_carriers(
        self, article_id: int, site: int, page: int, template: int, hashes: Iterable[int]
    ) -> None:
        """Record that the article carries each of ``hashes``."""
        self.conn.executemany(
            "INSERT OR REPLACE INTO boilerplate_carriers (hash, site, page, template, article_id) "
            "VALUES (?, ?, ?, ?, ?)",
            [(h, site, page, template, article_id) for h in hashes],
        )

    def remove_carriers(self, site: int, page: int, hashes: Iterable[int]) -> None:
        """Forget that the page carries each of ``hashes``."""
        self.conn.executemany(
            "DELETE FROM boilerplate_carriers WHERE hash = ? AND site = ? AND page = ?",
            [(h, site, page) for h in hashes],
        )

    # -- segments seen once

    def seen(self, hashes: Sequence[int]) -> dict[int, tuple[int, bool]]:
        """``{hash: (first article carrying it, carried by another too)}`` of ``hashes`` seen."""
        found: dict[int, tuple[int, bool]] = {}
        for chunk in _chunks(hashes):
            marks = ",".join("?" * len(chunk))
            rows = self.conn.execute(
                f"SELECT hash, article_id, shared FROM boilerplate_seen WHERE hash IN ({marks})",
                chunk,
            )
            found.update((h, (a, bool(shared))) for h, a, shared in rows)
        return found

    def add_seen(self, article_id: int, hashes: Iterable[int]) -> None:
        """Record the article as the first to carry each of ``hashes``."""
        self.conn.executemany(
            "INSERT OR IGNORE INTO boilerplate_seen (hash, article_id, shared) VALUES (?, ?, 0)",
            [(h, article_id) for h in hashes],
        )

    def set_shared(self, hashes: Iterable[int]) -> None:
        """Mark ``hashes`` as carried by more than one page (counted per key from now on)."""
        self.conn.executemany(
            "UPDATE boilerplate_seen SET shared = 1 WHERE hash = ?", [(h,) for h in hashes]
        )

    def drop_seen(self, hashes: Iterable[int]) -> None:
        """Forget ``hashes``: no stored page carries them any more."""
        self.conn.executemany("DELETE FROM boilerplate_seen WHERE hash = ?", [(h,) for h in hashes])

    # -- counted articles

    def set_cleaned(self, article_id: int, cleaned: str | None) -> None:
        """Mark the article counted, with its text before stripping (None: as stored)."""
        self.conn.execute(
            "INSERT INTO boilerplate_articles (article_id, cleaned) VALUES (?, ?) "
            "ON CONFLICT (article_id) DO UPDATE SET cleaned = excluded.cleaned",
            (article_id, cleaned),
        )

    def uncount(self, article_id: int) -> None:
        """Mark the article not counted."""
        self.conn.execute("DELETE FROM boilerplate_articles WHERE article_id = ?", (article_id,))

    def read(self, ids: Sequence[int]) -> dict[int, Carrier]:
        """The counted articles among ``ids``, as :class:`Carrier`."""
        found: dict[int, Carrier] = {}
        for chunk in _chunks(sorted(set(ids))):
            marks = ",".join("?" * len(chunk))
            rows = self.conn.execute(
                "SELECT a.id, a.url, a.site, a.template, a.title, coalesce(b.cleaned, a.text), "
                "a.text, coalesce(a.match_text, a.text) FROM articles a "
                f"JOIN boilerplate_articles b ON b.article_id = a.id WHERE a.id IN ({marks})",
                chunk,
            )
            for row in rows:
                found[row[0]] = Carrier(row[0], row[1], *(value or "" for value in row[2:]))
        return found

    def forget(self) -> None:
        """Drop every count, to learn anew from the stored pages."""
        for table in (
            "boilerplate_seen",
            "boilerplate_keys",
            "boilerplate_counts",
            "boilerplate_carriers",
            "boilerplate_articles",
        ):
            self.conn.execute(f"DELETE FROM {table}")
