"""HTML page templates of the three demo sites: a daily newspaper, a wire service, a WordPress blog.

Each site wraps the same kind of content in its own markup, the way real CMSs do: different
class names, byline and date shapes, caption and related-news blocks, and boilerplate lines
(share, newsletter, copyright) in and around the article body.
"""

# HTML lines are kept whole, as a CMS would print them, so they may pass the line length.
# ruff: noqa: E501

from __future__ import annotations

import json
from datetime import datetime
from html import escape

from crawler.demo.stories import Story
from crawler.demo.world import Placement, Site

UTM_HOME = "?utm_source=homepage&utm_medium=web&utm_campaign=frontpage"
UTM_RELATED = "?utm_source=related&utm_medium=article"
UTM_SECTION = "?utm_source=section&utm_medium=web"


def url(site: Site, path: str) -> str:
    """Absolute URL of ``path`` on ``site``'s fake origin."""
    return site.origin + path


def long_date(iso: str) -> str:
    """'2025-03-12T09:40:00+01:00' -> 'March 12, 2025'."""
    moment = datetime.fromisoformat(iso)
    return f"{moment:%B} {moment.day}, {moment.year}"


def clock(iso: str) -> str:
    moment = datetime.fromisoformat(iso)
    return f"{moment:%H:%M}"


def ld_json(data: object) -> str:
    body = json.dumps(data, ensure_ascii=False, indent=2).replace("</", "<\\/")
    return f'<script type="application/ld+json">\n{body}\n</script>'


def story_of(site: Site, key: str) -> Placement:
    return site.placement(key)


def feed_link(site: Site) -> str:
    if site.template == "wire":
        return (
            f'<link rel="alternate" type="application/atom+xml" title="{escape(site.name)}" '
            f'href="{url(site, "/atom.xml")}">'
        )
    path = "/feed.xml" if site.template == "courier" else "/feed/"
    return (
        f'<link rel="alternate" type="application/rss+xml" title="{escape(site.name)} &raquo; '
        f'Feed" href="{url(site, path)}">'
    )


def news_article_ld(site: Site, placement: Placement) -> dict:
    story = placement.story
    data: dict = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": url(site, placement.path)},
        "headline": story.title,
        "description": story.description,
        "image": [url(site, f"/images/{story.image}")],
        "datePublished": story.published,
        "author": [{"@type": "Person", "name": name} for name in story.authors],
        "publisher": {
            "@type": "Organization",
            "name": site.name,
            "logo": {"@type": "ImageObject", "url": url(site, "/static/logo.png")},
        },
        "articleSection": site.sections[story.section],
        "keywords": list(story.tags),
        "inLanguage": "en",
    }
    if story.modified:
        data["dateModified"] = story.modified
    return data


def og_article(site: Site, placement: Placement) -> str:
    story = placement.story
    lines = [
        '<meta property="og:type" content="article">',
        f'<meta property="og:title" content="{escape(story.title)}">',
        f'<meta property="og:description" content="{escape(story.description)}">',
        f'<meta property="og:url" content="{url(site, placement.path)}">',
        f'<meta property="og:site_name" content="{escape(site.name)}">',
        f'<meta property="og:image" content="{url(site, "/images/" + story.image)}">',
        '<meta property="og:locale" content="en_GB">',
        f'<meta property="article:published_time" content="{story.published}">',
    ]
    if story.modified:
        lines.append(f'<meta property="article:modified_time" content="{story.modified}">')
    lines.append(
        f'<meta property="article:section" content="{escape(site.sections[story.section])}">'
    )
    lines += [f'<meta property="article:tag" content="{escape(tag)}">' for tag in story.tags]
    return "\n".join(lines)


def og_website(site: Site, path: str, title: str, kind: str = "website") -> str:
    return "\n".join(
        [
            f'<meta property="og:type" content="{kind}">',
            f'<meta property="og:title" content="{escape(title)}">',
            f'<meta property="og:url" content="{url(site, path)}">',
            f'<meta property="og:site_name" content="{escape(site.name)}">',
        ]
    )


