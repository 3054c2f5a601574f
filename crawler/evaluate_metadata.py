"""Scoring of title, date, authors and captions against the metadata truth of real pages.

Two truths: the fundus test data (``ground-truth/*.json`` with ``title``, ``publishing_date``,
``authors`` and ``captions``) and the page-type set (``pages.json`` with WCXB's reviewed
``title``, ``author`` and ``publish_date``; its articles only). The rules are the corpus
README's "fundus metadata": names and titles compared after NFKC, case-folding and collapsing
every run of non-word characters to one space; dates by calendar day as the page states it.
"""

from __future__ import annotations

import gzip
import json
import logging
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from trafilatura import bare_extraction

from crawler.evaluate_runs import per_folder
from crawler.page.extract import PageRejected, extract_article

logger = logging.getLogger(__name__)

_NON_WORD = re.compile(r"\W+")
# The page-type set writes several authors in one string: "A, B and C", "A & B", "A; B".
_AUTHOR_SPLIT = re.compile(r"\s*(?:[,;&]|\band\b)\s*")
# Captions shorter than this (normalised) are not counted: "Photo", a bare credit.
CAPTION_MIN_CHARS = 20
# A caption is found (or leaked) when this much of its normalised start appears.
CAPTION_PREFIX_CHARS = 60


def normalise(text: str | None) -> str:
    """``text`` as the rules compare it: NFKC, case-folded, non-word runs as one space."""
    if not text:
        return ""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return _NON_WORD.sub(" ", folded).strip()


def split_authors(value: str | None) -> list[str]:
    """The names in a one-string byline, split on ``,`` ``;`` ``&`` and ``and``."""
    return [name for name in _AUTHOR_SPLIT.split(value or "") if name.strip()]


def title_right(predicted: str | None, truth: str) -> bool:
    """True when the titles are equal once normalised."""
    return bool(normalise(predicted)) and normalise(predicted) == normalise(truth)


def date_right(predicted: str | None, truth: str) -> bool:
    """True when both dates fall on the same calendar day (first ten characters)."""
    return bool(predicted) and predicted.strip()[:10] == truth.strip()[:10]


def authors_right(predicted: list[str], truth: list[str]) -> bool | None:
    """True when the sets of normalised names are equal; None when the truth names nobody."""
    gold = {normalise(name) for name in truth} - {""}
    if not gold:
        return None
    return {normalise(name) for name in predicted} - {""} == gold


def caption_counts(captions: list[str], found_in: str, text: str) -> tuple[int, int, int]:
    """(captions counted, found in ``found_in``, left in ``text``), all normalised."""
    found_norm, text_norm = normalise(found_in), normalise(text)
    counted = found = leaked = 0
    for caption in captions:
        key = normalise(caption)
        if len(key) < CAPTION_MIN_CHARS:
            continue
        key = key[:CAPTION_PREFIX_CHARS]
        counted += 1
        found += key in found_norm
        leaked += key in text_norm
    return counted, found, leaked


# --- truth --------------------------------------------------------------------------------


@dataclass
class Truth:
    """One article page and its metadata truth; None (or empty) where the truth has none."""

    corpus: str
    page_id: str
    url: str
    html_path: Path
    title: str | None
    date: str | None
    authors: list[str]
    captions: list[str] | None  # None: the set has no caption truth


def _read_json(path: Path) -> dict:
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


def _fundus(root: Path) -> Iterator[Truth]:
    for path in sorted((root / "ground-truth").glob("*.json")):
        item = _read_json(path)
        yield Truth(
            "fundus", path.stem, item.get("url", ""), root / "html" / f"{path.stem}.html.gz",
            item.get("title") or None, item.get("publishing_date") or None,
            list(item.get("authors") or []), list(item.get("captions") or []),
        )  # fmt: skip


def _pagetypes(root: Path) -> Iterator[Truth]:
    for page_id, item in sorted(_read_json(root / "pages.json").items()):
        if item.get("page_type") != "article":
            continue
        yield Truth(
            "pagetypes", page_id, item.get("url", ""), root / "html" / f"{page_id}.html.gz",
            item.get("title") or None, item.get("publish_date") or None,
            split_authors(item.get("author")), None,
        )  # fmt: skip


