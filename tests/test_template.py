"""A page's template signature: the same on every page of one template, apart between templates,
read again from a stored page by reclean, which learns from it as the crawl did."""

from __future__ import annotations

import random
from pathlib import Path

from crawler.page.extract import extract_article
from crawler.page.process import process_page
from crawler.page.template import normalize_class, shared_template
from crawler.reclean import reclean
from crawler.writer import ArticleWriter
from storage import Store
from storage.boilerplate import StoreBoilerplate

WORDS = (
    "harbour council ferry budget rail strike union minister bridge river storm flood school "
    "teacher hospital nurse market bakery factory port museum library festival election mayor "
    "police court judge tax water energy grid wind solar farm harvest tourism airport runway"
).split()
DISCLAIMER = (
    "The Valley Courier is an independent newspaper. Opinions expressed by contributors are "
    "their own and do not reflect the views of the editors or the publisher."
)


def sentences(seed: int, count: int) -> list[str]:
    rng = random.Random(seed)
    return [
        " ".join(rng.choice(WORDS) for _ in range(rng.randint(14, 20))).capitalize() + "."
        for _ in range(count)
    ]


def modern(seed: int, paragraphs: int, generated: str, extra: str = "") -> str:
    """A page of one template: its wrappers carry the post's number and build-made classes."""
    body = "".join(f"<p>{p}</p>" for p in sentences(seed, paragraphs))
    return f"""<html><head><title>Story {seed}</title></head><body class="single postid-{seed}">
<header><nav><a href="/">Home</a></nav></header>
<main class="site-main {generated}"><article id="post-{seed}" class="post-{seed} post">
<h1>Story {seed}</h1>
<div class="Article_body__{generated[-5:]} entry-content">{body}<p>{DISCLAIMER}</p>{extra}</div>
</article></main><footer>Footer text of the site, with a link.</footer></body></html>"""


def other_template(seed: int) -> str:
    body = "".join(f"<p>{p}</p>" for p in sentences(seed, 5))
    return f"""<html><body><div class="wrapper"><section class="story-body">
<h1>Story {seed}</h1><div class="text">{body}</div></section></div></body></html>"""


def table_layout(seed: int) -> str:
    body = "<br><br>".join(sentences(seed, 5))
    return f"""<html><body><table><tr><td class="nav"><a href="/">Home</a></td>
<td class="story"><font size="2"><b>Story {seed}</b><br><br>{body}</font></td></tr></table>
</body></html>"""


def template_of(html: str, url: str = "https://courier.example/news/1") -> str | None:
    return extract_article(html, url, decide=False).template


def test_generated_class_names_and_numbers_are_not_the_template() -> None:
    assert normalize_class("css-1x9f3a") is None
    assert normalize_class("sc-bdVaJa") is None
    assert normalize_class("Article_body__3kd9F") == "article_body"
    assert normalize_class("post-12345") == "post"
    assert normalize_class("article__content") == "article__content"  # a BEM name stays
    assert normalize_class("12345") is None


def test_pages_of_one_template_share_a_signature_and_templates_differ() -> None:
    first = template_of(modern(1, 6, "css-1x9f3a"))
    assert first
    assert template_of(modern(2, 3, "sc-bdVaJa")) == first
    assert template_of(modern(3, 12, "css-77ab2")) == first
    assert template_of(other_template(4)) not in (None, first)
    assert shared_template(first)


def test_a_table_layout_without_paragraphs_has_a_template() -> None:
    first = template_of(table_layout(1))
    assert first and first == template_of(table_layout(2))
    # Layout tables are read as blocks before extraction: the story's cell is a block.
    assert first.endswith(".story")


def test_reclean_reads_templates_again_and_learns_as_the_crawl_did(tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    pages = {f"https://courier.example/news/{n}": modern(n, 5, "css-1x9f3a") for n in range(6)}
    with Store.open(db) as store:
        writer = ArticleWriter(store)
        for url, html in pages.items():
            result = process_page(html.encode(), url, params=store.params, links=False)
            assert result.article is not None
            writer.add(result.record(fetched_at="2025-03-01T00:00:00+00:00", http_status=200,
                                     raw_html=html.encode()))  # fmt: skip
        crawled = {a["url"]: (a["text"], a["template"]) for a in store.iter_articles()}
        assert all(DISCLAIMER not in text and template for text, template in crawled.values())
        # Nothing to change: the crawl and reclean read the pages alike.
        report = reclean(store)
        assert (report.changed, report.restated) == (0, 0)
        # A store written before templates and per-template learning: reclean brings both.
        store.conn.execute("UPDATE articles SET template = NULL")
        StoreBoilerplate(store).forget()
        for url in pages:
            article = store.get(url)
            assert article is not None
            store.replace_text(article["id"], article["text"] + "\n" + DISCLAIMER)
        report = reclean(store)
        assert report.changed == 6
        assert {a["url"]: (a["text"], a["template"]) for a in store.iter_articles()} == crawled
