"""Is this page an article? Its markup, its URL's shape and its text's shape decide."""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import parse_qsl, urljoin, urlsplit

from crawler.page.cleaning.links import is_story_address
from crawler.page.cleaning.text import LineMeasures, linked_text_share
from crawler.page.pagetype import Verdict
from crawler.page.parse import PageRejected
from crawler.page.signals import Signals
from crawler.urls import canonicalize
from storage.outcomes import LISTING, NOT_ARTICLE, OTHER, SERVICE, TOO_SHORT
from storage.textunits import word_count

# Below this many words of cleaned body a page is a stub (a video page, a teaser, a paywall),
# not an article worth storing. Words as storage.textunits counts them: 40 words are 80 Chinese
# or Japanese characters.
MIN_ARTICLE_WORDS = 40
# Without article markup, a page whose extracted text is mostly teasers (lines that open with
# a link to another page: headline, excerpt, date) is a section or tag page. A teaser's
# headline link takes at least LISTING_LINK_SHARE of its line.
LISTING_LINKED_SHARE = 0.5
LISTING_LINK_SHARE = 0.15
NON_ARTICLE_LD_TYPES = frozenset(
    {"collectionpage", "profilepage", "aboutpage", "contactpage", "searchresultspage"}
)
# What the pages the rules below turn away are, when not lists of other pages.
_RULE_TYPES = {
    **dict.fromkeys(("aboutpage", "contactpage", "about", "about-us", "contact", "contact-us"),
                    SERVICE),
    **dict.fromkeys(("profilepage", "impressum", "imprint", "privacy", "privacy-policy", "terms"),
                    OTHER),
}  # fmt: skip
# Path segments of listing and site pages: /tag/x, /author/jane, /section/world, /about.
NON_ARTICLE_SEGMENTS = frozenset(
    {
        "tag",
        "tags",
        "author",
        "authors",
        "section",
        "sections",
        "category",
        "categories",
        "topic",
        "topics",
        "about",
        "about-us",
        "contact",
        "contact-us",
        "search",
        "archive",
        "archives",
        "impressum",
        "imprint",
        "privacy",
        "privacy-policy",
        "terms",
    }
)
# A non-article segment only marks a listing when little path follows it: "/tag/pakistan/"
# is a tag page, "/category/world/2024/05/long-story-slug" is an article filed in a category.
NON_ARTICLE_TRAILING_SEGMENTS = 2
_SLUG_WORDS = 4  # a trailing slug with this many hyphenated words reads as a story headline
# A path of at most this many single words ("/world/", "/news/europe/") is shaped like a
# section; articles carry a slug, a number or a file name. Without article markup, such a
# page whose text is short lines (teaser excerpts) is a section page.
SECTION_MAX_SEGMENTS = 2
_SECTION_SEGMENT = re.compile(r"^[a-z]+$")
SECTION_MIN_LINES = 4
SECTION_MAX_AVG_WORDS = 15
_ARTICLE_ID = re.compile(r"\d{5,}")  # "/archive/63076": a story's number, not a listing
# A page holding lists of at least TEASER_PAGE_MIN_CARDS teasers (headline links to story
# addresses of the site) and fewer than TEASER_PAGE_MAX_WORDS words of its own beside them, at
# an address that names no story itself, is a listing: a section, tag, author or archive page
# is an intro over a run of cards. A brief at a story's address keeps its related cards, and
# markup does not save a listing: listings may declare themselves articles.
TEASER_PAGE_MIN_CARDS = 3
TEASER_PAGE_MAX_WORDS = 80
# How a path segment reads, for the shape of an address: a year, a day or month, a number, a
# slug (ending in a number or not), or a word, whatever the word is (sections vary by story).
_YEAR = re.compile(r"(?:19|20)\d\d")
_DAY = re.compile(r"\d{1,2}")
_NUMBER = re.compile(r"\d+")
_SLUG_ID = re.compile(r".+[-_]\d{3,}")
_EXTENSION = re.compile(r"[a-z]{2,5}")


