"""Project shape: imports go crawler -> storage only and never in a circle, and every CLI command
is documented."""

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


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _project_imports(name: str, path: Path, known: set[str]) -> set[str]:
    """The project modules that module ``name`` imports anywhere in it: at module level, inside
    functions, or for type checking alone. The parent packages Python runs first are left out:
    they are not what the module depends on (``storage/__init__`` loads its names on first use)."""
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name in known)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                origin = ".".join([*base, *([node.module] if node.module else [])])
            else:
                origin = node.module or ""
            for alias in node.names:
                # "from package import name" imports the submodule when there is one.
                target = f"{origin}.{alias.name}"
                if target in known:
                    found.add(target)
                elif origin in known:
                    found.add(origin)
    found.discard(name)
    return found


def _import_cycles(package: str) -> list[list[str]]:
    """Groups of project modules that import each other in a circle, one of them in
    ``package`` (strongly connected components of the import graph, Tarjan's algorithm)."""
    paths = {
        _module_name(p): p
        for folder in ("crawler", "storage")
        for p in (ROOT / folder).rglob("*.py")
    }
    graph = {name: _project_imports(name, path, set(paths)) for name, path in paths.items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(name: str) -> None:
        index[name] = low[name] = len(index)
        stack.append(name)
        for other in sorted(graph[name]):
            if other not in index:
                visit(other)
                low[name] = min(low[name], low[other])
            elif other in stack:
                low[name] = min(low[name], index[other])
        if low[name] == index[name]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == name:
                    break
            if len(group) > 1:
                cycles.append(sorted(group))

    for name in sorted(graph):
        if name not in index:
            visit(name)
    return [group for group in cycles if any(m.split(".")[0] == package for m in group)]


@pytest.mark.parametrize("package", ["storage", "crawler"])
def test_no_import_cycles(package: str) -> None:
    assert _import_cycles(package) == []


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


def test_the_command_list_shows_whole_summaries() -> None:
    # Click cuts a summary at its first full stop; "e.g." once left "Ingest WARC files (e.g.".
    for name, command in main.commands.items():
        summary = command.get_short_help_str(limit=200)
        assert summary.count("(") == summary.count(")"), f"{name}: {summary!r}"
