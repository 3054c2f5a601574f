"""Streaming export of articles to JSONL, CSV and Parquet, with atomic writes to a path."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import logging
import os
import sqlite3
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from storage import changes, scan
from storage.errors import MissingDependency, StoreError
from storage.fields import ARTICLE_FIELDS, BY_NAME, EXPORT_FIELDS, LIST_FIELDS
from storage.filters import ArticleFilter
from storage.store import Store

logger = logging.getLogger(__name__)

FORMATS = ("jsonl", "csv", "parquet")
# Rows read per query, and so how often the progress callback hears about written rows. Larger
# pages were no faster and hold more in memory.
PAGE_ROWS = 1000
# A Parquet row group closes at this many rows or this much Arrow data, whichever comes first:
# one row group is what an export holds in memory, and long texts must not make it grow.
PARQUET_GROUP_ROWS = 10_000
PARQUET_GROUP_BYTES = 8 * 1024 * 1024
# SQLite page cache while exporting, in KiB: each page of the file is read once, in order, so
# the store's large cache (sized for dedup lookups) would only fill with pages never read again.
EXPORT_CACHE_KIB = 2048

# The SQL name under which the JSONL writer reaches Python's encoder (see _json_sql).
_JSON_REAL = "newsdedup_json"
_dumps = json.JSONEncoder(ensure_ascii=False).encode

Progress = Callable[[int], None]


def check_fields(fields: Sequence[str] | None) -> tuple[str, ...]:
    """Return the export columns; None means EXPORT_FIELDS. Raises ValueError for unknown names."""
    if fields is None:
        return EXPORT_FIELDS
    chosen = tuple(f.strip() for f in fields if f.strip())
    unknown = [f for f in chosen if f not in ARTICLE_FIELDS]
    if unknown or not chosen:
        raise ValueError(
            f"unknown export field(s) {', '.join(unknown) or '(none given)'}; "
            f"choose from {', '.join(ARTICLE_FIELDS)}"
        )
    return chosen


def _value_sql(name: str) -> str:
    """SQL for a column as the writers want it: list fields as their stored JSON, never empty."""
    if name in LIST_FIELDS:
        return f"coalesce(nullif({name}, ''), '[]')"
    return name


def _json_sql(name: str) -> str:
    """SQL for the JSON text of a column, as ``json.dumps(value, ensure_ascii=False)`` writes it.

    SQLite's json_quote writes strings, integers and NULL exactly as Python does, but prints a
    REAL with 15 significant digits where Python prints the shortest repr that reads back, so
    REAL values go through Python. Only TEXT columns are sure never to hold one.
    """
    if name in LIST_FIELDS:
        return _value_sql(name)
    if BY_NAME[name].kind == "text":
        return f"json_quote({name})"
    return (
        f"CASE WHEN typeof({name}) = 'real' THEN {_JSON_REAL}({name}) ELSE json_quote({name}) END"
    )


def _jsonl_sql(fields: Sequence[str]) -> str:
    """SQL for a whole JSONL line (with its newline) of ``fields``, built by SQLite."""
    # One printf per row: chaining || would copy the growing line once per field.
    template = "{" + ", ".join(f"{_dumps(name)}: %s" for name in fields) + "}"
    return f"printf('{template}' || char(10), {', '.join(_json_sql(name) for name in fields)})"


def _prepare_json(conn: sqlite3.Connection) -> None:
    """Give ``conn`` the SQL functions that _json_sql calls."""
    conn.create_function(_JSON_REAL, 1, _dumps, deterministic=True)
    try:
        conn.execute("SELECT json_quote(1)")
    except sqlite3.OperationalError:
        # SQLite built without its JSON functions: the same encoding, one Python call a value.
        logger.info(
            "SQLite %s has no json_quote; JSONL export encodes in Python", sqlite3.sqlite_version
        )
        conn.create_function("json_quote", 1, _dumps, deterministic=True)


@contextlib.contextmanager
def _reading(store: Store) -> Iterator[None]:
    """Shrink the connection's page cache for the length of an export, then restore it."""
    (size,) = store.conn.execute("PRAGMA cache_size").fetchone()
    store.conn.execute(f"PRAGMA cache_size=-{EXPORT_CACHE_KIB}")
    try:
        yield
    finally:
        store.conn.execute(f"PRAGMA cache_size={int(size)}")


