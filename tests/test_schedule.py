"""The schedule: intervals in the sources file, the adaptive rule, `crawl --due` on a world that
publishes while a simulated clock advances, and what `stats` shows of it."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sitegen import FAST, ROOT, crawl

from crawler.demo.server import serve_world
from crawler.demo.timeline import Timeline
from crawler.schedule import policies
from crawler.sources import SourcesError, load_sources, parse_duration
from storage import Store
from storage.schedule import MEMORY, Policy, Schedule, observe

T0 = dt.datetime(2026, 3, 2, 6, 0, tzinfo=dt.timezone.utc)
MIN = dt.timedelta(minutes=1)


def test_durations() -> None:
    assert parse_duration("15m") == 900
    assert parse_duration("6h") == 6 * 3600
    assert parse_duration("2d") == 2 * 86400
    assert parse_duration("1.5h") == 5400
    assert parse_duration(90) == 90
    for bad in ("5 parsecs", "", "m", "-5m", "0m", True):
        with pytest.raises(ValueError):
            parse_duration(bad)


def test_adaptive_rule() -> None:
    """The interval is TARGET (a quarter article) over the estimated rate, within the bounds."""
    policy = Policy(interval=3600, floor=900, ceiling=86400)
    assert policy.next_interval(0, 0) == 3600  # nothing learnt yet: the configured interval
    # Two articles over three hours: (2 + 1/4) / (3 h + the prior's 1 h) = 0.5625 an hour.
    assert policy.next_interval(2, 3 * 3600) == pytest.approx(1600)
    assert policy.next_interval(10, 3600) == 900  # a wire: never under the floor
    assert policy.next_interval(0, 2 * 86400) == 86400  # silent for days: never over the ceiling
    fixed = Policy(interval=3600, floor=900, ceiling=86400, adaptive=False)
    assert fixed.next_interval(10, 3600) == fixed.next_interval(0, 86400) == 3600
    with pytest.raises(ValueError, match="floor"):
        Policy(interval=60, floor=7200, ceiling=3600)
    # What was found MEMORY hours ago weighs half.
    assert observe(4, 3600, 1, MEMORY * 3600) == (3, 1800 + MEMORY * 3600)


def test_schedule_due_and_visits() -> None:
    conn = sqlite3.connect(":memory:")
    schedule = Schedule(conn)
    rules = {
        "busy": Policy(interval=1800, floor=300, ceiling=86400),
        "quiet": Policy(interval=1800, floor=300, ceiling=86400),
        "new": Policy(interval=1800, floor=300, ceiling=86400),
    }
    assert schedule.due(rules, T0) == ["busy", "quiet", "new"]  # never visited
    # A first visit learns from the publication dates of the backlog it found (4 articles
    # over 2 hours); without them, it keeps the configured interval.
    schedule.visited(
        [("busy", 4, True, T0 - 2 * 60 * MIN), ("quiet", 0, True), ("new", 6, True, None)],
        rules,
        T0,
    )
    busy, quiet = schedule.get("busy"), schedule.get("quiet")
    assert busy.interval == pytest.approx(0.25 * 9000 / 4.25)  # 529 s
    assert busy.per_hour == 2.0
    assert quiet.interval == schedule.get("new").interval == 1800
    assert busy.next_due == "2026-03-02T06:08:49+00:00"
    assert schedule.due(rules, T0 + 8 * MIN) == []
    assert schedule.due(rules, T0 + 9 * MIN) == ["busy"]
    # A failed visit teaches nothing: same interval, retried after the floor.
    schedule.visited([("busy", 0, False)], rules, T0 + 9 * MIN)
    busy = schedule.get("busy")
    assert busy.interval == pytest.approx(529.4, abs=0.1)
    assert busy.next_due == "2026-03-02T06:14:00+00:00"
    assert (busy.visits, busy.new_articles, busy.per_visit) == (2, 4, 2.0)
    # An empty visit 21 minutes on: the estimate falls, the interval grows.
    schedule.visited([("busy", 0, True)], rules, T0 + 30 * MIN)
    assert schedule.get("busy").interval > 600
    # A new interval in the sources file takes effect at once.
    rules["quiet"] = Policy(interval=600, floor=300, ceiling=86400)
    assert schedule.due(rules, T0 + 10 * MIN) == ["quiet"]


def test_schedule_table_from_before_the_rate_estimate() -> None:
    """A crawl_schedule table without the estimate's columns gains them, its rows kept."""
    conn = sqlite3.connect(":memory:")
    conn.execute(
        "CREATE TABLE crawl_schedule (name TEXT PRIMARY KEY, configured REAL NOT NULL, "
        "interval REAL NOT NULL, last_visit TEXT, next_due TEXT, visits INTEGER NOT NULL "
        "DEFAULT 0, new_articles INTEGER NOT NULL DEFAULT 0, last_new INTEGER)"
    )
    conn.execute(
        "INSERT INTO crawl_schedule VALUES ('wire', 3600, 900, '2026-03-02T06:00:00+00:00', "
        "'2026-03-02T06:15:00+00:00', 3, 9, 2)"
    )
    schedule = Schedule(conn)
    wire = schedule.get("wire")
    assert (wire.interval, wire.visits, wire.seen, wire.watched) == (900, 3, 0, 0)
    rules = {"wire": Policy(interval=3600, floor=300, ceiling=86400)}
    schedule.visited([("wire", 3, True)], rules, T0 + 15 * MIN)
    assert schedule.get("wire").per_hour == 12.0


def write_sources(path: Path, body: str) -> Path:
    path.write_text(body, encoding="utf-8")
    return path


