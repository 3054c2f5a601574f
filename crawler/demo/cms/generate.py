"""Write a generated world to a folder that :func:`crawler.demo.server.serve_world` serves.

``generate(seed, out_dir)`` plans the world (:mod:`crawler.demo.cms.plan`), renders every page in
its site's style, writes the files, each site's ``_world.json`` and the world's ``truth.json``,
and returns the :class:`~crawler.demo.cms.truth.Truth`. One ``random.Random(seed)`` drives every
choice, so a seed always gives byte-identical files.
"""

from __future__ import annotations

import json
import random
import re
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from crawler.demo.cms import feeds
from crawler.demo.cms.lang import DEFAULT_LANGUAGES
from crawler.demo.cms.model import Article, Site
from crawler.demo.cms.plan import Planner
from crawler.demo.cms.render import Rendered, SiteRenderer
from crawler.demo.cms.styles import STYLES
from crawler.demo.cms.truth import ARTICLE, LISTING, OTHER, TRUTH_NAME, Truth, junk_in, normalize
from crawler.urls import canonicalize

DEFAULT_ARTICLES = (10, 15)
HIDDEN = "_pages"
_PLAIN_FILE = re.compile(r"\.(?:html?|xml|txt)$")


def generate(
    seed: int,
    out_dir: Path | str,
    *,
    sites: int | None = None,
    articles: tuple[int, int] = DEFAULT_ARTICLES,
    languages: Sequence[str] = DEFAULT_LANGUAGES,
    japanese: bool = False,
) -> Truth:
    """Write the world of ``seed`` to ``out_dir`` (emptied first) and return its truth.

    ``sites`` sites (default: 5 or 6, drawn from the seed), each with ``articles`` = (min, max)
    article pages, in ``languages`` (at least three sites' languages differ when there are three
    codes). ``japanese`` adds one Japanese site, flagged ``cjk`` in the truth. Raises ValueError
    for counts that cannot make a world.
    """
    if sites is not None and sites < 2:
        raise ValueError(f"a world needs at least 2 sites, got sites={sites}")
    if articles[0] < 4 or articles[1] < articles[0]:
        raise ValueError(f"articles must be (min, max) with 4 <= min <= max, got {articles}")
    unknown = sorted(set(languages) - set(DEFAULT_LANGUAGES) - {"ja"})
    if unknown or len(languages) < 2:
        raise ValueError(f"languages must name two or more of en, de, es, fr; got {languages}")
    rng = random.Random(seed)
    count = sites if sites is not None else rng.choice((5, 6))
    planner = Planner(
        rng, sites=count, articles=articles, languages=tuple(languages), japanese=japanese
    )
    plan = planner.plan()
    by_key = {site.key: site for site in plan}
    out = Path(out_dir)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    truth = Truth(
        seed=seed,
        sites={},
        pages={},
        stories={},
        options={
            "sites": count,
            "articles": list(articles),
            "languages": list(languages),
            "japanese": japanese,
        },
    )
    for site in plan:
        renderer = SiteRenderer(site, rng, by_key, STYLES[site.style])
        pages = _render_site(site, renderer, truth)
        _write_site(out / site.key, site, pages, rng)
        truth.sites[site.key] = _site_truth(site)
    for story_id in planner.stories:
        urls = [_url(by_key[a.site], a) for s in plan for a in s.articles if a.story == story_id]
        if urls:
            copies = {
                _url(by_key[a.site], a): a.copy
                for s in plan
                for a in s.articles
                if a.story == story_id
            }
            truth.stories[story_id] = {"urls": urls, "copies": copies}
    for first, second in planner.hard_negatives:
        pair = [truth.stories[first]["urls"][0], truth.stories[second]["urls"][0]]
        truth.hard_negatives.append(pair)
    (out / TRUTH_NAME).write_text(truth.to_json(), encoding="utf-8")
    return truth


def _url(site: Site, art: Article) -> str:
    return canonicalize(site.url(art.path))


