"""When an article was first published and last updated, and which part of the page says so.

A page carries many dates: its own article's in JSON-LD and meta tags, the byline's <time>,
related stories' dates, update times, a date in the URL and in the text. The
article's own markup comes first: the JSON-LD node of the article itself (not of a related
item), then the publication meta tags, then the dates marked in the article's body; only then
the URL and the text (htmldate's search). Dates are kept as the page states them, time zone
included; a date the page writes for people ("Oct 31, 2025") becomes ISO 8601.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

from dateutil import parser as dateutil_parser

from crawler.page.signals import YEAR, DateMark, Signals, ld_text

# Meta tags that give the publication time, most specific first.
PUBLISHED_META = (
    "article:published_time",
    "og:published_time",
    "article:published",
    "datepublished",
    "datecreated",
    "dc.date.issued",
    "dcterms.issued",
    "dcterms.created",
    "dc.date.created",
    "publish-date",
    "publish_date",
    "publishdate",
    "pubdate",
    "sailthru.date",
    "parsely-pub-date",
    "citation_publication_date",
    "dc.date",
    "dcterms.date",
    "date",
)
MODIFIED_META = (
    "article:modified_time",
    "og:updated_time",
    "datemodified",
    "dcterms.modified",
    "last-modified",
)
# A publication date before this, or more than a day after the page was read, is a mistake
# in the markup (a placeholder year, a birth date, an event to come).
EARLIEST_YEAR = 1990
_FUTURE_SLACK = timedelta(days=1)
# Month names dateutil reads (English); other languages are left to htmldate's search.
_MONTH_NAME = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\b", re.IGNORECASE
)
_DEFAULTS = (datetime(2000, 1, 1), datetime(2001, 2, 2))
# Dates in a URL path: /2024/05/03/, -2024-05-03-, 20240503.
_URL_DATE = re.compile(
    r"(?<!\d)((?:19|20)\d\d)[/_-]?(0[1-9]|1[0-2])[/_-]?(0[1-9]|[12]\d|3[01])(?!\d)"
)


@dataclass(frozen=True)
class PageDates:
    """The article's dates and where the publication date came from."""

    published: str | None
    modified: str | None
    source: str | None  # "jsonld", "meta", "time", "title", "header", "url", "text"; None: none


def parse_date(value: object) -> str | None:
    """``value`` as an ISO 8601 string, or None when it is no plausible date.

    An ISO value is kept as written (its time zone with it); RFC 2822 and dates written for
    people with an English month name or an unambiguous day are converted. A number-only date
    whose day could be a month ("02/03/2025") is not guessed.
    """
    if not isinstance(value, str):
        return None
    text = " ".join(value.split()).strip("\"' ")
    if not text or len(text) > 64 or not YEAR.search(text):
        return None
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        parsed = None
    else:
        return text if _plausible(parsed) else None
    try:
        parsed = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        parsed = _human_date(text)
    if parsed is None or not _plausible(parsed):
        return None
    if parsed.time() == datetime.min.time() and parsed.tzinfo is None:
        return parsed.date().isoformat()
    return parsed.isoformat()


def _human_date(text: str) -> datetime | None:
    """A date written for people, when its year, month and day are all there."""
    numbers = [int(n) for n in re.findall(r"\d+", text)]
    if not _MONTH_NAME.search(text) and not any(12 < n <= 31 for n in numbers[:3]):
        return None  # numbers only, and day and month could be either way round
    try:
        with warnings.catch_warnings():
            # A time zone name it does not know ("ET", "CEST"): the date is still right.
            warnings.simplefilter("ignore", dateutil_parser.UnknownTimezoneWarning)
            first, second = (
                dateutil_parser.parse(text, fuzzy=True, default=default) for default in _DEFAULTS
            )
    except (ValueError, OverflowError, TypeError, ArithmeticError):
        return None
    # A part the text does not give comes from the default: two defaults tell it.
    return first if first.date() == second.date() else None


def _plausible(moment: datetime) -> bool:
    now = datetime.now(timezone.utc)
    aware = moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
    return moment.year >= EARLIEST_YEAR and aware <= now + _FUTURE_SLACK


def _ld_date(signals: Signals, *names: str) -> str | None:
    for name in names:
        value = parse_date(ld_text(signals.ld.get(name)))
        if value:
            return value
    return None


def _meta_date(signals: Signals, names: tuple[str, ...]) -> str | None:
    for name in names:
        for value in signals.meta_lists.get(name, ()):
            parsed = parse_date(value)
            if parsed:
                return parsed
    return None


def _marked_date(marks: list[DateMark], kind: str | None) -> str | None:
    """The first date marked as ``kind`` in the page body, outside its furniture.

    For an unlabelled date (``kind`` None), only one inside the article: the byline's <time>
    comes before the related stories' dates in page order.
    """
    for mark in marks:
        if mark.chrome or (kind is None and not mark.in_article):
            continue
        if mark.kind == kind:
            parsed = parse_date(mark.value)
            if parsed:
                return parsed
    return None


