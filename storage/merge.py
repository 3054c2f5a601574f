"""Merging shard stores (one per distributed crawl worker) into one store, keeping their stories.

Articles are copied in the order the shared index numbered them (``shared_links.seq``), so the
first copy of a story in the crawl is its representative in the merged store (the shared index
neither finds copies by containment nor makes the fullest copy the representative: re-dedup of
the merged store does both). A duplicate link recorded by the shared index (to an article any
shard stored) is resolved through the merged store; a link inside a shard without shared-index
records (a plain store) is remapped to the new ids. Raw pages, earlier versions, the fetch log
and the LSH and containment index rows come along, so later crawls into the merged store dedup
against everything.

Merging is idempotent: an article whose URL the output already holds is not copied again (the
first shard's copy of a URL wins), and a fetch row already there is not repeated.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from storage import grams
from storage.connection import transaction
from storage.crawlstate import merge_state
from storage.errors import ParameterMismatch, StoreError
from storage.schedule import merge_schedule
from storage.schema import ARTICLE_COLUMNS, CRAWL_STATE_DDL, SHARED_LINKS_DDL
from storage.store import Store

logger = logging.getLogger(__name__)

_COLUMNS = [name for name in ARTICLE_COLUMNS if name != "id"]
_LINK_FIELDS = ("seq", "match", "matched_seq", "matched_url", "similarity")


@dataclass
class MergeResult:
    """What :func:`merge` did."""

    shards: int = 0
    copied: int = 0  # articles copied into the output
    duplicates: int = 0  # of which duplicates of another article
    already: int = 0  # articles whose URL the output already held
    unresolved: int = 0  # links to an article no merged shard holds (stored as new)
    fetches: int = 0
    per_shard: dict[str, int] = field(default_factory=dict)
    # Crawl-state rows added or changed: runs, sources, validators, seen (storage.crawlstate),
    # and schedule (storage.schedule) when a shard was crawled with --due.
    crawl_state: dict[str, int] = field(default_factory=dict)


@dataclass
class _Row:
    shard: int
    article: dict[str, Any]
    link: dict[str, Any] | None

    def order(self) -> tuple[Any, ...]:
        article_id = self.article["id"]
        if self.link is not None:
            # A "url" link carries the number of the earlier registration of the same URL.
            later = 1 if self.link["match"] == "url" else 0
            return (0, self.link["seq"], later, "", self.shard, article_id)
        return (1, 0, 0, self.article["first_seen"] or "", self.shard, article_id)


def _table_exists(conn: sqlite3.Connection, name: str) -> bool:
    row = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,))
    return row.fetchone() is not None


def _rows(shard: Store, index: int) -> Iterator[_Row]:
    links: dict[str, dict[str, Any]] = {}
    if _table_exists(shard.conn, "shared_links"):
        for row in shard.conn.execute(f"SELECT url, {', '.join(_LINK_FIELDS)} FROM shared_links"):
            links[row[0]] = dict(zip(_LINK_FIELDS, tuple(row)[1:], strict=True))
    for row in shard.conn.execute("SELECT * FROM articles ORDER BY id"):
        article = dict(row)
        yield _Row(index, article, links.get(article["url"]))


def _open_output(output: str | Path, first: Store) -> Store:
    try:
        return Store.open(output, params=first.params, threshold=first.threshold)
    except ParameterMismatch as exc:
        raise ParameterMismatch(
            f"cannot merge into {output}: {exc}. Merge into a new file, or re-deduplicate the "
            "shards with the output's parameters first"
        ) from None


def merge(shards: Sequence[str | Path], output: str | Path) -> MergeResult:
    """Merge the stores at ``shards`` into the store at ``output`` (created when missing).

    Returns a :class:`MergeResult`. Raises StoreError when a shard is missing or not a store,
    or is the output itself, and ParameterMismatch when shards were deduplicated with other
    parameters than each other or the output.
    """
    if not shards:
        raise StoreError("nothing to merge: name one or more shard stores")
    out_path = Path(output).resolve()
    opened: list[Store] = []
    try:
        for path in shards:
            if Path(path).resolve() == out_path:
                raise StoreError(f"{path} is both a shard and the output; merge into a new file")
            if not Path(path).exists():
                raise StoreError(f"no store at {path}: give the path of a worker's --db file")
            store = Store.open(path, create=False)
            opened.append(store)
            first = opened[0]
            if (store.params, store.threshold) != (first.params, first.threshold):
                raise ParameterMismatch(
                    f"{path} was deduplicated with {store.params.describe()}, threshold "
                    f"{store.threshold}, but {first.path} with {first.params.describe()}, "
                    f"threshold {first.threshold}; every worker must use the same preset"
                )
        with _open_output(output, opened[0]) as out:
            return _merge_into(out, opened)
    finally:
        for store in opened:
            store.close()


def _merge_into(out: Store, shards: list[Store]) -> MergeResult:
    result = MergeResult(shards=len(shards))
    rows = sorted((row for i, s in enumerate(shards) for row in _rows(s, i)), key=_Row.order)
    conn = out.conn
    # (shard, old id) -> id in the output, for links, pages, versions and fetches.
    ids: dict[tuple[int, int], int] = {}
    # Outside the transaction: executescript commits. Every statement is IF NOT EXISTS.
    conn.executescript(CRAWL_STATE_DDL)
    later: list[tuple[int, dict[str, Any], int]] = []
    with transaction(conn):
        conn.execute(SHARED_LINKS_DDL)
        for row in rows:
            old = row.article
            shard = shards[row.shard]
            found = conn.execute("SELECT id FROM articles WHERE url = ?", (old["url"],)).fetchone()
            if found is not None:
                ids[(row.shard, old["id"])] = found[0]
                result.already += 1
                continue
            values = {name: old.get(name) for name in _COLUMNS}
            values.update(_links(conn, row, ids, result))
            marks = ", ".join("?" * len(values))
            cur = conn.execute(
                f"INSERT INTO articles ({', '.join(values)}) VALUES ({marks})",
                list(values.values()),
            )
            new_id = int(cur.lastrowid or 0)
            grams.index(conn, new_id, values.get("title"), values.get("text"))
            ids[(row.shard, old["id"])] = new_id
            result.copied += 1
            result.duplicates += values["duplicate_of"] is not None
            result.per_shard[shard.path] = result.per_shard.get(shard.path, 0) + 1
            if row.link is not None:
                conn.execute(
                    f"INSERT OR IGNORE INTO shared_links (url, {', '.join(_LINK_FIELDS)}) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (old["url"], *(row.link[name] for name in _LINK_FIELDS)),
                )
            _copy_dependents(shard, conn, old["id"], new_id, index=values["match"] != "exact")
            if row.link is None and old["duplicate_of"] is not None and values["match"] is None:
                later.append((row.shard, old, new_id))
        # Copies whose representative came after them in their shard (a fuller copy stored
        # later, storage.representative): linked once every article is in.
        for index, old, new_id in later:
            rep = ids.get((index, old["duplicate_of"]))
            if rep is None:
                continue
            root = conn.execute("SELECT duplicate_of FROM articles WHERE id = ?", (rep,))
            rep = root.fetchone()[0] or rep
            conn.execute(
                "UPDATE articles SET duplicate_of = ?, matched_id = ?, match = ?, similarity = ? "
                "WHERE id = ?",
                (
                    rep,
                    ids.get((index, old["matched_id"]), rep),
                    old["match"],
                    old["similarity"],
                    new_id,
                ),
            )
            result.duplicates += 1
        # Fetch rows already in the output (an earlier merge of the same shard) are not repeated.
        query = "SELECT url, fetched_at, outcome, status FROM fetches"
        seen = {tuple(row) for row in conn.execute(query)}
        for i, shard in enumerate(shards):
            result.fetches += _copy_fetches(shard, conn, i, ids, seen)
        # So later runs into the output, alone or distributed, skip what the shards fetched and
        # ask with the validators they were given.
        for i, shard in enumerate(shards):
            mine = {old: new for (index, old), new in ids.items() if index == i}
            for table, n in merge_state(shard.conn, conn, mine).items():
                result.crawl_state[table] = result.crawl_state.get(table, 0) + n
            if _table_exists(shard.conn, "crawl_schedule"):  # crawled with --due
                n = merge_schedule(shard.conn, conn)
                result.crawl_state["schedule"] = result.crawl_state.get("schedule", 0) + n
    logger.info(
        "merged %d shards into %s: %d articles copied (%d duplicates), %d already there",
        result.shards,
        out.path,
        result.copied,
        result.duplicates,
        result.already,
    )
    return result


def _links(
    conn: sqlite3.Connection,
    row: _Row,
    ids: dict[tuple[int, int], int],
    result: MergeResult,
) -> dict[str, Any]:
    """``duplicate_of``, ``matched_id``, ``match`` and ``similarity`` in the output's ids."""
    none = {"duplicate_of": None, "matched_id": None, "match": None, "similarity": None}
    link = row.link
    if link is not None and link["match"] in ("exact", "minhash"):
        matched = conn.execute(
            "SELECT id, duplicate_of FROM articles WHERE url = ?", (link["matched_url"],)
        ).fetchone()
        if matched is None:
            result.unresolved += 1
            logger.warning(
                "%s duplicates %s, which no merged shard holds; stored as new",
                row.article["url"],
                link["matched_url"],
            )
            return none
        return {
            "duplicate_of": matched[1] or matched[0],
            "matched_id": matched[0],
            "match": link["match"],
            "similarity": link["similarity"],
        }
    old = row.article
    if link is None and old["duplicate_of"] is not None:
        rep = ids.get((row.shard, old["duplicate_of"]))
        if rep is not None:
            root = conn.execute("SELECT duplicate_of FROM articles WHERE id = ?", (rep,))
            rep = root.fetchone()[0] or rep
            return {
                "duplicate_of": rep,
                "matched_id": ids.get((row.shard, old["matched_id"]), rep),
                "match": old["match"],
                "similarity": old["similarity"],
            }
    return none