def byline_link(site: Site, name: str, prefix: str) -> str:
    author = site.author(name)
    if author is None:
        return escape(name)
    return f'<a href="{url(site, prefix + author.slug + "/")}" rel="author">{escape(name)}</a>'


def paragraphs_html(story: Story, extra: dict[int, str] | None = None) -> list[str]:
    """The story's paragraphs as ``<p>`` elements, with ``extra`` HTML inserted after index i."""
    out = []
    for index, text in enumerate(story.paragraphs):
        out.append(f"<p>{escape(text, quote=False)}</p>")
        if extra and index in extra:
            out.append(extra[index])
    return out


def share_links(site: Site, placement: Placement, sep: str) -> str:
    target = escape(url(site, placement.path))
    links = [
        f'<a href="https://share.social.example/facebook?u={target}">Facebook</a>',
        f'<a href="https://share.social.example/x?u={target}">X</a>',
        f'<a href="https://share.social.example/whatsapp?u={target}">WhatsApp</a>',
        f'<a href="mailto:?subject={escape(placement.story.title)}&amp;body={target}">Email</a>',
    ]
    return sep.join(links)


# -- The Daily Courier: a daily newspaper, Dawn-like story layout ----------------------------------


class Courier:
    """www.daily-courier.example: a national daily with a Dawn-like article page."""

    SHARE = "Share this article:"
    NEWSLETTER = "Get the Courier Morning Briefing in your inbox every weekday."

    def __init__(self, site: Site) -> None:
        self.site = site

    def shell(self, *, title: str, head: str, body: str, body_class: str) -> str:
        site = self.site
        menu = "\n".join(
            f'<li><a href="{url(site, "/" + slug + "/")}">{escape(label)}</a></li>'
            for slug, label in site.sections.items()
        )
        most_read = "\n".join(
            f'<li><a href="{url(site, p.path)}{UTM_SECTION}">{escape(p.story.title)}</a></li>'
            for p in site.articles[:3]
        )
        return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title>
{head}
{feed_link(site)}
<link rel="stylesheet" href="{url(site, "/static/courier.css")}">
</head>
<body class="{body_class}">
<div class="top-bar">Thursday, March 14, 2025 | <a href="{url(site, "/newsletter/")}">Newsletters</a> | <a href="{url(site, "/search/?q=tram+extension")}">Search</a></div>
<header class="masthead">
<a class="masthead__logo" href="{url(site, "/")}"><img src="{url(site, "/static/logo.png")}" alt="The Daily Courier"></a>
<nav class="nav"><ul>
<li><a href="{url(site, "/")}">Home</a></li>
{menu}
<li><a href="{url(site, "/tag/transport/")}">Transport</a></li>
</ul></nav>
</header>
<main class="container">
{body}
<aside class="sidebar">
<h2 class="box__title">Most Read</h2>
<ol class="most-read">
{most_read}
<li><a href="{url(site, "/news/tram-extension")}">Tram to the airport: council says yes</a></li>
</ol>
<div class="newsletter-box"><p>{self.NEWSLETTER}</p><a href="{url(site, "/newsletter/")}">Sign up</a></div>
</aside>
</main>
<footer class="footer">
<p>Partner sites: <a href="https://wire.cpa-news.example/">Continental Press Agency</a> · <a href="https://valleyherald.example/">Valley Herald</a></p>
<p><a href="{url(site, "/about/")}">About us</a> · <a href="{url(site, "/private/drafts/varga-interview-embargoed/")}">Staff area</a> · <a href="{url(site, "/feed.xml")}">RSS</a></p>
<p>© 2025 The Daily Courier. All rights reserved.</p>
</footer>
</body>
</html>
"""

    def related_block(self, placement: Placement) -> str:
        site = self.site
        teasers = []
        for key in placement.related:
            other = story_of(site, key)
            teasers.append(
                f"""<article class="story story--small">
<h3 class="story__title"><a href="{url(site, other.path)}{UTM_RELATED}">{escape(other.story.title)}</a></h3>
<div class="story__excerpt">{escape(other.story.description)}</div>
</article>"""
            )
        items = "\n".join(teasers)
        return f"""<section class="story__related">
