"""Utilisation-rate reporting: the official formula, scopes, targets, effects, formats, languages.

The Result objects are built by hand with hand-checkable numbers:

========  ====  =================  ========  ========  =======
ent       park  category           generated utilised  drawn
========  ====  =================  ========  ========  =======
E1        P1    fly_ash            100 000    90 000   10 000
E1        P1    tailings           500 000   100 000        0
E2        P1    byproduct_gypsum   200 000   120 000   20 000
E2        P1    waste_heat (GJ)     50 000    30 000        0
E3        P2    smelting_slag      300 000   270 000        0
========  ====  =================  ========  ========  =======
"""

from __future__ import annotations

import importlib
import re
from html.parser import HTMLParser

import numpy as np
import pandas as pd
import pytest

from parkflow.i18n import LABELS, LANGS, label
from parkflow.models.result import Result, SolveStatus
from parkflow.report import (
    BULK_EXCL_TAILINGS,
    BULK_TOTAL,
    ORC_MWH_PER_GJ_DEFAULT,
    TCE_PER_MWH_ELECTRICITY,
    build_report,
    display_frame,
    gap_to_target,
    grid_factors,
    link_effects,
    rate_chart_svg,
    sankey_svg,
    target_label_y,
    text_width,
    to_markdown,
    utilisation_rate,
    utilisation_rows,
    write_reports,
)
from parkflow.statistics.summary import summary_dict

CJK = re.compile(r"[\u3400-\u9fff]")
PARK = {"E1": "P1", "E2": "P1", "E3": "P2"}


def _util(rows: list[tuple[str, str, float, float, float]]) -> pd.DataFrame:
    """Enterprise rows (ent, category, generated, utilised, drawn) → all scopes.

    As a solve gives.
    """
    ent = pd.DataFrame(rows, columns=["scope_id", "category", "generated", "utilised", "drawn"])
    ent["scope_type"] = "enterprise"
    ent["park"] = ent["scope_id"].map(PARK)
    park = (
        ent.groupby(["park", "category"], as_index=False)[["generated", "utilised", "drawn"]]
        .sum()
        .rename(columns={"park": "scope_id"})
        .assign(scope_type="park")
    )
    whole = (
        ent.groupby("category", as_index=False)[["generated", "utilised", "drawn"]]
        .sum()
        .assign(scope_type="all", scope_id="all")
    )
    out = pd.concat([ent.drop(columns="park"), park, whole], ignore_index=True)
    out["unit"] = np.where(out["category"] == "waste_heat", "GJ/a", "t/a")
    out["rate"] = out["utilised"] / (out["generated"] + out["drawn"])
    return out


def _links(rows: list[dict]) -> pd.DataFrame:
    base = {
        "mode": "truck",
        "distance_km": 10.0,
        "existing": False,
        "transport_cny_per_a": 0.0,
        "fixed_cny_per_a": 0.0,
        "purification_cny_per_a": 0.0,
        "value_cny_per_a": 0.0,
        "disposal_avoided_cny_per_a": 0.0,
        "co2_avoided_t_per_a": 0.0,
        "build": 1,
    }
    df = pd.DataFrame([{**base, **r} for r in rows]).set_index("link_id")
    df["delivered"] = df.get("delivered", df["flow"]).fillna(df["flow"])
    df["total_cny_per_a"] = (
        df["transport_cny_per_a"]
        + df["fixed_cny_per_a"]
        + df["purification_cny_per_a"]
        - df["value_cny_per_a"]
        - df["disposal_avoided_cny_per_a"]
    )
    return df


def _result(
    util: pd.DataFrame,
    links: pd.DataFrame,
    baseline: Result | None = None,
    targets: pd.DataFrame | None = None,
) -> Result:
    sources = util[util["scope_type"] == "enterprise"].rename(columns={"scope_id": "enterprise"})
    sources = sources.assign(park=sources["enterprise"].map(PARK), city="Leshan")
    return Result(
        scenario_name="hand park",
        status=SolveStatus.OPTIMAL,
        objective_name="cost",
        links=links,
        flows=links[links["build"] == 1],
        draws=pd.DataFrame(),
        sources=sources,
        utilisation=util,
        targets=targets if targets is not None else pd.DataFrame(),
        objective={"total_cny_per_a": float(links["total_cny_per_a"].sum())},
        co2_avoided_t_per_a=float(links["co2_avoided_t_per_a"].sum()),
        solver={},
        baseline=baseline,
    )