def _listing_shape(url: str) -> str | None:
    """Return why the URL looks like a listing or site page, or None."""
    parts = urlsplit(url)
    segments = [s for s in parts.path.lower().split("/") if s]
    if not segments:
        # "/?p=3289" is a post on a site without pretty URLs, not the home page.
        return None if parts.query else "the site's home page"
    for index, segment in enumerate(segments):
        stem = segment.rsplit(".", 1)[0]
        if stem not in NON_ARTICLE_SEGMENTS:
            continue
        rest = segments[index + 1 :]
        if len(rest) <= NON_ARTICLE_TRAILING_SEGMENTS and not any(
            s.count("-") + 1 >= _SLUG_WORDS or _ARTICLE_ID.search(s) for s in rest
        ):
            return f"a /{stem}/ page"
    return None


def reject_non_article(url: str, signals: Signals) -> None:
    if signals.ld_article_type:
        return
    listing = [t for t in signals.ld_types if t.lower() in NON_ARTICLE_LD_TYPES]
    if listing:
        kind = _RULE_TYPES.get(listing[0].lower(), LISTING)
        raise PageRejected(NOT_ARTICLE, f"{url} declares itself a {listing[0]} in JSON-LD", kind)
    og_type = signals.meta.get("og:type", "").lower()
    shape = _listing_shape(url)
    # "a /tag/ page" is a list of other pages; "a /contact/ page" is the site's own.
    kind = _RULE_TYPES.get(shape.split("/")[1], LISTING) if shape and "/" in shape else LISTING
    if og_type in {"profile", "website"} and shape:
        raise PageRejected(NOT_ARTICLE, f"{url} is {shape} (og:type {og_type})", kind)
    if og_type == "profile":
        raise PageRejected(NOT_ARTICLE, f"{url} is a profile page (og:type profile)", OTHER)
    if shape:
        raise PageRejected(NOT_ARTICLE, f"{url} is {shape}, not an article", kind)


def _section_shape(url: str) -> bool:
    """True for "/world/", "/news/europe/": one or two single words, no slug, id or file name."""
    parts = urlsplit(url)
    segments = [s for s in parts.path.lower().split("/") if s]
    return (
        not parts.query
        and 0 < len(segments) <= SECTION_MAX_SEGMENTS
        and all(_SECTION_SEGMENT.match(s) for s in segments)
    )


def teaser_share(
    lines: list[str], link_texts: set[str], measured: LineMeasures | None = None
) -> float:
    """The share of the words of ``lines`` in teasers: lines that open with a link.
    ``measured``: :func:`~crawler.page.cleaning.text.measure_lines` of ``lines``, if known."""
    return linked_text_share(lines, link_texts, LISTING_LINK_SHARE, measured)


def reject_listing(url: str, lines: list[str], teasers: float) -> None:
    """Reject a page without article markup whose text reads as a list of teasers (``teasers``
    is :func:`teaser_share` of its lines)."""
    if teasers >= LISTING_LINKED_SHARE:
        raise PageRejected(
            NOT_ARTICLE, f"{url} is mostly links to other pages, not an article", LISTING
        )
    words = word_count("\n".join(lines))
    short_lines = len(lines) >= SECTION_MIN_LINES and words / len(lines) < SECTION_MAX_AVG_WORDS
    if short_lines and _section_shape(url):
        raise PageRejected(
            NOT_ARTICLE, f"{url} is a section page: short path, teaser lines", LISTING
        )


def _own_words(lines: list[str], card_words: int) -> int:
    """Words of a page's cleaned ``lines`` less the ``card_words`` of its cards kept in them."""
    return word_count("\n".join(lines)) - card_words


def _at_most_prose(own: int, prose: Callable[[], int] | None) -> int:
    """``own`` words, or when that is no short text, ``prose()``, the words of the page outside
    links, if fewer (a layout table's menus and footer kept with the lines)."""
    if own >= TEASER_PAGE_MAX_WORDS and prose is not None:
        return min(own, prose())
    return own


def reject_teaser_page(
    url: str,
    lines: list[str],
    cards: int,
    card_words: int,
    prose: Callable[[], int] | None = None,
) -> None:
    """Reject a page at an address that names no story, whose teaser lists hold ``cards``
    headlines and that has few words of its own beside them (:func:`_at_most_prose`)."""
    if cards < TEASER_PAGE_MIN_CARDS or is_story_address(url):
        return
    own = _at_most_prose(_own_words(lines, card_words), prose)
    if own < TEASER_PAGE_MAX_WORDS:
        raise PageRejected(
            NOT_ARTICLE,
            f"{url} is a list of {cards} teasers with {max(own, 0)} words of its own",
            LISTING,
        )


