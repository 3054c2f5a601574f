"""Full-text search over the articles' title and text (SQLite FTS5, bm25 ranking).

Queries with Chinese, Japanese, Thai (...) characters go to the bigram index of
:mod:`storage.grams`, all others to the main unicode61 index. The bigram index holds only the
articles that have such characters, so the other words of such a query (``東京 OR Tokyo``) are
looked for in those articles alone.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from storage import grams
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
    grams_query = grams.to_query(query)
    if grams_query is not None:
        return _search_grams(conn, query, grams_query, flt, limit, highlight)
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
    return [dict(r) for r in _run(conn, sql, [*highlight, query, *params, limit], query)]


def _search_grams(
    conn: sqlite3.Connection,
    query: str,
    grams_query: str,
    flt: ArticleFilter,
    limit: int,
    highlight: tuple[str, str],
) -> list[dict[str, Any]]:
    # The same two plans as the main index; the table keeps no text, so snippets are cut here.
    table = grams.GRAMS_TABLE
    columns = "a.id, a.url, a.title, a.site, a.published, a.language, a.duplicate_of"
    if flt.narrows:
        conds, params = flt.where("a")
        where = " AND ".join([f"{table} MATCH ?", *conds])
        sql = (
            f"SELECT {columns}, bm25({table}, 5.0, 1.0) AS score, a.text AS snippet "
            f"FROM {table} JOIN articles a ON a.id = {table}.rowid "
            f"WHERE {where} ORDER BY score, a.id LIMIT ?"
        )
    else:
        params = []
        skip = (
            ""
            if flt.include_duplicates
            else "AND rowid NOT IN (SELECT id FROM articles WHERE duplicate_of IS NOT NULL) "
        )
        sql = (
            f"SELECT {columns}, r.score, a.text AS snippet "
            f"FROM (SELECT rowid AS id, bm25({table}, 5.0, 1.0) AS score "
            f"FROM {table} WHERE {table} MATCH ? {skip}"
            "ORDER BY score, rowid LIMIT ?) r "
            "JOIN articles a ON a.id = r.id ORDER BY r.score, r.id"
        )
    terms = grams.query_terms(query)
    hits = []
    for row in _run(conn, sql, [grams_query, *params, limit], query):
        hit = dict(row)
        hit["snippet"] = grams.snippet(hit["snippet"], terms, highlight)
        hits.append(hit)
    return hits


def _run(conn: sqlite3.Connection, sql: str, args: list[Any], query: str) -> list[sqlite3.Row]:
    try:
        return conn.execute(sql, args).fetchall()
    except sqlite3.OperationalError as err:
        raise SearchQueryError(
            f"cannot search for {query!r}: {err}. Search syntax is SQLite FTS5: words, "
            '"quoted phrases", AND/OR/NOT, prefix*; put text in double quotes to search '
            "for it literally"
        ) from err
