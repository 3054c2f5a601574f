"""Dedup quality benchmark: pairwise precision and recall of each preset on labelled edits.

Builds a labelled set of article pairs from real article texts (the shared corpus when present,
else the demo world's own stories):

* positives, one per edit type: new headline, dateline prefix, a dropped paragraph, an added
  paragraph, a few substituted words, different site boilerplate, an AMP/print copy (same words,
  other whitespace, quotes and paragraph breaks), and all of the light edits combined;
* syndicated rewrites (two paragraphs cut, two swapped, a note added, a dozen words changed):
  duplicates for the "syndicated" preset, left out of the scores of "same-article";
* hard negatives: the most similar pairs of different real articles, follow-up stories that reuse
  one background paragraph, and short briefs sharing a long standard paragraph; plus random pairs.

Pairs of "different" real articles with the same title are left out: in this corpus they are
the same article captured twice. Each pair runs end to end through a fresh in-memory Store
(first text stored, then the second): the pair counts as "duplicate" when the second is stored
with duplicate_of = the first. The same pairs are also scored with the MinHash signature
estimate instead of exact Jaccard as the verifier, to show which of the two is right.

Chinese and Japanese articles (fundus and aeb truth, trafilatura_eval pages) are left out of
those rows and get a row of their own: the same edits with their own datelines, notes,
boilerplate and standard paragraphs, a substituted "word" being two characters, each edit
drawn ``--cjk-draws`` times (there are few such articles), against briefs, follow-ups and
every pair of different articles.

    python benchmarks/dedup_quality.py [--corpus PATH] [--limit N] [--seed S]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from storage import PRESETS, Store
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


def follow_up(doc: Doc, other: Doc, rng: random.Random) -> Doc:
    # A new story that reuses one background paragraph of the earlier one.
    background = max(doc.paragraphs, key=len)
    body = list(other.paragraphs[:4])
    body.insert(1, background)
    return Doc("Follow-up: " + other.title, tuple(body))


def brief(doc: Doc, standard: str, rng: random.Random) -> Doc:
    # A short brief (two sentences of news) carrying a long standard paragraph.
    sentences = [s for s in doc.text.replace("\n", " ").split(". ") if len(s.split()) > 6]
    start = rng.randrange(max(1, len(sentences) - 2))
    return Doc("Brief: " + doc.title, (". ".join(sentences[start : start + 2]) + ".", standard))


# ------------------------------------------------------------------ building and scoring


def build_pairs(docs: list[Doc], rng: random.Random) -> list[Pair]:
    pairs: list[Pair] = []
    for doc in docs:
        for kind, edit in EDITS.items():
            pairs.append(Pair(kind, "dup", doc, edit(doc, rng)))
        pairs.append(Pair("syndicated rewrite", "rewrite", doc, rewrite(doc, rng)))
    for a, b in most_similar_pairs(docs, max(20, len(docs) // 2)):
        pairs.append(Pair("same subject", "diff", a, b))
    for doc in docs:
        other = rng.choice(docs)
        if other is not doc:
            pairs.append(
                Pair("follow-up reusing a paragraph", "diff", doc, follow_up(doc, other, rng))
            )
    for k in range(len(docs)):
        standard = STANDARD_PARAGRAPHS[k % len(STANDARD_PARAGRAPHS)]
        a, b = rng.sample(docs, 2)
        briefs = (brief(a, standard, rng), brief(b, standard, rng))
        pairs.append(Pair("briefs sharing a paragraph", "diff", *briefs))
    for _ in range(len(docs)):
        a, b = rng.sample(docs, 2)
        pairs.append(Pair("random pair", "diff", a, b))
    return pairs


def store_says_duplicate(pair: Pair, preset: str) -> bool:
    with Store.open(":memory:", preset=preset) as store:
        first = store.add_article(
            {"url": "https://a.example/1", "title": pair.a.title, "text": pair.a.text}
        )
        second = store.add_article(
            {"url": "https://b.example/1", "title": pair.b.title, "text": pair.b.text}
        )
    return second.duplicate_of == first.article_id


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


def score(pairs: list[Pair], decide: Callable[[Pair], bool]) -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = defaultdict(lambda: {"n": 0, "yes": 0})
    for pair in pairs:
        c = counts[pair.kind]
        c["n"] += 1
        c["yes"] += decide(pair)
    return counts


def summary(
    pairs: list[Pair], counts: dict[str, dict[str, int]], preset: str
) -> tuple[float, float]:
    """Pairwise (precision, recall) for ``preset`` over the pairs that count for it."""
    labels = {p.kind: p.duplicate(preset) for p in pairs}
    tp = sum(c["yes"] for k, c in counts.items() if labels[k])
    pos = sum(c["n"] for k, c in counts.items() if labels[k])
    fp = sum(c["yes"] for k, c in counts.items() if labels[k] is False)
    precision = tp / (tp + fp) if tp + fp else 1.0
    return precision, tp / pos if pos else 0.0


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
    parser.add_argument("--cjk-draws", type=int, default=5, help="draws of each CJK edit")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    docs = [d for d in usable(load_corpus(args.corpus)) if not is_cjk(d.text)]  # own row below
    source = f"shared corpus at {args.corpus}"
    if not docs:
        docs = usable(load_demo())
        source = "demo world stories (corpus absent)"
    if args.limit:
        docs = docs[: args.limit]
    pairs = build_pairs(docs, rng)
    by_label = {lab: sum(p.label == lab for p in pairs) for lab in ("dup", "rewrite", "diff")}
    print(f"source: {source}: {len(docs)} articles")
    print(
        f"pairs: {by_label['dup']} duplicate, {by_label['rewrite']} syndicated rewrites, "
        f"{by_label['diff']} not duplicate\n"
    )
    kinds = list(dict.fromkeys(p.kind for p in pairs))
    labels = {p.kind: p.label for p in pairs}
    for name, preset in PRESETS.items():
        started = time.perf_counter()
        stored = score(pairs, lambda p, name=name: store_says_duplicate(p, name))
        est = score(pairs, lambda p, name=name: estimate_says_duplicate(p, name))
        elapsed = time.perf_counter() - started
        params = preset.params
        print(
            f"preset {name!r}: threshold {preset.threshold}, {params.shingle_size}-word shingles, "
            f"{params.num_perm} perms = {params.bands} bands x {params.rows} rows ({elapsed:.1f}s)"
        )
        print(f"  {'pair kind':32} {'label':>7} {'pairs':>6} {'exact J':>8} {'estimate':>8}")
        for kind in kinds:
            s, e = stored[kind], est[kind]
            label = labels[kind]
            share_s, share_e = s["yes"] / s["n"], e["yes"] / e["n"]
            print(f"  {kind:32} {label:>7} {s['n']:>6} {share_s:>8.3f} {share_e:>8.3f}")
        p1, r1 = summary(pairs, stored, name)
        p2, r2 = summary(pairs, est, name)
        print(f"  {'precision / recall (store, exact Jaccard)':48} {p1:.4f} / {r1:.4f}")
        print(f"  {'precision / recall (signature estimate)':48} {p2:.4f} / {r2:.4f}\n")
    print("rows: share of pairs called duplicate; recall for 'dup', false positives for 'diff'")
    print("\nexact Jaccard (5-word shingles) by pair kind: min / median / max")
    for kind in kinds:
        values = sorted(exact_jaccard(p, 5) for p in pairs if p.kind == kind)
        print(f"  {kind:32} {values[0]:.3f} / {values[len(values) // 2]:.3f} / {values[-1]:.3f}")
    cjk_report(args.corpus, random.Random(args.seed), args.cjk_draws)
    return 0


if __name__ == "__main__":
    sys.exit(main())
