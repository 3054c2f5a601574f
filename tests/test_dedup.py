"""Dedup tiers, MinHash signatures and band keys, short-text rules, precomputed signatures."""

from __future__ import annotations

import random

import numpy as np
import pytest

from storage import MinHashParams, Store
from storage.minhash import (
    MIN_EXACT_WORDS,
    MIN_MINHASH_WORDS,
    band_keys,
    coerce_signature,
    estimate,
    jaccard,
    shingles,
    signature,
    to_bytes,
)
from storage.normalize import text_hash, words

VOCAB = [f"word{i}" for i in range(3000)]


def make_text(seed: int, n: int = 300) -> str:
    """A pseudo-article of ``n`` words in paragraphs of 30, reproducible from ``seed``."""
    rng = random.Random(seed)
    ws = [rng.choice(VOCAB) for _ in range(n)]
    return "\n".join(" ".join(ws[i : i + 30]) for i in range(0, n, 30))


def edit(text: str, seed: int, substitutions: int = 4) -> str:
    """A syndicated copy: a dateline prefix and a few substituted words."""
    rng = random.Random(seed)
    ws = text.split(" ")
    for _ in range(substitutions):
        ws[rng.randrange(len(ws))] = "changed"
    return "LONDON (Wire) - " + " ".join(ws)


def record(url: str, text: str, **extra: object) -> dict:
    return {"url": url, "title": extra.pop("title", "A title"), "text": text, **extra}


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "news.db") as s:
        yield s


def test_new_article_then_exact_duplicate_ignores_case_and_punctuation(store):
    text = make_text(1)
    first = store.add_article(record("https://a.example/1", text))
    copy = store.add_article(record("https://b.example/x", text.upper().replace(" ", " , ")))
    assert first.status == "new" and first.duplicate_of is None and first.match is None
    assert copy.status == "duplicate"
    assert (copy.duplicate_of, copy.similarity, copy.match) == (first.article_id, 1.0, "exact")


def test_near_duplicate_found_by_minhash_and_verified(store):
    text = make_text(2)
    first = store.add_article(record("https://a.example/1", text))
    near = store.add_article(record("https://b.example/1", edit(text, 1)))
    assert near.status == "duplicate" and near.match == "minhash"
    assert near.duplicate_of == first.article_id
    assert 0.8 < near.similarity < 1.0


def test_unrelated_articles_are_new(store):
    results = [
        store.add_article(record(f"https://a.example/{i}", make_text(100 + i))) for i in range(20)
    ]
    assert all(r.status == "new" for r in results)


def test_duplicate_of_a_duplicate_points_at_the_representative(store):
    text = make_text(3)
    rep = store.add_article(record("https://a.example/1", text))
    second = edit(text, 2, substitutions=10)
    store.add_article(record("https://b.example/1", second))
    # Closer to the second copy than to the first: still joins the first copy's story.
    third = store.add_article(record("https://c.example/1", edit(second, 3, substitutions=2)))
    story = store.story(third.article_id)
    assert story["id"] == store.story(rep.article_id)["id"] and story["size"] == 3
    assert all(d["id"] != story["id"] for d in story["duplicates"])
    assert story["sites"] == ["a.example", "b.example", "c.example"]


def test_dedup_spans_sessions(tmp_path):
    text = make_text(4)
    with Store.open(tmp_path / "s.db") as s:
        first = s.add_article(record("https://a.example/1", text))
    with Store.open(tmp_path / "s.db") as s:
        again = s.add_article(record("https://b.example/1", edit(text, 4)))
    assert again.duplicate_of == first.article_id and again.match == "minhash"


def test_short_texts_are_never_near_duplicate_candidates(store):
    base = make_text(5, MIN_MINHASH_WORDS - 5)
    store.add_article(record("https://a.example/1", base))
    near = store.add_article(record("https://b.example/1", base.replace("word", "w", 1)))
    assert near.status == "new"
    assert store.stats()["dedup"]["lsh_rows"] == 0


def test_identical_short_texts_still_exact_duplicates_above_floor(store):
    text = make_text(6, MIN_EXACT_WORDS + 2)
    store.add_article(record("https://a.example/1", text))
    assert store.add_article(record("https://b.example/1", text)).match == "exact"


