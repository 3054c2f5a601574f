"""What a page's type is read from: measures of its parsed tree, its URL and its extracted text.

:func:`read_page` measures the parsed page before extraction prunes it, :func:`read_text` the
text extraction kept, and :func:`features` turns both into the numbers the page-type model
(:mod:`crawler.page.pagetype`) reads. Plain Python: page workers import neither numpy nor scipy.
"""

from __future__ import annotations

import math
import re
from urllib.parse import parse_qs, unquote_plus, urlsplit

from lxml import etree
from lxml.html import HtmlElement

from crawler.page.pagewords import MAX_HEADINGS, page_words, text_words
from storage.textunits import has_unspaced, word_count

# --- declared types ----------------------------------------------------------------------

ARTICLE_LD = frozenset(
    {
        "article", "newsarticle", "reportagenewsarticle", "analysisnewsarticle",
        "opinionnewsarticle", "backgroundnewsarticle", "reviewnewsarticle", "blogposting",
        "liveblogposting", "socialmediaposting", "scholarlyarticle", "report", "review",
    }
)  # fmt: skip
PRODUCT_LD = frozenset(
    {"product", "productgroup", "productmodel", "individualproduct", "offer", "aggregateoffer"}
)
LISTING_LD = frozenset({"itemlist", "collectionpage", "searchresultspage", "offercatalog"})
FORUM_LD = frozenset({"discussionforumposting", "qapage", "question", "answer"})
SITE_LD = frozenset(
    {
        "aboutpage", "contactpage", "profilepage", "service", "softwareapplication",
        "webapplication", "mobileapplication", "course", "event", "jobposting", "faqpage",
    }
)  # fmt: skip
_DATE_META = frozenset(
    {
        "article:published_time", "og:published_time", "date", "pubdate", "publishdate",
        "dc.date", "dc.date.issued", "dcterms.date", "sailthru.date", "parsely-pub-date",
        "datepublished", "article.published", "publish-date",
    }
)  # fmt: skip
_AUTHOR_META = frozenset({"author", "article:author", "parsely-author", "dc.creator", "byl"})

# --- markup ------------------------------------------------------------------------------

_LINK_TEXTS = etree.XPath("//a//text()", smart_strings=False)
# A run of text of this many characters directly in a <div> is a sentence, not a label.
TEXT_DIV_MIN_CHARS = 80
# <div>s holding a sentence of their own text, not only other elements: a paragraph, whatever
# its tag.
_TEXT_DIVS = etree.XPath(
    f"//body//div[text()[string-length(normalize-space(.)) >= {TEXT_DIV_MIN_CHARS}]]"
)
_SCAN_TAGS = (
    *("br", "h1", "h2", "h3", "h4", "time", "article", "input", "select", "button"),
    *("pre", "code", "table", "figcaption", "blockquote"),
)
_HEADINGS = frozenset({"h2", "h3", "h4"})
_WORDED_HEADINGS = frozenset({"h1", "h2", "h3"})
_SKIP_TEXT = ("script", "style", "noscript", "template")
_CURRENCIES = "$€£¥₹₩"
# A link with this many characters of text is a headline (or a sentence), not a menu entry.
HEADLINE_LINK_CHARS = 25
LONG_PARAGRAPH_CHARS = 150
# Text cut by <br> instead of <p> (older templates): a container with this many breaks is a
# block of text like a run of paragraphs.
BREAK_BLOCK_MIN = 3

# --- dates -------------------------------------------------------------------------------

