"""What incremental crawls remember in the store: runs, per-source state, validators, seen URLs.

Kept apart from the article schema: these tables (``storage.schema.CRAWL_STATE_DDL``) are
created with ``CREATE TABLE IF NOT EXISTS`` on an open store, so a store written before them
simply gains them.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import sqlite3
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from storage.connection import transaction, utc_now
from storage.errors import StoreError
from storage.opening import open_file
from storage.outcomes import GONE
from storage.schema import CRAWL_STATE_DDL

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SourceState:
    """What the store remembers about one source between runs."""

    name: str
    last_run_at: str | None
    last_status: str | None
    last_success_at: str | None
    last_success_started_at: str | None
    runs: int
    successes: int
    last_counts: dict[str, int]


@dataclass(frozen=True)
class Seen:
    """The last final answer for a URL: when, and which article it gave (None: no article)."""

    fetched_at: str
    article_id: int | None
    outcome: str
    # Outcome "gone": how many 404 / 410 answers in a row the URL has given.
    gone_answers: int = 0

    @property
    def is_article(self) -> bool:
        return self.article_id is not None


_RUN_FIELDS = ("id", "started_at", "finished_at", "status", "pid", "sources", "stats")


class CrawlState:
    """Incremental-crawl bookkeeping in a store, on its connection (``store.conn``).

    Needs no :class:`~storage.Store`: its tables and the ``articles`` table are all it reads.
    """

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        # Where :meth:`seen` looks for URLs this store does not know, e.g. the shared index of a
        # distributed crawl (storage.shared_index.RedisIndex.seen): articles other shards stored.
        self.elsewhere: Callable[[str], Seen | None] | None = None
        self._create_tables()

    @classmethod
    def open(cls, path: str | Path) -> CrawlState:
        """Open the store at ``path`` (created when missing) with its crawl-state tables.

        Raises StoreError or ParameterMismatch as :meth:`storage.Store.open` does.
        """
        return cls(open_file(path).db.conn)

    def close(self) -> None:
        """Close the connection (idempotent)."""
        self.conn.close()

    def __enter__(self) -> CrawlState:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _create_tables(self) -> None:
        # executescript commits on its own; every statement is IF NOT EXISTS, so a crash half way
        # leaves nothing a second call cannot finish.
        self.conn.executescript(CRAWL_STATE_DDL)

    # ------------------------------------------------------------------ runs

    def begin_run(self, sources: Iterable[str]) -> int:
        """Record the start of a run and return its id.

        Runs still marked ``running`` belong to crawls that were killed (the caller holds the
        crawl lock, so none of them is alive): they are marked ``interrupted`` first.
        """
        names = sorted(set(sources))
        with transaction(self.conn):
            stale = self.conn.execute(
                "UPDATE crawl_runs SET status = 'interrupted' WHERE status = 'running'"
            ).rowcount
            cur = self.conn.execute(
                "INSERT INTO crawl_runs (started_at, status, pid, sources) "
                "VALUES (?, 'running', ?, ?)",
                (utc_now(), os.getpid(), json.dumps(names)),
            )
        if stale:
            logger.warning(
                "%d earlier crawl run(s) had been interrupted; resuming their work", stale
            )
        return int(cur.lastrowid or 0)

    def finish_run(
        self,
        run_id: int,
        status: str,
        stats: Mapping[str, Any],
        sources: Mapping[str, Mapping[str, int]],
        answered: Iterable[str],
    ) -> None:
        """Close run ``run_id`` with ``status`` and update each source's state, in one step.

        ``status`` "finished" means the run did all its work: its pending validators become the
        ones later runs send, and every source in ``answered`` (at least one start URL answered)
        gets this run as its last success. ``sources`` maps each crawled source to its counts.
        """
        answered = set(answered)
        now = utc_now()
        with transaction(self.conn):
            row = self.conn.execute(
                "SELECT started_at FROM crawl_runs WHERE id = ?", (run_id,)
            ).fetchone()
            if row is None:
                path = self.conn.execute("PRAGMA database_list").fetchone()[2]
                raise StoreError(f"no crawl run {run_id} in {path or 'this store'}")
            started = row[0]
            self.conn.execute(
                "UPDATE crawl_runs SET finished_at = ?, status = ?, stats = ? WHERE id = ?",
                (now, status, json.dumps(dict(stats), default=str, sort_keys=True), run_id),
            )
            complete = status == "finished"
            if complete:
                self._promote_validators(run_id)
            for name, counts in sources.items():
                ok = name in answered
                source_status = ("ok" if ok else "failed") if complete else "interrupted"
                success = complete and ok
                self.conn.execute(
                    "INSERT INTO crawl_sources (name, last_run_id, last_run_at, last_status, "
                    "last_success_at, last_success_started_at, runs, successes, last_counts) "
                    "VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?) "
                    "ON CONFLICT (name) DO UPDATE SET last_run_id = excluded.last_run_id, "
                    "last_run_at = excluded.last_run_at, last_status = excluded.last_status, "
                    "last_success_at = coalesce(excluded.last_success_at, last_success_at), "
                    "last_success_started_at = "
                    "  coalesce(excluded.last_success_started_at, last_success_started_at), "
                    "runs = runs + 1, successes = successes + excluded.successes, "
                    "last_counts = excluded.last_counts",
                    (
                        name,
                        run_id,
                        started,
                        source_status,
                        now if success else None,
                        started if success else None,
                        int(success),
                        json.dumps(dict(counts), sort_keys=True),
                    ),
                )

    def runs(self, limit: int = 10) -> list[dict[str, Any]]:
        """The latest runs, newest first, with their stats decoded."""
        rows = self.conn.execute(
            f"SELECT {', '.join(_RUN_FIELDS)} FROM crawl_runs ORDER BY id DESC LIMIT ?", (limit,)
        ).fetchall()
        out = []
        for row in rows:
            run = dict(zip(_RUN_FIELDS, row, strict=True))
            run["sources"] = json.loads(run["sources"] or "[]")
            run["stats"] = json.loads(run["stats"] or "{}")
            out.append(run)
        return out

    def source(self, name: str) -> SourceState | None:
        """What is remembered about source ``name``, or None before its first run."""
        names = [f.name for f in dataclasses.fields(SourceState)]
        row = self.conn.execute(
            f"SELECT {', '.join(names)} FROM crawl_sources WHERE name = ?", (name,)
        ).fetchone()
        if row is None:
            return None
        values = dict(zip(names, row, strict=True))
        values["last_counts"] = json.loads(values["last_counts"] or "{}")
        return SourceState(**values)

    def sources(self) -> list[SourceState]:
        """Every source crawled so far, by name."""
        names = [r[0] for r in self.conn.execute("SELECT name FROM crawl_sources ORDER BY name")]
        return [state for name in names if (state := self.source(name)) is not None]

    # ------------------------------------------------------------------ validators

    def validators(self, url: str) -> tuple[str | None, str | None] | None:
        """``(etag, last_modified)`` confirmed for ``url`` by a complete run, or None."""
        row = self.conn.execute(
            "SELECT etag, last_modified FROM crawl_validators WHERE url = ?", (url,)
        ).fetchone()
        if row is None or (row[0] is None and row[1] is None):
            return None
        return row[0], row[1]

    def remember_validators(
        self, url: str, etag: str | None, last_modified: str | None, run_id: int
    ) -> None:
        """Record validators seen on ``url`` in run ``run_id`` (used once that run completes)."""
        with transaction(self.conn):
            self.conn.execute(
                "INSERT INTO crawl_validators (url, pending_etag, pending_last_modified, "
                "pending_run) VALUES (?, ?, ?, ?) ON CONFLICT (url) DO UPDATE SET "
                "pending_etag = excluded.pending_etag, "
                "pending_last_modified = excluded.pending_last_modified, "
                "pending_run = excluded.pending_run",
                (url, etag, last_modified, run_id),
            )

    def forget_validators(self, url: str) -> None:
        """Drop every validator of ``url``: its next fetch is a full one."""
        with transaction(self.conn):
            self.conn.execute("DELETE FROM crawl_validators WHERE url = ?", (url,))

    def _promote_validators(self, run_id: int) -> None:
        self.conn.execute(
            "UPDATE crawl_validators SET etag = pending_etag, "
            "last_modified = pending_last_modified, pending_etag = NULL, "
            "pending_last_modified = NULL, pending_run = NULL WHERE pending_run = ?",
            (run_id,),
        )

    # ------------------------------------------------------------------ known URLs

    def seen(self, url: str) -> Seen | None:
        """What the last final fetch of ``url`` gave, or None if it was never fetched to the end.

        ``url`` may be an article's canonical URL, a variant that was fetched and gave it, or
        a page that was rejected or gone; or, through :attr:`elsewhere`, an article another
        store holds (outcome "elsewhere").
        """
        row = self.conn.execute(
            "SELECT id, fetched_at FROM articles WHERE url = ?", (url,)
        ).fetchone()
        if row is not None:
            return Seen(row[1], row[0], "article")
        row = self.conn.execute(
            "SELECT s.article_id, s.fetched_at, s.outcome, coalesce(g.answers, 0) "
            "FROM crawl_seen s LEFT JOIN crawl_gone g ON g.url = s.url WHERE s.url = ?",
            (url,),
        ).fetchone()
        if row is not None:
            return Seen(row[1], row[0], row[2], row[3] if row[2] == GONE else 0)
        return None if self.elsewhere is None else self.elsewhere(url)

    def remember_seen(
        self, url: str, outcome: str, fetched_at: str, article_id: int | None = None
    ) -> None:
        """Record the final answer of fetching ``url`` (see :meth:`seen`).

        An outcome "gone" adds one to the URL's gone answers in a row; any other starts them
        over.
        """
        with transaction(self.conn):
            if outcome == GONE:
                self.conn.execute(
                    "INSERT INTO crawl_gone (url, answers) VALUES (?, 1) "
                    "ON CONFLICT (url) DO UPDATE SET answers = answers + 1",
                    (url,),
                )
            else:
                self.conn.execute("DELETE FROM crawl_gone WHERE url = ?", (url,))
            self.conn.execute(
                "INSERT INTO crawl_seen (url, article_id, outcome, fetched_at) "
                "VALUES (?, ?, ?, ?) ON CONFLICT (url) DO UPDATE SET "
                "article_id = excluded.article_id, outcome = excluded.outcome, "
                "fetched_at = excluded.fetched_at",
                (url, article_id, outcome, fetched_at),
            )


_SOURCE_FIELDS = (
    "name",
    "last_run_id",
    "last_run_at",
    "last_status",
    "last_success_at",
    "last_success_started_at",
    "runs",
    "successes",
    "last_counts",
)


def merge_state(
    source: sqlite3.Connection, target: sqlite3.Connection, article_ids: Mapping[int, int]
) -> dict[str, int]:
    """Carry the crawl state of the store on ``source`` into the one on ``target``.

    Runs inside the caller's write transaction on ``target``, whose crawl-state tables must
    exist (``storage.schema.CRAWL_STATE_DDL``). ``article_ids`` maps the source's article ids
    to the target's.
    Idempotent: a run already there (the same in every column) is not repeated, a seen URL
    keeps its latest answer, a URL's confirmed validators are kept when it has some (a run's
    pending ones are left behind: that run belongs to the source), and a source keeps its
    latest run and latest success (its run and success counts are the larger ones: the
    workers of one distributed run each count it). Returns how many rows of each table
    (runs, sources, validators, seen) were added or changed.
    """
    counts = {"runs": 0, "sources": 0, "validators": 0, "seen": 0}
    if not _has_table(source, "crawl_runs"):
        return counts  # never crawled (or written before crawl state was kept)
    runs: dict[int, int] = {}
    for row in source.execute(
        "SELECT id, started_at, finished_at, status, pid, sources, stats FROM crawl_runs "
        "ORDER BY id"
    ):
        run_id, started, finished, status, pid, names, stats = tuple(row)
        # Workers on several machines may share a pid and a start second: all columns decide.
        found = target.execute(
            "SELECT id FROM crawl_runs WHERE started_at = ? AND finished_at IS ? AND status = ? "
            "AND pid IS ? AND sources IS ? AND stats IS ?",
            (started, finished, status, pid, names, stats),
        ).fetchone()
        if found is None:
            found = target.execute(
                "INSERT INTO crawl_runs (started_at, finished_at, status, pid, sources, stats) "
                "VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                (started, finished, status, pid, names, stats),
            ).fetchone()
            counts["runs"] += 1
        runs[run_id] = found[0]
    columns = ", ".join(_SOURCE_FIELDS)
    for row in source.execute(f"SELECT {columns} FROM crawl_sources"):
        theirs = dict(zip(_SOURCE_FIELDS, tuple(row), strict=True))
        theirs["last_run_id"] = runs.get(theirs["last_run_id"])
        have = target.execute(
            f"SELECT {columns} FROM crawl_sources WHERE name = ?", (theirs["name"],)
        ).fetchone()
        ours = dict(zip(_SOURCE_FIELDS, tuple(have), strict=True)) if have else None
        merged = _merge_source(ours, theirs)
        if merged != ours:
            target.execute(
                f"INSERT OR REPLACE INTO crawl_sources ({columns}) "
                f"VALUES ({', '.join('?' * len(_SOURCE_FIELDS))})",
                [merged[name] for name in _SOURCE_FIELDS],
            )
            counts["sources"] += 1
    before = target.total_changes
    target.executemany(
        "INSERT INTO crawl_validators (url, etag, last_modified) VALUES (?, ?, ?) "
        "ON CONFLICT (url) DO UPDATE SET etag = excluded.etag, "
        "last_modified = excluded.last_modified WHERE etag IS NULL AND last_modified IS NULL",
        source.execute(
            "SELECT url, etag, last_modified FROM crawl_validators "
            "WHERE etag IS NOT NULL OR last_modified IS NOT NULL"
        ).fetchall(),
    )
    counts["validators"] = target.total_changes - before
    seen = []
    for url, article_id, outcome, fetched_at in source.execute(
        "SELECT url, article_id, outcome, fetched_at FROM crawl_seen"
    ):
        new_id = None if article_id is None else article_ids.get(article_id)
        if article_id is not None and new_id is None:
            continue  # its article was not merged: the URL is not known to give one here
        seen.append((url, new_id, outcome, fetched_at))
    before = target.total_changes
    target.executemany(
        "INSERT INTO crawl_seen (url, article_id, outcome, fetched_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (url) DO UPDATE SET article_id = excluded.article_id, "
        "outcome = excluded.outcome, fetched_at = excluded.fetched_at "
        "WHERE excluded.fetched_at > crawl_seen.fetched_at",
        seen,
    )
    counts["seen"] = target.total_changes - before
    if _has_table(source, "crawl_gone"):
        # Counted as seen rows: a URL's gone answers are part of what is known of it.
        before = target.total_changes
        target.executemany(
            "INSERT INTO crawl_gone (url, answers) VALUES (?, ?) ON CONFLICT (url) "
            "DO UPDATE SET answers = excluded.answers WHERE excluded.answers > answers",
            source.execute("SELECT url, answers FROM crawl_gone").fetchall(),
        )
        counts["seen"] += target.total_changes - before
    return counts


def _merge_source(ours: dict[str, Any] | None, theirs: dict[str, Any]) -> dict[str, Any]:
    if ours is None:
        return theirs
    merged = dict(ours)
    if (theirs["last_run_at"] or "") > (ours["last_run_at"] or ""):
        for name in ("last_run_id", "last_run_at", "last_status", "last_counts"):
            merged[name] = theirs[name]
    if (theirs["last_success_at"] or "") > (ours["last_success_at"] or ""):
        merged["last_success_at"] = theirs["last_success_at"]
        merged["last_success_started_at"] = theirs["last_success_started_at"]
    merged["runs"] = max(ours["runs"], theirs["runs"])
    merged["successes"] = max(ours["successes"], theirs["successes"])
    return merged


def _has_table(conn: sqlite3.Connection, name: str) -> bool:
    row = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,))
    return row.fetchone() is not None


__all__ = ["CrawlState", "Seen", "SourceState", "merge_state"]
