"""Crash safety: SIGKILL at many points then resume equals an uninterrupted crawl; SIGTERM stops
gracefully; a second crawl of the same store at the same time stops with a clear message."""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sitegen import CRAWL_TIMEOUT, ROOT, Site, build_world, crawl, crawl_command, write_world

from crawler.demo.server import Reply, RouteRequest, World, serve_world

# Article pages answer after this long, so a crawl is slow enough to be killed at chosen points.
ARTICLE_DELAY = 0.05
# Kill the Nth run when its Kth request arrives ("requests", K) or once it has stored K
# articles ("articles", K). Each run resumes from what the previous one left.
KILL_POINTS = [
    ("requests", 1),  # before anything: robots.txt or the first homepage
    ("requests", 5),  # among the entry pages
    ("articles", 2),  # just after a commit
    ("requests", 6),  # among the article pages
    ("articles", 4),  # half way
    ("articles", 3),  # near the end
]
SCRAPED = re.compile(r"Scraped from <\d+ (\S+)>")


def slow_routes(root: Path, sites: list[Site], delay: float) -> dict[tuple[str, str], Callable]:
    routes = {}
    for site in sites:
        for article in site.articles:
            file = root / site.folder / article.path.strip("/") / "index.html"

            def answer(request: RouteRequest, file: Path = file) -> Reply:
                time.sleep(delay)
                return Reply(200, file.read_bytes(), {"Content-Type": "text/html; charset=utf-8"})

            routes[(site.folder, article.path)] = answer
    return routes


@pytest.fixture()
def world(tmp_path: Path) -> Iterator[World]:
    root = tmp_path / "world"
    sites = build_world(root, sites=2, per_site=6, shared=2, seed=11)
    write_world(root, sites)
    with serve_world(root, routes=slow_routes(root, sites, ARTICLE_DELAY)) as served:
        yield served


def integrity(db: Path) -> str:
    with sqlite3.connect(db) as conn:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]


def snapshot(db: Path) -> tuple[dict[str, str], list[list[str]]]:
    """Articles (url -> text) and stories (sorted groups of URLs) of a store."""
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT id, url, text, duplicate_of FROM articles").fetchall()
    texts = {url: text for _id, url, text, _dup in rows}
    groups: dict[int, list[str]] = {}
    for article_id, url, _text, duplicate_of in rows:
        groups.setdefault(duplicate_of or article_id, []).append(url)
    return texts, sorted(sorted(group) for group in groups.values())


