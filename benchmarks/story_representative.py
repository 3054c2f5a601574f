"""Story representative: the fullest copy in every arrival order (a prototype, not the store).

Each real article of the corpus gives a family of copies: the article, a dateline copy, two
truncated copies (about 30% and 55% of it, whole paragraphs), an excerpt with a read-more line,
and a middle section (its paragraphs from 40% to 90%). Each family is stored alone, in several
arrival orders, in a fresh store, under two policies:

* ``first``: the store as it is with the containment tier beside it (containment_adapter): the
  first stored copy stays the representative, a text joins the story of its best match;
* ``fullest``: the same matches (the store's Jaccard match and every verified containment
  match), then in the same transaction the stories of all of them are merged, the member with
  the most words (then the smallest URL) becomes the representative, and the links are
  re-rooted: every member's ``matched_id`` points to a member it was verified against, on a
  path to the representative, whose ``duplicate_of``, ``match``, ``similarity`` and
  ``matched_id`` are NULL (see :class:`FullestStore`).

Prints, per policy: the runs that end with the family in one story, the families whose
representative is the same in every order, and how often it is a full copy.

    python benchmarks/story_representative.py [--limit N] [--orders N]
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import Counter
from collections.abc import Mapping
from typing import Any

from containment_adapter import ContainmentStore
from dedup_quality import DEFAULT_CORPUS, Doc, dateline, excerpt, fresh_store, load_corpus, usable

from storage import Store
from storage.containment import ContainmentIndex, create_tables
from storage.normalize import words
from storage.store import transaction


def prefix(doc: Doc, share: float) -> Doc | None:
    sizes = [len(words(p)) for p in doc.paragraphs]
    total, run = sum(sizes), 0
    for k, n in enumerate(sizes, 1):
        run += n
        if run >= share * total:
            return Doc(doc.title, doc.paragraphs[:k]) if 3 <= k < len(sizes) else None
    return None


def middle(doc: Doc) -> Doc | None:
    n = len(doc.paragraphs)
    start, stop = int(n * 0.4), int(n * 0.9)
    return Doc(doc.title, doc.paragraphs[start:stop]) if stop - start >= 3 else None


def family(doc: Doc, rng: random.Random) -> dict[str, Doc]:
    copies = {
        "full": doc,
        "dateline": dateline(doc, rng),
        "truncated 30%": prefix(doc, 0.3),
        "truncated 55%": prefix(doc, 0.55),
        "excerpt": excerpt(doc, rng),
        "middle": middle(doc),
    }
    return {name: d for name, d in copies.items() if d is not None}


class FullestStore:
    """Store.add_article, containment, then merge and promote the fullest copy (one transaction
    for the latter, as the wired store would do all of it in one)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.conn = store.conn
        self.index = ContainmentIndex(store.conn)
        with transaction(self.conn):
            create_tables(self.conn)

    def add_article(self, record: Mapping[str, Any]) -> int:
        profile = self.index.profile(record.get("text") or "")
        result = self.store.add_article(record)
        n = result.article_id
        with transaction(self.conn):
            edges: list[tuple[int, str, float]] = []
            if result.status == "duplicate":
                matched = self._row(n)["matched_id"]
                edges.append((matched, result.match or "", result.similarity or 0.0))
            edges += [
                (m.matched_id, m.kind, m.similarity) for m in self.index.matches(profile, exclude=n)
            ]
            if edges:
                self._join(n, edges)
            if result.match != "exact":
                self.index.insert(n, profile, story=self._row(n)["duplicate_of"])
        return n

    def _row(self, article_id: int) -> dict[str, Any]:
        row = self.conn.execute(
            "SELECT id, duplicate_of, matched_id, match, similarity FROM articles WHERE id = ?",
            (article_id,),
        ).fetchone()
        return dict(row)

    def _join(self, n: int, edges: list[tuple[int, str, float]]) -> None:
        # n becomes a root, then each matched story is re-rooted at the member n matched and
        # hung under n; last, the whole tree is re-rooted at its fullest member.
        self._set(n, None, None, None, None)
        self._adopt(n, n)
        for matched, kind, similarity in edges:
            root = self._row(matched)["duplicate_of"] or matched
            if root == n:
                continue  # that story is already merged in
            self._reroot(matched)
            self._set(matched, n, matched_id=n, match=kind, similarity=similarity)
            self._adopt(matched, n)
        best = self.conn.execute(
            "SELECT id FROM articles WHERE id = ? OR duplicate_of = ? "
            "ORDER BY word_count DESC, url LIMIT 1",
            (n, n),
        ).fetchone()[0]
        self._reroot(best)

    def _reroot(self, x: int) -> None:
        """Make ``x`` the representative of its story, reversing the links from x to the root."""
        path = [self._row(x)]
        while path[-1]["duplicate_of"] is not None:
            path.append(self._row(path[-1]["matched_id"]))
        if len(path) == 1:
            return
        root = path[-1]["id"]
        for child, parent in zip(path, path[1:], strict=False):
            # The link child -> parent, verified once, now reads parent -> child.
            self._set(parent["id"], x, child["id"], child["match"], child["similarity"])
        self._set(x, None, None, None, None)
        self._adopt(root, x)

    def _adopt(self, old_root: int, new_root: int) -> None:
        self.conn.execute(
            "UPDATE articles SET duplicate_of = ? WHERE (duplicate_of = ? OR id = ?) AND id != ?",
            (new_root, old_root, old_root, new_root),
        )

    def _set(
        self,
        article_id: int,
        duplicate_of: int | None,
        matched_id: int | None,
        match: str | None,
        similarity: float | None,
    ) -> None:
        self.conn.execute(
            "UPDATE articles SET duplicate_of = ?, matched_id = ?, match = ?, similarity = ? "
            "WHERE id = ?",
            (duplicate_of, matched_id, match, similarity, article_id),
        )

    def check(self) -> None:
        """The invariants: representatives have no link; every link leads to its representative."""
        rows = {r["id"]: dict(r) for r in self.conn.execute("SELECT * FROM articles")}
        for row in rows.values():
            if row["duplicate_of"] is None:
                assert row["matched_id"] is None and row["match"] is None, row
                continue
            seen, at = set(), row
            while at["duplicate_of"] is not None:
                assert at["id"] not in seen, "cycle"
                seen.add(at["id"])
                assert at["duplicate_of"] == row["duplicate_of"], (at, row)
                at = rows[at["matched_id"]]
            assert at["id"] == row["duplicate_of"], (at, row)


