"""Export to JSONL, CSV and Parquet: fields, filters, stable bytes, atomic files, missing pyarrow."""

from __future__ import annotations

import builtins
import csv
import importlib.util
import io
import json
import random
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from storage import EXPORT_FIELDS, MissingDependency, Store
from storage import export as export_module
from storage.export import export, write_csv, write_jsonl, write_parquet

VOCAB = [f"tok{i}" for i in range(2000)]


def make_text(seed: int, n: int = 100) -> str:
    rng = random.Random(seed)
    return " ".join(rng.choice(VOCAB) for _ in range(n))


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "news.db") as s:
        for i in range(5):
            s.add_article(
                {
                    "url": f"https://a.example/{i}",
                    "title": f"Story {i} — «quoted»",
                    "text": make_text(i) + "\nsecond paragraph",
                    "authors": ["Ann", "Bo"],
                    "captions": ["Photo: Agency"],
                    "published": f"2024-05-0{i + 1}",
                    "language": "en",
                    "site": "a.example",
                }
            )
        s.add_article({"url": "https://b.example/0", "text": make_text(0) + "\nsecond paragraph"})
        yield s


def test_jsonl_rows_have_the_contract_fields(store):
    out = io.StringIO()
    assert write_jsonl(store, out) == 5
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert tuple(rows[0]) == EXPORT_FIELDS
    assert rows[0]["authors"] == ["Ann", "Bo"] and rows[0]["captions"] == ["Photo: Agency"]
    assert rows[0]["text"].endswith("\nsecond paragraph") and "«quoted»" in out.getvalue()
    assert [r["id"] for r in rows] == [1, 2, 3, 4, 5]
    assert all(r["duplicate_of"] is None for r in rows)


def test_jsonl_with_duplicates_and_filters(store):
    out = io.StringIO()
    assert write_jsonl(store, out, include_duplicates=True) == 6
    dup = json.loads(out.getvalue().splitlines()[-1])
    assert dup["duplicate_of"] == 1 and dup["similarity"] == 1.0 and dup["site"] == "b.example"
    out = io.StringIO()
    assert write_jsonl(store, out, since="2024-05-02", until="2024-05-03", fields=["id"]) == 2
    assert out.getvalue() == '{"id": 2}\n{"id": 3}\n'


def test_two_exports_are_byte_identical(store, tmp_path):
    export(store, tmp_path / "a.jsonl", include_duplicates=True)
    export(store, tmp_path / "b.jsonl", include_duplicates=True)
    assert (tmp_path / "a.jsonl").read_bytes() == (tmp_path / "b.jsonl").read_bytes()


def test_csv_lists_are_json(store):
    out = io.StringIO(newline="")
    assert write_csv(store, out, fields=["id", "authors", "duplicate_of"]) == 5
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows[0] == ["id", "authors", "duplicate_of"]
    assert rows[1] == ["1", '["Ann", "Bo"]', ""]


def test_parquet_round_trip(store, tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    path = tmp_path / "out.parquet"
    assert export(store, path, format="parquet", include_duplicates=True) == 6
    table = pq.read_table(path)
    assert table.column_names == list(EXPORT_FIELDS)
    assert table.column("authors").to_pylist()[0] == ["Ann", "Bo"]
    assert table.column("duplicate_of").to_pylist()[-1] == 1


def test_parquet_empty_export_has_schema(store, tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    path = tmp_path / "empty.parquet"
    assert write_parquet(store, str(path), site="nowhere.example") == 0
    assert pq.read_table(path).num_rows == 0


def test_parquet_without_pyarrow_names_the_extra(store, tmp_path, monkeypatch):
    real_import = builtins.__import__

    def no_pyarrow(name, *args, **kwargs):
        if name.startswith("pyarrow"):
            raise ImportError("No module named 'pyarrow'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pyarrow)
    with pytest.raises(MissingDependency, match=r"newsdedup\[parquet\]"):
        export(store, tmp_path / "x.parquet", format="parquet")
    assert list(tmp_path.glob("x.parquet*")) == []


def test_interrupted_export_leaves_no_file(store, tmp_path):
    def stop(n):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        export(store, tmp_path / "out.jsonl", progress=stop, fields=["id"])
    assert [p.name for p in tmp_path.iterdir() if "out" in p.name] == []


def test_export_to_stdout(store, capsys):
    assert export(store, "-", format="csv", fields=["id"]) == 5
    assert capsys.readouterr().out.splitlines() == ["id", "1", "2", "3", "4", "5"]


def test_progress_reports_the_final_count(store, tmp_path):
    seen = []
    export(store, tmp_path / "p.jsonl", progress=seen.append)
    assert seen == [5]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"format": "xml"}, "unknown export format"),
        ({"fields": ["id", "nope"]}, "unknown export field"),
    ],
)
def test_bad_format_or_field(store, tmp_path, kwargs, message):
    with pytest.raises(ValueError, match=message):
        export(store, tmp_path / "x", **kwargs)


