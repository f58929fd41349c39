"""The package is layered in one direction: a module imports only from its own layer or the
layers before it, and no modules import each other in a circle (imports inside functions
count too)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src"

# Lowest first. A module belongs to the layer of the longest prefix that names it.
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("settings", ("portal", "portal.settings", "portal.paths", "portal.content")),
    ("models", ("portal.models", "portal.states")),
    ("db", ("portal.db",)),
    ("migrations", ("portal.migrate", "portal.migrations")),
    (
        "directory data loading",
        ("portal.schema", "portal.seed", "portal.opendata", "portal.generate"),
    ),
    ("directory queries", ("portal.directory", "portal.readiness", "portal.prep")),
    ("web", ("portal.web", "portal.security", "portal.resources", "portal.faults")),
    ("app", ("portal.app", "portal.asgi", "portal.accesslog", "portal.ratelimit")),
    ("command line", ("portal.__main__", "portal.opendata.cli", "portal.generate.__main__")),
)


def module_name(path: Path) -> str:
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted((SRC / "portal").rglob("*.py"))}


def layer_of(module: str) -> int:
    best, found = -1, None
    for rank, (_name, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > best:
                best, found = len(prefix), rank
    assert found is not None, f"{module} belongs to no layer: add it to LAYERS"
    return found


def imports(module: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The portal modules ``module`` imports (``from a import b`` names ``a.b`` if that is a
    module, else ``a``)."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()

    def resolve(name: str) -> str:
        while name not in known and "." in name:
            name = name.rpartition(".")[0]
        return name

    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            names = [f"{base}.{alias.name}" for alias in node.names]
            names = [n if n in known else base for n in names]
        else:
            continue
        found.update(resolve(n) for n in names if n == "portal" or n.startswith("portal."))
    found.discard(module)
    return found


def import_graph() -> dict[str, set[str]]:
    known = modules()
    return {name: imports(name, path, known) for name, path in known.items()}


def upward_imports(graph: dict[str, set[str]]) -> list[str]:
    return [
        f"{module} ({LAYERS[layer_of(module)][0]}) imports {target} ({LAYERS[layer_of(target)][0]})"
        for module, targets in sorted(graph.items())
        for target in sorted(targets)
        if layer_of(target) > layer_of(module)
    ]


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Each circle of imports once, as the path that closes it."""
    found: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                found.append([*path[path.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt)
        path.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)
    return found


@pytest.fixture(scope="module")
def package_graph() -> dict[str, set[str]]:
    """The package's import graph, parsed once for the tests that read it."""
    return import_graph()


def test_every_module_has_a_layer() -> None:
    for module in modules():
        layer_of(module)


def test_no_module_imports_a_layer_above_its_own(package_graph: dict[str, set[str]]) -> None:
    assert upward_imports(package_graph) == []


def test_no_modules_import_each_other_in_a_circle(package_graph: dict[str, set[str]]) -> None:
    assert cycles(package_graph) == []


def test_runtime_code_never_imports_the_generator(package_graph: dict[str, set[str]]) -> None:
    importers = {
        module
        for module, targets in package_graph.items()
        if any(t == "portal.generate" or t.startswith("portal.generate.") for t in targets)
        and not module.startswith("portal.generate")
    }
    assert importers <= {"portal.__main__"}


@pytest.mark.parametrize(
    ("graph", "problem"),
    [
        ({"portal.db": {"portal.seed"}, "portal.seed": set()}, "upward"),
        ({"portal.seed": {"portal.directory.query"}, "portal.directory.query": set()}, "upward"),
        ({"portal.web.a": {"portal.web.b"}, "portal.web.b": {"portal.web.a"}}, "cycle"),
    ],
    ids=["db imports seed", "seed imports a query", "two web modules in a circle"],
)
def test_the_checks_catch_what_they_look_for(graph: dict[str, set[str]], problem: str) -> None:
    if problem == "upward":
        assert upward_imports(graph)
    else:
        assert cycles(graph) == [["portal.web.a", "portal.web.b", "portal.web.a"]]