def _filter(filters: dict[str, Any]) -> ArticleFilter:
    access = filters.get("access")
    if isinstance(access, (str, list)):
        filters = {**filters, "access": (access,) if isinstance(access, str) else tuple(access)}
    return ArticleFilter(**filters)


def _pages(
    store: Store, columns: Sequence[str], filters: dict[str, Any]
) -> Iterator[list[tuple[Any, ...]]]:
    """Yield lists of up to PAGE_ROWS rows (never empty) of the SQL ``columns`` plus the id."""
    flt = _filter(filters)
    with _reading(store):
        yield from scan.batches(store.conn, columns, flt, PAGE_ROWS)


def _is_binary(fp: IO[Any]) -> bool:
    mode = getattr(fp, "mode", "")
    return isinstance(fp, (io.RawIOBase, io.BufferedIOBase)) or (
        isinstance(mode, str) and "b" in mode
    )


def write_jsonl(
    store: Store,
    fp: IO[str] | IO[bytes],
    *,
    fields: Sequence[str] | None = None,
    progress: Progress | None = None,
    **filters: Any,
) -> int:
    """Write one JSON object per line (by id) to ``fp``; return rows written.

    A binary stream gets UTF-8 bytes, a text stream str; each line reads as
    ``json.dumps(row, ensure_ascii=False)`` writes it.
    """
    cols = check_fields(fields)
    _prepare_json(store.conn)
    binary = _is_binary(fp)
    # SQLite builds each line; as a BLOB it comes out as its UTF-8 bytes, which saves decoding
    # it into a str and encoding it back, the larger part of what is left for Python. A file
    # created with another text encoding would give other bytes, so it gets str.
    as_bytes = binary and store.conn.execute("PRAGMA encoding").fetchone()[0] == "UTF-8"
    line = _jsonl_sql(cols)
    out: IO[Any] = fp
    count = 0
    for page in _pages(store, [f"CAST({line} AS BLOB)" if as_bytes else line], filters):
        lines = [row[0] for row in page]
        if as_bytes:
            out.write(b"".join(lines))
        elif binary:
            out.write("".join(lines).encode())
        else:
            out.write("".join(lines))
        count += len(page)
        if progress is not None:
            progress(count)
    return count


def write_csv(
    store: Store,
    fp: IO[str],
    *,
    fields: Sequence[str] | None = None,
    progress: Progress | None = None,
    **filters: Any,
) -> int:
    """Write a CSV with a header row; list fields are JSON arrays. Open ``fp`` with newline=""."""
    cols = check_fields(fields)
    writer = csv.writer(fp)
    writer.writerow(cols)
    count = 0
    for page in _pages(store, [_value_sql(name) for name in cols], filters):
        # The csv module writes None as an empty field and the trailing id is cut off here.
        writer.writerows(row[:-1] for row in page)
        count += len(page)
        if progress is not None:
            progress(count)
    return count


def _pyarrow() -> Any:
    try:
        import pyarrow  # type: ignore[import-untyped]
        import pyarrow.parquet  # type: ignore[import-untyped]  # noqa: F401
    except ImportError as err:
        raise MissingDependency(
            "Parquet export needs pyarrow, which is not installed: "
            "pip install 'newsdedup[parquet]' (or choose --format jsonl or csv)"
        ) from err
    return pyarrow


def _arrow_type(pa: Any, name: str) -> Any:
    if name in LIST_FIELDS:
        return pa.list_(pa.string())
    kind = BY_NAME[name].kind
    if kind == "int":
        return pa.int64()
    if kind == "float":
        return pa.float64()
    return pa.string()


