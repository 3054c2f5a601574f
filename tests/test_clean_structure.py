"""Structural rules of the tree pass, on small hand-written pages: what a block is decides, in
any language, not what it says. Headings and labels here use made-up words on purpose."""

from __future__ import annotations

import pytest
from harbour import BODY
from lxml.html import document_fromstring

from crawler.page.cleaning import clean_lines, prune_tree
from crawler.page.cleaning.layout import is_layout
from crawler.page.cleaning.links import Site, site_key
from crawler.page.cleaning.measure import words
from crawler.page.extract import extract_article
from storage.textunits import word_count

URL = "https://www.daily-example.test/news/2025/03/harbour-plan-approved"


def _page(inside: str, *, head: str = "", after: str = "") -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in BODY[:2])
    rest = "".join(f"<p>{p}</p>" for p in BODY[2:])
    return (
        f"<html><head><title>Harbour plan approved</title>{head}</head><body>"
        f"<article><h1>Harbour plan approved</h1>{paragraphs}{inside}{rest}</article>"
        f"{after}</body></html>"
    )


def _pruned(html: str, url: str = URL) -> tuple[str, list[str], dict[str, int]]:
    tree = document_fromstring(html)
    found = prune_tree(tree, url)
    return " ".join(tree.text_content().split()), found.captions, found.removed


def _text(html: str, url: str = URL) -> str:
    return extract_article(html, url, decide=False).text


def _body_kept(text: str) -> bool:
    return all(p[:60] in text for p in BODY)


# -- teaser and card lists --------------------------------------------------------------------

TEASERS = (
    "<section><h4>Flimflam vortrag</h4><div class='grid'>"
    "<article><a href='/news/2025/03/ferry-timetable-changes-for-summer'>Ferry timetable "
    "changes for the summer season</a><p>The new timetable starts in June.</p></article>"
    "<div><img src='/t/2.jpg'><h3><a href='/news/2025/03/council-votes-on-parking'>Council "
    "votes on parking charges again</a></h3><time>2 March 2025</time></div>"
    "<div><p>Shops reopen after the flood.</p><span><a href='/news/2025/02/flooded-shops-"
    "reopen-on-quay'>Flooded shops reopen on the quay</a></span></div>"
    "</div></section>"
)


def test_a_list_of_teasers_goes_whole_with_its_heading_whatever_it_says() -> None:
    text, _, removed = _pruned(_page(TEASERS))
    assert removed.get("teaser_list")
    assert "Flimflam" not in text and "Ferry timetable" not in text
    assert "Shops reopen" not in text and "2 March" not in text
    assert all(p in text for p in BODY)


def test_paragraphs_that_link_to_other_stories_are_not_a_teaser_list() -> None:
    linked = (
        "<p>As reported earlier, <a href='/news/2025/02/port-strike-ends-after-talks'>the port "
        "strike ended after long talks</a> between the unions and the board.</p>"
        "<p>The board also <a href='/news/2025/01/new-crane-arrives-at-port'>took delivery of "
        "a new crane</a> last month, its largest purchase in a decade.</p>"
    )
    text, _, removed = _pruned(_page(linked))
    assert "teaser_list" not in removed
    assert "the port strike ended" in text and "took delivery" in text


# -- prompts: consent, newsletter, paywall, author boxes -----------------------------------------

PROMPTS = {
    "dialog": (
        "<div role='dialog'><p>Blorp and its partners keep trinkets on your device.</p>"
        "<button>Zarg</button> <button>Nix</button></div>"
    ),
    "buttons": (
        "<div class='c-17'><strong>QUIBBLE NOTICE</strong><p>Blorp keeps trinkets on your "
        "device for a better read.</p><div><button type='button'>Zarg</button></div></div>"
    ),
    "links made buttons": (
        "<div data-x='q'><p>Blorp and its 40 partners keep trinkets on your device.</p>"
        "<p><a href='/privacy/'>More</a></p><div><a href='#' role='button'>Zarg</a> "
        "<a href='#' role='button'>Nix</a> <a href='#' role='button'>Tweak</a></div></div>"
    ),
    "form": (
        "<div class='x-9'><h3>Never miss a flimflam</h3><p>Our short morning summary, free.</p>"
        "<form action='/nl' method='post'><input type='email' name='e'><button>Go</button>"
        "</form><small>Leave at any time.</small></div>"
    ),
    "call to action": (
        "<section><h2>Read on with a pass:</h2><p>Every story for a few coins a month.</p>"
        "<a href='/subscribe/'>See the passes</a><p>Have one? <a href='/login/'>Sign in</a></p>"
        "</section>"
    ),
    "author box": (
        "<div><img src='/authors/1.jpg'><p>Jo Quill covers the port for the paper.</p>"
        "<a href='/authors/jo-quill'>More by Jo Quill</a></div>"
    ),
}


