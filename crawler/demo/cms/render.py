"""Turn a planned site into HTML pages: the parts every CMS style shares.

A :class:`SiteRenderer` holds one site's look (which metadata it prints, its class names, its
chrome) and renders its pages. The style modules (:mod:`crawler.demo.cms.styles`) lay out the
article body, the listings and the page around them; this module composes an article's body
blocks (text, figures and junk at random places) and records what the truth needs.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from crawler.demo.cms import junk as J
from crawler.demo.cms.markup import Markup, attrs, el, esc
from crawler.demo.cms.model import Article, Listing, Site
from crawler.demo.cms.phrases import PHRASES

# Chrome outside the article is listed as junk only from this many words on: single words
# ("Politics", "Home") are too common to tell a leak from a legitimate word.
CHROME_MIN_WORDS = 3
# Where a kind of junk goes in the body: weights for top, middle, bottom.
PLACES = {
    "tools": (4, 1, 3),
    "top": (0, 1, 5),
    "related": (1, 3, 4),
    "author": (0, 1, 6),
    "tags": (1, 1, 5),
    "dateline": (5, 1, 1),
}
DEFAULT_PLACES = (1, 1, 1)


@dataclass
class Body:
    """An article body as HTML blocks, with what the truth needs to know about it."""

    blocks: list[str]
    junk: list[tuple[str, str]] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    credits: list[str] = field(default_factory=list)

    @property
    def html(self) -> str:
        return "\n".join(self.blocks)


@dataclass
class Rendered:
    """A page's HTML and, for an article, its junk, captions and credits."""

    html: str
    junk: list[dict[str, Any]] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    credits: list[str] = field(default_factory=list)


def ld_json(data: object) -> str:
    text = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
    return f'<script type="application/ld+json">{text}</script>'


