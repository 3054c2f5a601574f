"""Distributed mode when a worker stops half way: SIGTERM or kill -9 of one of two real workers.

One article page never answers the first worker that asks for it, so that worker is caught
holding a request it cannot finish. The test stops that worker there; the other one must take
the request over, and the merged shards must hold what a clean single-process crawl stores.
"""

from __future__ import annotations

import re
import signal
import sqlite3
import subprocess
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from redis_server import needs_redis, redis_server
from sitegen import CRAWL_TIMEOUT, ROOT, build_world, crawl, crawl_command, write_world

from crawler.demo.server import Reply, RouteRequest, World, serve_world
from crawler.distributed import codec as queuecodec
from storage.merge import merge
from storage.shared_index import connect

pytestmark = needs_redis

AGENTS = ("newsdedup-test-worker-0", "newsdedup-test-worker-1")
# A timed-out request is not retried, so only the stopped worker's hand-back can save it.
START_PATHS = ("/", "/feed.xml")  # what write_world makes the start URLs of every site
WORKER_ARGS = ["-s", "RETRY_TIMES=0", "-s", "DOWNLOAD_DELAY=0.05", "-s", "LOG_LEVEL=INFO"]


@dataclass
class Hold:
    """A page that never answers the first worker asking for it, and answers everyone else."""

    file: Path
    victim: str | None = None
    asks: list[str] = field(default_factory=list)  # who asked, in order
    asked: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __call__(self, request: RouteRequest) -> Reply:
        agent = request.headers.get("User-Agent", "")
        with self.lock:
            if self.victim is None and agent in AGENTS:
                self.victim = agent
            self.asks.append(agent)
        if agent == self.victim:
            self.asked.set()
            self.release.wait(CRAWL_TIMEOUT)
        return Reply(200, self.file.read_bytes(), {"Content-Type": "text/html; charset=utf-8"})


@dataclass
class Setup:
    world: World
    hold: Hold
    held: str  # the held page's path
    redis: str
    tmp: Path


@pytest.fixture()
def setup(tmp_path: Path) -> Iterator[Setup]:
    root = tmp_path / "world"
    sites = build_world(root, sites=2, per_site=8, shared=2, seed=5)
    write_world(root, sites)
    held = sites[0].articles[1]
    hold = Hold(root / held.site / held.path.strip("/") / "index.html")
    with (
        serve_world(root, routes={(held.site, held.path): hold}) as world,
        redis_server(tmp_path) as url,
    ):
        try:
            yield Setup(world, hold, held.path, url, tmp_path)
        finally:
            hold.release.set()


