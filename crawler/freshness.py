"""Which discovered URLs an incremental run skips: known articles, old entries, --since.

Plain rules, no Scrapy: :class:`crawler.extensions.CrawlRun` holds the run's :class:`Freshness`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any

from crawler.errors import ConfigError
from storage.crawlstate import Seen
from storage.outcomes import GONE

UTC = dt.timezone.utc
_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_YEAR_MONTH = re.compile(r"^\d{4}-\d{2}$")


def date_bounds(value: str | None) -> tuple[dt.datetime, dt.datetime] | None:
    """Return the earliest and latest UTC instants a feed or sitemap date can mean, or None.

    Takes ISO 8601 (sitemaps, Atom; "2025-03-14", "2025-03", "2025-03-14T09:30:00Z") and
    RFC 822 (RSS ``pubDate``). A bare date covers its whole day and a bare month its whole month,
    so callers can decide in the entry's favour either way; a time without a zone is taken as UTC.
    """
    if not value:
        return None
    text = value.strip()
    try:
        if _DATE_ONLY.match(text):
            day = dt.datetime.fromisoformat(text).replace(tzinfo=UTC)
            return day, day + dt.timedelta(days=1) - dt.timedelta(seconds=1)
        if _YEAR_MONTH.match(text):
            first = dt.datetime.fromisoformat(text + "-01").replace(tzinfo=UTC)
            following = (first + dt.timedelta(days=32)).replace(day=1)
            return first, following - dt.timedelta(seconds=1)
        if text[:4].isdigit():
            moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        else:
            moment = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    moment = moment.astimezone(UTC)
    return moment, moment


def parse_instant(value: str | None) -> dt.datetime | None:
    """Return the earliest instant of ``value`` (see :func:`date_bounds`), or None."""
    bounds = date_bounds(value)
    return None if bounds is None else bounds[0]


def parse_since(value: Any) -> dt.datetime | None:
    """``NEWSDEDUP_SINCE`` as an aware UTC datetime (a date means its midnight), or None.

    Raises :class:`~crawler.errors.ConfigError` (a ValueError) with the accepted formats for
    anything else.
    """
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, dt.date):
        moment = dt.datetime(value.year, value.month, value.day)
    else:
        try:
            moment = dt.datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
        except ValueError:
            raise ConfigError(
                f"NEWSDEDUP_SINCE / --since: {value!r} is not a date; write YYYY-MM-DD or "
                "YYYY-MM-DDTHH:MM:SS"
            ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment.astimezone(dt.timezone.utc)


@dataclass(frozen=True)
class Freshness:
    """The rules of one run: refetch everything (``refresh``) and/or ignore entries before
    ``since``; ask a URL that answered 404 or 410 again only after ``gone_wait``, doubled for
    each such answer in a row, at most ``gone_wait_max``."""

    refresh: bool = False
    since: dt.datetime | None = None
    gone_wait: dt.timedelta = dt.timedelta(days=1)
    gone_wait_max: dt.timedelta = dt.timedelta(days=30)

    def gone_retry_at(self, seen: Seen) -> dt.datetime | None:
        """When a URL last seen gone may be asked again (None: its fetch time is unreadable)."""
        fetched = parse_instant(seen.fetched_at)
        if fetched is None:
            return None
        # Bounded before doubling: a URL gone a thousand times must not overflow a timedelta.
        doublings = min(max(seen.gone_answers, 1) - 1, 16)
        wait = min(self.gone_wait * 2**doublings, self.gone_wait_max)
        return fetched + wait

    def skip_reason(
        self, date: str | None, seen: Seen | None, now: dt.datetime | None = None
    ) -> str | None:
        """Why a discovered URL should not be fetched, or None to fetch it.

        ``date`` is what a feed or sitemap says of the entry (None for a plain link); ``seen`` is
        the last final answer the store holds for the URL (None if never fetched to the end);
        ``now`` defaults to the current time.

        Reasons: "before_since" (dated before ``since``), "known" (an article fetched after its
        date, or undated), "gone" (it answered 404 or 410 and its wait is not over), "seen" (a
        rejected page fetched after its date). Undated links to other pages are always fetched:
        they are where new articles show up, and conditional requests make an unchanged one
        cheap.
        """
        bounds = date_bounds(date)
        if self.since is not None and bounds is not None and bounds[1] < self.since:
            return "before_since"
        if self.refresh or seen is None:
            return None
        fetched = parse_instant(seen.fetched_at)
        # A date after our fetch means the page changed since: fetch it again.
        if bounds is not None and fetched is not None and bounds[0] > fetched:
            return None
        if seen.is_article:
            return "known"
        if seen.outcome == GONE:
            retry_at = self.gone_retry_at(seen)
            now = now or dt.datetime.now(UTC)
            return "gone" if retry_at is not None and now < retry_at else None
        return None if bounds is None else "seen"


__all__ = ["Freshness", "date_bounds", "parse_instant", "parse_since"]
