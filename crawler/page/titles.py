"""The headline of an article: the page's visible <h1> checked against its meta titles.

A page names its article several times: the <h1> a reader sees, ``og:title``,
``twitter:title``, the JSON-LD ``headline`` and the <title> of the browser tab. The meta titles
often carry the site's name (" | CBC News", "… - Seznam Zprávy"), a section, or are reworded
for search; the <h1> sometimes carries a kicker ("Climate change: …") in a span of its own,
and some sites put their logo in an <h1>. The headline is the <h1> of the article when a meta
title agrees with it, without the kicker when a meta title is its tail, and otherwise the first
<h1> inside the article; the meta titles, stripped of the site's name, when there is none.
"""

from __future__ import annotations

import re
import unicodedata

from crawler.page.signals import Signals, ld_text
from crawler.urls import site_of

# Separators between a headline and the site's name or section in a meta title. A hyphen
# without spaces joins words ("Saint-Aubin-sur-Mer"); it only sets a section off the headline
# next to the site's name ("…커졌다-정치ㅣ한국일보").
_SEPARATOR = re.compile(r"\s+[|\-–—·•»«/~*:]+\s+|\s*[|｜ㅣ:：]\s*")
_GLUED_SECTION = re.compile(r"-([^\W\d_][^\s-]*)$")
# A segment made of digits and punctuation only: a date ("| DW | 28.04.2023").
_DATE_LIKE = re.compile(r"^[\d\W_]+$")
# A site-name segment is short; a longer tail is part of the headline.
SITE_SEGMENT_MAX_WORDS = 6
# A segment of at most this many words just before the site's name is a section name, when
# what is left before it is a headline of at least SECTION_HEAD_MIN_WORDS words.
SECTION_MAX_WORDS = 2
SECTION_HEAD_MIN_WORDS = 5
# A segment holding the site's name is the site's name when it is at most twice as long and
# this many letters more ("The Times of India", "Mirror Online").
SITE_NAME_EXTRA_CHARS = 6
# Site names found inside a segment must be at least this long ("ap" would match anywhere).
SITE_NAME_MIN_CHARS = 4
# An <h1> longer than this is a standfirst or a description set as a heading, not a headline.
HEADLINE_MAX_WORDS = 40
# A meta title that is the tail of the <h1> ("Kicker: Headline") is the headline when it keeps
# at least this many words; a shorter tail is the end of a sentence, not a whole headline.
KICKER_TAIL_MIN_WORDS = 3
SPAN_TAIL_MIN_WORDS = 2
# Host labels that are not a publisher's name.
_HOST_NOISE = frozenset({"www", "m", "amp", "news", "com", "co", "org", "net", "de", "uk"})
_NON_WORD = re.compile(r"\W+")
# JSON-LD types whose name is the site's: the website itself, the news organisation.
_SITE_LD_TYPES = frozenset({"website", "newsmediaorganization"})
_INVISIBLE = re.compile("[\u00ad\u200b-\u200d\u2060\ufeff]")


def key(text: str | None) -> str:
    """``text`` compared the way readers would: case, accents and punctuation ignored."""
    if not text:
        return ""
    if text.isascii():  # most text: nothing to decompose, no accents to take off
        return _NON_WORD.sub(" ", text.lower()).strip()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NON_WORD.sub(" ", bare).strip()


def _squash(text: str | None) -> str:
    """``text`` as one run of letters, German umlauts as a host name spells them or not
    ("Börsen-Zeitung", "boersen-zeitung" both "borsenzeitung")."""
    squashed = key(text).replace(" ", "")
    for pair, letter in (("ae", "a"), ("oe", "o"), ("ue", "u")):
        squashed = squashed.replace(pair, letter)
    return squashed


def site_names(signals: Signals, url: str) -> list[str]:
    """What the site calls itself: og:site_name, application name, JSON-LD publisher and
    website names, twitter handle, and the labels of its host name ("timesofindia")."""
    meta = signals.meta
    names = [
        meta.get("og:site_name"),
        meta.get("application-name"),
        meta.get("apple-mobile-web-app-title"),
        (meta.get("twitter:site") or "").lstrip("@"),
    ]
    publisher = signals.ld.get("publisher")
    for node in [publisher] if isinstance(publisher, dict) else publisher or []:
        if isinstance(node, dict):
            names.append(ld_text(node.get("name")))
    for node in signals.ld_nodes:
        kinds = node.get("@type")
        kinds = kinds if isinstance(kinds, list) else [kinds]
        if any(isinstance(k, str) and k.lower() in _SITE_LD_TYPES for k in kinds):
            names.append(ld_text(node.get("name")))
    # The page's own address for itself too: a copy served from elsewhere names the site.
    for address in (url, signals.canonical, signals.meta.get("og:url")):
        if address and "://" in address:
            host = site_of(address).split(":")[0]
            names.extend(label for label in host.split(".")[:-1] if label not in _HOST_NOISE)
    unique: list[str] = []
    for name in names:
        if name and _squash(name) and _squash(name) not in map(_squash, unique):
            unique.append(name)
    return unique


