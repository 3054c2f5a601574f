"""Site boilerplate as one page shows it: its segments, the rules that call a segment
boilerplate, and the page's text without it.

A segment is a line of the text (a paragraph), or a line at its place among the first or last
lines of the text. Counting segments over the pages of a site, of one of its templates, or of a
template that several hosts serve is the writer's work (``crawler.learning``); what is decided
here depends on one page and on counts handed in, so it is the same whatever order pages came in.
"""

from __future__ import annotations

import hashlib
from array import array
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from crawler.page.cleaning.copies import line_key
from storage.textunits import word_count

# Lines shorter than this are labels ("Share", "Advertisement"): anywhere in the text they may
# be a word of the story, so they only count at a place of their own (see PLACED_LINES).
MIN_SEGMENT_WORDS = 3
# From this length a recurring paragraph is a disclaimer, a standard bio or a promo box: two
# articles do not share a 25-word paragraph by chance, but a quote can travel across stories,
# hence a page count *and* a share of the pages: a quote carried by three follow-ups of one
# story is still article text.
LONG_SEGMENT_WORDS = 25
LONG_MIN_PAGES = 4
LONG_MIN_PERCENT = 25
# A short line ("The company did not respond to a request for comment.") recurs by chance in
# news writing, so it must be on many pages and on a large share of them.
SHORT_MIN_PAGES = 5
SHORT_MIN_PERCENT = 30
# The same line at the same place (one of the first or last PLACED_LINES lines) on many pages is
# the template's, not the story's, however short: a toolbar, a "come back tomorrow" line. Its
# place is evidence enough for fewer pages, but a sentence that closes many stories ("The company
# did not respond to a request for comment.") must not go: a large share of the pages it takes.
PLACED_LINES = 2
PLACED_MIN_PAGES = 4
PLACED_MIN_PERCENT = 40
# A segment printed on this many pages of three different stories, and on this share of its
# group's pages, is furniture: it never counts towards a match, even before it is learned (and it
# is never learned before). The share spares a story that several editions of a network carry:
# a network's furniture is on most of its pages, a story on a few of them.
FURNITURE_MIN_PAGES = 3
FURNITURE_MIN_PERCENT = 20
# Two pages tell different stories when, beside the lines they share word for word, each has
# this many words of its own (a headline, a byline and a dateline are less) and little of that is
# alike (under this share of the smaller part's 5-word shingles: not an edited copy).
OWN_MIN_WORDS = 30
OWN_SAME_SHARE = 0.5
# Titles sharing this share of the shorter one's words name one story.
SAME_TITLE_SHARE = 0.6
SHINGLE_WORDS = 5
# If learned segments would take more than this share of a page's words, the page is unlike
# the others (or the site publishes near-copies); keep its text rather than gut it.
MAX_STRIPPED_SHARE = 0.5


def _key_hash(key: str) -> int:
    digest = hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def segment_hash(text: str) -> int:
    """Stable signed 64-bit hash of a normalised line (fits an SQLite INTEGER)."""
    return _key_hash(line_key(text))


def placed_hash(text: str, place: str) -> int:
    """Hash of a line at a place ("s0": first line, "e0": last line, ...)."""
    return _key_hash(f"\x00{place}\x00{line_key(text)}")


def _words(key: str, line: str) -> int:
    if not key:
        return 0
    # line_key leaves words separated by single spaces.
    spaced = key.count(" ") + 1
    # Words of more than 12 letters on average: a script without spaces, counted by characters.
    if len(key) > 12 * spaced and not key.isascii():
        return word_count(line)
    return spaced


class PageLines:
    """One page's text as the learner reads it: lines, their segments and their places.

    ``hashes[i]`` is line i's segment hash (None under MIN_SEGMENT_WORDS words), ``places[i]``
    the hash of line i at its place (None away from the top and bottom of the text).
    ``segments`` maps every hash of the page to (words, placed).
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines = text.split("\n")
        self.hashes: list[int | None] = []
        self.places: list[int | None] = []
        self.segments: dict[int, tuple[int, bool]] = {}
        self.samples: dict[int, str] = {}
        self.words: list[int] = []
        keys = [line_key(line) for line in self.lines]
        filled = [i for i, key in enumerate(keys) if key]
        place_of = {}
        for n, i in enumerate(reversed(filled[-PLACED_LINES:])):
            place_of[i] = f"e{n}"
        for n, i in enumerate(filled[:PLACED_LINES]):
            place_of[i] = f"s{n}"
        for i, (line, key) in enumerate(zip(self.lines, keys, strict=True)):
            words = _words(key, line)
            self.words.append(words)
            h = _key_hash(key) if words >= MIN_SEGMENT_WORDS else None
            self.hashes.append(h)
            if h is not None and h not in self.segments:
                self.segments[h] = (words, False)
                self.samples[h] = line
            place = place_of.get(i)
            p = _key_hash(f"\x00{place}\x00{key}") if place else None
            self.places.append(p)
            if p is not None:
                self.segments[p] = (words, True)
                self.samples[p] = line


def furniture_pages(key_pages: int) -> int:
    """Pages of ``key_pages`` that must carry a segment (of three stories) to make it furniture."""
    return max(FURNITURE_MIN_PAGES, -(-FURNITURE_MIN_PERCENT * key_pages // 100))


def required_pages(words: int, placed: bool, key_pages: int) -> int:
    """Pages of ``key_pages`` that must carry a segment of ``words`` for it to be learned."""
    if placed:
        least, percent = PLACED_MIN_PAGES, PLACED_MIN_PERCENT
    elif words >= LONG_SEGMENT_WORDS:
        least, percent = LONG_MIN_PAGES, LONG_MIN_PERCENT
    elif words >= MIN_SEGMENT_WORDS:
        least, percent = SHORT_MIN_PAGES, SHORT_MIN_PERCENT
    else:
        return key_pages + 1  # never
    # Integer arithmetic: 30% of 10 pages is 3 pages, not 3.0000000000000004.
    return max(least, -(-percent * key_pages // 100))


def is_boilerplate(words: int, pages: int, key_pages: int, placed: bool = False) -> bool:
    """The threshold rule: is a segment of ``words`` on ``pages`` of the ``key_pages`` pages of
    a site or template that site's boilerplate (given that it is furniture)?"""
    return pages >= required_pages(words, placed, key_pages)


