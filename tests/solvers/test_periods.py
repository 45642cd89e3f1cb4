"""The multi-period model by hand (design §8.5, §8.6, §8.10/8.11) and its properties
(docs/model.md "Periods")."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import parkflow as pf
from parkflow.errors import ScenarioError
from parkflow.io import scenario_from_frames
from parkflow.models.periods import parse_periods, pv_weights
from parkflow.models.scenario import expand_targets
from parkflow.network import candidate_links
from parkflow.solvers.formulation import build
from parkflow.solvers.periods import build_periods
from tests._solve_helpers import STACK_25, TRUCK, tiny_park
from tests.solvers._facility_parks import MILL_B, mill_frames


def yearly_flows(r) -> pd.DataFrame:
    """Every year's flows with a ``year`` column (the top-level flows are the first year's)."""
    return pd.concat([p["flows"].assign(year=p["year"]) for p in r.periods])


def mill_a(growth: float = 0.5, targets=None, periods=(2025, 2026), generated: float = 80.0):
    """Design §8.5: bf_slag 80 t/a growing 50 %/a, one mill of 100 t/a at E1, r = 0.10.

    Per t into the mill: 18 value − 5 variable − 10 handling + 25 stacking = 28 CNY margin;
    capex 8,000 + 70·100 = 15,000, A = CRF(0.10, 10)·15,000 = 0.162745·15,000 = 2,441.18.
    """
    ent, sup, use = mill_frames(generated, growth_per_a=growth)
    fac = pd.DataFrame({"id": ["F1"], "technology": ["mill_a"], "site": ["E1"]})
    tech = dict(MILL_B, sizes="100", capex_cny_per_unit_a=70.0, value_cny_per_unit=18.0)
    techs = pd.DataFrame([{"id": "mill_a", **tech}])
    techs["accepts"] = techs["accepts"].map(";".join)
    return scenario_from_frames(
        "mill_a",
        ent,
        sup,
        use,
        targets=targets or [{"id": "t", "materials": "bf_slag", "rate": 0.0, "scope": "all"}],
        modes={"truck": dict(TRUCK)},
        facilities=fac,
        technologies=techs,
        stacking_costs=STACK_25,
        discount_rate=0.10,
        year=2025,
        periods=list(periods),
    )


def carry_park(max_draw: float = 100.0):
    """Design §8.6: PG 100 t/a stored at E1 (pile K1 of 10 t), board U2 60 → 100 → 150 t/a.

    Per t −70 CNY (10 handling − 60 value − 20 stacking), r = 0.
    """
    ent = pd.DataFrame(
        {
            "id": ["E1", "E2"],
            "name": ["phosphate", "board"],
            "park": ["P1", "P1"],
            "sector": ["chemicals", "building_materials"],
            "lon": [104.0, 104.0],
            "lat": [30.6, 30.6],
        }
    )
    sup = pd.DataFrame(
        {
            "id": ["S1"],
            "enterprise": ["E1"],
            "material": ["phosphogypsum"],
            "quantity": [100.0],
            "unit": ["t/a"],
        }
    )
    stk = pd.DataFrame(
        {
            "id": ["K1"],
            "enterprise": ["E1"],
            "material": ["phosphogypsum"],
            "quantity": [10.0],
            "unit": ["t"],
            "max_draw": [max_draw],
        }
    )
    use = pd.DataFrame(
        {
            "id": ["U2"],
            "enterprise": ["E2"],
            "route": ["gypsum_board"],
            "capacity": [60.0],
            "unit": ["t/a"],
        }
    )
    links = pd.DataFrame(
        {
            "id": ["L1"],
            "from": ["E1"],
            "to": ["E2"],
            "material": ["phosphogypsum"],
            "route": ["gypsum_board"],
            "mode": ["truck"],
            "existing": [False],
            "distance_km": [0.0],
        }
    )
    traj = pd.DataFrame(
        {
            "kind": ["use"] * 3,
            "id": ["U2"] * 3,
            "year": [2025, 2026, 2027],
            "quantity": [60.0, 100.0, 150.0],
            "unit": ["t/a"] * 3,
        }
    )
    return scenario_from_frames(
        "carry",
        ent,
        sup,
        use,
        stockpiles=stk,
        links=links,
        targets=[{"id": "t", "materials": "phosphogypsum", "rate": 0.0, "scope": "all"}],
        modes={"truck": dict(TRUCK)},
        candidates="links_only",
        year=2025,
        periods=[2025, 2026, 2027],
        trajectories=traj,
        discount_rate=0.0,
    )


def test_periods_and_weights():
    assert parse_periods({"from": 2025, "to": 2030, "step": 1}) == tuple(range(2025, 2031))
    assert parse_periods([2027, 2025]) == (2025, 2027)
    assert pv_weights((2025, 2026), 0.10) == pytest.approx([1.0, 1 / 1.1])
    # a period of two years weighs both years
    assert pv_weights((2025, 2027), 0.10) == pytest.approx([1 + 1 / 1.1, 1 / 1.21])
    with pytest.raises(ValueError, match="repeats"):
        parse_periods([2025, 2025])


def test_waiting_a_year_is_cheaper():
    """2025 alone 28·80 − 2,441.18 = −201.18 (a loss); 2026 28·100 − 2,441.18 = +358.82.
    Build 2026: PV = −358.82/1.1 = −326.20; build 2025: +201.18 − 326.20 = −125.02; never 0."""
    r = pf.solve(mill_a(), baseline=False)
    assert r.status.value == "optimal"
    assert r.present_value_cny == pytest.approx(-326.20, abs=0.01)
    f = r.facilities
    assert list(f["year"]) == [2026]
    assert list(f["build_year"]) == [2026]
    assert [p["capex_cny"] for p in r.periods] == pytest.approx([0.0, 15000.0])
    flows = yearly_flows(r).groupby("year")["flow"].sum()
    assert flows.get(2025, 0.0) == pytest.approx(0.0)
    assert flows[2026] == pytest.approx(100.0)  # 20 t of 2026 stored


def test_a_rate_by_year_forces_the_early_build():
    """rate_by_year {2025: 0.5}, held in 2026: built in 2025, PV −125.02."""
    tg = [{"id": "t", "materials": "bf_slag", "rate_by_year": {2025: 0.5}, "scope": "all"}]
    r = pf.solve(mill_a(targets=tg), baseline=False)
    assert r.status.value == "optimal"
    assert r.present_value_cny == pytest.approx(-125.02, abs=0.01)
    assert list(r.facilities["build_year"].unique()) == [2025]
    rates = [float(p["targets"]["rate"].iloc[0]) for p in r.periods]
    assert all(rate >= 0.5 - 1e-9 for rate in rates)


@pytest.mark.parametrize(
    ("max_draw", "pv", "drawn_2027", "end_2027"),
    [(100.0, -21700.0, 50.0, 0.0), (30.0, -20300.0, 30.0, 20.0)],
)
def test_stock_carry_over_by_hand(max_draw, pv, drawn_2027, end_2027):
    """2025: 60 sent, 40 stored, 10 → 50 t; 2026: 100 sent; 2027: 150 sent, 50 drawn
    (stock_available binds), end 0. PV = −70·(60 + 100 + 150) = −21,700. With max_draw 30:
    2027 sends 130, draws 30, ends at 20 t, PV −20,300."""
    r = pf.solve(carry_park(max_draw), baseline=False)
    assert r.status.value == "optimal"
    assert r.present_value_cny == pytest.approx(pv)
    s = r.stock.set_index("year")
    assert list(s["start"]) == pytest.approx([10.0, 50.0, 50.0])
    assert list(s["stored"]) == pytest.approx([40.0, 0.0, 0.0])
    assert s.loc[2027, "drawn"] == pytest.approx(drawn_2027)
    assert s.loc[2027, "end"] == pytest.approx(end_2027)
    rates = [float(p["targets"]["rate"].iloc[0]) for p in r.periods]
    assert rates == pytest.approx([0.6, 1.0, 1.0])


def test_single_period_is_todays_model():
    """Design §8.10/8.11: tiny_park with stacking cost 25: 120 × −110 = −13,200 CNY/a both ways;
    ``periods: [2025]`` builds the same A, c, bounds and integrality (names carry ``,2025``)."""
    sc = tiny_park(stacking_costs=STACK_25, year=2025)
    sc1 = tiny_park(stacking_costs=STACK_25, year=2025, periods=[2025])
    tg = expand_targets(sc.targets, sc)
    a = build(candidate_links(sc), tg, year=2025).model
    b = build_periods(candidate_links(sc1), sc1, tg).model
    assert (a.A != b.A).nnz == 0
    for attr in ("c", "col_lower", "col_upper", "row_lower", "row_upper", "integer"):
        assert np.array_equal(getattr(a, attr), getattr(b, attr)), attr
    assert list(b.col_names) == [n[:-1] + ",2025]" for n in a.col_names]
    assert list(b.row_names) == [n[:-1] + ",2025]" for n in a.row_names]
    r0 = pf.solve(sc, baseline=False)
    r1 = pf.solve(sc1, baseline=False)
    assert r0.objective["total_cny_per_a"] == pytest.approx(-13200.0)
    assert r1.objective["total_cny_per_a"] == pytest.approx(-13200.0)
    assert r1.present_value_cny == pytest.approx(-13200.0)
    assert not r0.periods


def test_no_periods_loads_as_today():
    sc = tiny_park()
    assert "periods" not in sc.settings.extra
    assert sc.trajectories is None


def test_bad_periods_name_the_key():
    with pytest.raises(ScenarioError, match="periods"):
        tiny_park(periods=[2025, 2025])


def test_decompose_refuses_periods():
    with pytest.raises(ValueError, match="periods"):
        pf.solve(carry_park(), baseline=False, strategy="decompose")


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    growth=st.floats(min_value=-0.3, max_value=1.0),
    generated=st.floats(min_value=20.0, max_value=200.0),
    rate=st.sampled_from([None, 0.3, 0.8]),
)
def test_built_stays_built_flow_only_when_open_rates_or_slack(growth, generated, rate):
    tg = (
        None
        if rate is None
        else [{"id": "t", "materials": "bf_slag", "rate_by_year": {2025: rate}, "scope": "all"}]
    )
    r = pf.solve(
        mill_a(growth=growth, generated=generated, targets=tg, periods=(2025, 2026, 2027)),
        baseline=False,
    )
    assert r.status.has_solution
    years = [p["year"] for p in r.periods]
    open_years = set(r.facilities["year"]) if len(r.facilities) else set()
    # built stays built
    if open_years:
        assert open_years == {y for y in years if y >= min(open_years)}
    # flow into the facility only when it is open
    fl = yearly_flows(r)
    into = fl[fl["use_id"] == "F:F1"] if len(fl) else fl
    for y, q in into.groupby("year")["flow"].sum().items():
        if q > 1e-6:
            assert y in open_years
    # each year's rate ≥ its target, or the shortfall is reported
    for p in r.periods:
        t = p["targets"]
        if rate is not None and len(t):
            row = t.iloc[0]
            assert row["rate"] >= rate - 1e-6 or row["shortfall"] > 0


def test_periods_scenario_round_trip(tmp_path):
    sc = carry_park()
    path = pf.save_scenario(sc, tmp_path / "carry")
    back = pf.load_scenario(path)
    assert parse_periods(back.settings.extra["periods"]) == (2025, 2026, 2027)
    assert back.trajectories is not None
    assert list(back.trajectories["quantity"]) == [60.0, 100.0, 150.0]
    r = pf.solve(back, baseline=False)
    assert r.present_value_cny == pytest.approx(-21700.0)


def test_periods_workbook_round_trip(tmp_path):
    """rate_by_year and the trajectories sheet survive folder → workbook → folder."""
    from parkflow.io.workbook import write_workbook

    sc = carry_park()
    sc = sc.replace(
        targets=(dataclasses.replace(sc.targets[0], rate_by_year=((2025, 0.5), (2027, 0.7))),)
    )
    back = pf.load_scenario(write_workbook(sc, tmp_path / "carry.xlsx"))
    assert back.equals(sc)
    assert back.targets[0].rate_by_year == ((2025, 0.5), (2027, 0.7))
    assert list(back.trajectories["quantity"]) == [60.0, 100.0, 150.0]
    assert not back.equals(sc.replace(trajectories=None))


def test_rate_by_year_is_linear_and_saved(tmp_path):
    sc = tiny_park(
        year=2025,
        periods={"from": 2025, "to": 2027},
        targets=[{"id": "fa", "materials": "fly_ash", "rate_by_year": {2025: 0.5, 2027: 0.7}}],
    )
    t = sc.targets[0]
    assert t.rate_in(2026) == pytest.approx(0.6)
    assert t.rate_in(2024) is None
    assert t.binds(2030)
    back = pf.load_scenario(pf.save_scenario(sc, tmp_path / "t"))
    assert back.targets[0].rate_by_year == ((2025, 0.5), (2027, 0.7))


def test_reach_weighs_each_years_shortfall_by_its_period_length():
    """periods [2025, 2027, 2028]: n = 2, 1, 1, so phase B / the reach minimise
    2 σ_2025 + σ_2027 + σ_2028 (docs/model.md "Unreachable targets")."""
    from parkflow.solvers.full import slack_weights

    sc = carry_park()
    sc = sc.replace(
        settings=dataclasses.replace(
            sc.settings, extra=dict(sc.settings.extra, periods=[2025, 2027, 2028])
        )
    )
    form = build_periods(candidate_links(sc), sc, expand_targets(sc.targets, sc))
    lay = form.layout
    assert list(lay.array(slack_weights(form), "slack")) == [2.0, 1.0, 1.0]
    assert not lay.array(slack_weights(form), "flow").any()


def test_unreachable_years_are_diagnosed_with_their_year():
    """carry_park with 100 % from 2025 on: 2025 sends 60 of 100 t (the board plant's capacity),
    60 %; 2026 sends 100 of 100 t and 2027 150 of 100 + 50 drawn, 100 %. Only 2025 is short
    (40 t), and its diagnosis rows say so."""
    sc = carry_park()
    sc = sc.replace(
        targets=[dataclasses.replace(sc.targets[0], rate=1.0, rate_by_year=((2025, 1.0),))]
    )
    r = pf.solve(sc, baseline=False)
    assert r.status.value == "target_unreachable"
    rates = [float(p["targets"]["rate"].iloc[0]) for p in r.periods]
    assert rates == pytest.approx([0.6, 1.0, 1.0])
    assert "year" in r.diagnosis.columns
    assert set(r.diagnosis["year"]) == {2025}
    assert r.message.startswith("2025: ")


def test_the_before_of_a_pathway_is_evaluated_per_year():
    """carry_park with L1 existing and carrying 50 t/a today, the PG falling 100 → 70 → 40 t/a
    (trajectory). The before sends 50, 50 and — scaled to what the source has — 40 t: rates
    50/100 = 50 %, 50/70 = 71.4 %, 40/40 = 100 %."""
    from parkflow.solvers.full import evaluate_baseline

    sc = carry_park()
    links = sc.links.assign(existing=True, baseline_quantity=50.0)
    traj = pd.concat(
        [
            sc.trajectories,
            pd.DataFrame(
                {
                    "kind": ["supply"] * 3,
                    "id": ["S1"] * 3,
                    "year": [2025, 2026, 2027],
                    "quantity": [100.0, 70.0, 40.0],
                    "unit": ["t/a"] * 3,
                }
            ),
        ],
        ignore_index=True,
    )
    sc = sc.replace(links=links, trajectories=traj)
    before = evaluate_baseline(sc, candidate_links(sc), expand_targets(sc.targets, sc))
    assert [p["year"] for p in before.periods] == [2025, 2026, 2027]
    rates = [float(p["targets"]["rate"].iloc[0]) for p in before.periods]
    assert rates == pytest.approx([0.5, 50 / 70, 1.0])
    sent = [float(p["flows"]["flow"].sum()) for p in before.periods]
    assert sent == pytest.approx([50.0, 50.0, 40.0])
