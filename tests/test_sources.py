"""The sources file: loading, defaults, --only, and errors that name the file, source and field."""

import sqlite3
from pathlib import Path

import pytest
from sitegen import build_world, crawl, write_world

from crawler.demo.server import serve_world
from crawler.sources import SourcesError, load_sources

ROOT = Path(__file__).resolve().parent.parent


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sources.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_example_file_loads() -> None:
    sources = load_sources(ROOT / "sources.example.toml")
    assert [s.name for s in sources] == ["daily-courier", "metro-herald"]
    courier = sources[0]
    assert courier.depth == 2 and courier.download_delay == 1.0  # from [defaults]
    assert courier.language == ("en",)
    assert "https://www.daily-courier.example/feed.xml" in courier.urls


def test_defaults_fields_and_rules(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
[defaults]
deny = ["/tag/"]
depth = 1

[sources.one]
urls = "HTTPS://Example.com/news/?utm_source=x"
allow = ['/\\d{4}/']
language = ["en", "fr"]
download_delay = 2

[sources.two]
urls = ["https://two.example/"]
deny = []
depth = 0
""",
    )
    one, two = load_sources(path)
    assert one.urls == ("https://example.com/news/",)
    assert one.depth == 1 and one.deny == ("/tag/",) and one.download_delay == 2.0
    assert one.language == ("en", "fr") and one.sites == {"example.com"}
    assert one.wants("https://example.com/2025/03/story")
    assert not one.wants("https://example.com/tag/2025/")
    assert not one.wants("https://example.com/about")
    assert two.deny == () and two.depth == 0 and two.wants("https://two.example/tag/x")


def test_disabled_sources_and_only(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
[sources.on]
urls = ["https://on.example/"]
[sources.off]
urls = ["https://off.example/"]
enabled = false
""",
    )
    assert [s.name for s in load_sources(path)] == ["on"]
    assert [s.name for s in load_sources(path, only=["off"])] == ["off"]
    with pytest.raises(SourcesError, match=r"sources\.toml: --only nope: no such source"):
        load_sources(path, only=["nope"])


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("[sources.a]\nurls = 3", r"source 'a': field 'urls' must be a string or a list"),
        ("[sources.a]\nallow = ['x']", r"source 'a': field 'urls' is missing"),
        ("[sources.a]\nurls = []", r"source 'a': field 'urls' is empty"),
        ("[sources.a]\nurls = ['ftp://x.example/']", r"source 'a': field 'urls': 'ftp://x"),
        ("[sources.a]\nurls = ['www.x.example']", r"write it in full"),
        ("[sources.a]\nurls = ['http://x:99999/']", r"malformed port"),
        ("[sources.a]\nurls = ['http://x/']\ndepth = -1", r"source 'a': field 'depth'"),
        ("[sources.a]\nurls = ['http://x/']\ndepth = true", r"field 'depth'"),
        ("[sources.a]\nurls = ['http://x/']\nallow = ['(']", r"field 'allow': '\(' is not a valid"),
        ("[sources.a]\nurls = ['http://x/']\nlanguage = 'english'", r"field 'language'"),
        ("[sources.a]\nurls = ['http://x/']\ndownload_delay = 'slow'", r"'download_delay'"),
        ("[sources.a]\nurls = ['http://x/']\nenabled = 'yes'", r"field 'enabled'"),
        ("[sources.a]\nurls = ['http://x/']\ndepht = 2", r"source 'a': unknown field 'depht'"),
        ("[defaults]\nurls = ['http://x/']\n[sources.a]\nurls = 'http://x/'", r"\[defaults\]"),
        ("[source.a]\nurls = 'http://x/'", r"unknown top-level key\(s\) source"),
        ("title = 'x'", r"unknown top-level"),
        ("[sources]", r"no sources"),
        ("[sources.'bad name']\nurls = 'http://x/'", r"source 'bad name': a name is"),
        ("[sources.a]\nurls = [", r"not valid TOML"),
    ],
)
def test_errors_name_file_source_and_field(tmp_path: Path, body: str, message: str) -> None:
    path = write(tmp_path, body)
    with pytest.raises(SourcesError, match=message) as info:
        load_sources(path)
    assert str(info.value).startswith(str(path))


def test_missing_file_says_where_the_example_is(tmp_path: Path) -> None:
    with pytest.raises(SourcesError, match=r"no such sources file; see sources.example.toml"):
        load_sources(tmp_path / "nope.toml")


def test_each_source_keeps_its_own_rules_in_a_crawl(tmp_path: Path) -> None:
    root = tmp_path / "world"
    alpha, beta, gamma = build_world(root, sites=3, per_site=4, shared=0, seed=11)
    write_world(root, [alpha, beta, gamma], start=["/"])
    # gamma: a front page linking to a story and a hub, the hub to another story; no feed and
    # no sitemap, so depth alone decides how far the crawl goes.
    front, hub = gamma.articles[0].path, gamma.articles[1].path
    folder = root / gamma.folder
    (folder / "feed.xml").unlink()
    (folder / "sitemap.xml").unlink()
    (folder / "robots.txt").write_text("User-agent: *\n", encoding="utf-8")
    (folder / "index.html").write_text(
        f'<html><body><a href="{front}">Story</a> <a href="/hub/">Hub</a></body></html>',
        encoding="utf-8",
    )
    (folder / "hub").mkdir()
    (folder / "hub" / "index.html").write_text(
        f'<html><body><a href="{hub}">Deeper story</a></body></html>', encoding="utf-8"
    )
    db = tmp_path / "news.db"
    with serve_world(root) as world:
        a, b, c = (world.sites[site.folder] for site in (alpha, beta, gamma))
        sources = write(
            tmp_path,
            f"""
[sources.alpha]
urls = ["{a}/"]
allow = ["story-[01]/$"]
deny = ["story-1/"]

[sources.beta]
urls = ["{b}/"]
language = "de"

[sources.gamma]
urls = ["{c}/"]
depth = 1
""",
        )
        result = crawl(db, "--sources", str(sources))
        requests = world.requests
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(db) as conn:
        stored = {url: source for url, source in conn.execute("SELECT url, source FROM articles")}
        language = {
            url
            for (url,) in conn.execute(
                "SELECT url FROM fetches WHERE outcome = 'rejected' AND reason = 'language'"
            )
        }
    # alpha: a link must match allow and must not match deny.
    assert {url for url, source in stored.items() if source == "alpha"} == {
        a + alpha.articles[0].path
    }
    asked = {path for site, path in requests if site == alpha.folder}
    assert alpha.articles[2].path not in asked and alpha.articles[1].path not in asked
    # beta: English articles are rejected for a German source, each with its reason.
    assert "beta" not in stored.values()
    assert {b + article.path for article in beta.articles} <= language
    # gamma: depth 1 reaches the front page's links, not the hub's.
    assert {url for url, source in stored.items() if source == "gamma"} == {c + front}
    asked = {path for site, path in requests if site == gamma.folder}
    assert "/hub/" in asked and hub not in asked
