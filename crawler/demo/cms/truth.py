"""The truth of a generated world (``truth.json``): what every page is, and how to match text.

URLs in the truth are written with the sites' fake origins (``https://www.x.example/...``), as in
the pages; :meth:`Truth.real` and :meth:`Truth.fake` map between them and the URLs of a running
:class:`~crawler.demo.server.World`. Junk and captions are matched on a normalised form (NFKC,
case-folded, every run of non-word characters one space), so a line break or a '|' between two
words of a junk string does not hide it.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from crawler.urls import canonicalize

if TYPE_CHECKING:
    from crawler.demo.server import World

TRUTH_NAME = "truth.json"
TRUTH_VERSION = 1
ARTICLE = "article"
LISTING = "listing"
OTHER = "other"  # about, privacy, subscribe: service pages that are neither
LISTING_KINDS = (
    "home",
    "section",
    "category",
    "tag",
    "author",
    "archive",
    "calendar",
    "search",
    "video",
)

_NON_WORD = re.compile(r"[\W_]+")
_CJK = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def normalize(text: str) -> str:
    """NFKC, case-folded, every run of non-word characters one space, trimmed."""
    return _NON_WORD.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()


def contains(normalized_text: str, needle: str) -> bool:
    """True if ``needle`` (raw) occurs in ``normalized_text`` as whole words."""
    core = normalize(needle)
    return bool(core) and f" {core} " in f" {normalized_text} "


def junk_in(normalized_text: str, junk: str) -> bool:
    """True if ``junk`` occurs in the normalised text: as whole words, or anywhere in CJK text,
    which has no spaces to tell words apart."""
    if _CJK.search(junk):
        return normalize(junk) in normalized_text
    return contains(normalized_text, junk)


@dataclass
class Truth:
    """A world's truth: sites, pages by URL, stories and hard-negative pairs (fake origins)."""

    seed: int
    sites: dict[str, dict[str, Any]]
    pages: dict[str, dict[str, Any]]
    stories: dict[str, dict[str, Any]]
    hard_negatives: list[list[str]] = field(default_factory=list)
    options: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def load(cls, world_dir: Path | str) -> Truth:
        """Read ``world_dir/truth.json``; ValueError names the file when it is not a truth file."""
        path = Path(world_dir) / TRUTH_NAME
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise ValueError(f"{path}: cannot read the world's truth ({exc})") from exc
        if data.get("version") != TRUTH_VERSION or "pages" not in data:
            raise ValueError(f"{path}: not a generated world's truth (version {TRUTH_VERSION})")
        return cls(
            seed=data["seed"],
            sites=data["sites"],
            pages=data["pages"],
            stories=data["stories"],
            hard_negatives=data.get("hard_negatives", []),
            options=data.get("options", {}),
        )

    def to_json(self) -> str:
        data = {
            "version": TRUTH_VERSION,
            "seed": self.seed,
            "options": self.options,
            "sites": self.sites,
            "pages": self.pages,
            "stories": self.stories,
            "hard_negatives": self.hard_negatives,
        }
        return json.dumps(data, indent=1, ensure_ascii=False, sort_keys=True) + "\n"

    @property
    def articles(self) -> dict[str, dict[str, Any]]:
        """Article pages by fake URL."""
        return {url: page for url, page in self.pages.items() if page["type"] == ARTICLE}

    @property
    def non_articles(self) -> dict[str, dict[str, Any]]:
        """Listing and service pages by fake URL."""
        return {url: page for url, page in self.pages.items() if page["type"] != ARTICLE}

    def start_urls(self, world: World | None = None) -> list[str]:
        """Entry URLs of every site (homepages, feeds, sitemaps); real ones when given ``world``."""
        urls = [url for site in self.sites.values() for url in site["start"]]
        return [self.real(world, url) for url in urls] if world is not None else urls

    @staticmethod
    def real(world: World, url: str) -> str:
        """The URL a running world answers for the fake ``url``."""
        return world.rewrite(url)

    def fake(self, world: World, url: str) -> str:
        """The fake, canonical URL a stored real ``url`` stands for (truth keys are canonical)."""
        return canonicalize(world.fake_url(url))
