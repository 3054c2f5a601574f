"""process_page: the one place a page is handled (links, article or reason, MinHash signature)."""

from __future__ import annotations

import pickle
from pathlib import Path

import numpy as np
import pytest

import crawler.page.process as pages
from crawler.page.discovery import html_links
from crawler.page.extract import extract_article
from crawler.page.process import PageResult, declared_encoding, process_page
from storage import MinHashParams, Store
from storage.minhash import signature
from storage.pagecodec import compress_html

FIXTURES = Path(__file__).parent / "fixtures" / "pages"
URL = "https://www.lakeside-gazette.example/news/2025/04/ferry-timetable-changes-on-the-lake"
PARAGRAPHS = [
    "The lake ferry company said on Tuesday that its summer timetable will start two weeks "
    "earlier this year, after a winter in which passenger numbers at the Zürich piers rose by "
    "almost a fifth compared with the year before.",
    "Boats will leave every thirty minutes between eight in the morning and seven in the "
    "evening, and the café on the upper deck of the two larger vessels will open again after "
    "a refit that took most of the winter.",
    "Residents of the smaller villages on the eastern shore had asked for an earlier first "
    "crossing for years, and the company agreed to a trial of a boat at a quarter to seven on "
    "weekdays until the end of September.",
]


def article_html(charset: str = "utf-8", meta: bool = True) -> str:
    head_charset = f'<meta charset="{charset}">' if meta else ""
    body = "\n".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    return f"""<!DOCTYPE html>
<html lang="en"><head>{head_charset}
<title>Ferry timetable changes on the lake</title>
<meta property="og:type" content="article">
<meta property="og:title" content="Ferry timetable changes on the lake">
<meta property="article:published_time" content="2025-04-08T09:00:00+02:00">
<link rel="canonical" href="{URL}">
<link rel="alternate" type="application/rss+xml" href="/feed.xml">
</head><body>
<nav><a href="/">Home</a> <a href="/news/">News</a> <a href="/sport/" rel="nofollow">Sport</a></nav>
<article><h1>Ferry timetable changes on the lake</h1>
{body}
</article>
<footer><a href="/about/">About us</a> <a href="/news/2025/04/another-story-about-boats">Boats</a></footer>
</body></html>"""


PAGE = article_html().encode("utf-8")


def test_an_article_page_gives_links_article_and_signature() -> None:
    params = MinHashParams()
    result = process_page(PAGE, URL, "utf-8", params)
    assert result.ok and result.reason is None
    assert result.article == extract_article(PAGE.decode("utf-8"), URL)
    assert result.links == html_links(PAGE, URL, "utf-8")
    assert "https://www.lakeside-gazette.example/feed.xml" in result.links.feeds
    assert result.minhash == signature(result.article.text, params).astype("<u4").tobytes()


class FakeClock:
    """Stands in for the time module in crawler.page.process: CPU time that advances as told."""

    def __init__(self, *readings: float) -> None:
        self.readings = list(readings)

    def process_time(self) -> float:
        return self.readings.pop(0)


