"""Containment matching: anchors, exact verdicts, furniture, the SQLite anchor index."""

from __future__ import annotations

import random
from dataclasses import dataclass

import pytest

from storage import Store
from storage.containment import (
    TABLE,
    ContainmentParams,
    Profile,
    compare,
    create_tables,
)
from storage.matcher import SqliteMatcher
from storage.minhash import shingles
from storage.normalize import words
from storage.store import AddResult, transaction

VOCAB = [f"word{i}" for i in range(3000)]


def make_text(seed: int, paragraphs: int = 10, size: int = 30) -> str:
    """A pseudo-article of ``paragraphs`` lines of ``size`` words, reproducible from ``seed``."""
    rng = random.Random(seed)
    return "\n".join(" ".join(rng.choice(VOCAB) for _ in range(size)) for _ in range(paragraphs))


def lines(text: str, start: int, stop: int | None = None) -> str:
    return "\n".join(text.split("\n")[start:stop])


@dataclass(frozen=True)
class Found:
    """A containment match as the store recorded it."""

    representative: int  # the story the text joined, by its representative then
    matched_id: int
    similarity: float


class Engine:
    """A store whose containment index may have other parameters than the default."""

    def __init__(self, store: Store, params: ContainmentParams | None = None) -> None:
        self.store = store
        if params is not None:
            store._local = SqliteMatcher(store.conn, store.params, store.threshold, params)
            store.matcher = store._local
        self.index = store._local.containment

    def add(self, url: str, text: str) -> tuple[AddResult, Found | None]:
        """Return the store's result, and its containment match if it made one."""
        result = self.store.add_article({"url": url, "title": "t", "text": text})
        if result.match != "containment":
            return result, None
        matched = self.store.conn.execute(
            "SELECT coalesce(matched_id, ?) FROM articles WHERE id = ?",
            (result.promoted, result.article_id),
        ).fetchone()[0]
        assert result.duplicate_of is not None and result.similarity is not None
        return result, Found(result.duplicate_of, matched, result.similarity)

    def story(self, article_id: int) -> int:
        return self.store.story(article_id)["id"]


@pytest.fixture
def engine(tmp_path):
    with Store.open(tmp_path / "news.db") as store:
        yield Engine(store)


def test_anchors_sample_every_line_and_are_the_same_in_a_truncated_copy():
    text = make_text(1, paragraphs=12)
    full, short = Profile.of(text), Profile.of(lines(text, 0, 4))
    assert len(full.lines) == 12
    assert all(line.anchors and set(line.anchors) <= line.shingles for line in full.lines)
    # One shingle in 8 plus one per line, give or take chance.
    assert 0.08 < len(full.anchors) / full.shingle_count < 0.25
    assert short.anchors <= full.anchors
    assert Profile.of(text) == full


def test_compare_both_ways():
    text = make_text(2)
    full, short = Profile.of(text), Profile.of(lines(text, 0, 4))
    inside = compare(short, full, set())
    assert (inside.inside, inside.direction) == (1.0, "inside")
    assert inside.holds == pytest.approx(0.4, abs=0.02)
    assert inside.shared == short.shingle_count and inside.spread >= 52
    holds = compare(full, short, set())
    assert (holds.holds, holds.direction) == (1.0, "holds")


def test_truncated_copy_after_the_full_story_joins_it(engine):
    text = make_text(3, paragraphs=12)
    full, _ = engine.add("https://a.example/1", text)
    result, found = engine.add("https://b.example/1", lines(text, 0, 4))
    # Jaccard is ~0.33: containment links them.
    assert result.status == "duplicate" and result.promoted is None
    assert found is not None
    assert (found.representative, found.matched_id) == (full.article_id, full.article_id)
    assert found.similarity == 1.0


