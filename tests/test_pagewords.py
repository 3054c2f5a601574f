"""Words as page-type evidence: stable hashes, neutral when unknown, small weights."""

from __future__ import annotations

import math
import zlib

from crawler.page import pagefeatures, pagetype, pagewords
from crawler.page.extract import parse_page

CLASSES = ["article", "listing", "forum", "product", "service", "documentation"]
BUCKETS = 64


def model_reading(word: str, place: str, toward: str, weight: float = 2.0) -> pagewords.WordModel:
    """A word model that knows one word: it pushes ``toward`` a type by ``weight``."""
    rows = [[0.0] * BUCKETS for _ in CLASSES]
    bucket = zlib.crc32(f"{place}:{word}".encode()) % BUCKETS
    rows[CLASSES.index(toward)][bucket] = weight
    packed = [pagewords.pack(row) for row in rows]
    return pagewords.WordModel(
        {
            "buckets": BUCKETS,
            "classes": CLASSES,
            "rows": [text for text, _ in packed],
            "steps": [step for _, step in packed],
        }
    )


def test_words_are_hashed_with_their_place_the_same_in_every_process() -> None:
    words = pagewords.hashed("t", "Pricing plans, 2025: Pricing!")
    # Letters only, lowercased, each word once; the place is part of the hash.
    assert words == {
        f"#{zlib.crc32(b't:pricing'):x}": 1.0,
        f"#{zlib.crc32(b't:plans'):x}": 1.0,
    }
    assert pagewords.hashed("u", "pricing") != pagewords.hashed("t", "pricing")
    assert len(pagewords.text_words(["one two three " * 200])) == 3
    # Only the opening words of the text are read.
    opening = ["alpha " * pagewords.TEXT_WORDS + "omega"]
    assert f"#{zlib.crc32(b'x:omega'):x}" not in pagewords.text_words(opening)


def test_a_page_whose_words_are_unknown_gets_no_evidence_either_way() -> None:
    model = model_reading("reply", "x", "forum")
    known = pagewords.text_words(["Reply to this thread"])
    assert model.score({}, known) < 0
    # Words the model never learned (another language, another script) say nothing.
    assert model.score({}, pagewords.text_words(["Der Stadtrat tagte gestern"])) == 0.0
    assert model.score({}, pagewords.text_words(["市议会昨天开会讨论了渡轮"])) == 0.0
    assert model.score({"x_units": 120.0}, None) == 0.0
    assert (
        model_reading("reported", "x", "article").score({}, pagewords.text_words(["reported"])) > 0
    )


def test_packed_weights_keep_their_sign_and_size() -> None:
    row = [math.sin(i) for i in range(101)]
    text, step = pagewords.pack(row)
    back = pagewords.unpack(text, step, len(row))
    assert len(back) == len(row)
    assert all(abs(a - b) <= step / 2 + 1e-9 for a, b in zip(row, back, strict=True))
    assert len(text) < len(row)  # four bits a weight


def test_the_page_measures_carry_the_words_of_title_headings_url_and_text() -> None:
    html = (
        "<html><head><title>Harbour ferry timetable</title></head><body>"
        "<h1>Ferry crossings</h1><h2>Winter sailings</h2><p>Boats leave every hour.</p>"
        "</body></html>"
    )
    url = "https://ferries.example/timetables/winter"
    page = pagefeatures.read_page(parse_page(html, url), url, [], {})
    for place, word in (
        ("t", "timetable"),
        ("h", "crossings"),
        ("h", "winter"),
        ("u", "timetables"),
    ):
        assert f"#{zlib.crc32(f'{place}:{word}'.encode()):x}" in page
    text = pagefeatures.read_text(["Boats leave every hour."], 0.0)
    assert f"#{zlib.crc32(b'x:boats'):x}" in text


def test_the_shipped_model_reads_words_in_every_fold_and_stays_small() -> None:
    weights = pagetype.weights()
    for model in (weights.model, *weights.folds):
        assert model.words is not None
        assert model.inputs_named()[-1] == pagetype.WORDS
    files = pagetype.resources.files("crawler.page")
    assert len(files.joinpath(pagetype.WEIGHTS_FILE).read_bytes()) < 200_000
