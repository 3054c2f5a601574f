"""The fullest copy is a story's representative, whatever order its copies arrive in."""

from __future__ import annotations

import itertools
import random

import pytest
from oldstores import write_version_8

from storage import Store, representative
from storage.containment import TABLE

VOCAB = [f"word{i}" for i in range(3000)]


def make_text(seed: int, paragraphs: int = 12, size: int = 30) -> str:
    rng = random.Random(seed)
    return "\n".join(" ".join(rng.choice(VOCAB) for _ in range(size)) for _ in range(paragraphs))


def lines(text: str, start: int, stop: int | None = None) -> str:
    return "\n".join(text.split("\n")[start:stop])


def links(store: Store) -> dict[str, str | None]:
    """Each article's URL -> its representative's URL (None for a representative)."""
    rows = store.conn.execute(
        "SELECT a.url, r.url FROM articles a LEFT JOIN articles r ON r.id = a.duplicate_of"
    )
    return dict(rows.fetchall())


FULL = make_text(1)
COPIES = {
    "https://full.example/s": FULL,
    "https://trunc.example/s": lines(FULL, 0, 4),  # the first 4 paragraphs of 12
    "https://excerpt.example/s": lines(FULL, 0, 6) + "\nRead the full story at Full Example.",
    "https://edited.example/s": "CITY (Wire) - " + lines(FULL, 0, 11),
}


@pytest.mark.parametrize("order", list(itertools.permutations(COPIES)))
def test_the_fullest_copy_represents_the_story_in_every_order(tmp_path, order):
    with Store.open(tmp_path / "n.db") as store:
        for url in order:
            store.add_article({"url": url, "text": COPIES[url]})
        assert links(store) == {
            "https://full.example/s": None,
            "https://trunc.example/s": "https://full.example/s",
            "https://excerpt.example/s": "https://full.example/s",
            "https://edited.example/s": "https://full.example/s",
        }
        story = store.story("https://trunc.example/s")
        assert story["representative"]["url"] == "https://full.example/s" and story["size"] == 4
        exported = [a["url"] for a in store.iter_articles()]
        assert exported == ["https://full.example/s"]
        # Re-dedup of the store decides the same stories.
        before = links(store)
        result = store.rededup()
        assert links(store) == before and result.changed == 0


def test_a_fuller_copy_takes_over_with_the_link_it_came_by(tmp_path):
    with Store.open(tmp_path / "n.db") as store:
        short = store.add_article({"url": "https://a.example/1", "text": lines(FULL, 0, 4)})
        full = store.add_article({"url": "https://b.example/1", "text": FULL})
        assert (full.status, full.match, full.duplicate_of) == (
            "duplicate",
            "containment",
            short.article_id,
        )
        assert full.promoted == short.article_id
        old = store.get(short.article_id)
        assert old["duplicate_of"] == full.article_id and old["matched_id"] == full.article_id
        assert old["match"] == "containment" and old["similarity"] == 1.0
        new = store.get(full.article_id)
        assert new["duplicate_of"] is None and new["match"] is None


def test_ties_go_to_the_longer_text_then_the_smaller_url(tmp_path):
    with Store.open(tmp_path / "n.db") as store:
        store.add_article({"url": "https://b.example/1", "text": FULL})
        store.add_article({"url": "https://a.example/1", "text": FULL})
        store.add_article({"url": "https://c.example/1", "text": FULL.replace("\n", "\n\n")})
        assert links(store)["https://c.example/1"] is None  # same words, longer text
        store.add_article({"url": "https://0.example/1", "text": FULL.replace("\n", "\n\n")})
        assert links(store)["https://0.example/1"] is None  # same length, smaller URL
        assert set(links(store).values()) == {None, "https://0.example/1"}


def test_the_rewrite_is_in_the_transaction_that_stores_the_copy(tmp_path, monkeypatch):
    with Store.open(tmp_path / "n.db") as store:
        store.add_article({"url": "https://a.example/1", "text": lines(FULL, 0, 4)})
        store.add_article({"url": "https://c.example/1", "text": lines(FULL, 0, 5)})
        before = links(store)
        real = representative.promote

        def promote_then_die(conn, article_id):
            real(conn, article_id)
            raise RuntimeError("killed after the rewrite")

        monkeypatch.setattr(representative, "promote", promote_then_die)
        with pytest.raises(RuntimeError):
            store.add_article({"url": "https://b.example/1", "text": FULL})
        assert links(store) == before
        assert store.get("https://b.example/1") is None
        monkeypatch.setattr(representative, "promote", real)
        store.add_article({"url": "https://b.example/1", "text": FULL})
        assert links(store)["https://b.example/1"] is None
        assert set(links(store).values()) == {None, "https://b.example/1"}


def test_an_older_store_gains_the_containment_index(tmp_path):
    path = tmp_path / "old.db"
    with Store.open(path) as store:
        store.add_article({"url": "https://a.example/1", "text": FULL})
        store.add_article({"url": "https://z.example/1", "text": make_text(2)})
        rows = store.conn.execute(f"SELECT count(*) FROM {TABLE}").fetchone()[0]
    write_version_8(path)
    with Store.open(path) as store:
        assert store.meta()["schema_version"] == "9"
        assert store.conn.execute(f"SELECT count(*) FROM {TABLE}").fetchone()[0] == rows > 0
        copy = store.add_article({"url": "https://b.example/1", "text": lines(FULL, 0, 4)})
        assert (copy.match, copy.duplicate_of) == ("containment", 1)


def test_rededup_joins_copies_an_older_store_kept_apart(tmp_path):
    path = tmp_path / "old.db"
    with Store.open(path) as store:
        store.add_article({"url": "https://a.example/1", "text": lines(FULL, 0, 4)})
        store.add_article({"url": "https://b.example/1", "text": FULL})
        # As a store without containment left them: two stories.
        store.conn.execute(
            "UPDATE articles SET duplicate_of = NULL, match = NULL, similarity = NULL, "
            "matched_id = NULL"
        )
    write_version_8(path)
    with Store.open(path) as store:
        assert set(links(store).values()) == {None}
        result = store.rededup()
        assert (result.contained, result.changed) == (1, 1)
        assert links(store) == {
            "https://a.example/1": "https://b.example/1",
            "https://b.example/1": None,
        }


def test_a_text_printed_twice_is_no_fuller(tmp_path):
    with Store.open(tmp_path / "n.db") as store:
        store.add_article({"url": "https://b.example/1", "text": FULL})
        twice = store.add_article({"url": "https://c.example/1", "text": FULL + "\n" + FULL})
        assert twice.duplicate_of == 1 and twice.promoted is None


def test_the_change_log_reports_the_new_representative(tmp_path):
    with Store.open(tmp_path / "n.db") as store:
        short = store.add_article({"url": "https://a.example/1", "text": lines(FULL, 0, 4)})
        cursor = store.cursor()
        full = store.add_article({"url": "https://b.example/1", "text": FULL})
        changed = {c["id"]: c for c in store.changes(cursor, include_duplicates=True)}
        assert changed[full.article_id]["op"] == "add"
        assert changed[short.article_id]["op"] == "update"
        assert changed[short.article_id]["duplicate_of"] == full.article_id
