"""Schema of the store: tables, indexes, FTS, and the migrations that bring a file up to date."""

from __future__ import annotations

import logging
from collections.abc import Callable

import sqlite_utils

logger = logging.getLogger(__name__)

SCHEMA_VERSION = 9

LSH_DDL = (
    "CREATE TABLE lsh (key INTEGER NOT NULL, article_id INTEGER NOT NULL, "
    "PRIMARY KEY (key, article_id)) WITHOUT ROWID"
)

# The articles table as version 1 created it; later columns are added by their migrations.
_V1_ARTICLE_COLUMNS = {
    "id": int,
    "url": str,
    "title": str,
    "text": str,
    "published": str,
    "modified": str,
    "authors": str,  # JSON list
    "language": str,
    "site": str,
    "site_name": str,
    "description": str,
    "tags": str,  # JSON list
    "image": str,
    "captions": str,  # JSON list
    "page_type": str,
    "source": str,
    "http_status": int,
    "text_hash": int,  # signed 64-bit hash of the normalised text (storage.normalize)
    "word_count": int,
    "duplicate_of": int,  # id of the story's representative, NULL for a representative
    "similarity": float,  # similarity to the stored copy it matched
    "match": str,  # "exact" | "minhash" | NULL
    "matched_id": int,  # the stored copy it matched (may itself be a duplicate)
    "fetched_at": str,
    "first_seen": str,
    "updated_at": str,
}
# Added in version 5: where the publication date came from, and the agency of agency copy.
_V5_ARTICLE_COLUMNS = {"date_source": str, "agency": str}

# Every column of the articles table today (merge copies them all).
ARTICLE_COLUMNS = {
    **_V1_ARTICLE_COLUMNS,
    "template": str,  # the page's template signature (crawler.page.template), version 4
    # The text dedup matches on when it is not ``text``: ``text`` without the lines its site or
    # network prints on many pages (furniture), which never decide a match. Version 4.
    "match_text": str,
    **_V5_ARTICLE_COLUMNS,
    "access": str,  # free | paywalled | truncated (crawler.page.access), version 6
}


def _v1(db: sqlite_utils.Database) -> None:
    """First schema: articles, pages, versions, fetch log, LSH index, FTS over title+text."""
    db.table("articles").create(
        _V1_ARTICLE_COLUMNS, pk="id", not_null={"url", "text"}, defaults={"text": ""}
    )
    db.execute("CREATE UNIQUE INDEX articles_url ON articles(url)")
    # Partial indexes: most rows have no duplicate_of, and empty texts have no hash.
    db.execute("CREATE INDEX articles_text_hash ON articles(text_hash) WHERE text_hash IS NOT NULL")
    db.execute(
        "CREATE INDEX articles_duplicate_of ON articles(duplicate_of) "
        "WHERE duplicate_of IS NOT NULL"
    )
    db.execute("CREATE INDEX articles_site ON articles(site)")
    db.execute("CREATE INDEX articles_published ON articles(published)")
    # Raw HTML lives apart so scans over articles never page through it.
    db.table("pages").create(
        {"article_id": int, "html": bytes, "compression": str, "fetched_at": str},
        pk="article_id",
        foreign_keys=[("article_id", "articles", "id")],
    )
    db.table("article_versions").create(
        {
            "id": int,
            "article_id": int,
            "title": str,
            "text": str,
            "fetched_at": str,
            "replaced_at": str,
        },
        pk="id",
        foreign_keys=[("article_id", "articles", "id")],
    )
    db.execute("CREATE INDEX article_versions_article ON article_versions(article_id)")
    db.table("fetches").create(
        {
            "id": int,
            "url": str,
            "status": int,
            "outcome": str,
            "reason": str,
            "article_id": int,
            "source": str,
            "fetched_at": str,
        },
        pk="id",
    )
    db.execute("CREATE INDEX fetches_outcome ON fetches(outcome, reason)")
    # One row per (band key, article); WITHOUT ROWID keeps it a single B-tree (~20 bytes a row).
    db.execute(LSH_DDL)
    db.table("articles").enable_fts(["title", "text"], tokenize="unicode61 remove_diacritics 2")
    # Own triggers instead of sqlite-utils' create_triggers: theirs re-index on every UPDATE,
    # and re-dedup updates duplicate_of on many rows without touching title or text.
    db.executescript(
        """
        CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
          INSERT INTO articles_fts (rowid, title, text) VALUES (new.id, new.title, new.text);
        END;
        CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
          INSERT INTO articles_fts (articles_fts, rowid, title, text)
            VALUES ('delete', old.id, old.title, old.text);
        END;
        CREATE TRIGGER articles_au AFTER UPDATE OF title, text ON articles BEGIN
          INSERT INTO articles_fts (articles_fts, rowid, title, text)
            VALUES ('delete', old.id, old.title, old.text);
          INSERT INTO articles_fts (rowid, title, text) VALUES (new.id, new.title, new.text);
        END;
        """
    )


