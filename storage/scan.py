"""Keyset scans over the articles: batches in id order, no read transaction held between them.

A long read (an export, iteration, re-dedup) never holds back the WAL checkpoint of a crawl
writing at the same time, and its memory is one batch whatever the store's size.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from typing import Any

from storage.filters import ArticleFilter

# Rows per query; larger batches were no faster and hold more in memory.
BATCH = 1000


def batches(
    conn: sqlite3.Connection,
    columns: Sequence[str],
    flt: ArticleFilter,
    size: int | None = None,
) -> Iterator[list[tuple[Any, ...]]]:
    """Yield lists of up to ``size`` (default BATCH) rows, never empty, of the articles ``flt``
    selects, in id order: plain tuples of the SQL ``columns`` with the id after them."""
    size = size or BATCH
    conds, params = flt.where("articles")
    where = " AND ".join(["id > ?", *conds])
    # The id comes last, so the keyset can read it whatever the columns are.
    sql = f"SELECT {', '.join(columns)}, id FROM articles WHERE {where} ORDER BY id LIMIT {size}"
    cursor = conn.cursor()
    cursor.row_factory = None  # plain tuples, whatever the connection's row factory
    last = 0
    while True:
        rows = cursor.execute(sql, [last, *params]).fetchall()
        if not rows:
            return
        yield rows
        if len(rows) < size:
            return
        last = rows[-1][-1]