def _copy_dependents(
    shard: Store, conn: sqlite3.Connection, old_id: int, new_id: int, *, index: bool
) -> None:
    page = shard.conn.execute(
        "SELECT html, compression, fetched_at FROM pages WHERE article_id = ?", (old_id,)
    ).fetchone()
    if page is not None:
        conn.execute(
            "INSERT OR IGNORE INTO pages (article_id, html, compression, fetched_at) "
            "VALUES (?, ?, ?, ?)",
            (new_id, *page),
        )
    versions = shard.conn.execute(
        "SELECT title, text, fetched_at, replaced_at FROM article_versions WHERE article_id = ? "
        "ORDER BY id",
        (old_id,),
    ).fetchall()
    conn.executemany(
        "INSERT INTO article_versions (article_id, title, text, fetched_at, replaced_at) "
        "VALUES (?, ?, ?, ?, ?)",
        [(new_id, *version) for version in versions],
    )
    # An exact copy is not indexed (its text is, under the copy it matched), as in one store.
    if index:
        conn.executemany(
            "INSERT OR IGNORE INTO lsh (key, article_id) VALUES (?, ?)",
            [
                (key, new_id)
                for (key,) in shard.conn.execute(
                    "SELECT key FROM lsh WHERE article_id = ?", (old_id,)
                )
            ],
        )
        # Posting lists of the merged store may hold more than one shard's cap: a lookup reads
        # a little more, and re-dedup rebuilds them capped.
        conn.executemany(
            "INSERT OR IGNORE INTO containment (anchor, article_id) VALUES (?, ?)",
            [
                (anchor, new_id)
                for (anchor,) in shard.conn.execute(
                    "SELECT anchor FROM containment WHERE article_id = ?", (old_id,)
                )
            ],
        )


def _copy_fetches(
    shard: Store,
    conn: sqlite3.Connection,
    index: int,
    ids: dict[tuple[int, int], int],
    seen: set[tuple[Any, ...]],
) -> int:
    copied = 0
    rows = shard.conn.execute(
        "SELECT url, status, outcome, reason, article_id, source, fetched_at, page_type "
        "FROM fetches ORDER BY id"
    )
    for url, status, outcome, reason, article_id, source, fetched_at, page_type in rows:
        new_article = ids.get((index, article_id)) if article_id is not None else None
        key = (url, fetched_at, outcome, status)
        if key in seen:
            continue
        seen.add(key)
        conn.execute(
            "INSERT INTO fetches "
            "(url, status, outcome, reason, article_id, source, fetched_at, page_type) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (url, status, outcome, reason, new_article, source, fetched_at, page_type),
        )
        copied += 1
    return copied