def test_intervals_in_the_sources_file(tmp_path: Path) -> None:
    sources = write_sources(
        tmp_path / "s.toml",
        """
[defaults]
interval = "2h"
[sources.wire]
urls = ["https://wire.example/"]
interval = "15m"
min_interval = "5m"
[sources.blog]
urls = ["https://blog.example/"]
adaptive = false
[sources.weekly]
urls = ["https://weekly.example/"]
max_interval = "7d"
interval = "3d"
""",
    )
    loaded = {s.name: s for s in load_sources(sources)}
    assert loaded["wire"].interval == 900 and loaded["wire"].min_interval == 300
    assert loaded["blog"].interval == 7200 and loaded["blog"].adaptive is False
    rules = policies(loaded.values(), {"NEWSDEDUP_MIN_INTERVAL": "15m"})
    assert rules["wire"] == Policy(900, 300, 86400, True)
    assert rules["blog"] == Policy(7200, 900, 86400, False)
    assert rules["weekly"] == Policy(3 * 86400, 900, 7 * 86400, True)


@pytest.mark.parametrize(
    ("field", "value", "says"),
    [
        ("interval", '"5 parsecs"', "'5 parsecs' is not a duration"),
        ("min_interval", '"soon"', "'soon' is not a duration"),
        ("max_interval", "-3", "-3 is not a positive duration"),
        ("adaptive", '"yes"', "must be true or false"),
    ],
)
def test_bad_interval_names_file_source_and_field(
    tmp_path: Path, field: str, value: str, says: str
) -> None:
    sources = write_sources(
        tmp_path / "s.toml",
        f'[sources.wire]\nurls = ["https://wire.example/"]\n{field} = {value}\n',
    )
    with pytest.raises(SourcesError) as caught:
        load_sources(sources)
    assert f"{sources}: source 'wire': field '{field}'" in str(caught.value)
    assert says in str(caught.value)


def test_bad_interval_stops_the_command(tmp_path: Path) -> None:
    sources = write_sources(
        tmp_path / "s.toml",
        '[sources.wire]\nurls = ["https://wire.example/"]\ninterval = "5 parsecs"\n',
    )
    result = crawl(tmp_path / "news.db", "--sources", str(sources), "--due")
    assert result.returncode == 2
    assert f"{sources}: source 'wire': field 'interval': '5 parsecs' is not a duration" in (
        result.stderr
    )
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "news.db").exists()
    result = crawl(tmp_path / "news.db", "https://wire.example/", "--due")
    assert result.returncode == 2 and "--due crawls the sources of a sources file" in result.stderr


def due_crawl(db: Path, sources: Path, now: dt.datetime) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "crawler.cli", "crawl", "--db", str(db), *FAST,
         "-s", "NEWSDEDUP_WORKERS=0", "-s", f"NEWSDEDUP_NOW={now.isoformat()}",
         "-s", "NEWSDEDUP_MIN_INTERVAL=5m", "--sources", str(sources), "--due"],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def test_due_crawls_follow_a_publishing_world(tmp_path: Path) -> None:
    """Ticks every 5 simulated minutes from 06:30, half an hour after the busy site began: the
    first visit learns its rate from the dates of the backlog it finds and brings it to the
    floor at once; the quiet one is visited less and less often, and each article published
    after the first visit is stored at the next one."""
    timeline = Timeline(tmp_path / "world", {"busy": 20.0, "quiet": 0.0}, start=T0, seed=3)
    first = T0 + 30 * MIN
    timeline.write(first)
    db = tmp_path / "news.db"
    with serve_world(tmp_path / "world") as world:
        sources = write_sources(
            tmp_path / "sources.toml",
            f'[defaults]\ninterval = "10m"\n'
            f'[sources.busy]\nurls = ["{world.sites["busy"]}/feed.xml"]\n'
            f'[sources.quiet]\nurls = ["{world.sites["quiet"]}/feed.xml"]\n',
        )
        visited: list[set[str]] = []
        stored_at: dict[str, dt.datetime] = {}
        for tick in range(6):
            now = first + tick * 5 * MIN
            timeline.write(now)
            world.clear_log()
            result = due_crawl(db, sources, now)
            assert result.returncode == 0, result.stderr
            visited.append({site for site, _path in world.requests if _path != "/robots.txt"})
            with Store.open(db) as store:
                for row in store.iter_articles(include_duplicates=True):
                    stored_at.setdefault(row["url"].split("/", 3)[3], now)
    print("sites visited per tick:", visited)
    # Quiet: nothing to learn from at 06:30 (10 min kept), an empty visit at 06:40 (20 min).
    assert visited == [{"busy", "quiet"}, {"busy"}, {"busy", "quiet"}, {"busy"}, {"busy"}, {"busy"}]
    published = {p.path.lstrip("/"): p.published for p in timeline.published(first + 25 * MIN)}
    assert stored_at.keys() == published.keys()
    for path, when in stored_at.items():
        if published[path] > first:
            assert dt.timedelta(0) <= when - published[path] <= 5 * MIN, path
    result = subprocess.run(
        [sys.executable, "-m", "crawler.cli", "stats", "--db", str(db), "--json"],
        cwd=ROOT, capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    rows = {row["name"]: row for row in json.loads(result.stdout)["schedule"]}
    assert rows["quiet"]["interval_seconds"] > 600 and rows["quiet"]["new_per_visit"] == 0
    assert rows["busy"]["new_articles"] == len(published)
    assert 10 < rows["busy"]["per_hour"] < 40  # the world's busy site publishes 20 an hour
    assert rows["busy"]["next_due"] > rows["busy"]["last_visit"]
    table = subprocess.run(
        [sys.executable, "-m", "crawler.cli", "stats", "--db", str(db)],
        cwd=ROOT, capture_output=True, text=True, timeout=60, check=True,
    ).stdout  # fmt: skip
    assert "interval" in table and "next due" in table and "new/visit" in table
    assert "per hour" in table
