"""Labelled pairs of Chinese and Japanese articles for the dedup benchmark: the same edits with
their own datelines, notes, boilerplate and standard paragraphs."""

import json
import random
import re
from collections.abc import Callable
from pathlib import Path

from dedup_pairs import (
    Doc,
    Pair,
    amp_print,
    follow_up,
    load_corpus,
    most_similar_pairs,
    new_headline,
)

from storage.textunits import is_unspaced, units, word_count

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
