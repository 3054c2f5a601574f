"""Text cleaning after extraction: line rules for captions, repeats, related blocks and labels."""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from crawler.page.cleaning.copies import (
    caption_keys,
    copies,
    is_cut_copy,
    is_doubled,
    line_key,
    match_index,
    similar,
)
from crawler.page.cleaning.measure import words as count_words
from crawler.page.cleaning.phrases import (
    BARE_DATE_RE,
    BYLINE_RE,
    DATE_LINE_RE,
    INLINE_POINTER_RE,
    LABEL_RE,
    RELATED_HEADING_RE,
    is_credit,
    is_promo,
)

# A line that is only a machine timestamp is page furniture.
ISO_DATE_RE = re.compile(
    r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?)?$"
)
# A line that is a date with at most a short label, in any language, by its shape: a day, a
# month (a word or a number) and a year ("Erstellt am 8. März 2025", "Última actualización: 13
# de marzo de 2025", "Updated March 10, 2025 at 6:40 pm", "12.03.2024"), perhaps a time.
_DATE = (
    r"(?:\d{1,2}\.?\s*(?:de\s+)?[^\W\d_]{3,}\.?\s*(?:de\s+)?,?\s*\d{4}"
    r"|[^\W\d_]{3,}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}"
    r"|\d{1,4}[./-]\d{1,2}[./-]\d{2,4}"
    r"|\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)"
)
_TIME = r"(?:[\s,|·-]+(?:[^\W\d_]{1,5}\s+)?\d{1,2}[:h.]\d{2}(?:\s*[^\W\d_.]{1,4}\.?){0,2})?"
# The label is words and the punctuation of a label; an attribution ("— Jane (@jane) March
# 10, 2025", a post's signature) has a name and a handle in parentheses.
DATED_LINE_RE = re.compile(rf"^[\W_]*(?:[^\W\d_]+[\s:.,·|-]+){{0,4}}{_DATE}{_TIME}[\W_]*$")
# A dated line has at most this many words (label, date, time).
DATED_LINE_MAX_WORDS = 10
CONTACT_RE = re.compile(r"\S+@\S+\.\w{2,}")

logger = logging.getLogger(__name__)

# Credits and captions are short; a long paragraph that ends with "— AFP" is article text.
CREDIT_MAX_WORDS = 30
# Inline "Read more: <headline>" pointers are one headline long.
POINTER_MAX_WORDS = 30
# Promotion lines ("Subscribe now to our e-edition for the full story.") are short; a long
# paragraph that mentions a newsletter is article text.
PROMO_MAX_WORDS = 40
# Under a "Related" heading, lines up to this length are teaser headlines or excerpts; the
# first longer line is article text again.
TEASER_MAX_WORDS = 30
# Date and byline lines are short; a sentence that starts with "Published" is not.
META_LINE_MAX_WORDS = 15
# When at least this many different captions reappear as body paragraphs, the site writes its
# captions by quoting the article ("Currency collectors are on the hunt ..."): keep the text.
QUOTED_CAPTIONS_MIN = 2
# A headline line near the top may carry this many words more than the title (a kicker, the
# site's name); a shorter one is the title without the site's name when it keeps this share of
# it; a reworded one is at most this long and shares this share of the title's words.
TITLE_EXTRA_WORDS = 6
TITLE_MIN_WORDS = 3
TITLE_MAX_WORDS = 25
TITLE_CUT_SHARE = 0.5
TITLE_REWORD_SHARE = 0.75
TITLE_REWORD_MIN_WORDS = 5
_SENTENCE_ENDS = (".", "…", '."', ".”", ".»", "?", "!", ":")
# Bylines and a repeated headline are looked for only near the top (and bylines at the end).
BYLINE_ZONE = 3
# The site's name heading a line near the top, followed by at most this many words (a
# tagline), is the page's masthead; names shorter than this many characters ("AP") are left.
MASTHEAD_MAX_EXTRA_WORDS = 8
MASTHEAD_MIN_CHARS = 6
# A line with at least this share of its text in links is a link, not a sentence with one.
LINKED_LINE_SHARE = 0.8
# A short line that opens with a link of at least this share is a teaser: headline + excerpt.
TEASER_LINE_SHARE = 0.3
# A list item ("- ...") is a teaser already when a headline link opens this share of it: teaser
# lists put a headline and its standfirst in one item, and the standfirst can be long.
TEASER_ITEM_SHARE = 0.2
# Longer lines are never checked against link texts: a teaser is a headline and a short excerpt.
TEASER_MAX_CHARS = 300
# Teasers come in runs: this many teaser lines in a row, or this many fully linked ones, are
# a block of links to other stories even without a "Related" heading over them.
TEASER_RUN = 3
LINKED_RUN = 2
# "Write to Jane Doe at jane@example.com" and similar contact lines are this short.
CONTACT_MAX_WORDS = 15
# Trailing notes about the author ("Jane Doe is our deals editor ...") or the publisher
# ("Acme is a global provider of ...", press releases' "About Acme") close many pages. Only
# the last few lines are looked at, and a note is at most this long.
TRAILER_ZONE = 3
TRAILER_MAX_WORDS = 100
# The verb that makes "<name> is ..." a self-description, in the corpus's major languages.
_DESCRIBES = ("is", "ist", "est", "es", "è", "war", "was")
_DESCRIBE_WITHIN = 3  # words after the name, where the verb may follow a year or a role

