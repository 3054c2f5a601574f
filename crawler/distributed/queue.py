"""The shared request queue: taking a request marks the worker busy in the same Redis step."""

from __future__ import annotations

from typing import Any

from crawler.distributed.coordination import WORKERS

try:
    from scrapy_redis.queue import PriorityQueue
except ImportError:  # distributed mode is optional; configure() says what to install
    PriorityQueue = object  # type: ignore[assignment,misc]

# KEYS: queue, workers, claimed; ARGV: worker. Take the first request and mark the worker busy in
# one step, so no other worker can see the queue empty and everyone idle while a request is
# between the queue and a worker.
_POP = """
local top = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #top == 0 then return false end
redis.call('ZREM', KEYS[1], top[1])
redis.call('ZADD', KEYS[3], top[2], top[1])
redis.call('HSET', KEYS[2], ARGV[1], 'busy:' .. redis.call('TIME')[1])
return top[1]
"""


class SharedQueue(PriorityQueue):
    """scrapy-redis's priority queue, taking requests on behalf of :class:`WorkerCoordination`.

    A request is taken and the worker marked busy in one step (and kept in the worker's claimed
    set until it is idle again, so a worker that dies does not lose it). Nothing is taken before
    the worker's spider has started (its start URLs trusted, delays set) or after it has left.
    """

    def __init__(self, server: Any, spider: Any, key: str, serializer: Any = None) -> None:
        super().__init__(server, spider, key, serializer)
        self.worker = WORKERS.get(spider.crawler)
        self._pop = server.register_script(_POP)

    def __len__(self) -> int:
        if self.worker is not None and self.worker.left:
            return 0
        return int(super().__len__())

    def pop(self, timeout: int = 0) -> Any:
        worker = self.worker
        if worker is None:
            return super().pop(timeout)
        if worker.left or not worker.started:
            return None
        data = self._pop(keys=[self.key, worker.keys["workers"], worker.claimed], args=[worker.me])
        if not data:
            return None
        request = self._decode_request(data)
        worker.taken[request] = data
        return request
