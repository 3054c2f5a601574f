"""Site boilerplate learned from the stored pages, per template and across the hosts of a network,
and applied to every stored page it concerns, whatever order the pages came in.

Each page is counted under up to three keys: its site, its site's template (the page's
structural signature, ``crawler.page.template``) and, when the signature is specific enough,
the template on every host that serves it (sites of one network share their furniture). A
segment (``crawler.page.cleaning.boilerplate``) counted under a key is

- **furniture** once three of the key's pages that carry it tell three different stories and it
  is on a share of the key's pages: it never counts towards a match (the text dedup compares,
  ``match_text``, goes without it);
- **learned** once it is furniture and on enough of the key's pages (a count and a share): it is
  stripped from the text.

Both follow from the set of stored pages alone, and every write keeps each stored page's text
what its counts say now: when a segment becomes furniture or boilerplate (or stops being
boilerplate, as its share falls), the stored pages that carry it are cleaned again and their
stories regrouped, in the transaction that stores the page that tipped it. A crawl killed at
any point and resumed, or fed in any order, ends with the same texts.
"""

from __future__ import annotations

import json
import logging
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from crawler.page.cleaning.boilerplate import (
    FURNITURE_MIN_PAGES,
    LONG_SEGMENT_WORDS,
    MIN_SEGMENT_WORDS,
    PageLines,
    Story,
    different_stories,
    furniture_pages,
    joins_different_stories,
    required_pages,
    story_of,
    strip,
)
from crawler.page.template import shared_template
from storage import AddResult, Store
from storage.boilerplate import (
    FURNITURE,
    LEARNED,
    PLACED,
    STORIES,
    Carrier,
    Count,
    StoreBoilerplate,
    key_hash,
)
from storage.connection import transaction

logger = logging.getLogger(__name__)

# Carriers of a segment looked at to tell whether it is furniture: enough to find three
# stories, few enough that a story copied a thousand times costs no more than this.
FURNITURE_SAMPLE = 48
# Pages kept in memory as compared (Story) between articles: recent carriers.
_STORY_CACHE = 2048


@dataclass(frozen=True)
class LearningKey:
    """A site (template ""), one template of a site, or a template on every host (site "")."""

    site: str
    template: str

    @cached_property
    def id(self) -> int:
        return key_hash(self.site, self.template)

    @cached_property
    def site_filter(self) -> int | None:
        """The carriers' site to look for (None: any site)."""
        return key_hash(self.site) if self.site else None

    @cached_property
    def template_filter(self) -> int | None:
        """The carriers' template to look for (None: any template)."""
        return key_hash(self.template) if self.template else None


def learning_keys(site: str, template: str) -> list[LearningKey]:
    """The keys a page of ``site`` with ``template`` is counted under."""
    if not site:
        return []
    keys = [LearningKey(site, "")]
    if template:
        keys.append(LearningKey(site, template))
        if shared_template(template):
            keys.append(LearningKey("", template))
    return keys


def _state(count: Count, stories: bool, key_pages: int) -> int:
    """A segment's state from its count under a key of ``key_pages`` pages, when its pages tell
    three ``stories`` or not."""
    placed = bool(count.state & PLACED)
    furniture = stories and count.pages >= furniture_pages(key_pages)
    learned = furniture and count.pages >= required_pages(count.words, placed, key_pages)
    return (
        (count.state & PLACED)
        | (STORIES if stories else 0)
        | (FURNITURE if furniture else 0)
        | (LEARNED if learned else 0)
    )


@dataclass(frozen=True)
class Counted:
    """A page as counted: its keys, the text to store and to match on, and its segments, the
    ones no stored page carries (``fresh``) and the others (``shared``)."""

    page: PageLines
    keys: list[LearningKey]
    text: str
    match: str
    fresh: list[int]
    shared: list[int]


def _captions_json(captions: list[str] | None, stored: str | None) -> str | None:
    """Captions as the store keeps them (JSON), or the stored ones when none are given."""
    return stored if captions is None else json.dumps(captions, ensure_ascii=False)


