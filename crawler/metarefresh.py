"""Meta-refresh redirects without decoding every page: Scrapy's check, run only where it can hit."""

from __future__ import annotations

from scrapy import Request
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware
from scrapy.http import HtmlResponse, Response

# Scrapy looks for a refresh in the first 4,096 characters of a page; in UTF-8 and every other
# ASCII-compatible encoding a character takes at most four bytes.
_HEAD_BYTES = 4 * 4096


class HeadMetaRefreshMiddleware(MetaRefreshMiddleware):
    """Scrapy's ``MetaRefreshMiddleware``, skipped for pages that cannot hold a refresh.

    Scrapy reads the refresh from ``response.text[:4096]``, which decodes the whole page first
    and keeps the text on the response for as long as the response lives: on news pages of
    ~260 KiB, that text was the largest use of the crawl process's memory (55 MiB at the peak of
    the throughput benchmark) and a full decode of every page. A refresh needs the word
    "refresh" in those first characters, so a page whose opening bytes lack it, in any case, is
    passed on as it is. Pages with NUL bytes there (UTF-16 or UTF-32, where the word is not
    spelled in ASCII bytes) get Scrapy's check as before.
    """

    def process_response(self, request: Request, response: Response) -> Request | Response:
        if isinstance(response, HtmlResponse):
            head = response.body[:_HEAD_BYTES]
            if b"\x00" not in head and b"refresh" not in head.lower():
                return response
        return super().process_response(request, response)
