"""Imports go one way: model and errors import nothing of ours, cli is at the top, no cycles."""

from __future__ import annotations

import ast
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "site_gen"


def internal_imports() -> dict[str, set[str]]:
    graph = {}
    for path in PACKAGE.glob("*.py"):
        module = path.stem
        found = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module:
                found.add(node.module.split(".")[0])
            elif isinstance(node, ast.ImportFrom) and node.level == 1:
                found.update(alias.name for alias in node.names)
        graph[module] = found
    return graph


def test_there_are_no_import_cycles():
    try:
        list(TopologicalSorter(internal_imports()).static_order())
    except CycleError as error:
        raise AssertionError(f"import cycle: {error.args[1]}") from None


def test_foundations_import_nothing_of_ours():
    graph = internal_imports()
    assert graph["model"] == set()
    assert graph["errors"] == set()


def test_only_cli_is_imported_by_nobody_and_only_write_writes():
    graph = internal_imports()
    importers = {m for deps in graph.values() for m in deps}
    assert "cli" not in importers
    for module in graph:
        source = (PACKAGE / f"{module}.py").read_text(encoding="utf-8")
        # write: output/; cache and fingerprint: .cache/; cli: schema
        if module not in ("write", "cli", "cache", "fingerprint"):
            assert "write_bytes(" not in source and "write_text(" not in source, module


def test_every_module_opens_with_a_docstring():
    for path in PACKAGE.glob("*.py"):
        assert ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))), path.name
