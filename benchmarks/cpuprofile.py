"""Run a module under cProfile timed in CPU seconds of this process, not wall-clock seconds.

On a loaded machine wall-clock profiles count the time a process waits for a core; CPU time
does not, so profiles taken under load still compare.

    python benchmarks/cpuprofile.py OUT.prof -m MODULE [ARGS...]
"""

from __future__ import annotations

import cProfile
import os
import runpy
import sys
import time


def main() -> None:
    if len(sys.argv) < 4 or sys.argv[2] != "-m":
        sys.exit(__doc__)
    out, _, module, *args = sys.argv[1:]
    sys.argv = [module, *args]
    sys.path[0] = os.getcwd()  # as ``python -m`` would have it, not this script's folder
    profile = cProfile.Profile(time.process_time)
    try:
        profile.runcall(runpy.run_module, module, run_name="__main__", alter_sys=True)
    finally:
        profile.dump_stats(out)


if __name__ == "__main__":
    main()