def test_full_story_after_a_truncated_copy_holds_it(engine):
    text = make_text(4, paragraphs=12)
    short, _ = engine.add("https://a.example/1", lines(text, 0, 4) + "\nRead the full story.")
    full, found = engine.add("https://b.example/1", text)
    assert found is not None and found.representative == short.article_id
    assert found.similarity >= 0.9
    # The fuller copy is the story's representative now.
    assert full.promoted == short.article_id
    assert engine.story(short.article_id) == full.article_id


def test_story_followed_by_other_briefs_holds_it(engine):
    text = make_text(5, paragraphs=8)
    story, _ = engine.add("https://a.example/1", text)
    briefs = "\n".join([text, make_text(50, 3), make_text(51, 3), make_text(52, 3)])
    _, found = engine.add("https://b.example/1", briefs)
    assert found is not None and found.representative == story.article_id


def test_one_shared_paragraph_never_joins_two_stories(engine):
    standard = make_text(6, paragraphs=1, size=90)
    engine.add("https://a.example/1", make_text(60, 1, 15) + "\n" + standard)
    _, found = engine.add("https://b.example/1", make_text(61, 1, 15) + "\n" + standard)
    assert found is None
    a = Profile.of(make_text(60, 1, 15) + "\n" + standard)
    b = Profile.of(make_text(61, 1, 15) + "\n" + standard)
    verdict = compare(a, b, set())
    assert verdict.share > 0.8 and not verdict.passes(ContainmentParams())
    assert verdict.reason(ContainmentParams()) == "shared text lies within one paragraph"


def test_short_and_repetitive_texts_are_decided_too_short(engine):
    text = make_text(7)
    engine.add("https://a.example/1", text)
    twenty = " ".join(text.split()[:20])
    assert engine.add("https://b.example/1", twenty)[1] is None
    sentence = " ".join(text.split()[:12])
    repeated = "\n".join([sentence] * 30)
    assert Profile.of(repeated).shingle_count < ContainmentParams().min_shared
    assert engine.add("https://c.example/1", repeated)[1] is None
    assert engine.index.count() == len(Profile.of(text).anchors)


def test_text_twice_over_is_the_same_story(engine):
    text = make_text(8)
    first, _ = engine.add("https://a.example/1", text)
    result, found = engine.add("https://b.example/1", text + "\n" + text)
    # Same shingles plus those across the seam: the Jaccard tier has it already.
    assert result.duplicate_of == first.article_id and result.match == "minhash"
    assert found is None


def test_furniture_of_many_stories_does_not_count(engine):
    nav = make_text(9, paragraphs=8, size=14)  # 112 words of nav lines, teasers and footer
    for i in range(3):
        engine.add(f"https://a.example/{i}", nav + "\n" + make_text(90 + i))
    assert len(engine.index.furniture(Profile.of(nav).anchors)) >= len(Profile.of(nav).lines)
    # Two pages whose extraction kept the furniture and lost the body: one story by Jaccard
    # (~0.8) and by containment (~0.88) when the furniture is not known for what it is.
    lead_a, lead_b = make_text(100, 1, 15), make_text(101, 1, 15)
    raw = compare(Profile.of(nav + "\n" + lead_a), Profile.of(nav + "\n" + lead_b), set())
    assert raw.jaccard > 0.6 and raw.passes(ContainmentParams())
    first, _ = engine.add("https://b.example/1", nav + "\n" + lead_a)
    result, found = engine.add("https://c.example/1", nav + "\n" + lead_b)
    assert result.status == "new"  # the Jaccard match is furniture's doing
    assert found is None
    # The same furniture around one story does not keep its copies apart.
    story = make_text(102, paragraphs=5)
    first, _ = engine.add("https://b.example/2", nav + "\n" + lines(story, 0, 3))
    second, found = engine.add("https://c.example/2", story)
    assert found is not None and found.representative == first.article_id
    assert engine.story(first.article_id) == engine.story(second.article_id)


