"""The access field: free, paywalled (the page says so) or truncated (the body stops at a wall),
read from test pages for every case, stored, exported and filtered on."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from crawler.cli import main
from crawler.page.extract import extract_article
from storage import Store

URL = "https://paper.example/news/2026/harbour-bridge-reopens"
STORY = [
    "The harbour bridge reopened on Monday after eight months of repairs to its steel deck, "
    "the city council said in a statement released early in the morning.",
    "Engineers replaced more than four hundred bolts and repainted the whole span, work that "
    "was delayed twice by winter storms and a shortage of the special paint required.",
    "Commuters who had used the ferry since March welcomed the reopening, although some said "
    "the new toll of two euros would make them think twice about driving into town.",
    "The council expects traffic to return to its earlier level within a few weeks and will "
    "publish counts from the new sensors every month on its website.",
    "Shops along the quay reported their best weekend since the closure, and the bakery at the "
    "foot of the bridge said it had sold out of bread by ten o'clock on Saturday.",
    "The repairs cost eleven million euros, about a fifth more than planned, and the council "
    "said it would ask the regional government to pay part of the difference next year.",
]


def page(
    paragraphs: list[str],
    *,
    ld: dict | None = None,
    after: str = "",
    head: str = "",
    wall: str = "",
) -> str:
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": "Harbour bridge reopens",
        **(ld or {}),
    }
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        "<html><head><title>Harbour bridge reopens</title>"
        f'<script type="application/ld+json">{json.dumps(data)}</script>{head}</head>'
        "<body><header><nav><a href='/'>Home</a></nav></header>"
        f"<article><h1>Harbour bridge reopens</h1>{body}{after}</article>{wall}"
        "<footer><p>Copyright Paper Example</p></footer></body></html>"
    )


def walled(free: object, part_free: object, selector: str) -> dict:
    """JSON-LD declaring the article's access and that of a part of it, as Google documents."""
    return {
        "isAccessibleForFree": free,
        "hasPart": {
            "@type": "WebPageElement",
            "isAccessibleForFree": part_free,
            "cssSelector": selector,
        },
    }


CASES = {
    "free: plain article": (page(STORY), "free"),
    "free: says it is free": (page(STORY, ld={"isAccessibleForFree": True}), "free"),
    "free: a sentence about subscribers": (
        page([*STORY, "The ferry company said its subscribers would get a refund for March."]),
        "free",
    ),
    "free: wall markup that is not raised": (
        page(STORY, after='<div class="tp-modal"></div><div class="paywall-container"></div>'),
        "free",
    ),
    "paywalled: isAccessibleForFree false": (
        page(STORY, ld={"isAccessibleForFree": False}),
        "paywalled",
    ),
    "paywalled: isAccessibleForFree 'False'": (
        page(STORY, ld={"isAccessibleForFree": "False"}),
        "paywalled",
    ),
    "paywalled: hasPart WebPageElement": (
        page(
            STORY[:4],
            ld=walled("True", "False", ".paywall"),
            after=f'<div class="paywall"><p>{STORY[4]}</p><p>{STORY[5]}</p></div>',
        ),
        "paywalled",
    ),
    "free: declared free, the walled part is not on the page": (
        page(
            STORY,
            ld=walled(True, "http://schema.org/False", ".premium-part"),
        ),
        "free",
    ),
    "paywalled: declared not free, the walled part is not on the page": (
        page(
            STORY,
            ld=walled(False, False, ".premium-part"),
        ),
        "paywalled",
    ),
    "paywalled: a schema.org URL for false": (
        page(STORY, ld={"isAccessibleForFree": "http://schema.org/False"}),
        "paywalled",
    ),
    "paywalled: @graph": (
        page(STORY, ld={"@graph": [{"@type": "WebPage", "isAccessibleForFree": "false"}]}),
        "paywalled",
    ),
    "free: only a sign-up wall is declared": (
        page(
            STORY,
            ld=walled(False, False, ".newsletter-signup-wall"),
        ),
        "free",
    ),
    "truncated: declared not free, teaser body": (
        page(STORY[:2], ld={"isAccessibleForFree": False}),
        "truncated",
    ),
    "paywalled: content tier meta": (
        page(STORY, head='<meta property="article:content_tier" content="locked">'),
        "paywalled",
    ),
    "truncated: subscribe to continue reading": (
        page([*STORY[:2], "Subscribe to continue reading."]),
        "truncated",
    ),
    "truncated: already a subscriber": (
        page([*STORY[:2], "This article is for subscribers only.", "Already a subscriber? Log in"]),
        "truncated",
    ),
    "truncated: German prompt": (
        page([*STORY[:2], "Weiterlesen mit Z+ – jetzt 4 Wochen kostenlos testen."]),
        "truncated",
    ),
    "truncated: wall container with a prompt, teaser body": (
        page(
            STORY[:2],
            wall='<div class="article-paywall"><h3>Read the full story</h3>'
            "<p>Subscribe today for unlimited digital access.</p><button>Subscribe</button></div>",
        ),
        "truncated",
    ),
    "truncated wins over declared": (
        page(
            [*STORY[:1], "To continue reading, subscribe now."], ld={"isAccessibleForFree": False}
        ),
        "truncated",
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_access_of_test_pages(name: str) -> None:
    html, expected = CASES[name]
    assert extract_article(html, URL, decide=False).access == expected


def _store(path: Path) -> None:
    with Store.open(path) as store:
        for i, (name, (html, _)) in enumerate(CASES.items()):
            article = extract_article(html, URL, decide=False)
            store.add_article(
                {
                    "url": f"https://paper.example/{i}",
                    "title": name,
                    "text": f"harbour {name}\n" + " ".join(f"w{i}x{j}" for j in range(60)),
                    "site": "paper.example",
                    "access": article.access,
                }
            )


def test_export_and_search_filter_on_access(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    _store(db)
    with Store.open(db) as store:
        assert {a["access"] for a in store.iter_articles(access=["free"])} == {"free"}
        walled = sum(1 for _, expected in CASES.values() if expected != "free")
        assert store.count_articles(access=("paywalled", "truncated")) == walled
        hits = store.search("harbour", access="truncated", limit=50)
        assert hits and all(store.get(h["id"])["access"] == "truncated" for h in hits)
    runner = CliRunner()
    result = runner.invoke(main, ["export", "--db", str(db), "--access", "free"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == len(CASES) - walled and {r["access"] for r in rows} == {"free"}
    result = runner.invoke(
        main, ["export", "--db", str(db), "--access", "paywalled,truncated", "--access", "free"]
    )
    assert len(result.stdout.splitlines()) == len(CASES)
    result = runner.invoke(main, ["search", "bridge", "--db", str(db), "--access", "paid"])
    assert result.exit_code == 2
    assert "unknown access value(s) paid" in result.output
    assert "free, paywalled, truncated" in result.output
