"""MinHash signatures of article text: parameters, shingling, signatures, band keys, byte layout.

Everything here is a pure function of (text, parameters), so a worker process can compute a
signature and hand it to :meth:`storage.Store.add_article` as ``record["minhash"]``.

Binary layout of a serialised signature: ``num_perm`` unsigned 32-bit integers, little-endian,
in permutation order (``numpy`` dtype ``<u4``), nothing else. Band keys are signed 64-bit
integers: the first 8 bytes (little-endian) of BLAKE2b over ``band index (uint16 LE) + the band's
slice of the serialised signature``.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import sys
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, fields, replace

import numpy as np

from storage.normalize import words
from storage.textunits import (
    HAN_KANA,
    HAN_KANA_CHARS_PER_WORD,
    SOUTHEAST,
    SOUTHEAST_CHARS_PER_WORD,
    kinds,
)

# datasketch is imported where a signature is computed, not with this module: importing it
# imports every sketch it has and scipy with them, ~45 MiB in each process. Page workers that
# only extract, and processes that only read a store, never pay for it.

# Below this many words (storage.textunits.word_count: two Chinese or Japanese characters make
# a word) a text is never a near-duplicate candidate. With 5-word shingles a
# 50-word text has 46 shingles, so one shared standard line (a copyright notice, "This story is
# developing", a 20-word newsletter blurb) is already ~40% of its shingles: Jaccard stops meaning
# "same article", and with 64 permutations the estimate's noise (~0.06) swamps the differences.
# Identical short texts are still caught by the exact-hash tier (see MIN_EXACT_WORDS).
MIN_MINHASH_WORDS = 50

# Below this many words even identical texts are not called duplicates: stubs such as
# "Subscribe to read the full story." or "Watch the video above." are shared by many different
# articles, and merging them would collapse unrelated pages into one story.
MIN_EXACT_WORDS = 10

SIGNATURE_DTYPE = np.dtype("<u4")
SHINGLE_HASH = "crc32"
# How text is cut into units before shingling (storage.textunits), persisted with the
# parameters: "script" is words of spaced scripts and characters of unspaced ones. Stores
# written before it have "words" (runs of \w, so a Japanese sentence was one word); their
# signatures and text hashes are rebuilt by re-dedup.
TEXT_UNITS = "script"
LEGACY_TEXT_UNITS = "words"
# Shingles hashed per datasketch call: bounds the memory a long text takes while it is signed.
_BATCH_SHINGLES = 4096


@dataclass(frozen=True)
class MinHashParams:
    """Parameters that decide signatures and band keys; persisted with the data.

    ``bands * rows`` permutations feed the LSH index; the S-curve of the candidate probability
    ``1 - (1 - J**rows)**bands`` crosses 0.5 near ``(1 / bands) ** (1 / rows)``.
    """

    num_perm: int = 48
    bands: int = 16
    rows: int = 3
    shingle_size: int = 5
    seed: int = 1
    scheme: str = "affine32"
    shingle_hash: str = SHINGLE_HASH
    # Chinese or Japanese characters per shingle where the text is in an unspaced script; Thai,
    # Lao, Khmer and Myanmar shingles take as many words' worth of their characters.
    char_shingle_size: int = 4
    text_units: str = TEXT_UNITS

    def __post_init__(self) -> None:
        if self.num_perm < 1:
            raise ValueError(f"num_perm must be at least 1, got {self.num_perm}")
        if self.bands < 1 or self.rows < 1:
            raise ValueError(f"bands and rows must be at least 1, got {self.bands}x{self.rows}")
        if self.bands * self.rows > self.num_perm:
            raise ValueError(
                f"bands x rows ({self.bands}x{self.rows}={self.bands * self.rows}) must not "
                f"exceed num_perm ({self.num_perm})"
            )
        if self.shingle_size < 1:
            raise ValueError(f"shingle_size must be at least 1, got {self.shingle_size}")
        if self.char_shingle_size < 1:
            raise ValueError(f"char_shingle_size must be at least 1, got {self.char_shingle_size}")
        if self.text_units not in (TEXT_UNITS, LEGACY_TEXT_UNITS):
            raise ValueError(f"unknown text units {self.text_units!r}; expected {TEXT_UNITS!r}")
        if self.scheme != "affine32":
            raise ValueError(
                f"only the datasketch 'affine32' scheme is supported, got {self.scheme!r}"
            )
        if self.shingle_hash != SHINGLE_HASH:
            raise ValueError(f"only the {SHINGLE_HASH!r} shingle hash is supported")

    def to_meta(self) -> dict[str, str]:
        """Return the parameters as ``minhash_<name>`` -> string, for the ``meta`` table."""
        return {f"minhash_{k}": str(v) for k, v in asdict(self).items()}

    @classmethod
    def from_meta(cls, meta: dict[str, str]) -> MinHashParams:
        """Rebuild parameters from ``meta`` rows written by :meth:`to_meta`."""
        # A store written before text units were recorded cut its text into \w+ words.
        values: dict[str, object] = {"text_units": LEGACY_TEXT_UNITS}
        for f in fields(cls):
            raw = meta.get(f"minhash_{f.name}")
            if raw is None:
                continue
            values[f.name] = int(raw) if f.type in ("int", int) else raw
        return cls(**values)  # type: ignore[arg-type]

    def describe(self) -> str:
        """Human summary, used in error messages."""
        return (
            f"num_perm={self.num_perm}, bands x rows={self.bands}x{self.rows}, "
            f"{self.shingle_size}-word / {self.char_shingle_size}-character shingles, "
            f"seed={self.seed}"
        )

    @property
    def legacy(self) -> bool:
        """True for the parameters of a store written before text units per script."""
        return self.text_units != TEXT_UNITS

    def current(self) -> MinHashParams:
        """These parameters with this version's text units (what re-dedup rebuilds with)."""
        return replace(self, text_units=TEXT_UNITS)


