"""Title, dates and byline of a page, on fixture pages written here, bad input included."""

from __future__ import annotations

import json

import pytest

from crawler.page.bylines import MAX_AUTHORS, clean_name, split_names
from crawler.page.dates import parse_date, url_date
from crawler.page.extract import PageRejected, extract_article
from crawler.page.parse import parse_page
from crawler.page.signals import read_signals
from crawler.page.titles import headline, strip_site_name

URL = "https://www.daily-courier.example/news/ferry-fares-rise"
BODY = " ".join(
    f"Sentence {n} of the ferry story says what the port authority decided about fares and "
    "why the islanders who cross each morning are worried about the cost of the crossing."
    for n in range(8)
)


def page(head: str = "", body: str = "", text: str = BODY, lang: str = "en") -> bytes:
    """An article page: ``head`` in <head>, ``body`` before the story's paragraphs."""
    paragraphs = "".join(f"<p>{s.strip()}.</p>" for s in text.split(".") if s.strip())
    return (
        f"<html lang='{lang}'><head><meta charset='utf-8'>{head}</head><body>"
        "<header class='site-header'><nav><a href='/'>Home</a> <a href='/news'>News</a> "
        "<a href='/login'>Sign In</a></nav></header>"
        f"<main><article>{body}{paragraphs}</article></main></body></html>"
    ).encode()


def ld(*nodes: dict) -> str:
    return "".join(
        f"<script type='application/ld+json'>{json.dumps(node)}</script>" for node in nodes
    )


def signals_of(html: bytes, url: str = URL):
    return read_signals(parse_page(html, url), url)


# ---------------------------------------------------------------- titles


@pytest.mark.parametrize(
    ("raw", "names", "bare"),
    [
        ("Mining blasts shatter homes - Lesotho Times", ["Lesotho Times"], "Mining blasts shatter homes"),
        ("Steigende Zinsen setzen Dax zu | Börsen-Zeitung", ["boersen-zeitung"], "Steigende Zinsen setzen Dax zu"),
        ("Ziele, Chancen, Risiken | DW | 28.04.2023", ["DW"], "Ziele, Chancen, Risiken"),
        ("宮崎県で震度5弱 気象庁：朝日新聞デジタル", ["朝日新聞デジタル"], "宮崎県で震度5弱 気象庁"),
        ("Russia hits Kyiv with missiles, damages schools - National | Globalnews.ca", ["globalnews"],
         "Russia hits Kyiv with missiles, damages schools"),
        ("Seznam Zprávy | Roky v důchodu tráví Češi po doktorech", ["seznamzpravy"],
         "Roky v důchodu tráví Češi po doktorech"),
        ("Le Courrier de Saint-Aubin-sur-Mer - Le port double ses tarifs",
         ["Le Courrier de Saint-Aubin-sur-Mer"], "Le port double ses tarifs"),
        ("장동혁, 한동훈 제명했지만 부담 커졌다-정치ㅣ한국일보", ["한국일보"],
         "장동혁, 한동훈 제명했지만 부담 커졌다"),
        ("The port doubles ferry fares", ["Daily Courier"], "The port doubles ferry fares"),
        ("Daily Courier", ["Daily Courier"], "Daily Courier"),
    ],
)  # fmt: skip
def test_site_name_is_stripped_from_a_title(raw: str, names: list[str], bare: str) -> None:
    assert strip_site_name(raw, names) == bare


def test_visible_headline_is_preferred_to_a_reworded_seo_title() -> None:
    html = page(
        "<title>Ferry fares: everything you need to know in 2025 | Daily Courier</title>"
        "<meta property='og:site_name' content='Daily Courier'>",
        "<h1>Port authority doubles the ferry fares</h1>",
    )
    assert extract_article(html, URL).title == "Port authority doubles the ferry fares"


def test_kicker_in_its_own_span_is_left_out_when_a_meta_title_is_the_headline() -> None:
    html = page(
        "<meta property='og:title' content='Port authority doubles the ferry fares'>",
        "<h1><span class='kicker'>Island transport</span>"
        "<span>Port authority doubles the ferry fares</span></h1>",
    )
    assert headline(signals_of(html), URL) == "Port authority doubles the ferry fares"


