"""When each source is due again: its revisit interval, adapted to how often it publishes.

The rule (``adaptive``, the default) shares a budget of visits out among the sources by how
fast each publishes. The budget is what the configured intervals cost (a source set to 30
minutes adds 48 visits a day), and each adaptive source gets visits in proportion to its
estimated publication rate, so every visit is expected to find about as many new articles:

- every complete visit is a count of new articles over a stretch of time, the time since the
  last visit (a first visit, which finds a backlog, counts the articles it found over the time
  since the oldest was published, when the caller knows it);
- the rate is the count over the time, both summed over the visits with a weight that halves
  every ``MEMORY`` hours (a source that slows down at night or goes quiet is seen to), plus a
  prior of one configured interval in which an average visit's articles were found (so a
  source starts at its interval, and one empty visit does not send it to the ceiling);
- the interval is the articles a visit is to find over the rate, between the floor and the
  ceiling, that number chosen so that the expected visits a day of all the adaptive sources
  the caller names equal their budget, but kept between ``LEAST`` and ``MOST``.

So when the sources publish at rates that differ by orders of magnitude, a wire is visited at
the floor, a daily every hour or two and a blog near the ceiling, and at night, when all of
them slow down, the same visits go round sooner in articles. A source shortens its interval
when its visits find more than the others' and lengthens it when they find nothing; a source
alone has nothing to share with and keeps its configured interval, unless its visits find more
than ``MOST`` or fewer than ``LEAST`` articles. A visit that failed or was
interrupted does not teach anything: the interval is kept, and the source is due again after
the floor (retried soon, but never hammered). Without ``adaptive`` the interval is the
configured one, and the source is outside the budget. The next visit is due one interval after
the start of this one.

Times are ISO 8601 UTC strings, as everywhere in the store; the caller says what "now" is, so a
test or a simulation can run a schedule on a clock of its own.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from storage.connection import transaction

# Hours over which the weight of what a visit found halves: short enough to follow a source
# that slows down at night, long enough that a few visits of a daily make an estimate.
MEMORY = 6.0

# New articles a visit is to find on average, whatever the budget: at least a quarter (when the
# sources are quiet, the budget is not spent on visits that find nothing) and at most one (a
# source publishing faster than its share is visited at least as often as it publishes).
LEAST = 0.25
MOST = 1.0

SCHEDULE_DDL = """
CREATE TABLE IF NOT EXISTS crawl_schedule (
    name TEXT PRIMARY KEY,          -- the source
    configured REAL NOT NULL,       -- seconds: the interval the sources file (or default) asked
    interval REAL NOT NULL,         -- seconds: the interval in force (adapted)
    last_visit TEXT,                -- start of the last visit
    next_due TEXT,                  -- when the source is due again
    visits INTEGER NOT NULL DEFAULT 0,
    new_articles INTEGER NOT NULL DEFAULT 0,    -- new articles found over all visits
    last_new INTEGER,               -- new articles the last visit found
    seen REAL NOT NULL DEFAULT 0,   -- new articles found, weighted by age (see MEMORY)
    watched REAL NOT NULL DEFAULT 0 -- seconds they were found over, weighted alike
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

    def rate(self, seen: float, watched: float, per_visit: float) -> float:
        """Articles a second, from ``seen`` new articles over ``watched`` seconds and a prior
        that, alone, gives the configured interval (``per_visit`` articles over it)."""
        return (seen + per_visit) / (watched + self.interval)

    def next_interval(self, seen: float, watched: float, per_visit: float) -> float:
        """The interval after a complete visit, from the weighted counts including it: the
        time ``per_visit`` new articles take to appear, within the bounds."""
        if not self.adaptive:
            return self.interval
        return self.clamp(per_visit / self.rate(seen, watched, per_visit))


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
    seen: float = 0.0
    watched: float = 0.0

    @property
    def per_visit(self) -> float | None:
        """New articles per visit, over all visits (None before the first)."""
        return self.new_articles / self.visits if self.visits else None

    @property
    def per_hour(self) -> float | None:
        """The publication rate the schedule estimates, in articles an hour (None before a
        visit taught anything)."""
        return self.seen / self.watched * 3600 if self.watched else None


def observe(seen: float, watched: float, new: int, seconds: float) -> tuple[float, float]:
    """The weighted counts after ``new`` articles found over ``seconds`` more seconds."""
    weight = math.pow(0.5, seconds / (MEMORY * 3600))
    return seen * weight + new, watched * weight + seconds


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
        # One statement each, so no executescript: that would commit a transaction of the caller.
        conn.execute(SCHEDULE_DDL)
        have = {row[1] for row in conn.execute("PRAGMA table_info(crawl_schedule)")}
        for column in ("seen", "watched"):
            if column not in have:  # a table from before the rate estimate
                conn.execute(
                    f"ALTER TABLE crawl_schedule ADD COLUMN {column} REAL NOT NULL DEFAULT 0"
                )

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
        visits: Iterable[tuple[str, int, bool] | tuple[str, int, bool, dt.datetime | None]],
        policies: Mapping[str, Policy],
        at: dt.datetime,
    ) -> None:
        """Record visits that started at ``at``: ``(source, new articles, complete)`` each, and
        optionally when the oldest of those articles was published (a first visit learns the
        source's rate from it). ``policies`` names every source scheduled, visited or not: the
        adaptive ones share the budget (see :func:`per_visit`)."""
        with transaction(self.conn):
            known = {row.name: row for row in self.all()}
            counts = {
                name: (row.seen, row.watched)
                for name, row in known.items()
                if name in policies and row.configured == policies[name].interval
            }
            done = []
            for name, new, complete, *oldest in visits:
                policy = policies.get(name)
                if policy is None:
                    continue
                row = known.get(name)
                fresh = row is None or row.configured != policy.interval
                seen, watched = (0.0, 0.0) if fresh else (row.seen, row.watched)
                if complete:
                    since = _since(row, oldest[0] if oldest else None, at)
                    if since is not None:
                        seen, watched = observe(seen, watched, new, since)
                counts[name] = (seen, watched)
                current = policy.start() if fresh else row.interval
                done.append((name, new, complete, policy, current))
            share = per_visit(policies, counts)
            for name, new, complete, policy, current in done:
                seen, watched = counts[name]
                if complete:
                    interval = wait = policy.next_interval(seen, watched, share)
                else:
                    interval, wait = current, min(current, policy.floor)
                self.conn.execute(
                    "INSERT INTO crawl_schedule (name, configured, interval, last_visit, "
                    "next_due, visits, new_articles, last_new, seen, watched) "
                    "VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?, ?) "
                    "ON CONFLICT (name) DO UPDATE SET configured = excluded.configured, "
                    "interval = excluded.interval, last_visit = excluded.last_visit, "
                    "next_due = excluded.next_due, visits = visits + 1, "
                    "new_articles = new_articles + excluded.new_articles, "
                    "last_new = excluded.last_new, seen = excluded.seen, "
                    "watched = excluded.watched",
                    (
                        name,
                        policy.interval,
                        interval,
                        iso(at),
                        iso(at + dt.timedelta(seconds=wait)),
                        new,
                        new,
                        seen,
                        watched,
                    ),
                )


