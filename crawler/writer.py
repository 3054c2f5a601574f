"""The last step of every page, crawled or ingested: strip the site's boilerplate, then store."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from crawler.page.cleaning.boilerplate import PageLines, SiteBoilerplate
from storage import AddResult, Store
from storage.boilerplate import StoreBoilerplate
from storage.outcomes import NEW, fetch_outcome


class ArticleWriter:
    """Store articles through per-site boilerplate learning, one ``add`` per article.

    Boilerplate is stripped before dedup, so two pages sharing only a site's disclaimer are not
    merged, and learned from unique articles only, from their text before stripping, so a
    learned segment keeps its count.
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        self.boilerplate = SiteBoilerplate(StoreBoilerplate(store))
        self.stripped = 0  # articles that lost learned boilerplate

    def add(self, record: Mapping[str, Any]) -> AddResult:
        """Strip, deduplicate and store one article record; return the store's answer."""
        site = record.get("site") or ""
        original = record.get("text") or ""
        # Read once: stripping and learning look at the same lines.
        page = PageLines(original)
        if site:
            text = self.boilerplate.strip(site, page)
            if text != original:
                self.stripped += 1
                # A signature computed upstream describes the text before stripping.
                record = {**record, "text": text, "minhash": None}
        result = self.store.add_article(record)
        if result.status == NEW and site:
            self.boilerplate.learn(site, record["url"], page)
        return result

    def write(self, record: Mapping[str, Any], fetched_url: str) -> tuple[AddResult, str]:
        """Store one article record (:meth:`add`) and log its fetch from ``fetched_url``.

        Returns the store's answer and the fetch's outcome ("stored" for a new article).
        """
        result = self.add(record)
        outcome = fetch_outcome(result.status)
        self.store.log_fetch(
            fetched_url,
            status=record.get("http_status"),
            outcome=outcome,
            article_id=result.article_id,
            fetched_at=record.get("fetched_at"),
            source=record.get("source"),
        )
        return result, outcome
