"""Evaluation: metrics, corpus layouts, report, and floors on the shared corpus when present."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from crawler.evaluate import (
    CorpusError,
    evaluate,
    find_sets,
    leaks,
    macro_score,
    micro_score,
    render_report,
    repeats,
    shingle_counts,
    shingles,
    snippet_counts,
)

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
PAGES = Path(__file__).parent / "fixtures" / "pages"
needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not present")


def test_shingles_follow_the_benchmark_tokenizer() -> None:
    assert shingles("One two, three four five") == {
        ("One", "two", "three", "four"): 1,
        ("two", "three", "four", "five"): 1,
    }
    assert sum(shingles("just three words").values()) == 1
    assert not shingles("  ...  ")


def test_shingle_counts_use_multisets() -> None:
    truth = "a b c d e f"
    assert shingle_counts(truth, truth) == (3, 0, 0)
    assert shingle_counts("a b c d e f a b c d", truth) == (3, 4, 0)
    assert shingle_counts("", truth) == (0, 0, 3)


def test_macro_score_drops_empty_predictions_from_precision_only() -> None:
    score = macro_score([(3, 1, 0), (0, 0, 4)])
    assert score.precision == pytest.approx(0.75)
    assert score.recall == pytest.approx(0.5)
    assert score.f1 == pytest.approx(2 * 0.75 * 0.5 / 1.25)


def test_snippet_counts_and_micro_score() -> None:
    counts = snippet_counts("keep this and that", ["keep this", "missing"], ["that", "gone"])
    assert counts == (1, 1, 1)
    score = micro_score([counts, (1, 0, 0)])
    assert score.precision == pytest.approx(2 / 3)
    assert score.recall == pytest.approx(2 / 3)


def test_leak_and_repeat_checks() -> None:
    assert leaks("Story.\nRead more: Other story", "Story.")
    assert not leaks("Story.", "Story.")
    assert repeats("A line of words.\nA line of words.", "A line of words.")
    assert not repeats("- Fill: Down\n- Fill: Down", "Fill: Down\nFill: Down")


def _write_gz(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(gzip.compress(data))


@pytest.fixture
def tiny_corpus(tmp_path: Path) -> Path:
    """All three layouts, each holding the Dawn-style fixture page once."""
    html = (PAGES / "dawn_style.html").read_bytes()
    first = "ISLAMABAD: Foreign Minister Ishaq Dar on Wednesday called for urgent reforms"
    url = "https://www.dawn.com/news/1915551/dar-urges"
    aeb = tmp_path / "aeb"
    _write_gz(aeb / "html" / "abc123.html.gz", html)
    (aeb / "ground-truth.json").write_text(
        json.dumps({"abc123": {"articleBody": first, "url": url}})
    )
    fundus = tmp_path / "fundus"
    _write_gz(fundus / "html" / "pk__Dawn_2025_04_16.html.gz", html)
    (fundus / "ground-truth").mkdir()
    (fundus / "ground-truth" / "pk__Dawn_2025_04_16.json").write_text(
        json.dumps({"url": url, "articleBody": first, "paragraphs": [first]})
    )
    traf = tmp_path / "trafilatura_eval"
    _write_gz(traf / "html" / "dawn.com.dar.html.gz", html)
    (traf / "evaldata.json").write_text(
        json.dumps(
            {url: {"file": "dawn.com.dar.html", "with": [first], "without": ["Related News"]}}
        )
    )
    return tmp_path


def test_layouts_are_recognised(tiny_corpus: Path) -> None:
    assert [name for name, _ in find_sets(tiny_corpus)] == ["aeb", "fundus", "trafilatura_eval"]
    assert find_sets(tiny_corpus / "fundus") == [("fundus", tiny_corpus / "fundus")]


def test_not_a_corpus(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="no known corpus layout"):
        find_sets(tmp_path)
    with pytest.raises(CorpusError, match="does not exist"):
        find_sets(tmp_path / "missing")


def test_evaluate_scores_both_and_writes_outputs(tiny_corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "outputs"
    report = evaluate(tiny_corpus, outputs_dir=out, workers=1)
    by_name = {s.name: s for s in report.sets}
    assert by_name["trafilatura_eval"].ours.recall == 1.0
    assert by_name["trafilatura_eval"].ours.precision == 1.0
    assert by_name["aeb"].ours.recall == 1.0
    for page_id in ("abc123", "pk__Dawn_2025_04_16", "dawn.com.dar.html"):
        assert (out / f"{page_id}.txt").read_text(encoding="utf-8").startswith("ISLAMABAD")
    text = render_report(report)
    assert "trafilatura_eval" in text and "ours P / R / F1" in text
    assert str(out) in text


def test_each_folder_of_one_layout_is_a_row_of_its_own(tmp_path: Path) -> None:
    html = (PAGES / "dawn_style.html").read_bytes()
    first = "ISLAMABAD: Foreign Minister Ishaq Dar on Wednesday called for urgent reforms"
    truths = {"aeb-spring": first, "aeb-autumn": "A text that the page does not hold at all."}
    for folder, truth in truths.items():
        _write_gz(tmp_path / folder / "html" / "p1.html.gz", html)
        _write_gz(tmp_path / folder / "html" / "p2.html.gz", html)
        (tmp_path / folder / "ground-truth.json").write_text(
            json.dumps({page: {"articleBody": truth, "url": ""} for page in ("p1", "p2")})
        )
    report = evaluate(tmp_path, workers=1)
    rows = {s.name: s for s in report.sets}
    assert rows.keys() == {"aeb-spring", "aeb-autumn"}
    assert {s.layout for s in report.sets} == {"aeb"}
    assert [s.pages for s in report.sets] == [2, 2]
    assert rows["aeb-spring"].ours.recall == 1.0
    assert rows["aeb-autumn"].ours.recall == 0.0

    done = subprocess.run(
        [sys.executable, "-m", "crawler.cli", "eval", "--corpus", str(tmp_path), "--limit", "1"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    table = [line.split() for line in done.stdout.splitlines()[1:3]]
    assert [(row[0], row[1]) for row in table] == [("aeb-autumn", "1"), ("aeb-spring", "1")]


def test_eval_cli_refuses_a_folder_that_is_not_a_corpus(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "crawler.cli", "eval", "--corpus", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1 and "no known corpus layout" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_pagetypes_folder_gets_a_page_type_table(tmp_path: Path) -> None:
    fixtures = Path(__file__).parent / "fixtures" / "pagetype"
    folder = tmp_path / "pagetypes"
    pages = {
        "0001": ("article_comments.html", "https://www.lakeside-gazette.example/news/2025/06/ferry-stops", "article"),
        "0002": ("product.html", "https://shop.lakeside-outdoor.example/bags/lakeside-trail-28", "product"),
    }  # fmt: skip
    for page_id, (name, _, _) in pages.items():
        _write_gz(folder / "html" / f"{page_id}.html.gz", (fixtures / name).read_bytes())
    (folder / "pages.json").write_text(
        json.dumps({k: {"url": url, "page_type": kind} for k, (_, url, kind) in pages.items()})
    )
    report = evaluate(tmp_path, workers=1)
    assert report.sets == []  # no text truth: only the decisions are scored
    decided = {r.page_id: (r.rejected, r.page_type) for r in report.decisions["pagetypes"]}
    assert decided == {"0001": (None, "article"), "0002": ("not_article", "product")}
    text = render_report(report)
    assert "page types" in text
    assert "pagetypes         product             1       0   0.0%  product 1" in text
    assert "ours P / R / F1" not in text


def test_the_report_lists_the_articles_not_free_with_the_reason(tmp_path: Path) -> None:
    from test_access import STORY, page

    pages = {
        "free": page(STORY),
        "declared": page(STORY, ld={"isAccessibleForFree": False}),
        "stub": page([*STORY[:2], "Subscribe to continue reading."]),
    }
    aeb = tmp_path / "aeb"
    for page_id, html in pages.items():
        _write_gz(aeb / "html" / f"{page_id}.html.gz", html.encode())
    (aeb / "ground-truth.json").write_text(
        json.dumps(
            {
                k: {"articleBody": "\n".join(STORY), "url": f"https://paper.example/{k}"}
                for k in pages
            }
        )
    )
    report = evaluate(tmp_path, workers=1)
    assert {r.page_id: r.access for r in report.decisions["aeb"]} == {
        "free": "free",
        "declared": "paywalled",
        "stub": "truncated",
    }
    text = render_report(report)
    assert "aeb                       3          1          1" in text
    assert "JSON-LD NewsArticle isAccessibleForFree false" in text
    assert "the body ends at a prompt: 'Subscribe to continue reading.'" in text


# Floors sit just under what the cleaning reaches, so a regression fails. The sample (the first
# pages of each set in id order) keeps the default run fast; NEWSDEDUP_EVAL_FULL=1 scores all.
SAMPLE = 40
SAMPLE_FLOORS = {"aeb": 0.98, "fundus": 0.967, "trafilatura_eval": 0.948}
FULL_FLOORS = {"aeb": 0.978, "fundus": 0.964, "trafilatura_eval": 0.945}


@pytest.mark.corpus
@needs_corpus
def test_corpus_sample_beats_floors_and_trafilatura() -> None:
    report = evaluate(CORPUS, limit=SAMPLE)
    text = render_report(report)
    for s in report.sets:
        assert s.ours.f1 >= SAMPLE_FLOORS[s.layout], text
        assert s.ours.f1 > s.base.f1, text
        if s.layout != "trafilatura_eval":
            assert s.ours_leaks == 0, text
            assert s.ours_repeats == 0, text


@pytest.mark.corpus
@needs_corpus
@pytest.mark.skipif(not os.environ.get("NEWSDEDUP_EVAL_FULL"), reason="set NEWSDEDUP_EVAL_FULL=1")
def test_full_corpus_floors() -> None:
    report = evaluate(CORPUS)
    text = render_report(report)
    for s in report.sets:
        assert s.ours.f1 >= FULL_FLOORS[s.layout], text
        assert s.ours.f1 > s.base.f1, text
        if s.layout != "trafilatura_eval":
            assert s.ours_leaks == 0, text
            assert s.ours_repeats == 0, text
    traf = next(s for s in report.sets if s.layout == "trafilatura_eval")
    assert traf.ours.recall >= traf.base.recall - 0.01, text
