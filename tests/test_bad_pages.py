"""Bad input costs nothing but its own page: pages of thousands of links, lists nested thousands
deep, pages where every line is a link, a template seen once and a site of a single page. Each
such page is stored or rejected with a reason, in bounded work, and the others are not touched.
"""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

import pytest
from sitegen import (
    CRAWL_TIMEOUT,
    Article,
    Site,
    article_html,
    build_world,
    crawl,
    paragraphs,
    write_site,
)

from crawler.demo.server import serve_world
from crawler.page.extract import PageRejected, extract_article
from crawler.writer import ArticleWriter
from storage import Store
from storage.outcomes import EMPTY, NOT_ARTICLE, TOO_SHORT

URL = "https://www.bad-input.test/news/2025/03/page"


def thousands_of_links(count: int = 5000, prefix: str = "/news/2025/03/") -> str:
    items = "".join(
        f"<li><a href='{prefix}story-number-{n}-of-the-day'>Story number {n} of the day</a></li>"
        for n in range(count)
    )
    loose = " ".join(f"<a href='{prefix}t{n}'>tag {n}</a>" for n in range(count))
    return f"<html><body><h1>Archive</h1><ul>{items}</ul><div>{loose}</div></body></html>"


def nested_lists(depth: int = 3000) -> str:
    opening = "<ul><li>level" * depth
    return f"<html><body><h1>Deep</h1>{opening}{'</li></ul>' * depth}</body></html>"


def every_line_a_link(count: int = 200, prefix: str = "/news/2025/03/") -> str:
    lines = "".join(
        f"<p><a href='{prefix}line-{n}-of-many-links'>Line {n} of a page of links</a></p>"
        for n in range(count)
    )
    return f"<html><body><h1>Links</h1><div>{lines}</div></body></html>"


@pytest.mark.parametrize(
    "html", [thousands_of_links(), every_line_a_link()], ids=["thousands", "every_line"]
)
def test_a_page_of_links_is_rejected_with_a_reason(html: str) -> None:
    with pytest.raises(PageRejected) as caught:
        extract_article(html, URL)
    assert caught.value.reason in {NOT_ARTICLE, TOO_SHORT, EMPTY}


def test_a_deeply_nested_list_is_read_without_failing() -> None:
    # libxml2 stops nesting at its depth limit; what it keeps is read like any page.
    try:
        article = extract_article(nested_lists(), URL)
    except PageRejected as rejected:
        assert rejected.reason in {NOT_ARTICLE, TOO_SHORT, EMPTY}
    else:
        assert set(article.text.split()) == {"level"}


def test_a_deeply_nested_list_with_an_article_inside_is_read() -> None:
    text = " ".join(paragraphs(random.Random(1), 3))
    html = nested_lists(2000).replace("level", f"<p>{text}</p>", 1)
    article = extract_article(html, URL, decide=False)
    assert text[:80] in article.text


def test_a_template_seen_once_and_a_site_of_one_page_keep_their_text(tmp_path: Path) -> None:
    rng = random.Random(2)
    footer = "This newspaper is published by the Example Media Group of the harbour town."

    def record(site: str, n: int | str, lines: list[str], template: str) -> dict:
        return {
            "url": f"https://{site}/news/{n}",
            "site": site,
            "title": f"Story {n}",
            "text": "\n".join(lines),
            "template": template,
        }

    common = [
        record("bad-input.test", n, [*paragraphs(rng, 3), footer], "main>article.story")
        for n in range(8)
    ]
    odd_lines = [*paragraphs(rng, 3), "A box only this template shows, once, on one page."]
    odd = record("bad-input.test", "odd", odd_lines, "div.unique-template")
    single = record("lone.test", "only", paragraphs(rng, 3), "main>article.story")
    with Store.open(tmp_path / "news.db") as store:
        writer = ArticleWriter(store)
        for item in [*common, odd, single]:
            writer.add(item)
        stored = dict(store.conn.execute("SELECT url, text FROM articles"))
    assert stored[odd["url"]] == odd["text"]  # its own lines are its text
    assert footer not in stored[common[0]["url"]]  # the shared footer goes, the story stays
    assert stored[common[0]["url"]].startswith(common[0]["text"][:60])
    assert stored[single["url"]] == single["text"]


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> dict:
    root = tmp_path_factory.mktemp("bad") / "world"
    (site,) = build_world(root, sites=1, per_site=4, shared=0, seed=9)
    bad = {
        # Its links lead where robots.txt forbids: the crawl reads the page, fetches none.
        "/news/2025/03/01/links/": thousands_of_links(3000, "/private/"),
        "/news/2025/03/02/deep/": nested_lists(3000),
        "/news/2025/03/03/all-links/": every_line_a_link(200, "/private/"),
    }
    for path, html in bad.items():
        site.extra_files[path.strip("/") + "/index.html"] = html
    odd = Article(
        site.folder, "/odd/one-of-a-kind/", "One of a kind", paragraphs(random.Random(3)), 5
    )
    site.extra_files["odd/one-of-a-kind/index.html"] = (
        article_html(site, odd)
        .replace("<article>", "<div class='unique-template'><aside>Only here</aside>")
        .replace("</article>", "</div>")
    )
    links = "".join(f"<a href='{path}'>{path}</a> " for path in [*bad, odd.path])
    site.extra_files["index.html"] = f"<html><body>{links}</body></html>"
    write_site(root, site, ["/"])
    lone = Site("lone", "https://lone.example")
    lone.articles.append(
        Article("lone", "/only/story/", "The only story", paragraphs(random.Random(4)), 6)
    )
    write_site(root, lone, ["/only/story/"])
    db = tmp_path_factory.mktemp("db") / "bad.db"
    with serve_world(root) as world:
        # Thousands of links, each refused by robots.txt, make a slow crawl on a busy machine.
        result = crawl(db, *world.start_urls(), timeout=CRAWL_TIMEOUT * 3)
        urls = {
            "bad": [world.url(site.folder, path) for path in bad],
            "good": [world.url(site.folder, a.path) for a in site.articles],
            "odd": world.url(site.folder, odd.path),
            "lone": world.url("lone", "/only/story/"),
        }
    return {
        "result": result,
        "db": db,
        "urls": urls,
        "site": site,
        "odd": odd,
        "lone": lone.articles[0],
    }


def _rows(db: Path, sql: str) -> dict[str, sqlite3.Row]:
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        return {row["url"]: row for row in conn.execute(sql)}


def test_bad_pages_are_logged_with_a_reason_and_good_ones_are_stored(crawled: dict) -> None:
    assert crawled["result"].returncode == 0, crawled["result"].stderr
    fetches = _rows(crawled["db"], "SELECT * FROM fetches")
    for url in crawled["urls"]["bad"]:
        assert fetches[url]["outcome"] == "rejected" and fetches[url]["reason"], url
    articles = _rows(crawled["db"], "SELECT url, text FROM articles")
    for article, url in zip(crawled["site"].articles, crawled["urls"]["good"], strict=True):
        assert all(p[:60] in articles[url]["text"] for p in article.paragraphs), url


def test_a_template_seen_once_and_a_single_page_site_are_stored_whole(crawled: dict) -> None:
    articles = _rows(crawled["db"], "SELECT url, text FROM articles")
    for key, url in (("odd", crawled["urls"]["odd"]), ("lone", crawled["urls"]["lone"])):
        article = crawled[key]
        stored = articles[url]["text"]
        assert all(p[:60] in stored for p in article.paragraphs)
        assert "Only here" not in stored
