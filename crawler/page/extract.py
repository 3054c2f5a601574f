"""Article extraction: one page's HTML in, one cleaned Article or a reasoned rejection out."""

from __future__ import annotations

import copy
import functools
import time
import unicodedata

from lxml import etree
from lxml.html import HtmlElement
from trafilatura import bare_extraction
from trafilatura.settings import Extractor

from crawler.page import metadata, pagefeatures, pagetype
from crawler.page.access import read_access
from crawler.page.article import Article
from crawler.page.body import missing_lead, recover_split_body
from crawler.page.classify import (
    MIN_ARTICLE_WORDS,
    TEASER_PAGE_MAX_WORDS,
    reject_by_type,
    reject_listing,
    reject_non_article,
    reject_off_pattern,
    reject_short,
    reject_teaser_page,
    teaser_share,
)
from crawler.page.cleaning import TreeFindings, clean_lines, prune_tree
from crawler.page.cleaning.measure import more_words_than, words
from crawler.page.cleaning.text import LineMeasures, measure_lines
from crawler.page.dates import is_marked
from crawler.page.language import article_language
from crawler.page.metadata import Metadata
from crawler.page.pagetype import PageClassifier
from crawler.page.parse import PageRejected, parse_page
from crawler.page.payload import is_html, payload_body
from crawler.page.signals import canonical_url, language, read_signals
from crawler.page.template import template_signature
from storage.outcomes import EMPTY, OTHER

# A page with less text than this (menus included) when extraction finds none is an empty page,
# whatever else it holds.
MIN_PAGE_CHARS = 200

# One options object for every page. Comments are not article text; trafilatura's own
# deduplication is off because its cache outlives a document and can blank later pages. Its
# metadata is read by :class:`Metadata`, only as far as the page's own tags leave it needed.
OPTIONS = Extractor(
    output_format="python",
    comments=False,
    dedup=False,
    with_metadata=False,
    tables=True,
)


class _Clock:
    """Adds the CPU time since the previous lap to a stage total, when asked to keep time.

    CPU time of this process, not wall time, so other work on the machine does not blur it.
    """

    def __init__(self, totals: dict[str, float] | None) -> None:
        self.totals = totals
        self.last = time.process_time()

    def lap(self, stage: str) -> None:
        if self.totals is None:
            return
        now = time.process_time()
        self.totals[stage] = self.totals.get(stage, 0.0) + now - self.last
        self.last = now


def _clean(
    raw_lines: list[str],
    findings: TreeFindings,
    captions: list[str],
    context: dict,
    measured: LineMeasures | None = None,
) -> list[str]:
    """The text pass over extracted lines; credit lines it finds are added to ``captions``."""
    return clean_lines(
        raw_lines,
        link_texts=findings.link_texts,
        captions=captions,
        alt_texts=findings.alt_texts,
        found_captions=captions,
        measured=measured,
        **context,
    )


def _prose_words(tree: HtmlElement, enough: int) -> int:
    """Words of the page's text outside links, as the tree stands after the tree pass, counted
    until there are ``enough``: the rules ask only whether a page has that many, and an
    article's first paragraphs answer without reading the rest of the page."""
    body = tree.find("body")
    if body is None:
        body = tree
    count = in_link = 0
    for event, el in etree.iterwalk(body, events=("start", "end")):
        if event == "start":
            if el.tag == "a":
                in_link += 1
            elif not in_link and isinstance(el.tag, str):
                count += words(el.text)
        else:
            if el.tag == "a":
                in_link -= 1
            if not in_link and el is not body:
                count += words(el.tail)
        if count >= enough:
            break
    return count


def _from_payload(tree: HtmlElement, url: str, context: dict) -> tuple[list[str], list[str]] | None:
    """(lines, captions) of the article the page carries as data, cleaned like a body."""
    body = payload_body(tree)
    if body is None:
        return None
    if not is_html(body):
        return _clean(body.split("\n"), TreeFindings(), [], context), []
    page = parse_page(f"<html><body><article>{body}</article></body></html>", url)
    findings = prune_tree(page, url)
    doc = bare_extraction(page, options=OPTIONS)
    if doc is None or not doc.text:
        return None
    text = unicodedata.normalize("NFC", doc.text)
    captions = list(findings.captions)
    return _clean(text.split("\n"), findings, captions, context), captions