def _render_site(site: Site, r: SiteRenderer, truth: Truth) -> dict[str, str]:
    """Render every HTML page of ``site``; add each to ``truth``; return {path: html}."""
    style = STYLES[site.style]
    pages: dict[str, str] = {}
    for art in site.articles:
        rendered = style.article(r, art)
        pages[art.path] = rendered.html
        truth.pages[_url(site, art)] = _article_truth(site, art, rendered)
    for listing in site.listings:
        make = getattr(style, "listing", None)
        rendered = make(r, listing) if make else r.listing_page(listing)
        pages[listing.path] = rendered.html
        disallowed = any(listing.path.startswith(p) for p in site.disallow)
        truth.pages[canonicalize(site.url(listing.path))] = {
            "type": LISTING,
            "subtype": listing.kind,
            "site": site.key,
            "title": listing.title,
            "misleading": listing.misleading,
            "disallowed": disallowed,
            "words": len(listing.intro.split()) + sum(len(e.text.split()) for e in listing.events),
        }
    for path, title in site.services.items():
        make = getattr(style, "service", None)
        rendered = make(r, path, title) if make else r.service_page(path, title)
        pages[path] = rendered.html
        truth.pages[canonicalize(site.url(path))] = {
            "type": OTHER,
            "subtype": "service",
            "site": site.key,
            "title": title,
        }
    return pages


def _article_truth(site: Site, art: Article, rendered: Rendered) -> dict[str, Any]:
    text = "\n".join(art.lines)
    normalized = normalize(text)
    junk, seen = [], set()
    for item in rendered.junk:
        key = normalize(item["text"])
        # A junk string the true text also says cannot tell a leak apart; it is left out.
        if not key or key in seen or junk_in(normalized, item["text"]):
            continue
        seen.add(key)
        junk.append(item)
    return {
        "type": ARTICLE,
        "site": site.key,
        "style": site.style,
        "template": art.template,
        "title": art.title,
        "description": art.description,
        "text": text,
        "captions": rendered.captions,
        "credits": rendered.credits,
        "authors": [a.label for a in art.authors],
        "published": art.published.isoformat(),
        "modified": art.modified.isoformat() if art.modified else None,
        "language": site.lang.code,
        "section": art.section.label,
        "tags": [t.label for t in art.tags],
        "story": art.story,
        "copy": art.copy,
        "paywalled": art.paywalled,
        "cjk": site.cjk,
        "junk": junk,
    }


def _write_site(folder: Path, site: Site, pages: dict[str, str], rng: random.Random) -> None:
    files: dict[str, str] = dict(pages)
    taken = set(files)

    def claim(path: str) -> str:
        base, n = path, 2
        while path in taken:
            path = base.replace(".xml", f"-{n}.xml")
            n += 1
        taken.add(path)
        return path

    for path, kind in site.feeds:
        files[path] = feeds.rss(site, rng) if kind == "rss" else feeds.atom(site, rng, path)
    files.update(feeds.sitemap_files(site, rng, claim))
    files["/robots.txt"] = feeds.robots(site)
    mapped: dict[str, str] = {}
    for number, (path, content) in enumerate(sorted(files.items())):
        plain = path.split("?")[0] == path and (path.endswith("/") or _PLAIN_FILE.search(path))
        target = (
            path + ("index.xml" if content.startswith("<?xml") else "index.html")
            if path.endswith("/")
            else path
        )
        if not plain:
            suffix = ".xml" if content.startswith("<?xml") else ".html"
            target = f"/{HIDDEN}/{number:04d}{suffix}"
            mapped[path] = target.lstrip("/")
        file = folder / target.lstrip("/")
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(content, encoding="utf-8")
    config = {"origin": site.origin, "start": site.start, "pages": mapped}
    (folder / "_world.json").write_text(
        json.dumps(config, indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )


def _site_truth(site: Site) -> dict[str, Any]:
    return {
        "name": site.name,
        "origin": site.origin,
        "style": site.style,
        "language": site.lang.code,
        "templates": site.templates,
        "start": [canonicalize(site.url(p)) for p in site.start],
        "feeds": [{"url": site.url(p), "kind": k} for p, k in site.feeds],
        "sitemaps": [site.url(p) for p in site.sitemaps],
        "sitemap_kind": site.sitemap_kind,
        "robots_disallow": site.disallow,
        "cjk": site.cjk,
    }
