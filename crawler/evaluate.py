"""Scoring of our extraction and cleaning against bare trafilatura on saved real news pages."""

from __future__ import annotations

import contextlib
import gzip
import json
import logging
import re
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import trafilatura

from crawler import evaluate_access, evaluate_pagetypes
from crawler.evaluate_runs import per_folder
from crawler.page import pagetype
from crawler.page.extract import PageRejected, extract_article
from storage.textunits import word_count

logger = logging.getLogger(__name__)

# The article-extraction-benchmark metric compares multisets of 4-word shingles.
SHINGLE_SIZE = 4
_TOKEN = re.compile(r"\w+")
# Lines a reader recognises as pointers to other stories (the corpus README's leak count).
LEAK_RE = re.compile(
    r"^[\W_]*(?:read more|related|also read|you may also like|you might also like)\b",
    re.IGNORECASE,
)
# A repeated line this short ("Photo", "*") says little; the repeat count looks at real lines.
REPEAT_MIN_WORDS = 3


class CorpusError(ValueError):
    """The corpus folder is missing or is not in a layout we know."""


@dataclass
class Page:
    """One page to score: where its HTML is and what the truth says."""

    corpus: str
    page_id: str
    url: str
    html_path: Path
    truth: str = ""
    with_: list[str] = field(default_factory=list)
    without: list[str] = field(default_factory=list)
    label: str = ""  # the page type the corpus gives it ("article" for the article sets)


@dataclass
class Score:
    """Precision, recall and F1 of one extractor on one set."""

    precision: float
    recall: float
    f1: float


@dataclass
class PageResult:
    """Our output and trafilatura's for one page, with per-page figures."""

    corpus: str
    page_id: str
    url: str
    ours: str
    base: str
    ours_counts: tuple[int, int, int]  # tp, fp, fn
    base_counts: tuple[int, int, int]
    ours_seconds: float
    base_seconds: float
    stages: dict[str, float]
    ours_leak: bool = False
    base_leak: bool = False
    ours_repeat: bool = False
    base_repeat: bool = False
    label: str = ""
    # The crawl's decision on the page: None when it is stored, else the reason and page type.
    rejected: str | None = None
    page_type: str | None = None
    # The access field of our article, and why it is not "free".
    access: str = ""
    access_reason: str = ""

    @property
    def delta(self) -> float:
        """Our per-page F1 minus trafilatura's."""
        return _page_f1(self.ours_counts) - _page_f1(self.base_counts)


@dataclass
class SetReport:
    """Figures of one corpus set: ``name`` is its folder's, ``layout`` a key of LAYOUTS."""

    name: str
    layout: str
    metric: str
    pages: int
    ours: Score
    base: Score
    results: list[PageResult]

    @property
    def ours_leaks(self) -> int:
        return sum(r.ours_leak for r in self.results)

    @property
    def base_leaks(self) -> int:
        return sum(r.base_leak for r in self.results)

    @property
    def ours_repeats(self) -> int:
        return sum(r.ours_repeat for r in self.results)

    @property
    def base_repeats(self) -> int:
        return sum(r.base_repeat for r in self.results)

    def worst(self, count: int = 10) -> list[PageResult]:
        """Pages where we lose most against trafilatura, worst first."""
        losing = [r for r in self.results if r.delta < 0]
        return sorted(losing, key=lambda r: r.delta)[:count]


@dataclass
class EvalReport:
    """Result of :func:`evaluate`: one :class:`SetReport` per corpus set found."""

    sets: list[SetReport]
    outputs_dir: Path | None = None
    # Per set, every page's decision (pagetypes has no text truth: it is only here).
    decisions: dict[str, list[PageResult]] = field(default_factory=dict)

    def seconds(self, key: str) -> float:
        """Total seconds over all pages: "ours", "base" or a stage of ours."""
        total = 0.0
        for report in self.sets:
            for r in report.results:
                total += {"ours": r.ours_seconds, "base": r.base_seconds}.get(
                    key, r.stages.get(key, 0.0)
                )
        return total


# --- corpus layouts ---------------------------------------------------------------------


def _read_json(path: Path) -> dict:
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


def _aeb_pages(root: Path) -> Iterator[Page]:
    for page_id, item in sorted(_read_json(root / "ground-truth.json").items()):
        yield Page(
            "aeb", page_id, item.get("url", ""), root / "html" / f"{page_id}.html.gz",
            truth=item.get("articleBody") or "", label="article",
        )  # fmt: skip


