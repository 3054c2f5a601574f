"""Counts of a store for people and scripts: totals, per site, fetch outcomes, errors, stories."""

from __future__ import annotations

import sqlite3
from typing import Any

from storage.outcomes import ERROR, REJECTED


def store_counts(conn: sqlite3.Connection, largest: int = 10) -> dict[str, Any]:
    """Return the counts :meth:`storage.Store.stats` reports, with the ``largest`` stories.

    ``conn`` is a store's (rows as sqlite3.Row).
    """
    q = conn.execute
    totals = dict(
        q(
            "SELECT count(*) AS articles, "
            "coalesce(sum(duplicate_of IS NULL), 0) AS unique_articles, "
            "coalesce(sum(duplicate_of IS NOT NULL), 0) AS duplicates FROM articles"
        ).fetchone()
    )
    totals["stories_with_duplicates"] = q(
        "SELECT count(DISTINCT duplicate_of) FROM articles WHERE duplicate_of IS NOT NULL"
    ).fetchone()[0]
    totals["fetches"] = q("SELECT count(*) FROM fetches").fetchone()[0]
    totals["pages_kept"] = q("SELECT count(*) FROM pages").fetchone()[0]
    totals["versions"] = q("SELECT count(*) FROM article_versions").fetchone()[0]
    per_site = [
        dict(r)
        for r in q(
            "SELECT site, count(*) AS articles, sum(duplicate_of IS NULL) AS unique_articles, "
            "sum(duplicate_of IS NOT NULL) AS duplicates, "
            "count(DISTINCT coalesce(duplicate_of, id)) AS stories "
            "FROM articles GROUP BY site ORDER BY articles DESC, site"
        )
    ]
    outcomes = {r[0]: r[1] for r in q("SELECT outcome, count(*) FROM fetches GROUP BY outcome")}
    errors = [
        dict(r)
        for r in q(
            "SELECT outcome, coalesce(reason, '') AS reason, count(*) AS count FROM fetches "
            "WHERE outcome IN (?, ?) GROUP BY outcome, reason ORDER BY count DESC, reason",
            (REJECTED, ERROR),
        )
    ]
    sources = [
        dict(r)
        for r in q(
            "SELECT source, max(fetched_at) AS last_fetch, count(*) AS fetches FROM fetches "
            "GROUP BY source ORDER BY last_fetch DESC"
        )
    ]
    stories = [
        dict(r)
        for r in q(
            "SELECT s.rep AS id, a.title, a.site, s.size, s.sites FROM ("
            "  SELECT coalesce(duplicate_of, id) AS rep, count(*) AS size, "
            "  count(DISTINCT site) AS sites FROM articles GROUP BY rep HAVING size > 1 "
            "  ORDER BY size DESC, rep LIMIT ?) s JOIN articles a ON a.id = s.rep "
            "ORDER BY s.size DESC, s.rep",
            (largest,),
        )
    ]
    return {
        "totals": totals,
        "sites": per_site,
        "fetch_outcomes": outcomes,
        "errors": errors,
        "sources": sources,
        "largest_stories": stories,
    }