def test_kicker_and_headline_in_spans_are_not_glued_into_one_word() -> None:
    html = page(
        "<meta property='og:title' content='Island transport: Port authority doubles the fares'>",
        "<h1><span>Island transport</span><span>Port authority doubles the fares</span></h1>",
    )
    assert headline(signals_of(html), URL) == "Island transport: Port authority doubles the fares"


def test_the_sites_logo_in_an_h1_is_not_the_headline() -> None:
    html = page(
        "<meta property='og:site_name' content='Daily Courier'>"
        "<meta property='og:title' content='Port doubles the fares - Daily Courier'>",
        "<h1>Port doubles the fares</h1>",
    ).replace(b"<nav>", b"<h1 class='logo'>Daily Courier</h1><nav>")
    assert headline(signals_of(html), URL) == "Port doubles the fares"


def test_without_h1_the_meta_title_cut_short_is_not_taken() -> None:
    long_title = "Port authority doubles the ferry fares for every crossing to the islands"
    html = page(
        ld({"@type": "NewsArticle", "headline": long_title[:40]})
        + f"<meta property='og:title' content='{long_title} - Daily Courier'>"
        "<meta property='og:site_name' content='Daily Courier'>"
    )
    assert headline(signals_of(html), URL) == long_title


def test_a_page_with_no_title_at_all_is_still_extracted() -> None:
    article = extract_article(page(), URL)
    assert article.title is None
    assert article.text.startswith("Sentence 0 of the ferry story")


# ---------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("value", "parsed"),
    [
        ("2024-05-02T09:30:00+02:00", "2024-05-02T09:30:00+02:00"),  # as the page states it
        ("2024-08-05T19:49:50Z", "2024-08-05T19:49:50Z"),
        ('"2025-12-17T13:22:47Z"', "2025-12-17T13:22:47Z"),
        ("Mon, 05 Aug 2024 19:49:50 +0000", "2024-08-05T19:49:50+00:00"),
        ("Oct 31, 2025", "2025-10-31"),
        ("Updated: Dec 19, 2025 1:05 pm", "2025-12-19T13:05:00"),
        ("25/03/2025", "2025-03-25"),
        ("02/03/2025", None),  # day and month could be either way round
        ("May 2024", None),  # no day
        ("1899-01-01", None),
        ("2999-01-01", None),
        ("no date here", None),
        (None, None),
    ],
)
def test_parse_date(value: object, parsed: str | None) -> None:
    assert parse_date(value) == parsed


def test_url_date() -> None:
    assert url_date("https://a.example/2024/05/03/story") == "2024-05-03"
    assert url_date("https://a.example/news/20240503-story") == "2024-05-03"
    assert url_date("https://a.example/news/story-12345") is None


def test_ten_dates_the_articles_own_json_ld_wins() -> None:
    related = {
        "@type": "NewsArticle",
        "url": "https://www.daily-courier.example/news/other",
        "headline": "Other story",
        "datePublished": "2025-06-01T08:00:00+02:00",
    }
    own = {
        "@type": "NewsArticle",
        "url": URL,
        "headline": "Port doubles the fares",
        "datePublished": "2025-05-02T09:30:00+02:00",
        "dateModified": "2025-05-03T10:00:00+02:00",
    }
    teasers = "".join(
        f"<aside><a href='/news/{n}'>Story {n}</a><time datetime='2025-06-{n + 10:02d}'>June</time></aside>"
        for n in range(6)
    )
    html = page(
        ld(related, own)
        + "<meta property='article:published_time' content='2025-05-03T10:00:00+02:00'>"
        "<meta property='og:updated_time' content='2025-05-04T00:00:00+02:00'>",
        "<h1>Port doubles the fares</h1><time datetime='2025-05-03'>3 May</time>",
    ).replace(b"</main>", teasers.encode() + b"</main>")
    article = extract_article(html, URL)
    assert article.published == "2025-05-02T09:30:00+02:00"
    assert article.modified == "2025-05-03T10:00:00+02:00"
    assert article.date_source == "jsonld"