@pytest.fixture
def result() -> Result:
    existing = {
        "link_id": "L1",
        "from": "E1",
        "to": "E3",
        "material": "fly_ash",
        "route": "cement_admixture",
        "flow": 80_000.0,
        "existing": True,
        "disposal_avoided_cny_per_a": 2_000_000.0,
        "value_cny_per_a": 9_600_000.0,
        "transport_cny_per_a": 3_000_000.0,
        "co2_avoided_t_per_a": 60_000.0,
    }
    base_util = _util(
        [
            ("E1", "fly_ash", 100_000, 80_000, 0),
            ("E1", "tailings", 500_000, 0, 0),
            ("E2", "byproduct_gypsum", 200_000, 0, 0),
            ("E2", "waste_heat", 50_000, 0, 0),
            ("E3", "smelting_slag", 300_000, 270_000, 0),
        ]
    )
    baseline = _result(base_util, _links([existing]))
    util = _util(
        [
            ("E1", "fly_ash", 100_000, 90_000, 10_000),
            ("E1", "tailings", 500_000, 100_000, 0),
            ("E2", "byproduct_gypsum", 200_000, 120_000, 20_000),
            ("E2", "waste_heat", 50_000, 30_000, 0),
            ("E3", "smelting_slag", 300_000, 270_000, 0),
        ]
    )
    links = _links(
        [
            {**existing, "flow": 90_000.0},
            {
                "link_id": "L2",
                "from": "E2",
                "to": "E1",
                "material": "phosphogypsum",
                "route": "cement_retarder",
                "flow": 120_000.0,
                "transport_cny_per_a": 1_000_000.0,
                "fixed_cny_per_a": 200_000.0,
                "value_cny_per_a": 6_000_000.0,
                "disposal_avoided_cny_per_a": 3_000_000.0,
                "co2_avoided_t_per_a": 360.0,
            },
            {
                "link_id": "L3",
                "from": "E2",
                "to": "E3",
                "material": "waste_heat",
                "route": "orc_power",
                "mode": "steam_pipe",
                "distance_km": 2.0,
                "flow": 30_000.0,
                "delivered": 29_000.0,
                "co2_avoided_t_per_a": 126.15,
                "fixed_cny_per_a": 100_000.0,
                "value_cny_per_a": 377_000.0,
            },
            {
                "link_id": "L4",
                "from": "E3",
                "to": "E2",
                "material": "steel_slag",
                "route": "road_base",
                "flow": 0.0,
                "build": 0,
            },
        ]
    )
    targets = pd.DataFrame(
        [
            {
                "id": "bulk-2025",
                "scope": "all",
                "target": 0.78,
                "rate": 480_000 / 630_000,
                "met": False,
                "utilised": 480_000.0,
                "generated": 600_000.0,
                "drawn": 30_000.0,
                "shortfall": 11_400.0,
                "unit": "t/a",
            }
        ]
    )
    return _result(util, links, baseline=baseline, targets=targets)


# ---- the formula ---------------------------------------------------------------------------
def test_rate_counts_stock_drawn_in_numerator_and_denominator():
    # 90 000 utilised of which 10 000 from earlier stock, 100 000 generated: 90/110
    assert utilisation_rate(90_000, 100_000, 10_000) == pytest.approx(0.818181818)
    assert utilisation_rate(90_000, 100_000, 10_000) != pytest.approx(0.9)
    assert np.isnan(utilisation_rate(0.0, 0.0, 0.0))


def test_gap_in_points_and_tonnes():
    # 480 000 / 630 000 = 76.19 %: 1.81 pp and 11 400 t/a short of 78 %, 36 600 t/a of 82 %
    pp, t = gap_to_target(480_000, 600_000, 30_000, 0.78)
    assert pp == pytest.approx(78 - 76.190476, abs=1e-5)
    assert t == pytest.approx(11_400.0)
    assert gap_to_target(480_000, 600_000, 30_000, 0.82)[1] == pytest.approx(36_600.0)
    assert gap_to_target(270_000, 300_000, 0, 0.82) == (0.0, 0.0)


