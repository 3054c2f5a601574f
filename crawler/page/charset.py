"""The character encoding of an HTML page: HTTP header, then meta tag, then detection, each checked.

A declared encoding is used only if the bytes agree with it, so a windows-1252 page whose meta
tag claims UTF-8 still comes out right, and a UTF-8 page served as ISO-8859-1 (a common server
default) is not turned into mojibake.
"""

from __future__ import annotations

import codecs
import re

from w3lib.encoding import resolve_encoding

# How far into a page a <meta charset> is looked for (HTML requires it in the first 1024 bytes;
# real pages put comments and scripts before it).
META_SCAN_BYTES = 4096
# How much of a page detection reads: enough text for a verdict, bounded cost.
DETECT_BYTES = 64 * 1024
# A page that claims UTF-8 and has a stray invalid byte or two is still UTF-8 if valid
# multi-byte characters outnumber the invalid sequences by this factor.
UTF8_EVIDENCE_RATIO = 4
# A page read as windows-1252 is taken as such without asking a detector when its non-ASCII
# characters are letters or typographic punctuation, and sparse among ASCII letters: Western
# text has a few accented letters per sentence, while Cyrillic or Greek bytes misread as
# windows-1252 are accented letters from end to end.
WESTERN_SHARE = 0.95
WESTERN_MAX_ACCENTED = 0.3
_WESTERN_PUNCTUATION = frozenset(
    "\u00a0\u00ab\u00bb\u00b0\u00a3\u00a9\u00ae\u00b7\u2013\u2014\u2018\u2019\u201c\u201d\u201e\u2026\u20ac\u2022"
)
_META = re.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE | re.DOTALL
)
_HEADER = re.compile(r"""charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def _normal(name: str | None) -> str | None:
    """Python's name for an encoding label (WHATWG aliases: latin-1 is windows-1252), or None."""
    if not name:
        return None
    resolved = resolve_encoding(name.strip().strip("\"'").lower())
    if resolved is None:
        return None
    try:
        return codecs.lookup(resolved).name
    except LookupError:
        return None


def _decodes(body: bytes, encoding: str) -> bool:
    try:
        body.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return False
    return True


def _utf8_verdict(body: bytes) -> bool | None:
    """True if ``body`` reads as UTF-8 with non-ASCII text, False if not UTF-8, None if ASCII."""
    if body.isascii():
        return None
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        # Valid UTF-8, the usual case: one strict decode says so without counting anything.
        return True
    text = body.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - body.count(b"\xef\xbf\xbd")
    if bad == 0:
        return True
    good = sum(1 for ch in text if ord(ch) > 127 and ch != "\ufffd")
    return good >= UTF8_EVIDENCE_RATIO * bad


def header_charset(content_type: str | bytes | None) -> str | None:
    """The charset parameter of a Content-Type header, as a Python codec name, or None."""
    if not content_type:
        return None
    if isinstance(content_type, bytes):
        content_type = content_type.decode("latin-1")
    match = _HEADER.search(content_type)
    return _normal(match.group(1)) if match else None


def meta_charset(body: bytes) -> str | None:
    """The charset a page's ``<meta>`` declares in its first bytes, as a codec name, or None."""
    match = _META.search(body[:META_SCAN_BYTES])
    return _normal(match.group(1).decode("ascii", "replace")) if match else None


def choose_encoding(body: bytes, content_type: str | bytes | None = None) -> tuple[str, str]:
    """Return ``(encoding, how)`` for an HTML body served with ``content_type`` (see rules).

    Rules, in order: a byte-order mark; UTF-8 when the bytes are UTF-8 with non-ASCII text
    (whatever is declared: such bytes are almost never anything else); the HTTP header's
    charset if the bytes decode with it; the meta tag's likewise; statistical detection;
    windows-1252 as the last resort. ``how`` is "bom", "utf-8", "header", "meta", "detected"
    or "fallback".
    """
    for bom, name in _BOMS:
        if body.startswith(bom):
            return name, "bom"
    verdict = _utf8_verdict(body)
    if verdict:
        return "utf-8", "utf-8"
    declared = [(header_charset(content_type), "header"), (meta_charset(body), "meta")]
    for encoding, how in declared:
        if encoding is None:
            continue
        if encoding == "utf-8" and verdict is False:
            continue  # the bytes say otherwise: a lying declaration
        if verdict is None or _decodes(body, encoding):
            return encoding, how
    if verdict is None:
        return "utf-8", "utf-8"  # plain ASCII reads the same in any of them
    return _detected(body)


def _western(body: bytes) -> bool:
    """True if ``body`` read as windows-1252 gives only Western letters and punctuation."""
    try:
        text = body.decode("cp1252")
    except UnicodeDecodeError:
        return False
    odd = [ch for ch in text if ord(ch) > 127]
    plausible = sum(1 for ch in odd if ch.isalpha() or ch in _WESTERN_PUNCTUATION)
    accented = sum(1 for ch in odd if ch.isalpha())
    ascii_letters = sum(1 for ch in text if ch.isascii() and ch.isalpha())
    return plausible >= WESTERN_SHARE * len(odd) and accented <= WESTERN_MAX_ACCENTED * max(
        ascii_letters, 1
    )


def _detected(body: bytes) -> tuple[str, str]:
    # Statistical detectors need more text than a news page's few accented letters to tell
    # windows-1252 from its Baltic or Central European cousins, so the common case goes first.
    if _western(body[:DETECT_BYTES]):
        return "cp1252", "detected"
    from charset_normalizer import from_bytes

    best = from_bytes(body[:DETECT_BYTES]).best()
    name = _normal(best.encoding) if best is not None else None
    if name is not None and _decodes(body, name):
        return name, "detected"
    return "cp1252", "fallback"


__all__ = ["choose_encoding", "header_charset", "meta_charset"]