def extract_article(
    html: bytes | str,
    url: str,
    *,
    decide: bool = True,
    timings: dict[str, float] | None = None,
    tree: HtmlElement | None = None,
    classifier: PageClassifier | None = None,
) -> Article:
    """Extract and clean the article in ``html`` fetched from ``url``.

    Returns an :class:`Article`. Raises :class:`PageRejected` with reason "empty", "not_html",
    "parse_error", "not_article" or "too_short" when the page is not stored as an article.
    With ``decide=False`` the article/non-article and length checks are skipped (evaluation on
    pages known to be articles, re-cleaning stored pages); unreadable pages still raise.
    When ``timings`` is given, the seconds spent per stage ("parse", "cleaning",
    "trafilatura", "metadata") are added to it, for benchmarks. ``tree`` is ``html`` as
    :func:`parse_page` parsed it, when the caller has parsed it already; it is changed here.
    ``classifier`` decides the page type instead of the package's model (evaluation, training);
    it is asked even with ``decide=False``. A rejection names the page type it was taken for.
    """
    clock = _Clock(timings)
    if tree is None:
        tree = parse_page(html, url)
    signals = read_signals(tree, url)
    if decide:
        reject_non_article(url, signals)
    metadata.read_page_bylines(tree, url, signals)
    access = read_access(tree)  # before pruning: the paywall markup goes with the page furniture
    clock.lap("parse")
    classifier = classifier or (pagetype.default_model() if decide else None)
    if classifier is not None:  # measured before pruning: the page's own structure
        measures = pagefeatures.read_page(tree, url, signals.ld_types, signals.meta)
        clock.lap("pagetype")
    # A page whose markup gives no date is searched for one as it was before pruning. The copy
    # (a C call, far cheaper than searching every page, kept ones or not) is the date's cost.
    date_tree = None if is_marked(signals) else copy.deepcopy(tree)
    clock.lap("metadata")
    findings = prune_tree(tree, url)
    clock.lap("cleaning")
    doc = bare_extraction(tree, options=OPTIONS)
    clock.lap("trafilatura")
    # From here on the work is ours: recovering split bodies and the text pass.
    text = doc.text if doc is not None and doc.text else ""
    found = Metadata(tree, url, date_tree)
    title = metadata.title(url, signals, found)
    credits = metadata.authors(url, signals, found, text)
    authors = credits.authors
    site_name = metadata.site_name(url, signals, found)
    clock.lap("metadata")
    context = {
        "title": title,
        "site_name": site_name,
        "authors": [*authors, *credits.agencies],  # their byline lines are not article text
        "about_names": metadata.publisher_names(url, site_name),
    }
    raw_lines: list[str] = []
    lines: list[str] = []
    captions = list(findings.captions)
    teasers = 0.0
    if text:
        # NFC, as trafilatura's own extract() returns it: one spelling per character, so
        # that matching, search and dedup see the same text for the same words.
        if not unicodedata.is_normalized("NFC", text):
            text = unicodedata.normalize("NFC", text)
        raw_lines = recover_split_body(tree, findings.paragraphs, text.split("\n"))
        description = metadata.shown_description(signals)
        lead = (
            missing_lead(tree, findings.paragraphs, html, description, text)
            if description
            else None
        )
        if lead:
            raw_lines.insert(0, lead)
        measured = measure_lines(raw_lines, findings.link_texts)  # for both passes below
        if classifier is not None or (decide and not signals.marked_article):
            teasers = teaser_share(raw_lines, findings.link_texts, measured)
        if decide and not signals.marked_article:
            reject_listing(url, raw_lines, teasers)
        lines = _clean(raw_lines, findings, captions, context, measured)
        if decide:
            kept = findings.kept_teaser_words
            prose = functools.partial(_prose_words, tree, TEASER_PAGE_MAX_WORDS)
            reject_teaser_page(url, lines, findings.teaser_cards, kept, prose)
            reject_off_pattern(url, lines, findings.story_links, kept, prose)
    if not more_words_than("\n".join(lines), MIN_ARTICLE_WORDS - 1):
        # An empty body or a stub: script-rendered pages carry the story as data.
        taken = _from_payload(tree, url, context)
        if taken is not None and words("\n".join(taken[0])) > words("\n".join(lines)):
            lines, captions = taken
            raw_lines = lines
    if not lines:
        # A page with text but none extracted may be a list of links, a form, a product grid;
        # when cleaning took every line (a list of teasers), the lines extracted are its text.
        shown = pagefeatures.read_text(raw_lines, teasers) if raw_lines else None
        verdict = classifier.decide(measures, shown, url) if classifier is not None else None
        worded = verdict is not None and measures["text_chars"] >= MIN_PAGE_CHARS
        if worded and not verdict.is_article:  # no article text; the type says what it is
            raise PageRejected(
                EMPTY, f"no article text found on {url}: {verdict.reason}", verdict.page_type
            )
        raise PageRejected(EMPTY, f"no article text found on {url}", OTHER)
    clock.lap("cleaning")
    verdict = None
    if classifier is not None:
        verdict = classifier.decide(measures, pagefeatures.read_text(lines, teasers), url)
        clock.lap("pagetype")
    if decide:
        reject_short(url, lines, verdict.page_type if verdict is not None else None)
        reject_by_type(url, verdict)
    text = "\n".join(lines)
    # Read last: the date search is the costliest field, and a rejected page never needs it.
    dated = metadata.dates(signals, found)
    return Article(
        url=canonical_url(url, signals),
        title=title,
        text=text,
        authors=authors,
        agency=credits.agency,
        published=dated.published,
        modified=dated.modified,
        date_source=dated.source,
        language=article_language(language(signals), text, url),
        site_name=site_name,
        description=metadata.description(signals, found),
        tags=metadata.tags(signals, found),
        image=metadata.image(url, signals, found),
        captions=[unicodedata.normalize("NFC", c) for c in captions],
        page_type=metadata.page_type(signals, found),
        template=template_signature(tree, findings.paragraphs, lines) or None,
        access=access.verdict(raw_lines, lines),
    )


__all__ = [
    "MIN_ARTICLE_WORDS",
    "OPTIONS",
    "Article",
    "PageRejected",
    "extract_article",
    "parse_page",
]
