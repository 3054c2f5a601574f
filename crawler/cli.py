"""The ``newsdedup`` command line: flags onto ``crawler.run.crawl`` and the ``storage`` library,
errors into messages and exit codes."""

from __future__ import annotations

import contextlib
import functools
import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import click

from crawler import report as render
from crawler import run
from crawler import settings as project_settings
from crawler.errors import ConfigError
from crawler.run import parse_overrides
from storage import PRESETS, Store, StoreError
from storage.crawlstate import CrawlState
from storage.lock import CrawlLock, StoreBusy

DEFAULT_DB: str = project_settings.NEWSDEDUP_DB

# Exit codes a scheduler can act on (2, a usage error, is click's).
EXIT_ALL_FAILED = 3
EXIT_BUSY = 4  # another crawl holds the store
EXIT_INTERRUPTED = 5  # stopped by SIGINT/SIGTERM before the end; the next run resumes


def db_option(
    create: bool = False, verify: bool = True
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Add ``--db PATH`` and hand the command an open ``Store`` (closed afterwards).

    ``verify=False`` opens a store whose dedup parameters no longer match this datasketch (the
    command that rebuilds them must be able to open it).
    """

    def decorator(command: Callable[..., Any]) -> Callable[..., Any]:
        @click.option(
            "--db",
            "db_path",
            default=DEFAULT_DB,
            show_default=True,
            type=click.Path(dir_okay=False),
            help="SQLite store to use.",
        )
        @functools.wraps(command)
        def wrapper(db_path: str, **kwargs: Any) -> Any:
            store = open_store(db_path, create=create, verify=verify)
            try:
                return command(store=store, **kwargs)
            finally:
                store.close()

        return wrapper

    return decorator


def open_store(db_path: str, create: bool, verify: bool = True) -> Store:
    """Open the store or exit with a message that names the path and the fix."""
    if not create and not Path(db_path).exists():
        raise click.ClickException(
            f"no store at {db_path}: crawl into it first (newsdedup crawl URL --db {db_path}) "
            "or pass --db with the path of an existing store"
        )
    try:
        return Store.open(db_path, create=create, verify=verify)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc


def _lock_store(db_path: str, wait: float) -> CrawlLock:
    """Take the store's crawl lock, or exit with EXIT_BUSY when another process holds it."""
    try:
        return CrawlLock(db_path).acquire(wait)
    except StoreBusy as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(EXIT_BUSY)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc


def filter_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Add the filters shared by export and search, as keyword arguments of the store API."""
    options = [
        click.option(
            "--since",
            type=click.DateTime(["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S"]),
            help="Only articles published on or after this date (YYYY-MM-DD).",
        ),
        click.option(
            "--until",
            type=click.DateTime(["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S"]),
            help="Only articles published before this date (YYYY-MM-DD).",
        ),
        click.option("--site", help="Only articles of this site (host, without www.)."),
        click.option("--language", help="Only articles in this language (ISO 639-1, e.g. en)."),
        click.option(
            "--min-words",
            type=click.IntRange(min=0),
            help="Only articles with at least this many words.",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def store_filters(**kwargs: Any) -> dict[str, Any]:
    """Return the filter keyword arguments for the store, dates as ISO strings."""
    filters = {k: v for k, v in kwargs.items() if v is not None}
    for key in ("since", "until"):
        if key in filters:
            filters[key] = filters[key].date().isoformat()
    return filters


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="newsdedup")
def main() -> None:
    """Crawl news sites, keep each story once, and query the SQLite store."""


@main.command()
@click.argument("urls", nargs=-1)
@click.option(
    "--db",
    "db_path",
    default=None,
    type=click.Path(dir_okay=False),
    help=f"SQLite store to write to (created when missing).  [default: {DEFAULT_DB}]",
)
@click.option(
    "-s",
    "--set",
    "overrides",
    multiple=True,
    metavar="NAME=VALUE",
    help="Override a Scrapy or newsdedup setting, as with scrapy crawl -s.",
)
@click.option(
    "--sources",
    "sources_path",
    type=click.Path(dir_okay=False),
    help="Sources file (TOML) naming the sites to crawl; see sources.example.toml.",
)
@click.option(
    "--only",
    multiple=True,
    metavar="NAME",
    help="Crawl only this source of the sources file (repeat for more; disabled ones too).",
)
@click.option("--refresh", is_flag=True, help="Fetch known articles again; no conditional GETs.")
@click.option(
    "--since",
    type=click.DateTime(["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S"]),
    help="Skip feed and sitemap entries dated before this date (YYYY-MM-DD).",
)
@click.option(
    "--redis",
    "redis_url",
    envvar="NEWSDEDUP_REDIS_URL",
    metavar="URL",
    help="Distributed mode: share the queue, seen URLs and dedup index with other workers "
    "through this Redis (redis://[:PASSWORD@]HOST:PORT/DB, rediss:// for TLS); --db is then "
    "this worker's shard (newsdedup merge). Also NEWSDEDUP_REDIS_URL.",
)
@click.option("-v", "--verbose", is_flag=True, help="Show Scrapy's log at INFO level.")
def crawl(
    urls: tuple[str, ...],
    db_path: str | None,
    overrides: tuple[str, ...],
    sources_path: str | None,
    only: tuple[str, ...],
    refresh: bool,
    since: Any,
    verbose: bool,
    redis_url: str | None = None,
) -> None:
    """Crawl URLS and/or the sources of --sources (homepages, sections, feeds, sitemaps)."""
    try:
        values: dict[str, Any] = parse_overrides(overrides)
        if not verbose:
            values.setdefault("LOG_LEVEL", "WARNING")
        report = run.crawl(
            urls,
            db=db_path,
            sources=sources_path,
            only=only,
            refresh=refresh,
            since=since,
            redis=redis_url,
            settings=values,
        )
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from exc
    except StoreBusy as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(EXIT_BUSY)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    with open_store(report.db, create=False) as store:
        click.echo(render.crawl_summary(report, store, report.db))
    if report.interrupted:
        click.echo("the crawl was stopped before it finished; the next run resumes it", err=True)
        sys.exit(EXIT_INTERRUPTED)
    if report.all_failed:
        click.echo("every start URL failed; see the errors above", err=True)
        sys.exit(EXIT_ALL_FAILED)


@main.command()
@click.argument("inputs", nargs=-1, required=True, metavar="WARC_OR_DIR...")
@click.option(
    "--db",
    "db_path",
    default=DEFAULT_DB,
    show_default=True,
    type=click.Path(dir_okay=False),
    help="SQLite store to write to (created when missing).",
)
@click.option(
    "--site",
    "sites",
    multiple=True,
    metavar="HOST",
    help="Only pages of this site or its subdomains (host without www.; repeat for more).",
)
@click.option(
    "--since",
    type=click.DateTime(["%Y-%m-%d"]),
    help="Only articles published on or after this date (undated: by capture date).",
)
@click.option(
    "--until",
    type=click.DateTime(["%Y-%m-%d"]),
    help="Only articles published on or before this date (undated: by capture date).",
)
@click.option("--language", help="Only articles in this language (ISO 639-1, e.g. en).")
@click.option(
    "--workers",
    type=click.IntRange(min=0),
    help="Page processes for extraction (default: every usable core; 0: in this process).",
)
@click.option(
    "--keep-html/--no-keep-html",
    default=project_settings.NEWSDEDUP_KEEP_HTML,
    show_default=True,
    help="Keep each page's HTML in the store, as a crawl does.",
)
@click.option("-q", "--quiet", is_flag=True, help="No progress line on stderr.")
def ingest(
    inputs: tuple[str, ...],
    db_path: str,
    sites: tuple[str, ...],
    since: Any,
    until: Any,
    language: str | None,
    workers: int | None,
    keep_html: bool,
    quiet: bool,
) -> None:
    """Ingest WARC files (e.g. CC-NEWS) and folders of saved .html/.html.gz pages.

    Every page goes through the same extraction, cleaning, dedup and store as a crawl. Files
    already ingested are skipped; an interrupted ingest resumes where it stopped.
    """
    from crawler.archive import ingest as ingesting
    from crawler.archive.captures import MissingDependency

    def progress(report: ingesting.IngestReport) -> None:
        click.echo(render.ingest_progress(report), err=True)

    lock = _lock_store(db_path, 0.0)
    try:
        with open_store(db_path, create=True) as store, ingesting.stop_on_sigterm():
            report = ingesting.ingest(
                inputs,
                store,
                sites=sites,
                since=since.date() if since else None,
                until=until.date() if until else None,
                language=language,
                keep_html=keep_html,
                workers=workers,
                progress=None if quiet else progress,
            )
    except (MissingDependency, ValueError, StoreError) as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        lock.release()
    click.echo(render.ingest_summary(report, db_path))
    if report.interrupted:
        click.echo("the ingest was stopped before it finished; run it again to resume", err=True)
        sys.exit(EXIT_INTERRUPTED)
    if report.nothing_read:
        click.echo("nothing could be read from the inputs; see the messages above", err=True)
        sys.exit(EXIT_ALL_FAILED)


@main.command()
@click.option(
    "--db",
    "db_path",
    default="demo.db",
    show_default=True,
    type=click.Path(dir_okay=False),
    help="SQLite store to write the demo crawl to.",
)
@click.option("-v", "--verbose", is_flag=True, help="Show Scrapy's log at INFO level.")
def demo(db_path: str, verbose: bool) -> None:
    """Serve the bundled demo news world on 127.0.0.1, crawl it and summarise the result."""
    from crawler.demo.server import serve_world

    values: dict[str, Any] = {
        # The demo server is ours and local: no need to be gentle with it.
        "AUTOTHROTTLE_ENABLED": False,
        "DOWNLOAD_DELAY": 0,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
        "LOG_LEVEL": "INFO" if verbose else "WARNING",
    }
    with serve_world() as world:
        click.echo(f"Serving the demo world: {', '.join(world.sites.values())}")
        try:
            report = run.crawl(world.start_urls(), db=db_path, settings=values)
        except StoreError as exc:
            raise click.ClickException(str(exc)) from exc
    with open_store(db_path, create=False) as store:
        click.echo(render.crawl_summary(report, store, db_path))
        click.echo(render.stories_summary(store))


@main.command()
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
def export(
    store: Store,
    fmt: str,
    include_duplicates: bool,
    fields: str | None,
    output: str,
    **filters: Any,
) -> None:
    """Export the articles (unique ones unless --include-duplicates), in id order."""
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
    try:
        with _export_progress(store, selection) as progress:
            count = write_export(
                store, output, format=fmt, fields=chosen, progress=progress, **selection
            )
    except (ValueError, StoreError) as exc:
        raise click.ClickException(str(exc)) from exc
    if output != "-":
        click.echo(f"wrote {count} articles to {output}", err=True)


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


@main.command()
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


@main.command()
@click.argument("shards", nargs=-1, required=True, metavar="SHARD...")
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False),
    help="Store to merge into (created when missing; merging again adds only what is new).",
)
def merge(shards: tuple[str, ...], output: str) -> None:
    """Merge the shard stores of distributed workers (crawl --redis) into one store."""
    from storage.merge import merge as merge_stores

    try:
        result = merge_stores(shards, output)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(
        f"merged {result.shards} shards into {output}: {result.copied} articles copied "
        f"({result.duplicates} duplicates), {result.already} already there, "
        f"{result.fetches} fetches"
    )
    if result.unresolved:
        click.echo(
            f"{result.unresolved} articles duplicate articles of shards not merged here; "
            "they were stored as new (merge every worker's shard together)",
            err=True,
        )


@main.command()
@db_option()
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def stats(store: Store, as_json: bool) -> None:
    """Articles, duplicates and stories per site; errors by reason; last run per source."""
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
    if as_json:
        click.echo(json.dumps(figures, ensure_ascii=False, indent=2))
        return
    click.echo(render.stats_table(figures))


@main.command()
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


@main.command()
@db_option(verify=False)
@click.option(
    "--preset",
    type=click.Choice(sorted(PRESETS)),
    help="Named parameters and threshold: same-article (default of new stores) or syndicated.",
)
@click.option(
    "--threshold",
    type=click.FloatRange(0.0, 1.0, min_open=True),
    help="Similarity (Jaccard of 5-word shingles) from which a text is a duplicate.",
)
def dedup(store: Store, preset: str | None, threshold: float | None) -> None:
    """Recompute duplicates and stories for the whole store, without re-crawling."""
    try:
        result = store.rededup(threshold=threshold, preset=preset)
    except (StoreError, ValueError) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(
        f"{result.articles} articles: {result.duplicates} duplicates ({result.exact} exact, "
        f"{result.near} near) in {result.stories_with_duplicates} stories; "
        f"{result.changed} links changed; preset {store.preset}, threshold {store.threshold} "
        f"({result.seconds:.1f} s)"
    )


@main.command()
@db_option()
@click.option("--site", help="Only articles of this site (host, without www.).")
def reclean(store: Store, site: str | None) -> None:
    """Re-extract and re-clean stored articles from their stored HTML, then re-dedup."""
    from crawler.reclean import reclean as run_reclean

    report = run_reclean(store, site=site)
    failed = ", ".join(f"{reason} {count}" for reason, count in report.failed.most_common())
    click.echo(
        f"{report.articles} articles: {report.changed} changed, {report.unchanged} unchanged, "
        f"{report.no_html} without stored HTML"
        + (f", {sum(report.failed.values())} failed ({failed})" if failed else "")
        + (f"; {report.duplicates_changed} duplicate links changed" if report.changed else "")
    )


@main.command(name="eval")
@click.option(
    "--corpus",
    required=True,
    type=click.Path(exists=True, file_okay=False),
    help="An evaluation set (aeb, fundus or trafilatura_eval layout) or a folder holding them.",
)
@click.option(
    "--outputs",
    type=click.Path(file_okay=False),
    help="Write our cleaned text of each page to OUTPUTS/<page-id>.txt for re-scoring.",
)
@click.option("--limit", type=click.IntRange(min=1), help="Score only the first N pages of a set.")
@click.option(
    "--worst",
    type=click.IntRange(min=0),
    default=10,
    show_default=True,
    help="How many pages where we lose most against trafilatura to list.",
)
def evaluate_command(corpus: str, outputs: str | None, limit: int | None, worst: int) -> None:
    """Score our extraction and cleaning against bare trafilatura on an evaluation corpus."""
    from crawler.evaluate import CorpusError, evaluate, render_report

    try:
        report = evaluate(corpus, outputs_dir=outputs, limit=limit)
    except CorpusError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(render_report(report, worst=worst))


if __name__ == "__main__":  # pragma: no cover
    main()