# Per-site boilerplate counts (storage.boilerplate). Created IF NOT EXISTS: before version 2 the
# first two were created on first use, so a store may or may not have them.
BOILERPLATE_DDL = (
    """CREATE TABLE IF NOT EXISTS boilerplate_pages (
    site TEXT NOT NULL,
    page_hash INTEGER NOT NULL,     -- signed 64-bit hash of the page's canonical URL
    PRIMARY KEY (site, page_hash)
) WITHOUT ROWID""",
    """CREATE TABLE IF NOT EXISTS boilerplate_segments (
    site TEXT NOT NULL,
    hash INTEGER NOT NULL,          -- signed 64-bit hash of the normalised segment
    pages INTEGER NOT NULL,         -- pages of the site that carry it
    words INTEGER NOT NULL,
    sample TEXT NOT NULL,           -- the segment as first seen, for people reading the table
    PRIMARY KEY (site, hash)
) WITHOUT ROWID""",
    """CREATE TABLE IF NOT EXISTS boilerplate_sites (
    site TEXT PRIMARY KEY,
    pages INTEGER NOT NULL          -- rows of boilerplate_pages for the site
) WITHOUT ROWID""",
)


def _v2(db: sqlite_utils.Database) -> None:
    """Boilerplate tables in the schema, with a per-site page counter.

    Every stored article asks how many pages of its site were counted; counting the rows of
    ``boilerplate_pages`` costs more with every page of the site, the counter (kept in the
    transaction that adds a page) costs the same on the 100,000th page as on the first.
    """
    for ddl in BOILERPLATE_DDL:
        db.conn.execute(ddl)
    db.conn.execute(
        "INSERT INTO boilerplate_sites (site, pages) "
        "SELECT site, count(*) FROM boilerplate_pages GROUP BY site"
    )


def _v3(db: sqlite_utils.Database) -> None:
    """Search in scripts written without spaces: the bigram index of storage.grams, built from
    the articles already stored (only those with Chinese, Japanese, Thai ... characters).
    A store that has the table already (it was written by this version, then marked older)
    gets it rebuilt."""
    from storage import grams

    db.conn.execute(grams.GRAMS_DDL)
    cursor = db.conn.cursor()
    cursor.row_factory = None
    rows = cursor.execute("SELECT id, title, text FROM articles ORDER BY id")
    indexed = grams.index_all(db.conn, rows)
    logger.info("indexed %d articles for search in unspaced scripts", indexed)


