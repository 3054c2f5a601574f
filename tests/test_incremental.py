"""Incremental runs: an unchanged site costs its entry pages only; new and changed articles
are fetched, known ones are not (unless --refresh); dates bound discovery (--since)."""

from __future__ import annotations

import json
import random
import sqlite3
import time
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path

import pytest
from sitegen import (
    Article,
    Site,
    article_html,
    build_world,
    crawl,
    listing_html,
    paragraphs,
    write_site,
    write_world,
)

from crawler.demo.server import World, serve_world
from storage import Store

ENTRY_PATHS = {"/", "/feed.xml", "/sitemap.xml", "/robots.txt"}


@pytest.fixture()
def world(tmp_path: Path) -> Iterator[tuple[World, list[Site], Path]]:
    root = tmp_path / "world"
    sites = build_world(root, sites=2, per_site=5, shared=1)
    write_world(root, sites)
    with serve_world(root) as served:
        yield served, sites, root


def articles(db: Path) -> dict[str, dict]:
    with Store.open(db, create=False) as store:
        return {row["url"]: row for row in store.iter_articles(include_duplicates=True)}


def article_requests(world: World) -> list[tuple[str, str]]:
    return [(site, path) for site, path in world.requests if "/2025/" in path]


def test_second_run_over_unchanged_site_fetches_entry_pages_only(world, tmp_path: Path) -> None:
    served, sites, _root = world
    db = tmp_path / "news.db"
    first = crawl(db, *served.start_urls())
    assert first.returncode == 0, first.stderr
    stored = articles(db)
    assert len(stored) == 2 * 6  # 5 own + 1 shared per site; the shared copy is a duplicate
    assert sum(row["duplicate_of"] is not None for row in stored.values()) == 1

    served.clear_log()
    second = crawl(db, *served.start_urls())
    assert second.returncode == 0, second.stderr
    hits = served.log
    paths = {hit.path for hit in hits}
    assert paths <= ENTRY_PATHS, paths
    assert article_requests(served) == []
    # Every entry page that has validators answered 304; robots.txt is always fetched in full.
    assert {hit.status for hit in hits if hit.path != "/robots.txt"} == {304}
    conditional = [hit for hit in hits if hit.path != "/robots.txt"]
    assert all("If-None-Match" in hit.headers for hit in conditional)
    assert articles(db).keys() == stored.keys()
    print(f"second run over an unchanged site: {len(hits)} requests, 0 articles re-fetched")
    with sqlite3.connect(db) as conn:
        not_modified = conn.execute(
            "SELECT count(*) FROM fetches WHERE reason = 'not_modified'"
        ).fetchone()[0]
        sources = conn.execute(
            "SELECT name, last_status, runs, successes, last_success_at, last_counts "
            "FROM crawl_sources ORDER BY name"
        ).fetchall()
    assert not_modified == len(conditional)
    assert len(sources) == 2
    for name, status, runs, successes, last_success, counts in sources:
        assert name.startswith("127.0.0.1:")
        assert (status, runs, successes) == ("ok", 2, 2) and last_success
        assert json.loads(counts)["not_modified"] == 3  # homepage, feed, sitemap


