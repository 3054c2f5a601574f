"""The ``newsdedup`` command line: flags onto ``crawler.run.crawl`` and the ``storage`` library,
errors into messages and exit codes."""

from __future__ import annotations

import click

from crawler.cli.collect import crawl, demo, ingest
from crawler.cli.maintain import changes, dedup, evaluate_command, merge, reclean
from crawler.cli.query import export, search, show, stats


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="newsdedup")
def main() -> None:
    """Crawl news sites, keep each story once, and query the SQLite store."""


for _command in (crawl, ingest, demo, export, search, stats, show, merge, dedup, reclean, changes):
    main.add_command(_command)
main.add_command(evaluate_command, name="eval")

__all__ = ["main"]