# Boilerplate learned per template and per network (storage.boilerplate), version 4.
LEARNING_DDL = (
    # A learning key: one site (template ''), one template of one site, or one template on
    # every host that serves it (site '').
    """CREATE TABLE boilerplate_keys (
    key INTEGER PRIMARY KEY,        -- signed 64-bit hash of (site, template)
    site TEXT NOT NULL,
    template TEXT NOT NULL,
    pages INTEGER NOT NULL          -- stored pages under the key
)""",
    """CREATE TABLE boilerplate_counts (
    key INTEGER NOT NULL,
    hash INTEGER NOT NULL,          -- signed 64-bit hash of a segment (a line, or a line at its
                                    -- place at the top or bottom of the text)
    pages INTEGER NOT NULL,         -- stored pages under the key that carry it
    words INTEGER NOT NULL,
    state INTEGER NOT NULL,         -- bits: 1 placed, 2 furniture (never matched on),
                                    -- 4 learned (stripped from the text), 8 printed on
                                    -- pages of three different stories
    sample TEXT,                    -- the line, once it is furniture, for people reading this
    PRIMARY KEY (key, hash)
) WITHOUT ROWID""",
    # The few marked segments of a key, by page count: the ones a new page count may unlearn.
    "CREATE INDEX boilerplate_counts_marked ON boilerplate_counts(key, pages) WHERE state >= 2",
    # Every segment of a stored page, with the first page that carried it; a segment on one page
    # only (most lines of most pages) is counted nowhere else.
    """CREATE TABLE boilerplate_seen (
    hash INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL,    -- the first stored page carrying it
    shared INTEGER NOT NULL         -- 1: other pages carry it too, it is counted per key
) WITHOUT ROWID""",
    # Which stored pages carry a segment carried by more than one, so a segment learned late
    # is stripped from the pages stored before.
    """CREATE TABLE boilerplate_carriers (
    hash INTEGER NOT NULL,
    site INTEGER NOT NULL,          -- hash of the article's site
    page INTEGER NOT NULL,          -- hash of the article's URL
    template INTEGER NOT NULL,      -- hash of the article's template (0: none)
    article_id INTEGER NOT NULL,
    PRIMARY KEY (hash, site, page)
) WITHOUT ROWID""",
    # Every counted article; ``cleaned`` is its text before learned boilerplate was stripped,
    # when that differs from articles.text.
    """CREATE TABLE boilerplate_articles (
    article_id INTEGER PRIMARY KEY,
    cleaned TEXT
)""",
)


def _v4(db: sqlite_utils.Database) -> None:
    """Boilerplate learned per template and across the hosts of a network, applied to pages
    stored before it was learned; the text dedup matches on.

    The per-site counts of version 2 say neither which template nor which pages carry a
    segment, so they are dropped: pages stored from now on are learned from, and
    ``newsdedup reclean`` learns from the stored ones again.
    """
    db.conn.execute("ALTER TABLE articles ADD COLUMN template TEXT")
    db.conn.execute("ALTER TABLE articles ADD COLUMN match_text TEXT")
    for table in ("boilerplate_pages", "boilerplate_segments", "boilerplate_sites"):
        db.conn.execute(f"DROP TABLE IF EXISTS {table}")
    for ddl in LEARNING_DDL:
        db.conn.execute(ddl)


def _v5(db: sqlite_utils.Database) -> None:
    """Articles say where their publication date came from, and which agency wrote them."""
    existing = {row[1] for row in db.conn.execute("PRAGMA table_info(articles)")}
    for name in _V5_ARTICLE_COLUMNS:
        if name not in existing:
            db.conn.execute(f"ALTER TABLE articles ADD COLUMN {name} TEXT")


def _v6(db: sqlite_utils.Database) -> None:
    """Whether an article is free to read (``access``: free, paywalled, truncated); articles
    stored before are NULL, unknown, until ``newsdedup reclean`` reads their pages again."""
    columns = {row[1] for row in db.conn.execute("PRAGMA table_info(articles)")}
    if "access" not in columns:
        db.conn.execute("ALTER TABLE articles ADD COLUMN access TEXT")
    db.conn.execute("CREATE INDEX IF NOT EXISTS articles_access ON articles(access)")


