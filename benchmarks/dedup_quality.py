"""Dedup quality benchmark: pairwise precision and recall of each preset on labelled edits.

Builds a labelled set of article pairs from real article texts (the shared corpus when present,
else the demo world's own stories):

* positives, one per edit type: new headline, dateline prefix, a dropped paragraph, an added
  paragraph, a few substituted words, different site boilerplate, an AMP/print copy (same words,
  other whitespace, quotes and paragraph breaks), and all of the light edits combined;
* copies of another length: a truncated copy (the first 3+ paragraphs, 25-60% of the text), an
  excerpt cut mid-paragraph that ends in a "read the full story" line, a copy still carrying
  100-200 words of its outlet's teaser headlines, nav and footer lines that cleaning missed, and
  the story followed by other wire briefs;
* syndicated rewrites (two paragraphs cut, two swapped, a note added, a dozen words changed):
  duplicates for the "syndicated" preset, left out of the scores of "same-article";
* hard negatives: the most similar pairs of different real articles, follow-up stories that reuse
  one or two background paragraphs (the longest) of an earlier one, short briefs sharing a long
  standard paragraph, and different articles on two sites of one network wrapped in the same
  100-200 words of the network's furniture, with their whole body or with only their first
  paragraph (extraction lost the rest); plus random pairs.

Where a pair carries outlet or network furniture, a few earlier pages of the same sites with the
same furniture are stored before it (``--context``), as a crawl of those sites would have.

Pairs of "different" real articles with the same title are left out: in this corpus they are
the same article captured twice. Each pair runs end to end in both arrival orders, each time in
a fresh in-memory store (a copy of an empty one): the pair counts as "duplicate" when the second
text joins the first one's story. Two engines: ``store``, ``Store.add_article`` as it is
(exact text, resemblance, containment: storage.containment), and ``resemblance``, the same
store without its containment tier and furniture check, as it decided before them. The same
pairs are also scored with the MinHash signature estimate instead of exact Jaccard as the
verifier, to show which of the two is right.

Chinese and Japanese articles (fundus and aeb truth, trafilatura_eval pages) are left out of
those rows and get a row of their own: the same edits with their own datelines, notes,
boilerplate and standard paragraphs, a substituted "word" being two characters, each edit
drawn ``--cjk-draws`` times (there are few such articles), against briefs, follow-ups and
every pair of different articles.

    python benchmarks/dedup_quality.py [--corpus PATH] [--limit N] [--seed S] [--context N]
                                       [--engines resemblance,store] [--explain] [--cjk-draws N]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import random
import re
import sqlite3
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import sqlite_utils

from storage import PRESETS, Store
from storage.containment import DEFAULT_PARAMS, ContainmentParams, Profile, compare
from storage.dedup import Fingerprint
from storage.matcher import Match, SqliteMatcher
from storage.minhash import (
    MIN_MINHASH_WORDS,
    band_keys,
    estimate,
    jaccard,
    shingles,
    signature_from_shingles,
)
from storage.normalize import words
from storage.textunits import is_unspaced, units, word_count

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
MIN_SOURCE_WORDS = 120  # source articles shorter than this cannot carry every edit type

DATELINES = [
    "LONDON (Reuters) - ",
    "WASHINGTON (AP) — ",
    "PARIS, May 3 (AFP) - ",
    "BERLIN — ",
    "NEW DELHI: ",
    "SYDNEY, Australia (AP) — ",
]
BOILERPLATE = [
    "Follow the Daily Courier on Facebook and X for the latest news and updates.",
    "© 2024 Herald Media Group. All rights reserved. This material may not be published, "
    "broadcast, rewritten or redistributed.",
    "Sign up for our morning newsletter to get the day's top stories in your inbox.",
    "Additional reporting by staff writers. Editing by the news desk.",
]
EDITOR_NOTES = [
    "This article has been updated to include a statement from the ministry, which was received "
    "after publication, and to correct the spelling of a spokesperson's name.",
    "Officials did not immediately respond to requests for comment on Friday. A spokesperson said "
    "a fuller statement would follow once the review had been completed.",
]
# Long standard paragraphs that many short, different briefs carry verbatim.
STANDARD_PARAGRAPHS = [
    "About the Index: The regional composite index tracks the share prices of the two hundred "
    "largest listed companies by market capitalisation, weighted by free float and rebalanced "
    "every quarter. Figures are provisional until the close of the following trading day and may "
    "be revised. Past performance is not a reliable guide to future returns, and nothing in this "
    "report is investment advice.",
    "If you or someone you know is struggling, help is available around the clock. Call the free "
    "national helpline on 116 123 or text the crisis line on 85258 to speak to a trained "
    "volunteer. In an emergency, call 999 or go to the nearest accident and emergency department, "
    "where staff will make sure you are safe and get the support you need.",
    "The weather service issues warnings when heavy rain, strong winds or snow are expected to "
    "cause disruption. A yellow warning means people should be aware of possible travel delays; "
    "amber means there is an increased likelihood of impacts such as power cuts and flooding; red "
    "means dangerous weather is expected and people should take action to stay safe.",
]
SUBSTITUTES = {
    "said": "stated",
    "says": "stated",
    "told": "informed",
    "the": "a",
    "percent": "per cent",
    "about": "around",
    "more": "further",
    "new": "fresh",
}


@dataclass(frozen=True)
class Doc:
    title: str
    paragraphs: tuple[str, ...]

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)


@dataclass(frozen=True)
class Pair:
    kind: str
    label: str  # "dup", "diff", or "rewrite" (a duplicate only for the syndicated preset)
    a: Doc
    b: Doc
    hosts: tuple[str, str] = ("a.example", "b.example")
    # Earlier pages of the pair's sites (host, text), stored before the pair in either order.
    context: tuple[tuple[str, str], ...] = field(default=(), compare=False)

    def duplicate(self, preset: str) -> bool | None:
        """The label for ``preset``; None when the pair does not count for it."""
        if self.label == "rewrite":
            return True if preset == "syndicated" else None
        return self.label == "dup"


# ------------------------------------------------------------------ source texts


def load_corpus(root: Path) -> list[Doc]:
    """Article bodies from the shared corpus (aeb + fundus ground truth); empty when absent."""
    docs: list[Doc] = []
    aeb = root / "aeb" / "ground-truth.json"
    if aeb.exists():
        for item in json.loads(aeb.read_text(encoding="utf-8")).values():
            body = item.get("articleBody") or ""
            paragraphs = tuple(p.strip() for p in body.split("\n") if p.strip())
            docs.append(Doc(item.get("url", ""), paragraphs))
    for path in sorted((root / "fundus" / "ground-truth").glob("*.json")):
        item = json.loads(path.read_text(encoding="utf-8"))
        paragraphs = tuple(p.strip() for p in item.get("paragraphs") or () if p.strip())
        docs.append(Doc(item.get("title") or path.stem, paragraphs))
    return docs


def load_demo() -> list[Doc]:
    """The demo world's own stories, the fallback when the corpus is absent.

    The demo module also holds the syndicated copies of its stories; only the first of each
    family of similar texts is kept, so the source articles are all different.
    """
    from crawler.demo import stories

    docs: list[Doc] = []
    kept: list[set[int]] = []
    for value in vars(stories).values():
        if not isinstance(value, stories.Story):
            continue
        sh = shingles(words("\n".join(value.paragraphs)), 5)
        if all(jaccard(sh, other) < 0.2 for other in kept):
            kept.append(sh)
            docs.append(Doc(value.title, value.paragraphs))
    return docs


def usable(docs: list[Doc]) -> list[Doc]:
    return [d for d in docs if len(d.paragraphs) >= 3 and len(words(d.text)) >= MIN_SOURCE_WORDS]


# ------------------------------------------------------------------ edits


def new_headline(doc: Doc, rng: random.Random) -> Doc:
    return Doc("Exclusive: " + doc.title[::-1], doc.paragraphs)


def dateline(doc: Doc, rng: random.Random) -> Doc:
    first = rng.choice(DATELINES) + doc.paragraphs[0]
    return Doc(doc.title, (first, *doc.paragraphs[1:]))


def drop_paragraph(doc: Doc, rng: random.Random) -> Doc:
    # Prefer a paragraph of ordinary size: dropping half the article is a different article.
    sizes = [len(p.split()) for p in doc.paragraphs]
    total = sum(sizes)
    choices = [i for i, n in enumerate(sizes) if i > 0 and n <= total * 0.2] or [len(sizes) - 1]
    i = rng.choice(choices)
    return Doc(doc.title, doc.paragraphs[:i] + doc.paragraphs[i + 1 :])


def add_paragraph(doc: Doc, rng: random.Random) -> Doc:
    i = rng.randrange(1, len(doc.paragraphs) + 1)
    return Doc(doc.title, (*doc.paragraphs[:i], rng.choice(EDITOR_NOTES), *doc.paragraphs[i:]))


def substitute_words(doc: Doc, rng: random.Random, count: int = 4) -> Doc:
    paragraphs = [p.split(" ") for p in doc.paragraphs]
    slots = [(i, j) for i, p in enumerate(paragraphs) for j in range(len(p))]
    for i, j in rng.sample(slots, min(count, len(slots))):
        word = paragraphs[i][j]
        paragraphs[i][j] = SUBSTITUTES.get(word.lower(), word + "s")
    return Doc(doc.title, tuple(" ".join(p) for p in paragraphs))


def boilerplate(doc: Doc, rng: random.Random) -> Doc:
    return Doc(doc.title, (*doc.paragraphs, *rng.sample(BOILERPLATE, 2)))


def amp_print(doc: Doc, rng: random.Random) -> Doc:
    # Same words: typographic quotes and dashes, doubled spaces, paragraphs joined in pairs.
    table = str.maketrans({'"': "“", "'": "’", "-": "–"})
    merged = []
    for k in range(0, len(doc.paragraphs), 2):
        merged.append("  ".join(doc.paragraphs[k : k + 2]).translate(table))
    return Doc(doc.title, tuple(merged))


def combined(doc: Doc, rng: random.Random) -> Doc:
    out = substitute_words(drop_paragraph(dateline(new_headline(doc, rng), rng), rng), rng)
    return boilerplate(out, rng)


def rewrite(doc: Doc, rng: random.Random) -> Doc:
    paragraphs = list(doc.paragraphs)
    if len(paragraphs) > 4:
        for _ in range(2):
            del paragraphs[rng.randrange(1, len(paragraphs))]
    i = rng.randrange(1, len(paragraphs))
    paragraphs[i - 1], paragraphs[i] = paragraphs[i], paragraphs[i - 1]
    paragraphs.insert(rng.randrange(1, len(paragraphs) + 1), rng.choice(EDITOR_NOTES))
    return dateline(substitute_words(Doc(doc.title, tuple(paragraphs)), rng, 12), rng)


EDITS: dict[str, Callable[[Doc, random.Random], Doc]] = {
    "new headline": new_headline,
    "dateline": dateline,
    "dropped paragraph": drop_paragraph,
    "added paragraph": add_paragraph,
    "substituted words": substitute_words,
    "site boilerplate": boilerplate,
    "AMP/print copy": amp_print,
    "all light edits": combined,
}


# ------------------------------------------------------------------ negatives


def most_similar_pairs(docs: list[Doc], count: int) -> list[tuple[Doc, Doc]]:
    """The ``count`` pairs of different articles with the most words in common (same subject)."""
    vocab = [set(words(d.text)) for d in docs]
    titles = [" ".join(words(d.title)) for d in docs]
    scored = []
    for i in range(len(docs)):
        for j in range(i + 1, len(docs)):
            if titles[i] == titles[j]:
                continue  # the same article captured twice, not a different one
            inter = len(vocab[i] & vocab[j])
            if inter:
                scored.append((inter / len(vocab[i] | vocab[j]), i, j))
    scored.sort(reverse=True)
    return [(docs[i], docs[j]) for _, i, j in scored[:count]]


def follow_up(doc: Doc, other: Doc, rng: random.Random, reused: int = 1) -> Doc:
    # A new story that reuses the ``reused`` longest background paragraphs of the earlier one.
    background = sorted(doc.paragraphs, key=len, reverse=True)[:reused]
    body = list(other.paragraphs[:4])
    body[1:1] = background
    return Doc("Follow-up: " + other.title, tuple(body))


def brief(doc: Doc, standard: str, rng: random.Random) -> Doc:
    # A short brief (two sentences of news) carrying a long standard paragraph.
    sentences = [s for s in doc.text.replace("\n", " ").split(". ") if len(s.split()) > 6]
    start = rng.randrange(max(1, len(sentences) - 2))
    return Doc("Brief: " + doc.title, (". ".join(sentences[start : start + 2]) + ".", standard))


# ------------------------------------------------------------------ copies of another length

READ_MORE = [
    "Read the full story at {name}.",
    "Continue reading this article on the {name} website.",
    "This is an excerpt. The full article is available at {host}.",
    "Click here to read the rest of this story on {name}.",
]
NAV = (
    "Home News Local Sports Business Opinion Obituaries Weather Entertainment Lifestyle "
    "E-Edition Classifieds Jobs Events Newsletters Podcasts Contact"
).split()
FOOTER = [
    "© 2024 {name}. All rights reserved.",
    "Terms of Use | Privacy Policy | Cookie Settings | Accessibility | Contact Us",
    "{name} is part of the {network} family of local news sites serving communities across "
    "the region.",
    "Get the latest local news delivered to your inbox every morning. Sign up for the {name} "
    "newsletter today.",
    "Have a news tip? Email our newsroom or call the news desk; we read every message.",
    "Support local journalism: subscribe to {name} for unlimited digital access, the daily "
    "e-edition and exclusive offers from our partners.",
    "Comments are moderated and may take up to a day to appear. Please keep the discussion "
    "civil and on topic.",
]
NETWORKS = ["Valley Media", "Harbor News Group", "Prairie Publishing", "Summit Local"]


def teaser(doc: Doc, rng: random.Random) -> str:
    """A headline-like line: the start of another article's first paragraph."""
    ws = doc.paragraphs[0].split()
    return " ".join(ws[: rng.randint(7, 13)])


