"""docs/catalogue.md shows the catalogue as it ships (its tables are written by a tool)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _tool():
    spec = importlib.util.spec_from_file_location(
        "catalogue_tables", ROOT / "tools" / "catalogue_tables.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules["catalogue_tables"] = module
    spec.loader.exec_module(module)
    return module


def test_catalogue_page_tables_are_current():
    tool = _tool()
    text = (ROOT / "docs" / "catalogue.md").read_text(encoding="utf-8")
    for name in tool.TABLES:
        assert f"<!-- table:{name} -->" in text, name
    assert tool.render(text) == text, "run: python tools/catalogue_tables.py"


def test_every_material_and_route_is_on_the_page():
    text = (ROOT / "docs" / "catalogue.md").read_text(encoding="utf-8")
    for file in ("materials.csv", "routes.csv", "modes.csv", "fates.csv"):
        ids = (ROOT / "parkflow" / "data" / file).read_text(encoding="utf-8").splitlines()[1:]
        for line in ids:
            assert f"| {line.split(',')[0]} |" in text, (file, line.split(",")[0])
