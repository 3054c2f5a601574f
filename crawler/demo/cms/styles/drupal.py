"""Drupal: Olivero node (field--name-body), Paragraphs entities, Layout Builder regions."""

from __future__ import annotations

import random

from crawler.demo.cms.markup import attrs, el, esc
from crawler.demo.cms.model import Article
from crawler.demo.cms.render import Rendered, SiteRenderer

VOCAB = {
    "site_header": ("site-header", "region region-header", "header"),
    "nav": ("primary-nav", "block block-menu navigation menu--main", "region region-primary-menu"),
    "logo": ("site-branding__name", "site-logo"),
    "tagline": ("site-branding__slogan", "site-slogan"),
    "site_footer": ("site-footer", "region region-footer"),
    "sidebar": ("region region-sidebar", "layout-sidebar-second", "region region-sidebar-second"),
    "ad": ("block block-dfp", "block-simpleads"),
    "newsletter": (
        "block block-simplenews",
        "block-newsletter-signup",
        "paragraph--type--newsletter",
    ),
    "related": (
        "block block-views block-views-blockrelated-content-block-1",
        "view-related-articles",
        "paragraph--type--related-content",
        "view view-content-recirculation",
    ),
    "tools": ("block block-addtoany", "service-links", "block-social-sharing"),
    "cookie": ("eu-cookie-compliance-banner", "sliding-popup", "cookiesjsr-banner"),
    "paywall": ("paywall-message", "block-paywall", "field--name-field-paywall"),
    "card": ("node node--type-article node--view-mode-teaser", "views-row"),
    "tags": ("field field--name-field-tags field--type-entity-reference",),
    "figure": ("field field--name-field-image", "media media--type-image"),
    "caption": ("field--name-field-caption", "caption"),
    "credit": ("field--name-field-credit", "media-credit"),
    "author_bio": ("field--name-field-author-bio", "block-author-info"),
    "main": ("main-content", "layout-content", "region region-content"),
}
BODY = (
    "clearfix text-formatted field field--name-body field--type-text-with-summary "
    "field--label-hidden field__item",
    "field field--name-body field--type-text-with-summary field--label-hidden",
    "text-formatted field field--name-body field__item",
    "body field--name-body",
)


PARAGRAPHS = (
    "field field--name-field-paragraphs field--type-entity-reference-revisions field__items"
)
TEXT = "clearfix text-formatted field field--name-field-text field__item"
JUNK = "\x00"  # marks the junk blocks among the body's blocks, before they become entities


def scheme(rng: random.Random) -> str:
    return "semantic"


def _para(t: str) -> str:
    return el("p", esc(t))


def _sub(t: str) -> str:
    return el("h2", esc(t))


def _meta(r: SiteRenderer, art: Article) -> str:
    author = el("span", r.byline(art), attrs(class_="field field--name-uid")) if art.authors else ""
    created = el("span", r.time_el(art.published), attrs(class_="field field--name-created"))
    return el("div", author + " " + created, attrs(class_="node__meta"))


def _tags(r: SiteRenderer, art: Article) -> str:
    if not art.tags:
        return ""
    items = "".join(
        el("div", r.link(t.path, t.label), attrs(class_="field__item")) for t in art.tags
    )
    label = el("div", esc(r.lang.ui["topics"]), attrs(class_="field__label"))
    return el("div", label + el("div", items, attrs(class_="field__items")), r.m.cls("tags"))


def _entities(r: SiteRenderer, blocks: list[str]) -> list[str]:
    """Paragraphs module: runs of text become text entities; each junk block is an entity."""
    items: list[str] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            items.append(_paragraph_entity("text", el("div", "".join(run), attrs(class_=TEXT))))
            run.clear()

    for block in blocks:
        if block.startswith(JUNK):
            flush()
            items.append(block[len(JUNK) :])
        else:
            run.append(block)
            if r.rng.random() < 0.25:
                flush()
    flush()
    return items


def _paragraph_entity(kind: str, inner: str) -> str:
    entity = el(
        "div",
        inner,
        attrs(class_=f"paragraph paragraph--type--{kind} paragraph--view-mode--default"),
    )
    return el("div", entity, attrs(class_="field__item"))


def article(r: SiteRenderer, art: Article) -> Rendered:
    rng, m = r.rng, r.m
    template = art.template
    title = el(
        "h1",
        el("span", esc(art.title), attrs(class_="field field--name-title")),
        attrs(class_=rng.choice(("page-title", "title", ""))),
    )
    if template == 1:
        body = r.body(
            art, _para, _sub, wrap=lambda kind, html: JUNK + _paragraph_entity(kind, html)
        )
        body.blocks[:] = _entities(r, body.blocks)
        content = el("div", "\n".join(body.blocks), attrs(class_=PARAGRAPHS))
    else:
        body = r.body(art, _para, _sub, lead_figure=False)
        content = el("div", m.wrap(body.html, rng.randint(0, 2)), attrs(class_=rng.choice(BODY)))
    lead = r.lead(art, body)
    lead = el("div", lead, attrs(class_="field field--name-field-image")) if lead else ""
    node_class = "node node--type-article node--promoted node--view-mode-full"
    if template in (0, 1):
        header = el("header", title + _meta(r, art), attrs(class_="node__header"))
        inner = header + el("div", lead + content + _tags(r, art), attrs(class_="node__content"))
        main = el(
            "article",
            inner,
            attrs(data_history_node_id=str(art.number), role="article", class_=node_class),
        )
    else:

        def block(name: str, html: str) -> str:
            return el(
                "div",
                html,
                attrs(class_=f"block block-layout-builder block-field-blocknodearticle{name}"),
            )

        first = (
            block("title", title)
            + block("created", _meta(r, art))
            + block("fieldimage", lead)
            + block("body", content)
            + block("fieldtags", _tags(r, art))
        )
        regions = el("div", first, attrs(class_="layout__region layout__region--first"))
        if rng.random() < 0.6:
            regions += el(
                "div", r.sidebar(art), attrs(class_="layout__region layout__region--second")
            )
        main = el(
            "div",
            regions,
            attrs(class_="layout layout--twocol-section layout--twocol-section--67-33"),
        )
        main = el("article", main, attrs(class_=node_class)) if rng.random() < 0.5 else main
    head = r.head(
        f"{art.title} | {r.site.name}",
        art.path,
        description=art.description,
        og_type="article",
        ld=[r.article_ld(art)] if r.ld else [],
        art=art,
    )
    return r.finish(
        r.page(head, r.frame(main, exclude=art), "path-node page-node-type-article"), body
    )