def furniture(
    name: str, network: str, docs: list[Doc], rng: random.Random
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """An outlet's (top, bottom) lines that cleaning missed: nav, teasers, footer; 100-200 words."""
    target = rng.randint(100, 200)
    top = [" ".join(rng.sample(NAV, rng.randint(6, 10))), "Trending"]
    top += [teaser(d, rng) for d in rng.sample(docs, 3)]
    bottom = ["More from " + name]
    bottom += [teaser(d, rng) for d in rng.sample(docs, 2)]
    footer = [f.format(name=name, network=network) for f in FOOTER]
    rng.shuffle(footer)
    count = sum(len(line.split()) for line in top + bottom)
    for line in footer:
        if count >= target:
            break
        bottom.append(line)
        count += len(line.split())
    return tuple(top), tuple(bottom)


def leading(doc: Doc, rng: random.Random) -> int | None:
    """How many leading paragraphs (3 or more) make 25-60% of the text; None when none do."""
    sizes = [len(words(p)) for p in doc.paragraphs]
    total = sum(sizes)
    fits = [k for k in range(3, len(sizes)) if 0.25 <= sum(sizes[:k]) / total <= 0.60]
    return rng.choice(fits) if fits else None


def truncated(doc: Doc, rng: random.Random) -> Doc | None:
    k = leading(doc, rng)
    return None if k is None else Doc(doc.title, doc.paragraphs[:k])


def excerpt(doc: Doc, rng: random.Random) -> Doc | None:
    # Cut inside the last paragraph kept, as teaser feeds do, and point to the full story.
    k = leading(doc, rng)
    if k is None:
        return None
    last = doc.paragraphs[k - 1].split()
    cut = " ".join(last[: max(3, len(last) * 2 // 3)]) + " …"
    name = rng.choice(NETWORKS)
    line = rng.choice(READ_MORE).format(name=name, host="www.example.com")
    return Doc(doc.title, (*doc.paragraphs[: k - 1], cut, line))


def with_briefs(doc: Doc, others: list[Doc], rng: random.Random) -> Doc:
    # The story, then other wire briefs: the lead paragraph or two of other stories.
    paragraphs = list(doc.paragraphs)
    for other in others:
        paragraphs.append(other.title if len(other.title.split()) > 3 else teaser(other, rng))
        paragraphs.extend(other.paragraphs[: rng.randint(1, 2)])
    return Doc(doc.title, tuple(paragraphs))


def wrapped(doc: Doc, top: tuple[str, ...], bottom: tuple[str, ...], body: int = 0) -> Doc:
    """``doc`` between furniture lines; only its first ``body`` paragraphs when set."""
    paragraphs = doc.paragraphs[:body] if body else doc.paragraphs
    return Doc(doc.title, (*top, *paragraphs, *bottom))


# ------------------------------------------------------------------ building


def build_pairs(docs: list[Doc], rng: random.Random, context: int = 3) -> list[Pair]:
    pairs: list[Pair] = []
    for doc in docs:
        for kind, edit in EDITS.items():
            pairs.append(Pair(kind, "dup", doc, edit(doc, rng)))
        pairs.append(Pair("syndicated rewrite", "rewrite", doc, rewrite(doc, rng)))
    for doc in docs:
        short = truncated(doc, rng)
        if short is not None:
            pairs.append(Pair("truncated copy", "dup", doc, short))
        cut = excerpt(doc, rng)
        if cut is not None:
            pairs.append(Pair("excerpt + read-more line", "dup", doc, cut))
        others = [d for d in rng.sample(docs, 4) if d is not doc][: rng.randint(2, 3)]
        pairs.append(Pair("story + other wire briefs", "dup", doc, with_briefs(doc, others, rng)))
    for n, doc in enumerate(docs):
        # One outlet's copy still carries its teasers, nav and footer; the site's earlier pages
        # carry the same lines.
        host = f"outlet{n}.example"
        top, bottom = furniture(f"The Outlet {n}", rng.choice(NETWORKS), docs, rng)
        pages = tuple(
            (host, wrapped(d, top, bottom).text) for d in rng.sample(docs, context + 1)[:context]
        )
        pairs.append(
            Pair(
                "copy + outlet lines",
                "dup",
                doc,
                wrapped(dateline(doc, rng), top, bottom),
                ("wire.example", host),
                pages,
            )
        )
    for a, b in most_similar_pairs(docs, max(20, len(docs) // 2)):
        pairs.append(Pair("same subject", "diff", a, b))
    for doc in docs:
        other = rng.choice(docs)
        if other is not doc:
            pairs.append(
                Pair("follow-up reusing a paragraph", "diff", doc, follow_up(doc, other, rng))
            )
        other = rng.choice(docs)
        if other is not doc:
            again = follow_up(doc, other, rng, reused=2)
            pairs.append(Pair("follow-up reusing 2 paragraphs", "diff", doc, again))
    for k in range(len(docs)):
        standard = STANDARD_PARAGRAPHS[k % len(STANDARD_PARAGRAPHS)]
        a, b = rng.sample(docs, 2)
        briefs = (brief(a, standard, rng), brief(b, standard, rng))
        pairs.append(Pair("briefs sharing a paragraph", "diff", *briefs))
    for kind, body in (("network furniture, whole bodies", 0), ("network furniture, lead only", 1)):
        for n in range(len(docs)):
            # Two sites of one network: the same furniture around two different stories.
            network = NETWORKS[n % len(NETWORKS)]
            hosts = (f"site{n}a.example", f"site{n}b.example")
            top, bottom = furniture(network, network, docs, rng)
            a, b, *earlier = rng.sample(docs, 2 + 2 * context)
            pages = tuple(
                (hosts[i % 2], wrapped(d, top, bottom).text) for i, d in enumerate(earlier)
            )
            pair = (wrapped(a, top, bottom, body), wrapped(b, top, bottom, body))
            pairs.append(Pair(kind, "diff", *pair, hosts, pages))
    for _ in range(len(docs)):
        a, b = rng.sample(docs, 2)
        pairs.append(Pair("random pair", "diff", a, b))
    return pairs


# ------------------------------------------------------------------ engines

CONTAINMENT = DEFAULT_PARAMS  # --param overrides it

ORDERS = ("a>b", "b>a")
_TEMPLATES: dict[str, Store] = {}


class ResemblanceOnly(SqliteMatcher):
    """The store's matcher without its containment tier and furniture check (as before them)."""

    def find_contained(self, fp: Fingerprint, **_: object) -> Match | None:
        return None

    def _furniture_made(self, fp: Fingerprint, near: Match, before: int | None) -> bool:
        return False


def fresh_store(preset: str, engine: str = "store") -> Store:
    """An empty store of ``preset``: a copy of one opened once, 100x cheaper than opening.

    ``engine``: "store", the store as it is (with CONTAINMENT), or "resemblance", without its
    containment tier.
    """
    template = _TEMPLATES.get(preset)
    if template is None:
        template = _TEMPLATES[preset] = Store.open(":memory:", preset=preset)
    conn = sqlite3.connect(":memory:", isolation_level=None)
    template.conn.backup(conn)
    conn.row_factory = sqlite3.Row
    db = sqlite_utils.Database(conn)
    store = Store(db, ":memory:", template.params, template.threshold, template.preset)
    kind = ResemblanceOnly if engine == "resemblance" else SqliteMatcher
    store._local = store.matcher = kind(conn, store.params, store.threshold, CONTAINMENT)
    return store


def arrivals(pair: Pair, order: str) -> Iterator[tuple[str, str, str]]:
    """(url, title, text) of the context pages, then the pair's two texts in ``order``."""
    for i, (host, text) in enumerate(pair.context):
        yield f"https://{host}/earlier/{i}", "Earlier", text
    first, second = (0, 1) if order == "a>b" else (1, 0)
    docs = (pair.a, pair.b)
    for i in (first, second):
        yield f"https://{pair.hosts[i]}/story", docs[i].title, docs[i].text


def store_says_duplicate(pair: Pair, preset: str, order: str = "a>b") -> bool:
    """Whether the second text of ``order`` joins the first one's story in the store as it is."""
    return says_duplicate(pair, preset, order, "store").linked


@dataclass
class Outcome:
    linked: bool
    how: str  # the second text's match kind, or why containment said no


def says_duplicate(pair: Pair, preset: str, order: str, engine: str) -> Outcome:
    """Whether the second text of ``order`` joins the first one's story, and how."""
    with fresh_store(preset, engine) as store:
        results = [
            store.add_article({"url": url, "title": title, "text": text})
            for url, title, text in arrivals(pair, order)
        ]
        first, second = results[-2:]
        linked = store.story(first.article_id)["id"] == store.story(second.article_id)["id"]
        how = second.match or "new"
        if not linked and second.match is None:
            index = store._local.containment
            check = index.compare_stored(
                index.profile(pair.b.text if order == "a>b" else pair.a.text),
                first.article_id,
                before=second.article_id,
            )
            if check is not None:
                how = check.reason(index.params)
    return Outcome(linked, how)


def estimate_says_duplicate(pair: Pair, preset: str) -> bool:
    """The same decision with the signature estimate as verifier instead of exact Jaccard."""
    p = PRESETS[preset]
    wa, wb = words(pair.a.text), words(pair.b.text)
    if wa == wb and len(wa) >= 10:
        return True
    if min(len(wa), len(wb)) < MIN_MINHASH_WORDS:
        return False
    sa = signature_from_shingles(shingles(wa, p.params.shingle_size), p.params)
    sb = signature_from_shingles(shingles(wb, p.params.shingle_size), p.params)
    if not set(band_keys(sa, p.params)) & set(band_keys(sb, p.params)):
        return False
    return estimate(sa, sb) >= p.threshold


def exact_jaccard(pair: Pair, size: int) -> float:
    return jaccard(shingles(words(pair.a.text), size), shingles(words(pair.b.text), size))


def containment_share(pair: Pair) -> float:
    """Exact containment of the pair's texts, no furniture known (the larger of both ways)."""
    return compare(Profile.of(pair.a.text), Profile.of(pair.b.text), set()).share


# ------------------------------------------------------------------ scoring

Counts = dict[str, dict[str, int]]


def score(pairs: list[Pair], decide: Callable[[Pair], bool]) -> Counts:
    counts: Counts = defaultdict(lambda: {"n": 0, "yes": 0})
    for pair in pairs:
        c = counts[pair.kind]
        c["n"] += 1
        c["yes"] += decide(pair)
    return counts


def summary(pairs: list[Pair], counts: Counts, preset: str) -> tuple[float, float]:
    """Pairwise (precision, recall) for ``preset`` over the pairs that count for it."""
    labels = {p.kind: p.duplicate(preset) for p in pairs}
    tp = sum(c["yes"] for k, c in counts.items() if labels[k])
    pos = sum(c["n"] for k, c in counts.items() if labels[k])
    fp = sum(c["yes"] for k, c in counts.items() if labels[k] is False)
    precision = tp / (tp + fp) if tp + fp else 1.0
    return precision, tp / pos if pos else 0.0


def merged(*counts: Counts) -> Counts:
    out: Counts = defaultdict(lambda: {"n": 0, "yes": 0})
    for c in counts:
        for kind, v in c.items():
            out[kind]["n"] += v["n"]
            out[kind]["yes"] += v["yes"]
    return out


# ------------------------------------------------------------------ unspaced scripts (CJK)

# The same edits on Chinese and Japanese articles, with their own datelines, notes, boilerplate
# and standard paragraphs; a "word" substituted is two characters.
CJK_SHARE = 0.3  # a text is CJK when this share of its units are unspaced characters
CJK_DATELINES = [
    "【新華社北京5月3日】",
    "【ソウル共同】",
    "東京（ロイター）－",
    "人民网北京4月24日电 ",
    "【北京時事】",
    "（中央社记者台北3日电）",
]
CJK_NOTES = [
    "この記事は、省の担当者のコメントを追加し、広報担当者の名前の表記を訂正して更新しました。"
    "掲載後に届いた声明の内容も反映しています。",
    "本文已更新，补充了该部门在发稿后发表的声明，并更正了一名发言人的姓名。"
    "有关方面表示，将在审查完成后发布更完整的说明。",
]
CJK_BOILERPLATE = [
    "無断転載・複製を禁じます。記事の内容は掲載時点のものです。",
    "関連記事やニュース速報をアプリでお届けします。ダウンロードは無料です。",
    "（责任编辑：王小明）转载请注明来源。",
    "欢迎关注本报微信公众号，获取更多新闻资讯。",
]
CJK_STANDARD_PARAGRAPHS = [
    "気象庁は、大雨や暴風、大雪などによって災害が起こるおそれがあるときに注意報を、重大な災害が"
    "起こるおそれがあるときに警報を発表します。さらに、数十年に一度の現象が予想される場合には特別"
    "警報を発表し、ただちに命を守る行動をとるよう呼びかけています。最新の情報は気象庁のホーム"
    "ページなどで確認してください。",
    "本指数由市值最大的二百家上市公司组成，按自由流通市值加权，每季度调整一次成分股。当日数据"
    "为初步统计结果，以次一交易日收盘后公布的数据为准，可能有所修订。过往表现不代表未来收益，"
    "本报道内容不构成任何投资建议，投资者据此操作，风险自担。",
    "悩みを抱えている人のための相談窓口があります。厚生労働省のホームページでは、電話やSNSで"
    "相談できる窓口を紹介しています。一人で悩まず、まずは話してみてください。緊急の場合は、"
    "ためらわずに110番や119番に通報してください。",
]


def is_cjk(text: str) -> bool:
    unit_list = units(text)
    return bool(unit_list) and sum(map(is_unspaced, unit_list)) >= CJK_SHARE * len(unit_list)


def _cjk_paragraphs(text: str) -> tuple[str, ...]:
    paragraphs = [p.strip() for p in re.split(r"\n|\s{2,}", text) if p.strip()]
    if len(paragraphs) < 3:  # a two-paragraph story: its sentences stand for paragraphs
        paragraphs = [s + "。" for p in paragraphs for s in p.split("。") if s.strip()]
    return tuple(paragraphs)


def load_cjk(root: Path) -> list[Doc]:
    """Chinese and Japanese articles of the shared corpus: fundus and aeb truth, and the
    trafilatura_eval pages' text as trafilatura extracts it (that set has no full truth)."""
    import gzip

    import trafilatura

    texts: list[tuple[str, str]] = [(d.title, d.text) for d in load_corpus(root)]
    traf = root / "trafilatura_eval"
    if (traf / "evaldata.json").exists():
        for url, item in json.loads((traf / "evaldata.json").read_text("utf-8")).items():
            if not is_cjk(" ".join(item.get("with") or ())):
                continue
            html = gzip.decompress((traf / "html" / f"{item['file']}.gz").read_bytes())
            texts.append((url, trafilatura.extract(html.decode("utf-8", "replace")) or ""))
    return [Doc(title, _cjk_paragraphs(text)) for title, text in texts if is_cjk(text)]


def _cjk_japanese(doc: Doc) -> bool:
    return re.search("[\u3040-\u309f]", doc.text) is not None  # hiragana


def cjk_dateline(doc: Doc, rng: random.Random) -> Doc:
    first = rng.choice(CJK_DATELINES) + doc.paragraphs[0]
    return Doc(doc.title, (first, *doc.paragraphs[1:]))


def cjk_drop_paragraph(doc: Doc, rng: random.Random) -> Doc:
    sizes = [word_count(p) for p in doc.paragraphs]
    total = sum(sizes)
    choices = [i for i, n in enumerate(sizes) if i > 0 and n <= total * 0.2] or [len(sizes) - 1]
    i = rng.choice(choices)
    return Doc(doc.title, doc.paragraphs[:i] + doc.paragraphs[i + 1 :])


def cjk_add_paragraph(doc: Doc, rng: random.Random) -> Doc:
    note = CJK_NOTES[0 if _cjk_japanese(doc) else 1]
    i = rng.randrange(1, len(doc.paragraphs) + 1)
    return Doc(doc.title, (*doc.paragraphs[:i], note, *doc.paragraphs[i:]))


def cjk_substitute_words(doc: Doc, rng: random.Random, count: int = 4) -> Doc:
    # A word of two characters replaced by another: 替代 for Chinese, 変更 for Japanese.
    paragraphs = [list(p) for p in doc.paragraphs]
    slots = [
        (i, j)
        for i, p in enumerate(paragraphs)
        for j in range(len(p) - 1)
        if is_unspaced(p[j]) and is_unspaced(p[j + 1])
    ]
    other = "変更" if _cjk_japanese(doc) else "替代"
    for i, j in rng.sample(slots, min(count, len(slots))):
        paragraphs[i][j : j + 2] = other
    return Doc(doc.title, tuple("".join(p) for p in paragraphs))


def cjk_boilerplate(doc: Doc, rng: random.Random) -> Doc:
    return Doc(doc.title, (*doc.paragraphs, *rng.sample(CJK_BOILERPLATE, 2)))


def cjk_combined(doc: Doc, rng: random.Random) -> Doc:
    out = cjk_dateline(new_headline(doc, rng), rng)
    return cjk_boilerplate(cjk_substitute_words(cjk_drop_paragraph(out, rng), rng), rng)


def cjk_rewrite(doc: Doc, rng: random.Random) -> Doc:
    paragraphs = list(doc.paragraphs)
    if len(paragraphs) > 4:
        for _ in range(2):
            del paragraphs[rng.randrange(1, len(paragraphs))]
    i = rng.randrange(1, len(paragraphs))
    paragraphs[i - 1], paragraphs[i] = paragraphs[i], paragraphs[i - 1]
    note = CJK_NOTES[0 if _cjk_japanese(doc) else 1]
    paragraphs.insert(rng.randrange(1, len(paragraphs) + 1), note)
    return cjk_dateline(cjk_substitute_words(Doc(doc.title, tuple(paragraphs)), rng, 12), rng)


CJK_EDITS: dict[str, Callable[[Doc, random.Random], Doc]] = {
    "new headline": new_headline,
    "dateline": cjk_dateline,
    "dropped paragraph": cjk_drop_paragraph,
    "added paragraph": cjk_add_paragraph,
    "substituted words": cjk_substitute_words,
    "site boilerplate": cjk_boilerplate,
    "AMP/print copy": amp_print,
    "all light edits": cjk_combined,
}


def cjk_brief(doc: Doc, standard: str, rng: random.Random) -> Doc:
    sentences = [s for s in doc.text.replace("\n", "").split("。") if word_count(s) > 6]
    start = rng.randrange(max(1, len(sentences) - 2))
    return Doc("Brief: " + doc.title, ("。".join(sentences[start : start + 2]) + "。", standard))


def build_cjk_pairs(docs: list[Doc], rng: random.Random, rounds: int) -> list[Pair]:
    """The pairs of :func:`build_pairs` for CJK articles, each edit drawn ``rounds`` times
    (there are few such articles)."""
    pairs: list[Pair] = []
    for _ in range(rounds):
        for doc in docs:
            for kind, edit in CJK_EDITS.items():
                pairs.append(Pair(kind, "dup", doc, edit(doc, rng)))
            pairs.append(Pair("syndicated rewrite", "rewrite", doc, cjk_rewrite(doc, rng)))
        for doc in docs:
            other = rng.choice(docs)
            if other is not doc:
                pairs.append(
                    Pair("follow-up reusing a paragraph", "diff", doc, follow_up(doc, other, rng))
                )
        for k in range(len(docs)):
            standard = CJK_STANDARD_PARAGRAPHS[k % len(CJK_STANDARD_PARAGRAPHS)]
            a, b = rng.sample(docs, 2)
            briefs = (cjk_brief(a, standard, rng), cjk_brief(b, standard, rng))
            pairs.append(Pair("briefs sharing a paragraph", "diff", *briefs))
    for a, b in most_similar_pairs(docs, len(docs) * (len(docs) - 1) // 2):
        pairs.append(Pair("every other pair", "diff", a, b))
    return pairs


def cjk_report(root: Path, rng: random.Random, draws: int) -> None:
    """Print the precision and recall of each preset on the CJK pairs, as a row of their own."""
    docs = [d for d in load_cjk(root) if len(d.paragraphs) >= 3]
    docs = [d for d in docs if word_count(d.text) >= MIN_SOURCE_WORDS]
    if len(docs) < 2:
        print("\nno Chinese or Japanese articles in the corpus: no CJK row")
        return
    pairs = build_cjk_pairs(docs, rng, draws)
    by_label = {lab: sum(p.label == lab for p in pairs) for lab in ("dup", "rewrite", "diff")}
    print(
        f"\nChinese and Japanese articles: {len(docs)}, each edit drawn {draws} times: "
        f"{by_label['dup']} duplicate, {by_label['rewrite']} syndicated rewrites, "
        f"{by_label['diff']} not duplicate pairs"
    )
    kinds = list(dict.fromkeys(p.kind for p in pairs))
    for name, preset in PRESETS.items():
        stored = score(pairs, lambda p, name=name: store_says_duplicate(p, name))
        print(f"preset {name!r} on CJK pairs (char shingles of {preset.params.char_shingle_size})")
        for kind in kinds:
            c = stored[kind]
            print(f"  {kind:32} {c['n']:>6} {c['yes'] / c['n']:>8.3f}")
        p, r = summary(pairs, stored, name)
        print(f"  {'CJK precision / recall (store, exact Jaccard)':48} {p:.4f} / {r:.4f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--limit", type=int, default=0, help="use at most N source articles")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--context", type=int, default=3, help="earlier pages per site carrying its furniture"
    )
    parser.add_argument("--engines", default="resemblance,store")
    parser.add_argument("--presets", default=",".join(PRESETS))
    parser.add_argument(
        "--explain", action="store_true", help="count why containment missed or merged"
    )
    parser.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="override a storage.containment.ContainmentParams field",
    )
    parser.add_argument("--cjk-draws", type=int, default=5, help="draws of each CJK edit")
    args = parser.parse_args(argv)
    global CONTAINMENT
    overrides = dict(item.split("=", 1) for item in args.param)
    CONTAINMENT = ContainmentParams.from_meta(
        {**DEFAULT_PARAMS.to_meta(), **{f"containment_{k}": v for k, v in overrides.items()}}
    )
    rng = random.Random(args.seed)
    docs = [d for d in usable(load_corpus(args.corpus)) if not is_cjk(d.text)]  # own row below
    source = f"shared corpus at {args.corpus}"
    if not docs:
        docs = usable(load_demo())
        source = "demo world stories (corpus absent)"
    if args.limit:
        docs = docs[: args.limit]
    pairs = build_pairs(docs, rng, args.context)
    engines = args.engines.split(",")
    by_label = {lab: sum(p.label == lab for p in pairs) for lab in ("dup", "rewrite", "diff")}
    print(f"source: {source}: {len(docs)} articles")
    print(
        f"pairs: {by_label['dup']} duplicate, {by_label['rewrite']} syndicated rewrites, "
        f"{by_label['diff']} not duplicate; each in both arrival orders; {args.context} earlier "
        f"pages per site where furniture is involved\n"
    )
    kinds = list(dict.fromkeys(p.kind for p in pairs))
    labels = {p.kind: p.label for p in pairs}
    for name in args.presets.split(","):
        preset = PRESETS[name]
        started = time.perf_counter()
        results: dict[tuple[str, str], Counts] = {}
        reasons: dict[str, Counter[str]] = defaultdict(Counter)
        for order in ORDERS:
            for engine in engines:

                def decide(
                    p: Pair,
                    name: str = name,
                    order: str = order,
                    engine: str = engine,
                    reasons: dict = reasons,
                ) -> bool:
                    outcome = says_duplicate(p, name, order, engine)
                    label = p.duplicate(name)
                    explain = args.explain and engine == "store" and label is not None
                    if explain and outcome.linked != label:
                        reasons[p.kind][outcome.how] += 1
                    return outcome.linked

                results[engine, order] = score(pairs, decide)
        est = score(pairs, lambda p, name=name: estimate_says_duplicate(p, name))
        elapsed = time.perf_counter() - started
        params = preset.params
        print(
            f"preset {name!r}: threshold {preset.threshold}, {params.shingle_size}-word shingles, "
            f"{params.num_perm} perms = {params.bands} bands x {params.rows} rows ({elapsed:.1f}s)"
        )
        columns = [(e, o) for e in engines for o in ORDERS]
        head = " ".join(f"{e[:5] + ' ' + o:>11}" for e, o in columns)
        print(f"  {'pair kind':34} {'label':>7} {'pairs':>5} {head} {'estimate':>8}")
        for kind in kinds:
            cells = " ".join(
                f"{results[c][kind]['yes'] / results[c][kind]['n']:>11.3f}" for c in columns
            )
            e = est[kind]
            print(f"  {kind:34} {labels[kind]:>7} {e['n']:>5} {cells} {e['yes'] / e['n']:>8.3f}")
        for engine in engines:
            for order in (*ORDERS, "both"):
                counts = (
                    merged(*(results[engine, o] for o in ORDERS))
                    if order == "both"
                    else results[engine, order]
                )
                p, r = summary(pairs, counts, name)
                line = f"  precision / recall ({engine}, {order})"
                extra = ""
                if name != "syndicated":
                    rw = counts["syndicated rewrite"]
                    extra = f"   syndicated rewrites linked {rw['yes'] / rw['n']:.3f}"
                print(f"{line:50} {p:.4f} / {r:.4f}{extra}")
        p2, r2 = summary(pairs, est, name)
        print(f"  {'precision / recall (signature estimate)':48} {p2:.4f} / {r2:.4f}\n")
        if args.explain:
            for kind, counter in reasons.items():
                print(f"  containment {'misses' if labels[kind] != 'diff' else 'merges'}: {kind}")
                for how, n in counter.most_common(6):
                    print(f"    {n:>5}  {how}")
            print()
    print("rows: share of pairs called duplicate; recall for 'dup', false positives for 'diff'")
    print("\nexact Jaccard (5-word shingles) | containment, by pair kind: min / median / max")
    for kind in kinds:
        values = sorted(exact_jaccard(p, 5) for p in pairs if p.kind == kind)
        shares = sorted(containment_share(p) for p in pairs if p.kind == kind)
        print(
            f"  {kind:34} {values[0]:.3f} / {values[len(values) // 2]:.3f} / {values[-1]:.3f}"
            f"  |  {shares[0]:.3f} / {shares[len(shares) // 2]:.3f} / {shares[-1]:.3f}"
        )
    print(f"\ncontainment: {CONTAINMENT}")
    print(
        "\nshare linked by Jaccard >= 0.6 or containment at each threshold (exact, no furniture "
        "known, so the furniture kinds are left out):"
    )
    shown = [k for k in kinds if not any(p.context for p in pairs if p.kind == k)]
    verdicts = {
        k: [(exact_jaccard(p, 5), compare(Profile.of(p.a.text), Profile.of(p.b.text), set()))
            for p in pairs if p.kind == k]
        for k in shown
    }  # fmt: skip
    thresholds = (0.8, 0.75, 0.7, 0.65, 0.6)
    print(f"  {'pair kind':34} {'label':>7} " + " ".join(f"{t:>6}" for t in thresholds))
    for kind in shown:
        cells = []
        for t in thresholds:
            params = dataclasses.replace(CONTAINMENT, threshold=t)
            v = verdicts[kind]
            cells.append(f"{sum(j >= 0.6 or c.passes(params) for j, c in v) / len(v):>6.3f}")
        print(f"  {kind:34} {labels[kind]:>7} " + " ".join(cells))
    cjk_report(args.corpus, random.Random(args.seed), args.cjk_draws)
    return 0


if __name__ == "__main__":
    sys.exit(main())