@pytest.mark.parametrize(
    ("head", "body", "url", "published", "source"),
    [
        ("<meta property='article:published_time' content='2025-05-02T09:30:00Z'>", "", URL,
         "2025-05-02T09:30:00Z", "meta"),
        ("", "<p class='meta'><span itemprop='datePublished' content='2025-05-02'>2 May</span></p>",
         URL, "2025-05-02", "time"),
        ("", "<div class='byline'><time datetime='2025-05-02T09:30'>2 May 2025</time></div>", URL,
         "2025-05-02T09:30", "time"),
        ("", "<p><time datetime='2025-04-30'>Seen 30 April</time> <span itemprop='datePublished' "
         "content='2025-05-02'>2 May</span></p>", URL, "2025-05-02", "time"),
        ("", "", "https://www.daily-courier.example/2025/05/02/ferry-fares-rise", "2025-05-02",
         "url"),
    ],
)  # fmt: skip
def test_date_source_says_where_the_date_came_from(
    head: str, body: str, url: str, published: str, source: str
) -> None:
    article = extract_article(page(head, body), url)
    assert (article.published, article.date_source) == (published, source)


def test_an_updated_time_in_the_article_is_not_its_publication() -> None:
    html = page(
        "",
        "<div class='byline'><time class='updated' datetime='2025-06-01'>Updated 1 June</time>"
        "<time datetime='2025-05-02'>2 May 2025</time></div>",
    )
    article = extract_article(html, URL)
    assert (article.published, article.modified) == ("2025-05-02", "2025-06-01")


# ---------------------------------------------------------------- authors


@pytest.mark.parametrize(
    ("raw", "names"),
    [
        ("By Jane Roe and John Doe", ["Jane Roe", "John Doe"]),
        ("By Jane Roe, Senior reporter", ["Jane Roe"]),
        ("Jane Roe Tech Reporter", ["Jane Roe"]),
        ("Von Anna Müller und Jan Berger", ["Anna Müller", "Jan Berger"]),
        ("Texte: Marie Curie et Pierre Martin", ["Marie Curie", "Pierre Martin"]),
        ("05.06.2025 um 14:46 von Anne-Marie Slaughter", ["Anne-Marie Slaughter"]),
        ("Updated January 8, 2026 Written by Meghan Roe Content Marketing Coordinator",
         ["Meghan Roe"]),
        ("Shelby Loos, DVM Reviewed by Molly Price", ["Shelby Loos", "DVM"]),
        ("Ursula von der Leyen", ["Ursula von der Leyen"]),
        ("홍길동 기자", ["홍길동"]),
        ("Sign In", []),
        ("Senior Autos Reporter", []),
        ("Updated January", []),
        ("Written By", []),
    ],
)  # fmt: skip
def test_byline_strings_give_person_names(raw: str, names: list[str]) -> None:
    assert [n for n in (clean_name(p) for p in split_names(raw)) if n] == names


def test_json_ld_people_and_the_agency_apart() -> None:
    html = page(
        ld(
            {
                "@type": "NewsArticle",
                "url": URL,
                "headline": "Port doubles the fares",
                "author": [
                    {"@type": "Person", "name": "Jane Roe"},
                    {"@type": "Organization", "name": "Daily Courier"},
                    {"@type": "Person", "name": "Associated Press"},
                    {"@type": "Person", "name": "Jane Roe"},
                ],
            }
        )  # fmt: skip
        + "<meta property='og:site_name' content='Daily Courier'>"
        "<meta name='author' content='Daily Courier Staff'>"
    )
    article = extract_article(html, URL)
    assert article.authors == ["Jane Roe"]
    assert article.agency == "Associated Press"


def test_byline_element_when_the_markup_names_nobody() -> None:
    html = page(
        "<meta property='og:site_name' content='Daily Courier'>",
        "<h1>Port doubles the fares</h1><div class='article-byline'>By "
        "<a href='/staff/jane-roe'>Jane Roe</a> and <a href='/staff/john-doe'>John Doe</a>, "
        "Political correspondents</div>",
    )
    assert extract_article(html, URL).authors == ["Jane Roe", "John Doe"]


def test_an_author_meta_tag_naming_the_first_author_alone_is_completed_by_the_byline() -> None:
    html = page(
        "<meta name='author' content='Jane Roe'>",
        "<h1>Port doubles the fares</h1><div class='article-byline' itemprop='author'>By "
        "<a href='/staff/jane-roe'>Jane Roe</a> and <a href='/staff/john-doe'>John Doe</a></div>",
    )
    assert extract_article(html, URL).authors == ["Jane Roe", "John Doe"]