def is_site_name(segment: str, names: list[str]) -> bool:
    """True when ``segment`` is the site's name, or holds it ("Mirror Online", "Golem.de")."""
    squashed = _squash(segment)
    if not squashed or len(segment.split()) > SITE_SEGMENT_MAX_WORDS:
        return False
    for name in names:
        other = _squash(name)
        if not other:
            continue
        if squashed == other:
            return True
        # "Mirror Online", "Golem.de" hold the name; "Kate Moss on the VOGUE cover" is more.
        if (
            len(other) >= SITE_NAME_MIN_CHARS
            and other in squashed
            and len(squashed) <= (2 * len(other) + SITE_NAME_EXTRA_CHARS)
        ):
            return True
        if len(squashed) >= SITE_NAME_MIN_CHARS and squashed in other:
            return True
    return False


def _strip_whole_name(title: str, names: list[str]) -> str:
    """``title`` without a site name written out whole at its start or end, before the
    separators split a name that holds hyphens ("Le Courrier de Saint-Aubin-sur-Mer - …")."""
    for name in sorted(names, key=len, reverse=True):
        if len(name) < SITE_NAME_MIN_CHARS or not _SEPARATOR.search(name):
            continue  # a name the separators leave whole is handled with the segments
        lowered, low_name = title.casefold(), name.casefold()
        if lowered.startswith(low_name):
            match = _SEPARATOR.match(title, len(name))
            if match and " " in match.group() and key(title[match.end() :]):
                return title[match.end() :].strip()
        if lowered.endswith(low_name):
            head = title[: len(title) - len(name)]
            match = re.search(r"\s+[|\-–—·•»«/~*:]+\s*$|\s*[|｜ㅣ:：]\s*$", head)
            if match and key(head[: match.start()]):
                return head[: match.start()].strip()
    return title


def strip_site_name(title: str, names: list[str]) -> str:
    """``title`` without the site's name (and a date or a section beside it) at its end or
    start."""
    title = _strip_whole_name(title, names)
    while True:
        cuts = list(_SEPARATOR.finditer(title))
        bounds = [0, *(m.end() for m in cuts)]
        ends = [*(m.start() for m in cuts), len(title)]
        segments = [title[start:end] for start, end in zip(bounds, ends, strict=True)]
        cut = None
        for i in range(len(segments) - 1, 0, -1):
            if is_site_name(segments[i], names):
                cut = i
                break
            if not _DATE_LIKE.match(segments[i]):
                break
        if cut is not None and key(title[: ends[cut - 1]]):
            head = title[: ends[cut - 1]].strip()
            # A short segment before the site's name is its section ("- National | Globalnews").
            if (
                cut >= 2
                and len(key(segments[cut - 1]).split()) <= SECTION_MAX_WORDS
                and len(key(title[: ends[cut - 2]]).split()) >= SECTION_HEAD_MIN_WORDS
            ):
                head = title[: ends[cut - 2]].strip()
            elif (glued := _GLUED_SECTION.search(head)) and len(key(head).split()) > (
                SECTION_HEAD_MIN_WORDS
            ):
                head = head[: glued.start()].strip()
            title = head
            continue
        if len(segments) > 1 and is_site_name(segments[0], names) and key(title[bounds[1] :]):
            title = title[bounds[1] :].strip()
            continue
        return title


def displayed_site_name(signals: Signals, url: str) -> str | None:
    """The site's name as its page titles write it ("Le Courrier de Saint-Aubin-sur-Mer" in
    "Le Courrier de Saint-Aubin-sur-Mer - Headline"), when they carry it at an end."""
    names = site_names(signals, url)
    for title in (signals.page_title, signals.meta.get("og:title")):
        if not title:
            continue
        segments = [s.strip() for s in _SEPARATOR.split(title)]
        if len(segments) < 2:
            continue
        for segment in (segments[-1], segments[0]):
            if is_site_name(segment, names) and not _DATE_LIKE.match(segment):
                return segment
    return None


