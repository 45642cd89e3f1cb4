"""The province map in a real browser (headless chromium, offline): markers, park names and
city labels drawn at province zoom, no two labels on screen overlapping, enterprise names on
zoom-in.

The page gets a small probe script appended: after the map's own scripts and timers ran, it
writes the screen boxes of every visible label into the DOM, which ``--dump-dom`` returns.
"""

from __future__ import annotations

import importlib
import json
import re
from pathlib import Path

import numpy as np
import pytest
from _browser import dump_dom, needs_browser, screenshot

from parkflow.i18n import sector_colours

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [*needs_browser, pytest.mark.slow]

PROBE = """<script>
setTimeout(function () {
  var out = [], view = %(map)s.getContainer().getBoundingClientRect();
  document.querySelectorAll(".pf-lab").forEach(function (el) {
    var span = el.firstChild, r = span.getBoundingClientRect();
    var shown = r.width > 0 && r.right > view.left && r.left < view.right
        && r.bottom > view.top && r.top < view.bottom
        && getComputedStyle(el).visibility !== "hidden"
        && getComputedStyle(el).display !== "none";
    if (shown) {
      out.push({cls: el.className, text: span.textContent,
                box: [r.left, r.top, r.right, r.bottom]});
    }
  });
  var pre = document.createElement("pre");
  pre.id = "pf-probe";
  pre.textContent = JSON.stringify({zoom: %(map)s.getZoom(), labels: out});
  document.body.appendChild(pre);
}, 1500);
</script>"""


@pytest.fixture(scope="module")
def province(tmp_path_factory, solved_bundled):
    importlib.import_module("parkflow.solvers.api")
    base = ROOT / "scenarios" / "sichuan-province"
    if not (base / "scenario.yaml").is_file():
        pytest.skip("bundled scenario sichuan-province not present")
    from parkflow.maps import write_map

    sc, res = solved_bundled("sichuan-province")
    folder = tmp_path_factory.mktemp("province")
    return sc, write_map(sc, res, folder / "province.html", lang="zh")


def _probe(page: Path, extra: str = "") -> dict:
    text = page.read_text(encoding="utf-8")
    name = re.search(r"var (map_\w+) = L\.map", text).group(1)
    probed = page.with_name(page.stem + "-probe.html")
    probed.write_text(
        text + extra.replace("%(map)s", name) + PROBE % {"map": name}, encoding="utf-8"
    )
    dom, console = dump_dom(probed, size=(1400, 1000))
    assert "Uncaught" not in console, console
    return json.loads(
        re.search(r'<pre id="pf-probe">(.*?)</pre>', dom, re.DOTALL)
        .group(1)
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", '"')
    )


def _overlaps(labels: list[dict]) -> list[tuple[str, str]]:
    out = []
    for i, a in enumerate(labels):
        for b in labels[i + 1 :]:
            (l1, t1, r1, b1), (l2, t2, r2, b2) = a["box"], b["box"]
            if l1 < r2 and l2 < r1 and t1 < b2 and t2 < b1:
                out.append((a["text"], b["text"]))
    return out


def test_province_map_draws_markers_and_park_names(province, tmp_path):
    sc, page = province
    img, console = screenshot(page, tmp_path / "province.png", size=(1400, 1000))
    assert "Uncaught" not in console, console
    colours = sector_colours(sc.enterprises["sector"].astype(str).tolist())
    drawn = [
        c
        for c in set(colours.values())
        if (
            np.abs(img - np.array([int(c[i : i + 2], 16) for i in (1, 3, 5)]) / 255).max(axis=2)
            <= 0.03
        ).sum()
        > 20
    ]
    assert len(drawn) >= 10, drawn  # markers in many sector colours
    probe = _probe(page)
    assert probe["zoom"] < 10  # province zoom
    parks = [lab["text"] for lab in probe["labels"] if "pf-lab-park" in lab["cls"]]
    names = set(sc.parks["name"].astype(str))
    assert set(parks) <= names, parks
    assert len(parks) >= 0.75 * len(names), parks
    assert not [lab for lab in probe["labels"] if "pf-lab-ent" in lab["cls"]]  # no clutter
    assert any("pf-lab-city" in lab["cls"] for lab in probe["labels"])
    assert any("pf-lab-agg" in lab["cls"] for lab in probe["labels"])  # park-to-park totals
    assert _overlaps(probe["labels"]) == []


def test_zoomed_in_enterprise_names_show_without_overlap(province):
    sc, page = province
    ent = sc.enterprises[sc.enterprises["park"] == "LS-WTQ"]
    lat, lon = float(ent["lat"].mean()), float(ent["lon"].mean())
    zoom = f"<script>%(map)s.setView([{lat}, {lon}], 13, {{animate: false}});</script>"
    probe = _probe(page, zoom)
    assert probe["zoom"] == 13
    shown = [lab for lab in probe["labels"] if "pf-lab-ent" in lab["cls"]]
    assert len(shown) >= 8, shown
    assert {lab["text"] for lab in shown} <= set(sc.enterprises["name"].astype(str))
    assert not [lab for lab in probe["labels"] if "pf-lab-park" in lab["cls"]]
    assert _overlaps(probe["labels"]) == []
