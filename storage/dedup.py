"""Dedup presets, and the fingerprint of a text that every matcher works from."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from storage.containment import DEFAULT_PARAMS as CONTAINMENT_PARAMS
from storage.containment import ContainmentParams, Lookup, Profile
from storage.minhash import (
    DEFAULT_PARAMS,
    MIN_EXACT_WORDS,
    MIN_MINHASH_WORDS,
    MinHashParams,
    band_keys,
    coerce_signature,
    signature_from_shingles,
    text_shingles,
)
from storage.normalize import text_hash, words
from storage.textunits import count_words, kinds


@dataclass(frozen=True)
class Preset:
    """A named dedup configuration: the similarity threshold and the MinHash parameters."""

    name: str
    threshold: float
    params: MinHashParams
    description: str


# Chosen with benchmarks/dedup_quality.py (real article texts with labelled edits and hard
# negatives). Verification is exact Jaccard, so the band layout only decides which pairs get
# verified: 16 bands x 3 rows make a pair at J=0.6 a candidate 98% of the time (J=0.5: 88%) while
# unrelated news (J < 0.01 on 5-word shingles) almost never is, and cost 16 index rows a text.
PRESETS: dict[str, Preset] = {
    "same-article": Preset(
        name="same-article",
        threshold=0.6,
        params=MinHashParams(num_perm=48, bands=16, rows=3),
        description=(
            "the same article published again: new headline, dateline, a paragraph dropped or "
            "added, a few words changed, site boilerplate, AMP/print copies; short briefs that "
            "only share a standard paragraph stay apart"
        ),
    ),
    "syndicated": Preset(
        name="syndicated",
        threshold=0.5,
        # 24 bands x 2 rows: a pair at J=0.4 is a candidate 98% of the time; more candidates to
        # verify and 24 index rows a text, the price of the lower threshold.
        params=MinHashParams(num_perm=48, bands=24, rows=2),
        description=(
            "also rewrites of one wire story that keep about half of its wording (paragraphs "
            "reordered or cut, a dozen words changed, local paragraphs added); may merge short "
            "briefs that share a long standard paragraph"
        ),
    ),
}
DEFAULT_PRESET = "same-article"


def preset_name(params: MinHashParams, threshold: float) -> str:
    """Return the name of the preset with these parameters and threshold, or "custom"."""
    for preset in PRESETS.values():
        if preset.params == params and abs(preset.threshold - threshold) < 1e-9:
            return preset.name
    return "custom"


@dataclass
class Fingerprint:
    """What dedup needs to know about one text; computed once, outside the write transaction."""

    words: list[str]  # the text's units (storage.textunits)
    text_hash: int | None
    params: MinHashParams
    _word_count: int | None = None
    _shingles: set[int] | None = None
    _signature: np.ndarray | None = None
    _keys: list[int] | None = field(default=None, repr=False)
    text: str = field(default="", repr=False)
    _profile: Profile | None = field(default=None, repr=False)
    # The text's containment postings, read by the matcher in the write transaction that
    # stores it, so indexing the article does not read them again.
    lookup: Lookup | None = field(default=None, repr=False)

    @classmethod
    def of(
        cls, text: str, params: MinHashParams = DEFAULT_PARAMS, precomputed: object = None
    ) -> Fingerprint:
        """Fingerprint ``text``; ``precomputed``: optional signature (minhash.coerce_signature)."""
        w = words(text)
        fp = cls(words=w, text_hash=text_hash(w), params=params, text=text)
        if precomputed is not None and fp.indexable:
            fp._signature = coerce_signature(precomputed, params)
        return fp

    @property
    def word_count(self) -> int:
        """How many words the text is worth (storage.textunits.word_count)."""
        if self._word_count is None:
            self._word_count = count_words(self.words)
        return self._word_count

    @property
    def exact_candidate(self) -> bool:
        """Long enough for identical text to mean the same article."""
        return self.word_count >= MIN_EXACT_WORDS

    @property
    def indexable(self) -> bool:
        """Long enough to be a near-duplicate candidate and to be indexed."""
        return self.word_count >= MIN_MINHASH_WORDS

    def profile(self, params: ContainmentParams = CONTAINMENT_PARAMS) -> Profile:
        """The text's containment profile (lines, their shingles and anchors)."""
        if self._profile is None:
            self._profile = Profile.of(self.text, params)
        return self._profile

    @property
    def shingles(self) -> set[int]:
        if self._shingles is None:
            profile = self._profile
            if (
                profile is not None
                and profile.shingle_size == self.params.shingle_size
                and self.params.char_shingle_size == DEFAULT_PARAMS.char_shingle_size
                and kinds(self.words) is None
            ):
                # Words of spaced scripts only: the profile's lines hold the same shingles, so
                # the text is not shingled a second time.
                self._shingles = profile.text_shingles()
            else:
                self._shingles = text_shingles(self.words, self.params)
        return self._shingles

    @property
    def signature(self) -> np.ndarray:
        if self._signature is None:
            self._signature = signature_from_shingles(self.shingles, self.params)
        return self._signature

    @property
    def keys(self) -> list[int]:
        if self._keys is None:
            self._keys = band_keys(self.signature, self.params)
        return self._keys
