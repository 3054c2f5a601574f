"""Per-site boilerplate counts kept in the store: learned across runs, never eating real text."""

from pathlib import Path

from crawler.page.cleaning.boilerplate import SiteBoilerplate
from storage import Store
from storage.boilerplate import StoreBoilerplate
from storage.schema import SCHEMA_VERSION

DISCLAIMER = (
    "The Valley Courier is an independent newspaper. Opinions expressed by contributors are "
    "their own and do not reflect the views of the editors, the publisher or our advertisers, "
    "who have no say in what we cover."
)
QUOTE = (
    "We will rebuild the bridge before winter, whatever it costs and however long the council "
    "takes to agree on the money for it, because the town cannot wait another year."
)


def page(number: int, *extra: str) -> str:
    body = [
        f"Story {number} begins with its own reporting on matter number {number} of the week.",
        f"A second paragraph about matter {number} says something nobody else has said before.",
    ]
    return "\n".join([*body, *extra])


def test_disclaimer_learned_and_stripped_quote_kept(tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    with Store.open(db) as store:
        learner = SiteBoilerplate(StoreBoilerplate(store))
        for number in range(12):
            extra = [DISCLAIMER] + ([QUOTE] if number in (3, 7, 9) else [])
            learner.learn(
                "valley.example", f"https://valley.example/{number}", page(number, *extra)
            )
    # Counts persist: a new run on the same store strips the disclaimer at once.
    with Store.open(db) as store:
        learner = SiteBoilerplate(StoreBoilerplate(store))
        cleaned = learner.strip("valley.example", page(99, QUOTE, DISCLAIMER))
        assert DISCLAIMER not in cleaned
        assert QUOTE in cleaned
        assert cleaned.startswith("Story 99 begins")
        # Another site has learned nothing.
        assert learner.strip("other.example", page(1, DISCLAIMER)) == page(1, DISCLAIMER)


def test_a_page_is_counted_once(tmp_path: Path) -> None:
    with Store.open(tmp_path / "news.db") as store:
        counts = StoreBoilerplate(store)
        learner = SiteBoilerplate(counts)
        assert learner.learn("a.example", "https://a.example/1", page(1, DISCLAIMER))
        assert not learner.learn("a.example", "https://a.example/1", page(1, DISCLAIMER))
        assert counts.site_pages("a.example") == 1
        counts.forget("a.example")
        assert counts.site_pages("a.example") == 0


def test_a_small_site_keeps_everything(tmp_path: Path) -> None:
    with Store.open(tmp_path / "news.db") as store:
        learner = SiteBoilerplate(StoreBoilerplate(store))
        learner.learn("a.example", "https://a.example/1", page(1, DISCLAIMER))
        learner.learn("a.example", "https://a.example/2", page(2, DISCLAIMER))
        assert DISCLAIMER in learner.strip("a.example", page(3, DISCLAIMER))


def test_site_page_counter_follows_counted_pages(tmp_path: Path) -> None:
    with Store.open(tmp_path / "news.db") as store:
        counts = StoreBoilerplate(store)
        learner = SiteBoilerplate(counts)
        for number in range(4):
            learner.learn("a.example", f"https://a.example/{number}", page(number))
        learner.learn("b.example", "https://b.example/1", page(1))
        learner.learn("a.example", "https://a.example/0", page(0))  # counted before
        assert (counts.site_pages("a.example"), counts.site_pages("b.example")) == (4, 1)
        assert counts.site_pages("c.example") == 0
        counts.forget()
        assert counts.site_pages("a.example") == 0


def test_a_version_1_store_gains_the_counter_from_its_pages(tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    with Store.open(db) as store:
        learner = SiteBoilerplate(StoreBoilerplate(store))
        for number in range(5):
            learner.learn("a.example", f"https://a.example/{number}", page(number, DISCLAIMER))
        learner.learn("b.example", "https://b.example/1", page(1))
        # As version 1 left it: no counter table.
        store.conn.execute("DROP TABLE boilerplate_sites")
        store.conn.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    with Store.open(db) as store:
        assert store.meta()["schema_version"] == str(SCHEMA_VERSION)
        counts = StoreBoilerplate(store)
        assert (counts.site_pages("a.example"), counts.site_pages("b.example")) == (5, 1)
        assert DISCLAIMER not in SiteBoilerplate(counts).strip(
            "a.example", page(9, QUOTE, DISCLAIMER)
        )


def test_a_version_1_store_without_boilerplate_tables_gains_them(tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    with Store.open(db) as store:
        for table in ("boilerplate_pages", "boilerplate_segments", "boilerplate_sites"):
            store.conn.execute(f"DROP TABLE {table}")
        store.conn.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    with Store.open(db) as store:
        learner = SiteBoilerplate(StoreBoilerplate(store))
        assert learner.learn("a.example", "https://a.example/1", page(1))
        assert learner.store.site_pages("a.example") == 1
