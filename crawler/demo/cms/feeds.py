"""Discovery files of a generated site: RSS and Atom feeds, sitemaps (index, news), robots.txt."""

from __future__ import annotations

import random
from email.utils import format_datetime
from xml.sax.saxutils import escape as xml_escape

from crawler.demo.cms.model import Article, Site

FEED_ITEMS = 10
NEWS_SITEMAP_ITEMS = 6


def rss(site: Site, rng: random.Random) -> str:
    items = []
    for art in site.articles[:FEED_ITEMS]:
        url = xml_escape(site.url(art.path))
        parts = [
            f"<title>{xml_escape(art.title)}</title>",
            f"<link>{url}</link>",
            f'<guid isPermaLink="{"true" if rng.random() < 0.7 else "false"}">{url}</guid>',
            f"<pubDate>{format_datetime(art.published)}</pubDate>",
            f"<description>{xml_escape(art.description)}</description>",
        ]
        if art.authors and rng.random() < 0.5:
            parts.append(f"<dc:creator>{xml_escape(art.authors[0].label)}</dc:creator>")
        items.append("<item>" + "".join(parts) + "</item>")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>'
        f"<title>{xml_escape(site.name)}</title><link>{site.origin}/</link>"
        f"<description>{xml_escape(site.name)}</description>"
        f"<language>{site.lang.code}</language>\n" + "\n".join(items) + "\n</channel></rss>\n"
    )


def atom(site: Site, rng: random.Random, path: str) -> str:
    entries = []
    for art in site.articles[:FEED_ITEMS]:
        url = xml_escape(site.url(art.path))
        updated = (art.modified or art.published).isoformat()
        author = (
            f"<author><name>{xml_escape(art.authors[0].label)}</name></author>"
            if art.authors
            else ""
        )
        entries.append(
            f'<entry><title>{xml_escape(art.title)}</title><link rel="alternate" href="{url}"/>'
            f"<id>{url}</id><published>{art.published.isoformat()}</published>"
            f"<updated>{updated}</updated>{author}"
            f"<summary>{xml_escape(art.description)}</summary></entry>"
        )
    newest = site.articles[0].published.isoformat() if site.articles else "2025-03-01T00:00:00Z"
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>{xml_escape(site.name)}</title>"
        f'<link rel="self" href="{site.url(path)}"/><link href="{site.origin}/"/>'
        f"<id>{site.origin}/</id><updated>{newest}</updated>\n" + "\n".join(entries) + "\n</feed>\n"
    )


def urlset(site: Site, entries: list[tuple[str, str | None]]) -> str:
    urls = "\n".join(
        f"<url><loc>{xml_escape(site.url(path))}</loc>"
        + (f"<lastmod>{lastmod}</lastmod>" if lastmod else "")
        + "</url>"
        for path, lastmod in entries
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + urls + "\n</urlset>\n"
    )


def news_sitemap(site: Site, articles: list[Article]) -> str:
    urls = "\n".join(
        f"<url><loc>{xml_escape(site.url(a.path))}</loc><news:news><news:publication>"
        f"<news:name>{xml_escape(site.name)}</news:name><news:language>{site.lang.code}"
        f"</news:language></news:publication><news:publication_date>{a.published.isoformat()}"
        f"</news:publication_date><news:title>{xml_escape(a.title)}</news:title></news:news></url>"
        for a in articles
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">\n' + urls + "\n</urlset>\n"
    )


def sitemap_index(site: Site, children: list[str]) -> str:
    items = "\n".join(
        f"<sitemap><loc>{xml_escape(site.url(path))}</loc>"
        f"<lastmod>2025-03-14T18:00:00+00:00</lastmod></sitemap>"
        for path in children
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        + items
        + "\n</sitemapindex>\n"
    )


def sitemap_files(site: Site, rng: random.Random, claim: callable) -> dict[str, str]:
    """Every sitemap file of ``site`` by path (none when it has no sitemap)."""
    if not site.sitemaps:
        return {}
    articles = [(a.path, (a.modified or a.published).isoformat()) for a in site.articles]
    pages = [(x.path, None) for x in site.listings if x.kind in ("section", "category", "tag")]
    if site.sitemap_kind == "plain":
        entries = articles + (pages if rng.random() < 0.5 else [])
        return {site.sitemaps[0]: urlset(site, entries)}
    yoast = site.style == "wordpress"
    files: dict[str, str] = {}
    post = claim("/post-sitemap.xml" if yoast else "/sitemap-articles.xml")
    files[post] = urlset(site, articles)
    if rng.random() < 0.6:
        files[claim("/category-sitemap.xml" if yoast else "/sitemap-sections.xml")] = urlset(
            site, pages
        )
    if site.sitemap_kind == "news":
        files[claim("/news-sitemap.xml" if yoast else "/sitemap-news.xml")] = news_sitemap(
            site, site.articles[:NEWS_SITEMAP_ITEMS]
        )
    files[site.sitemaps[0]] = sitemap_index(site, list(files))
    return files


def robots(site: Site) -> str:
    lines = ["User-agent: *"] + [f"Disallow: {path}" for path in site.disallow]
    lines += [f"Sitemap: {site.url(path)}" for path in site.sitemaps]
    return "\n".join(lines) + "\n"
