"""What to crawl: the sources file (TOML, checked field by field) and start URLs, as sources."""

from __future__ import annotations

import dataclasses
import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from crawler.errors import ConfigError
from crawler.urls import canonicalize, site_of

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10 reads TOML with the tomli backport
    import tomli as tomllib

# A source name is used on the command line (--only NAME) and in the store: keep it plain.
NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
# Keys a source may set; anything else is a typo worth reporting.
SCHEDULE_FIELDS = ("interval", "min_interval", "max_interval", "adaptive")
SOURCE_FIELDS = (
    "urls",
    "allow",
    "deny",
    "depth",
    "language",
    "download_delay",
    "enabled",
    *SCHEDULE_FIELDS,
)
# Keys of the optional [defaults] table: what every source inherits unless it says otherwise.
DEFAULT_FIELDS = (
    "allow",
    "deny",
    "depth",
    "language",
    "download_delay",
    "enabled",
    *SCHEDULE_FIELDS,
)
# Past this, a link depth stops being a crawl of a news site and becomes a crawl of the web.
MAX_DEPTH = 10
# A download delay past this is almost certainly minutes meant as seconds... or a typo.
MAX_DOWNLOAD_DELAY = 600.0
# Units of an interval ("15m", "6h", "2d"), in seconds.
DURATION_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|m|h|d)\s*$", re.IGNORECASE)


class SourcesError(ConfigError):
    """The sources file cannot be used; the message names the file, the source and the field."""


@dataclass(frozen=True)
class Source:
    """One site (or part of one) to crawl: where to start and which links to follow."""

    name: str
    urls: tuple[str, ...]
    allow: tuple[str, ...] = ()
    deny: tuple[str, ...] = ()
    depth: int | None = None  # None: the DEPTH_LIMIT setting
    language: tuple[str, ...] = ()  # expected ISO 639-1 codes; empty: any
    download_delay: float | None = None  # None: the DOWNLOAD_DELAY setting
    enabled: bool = True
    # Seconds; None: the NEWSDEDUP_INTERVAL / _MIN_INTERVAL / _MAX_INTERVAL / _ADAPTIVE settings.
    interval: float | None = None
    min_interval: float | None = None
    max_interval: float | None = None
    adaptive: bool | None = None
    _allow_res: tuple[re.Pattern[str], ...] = field(
        init=False, default=(), repr=False, compare=False
    )
    _deny_res: tuple[re.Pattern[str], ...] = field(
        init=False, default=(), repr=False, compare=False
    )

    def __post_init__(self) -> None:
        object.__setattr__(self, "_allow_res", tuple(re.compile(p) for p in self.allow))
        object.__setattr__(self, "_deny_res", tuple(re.compile(p) for p in self.deny))

    @property
    def sites(self) -> frozenset[str]:
        """The sites (host[:port] without www.) of the start URLs: links stay on these."""
        return frozenset(site_of(url) for url in self.urls)

    @property
    def hosts(self) -> frozenset[str]:
        """The host names of the start URLs (what Scrapy keys its per-site delays by)."""
        return frozenset(urlsplit(url).hostname or "" for url in self.urls)

    def wants(self, url: str) -> bool:
        """True if ``url`` passes the deny patterns and, when there are any, an allow pattern.

        Start URLs are always crawled; this decides only which discovered links to follow.
        """
        if any(pattern.search(url) for pattern in self._deny_res):
            return False
        return not self._allow_res or any(pattern.search(url) for pattern in self._allow_res)


