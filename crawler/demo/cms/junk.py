"""Blocks of junk as real article pages carry them, in many structural forms and phrasings.

Every function returns a :class:`Block`: its HTML and the visible strings it adds, each labelled
with its kind, which the truth lists as junk that must never reach an article's text. Figures give
captions (truth for ``captions``) and credits (junk for the text).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field

from crawler.demo.cms.lang import Language, person
from crawler.demo.cms.markup import Markup, attrs, el, esc
from crawler.demo.cms.phrases import AGENCIES, PHRASES

ARROWS = ("", "", "", " →", " »", " ›", " >", " ...")
# A visible string shorter than this (and of one word) is not listed as junk: "OK", "Share".
MIN_JUNK_CHARS = 6


@dataclass
class Block:
    """Rendered HTML plus what it adds to the page: junk strings, captions, credits."""

    html: str
    junk: list[tuple[str, str]] = field(default_factory=list)  # (kind, visible text)
    captions: list[str] = field(default_factory=list)
    credits: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Teaser:
    """Another page of the site as a card links to it."""

    title: str
    url: str
    description: str
    date_text: str
    image: str


@dataclass
class Context:
    """What junk on one article page may mention."""

    rng: random.Random
    lang: Language
    markup: Markup
    site_name: str
    section: str  # label of the article's section
    section_url: str
    teasers: list[Teaser]  # other articles of the same site
    author: tuple[str, str] | None = None  # (name, url)
    tags: list[tuple[str, str]] = field(default_factory=list)  # (label, url)
    full_story: tuple[str, str] | None = None  # (site name, url) of the complete copy
    date_text: str = ""

    def say(self, kind: str, **values: str | int) -> str:
        """One phrasing of ``kind`` in the site's language, filled in."""
        pool = PHRASES[self.lang.code][kind]
        text = self.rng.choice(pool)
        fill = {
            "site": self.site_name,
            "section": self.section,
            "n": self.rng.randint(12, 89),
            "name": self.author[0] if self.author else person(self.rng, self.lang),
            "agency": self.rng.choice(AGENCIES),
            "date": self.date_text,
        }
        fill.update(values)
        return text.format(**fill)


MARKS = ("▶ ", "» ", "■ ", "— ", "📩 ", "★ ")


def shout(rng: random.Random, text: str) -> str:
    """Headings are written in capitals, in title case, with a colon or a mark, or plainly."""
    roll = rng.random()
    if roll < 0.15:
        return text.upper()
    if roll < 0.25 and not text.endswith((":", "?", "!")):
        return text + ":"
    if roll < 0.32:
        return rng.choice(MARKS) + text
    if roll < 0.4 and " " in text:
        return " ".join(word[:1].upper() + word[1:] for word in text.split(" "))
    return text


def arrow(rng: random.Random, text: str) -> str:
    return text + rng.choice(ARROWS)


def _heading(ctx: Context, text: str) -> str:
    tag = ctx.rng.choice(("h2", "h3", "h3", "h4", "strong", "p", "div", "span"))
    return el(tag, esc(text), ctx.markup.cls("block_title"))


def _record(block: Block, kind: str, *texts: str) -> Block:
    for text in texts:
        core = text.strip()
        if len(core) >= MIN_JUNK_CHARS or len(core.split()) > 1:
            block.junk.append((kind, core))
    return block


# -- consent, sign-up, paywall --------------------------------------------------------------------


