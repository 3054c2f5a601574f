"""Check a served world against its truth: every page answers, every link resolves, every page is
reachable from the start URLs, and every true line, caption and junk string is on its page."""

from __future__ import annotations

import http.client
import re
from collections import deque
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import lxml.html

from crawler.demo.cms.truth import ARTICLE, Truth, junk_in, normalize
from crawler.demo.server import World

_XML_LINK = re.compile(r"<(?:loc|link)>([^<]+)</(?:loc|link)>|<link[^>]*\bhref=\"([^\"]+)\"")
_SKIP = ("#", "mailto:", "javascript:")


def fetch(url: str) -> tuple[int, bytes]:
    """GET ``url`` without following redirects; return (status, body)."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        conn.request("GET", parts.path + (f"?{parts.query}" if parts.query else ""))
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def visible_text(html: bytes | str) -> str:
    """The page's text outside scripts and styles, each text node apart, normalised."""
    tree = lxml.html.fromstring(html)
    for bad in tree.xpath("//script|//style|//template"):
        bad.drop_tree()
    return normalize(" ".join(tree.itertext()))


def links(body: bytes, url: str) -> list[str]:
    """Absolute URLs a page, feed or sitemap links to (not fragments, mailto: or javascript:)."""
    text = body.decode("utf-8", "replace")
    if text.lstrip().startswith("<?xml"):
        found = [a or b for a, b in _XML_LINK.findall(text)]
    else:
        found = [
            href
            for href in lxml.html.fromstring(body).xpath("//a/@href")
            if not href.startswith(_SKIP)
        ]
    return [urljoin(url, href.strip()).split("#")[0] for href in found]


def check_world(world: World, truth: Truth) -> list[str]:
    """Every problem found, as a sentence naming the URL (empty when the world is consistent)."""
    problems: list[str] = []
    bases = tuple(world.sites.values())
    pages: dict[str, tuple[int, bytes]] = {}

    def get(url: str) -> tuple[int, bytes]:
        if url not in pages:
            pages[url] = fetch(url)
        return pages[url]

    for fake, page in truth.pages.items():
        status, body = get(truth.real(world, fake))
        if status != 200:
            problems.append(f"{fake}: answered {status}")
            continue
        if page["type"] == ARTICLE:
            problems += _article_problems(fake, page, visible_text(body))
    robots = [truth.real(world, site["origin"] + "/robots.txt") for site in truth.sites.values()]
    problems += _robots_problems(world, truth, {url: get(url)[1] for url in robots})
    # Reachability: every page of the truth is met from the start URLs and robots.txt sitemaps.
    queue = deque(truth.start_urls(world) + robots)
    seen = set(queue)
    while queue:
        url = queue.popleft()
        status, body = get(url)
        if status != 200:
            problems.append(f"{world.fake_url(url)}: linked, but answered {status}")
            continue
        targets = _sitemaps(body) if url.endswith("/robots.txt") else links(body, url)
        for target in targets:
            target = truth.real(world, target)
            if target.startswith(bases) and target not in seen:
                seen.add(target)
                queue.append(target)
    reached = {truth.fake(world, url) for url in seen}
    problems += [
        f"{url}: not reachable from the start URLs" for url in truth.pages if url not in reached
    ]
    return problems


def _robots_problems(world: World, truth: Truth, files: dict[str, bytes]) -> list[str]:
    """Articles must be open to crawlers; pages the truth calls disallowed must be closed."""
    parsers = {}
    for url, body in files.items():
        parser = RobotFileParser()
        parser.parse(body.decode("utf-8").splitlines())
        parsers[url.rsplit("/", 1)[0]] = parser
    problems = []
    for fake, page in truth.pages.items():
        real = truth.real(world, fake)
        parser = next(p for base, p in parsers.items() if real.startswith(base + "/"))
        allowed = parser.can_fetch("newsdedup", real)
        if page["type"] == ARTICLE and not allowed:
            problems.append(f"{fake}: an article disallowed by robots.txt")
        if page.get("disallowed") and allowed:
            problems.append(f"{fake}: said to be disallowed, but robots.txt allows it")
    return problems


def _sitemaps(body: bytes) -> list[str]:
    return re.findall(r"(?im)^sitemap:\s*(\S+)", body.decode("utf-8", "replace"))


def _article_problems(url: str, page: dict, text: str) -> list[str]:
    problems = []
    for line in page["text"].split("\n"):
        if normalize(line) not in text:
            problems.append(f"{url}: true line not on the page: {line[:60]!r}")
    for caption in page["captions"]:
        if normalize(caption) not in text:
            problems.append(f"{url}: caption not on the page: {caption[:60]!r}")
    for item in page["junk"]:
        if not junk_in(text, item["text"]):
            problems.append(f"{url}: {item['kind']} junk not on the page: {item['text'][:60]!r}")
    return problems
