"""Maps: what is drawn (markers, links, rings, parks, layers), popups, tiles, offline HTML."""

from __future__ import annotations

import importlib
import json
import re

import folium
import numpy as np
import pandas as pd
import pytest
from _maps_hand import hand_result, hand_scenario, link_rows

from parkflow.maps import (
    MATERIAL_COLOURS,
    Features,
    drawn_features,
    enterprise_positions,
    external_references,
    inline_assets,
    link_curves,
    map_html,
    render_map,
    write_map,
)
from parkflow.models.result import Result, SolveStatus
from parkflow.statistics.summary import summary_dict


@pytest.fixture(scope="module")
def scenario():
    return hand_scenario()


@pytest.fixture(scope="module")
def result():
    return hand_result()


def _children(m: folium.Map, kind: type) -> list:
    return [c for c in m._children.values() if isinstance(c, kind)]


def _group(m: folium.Map, name: str) -> folium.FeatureGroup:
    groups = {g.layer_name: g for g in _children(m, folium.FeatureGroup)}
    assert name in groups, sorted(groups)
    return groups[name]


def _of(group: folium.FeatureGroup, kind: type) -> list:
    return [c for c in group._children.values() if isinstance(c, kind)]


def _features(group: folium.FeatureGroup, kind: str) -> list[dict]:
    """The features (``"marker"`` or ``"line"``) a layer draws, each with its full style."""
    return [
        {**f, "style": {**el.style, **f["style"]}}
        for el in _of(group, Features)
        if el.kind == kind and el.role == "main"
        for f in el.features
    ]


def _all_features(m: folium.Map, kind: str) -> list[dict]:
    return [f for g in _children(m, folium.FeatureGroup) for f in _features(g, kind)]


def test_one_marker_per_enterprise_and_one_line_per_built_link(scenario, result):
    m = render_map(scenario, result, lang="en")
    assert len(_features(_group(m, "Enterprises"), "marker")) == 4
    assert len(_all_features(m, "line")) == 2  # L3 has build 0: not drawn
    # 4 enterprises + 3 rings of supply left unused (fly ash at E1, gypsum at E3, slag at E4)
    assert drawn_features(map_html(m)) == {"line": 2, "marker": 7}
    assert m.parkflow_drawn["links"] == 2
    assert m.parkflow_drawn["unused"] == 3


def test_one_layer_per_material_and_a_layer_control(scenario, result):
    m = render_map(scenario, result, lang="en")
    names = [g.layer_name for g in _children(m, folium.FeatureGroup)]
    assert names == [
        "Sichuan outline",
        "Context: cities of Sichuan",
        "Park boundaries",
        "Symbiosis links: fly ash",
        "Symbiosis links: phosphogypsum",
        "Supply left unused (stored or disposed)",
        "Enterprises",
    ]
    assert len(_children(m, folium.LayerControl)) == 1
    fly = _features(_group(m, "Symbiosis links: fly ash"), "line")[0]
    assert fly["style"]["color"] == MATERIAL_COLOURS["fly_ash"]
    # existing link: a double line (a white centre stripe over the material's colour), no dash
    assert "dashArray" not in fly["style"]
    assert fly["over"]["color"] == "#ffffff"
    assert fly["over"]["weight"] < fly["style"]["weight"]
    gyp = _features(_group(m, "Symbiosis links: phosphogypsum"), "line")[0]
    assert gyp["style"]["color"] == MATERIAL_COLOURS["phosphogypsum"]
    assert "dashArray" not in gyp["style"]
    assert "over" not in gyp


def test_line_width_grows_with_the_square_root_of_flow(scenario, result):
    m = render_map(scenario, result, lang="en")
    fly = _features(_group(m, "Symbiosis links: fly ash"), "line")[0]
    gyp = _features(_group(m, "Symbiosis links: phosphogypsum"), "line")[0]
    # 60 000 t/a is the largest: 12 px; 20 000 t/a: 2 + 10·sqrt(1/3) = 7.77 px
    assert fly["style"]["weight"] == pytest.approx(12.0)
    assert gyp["style"]["weight"] == pytest.approx(2 + 10 * np.sqrt(1 / 3), abs=0.01)


