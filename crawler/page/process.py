"""One fetched page in, everything the crawl and the store need out: links, article, signature.

:func:`process_page` is the single place where a page's HTML is handled. It is a plain function of
its arguments (no Scrapy, no store), so it runs the same in a page process
(:mod:`crawler.page.pool`), in the crawl and in ``newsdedup ingest``, and its result is a plain,
picklable dataclass.

The page is parsed once: its links are read from the tree that extraction then prunes.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from w3lib.encoding import (
    html_body_declared_encoding,
    html_to_unicode,
    http_content_type_encoding,
    read_bom,
    resolve_encoding,
)

from crawler.page.discovery import Links, tree_links
from crawler.page.extract import Article, PageRejected, extract_article, parse_page
from crawler.urls import site_of
from storage.fields import PAGE_FIELDS
from storage.normalize import words
from storage.outcomes import EXTRACT_ERROR, MEMORY_LIMIT
from storage.textunits import count_words

if TYPE_CHECKING:
    from storage.minhash import MinHashParams

logger = logging.getLogger(__name__)

# When no charset is declared anywhere, these are tried in order, as Scrapy does for a response.
_FALLBACK_ENCODINGS = ("ascii", "utf-8", "cp1252")


@dataclass
class PageResult:
    """What :func:`process_page` made of one page.

    ``article`` is set when the page is an article; otherwise ``reason`` is a short code to count
    by and ``detail`` a sentence for the log. ``minhash`` is the signature of ``article.text`` in
    the layout of :func:`storage.minhash.to_bytes`, computed with the store's parameters, so the
    store does not compute it again (None when no parameters were given or the text is too short
    to be indexed). ``html_zlib`` is the page's HTML as the store keeps it
    (:func:`storage.pagecodec.compress_html`), set by a :class:`crawler.page.pool.PagePool` asked to
    keep pages, so the writer neither compresses it nor needs the body any more. ``seconds`` is
    the CPU time the page took.
    """

    url: str
    links: Links = field(default_factory=Links)
    article: Article | None = None
    reason: str | None = None
    detail: str = ""
    minhash: bytes | None = None
    html_zlib: bytes | None = field(default=None, repr=False)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """True when the page gave an article."""
        return self.article is not None

    @classmethod
    def failed(cls, url: str, reason: str, detail: str, seconds: float = 0.0) -> PageResult:
        """Return the result of a page that gave no article, for ``reason``."""
        return cls(url=url, reason=reason, detail=detail, seconds=seconds)

    def record(
        self,
        *,
        fetched_at: str,
        http_status: int | None,
        raw_html: bytes | None = None,
        source: str | None = None,
    ) -> dict[str, Any]:
        """Return the article as a record for :meth:`storage.Store.add_article`.

        ``raw_html`` is the page to keep; without it, the page compressed in its page process
        (``html_zlib``) is kept when there is one. Raises ValueError when the page gave no
        article.
        """
        article = self.article
        if article is None:
            raise ValueError(f"{self.url} gave no article ({self.reason}): nothing to store")
        return {
            **{name: getattr(article, name) for name in PAGE_FIELDS},
            "site": site_of(article.url),
            "fetched_at": fetched_at,
            "http_status": http_status,
            "raw_html": raw_html,
            "raw_html_zlib": self.html_zlib if raw_html is None else None,
            "source": source,
            "minhash": self.minhash,
        }


def _auto_detect(body: bytes) -> str | None:
    for name in _FALLBACK_ENCODINGS:
        try:
            body.decode(name)
        except UnicodeDecodeError:
            continue
        return resolve_encoding(name)
    return None


def decode_page(body: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Return ``(encoding, text)`` of an HTML body, choosing the encoding as Scrapy does.

    A byte-order mark wins, then the charset of ``content_type`` (the HTTP header), then the
    page's own ``<meta charset>``, then the first of ascii, utf-8 and cp1252 that decodes it.
    Unknown charset names are skipped, so a header naming a charset that does not exist falls
    through to the page's declaration.
    """
    encoding, text = html_to_unicode(content_type, body, auto_detect_fun=_auto_detect)
    return encoding, text


def declared_encoding(body: bytes, content_type: str | None = None) -> str | None:
    """Return the encoding a page declares, as Scrapy's ``response.encoding`` would take it.

    A byte-order mark wins, then the charset of ``content_type`` (the HTTP header), then the
    page's own ``<meta charset>`` (read from its first few KiB only). Returns None when nothing
    usable is declared; :func:`process_page` then detects it from the bytes. Unknown charset
    names are passed over, so a header naming a charset that does not exist falls through to the
    page's declaration.
    """
    bom, _ = read_bom(body)
    return bom or http_content_type_encoding(content_type) or html_body_declared_encoding(body)


def _decode(body: bytes, encoding: str | None) -> tuple[str, str]:
    if encoding:
        try:
            # Same decoding as a crawl's response: the declared codec, bad bytes replaced.
            return encoding, body.decode(encoding, errors="replace")
        except LookupError:
            logger.debug("unknown encoding %r, detecting it from the page", encoding)
    return decode_page(body)


def _signature(text: str, params: MinHashParams) -> bytes | None:
    # Imported here: the signature code needs numpy, which page processes that do not sign (the
    # crawl's) never load.
    from storage.minhash import MIN_MINHASH_WORDS, signature_from_shingles, text_shingles, to_bytes

    word_list = words(text)
    if count_words(word_list) < MIN_MINHASH_WORDS:
        return None  # the store never indexes such a text; it would drop the signature
    return to_bytes(signature_from_shingles(text_shingles(word_list, params), params))


def process_page(
    body: bytes,
    url: str,
    encoding: str | None = None,
    params: MinHashParams | None = None,
    *,
    links: bool = True,
) -> PageResult:
    """Handle one fetched HTML page: its links, its article or why not, its MinHash signature.

    ``encoding`` is the page's encoding as the fetcher decided it (Scrapy's
    ``response.encoding``); None detects it with :func:`decode_page`. ``params`` are the store's
    MinHash parameters (``store.params``); None skips the signature. ``links=False`` skips link
    discovery (and its parse) for callers that do not follow links.

    Never raises for a bad page: a rejection, an extractor bug or an out-of-memory error comes
    back as a :class:`PageResult` with ``reason`` set.
    """
    started = time.process_time()
    result = PageResult(url=url)
    try:
        encoding, html = _decode(body, encoding)
        tree = parse_page(html, url)
        if links:
            # Before extraction, which prunes the tree: a section page's links are all there.
            result.links = tree_links(tree, url)
        result.article = extract_article(html, url, tree=tree)
        if params is not None:
            result.minhash = _signature(result.article.text, params)
    except PageRejected as rejection:
        result.article = None
        result.reason, result.detail = rejection.reason, rejection.detail
    except MemoryError:
        result.article = None
        result.reason = MEMORY_LIMIT
        result.detail = f"{url} needed more memory than a page may use ({len(body)} bytes of HTML)"
    except Exception as err:  # the extractor stack is large; one page must not stop a crawl
        logger.warning("extraction of %s failed", url, exc_info=True)
        result.article = None
        result.reason = EXTRACT_ERROR
        result.detail = f"extraction of {url} failed: {type(err).__name__}: {err}"
    result.seconds = time.process_time() - started
    return result


__all__ = [
    "PageResult",
    "declared_encoding",
    "decode_page",
    "process_page",
]
