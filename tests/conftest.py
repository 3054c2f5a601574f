"""Suite-wide rule: in CI (``CI=true``) every test runs; a skip there is a failure.

The one exception is a test marked ``corpus`` when ``../shared/corpus`` is absent: that folder
is not part of the repository. Anything else a test needs (redis-server, openssl, an extra) is
installed by ``.ci/run``, so a skip in CI means a component went untested.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"
CORPUS = SHARED / "corpus"


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("true", "1", "yes")


def _allowed_skip(item: Any) -> bool:
    return item.get_closest_marker("corpus") is not None and not CORPUS.is_dir()


def _skip_reason(report: Any) -> str:
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        return str(longrepr[2])
    return str(longrepr)


def _fail_skip(report: Any) -> None:
    report.outcome = "failed"
    report.longrepr = (
        f"skipped in CI, where every test must run (CI=true): {_skip_reason(report)}\n"
        "Install what it needs in .ci/run, or mark it `corpus` if it needs ../shared/corpus."
    )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    outcome = yield
    report = outcome.get_result()
    # An expected failure is reported as skipped too; it is not a missing component.
    wanted = report.skipped and not hasattr(report, "wasxfail") and not _allowed_skip(item)
    if in_ci() and wanted:
        _fail_skip(report)


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector: pytest.Collector) -> Any:
    outcome = yield
    report = outcome.get_result()
    # A module-level importorskip skips the whole file at collection.
    if in_ci() and report.skipped:
        _fail_skip(report)
