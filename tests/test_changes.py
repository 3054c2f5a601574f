"""Incremental export: the changes since a cursor, applied to the previous full export, give the
current full export byte for byte, whatever changed the articles (a crawl, one killed by
SIGKILL, re-dedup, reclean, a representative switch, a direct UPDATE); cursors name their
store; a cursor file is advanced only with a published export."""

from __future__ import annotations

import json
import os
import random
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from sitegen import Article, Site, article_html, build_world, crawl, paragraphs, write_world
from test_crash import count_articles, run_until, slow_routes

from crawler.cli import main
from crawler.demo.server import serve_world
from crawler.reclean import reclean
from storage import Store
from storage.changes import Cursor, CursorError, apply
from storage.export import export, export_changes
from storage.schema import SCHEMA_VERSION

SELECTIONS = [{}, {"include_duplicates": True}, {"site": "www.site-a.example"}]


def full(store: Store, tmp_path: Path, **selection) -> list[str]:
    out = tmp_path / "full.jsonl"
    export(store, out, **selection)
    return out.read_bytes().decode().splitlines(keepends=True)


class Follower:
    """A downstream job per selection: holds the full export it rebuilt from the changes, and
    checks it against a fresh full export after every step."""

    def __init__(self, db: Path, tmp_path: Path) -> None:
        self.db, self.tmp = db, tmp_path
        self.held: dict[int, list[str]] = {i: [] for i in range(len(SELECTIONS))}
        self.cursors: dict[int, str | None] = {i: None for i in range(len(SELECTIONS))}
        self.ops: dict[str, int] = {}

    def check(self, step: str) -> set[str]:
        """Follow one step; returns the ops its changes used."""
        used = set()
        with Store.open(self.db) as store:
            for i, selection in enumerate(SELECTIONS):
                out = self.tmp / "changes.jsonl"
                result = export_changes(store, out, since=self.cursors[i], **selection)
                lines = out.read_text(encoding="utf-8").splitlines(keepends=True)
                held = {json.loads(line)["id"] for line in self.held[i]}
                for line in lines:
                    op = line.split('"', 4)[3]
                    self.ops[op] = self.ops.get(op, 0) + 1
                    used.add(op)
                    # An add is an article stored since the cursor: never one already held.
                    assert op != "add" or json.loads(line)["id"] not in held, (step, line[:60])
                self.held[i] = apply(self.held[i], lines)
                self.cursors[i] = str(result.cursor)
                assert "".join(self.held[i]) == "".join(full(store, self.tmp, **selection)), (
                    step,
                    selection,
                )
        return used


def words(seed: int, n: int = 80) -> str:
    rng = random.Random(seed)
    return " ".join(f"w{rng.randrange(5000)}" for _ in range(n))


def record(url: str, text: str, **extra) -> dict:
    return {"url": url, "title": url.rsplit("/", 1)[-1], "text": text, "site": "www.site-a.example",
            "fetched_at": "2026-01-01T00:00:00+00:00", **extra}  # fmt: skip


