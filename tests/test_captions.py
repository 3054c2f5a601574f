"""Captions and credits, whatever the figure's markup: each goes in ``captions`` once and out of
the text. Pages written here, one per way a template sets a caption beside its image."""

from __future__ import annotations

from harbour import BODY

from crawler.page.extract import extract_article

URL = "https://www.harbour-post.test/news/2025/03/harbour-plan-approved"
CAPTION = "Cranes stand on the old quay at dawn, before the works begin next spring"
# Few enough words to pass for a label left behind, once the image box beside it is gone.
SHORT_CAPTION = "Cranes on the old quay"
CREDIT = "Photo: Ann Lee/Harbour Agency"


def _page(figure: str, *, head: str = "") -> str:
    first = "".join(f"<p>{p}</p>" for p in BODY[:2])
    rest = "".join(f"<p>{p}</p>" for p in BODY[2:])
    return (
        f"<html><head><title>Harbour plan approved</title>{head}</head><body>"
        f"<article><h1>Harbour plan approved</h1>{first}{figure}{rest}</article></body></html>"
    )


def _caption_kept(figure: str, caption: str = CAPTION) -> list[str]:
    """The captions found; asserts the caption is among them, once, and out of the text."""
    article = extract_article(_page(figure), URL, decide=False)
    assert caption not in article.text
    assert sum(caption in found for found in article.captions) == 1, article.captions
    for paragraph in BODY:
        assert paragraph in article.text
    return article.captions


def _stays_text(fragment: str, line: str) -> None:
    """Asserts ``line`` of the page built around ``fragment`` stays in the text, no caption."""
    article = extract_article(_page(fragment), URL, decide=False)
    assert line in article.text
    assert not any(line in found for found in article.captions), article.captions


def test_picture_with_many_sources_is_one_image() -> None:
    # Unclosed <source> tags, which the parser nests, and more of them than a box may hold.
    sources = "".join(f"<source media='(min-width:{w}px)' srcset='/i/1-{w}.jpg'>" for w in range(8))
    _caption_kept(
        f"<div class='fig'><div class='media'><div class='wrap'><picture>{sources}"
        f"<img src='/i/1.jpg'></picture></div></div><div class='info'><p>{CAPTION}</p></div></div>"
    )


def test_noscript_copy_and_json_ld_of_the_image_do_not_spoil_the_box() -> None:
    captions = _caption_kept(
        "<div class='media'><script type='application/ld+json'>{\"@type\": \"ImageObject\", "
        '"description": "' + "a long description of the image, " * 10 + '"}</script>'
        "<div class='wrap'><img src='/i/1.jpg'><noscript><img src='/i/1.jpg'></noscript></div>"
        f"<div class='info'><span>{CAPTION}</span> <span>{CREDIT}</span></div></div>"
    )
    assert any(CREDIT in found for found in captions)
    assert not any("ImageObject" in found for found in captions)


def test_figcaption_beside_a_credited_image_box() -> None:
    # The image's own box holds the credit; the <figcaption> is its sibling in the <figure>,
    # which must go with the box, not as the remains of it.
    captions = _caption_kept(
        f"<figure><div class='m'><div><img src='/i/1.jpg'></div><span>{CREDIT}</span></div>"
        f"<figcaption><p><span>{SHORT_CAPTION}</span></p></figcaption></figure>",
        SHORT_CAPTION,
    )
    assert any(CREDIT in found for found in captions)


def test_long_caption_block_beside_an_image_is_a_caption() -> None:
    long_caption = (
        "The chair of the harbour board speaks to residents gathered on the old quay on "
        "Tuesday evening, after the vote that approved the expansion plan, while members of "
        "the local associations listen behind her. " + CREDIT
    )
    _caption_kept(
        "<div class='img-set'><div class='img-box'><img src='/i/1.jpg'>"
        "<button type='button'>Zoom</button></div>"
        f"<div class='caption'><p>{long_caption}</p></div></div>",
        long_caption,
    )


def test_image_aside_inside_the_article() -> None:
    _caption_kept(
        f"<aside class='left'><a href='/i/1-big.jpg'><img src='/i/1.jpg'></a>"
        f"<p class='caption'>{CAPTION}</p></aside>"
    )