# The change log (version 7). Triggers without a column list: an update of any column, one
# added by a later version too, is logged.
CHANGES_DDL = (
    """CREATE TABLE IF NOT EXISTS changes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused, even after old entries are dropped
    article_id INTEGER NOT NULL,
    kind TEXT NOT NULL                      -- i(nsert) | u(pdate) | d(elete)
)""",
    "CREATE INDEX IF NOT EXISTS changes_article ON changes(article_id)",
    "DROP TRIGGER IF EXISTS articles_changes_ai",
    "DROP TRIGGER IF EXISTS articles_changes_au",
    "DROP TRIGGER IF EXISTS articles_changes_ad",
    "CREATE TRIGGER articles_changes_ai AFTER INSERT ON articles BEGIN "
    "INSERT INTO changes (article_id, kind) VALUES (new.id, 'i'); END",
    "CREATE TRIGGER articles_changes_au AFTER UPDATE ON articles BEGIN "
    "INSERT INTO changes (article_id, kind) VALUES (new.id, 'u'); END",
    "CREATE TRIGGER articles_changes_ad AFTER DELETE ON articles BEGIN "
    "INSERT INTO changes (article_id, kind) VALUES (old.id, 'd'); END",
)


def _v7(db: sqlite_utils.Database) -> None:
    """The change log of the articles (storage.changes): every insert, update and delete of an
    article row appends to ``changes``, whatever code path makes it, so an incremental export
    misses none. Articles already stored are logged as inserted; the store gets its id, which
    names it in the cursors of incremental exports."""
    import uuid

    # One statement at a time: executescript would commit the caller's transaction.
    for statement in CHANGES_DDL:
        db.conn.execute(statement)
    if db.conn.execute("SELECT 1 FROM changes LIMIT 1").fetchone() is None:
        db.conn.execute(
            "INSERT INTO changes (article_id, kind) SELECT id, 'i' FROM articles ORDER BY id"
        )
    if "store_id" not in read_meta(db):
        write_meta(db, {"store_id": uuid.uuid4().hex})


def _v8(db: sqlite_utils.Database) -> None:
    """The fetch log says what each page was taken for: article, listing, forum, product, ...

    NULL for fetches logged before, and for pages nobody looked at (errors, non-HTML bodies).
    """
    columns = {row[1] for row in db.conn.execute("PRAGMA table_info(fetches)")}
    if "page_type" not in columns:
        db.conn.execute("ALTER TABLE fetches ADD COLUMN page_type TEXT")


def _v9(db: sqlite_utils.Database) -> None:
    """Containment matching (storage.containment): the anchor index, built from the stored
    articles in id order with the stories they are in; the links already made are kept.

    Idempotent: the table is created if missing and filled anew.
    """
    from storage.containment import DEFAULT_PARAMS, ContainmentIndex, Profile, create_tables

    create_tables(db.conn)
    index = ContainmentIndex(db.conn, DEFAULT_PARAMS)
    index.clear()
    rows = db.conn.execute(
        "SELECT id, coalesce(duplicate_of, id), coalesce(match_text, text) FROM articles "
        "WHERE match IS NOT 'exact' ORDER BY id"
    )
    for article_id, story, text in rows:
        profile = Profile.of(text or "", DEFAULT_PARAMS)
        if profile.shingle_count >= DEFAULT_PARAMS.min_shared:
            index.insert(article_id, profile, story=story)
    write_meta(db, DEFAULT_PARAMS.to_meta())


# MIGRATIONS[n] brings a store from version n - 1 to version n. Append, never edit.
MIGRATIONS: dict[int, Callable[[sqlite_utils.Database], None]] = {
    1: _v1,
    2: _v2,
    3: _v3,
    4: _v4,
    5: _v5,
    6: _v6,
    7: _v7,
    8: _v8,
    9: _v9,
}


# Tables created on first use by the module that keeps them, not by a migration: every
# statement is IF NOT EXISTS, so a store written before them simply gains them.

