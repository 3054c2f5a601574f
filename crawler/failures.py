"""Why a request failed, as a reason code for the fetch log and a sentence for people."""

from __future__ import annotations

from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import (
    ConnectionRefusedError,
    DNSLookupError,
    TCPTimedOutError,
    TimeoutError,
)
from twisted.python.failure import Failure

from crawler import safety
from storage.outcomes import ROBOTS_TXT, TIMEOUT, TOO_LARGE

# Errors of the download itself, by exception type.
_REASONS: tuple[tuple[type[BaseException], str], ...] = (
    (CannotResolveHostError, "dns_error"),
    (DNSLookupError, "dns_error"),
    (DownloadConnectionRefusedError, "connection_refused"),
    (ConnectionRefusedError, "connection_refused"),
    (DownloadTimeoutError, TIMEOUT),
    (TimeoutError, TIMEOUT),
    (TCPTimedOutError, TIMEOUT),
    (ResponseDataLossError, "data_loss"),
    (DownloadFailedError, "download_failed"),
)


def failure_reason(failure: Failure, url: str) -> tuple[str, int | None, str]:
    """``(reason, HTTP status, detail)`` for a failed request, for the fetch log."""
    if failure.check(HttpError):
        status = failure.value.response.status
        return f"http_{status}", status, f"the server answered HTTP {status}"
    exc = failure.value
    known = safety.failure_reason(exc, url)
    if known is not None:
        return known[0], None, known[1]
    text = str(exc) or type(exc).__name__
    if isinstance(exc, DownloadCancelledError) and "max size" in text:
        return TOO_LARGE, None, text
    if isinstance(exc, IgnoreRequest):
        if "robots.txt" in text:
            return ROBOTS_TXT, None, "disallowed by robots.txt"
        if "decompression" in text:
            return "decompression_limit", None, text
        if "redirection" in text:
            return "too_many_redirects", None, text
        return "ignored", None, text
    reason = next((name for kind, name in _REASONS if failure.check(kind)), None)
    return reason or "download_error", None, text


__all__ = ["failure_reason"]
