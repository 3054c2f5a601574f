"""Serve a folder of static news sites on 127.0.0.1, one port per site, with origins rewritten.

A world is a folder with one sub-folder per site. A site folder may hold ``_world.json``, a JSON
object with these optional keys:

- ``origin``: the fake origin written in the files, e.g. ``"https://www.daily-courier.example"``;
  ``aliases``: more fake origins of the same site. Every fake origin of every site is rewritten
  to that site's real ``http://127.0.0.1:PORT`` in text bodies, so cross-site links work.
- ``start``: entry paths for :meth:`World.start_urls` (default ``["/"]``).
- ``redirects``: ``{path: target}`` answered with 301.
- ``headers``: ``{path: {name: value}}`` overriding response headers (e.g. a lying charset).
- ``status``: ``{path: code}`` to answer an existing file with another status (e.g. 410).
- ``pages``: ``{target: file}`` answering a path (``/node/12``) or a path and query string
  (``/calendar/?page=2``) with a file of the site folder, which may be hidden
  (``_pages/node-12.html``): for URLs without a file name's extension, and for pages told apart
  by their query string. Its Content-Type follows the file's extension. A query string not listed
  is ignored, as everywhere else.

Files and folders starting with ``_`` or ``.`` are never served; anything at the world's top
level outside a site folder (such as ``truth.json``) is not served either.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from urllib.parse import unquote, urljoin, urlsplit

logger = logging.getLogger(__name__)

DEFAULT_ROOT = Path(__file__).parent / "site"
CONFIG_NAME = "_world.json"
TRUTH_NAME = "truth.json"

CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".xml": "application/xml",
    ".rss": "application/rss+xml",
    ".atom": "application/atom+xml",
    ".txt": "text/plain; charset=utf-8",
    ".json": "application/json",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".svg": "image/svg+xml",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".gif": "image/gif",
    ".webp": "image/webp",
}
DEFAULT_CONTENT_TYPE = "application/octet-stream"
# A directory URL is served from the first of these that exists (index.xml: WordPress-style /feed/).
INDEX_FILES = ("index.html", "index.xml")
# One fixed date for every file, so Last-Modified and conditional requests are deterministic.
LAST_MODIFIED = datetime(2025, 3, 14, 18, 0, tzinfo=timezone.utc)
# Idle keep-alive connections are dropped after this many seconds.
CONNECTION_TIMEOUT = 10.0


@dataclass(frozen=True)
class Hit:
    """One request the world received: what was asked and what was answered."""

    site: str
    method: str
    path: str  # path with query string, as sent
    status: int
    headers: Mapping[str, str]  # request headers


@dataclass
class Reply:
    """What a route answers. Text bodies have fake origins rewritten unless ``rewrite`` is off."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    rewrite: bool = True


@dataclass(frozen=True)
class RouteRequest:
    """The request handed to a route callable."""

    site: str
    method: str
    path: str  # without query string
    query: str
    headers: Mapping[str, str]
    base_url: str


Route = Callable[[RouteRequest], Reply]