def write_parquet(
    store: Store,
    where: str | Path | IO[bytes],
    *,
    fields: Sequence[str] | None = None,
    progress: Progress | None = None,
    **filters: Any,
) -> int:
    """Write a Parquet file; return rows written.

    Row groups close at PARQUET_GROUP_ROWS rows or PARQUET_GROUP_BYTES of Arrow data.

    Raises MissingDependency naming the ``parquet`` extra when pyarrow is not installed.
    """
    pa = _pyarrow()
    cols = check_fields(fields)
    arrow_schema = pa.schema([(name, _arrow_type(pa, name)) for name in cols])
    lists = [name in LIST_FIELDS for name in cols]
    # malloc hands freed row groups back; pyarrow's default pool kept ~25 MB more per export.
    pool = pa.system_memory_pool()
    count = 0
    group: list[Any] = []  # record batches of the row group being filled
    group_rows = group_bytes = 0
    with pa.parquet.ParquetWriter(where, arrow_schema, memory_pool=pool) as writer:
        for page in _pages(store, [_value_sql(name) for name in cols], filters):
            # Each page becomes Arrow columns at once, so the Python objects of only one page
            # are alive at a time; the row group holds Arrow buffers, far more compact.
            columns = list(zip(*page, strict=True))  # the last one is the keyset id
            arrays = []
            for i, field in enumerate(arrow_schema):
                values = columns[i]
                if lists[i]:
                    # One parse for the whole column instead of one per row.
                    values = json.loads("[" + ",".join(values) + "]")
                arrays.append(pa.array(values, type=field.type, memory_pool=pool))
            batch = pa.RecordBatch.from_arrays(arrays, schema=arrow_schema)
            del page, columns, arrays
            group.append(batch)
            group_rows += batch.num_rows
            group_bytes += batch.nbytes
            count += batch.num_rows
            if group_rows >= PARQUET_GROUP_ROWS or group_bytes >= PARQUET_GROUP_BYTES:
                writer.write_table(pa.Table.from_batches(group, arrow_schema), group_rows)
                group, group_rows, group_bytes = [], 0, 0
            if progress is not None:
                progress(count)
        if group or count == 0:
            writer.write_table(pa.Table.from_batches(group, arrow_schema), max(group_rows, 1))
    return count


def export(
    store: Store,
    output: str | Path,
    *,
    format: str = "jsonl",
    fields: Sequence[str] | None = None,
    progress: Progress | None = None,
    **filters: Any,
) -> int:
    """Export to ``output`` ("-" for stdout) in ``format``; return rows written.

    A file is written under a temporary name in the same folder and renamed at the end, so an
    interrupted export never leaves a file that looks complete. Raises ValueError for an unknown
    format or field, MissingDependency for Parquet without pyarrow.
    """
    if format not in FORMATS:
        raise ValueError(f"unknown export format {format!r}; choose one of {', '.join(FORMATS)}")
    cols = check_fields(fields)
    if format == "parquet":
        _pyarrow()
    if str(output) == "-":
        if format == "parquet":
            return write_parquet(
                store, sys.stdout.buffer, fields=cols, progress=progress, **filters
            )
        if format == "jsonl":
            # Bytes straight to the stream under stdout when there is one: JSONL is UTF-8
            # whatever the terminal's encoding, and it skips a decode and an encode per line.
            sys.stdout.flush()
            out = getattr(sys.stdout, "buffer", sys.stdout)
            return write_jsonl(store, out, fields=cols, progress=progress, **filters)
        return write_csv(store, sys.stdout, fields=cols, progress=progress, **filters)
    target = Path(output)
    if not target.parent.is_dir():
        raise ValueError(f"cannot write {target}: folder {target.parent} does not exist")
    # Same folder, so the final rename is atomic; default permissions, unlike mkstemp's 0600.
    tmp = target.with_name(f".{target.name}.{os.getpid()}.part")
    try:
        if format == "parquet":
            count = write_parquet(store, str(tmp), fields=cols, progress=progress, **filters)
        elif format == "jsonl":
            with open(tmp, "wb") as binary:
                count = write_jsonl(store, binary, fields=cols, progress=progress, **filters)
        else:
            with open(tmp, "w", encoding="utf-8", newline="") as text:
                count = write_csv(store, text, fields=cols, progress=progress, **filters)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    logger.info("exported %d articles to %s (%s)", count, target, format)
    return count


@dataclass(frozen=True)
class ChangesExport:
    """What an incremental export wrote, and the cursor to ask from next time."""

    count: int  # lines written (add, update and remove)
    cursor: changes.Cursor
    since: changes.Cursor


