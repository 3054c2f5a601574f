"""Boilerplate learned per template and across the hosts of a network, applied to the pages stored
before it, never eating real text, never deciding a match, and the same in any arrival order."""

from __future__ import annotations

import random
import tracemalloc
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest

from crawler.learning import learning_keys
from crawler.page.cleaning.boilerplate import (
    PageLines,
    different,
    is_boilerplate,
    segment_hash,
    story_of,
    strip,
)
from crawler.writer import ArticleWriter
from storage import Store

WORDS = (
    "harbour council ferry budget rail strike union minister bridge river storm flood school "
    "teacher hospital nurse market bakery factory port museum library festival election mayor "
    "police court judge tax water energy grid wind solar farm harvest tourism airport runway "
    "train station road tunnel housing rent tenant landlord climate research university student "
    "science doctor patient vaccine clinic league match goal season coach player final record "
    "crowd stadium ticket price wage pension quarry orchard glacier canal"
).split()
NETWORK = "div.page>div.story>div.body"
TOOLBAR = "Print this page | Email a friend"
PLEA = "Support local business: shop at the stores on your high street and keep our towns alive."
BLURB = (
    "The Valley Network publishes local news for eleven towns of the valley. Editor: Jane Roe. "
    "Staff: Sam Poe, Kim Lee and Ana Ruiz. Letters and tips go to the newsroom in Millbrook."
)
COME_BACK = "Come back tomorrow for more stories from your town."
FURNITURE = [PLEA, BLURB, COME_BACK]
DISCLAIMER = (
    "The views expressed in this article are those of the author and do not necessarily "
    "reflect the editorial policy of the Daily Courier, which accepts no liability for them."
)
QUOTE = (
    "We will not rest until every family on the coast has a safe home again, the mayor said at "
    "a press conference on Monday morning in front of the town hall."
)


def paragraph(rng: random.Random, words: int = 40) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def story(seed: int, paragraphs: int = 4, words: int = 40) -> list[str]:
    rng = random.Random(seed)
    return [paragraph(rng, words) for _ in range(paragraphs)]


def headline(seed: int) -> str:
    rng = random.Random(-seed)
    return " ".join(rng.choice(WORDS) for _ in range(7)).capitalize()


def rec(
    site: str, n: int | str, lines: Iterable[str], template: str = "", title: str | None = None
) -> dict[str, Any]:
    lines = list(lines)
    return {
        "url": f"https://{site}/news/{n}",
        "site": site,
        "title": title or lines[0][:80],
        "text": "\n".join(lines),
        "template": template or None,
    }


def write(store: Store, records: Iterable[dict[str, Any]]) -> ArticleWriter:
    writer = ArticleWriter(store)
    for record in records:
        writer.add(record)
    return writer


def texts(store: Store) -> dict[str, str]:
    return {url: text for url, text in store.conn.execute("SELECT url, text FROM articles")}


def stories(store: Store) -> set[frozenset[str]]:
    groups: dict[int, set[str]] = {}
    for article_id, url, duplicate_of in store.conn.execute(
        "SELECT id, url, duplicate_of FROM articles"
    ):
        groups.setdefault(duplicate_of or article_id, set()).add(url)
    return {frozenset(group) for group in groups.values()}


def counts(store: Store) -> tuple[list, list]:
    """What the store has learned: pages per key, and every segment's count and state."""
    keys = store.conn.execute("SELECT key, pages FROM boilerplate_keys ORDER BY key").fetchall()
    segments = store.conn.execute(
        "SELECT key, hash, pages, state FROM boilerplate_counts ORDER BY key, hash"
    ).fetchall()
    return [tuple(k) for k in keys], [tuple(s) for s in segments]


def together(store: Store, *urls: str) -> bool:
    return any(set(urls) <= group for group in stories(store))


@pytest.fixture
def store(tmp_path: Path):
    with Store.open(tmp_path / "news.db") as s:
        yield s