def cookie_banner(ctx: Context) -> Block:
    rng, m = ctx.rng, ctx.markup
    texts = []
    parts = []
    if rng.random() < 0.5:
        heading = shout(rng, ctx.say("cookie_heading"))
        parts.append(_heading(ctx, heading))
        texts.append(heading)
    intro = ctx.say("cookie_intro")
    more = ctx.say("cookie_more") if rng.random() < 0.7 else ""
    policy = ctx.say("cookie_policy")
    link = f' <a href="/privacy/">{esc(policy)}</a>' if rng.random() < 0.6 else ""
    if link:
        texts.append(policy)
    if rng.random() < 0.5:
        parts.append(el("p", esc(intro) + (" " + esc(more) if more else "") + link))
    else:
        parts.append(el("p", esc(intro)))
        if more:
            parts.append(el("p", esc(more) + link))
        elif link:
            parts.append(el("p", link.strip()))
    texts += [intro, more] if more else [intro]
    buttons = [ctx.say("cookie_accept")]
    if rng.random() < 0.7:
        buttons.append(ctx.say("cookie_reject"))
    if rng.random() < 0.5:
        buttons.append(ctx.say("cookie_settings"))
    rng.shuffle(buttons)
    if rng.random() < 0.6:
        rendered = " ".join(
            el("button", esc(b), attrs(type="button", data_action=rng.choice(("", "accept"))))
            for b in buttons
        )
    else:
        rendered = " ".join(el("a", esc(b), attrs(href="#", role="button")) for b in buttons)
    parts.append(el("div", rendered, m.cls("cookie_buttons")))
    texts += buttons
    extra = attrs(
        role="dialog" if rng.random() < 0.5 else None,
        aria_label="Cookie consent" if rng.random() < 0.4 else None,
        aria_modal="true" if rng.random() < 0.2 else None,
        data_consent=rng.choice(("", "banner", "cmp")) or None,
        id=m.ident("consent") if rng.random() < 0.4 else None,
    )
    html = el(m.box(), "".join(parts), m.cls("cookie") + extra)
    return _record(Block(html), "cookie", *texts)


def newsletter_box(ctx: Context) -> Block:
    rng, m = ctx.rng, ctx.markup
    heading = shout(rng, ctx.say("newsletter_heading"))
    pitch = ctx.say("newsletter_pitch")
    button = ctx.say("newsletter_button")
    placeholder = ctx.say("newsletter_placeholder")
    texts = [heading, pitch, button]
    field_html = el("input", "", attrs(type="email", name="email", placeholder=placeholder))
    field_html = field_html.replace("></input>", ">")
    if rng.random() < 0.4:
        field_html = el("label", esc(placeholder), attrs(for_="nl-email")) + field_html
        texts.append(placeholder)
    form = el(
        "form",
        field_html + el("button", esc(button), attrs(type="submit")),
        attrs(action="/newsletter/subscribe", method="post", class_=m.name("newsletter_form")),
    )
    parts = [_heading(ctx, heading), el("p", esc(pitch)), form]
    if rng.random() < 0.5:
        fine = ctx.say("newsletter_fine")
        parts.append(el(rng.choice(("p", "small", "div")), esc(fine)))
        texts.append(fine)
    if rng.random() < 0.3:
        parts.reverse()
        parts = [parts[-1], *parts[:-1]]
    extra = attrs(data_module="newsletter" if rng.random() < 0.3 else None)
    html = el(m.box(), "".join(parts), m.cls("newsletter") + extra)
    return _record(Block(html), "newsletter", *texts)


def paywall_prompt(ctx: Context) -> Block:
    rng, m = ctx.rng, ctx.markup
    heading = shout(rng, ctx.say("paywall_heading"))
    text = ctx.say("paywall_text")
    cta = ctx.say("paywall_cta")
    login = ctx.say("paywall_login")
    parts = [
        _heading(ctx, heading),
        el("p", esc(text)),
        el("a", esc(cta), attrs(href="/subscribe/", class_=m.name("button"))),
    ]
    texts = [heading, text, cta]
    if rng.random() < 0.7:
        question, _, action = login.partition("?")
        if action:
            parts.append(el("p", esc(question + "?") + f' <a href="/subscribe/">{esc(action)}</a>'))
        else:
            parts.append(el("p", f'<a href="/subscribe/">{esc(login)}</a>'))
        texts.append(login)
    extra = attrs(data_paywall="true" if rng.random() < 0.5 else None)
    return _record(Block(el(m.box(), "".join(parts), m.cls("paywall") + extra)), "paywall", *texts)