class SiteRenderer:
    """Renders every page of one site with one look. ``style`` lays out what is style-specific."""

    def __init__(self, site: Site, rng: random.Random, sites: dict[str, Site], style: Any) -> None:
        self.site = site
        self.rng = rng
        self.sites = sites
        self.style = style
        self.lang = site.lang
        self.pool = PHRASES[site.lang.code]
        self.m = Markup(rng, style.VOCAB, style.scheme(rng))
        self.absolute = rng.random() < 0.4  # links with the origin, or root-relative
        self.canonical = rng.random() < (0.4 if site.style == "table" else 0.9)
        self.og = rng.random() < (0.3 if site.style == "table" else 0.85)
        self.ld = rng.random() < (0.15 if site.style == "table" else 0.8)
        self.ld_type = rng.choice(("NewsArticle", "NewsArticle", "Article", "ReportageNews"))
        if site.style == "wordpress" and rng.random() < 0.4:
            self.ld_type = "BlogPosting"
        self.meta_dates = rng.random() < 0.6
        self.sidebar_first = rng.random() < 0.3
        self.tagline = rng.choice(self.pool["tagline"]).format(n=rng.randint(10, 80))
        self.footer_lines = rng.sample(self.pool["footer"], min(2, len(self.pool["footer"])))
        self.footer_lines = [line.format(site=site.name) for line in self.footer_lines]
        self.chrome_cookie = rng.random() < 0.5
        self._chrome_junk: list[tuple[str, str]] = []

    # -- small helpers ----------------------------------------------------------------------------

    def href(self, path: str) -> str:
        if path.startswith(("http://", "https://", "#", "mailto:", "javascript:")):
            return path
        return self.site.origin + path if self.absolute else path

    def link(self, path: str, text: str, extra: str = "") -> str:
        return el("a", esc(text), attrs(href=self.href(path)) + extra)

    def date_text(self, when: datetime) -> str:
        month = self.lang.months[when.month - 1]
        return self.lang.ui["date"].format(day=when.day, month=month, year=when.year)

    def time_el(self, when: datetime, *, clock: bool | None = None) -> str:
        text = self.date_text(when)
        if clock if clock is not None else self.rng.random() < 0.4:
            text += f", {when:%H:%M}"
        return el("time", esc(text), attrs(datetime=when.isoformat()))

    def context(self, art: Article) -> J.Context:
        others = [a for a in self.site.articles if a is not art]
        teasers = [
            J.Teaser(
                a.title,
                self.href(a.path),
                a.description,
                self.date_text(a.published),
                f"/img/{a.number}-thumb.jpg",
            )
            for a in self.rng.sample(others, min(len(others), 8))
        ]
        author = (art.authors[0].label, self.href(art.authors[0].path)) if art.authors else None
        return J.Context(
            rng=self.rng,
            lang=self.lang,
            markup=self.m,
            site_name=self.site.name,
            section=art.section.label,
            section_url=self.href(art.section.path),
            teasers=teasers,
            author=author,
            tags=[(t.label, self.href(t.path)) for t in art.tags],
            full_story=art.full_story,
            date_text=self.date_text(art.published),
        )

    def chrome(self, kind: str, text: str) -> str:
        """Record a string of the page's chrome as junk (when long enough) and return it escaped."""
        if len(text.split()) >= CHROME_MIN_WORDS:
            self._chrome_junk.append((kind, text))
        return esc(text)

    # -- the article body -------------------------------------------------------------------------

    def body(
        self,
        art: Article,
        para: Callable[[str], str],
        subhead: Callable[[str], str],
        *,
        old: bool = False,
        wrap: Callable[[str, str], str] | None = None,
        lead_figure: bool = True,
    ) -> Body:
        """The article's text as blocks, with figures and junk placed among them at random.

        ``para`` and ``subhead`` render one line; ``wrap(kind, html)`` may put a style's wrapper
        around each junk block; ``lead_figure`` False leaves the lead image (after=-1) to the
        template, which finds it with :meth:`lead`.
        """
        rng = self.rng
        ctx = self.context(art)
        blocks: list[str] = []
        out = Body(blocks)
        figures = {f.after: f for f in art.figures}
        if lead_figure and -1 in figures:
            self._figure(out, ctx, figures[-1], old)
        for index, line in enumerate(art.lines):
            blocks.append(subhead(line) if index in art.subheads else para(line))
            if index in figures and index < len(art.lines) - 1:
                self._figure(out, ctx, figures[index], old)
        text_blocks = len(blocks)
        inserts: list[tuple[int, str]] = []
        for kind, (chance, make) in J.INSIDE.items():
            if rng.random() >= chance:
                continue
            block = make(ctx)
            if not block.html:
                continue
            place = rng.choices(("top", "middle", "bottom"), PLACES.get(kind, DEFAULT_PLACES))[0]
            if place == "top":
                at = 0
            elif place == "bottom":
                at = text_blocks
            else:
                at = rng.randint(1, max(1, text_blocks - 1))
            html = wrap(kind, block.html) if wrap else block.html
            inserts.append((at, html))
            out.junk += block.junk
        if art.paywalled:
            block = J.paywall_prompt(ctx)
            inserts.append((text_blocks + 1, wrap("paywall", block.html) if wrap else block.html))
            out.junk += block.junk
        if art.full_story:
            block = J.full_story_link(ctx)
            inserts.append((text_blocks, block.html))
            out.junk += block.junk
        # Stable order: later inserts at one position go after earlier ones.
        for offset, (at, html) in enumerate(sorted(inserts, key=lambda item: item[0])):
            blocks.insert(min(at + offset, len(blocks)), html)
        return out

    def lead(self, art: Article, out: Body, *, old: bool = False) -> str:
        """The lead image block (after=-1) for templates that print it above the body."""
        figure = next((f for f in art.figures if f.after == -1), None)
        if figure is None:
            return ""
        block = J.figure(self.context(art), figure.caption, figure.src, old=old)
        out.captions += block.captions
        out.credits += block.credits
        out.junk += block.junk
        return block.html

    def _figure(self, out: Body, ctx: J.Context, figure: Any, old: bool) -> None:
        block = J.figure(ctx, figure.caption, figure.src, old=old)
        out.blocks.append(block.html)
        out.captions += block.captions
        out.credits += block.credits
        out.junk += block.junk

    # -- metadata ---------------------------------------------------------------------------------

    def article_ld(self, art: Article) -> dict[str, Any]:
        data: dict[str, Any] = {
            "@context": "https://schema.org",
            "@type": self.ld_type,
            "headline": art.title,
            "datePublished": art.published.isoformat(),
            "mainEntityOfPage": self.site.url(art.path),
            "publisher": {"@type": "Organization", "name": self.site.name},
        }
        if art.modified:
            data["dateModified"] = art.modified.isoformat()
        if art.authors:
            people = [{"@type": "Person", "name": a.label} for a in art.authors]
            data["author"] = people if len(people) > 1 or self.rng.random() < 0.5 else people[0]
        if art.description and self.rng.random() < 0.7:
            data["description"] = art.description
        data["articleSection"] = art.section.label
        if art.paywalled:
            data["isAccessibleForFree"] = False
            data["hasPart"] = {
                "@type": "WebPageElement",
                "isAccessibleForFree": False,
                "cssSelector": ".paywalled-content",
            }
        return data

    def head(
        self,
        title: str,
        path: str,
        *,
        description: str = "",
        og_type: str = "website",
        ld: list[dict[str, Any]] | None = None,
        art: Article | None = None,
        extra: str = "",
    ) -> str:
        site = self.site
        parts = ['<meta charset="utf-8">', f"<title>{esc(title)}</title>"]
        if self.rng.random() < 0.9:
            parts.append('<meta name="viewport" content="width=device-width, initial-scale=1">')
        if description:
            parts.append(f'<meta name="description" content="{esc(description)}">')
        if self.canonical:
            parts.append(f'<link rel="canonical" href="{esc(site.url(path))}">')
        if self.og:
            og = {
                "og:type": og_type,
                "og:title": title,
                "og:url": site.url(path),
                "og:site_name": site.name,
            }
            if description:
                og["og:description"] = description
            parts += [f'<meta property="{k}" content="{esc(v)}">' for k, v in og.items()]
        if art is not None and self.meta_dates:
            parts.append(
                f'<meta property="article:published_time" content="{art.published.isoformat()}">'
            )
            if art.authors:
                parts.append(f'<meta name="author" content="{esc(art.authors[0].label)}">')
        for feed_path, kind in site.feeds:
            mime = "application/rss+xml" if kind == "rss" else "application/atom+xml"
            parts.append(f'<link rel="alternate" type="{mime}" href="{esc(self.href(feed_path))}">')
        parts += [ld_json(item) for item in ld or []]
        parts.append(extra)
        return "<head>" + "\n".join(p for p in parts if p) + "</head>"

    def page(self, head: str, body: str, body_class: str = "") -> str:
        lang = self.lang.code
        return (
            f'<!DOCTYPE html>\n<html lang="{lang}">\n{head}\n'
            f"<body{attrs(class_=body_class)}>\n{body}\n</body>\n</html>\n"
        )

    # -- chrome -----------------------------------------------------------------------------------

    def nav_links(self) -> list[tuple[str, str]]:
        site, ui = self.site, self.lang.ui
        links = [("/", ui["home"])] + [(s.path, s.label) for s in site.sections]
        calendar = next(x for x in site.listings if x.kind == "calendar")
        video = next(x for x in site.listings if x.kind == "video")
        links += [(calendar.path, ui["events"]), (video.path, ui["video"])]
        archive = next((x for x in site.listings if x.kind == "archive" and x.page == 1), None)
        if archive is not None:
            links.append((archive.path, ui["archive"]))
        return links

    def header(self) -> str:
        m = self.m
        logo = el("a", esc(self.site.name), attrs(href=self.href("/"), class_=m.name("logo")))
        nav = el("ul", "".join(el("li", self.link(p, t)) for p, t in self.nav_links()))
        nav = el("nav", nav, m.cls("nav") + attrs(aria_label=self.lang.ui["menu"]))
        parts = [logo, nav]
        if self.rng.random() < 0.8:
            parts.insert(1, el("p", self.chrome("tagline", self.tagline), m.cls("tagline")))
        return el("header", "".join(parts), m.cls("site_header") + attrs(id="top"))

    def footer(self) -> str:
        site, ui, m = self.site, self.lang.ui, self.m
        services = [self.link(p, t) for p, t in site.services.items()]
        lines = "".join(el("p", self.chrome("footer", line)) for line in self.footer_lines)
        authors = "".join(el("li", self.link(a.path, a.label)) for a in site.authors)
        inner = (
            el("nav", " · ".join(services), m.cls("footer_nav"))
            + el("ul", authors, m.cls("footer_authors"))
            + lines
        )
        if self.rng.random() < 0.5:
            inner += el("p", self.link(self.site.listings[0].path, ui["home"]))
        return el("footer", inner, m.cls("site_footer"))

    def sidebar(self, exclude: Article | None = None) -> str:
        rng, m = self.rng, self.m
        heading = rng.choice(self.pool["sidebar_heading"])
        pick = [a for a in self.site.articles if a is not exclude]
        items = rng.sample(pick, min(len(pick), rng.randint(3, 5)))
        lis = "".join(
            el("li", el("a", self.chrome("sidebar", a.title), attrs(href=self.href(a.path))))
            for a in items
        )
        inner = el("h3", esc(heading)) + el("ol", lis)
        if rng.random() < 0.4:
            inner += el("div", self.chrome("advert", rng.choice(self.pool["advert"])), m.cls("ad"))
        return el(rng.choice(("aside", "div")), inner, m.cls("sidebar"))

    def cookie_bar(self) -> str:
        rng = self.rng
        intro = rng.choice(self.pool["cookie_intro"]).format(
            site=self.site.name, n=rng.randint(12, 300)
        )
        button = rng.choice(self.pool["cookie_accept"])
        inner = el("p", self.chrome("cookie", intro)) + el(
            "button", esc(button), attrs(type="button")
        )
        return el("div", inner, self.m.cls("cookie_bar") + attrs(id="cookie-notice"))

    def take_chrome_junk(self) -> list[tuple[str, str]]:
        junk, self._chrome_junk = self._chrome_junk, []
        return junk

    def frame(self, main: str, *, exclude: Article | None = None, main_tag: str = "main") -> str:
        """The page around ``main``: header and navigation, a sidebar, footer, cookie bar."""
        rng, m = self.rng, self.m
        side = self.sidebar(exclude) if rng.random() < 0.7 else ""
        main = el(main_tag, main, m.cls("main") + attrs(id=rng.choice(("main", "content", ""))))
        columns = [side, main] if self.sidebar_first else [main, side]
        parts = [self.header(), m.wrap("\n".join(columns), rng.randint(0, 2)), self.footer()]
        if self.chrome_cookie:
            bar = self.cookie_bar()
            parts = [bar, *parts] if rng.random() < 0.5 else [*parts, bar]
        return "\n".join(parts)

    def finish(self, html: str, body: Body | None = None) -> Rendered:
        """The page's HTML with its junk, inside (from ``body``) and outside (the chrome)."""
        junk = [{"text": t, "kind": k, "inside": True} for k, t in (body.junk if body else [])]
        junk += [{"text": t, "kind": k, "inside": False} for k, t in self.take_chrome_junk()]
        if body is None:
            return Rendered(html, junk)
        return Rendered(html, junk, list(body.captions), list(body.credits))

    def byline(self, art: Article) -> str:
        """'By A and B', author names linked to their pages ('' for an unsigned article)."""
        if not art.authors:
            return ""
        names = [self.link(a.path, a.label, attrs(rel="author")) for a in art.authors]
        return el(
            "span", esc(self.lang.ui["by"]) + " " + " &amp; ".join(names), self.m.cls("byline")
        )

    def listing_page(self, listing: Listing) -> Rendered:
        """A listing page in the style's frame (styles with their own frame override this)."""
        head = self.head(
            listing.title,
            listing.path,
            description=listing.intro[:150],
            og_type=self.listing_og_type(listing),
            ld=self.listing_ld(listing),
        )
        return self.finish(self.page(head, self.frame(self.listing_body(listing))))

    def service_page(self, path: str, title: str) -> Rendered:
        text = self.rng.choice(self.pool["section_intro"]).format(
            site=self.site.name, section=title
        )
        main = el("h1", esc(title)) + el("p", esc(text))
        return self.finish(self.page(self.head(title, path), self.frame(main)))

    # -- listings ---------------------------------------------------------------------------------

    def cards(self, items: list[Article], *, excerpts: bool | None = None) -> str:
        rng, m = self.rng, self.m
        excerpts = rng.random() < 0.6 if excerpts is None else excerpts
        images = rng.random() < 0.6
        out = []
        for art in items:
            bits = []
            if images:
                bits.append(f'<img src="/img/{art.number}-thumb.jpg" alt="">')
            bits.append(
                el(rng.choice(("h2", "h3")), self.link(art.path, art.title), m.cls("card_title"))
            )
            if excerpts:
                bits.append(el("p", esc(art.description), m.cls("card_excerpt")))
            if rng.random() < 0.5:
                bits.append(self.time_el(art.published, clock=False))
            if art.authors and rng.random() < 0.4:
                bits.append(el("span", esc(f"{self.lang.ui['by']} {art.authors[0].label}")))
            out.append(el(rng.choice(("article", "div", "li")), "".join(bits), m.cls("card")))
        return el("div", "\n".join(out), m.cls("cards"))

    def pager(self, listing: Listing) -> str:
        ui = self.lang.ui
        links = []
        if listing.prev:
            links.append(self.link(listing.prev, "‹ " + ui["previous"], attrs(rel="prev")))
        if listing.next:
            links.append(self.link(listing.next, ui["next"] + " ›", attrs(rel="next")))
        return el("nav", " ".join(links), self.m.cls("pager")) if links else ""

    def listing_body(self, listing: Listing) -> str:
        """The main column of a listing page: heading, prose, cards or events, pager."""
        rng, m, ui = self.rng, self.m, self.lang.ui
        parts = [el("h1", esc(listing.title), m.cls("listing_title"))]
        if listing.kind == "author" and listing.author:
            parts.append(f'<img src="/img/authors/{listing.author.slug}.jpg" alt="">')
        if listing.kind == "search":
            parts.append(
                el(
                    "form",
                    f'<input type="search" name="q" value="{esc(listing.query)}">'
                    f'<button type="submit">{esc(ui["search"])}</button>',
                    attrs(role="search"),
                )
            )
        if listing.intro:
            parts.append(el("p", esc(listing.intro), m.cls("intro")))
        if listing.kind == "home":
            parts.append(self.home_extras())
        if listing.events:
            events = []
            for event in listing.events:
                events.append(
                    el(
                        rng.choice(("article", "div", "li")),
                        el("h3", esc(event.title))
                        + self.time_el(event.when, clock=True)
                        + el("p", esc(f"{ui['venue']}: {event.venue}"))
                        + el("p", esc(event.text)),
                        m.cls("event"),
                    )
                )
            parts.append(el("div", "".join(events), m.cls("events")))
        if listing.videos:
            videos = []
            for video in listing.videos:
                videos.append(
                    el(
                        "div",
                        self.link(video.article.path, video.title)
                        + el("span", esc(ui["minutes"].format(n=video.minutes)))
                        + el("p", esc(video.text)),
                        m.cls("video_card"),
                    )
                )
            parts.append(el("div", "".join(videos), m.cls("videos")))
        if listing.items:
            parts.append(self.cards(listing.items))
        parts.append(self.pager(listing))
        return "\n".join(p for p in parts if p)

    def home_extras(self) -> str:
        """Links a homepage carries besides its stories: searches, topics, the calendar page 1."""
        site, ui, m = self.site, self.lang.ui, self.m
        searches = [x for x in site.listings if x.kind == "search"]
        tags = [x for x in site.listings if x.kind == "tag"]
        archive = [x for x in site.listings if x.kind == "archive"]
        parts = [
            el(
                "div",
                " ".join(self.link(s.path, s.query.replace("+", " ")) for s in searches),
                m.cls("popular_searches"),
            ),
            el(
                "div",
                esc(ui["topics"]) + ": " + ", ".join(self.link(t.path, t.title) for t in tags),
                m.cls("trending"),
            ),
        ]
        if archive:
            parts.append(el("p", self.link(archive[0].path, ui["all_stories"])))
        return "\n".join(parts)

    def listing_ld(self, listing: Listing) -> list[dict[str, Any]]:
        if listing.misleading == "ld_article" and listing.items:
            top = listing.items[0]
            return [
                {
                    "@context": "https://schema.org",
                    "@type": "NewsArticle",
                    "headline": top.title,
                    "datePublished": top.published.isoformat(),
                    "url": self.site.url(top.path),
                }
            ]
        roll = self.rng.random()
        if listing.kind == "author" and listing.author and roll < 0.5:
            return [
                {
                    "@context": "https://schema.org",
                    "@type": "ProfilePage",
                    "mainEntity": {"@type": "Person", "name": listing.author.label},
                }
            ]
        if listing.kind == "calendar" and roll < 0.5:
            return [
                {
                    "@context": "https://schema.org",
                    "@type": "Event",
                    "name": e.title,
                    "startDate": e.when.isoformat(),
                    "location": {"@type": "Place", "name": e.venue},
                }
                for e in listing.events
            ]
        if listing.kind == "video" and roll < 0.5:
            return [
                {
                    "@context": "https://schema.org",
                    "@type": "VideoObject",
                    "name": v.title,
                    "description": v.text,
                    "duration": f"PT{v.minutes}M",
                }
                for v in listing.videos
            ]
        if roll < 0.3:
            return [
                {"@context": "https://schema.org", "@type": "CollectionPage", "name": listing.title}
            ]
        return []

    def listing_og_type(self, listing: Listing) -> str:
        if listing.misleading == "og_article":
            return "article"
        if listing.misleading == "og_profile":
            return "profile"
        return "website"
