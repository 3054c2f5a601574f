"""Re-dedup of a whole store: presets, thresholds, index rebuild, stale signatures."""

from __future__ import annotations

import random
import sqlite3

import pytest

from storage import PRESETS, ParameterMismatch, Store, StoreError

VOCAB = [f"word{i}" for i in range(3000)]


def make_text(seed: int, n: int = 300) -> str:
    rng = random.Random(seed)
    return " ".join(rng.choice(VOCAB) for _ in range(n))


def rewrite(text: str, seed: int, share: float) -> str:
    """Replace whole 10-word runs so that about ``share`` of the text stays as it was."""
    rng = random.Random(seed)
    ws = text.split()
    for start in range(0, len(ws), 10):
        if rng.random() > share:
            ws[start : start + 10] = [rng.choice(VOCAB) for _ in range(10)]
    return " ".join(ws)


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "news.db") as s:
        yield s


def _fill(store):
    base = make_text(1)
    store.add_article({"url": "https://a.example/1", "text": base})
    store.add_article({"url": "https://b.example/1", "text": base})  # exact copy
    # A loose rewrite (Jaccard 0.52: under the default 0.6, over syndicated's 0.5), a word
    # shorter: the first copy stays the fullest.
    loose = " ".join(rewrite(base, 22, 0.8).split()[:-1])
    store.add_article({"url": "https://c.example/1", "text": loose})
    store.add_article({"url": "https://d.example/1", "text": make_text(3)})
    return base


def test_redup_with_same_parameters_changes_nothing(store):
    _fill(store)
    before = [
        (a["id"], a["duplicate_of"], a["similarity"])
        for a in store.iter_articles(include_duplicates=True)
    ]
    lsh_before = store.stats()["dedup"]["lsh_rows"]
    anchors_before = store.stats()["dedup"]["containment_rows"]
    result = store.rededup()
    after = [
        (a["id"], a["duplicate_of"], a["similarity"])
        for a in store.iter_articles(include_duplicates=True)
    ]
    assert before == after and result.changed == 0 and result.articles == 4
    assert store.stats()["dedup"]["lsh_rows"] == lsh_before
    assert store.stats()["dedup"]["containment_rows"] == anchors_before > 0


def test_looser_preset_merges_more_and_is_recorded(tmp_path):
    path = tmp_path / "n.db"
    with Store.open(path) as store:
        _fill(store)
        assert store.get(3)["duplicate_of"] is None
        result = store.rededup(preset="syndicated")
        assert store.get(3)["duplicate_of"] == 1 and store.get(3)["match"] == "minhash"
        assert result.changed == 1 and result.exact == 1 and result.near == 1
        assert store.stats()["dedup"]["lsh_rows"] == 3 * PRESETS["syndicated"].params.bands
    with Store.open(path) as store:
        assert store.preset == "syndicated" and store.params == PRESETS["syndicated"].params
        with pytest.raises(ParameterMismatch):
            Store.open(path, preset="same-article")


def test_stricter_threshold_splits_stories(store):
    _fill(store)
    store.rededup(preset="syndicated")
    result = store.rededup(threshold=0.99)
    assert store.get(3)["duplicate_of"] is None and store.get(2)["duplicate_of"] == 1
    assert store.preset == "custom" and store.threshold == 0.99 and result.changed == 1


def test_later_articles_still_dedup_after_rededup(store):
    base = _fill(store)
    store.rededup(preset="syndicated")
    new = store.add_article({"url": "https://e.example/1", "text": rewrite(base, 9, 0.9)})
    assert new.duplicate_of == 1


def test_redup_validates_arguments(store):
    with pytest.raises(StoreError, match="unknown dedup preset"):
        store.rededup(preset="nope")
    with pytest.raises(ValueError, match="threshold"):
        store.rededup(threshold=1.5)


def test_redup_reports_progress(store):
    _fill(store)
    calls = []
    store.rededup(progress=lambda done, total: calls.append((done, total)))
    assert calls == [(4, 4)]


def test_stale_signatures_block_writes_until_rededup(tmp_path):
    path = tmp_path / "n.db"
    with Store.open(path) as store:
        _fill(store)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE meta SET value = 'old' WHERE key = 'minhash_probe'")
    conn.commit()
    conn.close()
    with pytest.raises(ParameterMismatch, match="newsdedup dedup"):
        Store.open(path)
    with Store.open(path, verify=False) as store:
        assert store.count_articles() == 3
        with pytest.raises(ParameterMismatch):
            store.add_article({"url": "https://x.example/", "text": "x"})
        store.rededup()
        assert store.add_article({"url": "https://x.example/", "text": "x"}).status == "new"
    Store.open(path).close()