def test_new_and_changed_articles_are_fetched_known_ones_are_not(world, tmp_path: Path) -> None:
    served, sites, root = world
    db = tmp_path / "news.db"
    assert crawl(db, *served.start_urls()).returncode == 0
    site = sites[0]
    # A new article, linked from the homepage, the feed and the sitemap...
    fresh = Article(
        site.folder,
        "/news/2025/03/25/brand-new-story/",
        "Brand new story",
        paragraphs(random.Random(99)),
        25,
    )
    site.articles.insert(0, fresh)
    # ...and an existing one rewritten, its sitemap date moved on.
    changed = site.articles[1]
    changed.paragraphs = [*changed.paragraphs[:-1], "A correction was added to this story today."]
    # Sitemap dates have whole seconds: a change in the second the first run fetched the page
    # would look older than the fetch, so let that second pass first.
    time.sleep(1.1)
    changed.modified = datetime.now(timezone.utc).isoformat(timespec="seconds")
    write_site(root, site, ["/", "/feed.xml"])
    served.clear_log()
    result = crawl(db, *served.start_urls())
    assert result.returncode == 0, result.stderr
    fetched = sorted(path for _site, path in article_requests(served))
    assert fetched == sorted([fresh.path, changed.path])
    stored = articles(db)
    base = served.sites[site.folder]
    assert base + fresh.path in stored
    updated = stored[base + changed.path]
    assert "A correction was added" in updated["text"]
    with Store.open(db, create=False) as store:
        versions = store.versions(updated["id"])
    assert len(versions) == 1 and "A correction" not in versions[0]["text"]


def test_refresh_fetches_known_articles_again(world, tmp_path: Path) -> None:
    served, _sites, _root = world
    db = tmp_path / "news.db"
    assert crawl(db, *served.start_urls()).returncode == 0
    served.clear_log()
    result = crawl(db, *served.start_urls(), "--refresh")
    assert result.returncode == 0, result.stderr
    assert len({path for _site, path in article_requests(served)}) == 6 + 5
    assert all(hit.status == 200 for hit in served.log)
    assert "unchanged" in result.stdout


def test_since_bounds_discovery_from_feeds_and_sitemaps(world, tmp_path: Path) -> None:
    served, sites, _root = world
    db = tmp_path / "news.db"
    feeds = [served.url(site.folder, "/feed.xml") for site in sites]
    # Depth 1: the feeds' entries only, not the pages their articles link to.
    result = crawl(db, *feeds, "--since", "2025-03-04", "-s", "DEPTH_LIMIT=1")
    assert result.returncode == 0, result.stderr
    days = sorted({int(path.split("/")[4]) for _site, path in article_requests(served)})
    assert days and min(days) >= 4
    # Counted as links not fetched, never as a failure.
    errors = [line for line in result.stdout.splitlines() if line.strip().startswith("errors")]
    assert errors and "before_since" not in errors[0]
    assert "before_since" in result.stdout


def test_sources_file_only_and_per_source_state(world, tmp_path: Path) -> None:
    served, sites, _root = world
    db = tmp_path / "news.db"
    sources = tmp_path / "sources.toml"
    a, b = (served.sites[site.folder] for site in sites)
    sources.write_text(
        f"""
[sources.alpha]
urls = ["{a}/", "{a}/feed.xml"]
deny = ["story-[0-2]/"]
language = "en"

[sources.beta]
urls = ["{b}/"]
enabled = false
""",
        encoding="utf-8",
    )
    result = crawl(db, "--sources", str(sources))
    assert result.returncode == 0, result.stderr
    stored = articles(db)
    assert all(url.startswith(a) for url in stored)
    assert not any("story-0/" in url or "story-2/" in url for url in stored)
    assert {row["source"] for row in stored.values()} == {"alpha"}
    served.clear_log()
    assert crawl(db, "--sources", str(sources), "--only", "beta").returncode == 0
    assert {site for site, _path in served.requests} == {sites[1].folder}
    with sqlite3.connect(db) as conn:
        names = [r[0] for r in conn.execute("SELECT name FROM crawl_sources ORDER BY name")]
    assert names == ["alpha", "beta"]


def test_bad_sources_file_is_a_usage_error(tmp_path: Path) -> None:
    sources = tmp_path / "sources.toml"
    sources.write_text("[sources.x]\nurls = ['http://x.example/']\ndepht = 1\n", encoding="utf-8")
    result = crawl(tmp_path / "news.db", "--sources", str(sources))
    assert result.returncode == 2
    assert f"{sources}: source 'x': unknown field 'depht'" in result.stderr
    assert "Traceback" not in result.stderr


