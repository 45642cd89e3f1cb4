"""Decomposed solve (parkflow.solvers.decompose): same optimum as the plain solve."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from _solve_helpers import STACK_25, tiny_park

from parkflow.examples import (
    enterprises_frame,
    links_frame,
    links_only_park,
    supplies_frame,
    uses_frame,
)
from parkflow.network import candidate_links
from parkflow.solvers.api import solve
from parkflow.solvers.decompose import component_labels, solve_decomposed
from parkflow.studies.generate import generate_scenario


def two_clusters(rate: float = 0.5):
    """Two independent pairs (no link between them), one scenario-wide fly-ash target.

    Fly ash: E1 100 t/a → E2 (50 km, capacity 60 t/a), E3 100 t/a → E4 (90 km, capacity 1,000).
    Value 0, disposal tax 25 CNY/t, truck 0.5 CNY/t·km + 10 CNY/t: net +10 CNY/t on A, +30 on B.
    Target 50 % of 200 t → 100 t utilised: 60 t on A (600 CNY) + 40 t on B (1,200) = 1,800 CNY/a.
    """
    ent = enterprises_frame(
        ["a", "b", "c", "d"],
        ["power"] * 4,
        lon=[104.0, 104.05, 105.0, 105.05],
        park=["P1", "P1", "P2", "P2"],
    )
    sup = supplies_frame([("S1", "E1", "fly_ash", 100.0), ("S3", "E3", "fly_ash", 100.0)])
    use = uses_frame(
        [("U2", "E2", "bricks", 60.0), ("U4", "E4", "bricks", 1000.0)], value=[0.0, 0.0]
    )
    links = links_frame(
        [
            ("LA", "E1", "E2", "fly_ash", "bricks", 50.0),
            ("LB", "E3", "E4", "fly_ash", "bricks", 90.0),
        ],
        existing=[False, False],
        fixed_cost=[float("nan"), float("nan")],
    )
    targets = [{"id": "t", "materials": "fly_ash", "rate": rate, "scope": "all"}]
    return links_only_park(
        "two", ent, sup, use, links, targets=targets, stacking_costs=STACK_25.copy()
    )


def test_components_of_two_clusters() -> None:
    net = candidate_links(two_clusters())
    src_lab, sink_lab, n = component_labels(net)
    assert n == 2
    assert (
        src_lab[net.sources.index.get_loc("E1:fly_ash")] == sink_lab[net.sinks.index.get_loc("U2")]
    )
    assert src_lab[0] != src_lab[1]


@pytest.mark.parametrize(("jobs", "lp_start"), [(1, True), (2, True), (1, False), (2, False)])
def test_lagrangian_meets_coupling_target_at_hand_checked_cost(jobs: int, lp_start: bool) -> None:
    """With the LP start the LP's dual is the multiplier (the LP is the MILP here); without it
    the bundle search finds the same 30 CNY/t."""
    res = solve_decomposed(two_clusters(), gap=1e-4, time_limit_s=60, jobs=jobs, lp_start=lp_start)
    assert res.status.value == "optimal"
    flow = res.links["flow"]
    assert flow["LA"] == pytest.approx(60.0, abs=1e-6)
    assert flow["LB"] == pytest.approx(40.0, abs=1e-6)
    assert res.objective["total_cny_per_a"] == pytest.approx(1800.0, abs=1e-3)
    assert 1800.0 * (1 - 1e-4) <= res.solver["bound"] <= 1800.0 + 1e-6
    assert res.solver["multiplier"] == pytest.approx(30.0, rel=1e-3)  # B's net cost, CNY/t
    assert res.targets["met"].all()


@pytest.mark.parametrize("lp_start", [True, False])
def test_unreachable_target_is_reported(lp_start: bool) -> None:
    # 95 % of 200 t = 190 t, but A takes only 60 t and B 100 t: 160 t at most
    res = solve_decomposed(
        two_clusters(rate=0.95), gap=1e-6, time_limit_s=60, jobs=1, lp_start=lp_start
    )
    assert res.status.value == "target_unreachable"
    assert res.links["flow"].sum() == pytest.approx(160.0, abs=1e-6)
    assert "best reachable rate 0.8000" in res.message


def test_tiny_park_same_as_plain_solve() -> None:
    sc = tiny_park()
    plain = solve(sc, gap=0.0, baseline=False)
    dec = solve_decomposed(sc, gap=1e-9, jobs=1)
    assert dec.status == plain.status
    assert dec.objective["total_cny_per_a"] == pytest.approx(
        plain.objective["total_cny_per_a"], abs=1e-6
    )
    np.testing.assert_allclose(
        dec.links["flow"].to_numpy(), plain.links["flow"].to_numpy(), atol=1e-6
    )


def test_generated_scenario_within_gap_of_plain_solve() -> None:
    sc = generate_scenario(60, 3, seed=2)
    plain = solve(sc, gap=1e-4, time_limit_s=60, baseline=False)
    dec = solve_decomposed(sc, gap=1e-4, time_limit_s=60, jobs=1, cover=None)
    assert dec.status.value == "optimal"
    p, d = plain.objective["total_cny_per_a"], dec.objective["total_cny_per_a"]
    assert abs(d - p) <= 2e-4 * abs(p)
    assert dec.solver["bound"] <= min(p, d) + 1e-6 * abs(p)
    assert dec.targets["met"].all() == plain.targets["met"].all()


@pytest.mark.parametrize(("jobs", "lp_start"), [(1, True), (2, True), (1, False)])
def test_each_park_targets_decompose_with_one_multiplier_per_park(
    jobs: int, lp_start: bool
) -> None:
    """Two clusters, fly-ash target 50 % in *each* park (two coupling rows, two multipliers).

    P1: 50 of E1's 100 t on link A at +10 CNY/t = 500; P2: 50 of E3's 100 t on B at +30 CNY/t
    = 1,500; optimum 2,000 CNY/a (the scenario-wide target costs 1,800). Each multiplier is its
    park's marginal cost: 10 and 30 CNY/t.
    """
    base = two_clusters(0.5)
    sc = replace(base, targets=[replace(base.targets[0], scope="each_park")])
    full = solve(sc, gap=1e-6, baseline=False, strategy="full")
    dec = solve_decomposed(sc, gap=1e-6, jobs=jobs, lp_start=lp_start)
    assert full.objective["total_cny_per_a"] == pytest.approx(2000.0, abs=1e-3)
    assert dec.status.value == "optimal"
    assert dec.objective["total_cny_per_a"] == pytest.approx(2000.0, abs=1e-3)
    assert "solved whole" not in dec.message
    assert dec.solver["multiplier_rows"] == ["target_rate[t@park:P1]", "target_rate[t@park:P2]"]
    assert dec.solver["multipliers"] == pytest.approx([10.0, 30.0], abs=1e-3)
    assert dec.targets["met"].all()


def test_each_park_on_a_binding_generated_case_gives_the_full_optimum(binding_each_park) -> None:
    """A generated province whose least-cost plan misses a per-park target: same optimum."""
    sc = binding_each_park
    full = solve(sc, gap=1e-6, time_limit_s=120, baseline=False, strategy="full")
    dec = solve_decomposed(sc, gap=1e-6, time_limit_s=120, jobs=1, cover=None)
    assert full.status.value == "optimal"
    assert len(dec.solver["multipliers"]) == 3
    p, d = full.objective["total_cny_per_a"], dec.objective["total_cny_per_a"]
    assert abs(d - p) <= 1e-4 * abs(p) + 1.0
    assert dec.solver["bound"] <= p + 1e-6 * abs(p)
    assert list(dec.targets["met"]) == list(full.targets["met"])