# Incremental crawls (storage.crawlstate): runs, per-source state, validators, seen URLs.
CRAWL_STATE_DDL = """
CREATE TABLE IF NOT EXISTS crawl_runs (
    id INTEGER PRIMARY KEY,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    status TEXT NOT NULL,           -- running | finished | interrupted | <Scrapy close reason>
    pid INTEGER,
    sources TEXT,                   -- JSON list of source names
    stats TEXT                      -- JSON: what the run did (requests, articles, errors)
);
CREATE TABLE IF NOT EXISTS crawl_sources (
    name TEXT PRIMARY KEY,
    last_run_id INTEGER,
    last_run_at TEXT,               -- start of the last run that crawled the source
    last_status TEXT,               -- ok | failed | interrupted
    last_success_at TEXT,           -- end of the last complete run in which it answered
    last_success_started_at TEXT,   -- start of that run: entries dated before it were seen
    runs INTEGER NOT NULL DEFAULT 0,
    successes INTEGER NOT NULL DEFAULT 0,
    last_counts TEXT                -- JSON: requests, articles new/updated/..., errors
);
-- HTTP validators for conditional requests. A run writes pending_* only; they become the
-- validators used by later runs when the run completes, so a killed run never leaves a
-- "not modified" answer standing for a page whose links it had not finished following.
CREATE TABLE IF NOT EXISTS crawl_validators (
    url TEXT PRIMARY KEY,
    etag TEXT,
    last_modified TEXT,
    pending_etag TEXT,
    pending_last_modified TEXT,
    pending_run INTEGER
);
CREATE INDEX IF NOT EXISTS crawl_validators_pending ON crawl_validators(pending_run)
    WHERE pending_run IS NOT NULL;
-- Fetched URLs whose answer was final: an article whose canonical URL is another one (AMP,
-- print, tracking or redirecting variants), a rejected page, a page that is gone. Feed and
-- sitemap entries seen here are not fetched again unless their date says they changed.
CREATE TABLE IF NOT EXISTS crawl_seen (
    url TEXT PRIMARY KEY,
    article_id INTEGER,             -- NULL: no article there
    outcome TEXT NOT NULL,          -- stored | duplicate | updated | unchanged | rejected | gone
    fetched_at TEXT NOT NULL
);
-- URLs whose last answers were 404 or 410, and how many such answers came in a row: a later
-- run asks again only after a wait that grows with that count (crawler.freshness).
CREATE TABLE IF NOT EXISTS crawl_gone (
    url TEXT PRIMARY KEY,
    answers INTEGER NOT NULL
);
"""

# What ingest has read (storage.ingestlog): records settled, and files read to the end.
INGEST_DDL = (
    "CREATE TABLE IF NOT EXISTS ingest_records ("
    " record_id TEXT PRIMARY KEY,"
    " url TEXT,"
    " outcome TEXT NOT NULL,"
    " reason TEXT,"
    " article_id INTEGER,"
    " file TEXT,"
    " ingested_at TEXT NOT NULL"
    ") WITHOUT ROWID",
    "CREATE TABLE IF NOT EXISTS ingest_files ("
    " path TEXT NOT NULL,"
    " filters TEXT NOT NULL,"
    " size INTEGER NOT NULL,"
    " mtime_ns INTEGER NOT NULL,"
    " records INTEGER NOT NULL,"
    " finished_at TEXT NOT NULL,"
    " PRIMARY KEY (path, filters)"
    ")",
)

# What the shared index (storage.shared_index) said of each article of a shard; merge
# follows these links across shards.
SHARED_LINKS_DDL = (
    "CREATE TABLE IF NOT EXISTS shared_links (url TEXT PRIMARY KEY, seq INTEGER NOT NULL, "
    "match TEXT, matched_seq INTEGER, matched_url TEXT, similarity REAL)"
)


def read_meta(db: sqlite_utils.Database) -> dict[str, str]:
    """Return the ``meta`` table as a dict (empty when the table does not exist)."""
    if "meta" not in db.table_names():
        return {}
    return {row[0]: row[1] for row in db.execute("SELECT key, value FROM meta")}


def write_meta(db: sqlite_utils.Database, values: dict[str, str]) -> None:
    """Insert or replace ``meta`` rows (inside the caller's transaction)."""
    db.conn.executemany(
        "INSERT INTO meta (key, value) VALUES (?, ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        list(values.items()),
    )


def migrate(db: sqlite_utils.Database, current: int) -> int:
    """Apply migrations after ``current`` in the caller's transaction; return the new version."""
    if "meta" not in db.table_names():
        db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    for version in range(current + 1, SCHEMA_VERSION + 1):
        logger.info("migrating store schema to version %d", version)
        MIGRATIONS[version](db)
        write_meta(db, {"schema_version": str(version)})
    return SCHEMA_VERSION
