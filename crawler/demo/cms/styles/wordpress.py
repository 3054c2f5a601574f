"""WordPress themes: classic (entry-content), block theme, Newspaper (td-post-content), Astra."""

from __future__ import annotations

import random

from crawler.demo.cms.markup import attrs, el, esc
from crawler.demo.cms.model import Article
from crawler.demo.cms.render import Rendered, SiteRenderer

VOCAB = {
    "site_header": (
        "site-header",
        "site-header header-main",
        "td-header-wrap",
        "ast-primary-header",
    ),
    "nav": ("main-navigation", "primary-menu-container", "menu-main-container"),
    "logo": ("site-title", "custom-logo-link"),
    "tagline": ("site-description",),
    "site_footer": ("site-footer", "footer-widgets", "site-info"),
    "sidebar": ("widget-area sidebar", "secondary widget-area", "td-ss-main-sidebar"),
    "ad": ("widget widget_ads", "adsbygoogle", "code-block code-block-3"),
    "newsletter": (
        "widget widget_mc4wp_form_widget",
        "wp-block-group newsletter-signup",
        "mc4wp-form",
        "jetpack_subscription_widget",
        "wp-block-group",
    ),
    "related": (
        "jp-relatedposts",
        "yarpp-related",
        "crp_related",
        "wp-block-latest-posts",
        "related-posts",
        "td-related-row",
    ),
    "tools": (
        "sharedaddy sd-sharing-enabled",
        "addtoany_share_save_container",
        "social-share",
        "td-post-sharing",
    ),
    "figure": ("wp-block-image", "wp-caption aligncenter", "wp-block-image size-large"),
    "caption": ("wp-caption-text",),
    "credit": ("wp-caption-credit", "image-credit", "photo-credit", ""),
    "cookie": (
        "cky-consent-container",
        "cmplz-cookiebanner",
        "cookie-notice-container",
        "wp-block-group",
    ),
    "paywall": (
        "pmpro_content_message",
        "swg-paywall",
        "wp-block-group paywall",
        "mepr-unauthorized",
    ),
    "card": ("post type-post", "td_module_wrap", "wp-block-post", "ast-article-post"),
    "tags": ("tags-links", "wp-block-post-terms", "td-tags"),
    "author_bio": (
        "author-box",
        "saboxplugin-wrap",
        "td-author-box",
        "wp-block-post-author-biography",
    ),
}
CONTENT = (
    "entry-content",
    "entry-content clear",
    "post-content entry-content",
    "the-content entry-content",
    "entry-content single-content",
)


def scheme(rng: random.Random) -> str:
    return "semantic"


def _meta(r: SiteRenderer, art: Article) -> str:
    parts = [r.byline(art), r.time_el(art.published)]
    r.rng.shuffle(parts)
    return " ".join(p for p in parts if p)


def _terms(r: SiteRenderer, art: Article) -> str:
    links = [r.link(t.path, t.label, attrs(rel="tag")) for t in art.tags]
    return (
        el("footer", el("span", ", ".join(links), r.m.cls("tags")), attrs(class_="entry-footer"))
        if links
        else ""
    )


def article(r: SiteRenderer, art: Article) -> Rendered:
    rng, m = r.rng, r.m
    template = art.template
    block_theme = template == 1 or rng.random() < 0.2
    para = (
        (lambda t: el("p", esc(t), attrs(class_="wp-block-paragraph")))
        if block_theme
        else (lambda t: el("p", esc(t)))
    )
    head_class = "wp-block-heading" if block_theme else None

    def sub(t: str) -> str:
        return el(rng.choice(("h2", "h3")), esc(t), attrs(class_=head_class))

    body = r.body(art, para, sub, lead_figure=template in (1, 3))
    content_class = rng.choice(CONTENT)
    title = el("h1", esc(art.title), attrs(class_="entry-title"))
    if template == 0:
        lead = r.lead(art, body)
        inner = (
            el(
                "header",
                title + el("div", _meta(r, art), attrs(class_="entry-meta")),
                attrs(class_="entry-header"),
            )
            + (el("div", lead, attrs(class_="post-thumbnail")) if lead else "")
            + el("div", m.wrap(body.html, rng.randint(0, 1)), attrs(class_=content_class))
            + _terms(r, art)
        )
        classes = f"post-{art.number} post type-post status-publish format-standard hentry"
        main = el("article", inner, attrs(id=f"post-{art.number}", class_=classes))
    elif template == 1:
        inner = (
            el("h1", esc(art.title), attrs(class_="wp-block-post-title"))
            + el("div", r.time_el(art.published), attrs(class_="wp-block-post-date"))
            + (
                el("div", r.byline(art), attrs(class_="wp-block-post-author"))
                if art.authors
                else ""
            )
            + el(
                "div",
                body.html,
                attrs(class_=f"{content_class} wp-block-post-content is-layout-constrained"),
            )
            + _terms(r, art)
        )
        main = el(
            "div", inner, attrs(class_="wp-block-group has-global-padding is-layout-constrained")
        )
    elif template == 2:
        lead = r.lead(art, body)
        category = el(
            "ul", el("li", r.link(art.section.path, art.section.label)), attrs(class_="td-category")
        )
        header = el(
            "div",
            category
            + el(
                "header",
                title + el("div", _meta(r, art), attrs(class_="td-module-meta-info")),
                attrs(class_="td-post-title"),
            ),
            attrs(class_="td-post-header"),
        )
        content = el(
            "div",
            (el("div", lead, attrs(class_="td-post-featured-image")) if lead else "") + body.html,
            attrs(class_="td-post-content tagdiv-type"),
        )
        main = el("div", header + content + _terms(r, art), attrs(class_="td-ss-main-content"))
    else:
        inner = el(
            "div",
            el(
                "header",
                el("h1", esc(art.title), attrs(class_="entry-title", itemprop="headline"))
                + el("div", _meta(r, art), attrs(class_="entry-meta")),
                attrs(class_="entry-header"),
            )
            + el("div", body.html, attrs(class_=content_class, itemprop="text")),
            attrs(class_="inside-article"),
        )
        main = el(
            "article",
            inner,
            attrs(
                id=f"post-{art.number}",
                class_="post ast-article-single",
                itemscope="",
                itemtype="https://schema.org/CreativeWork",
            ),
        )
    head = r.head(
        f"{art.title} – {r.site.name}",
        art.path,
        description=art.description,
        og_type="article",
        ld=[r.article_ld(art)] if r.ld else [],
        art=art,
    )
    return r.finish(r.page(head, r.frame(main, exclude=art), "single single-post"), body)
