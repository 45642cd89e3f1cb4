"""Maps for a meeting (issue 14): layer control and defaults, labels, park-to-park totals, the
metric scale, the context layer, Tianditu with a key, and the comparison's marks."""

from __future__ import annotations

import importlib
import re

import pandas as pd
import pytest
from _maps_hand import hand_result, hand_scenario, link_rows

from parkflow.maps import map_html, render_map
from parkflow.maps.context import sichuan_cities
from parkflow.maps.elements import feature_data
from parkflow.maps.layers import NEAR_ZOOM, park_flows
from parkflow.maps.offline import choose_tiles


@pytest.fixture(scope="module")
def page():
    return map_html(render_map(hand_scenario(), hand_result(), lang="en"))


def _overlays(page: str) -> dict[str, str]:
    block = re.search(r"overlays :\s*\{(.*?)\},\s*\};", page, re.DOTALL).group(1)
    return dict(re.findall(r'"([^"]+)" : (feature_group_\w+),', block))


def test_layer_control_lists_every_layer_and_unused_rings_start_off(page):
    overlays = _overlays(page)
    assert list(overlays) == [
        "Sichuan outline",
        "Context: cities of Sichuan",
        "Park boundaries",
        "Symbiosis links: fly ash",
        "Symbiosis links: phosphogypsum",
        "Supply left unused (stored or disposed)",
        "Enterprises",
    ]
    shown = {name for name, var in overlays.items() if f"{var}.addTo(map_" in page}
    assert shown == set(overlays) - {"Supply left unused (stored or disposed)"}


def test_enterprise_and_park_labels_follow_the_zoom(page):
    data = feature_data(page)
    ents = next(d for d in data if d.get("label_class") == "pf-lab-ent")
    assert sorted(f["label"] for f in ents["features"]) == sorted(
        hand_scenario().enterprises["name"]
    )
    parks = next(d for d in data if d.get("label_class") == "pf-lab-park")
    assert sorted(f["label"] for f in parks["features"]) == ["P2 park", "五通桥园区"]
    # the zoom switch: enterprise names from NEAR_ZOOM on, park names below (CSS classes)
    assert f"}})(map_{page.split('var map_')[1].split(' ')[0]}, {NEAR_ZOOM});" in page
    assert ".pf-near .pf-lab-ent { display: block; }" in page
    assert ".pf-near .pf-lab-park, .pf-near .pf-lab-agg { display: none; }" in page


def test_scale_bar_is_metric_only(page):
    assert re.search(r"L\.control\.scale\(\{metric: true, imperial: false", page)
    assert "L.control.scale()" not in page
    assert "imperial: true" not in page


def test_context_layer_has_the_21_cities_of_sichuan(page):
    cities = sichuan_cities()
    assert len(cities) == 21
    assert cities.index.is_unique
    assert (cities["kind"] == "prefecture").sum() == 3  # 阿坝, 甘孜, 凉山
    assert cities["lon"].between(97, 109).all()
    assert cities["lat"].between(26, 34.5).all()
    ctx = next(d for d in feature_data(page) if d.get("role") == "context")
    assert len(ctx["features"]) == 21
    assert {f["label"] for f in ctx["features"]} == set(cities["name_en"])
    assert any(
        "乐山市 Leshan" in f["tooltip"] and "approximate" in f["tooltip"] for f in ctx["features"]
    )
    zh = map_html(render_map(hand_scenario(), hand_result(), lang="zh"))
    labels = {
        f["label"] for d in feature_data(zh) if d.get("role") == "context" for f in d["features"]
    }
    assert labels == set(cities["name_zh"])
    assert "凉山彝族自治州" in labels


def two_parks() -> tuple:
    """P1 = {E1, E2}, P2 = {E3, E4}. Built: fly ash E1→E2 60 000 (inside P1); phosphogypsum
    E3→E2 20 000 and E4→E2 5 000 (P2 → P1); steel slag E4→E1 1 000 (P2 → P1)."""
    links = link_rows(
        [
            {
                "link_id": "L1",
                "from": "E1",
                "to": "E2",
                "material": "fly_ash",
                "route": "cement_admixture",
                "flow": 60_000.0,
                "existing": True,
            },
            {
                "link_id": "L2",
                "from": "E3",
                "to": "E2",
                "material": "phosphogypsum",
                "route": "cement_retarder",
                "flow": 20_000.0,
            },
            {
                "link_id": "L3",
                "from": "E4",
                "to": "E2",
                "material": "phosphogypsum",
                "route": "cement_retarder",
                "flow": 5_000.0,
                "existing": True,
            },
            {
                "link_id": "L4",
                "from": "E4",
                "to": "E1",
                "material": "steel_slag",
                "route": "road_base",
                "flow": 1_000.0,
            },
        ]
    )
    return hand_scenario(), hand_result(links)


