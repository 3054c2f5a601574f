"""Text units: words where a script spaces them, characters where it does not."""

import re
import unicodedata

import regex

from storage import textunits
from storage.textunits import count_words, kinds, units, word_count


def test_spaced_scripts_give_words_with_their_marks() -> None:
    # A plain \w+ cuts Devanagari words at every vowel sign.
    assert units("हिन्दी भाषा") == ["हिन्दी", "भाषा"]
    assert units("Ça va, l'été!") == ["ça", "va", "l", "été"]
    assert units("한국어 문장입니다") == ["한국어", "문장입니다"]
    assert units("The U.S. said: “don’t”") == ["the", "u", "s", "said", "don", "t"]


def test_unspaced_scripts_give_characters_even_beside_latin() -> None:
    assert units("Tokyo東京都") == ["tokyo", "東", "京", "都"]
    assert units("ラーメン") == ["ラ", "ー", "メ", "ン"]
    assert units("ภาษา") == ["ภ", "า", "ษ", "า"]
    # Full-width digits and half-width kana are folded (NFKC); punctuation is no unit.
    assert units("１３日、ｶﾀｶﾅ。") == ["13", "日", "カ", "タ", "カ", "ナ"]
    assert units("๏ ไทย ๚") == ["ไ", "ท", "ย"]  # Thai punctuation is no unit either


def test_word_counts_mean_the_same_amount_of_text() -> None:
    assert word_count("one two three four") == 4
    assert word_count("東京都知事") == 3  # five characters, two to a word, rounded up
    assert word_count("ภาษาไทยดี") == 3  # nine characters, four to a word, rounded up
    assert word_count("Tokyo 東京") == 2
    assert word_count(None) == word_count("") == 0
    assert count_words(units("G7サミット 2024")) == 4
    assert word_count("あ" * 1000) == 500  # one character repeated is text like any other


def test_kinds_are_none_for_text_of_spaced_scripts() -> None:
    assert kinds(units("Plain English, a line.")) is None
    assert kinds(units("a東ไ")) == [textunits.SPACED, textunits.HAN_KANA, textunits.SOUTHEAST]


def test_fast_paths_find_the_same_units_as_the_full_pattern() -> None:
    texts = [
        "Plain ASCII text, with 3 numbers_and under_scores.",
        "Grüße aus Köln – “quoted” € 5 ½ 😀 Ǆemal Ⅻ",
        "Ελληνικά κείμενα, русский текст, Հայերեն, ქართული, 한국어",
        "İstanbul’da",  # casefold gives i + combining dot: the full pattern keeps it whole
    ]
    for text in texts:
        folded = unicodedata.normalize("NFKC", text).casefold()
        assert units(text) == textunits._UNIT.findall(folded), text


def test_plain_blocks_hold_no_marks_and_agree_with_python_word_characters() -> None:
    # The fast path is exact: in the blocks it covers, \w and the unit pattern agree on every
    # character Python's Unicode database knows.
    unit_chars = regex.compile(r"[\p{L}\p{N}_]")
    marks = regex.compile(r"\p{M}")
    word = re.compile(r"\w")
    wrong = []
    for cp in range(0x110000):
        char = chr(cp)
        if textunits._NOT_PLAIN.match(char) or unicodedata.category(char) == "Cn":
            continue
        spaced = not marks.match(char) and textunits.kind(char) == textunits.SPACED
        if not spaced or bool(word.match(char)) != bool(unit_chars.match(char)):
            wrong.append(hex(cp))
    assert wrong == []


def test_runs_join_consecutive_unspaced_characters() -> None:
    from storage.textunits import runs

    assert runs("Tokyo東京都 G7サミット、ภาษา") == ["tokyo", "東京都", "g7", "サミット", "ภาษา"]
    assert runs("plain text") == units("plain text")
    assert runs(None) == []


def test_openings_and_endings_are_worth_so_many_words() -> None:
    from storage.textunits import ending, opening

    assert opening("one  two\nthree four", 2) == "one two"
    assert ending("one two three four", 3) == "two three four"
    assert opening("— said the minister", 2) == "— said"  # white-space words, as split() gives
    text = "気象庁は十三日夜、日向灘で地震があったと発表した。"
    assert opening(text, 4) == "気象庁は十三日夜、"  # about two characters a word, rounded up
    assert ending(text, 2) == "発表した。"
    assert opening("Tokyo 東京都知事", 2) == "Tokyo 東京"
