"""newsdedup storage: the SQLite article store with persistent near-duplicate detection.

The names below are loaded on first use, so a process that needs one light module of the
package (a page worker compressing a page, reading shingles) does not import SQLite, numpy and
the whole store with it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from storage.dedup import DEFAULT_PRESET, PRESETS, Preset
    from storage.errors import MissingDependency, ParameterMismatch, SearchQueryError, StoreError
    from storage.fields import ARTICLE_FIELDS, EXPORT_FIELDS
    from storage.minhash import MinHashParams
    from storage.store import AddResult, Store

# Public name -> the module that defines it.
_HOMES = {
    "ARTICLE_FIELDS": "storage.fields",
    "DEFAULT_PRESET": "storage.dedup",
    "EXPORT_FIELDS": "storage.fields",
    "PRESETS": "storage.dedup",
    "AddResult": "storage.store",
    "MinHashParams": "storage.minhash",
    "MissingDependency": "storage.errors",
    "ParameterMismatch": "storage.errors",
    "Preset": "storage.dedup",
    "SearchQueryError": "storage.errors",
    "Store": "storage.store",
    "StoreError": "storage.errors",
}

__all__ = [
    "ARTICLE_FIELDS",
    "DEFAULT_PRESET",
    "EXPORT_FIELDS",
    "PRESETS",
    "AddResult",
    "MinHashParams",
    "MissingDependency",
    "ParameterMismatch",
    "Preset",
    "SearchQueryError",
    "Store",
    "StoreError",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'storage' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value  # later lookups skip this function
    return value
