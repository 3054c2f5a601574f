"""What a record becomes in the store's rows, and how a stored row reads back as an article."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from storage.connection import utc_now
from storage.fields import LIST_FIELDS, TEXT_FIELDS
from storage.pagecodec import compress_html, is_zlib


def row_values(record: Mapping[str, Any], url: str, text: str) -> dict[str, Any]:
    """The ``articles`` columns a record sets, from its checked ``url`` and ``text``.

    Raises ValueError for a list field that is not a list.
    """
    values: dict[str, Any] = {"url": url, "text": text}
    for name in TEXT_FIELDS:
        value = record.get(name)
        values[name] = None if value is None else str(value)
    for name in LIST_FIELDS:
        values[name] = json_list(record.get(name), name)
    if values["site"] is None:
        values["site"] = _site_of(url)
    status = record.get("http_status")
    values["http_status"] = None if status is None else int(status)
    values["fetched_at"] = record.get("fetched_at") or utc_now()
    values["match_text"] = match_text(record, text)
    return values


def match_text(record: Mapping[str, Any], text: str) -> str | None:
    """The record's ``match_text`` as stored: None when it is the text itself.

    Raises ValueError when it is not a string.
    """
    match = record.get("match_text")
    if match is None or match == text:
        return None
    if not isinstance(match, str):
        raise ValueError(f"record field 'match_text' must be a string, got {type(match).__name__}")
    return match


def page_blob(record: Mapping[str, Any]) -> bytes | None:
    """The record's page as stored (zlib), compressed here unless it comes compressed.

    Raises ValueError when ``raw_html_zlib`` is not a zlib stream.
    """
    packed = record.get("raw_html_zlib")
    if packed is not None:
        if not is_zlib(packed):
            raise ValueError(
                "record field 'raw_html_zlib' must be bytes compressed with "
                "storage.pagecodec.compress_html (a zlib stream)"
            )
        return bytes(packed)
    raw_html = record.get("raw_html")
    return compress_html(raw_html) if raw_html else None


def _site_of(url: str) -> str:
    # The crawler passes ``site`` (crawler.urls.site_of); this fallback keeps the library usable
    # alone and must not import crawler.
    netloc = urlsplit(url).netloc.lower().rsplit("@", 1)[-1]
    return netloc.removeprefix("www.")


def json_list(value: object, name: str) -> str:
    """A list field as stored: a JSON array of strings. Raises ValueError for a non-list."""
    if value is None:
        return "[]"
    if isinstance(value, str) or not isinstance(value, (list, tuple)):
        raise ValueError(
            f"record field {name!r} must be a list of strings, got {type(value).__name__}"
        )
    return json.dumps([str(v) for v in value], ensure_ascii=False)


def decode(article: dict[str, Any]) -> dict[str, Any]:
    """Turn the stored JSON of ``article``'s list fields into lists, in place; return it."""
    for name in LIST_FIELDS:
        if name in article:
            article[name] = json.loads(article[name]) if article[name] else []
    return article
