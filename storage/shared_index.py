"""The near-duplicate index shared by several crawl workers, each writing its own store, in Redis.

Every worker registers each new article here in one atomic step (a Lua script), which gives the
article a global number and returns the earlier articles it may duplicate; the worker verifies
those candidates by exact Jaccard of their shingles, exactly as
:class:`storage.matcher.SqliteMatcher` does inside one store. Because the step is atomic, two
workers storing copies of one story at the same moment cannot both miss each other: whichever
registered second sees the first.

Redis layout under a prefix ``P`` (default ``newsdedup:index``):

- ``P:meta``: hash of the MinHash parameters and threshold (every worker must agree);
- ``P:seq``: counter of registered articles, the global order;
- ``P:url``: hash canonical URL -> number (a URL is registered once);
- ``P:text``: hash exact-text hash -> the first number with that text;
- ``P:b:<band key>``: set of the numbers indexed under a band key (storage.minhash.band_keys);
- ``P:a:<number>``: hash with ``url``, ``shard``, ``at`` (when it was registered, Unix time)
  and ``sh``, the article's shingle hashes as sorted uint32 little-endian (for verification by
  other workers);
- ``P:pending:<shard>``: hash number -> "time|text hash|band keys" of the registrations whose
  store transaction has not been seen to commit yet (see :meth:`SharedMatcher.settle`).

Only near-duplicate candidates (texts of at least ``MIN_MINHASH_WORDS`` words, not exact copies)
are put in band sets, as in one store. The index costs about 2-3 KB per article: measure with
``benchmarks/distributed.py``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

from storage.crawlstate import Seen
from storage.dedup import Fingerprint
from storage.errors import MissingDependency, ParameterMismatch, StoreError
from storage.lsh import MAX_CANDIDATES
from storage.matcher import Match
from storage.minhash import MinHashParams, jaccard
from storage.schema import SHARED_LINKS_DDL

logger = logging.getLogger(__name__)

DEFAULT_PREFIX = "newsdedup:index"
SHINGLE_DTYPE = np.dtype("<u4")

# ARGV: prefix, url, shard, text hash or "", packed shingles, candidate limit, band keys...
# Returns {kind, own number, (number, url, shingles) of each candidate...}; kind is "url" (the
# URL was registered before: own number is that registration's), "exact", "near" or "new".
_REGISTER = """
local p = ARGV[1]
local url = ARGV[2]
local known = redis.call('HGET', p .. ':url', url)
if known then return {'url', known} end
local seq = redis.call('INCR', p .. ':seq')
redis.call('HSET', p .. ':url', url, seq)
local now = redis.call('TIME')[1]
redis.call('HSET', p .. ':a:' .. seq, 'url', url, 'shard', ARGV[3], 'at', now)
redis.call('HSET', p .. ':pending:' .. ARGV[3], seq,
  now .. '|' .. ARGV[4] .. '|' .. table.concat({unpack(ARGV, 7)}, ','))
local th = ARGV[4]
if th ~= '' then
  local first = redis.call('HGET', p .. ':text', th)
  if first then
    return {'exact', seq, first, redis.call('HGET', p .. ':a:' .. first, 'url'), ''}
  end
  redis.call('HSET', p .. ':text', th, seq)
