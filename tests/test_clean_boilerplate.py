"""Per-site boilerplate: a shared disclaimer goes, a quote two stories carry stays."""

from __future__ import annotations

from crawler.page.cleaning.boilerplate import (
    MemoryBoilerplateStore,
    SiteBoilerplate,
    is_boilerplate,
    segment_hash,
)

DISCLAIMER = (
    "The views expressed in this article are those of the author and do not necessarily "
    "reflect the editorial policy of the Daily Courier, which accepts no liability for them."
)
QUOTE = (
    "“We will not rest until every family on the coast has a safe home again,” the mayor "
    "said at a press conference on Monday morning in front of the town hall."
)
COMMON = "The company did not respond to a request for comment."


def page(n: int, *extra: str) -> str:
    body = [
        f"Story number {n} begins with its own opening paragraph about topic {n}.",
        f"Its second paragraph, also its own, gives the details of event {n}: who was there, "
        f"what they said, and why the council meeting on day {n} ran late into the night.",
        *extra,
        f"It ends with a closing paragraph that only story {n} has, number {n * 7}.",
    ]
    return "\n".join(body)


def test_shared_disclaimer_is_learned_and_removed() -> None:
    learner = SiteBoilerplate(MemoryBoilerplateStore())
    outputs = [
        learner.learn_and_strip(
            "courier.example", f"https://courier.example/{n}", page(n, DISCLAIMER)
        )
        for n in range(6)
    ]
    # The first pages keep it (not enough evidence yet); later ones lose it.
    assert DISCLAIMER in outputs[0]
    assert all(DISCLAIMER not in text for text in outputs[3:])
    assert all(f"Story number {n}" in text for n, text in enumerate(outputs))


def test_quote_in_two_stories_and_a_common_sentence_stay() -> None:
    learner = SiteBoilerplate(MemoryBoilerplateStore())
    for n in range(20):
        extra = [COMMON] if n % 4 == 0 else []
        if n in (5, 6):
            extra.append(QUOTE)
        learner.learn("courier.example", f"https://courier.example/{n}", page(n, *extra))
    text = page(99, QUOTE, COMMON)
    assert learner.strip("courier.example", text) == text


def test_sites_are_separate_and_pages_count_once() -> None:
    store = MemoryBoilerplateStore()
    learner = SiteBoilerplate(store)
    for n in range(5):
        assert learner.learn("a.example", f"https://a.example/{n}", page(n, DISCLAIMER))
    assert not learner.learn("a.example", "https://a.example/0", page(0, DISCLAIMER))
    assert store.site_pages("a.example") == 5
    other = page(1, DISCLAIMER)
    assert learner.strip("b.example", other) == other


def test_page_that_would_be_gutted_is_kept() -> None:
    learner = SiteBoilerplate(MemoryBoilerplateStore())
    for n in range(5):
        learner.learn("a.example", f"https://a.example/{n}", DISCLAIMER + "\n" + QUOTE)
    text = DISCLAIMER + "\n" + QUOTE + "\nShort own line here."
    assert learner.strip("a.example", text) == text


def test_thresholds_and_hash() -> None:
    assert not is_boilerplate(words=40, pages=3, site_pages=2)
    assert is_boilerplate(words=40, pages=4, site_pages=10)
    assert not is_boilerplate(words=40, pages=3, site_pages=10)  # a quote in three follow-ups
    assert not is_boilerplate(words=40, pages=4, site_pages=100)
    assert not is_boilerplate(words=10, pages=4, site_pages=10)
    assert is_boilerplate(words=10, pages=8, site_pages=10)
    assert segment_hash("Hello, World!") == segment_hash("hello world")
    assert -(2**63) <= segment_hash("x y z") < 2**63