# Templates indent deeply: white space alone must not make a label long.
INDENT = "\n" + " " * 60


def test_gallery_slide_with_its_buttons() -> None:
    # Indented markup, an icon in the full-screen button, a "read more" for the caption.
    slide = (
        "<div class='slide'>\n  <div class='slide-media'>\n    <picture><img src='/i/{n}.jpg'>"
        "</picture>\n    <button aria-label='Full screen'>{indent}<svg width='35'></svg>{indent}"
        "</button>\n  </div>\n  <div class='slide-info'><span>{n} of 2 | </span>"
        "<span><p>{caption}</p></span>\n    <button>Read more</button>\n  </div>\n</div>"
    )
    second = "Dock workers unload the first ship at the new terminal on a grey morning"
    captions = _caption_kept(
        "<div class='gallery'>"
        + slide.format(n=1, caption=CAPTION, indent=INDENT)
        + slide.format(n=2, caption=second, indent=INDENT)
        + "</div>"
    )
    assert any(second in found for found in captions)
    assert not any("Read more" in found or "Full screen" in found for found in captions)


def test_a_box_with_a_call_to_action_is_no_figure() -> None:
    promo = "Get the harbour letter every morning in your inbox"
    article = extract_article(
        _page(
            f"<div class='promo'><img src='/i/letter.png'><p>{promo}</p>"
            "<button>Sign up for free today</button></div>"
        ),
        URL,
        decide=False,
    )
    assert not any(promo in found for found in article.captions)


def test_icons_beside_the_image_are_not_images() -> None:
    icon = "<div class='icon'><svg width='16' height='16'><path d='M1 1'/></svg></div>"
    _caption_kept(
        f"<div class='img'><div class='wrap'><img src='/i/1.jpg'><div>{icon}{icon}</div></div>"
        f"<div class='desc'><div>{CAPTION} <span>{CREDIT}</span></div></div></div>"
    )


def test_gallery_item_in_a_list() -> None:
    _caption_kept(
        "<div class='gallery'><ul class='items'><li class='item'><div class='wrap'>"
        f"<img src='/i/1.jpg'></div><span class='info'>{CAPTION} {CREDIT}</span></li></ul></div>"
    )


def test_an_icon_in_a_list_item_is_no_figure() -> None:
    item = "Harbour tours run every Saturday from the old quay until the end of October"
    _stays_text(
        f"<ul><li><img src='/i/boat.png'> {item}</li><li>Another line of the list</li></ul>", item
    )


def test_a_label_in_the_image_box_leaves_the_caption_beside_it() -> None:
    _caption_kept(
        "<div class='image-wrapper'><div class='field'><div class='label'>Image</div>"
        "<div class='item'><img src='/i/1.jpg'></div></div>"
        f"<span class='legend'>{CAPTION}</span></div>"
    )


def test_a_caption_block_longer_than_the_article_stays_text_and_never_crashes() -> None:
    long_block = " ".join(f"word{n}" for n in range(400))
    article = extract_article(
        _page(
            "<div class='img-set'><div class='img-box'><img src='/i/1.jpg'></div>"
            f"<div class='caption'><p>{long_block}</p></div></div>"
        ),
        URL,
        decide=False,
    )
    assert not any(long_block in found for found in article.captions)


def test_a_short_emphasised_paragraph_under_a_bare_image_is_its_caption() -> None:
    _caption_kept(
        f"<figure class='image'><img src='/i/1.jpg' alt=''></figure><p><strong>{CAPTION}."
        "</strong></p>",
        CAPTION + ".",
    )


def test_a_bold_subheading_under_an_image_stays_text() -> None:
    subheading = "What the harbour board decided"
    _stays_text(
        f"<figure><img src='/i/1.jpg' alt=''></figure><p><strong>{subheading}</strong></p>",
        subheading,
    )


def test_an_emphasised_paragraph_away_from_any_image_stays_text() -> None:
    line = "The vote was eleven to two."
    _stays_text(f"<p><strong>{line}</strong></p>", line)