# A year in the page's text, and what makes it part of a date: "2025-03-07", "07.03.2025",
# "March 7, 2025", "7 March 2025", "2025年3月7日". The year is looked for first: a plain
# character class lets the regex engine skip most of the text.
_YEAR = re.compile(r"[12][09]\d\d")
_DATE_BEFORE = re.compile(
    r"(?:\d{1,2}[./-]\s?\d{1,2}[./-]\s?|[^\W\d_]{3,10}\.?\s[0-3]?\d(?:st|nd|rd|th)?,?\s"
    r"|[0-3]?\d\.?\s[^\W\d_]{3,10}\.?,?\s)$"
)
_DATE_AFTER = re.compile(
    r"(?:[-/.]\s?[01]?\d[-/.]\s?[0-3]?\d(?![\dT])|年\s?\d{1,2}\s?月|년\s?\d{1,2}\s?월)"
)
MAX_YEARS = 400
MAX_TIMES = 20
# A date this close to the headline (characters before it, after it) dates the page.
HEADLINE_DATE_BEFORE = 300
HEADLINE_DATE_AFTER = 1000


def _dates(text: str) -> list[int]:
    """Positions of the dates written in ``text``."""
    found = []
    for count, match in enumerate(_YEAR.finditer(text)):
        if count >= MAX_YEARS:
            break
        start, end = match.span()
        if (start and text[start - 1].isdigit()) or text[end : end + 1].isdigit():
            continue
        if _DATE_AFTER.match(text, end) or _DATE_BEFORE.search(text[max(start - 16, 0) : start]):
            found.append(start)
    return found


# --- entries and pages ---------------------------------------------------------------------

# A run of parallel entries: siblings of one parent that each hold a heading and a date (an
# events calendar, an archive's dated items, a live blog's posts). Counted from this many.
ENTRIES_MIN = 4
# Share of a run's entries that must carry a date for the run to count as dated entries.
ENTRIES_DATED_SHARE = 0.8
_REL_VALUES = etree.XPath("//link[@rel]/@rel | //a[@rel]/@rel", smart_strings=False)
_PAGINATION_RELS = frozenset({"next", "prev", "previous"})
# "?page=2", "&p=3", "/page/4/": the addresses of a list's further pages.
_PAGE_QUERY = re.compile(r"(?:^|&)(?:page|p|pg|paged|pagina|seite|strona)=\d+(?:&|$)", re.I)
_PAGE_PATH = re.compile(r"/page/\d+/?$", re.I)


def _paginated(tree: HtmlElement, url: str) -> bool:
    """True when the page links to a next or previous page of itself, or is one by its URL."""
    if any(_PAGINATION_RELS & set(rel.lower().split()) for rel in _REL_VALUES(tree)):
        return True
    parts = urlsplit(url)
    return bool(_PAGE_QUERY.search(parts.query) or _PAGE_PATH.search(parts.path))


_FILLED_INPUTS = etree.XPath("//input[@value != '']", smart_strings=False)
_TEXT_INPUTS = frozenset({"", "text", "search"})


def _echoes_query(tree: HtmlElement, url: str) -> bool:
    """True when a text box of the page holds a value of its URL's query: a search results
    page shows what was searched for in its search box."""
    query = urlsplit(url).query
    if not query:
        return False
    asked = {" ".join(v.lower().split()) for values in parse_qs(query).values() for v in values}
    asked.discard("")
    if not asked:
        return False
    return any(
        (box.get("type") or "").lower() in _TEXT_INPUTS
        # A box may hold the query as the URL spells it ("port+real") or as it reads.
        and " ".join(unquote_plus(box.get("value") or "").lower().split()) in asked
        for box in _FILLED_INPUTS(tree)
    )


def _runs(headings: list[HtmlElement]) -> dict[HtmlElement, list[HtmlElement]]:
    """Runs of entries: for each parent, its children that hold one of ``headings``."""
    runs: dict[HtmlElement, list[HtmlElement]] = {}
    for heading in headings:
        entry = heading.getparent()
        run = entry.getparent() if entry is not None else None
        if run is None:
            continue
        members = runs.setdefault(run, [])
        if not members or members[-1] is not entry:
            members.append(entry)
    return runs


