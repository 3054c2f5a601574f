"""Running a crawl from Python: project settings, ``-s`` overrides, and the report it leaves."""

from __future__ import annotations

import difflib
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings
from scrapy.settings import default_settings as scrapy_defaults

from crawler import settings as project_settings
from crawler.sources import BadStartURL, check_start_url
from crawler.spiders.news import NewsSpider

# Exit codes a scheduler can act on.
EXIT_OK = 0
EXIT_CONFIG = 2
EXIT_ALL_FAILED = 3
EXIT_BUSY = 4  # another crawl holds the store
EXIT_INTERRUPTED = 5  # stopped by SIGINT/SIGTERM before the end; the next run resumes


class SettingError(ValueError):
    """A ``-s NAME=VALUE`` that cannot be used; the message says how to write it."""


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
        """True when the crawl was stopped (a signal, a limit) before it ran out of work."""
        return self.stats.get("finish_reason", "finished") != "finished"


def check_urls(urls: Iterable[str]) -> list[str]:
    """Return the start URLs canonicalised; raises ``BadStartURL`` for the first bad one."""
    return [check_start_url(url) for url in urls]


def run_crawl(urls: list[str], settings: Settings, **spider_args: Any) -> CrawlReport:
    """Crawl ``urls`` with ``settings`` in this process (once per process: Twisted's rule)."""
    report = CrawlReport(start_urls=list(urls))
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(NewsSpider)
    started = time.monotonic()
    process.crawl(crawler, urls=",".join(urls), **spider_args)
    process.start()
    report.seconds = time.monotonic() - started
    report.stats = dict(crawler.stats.get_stats() if crawler.stats else {})
    return report


__all__ = [
    "EXIT_ALL_FAILED",
    "EXIT_BUSY",
    "EXIT_CONFIG",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "BadStartURL",
    "CrawlReport",
    "SettingError",
    "build_settings",
    "check_urls",
    "parse_overrides",
    "run_crawl",
]