LAYOUTS = {"fundus": ("ground-truth", _fundus), "pagetypes": ("pages.json", _pagetypes)}


def find_metadata_sets(corpus_dir: str | Path) -> list[tuple[str, Path]]:
    """(layout, folder) for every set with metadata truth in ``corpus_dir`` or its folders."""
    root = Path(corpus_dir)
    if not root.is_dir():
        return []
    found = []
    for folder in [root, *sorted(p for p in root.iterdir() if p.is_dir())]:
        for name, (marker, _) in LAYOUTS.items():
            if (folder / marker).exists() and (folder / "html").is_dir():
                found.append((name, folder))
        if found and folder is root:
            break
    return found


# --- running ------------------------------------------------------------------------------


@dataclass
class Fields:
    """What one extractor gives for one page."""

    title: str | None = None
    published: str | None = None
    authors: list[str] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    text: str = ""
    extra: dict[str, str | None] = field(default_factory=dict)


@dataclass
class MetaResult:
    """Ours and trafilatura's fields for one page, with its truth."""

    truth: Truth
    ours: Fields
    base: Fields


def _ours(html: bytes, url: str) -> Fields:
    try:
        article = extract_article(html, url, decide=False)
    except PageRejected as err:
        logger.info("metadata evaluation of %s: %s", url, err)
        return Fields()
    return Fields(
        article.title, article.published, list(article.authors), list(article.captions),
        article.text,
        {name: getattr(article, name, None) for name in ("agency", "date_source", "modified")},
    )  # fmt: skip


def _base(html: bytes) -> Fields:
    doc = bare_extraction(html, with_metadata=True, include_comments=False)
    if doc is None:
        return Fields()
    authors = [name.strip() for name in (doc.author or "").split(";") if name.strip()]
    return Fields(doc.title, doc.date, authors, [], doc.text or "")


def _run(truth: Truth) -> MetaResult:
    html = gzip.decompress(truth.html_path.read_bytes())
    return MetaResult(truth, _ours(html, truth.url), _base(html))


# --- scores -------------------------------------------------------------------------------


@dataclass
class Tally:
    """Right answers out of the pages (or captions) counted."""

    right: int = 0
    counted: int = 0

    @property
    def share(self) -> float:
        return self.right / self.counted if self.counted else 0.0

    def add(self, verdict: bool | None) -> None:
        if verdict is not None:
            self.counted += 1
            self.right += verdict


@dataclass
class FieldScores:
    """One extractor's figures on one set."""

    title: Tally = field(default_factory=Tally)
    date: Tally = field(default_factory=Tally)
    authors: Tally = field(default_factory=Tally)
    captions_found: Tally = field(default_factory=Tally)
    captions_leaked: Tally = field(default_factory=Tally)


def byline(authors: list[str], agency: str | None) -> list[str]:
    """The names scored against the truth's one list: the authors, then the agencies credited.

    Both truths keep a news agency (or the publisher's own desk) in the authors list when the
    byline credits it; we keep it apart, in ``agency``, so it is put back here to compare.
    """
    names = list(authors)
    seen = {normalise(name) for name in names}
    for name in (agency or "").split(","):
        if normalise(name) and normalise(name) not in seen:
            names.append(name.strip())
            seen.add(normalise(name))
    return names


def _byline(fields: Fields) -> list[str]:
    return byline(fields.authors, fields.extra.get("agency"))


def score_page(fields: Fields, truth: Truth, scores: FieldScores) -> dict[str, bool | None]:
    """Add one page's verdicts to ``scores``; return them by field (None: not counted)."""
    authors = _byline(fields)
    if truth.corpus == "pagetypes":
        authors = [part for name in authors for part in split_authors(name)]
    verdicts = {
        "title": title_right(fields.title, truth.title) if truth.title else None,
        "date": date_right(fields.published, truth.date) if truth.date else None,
        "authors": authors_right(authors, truth.authors),
    }
    scores.title.add(verdicts["title"])
    scores.date.add(verdicts["date"])
    scores.authors.add(verdicts["authors"])
    if truth.captions is not None:
        counted, found, leaked = caption_counts(
            truth.captions, "\n".join(fields.captions), fields.text
        )
        scores.captions_found.counted += counted
        scores.captions_found.right += found
        scores.captions_leaked.counted += counted
        scores.captions_leaked.right += leaked
    return verdicts


