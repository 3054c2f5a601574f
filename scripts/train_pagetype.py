"""Train the page-type model (crawler/page/pagetype_weights.json) on the shared evaluation corpus.

Data: ``pagetypes/`` (926 real pages from 777 sites, each labelled article, listing,
collection, forum, service, product or documentation; WCXB development split, CC-BY-4.0) and,
as further article examples, every page of ``aeb/`` and ``fundus/`` (all articles). The corpus
is read where it lies (``../shared/corpus`` by default); nothing of it is copied here.

Each page goes through extraction as a crawl would take it, once to record the measures the
model reads (:mod:`crawler.page.pagefeatures`) and once to see what the fixed rules and the
length check decide without the model. The model is a multinomial logistic regression over
standardised features (scikit-learn, this script's only extra dependency:
``pip install -e '.[train]'``). One of them is what the page's words say: a second linear model
over hashed words (:mod:`crawler.page.pagewords`), trained on the labelled pages only (the aeb and
fundus pages are articles in many languages: their words would teach languages, not types), and
stacked: each page's word score in training comes from a word model that never saw its fold.
Its regularisation is the one of ``--word-c`` whose cross-validated cost is least.

Quality is measured by cross-validation grouped by domain: each domain's pages fall in one of
``--folds`` folds by a stable hash (:func:`crawler.page.pagetype.fold_of`), and each page is
scored by the model trained without its fold. The article threshold is the one at which these scores
cost least, a lost article weighing ``--article-weight`` stored non-articles, among those that
keep every aeb and fundus page that reaches the model. The weights file holds the model fitted
on all pages, the fold models (so ``newsdedup eval`` can score each page as if its site were
never seen) and the threshold. Deterministic: the same corpus gives the same file.

``--nested`` also reports the figures with the threshold and the word model's regularisation
chosen inside each fold's own training folds, the honest estimate for sites never seen.

    python scripts/train_pagetype.py [--corpus ../shared/corpus] [--cache measures.json] [--nested]
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

from crawler.page import pagefeatures, pagetype, pagewords
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
        if data.get("features") == list(pagefeatures.FEATURES) and data.get("words"):
            return data["pages"]
    pages = _pages(corpus)
    started = time.monotonic()
    with ProcessPoolExecutor(max_workers=workers) as pool:
        measured = list(pool.map(_measure, pages, chunksize=8))
    print(f"measured {len(measured)} pages in {time.monotonic() - started:.0f} s", file=sys.stderr)
    if cache is not None:
        cache.write_text(
            json.dumps({"features": list(pagefeatures.FEATURES), "words": 1, "pages": measured})
        )
    return measured


def _fit(x, y, c: float):
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    scaler = StandardScaler().fit(x)
    model = LogisticRegression(C=c, max_iter=10000).fit(scaler.transform(x), y)
    return scaler, model


def _export(scaler, model, names: list[str]) -> dict:
    """The fitted model as the weights file holds it: plain lists, six significant digits."""

    def r(values):
        return [float(f"{v:.6g}") for v in values]

    scale = [s if s > 0 else 1.0 for s in scaler.scale_]
    return {
        "features": names,
        "classes": [CLASSES[int(k)] for k in model.classes_],
        "mean": r(scaler.mean_),
        "scale": r(scale),
        "weights": [r(row) for row in model.coef_],
        "bias": r(model.intercept_),
    }


def _word_matrix(rows: list[dict], buckets: int):
    """Each page's hashed word buckets, present or not, scaled to unit length (sparse)."""
    from scipy import sparse

    indices, columns, values = [], [], []
    for i, row in enumerate(rows):
        found = pagewords.buckets_of(row["page"], row["text"], buckets=buckets)
        for b in found:
            indices.append(i)
            columns.append(b)
            values.append(1.0 / math.sqrt(len(found)))
    return sparse.csr_matrix((values, (indices, columns)), shape=(len(rows), buckets))


