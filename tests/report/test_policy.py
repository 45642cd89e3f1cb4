"""One unit and number policy per report language, report.xlsx formatting, names, console summary.

Checked on the bundled scenarios (solved once per session) and on the tiny hand scenario.
"""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook

from parkflow.i18n import CITY_ZH
from parkflow.i18n import REPORT_LABELS as TEXTS
from parkflow.report import build_report, display_frame, write_reports
from parkflow.report.console import cost_parts, summary_lines
from parkflow.report.format import default_units, scaled_table
from parkflow.report.render import cell_width

BUNDLED = ("leshan-wutongqiao", "deyang-phosphate", "panzhihua-vti", "sichuan-province")


@pytest.fixture(scope="module")
def solved(solved_bundled):
    """Every bundled scenario with its solve (baseline included; once a session, conftest.py)."""
    return {name: solved_bundled(name) for name in BUNDLED}


def test_every_text_in_both_languages():
    for key, texts in TEXTS.items():
        assert set(texts) == {"zh", "en"}, key
        assert all(t.strip() for t in texts.values()), key


@pytest.mark.parametrize("name", BUNDLED)
def test_cost_parts_add_up_on_every_bundled_scenario(solved, name):
    _, result = solved[name]
    obj = result.objective
    parts = cost_parts(obj)
    assert sum(a * s for _, a, s in parts) == pytest.approx(obj["total_cny_per_a"], abs=1.0)
    # the console line lists every part (purification included) and they add up as printed
    for lang in ("zh", "en"):
        line = summary_lines(result, lang)[1]
        numbers = [
            float(x.replace(",", "").replace("−", "-"))
            for x in re.findall(r"(?<![\w.%])[−-]?\d[\d,]*(?![\d%])", line)
        ]
        total, *printed = numbers
        assert len(printed) == len(parts), line  # 5, or 7 with facilities
        assert sum(printed) == pytest.approx(total, abs=5.0), line
    # and so do the overview's cost rows of the report
    ov = build_report(solved[name][0], result, lang="en").table("overview")
    rows = ov.set_index("Indicator")["After (optimised)"]
    net = rows[[i for i in rows.index if i.startswith("Net cost")][0]]
    sub = rows[[i for i in rows.index if i.startswith("  of which")]]
    assert len(sub) == len(parts)
    assert sub.sum() == pytest.approx(net, abs=1.0)


def test_leshan_purification_is_in_the_console_line(solved):
    _, result = solved["leshan-wutongqiao"]
    assert result.objective["purification_cny_per_a"] == pytest.approx(7.9e6, rel=0.01)
    en = summary_lines(result, "en")[1]
    zh = summary_lines(result, "zh")[1]
    # the figure moved with the hydrogen purity classes (docs/catalogue.md); read it, not a literal
    shown = f"{result.objective['purification_cny_per_a']:,.0f}"
    assert f"purification {shown}" in en
    assert f"提纯 {shown}" in zh
    assert "年净成本" in zh


def test_console_summary_in_the_report_language(solved, capsys):
    from parkflow.commands.solve import print_summary

    _, result = solved["leshan-wutongqiao"]
    print_summary(result, lang="zh")
    zh = capsys.readouterr().out
    assert "最优" in zh
    assert "达标" in zh
    assert "net cost" not in zh
    print_summary(result, lang="en")
    assert "net cost" in capsys.readouterr().out


def test_default_units_by_language_and_size():
    assert default_units("zh", 712_000) == "wan"
    assert default_units("zh", 600) == "t"
    assert default_units("en", 712_000) == "t"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_units_per_language_in_md_html_xlsx(solved, tmp_path, lang):
    sc, result = solved["leshan-wutongqiao"]
    paths = write_reports(
        sc, result, tmp_path / lang, lang=lang, formats=("md", "html", "xlsx", "csv")
    )
    md = (tmp_path / lang / "report.md").read_text(encoding="utf-8")
    html = (tmp_path / lang / "report.html").read_text(encoding="utf-8")
    wb = load_workbook(tmp_path / lang / "report.xlsx")
    headers = [str(c.value) for ws in wb.worksheets for c in ws[1] if c.value]
    if lang == "zh":
        for text in (md, html, " ".join(headers)):
            assert "(万t/a)" in text
            assert "(万元/a)" in text
            # no table mixes in plain tonnes or yuan (table 1 in 712,000 t/a was the bug)
            assert "(t/a)" not in text
            assert "(元/a)" not in text
        # the overview's rows are in 万 units too, as a unit column says
        assert "| 万t/a |" in md
        assert "| 万元/a |" in md
        assert "| t/a |" not in md
    else:
        for text in (md, html, " ".join(headers)):
            assert "(t/a)" in text
            assert "(CNY/a)" in text
            assert "(10⁴" not in text
    assert any(p.name == "report_targets.csv" for p in paths)


