"""The built-in catalogue: contents, sources, overrides and the `parkflow catalogue` command."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from parkflow.catalogue import (
    CATALOGUE_COLUMNS,
    GRID_CO2_T_PER_MWH,
    TABLES,
    TCE_PER_GJ,
    builtin_catalogue,
    catalogue_table,
    load_catalogue,
    suggest,
)
from parkflow.cli import main
from parkflow.errors import ScenarioError
from parkflow.models.scenario import Catalogue

SPEC_MATERIALS = {
    "coal_gangue",
    "fly_ash",
    "tailings",
    "steel_slag",
    "bf_slag",
    "vti_slag",
    "phosphogypsum",
    "titanium_gypsum",
    "fgd_gypsum",
    "red_mud",
    "carbide_slag",
    "waste_heat",
    "hydrogen",
}
SPEC_CATEGORIES = {
    "coal_gangue",
    "fly_ash",
    "tailings",
    "smelting_slag",
    "byproduct_gypsum",
    "red_mud",
    "chemical_residue",
    "waste_heat",
    "hydrogen",
}
SPEC_ROUTES = {
    "cement_retarder",
    "cement_admixture",
    "gypsum_board",
    "road_base",
    "mine_backfill",
    "bricks",
    "cement_raw_meal",
    "sinter_feed",
    "soil_conditioner",
    "hydrogen_feedstock",
    "fuel_cell_hydrogen",
    "district_heating",
    "process_steam",
    "orc_power",
}
NEW_BULK = {"bottom_ash", "lithium_slag", "phosphorus_slag", "manganese_residue", "nonferrous_slag"}
SPEC_MODES = {"truck", "rail", "steam_pipe", "hot_water_pipe", "hydrogen_pipeline", "tube_trailer"}


@pytest.fixture(scope="module")
def cat() -> Catalogue:
    return builtin_catalogue()


# ---------------------------------------------------------------- contents


def test_spec_ids_present(cat):
    assert set(cat.materials.index) >= SPEC_MATERIALS
    assert set(cat.categories.index) >= SPEC_CATEGORIES
    assert set(cat.routes.index) >= SPEC_ROUTES
    assert set(cat.modes.index) >= SPEC_MODES


def test_index_names_and_declared_columns(cat):
    names = {
        "materials": "material_id",
        "categories": "category_id",
        "routes": "route_id",
        "modes": "mode_id",
    }
    for table in TABLES:
        df = getattr(cat, table)
        assert df.index.name == names[table]
        assert df.index.is_unique
        assert list(df.columns) == list(CATALOGUE_COLUMNS[table])


@pytest.mark.parametrize("table", TABLES)
def test_every_row_has_a_url_or_an_estimate(cat, table):
    df = getattr(cat, table)
    for column in [c for c in df.columns if c.endswith("source")]:
        text = df[column].str.strip()
        ok = (
            text.str.startswith("http")
            | text.str.contains("estimate:")
            | text.str.contains("derived:")
            | text.str.contains("doi ")
        )
        assert ok.all(), f"{table}.{column} lacks a source: {list(df.index[~ok])}"
    assert (df["source"].str.len() > 0).all()


def test_sichuan_bulk_scope_and_tailings(cat):
    m = cat.materials
    assert m.loc["tailings", "is_tailings"]
    assert m["is_tailings"].sum() == 1
    bulk = set(cat.group_members("bulk_solid_waste"))
    # the streams Sichuan's statistics and plans name were added (docs/catalogue.md): 炉渣, 锂渣,
    # 磷渣, 锰渣, non-ferrous slag; zinc leach residue is hazardous, outside the bulk target
    assert bulk == SPEC_MATERIALS - {"waste_heat", "hydrogen"} | NEW_BULK
    assert "zinc_leach_residue" not in bulk
    assert set(cat.group_members("smelting_slag")) == {
        "steel_slag",
        "bf_slag",
        "vti_slag",
        "phosphorus_slag",
        "manganese_residue",
        "nonferrous_slag",
    }
    assert set(cat.group_members("byproduct_gypsum")) == {
        "phosphogypsum",
        "titanium_gypsum",
        "fgd_gypsum",
    }
    assert set(m["category"]) <= set(cat.categories.index)
    assert cat.categories.loc["smelting_slag", "name_zh"] == "冶炼废渣"
    assert cat.categories.loc["byproduct_gypsum", "name_zh"] == "工业副产石膏"


def test_units_and_kinds(cat):
    m = cat.materials
    assert m.loc["waste_heat", "canonical_unit"] == "GJ/a"
    assert m.loc["waste_heat", "kind"] == "heat"
    assert m.loc["hydrogen", "kind"] == "hydrogen"
    assert m.loc["hydrogen", "density_kg_per_nm3"] == pytest.approx(0.0899)
    assert (m.loc[m["kind"] == "solid", "canonical_unit"] == "t/a").all()


def test_environmental_protection_tax(cat):
    tax = cat.materials["env_tax_cny_per_t"]
    assert tax["coal_gangue"] == 5
    assert tax["tailings"] == 15
    assert tax[["fly_ash", "steel_slag", "bf_slag", "phosphogypsum", "red_mud"]].eq(25).all()
    assert tax["waste_heat"] == 0
    assert tax["hydrogen"] == 0


def test_numbers_finite_and_signed_right(cat):
    modes = cat.modes
    money = [
        "cost_cny_per_tkm",
        "handling_cny_per_t",
        "fixed_cny_per_a",
        "fixed_cny_per_km_a",
        "co2_t_per_tkm",
        "reach_km",
        "loss_per_km",
    ]
    values = modes[money].to_numpy()
    assert np.isfinite(values).all()
    assert (values >= 0).all()
    assert (modes["detour"] >= 1).all()
    assert (modes["loss_per_km"] < 0.1).all()
    routes = cat.routes
    assert np.isfinite(routes[["value_cny_per_unit", "co2_avoided_t_per_unit"]].to_numpy()).all()
    assert (routes["co2_avoided_t_per_unit"] >= 0).all()
    assert np.isfinite(cat.materials["env_tax_cny_per_t"]).all()
    assert (cat.materials["env_tax_cny_per_t"] >= 0).all()


def test_route_rules_follow_domain(cat):
    r = cat.routes
    assert all(isinstance(a, tuple) for a in r["accepts"])
    known = set(cat.materials.index)
    assert all(set(a) <= known for a in r["accepts"])
    # GB 175-2023: steel slag (and high-Ti slag) are not cement components
    assert "steel_slag" not in r.loc["cement_admixture", "accepts"]
    assert "vti_slag" not in r.loc["cement_admixture", "accepts"]
    for route in ("cement_retarder", "gypsum_board"):
        assert set(r.loc[route, "accepts"]) == {"phosphogypsum", "titanium_gypsum", "fgd_gypsum"}
    heat = ["district_heating", "process_steam", "orc_power"]
    assert all(r.loc[h, "accepts"] == ("waste_heat",) for h in heat)
    assert r.loc[heat, ["min_temperature_c", "delta_t_c"]].notna().all().all()
    # steam needs hotter heat than hot water
    assert (
        r.loc["process_steam", "min_temperature_c"] > r.loc["district_heating", "min_temperature_c"]
    )
    assert r.loc["fuel_cell_hydrogen", "min_purity"] == pytest.approx(0.9997)
    assert r.loc["fuel_cell_hydrogen", "purification_cny_per_unit"] > 0
    # solid routes carry no temperature or purity rule
    solid = r.index[r["accepts"].map(lambda a: "waste_heat" not in a and "hydrogen" not in a)]
    assert r.loc[solid, ["min_temperature_c", "min_purity"]].isna().all().all()


def test_orc_power_uses_sichuan_grid_factor(cat):
    row = cat.routes.loc["orc_power"]
    # 10 % heat-to-power: 1 GJ -> 27.8 kWh; times 0.1564 kg/kWh = 0.00435 t/GJ
    assert row["co2_avoided_t_per_unit"] == pytest.approx(
        27.8 * GRID_CO2_T_PER_MWH["sichuan"] / 1000, rel=0.01
    )
    assert "0.5306" in row["co2_source"]
    assert GRID_CO2_T_PER_MWH == {"sichuan": 0.1564, "national": 0.5306}
    assert pytest.approx(1 / 29.3076, rel=1e-4) == TCE_PER_GJ


def test_modes_carry_kinds_and_reach(cat):
    m = cat.modes
    assert m.loc["truck", "carries"] == ("solid",)
    assert m.loc["steam_pipe", "carries"] == ("heat",)
    assert m.loc["tube_trailer", "carries"] == ("hydrogen",)
    assert m.loc["steam_pipe", "reach_km"] == 10
    assert m.loc["hot_water_pipe", "reach_km"] == 20
    pipes = ["steam_pipe", "hot_water_pipe", "hydrogen_pipeline"]
    assert (m.loc[pipes, "loss_per_km"] > 0).all()
    assert (m.loc[["truck", "rail", "tube_trailer"], "loss_per_km"] == 0).all()
    assert (m.loc[pipes, "fixed_cny_per_km_a"] > 0).all()
    assert m.loc["rail", "co2_t_per_tkm"] < m.loc["truck", "co2_t_per_tkm"]


def test_builtin_returns_independent_copies():
    a = builtin_catalogue()
    a.modes.loc["truck", "cost_cny_per_tkm"] = 99.0
    assert builtin_catalogue().modes.loc["truck", "cost_cny_per_tkm"] == pytest.approx(0.45)
    assert load_catalogue().modes.loc["truck", "cost_cny_per_tkm"] == pytest.approx(0.45)


# ---------------------------------------------------------------- overrides


def test_override_replaces_given_columns_and_adds_rows():
    materials = pd.DataFrame(
        {
            "id": ["fly_ash", "sludge"],
            "env_tax_cny_per_t": ["30", ""],
            "category": ["", "sludge"],
            "kind": ["", "solid"],
        }
    )
    routes = pd.DataFrame(
        {
            "id": ["cement_admixture", "sludge_kiln"],
            "value_cny_per_unit": [150.0, -40.0],
            "accepts": [None, "sludge; fly_ash"],
        }
    )
    cat = load_catalogue(materials=materials, routes=routes)
    m = cat.materials
    assert m.loc["fly_ash", "env_tax_cny_per_t"] == 30
    assert m.loc["fly_ash", "name_zh"] == "粉煤灰"  # blank cells keep the built-in value
    assert m.loc["fly_ash", "category"] == "fly_ash"
    assert "scenario override" in m.loc["fly_ash", "source"]
    assert m.loc["sludge", "env_tax_cny_per_t"] == 25  # "other solid waste" default
    assert m.loc["sludge", "canonical_unit"] == "t/a"
    assert "sludge" in cat.categories.index  # a clearly new category is added
    r = cat.routes
    assert r.loc["cement_admixture", "value_cny_per_unit"] == 150
    # bottom ash (炉渣) is a GB 175 pozzolanic component, added to the built-in route
    assert r.loc["cement_admixture", "accepts"] == ("fly_ash", "bf_slag", "bottom_ash")
    assert r.loc["sludge_kiln", "accepts"] == ("sludge", "fly_ash")
    assert r.loc["sludge_kiln", "value_cny_per_unit"] == -40
    assert r["value_cny_per_unit"].dtype == np.float64
    assert len(r) == len(builtin_catalogue().routes) + 1


def test_override_with_indexed_frame():
    routes = pd.DataFrame(
        {"value_cny_per_unit": [1.0]}, index=pd.Index(["bricks"], name="route_id")
    )
    assert load_catalogue(routes=routes).routes.loc["bricks", "value_cny_per_unit"] == 1.0


def test_mode_overrides_from_yaml():
    cat = load_catalogue(
        mode_overrides={
            "truck": {"cost_cny_per_tkm": 0.5, "reach_km": 100},
            "barge": {"carries": ["solid"], "cost_cny_per_tkm": 0.05, "reach_km": 300},
        }
    )
    m = cat.modes
    assert m.loc["truck", "cost_cny_per_tkm"] == 0.5
    assert m.loc["truck", "reach_km"] == 100
    assert m.loc["truck", "handling_cny_per_t"] == 15  # untouched
    assert m.loc["barge", "carries"] == ("solid",)
    assert m.loc["barge", "detour"] == 1.0
    assert m.loc["barge", "loss_per_km"] == 0.0


def test_negative_cost_in_yaml_names_file_and_setting():
    with pytest.raises(ScenarioError) as info:
        load_catalogue(mode_overrides={"truck": {"cost_cny_per_tkm": -1}})
    (problem,) = info.value.problems
    assert problem.file == "scenario.yaml"
    assert problem.column == "modes.truck.cost_cny_per_tkm"
    assert "must be >= 0" in problem.message


def test_unknown_yaml_setting_suggests():
    with pytest.raises(ScenarioError, match=r"did you mean 'reach_km'"):
        load_catalogue(mode_overrides={"truck": {"reachkm": 100}})


def test_bad_values_name_row_and_column():
    materials = pd.DataFrame(
        {
            "id": ["fly_ash", "coal_gangue"],
            "env_tax_cny_per_t": ["25", "abc"],
            "is_tailings": ["no", "maybe"],
        }
    )
    with pytest.raises(ScenarioError) as info:
        load_catalogue(materials=materials)
    where = {(p.file, p.row, p.column) for p in info.value.problems}
    assert where == {("materials.csv", 3, "env_tax_cny_per_t"), ("materials.csv", 3, "is_tailings")}
    assert "'abc' is not a number" in str(info.value)


def test_route_accepting_unknown_material_suggests_nearest():
    routes = pd.DataFrame({"id": ["pg_plaster"], "accepts": ["phosphogypsm"]})
    with pytest.raises(ScenarioError) as info:
        load_catalogue(routes=routes)
    (problem,) = info.value.problems
    assert (problem.file, problem.row, problem.column) == ("routes.csv", 2, "accepts")
    assert "did you mean 'phosphogypsum'" in problem.message


@pytest.mark.parametrize(
    ("column", "value", "needle"),
    [
        ("loss_per_km", 1.0, "must be < 1"),
        ("detour", 0.9, "must be >= 1"),
        ("carries", "plasma", "unknown kind 'plasma'"),
        ("handling_cny_per_t", math.inf, "not finite"),
    ],
)
def test_mode_table_range_checks(column, value, needle):
    modes = pd.DataFrame({"id": ["truck"], column: [value]})
    with pytest.raises(ScenarioError, match=needle) as info:
        load_catalogue(modes=modes)
    assert info.value.problems[0].file == "modes.csv"


def test_new_route_needs_accepts():
    with pytest.raises(ScenarioError, match="new route 'birck' has no accepts.*'bricks'"):
        load_catalogue(routes=pd.DataFrame({"id": ["birck"], "value_cny_per_unit": [5]}))


def test_near_miss_category_is_an_error():
    materials = pd.DataFrame({"id": ["slag2"], "category": ["smelting_slags"], "kind": ["solid"]})
    with pytest.raises(ScenarioError, match="did you mean 'smelting_slag'"):
        load_catalogue(materials=materials)


def test_heat_unit_must_match_kind():
    materials = pd.DataFrame({"id": ["waste_heat"], "canonical_unit": ["t/a"]})
    with pytest.raises(ScenarioError, match="does not fit kind 'heat'"):
        load_catalogue(materials=materials)


def test_suggest():
    assert suggest("tailing", ["tailings", "fly_ash"]) == " (did you mean 'tailings'?)"
    assert suggest("qqqq", ["tailings"]) == ""


# ---------------------------------------------------------------- display and command


def test_catalogue_table_languages(cat):
    zh = catalogue_table(cat, "routes", lang="zh")
    assert zh.loc["cement_retarder", "名称"] == "水泥缓凝剂"
    accepts = zh.loc["cement_retarder", "可接收物料"]
    assert accepts == "phosphogypsum; titanium_gypsum; fgd_gypsum"
    en = catalogue_table(cat, "materials", lang="en")
    assert en.loc["vti_slag", "name"].startswith("titanium-bearing")
    with pytest.raises(ValueError, match="unknown catalogue table"):
        catalogue_table(cat, "nope")


def test_command_prints_chinese_names(capsys):
    assert main(["catalogue", "--lang", "zh"]) == 0
    out = capsys.readouterr().out
    for name in ("磷石膏", "钛石膏", "冶炼废渣", "燃料电池用氢", "蒸汽管网"):
        assert name in out


def test_command_csv_has_sources(capsys):
    assert main(["catalogue", "--table", "routes", "--format", "csv"]) == 0
    out = capsys.readouterr().out
    lines = out.strip().splitlines()
    assert lines[0].startswith("route_id,name_zh,name_en,accepts")
    assert "cement_retarder" in out
    assert "0.5306" in out


def test_unknown_kind_is_an_error():
    materials = pd.DataFrame({"id": ["steam"], "category": ["waste_heat"], "kind": ["heats"]})
    with pytest.raises(ScenarioError, match="kind 'heats' is not one of.*did you mean 'heat'"):
        load_catalogue(materials=materials)


def test_route_modes_are_tuples_and_can_be_overridden():
    cat = builtin_catalogue()
    assert cat.routes.loc["process_steam", "modes"] == ("steam_pipe",)
    assert set(cat.routes.loc["district_heating", "modes"]) == {"hot_water_pipe", "steam_pipe"}
    assert cat.routes.loc["bricks", "modes"] == ()
    routes = pd.DataFrame(
        {"id": ["bricks", "slag_wool"], "modes": ["rail", ""], "accepts": ["", "bf_slag"]}
    )
    got = load_catalogue(routes=routes).routes
    assert got.loc["bricks", "modes"] == ("rail",)
    assert got.loc["bricks", "accepts"] == cat.routes.loc["bricks", "accepts"]  # blank: kept
    assert got.loc["slag_wool", "modes"] == ()  # new route without modes: any mode
    # a route override does not disturb the scenario.yaml mode overrides
    both = load_catalogue(routes=routes, mode_overrides={"rail": {"reach_km": 300}})
    assert both.modes.loc["rail", "reach_km"] == 300.0
    assert both.routes.loc["bricks", "modes"] == ("rail",)


def test_route_modes_must_exist_and_carry_the_route_kind():
    routes = pd.DataFrame({"id": ["bricks", "process_steam"], "modes": ["rial", "truck"]})
    with pytest.raises(ScenarioError) as err:
        load_catalogue(routes=routes)
    problems = err.value.problems
    assert [(p.file, p.row, p.column) for p in problems] == [
        ("routes.csv", 2, "modes"),
        ("routes.csv", 3, "modes"),
    ]
    assert "unknown mode 'rial' (did you mean 'rail'?)" in problems[0].message
    assert "mode 'truck' carries solid, not heat" in problems[1].message


def test_override_table_with_chinese_headers(tmp_path):
    """A catalogue table shown in Chinese (catalogue_table(..., lang='zh')) reads back as an
    override: headers are the schema's aliases."""
    routes = pd.DataFrame({"利用途径编号": ["cement_admixture"], "价值(元/单位)": ["150"]})
    cat = load_catalogue(routes=routes)
    assert cat.routes.loc["cement_admixture", "value_cny_per_unit"] == 150.0
