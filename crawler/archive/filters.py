"""Which pages of an archive an ingest takes: sites, dates and language."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass

from crawler.page.article import Article
from crawler.urls import site_of

# A page cannot be published after it was fetched, so a capture older than --since is passed
# over unparsed; one day of slack covers time zones (a date "2024-05-02" in +02:00 can be
# fetched at 23:30 UTC on 2024-05-01).
_CAPTURE_SLACK = dt.timedelta(days=1)


def _day(value: str | dt.date | None, name: str) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value.date() if isinstance(value, dt.datetime) else value
    try:
        return dt.date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        raise ValueError(f"{name} must be a date such as 2024-05-01, got {value!r}") from None


def _site(host: str) -> str:
    return host.strip().lower().removeprefix("www.")


@dataclass(frozen=True)
class IngestFilters:
    """Which pages to ingest: sites (a host or any subdomain of it), dates, language.

    Dates apply to the article's published date, or to the capture date when the page gives
    none; ``until`` includes its whole day. A page whose language is unknown is left out when
    ``language`` is given.
    """

    sites: tuple[str, ...] = ()
    since: dt.date | None = None
    until: dt.date | None = None
    language: str | None = None

    @classmethod
    def of(
        cls,
        sites: Iterable[str] = (),
        since: str | dt.date | None = None,
        until: str | dt.date | None = None,
        language: str | None = None,
    ) -> IngestFilters:
        """Build filters from user values; raises ValueError for a malformed date."""
        return cls(
            tuple(sorted({_site(s) for s in sites if s.strip()})),
            _day(since, "since"),
            _day(until, "until"),
            language.strip().lower() if language and language.strip() else None,
        )

    def key(self) -> str:
        """A stable text for these filters ("" for none), remembered with each file read."""
        if not (self.sites or self.since or self.until or self.language):
            return ""
        values = {
            "sites": list(self.sites),
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
            "language": self.language,
        }
        return json.dumps(values, sort_keys=True)

    def site_ok(self, url: str) -> bool:
        if not self.sites:
            return True
        site = site_of(url)
        return any(site == s or site.endswith("." + s) for s in self.sites)

    def captured_too_early(self, fetched_at: str) -> bool:
        if self.since is None:
            return False
        day = _day(fetched_at, "capture date")
        return day is not None and day < self.since - _CAPTURE_SLACK

    def article_filtered(self, article: Article, fetched_at: str) -> str | None:
        """Return why the article is left out ("filtered_date", "filtered_language") or None."""
        if self.since or self.until:
            try:
                day = _day(article.published or fetched_at, "date")
            except ValueError:
                day = _day(fetched_at, "capture date")
            if day is None or (self.since and day < self.since):
                return "filtered_date"
            if self.until and day > self.until:
                return "filtered_date"
        if self.language and (article.language or "").lower() != self.language:
            return "filtered_language"
        return None