def url_date(url: str) -> str | None:
    """The date in ``url``'s path (YYYY/MM/DD, YYYY-MM-DD or YYYYMMDD), as YYYY-MM-DD."""
    path = url.split("://", 1)[-1].partition("/")[2].split("?")[0]
    match = _URL_DATE.search(path)
    return f"{match[1]}-{match[2]}-{match[3]}" if match else None


def _published_marks(signals: Signals) -> tuple[tuple[str, str | None], ...]:
    """(source, date) of the markup's publication dates, most trusted first; the JSON-LD's
    left out when it is a template's stamp (:func:`_stamped`)."""
    return (
        ("jsonld", None if _stamped(signals) else _ld_date(signals, *_LD_PUBLISHED)),
        ("meta", _meta_date(signals, PUBLISHED_META)),
        ("time", _marked_date(signals.dates, "published")),
        ("time", _marked_date(signals.dates, None)),
        ("title", _title_date(signals)),
        ("header", _header_date(signals)),
    )


def _header_date(signals: Signals) -> str | None:
    """The first date written for people just under the headline ("October 15, 2025",
    "Jane Roe | 15 Oct 2025"): a date with its day and month named or unambiguous."""
    for text in signals.header_texts:
        parsed = parse_date(text)
        if parsed:
            return parsed
    return None


# Between a page title's parts ("Headline | Section | Site | 28.04.2023").
_TITLE_PARTS = re.compile(r"\s+[|\-–—·•/]\s+")


def _title_date(signals: Signals) -> str | None:
    """A date the page's title ends or starts with, the article's day stamped on it by the
    site ("… | DW | 28.04.2023"); a date inside the headline's words is no stamp."""
    parts = [p.strip() for p in _TITLE_PARTS.split(signals.page_title or "")]
    if len(parts) < 2:
        return None
    for part in (parts[-1], parts[0]):
        if re.fullmatch(r"[\d\W_]+", part):
            parsed = parse_date(part)
            if parsed:
                return parsed
    return None


_LD_PUBLISHED = ("datePublished", "dateCreated")
_ISO_START = re.compile(r"^\s*(?:19|20)\d\d-\d\d-\d\d")


def _stamped(signals: Signals) -> bool:
    """True when the article's JSON-LD dates are a template's stamp rather than the article's:
    one date written for people ("Jun 24, 2025", where a CMS's date fields write ISO 8601) in
    both fields, or updated before published. The page's other dates come first then."""
    published = ld_text(signals.ld.get("datePublished"))
    written = ld_text(signals.ld.get("dateModified"))
    if not published:
        return False
    if not _ISO_START.match(published) and written == published:
        return True
    modified = parse_date(written)
    first = parse_date(published)
    if not modified or not first:
        return False
    try:
        return _instant(modified) < _instant(first)
    except (ValueError, TypeError):
        return False


def _instant(value: str) -> datetime:
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _in_page_zone(published: str, marks: list[DateMark]) -> str:
    """``published`` as the page writes it in its own time zone: a UTC time in the markup
    that a date marked in the article gives with the page's offset ("2025-12-19T03:05Z" is
    "2025-12-18T19:05-08:00" there) takes that form, whose calendar day is the reader's."""
    if not re.search(r"(?:Z|[+-]00:?00)$", published):
        return published
    try:
        moment = _instant(published)
    except ValueError:
        return published
    for mark in marks:
        if mark.chrome or not mark.in_article:
            continue
        try:
            local = datetime.fromisoformat(mark.value.replace("Z", "+00:00"))
        except ValueError:
            continue
        if local.tzinfo and local.utcoffset() and local == moment:
            return mark.value
    return published


def is_marked(signals: Signals) -> bool:
    """True when the page's markup gives its publication date, so no search of the page is
    needed."""
    return any(published for _, published in _published_marks(signals))


def page_dates(
    signals: Signals, url: str, search: Callable[[], str | None] | None = None
) -> PageDates:
    """The article's publication and update dates.

    ``search`` is called with no argument for a date found by searching the page (htmldate),
    only when its markup gives none; it returns an ISO date or None.
    """
    modified = (
        _ld_date(signals, "dateModified")
        or _meta_date(signals, MODIFIED_META)
        or _marked_date(signals.dates, "modified")
    )
    for source, published in _published_marks(signals):
        if published:
            return PageDates(_in_page_zone(published, signals.dates), modified, source)
    found = search() if search is not None else None
    if found:
        source = "url" if url_date(url) == found[:10] else "text"
        return PageDates(found, modified, source)
    stamp = _ld_date(signals, *_LD_PUBLISHED)
    return PageDates(stamp, modified, "jsonld" if stamp else None)


__all__ = [
    "MODIFIED_META",
    "PUBLISHED_META",
    "PageDates",
    "page_dates",
    "parse_date",
    "url_date",
]
