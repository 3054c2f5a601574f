"""An article fetched again at its URL, and the page kept beside an article."""

from __future__ import annotations

import sqlite3
from typing import Any

from storage import grams
from storage.connection import utc_now
from storage.dedup import Fingerprint
from storage.matcher import Match, SqliteMatcher
from storage.outcomes import UNCHANGED, UPDATED, AddResult

# What dedup decided on: a refetch with the same text leaves it as it is.
_MATCHED = frozenset({"url", "text", "match_text"})


def update(
    conn: sqlite3.Connection,
    local: SqliteMatcher,
    existing: sqlite3.Row,
    values: dict[str, Any],
    fp: Fingerprint,
) -> AddResult:
    """Store an article fetched again at its URL: the same text only refreshes when it was
    fetched; a new one is stored, the old one kept in ``article_versions``, and the article
    matched again unless it is the representative of a story."""
    article_id = existing["id"]
    if existing["text"] == values["text"]:
        # The same text keeps its story, but the page's other fields are taken anew: an article
        # first stored from its AMP page gets the canonical page's fields, as when the canonical
        # page comes first, so what is stored does not follow the order of fetches.
        fields = {
            name: value
            for name, value in values.items()
            if name not in _MATCHED and not (name == "http_status" and value is None)
        }
        assignments = ", ".join(f"{name} = ?" for name in fields)
        conn.execute(
            f"UPDATE articles SET {assignments} WHERE id = ?", [*fields.values(), article_id]
        )
        if values.get("title") != existing["title"]:
            grams.unindex(conn, article_id, existing["title"], existing["text"])
            grams.index(conn, article_id, values.get("title"), values["text"])
        return AddResult(
            UNCHANGED, article_id, existing["duplicate_of"], existing["similarity"], "url"
        )
    now = utc_now()
    conn.execute(
        "INSERT INTO article_versions (article_id, title, text, fetched_at, replaced_at) "
        "VALUES (?, ?, ?, ?, ?)",
        (article_id, existing["title"], existing["text"], existing["fetched_at"], now),
    )
    local.unindex(article_id, existing["match_text"] or existing["text"])
    has_copies = (
        conn.execute(
            "SELECT 1 FROM articles WHERE duplicate_of = ? LIMIT 1", (article_id,)
        ).fetchone()
        is not None
    )
    dedup: dict[str, Any]
    if has_copies:
        # A representative keeps its story: its copies were matched against it, and re-dedup
        # (Store.rededup) is the place to regroup a whole story.
        dedup = {}
        match: Match | None = None
    else:
        match = local.find(fp, exclude=article_id)
        dedup = {
            "duplicate_of": match.representative if match else None,
            "similarity": match.similarity if match else None,
            "match": match.kind if match else None,
            "matched_id": match.matched_id if match else None,
        }
    row = dict(values, text_hash=fp.text_hash, updated_at=now, **dedup)
    assignments = ", ".join(f"{name} = ?" for name in row)
    conn.execute(f"UPDATE articles SET {assignments} WHERE id = ?", [*row.values(), article_id])
    grams.unindex(conn, article_id, existing["title"], existing["text"])
    grams.index(conn, article_id, values.get("title"), values["text"])
    local.index(article_id, fp, match)
    current = conn.execute(
        "SELECT duplicate_of, similarity FROM articles WHERE id = ?", (article_id,)
    ).fetchone()
    return AddResult(UPDATED, article_id, current[0], current[1], "url")


def save_page(conn: sqlite3.Connection, article_id: int, blob: bytes, fetched_at: str) -> None:
    """Keep the page an article was extracted from (zlib-compressed), replacing an older one."""
    conn.execute(
        "INSERT INTO pages (article_id, html, compression, fetched_at) "
        "VALUES (?, ?, 'zlib', ?) "
        "ON CONFLICT (article_id) DO UPDATE SET html = excluded.html, "
        "compression = excluded.compression, fetched_at = excluded.fetched_at",
        (article_id, blob, fetched_at),
    )