def test_stored_furniture_does_not_dilute_the_stored_side(engine):
    nav = make_text(11, paragraphs=8, size=14)
    for i in range(3):
        engine.add(f"https://a.example/{i}", nav + "\n" + make_text(110 + i))
    story = make_text(12, paragraphs=8)
    first, _ = engine.add("https://a.example/s", nav + "\n" + lines(story, 0, 4))
    raw = compare(Profile.of(story), Profile.of(nav + "\n" + lines(story, 0, 4)), set())
    assert raw.holds < 0.8  # without furniture known, the stored copy is half nav lines
    _, found = engine.add("https://b.example/s", story)
    assert found is not None and found.representative == first.article_id


def test_posting_lists_are_capped_and_copies_still_found(tmp_path):
    params = ContainmentParams(posting_cap=5)
    longest = f"SELECT max(n) FROM (SELECT count(*) AS n FROM {TABLE} GROUP BY anchor)"
    with Store.open(tmp_path / "cap.db") as store:
        engine = Engine(store, params)
        text = make_text(13, paragraphs=12)
        first, _ = engine.add("https://a.example/0", text)
        for i in range(1, 9):
            # Copies with their own last paragraph: different texts, all one story.
            engine.add(f"https://a.example/{i}", lines(text, 0, 11) + "\n" + make_text(130 + i, 1))
        assert store.conn.execute(longest).fetchone()[0] == params.per_story
        copy, found = engine.add("https://b.example/x", lines(text, 0, 5))
        assert found is not None
        assert engine.story(copy.article_id) == engine.story(first.article_id)
        # Lines carried by many stories: their lists stop at posting_cap.
        nav = make_text(14, paragraphs=3, size=12)
        for i in range(9):
            engine.add(f"https://c.example/{i}", nav + "\n" + make_text(140 + i))
        assert store.conn.execute(longest).fetchone()[0] == 5
        # Without the postings at hand, insert reads them itself.
        extra = store.add_article({"url": "https://c.example/x", "text": nav})
        with transaction(store.conn):
            engine.index.insert(extra.article_id, Profile.of(nav + "\n" + make_text(150), params))
        assert store.conn.execute(longest).fetchone()[0] == 5


def test_exclude_before_remove_and_clear(engine):
    text = make_text(14, paragraphs=12)
    first, _ = engine.add("https://a.example/1", text)
    profile = Profile.of(lines(text, 0, 5))
    assert engine.index.match(profile, exclude=first.article_id) is None
    assert engine.index.match(profile, before=first.article_id) is None
    assert engine.index.match(profile, before=first.article_id + 1) is not None
    with transaction(engine.store.conn):
        engine.index.remove(first.article_id, Profile.of(text))
    assert engine.index.count() == 0 and engine.index.match(profile) is None
    with transaction(engine.store.conn):
        engine.index.insert(first.article_id, Profile.of(text))
        engine.index.clear()
    assert engine.index.count() == 0


def test_compare_stored_checks_a_match_found_otherwise(engine):
    text = make_text(15)
    first, _ = engine.add("https://a.example/1", text)
    verdict = engine.index.compare_stored(Profile.of(lines(text, 0, 5)), first.article_id)
    assert verdict is not None and verdict.passes(engine.index.params)
    assert engine.index.compare_stored(Profile.of(text), 999) is None


def test_params_round_trip_and_validation():
    params = ContainmentParams(threshold=0.75, sample=16, line_share=0.6, forgive=20)
    assert ContainmentParams.from_meta(params.to_meta()) == params
    with pytest.raises(ValueError, match="line_share"):
        ContainmentParams(line_share=0.2)
    with pytest.raises(ValueError, match="forgive"):
        ContainmentParams(forgive=-1)
    with pytest.raises(ValueError, match="threshold"):
        ContainmentParams(threshold=0.2)
    with pytest.raises(ValueError, match="furniture_stories"):
        ContainmentParams(furniture_stories=1)
    with pytest.raises(ValueError, match="cannot exceed posting_cap"):
        ContainmentParams(furniture_stories=10, posting_cap=5)


def test_create_tables_is_idempotent(tmp_path):
    with Store.open(tmp_path / "t.db") as store:
        create_tables(store.conn)
        create_tables(store.conn)
        assert TABLE in store.db.table_names()