def _fit_words(words, y, chosen, c: float) -> dict:
    """A word model (:class:`~crawler.page.pagewords.WordModel` data) fitted on the pages of
    ``chosen``; no bias, so unknown words count for nothing."""
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=c, max_iter=10000).fit(words[chosen], y[chosen])
    packed = [pagewords.pack([float(w) for w in row]) for row in model.coef_]
    return {
        "buckets": words.shape[1],
        "classes": [CLASSES[int(k)] for k in model.classes_],
        "rows": [text for text, _ in packed],
        "steps": [step for _, step in packed],
    }


def _word_scores(data: dict, words, chosen):
    """:meth:`~crawler.page.pagewords.WordModel.score` of the pages of ``chosen``."""
    import numpy as np

    rows = [
        pagewords.unpack(t, s, data["buckets"])
        for t, s in zip(data["rows"], data["steps"], strict=True)
    ]
    logits = np.asarray(words[chosen] @ np.array(rows).T)
    article = data["classes"].index("article")
    return logits[:, article] - np.delete(logits, article, axis=1).max(axis=1)


class Stack:
    """The corpus as arrays, and the two-stage fit: a word model on the labelled pages of the
    training pages, then the page-type model over the measures and the word score."""

    def __init__(self, x, y, words, folds, labelled, c: float) -> None:
        self.x, self.y, self.words, self.folds = x, y, words, folds
        self.labelled, self.c = labelled, c

    def fit(self, train, test, c_words: float):
        """(the exported model fitted on ``train``, its article scores of ``test``). Each
        training page's word score comes from a word model fitted without its fold."""
        import numpy as np

        score = np.zeros(len(self.y))
        for j in sorted(set(self.folds[train].tolist())):
            inner, held = train & (self.folds != j), train & (self.folds == j)
            fitted = _fit_words(self.words, self.y, inner & self.labelled, c_words)
            score[held] = _word_scores(fitted, self.words, held)
        word_model = _fit_words(self.words, self.y, train & self.labelled, c_words)
        scaler, model = _fit(np.hstack([self.x, score[:, None]])[train], self.y[train], self.c)
        exported = _export(scaler, model, [*pagefeatures.FEATURES, pagetype.WORDS])
        exported["words"] = word_model
        scores = np.zeros(0)
        if test.any():
            shown = np.hstack([self.x[test], _word_scores(word_model, self.words, test)[:, None]])
            article = list(model.classes_).index(0)
            scores = model.predict_proba(scaler.transform(shown))[:, article]
        return exported, scores

    def cross_validate(self, train, c_words: float):
        """(fold models, each page of ``train`` scored by the model fitted without its fold)."""
        import numpy as np

        models, scores = [], np.zeros(len(self.y))
        for k in sorted(set(self.folds[train].tolist())):
            held = train & (self.folds == k)
            model, scores[held] = self.fit(train & (self.folds != k), held, c_words)
            models.append(model)
        return models, scores


def _table(rows: list[dict], stored: list[bool]) -> dict[str, list[int]]:
    """Stored and total pages per labelled type, and per article set."""
    table: dict[str, list[int]] = {}
    for row, kept in zip(rows, stored, strict=True):
        key = row["label"] if row["set"] == "pagetypes" else row["set"]
        entry = table.setdefault(key, [0, 0])
        entry[0] += kept
        entry[1] += 1
    return table