def test_xlsx_frozen_filtered_formatted_and_wide_enough(solved, tmp_path):
    sc, result = solved["sichuan-province"]
    write_reports(sc, result, tmp_path, lang="zh", formats=("xlsx",))
    wb = load_workbook(tmp_path / "report.xlsx")
    rep = build_report(sc, result, lang="zh")
    assert rep.units == "wan"
    for ws in wb.worksheets:
        assert ws.freeze_panes == "A2", ws.title
        assert ws.auto_filter.ref, ws.title
        assert ws.auto_filter.ref.startswith("A1:"), ws.title
        for col in ws.iter_cols(min_row=1, max_row=ws.max_row):
            width = ws.column_dimensions[col[0].column_letter].width
            longest = max(cell_width(c.value) for c in col if c.value is not None)
            assert width >= min(60.0, longest), (ws.title, col[0].value)
    # real numbers with number formats, not rounded text: 万t/a cells hold t/a ÷ 10⁴ exactly
    targets = rep.table("targets")
    ws = next(w for w in wb.worksheets if w.title.startswith("大宗"))
    head = [c.value for c in ws[1]]
    j = head.index("产生量 (万t/a)")
    cell = ws.cell(row=2, column=j + 1)
    assert isinstance(cell.value, float)
    assert cell.number_format == "#,##0.00"
    assert cell.value * 1e4 == pytest.approx(float(targets["产生量 (t/a)"].iloc[0]), rel=1e-12)
    numbers = [
        c.value for row in ws.iter_rows(min_row=2) for c in row if isinstance(c.value, float)
    ]
    assert any(v != round(v, 2) for v in numbers)  # stored unrounded, shown by the format
    rate = ws.cell(row=2, column=head.index("综合利用率 (%)") + 1)
    assert rate.number_format == "#,##0.0"


def test_display_equals_scaled_values(solved):
    sc, result = solved["leshan-wutongqiao"]
    rep = build_report(sc, result, lang="zh")
    values, decimals = scaled_table(rep, "targets")
    shown = display_frame(rep, "targets")
    col = "产生量 (万t/a)"
    assert shown[col].iloc[0] == f"{values[col].iloc[0]:,.2f}"
    assert decimals[col].iloc[0] == 2
    # --units t gives the t/a tables of the same report
    t = build_report(sc, result, lang="zh", units="t")
    assert "产生量 (t/a)" in display_frame(t, "targets").columns


def test_chinese_names_of_cities_and_parks(solved, tmp_path):
    sc, result = solved["sichuan-province"]
    rep = build_report(sc, result, lang="zh")
    scopes = set(rep.table("solid_waste")["范围"])
    assert "乐山市" in scopes
    assert "Leshan" not in scopes
    en = build_report(sc, result, lang="en")
    assert "Leshan" in set(en.table("solid_waste")["Scope"])
    # name_en of parks.geojson in the English report, name (Chinese) in the Chinese one
    parks = sc.parks
    pid = parks.index[0]
    assert parks.at[pid, "name"] in set(rep.table("targets")["范围"])
    if "name_en" in parks.columns:
        assert parks.at[pid, "name_en"] in set(en.table("targets")["Scope"])
    assert set(CITY_ZH.values()) >= {"乐山市", "凉山州"}


def test_name_zh_columns_are_read_when_present(solved):
    sc, result = solved["leshan-wutongqiao"]
    ent = sc.enterprises.copy()
    eid = ent.index[0]
    ent["name_zh"] = ""
    ent.loc[eid, "name_zh"] = "测试中文名"
    ent["city_zh"] = "乐山（测试）"
    sc2 = sc.__class__(**{**sc.__dict__, "enterprises": ent}) if hasattr(sc, "__dict__") else sc
    rep = build_report(sc2, result, lang="zh")
    names = set(rep.table("links")["产废企业"]) | set(rep.table("links")["利用企业"])
    assert "测试中文名" in names or eid not in set(result.flows["from"]) | set(result.flows["to"])
    sw = rep.table("solid_waste")
    cities = set(sw[sw["范围类型"] == "市（州）"]["范围"])
    assert cities == {"乐山（测试）"}


def test_console_summary_does_not_crash_without_solution():
    from types import SimpleNamespace

    from parkflow.models.result import SolveStatus

    r = SimpleNamespace(
        scenario_name="x", status=SolveStatus.INFEASIBLE, message="none", objective={}
    )
    buf = io.StringIO()
    buf.write("\n".join(summary_lines(r, "zh")))
    assert "无可行解" in buf.getvalue()
