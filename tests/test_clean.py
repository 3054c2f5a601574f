"""Line rules of the text cleaner and the tree pass, on small hand-written inputs."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml.html import document_fromstring

from crawler.page.cleaning import clean_lines, clean_text, prune_tree
from crawler.page.cleaning.copies import line_key

SEED = Path(__file__).resolve().parents[1].parent / "shared" / "seed" / "dawn_peacekeeping_raw.txt"
LONG = (
    "The council said the final bill came to 212 million, about a fifth more than budgeted, "
    "and that an independent review would report before the end of the year."
)


@pytest.mark.corpus
@pytest.mark.skipif(not SEED.exists(), reason="../shared/seed is not present")
def test_seed_text_comes_out_as_its_readme_says() -> None:
    raw = SEED.read_text(encoding="utf-8")
    title = "Dar urges modernisation and unity in UN peacekeeping"
    found: list[str] = []
    lines = clean_lines(raw.split("\n"), title=title, found_captions=found)
    assert lines[0].startswith("ISLAMABAD: Foreign Minister Ishaq Dar on Wednesday")
    assert lines[-1].endswith("scheduled for Berlin later this year.")
    assert found == [
        "Foreign Minister Ishaq Dar chairing a meeting in this undated picture. — APP/Files"
    ]
    assert all("Related" not in line and "Read More" not in line for line in lines)


def test_repeated_paragraph_is_kept_once() -> None:
    assert clean_lines([LONG, "Something else entirely happened on the same day.", LONG]) == [
        LONG,
        "Something else entirely happened on the same day.",
    ]


def test_caption_copy_and_near_copy_are_dropped() -> None:
    caption = "Cars cross the reopened bridge on Tuesday morning. Photo: Jane Doe/Reuters"
    lines = ["Cars cross the reopened bridge on Tuesday morning.", LONG, caption]
    assert clean_lines(lines, captions=[caption]) == [LONG]


def test_alt_text_copy_is_dropped() -> None:
    alt = "A crowd gathers outside the town hall before the vote"
    assert clean_lines([alt, LONG], alt_texts=[alt]) == [LONG]


@pytest.mark.parametrize(
    "line",
    [
        "Read more: Ferry fares rise again as bridge works drag on",
        "READ MORE | Council budget gap widens",
        "Also read: Ten things to know about the new bridge",
        "Related: Council approves tram line",
        "Lesen Sie auch: Parkgebühren steigen",
        "À lire aussi : La mairie vote le budget",
        "Lea también: El ayuntamiento aprueba el presupuesto",
        "Advertisement",
        "Story continues below advertisement",
        "Share this article",
        "Published July 1, 2025",
        "Updated: 12.03.2024 10:15",
        "July 1, 2025",
        "Photo: Jane Doe/Reuters",
        "- Order Reprints",
        "- Print Article",
        "An error has occurred, please try again later.",
        "https://img.example.com/2025/06/bridge-500-250.jpg",
        "Our Latest Stories",
        "This copy is for your personal, non-commercial use only.",
    ],
)
def test_furniture_lines_are_dropped(line: str) -> None:
    assert clean_lines([LONG, line]) == [LONG]


def test_related_heading_takes_its_teasers_but_not_the_story_after() -> None:
    lines = [
        LONG,
        "You may also like",
        "Tram line extension approved",
        "New cycle lanes for the seafront",
        "Local shop owners on the bridge approach, who say they lost much of their trade during "
        "the closure, have asked the council for a rates holiday to help them recover from it.",
    ]
    assert clean_lines(lines) == [lines[0], lines[-1]]


def test_title_is_dropped_only_near_the_top() -> None:
    title = "Harbour bridge reopens after two-year repair"
    assert clean_lines([title, LONG], title=title) == [LONG]
    assert clean_lines([f"{title} | The Daily Courier", LONG], title=title) == [LONG]
    body = [LONG, LONG + " Two.", LONG + " Three.", title]
    assert clean_lines(body, title=title) == body


def test_byline_dropped_only_near_the_top() -> None:
    assert clean_lines(["By Maria Ortega", LONG], authors=["Maria Ortega"]) == [LONG]
    quote = "By Ortega's own account the works were late."
    assert clean_lines([LONG, LONG + " More.", "x " * 5, quote], authors=["Maria Ortega"])[-1] == (
        quote
    )


def test_real_sentences_survive() -> None:
    lines = [
        "Related talks between the two unions broke down late on Monday, officials said.",
        "Read more about the proposal, he told reporters, and you will see it works.",
        "More than 300 people attended the meeting in the town hall on Tuesday.",
        LONG,
    ]
    assert clean_lines(lines) == lines


def test_clean_text_joins_with_newlines() -> None:
    assert clean_text(f"{LONG}\nAdvertisement\n{LONG}") == LONG


def test_tree_pass_takes_captions_and_related_blocks() -> None:
    tree = document_fromstring(
        "<html><body><article>"
        "<figure><img src='a.jpg' alt='The old harbour bridge seen from the ferry'>"
        "<figcaption>The bridge in 2023. Photo: Jane Doe</figcaption></figure>"
        f"<p>{LONG}</p>"
        "<div><h3>Related stories</h3><ul><li><a href='/a'>One</a></li>"
        "<li><a href='/b'>Two</a></li></ul></div>"
        f"<p>{LONG} Again.</p>"
        "<div class='social-share'><a href='#'>Facebook</a></div>"
        "</article></body></html>"
    )
    found = prune_tree(tree)
    text = tree.text_content()
    assert found.captions == ["The bridge in 2023. Photo: Jane Doe"]
    assert found.alt_texts == ["The old harbour bridge seen from the ferry"]
    assert "Related stories" not in text and "One" not in text and "Facebook" not in text
    assert text.count("The council said") == 2


def test_runs_of_links_to_other_stories_are_dropped() -> None:
    teasers = [
        "Tram line extension approved",
        "New cycle lanes for the seafront",
        "Storm warning for the whole coast",
    ]
    links = {"tram line extension approved", "new cycle lanes for the seafront"}
    links.add("storm warning for the whole coast")
    assert clean_lines([LONG, *teasers], link_texts=links) == [LONG]
    # The same lines without links behind them are text (a list in the article).
    assert clean_lines([LONG, *teasers], link_texts={"something else entirely"}) == [LONG, *teasers]
    # A teaser list: each item a headline link and its standfirst, which can be long.
    items = [
        f"- {headline} The story behind it, told in a standfirst of a dozen words or so."
        for headline in teasers
    ]
    assert clean_lines([LONG, *items], link_texts=links) == [LONG]


def test_related_heading_with_known_links_stops_at_unlinked_text() -> None:
    summary = "Short summary of the story in one sentence."
    lines = [LONG, "Read more", summary]
    assert clean_lines(lines, link_texts={"another story"}) == [LONG, summary]


def test_structured_repeats_stay_but_copied_blocks_go() -> None:
    interview = []
    for answer in ("Pasta, mostly.", "Anything with rice.", "Soups in winter."):
        interview += ["What do you like to cook at home?", answer]
    assert clean_lines(interview) == interview
    block = [
        f"Paragraph number {n} of the story, long enough to count as text, and then a little "
        "longer so that the copied block is clearly more than a short recurring sequence."
        for n in range(9)
    ]
    extra = ["Q?", "A.", "Q?", "B.", "Q?", "C."]
    assert clean_lines([*block, *extra, *block]) == [*block, *extra]
    # The first rendering has a bullet line between items, the copy has none: still a copy.
    bulleted = [line for item in block for line in (item, "-")]
    assert clean_lines([*bulleted, *extra, *block]) == [*bulleted, *extra]


def test_excerpt_of_a_body_printed_twice_is_kept_once() -> None:
    # A page that prints its opening and sign-off as an excerpt, then its whole body twice (a
    # visible copy and a data block): the doubled body must not pass for the page's structure.
    opening = "Good evening, here are the stories that mattered to the city council this week."
    sign_off = "Hear this briefing on your smart speaker each evening, from the council desk."
    body = [
        opening,
        *(
            f"Story {n}: the council voted on item {n} of the agenda after a long debate, and "
            "the mayor said the decision would be reviewed before the end of the year."
            for n in range(8)
        ),
        sign_off,
    ]
    lines = [opening, sign_off, "2026-05-01T08:00:00", *body, "2026-05-01T08:00:00", *body]
    kept = clean_lines(lines)
    assert sorted(kept) == sorted(set(kept)), kept
    assert set(kept) == set(body)
    # A page whose own structure recurs beside a copied block keeps that structure.
    extra = ["Q?", "A.", "Q?", "B.", "Q?", "C."]
    assert clean_lines([*body, *extra, *body]) == [*body, *extra]


def test_hover_card_inside_a_sentence_is_cut_out() -> None:
    tree = document_fromstring(
        "<html><body><article><p>A man threatened to kill Rep. <span class='person'>"
        "<a href='/people/jane-roe'>Jane Roe</a><span><span><img src='roe.jpg'>"
        "<a href='/people/jane-roe'>Jane Roe</a>"
        "<a href='/1'>Senators call for a new 5G security coordinator</a> "
        "<a href='/2'>Roe asks court to apply compassion in sentencing</a> "
        "<a href='/people/jane-roe'>MORE</a></span></span></span>, prosecutors said.</p>"
        "<p>He sent <span><a href='/a'>two letters</a> and <a href='/b'>three emails</a></span>"
        " to her office, they said.</p>"
        "</article></body></html>"
    )
    found = prune_tree(tree)
    paragraphs = [" ".join(p.text_content().split()) for p in tree.iter("p")]
    assert paragraphs == [
        "A man threatened to kill Rep. Jane Roe, prosecutors said.",
        "He sent two letters and three emails to her office, they said.",
    ]
    assert found.removed.get("inline_card") == 1


def test_line_cut_short_copy_of_a_paragraph_goes() -> None:
    cut = LONG[:60].rstrip() + "..."
    assert clean_lines([LONG, "Something else entirely happened.", cut]) == [
        LONG,
        "Something else entirely happened.",
    ]
    # An ellipsis on its own line of text is kept when nothing else starts like it.
    assert clean_lines([LONG, "And then the lights went out..."]) == [
        LONG,
        "And then the lights went out...",
    ]


def test_captions_that_quote_the_article_leave_the_text_alone() -> None:
    first = "Currency collectors are hunting for rare dollar bills with a printing error."
    second = "Only nine of these pairs have been matched, leaving many rare bills out there."
    lines = [first, LONG, second]
    assert clean_lines(lines, captions=[first, second]) == lines


def test_tree_pass_drops_headline_lists_and_keeps_video_descriptions() -> None:
    tree = document_fromstring(
        "<html><body><article>"
        f"<p>{LONG}</p>"
        "<ul><li><a href='/a'>Tram line extension approved by council</a></li>"
        "<li><a href='/b'>New cycle lanes for the seafront</a></li></ul>"
        "<ul><li>Three year guarantee</li><li>Draws 300W</li></ul>"
        "<div class='item-caption'><p>New York is the centre of the pandemic in the United "
        "States and sport has come to a halt, with the leagues unsure how the season can go "
        "on.</p></div>"
        "</article></body></html>"
    )
    found = prune_tree(tree)
    text = tree.text_content()
    assert "Tram line" not in text
    assert "Three year guarantee" in text
    assert "New York is the centre" in text
    assert found.captions == []
    assert "tram line extension approved by council" in found.link_texts


@pytest.mark.parametrize(
    "line",
    [
        "Subscribe now to our e-edition for the full story.",
        "Never miss the latest news by signing up to our newsletter today!",
        "Follow The Courier on Twitter and Instagram @DailyCourier.",
        "Zum Newsletter anmelden",
        "Anzeige, enthält Affiliate Links",
        "Suscríbete y recibe las noticias en tu correo.",
        "Pour lire la suite",
        "Crédits photos : Bestimage",
        "Fot. Jan Nowak / Agencja Gazeta",
        "aja/PAP",
        "Empfohlene Beiträge",
        "Contenido relacionado",
        "MIRA: Madre se acerca a conocer los motivos",
        "Lesezeit: 4 Minuten",
        "Tempo de leitura: 2 minutos",
        "Get the day's top headlines delivered to your inbox every morning.",
        "If you enjoyed this article, we have a proposition for you: join our club.",
        "Filed under: Politics |",
        "For more stories like this, check our news page.",
        "Il vous reste 57% de cet article à lire. La suite est réservée aux abonnés.",
        "Mehr zur Lage lesen Sie in unserem Liveblog:",
        "Reviews are unbiased. Postmedia may earn an affiliate commission from purchases.",
        "Uppdaterad 15.59 | Publicerad 14.14",
    ],
)
def test_multilingual_promotion_credits_and_pointers_are_dropped(line: str) -> None:
    assert clean_lines([LONG, line]) == [LONG]


@pytest.mark.parametrize(
    "line",
    [
        "Netflix raised its subscription prices again on Monday, its third rise in two years.",
        "Photos show the damage the storm did to the harbour wall overnight.",
        "Mira: I think we will win the next game, and the one after it.",
        "Pressemitteilung Nr. 48/22 des BAG vom 20.12.2022 – 9 AZR 266/20",
    ],
)
def test_sentences_that_resemble_furniture_stay(line: str) -> None:
    assert clean_lines([LONG, line]) == [LONG, line]


def test_site_name_masthead_line_is_dropped_near_the_top() -> None:
    assert clean_lines(["The Daily Courier", LONG], site_name="The Daily Courier") == [LONG]


def test_closing_notes_about_the_author_or_the_publisher_are_dropped() -> None:
    bio = "Maria Ortega is our city hall reporter and has covered the council since 2015."
    about = "Acme is a global provider of alarm systems, headquartered in Springfield."
    assert clean_lines([LONG, bio], authors=["Maria Ortega"]) == [LONG]
    assert clean_lines([LONG, about], about_names=["acme"]) == [LONG]
    # A closing sentence that only names them stays, and so does a body made of nothing else.
    quote = "Maria Ortega said the council would vote again next week."
    assert clean_lines([LONG, quote], authors=["Maria Ortega"]) == [LONG, quote]
    assert clean_lines([about], about_names=["acme"]) == [about]


def test_shouted_headline_link_and_the_page_address_are_dropped() -> None:
    pointer = "COUNCIL APPROVES TRAM LINE AFTER LONG DEBATE"
    lines = ["https://www.example.com/news/bridge-reopens", LONG, pointer, LONG + " More."]
    assert clean_lines(lines, link_texts={line_key(pointer)}) == [LONG, LONG + " More."]
    # Not a link: a heading in capitals stays.
    assert clean_lines([LONG, pointer]) == [LONG, pointer]


def test_tree_pass_drops_the_next_story_appended_under_the_article() -> None:
    body = "<p>" + LONG * 4 + "</p>"
    tree = document_fromstring(
        f"<html><body><main><article><h1>Bridge reopens</h1>{body}</article>"
        f"<div><article><h1>Another story</h1><p>Other words of another story.</p>"
        f"</article></div></main></body></html>"
    )
    found = prune_tree(tree)
    assert "Another story" not in tree.text_content()
    assert "Bridge reopens" in tree.text_content()
    assert found.removed.get("next_story") == 1


HEADLINE = "Council approves the new tram line"


@pytest.mark.parametrize(
    ("line", "title"),
    [
        ("Budget vote: Council approves the new tram line", HEADLINE),  # a kicker before it
        ("Ahead of the voteCouncil approves the new tram line", HEADLINE),  # glued on
        (HEADLINE, f"{HEADLINE} | The Daily Courier"),  # the <title> carries the site's name
        ("The council approves new tram line", HEADLINE),  # reworded
    ],
)
def test_headline_variants_at_the_top_are_dropped(line: str, title: str) -> None:
    assert clean_lines([line, LONG], title=title) == [LONG]


def test_lines_that_only_resemble_the_headline_stay() -> None:
    title = "Council approves the new tram line"
    lead = "The council approves the new tram line, its members said."
    question = "Why did the council approve the new tram line?"
    assert clean_lines([lead, LONG], title=title) == [lead, LONG]
    assert clean_lines([question, LONG], title=title) == [question, LONG]
    # A one-word title ends many lines: no kicker rule for it.
    assert clean_lines(["The recipe for Muffins", LONG], title="Muffins") == [
        "The recipe for Muffins",
        LONG,
    ]


def test_tree_pass_drops_author_bio_and_fact_boxes_but_not_a_boxed_article() -> None:
    body = "<p>" + LONG * 8 + "</p>"
    box = "<p>" + "A long transcript of the speech, word for word. " * 60 + "</p>"
    tree = document_fromstring(
        f"<html><body><article><div class='article-body'>{body}"
        f"<div class='fact-box'>{box}</div></div>"
        f"<div class='author-bio'><p>Jane Doe covers the council.</p></div>"
        f"</article></body></html>"
    )
    found = prune_tree(tree)
    assert "transcript" not in tree.text_content()
    assert "Jane Doe" not in tree.text_content()
    assert found.removed.get("box_class") == 2
    boxed = document_fromstring(f"<html><body><div class='factbox'>{body}</div></body></html>")
    prune_tree(boxed)
    assert "212 million" in boxed.text_content()


def test_tree_pass_drops_story_cards_nested_in_the_article() -> None:
    body = "<p>" + LONG * 4 + "</p>"
    card = "<article class='card'><h3><a href='/other'>Tram fares rise again next year</a></h3>"
    card += "<p>A short excerpt of that story.</p></article>"
    post = "<article id='post-2' class='post type-post hentry'><p>Another whole post.</p></article>"
    comment = "<article class='comment'><h4><a href='/u/jane'>Jane</a></h4><p>Nice.</p></article>"
    tree = document_fromstring(
        f"<html><body><article id='post-1' class='post type-post hentry'>{body}{card}{post}"
        f"{comment}</article></body></html>"
    )
    found = prune_tree(tree)
    text = tree.text_content()
    assert "excerpt" not in text and "Another whole post" not in text
    assert "Nice." in text and "212 million" in text
    assert found.removed.get("story_card") == 2


def test_headline_printed_twice_is_dropped() -> None:
    card = "Tram fares rise again next year Tram fares rise again next year"
    assert clean_lines([LONG, card, LONG + " More."]) == [LONG, LONG + " More."]


def test_title_without_its_kicker_opening_the_body_is_dropped() -> None:
    title = "Vote in Springfield: Council approves the new tram line"
    assert clean_lines([HEADLINE, LONG], title=title) == [LONG]
    # Further down it may be a heading of the article itself.
    lines = [LONG, "Some words.", HEADLINE, LONG + " More."]
    assert clean_lines(lines, title=title) == lines


def test_tree_pass_drops_lists_of_headlines_behind_bold_kickers() -> None:
    items = "".join(
        f"<li><strong>Kicker {n}: </strong><a href='/s{n}'>Story number {n} is a headline</a></li>"
        for n in range(3)
    )
    tree = document_fromstring(f"<html><body><p>{LONG}</p><ul>{items}</ul></body></html>")
    found = prune_tree(tree)
    assert "Story number" not in tree.text_content()
    assert found.removed.get("link_list") == 1
