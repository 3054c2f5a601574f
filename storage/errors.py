"""Exceptions raised by the store; each message names the problem, the file and the fix."""

from __future__ import annotations


class StoreError(Exception):
    """Something is wrong with the store or with a request made to it."""


class ParameterMismatch(StoreError):
    """The store was built with other dedup parameters than the ones asked for."""


class SearchQueryError(StoreError):
    """A full-text search query could not be parsed by SQLite FTS5."""


class MissingDependency(StoreError):
    """An optional dependency (such as pyarrow for Parquet) is not installed."""