def _print_table(title: str, table: dict[str, list[int]]) -> None:
    print(title)
    for key in (*REPORT_TYPES, "aeb", "fundus"):
        if key in table:
            kept, total = table[key]
            print(f"  {key:<14}{kept:>5}/{total:<5}{100 * kept / total:6.1f}%")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    weights = ROOT / "crawler" / "page" / pagetype.WEIGHTS_FILE
    parser.add_argument("--out", type=Path, default=weights)
    parser.add_argument("--cache", type=Path, help="keep the measures here for the next run")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--c", type=float, default=0.01, help="inverse regularisation strength")
    parser.add_argument(
        "--word-c", default="1,3,10", help="the word model's inverse regularisation: candidates"
    )
    parser.add_argument("--buckets", type=int, default=4096, help="hash buckets of the words")
    # The goals allow 2% of articles lost and 5% of non-articles stored: on this corpus's 300
    # articles and 626 other pages, a lost article weighs as much as about five stored pages.
    parser.add_argument("--article-weight", type=float, default=5.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--nested", action="store_true", help="also report nested figures")
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
    labelled = np.array([r["set"] == "pagetypes" for r in usable])
    stack = Stack(x, y, _word_matrix(usable, args.buckets), folds, labelled, args.c)

    # The threshold: the one that costs least on the cross-validated scores, a lost article
    # weighing --article-weight stored non-articles, among those that keep every aeb and fundus
    # article the rules (the fixed ones in front of the model, the length check) let through.
    passing = np.array(
        [r["gate"] is None and pagetype.evident(r["page"], r["text"]) is None for r in usable]
    )
    articles = passing & np.array([r["label"] == "article" for r in usable])
    others = passing & (y != 0)

    def threshold(scores, among) -> tuple[float, float]:
        """(threshold, its cost) on the pages of ``among``."""
        shown = articles & among & labelled
        sets = articles & among & ~labelled
        ceiling = float(scores[sets].min()) if sets.any() else 1.0
        candidates = sorted({float(v) for v in scores[shown]} | {ceiling})

        def cost(t: float) -> float:
            lost = int((scores[shown] < t).sum())
            return args.article_weight * lost + int((scores[others & among] >= t).sum())

        best = min((t for t in candidates if t <= ceiling), key=cost)
        return math.floor(best * 1e4) / 1e4, cost(best)  # rounded down: the articles at it stay

    everything = np.ones(len(usable), dtype=bool)
    candidates = [float(c) for c in args.word_c.split(",")]
    tried = []
    for c_words in candidates:
        fold_models, scores = stack.cross_validate(everything, c_words)
        chosen_threshold, cost = threshold(scores, everything)
        print(f"word C {c_words}: threshold {chosen_threshold}, cost {cost}", file=sys.stderr)
        tried.append((cost, c_words, chosen_threshold, fold_models, scores))
    _, c_words, chosen_threshold, fold_models, scores = min(tried, key=lambda t: (t[0], t[1]))

    stored = (passing & (scores >= chosen_threshold)).tolist()
    table = _table(usable, stored)
    model, _ = stack.fit(everything, ~everything, c_words)
    reported = [key for key in (*REPORT_TYPES, "aeb", "fundus") if key in table]
    data = {
        "about": "page-type model of crawler/page/pagetype.py, by scripts/train_pagetype.py",
        "data": "shared corpus: pagetypes (labelled), aeb and fundus (articles)",
        # newsdedup eval decides the pages of these sets with the fold models.
        "trained_on": sorted({r["set"] for r in usable}),
        "c": args.c,
        "word_c": c_words,
        "article_weight": args.article_weight,
        "threshold": chosen_threshold,
        "fold_hash": f"blake2b-64(domain) % {args.folds}",
        "cross_validation": {key: table[key] for key in reported},
        "model": model,
        "folds": fold_models,
    }  # fmt: skip
    args.out.write_text(json.dumps(data, separators=(",", ":")) + "\n", encoding="utf-8")
    _print_table(
        f"threshold {chosen_threshold}, word C {c_words}; cross-validated, grouped by domain "
        "(stored/total):",
        data["cross_validation"],
    )
    print(f"weights written to {args.out} ({args.out.stat().st_size} bytes)")

    if args.nested:
        # Each fold's threshold and word C chosen on its training folds alone.
        kept = np.zeros(len(usable), dtype=bool)
        for k in range(args.folds):
            train, held = folds != k, folds == k
            best = min(
                (threshold(stack.cross_validate(train, c)[1], train) + (c,) for c in candidates),
                key=lambda t: (t[1], t[2]),
            )
            _, scores_held = stack.fit(train, held, best[2])
            kept[held] = passing[held] & (scores_held >= best[0])
            print(f"fold {k}: threshold {best[0]}, word C {best[2]}", file=sys.stderr)
        _print_table("nested (stored/total):", _table(usable, kept.tolist()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
