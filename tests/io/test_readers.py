"""Reading what planners' files really are (parkflow.io.readers): encodings, delimiters, rows,
sheets and headers in Chinese."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from conftest import TINY_FILES, write_scenario

from parkflow.cli import main
from parkflow.io import decode_bytes, load_scenario, read_frame, save_scenario, validate


def _with(tmp_path: Path, **changes: str) -> Path:
    files = dict(TINY_FILES)
    files.update({k.replace("__", "."): v for k, v in changes.items()})
    return write_scenario(tmp_path / "s", files)


def test_utf16_tab_separated_unicode_text(tmp_path):
    folder = _with(tmp_path)
    text = TINY_FILES["enterprises.csv"].replace(",", "\t")
    (folder / "enterprises.csv").write_bytes(text.encode("utf-16"))
    sc = load_scenario(folder)
    assert sc.enterprises.loc["E2", "name"] == "水泥厂"
    assert sc.enterprises.columns[0] == "name"


def test_gb18030_beyond_gbk(tmp_path):
    folder = _with(tmp_path)
    text = TINY_FILES["enterprises.csv"].replace("水泥厂", "䶮水泥厂")  # not in GBK
    (folder / "enterprises.csv").write_bytes(text.encode("gb18030"))
    assert load_scenario(folder).enterprises.loc["E2", "name"] == "䶮水泥厂"
    assert decode_bytes("䶮".encode("gb18030"))[1] == "gb18030"


@pytest.mark.parametrize("sep", [";", "\t"])
def test_delimiter_is_sniffed(tmp_path, sep):
    folder = _with(tmp_path, supplies__csv=TINY_FILES["supplies.csv"].replace(",", sep))
    assert load_scenario(folder).supplies.loc["S1", "quantity"] == 20000.0


def test_cleared_rows_are_ignored_and_rows_count_as_excel(tmp_path):
    supplies = (
        "enterprise,material,quantity,unit\nE1,fly_ash,2,万t/a\n,,,\n,,,\nE1,fgd_gypsum,lots,t/a\n"
    )
    _, problems = validate(_with(tmp_path, supplies__csv=supplies))
    (p,) = problems
    assert (p.row, p.column) == (5, "quantity")
    assert "supply 'S2': quantity 'lots' is not a number" in p.message


def test_thousands_groups_and_full_width_digits(tmp_path):
    supplies = (
        'enterprise,material,quantity,unit\nE1,fly_ash,"60,000",t/a\nE1,fgd_gypsum,５０００,t/a\n'
    )
    sc = load_scenario(_with(tmp_path, supplies__csv=supplies))
    assert sc.supplies["quantity"].tolist() == [60000.0, 5000.0]


def test_decimal_comma_is_an_error_with_the_fix(tmp_path):
    supplies = 'enterprise,material,quantity,unit\nE1,fly_ash,"1,5",万t/a\n'
    _, problems = validate(_with(tmp_path, supplies__csv=supplies))
    (p,) = problems
    assert "quantity '1,5' is not a number" in p.message
    assert "1.5, not 1,5" in p.fix
    assert (p.file, p.row, p.column) == ("supplies.csv", 2, "quantity")


def test_percent_for_a_fraction_column(tmp_path):
    supplies = "enterprise,material,quantity,unit,purity\nE3,hydrogen,1000000,Nm3/a,99.9%\n"
    sc = load_scenario(_with(tmp_path, supplies__csv=supplies))
    assert sc.supplies.loc["S1", "purity"] == pytest.approx(0.999)


def test_percent_rate_in_targets(tmp_path):
    yaml_text = TINY_FILES["scenario.yaml"].replace("rate: 0.78", "rate: 78%")
    sc = load_scenario(_with(tmp_path, scenario__yaml=yaml_text))
    assert sc.targets[0].rate == pytest.approx(0.78)


def test_chinese_headers_and_catalogue_names(tmp_path):
    enterprises = (
        "编号,名称,园区,行业,经度,纬度\n"
        "E1,电厂,P1,coal_power,104.00,30.60\n"
        "E2,水泥厂,P1,cement,104.05,30.62\n"
        "E3,化工厂,P1,chemicals,104.02,30.65\n"
    )
    supplies = "企业,物料,产生量,单位\nE1,粉煤灰,2,万t/a\nE1,脱硫石膏,5000,t/a\n"
    sc = load_scenario(_with(tmp_path, enterprises__csv=enterprises, supplies__csv=supplies))
    assert sc.supplies["material"].tolist() == ["fly_ash", "fgd_gypsum"]
    assert sc.enterprises.loc["E1", "lon"] == 104.0


def test_english_and_chinese_header_for_one_column_is_reported(tmp_path):
    supplies = "enterprise,material,quantity,数量,unit\nE1,fly_ash,2,2,万t/a\n"
    _, problems = validate(_with(tmp_path, supplies__csv=supplies))
    assert any(
        "the column 'quantity' appears twice (as 'quantity', '数量')" in p.message for p in problems
    )


def test_workbook_sheets_in_any_case_and_in_chinese(tmp_path, tiny_scenario):
    book = tmp_path / "b.xlsx"
    save_scenario(tiny_scenario, book)
    wb = openpyxl.load_workbook(book)
    wb["scenario"].title = "情景"
    wb["enterprises"].title = "企业"
    wb["supplies"].title = "tmp"
    wb["tmp"].title = "SUPPLIES"
    wb.save(book)
    assert "SUPPLIES" in openpyxl.load_workbook(book).sheetnames
    sc = load_scenario(book)
    assert sc.equals(tiny_scenario)


def test_workbook_problems_name_the_sheet_as_written(tmp_path, tiny_scenario):
    book = tmp_path / "b.xlsx"
    save_scenario(tiny_scenario, book)
    wb = openpyxl.load_workbook(book)
    wb["supplies"].title = "产生"
    wb["产生"]["D2"] = "lots"
    wb.save(book)
    _, problems = validate(book)
    assert [(p.file, p.row, p.column) for p in problems] == [("b.xlsx[产生]", 2, "quantity")]


def test_not_a_workbook_exits_2_naming_the_file(tmp_path, capsys):
    fake = tmp_path / "park.xlsx"
    fake.write_text("id,name\n", encoding="utf-8")
    assert main(["validate", str(fake)]) == 2
    out = capsys.readouterr()
    assert "park.xlsx: the file is not an Excel workbook" in out.err
    assert "internal error" not in out.out + out.err


def test_empty_workbook_exits_2_naming_the_file(tmp_path, capsys):
    book = tmp_path / "empty.xlsx"
    openpyxl.Workbook().save(book)
    assert main(["validate", str(book)]) == 2
    out = capsys.readouterr()
    assert "empty.xlsx: the workbook holds no scenario sheet (its sheets: 'Sheet')" in out.err
    assert "internal error" not in out.out + out.err


def test_read_frame_types_an_output_table():
    flows = pd.DataFrame({"link_id": ["L1"], "existing": ["True"], "flow": ["5.0"], "extra": ["x"]})
    typed = read_frame("flows", flows)
    assert typed["existing"].tolist() == [True]
    assert typed["flow"].dtype.name == "float64"
    assert typed["extra"].tolist() == ["x"]


def test_ragged_row_names_the_row(tmp_path):
    supplies = "enterprise,material,quantity,unit\nE1,fly_ash,2,万t/a\nE1,fgd_gypsum,5,000,t/a\n"
    _, problems = validate(_with(tmp_path, supplies__csv=supplies))
    (p,) = problems
    assert (p.file, p.row) == ("supplies.csv", 3)
    assert p.message == "row 3 has 5 cells but the header has 4"
    assert '"60,000"' in p.fix


def test_a_workbook_saved_as_csv_is_named(tmp_path, tiny_scenario):
    folder = _with(tmp_path)
    save_scenario(tiny_scenario, tmp_path / "b.xlsx")
    (folder / "uses.csv").write_bytes((tmp_path / "b.xlsx").read_bytes())
    _, problems = validate(folder)
    (p,) = problems
    assert (p.file, p.message) == ("uses.csv", "the file is an Excel workbook, not CSV text")


def test_binary_file_is_not_text(tmp_path):
    folder = _with(tmp_path)
    (folder / "uses.csv").write_bytes(b"\x00\x81\xff\x00\x81\xfe" * 50)
    _, problems = validate(folder)
    assert [p.message for p in problems] == ["the file is not text in UTF-8, UTF-16 or GB18030"]


def test_trailing_empty_columns_are_dropped(tmp_path):
    supplies = "enterprise,material,quantity,unit,,\nE1,fly_ash,2,万t/a,,\n"
    sc = load_scenario(_with(tmp_path, supplies__csv=supplies))
    assert not [c for c in sc.supplies.columns if c.startswith("Unnamed")]


def test_scenario_sheet_with_a_chinese_header(tmp_path, tiny_scenario):
    book = tmp_path / "b.xlsx"
    save_scenario(tiny_scenario, book)
    wb = openpyxl.load_workbook(book)
    wb["scenario"]["A1"], wb["scenario"]["B1"] = "参数", "值"
    wb.save(book)
    assert load_scenario(book).equals(tiny_scenario)


def test_route_mode_and_sector_cells_in_chinese(tmp_path):
    from parkflow.catalogue import builtin_catalogue
    from parkflow.i18n import sector_table

    cat = builtin_catalogue()
    steam, truck = cat.routes.loc["process_steam", "name_zh"], cat.modes.loc["truck", "name_zh"]
    cement = sector_table().loc["cement", "name_zh"]
    enterprises = TINY_FILES["enterprises.csv"].replace(",cement,", f",{cement},")
    uses = TINY_FILES["uses.csv"].replace("process_steam", steam)
    links = TINY_FILES["links.csv"].replace(",truck,", f",{truck},")
    sc = load_scenario(
        _with(tmp_path, enterprises__csv=enterprises, uses__csv=uses, links__csv=links)
    )
    assert sc.enterprises.loc["E2", "sector"] == "cement"
    assert "process_steam" in set(sc.uses["route"])
    assert sc.links["mode"].tolist() == ["truck"]
