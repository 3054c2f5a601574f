"""Page type: one article, or a listing, forum, product, service or documentation page.

The measures of :mod:`crawler.page.pagefeatures`, and what the page's words say
(:mod:`crawler.page.pagewords`), go through a small multinomial logistic model (:class:`Model`,
weights in ``pagetype_weights.json`` next to this module, trained by
``scripts/train_pagetype.py``); the verdict names its type and the evidence that decided it.
Plain Python: page workers import neither numpy nor scipy.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Protocol
from urllib.parse import urlsplit

from crawler.page.pagefeatures import ENTRIES_MIN, FEATURES, features
from crawler.page.pagewords import WordModel
from storage.outcomes import (
    ARTICLE,
    DOCUMENTATION,
    FORUM,
    LISTING,
    OTHER,
    PAGE_TYPES,
    PRODUCT,
    SERVICE,
)

# --- the verdict -------------------------------------------------------------------------


@dataclass(frozen=True)
class Verdict:
    """What a page is: ``page_type`` (one of :data:`PAGE_TYPES`), ``reason`` (a short sentence
    naming the evidence) and ``score`` (the model's probability that it is an article)."""

    page_type: str
    reason: str
    score: float = 0.0

    @property
    def is_article(self) -> bool:
        return self.page_type == ARTICLE


# How each feature reads in a reason: (when the page has more of it than most pages, when it
# has less), formatted with the page's measures; None: not worth saying.
_SAY: dict[str, tuple[str | None, str | None]] = {
    "ld_article": ("JSON-LD declares an article", "no article type in its JSON-LD"),
    "ld_product": ("JSON-LD declares a product", None),
    "ld_listing": ("JSON-LD declares a list or collection", None),
    "ld_forum": ("JSON-LD declares a discussion or Q&A", None),
    "ld_site": ("JSON-LD declares a service, FAQ or profile page", None),
    "og_article": ("og:type article", None),
    "og_product": ("og:type product", None),
    "og_website": ("og:type website", None),
    "date_meta": ("a publication date in its metadata", "no publication date in its metadata"),
    "author_meta": ("an author in its metadata", None),
    "article_meta": ("article section or tags in its metadata", None),
    "headline_date": ("a date by its headline", "no date by its headline"),
    "url_home": ("it is the site's home page", None),
    "url_date": ("a date in its URL", None),
    "url_slug": ("a headline in its URL", "no headline in its URL"),
    "url_listing": ("a list-shaped URL", None),
    "url_forum": ("a forum-shaped URL", None),
    "url_docs": ("a documentation-shaped URL", None),
    "url_site": ("a service-shaped URL", None),
    "url_depth": ("a deep URL", "a short URL"),
    "one_time": ("a <time> element", "no <time> element"),
    "one_dates": ("a written date", "no written date"),
    "one_article": ("an <article> element", None),
    "one_linked_headings": ("linked headings", None),
    "many_time": ("{time:.0f} <time> elements", None),
    "many_dates": ("{dates:.0f} dates", None),
    "many_article": ("{article:.0f} <article> blocks", None),
    "many_linked_headings": ("{linked_headings:.0f} linked headings", None),
    "figcaption": ("figure captions", None),
    "blockquote": ("{blockquote:.0f} quotes", None),
    "inputs": ("{inputs:.0f} form fields", None),
    "select": ("{select:.0f} option menus", None),
    "button": ("{button:.0f} buttons", None),
    "pre": ("{pre:.0f} code blocks", None),
    "code": ("{code:.0f} code snippets", None),
    "table": ("{table:.0f} tables", None),
    "currency": ("{currency:.0f} currency signs", None),
    "link_share": ("links hold {link_pct:.0f}% of its text", None),
    "headline_share": ("headline links hold {headline_pct:.0f}% of its text", None),
    "block_share": ("one block holds {block_pct:.0f}% of its text", "no dominant block of prose"),
    "block_chars": ("a block of {block_chars:.0f} characters of prose", "no long block of prose"),
    "p_short_share": ("mostly short paragraphs", "mostly long paragraphs"),
    "x_units": ("{x_units:.0f} words of text", "only {x_units:.0f} words of text"),
    "x_units_per_line": ("long paragraphs of text", "short lines of text"),
    "x_units_per_sentence": (None, "short sentences"),
    "x_prose_share": ("text that reads as prose", "little prose in its text"),
    "x_teaser_share": ("text made of teasers", None),
    "x_kept": ("most of its text is the body", "little of its text is the body"),
    "words": ("words that read like an article's", "words unlike an article's"),
}
# The input the word model gives, after the measures.
WORDS = "words"
_NAMES = {
    ARTICLE: "an article",
    LISTING: "a listing",
    FORUM: "a forum thread",
    PRODUCT: "a product page",
    SERVICE: "a service page",
    DOCUMENTATION: "documentation",
    OTHER: "not an article",
}
REASON_ITEMS = 3


def describe(page_type: str, evidence: list[str]) -> str:
    """A reason: "a listing: 24 <article> blocks, 31 dates and no date by its headline"."""
    name = _NAMES.get(page_type, page_type)
    if not evidence:
        return name
    said = evidence[0] if len(evidence) == 1 else ", ".join(evidence[:-1]) + " and " + evidence[-1]
    return f"{name}: {said}"


class PageClassifier(Protocol):
    """Anything that decides a page from its measures: :class:`Model`, or a stand-in that
    records the measures (training) or uses a model that never saw the page's site
    (evaluation)."""

    def decide(
        self, page: dict[str, float], text: dict[str, float] | None, url: str
    ) -> Verdict: ...


class Model:
    """A multinomial logistic model over :data:`FEATURES` and, when its weights hold a word model
    (:class:`~crawler.page.pagewords.WordModel`), the word score: standardised inputs, one weight
    row and bias per page type. A page is an article when the article probability reaches
    ``threshold``; otherwise it is the most probable of the other types."""

    def __init__(self, data: dict, threshold: float) -> None:
        self.words = WordModel(data["words"]) if "words" in data else None
        if list(data["features"]) != self.inputs_named():
            raise ValueError(
                "page-type weights were trained on other features than this code reads; "
                "run scripts/train_pagetype.py again"
            )
        self.classes: list[str] = list(data["classes"])
        self.mean: list[float] = data["mean"]
        self.scale: list[float] = data["scale"]
        self.weights: list[list[float]] = data["weights"]
        self.bias: list[float] = data["bias"]
        self.threshold = threshold
        self._article = self.classes.index(ARTICLE)

    def inputs_named(self) -> list[str]:
        """The names of the model's inputs: :data:`FEATURES`, then :data:`WORDS` if it reads
        words."""
        return [*FEATURES, WORDS] if self.words is not None else list(FEATURES)

    def inputs(self, page: dict[str, float], text: dict[str, float] | None) -> list[float]:
        """The model's inputs for a page, in the order of :meth:`inputs_named`."""
        values = features(page, text)
        if self.words is not None:
            values.append(self.words.score(page, text))
        return values

    def probabilities(self, values: list[float]) -> tuple[list[float], list[float]]:
        """Return (probability per class, standardised inputs)."""
        z = [(v - m) / s for v, m, s in zip(values, self.mean, self.scale, strict=True)]
        logits = [
            b + sum(w * x for w, x in zip(row, z, strict=True))
            for row, b in zip(self.weights, self.bias, strict=True)
        ]
        top = max(logits)
        exps = [math.exp(v - top) for v in logits]
        total = sum(exps)
        return [e / total for e in exps], z

    def decide(self, page: dict[str, float], text: dict[str, float] | None, url: str) -> Verdict:
        """The verdict on a page from its measures (:func:`read_page`, :func:`read_text`)."""
        plain = evident(page, text)
        if plain is not None:
            return plain
        probs, z = self.probabilities(self.inputs(page, text))
        score = probs[self._article]
        others = [i for i in range(len(self.classes)) if i != self._article]
        rival = max(others, key=probs.__getitem__)
        chosen = self._article if score >= self.threshold else rival
        if chosen == self._article:
            return Verdict(ARTICLE, f"an article (score {score:.2f})", score)
        # Evidence: the inputs that pushed most toward the chosen type against an article.
        against = self._article
        pushes = [
            ((self.weights[chosen][j] - self.weights[against][j]) * z[j], j) for j in range(len(z))
        ]
        pushes.sort(reverse=True)
        evidence = []
        shown = _shown(page, text)
        named = self.inputs_named()
        for push, j in pushes:
            if push <= 0 or len(evidence) >= REASON_ITEMS:
                break
            phrase = _SAY.get(named[j], (None, None))[0 if z[j] > 0 else 1]
            if phrase:
                evidence.append(phrase.format(**shown))
        return Verdict(self.classes[chosen], describe(self.classes[chosen], evidence), score)


# A list of teasers: most of the extracted text in teasers, many repeated items (linked
# headings, <article> cards, dates) and no block of paragraphs of its own. Such a page is a list
# whatever its markup declares (templates stamp NewsArticle on section pages too).
GRID_TEASER_SHARE = 0.5
GRID_ITEMS = 10
GRID_MAX_BLOCK_CHARS = 500


# One page of a paginated list of dated entries (an events calendar, a dated archive): many
# parallel entries, each a heading, a date and a few lines, that together outweigh any block
# of prose on the page. A live blog's posts are prose: most run longer than this.
ENTRY_MAX_WORDS = 80


def _paged_entries(page: dict[str, float]) -> Verdict | None:
    entries = page.get("entries", 0.0)
    if (
        page.get("paginated", 0.0)
        and entries >= ENTRIES_MIN
        and page.get("entry_words", 0.0) <= ENTRY_MAX_WORDS
        and page["block_chars"] < page.get("entries_chars", 0.0)
    ):
        evidence = [
            f"{entries:.0f} dated entries of about {page['entry_words']:.0f} words",
            "links to its next or previous page",
            "no block of prose of its own",
        ]
        return Verdict(LISTING, describe(LISTING, evidence), 0.0)
    return None


# A topic, author, section or search page: a run of teasers (a linked headline, an excerpt of
# a line or two, perhaps a time or a byline) that holds as much text as all the page's
# paragraphs. An article's related stories sit beside a body that outweighs them.
TEASER_MAX_WORDS = 40


def _teaser_entries(page: dict[str, float]) -> Verdict | None:
    teasers = page.get("teasers", 0.0)
    if (
        teasers >= ENTRIES_MIN
        and page.get("teaser_words", 0.0) <= TEASER_MAX_WORDS
        and page.get("teasers_chars", 0.0) >= page.get("prose_chars", 0.0)
    ):
        evidence = [f"{teasers:.0f} teasers", "no prose outside them"]
        return Verdict(LISTING, describe(LISTING, evidence), 0.0)
    return None


def evident(page: dict[str, float], text: dict[str, float] | None) -> Verdict | None:
    """The verdict when the page's structure leaves no doubt, before any model; else None."""
    if page.get("search_results", 0.0):
        return Verdict(LISTING, describe(LISTING, ["its search box holds its URL's query"]), 0.0)
    listed = _paged_entries(page) or _teaser_entries(page)
    if listed is not None:
        return listed
    teasers = (text or {}).get("x_teaser_share", 0.0)
    items = max(page["linked_headings"], page["article"], page["dates"])
    if (
        teasers >= GRID_TEASER_SHARE
        and items >= GRID_ITEMS
        and page["block_chars"] < GRID_MAX_BLOCK_CHARS
    ):
        evidence = [
            f"{100 * teasers:.0f}% of its text is teasers",
            f"{items:.0f} repeated items",
            "no block of prose of its own",
        ]
        return Verdict(LISTING, describe(LISTING, evidence), 0.0)
    return None


def _shown(page: dict[str, float], text: dict[str, float] | None) -> dict[str, float]:
    chars = max(page["text_chars"], 1.0)
    return {
        **page,
        **(text or {"x_units": 0.0}),
        "link_pct": 100 * min(page["a_chars"] / chars, 1.0),
        "headline_pct": 100 * min(page["headline_chars"] / chars, 1.0),
        "block_pct": 100 * min(page["block_chars"] / chars, 1.0),
    }


# --- cross-validation folds and the weights file ----------------------------------------

_SECOND_LEVEL = frozenset({"co", "com", "org", "net", "gov", "ac", "or", "ne", "go", "edu"})


def domain_of(url: str) -> str:
    """The registrable domain of ``url``, roughly: "news.example.co.uk" -> "example.co.uk"."""
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    labels = host.split(".")
    keep = 3 if len(labels) > 2 and labels[-2] in _SECOND_LEVEL else 2
    return ".".join(labels[-keep:])


WEIGHTS_FILE = "pagetype_weights.json"


def fold_of(domain: str, folds: int) -> int:
    """The cross-validation fold of a domain: a stable hash, the same in every process."""
    digest = hashlib.blake2b(domain.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big") % folds


class Weights:
    """The trained weights file: the model, and the models of the cross-validation folds (each
    trained without the domains of its fold, to score those pages as if never seen)."""

    def __init__(self, data: dict) -> None:
        self.data = data
        self.threshold: float = data["threshold"]
        self.model = Model(data["model"], self.threshold)
        self.folds = [Model(fold, self.threshold) for fold in data.get("folds", [])]

    def for_unseen(self, url: str) -> Model:
        """The model that never saw ``url``'s domain in training (the fold model of its domain;
        the full model when there are no folds)."""
        if not self.folds:
            return self.model
        return self.folds[fold_of(domain_of(url), len(self.folds))]

    @classmethod
    def load(cls, path: str | None = None) -> Weights:
        """Read the weights from ``path``, or the package's own file."""
        if path is None:
            raw = resources.files("crawler.page").joinpath(WEIGHTS_FILE).read_text(encoding="utf-8")
        else:
            with open(path, encoding="utf-8") as handle:
                raw = handle.read()
        return cls(json.loads(raw))


@lru_cache(maxsize=1)
def weights() -> Weights:
    """The package's weights, read once per process."""
    return Weights.load()


def default_model() -> Model:
    """The model pages are decided with."""
    return weights().model


__all__ = [
    "ARTICLE",
    "PAGE_TYPES",
    "WORDS",
    "Model",
    "PageClassifier",
    "Verdict",
    "Weights",
    "default_model",
    "describe",
    "domain_of",
    "evident",
    "fold_of",
    "weights",
]
