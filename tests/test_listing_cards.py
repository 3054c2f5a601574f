"""Listing pages told by structure: an intro over a run of teaser cards, at no story's address."""

from __future__ import annotations

import pytest

from crawler.page.classify import address_shape, reject_off_pattern
from crawler.page.extract import PageRejected, extract_article

SITE = "https://www.lakeside-gazette.example"
HEADLINES = (
    "Ferry timetable changes again for the summer season",
    "Council approves the new harbour wall after long debate",
    "Fishermen protest against the quota cut at the quay",
    "Lakeside school opens a second sports hall next spring",
)
SECTIONS = ("local", "opinion", "culture", "world", "business", "science", "sport")
INTRO = (
    "Everything about the world from the Lakeside Gazette: reports, analysis and opinion from "
    "our journalists, updated all day long."
)
BRIEF = (
    "The ferry between Lakeside and the island stopped running on Tuesday morning after a "
    "crack was found in the hull of the only boat of the line. The operator said a replacement "
    "would sail from Friday and that tickets bought for the coming days stay valid. Passengers "
    "were asked to take the bus over the bridge until then, which adds about forty minutes."
)
NEWS_ARTICLE_LD = (
    '<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle",'
    f'"headline":"{HEADLINES[0]}","datePublished":"2025-03-13T13:50:00+01:00"}}</script>'
)


def page(own: str, cards: int = 3, head: str = "") -> bytes:
    items = "".join(
        f"<article class='card'><h2><a href='/news/2025/03/{'-'.join(h.lower().split())}'>{h}"
        f"</a></h2><time datetime='2025-03-1{n}'>1{n} March 2025</time></article>"
        for n, h in enumerate(HEADLINES[:cards])
    )
    return (
        f"<html><head><title>World</title>{head}</head><body><main><h1>World</h1>{own}"
        f"<div class='cards'>{items}</div></main></body></html>"
    ).encode()


def test_a_section_page_of_an_intro_and_three_cards_is_a_listing() -> None:
    with pytest.raises(PageRejected) as caught:
        extract_article(page(f"<p>{INTRO}</p>"), f"{SITE}/world.htm")
    assert (caught.value.reason, caught.value.page_type) == ("not_article", "listing")
    assert "3 teasers" in caught.value.detail


def test_a_listing_that_declares_itself_a_news_article_is_still_a_listing() -> None:
    with pytest.raises(PageRejected) as caught:
        extract_article(page(f"<p>{INTRO}</p>", head=NEWS_ARTICLE_LD), f"{SITE}/world/")
    assert caught.value.page_type == "listing" and "teasers" in caught.value.detail


def test_an_author_page_whose_cards_are_most_of_it_is_a_listing() -> None:
    # Cards with excerpts outweigh the bio: the tree pass keeps them as the page's text.
    bio = "<p>Jane Doe covers the harbour and the council for the Lakeside Gazette.</p>"
    html = page(bio, cards=4).replace(b"</time>", b"</time><p>" + INTRO.encode() + b"</p>")
    with pytest.raises(PageRejected) as caught:
        extract_article(html, f"{SITE}/writers/jane-doe")
    assert caught.value.page_type == "listing" and "teasers" in caught.value.detail


def test_a_brief_at_a_story_address_keeps_its_related_cards_out_and_is_stored() -> None:
    url = f"{SITE}/news/2025/03/ferry-stops-after-crack-found-in-hull"
    article = extract_article(page(f"<p>{BRIEF}</p>", head=NEWS_ARTICLE_LD), url)
    assert article.text == BRIEF


def test_a_page_with_a_body_of_its_own_is_stored_at_any_address() -> None:
    more = BRIEF.replace("ferry", "boat").replace("Tuesday", "Monday")
    article = extract_article(page(f"<p>{BRIEF}</p><p>{more}</p>", cards=4), f"{SITE}/ferry")
    assert article.text == f"{BRIEF}\n{more}"


def test_two_cards_under_an_intro_are_left_to_the_other_rules() -> None:
    # Fewer than three cards is no run of teasers; the page is judged as before.
    try:
        extract_article(page(f"<p>{INTRO} {BRIEF}</p>", cards=2), f"{SITE}/world.htm")
    except PageRejected as rejected:
        assert "teasers with" not in rejected.detail


