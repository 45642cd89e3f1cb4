"""The MILP on a tiny park solved by hand: one test per constraint family that makes it bind.

Tiny park (tests/_solve_helpers.py): E1 fly ash 100 t/a + stock draw ≤ 20 t/a; L1 → E2 cement
admixture, 10 km; L2 → E3 bricks, 20 km. Truck 0.5 CNY/t·km + 10 CNY/t; fly-ash disposal 25 CNY/t.
Per t: L1 = 5 + 10 − 100 − 25 = −110 CNY; L2 = 10 + 10 − 20 − 25 = −25 CNY (+ fixed if built).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from _solve_helpers import STACK_25, tiny_park

from parkflow.network import candidate_links
from parkflow.solvers.api import solve
from parkflow.solvers.backends import solve_model
from parkflow.solvers.formulation import FAMILIES, build
from parkflow.solvers.full import expand_targets


def _model(sc, **kw):
    net = candidate_links(sc)
    return net, build(net, expand_targets(sc.targets, sc), **kw).model


def _row(model, name):
    k = list(model.row_names).index(name)
    return model.A[k].toarray().ravel(), model.row_lower[k], model.row_upper[k]


def test_rows_are_named_after_their_family():
    _, m = _model(tiny_park())
    assert list(m.families) == list(FAMILIES)
    assert list(m.rows_of("supply_limit")) == ["supply_limit[E1:fly_ash]"]
    assert list(m.rows_of("use_capacity")) == ["use_capacity[U1]", "use_capacity[U2]"]
    assert list(m.rows_of("link_activation")) == ["link_activation[L1]", "link_activation[L2]"]
    assert list(m.rows_of("stock_draw_limit")) == ["stock_draw_limit[K1]"]
    assert list(m.col_names) == [
        "flow[L1]",
        "flow[L2]",
        "build[L1]",
        "build[L2]",
        "draw[K1]",
        "slack[t@all]",
    ]
    assert m.n_binaries == 2


def test_supply_limit_row_holds_flows_minus_draws():
    _, m = _model(tiny_park())
    coefs, lo, up = _row(m, "supply_limit[E1:fly_ash]")
    assert coefs.tolist() == [1.0, 1.0, 0.0, 0.0, -1.0, 0.0]
    assert up == 100.0
    assert lo == -np.inf


def test_link_activation_uses_the_tight_bound():
    _, m = _model(tiny_park(cap_e2=70.0))
    coefs, _, up = _row(m, "link_activation[L1]")
    # bound = min(generated + drawable, capacity / efficiency) = min(120, 70)
    assert coefs.tolist() == [1.0, 0.0, -70.0, 0.0, 0.0, 0.0]
    assert up == 0.0


def test_cost_objective_is_exactly_spec():
    _, m = _model(tiny_park())
    assert m.c[:2].tolist() == [-110.0, -25.0]
    assert m.c[2:4].tolist() == [0.0, 500.0]


def test_supply_limit_and_stock_draw_limit_bind():
    res = solve(tiny_park(), baseline=False)
    # all 100 generated + 20 drawn go on L1: 120 × −110
    assert res.objective["total_cny_per_a"] == pytest.approx(-13200.0)
    assert res.links.loc["L1", "flow"] == pytest.approx(120.0)
    assert res.draws.loc["K1", "drawn"] == pytest.approx(20.0)
    assert res.links.loc["L2", "build"] == 0


def test_use_capacity_binds():
    res = solve(tiny_park(cap_e2=70.0), baseline=False)
    # L1 full at 70 (−7700); the other 50 on L2: 50 × −25 + 500 fixed = −750
    assert res.objective["total_cny_per_a"] == pytest.approx(-8450.0)
    assert res.links.loc["L1", "flow"] == pytest.approx(70.0)
    assert res.links.loc["L2", "flow"] == pytest.approx(50.0)


def test_link_activation_fixed_cost_keeps_a_link_closed():
    res = solve(tiny_park(cap_e2=70.0, fixed_l2=2000.0), baseline=False)
    # L2 would give 50 × −25 = −1250 < 2000 fixed: not built; no stock is drawn
    assert res.objective["total_cny_per_a"] == pytest.approx(-7700.0)
    assert res.links.loc["L2", "build"] == 0
    assert res.links.loc["L2", "flow"] == 0.0
    assert res.draws.loc["K1", "drawn"] == pytest.approx(0.0)


def test_existing_links_are_forced_open():
    res = solve(tiny_park(cap_e2=70.0, fixed_l2=2000.0, l2_existing=True), baseline=False)
    # fixed cost paid anyway, so L2 takes the rest: −7700 − 1250 + 2000
    assert res.objective["total_cny_per_a"] == pytest.approx(-6950.0)
    assert res.links.loc["L2", "build"] == 1


def test_min_flow_binds():
    net, m = _model(tiny_park(cap_e2=70.0), min_flow_per_a=60.0)
    assert len(m.rows_of("min_flow")) == 2
    r = solve_model(m, "highs", 10, 0.0)
    # L2 could carry 50 at most (120 − 70) < 60: best is L1 at 70 only
    assert r.objective == pytest.approx(-7700.0)
    _, m0 = _model(tiny_park(cap_e2=70.0))
    assert solve_model(m0, "highs", 10, 0.0).objective == pytest.approx(-8450.0)


def test_target_rate_forces_a_costly_flow():
    tg = [{"id": "t", "materials": "fly_ash", "rate": 0.78, "scope": "all"}]
    res = solve(
        tiny_park(value_e2=-200.0, value_e3=-50.0, fixed_l2=0.0, targets=tg), baseline=False
    )
    # L2 = 10 + 10 + 50 − 25 = +45 per t; L1 = 5 + 10 + 200 − 25 = +190 per t; no draw
    assert res.status.value == "optimal"
    assert res.objective["total_cny_per_a"] == pytest.approx(78 * 45.0)
    t = res.targets.iloc[0]
    assert t["rate"] == pytest.approx(0.78)
    assert bool(t["met"])
    assert t["shortfall"] == 0.0
    assert res.draws.loc["K1", "drawn"] == 0.0


def test_unreachable_target_reports_the_best_rate():
    tg = [{"id": "t", "materials": "fly_ash", "rate": 0.78, "scope": "all"}]
    res = solve(
        tiny_park(cap_e2=0.0, value_e3=-50.0, fixed_l2=0.0, cap_e3=60.0, targets=tg, stock=False),
        baseline=False,
    )
    assert res.status.value == "target_unreachable"
    t = res.targets.iloc[0]
    assert t["rate"] == pytest.approx(0.60)
    assert t["shortfall"] == pytest.approx(18.0)
    assert not bool(t["met"])
    # least cost at the best rate: 60 × 45
    assert res.objective["total_cny_per_a"] == pytest.approx(2700.0)
    d = res.diagnosis
    assert d["material"].tolist() == ["fly_ash"]
    assert d["reason"].iloc[0] == "no capacity left within reach"
    assert d["capacity_needed"].sum() == pytest.approx(18.0)
    assert "bricks" in d["routes"].iloc[0]
    assert "best reachable rate 0.6000" in res.message
    # one entry: its rate is its own best, no trade-off note
    assert "summed over all target entries" not in res.message


def test_expensive_but_reachable_target_is_met_not_penalised():
    # meeting 50 t/a needs L2 at 1e6 CNY/a fixed, more than 50 t × the 1e4 CNY/t penalty: the
    # follow-up solves still meet the target; once built, all 100 t go (−25 CNY/t each)
    tg = [{"id": "t", "materials": "fly_ash", "rate": 0.5, "scope": "all"}]
    res = solve(tiny_park(cap_e2=0.0, fixed_l2=1.0e6, targets=tg, stock=False), baseline=False)
    assert res.status.value == "optimal"
    assert res.targets.iloc[0]["rate"] == pytest.approx(1.0)
    assert res.objective["total_cny_per_a"] == pytest.approx(1.0e6 - 100 * 25.0)


def _two_parks(targets):
    """F1 (park P1, Chengdu) and F2 (park P2, Deyang) each make 100 t/a fly ash; one cement plant
    C1 in P1 takes it at a gate fee: per t, L1 = 0.5·10 + 10 + 50 − 25 = 40 CNY and
    L2 = 0.5·20 + 10 + 50 − 25 = 45 CNY, so only targets make anything flow."""
    from _solve_helpers import TRUCK

    from parkflow.io import scenario_from_frames

    ent = pd.DataFrame(
        {
            "id": ["F1", "F2", "C1"],
            "name": ["f1", "f2", "c1"],
            "park": ["P1", "P2", "P1"],
            "sector": ["power", "power", "cement"],
            "lon": [104.0, 104.4, 104.05],
            "lat": [30.6, 31.1, 30.6],
            "city": ["Chengdu", "Deyang", "Chengdu"],
        }
    )
    sup = pd.DataFrame(
        {
            "enterprise": ["F1", "F2"],
            "material": ["fly_ash"] * 2,
            "quantity": [100.0, 100.0],
            "unit": ["t/a"] * 2,
        }
    )
    use = pd.DataFrame(
        {
            "id": ["U1"],
            "enterprise": ["C1"],
            "route": ["cement_admixture"],
            "capacity": [1000.0],
            "unit": ["t/a"],
            "value": [-50.0],
        }
    )
    links = pd.DataFrame(
        {
            "id": ["L1", "L2"],
            "from": ["F1", "F2"],
            "to": ["C1", "C1"],
            "material": ["fly_ash"] * 2,
            "route": ["cement_admixture"] * 2,
            "mode": ["truck"] * 2,
            "distance_km": [10.0, 20.0],
        }
    )
    return scenario_from_frames(
        "scopes",
        ent,
        sup,
        use,
        links=links,
        targets=targets,
        candidates="links_only",
        modes={"truck": dict(TRUCK)},
        stacking_costs=STACK_25.copy(),
    )


@pytest.mark.parametrize(
    ("scope", "rate", "flows", "cost", "entries"),
    [
        ("all", 0.5, (100.0, 0.0), 4000.0, ["all"]),  # 100 of 200 t, from the cheaper F1
        ("each_park", 0.5, (50.0, 50.0), 50 * 40.0 + 50 * 45.0, ["park:P1", "park:P2"]),
        ("park:P2", 0.6, (0.0, 60.0), 60 * 45.0, ["park:P2"]),
        ("city:Chengdu", 0.3, (30.0, 0.0), 30 * 40.0, ["city:Chengdu"]),
    ],
)
def test_target_scopes(scope, rate, flows, cost, entries):
    tg = [{"id": "t", "materials": "fly_ash", "rate": rate, "scope": scope}]
    res = solve(_two_parks(tg), baseline=False, gap=0.0)
    assert res.status.value == "optimal"
    assert res.links.loc["L1", "flow"] == pytest.approx(flows[0])
    assert res.links.loc["L2", "flow"] == pytest.approx(flows[1])
    assert res.objective["total_cny_per_a"] == pytest.approx(cost)
    assert res.targets["scope"].tolist() == entries
    assert res.targets["rate"].to_numpy() == pytest.approx(rate)
    assert res.targets["met"].all()


def test_unreachable_park_target_names_the_park():
    # park P2 at 100 %: F2 sends 100; raising P1 beyond its one link's reach is not possible
    tg = [{"id": "t", "materials": "fly_ash", "rate": 0.9, "scope": "each_park"}]
    sc = _two_parks(tg)
    sc = sc.replace(links=sc.links.drop(index="L2"))
    res = solve(sc, baseline=False)
    assert res.status.value == "target_unreachable"
    t = res.targets.set_index("scope")
    assert bool(t.loc["park:P1", "met"])
    assert not bool(t.loc["park:P2", "met"])
    assert t.loc["park:P2", "rate"] == 0.0
    assert t.loc["park:P2", "shortfall"] == pytest.approx(90)
    d = res.diagnosis
    assert d[["scope", "material", "park", "reason"]].to_numpy().tolist() == [
        ["park:P2", "fly_ash", "P2", "no use within reach"]
    ]
    # several entries: the message says the best rates are one trade-off of the summed shortfall
    assert res.message.startswith("t (park:P2): best reachable rate 0.0000 < 0.9000, short 90 t/a")
    assert "minimise the total shortfall (t/a) summed over all target entries" in res.message
