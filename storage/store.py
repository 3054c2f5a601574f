"""The article store: one SQLite file with articles, stories, raw pages, fetch log, LSH index."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import logging
import sqlite3
import zlib
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import sqlite_utils

from storage import (
    changes,
    grams,
    opening,
    records,
    refetch,
    representative,
    retext,
    scan,
    schema,
)
from storage.connection import transaction, utc_now
from storage.dedup import PRESETS, Fingerprint, preset_name
from storage.errors import ParameterMismatch, StoreError
from storage.fields import ARTICLE_FIELDS, RECORD_KEYS
from storage.filters import ArticleFilter
from storage.lsh import SqliteLSH
from storage.matcher import Matcher, SqliteMatcher
from storage.minhash import MinHashParams
from storage.outcomes import (
    DUPLICATE,
    FETCH_OUTCOMES,
    NEW,
    PAGE_TYPES,
    UNCHANGED,
    AddResult,
)
from storage.rededup import RededupProgress, RededupResult, rededup
from storage.search import search_articles
from storage.stats import store_counts
from storage.textunits import word_count

logger = logging.getLogger(__name__)

_SELECT = ", ".join(ARTICLE_FIELDS)


def _access(values: Sequence[str] | str | None) -> tuple[str, ...] | None:
    return None if values is None else (values,) if isinstance(values, str) else tuple(values)


class Store:
    """A newsdedup store. Open with :meth:`Store.open`; use as a context manager to close it."""

    def __init__(
        self,
        db: sqlite_utils.Database,
        path: str,
        params: MinHashParams,
        threshold: float,
        preset: str,
    ) -> None:
        self.db = db
        self.conn: sqlite3.Connection = db.conn
        self.path = path
        self.params = params
        self.threshold = threshold
        self.preset = preset
        # The store's own index: re-fetched articles and re-dedup are always matched here.
        self._local = SqliteMatcher(self.conn, params, threshold)
        self._lsh = SqliteLSH(self.conn)
        self._warned_keys: set[str] = set()
        # Set when signatures computed here differ from the stored ones (see Store.open).
        self.stale: str | None = None
        # Where new articles are matched: the store's own index, or one shared with other
        # stores (storage.shared_index.SharedMatcher).
        self.matcher: Matcher = self._local

    # ------------------------------------------------------------------ opening

    @classmethod
    def open(
        cls,
        path: str | Path,
        *,
        create: bool = True,
        preset: str | None = None,
        params: MinHashParams | None = None,
        threshold: float | None = None,
        verify: bool = True,
    ) -> Store:
        """Open (or create) the store at ``path``.

        A new store takes ``preset`` (default "same-article"), optionally overridden by ``params``
        and ``threshold``, and records them. An existing store keeps what it was built with; asking
        for anything else raises ParameterMismatch (switch with :meth:`rededup`). Raises StoreError
        when the file cannot be opened, is not a store, or was written by a newer version.

        When this installation computes other signatures than the ones stored (a datasketch
        upgrade changed them), opening raises ParameterMismatch; ``verify=False`` opens it anyway
        for reading and for :meth:`rededup`, and :meth:`add_article` refuses until re-dedup is done.
        """
        opened = opening.open_file(
            path, create=create, preset=preset, params=params, threshold=threshold, verify=verify
        )
        store = cls(opened.db, str(path), opened.params, opened.threshold, opened.preset)
        store.stale = opened.stale
        return store

    def close(self) -> None:
        """Close the connection (idempotent)."""
        with contextlib.suppress(sqlite3.ProgrammingError):
            self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({self.path!r}, preset={self.preset!r})"

    # ------------------------------------------------------------------ writing

    def add_article(self, record: Mapping[str, Any]) -> AddResult:
        """Deduplicate ``record`` against the whole store and store it, in one transaction.

        Tiers: same canonical URL (update when the text changed, keeping the old version), then
        identical normalised text, then MinHash LSH candidates verified by exact Jaccard on their
        stored text, then containment (storage.containment: most of one text inside the other).
        Duplicates are stored too, pointing at their story's representative, which is the
        story's fullest copy (storage.representative): a fuller copy takes its place in the
        same transaction.
        ``record["minhash"]`` may carry a precomputed signature (see storage.minhash), and
        ``record["raw_html_zlib"]`` the page already compressed with
        :func:`storage.pagecodec.compress_html` (it then wins over ``raw_html``), so neither
        costs the writer any time.
        ``record["variant"]`` true says the page was fetched at another URL than its canonical
        one (AMP, print): it stores the article when it is new, but never updates it.
        ``record["match_text"]``, when given, is what dedup compares instead of the text (the
        text without lines its site prints on many pages), and ``minhash`` is then its
        signature; the text is stored as given.
        Raises ValueError for a malformed record.
        """
        if self.stale:
            raise ParameterMismatch(self.stale)
        url = record.get("url")
        if not isinstance(url, str) or not url.strip():
            raise ValueError(f"record needs a non-empty 'url', got {url!r}")
        text = record.get("text") or ""
        if not isinstance(text, str):
            raise ValueError(f"record field 'text' must be a string, got {type(text).__name__}")
        unknown = set(record) - RECORD_KEYS - self._warned_keys
        if unknown:
            self._warned_keys |= unknown
            logger.warning("ignoring unknown record fields: %s", ", ".join(sorted(unknown)))
        values = records.row_values(record, url, text)
        fp = Fingerprint.of(values["match_text"] or text, self.params, record.get("minhash"))
        # The article's own length, whatever part of it is matched on.
        values["word_count"] = fp.word_count if values["match_text"] is None else word_count(text)
        # Outside the write lock, so other writers wait less; the profile first, since the
        # signature takes its shingles from it.
        if fp.word_count >= self._local.containment.params.min_shared:
            fp.profile(self._local.containment.params)
        if fp.indexable:
            fp.keys  # noqa: B018
        page = records.page_blob(record)
        with self.matcher.adding(), transaction(self.conn):
            existing = self.conn.execute(
                "SELECT id, title, text, match_text, duplicate_of, similarity, match, fetched_at, "
                "word_count FROM articles WHERE url = ?",
                (url,),
            ).fetchone()
            if existing is not None and record.get("variant"):
                # An AMP, print or other variant of a stored article: its text is a rendering of
                # the same article, never a newer one, so it neither updates the article nor
                # replaces its stored page.
                result = AddResult(
                    UNCHANGED, existing["id"], existing["duplicate_of"], existing["similarity"],
                    "url",
                )  # fmt: skip
                page = None
            elif existing is not None:
                result = refetch.update(self.conn, self._local, existing, values, fp)
            else:
                result = self._insert(values, fp)
            if page:
                refetch.save_page(self.conn, result.article_id, page, values["fetched_at"])
        return result

    def _insert(self, values: dict[str, Any], fp: Fingerprint) -> AddResult:
        match = self.matcher.match(values["url"], fp)
        now = utc_now()
        row = dict(
            values,
            text_hash=fp.text_hash,
            duplicate_of=match.representative if match else None,
            similarity=match.similarity if match else None,
            match=match.kind if match else None,
            matched_id=match.matched_id if match else None,
            first_seen=now,
            updated_at=now,
        )
        names = ", ".join(row)
        marks = ", ".join("?" * len(row))
        cur = self.conn.execute(
            f"INSERT INTO articles ({names}) VALUES ({marks})", list(row.values())
        )
        article_id = int(cur.lastrowid or 0)
        grams.index(self.conn, article_id, values.get("title"), values["text"])
        self._local.index(article_id, fp, match)
        if match is None:
            return AddResult(NEW, article_id)
        # Stories of a shared index span stores: their representatives are settled by merge.
        promoted = representative.promote(self.conn, article_id) if self._is_local else None
        return AddResult(
            DUPLICATE, article_id, match.representative, match.similarity, match.kind, promoted
        )

    @property
    def _is_local(self) -> bool:
        return self.matcher is self._local

    def log_fetch(
        self,
        url: str,
        *,
        status: int | None,
        outcome: str,
        reason: str | None = None,
        article_id: int | None = None,
        fetched_at: str | None = None,
        source: str | None = None,
        page_type: str | None = None,
    ) -> None:
        """Record one fetch in the fetch log. Raises ValueError for an unknown ``outcome``.

        ``page_type`` is what the page was taken for (one of
        :data:`storage.outcomes.PAGE_TYPES`), None when nobody looked at it; ValueError for
        another.
        """
        if outcome not in FETCH_OUTCOMES:
            raise ValueError(
                f"unknown fetch outcome {outcome!r}; use one of {', '.join(sorted(FETCH_OUTCOMES))}"
            )
        if page_type is not None and page_type not in PAGE_TYPES:
            raise ValueError(f"unknown page type {page_type!r}; use one of {', '.join(PAGE_TYPES)}")
        row = (url, status, outcome, reason, article_id, source, fetched_at or utc_now(), page_type)
        with transaction(self.conn):
            self.conn.execute(
                "INSERT INTO fetches "
                "(url, status, outcome, reason, article_id, source, fetched_at, page_type) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                row,
            )

    # ------------------------------------------------------------------ reading

    def iter_articles(
        self,
        *,
        include_duplicates: bool = False,
        since: str | dt.date | None = None,
        until: str | dt.date | None = None,
        site: str | None = None,
        language: str | None = None,
        min_words: int | None = None,
        access: Sequence[str] | str | None = None,
    ) -> Iterator[dict[str, Any]]:
        """Yield article dicts (ARTICLE_FIELDS) matching the filters, by id, in constant memory."""
        flt = ArticleFilter(
            include_duplicates, since, until, site, language, min_words, _access(access)
        )
        for batch in scan.batches(self.conn, ARTICLE_FIELDS, flt):
            for row in batch:
                # zip stops before the keyset id that ends each row.
                yield records.decode(dict(zip(ARTICLE_FIELDS, row, strict=False)))

    def count_articles(self, **filters: Any) -> int:
        """Number of articles :meth:`iter_articles` would yield with the same filters."""
        if filters.get("access") is not None:
            filters = {**filters, "access": _access(filters["access"])}
        conds, params = ArticleFilter(**filters).where("articles")
        where = " AND ".join(conds) or "1"
        row = self.conn.execute(f"SELECT count(*) FROM articles WHERE {where}", params).fetchone()
        return int(row[0])

    def get(self, id_or_url: int | str) -> dict[str, Any] | None:
        """Return the article with this id (int or digit string) or canonical URL, or None."""
        if isinstance(id_or_url, int) or (
            isinstance(id_or_url, str) and id_or_url.strip().isdigit()
        ):
            row = self.conn.execute(
                f"SELECT {_SELECT} FROM articles WHERE id = ?", (int(id_or_url),)
            ).fetchone()
        else:
            row = self.conn.execute(
                f"SELECT {_SELECT} FROM articles WHERE url = ?", (str(id_or_url).strip(),)
            ).fetchone()
        return None if row is None else records.decode(dict(row))

    def raw_html(self, article_id: int) -> bytes | None:
        """Return the stored raw HTML of an article, decompressed, or None when not kept."""
        row = self.conn.execute(
            "SELECT html, compression FROM pages WHERE article_id = ?", (article_id,)
        ).fetchone()
        if row is None:
            return None
        return zlib.decompress(row[0]) if row[1] == "zlib" else bytes(row[0])

    def versions(self, article_id: int) -> list[dict[str, Any]]:
        """Earlier texts of an article (oldest first), kept when a re-fetch changed it."""
        rows = self.conn.execute(
            "SELECT title, text, fetched_at, replaced_at FROM article_versions "
            "WHERE article_id = ? ORDER BY id",
            (article_id,),
        )
        return [dict(r) for r in rows]

    def story(self, id_or_url: int | str) -> dict[str, Any]:
        """Return the story an article belongs to.

        ``{"id": representative id, "representative": article dict, "duplicates": [{id, url,
        site, title, similarity, match, matched_id, fetched_at}, ...] (by id), "sites": [...],
        "size": n}``.
        Raises StoreError when no such article exists.
        """
        article = self.get(id_or_url)
        if article is None:
            raise StoreError(f"no article with id or URL {id_or_url!r} in {self.path}")
        return representative.story_of(self.conn, article, self.get)

    def search(
        self,
        query: str,
        *,
        limit: int = 20,
        highlight: tuple[str, str] = ("[", "]"),
        include_duplicates: bool = False,
        since: str | dt.date | None = None,
        until: str | dt.date | None = None,
        site: str | None = None,
        language: str | None = None,
        min_words: int | None = None,
        access: Sequence[str] | str | None = None,
    ) -> list[dict[str, Any]]:
        """Full-text search over title and text, best first (FTS5 bm25, title weighted 5x).

        Returns dicts with id, url, title, site, published, language, duplicate_of, score (lower
        is better, as bm25 gives it) and snippet (matches wrapped in ``highlight``). Raises
        SearchQueryError when FTS5 cannot parse ``query``.
        """
        flt = ArticleFilter(
            include_duplicates, since, until, site, language, min_words, _access(access)
        )
        return search_articles(self.conn, query, flt, limit=limit, highlight=highlight)

    def stats(self, *, largest: int = 10) -> dict[str, Any]:
        """Counts for humans and scripts: totals, per site, fetch outcomes, errors, stories."""
        return {
            "path": self.path,
            **store_counts(self.conn, largest),
            "dedup": {
                "preset": self.preset,
                "threshold": self.threshold,
                **dataclasses.asdict(self.params),
                "lsh_rows": self._lsh.count(),
                "containment_rows": self._local.containment.count(),
            },
        }

    def replace_text(
        self,
        article_id: int,
        text: str,
        captions: Sequence[str] | None = None,
        *,
        match_text: str | None = None,
        template: str | None = None,
    ) -> None:
        """Replace an article's text (and captions, template) with a re-cleaned one from its
        stored page; ``match_text`` as in :meth:`add_article`.

        Not a new version of the article (the page is the same bytes), so nothing goes to
        ``article_versions``. Duplicate links are not recomputed here: call :meth:`rededup` once
        after a batch of replacements. Raises StoreError when the article does not exist.
        """
        try:
            retext.replace_text(
                self.conn, self.params, article_id, text, captions, match_text, template
            )
        except StoreError as e:
            raise StoreError(f"{e} in {self.path}") from None

    def set_access(self, article_id: int, access: str | None) -> None:
        """Set an article's ``access`` (free, paywalled, truncated), as re-extraction read it."""
        with transaction(self.conn):
            self.conn.execute(
                "UPDATE articles SET access = ? WHERE id = ? AND access IS NOT ?",
                (access, article_id, access),
            )

    def retext(self, texts: Mapping[int, tuple[str, str | None]]) -> int:
        """Give stored articles new texts, ``{id: (text, match_text)}``, and regroup the stories
        whose matched text changed, in one transaction (or the caller's).

        For site boilerplate learned after the articles were stored: the texts are cleaned
        anew, not new versions. Articles are regrouped against the store's own index
        (:func:`storage.regroup.regroup`). Returns how many articles changed story.
        Raises StoreError when an article does not exist.
        """
        try:
            return retext.retext(self.conn, self.params, self._local, texts)
        except StoreError as e:
            raise StoreError(f"{e} in {self.path}") from None

    def rededup(
        self,
        *,
        threshold: float | None = None,
        preset: str | None = None,
        params: MinHashParams | None = None,
        progress: RededupProgress | None = None,
    ) -> RededupResult:
        """Recompute duplicates and stories for the whole store, in one transaction.

        ``preset`` (see storage.PRESETS) sets both MinHash parameters and threshold; ``threshold``
        and ``params`` override it. Without arguments the store's own parameters are used (after
        a datasketch upgrade, this rebuilds the index). The new parameters are recorded, so later
        crawls dedup the same way. ``progress(done, total)`` is called every batch.
        Raises StoreError for an unknown preset, ValueError for a threshold outside (0, 1].
        """
        opening.check_preset(preset)
        base = PRESETS[preset] if preset else None
        # A store of an older version is rebuilt with this version's text units.
        new_params = params or (base.params if base else self.params.current())
        new_threshold = (
            threshold if threshold is not None else (base.threshold if base else self.threshold)
        )
        new_preset = preset_name(new_params, new_threshold)
        local = SqliteMatcher(self.conn, new_params, new_threshold)  # checks the threshold first
        with transaction(self.conn):
            result = rededup(self.conn, new_params, new_threshold, progress)
            schema.write_meta(self.db, opening.dedup_meta(new_params, new_threshold, new_preset))
        self.params, self.threshold, self.preset = new_params, new_threshold, new_preset
        if self.matcher is self._local:
            self.matcher = local
        self._local = local
        self.stale = None
        return result

    def cursor(self) -> str:
        """The store's position in its change log now, for :meth:`changes` and incremental
        exports (``<store id>:<sequence>``)."""
        return str(changes.current(self.conn))

    def changes(self, since: str | None = None, **filters: Any) -> Iterator[dict[str, Any]]:
        """Yield what changed after cursor ``since`` (None: since the store began), one dict per
        article in id order: ``{"op": "add" | "update", **article}`` or ``{"op": "remove",
        "id": N}`` (see :mod:`storage.changes`). ``filters`` are those of :meth:`iter_articles`
        (unique articles only unless ``include_duplicates``). To follow on later, take
        :meth:`cursor` before iterating: a change made in between is yielded again next time,
        which replaces a row with itself. Do not write to the store while iterating (the
        iteration reads one snapshot). Raises CursorError for a cursor of another store.
        """
        if filters.get("access") is not None:
            filters = {**filters, "access": _access(filters["access"])}
        yield from changes.since(
            self.conn, since, ARTICLE_FIELDS, ArticleFilter(**filters), str(self.path)
        )

    def meta(self) -> dict[str, str]:
        """The store's ``meta`` table (schema version, dedup parameters, library versions)."""
        return schema.read_meta(self.db)
