"""Articles in scripts written without spaces: counted, deduplicated and stored like any other."""

from __future__ import annotations

import random
import sqlite3
import zlib

import pytest
from oldstores import make_version_2

from storage import ParameterMismatch, Store
from storage.dedup import Fingerprint
from storage.minhash import DEFAULT_PARAMS, MIN_MINHASH_WORDS, shingles
from storage.schema import SCHEMA_VERSION
from storage.textunits import units

# Japanese news words (nouns, verbs, particles), to make texts that share a vocabulary.
JA_WORDS = (
    "政府 首相 会見 発表 記者 東京 大阪 警察 事件 地震 気象庁 震度 津波 注意報 住民 避難 学校 "
    "病院 経済 企業 社長 銀行 株価 円安 輸出 選挙 国会 議員 法案 予算 市長 知事 県議会 調査 結果 "
    "影響 対策 支援 被害 復旧 工事 道路 鉄道 空港 観光 外国人 留学生 研究 大学 教授 技術 開発 "
    "環境 温暖化 電力 原発 再開 停止 延期 中止 開始 終了 予定 今年 来年 昨年 今月 午前 午後"
).split()
JA_GLUE = ("は", "が", "を", "に", "で", "と", "の", "も", "した。", "する。", "している。", "、")
ZH_TEXT = (
    "国家航天局今天发布消息，新一代运载火箭在海南文昌航天发射场成功首飞。"
    "这次任务验证了多项关键技术，为后续空间站建设和深空探测打下了坚实基础。"
    "专家表示，我国航天事业正在从航天大国迈向航天强国，国际合作也在不断深化。"
    "发射任务结束后，工作人员对火箭残骸落区进行了安全检查，周边居民生活未受影响。"
)
TH_TEXT = (
    "กรมอุตุนิยมวิทยาประกาศเตือนฝนตกหนักในภาคเหนือและภาคตะวันออกเฉียงเหนือ "
    "ประชาชนควรติดตามข่าวสารอย่างใกล้ชิดและเตรียมพร้อมรับมือน้ำท่วมฉับพลัน"
)


def ja_text(seed: int, words: int = 200) -> str:
    rng = random.Random(seed)
    return "".join(rng.choice(JA_WORDS) + rng.choice(JA_GLUE) for _ in range(words))


def substitute(text: str, seed: int, count: int) -> str:
    """Replace ``count`` two-character spans by another word, as an edit of a few words."""
    rng = random.Random(seed)
    chars = list(text)
    for at in rng.sample(range(len(chars) - 2), count):
        chars[at : at + 2] = "変更"
    return "".join(chars)


def old_shingles(words: list[str], size: int = 5) -> set[int]:
    if len(words) <= size:
        return {zlib.crc32(" ".join(words).encode())}
    return {
        zlib.crc32(" ".join(words[i : i + size]).encode()) for i in range(len(words) - size + 1)
    }


@pytest.fixture
def store():
    with Store.open(":memory:") as s:
        yield s


def test_text_of_spaced_scripts_keeps_its_five_word_shingles() -> None:
    words = units("The minister said on Friday that the new budget would be published soon.")
    assert shingles(words, 5) == old_shingles(words)
    assert shingles(units("Три слова здесь"), 5) == old_shingles(units("Три слова здесь"))


def test_unspaced_text_is_shingled_by_four_characters_and_mixed_text_by_weight() -> None:
    han = units("東京都知事選挙")
    assert shingles(han, 5, 4) == {
        zlib.crc32(" ".join(han[i : i + 4]).encode()) for i in range(len(han) - 3)
    }
    thai = units("ภาษาไทยดีมาก")  # Thai words are twice as long: 8 characters a shingle
    assert len(shingles(thai, 5, 4)) == len(thai) - 7
    # A word is 1/5 of a shingle and a character 1/4: "g7" and four characters fill one.
    windows = ["g7 サ ミ ッ ト", "サ ミ ッ ト", "ミ ッ ト 広", "ッ ト 広 島"]
    expected = {zlib.crc32(w.encode()) for w in windows}
    assert shingles(units("G7サミット 広島"), 5, 4) == expected
    assert shingles(units("短い"), 5, 4) == {zlib.crc32("短 い".encode())}


def test_word_count_and_indexing_mean_the_same_amount_of_text_in_every_script(store) -> None:
    text = ja_text(1, 60)
    fp = Fingerprint.of(text, DEFAULT_PARAMS)
    han_kana = sum(1 for u in units(text))
    assert fp.word_count == (han_kana + 1) // 2
    result = store.add_article({"url": "https://ja.example/1", "text": text})
    assert store.get(result.article_id)["word_count"] == fp.word_count
    assert fp.indexable == (fp.word_count >= MIN_MINHASH_WORDS)
    assert store.count_articles(min_words=fp.word_count) == 1
    assert store.count_articles(min_words=fp.word_count + 1) == 0