@dataclass(frozen=True)
class Story:
    """A page as :func:`different` compares it: the words of its title, and its lines as
    ``{line hash: (words, 5-word shingles)}`` (hashes of this process, compared, never stored).

    Each line's shingles are packed as 8-byte integers (:func:`packed`): learning keeps
    thousands of stories in memory, and a set of Python ints takes about eight times as much.
    """

    title: frozenset[str]
    lines: dict[int, tuple[int, bytes]]


def packed(grams: Iterable[int]) -> bytes:
    """Shingle hashes as :class:`Story` keeps them (``array("q", ...)`` reads them back)."""
    return array("q", grams).tobytes()


def story_of(text: str, title: str | None = None) -> Story:
    """The :class:`Story` of a page's text and title."""
    lines: dict[int, tuple[int, bytes]] = {}
    for line in text.split("\n"):
        words = line_key(line).split()
        if not words:
            continue
        if len(words) < SHINGLE_WORDS:
            grams = packed([hash(tuple(words))])
        else:
            grams = packed(
                hash(tuple(words[i : i + SHINGLE_WORDS]))
                for i in range(len(words) - SHINGLE_WORDS + 1)
            )
        lines[hash(" ".join(words))] = (len(words), grams)
    return Story(frozenset(line_key(title or "").split()), lines)


def _same_title(a: frozenset[str], b: frozenset[str]) -> bool:
    if not a or not b:
        return False
    return len(a & b) >= SAME_TITLE_SHARE * min(len(a), len(b))


def different(a: Story, b: Story) -> bool:
    """True when two pages tell different stories: their titles differ and, apart from the lines
    both print, each has text of its own that is not an edit of the other's.

    Copies of one story under one title are one story whatever each outlet adds (a local
    paragraph reads like a story of its own wrapped in the copy).
    """
    if _same_title(a.title, b.title):
        return False
    own_a = [value for h, value in a.lines.items() if h not in b.lines]
    own_b = [value for h, value in b.lines.items() if h not in a.lines]
    if sum(w for w, _ in own_a) < OWN_MIN_WORDS or sum(w for w, _ in own_b) < OWN_MIN_WORDS:
        return False
    grams_a = frozenset(array("q", b"".join(g for _, g in own_a)))
    grams_b = frozenset(array("q", b"".join(g for _, g in own_b)))
    small, large = (grams_a, grams_b) if len(grams_a) <= len(grams_b) else (grams_b, grams_a)
    return len(small & large) < OWN_SAME_SHARE * len(small)


def joins_different_stories(page: Story, others: Iterable[Story]) -> bool:
    """True when ``page`` and two of ``others`` tell three different stories."""
    apart = [other for other in others if different(page, other)]
    return any(
        different(first, second) for i, first in enumerate(apart) for second in apart[i + 1 :]
    )


def different_stories(pages: list[Story]) -> bool:
    """True when three of ``pages`` tell three different stories."""
    return any(joins_different_stories(page, pages[i + 1 :]) for i, page in enumerate(pages))


def strip(page: PageLines, learned: Collection[int], furniture: Collection[int]) -> tuple[str, str]:
    """Return the page's text without its ``learned`` lines, and the text to match it on
    (without its ``furniture`` lines as well).

    The text keeps everything when learned lines would take more than MAX_STRIPPED_SHARE of
    its words; the text to match on never keeps furniture.
    """
    if not learned and not furniture:
        return page.text, page.text
    kept: list[str] = []
    matched: list[str] = []
    removed = total = 0
    for line, h, p, words in zip(page.lines, page.hashes, page.places, page.words, strict=True):
        total += words
        if (h is not None and h in learned) or (p is not None and p in learned):
            removed += words
            continue
        kept.append(line)
        if (h is None or h not in furniture) and (p is None or p not in furniture):
            matched.append(line)
    if not removed or (total and removed > MAX_STRIPPED_SHARE * total):
        text = page.text
    else:
        text = "\n".join(kept)
    match = "\n".join(matched)
    return text, text if match == text else match
