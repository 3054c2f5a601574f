"""Regrouping the stories of articles whose matched text changed after they were stored.

When a line of a site turns out to be boilerplate, the articles stored before carry it no
longer; what they are matched on changes, and so may the story each belongs to. Each changed
article is decided again, as :mod:`storage.rededup` decides every article, against the articles
already settled, so the stories come out as if the article had been stored with its new text:

- a duplicate that no other copy was matched against is decided alone;
- otherwise its whole story is decided again, member by member in id order, each matched only
  against articles outside the story and members already decided (the copies were matched
  against it, so they follow it).

The caller owns the transaction.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping

from storage import representative
from storage.dedup import Fingerprint
from storage.matcher import MATCH_TEXT, SqliteMatcher


def _to_redo(conn: sqlite3.Connection, changed: Mapping[int, str]) -> set[int]:
    redo: set[int] = set()
    for article_id in sorted(changed):
        if article_id in redo:
            continue
        row = conn.execute("SELECT duplicate_of FROM articles WHERE id = ?", (article_id,))
        duplicate_of = row.fetchone()[0]
        rep = duplicate_of or article_id
        members = conn.execute(
            "SELECT id, matched_id FROM articles WHERE duplicate_of = ?", (rep,)
        ).fetchall()
        if duplicate_of is not None and all(matched != article_id for _, matched in members):
            redo.add(article_id)
        else:
            redo.add(rep)
            redo.update(member for member, _ in members)
    return redo


def regroup(conn: sqlite3.Connection, matcher: SqliteMatcher, changed: Mapping[int, str]) -> int:
    """Decide again the stories of the articles in ``changed`` (``{id: the text it was matched
    on before}``), whose matched text is already updated; rewrite their links and index rows.

    Returns how many articles changed story.
    """
    redo = _to_redo(conn, changed)
    marks = ",".join("?" * len(redo))
    rows = conn.execute(
        f"SELECT id, {MATCH_TEXT}, duplicate_of, similarity, match, matched_id FROM articles "
        f"WHERE id IN ({marks})",
        sorted(redo),
    ).fetchall()
    # Out of the index first, under the text each was indexed with: a member not yet decided
    # again is no candidate for the others.
    for article_id, text, *_ in rows:
        matcher.unindex(article_id, changed.get(article_id, text))
    pending = set(redo)
    moved = 0
    for article_id, text, duplicate_of, similarity, kind, matched_id in sorted(map(tuple, rows)):
        pending.discard(article_id)
        fp = Fingerprint.of(text, matcher.params)
        match = matcher.find(fp, exclude=article_id, skip=pending)
        new = (
            (match.representative, match.similarity, match.kind, match.matched_id)
            if match
            else (None, None, None, None)
        )
        if new != (duplicate_of, similarity, kind, matched_id):
            conn.execute(
                "UPDATE articles SET duplicate_of = ?, similarity = ?, match = ?, matched_id = ? "
                "WHERE id = ?",
                (*new, article_id),
            )
        moved += new[0] != duplicate_of
        if match is not None:
            representative.promote(conn, article_id)
        matcher.index(article_id, fp, match)
    return moved
