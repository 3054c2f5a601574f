"""Archived pages: HTTP responses read from WARC files and HTML pages saved to disk.

Reading is FastWARC's (``pip install 'newsdedup[warc]'``); it reads WARC files about twice as
fast as warcio here (see ``benchmarks/ingest.py``) and decodes chunked and gzip/deflate/brotli
bodies itself. Neither library notices a record cut short by the end of the file, nor gets past a
damaged gzip member, so both are handled here: each record's block is checked against its
declared length, and after a damaged member reading resumes at the next intact one.

Every item read is a :class:`Capture` (a page to process), a :class:`Skipped` record (one that
holds no page: request, metadata, revisit...) or a :class:`Problem` (a record or file that could
not be read, with a message that names it).
"""

from __future__ import annotations

import gzip
import json
import logging
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from hashlib import sha1
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import urlsplit

import lxml.html

from crawler.urls import canonicalize

try:  # optional: only ingest needs it
    import fastwarc
except ImportError:  # pragma: no cover - exercised only without the extra
    fastwarc = None

logger = logging.getLogger(__name__)

WARC_SUFFIXES = (".warc", ".warc.gz")
PAGE_SUFFIXES = (".html", ".htm", ".html.gz", ".htm.gz")
# A record whose block is larger than this is not read at all: no news page is near it, and a
# video or a dump would only be loaded into memory to be thrown away.
MAX_RECORD_BYTES = 64 * 1024 * 1024
# How far into a saved page to look for its <head> (canonical link, og:url).
HEAD_BYTES = 256 * 1024
# Record types that carry a page (revisits carry only a pointer to an earlier capture).
_PAGE_TYPES = ("response", "resource")
_GZIP_MAGIC = b"\x1f\x8b\x08"
_SCAN_CHUNK = 1024 * 1024


class MissingDependency(RuntimeError):
    """A library needed to read the input is not installed; the message says what to install."""


@dataclass
class Capture:
    """One archived page: the bytes that were seen, where and when."""

    record_id: str  # WARC-Record-ID, or sha1:<hex> of a saved page's bytes
    url: str
    body: bytes  # decoded payload (no chunking, no Content-Encoding), at most max_bytes + 1
    status: int
    content_type: str | None
    fetched_at: str  # ISO 8601, UTC
    file: str


@dataclass
class Skipped:
    """A record that holds no page to process; ``reason`` says which kind (counted, no error)."""

    reason: str
    file: str
    record_id: str | None = None
    url: str | None = None


@dataclass
class Problem:
    """A record or a file that could not be read; ``message`` names it and says what is wrong."""

    reason: str  # missing_file, unreadable_file, unsupported_file, corrupt_record, ...
    message: str
    file: str
    record_id: str | None = None
    url: str | None = None


Item = Capture | Skipped | Problem


def _require_fastwarc() -> Any:
    if fastwarc is None:
        raise MissingDependency(
            "reading WARC files needs FastWARC: pip install 'newsdedup[warc]' (or fastwarc)"
        )
    return fastwarc


def kind_of(path: Path) -> str | None:
    """Return "warc", "page" or None for a file name."""
    name = path.name.lower()
    if name.endswith(WARC_SUFFIXES):
        return "warc"
    if name.endswith(PAGE_SUFFIXES):
        return "page"
    return None


def find_inputs(paths: Iterable[str | Path]) -> Iterator[tuple[str, Path] | Problem]:
    """Yield ``(kind, path)`` for each WARC file and saved page named or found in a folder.

    Folders are walked recursively in name order; files of other kinds in a folder are passed
    over. A path that does not exist, or a file named directly that is neither a WARC file nor an
    HTML page, is a :class:`Problem`.
    """
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                kind = kind_of(child)
                if kind and not child.name.startswith("."):
                    yield kind, child
        elif path.is_file():
            kind = kind_of(path)
            if kind is None:
                yield Problem(
                    "unsupported_file",
                    f"{path}: not a WARC file (.warc, .warc.gz) nor a saved page "
                    f"({', '.join(PAGE_SUFFIXES)}); pass those or a folder holding them",
                    str(path),
                )
            else:
                yield kind, path
        else:
            yield Problem(
                "missing_file", f"{path}: no such file or folder; check the path", str(path)
            )