# Words that join the names of a byline of several authors.
_NAME_JOINERS = frozenset("and und et y e en og och i ja és a".split())
_BARE_URL = re.compile(r"^https?://\S+$")
_ELLIPSES = ("...", "…")


def _only_names(key: str, author_keys: Sequence[str]) -> bool:
    """True when ``key`` is two or more of the authors' names and the words that join them."""
    rest = f" {key} "
    found = 0
    for author in author_keys:
        if f" {author} " in rest:
            rest = rest.replace(f" {author} ", " ")
            found += 1
    return found >= 2 and all(word in _NAME_JOINERS for word in rest.split())


def _is_byline(line: str, key: str, words: int, author_keys: Sequence[str]) -> bool:
    if not words or words > META_LINE_MAX_WORDS:
        return False
    if key in author_keys:
        return True
    if _only_names(key, author_keys):
        return True  # "Jane Roe/John Doe", "Jane Roe and John Doe"
    if not BYLINE_RE.match(line):
        return False
    if not author_keys:
        return words <= 6
    padded = f" {key} "
    return any(f" {author} " in padded for author in author_keys)


def _is_meta_line(line: str, words: int) -> bool:
    if words > META_LINE_MAX_WORDS:
        return False
    return bool(
        DATE_LINE_RE.match(line)
        or BARE_DATE_RE.match(line)
        or ISO_DATE_RE.match(line)
        or (words <= DATED_LINE_MAX_WORDS and DATED_LINE_RE.match(line))
        or (words <= CONTACT_MAX_WORDS and CONTACT_RE.search(line))
    )


def _is_masthead(key: str, site_key: str) -> bool:
    """True for the site's name, alone or with its tagline ("The Courier Independent since
    1887"), as a line of the page's header that extraction kept."""
    if key == site_key:
        return True
    extra = len(key.split()) - len(site_key.split())
    return (
        len(site_key) >= MASTHEAD_MIN_CHARS
        and key.startswith(site_key + " ")
        and extra <= MASTHEAD_MAX_EXTRA_WORDS
    )


def _is_title(line: str, key: str, title_key: str, first: bool = True) -> bool:
    """The headline near the top: alone, with the site's name after it ("Headline | Site"),
    with a kicker before it ("Ahead of the vote: Headline"), cut from a title that carries
    the site's name, or reworded from the title (the page's headline vs the <title>)."""
    if similar(key, title_key):
        return True
    extra = count_words(key) - count_words(title_key)
    if key.startswith(title_key):
        return extra <= TITLE_EXTRA_WORDS
    if key.endswith(title_key) and count_words(title_key) >= TITLE_MIN_WORDS:
        # The kicker is glued on at times ("Vote nearsHeadline"), so a plain suffix test; a
        # title of a word or two ends many an ordinary line.
        return extra <= TITLE_EXTRA_WORDS
    words = key.split()
    if not TITLE_MIN_WORDS <= count_words(key) <= TITLE_MAX_WORDS:
        return False
    if len(key) >= TITLE_CUT_SHARE * len(title_key) and (
        title_key.startswith(key) or (first and title_key.endswith(key))
    ):
        return True  # the title without the site's name, or without its kicker
    title_words = set(title_key.split())
    if len(title_words) < TITLE_REWORD_MIN_WORDS or line.rstrip().endswith(_SENTENCE_ENDS):
        return False  # a lead or a question heading that restates the headline is article text
    shared = len(set(words) & title_words)
    return shared >= TITLE_REWORD_SHARE * max(len(set(words)), len(title_words))


def link_share(key: str, link_texts: Collection[str], starts: Collection[str] = ()) -> float:
    """Share of a line's characters in a link that opens it (1.0: the line is one link).

    ``starts``, the first words of the link texts, lets most lines be ruled out at once.
    """
    if not link_texts or len(key) > TEASER_MAX_CHARS:
        return 0.0
    if key in link_texts:
        return 1.0
    words = key.split()
    if starts and (not words or words[0] not in starts):
        return 0.0
    for end in range(len(words) - 1, 1, -1):
        prefix = " ".join(words[:end])
        if prefix in link_texts:
            return len(prefix) / len(key)
    return 0.0


