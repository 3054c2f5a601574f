"""The schedule of a crawl: each source's revisit policy from the sources file and settings, the
scheduling clock, and which sources are due (the rule itself is in :mod:`storage.schedule`)."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from crawler import settings as defaults
from crawler.errors import ConfigError
from crawler.sources import Source, SourcesError, load_sources, parse_duration
from storage.outcomes import DUPLICATE, NEW
from storage.schedule import Policy, Schedule, SourceSchedule, parse_time


class ScheduleError(ConfigError):
    """A scheduling setting that cannot be used; the message names it and how to write it."""


def _setting(settings: Any, name: str) -> Any:
    value = settings.get(name) if settings is not None else None
    return getattr(defaults, name) if value is None or value == "" else value


def _duration_setting(settings: Any, name: str) -> float:
    value = _setting(settings, name)
    try:
        return parse_duration(value)
    except ValueError as exc:
        raise ScheduleError(f"{name}: {exc}") from None


def _flag_setting(settings: Any, name: str) -> bool:
    value = _setting(settings, name)
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off"):
        return False
    raise ScheduleError(f"{name}={value!r}: write true or false")


def policies(sources: Iterable[Source], settings: Any = None) -> dict[str, Policy]:
    """Each source's revisit policy: its own fields where it sets them, else the settings.

    ``settings`` is anything with ``get`` (Scrapy settings, a dict); None: the defaults.
    Raises :class:`ScheduleError` for an unusable setting or bounds that contradict.
    """
    interval = _duration_setting(settings, "NEWSDEDUP_INTERVAL")
    floor = _duration_setting(settings, "NEWSDEDUP_MIN_INTERVAL")
    ceiling = _duration_setting(settings, "NEWSDEDUP_MAX_INTERVAL")
    adaptive = _flag_setting(settings, "NEWSDEDUP_ADAPTIVE")
    found: dict[str, Policy] = {}
    for source in sources:
        low = source.min_interval if source.min_interval is not None else floor
        high = source.max_interval if source.max_interval is not None else ceiling
        try:
            found[source.name] = Policy(
                interval=source.interval if source.interval is not None else interval,
                floor=min(low, high) if source.min_interval is None else low,
                ceiling=max(low, high) if source.max_interval is None else high,
                adaptive=source.adaptive if source.adaptive is not None else adaptive,
            )
        except ValueError as exc:
            raise ScheduleError(f"source {source.name!r}: {exc}") from None
    return found


def now(settings: Any = None) -> dt.datetime:
    """The scheduling clock: ``NEWSDEDUP_NOW`` when set, else the time (UTC)."""
    value = settings.get("NEWSDEDUP_NOW") if settings is not None else None
    if not value:
        return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    if isinstance(value, dt.datetime):
        moment = value
    else:
        try:
            moment = dt.datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
        except ValueError:
            raise ScheduleError(
                f"NEWSDEDUP_NOW={value!r} is not a time; write YYYY-MM-DDTHH:MM:SS (UTC)"
            ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment.astimezone(dt.timezone.utc)


def due(
    conn: sqlite3.Connection, sources: Iterable[Source], settings: Any = None
) -> tuple[list[str], dict[str, SourceSchedule | None]]:
    """The names of the sources due now, and where every source stands."""
    chosen = policies(sources, settings)
    schedule = Schedule(conn)
    return schedule.due(chosen, now(settings)), {name: schedule.get(name) for name in chosen}


def new_articles(counts: Mapping[str, int]) -> int:
    """New articles in a source's counts of one run: new stories and new copies of stories."""
    return int(counts.get(f"articles_{NEW}", 0)) + int(counts.get(f"articles_{DUPLICATE}", 0))


def record_visits(
    conn: sqlite3.Connection,
    sources: Mapping[str, Source],
    counts: Mapping[str, Counter[str] | Mapping[str, int]],
    complete: set[str],
    at: dt.datetime,
    settings: Any = None,
) -> None:
    """Record the visits of one run (started at ``at``) in the schedule; the sources of the run
    (``sources``) and the other sources of the sources file share the budget of visits."""
    pool = {source.name: source for source in _file_sources(settings)}
    pool.update(sources)
    chosen = policies(pool.values(), settings)
    schedule = Schedule(conn)
    visits = []
    for name in counts:
        if name not in chosen or name not in sources:
            continue
        new = new_articles(counts[name])
        first = schedule.get(name) is None
        oldest = _oldest_published(conn, name, new, at) if first and new else None
        visits.append((name, new, name in complete, oldest))
    schedule.visited(visits, chosen, at)


def _file_sources(settings: Any) -> list[Source]:
    """The enabled sources of the sources file of the crawl (none without one). The file was
    read before the crawl; one that has since become unreadable leaves the run's own sources."""
    path = settings.get("NEWSDEDUP_SOURCES") if settings is not None else None
    if not path:
        return []
    try:
        return load_sources(path)
    except SourcesError:
        return []


def _oldest_published(
    conn: sqlite3.Connection, source: str, new: int, at: dt.datetime
) -> dt.datetime | None:
    """When the oldest of the ``new`` latest articles of ``source`` was published: a first visit
    found them, so they tell how fast the source publishes. None without dates."""
    try:
        rows = conn.execute(
            "SELECT published FROM articles WHERE source = ? AND published IS NOT NULL",
            (source,),
        ).fetchall()
    except sqlite3.OperationalError:  # a state without the store's tables
        return None
    dates = []
    for (value,) in rows:
        try:
            moment = parse_time(str(value))
        except ValueError:
            continue
        if moment <= at:
            dates.append(moment)
    return min(sorted(dates)[-new:]) if len(dates) >= 2 else None


__all__ = ["ScheduleError", "due", "new_articles", "now", "policies", "record_visits"]