# ---------------------------------------------------------------------- WARC files


def _iso(value: datetime | None) -> str:
    if value is None:
        value = datetime.now(timezone.utc)
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc).replace(microsecond=0).isoformat()


def _next_start(raw: BinaryIO, after: int, gzipped: bool) -> int | None:
    """Return the offset of the next readable record start after ``after``, or None.

    In a gzip WARC every record is its own gzip member, so reading can resume at the next member
    that inflates to a WARC header; in a plain WARC at the next line starting with "WARC/".
    """
    marker = _GZIP_MAGIC if gzipped else b"\nWARC/"
    position = after
    while True:
        raw.seek(position)
        chunk = raw.read(_SCAN_CHUNK + len(marker))
        if len(chunk) < len(marker):
            return None
        index = chunk.find(marker)
        while index != -1:
            start = position + index + (0 if gzipped else 1)
            if not gzipped or _inflates_to_warc(chunk[index:]):
                return start
            index = chunk.find(marker, index + 1)
        position += _SCAN_CHUNK


def _inflates_to_warc(data: bytes) -> bool:
    try:
        head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(data, 8)
    except zlib.error:
        return False
    return head.startswith(b"WARC/")


def read_warc(path: Path, *, max_bytes: int) -> Iterator[Item]:
    """Yield what the WARC file at ``path`` (plain or gzip) holds, record by record.

    Response and resource records become :class:`Capture` items with their payload decoded
    (at most ``max_bytes + 1`` bytes of it, so a caller can tell it was larger); other records are
    :class:`Skipped`. A record cut short, a damaged gzip member or unreadable data is a
    :class:`Problem`, and reading goes on with the next record that can be read.
    Raises MissingDependency when FastWARC is not installed, OSError when the file cannot be
    opened.
    """
    fw = _require_fastwarc()
    file = str(path)
    with open(path, "rb") as raw:
        gzipped = raw.read(3) == _GZIP_MAGIC
        offset: int | None = 0
        while offset is not None:
            raw.seek(offset)
            last = offset - 1  # start of the last record that began well
            try:
                for record in fw.ArchiveIterator(raw, parse_http=False):
                    last = record.stream_pos
                    yield _item(fw, record, file, max_bytes)
                return
            except (OSError, ValueError, RuntimeError) as err:
                # Resume strictly after the record that failed (or the point we resumed at),
                # so a damaged member is never read twice.
                failed_at = max(last, offset)
                offset = _next_start(raw, failed_at + 1, gzipped)
                where = "the end of the file" if offset is None else f"offset {offset}"
                yield Problem(
                    "corrupt_record",
                    f"{file}: unreadable record at offset {failed_at} ({err}); "
                    f"reading goes on from {where}",
                    file,
                )


def _item(fw: Any, record: Any, file: str, max_bytes: int) -> Item:
    record_type = str(record.record_type)
    record_id = record.record_id or ""
    url = record.headers.get("WARC-Target-URI")
    if record_type not in _PAGE_TYPES:
        return Skipped(record_type, file, record_id, url)
    if not url:
        return Problem(
            "no_url", f"{file}: {record_type} record {record_id} has no WARC-Target-URI", file
        )
    url = url.strip().strip("<>")  # WARC 1.0 allowed <angle brackets> around the URI
    declared = record.content_length
    if declared > MAX_RECORD_BYTES:
        return Skipped("too_large", file, record_id, url)
    block = record.reader.read()
    if len(block) < declared:
        return Problem(
            "truncated_record",
            f"{file}: record {record_id} ({url}) is cut short: {len(block)} of its "
            f"{declared} bytes are in the file",
            file,
            record_id,
            url,
        )
    fetched_at = _iso(record.record_date)
    if record.is_http:
        record.set_bytes_content(block)
        try:
            record.parse_http(auto_decode="all")
            body = record.reader.read(max_bytes + 1)
        except (OSError, ValueError, RuntimeError) as err:
            return Problem(
                "corrupt_record",
                f"{file}: record {record_id} ({url}) holds no readable HTTP response: {err}",
                file,
                record_id,
                url,
            )
        status = record.http_headers.status_code
        content_type = record.http_headers.get("Content-Type")
        if status is None:
            return Problem(
                "corrupt_record",
                f"{file}: record {record_id} ({url}) has no HTTP status line",
                file,
                record_id,
                url,
            )
    else:  # a resource record: the block is the document itself
        status, body = 200, block[: max_bytes + 1]
        content_type = record.headers.get("Content-Type")
    return Capture(record_id, url, body, int(status), content_type, fetched_at, file)


