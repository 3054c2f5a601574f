"""Score a store written by ``newsdedup crawl`` of a generated world against the world's truth.

What is measured, over the stored pages that the truth calls articles (pages of sites flagged
``cjk`` are left out unless asked for):

- junk: articles whose text carries any junk string the generator put on the page (inside the
  article container or in the chrome around it), with examples;
- non-articles: listing and service pages that were stored as articles, with their type;
- token F1: the article-extraction-benchmark metric (``\\w+`` tokens, multisets of 4-token
  shingles, mean precision and mean recall over pages, F1 their harmonic mean); lost articles
  are counted apart, not as pages of recall 0;
- captions: a truth caption is found when the first 60 characters of its normalised form are in
  the normalised ``captions``, leaked when they are in the normalised text (captions under 20
  characters are not counted);
- near duplicates: over pairs of stored article pages, a pair is a true duplicate when both carry
  the same story, and is found when both are in one group (a page's group is its ``duplicate_of``
  or itself);
- lost: article pages never stored.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import TYPE_CHECKING, Any

from crawler.demo.cms.truth import Truth, junk_in, normalize
from storage import Store

if TYPE_CHECKING:
    from crawler.demo.server import World

SHINGLE = 4
_TOKEN = re.compile(r"\w+")
CAPTION_PREFIX = 60
CAPTION_MIN_CHARS = 20
EXAMPLES = 8


@dataclass
class Scores:
    """What a crawl of a world got right and wrong; see the module docstring."""

    seeds: list[int] = field(default_factory=list)
    articles: int = 0  # article pages in the truth
    stored: int = 0  # of them, stored
    lost: list[str] = field(default_factory=list)
    junk_articles: list[str] = field(default_factory=list)  # stored articles carrying junk
    junk_kinds: Counter[str] = field(default_factory=Counter)  # articles per kind of junk
    junk_examples: list[tuple[str, str, str]] = field(default_factory=list)  # url, kind, junk
    non_articles: list[tuple[str, str]] = field(default_factory=list)  # url, type/subtype
    unknown: list[str] = field(default_factory=list)  # stored URLs the truth does not know
    precisions: list[float] = field(default_factory=list)  # per page, token shingles
    recalls: list[float] = field(default_factory=list)
    captions: int = 0
    captions_found: int = 0
    captions_leaked: int = 0
    dup_tp: int = 0
    dup_fp: int = 0
    dup_fn: int = 0
    # True pairs by the shorter copy's kind ("full", "truncated", "excerpt"): [found, missed]
    dup_kinds: dict[str, list[int]] = field(default_factory=dict)

    @property
    def junk_share(self) -> float:
        return len(self.junk_articles) / self.stored if self.stored else 0.0

    @property
    def precision(self) -> float:
        return sum(self.precisions) / len(self.precisions) if self.precisions else 0.0

    @property
    def recall(self) -> float:
        return sum(self.recalls) / len(self.recalls) if self.recalls else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def caption_recall(self) -> float:
        return self.captions_found / self.captions if self.captions else 1.0

    @property
    def caption_leak(self) -> float:
        return self.captions_leaked / self.captions if self.captions else 0.0

    @property
    def dup_precision(self) -> float:
        found = self.dup_tp + self.dup_fp
        return self.dup_tp / found if found else 1.0

    @property
    def dup_recall(self) -> float:
        true = self.dup_tp + self.dup_fn
        return self.dup_tp / true if true else 1.0

    def dup_recall_by_kind(self) -> dict[str, tuple[float, int]]:
        """Recall and number of true pairs, by the kind of the shorter copy of each pair."""
        return {
            kind: (found / (found + missed), found + missed)
            for kind, (found, missed) in sorted(self.dup_kinds.items())
        }

    def summary(self) -> dict[str, Any]:
        """The headline figures, rounded, for printing or JSON."""
        return {
            "seeds": self.seeds,
            "articles": self.articles,
            "stored": self.stored,
            "lost": len(self.lost),
            "junk_articles": len(self.junk_articles),
            "junk_share": round(self.junk_share, 3),
            "junk_kinds": dict(sorted(self.junk_kinds.items())),
            "non_articles": len(self.non_articles),
            "non_article_kinds": dict(sorted(Counter(k for _, k in self.non_articles).items())),
            "unknown": len(self.unknown),
            "precision": round(self.precision, 3),
            "recall": round(self.recall, 3),
            "f1": round(self.f1, 3),
            "caption_recall": round(self.caption_recall, 3),
            "caption_leak": round(self.caption_leak, 3),
            "dup_precision": round(self.dup_precision, 3),
            "dup_recall": round(self.dup_recall, 3),
            "dup_pairs": self.dup_tp + self.dup_fn,
            "dup_recall_by_kind": {
                kind: round(recall, 3) for kind, (recall, _) in self.dup_recall_by_kind().items()
            },
        }


def combine(all_scores: Iterable[Scores]) -> Scores:
    """Pool several worlds' scores: counts add up, per-page figures are averaged together."""
    out = Scores()
    for s in all_scores:
        out.seeds += s.seeds
        out.articles += s.articles
        out.stored += s.stored
        out.lost += s.lost
        out.junk_articles += s.junk_articles
        out.junk_kinds.update(s.junk_kinds)
        out.junk_examples += s.junk_examples[: max(0, EXAMPLES - len(out.junk_examples))]
        out.non_articles += s.non_articles
        out.unknown += s.unknown
        out.precisions += s.precisions
        out.recalls += s.recalls
        out.captions += s.captions
        out.captions_found += s.captions_found
        out.captions_leaked += s.captions_leaked
        out.dup_tp += s.dup_tp
        out.dup_fp += s.dup_fp
        out.dup_fn += s.dup_fn
        for kind, (found, missed) in s.dup_kinds.items():
            counts = out.dup_kinds.setdefault(kind, [0, 0])
            counts[0] += found
            counts[1] += missed
    return out


