"""A news world that publishes as a clock advances: for freshness tests and the schedule benchmark.

Each site publishes articles at random moments (a Poisson process at the site's rate) over a
span of simulated time; with a daily ``cycle``, the rate rises and falls over the day around a
peak hour of the site's own (a newsroom publishes more by day than by night).
:meth:`Timeline.write` writes the world as it stands at a moment: every site's homepage and RSS
feed list its latest articles published by then, and each published article has its page.
Served with :func:`crawler.demo.server.serve_world`, a crawl sees what a reader would have seen
at that moment, without anyone waiting: the caller moves the clock and tells the crawl the time
(``NEWSDEDUP_NOW``).
"""

from __future__ import annotations

import datetime as dt
import json
import math
import random
from dataclasses import dataclass, field
from pathlib import Path

# How many of its latest articles a site's homepage and feed list.
LISTED = 15
_WORDS = (
    "harbour council ferry budget rail strike union minister bridge river storm flood school "
    "teacher hospital nurse market bakery factory port museum library festival election mayor "
    "police court judge tax water energy grid wind solar farm harvest tourism airport runway "
    "train station road tunnel housing rent tenant landlord climate research university "
    "student science doctor patient vaccine clinic league match goal season coach player"
).split()


@dataclass(frozen=True)
class Piece:
    """One article of the world: where, when and what."""

    site: str
    path: str
    title: str
    published: dt.datetime
    paragraphs: tuple[str, ...]


@dataclass
class Publisher:
    """A site and how many articles an hour it publishes."""

    name: str
    per_hour: float
    peak_hour: float = 14.0  # UTC hour of the most articles, with a daily cycle
    pieces: list[Piece] = field(default_factory=list)

    def weight(self, moment: dt.datetime, cycle: float) -> float:
        """The rate at ``moment`` over the day's mean, between 1 - cycle and 1 + cycle."""
        hour = moment.hour + moment.minute / 60 + moment.second / 3600
        return 1 + cycle * math.cos(2 * math.pi * (hour - self.peak_hour) / 24)


class Timeline:
    """Sites publishing over ``hours`` of simulated time from ``start``, written at any moment.

    ``rates``: articles an hour of each site, on average over a day. ``cycle`` (0 to 1): how far
    the rate swings over the day, around each site's hour in ``peaks`` (else 14:00 UTC).
    """

    def __init__(
        self,
        root: Path,
        rates: dict[str, float],
        *,
        start: dt.datetime,
        hours: float = 24.0,
        seed: int = 1,
        cycle: float = 0.0,
        peaks: dict[str, float] | None = None,
    ) -> None:
        if not 0 <= cycle <= 1:
            raise ValueError(f"a daily cycle is between 0 and 1, got {cycle}")
        self.root = Path(root)
        self.start = start
        self.end = start + dt.timedelta(hours=hours)
        rng = random.Random(seed)
        self.publishers = [
            Publisher(name, rate, (peaks or {}).get(name, 14.0)) for name, rate in rates.items()
        ]
        for publisher in self.publishers:
            moment = start
            n = 0
            # A cycle thins a process at the peak rate: a moment is kept with the odds of the
            # rate then (with no cycle, no draw is made, so a world is the same as without).
            top = publisher.per_hour * (1 + cycle)
            while top > 0:
                moment += dt.timedelta(hours=rng.expovariate(top))
                if moment >= self.end:
                    break
                if cycle and rng.random() * (1 + cycle) > publisher.weight(moment, cycle):
                    continue
                stamp = moment.replace(microsecond=0)
                publisher.pieces.append(
                    Piece(
                        publisher.name,
                        f"/news/{stamp:%Y/%m/%d}/{publisher.name}-{n}/",
                        f"{publisher.name.title()} report {n}: "
                        + " ".join(rng.choice(_WORDS) for _ in range(4)),
                        stamp,
                        tuple(_paragraph(rng) for _ in range(4)),
                    )
                )
                n += 1
        self._written: dict[str, int] = {}
        for publisher in self.publishers:
            folder = self.root / publisher.name
            folder.mkdir(parents=True, exist_ok=True)
            (folder / "_world.json").write_text(
                json.dumps({"origin": f"https://www.{publisher.name}.example", "start": ["/"]}),
                encoding="utf-8",
            )
            (folder / "robots.txt").write_text("User-agent: *\nAllow: /\n", encoding="utf-8")

    @property
    def pieces(self) -> list[Piece]:
        return [piece for publisher in self.publishers for piece in publisher.pieces]

    def published(self, now: dt.datetime) -> list[Piece]:
        return [piece for piece in self.pieces if piece.published <= now]

    def write(self, now: dt.datetime) -> None:
        """Write every site as a reader would find it at ``now``."""
        for publisher in self.publishers:
            out = [piece for piece in publisher.pieces if piece.published <= now]
            folder = self.root / publisher.name
            for piece in out[self._written.get(publisher.name, 0) :]:
                page = folder / piece.path.strip("/") / "index.html"
                page.parent.mkdir(parents=True, exist_ok=True)
                page.write_text(_article_html(piece), encoding="utf-8")
            self._written[publisher.name] = len(out)
            latest = out[::-1][:LISTED]
            (folder / "index.html").write_text(_home_html(publisher.name, latest), "utf-8")
            (folder / "feed.xml").write_text(_feed_xml(publisher.name, latest), "utf-8")


def _paragraph(rng: random.Random) -> str:
    sentences = []
    for _ in range(3):
        words = [rng.choice(_WORDS) for _ in range(rng.randint(12, 18))]
        sentences.append(" ".join(words).capitalize() + ".")
    return " ".join(sentences)


def _article_html(piece: Piece) -> str:
    ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": piece.title,
        "datePublished": piece.published.isoformat(),
        "isAccessibleForFree": True,
    }
    body = "\n".join(f"<p>{p}</p>" for p in piece.paragraphs)
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f'<title>{piece.title}</title><meta property="og:type" content="article">'
        f'<script type="application/ld+json">{json.dumps(ld)}</script></head><body>'
        f'<header><a href="/">Home</a></header><article><h1>{piece.title}</h1>\n{body}\n'
        "</article><footer>A timeline paper</footer></body></html>\n"
    )


def _home_html(name: str, pieces: list[Piece]) -> str:
    links = "\n".join(f'<li><a href="{p.path}">{p.title}</a></li>' for p in pieces)
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{name}</title>'
        '<link rel="alternate" type="application/rss+xml" href="/feed.xml">'
        f"</head><body><h1>{name}</h1><ul>{links}</ul></body></html>\n"
    )


def _feed_xml(name: str, pieces: list[Piece]) -> str:
    items = "\n".join(
        f"<item><title>{p.title}</title><link>https://www.{name}.example{p.path}</link>"
        f"<pubDate>{p.published:%a, %d %b %Y %H:%M:%S} +0000</pubDate></item>"
        for p in pieces
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
        f"<title>{name}</title><link>https://www.{name}.example/</link>\n{items}\n"
        "</channel></rss>\n"
    )


__all__ = ["LISTED", "Piece", "Publisher", "Timeline"]