@pytest.mark.parametrize("kind", sorted(PROMPTS))
def test_prompts_go_by_their_structure(kind: str) -> None:
    html = PROMPTS[kind]
    text, _, removed = _pruned(_page(html))
    assert removed.get("dialog") or removed.get("prompt_box"), removed
    for piece in ("Blorp", "QUIBBLE", "flimflam", "Read on with", "coins", "Jo Quill"):
        assert piece not in text
    assert all(p in text for p in BODY)


def test_a_content_panel_with_icon_buttons_and_a_details_link_stays() -> None:
    panel = (
        "<div role='tabpanel'><h2>Product</h2><div><button title='tip'><img src='i.png'></button>"
        "</div><ul><li>Twenty tablets in a box</li></ul><a href='#more'>More details</a></div>"
    )
    text, _, removed = _pruned(_page(panel))
    assert "prompt_box" not in removed
    assert "Twenty tablets in a box" in text


# -- navigation lines ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "<ul><li><a href='#'>Plonk on X</a></li><li><a href='#'>Print</a></li>"
        "<li><a href='mailto:?body=x'>E-mail</a></li></ul>",
        "<p><a href='/news/2025/03/harbour-plan-approved?page=2'>Wibble onwards ...</a></p>",
        "<p class='top'><a href='#top'>^ Upsy</a></p>",
        "<div>Zorbs: <a href='/tag/port'>Port</a>, <a href='/tag/ferries'>Ferries</a></div>",
        "<p><strong>Glimpse:</strong> <a href='/news/2025/02/dredging-starts-at-the-quay'>"
        "Dredging starts at the quay next week</a></p>",
        "<p>Even more <a href='/economy/'>Economy</a> flurbs</p>",
    ],
)
def test_short_lines_of_links_into_the_site_go(line: str) -> None:
    text, _, removed = _pruned(_page(line))
    assert removed.get("navigation"), removed
    for word in ("Plonk", "Wibble", "Upsy", "Zorbs", "Glimpse", "flurbs"):
        assert word not in text


@pytest.mark.parametrize(
    "line",
    [
        "<p>The <a href='/topics/port'>port authority</a> declined to comment.</p>",
        "<p>Source: <a href='https://stats.example.org/report'>Regional report</a></p>",
        "<p>He called it <a href='/news/2025/01/a-plan'>a plan for everyone</a>, and left</p>",
    ],
)
def test_sentences_and_citations_with_links_stay(line: str) -> None:
    text, _, removed = _pruned(_page(line))
    assert "navigation" not in removed
    assert text.count(" ") > 100


def test_a_share_link_to_another_site_that_carries_this_page_is_navigation() -> None:
    share = f"<p><a href='https://social.example/share?u={URL}'>Spread it</a></p>"
    text, _, removed = _pruned(_page(share))
    assert removed.get("navigation") and "Spread it" not in text


def test_site_key_and_link_kinds() -> None:
    assert site_key("news.example.co.uk") == "example.co.uk"
    assert site_key("WWW.Example.com:443") == "example.com"
    assert site_key("127.0.0.1:8080") == "127.0.0.1:8080"
    site = Site(URL)
    assert site.kind("#top") == site.kind(URL) == "self"
    assert site.kind("/economy/") == site.kind("https://m.daily-example.test/x") == "internal"
    assert site.kind("https://other.example/x") == "external"
    assert site.kind("javascript:void(0)") == site.kind(None) == "action"
    assert site.leads_to_story("/news/2025/02/dredging-starts-at-the-quay")
    assert not site.leads_to_story("/economy/") and not site.leads_to_story("/authors/jo-quill")


