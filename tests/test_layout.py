"""Project shape: imports go crawler -> storage only, and every CLI command is documented."""

import ast
from pathlib import Path

import pytest

from crawler.cli import main

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN_IN_STORAGE = {"scrapy", "click", "twisted", "crawler"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("path", sorted((ROOT / "storage").rglob("*.py")), ids=lambda p: p.name)
def test_storage_is_a_plain_library(path: Path) -> None:
    assert not _imports(path) & FORBIDDEN_IN_STORAGE


def test_every_module_has_a_docstring() -> None:
    missing = [
        str(path.relative_to(ROOT))
        for folder in ("crawler", "storage")
        for path in (ROOT / folder).rglob("*.py")
        if ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) is None
    ]
    assert missing == []


@pytest.mark.parametrize("name", sorted(main.commands))
def test_every_command_has_help_and_is_in_the_readme(name: str) -> None:
    command = main.commands[name]
    assert command.help and command.help.strip()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"newsdedup {name}" in readme