@dataclass
class MetaSetReport:
    """Figures of one set for ours and for trafilatura alone, with each page's verdicts.

    ``name`` is the set's folder's, ``layout`` a key of LAYOUTS.
    """

    name: str
    pages: int
    ours: FieldScores
    base: FieldScores
    results: list[MetaResult]
    verdicts: list[dict[str, bool | None]]
    layout: str = ""

    def misses(self, name: str) -> list[MetaResult]:
        """Pages where our ``name`` field is wrong."""
        return [r for r, v in zip(self.results, self.verdicts, strict=True) if v[name] is False]


@dataclass
class MetaReport:
    """Result of :func:`evaluate_metadata`: one :class:`MetaSetReport` per set found."""

    sets: list[MetaSetReport]


def evaluate_metadata(
    corpus_dir: str | Path, limit: int | None = None, *, workers: int | None = None
) -> MetaReport:
    """Score ours and trafilatura's metadata on every metadata truth in ``corpus_dir``.

    ``limit`` caps the pages per set (the first ones in id order). Returns a
    :class:`MetaReport`, with no sets when the folder holds no metadata truth.
    """
    sets = find_metadata_sets(corpus_dir)
    grouped = per_folder(
        sets, lambda name, folder: LAYOUTS[name][1](folder), _run, limit=limit, workers=workers
    )
    reports = []
    for name, folder, mine in grouped:
        ours, base = FieldScores(), FieldScores()
        verdicts = [score_page(r.ours, r.truth, ours) for r in mine]
        for r in mine:
            score_page(r.base, r.truth, base)
        label = folder.resolve().name or name
        reports.append(MetaSetReport(label, len(mine), ours, base, mine, verdicts, name))
    return MetaReport(reports)


def _cell(tally: Tally, *, absent: bool = False) -> str:
    if absent or not tally.counted:
        return "-"
    return f"{tally.share:.3f} ({tally.right}/{tally.counted})"


def render_metadata(report: MetaReport, *, misses: int = 0) -> str:
    """The metadata table (ours and trafilatura alone per set), then up to ``misses`` misses
    of ours per field and set."""
    columns = ("title", "date", "authors", "captions found", "captions in text")
    widths = (18, 18, 18, 20, 18)
    header = f"{'metadata':<22}{'pages':>6}  " + "".join(
        f"{c:<{w}}" for c, w in zip(columns, widths, strict=True)
    )
    lines = [header]
    for s in report.sets:
        for who, scores in (("ours", s.ours), ("trafilatura", s.base)):
            cells = (
                _cell(scores.title),
                _cell(scores.date),
                _cell(scores.authors),
                _cell(scores.captions_found, absent=who == "trafilatura"),
                _cell(scores.captions_leaked),
            )
            label = f"{s.name} {who}"
            lines.append(
                f"{label:<22}{s.pages:>6}  "
                + "".join(f"{c:<{w}}" for c, w in zip(cells, widths, strict=True))
            )
    if misses:
        for s in report.sets:
            for name in ("title", "date", "authors"):
                wrong = s.misses(name)
                if not wrong:
                    continue
                lines.append("")
                lines.append(f"{s.name}: {name} wrong on {len(wrong)} pages")
                for r in wrong[:misses]:
                    lines.append(f"  {r.truth.page_id}: {_show(r, name)}")
    return "\n".join(lines)


def _show(result: MetaResult, name: str) -> str:
    truth, ours = result.truth, result.ours
    if name == "title":
        return f"{ours.title!r} (truth {truth.title!r})"
    if name == "date":
        source = ours.extra.get("date_source")
        via = f" from {source}" if source else ""
        return f"{ours.published!r}{via} (truth {truth.date!r})"
    return f"{_byline(ours)!r} (truth {truth.authors!r})"


__all__ = [
    "CAPTION_MIN_CHARS",
    "CAPTION_PREFIX_CHARS",
    "Fields",
    "MetaReport",
    "MetaResult",
    "MetaSetReport",
    "Truth",
    "authors_right",
    "byline",
    "caption_counts",
    "date_right",
    "evaluate_metadata",
    "find_metadata_sets",
    "normalise",
    "render_metadata",
    "score_page",
    "split_authors",
    "title_right",
]