# -- links to other stories -----------------------------------------------------------------------


def teaser_list(ctx: Context) -> Block:
    """'You may also like': 2-6 cards linking other articles of the site."""
    rng, m = ctx.rng, ctx.markup
    if len(ctx.teasers) < 2:
        return Block("")
    cards = rng.sample(ctx.teasers, min(len(ctx.teasers), rng.randint(2, 6)))
    texts: list[str] = []
    form = rng.choice(("list", "cards", "grid", "plain"))
    with_excerpt = rng.random() < 0.5
    with_time = rng.random() < 0.4
    with_image = rng.random() < 0.5
    items = []
    for card in cards:
        title = card.title
        link = el("a", esc(title), attrs(href=card.url))
        texts.append(title)
        bits = []
        if with_image:
            bits.append(f'<img src="{esc(card.image)}" alt="" loading="lazy">')
        bits.append(
            el(rng.choice(("h3", "h4", "span", "div")), link, m.cls("teaser_title"))
            if form != "list"
            else link
        )
        if with_time:
            bits.append(el("time", esc(card.date_text), attrs(datetime="2025-03-01")))
        if with_excerpt:
            bits.append(el("p", esc(card.description), m.cls("teaser_excerpt")))
            texts.append(card.description)
        if rng.random() < 0.15:
            bits.reverse()
        inner = "".join(bits)
        if form == "list":
            items.append(el("li", inner, m.cls("teaser")))
        else:
            items.append(el(rng.choice(("div", "article")), inner, m.cls("teaser")))
    body = "".join(items)
    body = (
        el("ul", body, m.cls("teaser_list")) if form == "list" else el("div", body, m.cls("grid"))
    )
    parts = []
    if rng.random() < 0.8:
        heading = shout(rng, ctx.say("related_heading"))
        parts.append(_heading(ctx, heading))
        texts.insert(0, heading)
    parts.append(body)
    extra = attrs(
        data_component=rng.choice(("", "related", "recirculation")) or None,
        aria_label=ctx.say("related_heading") if rng.random() < 0.2 else None,
    )
    tag = rng.choice(("div", "section", "aside", "nav")) if rng.random() < 0.6 else m.box()
    return _record(Block(el(tag, "".join(parts), m.cls("related") + extra)), "related", *texts)


def inline_teaser(ctx: Context) -> Block:
    """'Also read: <headline>' between two paragraphs."""
    rng = ctx.rng
    if not ctx.teasers:
        return Block("")
    card = rng.choice(ctx.teasers)
    label = ctx.say("also")
    link = el("a", esc(card.title), attrs(href=card.url))
    tag = rng.choice(("p", "p", "div", "aside"))
    opening = el("strong", esc(label)) if rng.random() < 0.5 else esc(label)
    inner = opening + " " + link
    html = el(tag, inner, ctx.markup.cls("also"))
    return _record(Block(html), "also", f"{label} {card.title}", card.title)


def continue_link(ctx: Context) -> Block:
    rng = ctx.rng
    if rng.random() < 0.5:
        label = arrow(rng, ctx.say("continue"))
        href = rng.choice(ctx.teasers).url if ctx.teasers else ctx.section_url
        html = el(
            rng.choice(("p", "div")),
            el("a", esc(label), attrs(href=href)),
            ctx.markup.cls("more_link"),
        )
        return _record(Block(html), "continue", label.rstrip(" →»›>."))
    desk = ctx.say("desk")
    head, sep, tail = desk.rpartition(ctx.section)
    if sep and rng.random() < 0.7:
        inner = esc(head) + el("a", esc(ctx.section), attrs(href=ctx.section_url)) + esc(tail)
    else:
        inner = el("a", esc(desk), attrs(href=ctx.section_url))
    html = el(rng.choice(("p", "div", "footer")), inner, ctx.markup.cls("desk_link"))
    return _record(Block(html), "continue", desk)


