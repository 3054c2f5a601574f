"""Train the page-type model (crawler/page/pagetype_weights.json) on the shared evaluation corpus.

Data: ``pagetypes/`` (926 real pages from 777 sites, each labelled article, listing,
collection, forum, service, product or documentation; WCXB development split, CC-BY-4.0) and,
as further article examples, every page of ``aeb/`` and ``fundus/`` (all articles). The corpus
is read where it lies (``../shared/corpus`` by default); nothing of it is copied here.

Each page goes through extraction as a crawl would take it, once to record the measures the
model reads (:mod:`crawler.page.pagefeatures`) and once to see what the fixed rules and the
length check decide without the model. The model is a multinomial logistic regression over
standardised features (scikit-learn, this script's only extra dependency:
``pip install -e '.[train]'``).

Quality is measured by cross-validation grouped by domain: each domain's pages fall in one of
``--folds`` folds by a stable hash (:func:`crawler.page.pagetype.fold_of`), and each page is
scored by the model trained without its fold. The article threshold is the one at which these scores
cost least, a lost article weighing ``--article-weight`` stored non-articles, among those that
keep every aeb and fundus page that reaches the model. The weights file holds the model fitted
on all pages, the fold models (so ``newsdedup eval`` can score each page as if its site were
never seen) and the threshold. Deterministic: the same corpus gives the same file.

    python scripts/train_pagetype.py [--corpus ../shared/corpus] [--cache measures.json]
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import math
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from crawler.page import pagefeatures, pagetype
from crawler.page.extract import PageRejected, extract_article
from crawler.page.process import decode_page

ROOT = Path(__file__).resolve().parent.parent
CLASSES = ["article", "listing", "forum", "product", "service", "documentation"]
# The corpus's "collection" pages (category pages, product grids) are lists too.
LABELS = {"collection": "listing"}
REPORT_TYPES = ("article", "listing", "collection", "forum", "product", "service", "documentation")


class _Recorder:
    """Stands in for the model: keeps the measures it is shown and takes every page."""

    def __init__(self) -> None:
        self.page: dict | None = None
        self.text: dict | None = None

    def decide(self, page: dict, text: dict | None, url: str) -> pagetype.Verdict:
        self.page, self.text = page, text
        return pagetype.Verdict(pagetype.ARTICLE, "recorded")


def _pages(corpus: Path) -> list[dict]:
    """Every labelled page: set, id, URL, label, HTML path."""
    pages = []
    items = json.loads((corpus / "pagetypes" / "pages.json").read_text(encoding="utf-8"))
    for page_id, item in sorted(items.items()):
        pages.append(
            {"set": "pagetypes", "id": page_id, "url": item["url"], "label": item["page_type"],
             "path": str(corpus / "pagetypes" / "html" / f"{page_id}.html.gz")}
        )  # fmt: skip
    truth = json.loads((corpus / "aeb" / "ground-truth.json").read_text(encoding="utf-8"))
    for page_id, item in sorted(truth.items()):
        pages.append(
            {"set": "aeb", "id": page_id, "url": item.get("url", ""), "label": "article",
             "path": str(corpus / "aeb" / "html" / f"{page_id}.html.gz")}
        )  # fmt: skip
    for path in sorted((corpus / "fundus" / "ground-truth").glob("*.json")):
        item = json.loads(path.read_text(encoding="utf-8"))
        pages.append(
            {"set": "fundus", "id": path.stem, "url": item.get("url", ""), "label": "article",
             "path": str(corpus / "fundus" / "html" / f"{path.stem}.html.gz")}
        )  # fmt: skip
    return pages


def _measure(page: dict) -> dict:
    """The page's measures, and what the rules and the length check make of it."""
    body = gzip.decompress(Path(page["path"]).read_bytes())
    _, html = decode_page(body)
    url = page["url"]
    recorder = _Recorder()
    # No text raises: the measures of the page are there, the text's are not.
    with contextlib.suppress(PageRejected):
        extract_article(html, url, decide=False, classifier=recorder)
    try:
        extract_article(html, url, classifier=_Recorder())
        gate = None
    except PageRejected as rejection:
        gate = rejection.reason
    return {**page, "page": recorder.page, "text": recorder.text, "gate": gate}


def measure_all(corpus: Path, workers: int, cache: Path | None) -> list[dict]:
    """Measures of every page, read from ``cache`` when it was made from the same code."""
    if cache is not None and cache.exists():
        data = json.loads(cache.read_text(encoding="utf-8"))
        if data.get("features") == list(pagefeatures.FEATURES):
            return data["pages"]
    pages = _pages(corpus)
    started = time.monotonic()
    with ProcessPoolExecutor(max_workers=workers) as pool:
        measured = list(pool.map(_measure, pages, chunksize=8))
    print(f"measured {len(measured)} pages in {time.monotonic() - started:.0f} s", file=sys.stderr)
    if cache is not None:
        cache.write_text(json.dumps({"features": list(pagefeatures.FEATURES), "pages": measured}))
    return measured