def _meta_titles(signals: Signals, names: list[str]) -> list[str]:
    """The meta titles, each without the site's name, most trusted first, each once."""
    raw = (
        ld_text(signals.ld.get("headline")),
        signals.meta.get("og:title"),
        signals.meta.get("twitter:title"),
        signals.page_title,
    )
    titles: list[str] = []
    for value in raw:
        if value:
            stripped = strip_site_name(_INVISIBLE.sub("", value), names)
            if key(stripped) and key(stripped) not in map(key, titles):
                titles.append(stripped)
    return titles


def _tails(text: str, runs: tuple[str, ...] = ()) -> dict[str, str]:
    """What may follow a kicker in ``text``: {key: text} of the rest after each spaced
    separator ("Kicker: Headline"), and after each run but the first (a kicker in its own
    span), when the rest has at least KICKER_TAIL_MIN_WORDS words (SPAN_TAIL_MIN_WORDS after
    a span: the element's edge says where the kicker ends)."""
    tails = [
        (text[m.end() :], KICKER_TAIL_MIN_WORDS)
        for m in _SEPARATOR.finditer(text)
        if " " in m.group()
    ]
    tails += [(" ".join(runs[i:]), SPAN_TAIL_MIN_WORDS) for i in range(1, len(runs))]
    found: dict[str, str] = {}
    for tail, least in tails:
        tail = tail.strip()
        if len(key(tail).split()) >= least:
            found.setdefault(key(tail), tail)
    return found


def _related(longer: str, shorter: str) -> bool:
    """True when ``longer`` is ``shorter`` with words added at its end."""
    return len(shorter.split()) >= KICKER_TAIL_MIN_WORDS and longer.startswith(shorter + " ")


def headline(signals: Signals, url: str, fallback: str | None = None) -> str | None:
    """The article's headline, or ``fallback`` (stripped of the site's name) without one."""
    names = site_names(signals, url)
    metas = _meta_titles(signals, names)
    meta_keys = [key(m) for m in metas]
    heads = [
        h
        for h in signals.headlines
        if not h.chrome
        and len(h.text.split()) <= HEADLINE_MAX_WORDS
        and not is_site_name(h.text, names)
    ]
    for head in heads:
        if key(head.text) in meta_keys:
            # The meta title agrees; it keeps the separator where the <h1> has two spans.
            return metas[meta_keys.index(key(head.text))] if len(head.runs) > 1 else head.text
    for head in heads:
        # A kicker on the <h1> that a meta title leaves out, or that both carry differently
        # (the <h1>'s in a span of its own).
        tails = _tails(head.text, head.runs)
        span_tails = _tails("", head.runs)
        for meta, mk in zip(metas, meta_keys, strict=True):
            if mk in tails:
                return tails[mk]
            shared = set(span_tails) & set(_tails(meta))
            if shared:
                return span_tails[max(shared, key=len)]
    for head in heads:
        hk = key(head.text)
        if any(_related(mk, hk) or _related(hk, mk) for mk in meta_keys):
            return head.text  # the meta title adds a section, or cuts the headline short
    # An <h1> that shares no word with any meta title is a page label ("Log In", "Article
    # detail"), unless the page declares no title at all.
    meta_words = {w for mk in meta_keys for w in mk.split()}
    heads = [h for h in heads if not meta_words or meta_words & set(key(h.text).split())]
    inside = [h for h in heads if h.in_article]
    if inside or heads:
        return (inside or heads)[0].text
    if metas:
        return _bare(metas)
    return strip_site_name(fallback, names) if fallback else None


def _bare(metas: list[str]) -> str:
    """The first meta title, unless another is it without a tail (" - Section") or whole
    where it is cut short."""
    best = metas[0]
    for meta in metas[1:]:
        bk, mk = key(best), key(meta)
        shorter_bare = _related(bk, mk) and _decorated(best, meta)
        # Cut short, maybe inside a word: "… the ferry fares f".
        longer_whole = (
            len(bk.split()) >= KICKER_TAIL_MIN_WORDS
            and mk.startswith(bk)
            and mk != bk
            and not _decorated(meta, best)
        )
        if shorter_bare or longer_whole:
            best = meta
    return best


def _decorated(longer: str, shorter: str) -> bool:
    """True when ``longer`` is ``shorter`` and a separated tail, not a longer headline."""
    return any(key(longer[: m.start()]) == key(shorter) for m in _SEPARATOR.finditer(longer))


__all__ = [
    "displayed_site_name",
    "headline",
    "is_site_name",
    "key",
    "site_names",
    "strip_site_name",
]
