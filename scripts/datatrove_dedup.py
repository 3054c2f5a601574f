"""Corpus-scale near-duplicate detection through datatrove: export Parquet, dedup, import stories.

For corpora beyond what one store's index should hold (100M+ articles), the MinHash dedup runs
on datatrove (huggingface/datatrove), which spreads it over many processes or machines
(local executor here; its Slurm and Ray executors for a cluster), and the clusters it finds come
back as stories in the store. Three steps, each a sub-command:

1. ``export STORE OUT_DIR [--rows-per-file N]`` (newsdedup's environment): Parquet shards with
   ``id``, ``url``, ``text`` of every article.
2. ``dedup OUT_DIR [--tasks N] [--workers N]`` (an environment with the ``datatrove`` extra;
   this step imports no newsdedup): datatrove's four MinHash stages, with 5-word shingles as
   our store uses, writing ``OUT_DIR/clusters.jsonl`` with ``{"id": ..., "cluster": ...}`` per
   article in a cluster of two or more. datatrove folds digits to 0 before shingling.
3. ``import STORE OUT_DIR`` (newsdedup's environment): each cluster becomes a story: its
   earliest article (lowest id) is the representative, the others point at it (``match``
   "minhash", similarity left empty: datatrove does not give it). Articles that the store
   already linked keep their link. Idempotent.

datatrove pulls in its own dependencies (numpy >= 2, spaCy), so give it its own virtualenv::

    python -m venv /opt/datatrove && /opt/datatrove/bin/pip install '.[datatrove]'
    newsdedup-python scripts/datatrove_dedup.py export news.db work/
    /opt/datatrove/bin/python scripts/datatrove_dedup.py dedup work/ --tasks 4 --workers 2
    newsdedup-python scripts/datatrove_dedup.py import news.db work/
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

logger = logging.getLogger("datatrove_dedup")

# datatrove's bands x rows; 14 x 8 is its default, tuned for web-scale corpora at ~0.75 Jaccard.
BUCKETS = 14
HASHES_PER_BUCKET = 8
SHINGLE_WORDS = 5


def export(store_path: str, out_dir: Path, rows_per_file: int) -> int:
    """Write ``out_dir/input/NNNNN.parquet`` with id, url, text; return the rows written."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from storage import Store

    folder = out_dir / "input"
    folder.mkdir(parents=True, exist_ok=True)
    schema = pa.schema([("id", pa.string()), ("url", pa.string()), ("text", pa.string())])
    written = 0
    batch: dict[str, list[str]] = {"id": [], "url": [], "text": []}

    def flush(part: int) -> None:
        pq.write_table(pa.table(batch, schema=schema), folder / f"{part:05d}.parquet")
        for column in batch.values():
            column.clear()

    part = 0
    with Store.open(store_path, create=False) as store:
        for article in store.iter_articles(include_duplicates=True):
            batch["id"].append(str(article["id"]))
            batch["url"].append(article["url"])
            batch["text"].append(article["text"] or "")
            written += 1
            if len(batch["id"]) >= rows_per_file:
                flush(part)
                part += 1
    if batch["id"] or not part:
        flush(part)
    return written


