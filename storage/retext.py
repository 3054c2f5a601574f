"""New texts for stored articles: pages cleaned again (``newsdedup reclean``), and site
boilerplate learned after the articles were stored. Not new versions: the pages are the same."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from typing import Any

from storage import grams, records
from storage.connection import transaction, utc_now
from storage.dedup import Fingerprint
from storage.errors import StoreError
from storage.matcher import MATCH_TEXT, SqliteMatcher
from storage.minhash import MinHashParams
from storage.regroup import regroup
from storage.textunits import word_count


def _write(
    conn: sqlite3.Connection,
    params: MinHashParams,
    article_id: int,
    old: sqlite3.Row | tuple[Any, ...],
    text: str,
    match: str | None,
    extra: Mapping[str, Any],
) -> None:
    """Set an article's text, the text it is matched on, their hash and count, and its search
    entry; ``old`` is its (title, text) before."""
    fp = Fingerprint.of(match or text, params)
    values = {
        "text": text,
        "match_text": match,
        "text_hash": fp.text_hash,
        # The count is the whole text's, also when the match is on a shorter one.
        "word_count": fp.word_count if match is None else word_count(text),
        "updated_at": utc_now(),
        **extra,
    }
    sets = ", ".join(f"{column} = ?" for column in values)
    conn.execute(f"UPDATE articles SET {sets} WHERE id = ?", [*values.values(), article_id])
    grams.unindex(conn, article_id, old[0], old[1])
    grams.index(conn, article_id, old[0], text)


def replace_text(
    conn: sqlite3.Connection,
    params: MinHashParams,
    article_id: int,
    text: str,
    captions: Sequence[str] | None,
    match_text: str | None,
    template: str | None,
) -> None:
    """Replace one article's text (and captions, template); see Store.replace_text."""
    extra: dict[str, Any] = {}
    if template is not None:
        extra["template"] = template or None
    if captions is not None:
        extra["captions"] = records.json_list(list(captions), "captions")
    match = records.match_text({"match_text": match_text}, text)
    with transaction(conn):
        old = conn.execute(
            "SELECT title, text FROM articles WHERE id = ?", (article_id,)
        ).fetchone()
        if old is None:
            raise StoreError(f"no article with id {article_id}")
        _write(conn, params, article_id, old, text, match, extra)


def retext(
    conn: sqlite3.Connection,
    params: MinHashParams,
    matcher: SqliteMatcher,
    texts: Mapping[int, tuple[str, str | None]],
) -> int:
    """Give articles new texts and regroup the stories whose matched text changed; see
    Store.retext. Returns how many articles changed story."""
    changed: dict[int, str] = {}
    with transaction(conn):
        for article_id, (text, match_text) in texts.items():
            row = conn.execute(
                f"SELECT title, text, {MATCH_TEXT} FROM articles WHERE id = ?", (article_id,)
            ).fetchone()
            if row is None:
                raise StoreError(f"no article with id {article_id}")
            match = records.match_text({"match_text": match_text}, text)
            if row[1] == text and row[2] == (match or text):
                continue
            _write(conn, params, article_id, row, text, match, {})
            if row[2] != (match or text):
                changed[article_id] = row[2]
        return regroup(conn, matcher, changed) if changed else 0