def test_redirected_articles_and_dead_links_are_not_asked_again(tmp_path: Path) -> None:
    root = tmp_path / "world"
    (site,) = build_world(root, sites=1, per_site=3, shared=0)
    moved = Article(
        site.folder, "/moved/story/", "A story that moved", paragraphs(random.Random(5)), 9
    )
    site.extra_files["moved/story/index.html"] = article_html(site, moved)
    links = '<a href="/old/story/">Moved story</a> <a href="/dead/page/">Dead page</a>'

    def front_page(edition: int) -> None:
        # A new front page each run: one that answered 304 would have no links followed.
        html = listing_html(site, f"Front page, edition {edition}", site.articles, links)
        (root / site.folder / "index.html").write_text(html, encoding="utf-8")

    write_site(root, site, ["/"])
    front_page(1)
    config = root / site.folder / "_world.json"
    world_config = json.loads(config.read_text(encoding="utf-8"))
    config.write_text(
        json.dumps({**world_config, "redirects": {"/old/story/": "/moved/story/"}}),
        encoding="utf-8",
    )
    db = tmp_path / "news.db"
    with serve_world(root) as served:
        first = crawl(db, *served.start_urls())
        assert first.returncode == 0, first.stderr
        paths = [path for _site, path in served.requests]
        assert {"/old/story/", "/moved/story/", "/dead/page/"} <= set(paths), paths
        assert served.url(site.folder, "/moved/story/") in articles(db)

        served.clear_log()
        front_page(2)
        second = crawl(db, *served.start_urls())
        assert second.returncode == 0, second.stderr
        paths = [path for _site, path in served.requests]
        assert {hit.status for hit in served.log if hit.path == "/"} == {200}
        assert "/news/2025/03/01/site-a-story-0/" not in paths, paths
        assert not {"/old/story/", "/moved/story/", "/dead/page/"} & set(paths), paths

        # Once the first wait (a day) is over the dead link is asked again, and the next wait
        # is longer: two 404 answers in a row are on record.
        dead = served.url(site.folder, "/dead/page/")
        with sqlite3.connect(db) as conn:
            conn.execute(
                "UPDATE crawl_seen SET fetched_at = '2000-01-01T00:00:00+00:00' WHERE url = ?",
                (dead,),
            )
        served.clear_log()
        front_page(3)
        third = crawl(db, *served.start_urls())
        assert third.returncode == 0, third.stderr
        paths = [path for _site, path in served.requests]
        assert "/dead/page/" in paths and "/old/story/" not in paths, paths
        with sqlite3.connect(db) as conn:
            answers = conn.execute("SELECT answers FROM crawl_gone WHERE url = ?", (dead,))
            assert answers.fetchone() == (2,)


def test_a_later_feed_pubdate_fetches_the_article_again(world, tmp_path: Path) -> None:
    served, sites, root = world
    site = sites[0]
    feed = served.url(site.folder, "/feed.xml")
    db = tmp_path / "news.db"
    # Depth 1: the feed's entries only, so the feed alone decides what is fetched.
    assert crawl(db, feed, "-s", "DEPTH_LIMIT=1").returncode == 0
    changed = site.articles[2]
    changed.paragraphs = [*changed.paragraphs[:-1], "An update was published this afternoon."]
    write_site(root, site, ["/", "/feed.xml"])
    later = format_datetime(datetime.now(timezone.utc) + timedelta(hours=1))
    text = (root / site.folder / "feed.xml").read_text(encoding="utf-8")
    entry = f"<link>{site.origin}{changed.path}</link><pubDate>"
    start = text.index(entry) + len(entry)
    end = text.index("</pubDate>", start)
    (root / site.folder / "feed.xml").write_text(text[:start] + later + text[end:], "utf-8")
    served.clear_log()
    result = crawl(db, feed, "-s", "DEPTH_LIMIT=1")
    assert result.returncode == 0, result.stderr
    assert [path for _site, path in article_requests(served)] == [changed.path]
    assert "An update was published" in articles(db)[served.url(site.folder, changed.path)]["text"]
