"""What the package promises about its dependencies: the lower bounds in pyproject.toml are the
versions CI's second run tests, and every Scrapy setting the project sets is one Scrapy reads."""

from __future__ import annotations

import sys
from pathlib import Path

import scrapy.settings.default_settings as scrapy_defaults
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

import crawler.settings

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10 reads TOML with the tomli backport
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
# The extras the test suite installs besides the dependencies (test tools have no lower bound
# to keep: pytest, ruff, datasette).
TESTED_EXTRAS = ("parquet", "warc", "redis")


def lower_bounds() -> dict[str, Version]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requirements = list(project["dependencies"])
    for extra in TESTED_EXTRAS:
        requirements += project["optional-dependencies"][extra]
    bounds: dict[str, Version] = {}
    for line in requirements:
        requirement = Requirement(line)
        if requirement.marker is not None and not requirement.marker.evaluate():
            continue
        (lowest,) = [Version(s.version) for s in requirement.specifier if s.operator == ">="]
        name = canonicalize_name(requirement.name)
        bounds[name] = max(lowest, bounds.get(name, lowest))
    return bounds


def pins() -> dict[str, Version]:
    found: dict[str, Version] = {}
    for line in (ROOT / ".ci" / "lowest.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, version = line.split("==")
            found[canonicalize_name(name)] = Version(version)
    return found


def test_the_lowest_versions_ci_tests_are_the_lower_bounds() -> None:
    assert pins() == lower_bounds()


def test_every_scrapy_setting_the_project_sets_is_one_scrapy_knows() -> None:
    # A renamed setting is silently ignored: TWISTED_DNS_RESOLVER, which puts the address guard
    # in the resolver, is new in Scrapy 2.15 (before, DNS_RESOLVER); under an older Scrapy the
    # guard would simply not be there.
    ours = [
        name
        for name in vars(crawler.settings)
        if name.isupper() and not name.startswith("NEWSDEDUP_")
    ]
    assert "TWISTED_DNS_RESOLVER" in ours
    assert [name for name in ours if not hasattr(scrapy_defaults, name)] == []
