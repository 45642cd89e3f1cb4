"""solve(): objectives, statuses, baseline, result tables, solution folder.

And every bundled scenario.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from _solve_helpers import tiny_park

from parkflow.errors import SolverUnavailableError
from parkflow.io import load_scenario
from parkflow.io.bundled import bundled_scenario_path, bundled_scenarios
from parkflow.io.solution import read_result as read_solution
from parkflow.io.solution import write_solution
from parkflow.solvers.api import solve
from parkflow.solvers.backends import available_solvers, solve_parameters
from parkflow.statistics.summary import summary_dict

SOLVERS = [
    pytest.param(
        s, marks=pytest.mark.skipif(s not in available_solvers(), reason=f"{s} not available")
    )
    for s in ("highs", "scip")
]


@pytest.mark.parametrize("solver", SOLVERS)
def test_backends_agree_on_the_tiny_park(solver):
    res = solve(tiny_park(cap_e2=70.0), solver=solver, baseline=False)
    assert res.objective["total_cny_per_a"] == pytest.approx(-8450.0)
    assert res.solver["name"] == solver


def test_missing_solver_raises_with_the_working_ones():
    with pytest.raises(SolverUnavailableError, match="solvers that work here: highs"):
        solve(tiny_park(), solver="cpsat")


def test_objective_parts_add_up_and_co2():
    res = solve(tiny_park(), baseline=False)
    o = res.objective
    assert o["total_cny_per_a"] == pytest.approx(
        o["transport_cny_per_a"]
        + o["fixed_cny_per_a"]
        + o["purification_cny_per_a"]
        - o["value_cny_per_a"]
        - o["disposal_avoided_cny_per_a"]
    )
    assert o["transport_cny_per_a"] == pytest.approx(120 * 15.0)
    # cement admixture displaces clinker; minus 0.0001 t/t·km × 10 km of trucking
    factor = tiny_park().catalogue.routes.loc["cement_admixture", "co2_avoided_t_per_unit"]
    assert res.co2_avoided_t_per_a == pytest.approx(120 * (factor - 0.001))


def test_utilisation_objective_maximises_the_rate_then_cost():
    # both links lose money: the cost objective uses nothing, utilisation uses all it can
    sc = tiny_park(
        value_e2=-200.0, value_e3=-50.0, fixed_l2=0.0, cap_e2=0.0, cap_e3=90.0, stock=True
    )
    cost = solve(sc, objective="cost", baseline=False)
    assert cost.objective["total_cny_per_a"] == pytest.approx(0.0)
    best = solve(sc, objective="utilisation", baseline=False)
    # drawing stock would lower the rate (90 < 100 + draw): 90 / 100, no draw
    assert best.targets.iloc[0]["rate"] == pytest.approx(0.9)
    assert best.draws["drawn"].sum() == pytest.approx(0.0)
    assert best.objective["total_cny_per_a"] == pytest.approx(90 * 45.0)


def test_utilisation_objective_draws_stock_when_it_raises_the_rate():
    sc = tiny_park(value_e2=-200.0, value_e3=-50.0, fixed_l2=0.0, cap_e2=0.0, cap_e3=1000.0)
    best = solve(sc, objective="utilisation", baseline=False)
    assert best.targets.iloc[0]["rate"] == pytest.approx(1.0)
    # least cost at rate 1: no need to draw (drawing costs 45 per t)
    assert best.objective["total_cny_per_a"] == pytest.approx(100 * 45.0)


def test_co2_objective_prefers_the_higher_factor():
    sc = tiny_park(cap_e2=50.0, fixed_l2=0.0, value_e2=-500.0)
    res = solve(sc, objective="co2", baseline=False)
    # cement admixture avoids far more CO2 per t than bricks: fill it although it loses money
    assert res.links.loc["L1", "flow"] == pytest.approx(50.0)


def test_baseline_uses_existing_links_only():
    res = solve(tiny_park(l2_existing=True))
    assert res.baseline is not None
    assert set(res.baseline.flows.index) == {"L2"}
    # 120 t on L2 at −25 + 500 fixed
    assert res.baseline.objective["total_cny_per_a"] == pytest.approx(-2500.0)


def test_result_tables_are_consistent():
    res = solve(tiny_park(cap_e2=70.0), baseline=False)
    src = res.sources.loc["E1:fly_ash"]
    assert src["utilised"] == pytest.approx(120.0)
    assert src["drawn"] == pytest.approx(20.0)
    assert src["left"] == pytest.approx(0.0)
    u = res.utilisation
    row = u[(u.scope_type == "all") & (u.category == "bulk_excl_tailings")].iloc[0]
    assert row["rate"] == pytest.approx(1.0)
    assert set(res.flows.index) == {"L1", "L2"}
    assert {"n_variables", "n_constraints", "n_binaries", "build_s", "time_s", "gap"} <= set(
        res.solver
    )


def test_deterministic():
    sc = load_scenario(bundled_scenario_path())
    a = solve(sc, baseline=False)
    b = solve(sc, baseline=False)
    assert a.flows.index.tolist() == b.flows.index.tolist()
    assert np.allclose(a.flows["flow"], b.flows["flow"])


def test_solution_folder_round_trip(tmp_path):
    sc = tiny_park(cap_e2=70.0, l2_existing=True)
    res = solve(sc)
    out = write_solution(sc, res, tmp_path / "out")
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary == summary_dict(res)
    assert summary["links_built"] == 2
    assert summary["targets"][0]["id"] == "t"
    assert summary["baseline"]["links_built"] == 1
    back = read_solution(out)
    assert back.status == res.status
    assert back.flows.index.tolist() == res.flows.index.tolist()
    assert np.allclose(back.flows["flow"], res.flows["flow"])
    assert back.objective == pytest.approx(res.objective)
    assert back.baseline is not None
    assert back.baseline.flows.index.tolist() == ["L2"]


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(n, marks=pytest.mark.slow) if "province" in n else n
        for n in bundled_scenarios()
    ],
)
def test_bundled_scenarios_solve(name, solved_bundled):
    sc, res = solved_bundled(name, baseline=False)
    assert res.status.has_solution, res.message
    assert res.solver["time_s"] <= sc.settings.solver.time_limit_s * 1.5 + 5
    assert ((res.targets["rate"] >= 0) & (res.targets["rate"] <= 1 + 1e-9)).all()


def test_idle_existing_link_counts_as_built(tmp_path):
    # L1 (−110 CNY/t) takes all 120 t; the existing L2 stays open with no flow, fixed cost paid
    sc = tiny_park(l2_existing=True)
    res = solve(sc, baseline=False)
    assert res.links.loc["L2", "flow"] == 0.0
    assert res.links.loc["L2", "build"] == 1
    assert res.objective["total_cny_per_a"] == pytest.approx(-13200.0 + 500.0)
    out = write_solution(sc, res, tmp_path / "o")
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    flows = pd.read_csv(out / "flows.csv", encoding="utf-8-sig")
    assert summary["links_built"] == len(flows) == 2
    assert (summary["links_existing"], summary["links_new"]) == (1, 1)
    assert (summary["links_used"], summary["links_idle"]) == (1, 1)
    assert summary["links_used"] == int((flows["quantity"] > 0).sum())
    assert flows["total_cny_per_a"].sum() == pytest.approx(summary["objective"]["total_cny_per_a"])


def test_gap_and_time_limit_reach_the_solver():
    # the MathOpt fields the back-end reads (a misspelt attribute used to be silently ignored)
    p = solve_parameters(2.5, 0.01).to_proto()
    assert p.relative_gap_tolerance == 0.01
    assert p.absolute_gap_tolerance == 1e-6
    assert p.time_limit.seconds == 2
    assert p.time_limit.nanos == 500_000_000


def test_tiny_time_limit_returns_the_best_solution_with_its_gap():
    sc = load_scenario(bundled_scenario_path("sichuan-province"))
    res = solve(sc, time_limit_s=0.05, gap=0.0, baseline=False)
    assert res.solver["time_limit_s"] == 0.05
    if res.status.value == "optimal":  # proven within the limit: nothing stopped it
        assert res.solver["limit"] == ""
        assert res.solver["gap"] == 0.0
    else:
        assert res.status.value == "feasible"
        assert res.solver["limit"] == "time"
        assert "stopped at the time limit" in res.message
        assert res.solver["gap"] is None or np.isnan(res.solver["gap"]) or res.solver["gap"] >= 0
        assert len(res.flows)
        assert summary_dict(res)["status"] == "feasible"


def test_a_limit_without_a_solution_returns_the_start(monkeypatch):
    from ortools.math_opt import result_pb2

    import parkflow.solvers.backends as be
    from parkflow.network import candidate_links
    from parkflow.solvers.formulation import build
    from parkflow.solvers.full import expand_targets, trivial_start

    sc = tiny_park()
    net = candidate_links(sc)
    form = build(net, expand_targets(sc.targets, sc))
    model = form.model
    stopped = result_pb2.SolveResultProto()
    stopped.termination.reason = result_pb2.TERMINATION_REASON_NO_SOLUTION_FOUND
    stopped.termination.limit = result_pb2.LIMIT_TIME
    stopped.termination.objective_bounds.primal_bound = float("inf")
    stopped.termination.objective_bounds.dual_bound = -13200.0
    monkeypatch.setattr(be, "_solve_proto", lambda *a, **k: stopped)
    start = trivial_start(form, net)
    res = be.solve_model(model, "highs", 1.0, 0.0, start=start)
    assert (res.status, res.limit) == ("feasible", "time")
    assert np.array_equal(res.x, start)
    assert res.objective == 0.0
    assert res.gap > 1.0  # |0 − (−13,200)| / |0|: far from proven
    # without a (feasible) start there is nothing to return
    assert be.solve_model(model, "highs", 1.0, 0.0).status == "no_solution"
    bad = start.copy()
    bad[0] = 1e9  # breaks supply_limit
    assert be.solve_model(model, "highs", 1.0, 0.0, start=bad).x is None


# ---- public assembly API (used by parkflow.solvers.decompose) -------------------------------
def test_result_from_solution_gives_the_tables_of_a_solution_vector():
    from parkflow.models.result import SolveStatus
    from parkflow.network import candidate_links
    from parkflow.solvers.backends import solve_model
    from parkflow.solvers.formulation import build
    from parkflow.solvers.full import expand_targets
    from parkflow.solvers.solution import result_from_solution

    sc = tiny_park(cap_e2=70.0)
    net = candidate_links(sc)
    form = build(net, expand_targets(sc.targets, sc), "cost")
    x = solve_model(form.model, "highs", None, 0.0, check=False).x
    before = x.copy()
    res = result_from_solution(sc, net, form, x, SolveStatus.OPTIMAL, {"name": "highs"}, "ok")
    # L1 fills E2: 70 t × (5 + 10 − 100 − 25) = −7,700; L2 takes the other 30 t + 20 t drawn:
    # 50 × (10 + 10 − 20 − 25) + 500 fixed = −750 → −8,450 CNY/a, as solve() finds
    assert res.objective["total_cny_per_a"] == pytest.approx(-8450.0)
    ref = solve(sc, baseline=False)
    assert res.links["flow"].to_numpy() == pytest.approx(ref.links["flow"].to_numpy())
    assert res.draws["drawn"].sum() == pytest.approx(20.0)
    assert res.message == "ok"
    assert res.status is SolveStatus.OPTIMAL
    assert res.targets["utilised"].item() == pytest.approx(120.0)
    assert np.array_equal(x, before)  # the caller's vector is not changed


def test_empty_result_has_no_flows_and_keeps_the_message():
    from parkflow.models.result import SolveStatus
    from parkflow.network import candidate_links
    from parkflow.solvers.solution import empty_result

    sc = tiny_park()
    net = candidate_links(sc)
    res = empty_result(sc, net, "cost", SolveStatus.INFEASIBLE, {"name": "highs"}, "why")
    assert res.flows.empty
    assert len(res.links) == 2
    assert res.message == "why"
    assert not res.status.has_solution


# ---- one tailings rule: flag OR category --------------------------------------------------------
def _tailings_twisted(sc):
    """The built-in catalogue with `tailings` not flagged (category tailings only) and coal gangue
    flagged is_tailings (its category stays coal_gangue): both must count as tailings."""
    from dataclasses import replace

    mats = sc.catalogue.materials.copy()
    mats.loc["tailings", "is_tailings"] = False
    mats.loc["coal_gangue", "is_tailings"] = True
    return sc.replace(catalogue=replace(sc.catalogue, materials=mats))


def test_tailings_rule_is_the_same_for_targets_and_indicators():
    from parkflow.models.scenario import Target
    from parkflow.solvers.full import expand_targets
    from parkflow.statistics.utilisation import (
        BULK_EXCL_TAILINGS,
        tailings_materials,
        utilisation_table,
    )

    sc = _tailings_twisted(tiny_park())
    assert {"tailings", "coal_gangue"} <= tailings_materials(sc.catalogue)
    assert "fly_ash" not in tailings_materials(sc.catalogue)
    (t,) = expand_targets([Target(id="b", materials=(), rate=0.78, exclude=("tailings",))], sc)
    assert "fly_ash" in t.materials
    assert "steel_slag" in t.materials
    assert "tailings" not in t.materials
    assert "coal_gangue" not in t.materials
    # the indicators count the same materials: 80 of fly ash only, out of 100
    src = pd.DataFrame(
        {
            "enterprise": ["E1"] * 3,
            "material": ["fly_ash", "tailings", "coal_gangue"],
            "category": ["fly_ash", "tailings", "coal_gangue"],
            "generated": [100.0, 50.0, 40.0],
            "drawn": [0.0] * 3,
            "utilised": [80.0, 5.0, 0.0],
            "unit": ["t/a"] * 3,
            "park": ["P1"] * 3,
            "city": ["C"] * 3,
        }
    )
    u = utilisation_table(src, sc.catalogue)
    row = u[(u.scope_type == "all") & (u.category == BULK_EXCL_TAILINGS)].iloc[0]
    assert (row["generated"], row["utilised"], row["rate"]) == (100.0, 80.0, 0.8)
    # and the members of the target are exactly the bulk materials the indicator keeps
    bulk = set(sc.catalogue.materials.index[sc.catalogue.materials["group"] == "bulk_solid_waste"])
    assert set(t.materials) == bulk - tailings_materials(sc.catalogue)


def test_panzhihua_reports_the_missing_slag_capacity(solved_bundled):
    # the bundled Panzhihua park cannot reach 78 %: the diagnosis names high-Ti slag
    _, res = solved_bundled("panzhihua-vti", baseline=False)
    assert res.status.value == "target_unreachable"
    row = res.targets.iloc[0]
    # 0.497: Ti-gypsum into mine_backfill is now safe disposal, not utilisation
    # (route_classes, docs/model.md#counting-classes); it was 0.609 when backfill counted
    assert 0.45 < row["rate"] < 0.78
    assert row["shortfall"] > 0
    assert "vti_slag" in set(res.diagnosis["material"])
    assert res.diagnosis["capacity_needed"].sum() >= row["shortfall"] - 1.0


def test_solve_takes_the_strategy_of_the_cli():
    # pf.solve and `parkflow solve --strategy` are one code path; the default stays one MILP
    full = solve(tiny_park(cap_e2=70.0), baseline=False)
    dec = solve(tiny_park(cap_e2=70.0), baseline=False, strategy="decompose", gap=0.0)
    assert (full.solver["strategy"], dec.solver["strategy"]) == ("full", "decompose")
    assert dec.objective["total_cny_per_a"] == pytest.approx(full.objective["total_cny_per_a"])