DEFAULT_PARAMS = MinHashParams()


def shingles(
    word_list: Sequence[str], size: int, char_size: int = DEFAULT_PARAMS.char_shingle_size
) -> set[int]:
    """Return the set of 32-bit hashes of the shingles of ``word_list`` (units of
    :func:`storage.textunits.units`).

    A shingle is ``size`` consecutive words, or ``char_size`` consecutive characters of Chinese
    or Japanese (twice as many of Thai, Lao, Khmer or Myanmar, whose words are twice as long);
    in mixed text a shingle takes units until they add up to one of those. Text of spaced
    scripts alone gets plain ``size``-word shingles. A shingle's hash is CRC-32 of its units
    joined by single spaces, in UTF-8. A text shorter than one shingle yields one shingle of all
    its units (none when empty). CRC-32 is fixed across platforms and fast; datasketch's
    affine32 scheme premixes it with the MurmurHash3 finalizer before permuting, so its
    linearity does not leak into the signatures.
    """
    return set(shingle_sequence(word_list, size, char_size))


def shingle_sequence(
    word_list: Sequence[str], size: int, char_size: int = DEFAULT_PARAMS.char_shingle_size
) -> list[int]:
    """Return the hashes of the shingles of ``word_list`` in text order (see :func:`shingles`)."""
    if not word_list:
        return []
    crc32 = zlib.crc32
    unit_kinds = kinds(list(word_list))
    if unit_kinds is None:
        # Spaced scripts alone (most text): plain windows of ``size`` words, no window list.
        if len(word_list) <= size:
            return [crc32(" ".join(word_list).encode("utf-8"))]
        return [
            crc32(" ".join(word_list[start : start + size]).encode("utf-8"))
            for start in range(len(word_list) - size + 1)
        ]
    return [
        crc32(" ".join(word_list[start:end]).encode("utf-8"))
        for start, end in _windows(word_list, unit_kinds, size, char_size)
    ]


def _windows(
    word_list: Sequence[str], unit_kinds: list[int], size: int, char_size: int
) -> list[tuple[int, int]]:
    count = len(word_list)
    # Integer weights: a word is 1/size of a shingle, a Chinese or Japanese character
    # 1/char_size, a Thai (Lao, Khmer, Myanmar) character a half or less of that.
    ratio = SOUTHEAST_CHARS_PER_WORD // HAN_KANA_CHARS_PER_WORD
    full = size * char_size * ratio
    by_kind = {HAN_KANA: size * ratio, SOUTHEAST: size}
    weights = [by_kind.get(k, char_size * ratio) for k in unit_kinds]
    windows = []
    end = total = 0
    for start in range(count):
        while end < count and total < full:
            total += weights[end]
            end += 1
        if total < full:  # what is left is shorter than a shingle
            if start == 0:
                windows.append((0, count))
            break
        windows.append((start, end))
        total -= weights[start]
    return windows


@functools.lru_cache(maxsize=8)
def _permutations(num_perm: int, seed: int, scheme: str) -> np.ndarray:
    # Generating permutations costs more than hashing a whole article; they only depend on
    # (num_perm, seed, scheme), so they are built once per parameter set.
    from datasketch import MinHash  # type: ignore[import-untyped]

    return MinHash(num_perm=num_perm, seed=seed, scheme=scheme).permutations  # type: ignore[arg-type]


def _identity(value: int) -> int:
    return value


