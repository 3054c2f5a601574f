"""The writer's store step, shared by crawl and ingest: variants of an article."""

from __future__ import annotations

from pathlib import Path

from crawler.writer import ArticleWriter
from storage import Store

URL = "https://news.example/2025/03/12/ferry-safety/"
TEXT = " ".join(f"word{i}" for i in range(120))


def test_a_print_page_never_replaces_its_article_or_its_kept_page(tmp_path: Path) -> None:
    with Store.open(tmp_path / "news.db") as store:
        writer = ArticleWriter(store)
        first = {"url": URL, "text": TEXT, "raw_html": b"<html>the article page</html>"}
        stored, _ = writer.write(first, URL)
        # The print page says it is the same article (its canonical URL) with the same text.
        printed = {"url": URL, "text": TEXT, "raw_html": b"<html>the print page</html>"}
        result, outcome = writer.write(printed, URL + "print/")
        assert result.article_id == stored.article_id and outcome == "unchanged"
        assert store.raw_html(stored.article_id) == b"<html>the article page</html>"
