"""The access table of ``newsdedup eval``: per set, how many of the articles extracted are marked
paywalled or truncated, and each of them with the reason."""

from __future__ import annotations

from collections import Counter
from typing import Any

from crawler.page.access import read_access
from crawler.page.parse import parse_page

# crawler.evaluate's EvalReport, named loosely here, since that module imports this one.
EvalReport = Any


def reason(html: bytes | str, url: str, text: str) -> str:
    """Why the page's article, of text ``text``, is not free (the page read again: only the few
    pages not free are)."""
    return read_access(parse_page(html, url)).explain(text.splitlines())[1]


def render_access(report: EvalReport) -> list[str]:
    """Per set, the articles marked paywalled or truncated (of the pages that gave one: every page
    of an article set, the pages a crawl stores of the others), then each one and why."""
    rows = []
    listed = []
    for name, results in report.decisions.items():
        articles = [r for r in results if r.access]
        counts = Counter(r.access for r in articles)
        rows.append((name, len(articles), counts))
        listed += [(name, r) for r in articles if r.access != "free"]
    if not any(counts["paywalled"] or counts["truncated"] for _, _, counts in rows):
        return []
    lines = ["", "access: articles marked paywalled or truncated"]
    lines.append(f"{'set':<18}{'articles':>9}{'paywalled':>11}{'truncated':>11}")
    for name, articles, counts in rows:
        lines.append(f"{name:<18}{articles:>9}{counts['paywalled']:>11}{counts['truncated']:>11}")
    for name, r in sorted(listed, key=lambda item: (item[0], item[1].access, item[1].page_id)):
        words = len(r.ours.split())
        lines.append(
            f"  {r.access:<10}{name:<18}{r.page_id[:40]:<42}{words:>6} words  {r.access_reason}"
        )
    return lines
