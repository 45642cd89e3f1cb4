"""Pricing of the candidates that max_candidates_per_supply left out (parkflow.solvers.reduce)."""

from __future__ import annotations

import pytest

from parkflow.examples import STACK_25, TRUCK, enterprises_frame, supplies_frame, uses_frame
from parkflow.io import scenario_from_frames
from parkflow.network import candidate_links
from parkflow.solvers.api import solve
from parkflow.solvers.decompose import solve_decomposed
from parkflow.solvers.reduce import left_out, unbounded_network


def two_brickworks(k: object = 1):
    """E1 (fly ash 100 t/a) → brick works E2 (capacity 60 t/a) and E3 (1,000 t/a), automatic
    candidates, at most ``k`` per supply.

    E2 is 0.05° east of E1 (4.795 km at 30.6° N), E3 0.10° (9.590 km); truck 0.5 CNY/t·km + 10
    CNY/t, value 20 CNY/t, fly-ash tax 25 CNY/t: per t sent −32.60 CNY on E1→E2 and −30.20 on
    E1→E3 (rail, 71–72 CNY/t, is dearer on both). Optimum: 60 t to E2 (−1,956.15) and the
    other 40 t to E3 (−1,208.20) = −3,164.35 CNY/a. With k = 1 only E2's links are candidates
    (−1,956.15 CNY/a): E1→E3 is left out although it pays 30.20 CNY/t (its source has 40 t
    left, so its supply dual is 0).
    """
    ent = enterprises_frame(["power", "bricks a", "bricks b"], ["power", "bricks", "bricks"])
    sup = supplies_frame([("S1", "E1", "fly_ash", 100.0)])
    use = uses_frame(
        [("U2", "E2", "bricks", 60.0), ("U3", "E3", "bricks", 1000.0)], value=[20.0, 20.0]
    )
    return scenario_from_frames(
        "two-brickworks",
        ent,
        sup,
        use,
        targets=[{"id": "t", "materials": "fly_ash", "rate": 0.0, "scope": "all"}],
        modes={"truck": dict(TRUCK)},
        stacking_costs=STACK_25.copy(),
        extra={"max_candidates_per_supply": k},
    )


def test_the_bound_leaves_the_second_brickworks_out() -> None:
    sc = two_brickworks(1)
    bounded = candidate_links(sc)
    assert set(bounded.links["use_id"]) == {"U2"}
    out = left_out(bounded, unbounded_network(sc))
    assert set(out["use_id"]) == {"U3"}
    assert all(i.startswith("X") for i in out.index)


def test_pricing_recovers_a_profitable_left_out_link() -> None:
    sc = two_brickworks(1)
    plain = solve_decomposed(sc, gap=1e-6, jobs=1, price=False)
    assert plain.objective["total_cny_per_a"] == pytest.approx(-1956.15, abs=0.01)
    res = solve_decomposed(sc, gap=1e-6, jobs=1)
    assert res.objective["total_cny_per_a"] == pytest.approx(-3164.35, abs=0.01)
    assert res.flows.loc[res.flows["to"] == "E3", "flow"].sum() == pytest.approx(40.0)
    assert res.solver["pricing"]["added"] >= 1
    assert res.solver["pricing"]["converged"]
    assert res.solver["gap_against"].startswith("all candidates")
    whole = solve(two_brickworks("none"), gap=1e-6, strategy="full", baseline=False)
    assert whole.objective["total_cny_per_a"] == pytest.approx(-3164.35, abs=0.01)


def test_nothing_to_price_keeps_the_plan_and_says_all_candidates() -> None:
    """With a bound of 5 nothing is left out: one pricing round, nothing added."""
    res = solve_decomposed(two_brickworks(5), gap=1e-6, jobs=1)
    assert res.objective["total_cny_per_a"] == pytest.approx(-3164.35, abs=0.01)
    assert res.solver["pricing"]["added"] == 0
    assert res.solver["gap_against"].startswith("all candidates")


def test_summary_names_the_set_the_gap_is_proven_against() -> None:
    res = solve(two_brickworks(1), gap=1e-6, strategy="decompose", baseline=False)
    assert res.solver["gap_against"].startswith("all candidates")
    full = solve(two_brickworks(1), gap=1e-6, strategy="full", baseline=False)
    assert "bounded to the 1 nearest" in full.solver["gap_against"]