def test_park_to_park_lines_sum_the_links_between_two_parks():
    sc, res = two_parks()
    page = map_html(render_map(sc, res, lang="en"))
    agg = [d for d in feature_data(page) if d.get("role") == "aggregate"]
    assert all(d["zoom"] == {"max": NEAR_ZOOM} for d in agg)
    lines = {f["tooltip"].split(": ", 1)[1]: f for d in agg for f in d["features"]}
    # by hand: P2 → P1 phosphogypsum 20 000 + 5 000; steel slag 1 000; fly ash stays inside P1
    assert set(lines) == {"phosphogypsum 25,000 t/a (2 links)", "steel slag 1,000 t/a (1 link)"}
    assert lines["phosphogypsum 25,000 t/a (2 links)"]["label"] == "25,000 t/a"
    assert all(f["tooltip"].startswith("P2 park → 五通桥园区") for f in lines.values())
    # the individual links between the parks show from NEAR_ZOOM on; the one inside always
    main = [d for d in feature_data(page) if d["kind"] == "line" and "role" not in d]
    assert sorted((d.get("zoom") or {}).get("min", 0) for d in main) == [0, NEAR_ZOOM, NEAR_ZOOM]
    assert sum(len(d["features"]) for d in main) == 4
    table = park_flows(
        res.flows.assign(existing=res.flows["existing"].astype(bool)),
        sc.enterprises["park"].astype(str),
        pd.Series(["t/a"] * 4, index=res.flows.index),
    )
    by = table.set_index(["park_from", "park_to", "material"])
    assert by.loc[("P2", "P1", "phosphogypsum"), "flow"] == 25_000
    assert by.loc[("P2", "P1", "phosphogypsum"), "existing"] == 1
    assert by.loc[("P1", "P1", "fly_ash"), "links"] == 1  # park_flows sums whatever it is given


def test_existing_links_are_a_double_line_without_a_dash():
    sc, res = two_parks()
    page = map_html(render_map(sc, res, lang="en"))
    feats = [
        f
        for d in feature_data(page)
        if d["kind"] == "line" and "role" not in d
        for f in d["features"]
    ]
    existing = [f for f in feats if "over" in f]
    assert len(existing) == 2  # L1 and L3
    for f in feats:
        assert "dashArray" not in f["style"]
    for f in existing:
        assert f["over"]["color"] == "#ffffff"
        assert 1.5 <= f["over"]["weight"] < f["style"]["weight"]


def test_tianditu_is_the_base_map_when_a_key_is_given(monkeypatch):
    for var in ("PARKFLOW_TIANDITU_KEY", "TIANDITU_KEY"):
        monkeypatch.delenv(var, raising=False)
    assert choose_tiles(None) == "none"  # offline by default
    assert choose_tiles(None, "k1") == "tianditu"
    assert choose_tiles("osm", "k1") == "osm"
    monkeypatch.setenv("PARKFLOW_TIANDITU_KEY", "envkey")
    assert choose_tiles(None) == "tianditu"
    page = map_html(render_map(hand_scenario(), hand_result(), tiles="tianditu"))
    assert "tk=envkey" in page


def test_map_command_uses_tianditu_with_a_key(tmp_path, monkeypatch):
    importlib.import_module("parkflow.solvers.api")
    from _frames import tiny_frames

    from parkflow.cli import main
    from parkflow.io import save_scenario, scenario_from_frames

    for var in ("PARKFLOW_TIANDITU_KEY", "TIANDITU_KEY"):
        monkeypatch.delenv(var, raising=False)
    src = tmp_path / "sc"
    save_scenario(scenario_from_frames("tiny", *tiny_frames()), src)
    out = tmp_path / "out"
    assert main(["solve", str(src), "--out", str(out)]) == 0
    assert main(["map", str(out)]) == 0
    assert "tianditu.gov.cn" not in (out / "map.html").read_text(encoding="utf-8")
    assert main(["map", str(out), "--tianditu-key", "abc"]) == 0
    assert "tk=abc" in (out / "map.html").read_text(encoding="utf-8")


def test_english_map_shows_name_en_where_the_table_has_one():
    """E1 and E3 get a ``name_en`` with markup in it, E2 a blank one, E4 none: the English map
    labels, tooltips and popups show name_en where there is one and ``name`` elsewhere (the
    report's policy); the Chinese map keeps ``name``. Every name stays escaped."""
    sc = hand_scenario()
    sc.enterprises["name_en"] = ["Power <b>plant</b>", "", "Chem & Co", None]
    res = hand_result()
    page = map_html(render_map(sc, res, lang="en"))
    ents = [f for d in feature_data(page) if d.get("kind") == "marker" for f in d["features"]]
    by_label = {f.get("label"): f for f in ents if "label" in f}
    assert {"Power <b>plant</b>", "水泥厂 Cement", "Chem & Co", "钢厂 Steel"} <= set(by_label)
    assert "电厂 Power" not in by_label
    assert "磷化工 Chem" not in by_label
    assert "Power &lt;b&gt;plant&lt;/b&gt;" in by_label["Power <b>plant</b>"]["popup"]
    assert "<b>plant</b>" not in page  # labels and tooltips are set as text by the page's JS
    zh = map_html(render_map(sc, res, lang="zh"))
    zh_labels = {f.get("label") for d in feature_data(zh) for f in d["features"]}
    assert {"电厂 Power", "磷化工 Chem"} <= zh_labels
    assert "Chem & Co" not in zh_labels
