"""Running a crawl from Python as ``newsdedup crawl`` does: :func:`crawl` returns a CrawlReport."""

from __future__ import annotations

import datetime as dt
import difflib
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings
from scrapy.settings import default_settings as scrapy_defaults

from crawler import distributed, schedule
from crawler import settings as project_settings
from crawler.errors import ConfigError
from crawler.extensions import page_pool_options
from crawler.freshness import parse_since
from crawler.sources import BadStartURL, SourcesError, check_start_url, load_sources
from crawler.spiders.news import NewsSpider
from storage import Store
from storage.lock import CrawlLock


class SettingError(ConfigError):
    """A ``-s NAME=VALUE`` that cannot be used; the message says how to write it."""


class NothingToCrawl(ConfigError):
    """Neither start URLs nor a sources file, or sources picked without a sources file."""


def _known_settings() -> set[str]:
    names = {name for name in dir(scrapy_defaults) if name.isupper()}
    names.update(name for name in dir(project_settings) if name.isupper())
    return names


def parse_overrides(pairs: Iterable[str]) -> dict[str, str]:
    """Return ``{NAME: VALUE}`` for ``-s NAME=VALUE`` arguments.

    Raises ``SettingError`` for a pair without ``=`` or an unknown ``NEWSDEDUP_*`` name (our own
    settings are all known, so a typo there is caught; other names may belong to add-ons).
    """
    known = _known_settings()
    overrides: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        name = name.strip()
        if not sep or not name:
            raise SettingError(f"-s {pair!r}: write settings as NAME=VALUE, e.g. -s DEPTH_LIMIT=2")
        if name.startswith("NEWSDEDUP_") and name not in known:
            ours = sorted(n for n in known if n.startswith("NEWSDEDUP_"))
            close = difflib.get_close_matches(name, ours, n=1)
            hint = f"did you mean {close[0]}?" if close else f"known: {', '.join(ours)}"
            raise SettingError(f"-s {name}: unknown setting; {hint}")
        overrides[name] = value
    return overrides


def build_settings(overrides: Mapping[str, Any] | None = None) -> Settings:
    """Return the project's Scrapy settings with ``overrides`` at command-line priority."""
    settings = Settings()
    settings.setmodule(project_settings, priority="project")
    if overrides:
        settings.setdict(dict(overrides), priority="cmdline")
    return settings


@dataclass
class CrawlReport:
    """What one crawl did, read from its Scrapy stats."""

    start_urls: list[str]
    stats: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0
    db: str = ""  # the store it wrote to
    # With ``due``: the sources that were due (and crawled), and when each other one is next due.
    due: list[str] | None = None
    waiting: dict[str, str | None] = field(default_factory=dict)

    def count(self, prefix: str) -> dict[str, int]:
        """Return the counters under ``newsdedup/<prefix>/`` by their last name."""
        key = f"newsdedup/{prefix}/"
        return {k[len(key) :]: v for k, v in self.stats.items() if k.startswith(key)}

    @property
    def pages(self) -> int:
        return int(self.stats.get("response_received_count", 0))

    @property
    def all_failed(self) -> bool:
        """True when no start URL could be fetched at all."""
        entries = self.stats.get("newsdedup/entries", len(self.start_urls))
        return bool(entries) and self.stats.get("newsdedup/entry_errors", 0) >= entries

    @property
    def interrupted(self) -> bool:
        """True when the crawl was stopped (a signal, a limit) before it ran out of work.

        A crawl with no finish reason at all was stopped by force before its spider closed.
        """
        return self.stats.get("finish_reason") != "finished"


def check_urls(urls: Iterable[str]) -> list[str]:
    """Return the start URLs canonicalised; raises ``BadStartURL`` for the first bad one."""
    return [check_start_url(url) for url in urls]


