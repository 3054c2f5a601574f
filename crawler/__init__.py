"""newsdedup crawler: the Scrapy project, the Scrapy-free work on each page, and the CLI.

``from crawler import crawl`` runs a crawl as ``newsdedup crawl`` does (:func:`crawler.run.crawl`).
The names are loaded on first use, so a page process that imports ``crawler.page`` does not
import Scrapy with it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from crawler.errors import ConfigError
    from crawler.run import CrawlReport, crawl

_HOMES = {"crawl": "crawler.run", "CrawlReport": "crawler.run", "ConfigError": "crawler.errors"}

__all__ = ["ConfigError", "CrawlReport", "crawl"]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'crawler' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value
