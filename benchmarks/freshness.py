"""Freshness: publication-to-store delay and requests, adaptive schedule vs crawling every tick.

A world of sources publishing at their own rates (crawler.demo.timeline) runs for a simulated
day. Two schedules are compared:

- every tick: every source is crawled every 5 minutes (``--tick``);
- adaptive: ``crawl --due`` runs every minute (``--due-tick``; a run with nothing due sends no
  request), each source at its adapted interval (storage.schedule): it starts at the default
  hour, between a floor of 1 minute (``--floor``) and a ceiling of a day.

A visit costs the source's entry requests (robots.txt and the feed, a conditional GET) and one
request per new article it finds; an article is stored at the first visit after it appeared
in the feed (the feed lists the latest 15: an article pushed off it before a visit is missed).
By default visits are simulated with these costs, so a day takes seconds; ``--real`` runs
the real crawler (``newsdedup crawl --due`` with ``NEWSDEDUP_NOW``) against the world served on
127.0.0.1 at every tick, and counts the requests the server saw (slow: use ``--hours 2``).

    python benchmarks/freshness.py [--hours 24] [--tick 5] [--seed 1] [--real]
"""

from __future__ import annotations

import argparse
import datetime as dt
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
RATES = {
    "wire-a": 10.0,
    "wire-b": 5.0,
    **{f"daily-{n}": 0.5 for n in range(8)},
    **{f"blog-{n:02d}": 0.05 for n in range(20)},
}
# Where every source starts (the NEWSDEDUP_INTERVAL default).
INTERVAL = dt.timedelta(hours=1)
# Requests a visit costs before any article: robots.txt and the feed.
ENTRY_REQUESTS = 2


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
            visits.append((publisher.name, len(new), True))
        schedule.visited(visits, policies, now)
        now += tick
    return {"stored": stored, "requests": dict(requests)}


def real(
    timeline: Timeline, tick: dt.timedelta, adaptive: bool, floor: dt.timedelta, work: Path
) -> dict:
    """Real crawls (``newsdedup crawl --due``) at every tick, against the served world."""
    from crawler.demo.server import serve_world
    from storage import Store

    db = work / ("adaptive.db" if adaptive else "every.db")
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
    return {
        "median_delay_min": statistics.median(every) if every else float("nan"),
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
    parser.add_argument("--hours", type=float, default=24.0)
    parser.add_argument(
        "--tick", type=float, default=5.0, help="minutes between runs that crawl everything"
    )
    parser.add_argument(
        "--due-tick", type=float, default=1.0, help="minutes between runs of crawl --due"
    )
    parser.add_argument(
        "--floor", type=float, default=1.0, help="shortest interval of a source, in minutes"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--real", action="store_true", help="run the real crawler every tick")
    parser.add_argument("--per-source", action="store_true", help="print each source's figures")
    args = parser.parse_args()
    ticks = {False: dt.timedelta(minutes=args.tick), True: dt.timedelta(minutes=args.due_tick)}
    floor = dt.timedelta(minutes=args.floor)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        results = {}
        for name, adaptive in (("every tick", False), ("adaptive", True)):
            timeline = Timeline(
                work / name.replace(" ", "-"), RATES, start=START, hours=args.hours, seed=args.seed
            )
            tick = ticks[adaptive]
            run = (
                real(timeline, tick, adaptive, floor, work)
                if args.real
                else simulate(timeline, tick, adaptive, floor)
            )
            results[name] = summary(timeline, run)
    mode = "real crawls" if args.real else "simulated visits"
    print(
        f"{len(RATES)} sources, {len(timeline.pieces)} articles over {args.hours:g} h ({mode}, "
        f"seed {args.seed}): everything crawled every {args.tick:g} min vs crawl --due every "
        f"{args.due_tick:g} min, floor {args.floor:g} min"
    )
    print(f"{'schedule':<12}{'median delay':>14}{'requests':>10}{'stored':>8}{'missed':>8}")
    for name, figures in results.items():
        print(
            f"{name:<12}{figures['median_delay_min']:>10.1f} min{figures['requests']:>10}"
            f"{figures['stored']:>8}{figures['missed']:>8}"
        )
    every, adaptive = results["every tick"], results["adaptive"]
    print(
        f"adaptive: {every['requests'] / max(adaptive['requests'], 1):.1f}x fewer requests, "
        f"median delay {adaptive['median_delay_min'] - every['median_delay_min']:+.1f} min"
    )
    if args.per_source:
        print(f"\n{'source':<12}{'rate/h':>7}  {'every: delay, requests':>24}  {'adaptive':>18}")
        for source, rate in RATES.items():
            d1, r1, n = every["per_source"][source]
            d2, r2, _ = adaptive["per_source"][source]
            fmt = lambda d: "-" if d is None else f"{d:.1f}"  # noqa: E731
            print(f"{source:<12}{rate:>7g}  {fmt(d1):>14} min {r1:>6}  {fmt(d2):>8} min {r2:>6}"
                  f"   ({n} articles)")  # fmt: skip


if __name__ == "__main__":
    main()
