"""How a crawl ends and starts: SIGINT stops it gracefully and a second signal forces the stop;
NEWSDEDUP_LOCK_WAIT waits for another crawl's lock; exit code 3 when every start URL failed.

A crawl is held where a test wants it with a page that answers only when the test says so,
never with timing: the tests hold on a loaded machine as on an idle one.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import sqlite3
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sitegen import CRAWL_TIMEOUT, ROOT, build_world, crawl, crawl_command, write_world

from crawler.demo.server import Reply, RouteRequest, World, serve_world
from storage.lock import CrawlLock

HELD = "/news/2025/03/01/site-a-story-0/"


class Gate:
    """A page that answers once released; ``reached`` is set when it is first asked for."""

    def __init__(self, file: Path) -> None:
        self.file = file
        self.reached = threading.Event()
        self.opened = threading.Event()

    def __call__(self, request: RouteRequest) -> Reply:
        self.reached.set()
        self.opened.wait(CRAWL_TIMEOUT)
        return Reply(200, self.file.read_bytes(), {"Content-Type": "text/html; charset=utf-8"})


@pytest.fixture()
def gated(tmp_path: Path) -> Iterator[tuple[World, Gate]]:
    root = tmp_path / "world"
    (site,) = build_world(root, sites=1, per_site=4, shared=0)
    write_world(root, [site], start=["/"])
    gate = Gate(root / site.folder / HELD.strip("/") / "index.html")
    with serve_world(root, routes={(site.folder, HELD): gate}) as world:
        try:
            yield world, gate
        finally:
            gate.opened.set()  # no server thread is left waiting


def wait_for(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + CRAWL_TIMEOUT
    while not condition():
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.05)


def start(db: Path, urls: list[str], log: Path, *args: str) -> subprocess.Popen[bytes]:
    # -v: Scrapy's INFO log says when it received a signal. Downloads may take far longer than
    # a test waits, so only a forced stop can end a crawl held on the gate.
    command = crawl_command(db, *urls, "-v", "-s", "DOWNLOAD_TIMEOUT=600", *args)
    with log.open("wb") as err:
        return subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=err)


def count_articles(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT count(*) FROM articles").fetchone()[0]


@contextlib.contextmanager
def interrupted(gated: tuple, db: Path, log: Path) -> Iterator[subprocess.Popen]:
    """A crawl sent SIGINT while it holds the held page, still running; killed on the way out."""
    world, gate = gated
    process = start(db, world.start_urls(), log)
    try:
        wait_for(gate.reached.is_set, "the crawl to reach the held page")
        process.send_signal(signal.SIGINT)
        wait_for(lambda: b"shutting down gracefully" in log.read_bytes(), "the SIGINT to land")
        assert process.poll() is None  # it waits for the page in flight
        yield process
    finally:
        process.kill()


def test_sigint_stops_gracefully_after_the_pages_in_flight(gated, tmp_path: Path) -> None:
    world, gate = gated
    db, log = tmp_path / "news.db", tmp_path / "crawl.log"
    with interrupted(gated, db, log) as process:
        gate.opened.set()
        assert process.wait(CRAWL_TIMEOUT) == 5  # stores it, and says it was stopped
    text = log.read_text(encoding="utf-8", errors="replace")
    assert "stopped before it finished" in text and "Traceback" not in text
    with sqlite3.connect(db) as conn:
        stored = {row[0] for row in conn.execute("SELECT url FROM articles")}
        status = conn.execute("SELECT status FROM crawl_runs ORDER BY id DESC").fetchone()[0]
    assert world.url("site-a", HELD) in stored
    assert status == "shutdown"


def test_a_second_signal_forces_the_stop(gated, tmp_path: Path) -> None:
    world, gate = gated
    db, log = tmp_path / "news.db", tmp_path / "crawl.log"
    with interrupted(gated, db, log) as process:
        # The held page never answers: only the second signal can end this crawl.
        process.send_signal(signal.SIGINT)
        code = process.wait(CRAWL_TIMEOUT)
    text = log.read_text(encoding="utf-8", errors="replace")
    assert "forcing unclean shutdown" in text
    assert code == 5 and "stopped before it finished" in text
    assert not gate.opened.is_set()
    # The store is whole and the next run does what the stopped one left.
    gate.opened.set()
    resumed = crawl(db, *world.start_urls())
    assert resumed.returncode == 0, resumed.stderr
    assert count_articles(db) == 4
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def holds_open(pid: int, path: Path) -> bool:
    """True when process ``pid`` has ``path`` open (it is in the lock's waiting loop)."""
    try:
        fds = os.listdir(f"/proc/{pid}/fd")
    except FileNotFoundError:
        return False
    for fd in fds:
        try:
            if os.readlink(f"/proc/{pid}/fd/{fd}") == str(path):
                return True
        except OSError:
            continue
    return False


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc")
def test_lock_wait_waits_for_the_lock_then_crawls(gated, tmp_path: Path) -> None:
    world, gate = gated
    gate.opened.set()
    db, log = tmp_path / "news.db", tmp_path / "crawl.log"
    lock = CrawlLock(db).acquire()
    process = start(db, world.start_urls(), log, "-s", "NEWSDEDUP_LOCK_WAIT=600")
    try:
        wait_for(lambda: holds_open(process.pid, lock.path), "the crawl to wait for the lock")
        time.sleep(0.5)  # a crawl that ignored the lock would be fetching by now
        assert process.poll() is None and world.requests == []
        lock.release()
        assert process.wait(CRAWL_TIMEOUT) == 0, log.read_text(encoding="utf-8")
    finally:
        lock.release()
        process.kill()
    assert count_articles(db) == 4


def test_lock_wait_gives_up_with_exit_code_4(gated, tmp_path: Path) -> None:
    world, _gate = gated
    db = tmp_path / "news.db"
    with CrawlLock(db):
        busy = crawl(db, *world.start_urls(), "-s", "NEWSDEDUP_LOCK_WAIT=1")
    assert busy.returncode == 4
    assert "after waiting 1 s" in busy.stderr and "Traceback" not in busy.stderr
    assert world.requests == []


def test_exit_code_3_when_every_start_url_failed(tmp_path: Path) -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = crawl(
        tmp_path / "news.db",
        f"http://127.0.0.1:{port}/",
        f"http://127.0.0.1:{port}/feed.xml",
        "-s",
        "RETRY_ENABLED=0",
    )
    assert result.returncode == 3, result.stderr
    assert "every start URL failed" in result.stderr
    assert "Traceback" not in result.stderr  # a site that is down is no fault of ours