def _teasers(
    runs: dict[HtmlElement, list[HtmlElement]],
) -> tuple[int, int, int, list[HtmlElement]]:
    """(entries, median words of one, characters of all, the entries) of the page's longest
    run of teasers: entries whose heading is a link."""
    best: tuple[int, int, int, list[HtmlElement]] = (0, 0, 0, [])
    for members in runs.values():
        if len(members) < max(ENTRIES_MIN, best[0] + 1):
            continue
        sizes = []
        teasers = []
        for entry in members:
            if any(next(h.iter("a"), None) is not None for h in entry.iterchildren(*_HEADINGS)):
                text = " ".join(entry.text_content().split())
                sizes.append((word_count(text), len(text)))
                teasers.append(entry)
        if len(sizes) >= ENTRIES_MIN and len(sizes) >= ENTRIES_DATED_SHARE * len(members):
            counts = sorted(words for words, _ in sizes)
            chars = sum(chars for _, chars in sizes)
            best = (len(sizes), counts[len(counts) // 2], chars, teasers)
    return best


def _outside(blocks: dict[HtmlElement, int], entries: list[HtmlElement]) -> int:
    """Characters of the paragraph blocks that are not inside one of ``entries``: a teaser's
    own excerpt is part of the list, not prose beside it."""
    inside = set(entries)
    return sum(
        chars
        for block, chars in blocks.items()
        if block not in inside and not any(up in inside for up in block.iterancestors())
    )


def _entries(runs: dict[HtmlElement, list[HtmlElement]]) -> tuple[int, int, int]:
    """(entries, median words of one, characters of all) of the page's longest run of dated
    entries; (0, 0, 0) when no run has :data:`ENTRIES_MIN` of them."""
    best = (0, 0, 0)
    for members in runs.values():
        if len(members) < max(ENTRIES_MIN, best[0] + 1):
            continue
        sizes: list[tuple[int, int]] = []
        for entry in members:
            text = " ".join(entry.text_content().split())
            if next(entry.iter("time"), None) is not None or _dates(text):
                sizes.append((word_count(text), len(text)))
        if len(sizes) >= ENTRIES_MIN and len(sizes) >= ENTRIES_DATED_SHARE * len(members):
            counts = sorted(words for words, _ in sizes)
            best = (len(sizes), counts[len(counts) // 2], sum(chars for _, chars in sizes))
    return best


# --- words -------------------------------------------------------------------------------

_SENTENCE_END = re.compile(r"[.!?;:…](?=[\s\"'”’)\]]|$)|[。！？]")
# A line of prose: this many words and a sentence end.
PROSE_LINE_WORDS = 12


# --- the URL -----------------------------------------------------------------------------

_URL_DATE = re.compile(r"/(?:19|20)\d\d[/-]?(?:0[1-9]|1[0-2])(?:[/-]|$)|/(?:19|20)\d\d/")
_SLUG_SPLIT = re.compile(r"[-_+]")
SLUG_WORDS = 4  # "/harbour-bridge-reopens-after-repair": a headline made into a path
LISTING_SEGMENTS = frozenset(
    {
        "tag", "tags", "category", "categories", "topic", "topics", "section", "sections",
        "archive", "archives", "search", "author", "authors", "collections", "collection",
        "shop", "browse", "c", "list", "lists", "page", "index",
    }
)  # fmt: skip
FORUM_SEGMENTS = frozenset(
    {
        "forum", "forums", "thread", "threads", "t", "questions", "question", "discussion",
        "discussions", "community", "comments", "viewtopic", "showthread", "topic", "r",
    }
)  # fmt: skip
DOCS_SEGMENTS = frozenset(
    {
        "docs", "doc", "documentation", "api", "reference", "manual", "wiki", "man", "sdk",
        "developer", "developers", "help", "support", "kb", "guide", "guides", "learn",
    }
)  # fmt: skip
SITE_SEGMENTS = frozenset(
    {
        "about", "about-us", "contact", "contact-us", "pricing", "services", "service",
        "solutions", "features", "careers", "jobs", "login", "signup", "register", "plans",
    }
)  # fmt: skip
MAX_DEPTH = 6


def read_url(url: str) -> dict[str, float]:
    """Measures of the URL's shape: weak evidence, sites name their paths as they like."""
    parts = urlsplit(url)
    path = parts.path.lower()
    segments = [s for s in path.split("/") if s]
    stems = {s.rsplit(".", 1)[0] for s in segments}
    last = segments[-1].rsplit(".", 1)[0] if segments else ""
    slug_words = len([w for w in _SLUG_SPLIT.split(last) if w])
    return {
        "url_home": float(not segments and not parts.query),
        "url_depth": float(min(len(segments), MAX_DEPTH)),
        "url_date": float(bool(_URL_DATE.search(path))),
        "url_slug": float(slug_words >= SLUG_WORDS),
        "url_listing": float(bool(stems & LISTING_SEGMENTS)),
        "url_forum": float(bool(stems & FORUM_SEGMENTS)),
        "url_docs": float(bool(stems & DOCS_SEGMENTS)),
        "url_site": float(bool(stems & SITE_SEGMENTS)),
    }


# --- measures ----------------------------------------------------------------------------

_COUNTS = (
    "p", "p_long", "h1", "linked_headings", "time", "article", "inputs", "select", "button",
    "pre", "code", "table", "figcaption", "blockquote",
)  # fmt: skip


# Scripts and styles shorter than this are left in the text: looking for them costs more than
# the few characters they add.
SKIP_MIN_CHARS = 64


def _visible_text(root: HtmlElement) -> str:
    """The text of ``root`` without its scripts and styles (inline JSON can be megabytes)."""
    text = root.text_content()
    pieces, at = [], 0
    # text_content() runs in document order: each script's text is found after the last one.
    for el in root.iter(*_SKIP_TEXT):
        chunk = el.text
        if not chunk or len(chunk) < SKIP_MIN_CHARS:
            continue
        found = text.find(chunk[:SKIP_MIN_CHARS], at)  # a short needle is found much faster
        if found >= 0 and text.startswith(chunk, found):
            pieces.append(text[at:found])
            at = found + len(chunk)
    if not pieces:
        return text
    pieces.append(text[at:])
    return " ".join(pieces)


def read_page(
    tree: HtmlElement, url: str, ld_types: list[str], meta: dict[str, str]
) -> dict[str, float]:
    """Measures of the parsed page, taken before extraction prunes it.

    ``ld_types`` are the page's JSON-LD @types, ``meta`` its meta tags (lowercased names).
    Returns a dict of named numbers for :func:`features`, with the hashed words of its title,
    headings and URL (:func:`~crawler.page.pagewords.page_words`).
    """
    m: dict[str, float] = dict.fromkeys(_COUNTS, 0.0)
    # The text of every link at once, through libxml2.
    lengths = list(map(len, map(str.strip, _LINK_TEXTS(tree))))
    m["a_chars"] = float(sum(lengths))
    m["headline_chars"] = float(sum(n for n in lengths if n >= HEADLINE_LINK_CHARS))
    blocks: dict[HtmlElement, int] = {}
    for el in tree.iter("p"):
        chars = len(el.text_content())
        m["p"] += 1
        if chars >= LONG_PARAGRAPH_CHARS:
            m["p_long"] += 1
        parent = el.getparent()
        blocks[parent] = blocks.get(parent, 0) + chars
    breaks: dict[HtmlElement, int] = {}
    times: list[str] = []
    headings: list[HtmlElement] = []
    headline = None
    worded: list[str] = []  # the headings' words are evidence too
    # libxml2 hands Python only the tags counted here; the rest of the tree is skipped in C.
    for el in tree.iter(*_SCAN_TAGS):
        tag = el.tag
        if tag in _WORDED_HEADINGS and len(worded) < MAX_HEADINGS:
            said = " ".join(el.text_content().split())
            if said:
                worded.append(said)
        if tag == "br":
            parent = el.getparent()
            breaks[parent] = breaks.get(parent, 0) + 1
        elif tag in _HEADINGS:
            headings.append(el)
            if next(el.iter("a"), None) is not None:
                m["linked_headings"] += 1
        elif tag == "h1":
            m["h1"] += 1
            if headline is None:
                headline = " ".join(el.text_content().split())
        elif tag == "time":
            m["time"] += 1
            stamp = " ".join(el.text_content().split())
            if stamp and len(times) < MAX_TIMES:
                times.append(stamp)
        elif tag == "input":
            if (el.get("type") or "").lower() not in {"hidden", "submit"}:
                m["inputs"] += 1
        else:
            m[tag] += 1
    prose = dict(blocks)
    # Paragraphs some templates write as <div>s of text (generated React class names): prose
    # beside a page's teasers too, though the model's block measures count <p> alone.
    for div in _TEXT_DIVS(tree):
        parent = div.getparent()
        prose[parent] = prose.get(parent, 0) + len(div.text_content())
    for parent, count in breaks.items():
        if count >= BREAK_BLOCK_MIN:
            chars = len(parent.text_content())
            blocks[parent] = blocks.get(parent, 0) + chars
            # Lines of links set apart by <br> (old-style navigation and footers) are no prose.
            linked = sum(len(a.text_content()) for a in parent.iter("a"))
            prose[parent] = prose.get(parent, 0) + chars - linked
    m["block_chars"] = float(max(blocks.values(), default=0))
    runs = _runs(headings)
    entries, entry_words, entries_chars = _entries(runs)
    m["entries"] = float(entries)
    m["entry_words"] = float(entry_words)
    m["entries_chars"] = float(entries_chars)
    m["paginated"] = float(entries >= ENTRIES_MIN and _paginated(tree, url))
    teasers, teaser_words, teasers_chars, teaser_entries = _teasers(runs)
    m["teasers"], m["teaser_words"], m["teasers_chars"] = teasers, teaser_words, teasers_chars
    m["prose_chars"] = float(_outside(prose, teaser_entries))
    m["search_results"] = float(m["inputs"] > 0 and _echoes_query(tree, url))

    body = tree.find("body")
    text = _visible_text(body if body is not None else tree)
    m["text_chars"] = float(len(text))
    m["currency"] = float(sum(text.count(c) for c in _CURRENCIES))
    dates = _dates(text)
    dates += [at for at in (text.find(stamp) for stamp in times) if at >= 0]
    m["dates"] = float(len(dates))
    m["headline_date"] = 0.0
    if headline:
        at = text.find(headline[:60])
        if at >= 0:
            low, high = at - HEADLINE_DATE_BEFORE, at + len(headline) + HEADLINE_DATE_AFTER
            m["headline_date"] = float(any(low <= d <= high for d in dates))

    declared = {t.lower() for t in ld_types}
    m["ld_article"] = float(bool(declared & ARTICLE_LD))
    m["ld_product"] = float(bool(declared & PRODUCT_LD))
    m["ld_listing"] = float(bool(declared & LISTING_LD))
    m["ld_forum"] = float(bool(declared & FORUM_LD))
    m["ld_site"] = float(bool(declared & SITE_LD))
    og = meta.get("og:type", "").lower()
    m["og_article"] = float("article" in og)
    m["og_product"] = float("product" in og or "item" in og)
    m["og_website"] = float(og == "website")
    # JSON-LD of any type (a WebPage's too) may carry the date and the author.
    linked = "\n".join(
        el.text or "" for el in tree.iter("script") if el.get("type") == "application/ld+json"
    )
    m["date_meta"] = float(bool(_DATE_META & meta.keys()) or '"datePublished"' in linked)
    m["author_meta"] = float(bool(_AUTHOR_META & meta.keys()) or '"author"' in linked)
    m["article_meta"] = float("article:section" in meta or "article:tag" in meta)
    m.update(read_url(url))
    m.update(page_words(tree.findtext(".//title") or "", worded, url))
    return m


def _split_count(text: str) -> int:
    return len(text.split())


def read_text(lines: list[str], teaser_share: float) -> dict[str, float]:
    """Measures of the text extraction kept: its length and whether it reads as prose.

    ``teaser_share`` is the share of its words in teasers (a link, then a short excerpt).
    The hashed words of its opening (:func:`~crawler.page.pagewords.text_words`) come with them.
    """
    total = chars = sentences = prose = 0
    # Most texts have no unspaced script at all: then a line's words are its split.
    count = word_count if has_unspaced("".join(lines)) else _split_count
    for line in lines:
        n = count(line)
        total += n
        chars += len(line)
        ends = len(_SENTENCE_END.findall(line))
        sentences += ends
        if ends and n >= PROSE_LINE_WORDS:
            prose += n
    return {
        "x_units": float(total),
        "x_chars": float(chars),
        "x_units_per_line": total / len(lines) if lines else 0.0,
        "x_units_per_sentence": total / sentences if sentences else float(total),
        "x_prose_share": prose / total if total else 0.0,
        "x_teaser_share": teaser_share,
        **text_words(lines),
    }


# --- features ----------------------------------------------------------------------------

# Counts of things an article has once and a list or a thread has many times: one feature says
# "there is one", the other how many more than a few there are.
_ONE_MANY = {
    "time": "time",
    "dates": "dates",
    "article": "article",
    "linked_headings": "linked_headings",
}
MANY_FROM = 3
_PLAIN = ("ld_article", "ld_product", "ld_listing", "ld_forum", "ld_site", "og_article",
          "og_product", "og_website", "date_meta", "author_meta", "article_meta",
          "headline_date", "url_home", "url_date", "url_slug", "url_listing", "url_forum",
          "url_docs", "url_site", "url_depth")  # fmt: skip
_LOGS = ("figcaption", "blockquote", "inputs", "select", "button", "pre", "code", "table",
         "currency")  # fmt: skip
MAX_WORDS_PER_SENTENCE = 200

FEATURES = (
    *_PLAIN,
    *(f"one_{name}" for name in _ONE_MANY),
    *(f"many_{name}" for name in _ONE_MANY),
    *_LOGS,
    "link_share", "headline_share", "block_share", "block_chars", "p_short_share",
    "x_units", "x_units_per_line", "x_units_per_sentence", "x_prose_share", "x_teaser_share",
    "x_kept",
)  # fmt: skip


def features(page: dict[str, float], text: dict[str, float] | None) -> list[float]:
    """The model's inputs, in the order of :data:`FEATURES`, from :func:`read_page` and
    :func:`read_text` (None: no text was extracted)."""
    text = text or {}
    log = math.log1p
    chars = max(page["text_chars"], 1.0)
    values = [page[name] for name in _PLAIN]
    values += [float(page[source] >= 1) for source in _ONE_MANY.values()]
    values += [log(max(page[source] - MANY_FROM, 0)) for source in _ONE_MANY.values()]
    values += [log(page[name]) for name in _LOGS]
    values += [
        min(page["a_chars"] / chars, 1.0),
        min(page["headline_chars"] / chars, 1.0),
        min(page["block_chars"] / chars, 1.0),
        log(page["block_chars"]),
        (page["p"] - page["p_long"]) / max(page["p"], 1.0),
        log(text.get("x_units", 0.0)),
        log(text.get("x_units_per_line", 0.0)),
        log(min(text.get("x_units_per_sentence", 0.0), MAX_WORDS_PER_SENTENCE)),
        text.get("x_prose_share", 0.0),
        text.get("x_teaser_share", 0.0),
        min(text.get("x_chars", 0.0) / chars, 2.0),
    ]
    return values
