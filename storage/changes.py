"""What changed since a cursor: the incremental export for downstream jobs.

Every insert, update and delete of an article row appends to the ``changes`` table (SQLite
triggers, storage.schema version 7), whatever code path makes it: a crawl, re-dedup,
``reclean``, a representative switching stories, a hand-written ``UPDATE``. A **cursor**
names the store and a position in that log, ``<store id>:<sequence number>``.

An incremental export lists, for every article changed after the cursor, its state now, in
the selection a full export with the same options makes (unique articles unless duplicates
are included, the same filters), in id order, each JSON line with an ``op`` field first:

- ``add``: an article stored after the cursor, in the selection: add the row;
- ``update``: an article stored before the cursor, in the selection: replace the row with
  this id, or add it when you do not hold it (it may have joined the selection, e.g. a
  duplicate that became its story's representative);
- ``remove`` (``{"op": "remove", "id": N}``): an article stored before the cursor that is not
  in the selection now (it became a duplicate, no longer passes the filters, or was deleted):
  drop the row with this id if you hold it.

Applying them in order to the export the cursor came with, and keeping rows in id order,
gives the full export of now, byte for byte once ``op`` is taken out (each line is the full
export's line with ``"op": ...`` inserted first).
The export reads one snapshot of the store: the cursor it returns is the log's position in
that snapshot, so a crawl writing meanwhile is seen by the next export, never half.

The log grows with every update (a re-dedup logs every article it touches). :func:`compact`
drops what no reader needs any more once every downstream job has reached a cursor: the
entries up to it, except the insert of each article still stored, so an export since the
store began stays whole. A cursor older than the compaction is refused from then on.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from storage.connection import transaction
from storage.errors import StoreError
from storage.filters import ArticleFilter
from storage.records import decode


class CursorError(StoreError):
    """A cursor that cannot be used with this store; the message says why."""


@dataclass(frozen=True)
class Cursor:
    """A position in a store's change log."""

    store_id: str
    seq: int

    def __str__(self) -> str:
        return f"{self.store_id}:{self.seq}"

    @classmethod
    def parse(cls, text: str) -> Cursor:
        """Read ``<store id>:<sequence>``; raises CursorError saying how one looks."""
        store_id, sep, seq = text.strip().rpartition(":")
        if not sep or not store_id or not seq.isdigit():
            raise CursorError(
                f"{text.strip()!r} is not a cursor; a cursor looks like "
                "'3f2c...e9:1234' (the store's id and a position in its change log), as an "
                "export with --cursor-file writes it"
            )
        return cls(store_id, int(seq))


def store_id(conn: sqlite3.Connection) -> str:
    row = conn.execute("SELECT value FROM meta WHERE key = 'store_id'").fetchone()
    if row is None:  # pragma: no cover - every store of version 7 has one
        raise StoreError("this store has no id; open it with this version to upgrade it")
    return str(row[0])


def current(conn: sqlite3.Connection) -> Cursor:
    """The cursor of the store as it is now (the last change logged)."""
    row = conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'changes'").fetchone()
    return Cursor(store_id(conn), int(row[0]) if row else 0)


def check(conn: sqlite3.Connection, cursor: Cursor | str, path: str = "") -> Cursor:
    """Return ``cursor`` if it belongs to this store; raise CursorError saying why not."""
    if isinstance(cursor, str):
        cursor = Cursor.parse(cursor)
    now = current(conn)
    where = f" ({path})" if path else ""
    if cursor.store_id != now.store_id:
        raise CursorError(
            f"cursor {cursor} belongs to another store (id {cursor.store_id}); this store"
            f"{where} has id {now.store_id}. A cursor only counts changes of the store that "
            "gave it: make a full export of this store (or start with an empty cursor file) "
            "to follow it"
        )
    if cursor.seq > now.seq:
        raise CursorError(
            f"cursor {cursor} is ahead of this store{where}, whose last change is {now.seq}: "
            "the store was replaced by an older copy; make a full export again"
        )
    kept = compacted(conn)
    if 0 < cursor.seq < kept:
        raise CursorError(
            f"cursor {cursor} is older than the change log of this store{where}, compacted "
            f"up to {kept}: the changes since it are gone; make a full export again (or start "
            "with an empty cursor file)"
        )
    return cursor


def compacted(conn: sqlite3.Connection) -> int:
    """The position up to which the log was compacted (0: never)."""
    row = conn.execute("SELECT value FROM meta WHERE key = 'changes_compacted'").fetchone()
    return int(row[0]) if row else 0