def test_a_left_out_gain_that_fits_in_the_gap_is_counted_not_solved_again() -> None:
    """With a loose gap, pricing widens the gap by what the left-out link could gain.

    E1→E3 pays 30.20 CNY/t on up to its bound of 100 t (E1's supply): at most 3,020 CNY/a to
    first order against the plan's 1,956.15, a relative 1.544 — within a gap of 2, so the plan
    is kept (no re-solve) and the reported gap is 0 + 3,020 / 1,956.15.
    """
    res = solve_decomposed(two_brickworks(1), gap=2.0, jobs=1, lp_start=False)
    assert res.objective["total_cny_per_a"] == pytest.approx(-1956.15, abs=0.01)
    assert res.solver["pricing"]["within_gap_cny_per_a"] == pytest.approx(-3020.0, abs=0.5)
    assert res.solver["gap"] == pytest.approx(3020.0 / 1956.15, abs=1e-3)
    assert "counted in the gap" in res.solver["gap_against"]


def test_the_lp_bound_lowered_by_the_left_out_gains_bounds_every_candidate() -> None:
    """Priced under the LP relaxation's duals, the left-out gains lower the LP bound.

    The bounded LP is the MILP here (E1→E2 full: −1,956.15 CNY/a, E1 keeps 40 t, so its supply
    dual is 0, and E2's capacity dual prices nothing left out). E1→E3's reduced cost is −30.20
    CNY/t on its bound of 100 t: the bound over every candidate is −1,956.15 − 3,020 =
    −4,976.15 CNY/a, and the plan is 3,020 / 1,956.15 = 1.544 from it — within a gap of 2, so
    the plan is kept and the gap is proven against all candidates (the true optimum −3,164.35
    lies between).
    """
    res = solve_decomposed(two_brickworks(1), gap=2.0, jobs=1)
    assert res.objective["total_cny_per_a"] == pytest.approx(-1956.15, abs=0.01)
    assert res.solver["pricing"]["bound_cny_per_a"] == pytest.approx(-4976.15, abs=0.5)
    assert res.solver["gap"] == pytest.approx(3020.0 / 1956.15, abs=1e-3)
    assert res.solver["gap_against"].startswith("all candidates: the LP relaxation's bound")
    assert res.solver["iterations"][0]["step"] == "LP relaxation"
    assert -4976.15 <= -3164.35 <= res.objective["total_cny_per_a"]


def test_the_background_pricing_set_is_awaited_no_longer_than_asked() -> None:
    """The pricing network is built on a daemon thread; a wait past the limit gives up."""
    import threading
    import time

    from parkflow.solvers.decompose import _Background

    gate = threading.Event()
    slow = _Background(gate.wait, 30.0)
    t0 = time.perf_counter()
    with pytest.raises(TimeoutError):
        slow.result(0.05)
    assert time.perf_counter() - t0 < 5.0
    gate.set()
    assert slow.result(5.0) is True  # Event.wait's value once set
    with pytest.raises(ZeroDivisionError):
        _Background(lambda: 1 / 0).result(5.0)


def test_chunked_pricing_set_is_the_whole_left_out_set() -> None:
    """Built a supplier at a time, the left-out links are those of the unbounded network."""
    from dataclasses import replace

    from parkflow.solvers import decompose
    from parkflow.studies.generate import generate_scenario

    base = generate_scenario(80, 4, seed=2)
    sc = replace(
        base,
        settings=replace(
            base.settings, extra={**base.settings.extra, "max_candidates_per_supply": 3}
        ),
    )
    bounded = candidate_links(sc)
    whole = left_out(bounded, unbounded_network(sc))
    assert len(whole) > 100
    old = decompose.PRICE_CHUNK_LINKS
    try:
        decompose.PRICE_CHUNK_LINKS = 50  # several chunks of suppliers
        chunked, _, n_whole = decompose._pricing_set(sc, bounded, None, None, [], None)
    finally:
        decompose.PRICE_CHUNK_LINKS = old
    key = ["source_id", "use_id", "mode"]
    assert set(map(tuple, whole[key].astype(str).to_numpy())) == set(
        map(tuple, chunked[key].astype(str).to_numpy())
    )
    assert n_whole == len(bounded.links) + len(whole)