def test_unused_rings_are_sized_by_what_is_left(scenario, result):
    m = render_map(scenario, result, lang="en")
    rings = _features(_group(m, "Supply left unused (stored or disposed)"), "marker")
    radius = {tuple(r["at"]): r["style"]["radius"] for r in rings}
    assert {r["style"]["dashArray"] for r in rings} == {"4 3"}
    # left: E1 40 000 fly ash, E3 30 000 gypsum, E4 40 000 slag → 26, 5 + 21·sqrt(0.75), 26
    assert radius[(29.40, 103.70)] == pytest.approx(26.0)
    assert radius[(29.38, 103.80)] == pytest.approx(5 + 21 * np.sqrt(0.75), abs=0.01)
    assert radius[(29.44, 103.84)] == pytest.approx(26.0)


def _popups(m: folium.Map) -> str:
    """Every popup's HTML (in the page they are JSON strings, non-ASCII escaped)."""
    return "\n".join(f["popup"] for kind in ("marker", "line") for f in _all_features(m, kind))


def test_popups_show_amounts_rates_distance_cost_and_co2(scenario, result):
    page = _popups(render_map(scenario, result, lang="en"))
    # E1: 100 000 fly ash generated, 60 000 utilised → 60.0 %
    assert "60,000" in page
    assert "60.0 %" in page
    # L2: 12 km, net cost 400 000 + 100 000 − 1 000 000 − 500 000 = −1 000 000 CNY/a, 60 t CO2
    assert "12.0 km" in page
    assert "-1,000,000 CNY/a" in page
    assert "60.0 t CO₂/a" in page
    zh_map = render_map(scenario, result, lang="zh")
    zh = _popups(zh_map)
    assert "-100.0 万元/a" in zh  # −1 000 000 CNY = −100 万元
    assert "五通桥园区" in zh
    assert "粉煤灰" in zh
    assert "综合利用率" in zh
    page = map_html(zh_map)
    # layer names are JSON strings in the page, non-ASCII escaped
    assert json.dumps("企业")[1:-1] in page
    assert "Enterprises" not in page


def test_park_polygon_where_there_is_geometry_else_an_approximate_hull(scenario, result):
    m = render_map(scenario, result, lang="en")
    parks = _of(_group(m, "Park boundaries"), folium.GeoJson)
    assert len(parks) == 2  # P1 from its polygon, P2 (no polygon) from its enterprises
    page = map_html(m)
    assert json.dumps("P2 park (P2) — approximate extent")[1:-1] in page
    no_parks = scenario.replace(
        enterprises=scenario.enterprises.assign(park=""), parks=scenario.parks.iloc[:0]
    )
    names = [
        g.layer_name for g in _children(render_map(no_parks, result, "en"), folium.FeatureGroup)
    ]
    assert "Park boundaries" not in names


def test_view_fitted_to_enterprises(scenario, result):
    m = render_map(scenario, result, lang="en")
    assert m.parkflow_drawn["bounds"] == [[29.38, 103.70], [29.44, 103.84]]
    assert "fitBounds" in map_html(m)


def test_saved_map_is_self_contained_offline(scenario, result, tmp_path):
    path = write_map(scenario, result, tmp_path / "map.html", lang="en")
    page = path.read_text(encoding="utf-8")
    assert external_references(page) == []
    assert not re.search(r"<(script|link)[^>]+(src|href)=\"https?:", page)
    assert "cdn.jsdelivr" not in page
    assert "jquery" not in page.lower()
    assert "Leaflet 1.9.4" in page  # the vendored library, inline
    assert "data:image/png;base64," in page  # the layer-control icon, inline
    assert "$(" not in page  # folium's jQuery popups are not used