@dataclass(frozen=True)
class SiteConfig:
    """A site folder and what ``_world.json`` says about it."""

    name: str
    folder: Path
    origins: tuple[str, ...]  # fake origins written in the files, e.g. https://www.x.example
    start: tuple[str, ...]  # entry paths, e.g. "/", "/feed.xml"
    redirects: Mapping[str, str]  # path -> target path or URL, answered with 301
    headers: Mapping[str, Mapping[str, str]]  # path -> response headers that override defaults
    status: Mapping[str, int]  # path -> status code to answer with the file's body
    pages: Mapping[str, str] = field(default_factory=dict)  # "path[?query]" -> file in folder

    @classmethod
    def load(cls, folder: Path) -> SiteConfig:
        """Read ``folder/_world.json`` (optional); ValueError names the file if malformed."""
        config_path = folder / CONFIG_NAME
        data: dict = {}
        if config_path.is_file():
            try:
                data = json.loads(config_path.read_text(encoding="utf-8"))
            except json.JSONDecodeError as exc:
                raise ValueError(f"{config_path}: not valid JSON ({exc})") from exc
            if not isinstance(data, dict):
                raise ValueError(f"{config_path}: expected a JSON object")
        try:
            origins = [data["origin"]] if "origin" in data else []
            origins += list(data.get("aliases", []))
            config = cls(
                name=folder.name,
                folder=folder,
                origins=tuple(origins),
                start=tuple(data.get("start", ["/"])),
                redirects=dict(data.get("redirects", {})),
                headers={path: dict(h) for path, h in data.get("headers", {}).items()},
                status={path: int(code) for path, code in data.get("status", {}).items()},
                pages={target: str(file) for target, file in data.get("pages", {}).items()},
            )
        except (AttributeError, TypeError, ValueError) as exc:
            raise ValueError(f"{config_path}: malformed entry ({exc})") from exc
        for origin in config.origins:
            parts = urlsplit(origin) if isinstance(origin, str) else None
            if (
                parts is None
                or parts.scheme not in ("http", "https")
                or not parts.hostname
                or parts.path
                or parts.port is not None
            ):
                raise ValueError(
                    f"{config_path}: origin {origin!r} must look like https://host "
                    "(no port, no path, no trailing slash)"
                )
        return config


