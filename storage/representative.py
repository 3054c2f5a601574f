"""The representative of a story is its fullest copy, whatever order the copies came in.

A truncated copy or an excerpt may be stored before the whole article. When a copy joins a story
and is fuller than the story's representative, it becomes the representative (``duplicate_of``
NULL, what exports give as the unique article) and every other member points to it. Fullest
means the most words (storage.textunits) in the text it is matched on, each paragraph counted
once, then the longest such text, then the smallest URL, so the same copy wins in every arrival
order. Rewrites run in the caller's transaction: the one that
stores the copy, so a killed process leaves the story as it was or as it becomes, never between.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

from storage.connection import utc_now
from storage.containment import MATCH_TEXT
from storage.textunits import word_count


def _key(conn: sqlite3.Connection, article_id: int) -> tuple[int, int, str]:
    row = conn.execute(
        f"SELECT {MATCH_TEXT}, url FROM articles WHERE id = ?", (article_id,)
    ).fetchone()
    # Each paragraph counted once: a page that printed its story twice is no fuller for it.
    text = "\n".join(dict.fromkeys(line.strip() for line in (row[0] or "").split("\n")))
    return word_count(text), len(text), str(row[1])


def fuller(conn: sqlite3.Connection, a: int, b: int) -> bool:
    """True when article ``a`` is a fuller copy than ``b`` (words, then length, then URL)."""
    words_a, length_a, url_a = _key(conn, a)
    words_b, length_b, url_b = _key(conn, b)
    return (words_a, length_a, url_b) > (words_b, length_b, url_a)


def promote(conn: sqlite3.Connection, article_id: int) -> int | None:
    """Make ``article_id``, just joined to its story, the story's representative when it is
    fuller than the current one; return the former representative, or None when nothing moved.

    The former representative takes the link by which the new copy came (its match kind and
    similarity), with the new copy as ``matched_id``; the other members keep theirs and point
    to the new representative.
    """
    row = conn.execute(
        "SELECT duplicate_of, similarity, match FROM articles WHERE id = ?", (article_id,)
    ).fetchone()
    if row is None or row[0] is None:
        return None
    old, similarity, kind = row
    if not fuller(conn, article_id, old):
        return None
    now = utc_now()
    conn.execute(
        "UPDATE articles SET duplicate_of = ?, updated_at = ? WHERE duplicate_of = ?",
        (article_id, now, old),
    )
    conn.execute(
        "UPDATE articles SET duplicate_of = ?, similarity = ?, match = ?, matched_id = ?, "
        "updated_at = ? WHERE id = ?",
        (article_id, similarity, kind, article_id, now, old),
    )
    conn.execute(
        "UPDATE articles SET duplicate_of = NULL, similarity = NULL, match = NULL, "
        "matched_id = NULL, updated_at = ? WHERE id = ?",
        (now, article_id),
    )
    return int(old)


def story_of(
    conn: sqlite3.Connection,
    article: dict[str, Any],
    get: Callable[[int], dict[str, Any] | None],
) -> dict[str, Any]:
    """The story of a stored ``article`` (as Store.get returns it), for Store.story; ``get``
    reads another article by id."""
    rep_id = article["duplicate_of"] or article["id"]
    rep = article if rep_id == article["id"] else get(rep_id)
    rows = conn.execute(
        "SELECT id, url, site, title, similarity, match, matched_id, fetched_at FROM articles "
        "WHERE duplicate_of = ? ORDER BY id",
        (rep_id,),
    )
    duplicates = [dict(r) for r in rows]
    sites = sorted({rep["site"], *(d["site"] for d in duplicates)} - {None})  # type: ignore[index]
    return {
        "id": rep_id,
        "representative": rep,
        "duplicates": duplicates,
        "sites": sites,
        "size": 1 + len(duplicates),
    }
