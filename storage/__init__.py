"""newsdedup storage: the SQLite article store with persistent near-duplicate detection."""

from storage.dedup import DEFAULT_PRESET, PRESETS, Preset
from storage.errors import MissingDependency, ParameterMismatch, SearchQueryError, StoreError
from storage.minhash import MinHashParams
from storage.store import ARTICLE_FIELDS, EXPORT_FIELDS, AddResult, Store

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
