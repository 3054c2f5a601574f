"""Re-deduplication of a whole store with new parameters, without re-crawling.

Walks the articles in id order and matches each one only against those before it, exactly as if
they were being stored for the first time; the representative of every story is its fullest
copy (storage.representative), as when they were stored. The LSH and containment indexes are
rebuilt on the way. The caller owns the transaction: readers keep
seeing the old stories until it commits, and an interrupted run changes nothing.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass

from storage import representative, scan
from storage.dedup import Fingerprint
from storage.filters import ArticleFilter
from storage.matcher import MATCH_TEXT, SqliteMatcher
from storage.minhash import MinHashParams
from storage.schema import LSH_DDL
from storage.textunits import word_count

logger = logging.getLogger(__name__)

BATCH = 1000
RededupProgress = Callable[[int, int], None]


@dataclass(frozen=True)
class RededupResult:
    """What a re-dedup found; ``changed`` counts articles whose story membership moved."""

    articles: int
    duplicates: int
    exact: int
    near: int
    contained: int  # joined by containment (storage.containment)
    stories_with_duplicates: int
    changed: int
    seconds: float


def rededup(
    conn: sqlite3.Connection,
    params: MinHashParams,
    threshold: float,
    progress: RededupProgress | None = None,
) -> RededupResult:
    """Recompute duplicate_of/similarity/match for every article and rebuild the LSH and
    containment indexes.

    Text hashes and word counts are recomputed too: they change when the store was written by a
    version that cut text into units otherwise (see storage.minhash.TEXT_UNITS).
    """
    started = time.perf_counter()
    total = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    # Dropping and recreating is much cheaper than deleting millions of index rows one by one.
    conn.execute("DROP TABLE lsh")
    conn.execute(LSH_DDL)
    matcher = SqliteMatcher(conn, params, threshold)
    matcher.containment.clear()
    # A fuller copy rewrites the links of its story's earlier members: what moved is counted
    # at the end, against the links as they were.
    conn.execute("DROP TABLE IF EXISTS temp.rededup_before")
    conn.execute(
        "CREATE TEMP TABLE rededup_before AS SELECT id, duplicate_of FROM articles "
        "WHERE duplicate_of IS NOT NULL"
    )
    done = exact = near = contained = 0
    # Every article, duplicates included, in id order; updating a batch does not move the keyset.
    every = ArticleFilter(include_duplicates=True)
    # The whole text only where the match is on a shorter one: its word count is the text's.
    whole = "CASE WHEN match_text IS NULL THEN NULL ELSE text END"
    columns = (
        MATCH_TEXT,
        "duplicate_of",
        "similarity",
        "match",
        "matched_id",
        "text_hash",
        "word_count",
        whole,
    )
    for rows in scan.batches(conn, columns, every, BATCH):
        for row in rows:
            (
                text,
                old_dup,
                old_sim,
                old_match,
                old_matched,
                old_hash,
                old_count,
                full,
                article_id,
            ) = row
            fp = Fingerprint.of(text, params)
            count = fp.word_count if full is None else word_count(full)
            if (fp.text_hash, count) != (old_hash, old_count):
                # Before the match: later articles look this one up by its hash.
                conn.execute(
                    "UPDATE articles SET text_hash = ?, word_count = ? WHERE id = ?",
                    (fp.text_hash, count, article_id),
                )
            match = matcher.find(fp, before=article_id)
            new = (
                (match.representative, match.similarity, match.kind, match.matched_id)
                if match
                else (None, None, None, None)
            )
            if new != (old_dup, old_sim, old_match, old_matched):
                conn.execute(
                    "UPDATE articles SET duplicate_of = ?, similarity = ?, match = ?, "
                    "matched_id = ? WHERE id = ?",
                    (*new, article_id),
                )
            if match is not None:
                exact += match.kind == "exact"
                near += match.kind == "minhash"
                contained += match.kind == "containment"
                # Later articles of the batch are read after this: they see the new links.
                representative.promote(conn, article_id)
            matcher.index(article_id, fp, match)
        done += len(rows)
        if progress is not None:
            progress(done, total)
    changed = conn.execute(
        "SELECT count(*) FROM articles a LEFT JOIN temp.rededup_before b USING (id) "
        "WHERE a.duplicate_of IS NOT b.duplicate_of"
    ).fetchone()[0]
    conn.execute("DROP TABLE temp.rededup_before")
    stories = conn.execute(
        "SELECT count(DISTINCT duplicate_of) FROM articles WHERE duplicate_of IS NOT NULL"
    ).fetchone()[0]
    result = RededupResult(
        articles=done,
        duplicates=exact + near + contained,
        exact=exact,
        near=near,
        contained=contained,
        stories_with_duplicates=stories,
        changed=changed,
        seconds=round(time.perf_counter() - started, 3),
    )
    logger.info("re-deduplicated %d articles: %s", done, result)
    return result
