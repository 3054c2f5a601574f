"""The article as extraction gives it, its fields taken from the one list in storage.fields."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from typing import Any

from storage.fields import BY_NAME, PAGE_FIELDS

# A field's Python type by its kind in storage.fields.
_TYPES: dict[str, Any] = {"text": str | None, "list": list[str], "int": int | None}
_TYPES["float"] = float | None


def field_specs(names: Iterable[str], required: Sequence[str] = ()) -> list[tuple[Any, ...]]:
    """Return ``make_dataclass`` field specs for article fields ``names``, ``required`` first.

    Required fields take no default; the others default to None, or to an empty list for a list.
    """
    names = list(names)
    specs: list[tuple[Any, ...]] = []
    for name in [*required, *(n for n in names if n not in required)]:
        kind = BY_NAME[name].kind
        if name in required:
            specs.append((name, str if name in ("url", "text") else _TYPES[kind]))
        elif kind == "list":
            specs.append((name, list[str], dataclasses.field(default_factory=list)))
        else:
            specs.append((name, _TYPES[kind], None))
    return specs


def article_class(
    name: str,
    specs: list[tuple[Any, ...]],
    doc: str,
    module: str,
    bases: tuple[type, ...] = (),
) -> type:
    """Return a dataclass built from ``specs``, picklable as ``module.name``."""
    cls = dataclasses.make_dataclass(name, specs, bases=bases)
    cls.__module__ = module
    cls.__doc__ = doc
    return cls


Article = article_class(
    "Article",
    field_specs(PAGE_FIELDS, required=("url", "title", "text")),
    "Result of extraction and cleaning of one page: the page fields of storage.fields.",
    __name__,
)

__all__ = ["Article", "article_class", "field_specs"]
