"""Lines compared with other lines: a normalised key, near copies, captions printed again as
text, and blocks a page prints twice."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence

from crawler.page.cleaning.measure import words as count_words

# Two spellings of one caption ("... picture." vs "... picture. — APP/Files") count as the same
# line when they are this similar; real paragraphs differ far more than that.
NEAR_MATCH_RATIO = 0.9
# A shorter line must be at least this share of the longer one to be its near copy.
NEAR_MATCH_LENGTH_SHARE = 0.8
# Below this many characters a normalised line is too short for a meaningful near match.
NEAR_MATCH_MIN_CHARS = 20
# When several different lines recur, or one line recurs this often, repetition is the page's
# structure (an interview's recurring question, a recipe's "Portion: 1 cup" per meal, a spec
# list per product) and only whole copied blocks are dropped, not single repeated lines.
STRUCTURED_MIN_REPEATS = 3
# A copied block (the article body rendered twice) is at least this many words; shorter
# recurring sequences in a structured page (a recipe's plan for each day) are its structure.
BLOCK_COPY_MIN_WORDS = 150
_NON_WORD = re.compile(r"[\W_]+")
# Where a caption's credit starts: "... morning. Photo: Jane Doe/Reuters", "... picture. — APP".
_CREDIT_START = re.compile(
    r"\s(?:[—–|]\s|\(?(?:photos?|images?|pictures?|credits?|fotos?|bild|source|quelle)\s*[:©]|©)",
    re.IGNORECASE,
)


def line_key(line: str) -> str:
    """Normalise a line for comparison: lowercase words only, single spaces."""
    return _NON_WORD.sub(" ", line.lower()).strip()


def similar(a: str, b: str) -> bool:
    """True when two normalised lines are the same text give or take a credit or a few words."""
    if a == b:
        return bool(a)
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) < NEAR_MATCH_MIN_CHARS or len(short) < NEAR_MATCH_LENGTH_SHARE * len(long_):
        return False
    if short in long_:
        return True
    # Word overlap rather than an edit distance: as telling for near copies and far cheaper.
    words_a, words_b = set(a.split()), set(b.split())
    return len(words_a & words_b) >= NEAR_MATCH_RATIO * max(len(words_a), len(words_b))


def caption_keys(captions: Iterable[str]) -> list[tuple[str, int]]:
    """Keys of captions and of their credit-less spelling, which pages also print as text.

    Returns (key, caption number) pairs, so both spellings of one caption count as one.
    """
    keys: list[tuple[str, int]] = []
    for number, caption in enumerate(captions):
        variants = [caption]
        credit = _CREDIT_START.search(caption)
        if credit:
            variants.append(caption[: credit.start()])
        for variant in variants:
            key = line_key(variant)
            if len(key) >= NEAR_MATCH_MIN_CHARS and all(key != k for k, _ in keys):
                keys.append((key, number))
    return keys


def match_index(key: str, keys: Sequence[tuple[str, int]]) -> int | None:
    size = len(key)
    low, high = size * NEAR_MATCH_LENGTH_SHARE, size / NEAR_MATCH_LENGTH_SHARE
    for other, number in keys:
        # The length test first: most lines are far longer or shorter than any caption.
        if low <= len(other) <= high and similar(key, other):
            return number
    return None


def copies(all_keys: Sequence[str]) -> set[int]:
    """Indexes of lines that copy an earlier line and are not the page's own structure."""
    # Lines without words (list bullets, separators) are skipped: a block copied without its
    # bullets is still a copy.
    positions = [index for index, key in enumerate(all_keys) if key]
    return {positions[index] for index in _copied([all_keys[index] for index in positions])}


def _copied(keys: Sequence[str]) -> set[int]:
    """Indexes of the copies among ``keys`` (none empty), as :func:`copies` tells them."""
    first: dict[str, int] = {}
    later: list[tuple[int, int]] = []
    for index, key in enumerate(keys):
        if key in first:
            later.append((index, first[key]))
        else:
            first[key] = index
    if not later:
        return set()
    counts = Counter(keys)
    recurring = [n for n in counts.values() if n > 1]
    structured = (
        len(recurring) >= STRUCTURED_MIN_REPEATS or max(recurring) >= STRUCTURED_MIN_REPEATS
    )
    if not structured:
        return {index for index, _ in later}
    # Structured page: only runs that copy a long stretch of earlier lines in order.
    copies: set[int] = set()
    for index, origin in later:
        if index in copies:
            continue
        length = 0
        while (
            index + length < len(keys)
            and origin + length < index
            and keys[index + length] == keys[origin + length]
        ):
            length += 1
        run = range(index, index + length)
        words = sum(count_words(keys[i]) for i in run)
        if words >= BLOCK_COPY_MIN_WORDS:
            copies.update(run)
    if copies:
        # Every line of a block printed twice recurs, which made the page look structured. With
        # the copy gone the rest is judged again: a line that recurs outside the block (an
        # excerpt of the body printed above it) is a copy like any other.
        rest = [index for index in range(len(keys)) if index not in copies]
        copies.update(rest[index] for index in _copied([keys[index] for index in rest]))
    return copies


def is_cut_copy(key: str, keys: Sequence[str]) -> bool:
    """True when a line cut short with an ellipsis is the start of another line: a teaser or
    description copy of a paragraph, such as "Good morning! This is the news you need to..."."""
    if len(key) < NEAR_MATCH_MIN_CHARS:
        return False
    return any(other != key and other.startswith(key) for other in keys)


def is_doubled(key: str) -> bool:
    """True for a line that is one text twice over: "Headline Headline"."""
    half, rest = divmod(len(key), 2)
    return bool(rest) and key[:half] == key[half + 1 :] and key[half] == " "