def shingles(text: str) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text)
    return Counter(tuple(tokens[i : i + SHINGLE]) for i in range(len(tokens) - SHINGLE + 1))


def page_pr(predicted: str, true: str) -> tuple[float | None, float | None]:
    """(precision, recall) of one page's shingles; None where the metric leaves the page out."""
    pred, gold = shingles(predicted), shingles(true)
    tp = sum((pred & gold).values())
    fp = sum((pred - gold).values())
    fn = sum((gold - pred).values())
    precision = tp / (tp + fp) if tp + fp else None
    recall = tp / (tp + fn) if tp + fn else None
    return precision, recall


def _caption_key(text: str) -> str:
    return normalize(text)[:CAPTION_PREFIX]


def stored_rows(db_path: Path | str) -> list[dict[str, Any]]:
    """Every stored article row (duplicates included), by id."""
    with Store.open(db_path, create=False) as store:
        return list(store.iter_articles(include_duplicates=True))


def score(db_path: Path | str, truth: Truth, world: World, *, cjk: bool = False) -> Scores:
    """Score the store at ``db_path`` against ``truth``; ``world`` maps its real URLs to fake ones.

    Raises StoreError (from :class:`storage.Store`) when ``db_path`` is not a store.
    """
    rows = stored_rows(db_path)
    skip = {key for key, site in truth.sites.items() if site.get("cjk") and not cjk}
    out = Scores(seeds=[truth.seed])
    articles = {u: p for u, p in truth.articles.items() if p["site"] not in skip}
    out.articles = len(articles)
    by_url: dict[str, dict[str, Any]] = {}
    for row in rows:
        url = truth.fake(world, row["url"])
        page = truth.pages.get(url)
        if page is None:
            out.unknown.append(url)
        elif page["site"] in skip:
            continue
        elif page["type"] != "article":
            out.non_articles.append((url, f"{page['type']}/{page['subtype']}"))
        else:
            by_url[url] = row
    out.stored = len(by_url)
    out.lost = sorted(set(articles) - set(by_url))
    for url in sorted(by_url):
        _score_article(out, url, by_url[url], articles[url])
    _score_duplicates(out, by_url, articles)
    out.non_articles.sort()
    out.unknown.sort()
    return out


def _score_article(out: Scores, url: str, row: dict[str, Any], page: dict[str, Any]) -> None:
    text = row["text"] or ""
    normalized = normalize(text)
    kinds = sorted({item["kind"] for item in page["junk"] if junk_in(normalized, item["text"])})
    if kinds:
        out.junk_articles.append(url)
        out.junk_kinds.update(kinds)
        if len(out.junk_examples) < EXAMPLES:
            item = next(i for i in page["junk"] if junk_in(normalized, i["text"]))
            out.junk_examples.append((url, item["kind"], item["text"]))
    precision, recall = page_pr(text, page["text"])
    if precision is not None:
        out.precisions.append(precision)
    if recall is not None:
        out.recalls.append(recall)
    stored_captions = normalize(" | ".join(row["captions"] or []))
    for caption in page["captions"]:
        if len(caption) < CAPTION_MIN_CHARS:
            continue
        key = _caption_key(caption)
        out.captions += 1
        out.captions_found += key in stored_captions
        out.captions_leaked += key in normalized


def _score_duplicates(
    out: Scores, by_url: dict[str, dict[str, Any]], articles: dict[str, dict[str, Any]]
) -> None:
    for first, second in combinations(sorted(by_url), 2):
        a, b = by_url[first], by_url[second]
        same_story = articles[first]["story"] == articles[second]["story"]
        grouped = (a["duplicate_of"] or a["id"]) == (b["duplicate_of"] or b["id"])
        if same_story:
            counts = out.dup_kinds.setdefault(_pair_kind(articles[first], articles[second]), [0, 0])
            counts[0 if grouped else 1] += 1
        if same_story and grouped:
            out.dup_tp += 1
        elif grouped:
            out.dup_fp += 1
        elif same_story:
            out.dup_fn += 1


def _pair_kind(first: dict[str, Any], second: dict[str, Any]) -> str:
    """'excerpt' or 'truncated' when either copy is one, else 'full'."""
    kinds = {first["copy"], second["copy"]}
    return next((kind for kind in ("excerpt", "truncated") if kind in kinds), "full")


def fingerprint(db_path: Path | str, world: World | None = None) -> dict[str, dict[str, Any]]:
    """Per stored URL: sha256 of its text and its story (the sorted URLs of its group).

    With ``world``, URLs are mapped back to the fake origins, so two crawls of one world served
    on different ports compare equal when they stored the same thing.
    """
    rows = stored_rows(db_path)
    name = {row["id"]: (world.fake_url(row["url"]) if world else row["url"]) for row in rows}
    groups: dict[int, list[str]] = {}
    for row in rows:
        groups.setdefault(row["duplicate_of"] or row["id"], []).append(name[row["id"]])
    return {
        name[row["id"]]: {
            "text_sha256": hashlib.sha256((row["text"] or "").encode("utf-8")).hexdigest(),
            "story": sorted(groups[row["duplicate_of"] or row["id"]]),
        }
        for row in sorted(rows, key=lambda r: name[r["id"]])
    }
