"""Discovery: what a response is, judged from its bytes, and which URLs it leads to."""

import gzip

import pytest

from crawler.page.discovery import (
    Kind,
    html_links,
    is_crawlable,
    maybe_gunzip,
    parse_feed,
    parse_sitemap,
    sitemaps_from_robots,
    sniff_kind,
)

RSS = b"""<?xml version="1.0" encoding="UTF-8"?>
<?xml-stylesheet type="text/xsl" href="/feed.xsl"?>
<rss version="2.0"><channel><title>Courier</title>
<item><title>One</title><link>https://ex.com/news/one</link><pubDate>Tue, 03 Jun 2025 10:00:00 GMT</pubDate></item>
<item><title>Two</title><guid isPermaLink="true">https://ex.com/news/two</guid></item>
</channel></rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Wire</title>
<entry><title>A</title><link rel="alternate" href="/a"/><link rel="enclosure" href="/a.jpg"/>
<updated>2025-06-01T12:00:00Z</updated></entry>
</feed>"""

NEWS_SITEMAP = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>https://ex.com/news/one</loc>
 <news:news><news:publication><news:name>Ex</news:name><news:language>en</news:language></news:publication>
 <news:publication_date>2025-06-03T10:00:00+00:00</news:publication_date><news:title>One</news:title></news:news>
</url>
<url><loc>https://ex.com/news/two</loc><lastmod>2025-06-02</lastmod></url>
</urlset>"""

INDEX = b"""<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>https://ex.com/sitemap-news.xml</loc></sitemap>
<sitemap><loc>https://ex.com/sitemap-2025.xml.gz</loc></sitemap></sitemapindex>"""


@pytest.mark.parametrize(
    ("body", "ctype", "kind"),
    [
        (RSS, "text/html", Kind.FEED),  # a mislabelled feed is still a feed
        (ATOM, None, Kind.FEED),
        (NEWS_SITEMAP, "text/xml", Kind.SITEMAP),
        (INDEX, "application/octet-stream", Kind.SITEMAP_INDEX),
        (b"\xef\xbb\xbf<!DOCTYPE html><html><body>x</body></html>", None, Kind.HTML),
        (b"<!-- generated --><html lang=en>", "text/plain", Kind.HTML),
        (b"  <div>fragment</div>", "text/html; charset=utf-8", Kind.HTML),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "text/html", Kind.OTHER),
        (b"%PDF-1.7", "application/pdf", Kind.OTHER),
    ],
)
def test_sniff_kind(body: bytes, ctype: str | None, kind: Kind) -> None:
    assert sniff_kind(body, ctype) is kind


def test_parse_rss() -> None:
    entries = parse_feed(RSS, "https://ex.com/feed")
    assert [e.url for e in entries] == ["https://ex.com/news/one", "https://ex.com/news/two"]
    assert entries[0].published == "Tue, 03 Jun 2025 10:00:00 GMT"
    assert entries[0].title == "One"


def test_parse_atom_takes_the_alternate_link() -> None:
    entries = parse_feed(ATOM, "https://ex.com/atom.xml")
    assert [e.url for e in entries] == ["https://ex.com/a"]
    assert entries[0].published == "2025-06-01T12:00:00Z"


def test_parse_news_sitemap() -> None:
    pages, sitemaps = parse_sitemap(NEWS_SITEMAP, "https://ex.com/sitemap.xml")
    assert sitemaps == []
    assert [p.url for p in pages] == ["https://ex.com/news/one", "https://ex.com/news/two"]
    assert pages[0].published == "2025-06-03T10:00:00+00:00"
    assert pages[0].title == "One"
    assert pages[1].published == "2025-06-02"


def test_parse_sitemap_index_and_gzip() -> None:
    pages, sitemaps = parse_sitemap(gzip.compress(INDEX), "https://ex.com/sitemap.xml")
    assert pages == []
    assert sitemaps == ["https://ex.com/sitemap-news.xml", "https://ex.com/sitemap-2025.xml.gz"]


def test_gzip_bomb_is_refused() -> None:
    bomb = gzip.compress(b"\0" * 2_000_000)
    with pytest.raises(ValueError, match="inflates past"):
        maybe_gunzip(bomb, limit=1_000_000)


def test_xml_entities_are_not_expanded() -> None:
    evil = b"""<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>
    <urlset><url><loc>https://ex.com/&x;</loc></url></urlset>"""
    pages, _ = parse_sitemap(evil, "https://ex.com/")
    assert all("root:" not in p.url for p in pages)


def test_robots_sitemaps() -> None:
    robots = b"User-agent: *\nDisallow: /private/\nSitemap: https://ex.com/sitemap.xml\nsitemap: /news.xml\n"
    assert sitemaps_from_robots(robots, "https://ex.com/robots.txt") == [
        "https://ex.com/sitemap.xml",
        "https://ex.com/news.xml",
    ]


def test_html_links() -> None:
    html = b"""<html><head>
    <link rel="alternate" type="application/rss+xml" href="/feed.xml">
    <link rel="stylesheet" href="/s.css"></head><body>
    <a href="/news/one?utm_source=home#top">one</a>
    <a href="news/two">two</a>
    <a href="/news/one">again</a>
    <a href="javascript:void(0)">js</a><a href="mailto:a@b.c">mail</a>
    <a href="data:text/html,x">data</a><a href="/img/photo.jpg">photo</a>
    <a href="/ads" rel="sponsored nofollow">ad</a>
    <a href="https://other.org/x">away</a>
    <a href="http://ex.com:80a/bad-port">bad port</a><a href="http://[::1/broken">bad host</a>
    </body></html>"""
    links = html_links(html, "https://ex.com/section/")
    assert links.feeds == ["https://ex.com/feed.xml"]
    assert links.pages == [
        "https://ex.com/news/one",
        "https://ex.com/section/news/two",
        "https://other.org/x",
    ]


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://ex.com/a", True),
        ("ftp://ex.com/a", False),
        ("https://ex.com/a.PDF", False),
        ("https://ex.com/v1.2/story", True),
        ("https:///nohost", False),
        ("https://ex.com:8o8o/a", False),
        ("https://[::1/a", False),
    ],
)
def test_is_crawlable(url: str, ok: bool) -> None:
    assert is_crawlable(url) is ok
