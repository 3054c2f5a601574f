"""The demo world: its server, its files and its truth file agree with each other."""

from __future__ import annotations

import html
import http.client
import json
import re
import socket
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit
from xml.etree import ElementTree

import pytest

from crawler.demo import Reply, RouteRequest, World, serve_world
from crawler.demo.build import stale_files
from crawler.demo.server import DEFAULT_ROOT

TRUTH = json.loads((DEFAULT_ROOT / "truth.json").read_text(encoding="utf-8"))
FAKE_HOSTS = [urlsplit(site["origin"]).hostname for site in TRUTH["sites"].values()]
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
ATOM_NS = "{http://www.w3.org/2005/Atom}"


def fetch(url: str, method: str = "GET", headers: dict[str, str] | None = None):
    """Return (status, headers, body) without following redirects."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        conn.request(method, target, headers=headers or {})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def file_for(url: str) -> Path:
    """The file under the bundled world that serves ``url`` (a fake-origin URL)."""
    for folder, site in TRUTH["sites"].items():
        if url.startswith(site["origin"]):
            path = urlsplit(url).path.lstrip("/")
            if path == "" or path.endswith("/"):
                candidates = [path + "index.html", path + "index.xml"]
                return next(
                    (
                        DEFAULT_ROOT / folder / c
                        for c in candidates
                        if (DEFAULT_ROOT / folder / c).is_file()
                    ),
                    DEFAULT_ROOT / folder / candidates[0],
                )
            return DEFAULT_ROOT / folder / path
    raise AssertionError(f"{url} is on no demo site")


@pytest.fixture(scope="module")
def world() -> Iterator[World]:
    with serve_world() as running:
        yield running


# -- the files -----------------------------------------------------------------------------------


def test_committed_world_matches_the_build():
    assert stale_files() == [], "run `python -m crawler.demo.build` and commit crawler/demo/site"


def test_world_has_three_sites_with_five_to_ten_articles_each():
    assert len(TRUTH["sites"]) >= 3
    for site in TRUTH["sites"].values():
        assert 5 <= len(site["articles"]) <= 10


def test_every_url_in_the_truth_file_exists_on_disk():
    urls = []
    for site in TRUTH["sites"].values():
        urls += site["articles"] + site["non_articles"] + site["feeds"] + site["sitemaps"]
        urls += site["start"] + site["disallowed_urls"]
        urls += [alias for alias, info in site["aliases"].items() if info["kind"] != "redirect"]
        for url in site["missing_urls"]:
            assert not file_for(url).exists(), url
    urls += list(TRUTH["articles"])
    for url in urls:
        assert file_for(url).is_file(), url


def test_redirect_aliases_are_configured():
    for folder, site in TRUTH["sites"].items():
        config = json.loads((DEFAULT_ROOT / folder / "_world.json").read_text())
        for alias, info in site["aliases"].items():
            if info["kind"] == "redirect":
                path = urlsplit(alias).path
                assert site["origin"] + config["redirects"][path] == info["canonical"]


def test_articles_are_long_and_their_snippets_are_consistent():
    for url, article in TRUTH["articles"].items():
        text = article["text"]
        assert article["words"] >= 250, url
        assert len(re.findall(r"\w+", text)) == article["words"]
        for snippet in article["must_contain"]:
            assert snippet in text, (url, snippet)
        for snippet in article["must_not_contain"]:
            assert snippet not in text, (url, snippet)
        for caption in article["captions"]:
            assert caption in article["must_not_contain"]


def test_article_pages_say_they_are_articles_and_show_their_junk():
    for url, article in TRUTH["articles"].items():
        page = file_for(url).read_text(encoding="utf-8")
        assert f'<link rel="canonical" href="{url}">' in page, url
        assert '"@type": "NewsArticle"' in page, url
        text = html.unescape(page)
        for paragraph in article["text"].split("\n"):
            assert f">{paragraph}</p>" in text, (url, paragraph[:40])
        # Each caption is printed twice: in the figcaption and again as a body paragraph.
        for caption in article["captions"]:
            assert text.count(f">{caption}</") >= 2, url
        for junk in article["must_not_contain"]:
            assert junk in text, (url, junk)


def test_non_article_pages_carry_no_article_markup():
    for site in TRUTH["sites"].values():
        for url in site["non_articles"]:
            html = file_for(url).read_text(encoding="utf-8")
            assert '"NewsArticle"' not in html, url
            assert 'og:type" content="article"' not in html, url


def test_aliases_point_at_their_canonical_url():
    for site in TRUTH["sites"].values():
        for alias, info in site["aliases"].items():
            if info["kind"] == "redirect":
                continue
            html = file_for(alias).read_text(encoding="utf-8")
            assert f'<link rel="canonical" href="{info["canonical"]}">' in html
            assert info["canonical"] in site["articles"]


def test_stories_group_every_article_once():
    seen = []
    for key, story in TRUTH["stories"].items():
        assert story["urls"][0] == story["original"]
        assert story["urls"][1:] == story["duplicates"]
        for url in story["urls"]:
            assert TRUTH["articles"][url]["story"] == key
        seen += story["urls"]
    assert sorted(seen) == sorted(TRUTH["articles"])


def test_syndicated_copies_are_near_duplicates_and_hard_negatives_are_not():
    syndicated = [s for s in TRUTH["stories"].values() if s["duplicates"]]
    assert len(syndicated) >= 3
    assert any(len({TRUTH["articles"][u]["site"] for u in s["urls"]}) == 3 for s in syndicated)
    for story in syndicated:
        sites = [TRUTH["articles"][u]["site"] for u in story["urls"]]
        assert len(set(sites)) == len(sites), "a story is carried once per site"
        for _a, _b, similarity in story["similarity"]:
            assert similarity >= 0.8
        for url in story["duplicates"]:
            assert TRUTH["articles"][url]["title"] != TRUTH["articles"][story["original"]]["title"]
    assert TRUTH["hard_negatives"]
    for pair in TRUTH["hard_negatives"]:
        a, b = pair["urls"]
        assert TRUTH["articles"][a]["story"] != TRUTH["articles"][b]["story"]
        assert pair["similarity"] < 0.1


def test_feeds_and_sitemaps_list_the_articles():
    for folder, site in TRUTH["sites"].items():
        for feed in site["feeds"]:
            root = ElementTree.parse(file_for(feed)).getroot()
            links = [e.text for e in root.iter("link")]
            links += [e.get("href") for e in root.iter(f"{ATOM_NS}link")]
            listed = {urlsplit(link).path for link in links if link}
            for url in site["articles"]:
                assert urlsplit(url).path in listed, (feed, url)
        locs: set[str] = set()
        pending = list(site["sitemaps"])
        while pending:
            root = ElementTree.parse(file_for(pending.pop())).getroot()
            found = [e.text for e in root.iter(f"{SITEMAP_NS}loc")]
            if root.tag == f"{SITEMAP_NS}sitemapindex":
                pending += found
            else:
                locs |= set(found)
        assert set(site["articles"]) <= locs, folder
    news = file_for(TRUTH["sites"]["cpa-wire"]["sitemaps"][0]).parent / "sitemap-news.xml"
    assert "<news:publication_date>" in news.read_text(encoding="utf-8")


def test_homepages_advertise_their_feed():
    for site in TRUTH["sites"].values():
        html = file_for(site["origin"] + "/").read_text(encoding="utf-8")
        assert re.search(r'<link rel="alternate" type="application/(rss|atom)\+xml"', html)


def test_disallowed_urls_are_linked_and_blocked():
    for folder, site in TRUTH["sites"].items():
        linked = "\n".join(
            p.read_text(encoding="utf-8") for p in (DEFAULT_ROOT / folder).rglob("*.html")
        )
        for url in site["disallowed_urls"]:
            assert f'href="{url}"' in linked, url
            assert urlsplit(url).path.startswith(tuple(site["robots_disallow"])), url


def test_links_carry_tracking_parameters_somewhere():
    html = file_for(TRUTH["sites"]["daily-courier"]["origin"] + "/").read_text(encoding="utf-8")
    assert "?utm_source=homepage" in html


# -- the server ----------------------------------------------------------------------------------


def test_each_site_has_its_own_port(world):
    assert set(world.sites) == set(TRUTH["sites"])
    netlocs = {urlsplit(base).netloc for base in world.sites.values()}
    assert len(netlocs) == len(world.sites)
    for base in world.sites.values():
        assert base.startswith("http://127.0.0.1:")


def test_every_file_is_served_with_origins_rewritten(world):
    for folder, base in world.sites.items():
        for path in sorted((DEFAULT_ROOT / folder).rglob("*")):
            if not path.is_file() or path.name.startswith("_"):
                continue
            rel = path.relative_to(DEFAULT_ROOT / folder).as_posix()
            status, headers, body = fetch(f"{base}/{rel}")
            assert status == 200, rel
            assert int(headers["Content-Length"]) == len(body)
            text = body.decode("utf-8")
            for host in FAKE_HOSTS:
                assert f"//{host}" not in text, (folder, rel, host)


def test_cross_site_links_point_at_the_other_sites(world):
    _, _, body = fetch(world.url("daily-courier", "/"))
    html = body.decode("utf-8")
    assert f'href="{world.sites["cpa-wire"]}/"' in html
    assert f'href="{world.sites["valley-herald"]}/"' in html


def test_content_type_follows_the_extension(world):
    cases = {
        ("daily-courier", "/"): "text/html",
        ("daily-courier", "/feed.xml"): "xml",
        ("cpa-wire", "/atom.xml"): "xml",
        ("valley-herald", "/feed/"): "xml",
        ("valley-herald", "/robots.txt"): "text/plain",
        ("daily-courier", "/static/courier.css"): "text/css",
    }
    for (site, path), expected in cases.items():
        status, headers, _ = fetch(world.url(site, path))
        assert status == 200
        assert expected in headers["Content-Type"], (site, path, headers["Content-Type"])


def test_robots_txt_is_served_rewritten(world):
    for folder, site in TRUTH["sites"].items():
        status, _, body = fetch(world.url(folder, "/robots.txt"))
        text = body.decode("utf-8")
        assert status == 200
        for prefix in site["robots_disallow"]:
            assert f"Disallow: {prefix}\n" in text
        for sitemap in site["sitemaps"]:
            assert f"Sitemap: {world.rewrite(sitemap)}\n" in text


def test_head_answers_headers_only(world):
    _, get_headers, body = fetch(world.url("cpa-wire", "/"))
    status, headers, head_body = fetch(world.url("cpa-wire", "/"), method="HEAD")
    assert status == 200 and head_body == b""
    assert headers["Content-Length"] == str(len(body)) == get_headers["Content-Length"]


def test_missing_hidden_and_escaping_paths_are_404(world):
    base = world.sites["valley-herald"]
    for path in [
        "/2019/05/old-bridge-story-removed/",
        "/_world.json",
        "/../truth.json",
        "/%2e%2e/truth.json",
        "/truth.json",
        "/..%2f..%2fpyproject.toml",
    ]:
        status, _, _ = fetch(base + path)
        assert status == 404, path


def test_redirects(world):
    status, headers, _ = fetch(world.url("daily-courier", "/news"))
    assert status == 301 and headers["Location"] == world.url("daily-courier", "/news/")
    status, headers, _ = fetch(world.url("daily-courier", "/news/tram-extension"))
    alias = TRUTH["sites"]["daily-courier"]["origin"] + "/news/tram-extension"
    canonical = TRUTH["sites"]["daily-courier"]["aliases"][alias]["canonical"]
    assert status == 301 and headers["Location"] == world.rewrite(canonical)


def test_query_strings_serve_the_same_page(world):
    url = world.rewrite(TRUTH["sites"]["daily-courier"]["articles"][0])
    _, _, plain = fetch(url)
    status, _, tracked = fetch(url + "?utm_source=rss&utm_medium=feed")
    assert status == 200 and tracked == plain


def test_conditional_requests_get_304(world):
    url = world.url("valley-herald", "/feed/")
    _, headers, _ = fetch(url)
    status, _, body = fetch(url, headers={"If-None-Match": headers["ETag"]})
    assert status == 304 and body == b""
    status, _, _ = fetch(url, headers={"If-Modified-Since": headers["Last-Modified"]})
    assert status == 304
    status, _, _ = fetch(url, headers={"If-None-Match": '"something-else"'})
    assert status == 200


def test_requests_are_logged_in_order(world):
    world.clear_log()
    fetch(world.url("cpa-wire", "/atom.xml"))
    fetch(world.url("valley-herald", "/nope?x=1"), method="HEAD")
    assert world.requests == [("cpa-wire", "/atom.xml"), ("valley-herald", "/nope?x=1")]
    hits = world.log
    assert [(h.method, h.status) for h in hits] == [("GET", 200), ("HEAD", 404)]


def test_start_urls_cover_homepages_a_feed_and_a_sitemap(world):
    starts = world.start_urls()
    for base in world.sites.values():
        assert base + "/" in starts
    real = {world.rewrite(u) for site in TRUTH["sites"].values() for u in site["start"]}
    assert set(starts) == real
    feeds = {world.rewrite(u) for site in TRUTH["sites"].values() for u in site["feeds"]}
    sitemaps = {world.rewrite(u) for site in TRUTH["sites"].values() for u in site["sitemaps"]}
    assert feeds & set(starts) and sitemaps & set(starts)


def test_truth_is_rewritten_to_real_urls(world):
    truth = world.truth()
    assert truth is not None
    for url in truth["articles"]:
        assert any(url.startswith(base + "/") for base in world.sites.values())
        assert world.rewrite(world.fake_url(url)) == url
    assert world.fake_url(world.url("cpa-wire", "/x?y=1")) == "https://wire.cpa-news.example/x?y=1"


# -- serving other worlds ------------------------------------------------------------------------


def make_world(root: Path) -> Path:
    (root / "alpha").mkdir(parents=True)
    (root / "beta").mkdir()
    (root / "_notes").mkdir()
    (root / "alpha" / "_world.json").write_text(
        json.dumps({"origin": "https://alpha.example", "start": ["/", "/feed.rss"]})
    )
    (root / "alpha" / "index.html").write_text(
        '<a href="https://alpha.example/a">a</a> <a href="//beta.example/b">b</a> '
        "https://alpha.example.org/ https://BETA.example/c"
    )
    (root / "alpha" / "feed.rss").write_text("<rss/>")
    (root / "alpha" / "logo.png").write_bytes(b"\x89PNG https://alpha.example/")
    (root / "beta" / "_world.json").write_text(json.dumps({"origin": "https://beta.example"}))
    (root / "beta" / "index.html").write_text("beta")
    return root


def test_any_folder_of_sites_can_be_served(tmp_path):
    root = make_world(tmp_path / "world")
    with serve_world(root) as world:
        assert sorted(world.sites) == ["alpha", "beta"]
        assert world.start_urls() == [
            world.url("alpha", "/"),
            world.url("alpha", "/feed.rss"),
            world.url("beta", "/"),
        ]
        assert world.truth() is None
        _, _, body = fetch(world.url("alpha", "/"))
        beta = world.sites["beta"]
        assert body.decode() == (
            f'<a href="{world.sites["alpha"]}/a">a</a> <a href="{beta[5:]}/b">b</a> '
            f"https://alpha.example.org/ {beta}/c"
        )
        _, headers, body = fetch(world.url("alpha", "/feed.rss"))
        assert headers["Content-Type"] == "application/rss+xml"
        _, headers, body = fetch(world.url("alpha", "/logo.png"))
        assert headers["Content-Type"] == "image/png"
        assert body == b"\x89PNG https://alpha.example/", "binary bodies are never rewritten"


def test_site_config_sets_aliases_headers_and_status(tmp_path):
    root = make_world(tmp_path / "world")
    (root / "beta" / "_world.json").write_text(
        json.dumps(
            {
                "origin": "https://beta.example",
                "aliases": ["http://www.beta.example"],
                "headers": {"/latin.html": {"Content-Type": "text/html; charset=utf-8"}},
                "status": {"/gone.html": 410},
            }
        )
    )
    (root / "beta" / "latin.html").write_bytes(
        "<p>caf\xe9 https://www.beta.example/x</p>".encode("cp1252")
    )
    (root / "beta" / "gone.html").write_text("<p>gone</p>")
    with serve_world(root) as world:
        beta = world.sites["beta"]
        status, headers, body = fetch(beta + "/latin.html")
        assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
        assert body == f"<p>caf\xe9 {beta}/x</p>".encode("cp1252")
        status, _, body = fetch(beta + "/gone.html")
        assert status == 410 and body == b"<p>gone</p>"


def test_site_config_maps_paths_and_query_strings_to_files(tmp_path):
    root = make_world(tmp_path / "world")
    (root / "beta" / "_world.json").write_text(
        json.dumps(
            {
                "origin": "https://beta.example",
                "pages": {
                    "/events/?page=2": "_pages/events-2.html",
                    "/node/12": "_pages/node-12.html",
                },
            }
        )
    )
    (root / "beta" / "events").mkdir()
    (root / "beta" / "events" / "index.html").write_text("<p>page one</p>")
    (root / "beta" / "_pages").mkdir()
    (root / "beta" / "_pages" / "events-2.html").write_text("<p>page two</p>")
    with serve_world(root) as world:
        beta = world.sites["beta"]
        assert fetch(beta + "/events/")[2] == b"<p>page one</p>"
        status, headers, body = fetch(beta + "/events/?page=2")
        assert status == 200 and body == b"<p>page two</p>"
        assert headers["Content-Type"] == "text/html; charset=utf-8"
        assert fetch(beta + "/events/?page=3")[2] == b"<p>page one</p>"
        assert fetch(beta + "/_pages/events-2.html")[0] == 404
        (root / "beta" / "_pages" / "node-12.html").write_text("<p>node</p>")
        status, headers, body = fetch(beta + "/node/12?utm_source=x")
        assert status == 200 and body == b"<p>node</p>"
        assert headers["Content-Type"] == "text/html; charset=utf-8"


def test_routes_answer_instead_of_files(tmp_path):
    root = make_world(tmp_path / "world")
    calls: list[RouteRequest] = []

    def flaky(request: RouteRequest) -> Reply:
        calls.append(request)
        if len(calls) == 1:
            return Reply(503, b"busy", {"Retry-After": "1", "Content-Type": "text/plain"})
        return Reply(200, b"<p>https://alpha.example/ok</p>", {"Content-Type": "text/html"})

    with serve_world(root, routes={("alpha", "/flaky"): flaky}) as world:
        status, headers, _ = fetch(world.url("alpha", "/flaky?try=1"))
        assert status == 503 and headers["Retry-After"] == "1"
        status, _, body = fetch(world.url("alpha", "/flaky"))
        assert status == 200 and body.decode() == f"<p>{world.sites['alpha']}/ok</p>"
        assert calls[0].query == "try=1" and calls[0].base_url == world.sites["alpha"]
        assert world.requests == [("alpha", "/flaky?try=1"), ("alpha", "/flaky")]


def test_bad_worlds_are_refused_with_a_reason(tmp_path):
    with pytest.raises(ValueError, match="not a folder"):
        serve_world(tmp_path / "missing")
    (tmp_path / "empty").mkdir()
    with pytest.raises(ValueError, match="no site folders"):
        serve_world(tmp_path / "empty")
    root = make_world(tmp_path / "world")
    with pytest.raises(ValueError, match="unknown site 'gamma'"):
        serve_world(root, routes={("gamma", "/"): lambda r: Reply()})
    (root / "beta" / "_world.json").write_text("{not json")
    with pytest.raises(ValueError, match="beta/_world.json"):
        serve_world(root)
    (root / "beta" / "_world.json").write_text('{"origin": "https://beta.example/path"}')
    with pytest.raises(ValueError, match="must look like"):
        serve_world(root)


def test_close_stops_every_server(tmp_path):
    world = serve_world(make_world(tmp_path / "world"))
    ports = [urlsplit(base).port for base in world.sites.values()]
    assert fetch(world.url("beta", "/"))[0] == 200
    world.close()
    for port in ports:
        with pytest.raises(OSError), socket.create_connection(("127.0.0.1", port), timeout=2):
            pass
