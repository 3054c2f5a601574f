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
from storage.schedule import Policy, Schedule

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
    policy = Policy(interval=3600, floor=900, ceiling=86400)
    assert policy.next_interval(3600, 1) == 1800  # one new article: half
    assert policy.next_interval(3600, 3) == 900  # three: a quarter
    assert policy.next_interval(3600, 50) == 900  # never under the floor
    assert policy.next_interval(3600, 0) == 4680  # nothing: 1.3 times as long
    assert policy.next_interval(80000, 0) == 86400  # never over the ceiling
    fixed = Policy(interval=3600, floor=900, ceiling=86400, adaptive=False)
    assert fixed.next_interval(3600, 9) == fixed.next_interval(3600, 0) == 3600
    with pytest.raises(ValueError, match="floor"):
        Policy(interval=60, floor=7200, ceiling=3600)


def test_schedule_due_and_visits() -> None:
    conn = sqlite3.connect(":memory:")
    schedule = Schedule(conn)
    rules = {
        "busy": Policy(interval=1800, floor=300, ceiling=86400),
        "quiet": Policy(interval=1800, floor=300, ceiling=86400),
    }
    assert schedule.due(rules, T0) == ["busy", "quiet"]  # never visited
    schedule.visited([("busy", 4, True), ("quiet", 0, True)], rules, T0)
    busy, quiet = schedule.get("busy"), schedule.get("quiet")
    assert busy.interval == 360 and quiet.interval == 2340
    assert busy.next_due == "2026-03-02T06:06:00+00:00"
    assert schedule.due(rules, T0 + 5 * MIN) == []
    assert schedule.due(rules, T0 + 6 * MIN) == ["busy"]
    # A failed visit teaches nothing: same interval, retried after the floor.
    schedule.visited([("busy", 0, False)], rules, T0 + 6 * MIN)
    busy = schedule.get("busy")
    assert busy.interval == 360 and busy.next_due == "2026-03-02T06:11:00+00:00"
    assert (busy.visits, busy.new_articles, busy.per_visit) == (2, 4, 2.0)
    # A new interval in the sources file takes effect at once.
    rules["quiet"] = Policy(interval=600, floor=300, ceiling=86400)
    assert schedule.due(rules, T0 + 7 * MIN) == ["quiet"]


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
    """Ticks every 5 simulated minutes: the busy site comes down to a visit at every tick once
    it shows it has news, the quiet one is visited less and less often, and each new article
    is stored at the first visit after its publication."""
    timeline = Timeline(tmp_path / "world", {"busy": 20.0, "quiet": 0.0}, start=T0, seed=3)
    timeline.write(T0)
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
            now = T0 + tick * 5 * MIN
            timeline.write(now)
            world.clear_log()
            result = due_crawl(db, sources, now)
            assert result.returncode == 0, result.stderr
            visited.append({site for site, _path in world.requests if _path != "/robots.txt"})
            with Store.open(db) as store:
                for row in store.iter_articles(include_duplicates=True):
                    stored_at.setdefault(row["url"].split("/", 3)[3], now)
            if not visited[-1]:
                assert "No source is due; the next one is" in result.stdout
    print("sites visited per tick:", visited)
    assert visited[0] == {"busy", "quiet"}
    # Both found nothing at 06:00 (the first busy article came at 06:00:48): 10 min became 13.
    assert visited[1] == visited[2] == set()
    assert visited[3] == {"busy", "quiet"}
    # The busy site found news and came down to the floor; the quiet one is out to 06:31:54.
    assert visited[4] == visited[5] == {"busy"}
    published = {p.path.lstrip("/"): p.published for p in timeline.published(T0 + 25 * MIN)}
    assert stored_at.keys() == published.keys()
    for path, when in stored_at.items():
        # At most the longest interval the busy site had (13 min) rounded up to the tick.
        assert dt.timedelta(0) <= when - published[path] <= 15 * MIN, path
    result = subprocess.run(
        [sys.executable, "-m", "crawler.cli", "stats", "--db", str(db), "--json"],
        cwd=ROOT, capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    rows = {row["name"]: row for row in json.loads(result.stdout)["schedule"]}
    assert rows["quiet"]["interval_seconds"] > 600 and rows["quiet"]["new_per_visit"] == 0
    assert rows["busy"]["new_articles"] == len(published)
    assert rows["busy"]["next_due"] > rows["busy"]["last_visit"]
    table = subprocess.run(
        [sys.executable, "-m", "crawler.cli", "stats", "--db", str(db)],
        cwd=ROOT, capture_output=True, text=True, timeout=60, check=True,
    ).stdout  # fmt: skip
    assert "interval" in table and "next due" in table and "new/visit" in table
