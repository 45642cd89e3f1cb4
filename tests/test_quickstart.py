"""docs/quickstart.ipynb runs headless (nbclient) and shows the map without the network."""

from __future__ import annotations

import html as html_lib
import re
from pathlib import Path

import pytest

NOTEBOOK = Path(__file__).resolve().parent.parent / "docs" / "quickstart.ipynb"


@pytest.mark.slow
def test_quickstart_notebook_runs(tmp_path):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbclient.NotebookClient(
        nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    ).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    html = [o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {})]
    maps = [h for h in html if "<iframe srcdoc=" in h]
    assert len(maps) == 1
    page = html_lib.unescape(maps[0])
    loads = re.findall(r"<(?:script|link)[^>]+(?:src|href)=[\"']?(https?://[^\"' >]+)", page)
    assert loads == []
    assert "L.map(" in page
    assert any("Result: " in h for h in html)
    assert any("Scenario: " in h for h in html)
    assert any("LINESTRING" in str(o.get("data", {}).get("text/plain", "")) for o in outputs)
