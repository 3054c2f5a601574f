"""Distributed mode end to end: two crawl workers on one Redis against a local multi-site world."""

from __future__ import annotations

import contextlib
import sqlite3
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from redis_server import needs_redis, redis_server
from scrapy.utils.request import request_from_dict
from sitegen import CRAWL_TIMEOUT, ROOT, build_world, crawl, crawl_command, write_world

from crawler import distributed
from crawler.demo.server import World, serve_world
from crawler.distributed import codec as queuecodec
from crawler.distributed import config
from crawler.run import build_settings
from crawler.spiders.news import NewsSpider
from storage import Store
from storage.merge import merge
from storage.shared_index import connect


def groups(path: Path) -> tuple[set[str], set[frozenset[str]]]:
    """Article URLs of a store, and its stories as sets of URLs."""
    with Store.open(path, create=False) as store:
        by_rep: dict[int, set[str]] = {}
        for row in store.conn.execute("SELECT id, url, duplicate_of FROM articles"):
            by_rep.setdefault(row["duplicate_of"] or row["id"], set()).add(row["url"])
    return {u for urls in by_rep.values() for u in urls}, {frozenset(u) for u in by_rep.values()}


def remote_copies(shards: list[Path]) -> int:
    """Articles of the shards that the shared index linked to an article of another shard."""
    total = 0
    for path in shards:
        with Store.open(path, create=False) as store:
            total += store.conn.execute(
                "SELECT count(*) FROM shared_links WHERE match IN ('exact', 'minhash') AND NOT "
                "EXISTS (SELECT 1 FROM articles WHERE articles.url = shared_links.matched_url)"
            ).fetchone()[0]
    return total


def fetched(world: World) -> Counter[tuple[str, str]]:
    # Each worker reads robots.txt for itself (Scrapy's robots middleware does not queue it).
    return Counter(hit for hit in world.requests if hit[1] != "/robots.txt")