def _fundus_pages(root: Path) -> Iterator[Page]:
    for truth_path in sorted((root / "ground-truth").glob("*.json")):
        item = _read_json(truth_path)
        truth = item.get("articleBody") or "\n".join(item.get("paragraphs") or [])
        html_path = root / "html" / f"{truth_path.stem}.html.gz"
        yield Page(
            "fundus", truth_path.stem, item.get("url", ""), html_path, truth=truth, label="article"
        )


def _trafilatura_pages(root: Path) -> Iterator[Page]:
    for url, item in _read_json(root / "evaldata.json").items():
        name = item["file"]
        yield Page(
            "trafilatura_eval", name.removesuffix(".gz"), url, root / "html" / f"{name}.gz",
            with_=list(item.get("with") or []), without=list(item.get("without") or []),
        )  # fmt: skip


def _pagetype_pages(root: Path) -> Iterator[Page]:
    for page_id, item in sorted(_read_json(root / "pages.json").items()):
        yield Page(
            "pagetypes", page_id, item.get("url", ""), root / "html" / f"{page_id}.html.gz",
            label=item.get("page_type") or "",
        )  # fmt: skip


LAYOUTS = {
    "aeb": ("ground-truth.json", _aeb_pages),
    "fundus": ("ground-truth", _fundus_pages),
    "trafilatura_eval": ("evaldata.json", _trafilatura_pages),
    "pagetypes": ("pages.json", _pagetype_pages),
}
# Sets without text truth: only the crawl's decision on each page is scored.
DECISION_ONLY = frozenset({"pagetypes"})


def find_sets(corpus_dir: str | Path) -> list[tuple[str, Path]]:
    """Return (layout name, folder) for the corpus folder or each set folder inside it.

    Raises CorpusError when the folder does not exist or holds no known layout.
    """
    root = Path(corpus_dir)
    if not root.is_dir():
        raise CorpusError(f"corpus folder {root} does not exist; pass the folder of a set "
                          "(aeb, fundus, trafilatura_eval, pagetypes) or the folder holding "
                          "them")  # fmt: skip
    candidates = [root, *sorted(p for p in root.iterdir() if p.is_dir())]
    found = []
    for folder in candidates:
        for name, (marker, _) in LAYOUTS.items():
            if (folder / marker).exists() and (folder / "html").is_dir():
                found.append((name, folder))
                break
        if found and folder is root:
            break
    if not found:
        raise CorpusError(
            f"{root} holds no known corpus layout: expected ground-truth.json (aeb), "
            "ground-truth/ (fundus), evaldata.json (trafilatura_eval) or pages.json (pagetypes) "
            "next to an html/ folder"
        )
    return found


# --- metrics ------------------------------------------------------------------------------


def shingles(text: str, size: int = SHINGLE_SIZE) -> Counter[tuple[str, ...]]:
    """Multiset of ``size``-token shingles of ``text`` (tokens: regex \\w+, case kept)."""
    tokens = _TOKEN.findall(text)
    if not tokens:
        return Counter()
    return Counter(tuple(tokens[i : i + size]) for i in range(max(1, len(tokens) - size + 1)))


def shingle_counts(prediction: str, truth: str) -> tuple[int, int, int]:
    """TP, FP and FN of one page under the article-extraction-benchmark metric."""
    pred, gold = shingles(prediction), shingles(truth)
    tp = sum((pred & gold).values())
    return tp, sum((pred - gold).values()), sum((gold - pred).values())


def snippet_counts(prediction: str, with_: list[str], without: list[str]) -> tuple[int, int, int]:
    """TP, FP and FN of one page under the trafilatura evaluation: snippets found or not."""
    tp = sum(1 for s in with_ if s in prediction)
    fp = sum(1 for s in without if s in prediction)
    return tp, fp, len(with_) - tp


def _page_f1(counts: tuple[int, int, int]) -> float:
    tp, fp, fn = counts
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def macro_score(counts: list[tuple[int, int, int]]) -> Score:
    """Mean per-page precision and recall (pages without a denominator drop out), and F1."""
    precisions = [tp / (tp + fp) for tp, fp, _ in counts if tp + fp]
    recalls = [tp / (tp + fn) for tp, _, fn in counts if tp + fn]
    p = sum(precisions) / len(precisions) if precisions else 0.0
    r = sum(recalls) / len(recalls) if recalls else 0.0
    return Score(p, r, _f1(p, r))


