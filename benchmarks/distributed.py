"""Distributed-mode benchmark: 1, 2 and 4 crawl workers against a local world; Redis memory.

Part 1 writes a synthetic multi-site world (tests/sitegen.py: seeded random articles, some
stories carried by every site with a sentence changed), serves it on 127.0.0.1, and crawls it
once in single-process mode (no Redis) and then with 2 and 4 worker processes sharing a
throwaway redis-server (``newsdedup crawl --redis``), merging their shards. It prints wall time
(process start to last exit), pages/s, articles and duplicates in the (merged) store, whether the
merged stories equal the single-process ones, and Redis memory (INFO used_memory) per article.

Part 2 compares the shared index with datasketch's MinHashLSH on Redis storage, on the same
synthetic texts and MinHash parameters: check-then-insert per second from one process and
Redis memory per article. (datasketch inserts under a key without verification; our index also
keeps each article's shingles so other workers can verify by exact Jaccard.)

    python benchmarks/distributed.py [--sites 6] [--per-site 60] [--shared 20]
                                     [--workers 2,4] [--index-articles 5000] [--keep DIR]

Needs redis-server on PATH (Debian: apt-get install redis-server) and newsdedup[redis].
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from redis_server import redis_server  # noqa: E402
from sitegen import build_world, crawl_command, write_world  # noqa: E402

from crawler.demo.server import serve_world  # noqa: E402
from storage import Store  # noqa: E402
from storage.dedup import PRESETS, Fingerprint  # noqa: E402
from storage.merge import merge  # noqa: E402
from storage.shared_index import RedisIndex, connect  # noqa: E402

TIMEOUT = 1800


def stories(path: Path) -> tuple[int, int, set[frozenset[str]]]:
    """(articles, duplicates, stories as URL sets) of a store."""
    with Store.open(path, create=False) as store:
        by_rep: dict[int, set[str]] = {}
        for row in store.conn.execute("SELECT id, url, duplicate_of FROM articles"):
            by_rep.setdefault(row["duplicate_of"] or row["id"], set()).add(row["url"])
    articles = sum(len(urls) for urls in by_rep.values())
    return articles, articles - len(by_rep), {frozenset(urls) for urls in by_rep.values()}


def run_workers(commands: list[list[str]], env: dict[str, str], logs: Path) -> float:
    started = time.monotonic()
    running = []
    for i, command in enumerate(commands):
        log = (logs / f"worker{i}.log").open("w")
        running.append((subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=log, env=env), log))
    for process, log in running:
        if process.wait(timeout=TIMEOUT) != 0:
            raise SystemExit(f"a worker failed; see {log.name}")
        log.close()
    return time.monotonic() - started


def crawl_part(args: argparse.Namespace, work: Path) -> None:
    world_root = work / "world"
    write_world(world_root, build_world(world_root, args.sites, args.per_site, args.shared))
    env = {**os.environ, "NEWSDEDUP_REDIS_IDLE_CLOSE": "1"}
    print(f"world: {args.sites} sites x ({args.per_site} own + {args.shared} shared) articles")
    header = f"{'mode':<12}{'wall s':>8}{'pages':>7}{'pages/s':>9}{'articles':>10}{'dups':>6}"
    print(header + f"{'same stories':>14}{'Redis B/article':>17}")
    with serve_world(world_root) as world:
        urls = world.start_urls()
        single_db = work / "single.db"
        seconds = run_workers([crawl_command(single_db, *urls)], env, work)
        pages = sum(1 for hit in world.requests if hit[1] != "/robots.txt")
        articles, dups, single = stories(single_db)
        print(f"{'1 process':<12}{seconds:>8.1f}{pages:>7}{pages / seconds:>9.1f}", end="")
        print(f"{articles:>10}{dups:>6}{'-':>14}{'-':>17}")
        for count in args.workers:
            world.clear_log()
            with redis_server(work) as url:
                client = connect(url)
                base = int(client.info("memory")["used_memory"])
                shards = [work / f"w{count}-shard{i}.db" for i in range(count)]
                commands = [crawl_command(s, "--redis", url, *urls) for s in shards]
                seconds = run_workers(
                    commands, {**env, "NEWSDEDUP_REDIS_WAIT_WORKERS": str(count)}, work
                )
                used = int(client.info("memory")["used_memory"]) - base
                registered = int(client.get("newsdedup:index:seq") or 1)
            hits = Counter(hit for hit in world.requests if hit[1] != "/robots.txt")
            twice = sum(1 for n in hits.values() if n > 1)
            merged = work / f"w{count}-merged.db"
            merge(shards, merged)
            articles, dups, groups = stories(merged)
            same = "yes" if groups == single else "NO"
            label = f"{count} workers"
            print(f"{label:<12}{seconds:>8.1f}{len(hits):>7}{len(hits) / seconds:>9.1f}", end="")
            print(f"{articles:>10}{dups:>6}{same:>14}{used // registered:>17}")
            if twice:
                print(f"  !! {twice} pages fetched more than once")


def synthetic_texts(count: int, seed: int = 3) -> list[str]:
    rng = random.Random(seed)
    vocabulary = [f"w{i}" for i in range(20000)]
    texts: list[str] = []
    for i in range(count):
        if texts and i % 10 == 0:  # every tenth text a near copy of an earlier one
            words = rng.choice(texts).split()
            cut = rng.randrange(len(words) - 40)
            texts.append(" ".join(words[:cut] + words[cut + 30 :] + ["dateline"]))
        else:
            texts.append(" ".join(rng.choices(vocabulary, k=rng.randint(250, 450))))
    return texts


def index_part(args: argparse.Namespace, work: Path) -> None:
    from datasketch import MinHash, MinHashLSH  # type: ignore[import-untyped]

    preset = PRESETS["same-article"]
    params = preset.params
    texts = synthetic_texts(args.index_articles)
    prints = [Fingerprint.of(text, params) for text in texts]
    for fp in prints:
        fp.keys  # noqa: B018 - hashing is not what is measured
    print(f"\nshared index vs datasketch MinHashLSH on Redis, {len(texts)} articles")
    print(f"{'index':<34}{'per s':>9}{'B/article':>11}{'duplicates':>12}")
    with redis_server(work) as url:
        client = connect(url)
        base = int(client.info("memory")["used_memory"])
        index = RedisIndex.open(url, params, preset.threshold)
        started = time.monotonic()
        found = sum(
            index.register(f"https://x.example/{i}", "bench", fp).kind is not None
            for i, fp in enumerate(prints)
        )
        rate = len(prints) / (time.monotonic() - started)
        used = int(client.info("memory")["used_memory"]) - base
        print(f"{'newsdedup shared index':<34}{rate:>9.0f}{used // len(prints):>11}{found:>12}")
        client.flushall()
        base = int(client.info("memory")["used_memory"])
        port = int(url.rsplit(":", 1)[1].split("/")[0])
        lsh = MinHashLSH(
            threshold=preset.threshold,
            num_perm=params.num_perm,
            params=(params.bands, params.rows),
            storage_config={
                "type": "redis",
                "basename": b"bench",
                "redis": {"host": "127.0.0.1", "port": port},
            },
        )
        started = time.monotonic()
        found = 0
        for i, fp in enumerate(prints):
            mh = MinHash(
                num_perm=params.num_perm,
                seed=params.seed,
                hashvalues=fp.signature,
                scheme=params.scheme,
            )
            found += bool(lsh.query(mh))
            lsh.insert(f"https://x.example/{i}", mh)
        rate = len(prints) / (time.monotonic() - started)
        used = int(client.info("memory")["used_memory"]) - base
        label = "datasketch MinHashLSH (redis)"
        print(f"{label:<34}{rate:>9.0f}{used // len(prints):>11}{found:>12}")
    print("(datasketch: candidates only, not verified; newsdedup: verified by exact Jaccard)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=6)
    parser.add_argument("--per-site", type=int, default=60)
    parser.add_argument("--shared", type=int, default=20)
    parser.add_argument("--workers", default="2,4")
    parser.add_argument("--index-articles", type=int, default=5000)
    parser.add_argument("--skip-crawl", action="store_true")
    parser.add_argument("--keep", type=Path, help="Keep the world, stores and logs here.")
    args = parser.parse_args()
    args.workers = [int(n) for n in args.workers.split(",") if n]
    if shutil.which("redis-server") is None:
        raise SystemExit("redis-server is not installed (Debian: apt-get install redis-server)")
    work = args.keep or Path(tempfile.mkdtemp(prefix="newsdedup-dist-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        if not args.skip_crawl:
            crawl_part(args, work)
        if args.index_articles:
            index_part(args, work)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
