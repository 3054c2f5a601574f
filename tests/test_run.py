"""The Python API of a crawl: ``from crawler import crawl`` does what ``newsdedup crawl`` does."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sitegen import CRAWL_TIMEOUT, ROOT, build_world, write_world

from crawler import ConfigError, crawl
from crawler.demo.server import World, serve_world
from crawler.extensions import BadSetting
from crawler.run import NothingToCrawl
from crawler.sources import BadStartURL, SourcesError
from storage import Store
from storage.lock import StoreBusy

# Run in a subprocess: Twisted's reactor runs once per process.
SCRIPT = """
import json, sys
from crawler import crawl
report = crawl(
    sys.argv[2:],
    db=sys.argv[1],
    settings={"AUTOTHROTTLE_ENABLED": False, "DOWNLOAD_DELAY": 0, "LOG_LEVEL": "WARNING"},
)
print(json.dumps({
    "db": report.db,
    "pages": report.pages,
    "articles": report.count("articles"),
    "interrupted": report.interrupted,
    "all_failed": report.all_failed,
}))
"""


@pytest.fixture()
def world(tmp_path: Path) -> Iterator[World]:
    root = tmp_path / "world"
    write_world(root, build_world(root, sites=2, per_site=3, shared=1))
    with serve_world(root) as served:
        yield served


def test_crawl_from_python_stores_the_articles(world: World, tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(db), *world.start_urls()],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=CRAWL_TIMEOUT,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["db"] == str(db)
    assert not report["interrupted"] and not report["all_failed"]
    assert report["articles"] == {"new": 7, "duplicate": 1}  # 3 own + 1 shared per site
    with Store.open(db, create=False) as store:
        rows = list(store.iter_articles(include_duplicates=True))
        assert len(rows) == 8
        # A crawled article keeps what its page says it is, as an ingested one does.
        assert {store.get(row["id"])["page_type"] for row in rows} == {"NewsArticle"}


@pytest.mark.parametrize(
    ("arguments", "error", "message"),
    [
        ({"urls": ["example.com"]}, BadStartURL, "not an http(s) URL"),
        ({"urls": []}, NothingToCrawl, "give at least one URL"),
        ({"urls": [], "only": ["a"]}, NothingToCrawl, "add --sources FILE"),
        ({"sources": "missing.toml"}, SourcesError, "no such sources file"),
        ({"since": "last week"}, ConfigError, "is not a date"),
        ({"settings": {"NEWSDEDUP_WORKERS": "-1"}}, BadSetting, "is negative"),
    ],
)
def test_a_crawl_that_cannot_start_raises_before_crawling(
    tmp_path: Path, arguments: dict, error: type[Exception], message: str
) -> None:
    arguments = {"urls": ["https://news.example/"], **arguments}
    with pytest.raises(error, match=re.escape(message)):
        crawl(db=tmp_path / "news.db", **arguments)
    assert not (tmp_path / "news.db").exists()


def test_a_crawl_of_a_busy_store_raises_store_busy(tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"from storage.lock import CrawlLock; "
            f"CrawlLock({str(db)!r}).acquire(); import time; print('held', flush=True); "
            "time.sleep(3600)",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(StoreBusy):
            crawl(["https://news.example/"], db=db)
    finally:
        holder.kill()
        holder.wait()
