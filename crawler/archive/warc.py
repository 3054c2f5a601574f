"""Write fetched responses to WARC files, so a corpus can be rebuilt from the bytes a crawl saw.

:class:`WarcFileWriter` is a plain writer (no Scrapy): gzip WARC 1.1 files, one gzip member per
record, rotated by size, each opening with a ``warcinfo`` record. The crawl feeds it through
:class:`crawler.extensions.WarcExport` when ``NEWSDEDUP_WARC_DIR`` names a folder.

A response is recorded as the crawl's pipelines received it: the body after Scrapy undid its
Content-Encoding and chunking, under its final URL after redirects. The recorded headers say so
(no Content-Encoding or Transfer-Encoding, a Content-Length of the body written), so any WARC
reader, and ``newsdedup ingest``, reads back exactly the bytes that were extracted.
"""

from __future__ import annotations

import base64
import hashlib
import io
import logging
import zlib
from collections.abc import Iterable
from datetime import datetime, timezone
from http import HTTPStatus
from pathlib import Path
from types import TracebackType
from typing import Any, BinaryIO

from crawler import settings as defaults
from crawler.archive.captures import MissingDependency

try:  # optional: only WARC reading and writing need it
    import fastwarc
except ImportError:  # pragma: no cover - exercised only without the extra
    fastwarc = None

logger = logging.getLogger(__name__)

DEFAULT_MAX_MB: int = defaults.NEWSDEDUP_WARC_MAX_MB
DEFAULT_PREFIX: str = defaults.NEWSDEDUP_WARC_PREFIX
SOFTWARE = "newsdedup/0.1"
# gzip level of each record: 6 is zlib's default trade of speed against size.
GZIP_LEVEL = 6
# Hop-by-hop and encoding headers that no longer describe the body as it is written.
_DROPPED_HEADERS = frozenset({"content-encoding", "transfer-encoding", "content-length"})


def _require_fastwarc() -> Any:
    if fastwarc is None:
        raise MissingDependency(
            "writing WARC files needs FastWARC: pip install 'newsdedup[warc]' (or fastwarc)"
        )
    return fastwarc


def payload_digest(body: bytes) -> str:
    """Return a body's ``WARC-Payload-Digest`` value (SHA-1, base32, as crawlers write it)."""
    return "sha1:" + base64.b32encode(hashlib.sha1(body).digest()).decode("ascii")


def _warc_date(when: datetime | None) -> str:
    when = when or datetime.now(timezone.utc)
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return when.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def http_block(status: int, headers: Iterable[tuple[str, str]], body: bytes) -> bytes:
    """Return an HTTP/1.1 response message for ``body``, headers adjusted to the body as is."""
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = ""
    lines = [f"HTTP/1.1 {status} {phrase}".rstrip()]
    lines += [f"{k}: {v}" for k, v in headers if k.lower() not in _DROPPED_HEADERS]
    lines.append(f"Content-Length: {len(body)}")
    head = "\r\n".join(lines).encode("latin-1", "replace")
    return head + b"\r\n\r\n" + body


class WarcFileWriter:
    """Append records to gzip WARC files in ``folder``, one gzip member per record.

    A new file starts when the current one passes ``max_bytes``. Not thread-safe: one writer
    per thread. Raises MissingDependency without FastWARC, OSError when the folder cannot be
    written.
    """

    def __init__(
        self,
        folder: str | Path,
        *,
        prefix: str = DEFAULT_PREFIX,
        max_bytes: int = DEFAULT_MAX_MB * 1024 * 1024,
        info: dict[str, str] | None = None,
    ) -> None:
        self.fw = _require_fastwarc()
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.prefix = prefix
        self.max_bytes = max_bytes
        self.info = {"software": SOFTWARE, "format": "WARC File Format 1.1", **(info or {})}
        self.files: list[Path] = []
        self.records = 0
        self._out: BinaryIO | None = None
        self._serial = 0

    def _open(self) -> BinaryIO:
        if self._out is not None and self._out.tell() < self.max_bytes:
            return self._out
        self.close()
        self._serial += 1
        stamp = datetime.now(timezone.utc).strftime("%Y%m%d%H%M%S")
        path = self.folder / f"{self.prefix}-{stamp}-{self._serial:05d}.warc.gz"
        self._out = open(path, "ab")  # noqa: SIM115 - kept open across records
        self.files.append(path)
        fields = "".join(f"{k}: {v}\r\n" for k, v in self.info.items()).encode("utf-8")
        self._write(
            self._out, "warcinfo", fields, {"WARC-Filename": path.name}, "application/warc-fields"
        )
        return self._out

    def _write(
        self,
        out: BinaryIO,
        record_type: str,
        block: bytes,
        headers: dict[str, str],
        content_type: str,
    ) -> str:
        fw = self.fw
        record = fw.WarcRecord()
        record.init_headers(getattr(fw.WarcRecordType, record_type))
        record.headers.set("Content-Type", content_type)
        for name, value in headers.items():
            record.headers.set(name, value)
        record.set_bytes_content(block)
        buffer = io.BytesIO()
        record.write(buffer, checksum_data=True)
        # Each record its own gzip member: readers can seek to a record, and a damaged member
        # costs only its record.
        packer = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
        out.write(packer.compress(buffer.getvalue()) + packer.flush())
        self.records += 1
        return str(record.record_id)

    def write_response(
        self,
        url: str,
        status: int,
        headers: Iterable[tuple[str, str]],
        body: bytes,
        *,
        fetched_at: datetime | None = None,
    ) -> str:
        """Write one HTTP response record; return its WARC-Record-ID."""
        return self._write(
            self._open(),
            "response",
            http_block(status, headers, body),
            {
                "WARC-Target-URI": url,
                "WARC-Date": _warc_date(fetched_at),
                "WARC-Payload-Digest": payload_digest(body),
            },
            "application/http; msgtype=response",
        )

    def write_revisit(
        self,
        url: str,
        status: int,
        headers: Iterable[tuple[str, str]],
        *,
        digest: str,
        refers_to: str | None = None,
        refers_to_url: str | None = None,
        fetched_at: datetime | None = None,
    ) -> str:
        """Write a revisit record (identical payload: only the headers); return its record id."""
        head = http_block(status, headers, b"")
        extra = {
            "WARC-Target-URI": url,
            "WARC-Date": _warc_date(fetched_at),
            "WARC-Profile": "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest",
            "WARC-Payload-Digest": digest,
        }
        if refers_to:
            extra["WARC-Refers-To"] = refers_to
        if refers_to_url:
            extra["WARC-Refers-To-Target-URI"] = refers_to_url
        return self._write(
            self._open(), "revisit", head, extra, "application/http; msgtype=response"
        )

    def close(self) -> None:
        """Close the current file (idempotent); the next record starts a new one."""
        if self._out is not None:
            self._out.close()
            self._out = None

    def __enter__(self) -> WarcFileWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


__all__ = [
    "DEFAULT_MAX_MB",
    "DEFAULT_PREFIX",
    "WarcFileWriter",
    "http_block",
    "payload_digest",
]
