"""Tables used for page layout become plain blocks, so extraction reads them as text, not data.

Old templates lay the whole page out in tables: the masthead, the menu, the story and the
footer are cells of one grid, and an extractor that keeps tables (for real data tables) prints
the page as rows of cells. A table is layout when it nests another table, holds a single
column, or holds prose (a long paragraph, a long cell); a data table does none of these.
"""

from __future__ import annotations

from lxml.html import HtmlElement

from crawler.page.cleaning.measure import text_content, words

# A cell holding a paragraph this long holds prose, not a datum.
PROSE_MIN_WORDS = 25
# So does a cell of this many characters, in a table of at most LAYOUT_MAX_CELLS cells (a grid
# for a page has a few cells; a data table with many is not read cell by cell).
PROSE_MIN_CHARS = 400
LAYOUT_MAX_CELLS = 40
_CELLS = ("td", "th")
_ROW_GROUPS = ("tbody", "thead", "tfoot")


def _own(table: HtmlElement, *tags: str) -> list[HtmlElement]:
    """The elements of ``table`` with one of ``tags``, leaving out those of nested tables."""
    return [el for el in table.iter(*tags) if next(el.iterancestors("table"), None) is table]


def is_layout(table: HtmlElement) -> bool:
    """True for a table that lays out blocks rather than holding data."""
    if (table.get("role") or "").lower() in ("presentation", "none"):
        return True
    if next(table.iterdescendants("table"), None) is not None:
        return True
    rows = _own(table, "tr")
    if all(sum(1 for _ in row.iterchildren(*_CELLS)) <= 1 for row in rows):
        return True
    if any(words(text_content(p)) >= PROSE_MIN_WORDS for p in table.iter("p")):
        return True
    cells = [cell for row in rows for cell in row.iterchildren(*_CELLS)]
    return len(cells) <= LAYOUT_MAX_CELLS and any(
        len(text_content(cell)) >= PROSE_MIN_CHARS for cell in cells
    )


def unwrap(table: HtmlElement) -> None:
    """Turn ``table``, its rows and cells into <div> elements, in place; nested tables are
    judged on their own."""
    for el in _own(table, "tr", "td", "th", "caption", *_ROW_GROUPS):
        if el.tag in _ROW_GROUPS:
            el.drop_tag()
        else:
            el.tag = "div"
    table.tag = "div"


def unwrap_layout_tables(tables: list[HtmlElement]) -> int:
    """Unwrap the layout tables among ``tables`` (outer ones first); return how many."""
    done = 0
    for table in tables:
        if table.tag == "table" and is_layout(table):
            unwrap(table)
            done += 1
    return done


__all__ = ["is_layout", "unwrap", "unwrap_layout_tables"]
