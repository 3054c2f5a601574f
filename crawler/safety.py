"""Where the crawler may connect: http(s) only, never to private or metadata addresses (SSRF).

The check is made on the address a connection is actually opened to: the DNS resolver Scrapy
connects with refuses non-public answers, so a host name that resolves to a public address when
a link is checked and to 169.254.169.254 when it is fetched (DNS rebinding) gets nowhere. IP
literals in URLs are refused before any request, and a response is checked once more against
the address it came from. Start URLs on a private network (an intranet, a test server on
127.0.0.1) are trusted with their own addresses; ``NEWSDEDUP_ALLOWED_NETWORKS`` trusts more.
"""

from __future__ import annotations

import ipaddress
import logging
import threading
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import urljoin, urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import CannotResolveHostError, IgnoreRequest
from scrapy.http import Response
from scrapy.resolver import CachingThreadedResolver
from twisted.internet.defer import Deferred
from twisted.internet.error import DNSLookupError

logger = logging.getLogger(__name__)

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
SAFE_SCHEMES = frozenset({"http", "https"})


class Refused(IgnoreRequest):
    """A request the crawler will not make or a response it will not use, with a reason code.

    ``reason`` goes to the fetch log and the stats (e.g. "blocked_address", "redirect_loop").
    """

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


class BlockedAddress(DNSLookupError):
    """A host name resolved to an address the crawler must not connect to."""


def _ip(text: str) -> IPAddress | None:
    try:
        ip = ipaddress.ip_address(text.split("%", 1)[0].strip("[]"))
    except ValueError:
        return None
    # An IPv4-mapped IPv6 address (::ffff:10.0.0.1) is the IPv4 address it maps.
    mapped = getattr(ip, "ipv4_mapped", None)
    return mapped or ip


def describe(ip: IPAddress) -> str:
    """Name the kind of non-public address ``ip`` is, for messages."""
    if ip.is_loopback:
        return "loopback"
    if ip.is_link_local:
        return "link-local (cloud metadata)"
    if ip.is_private:
        return "private"
    if ip.is_multicast:
        return "multicast"
    if ip.is_unspecified:
        return "unspecified"
    return "reserved"


class AddressPolicy:
    """Which non-public addresses this process may connect to.

    One per process: Scrapy builds the DNS resolver for the whole process, not for a crawler,
    so the resolver, the middleware and the spider meet here.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.networks: list[IPNetwork] = []
        self.trusted_hosts: set[str] = set()
        self.trusted_addresses: set[IPAddress] = set()
        self.blocked: dict[str, str] = {}  # host -> why it was refused (for the fetch log)

    def configure(self, networks: Iterable[str]) -> None:
        """Trust these networks (CIDR strings); raises ValueError naming a malformed one."""
        parsed = []
        for text in networks:
            try:
                parsed.append(ipaddress.ip_network(text.strip(), strict=False))
            except ValueError as exc:
                raise ValueError(
                    f"NEWSDEDUP_ALLOWED_NETWORKS: {text!r} is not a network; write it as "
                    "CIDR, e.g. 10.0.0.0/8 or 127.0.0.1/32"
                ) from exc
        with self._lock:
            self.networks = parsed

    def trust_start_urls(self, urls: Iterable[str]) -> None:
        """Trust the hosts of start URLs: a start URL on a private network means crawl it."""
        with self._lock:
            for url in urls:
                host = (urlsplit(url).hostname or "").lower()
                ip = _ip(host)
                if ip is not None:
                    self.trusted_addresses.add(ip)
                elif host:
                    self.trusted_hosts.add(host)

    def check(self, host: str, address: str) -> str | None:
        """Return why connecting to ``address`` (for ``host``) is refused, or None if allowed."""
        ip = _ip(address)
        if ip is None:
            return f"{host} gave {address!r}, which is not an IP address"
        if ip.is_global and not ip.is_multicast:
            return None
        host = host.lower()
        with self._lock:
            if ip in self.trusted_addresses or any(ip in net for net in self.networks):
                return None
            if host in self.trusted_hosts:
                # The start URL's host lives on this network; its address is trusted from now.
                self.trusted_addresses.add(ip)
                return None
        via = "" if host == str(ip) else f"{host} resolves to "
        return (
            f"{via}{ip}, a {describe(ip)} address; not crawled unless a start URL is on it or "
            "NEWSDEDUP_ALLOWED_NETWORKS includes it"
        )

    def note_blocked(self, host: str, reason: str) -> None:
        with self._lock:
            self.blocked[host.lower()] = reason

    def blocked_reason(self, host: str) -> str | None:
        with self._lock:
            return self.blocked.get(host.lower())


POLICY = AddressPolicy()


class GuardedResolver(CachingThreadedResolver):
    """Scrapy's caching resolver, refusing answers the address policy does not allow.

    Every connection Scrapy opens to a host name goes through here, so the address checked is
    the address connected to.
    """

    def getHostByName(  # noqa: N802 - Twisted's interface name
        self, name: str, timeout: Sequence[int] = ()
    ) -> Deferred[str]:
        deferred = super().getHostByName(name, timeout)
        deferred.addCallback(self._vet, name)
        return deferred

    @staticmethod
    def _vet(address: str, name: str) -> str:
        reason = POLICY.check(name, address)
        if reason is not None:
            POLICY.note_blocked(name, reason)
            logger.warning("not connecting: %s", reason)
            raise BlockedAddress(reason)
        return address


class AddressGuardMiddleware:
    """Refuse non-http(s) URLs and non-public IP literals before any request (robots.txt
    included), and any response that came from an address the policy does not allow."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        POLICY.configure(crawler.settings.getlist("NEWSDEDUP_ALLOWED_NETWORKS"))

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> AddressGuardMiddleware:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        parts = urlsplit(request.url)
        if parts.scheme not in SAFE_SCHEMES:
            raise Refused("bad_scheme", f"{request.url}: only http and https URLs are fetched")
        host = parts.hostname or ""
        if _ip(host) is not None:
            reason = POLICY.check(host, host)
            if reason is not None:
                POLICY.note_blocked(host, reason)
                raise Refused("blocked_address", f"{request.url}: {reason}")

    def process_response(self, request: Request, response: Response) -> Response:
        address = getattr(response, "ip_address", None)
        if address is not None:
            host = urlsplit(response.url).hostname or ""
            reason = POLICY.check(host, str(address))
            if reason is not None:
                raise Refused("blocked_address", f"{response.url}: {reason}")
        return response


