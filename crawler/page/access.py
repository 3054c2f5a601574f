"""Whether a page's article is free to read: free, paywalled (the page says so) or truncated.

``paywalled``: the page declares its content is not free, in schema.org terms
(``isAccessibleForFree: false`` on the page's JSON-LD, or a ``hasPart`` WebPageElement marked
so, the markup publishers give search engines for paywalled content) or with an
``article:content_tier`` of "locked". The text stored may still be whole: some sites serve it to
crawlers.

``truncated``: the body we extracted stops at a paywall prompt ("Subscribe to continue
reading", "This article is for subscribers"), so what is stored is a stub. A short body (a
standfirst and a paragraph or two) is taken as cut off too when the page says it is not free,
or when a paywall container on it (an element whose class names it a paywall) asks for a
subscription, even when extraction left the prompt out.

A declaration whose every walled part is a sign-up wall (a ``hasPart`` whose ``cssSelector``
names an e-mail, newsletter or registration wall) asks for an address, not a payment: the
article is free. So is one where the article itself is declared free and every part declared
not free is absent from the page (its ``cssSelector`` matches nothing): a site's template that
marks the premium part of its paid articles, on an article without one.

Anything else is ``free``. Paywall classes alone say nothing: many free pages carry the markup
of a metered wall that is not raised.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass

from lxml import etree
from lxml.cssselect import CSSSelector, SelectorError
from lxml.html import HtmlElement

from storage.textunits import word_count

FREE = "free"
PAYWALLED = "paywalled"
TRUNCATED = "truncated"
ACCESS_VALUES = (FREE, PAYWALLED, TRUNCATED)

# Lines asking the reader to pay or log in to read on. Matched on a line of at most
# PROMPT_MAX_WORDS words, so a sentence of a story that mentions subscribers is never one.
PROMPTS = re.compile(
    r"subscribe (now |today )?(to|and) (continue|keep|read|unlock)"
    r"|(to )?(continue|keep) reading,? (please )?(subscribe|log ?in|sign ?in|register|become)"
    r"|(subscribe|sign ?up|register|log ?in|sign ?in) (now |today )?(to|for) (read|continue|"
    r"unlock|keep|access the full|full access|unlimited (digital )?access)"
    r"|(this|the) (full )?(article|story|content|piece|post) is (only )?(available |reserved |"
    r"exclusive(ly)? )?(to|for) (paying |our |digital )?(subscribers|members)"
    r"|(for|to) (paying )?subscribers only|subscriber[- ]only (content|article|story)"
    r"|already (a|an) (subscriber|member)\?"
    r"|you('ve| have) reached (your|the) (free )?(article|story|monthly|page)"
    r"|the rest of this (article|story) is"
    # German, French, Spanish, Italian, Dutch
    r"|weiterlesen mit|jetzt (abonnieren|weiterlesen)|(artikel|beitrag) ist (nur )?für abonnenten"
    r"|(réservé|reservé) aux abonnés|la suite (de cet article )?est réservée|abonnez-vous pour lire"
    r"|(exclusivo|contenido exclusivo) para (suscriptores|socios)|suscr[ií]bete para (seguir )?leer"
    r"|riservato agli abbonati|abbonati per (continuare|leggere)"
    r"|lees verder met|alleen voor abonnees",
    re.IGNORECASE,
)
PROMPT_MAX_WORDS = 25
# A paywall container's text is read as a prompt up to this length (a heading, a line, buttons).
PROMPT_MAX_CHARS = 800
# How many lines at the end of the body may hold the prompt (a "Log in" link line or a button
# label may follow it).
TAIL_LINES = 3
# Class names of paywall containers (Piano's tp-*, "paywall", "regwall", "premium-content" ...).
PAYWALL_CLASS = re.compile(
    r"(^|[-_])(paywall|pay-wall|regwall|reg-wall|meter-?wall|subscriber-?only|subscribers-?only"
    r"|premium-?(content|article|wall)|locked-?content|content-?locked|article-?locked"
    r"|tp-modal|tp-container-inner|piano-?(wall|paywall|offer))([-_]|$)",
    re.IGNORECASE,
)
# On a page declared not free, or with a paywall container asking for a subscription, a body
# under this many words is taken as the teaser the wall left (a standfirst and a paragraph or
# two), not a whole story. Words as storage.textunits counts them, whatever the script.
TEASER_MAX_WORDS = 150
# cssSelector of a walled part that asks for an address, not a payment.
SIGNUP_SELECTOR = re.compile(r"e-?mail|newsletter|regwall|registration|register|sign-?up", re.I)


@dataclass(frozen=True)
class PageAccess:
    """What the page says about access, read before cleaning prunes the tree."""

    declared: str | None  # why the page says it is paywalled, None when it does not
    wall_prompt: bool  # a paywall container on the page asks for a subscription

    def verdict(self, *bodies: Sequence[str]) -> str:
        """``free``, ``paywalled`` or ``truncated`` for the extracted body lines (raw, cleaned)."""
        return self.explain(*bodies)[0]

    def explain(self, *bodies: Sequence[str]) -> tuple[str, str]:
        """The verdict for the body lines, and why (empty for ``free``)."""
        for lines in bodies:
            prompt = _ends_at_prompt(lines)
            if prompt:
                return TRUNCATED, f"the body ends at a prompt: {prompt!r}"
        words = word_count("\n".join(bodies[-1])) if bodies else 0
        if bodies and words < TEASER_MAX_WORDS and (self.wall_prompt or self.declared):
            why = self.declared or "a paywall container asks for a subscription"
            return TRUNCATED, f"a {words}-word body on a walled page ({why})"
        return (PAYWALLED, self.declared) if self.declared else (FREE, "")


def read_access(tree: HtmlElement) -> PageAccess:
    """Read the page's paywall declarations and containers (call before the tree is pruned)."""
    reasons: list[str] = []
    selectors: list[str] = []
    free: list[bool] = []
    for script in tree.iter("script"):
        if (script.get("type") or "").lower() != "application/ld+json" or not script.text:
            continue
        try:
            data = json.loads(script.text.strip().rstrip(";"))
        except ValueError:
            continue
        _not_free(data, reasons, selectors, free)
    signup_only = bool(selectors) and all(SIGNUP_SELECTOR.search(s) for s in selectors)
    # Every declaration is of a part (each brought a selector), and none of those parts is here.
    absent = (
        any(free)
        and len(selectors) == len(reasons)
        and not any(_matches(tree, s) for s in selectors)
    )
    declared = reasons[0] if reasons and not signup_only and not absent else None
    if declared is None:
        for meta in tree.iter("meta"):
            name = (meta.get("property") or meta.get("name") or "").lower()
            if name == "article:content_tier" and (meta.get("content") or "").strip().lower() in (
                "locked",
                "premium",
            ):
                declared = f"meta article:content_tier {meta.get('content').strip()}"
                break
    return PageAccess(declared, _wall_prompt(tree))