@pytest.mark.parametrize(
    ("path", "cards"),
    [
        ("/economy/index.html", 1),  # a section page of the site's old template
        ("/world.htm", 2),
        ("/topics/harbour-wall-repair-plans", 1),  # a tag whose slug reads as a story's
    ],
)
def test_an_intro_over_one_or_two_cards_at_an_address_unlike_the_stories_is_a_listing(
    path: str, cards: int
) -> None:
    with pytest.raises(PageRejected) as caught:
        extract_article(page(f"<p>{INTRO}</p>", cards=cards), f"{SITE}{path}")
    assert caught.value.page_type == "listing" and "shaped unlike" in caught.value.detail


@pytest.mark.parametrize("cards", [1, 2])
def test_a_brief_shaped_like_the_stories_it_links_to_is_stored(cards: int) -> None:
    url = f"{SITE}/news/2025/03/ferry-stops-after-crack-found-in-hull"
    assert extract_article(page(f"<p>{BRIEF}</p>", cards=cards), url).text == BRIEF


def test_address_shapes_read_segments_not_words() -> None:
    assert address_shape("https://x.example/archiv/2025/11552.html") == (
        "word",
        "year",
        "number.html",
    )
    # Sections differ from story to story; the shape does not.
    assert address_shape(f"{SITE}/sport/2025/03/a-long-story-slug") == address_shape(
        f"{SITE}/news/2025/03/another-story-slug/"
    )
    assert address_shape(f"{SITE}/politics/a-story-slug-52811") != address_shape(
        f"{SITE}/topics/harbour-wall"
    )
    assert address_shape(f"{SITE}/?p=3289") == ("?p",)
    assert address_shape(f"{SITE}/news/2025/03/a-story?utm_source=rss") == address_shape(
        f"{SITE}/news/2025/03/another-story"
    )


def test_a_layout_table_listing_whose_menus_stay_in_its_text_is_a_listing() -> None:
    # An old table layout: the cards go, the menus and footer stay in the table's text and make
    # it long; what the page says outside links is its intro and a publisher's line.
    menu = " | ".join(f"<a href='/{w}/index.html'>{w.title()}</a>" for w in SECTIONS)
    side = "<br>".join(f"<a href='/{w}/index.html'>{w.title()}</a>" for w in SECTIONS)
    people = " | ".join(f"<a href='/people/{w}.htm'>{w.title()} Doe</a>" for w in SECTIONS)
    cards = "".join(
        f"<div class='headline'><h2><a href='/archiv/2025/{n}1234.html'>{h}</a></h2></div>"
        for n, h in enumerate(HEADLINES)
    )
    html = (
        "<html><head><title>Topic: Harbour</title></head><body><table width='100%'>"
        "<tr><td colspan='2'><font size='5'><b>The Lakeside Gazette</b></font><br>"
        "<font size='1'>Independent news since 1924</font></td></tr>"
        f"<tr><td colspan='2'><font size='1'>{menu}</font></td></tr>"
        f"<tr><td width='150'><font size='1'>{side}</font></td><td class='main'>"
        f"<h1>Topic: Harbour</h1><p class='intro'>{INTRO}</p><div>{cards}</div></td></tr>"
        f"<tr><td colspan='2'><hr><font size='1'>{people}<br>{menu}<br>The Lakeside Gazette "
        "is a member of the press standards organisation.<br>The Lakeside Gazette is published "
        "by Lakeside Media Ltd, registered in England.</font></td></tr></table></body></html>"
    ).encode()
    url = f"{SITE}/keyword.asp?k=harbour"
    assert len(extract_article(html, url, decide=False).text.split()) > 80
    with pytest.raises(PageRejected) as caught:
        extract_article(html, url)
    assert caught.value.page_type == "listing" and "teasers with" in caught.value.detail


def test_a_story_link_no_address_can_be_made_of_is_passed_over() -> None:
    links = ["http://x.example:8o8o/2025/03/a-long-story-slug", f"{SITE}/sport/2025/03/other-story"]
    reject_off_pattern(f"{SITE}/news/2025/03/a-short-brief", ["A brief of ten words."], links, 0)