def micro_score(counts: list[tuple[int, int, int]]) -> Score:
    """Precision and recall over the summed counts of all pages, and F1."""
    tp = sum(c[0] for c in counts)
    fp = sum(c[1] for c in counts)
    fn = sum(c[2] for c in counts)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return Score(p, r, _f1(p, r))


def leaks(text: str, truth: str) -> bool:
    """True when a line points to another story ("Read more: ...") that the truth does not have."""
    truth_lines = {line.strip() for line in truth.split("\n")}
    return any(LEAK_RE.match(line) and line.strip() not in truth_lines for line in text.split("\n"))


def repeats(text: str, truth: str) -> bool:
    """True when a line of several words that the truth has appears more often than there."""
    # List items print as "- item" in trafilatura's text; the truth has the bare item.
    counts = Counter(line.strip().lstrip("-•* ").strip() for line in text.split("\n"))
    return any(
        n > 1 and word_count(line) >= REPEAT_MIN_WORDS and 0 < truth.count(line) < n
        for line, n in counts.items()
    )


# --- running ------------------------------------------------------------------------------


def _classifier(page: Page) -> pagetype.PageClassifier:
    """The page-type model for ``page``: for the sets it was trained on, the one trained
    without the page's domain, so each page is decided as on a site never seen."""
    weights = pagetype.weights()
    if page.corpus in weights.data.get("trained_on", ()):
        return weights.for_unseen(page.url)
    return weights.model


def _run_page(page: Page) -> PageResult:
    html = gzip.decompress(page.html_path.read_bytes())
    stages: dict[str, float] = {}
    start = time.process_time()  # CPU time: comparable figures on a busy machine
    rejected = None
    page_type = pagetype.ARTICLE
    article = None
    try:
        article = extract_article(html, page.url, timings=stages, classifier=_classifier(page))
    except PageRejected as err:
        rejected, page_type = err.reason, err.page_type
        logger.info("%s %s: %s", page.corpus, page.page_id, err)
        if page.corpus not in DECISION_ONLY:  # the text as if the page had been taken
            stages = {}
            start = time.process_time()
            with contextlib.suppress(PageRejected):  # no text at all
                article = extract_article(html, page.url, decide=False, timings=stages)
    middle = time.process_time()
    ours = article.text if article is not None else ""
    access = article.access if article is not None else ""
    why = evaluate_access.reason(html, page.url, ours) if access not in ("", "free") else ""
    if page.corpus in DECISION_ONLY:
        return PageResult(
            page.corpus, page.page_id, page.url, ours, "", (0, 0, 0), (0, 0, 0),
            middle - start, 0.0, stages, label=page.label, rejected=rejected, page_type=page_type,
            access=access, access_reason=why,
        )  # fmt: skip
    base = trafilatura.extract(html, include_comments=False) or ""
    end = time.process_time()
    if page.corpus == "trafilatura_eval":
        ours_counts = snippet_counts(ours, page.with_, page.without)
        base_counts = snippet_counts(base, page.with_, page.without)
    else:
        ours_counts = shingle_counts(ours, page.truth)
        base_counts = shingle_counts(base, page.truth)
    return PageResult(
        page.corpus, page.page_id, page.url, ours, base, ours_counts, base_counts,
        middle - start, end - middle, stages,
        ours_leak=leaks(ours, page.truth), base_leak=leaks(base, page.truth),
        ours_repeat=repeats(ours, page.truth), base_repeat=repeats(base, page.truth),
        label=page.label, rejected=rejected, page_type=page_type, access=access,
        access_reason=why,
    )  # fmt: skip


