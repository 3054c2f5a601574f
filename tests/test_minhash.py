"""MinHash signatures: batched hashing, and datasketch loaded only where signatures are made."""

from __future__ import annotations

import random
import subprocess
import sys

import numpy as np

from storage.minhash import MinHashParams, signature_from_shingles


def test_long_text_signature_equals_one_datasketch_batch() -> None:
    from datasketch import MinHash

    params = MinHashParams()
    rng = random.Random(7)
    shingle_set = {rng.getrandbits(32) for _ in range(30_000)}  # several hashing batches
    reference = MinHash(num_perm=params.num_perm, seed=params.seed, hashfunc=lambda v: v)
    reference.update_batch(list(shingle_set))
    assert np.array_equal(signature_from_shingles(shingle_set, params), reference.hashvalues)


def test_page_workers_import_no_store_and_signers_alone_import_datasketch() -> None:
    heavy = "('datasketch', 'scipy', 'numpy', 'sqlite_utils', 'storage.store')"
    code = (
        "import sys, crawler.page.process, crawler.page.pool\n"
        f"print(','.join(m for m in {heavy} if m in sys.modules) or 'none')\n"
        "import storage.minhash\n"
        "print('datasketch' in sys.modules)\n"
        "storage.minhash.signature('one two three four five six')\n"
        "print('datasketch' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == ["none", "False", "True"]