def _flag(value: object) -> bool | None:
    """A JSON-LD boolean (true, "True", "http://schema.org/False" ...), None when it is none."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        word = value.strip().lower().rsplit("/", 1)[-1]
        return {"true": True, "false": False}.get(word)
    return None


def _not_free(
    node: object, reasons: list[str], selectors: list[str], free: list[bool], depth: int = 0
) -> None:
    """Add where JSON-LD ``node`` says content is not free to ``reasons``, the cssSelector of
    each walled part to ``selectors``, and True to ``free`` for a node other than a part
    (the article, its page) that says it is free."""
    if depth > 6:
        return
    if isinstance(node, list):
        for item in node:
            _not_free(item, reasons, selectors, free, depth + 1)
        return
    if not isinstance(node, dict):
        return
    kind = node.get("@type")
    kind = kind[0] if isinstance(kind, list) and kind else kind
    flag = _flag(node.get("isAccessibleForFree"))
    if flag is False:
        reasons.append(f"JSON-LD {kind or 'node'} isAccessibleForFree false")
        if isinstance(node.get("cssSelector"), str) and node["cssSelector"].strip():
            selectors.append(node["cssSelector"])
    elif flag is True and "cssSelector" not in node:
        free.append(True)
    for key in ("hasPart", "@graph", "mainEntity", "mainEntityOfPage"):
        if key in node:
            _not_free(node[key], reasons, selectors, free, depth + 1)


def _matches(tree: HtmlElement, selector: str) -> bool:
    """Whether ``selector`` matches an element of the page; one we cannot read counts as a
    match (the declaration stands)."""
    try:
        return bool(CSSSelector(selector)(tree))
    except (SelectorError, ValueError):
        return True


def _is_prompt(line: str) -> bool:
    return len(line.split()) <= PROMPT_MAX_WORDS and PROMPTS.search(line) is not None


def _ends_at_prompt(lines: Sequence[str]) -> str | None:
    """The prompt among the last lines of the body, None when there is none."""
    tail = [line for line in lines if line.strip()][-TAIL_LINES:]
    return next((line for line in tail if _is_prompt(line)), None)


# Every class attribute of the page at once, through libxml2: most pages have no wall class,
# and each distinct value is matched once rather than once per element.
_CLASS_VALUES = etree.XPath("//@class", smart_strings=False)


# PAYWALL_CLASS over all of a page's class values at once: a space ends a class name too.
_PAYWALL_ANY = re.compile(
    PAYWALL_CLASS.pattern.replace("(^|[-_])", r"(^|[\s_-])", 1).replace("([-_]|$)", r"([\s_-]|$)"),
    re.IGNORECASE,
)


def _wall_prompt(tree: HtmlElement) -> bool:
    values = set(_CLASS_VALUES(tree))
    if not _PAYWALL_ANY.search(" ".join(values)):
        return False
    walled = {value for value in values if any(PAYWALL_CLASS.search(c) for c in value.split())}
    if not walled:
        return False
    for element in tree.iter():
        if not isinstance(element.tag, str) or element.get("class") not in walled:
            continue
        text = _short_text(element)
        if text and PROMPTS.search(text):
            return True
    return False


def _short_text(element: HtmlElement) -> str | None:
    """The element's text when it is short enough to be a prompt, else None: not a whole story
    someone wrapped in a "premium-content" div (read no further than needed to tell)."""
    pieces: list[str] = []
    size = 0
    for piece in element.itertext():
        pieces.append(piece)
        size += len(piece)
        if size > PROMPT_MAX_CHARS:
            return None
    return " ".join("".join(pieces).split())


__all__ = [
    "ACCESS_VALUES",
    "FREE",
    "PAYWALLED",
    "TRUNCATED",
    "PageAccess",
    "read_access",
]
