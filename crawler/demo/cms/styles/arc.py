"""Arc XP and Brightspot-like sites: b-article-body / article-body, data-* typed components."""

from __future__ import annotations

import random

from crawler.demo.cms.markup import attrs, el, esc
from crawler.demo.cms.model import Article
from crawler.demo.cms.render import Rendered, SiteRenderer

VOCAB = {
    "site_header": ("b-header", "c-nav-header", "Page-header"),
    "nav": ("b-header-nav", "c-section-nav", "Page-header-navigation"),
    "logo": ("b-header__logo", "Page-header-logo"),
    "site_footer": ("b-footer", "Page-footer"),
    "sidebar": ("b-right-rail", "right-rail", "Page-aside"),
    "ad": ("b-ad-block", "arcad", "GoogleDfpAd-wrapper"),
    "newsletter": ("b-newsletter-signup", "NewsletterSignupInline", "c-newsletter"),
    "related": ("b-related-content", "b-read-more", "RelatedList", "c-related-links"),
    "tools": ("b-social-share", "ActionBar", "c-share-bar"),
    "cookie": ("b-consent-banner", "ConsentBanner", "onetrust-banner-sdk"),
    "paywall": ("b-paywall", "PaywallPrompt", "c-meter-prompt"),
    "card": ("b-results-list__item", "PromoB", "c-story-card"),
    "figure": ("b-article-body__image", "Figure", "c-media-item"),
    "credit": ("b-caption__credit", "Figure-credit", "c-media-item__credit"),
    "caption": ("b-caption__text", "Figure-caption"),
    "tags": ("b-tag-list", "Page-tags", "c-tags"),
    "author_bio": ("b-author-bio", "AuthorBio"),
}


def scheme(rng: random.Random) -> str:
    return "semantic"


def article(r: SiteRenderer, art: Article) -> Rendered:
    rng, m = r.rng, r.m
    template = art.template
    if template == 0:

        def para(t: str) -> str:
            return el("p", esc(t), attrs(class_="c-paragraph", data_type="text"))

        def sub(t: str) -> str:
            return el("h2", esc(t), attrs(class_="c-heading", data_type="header"))

        def wrap(kind: str, html: str) -> str:
            return el(
                "div",
                html,
                attrs(
                    data_type=rng.choice(("interstitial_link", "custom_embed", "raw_html", kind))
                ),
            )

        body = r.body(art, para, sub, wrap=wrap, lead_figure=False)
        lead = r.lead(art, body)
        header = el(
            "header",
            el("h1", esc(art.title), attrs(class_="b-headline"))
            + el("div", r.byline(art) + r.time_el(art.published), attrs(class_="b-byline")),
            attrs(class_="b-article-header"),
        )
        container = rng.choice(("article", "div"))
        main = (
            header
            + (el("div", lead, attrs(class_="b-lead-art")) if lead else "")
            + el(
                container,
                body.html,
                attrs(class_="b-article-body", id=rng.choice(("article-body", None))),
            )
        )
    elif template == 1:

        def para(t: str) -> str:
            return el("p", esc(t), attrs(class_="article-body__paragraph", data_el="text"))

        def sub(t: str) -> str:
            return el("h3", esc(t), attrs(class_="article-body__heading"))

        body = r.body(art, para, sub)
        main = el(
            "div",
            el("h1", esc(art.title), attrs(class_="headline"))
            + el(
                "div", r.time_el(art.published) + " " + r.byline(art), attrs(class_="article-meta")
            ),
            attrs(class_="article-header"),
        )
        main += el(
            "div",
            el(
                "section",
                m.wrap(body.html, rng.randint(0, 2)),
                attrs(class_="article-body__content"),
            ),
            attrs(class_="article-body", data_component="article-body"),
        )
    else:

        def para(t: str) -> str:
            return el("p", esc(t))

        def sub(t: str) -> str:
            return el("h2", esc(t))

        def wrap(kind: str, html: str) -> str:
            return el(rng.choice(("ps-module", "bsp-module", "div")), html, attrs(data_module=kind))

        body = r.body(art, para, sub, wrap=wrap)
        main = el(
            "div",
            el("h1", esc(art.title), attrs(class_="ArticlePage-headline"))
            + el(
                "div", r.byline(art) + r.time_el(art.published), attrs(class_="ArticlePage-byline")
            ),
            attrs(class_="ArticlePage-articleHeader"),
        )
        main += el(
            "div",
            el("div", body.html, attrs(class_="RichTextArticleBody-body RichTextBody")),
            attrs(class_="RichTextArticleBody", data_module=""),
        )
        main = el("article", main, attrs(class_="ArticlePage-mainContent"))
    if art.tags and rng.random() < 0.6:
        main += el("div", " ".join(r.link(t.path, t.label) for t in art.tags), m.cls("tags"))
    head = r.head(
        art.title,
        art.path,
        description=art.description,
        og_type="article",
        ld=[r.article_ld(art)] if r.ld else [],
        art=art,
    )
    return r.finish(r.page(head, r.frame(main, exclude=art)), body)
