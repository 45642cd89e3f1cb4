"""The report's investment parts: the build plan (项目清单), the pathway by year, the diagnosis.

* panzhihua-vti with its candidate facilities available in 2025 (bundled: from 2026) builds
  some; the build plan has one row per facility of ``result.facilities`` and a total;
* a hand-built ``periods`` list (the summary.json contract of docs/reporting.md, "Periods") on a
  tiny park's result: the pathway table and the chart's points are those numbers;
* a hand-built diagnosis row names the facilities that would close the gap, in both languages,
  in the report and in the console summary.
"""

from __future__ import annotations

import json

import numpy as np
import openpyxl
import pandas as pd
import pytest
from _solve_helpers import tiny_park

from parkflow.report import build_report, to_html, to_markdown, write_reports
from parkflow.report.console import summary_lines
from parkflow.report.figures import trajectory_figure
from parkflow.report.investment import facility_plan, trajectory_rows
from parkflow.solvers.api import solve
from parkflow.statistics.utilisation import SICHUAN_TARGETS


@pytest.fixture(scope="module")
def panzhihua(panzhihua_facilities):
    """panzhihua-vti solved with its candidate facilities available in the scenario's year."""
    return panzhihua_facilities


def test_build_plan_lists_every_opened_facility_of_panzhihua(panzhihua):
    sc, res = panzhihua
    fac = facility_plan(res)
    assert len(fac) >= 1  # the plan builds something once the candidates are available
    rep = build_report(sc, res, lang="zh", units="t")
    t = rep.table("build_plan")
    assert t["设施编号"].tolist() == [*fac["facility_id"], "合计"]
    body = t.iloc[:-1]
    techs = sc.catalogue.technologies
    assert body["技术（工艺）"].tolist() == [techs.at[x, "name_zh"] for x in fac["technology"]]
    names = sc.enterprises["name"]
    assert body["建设地点（企业）"].tolist() == [names[s] for s in fac["site"]]
    assert set(body["市（州）"]) == {"攀枝花市"}
    assert body["建设年份"].tolist() == [str(int(y)) for y in fac["build_year"]]
    assert body["规模"].tolist() == pytest.approx(fac["size"].tolist())
    assert body["处理量"].tolist() == pytest.approx(fac["throughput"].tolist())
    assert body["单位"].tolist() == fac["unit"].tolist()
    assert body["负荷率 (%)"].tolist() == pytest.approx((100 * fac["load_factor"]).tolist())
    assert body["建设投资 (元)"].tolist() == pytest.approx(fac["capex_cny"].tolist())
    assert t["建设投资 (元)"].iloc[-1] == pytest.approx(fac["capex_cny"].sum())
    annual = [c for c in t.columns if c.startswith("年成本")][0]
    assert body[annual].tolist() == pytest.approx(fac["annual_cost_cny_per_a"].tolist())


def test_build_plan_in_md_html_and_xlsx_in_both_languages(panzhihua, tmp_path):
    sc, res = panzhihua
    first = facility_plan(res).iloc[0]
    for lang, title, tech_col in (
        ("zh", "项目清单（一）新建与扩建设施", "name_zh"),
        ("en", "Project list (a): new and expanded facilities", "name_en"),
    ):
        paths = write_reports(sc, res, tmp_path / lang, lang=lang, formats=("md", "html", "xlsx"))
        tech = sc.catalogue.technologies.at[first["technology"], tech_col]
        md = (tmp_path / lang / "report.md").read_text(encoding="utf-8")
        html = (tmp_path / lang / "report.html").read_text(encoding="utf-8")
        assert title in md
        assert title in html
        assert first["facility_id"] in md
        assert tech in md
        assert 'id="build_plan"' in html
        assert tech in html
        assert tmp_path / lang / "report.xlsx" in paths
        wb = openpyxl.load_workbook(tmp_path / lang / "report.xlsx")
        starts = ("Project list (a", "项目清单（一）")
        sheet = next(ws for ws in wb.worksheets if ws.title.startswith(starts))
        ids = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
        assert ids[: len(facility_plan(res))] == facility_plan(res)["facility_id"].tolist()


def test_capex_is_shown_in_wan_yuan_under_the_wan_policy(panzhihua):
    sc, res = panzhihua
    md = to_markdown(build_report(sc, res, lang="zh", units="wan"))
    assert "建设投资 (万元)" in md  # a sum of money: 万元, not 万元/a
    capex = facility_plan(res)["capex_cny"].iloc[0]
    assert f"{capex / 1e4:,.2f}" in md


