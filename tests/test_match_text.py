"""The text dedup matches on (``match_text``), texts given anew to stored articles and the stories
regrouped after them, nested transactions, and the schema step that brought them."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from oldstores import write_version_2

from storage import Store
from storage.connection import transaction
from storage.schema import SCHEMA_VERSION

VOCAB = [f"term{i}" for i in range(3000)]
FURNITURE = " ".join(f"furniture{i}" for i in range(250))


def words(seed: int, n: int = 120) -> str:
    rng = random.Random(seed)
    return " ".join(rng.choice(VOCAB) for _ in range(n))


def record(url: str, text: str, **extra: object) -> dict:
    return {"url": url, "title": "T", "text": text, "site": url.split("/")[2], **extra}


def story_of(store: Store, url: str) -> set[str]:
    story = store.story(url)
    return {story["representative"]["url"], *(d["url"] for d in story["duplicates"])}


@pytest.fixture
def store(tmp_path: Path):
    with Store.open(tmp_path / "news.db") as s:
        yield s


def test_furniture_left_out_of_the_match_text_never_decides_a_match(store: Store) -> None:
    # Two different stories in the same 250 words of furniture: alike on their whole text
    # (Jaccard 0.67), apart on what they are matched on.
    a = words(1, 60) + "\n" + FURNITURE
    b = words(2, 60) + "\n" + FURNITURE
    store.add_article(record("https://a.example/1", a, match_text=words(1, 60)))
    added = store.add_article(record("https://b.example/1", b, match_text=words(2, 60)))
    assert added.status == "new"
    row = store.conn.execute(
        "SELECT text, match_text, word_count FROM articles WHERE url = ?", ("https://b.example/1",)
    ).fetchone()
    assert row["text"] == b and row["match_text"] == words(2, 60)
    assert row["word_count"] == 310  # the text's own length
    # The same pair without match texts merges: the furniture decided it.
    store.add_article(record("https://c.example/1", a))
    assert store.add_article(record("https://d.example/1", b)).status == "duplicate"


def test_a_match_text_equal_to_the_text_is_not_stored_twice(store: Store) -> None:
    text = words(3)
    store.add_article(record("https://a.example/1", text, match_text=text))
    row = store.conn.execute("SELECT match_text FROM articles").fetchone()
    assert row[0] is None


def test_retext_regroups_the_stories_it_concerns(store: Store) -> None:
    body = words(4)
    # Stored while their furniture still counted: b joined a's story on it.
    store.add_article(record("https://a.example/1", words(5, 60) + "\n" + FURNITURE))
    copy = store.add_article(record("https://b.example/1", words(6, 60) + "\n" + FURNITURE))
    assert copy.status == "duplicate"
    third = store.add_article(record("https://c.example/1", body))
    fourth = store.add_article(record("https://d.example/1", body + " one more line"))
    assert fourth.duplicate_of == third.article_id
    # The furniture turns out to be furniture: neither is matched on it any more.
    moved = store.retext(
        {
            copy.duplicate_of: (words(5, 60) + "\n" + FURNITURE, words(5, 60)),
            copy.article_id: (words(6, 60) + "\n" + FURNITURE, words(6, 60)),
        }
    )
    assert moved == 1
    assert story_of(store, "https://a.example/1") == {"https://a.example/1"}
    assert story_of(store, "https://b.example/1") == {"https://b.example/1"}
    assert story_of(store, "https://c.example/1") == {"https://c.example/1", "https://d.example/1"}
    # The index follows the new texts: a copy of b's story finds b by what b is matched on.
    found = store.add_article(record("https://e.example/1", words(6, 60) + " and a word"))
    assert found.duplicate_of == copy.article_id


def test_a_representative_that_changes_takes_its_copies_along(store: Store) -> None:
    body = words(8)
    # The first copy is the fullest, so it stays the representative.
    rep = store.add_article(record("https://a.example/1", body + " and two more words"))
    copies = [
        store.add_article(record(f"https://c{i}.example/1", body + f" x{i}")) for i in range(3)
    ]
    assert {c.duplicate_of for c in copies} == {rep.article_id}
    # The representative's text changes a little: its story stays whole.
    store.retext({rep.article_id: (body + " y", body + " y")})
    assert len(story_of(store, "https://a.example/1")) == 4
    # It changes altogether: the copies keep a story of their own.
    store.retext({rep.article_id: (words(9), words(9))})
    assert story_of(store, "https://a.example/1") == {"https://a.example/1"}
    assert len(story_of(store, "https://c0.example/1")) == 3
    check = store.conn.execute(
        "SELECT count(*) FROM articles a JOIN articles r ON r.id = a.duplicate_of "
        "WHERE r.duplicate_of IS NOT NULL"
    ).fetchone()[0]
    assert check == 0  # every link points at a representative


def test_a_nested_transaction_is_undone_alone(store: Store) -> None:
    with transaction(store.conn):
        store.add_article(record("https://a.example/1", words(10)))
        with pytest.raises(ValueError), transaction(store.conn):
            store.add_article(record("https://b.example/1", words(11)))
            raise ValueError("undo b")
    urls = [r[0] for r in store.conn.execute("SELECT url FROM articles")]
    assert urls == ["https://a.example/1"]
    assert not store.conn.in_transaction


def test_a_version_2_store_gains_templates_and_match_texts(tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    with Store.open(db) as store:
        store.add_article(record("https://a.example/1", words(12)))
    # As version 2 left it.
    write_version_2(db)
    with Store.open(db) as store:
        assert store.meta()["schema_version"] == str(SCHEMA_VERSION)
        tables = set(store.db.table_names())
        assert "boilerplate_segments" not in tables and "boilerplate_counts" in tables
        store.add_article(record("https://b.example/1", words(13), template="main>article.x"))
        assert store.get("https://b.example/1")["template"] == "main>article.x"  # type: ignore[index]
        assert store.get("https://a.example/1")["text"] == words(12)  # type: ignore[index]