# ---------------------------------------------------------------- one page, the rules


def test_thresholds() -> None:
    assert not is_boilerplate(words=40, pages=3, key_pages=3)
    assert is_boilerplate(words=40, pages=4, key_pages=10)
    assert not is_boilerplate(words=40, pages=4, key_pages=100)
    assert not is_boilerplate(words=10, pages=4, key_pages=10)
    assert is_boilerplate(words=10, pages=5, key_pages=10)
    assert not is_boilerplate(words=10, pages=5, key_pages=17)  # 29.4% of 17 pages
    assert is_boilerplate(words=2, pages=4, key_pages=10, placed=True)
    assert not is_boilerplate(words=12, pages=5, key_pages=20, placed=True)
    assert not is_boilerplate(words=2, pages=16, key_pages=16)  # two words anywhere: never
    assert segment_hash("Hello, World!") == segment_hash("hello world")


def test_the_text_keeps_what_learned_lines_would_gut() -> None:
    page = PageLines("\n".join([DISCLAIMER, QUOTE, "A short line of its own."]))
    learned = {segment_hash(DISCLAIMER), segment_hash(QUOTE)}
    text, match = strip(page, learned, learned)
    assert text == page.text
    assert match == "A short line of its own."


def test_pages_tell_different_stories_by_their_own_text() -> None:
    a = story_of("\n".join([*story(1), *FURNITURE]), headline(1))
    b = story_of("\n".join([*story(2), *FURNITURE]), headline(2))
    lost = story_of("\n".join([headline(3), *FURNITURE]), headline(3))
    copy = story_of("\n".join([headline(4), *story(1), *FURNITURE]), headline(4))
    local = story_of("\n".join([*story(1), *story(5, 1), *FURNITURE]), headline(1))
    edited = story(1)
    edited[2] = edited[2].replace(edited[2].split()[5], "tramway", 1)
    assert different(a, b)
    assert not different(a, lost)  # a headline is not a story of its own
    assert not different(a, copy)
    assert not different(a, story_of("\n".join(edited)))
    # An outlet's own paragraph in a copy under the story's title is no story of its own.
    assert not different(a, local)
    assert different(b, story_of("\n".join([*story(1), *story(5, 1), *FURNITURE]), "Other"))


def test_a_compared_page_takes_little_memory() -> None:
    # Learning keeps thousands of these in the crawl process for the whole crawl.
    text = "\n".join(story(7, paragraphs=25))  # 1,000 words
    tracemalloc.start()
    try:
        kept = story_of(text, headline(7))
        size = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert kept.lines
    assert size < 16 * 1024  # ~8 bytes a shingle; a set of ints took ~70


# ---------------------------------------------------------------- learning per template


def three_templates(toolbar_template: int = 0) -> list[dict[str, Any]]:
    """27 pages of one site, 8 + 10 + 9 on three templates; the toolbar on every page of one."""
    records = []
    sizes = (8, 10, 9)
    n = 0
    for template, size in enumerate(sizes):
        for _ in range(size):
            lines = [headline(n), *story(n)]
            if template == toolbar_template:
                lines.insert(2, TOOLBAR)
            records.append(rec("courier.example", n, lines, f"main>article.t{template}>div.body"))
            n += 1
    random.Random(5).shuffle(records)
    return records


def test_a_toolbar_on_every_page_of_one_template_is_learned(store: Store) -> None:
    # 8 of the site's 27 pages (29.6%: a short line needs 30% of a site) but all of its template's.
    records = three_templates()
    write(store, records)
    stored = texts(store)
    for record in records:
        if record["template"].endswith("t0>div.body"):
            assert stored[record["url"]] == record["text"].replace(TOOLBAR + "\n", "")
        else:
            assert stored[record["url"]] == record["text"]