def test_bulk_totals_with_and_without_tailings(result):
    u = utilisation_rows(result, None)
    p1 = u[(u["scope_type"] == "park") & (u["scope_id"] == "P1")].set_index("category")
    # with tailings: (90 000 + 100 000 + 120 000) / (800 000 + 30 000)
    assert p1.at[BULK_TOTAL, "rate"] == pytest.approx(310_000 / 830_000)
    # without: (90 000 + 120 000) / (300 000 + 30 000); waste heat (GJ) never enters
    assert p1.at[BULK_EXCL_TAILINGS, "rate"] == pytest.approx(210_000 / 330_000)
    assert p1.at[BULK_EXCL_TAILINGS, "stored_disposed"] == pytest.approx(120_000)
    assert p1.at[BULK_EXCL_TAILINGS, "unit"] == "t/a"


def test_rates_recomputed_from_the_sums_not_trusted(result):
    result.utilisation["rate"] = 0.5  # a wrong rate in the input table
    u = utilisation_rows(result, None)
    row = u[(u["scope_type"] == "enterprise") & (u["category"] == "fly_ash")]
    assert row["rate"].iloc[0] == pytest.approx(90_000 / 110_000)


def test_scopes_add_up(result):
    u = utilisation_rows(result, None)
    qty = ["generated", "utilised", "drawn", "stored_disposed"]
    ent = u[u["scope_type"] == "enterprise"].assign(park=lambda d: d["scope_id"].map(PARK))
    by_park = ent.groupby(["park", "category"])[qty].sum()
    park = u[u["scope_type"] == "park"].set_index(["scope_id", "category"])[qty]
    pd.testing.assert_frame_equal(by_park.sort_index(), park.sort_index(), check_names=False)
    whole = u[u["scope_type"] == "all"].set_index("category")[qty].sort_index()
    pd.testing.assert_frame_equal(
        park.groupby(level="category").sum().sort_index(), whole, check_names=False
    )


# ---- tables ------------------------------------------------------------------------------
def test_target_table_whole_and_each_park(result):
    rep = build_report(None, result, lang="en")
    t = rep.table("targets").set_index("Scope")
    assert list(t.index) == ["Whole scenario", "P1", "P2"]
    whole = t.loc["Whole scenario"]
    assert whole["Utilisation rate (%)"] == pytest.approx(100 * 480 / 630)
    assert whole["2025 target (%)"] == pytest.approx(78.0)
    assert whole["Shortfall to 2025 (t/a)"] == pytest.approx(11_400.0)
    assert whole["Shortfall to 2030 (t/a)"] == pytest.approx(36_600.0)
    assert t.loc["P1", "Gap to 2030 (pp)"] == pytest.approx(82 - 100 * 210 / 330)
    assert t.loc["P2", "Shortfall to 2030 (t/a)"] == 0.0


def test_before_after_and_links_added(result):
    rep = build_report(None, result, lang="en")
    ba = rep.table("before_after").set_index("Scope")
    # before: (80 000 + 0 + 270 000) / 600 000; after: 480 000 / 630 000
    assert ba.loc["Whole scenario", "Rate before (%)"] == pytest.approx(100 * 350 / 600)
    assert ba.loc["Whole scenario", "Utilised added (t/a)"] == pytest.approx(130_000)
    links = rep.table("links").set_index("Link id")
    assert links.loc["L1", "Link"] == "existing"
    assert links.loc["L2", "Link"] == "proposed"
    assert links.loc["L1", "Flow added"] == pytest.approx(10_000)
    assert links.loc["L2", "Flow added"] == pytest.approx(120_000)
    assert "L4" not in links.index  # never built
    ov = rep.table("overview").set_index("Indicator")
    assert ov.loc["Links built", "After (optimised)"] == 3
    assert ov.loc["of which proposed", "After (optimised)"] == 2


