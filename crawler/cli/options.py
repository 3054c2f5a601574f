"""What the commands share: --db and the open store, the crawl lock, filters, exit codes."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from crawler import settings as project_settings
from storage import Store, StoreError
from storage.filters import check_access
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


def lock_store(db_path: str, wait: float) -> CrawlLock:
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
        click.option(
            "--access",
            multiple=True,
            help="Only articles with this access: free, paywalled or truncated (repeat it or "
            "give a comma list; e.g. --access free to leave out paywall stubs).",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def store_filters(**kwargs: Any) -> dict[str, Any]:
    """Return the filter keyword arguments for the store, dates as ISO strings."""
    filters = {k: v for k, v in kwargs.items() if v is not None and v != ()}
    if "access" in filters:
        try:
            filters["access"] = check_access(filters["access"])
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--access") from exc
    for key in ("since", "until"):
        if key in filters:
            filters[key] = filters[key].date().isoformat()
    return filters
