"""The CMS styles: how each lays out an article page, with several templates per style.

Each module has ``VOCAB`` (its class names for the roles of :class:`~crawler.demo.cms.markup.
Markup`), ``scheme(rng)`` (how it writes class names) and ``article(renderer, article)``; a
style with its own page frame also has ``listing(renderer, listing)`` and ``service(...)``.
"""

from __future__ import annotations

from types import ModuleType

from crawler.demo.cms.styles import arc, drupal, nextjs, table, wordpress

STYLES: dict[str, ModuleType] = {
    "wordpress": wordpress,
    "drupal": drupal,
    "nextjs": nextjs,
    "arc": arc,
    "table": table,
}
