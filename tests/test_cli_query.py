"""The query commands: export, search, stats and show, and the README's Python API examples."""

from __future__ import annotations

import builtins
import io
import json
import random
import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from crawler.cli import main
from storage import Store
from storage.crawlstate import CrawlState

README = Path(__file__).resolve().parent.parent / "README.md"
VOCAB = [f"word{i}" for i in range(500)]


def body(seed: int, extra: str = "") -> str:
    rng = random.Random(seed)
    words = " ".join(rng.choice(VOCAB) for _ in range(120))
    return f"{extra} {words}\nA second paragraph about {extra or 'nothing'}."


def build(path: Path) -> None:
    """Five articles on two sites (one a copy of another), a fetch log and one crawl run."""
    with Store.open(path) as store:
        for i, (site, lang, topic) in enumerate(
            [
                ("a.example", "en", "harbour bridge"),
                ("a.example", "en", "election results"),
                ("b.example", "de", "harbour festival"),
                ("b.example", "en", "weather report"),
            ]
        ):
            store.add_article(
                {
                    "url": f"https://{site}/news/{i}",
                    "title": f"{topic.title()} today",
                    "text": body(i, topic),
                    "authors": ["Ann Reporter"],
                    "published": f"2024-05-0{i + 1}",
                    "language": lang,
                    "site": site,
                }
            )
        # A syndicated copy of article 1 on the other site.
        copy = store.add_article(
            {
                "url": "https://b.example/wire/1",
                "title": "Harbour Bridge today",
                "text": body(0, "harbour bridge"),
                "published": "2024-05-09",
                "language": "en",
                "site": "b.example",
            }
        )
        assert copy.status == "duplicate"
        store.log_fetch("https://a.example/tag/x", status=200, outcome="rejected", reason="x")
        state = CrawlState(store.conn)
        run = state.begin_run(["a-news"])
        state.finish_run(run, "finished", {}, {"a-news": {"requests": 3}}, ["a-news"])


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "news.db"
    build(path)
    return path


def run(*args: str | Path) -> object:
    return CliRunner().invoke(main, [str(a) for a in args])


# ------------------------------------------------------------------ export


def test_two_exports_are_byte_identical(db, tmp_path):
    for fmt in ("jsonl", "csv", "parquet"):
        first, second = tmp_path / f"1.{fmt}", tmp_path / f"2.{fmt}"
        for out in (first, second):
            result = run("export", "--db", db, "--format", fmt, "-o", out)
            assert result.exit_code == 0, result.output
        assert first.read_bytes() == second.read_bytes(), fmt
        assert not list(tmp_path.glob(".*.part"))


def test_export_streams_to_stdout_with_fields_and_filters(db):
    result = run("export", "--db", db, "--fields", "id, url,site", "--site", "b.example")
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert rows == [{"id": 3, "url": "https://b.example/news/2", "site": "b.example"}] + [
        {"id": 4, "url": "https://b.example/news/3", "site": "b.example"}
    ]
    result = run("export", "--db", db, "--fields", "id,duplicate_of", "--include-duplicates")
    assert [json.loads(x)["duplicate_of"] for x in result.stdout.splitlines()] == [
        None,
        None,
        None,
        None,
        1,
    ]
    result = run(
        "export", "--db", db, "--fields", "id", "--since", "2024-05-02", "--language", "en"
    )
    assert [json.loads(x)["id"] for x in result.stdout.splitlines()] == [2, 4]


def test_export_unknown_field_lists_the_valid_ones(db):
    result = run("export", "--db", db, "--fields", "id,titel")
    assert result.exit_code != 0
    assert "titel" in result.output and "title" in result.output and "word_count" in result.output
    assert "Traceback" not in result.output


def test_export_into_a_missing_folder_names_it(db, tmp_path):
    result = run("export", "--db", db, "-o", tmp_path / "nowhere" / "out.jsonl")
    assert result.exit_code != 0
    assert "nowhere" in result.output and "does not exist" in result.output


def test_parquet_without_pyarrow_names_the_extra(db, tmp_path, monkeypatch):
    real_import = builtins.__import__

    def no_pyarrow(name, *args, **kwargs):
        if name.startswith("pyarrow"):
            raise ImportError("no pyarrow here")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pyarrow)
    out = tmp_path / "out.parquet"
    result = run("export", "--db", db, "--format", "parquet", "-o", out)
    assert result.exit_code == 1
    assert "pip install 'newsdedup[parquet]'" in result.output
    assert not out.exists()


class Terminal(io.StringIO):
    """A stderr that says it is a terminal, and keeps what is drawn on it."""

    def isatty(self) -> bool:
        return True


