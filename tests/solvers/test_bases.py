"""The three bases on one tiny park, solved, and in every output (docs/model.md#bases).

The park is :func:`_domain_parks.bases_park`: per t A = −65, Y = −70, X = −5 CNY.
"""

from __future__ import annotations

import pytest
from _domain_parks import bases_park

from parkflow.report import build_report
from parkflow.solvers.api import solve
from parkflow.statistics.utilisation import utilisation_rows


def _all_pg(util):
    return util[(util["scope_type"] == "all") & (util["category"] == "byproduct_gypsum")].iloc[0]


def test_three_rates_of_one_solution_by_hand():
    """Board takes Y = 30 first (−70/t), then A = 120 (−65/t); X = min(50, 180 − 120) = 50.

    Cost = −2,100 − 7,800 − 250 = −10,150 CNY/a; 10 t/a of E1's G' stays stored. E4 sends 30 t/a
    with G' = 0: R_U = 30, R_D = 0. U = 150, X = 50, O = 20, G = 200:

    * nbs = (150 + 20)/(200 + 30) = 170/230 = 73.91 % (not met: 0.78·230 − 170 = 9.4 t);
    * new = (150 − 30 + 20)/200 = 70 % (met);
    * consumption = (150 + 50 + 20)/(200 + 30 + 0) = 220/230 = 95.65 % (met).
    """
    res = solve(bases_park(), baseline=False)
    assert res.objective["total_cny_per_a"] == pytest.approx(-10150.0)
    t = res.targets.set_index("id")
    assert t.loc["nbs", "rate"] == pytest.approx(170 / 230)
    assert t.loc["new", "rate"] == pytest.approx(140 / 200)
    assert t.loc["cons", "rate"] == pytest.approx(220 / 230)
    assert t["rate_nbs"].tolist() == pytest.approx([170 / 230] * 3)
    assert t.loc["nbs", "shortfall"] == pytest.approx(0.78 * 230 - 170)
    assert t.loc["nbs", "status"] == "not_enforced"
    assert t.loc["new", "met"]
    assert t.loc["cons", "met"]
    assert t.loc["nbs", "utilised"] == pytest.approx(170.0)  # U + O
    assert t.loc["nbs", "utilised_outside"] == pytest.approx(20.0)
    assert t.loc["nbs", "safe_disposal"] == pytest.approx(50.0)
    assert t.loc["nbs", "drawn_utilised"] == pytest.approx(30.0)
    assert t.loc["nbs", "drawn_disposed"] == pytest.approx(0.0)


def test_every_rate_in_the_utilisation_table():
    """utilisation.csv: the amounts, stored = 200 + 30 − 170 − 50 = 10, and the three rates."""
    res = solve(bases_park(), baseline=False)
    row = _all_pg(res.utilisation)
    assert row["utilised"] == pytest.approx(170.0)
    assert row["utilised_outside"] == pytest.approx(20.0)
    assert row["safe_disposal"] == pytest.approx(50.0)
    assert row["drawn"] == pytest.approx(30.0)
    assert row["drawn_utilised"] == pytest.approx(30.0)
    assert row["drawn_disposed"] == pytest.approx(0.0)
    assert row["stored"] == pytest.approx(10.0)
    assert row["rate"] == pytest.approx(170 / 230)
    assert row["rate_nbs"] == pytest.approx(170 / 230)
    assert row["rate_new"] == pytest.approx(140 / 200)
    assert row["rate_consumption"] == pytest.approx(220 / 230)
    rows = _all_pg(utilisation_rows(res, None))
    assert rows["rate"] == pytest.approx(170 / 230)
    assert rows["rate_consumption"] == pytest.approx(220 / 230)


def test_only_the_bases_a_target_uses_get_a_column():
    res = solve(
        bases_park(targets=[{"id": "nbs", "materials": "phosphogypsum", "rate": 0.5}]),
        baseline=False,
    )
    assert "rate_nbs" in res.utilisation.columns
    assert "rate_new" not in res.utilisation.columns
    assert "rate_consumption" not in res.utilisation.columns