def test_orc_power_with_both_grid_factors(result):
    rep = build_report(None, result, lang="en")
    eff = rep.table("effects").set_index("Link id")
    mwh = 29_000 * ORC_MWH_PER_GJ_DEFAULT
    g = grid_factors()
    assert g == {"national": 0.5306, "sichuan": 0.1564}
    assert eff.loc["L3", "Electricity generated (MWh/a)"] == pytest.approx(mwh)
    # steam pipes emit nothing per t·km in the catalogue, so no transport CO2 is subtracted
    assert eff.loc["L3", "CO₂ avoided (national grid) (t CO₂/a)"] == pytest.approx(mwh * 0.5306)
    assert eff.loc["L3", "CO₂ avoided (Sichuan grid) (t CO₂/a)"] == pytest.approx(mwh * 0.1564)
    assert eff.loc["L3", "Energy saved (tce/a)"] == pytest.approx(mwh * TCE_PER_MWH_ELECTRICITY)
    # a solid link is not touched by the grid factor
    assert eff.loc["L2", "CO₂ avoided (national grid) (t CO₂/a)"] == pytest.approx(360.0)
    assert eff.loc["Total", "CO₂ avoided (as modelled) (t CO₂/a)"] == pytest.approx(
        60_000 + 360 + 126.15
    )


def test_heat_to_a_heat_user_counts_tce():
    links = pd.DataFrame(
        {
            "route": ["process_steam"],
            "material": ["waste_heat"],
            "delivered": [29_307.6],
            "flow": [29_307.6],
            "distance_km": [1.0],
            "co2_avoided_t_per_a": [10.0],
            "transport_co2_t_per_a": [0.0],
        }
    )
    eff = link_effects(links, None)
    assert eff["energy_saved_tce_per_a"].iloc[0] == pytest.approx(1000.0, rel=2e-3)
    assert eff["electricity_mwh_per_a"].iloc[0] == 0.0


def test_economics_allocation(result):
    rep = build_report(None, result, lang="en")
    e = rep.table("economics_links").set_index("Link id")
    # generator E2: 3.0 M disposal saved − 1.0 M transport − 0.2 M fixed; user E1: 6.0 M value
    assert e.loc["L2", "Generator's net (CNY/a)"] == pytest.approx(1_800_000)
    assert e.loc["L2", "User's net (CNY/a)"] == pytest.approx(6_000_000)
    assert e.loc["L2", "Net benefit (CNY/a)"] == pytest.approx(7_800_000)
    assert e.loc["L2", "Transfer price, min (CNY/unit)"] == pytest.approx(-15.0)
    assert e.loc["L2", "Transfer price, max (CNY/unit)"] == pytest.approx(50.0)
    ent = rep.table("economics_enterprises").set_index("Enterprise id")
    # E2 generates L2 and L3: 3.0 M saved, 1.0 + 0.2 + 0.1 M paid
    assert ent.loc["E2", "Disposal saved as generator (CNY/a)"] == pytest.approx(3_000_000)
    assert ent.loc["E2", "Transport and fixed paid as generator (CNY/a)"] == pytest.approx(
        1_300_000
    )
    # the parties' nets add up to minus the optimiser's total cost
    assert ent.loc["Total", "Net benefit (CNY/a)"] == pytest.approx(
        -result.objective["total_cny_per_a"]
    )


def test_chinese_display_uses_wan_tonnes_and_one_decimal(result):
    rep = build_report(None, result, lang="zh")
    shown = display_frame(rep, "targets")
    assert "产生量 (万t/a)" in shown.columns
    whole = shown.iloc[0]
    assert whole["范围"] == "全情景合计"
    assert whole["产生量 (万t/a)"] == "60.00"
    assert whole["综合利用率 (%)"] == "76.2"
    assert whole["距2025年目标差距 (百分点)"] == "1.8"
    # the whole table reads in 万t/a, also the columns below 100 000 t
    assert whole["其中：综合利用往年贮存量 (万t/a)"] == "3.00"
    assert whole["距2025年目标差距量 (万t/a)"] == "1.14"
    assert "产生量 (t/a)" not in shown.columns
    # English keeps tonnes; the overview prints rates with one decimal, counts as integers
    en = build_report(None, result, lang="en")
    assert display_frame(en, "targets").iloc[0]["Generated (t/a)"] == "600,000"
    ov = display_frame(en, "overview").set_index("Indicator")
    assert ov.iloc[0]["After (optimised)"] == "76.2"
    assert ov.loc["Links built", "After (optimised)"] == "3"