def test_a_short_line_at_its_place_is_learned_and_kept_elsewhere(store: Store) -> None:
    records = [
        rec("gazette.example", n, [*story(n), "Ends here"], "main>div.story") for n in range(6)
    ]
    inside = rec("gazette.example", "x", [story(90)[0], "Ends here", *story(91)], "main>div.story")
    write(store, [*records, inside])
    stored = texts(store)
    assert all(stored[r["url"]] == "\n".join(story(n)) for n, r in enumerate(records))
    assert stored[inside["url"]] == inside["text"]  # the same words in the story's middle


def test_small_templates_and_single_pages_keep_their_text(store: Store) -> None:
    single = rec("one.example", 1, [*story(1), DISCLAIMER])
    three = [rec("three.example", n, [*story(n), DISCLAIMER], "main>div.x") for n in range(3)]
    # A template seen once on a site whose other template prints the disclaimer everywhere.
    site = [rec("big.example", n, [*story(10 + n), DISCLAIMER], "main>div.a") for n in range(8)]
    once = rec("big.example", "once", [*story(30), DISCLAIMER], "main>div.b")
    write(store, [single, *three, *site, once])
    stored = texts(store)
    assert stored[single["url"]] == single["text"]
    assert all(stored[r["url"]] == r["text"] for r in three)
    # The site's own disclaimer goes from every page of the site, the lone template's too.
    assert all(DISCLAIMER not in stored[r["url"]] for r in [*site, once])


def test_a_quote_in_three_follow_ups_and_a_common_sentence_stay(store: Store) -> None:
    common = "The company did not respond to a request for comment."
    records = []
    for n in range(20):
        lines = story(n)
        if n % 4 == 0:
            lines.append(common)
        if n in (5, 6, 7):
            lines.insert(1, QUOTE)
        records.append(rec("courier.example", n, lines, "main>div.story"))
    write(store, records)
    assert texts(store) == {r["url"]: r["text"] for r in records}


# ---------------------------------------------------------------- networks


def network_page(host: str, n: int, body: list[str], template: str = NETWORK) -> dict:
    return rec(host, n, [headline(n), *body, *FURNITURE], template)


def test_a_network_learns_what_no_host_alone_can(store: Store) -> None:
    hosts = [f"town{i}.example" for i in range(4)]
    records = [network_page(hosts[n % 4], n, story(n)) for n in range(8)]
    # A host with another template keeps the same lines: it is not of the network.
    other = [network_page("city.example", 50 + n, story(50 + n), "div.main>p") for n in range(2)]
    write(store, [*records, *other])
    stored = texts(store)
    for record in records:
        assert stored[record["url"]] == "\n".join(
            [headline(int(record["url"][-1])), *story(int(record["url"][-1]))]
        )
    assert all(stored[r["url"]] == r["text"] for r in other)


@pytest.mark.parametrize("lost_first", [True, False])
def test_furniture_around_a_lost_body_never_merges_two_stories(
    store: Store, lost_first: bool
) -> None:
    # Two wire stories on two hosts of one network whose bodies were lost: each is a headline
    # in the network's furniture (a plea, a blurb and a staff line, a "come back" line).
    hosts = ["valley-a.example", "valley-b.example", "valley-c.example"]
    lost = [
        rec(hosts[0], "w1", ["Ferry strike ends after a week of talks", *FURNITURE], NETWORK),
        rec(hosts[1], "w2", ["Council approves the new library budget", *FURNITURE], NETWORK),
    ]
    bodies = [network_page(hosts[n % 3], n, story(n, 3)) for n in range(3)]
    write(store, [*lost, *bodies] if lost_first else [*bodies, *lost])
    assert not together(store, lost[0]["url"], lost[1]["url"])
    # Three pages is under the learning threshold: the furniture is still in the text.
    assert PLEA in texts(store)[lost[0]["url"]]