def evaluate(
    corpus_dir: str | Path,
    outputs_dir: str | Path | None = None,
    limit: int | None = None,
    *,
    workers: int | None = None,
) -> EvalReport:
    """Score our extraction+cleaning and bare trafilatura on every set found in ``corpus_dir``.

    ``limit`` caps the pages per set (the first ones in id order). With ``outputs_dir`` our text
    of each page is written to ``<outputs_dir>/<page-id>.txt``. ``workers`` defaults to the
    number of CPUs. Returns an :class:`EvalReport`; raises :class:`CorpusError` for a folder
    that is not a corpus.
    """
    sets = find_sets(corpus_dir)
    out = Path(outputs_dir) if outputs_dir is not None else None
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
    grouped = per_folder(
        sets, lambda name, folder: LAYOUTS[name][1](folder), _run_page, limit=limit, workers=workers
    )
    reports = []
    decisions: dict[str, list[PageResult]] = {}
    for name, folder, mine in grouped:
        decisions[folder.resolve().name or name] = mine
        if name in DECISION_ONLY:
            continue
        scorer = micro_score if name == "trafilatura_eval" else macro_score
        metric = "snippets" if name == "trafilatura_eval" else "4-shingles"
        reports.append(
            SetReport(
                folder.resolve().name or name,
                name,
                metric,
                len(mine),
                scorer([r.ours_counts for r in mine]),
                scorer([r.base_counts for r in mine]),
                mine,
            )  # fmt: skip
        )
        if out is not None:
            for r in mine:
                (out / f"{r.page_id}.txt").write_text(r.ours, encoding="utf-8")
    return EvalReport(reports, out, decisions)


def _rejected_pages_lost(report: EvalReport) -> list[str]:
    """What trafilatura_eval would score if the pages a crawl rejects gave no text."""
    lines = []
    for s in report.sets:
        if s.name == "trafilatura_eval":
            # A rejected page gives no text: every snippet it should hold is missed.
            counts = [
                r.ours_counts if r.rejected is None else (0, 0, r.ours_counts[0] + r.ours_counts[2])
                for r in s.results
            ]
            if any(r.rejected for r in s.results):
                lost = micro_score(counts)
                lines.append(
                    f"trafilatura_eval: F1 {s.ours.f1:.3f} as scored above; {lost.f1:.3f} if the "
                    f"{sum(1 for r in s.results if r.rejected)} rejected pages gave no text"
                )
    return lines


def render_report(report: EvalReport, *, worst: int = 10) -> str:
    """Return the report as plain text: P/R/F1 per set for both, the difference, worst pages."""
    lines = []
    if report.sets:
        lines.append(
            f"{'set':<18}{'pages':>6}  {'ours P / R / F1':<24}{'trafilatura P / R / F1':<26}"
            f"{'ΔF1':>7}"
        )
    for s in report.sets:
        ours = f"{s.ours.precision:.3f} / {s.ours.recall:.3f} / {s.ours.f1:.3f}"
        base = f"{s.base.precision:.3f} / {s.base.recall:.3f} / {s.base.f1:.3f}"
        lines.append(
            f"{s.name:<18}{s.pages:>6}  {ours:<24}{base:<26}{s.ours.f1 - s.base.f1:>+7.3f}"
        )
    lines.append("")
    for s in report.sets:
        if s.layout != "trafilatura_eval":
            lines.append(
                f"{s.name}: pages leaking read-more/related lines: ours {s.ours_leaks}, "
                f"trafilatura {s.base_leaks}; pages repeating a line: ours {s.ours_repeats}, "
                f"trafilatura {s.base_repeats}"
            )
    base_s, ours_s = report.seconds("base"), report.seconds("ours")
    cleaning = report.seconds("cleaning")
    if base_s:
        lines.append(
            f"time: trafilatura alone {base_s:.1f}s, ours {ours_s:.1f}s (of which trafilatura "
            f"{report.seconds('trafilatura'):.1f}s, cleaning {cleaning:.1f}s = "
            f"{100 * cleaning / base_s:.1f}% of trafilatura alone)"
        )
    lines.extend(evaluate_pagetypes.render_page_types(report))
    lines.extend(evaluate_access.render_access(report))
    lines.extend(_rejected_pages_lost(report))
    for s in report.sets:
        losing = s.worst(worst)
        if not losing:
            continue
        lines.append("")
        lines.append(f"{s.name}: pages where we lose most against trafilatura")
        for r in losing:
            lines.append(
                f"  {r.delta:+.3f}  F1 {_page_f1(r.ours_counts):.3f} vs "
                f"{_page_f1(r.base_counts):.3f}  {r.page_id}  {r.url}"
            )
    if report.outputs_dir is not None:
        lines.append("")
        lines.append(f"our text of each page written to {report.outputs_dir}/<page-id>.txt")
    return "\n".join(lines)