# ---------------------------------------------------------------------- saved pages


def _sidecar(path: Path) -> dict[str, Any]:
    """Return the JSON sidecar of a saved page (``story.html`` -> ``story.json``), or {}."""
    stem = path.name
    for suffix in PAGE_SUFFIXES:
        if stem.lower().endswith(suffix):
            stem = stem[: -len(suffix)]
            break
    sidecar = path.with_name(stem + ".json")
    if not sidecar.is_file():
        return {}
    try:
        data = json.loads(sidecar.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        logger.warning("ignoring unreadable sidecar %s: %s", sidecar, err)
        return {}
    return data if isinstance(data, dict) else {}


def page_url(body: bytes) -> str | None:
    """Return the absolute http(s) URL a page gives for itself (rel=canonical, og:url), or None."""
    head = body[:HEAD_BYTES]
    end = head.lower().find(b"</head>")
    if end != -1:
        head = head[: end + 7]
    try:
        doc = lxml.html.document_fromstring(head)
    except (lxml.etree.ParserError, ValueError):
        return None
    candidates = [
        link.get("href")
        for link in doc.iter("link")
        if "canonical" in (link.get("rel") or "").lower().split()
    ]
    candidates += [
        meta.get("content") for meta in doc.iter("meta") if meta.get("property") == "og:url"
    ]
    for candidate in candidates:
        url = (candidate or "").strip()
        parts = urlsplit(url)
        if parts.scheme in ("http", "https") and parts.hostname:
            return canonicalize(url)
    return None


def read_saved_page(path: Path, *, max_bytes: int) -> Capture | Problem:
    """Read a saved ``.html``/``.html.gz`` page; its URL comes from a sidecar or the page itself.

    The sidecar is ``<name>.json`` beside the page with ``"url"`` (and optionally
    ``"fetched_at"``); without it the page's canonical link or og:url is used. The record id is
    the SHA-1 of the page's bytes, so the same page saved twice is read once.
    """
    file = str(path)
    try:
        if path.name.lower().endswith(".gz"):
            with gzip.open(path, "rb") as stream:
                body = stream.read(max_bytes + 1)
        else:
            with open(path, "rb") as stream:
                body = stream.read(max_bytes + 1)
        stat = path.stat()
    except (OSError, EOFError, zlib.error) as err:
        return Problem("unreadable_file", f"{file}: cannot read the page: {err}", file)
    meta = _sidecar(path)
    url = meta.get("url") if isinstance(meta.get("url"), str) else None
    url = url or page_url(body)
    if not url:
        return Problem(
            "no_url",
            f"{file}: no URL for this page (no canonical link or og:url in it); put "
            f'{{"url": "https://..."}} in a .json file of the same name beside it',
            file,
        )
    fetched_at = meta.get("fetched_at")
    if not isinstance(fetched_at, str):
        fetched_at = _iso(datetime.fromtimestamp(stat.st_mtime, timezone.utc))
    record_id = "sha1:" + sha1(body).hexdigest()
    return Capture(record_id, url, body, 200, "text/html", fetched_at, file)


__all__ = [
    "Capture",
    "MissingDependency",
    "PAGE_SUFFIXES",
    "Problem",
    "Skipped",
    "WARC_SUFFIXES",
    "find_inputs",
    "kind_of",
    "page_url",
    "read_saved_page",
    "read_warc",
]
