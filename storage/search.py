"""Full-text search over the articles' title and text (SQLite FTS5, bm25 ranking)."""

from __future__ import annotations

import sqlite3
from typing import Any

from storage.errors import SearchQueryError
from storage.filters import ArticleFilter


def search_articles(
    conn: sqlite3.Connection,
    query: str,
    flt: ArticleFilter,
    *,
    limit: int = 20,
    highlight: tuple[str, str] = ("[", "]"),
) -> list[dict[str, Any]]:
    """Return the articles ``flt`` selects that match ``query``, best first, as
    :meth:`storage.Store.search` describes. ``conn`` is a store's (rows as sqlite3.Row).

    Raises SearchQueryError for an empty query or one FTS5 cannot parse, ValueError for a limit
    below 1.
    """
    if not query or not query.strip():
        raise SearchQueryError("empty search query; give one or more words to look for")
    if limit < 1:
        raise ValueError(f"limit must be at least 1, got {limit}")
    if flt.narrows:
        conds, params = flt.where("a")
        where = " AND ".join(["articles_fts MATCH ?3", *conds])
        sql = (
            "SELECT a.id, a.url, a.title, a.site, a.published, a.language, a.duplicate_of, "
            "bm25(articles_fts, 5.0, 1.0) AS score, "
            "snippet(articles_fts, 1, ?1, ?2, '…', 16) AS snippet "
            "FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid "
            f"WHERE {where} ORDER BY score, a.id LIMIT ?"
        )
    else:
        # Without row filters, rank in the FTS index alone and read article rows (and build
        # snippets) only for the page of results: a word found in most articles would
        # otherwise read every matching row.
        params = []
        skip = (
            ""
            if flt.include_duplicates
            else "AND rowid NOT IN (SELECT id FROM articles WHERE duplicate_of IS NOT NULL) "
        )
        sql = (
            "SELECT a.id, a.url, a.title, a.site, a.published, a.language, a.duplicate_of, "
            "r.score, (SELECT snippet(articles_fts, 1, ?1, ?2, '…', 16) FROM articles_fts "
            "WHERE articles_fts MATCH ?3 AND rowid = r.id) AS snippet "
            "FROM (SELECT rowid AS id, bm25(articles_fts, 5.0, 1.0) AS score "
            f"FROM articles_fts WHERE articles_fts MATCH ?3 {skip}"
            "ORDER BY score, rowid LIMIT ?4) r "
            "JOIN articles a ON a.id = r.id ORDER BY r.score, r.id"
        )
    try:
        rows = conn.execute(sql, [*highlight, query, *params, limit]).fetchall()
    except sqlite3.OperationalError as err:
        raise SearchQueryError(
            f"cannot search for {query!r}: {err}. Search syntax is SQLite FTS5: words, "
            '"quoted phrases", AND/OR/NOT, prefix*; put text in double quotes to search '
            "for it literally"
        ) from err
    return [dict(r) for r in rows]
