"""The package's imports point one way (docs/architecture.md): no cycles, no upward import.

Every ``import parkflow...`` / ``from parkflow... import`` in the package is read from the source
(module level and inside functions alike), except those under ``if TYPE_CHECKING:``. The graph of
modules must be acyclic, and no module may import a stage above its own.
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "parkflow"

# stage of each top-level part, bottom (0) to top; a module may import its own stage or below
STAGES: dict[str, int] = {
    "errors": 0,
    "units": 0,
    "geo": 0,
    "i18n": 0,
    "interrupt": 0,
    "colours": 0,
    "models": 1,
    "catalogue": 2,
    "io": 3,
    "network": 4,
    "statistics": 3,  # beside io: io/solution.py writes the summary statistics computes
    "solvers": 6,
    "report": 7,
    "maps": 7,
    "studies": 8,
    "examples": 8,
    "webapp": 9,
    "commands": 10,
    "cli": 10,
    "__main__": 10,
    "__init__": 10,
}


def _module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.AST, here: str, is_pkg: bool) -> set[str]:
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("parkflow"))
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative import
                base = here.split(".") if is_pkg else here.split(".")[:-1]
                base = base[: len(base) - (node.level - 1)]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            if mod.startswith("parkflow"):
                found.add(mod)
                found.update(f"{mod}.{a.name}" for a in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def import_graph() -> nx.DiGraph:
    """Directed graph module -> module it imports, over the package's own modules."""
    files = {(_module_name(p)): p for p in PACKAGE.rglob("*.py")}
    graph = nx.DiGraph()
    graph.add_nodes_from(files)
    for name, path in files.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for target in _imports(tree, name, path.name == "__init__.py"):
            while target and target not in files:
                target = target.rpartition(".")[0]
            if target and target != name and target != "parkflow":
                graph.add_edge(name, target)
    return graph


def _stage(module: str) -> int:
    parts = module.split(".")
    key = parts[1] if len(parts) > 1 else "__init__"
    return STAGES[key]


def test_every_module_has_a_stage():
    missing = sorted({m.split(".")[1] for m in import_graph() if "." in m} - set(STAGES))
    assert not missing, f"add these parts to STAGES and docs/architecture.md: {missing}"


def test_no_import_cycles():
    cycles = list(nx.simple_cycles(import_graph()))
    assert not cycles, "import cycles: " + "; ".join(" -> ".join(c + [c[0]]) for c in cycles[:10])


def test_imports_point_one_way():
    graph = import_graph()
    upward = [(a, b) for a, b in graph.edges if a != "parkflow" and _stage(a) < _stage(b)]
    assert not upward, "imports above their own stage: " + ", ".join(
        f"{a} -> {b}" for a, b in upward
    )


def test_the_graph_sees_imports():
    # the walker itself works: a module known to import another is seen doing so
    graph = import_graph()
    assert graph.has_edge("parkflow.network", "parkflow.geo")


@pytest.mark.parametrize(
    ("snippet", "expected"),
    [
        ("from parkflow.models import scenario", {"parkflow.models", "parkflow.models.scenario"}),
        ("if TYPE_CHECKING:\n    import parkflow.maps\n", set()),
        ("def f():\n    import parkflow.maps\n", {"parkflow.maps"}),
    ],
)
def test_walker_reads_imports(snippet, expected):
    assert _imports(ast.parse(snippet), "parkflow.x", False) == expected