# ---------------------------------------------------------------------------------------------
# periods: a hand-built summary "periods" list on a tiny park's result
# ---------------------------------------------------------------------------------------------
#: Three years of one target: rates 0.70 → 0.79 → 0.83 against 0.78 → 0.80 → 0.82, capex
#: built 2025 (30 M CNY) and 2027 (10 M CNY), today's rate 0.6.
PERIODS = [
    {
        "year": year,
        "objective": {"total_cny_per_a": cost},
        "co2_avoided_t_per_a": co2,
        "capex_cny": capex,
        "before": {"t1": 0.6},
        "targets": [
            {"id": "t1", "scope": "all", "rate": rate, "target": need, "met": rate >= need}
        ],
    }
    for year, cost, co2, capex, rate, need in (
        (2025, 1.0e6, 100.0, 3.0e7, 0.70, 0.78),
        (2026, 0.5e6, 200.0, 0.0, 0.79, 0.80),
        (2027, 0.2e6, 300.0, 1.0e7, 0.83, 0.82),
    )
]


@pytest.fixture
def tiny_with_periods():
    sc = tiny_park()
    res = solve(sc)
    res.periods = [dict(p) for p in PERIODS]
    return sc, res


def test_trajectory_rows_are_the_periods_numbers(tiny_with_periods):
    _, res = tiny_with_periods
    rows = trajectory_rows(res)
    assert rows["year"].tolist() == [2025, 2026, 2027]
    assert rows["rate"].tolist() == [0.70, 0.79, 0.83]
    assert rows["target"].tolist() == [0.78, 0.80, 0.82]
    assert rows["met"].tolist() == [False, False, True]
    assert rows["capex_cny"].tolist() == [3.0e7, 0.0, 1.0e7]
    assert rows["before"].tolist() == [0.6, 0.6, 0.6]


def test_trajectory_chart_points_and_capex_bars(tiny_with_periods):
    _, res = tiny_with_periods
    fig = trajectory_figure(trajectory_rows(res), SICHUAN_TARGETS, "en")
    ax = fig.axes[0]
    lines = {ln.get_gid(): ln for ln in ax.get_lines()}
    rate = lines["trajectory-t1"]
    assert list(rate.get_xdata()) == [2025, 2026, 2027]
    assert list(rate.get_ydata()) == pytest.approx([70.0, 79.0, 83.0])
    assert list(lines["required-t1"].get_ydata()) == pytest.approx([78.0, 80.0, 82.0])
    # the official lines: horizontal at 78 % and 82 %
    assert lines["target-line-2025"].get_ydata()[0] == pytest.approx(78.0)
    assert lines["target-line-2030"].get_ydata()[0] == pytest.approx(82.0)
    bars = list(fig.axes[1].patches)
    assert [b.get_height() for b in bars] == pytest.approx([30.0, 0.0, 10.0])  # million CNY
    zh = trajectory_figure(trajectory_rows(res), SICHUAN_TARGETS, "zh")
    heights = [b.get_height() for b in zh.axes[1].patches]
    assert heights == pytest.approx([3000.0, 0.0, 1000.0])  # 万元


def test_trajectory_table_and_chart_in_the_report(tiny_with_periods, tmp_path):
    sc, res = tiny_with_periods
    rep = build_report(sc, res, lang="zh", units="t")
    t = rep.table("trajectory")
    assert t["年份"].tolist() == ["2025", "2026", "2027"]
    assert t["综合利用率 (%)"].tolist() == pytest.approx([70.0, 79.0, 83.0])
    assert t["目标值 (%)"].tolist() == pytest.approx([78.0, 80.0, 82.0])
    assert t["是否达标"].tolist() == ["否", "否", "是"]
    html = to_html(rep)
    assert 'id="trajectory-t1"' in html
    assert 'id="capex-bars"' in html
    assert "逐年综合利用率与建设投资" in html
    paths = write_reports(sc, res, tmp_path, lang="en", formats=("md", "html", "xlsx"))
    assert tmp_path / "report_trajectory.png" in paths
    assert "13. Pathway by year" in (tmp_path / "report.md").read_text(encoding="utf-8")
    md = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert "![Utilisation rate and capex by year](report_trajectory.png)" in md
    wb = openpyxl.load_workbook(tmp_path / "report.xlsx")
    sheet = next(ws for ws in wb.worksheets if "Pathway" in ws.title)
    assert len(sheet._images) == 1  # the chart beside the table


def test_no_periods_no_trajectory():
    sc = tiny_park()
    res = solve(sc)
    rep = build_report(sc, res, lang="en")
    assert "trajectory" not in rep.tables
    assert "build_plan" not in rep.tables  # no candidate facilities either
    html = to_html(rep)
    assert "trajectory" not in html
    assert "Pathway" not in html


