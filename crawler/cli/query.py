"""Commands that read a store: export, search, stats and show."""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import click

from crawler import report as render
from crawler.cli.options import db_option, filter_options, store_filters
from storage import Store, StoreError
from storage.crawlstate import CrawlState
from storage.schedule import Schedule


@click.command()
@db_option()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["jsonl", "csv", "parquet"]),
    default="jsonl",
    show_default=True,
    help="Output format.",
)
@click.option(
    "--include-duplicates",
    is_flag=True,
    help="Also export duplicates, with duplicate_of and similarity set.",
)
@filter_options
@click.option(
    "--fields",
    help="Comma-separated columns to export, in this order (default: the standard export fields).",
)
@click.option(
    "-o",
    "--output",
    default="-",
    show_default=True,
    help="File to write, or - for standard output.",
)
@click.option(
    "--changes-since",
    metavar="CURSOR",
    help="Export only what changed after this cursor (JSONL lines with an op field: add, "
    "update, remove); the new cursor is printed on stderr.",
)
@click.option(
    "--cursor-file",
    type=click.Path(dir_okay=False),
    help="Export only what changed after the cursor in FILE (everything when FILE is missing "
    "or empty), then write the new cursor to FILE, once the export is complete.",
)
def export(
    store: Store,
    fmt: str,
    include_duplicates: bool,
    fields: str | None,
    output: str,
    changes_since: str | None = None,
    cursor_file: str | None = None,
    **filters: Any,
) -> None:
    """Export the articles (unique ones unless --include-duplicates), in id order; or, with
    --changes-since or --cursor-file, only the articles added, updated or removed since."""
    from storage.export import check_fields
    from storage.export import export as write_export

    chosen = None
    if fields is not None:
        try:
            chosen = check_fields(fields.split(","))
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--fields") from exc
    if output != "-" and not Path(output).parent.is_dir():
        raise click.BadParameter(
            f"folder {Path(output).parent} does not exist; create it first or choose another path",
            param_hint="-o/--output",
        )
    selection = {"include_duplicates": include_duplicates, **store_filters(**filters)}
    if changes_since is not None or cursor_file is not None:
        _export_changes(store, fmt, chosen, output, changes_since, cursor_file, selection)
        return
    try:
        with _export_progress(store, selection) as progress:
            count = write_export(
                store, output, format=fmt, fields=chosen, progress=progress, **selection
            )
    except (ValueError, StoreError) as exc:
        raise click.ClickException(str(exc)) from exc
    if output != "-":
        click.echo(f"wrote {count} articles to {output}", err=True)


def _export_changes(
    store: Store,
    fmt: str,
    fields: tuple[str, ...] | None,
    output: str,
    since: str | None,
    cursor_file: str | None,
    selection: dict[str, Any],
) -> None:
    from storage.changes import CursorError
    from storage.export import export_changes

    if since is not None and cursor_file is not None:
        raise click.UsageError("give --changes-since or --cursor-file, not both")
    if fmt != "jsonl":
        raise click.BadParameter(
            "an incremental export is written as JSONL (one change a line, with its op)",
            param_hint="--format",
        )
    try:
        result = export_changes(
            store, output, since=since, cursor_file=cursor_file, fields=fields, **selection
        )
    except CursorError as exc:
        hint = "--cursor-file" if cursor_file else "--changes-since"
        raise click.BadParameter(str(exc), param_hint=hint) from exc
    except (ValueError, StoreError) as exc:
        raise click.ClickException(str(exc)) from exc
    where = "" if output == "-" else f" to {output}"
    click.echo(f"wrote {result.count} changes{where}; cursor {result.cursor}", err=True)


@contextlib.contextmanager
def _export_progress(
    store: Store, selection: dict[str, Any]
) -> Iterator[Callable[[int], None] | None]:
    """Yield a progress callback drawing a bar on stderr, or None when stderr is no terminal."""
    if not sys.stderr.isatty():
        yield None
        return
    total = store.count_articles(**selection)
    with click.progressbar(length=total, label="exporting", file=sys.stderr) as bar:
        done = 0

        def advance(written: int) -> None:
            nonlocal done
            bar.update(written - done)
            done = written

        yield advance


@click.command()
@click.argument("query")
@db_option()
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    default=20,
    show_default=True,
    help="How many results at most.",
)
@click.option(
    "--include-duplicates",
    is_flag=True,
    help="Also search duplicates (their duplicate_of is set).",
)
@filter_options
@click.option("--json", "as_json", is_flag=True, help="Print results as JSON lines.")
def search(
    store: Store, query: str, limit: int, include_duplicates: bool, as_json: bool, **filters: Any
) -> None:
    """Full-text search over titles and texts (SQLite FTS5 syntax, ranked by bm25)."""
    try:
        results = store.search(
            query,
            limit=limit,
            include_duplicates=include_duplicates,
            **store_filters(**filters),
        )
    except (ValueError, StoreError) as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json:
        for row in results:
            click.echo(json.dumps(row, ensure_ascii=False))
        return
    click.echo(render.search_results(query, results))


@click.command()
@db_option()
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def stats(store: Store, as_json: bool) -> None:
    """Articles, duplicates and stories per site; errors by reason; last run per source; each
    source's interval, last visit, next due time and new articles per visit."""
    figures = store.stats()
    figures["crawl_sources"] = [
        {
            "name": state.name,
            "last_run_at": state.last_run_at,
            "last_status": state.last_status,
            "last_success_at": state.last_success_at,
            "runs": state.runs,
            "successes": state.successes,
        }
        for state in CrawlState(store.conn).sources()
    ]
    figures["schedule"] = [
        {
            "name": row.name,
            "interval_seconds": row.interval,
            "configured_seconds": row.configured,
            "last_visit": row.last_visit,
            "next_due": row.next_due,
            "visits": row.visits,
            "new_articles": row.new_articles,
            "last_new": row.last_new,
            "new_per_visit": row.per_visit,
            "per_hour": row.per_hour,
        }
        for row in Schedule(store.conn).all()
    ]
    if as_json:
        click.echo(json.dumps(figures, ensure_ascii=False, indent=2))
        return
    click.echo(render.stats_table(figures))


@click.command()
@click.argument("article")
@db_option()
@click.option("--json", "as_json", is_flag=True, help="Print the article and its story as JSON.")
def show(store: Store, article: str, as_json: bool) -> None:
    """Print an article (by id or URL) with the story it belongs to."""
    key: int | str = int(article) if article.isdigit() else article
    row = store.get(key)
    if row is None:
        raise click.ClickException(
            f"no article {article!r} in the store; use an id from 'newsdedup search' or a URL"
        )
    story = store.story(row["id"])
    if as_json:
        click.echo(json.dumps({"article": row, "story": story}, ensure_ascii=False, indent=2))
        return
    click.echo(render.article_with_story(row, story))