end
if #ARGV < 7 then return {'new', seq} end
local hits = {}
local order = {}
for i = 7, #ARGV do
  local band = p .. ':b:' .. ARGV[i]
  for _, m in ipairs(redis.call('SMEMBERS', band)) do
    if hits[m] == nil then
      hits[m] = 0
      order[#order + 1] = m
    end
    hits[m] = hits[m] + 1
  end
  redis.call('SADD', band, seq)
end
redis.call('HSET', p .. ':a:' .. seq, 'sh', ARGV[5])
table.sort(order, function(a, b)
  if hits[a] ~= hits[b] then return hits[a] > hits[b] end
  return tonumber(a) < tonumber(b)
end)
local out = {'near', seq}
local limit = tonumber(ARGV[6])
for i = 1, math.min(#order, limit) do
  local m = order[i]
  local fields = redis.call('HMGET', p .. ':a:' .. m, 'url', 'sh')
  out[#out + 1] = m
  out[#out + 1] = fields[1]
  out[#out + 1] = fields[2]
end
return out
"""

# ARGV: prefix, shard, number. Undo the registration of a number whose article was not stored
# (its transaction rolled back): URL, text hash and band entries that still point at it go, so
# the index never names an article no shard holds. Links other workers made to it meanwhile
# stay; merge stores those articles as new.
_UNREGISTER = """
local p, seq = ARGV[1], ARGV[3]
local pending = p .. ':pending:' .. ARGV[2]
local entry = redis.call('HGET', pending, seq)
redis.call('HDEL', pending, seq)
local a = p .. ':a:' .. seq
local url = redis.call('HGET', a, 'url')
if url and redis.call('HGET', p .. ':url', url) == seq then redis.call('HDEL', p .. ':url', url) end
if entry then
  local _, th, keys = string.match(entry, '^([^|]*)|([^|]*)|(.*)$')
  if th and th ~= '' and redis.call('HGET', p .. ':text', th) == seq then
    redis.call('HDEL', p .. ':text', th)
  end
  for key in string.gmatch(keys or '', '[^,]+') do redis.call('SREM', p .. ':b:' .. key, seq) end
end
redis.call('DEL', a)
return url and 1 or 0
"""

# A registration still pending this long after it was made belongs to a process that died
# between registering and committing (a live one settles it within its transaction's time).
ORPHAN_SECONDS = 600


@dataclass(frozen=True)
class Verdict:
    """What the shared index said about one article.

    ``seq``: the article's global number (for kind "url": the number of the earlier registration
    of the same URL). ``kind``: "url", "exact", "minhash" or None (new). ``matched_*``: the
    earlier article it duplicates, ``similarity`` its Jaccard similarity.
    """

    seq: int
    kind: str | None = None
    matched_seq: int | None = None
    matched_url: str | None = None
    similarity: float | None = None


def _redis_module() -> Any:
    try:
        import redis
    except ImportError:
        raise MissingDependency(
            "the shared index needs the redis package: pip install 'newsdedup[redis]'"
        ) from None
    return redis


def connect(url: str, *, ca_certs: str | None = None) -> Any:
    """Return a Redis client for ``url`` (``redis://``, ``rediss://`` for TLS, password in URL).

    ``ca_certs``: PEM file of the CA that signed the server's certificate, for a private CA.
    Raises StoreError when the server cannot be reached or refuses the password.
    """
    redis = _redis_module()
    options: dict[str, Any] = {"socket_timeout": 30, "socket_connect_timeout": 10}
    if ca_certs:
        if not url.startswith("rediss://"):
            raise StoreError(f"a CA file was given for {redact(url)}; TLS needs a rediss:// URL")
        options["ssl_ca_certs"] = ca_certs
    try:
        client = redis.Redis.from_url(url, **options)
        client.ping()
    except ValueError as exc:
        raise StoreError(
            f"bad Redis URL {redact(url)}: {exc}; write redis://[:PASSWORD@]HOST:PORT/DB "
            "or rediss://... for TLS"
        ) from None
    except redis.RedisError as exc:
        raise StoreError(f"cannot use Redis at {redact(url)}: {exc}") from None
    return client


def redact(url: str) -> str:
    """``url`` with its password replaced by ``***``, for messages and logs."""
    scheme, sep, rest = url.partition("://")
    if not sep or "@" not in rest:
        return url
    credentials, _, host = rest.rpartition("@")
    user = credentials.split(":", 1)[0] if ":" in credentials else ""
    return f"{scheme}://{user}:***@{host}"


def pack_shingles(shingle_set: set[int]) -> bytes:
    """Shingle hashes as sorted uint32 little-endian bytes (the ``sh`` field)."""
    return np.array(sorted(shingle_set), dtype=SHINGLE_DTYPE).tobytes()


def unpack_shingles(raw: bytes | None) -> set[int]:
    """Inverse of :func:`pack_shingles`."""
    if not raw:
        return set()
    return set(np.frombuffer(raw, dtype=SHINGLE_DTYPE).tolist())


class RedisIndex:
    """The shared index on one Redis database; see the module docstring for the layout."""

    def __init__(
        self,
        client: Any,
        params: MinHashParams,
        threshold: float,
        *,
        prefix: str = DEFAULT_PREFIX,
        candidates: int = MAX_CANDIDATES,
    ) -> None:
        if not 0.0 < threshold <= 1.0:
            raise ValueError(f"similarity threshold must be in (0, 1], got {threshold}")
        self.client = client
        self.params = params
        self.threshold = threshold
        self.prefix = prefix
        self.candidates = candidates
        self._register = client.register_script(_REGISTER)
        self._unregister = client.register_script(_UNREGISTER)
        self._check_meta()

    @classmethod
    def open(
        cls,
        url: str,
        params: MinHashParams,
        threshold: float,
        *,
        prefix: str = DEFAULT_PREFIX,
        ca_certs: str | None = None,
    ) -> RedisIndex:
        """Connect to ``url`` and return the index; raises StoreError or ParameterMismatch."""
        return cls(connect(url, ca_certs=ca_certs), params, threshold, prefix=prefix)

    def _check_meta(self) -> None:
        wanted = {**self.params.to_meta(), "dedup_threshold": repr(float(self.threshold))}
        key = f"{self.prefix}:meta"
        for name, value in wanted.items():
            self.client.hsetnx(key, name, value)
        stored = {k.decode(): v.decode() for k, v in self.client.hgetall(key).items()}
        differ = sorted(name for name, value in wanted.items() if stored.get(name) != value)
        if differ:
            raise ParameterMismatch(
                f"the shared index {self.prefix!r} was built with other dedup parameters "
                f"({', '.join(f'{n}={stored.get(n)}' for n in differ)}) than this store "
                f"({self.params.describe()}, threshold {self.threshold}); every worker's store "
                "must use the same preset, or use another index prefix"
            )

    def register(self, url: str, shard: str, fp: Fingerprint) -> Verdict:
        """Register the article at ``url`` stored in ``shard``; return what it duplicates.

        Tiers as in one store: identical normalised text first, then band-key candidates verified
        by exact Jaccard of shingles (best similarity, then the earliest article, wins).
        """
        text_hash = str(fp.text_hash) if fp.exact_candidate and fp.text_hash is not None else ""
        keys = [str(key) for key in fp.keys] if fp.indexable else []
        packed = pack_shingles(fp.shingles) if fp.indexable else b""
        args = [self.prefix, url, shard, text_hash, packed, self.candidates, *keys]
        reply = self._register(args=args)
        kind = reply[0].decode()
        seq = int(reply[1])
        if kind == "url":
            return Verdict(seq, "url", seq, url, 1.0)
        if kind == "exact":
            return Verdict(seq, "exact", int(reply[2]), reply[3].decode(), 1.0)
        best: tuple[float, int, str] | None = None  # (similarity, -number, url)
        for i in range(2, len(reply), 3):
            other = int(reply[i])
            sim = jaccard(fp.shingles, unpack_shingles(reply[i + 2]))
            key = (sim, -other, reply[i + 1].decode())
            if best is None or key[:2] > best[:2]:
                best = key
        if best is None or best[0] < self.threshold:
            return Verdict(seq)
        return Verdict(seq, "minhash", -best[1], best[2], round(best[0], 4))

    def confirm(self, shard: str, seqs: list[int]) -> None:
        """Mark the registrations ``seqs`` of ``shard`` as stored (their transaction committed)."""
        if seqs:
            self.client.hdel(f"{self.prefix}:pending:{shard}", *seqs)

    def unregister(self, shard: str, seq: int) -> bool:
        """Undo registration ``seq`` of ``shard`` (its transaction rolled back); return whether
        it was still there."""
        return bool(self._unregister(args=[self.prefix, shard, seq]))

    def pending(self, shard: str) -> dict[int, float]:
        """The registrations of ``shard`` not yet confirmed or undone: number -> time made."""
        raw = self.client.hgetall(f"{self.prefix}:pending:{shard}")
        return {int(k): float(v.split(b"|", 1)[0]) for k, v in raw.items()}

    def seen(self, url: str) -> Seen | None:
        """``url`` as an article some shard stored (for :attr:`CrawlState.elsewhere`), or None.

        Its ``article_id`` is the article's number here, ``fetched_at`` when it was registered.
        """
        seq = self.client.hget(f"{self.prefix}:url", url)
        if seq is None:
            return None
        at = self.client.hget(f"{self.prefix}:a:{int(seq)}", "at")
        when = dt.datetime.fromtimestamp(int(at or 0), dt.timezone.utc).isoformat()
        return Seen(when, int(seq), "elsewhere")

    def articles(self) -> int:
        """Number of articles registered."""
        return int(self.client.get(f"{self.prefix}:seq") or 0)

    def clear(self) -> int:
        """Delete every key of this index; return how many were deleted."""
        deleted = 0
        batch: list[bytes] = []
        for key in self.client.scan_iter(match=f"{self.prefix}:*", count=1000):
            batch.append(key)
            if len(batch) >= 1000:
                deleted += self.client.delete(*batch)
                batch = []
        if batch:
            deleted += self.client.delete(*batch)
        return deleted


class SharedMatcher:
    """Matches a store's new articles against the shared index: a :class:`storage.matcher.Matcher`
    to set as ``Store.matcher``.

    Called by :meth:`storage.Store.add_article` inside its write transaction, so the link row
    written here commits or rolls back with the article. When the matched article is in this
    store too, the store's own ``duplicate_of`` points at it; otherwise the article is stored as
    new here and the link waits in ``shared_links`` for :func:`storage.merge.merge`.

    Exact text and resemblance only: containment (storage.containment) and the fullest copy as
    a story's representative are not done across workers; re-dedup of the merged store does
    both.

    Registering happens in Redis before the transaction ends, so that two workers storing copies
    at once see each other. Whether it committed is checked afterwards (:meth:`settle`, called
    before each match and once each ``add_article`` returns or raises): a registration whose
    link row is not in the store was rolled back and is undone in Redis.
    Registrations left pending by a process that died in between are undone when the shard's
    next matcher opens.
    """

    def __init__(self, index: RedisIndex, conn: sqlite3.Connection, shard: str) -> None:
        self.index = index
        self.conn = conn
        self.shard = shard
        # What the shared index said of the last add_article's article (None when it was not
        # asked: the store knew the URL already).
        self.last: Verdict | None = None
        # Registrations made here whose transaction's outcome has not been checked: (seq, url).
        self.unsettled: list[tuple[int, str]] = []
        conn.execute(SHARED_LINKS_DDL)
        self.recover()

    def _stored(self, seq: int, url: str) -> bool:
        row = self.conn.execute(
            "SELECT 1 FROM shared_links WHERE url = ? AND seq = ?", (url, seq)
        ).fetchone()
        return row is not None

    def settle(self) -> int:
        """Confirm the registrations whose article was stored and undo the others; return how
        many were undone. Call it once the store's write transaction is over."""
        if self.conn.in_transaction:
            return 0
        return self._settle()

    def _settle(self) -> int:
        if not self.unsettled:
            return 0
        unsettled, self.unsettled = self.unsettled, []
        confirmed, undone = [], 0
        for seq, url in unsettled:
            if self._stored(seq, url):
                confirmed.append(seq)
            else:
                undone += self.index.unregister(self.shard, seq)
                logger.info("%s was not stored (rolled back): removed from the shared index", url)
        self.index.confirm(self.shard, confirmed)
        return undone

    def recover(self, min_age: float = ORPHAN_SECONDS) -> int:
        """Settle registrations of this shard left pending at least ``min_age`` seconds ago by
        a process that stopped between registering and committing; return how many were
        undone."""
        pending = self.index.pending(self.shard)
        if not pending:
            return 0
        now = float(self.index.client.time()[0])
        old = [seq for seq, made in pending.items() if now - made >= min_age]
        if not old:
            return 0
        marks = ", ".join("?" * len(old))
        query = f"SELECT seq FROM shared_links WHERE seq IN ({marks})"
        stored = {row[0] for row in self.conn.execute(query, old)}
        self.index.confirm(self.shard, [seq for seq in old if seq in stored])
        undone = sum(self.index.unregister(self.shard, seq) for seq in old if seq not in stored)
        if undone:
            logger.warning(
                "removed %d articles from the shared index that shard %s never stored",
                undone,
                self.shard,
            )
        return undone

    @contextlib.contextmanager
    def adding(self) -> Iterator[None]:
        """Around one whole ``add_article``: forget the previous verdict, and settle once its
        write transaction is over."""
        self.last = None
        try:
            yield
        finally:
            self.settle()

    def match(self, url: str, fp: Fingerprint) -> Match | None:
        """Register ``url`` in the shared index; return a match among this store's articles."""
        # The previous article's transaction is over, and nothing of this one is written yet:
        # what the store holds now tells whether the previous registration committed.
        self._settle()
        verdict = self.index.register(url, self.shard, fp)
        self.last = verdict
        if verdict.kind != "url":
            self.unsettled.append((verdict.seq, url))
        self.conn.execute(
            "INSERT OR REPLACE INTO shared_links (url, seq, match, matched_seq, matched_url, "
            "similarity) VALUES (?, ?, ?, ?, ?, ?)",
            (
                url,
                verdict.seq,
                verdict.kind,
                verdict.matched_seq,
                verdict.matched_url,
                verdict.similarity,
            ),
        )
        if verdict.kind not in ("exact", "minhash"):
            return None
        row = self.conn.execute(
            "SELECT id, duplicate_of FROM articles WHERE url = ?", (verdict.matched_url,)
        ).fetchone()
        if row is None:
            return None
        return Match(verdict.kind, row[1] or row[0], verdict.similarity or 1.0, row[0])

    @property
    def remote_duplicate(self) -> bool:
        """True when the last article matched one that another worker stored."""
        v = self.last
        if v is None or v.kind not in ("exact", "minhash"):
            return False
        row = self.conn.execute("SELECT 1 FROM articles WHERE url = ?", (v.matched_url,)).fetchone()
        return row is None