@dataclass(frozen=True)
class LineMeasures:
    """What the text passes read of each line: its key (:func:`line_key`), its words and the
    share of it in a link that opens it (:func:`link_share`)."""

    keys: list[str]
    words: list[int]
    shares: list[float]


def measure_lines(lines: Sequence[str], link_texts: Collection[str]) -> LineMeasures:
    """Measure ``lines`` once, for :func:`linked_text_share` and :func:`clean_lines` both."""
    starts = {text.partition(" ")[0] for text in link_texts}
    keys = [line_key(line) for line in lines]
    return LineMeasures(
        keys,
        [count_words(key) for key in keys],
        [link_share(key, link_texts, starts) for key in keys],
    )


def _measured(
    lines: Sequence[str], link_texts: Collection[str], measured: LineMeasures | None
) -> LineMeasures:
    if measured is None:
        return measure_lines(lines, link_texts)
    if len(measured.keys) != len(lines):
        raise ValueError(f"measures of {len(measured.keys)} lines given for {len(lines)} lines")
    return measured


def linked_text_share(
    lines: Sequence[str],
    link_texts: Collection[str],
    min_share: float = TEASER_LINE_SHARE,
    measured: LineMeasures | None = None,
) -> float:
    """Share of the words of ``lines`` that belong to teasers: lines opening with a link that
    takes at least ``min_share`` of the line, and the short excerpt line right after one.
    ``measured``: :func:`measure_lines` of ``lines``, when the caller has it."""
    measured = _measured(lines, link_texts, measured)
    total = linked = 0
    after_link = False
    for words, share in zip(measured.words, measured.shares, strict=True):
        total += words
        if share >= min_share:
            linked += words
            after_link = True
        else:
            if after_link and words <= TEASER_MAX_WORDS:
                linked += words
            after_link = False
    return linked / total if total else 0.0


def _teaser_runs(lines: Sequence[str], links: Sequence[float]) -> set[int]:
    """Indexes of lines in runs of teasers: links to other stories, one per line."""
    teaser = [
        not line.startswith("|")  # a table row holding a link is data, not a teaser
        and (
            share >= LINKED_LINE_SHARE
            or (
                share >= (TEASER_ITEM_SHARE if line.startswith("- ") else TEASER_LINE_SHARE)
                and count_words(line) <= TEASER_MAX_WORDS
            )
        )
        for line, share in zip(lines, links, strict=True)
    ]
    found: set[int] = set()
    start = 0
    while start < len(lines):
        if not teaser[start]:
            start += 1
            continue
        end = start
        while end < len(lines) and teaser[end]:
            end += 1
        run = range(start, end)
        linked = sum(1 for i in run if links[i] >= LINKED_LINE_SHARE)
        if len(run) >= TEASER_RUN or linked >= LINKED_RUN:
            found.update(run)
        start = end
    return found


def _trailer(keys: Sequence[str], author_keys: Sequence[str], about_keys: Sequence[str]) -> int:
    """How many of the last lines are notes about the author or the publisher."""
    names = [k for k in author_keys if " " in k]  # a full name, not a lone first name
    starts = tuple(f"{name} " for name in (*names, *about_keys))
    if not starts:
        return 0
    count = 0
    for key in reversed(keys[-TRAILER_ZONE:]):
        words = key.split()
        if not words or count_words(key) > TRAILER_MAX_WORDS or not key.startswith(starts):
            break
        about = next(name for name in (*names, *about_keys) if key.startswith(f"{name} "))
        # "<name> is ...", "<name> (1958) war ...": the name describes itself.
        if not any(w in _DESCRIBES for w in words[len(about.split()) :][:_DESCRIBE_WITHIN]):
            break
        count += 1
    # A body made of nothing else is an article about that person or company.
    return count if count < len(keys) else 0


