"""Cleaning of article text: captions, related blocks, repeats and labels out of the body."""

from crawler.page.cleaning.boilerplate import (
    BoilerplateStore,
    MemoryBoilerplateStore,
    SiteBoilerplate,
)
from crawler.page.cleaning.text import clean_lines, clean_text
from crawler.page.cleaning.tree import TreeFindings, prune_tree

__all__ = [
    "BoilerplateStore",
    "MemoryBoilerplateStore",
    "SiteBoilerplate",
    "TreeFindings",
    "clean_lines",
    "clean_text",
    "prune_tree",
]
