"""What a page says about itself before extraction: meta tags, JSON-LD, canonical link, lang."""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from lxml.html import HtmlElement

from crawler.urls import canonicalize, site_of

logger = logging.getLogger(__name__)

# JSON-LD types that say "this page is one article".
ARTICLE_LD_TYPES = frozenset(
    {
        "article",
        "newsarticle",
        "reportagenewsarticle",
        "analysisnewsarticle",
        "opinionnewsarticle",
        "backgroundnewsarticle",
        "reviewnewsarticle",
        "blogposting",
        "liveblogposting",
        "socialmediaposting",
        "techarticle",
        "scholarlyarticle",
        "report",
    }
)
# JSON-LD types of pages that list or describe things rather than tell one story.


@dataclass
class Signals:
    """What the page says about itself in <head> and JSON-LD, read before extraction."""

    meta: dict[str, str] = field(default_factory=dict)
    meta_tags: list[str] = field(default_factory=list)
    ld_types: list[str] = field(default_factory=list)
    ld: dict[str, object] = field(default_factory=dict)
    canonical: str | None = None
    lang: str | None = None

    @property
    def ld_article_type(self) -> str | None:
        return next((t for t in self.ld_types if t.lower() in ARTICLE_LD_TYPES), None)

    @property
    def marked_article(self) -> bool:
        """True when the page's markup says it is an article (JSON-LD type or og:type)."""
        return bool(self.ld_article_type) or self.meta.get("og:type", "").lower() == "article"


def _walk_ld(node: object, signals: Signals) -> None:
    if isinstance(node, list):
        for item in node:
            _walk_ld(item, signals)
        return
    if not isinstance(node, dict):
        return
    types = node.get("@type")
    for kind in types if isinstance(types, list) else [types]:
        if isinstance(kind, str):
            signals.ld_types.append(kind)
            if kind.lower() in ARTICLE_LD_TYPES and not signals.ld:
                signals.ld = node
    if "@graph" in node:
        _walk_ld(node["@graph"], signals)


def read_signals(tree: HtmlElement, url: str) -> Signals:
    signals = Signals()
    for meta in tree.iter("meta"):
        name = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
        content = " ".join((meta.get("content") or "").split())
        if not name or not content:
            continue
        if name == "article:tag":
            signals.meta_tags.append(content)
        signals.meta.setdefault(name, content)
        if (meta.get("http-equiv") or "").lower() == "content-language":
            signals.meta.setdefault("content-language", content)
    for link in tree.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split() and link.get("href"):
            signals.canonical = urljoin(url, link.get("href").strip())
            break
    for script in tree.iter("script"):
        if (script.get("type") or "").lower() != "application/ld+json" or not script.text:
            continue
        try:
            _walk_ld(json.loads(script.text.strip().rstrip(";")), signals)
        except ValueError:
            logger.debug("unreadable JSON-LD on %s", url)
    signals.lang = tree.get("lang") or tree.get("xml:lang")
    return signals


def canonical_url(url: str, signals: Signals) -> str:
    for candidate in (signals.canonical, signals.meta.get("og:url")):
        if not candidate:
            continue
        absolute = urljoin(url, candidate)
        if urlsplit(absolute).scheme in {"http", "https"} and site_of(absolute) == site_of(url):
            return canonicalize(absolute)
    return canonicalize(url)


def language(signals: Signals) -> str | None:
    for raw in (
        signals.lang,
        signals.meta.get("content-language"),
        signals.meta.get("og:locale"),
        signals.ld.get("inLanguage") if isinstance(signals.ld.get("inLanguage"), str) else None,
    ):
        if raw and re.match(r"^[a-zA-Z]{2}(?:$|[-_])", raw.strip()):
            return raw.strip()[:2].lower()
    return None


__all__ = ["ARTICLE_LD_TYPES", "Signals", "canonical_url", "language", "read_signals"]