def compact(conn: sqlite3.Connection, before: Cursor | str, path: str = "") -> int:
    """Drop the log up to ``before`` (a cursor of this store that every reader has reached),
    but the insert of each article still stored. Returns the entries dropped; raises
    CursorError for a cursor this store would refuse."""
    with transaction(conn):
        cursor = check(conn, before, path)
        dropped = conn.execute(
            "DELETE FROM changes WHERE seq <= ? AND NOT (kind = 'i' AND article_id IN "
            "(SELECT id FROM articles))",
            (cursor.seq,),
        ).rowcount
        if cursor.seq > compacted(conn):
            conn.execute(
                "INSERT INTO meta (key, value) VALUES ('changes_compacted', ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (str(cursor.seq),),
            )
    return dropped


@contextlib.contextmanager
def snapshot(conn: sqlite3.Connection) -> Iterator[None]:
    """Read one state of the store for the block: a read transaction (WAL keeps writers going)."""
    if conn.in_transaction:
        yield
        return
    conn.execute("BEGIN")
    try:
        yield
    finally:
        conn.execute("COMMIT")


def changed(
    conn: sqlite3.Connection,
    since: Cursor,
    until: Cursor,
    columns: Sequence[str],
    flt: ArticleFilter,
) -> Iterator[tuple[str, int, tuple[Any, ...] | None]]:
    """Yield ``(op, article id, values of the SQL columns or None)`` for every article changed
    after ``since`` up to ``until``, in id order (see the module's documentation)."""
    conds, params = flt.where("articles")
    selected = " AND ".join(["articles.id IS NOT NULL", *(f"({c})" for c in conds)])
    sql = (
        "WITH changed AS (SELECT article_id, max(kind = 'i') AS fresh FROM changes "
        "WHERE seq > ? AND seq <= ? GROUP BY article_id) "
        f"SELECT {selected}, changed.fresh, changed.article_id, {', '.join(columns)} "
        "FROM changed LEFT JOIN articles ON articles.id = changed.article_id "
        "ORDER BY changed.article_id"
    )
    cursor = conn.cursor()
    cursor.row_factory = None
    for row in cursor.execute(sql, [since.seq, until.seq, *params]):
        if row[0]:
            yield (ADD if row[1] else UPDATE), row[2], tuple(row[3:])
        elif not row[1]:
            # Stored after the cursor and not selected now: no earlier export had it.
            yield REMOVE, row[2], None


ADD, UPDATE, REMOVE = "add", "update", "remove"
OPS = (ADD, UPDATE, REMOVE)


def since(
    conn: sqlite3.Connection,
    cursor: str | None,
    columns: Sequence[str],
    flt: ArticleFilter,
    path: str = "",
) -> Iterator[dict[str, Any]]:
    """What changed after ``cursor`` (None: since the store began), one dict per article in id
    order: ``{"op": "add" | "update", **row}`` or ``{"op": "remove", "id": N}``; rows as
    ``decode`` makes them from ``columns``. Reads one snapshot."""
    with snapshot(conn):
        start = Cursor(store_id(conn), 0) if cursor is None else check(conn, cursor, path)
        for op, article_id, values in changed(conn, start, current(conn), columns, flt):
            if values is None:
                yield {"op": op, "id": article_id}
            else:
                yield {"op": op, **decode(dict(zip(columns, values, strict=True)))}


def apply(previous: Sequence[str], changes: Sequence[str]) -> list[str]:
    """The JSONL lines of a full export after applying ``changes`` (JSONL lines with ``op``) to
    the lines of ``previous``: the reference of what a downstream job does."""
    rows = {json.loads(line)["id"]: line for line in previous}
    for line in changes:
        change = json.loads(line)
        if change["op"] == REMOVE:
            rows.pop(change["id"], None)
        else:
            # The line without its op: the full export's line, byte for byte.
            rows[change["id"]] = "{" + line[len(_op_prefix(change["op"])) :]
    return [rows[key] for key in sorted(rows)]


def _op_prefix(op: str) -> str:
    return '{"op": "' + op + '", '


def tag(line: str, op: str) -> str:
    """A full export's JSONL line with ``op`` put first."""
    return _op_prefix(op) + line[1:]


def removal(article_id: int) -> str:
    return f'{{"op": "{REMOVE}", "id": {article_id}}}\n'


__all__ = [
    "ADD",
    "OPS",
    "REMOVE",
    "UPDATE",
    "Cursor",
    "CursorError",
    "apply",
    "changed",
    "check",
    "compact",
    "compacted",
    "current",
    "removal",
    "snapshot",
    "store_id",
    "tag",
]
