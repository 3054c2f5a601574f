"""The pages of the throughput benchmark: a site built from real pages, its server, its archives.

The aeb+fundus pages of the shared corpus (the demo world's articles when the corpus is absent)
are written as ``count`` pages under distinct URLs, gzip files served with
``Content-Encoding: gzip`` by a small HTTP/1.1 server in its own process. Every copy is made
unique: a marker word proper to the copy follows every third word of the page's text (never
inside tags, scripts or styles), so no two copies share a shingle and dedup keeps them apart
(pages without spaces between words, as in Chinese or Japanese, stay alike: their copies count
as duplicates).

Links are those of a real site: each page's own relative links (its menus, sections, related
stories) are rewritten to lead to pages of the index's first level; its links to other sites
stay as they are; and each page gains a short list of further stories (the pages below it in a
tree of :data:`FANOUT` children each, so every page is within the default depth of the index),
two links to pages that are missing (404) and one to a folder robots.txt disallows. The index
links the first level of the tree only, so most pages are found by following links.

The same pages can be written as one WARC file and as a folder of saved pages (``.html.gz`` with
a ``.json`` sidecar naming the URL), for ``newsdedup ingest``.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import socket
import subprocess
import sys
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEMO_WORLD = ROOT / "crawler" / "demo" / "site"
# Each page of the tree links this many pages below it.
FANOUT = 10
# The host of the archived copies (WARC records and saved pages' sidecars).
ARCHIVE_BASE = "http://news.bench.test"
ROBOTS_TXT = "User-agent: *\nDisallow: /private/\n"

# ---------------------------------------------------------------------- the pages


def corpus_pages(corpus: Path) -> list[tuple[str, bytes]]:
    """Return (name, html) of the aeb and fundus pages, or [] when the corpus is absent."""
    files = sorted((corpus / "aeb" / "html").glob("*.html.gz"))
    files += sorted((corpus / "fundus" / "html").glob("*.html.gz"))
    return [
        (path.name.removesuffix(".html.gz"), gzip.decompress(path.read_bytes())) for path in files
    ]


def demo_pages() -> list[tuple[str, bytes]]:
    """Return (name, html) of the demo world's article pages."""
    truth = json.loads((DEMO_WORLD / "truth.json").read_text(encoding="utf-8"))
    pages = []
    for url, entry in sorted(truth["articles"].items()):
        path = url.split("/", 3)[3]
        file = DEMO_WORLD / entry["site"] / path
        file = file if file.suffix == ".html" else file / "index.html"
        if file.is_file():
            pages.append((f"{entry['site']}-{Path(path).name or 'index'}", file.read_bytes()))
    return pages


_NOT_TEXT = re.compile(
    r"(<script\b.*?</script\s*>|<style\b.*?</style\s*>|<!--.*?-->|<[^>]*>)", re.I | re.S
)
_THREE_WORDS = re.compile(r"\S+\s+\S+\s+\S+")
_ANCHOR_HREF = re.compile(r"""(<a\b[^>]*?\bhref\s*=\s*)(["'])(.*?)\2""", re.I | re.S)
# A scheme ("https:", "mailto:"), a protocol-relative link or a fragment: not a link to rewrite.
_NOT_RELATIVE = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:|//|#|$)", re.I)
_BODY_END = re.compile(r"</body\s*>", re.I)
_BASE = re.compile(r"<base\b[^>]*>", re.I)


def marker(copy: int) -> str:
    """Return the marker word of copy number ``copy``: letters only, one spelling per copy."""
    letters = ""
    while True:
        copy, digit = divmod(copy, 26)
        letters = chr(ord("a") + digit) + letters
        if not copy:
            return f"zq{letters}x"


def make_unique(html: str, copy: int) -> str:
    """Return ``html`` with the copy's marker after every third word of its text."""
    word = marker(copy)
    parts = _NOT_TEXT.split(html)
    for index in range(0, len(parts), 2):  # even parts are text, odd parts what split matched
        parts[index] = _THREE_WORDS.sub(lambda match: f"{match.group(0)} {word}", parts[index])
    return "".join(parts)


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:60] or "page"


