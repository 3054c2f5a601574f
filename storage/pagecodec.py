"""How the store keeps a page's HTML: zlib at a fixed level, recognisable by its header.

A module of its own, free of SQLite and numpy, so page workers can compress a page before
handing it over without importing the store.
"""

from __future__ import annotations

import zlib

# zlib level of kept pages: on news pages it costs half the CPU of zlib's default (6) for about
# 12% more bytes, on a step every stored page goes through.
HTML_ZLIB_LEVEL = 3


def compress_html(html: bytes | str) -> bytes:
    """Return ``html`` compressed as the store keeps pages (``record["raw_html_zlib"]``).

    A str is stored as its UTF-8 bytes. Pure function of its input, so a worker process can
    compress a page before handing it over and the writer spends no time on it.
    """
    data = html.encode("utf-8") if isinstance(html, str) else bytes(html)
    return zlib.compress(data, HTML_ZLIB_LEVEL)


def is_zlib(data: object) -> bool:
    """True when ``data`` starts like a zlib stream (what :func:`compress_html` returns)."""
    # The two-byte zlib header (RFC 1950): deflate method, and a check making it divisible by 31.
    return (
        isinstance(data, bytes)
        and len(data) >= 2
        and data[0] & 0x0F == 8
        and (data[0] << 8 | data[1]) % 31 == 0
    )
