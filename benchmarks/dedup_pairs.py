"""Labelled article pairs for the dedup benchmarks: real texts, the edits a copy goes through
(new headline, dateline, dropped or added paragraph, substituted words, boilerplate, AMP/print,
rewrites, truncated copies, excerpts, outlet and network furniture) and hard negatives."""

import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from storage.minhash import (
    jaccard,
    shingles,
)
from storage.normalize import words

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
