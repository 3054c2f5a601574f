"""Text units: words where a script spaces them, characters where it does not."""

from storage.textunits import units, word_count


def test_spaced_scripts_give_words_with_their_marks() -> None:
    # A plain \w+ cuts Devanagari words at every vowel sign.
    assert units("हिन्दी भाषा") == ["हिन्दी", "भाषा"]
    assert units("Ça va, l'été!") == ["ça", "va", "l", "été"]
    assert units("한국어 문장입니다") == ["한국어", "문장입니다"]


def test_unspaced_scripts_give_characters_even_beside_latin() -> None:
    assert units("Tokyo東京都") == ["tokyo", "東", "京", "都"]
    assert units("ラーメン") == ["ラ", "ー", "メ", "ン"]
    assert units("ภาษา") == ["ภ", "า", "ษ", "า"]


def test_word_counts_mean_the_same_amount_of_text() -> None:
    assert word_count("one two three four") == 4
    assert word_count("東京都知事") == 3  # five characters, two to a word, rounded up
    assert word_count("ภาษาไทยดี") == 3  # nine characters, four to a word, rounded up
    assert word_count("Tokyo 東京") == 2
    assert word_count(None) == word_count("") == 0
