"""The before is today's practice, evaluated (docs/model.md, "The before"), and today's outlets.

The park (docs/model.md, "Today's outlets"): E1 power generates 100 t/a of fly ash, of which
30 t/a go to outside buyers (``utilised_outside``), so the model sends at most G' = 70 t/a.
E2 cement (admixture, value 0, capacity 80) is 10 km away on the *existing* link L1, which carries
40 t/a today (``baseline_quantity``); E3 bricks (value 30, capacity 100) is 5 km away on L2.
Truck 0.5 CNY/t·km + 10 CNY/t, fly-ash stacking cost 8 CNY/t (fate ``stored``).

Per t sent: L1 = 0.5·10 + 10 − 0 − 8 = +7 CNY; L2 = 0.5·5 + 10 − 30 − 8 = −25.5 CNY.
CO₂ per t: L1 = 0 − 0.0001·10 = −0.001 (admixture value 0 but its factor is 0.75: see below).
"""

from __future__ import annotations

import warnings

import pytest

from parkflow.errors import ParkflowWarning
from parkflow.examples import (
    enterprises_frame,
    links_frame,
    links_only_park,
    supplies_frame,
    uses_frame,
)
from parkflow.solvers.api import solve

ENT = enterprises_frame(["power", "cement", "bricks"], ["power", "cement", "building_materials"])


def _park(existing_flows: str = "free", baseline: float | None = 40.0, l2_existing=False):
    sup = supplies_frame([("S1", "E1", "fly_ash", 100.0)], utilised_outside=[30.0])
    use = uses_frame(
        [("U2", "E2", "cement_admixture", 80.0), ("U3", "E3", "bricks", 100.0)],
        value=[0.0, 30.0],
    )
    links = links_frame(
        [
            ("L1", "E1", "E2", "fly_ash", "cement_admixture", 10.0),
            ("L2", "E1", "E3", "fly_ash", "bricks", 5.0),
        ],
        existing=[True, l2_existing],
    )
    if baseline is not None:
        links["baseline_quantity"] = [baseline, float("nan")]
    return links_only_park(
        "outlets",
        ENT,
        sup,
        use,
        links,
        targets=[{"id": "ash", "materials": "fly_ash", "rate": 0.0}],
        existing_flows=existing_flows,
    )


def _cost_per_t(res, link):
    row = res.links.loc[link]
    return row["total_cny_per_a"] / row["flow"]


def test_before_is_todays_practice_by_hand():
    """Before: L1 carries its 40 t/a, nothing else: 40 × 7 = +280 CNY/a; nbs (40 + 30)/100 = 70 %.

    The least-cost existing-links solve would instead send nothing on L1 (+7 CNY/t), so the
    evaluated before differs from the old one.
    """
    res = solve(_park())
    base = res.baseline
    assert base is not None
    assert base.solver["name"] == "evaluated"
    assert base.links.loc["L1", "flow"] == pytest.approx(40.0)
    assert base.objective["total_cny_per_a"] == pytest.approx(280.0)
    t = base.targets.set_index("id").loc["ash"]
    assert t["rate"] == pytest.approx(0.70)
    assert t["rate_nbs"] == pytest.approx(0.70)
    assert t["utilised_outside"] == pytest.approx(30.0)
    # the same vectors as the after: CO₂ of 40 t on L1 = 40 × (0.75 − 0.001)
    assert base.co2_avoided_t_per_a == pytest.approx(40 * (0.75 - 0.001))
    # every report's before/after reads result.baseline: its utilisation counts O too
    u = base.utilisation
    row = u[(u["scope_type"] == "all") & (u["category"] == "fly_ash")].iloc[0]
    assert row["utilised"] == pytest.approx(70.0)
    assert row["utilised_outside"] == pytest.approx(30.0)
    assert row["rate"] == pytest.approx(0.70)
    assert row["rate_nbs"] == pytest.approx(0.70)


def test_free_re_optimises_existing_flows():
    """free: L1 stays built but idle, L2 takes all 70 t: 70 × −25.5 = −1,785; nbs 100 %."""
    res = solve(_park("free"))
    assert res.objective["total_cny_per_a"] == pytest.approx(-1785.0)
    assert res.links.loc["L1", "flow"] == pytest.approx(0.0)
    assert res.links.loc["L1", "build"] == 1
    assert res.targets.iloc[0]["rate"] == pytest.approx(1.0)


def test_keep_floors_existing_flows_at_baseline():
    """keep: L1 ≥ 40 → 40 × 7 + 30 × (−25.5) = −485 CNY/a; nbs (40 + 30 + 30)/100 = 100 %."""
    res = solve(_park("keep"))
    assert res.objective["total_cny_per_a"] == pytest.approx(-485.0)
    assert res.links.loc["L1", "flow"] == pytest.approx(40.0)
    assert res.links.loc["L2", "flow"] == pytest.approx(30.0)
    assert res.targets.iloc[0]["rate"] == pytest.approx(1.0)
    assert _cost_per_t(res, "L2") == pytest.approx(-25.5)


def test_existing_link_without_baseline_warns_and_counts_zero():
    """L2 existing, no baseline_quantity: one warning naming it; it carries 0 in the before."""
    with pytest.warns(ParkflowWarning, match="L2"):
        res = solve(_park(l2_existing=True))
    assert res.baseline.links.loc["L2", "flow"] == pytest.approx(0.0)
    assert res.baseline.objective["total_cny_per_a"] == pytest.approx(280.0)


def test_version_1_scenario_keeps_the_least_cost_before():
    """No baseline_quantity column: the before is the least-cost existing-links solve (fallback).

    L1 costs +7 CNY/t, so the least-cost plan on the existing links sends nothing: 0 CNY/a and
    nbs = 30/100 (only the outside buyers).
    """
    with warnings.catch_warnings():
        warnings.simplefilter("error", ParkflowWarning)
        res = solve(_park(baseline=None))
    base = res.baseline
    assert base.solver["name"] != "evaluated"
    assert base.objective["total_cny_per_a"] == pytest.approx(0.0)
    assert base.targets.iloc[0]["rate"] == pytest.approx(0.30)