def _segment_shape(segment: str) -> str:
    stem, dot, extension = segment.rpartition(".")
    if not dot or not _EXTENSION.fullmatch(extension):
        stem, extension = segment, ""
    if _YEAR.fullmatch(stem):
        kind = "year"
    elif _DAY.fullmatch(stem):
        kind = "day"
    elif _NUMBER.fullmatch(stem):
        kind = "number"
    elif _SLUG_ID.fullmatch(stem):
        kind = "slug-id"
    elif "-" in stem or "_" in stem:
        kind = "slug"
    else:
        kind = "word"
    return f"{kind}.{extension}" if extension else kind


def address_shape(url: str) -> tuple[str, ...]:
    """The shape of an address: how each path segment reads, then the query's keys.

    "/archiv/2025/11552.html" is (word, year, number.html); "/themen/das-alte-depot.htm" is
    (word, slug.htm): a site's stories share one shape, its listings have others. Tracking
    parameters are no part of it (crawler.urls.canonicalize)."""
    parts = urlsplit(canonicalize(url))
    shape = [_segment_shape(s) for s in parts.path.lower().split("/") if s]
    shape += sorted({f"?{key.lower()}" for key, _ in parse_qsl(parts.query)})
    return tuple(shape)


def _link_shape(url: str, href: str) -> tuple[str, ...] | None:
    """The shape of a link's address, or None for an href that makes no address (a port that
    is no number)."""
    try:
        return address_shape(urljoin(url, href))
    except ValueError:
        return None


def reject_off_pattern(
    url: str,
    lines: list[str],
    story_links: list[str],
    card_words: int,
    prose: Callable[[], int] | None = None,
) -> None:
    """Reject a short page whose address is shaped unlike every story address it links to.

    ``story_links``: the hrefs of the page's headline links to stories of its site, which show
    how the site spells a story's address; ``card_words`` and ``prose``: as for
    :func:`reject_teaser_page`. A section or tag page with one or two cards under an intro has
    little text of its own and an address of another shape (/wirtschaft/index.html beside
    /archiv/2025/11552.html); an article, short or not, is at an address shaped like its
    related stories'. Only pages with fewer than TEASER_PAGE_MAX_WORDS words of their own are
    judged: the shape is evidence where the text leaves the page in doubt.
    """
    if not story_links:
        return
    own = _own_words(lines, card_words)
    if own >= TEASER_PAGE_MAX_WORDS and prose is None:
        return
    shape = address_shape(url)
    if any(_link_shape(url, href) == shape for href in dict.fromkeys(story_links)):
        return
    own = _at_most_prose(own, prose)  # read only for a page off the pattern: it costs a walk
    if own >= TEASER_PAGE_MAX_WORDS:
        return
    raise PageRejected(
        NOT_ARTICLE,
        f"{url} is shaped unlike the {len(story_links)} story addresses it links to and has "
        f"{max(own, 0)} words of its own",
        LISTING,
    )


def reject_short(url: str, lines: list[str], page_type: str | None = None) -> None:
    """Reject a page whose cleaned text is too short to be an article.

    A line repeated is counted once: a page of one word over and over is no article."""
    words = word_count("\n".join(dict.fromkeys(lines)))
    if words < MIN_ARTICLE_WORDS:
        raise PageRejected(
            TOO_SHORT, f"{url} has {words} words of text, fewer than {MIN_ARTICLE_WORDS}", page_type
        )


def reject_by_type(url: str, verdict: Verdict | None) -> None:
    """Reject a page the page-type model (:mod:`crawler.page.pagetype`) says is no article."""
    if verdict is not None and not verdict.is_article:
        raise PageRejected(NOT_ARTICLE, f"{url} is {verdict.reason}", verdict.page_type)


__all__ = [
    "MIN_ARTICLE_WORDS",
    "address_shape",
    "reject_by_type",
    "reject_listing",
    "reject_non_article",
    "reject_off_pattern",
    "reject_short",
    "reject_teaser_page",
    "teaser_share",
]
