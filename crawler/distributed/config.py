"""The settings that switch a crawl to distributed mode, read from Scrapy or the environment."""

from __future__ import annotations

import os
import socket
from pathlib import Path
from typing import Any

from scrapy.settings import SETTINGS_PRIORITIES, BaseSettings

from crawler import settings as defaults
from crawler.errors import ConfigError
from storage import StoreError
from storage.shared_index import connect

# The environment variable that switches distributed mode on, as the setting of the same name.
REDIS_URL_ENV = "NEWSDEDUP_REDIS_URL"
STORE_PIPELINE = "crawler.pipelines.StorePipeline"
SCRAPY_ROBOTS = "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware"
ROBOTS_ORDER = 100  # Scrapy's own place for it


class DistributedError(ConfigError):
    """Distributed mode cannot start; the message says what is missing and how to fix it."""


def setting(settings: BaseSettings, name: str) -> Any:
    """``name`` from ``settings``; its environment variable, where set, overrides the default.

    The environment lets one worker's deployment carry its Redis URL and CA file; a value given
    with ``-s`` (or by any setting above the project's own priority) still wins over it.
    """
    default = getattr(defaults, name)
    value = settings.get(name)
    from_env = os.environ.get(name)
    at_default = (
        value is None
        or value == ""
        or (
            value == default and (settings.getpriority(name) or 0) <= SETTINGS_PRIORITIES["project"]
        )
    )
    if from_env and at_default:
        return from_env
    return default if value is None or value == "" else value


def dead_after(settings: BaseSettings) -> float:
    """NEWSDEDUP_REDIS_DEAD_AFTER in seconds; raises DistributedError unless it is above 0."""
    value = setting(settings, "NEWSDEDUP_REDIS_DEAD_AFTER")
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        seconds = 0.0
    if not seconds > 0:
        raise DistributedError(
            f"NEWSDEDUP_REDIS_DEAD_AFTER must be a number of seconds above 0, not {value!r}"
        )
    return seconds


def keys(settings: BaseSettings, spider: str = "news") -> dict[str, str]:
    """The Redis keys of a crawl: queue, filter, workers, stats and the index prefix."""
    prefix = setting(settings, "NEWSDEDUP_REDIS_PREFIX")
    return {
        "queue": f"{prefix}:{spider}:requests",
        "dupefilter": f"{prefix}:{spider}:dupefilter",
        "workers": f"{prefix}:{spider}:workers",
        "stats": f"{prefix}:{spider}:stats",
        "claimed": f"{prefix}:{spider}:claimed:",
        "index": f"{prefix}:index",
    }


def configure(settings: BaseSettings, priority: str = "cmdline", *, check: bool = True) -> bool:
    """Switch ``settings`` to distributed mode when a Redis URL is set; return whether it is.

    With ``check``, the server is asked first. Raises DistributedError when scrapy-redis or
    redis is missing, a setting is out of range, or the server cannot be reached or refuses the
    password.
    """
    url = setting(settings, "NEWSDEDUP_REDIS_URL")
    if not url:
        return False
    try:
        import redis  # noqa: F401
        import scrapy_redis  # noqa: F401
    except ImportError:
        raise DistributedError(
            f"--redis / {REDIS_URL_ENV} needs scrapy-redis and redis: "
            "pip install 'newsdedup[redis]'"
        ) from None
    dead_after(settings)
    prefix = setting(settings, "NEWSDEDUP_REDIS_PREFIX")
    params: dict[str, Any] = {"socket_timeout": 30, "socket_connect_timeout": 10}
    ca = setting(settings, "NEWSDEDUP_REDIS_TLS_CA")
    if check:
        try:
            connect(url, ca_certs=ca or None).close()
        except StoreError as exc:
            raise DistributedError(f"{exc} (--redis / {REDIS_URL_ENV})") from None
    if ca:
        params["ssl_ca_certs"] = ca
    pipelines = dict(settings.getdict("ITEM_PIPELINES"))
    order = pipelines.pop(STORE_PIPELINE, 800)
    pipelines["crawler.distributed.pipeline.SharedStorePipeline"] = order
    extensions = dict(settings.getdict("EXTENSIONS"))
    extensions["crawler.distributed.coordination.WorkerCoordination"] = 0
    middlewares = dict(settings.getdict("DOWNLOADER_MIDDLEWARES"))
    if middlewares.get(SCRAPY_ROBOTS, 0) is not None:
        middlewares[SCRAPY_ROBOTS] = None
        middlewares["crawler.middlewares.WaitingRobotsTxtMiddleware"] = ROBOTS_ORDER
    values = {
        "NEWSDEDUP_REDIS_URL": url,
        "REDIS_URL": url,
        "REDIS_PARAMS": params,
        "SCHEDULER": "scrapy_redis.scheduler.Scheduler",
        "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
        "SCHEDULER_PERSIST": True,
        "SCHEDULER_QUEUE_KEY": f"{prefix}:%(spider)s:requests",
        "SCHEDULER_DUPEFILTER_KEY": f"{prefix}:%(spider)s:dupefilter",
        "DUPEFILTER_KEY": f"{prefix}:%(spider)s:dupefilter",
        "SCHEDULER_QUEUE_CLASS": "crawler.distributed.queue.SharedQueue",
        "SCHEDULER_SERIALIZER": "crawler.distributed.codec",
        "STATS_CLASS": "crawler.distributed.stats.SharedStats",
        "ITEM_PIPELINES": pipelines,
        "EXTENSIONS": extensions,
        "DOWNLOADER_MIDDLEWARES": middlewares,
    }
    settings.setdict(values, priority=priority)
    return True


class Distributed:
    """Scrapy add-on form of :func:`configure`, for ``ADDONS`` (``scrapy crawl news``)."""

    def update_settings(self, settings: BaseSettings) -> None:
        configure(settings, priority="addon")


def shard_name(settings: BaseSettings) -> str:
    """This worker's name in the shared index: the setting, else host name and store path."""
    name = setting(settings, "NEWSDEDUP_REDIS_SHARD")
    if name:
        return str(name)
    return f"{socket.gethostname()}:{Path(settings.get('NEWSDEDUP_DB')).resolve()}"
