"""Titles: a kicker in an element of its own is left off a short headline, and the site's
name is taken off the meta title whichever name the page gives it."""

from __future__ import annotations

import json

import pytest

from crawler.page.extract import extract_article

URL = "https://www.harbour-post.example/stories/klatch-ferries"
BODY = "".join(
    f"<p>Paragraph {n} of the story tells how a small ferry company chose the software it runs "
    "its bookings on and what it learnt from the first busy summer on the new system.</p>"
    for n in range(8)
)


def page(head: str, h1: str = "") -> bytes:
    return (
        f"<html lang='en'><head><meta charset='utf-8'>{head}</head><body>"
        f"<main><article>{h1}{BODY}</article></main></body></html>"
    ).encode()


def title(html: bytes) -> str | None:
    return extract_article(html, URL, decide=False).title


def test_a_kicker_in_its_own_element_is_left_off_a_two_word_headline() -> None:
    head = "<title>Klatch Ferries | Harbour Post</title>"
    h1 = "<h1><div class='eyebrow'>Get that tech stack</div><span>Klatch Ferries</span></h1>"
    assert title(page(head, h1)) == "Klatch Ferries"


def test_two_words_after_a_colon_are_no_headline_of_their_own() -> None:
    head = "<title>Ferries | Harbour Post</title>"
    h1 = "<h1>Why the island ferries run late: Klatch Ferries</h1>"
    assert title(page(head, h1)) == "Why the island ferries run late: Klatch Ferries"


@pytest.mark.parametrize(
    "head",
    [
        "<meta property='og:site_name' content='The Harbour Post'>"
        "<title>Ferry bookings move online - The Harbour Post</title>",
        "<title>Ferry bookings move online | harbour-post.example</title>",
        "<script type='application/ld+json'>"
        + json.dumps(
            {"@type": "NewsArticle", "url": URL, "publisher": {"name": "Harbour Post Media"}}
        )
        + "</script><title>Ferry bookings move online | Harbour Post Media</title>",
    ],
)
def test_the_site_name_is_taken_off_the_title_without_an_h1(head: str) -> None:
    assert title(page(head)) == "Ferry bookings move online"
