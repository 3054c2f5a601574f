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


def _stored_after(tmp_path: Path, order: list[tuple[dict, str]]) -> dict:
    tmp_path.mkdir()
    with Store.open(tmp_path / "news.db") as store:
        writer = ArticleWriter(store)
        for record, fetched in order:
            writer.write({"url": URL, "text": TEXT, **record}, fetched)
        row = dict(store.conn.execute("SELECT * FROM articles").fetchone())
    return {k: v for k, v in row.items() if k not in ("id", "first_seen", "updated_at")}


def test_an_article_stored_from_its_amp_page_takes_the_canonical_pages_fields(
    tmp_path: Path,
) -> None:
    # The AMP rendering carries no description or image; the canonical page does.
    amp = ({"title": "Ferry safety", "fetched_at": "2025-03-12T10:00:00Z"}, URL + "amp/")
    canonical = (
        {
            "title": "Ferry safety",
            "description": "What the inspectors found.",
            "image": "https://news.example/ferry.jpg",
            "fetched_at": "2025-03-12T10:00:00Z",
        },
        URL,
    )
    amp_first = _stored_after(tmp_path / "a", [amp, canonical])
    canonical_first = _stored_after(tmp_path / "b", [canonical, amp])
    assert amp_first["description"] == "What the inspectors found."
    assert amp_first == canonical_first