def count_articles(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(db, timeout=0.2) as conn:
            return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    except sqlite3.OperationalError:
        return 0  # the schema is not there yet


def run_until(world: World, db: Path, urls: list[str], kind: str, point: int) -> tuple[bool, str]:
    """Start a crawl and SIGKILL it at the kill point; return (killed, its stderr)."""
    world.clear_log()
    command = crawl_command(db, *urls, "-s", "LOG_LEVEL=DEBUG")
    process = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    reader = _Reader(process)
    deadline = time.monotonic() + CRAWL_TIMEOUT
    killed = False
    already = count_articles(db)
    while process.poll() is None and time.monotonic() < deadline:
        reached = len(world.requests) if kind == "requests" else count_articles(db) - already
        if reached >= point:
            process.send_signal(signal.SIGKILL)
            killed = True
            break
        time.sleep(0.002)
    process.wait(timeout=CRAWL_TIMEOUT)
    return killed, reader.text()


class _Reader:
    """Collect a process's stderr in a thread, so a chatty crawl never blocks on a full pipe."""

    def __init__(self, process: subprocess.Popen) -> None:
        self.lines: list[str] = []
        self.thread = threading.Thread(target=self._read, args=(process,), daemon=True)
        self.thread.start()

    def _read(self, process: subprocess.Popen) -> None:
        assert process.stderr is not None
        for line in process.stderr:
            self.lines.append(line)

    def text(self) -> str:
        self.thread.join(timeout=10)
        return "".join(self.lines)


def test_killed_crawls_resume_to_the_same_store(world: World, tmp_path: Path) -> None:
    urls = world.start_urls()
    clean_db = tmp_path / "clean.db"
    clean = crawl(clean_db, *urls)
    assert clean.returncode == 0, clean.stderr
    expected_texts, expected_stories = snapshot(clean_db)
    assert len(expected_texts) == 16 and len(expected_stories) == 14

    db = tmp_path / "killed.db"
    kills = 0
    before: set[str] = set()
    for kind, point in KILL_POINTS:
        killed, log = run_until(world, db, urls, kind, point)
        kills += killed
        if not db.exists():
            continue
        assert integrity(db) == "ok"
        texts, _stories = snapshot(db)
        # Nothing stored earlier is lost, and every article the crawl reported is there.
        assert before <= set(texts)
        reported = set(SCRAPED.findall(log))
        assert reported <= set(texts), reported - set(texts)
        before = set(texts)
    assert kills >= 5

    final = crawl(db, *urls)
    assert final.returncode == 0, final.stderr
    assert integrity(db) == "ok"
    texts, stories = snapshot(db)
    assert texts == expected_texts
    assert stories == expected_stories
    with sqlite3.connect(db) as conn:
        statuses = [r[0] for r in conn.execute("SELECT status FROM crawl_runs ORDER BY id")]
    assert statuses[-1] == "finished"
    assert statuses.count("interrupted") >= 3  # a kill before the run record counts too


def test_sigterm_stops_gracefully_and_the_next_run_completes(world: World, tmp_path: Path) -> None:
    urls = world.start_urls()
    db = tmp_path / "news.db"
    process = subprocess.Popen(
        crawl_command(db, *urls, "-s", "CONCURRENT_REQUESTS=1"),
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + CRAWL_TIMEOUT
    while count_articles(db) < 2 and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.01)
    process.send_signal(signal.SIGTERM)
    asked = len(world.requests)
    out, err = process.communicate(timeout=CRAWL_TIMEOUT)
    assert process.returncode == 5, err
    # It stops asking at once: at most the one request in flight (CONCURRENT_REQUESTS=1) is
    # answered after the signal, of the dozen or so the crawl still had to make.
    assert len(world.requests) - asked <= 1, world.requests[asked:]
    assert "stopped before it finished" in err
    assert "Traceback" not in err
    assert integrity(db) == "ok"
    with sqlite3.connect(db) as conn:
        status = conn.execute("SELECT status FROM crawl_runs ORDER BY id DESC").fetchone()[0]
    assert status == "shutdown"
    assert count_articles(db) < 16
    resumed = crawl(db, *urls)
    assert resumed.returncode == 0, resumed.stderr
    assert count_articles(db) == 16


def test_a_second_crawl_of_the_same_store_exits_with_a_clear_message(tmp_path: Path) -> None:
    # The first crawl holds the store for as long as one of its pages goes unanswered: the
    # second one starts only once that page was asked for, and the page answers only after.
    root = tmp_path / "world"
    sites = build_world(root, sites=2, per_site=6, shared=2, seed=11)
    write_world(root, sites)
    held = sites[0].articles[0]
    asked, release = threading.Event(), threading.Event()
    file = root / held.site / held.path.strip("/") / "index.html"

    def hold(request: RouteRequest) -> Reply:
        asked.set()
        release.wait(CRAWL_TIMEOUT)
        return Reply(200, file.read_bytes(), {"Content-Type": "text/html; charset=utf-8"})

    db = tmp_path / "news.db"
    with serve_world(root, routes={(held.site, held.path): hold}) as world:
        urls = world.start_urls()
        first = subprocess.Popen(
            crawl_command(db, *urls, "-s", f"DOWNLOAD_TIMEOUT={CRAWL_TIMEOUT}"),
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            assert asked.wait(CRAWL_TIMEOUT), "the first crawl never asked for the held page"
            second = crawl(db, *urls)
        finally:
            release.set()
        out, err = first.communicate(timeout=CRAWL_TIMEOUT)
    assert first.returncode == 0, err
    assert second.returncode == 4
    assert f"{db} is being crawled by another process (pid {first.pid}" in second.stderr
    assert "Traceback" not in second.stderr
    assert integrity(db) == "ok"
    assert count_articles(db) == 16
    assert os.path.exists(f"{db}.lock")
