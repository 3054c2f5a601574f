"""The worker registry's steps on a real Redis: taking requests, waiting, leaving, dead workers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from redis_server import needs_redis, redis_server

from crawler.distributed import coordination, queue
from storage.shared_index import connect

pytestmark = needs_redis

QUEUE, WORKERS, SEEN, CLAIMED = "t:requests", "t:workers", "t:dupefilter", "t:claimed:"


@pytest.fixture
def client(tmp_path: Path) -> Iterator[Any]:
    with redis_server(tmp_path) as url:
        yield connect(url)


def registry(client: Any) -> tuple[Any, Any]:
    take = client.register_script(queue._POP)
    state = client.register_script(coordination._STATE)

    def pop(worker: str) -> bytes | None:
        return take(keys=[QUEUE, WORKERS, CLAIMED + worker], args=[worker])

    def update(worker: str, mode: str) -> tuple[str, int]:
        reply = state(keys=[QUEUE, WORKERS, SEEN], args=[worker, CLAIMED, 120, mode])
        return reply[0].decode(), int(reply[1])

    return pop, update


def test_nobody_leaves_while_work_is_queued_or_in_hand(client: Any) -> None:
    pop, update = registry(client)
    client.sadd(SEEN, "fingerprint")
    client.zadd(QUEUE, {b"low": 0, b"high": -5})
    update("a", "beat")
    update("b", "beat")
    assert pop("a") == b"high"  # the highest priority first; "a" is busy from that moment
    assert client.hget(WORKERS, "a").startswith(b"busy:")
    assert client.zrange(CLAIMED + "a", 0, -1) == [b"high"]
    assert update("b", "leave") == ("queued", 0)
    assert pop("b") == b"low"
    assert pop("b") is None
    # "b" is done with its request, "a" is not: "b" stays.
    assert update("b", "leave") == ("busy", 0)
    assert client.exists(CLAIMED + "b") == 0
    assert client.hget(WORKERS, "b").startswith(b"idle:")
    # "a" is done too; it leaves, and "b", the last one, clears the queue and the filter.
    assert update("a", "leave") == ("left", 0)
    assert update("b", "leave") == ("last", 0)
    assert client.exists(QUEUE, SEEN, WORKERS) == 0


def test_requests_of_a_stopped_or_dead_worker_go_back(client: Any) -> None:
    pop, update = registry(client)
    client.zadd(QUEUE, {b"one": 0, b"two": 0, b"three": 0})
    update("a", "beat")
    taken = pop("a")
    # Stopped before the end: what it took goes back, and it is no longer a worker.
    assert update("a", "abort") == ("aborted", 1)
    assert client.zscore(QUEUE, taken) == 0
    assert client.hexists(WORKERS, "a") == 0
    # Not heard of for longer than the limit: taken for dead by the next worker that looks.
    update("c", "beat")
    taken = pop("c")
    client.hset(WORKERS, "c", "busy:1")
    assert update("b", "idle") == ("queued", 1)
    assert client.zscore(QUEUE, taken) == 0 and client.zcard(QUEUE) == 3
    assert client.hkeys(WORKERS) == [b"b"]


def test_a_beat_keeps_the_state(client: Any) -> None:
    _, update = registry(client)
    update("a", "idle")
    client.hset(WORKERS, "a", "idle:5")
    update("a", "beat")
    state, seen = client.hget(WORKERS, "a").decode().split(":")
    assert state == "idle" and int(seen) > 5