<h2 class="box__title">Related News</h2>
{items}
<a class="story__more" href="{url(site, "/" + placement.story.section + "/")}">Read More…</a>
</section>"""

    def article(self, placement: Placement) -> str:
        site, story = self.site, placement.story
        extra: dict[int, str] = {}
        if placement.inline:
            other = story_of(site, placement.inline)
            extra[2] = (
                f'<p><strong>Also read:</strong> <a href="{url(site, other.path)}{UTM_RELATED}">'
                f"{escape(other.story.title)}</a></p>"
            )
        body_paragraphs = "\n".join(paragraphs_html(story, extra))
        byline = placement.credit or " and ".join(
            byline_link(site, n, "/author/") for n in story.authors
        )
        head = [
            f'<meta name="description" content="{escape(story.description)}">',
            f'<meta name="author" content="{escape(", ".join(story.authors))}">',
            f'<link rel="canonical" href="{url(site, placement.path)}">',
        ]
        if placement.amp:
            head.append(f'<link rel="amphtml" href="{url(site, "/amp" + placement.path)}">')
        head += [og_article(site, placement), ld_json(news_article_ld(site, placement))]
        tools = []
        if placement.printable:
            tools.append(f'<a href="{url(site, placement.path + "print/")}">Print</a>')
        if placement.amp:
            tools.append(f'<a href="{url(site, "/amp" + placement.path)}">Lite version</a>')
        tags = ", ".join(
            f'<a href="{url(site, "/tag/" + t + "/")}">{escape(t)}</a>' for t in story.tags
        )
        section = site.sections[story.section]
        body = f"""<article class="story">
<div class="story__header">
<a class="story__section" href="{url(site, "/" + story.section + "/")}">{escape(section)}</a>
<h1 class="story__title">{escape(story.title)}</h1>
<div class="story__byline"><span class="story__byline-name">By {byline}</span>
<span class="story__time">Published <time datetime="{story.published}">{long_date(story.published)} {clock(story.published)}</time></span></div>
<div class="story__tools">{" | ".join(tools)}</div>
</div>
<figure class="media">
<div class="media__item"><img src="{url(site, "/images/" + story.image)}" alt="{escape(story.caption)}" width="800" height="480"></div>
<figcaption class="media__caption">{escape(story.caption, quote=False)}</figcaption>
</figure>
<div class="story__content">
<p>{escape(story.caption, quote=False)}</p>
{body_paragraphs}
</div>
<div class="story__share">{self.SHARE} {share_links(site, placement, " ")}</div>
<div class="story__tags">Tags: {tags}</div>
{self.related_block(placement)}
</article>"""
        return self.shell(
            title=f"{story.title} - The Daily Courier",
            head="\n".join(head),
            body=body,
            body_class="story-page",
        )

    def amp(self, placement: Placement) -> str:
        site, story = self.site, placement.story
        body_paragraphs = "\n".join(paragraphs_html(story))
        related = "\n".join(
            f'<li><a href="{url(site, "/amp" + story_of(site, k).path)}">'
            f"{escape(story_of(site, k).story.title)}</a></li>"
            for k in placement.related
            if story_of(site, k).amp
        )
        return f"""<!doctype html>
