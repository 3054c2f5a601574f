"""Search in every script: a Chinese, Japanese or Thai word is found inside a sentence."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from storage import Store
from storage.grams import gram_text, to_query
from storage.textunits import is_unspaced, units

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"

JA = (
    "気象庁は十三日夜、日向灘を震源とする地震で宮崎県の一部が震度五弱を観測したと発表した。"
    "高知県と宮崎県には一時、津波注意報が出された。"
)
ZH = "国家航天局今天发布消息，新一代运载火箭在文昌航天发射场成功首飞，多项关键技术得到验证。"
TH = "กรมอุตุนิยมวิทยาประกาศเตือนฝนตกหนักในภาคเหนือ ประชาชนควรเตรียมพร้อมรับมือน้ำท่วม"
EN = "The weather service warned of heavy rain in the north; residents should prepare for floods."


@pytest.fixture
def store():
    with Store.open(":memory:") as s:
        s.add_article({"url": "https://ja.example/1", "title": "宮崎で震度五弱", "text": JA})
        s.add_article({"url": "https://zh.example/1", "title": "火箭首飞", "text": ZH})
        s.add_article({"url": "https://th.example/1", "title": "ฝนตกหนัก", "text": TH})
        s.add_article({"url": "https://en.example/1", "title": "Heavy rain", "text": EN})
        yield s


def ids(hits: list[dict]) -> list[int]:
    return [h["id"] for h in hits]


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("津波", [1]),  # two characters inside a sentence
        ("注意報", [1]),  # three
        ("震度五弱", [1]),  # in the title too
        ("灘", [1]),  # one
        ("航天", [2]),
        ("运载火箭", [2]),
        ("ฝนตก", [3]),
        ("เตรียมพร้อม", [3]),
        ('"宮崎県の一部"', [1]),
        ("航天 OR 津波", [2, 1]),
        ("title:火箭", [2]),
        ("大阪", []),
        ("rain", [4]),  # the main index, as before
    ],
)
def test_words_are_found_inside_sentences(store, query, found) -> None:
    assert sorted(ids(store.search(query))) == sorted(found)


def test_snippets_highlight_the_word(store) -> None:
    (hit,) = store.search("津波", highlight=("<b>", "</b>"))
    assert "<b>津波</b>注意報" in hit["snippet"]
    assert hit["snippet"].startswith("…")


def test_filters_and_duplicates_apply_as_in_the_main_index(store) -> None:
    assert ids(store.search("航天", site="zh.example")) == [2]
    assert ids(store.search("航天", site="ja.example")) == []
    copy = store.add_article({"url": "https://zh2.example/1", "text": ZH})
    assert copy.duplicate_of == 2
    assert ids(store.search("航天")) == [2]
    assert sorted(ids(store.search("航天", include_duplicates=True))) == [2, copy.article_id]


def test_changed_texts_are_indexed_again(store) -> None:
    store.add_article({"url": "https://ja.example/1", "title": "宮崎で震度五弱", "text": ZH})
    assert ids(store.search("津波")) == []
    assert 1 in ids(store.search("航天", include_duplicates=True))  # now a copy of article 2
    store.replace_text(1, JA)
    assert ids(store.search("津波", include_duplicates=True)) == [1]
    assert 1 not in ids(store.search("航天", include_duplicates=True))


def test_merged_stores_are_searchable(tmp_path) -> None:
    from storage.merge import merge

    with Store.open(tmp_path / "a.db") as shard:
        shard.add_article({"url": "https://ja.example/1", "text": JA})
    merge([tmp_path / "a.db"], tmp_path / "out.db")
    with Store.open(tmp_path / "out.db") as out:
        assert ids(out.search("津波")) == [1]


def test_queries_become_phrases_of_bigrams() -> None:
    assert gram_text("東京都知事 G7") == "東京 京都 都知 知事 事 g7"
    assert to_query("都知事") == '"都知 知事"'
    assert to_query("事*") == '"事" *'
    assert to_query('"G7サミット" AND NOT x') == '"g7 サミ ミッ ット" AND NOT x'
    assert to_query("plain words") is None


def _cjk_corpus_texts() -> list[tuple[str, str]]:
    """(page, text) of the corpus's Chinese and Japanese pages (truth mostly in those scripts),
    as extraction gives them; the fundus pages must be kept as articles."""
    from crawler.page.extract import extract_article

    pages: list[tuple[str, Path, str, bool]] = []
    fundus = CORPUS / "fundus"
    for truth in sorted((fundus / "ground-truth").glob("*.json")):
        item = json.loads(truth.read_text(encoding="utf-8"))
        if _mostly_unspaced(item["articleBody"]):
            pages.append((truth.stem, fundus / "html" / f"{truth.stem}.html.gz", item["url"], True))
    aeb = json.loads((CORPUS / "aeb" / "ground-truth.json").read_text(encoding="utf-8"))
    for page_id, item in aeb.items():
        if _mostly_unspaced(item["articleBody"]):
            html = CORPUS / "aeb" / "html" / f"{page_id}.html.gz"
            pages.append((page_id, html, item["url"], False))
    evaldata = json.loads((CORPUS / "trafilatura_eval" / "evaldata.json").read_text("utf-8"))
    for url, item in evaldata.items():
        if _mostly_unspaced(" ".join(item.get("with") or ())):
            html = CORPUS / "trafilatura_eval" / "html" / f"{item['file']}.gz"
            pages.append((item["file"], html, url, False))
    texts = []
    for name, path, url, decide in pages:
        article = extract_article(gzip.decompress(path.read_bytes()), url, decide=decide)
        texts.append((name, article.text))
    return texts


def _mostly_unspaced(text: str) -> bool:
    unit_list = units(text)
    return bool(unit_list) and sum(map(is_unspaced, unit_list)) >= 0.3 * len(unit_list)


@pytest.mark.corpus
@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not present")
def test_a_word_inside_a_sentence_is_found_on_every_cjk_corpus_page() -> None:
    texts = _cjk_corpus_texts()
    assert len(texts) >= 10
    missed = []
    with Store.open(":memory:") as s:
        stored = {}
        for n, (name, text) in enumerate(texts):
            stored[name] = s.add_article({"url": f"https://corpus.example/{n}", "text": text})
        for name, text in texts:
            for word in _inner_words(text):
                hits = s.search(word, include_duplicates=True, limit=100)
                if stored[name].article_id not in ids(hits):
                    missed.append((name, word))
    assert missed == []


def _inner_words(text: str, count: int = 5) -> list[str]:
    """Two and three characters at ``count`` places inside the longest run of Chinese or
    Japanese characters: words inside a sentence, not at the start of a token of the main
    index."""
    best = ""
    run = ""
    for char in text + " ":
        if is_unspaced(char):
            run += char
        else:
            best, run = max(best, run, key=len), ""
    places = [1 + k * (len(best) - 4) // count for k in range(count)]
    return [best[at : at + size] for at in places for size in (2, 3)]


def test_the_quick_check_covers_every_unspaced_character() -> None:
    from storage import textunits

    missed = [
        hex(cp)
        for cp in range(0x0E00, 0x40000)
        if textunits.kind(chr(cp)) and not textunits._MAYBE_UNSPACED.match(chr(cp))
    ]
    assert missed == []
    assert textunits.has_unspaced("㌀")  # アパート once NFKC has unfolded it
    assert not textunits.has_unspaced("English with 「brackets」、and a comma")
