"""Stores as older newsdedup versions left them, for the tests of upgrading in place."""

from __future__ import annotations

import sqlite3
from pathlib import Path

LEARNING_TABLES = (
    "boilerplate_seen",
    "boilerplate_keys",
    "boilerplate_counts",
    "boilerplate_carriers",
    "boilerplate_articles",
)


def make_version_8(conn: sqlite3.Connection) -> None:
    """Take from a store what version 9 (the containment index) added."""
    conn.execute("DROP TABLE IF EXISTS containment")
    conn.execute("DELETE FROM meta WHERE key LIKE 'containment_%'")
    conn.execute("UPDATE meta SET value = '8' WHERE key = 'schema_version'")


def write_version_8(path: Path) -> None:
    conn = sqlite3.connect(path)
    make_version_8(conn)
    conn.commit()
    conn.close()


def make_version_2(conn: sqlite3.Connection) -> None:
    """Take from a store what versions 3 (search in unspaced scripts), 4 (templates, the text
    matched on, boilerplate per template), 5 (date source, agency), 6 (access), 7 (the change
    log), 8 (page types in the fetch log) and 9 (the containment index) added, and put back the
    per-site counts of version 2."""
    make_version_8(conn)
    conn.execute("ALTER TABLE fetches DROP COLUMN page_type")
    for trigger in ("ai", "au", "ad"):
        conn.execute(f"DROP TRIGGER articles_changes_{trigger}")
    conn.execute("DROP TABLE changes")
    conn.execute("DELETE FROM meta WHERE key = 'store_id'")
    conn.execute("DROP INDEX articles_access")
    for table in LEARNING_TABLES:
        conn.execute(f"DROP TABLE {table}")
    conn.execute("DROP TABLE IF EXISTS articles_grams")
    conn.execute("ALTER TABLE articles DROP COLUMN template")
    conn.execute("ALTER TABLE articles DROP COLUMN match_text")
    for column in ("date_source", "agency", "access"):
        conn.execute(f"ALTER TABLE articles DROP COLUMN {column}")
    conn.execute(
        "CREATE TABLE boilerplate_segments (site TEXT, hash INTEGER, pages INTEGER, "
        "words INTEGER, sample TEXT, PRIMARY KEY (site, hash))"
    )
    conn.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")


def write_version_2(path: Path) -> None:
    conn = sqlite3.connect(path)
    make_version_2(conn)
    conn.commit()
    conn.close()