def crawl(
    urls: Iterable[str] = (),
    *,
    db: str | Path | None = None,
    sources: str | Path | None = None,
    only: Iterable[str] = (),
    refresh: bool = False,
    since: str | dt.date | None = None,
    redis: str | None = None,
    due: bool = False,
    settings: Mapping[str, Any] | None = None,
) -> CrawlReport:
    """Crawl ``urls`` and/or the sources of the file ``sources`` into the store ``db``.

    Does what ``newsdedup crawl`` does, its flags as keyword arguments: ``db`` (default
    ``NEWSDEDUP_DB``), ``only`` (names of sources in the file), ``refresh``, ``since`` (a date, or
    text such as "2025-03-01"), ``redis`` (distributed mode) and ``settings`` (Scrapy and
    ``NEWSDEDUP_*`` settings, as ``-s`` gives them). ``due`` crawls only the sources of the file
    that are due (see :mod:`storage.schedule`); when none is, nothing is crawled and the report's
    ``due`` is empty. Returns what the crawl did; its ``interrupted`` and ``all_failed`` say
    whether it ran to the end.

    Raises before anything is crawled: a :class:`~crawler.errors.ConfigError` for a bad start
    URL, sources file, setting or Redis server; ``storage.lock.StoreBusy`` when another
    crawl holds the store; ``storage.StoreError`` when the store cannot be opened. Twisted's
    reactor cannot restart, so a process crawls once: run more crawls in subprocesses.
    """
    values: dict[str, Any] = dict(settings or {})
    start = check_urls(urls)
    if sources:
        values["NEWSDEDUP_SOURCES"] = str(sources)
    only = list(only)
    if only:
        values["NEWSDEDUP_ONLY"] = only
    if refresh:
        values["NEWSDEDUP_REFRESH"] = True
    if since is not None:
        values["NEWSDEDUP_SINCE"] = since.isoformat() if isinstance(since, dt.date) else since
    if only and not values.get("NEWSDEDUP_SOURCES"):
        raise NothingToCrawl("--only NAME picks sources of a sources file: add --sources FILE")
    if due and (start or not values.get("NEWSDEDUP_SOURCES")):
        raise NothingToCrawl(
            "--due crawls the sources of a sources file that are due: give --sources FILE "
            "and no URLs"
        )
    loaded = []
    if values.get("NEWSDEDUP_SOURCES"):
        loaded = load_sources(values["NEWSDEDUP_SOURCES"], values.get("NEWSDEDUP_ONLY", ()))
    elif not start and not values.get("NEWSDEDUP_START_URLS"):
        raise NothingToCrawl(
            "give at least one URL to crawl, e.g. newsdedup crawl https://example.com/, "
            "or a sources file with --sources sources.toml"
        )
    if db:
        values["NEWSDEDUP_DB"] = str(db)
    if redis:
        values["NEWSDEDUP_REDIS_URL"] = redis
    built = build_settings(values)
    parse_since(built.get("NEWSDEDUP_SINCE"))
    schedule.policies(loaded, built)  # a bad interval setting stops here, not after the crawl
    schedule.now(built)
    page_pool_options(built)
    distributed.configure(built)
    store_path = built.get("NEWSDEDUP_DB")
    lock = CrawlLock(store_path).acquire(built.getfloat("NEWSDEDUP_LOCK_WAIT"))
    try:
        with Store.open(store_path, create=True) as store:
            chosen, where = schedule.due(store.conn, loaded, built) if due else ([], {})
        if due and not chosen:
            report = CrawlReport(start_urls=[], due=[])
        else:
            if due:
                built.set("NEWSDEDUP_ONLY", chosen, priority="cmdline")
            report = _run(start, built)
        if due:
            report.due = chosen
            report.waiting = {
                name: known.next_due if known else None
                for name, known in where.items()
                if name not in chosen
            }
    finally:
        lock.release()
    report.db = store_path
    return report


def _run(urls: list[str], settings: Settings) -> CrawlReport:
    """Crawl ``urls`` with ``settings`` in this process (once per process: Twisted's rule)."""
    report = CrawlReport(start_urls=list(urls))
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(NewsSpider)
    started = time.monotonic()
    process.crawl(crawler, urls=",".join(urls))
    process.start()
    report.seconds = time.monotonic() - started
    report.stats = dict(crawler.stats.get_stats() if crawler.stats else {})
    return report


__all__ = [
    "BadStartURL",
    "CrawlReport",
    "NothingToCrawl",
    "SettingError",
    "SourcesError",
    "build_settings",
    "check_urls",
    "crawl",
    "parse_overrides",
]
