"""Imports of parkflow.solvers point one way: no cycles, and only api.py knows both strategies."""

from __future__ import annotations

import ast
from pathlib import Path

import parkflow

ROOT = Path(parkflow.__file__).parent


def _module(path: Path) -> str:
    rel = path.relative_to(ROOT.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _graph() -> dict[str, set[str]]:
    """parkflow module → parkflow modules it imports at run time (TYPE_CHECKING blocks skipped)."""
    mods = {_module(p): p for p in ROOT.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in mods.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skip = {
            id(n)
            for node in ast.walk(tree)
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
            for n in ast.walk(node)
        }
        deps = set()
        for node in ast.walk(tree):
            if id(node) in skip:
                continue
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                base = node.module
                for alias in node.names:
                    full = f"{base}.{alias.name}"
                    deps.add(full if full in mods else base)
            elif isinstance(node, ast.Import):
                deps.update(a.name for a in node.names)
        graph[name] = {d for d in deps if d in mods and d != name}
    return graph


def _cycle_from(start: str, graph: dict[str, set[str]]) -> list[str] | None:
    stack = [(start, [start])]
    seen = set()
    while stack:
        node, path = stack.pop()
        for dep in graph.get(node, ()):
            if dep == start:
                return [*path, start]
            if dep not in seen and dep.startswith("parkflow.solvers"):
                seen.add(dep)
                stack.append((dep, [*path, dep]))
    return None


def test_no_import_cycle_through_the_solvers():
    graph = _graph()
    cycles = [
        c for m in sorted(graph) if m.startswith("parkflow.solvers") if (c := _cycle_from(m, graph))
    ]
    assert cycles == []


def test_only_api_knows_the_decomposed_solve():
    graph = _graph()
    users = sorted(
        m
        for m, deps in graph.items()
        if m.startswith("parkflow.solvers") and "parkflow.solvers.decompose" in deps
    )
    # solve.py and strategy.py are re-export shims of api.py, to be removed
    assert set(users) <= {"parkflow.solvers.api"}


def test_the_low_modules_do_not_import_the_solvers():
    graph = _graph()
    for low in ("parkflow.models.enums", "parkflow.interrupt", "parkflow.solvers.layout"):
        assert not {d for d in graph[low] if d.startswith("parkflow.solvers")}, low