def test_export_progress_only_on_a_terminal(db, monkeypatch):
    from crawler.cli import query as cli

    with Store.open(db) as store:
        with cli._export_progress(store, {}) as progress:
            assert progress is None  # pytest's stderr is no terminal
        for selection, total in (({}, 4), ({"include_duplicates": True}, 5)):
            terminal = Terminal()
            monkeypatch.setattr(cli.sys, "stderr", terminal)
            with cli._export_progress(store, selection) as progress:
                assert progress is not None
                # Called with the running count of rows written, as write_export does.
                for written in range(1, total + 1):
                    progress(written)
                    drawn = terminal.getvalue().rsplit("\r", 1)[-1]
                    assert "exporting" in drawn, drawn
                    assert f"{100 * written // total}%" in drawn, (written, total, drawn)


# ------------------------------------------------------------------ search


def test_search_json_and_filters(db):
    result = run("search", "harbour", "--db", db, "--json")
    assert result.exit_code == 0, result.output
    hits = [json.loads(line) for line in result.stdout.splitlines()]
    assert {h["id"] for h in hits} == {1, 3}
    assert all("[harbour]" in h["snippet"].lower() for h in hits)
    for args, ids in [
        (["--site", "a.example"], {1}),
        (["--language", "de"], {3}),
        (["--since", "2024-05-02"], {3}),
        (["--until", "2024-05-01"], {1}),
        (["--include-duplicates"], {1, 3, 5}),
        (["--min-words", "100000"], set()),
    ]:
        result = run("search", "harbour", "--db", db, "--json", *args)
        assert result.exit_code == 0, result.output
        assert {json.loads(x)["id"] for x in result.stdout.splitlines()} == ids, args


def test_search_text_output(db):
    result = run("search", "election", "--db", db)
    assert result.exit_code == 0
    assert (
        "#2 Election Results today" in result.stdout and "https://a.example/news/1" in result.stdout
    )
    assert "No article matches" in run("search", "zebra", "--db", db).stdout


@pytest.mark.parametrize("query", ["harbour AND (", '"unclosed', "NOT", "  "])
def test_search_syntax_error_is_a_message_not_a_traceback(db, query):
    result = run("search", query, "--db", db)
    assert result.exit_code == 1
    assert result.output.startswith("Error: ")
    assert "Traceback" not in result.output and result.exception.__class__ is SystemExit


# ------------------------------------------------------------------ stats and show


def test_stats_text_lists_sources_runs_and_largest_stories(db):
    result = run("stats", "--db", db)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert re.search(r"a-news\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+ok\s+\d{4}-\d\d-\d\d", out)
    assert "largest stories" in out and "Harbour Bridge today" in out
    assert re.search(r"^\s*rejected and failed fetches by reason:\n\s+1\s+rejected x$", out, re.M)
    assert re.search(r"^\s+a\.example\s+2\s+2\s+0\s+2$", out, re.M)
    assert re.search(r"^\s+b\.example\s+3\s+2\s+1\s+3$", out, re.M)


def test_stats_json(db):
    result = run("stats", "--db", db, "--json")
    figures = json.loads(result.stdout)
    assert figures["totals"]["articles"] == 5 and figures["totals"]["duplicates"] == 1
    (source,) = figures["crawl_sources"]
    assert source["name"] == "a-news" and source["last_status"] == "ok" and source["runs"] == 1
    assert source["last_success_at"] and source["last_run_at"]
    assert figures["largest_stories"][0]["id"] == 1 and figures["largest_stories"][0]["size"] == 2


def test_show_by_id_and_url(db):
    by_id = run("show", "5", "--db", db)
    by_url = run("show", "https://b.example/wire/1", "--db", db)
    assert by_id.exit_code == 0 and by_id.stdout == by_url.stdout
    assert "duplicate of #1" in by_id.stdout and "Story #1: 2 copies on 2 sites" in by_id.stdout
    data = json.loads(run("show", "1", "--db", db, "--json").stdout)
    assert data["story"]["size"] == 2 and data["article"]["url"] == "https://a.example/news/0"
    missing = run("show", "99", "--db", db)
    assert missing.exit_code == 1 and "no article '99'" in missing.output


def test_every_query_command_has_help():
    for name in ("export", "search", "stats", "show"):
        command = main.commands[name]
        assert command.help and all(
            p.help for p in command.params if isinstance(p, click.Option)
        ), name


# ------------------------------------------------------------------ README


def test_readme_python_blocks_run(db, monkeypatch, tmp_path, capsys):
    """Every python block of the README (beside each command and in "Python API"), in order."""
    text = README.read_text(encoding="utf-8")
    assert "## Python API" in text
    blocks = re.findall(r"```python\n(.*?)```", text, re.S)
    assert len(blocks) >= 5
    monkeypatch.chdir(db.parent)
    namespace: dict[str, object] = {}
    for block in blocks:
        exec(compile(block, str(README), "exec"), namespace)  # noqa: S102
    assert (tmp_path / "corpus.jsonl").read_text().count("\n") == 2
    assert (tmp_path / "corpus.csv").read_text().startswith("id,url,title")
    assert "Harbour Bridge today" in capsys.readouterr().out