def test_inline_assets_replaces_known_cdns_and_keeps_unknown_ones():
    page = (
        '<script src="https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js"></script>'
        '<script src="https://code.jquery.com/jquery-3.7.1.min.js"></script>'
        '<link rel="stylesheet" href="https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/'
        'leaflet.css"/><script src="https://example.org/other.js"></script>'
    )
    out = inline_assets(page)
    assert external_references(out) == ["https://example.org/other.js"]
    assert "Leaflet 1.9.4" in out
    assert ".leaflet-pane" in out


def test_osm_tiles_need_only_tiles_from_the_network(scenario, result):
    page = map_html(render_map(scenario, result, tiles="osm"))
    assert "tile.openstreetmap.org" in page
    assert external_references(page) == []


def test_gaode_shifts_everything_to_gcj02(scenario, result):
    from parkflow.geo import wgs84_to_gcj02

    pos = enterprise_positions(scenario, "gaode")
    lon, lat = wgs84_to_gcj02(
        scenario.enterprises["lon"].to_numpy(), scenario.enterprises["lat"].to_numpy()
    )
    np.testing.assert_allclose(pos["lon"], lon)
    np.testing.assert_allclose(pos["lat"], lat)
    shift_m = np.hypot(
        (pos["lon"] - scenario.enterprises["lon"].to_numpy()) * 97_000,
        (pos["lat"] - scenario.enterprises["lat"].to_numpy()) * 111_000,
    )
    assert ((shift_m > 200) & (shift_m < 800)).all()  # the GCJ-02 offset in Sichuan
    m = render_map(scenario, result, tiles="gaode")
    marker = _features(_group(m, "企业"), "marker")[0]
    assert marker["at"] == pytest.approx([lat[0], lon[0]])
    assert "autonavi.com" in map_html(m)


def test_tianditu_needs_a_key(scenario, result, monkeypatch):
    monkeypatch.delenv("TIANDITU_KEY", raising=False)
    with pytest.raises(ValueError, match="Tianditu key"):
        render_map(scenario, result, tiles="tianditu")
    page = map_html(render_map(scenario, result, tiles="tianditu", tianditu_key="abc123"))
    assert "tianditu.gov.cn" in page
    assert "tk=abc123" in page


def test_bad_lang_or_tiles_are_refused(scenario, result):
    with pytest.raises(ValueError, match="lang"):
        render_map(scenario, result, lang="fr")
    with pytest.raises(ValueError, match="tiles"):
        render_map(scenario, result, tiles="google")


def test_no_solution_shows_all_supply_as_unused(scenario):
    empty = Result(
        scenario_name="x",
        status=SolveStatus.INFEASIBLE,
        objective_name="cost",
        links=pd.DataFrame(),
        flows=pd.DataFrame(),
        draws=pd.DataFrame(),
        sources=pd.DataFrame(),
        utilisation=pd.DataFrame(),
        targets=pd.DataFrame(),
        objective={},
        co2_avoided_t_per_a=0.0,
        solver={},
    )
    m = render_map(scenario, empty, lang="en")
    assert m.parkflow_drawn["links"] == 0
    assert m.parkflow_drawn["unused"] == 3
    assert len(_features(_group(m, "Enterprises"), "marker")) == 4


def test_links_both_ways_bend_to_opposite_sides(scenario):
    links = link_rows(
        [
            {
                "link_id": "A",
                "from": "E1",
                "to": "E2",
                "material": "fly_ash",
                "route": "cement_admixture",
                "flow": 10.0,
            },
            {
                "link_id": "B",
                "from": "E2",
                "to": "E1",
                "material": "fly_ash",
                "route": "cement_admixture",
                "flow": 10.0,
            },
        ]
    )
    m = render_map(scenario, hand_result(links), lang="en")
    a, b = _features(_group(m, "Symbiosis links: fly ash"), "line")
    mid_a, mid_b = np.array(a["at"][6]), np.array(b["at"][6])
    assert np.linalg.norm(mid_a - mid_b) > 1e-3  # not drawn on top of each other
    straight_mid = np.array([29.41, 103.72])
    # each bends to the right of its own direction: opposite sides of the straight line
    side = (
        np.cross([0.02, 0.04], mid_a - straight_mid),
        np.cross([0.02, 0.04], mid_b - straight_mid),
    )
    assert side[0] * side[1] < 0