def load_sources(path: str | Path, only: Iterable[str] = ()) -> list[Source]:
    """Read and check a sources file; return its enabled sources (or those named in ``only``).

    A source named in ``only`` is crawled even when disabled. Raises ``SourcesError`` naming the
    file, the source and the field for every mistake: a missing file, bad TOML, an unknown key, a
    wrong type, a bad URL or pattern, or an ``only`` name that is not in the file.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SourcesError(
            f"{path}: no such sources file; see sources.example.toml for the format"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SourcesError(f"{path}: cannot read the sources file ({exc})") from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SourcesError(f"{path}: not valid TOML: {exc}") from exc
    return parse_sources(data, str(path), only)


def parse_sources(data: Mapping[str, Any], where: str, only: Iterable[str] = ()) -> list[Source]:
    """Check the parsed TOML of a sources file (see :func:`load_sources`); ``where`` names it."""
    unknown = set(data) - {"defaults", "sources"}
    if unknown:
        raise SourcesError(
            f"{where}: unknown top-level key(s) {', '.join(sorted(unknown))}; a sources file has "
            "an optional [defaults] table and one [sources.NAME] table per source"
        )
    defaults = data.get("defaults", {})
    if not isinstance(defaults, dict):
        raise SourcesError(f"{where}: [defaults] must be a table")
    for key in defaults:
        if key not in DEFAULT_FIELDS:
            raise SourcesError(
                f"{where}: [defaults]: unknown field {key!r}; defaults may set "
                f"{', '.join(DEFAULT_FIELDS)}"
            )
    if defaults:
        # Checked alone first, so a bad default is reported where it is written, not on the
        # first source that inherits it.
        _source(
            "defaults", {"urls": ["https://defaults.invalid/"], **defaults}, f"{where}: [defaults]"
        )
    tables = data.get("sources")
    if not isinstance(tables, dict) or not tables:
        raise SourcesError(
            f"{where}: no sources; add one table per source, e.g.\n"
            '[sources.example-news]\nurls = ["https://www.example-news.com/"]'
        )
    sources: list[Source] = []
    for name, table in tables.items():
        if not NAME_PATTERN.match(name):
            raise SourcesError(
                f"{where}: source {name!r}: a name is 1-64 letters, digits, '.', '_' or '-', "
                "starting with a letter or digit"
            )
        if not isinstance(table, dict):
            raise SourcesError(f"{where}: source {name!r} must be a table ([sources.{name}])")
        sources.append(_source(name, {**defaults, **table}, f"{where}: source {name!r}"))
    wanted = list(dict.fromkeys(only))
    if wanted:
        names = {source.name for source in sources}
        missing = [name for name in wanted if name not in names]
        if missing:
            raise SourcesError(
                f"{where}: --only {', '.join(missing)}: no such source; the file has "
                f"{', '.join(sorted(names))}"
            )
        return [source for source in sources if source.name in wanted]
    return [source for source in sources if source.enabled]


def _source(name: str, table: Mapping[str, Any], where: str) -> Source:
    for key in table:
        if key not in SOURCE_FIELDS:
            raise SourcesError(
                f"{where}: unknown field {key!r}; a source may set {', '.join(SOURCE_FIELDS)}"
            )
    return Source(
        name=name,
        urls=_urls(table.get("urls"), where),
        allow=_patterns(table.get("allow", []), where, "allow"),
        deny=_patterns(table.get("deny", []), where, "deny"),
        depth=_depth(table.get("depth"), where),
        language=_languages(table.get("language"), where),
        download_delay=_delay(table.get("download_delay"), where),
        enabled=_flag(table.get("enabled", True), where, "enabled"),
        **_schedule(table, where),
    )


def _string_list(value: Any, where: str, name: str) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise SourcesError(f"{where}: field {name!r} must be a string or a list of strings")
    return value


def _urls(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        raise SourcesError(
            f"{where}: field 'urls' is missing; list the homepages, sections, feeds or sitemaps "
            "to start from"
        )
    urls = _string_list(value, where, "urls")
    if not urls:
        raise SourcesError(f"{where}: field 'urls' is empty; give at least one start URL")
    checked = []
    for url in urls:
        parts = urlsplit(url.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise SourcesError(
                f"{where}: field 'urls': {url!r} is not an http(s) URL; write it in full, "
                "e.g. https://www.example-news.com/"
            )
        try:
            parts.port  # noqa: B018 - raises ValueError on a malformed port
        except ValueError:
            raise SourcesError(f"{where}: field 'urls': {url!r} has a malformed port") from None
        checked.append(canonicalize(url))
    return tuple(dict.fromkeys(checked))


def _patterns(value: Any, where: str, name: str) -> tuple[str, ...]:
    patterns = _string_list(value, where, name)
    for pattern in patterns:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise SourcesError(
                f"{where}: field {name!r}: {pattern!r} is not a valid regular expression ({exc})"
            ) from None
    return tuple(patterns)


def _depth(value: Any, where: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_DEPTH:
        raise SourcesError(
            f"{where}: field 'depth' must be a whole number from 0 to {MAX_DEPTH}, got {value!r}"
        )
    return value


def _languages(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    codes = _string_list(value, where, "language")
    for code in codes:
        if not re.fullmatch(r"[a-z]{2}", code):
            raise SourcesError(
                f"{where}: field 'language': {code!r} is not a two-letter ISO 639-1 code "
                "such as 'en' or 'de'"
            )
    return tuple(codes)


def _delay(value: Any, where: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise SourcesError(f"{where}: field 'download_delay' must be a number of seconds")
    if not 0 <= value <= MAX_DOWNLOAD_DELAY:
        raise SourcesError(
            f"{where}: field 'download_delay' must be between 0 and {MAX_DOWNLOAD_DELAY:g} "
            f"seconds, got {value!r}"
        )
    return float(value)


def parse_duration(value: Any) -> float:
    """Seconds in a duration such as "15m", "6h", "2d" or "90s" (a bare number is seconds).

    Raises ValueError saying how to write one.
    """
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        seconds = float(value)
    else:
        found = _DURATION.match(value) if isinstance(value, str) else None
        if found is None:
            raise ValueError(
                f"{value!r} is not a duration; write a number and a unit, s, m, h or d, "
                'e.g. "15m", "6h" or "2d"'
            )
        seconds = float(found[1]) * DURATION_UNITS[found[2].lower()]
    if seconds <= 0:
        raise ValueError(f"{value!r} is not a positive duration")
    return seconds


def _schedule(table: Mapping[str, Any], where: str) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in ("interval", "min_interval", "max_interval"):
        if table.get(name) is not None:
            try:
                values[name] = parse_duration(table[name])
            except ValueError as exc:
                raise SourcesError(f"{where}: field {name!r}: {exc}") from None
    low, high = values.get("min_interval"), values.get("max_interval")
    if low is not None and high is not None and low > high:
        raise SourcesError(
            f"{where}: field 'min_interval' ({table['min_interval']}) is longer than "
            f"'max_interval' ({table['max_interval']})"
        )
    if "adaptive" in table:
        values["adaptive"] = _flag(table["adaptive"], where, "adaptive")
    return values


def _flag(value: Any, where: str, name: str) -> bool:
    if not isinstance(value, bool):
        raise SourcesError(f"{where}: field {name!r} must be true or false, got {value!r}")
    return value


class BadStartURL(ConfigError):
    """A start URL that cannot be crawled; the message says why and how to fix it."""


def split_urls(value: str | Iterable[str] | None) -> list[str]:
    """Return the URLs of a ``-a urls=`` value or a setting: a list, or commas/spaces."""
    if not value:
        return []
    if isinstance(value, str):
        return [part for part in re.split(r"[\s,]+", value) if part]
    return [part for item in value for part in split_urls(item)]


def check_start_url(url: str) -> str:
    """Return ``url`` canonicalised, or raise ``BadStartURL`` saying what is wrong with it."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise BadStartURL(
            f"start URL {url!r} is not an http(s) URL; write it in full, e.g. https://{url}"
            if not parts.scheme
            else f"start URL {url!r} uses {parts.scheme}:, only http and https are crawled"
        )
    if not parts.hostname:
        raise BadStartURL(f"start URL {url!r} has no host name")
    try:
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError as exc:
        raise BadStartURL(f"start URL {url!r} has a malformed port") from exc
    return canonicalize(url)


