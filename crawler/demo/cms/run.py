"""Crawl a generated world with ``newsdedup crawl`` (a subprocess) and score the store it wrote."""

from __future__ import annotations

import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from crawler.demo.cms.score import Scores, fingerprint, score
from crawler.demo.cms.truth import Truth
from crawler.demo.server import serve_world

ROOT = Path(__file__).resolve().parents[3]
# The server is local and ours: no politeness delays.
FAST = ("-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False")
CRAWL_TIMEOUT = 300.0


class CrawlFailed(RuntimeError):
    """``newsdedup crawl`` exited with an error; the message carries its exit code and stderr."""


@dataclass
class Run:
    """One crawl of one world: the truth, the scores, the store's fingerprint and the time taken."""

    truth: Truth
    scores: Scores
    fingerprint: dict[str, dict[str, Any]]
    seconds: float
    stdout: str


def crawl_and_score(
    world_dir: Path | str,
    db_path: Path | str,
    *,
    args: tuple[str, ...] = (),
    reverse: bool = False,
    timeout: float = CRAWL_TIMEOUT,
) -> Run:
    """Serve ``world_dir``, crawl it from its start URLs into ``db_path`` and score the store.

    ``args`` are passed on to ``newsdedup crawl``; ``reverse`` gives the start URLs in reverse
    order (to see whether the store depends on the order pages arrive in). Raises CrawlFailed
    when the crawl exits with an error, and subprocess.TimeoutExpired after ``timeout`` seconds.
    """
    truth = Truth.load(world_dir)
    with serve_world(world_dir) as world:
        starts = truth.start_urls(world)
        command = [
            sys.executable,
            "-m",
            "crawler.cli",
            "crawl",
            *(starts[::-1] if reverse else starts),
        ]
        command += ["--db", str(db_path), *FAST, *args]
        started = time.perf_counter()
        result = subprocess.run(
            command, cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False
        )
        seconds = time.perf_counter() - started
        if result.returncode != 0:
            raise CrawlFailed(
                f"newsdedup crawl of {world_dir} exited with {result.returncode}:\n"
                + result.stderr[-3000:]
            )
        scores = score(db_path, truth, world)
        prints = fingerprint(db_path, world)
    return Run(truth, scores, prints, seconds, result.stdout)
