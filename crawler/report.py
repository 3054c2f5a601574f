"""Plain-text rendering of what the CLI prints: crawl summaries, stats, search results, stories."""

from __future__ import annotations

import textwrap
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from crawler.archive.ingest import IngestReport
from crawler.run import CrawlReport
from storage import Store
from storage.outcomes import DUPLICATE, NEW, UNCHANGED, UPDATED

# How many stories with duplicates the demo summary lists.
STORIES_SHOWN = 12


def _counts(counts: Mapping[str, int]) -> str:
    items = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return ", ".join(f"{name} {count}" for name, count in items)


def _line(label: str, value: object, detail: str = "") -> str:
    return f"  {label:<20}{value!s:>6}" + (f"   ({detail})" if detail else "")


def crawl_summary(report: CrawlReport, store: Store, db_path: str) -> str:
    """Return what one crawl fetched, stored, rejected and found duplicated."""
    articles = report.count("articles")
    rejected = report.count("rejected")
    errors = report.count("errors")
    totals = store.stats()["totals"]
    lines = [
        f"Crawled {report.pages} pages in {report.seconds:.1f} s into {db_path}",
        _line("new articles", articles.get(NEW, 0)),
        _line("duplicates found", articles.get(DUPLICATE, 0)),
        _line("updated", articles.get(UPDATED, 0)),
        _line("unchanged", articles.get(UNCHANGED, 0), "already stored, same text"),
        _line("rejected pages", sum(rejected.values()), _counts(rejected)),
        _line("errors", sum(errors.values()), _counts(errors)),
    ]
    not_modified = int(report.stats.get("newsdedup/not_modified", 0))
    skipped = report.count("skipped")
    if not_modified:
        lines.append(_line("not modified", not_modified, "entry pages answered 304"))
    if skipped:
        lines.append(_line("links not followed", sum(skipped.values()), _counts(skipped)))
    lines += [
        f"Store now holds {totals['unique_articles']} unique articles and "
        f"{totals['duplicates']} duplicates.",
    ]
    return "\n".join(lines)


def stories_summary(store: Store, limit: int = STORIES_SHOWN) -> str:
    """Return the stories that have duplicates: each representative with its copies."""
    stories = store.stats(largest=limit)["largest_stories"]
    if not stories:
        return "No duplicates found."
    lines = ["Stories carried more than once:"]
    for entry in stories:
        story = store.story(entry["id"])
        rep = story["representative"]
        lines.append(f"  #{rep['id']} {rep['title']!r} [{rep['site']}]")
        for dup in story["duplicates"]:
            similarity = dup["similarity"] or 0.0
            lines.append(
                f"      = #{dup['id']} [{dup['site']}] {dup['match']}, similarity {similarity:.2f}"
                f"  {dup['url']}"
            )
    return "\n".join(lines)


def _when(stamp: str | None) -> str:
    """An ISO timestamp as 'YYYY-MM-DD HH:MM:SS' (UTC as stored), '-' when missing."""
    return stamp[:19].replace("T", " ") if stamp else "-"


def duration(seconds: float) -> str:
    """Seconds as the sources file writes them: "15m", "6h", "1.5d"."""
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return f"{seconds / size:.3g}{unit}"
    return f"{seconds:.3g}s"


def nothing_due(waiting: Mapping[str, str | None]) -> str:
    """What ``crawl --due`` says when no source is due: when the next ones are."""
    if not waiting:
        return "No source is due."
    name, when = min(waiting.items(), key=lambda kv: kv[1] or "")
    return f"No source is due; the next one is {name} at {_when(when)} (UTC)."


def stats_table(figures: Mapping[str, Any]) -> str:
    """Return the store's figures as aligned text."""
    totals = figures["totals"]
    lines = [
        f"Store {figures['path']}",
        _line("articles", totals["articles"]),
        _line("unique", totals["unique_articles"]),
        _line("duplicates", totals["duplicates"]),
        _line("stories w/ copies", totals["stories_with_duplicates"]),
        _line("fetches logged", totals["fetches"]),
        "",
        f"  {'site':<32}{'articles':>9}{'unique':>8}{'dups':>6}{'stories':>8}",
    ]
    for site in figures["sites"]:
        lines.append(
            f"  {site['site'] or '?':<32}{site['articles']:>9}{site['unique_articles']:>8}"
            f"{site['duplicates']:>6}{site['stories']:>8}"
        )
    if figures["fetch_outcomes"]:
        lines += ["", "  fetches by outcome: " + _counts(figures["fetch_outcomes"])]
    if figures["errors"]:
        lines += ["", "  rejected and failed fetches by reason:"]
        for row in figures["errors"]:
            lines.append(f"    {row['count']:>6}  {row['outcome']:<9}{row['reason']}")
    if figures.get("page_types"):
        lines += ["", f"  {'fetches by page type':<24}{'articles':>9}{'rejected':>9}"]
        for row in figures["page_types"]:
            lines.append(f"    {row['page_type']:<22}{row['articles']:>9}{row['rejected']:>9}")
    if figures.get("crawl_sources"):
        lines += [
            "",
            f"  {'source':<32}{'last run':<22}{'status':<13}{'last success':<22}{'runs':>5}",
        ]
        for src in figures["crawl_sources"]:
            lines.append(
                f"  {src['name']:<32}{_when(src['last_run_at']):<22}"
                f"{src['last_status'] or '-':<13}{_when(src['last_success_at']):<22}"
                f"{src['runs']:>5}"
            )
    if figures.get("schedule"):
        lines += [
            "",
            f"  {'source':<32}{'interval':>9}  {'last visit':<22}{'next due':<22}"
            f"{'visits':>7}{'new/visit':>10}{'per hour':>10}",
        ]
        for row in figures["schedule"]:
            per_visit = "-" if row["new_per_visit"] is None else f"{row['new_per_visit']:.2f}"
            per_hour = "-" if row.get("per_hour") is None else f"{row['per_hour']:.2g}"
            lines.append(
                f"  {row['name']:<32}{duration(row['interval_seconds']):>9}  "
                f"{_when(row['last_visit']):<22}{_when(row['next_due']):<22}"
                f"{row['visits']:>7}{per_visit:>10}{per_hour:>10}"
            )
    if figures["largest_stories"]:
        lines += ["", "  largest stories:"]
        for row in figures["largest_stories"]:
            copies = f"{row['size']:>3} copies on {row['sites']} sites"
            lines.append(f"    #{row['id']:<6}{copies}  {row['title']}")
    return "\n".join(lines)