def test_a_fuller_text_finds_every_story_it_holds(engine):
    text = make_text(16, paragraphs=12)
    head, _ = engine.add("https://a.example/1", lines(text, 0, 4))
    tail, _ = engine.add("https://b.example/1", lines(text, 7, 12))
    assert tail.duplicate_of is None  # the two parts share nothing: two stories so far
    found = engine.index.matches(Profile.of(text))
    assert {m.matched_id for m in found} == {head.article_id, tail.article_id}
    assert all(m.direction == "holds" and m.similarity == 1.0 for m in found)


@pytest.mark.parametrize("seed", range(12))
def test_text_shingles_are_those_of_the_whole_text(seed):
    rng = random.Random(seed)
    parts = []
    for _ in range(rng.randint(0, 9)):
        size = rng.choice([0, 1, 2, 3, 4, 5, 6, 12, 40])
        parts.append(" ".join(rng.choice(VOCAB[:50]) for _ in range(size)) + rng.choice(["", "."]))
    text = "\n".join(parts)
    assert Profile.of(text).text_shingles() == shingles(words(text), 5)


def test_many_copies_of_one_story_cost_no_more_reads_each(tmp_path):
    params = ContainmentParams(posting_cap=8)
    with Store.open(tmp_path / "wire.db") as store:
        engine = Engine(store, params)
        text = make_text(17, paragraphs=10)
        first, _ = engine.add("https://a.example/0", text)
        for i in range(1, 60):
            copy = f"CITY {i} (Wire) - " + lines(text, 0, 6 if i % 3 else 10)
            engine.add(f"https://o{i}.example/s", copy + f"\nOutlet {i} line.")
            # Every copy is one story: each list holds two of its members at most.
            lookup = engine.index.lookup(Profile.of(copy, params))
            assert max(len(rows) for rows in lookup.postings.values()) <= params.per_story
        assert engine.store.story(first.article_id)["size"] == 60


def test_an_excerpt_of_one_paragraph_joins_but_a_brief_around_it_does_not(engine):
    text = make_text(18, paragraphs=6, size=80)
    full, _ = engine.add("https://a.example/1", text)
    excerpt, found = engine.add("https://b.example/1", lines(text, 0, 1) + "\nRead more.")
    assert found is not None and found.representative == full.article_id
    # The same paragraph inside a brief with a sentence of its own: a shared paragraph.
    brief = make_text(19, paragraphs=1, size=14) + "\n" + lines(text, 2, 3)
    assert engine.add("https://c.example/1", brief)[1] is None


def test_a_sixty_word_excerpt_of_two_paragraphs_joins(engine):
    # 60 words in two lines are 52 shingles: the floor is counted in words of shared text.
    text = make_text(20, paragraphs=8)
    full, _ = engine.add("https://a.example/1", text)
    _, found = engine.add("https://b.example/1", lines(text, 0, 2))
    assert found is not None and found.representative == full.article_id
    verdict = compare(Profile.of(lines(text, 0, 2)), Profile.of(text), set())
    assert verdict.shared < 56 and verdict.shared_words == 60


def changed(paragraph: str, seed: int, start: int, count: int) -> str:
    """``paragraph`` with ``count`` words from ``start`` replaced: a copy editor's sentence."""
    rng = random.Random(seed)
    ws = paragraph.split()
    ws[start : start + count] = [rng.choice(VOCAB) for _ in range(count)]
    return " ".join(ws)


def test_an_excerpt_with_a_changed_sentence_in_each_paragraph_joins(engine):
    text = make_text(21, paragraphs=8, size=45)
    full, _ = engine.add("https://a.example/1", text)
    paras = text.split("\n")
    excerpt = "\n".join(changed(p, i, 15, 14) for i, p in enumerate(paras[:2]))
    verdict = compare(Profile.of(excerpt), Profile.of(text), set())
    # Each changed sentence costs 18 of a paragraph's 41 shingles: 0.56 by shingles.
    assert verdict.share < 0.6 and verdict.covered >= 0.8
    _, found = engine.add("https://b.example/1", excerpt)
    assert found is not None and found.representative == full.article_id


