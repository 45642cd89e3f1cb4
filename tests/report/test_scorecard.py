"""The circular-transformation scorecard and the project list, checked by hand on a tiny park."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from parkflow.catalogue import TCE_PER_GJ
from parkflow.cli import main
from parkflow.statistics.scorecard import (
    INVESTMENT_PER_ANNUAL_FIXED,
    REFERENCES,
    project_list,
    scorecard,
)


def _util() -> pd.DataFrame:
    rows = []
    for scope_type, scope_id in (("all", "all"), ("park", "P1")):
        rows += [
            {
                "scope_type": scope_type,
                "scope_id": scope_id,
                "category": "bulk_excl_tailings",
                "generated": 100.0,
                "utilised": 80.0,
                "drawn": 0.0,
                "rate": 0.8,
                "unit": "t/a",
            },
            {
                "scope_type": scope_type,
                "scope_id": scope_id,
                "category": "waste_heat",
                "generated": 1000.0,
                "utilised": 600.0,
                "drawn": 0.0,
                "rate": 0.6,
                "unit": "GJ/a",
            },
        ]
    return pd.DataFrame(rows)


def _links() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "from": ["E1", "E3"],
            "to": ["E2", "E2"],
            "material": ["waste_heat", "fly_ash"],
            "route": ["district_heating", "cement_blend"],
            "mode": ["hot_water_pipe", "truck"],
            "distance_km": [2.0, 5.0],
            "unit": ["GJ/a", "t/a"],
            "flow": [600.0, 80.0],
            "delivered": [600.0, 80.0],
            "fixed_cny_per_a": [20_000.0, 0.0],
            "co2_avoided_t_per_a": [30.0, 40.0],
            "transport_co2_t_per_a": [0.0, 0.0],
            "existing": [False, True],
        },
        index=["L1", "L2"],
    )


def _enterprises() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "park": ["P1", "P1", "P1"],
            "value_added_cny_per_a": [1e8, 5e7, np.nan],
            "energy_use_tce_per_a": [1e4, 5e3, np.nan],
            "water_use_t_per_a": [9e4, "", np.nan],  # a blank cell is read as missing
            "water_reused_t_per_a": [9e5, np.nan, np.nan],
        },
        index=["E1", "E2", "E3"],
    )


def test_scorecard_of_a_tiny_park_by_hand():
    sc = scorecard(_util(), _links(), _enterprises())
    p1 = sc[sc["scope_id"] == "P1"].set_index("indicator")
    assert set(sc["scope_id"]) == {"all", "P1"}
    # bulk 80 / 100 on the nbs basis, against Sichuan's 78 %
    assert p1.at["bulk_rate", "value"] == pytest.approx(80.0)
    assert p1.at["bulk_rate", "basis"] == "nbs"
    assert p1.at["bulk_rate", "reference"] == pytest.approx(78.0)
    assert p1.at["bulk_rate", "meets"] is True
    # waste heat 600 of 1000 GJ
    assert p1.at["waste_heat_rate", "value"] == pytest.approx(60.0)
    # energy saved: 600 GJ of heat delivered × 0.03412 tce/GJ; CO2 of both links (E3's too)
    assert p1.at["energy_saved", "value"] == pytest.approx(600 * TCE_PER_GJ)
    assert p1.at["co2_avoided", "value"] == pytest.approx(70.0)
    # water reuse 9e5 / (9e5 + 9e4) = 90.9 % ≥ 90 %
    assert p1.at["water_reuse", "value"] == pytest.approx(100 * 9e5 / 9.9e5)
    assert p1.at["water_reuse", "meets"] is True
    # energy productivity 1.5e8 CNY / 1.5e4 tce = 1 万元/tce, below 2
    assert p1.at["energy_productivity", "value"] == pytest.approx(1.0)
    assert p1.at["energy_productivity", "meets"] is False
    # water productivity only where both are given: E1 1e8 / 9e4 = 1111 CNY/m³
    assert p1.at["water_productivity", "value"] == pytest.approx(1e8 / 9e4)
    # no resource column: n/a, naming the missing column
    assert np.isnan(p1.at["resource_productivity", "value"])
    assert p1.at["resource_productivity", "needs"] == "resource_use_t_per_a"
    assert set(p1["source"]) <= {src for _, _, src in REFERENCES.values()}


def test_scorecard_without_any_optional_column_says_what_is_needed():
    sc = scorecard(_util(), _links(), pd.DataFrame({"park": ["P1"]}, index=["E1"]))
    row = sc[(sc["scope_id"] == "P1") & (sc["indicator"] == "energy_productivity")].iloc[0]
    assert row["needs"] == "value_added_cny_per_a, energy_use_tce_per_a"


def test_project_list_takes_proposed_links_with_investment():
    links = _links()
    p = project_list(links)
    assert p.index.tolist() == ["L1"]  # L2 exists already: not a project
    assert p.at["L1", "investment_cny"] == pytest.approx(20_000 * INVESTMENT_PER_ANNUAL_FIXED)
    assert p.at["L1", "investment_basis"] == "factor"
    links["capex_cny"] = [123_456.0, np.nan]
    assert project_list(links).at["L1", "investment_cny"] == 123_456.0


def test_report_scorecard_command_and_the_report_include_it(tmp_path, capsys):
    from parkflow.io.bundled import bundled_scenario_path

    out = tmp_path / "o"
    assert (
        main(
            [
                "solve",
                str(bundled_scenario_path("leshan-wutongqiao")),
                "--out",
                str(out),
                "--lang",
                "en",
            ]
        )
        == 0
    )
    report = (out / "report.md").read_text(encoding="utf-8")
    assert "11. Park circular-transformation scorecard" in report
    assert main(["report", str(out), "--scorecard", "--lang", "en"]) == 0
    md = (out / "scorecard.md").read_text(encoding="utf-8")
    assert "Park circular-transformation scorecard" in md
    assert "12. Project list" in md
    assert "n/a — needs column value_added_cny_per_a" in md
    assert (out / "scorecard.xlsx").is_file()
