"""An old table-layout site: bodies in <td> and <font>, paragraphs split by <br><br>."""

from __future__ import annotations

import random

from crawler.demo.cms.markup import attrs, el, esc
from crawler.demo.cms.model import Article, Listing
from crawler.demo.cms.render import Rendered, SiteRenderer

VOCAB = {
    "site_header": ("header", "top", ""),
    "nav": ("nav", "menu", "navbar"),
    "sidebar": ("left", "sidebar", "links"),
    "card": ("headline", "story", "item"),
    "main": ("content", "main", ""),
}
FONTS = (
    'face="Verdana, Arial, Helvetica" size="2"',
    'face="Arial" size="2"',
    'face="Georgia, Times New Roman" size="3"',
    'size="2"',
)


def scheme(rng: random.Random) -> str:
    return "semantic"


def frame(r: SiteRenderer, main: str, exclude: Article | None = None) -> str:
    rng = r.rng
    nav = " | ".join(r.link(p, t) for p, t in r.nav_links())
    left = "<br>".join(r.link(s.path, s.label) for s in r.site.sections)
    if rng.random() < 0.7:
        left += "<br><br>" + r.sidebar(exclude)
    services = " | ".join(r.link(p, t) for p, t in r.site.services.items())
    authors = " | ".join(r.link(a.path, a.label) for a in r.site.authors)
    footer = "<br>".join(r.chrome("footer", line) for line in r.footer_lines)
    color = rng.choice(("#003366", "#660000", "#004400", "#333333"))
    rows = [
        f'<tr><td colspan="2" bgcolor="{color}"><a name="top"></a><font color="#ffffff" size="5">'
        f'<b>{esc(r.site.name)}</b></font><br><font color="#ffffff" size="1">'
        f"{r.chrome('tagline', r.tagline)}</font></td></tr>",
        f'<tr><td colspan="2"><font size="1">{nav}</font></td></tr>',
        f'<tr><td width="150" valign="top" bgcolor="#eeeeee"><font size="1">{left}</font></td>'
        f'<td valign="top"{r.m.cls("main")}>{main}</td></tr>',
        f'<tr><td colspan="2"><hr><font size="1">{services}<br>{authors}<br>{footer}</font>'
        "</td></tr>",
    ]
    table = (
        f'<table width="{rng.choice(("760", "780", "100%"))}" border="0" cellpadding="4" '
        f'cellspacing="0" align="center">{"".join(rows)}</table>'
    )
    if r.chrome_cookie:
        table = r.cookie_bar() + table
    return table


def article(r: SiteRenderer, art: Article) -> Rendered:
    rng = r.rng
    template = art.template
    gap = rng.choice(("<br><br>", "<br>\n<br>", "<br><br>\n"))

    def para(t: str) -> str:
        return esc(t) + gap

    def sub(t: str) -> str:
        return el("b", esc(t)) + gap

    def wrap(kind: str, html: str) -> str:
        form = rng.choice(("table", "center", "plain"))
        if form == "table":
            return f'<table border="0" width="100%"><tr><td>{html}</td></tr></table>'
        return el("center", html) if form == "center" else html

    byline = r.byline(art)
    date = esc(r.date_text(art.published))
    if template == 0:
        body = r.body(art, para, sub, old=True, wrap=wrap)
        main = (
            f'<font {rng.choice(FONTS)}><font size="4"><b>{esc(art.title)}</b></font><br>'
            f"<i>{byline}</i> - {date}{gap}{''.join(body.blocks)}</font>"
        )
    elif template == 1:

        def para_p(t: str) -> str:
            return f"<p><font {FONTS[3]}>{esc(t)}</font></p>"

        body = r.body(art, para_p, lambda t: el("p", el("b", esc(t))), old=True, wrap=wrap)
        main = (
            '<table width="100%" border="0" cellpadding="2">'
            f'<tr><td class="headline"><h2>{esc(art.title)}</h2>'
            f'<font size="1">{byline} {date}</font></td></tr>'
            f'<tr><td class="story">{"".join(body.blocks)}</td></tr></table>'
        )
    else:
        body = r.body(art, para, sub, old=True, wrap=wrap)
        main = el(
            "div",
            f'<span class="title"><b>{esc(art.title)}</b></span><br>'
            f'<span class="date">{date}</span> {byline}<br><br>'
            f'<span class="body">{"".join(body.blocks)}</span>',
            attrs(id="story"),
        )
    head = r.head(
        f"{r.site.name} - {art.title}",
        art.path,
        description=art.description,
        og_type="article",
        ld=[r.article_ld(art)] if r.ld else [],
        art=art,
    )
    page = r.page(head, frame(r, main, art), "").replace("<body>", '<body bgcolor="#ffffff">')
    return r.finish(page, body)


def listing(r: SiteRenderer, item: Listing) -> Rendered:
    head = r.head(
        f"{r.site.name} - {item.title}",
        item.path,
        og_type=r.listing_og_type(item),
        ld=r.listing_ld(item),
    )
    return r.finish(r.page(head, frame(r, r.listing_body(item))))


def service(r: SiteRenderer, path: str, title: str) -> Rendered:
    text = r.rng.choice(r.pool["section_intro"]).format(site=r.site.name, section=title)
    main = el("h2", esc(title)) + el("p", esc(text))
    return r.finish(r.page(r.head(title, path), frame(r, main)))