def run(copies: dict[str, Doc], order: list[str], policy: str) -> tuple[int, str]:
    """Store ``copies`` in ``order``; return (number of stories, name of the representative of
    the full copy's story)."""
    with fresh_store("same-article") as store:
        engine: ContainmentStore | FullestStore
        engine = FullestStore(store) if policy == "fullest" else ContainmentStore(store)
        ids: dict[str, int] = {}
        for name in order:
            record = {"url": f"https://{name.replace(' ', '-').replace('%', '')}.example/s",
                      "title": copies[name].title, "text": copies[name].text}  # fmt: skip
            added = engine.add_article(record)
            ids[name] = added if isinstance(added, int) else added.article_id
        if isinstance(engine, FullestStore):
            engine.check()
        stories = {
            name: store.conn.execute(
                "SELECT coalesce(duplicate_of, id) FROM articles WHERE id = ?", (i,)
            ).fetchone()[0]
            for name, i in ids.items()
        }
    by_id = {i: name for name, i in ids.items()}
    return len(set(stories.values())), by_id[stories["full"]]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=100)
    parser.add_argument("--orders", type=int, default=8, help="arrival orders per family")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    docs = usable(load_corpus(DEFAULT_CORPUS))[: args.limit]
    if not docs:
        print("the shared corpus is absent; nothing to measure")
        return 1
    rng = random.Random(args.seed)
    families = [family(d, rng) for d in docs]
    print(
        f"{len(families)} families of {sum(map(len, families)) / len(families):.1f} copies, "
        f"{args.orders} arrival orders each\n"
    )
    print(f"{'policy':8} {'one story':>10} {'same rep in every order':>24} {'rep is full':>12}")
    for policy in ("first", "fullest"):
        one = same = full = runs = 0
        reps: Counter[str] = Counter()
        for copies in families:
            names = list(copies)
            seen = set()
            for k in range(args.orders):
                order = names[:] if k == 0 else rng.sample(names, len(names))
                count, rep = run(copies, order, policy)
                runs += 1
                one += count == 1
                full += rep in ("full", "dateline")
                seen.add(rep)
                reps[rep] += 1
            same += len(seen) == 1
        print(
            f"{policy:8} {one / runs:>10.3f} {same / len(families):>24.3f} {full / runs:>12.3f}"
            f"   representatives: {dict(reps.most_common())}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
