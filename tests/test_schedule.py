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
from crawler.schedule import policies, record_visits
from crawler.sources import SourcesError, load_sources, parse_duration
from storage import Store
from storage.outcomes import NEW
from storage.schedule import LEAST, MEMORY, MOST, Policy, Schedule, observe, per_visit

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
    """The interval is the articles a visit is to find over the estimated rate, within the
    bounds; a prior of one configured interval in which they were found."""
    policy = Policy(interval=3600, floor=900, ceiling=86400)
    for share in (0.1, 0.5, 3.0):  # nothing learnt yet: the configured interval
        assert policy.next_interval(0, 0, share) == pytest.approx(3600)
    # Two articles over three hours, a quarter article a visit: (2 + 1/4) / (3 h + 1 h).
    assert policy.next_interval(2, 3 * 3600, 0.25) == pytest.approx(1600)
    assert policy.next_interval(10, 3600, 0.25) == 900  # a wire: never under the floor
    assert policy.next_interval(0, 2 * 86400, 0.25) == 86400  # silent for days: the ceiling
    fixed = Policy(interval=3600, floor=900, ceiling=86400, adaptive=False)
    assert fixed.next_interval(10, 3600, 1) == fixed.next_interval(0, 86400, 1) == 3600
    with pytest.raises(ValueError, match="floor"):
        Policy(interval=60, floor=7200, ceiling=3600)
    # What was found MEMORY hours ago weighs half.
    assert observe(4, 3600, 1, MEMORY * 3600) == (3, 1800 + MEMORY * 3600)


def test_budget_shared_by_rate() -> None:
    """The adaptive sources visit as often, all together, as their configured intervals say,
    each in proportion to its rate; a fixed source is outside the budget."""
    half_hour = Policy(interval=1800, floor=60, ceiling=86400)
    rules = {"wire": half_hour, "daily": half_hour, "blog": half_hour, "new": half_hour}
    # Weighted counts: 8 articles over 2 h, 2 over 2 h, none over a day, nothing yet.
    counts = {"wire": (8, 7200), "daily": (2, 7200), "blog": (0, 86400)}
    share = per_visit(rules, counts)
    intervals = {
        name: rules[name].next_interval(*counts.get(name, (0, 0)), share) for name in rules
    }
    assert sum(1 / i for i in intervals.values()) == pytest.approx(4 / 1800)
    assert intervals["wire"] < intervals["new"] < intervals["daily"] < intervals["blog"]
    assert intervals["new"] == pytest.approx(1800)  # no visit yet: an average one, its share
    rate = {name: (counts[name][0] + share) / (counts[name][1] + 1800) for name in counts}
    assert intervals["wire"] * rate["wire"] == pytest.approx(share)  # proportional to rate
    assert intervals["daily"] * rate["daily"] == pytest.approx(share)
    # A fixed source neither takes from the budget nor adds to it.
    with_fixed = {**rules, "weekly": Policy(interval=7 * 86400, floor=60, ceiling=86400 * 9,
                                            adaptive=False)}  # fmt: skip
    assert per_visit(with_fixed, counts) == pytest.approx(share)
    # A source held at its floor spends what the floor says; the others share the rest.
    floored = {**rules, "wire": Policy(interval=1800, floor=1200, ceiling=86400)}
    assert per_visit(floored, counts) < share
    # A source alone keeps its interval while its visits find between LEAST and MOST new
    # articles; a quieter one waits for LEAST, a busier one is visited as often as it publishes.
    alone = {"only": half_hour}
    for found in (2, 3):  # over 2 hours
        share = per_visit(alone, {"only": (found, 7200)})
        assert half_hour.next_interval(found, 7200, share) == pytest.approx(1800)
    assert per_visit(alone, {"only": (0.25, 3600)}) == LEAST
    assert half_hour.next_interval(0.25, 3600, LEAST) == pytest.approx(LEAST * 5400 / 0.5)
    assert per_visit(alone, {"only": (30, 7200)}) == MOST  # 15 an hour
    assert half_hour.next_interval(30, 7200, MOST) == pytest.approx(9000 / (30 + MOST))


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
    # over 2 hours); without them, a source has its prior alone, an average source's share,
    # so the busy one has nothing to take from yet: all three keep the configured interval.
    schedule.visited(
        [("busy", 4, True, T0 - 2 * 60 * MIN), ("quiet", 0, True), ("new", 6, True, None)],
        rules,
        T0,
    )
    busy = schedule.get("busy")
    assert busy.per_hour == 2.0
    assert [row.interval for row in schedule.all()] == pytest.approx([1800] * 3)
    assert busy.next_due == "2026-03-02T06:30:00+00:00"
    assert schedule.due(rules, T0 + 29 * MIN) == []
    assert schedule.due(rules, T0 + 30 * MIN) == ["busy", "quiet", "new"]
    # A failed visit teaches nothing: same interval, retried after the floor.
    schedule.visited([("busy", 0, False)], rules, T0 + 30 * MIN)
    busy = schedule.get("busy")
    assert busy.interval == pytest.approx(1800)
    assert busy.next_due == "2026-03-02T06:35:00+00:00"
    assert (busy.visits, busy.new_articles, busy.per_visit) == (2, 4, 2.0)
    # Visits that find nothing lengthen the intervals of the quiet two (a silent source's is
    # the time it has been watched, plus the prior's interval), and the visits they no longer
    # make go to the busy one: together, the three still visit three times in half an hour.
    schedule.visited(
        [("busy", 2, True), ("quiet", 0, True), ("new", 0, True)], rules, T0 + 35 * MIN
    )
    busy, quiet, new = (schedule.get(name) for name in ("busy", "quiet", "new"))
    assert quiet.interval == new.interval == pytest.approx(35 * 60 + 1800)
    assert busy.interval < 900
    assert sum(1 / row.interval for row in (busy, quiet, new)) == pytest.approx(3 / 1800)
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