# ---- languages -------------------------------------------------------------------------------
def test_every_label_in_both_languages():
    for key, texts in LABELS.items():
        assert set(texts) == set(LANGS), key
        assert all(t.strip() for t in texts.values()), key
    with pytest.raises(ValueError, match="language 'fr'"):
        label("generated", "fr")


def test_english_report_has_no_chinese_left(result):
    rep = build_report(None, result, lang="en")
    texts = [rep.title, *rep.titles.values(), *rep.meta["notes"]]
    for frame in rep.tables.values():
        texts += list(frame.columns)
        texts += [v for v in frame.to_numpy().ravel() if isinstance(v, str)]
    leftover = [t for t in texts if CJK.search(t)]
    assert leftover == []


def test_chinese_report_uses_official_terms(result):
    rep = build_report(None, result, lang="zh")
    cols = list(rep.table("solid_waste").columns)
    assert cols[3:8] == [
        "产生量 (t/a)",
        "综合利用量 (t/a)",
        "其中：综合利用往年贮存量 (t/a)",
        "贮存/处置量 (t/a)",
        "综合利用率 (%)",
    ]
    cats = set(rep.table("solid_waste")["类别"])
    assert {
        "粉煤灰",
        "尾矿",
        "工业副产石膏",
        "冶炼废渣",
        "大宗工业固体废物合计（不含尾矿）",
    } <= cats
    assert set(rep.table("energy_gas")["类别"]) == {"余热"}
    assert rep.tables.keys() == build_report(None, result, lang="en").tables.keys()


def test_met_read_back_as_text_is_understood(result):
    result.targets["met"] = "False"  # as a CSV read without dtypes gives it
    rep = build_report(None, result, lang="en")
    assert rep.table("scenario_targets")["Met"].tolist() == ["no"]


def test_unknown_language_is_refused(result):
    with pytest.raises(ValueError, match="'de'"):
        build_report(None, result, lang="de")


def test_report_without_baseline_says_so(result):
    result.baseline = None
    rep = build_report(None, result, lang="en")
    assert "before_after" not in rep.tables
    assert any("No baseline" in n for n in rep.meta["notes"])


