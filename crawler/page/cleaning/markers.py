"""What an element's class or id says it is: a caption, a related list, a widget or a side box.

Markers only add evidence to the structural rules: a block is removed by its class when it is
small or link-heavy, never when it holds the article (see :mod:`crawler.page.cleaning.tree`).
"""

from __future__ import annotations

import re
from functools import lru_cache

# Markers are compared lowercased with "-" and "_" removed ("read-more", "readMore" ->
# "readmore"), by substring: a plain search is much cheaper than one regex per class name.
_CAPTION_WORDS = ("caption", "credit", "photographer", "bildunterschrift", "legende")
_LINKLIST_WORDS = (
    "related", "recommend", "readmore", "morestories", "morenews", "morearticles", "mostread",
    "mostpopular", "mostviewed", "alsoread", "youmay", "outbrain", "taboola", "trending",
    "furtherreading",
)  # fmt: skip
_WIDGET_WORDS = (
    "social", "share", "sharing", "newsletter", "subscribe", "signup", "followus", "printlink",
    "printbutton", "cookie", "consent", "advert", "adslot", "adcontainer", "sponsor",
)  # fmt: skip
# Boxes beside the story inside the article: the author's bio, a fact box. Templates name them
# plainly, and they can be long (a fact box holding a full transcript). "Info boxes" are left
# alone: some sites put the whole article, or a paragraph of it, in one.
_BOX_WORDS = ("authorbio", "aboutauthor", "abouttheauthor", "authorbox", "factbox")

CAPTION = "caption"
LINKLIST = "linklist"
WIDGET = "widget"
BOX = "box"

_KINDS = {
    **{w: BOX for w in _BOX_WORDS},
    **{w: WIDGET for w in _WIDGET_WORDS},
    **{w: LINKLIST for w in _LINKLIST_WORDS},
    **{w: CAPTION for w in _CAPTION_WORDS},
}


def _trie_pattern(words: list[str]) -> str:
    """Regex alternation of ``words`` grouped by shared prefixes (several times faster)."""
    if "" in words:
        rest = [w for w in words if w]
        return f"(?:{_trie_pattern(rest)})?" if rest else ""
    groups: dict[str, list[str]] = {}
    for word in words:
        groups.setdefault(word[0], []).append(word[1:])
    branches = [re.escape(head) + _trie_pattern(tails) for head, tails in sorted(groups.items())]
    return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"


_MARKER = re.compile(_trie_pattern(sorted(_KINDS)))


# Pages of one site share their templates' class names, so a bounded memo of this pure function
# saves most of the lowercasing and searching over a crawl; it holds no page content.
@lru_cache(maxsize=8192)
def marker_kind(marker: str) -> str | None:
    """CAPTION, LINKLIST, WIDGET or BOX for a class, id or data attribute value, else None."""
    hit = _MARKER.search(marker.lower().replace("-", "").replace("_", ""))
    return _KINDS[hit.group()] if hit else None


__all__ = ["BOX", "CAPTION", "LINKLIST", "WIDGET", "marker_kind"]