def crawl_sources(
    path: str | Path | None,
    only: Iterable[str] = (),
    urls: Iterable[str] = (),
    name: str | None = None,
) -> dict[str, Source]:
    """The sources of a crawl by name: the sources file's, then one per site of the start URLs.

    Start URLs of a site named in the file join that source; ``name`` puts every start URL in
    one source of that name. Raises ``SourcesError`` or ``BadStartURL`` naming the mistake.
    """
    sources: dict[str, Source] = {}
    if path:
        for source in load_sources(path, only):
            sources[source.name] = source
    by_site: dict[str, list[str]] = {}
    for url in [check_start_url(url) for url in dict.fromkeys(urls)]:
        by_site.setdefault(name or site_of(url), []).append(url)
    for key, found in by_site.items():
        if key in sources:
            known = sources[key]
            sources[key] = dataclasses.replace(known, urls=(*known.urls, *found))
        else:
            sources[key] = Source(name=key, urls=tuple(found))
    return sources


def deepest_depth(path: str | Path | None, only: Iterable[str] = ()) -> int | None:
    """The deepest ``depth`` of the sources file at ``path``, or None (none set, or no file).

    A file that cannot be read gives None here; loading it for the crawl reports why.
    """
    if not path:
        return None
    try:
        sources = load_sources(path, only)
    except SourcesError:
        return None
    depths = [source.depth for source in sources if source.depth is not None]
    return max(depths) if depths else None


__all__ = [
    "BadStartURL",
    "Source",
    "SourcesError",
    "check_start_url",
    "crawl_sources",
    "deepest_depth",
    "load_sources",
    "parse_duration",
    "parse_sources",
    "split_urls",
]