@needs_redis
def test_two_workers_equal_one_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "world"
    # Five stories on all three sites: the chance that one worker stores every copy of every
    # story (nothing to link across workers) is about (1/4) ** 5.
    write_world(root, build_world(root, sites=3, per_site=8, shared=5))
    with serve_world(root) as world, redis_server(tmp_path, password="pw") as url:
        urls = world.start_urls()
        single = crawl(tmp_path / "single.db", *urls)
        assert single.returncode == 0, single.stderr
        alone = fetched(world)
        world.clear_log()
        # Both workers start crawling together, and a little delay per request keeps either
        # from crawling the world alone.
        monkeypatch.setenv("NEWSDEDUP_REDIS_WAIT_WORKERS", "2")
        slow = ["-s", "DOWNLOAD_DELAY=0.05", "--redis", url]
        workers = [
            subprocess.Popen(
                crawl_command(tmp_path / f"shard{i}.db", *slow, *urls),
                cwd=ROOT,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for i in range(2)
        ]
        for worker in workers:
            out, err = worker.communicate(timeout=CRAWL_TIMEOUT)
            assert worker.returncode == 0, err
        shared = fetched(world)
        client = connect(url)
        assert client.exists("newsdedup:news:requests", "newsdedup:news:dupefilter") == 0
        stats = {
            k.decode(): int(float(v)) for k, v in client.hgetall("newsdedup:news:stats").items()
        }
    # Every page fetched once across both workers, and the same pages as one process fetched.
    assert max(shared.values()) == 1, [hit for hit, n in shared.items() if n > 1]
    assert set(shared) == set(alone)
    assert not [hit for hit in shared if hit[1].startswith("/private/")]  # robots.txt obeyed
    shards = [tmp_path / "shard0.db", tmp_path / "shard1.db"]
    per_shard = [len(groups(shard)[0]) for shard in shards]
    assert all(per_shard), f"one worker stored nothing: {per_shard}"
    # A shard records only the sources whose start pages its worker fetched, all answered.
    recorded: list[tuple[str, str]] = []
    for shard in shards:
        with sqlite3.connect(shard) as conn:
            recorded += conn.execute("SELECT name, last_status FROM crawl_sources").fetchall()
    with sqlite3.connect(tmp_path / "single.db") as conn:
        every = {name for (name,) in conn.execute("SELECT name FROM crawl_sources")}
    assert {name for name, _status in recorded} == every
    assert all(status == "ok" for _name, status in recorded), recorded
    # Copies stored by one worker of what the other stored were found, each counted once.
    elsewhere = stats.get("newsdedup/shared/duplicate_elsewhere", 0)
    assert elsewhere == remote_copies(shards) >= 1, stats
    merge(shards, tmp_path / "merged.db")
    assert groups(tmp_path / "merged.db") == groups(tmp_path / "single.db")
    stories = [g for g in groups(tmp_path / "merged.db")[1] if len(g) > 1]
    assert len(stories) == 5 and all(len(g) == 3 for g in stories)


@pytest.mark.parametrize("shared", [False, pytest.param(True, marks=needs_redis)])
def test_every_request_waiting_for_robots_txt_is_checked(tmp_path: Path, shared: bool) -> None:
    # Scrapy's robots.txt middleware checks only the first two requests for a host that arrive
    # before its robots.txt is read and lets the others through: a fourth start URL on one site
    # has three waiting, and a worker taking a host's links from the queue has many.
    root = tmp_path / "world"
    write_world(root, build_world(root, sites=1, per_site=2, shared=0))
    with serve_world(root) as world, contextlib.ExitStack() as stack:
        redis = ["--redis", stack.enter_context(redis_server(tmp_path))] if shared else []
        base = next(iter(world.sites.values()))
        urls = [f"{base}/", f"{base}/feed.xml", f"{base}/news/", f"{base}/private/drafts.html"]
        done = crawl(tmp_path / "s.db", *redis, *urls)
        assert done.returncode == 0, done.stderr
    assert [hit for hit in world.requests if hit[1].startswith("/private/")] == []
    assert ("site-a", "/news/") in world.requests


def test_switch_is_off_without_a_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(distributed.REDIS_URL_ENV, raising=False)
    settings = build_settings()
    assert distributed.configure(settings) is False
    assert "scrapy_redis" not in str(settings.get("SCHEDULER"))


def test_switch_sets_up_scrapy_redis(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(distributed.REDIS_URL_ENV, "rediss://:pw@redis.internal:6380/2")
    settings = build_settings({"NEWSDEDUP_REDIS_TLS_CA": "/etc/ca.pem"})
    assert distributed.configure(settings, check=False) is True
    assert settings["SCHEDULER"] == "scrapy_redis.scheduler.Scheduler"
    assert settings["DUPEFILTER_CLASS"] == "scrapy_redis.dupefilter.RFPDupeFilter"
    assert settings.getbool("SCHEDULER_PERSIST")
    assert settings["SCHEDULER_SERIALIZER"] == "crawler.distributed.codec"
    assert settings["REDIS_URL"] == "rediss://:pw@redis.internal:6380/2"
    assert settings.getdict("REDIS_PARAMS")["ssl_ca_certs"] == "/etc/ca.pem"
    pipelines = settings.getdict("ITEM_PIPELINES")
    assert config.STORE_PIPELINE not in pipelines
    assert pipelines["crawler.distributed.pipeline.SharedStorePipeline"] == 800
    assert "crawler.distributed.coordination.WorkerCoordination" in settings.getdict("EXTENSIONS")
    assert settings["SCHEDULER_QUEUE_CLASS"] == "crawler.distributed.queue.SharedQueue"
    middlewares = settings.getdict("DOWNLOADER_MIDDLEWARES")
    assert middlewares[config.SCRAPY_ROBOTS] is None
    assert middlewares["crawler.middlewares.WaitingRobotsTxtMiddleware"] == 100
    assert "crawler.safety.AddressGuardMiddleware" in middlewares


def test_queued_requests_are_json_not_pickle() -> None:
    spider = NewsSpider(urls="https://news.example/")
    request = spider.request("https://news.example/a?b=1", "news.example", entry=True, depth=2)
    request.headers["If-None-Match"] = b'"etag\xff"'
    data = queuecodec.dumps(request.to_dict(spider=spider))
    assert data.startswith(b"{")
    again = request_from_dict(queuecodec.loads(data), spider=spider)
    assert again.url == request.url and again.callback == spider.parse
    assert again.meta == request.meta and again.priority == request.priority
    assert again.headers["If-None-Match"] == b'"etag\xff"'
    with pytest.raises(TypeError, match="Request.meta"):
        queuecodec.dumps({"meta": {"when": object()}})


@needs_redis
def test_crawl_refuses_a_wrong_password(tmp_path: Path) -> None:
    root = tmp_path / "world"
    write_world(root, build_world(root, sites=1, per_site=2, shared=0))
    with serve_world(root) as world, redis_server(tmp_path, password="right") as url:
        done = crawl(
            tmp_path / "s.db", "--redis", url.replace("right", "wrong"), *world.start_urls()
        )
    assert done.returncode == 2
    assert "cannot use Redis at redis://:***@127.0.0.1" in done.stderr
    assert "wrong" not in done.stdout + done.stderr


@needs_redis
def test_crawl_over_tls(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "world"
    write_world(root, build_world(root, sites=2, per_site=2, shared=1))
    with serve_world(root) as world, redis_server(tmp_path, password="pw", tls=True) as url:
        assert url.startswith("rediss://")
        # Without the CA the server's certificate is not trusted.
        refused = crawl(tmp_path / "t.db", "--redis", url, *world.start_urls())
        monkeypatch.setenv("NEWSDEDUP_REDIS_TLS_CA", str(tmp_path / "ca.pem"))
        done = crawl(tmp_path / "s.db", "--redis", url, *world.start_urls())
        assert done.returncode == 0, done.stderr
        client = connect(url, ca_certs=str(tmp_path / "ca.pem"))
        registered = int(client.get("newsdedup:index:seq") or 0)
    assert refused.returncode == 2 and "certificate verify failed" in refused.stderr
    assert registered == len(groups(tmp_path / "s.db")[0]) == 6


@pytest.mark.parametrize("value", ["0", "-3", "soon"])
def test_a_dead_worker_limit_must_be_a_positive_number(
    value: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(distributed.REDIS_URL_ENV, "redis://127.0.0.1:1/0")
    settings = build_settings({"NEWSDEDUP_REDIS_DEAD_AFTER": value})
    with pytest.raises(config.DistributedError, match="NEWSDEDUP_REDIS_DEAD_AFTER must be"):
        distributed.configure(settings, check=False)
