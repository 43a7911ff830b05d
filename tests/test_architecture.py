"""The layout shows the architecture: subpackages by concern, imports going one way between
them (content and pages never import output, build or preview), no cycles, no private name
imported across modules, functions of few parameters, and only the output package (and the
caches) writes files."""

from __future__ import annotations

import ast
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "site_gen"

# Lowest first: a package may import the foundations and the packages before it, never one
# after it. The foundations (modules at the root of site_gen) import only each other.
LAYERS = ("content", "catalogue", "pages", "render", "output", "build", "preview", "cli")
FOUNDATIONS = {
    "errors",
    "formats",
    "i18n",
    "text",
    "typography",
    "cache",
    "cache_trust",
    "fingerprint",
    "parallel",
}


def modules() -> dict[str, ast.Module]:
    """Every module of site_gen by dotted name below it: 'errors', 'content.load'…"""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        name = ".".join(path.relative_to(PACKAGE).with_suffix("").parts)
        found[name.removesuffix(".__init__")] = ast.parse(path.read_text(encoding="utf-8"))
    return found


def internal_imports(tree: ast.Module) -> list[tuple[str, list[str]]]:
    """(module imported, names taken from it) for each import of site_gen in `tree`."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level:
            raise AssertionError("imports of site_gen are written in full (site_gen.x.y)")
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("site_gen"):
            module = node.module.removeprefix("site_gen").lstrip(".")
            found.append((module, [alias.name for alias in node.names]))
        elif isinstance(node, ast.Import):
            found += [
                (a.name.removeprefix("site_gen."), [])
                for a in node.names
                if a.name.startswith("site_gen.")
            ]
    return found


def graph() -> dict[str, set[str]]:
    known = modules()
    edges: dict[str, set[str]] = {}
    for name, tree in known.items():
        targets = set()
        for module, names in internal_imports(tree):
            for imported in names or [""]:
                submodule = f"{module}.{imported}".strip(".")
                targets.add(submodule if submodule in known else module)
        edges[name] = targets - {""}
    return edges


def layer(module: str) -> int:
    """-1 for a foundation, else the rank of the module's package in LAYERS."""
    top = module.split(".")[0]
    if top in FOUNDATIONS or module == "__init__":
        return -1
    assert top in LAYERS, f"{module}: a module at the root of site_gen must be a foundation"
    return LAYERS.index(top)


def test_there_are_no_import_cycles():
    try:
        list(TopologicalSorter(graph()).static_order())
    except CycleError as error:
        raise AssertionError(f"import cycle: {error.args[1]}") from None


def test_packages_import_only_the_packages_below_them():
    wrong = [
        f"{module} imports {target}"
        for module, targets in graph().items()
        for target in targets
        if target and layer(target) > layer(module)
    ]
    assert wrong == []


def test_foundations_import_nothing_but_foundations():
    for module, targets in graph().items():
        if layer(module) == -1:
            assert {t.split(".")[0] for t in targets} <= FOUNDATIONS, module
    assert graph()["content.model"] == set()
    assert graph()["errors"] == set()


def test_no_private_name_is_imported_across_modules():
    private = [
        f"{name} takes {module}.{imported}"
        for name, tree in modules().items()
        for module, names in internal_imports(tree)
        for imported in names
        if imported.startswith("_") and imported != "_"  # `_`: gettext's, by convention
    ]
    assert private == []


def test_functions_take_few_parameters():
    many = []
    for name, tree in modules().items():
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                arguments = node.args.posonlyargs + node.args.args + node.args.kwonlyargs
                count = len([a for a in arguments if a.arg not in ("self", "cls")])
                if count > 6:
                    many.append(f"{name}.{node.name} takes {count}")
    assert many == []


def test_only_cli_is_imported_by_nobody_of_ours_and_only_output_writes():
    edges = graph()
    importers = {m for deps in edges.values() for m in deps}
    assert "cli.commands" not in importers
    for name in modules():
        path = PACKAGE / (name.replace(".", "/") + ".py")
        if not path.exists():
            path = PACKAGE / name.replace(".", "/") / "__init__.py"
        source = path.read_text(encoding="utf-8")
        # output: the site; cache and fingerprint: .cache/; cli: the schema and `new`
        if not name.startswith(("output.", "cli.")) and name not in ("cache", "fingerprint"):
            assert "write_bytes(" not in source and "write_text(" not in source, name


def test_every_module_and_package_opens_with_a_docstring():
    for name, tree in modules().items():
        assert ast.get_docstring(tree), name
