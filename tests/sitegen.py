"""Small news worlds written on the fly for crawl tests: sites, articles, feeds, sitemaps.

Each site has a homepage and a section page linking to its articles, an RSS feed and a sitemap
with dates, and a robots.txt naming the sitemap and disallowing /private/. Some stories are
carried by several sites with a sentence changed (near duplicates). Texts are made of seeded
random words so every unrelated article is clearly different from every other.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

WORDS = (
    "harbour council ferry budget rail strike union minister bridge river storm flood "
    "school teacher hospital nurse market bakery factory port museum library festival "
    "election mayor police court judge tax water energy grid wind solar farm harvest "
    "tourism airport runway train station road tunnel housing rent tenant landlord "
    "climate research university student science doctor patient vaccine clinic league "
    "match goal season coach player final record crowd stadium ticket price wage pension"
).split()
PUBLISHED = "2025-03-{day:02d}T08:00:00+00:00"


@dataclass
class Article:
    site: str
    path: str
    title: str
    paragraphs: list[str]
    day: int
    modified: str | None = None  # sitemap lastmod, if not the publication day


@dataclass
class Site:
    folder: str
    origin: str
    articles: list[Article] = field(default_factory=list)
    extra_files: dict[str, str | bytes] = field(default_factory=dict)


def sentences(rng: random.Random, count: int) -> list[str]:
    out = []
    for _ in range(count):
        words = [rng.choice(WORDS) for _ in range(rng.randint(12, 18))]
        out.append(" ".join(words).capitalize() + ".")
    return out


def paragraphs(rng: random.Random, count: int = 4) -> list[str]:
    return [" ".join(sentences(rng, 3)) for _ in range(count)]


def article_html(site: Site, article: Article, charset: str = "utf-8") -> str:
    url = f"{site.origin}{article.path}"
    ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "datePublished": PUBLISHED.format(day=article.day),
        "author": {"@type": "Person", "name": "Sam Writer"},
    }
    body = "\n".join(f"<p>{p}</p>" for p in article.paragraphs)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="{charset}">
<title>{article.title} | {site.folder}</title>
<link rel="canonical" href="{url}">
<meta property="og:type" content="article">
<meta property="og:url" content="{url}">
<meta property="og:title" content="{article.title}">
<script type="application/ld+json">{json.dumps(ld)}</script>
</head><body>
<header><a href="/">Home</a> <a href="/news/">News</a></header>
<article><h1>{article.title}</h1>
{body}
</article>
<footer><a href="/about/">About us</a></footer>
</body></html>
"""


def listing_html(site: Site, title: str, articles: list[Article], extra: str = "") -> str:
    links = "\n".join(f'<li><a href="{a.path}">{a.title}</a></li>' for a in articles)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<link rel="alternate" type="application/rss+xml" href="/feed.xml">
<meta property="og:type" content="website">
</head><body><h1>{title}</h1>
<nav><a href="/">Home</a> <a href="/news/">News</a> <a href="/about/">About</a></nav>
<ul>{links}</ul>
<p><a href="/private/drafts.html">Drafts</a></p>
{extra}
</body></html>
"""


def feed_xml(site: Site) -> str:
    items = "\n".join(
        f"<item><title>{a.title}</title><link>{site.origin}{a.path}</link>"
        f"<pubDate>{a.day:02d} Mar 2025 08:00:00 +0000</pubDate></item>"
        for a in site.articles
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
        f"<title>{site.folder}</title><link>{site.origin}/</link>\n{items}\n</channel></rss>\n"
    )


def sitemap_xml(site: Site) -> str:
    urls = "\n".join(
        f"<url><loc>{site.origin}{a.path}</loc>"
        f"<lastmod>{a.modified or PUBLISHED.format(day=a.day)}</lastmod></url>"
        for a in site.articles
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"{urls}\n</urlset>\n"
    )


def write_site(root: Path, site: Site, start: list[str]) -> None:
    folder = root / site.folder
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "_world.json").write_text(
        json.dumps({"origin": site.origin, "start": start}), encoding="utf-8"
    )
    files: dict[str, str | bytes] = {
        "index.html": listing_html(site, f"{site.folder} front page", site.articles[:6]),
        "news/index.html": listing_html(site, "News", site.articles),
        "about/index.html": "<!DOCTYPE html><html><head><title>About</title></head>"
        "<body><h1>About us</h1><p>A small paper.</p></body></html>",
        "private/drafts.html": "<!DOCTYPE html><html><body>secret drafts</body></html>",
        "feed.xml": feed_xml(site),
        "sitemap.xml": sitemap_xml(site),
        "robots.txt": f"User-agent: *\nDisallow: /private/\nSitemap: {site.origin}/sitemap.xml\n",
    }
    for article in site.articles:
        files[
            article.path.strip("/") + ("" if article.path.endswith(".html") else "/index.html")
        ] = article_html(site, article)
    files.update(site.extra_files)
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


def build_world(
    root: Path, sites: int = 2, per_site: int = 6, shared: int = 2, seed: int = 7
) -> list[Site]:
    """Write a world of ``sites`` sites under ``root``; return its sites.

    Each site has ``per_site`` own articles plus ``shared`` stories that every site carries
    (the first site's text, with one sentence changed on the others).
    """
    rng = random.Random(seed)
    made = [
        Site(f"site-{chr(ord('a') + i)}", f"https://www.site-{chr(ord('a') + i)}.example")
        for i in range(sites)
    ]
    shared_texts = [paragraphs(rng, 5) for _ in range(shared)]
    for index, site in enumerate(made):
        for n in range(per_site):
            day = 1 + (n % 27)
            site.articles.append(
                Article(
                    site.folder,
                    f"/news/2025/03/{day:02d}/{site.folder}-story-{n}/",
                    f"{site.folder.title()} story number {n}",
                    paragraphs(rng),
                    day,
                )
            )
        for n, text in enumerate(shared_texts):
            copy = list(text)
            if index:
                copy[1] = copy[1] + f" Reporting by {site.folder} staff."
            site.articles.append(
                Article(
                    site.folder,
                    f"/news/2025/03/20/shared-story-{n}/",
                    f"Shared story {n} as told by {site.folder}",
                    copy,
                    20,
                )
            )
    return made


def write_world(root: Path, sites: list[Site], start: list[str] | None = None) -> None:
    for site in sites:
        write_site(root, site, start or ["/", "/feed.xml"])


# A whole crawl of a small world takes a few seconds; a hung crawl must not hang the suite.
CRAWL_TIMEOUT = 90
# Local test servers need no politeness; tests of politeness set their own values.
FAST = ["-s", "AUTOTHROTTLE_ENABLED=0", "-s", "DOWNLOAD_DELAY=0"]
ROOT = Path(__file__).resolve().parent.parent


def crawl_command(db: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "crawler.cli", "crawl", "--db", str(db), *FAST, *args]


def crawl(db: Path, *args: str, timeout: float = CRAWL_TIMEOUT) -> subprocess.CompletedProcess[str]:
    """Run ``newsdedup crawl`` in a subprocess; return the CompletedProcess."""
    return subprocess.run(
        crawl_command(db, *args),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