def start_worker(setup: Setup, agent: str, *args: str, shard: int = 0) -> subprocess.Popen[str]:
    return subprocess.Popen(
        crawl_command(
            setup.tmp / f"shard{shard}.db",
            *WORKER_ARGS,
            "-s",
            f"USER_AGENT={agent}",
            *args,
            "--redis",
            setup.redis,
            *setup.world.start_urls(),
        ),
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def start_workers(setup: Setup, *args: str) -> list[subprocess.Popen[str]]:
    """Start two workers, each with its shard, that begin crawling together."""
    wait = ("-s", "NEWSDEDUP_REDIS_WAIT_WORKERS=2")
    return [start_worker(setup, agent, *wait, *args, shard=i) for i, agent in enumerate(AGENTS)]


def stop_the_holder(
    setup: Setup, workers: list[subprocess.Popen[str]], how: signal.Signals
) -> tuple[subprocess.Popen[str], subprocess.Popen[str]]:
    """Send ``how`` to the worker holding the page once it asked; return it and the other."""
    try:
        assert setup.hold.asked.wait(CRAWL_TIMEOUT), "no worker asked for the held page"
    except BaseException:
        for worker in workers:
            worker.kill()
        raise
    index = AGENTS.index(setup.hold.victim or "")
    stopped, other = workers[index], workers[1 - index]
    stopped.send_signal(how)
    return stopped, other


def claimed(client: Any) -> set[str]:
    """URLs of the requests that workers took and have not reported done."""
    return {
        queuecodec.loads(data)["url"]
        for key in client.scan_iter("newsdedup:news:claimed:*")
        for data in client.zrange(key, 0, -1)
    }


def finish(setup: Setup, workers: list[subprocess.Popen[str]]) -> list[tuple[int, str]]:
    """Wait for the workers (killing all of them if one hangs); return (exit code, stderr)."""
    results = []
    try:
        for worker in workers:
            _out, err = worker.communicate(timeout=CRAWL_TIMEOUT)
            results.append((worker.returncode, err))
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
                worker.wait()
    return results


def snapshot(db: Path) -> tuple[dict[str, str], list[list[str]]]:
    """Articles (url -> text) and stories (sorted groups of URLs) of a store."""
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT id, url, text, duplicate_of FROM articles").fetchall()
    groups: dict[int, list[str]] = {}
    for article_id, url, _text, duplicate_of in rows:
        groups.setdefault(duplicate_of or article_id, []).append(url)
    return {url: text for _id, url, text, _dup in rows}, sorted(map(sorted, groups.values()))


def clean_crawl(setup: Setup) -> tuple[dict[str, str], list[list[str]]]:
    done = crawl(setup.tmp / "single.db", *setup.world.start_urls())
    assert done.returncode == 0, done.stderr
    return snapshot(setup.tmp / "single.db")


def merged(setup: Setup, shards: int = 2) -> tuple[dict[str, str], list[list[str]]]:
    merge([setup.tmp / f"shard{i}.db" for i in range(shards)], setup.tmp / "merged.db")
    return snapshot(setup.tmp / "merged.db")


def test_a_sigtermed_worker_hands_back_what_it_could_not_finish(setup: Setup) -> None:
    # The stopped worker waits for the held page until its download times out; its beats go on
    # meanwhile, so the page can only come back through its own hand-back, not as a dead
    # worker's (the dead-worker limit stays two minutes).
    workers = start_workers(setup, "-s", "DOWNLOAD_TIMEOUT=5")
    stopped, other = stop_the_holder(setup, workers, signal.SIGTERM)
    (first, first_err), (second, second_err) = finish(setup, [stopped, other])
    assert first == 5, first_err  # interrupted: the next run would resume
    assert second == 0, second_err
    assert "Traceback" not in first_err + second_err
    # The page the stopped worker held was fetched again by the other one.
    victim = setup.hold.victim
    assert setup.hold.asks == [victim, next(a for a in AGENTS if a != victim)]
    # Handed back by the stopped worker itself (requests robots.txt refused go back too).
    assert re.search(r"put [1-9]\d* unfinished requests back in the shared queue", first_err)
    assert "workers that stopped answering" not in first_err + second_err
    # What the stopped worker did finish is not handed back: every page was fetched once (the
    # held page's unanswered request is not in the log).
    again = [hit for hit, n in Counter(setup.world.requests).items() if n > 1]
    assert not [hit for hit in again if hit[1] != "/robots.txt"], again
    assert connect(setup.redis).exists("newsdedup:news:requests", "newsdedup:news:workers") == 0
    assert merged(setup) == clean_crawl(setup)


def test_a_killed_worker_is_taken_for_dead_and_its_requests_taken_over(setup: Setup) -> None:
    workers = start_workers(setup, "-s", "NEWSDEDUP_REDIS_DEAD_AFTER=4")
    killed, other = stop_the_holder(setup, workers, signal.SIGKILL)
    (first, _), (second, second_err) = finish(setup, [killed, other])
    assert first == -signal.SIGKILL
    assert second == 0, second_err
    assert "Traceback" not in second_err
    victim = setup.hold.victim
    assert setup.hold.asks == [victim, next(a for a in AGENTS if a != victim)]
    assert "taken by workers that stopped answering" in second_err
    # The survivor was the last worker: the run is over, nothing left queued.
    assert connect(setup.redis).exists("newsdedup:news:requests", "newsdedup:news:workers") == 0
    assert merged(setup) == clean_crawl(setup)


def test_a_run_whose_only_worker_was_killed_is_resumed_by_a_restarted_one(setup: Setup) -> None:
    # The restarted worker (a new process on the same store) finds the run's queue and seen-URL
    # filter as the killed one left them, and takes the killed one's requests once it is dead.
    dead_after = ("-s", "NEWSDEDUP_REDIS_DEAD_AFTER=4")
    client = connect(setup.redis)
    starts = set(setup.world.start_urls())
    killed = start_worker(setup, AGENTS[0], *dead_after)
    try:
        assert setup.hold.asked.wait(CRAWL_TIMEOUT), "the worker never asked for the held page"
        # Killed once its start pages are reported done (a beat releases them), so that only a
        # lost seen-URL filter or queue could make the restarted worker fetch them again.
        deadline = time.monotonic() + CRAWL_TIMEOUT
        while starts & claimed(client) and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        killed.kill()
    assert finish(setup, [killed])[0][0] == -signal.SIGKILL
    assert not starts & claimed(client)
    [(code, err)] = finish(setup, [start_worker(setup, AGENTS[1], *dead_after)])
    assert code == 0, err
    assert setup.hold.asks == list(AGENTS)
    assert "taken by workers that stopped answering" in err
    fetched = Counter(setup.world.requests)
    assert all(fetched[(site, path)] == 1 for site in setup.world.sites for path in START_PATHS)
    assert client.exists("newsdedup:news:requests", "newsdedup:news:workers") == 0
    assert merged(setup, shards=1) == clean_crawl(setup)