def full_story_link(ctx: Context) -> Block:
    """The last line of an excerpt: a link to the complete copy on another site."""
    if ctx.full_story is None:
        return Block("")
    site, url = ctx.full_story
    label = arrow(ctx.rng, ctx.say("full_story", site=site))
    html = el("p", el("a", esc(label), attrs(href=url)), ctx.markup.cls("full_story"))
    return _record(Block(html), "full_story", label.rstrip(" →»›>."))


# -- tools, labels, bylines -----------------------------------------------------------------------


def toolbar(ctx: Context) -> Block:
    """Print / email / share: a '|' line of links, icon buttons with labels, or a share list."""
    rng, m = ctx.rng, ctx.markup
    form = rng.choice(("pipes", "icons", "share_line", "list"))
    texts: list[str] = []
    if form == "pipes":
        labels = [ctx.say("print"), ctx.say("email")]
        if rng.random() < 0.4:
            labels.append(ctx.say("comments"))
        hrefs = ["javascript:window.print()", "mailto:?subject=article", "#comments"]
        links = [
            el("a", esc(label), attrs(href=h)) for label, h in zip(labels, hrefs, strict=False)
        ]
        inner = rng.choice((" | ", " · ", " / ", " ")).join(links)
        texts += labels
    elif form == "icons":
        buttons = []
        for _ in range(rng.randint(3, 5)):
            label = ctx.say(rng.choice(("share", "print", "email")))
            hidden = rng.random() < 0.3
            text = el("span", esc(label), attrs(class_="sr-only")) if hidden else ""
            if hidden:
                texts.append(label)
            buttons.append(
                el(
                    "button",
                    '<svg aria-hidden="true"></svg>' + text,
                    attrs(type="button", aria_label=label, title=label),
                )
            )
        inner = "".join(buttons)
    elif form == "share_line":
        intro = ctx.say("share_intro")
        names = rng.sample(("Facebook", "X", "WhatsApp", "LinkedIn", "Telegram", "Email"), 3)
        inner = esc(intro) + " " + " ".join(el("a", n, attrs(href="#")) for n in names)
        texts += [intro, *names]
    else:
        labels = [ctx.say("share"), ctx.say("print"), ctx.say("email")]
        inner = el("ul", "".join(el("li", el("a", esc(x), attrs(href="#"))) for x in labels))
        texts += labels
    extra = attrs(
        role="toolbar" if rng.random() < 0.3 else None,
        data_share="true" if rng.random() < 0.3 else None,
    )
    return _record(Block(el(m.box(), inner, m.cls("tools") + extra)), "tools", *texts)


def back_to_top(ctx: Context) -> Block:
    label = ctx.say("top")
    mark = ctx.rng.choice(("", "↑ ", "▲ ", "^ "))
    html = el(
        ctx.rng.choice(("p", "div")),
        el("a", esc(mark + label), attrs(href="#top")),
        ctx.markup.cls("top_link"),
    )
    return _record(Block(html), "top", label)


def advert(ctx: Context) -> Block:
    label = ctx.say("advert")
    slot = attrs(data_ad_slot=str(ctx.rng.randint(1000, 9999)), id=ctx.markup.ident("ad"))
    inner = el("span", esc(label)) + el("div", "", attrs(class_="ad-slot"))
    return _record(Block(el("div", inner, ctx.markup.cls("ad") + slot)), "advert", label)


def author_box(ctx: Context) -> Block:
    if ctx.author is None:
        return Block("")
    name, url = ctx.author
    bio = ctx.say("bio", name=name)
    more = ctx.say("more_by", name=name)
    photo = f'<img src="/img/authors/{ctx.rng.randint(1, 999)}.jpg" alt="">'
    inner = (
        (photo if ctx.rng.random() < 0.5 else "")
        + el("p", esc(bio))
        + el("a", esc(more), attrs(href=url))
    )
    return _record(
        Block(el(ctx.markup.box(), inner, ctx.markup.cls("author_bio"))), "author", bio, more
    )