@pytest.mark.parametrize("order", ["pair first", "pair last"])
@pytest.mark.parametrize(("story_words", "furniture_lines"), [(100, 10), (60, 6)])
def test_two_stories_in_the_same_furniture_stay_apart(
    store: Store, order: str, story_words: int, furniture_lines: int
) -> None:
    # A furniture-heavy pair (100-word stories in 400 words of furniture) and a short-story
    # pair (60 words in 240): alike on their whole texts, nothing alike in their stories.
    rng = random.Random(7)
    furniture = [paragraph(rng) for _ in range(furniture_lines)]
    pair = [
        rec("north.example", "p1", [*story(1, 1, story_words), *furniture], NETWORK),
        rec("south.example", "p2", [*story(2, 1, story_words), *furniture], NETWORK),
    ]
    third = rec("north.example", "p3", [*story(3, 1, story_words), *furniture], NETWORK)
    write(store, [*pair, third] if order == "pair first" else [third, *pair])
    assert not together(store, pair[0]["url"], pair[1]["url"])
    assert furniture[0] in texts(store)[pair[0]["url"]]  # not learned: three pages only


def test_copies_of_one_story_in_the_network_stay_one_story(store: Store) -> None:
    hosts = [f"town{i}.example" for i in range(4)]
    wire = story(77, 5)
    copies = [rec(host, "wire", [headline(100 + i), *wire, *FURNITURE], NETWORK)
              for i, host in enumerate(hosts)]  # fmt: skip
    others = [network_page(hosts[n % 4], n, story(n)) for n in range(8)]
    write(store, [*others[:4], *copies, *others[4:]])
    assert together(store, *(c["url"] for c in copies))
    stored = texts(store)
    # The story is the network's four times over, but it is no furniture: it stays whole.
    assert all("\n".join(wire) in stored[c["url"]] for c in copies)
    assert all(PLEA not in stored[c["url"]] for c in copies)


def test_regional_editions_adding_their_own_paragraph_stay_one_story(store: Store) -> None:
    # One wire story on six editions of a network, each with a paragraph of local reaction: each
    # copy has text of its own, like a story wrapped in furniture, but one title.
    hosts = [f"edition{i}.example" for i in range(6)]
    wire = story(88, 5)
    title = "Ferry strike ends after a week of talks"
    copies = [
        rec(host, "wire", [*wire, *story(500 + i, 1, 35), *FURNITURE], NETWORK, title)
        for i, host in enumerate(hosts)
    ]
    others = [network_page(hosts[n % 6], n, story(n)) for n in range(6)]
    write(store, [*others, *copies])
    assert together(store, *(c["url"] for c in copies))
    stored = texts(store)
    assert all("\n".join(wire) in stored[c["url"]] for c in copies)


def test_a_story_on_a_few_pages_of_a_large_network_is_no_furniture(store: Store) -> None:
    # Five editions retitle one wire story and add their own paragraph: each copy reads like a
    # story wrapped in furniture, but the network's furniture is on all its pages, the story on
    # a few of them.
    hosts = [f"edition{i}.example" for i in range(5)]
    wire = story(89, 5)
    others = [network_page(hosts[n % 5], n, story(n)) for n in range(40)]
    copies = [
        rec(host, "wire", [*wire, *story(600 + i, 1, 35), *FURNITURE], NETWORK, headline(700 + i))
        for i, host in enumerate(hosts)
    ]
    write(store, [*others[:20], *copies, *others[20:]])
    assert together(store, *(c["url"] for c in copies))


# ---------------------------------------------------------------- stored pages, any order


