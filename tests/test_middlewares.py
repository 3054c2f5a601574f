"""CharsetMiddleware: every HTML response leaves with the encoding its bytes agree with."""

from __future__ import annotations

from scrapy import Request
from scrapy.http import HtmlResponse, TextResponse
from scrapy.statscollectors import MemoryStatsCollector
from scrapy.utils.test import get_crawler

from crawler.middlewares import CharsetMiddleware

TEXT = "Der Bürgermeister eröffnete die Brücke über die Förde. " * 4


def middleware() -> CharsetMiddleware:
    crawler = get_crawler()
    crawler.stats = MemoryStatsCollector(crawler)
    return CharsetMiddleware.from_crawler(crawler)


def html(body: bytes, content_type: bytes = b"text/html") -> HtmlResponse:
    request = Request("http://127.0.0.1:8000/news/1.html", meta={"source": "s"})
    return HtmlResponse(
        url=request.url,
        status=200,
        headers={b"Content-Type": content_type, b"ETag": b'"1"'},
        body=body,
        flags=["cached"],
        request=request,
        ip_address=None,
        protocol="HTTP/1.1",
    )


def test_a_page_without_declared_charset_gets_the_one_its_bytes_read_as() -> None:
    body = f"<html><body><p>{TEXT}</p></body></html>".encode("cp1252")
    response = html(body)
    result = middleware().process_response(response.request, response)
    assert type(result) is HtmlResponse
    assert result.encoding == "cp1252"
    assert TEXT in result.text
    expected = response.replace(encoding="cp1252")
    for name in expected.attributes:
        assert getattr(result, name) == getattr(expected, name), name


def test_a_lying_header_is_overruled_and_counted() -> None:
    mw = middleware()
    response = html(f"<p>{TEXT}</p>".encode(), b"text/html; charset=iso-8859-1")
    result = mw.process_response(response.request, response)
    assert result.encoding == "utf-8"
    assert TEXT in result.text
    assert mw.stats.get_value("newsdedup/charset/utf-8") == 1


def test_other_responses_pass_untouched() -> None:
    response = TextResponse(url="http://127.0.0.1:8000/feed.xml", body=b"<rss/>")
    assert middleware().process_response(response.request, response) is response
    empty = html(b"")
    assert middleware().process_response(empty.request, empty) is empty
