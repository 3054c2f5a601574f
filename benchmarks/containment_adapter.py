"""The containment tier beside ``Store.add_article``, as the store will call it once wired.

For benchmarks only: the store decides first (URL, exact text, Jaccard), with a signature
made from the containment profile's shingles; then, in one more transaction, a Jaccard match
that only furniture explains is undone, an article left new is matched by containment
(``match = 'containment'``, ``similarity`` = the share), and the article is indexed for
containment unless it is an exact copy.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from storage import Store
from storage.containment import (
    DEFAULT_PARAMS,
    ContainmentIndex,
    ContainmentParams,
    Profile,
    create_tables,
)
from storage.minhash import MIN_MINHASH_WORDS, signature_from_shingles, to_bytes
from storage.store import transaction


@dataclass(frozen=True)
class Decision:
    article_id: int
    story: int
    match: str | None  # "exact" | "minhash" | "containment" | None
    similarity: float | None
    vetoed: bool = False  # a Jaccard match undone because furniture made it


class ContainmentStore:
    """A store whose new articles also go through the containment tier."""

    def __init__(
        self,
        store: Store,
        params: ContainmentParams = DEFAULT_PARAMS,
        *,
        veto: bool = True,
        share_shingles: bool = True,
    ) -> None:
        self.store = store
        self.conn = store.conn
        self.index = ContainmentIndex(store.conn, params)
        self.veto = veto
        self.share_shingles = share_shingles
        with transaction(self.conn):
            create_tables(self.conn)

    def prepare(self, text: str) -> tuple[Profile, bytes | None]:
        """The text's containment profile, and its MinHash signature from the same shingles.

        Handed to the store as ``record["minhash"]`` (its public way to take a signature made
        elsewhere), so the text is shingled once, as it will be once containment is wired in.
        """
        profile = self.index.profile(text)
        if profile.word_count < MIN_MINHASH_WORDS:
            return profile, None
        params = self.store.params
        return profile, to_bytes(signature_from_shingles(profile.text_shingles(), params))

    def add_article(self, record: Mapping[str, Any]) -> Decision:
        profile, signature = self.prepare(record.get("text") or "")
        if signature is not None and self.share_shingles:
            record = {**record, "minhash": signature}
        result = self.store.add_article(record)
        article_id = result.article_id
        kind, story, similarity = result.match, result.duplicate_of, result.similarity
        vetoed = False
        with transaction(self.conn):
            # One read of the text's posting lists serves the check, the match and the insert.
            lookup = self.index.lookup(profile)
            if result.status == "duplicate" and kind == "minhash" and self.veto:
                matched = self.conn.execute(
                    "SELECT matched_id FROM articles WHERE id = ?", (article_id,)
                ).fetchone()[0]
                if self.index.furniture_made(profile, matched, self.store.threshold, lookup=lookup):
                    self._set(article_id, None, None, None, None)
                    kind = story = similarity = None
                    vetoed = True
            if result.status == "new" or vetoed:
                found = self.index.match(profile, exclude=article_id, lookup=lookup)
                if found is not None:
                    kind, story, similarity = found.kind, found.representative, found.similarity
                    self._set(article_id, story, similarity, kind, found.matched_id)
            if kind != "exact":
                self.index.insert(article_id, profile, lookup, story)
        return Decision(article_id, story or article_id, kind, similarity, vetoed)

    def _set(
        self,
        article_id: int,
        duplicate_of: int | None,
        similarity: float | None,
        match: str | None,
        matched_id: int | None,
    ) -> None:
        self.conn.execute(
            "UPDATE articles SET duplicate_of = ?, similarity = ?, match = ?, matched_id = ? "
            "WHERE id = ?",
            (duplicate_of, similarity, match, matched_id, article_id),
        )

    def story_of(self, article_id: int) -> int:
        row = self.conn.execute(
            "SELECT coalesce(duplicate_of, id) FROM articles WHERE id = ?", (article_id,)
        ).fetchone()
        return int(row[0])