class World:
    """Running demo sites. A context manager; ``close()`` stops every server.

    ``sites`` maps each site folder to its base URL (``http://127.0.0.1:PORT``); ``requests``
    lists every ``(site, path)`` asked for, in order, so tests can assert what was never fetched.
    """

    def __init__(
        self, root: Path, configs: list[SiteConfig], routes: Mapping[tuple[str, str], Route]
    ) -> None:
        self.root = root
        self._configs = {config.name: config for config in configs}
        self._routes = dict(routes)
        self._lock = threading.Lock()
        self._log: list[Hit] = []
        self._servers: dict[str, ThreadingHTTPServer] = {}
        self._threads: list[threading.Thread] = []
        try:
            for config in configs:
                server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
                server.world = self  # type: ignore[attr-defined]
                server.site = config.name  # type: ignore[attr-defined]
                self._servers[config.name] = server
        except OSError:
            self._close_servers()
            raise
        self.sites: dict[str, str] = {
            name: f"http://127.0.0.1:{server.server_address[1]}"
            for name, server in self._servers.items()
        }
        self._fake_to_real: dict[str, str] = {}
        for name, config in self._configs.items():
            for origin in config.origins:
                self._fake_to_real[urlsplit(origin).hostname or ""] = self.sites[name]
        self._pattern = _origin_pattern(self._fake_to_real)
        for name, server in self._servers.items():
            thread = threading.Thread(
                target=server.serve_forever, name=f"demo-{name}", kwargs={"poll_interval": 0.1}
            )
            thread.daemon = True
            thread.start()
            self._threads.append(thread)
        logger.info("serving %d demo sites from %s: %s", len(self.sites), root, self.sites)

    # -- what tests and the CLI use -------------------------------------------------------------

    def url(self, site: str, path: str = "/") -> str:
        """Return the real URL of ``path`` on ``site`` (a site folder name)."""
        return urljoin(self.sites[site] + "/", path)

    def start_urls(self) -> list[str]:
        """Return the entry URLs of every site: homepages plus the feeds/sitemaps configured."""
        return [self.url(name, path) for name in self.sites for path in self._configs[name].start]

    @property
    def requests(self) -> list[tuple[str, str]]:
        """Every ``(site, path)`` requested so far (path includes the query string)."""
        with self._lock:
            return [(hit.site, hit.path) for hit in self._log]

    @property
    def log(self) -> list[Hit]:
        """Every request so far with method, status and request headers."""
        with self._lock:
            return list(self._log)

    def clear_log(self) -> None:
        """Forget the requests seen so far (e.g. between two crawls of the same world)."""
        with self._lock:
            self._log.clear()

    def rewrite(self, text: str) -> str:
        """Replace every fake origin in ``text`` by the real base URL of its site."""
        return self._rewrite(text.encode("utf-8")).decode("utf-8")

    def fake_url(self, url: str) -> str:
        """Map a real ``http://127.0.0.1:PORT/...`` URL back to the fake origin it stands for."""
        for name, base in self.sites.items():
            origins = self._configs[name].origins
            if origins and (url == base or url.startswith(base + "/")):
                return origins[0] + url[len(base) :]
        return url

    def truth(self) -> dict | None:
        """Return ``root/truth.json`` with fake origins rewritten to real URLs, if it exists."""
        path = self.root / TRUTH_NAME
        if not path.is_file():
            return None
        return json.loads(self.rewrite(path.read_text(encoding="utf-8")))

    def close(self) -> None:
        """Stop every server and wait for their threads."""
        self._close_servers()
        for thread in self._threads:
            thread.join(timeout=5)
        self._threads.clear()

    def __enter__(self) -> World:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- internals used by the handler ----------------------------------------------------------

    def _close_servers(self) -> None:
        running = bool(self._threads)  # shutdown() blocks forever on a server never started
        for server in self._servers.values():
            if running:
                server.shutdown()
            server.server_close()
        self._servers.clear()

    def _rewrite(self, body: bytes) -> bytes:
        if self._pattern is None:
            return body

        def replace(match: re.Match[bytes]) -> bytes:
            real = self._fake_to_real[match.group(2).decode("ascii").lower()]
            if match.group(1):
                return real.encode("ascii")
            return real.split(":", 1)[1].encode("ascii")  # protocol-relative //host

        return self._pattern.sub(replace, body)

    def _record(self, hit: Hit) -> None:
        with self._lock:
            self._log.append(hit)

    def _answer(self, site: str, method: str, target: str, headers: Mapping[str, str]) -> Reply:
        config = self._configs[site]
        parts = urlsplit(target)
        path = unquote(parts.path) or "/"
        route = self._routes.get((site, path))
        if route is not None:
            request = RouteRequest(site, method, path, parts.query, headers, self.sites[site])
            return route(request)
        if path in config.redirects:
            location = urljoin(self.sites[site] + "/", config.redirects[path])
            return Reply(301, headers={"Location": self.rewrite(location)})
        mapped = config.pages.get(f"{path}?{parts.query}" if parts.query else path)
        if mapped is None and parts.query:
            mapped = config.pages.get(path)
        if mapped is not None:
            file = _resolve(config.folder, mapped, hidden=True)
        else:
            file = _resolve(config.folder, path)
        if file is None:
            return _not_found()
        if file.is_dir():
            if not path.endswith("/"):
                location = path + "/" + (f"?{parts.query}" if parts.query else "")
                return Reply(301, headers={"Location": self.url(site, location)})
            file = next((file / n for n in INDEX_FILES if (file / n).is_file()), None)
            if file is None:
                return _not_found()
        content_type = CONTENT_TYPES.get(file.suffix.lower(), DEFAULT_CONTENT_TYPE)
        headers_out = {"Content-Type": content_type, **config.headers.get(path, {})}
        return Reply(config.status.get(path, 200), file.read_bytes(), headers_out)


def serve_world(
    root: Path | str | None = None, *, routes: Mapping[tuple[str, str], Route] | None = None
) -> World:
    """Start serving every site folder under ``root`` (default: the bundled demo world).

    Each sub-folder of ``root`` not starting with ``_`` or ``.`` is a site, served on its own free
    127.0.0.1 port. ``routes`` maps ``(site, path)`` to a callable answering that path instead of a
    file (for hostile test worlds: errors, redirects, slow or huge bodies). Returns a running
    :class:`World`; raises ValueError if ``root`` holds no sites or a config is malformed.
    """
    root = Path(root) if root is not None else DEFAULT_ROOT
    if not root.is_dir():
        raise ValueError(f"demo world {root} is not a folder")
    configs = [
        SiteConfig.load(child)
        for child in sorted(root.iterdir())
        if child.is_dir() and not child.name.startswith(("_", "."))
    ]
    if not configs:
        raise ValueError(f"demo world {root} has no site folders")
    known = {config.name for config in configs}
    for site, _path in routes or {}:
        if site not in known:
            raise ValueError(f"route for unknown site {site!r}; sites are {sorted(known)}")
    return World(root, configs, routes or {})


