"""Metadata evaluation: the scoring rules, the layouts, the table, and floors on the corpus."""

from __future__ import annotations

import gzip
import json
import os
import shutil
from pathlib import Path

import pytest

from crawler.evaluate_metadata import (
    Fields,
    FieldScores,
    Truth,
    authors_right,
    byline,
    caption_counts,
    date_right,
    evaluate_metadata,
    find_metadata_sets,
    normalise,
    render_metadata,
    score_page,
    split_authors,
    title_right,
)

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
PAGES = Path(__file__).parent / "fixtures" / "pages"
needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not present")


def test_normalise_folds_case_width_and_punctuation() -> None:
    assert normalise("  Ｈello,  WORLD!! ") == "hello world"
    assert normalise("Straße – „Zitat“") == "strasse zitat"
    assert normalise("宮崎県で震度5弱\u3000気象庁") == "宮崎県で震度5弱 気象庁"
    assert normalise(None) == ""


def test_title_and_date_rules() -> None:
    assert title_right("Mining blasts shatter homes.", "mining blasts — shatter homes")
    assert not title_right(
        "Mining blasts shatter homes - Lesotho Times", "Mining blasts shatter homes"
    )
    assert not title_right(None, "Anything")
    assert not title_right("", "")
    assert date_right("2024-04-28T13:00:00+02:00", "2024-04-28 13:00:00+00:00")
    assert not date_right("2024-04-27T23:00:00-02:00", "2024-04-28 01:00:00+00:00")
    assert not date_right(None, "2024-04-28")


def test_authors_are_compared_as_sets_and_empty_truths_do_not_count() -> None:
    assert authors_right(["Jane Roe", "JOHN DOE"], ["John Doe", "Jane Roe"])
    assert not authors_right(["Jane Roe"], ["John Doe", "Jane Roe"])
    assert not authors_right(["By Jane Roe"], ["Jane Roe"])
    assert authors_right([], []) is None
    assert authors_right(["Jane Roe"], [""]) is None


def test_split_authors_on_the_page_type_rule() -> None:
    assert split_authors("Danielle DeSiato, Donna Enzmann, and Natalie Nguyen") == [
        "Danielle DeSiato",
        "Donna Enzmann",
        "Natalie Nguyen",
    ]
    assert split_authors("A. Smith & B. Jones; C. Brandon") == [
        "A. Smith",
        "B. Jones",
        "C. Brandon",
    ]
    assert split_authors(None) == []
    assert split_authors("") == []


def test_byline_puts_the_agency_after_the_people_once() -> None:
    assert byline(["Paula Steiger"], "SDA") == ["Paula Steiger", "SDA"]
    assert byline([], "dpa, AFP") == ["dpa", "AFP"]
    assert byline(["AP"], "AP") == ["AP"]
    assert byline(["Jane Roe"], None) == ["Jane Roe"]


def test_caption_counts_use_the_normalised_prefix_and_skip_short_captions() -> None:
    caption = "A long caption that says who is in the picture and where it was taken. Photo: AP"
    counted, found, leaked = caption_counts(
        [caption, "Photo: AP"], caption.upper(), "Story text.\n" + caption[:70] + " and more"
    )
    assert (counted, found, leaked) == (1, 1, 1)
    assert caption_counts([caption], "", "Story text.") == (1, 0, 0)


def test_score_page_counts_each_field_it_has_truth_for() -> None:
    truth = Truth("pagetypes", "p1", "https://example.org/a", Path("x"), "Headline", None,
                  ["Jane Roe", "John Doe"], None)  # fmt: skip
    scores = FieldScores()
    verdicts = score_page(
        Fields("Headline", "2024-01-01", ["Jane Roe and John Doe"]), truth, scores
    )
    assert verdicts == {"title": True, "date": None, "authors": True}
    assert (scores.title.right, scores.title.counted) == (1, 1)
    assert scores.date.counted == 0
    assert scores.captions_found.counted == 0


