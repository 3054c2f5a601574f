"""Streaming export of articles to JSONL, CSV and Parquet, with atomic writes to a path."""

from __future__ import annotations

import csv
import json
import logging
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from storage.errors import MissingDependency
from storage.store import ARTICLE_FIELDS, EXPORT_FIELDS, LIST_FIELDS, Store

logger = logging.getLogger(__name__)

FORMATS = ("jsonl", "csv", "parquet")
# How often the progress callback hears about written rows.
PROGRESS_EVERY = 1000
PARQUET_BATCH = 10_000

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


def _rows(
    store: Store, fields: tuple[str, ...], progress: Progress | None, filters: dict[str, Any]
) -> Iterator[dict[str, Any]]:
    n = 0
    for article in store.iter_articles(**filters):
        yield {name: article[name] for name in fields}
        n += 1
        if progress is not None and n % PROGRESS_EVERY == 0:
            progress(n)
    if progress is not None and n % PROGRESS_EVERY:
        progress(n)


def write_jsonl(
    store: Store,
    fp: IO[str],
    *,
    fields: Sequence[str] | None = None,
    progress: Progress | None = None,
    **filters: Any,
) -> int:
    """Write one JSON object per line (UTF-8, by id) to text stream ``fp``; return rows written."""
    cols = check_fields(fields)
    count = 0
    dumps = json.JSONEncoder(ensure_ascii=False).encode
    # The list fields are stored as JSON text already: copy it rather than decode and re-encode
    # it, which was a third of the cost of a line. The line reads as json.dumps would write it.
    columns = [(f"{dumps(name)}: ", name in LIST_FIELDS) for name in cols]
    for row in store.iter_rows(cols, **filters):
        parts = [
            key + ((value or "[]") if is_list else dumps(value))
            for (key, is_list), value in zip(columns, row, strict=True)
        ]
        fp.write("{" + ", ".join(parts) + "}\n")
        count += 1
        if progress is not None and count % PROGRESS_EVERY == 0:
            progress(count)
    if progress is not None and count % PROGRESS_EVERY:
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
    lists = {i for i, name in enumerate(cols) if name in LIST_FIELDS}
    for row in _rows(store, cols, progress, filters):
        values = list(row.values())
        for i in lists:
            values[i] = json.dumps(values[i], ensure_ascii=False)
        writer.writerow(["" if v is None else v for v in values])
        count += 1
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
    if name in ("id", "duplicate_of", "matched_id", "word_count", "http_status"):
        return pa.int64()
    if name == "similarity":
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
    """Write a Parquet file in row groups of PARQUET_BATCH rows; return rows written.

    Raises MissingDependency naming the ``parquet`` extra when pyarrow is not installed.
    """
    pa = _pyarrow()
    cols = check_fields(fields)
    arrow_schema = pa.schema([(name, _arrow_type(pa, name)) for name in cols])
    count = 0
    with pa.parquet.ParquetWriter(where, arrow_schema) as writer:
        for batch in _batched(_rows(store, cols, progress, filters), PARQUET_BATCH):
            writer.write_table(pa.Table.from_pylist(batch, schema=arrow_schema))
            count += len(batch)
        if count == 0:
            writer.write_table(arrow_schema.empty_table())
    return count


def _batched(rows: Iterable[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


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
        writer = write_jsonl if format == "jsonl" else write_csv
        return writer(store, sys.stdout, fields=cols, progress=progress, **filters)
    target = Path(output)
    if not target.parent.is_dir():
        raise ValueError(f"cannot write {target}: folder {target.parent} does not exist")
    # Same folder, so the final rename is atomic; default permissions, unlike mkstemp's 0600.
    tmp = target.with_name(f".{target.name}.{os.getpid()}.part")
    try:
        if format == "parquet":
            count = write_parquet(store, str(tmp), fields=cols, progress=progress, **filters)
        else:
            with open(tmp, "w", encoding="utf-8", newline="") as fp:
                writer = write_jsonl if format == "jsonl" else write_csv
                count = writer(store, fp, fields=cols, progress=progress, **filters)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    logger.info("exported %d articles to %s (%s)", count, target, format)
    return count
