"""CPU time and memory of a process and all its descendants, read from Linux /proc, and a
sampler that follows them while a command runs (peaks, and memory per units of work done)."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


def stat(pid: int) -> list[str] | None:
    """The fields of /proc/PID/stat after the command name (index 1 is the parent's pid), or
    None when the process is gone."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as fp:
            return fp.read().rsplit(")", 1)[1].split()
    except OSError:
        return None


def process_tree(root: int) -> list[int]:
    """Return ``root`` and all its descendants."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            fields = stat(int(entry))
            if fields is not None:
                children.setdefault(int(fields[1]), []).append(int(entry))
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(children.get(pid, ()))
    return tree


def pss(pid: int) -> int:
    """Proportional set size in bytes: pages shared by a forkserver and the workers it forked are
    counted once across them, where summed RSS counts them in every process."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def cpu_seconds(fields: list[str], *, children: bool = True) -> float:
    """User and system time of one process from its stat fields, with its reaped children's."""
    return sum(int(value) for value in fields[11 : 15 if children else 13]) / CLOCK_TICKS


def usage(pids: list[int]) -> tuple[float, int, int]:
    """CPU seconds (own and reaped children), summed RSS and summed PSS of these processes."""
    cpu, rss, shared = 0.0, 0, 0
    for pid in pids:
        fields = stat(pid)
        if fields is None:
            continue
        cpu += cpu_seconds(fields)
        rss += int(fields[21]) * PAGE_SIZE
        shared += pss(pid)
    return cpu, rss, shared


@dataclass
class Point:
    """Memory of a process tree when it had done ``done`` units of work (pages)."""

    done: int
    rss: int  # summed over the tree
    pss: int  # summed over the tree
    root_pss: int  # the root process alone


@dataclass
class Peaks:
    """What a :class:`Sampler` saw: the tree's CPU and memory peaks, and the memory curve."""

    cpu: float = 0.0  # the whole tree, reaped children included
    root_cpu: float = 0.0  # the root process alone, without its children
    rss: int = 0
    pss: int = 0
    root_pss: int = 0
    curve: list[Point] = field(default_factory=list)


class Sampler:
    """Sample the tree under ``root`` in a thread every ``every`` seconds until :meth:`stop`.

    With ``progress`` (a callable returning the units of work done so far, read about once a
    second) a :class:`Point` is added to the curve each time another ``curve_every`` units are
    done.
    """

    def __init__(
        self,
        root: int,
        every: float = 0.1,
        progress: Callable[[], int] | None = None,
        curve_every: int = 1000,
    ) -> None:
        self.root = root
        self.every = every
        self.progress = progress
        self.curve_every = curve_every
        self.peaks = Peaks()
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        peaks = self.peaks
        next_point = self.curve_every
        last_progress = 0.0
        while not self._done.is_set():
            pids = process_tree(self.root)
            cpu, rss, shared = usage(pids)
            root_pss = pss(self.root)
            fields = stat(self.root)
            if fields is not None:
                peaks.root_cpu = max(peaks.root_cpu, cpu_seconds(fields, children=False))
            peaks.cpu = max(peaks.cpu, cpu)
            peaks.rss, peaks.pss = max(peaks.rss, rss), max(peaks.pss, shared)
            peaks.root_pss = max(peaks.root_pss, root_pss)
            now = time.monotonic()
            if self.progress is not None and now - last_progress >= 1.0:
                last_progress = now
                done = self.progress()
                if done >= next_point:
                    peaks.curve.append(Point(done, rss, shared, root_pss))
                    next_point = (done // self.curve_every + 1) * self.curve_every
            self._done.wait(self.every)

    def stop(self) -> Peaks:
        self._done.set()
        self._thread.join()
        return self.peaks
