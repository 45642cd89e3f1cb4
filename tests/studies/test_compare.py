"""Comparing two layouts: the difference table, the key figures, the dual-map page, the CLI."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pandas as pd
import pytest
from _maps_hand import hand_result, hand_scenario, link_rows

from parkflow.maps import drawn_features, external_references
from parkflow.studies.compare import compare, link_differences

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def comparison():
    """A: fly ash E1→E2 60 000 (existing) + gypsum E3→E2 20 000.
    B: fly ash E1→E2 80 000, steel slag E4→E2 10 000 (new), no gypsum link."""
    variant = link_rows(
        [
            {
                "link_id": "L1",
                "from": "E1",
                "to": "E2",
                "material": "fly_ash",
                "route": "cement_admixture",
                "flow": 80_000.0,
                "existing": True,
                "transport_cny_per_a": 800_000.0,
                "value_cny_per_a": 9_600_000.0,
                "disposal_avoided_cny_per_a": 2_000_000.0,
                "co2_avoided_t_per_a": 60_000.0,
            },
            {
                "link_id": "L9",
                "from": "E4",
                "to": "E2",
                "material": "steel_slag",
                "route": "road_base",
                "flow": 10_000.0,
                "distance_km": 9.0,
                "transport_cny_per_a": 150_000.0,
                "value_cny_per_a": 200_000.0,
                "co2_avoided_t_per_a": 40.0,
            },
        ]
    )
    return compare(
        hand_scenario("A park"),
        hand_scenario("B park"),
        lang="en",
        result_a=hand_result(),
        result_b=hand_result(variant, "B park"),
    )


def test_links_added_removed_changed(comparison):
    d = comparison.differences.set_index(["from", "to", "material"])
    assert d["change"].tolist() == ["added", "removed", "changed"]
    added = d.loc[("E4", "E2", "steel_slag")]
    assert added["flow_a"] == 0
    assert added["flow_b"] == 10_000
    assert added["distance_km_b"] == 9.0
    assert pd.isna(added["distance_km_a"])
    removed = d.loc[("E3", "E2", "phosphogypsum")]
    assert removed["flow_change"] == -20_000
    # A's gypsum link: 400 000 + 100 000 − 1 000 000 − 500 000 = −1 000 000 CNY/a
    assert removed["total_cny_per_a_a"] == -1_000_000
    assert removed["cost_change_cny_per_a"] == 1_000_000
    changed = d.loc[("E1", "E2", "fly_ash")]
    assert changed["flow_change"] == 20_000
    # A: 600 000 − 7 200 000 − 1 500 000 = −8 100 000; B: 800 000 − 9 600 000 − 2 000 000
    assert changed["cost_change_cny_per_a"] == pytest.approx(-10_800_000 + 8_100_000)
    assert changed["co2_change_t_per_a"] == pytest.approx(15_000)


def test_same_links_are_same():
    r = hand_result()
    d = link_differences(r, r)
    assert d["change"].tolist() == ["same", "same"]
    assert (d["flow_change"] == 0).all()


def test_key_figures(comparison):
    ind = comparison.indicators.set_index("indicator")
    # A utilises 80 000 of 190 000 t/a, B 90 000: +5.26 pp
    assert ind.at["rate:bulk-2025 (all)", "a"] == pytest.approx(80 / 190)
    assert ind.at["rate:bulk-2025 (all)", "change"] == pytest.approx(10 / 190)
    assert ind.at["utilised:bulk-2025 (all)", "change"] == 10_000
    assert ind.at["links_built", "a"] == 2
    assert ind.at["links_built", "b"] == 2
    assert ind.at["co2_avoided_t_per_a", "change"] == pytest.approx(60_040 - 45_060)
    # total: A −8 100 000 − 1 000 000 = −9 100 000; B −10 800 000 + (150 000 − 200 000)
    assert ind.at["total_cny_per_a", "a"] == -9_100_000
    assert ind.at["total_cny_per_a", "b"] == -10_850_000


def test_write_dual_map_and_tables(comparison, tmp_path):
    paths = comparison.write(tmp_path / "cmp")
    assert [p.name for p in paths] == ["compare.html", "differences.csv", "indicators.csv"]
    page = paths[0].read_text(encoding="utf-8")
    assert external_references(page) == []
    # two maps, synchronised both ways, the vendored Leaflet.Sync inline
    maps = re.findall(r"var (map_[0-9a-f]+) = L\.map\(", page)
    assert len(maps) == 2
    assert f"{maps[0]}.sync({maps[1]})" in page
    assert f"{maps[1]}.sync({maps[0]})" in page
    assert "Leaflet.Sync" in page or "L.Map.Sync" in page
    assert drawn_features(page)["line"] == 4  # 2 links on each side
    assert "Link differences" in page
    assert 'class="pf-added"' in page
    assert 'class="pf-removed"' in page
    assert "+5.26 pp" in page
    diff = pd.read_csv(paths[1], encoding="utf-8-sig")
    assert diff["change"].tolist() == ["added", "removed", "changed"]
    assert diff["from_name"].tolist()[0] == "钢厂 Steel"
    ind = pd.read_csv(paths[2], encoding="utf-8-sig")
    assert "rate:bulk-2025 (all)" in ind["indicator"].tolist()


def test_chinese_labels(comparison):
    zh = compare(
        comparison.scenario_a,
        comparison.scenario_b,
        lang="zh",
        result_a=comparison.result_a,
        result_b=comparison.result_b,
    )
    html = zh.tables_html()
    assert "链接变化" in html
    assert "新增" in html
    assert "取消" in html
    assert "综合利用率" in html


# ---- end to end with the solver ---------------------------------------------------------------
BASE = ROOT / "scenarios" / "leshan-wutongqiao"
VARIANT = ROOT / "scenarios" / "leshan-wutongqiao-variants" / "gypsum-board.yaml"


@pytest.mark.slow
def test_cli_compare_bundled_variant(tmp_path):
    importlib.import_module("parkflow.solvers.api")
    if not (BASE / "scenario.yaml").is_file():
        pytest.skip("bundled scenario leshan-wutongqiao not present")
    from parkflow.cli import main

    out = tmp_path / "cmp"
    assert main(["compare", str(BASE), str(VARIANT), "--out", str(out), "--lang", "en"]) == 0
    diff = pd.read_csv(out / "differences.csv", encoding="utf-8-sig")
    # the variant removes LS21 (building gypsum) and adds LS30 (gypsum board)
    assert not (diff.query("change == 'added'")["to"] == "LS21").any()
    assert not (diff.query("change == 'removed'")["to"] == "LS30").any()
    assert external_references((out / "compare.html").read_text(encoding="utf-8")) == []


def test_cli_compare_refuses_output_inside_an_input(tmp_path):
    if not (BASE / "scenario.yaml").is_file():
        pytest.skip("bundled scenario leshan-wutongqiao not present")
    from parkflow.cli import main

    assert main(["compare", str(BASE), str(VARIANT), "--out", str(BASE / "out")]) == 2
    assert not (BASE / "out").exists()


def test_maps_mark_added_and_removed_links_and_dim_the_same(comparison):
    """By hand: A has fly ash (changed in B) and gypsum (removed in B); B adds steel slag."""
    from parkflow.maps.elements import feature_data
    from parkflow.maps.layers import CHANGE_STYLES

    assert comparison.link_marks("a").to_dict() == {"L1": "changed", "L2": "removed"}
    assert comparison.link_marks("b").to_dict() == {"L1": "changed", "L9": "added"}
    page = comparison.to_html()
    lines = [
        f
        for d in feature_data(page)
        if d["kind"] == "line" and "role" not in d
        for f in d["features"]
    ]
    by_tip = {
        f["tooltip"].split(":")[0] + ":" + f["tooltip"].split(":")[1].split()[0]: f for f in lines
    }
    removed = next(f for k, f in by_tip.items() if "phosphogypsum" in k)
    added = next(f for k, f in by_tip.items() if "steel" in k)
    assert removed["under"]["color"] == CHANGE_STYLES["removed"]["under"]["color"]
    assert removed["style"]["dashArray"] == "14 6"
    assert removed["style"]["lineCap"] == "butt"
    assert added["under"]["color"] == CHANGE_STYLES["added"]["under"]["color"]
    assert added["under"]["weight"] > added["style"]["weight"]
    # the legend of each map: its own kind first, and folded (details not open)
    assert "Removed link (A only)" in page
    assert "Added link (B only)" in page
    assert page.count("pf-legend pf-small") == 2


def test_unchanged_links_are_dimmed():
    r = hand_result()
    cmp = compare(hand_scenario("A"), hand_scenario("B"), lang="en", result_a=r, result_b=r)
    from parkflow.maps.elements import feature_data

    lines = [
        f
        for d in feature_data(cmp.to_html())
        if d["kind"] == "line" and "role" not in d
        for f in d["features"]
    ]
    assert len(lines) == 4
    assert all(f["style"]["opacity"] == 0.3 for f in lines)
    assert not any("under" in f for f in lines)
