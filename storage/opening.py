"""Opening a store file: create or migrate its schema, and check its dedup parameters."""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

from storage import schema
from storage.connection import connect, transaction, utc_now
from storage.dedup import DEFAULT_PRESET, PRESETS
from storage.errors import ParameterMismatch, StoreError
from storage.minhash import DATASKETCH_VERSION, MinHashParams, probe

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Opened:
    """A store file opened and brought up to date, with the dedup settings it keeps."""

    db: sqlite_utils.Database
    params: MinHashParams
    threshold: float
    preset: str
    # Why signatures computed here differ from the stored ones (a datasketch upgrade), or None.
    stale: str | None


def open_file(
    path: str | Path,
    *,
    create: bool = True,
    preset: str | None = None,
    params: MinHashParams | None = None,
    threshold: float | None = None,
    verify: bool = True,
) -> Opened:
    """Open (or create) the store file at ``path``, as :meth:`storage.Store.open` describes.

    Raises StoreError when the file cannot be opened, is not a store, or was written by a newer
    version; ParameterMismatch when other dedup parameters are asked for than it keeps, or when
    its signatures are stale and ``verify`` is true.
    """
    check_preset(preset)
    conn = connect(path, create=create)
    conn.row_factory = sqlite3.Row
    db = sqlite_utils.Database(conn)
    try:
        opened = _prepare(db, str(path), preset, params, threshold)
        if opened.stale and verify:
            raise ParameterMismatch(opened.stale)
    except BaseException:
        conn.close()
        raise
    if opened.stale:
        logger.warning("%s", opened.stale)
    return opened


def check_preset(preset: str | None) -> None:
    """Raise StoreError when ``preset`` is given and is not one of PRESETS."""
    if preset is not None and preset not in PRESETS:
        raise StoreError(f"unknown dedup preset {preset!r}; choose one of {', '.join(PRESETS)}")


def _prepare(
    db: sqlite_utils.Database,
    path: str,
    preset: str | None,
    params: MinHashParams | None,
    threshold: float | None,
) -> Opened:
    try:
        meta = schema.read_meta(db)
        tables = db.table_names()
    except sqlite3.DatabaseError as err:
        raise StoreError(f"cannot read store {path}: {err}") from err
    if not meta and tables:
        raise StoreError(
            f"{path} is a SQLite database but not a newsdedup store (it has tables "
            f"{', '.join(tables[:5])} but no meta table); choose another --db path"
        )
    version = int(meta.get("schema_version", 0))
    if version > schema.SCHEMA_VERSION:
        raise StoreError(
            f"{path} was written by a newer newsdedup (schema {version}; this one knows up to "
            f"{schema.SCHEMA_VERSION}); upgrade newsdedup to use it"
        )
    if version == 0:
        chosen = PRESETS[preset or DEFAULT_PRESET]
        new_params = params or chosen.params
        new_threshold = threshold if threshold is not None else chosen.threshold
        try:
            with transaction(db.conn):
                schema.migrate(db, 0)
                schema.write_meta(db, dedup_meta(new_params, new_threshold, chosen.name))
                schema.write_meta(db, {"created_at": utc_now()})
        except sqlite3.OperationalError as err:
            raise StoreError(f"cannot write store {path}: {err}; check its permissions") from err
        logger.info("created store %s (%s)", path, new_params.describe())
        return Opened(db, new_params, new_threshold, chosen.name, None)
    if version < schema.SCHEMA_VERSION:
        with transaction(db.conn):
            schema.migrate(db, version)
    stored_params = MinHashParams.from_meta(meta)
    stored_threshold = float(meta["dedup_threshold"])
    stored_preset = meta.get("dedup_preset", DEFAULT_PRESET)
    wanted: list[str] = []
    if preset is not None and preset != stored_preset:
        wanted.append(f"preset {preset!r}")
        params = params or PRESETS[preset].params
        threshold = threshold if threshold is not None else PRESETS[preset].threshold
    if params is not None and params != stored_params.current():
        wanted.append(params.describe())
    if threshold is not None and abs(threshold - stored_threshold) > 1e-9:
        wanted.append(f"threshold {threshold}")
    if wanted:
        raise ParameterMismatch(
            f"store {path} was deduplicated with preset {stored_preset!r} "
            f"({stored_params.describe()}, threshold {stored_threshold}) but "
            f"{'; '.join(wanted)} was asked for. Either open it without dedup options to keep "
            f"its parameters, or re-deduplicate the whole store with the new ones: "
            f"`newsdedup dedup --db {path} [--preset NAME] [--threshold T]`"
        )
    stale = None
    if stored_params.legacy:
        stale = (
            f"{path} was deduplicated before text was cut into words and characters per script "
            f"(a Chinese, Japanese or Thai sentence counted as one word), so its signatures, "
            f"text hashes and word counts are out of date; rebuild them with "
            f"`newsdedup dedup --db {path}`"
        )
    elif meta.get("minhash_probe") != probe(stored_params):
        stale = (
            f"MinHash signatures computed here (datasketch {DATASKETCH_VERSION}) differ from "
            f"those stored in {path} (datasketch {meta.get('datasketch_version')}); rebuild "
            f"the index with `newsdedup dedup --db {path}` or install datasketch "
            f"{meta.get('datasketch_version')}"
        )
    return Opened(db, stored_params, stored_threshold, stored_preset, stale)


def dedup_meta(params: MinHashParams, threshold: float, preset: str) -> dict[str, str]:
    """The ``meta`` rows that record how a store deduplicates."""
    return {
        **params.to_meta(),
        "dedup_threshold": repr(float(threshold)),
        "dedup_preset": preset,
        "datasketch_version": DATASKETCH_VERSION,
        "minhash_probe": probe(params),
    }
