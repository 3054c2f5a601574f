"""The shared near-duplicate index on a real Redis: stores that share it link each other's copies."""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from redis_server import needs_redis, redis_server

from crawler.freshness import Freshness
from storage import ParameterMismatch, Store, StoreError
from storage.crawlstate import CrawlState
from storage.dedup import PRESETS, Fingerprint
from storage.shared_index import RedisIndex, SharedMatcher, connect, redact

pytestmark = needs_redis

WORDS = "river council budget harbour ferry school market storm bridge tunnel energy wage".split()


def text(seed: int, words: int = 120) -> str:
    rng = random.Random(seed)
    return " ".join(rng.choice(WORDS) + str(rng.randint(0, 99)) for _ in range(words))


def edited(base: str) -> str:
    words = base.split()
    return " ".join(words[:-5] + ["changed", "ending", "of", "the", "story"])


@pytest.fixture
def redis_url(tmp_path: Path) -> Iterator[str]:
    with redis_server(tmp_path) as url:
        yield url


def shard(path: Path, url: str, name: str) -> Store:
    store = Store.open(path)
    index = RedisIndex.open(url, store.params, store.threshold)
    store.matcher = SharedMatcher(index, store.conn, name)
    return store


def record(url: str, body: str) -> dict[str, object]:
    return {"url": url, "title": url, "text": body, "fetched_at": "2025-03-01T00:00:00+00:00"}


def test_copies_in_two_stores_are_linked_once(tmp_path: Path, redis_url: str) -> None:
    a = shard(tmp_path / "a.db", redis_url, "a")
    b = shard(tmp_path / "b.db", redis_url, "b")
    story = text(1)
    assert a.add_article(record("https://one.example/s", story)).status == "new"
    assert a.add_article(record("https://one.example/other", text(2))).status == "new"
    # Near copy on another worker: stored as new there, linked to the first in shared_links.
    assert b.add_article(record("https://two.example/s", edited(story))).status == "new"
    assert b.matcher is not None and b.matcher.remote_duplicate
    verdict = b.matcher.last
    assert verdict is not None and verdict.kind == "minhash"
    assert verdict.matched_url == "https://one.example/s" and verdict.similarity >= 0.6
    # Exact copy on the second worker again, and a near copy of that one stored locally.
    b.add_article(record("https://three.example/s", story))
    assert b.matcher.last.kind == "exact" and b.matcher.last.matched_url == "https://one.example/s"
    local = b.add_article(record("https://four.example/s", edited(story) + " more"))
    assert local.status == "duplicate"  # its best match is in this very store
    links = dict(b.conn.execute("SELECT url, match FROM shared_links").fetchall())
    assert links == {
        "https://two.example/s": "minhash",
        "https://three.example/s": "exact",
        "https://four.example/s": "minhash",
    }
    assert RedisIndex.open(redis_url, a.params, a.threshold).articles() == 5


def test_same_url_on_two_workers(tmp_path: Path, redis_url: str) -> None:
    a = shard(tmp_path / "a.db", redis_url, "a")
    b = shard(tmp_path / "b.db", redis_url, "b")
    a.add_article(record("https://one.example/s", text(3)))
    b.add_article(record("https://one.example/s", text(3)))
    assert b.matcher is not None and b.matcher.last is not None
    assert b.matcher.last.kind == "url" and b.matcher.last.seq == 1


def index_keys(url: str) -> set[str]:
    return {k.decode() for k in connect(url).keys("newsdedup:index:*")}


def test_a_rolled_back_article_leaves_the_index(tmp_path: Path, redis_url: str) -> None:
    a = shard(tmp_path / "a.db", redis_url, "a")
    b = shard(tmp_path / "b.db", redis_url, "b")
    a.add_article(record("https://one.example/kept", text(4)))
    assert a.matcher is not None and a.matcher.settle() == 0
    before = index_keys(redis_url)
    # The insert fails after the article was registered, and the transaction rolls back.
    a.conn.execute(
        "CREATE TRIGGER refuse BEFORE INSERT ON articles WHEN NEW.url LIKE '%/lost' "
        "BEGIN SELECT RAISE(ABORT, 'disk full'); END"
    )
    story = text(5)
    with pytest.raises(sqlite3.DatabaseError, match="disk full"):
        a.add_article(record("https://one.example/lost", story))
    a.matcher.settle()  # the store settled already: a second settle changes nothing
    assert index_keys(redis_url) == before
    # A copy stored later is new: nothing points at an article no shard holds.
    assert b.add_article(record("https://two.example/copy", story)).status == "new"
    assert b.matcher is not None and b.matcher.last is not None and b.matcher.last.kind is None
    # Registrations are settled at the next match too, without an explicit settle().
    with pytest.raises(sqlite3.DatabaseError, match="disk full"):
        a.add_article(record("https://one.example/lost", text(6)))
    a.conn.execute("DROP TRIGGER refuse")
    a.add_article(record("https://one.example/after", text(7)))
    a.matcher.settle()
    client = connect(redis_url)
    assert client.hgetall("newsdedup:index:pending:a") == {}
    assert b"https://one.example/lost" not in client.hkeys("newsdedup:index:url")


