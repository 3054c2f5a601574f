"""Boilerplate learned per site: paragraphs that recur on many pages of one site are not text."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from crawler.page.cleaning.text import line_key

logger = logging.getLogger(__name__)

# Lines shorter than this are labels ("Share", "Advertisement"), handled by the phrase rules;
# counting them would only bloat the table.
MIN_SEGMENT_WORDS = 3
# From this length a recurring paragraph is a disclaimer, a standard bio or a promo box: two
# articles do not share a 25-word paragraph by chance, but a quote can travel across stories,
# hence a page count *and* a share of the site's pages: a quote carried by three follow-ups
# of one story on a small site is still article text.
LONG_SEGMENT_WORDS = 25
LONG_MIN_PAGES = 4
LONG_MIN_SHARE = 0.25
# A short line ("The company did not respond to a request for comment.") recurs by chance in
# news writing, so it must be on many pages and on a large share of them.
SHORT_MIN_PAGES = 5
SHORT_MIN_SHARE = 0.3
# Nothing is called boilerplate before the site has this many pages learned.
MIN_SITE_PAGES = 3
# If learned segments would take more than this share of a page's words, the page is unlike
# the others (or the site publishes near-copies); keep its text rather than gut it.
MAX_STRIPPED_SHARE = 0.5


def segment_hash(text: str) -> int:
    """Stable signed 64-bit hash of a normalised segment (fits an SQLite INTEGER)."""
    return _key_hash(line_key(text))


def _key_hash(key: str) -> int:
    digest = hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


class PageLines:
    """One page's text as the learner reads it: its lines and their segments.

    Normalising a line (``line_key``) is the costly step, and a stored page is both stripped and
    learned, so each line is normalised and hashed once, when first needed, whatever asks.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines = text.split("\n")
        self._hashes: list[int | None] | None = None
        self._segments: dict[int, tuple[int, str]] = {}

    @property
    def hashes(self) -> list[int | None]:
        """Each line's segment hash, None for a line under MIN_SEGMENT_WORDS words."""
        if self._hashes is None:
            hashes: list[int | None] = []
            for line in self.lines:
                key = line_key(line)
                # line_key leaves words separated by single spaces.
                words = key.count(" ") + 1 if key else 0
                if words < MIN_SEGMENT_WORDS:
                    hashes.append(None)
                    continue
                h = _key_hash(key)
                hashes.append(h)
                self._segments.setdefault(h, (words, line))
            self._hashes = hashes
        return self._hashes

    @property
    def segments(self) -> dict[int, tuple[int, str]]:
        """``{hash: (words, first line with it)}`` of the lines long enough to count."""
        self.hashes  # noqa: B018 - fills the segments
        return self._segments


class BoilerplateStore(Protocol):
    """Persistence the learner needs; storage implements it over two SQLite tables.

    ``boilerplate_pages(site, page_hash)`` remembers which pages were counted, so a page
    re-fetched or re-cleaned is never counted twice, and ``boilerplate_sites(site, pages)`` how
    many; ``boilerplate_segments(site, hash, pages, words, sample)`` holds per-site counts of
    pages containing each segment.
    """

    def site_pages(self, site: str) -> int:
        """Number of pages of ``site`` counted so far."""
        ...

    def segment_pages(self, site: str, hashes: Sequence[int]) -> dict[int, int]:
        """Pages of ``site`` counted for each of ``hashes`` (missing hashes: zero)."""
        ...

    def add_page(self, site: str, page_hash: int, segments: dict[int, tuple[int, str]]) -> bool:
        """Count one page and its segments ({hash: (words, sample text)}), atomically.

        Returns False, changing nothing, when the page was counted before.
        """
        ...


@dataclass
class MemoryBoilerplateStore:
    """In-memory :class:`BoilerplateStore`, for tests and one-off runs."""

    pages: dict[str, set[int]] = field(default_factory=dict)
    segments: dict[str, dict[int, list]] = field(default_factory=dict)

    def site_pages(self, site: str) -> int:
        return len(self.pages.get(site, ()))

    def segment_pages(self, site: str, hashes: Sequence[int]) -> dict[int, int]:
        known = self.segments.get(site, {})
        return {h: known[h][0] for h in hashes if h in known}

    def add_page(self, site: str, page_hash: int, segments: dict[int, tuple[int, str]]) -> bool:
        seen = self.pages.setdefault(site, set())
        if page_hash in seen:
            return False
        seen.add(page_hash)
        known = self.segments.setdefault(site, {})
        for h, (words, sample) in segments.items():
            entry = known.setdefault(h, [0, words, sample])
            entry[0] += 1
        return True


def is_boilerplate(words: int, pages: int, site_pages: int) -> bool:
    """The threshold rule: does a segment of ``words`` found on ``pages`` of ``site_pages``
    pages of one site count as that site's boilerplate?"""
    if site_pages < MIN_SITE_PAGES or words < MIN_SEGMENT_WORDS:
        return False
    share = pages / site_pages
    if words >= LONG_SEGMENT_WORDS:
        return pages >= LONG_MIN_PAGES and share >= LONG_MIN_SHARE
    return pages >= SHORT_MIN_PAGES and share >= SHORT_MIN_SHARE


class SiteBoilerplate:
    """Learns recurring segments per site and strips them from article text.

    Learn only from unique articles (not from stored duplicates of one story), and learn from
    the text *before* stripping, so a segment keeps being counted once it is removed.
    """

    def __init__(self, store: BoilerplateStore) -> None:
        self.store = store

    def learn(self, site: str, page_key: str, text: str | PageLines) -> bool:
        """Count the segments of one page of ``site`` (``page_key``: its canonical URL).

        ``text`` may come as the :class:`PageLines` a :meth:`strip` of it was given, so its
        lines are not read twice. Returns False when the page was already counted.
        """
        page = text if isinstance(text, PageLines) else PageLines(text)
        return self.store.add_page(site, segment_hash(page_key), page.segments)

    def strip(self, site: str, text: str | PageLines) -> str:
        """Return the text without the lines that are boilerplate of ``site``."""
        page = text if isinstance(text, PageLines) else PageLines(text)
        site_pages = self.store.site_pages(site)
        if site_pages < MIN_SITE_PAGES:
            return page.text
        segments = page.segments
        counts = self.store.segment_pages(site, list(segments))
        doomed = {
            h
            for h, (words, _) in segments.items()
            if is_boilerplate(words, counts.get(h, 0), site_pages)
        }
        if not doomed:
            return page.text
        lines = page.lines
        kept = [line for line, h in zip(lines, page.hashes, strict=True) if h not in doomed]
        total = sum(len(line.split()) for line in lines)
        removed = total - sum(len(line.split()) for line in kept)
        if total and removed / total > MAX_STRIPPED_SHARE:
            logger.info("site %s: learned boilerplate would take %d of %d words; kept", site,
                        removed, total)  # fmt: skip
            return page.text
        logger.debug("site %s: %d boilerplate lines removed", site, len(lines) - len(kept))
        return "\n".join(kept)

    def learn_and_strip(self, site: str, page_key: str, text: str) -> str:
        """Count the page, then strip the site's boilerplate from it (the pipeline's step)."""
        page = PageLines(text)
        self.learn(site, page_key, page)
        return self.strip(site, page)