# ------------------------------------------------------------------ the SQL-built rows

TRICKY = [
    'quote " backslash \\ slash / </script>',
    "controls \x00\x01\x08\x0c\r\t\x1f\x7f end",
    "non-ASCII é « » “ ” 東京 \u2028 😀",
    "",
]


@pytest.fixture
def tricky(tmp_path):
    """A store whose values try every corner of JSON and CSV encoding."""
    with Store.open(tmp_path / "tricky.db") as s:
        for i, value in enumerate(TRICKY):
            s.add_article(
                {
                    "url": f"https://c.example/{i}",
                    "title": value or None,
                    "text": f"{value}\n{make_text(i)}",
                    "authors": [value, "Ann"],
                    "tags": [] if i % 2 else [value],
                    "description": value,
                    "published": f"2024-06-0{i + 1}",
                }
            )
        s.add_article({"url": "https://d.example/0", "text": f"{TRICKY[0]}\n{make_text(0)}"})
        # REAL values SQLite would print differently from Python, one in an INTEGER column.
        s.conn.execute("UPDATE articles SET similarity = 0.1 + 0.2 WHERE id = 5")
        s.conn.execute("UPDATE articles SET word_count = 2.5, similarity = 1e20 WHERE id = 2")
        s.conn.execute("UPDATE articles SET authors = '' WHERE id = 3")
        yield s


def reference_rows(store, fields, **filters):
    """The export rows as Python sees them: iter_articles, then the chosen fields."""
    return [{f: a[f] for f in fields} for a in store.iter_articles(**filters)]


@pytest.mark.parametrize("binary", [False, True])
def test_jsonl_lines_read_as_json_dumps_writes_them(tricky, binary):
    fields = [*EXPORT_FIELDS, "word_count", "match", "http_status"]
    out = io.BytesIO() if binary else io.StringIO()
    assert write_jsonl(tricky, out, fields=fields, include_duplicates=True) == 5
    text = out.getvalue().decode("utf-8") if binary else out.getvalue()
    expected = "".join(
        json.dumps(row, ensure_ascii=False) + "\n"
        for row in reference_rows(tricky, fields, include_duplicates=True)
    )
    assert text == expected
    assert '"similarity": 0.30000000000000004' in text and '"word_count": 2.5' in text


def test_csv_matches_the_csv_module_on_python_values(tricky):
    fields = [*EXPORT_FIELDS, "word_count"]
    out = io.StringIO(newline="")
    assert write_csv(tricky, out, fields=fields, include_duplicates=True) == 5
    expected = io.StringIO(newline="")
    writer = csv.writer(expected)
    writer.writerow(fields)
    for row in reference_rows(tricky, fields, include_duplicates=True):
        writer.writerow(
            json.dumps(v, ensure_ascii=False) if isinstance(v, list) else v for v in row.values()
        )
    assert out.getvalue() == expected.getvalue()


def test_parquet_row_groups_hold_every_row(tricky, tmp_path, monkeypatch):
    pq = pytest.importorskip("pyarrow.parquet")
    monkeypatch.setattr(export_module, "PAGE_ROWS", 2)
    monkeypatch.setattr(export_module, "PARQUET_GROUP_ROWS", 4)
    path = tmp_path / "groups.parquet"
    fields = ["id", "title", "authors", "tags", "similarity", "duplicate_of"]
    assert write_parquet(tricky, str(path), fields=fields, include_duplicates=True) == 5
    assert pq.ParquetFile(path).metadata.num_row_groups == 2
    assert pq.read_table(path).to_pylist() == reference_rows(
        tricky, fields, include_duplicates=True
    )