def test_stubs_and_empty_texts_never_collapse_into_one_story(store):
    for i in range(5):
        assert store.add_article(record(f"https://a.example/e{i}", "")).status == "new"
        stub = record(f"https://a.example/s{i}", "Subscribe to read the full story.")
        assert store.add_article(stub).status == "new"
    assert store.stats()["totals"]["duplicates"] == 0


def test_exact_copies_are_not_indexed_twice(store):
    text = make_text(7)
    store.add_article(record("https://a.example/1", text))
    store.add_article(record("https://b.example/1", text))
    store.add_article(record("https://c.example/1", edit(text, 7)))
    assert store.stats()["dedup"]["lsh_rows"] == 2 * store.params.bands


def test_precomputed_signature_is_used(store):
    text = make_text(8)
    sig = signature(text, store.params)
    first = store.add_article(record("https://a.example/1", text, minhash=to_bytes(sig)))
    near_text = edit(text, 8)
    near = store.add_article(record("https://b.example/1", near_text, minhash=signature(near_text)))
    assert near.duplicate_of == first.article_id
    with pytest.raises(ValueError, match="expected 192"):
        store.add_article(record("https://c.example/1", make_text(9), minhash=b"\x00" * 10))


def test_updated_duplicate_that_now_differs_leaves_the_story(store):
    text = make_text(10)
    store.add_article(record("https://a.example/1", text))
    dup = store.add_article(record("https://b.example/1", edit(text, 10)))
    assert dup.status == "duplicate"
    changed = store.add_article(record("https://b.example/1", make_text(11)))
    assert changed.status == "updated" and changed.duplicate_of is None
    assert store.get(dup.article_id)["match"] is None


def test_updated_representative_keeps_its_copies(store):
    text = make_text(12)
    rep = store.add_article(record("https://a.example/1", text))
    store.add_article(record("https://b.example/1", edit(text, 12)))
    store.add_article(record("https://a.example/1", text + "\nA correction was appended."))
    assert store.story(rep.article_id)["size"] == 2


def test_signature_is_deterministic_and_serialised_little_endian():
    text = make_text(13)
    sig = signature(text)
    assert sig.dtype == np.dtype("<u4") and sig.shape == (48,)
    assert np.array_equal(sig, signature(text))
    raw = to_bytes(sig)
    assert len(raw) == 192 and int.from_bytes(raw[:4], "little") == int(sig[0])
    assert np.array_equal(coerce_signature(raw), sig)


def test_band_keys_are_signed_64_bit_and_one_per_band():
    params = MinHashParams()
    keys = band_keys(signature(make_text(14)), params)
    assert len(keys) == params.bands and len(set(keys)) == params.bands
    assert all(-(2**63) <= k < 2**63 for k in keys)


def test_estimate_tracks_exact_jaccard():
    a, b = make_text(15), edit(make_text(15), 15, substitutions=20)
    exact = jaccard(shingles(words(a), 5), shingles(words(b), 5))
    assert abs(estimate(signature(a), signature(b)) - exact) < 0.2


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"bands": 20, "rows": 4}, "must not exceed num_perm"),
        ({"num_perm": 0}, "num_perm must be at least 1"),
        ({"shingle_size": 0}, "shingle_size"),
    ],
)
def test_params_validation(kwargs, message):
    with pytest.raises(ValueError, match=message):
        MinHashParams(**kwargs)


def test_text_hash_none_for_empty_and_stable():
    assert text_hash([]) is None
    assert text_hash(words("Hello, World!")) == text_hash(words("hello world"))


def test_coerce_signature_rejects_bad_values():
    with pytest.raises(ValueError, match="shape"):
        coerce_signature(np.zeros(10, dtype=np.uint32))
    with pytest.raises(ValueError, match="integers"):
        coerce_signature(np.full(48, -1))


def test_signature_is_datasketch_minhash_of_the_shingle_hashes():
    from datasketch import MinHash

    params = MinHashParams()
    sh = shingles(words(make_text(16)), params.shingle_size)
    reference = MinHash(num_perm=params.num_perm, seed=params.seed, hashfunc=lambda v: v)
    reference.update_batch(list(sh))
    assert np.array_equal(signature(make_text(16), params), reference.hashvalues)


def test_short_text_is_one_shingle():
    assert len(shingles(["only", "three", "words"], 5)) == 1
    assert shingles([], 5) == set()