<html ⚡ lang="en">
<head>
<meta charset="utf-8">
<title>{escape(story.title)} - The Daily Courier</title>
<link rel="canonical" href="{url(site, placement.path)}">
<meta name="viewport" content="width=device-width,minimum-scale=1,initial-scale=1">
{ld_json(news_article_ld(site, placement))}
<style amp-boilerplate>body{{visibility:hidden}}</style>
<script async src="https://cdn.ampproject.example/v0.js"></script>
</head>
<body>
<header class="amp-header"><a href="{url(site, "/")}">The Daily Courier</a></header>
<article>
<h1>{escape(story.title)}</h1>
<p class="byline">By {escape(", ".join(story.authors))} · {long_date(story.published)}</p>
<figure>
<amp-img src="{url(site, "/images/" + story.image)}" width="800" height="480" layout="responsive" alt="{escape(story.caption)}"></amp-img>
<figcaption>{escape(story.caption, quote=False)}</figcaption>
</figure>
<p>{escape(story.caption, quote=False)}</p>
{body_paragraphs}
<section class="related"><h2>Related News</h2><ul>{related}</ul></section>
</article>
<footer><a href="{url(site, placement.path)}">View full site</a></footer>
</body>
</html>
"""

    def printable(self, placement: Placement) -> str:
        site, story = self.site, placement.story
        body_paragraphs = "\n".join(paragraphs_html(story))
        return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{escape(story.title)} - The Daily Courier (print)</title>
<meta name="robots" content="noindex">
<link rel="canonical" href="{url(site, placement.path)}">
{og_article(site, placement)}
</head>
<body class="print" onload="window.print()">
<p class="print-logo">The Daily Courier</p>
<h1>{escape(story.title)}</h1>
<p class="print-byline">By {escape(", ".join(story.authors))}, {long_date(story.published)}</p>
<div class="print-body">
{body_paragraphs}
</div>
<p class="print-footer">Printed from {url(site, placement.path)} — © 2025 The Daily Courier</p>
</body>
</html>
"""

    def listing(self, path: str, title: str, intro: str, items: list[Placement], kind: str) -> str:
        site = self.site
        teasers = []
        utm = UTM_HOME if path == "/" else UTM_SECTION
        for p in items:
            teasers.append(
                f"""<article class="story story--teaser">
<h2 class="story__title"><a href="{url(site, p.path)}{utm}">{escape(p.story.title)}</a></h2>
<div class="story__excerpt">{escape(p.story.description)}</div>
<span class="story__time">{long_date(p.story.published)}</span>
</article>"""
            )
        head = "\n".join(
            [
                f'<meta name="description" content="{escape(intro)}">',
                f'<link rel="canonical" href="{url(site, path)}">',
                og_website(site, path, title, "profile" if kind == "author" else "website"),
            ]
        )
        body = f"""<section class="listing listing--{kind}">
<h1 class="listing__title">{escape(title)}</h1>
<p class="listing__intro">{escape(intro)}</p>
{chr(10).join(teasers)}
</section>"""
        return self.shell(
            title=f"{title} - The Daily Courier", head=head, body=body, body_class=kind
        )

    def page(self, path: str, title: str, paragraphs: tuple[str, ...]) -> str:
        head = "\n".join(
            [
                f'<link rel="canonical" href="{url(self.site, path)}">',
                og_website(self.site, path, title),
            ]
        )
        text = "\n".join(f"<p>{escape(t, quote=False)}</p>" for t in paragraphs)
        body = f'<section class="page">\n<h1>{escape(title)}</h1>\n{text}\n</section>'
        return self.shell(
            title=f"{title} - The Daily Courier", head=head, body=body, body_class="page"
        )


# -- Continental Press Agency: a wire service, JSON-LD only ---------------------------------------