def first_level(count: int) -> int:
    """How many pages the index links so that the tree holds ``count`` pages within depth 3."""
    return max(1, -(-count // (1 + FANOUT + FANOUT * FANOUT)))


def children(number: int, count: int) -> range:
    """The pages page ``number`` leads to in the tree (heap order below the first level)."""
    start = first_level(count) + number * FANOUT
    return range(min(start, count), min(start + FANOUT, count))


def rewrite_links(html: str, number: int, paths: list[str]) -> str:
    """Return ``html`` with its relative links leading to pages of the set, and a list of
    further stories, missing pages and a disallowed page before ``</body>``."""

    def relink(match: re.Match[str]) -> str:
        href = match.group(3)
        if _NOT_RELATIVE.match(href):
            return match.group(0)
        digest = hashlib.blake2s(href.encode("utf-8", "replace"), digest_size=4).digest()
        # Menus and section links lead to the top of a site: here, the index's own pages,
        # which keeps every page at its depth in the tree whatever order pages are fetched in.
        target = paths[int.from_bytes(digest, "big") % first_level(len(paths))]
        return f"{match.group(1)}{match.group(2)}{target}{match.group(2)}"

    # A <base href> naming the page's original site would send every link there.
    html = _ANCHOR_HREF.sub(relink, _BASE.sub("", html))
    items = [
        f'<li><a href="{paths[child]}">more {child}</a></li>'
        for child in children(number, len(paths))
    ]
    items += [f'<li><a href="/gone/{number:05d}-{k}.html">gone {k}</a></li>' for k in (1, 2)]
    items.append(f'<li><a href="/private/{number:05d}.html">members only</a></li>')
    block = f'<ul class="bench-more">{"".join(items)}</ul>'
    ends = [match.start() for match in _BODY_END.finditer(html)]
    at = ends[-1] if ends else len(html)
    return html[:at] + block + html[at:]


def page_path(number: int, name: str) -> str:
    return f"/news/{number:05d}/{slug(name)}.html"


def write_site(pages: list[tuple[str, bytes]], folder: Path, count: int) -> list[str]:
    """Write ``count`` unique linked copies of ``pages`` (gzip, each with a ``.json`` sidecar
    naming its archived URL), the index (``index.html``), a page linking every page
    (``all.html``) and robots.txt under ``folder``; return the pages' paths."""
    paths = [page_path(number, pages[number % len(pages)][0]) for number in range(count)]
    for number, path in enumerate(paths):
        html = pages[number % len(pages)][1].decode("utf-8", "replace")
        html = make_unique(rewrite_links(html, number, paths), number // len(pages))
        file = folder / (path.lstrip("/") + ".gz")
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_bytes(gzip.compress(html.encode("utf-8"), compresslevel=6))
        sidecar = file.with_name(file.name.removesuffix(".html.gz") + ".json")
        sidecar.write_text(json.dumps({"url": ARCHIVE_BASE + path}), encoding="utf-8")
    for name, shown in (("index.html", first_level(count)), ("all.html", count)):
        links = "\n".join(f'<li><a href="{paths[n]}">page {n}</a></li>' for n in range(shown))
        index = (
            '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Index</title>'
            f"</head><body><h1>Latest news</h1><ul>\n{links}\n</ul></body></html>\n"
        )
        (folder / f"{name}.gz").write_bytes(gzip.compress(index.encode("utf-8")))
    (folder / "robots.txt").write_text(ROBOTS_TXT, encoding="ascii")
    return paths


def read_page(folder: Path, path: str) -> bytes:
    """The HTML of the page at ``path``, decompressed."""
    return gzip.decompress((folder / (path.lstrip("/") + ".gz")).read_bytes())


def write_warc(site: Path, paths: list[str], folder: Path) -> Path:
    """Write the pages as responses from :data:`ARCHIVE_BASE` into one gzip WARC file."""
    from crawler.archive.warc import WarcFileWriter

    with WarcFileWriter(folder, prefix="bench", max_bytes=2**40) as writer:
        for path in paths:
            headers = [("Content-Type", "text/html; charset=utf-8")]
            writer.write_response(ARCHIVE_BASE + path, 200, headers, read_page(site, path))
    return writer.files[0]


# ---------------------------------------------------------------------- serving


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    folder = Path(".")

    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        path = self.path.split("?", 1)[0]
        if path == "/robots.txt":
            self.reply(200, ROBOTS_TXT.encode("ascii"), "text/plain")
            return
        file = self.folder / ((path.lstrip("/") or "index.html") + ".gz")
        if ".." in path or not file.is_file():
            self.reply(404, b"<html><body>Not found</body></html>", "text/html", gzipped=False)
            return
        self.reply(200, file.read_bytes(), "text/html; charset=utf-8", gzipped=True)

    def reply(self, status: int, body: bytes, kind: str, gzipped: bool = False) -> None:
        if gzipped and "gzip" not in self.headers.get("Accept-Encoding", ""):
            body, gzipped = gzip.decompress(body), False
        self.send_response(status)
        self.send_header("Content-Type", kind)
        if gzipped:
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


def serve(folder: Path, port: int) -> None:
    """Serve the site in ``folder`` on 127.0.0.1:``port`` until killed."""
    _Handler.folder = folder
    ThreadingHTTPServer(("127.0.0.1", port), _Handler).serve_forever()


class Server:
    """The site's server in its own process (not part of any measurement)."""

    def __init__(self, folder: Path) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), str(folder), str(self.port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{self.base}/robots.txt", timeout=5):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    def close(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


if __name__ == "__main__":
    serve(Path(sys.argv[1]), int(sys.argv[2]))
