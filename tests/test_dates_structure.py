"""Publication dates: a JSON-LD date that is a template's stamp gives way to the page's other
dates, a UTC time takes the page's own time zone, and a date stamped on the page title counts."""

from __future__ import annotations

import json

from harbour import FERRY_BODY as BODY
from harbour import FERRY_URL as URL

from crawler.page.extract import extract_article


def page(head: str = "", header: str = "", title: str = "Ferry timetable changes") -> bytes:
    return (
        f"<html lang='en'><head><meta charset='utf-8'><title>{title}</title>{head}</head><body>"
        f"<main><article><header><h1>Ferry timetable changes</h1>{header}</header>{BODY}"
        "</article></main></body></html>"
    ).encode()


def ld(node: dict) -> str:
    node = {"@type": "BlogPosting", "url": URL, "headline": "Ferry timetable changes", **node}
    return f"<script type='application/ld+json'>{json.dumps(node)}</script>"


def dated(html: bytes) -> tuple[str | None, str | None]:
    article = extract_article(html, URL, decide=False)
    return article.published, article.date_source


def test_one_human_date_in_both_json_ld_fields_gives_way_to_the_article_header() -> None:
    head = ld({"datePublished": "Jun 24, 2025", "dateModified": "Jun 24, 2025"})
    header = "<div class='post-date'><time datetime='2024-08-25'>August 25, 2024</time></div>"
    assert dated(page(head, header)) == ("2024-08-25", "time")


def test_json_ld_updated_before_it_was_published_gives_way() -> None:
    head = ld({"datePublished": "2025-08-21T10:00:00Z", "dateModified": "2025-08-20T09:00:00Z"})
    header = "<time datetime='2023-04-26'>Apr 26, 2023</time>"
    assert dated(page(head, header)) == ("2023-04-26", "time")


def test_json_ld_dates_are_kept_when_they_are_all_there_is() -> None:
    head = ld({"datePublished": "Jun 24, 2025", "dateModified": "Jun 24, 2025"})
    assert dated(page(head))[0] == "2025-06-24"


def test_human_dates_that_differ_are_the_articles() -> None:
    head = ld({"datePublished": "August 11, 2019", "dateModified": "Nov 21, 2025"})
    header = "<time datetime='2025-11-21'>Updated Nov 21, 2025</time>"
    assert dated(page(head, header)) == ("2019-08-11", "jsonld")


def test_a_utc_time_takes_the_pages_time_zone() -> None:
    head = "<meta property='article:published_time' content='2025-12-19T03:05:00+00:00'>"
    header = "<time datetime='2025-12-18T19:05:00-08:00'>December 18, 2025</time>"
    assert dated(page(head, header)) == ("2025-12-18T19:05:00-08:00", "meta")


def test_a_utc_time_of_another_moment_is_kept() -> None:
    head = "<meta property='article:published_time' content='2025-12-19T03:05:00Z'>"
    header = "<time datetime='2025-12-17T19:05:00-08:00'>December 17, 2025</time>"
    assert dated(page(head, header)) == ("2025-12-19T03:05:00Z", "meta")


def test_a_date_stamped_on_the_page_title() -> None:
    title = "Ferry timetable changes | Islands | Harbour Post | 28.04.2023"
    assert dated(page(title=title)) == ("2023-04-28", "title")


def test_a_number_in_the_headline_is_no_date() -> None:
    title = "Ferry timetable changes for 2024 | Harbour Post"
    assert dated(page(title=title))[1] != "title"


def test_a_date_written_under_the_headline() -> None:
    header = "<div class='meta'><p>Harbour Post | October 15, 2025</p></div>"
    assert dated(page(header=header)) == ("2025-10-15", "header")


def test_an_update_line_under_the_headline_is_no_publication_date() -> None:
    header = "<div class='post-meta'><span>Updated on December 11, 2025</span></div>"
    assert dated(page(header=header))[1] != "header"


def test_a_year_in_a_short_line_under_the_headline_is_no_date() -> None:
    header = "<p class='standfirst'>Ten crossings to go by 2026</p>"
    assert dated(page(header=header))[1] != "header"