def dedup(out_dir: Path, tasks: int, workers: int) -> int:
    """Run datatrove's MinHash dedup on ``out_dir/input``; return the articles in clusters."""
    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.dedup import (
        MinhashDedupBuckets,
        MinhashDedupCluster,
        MinhashDedupFilter,
        MinhashDedupSignature,
    )
    from datatrove.pipeline.dedup.minhash import MinhashConfig
    from datatrove.pipeline.readers import ParquetReader
    from datatrove.pipeline.writers import JsonlWriter
    from datatrove.utils.hashing import HashConfig

    # sha1 shingle hashes: datatrove 0.10's xxhash path passes str, which xxhash 4 refuses.
    config = MinhashConfig(
        n_grams=SHINGLE_WORDS,
        num_buckets=BUCKETS,
        hashes_per_bucket=HASHES_PER_BUCKET,
        hash_config=HashConfig(hash_fc="sha1", precision=64),
    )
    work = out_dir / "datatrove"

    def reader() -> ParquetReader:
        return ParquetReader(str(out_dir / "input"), text_key="text", id_key="id")

    steps = [
        ([reader(), MinhashDedupSignature(str(work / "signatures"), config=config)], tasks),
        (
            [MinhashDedupBuckets(str(work / "signatures"), str(work / "buckets"), config=config)],
            BUCKETS,
        ),
        (
            [
                MinhashDedupCluster(
                    str(work / "buckets"),
                    str(work / "remove_ids"),
                    config=config,
                    save_cluster_id=True,
                )
            ],
            1,
        ),
        (
            [
                reader(),
                MinhashDedupFilter(
                    str(work / "remove_ids"),
                    load_cluster_ids=True,
                    exclusion_writer=JsonlWriter(str(work / "removed"), compression=None),
                ),
                JsonlWriter(str(work / "kept"), compression=None),
            ],
            tasks,
        ),
    ]
    for n, (pipeline, count) in enumerate(steps, 1):
        LocalPipelineExecutor(
            pipeline=pipeline,
            tasks=count,
            workers=min(workers, count),
            logging_dir=str(work / "logs" / f"stage{n}"),
        ).run()
    clusters = 0
    with (out_dir / "clusters.jsonl").open("w", encoding="utf-8") as out:
        for folder in ("kept", "removed"):
            for path in sorted((work / folder).glob("*.jsonl")):
                for line in path.open(encoding="utf-8"):
                    doc = json.loads(line)
                    cluster = doc.get("metadata", {}).get("minhash_cluster_id")
                    if cluster is not None and cluster != -1:
                        out.write(json.dumps({"id": doc["id"], "cluster": cluster}) + "\n")
                        clusters += 1
    return clusters


def import_clusters(store_path: str, out_dir: Path) -> int:
    """Link each cluster's articles to its earliest one; return the links made."""
    from storage import Store

    members: dict[int, list[int]] = {}
    with (out_dir / "clusters.jsonl").open(encoding="utf-8") as fp:
        for line in fp:
            row = json.loads(line)
            members.setdefault(int(row["cluster"]), []).append(int(row["id"]))
    linked = 0
    with Store.open(store_path, create=False) as store:
        conn = store.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            for ids in members.values():
                ids.sort()
                # The cluster joins the story of its earliest article.
                first = conn.execute(
                    "SELECT coalesce(duplicate_of, id) FROM articles WHERE id = ?", (ids[0],)
                ).fetchone()
                if first is None:
                    continue
                for other in ids[1:]:
                    cur = conn.execute(
                        "UPDATE articles SET duplicate_of = ?, matched_id = ?, match = 'minhash' "
                        "WHERE id = ? AND duplicate_of IS NULL AND id != ?",
                        (first[0], ids[0], other, first[0]),
                    )
                    if cur.rowcount:
                        # Articles that pointed at it now point at its representative.
                        conn.execute(
                            "UPDATE articles SET duplicate_of = ? WHERE duplicate_of = ?",
                            (first[0], other),
                        )
                        linked += 1
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
    return linked


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    p = commands.add_parser("export", help="Parquet shards of a store's articles")
    p.add_argument("store")
    p.add_argument("out_dir", type=Path)
    p.add_argument("--rows-per-file", type=int, default=100_000)
    p = commands.add_parser("dedup", help="datatrove MinHash dedup (run with datatrove's python)")
    p.add_argument("out_dir", type=Path)
    p.add_argument("--tasks", type=int, default=4, help="Parallel tasks of stages 1 and 4.")
    p.add_argument("--workers", type=int, default=2, help="Processes at once.")
    p = commands.add_parser("import", help="clusters back into the store as stories")
    p.add_argument("store")
    p.add_argument("out_dir", type=Path)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    if args.command == "export":
        rows = export(args.store, args.out_dir, args.rows_per_file)
        print(f"exported {rows} articles to {args.out_dir / 'input'}")
    elif args.command == "dedup":
        found = dedup(args.out_dir, args.tasks, args.workers)
        print(f"{found} articles in clusters: {args.out_dir / 'clusters.jsonl'}")
    else:
        linked = import_clusters(args.store, args.out_dir)
        print(f"linked {linked} articles to their story")
    return 0


if __name__ == "__main__":
    sys.exit(main())
