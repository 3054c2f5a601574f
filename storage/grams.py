"""Search in scripts written without spaces: an FTS5 index of character bigrams beside the main one.

The main index (``articles_fts``, unicode61) takes a run of Chinese, Japanese or Thai characters
between two punctuation marks as one token, so a word inside a sentence is never found. Articles
with such characters are also indexed in ``articles_grams``, a contentless FTS5 table whose text
is their units (:func:`storage.textunits.units`) with each run of unspaced characters written as
its overlapping bigrams and its last character: 東京都知事 is ``東京 京都 都知 知事 事``. A query
word of two or more characters becomes the phrase of its bigrams (知事 is the token 知事; 都知事
the phrase "都知 知事"), which matches wherever those characters stand in a row; a single
character is a prefix query (事 matches 事 and every bigram that starts with it). Two-character
words, the most common length in Chinese and Japanese, are one token: no scan of the texts.

The table keeps no copy of the text (``content=''``), so it costs only its index; the store
writes it in the transaction that writes the article (:func:`index`, :func:`unindex`). Articles
deleted by other programs leave entries whose id no article has; searches join with
``articles`` and so never return them.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable

from storage.textunits import has_unspaced, is_unspaced, runs

GRAMS_TABLE = "articles_grams"
GRAMS_DDL = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {GRAMS_TABLE} USING fts5(title, text, content='', "
    "tokenize='unicode61 remove_diacritics 2')"
)
# In a query: a phrase in double quotes ("" inside is a quote), or a bare word.
_QUERY_PART = re.compile(r'"(?:[^"]|"")*"|[^\s"()*:^+]+')
_OPERATORS = frozenset({"AND", "OR", "NOT", "NEAR"})


def _grams(pieces: list[str], *, query: bool) -> list[str]:
    """Tokens of ``pieces`` (:func:`storage.textunits.runs`): words as they are, runs of
    unspaced characters as bigrams and their last character (see the module docstring).

    In a query, a run ends with its last character only when more pieces follow (they follow
    it in the text too, so the run ends there as well), and a run of one character at the end
    is a prefix; elsewhere the query matches inside longer runs.
    """
    tokens: list[str] = []
    last = len(pieces) - 1
    for position, piece in enumerate(pieces):
        if not is_unspaced(piece[0]):
            tokens.append(piece)
            continue
        tokens.extend(piece[k : k + 2] for k in range(len(piece) - 1))
        more = position < last
        if not query or more:
            tokens.append(piece[-1])
        elif len(piece) == 1:
            tokens.append(piece + "*")
    return tokens


def gram_text(text: str | None) -> str:
    """Return what ``articles_grams`` indexes for ``text``: its units, unspaced runs as bigrams."""
    return " ".join(_grams(runs(text), query=False))


def index(conn: sqlite3.Connection, article_id: int, title: str | None, text: str | None) -> None:
    """Add an article to the index when its title or text has unspaced characters."""
    if has_unspaced(title) or has_unspaced(text):
        conn.execute(
            f"INSERT INTO {GRAMS_TABLE} (rowid, title, text) VALUES (?, ?, ?)",
            (article_id, gram_text(title), gram_text(text)),
        )


def unindex(conn: sqlite3.Connection, article_id: int, title: str | None, text: str | None) -> None:
    """Remove an article indexed with this title and text (a contentless table must be told the
    values it indexed)."""
    if has_unspaced(title) or has_unspaced(text):
        conn.execute(
            f"INSERT INTO {GRAMS_TABLE} ({GRAMS_TABLE}, rowid, title, text) "
            "VALUES ('delete', ?, ?, ?)",
            (article_id, gram_text(title), gram_text(text)),
        )


def index_all(conn: sqlite3.Connection, rows: Iterable[tuple[int, str | None, str | None]]) -> int:
    """Empty the index, then index every ``(id, title, text)`` row that needs it; return how
    many were indexed."""
    conn.execute(f"INSERT INTO {GRAMS_TABLE} ({GRAMS_TABLE}) VALUES ('delete-all')")
    indexed = 0
    for article_id, title, text in rows:
        if has_unspaced(title) or has_unspaced(text):
            index(conn, article_id, title, text)
            indexed += 1
    return indexed


def to_query(query: str) -> str | None:
    """Return ``query`` (FTS5 syntax) rewritten for ``articles_grams``, or None when it has no
    unspaced characters (the main index answers it). Quoted phrases and bare words holding such
    characters become phrases of their tokens; operators, parentheses and column filters stay."""
    if not has_unspaced(query):
        return None
    out: list[str] = []
    last = 0
    for match in _QUERY_PART.finditer(query):
        part = match.group()
        out.append(query[last : match.start()])
        last = match.end()
        inner = part[1:-1].replace('""', '"') if part.startswith('"') else part
        if part in _OPERATORS or not has_unspaced(inner):
            out.append(part)
            continue
        if query.startswith("*", last):
            last += 1  # a run of characters matches inside longer runs: no prefix needed
        tokens = _grams(runs(inner), query=True)
        prefix = tokens[-1].endswith("*")
        if prefix:
            tokens[-1] = tokens[-1][:-1]
        out.append('"' + " ".join(tokens).replace('"', '""') + '"' + (" *" if prefix else ""))
    out.append(query[last:])
    return "".join(out)


def query_terms(query: str) -> list[str]:
    """The runs of unspaced characters of ``query`` (normalised), longest first, for snippets."""
    found = {piece for piece in runs(query) if is_unspaced(piece[0])}
    return sorted(found, key=len, reverse=True)


def snippet(text: str | None, terms: list[str], highlight: tuple[str, str], width: int = 32) -> str:
    """Return the passage of ``text`` around the first of ``terms`` found, the term wrapped in
    ``highlight``, cut ``width`` characters either side with "…" (the text's start when none of
    the terms is in it)."""
    text = text or ""
    for term in terms:
        at = text.find(term)
        if at < 0:
            continue
        start, end = max(0, at - width), min(len(text), at + len(term) + width)
        return (
            ("…" if start else "")
            + text[start:at]
            + highlight[0]
            + term
            + highlight[1]
            + text[at + len(term) : end]
            + ("…" if end < len(text) else "")
        ).replace("\n", " ")
    return text[: 2 * width].replace("\n", " ") + ("…" if len(text) > 2 * width else "")


__all__ = [
    "GRAMS_DDL",
    "GRAMS_TABLE",
    "gram_text",
    "index",
    "index_all",
    "query_terms",
    "snippet",
    "to_query",
    "unindex",
]
