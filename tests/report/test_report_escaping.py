"""Hostile names in the report: HTML (and its SVG) escaped, spreadsheet cells never formulas.

The payloads set ``document.title`` to ``"X" + "SS"`` when they run (the concatenation keeps the
word out of the page's text), so the headless-chromium test can tell that none ran.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from _solve_helpers import tiny_park

from parkflow.report import build_report, to_html, write_reports
from parkflow.report.render import formula_safe
from parkflow.solvers.api import solve

RUN = "document.title='X'+'SS'"
HOSTILE = {
    "E1": f"`${{{RUN}}}` power",
    "E2": f"</script><script>{RUN}</script>",
    "E3": f'<img src=x onerror="{RUN}">',
}
FORMULAS = {"E1": "=1+1", "E2": "@SUM(A1)", "E3": "+cmd|' /C calc'!A0"}
CHROMIUM = next(
    (
        p
        for p in (shutil.which("chromium"), "/usr/bin/chromium", shutil.which("chromium-browser"))
        if p and Path(p).exists()
    ),
    None,
)


def _named(names: dict[str, str], scenario_name: str):
    sc = tiny_park(l2_existing=True)
    res = solve(sc)
    sc.enterprises["name"] = sc.enterprises.index.map(names)
    sc.enterprises["sector"] = sc.enterprises.index.map(names)
    res.scenario_name = scenario_name
    return sc, res


def test_html_escapes_every_user_string():
    sc, res = _named(HOSTILE, f'<img src=y onerror="{RUN}">')
    page = to_html(build_report(sc, res, lang="en"))
    assert "<script" not in page
    assert "<img" not in page
    assert "&lt;/script&gt;&lt;script&gt;" in page
    assert "&lt;img src=x onerror=&quot;" in page
    assert "`${document.title=&#x27;X&#x27;+&#x27;SS&#x27;}`" in page  # inert text


@pytest.mark.browser
@pytest.mark.skipif(CHROMIUM is None and not os.environ.get("CI"), reason="chromium missing")
def test_no_payload_runs_in_chromium(tmp_path):
    sc, res = _named(HOSTILE, f'<img src=y onerror="{RUN}">')
    page, *_charts = write_reports(sc, res, tmp_path / "out", lang="zh", formats=("html",))
    cmd = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--proxy-server=http://127.0.0.1:9",
        f"--user-data-dir={tmp_path / 'profile'}",
        "--virtual-time-budget=3000",
        "--dump-dom",
        page.resolve().as_uri(),
    ]
    run = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)
    dom = run.stdout
    assert "</html>" in dom, run.stderr[-2000:]
    title = dom.split("<title>", 1)[1].split("</title>", 1)[0]
    assert "XSS" not in title
    assert "XSS" not in dom
    assert "工业固体废物" in title  # the page's own title, untouched
    assert "<script" not in dom
    assert "<img" not in dom


def test_xlsx_writes_formula_like_names_as_text(tmp_path):
    sc, res = _named(FORMULAS, '=HYPERLINK("http://x")')
    [xlsx] = write_reports(sc, res, tmp_path / "out", lang="en", formats=("xlsx",))
    wb = openpyxl.load_workbook(xlsx)
    seen = set()
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str) and cell.value.startswith(("=", "@", "+")):
                    seen.add(cell.value)
                    assert cell.quotePrefix
    assert {"=1+1", "@SUM(A1)", "+cmd|' /C calc'!A0", '=HYPERLINK("http://x")'} <= seen


def test_report_csv_cells_meant_for_excel_are_quoted(tmp_path):
    sc, res = _named(FORMULAS, "s")
    paths = write_reports(sc, res, tmp_path / "out", lang="en", formats=("csv",))
    links = next(p for p in paths if p.name == "report_links.csv")
    frame = pd.read_csv(links, encoding="utf-8-sig")
    assert {"'=1+1", "'@SUM(A1)"} <= set(frame["Generator"]) | set(frame["User"])
    assert pd.api.types.is_numeric_dtype(frame["Distance (km)"])  # numbers stay numbers


@pytest.mark.parametrize(
    ("value", "safe"),
    [
        ("=1+1", "'=1+1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("-2+3", "'-2+3"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("+1", "'+1"),
        ("水泥", "水泥"),
        (-3.0, -3.0),
        ("a=b", "a=b"),
    ],
)
def test_formula_safe(value, safe):
    assert formula_safe(value) == safe