def test_registrations_of_a_dead_worker_are_undone(tmp_path: Path, redis_url: str) -> None:
    a = shard(tmp_path / "a.db", redis_url, "a")
    a.add_article(record("https://one.example/kept", text(8)))
    assert a.matcher is not None
    a.matcher.settle()
    # A worker registered an article and died before its transaction committed.
    a.matcher.index.register("https://one.example/never", "a", Fingerprint.of(text(9), a.params))
    a.close()
    again = shard(tmp_path / "a.db", redis_url, "a")
    assert again.matcher is not None
    assert again.matcher.recover() == 0  # too recent: its worker may still be committing it
    assert again.matcher.recover(min_age=0) == 1
    client = connect(redis_url)
    assert client.hkeys("newsdedup:index:url") == [b"https://one.example/kept"]
    assert client.hgetall("newsdedup:index:pending:a") == {}


def test_articles_of_other_shards_are_known_to_the_next_run(tmp_path: Path, redis_url: str) -> None:
    a = shard(tmp_path / "a.db", redis_url, "a")
    a.add_article(record("https://one.example/s", text(10)))
    b = shard(tmp_path / "b.db", redis_url, "b")
    assert b.matcher is not None
    state = CrawlState(b.conn)
    assert state.seen("https://one.example/s") is None
    state.elsewhere = b.matcher.index.seen
    seen = state.seen("https://one.example/s")
    assert seen is not None and seen.outcome == "elsewhere" and seen.article_id == 1
    assert Freshness().skip_reason(None, seen) == "known"
    # A feed entry dated after it was stored is fetched again.
    assert Freshness().skip_reason("2999-01-01", seen) is None
    assert state.seen("https://one.example/other") is None


def test_short_texts_are_not_indexed(tmp_path: Path, redis_url: str) -> None:
    a = shard(tmp_path / "a.db", redis_url, "a")
    a.add_article(record("https://one.example/brief", "Watch the video above."))
    a.add_article(record("https://two.example/brief", "Watch the video above."))
    assert a.matcher is not None and a.matcher.last is not None and a.matcher.last.kind is None
    keys = [k.decode() for k in connect(redis_url).keys("newsdedup:index:b:*")]
    assert keys == []


def test_other_parameters_are_refused(tmp_path: Path, redis_url: str) -> None:
    preset = PRESETS["same-article"]
    RedisIndex.open(redis_url, preset.params, preset.threshold)
    other = PRESETS["syndicated"]
    with pytest.raises(ParameterMismatch, match="same preset"):
        RedisIndex.open(redis_url, other.params, other.threshold)
    # Another prefix is another index.
    RedisIndex.open(redis_url, other.params, other.threshold, prefix="other")


def test_password_urls(tmp_path: Path) -> None:
    with redis_server(tmp_path, password="s3cret") as url:
        preset = PRESETS["same-article"]
        assert RedisIndex.open(url, preset.params, preset.threshold).articles() == 0
        wrong = url.replace("s3cret", "wrong")
        with pytest.raises(StoreError) as err:
            connect(wrong)
        assert "wrong" not in str(err.value) and ":***@" in str(err.value)


def test_unreachable_and_bad_urls() -> None:
    with pytest.raises(StoreError, match="cannot use Redis"):
        connect("redis://127.0.0.1:1/0")
    with pytest.raises(StoreError, match="rediss://"):
        connect("http://127.0.0.1:6379/0")
    with pytest.raises(StoreError, match="TLS needs a rediss"):
        connect("redis://127.0.0.1:1/0", ca_certs="/tmp/ca.pem")
    assert redact("rediss://user:pw@host:6380/0") == "rediss://user:***@host:6380/0"
    assert redact("redis://:pw@host/0") == "redis://:***@host/0"
