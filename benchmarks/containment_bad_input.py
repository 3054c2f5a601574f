"""Bad input for the containment tier: each page decided with a reason, at the cost of one page.

Stores the corpus's real articles (furniture of a few sites on some of them), then adds, through
Store.add_article and the containment tier (benchmarks/containment_adapter.py): a 20-word text,
one sentence repeated, pages whose whole text is a disclaimer, a text that is another text
twice over, and 1,000 copies of one story (each with its own dateline and outlet line). Prints
what was decided, why, and what each cost; for the 1,000 copies, the cost of the first and the
last ones and the longest posting list, which must stay flat.

    python benchmarks/containment_bad_input.py [--copies 1000]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from containment_adapter import ContainmentStore, Decision
from dedup_quality import DEFAULT_CORPUS, load_corpus, usable

from storage import Store
from storage.containment import TABLE

DISCLAIMER = (
    "The information in this article is provided for general information only and does not "
    "constitute legal, financial or medical advice. While we endeavour to keep it up to date "
    "and correct, we make no representations or warranties of any kind about its completeness "
    "or accuracy.\nReproduction of this material in whole or in part without the written "
    "permission of the publisher is prohibited. Our journalists follow the editors' code of "
    "practice; complaints can be sent to the readers' editor, who will reply within a week."
)


def explain(engine: ContainmentStore, decision: Decision, text: str) -> str:
    if decision.match:
        extra = " (a Jaccard match undone: furniture)" if decision.vetoed else ""
        return f"{decision.match} {decision.similarity}{extra}"
    profile = engine.index.profile(text)
    if profile.shingle_count < engine.index.params.min_shared:
        return f"new: too little text for containment ({profile.shingle_count} shingles)"
    best = engine.index.lookup(profile)
    furniture = best.furniture(engine.index.params.furniture_stories)
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
    with Store.open(path) as store:
        engine = ContainmentStore(store)
        for n, doc in enumerate(docs[1:]):
            text = doc.text + ("\n" + DISCLAIMER if n % 10 == 0 else "")
            engine.add_article({"url": f"https://site{n % 40}.example/{n}", "text": text})
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
        for name, text in cases:
            started = time.perf_counter()
            decision = engine.add_article({"url": f"https://bad.example/{name}", "text": text})
            elapsed = (time.perf_counter() - started) * 1e3
            print(f"  {name:30} {elapsed:6.2f} ms  {explain(engine, decision, text)}")
        times, kinds = [], []
        lines = list(story.paragraphs)
        for i in range(args.copies):
            outlet = f"Published by The Outlet {i} under licence. Read more local news at {i}."
            text = "\n".join([f"CITY {i} (Wire) — " + lines[0], *lines[1:], outlet])
            if rng.random() < 0.3:
                text = "\n".join(text.split("\n")[: max(3, len(lines) // 2)])  # a truncated copy
            started = time.perf_counter()
            decision = engine.add_article({"url": f"https://outlet{i}.example/story", "text": text})
            times.append((time.perf_counter() - started) * 1e3)
            kinds.append(decision.match or "new")
        longest = store.conn.execute(
            f"SELECT max(n) FROM (SELECT count(*) AS n FROM {TABLE} GROUP BY anchor)"
        ).fetchone()[0]
        first, last = times[:50], times[-50:]
        print(
            f"\n  {args.copies} copies of one story: first 50 median "
            f"{statistics.median(first):.2f} ms, last 50 median {statistics.median(last):.2f} ms; "
            f"decided: {dict(sorted(((k, kinds.count(k)) for k in set(kinds)), key=str))}; "
            f"longest posting list {longest}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
