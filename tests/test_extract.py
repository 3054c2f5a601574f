"""Extraction of saved fixture pages: body, metadata, captions and rejections."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.page.extract import MIN_ARTICLE_WORDS, Article, PageRejected, extract_article

PAGES = Path(__file__).parent / "fixtures" / "pages"
DAWN_URL = "https://www.dawn.com/news/1915551/dar-urges-modernisation-and-unity-in-un-peacekeeping"
COURIER_URL = (
    "https://www.daily-courier.example/news/2025/06/harbour-bridge-reopens-after-two-year-repair"
)
DAWN_CAPTION = "Foreign Minister Ishaq Dar chairing a meeting in this undated picture. — APP/Files"


def page(name: str) -> bytes:
    return (PAGES / name).read_bytes()


@pytest.fixture(scope="module")
def dawn() -> Article:
    return extract_article(page("dawn_style.html"), DAWN_URL + "?utm_source=twitter#comments")


@pytest.fixture(scope="module")
def courier() -> Article:
    return extract_article(page("courier_jsonld.html"), COURIER_URL.replace("/news/", "/amp/news/"))


def test_seed_body_starts_and_ends_where_the_readme_says(dawn: Article) -> None:
    lines = dawn.text.split("\n")
    assert lines[0].startswith("ISLAMABAD: Foreign Minister Ishaq Dar on Wednesday called for")
    assert lines[-1].endswith("scheduled for Berlin later this year.")
    assert len(lines) == 12


def test_seed_caption_title_and_related_block_are_not_in_the_body(dawn: Article) -> None:
    assert dawn.captions == [DAWN_CAPTION]
    assert "undated picture" not in dawn.text
    assert "APP/Files" not in dawn.text
    assert dawn.title == "Dar urges modernisation and unity in UN peacekeeping"
    assert dawn.title not in dawn.text
    for junk in ("Related News", "Read More", "blue helmets", "Comments", "Great initiative"):
        assert junk not in dawn.text


def test_seed_metadata(dawn: Article) -> None:
    assert dawn.url == DAWN_URL
    assert dawn.authors == ["Tahir Khan"]
    assert dawn.published == "2025-04-16T22:31:05+05:00"
    assert dawn.modified == "2025-04-17T09:02:11+05:00"
    assert dawn.language == "en"
    assert dawn.site_name == "DAWN.COM"
    assert dawn.tags == ["Peacekeeping", "United Nations"]
    assert dawn.image == "https://images.dawn.com/large/2025/04/dar-meeting.jpg"
    assert dawn.page_type == "article"
    assert dawn.description and dawn.description.startswith("FM calls")


def test_json_ld_metadata_and_amp_canonical(courier: Article) -> None:
    # The AMP copy points rel=canonical at the main page; og:url on another site is ignored.
    assert courier.url == COURIER_URL
    assert courier.page_type == "NewsArticle"
    assert courier.authors == ["Maria Ortega", "Sam Lee"]
    assert courier.published == "2025-06-03T07:15:00Z"
    assert courier.modified == "2025-06-03T11:40:00Z"
    assert courier.tags == ["Transport", "Harbour"]
    assert courier.language == "en"
    assert courier.site_name == "The Daily Courier"


def test_courier_body_is_only_the_story(courier: Article) -> None:
    lines = courier.text.split("\n")
    assert lines[0].startswith("The harbour bridge reopened to traffic on Tuesday")
    assert lines[-1].startswith("Local shop owners on the bridge approach")
    assert len(lines) == 5
    assert len(set(lines)) == len(lines)
    for junk in (
        "Read more",
        "ALSO READ",
        "Ferry fares rise",
        "Advertisement",
        "Story continues",
        "You may also like",
        "Tram line",
        "newsletter",
        "Most read",
        "By Maria",
        "June 3, 2025",
        "Cars cross",
        "Share on",
    ):
        assert junk not in courier.text
    assert courier.captions[0].startswith("Cars cross the reopened harbour bridge")


def test_german_related_blocks_byline_and_date_line() -> None:
    url = "https://nordstadt-tageblatt.example/lokales/stadtrat-beschliesst-neues-radwegenetz-101.html"
    article = extract_article(page("tageblatt_de.html"), url)
    lines = article.text.split("\n")
    assert lines[0].startswith("Der Stadtrat hat am Dienstagabend")
    assert lines[-1].startswith("Mit dem Bau des ersten Abschnitts")
    assert len(lines) == 4
    for junk in ("Lesen Sie auch", "Parkgebühren", "Mehr zum Thema", "Anzeige", "Von Jonas"):
        assert junk not in article.text
    assert "Veröffentlicht" not in article.text
    assert article.language == "de"
    assert article.published == "2025-03-12T08:00:00+01:00"


def test_body_split_into_chunks_is_read_to_the_end() -> None:
    # The template cuts the story into two containers with an ad between them; trafilatura
    # keeps the first. A teaser card and a comment that reuse the chunk's markup stay out.
    url = "https://www.daily-courier.example/news/2025/06/ferry-timetable-to-change-in-spring"
    lines = extract_article(page("split_body.html"), url).text.split("\n")
    assert lines[0].startswith("The harbour authority said on Monday")
    assert lines[4].startswith("Engineers expect the new pier")
    assert lines[-1].startswith("The total cost of the pier")
    assert len(lines) == 8
    text = "\n".join(lines)
    for junk in ("keeper's cottage", "I have taken that late ferry", "Advertisement", "Watch:"):
        assert junk not in text


@pytest.mark.parametrize(
    ("name", "url", "reason", "why"),
    [
        ("tag_page.html", "https://www.dawn.com/tag/peacekeeping/", "not_article", "a /tag/ page"),
        (
            "tag_page.html",
            "https://www.dawn.com/author/tahir-khan",
            "not_article",
            "a /author/ page",
        ),
        ("dawn_style.html", "https://www.dawn.com/about", "not_article", "a /about/ page"),
        ("dawn_style.html", "https://www.dawn.com/", "not_article", "the site's home page"),
        (
            "section_page.html",
            "https://www.daily-courier.example/world/",
            "not_article",
            "a section page",
        ),
        (
            "short_page.html",
            "https://www.daily-courier.example/video/bridge",
            "too_short",
            f"has 10 words of text, fewer than {MIN_ARTICLE_WORDS}",
        ),
    ],
)
def test_non_articles_are_rejected_with_a_reason(
    name: str, url: str, reason: str, why: str
) -> None:
    with pytest.raises(PageRejected) as caught:
        extract_article(page(name), url)
    assert caught.value.reason == reason
    # The detail names the page and says what it is.
    assert caught.value.detail.startswith(f"{url} "), caught.value.detail
    assert why in caught.value.detail


def test_category_path_with_a_story_slug_is_still_an_article() -> None:
    url = "https://www.dawn.com/category/world/dar-urges-modernisation-and-unity-in-un-peacekeeping"
    assert extract_article(page("dawn_style.html"), url).text.startswith("ISLAMABAD")


def test_json_ld_collection_page_is_not_an_article() -> None:
    html = (
        page("dawn_style.html")
        .replace(
            b"<head>",
            b'<head><script type="application/ld+json">{"@type": "CollectionPage"}</script>',
        )
        .replace(b'content="article"', b'content="website"')
    )
    with pytest.raises(PageRejected) as caught:
        extract_article(html, DAWN_URL)
    assert caught.value.reason == "not_article"


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"", "empty"),
        (b"   \n", "empty"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "not_html"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not_html"),
    ],
)
def test_bad_bodies(body: bytes, reason: str) -> None:
    with pytest.raises(PageRejected) as caught:
        extract_article(body, "https://www.daily-courier.example/file")
    assert caught.value.reason == reason


def test_str_input_gives_the_same_article() -> None:
    article = extract_article(page("dawn_style.html").decode("utf-8"), DAWN_URL)
    assert article.text.startswith("ISLAMABAD")
    assert article == extract_article(page("dawn_style.html"), DAWN_URL)


def test_the_shortest_article_has_min_article_words() -> None:
    url = "https://www.daily-courier.example/news/2025/03/10/short-notice"

    def notice(words: int) -> str:
        text = " ".join(f"word{i}" for i in range(words))
        return (
            '<html><head><title>Notice</title><meta property="og:type" content="article">'
            f"</head><body><article><h1>Notice</h1><p>{text}.</p></article></body></html>"
        )

    assert len(extract_article(notice(MIN_ARTICLE_WORDS), url).text.split()) == MIN_ARTICLE_WORDS
    with pytest.raises(PageRejected) as caught:
        extract_article(notice(MIN_ARTICLE_WORDS - 1), url)
    assert caught.value.reason == "too_short"


def test_rejection_message_carries_reason_and_detail() -> None:
    err = PageRejected("too_short", "https://x.example/a has 3 words")
    assert err.reason == "too_short"
    assert err.detail.endswith("3 words")
    assert str(err) == "too_short: https://x.example/a has 3 words"


@pytest.mark.parametrize(
    "url",
    [
        "https://www.dawn.com/?p=1915551",
        "https://www.dawn.com/archive/1915551",
        "https://www.dawn.com/news/dar-urges-modernisation",
    ],
)
def test_article_urls_that_resemble_listings_are_kept(url: str) -> None:
    assert extract_article(page("dawn_style.html"), url).text.startswith("ISLAMABAD")


def test_standfirst_left_out_by_the_extractor_opens_the_text() -> None:
    lead = "The council approved the tram line on Tuesday after a debate that lasted six hours."
    body = "".join(
        f"<p>Paragraph {n} of the story tells what the councillors said about the tram line, "
        f"the cost of the works and the streets that will close while it is built.</p>"
        for n in range(8)
    )
    html = (
        "<html><head><title>Council approves tram line</title>"
        f'<meta property="og:description" content="{lead}">'
        '<meta property="og:type" content="article"></head><body>'
        "<article><header><h1>Council approves tram line</h1>"
        f'<div class="standfirst"><span>{lead}</span></div></header>'
        f'<div class="story"><div class="body">{body}</div></div></article></body></html>'
    )
    text = extract_article(html, "https://news.example.com/2024/05/council-approves-tram").text
    assert text.count("six hours") == 1
    assert text.split("\n")[0] == lead


def _dated_page(head: str, byline: str) -> bytes:
    paragraphs = "".join(
        f"<p>The harbour council met again on Tuesday to discuss the ferry timetable, item {i}, "
        "and heard from commuters who want earlier departures on weekdays.</p>"
        for i in range(6)
    )
    return (
        f"<html lang='en'><head><title>Ferry timetable debate continues</title>{head}</head>"
        f"<body><article><h1>Ferry timetable debate continues</h1>{byline}{paragraphs}"
        "</article></body></html>"
    ).encode()


def test_page_metadata_comes_first_and_the_date_search_runs_only_without_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import crawler.page.metadata

    searched: list[str] = []
    real_find_date = crawler.page.metadata.find_date

    def find_date(tree: object, **params: object) -> str | None:
        searched.append(str(params["url"]))
        return real_find_date(tree, **params)

    monkeypatch.setattr(crawler.page.metadata, "find_date", find_date)
    dated = extract_article(
        _dated_page('<meta property="article:published_time" content="2025-05-02T09:30:00Z">', ""),
        "https://www.daily-courier.example/news/ferry-timetable-debate",
    )
    assert dated.published == "2025-05-02T09:30:00Z"
    assert searched == []

    url = "https://www.daily-courier.example/news/2025/05/03/ferry-timetable-debate"
    undated = extract_article(_dated_page("", "<p>By Jane Harbour</p>"), url)
    assert searched == [url]  # htmldate reads the date in the path of the URL fetched
    assert undated.published == "2025-05-03"
