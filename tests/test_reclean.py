"""newsdedup reclean: stored pages extracted again with today's rules and the boilerplate learned
since, then deduplicated again; --site limits it; an article without its page is counted."""

from __future__ import annotations

import random
from pathlib import Path

from click.testing import CliRunner

from crawler.cli import main
from crawler.page.process import process_page
from crawler.reclean import reclean
from crawler.writer import ArticleWriter
from storage import Store

VOCAB = (
    "harbour council ferry budget bridge tunnel school market storm energy wage river station "
    "museum festival election hospital airport railway library stadium parliament court police "
    "weather island village coast mountain forest farmer teacher doctor engineer minister mayor"
).split()
DISCLAIMER = (
    "Readers who want to republish this report in print or online must ask the syndication desk "
    "first and credit the paper by name in every copy they make."
)
FETCHED = "2025-03-01T00:00:00+00:00"


def sentence(rng: random.Random) -> str:
    return " ".join(rng.choice(VOCAB) for _ in range(rng.randint(12, 18))).capitalize() + "."


def story(seed: int) -> list[str]:
    rng = random.Random(seed)
    return [" ".join(sentence(rng) for _ in range(3)) for _ in range(5)]


def page(title: str, paragraphs: list[str]) -> bytes:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f'<!DOCTYPE html><html lang="en"><head><title>{title}</title>'
        f'<meta property="og:type" content="article"></head>'
        f"<body><article><h1>{title}</h1>{body}</article></body></html>"
    ).encode()


def crawl_record(url: str, html: bytes, *, keep_html: bool = True) -> dict[str, object]:
    """The record a crawl stores for this page (its page kept unless ``keep_html`` is off)."""
    result = process_page(html, url, "utf-8")
    assert result.ok, result.detail
    return result.record(fetched_at=FETCHED, http_status=200, raw_html=html if keep_html else None)


def stored_text(store: Store, url: str) -> str:
    row = store.get(url)
    assert row is not None
    return row["text"]


def test_a_text_cleaned_by_yesterday_s_rules_is_cleaned_again(tmp_path: Path) -> None:
    url = "https://a.example/news/2025/03/01/harbour-story"
    html = page("Harbour story", story(1))
    with Store.open(tmp_path / "s.db") as store:
        record = crawl_record(url, html)
        today = record["text"]
        # Yesterday's rules kept a line that today's drop.
        ArticleWriter(store).add({**record, "text": f"{today}\nAdvertisement", "minhash": None})
        assert stored_text(store, url).endswith("Advertisement")
        report = reclean(store)
        assert (report.articles, report.changed, report.unchanged) == (1, 1, 0)
        assert stored_text(store, url) == today
        again = reclean(store)
        assert (again.changed, again.unchanged) == (0, 1)


def test_cleaning_again_rededups_the_store(tmp_path: Path) -> None:
    # A wire story on two sites; the copy was stored with a junk block that kept it apart.
    paragraphs = story(2)
    junk = story(3) + story(4)  # more text than the story itself
    first = "https://a.example/news/2025/03/02/wire-story"
    copy = "https://b.example/world/2025/03/02/wire-story"
    with Store.open(tmp_path / "s.db") as store:
        writer = ArticleWriter(store)
        writer.add(crawl_record(first, page("Wire story", paragraphs)))
        record = crawl_record(copy, page("Wire story", paragraphs))
        # Only half of the story's lines in it, so containment does not link it either.
        lines = record["text"].split("\n")
        stale = "\n".join([*junk[:5], *lines[: len(lines) // 2], *junk[5:]])
        assert writer.add({**record, "text": stale, "minhash": None}).status == "new"
        report = reclean(store)
        assert report.changed == 1 and report.duplicates_changed == 1
        assert store.get(copy)["duplicate_of"] == store.get(first)["id"]  # type: ignore[index]


def test_learned_boilerplate_is_removed_from_pages_stored_without_it(tmp_path: Path) -> None:
    # Stored without the learner, as a store from before it (or upgraded past its per-site
    # counts) holds them: every text still carries the site's disclaimer.
    urls = [f"https://a.example/news/2025/03/{day:02d}/story" for day in range(1, 9)]
    with Store.open(tmp_path / "s.db") as store:
        for n, url in enumerate(urls):
            store.add_article(crawl_record(url, page(f"Story {n}", [*story(10 + n), DISCLAIMER])))
        assert all(DISCLAIMER in stored_text(store, url) for url in urls)
        report = reclean(store)
        assert report.articles == len(urls) and report.changed, report
        assert not any(DISCLAIMER in stored_text(store, url) for url in urls)
        for n, url in enumerate(urls):
            assert story(10 + n)[0] in stored_text(store, url)


def test_site_limits_it_and_a_page_less_article_is_counted_not_lost(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    urls = {
        "a": "https://a.example/news/2025/03/03/a-story",
        "b": "https://b.example/news/2025/03/03/b-story",
        "no-page": "https://a.example/news/2025/03/04/no-page",
    }
    with Store.open(db) as store:
        writer = ArticleWriter(store)
        for n, (name, url) in enumerate(urls.items()):
            record = crawl_record(url, page(name, story(20 + n)), keep_html=name != "no-page")
            writer.add({**record, "text": f"{record['text']}\nAdvertisement", "minhash": None})
    result = CliRunner().invoke(main, ["reclean", "--db", str(db), "--site", "a.example"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(
        "2 articles: 1 changed, 0 unchanged, 1 without stored HTML; "
    ), result.output
    with Store.open(db) as store:
        assert not stored_text(store, urls["a"]).endswith("Advertisement")
        assert stored_text(store, urls["b"]).endswith("Advertisement")  # not its site
        # Kept as it was: there is no page to extract it from again.
        assert stored_text(store, urls["no-page"]).endswith("Advertisement")
        assert store.count_articles() == 3
    result = CliRunner().invoke(main, ["reclean", "--db", str(db)])
    assert result.output.startswith("3 articles: 1 changed, 1 unchanged, 1 without stored HTML")