def test_japanese_copy_with_a_few_words_changed_is_a_near_duplicate(store) -> None:
    base = ja_text(2)
    first = store.add_article({"url": "https://ja.example/a", "text": base})
    edited = "【東京共同】" + substitute(base, 3, 4) + "\n無断転載を禁じます。"
    second = store.add_article({"url": "https://jb.example/a", "text": edited})
    assert second.duplicate_of == first.article_id
    assert second.match == "minhash"


def test_different_japanese_articles_on_one_vocabulary_stay_apart(store) -> None:
    ids = [
        store.add_article({"url": f"https://ja.example/{n}", "text": ja_text(10 + n)})
        for n in range(8)
    ]
    assert all(r.duplicate_of is None for r in ids)


def test_chinese_exact_copy_ignores_punctuation(store) -> None:
    first = store.add_article({"url": "https://zh.example/1", "text": ZH_TEXT})
    copy = ZH_TEXT.replace("，", " ").replace("。", "\n")
    second = store.add_article({"url": "https://zh.example/2", "text": copy})
    assert (second.duplicate_of, second.match) == (first.article_id, "exact")


def test_one_character_repeated_is_stored_and_matched_like_any_text(store) -> None:
    first = store.add_article({"url": "https://r.example/1", "text": "あ" * 1000})
    again = store.add_article({"url": "https://r.example/2", "text": "あ" * 1001})
    assert store.get(first.article_id)["word_count"] == 500
    assert again.duplicate_of == first.article_id  # one shingle each, the same one
    # The longer copy is the story's representative, what search gives.
    assert again.promoted == first.article_id
    assert store.search("ああ")[0]["id"] == again.article_id


def _write_like_version_2(path) -> None:
    """Turn a store into one written before text units per script: meta without them, text
    hashes and word counts of \\w+ words, no bigram search index, schema version 2."""
    import hashlib
    import re
    import unicodedata

    conn = sqlite3.connect(path)
    conn.execute(
        "DELETE FROM meta WHERE key IN ('minhash_text_units', 'minhash_char_shingle_size')"
    )
    make_version_2(conn)
    for article_id, text in conn.execute("SELECT id, text FROM articles").fetchall():
        words = re.findall(r"\w+", unicodedata.normalize("NFKC", text).casefold())
        digest = hashlib.blake2b(" ".join(words).encode(), digest_size=8).digest()
        conn.execute(
            "UPDATE articles SET text_hash = ?, word_count = ? WHERE id = ?",
            (int.from_bytes(digest, "little", signed=True), len(words), article_id),
        )
    conn.commit()
    conn.close()


def test_store_of_an_older_version_is_detected_migrated_and_rebuilt(tmp_path) -> None:
    path = tmp_path / "old.db"
    base = ja_text(5)
    with Store.open(path) as s:
        s.add_article({"url": "https://ja.example/1", "text": base, "title": "地震の調査"})
        s.add_article({"url": "https://en.example/1", "text": "An English article " * 30})
    _write_like_version_2(path)
    with pytest.raises(ParameterMismatch, match=r"newsdedup dedup --db .*old\.db"):
        Store.open(path)
    with Store.open(path, verify=False) as s:
        assert s.meta()["schema_version"] == str(SCHEMA_VERSION)
        assert s.search("調査")[0]["id"] == 1  # the migration built the bigram index
        with pytest.raises(ParameterMismatch):
            s.add_article({"url": "https://x.example/", "text": "x"})
        old_count = s.get(1)["word_count"]
        s.rededup()
        assert s.get(1)["word_count"] == Fingerprint.of(base).word_count != old_count
        assert s.meta()["minhash_text_units"] == "script"
        near = s.add_article({"url": "https://jb.example/1", "text": substitute(base, 6, 3)})
        assert near.duplicate_of == 1
    Store.open(path).close()


def test_cli_dedup_rebuilds_an_older_store(tmp_path) -> None:
    from click.testing import CliRunner

    from crawler.cli import main

    path = tmp_path / "old.db"
    with Store.open(path) as s:
        s.add_article({"url": "https://ja.example/1", "text": ja_text(7)})
    _write_like_version_2(path)
    runner = CliRunner()
    refused = runner.invoke(main, ["stats", "--db", str(path)])
    assert refused.exit_code == 1 and "newsdedup dedup" in refused.output
    done = runner.invoke(main, ["dedup", "--db", str(path)])
    assert done.exit_code == 0, done.output
    assert runner.invoke(main, ["stats", "--db", str(path)]).exit_code == 0


# ------------------------------------------------------------------ pages


def _page(lang: str, title: str, paragraphs: list[str]) -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>'
        '<meta property="og:type" content="article"></head><body><header><nav>'
        '<a href="/">Home</a></nav></header><main><article>'
        f"<h1>{title}</h1>{body}</article></main><footer>© News</footer></body></html>"
    )


JA_PARAGRAPHS = [
    "気象庁は十三日夜、日向灘を震源とする地震があり、宮崎県の一部で震度五弱を観測したと発表した。",
    "この地震で高知県と宮崎県の沿岸には一時、津波注意報が出されたが、その後すべて解除された。",
    "気象庁は今後一週間程度、同じ程度の揺れに注意するよう呼びかけている。",
]


