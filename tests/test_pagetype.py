"""Page types: every page gets a type and a reason; only articles are stored."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crawler.page import pagefeatures, pagetype
from crawler.page.extract import PageRejected, extract_article, parse_page
from crawler.page.process import process_page

FIXTURES = Path(__file__).parent / "fixtures"
PAGES = FIXTURES / "pagetype"
SITE = "https://www.lakeside-gazette.example"
ARTICLE_URL = f"{SITE}/news/2025/06/lakeside-ferry-to-stop-running-after-sixty-years"
PRODUCT_URL = "https://shop.lakeside-outdoor.example/bags/lakeside-trail-28"


def rejection(name: str, url: str, html: bytes | None = None) -> PageRejected:
    with pytest.raises(PageRejected) as caught:
        extract_article(html if html is not None else (PAGES / name).read_bytes(), url)
    return caught.value


# --- bad input ----------------------------------------------------------------------------


def test_a_page_without_text_is_empty() -> None:
    rejected = rejection("no_text.html", f"{SITE}/news/ferry")
    assert (rejected.reason, rejected.page_type) == ("empty", "other")


def test_a_page_that_is_only_links_is_a_listing() -> None:
    rejected = rejection("links_only.html", f"{SITE}/archive-june")
    # No article text to extract: "empty", typed by what the page is.
    assert (rejected.reason, rejected.page_type) == ("empty", "listing")
    assert "links" in rejected.detail


def test_a_category_grid_that_claims_to_be_a_news_article_is_not_stored() -> None:
    html = (PAGES / "jsonld_category.html").read_bytes()
    assert b'"@type":"NewsArticle"' in html and b'og:type" content="article' in html
    rejected = rejection("jsonld_category.html", f"{SITE}/local/")
    assert rejected.reason in ("not_article", "empty")


@pytest.mark.xfail(
    reason="the structural cleaning prunes teaser lists before extraction: the model no longer "
    "sees the teasers in the text, and the page comes out empty; it needs the teaser share "
    "measured before pruning and the model trained again",
    strict=True,
)
def test_a_category_grid_that_claims_to_be_a_news_article_is_a_listing() -> None:
    rejected = rejection("jsonld_category.html", f"{SITE}/local/")
    assert (rejected.reason, rejected.page_type) == ("not_article", "listing")
    assert "teasers" in rejected.detail and "repeated items" in rejected.detail


def test_an_article_with_a_long_comment_thread_is_an_article() -> None:
    html = (PAGES / "article_comments.html").read_bytes()
    assert html.count(b'class="comment"') == 60
    article = extract_article(html, ARTICLE_URL)
    assert article.text.startswith("The lakeside ferry that has carried commuters")
    assert "I have taken this ferry every morning" not in article.text


def test_a_live_blog_is_an_article() -> None:
    article = extract_article((PAGES / "live_blog.html").read_bytes(), f"{SITE}/live/elections")
    assert "Recount requested in the old harbour district" in article.text
    assert article.page_type == "LiveBlogPosting"


def test_a_product_page_is_a_product_and_names_its_evidence() -> None:
    rejected = rejection("product.html", PRODUCT_URL)
    assert (rejected.reason, rejected.page_type) == ("not_article", "product")
    assert "product" in rejected.detail.split(" is ", 1)[1]


def test_a_two_megabyte_product_page_is_decided_like_a_small_one() -> None:
    # Shops inline their whole catalogue state as JSON: the page grows, the verdict does not.
    small = (PAGES / "product.html").read_text(encoding="utf-8")
    state = json.dumps(
        [{"sku": f"LT28-{i:05d}", "colour": "green", "stock": i % 7, "price": 89.0}
         for i in range(30000)]
    )  # fmt: skip
    big = small.replace("</body>", f"<script>window.__STATE__ = {state};</script></body>")
    assert len(big.encode("utf-8")) > 2_000_000
    result = process_page(big.encode("utf-8"), PRODUCT_URL, "utf-8")
    assert (result.reason, result.page_type) == ("not_article", "product")


# --- what the crawl records ---------------------------------------------------------------


def test_a_stored_page_is_recorded_as_an_article() -> None:
    result = process_page((PAGES / "article_comments.html").read_bytes(), ARTICLE_URL, "utf-8")
    assert result.ok and result.page_type == "article"


def test_pages_the_rules_turn_away_have_a_type() -> None:
    tag = (FIXTURES / "pages" / "tag_page.html").read_bytes()
    assert rejection("", "https://www.dawn.com/tag/peacekeeping/", tag).page_type == "listing"
    about = (FIXTURES / "pages" / "dawn_style.html").read_bytes()
    assert rejection("", "https://www.dawn.com/about", about).page_type == "service"


def test_a_listing_is_not_stored_but_its_links_are_followed() -> None:
    html = (PAGES / "jsonld_category.html").read_bytes()
    result = process_page(html, f"{SITE}/local/", "utf-8")
    assert not result.ok and result.reason in ("not_article", "empty")
    assert any(url.startswith(f"{SITE}/") and url != f"{SITE}/local/" for url in result.links.pages)


def test_unreadable_pages_have_no_type() -> None:
    assert process_page(b"", f"{SITE}/x").page_type is None


# --- evidence ------------------------------------------------------------------------------


def test_words_are_counted_in_scripts_without_spaces() -> None:
    spaced = pagefeatures.read_text(["The ferry stops in September."], 0.0)
    assert spaced["x_units"] == 5
    # 13 characters, about two to a word, as storage.textunits counts them.
    assert pagefeatures.read_text(["渡し船は九月に運航を終える。"], 0.0)["x_units"] == 7


def test_dates_are_found_in_several_spellings() -> None:
    text = "Posted 2025-06-10 · 10.06.2025 · June 10, 2025 · 10 June 2025 · 2025年6月10日 · in 2025"
    assert len(pagefeatures._dates(text)) == 5


def test_url_shape() -> None:
    assert pagefeatures.read_url(ARTICLE_URL)["url_slug"] == 1.0
    assert pagefeatures.read_url(ARTICLE_URL)["url_date"] == 1.0
    assert pagefeatures.read_url(f"{SITE}/")["url_home"] == 1.0
    assert pagefeatures.read_url(f"{SITE}/tag/ferry/")["url_listing"] == 1.0
    assert pagefeatures.read_url("https://forum.example/t/ferry-times/123")["url_forum"] == 1.0


def test_measures_read_the_headline_date_and_the_block_of_prose() -> None:
    html = (PAGES / "article_comments.html").read_text(encoding="utf-8")
    page = pagefeatures.read_page(parse_page(html, ARTICLE_URL), ARTICLE_URL, [], {})
    assert page["headline_date"] == 1.0
    assert page["block_chars"] > 1500
    assert page["h1"] == 1.0


def test_reasons_read_as_a_sentence() -> None:
    assert pagetype.describe("forum", ["a", "b", "c"]) == "a forum thread: a, b and c"
    assert pagetype.describe("listing", []) == "a listing"


def test_the_weights_match_the_features_and_hold_grouped_folds() -> None:
    weights = pagetype.weights()
    assert weights.model.classes[0] == "article"
    assert len(weights.folds) == 5
    assert 0.0 < weights.threshold < 1.0
    # The fold of a domain is the same in every process: the weights file depends on it.
    assert pagetype.fold_of("example.com", 5) == pagetype.fold_of("example.com", 5)
    assert pagetype.domain_of("https://news.example.co.uk/a") == "example.co.uk"
    assert pagetype.domain_of("https://blog.example.com/a") == "example.com"


def test_weights_for_other_features_are_refused() -> None:
    data = json.loads(json.dumps(pagetype.weights().data["model"]))
    data["features"] = data["features"][:-1]
    with pytest.raises(ValueError, match="train_pagetype"):
        pagetype.Model(data, 0.5)


# --- paginated lists of dated entries ------------------------------------------------------

_SENTENCE = "The council moved the {n}th meeting to the old library after the hall flooded again. "


def paged_entries(prose_sentences: int, *, pager: bool = True, live: bool = False) -> bytes:
    """A page of six parallel entries (a heading, a time, a place, some prose), each entry a
    different tag as templates mix them, and a link to the next page when ``pager``."""
    entries = []
    for n, tag in enumerate(("article", "li", "div", "article", "div", "li"), start=1):
        prose = (_SENTENCE.format(n=n) * prose_sentences).strip()
        entries.append(
            f"<{tag} class='entry'><h3>Open day number {n} at the harbour</h3>"
            f"<time datetime='2025-06-{n + 10}T18:00:00+01:00'>{n + 10} June 2025, 18:00</time>"
            f"<p>Where: the old library, Lakeside</p><p>{prose}</p></{tag}>"
        )
    kind = "LiveBlogPosting" if live else "WebPage"
    nav = f"<nav><a href='{SITE}/whats-on?page=2' rel='next'>Next page</a></nav>" if pager else ""
    return (
        "<html><head><title>What's on</title>"
        f'<script type="application/ld+json">{{"@type": "{kind}"}}</script></head><body>'
        "<main><h1>What's on in Lakeside</h1><p>Concerts, markets and talks chosen each week by "
        f"the newsroom.</p><div class='entries'>{''.join(entries)}</div>{nav}</main>"
        "</body></html>"
    ).encode()


def test_a_paginated_events_calendar_is_a_listing() -> None:
    rejected = rejection("", f"{SITE}/whats-on", paged_entries(3))
    assert (rejected.reason, rejected.page_type) == ("not_article", "listing")
    assert "dated entries" in rejected.detail


def test_dated_entries_without_a_next_page_or_with_prose_are_left_to_the_model() -> None:
    for html in (paged_entries(3, pager=False), paged_entries(9, live=True)):
        tree = parse_page(html, f"{SITE}/whats-on")
        page = pagefeatures.read_page(tree, f"{SITE}/whats-on", [], {})
        assert page["entries"] == 6
        assert pagetype.evident(page, None) is None


def test_a_paginated_live_blog_of_prose_entries_is_an_article() -> None:
    article = extract_article(paged_entries(9, live=True), f"{SITE}/live/harbour-open-days")
    assert "the 6th meeting" in article.text


def test_a_page_whose_search_box_holds_its_query_is_a_listing() -> None:
    url = f"{SITE}/find.php?q=harbour+open+days&lang=en"
    results = "".join(
        f"<div class='hit'><h3><a href='{SITE}/news/2025/06/story-{n}'>Harbour story {n} of the "
        f"week</a></h3><p>{_SENTENCE.format(n=n) * 5}</p></div>"
        for n in range(1, 4)
    )
    page = (
        "<html><body><main><h1>Results</h1><form role='search'>"
        "<input type='search' name='q' value='Harbour+open  days'><button>Go</button></form>"
        f"{results}</main></body></html>"
    )
    rejected = rejection("", url, page.encode())
    assert (rejected.reason, rejected.page_type) == ("not_article", "listing")
    assert "search box" in rejected.detail
    # The same page reached without the query, or with an empty box, is left to the model.
    for address, html in (
        (f"{SITE}/find.php", page),
        (url, page.replace("Harbour+open  days", "")),
    ):
        tree = parse_page(html.encode(), address)
        assert pagefeatures.read_page(tree, address, [], {})["search_results"] == 0.0


def teaser_page(body_paragraphs: int) -> bytes:
    """A page of ``body_paragraphs`` paragraphs of prose followed by five teaser cards (a
    linked headline, a one-line excerpt, sometimes a time), as topic and author pages are."""
    body = "".join(f"<p>{_SENTENCE.format(n=n) * 4}</p>" for n in range(body_paragraphs))
    cards = "".join(
        f"<{tag} class='card'><h3><a href='{SITE}/news/2025/06/harbour-story-{n}'>The harbour "
        f"story number {n} of the week</a></h3><p>A short excerpt of story {n}.</p>"
        + (f"<time datetime='2025-06-1{n}'>1{n} June 2025</time>" if n % 2 else "")
        + f"</{tag}>"
        for n, tag in enumerate(("article", "div", "li", "article", "div"), start=1)
    )
    return (
        "<html><body><main><h1>The harbour</h1>"
        f"<div class='body'>{body}</div><div class='cards'>{cards}</div></main></body></html>"
    ).encode()


def test_a_run_of_teasers_with_no_prose_of_its_own_is_a_listing() -> None:
    url = f"{SITE}/topics/harbour"
    page = pagefeatures.read_page(parse_page(teaser_page(0), url), url, [], {})
    assert page["teasers"] == 5
    verdict = pagetype.evident(page, None)
    assert verdict is not None and verdict.page_type == "listing"
    assert "5 teasers" in verdict.reason
    # The same cards under an article's body are its related stories, not the page.
    page = pagefeatures.read_page(parse_page(teaser_page(3), url), url, [], {})
    assert page["teasers"] == 5 and pagetype.evident(page, None) is None


def test_paragraphs_written_as_divs_are_prose_beside_the_teasers() -> None:
    # Templates with generated class names write an article's paragraphs as <div>s of text.
    url = f"{SITE}/news/2025/06/harbour-story"
    body = "".join(
        f"<div class='Post_paragraph__x1'>{_SENTENCE.format(n=n) * 4}</div>" for n in range(3)
    )
    html = teaser_page(0).replace(b"<main>", f"<main><div>{body}</div>".encode())
    page = pagefeatures.read_page(parse_page(html, url), url, [], {})
    assert page["teasers"] == 5 and pagetype.evident(page, None) is None


def test_a_topic_page_is_a_listing_whatever_its_cards_excerpts_and_link_footer_hold() -> None:
    # The cards' excerpts are part of the list, and a footer of links set apart by <br> is no
    # prose: neither may outweigh the list.
    intro = "<p>Every story on the harbour, gathered in one place, with what came before.</p>"
    links = "<br>".join(
        f"<a href='{SITE}/{part}/'>{part.title()} of the harbour paper</a>"
        for part in ("about", "privacy", "terms", "contact", "jobs", "advertise")
    )
    footer = f"<font size='1'>{links}<br>All rights reserved.</font>"
    url = f"{SITE}/topics/harbour"
    for body, listing in ((intro, True), (f"<div class='body'>{intro * 9}</div>", False)):
        html = teaser_page(0).replace(b"<main>", f"<main>{body}".encode())
        html = html.replace(b"</main>", f"</main>{footer}".encode())
        page = pagefeatures.read_page(parse_page(html, url), url, [], {})
        verdict = pagetype.evident(page, None)
        assert (verdict is not None and verdict.page_type == "listing") is listing, page