def search_results(query: str, results: Iterable[Mapping[str, Any]]) -> str:
    """Return search hits, best first, one block each."""
    rows = list(results)
    if not rows:
        return f"No article matches {query!r}."
    lines = []
    for row in rows:
        date = (row.get("published") or "")[:10]
        lines.append(f"#{row['id']} {row['title']}  [{row['site']}] {date}".rstrip())
        lines.append(f"    {row['url']}")
        lines.append(textwrap.indent(textwrap.fill(row["snippet"] or "", 96), "    "))
    return "\n".join(lines)


def article_with_story(article: Mapping[str, Any], story: Mapping[str, Any]) -> str:
    """Return an article's metadata and text, then the story it belongs to."""
    lines = [
        f"#{article['id']} {article['title']}",
        f"  url:       {article['url']}",
        f"  site:      {article['site']}   published: {article.get('published') or '-'}",
        f"  authors:   {', '.join(article.get('authors') or []) or '-'}",
    ]
    if article.get("duplicate_of"):
        lines.append(
            f"  duplicate of #{article['duplicate_of']} (similarity {article['similarity']:.2f})"
        )
    for caption in article.get("captions") or []:
        lines.append(f"  caption:   {caption}")
    lines.append("")
    for paragraph in (article["text"] or "").split("\n"):
        lines += [textwrap.fill(paragraph, 96, initial_indent="  ", subsequent_indent="  "), ""]
    rep = story["representative"]
    lines.append(f"Story #{story['id']}: {story['size']} copies on {len(story['sites'])} sites")
    lines.append(f"  #{rep['id']} [{rep['site']}] representative  {rep['url']}")
    for dup in story["duplicates"]:
        lines.append(
            f"  #{dup['id']} [{dup['site']}] {dup['match']}, similarity "
            f"{(dup['similarity'] or 0.0):.2f}  {dup['url']}"
        )
    return "\n".join(lines)


def ingest_summary(report: IngestReport, db_path: str) -> str:
    """Return the end-of-ingest summary for humans."""

    def counts(counter: Counter[str]) -> str:
        return ", ".join(
            f"{name} {n}" for name, n in sorted(counter.items(), key=lambda kv: -kv[1])
        )

    def line(label: str, value: object, detail: str = "") -> str:
        return f"  {label:<22}{value!s:>7}" + (f"   ({detail})" if detail else "")

    rate = report.records / report.seconds if report.seconds else 0.0
    skipped = (
        f" ({report.files_skipped} more already ingested, not opened)"
        if report.files_skipped
        else ""
    )
    lines = [
        f"Read {report.records} records from {report.files} files{skipped} in "
        f"{report.seconds:.1f} s ({rate:.1f} records/s) into {db_path}"
        + (" -- interrupted; run the same command again to resume" if report.interrupted else ""),
        line("new articles", report.articles.get(NEW, 0)),
        line("duplicates found", report.articles.get(DUPLICATE, 0)),
        line("updated", report.articles.get(UPDATED, 0)),
        line("unchanged", report.articles.get(UNCHANGED, 0), "already stored, same text"),
        line("rejected pages", sum(report.rejected.values()), counts(report.rejected)),
        line("errors", sum(report.errors.values()), counts(report.errors)),
        line("not pages / filtered", sum(report.skipped.values()), counts(report.skipped)),
    ]
    if report.already:
        lines.append(line("already ingested", report.already, "records settled before"))
    return "\n".join(lines)


def ingest_progress(report: IngestReport) -> str:
    """Return a one-line progress figure for stderr."""
    rate = report.records / report.seconds if report.seconds else 0.0
    return (
        f"{report.records} records, {report.pages} pages, {report.stored} stored "
        f"({report.articles.get('duplicate', 0)} duplicates), "
        f"{sum(report.rejected.values())} rejected, {sum(report.errors.values())} errors, "
        f"{rate:.1f} records/s"
    )
