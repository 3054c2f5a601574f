"""The body from the page's structured data, when its HTML holds none or a stub."""

from __future__ import annotations

import json

from harbour import BODY as HARBOUR
from lxml.html import document_fromstring

from crawler.page.extract import extract_article
from crawler.page.payload import payload_body

URL = "https://www.script-example.test/news/2025/03/harbour-plan-approved"
BODY = HARBOUR[:3]


def _page(scripts: str, body: str = "<div id='root'>Loading…</div>") -> str:
    return (
        "<html><head><title>Harbour plan approved</title>"
        f"{scripts}</head><body>{body}</body></html>"
    )


def test_json_ld_article_body_is_the_text_of_an_empty_page() -> None:
    ld = {
        "@type": "NewsArticle",
        "headline": "Harbour plan approved",
        "articleBody": "\n".join(BODY),
    }
    html = _page(f"<script type='application/ld+json'>{json.dumps(ld)}</script>")
    text = extract_article(html, URL, decide=False).text
    assert all(p in text for p in BODY)


def test_next_data_blocks_and_html_payloads_are_read() -> None:
    blocks = {"props": {"pageProps": {"story": {"content": [
        {"type": "paragraph", "text": p} for p in BODY
    ]}}}}  # fmt: skip
    html = _page(
        f"<script id='__NEXT_DATA__' type='application/json'>{json.dumps(blocks)}</script>"
    )
    assert extract_article(html, URL, decide=False).text.split("\n") == BODY
    nuxt = json.dumps({"data": [{"body": "".join(f"<p>{p}</p>" for p in BODY)}]})
    html = _page(f"<script>window.__NUXT__ = {nuxt};</script>")
    assert all(p in extract_article(html, URL, decide=False).text for p in BODY)


def test_a_page_with_its_body_in_html_does_not_read_its_data() -> None:
    other = "A teaser for another story of the same site, long enough to be taken. " * 8
    ld = {"@type": "NewsArticle", "articleBody": other}
    body = "<article><h1>Harbour plan approved</h1>" + "".join(f"<p>{p}</p>" for p in BODY)
    html = _page(f"<script type='application/ld+json'>{json.dumps(ld)}</script>", body)
    assert extract_article(html, URL, decide=False).text.split("\n") == BODY


def test_short_strings_and_other_scripts_are_not_a_body() -> None:
    tree = document_fromstring(
        _page(
            '<script>var analytics = {"id": "UA-1", "text": "a short string"};</script>'
            '<script type=\'application/json\'>{"title": "Harbour plan approved"}</script>'
        )
    )
    assert payload_body(tree) is None
