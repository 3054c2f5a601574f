"""Meta-refresh redirects are followed without decoding pages that cannot hold one."""

from __future__ import annotations

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from crawler import settings as project_settings
from crawler.middlewares import HeadMetaRefreshMiddleware

URL = "https://news.example/2025/old-address"
STORY = "<p>" + "The harbour ferry runs again after the storm. " * 400 + "</p>"


class UndecodedResponse(HtmlResponse):
    """A response that fails the test if anything decodes its whole body."""

    @property
    def text(self) -> str:
        raise AssertionError("the whole page was decoded")


@pytest.fixture
def middleware() -> HeadMetaRefreshMiddleware:
    settings = {k: v for k, v in vars(project_settings).items() if k.isupper()}
    return HeadMetaRefreshMiddleware.from_crawler(get_crawler(settings_dict=settings))


def test_scrapy_middleware_is_replaced_by_ours() -> None:
    middlewares = project_settings.DOWNLOADER_MIDDLEWARES
    assert middlewares["scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware"] is None
    assert middlewares["crawler.middlewares.HeadMetaRefreshMiddleware"] == 580


def test_page_without_refresh_is_passed_on_undecoded(middleware: HeadMetaRefreshMiddleware) -> None:
    body = f"<html><head><title>Ferry</title></head><body>{STORY}</body></html>".encode()
    response = UndecodedResponse(URL, body=body, encoding="utf-8")
    assert middleware.process_response(Request(URL), response) is response


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_refresh_in_the_head_still_redirects(
    middleware: HeadMetaRefreshMiddleware, encoding: str
) -> None:
    html = (
        '<html><head><META HTTP-EQUIV="Refresh" CONTENT="0; url=/2025/new-address">'
        f"</head><body>{STORY}</body></html>"
    )
    response = HtmlResponse(URL, body=html.encode(encoding), encoding=encoding)
    redirected = middleware.process_response(Request(URL), response)
    assert isinstance(redirected, Request)
    # (For UTF-16 pages, Scrapy's own URL quoting appends the encoded byte-order mark.)
    assert redirected.url.startswith("https://news.example/2025/new-address")


def test_refresh_after_the_first_characters_is_ignored_as_scrapy_does(
    middleware: HeadMetaRefreshMiddleware,
) -> None:
    html = f'<html><body>{STORY}<meta http-equiv="refresh" content="0; url=/x"></body></html>'
    response = HtmlResponse(URL, body=html.encode(), encoding="utf-8")
    assert middleware.process_response(Request(URL), response) is response
