"""Store lifecycle, errors on opening, records, fetch log, iteration, search and stats."""

from __future__ import annotations

import os
import random
import shutil
import sqlite3
import tempfile
import zlib
from pathlib import Path

import pytest
from oldstores import make_version_2

import storage.scan
from storage import ParameterMismatch, SearchQueryError, Store, StoreError
from storage.schema import SCHEMA_VERSION

VOCAB = [f"term{i}" for i in range(2000)]


def make_text(seed: int, n: int = 120, extra: str = "") -> str:
    rng = random.Random(seed)
    return " ".join(rng.choice(VOCAB) for _ in range(n)) + extra


def record(url: str, text: str, **extra: object) -> dict:
    base = {
        "url": url,
        "title": "Title",
        "text": text,
        "authors": ["Ann Writer"],
        "published": "2024-05-01T09:00:00+00:00",
        "language": "en",
        "site": url.split("/")[2],
        "captions": ["A caption"],
        "tags": ["politics"],
        "fetched_at": "2024-05-01T10:00:00+00:00",
        "http_status": 200,
    }
    base.update(extra)
    return base


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "news.db") as s:
        yield s


# ---------------------------------------------------------------- opening


def test_new_store_records_schema_and_params(tmp_path):
    with Store.open(tmp_path / "n.db") as s:
        meta = s.meta()
        assert meta["schema_version"] == str(SCHEMA_VERSION)
        assert meta["minhash_num_perm"] == "48" and meta["dedup_preset"] == "same-article"
        assert meta["datasketch_version"]
        assert s.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_reopen_keeps_articles(tmp_path):
    with Store.open(tmp_path / "n.db") as s:
        s.add_article(record("https://a.example/1", make_text(1)))
    with Store.open(tmp_path / "n.db", create=False) as s:
        assert s.get("https://a.example/1")["text"] == make_text(1)


def test_missing_folder_names_the_fix(tmp_path):
    with pytest.raises(StoreError, match="does not exist.*mkdir -p"):
        Store.open(tmp_path / "nope" / "news.db")


def test_folder_instead_of_file(tmp_path):
    with pytest.raises(StoreError, match="is a folder"):
        Store.open(tmp_path)


def test_missing_store_without_create(tmp_path):
    with pytest.raises(StoreError, match="no store at"):
        Store.open(tmp_path / "news.db", create=False)