def test_a_run_shares_the_budget_with_the_sources_it_did_not_visit(tmp_path: Path) -> None:
    """The budget is the sources file's: a run that visits one source alone still counts the
    visits a quiet source of the file no longer needs."""
    path = write_sources(
        tmp_path / "s.toml",
        '[defaults]\ninterval = "30m"\n[sources.busy]\nurls = ["https://busy.example/"]\n'
        '[sources.quiet]\nurls = ["https://quiet.example/"]\n',
    )
    loaded = {s.name: s for s in load_sources(path)}
    settings = {"NEWSDEDUP_SOURCES": str(path), "NEWSDEDUP_MIN_INTERVAL": "1m"}
    found = {"busy": [0, 1, 1], "quiet": [0, 0, None]}  # new articles at 0, 30 and 60 minutes
    conn = sqlite3.connect(":memory:")
    for n in range(3):
        counts = {
            name: {f"articles_{NEW}": seq[n]} for name, seq in found.items() if seq[n] is not None
        }
        crawled = {name: loaded[name] for name in counts}
        record_visits(conn, crawled, counts, set(counts), T0 + n * 30 * MIN, settings)
    busy, quiet = Schedule(conn).get("busy"), Schedule(conn).get("quiet")
    assert quiet.interval == pytest.approx(3600)  # silent over half an hour, plus the prior
    # Two visits' worth in half an hour, less quiet's one in an hour.
    assert busy.interval == pytest.approx(1 / (2 / 1800 - 1 / 3600))


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
    # Written under [defaults], it is reported there, not on the first source inheriting it.
    sources.write_text(
        f'[defaults]\n{field} = {value}\n[sources.wire]\nurls = ["https://wire.example/"]\n',
        encoding="utf-8",
    )
    with pytest.raises(SourcesError) as caught:
        load_sources(sources)
    assert f"{sources}: [defaults]: field '{field}'" in str(caught.value)
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
        feeds: list[dict[str, tuple[int, bool]]] = []
        stored_at: dict[str, dt.datetime] = {}
        for tick in range(6):
            now = first + tick * 5 * MIN
            timeline.write(now)
            world.clear_log()
            result = due_crawl(db, sources, now)
            assert result.returncode == 0, result.stderr
            visited.append({site for site, _path in world.requests if _path != "/robots.txt"})
            feeds.append(
                {
                    hit.site: (hit.status, "If-None-Match" in hit.headers)
                    for hit in world.log
                    if hit.path == "/feed.xml"
                }
            )
            with Store.open(db) as store:
                for row in store.iter_articles(include_duplicates=True):
                    stored_at.setdefault(row["url"].split("/", 3)[3], now)
    print("sites visited per tick:", visited)
    # Quiet: nothing to learn from at 06:30 (10 min kept), an empty visit at 06:40 (20 min).
    assert visited == [{"busy", "quiet"}, {"busy"}, {"busy", "quiet"}, {"busy"}, {"busy"}, {"busy"}]
    # A due source's entry pages are fetched conditionally: the quiet feed, unchanged, is a 304.
    assert feeds[0] == {"busy": (200, False), "quiet": (200, False)}
    assert all(conditional for tick in feeds[1:] for _status, conditional in tick.values())
    assert feeds[2]["quiet"] == (304, True)
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
