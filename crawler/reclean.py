"""Re-apply extraction and cleaning to stored articles from their stored HTML, then re-dedup."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from crawler.learning import TemplateLearning
from crawler.page.extract import PageRejected, extract_article
from storage import Store

logger = logging.getLogger(__name__)

Progress = Callable[[int, int], None]


@dataclass
class RecleanReport:
    """What a reclean changed."""

    articles: int = 0  # articles looked at
    changed: int = 0  # texts or captions that came out different
    unchanged: int = 0
    no_html: int = 0  # stored without their page (NEWSDEDUP_KEEP_HTML off)
    failed: Counter[str] = field(default_factory=Counter)  # reason -> count
    duplicates_changed: int = 0  # duplicate links that moved in the re-dedup
    restated: int = 0  # other stored texts cleaned again by what the re-extracted pages taught


def reclean(
    store: Store, *, site: str | None = None, progress: Progress | None = None
) -> RecleanReport:
    """Re-extract every stored article of ``site`` (all sites when None) from its stored page.

    Texts are cleaned with today's rules, templates read again and captions re-read; each page
    is counted again for boilerplate learning (``crawler.learning``) and its text, like every
    stored text the new counts concern, stripped of what its site and template show to be
    boilerplate. When anything changed, duplicates and stories are recomputed for the whole
    store.
    """
    report = RecleanReport()
    learning = TemplateLearning(store, regroup=False)
    where, args = ("WHERE site = ?", [site]) if site else ("", [])
    total = store.conn.execute(f"SELECT count(*) FROM articles {where}", args).fetchone()[0]
    rows = store.conn.execute(f"SELECT id, url FROM articles {where} ORDER BY id", args).fetchall()
    for done, (article_id, url) in enumerate(rows, 1):
        report.articles += 1
        html = store.raw_html(article_id)
        if html is None:
            report.no_html += 1
        else:
            try:
                article = extract_article(html, url, decide=False)
            except PageRejected as rejection:
                report.failed[rejection.reason] += 1
                logger.info("article %d (%s) could not be re-extracted: %s", article_id, url,
                            rejection.detail)  # fmt: skip
            else:
                store.set_access(article_id, article.access)
                if learning.relearn(
                    article_id, article.text, article.template or "", article.captions
                ):
                    report.changed += 1
                else:
                    report.unchanged += 1
        if progress is not None:
            progress(done, total)
    # Texts of other articles the new counts concern were cleaned again too.
    report.restated = learning.restated
    if report.changed or report.restated:
        report.duplicates_changed = store.rededup().changed
    return report
