"""Canonical URLs: tracking and AMP-style variants of one page collapse to one spelling."""

import pytest

from crawler.urls import canonicalize, site_of


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("HTTPS://WWW.Example.COM/News/a?b=2&a=1", "https://www.example.com/News/a?a=1&b=2"),
        ("https://example.com/a?utm_source=x&utm_medium=y", "https://example.com/a"),
        ("https://example.com/a?fbclid=1&gclid=2&id=7#comments", "https://example.com/a?id=7"),
        ("https://example.com:443/a", "https://example.com/a"),
        ("http://example.com:80", "http://example.com/"),
        ("http://127.0.0.1:8080/x", "http://127.0.0.1:8080/x"),
        ("https://user:pw@example.com/a", "https://example.com/a"),
    ],
)
def test_canonicalize(url: str, expected: str) -> None:
    assert canonicalize(url) == expected


def test_canonicalize_is_idempotent() -> None:
    url = "https://Example.com/x/?utm_campaign=c&q=a+b&p=1#top"
    assert canonicalize(canonicalize(url)) == canonicalize(url)


@pytest.mark.parametrize(
    ("url", "site"),
    [
        ("https://www.example.com/a", "example.com"),
        ("https://news.example.com/a", "news.example.com"),
        ("http://127.0.0.1:8123/a", "127.0.0.1:8123"),
        ("https://example.com:443/a", "example.com"),
    ],
)
def test_site_of(url: str, site: str) -> None:
    assert site_of(url) == site