# ---- formats -----------------------------------------------------------------------------
class _Collect(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_format_opens_and_holds_the_target_rows(result, tmp_path, lang):
    paths = write_reports(
        None, result, tmp_path / "out", lang=lang, formats=("md", "html", "xlsx", "csv")
    )
    names = {p.name for p in paths}
    assert {"report.md", "report.html", "report.xlsx", "report_targets.csv"} <= names
    assert all(p.is_file() for p in paths)
    whole = label("all_scope", lang)
    target_2025 = label("rate_2025", lang)

    md = (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    assert target_2025 in md
    assert whole in md

    sheets = pd.read_excel(tmp_path / "out" / "report.xlsx", sheet_name=None)
    assert len(sheets) == 1 + len(build_report(None, result, lang=lang).tables)
    tgt = next(df for df in sheets.values() if f"{target_2025} (%)" in df.columns)
    assert tgt[f"{target_2025} (%)"].tolist() == [78.0, 78.0, 78.0]
    assert whole in tgt.iloc[:, 1].tolist()

    parser = _Collect()
    parser.feed((tmp_path / "out" / "report.html").read_text(encoding="utf-8"))
    tags = [t for t, _ in parser.tags]
    assert "script" not in tags
    assert "link" not in tags
    assert tags.count("svg") == 3  # rate chart, Sankey in t/a, Sankey in GJ/a
    assert sum(1 for t, a in parser.tags if a.get("class") == "target-line") == 2
    assert whole in "".join(parser.text)

    csv = pd.read_csv(tmp_path / "out" / "report_targets.csv", encoding="utf-8-sig")
    assert csv[f"{target_2025} (%)"].iloc[0] == 78.0


def test_write_reports_refuses_unknown_format(result, tmp_path):
    with pytest.raises(ValueError, match="'pdf'"):
        write_reports(None, result, tmp_path / "o", formats=("pdf",))
    assert not (tmp_path / "o").exists()


def test_write_reports_adds_to_an_existing_folder(result, tmp_path):
    out = tmp_path / "solve"
    out.mkdir()
    (out / "flows.csv").write_text("kept\n", encoding="utf-8")
    write_reports(None, result, out)
    assert (out / "flows.csv").read_text(encoding="utf-8") == "kept\n"
    # the charts come as PNG beside report.html too (issue 14)
    assert {p.name for p in out.iterdir()} == {
        "flows.csv",
        "report.md",
        "report.html",
        "report_rates.png",
        "report_sankey_gj.png",
        "report_sankey_t.png",
    }


# ---- command line ------------------------------------------------------------------------------
def test_report_command_needs_a_solve_folder(tmp_path, capsys):
    from parkflow.cli import main

    assert main(["report", str(tmp_path)]) == 2
    assert "no summary.json" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_report_command_writes_into_the_folder(result, tmp_path, monkeypatch, capsys):
    """`parkflow report DIR --lang en --format xlsx` reads DIR and adds report.xlsx to it."""
    import json

    from parkflow.cli import main

    summary = importlib.import_module("parkflow.io.solution")
    (tmp_path / "summary.json").write_text(
        json.dumps({"scenario": "hand park", "scenario_path": str(tmp_path / "gone")}),
        encoding="utf-8",
    )
    monkeypatch.setattr(summary, "read_result", lambda folder: result)
    assert (
        main(["report", str(tmp_path), "--lang", "en", "--format", "xlsx", "--format", "csv"]) == 0
    )
    captured = capsys.readouterr()
    assert "no longer there" in captured.err
    assert (tmp_path / "report.xlsx").is_file()
    assert (tmp_path / "report_targets.csv").is_file()
    assert not (tmp_path / "report.md").exists()
    assert (tmp_path / "summary.json").is_file()


def test_names_come_from_the_scenario(result):
    import geopandas as gpd

    from parkflow.catalogue import builtin_catalogue
    from parkflow.models.scenario import Scenario

    ent = gpd.GeoDataFrame(
        {
            "name": ["永祥水泥", "福华化工", "和邦钢铁"],
            "park": ["P1", "P1", "P2"],
            "sector": ["cement", "chemicals", "steel"],
            "lon": [103.8, 103.81, 103.9],
            "lat": [29.4, 29.41, 29.5],
        },
        index=pd.Index(["E1", "E2", "E3"], name="enterprise_id"),
        geometry=gpd.points_from_xy([103.8, 103.81, 103.9], [29.4, 29.41, 29.5]),
        crs=4326,
    )
    parks = gpd.GeoDataFrame(
        {"name": ["五通桥园区", "沙湾园区"], "level": ["provincial"] * 2},
        index=pd.Index(["P1", "P2"], name="park_id"),
        geometry=[None, None],
        crs=4326,
    )
    empty = pd.DataFrame()
    sc = Scenario(
        name="hand park",
        enterprises=ent,
        supplies=empty,
        uses=empty,
        stockpiles=empty,
        links=empty,
        parks=parks,
        catalogue=builtin_catalogue(),
        targets=(),
    )
    rep = build_report(sc, result, lang="zh")
    assert list(rep.table("targets")["范围"]) == ["全情景合计", "五通桥园区", "沙湾园区"]
    links = rep.table("links").set_index("链接编号")
    assert links.loc["L2", "产废企业"] == "福华化工"
    assert links.loc["L2", "利用企业"] == "永祥水泥"
    assert "未找到原情景文件" not in " ".join(rep.meta["notes"])
    ent_table = rep.table("economics_enterprises").set_index("企业编号")
    assert ent_table.loc["E3", "园区"] == "沙湾园区"
    # sectors by name (sectors.csv), never the raw id
    assert ent_table.loc["E1", "行业"] == "水泥"
    assert ent_table.loc["E3", "行业"] == "钢铁"
    en = build_report(sc, result, lang="en").table("economics_enterprises")
    assert en.set_index("Enterprise id").loc["E2", "Sector"] == "Chemicals"


def test_links_built_agrees_with_the_summary(result):
    # an existing link is forced open: built, even when it carries nothing this year
    flows = result.flows.copy()
    flows.loc["L1", ["flow", "delivered"]] = 0.0
    res = Result(**{**result.__dict__, "flows": flows})
    assert summary_dict(res)["links_built"] == 3  # L1 (existing, no flow), L2, L3
    for lang, row, col in (
        ("en", "Links built", "After (optimised)"),
        ("zh", "建成链接数", "优化后"),
    ):
        ov = (
            build_report(None, res, lang=lang)
            .table("overview")
            .set_index("Indicator" if lang == "en" else "指标")
        )
        assert ov.loc[row, col] == summary_dict(res)["links_built"]
    ov = build_report(None, res, lang="en").table("overview").set_index("Indicator")
    assert ov.loc["of which proposed", "After (optimised)"] == 2
    assert (
        ov.loc["Links built", "Before (existing links only)"]
        == summary_dict(res.baseline)["links_built"]
        == 1
    )
    assert "| Links built | 1 | 3 | 2 | count |" in to_markdown(build_report(None, res, "en"))


def test_target_labels_of_the_rate_chart_do_not_overlap(result):
    # 78 % and 82 % lie 11 px apart on the 230 px plot: the labels are moved 14 px apart
    svg = rate_chart_svg(
        pd.DataFrame({"scope": ["all"], "rate": [0.9], "rate_baseline": [0.5]}),
        {2025: 0.78, 2030: 0.82},
        "zh",
    )
    ys = sorted(
        float(y)
        for y in re.findall(
            r'<text x="[\d.]+" y="([\d.]+)"[^>]*'
            r'class="target-label"',
            svg,
        )
    )
    assert len(ys) == 2
    assert ys[1] - ys[0] >= 14 - 1e-6
    # a cluster keeps its mean (105.667) and spreads 14 px apart
    assert target_label_y([100.0, 108.0, 109.0]) == pytest.approx([91.667, 105.667, 119.667])
    assert target_label_y([109.0, 100.0]) == [111.5, 97.5]  # the order of the input is kept
    assert target_label_y([10.0, 60.0]) == [10.0, 60.0]


def test_sankey_leaves_room_for_long_names():
    long_name = "五通达化工(离子膜烧碱/草甘膦)有限公司"
    flows = pd.DataFrame(
        {
            "from_name": [long_name],
            "route_name": ["水泥缓凝剂"],
            "to_name": ["永祥水泥"],
            "material_name": ["磷石膏"],
            "flow": [1.0],
        }
    )
    svg = sankey_svg(flows, "t/a")
    # the generator's label ends 4 px left of its node; the node leaves the label's width
    x_node = float(re.search(r'<rect x="([\d.]+)" y="[\d.]+" width="14[.0]*"', svg).group(1))
    assert x_node >= text_width(long_name) + 4


def test_flows_read_back_from_csv_match_by_link_id(result):
    """A folder read back gives flows with a link_id column and a plain index."""
    result.flows = result.flows.reset_index()
    result.baseline.flows = result.baseline.flows.reset_index().iloc[::-1]
    links = build_report(None, result, lang="en").table("links").set_index("Link id")
    assert links.loc["L1", "Flow before"] == pytest.approx(80_000)
    assert links.loc["L2", "Flow before"] == 0.0


def test_report_of_a_run_without_solution(tmp_path):
    empty = pd.DataFrame()
    res = Result(
        scenario_name="x",
        status=SolveStatus.INFEASIBLE,
        objective_name="cost",
        links=empty,
        flows=empty,
        draws=empty,
        sources=empty,
        utilisation=empty,
        targets=empty,
        objective={},
        co2_avoided_t_per_a=0.0,
        solver={},
    )
    rep = build_report(None, res, lang="zh")
    assert rep.meta["status"] == "无可行解"
    assert rep.table("targets").empty
    paths = write_reports(None, res, tmp_path / "o", formats=("md", "html", "xlsx"))
    assert "（无）" in paths[0].read_text(encoding="utf-8")


def test_utilisation_from_sources_when_the_table_is_missing(result):
    importlib.import_module("parkflow.statistics.utilisation")
    expected = build_report(None, result, lang="en").table("targets")
    result.utilisation = pd.DataFrame()
    got = build_report(None, result, lang="en").table("targets")
    pd.testing.assert_frame_equal(got, expected)


# ---- the sub-item 其中：综合利用往年贮存量 follows 综合利用量 ---------------------------------
@pytest.mark.parametrize("key", ["targets", "scenario_targets", "solid_waste"])
def test_drawn_comes_right_after_utilised(result, key):
    cols = list(build_report(None, result, lang="zh").table(key).columns)
    i = cols.index("综合利用量 (t/a)") if "综合利用量 (t/a)" in cols else cols.index("综合利用量")
    assert cols[i + 1].startswith("其中：综合利用往年贮存量")
    assert cols[i - 1].startswith("产生量")


def test_overview_rows_put_drawn_under_utilised(result):
    ind = build_report(None, result, lang="zh").table("overview")["指标"].tolist()
    assert [s.split(" — ")[0] for s in ind[1:4]] == [
        "产生量",
        "综合利用量",
        "其中：综合利用往年贮存量",
    ]


# ---- the tailings rule (flag OR category) also at category level -----------------------------
def test_report_excludes_a_flagged_category_from_the_bulk_total(result):
    from dataclasses import replace

    from parkflow.catalogue import builtin_catalogue

    cat = builtin_catalogue()
    mats = cat.materials.copy()
    mats.loc["tailings", "is_tailings"] = False  # still tailings by its category
    mats.loc["red_mud", "is_tailings"] = True  # flagged: its category red_mud counts as tailings
    cat = replace(cat, materials=mats)
    util = result.utilisation
    util = util[~util["category"].isin([BULK_TOTAL, BULK_EXCL_TAILINGS])]
    extra = util[util["category"] == "fly_ash"].assign(category="red_mud", utilised=0.0, drawn=0.0)
    result.utilisation = pd.concat([util, extra], ignore_index=True)
    rows = utilisation_rows(result, cat)
    whole = rows[(rows.scope_type == "all") & (rows.category == BULK_EXCL_TAILINGS)].iloc[0]
    # fly ash 100 000 + gypsum 200 000 + slag 300 000; tailings and red mud left out
    assert whole["generated"] == pytest.approx(600_000)
    assert whole["utilised"] == pytest.approx(480_000)


# ---- a report from a saved folder has the before/after comparison --------------------------
def test_report_from_a_folder_compares_before_and_after(tmp_path, capsys):
    """Baseline (existing L2 only, capacity 60 t/a): 60 of 100 t = 60.0 %. Optimised: L1 takes
    100 t + 20 t drawn, 120 of 120 t = 100.0 %."""
    from _solve_helpers import tiny_park

    from parkflow.cli import main
    from parkflow.io.solution import read_result as read_solution
    from parkflow.io.solution import write_solution
    from parkflow.solvers.api import solve

    sc = tiny_park(l2_existing=True, cap_e3=60.0)
    out = write_solution(sc, solve(sc), tmp_path / "out")
    assert {"baseline_utilisation.csv", "baseline_sources.csv"} <= {p.name for p in out.iterdir()}
    back = read_solution(out)
    assert back.baseline.targets["rate"].item() == pytest.approx(0.6)
    assert back.baseline.sources.loc["E1:fly_ash", "utilised"] == pytest.approx(60.0)

    assert main(["report", str(out), "--format", "md"]) == 0
    capsys.readouterr()
    md = (out / "report.md").read_text(encoding="utf-8")
    assert label("t_before_after", "zh") in md
    assert "| 全情景 | 全情景合计 | 60.0 | 100.0 | 40.0 | 60 | 120 | 60 |" in md
    assert label("no_baseline_note", "zh") not in md
    # the HTML chart's "before" bars get their values
    rates = build_report(None, back, lang="zh").charts["rates"]
    assert rates["rate_baseline"].to_numpy() == pytest.approx(0.6)
