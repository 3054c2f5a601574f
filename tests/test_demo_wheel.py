"""The first command a user runs, `newsdedup demo`, from a wheel installed away from the source
tree: the demo world has to be packaged with the code for it to find anything."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
import sysconfig
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEMO_TRUTH = ROOT / "crawler" / "demo" / "site" / "truth.json"


def run(*args: str | Path, cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=timeout
    )


def test_demo_runs_from_an_installed_wheel(tmp_path: Path) -> None:
    # Built from a copy: a build/ or egg-info folder left in the source tree by an earlier build
    # would put files in the wheel that the packaging rules no longer name.
    source = tmp_path / "source"
    shutil.copytree(
        ROOT,
        source,
        ignore=shutil.ignore_patterns(
            ".git", "build", "dist", "*.egg-info", "__pycache__", ".*cache", "*.db*"
        ),
    )
    built = run(
        sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", tmp_path / "dist", source,
        cwd=tmp_path,
    )  # fmt: skip
    assert built.returncode == 0, built.stderr
    (wheel,) = (tmp_path / "dist").glob("newsdedup-*.whl")
    venv = tmp_path / "venv"
    made = run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    python = venv / "bin" / "python"
    installed = run(
        sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "-q", wheel,
        cwd=tmp_path,
    )  # fmt: skip
    assert installed.returncode == 0, installed.stderr
    # The dependencies come from this environment's site-packages, added to the path after the
    # new venv's own: a .pth file line adds a folder without running the .pth files in it, so
    # the editable install of the source tree stays out.
    site = run(python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))", cwd=tmp_path)
    Path(site.stdout.strip(), "dependencies.pth").write_text(
        sysconfig.get_path("purelib") + "\n", encoding="utf-8"
    )
    where = run(python, "-c", "import crawler; print(crawler.__file__)", cwd=tmp_path)
    assert where.stdout.startswith(str(venv)), where.stdout + where.stderr

    demo = run(venv / "bin" / "newsdedup", "demo", cwd=tmp_path)
    assert demo.returncode == 0, demo.stderr
    assert "Serving the demo world" in demo.stdout
    truth = json.loads(DEMO_TRUTH.read_text(encoding="utf-8"))
    with sqlite3.connect(tmp_path / "demo.db") as conn:
        stored = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    assert stored == len(truth["articles"]), demo.stdout
