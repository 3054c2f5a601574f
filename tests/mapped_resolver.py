"""A name resolver for crawl tests: names listed in NEWSDEDUP_TEST_HOSTS ("name=address,...")
resolve to their address, every other name as usual.

Installed with ``-s TWISTED_DNS_RESOLVER=mapped_resolver.MappedResolver`` (``tests`` on the
crawl's PYTHONPATH). It sits under the crawl's own resolver in the class order, so the address
guard checks what it answers as it would check a DNS server's answer.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from scrapy.resolver import CachingThreadedResolver
from twisted.internet import defer

from crawler.safety import GuardedResolver


def _hosts() -> dict[str, str]:
    pairs = (item.split("=", 1) for item in os.environ.get("NEWSDEDUP_TEST_HOSTS", "").split(","))
    return {name.strip().lower(): address.strip() for name, address in pairs if address}


class _Lookup(CachingThreadedResolver):
    def getHostByName(  # noqa: N802 - Twisted's interface name
        self, name: str, timeout: Sequence[int] = ()
    ) -> defer.Deferred[str]:
        address = _hosts().get(name.lower())
        if address is not None:
            return defer.succeed(address)
        return super().getHostByName(name, timeout)


class MappedResolver(GuardedResolver, _Lookup):
    """GuardedResolver whose lookups go through the test's table first."""