def write_changes(
    store: Store,
    fp: IO[str] | IO[bytes],
    since: changes.Cursor | str | None,
    *,
    fields: Sequence[str] | None = None,
    progress: Progress | None = None,
    **filters: Any,
) -> ChangesExport:
    """Write the changes after cursor ``since`` (None: since the store began) as JSONL lines
    with an ``op`` field (see :mod:`storage.changes`); return them with the new cursor.

    Raises CursorError for a cursor of another store or one ahead of this store.
    """
    cols = check_fields(fields)
    if "id" not in cols:
        raise ValueError("an incremental export needs the id field: add id to --fields")
    _prepare_json(store.conn)
    binary = _is_binary(fp)
    flt = _filter(filters)
    count = 0
    with _reading(store), changes.snapshot(store.conn):
        start = (
            changes.Cursor(changes.store_id(store.conn), 0)
            if since is None
            else changes.check(store.conn, since, store.path)
        )
        until = changes.current(store.conn)
        batch: list[str] = []
        for op, article_id, values in changes.changed(
            store.conn, start, until, [_jsonl_sql(cols)], flt
        ):
            line = changes.removal(article_id) if values is None else changes.tag(values[0], op)
            batch.append(line)
            if len(batch) >= PAGE_ROWS:
                count += _flush(fp, batch, binary)
                if progress is not None:
                    progress(count)
        count += _flush(fp, batch, binary)
    if progress is not None:
        progress(count)
    return ChangesExport(count, until, start)


def _flush(fp: IO[Any], batch: list[str], binary: bool) -> int:
    text = "".join(batch)
    fp.write(text.encode() if binary else text)
    written = len(batch)
    batch.clear()
    return written


def read_cursor(path: str | Path) -> changes.Cursor | None:
    """The cursor in ``path``, or None when the file does not exist or is empty (a first run).

    Raises CursorError for a file that holds something else, StoreError when it cannot be read.
    """
    try:
        text = Path(path).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise StoreError(f"cannot read the cursor file {path}: {exc}") from exc
    if not text:
        return None
    try:
        return changes.Cursor.parse(text)
    except changes.CursorError as exc:
        raise changes.CursorError(f"cursor file {path}: {exc}") from None


def export_changes(
    store: Store,
    output: str | Path,
    *,
    since: changes.Cursor | str | None = None,
    cursor_file: str | Path | None = None,
    fields: Sequence[str] | None = None,
    progress: Progress | None = None,
    **filters: Any,
) -> ChangesExport:
    """Export the changes after ``since`` (or after the cursor in ``cursor_file``; none there:
    since the store began) to ``output`` ("-" for stdout), as JSONL with an ``op`` field.

    With ``cursor_file``, the new cursor is written there once the export is complete, and
    both are published together: the export and the cursor are written under temporary names,
    and renamed only when both are written. A cursor file that cannot be written leaves the
    export unpublished and the old cursor where it was (StoreError). Raises CursorError for a
    cursor of another store.
    """
    if cursor_file is not None:
        if since is not None:
            raise ValueError("give a cursor or a cursor file, not both")
        since = read_cursor(cursor_file)
    if str(output) == "-":
        sys.stdout.flush()
        out = getattr(sys.stdout, "buffer", sys.stdout)
        result = write_changes(store, out, since, fields=fields, progress=progress, **filters)
        out.flush()
        if cursor_file is not None:
            _publish_cursor(cursor_file, result.cursor)
        return result
    target = Path(output)
    if not target.parent.is_dir():
        raise ValueError(f"cannot write {target}: folder {target.parent} does not exist")
    tmp = target.with_name(f".{target.name}.{os.getpid()}.part")
    cursor_tmp = None
    try:
        with open(tmp, "wb") as binary:
            result = write_changes(
                store, binary, since, fields=fields, progress=progress, **filters
            )
        if cursor_file is not None:
            cursor_tmp = _write_cursor_tmp(cursor_file, result.cursor)
        os.replace(tmp, target)
        if cursor_tmp is not None:
            os.replace(cursor_tmp, cursor_file)  # type: ignore[arg-type]
    except BaseException:
        tmp.unlink(missing_ok=True)
        if cursor_tmp is not None:
            cursor_tmp.unlink(missing_ok=True)
        raise
    logger.info("exported %d changes to %s (cursor %s)", result.count, target, result.cursor)
    return result


def _write_cursor_tmp(cursor_file: str | Path, cursor: changes.Cursor) -> Path:
    path = Path(cursor_file)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.part")
    try:
        with open(tmp, "w", encoding="utf-8") as fp:
            fp.write(f"{cursor}\n")
            fp.flush()
            os.fsync(fp.fileno())
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        raise StoreError(
            f"cannot write the cursor file {path} ({exc.strerror or exc}); the export was not "
            "published and the cursor stays where it was"
        ) from exc
    return tmp


def _publish_cursor(cursor_file: str | Path, cursor: changes.Cursor) -> None:
    tmp = _write_cursor_tmp(cursor_file, cursor)
    try:
        os.replace(tmp, cursor_file)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise StoreError(f"cannot write the cursor file {cursor_file}: {exc}") from exc