def test_report_shows_the_target_rows_rate():
    """The report's rate (tables and chart data) is the nbs rate of the target row: 73.9 %.

    The bug this guards: the rate chart read utilised without utilised_outside (and with the
    safe-disposal flow), (150 + 50)/230 or 150/230, while the target row said 170/230.
    """
    res = solve(bases_park(), baseline=False)
    rep = build_report(None, res, lang="en")
    sc = rep.tables["scenario_targets"]
    assert sc["Utilisation rate (%)"].tolist() == pytest.approx(
        [100 * 170 / 230, 100 * 140 / 200, 100 * 220 / 230]
    )
    over = rep.tables["solid_waste"]
    assert 100 * 170 / 230 in [pytest.approx(v) for v in over["Utilisation rate (%)"]]
    card = rep.tables["scorecard"]
    bulk = card[card["Indicator"].str.startswith("Bulk") & (card["Scope"] == "Whole scenario")]
    # the nbs rate against the Sichuan target, the other two bases reported only
    assert bulk["Value"].tolist() == pytest.approx([100 * 170 / 230, 70.0, 100 * 220 / 230])
    assert bulk["Reference"].iloc[0] == pytest.approx(78.0)
    assert bulk["Reference"].iloc[1:].isna().all()


@pytest.mark.parametrize(
    ("target", "y", "cost"),
    [
        # nbs 0.78: A + Y − 0.78 Y ≥ 0.78·200 − 20 = 136 with A = 150 − y → y ≤ 14/0.78
        (
            {"id": "t", "materials": "phosphogypsum", "rate": 0.78},
            14 / 0.78,
            -9900 - 10 * 14 / 0.78,
        ),
        # new 0.72: A ≥ 0.72·200 − 20 = 124 → y = 26; cost −10,000 − 5y
        (
            {"id": "t", "materials": "phosphogypsum", "rate": 0.72, "basis": "new"},
            26.0,
            -10130.0,
        ),
        # consumption 0.97: A + y + 50 − 0.97 y ≥ 174 → 200 − 0.97 y ≥ 174 → y = 26/0.97
        (
            {"id": "t", "materials": "phosphogypsum", "rate": 0.97, "basis": "consumption"},
            26 / 0.97,
            -10000 - 5 * 26 / 0.97,
        ),
    ],
)
def test_enforced_basis_rows_by_hand(target, y, cost):
    """One basis enforced at a time: y = Y's flow, A = 150 − y, X = min(50, 30 + y).

    Cost = −70 y − 65 (150 − y) − 5 min(50, 30 + y); for y ≥ 20 that is −9,900 − 10 y + ...
    (X = 50): −70y − 9,750 + 65y − 250 = −10,000 − 5y. For y < 20, X = 30 + y:
    −70y − 9,750 + 65y − 150 − 5y = −9,900 − 10y.
    """
    res = solve(bases_park(targets=[target]), baseline=False)
    assert res.links.loc["Y", "flow"] == pytest.approx(y, abs=1e-4)
    assert res.objective["total_cny_per_a"] == pytest.approx(cost, abs=1e-3)
    t = res.targets.iloc[0]
    assert t["rate"] == pytest.approx(target["rate"], abs=1e-6)
    assert t["met"]


def test_utilisation_objective_maximises_the_nbs_rate_with_utilised_outside():
    """Max (U + O)/(G + R_U): board takes A = 150 from fresh PG, no stock (it would only add
    to the denominator): (150 + 20)/200 = 85 %. Least cost at that rate: X = 180 − 150 = 30,
    Y = 0 → 150 × −65 + 30 × −5 = −9,900 CNY/a.
    """
    res = solve(bases_park(), objective="utilisation", baseline=False)
    t = res.targets.set_index("id")
    assert t.loc["nbs", "rate"] == pytest.approx(0.85)
    assert res.links.loc["Y", "flow"] == pytest.approx(0.0, abs=1e-6)
    assert res.objective["total_cny_per_a"] == pytest.approx(-9900.0)
