"""The datatrove route: Parquet export of a store, and clusters imported back as stories."""

from __future__ import annotations

import importlib.util
import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from storage import Store

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "datatrove_dedup.py"
sys.path.insert(0, str(SCRIPT.parent))
import datatrove_dedup  # noqa: E402

WORDS = "river council budget harbour ferry school market storm bridge tunnel energy wage".split()


def text(seed: int) -> str:
    rng = random.Random(seed)
    return " ".join(rng.choice(WORDS) + str(rng.randint(0, 99)) for _ in range(100))


def test_export_then_import_clusters(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    db = tmp_path / "s.db"
    with Store.open(db) as store:
        for i in range(5):
            store.add_article({"url": f"https://s.example/{i}", "text": text(i)})
    assert datatrove_dedup.export(str(db), tmp_path / "work", rows_per_file=2) == 5
    files = sorted((tmp_path / "work" / "input").glob("*.parquet"))
    assert len(files) == 3
    assert pq.read_table(files[0]).column_names == ["id", "url", "text"]
    # What datatrove's stage 4 would report: articles 2, 4 and 5 are one story, 1 and 3 another.
    clusters = [{"id": "4", "cluster": 0}, {"id": "2", "cluster": 0}, {"id": "5", "cluster": 0}]
    clusters += [{"id": "1", "cluster": 1}, {"id": "3", "cluster": 1}]
    (tmp_path / "work" / "clusters.jsonl").write_text(
        "".join(json.dumps(c) + "\n" for c in clusters), encoding="utf-8"
    )
    assert datatrove_dedup.import_clusters(str(db), tmp_path / "work") == 3
    assert datatrove_dedup.import_clusters(str(db), tmp_path / "work") == 0  # idempotent
    with Store.open(db) as store:
        story = store.story(2)
        assert [d["id"] for d in story["duplicates"]] == [4, 5]
        assert [d["id"] for d in store.story(1)["duplicates"]] == [3]


def datatrove_python() -> str | None:
    """The interpreter that has datatrove: NEWSDEDUP_DATATROVE_PYTHON, else this one if it has it.

    datatrove lives in a virtualenv of its own (``pip install '.[datatrove]'`` there); .ci/run
    makes one and names its python in NEWSDEDUP_DATATROVE_PYTHON.
    """
    configured = os.environ.get("NEWSDEDUP_DATATROVE_PYTHON")
    if configured:
        return configured
    return sys.executable if importlib.util.find_spec("datatrove") else None


def word(rng: random.Random) -> str:
    # Letters only: datatrove's shingles fold every digit to 0.
    return "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(3, 9)))


def long_text(seed: int, words: int = 300) -> str:
    rng = random.Random(seed)
    return " ".join(word(rng) for _ in range(words))


def edited(base: str, seed: int, changes: int) -> str:
    """``base`` with ``changes`` words replaced, spread over the text: a lightly edited copy."""
    words = base.split()
    rng = random.Random(seed)
    for position in rng.sample(range(len(words)), changes):
        words[position] = word(rng)
    return " ".join(words)


def test_datatrove_finds_the_copies(tmp_path: Path) -> None:
    python = datatrove_python()
    if python is None:
        pytest.skip(
            "datatrove is not installed here: make a virtualenv with pip install '.[datatrove]' "
            "and name its python in NEWSDEDUP_DATATROVE_PYTHON"
        )
    story, other = long_text(1), long_text(2)
    half = " ".join(story.split()[:150] + long_text(3).split()[:150])
    texts = {
        "story": story,
        "unrelated": long_text(4),
        "story-edited": edited(story, 5, 3),  # about 0.9 Jaccard on 5-word shingles
        "other": other,
        "half-of-story": half,  # shares half the text: about 0.33, not a copy
        "other-copy": other,
        "story-edited-more": edited(story, 6, 5),
    }
    db = tmp_path / "s.db"
    with Store.open(db) as store:
        ids = {
            name: store.add_article({"url": f"https://a.example/{name}", "text": text}).article_id
            for name, text in texts.items()
        }
        # As in a corpus that no single index held: the store has linked nothing yet.
        store.conn.execute(
            "UPDATE articles SET duplicate_of = NULL, matched_id = NULL, match = NULL, "
            "similarity = NULL"
        )
    assert datatrove_dedup.export(str(db), tmp_path / "work", rows_per_file=3) == len(texts)
    done = subprocess.run(
        [python, str(SCRIPT), "dedup", str(tmp_path / "work"), "--tasks", "2", "--workers", "1"],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "5 articles in clusters" in done.stdout
    names = {article_id: name for name, article_id in ids.items()}
    clusters: dict[int, set[str]] = {}
    for line in (tmp_path / "work" / "clusters.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        clusters.setdefault(row["cluster"], set()).add(names[int(row["id"])])
    assert sorted(map(sorted, clusters.values())) == [
        ["other", "other-copy"],
        ["story", "story-edited", "story-edited-more"],
    ]
    assert datatrove_dedup.import_clusters(str(db), tmp_path / "work") == 3
    with Store.open(db) as store:
        copies = {d["id"] for d in store.story(ids["story"])["duplicates"]}
        assert copies == {ids["story-edited"], ids["story-edited-more"]}
        assert [d["id"] for d in store.story(ids["other"])["duplicates"]] == [ids["other-copy"]]
        assert store.story(ids["half-of-story"])["duplicates"] == []
