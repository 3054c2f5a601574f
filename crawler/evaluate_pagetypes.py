"""The page-type table of ``newsdedup eval``: per set and labelled type, how many pages a crawl
would store and what the others were rejected as."""

from __future__ import annotations

from collections import Counter
from typing import Any

# The report and page results are crawler.evaluate's EvalReport and PageResult; named loosely
# here, since that module imports this one.
EvalReport = Any
PageResult = Any


def page_type_rows(report: EvalReport) -> list[tuple[str, str, int, int, Counter[str]]]:
    """Per set and labelled type: pages, pages stored, and what the others were rejected as (the
    page type for "not_article", the reason otherwise)."""
    rows = []
    for name, results in report.decisions.items():
        by_label: dict[str, list[PageResult]] = {}
        for r in results:
            by_label.setdefault(r.label or "-", []).append(r)
        for label in sorted(by_label, key=lambda k: (k != "article", k)):
            mine = by_label[label]
            rejected = Counter(
                (r.page_type or "?") if r.rejected == "not_article" else r.rejected
                for r in mine
                if r.rejected
            )
            stored = sum(1 for r in mine if r.rejected is None)
            rows.append((name, label, len(mine), stored, rejected))
    return rows


def render_page_types(report: EvalReport) -> list[str]:
    """The page-type table: how many pages of each type the crawl would store."""
    rows = page_type_rows(report)
    if not rows:
        return []
    lines = [
        "",
        "page types: each page decided as a crawl would; the sets the model was trained on are",
        "decided by the model trained without the page's domain (grouped cross-validation)",
        f"{'set':<18}{'type':<15}{'pages':>6}{'stored':>8}{'%':>7}  rejected as",
    ]
    for name, label, pages, stored, rejected in rows:
        share = 100 * stored / pages if pages else 0.0
        said = ", ".join(f"{kind} {n}" for kind, n in rejected.most_common())
        lines.append(f"{name:<18}{label:<15}{pages:>6}{stored:>8}{share:>6.1f}%  {said}")
    typing, ours = report.seconds("pagetype"), report.seconds("ours")
    if ours:
        lines.append(
            f"time: page type {typing:.1f}s of ours {ours:.1f}s ({100 * typing / ours:.1f}%)"
        )
    return lines
