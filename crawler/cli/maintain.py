"""Commands that rework a store or score the extraction: merge, dedup, reclean, changes and eval."""

from __future__ import annotations

import click

from crawler.cli.options import db_option
from storage import PRESETS, Store, StoreError


@click.command()
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


@click.command()
@db_option(verify=False)
@click.option(
    "--compact-before",
    metavar="CURSOR",
    help="Drop the change log up to CURSOR (one every downstream job has reached); cursors "
    "older than it are refused from then on.",
)
def changes(store: Store, compact_before: str | None) -> None:
    """Show the store's change log (cursor, entries), or compact it (--compact-before)."""
    from storage import changes as log

    if compact_before is not None:
        try:
            dropped = log.compact(store.conn, compact_before, str(store.path))
        except StoreError as exc:
            raise click.BadParameter(str(exc), param_hint="--compact-before") from exc
        click.echo(f"dropped {dropped} change log entries up to {compact_before.strip()}")
    entries = store.conn.execute("SELECT count(*) FROM changes").fetchone()[0]
    kept = log.compacted(store.conn)
    since = f", compacted up to {kept}" if kept else ""
    click.echo(f"cursor {store.cursor()}: {entries} change log entries{since}")


@click.command()
@db_option(verify=False)
@click.option(
    "--preset",
    type=click.Choice(sorted(PRESETS)),
    help="Named parameters and threshold: same-article (default of new stores) or syndicated.",
)
@click.option(
    "--threshold",
    type=click.FloatRange(0.0, 1.0, min_open=True),
    help="Similarity (Jaccard of shingles: 5 words, or 4 Chinese or Japanese characters) from "
    "which a text is a duplicate.",
)
def dedup(store: Store, preset: str | None, threshold: float | None) -> None:
    """Recompute duplicates and stories for the whole store, without re-crawling."""
    try:
        result = store.rededup(threshold=threshold, preset=preset)
    except (StoreError, ValueError) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(
        f"{result.articles} articles: {result.duplicates} duplicates ({result.exact} exact, "
        f"{result.near} near, {result.contained} by containment) in "
        f"{result.stories_with_duplicates} stories; "
        f"{result.changed} links changed; preset {store.preset}, threshold {store.threshold} "
        f"({result.seconds:.1f} s)"
    )


@click.command()
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


@click.command(name="eval")
@click.option(
    "--corpus",
    required=True,
    type=click.Path(exists=True, file_okay=False),
    help="An evaluation set (aeb, fundus, trafilatura_eval or pagetypes layout) or a folder "
    "holding them.",
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
    help="How many pages where we lose most against trafilatura to list, and how many of our "
    "misses per metadata field.",
)
@click.option(
    "--only",
    type=click.Choice(["text", "metadata"]),
    help="Score only the text (F1 against the truth's body; page types where pages are labelled "
    "with theirs) or only the metadata (title, date, authors, captions).",
)
def evaluate_command(
    corpus: str, outputs: str | None, limit: int | None, worst: int, only: str | None
) -> None:
    """Score our extraction and cleaning against bare trafilatura on an evaluation corpus."""
    from crawler.evaluate import CorpusError, evaluate, render_report
    from crawler.evaluate_metadata import evaluate_metadata, find_metadata_sets, render_metadata

    metadata_sets = find_metadata_sets(corpus)
    if only == "metadata" and not metadata_sets:
        raise click.ClickException(
            f"{corpus} holds no metadata truth: expected ground-truth/ (fundus) or pages.json "
            "(pagetypes) next to an html/ folder"
        )
    if only != "metadata":
        try:
            report = evaluate(corpus, outputs_dir=outputs, limit=limit)
        except CorpusError as exc:
            if only == "text" or not metadata_sets:
                raise click.ClickException(str(exc)) from exc
        else:
            click.echo(render_report(report, worst=worst))
    if only != "text" and metadata_sets:
        if only != "metadata":
            click.echo("")
        click.echo(render_metadata(evaluate_metadata(corpus, limit=limit), misses=worst))