def per_visit(policies: Mapping[str, Policy], counts: Mapping[str, tuple[float, float]]) -> float:
    """The new articles a visit is to find so that the adaptive sources of ``policies``, at the
    rates their weighted counts (``counts``: seen, watched; a source without them has its prior
    alone) say, are expected to visit as often as their configured intervals would: the sum of
    one over the interval is the budget. A source held at its floor or ceiling spends what the
    bound says; the others share the rest. The number is kept between ``LEAST`` and ``MOST``."""
    pool = [(p, counts.get(name, (0.0, 0.0))) for name, p in policies.items() if p.adaptive]
    budget = sum(1 / policy.interval for policy, _ in pool)

    def spent(share: float) -> float:
        return sum(1 / p.next_interval(seen, watched, share) for p, (seen, watched) in pool)

    # Visits fall as the share rises: bisect it between bounds no source comes near.
    low, high = 1e-9, 1e9
    for _ in range(64):
        middle = math.sqrt(low * high)
        if spent(middle) > budget:
            low = middle
        else:
            high = middle
    return min(max(high, LEAST), MOST)


def merge_schedule(source: sqlite3.Connection, target: sqlite3.Connection) -> int:
    """Carry the schedule of the store on ``source`` into the one on ``target`` (a shard into a
    merged store): for each source, the row of its latest visit wins. Returns the rows written;
    merging the same store again writes none."""
    if not source.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'crawl_schedule'"
    ).fetchone():
        return 0
    theirs, ours = Schedule(source), Schedule(target)
    written = 0
    for row in theirs.all():
        known = ours.get(row.name)
        if known is not None and (known.last_visit or "") >= (row.last_visit or ""):
            continue
        values = dataclasses.astuple(row)
        target.execute(
            f"INSERT OR REPLACE INTO crawl_schedule ({', '.join(_COLUMNS)}) "
            f"VALUES ({', '.join('?' * len(values))})",
            values,
        )
        written += 1
    return written


def _since(
    known: SourceSchedule | None, oldest: dt.datetime | None, at: dt.datetime
) -> float | None:
    """Seconds the new articles of a visit at ``at`` were published over: since the last visit,
    or on a first one since the oldest was published; None when nothing says."""
    if known is not None and known.last_visit is not None:
        return max((at - parse_time(known.last_visit)).total_seconds(), 0.0)
    if oldest is None:
        return None
    if oldest.tzinfo is None:
        oldest = oldest.replace(tzinfo=dt.timezone.utc)
    seconds = (at - oldest).total_seconds()
    return seconds if seconds > 0 else None


__all__ = [
    "LEAST",
    "MEMORY",
    "MOST",
    "Policy",
    "Schedule",
    "SourceSchedule",
    "iso",
    "merge_schedule",
    "observe",
    "parse_time",
    "per_visit",
]
