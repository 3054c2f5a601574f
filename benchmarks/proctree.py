"""CPU time and memory of a process and all its descendants, read from Linux /proc."""

from __future__ import annotations

import os

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
