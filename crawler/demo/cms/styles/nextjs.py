"""A React/Next.js site: generated class names (css-1x9f3a, sc-bdVaJa, Article_body__3kd9F),
block components with data-* attributes, and a __NEXT_DATA__ payload carrying the article."""

from __future__ import annotations

import json
import random
import string

from crawler.demo.cms.markup import attrs, el, esc
from crawler.demo.cms.model import Article
from crawler.demo.cms.render import Rendered, SiteRenderer

VOCAB: dict[str, tuple[str, ...]] = {}


def scheme(rng: random.Random) -> str:
    return rng.choice(("emotion", "styled", "modules"))


def next_data(r: SiteRenderer, art: Article) -> str:
    body = [
        {"type": "heading" if i in art.subheads else "paragraph", "content": line}
        for i, line in enumerate(art.lines)
    ]
    data = {
        "props": {
            "pageProps": {
                "article": {
                    "id": str(art.number),
                    "headline": art.title,
                    "description": art.description,
                    "datePublished": art.published.isoformat(),
                    "authors": [{"name": a.label, "slug": a.slug} for a in art.authors],
                    "section": {"name": art.section.label, "slug": art.section.slug},
                    "body": body,
                }
            },
            "__N_SSP": True,
        },
        "page": "/[section]/[slug]",
        "query": {"section": art.section.slug, "slug": art.path.rstrip("/").rsplit("/", 1)[-1]},
        "buildId": "".join(r.rng.choice(string.ascii_letters + string.digits) for _ in range(21)),
        "isFallback": False,
        "gssp": True,
        "scriptLoader": [],
    }
    text = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
    return f'<script id="__NEXT_DATA__" type="application/json">{text}</script>'


def article(r: SiteRenderer, art: Article) -> Rendered:
    rng, m = r.rng, r.m
    template = art.template
    if template == 1:

        def para(t: str) -> str:
            return el(
                "div",
                el("p", esc(t), m.cls("paragraph")),
                m.cls("text_block") + attrs(data_component="text-block"),
            )

        def sub(t: str) -> str:
            return el(
                "div",
                el("h2", esc(t), m.cls("subheading")),
                m.cls("subhead_block") + attrs(data_component="subheadline-block"),
            )

        def wrap(kind: str, html: str) -> str:
            return el("div", html, attrs(data_component=f"{kind}-block") + m.cls("block"))

        body = r.body(art, para, sub, wrap=wrap, lead_figure=False)
        lead = r.lead(art, body)
        inner = (
            el(
                "header",
                el("h1", esc(art.title), m.cls("headline") + attrs(id="main-heading")),
                m.cls("article_header"),
            )
            + el(
                "div",
                r.byline(art) + " " + r.time_el(art.published),
                m.cls("byline_block") + attrs(data_component="byline-block"),
            )
            + (el("div", lead, attrs(data_component="image-block")) if lead else "")
            + body.html
        )
        main = el("article", inner, m.cls("article"))
    else:
        element = rng.choice(("p", "p", "div"))

        def para(t: str) -> str:
            return el(element, esc(t), m.cls("paragraph"))

        def sub(t: str) -> str:
            return el("h2", esc(t), m.cls("subheading"))

        wrap = None
        if template == 2:

            def wrap(kind: str, html: str) -> str:
                return el("div", html, attrs(data_block=kind))

        body = r.body(art, para, sub, wrap=wrap)
        meta = el(
            "div", r.byline(art) + el("span", " · ") + r.time_el(art.published), m.cls("meta")
        )
        header = el(
            "div" if template == 2 else "header",
            el("h1", esc(art.title), m.cls("headline")) + meta,
            m.cls("article_header"),
        )
        content = el(
            "section" if template == 0 else "div",
            m.wrap(body.html, rng.randint(1, 3), ("body_wrap", "body_inner")),
            m.cls("body"),
        )
        tag = "article" if template == 0 else "div"
        main = el(tag, header + content, m.cls("article"))
    main = el("div", main, attrs(id="__next"))
    head = r.head(
        art.title,
        art.path,
        description=art.description,
        og_type="article",
        ld=[r.article_ld(art)] if r.ld else [],
        art=art,
        extra='<link rel="preload" href="/_next/static/css/app.css" as="style">',
    )
    page = r.page(head, r.frame(main, exclude=art) + "\n" + next_data(r, art))
    return r.finish(page, body)
