"""Commands that put articles in a store: crawl, ingest and the demo."""

from __future__ import annotations

import sys
from typing import Any

import click

from crawler import report as render
from crawler import run
from crawler import settings as project_settings
from crawler.cli.options import (
    DEFAULT_DB,
    EXIT_ALL_FAILED,
    EXIT_BUSY,
    EXIT_INTERRUPTED,
    lock_store,
    open_store,
)
from crawler.errors import ConfigError
from crawler.run import parse_overrides
from storage import StoreError
from storage.lock import StoreBusy


@click.command()
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
@click.option(
    "--due",
    is_flag=True,
    help="Crawl only the sources of --sources that are due (each source's interval, adapted "
    "to how often it has news); run it from cron every few minutes.",
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
    due: bool = False,
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
            due=due,
            settings=values,
        )
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from exc
    except StoreBusy as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(EXIT_BUSY)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    if report.due == []:
        click.echo(render.nothing_due(report.waiting))
        return
    with open_store(report.db, create=False) as store:
        click.echo(render.crawl_summary(report, store, report.db))
    if report.interrupted:
        click.echo("the crawl was stopped before it finished; the next run resumes it", err=True)
        sys.exit(EXIT_INTERRUPTED)
    if report.all_failed:
        click.echo("every start URL failed; see the errors above", err=True)
        sys.exit(EXIT_ALL_FAILED)


@click.command()
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
    """Ingest WARC files (CC-NEWS, for one) and folders of saved .html/.html.gz pages.

    Every page goes through the same extraction, cleaning, dedup and store as a crawl. Files
    already ingested are skipped; an interrupted ingest resumes where it stopped.
    """
    from crawler.archive import ingest as ingesting
    from crawler.archive.captures import MissingDependency

    def progress(report: ingesting.IngestReport) -> None:
        click.echo(render.ingest_progress(report), err=True)

    lock = lock_store(db_path, 0.0)
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


@click.command()
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
