"""The article filters shared by iteration, export, search and counting, turned into safe SQL."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


def _parse_bound(value: str | dt.date, name: str) -> tuple[str, bool]:
    """Return (ISO string, is_date_only) for a since/until bound; raise ValueError when invalid."""
    if isinstance(value, dt.datetime):
        return value.isoformat(), False
    if isinstance(value, dt.date):
        return value.isoformat(), True
    text = str(value).strip()
    try:
        if len(text) == 10:
            return dt.date.fromisoformat(text).isoformat(), True
        dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(
            f"{name} must be an ISO 8601 date or datetime such as 2024-05-01, got {value!r}"
        ) from None
    return text, False


# The values of the ``access`` field (crawler.page.access decides them).
ACCESS_VALUES = ("free", "paywalled", "truncated")


def check_access(values: str | tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """Return the access values asked for (a list, or one comma-separated string).

    Raises ValueError naming the unknown ones and the known ones.
    """
    items = [values] if isinstance(values, str) else list(values)
    chosen = tuple(dict.fromkeys(v.strip().lower() for item in items for v in item.split(",")))
    chosen = tuple(v for v in chosen if v)
    unknown = [v for v in chosen if v not in ACCESS_VALUES]
    if unknown or not chosen:
        raise ValueError(
            f"unknown access value(s) {', '.join(unknown) or '(none given)'}; "
            f"choose from {', '.join(ACCESS_VALUES)}"
        )
    return chosen


@dataclass(frozen=True)
class ArticleFilter:
    """Which articles to include.

    Dates compare against ``published``; undated articles are left out as soon as ``since`` or
    ``until`` is given. A date-only ``until`` includes that whole day.
    """

    include_duplicates: bool = False
    since: str | dt.date | None = None
    until: str | dt.date | None = None
    site: str | None = None
    language: str | None = None
    min_words: int | None = None
    # Only articles with one of these access values (free, paywalled, truncated); articles
    # stored before the field existed (NULL) are left out as soon as this is given.
    access: tuple[str, ...] | None = None

    @property
    def narrows(self) -> bool:
        """True when a filter other than ``include_duplicates`` is set."""
        values = (self.since, self.until, self.site, self.language, self.min_words, self.access)
        return any(value is not None for value in values)

    def where(self, alias: str = "articles") -> tuple[list[str], list[object]]:
        """Return (SQL conditions, parameters); values are always bound, never interpolated."""
        conds: list[str] = []
        params: list[object] = []
        if not self.include_duplicates:
            conds.append(f"{alias}.duplicate_of IS NULL")
        if self.since is not None:
            since, _ = _parse_bound(self.since, "since")
            conds.append(f"{alias}.published >= ?")
            params.append(since)
        if self.until is not None:
            until, date_only = _parse_bound(self.until, "until")
            if date_only:
                next_day = dt.date.fromisoformat(until) + dt.timedelta(days=1)
                conds.append(f"{alias}.published < ?")
                params.append(next_day.isoformat())
            else:
                conds.append(f"{alias}.published <= ?")
                params.append(until)
        if self.site:
            site = self.site.strip().lower()
            site = site.removeprefix("www.")
            conds.append(f"{alias}.site = ?")
            params.append(site)
        if self.language:
            conds.append(f"{alias}.language = ?")
            params.append(self.language.strip().lower())
        if self.min_words is not None:
            if self.min_words < 0:
                raise ValueError(f"min_words must not be negative, got {self.min_words}")
            conds.append(f"{alias}.word_count >= ?")
            params.append(int(self.min_words))
        if self.access is not None:
            chosen = check_access(self.access)
            conds.append(f"{alias}.access IN ({', '.join('?' * len(chosen))})")
            params.extend(chosen)
        return conds, params