def test_every_write_path_is_exported(tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    follower = Follower(db, tmp_path)
    site = Site("site-a", "https://www.site-a.example")
    rng = random.Random(5)
    pieces = [
        Article("site-a", f"/news/{n}/", f"Story {n}", paragraphs(rng, 5), 1 + n) for n in range(4)
    ]
    with Store.open(db) as store:
        follower.check("empty store")
        for n, piece in enumerate(pieces):
            store.add_article(
                record(f"https://www.site-a.example/news/{n}/", "\n".join(piece.paragraphs),
                       raw_html=article_html(site, piece))
            )  # fmt: skip
        base = words(1)
        store.add_article(record("https://www.site-a.example/a", base))
        store.add_article(record("https://b.example/a", base + " extra", site="b.example"))
        follower.check("add_article: new articles and a duplicate")
        store.add_article(record("https://www.site-a.example/a", words(2)))
        follower.check("add_article: a changed text (the representative leaves its story)")
        store.add_article(record("https://www.site-a.example/news/0/", "\n".join(pieces[0].paragraphs),
                                 fetched_at="2026-01-02T00:00:00+00:00"))  # fmt: skip
        follower.check("add_article: the same text fetched again")
        store.replace_text(1, "A text cleaned again.\n" + words(3))
        follower.check("replace_text")
        dup = store.add_article(record("https://c.example/x", words(4, 120), site="c.example"))
        copy = store.add_article(
            record("https://d.example/x", words(4, 120) + " w1", site="d.example")
        )
        assert copy.duplicate_of == dup.article_id
        follower.check("a new story with a copy")
        # The representative switch of a fuller copy: what the dedup will do in one UPDATE pair.
        store.conn.execute(
            "UPDATE articles SET duplicate_of = NULL WHERE id = ?", (copy.article_id,)
        )
        store.conn.execute(
            "UPDATE articles SET duplicate_of = ? WHERE id = ?", (copy.article_id, dup.article_id)
        )
        follower.check("direct UPDATE of duplicate_of")
        store.rededup(threshold=0.3)
        follower.check("rededup at another threshold")
        store.rededup(preset="same-article")
        follower.check("rededup back")
        store.set_access(2, "paywalled")
        follower.check("set_access")
        store.conn.execute("DELETE FROM articles WHERE id = ?", (3,))
        follower.check("a deleted article")
    with Store.open(db) as store:
        report = reclean(store)
        assert report.changed or report.restated
        follower.check("reclean")
    assert follower.ops.keys() == {"add", "update", "remove"}


def test_store_changes_api(tmp_path: Path) -> None:
    with Store.open(tmp_path / "s.db") as store:
        start = store.cursor()
        first = store.add_article(record("https://www.site-a.example/1", words(1)))
        assert [c["op"] for c in store.changes(start)] == ["add"]
        middle = store.cursor()
        store.add_article(record("https://www.site-a.example/1", words(2)))
        changed = list(store.changes(middle))
        assert changed == [{"op": "update", **store.get(first.article_id)}]
        assert list(store.changes(store.cursor())) == []


def test_cursor_of_another_store_is_refused(tmp_path: Path) -> None:
    with Store.open(tmp_path / "a.db") as a, Store.open(tmp_path / "b.db") as b:
        a.add_article(record("https://www.site-a.example/1", words(1)))
        theirs = a.cursor()
        with pytest.raises(CursorError, match="belongs to another store") as caught:
            list(b.changes(theirs))
        assert str(Cursor.parse(b.cursor()).store_id) in str(caught.value)
        with pytest.raises(CursorError, match="is ahead of this store"):
            list(b.changes(f"{Cursor.parse(b.cursor()).store_id}:99"))
        with pytest.raises(CursorError, match="not a cursor"):
            list(b.changes("yesterday"))
    runner = CliRunner()
    result = runner.invoke(
        main, ["export", "--db", str(tmp_path / "b.db"), "--changes-since", theirs]
    )
    assert result.exit_code == 2
    assert "belongs to another store" in result.output and "--changes-since" in result.output
    garbage = tmp_path / "cursor"
    garbage.write_text("yesterday\n", encoding="utf-8")
    out = tmp_path / "changes.jsonl"
    result = runner.invoke(
        main,
        ["export", "--db", str(tmp_path / "b.db"), "--cursor-file", str(garbage), "-o", str(out)],
    )
    assert result.exit_code == 2
    assert f"cursor file {garbage}: 'yesterday' is not a cursor" in result.output
    assert not out.exists() and garbage.read_text(encoding="utf-8") == "yesterday\n"


def test_unwritable_cursor_file_leaves_export_and_cursor_alone(tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    cursor_file = tmp_path / "cursor"
    out = tmp_path / "changes.jsonl"
    runner = CliRunner()
    with Store.open(db) as store:
        store.add_article(record("https://www.site-a.example/1", words(1)))
    result = runner.invoke(
        main, ["export", "--db", str(db), "--cursor-file", str(cursor_file), "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    old = cursor_file.read_text()
    assert out.read_text().startswith('{"op": "add", "id": 1, ')
    out.unlink()
    with Store.open(db) as store:
        store.add_article(record("https://www.site-a.example/2", words(2)))
    # The cursor's temporary name is taken by a folder: writing the new cursor fails.
    blocker = tmp_path / f".cursor.{os.getpid()}.part"
    blocker.mkdir()
    result = runner.invoke(
        main, ["export", "--db", str(db), "--cursor-file", str(cursor_file), "-o", str(out)]
    )
    assert result.exit_code == 1
    assert "cannot write the cursor file" in result.output
    assert "the export was not published" in result.output
    assert not out.exists()
    assert cursor_file.read_text() == old
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part") and p.is_file()]
    blocker.rmdir()
    result = runner.invoke(
        main, ["export", "--db", str(db), "--cursor-file", str(cursor_file), "-o", str(out)]
    )
    assert result.exit_code == 0
    assert [line[:30] for line in out.read_text().splitlines()] == [
        '{"op": "add", "id": 2, "url": '
    ]
    assert cursor_file.read_text() != old


def test_crawls_killed_crawls_dedup_and_reclean(tmp_path: Path) -> None:
    root = tmp_path / "world"
    sites = build_world(root, sites=2, per_site=4, shared=1, seed=11)
    write_world(root, sites)
    db = tmp_path / "news.db"
    follower = Follower(db, tmp_path)
    with serve_world(root, routes=slow_routes(root, sites, 0.05)) as world:
        urls = world.start_urls()
        assert crawl(db, *urls).returncode == 0
        follower.check("first crawl")
        rng = random.Random(3)
        for site in sites:
            for n in range(4, 10):
                site.articles.append(
                    Article(site.folder, f"/news/2025/03/{n:02d}/{site.folder}-late-{n}/",
                            f"{site.folder} late story {n}", paragraphs(rng), n)
                )  # fmt: skip
        # A changed text on a known article, and the copies of a new shared story.
        sites[0].articles[0].paragraphs[1] += " A correction was added."
        sites[0].articles[0].modified = "2025-03-28T09:00:00+00:00"
        shared = paragraphs(rng, 5)
        for site in sites:
            site.articles.append(Article(site.folder, "/news/2025/03/21/shared-late/",
                                         f"Late shared story on {site.folder}", shared, 21))  # fmt: skip
        write_world(root, sites)
        world._routes.update(slow_routes(root, sites, 0.05))
        before = count_articles(db)
        killed, _ = run_until(world, db, urls, "articles", 3)
        assert killed and before < count_articles(db)
        follower.check("a crawl killed by SIGKILL")
        assert crawl(db, *urls).returncode == 0
        follower.check("the crawl that resumes it")
    runner = CliRunner()
    result = runner.invoke(main, ["dedup", "--db", str(db), "--threshold", "0.3"])
    assert result.exit_code == 0, result.output
    # Neither stores a new article: what they change is exported as updates (and removals).
    print("dedup ops:", dedup := follower.check("newsdedup dedup"))
    assert "add" not in dedup
    # A text as an older cleaning left it, for reclean to mend from the stored page.
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE articles SET text = text || ' Share this article.' WHERE id = 1")
    follower.check("a text left by an older cleaning")
    result = runner.invoke(main, ["reclean", "--db", str(db)])
    assert result.exit_code == 0, result.output
    print("reclean ops:", recleaned := follower.check("newsdedup reclean"))
    assert "add" not in recleaned and "update" in recleaned
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_store_of_version_5_gains_access_the_change_log_and_an_id(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    with Store.open(db) as store:
        for n in range(3):
            store.add_article(record(f"https://www.site-a.example/{n}", words(n)))
    # Take the store back to what version 5 wrote.
    with sqlite3.connect(db) as conn:
        conn.executescript(
            """
            DROP TRIGGER articles_changes_ai; DROP TRIGGER articles_changes_au;
            DROP TRIGGER articles_changes_ad; DROP TABLE changes;
            DROP INDEX articles_access; ALTER TABLE articles DROP COLUMN access;
            DELETE FROM meta WHERE key = 'store_id';
            UPDATE meta SET value = '5' WHERE key = 'schema_version';
            """
        )
    with Store.open(db) as store:
        assert store.meta()["schema_version"] == str(SCHEMA_VERSION)
        assert [c["op"] for c in store.changes()] == ["add"] * 3
        assert all(c["access"] is None for c in store.changes())
        cursor = store.cursor()
        assert cursor.endswith(":3") and len(cursor) > 30
        store.add_article(record("https://www.site-a.example/0", words(9), access="free"))
        assert [(c["op"], c["access"]) for c in store.changes(cursor)] == [("update", "free")]


def test_a_compacted_log_keeps_exports_whole_and_refuses_older_cursors(tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    follower = Follower(db, tmp_path)
    with Store.open(db) as store:
        for n in range(6):
            store.add_article(record(f"https://www.site-a.example/{n}", words(n)))
        old = store.cursor()
        follower.check("six articles")
        store.rededup(threshold=0.3)
        store.rededup(preset="same-article")
        store.add_article(record("https://www.site-a.example/0", words(10)))
        store.conn.execute("DELETE FROM articles WHERE id = 2")
        follower.check("updates and a deletion")
        before = store.conn.execute("SELECT count(*) FROM changes").fetchone()[0]
    reached = follower.cursors[0]
    assert reached is not None and set(follower.cursors.values()) == {reached}
    runner = CliRunner()
    result = runner.invoke(main, ["changes", "--db", str(db), "--compact-before", reached])
    assert result.exit_code == 0, result.output
    with Store.open(db) as store:
        after = store.conn.execute("SELECT count(*) FROM changes").fetchone()[0]
        # What is left: the insert of each of the five articles still stored.
        assert after == 5 < before
        assert f"dropped {before - after} change log entries" in result.output
        follower.check("the log compacted")
        store.add_article(record("https://www.site-a.example/1", words(11)))
        store.add_article(record("https://www.site-a.example/9", words(12)))
        follower.check("changes after the compaction")
        Follower(db, tmp_path).check("a new reader, since the store began")
        with pytest.raises(CursorError, match="compacted up to"):
            list(store.changes(old))
    result = runner.invoke(main, ["export", "--db", str(db), "--changes-since", old])
    assert result.exit_code == 2
    assert "older than the change log of this store" in result.output
    result = runner.invoke(main, ["changes", "--db", str(db), "--compact-before", old])
    assert result.exit_code == 2 and "make a full export again" in result.output
