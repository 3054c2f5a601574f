"""A page read once (PageLines) is stripped and learned exactly as its text would be."""

from __future__ import annotations

from crawler.page.cleaning.boilerplate import (
    MemoryBoilerplateStore,
    PageLines,
    SiteBoilerplate,
    segment_hash,
)

DISCLAIMER = (
    "The views expressed in this article are those of the author and do not necessarily "
    "reflect the editorial policy of the Harbour Gazette, which accepts no liability for them."
)
COMMON = "The company did not respond to a request for comment."


def page(n: int, *extra: str) -> str:
    return "\n".join(
        [
            f"Report {n} opens with a paragraph of its own about harbour works, week {n}.",
            f"Its second paragraph gives the details of report {n}: who came to the quay, what "
            f"they said about the new cranes, and why the meeting on day {n} ran so late.",
            *extra,
            f"Report {n} closes with a line nobody else prints, number {n * 3}.",
        ]
    )


def test_a_page_read_once_strips_and_learns_as_its_text_does() -> None:
    by_text = SiteBoilerplate(MemoryBoilerplateStore())
    by_lines = SiteBoilerplate(MemoryBoilerplateStore())
    for n in range(8):
        text = page(n, DISCLAIMER, COMMON, "Two words", "")
        lines = PageLines(text)
        assert by_lines.strip("a.example", lines) == by_text.strip("a.example", text)
        assert by_lines.learn("a.example", f"https://a.example/{n}", lines)
        assert by_text.learn("a.example", f"https://a.example/{n}", text)
    assert by_lines.store == by_text.store
    assert DISCLAIMER not in by_lines.strip("a.example", PageLines(page(9, DISCLAIMER)))
    lines = PageLines(f"Two words\n{COMMON}\n\n{COMMON}")
    assert lines.hashes == [None, segment_hash(COMMON), None, segment_hash(COMMON)]
    assert lines.segments == {segment_hash(COMMON): (10, COMMON)}