# -- figures and credits -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "figure",
    [
        "<div class='m-3'><img src='/i/1.jpg'><p>Cranes on the old quay at dawn.</p>"
        "<small>Bild: Ann Lee / Quayside Pictures</small></div>",
        "<table align='right'><tr><td><img src='/i/1.jpg'></td></tr><tr><td><font size='1'>"
        "Cranes on the old quay at dawn.<br>(Ann Lee/Quayside Pictures)</font></td></tr></table>",
    ],
)
def test_a_block_with_one_image_and_short_lines_is_a_figure(figure: str) -> None:
    html = _page(figure)
    text = _text(html)
    captions = extract_article(html, URL, decide=False).captions
    assert "Cranes on the old quay" not in text and "Ann Lee" not in text
    assert len(captions) == 1 and captions[0].startswith("Cranes on the old quay at dawn.")
    assert "Ann Lee" in captions[0]
    assert _body_kept(text)


def test_a_teaser_card_or_a_paragraph_with_an_icon_is_no_figure() -> None:
    card = (
        "<div><img src='/t.jpg'><a href='/news/2025/01/long-headline-of-another-story'>A long "
        "headline of another story</a></div>"
        "<p><img src='/icon.png'> Short line with an icon.</p>"
    )
    _, captions, removed = _pruned(_page(card))
    assert "image_box" not in removed and captions == []


def test_caption_copy_in_a_plain_paragraph_leaves_the_text() -> None:
    html = _page(
        "<figure><img src='/i/1.jpg'><figcaption>Cranes on the old quay at dawn, before "
        "the works begin.</figcaption></figure>"
        "<p>Cranes on the old quay at dawn, before the works begin.</p>"
    )
    article = extract_article(html, URL, decide=False)
    assert "Cranes on the old quay" not in article.text
    assert article.captions == ["Cranes on the old quay at dawn, before the works begin."]


# -- layout tables, date lines ---------------------------------------------------------------


def test_a_page_laid_out_in_tables_reads_as_paragraphs_and_data_tables_stay() -> None:
    cells = "".join(f"{p}<br><br>" for p in BODY)
    html = (
        "<html><body><table><tr><td colspan='2'>The Daily Example</td></tr><tr>"
        "<td><a href='/a'>Home</a><br><a href='/b'>Port</a></td>"
        f"<td><font size='2'><b>Harbour plan approved</b><br>{cells}</font>"
        "<table><tr><th>Year</th><th>Ships</th></tr><tr><td>2024</td><td>812</td></tr></table>"
        "</td></tr></table></body></html>"
    )
    text = _text(html)
    assert "|" not in text and _body_kept(text)
    tree = document_fromstring(html)
    prune_tree(tree, URL)
    assert [t.findtext(".//th") for t in tree.iter("table")] == ["Year"]  # the data table
    data = document_fromstring("<table><tr><td>a</td><td>1</td></tr></table>").find(".//table")
    assert not is_layout(data)


@pytest.mark.parametrize(
    "line",
    [
        "Zuletzt geändert am 8. März 2025",
        "Última actualización: 13 de marzo de 2025",
        "Posted March 10, 2025 at 6:40 pm",
        "12.03.2024 10:15",
        "2025年3月10日",
    ],
)
def test_a_line_that_is_a_date_with_a_label_goes(line: str) -> None:
    assert clean_lines([BODY[0], line, BODY[1]]) == BODY[:2]


def test_a_sentence_with_a_date_and_a_post_signature_stay() -> None:
    lines = [
        "The council met on 3 March 2025 to vote on the budget.",
        "— The Port Board (@portboard) March 10, 2025",
    ]
    assert clean_lines([BODY[0], *lines]) == [BODY[0], *lines]


# -- counting ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "The harbour board approved it.",
        "Die Hafenbehörde verzögerte die Deiche – „sofort“, sagte sie…",
        "Ça coûte 1 500 € ; l’œuvre est ﬁnie.",
        "市议会周二批准了港口扩建计划。",
        "港の拡張計画が火曜日に承認された",
        "คณะกรรมการท่าเรืออนุมัติแผน",
        "Совет одобрил план в четверг.",
        "नगर परिषद ने योजना को मंज़ूरी दी",
        "snake_case and a-b-c, 12.5% ½",
    ],
)
def test_words_count_as_storage_textunits_does(text: str) -> None:
    assert words(text) == word_count(text)
