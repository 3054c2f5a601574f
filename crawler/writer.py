"""The last step of every page, crawled or ingested: learn site boilerplate, strip it, store."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from crawler.learning import TemplateLearning
from crawler.urls import canonicalize
from storage import AddResult, Store
from storage.outcomes import ARTICLE, fetch_outcome


class ArticleWriter:
    """Store articles through boilerplate learning (``crawler.learning``), one ``add`` per
    article.

    Boilerplate is stripped before dedup, and lines printed on pages of different stories never
    count towards a match, so two pages sharing only their site's furniture are not merged. What
    is learned from a page is applied to the pages stored before it, in the same transaction.
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        self.learning = TemplateLearning(store)
        self.stripped = 0  # articles stored without learned boilerplate

    @property
    def restated(self) -> int:
        """Stored articles cleaned again since because of what later pages taught."""
        return self.learning.restated

    def add(self, record: Mapping[str, Any]) -> AddResult:
        """Learn from, strip, deduplicate and store one article record; return the store's
        answer."""
        result, stripped = self.learning.add(record)
        self.stripped += stripped
        return result

    def write(self, record: Mapping[str, Any], fetched_url: str) -> tuple[AddResult, str]:
        """Store one article record (:meth:`add`) and log its fetch from ``fetched_url``.

        Returns the store's answer and the fetch's outcome ("stored" for a new article). A page
        fetched at another URL than its article's (AMP, print) is a variant: it never replaces
        the stored article or its kept page.
        """
        record = {**record, "variant": canonicalize(fetched_url) != record["url"]}
        result = self.add(record)
        outcome = fetch_outcome(result.status)
        self.store.log_fetch(
            fetched_url,
            status=record.get("http_status"),
            outcome=outcome,
            article_id=result.article_id,
            fetched_at=record.get("fetched_at"),
            source=record.get("source"),
            page_type=ARTICLE,
        )
        return result, outcome
