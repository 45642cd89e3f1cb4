"""The candidate-facilities table (and the scenario's technology rows) in the workbook.

``parkflow convert`` folder → workbook → folder keeps panzhihua-vti equal, facilities included;
``parkflow template`` has a facilities sheet (bilingual headers, a technology drop-down) that
``validate`` accepts once a row is filled in; a scenario's own technology rows come back too.
"""

from __future__ import annotations

import dataclasses

import openpyxl
import pandas as pd
import pytest

from parkflow.cli import main
from parkflow.io import load_scenario, save_scenario
from parkflow.models.compare import frames_equal, scenario_differences

PANZHIHUA = "scenarios/panzhihua-vti"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_panzhihua_round_trip_folder_workbook_folder(tmp_path, lang, capsys):
    book = tmp_path / "pzh.xlsx"
    folder = tmp_path / "back"
    assert main(["convert", PANZHIHUA, str(book), "--lang", lang]) == 0
    assert main(["convert", str(book), str(folder)]) == 0
    capsys.readouterr()
    original = load_scenario(PANZHIHUA)
    assert len(original.facilities) == 9
    for other in (load_scenario(book), load_scenario(folder)):
        assert scenario_differences(original, other) == []
        assert frames_equal(original.facilities, other.facilities)
    assert (folder / "facilities.csv").is_file()
    wb = openpyxl.load_workbook(book)
    sheet = wb["设施" if lang == "zh" else "facilities"]
    ids = [r[0] for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert ids == list(original.facilities.index)
    head = [c.value for c in sheet[1]]
    assert head[:3] == (["编号", "技术", "厂址"] if lang == "zh" else ["id", "technology", "site"])


def test_a_scenario_without_facilities_writes_no_facilities_table(tmp_path):
    sc = load_scenario("scenarios/leshan-wutongqiao")
    assert sc.facilities is None or len(sc.facilities) == 0
    save_scenario(sc, tmp_path / "f")
    assert not (tmp_path / "f" / "facilities.csv").exists()
    save_scenario(sc, tmp_path / "w.xlsx")
    assert "facilities" not in openpyxl.load_workbook(tmp_path / "w.xlsx").sheetnames


def test_the_scenario_technology_rows_round_trip(tmp_path):
    sc = load_scenario(PANZHIHUA)
    techs = sc.catalogue.technologies.copy()
    techs.loc["vti_slag_aggregate", "capex_cny"] = 12_345_678.0  # the scenario's own estimate
    sc = sc.replace(catalogue=dataclasses.replace(sc.catalogue, technologies=techs))
    for path in (tmp_path / "t.xlsx", tmp_path / "t"):
        save_scenario(sc, path)
        back = load_scenario(path)
        assert scenario_differences(sc, back) == []
        assert back.catalogue.technologies.at["vti_slag_aggregate", "capex_cny"] == 12_345_678.0
    rows = pd.read_csv(tmp_path / "t" / "technologies.csv")
    assert rows["id"].tolist() == ["vti_slag_aggregate"]  # only the row that differs


def test_template_has_a_facilities_sheet_that_validates_when_filled(tmp_path, capsys):
    book = tmp_path / "t.xlsx"
    assert main(["template", str(book), "--lang", "zh"]) == 0
    wb = openpyxl.load_workbook(book)
    ws = wb["设施"]
    head = [c.value for c in ws[1]]
    assert head[:3] == ["编号", "技术", "厂址"]
    assert "English: technology" in ws.cell(row=1, column=2).comment.text
    ranges = {str(dv.sqref) for dv in ws.data_validations.dataValidation}
    assert "B2:B2000" in ranges  # technology is chosen from the catalogue's list
    # a planner fills one candidate: a cement grinding station at the cement plant
    ws.cell(row=2, column=1, value="F1")
    ws.cell(row=2, column=2, value="cement_grinding_station")
    ws.cell(row=2, column=3, value="E02")
    wb.save(book)
    capsys.readouterr()
    assert main(["validate", str(book)]) == 0
    sc = load_scenario(book)
    assert list(sc.facilities.index) == ["F1"]
    assert sc.facilities.at["F1", "technology"] == "cement_grinding_station"
