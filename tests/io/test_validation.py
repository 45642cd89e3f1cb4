"""Every validation rule fires, with file, spreadsheet row, column and a fix; all are collected."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest
from conftest import TINY_FILES, write_scenario

from parkflow.cli import main
from parkflow.errors import ParkflowWarning, ScenarioError
from parkflow.io import load_scenario, save_scenario, scenario_from_frames, validate


def edited(tmp_path: Path, **changes: str | None) -> Path:
    """The tiny scenario with some files replaced (text) or removed (None)."""
    files = dict(TINY_FILES)
    for key, text in changes.items():
        name = key.replace("_csv", ".csv").replace("_yaml", ".yaml")
        if text is None:
            files.pop(name)
        else:
            files[name] = text
    return write_scenario(tmp_path / "sc", files)


def replace(file: str, old: str, new: str) -> str:
    text = TINY_FILES[file]
    assert old in text
    return text.replace(old, new)


def find(problems, file, row=None, column=None, contains=""):
    """The one problem at (file, row, column) whose message holds ``contains``."""
    hits = [
        p
        for p in problems
        if p.file == file and p.row == row and p.column == column and contains in p.message
    ]
    assert hits, "no such problem; got:\n" + "\n".join(str(p) for p in problems)
    assert hits[0].fix, "every problem says how to fix it"
    return hits[0]


def check(path, file, row, column, contains):
    scenario, problems = validate(path)
    assert scenario is None
    return find(problems, file, row, column, contains)


def test_the_tiny_scenario_is_valid(tiny_scenario_dir):
    scenario, problems = validate(tiny_scenario_dir)
    assert problems == []
    assert len(scenario.enterprises) == 3


def test_missing_file(tmp_path):
    check(edited(tmp_path, uses_csv=None), "uses.csv", None, None, "missing file")


def test_missing_scenario_yaml(tmp_path):
    check(edited(tmp_path, scenario_yaml=None), "scenario.yaml", None, None, "missing file")


def test_missing_folder(tmp_path):
    _, problems = validate(tmp_path / "nowhere")
    assert "no such file or folder" in problems[0].message


def test_missing_required_column(tmp_path):
    path = edited(tmp_path, supplies_csv=replace("supplies.csv", "quantity,", "qty,"))
    p = check(path, "supplies.csv", None, "quantity", "missing required column 'quantity'")
    assert "add a column 'quantity'" in p.fix


def test_empty_table(tmp_path):
    path = edited(tmp_path, supplies_csv="enterprise,material,quantity,unit\n")
    check(path, "supplies.csv", None, None, "the table is empty")


def test_malformed_yaml_names_the_line(tmp_path):
    bad = "name: tiny\ntargets:\n  - id: a\n   rate: [0.78\n"
    p = check(
        edited(tmp_path, scenario_yaml=bad),
        "scenario.yaml",
        4,
        None,
        "the YAML cannot be read at line 4",
    )
    assert "indentation" in p.fix


def test_missing_name(tmp_path):
    path = edited(tmp_path, scenario_yaml=replace("scenario.yaml", "name: tiny park\n", ""))
    check(path, "scenario.yaml", None, "name", "no name")


def test_duplicate_id(tmp_path):
    path = edited(tmp_path, enterprises_csv=replace("enterprises.csv", "E3,", "E2,"))
    check(
        path, "enterprises.csv", 4, "id", "duplicate id: enterprise 'E2' already appears in row 3"
    )


def test_supply_of_an_unknown_enterprise(tmp_path):
    path = edited(tmp_path, supplies_csv=replace("supplies.csv", "E3,hydrogen", "E9,hydrogen"))
    check(
        path,
        "supplies.csv",
        5,
        "enterprise",
        "supply 'S4': enterprise 'E9' is not in enterprises.csv",
    )


def test_link_to_an_unknown_enterprise(tmp_path):
    path = edited(tmp_path, links_csv=replace("links.csv", "E1,E2,", "E1,E7,"))
    check(path, "links.csv", 2, "to", "link 'L1': enterprise 'E7' is not in enterprises.csv")


def test_park_scope_naming_an_unknown_park(tmp_path):
    path = edited(tmp_path, scenario_yaml=replace("scenario.yaml", "scope: all", "scope: park:P2"))
    check(path, "scenario.yaml", None, "targets[1].scope", "unknown park 'P2'")


def test_city_scope_naming_an_unknown_city(tmp_path):
    path = edited(
        tmp_path, scenario_yaml=replace("scenario.yaml", "scope: all", "scope: city:Chengdou")
    )
    p = check(path, "scenario.yaml", None, "targets[1].scope", "city 'Chengdou'")
    assert "did you mean 'Chengdu'" in p.message


def test_unknown_material_suggests_the_nearest(tmp_path):
    path = edited(tmp_path, supplies_csv=replace("supplies.csv", "fly_ash", "flyash"))
    p = check(path, "supplies.csv", 2, "material", "material 'flyash' is not in")
    assert "did you mean 'fly_ash'?" in p.message


def test_unknown_route_and_mode(tmp_path):
    path = edited(
        tmp_path,
        uses_csv=replace("uses.csv", "cement_retarder", "cement_retardr"),
        links_csv=replace("links.csv", "truck", "truk"),
    )
    _, problems = validate(path)
    p = find(problems, "uses.csv", 3, "route", "route 'cement_retardr'")
    assert "did you mean 'cement_retarder'?" in p.message
    p = find(problems, "links.csv", 2, "mode", "mode 'truk'")
    assert "did you mean 'truck'?" in p.message


def test_unit_that_does_not_fit_the_material(tmp_path):
    path = edited(tmp_path, supplies_csv=replace("supplies.csv", "5000,t/a", "5000,GJ/a"))
    p = check(path, "supplies.csv", 3, "unit", "unit 'GJ/a' does not fit material 'fgd_gypsum'")
    assert "t/a" in p.fix
    path = edited(tmp_path, uses_csv=replace("uses.csv", "20000,GJ/a", "20000,t/a"))
    check(path, "uses.csv", 4, "unit", "unit 't/a' does not fit route 'process_steam' (heat")


def test_unknown_unit(tmp_path):
    path = edited(tmp_path, supplies_csv=replace("supplies.csv", "5000,t/a", "5000,furlong"))
    check(path, "supplies.csv", 3, "unit", "unknown unit 'furlong'")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("lots", "quantity 'lots' is not a number"),
        ("", "quantity is empty"),
        ("nan", "quantity is empty"),
        ("-5", "quantity -5 must be >= 0"),
        ("inf", "quantity inf is not finite"),
    ],
)
def test_bad_quantities(tmp_path, value, message):
    path = edited(tmp_path, supplies_csv=replace("supplies.csv", "5000,t/a", f"{value},t/a"))
    check(path, "supplies.csv", 3, "quantity", message)


def test_missing_coordinates(tmp_path):
    path = edited(tmp_path, enterprises_csv=replace("enterprises.csv", "104.05,30.62", "104.05,"))
    check(path, "enterprises.csv", 3, "lat", "enterprise 'E2': lat is empty")


def test_coordinates_outside_china(tmp_path):
    text = replace("enterprises.csv", "104.05,30.62", "2.35,48.85")
    path = edited(tmp_path, enterprises_csv=text)
    check(path, "enterprises.csv", 3, "lon", "is outside China")


def test_latitude_and_longitude_swapped(tmp_path):
    text = replace("enterprises.csv", "104.05,30.62", "30.62,104.05")
    path = edited(tmp_path, enterprises_csv=text)
    p = check(path, "enterprises.csv", 3, "lon", "look swapped")
    assert "swap" in p.fix


def test_link_whose_route_does_not_accept_its_material(tmp_path):
    path = edited(tmp_path, links_csv=replace("links.csv", "cement_admixture", "cement_retarder"))
    p = check(path, "links.csv", 2, "route", "route 'cement_retarder' does not accept fly_ash")
    assert "phosphogypsum" in p.fix


def test_target_rate_outside_0_1(tmp_path):
    path = edited(tmp_path, scenario_yaml=replace("scenario.yaml", "rate: 0.78", "rate: 78"))
    p = check(path, "scenario.yaml", None, "targets[1].rate", "rate 78 is outside 0-1")
    assert "0.78" in p.fix


def test_unknown_target_material(tmp_path):
    path = edited(
        tmp_path,
        scenario_yaml=replace(
            "scenario.yaml", "materials: bulk_solid_waste", "materials: bulk_solid_wast"
        ),
    )
    p = check(path, "scenario.yaml", None, "targets[1].materials", "'bulk_solid_wast'")
    assert "did you mean 'bulk_solid_waste'" in p.message


def test_unknown_objective_and_candidates(tmp_path):
    text = replace("scenario.yaml", "objective: cost", "objective: profit\ncandidates: everything")
    _, problems = validate(edited(tmp_path, scenario_yaml=text))
    find(problems, "scenario.yaml", None, "objective", "objective 'profit' is not one of")
    find(problems, "scenario.yaml", None, "candidates", "candidates 'everything'")


def test_stockpile_of_a_non_solid(tmp_path):
    text = "enterprise,material,quantity,unit\nE1,waste_heat,5,GJ\n"
    path = edited(tmp_path, stockpiles_csv=text)
    check(path, "stockpiles.csv", 2, "material", "waste_heat' is heat, not a solid")


def test_bad_mode_override_is_reported_against_scenario_yaml(tmp_path):
    text = TINY_FILES["scenario.yaml"] + "modes:\n  truck: {cost_cny_per_tkm: -1}\n"
    _, problems = validate(edited(tmp_path, scenario_yaml=text))
    assert any(p.file == "scenario.yaml" and "cost_cny_per_tkm" in str(p) for p in problems)


def test_every_problem_is_collected_at_once(tmp_path):
    path = edited(
        tmp_path,
        supplies_csv=replace("supplies.csv", "fly_ash", "flyash").replace("5000", "-1"),
        enterprises_csv=replace("enterprises.csv", "104.05,30.62", "30.62,104.05"),
        scenario_yaml=replace("scenario.yaml", "rate: 0.78", "rate: 2"),
    )
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    files = {(p.file, p.column) for p in info.value.problems}
    assert {
        ("supplies.csv", "material"),
        ("supplies.csv", "quantity"),
        ("enterprises.csv", "lon"),
        ("scenario.yaml", "targets[1].rate"),
    } <= files
    assert "4 problems" in str(info.value)


def test_workbook_problems_name_the_sheet(tmp_path, tiny_scenario):
    book = tmp_path / "book.xlsx"
    save_scenario(tiny_scenario, book)
    import openpyxl

    wb = openpyxl.load_workbook(book)
    ws = wb["supplies"]
    header = [c.value for c in ws[1]]
    ws.cell(row=3, column=header.index("material") + 1, value="flyash")
    wb.save(book)
    check(book, "book.xlsx[supplies]", 3, "material", "material 'flyash'")


def test_frames_problems_name_the_table():
    ent = pd.DataFrame(
        {
            "id": ["E1"],
            "name": ["a"],
            "park": ["P1"],
            "sector": ["x"],
            "lon": [104.0],
            "lat": [30.6],
        }
    )
    sup = pd.DataFrame(
        {"enterprise": ["E2"], "material": ["fly_ash"], "quantity": [1.0], "unit": ["t/a"]}
    )
    use = pd.DataFrame(
        {"enterprise": ["E1"], "route": ["bricks"], "capacity": [1.0], "unit": ["t/a"]}
    )
    with pytest.raises(ScenarioError) as info:
        scenario_from_frames("x", ent, sup, use)
    find(info.value.problems, "supplies", 2, "enterprise", "enterprise 'E2' is not in enterprises")


def _tree_hash(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_cli_validate_exits_2_lists_problems_and_writes_nothing(tmp_path, capsys):
    path = edited(tmp_path, supplies_csv=replace("supplies.csv", "fly_ash", "flyash"))
    before = _tree_hash(tmp_path)
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert "supplies.csv, row 2, column 'material'" in err
    assert "did you mean 'fly_ash'?" in err
    assert "fix:" in err
    assert "Traceback" not in err
    assert _tree_hash(tmp_path) == before


def test_cli_validate_clean_scenario_prints_summary(tiny_scenario_dir, capsys):
    assert main(["validate", str(tiny_scenario_dir)]) == 0
    out = capsys.readouterr().out
    assert "3 enterprises" in out
    assert "fly_ash: 1 supplies, 20,000 t/a" in out
    assert "waste_heat: 1 supplies, 28,800 GJ/a" in out


# links-table rows: the rules a hand link must meet (no row is dropped silently) -------------
def test_existing_link_from_a_plant_without_that_supply(tmp_path):
    path = edited(tmp_path, links_csv=replace("links.csv", "E1,E2,", "E3,E2,"))
    check(
        path,
        "links.csv",
        2,
        "from",
        "link 'L1': enterprise 'E3' has no supply or stockpile of fly_ash",
    )
    with pytest.raises(ScenarioError, match="has no supply or stockpile"):
        load_scenario(path)


def test_a_stockpile_alone_is_a_supply_for_a_link(tmp_path):
    supplies = replace("supplies.csv", "E1,fly_ash,2,万t/a,,\n", "")
    scenario, problems = validate(edited(tmp_path, supplies_csv=supplies))
    assert problems == []
    assert scenario.links.loc["L1", "from"] == "E1"


def test_link_to_a_plant_without_that_use(tmp_path):
    path = edited(tmp_path, links_csv=replace("links.csv", "E1,E2,", "E1,E3,"))
    check(path, "links.csv", 2, "to", "enterprise 'E3' has no use on route 'cement_admixture'")


HEAT_LINK = "E1,E3,waste_heat,process_steam,{mode},false\n"


def test_link_heat_too_cool_for_the_route(tmp_path):
    # 180 °C < process steam's 180 °C minimum + 20 K approach
    links = TINY_FILES["links.csv"] + HEAT_LINK.format(mode="steam_pipe")
    p = check(edited(tmp_path, links_csv=links), "links.csv", 3, "route", "too cool")
    assert "180 °C" in p.message
    assert "needs ≥ 200 °C (minimum 180 + ΔT 20)" in p.message


def test_link_heat_hot_enough_is_valid(tmp_path):
    links = TINY_FILES["links.csv"] + HEAT_LINK.format(mode="steam_pipe")
    supplies = replace("supplies.csv", "MW,180,", "MW,200,")
    scenario, problems = validate(edited(tmp_path, links_csv=links, supplies_csv=supplies))
    assert problems == []
    assert list(scenario.links["route"]) == ["cement_admixture", "process_steam"]


def test_link_heat_meets_the_use_own_lower_minimum(tmp_path):
    links = TINY_FILES["links.csv"] + HEAT_LINK.format(mode="steam_pipe")
    uses = TINY_FILES["uses.csv"].replace(
        "enterprise,route,capacity,unit\n", "enterprise,route,capacity,unit,min_temperature_c\n"
    )
    uses = uses.replace("t/a\n", "t/a,\n").replace("GJ/a\n", "GJ/a,150\n")
    scenario, problems = validate(edited(tmp_path, links_csv=links, uses_csv=uses))
    assert problems == []


def test_link_hydrogen_below_purity_without_purification(tmp_path):
    routes = (
        "id,accepts,value_cny_per_unit,co2_avoided_t_per_unit,min_purity\n"
        "pure_h2,hydrogen,15000,9,0.9999\n"
    )
    uses = TINY_FILES["uses.csv"] + "E1,pure_h2,10,t/a\n"
    links = TINY_FILES["links.csv"] + "E3,E1,hydrogen,pure_h2,tube_trailer,false\n"
    path = edited(tmp_path, links_csv=links, uses_csv=uses, routes_csv=routes)
    p = check(path, "links.csv", 3, "route", "below the minimum purity 0.9999")
    assert "purity 0.999" in p.message


def test_link_hydrogen_below_purity_with_purification_is_valid(tmp_path):
    # hydrogen_feedstock wants 0.99 and offers purification: 0.9 purity is still a candidate
    supplies = replace("supplies.csv", "Nm3/a,,0.999", "Nm3/a,,0.9")
    uses = TINY_FILES["uses.csv"] + "E1,hydrogen_feedstock,10,t/a\n"
    links = TINY_FILES["links.csv"] + "E3,E1,hydrogen,hydrogen_feedstock,tube_trailer,false\n"
    scenario, problems = validate(
        edited(tmp_path, links_csv=links, supplies_csv=supplies, uses_csv=uses)
    )
    assert problems == []


def test_link_mode_the_route_does_not_allow(tmp_path):
    # process steam goes by steam pipe only
    links = TINY_FILES["links.csv"] + HEAT_LINK.format(mode="hot_water_pipe")
    supplies = replace("supplies.csv", "MW,180,", "MW,250,")
    p = check(
        edited(tmp_path, links_csv=links, supplies_csv=supplies),
        "links.csv",
        3,
        "mode",
        "route 'process_steam' does not allow mode 'hot_water_pipe'",
    )
    assert "steam_pipe" in p.fix


FAR = "E4,远厂,P1,cement,106.00,30.60,Chengdu\n"  # ≈192 km east of E1: × 1.3 > truck's 150


def test_link_beyond_reach_without_distance_warns(tmp_path):
    ent = TINY_FILES["enterprises.csv"] + FAR
    uses = TINY_FILES["uses.csv"] + "E4,cement_admixture,100,t/a\n"
    links = TINY_FILES["links.csv"] + "E1,E4,fly_ash,cement_admixture,truck,false\n"
    path = edited(tmp_path, enterprises_csv=ent, uses_csv=uses, links_csv=links)
    with pytest.warns(
        ParkflowWarning,
        match=r"row 3: link 'L2' is 2\d\d\.\d km by truck, "
        r"beyond its reach of 150 km",
    ):
        scenario = load_scenario(path)
    assert "L2" in scenario.links.index


def test_link_beyond_reach_with_a_distance_is_kept_silently(tmp_path):
    ent = TINY_FILES["enterprises.csv"] + FAR
    uses = TINY_FILES["uses.csv"] + "E4,cement_admixture,100,t/a\n"
    links = (
        "from,to,material,route,mode,existing,distance_km\n"
        "E1,E2,fly_ash,cement_admixture,truck,true,\n"
        "E1,E4,fly_ash,cement_admixture,truck,false,240\n"
    )
    scenario = load_scenario(
        edited(tmp_path, enterprises_csv=ent, uses_csv=uses, links_csv=links)
    )  # filterwarnings=error: no warning
    assert scenario.links.loc["L2", "distance_km"] == 240.0


def test_bundled_scenarios_validate_clean():
    root = Path(__file__).resolve().parents[2] / "scenarios"
    paths = [p for p in sorted(root.iterdir()) if (p / "scenario.yaml").exists()]
    paths += sorted((root / "leshan-wutongqiao-variants").glob("*.yaml"))
    assert len(paths) >= 5
    for path in paths:
        scenario, problems = validate(path)  # a warning would fail the test
        assert problems == [], f"{path.name}: {problems}"


def test_max_candidates_per_supply_must_be_a_whole_number(tmp_path):
    yaml_text = TINY_FILES["scenario.yaml"] + "max_candidates_per_supply: many\n"
    check(
        edited(tmp_path, scenario_yaml=yaml_text),
        "scenario.yaml",
        None,
        "max_candidates_per_supply",
        "'many' is not a whole number",
    )
    ok = TINY_FILES["scenario.yaml"] + "max_candidates_per_supply: 30\n"
    scenario, problems = validate(edited(tmp_path / "ok", scenario_yaml=ok))
    assert problems == []
    assert scenario.settings.extra["max_candidates_per_supply"] == 30
