"""Imports in models/, catalogue/ and io/ point one way: models ← catalogue ← io (no cycles).

Every import counts, also those inside functions (a ``TYPE_CHECKING`` import does not).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[2] / "parkflow"
LAYERS = {"models": 0, "catalogue": 1, "io": 2}


def _module(path: Path) -> str:
    parts = path.relative_to(PKG.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skip |= {id(n) for n in ast.walk(node)}
    out: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("parkflow"):
            out.add(node.module)
        elif isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name.startswith("parkflow")}
    return out


def _graph() -> dict[str, set[str]]:
    files = [p for layer in LAYERS for p in (PKG / layer).rglob("*.py")]
    return {_module(p): _imports(p) for p in files}


def _layer(module: str) -> int | None:
    parts = module.split(".")
    return LAYERS.get(parts[1]) if len(parts) > 1 else None


@pytest.mark.parametrize(("module", "imports"), sorted(_graph().items()))
def test_imports_point_down(module, imports):
    mine = _layer(module)
    for target in imports:
        theirs = _layer(target)
        assert theirs is None or theirs <= mine, f"{module} imports {target} (a layer above)"


def test_no_cycles_within_the_layers():
    graph = _graph()
    state: dict[str, int] = {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if nxt not in graph:
                continue
            if state.get(nxt) == 1:
                raise AssertionError(" → ".join([*path, node, nxt]))
            if nxt not in state:
                visit(nxt, [*path, node])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [])
