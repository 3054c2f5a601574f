"""Freshness: publication-to-store delay and requests, adaptive schedule vs crawling every tick.

A world of sources publishing at their own rates (crawler.demo.timeline) runs for a simulated
day. Three schedules are compared:

- every tick: every source is crawled every 5 minutes (``--tick``), a cron line of a crawl;
- due, same tick: ``crawl --due`` on the same cron line, each source at its adapted interval
  (storage.schedule), the sources visited every 35 minutes on average (the default interval),
  between a floor of the tick and a ceiling of a day;
- due, every minute: ``crawl --due`` every minute (``--due-tick``; a run with nothing due sends
  no request), with a floor of a minute.

Two worlds (``--world``): ``tiers``, thirty sources in three tiers of rates, steady all day; and
``long-tail``, sixty-four sources whose rates span four orders of magnitude (two wires, national
and regional papers, a long tail of small sites) and rise by day and fall by night.

A visit costs the source's entry requests (robots.txt and the feed, a conditional GET), one
request per new article it finds and, when it finds any, one for the homepage the articles link
to (the real crawler follows that link once a run, below); an article is stored at the first
visit after it appeared in the feed (the feed lists the latest 15: an article pushed off it
before a visit is missed; one missed, or not yet stored at the end, counts as later than every
stored one).
Each row gives the median delay, the mean delay of the stored articles and the 90th
percentile, the requests, and how many times fewer they are than every tick's.
By default visits are simulated with these costs, so a day takes seconds; ``--real`` runs
the real crawler (``newsdedup crawl --due`` with ``NEWSDEDUP_NOW``) against the world served on
127.0.0.1 at every tick, and counts the requests the server saw (slow: use ``--hours 2``).

    python benchmarks/freshness.py [--world tiers|long-tail] [--hours 24] [--tick 5] [--seed 1]
        [--real]
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import sqlite3
import statistics
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

from crawler.demo.timeline import LISTED, Timeline
from storage.schedule import Policy, Schedule

ROOT = Path(__file__).resolve().parent.parent
START = dt.datetime(2026, 3, 2, 0, 0, tzinfo=dt.timezone.utc)
# Articles an hour: two wires, eight dailies, twenty small sites that post once a day or so.
TIERS = {
    "wire-a": 10.0,
    "wire-b": 5.0,
    **{f"daily-{n}": 0.5 for n in range(8)},
    **{f"blog-{n:02d}": 0.05 for n in range(20)},
}
# Articles an hour, on average over the day, with the orders of magnitude of real outlets: a
# wire service files hundreds of items a day, a national paper a hundred or two, a regional
# one a dozen or two, a small site or blog from a few a day to one a fortnight.
LONG_TAIL = {
    "wire-a": 30.0,
    "wire-b": 15.0,
    **{f"national-{n}": 8.0 * 0.75**n for n in range(6)},
    **{f"regional-{n:02d}": 1.0 * 0.9**n for n in range(16)},
    **{f"small-{n:02d}": 0.1 * 0.9**n for n in range(40)},
}
# How far the rate of a long-tail source swings over the day (night at a fifth of the peak
# hour's rate, about), and the peak hours, spread over a working day.
CYCLE = 0.7
WORLDS = {"tiers": (TIERS, 0.0), "long-tail": (LONG_TAIL, CYCLE)}
# The interval of every source: where it starts, and its share of the budget (the
# NEWSDEDUP_INTERVAL default).
INTERVAL = dt.timedelta(minutes=35)
# Requests a visit costs before any article: robots.txt and the feed.
ENTRY_REQUESTS = 2
# Requests a visit that finds new articles costs beyond them: the pages they link to that are
# not articles (here, the homepage), fetched once in the run.
LINKED_REQUESTS = 1


def world(name: str, root: Path, hours: float, seed: int) -> Timeline:
    rates, cycle = WORLDS[name]
    peaks = {source: 10.0 + 8.0 * n / len(rates) for n, source in enumerate(rates)}
    start = START
    return Timeline(root, rates, start=start, hours=hours, seed=seed, cycle=cycle, peaks=peaks)


def simulate(timeline: Timeline, tick: dt.timedelta, adaptive: bool, floor: dt.timedelta) -> dict:
    """Visits with the costs above; the schedule is the real one, on an in-memory store."""
    schedule = Schedule(sqlite3.connect(":memory:"))
    # Every source starts at the default interval (NEWSDEDUP_INTERVAL) and adapts from there.
    policy = Policy(
        interval=INTERVAL.total_seconds() if adaptive else tick.total_seconds(),
        floor=max(tick, floor).total_seconds(),
        ceiling=86400,
        adaptive=adaptive,
    )
    policies = {p.name: policy for p in timeline.publishers}
    stored: dict[str, dt.datetime] = {}
    requests: dict[str, int] = defaultdict(int)
    now = timeline.start
    while now < timeline.end:
        due = schedule.due(policies, now) if adaptive else list(policies)
        visits = []
        for publisher in timeline.publishers:
            if publisher.name not in due:
                continue
            listed = [p for p in publisher.pieces if p.published <= now][-LISTED:]
            new = [p for p in listed if p.path not in stored]
            for piece in new:
                stored[piece.path] = now
            requests[publisher.name] += ENTRY_REQUESTS + len(new)
            requests[publisher.name] += LINKED_REQUESTS if new else 0
            oldest = min((p.published for p in new), default=None)
            visits.append((publisher.name, len(new), True, oldest))
        schedule.visited(visits, policies, now)
        now += tick
    return {"stored": stored, "requests": dict(requests)}


def real(
    timeline: Timeline, tick: dt.timedelta, adaptive: bool, floor: dt.timedelta, work: Path
) -> dict:
    """Real crawls (``newsdedup crawl --due``) at every tick, against the served world."""
    from crawler.demo.server import serve_world
    from storage import Store

    work.mkdir(parents=True, exist_ok=True)
    db = work / "news.db"
    stored: dict[str, dt.datetime] = {}
    requests: dict[str, int] = defaultdict(int)
    timeline.write(timeline.start)
    with serve_world(timeline.root) as world:
        sources = work / "sources.toml"
        sources.write_text(
            "".join(
                f'[sources.{name}]\nurls = ["{origin}/feed.xml"]\n'
                for name, origin in world.sites.items()
            ),
            encoding="utf-8",
        )
        floor_minutes = f"{max(tick, floor).total_seconds() / 60:g}m"
        start = INTERVAL if adaptive else tick
        interval = f"{start.total_seconds() / 60:g}m"
        now = timeline.start
        while now < timeline.end:
            timeline.write(now)
            world.clear_log()
            command = [
                sys.executable, "-m", "crawler.cli", "crawl", "--db", str(db), "--sources",
                str(sources), "--due", "-s", "AUTOTHROTTLE_ENABLED=0", "-s", "DOWNLOAD_DELAY=0",
                "-s", "NEWSDEDUP_WORKERS=0", "-s", f"NEWSDEDUP_NOW={now.isoformat()}",
                "-s", f"NEWSDEDUP_INTERVAL={interval}",
                "-s", f"NEWSDEDUP_MIN_INTERVAL={floor_minutes}",
                "-s", f"NEWSDEDUP_ADAPTIVE={'true' if adaptive else 'false'}",
            ]  # fmt: skip
            subprocess.run(command, cwd=ROOT, capture_output=True, check=True, timeout=300)
            for site, _path in world.requests:
                requests[site] += 1
            with Store.open(db) as store:
                for row in store.iter_articles(include_duplicates=True):
                    path = "/" + row["url"].split("/", 3)[3]
                    stored.setdefault(path, now)
            now += tick
    return {"stored": stored, "requests": dict(requests)}


def summary(timeline: Timeline, run: dict) -> dict:
    published = {p.path: p for p in timeline.pieces}
    delays = defaultdict(list)
    for path, when in run["stored"].items():
        piece = published[path]
        delays[piece.site].append((when - piece.published).total_seconds() / 60)
    every = [d for values in delays.values() for d in values]
    # An article not stored by the end of the day counts as later than any stored one, so a
    # schedule cannot lower its median by leaving the latest articles of quiet sources behind.
    stored = list(every)
    every += [math.inf] * (len(published) - len(run["stored"]))
    every.sort()
    return {
        "median_delay_min": statistics.median(every) if every else math.nan,
        # The mean of the stored articles alone (a missed one has no delay to add); the 90th
        # percentile counts the missed ones, as the median does.
        "mean_delay_min": statistics.mean(stored) if stored else math.nan,
        "p90_delay_min": every[math.ceil(0.9 * len(every)) - 1] if every else math.nan,
        "requests": sum(run["requests"].values()),
        "stored": len(run["stored"]),
        "missed": len(published) - len(run["stored"]),
        "per_source": {
            p.name: (
                statistics.median(delays[p.name]) if delays[p.name] else None,
                run["requests"].get(p.name, 0),
                len(p.pieces),
            )
            for p in timeline.publishers
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--world", choices=sorted(WORLDS), default="tiers")
    parser.add_argument("--hours", type=float, default=24.0)
    parser.add_argument("--tick", type=float, default=5.0, help="minutes between cron runs")
    parser.add_argument(
        "--due-tick", type=float, default=1.0, help="minutes between runs of the extra row"
    )
    parser.add_argument(
        "--floor", type=float, default=1.0, help="shortest interval of a source, in minutes"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--real", action="store_true", help="run the real crawler every tick")
    parser.add_argument("--per-source", action="store_true", help="print each source's figures")
    args = parser.parse_args()
    tick, due_tick = dt.timedelta(minutes=args.tick), dt.timedelta(minutes=args.due_tick)
    floor = dt.timedelta(minutes=args.floor)
    rows = (
        (f"every {args.tick:g} min", tick, False),
        (f"due, {args.tick:g} min", tick, True),
        (f"due, {args.due_tick:g} min", due_tick, True),
    )
    rates = WORLDS[args.world][0]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        results = {}
        for n, (name, every, adaptive) in enumerate(rows):
            timeline = world(args.world, work / str(n), args.hours, args.seed)
            run = (
                real(timeline, every, adaptive, floor, work / f"run-{n}")
                if args.real
                else simulate(timeline, every, adaptive, floor)
            )
            results[name] = summary(timeline, run)
    mode = "real crawls" if args.real else "simulated visits"
    print(
        f"world {args.world}: {len(rates)} sources, {len(timeline.pieces)} articles over "
        f"{args.hours:g} h ({mode}, seed {args.seed}); floor: the tick, at least "
        f"{args.floor:g} min"
    )
    head = f"{'schedule':<14}{'median delay':>14}{'mean':>8}{'p90':>8}{'requests':>10}{'fewer':>7}"
    print(f"{head}{'stored':>8}{'missed':>8}")
    base = results[rows[0][0]]
    for name, figures in results.items():
        print(
            f"{name:<14}{figures['median_delay_min']:>10.2f} min"
            f"{figures['mean_delay_min']:>8.2f}{figures['p90_delay_min']:>8.1f}"
            f"{figures['requests']:>10}"
            f"{base['requests'] / max(figures['requests'], 1):>6.1f}x"
            f"{figures['stored']:>8}{figures['missed']:>8}"
        )
    if args.per_source:
        names = list(results)
        print(f"\n{'source':<12}{'rate/h':>7}" + "".join(f"{n:>22}" for n in names))
        fmt = lambda d: "-" if d is None else f"{d:.1f}"  # noqa: E731
        for source, rate in rates.items():
            cells = []
            for name in names:
                delay, sent, count = results[name]["per_source"][source]
                cells.append(f"{fmt(delay):>10} min {sent:>6}")
            print(f"{source:<12}{rate:>7.3g}" + "".join(f"{c:>22}" for c in cells)
                  + f"   ({count} articles)")  # fmt: skip


if __name__ == "__main__":
    main()