def tag_line(ctx: Context) -> Block:
    if not ctx.tags:
        return Block("")
    label = ctx.say("tags_label")
    links = ", ".join(el("a", esc(t), attrs(href=u)) for t, u in ctx.tags)
    html = el(
        ctx.rng.choice(("div", "p", "footer")), esc(label) + " " + links, ctx.markup.cls("tags")
    )
    return _record(Block(html), "tags", label + " " + ", ".join(t for t, _ in ctx.tags))


def dateline(ctx: Context) -> Block:
    """'Published 12 March 2025' inside the body, as some templates print it."""
    text = ctx.say("dateline")
    html = el(ctx.rng.choice(("p", "div", "span")), esc(text), ctx.markup.cls("meta_line"))
    return _record(Block(html), "dateline", text)


# -- figures --------------------------------------------------------------------------------------


def credit_text(ctx: Context) -> tuple[str, str]:
    """(credit as printed, its distinctive core): ('Photo: Ana Ruiz/Nordpress', 'Ana Ruiz/...')."""
    rng = ctx.rng
    agency = rng.choice(AGENCIES)
    name = person(rng, ctx.lang)
    form = rng.choice(("prefix", "prefix", "paren", "agency_only", "for_site"))
    prefix = ctx.say("credit_prefix")
    if form == "prefix":
        core = f"{name}/{agency}" if rng.random() < 0.7 else f"{name} / {agency}"
        return f"{prefix} {core}", core
    if form == "paren":
        core = f"{name}/{agency}"
        return f"({core})", core
    if form == "agency_only":
        core = f"{agency}/{name}"
        return f"{prefix} {core}", core
    core = f"{name} for {ctx.site_name}" if ctx.lang.code == "en" else f"{name}, {agency}"
    return f"{prefix} {core}", core


def figure(ctx: Context, caption: str, src: str, *, old: bool = False) -> Block:
    """An image with its caption and credit, arranged in one of several ways."""
    rng, m = ctx.rng, ctx.markup
    printed, core = credit_text(ctx)
    img = f'<img src="{esc(src)}" alt="{esc(caption) if rng.random() < 0.3 else ""}">'
    credit_el = el(rng.choice(("span", "small", "p", "div")), esc(printed), m.cls("credit"))
    form = "table" if old else rng.choice(("inside", "inside", "after", "before", "div", "paren"))
    if form == "inside":
        html = el("figure", img + el("figcaption", esc(caption) + " " + credit_el), m.cls("figure"))
    elif form == "after":
        html = el("figure", img + el("figcaption", esc(caption)) + credit_el, m.cls("figure"))
    elif form == "before":
        html = el("figure", credit_el + img + el("figcaption", esc(caption)), m.cls("figure"))
    elif form == "div":
        html = el(
            "div",
            img + el("p", esc(caption), m.cls("caption")) + credit_el,
            m.cls("image_block"),
        )
    elif form == "paren":
        html = el(
            "figure", img + el("figcaption", f"{esc(caption)} {esc(printed)}"), m.cls("figure")
        )
    else:
        html = (
            '<table border="0" cellpadding="2" cellspacing="0" align="right" width="220">'
            f"<tr><td>{img}</td></tr>"
            f'<tr><td><font size="1">{esc(caption)}<br>{esc(printed)}</font></td></tr></table>'
        )
    block = Block(html, captions=[caption], credits=[core])
    return _record(block, "credit", core)


# Junk kinds placed inside an article body, with how likely a page is to carry each.
INSIDE: dict[str, tuple[float, Callable[[Context], Block]]] = {
    "cookie": (0.3, cookie_banner),
    "newsletter": (0.35, newsletter_box),
    "related": (0.55, teaser_list),
    "also": (0.3, inline_teaser),
    "continue": (0.35, continue_link),
    "tools": (0.45, toolbar),
    "top": (0.2, back_to_top),
    "advert": (0.25, advert),
    "author": (0.2, author_box),
    "tags": (0.25, tag_line),
    "dateline": (0.15, dateline),
}