def test_facility_plan_keeps_the_last_year_of_each_facility():
    """With periods facilities.csv has a row per facility and year; the plan keeps the last."""
    fac = pd.DataFrame(
        {
            "facility_id": ["F1", "F1", "F2"],
            "year": [2026, 2027, 2027],
            "size": [100.0, 200.0, 50.0],
            "build_year": [2026, 2026, 2027],
            "expanded_year": [np.nan, 2027, np.nan],
        }
    )
    plan = facility_plan(type("R", (), {"facilities": fac})())
    assert plan["facility_id"].tolist() == ["F1", "F2"]
    assert plan["size"].tolist() == [200.0, 50.0]
    assert plan["expanded_year"].iloc[0] == 2027


# ---------------------------------------------------------------------------------------------
# the diagnosis of an unreachable target
# ---------------------------------------------------------------------------------------------
def _with_diagnosis():
    sc = tiny_park()
    res = solve(sc)
    res.diagnosis = pd.DataFrame(
        [
            {
                "target": "t1",
                "scope": "all",
                "material": "fly_ash",
                "park": "P1",
                "city": "Leshan",
                "left": 40.0,
                "capacity_needed": 25.0,
                "unit": "t/a",
                "reason": "no capacity left within reach",
                "routes": "cement_admixture",
                "facilities": "F1 cement_grinding_station @ E2 up to 250,000 t/a; "
                "add a facilities row: road_base_mixing_station",
            }
        ]
    )
    return sc, res


def test_diagnosis_table_names_facilities_in_both_languages():
    sc, res = _with_diagnosis()
    techs = sc.catalogue.technologies
    cases = (("zh", "name_zh", "新增候选设施："), ("en", "name_en", "add a candidate"))
    for lang, col, add in cases:
        rep = build_report(sc, res, lang=lang)
        t = rep.table("diagnosis")
        cell = t.iloc[0, -1]
        assert cell.startswith("F1 " + techs.at["cement_grinding_station", col])
        assert "250,000 t/a" in cell
        assert add in cell
        assert techs.at["road_base_mixing_station", col] in cell
        assert techs.at["road_base_mixing_station", col] in to_html(rep)


def test_console_names_the_facilities_that_would_close_the_gap():
    _, res = _with_diagnosis()
    en = "\n".join(summary_lines(res, "en"))
    assert "would close it: F1" in en
    assert "up to 250,000 t/a" in en
    zh = "\n".join(summary_lines(res, "zh"))
    assert "可补足：F1" in zh
    assert "新增候选设施：" in zh


def test_hostile_facility_id_is_escaped_in_the_report(panzhihua):
    sc, res = panzhihua
    res2 = type(res)(**{**res.__dict__})
    fac = facility_plan(res).copy()
    fac.loc[0, "facility_id"] = '<img src=x onerror="alert(1)">'
    res2.facilities = fac
    html = to_html(build_report(sc, res2, lang="en"))
    assert '<img src=x onerror="alert(1)">' not in html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html


def test_a_solution_folder_with_periods_reads_back_its_pathway(tiny_with_periods, tmp_path):
    """``parkflow report DIR`` of a periods run: summary.json's periods give the pathway."""
    from parkflow.io.solution import read_result, write_solution

    sc, res = tiny_with_periods
    write_solution(sc, res, tmp_path / "out")
    summary = tmp_path / "out" / "summary.json"
    data = json.loads(summary.read_text(encoding="utf-8"))
    data["periods"] = PERIODS  # as the periods model writes it (docs/reporting.md "Periods")
    summary.write_text(json.dumps(data), encoding="utf-8")
    back = read_result(tmp_path / "out")
    assert trajectory_rows(back)["rate"].tolist() == [0.70, 0.79, 0.83]
    assert "trajectory" in build_report(sc, back, lang="en").tables


def test_console_prints_the_pathway_and_the_build_plan_in_the_language_asked(tiny_with_periods):
    """``parkflow solve --lang zh`` prints the years and the plan in Chinese (issue 14)."""
    from parkflow.report.console import period_lines

    _, res = tiny_with_periods
    zh = period_lines(res, "zh")
    en = period_lines(res, "en")
    assert zh[0].startswith("  现值")
    assert en[0].startswith("  present value")
    assert [ln.split("：")[0].strip() for ln in zh[1:4]] == ["2025年", "2026年", "2027年"]
    assert "t1 70.0%/78.0% ✗" in zh[1]
    assert "建设投资 30,000,000 元" in zh[1]
    assert "cost" not in " ".join(zh)
    assert "capex 30,000,000 CNY" in en[1]