@pytest.mark.parametrize("body", [PAGE, (FIXTURES / "tag_page.html").read_bytes()])
def test_seconds_is_the_cpu_time_the_page_took(
    body: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The crawl adds it up as newsdedup/pages/cpu_seconds, for articles and rejections alike.
    clock = FakeClock(100.0, 102.5)
    monkeypatch.setattr(pages, "time", clock)
    result = process_page(body, URL, "utf-8", MinHashParams())
    assert result.seconds == 2.5
    assert clock.readings == []  # read when the page starts and when it is done, no more


def test_links_can_be_skipped_and_signature_needs_params() -> None:
    result = process_page(PAGE, URL, "utf-8", None, links=False)
    assert result.ok
    assert result.links.pages == [] and result.links.feeds == []
    assert result.minhash is None


def test_a_rejected_page_says_why_and_still_gives_its_links() -> None:
    body = (FIXTURES / "tag_page.html").read_bytes()
    url = "https://www.daily-courier.example/tag/harbour/"
    result = process_page(body, url, "utf-8", MinHashParams())
    assert not result.ok and result.article is None and result.minhash is None
    assert result.reason == "not_article"
    assert url in result.detail
    assert result.links.pages  # a tag page is where a crawl finds articles


def test_empty_and_binary_bodies_are_rejected_not_raised() -> None:
    assert process_page(b"", URL).reason == "empty"
    assert process_page(b"%PDF-1.7\x00\x01", URL).reason == "not_html"


def test_the_result_survives_pickling() -> None:
    result = process_page(PAGE, URL, "utf-8", MinHashParams())
    assert pickle.loads(pickle.dumps(result)) == result


def test_the_record_is_what_the_store_takes_and_its_signature_is_used() -> None:
    with Store.open(":memory:") as store:
        result = process_page(PAGE, URL, "utf-8", store.params)
        record = result.record(
            fetched_at="2025-04-08T10:00:00+00:00", http_status=200, raw_html=PAGE, source="t"
        )
        added = store.add_article(record)
        row = store.get(added.article_id)
    assert added.status == "new"
    assert row is not None and row["url"] == URL and row["site"] == "lakeside-gazette.example"
    assert row["text"] == result.article.text
    assert record["minhash"] == result.minhash


def test_a_page_compressed_in_a_worker_is_stored_as_it_came() -> None:
    with Store.open(":memory:") as store:
        result = process_page(PAGE, URL, "utf-8", store.params)
        result.html_zlib = compress_html(PAGE)
        record = result.record(fetched_at="2025-04-08T10:00:00+00:00", http_status=200)
        added = store.add_article(record)
        assert store.raw_html(added.article_id) == PAGE
        blob = store.conn.execute("SELECT html FROM pages").fetchone()[0]
    assert blob == result.html_zlib  # not compressed again
    # A page given uncompressed wins over the worker's copy.
    assert result.record(fetched_at="x", http_status=200, raw_html=b"<p>")["raw_html_zlib"] is None


def test_the_store_refuses_a_page_that_is_not_zlib() -> None:
    with Store.open(":memory:") as store:
        result = process_page(PAGE, URL, "utf-8", store.params)
        result.html_zlib = PAGE
        with pytest.raises(ValueError, match="raw_html_zlib"):
            store.add_article(result.record(fetched_at="x", http_status=200))


def test_a_rejected_page_has_no_record() -> None:
    with pytest.raises(ValueError, match="no article"):
        PageResult.failed(URL, "timeout", "slow").record(fetched_at="x", http_status=200)


@pytest.mark.parametrize(
    ("body", "encoding"),
    [
        (article_html("windows-1252").encode("cp1252"), "cp1252"),
        (article_html("iso-8859-1").encode("latin-1"), "iso-8859-1"),
        (article_html("utf-8", meta=False).encode("utf-8"), "utf-8"),
    ],
    ids=["cp1252", "latin-1", "utf-8-undeclared"],
)
def test_pages_in_other_encodings_decode_as_declared_or_detected(
    body: bytes, encoding: str
) -> None:
    given = process_page(body, URL, encoding, links=False)
    detected = process_page(body, URL, None, links=False)
    for result in (given, detected):
        assert result.ok
        assert "Zürich" in result.article.text and "café" in result.article.text


def test_a_lying_charset_is_followed_as_a_crawl_would_without_failing() -> None:
    # The header says UTF-8 but the bytes are cp1252: a crawl decodes with replacement chars.
    body = article_html("windows-1252", meta=False).encode("cp1252")
    encoding = declared_encoding(body, "text/html; charset=utf-8")
    assert encoding == "utf-8"
    result = process_page(body, URL, encoding, links=False)
    assert result.ok
    assert "Z\ufffdrich" in result.article.text


def test_declared_encoding_order_bom_header_meta() -> None:
    meta_only = article_html("windows-1252").encode("cp1252")
    assert declared_encoding(meta_only) == "cp1252"
    assert declared_encoding(meta_only, "text/html; charset=iso-8859-2") == "iso8859-2"
    # A charset that does not exist is passed over: the page's own declaration wins.
    assert declared_encoding(meta_only, "text/html; charset=utf-42") == "cp1252"
    assert declared_encoding(b"\xef\xbb\xbf" + PAGE, "text/html; charset=latin-1") == "utf-8"
    assert declared_encoding(article_html(meta=False).encode(), "text/html") is None


def test_an_extractor_bug_costs_the_page_only(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(html: str, url: str, **options: object) -> None:
        raise KeyError("surprise")

    monkeypatch.setattr(pages, "extract_article", broken)
    result = process_page(PAGE, URL, "utf-8")
    assert result.reason == "extract_error"
    assert "KeyError" in result.detail and URL in result.detail
    assert result.links.pages  # what was found before the failure is kept


def test_the_page_is_parsed_once_for_links_and_article(monkeypatch: pytest.MonkeyPatch) -> None:
    import crawler.page.extract

    parsed: list[str] = []
    real_parse = pages.parse_page

    def counting_parse(html: str, url: str) -> object:
        parsed.append(url)
        return real_parse(html, url)

    def no_second_parse(html: str, url: str) -> None:
        raise AssertionError("the page was parsed again")

    monkeypatch.setattr(pages, "parse_page", counting_parse)
    monkeypatch.setattr(crawler.page.extract, "parse_page", no_second_parse)
    result = process_page(PAGE, URL, "utf-8")
    assert parsed == [URL]
    assert result.ok and result.links.pages


def test_running_out_of_memory_costs_the_page_only(monkeypatch: pytest.MonkeyPatch) -> None:
    def greedy(html: str, url: str, **options: object) -> None:
        raise MemoryError

    monkeypatch.setattr(pages, "extract_article", greedy)
    result = process_page(PAGE, URL, "utf-8")
    assert result.reason == "memory_limit"


def test_signature_matches_the_store_layout() -> None:
    result = process_page(PAGE, URL, "utf-8", MinHashParams(num_perm=32, bands=8, rows=4))
    assert result.minhash is not None
    values = np.frombuffer(result.minhash, dtype="<u4")
    assert values.shape == (32,)
