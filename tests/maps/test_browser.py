"""Maps in a real browser: headless chromium, no network, a screenshot that shows the drawing.

Skipped when chromium is not installed (``apt-get install chromium``; CI installs it); the
browser has no network (``tests/_browser.py``), so the maps must draw from what is inline in the
file.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import numpy as np
import pytest
from _browser import needs_browser, screenshot
from _maps_hand import hand_result, hand_scenario

from parkflow.i18n import sector_colours
from parkflow.maps import BACKGROUND, MATERIAL_COLOURS, write_map

ROOT = Path(__file__).resolve().parents[2]
pytestmark = needs_browser


def _rgb(hex_colour: str) -> np.ndarray:
    return np.array([int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)]) / 255.0


def pixels_near(img: np.ndarray, colour: np.ndarray, tol: float = 0.06) -> int:
    """How many pixels lie within ``tol`` (per channel) of ``colour``."""
    return int((np.abs(img - colour).max(axis=2) <= tol).sum())


def over_background(hex_colour: str, opacity: float) -> np.ndarray:
    return opacity * _rgb(hex_colour) + (1 - opacity) * _rgb(BACKGROUND)


def test_hand_map_draws_links_markers_and_rings(tmp_path):
    page = write_map(hand_scenario(), hand_result(), tmp_path / "map.html", lang="en")
    img, console = screenshot(page, tmp_path / "map.png")
    assert "Uncaught" not in console, console
    # not a blank page: most pixels are the background, but far from all
    background = pixels_near(img, _rgb(BACKGROUND), 0.02) / img.shape[0] / img.shape[1]
    assert 0.3 < background < 0.97
    # the fly-ash link (12 px wide, opacity 0.85) and the phosphogypsum link (7.8 px); the
    # fly-ash one is dashed and partly over the park's light fill, hence the loose tolerance
    assert pixels_near(img, over_background(MATERIAL_COLOURS["fly_ash"], 0.85), 0.08) > 800
    assert pixels_near(img, over_background(MATERIAL_COLOURS["phosphogypsum"], 0.85), 0.08) > 800
    # the four enterprise markers (radius 7 px) in their sector colours from sectors.csv
    colours = sector_colours(["power", "cement", "chemicals", "steel"])
    assert len(set(colours.values())) == 4
    for colour in colours.values():
        assert pixels_near(img, _rgb(colour), 0.03) > 60, colour


def test_compare_page_draws_both_maps(tmp_path):
    from parkflow.studies.compare import compare

    cmp = compare(
        hand_scenario("A"),
        hand_scenario("B"),
        lang="en",
        result_a=hand_result(),
        result_b=hand_result(),
    )
    page = cmp.write(tmp_path / "cmp")[0]
    img, console = screenshot(page, tmp_path / "cmp.png", size=(1400, 1000))
    assert "Uncaught" not in console, console
    # the same links on both sides: unchanged links are dimmed (opacity 0.3, issue 14)
    green = over_background(MATERIAL_COLOURS["phosphogypsum"], 0.3)
    half = img.shape[1] // 2
    assert pixels_near(img[:, :half], green, 0.04) > 300  # map A
    assert pixels_near(img[:, half:], green, 0.04) > 300  # map B, same links


@pytest.mark.slow
def test_bundled_map_in_the_browser(tmp_path):
    importlib.import_module("parkflow.solvers.api")
    base = ROOT / "scenarios" / "leshan-wutongqiao"
    if not (base / "scenario.yaml").is_file():
        pytest.skip("bundled scenario leshan-wutongqiao not present")
    from parkflow.io import load_scenario
    from parkflow.maps import built_links
    from parkflow.solvers.api import solve

    sc = load_scenario(base)
    res = solve(sc)
    page = write_map(sc, res, tmp_path / "leshan.html", lang="zh")
    img, console = screenshot(page, tmp_path / "leshan.png")
    assert "Uncaught" not in console, console
    flows = built_links(res)
    assert len(flows) > 0
    # every material that flows shows up in its colour
    for material in sorted(set(flows["material"]) & set(MATERIAL_COLOURS)):
        n = pixels_near(img, over_background(MATERIAL_COLOURS[material], 0.85), 0.1)
        assert n > 30, material


def test_clicking_a_marker_opens_its_popup(tmp_path):
    import re

    page = write_map(hand_scenario(), hand_result(), tmp_path / "map.html", lang="en")
    text = page.read_text(encoding="utf-8")
    plain, _ = screenshot(page, tmp_path / "plain.png")
    # click the first enterprise marker (popups are built from the data on opening)
    name = re.search(r"var (map_\w+) = L\.map", text).group(1)
    click = (
        f"<script>var done = false; {name}.eachLayer("
        "function (l) { if (!done && l instanceof L.CircleMarker && l.options.radius === 7)"
        " { done = true; l.fire('click', {latlng: l.getLatLng()}); } });"
        "</script>"
    )
    clicked = tmp_path / "clicked.html"
    clicked.write_text(text + click, encoding="utf-8")  # after the map's script
    img, console = screenshot(clicked, tmp_path / "clicked.png")
    assert "Uncaught" not in console, console
    white = np.array([1.0, 1.0, 1.0])
    # the popup: a white box of a few hundred by about a hundred pixels
    assert pixels_near(img, white, 0.01) - pixels_near(plain, white, 0.01) > 10_000