def signature_from_shingles(
    shingle_set: Iterable[int], params: MinHashParams = DEFAULT_PARAMS
) -> np.ndarray:
    """Return the MinHash signature (``num_perm`` uint32 values) of pre-hashed shingles."""
    from datasketch import MinHash

    mh = MinHash(
        num_perm=params.num_perm,
        seed=params.seed,
        hashfunc=_identity,
        permutations=_permutations(params.num_perm, params.seed, params.scheme),
        scheme=params.scheme,  # type: ignore[arg-type]
    )
    values = list(shingle_set)
    # update_batch keeps the minimum over batches, so batches give the same signature as one
    # call; one call builds a shingles x num_perm matrix (a few of them), ~20 MiB for a long text.
    for start in range(0, len(values), _BATCH_SHINGLES):
        mh.update_batch(values[start : start + _BATCH_SHINGLES])
    return mh.hashvalues.astype(SIGNATURE_DTYPE)


def text_shingles(word_list: Sequence[str], params: MinHashParams) -> set[int]:
    """Return the shingles of ``word_list`` (:func:`shingles`) with the sizes of ``params``."""
    return shingles(word_list, params.shingle_size, params.char_shingle_size)


def signature(text: str, params: MinHashParams = DEFAULT_PARAMS) -> np.ndarray:
    """Return the MinHash signature of ``text`` (normalised units, shingles of ``params``)."""
    return signature_from_shingles(text_shingles(words(text), params), params)


def band_keys(sig: np.ndarray, params: MinHashParams = DEFAULT_PARAMS) -> list[int]:
    """Return one signed 64-bit LSH key per band of ``sig`` (band index mixed into each key)."""
    raw = np.ascontiguousarray(sig, dtype=SIGNATURE_DTYPE).tobytes()
    width = params.rows * SIGNATURE_DTYPE.itemsize
    keys = []
    for band in range(params.bands):
        chunk = band.to_bytes(2, "little") + raw[band * width : (band + 1) * width]
        digest = hashlib.blake2b(chunk, digest_size=8).digest()
        keys.append(int.from_bytes(digest, "little", signed=True))
    return keys


def to_bytes(sig: np.ndarray) -> bytes:
    """Serialise a signature in the documented layout (uint32 little-endian)."""
    return np.ascontiguousarray(sig, dtype=SIGNATURE_DTYPE).tobytes()


def coerce_signature(value: object, params: MinHashParams = DEFAULT_PARAMS) -> np.ndarray:
    """Turn a precomputed signature into a uint32 array, checking it fits ``params``.

    Accepts the serialised bytes, a numpy array or sequence of ints, or a datasketch MinHash.
    Raises ValueError naming the expected size when it does not fit.
    """
    # A datasketch MinHash can only come from a process that has imported datasketch.
    datasketch = sys.modules.get("datasketch")
    if datasketch is not None and isinstance(value, datasketch.MinHash):
        if value.num_perm != params.num_perm or value.seed != params.seed:
            raise ValueError(
                f"precomputed MinHash has num_perm={value.num_perm}, seed={value.seed}; "
                f"the store expects {params.describe()}"
            )
        value = value.hashvalues
    if isinstance(value, (bytes, bytearray, memoryview)):
        expected = params.num_perm * SIGNATURE_DTYPE.itemsize
        if len(value) != expected:
            raise ValueError(
                f"precomputed signature has {len(value)} bytes; expected {expected} "
                f"({params.num_perm} uint32 little-endian values)"
            )
        return np.frombuffer(bytes(value), dtype=SIGNATURE_DTYPE)
    arr = np.asarray(value)
    if arr.shape != (params.num_perm,):
        raise ValueError(
            f"precomputed signature has shape {arr.shape}; expected ({params.num_perm},)"
        )
    if arr.dtype.kind not in "iu" or (arr.size and (arr.min() < 0 or arr.max() > 0xFFFFFFFF)):
        raise ValueError("precomputed signature values must be integers in [0, 2**32)")
    return arr.astype(SIGNATURE_DTYPE)


def jaccard(a: set[int], b: set[int]) -> float:
    """Exact Jaccard similarity of two shingle sets (0.0 when both are empty)."""
    if not a and not b:
        return 0.0
    inter = len(a & b)
    return inter / (len(a) + len(b) - inter)


def estimate(sig_a: np.ndarray, sig_b: np.ndarray) -> float:
    """MinHash estimate of Jaccard similarity: the share of equal signature values."""
    return float(np.count_nonzero(sig_a == sig_b)) / len(sig_a)


# A fixed text whose band keys are persisted with the store: if an upgrade of datasketch or numpy
# ever changes how signatures come out, the keys differ and the store refuses to mix the two.
_PROBE_TEXT = " ".join(f"probe{i} word{i * 7 % 13}" for i in range(40))


def probe(params: MinHashParams) -> str:
    """Return a short hex fingerprint of how signatures come out with this library stack."""
    keys = band_keys(signature(_PROBE_TEXT, params), params)
    return hashlib.blake2b(repr(keys).encode(), digest_size=8).hexdigest()


DATASKETCH_VERSION = importlib.metadata.version("datasketch")
