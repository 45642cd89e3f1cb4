"""The scenario workbook: template, convert, headers, drop-downs, targets sheet, safe writing."""

from __future__ import annotations

import os
import stat

import openpyxl
import pytest

from parkflow.cli import main
from parkflow.errors import OutputError
from parkflow.io import load_scenario, save_scenario, validate
from parkflow.io.bundled import bundled_scenario_path, bundled_scenarios
from parkflow.io.workbook import (
    LISTS,
    example_scenario,
    header,
    sheet_name,
    written_by_parkflow,
)
from parkflow.models.compare import scenario_differences
from parkflow.models.schema import TABLES, TARGETS_SHEET


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_header_reads_back_as_its_column(lang):
    for schema in (*TABLES.values(), TARGETS_SHEET):
        for column in ["id", *schema.column_names]:
            assert schema.resolve_header(header(schema, column, lang)) == column
        assert schema.matches_sheet(sheet_name(schema, lang))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_template_validates_and_has_the_parts(tmp_path, lang, capsys):
    book = tmp_path / "t.xlsx"
    assert main(["template", str(book), "--lang", lang]) == 0
    scenario, problems = validate(book)
    assert problems == []
    assert scenario_differences(example_scenario(lang), scenario) == []
    wb = openpyxl.load_workbook(book)
    zh = lang == "zh"
    names = wb.sheetnames
    assert names[:4] == (
        ["说明", "情景", "目标", "企业"]
        if zh
        else ["instructions", "scenario", "targets", "enterprises"]
    )
    assert wb[LISTS[lang]].sheet_state == "hidden"
    supplies = wb["产生" if zh else "supplies"]
    heads = [c.value for c in supplies[1]]
    assert heads[:4] == (
        ["编号", "企业", "物料", "产生量"] if zh else ["id", "enterprise", "material", "quantity"]
    )
    note = supplies["C1"].comment.text
    assert ("material" if zh else "物料") in note
    assert supplies.freeze_panes == "A2"
    ranges = {str(dv.sqref): dv.formula1 for dv in supplies.data_validations.dataValidation}
    assert any(f.startswith(f"'{LISTS[lang]}'!$A$2") for f in ranges.values())
    lists = wb[LISTS[lang]]
    ids = [c.value for c in lists["A"][1:] if c.value]
    assert "fly_ash" in ids
    assert "waste_heat" in ids
    targets = wb["目标" if zh else "targets"]
    assert [c.value for c in targets[2]] == [
        "bulk-2025",
        "bulk_solid_waste",
        "tailings",
        0.78,
        "all",
    ]
    # no YAML in any cell of the scenario sheet
    values = [c.value for row in wb["情景" if zh else "scenario"].iter_rows() for c in row]
    assert not any(isinstance(v, str) and v.strip()[:1] in "[{" for v in values)


def test_targets_sheet_rows_are_read(tmp_path):
    book = tmp_path / "t.xlsx"
    save_scenario(example_scenario("en"), book)
    wb = openpyxl.load_workbook(book)
    ws = wb["targets"]
    ws.append(["solid-2030", "fly_ash; steel_slag", None, "82%", "all"])
    wb.save(book)
    sc = load_scenario(book)
    assert [t.id for t in sc.targets] == ["bulk-2025", "solid-2030"]
    assert sc.targets[1].materials == ("fly_ash", "steel_slag")
    assert sc.targets[1].rate == 0.82


def test_targets_given_twice_is_a_problem(tmp_path):
    book = tmp_path / "t.xlsx"
    save_scenario(example_scenario("en"), book)
    wb = openpyxl.load_workbook(book)
    wb["scenario"].append(["targets", "[{id: x, rate: 0.5}]"])
    wb.save(book)
    _, problems = validate(book)
    assert [p.message for p in problems] == [
        "targets are given twice: in this sheet and in the scenario sheet's 'targets' row"
    ]


@pytest.mark.parametrize("name", bundled_scenarios())
def test_bundled_folder_to_workbook_and_back_is_equal(tmp_path, name):
    folder = bundled_scenario_path(name)
    original = load_scenario(folder)
    for lang in ("en", "zh"):
        book = tmp_path / f"{lang}.xlsx"
        assert main(["convert", str(folder), str(book), "--lang", lang]) == 0
        back = tmp_path / f"back-{lang}"
        assert main(["convert", str(book), str(back)]) == 0
        assert scenario_differences(original, load_scenario(book)) == []
        assert scenario_differences(original, load_scenario(back)) == []


def test_workbook_gets_the_umask_and_is_replaced_only_when_parkflows(tmp_path):
    book = tmp_path / "t.xlsx"
    old = os.umask(0o027)
    try:
        save_scenario(example_scenario(), book)
    finally:
        os.umask(old)
    assert stat.S_IMODE(book.stat().st_mode) == 0o640
    assert written_by_parkflow(book)
    save_scenario(example_scenario(), book)  # parkflow's own file: replaced
    wb = openpyxl.load_workbook(book)
    wb.properties.lastModifiedBy = "a planner"  # as Excel does on save
    wb.save(book)
    assert not written_by_parkflow(book)
    before = book.read_bytes()
    with pytest.raises(OutputError, match="not written by parkflow"):
        save_scenario(example_scenario(), book)
    assert book.read_bytes() == before
    assert main(["template", str(book)]) == 2
    assert main(["template", str(book), "--force"]) == 0
    assert written_by_parkflow(book)
    assert not list(tmp_path.glob(".t.xlsx*"))
    assert not list(tmp_path.glob(".*.tmp-*"))


def test_template_refuses_a_folder_and_other_suffixes(tmp_path):
    (tmp_path / "d.xlsx").mkdir()
    assert main(["template", str(tmp_path / "d.xlsx")]) == 2
    assert main(["template", str(tmp_path / "t.csv")]) == 2
    assert not (tmp_path / "t.csv").exists()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_target_field_survives_folder_workbook_folder(tiny_scenario_dir, tmp_path, lang):
    """basis, year and enforce (and the rest of TARGETS_SHEET) go through the targets sheet:
    folder → workbook → folder gives the same targets, field by field."""
    yaml_file = tiny_scenario_dir / "scenario.yaml"
    text = yaml_file.read_text(encoding="utf-8")
    head, _, tail = text.partition("targets:\n")
    rest = tail[tail.index("objective:") :]
    yaml_file.write_text(
        head
        + "targets:\n"
        + "  - {id: bulk-2025, materials: bulk_solid_waste, exclude: [tailings], rate: 0.78,"
        + " scope: all}\n"
        + "  - {id: ash-2030, materials: fly_ash, rate: 0.9, scope: 'park:P1',"
        + " basis: consumption, year: 2030, enforce: false}\n"
        + "  - {id: new-2025, materials: bulk_solid_waste, rate: 0.5, basis: new, enforce: true}\n"
        + rest,
        encoding="utf-8",
    )
    original = load_scenario(tiny_scenario_dir)
    assert [(t.basis, t.year, t.enforce) for t in original.targets] == [
        ("nbs", None, None),
        ("consumption", 2030, False),
        ("new", None, True),
    ]
    book, back = tmp_path / f"{lang}.xlsx", tmp_path / f"back-{lang}"
    assert main(["convert", str(tiny_scenario_dir), str(book), "--lang", lang]) == 0
    assert main(["convert", str(book), str(back)]) == 0
    assert load_scenario(book).targets == original.targets
    assert load_scenario(back).targets == original.targets
    assert scenario_differences(original, load_scenario(back)) == []