class RedirectGuardMiddleware:
    """Stop redirect loops, over-long chains and redirects to other schemes with a reason.

    Runs before Scrapy's redirect middleware sees the response. Without it a loop ends in the
    duplicate filter without a trace, and a chain ends in a bare IgnoreRequest.
    """

    def __init__(self, max_redirects: int) -> None:
        self.max_redirects = max_redirects

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedirectGuardMiddleware:
        return cls(crawler.settings.getint("REDIRECT_MAX_TIMES"))

    def process_response(self, request: Request, response: Response) -> Response:
        if response.status not in (301, 302, 303, 307, 308) or request.meta.get("dont_redirect"):
            return response
        location = response.headers.get(b"Location")
        if not location:
            return response
        target = _absolute(request.url, location.decode("latin-1"))
        scheme = urlsplit(target).scheme.lower()
        if scheme not in SAFE_SCHEMES:
            raise Refused(
                "bad_redirect", f"{request.url} redirects to {target[:200]!r}, not an http(s) URL"
            )
        chain: list[str] = [*request.meta.get("redirect_urls", []), request.url]
        if _strip_fragment(target) in {_strip_fragment(url) for url in chain}:
            raise Refused(
                "redirect_loop", f"{chain[0]} redirects in a loop: {' -> '.join(chain + [target])}"
            )
        if len(chain) > self.max_redirects:
            raise Refused(
                "too_many_redirects",
                f"{chain[0]} redirects more than {self.max_redirects} times (REDIRECT_MAX_TIMES)",
            )
        return response


def _absolute(base: str, location: str) -> str:
    return urljoin(base, location.strip())


def _strip_fragment(url: str) -> str:
    return url.split("#", 1)[0]


def failure_reason(exc: Any, url: str) -> tuple[str, str] | None:
    """``(reason, detail)`` for errors raised by this module, or None for any other error."""
    if isinstance(exc, Refused):
        return exc.reason, exc.detail
    if isinstance(exc, (CannotResolveHostError, DNSLookupError)):
        # The resolver's refusal reaches us as "no address found"; it left the reason here.
        blocked = POLICY.blocked_reason(urlsplit(url).hostname or "")
        if blocked is not None:
            return "blocked_address", f"{url}: {blocked}"
    return None


__all__ = [
    "POLICY",
    "AddressGuardMiddleware",
    "AddressPolicy",
    "BlockedAddress",
    "GuardedResolver",
    "RedirectGuardMiddleware",
    "Refused",
    "failure_reason",
]
