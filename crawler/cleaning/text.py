"""Text cleaning after extraction: line rules for captions, repeats, related blocks and labels."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from difflib import SequenceMatcher

from crawler.cleaning.phrases import (
    BARE_DATE_RE,
    BYLINE_RE,
    CREDIT_RE,
    DATE_LINE_RE,
    INLINE_POINTER_RE,
    LABEL_RE,
    RELATED_HEADING_RE,
)

logger = logging.getLogger(__name__)

# Two spellings of one caption ("... picture." vs "... picture. — APP/Files") count as the same
# line when they are this similar; real paragraphs differ far more than that.
NEAR_MATCH_RATIO = 0.9
# A shorter line must be at least this share of the longer one to be its near copy.
NEAR_MATCH_LENGTH_SHARE = 0.8
# Below this many characters a normalised line is too short for a meaningful near match.
NEAR_MATCH_MIN_CHARS = 20
# Credits and captions are short; a long paragraph that ends with "— AFP" is article text.
CREDIT_MAX_WORDS = 30
# Inline "Read more: <headline>" pointers are one headline long.
POINTER_MAX_WORDS = 30
# Under a "Related" heading, lines up to this length are teaser headlines or excerpts; the
# first longer line is article text again.
TEASER_MAX_WORDS = 30
# Date and byline lines are short; a sentence that starts with "Published" is not.
META_LINE_MAX_WORDS = 15
# Bylines are looked for only near the top and at the very end of the body.
BYLINE_ZONE = 3

_NON_WORD = re.compile(r"[\W_]+")
# Where a caption's credit starts: "... morning. Photo: Jane Doe/Reuters", "... picture. — APP".
_CREDIT_START = re.compile(
    r"\s(?:[—–|]\s|\(?(?:photos?|images?|pictures?|credits?|fotos?|bild|source|quelle)\s*[:©]|©)",
    re.IGNORECASE,
)


def line_key(line: str) -> str:
    """Normalise a line for comparison: lowercase words only, single spaces."""
    return _NON_WORD.sub(" ", line.lower()).strip()


def _similar(a: str, b: str) -> bool:
    """True when two normalised lines are the same text give or take a credit or a few words."""
    if a == b:
        return bool(a)
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) < NEAR_MATCH_MIN_CHARS or len(short) < NEAR_MATCH_LENGTH_SHARE * len(long_):
        return False
    if short in long_:
        return True
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    return matcher.quick_ratio() >= NEAR_MATCH_RATIO and matcher.ratio() >= NEAR_MATCH_RATIO


def caption_keys(captions: Iterable[str]) -> list[str]:
    """Keys of captions and of their credit-less spelling, which pages also print as text."""
    keys: list[str] = []
    for caption in captions:
        variants = [caption]
        credit = _CREDIT_START.search(caption)
        if credit:
            variants.append(caption[: credit.start()])
        for variant in variants:
            key = line_key(variant)
            if len(key) >= NEAR_MATCH_MIN_CHARS and key not in keys:
                keys.append(key)
    return keys


def _matches_any(key: str, keys: Iterable[str]) -> bool:
    return any(_similar(key, other) for other in keys)


def _is_byline(line: str, key: str, author_keys: Sequence[str]) -> bool:
    words = len(key.split())
    if not words or words > META_LINE_MAX_WORDS:
        return False
    if key in author_keys:
        return True
    if not BYLINE_RE.match(line):
        return False
    if not author_keys:
        return words <= 6
    padded = f" {key} "
    return any(f" {author} " in padded for author in author_keys)


def _is_meta_line(line: str, key: str) -> bool:
    words = len(key.split())
    if words > META_LINE_MAX_WORDS:
        return False
    return bool(DATE_LINE_RE.match(line) or BARE_DATE_RE.match(line))


def clean_lines(
    lines: Sequence[str],
    *,
    title: str | None = None,
    captions: Sequence[str] = (),
    alt_texts: Sequence[str] = (),
    authors: Sequence[str] = (),
    found_captions: list[str] | None = None,
) -> list[str]:
    """Return the body lines with page furniture removed.

    Drops lines that repeat a caption, alt text or photo credit, lines repeated earlier in the
    body, "Related"/"Read more" headings with the teasers under them, inline "Read more: ..."
    pointers, labels such as "Advertisement", date and byline lines, and the title when it
    opens the body. Credit-like lines are appended to ``found_captions`` when given.
    """
    caption_set = caption_keys((*captions, *alt_texts))
    author_keys = [k for k in (line_key(a) for a in authors) if k]
    title_key = line_key(title) if title else ""
    seen: set[str] = set()
    kept: list[str] = []
    in_related = False
    drops: dict[str, int] = {}

    def drop(rule: str) -> None:
        drops[rule] = drops.get(rule, 0) + 1

    last = len(lines) - 1
    for index, raw in enumerate(lines):
        line = raw.strip()
        key = line_key(line)
        if not key:
            if line:
                kept.append(line)
            continue
        words = len(key.split())
        if in_related:
            if words <= TEASER_MAX_WORDS and not RELATED_HEADING_RE.match(line):
                drop("related_teaser")
                continue
            in_related = False
        if key in seen:
            drop("repeat")
            continue
        if RELATED_HEADING_RE.match(line):
            in_related = True
            drop("related_heading")
            continue
        if LABEL_RE.match(line):
            drop("label")
            continue
        if words <= POINTER_MAX_WORDS and INLINE_POINTER_RE.match(line):
            drop("read_more")
            continue
        if caption_set and _matches_any(key, caption_set):
            drop("caption_copy")
            continue
        if words <= CREDIT_MAX_WORDS and CREDIT_RE.search(line):
            if found_captions is not None and line not in found_captions:
                found_captions.append(line)
            drop("credit")
            continue
        if not kept and title_key and _similar(key, title_key):
            drop("title")
            continue
        if (len(kept) < BYLINE_ZONE or index == last) and _is_byline(line, key, author_keys):
            drop("byline")
            continue
        if _is_meta_line(line, key):
            drop("date")
            continue
        seen.add(key)
        kept.append(line)
    if drops:
        logger.debug("text pass dropped %s", drops)
    return kept


def clean_text(text: str, **context: object) -> str:
    """Clean a newline-separated body; keyword arguments as for :func:`clean_lines`."""
    return "\n".join(clean_lines(text.split("\n"), **context))  # type: ignore[arg-type]
