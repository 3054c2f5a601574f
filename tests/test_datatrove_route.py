"""The datatrove route: Parquet export of a store, and clusters imported back as stories."""

from __future__ import annotations

import importlib.util
import json
import random
import sys
from pathlib import Path

import pytest

from storage import Store

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
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


@pytest.mark.skipif(
    importlib.util.find_spec("datatrove") is None,
    reason="datatrove is not installed here (it lives in its own virtualenv; see the script)",
)
def test_datatrove_finds_the_copies(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    with Store.open(db) as store:
        store.add_article({"url": "https://a.example/1", "text": text(1)})
        store.add_article({"url": "https://a.example/2", "text": text(2)})
    datatrove_dedup.export(str(db), tmp_path / "work", rows_per_file=10)
    assert datatrove_dedup.dedup(tmp_path / "work", tasks=1, workers=1) == 0