def test_link_curves_run_from_source_to_target():
    pts = link_curves(
        np.array([103.7]), np.array([29.4]), np.array([103.8]), np.array([29.5]), np.array([0.2])
    )
    assert pts.shape == (1, 13, 2)
    assert pts[0, 0].tolist() == [29.4, 103.7]
    assert pts[0, -1].tolist() == [29.5, 103.8]


# ---- command line ------------------------------------------------------------------------------
def test_cli_map_needs_a_solve_folder(tmp_path, capsys):
    from parkflow.cli import main

    assert main(["map", str(tmp_path)]) == 2
    assert "no summary.json" in capsys.readouterr().err
    assert not (tmp_path / "map.html").exists()


@pytest.mark.slow
def test_cli_solve_then_map(tmp_path):
    importlib.import_module("parkflow.solvers.api")
    importlib.import_module("parkflow.io.solution")
    from pathlib import Path

    from parkflow.cli import main

    base = Path(__file__).resolve().parents[2] / "scenarios" / "leshan-wutongqiao"
    out = tmp_path / "solve"
    assert main(["solve", str(base), "--out", str(out)]) == 0
    assert main(["map", str(out), "--lang", "en"]) == 0
    page = (out / "map.html").read_text(encoding="utf-8")
    assert external_references(page) == []
    flows = pd.read_csv(out / "flows.csv")
    assert drawn_features(page)["line"] == len(flows)
    assert (out / "summary.json").is_file()  # the solve's files are kept (merge)


# ---- sectors, legend and title ---------------------------------------------------------------
def _boxes(m: folium.Map) -> dict[str, str]:
    """HTML of the title and legend boxes, by css class."""
    from parkflow.maps import BoxControl

    return {c.css_class: c.html for c in m._children.values() if isinstance(c, BoxControl)}


def test_sectors_are_named_in_legend_popups_and_tooltips(scenario, result):
    zh = render_map(scenario, result, lang="zh")
    legend = _boxes(zh)["pf-legend"]
    # hand park sectors: power, cement, chemicals, steel → names from sectors.csv
    for name in ("电力", "水泥", "化工", "钢铁"):
        assert f"</span>{name}</span>" in legend, name
    assert "chemicals" not in legend
    assert "steel" not in legend
    assert "行业: 化工" in _popups(zh)
    en = render_map(scenario, result, lang="en")
    assert "Sector: Steel works" in _popups(en)
    assert "Cement" in _boxes(en)["pf-legend"]
    tips = [f["tooltip"] for f in _all_features(en, "marker")]
    assert "钢厂 Steel (Steel works)" in tips


def test_unknown_sector_gets_a_readable_name_and_its_own_colour(result):
    from parkflow.i18n import sector_colours

    sc = hand_scenario()
    ent = sc.enterprises.copy()
    ent["sector"] = ["power", "cement", "coke_oven_gas", "steel"]
    sc = type(sc)(**{**sc.__dict__, "enterprises": ent})
    en = render_map(sc, result, lang="en")
    assert "Sector: Coke oven gas" in _popups(en)
    zh_legend = _boxes(render_map(sc, result, lang="zh"))["pf-legend"]
    assert "Coke oven gas" in zh_legend
    colours = sector_colours(ent["sector"])
    assert len(set(colours.values())) == 4