def test_words_changed_all_over_a_short_text_are_not_forgiven(engine):
    text = make_text(22, paragraphs=8, size=45)
    engine.add("https://a.example/1", text)
    paras = text.split("\n")
    # Three runs of two words changed in each paragraph: as much unshared as one changed
    # sentence, the paragraphs still mostly shared, but no one run is a sentence.
    edited = []
    for i, p in enumerate(paras[:2]):
        for start in (8, 20, 32):
            p = changed(p, 10 * i + start, start, 2)
        edited.append(p)
    verdict = compare(Profile.of("\n".join(edited)), Profile.of(text), set())
    assert 0.5 < verdict.share < 0.6
    assert verdict.covered < 0.8 and not verdict.passes(ContainmentParams())
    assert engine.add("https://b.example/1", "\n".join(edited))[1] is None


def test_a_changed_sentence_repeating_a_phrase_of_the_story_is_one_gap(engine):
    text = make_text(23, paragraphs=6, size=90)
    full, _ = engine.add("https://a.example/1", text)
    first = text.split("\n")[0]
    # Words 30-45 and 53-68 changed, the eight between them kept: one new sentence that
    # repeats a phrase of the old one.
    excerpt = changed(changed(first, 1, 30, 15), 2, 53, 15)
    verdict = compare(Profile.of(excerpt), Profile.of(text), set())
    assert verdict.share < 0.6 and verdict.covered >= 0.8
    _, found = engine.add("https://b.example/1", excerpt)
    assert found is not None and found.representative == full.article_id


@pytest.mark.parametrize("excerpt_first", [False, True])
def test_an_excerpt_of_a_long_and_a_short_paragraph_joins_in_either_order(engine, excerpt_first):
    # A teaser copy of a story's lead and its short second paragraph: 15 shingles outside the
    # lead, every one of them shared, is no background paragraph inside a brief of its own.
    rng = random.Random(23)
    sizes = (55, 19, 40, 35, 45, 30)
    paras = [" ".join(rng.choice(VOCAB) for _ in range(n)) for n in sizes]
    text, excerpt = "\n".join(paras), "\n".join(paras[:2])
    verdict = compare(Profile.of(excerpt), Profile.of(text), set())
    params = ContainmentParams()
    assert verdict.spread < params.min_spread and verdict.rest >= params.min_spread // 2
    assert verdict.passes(params)
    first, second = (excerpt, text) if excerpt_first else (text, excerpt)
    stored, _ = engine.add("https://a.example/1", first)
    _, found = engine.add("https://b.example/1", second)
    assert found is not None and found.representative == stored.article_id
    # The lead with a short paragraph of a brief's own stays apart.
    brief = paras[0] + "\n" + " ".join(rng.choice(VOCAB) for _ in range(19))
    assert engine.add("https://c.example/1", brief)[1] is None


def test_a_short_copy_with_a_changed_sentence_in_its_short_paragraph_joins(engine):
    # The lead, then a short paragraph whose second sentence a copy editor rewrote: what is not
    # shared outside the lead is that sentence, forgiven as in a paragraph mostly shared.
    rng = random.Random(24)
    sizes = (55, 22, 40, 35, 45, 30)
    paras = [" ".join(rng.choice(VOCAB) for _ in range(n)) for n in sizes]
    text = "\n".join(paras)
    copy = paras[0] + "\n" + changed(paras[1], 25, 14, 8)
    verdict = compare(Profile.of(copy), Profile.of(text), set())
    params = ContainmentParams()
    assert verdict.spread < params.min_spread and verdict.rest - verdict.spread >= 8
    assert verdict.passes(params)
    full, _ = engine.add("https://a.example/1", text)
    _, found = engine.add("https://b.example/1", copy)
    assert found is not None and found.representative == full.article_id