def test_pages_report_progress_and_keep_the_page_cache(store, monkeypatch):
    monkeypatch.setattr(export_module, "PAGE_ROWS", 2)
    before = store.conn.execute("PRAGMA cache_size").fetchone()
    seen = []
    assert write_jsonl(store, io.BytesIO(), progress=seen.append) == 5
    assert seen == [2, 4, 5]
    assert store.conn.execute("PRAGMA cache_size").fetchone() == before

    def stop(n):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_csv(store, io.StringIO(), progress=stop)
    assert store.conn.execute("PRAGMA cache_size").fetchone() == before


def test_jsonl_to_stdout_is_utf8_bytes(store, capsysbinary):
    assert export(store, "-", fields=["id", "title"], since="2024-05-05") == 1
    assert capsysbinary.readouterr().out == '{"id": 5, "title": "Story 4 — «quoted»"}\n'.encode()


def test_jsonl_bytes_from_a_utf16_store(tmp_path):
    path = tmp_path / "utf16.db"
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA encoding = 'UTF-16le'")
        conn.execute("CREATE TABLE fixed_encoding (x)")  # the encoding is set by a first write
        conn.execute("DROP TABLE fixed_encoding")
    with Store.open(path) as s:
        assert s.conn.execute("PRAGMA encoding").fetchone()[0] == "UTF-16le"
        s.add_article({"url": "https://e.example/1", "title": "Über «Köln»", "text": make_text(1)})
        text, binary = io.StringIO(), io.BytesIO()
        write_jsonl(s, text)
        write_jsonl(s, binary)
    assert binary.getvalue() == text.getvalue().encode() and "Über «Köln»" in text.getvalue()


def test_jsonl_without_sqlite_json_functions(tricky):
    class NoJson:
        """A connection whose SQLite lacks json_quote, as far as the probe can tell."""

        def __init__(self, conn):
            self.conn = conn

        def execute(self, sql, *args):
            if "json_quote" in sql:
                raise sqlite3.OperationalError("no such function: json_quote")
            return self.conn.execute(sql, *args)

        def create_function(self, *args, **kwargs):
            return self.conn.create_function(*args, **kwargs)

    expected = io.StringIO()
    write_jsonl(tricky, expected, include_duplicates=True)
    export_module._prepare_json(NoJson(tricky.conn))  # json_quote is now Python's encoder
    out = io.StringIO()
    write_jsonl(tricky, out, include_duplicates=True)
    assert out.getvalue() == expected.getvalue()


def test_jsonl_to_a_stdout_without_bytes_underneath(store, monkeypatch):
    out = io.StringIO()
    monkeypatch.setattr("sys.stdout", out)
    assert export(store, "-", fields=["id"], until="2024-05-02") == 2
    assert out.getvalue() == '{"id": 1}\n{"id": 2}\n'


BENCHMARK = Path(__file__).resolve().parent.parent / "benchmarks" / "export_search.py"


def _load_benchmark():
    spec = importlib.util.spec_from_file_location("export_search", BENCHMARK)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_export_peak_memory_does_not_grow_with_the_store(tmp_path):
    # The benchmark's store builder and its export child, which reports the child's own peak
    # RSS (VmHWM): a store ten times larger must not need much more memory to export.
    bench = _load_benchmark()
    peaks = {}
    for n in (1_000, 10_000):
        db = tmp_path / f"{n}.db"
        bench.build_store(db, n, 150)
        out = tmp_path / f"{n}.jsonl"
        done = subprocess.run(
            [sys.executable, str(BENCHMARK), "--child", "jsonl", str(db), str(out)],
            capture_output=True,
            text=True,
            check=True,
            timeout=600,
        )
        figures = json.loads(done.stdout.strip().splitlines()[-1])
        assert figures["rows"] > n * 0.9  # the 5% marked as duplicates are left out
        peaks[n] = figures["rss_mb"]
    size_mb = (tmp_path / "10000.jsonl").stat().st_size / 1e6
    # The larger export writes some size_mb more than the smaller: an export that held its rows
    # would need at least that much more memory.
    assert peaks[10_000] - peaks[1_000] < size_mb / 2, (peaks, size_mb)