def test_many_sectors_are_grouped_by_family_in_two_columns():
    from parkflow.i18n import sector_colours
    from parkflow.maps import legend_html

    few = legend_html(sector_colours(["cement", "coal_power"]), [], "zh")
    assert "pf-fam" not in few
    assert "pf-2col" not in few
    many = sector_colours(
        [
            "cement",
            "brick_works",
            "coal_power",
            "orc_power",
            "coal_mine",
            "sintering",
            "steelmaking",
            "vanadium",
            "salt",
            "soda_ash",
            "phosphate",
            "ammonia",
            "hydrogen_station",
        ]
    )
    legend = legend_html(many, [("粉煤灰", "#1f77b4")], "zh")
    assert "pf-2col" in legend
    assert "<details open>" in legend
    # families in order, each heading once, its sectors after it
    heads = re.findall(r'class="pf-fam">([^<]+)<', legend)
    assert heads == [
        "建材",
        "电力热力",
        "采矿",
        "钢铁",
        "钒钛及有色",
        "盐化工及硅材料",
        "磷化工",
        "天然气化工及石化",
        "氢能",
    ]
    assert legend.index("建材") < legend.index("水泥") < legend.index("电力热力")
    en = legend_html(many, [("fly ash", "#1f77b4")], "en")
    assert "Fly ash" in en  # capitalised in English


def test_title_counts_links_as_the_summary_and_folds_each_park_targets(scenario, result):
    targets = pd.DataFrame(
        {
            "id": ["bulk-2025", "floor", "floor"],
            "scope": ["all", "park:P1", "park:P2"],
            "target": [0.78, 0.6, 0.6],
            "rate": [0.8, 0.9, 0.55],
            "met": [True, True, False],
        }
    )
    res = Result(**{**result.__dict__, "targets": targets})
    title = _boxes(render_map(scenario, res, lang="zh"))["pf-title"]
    assert f"建成链接: {summary_dict(res)['links_built']}" in title
    assert title.count("<tr>") == 2  # one line per target id
    assert "1/2 个园区达标" in title
    assert "最低 55.0 %" in title
    assert "P2 park" in title
    assert "全情景" in title
    assert "(all)" not in title
    en = _boxes(render_map(scenario, res, lang="en"))["pf-title"]
    assert "1/2 parks meet it" in en
    assert "whole scenario" in en


def test_sector_table_covers_bundled_and_generated_sectors():
    from pathlib import Path

    from parkflow.i18n import FAMILIES, sector_table
    from parkflow.studies.generate import SECTORS

    table = sector_table()
    root = Path(__file__).resolve().parents[2] / "scenarios"
    used = set(SECTORS)
    for path in root.glob("**/enterprises.csv"):
        used |= set(pd.read_csv(path, dtype=str)["sector"])
    assert sorted(used - set(table.index)) == []
    assert table["colour"].str.fullmatch(r"#[0-9a-f]{6}").all()
    assert set(table["family"]) <= set(FAMILIES)
    assert (table["name_zh"] != "").all()
    assert (table["name_en"] != "").all()
    # the sectors of one bundled park do not share a colour unless they are the same thing
    leshan = pd.read_csv(root / "leshan-wutongqiao" / "enterprises.csv", dtype=str)["sector"]
    names = {table.at[s, "name_en"] for s in set(leshan)}
    assert len({table.at[s, "colour"] for s in set(leshan)}) == len(names)


def test_names_that_look_like_markup_or_templates_stay_data(result):
    sc = hand_scenario()
    ent = sc.enterprises.copy()
    ent["name"] = ["</script><b>{{ x }}</b>", "水泥厂 Cement", "磷化工 Chem", "钢厂 Steel"]
    sc = type(sc)(**{**sc.__dict__, "enterprises": ent})
    page = map_html(render_map(sc, result, lang="en"))
    assert "</script><b>" not in page
    assert "{{ x }}" not in page.split("<script>")[0]
    data = re.findall(r"^\s*\}\)\(map_\w+, feature_group_\w+, (\{.*\})\);$", page, re.MULTILINE)
    tips = [f.get("tooltip") for d in data for f in json.loads(d)["features"]]
    assert "</script><b>{{ x }}</b> (Power)" in tips  # shown as text (textContent), not HTML
    assert drawn_features(page) == {"line": 2, "marker": 7}


def test_python_m_parkflow_maps_has_a_command_line():
    import subprocess
    import sys

    run = subprocess.run(
        [sys.executable, "-m", "parkflow.maps", "--help"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert run.returncode == 0
    assert "--bundled" in run.stdout
