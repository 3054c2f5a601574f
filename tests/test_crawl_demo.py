"""End to end: a whole `newsdedup crawl` of the demo world, checked against its truth file."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from crawler.demo.server import World, serve_world
from storage import Store

ROOT = Path(__file__).resolve().parent.parent
# The whole demo crawl takes about two seconds; a hung crawl must not hang the suite.
CRAWL_TIMEOUT = 120
FAST = ["-s", "AUTOTHROTTLE_ENABLED=0", "-s", "DOWNLOAD_DELAY=0"]


def run(args: list[str], cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, cwd=cwd, capture_output=True, text=True, timeout=CRAWL_TIMEOUT, check=False
    )


@pytest.fixture(scope="module")
def world() -> Iterator[World]:
    with serve_world() as served:
        yield served


@pytest.fixture(scope="module")
def truth(world: World) -> dict[str, Any]:
    return world.truth()


@pytest.fixture(scope="module")
def crawled(world: World, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    db = tmp_path_factory.mktemp("crawl") / "demo.db"
    world.clear_log()
    result = run(
        [sys.executable, "-m", "crawler.cli", "crawl", *world.start_urls(), "--db", str(db), *FAST]
    )
    assert result.returncode == 0, result.stderr
    with Store.open(db, create=False) as store:
        articles = {row["url"]: row for row in store.iter_articles(include_duplicates=True)}
        fetches = [dict(r) for r in store.conn.execute("SELECT * FROM fetches")]
    return {
        "db": db,
        "stdout": result.stdout,
        "articles": articles,
        "fetches": fetches,
        "requests": list(world.requests),
    }


def test_every_article_is_stored_once_and_nothing_else(
    crawled: dict[str, Any], truth: dict[str, Any]
) -> None:
    assert set(crawled["articles"]) == set(truth["articles"])


def test_non_articles_are_rejected_with_a_reason(
    crawled: dict[str, Any], truth: dict[str, Any], world: World
) -> None:
    non_articles = {url for site in truth["sites"].values() for url in site["non_articles"]}
    assert not non_articles & set(crawled["articles"])
    rejected = {f["url"] for f in crawled["fetches"] if f["outcome"] == "rejected"}
    requested = {world.url(site, path) for site, path in crawled["requests"]}
    assert non_articles & requested <= rejected, sorted(non_articles & requested - rejected)
    # The others are pages of the world that no other page links to (some of the wire's topics).
    for url in non_articles - requested:
        linked = f'href="{world.fake_url(url)}"'
        own = urlsplit(url).path.strip("/") + "/index.html"
        assert not any(
            linked in page.read_text(encoding="utf-8")
            for page in world.root.rglob("*.html")
            if not page.as_posix().endswith(own)
        ), url
    assert all(f["reason"] for f in crawled["fetches"] if f["outcome"] in ("rejected", "error"))


def _representative(articles: dict[str, Any], url: str) -> int:
    row = articles[url]
    return row["duplicate_of"] or row["id"]


def test_each_story_is_one_group(crawled: dict[str, Any], truth: dict[str, Any]) -> None:
    articles = crawled["articles"]
    groups: dict[int, set[str]] = {}
    for url in articles:
        groups.setdefault(_representative(articles, url), set()).add(url)
    expected = [set(story["urls"]) for story in truth["stories"].values() if len(story["urls"]) > 1]
    found = [group for group in groups.values() if len(group) > 1]
    assert sorted(map(sorted, found)) == sorted(map(sorted, expected))
    for story in truth["stories"].values():
        for url in story["urls"]:
            row = articles[url]
            if row["duplicate_of"]:
                assert 0.5 <= row["similarity"] <= 1.0


def test_hard_negatives_stay_apart(crawled: dict[str, Any], truth: dict[str, Any]) -> None:
    articles = crawled["articles"]
    for pair in truth["hard_negatives"]:
        first, second = pair["urls"]
        assert _representative(articles, first) != _representative(articles, second)


def test_no_junk_in_any_text(crawled: dict[str, Any], truth: dict[str, Any]) -> None:
    problems = []
    for url, expected in truth["articles"].items():
        row = crawled["articles"][url]
        text = row["text"]
        problems += [(url, "missing", s) for s in expected["must_contain"] if s not in text]
        problems += [(url, "junk", s) for s in expected["must_not_contain"] if s in text]
        if expected["title"] and text.split("\n", 1)[0].strip() == expected["title"]:
            problems.append((url, "title as first line", expected["title"]))
        problems += [
            (url, "caption lost", c) for c in expected["captions"] if c not in row["captions"]
        ]
    assert problems == []


def test_robots_disallowed_pages_are_never_requested(
    crawled: dict[str, Any], truth: dict[str, Any], world: World
) -> None:
    requested = {world.url(site, path).split("?")[0] for site, path in crawled["requests"]}
    for site in truth["sites"].values():
        for url in site["disallowed_urls"]:
            assert url.split("?")[0] not in requested


def test_dead_links_are_in_the_fetch_log(crawled: dict[str, Any], truth: dict[str, Any]) -> None:
    missing = {url for site in truth["sites"].values() for url in site["missing_urls"]}
    logged = {f["url"]: f for f in crawled["fetches"]}
    for url in missing:
        assert logged[url]["outcome"] == "error"
        assert logged[url]["reason"] == "http_404"


def test_summary_names_what_was_found(crawled: dict[str, Any], truth: dict[str, Any]) -> None:
    unique = sum(1 for story in truth["stories"].values())
    assert f"Store now holds {unique} unique articles" in crawled["stdout"]


def test_export_with_duplicates_links_every_copy(
    crawled: dict[str, Any], truth: dict[str, Any]
) -> None:
    result = run(
        [
            sys.executable,
            "-m",
            "crawler.cli",
            "export",
            "--db",
            str(crawled["db"]),
            "--include-duplicates",
        ]
    )
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert {row["url"] for row in rows} == set(truth["articles"])
    by_id = {row["id"]: row for row in rows}
    for row in rows:
        if row["duplicate_of"] is not None:
            assert by_id[row["duplicate_of"]]["duplicate_of"] is None
            assert row["similarity"] is not None
    unique = run([sys.executable, "-m", "crawler.cli", "export", "--db", str(crawled["db"])])
    assert len(unique.stdout.splitlines()) == len(truth["stories"])


def test_scrapy_crawl_gives_the_same_store(
    crawled: dict[str, Any], world: World, tmp_path: Path
) -> None:
    db = tmp_path / "scrapy.db"
    result = run(
        [
            sys.executable,
            "-m",
            "scrapy",
            "crawl",
            "news",
            "-a",
            "urls=" + ",".join(world.start_urls()),
            "-s",
            f"NEWSDEDUP_DB={db}",
            "-s",
            "LOG_LEVEL=WARNING",
            *FAST,
        ],
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    with Store.open(db, create=False) as store:
        rows = list(store.iter_articles(include_duplicates=True))
    assert {row["url"] for row in rows} == set(crawled["articles"])
    assert sum(row["duplicate_of"] is not None for row in rows) == sum(
        row["duplicate_of"] is not None for row in crawled["articles"].values()
    )


def test_reclean_and_dedup_keep_the_stories(
    crawled: dict[str, Any], truth: dict[str, Any], tmp_path: Path
) -> None:
    db = tmp_path / "copy.db"
    with Store.open(crawled["db"], create=False) as store:
        store.conn.execute("VACUUM INTO ?", (str(db),))
    cli = [sys.executable, "-m", "crawler.cli"]
    result = run([*cli, "reclean", "--db", str(db)])
    assert result.returncode == 0, result.stderr
    # Every stored page extracted again (tests/test_reclean.py checks what changes and why).
    counts = re.match(
        r"(\d+) articles: (\d+) changed, (\d+) unchanged, (\d+) without", result.stdout
    )
    assert counts, result.stdout
    total, changed, unchanged, no_html = map(int, counts.groups())
    assert total == changed + unchanged == len(truth["articles"]) and no_html == 0, result.stdout
    result = run([*cli, "dedup", "--db", str(db), "--preset", "syndicated"])
    assert result.returncode == 0, result.stderr
    assert "preset syndicated" in result.stdout
    with Store.open(db, create=False) as store:
        articles = {row["url"]: row for row in store.iter_articles(include_duplicates=True)}
    assert set(articles) == set(truth["articles"])
    for story in truth["stories"].values():
        assert len({_representative(articles, url) for url in story["urls"]}) == 1
        for url in story["urls"]:
            for snippet in truth["articles"][url]["must_contain"]:
                assert snippet in articles[url]["text"]
    bad = run([*cli, "dedup", "--db", str(db), "--threshold", "0"])
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