def clean_lines(
    lines: Sequence[str],
    *,
    link_texts: Collection[str] = (),
    title: str | None = None,
    site_name: str | None = None,
    captions: Sequence[str] = (),
    alt_texts: Sequence[str] = (),
    authors: Sequence[str] = (),
    about_names: Sequence[str] = (),
    found_captions: list[str] | None = None,
    trace: list[tuple[str, str]] | None = None,
    measured: LineMeasures | None = None,
) -> list[str]:
    """Return the body lines with page furniture removed.

    Drops lines that repeat a caption, alt text or photo credit, lines repeated earlier in the
    body, "Related"/"Read more" headings with the teasers under them, runs of links to other
    stories (``link_texts``: normalised texts of the page's links), inline "Read more: ..."
    pointers, labels such as "Advertisement", date, byline and contact lines, and the title
    or the site's name (a print page's masthead) near the top. Credit-like lines are appended
    to ``found_captions`` when given; each dropped line is appended to ``trace`` as
    (rule, line) when given, to explain a result. Closing notes that describe an author or
    one of ``about_names`` (the publisher: site name, the host's name) are dropped too.
    ``measured`` is :func:`measure_lines` of ``lines`` with ``link_texts``, when the caller
    has it already.
    """
    lines = [line.strip() for line in lines]
    caption_set = caption_keys((*captions, *alt_texts))
    author_keys = [k for k in (line_key(a) for a in authors) if k]
    title_key = line_key(title) if title else ""
    site_key = line_key(site_name) if site_name else ""
    # Keys ignore the spaces around a line: measures of the unstripped lines hold.
    measured = _measured(lines, link_texts, measured)
    keys, shares = measured.keys, measured.shares
    teasers = _teaser_runs(lines, shares) if link_texts else set()
    caption_hits = {}
    if caption_set:
        for index, key in enumerate(keys):
            hit = match_index(key, caption_set) if key else None
            if hit is not None:
                caption_hits[index] = hit
    if len(set(caption_hits.values())) >= QUOTED_CAPTIONS_MIN and not any(
        is_credit(lines[i]) for i in caption_hits
    ):
        caption_hits = {}
    kept: list[int] = []
    in_related = False
    drops: Counter[str] = Counter()
    last = len(lines) - 1
    for index, line in enumerate(lines):
        key = keys[index]
        if not key:
            if line:
                kept.append(index)
            continue
        words = measured.words[index]
        rule = None
        if in_related:
            # With the page's links known, a teaser must be one; without, short lines are.
            teaser = shares[index] >= TEASER_LINE_SHARE if link_texts else words <= TEASER_MAX_WORDS
            if teaser and not RELATED_HEADING_RE.match(line):
                drops["related_teaser"] += 1
                if trace is not None:
                    trace.append(("related_teaser", line))
                continue
            in_related = False
        if index in teasers:
            rule = "teaser_run"
        elif kept and shares[index] >= LINKED_LINE_SHARE and words > 4 and line.isupper():
            # A shouted headline that is one link: the inline pointer of some templates.
            rule = "teaser_caps"
        elif RELATED_HEADING_RE.match(line):
            in_related = True
            rule = "related_heading"
        elif LABEL_RE.match(line):
            rule = "label"
        elif words <= POINTER_MAX_WORDS and INLINE_POINTER_RE.match(line):
            rule = "read_more"
        elif words <= PROMO_MAX_WORDS and is_promo(line):
            rule = "promo"
        elif index in caption_hits:
            rule = "caption_copy"
        elif words <= CREDIT_MAX_WORDS and is_credit(line):
            if found_captions is not None and line not in found_captions:
                found_captions.append(line)
            rule = "credit"
        elif len(kept) < BYLINE_ZONE and title_key and _is_title(line, key, title_key, not kept):
            rule = "title"
        elif len(kept) < BYLINE_ZONE and site_key and _is_masthead(key, site_key):
            rule = "site_name"
        elif (len(kept) < BYLINE_ZONE or index == last) and _is_byline(
            line, key, words, author_keys
        ):
            rule = "byline"
        elif _is_meta_line(line, words):
            rule = "date"
        elif not kept and _BARE_URL.match(line):
            rule = "address"  # the page's own address printed above the story
        elif line.endswith(_ELLIPSES) and is_cut_copy(key, keys):
            rule = "cut_copy"
        elif words >= 2 * TITLE_MIN_WORDS and is_doubled(key):
            rule = "doubled"  # a card's headline printed twice (two spans, one hidden)
        if rule:
            drops[rule] += 1
            if trace is not None:
                trace.append((rule, line))
            continue
        kept.append(index)
    trailer = _trailer(
        [keys[i] for i in kept], author_keys, [line_key(n) for n in about_names if n]
    )
    if trailer:
        drops["trailer"] += trailer
        if trace is not None:
            trace.extend(("trailer", lines[i]) for i in kept[-trailer:])
        kept = kept[:-trailer]
    # Repeats are judged among the lines that survived, so junk between two copies of a
    # block (timestamps, image URLs) does not hide that the block is copied.
    copied = copies([keys[i] for i in kept])
    if copied:
        drops["repeat"] += len(copied)
        if trace is not None:
            trace.extend(("repeat", lines[kept[pos]]) for pos in sorted(copied))
    if drops:
        logger.debug("text pass dropped %s", dict(drops))
    return [lines[i] for pos, i in enumerate(kept) if pos not in copied]


def clean_text(text: str, **context: object) -> str:
    """Clean a newline-separated body; keyword arguments as for :func:`clean_lines`."""
    return "\n".join(clean_lines(text.split("\n"), **context))  # type: ignore[arg-type]