def test_a_short_japanese_article_is_kept_and_a_stub_is_not() -> None:
    from crawler.page.extract import PageRejected, extract_article

    url = "https://news.example.jp/articles/20250113-quake"
    article = extract_article(_page("ja", "宮崎で震度五弱", JA_PARAGRAPHS), url)
    assert "津波注意報" in article.text
    assert article.language == "ja"
    with pytest.raises(PageRejected, match="too_short|fewer than 40") as stub:
        extract_article(
            _page("ja", "速報", ["宮崎県で震度五弱の地震がありました。詳細は後ほど。"]), url
        )
    assert stub.value.reason == "too_short"


def test_a_declared_language_the_text_is_not_in_is_corrected() -> None:
    from crawler.page.extract import extract_article

    url = "https://news.example.jp/articles/20250113-quake"
    assert extract_article(_page("en", "宮崎で震度五弱", JA_PARAGRAPHS), url).language == "ja"
    chinese = [ZH_PARAGRAPH[i : i + 60] for i in range(0, len(ZH_PARAGRAPH), 60)]
    assert extract_article(_page("ja", "火箭首飞", chinese), url).language == "zh"
    english = [
        "The weather agency said a strong earthquake struck off the coast of Miyazaki late on "
        "Monday, shaking parts of the prefecture.",
        "A tsunami advisory was issued for the coasts of Kochi and Miyazaki and later lifted, "
        "and no damage was reported by the evening.",
        "Officials urged residents to stay alert for further tremors over the coming week.",
    ]
    # A Japanese site's English page that declares "ja": the language is not known.
    assert extract_article(_page("ja", "Quake off Miyazaki", english), url).language is None
    assert extract_article(_page("en", "Quake off Miyazaki", english), url).language == "en"


def test_a_page_mixing_scripts_gives_an_article() -> None:
    from crawler.page.extract import extract_article

    mixed = [
        "The G7サミット opened in 広島 on Friday; ผู้นำ from seven countries met the press.",
        "首相は会見で「We will stand together」と述べ、ประชาชน的安全を強調した。",
        "Leaders agreed on a statement about 経済安全保障 and क्षेत्रीय सुरक्षा, officials said.",
    ]
    article = extract_article(_page("en", "G7 広島", mixed), "https://mixed.example/news/g7-summit")
    assert "ผู้นำ" in article.text and "सुरक्षा" in article.text
    with Store.open(":memory:") as s:
        added = s.add_article({"url": article.url, "text": article.text})
        assert s.search("広島")[0]["id"] == added.article_id
        assert s.search("ผู้นำ")[0]["id"] == added.article_id
        assert s.search("सुरक्षा")[0]["id"] == added.article_id


ZH_PARAGRAPH = ZH_TEXT * 2


def test_a_utf8_page_saved_with_its_old_gbk_meta_tag_is_read_as_utf8(tmp_path) -> None:
    from crawler.archive.ingest import ingest

    html = _page("zh-CN", "火箭首飞", [ZH_TEXT[i : i + 60] for i in range(0, len(ZH_TEXT), 60)])
    html = html.replace('<meta charset="utf-8">', '<meta charset="gb2312">')
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "rocket.html").write_bytes(html.encode("utf-8"))
    (tmp_path / "pages" / "rocket.json").write_text('{"url": "https://zh.example/news/rocket"}')
    with Store.open(tmp_path / "zh.db") as s:
        report = ingest([tmp_path / "pages"], s, workers=0)
        assert report.stored == 1, report
        (article,) = s.iter_articles()
        assert article["title"] == "火箭首飞" and article["language"] == "zh"
        assert s.search("运载火箭")[0]["id"] == article["id"]


@pytest.mark.parametrize(
    ("lang", "paragraphs"),
    [
        ("ja", ["あ" * 400, "あ" * 400]),  # one character repeated
        ("en", [" ".join("a" * 300)]),
        ("en", ["x" * 5000]),
        ("zh", ["，。、「」" * 50]),  # punctuation only: no unit at all
        ("th", [TH_TEXT, JA_PARAGRAPHS[0] + " mixed with English words and हिन्दी भाषा"]),
        ("xx-invalid", JA_PARAGRAPHS),
    ],
)
def test_odd_pages_give_an_article_or_a_reason_never_an_error(lang, paragraphs) -> None:
    from crawler.page.process import process_page

    html = _page(lang, "見出し", paragraphs).encode("utf-8")
    result = process_page(
        html, "https://odd.example/news/2025/01/odd-page", "utf-8", DEFAULT_PARAMS
    )
    assert result.ok or result.reason in {"too_short", "empty", "not_article"}, result.detail
    if result.ok:
        with Store.open(":memory:") as s:
            s.add_article(result.record(fetched_at="2025-01-01T00:00:00Z", http_status=200))
