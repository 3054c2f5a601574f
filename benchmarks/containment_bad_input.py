"""Bad input for the containment tier: each page decided with a reason, at the cost of one page.

Stores the corpus's real articles (furniture of a few sites on some of them), then adds, through
Store.add_article (whose last tier is containment): a 20-word text,
one sentence repeated, pages whose whole text is a disclaimer, a text that is another text
twice over, and 1,000 copies of one story (each with its own dateline and outlet line). Prints
what was decided, why, and what each cost; for the 1,000 copies, the cost of the first and the
last ones and the longest posting list, which must stay flat.

    python benchmarks/containment_bad_input.py [--copies 1000]
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import sqlite_utils
from dedup_pairs import DEFAULT_CORPUS, load_corpus, usable

from storage import Store
from storage.containment import TABLE
from storage.store import AddResult

REPEATS = 7
DISCLAIMER = (
    "The information in this article is provided for general information only and does not "
    "constitute legal, financial or medical advice. While we endeavour to keep it up to date "
    "and correct, we make no representations or warranties of any kind about its completeness "
    "or accuracy.\nReproduction of this material in whole or in part without the written "
    "permission of the publisher is prohibited. Our journalists follow the editors' code of "
    "practice; complaints can be sent to the readers' editor, who will reply within a week."
)


def explain(store: Store, decision: AddResult, text: str) -> str:
    if decision.match:
        extra = " (now the story's representative)" if decision.promoted else ""
        return f"{decision.match} {decision.similarity}{extra}"
    index = store._local.containment
    profile = index.profile(text)
    if not index.indexable(profile):
        return f"new: too little text for containment ({profile.own_words} words of its own)"
    best = index.lookup(profile)
    furniture = best.furniture(index.params.furniture_stories)
    own = sum(1 for a in profile.anchors if a not in furniture)
    return f"new: no stored story holds it or is held by it ({own} own anchors)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    docs = usable(load_corpus(DEFAULT_CORPUS))
    if not docs:
        print("the shared corpus is absent; nothing to measure")
        return 1
    rng = random.Random(args.seed)
    path = Path(tempfile.mkdtemp(prefix="containment_bad_")) / "news.db"
    spent = [0.0]  # the containment tier's own work in the current article

    def timed(method: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return method(*args, **kwargs)
            finally:
                spent[0] += time.perf_counter() - started

        return wrapper

    def time_containment(store: Store) -> None:
        index = store._local.containment
        for name in ("lookup", "matches", "insert", "furniture_made"):
            setattr(index, name, timed(getattr(index, name)))

    with Store.open(path) as store:
        time_containment(store)
        for n, doc in enumerate(docs[1:]):
            text = doc.text + ("\n" + DISCLAIMER if n % 10 == 0 else "")
            store.add_article({"url": f"https://site{n % 40}.example/{n}", "text": text})
        story = docs[0]
        sentence = story.paragraphs[0].split(". ")[0]
        cases = [
            ("a 20-word text", " ".join(story.text.split()[:20])),
            ("one sentence repeated", "\n".join([sentence + "."] * 40)),
            ("the whole text a disclaimer", DISCLAIMER),
            ("another disclaimer-only page", DISCLAIMER.replace("a week", "seven days")),
            ("a text twice over", docs[5].text + "\n" + docs[5].text),
        ]
        print(f"{len(docs) - 1} articles stored first; 1 in 10 carries the same disclaimer\n")
        print(f"  {'':30} {'all':>8} {'cont':>8}   (medians of {REPEATS} runs, each on a copy)")
        for name, text in cases:
            runs = []
            for _ in range(REPEATS):
                # Each run on a copy of the store as it is now, so every run decides the same.
                conn = sqlite3.connect(":memory:", isolation_level=None)
                store.conn.backup(conn)
                conn.row_factory = sqlite3.Row
                trial = Store(
                    sqlite_utils.Database(conn), ":memory:", store.params, store.threshold,
                    store.preset,
                )  # fmt: skip
                time_containment(trial)
                spent[0] = 0.0
                started = time.perf_counter()
                decision = trial.add_article({"url": f"https://bad.example/{name}", "text": text})
                runs.append(((time.perf_counter() - started) * 1e3, spent[0] * 1e3))
                verdict = explain(trial, decision, text)
                trial.close()
            elapsed = statistics.median(r[0] for r in runs)
            own_ms = statistics.median(r[1] for r in runs)
            print(f"  {name:30} {elapsed:5.2f} ms {own_ms:5.2f} ms  {verdict}")
        times, kinds, own = [], [], []
        lines = list(story.paragraphs)
        for i in range(args.copies):
            outlet = f"Published by The Outlet {i} under licence. Read more local news at {i}."
            text = "\n".join([f"CITY {i} (Wire) — " + lines[0], *lines[1:], outlet])
            if rng.random() < 0.3:
                text = "\n".join(text.split("\n")[: max(3, len(lines) // 2)])  # a truncated copy
            spent[0] = 0.0
            started = time.perf_counter()
            decision = store.add_article({"url": f"https://outlet{i}.example/story", "text": text})
            times.append((time.perf_counter() - started) * 1e3)
            own.append(spent[0] * 1e3)
            kinds.append(decision.match or "new")
        story_of = store.story(f"https://outlet{args.copies - 1}.example/story")
        longest = store.conn.execute(
            f"SELECT max(n) FROM (SELECT count(*) AS n FROM {TABLE} GROUP BY anchor)"
        ).fetchone()[0]
        print(
            f"\n  {args.copies} copies of one story (30% of them truncated), median ms per copy, "
            f"all / containment's own:\n"
            f"    copies 1-50: {statistics.median(times[:50]):.2f} / "
            f"{statistics.median(own[:50]):.2f}; copies {args.copies - 49}-{args.copies}: "
            f"{statistics.median(times[-50:]):.2f} / {statistics.median(own[-50:]):.2f}\n"
            f"    decided: {dict(sorted(((k, kinds.count(k)) for k in set(kinds)), key=str))}; "
            f"longest posting list {longest}\n"
            f"    one story of {story_of['size']}, represented by "
            f"{story_of['representative']['url']} ({story_of['representative']['word_count']} "
            "words)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
