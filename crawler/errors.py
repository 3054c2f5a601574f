"""Why a crawl is refused before it starts: each error's message names the mistake and the fix.

The CLI turns every :class:`ConfigError` into a usage error (exit code 2).
"""

from __future__ import annotations


class ConfigError(ValueError):
    """A crawl's settings, sources or start URLs cannot be used; nothing was crawled."""


__all__ = ["ConfigError"]
