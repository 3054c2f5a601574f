"""One generated world crawled in different orders ends in the same store: byte-identical text
for every article and the same stories (compared as sets of URLs, not by which copy represents
them), whether the start URLs come reversed, one request at a time in either order, the world
split over two runs in either order, or a crawl killed with SIGKILL and resumed."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sitegen import CRAWL_TIMEOUT, ROOT, crawl, crawl_command

from crawler.demo.cms import Truth, generate
from crawler.demo.cms.score import fingerprint
from crawler.demo.server import World, serve_world

SEED = 1  # a development seed; with four sites of 8 to 10 articles, a crawl of 10-20 s
SITES = 4
ARTICLES = (8, 10)
ONE_AT_A_TIME = ("-s", "CONCURRENT_REQUESTS=1")
# Deep enough that every page of the world is reached whatever path leads to it first: at the
# default depth, a page reached first by a longer path in one order is out of reach in another.
EVERY_PAGE = ("-s", "DEPTH_LIMIT=10")


def add_furniture(folder: Path, truth: Truth) -> None:
    """Put a plain paragraph of the site's own after the first paragraph of every article.

    The tree pass removes the generated junk by its structure; a paragraph like any other,
    on every page of a site, is what only the site's learning removes, so the orders compared
    here differ in what was learned when.
    """
    for folder_name in truth.sites:
        pages = json.loads((folder / folder_name / "_world.json").read_text())
        origin = pages["origin"]
        blurb = (
            f"<p>The {folder_name.replace('-', ' ')} newsroom publishes the news of eleven "
            "towns of the valley every day; letters, tips and corrections go to the editors "
            "at the office in Millbrook, which is open on weekdays.</p>"
        )
        for url, page in truth.pages.items():
            if page["type"] != "article" or page["site"] != folder_name:
                continue
            path = url.removeprefix(origin)
            # Pages without a file name of their own are mapped; the others are files.
            name = pages["pages"].get(path) or path.lstrip("/")
            if name.endswith("/"):
                name += "index.html"
            file = folder / folder_name / name
            html = file.read_text()
            opening = " ".join(page["text"].split()[:4])
            at = html.find(opening)
            end = html.find("</p>", at) if at >= 0 else -1
            if end >= 0:
                file.write_text(html[: end + 4] + blurb + html[end + 4 :])


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[World, Truth, Path]]:
    folder = tmp_path_factory.mktemp("world")
    truth = generate(SEED, folder, sites=SITES, articles=ARTICLES)
    add_furniture(folder, truth)
    with serve_world(folder) as world:
        yield world, truth, tmp_path_factory.mktemp("stores")


def by_site(world: World, truth: Truth) -> list[list[str]]:
    """The start URLs of each site, sites in the truth's order."""
    return [[truth.real(world, url) for url in site["start"]] for site in truth.sites.values()]


def run(db: Path, urls: list[str], *args: str) -> None:
    done = crawl(db, *urls, *EVERY_PAGE, *args, timeout=CRAWL_TIMEOUT * 2)
    assert done.returncode == 0, done.stderr[-3000:]


def state(db: Path, world: World) -> tuple[dict[str, str], set[frozenset[str]]]:
    """Each stored URL's text digest, and the stories as sets of URLs."""
    prints = fingerprint(db, world)
    texts = {url: row["text_sha256"] for url, row in prints.items()}
    stories = {frozenset(row["story"]) for row in prints.values()}
    return texts, stories


@pytest.fixture(scope="module")
def expected(served: tuple[World, Truth, Path]) -> tuple[dict[str, str], set[frozenset[str]]]:
    world, truth, stores = served
    db = stores / "straight.db"
    run(db, truth.start_urls(world))
    found = state(db, world)
    with sqlite3.connect(db) as conn:
        stripped = conn.execute(
            "SELECT count(*) FROM boilerplate_articles WHERE cleaned IS NOT NULL"
        ).fetchone()[0]
        stats = json.loads(conn.execute("SELECT stats FROM crawl_runs").fetchone()[0])
    # The world is worth the trouble: boilerplate is learned, also from pages stored before it
    # was, and stories are joined.
    assert stripped >= 5
    assert stats.get("newsdedup/boilerplate_restated", 0) > 0
    assert any(len(story) > 1 for story in found[1])
    return found


def assert_same(db: Path, world: World, expected: Any) -> None:
    texts, stories = state(db, world)
    want_texts, want_stories = expected
    assert set(texts) == set(want_texts)
    differ = sorted(url for url in texts if texts[url] != want_texts[url])
    assert not differ, f"{len(differ)} texts differ, e.g. {differ[:3]}"
    assert stories == want_stories


@pytest.mark.parametrize(
    ("name", "reverse", "args"),
    [
        ("reversed", True, ()),
        ("one at a time", False, ONE_AT_A_TIME),
        ("one at a time, reversed", True, ONE_AT_A_TIME),
    ],
)
def test_another_order_gives_the_same_store(
    served: tuple[World, Truth, Path], expected: Any, name: str, reverse: bool, args: tuple
) -> None:
    world, truth, stores = served
    urls = truth.start_urls(world)
    db = stores / f"{name}.db"
    run(db, urls[::-1] if reverse else urls, *args)
    assert_same(db, world, expected)


@pytest.mark.parametrize("first_half_first", [True, False])
def test_the_world_split_over_two_runs_gives_the_same_store(
    served: tuple[World, Truth, Path], expected: Any, first_half_first: bool
) -> None:
    world, truth, stores = served
    sites = by_site(world, truth)
    half = len(sites) // 2
    parts = [sum(sites[:half], []), sum(sites[half:], [])]
    if not first_half_first:
        parts.reverse()
    db = stores / f"split-{first_half_first}.db"
    for part in parts:
        run(db, part)
    assert_same(db, world, expected)


def stored(db: Path) -> int:
    try:
        with sqlite3.connect(db, timeout=0.2) as conn:
            return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    except sqlite3.OperationalError:
        return 0  # not created yet


def test_a_crawl_killed_and_resumed_gives_the_same_store(
    served: tuple[World, Truth, Path], expected: Any
) -> None:
    world, truth, stores = served
    urls = truth.start_urls(world)
    db = stores / "killed.db"
    point = max(3, len(expected[0]) // 3)
    process = subprocess.Popen(
        crawl_command(db, *urls, *EVERY_PAGE, *ONE_AT_A_TIME),
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + CRAWL_TIMEOUT
    while process.poll() is None and time.monotonic() < deadline:
        if db.exists() and stored(db) >= point:
            process.send_signal(signal.SIGKILL)
            break
        time.sleep(0.005)
    process.wait(timeout=CRAWL_TIMEOUT)
    assert process.returncode == -signal.SIGKILL, "the crawl ended before it could be killed"
    assert 0 < stored(db) < len(expected[0])
    run(db, urls)
    assert_same(db, world, expected)