class Wire:
    """wire.cpa-news.example: a news agency site; articles say so in JSON-LD only (no og:type)."""

    SHARE = "Share this story:"
    COPYRIGHT = (
        "© 2025 Continental Press Agency. All rights reserved. This material may not be "
        "published, broadcast, rewritten or redistributed without permission."
    )

    def __init__(self, site: Site) -> None:
        self.site = site

    def shell(self, *, title: str, head: str, body: str) -> str:
        site = self.site
        menu = " ".join(
            f'<li><a href="{url(site, "/" + slug + "/")}">{escape(label)}</a></li>'
            for slug, label in site.sections.items()
        )
        return f"""<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="UTF-8">
<title>{escape(title)} | CPA</title>
{head}
{feed_link(site)}
<link rel="stylesheet" href="{url(site, "/static/wire.css")}">
</head>
<body>
<div id="top">
<a class="brand" href="{url(site, "/")}">CPA <span>Continental Press Agency</span></a>
<ul class="menu">{menu} <li><a href="{url(site, "/topics/energy/")}">Energy</a></li></ul>
<form class="search" action="{url(site, "/search/")}"><input name="q" placeholder="Search CPA"></form>
<a class="search-link" href="{url(site, "/search/?q=grid+fund")}">Search the archive</a>
</div>
<div class="wrap">
{body}
</div>
<div id="bottom">
<p><a href="{url(site, "/about/")}">About CPA</a> · <a href="{url(site, "/atom.xml")}">Atom feed</a> · <a href="{url(site, "/internal/embargoed/budget-preview-cpa1101.html")}">Members' embargoed copy</a></p>
<p>{self.COPYRIGHT}</p>
</div>
</body>
</html>
"""

    def article(self, placement: Placement) -> str:
        site, story = self.site, placement.story
        extra: dict[int, str] = {0: f"<p>{escape(story.caption, quote=False)}</p>"}
        if placement.inline:
            other = story_of(site, placement.inline)
            extra[3] = (
                f'<p class="readmore">Read more: <a href="{url(site, other.path)}">'
                f"{escape(other.story.title)}</a></p>"
            )
        body_paragraphs = "\n".join(paragraphs_html(story, extra))
        related = "\n".join(
            f'<li><a href="{url(site, story_of(site, k).path)}">'
            f"{escape(story_of(site, k).story.title)}</a></li>"
            for k in placement.related
        )
        authors = ", ".join(byline_link(site, n, "/staff/") for n in story.authors)
        updated = ""
        if story.modified:
            updated = (
                f' · Updated <time datetime="{story.modified}">{clock(story.modified)} CET</time>'
            )
        head = "\n".join(
            [
                f'<meta name="description" content="{escape(story.description)}">',
                f'<link rel="canonical" href="{url(site, placement.path)}">',
                ld_json(news_article_ld(site, placement)),
            ]
        )
        body = f"""<article class="story">
<p class="kicker"><a href="{url(site, "/" + story.section + "/")}">{escape(site.sections[story.section])}</a></p>
<h1>{escape(story.title)}</h1>
<p class="dek">{escape(story.description)}</p>
<p class="meta"><span class="author">By {authors}</span>, Continental Press Agency · <time datetime="{story.published}">{story.published[8:10].lstrip("0")} {datetime.fromisoformat(story.published):%B %Y}, {clock(story.published)} CET</time>{updated}</p>
<figure><img src="{url(site, "/images/" + story.image)}" alt="{escape(story.title)}"><figcaption>{escape(story.caption, quote=False)}</figcaption></figure>
<div class="article-body">
{body_paragraphs}
</div>
<p class="share">{self.SHARE} {share_links(site, placement, " · ")}</p>
<div class="related"><h2>Related stories</h2><ul>
{related}
</ul></div>
<p class="copyright">{self.COPYRIGHT}</p>
</article>"""
        return self.shell(title=story.title, head=head, body=body)

    def listing(self, path: str, title: str, intro: str, items: list[Placement], kind: str) -> str:
        site = self.site
        rows = "\n".join(
            f"""<li class="item"><time datetime="{p.story.published}">{clock(p.story.published)}</time>
<a href="{url(site, p.path)}">{escape(p.story.title)}</a>
<p>{escape(p.story.description)}</p></li>"""
            for p in items
        )
        ld_type = {"author": "ProfilePage", "home": "WebSite"}.get(kind, "CollectionPage")
        head = "\n".join(
            [
                f'<link rel="canonical" href="{url(site, path)}">',
                ld_json(
                    {
                        "@context": "https://schema.org",
                        "@type": ld_type,
                        "name": title,
                        "url": url(site, path),
                    }
                ),
            ]
        )
        body = f"""<section class="wire-list {kind}">
<h1>{escape(title)}</h1>
<p class="intro">{escape(intro)}</p>
<ul class="items">
{rows}
</ul>
</section>"""
        return self.shell(title=title, head=head, body=body)

    def page(self, path: str, title: str, paragraphs: tuple[str, ...]) -> str:
        head = "\n".join(
            [
                f'<link rel="canonical" href="{url(self.site, path)}">',
                ld_json({"@context": "https://schema.org", "@type": "AboutPage", "name": title}),
            ]
        )
        text = "\n".join(f"<p>{escape(t, quote=False)}</p>" for t in paragraphs)
        return self.shell(title=title, head=head, body=f"<h1>{escape(title)}</h1>\n{text}")


