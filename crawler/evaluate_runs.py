"""The pages of each corpus folder run through a function in worker processes, the results
handed back per folder: shared by the text and the metadata evaluations."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

# Pages handed to each worker at a time: big enough to amortise the hand-off, small enough
# that both cores stay busy to the end.
CHUNK_SIZE = 4


def per_folder(
    sets: Sequence[tuple[str, Path]],
    read: Callable[[str, Path], Iterable[Item]],
    run: Callable[[Item], Result],
    *,
    limit: int | None = None,
    workers: int | None = None,
) -> list[tuple[str, Path, list[Result]]]:
    """``run`` over the items ``read(layout, folder)`` gives for each ``(layout, folder)`` (the
    first ``limit`` of each), in ``workers`` processes (default: the CPUs); the results of each
    folder apart, in the order of ``sets``. Several folders of one layout are several sets,
    never one pool."""
    items: list[Any] = []
    counts: list[int] = []
    for name, folder in sets:
        chosen = list(read(name, folder))
        chosen = chosen[:limit] if limit is not None else chosen
        items.extend(chosen)
        counts.append(len(chosen))
    workers = workers or os.cpu_count() or 1
    if workers > 1 and len(items) > 1:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            results = list(pool.map(run, items, chunksize=CHUNK_SIZE))
    else:
        results = [run(item) for item in items]
    grouped = []
    start = 0
    for (name, folder), count in zip(sets, counts, strict=True):
        grouped.append((name, folder, results[start : start + count]))
        start += count
    return grouped
