"""Loading folders and workbooks (encodings, line endings, GCJ-02), saving and the round trip."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from conftest import TINY_FILES, write_scenario
from shapely.geometry import Polygon

from parkflow.errors import OutputError
from parkflow.geo import wgs84_to_gcj02
from parkflow.io import load_scenario, save_scenario, scenario_from_frames, summarise
from parkflow.models.compare import scenario_differences, scenarios_equal


def _hashes(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_tiny_scenario_is_canonical(tiny_scenario):
    sc = tiny_scenario
    assert sc.supplies.index.tolist() == ["S1", "S2", "S3", "S4"]
    assert sc.supplies["quantity"].tolist() == pytest.approx([20000.0, 5000.0, 28800.0, 89.9])
    assert sc.supplies["unit"].tolist() == ["t/a", "t/a", "GJ/a", "t/a"]
    assert sc.uses.loc["U2", "capacity"] == 8000.0
    # 10 kt in stock, at most 4,000 t/a drawn
    assert sc.stockpiles.loc["K1", ["quantity", "max_draw"]].tolist() == [10000.0, 4000.0]
    assert bool(sc.links.loc["L1", "existing"]) is True
    assert sc.enterprises.crs.to_epsg() == 4326
    assert sc.enterprises.index.name == "enterprise_id"
    # E3 has no city: taken from its park, which takes it from the other plants
    assert sc.enterprises.loc["E3", "city"] == "Chengdu"
    assert sc.parks.index.tolist() == ["P1"]
    assert sc.parks.geometry.iloc[0] is None
    target = sc.targets[0]
    assert "tailings" not in target.materials
    assert "fly_ash" in target.materials
    assert sc.settings.year == 2025
    assert sc.settings.coordinates == "wgs84"


def test_max_draw_is_filled_and_capped(tmp_path, tiny_files):
    tiny_files["stockpiles.csv"] = (
        "enterprise,material,quantity,unit,max_draw\nE1,fly_ash,10,kt,\nE1,fgd_gypsum,100,t,500\n"
    )
    sc = load_scenario(write_scenario(tmp_path / "s", tiny_files))
    assert sc.stockpiles["max_draw"].tolist() == [10000.0, 100.0]


@pytest.mark.parametrize(
    ("encoding", "newline"),
    [
        ("utf-8", "\n"),
        ("utf-8-sig", "\n"),
        ("gbk", "\n"),
        ("gbk", "\r\n"),
        ("utf-8-sig", "\r\n"),
    ],
)
def test_encodings_and_line_endings(tmp_path, encoding, newline):
    folder = write_scenario(tmp_path / "enc", encoding=encoding, newline=newline)
    sc = load_scenario(folder)
    assert sc.enterprises.loc["E2", "name"] == "水泥厂"
    assert sc.enterprises.columns[0] == "name"  # the BOM does not stick to the first header
    assert sc.supplies.loc["S1", "quantity"] == 20000.0


def test_loading_never_changes_the_input(tiny_scenario_dir, tmp_path):
    before = _hashes(tiny_scenario_dir)
    load_scenario(tiny_scenario_dir)
    assert _hashes(tiny_scenario_dir) == before
    book = tmp_path / "b.xlsx"
    save_scenario(load_scenario(tiny_scenario_dir), book)
    digest = hashlib.sha256(book.read_bytes()).hexdigest()
    load_scenario(book)
    assert hashlib.sha256(book.read_bytes()).hexdigest() == digest


def test_gcj02_coordinates_are_converted(tmp_path, tiny_files):
    g_lon, g_lat = wgs84_to_gcj02([104.0, 104.05, 104.02], [30.60, 30.62, 30.65])
    rows = ["id,name,park,sector,lon,lat,city"] + [
        f"E{k + 1},n{k},P1,s,{float(g_lon[k])!r},{float(g_lat[k])!r},Chengdu" for k in range(3)
    ]
    tiny_files["enterprises.csv"] = "\n".join(rows) + "\n"
    tiny_files["scenario.yaml"] += "coordinates: gcj02\n"
    tiny_files["scenario.yaml"] = tiny_files["scenario.yaml"].replace("coordinates: wgs84\n", "")
    sc = load_scenario(write_scenario(tmp_path / "g", tiny_files))
    assert sc.settings.coordinates == "wgs84"
    np.testing.assert_allclose(sc.enterprises["lon"], [104.0, 104.05, 104.02], atol=1e-7)
    np.testing.assert_allclose(sc.enterprises["lat"], [30.60, 30.62, 30.65], atol=1e-7)
    assert sc.enterprises.geometry.iloc[0].x == pytest.approx(104.0, abs=1e-7)


def test_parks_geojson_gives_names_and_cities(tmp_path, tiny_files):
    ring = [[103.9, 30.5], [104.1, 30.5], [104.1, 30.7], [103.9, 30.7], [103.9, 30.5]]
    tiny_files["parks.geojson"] = json.dumps(
        {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "properties": {
                        "id": "P1",
                        "name": "青白江园区",
                        "level": "national",
                        "city": "成都",
                    },
                    "geometry": {"type": "Polygon", "coordinates": [ring]},
                }
            ],
        },
        ensure_ascii=False,
    )
    tiny_files["enterprises.csv"] = tiny_files["enterprises.csv"].replace(",Chengdu\n", ",\n")
    sc = load_scenario(write_scenario(tmp_path / "p", tiny_files))
    assert sc.parks.loc["P1", "name"] == "青白江园区"
    assert sc.parks.geometry.iloc[0].contains(sc.enterprises.geometry.iloc[0])
    assert sc.enterprises["city"].tolist() == ["成都"] * 3
    assert "P1 (青白江园区): 3" in summarise(sc)


def test_targets_expand_groups_categories_and_exclusions(tmp_path, tiny_files):
    tiny_files["scenario.yaml"] = (
        "name: t\ntargets:\n"
        "  - {id: gypsum, materials: byproduct_gypsum, exclude: [phosphogypsum], rate: 0.5}\n"
        "  - {id: two, materials: [fly_ash, steel_slag], rate: 0.9, scope: each_park}\n"
        "  - {id: no-slag, materials: bulk_solid_waste, exclude: [tailings, smelting_slag], "
        "rate: 0.7, scope: 'city:Chengdu'}\n"
    )
    sc = load_scenario(write_scenario(tmp_path / "t", tiny_files))
    t1, t2, t3 = sc.targets
    assert t1.materials == ("titanium_gypsum", "fgd_gypsum")
    assert t2.materials == ("fly_ash", "steel_slag")
    assert t2.scope == "each_park"
    # + bottom_ash (炉渣) and lithium_slag (锂渣), new bulk categories of the catalogue
    assert set(t3.materials) == {
        "coal_gangue",
        "fly_ash",
        "phosphogypsum",
        "titanium_gypsum",
        "fgd_gypsum",
        "red_mud",
        "carbide_slag",
        "bottom_ash",
        "lithium_slag",
    }
    assert t3.exclude == ("tailings", "smelting_slag")


def test_default_target_is_bulk_2025(tmp_path, tiny_files):
    tiny_files["scenario.yaml"] = "name: bare\n"
    sc = load_scenario(write_scenario(tmp_path / "d", tiny_files))
    (t,) = sc.targets
    assert (t.id, t.rate, t.scope, t.exclude) == ("bulk-2025", 0.78, "all", ("tailings",))
    # 10 → 15 bulk materials: 炉渣, 锂渣, 磷渣, 锰渣 and non-ferrous slag joined the catalogue
    assert len(t.materials) == 15
    assert "tailings" not in t.materials


def test_mode_overrides_reach_the_catalogue(tmp_path, tiny_files):
    tiny_files["scenario.yaml"] += "modes:\n  truck: {cost_cny_per_tkm: 0.5}\n"
    sc = load_scenario(write_scenario(tmp_path / "m", tiny_files))
    assert sc.catalogue.modes.loc["truck", "cost_cny_per_tkm"] == 0.5
    assert sc.mode_overrides == {"truck": {"cost_cny_per_tkm": 0.5}}


def test_extra_columns_and_yaml_keys_are_kept(tmp_path, tiny_files):
    tiny_files["supplies.csv"] = (
        tiny_files["supplies.csv"]
        .replace("purity\n", "purity,note\n")
        .replace("\nE1,fly_ash,2,万t/a,,", "\nE1,fly_ash,2,万t/a,,,ash")
    )
    tiny_files["scenario.yaml"] += "owner: planning bureau\n"
    sc = load_scenario(write_scenario(tmp_path / "x", tiny_files))
    assert sc.supplies.columns[-1] == "note"
    assert sc.supplies.loc["S1", "note"] == "ash"
    assert sc.settings.extra == {"owner": "planning bureau"}


@pytest.mark.parametrize("suffix", ["", ".xlsx"])
def test_save_then_load_is_equal(tmp_path, tiny_files, suffix):
    tiny_files["scenario.yaml"] += (
        "modes:\n  truck: {cost_cny_per_tkm: 0.5}\n"
        "solver: {name: scip, time_limit_s: 30}\nowner: x\n"
    )
    tiny_files["routes.csv"] = "id,value_cny_per_unit\nbricks,33\n"
    tiny_files["parks.geojson"] = json.dumps(
        {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "properties": {"id": "P1", "name": "园区", "level": "provincial"},
                    "geometry": {
                        "type": "Polygon",
                        "coordinates": [
                            [[103.9, 30.5], [104.1, 30.5], [104.1, 30.7], [103.9, 30.5]]
                        ],
                    },
                }
            ],
        }
    )
    original = load_scenario(write_scenario(tmp_path / "in", tiny_files))
    assert original.catalogue.routes.loc["bricks", "value_cny_per_unit"] == 33.0
    out = tmp_path / f"out{suffix}"
    save_scenario(original, out)
    again = load_scenario(out)
    assert scenario_differences(original, again) == []
    assert again.source == out
    assert not scenarios_equal(original, again, check_source=True)


def test_xlsx_input_written_by_hand(tmp_path):
    book = tmp_path / "park.xlsx"
    with pd.ExcelWriter(book) as writer:
        pd.DataFrame(
            {
                "key": ["name", "operating_hours", "targets"],
                "value": ["xl", 7000, "[{id: a, materials: fly_ash, rate: 0.5}]"],
            }
        ).to_excel(writer, sheet_name="scenario", index=False)
        pd.DataFrame(
            {
                "id": ["A", "B"],
                "name": ["a", "b"],
                "park": ["P", "P"],
                "sector": ["power", "cement"],
                "lon": [104.0, 104.1],
                "lat": [30.6, 30.6],
            }
        ).to_excel(writer, sheet_name="enterprises", index=False)
        pd.DataFrame(
            {
                "enterprise": ["A", "A"],
                "material": ["fly_ash", "waste_heat"],
                "quantity": [1.5, 2],
                "unit": ["万t/a", "MW"],
            }
        ).to_excel(writer, sheet_name="supplies", index=False)
        pd.DataFrame(
            {"enterprise": ["B"], "route": ["bricks"], "capacity": [100], "unit": ["t/a"]}
        ).to_excel(writer, sheet_name="uses", index=False)
        pd.DataFrame(
            {
                "id": ["P"],
                "name": ["园"],
                "level": ["municipal"],
                "city": ["Leshan"],
                "geometry": ["POLYGON ((103.9 30.5, 104.2 30.5, 104.2 30.7, 103.9 30.5))"],
            }
        ).to_excel(writer, sheet_name="parks", index=False)
    sc = load_scenario(book)
    assert sc.supplies["quantity"].tolist() == [15000.0, 2 * 3.6 * 7000]
    assert sc.targets[0].materials == ("fly_ash",)
    assert sc.enterprises["city"].tolist() == ["Leshan", "Leshan"]
    assert sc.parks.geometry.iloc[0].area > 0


def test_save_refuses_to_write_over_its_source(tiny_scenario, tiny_scenario_dir):
    before = _hashes(tiny_scenario_dir)
    with pytest.raises(OutputError):
        save_scenario(tiny_scenario, tiny_scenario_dir)
    with pytest.raises(OutputError):
        save_scenario(tiny_scenario, tiny_scenario_dir / "inside")
    assert _hashes(tiny_scenario_dir) == before


def test_scenario_from_frames_accepts_scenario_tables(tiny_scenario):
    sc = tiny_scenario
    parks = gpd.GeoDataFrame(
        {"id": ["P1"], "name": ["p"], "level": ["national"]},
        geometry=[Polygon([(103, 30), (105, 30), (105, 31)])],
        crs="EPSG:4326",
    )
    again = scenario_from_frames(
        sc.name,
        sc.enterprises,
        sc.supplies,
        sc.uses,
        stockpiles=sc.stockpiles,
        links=sc.links,
        parks=parks,
        targets=[{"id": "a", "materials": "fly_ash", "rate": 0.5}],
        description="d",
        objective="co2",
    )
    assert again.supplies.equals(sc.supplies)
    assert again.settings.objective == "co2"
    assert again.targets[0].materials == ("fly_ash",)
    assert again.parks.loc["P1", "level"] == "national"


def _bundled() -> list[str]:
    from parkflow.io.bundled import bundled_scenarios

    return bundled_scenarios()


@pytest.mark.parametrize("name", _bundled())
def test_every_bundled_scenario_loads_and_round_trips(tmp_path, name):
    from parkflow.io.bundled import bundled_scenario_path

    sc = load_scenario(bundled_scenario_path(name))
    assert (sc.stockpiles["max_draw"] <= sc.stockpiles["quantity"]).all()
    save_scenario(sc, tmp_path / "copy")
    assert load_scenario(tmp_path / "copy").equals(sc)


def test_tiny_files_are_not_mutated():
    assert "2,万t/a" in TINY_FILES["supplies.csv"]


def test_cli_scenarios_lists_the_bundled_ones(capsys):
    from parkflow.cli import main
    from parkflow.io.bundled import bundled_scenarios

    assert main(["scenarios"]) == 0
    out = capsys.readouterr().out
    for name in bundled_scenarios():
        assert name in out
    assert "leshan-wutongqiao" in out
    assert "22" in out
