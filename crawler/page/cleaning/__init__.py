"""Cleaning of article text: captions, related blocks, repeats and labels out of the body."""

from crawler.page.cleaning.boilerplate import PageLines, is_boilerplate, strip
from crawler.page.cleaning.text import clean_lines, clean_text
from crawler.page.cleaning.tree import TreeFindings, prune_tree

__all__ = [
    "PageLines",
    "TreeFindings",
    "clean_lines",
    "clean_text",
    "is_boilerplate",
    "prune_tree",
    "strip",
]
