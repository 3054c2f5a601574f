"""The plan of a generated world, before any HTML: sites, their pages and the stories they carry."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from crawler.demo.cms.lang import Language


@dataclass(frozen=True)
class Paths:
    """How one site spells its URLs (format strings; a '?' means a page told by query string).

    ``article`` takes {section} {y} {m} {d} {slug} {id}; ``archive`` and ``calendar`` take {n}
    (the page number); ``search`` takes {q}.
    """

    article: str
    section: str
    section_kind: str  # "section" or "category"
    tag: str
    author: str
    archive_first: str
    archive: str
    archive_from: int  # number of the second archive page (Drupal counts ?page= from 0)
    calendar: str
    search: str
    video: str


@dataclass(frozen=True)
class Named:
    """A section, tag or author: a label and where its page is."""

    label: str
    slug: str
    path: str
    bio: str = ""  # authors only


@dataclass
class Figure:
    caption: str
    src: str
    after: int  # index of the text line it follows; -1 for a lead image above the text


@dataclass
class Article:
    """One article page of one site."""

    site: str
    number: int  # node or post id, used in some URL schemes and markup
    path: str
    title: str
    description: str
    lines: list[str]  # the true text: paragraphs and subheadings, in order
    subheads: set[int]
    figures: list[Figure]
    authors: list[Named]
    published: datetime
    section: Named
    tags: list[Named]
    story: str
    copy: str  # "own", "copy", "truncated" or "excerpt"
    paywalled: bool = False
    full_story: tuple[str, str] | None = None  # (site name, path-qualified URL) for excerpts
    template: int = 0
    modified: datetime | None = None


@dataclass
class Event:
    title: str
    when: datetime
    venue: str
    text: str


@dataclass
class Video:
    title: str
    minutes: int
    text: str
    article: Article


@dataclass
class Listing:
    """A page that is not an article: home, section, tag, author, archive, calendar, search..."""

    kind: str
    path: str
    title: str
    intro: str = ""
    items: list[Article] = field(default_factory=list)
    page: int = 1
    prev: str | None = None
    next: str | None = None
    misleading: str | None = None  # "og_article", "ld_article" or "ld_collection"
    author: Named | None = None
    events: list[Event] = field(default_factory=list)
    videos: list[Video] = field(default_factory=list)
    query: str = ""
    links: list[tuple[str, str]] = field(default_factory=list)  # (label, path): extra links


@dataclass
class Site:
    """One generated site: its identity, its URL scheme and every page it serves."""

    key: str  # folder name
    name: str
    origin: str
    style: str
    lang: Language
    paths: Paths
    templates: list[int]
    sections: list[Named]
    authors: list[Named]
    tags: list[Named]
    articles: list[Article] = field(default_factory=list)
    listings: list[Listing] = field(default_factory=list)
    services: dict[str, str] = field(default_factory=dict)  # path -> title (about, privacy...)
    feeds: list[tuple[str, str]] = field(default_factory=list)  # (path, "rss" | "atom")
    sitemaps: list[str] = field(default_factory=list)  # paths named in robots.txt
    sitemap_kind: str = ""  # "plain", "index", "news" (an index with a news sitemap) or ""
    disallow: list[str] = field(default_factory=list)
    start: list[str] = field(default_factory=list)  # entry paths
    cjk: bool = False

    def url(self, path: str) -> str:
        return self.origin + path