def _write_gz(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(gzip.compress(data))


CAPTION = "Foreign Minister Ishaq Dar chairing a meeting in this undated picture. — APP/Files"


@pytest.fixture
def tiny_corpus(tmp_path: Path) -> Path:
    """The fundus and page-type layouts, each holding the Dawn-style fixture page."""
    html = (PAGES / "dawn_style.html").read_bytes()
    url = "https://www.dawn.com/news/1915551/dar-urges"
    fundus = tmp_path / "fundus"
    _write_gz(fundus / "html" / "pk__Dawn_2025_04_16.html.gz", html)
    (fundus / "ground-truth").mkdir()
    (fundus / "ground-truth" / "pk__Dawn_2025_04_16.json").write_text(
        json.dumps(
            {
                "url": url,
                "title": "Dar urges modernisation and unity in UN peacekeeping",
                "publishing_date": "2025-04-16 17:31:05+00:00",
                "authors": ["Tahir Khan"],
                "captions": [CAPTION],
                "articleBody": "ISLAMABAD",
            }
        )
    )
    types = tmp_path / "pagetypes"
    _write_gz(types / "html" / "0001.html.gz", html)
    _write_gz(types / "html" / "0002.html.gz", b"<html><body><p>A shop</p></body></html>")
    (types / "pages.json").write_text(
        json.dumps(
            {
                "0001": {"url": url, "page_type": "article", "title": "Wrong headline",
                         "author": "Tahir Khan", "publish_date": "2025-04-16"},
                "0002": {"url": "https://shop.example/", "page_type": "product", "title": "Shop",
                         "author": None, "publish_date": None},
            }
        )
    )  # fmt: skip
    return tmp_path


def test_metadata_layouts_are_recognised(tiny_corpus: Path, tmp_path: Path) -> None:
    assert [name for name, _ in find_metadata_sets(tiny_corpus)] == ["fundus", "pagetypes"]
    assert find_metadata_sets(tiny_corpus / "pagetypes") == [
        ("pagetypes", tiny_corpus / "pagetypes")
    ]
    assert find_metadata_sets(tmp_path / "missing") == []


def test_each_folder_of_one_layout_is_a_metadata_row_of_its_own(tiny_corpus: Path) -> None:
    shutil.copytree(tiny_corpus / "fundus", tiny_corpus / "fundus-copy")
    report = evaluate_metadata(tiny_corpus, workers=1)
    assert [(s.name, s.layout, s.pages) for s in report.sets] == [
        ("fundus", "fundus", 1),
        ("fundus-copy", "fundus", 1),
        ("pagetypes", "pagetypes", 1),
    ]


def test_evaluate_metadata_scores_ours_and_trafilatura(tiny_corpus: Path) -> None:
    report = evaluate_metadata(tiny_corpus, workers=1)
    fundus, types = report.sets
    assert (fundus.name, fundus.pages, types.name, types.pages) == ("fundus", 1, "pagetypes", 1)
    for scores in (fundus.ours, fundus.base):
        assert scores.title.share == scores.date.share == scores.authors.share == 1.0
    assert (fundus.ours.captions_found.right, fundus.ours.captions_found.counted) == (1, 1)
    assert fundus.ours.captions_leaked.right == 0
    assert types.ours.title.share == 0.0 and types.ours.authors.share == 1.0
    text = render_metadata(report, misses=5)
    assert "fundus ours" in text and "pagetypes trafilatura" in text
    assert "pagetypes: title wrong on 1 pages" in text and "'Wrong headline'" in text


# Floors sit just under what extraction reaches, so a regression fails. The sample (the first
# pages of each set in id order) keeps the default run fast; NEWSDEDUP_EVAL_FULL=1 scores all.
SAMPLE = 40
SAMPLE_FLOORS = {
    "fundus": {"title": 0.78, "date": 0.99, "authors": 0.75, "captions": 0.99},
    "pagetypes": {"title": 0.8, "date": 0.8, "authors": 0.68},
}
FULL_FLOORS = {
    "fundus": {"title": 0.82, "date": 0.99, "authors": 0.785, "captions": 0.965},
    "pagetypes": {"title": 0.86, "date": 0.845, "authors": 0.67},
}
# Captions left inside the text, at most (fundus; a share of the captions counted).
MAX_LEAKED = {"sample": 0.03, "full": 0.04}


def _check_floors(report, floors: dict, max_leaked: float) -> None:
    text = render_metadata(report)
    for s in report.sets:
        wanted = floors[s.layout]
        assert s.ours.title.share >= wanted["title"], text
        assert s.ours.date.share >= wanted["date"], text
        assert s.ours.authors.share >= wanted["authors"], text
        if "captions" in wanted:
            assert s.ours.captions_found.share >= wanted["captions"], text
            assert s.ours.captions_leaked.share <= max_leaked, text


@pytest.mark.corpus
@needs_corpus
def test_corpus_metadata_sample_floors() -> None:
    report = evaluate_metadata(CORPUS, limit=SAMPLE)
    assert [s.name for s in report.sets] == ["fundus", "pagetypes"]
    _check_floors(report, SAMPLE_FLOORS, MAX_LEAKED["sample"])


@pytest.mark.corpus
@needs_corpus
@pytest.mark.skipif(not os.environ.get("NEWSDEDUP_EVAL_FULL"), reason="set NEWSDEDUP_EVAL_FULL=1")
def test_corpus_metadata_full_floors() -> None:
    _check_floors(evaluate_metadata(CORPUS), FULL_FLOORS, MAX_LEAKED["full"])


def test_eval_command_prints_the_metadata_table(tiny_corpus: Path) -> None:
    from click.testing import CliRunner

    from crawler.cli import main

    runner = CliRunner()
    result = runner.invoke(main, ["eval", "--corpus", str(tiny_corpus / "pagetypes")])
    assert result.exit_code == 0, result.output
    assert "pagetypes ours" in result.output and "ours P / R / F1" not in result.output
    result = runner.invoke(main, ["eval", "--corpus", str(tiny_corpus), "--only", "metadata"])
    assert result.exit_code == 0, result.output
    assert "fundus ours" in result.output and "ours P / R / F1" not in result.output
    # No text truth in a page-type set: the text part is its page-type table alone.
    result = runner.invoke(
        main, ["eval", "--corpus", str(tiny_corpus / "pagetypes"), "--only", "text"]
    )
    assert result.exit_code == 0, result.output
    assert "page types" in result.output and "pagetypes ours" not in result.output