def _fit(x, y, c: float):
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    scaler = StandardScaler().fit(x)
    model = LogisticRegression(C=c, max_iter=10000).fit(scaler.transform(x), y)
    return scaler, model


def _export(scaler, model) -> dict:
    """The fitted model as the weights file holds it: plain lists, six significant digits."""

    def r(values):
        return [float(f"{v:.6g}") for v in values]

    scale = [s if s > 0 else 1.0 for s in scaler.scale_]
    return {
        "features": list(pagefeatures.FEATURES),
        "classes": [CLASSES[int(k)] for k in model.classes_],
        "mean": r(scaler.mean_),
        "scale": r(scale),
        "weights": [r(row) for row in model.coef_],
        "bias": r(model.intercept_),
    }


def _table(rows: list[dict], stored: list[bool]) -> dict[str, list[int]]:
    """Stored and total pages per labelled type, and per article set."""
    table: dict[str, list[int]] = {}
    for row, kept in zip(rows, stored, strict=True):
        key = row["label"] if row["set"] == "pagetypes" else row["set"]
        entry = table.setdefault(key, [0, 0])
        entry[0] += kept
        entry[1] += 1
    return table


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    weights = ROOT / "crawler" / "page" / pagetype.WEIGHTS_FILE
    parser.add_argument("--out", type=Path, default=weights)
    parser.add_argument("--cache", type=Path, help="keep the measures here for the next run")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--c", type=float, default=0.01, help="inverse regularisation strength")
    # The goals allow 2% of articles lost and 5% of non-articles stored: on this corpus's 300
    # articles and 626 other pages, a lost article weighs as much as about five stored pages.
    parser.add_argument("--article-weight", type=float, default=5.0)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    if not (args.corpus / "pagetypes" / "pages.json").exists():
        parser.error(f"{args.corpus} holds no pagetypes/pages.json; pass --corpus")

    import numpy as np

    rows = measure_all(args.corpus, args.workers, args.cache)
    usable = [r for r in rows if r["page"] is not None]
    x = np.array([pagefeatures.features(r["page"], r["text"]) for r in usable])
    y = np.array([CLASSES.index(LABELS.get(r["label"], r["label"])) for r in usable])
    folds = np.array([pagetype.fold_of(pagetype.domain_of(r["url"]), args.folds) for r in usable])
    domains = len({pagetype.domain_of(r["url"]) for r in usable})
    sizes = sorted(Counter(folds.tolist()).values())
    print(f"{len(usable)} pages, {domains} domains, folds of {sizes} pages", file=sys.stderr)

    fold_models, scores = [], np.zeros(len(usable))
    for k in range(args.folds):
        held = folds == k
        scaler, model = _fit(x[~held], y[~held], args.c)
        fold_models.append(_export(scaler, model))
        article = list(model.classes_).index(0)
        scores[held] = model.predict_proba(scaler.transform(x[held]))[:, article]

    # The threshold: the one that costs least on the cross-validated scores, a lost article
    # weighing --article-weight stored non-articles, among those that keep every aeb and fundus
    # article the rules (the fixed ones in front of the model, the length check) let through.
    passing = np.array(
        [r["gate"] is None and pagetype.evident(r["page"], r["text"]) is None for r in usable]
    )
    articles = passing & np.array([r["label"] == "article" for r in usable])
    labelled = articles & np.array([r["set"] == "pagetypes" for r in usable])
    others = passing & (y != 0)
    ceiling = float(scores[articles & ~labelled].min()) if (articles & ~labelled).any() else 1.0
    candidates = sorted({float(v) for v in scores[labelled]} | {ceiling})
    threshold = min(
        (t for t in candidates if t <= ceiling),
        key=lambda t: (
            args.article_weight * int((scores[labelled] < t).sum())
            + int((scores[others] >= t).sum())
        ),
    )
    threshold = math.floor(threshold * 1e4) / 1e4  # rounded down: the articles at it stay in

    stored = (passing & (scores >= threshold)).tolist()
    table = _table(usable, stored)
    scaler, model = _fit(x, y, args.c)
    reported = [key for key in (*REPORT_TYPES, "aeb", "fundus") if key in table]
    data = {
        "about": "page-type model of crawler/page/pagetype.py, by scripts/train_pagetype.py",
        "data": "shared corpus: pagetypes (labelled), aeb and fundus (articles)",
        # newsdedup eval decides the pages of these sets with the fold models.
        "trained_on": sorted({r["set"] for r in usable}),
        "c": args.c,
        "article_weight": args.article_weight,
        "threshold": threshold,
        "fold_hash": f"blake2b-64(domain) % {args.folds}",
        "cross_validation": {key: table[key] for key in reported},
        "model": _export(scaler, model),
        "folds": fold_models,
    }  # fmt: skip
    args.out.write_text(json.dumps(data, separators=(",", ":")) + "\n", encoding="utf-8")

    print(f"threshold {threshold}; cross-validated, grouped by domain (stored/total):")
    for key, (kept, total) in data["cross_validation"].items():
        print(f"  {key:<14}{kept:>5}/{total:<5}{100 * kept / total:6.1f}%")
    print(f"weights written to {args.out} ({args.out.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
