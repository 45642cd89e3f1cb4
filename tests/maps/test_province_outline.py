"""The Sichuan outline: built from a Natural Earth admin-1 file, drawn when the data is there.

The outline is package data built once by tools/sichuan_outline.py (nothing downloads at run
time). Here the tool runs on a two-province stand-in for Natural Earth's file, and the map draws
what it wrote; without the file the map has no outline layer.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import folium
import geopandas as gpd
from _maps_hand import hand_result, hand_scenario
from shapely.geometry import box

from parkflow.maps import context
from parkflow.maps.render import draw_on, map_html, render_map

TOOL = Path(__file__).resolve().parents[2] / "tools" / "sichuan_outline.py"


def _tool():
    spec = importlib.util.spec_from_file_location("sichuan_outline", TOOL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _natural_earth(tmp_path: Path) -> Path:
    """A stand-in for ne_10m_admin_1_states_provinces: Sichuan and Yunnan as boxes."""
    g = gpd.GeoDataFrame(
        {"name": ["Sichuan", "Yunnan"], "iso_3166_2": ["CN-51", "CN-53"]},
        geometry=[box(97.35, 26.05, 108.55, 34.32), box(97.5, 21.1, 106.2, 29.2)],
        crs="EPSG:4326",
    )
    path = tmp_path / "ne_admin1.geojson"
    g.to_file(path, driver="GeoJSON")
    return path


def test_the_tool_keeps_sichuan_only(tmp_path):
    out = tmp_path / "sichuan.geojson"
    assert _tool().main([str(_natural_earth(tmp_path)), str(out)]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert len(data["features"]) == 1
    props = data["features"][0]["properties"]
    assert props["name_zh"] == "四川省"
    assert "Natural Earth" in props["source"]
    shape = context.province_outline(out)
    assert shape.bounds == (97.35, 26.05, 108.55, 34.32)


def test_the_map_draws_the_outline_when_the_data_is_there(tmp_path, monkeypatch):
    out = tmp_path / "sichuan.geojson"
    _tool().main([str(_natural_earth(tmp_path)), str(out)])
    monkeypatch.setattr(context, "OUTLINE_GEOJSON", out)
    sc, res = hand_scenario(), hand_result()
    m = folium.Map(tiles=None, control_scale=False)
    drawn = draw_on(m, sc, res, lang="en")
    assert drawn["layers"][0] == "Sichuan outline"
    page = map_html(m)
    assert "Sichuan outline" in page
    assert "8 4 2 4" in page  # its dash pattern
    zh = map_html(render_map(sc, res, lang="zh"))
    assert "\\u56db\\u5ddd\\u7701\\u754c" in zh  # 四川省界, the layer's name


def test_no_outline_layer_without_the_data(tmp_path, monkeypatch):
    monkeypatch.setattr(context, "OUTLINE_GEOJSON", tmp_path / "absent.geojson")
    sc, res = hand_scenario(), hand_result()
    m = folium.Map(tiles=None, control_scale=False)
    assert "Sichuan outline" not in draw_on(m, sc, res, lang="en")["layers"]


def test_the_shipped_outline_holds_every_city_and_bundled_park():
    """The shipped file is Sichuan: every prefecture seat and bundled enterprise lies in it."""
    import shapely

    from parkflow import io
    from parkflow.io.bundled import bundled_scenario_path, bundled_scenarios

    shape = context.province_outline()
    assert shape is not None
    assert shape.is_valid
    minx, miny, maxx, maxy = shape.bounds
    assert (round(minx), round(miny), round(maxx), round(maxy)) == (97, 26, 109, 34)
    near = shape.buffer(0.05)
    cities = context.sichuan_cities()
    seats = shapely.points(cities["lon"].to_numpy(), cities["lat"].to_numpy())
    assert near.contains(seats).all()
    for name in bundled_scenarios():
        e = io.load_scenario(bundled_scenario_path(name)).enterprises
        pts = shapely.points(e["lon"].to_numpy(), e["lat"].to_numpy())
        assert near.contains(pts).all(), name