def _origin_pattern(hosts: Mapping[str, str]) -> re.Pattern[bytes] | None:
    """Match ``https://host``, ``http://host`` and ``//host`` for every fake host (whole host)."""
    if not hosts:
        return None
    names = sorted(hosts, key=len, reverse=True)
    alternatives = b"|".join(re.escape(name.encode("ascii")) for name in names)
    return re.compile(
        rb"(https?:)?//(" + alternatives + rb")(?![A-Za-z0-9\-]|\.[A-Za-z0-9])", re.IGNORECASE
    )


def _resolve(folder: Path, path: str, *, hidden: bool = False) -> Path | None:
    """Map a URL path to a file or folder inside ``folder``, or None.

    None for a path escaping the folder, and for a hidden one (a part starting with ``_`` or ``.``)
    unless ``hidden`` is set.
    """
    parts = [part for part in path.split("/") if part]
    if any("\\" in part or (part.startswith((".", "_")) and not hidden) for part in parts):
        return None
    candidate = folder.joinpath(*parts)
    try:
        candidate.resolve().relative_to(folder.resolve())
    except ValueError:
        return None
    return candidate if candidate.exists() else None


def _not_found() -> Reply:
    body = b"<!DOCTYPE html><html><head><title>404 Not Found</title></head>"
    body += b"<body><h1>Not Found</h1></body></html>"
    return Reply(404, body, {"Content-Type": "text/html; charset=utf-8"})


def _is_text(content_type: str) -> bool:
    kind = content_type.split(";", 1)[0].strip().lower()
    return kind.startswith("text/") or kind.endswith(("xml", "json", "javascript"))


class _Handler(BaseHTTPRequestHandler):
    """Answers GET and HEAD from the site folder (or a route) and logs every request."""

    protocol_version = "HTTP/1.1"
    timeout = CONNECTION_TIMEOUT
    server_version = "newsdedup-demo/1"

    def do_GET(self) -> None:  # noqa: N802 - name fixed by BaseHTTPRequestHandler
        self._serve(send_body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._serve(send_body=False)

    def _serve(self, *, send_body: bool) -> None:
        world: World = self.server.world  # type: ignore[attr-defined]
        site: str = self.server.site  # type: ignore[attr-defined]
        headers = {name: value for name, value in self.headers.items()}
        try:
            reply = world._answer(site, self.command, self.path, headers)
        except Exception:
            logger.exception("demo site %s failed on %s", site, self.path)
            reply = Reply(500, b"internal error", {"Content-Type": "text/plain"})
        content_type = reply.headers.get("Content-Type", "")
        body = reply.body
        if reply.rewrite and _is_text(content_type):
            body = world._rewrite(body)
        status = reply.status
        out = dict(reply.headers)
        if status == 200:
            etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
            out.setdefault("ETag", etag)
            out.setdefault("Last-Modified", format_datetime(LAST_MODIFIED, usegmt=True))
            if _not_modified(self.headers, out["ETag"]):
                status, body = 304, b""
        world._record(Hit(site, self.command, self.path, status, headers))
        self.send_response(status)
        for name, value in out.items():
            self.send_header(name, value)
        if "Content-Length" not in out:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if send_body and body:
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - base signature
        logger.debug("%s %s", self.address_string(), format % args)


def _not_modified(request_headers: Mapping[str, str], etag: str) -> bool:
    """True if the request's validators say the client already has this exact response."""
    if_none_match = request_headers.get("If-None-Match")
    if if_none_match is not None:
        return etag in [tag.strip() for tag in if_none_match.split(",")] or if_none_match == "*"
    since = request_headers.get("If-Modified-Since")
    if since:
        try:
            return parsedate_to_datetime(since) >= LAST_MODIFIED
        except (TypeError, ValueError):
            return False
    return False