def world() -> list[dict[str, Any]]:
    """A site of three templates, a network of three hosts with its furniture, a wire story on
    every host, follow-ups sharing a quote, pages whose body was lost."""
    records = three_templates()
    hosts = ["valley-a.example", "valley-b.example", "valley-c.example"]
    records += [network_page(hosts[n % 3], 100 + n, story(100 + n)) for n in range(9)]
    wire = story(200, 5)
    records += [rec(h, "wire", [headline(201 + i), *wire, *FURNITURE], NETWORK)
                for i, h in enumerate(hosts)]  # fmt: skip
    records.append(
        rec("courier.example", "wire", [headline(204), *wire], "main>article.t1>div.body")
    )
    records += [rec("courier.example", f"f{n}", [*story(300 + n), QUOTE], "main>article.t2>div.body")
                for n in range(3)]  # fmt: skip
    records += [
        rec(hosts[n], f"lost{n}", [headline(400 + n), *FURNITURE], NETWORK) for n in range(2)
    ]
    return records


ORDERS = {
    "as listed": lambda r: r,
    "reversed": lambda r: r[::-1],
    "shuffled": lambda r: random.Random(1).sample(r, len(r)),
    "shuffled again": lambda r: random.Random(2).sample(r, len(r)),
    "network last": lambda r: sorted(r, key=lambda x: "valley" in x["url"]),
}


def test_the_store_is_the_same_in_any_arrival_order(tmp_path: Path) -> None:
    results = {}
    for name, order in ORDERS.items():
        with Store.open(tmp_path / f"{name}.db") as store:
            write(store, order(world()))
            results[name] = (texts(store), stories(store))
    first_texts, first_stories = results["as listed"]
    for name, (found_texts, found_stories) in results.items():
        assert found_texts == first_texts, name
        assert found_stories == first_stories, name
    # And the world was worth the trouble: things were learned and stories joined.
    assert TOOLBAR not in "".join(first_texts.values())
    assert PLEA not in first_texts["https://valley-a.example/news/100"]
    assert any(len(story) == 4 for story in first_stories)


def test_a_failed_write_leaves_no_trace_and_the_next_one_catches_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    records = world()
    with Store.open(tmp_path / "clean.db") as store:
        write(store, records)
        expected = (texts(store), stories(store), counts(store))
    with Store.open(tmp_path / "broken.db") as store:
        writer = ArticleWriter(store)
        real = store.retext
        calls = 0

        def fail_once(*args: Any, **kwargs: Any) -> int:
            nonlocal calls
            calls += 1
            if calls == 3:
                raise OSError("killed while cleaning stored pages again")
            return real(*args, **kwargs)

        monkeypatch.setattr(store, "retext", fail_once)
        failed = None
        for record in records:
            before = counts(store)
            try:
                writer.add(record)
            except OSError:
                failed = record
                # Nothing of that page is in: not the article, not its counts.
                assert record["url"] not in texts(store)
                assert counts(store) == before
        assert failed is not None
        writer.add(failed)  # the page fetched again, as a resumed crawl does
        assert (texts(store), stories(store), counts(store)) == expected


def test_a_page_fetched_again_with_another_text_is_counted_once(store: Store) -> None:
    records = [rec("a.example", n, [*story(n), DISCLAIMER], "main>div.x") for n in range(5)]
    write(store, records)
    assert all(DISCLAIMER not in t for t in texts(store).values())
    # Page 0 drops the disclaimer, then page 1: 3 of 5 pages is under the threshold (4 pages).
    write(store, [rec("a.example", 0, story(0), "main>div.x")])
    write(store, [rec("a.example", 1, story(1), "main>div.x")])
    stored = texts(store)
    assert all(DISCLAIMER in stored[r["url"]] for r in records[2:])
    pages = store.conn.execute(
        "SELECT pages FROM boilerplate_keys WHERE site = 'a.example' AND template = ''"
    ).fetchone()[0]
    assert pages == 5


def test_keys_of_a_page() -> None:
    keys = learning_keys("a.example", "main>div.story")
    assert [(k.site, k.template) for k in keys] == [
        ("a.example", ""),
        ("a.example", "main>div.story"),
        ("", "main>div.story"),
    ]
    # Bare tags are every other site's template too: no network for them.
    assert len(learning_keys("a.example", "table>tr>td")) == 2
    assert learning_keys("", "main>div.story") == []
