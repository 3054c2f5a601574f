"""When each source is due again: its revisit interval, adapted to how often it has news.

The rule (``adaptive``, the default), applied after each complete visit of a source:

- a visit that found ``n`` new articles (n >= 1) divides the interval by ``n + 1``: a source
  that had news since the last visit is visited sooner, and one that had a lot of it (a visit
  after a long gap on a busy site) is back to the floor at once;
- a visit that found none multiplies the interval by ``GROWTH`` (1.3);
- the interval stays between the floor and the ceiling.

So a source settles where roughly one visit in four finds something (a visit that finds news
undoes about what two and a half empty ones did): a wire publishing every few minutes is
visited at the floor, a blog posting twice a week near the ceiling. A visit that
failed or was interrupted does not teach anything: the interval is kept, and the source is due
again after the floor (it is retried soon, but never hammered). Without ``adaptive`` the
interval is the configured one. The next visit is due one interval after the start of this one.

Times are ISO 8601 UTC strings, as everywhere in the store; the caller says what "now" is, so a
test or a simulation can run a schedule on a clock of its own.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from storage.connection import transaction

# A visit that found nothing new stretches the interval by this factor.
GROWTH = 1.3

SCHEDULE_DDL = """
CREATE TABLE IF NOT EXISTS crawl_schedule (
    name TEXT PRIMARY KEY,          -- the source
    configured REAL NOT NULL,       -- seconds: the interval the sources file (or default) asked
    interval REAL NOT NULL,         -- seconds: the interval in force (adapted)
    last_visit TEXT,                -- start of the last visit
    next_due TEXT,                  -- when the source is due again
    visits INTEGER NOT NULL DEFAULT 0,
    new_articles INTEGER NOT NULL DEFAULT 0,    -- new articles found over all visits
    last_new INTEGER                -- new articles the last visit found
);
"""


@dataclass(frozen=True)
class Policy:
    """How a source is scheduled: its configured interval, floor and ceiling, in seconds."""

    interval: float
    floor: float
    ceiling: float
    adaptive: bool = True

    def __post_init__(self) -> None:
        if not 0 < self.floor <= self.ceiling:
            raise ValueError(
                f"the floor of an interval ({self.floor:g} s) must be positive and at most its "
                f"ceiling ({self.ceiling:g} s)"
            )
        if self.interval <= 0:
            raise ValueError(f"an interval must be positive, got {self.interval:g} s")

    def start(self) -> float:
        """The interval of a source never visited: the configured one, within the bounds."""
        return self.clamp(self.interval) if self.adaptive else self.interval

    def clamp(self, seconds: float) -> float:
        return min(self.ceiling, max(self.floor, seconds))

    def next_interval(self, current: float, new_articles: int) -> float:
        """The interval after a complete visit that found ``new_articles`` new articles."""
        if not self.adaptive:
            return self.interval
        if new_articles > 0:
            return self.clamp(current / (new_articles + 1))
        return self.clamp(current * GROWTH)


@dataclass(frozen=True)
class SourceSchedule:
    """Where one source stands in the schedule."""

    name: str
    configured: float
    interval: float
    last_visit: str | None
    next_due: str | None
    visits: int
    new_articles: int
    last_new: int | None

    @property
    def per_visit(self) -> float | None:
        """New articles per visit, over all visits (None before the first)."""
        return self.new_articles / self.visits if self.visits else None


def iso(moment: dt.datetime) -> str:
    """``moment`` as the store writes times (UTC, seconds)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment.astimezone(dt.timezone.utc).isoformat(timespec="seconds")


def parse_time(value: str) -> dt.datetime:
    moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)


_COLUMNS = tuple(f.name for f in dataclasses.fields(SourceSchedule))


class Schedule:
    """The revisit schedule of a store's sources, on its connection."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        # One statement, so no executescript: that would commit a transaction of the caller.
        conn.execute(SCHEDULE_DDL)

    def get(self, name: str) -> SourceSchedule | None:
        row = self.conn.execute(
            f"SELECT {', '.join(_COLUMNS)} FROM crawl_schedule WHERE name = ?", (name,)
        ).fetchone()
        return None if row is None else SourceSchedule(*row)

    def all(self) -> list[SourceSchedule]:
        rows = self.conn.execute(
            f"SELECT {', '.join(_COLUMNS)} FROM crawl_schedule ORDER BY name"
        ).fetchall()
        return [SourceSchedule(*row) for row in rows]

    def due(self, policies: Mapping[str, Policy], now: dt.datetime) -> list[str]:
        """The sources of ``policies`` due at ``now``, in the given order.

        A source never visited is due. So is one whose configured interval changed since its
        last visit (a new interval in the sources file takes effect at once).
        """
        stamp = iso(now)
        due = []
        for name, policy in policies.items():
            known = self.get(name)
            if (
                known is None
                or known.next_due is None
                or known.configured != policy.interval
                or known.next_due <= stamp
            ):
                due.append(name)
        return due

    def visited(
        self,
        visits: Iterable[tuple[str, int, bool]],
        policies: Mapping[str, Policy],
        at: dt.datetime,
    ) -> None:
        """Record visits that started at ``at``: ``(source, new articles, complete)`` each."""
        with transaction(self.conn):
            for name, new, complete in visits:
                policy = policies.get(name)
                if policy is None:
                    continue
                known = self.get(name)
                current = (
                    policy.start()
                    if known is None or known.configured != policy.interval
                    else known.interval
                )
                if complete:
                    interval = policy.next_interval(current, new)
                    wait = interval
                else:
                    interval, wait = current, min(current, policy.floor)
                self.conn.execute(
                    "INSERT INTO crawl_schedule (name, configured, interval, last_visit, "
                    "next_due, visits, new_articles, last_new) VALUES (?, ?, ?, ?, ?, 1, ?, ?) "
                    "ON CONFLICT (name) DO UPDATE SET configured = excluded.configured, "
                    "interval = excluded.interval, last_visit = excluded.last_visit, "
                    "next_due = excluded.next_due, visits = visits + 1, "
                    "new_articles = new_articles + excluded.new_articles, "
                    "last_new = excluded.last_new",
                    (
                        name,
                        policy.interval,
                        interval,
                        iso(at),
                        iso(at + dt.timedelta(seconds=wait)),
                        new,
                        new,
                    ),
                )


__all__ = ["GROWTH", "Policy", "Schedule", "SourceSchedule", "iso", "parse_time"]
