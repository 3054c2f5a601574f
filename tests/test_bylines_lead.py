"""A byline written as the article's opening paragraph in bold, and a byline line that is only
the authors' names: read as the authors, and taken out of the text."""

from __future__ import annotations

from crawler.page.extract import extract_article

URL = "https://www.valley-times.example/news/quarry-blasts-anger-villagers"
BODY = [
    "Villagers living near the quarry say that the blasts shake their houses several times a "
    "day and that cracks have appeared in the walls of the school and the clinic.",
    "The company says it follows the rules for blasting and that it has offered to pay for "
    "repairs, but the villagers want the quarry moved further away from their homes.",
    "The chiefs of the area are accused of taking money to ignore the complaints, which "
    "they deny, saying that the quarry brings work to the young people of the valley.",
]


def _page(opening: str) -> str:
    body = "".join(f"<p>{p}</p>" for p in BODY)
    return (
        "<html><head><title>Quarry blasts anger villagers</title></head><body>"
        "<div class='content'><h1>Quarry blasts anger villagers</h1>"
        f"<p><em>…as the chiefs are accused of ignoring them</em></p>{opening}{body}"
        "</div></body></html>"
    )


def test_a_bold_opening_paragraph_is_the_byline() -> None:
    article = extract_article(_page("<p><strong>Thabo Mokoena</strong></p>"), URL, decide=False)
    assert article.authors == ["Thabo Mokoena"]
    assert "Thabo Mokoena" not in article.text


def test_a_byline_of_two_names_leaves_the_text_whole() -> None:
    article = extract_article(
        _page("<p><strong>Thabo Mokoena/Lineo Sekese</strong></p>"), URL, decide=False
    )
    assert article.authors == ["Thabo Mokoena", "Lineo Sekese"]
    assert "Mokoena" not in article.text
    for paragraph in BODY:
        assert paragraph in article.text


def test_bold_words_in_running_text_are_no_byline() -> None:
    opening = (
        "<p><strong>Q</strong>uarry work began in the valley two years ago, and the first "
        "complaints came within weeks of the first blast.</p>"
    )
    article = extract_article(_page(opening), URL, decide=False)
    assert article.authors == []


def test_a_name_in_bold_inside_a_line_is_no_byline() -> None:
    article = extract_article(
        _page("<p>Pictures from <strong>Lineo Sekese</strong></p>"), URL, decide=False
    )
    assert article.authors == []


def test_a_bold_paragraph_after_the_running_text_is_no_byline() -> None:
    body = "".join(f"<p>{p}</p>" for p in BODY)
    html = (
        "<html><head><title>Quarry blasts anger villagers</title></head><body>"
        f"<div class='content'><h1>Quarry blasts anger villagers</h1>{body}"
        "<p><strong>Lineo Sekese</strong></p></div></body></html>"
    )
    assert extract_article(html, URL, decide=False).authors == []
