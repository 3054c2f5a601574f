"""Choosing a page's encoding: declarations are used only when the bytes agree with them."""

from __future__ import annotations

import pytest

from crawler.page.charset import _utf8_verdict, choose_encoding

PARAGRAPH = "Die Bürgermeisterin sagte, die Straße werde im März für drei Wochen gesperrt. "


def page(text: str, meta: str | None = None) -> str:
    head = f'<meta charset="{meta}">' if meta else ""
    return f"<html><head>{head}<title>t</title></head><body><p>{text}</p></body></html>"


def test_ascii_reads_as_utf8_whatever_is_declared() -> None:
    body = page("Plain words only.").encode("ascii")
    assert _utf8_verdict(body) is None
    assert choose_encoding(body, b"text/html") == ("utf-8", "utf-8")
    assert choose_encoding(body, b"text/html; charset=iso-8859-2") == ("iso8859-2", "header")


def test_valid_utf8_wins_over_a_lying_declaration() -> None:
    body = page(PARAGRAPH * 3, meta="windows-1252").encode("utf-8")
    assert _utf8_verdict(body) is True
    assert choose_encoding(body, b"text/html; charset=iso-8859-1") == ("utf-8", "utf-8")


def test_replacement_characters_in_the_page_are_still_valid_utf8() -> None:
    body = page(PARAGRAPH + "\ufffd\ufffd\ufffd").encode("utf-8")
    assert _utf8_verdict(body) is True


def test_a_stray_invalid_byte_among_much_utf8_is_still_utf8() -> None:
    body = page(PARAGRAPH * 4).encode("utf-8") + b"\xff"
    assert _utf8_verdict(body) is True
    assert choose_encoding(body, b"text/html") == ("utf-8", "utf-8")


@pytest.mark.parametrize("declared", [None, "utf-8"])
def test_windows_1252_bytes_are_not_utf8(declared: str | None) -> None:
    body = page(PARAGRAPH * 3, meta=declared).encode("cp1252")
    assert _utf8_verdict(body) is False
    assert choose_encoding(body, b"text/html") == ("cp1252", "detected")


def test_more_invalid_sequences_than_the_evidence_ratio_allows_are_not_utf8() -> None:
    # One valid two-byte letter against one invalid byte: 1 < UTF8_EVIDENCE_RATIO * 1.
    body = page("caf\u00e9 ").encode("utf-8") + b"\xe9"
    assert _utf8_verdict(body) is False


def test_a_byte_order_mark_decides_first() -> None:
    body = b"\xef\xbb\xbf" + page(PARAGRAPH).encode("utf-8")
    assert choose_encoding(body, b"text/html; charset=iso-8859-1") == ("utf-8", "bom")


def test_the_header_charset_is_used_when_the_bytes_decode_with_it() -> None:
    body = page("Zażółć gęślą jaźń. " * 3).encode("iso-8859-2")
    assert choose_encoding(body, b"text/html; charset=iso-8859-2") == ("iso8859-2", "header")
    assert choose_encoding(page("x", meta="iso-8859-2").encode() + body, None)[1] == "meta"