def test_a_copy_served_elsewhere_takes_the_site_name_from_its_canonical_address() -> None:
    html = page(
        "<title>Port doubles the fares - Dailycourier</title>"
        "<link rel='canonical' href='https://www.dailycourier.example/news/ferry-fares-rise'>"
    )
    mirror = "https://archive.mirror.example/saved/ferry.html"
    assert extract_article(html, mirror).title == "Port doubles the fares"


def test_the_publishers_own_credit_is_nobodys_name_but_a_personal_site_is_its_author() -> None:
    courier = page(
        "<meta property='og:site_name' content='Daily Courier'>"
        "<meta name='author' content='Daily Courier'>"
    )
    assert extract_article(courier, URL).authors == []
    url = "https://janeroe.example/2025/05/ferry-fares"
    personal = page(
        "<meta property='og:site_name' content='Jane Roe'><meta name='author' content='Jane Roe'>"
    )
    assert extract_article(personal, url).authors == ["Jane Roe"]


def test_agency_copy_from_the_opening_dateline() -> None:
    text = "HAMBURG (dpa) - " + BODY
    article = extract_article(page(text=text), URL)
    assert (article.authors, article.agency) == ([], "dpa")


def _person(first: str, n: int) -> dict:
    """A Person with a name of letters only (digits are no part of a name): "Anna Abc"."""
    return {
        "@type": "Person",
        "name": f"{first} {''.join(chr(97 + int(d)) for d in f'{n:03d}').title()}",
    }


def test_fifty_authors_are_kept_and_a_longer_list_is_capped() -> None:
    people = [_person("Anna", n) for n in range(50)]
    names = [p["name"] for p in people]
    html = page(ld({"@type": "NewsArticle", "url": URL, "author": people}))
    assert extract_article(html, URL).authors == names
    many = people * 2 + [_person("Jan", n) for n in range(120)]  # repeats, then 120 more
    html = page(ld({"@type": "NewsArticle", "url": URL, "author": many}))
    authors = extract_article(html, URL).authors
    assert len(authors) == MAX_AUTHORS and authors[:50] == names


# ---------------------------------------------------------------- captions, bad input


def test_a_caption_longer_than_the_article_never_crashes() -> None:
    caption = " ".join(f"word{n}" for n in range(400))
    html = page(
        "<title>Port doubles the fares</title>",
        f"<figure><img src='/a.jpg' alt=''><figcaption>{caption}</figcaption></figure>",
        text="The port doubles the fares. The islanders are worried.",
    )
    try:
        article = extract_article(html, URL)
    except PageRejected as err:
        assert err.reason == "too_short"
    else:
        assert article.title == "Port doubles the fares"
    article = extract_article(html, URL, decide=False)
    assert "The port doubles the fares" in article.text


def test_odd_metadata_values_never_crash() -> None:
    html = page(
        ld(
            {
                "@type": "NewsArticle",
                "url": URL,
                "headline": ["a", "list"],
                "author": 42,
                "datePublished": {"@value": "2025"},
                "dateModified": "garbage",
            },
            {"@type": ["NewsArticle", "Thing"], "author": {"name": None}},
        )  # fmt: skip
        + "<meta name='author' content='https://example.org/author/jane'>"
        "<meta property='article:published_time' content='yesterday'>"
    )
    article = extract_article(html, URL)
    assert article.authors == [] and article.modified is None


def test_site_name_from_the_page_title_and_its_masthead_line_out_of_the_text() -> None:
    url = "https://news.le-courrier-de-saint.example/stories/port.html"
    html = page(
        "<title>Le Courrier de Saint-Aubin-sur-Mer - Le port double ses tarifs</title>",
        "<p>Le Courrier de Saint-Aubin-sur-Mer Le quotidien de la région</p>",
    )
    article = extract_article(html, url)
    assert article.title == "Le port double ses tarifs"
    assert article.site_name == "Le Courrier de Saint-Aubin-sur-Mer"
    assert "quotidien" not in article.text
