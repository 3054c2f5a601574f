"""Bylines read from the page's structure: a date or a logo beside the names, links to the
authors' pages, a "By" line under the headline, JSON-LD authors given by reference, and roles
that are never names."""

from __future__ import annotations

import json

import pytest
from harbour import FERRY_BODY as BODY
from harbour import FERRY_URL as URL

from crawler.page.bylines import clean_name, split_names
from crawler.page.extract import extract_article


def page(head: str = "", byline: str = "", after: str = "") -> bytes:
    """An article page with ``byline`` under its <h1> and ``after`` below the story."""
    return (
        "<html lang='en'><head><meta charset='utf-8'>"
        "<title>Ferry timetable changes | Harbour Post</title>"
        f"<meta property='og:site_name' content='Harbour Post'>{head}</head><body>"
        "<header><nav><a href='/'>Home</a> <a href='/login'>Sign In</a></nav></header>"
        f"<main><article><h1>Ferry timetable changes</h1>{byline}{BODY}</article>{after}</main>"
        "</body></html>"
    ).encode()


def ld(*nodes: dict) -> str:
    return "".join(
        f"<script type='application/ld+json'>{json.dumps(node)}</script>" for node in nodes
    )


def authors(html: bytes) -> list[str]:
    return extract_article(html, URL, decide=False).authors


@pytest.mark.parametrize(
    ("raw", "names"),
    [
        ("Dec 17, 2025 Jane Roe", ["Jane Roe"]),
        ("Dec. 19, 2025 · Jane Roe on behalf of the Harbour group", ["Jane Roe"]),
        ("By Jane Roe - 27 March 2024", ["Jane Roe"]),
        ("Jane Roe 2024-03-27", ["Jane Roe"]),
        ("Head Winemaker", []),
        ("Chief Economist", []),
        ("Nachrichten", []),
        ("Daily News", []),
    ],
)
def test_dates_and_roles_beside_names_are_no_names(raw: str, names: list[str]) -> None:
    assert [n for n in (clean_name(p) for p in split_names(raw)) if n] == names


def test_a_byline_element_with_a_date_before_the_name() -> None:
    byline = (
        "<div class='date-author'>Dec. 19, 2025 · Jane Roe on behalf of the Harbour group</div>"
    )
    assert authors(page(byline=byline)) == ["Jane Roe"]


def test_a_role_line_under_the_name_is_no_author() -> None:
    byline = (
        "<div class='author'><span class='author-name'>Jane Roe</span>"
        "<span class='author-title'>Head Winemaker, Co-Founder</span></div>"
    )
    assert authors(page(byline=byline)) == ["Jane Roe"]


def test_the_publishers_logo_in_an_author_box_starts_no_byline() -> None:
    byline = (
        "<div class='meta'><div class='author-box'><div class='author-name'>Harbour Post</div>"
        "<div class='author-role'>Island news since 1901</div></div>"
        "<div class='author-box'><div class='author-name'>Jane Roe</div></div></div>"
    )
    assert authors(page(byline=byline)) == ["Jane Roe"]


def test_an_author_box_with_an_avatar_is_read() -> None:
    byline = (
        "<div class='post_author'><a href='/team/jane-roe'><img class='post_author-image' "
        "src='/a.jpg' alt=''></a>By <a href='/team/jane-roe'>Dr. Jane Roe</a> - Mar 27, 2024</div>"
    )
    assert authors(page(byline=byline)) == ["Dr. Jane Roe"]


def test_links_to_the_authors_pages_name_the_authors() -> None:
    byline = (
        "<p class='story-meta'><a href='/staff/desk'>Island desk</a> "
        "<a href='/author/jane-roe-and-john-doe'>Jane Roe and John Doe</a></p>"
    )
    assert authors(page(byline=byline)) == ["Jane Roe", "John Doe"]


def test_a_link_to_another_page_is_no_author() -> None:
    byline = "<p class='story-meta'><a href='/news/ferries'>Ferry News</a></p>"
    assert authors(page(byline=byline)) == []


def test_a_by_line_under_the_headline() -> None:
    byline = "<p class='text-with-icon'>By Jane Roe</p>"
    assert authors(page(byline=byline)) == ["Jane Roe"]


def test_a_json_ld_author_given_by_reference() -> None:
    graph = {
        "@graph": [
            {"@type": "NewsArticle", "url": URL, "headline": "Ferry timetable changes",
             "author": {"@id": "https://www.harbour-post.example/#/person/1"}},
            {"@type": "Person", "@id": "https://www.harbour-post.example/#/person/1",
             "name": "jane roe"},
        ]
    }  # fmt: skip
    assert authors(page(ld(graph))) == ["Jane Roe"]


def test_a_web_page_node_names_the_author_when_there_is_no_article_node() -> None:
    node = {"@type": "WebPage", "url": URL, "author": {"@type": "Person", "name": "Jane Roe"}}
    assert authors(page(ld(node))) == ["Jane Roe"]


def test_a_handle_typed_in_lower_case_is_no_name() -> None:
    node = {"@type": "Article", "url": URL, "author": {"@type": "Person", "name": "q_admin"}}
    assert authors(page(ld(node))) == []


def test_an_author_box_with_a_biography_names_its_heading() -> None:
    bio = " ".join(["She has covered the islands' transport and councils for ten years."] * 4)
    after = (
        f"<div class='blog-author'><img src='/jane.jpg' alt=''><div><h4>Jane Roe</h4>"
        f"<p>{bio}</p></div></div>"
    )
    assert authors(page(after=after)) == ["Jane Roe"]


def test_an_about_the_author_heading_is_no_name() -> None:
    bio = " ".join(["The desk covers the islands' transport and councils every day."] * 4)
    after = f"<div class='author-box'><h3>About the author</h3><p>{bio}</p></div>"
    assert authors(page(after=after)) == []


def test_a_first_name_alone_linked_to_its_author_page_is_the_author() -> None:
    byline = "<p class='story-meta'><a href='/author/amanda'>Amanda</a></p>"
    assert authors(page(byline=byline)) == ["Amanda"]