def test_not_a_sqlite_file(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("these are my notes, not a database\n" * 50)
    with pytest.raises(StoreError, match="not a newsdedup store"):
        Store.open(path)


def test_foreign_sqlite_database(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE customers (id INTEGER)")
    conn.close()
    with pytest.raises(StoreError, match="not a newsdedup store.*customers"):
        Store.open(path)


def test_newer_schema_refused(tmp_path):
    path = tmp_path / "n.db"
    Store.open(path).close()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE meta SET value = '999' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="newer newsdedup"):
        Store.open(path)


def _open_as(uid: int | None, path: str) -> str:
    """Open a store at ``path`` as user ``uid`` (None: as this process); return what happened.

    Root may write anywhere, so as root the opening runs in a forked child that has given up
    root for ``uid``: the permission check then meets the folder's mode as a user would.
    """
    if uid is None:
        try:
            Store.open(path).close()
        except StoreError as err:
            return f"StoreError: {err}"
        return "opened"
    # Whatever opening imports is imported here, as root: the interpreter's own files may be
    # out of the other user's reach.
    warm = tempfile.mkdtemp()
    assert _open_as(None, os.path.join(warm, "warm.db")) == "opened"
    shutil.rmtree(warm)
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: no pytest machinery past this point, only os._exit
        os.close(read)
        code = 1
        try:
            os.setgid(uid)
            os.setuid(uid)
            os.write(write, _open_as(None, path).encode())
            code = 0
        except BaseException as err:
            os.write(write, f"{type(err).__name__}: {err}".encode())
        finally:
            os._exit(code)
    os.close(write)
    with os.fdopen(read, "rb") as answer:
        said = answer.read().decode()
    _pid, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, said
    return said


def test_unwritable_folder(tmp_path):
    uid = None
    if os.geteuid() == 0:
        # As root, "nobody" tries, in a folder it can reach (pytest's are private to root).
        uid = 65534
        tmp_path = Path(tempfile.mkdtemp(prefix="newsdedup-perm-"))
        tmp_path.chmod(0o755)
    folder, writable = tmp_path / "ro", tmp_path / "rw"
    folder.mkdir()
    writable.mkdir()
    folder.chmod(0o555)
    writable.chmod(0o777)
    try:
        said = _open_as(uid, str(folder / "news.db"))
        assert said.startswith("StoreError: cannot create store"), said
        assert "no permission to write in" in said and str(folder) in said
        assert not (folder / "news.db").exists()
        # The same user creates a store where it may write: the refusal was the folder's.
        assert _open_as(uid, str(writable / "news.db")) == "opened"
    finally:
        folder.chmod(0o700)
        if uid is not None:
            shutil.rmtree(tmp_path)


def test_other_parameters_raise_mismatch_with_the_way_out(tmp_path):
    path = tmp_path / "n.db"
    Store.open(path).close()
    with pytest.raises(ParameterMismatch, match="newsdedup dedup --db"):
        Store.open(path, preset="syndicated")
    with pytest.raises(ParameterMismatch, match="threshold 0.9"):
        Store.open(path, threshold=0.9)
    Store.open(path, preset="same-article").close()


def test_changed_signature_output_is_detected(tmp_path):
    path = tmp_path / "n.db"
    Store.open(path).close()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE meta SET value = 'deadbeef' WHERE key = 'minhash_probe'")
    conn.commit()
    conn.close()
    with pytest.raises(ParameterMismatch, match="differ"):
        Store.open(path)


def test_unknown_preset(tmp_path):
    with pytest.raises(StoreError, match="unknown dedup preset"):
        Store.open(tmp_path / "n.db", preset="bogus")


# ---------------------------------------------------------------- records


def test_record_fields_round_trip(store):
    result = store.add_article(record("https://a.example/1", make_text(2)))
    article = store.get(result.article_id)
    assert article["authors"] == ["Ann Writer"] and article["captions"] == ["A caption"]
    assert article["tags"] == ["politics"] and article["language"] == "en"
    assert article["word_count"] == 120 and article["http_status"] == 200
    assert article["fetched_at"] == "2024-05-01T10:00:00+00:00" and article["first_seen"]
    assert store.get(str(result.article_id)) == article == store.get("https://a.example/1")
    assert store.get(999) is None and store.get("https://nowhere.example/") is None


def test_site_defaults_to_host_without_www(store):
    rec = record("https://www.Paper.example:8080/a", make_text(3))
    del rec["site"]
    result = store.add_article(rec)
    assert store.get(result.article_id)["site"] == "paper.example:8080"


def test_raw_html_is_stored_compressed(store):
    html = b"<html><body>" + b"<p>paragraph</p>" * 500 + b"</body></html>"
    result = store.add_article(record("https://a.example/1", make_text(4), raw_html=html))
    assert store.raw_html(result.article_id) == html
    blob = store.conn.execute("SELECT html FROM pages").fetchone()[0]
    assert len(blob) < len(html) / 10 and zlib.decompress(blob) == html
    assert store.raw_html(12345) is None


@pytest.mark.parametrize(
    ("rec", "message"),
    [
        ({"text": "x"}, "non-empty 'url'"),
        ({"url": "https://a.example/1", "text": 5}, "'text' must be a string"),
        ({"url": "https://a.example/1", "text": "x", "authors": "Ann"}, "'authors' must be a list"),
    ],
)
def test_malformed_records(store, rec, message):
    with pytest.raises(ValueError, match=message):
        store.add_article(rec)


def test_same_url_unchanged_then_updated_with_version_kept(store):
    first = store.add_article(record("https://a.example/1", make_text(5)))
    again = store.add_article(record("https://a.example/1", make_text(5)))
    assert (again.status, again.article_id, again.match) == ("unchanged", first.article_id, "url")
    changed = store.add_article(record("https://a.example/1", make_text(5, extra=" correction")))
    assert changed.status == "updated" and changed.article_id == first.article_id
    assert [v["text"] for v in store.versions(first.article_id)] == [make_text(5)]
    assert store.search("correction")[0]["id"] == first.article_id
    assert store.stats()["totals"]["articles"] == 1


def test_a_variant_never_updates_the_article_it_renders(store):
    canonical = record("https://a.example/1", make_text(7), raw_html=b"<p>main</p>")
    first = store.add_article(canonical)
    amp = record("https://a.example/1", make_text(7, extra=" amp footer"), raw_html=b"<p>amp</p>")
    again = store.add_article({**amp, "variant": True})
    assert (again.status, again.article_id) == ("unchanged", first.article_id)
    assert store.get(first.article_id)["text"] == make_text(7)
    assert store.raw_html(first.article_id) == b"<p>main</p>"
    assert store.versions(first.article_id) == []
    # A variant stored first is replaced by its canonical page.
    early = store.add_article({**record("https://a.example/2", make_text(8)), "variant": True})
    late = store.add_article(record("https://a.example/2", make_text(8, extra=" full")))
    assert (late.status, late.article_id) == ("updated", early.article_id)


def test_failed_add_leaves_nothing_behind(store, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(store._local.containment, "insert", boom)
    with pytest.raises(RuntimeError):
        store.add_article(record("https://a.example/1", make_text(6), raw_html=b"<p>x</p>"))
    counts = [
        store.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
        for t in ("articles", "lsh", "containment", "pages", "articles_fts")
    ]
    assert counts == [0, 0, 0, 0, 0]


def test_second_reader_sees_committed_articles(tmp_path):
    path = tmp_path / "n.db"
    with Store.open(path) as writer, Store.open(path) as reader:
        writer.add_article(record("https://a.example/1", make_text(7)))
        assert reader.count_articles() == 1


# ---------------------------------------------------------------- fetch log and stats


def test_fetch_log_and_stats(store):
    text = make_text(8)
    a = store.add_article(record("https://a.example/1", text))
    store.add_article(record("https://b.example/1", text))
    store.add_article(record("https://b.example/2", make_text(9)))
    store.log_fetch(
        "https://a.example/1", status=200, outcome="stored", article_id=a.article_id,
        page_type="article",
    )  # fmt: skip
    store.log_fetch(
        "https://a.example/x", status=200, outcome="rejected", reason="not_article",
        page_type="listing",
    )  # fmt: skip
    store.log_fetch("https://a.example/y", status=200, outcome="rejected", reason="not_article")
    store.log_fetch(
        "https://a.example/z", status=None, outcome="error", reason="timeout", source="feed"
    )
    stats = store.stats()
    assert stats["totals"] == {
        "articles": 3,
        "unique_articles": 2,
        "duplicates": 1,
        "stories_with_duplicates": 1,
        "fetches": 4,
        "pages_kept": 0,
        "versions": 0,
    }
    assert stats["fetch_outcomes"] == {"stored": 1, "rejected": 2, "error": 1}
    assert stats["errors"][0] == {"outcome": "rejected", "reason": "not_article", "count": 2}
    assert stats["page_types"] == [
        {"page_type": "article", "rejected": 0, "articles": 1},
        {"page_type": "listing", "rejected": 1, "articles": 0},
    ]
    sites = {s["site"]: s for s in stats["sites"]}
    assert sites["b.example"]["duplicates"] == 1 and sites["b.example"]["stories"] == 2
    assert stats["largest_stories"][0]["size"] == 2 and stats["largest_stories"][0]["sites"] == 2
    assert {s["source"] for s in stats["sources"]} == {None, "feed"}


def test_a_version_7_store_gains_page_types_in_its_fetch_log(tmp_path):
    with Store.open(tmp_path / "n.db") as s:
        s.log_fetch("https://a.example/x", status=200, outcome="rejected", reason="not_article")
        s.conn.execute("ALTER TABLE fetches DROP COLUMN page_type")
        s.conn.execute("UPDATE meta SET value = '7' WHERE key = 'schema_version'")
    with Store.open(tmp_path / "n.db") as s:
        assert s.meta()["schema_version"] == str(SCHEMA_VERSION)
        s.log_fetch("https://a.example/y", status=200, outcome="rejected", page_type="forum")
        rows = s.conn.execute("SELECT url, page_type FROM fetches ORDER BY id").fetchall()
        assert [tuple(r) for r in rows] == [
            ("https://a.example/x", None),
            ("https://a.example/y", "forum"),
        ]


def test_log_fetch_rejects_unknown_outcome(store):
    with pytest.raises(ValueError, match="unknown fetch outcome"):
        store.log_fetch("https://a.example/", status=200, outcome="fine")


# ---------------------------------------------------------------- iteration


def _fill(store):
    store.add_article(record("https://a.example/1", make_text(10), published="2024-04-30"))
    store.add_article(record("https://b.example/1", make_text(10), published="2024-05-01"))
    store.add_article(
        record(
            "https://b.example/2", make_text(11, 20), published="2024-05-01T23:00:00", language="fr"
        )
    )
    store.add_article(
        record("https://www.c.example/3", make_text(12), published=None, site="c.example")
    )


def test_iter_articles_filters(store):
    _fill(store)
    ids = lambda **f: [a["id"] for a in store.iter_articles(**f)]  # noqa: E731
    assert ids() == [1, 3, 4]
    assert ids(include_duplicates=True) == [1, 2, 3, 4]
    assert ids(include_duplicates=True, since="2024-05-01") == [2, 3]
    assert ids(include_duplicates=True, until="2024-05-01") == [1, 2, 3]
    assert ids(include_duplicates=True, until="2024-04-30T12:00:00") == [1]
    assert ids(site="www.C.example") == [4]
    assert ids(language="FR") == [3]
    assert ids(min_words=100) == [1, 4]
    assert store.count_articles(include_duplicates=True, site="b.example") == 2
    with pytest.raises(ValueError, match="ISO 8601"):
        ids(since="yesterday")


def test_iter_articles_pages_through_in_id_order(store, monkeypatch):
    monkeypatch.setattr(storage.scan, "BATCH", 3)
    for i in range(10):
        store.add_article(record(f"https://a.example/{i}", make_text(100 + i)))
    assert [a["id"] for a in store.iter_articles()] == list(range(1, 11))


# ---------------------------------------------------------------- search


def test_search_ranks_and_highlights(store):
    store.add_article(record("https://a.example/1", make_text(20, extra=" peacekeeping reform")))
    store.add_article(
        record(
            "https://a.example/2", make_text(21, extra=" reform"), title="Peacekeeping reform vote"
        )
    )
    store.add_article(record("https://a.example/3", make_text(22)))
    hits = store.search("peacekeeping reform")
    assert [h["id"] for h in hits] == [2, 1]
    assert "[peacekeeping]" in hits[1]["snippet"] and hits[0]["score"] <= hits[1]["score"]
    assert store.search("peacekeeping", limit=1, highlight=("<b>", "</b>"))[0]["id"] == 2
    assert store.search("reform", site="b.example") == []


def test_search_hides_duplicates_unless_asked(store):
    text = make_text(23, extra=" glacier")
    store.add_article(record("https://a.example/1", text))
    store.add_article(record("https://b.example/1", text))
    assert len(store.search("glacier")) == 1
    assert len(store.search("glacier", include_duplicates=True)) == 2


@pytest.mark.parametrize("query", ['"unbalanced', "AND OR", "title:", "a) OR (b"])
def test_search_syntax_error_is_a_store_error(store, query):
    store.add_article(record("https://a.example/1", make_text(24)))
    with pytest.raises(SearchQueryError, match="double quotes"):
        store.search(query)


def test_search_text_is_never_sql(store):
    store.add_article(record("https://a.example/1", make_text(25)))
    with pytest.raises(SearchQueryError):
        store.search("x'; DROP TABLE articles; --")
    assert store.count_articles() == 1
    assert store.search('"x\'; DROP TABLE articles"') == []


def test_empty_search_query(store):
    with pytest.raises(SearchQueryError, match="empty"):
        store.search("  ")


# ---------------------------------------------------------------- date source and agency


def test_date_source_and_agency_are_stored_and_exported(tmp_path):
    from storage import EXPORT_FIELDS
    from storage.export import export

    with Store.open(tmp_path / "n.db") as s:
        s.add_article(
            record(
                "https://a.example/1",
                make_text(40),
                authors=[],
                agency="dpa",
                date_source="jsonld",
            )
        )
        row = s.get("https://a.example/1")
        assert (row["agency"], row["date_source"], row["authors"]) == ("dpa", "jsonld", [])
        assert EXPORT_FIELDS.index("date_source") == EXPORT_FIELDS.index("modified") + 1
        assert EXPORT_FIELDS.index("agency") == EXPORT_FIELDS.index("authors") + 1
        export(s, tmp_path / "out.jsonl")
    line = (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()[0]
    assert '"date_source": "jsonld"' in line and '"agency": "dpa"' in line


@pytest.mark.parametrize("version", [2, 4])
def test_an_older_store_gains_date_source_and_agency(tmp_path, version):
    db = tmp_path / "n.db"
    with Store.open(db) as s:
        s.add_article(record("https://a.example/1", make_text(41)))
        if version == 2:
            make_version_2(s.conn)
        else:  # As version 4 left it: no date_source, no agency.
            for column in ("date_source", "agency"):
                s.conn.execute(f"ALTER TABLE articles DROP COLUMN {column}")
            s.conn.execute("UPDATE meta SET value = '4' WHERE key = 'schema_version'")
    with Store.open(db) as s:
        assert s.meta()["schema_version"] == str(SCHEMA_VERSION)
        row = s.get("https://a.example/1")
        assert row["date_source"] is None and row["agency"] is None
        s.add_article(record("https://a.example/2", make_text(42), date_source="meta"))
        assert s.get("https://a.example/2")["date_source"] == "meta"