# -- Valley Herald: a WordPress site with Yoast-style JSON-LD and Jetpack blocks --------------------


class Herald:
    """valleyherald.example: a regional WordPress site; boilerplate sits inside entry-content."""

    SHARE = "Share this:"
    NEWSLETTER = (
        "Sign up for the Valley Herald morning newsletter to get local news in your inbox every "
        "day."
    )
    ARCHIVE = "Old bridge reopens after 18 months"

    def __init__(self, site: Site) -> None:
        self.site = site

    def shell(self, *, title: str, head: str, body: str, body_class: str) -> str:
        site = self.site
        menu = "\n".join(
            f'<li class="menu-item"><a href="{url(site, "/category/" + slug + "/")}">'
            f"{escape(label)}</a></li>"
            for slug, label in site.sections.items()
        )
        recent = "\n".join(
            f'<li><a href="{url(site, p.path)}">{escape(p.story.title)}</a></li>'
            for p in site.articles[:4]
        )
        return f"""<!DOCTYPE html>
<html lang="en-US">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)} &#8211; Valley Herald</title>
<meta name="robots" content="index, follow, max-image-preview:large">
{head}
{feed_link(site)}
<link rel="stylesheet" id="herald-style-css" href="{url(site, "/static/herald.css")}" media="all">
<meta name="generator" content="WordPress 6.7.2">
</head>
<body class="{body_class}">
<div id="page" class="site">
<a class="skip-link screen-reader-text" href="#content">Skip to content</a>
<header id="masthead" class="site-header">
<p class="site-title"><a href="{url(site, "/")}" rel="home">Valley Herald</a></p>
<p class="site-description">{escape(site.tagline)}</p>
<nav id="site-navigation" class="main-navigation"><ul id="primary-menu" class="menu">
{menu}
<li class="menu-item"><a href="{url(site, "/tag/flooding/")}">Flooding</a></li>
<li class="menu-item"><a href="{url(site, "/about/")}">About</a></li>
</ul></nav>
</header>
<div id="content" class="site-content">
<div id="primary" class="content-area"><main id="main" class="site-main">
{body}
</main></div>
<aside id="secondary" class="widget-area">
<section class="widget widget_search"><form role="search" method="get" class="search-form" action="{url(site, "/")}"><input type="search" name="s"></form></section>
<section class="widget widget_recent_entries"><h2 class="widget-title">Recent Posts</h2><ul>
{recent}
</ul></section>
<section class="widget"><h2 class="widget-title">From the archive</h2><ul><li><a href="{url(site, "/2019/05/old-bridge-story-removed/")}">{self.ARCHIVE}</a></li></ul></section>
<section class="widget widget_meta"><h2 class="widget-title">Meta</h2><ul>
<li><a href="{url(site, "/wp-admin/")}">Log in</a></li>
<li><a href="{url(site, "/feed/")}">Entries feed</a></li>
</ul></section>
</aside>
</div>
<footer id="colophon" class="site-footer"><div class="site-info">
Partner sites: <a href="https://www.daily-courier.example/">The Daily Courier</a> | <a href="https://wire.cpa-news.example/">CPA</a><br>
Proudly powered by WordPress | © 2025 Valley Herald
</div></footer>
</div>
</body>
</html>
"""

    def yoast(self, placement: Placement) -> str:
        site, story = self.site, placement.story
        article = news_article_ld(site, placement)
        article.pop("@context")
        article["@id"] = url(site, placement.path) + "#article"
        graph = {
            "@context": "https://schema.org",
            "@graph": [
                article,
                {
                    "@type": "WebPage",
                    "@id": url(site, placement.path),
                    "url": url(site, placement.path),
                    "name": f"{story.title} - Valley Herald",
                    "isPartOf": {"@id": url(site, "/#website")},
                },
                {"@type": "WebSite", "@id": url(site, "/#website"), "name": site.name},
            ],
        }
        return ld_json(graph)

    def article(self, placement: Placement) -> str:
        site, story = self.site, placement.story
        related = [story_of(site, k) for k in placement.related]
        extra: dict[int, str] = {}
        if placement.inline:
            other = story_of(site, placement.inline)
            extra[1] = (
                f'<p><strong>READ MORE:</strong> <a href="{url(site, other.path)}">'
                f"{escape(other.story.title)}</a></p>"
            )
        links = "<br>\n".join(
            f'<a href="{url(site, p.path)}{UTM_RELATED}">{escape(p.story.title)}</a>'
            for p in related
        )
        extra[4] = f"<p><strong>You may also like</strong><br>\n{links}</p>"
        body_paragraphs = "\n".join(paragraphs_html(story, extra))
        credit = (
            f"<p><em>{escape(placement.credit)}</em></p>\n" if placement.credit is not None else ""
        )
        jetpack = "\n".join(
            f"""<div class="jp-relatedposts-post">
<h4 class="jp-relatedposts-post-title"><a href="{url(site, p.path)}">{escape(p.story.title)}</a></h4>
<p class="jp-relatedposts-post-excerpt">{escape(p.story.description)}</p>
<p class="jp-relatedposts-post-date">{long_date(p.story.published)}</p>
</div>"""
            for p in related
        )
        author = story.authors[0]
        author_html = byline_link(site, author, "/author/")
        tags = ", ".join(
            f'<a href="{url(site, "/tag/" + t + "/")}" rel="tag">{escape(t)}</a>'
            for t in story.tags
        )
        section = story.section
        head = [
            f'<meta name="description" content="{escape(story.description)}">',
            f'<link rel="canonical" href="{url(site, placement.path)}">',
        ]
        if placement.amp:
            head.append(f'<link rel="amphtml" href="{url(site, placement.path + "amp/")}">')
        head += [og_article(site, placement), self.yoast(placement)]
        modified = story.modified or story.published
        body = f"""<article id="post-{abs(hash_key(story.key)) % 9000 + 1000}" class="post type-post status-publish format-standard has-post-thumbnail category-{section}">
<header class="entry-header">
<h1 class="entry-title">{escape(story.title)}</h1>
<div class="entry-meta"><span class="posted-on">Posted on <a href="{url(site, placement.path)}" rel="bookmark"><time class="entry-date published" datetime="{story.published}">{long_date(story.published)}</time><time class="updated" datetime="{modified}">{long_date(modified)}</time></a></span><span class="byline"> by <span class="author vcard">{author_html}</span></span></div>
</header>
<div class="entry-content">
<figure class="wp-block-image size-large"><img decoding="async" width="1024" height="683" src="{url(site, "/wp-content/uploads/2025/03/" + story.image)}" alt="" class="wp-image"><figcaption class="wp-element-caption">{escape(story.caption, quote=False)}</figcaption></figure>
<p><em>{escape(story.caption, quote=False)}</em></p>
{credit}{body_paragraphs}
<p class="newsletter-cta">{self.NEWSLETTER}</p>
<div class="sharedaddy sd-sharing-enabled"><h3 class="sd-title">{self.SHARE}</h3><ul><li>{share_links(site, placement, "</li><li>")}</li></ul></div>
<div id="jp-relatedposts" class="jp-relatedposts"><h3 class="jp-relatedposts-headline"><em>Related</em></h3>
<div class="jp-relatedposts-items">
{jetpack}
</div></div>
</div>
<footer class="entry-footer"><span class="cat-links">Posted in <a href="{url(site, "/category/" + section + "/")}" rel="category tag">{escape(site.sections[section])}</a></span> <span class="tags-links">Tagged {tags}</span></footer>
</article>
<div id="comments" class="comments-area"><div id="respond" class="comment-respond"><h3 class="comment-reply-title">Leave a Reply</h3><p class="must-log-in">You must be <a href="{url(site, "/wp-admin/")}">logged in</a> to post a comment.</p></div></div>"""
        return self.shell(
            title=story.title,
            head="\n".join(head),
            body=body,
            body_class="post-template-default single single-post",
        )

    def amp(self, placement: Placement) -> str:
        site, story = self.site, placement.story
        body_paragraphs = "\n".join(paragraphs_html(story))
        return f"""<!DOCTYPE html>
<html amp lang="en-US">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width">
<title>{escape(story.title)} &#8211; Valley Herald</title>
<link rel="canonical" href="{url(site, placement.path)}">
{self.yoast(placement)}
<script async src="https://cdn.ampproject.example/v0.js"></script>
</head>
<body class="amp-wp">
<header class="amp-wp-header"><a href="{url(site, "/")}">Valley Herald</a></header>
<article class="amp-wp-article">
<header class="amp-wp-article-header"><h1 class="amp-wp-title">{escape(story.title)}</h1>
<div class="amp-wp-meta amp-wp-byline"><span class="amp-wp-author">{escape(story.authors[0])}</span></div>
<div class="amp-wp-meta amp-wp-posted-on"><time datetime="{story.published}">{long_date(story.published)}</time></div></header>
<div class="amp-wp-article-content">
<figure class="wp-block-image"><amp-img src="{url(site, "/wp-content/uploads/2025/03/" + story.image)}" width="1024" height="683" layout="intrinsic"></amp-img><figcaption>{escape(story.caption, quote=False)}</figcaption></figure>
<p><em>{escape(story.caption, quote=False)}</em></p>
{body_paragraphs}
</div>
</article>
<footer class="amp-wp-footer"><p>© 2025 Valley Herald</p><a href="{url(site, placement.path)}">Exit mobile version</a></footer>
</body>
</html>
"""

    def listing(self, path: str, title: str, intro: str, items: list[Placement], kind: str) -> str:
        site = self.site
        posts = "\n".join(
            f"""<article class="post type-post">
<header class="entry-header"><h2 class="entry-title"><a href="{url(site, p.path)}" rel="bookmark">{escape(p.story.title)}</a></h2>
<div class="entry-meta"><time class="entry-date published" datetime="{p.story.published}">{long_date(p.story.published)}</time></div></header>
<div class="entry-summary"><p>{escape(p.story.description)} <a class="more-link" href="{url(site, p.path)}#more">Continue reading</a></p></div>
<footer class="entry-footer"><a href="{url(site, p.path)}#respond">Leave a comment</a></footer>
</article>"""
            for p in items
        )
        ld_type = {"author": "ProfilePage", "home": "WebPage"}.get(kind, "CollectionPage")
        head = "\n".join(
            [
                f'<link rel="canonical" href="{url(site, path)}">',
                og_website(site, path, title, "profile" if kind == "author" else "website"),
                ld_json(
                    {
                        "@context": "https://schema.org",
                        "@graph": [{"@type": ld_type, "@id": url(site, path), "name": title}],
                    }
                ),
            ]
        )
        header = (
            f'<header class="page-header"><h1 class="page-title">{escape(title)}</h1>'
            f'<div class="archive-description"><p>{escape(intro)}</p></div></header>'
        )
        body_class = "home blog" if kind == "home" else f"archive {kind}"
        return self.shell(title=title, head=head, body=header + "\n" + posts, body_class=body_class)

    def page(self, path: str, title: str, paragraphs: tuple[str, ...]) -> str:
        head = "\n".join(
            [
                f'<link rel="canonical" href="{url(self.site, path)}">',
                og_website(self.site, path, title),
            ]
        )
        text = "\n".join(f"<p>{escape(t, quote=False)}</p>" for t in paragraphs)
        body = (
            f'<article class="page type-page"><header class="entry-header"><h1 class="entry-title">'
            f'{escape(title)}</h1></header><div class="entry-content">\n{text}\n</div></article>'
        )
        return self.shell(title=title, head=head, body=body, body_class="page-template-default")


def hash_key(key: str) -> int:
    """A stable small number for WordPress-style post ids (Python's hash() is salted per run)."""
    return sum((i + 1) * ord(c) for i, c in enumerate(key))


TEMPLATES = {"courier": Courier, "wire": Wire, "herald": Herald}


def template_for(site: Site) -> Courier | Wire | Herald:
    return TEMPLATES[site.template](site)