class TemplateLearning:
    """Stores articles through boilerplate learning (see the module docstring)."""

    def __init__(self, store: Store, *, regroup: bool = True) -> None:
        self.store = store
        self.db = StoreBoilerplate(store)
        # False: stored pages cleaned again keep their stories (a re-dedup of the whole store
        # follows, as in reclean).
        self.regroup = regroup
        self._stories: OrderedDict[int, Story] = OrderedDict()
        self.restated = 0  # stored articles cleaned again after they were stored

    # ------------------------------------------------------------------ storing

    def add(self, record: Mapping[str, Any]) -> tuple[AddResult, bool]:
        """Learn from one article record, strip it, deduplicate and store it, in one transaction
        with every stored article its counts change.

        Returns the store's answer and whether learned boilerplate was stripped from the text.
        """
        url = record.get("url")
        site = record.get("site") or ""
        template = record.get("template") or ""
        cleaned = record.get("text") or ""
        if not isinstance(url, str) or not isinstance(cleaned, str) or not site:
            return self.store.add_article(record), False
        conn = self.store.conn
        with transaction(conn):
            row = conn.execute("SELECT id FROM articles WHERE url = ?", (url,)).fetchone()
            if row is not None and record.get("variant"):
                return self.store.add_article(record), False  # a rendering: nothing to learn
            old = self.db.read([row[0]]).get(row[0]) if row is not None else None
            if old is not None and (old.cleaned, old.site, old.template) == (
                cleaned,
                site,
                template,
            ):
                # The same page again: its counts are in, its text is the stored one.
                return self._store(record, cleaned, old.text, old.match_text), False
            title = record.get("title")
            counted = self._learn(old, url, cleaned, site, template, title)
            result = self._store(record, cleaned, counted.text, counted.match)
            self._register(result.article_id, counted, url, cleaned)
        return result, counted.text != cleaned

    def relearn(
        self,
        article_id: int,
        cleaned: str,
        template: str,
        captions: list[str] | None = None,
    ) -> bool:
        """Count a stored article anew from its re-extracted text (and template), and store the
        text that follows, with ``captions``; return whether anything stored changed.

        For ``newsdedup reclean``: stories are left as they are (see ``regroup``).
        """
        conn = self.store.conn
        with transaction(conn):
            row = conn.execute(
                "SELECT url, site, text, coalesce(match_text, text), template, captions, title "
                "FROM articles WHERE id = ?",
                (article_id,),
            ).fetchone()
            if row is None:
                return False
            url, site, stored, stored_match, stored_template, stored_captions, title = row
            site = site or ""
            old = self.db.read([article_id]).get(article_id)
            counted = None
            if old is not None and (old.cleaned, old.template) == (cleaned, template):
                text, match = old.text, old.match_text
            elif site:
                counted = self._learn(old, url, cleaned, site, template, title)
                text, match = counted.text, counted.match
            else:
                text, match = cleaned, cleaned
            before = (stored, stored_match, stored_template or "", stored_captions)
            after = (text, match, template, _captions_json(captions, stored_captions))
            if before != after:
                self.store.replace_text(
                    article_id, text, captions, match_text=match, template=template
                )
            if counted is not None:
                self._register(article_id, counted, url, cleaned)
        return before != after

    def _learn(
        self,
        old: Carrier | None,
        url: str,
        cleaned: str,
        site: str,
        template: str,
        title: str | None,
    ) -> Counted:
        """Count a page (in place of its stored version ``old``), clean again the stored pages
        its counts change, and return what to store and register of it."""
        page = PageLines(cleaned)
        keys = learning_keys(site, template)
        changed: set[tuple[LearningKey, int]] = set()
        if old is not None:
            changed |= self._uncount(old)
        seen = self.db.seen(list(page.segments))
        fresh = [h for h in page.segments if h not in seen]
        # Segments another page carried alone so far: counted for that page's keys too.
        self._materialize({h: first for h, (first, shared) in seen.items() if not shared}, page)
        shared = {h: page.segments[h] for h in seen}
        states, tipped = self._count(keys, shared, 1, page, title)
        changed |= tipped
        self._restate(changed, skip=old.article_id if old is not None else None)
        learned = {h for h, s in states.items() if s & LEARNED}
        furniture = {h for h, s in states.items() if s & FURNITURE}
        text, match = strip(page, learned, furniture)
        return Counted(page, keys, text, match, fresh, list(shared))

    def _store(self, record: Mapping[str, Any], cleaned: str, text: str, match: str) -> AddResult:
        out = {**record, "text": text, "match_text": match}
        if match != cleaned:
            out["minhash"] = None  # the page's signature describes the text before stripping
        return self.store.add_article(out)

    def _register(self, article_id: int, counted: Counted, url: str, cleaned: str) -> None:
        """Record the stored article as counted: the segments it is the first to carry, the
        ones it shares with other pages, its text before stripping."""
        site = counted.keys[0].site
        template = next((k.template for k in counted.keys if k.template), "")
        self.db.add_seen(article_id, counted.fresh)
        self.db.add_carriers(
            article_id, key_hash(site), key_hash(url), key_hash(template), counted.shared
        )
        self.db.set_cleaned(article_id, cleaned if counted.text != cleaned else None)
        self._stories.pop(article_id, None)

    # ------------------------------------------------------------------ counting

    def _materialize(self, firsts: Mapping[int, int], page: PageLines) -> None:
        """Count segments (``{hash: the stored page that carried it alone}``) for their first
        page, now that the page being counted carries them too.

        A segment on one page only is not counted per key (most lines of most pages are their
        own): only which page carries it is kept, until a second one does.
        """
        if not firsts:
            return
        by_page: dict[int, list[int]] = {}
        for h, first in firsts.items():
            by_page.setdefault(first, []).append(h)
        stored = self.db.read(list(by_page))
        for first, hashes in by_page.items():
            carrier = stored.get(first)
            if carrier is None:
                continue
            keys = learning_keys(carrier.site, carrier.template)
            segments = {h: page.segments[h] for h in hashes}
            self.db.add_counts([k.id for k in keys], segments, 1)
            self.db.add_carriers(
                first,
                key_hash(carrier.site),
                key_hash(carrier.url),
                key_hash(carrier.template),
                hashes,
            )
        self.db.set_shared(list(firsts))

    def _uncount(self, old: Carrier) -> set[tuple[LearningKey, int]]:
        """Take a stored page out of the counts (its new version is counted next); return the
        (key, segment) pairs whose state changed."""
        page = PageLines(old.cleaned)
        seen = self.db.seen(list(page.segments))
        self.db.drop_seen([h for h, (_, shared) in seen.items() if not shared])
        shared = {h: page.segments[h] for h, (_, is_shared) in seen.items() if is_shared}
        self.db.remove_carriers(key_hash(old.site), key_hash(old.url), shared)
        self.db.uncount(old.article_id)
        self._stories.pop(old.article_id, None)
        changed = self._count(learning_keys(old.site, old.template), shared, -1, page, None)[1]
        self.db.drop_seen(
            [h for h in shared if not self.db.carriers(h, site=None, template=None, limit=1)]
        )
        return changed

    def _count(
        self,
        keys: list[LearningKey],
        segments: Mapping[int, tuple[int, bool]],
        delta: int,
        page: PageLines,
        title: str | None,
    ) -> tuple[dict[int, int], set[tuple[LearningKey, int]]]:
        """Add ``delta`` to the pages of ``keys`` and to the counts of ``segments`` (of
        ``page``, titled ``title``) under them; return the segments' states (over all keys) and
        the (key, segment) pairs whose state changed."""
        by_id = {key.id: key for key in keys}
        pages = self.db.add_pages([(k.id, k.site, k.template) for k in keys], delta)
        counts = self.db.add_counts(list(by_id), segments, delta) if segments else {}
        states: dict[int, int] = {}
        updates: dict[tuple[int, int], tuple[int, str | None]] = {}
        mine: list[Story] = []  # the page as compared with others, when first needed
        for (key_id, h), count in counts.items():
            key = by_id[key_id]
            stories = bool(count.state & STORIES)
            if count.pages <= 0:
                continue
            if delta > 0 and not stories and count.pages >= FURNITURE_MIN_PAGES:
                if not mine:
                    mine.append(story_of(page.text, title))
                stories = self._joins_stories(key, h, mine[0])
            elif delta < 0 and stories:
                stories = self._still_stories(key, h)
            state = _state(count, stories, pages[key_id])
            states[h] = states.get(h, 0) | state
            if state != count.state:
                updates[key_id, h] = (state, page.samples[h] if stories else None)
        for key in keys:
            moved = self._share_moved(key, pages[key.id] - delta, pages[key.id], skip=counts)
            updates.update(((key.id, h), value) for h, value in moved.items())
        self.db.set_states(updates)
        return states, {(by_id[key_id], h) for key_id, h in updates}

    def _share_moved(
        self, key: LearningKey, before: int, after: int, skip: Mapping[tuple[int, int], Count]
    ) -> dict[int, tuple[int, str | None]]:
        """States of the key's segments of three stories that its new page count changes (a
        share of more or fewer pages), other than the segments in ``skip``."""
        low = high = None
        kinds = ((LONG_SEGMENT_WORDS, False), (MIN_SEGMENT_WORDS, False), (1, True))
        rules = [
            (required_pages(words, placed, before), required_pages(words, placed, after))
            for words, placed in kinds
        ]
        rules.append((furniture_pages(before), furniture_pages(after)))
        for a, b in rules:
            if a != b:
                low = min(a, b) if low is None else min(low, a, b)
                high = max(a, b) - 1 if high is None else max(high, max(a, b) - 1)
        if low is None or high is None:
            return {}
        updates: dict[int, tuple[int, str | None]] = {}
        for h, count in self.db.marked(key.id, low, high).items():
            if (key.id, h) in skip:
                continue
            state = _state(count, bool(count.state & STORIES), after)
            if state != count.state:
                updates[h] = (state, None)
        return updates

    # ------------------------------------------------------------------ stories

    def _page_stories(self, ids: list[int]) -> list[Story]:
        missing = [i for i in ids if i not in self._stories]
        if missing:
            for article_id, carrier in self.db.read(missing).items():
                self._stories[article_id] = story_of(carrier.cleaned, carrier.title)
        out = []
        for article_id in ids:
            found = self._stories.get(article_id)
            if found is not None:
                self._stories.move_to_end(article_id)
                out.append(found)
        while len(self._stories) > _STORY_CACHE:
            self._stories.popitem(last=False)
        return out

    def _carriers(self, key: LearningKey, h: int, limit: int | None = None) -> list[int]:
        return self.db.carriers(h, site=key.site_filter, template=key.template_filter, limit=limit)

    def _joins_stories(self, key: LearningKey, h: int, page: Story) -> bool:
        """True when the new page and two stored carriers of ``h`` tell three stories."""
        others = self._page_stories(self._carriers(key, h, FURNITURE_SAMPLE))
        return joins_different_stories(page, others)

    def _still_stories(self, key: LearningKey, h: int) -> bool:
        """True when three stored carriers of ``h`` tell three stories."""
        return different_stories(self._page_stories(self._carriers(key, h, FURNITURE_SAMPLE)))

    # ------------------------------------------------------------------ stored pages

    def render(self, page: PageLines, keys: list[LearningKey]) -> tuple[str, str]:
        """The page's text and text to match on, by the counts of its keys as they are."""
        learned: set[int] = set()
        furniture: set[int] = set()
        for (_, h), count in self.db.counts([k.id for k in keys], list(page.segments)).items():
            if count.state & LEARNED:
                learned.add(h)
            if count.state & FURNITURE:
                furniture.add(h)
        return strip(page, learned, furniture)

    def _restate(self, changed: set[tuple[LearningKey, int]], skip: int | None) -> None:
        """Clean again the stored pages carrying a segment whose state changed."""
        ids: set[int] = set()
        for key, h in changed:
            ids.update(self._carriers(key, h))
        if skip is not None:
            ids.discard(skip)
        if not ids:
            return
        texts: dict[int, tuple[str, str]] = {}
        for article_id, carrier in self.db.read(sorted(ids)).items():
            page = PageLines(carrier.cleaned)
            text, match = self.render(page, learning_keys(carrier.site, carrier.template))
            if (text, match) != (carrier.text, carrier.match_text):
                texts[article_id] = (text, match)
                kept = carrier.cleaned if text != carrier.cleaned else None
                self.db.set_cleaned(article_id, kept)
        if texts and not self.regroup:
            for article_id, (text, match) in texts.items():
                self.store.replace_text(article_id, text, match_text=match)
            self.restated += len(texts)
        elif texts:
            moved = self.store.retext(texts)
            self.restated += len(texts)
            logger.debug(
                "boilerplate learned: %d stored articles cleaned again, %d changed story",
                len(texts),
                moved,
            )
