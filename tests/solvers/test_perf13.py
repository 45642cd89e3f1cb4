"""Issue 13 behaviour: binding targets, time limits, progress events, the watchdog, tightness."""

from __future__ import annotations

import time

import numpy as np
import pytest

from parkflow.solvers import backends
from parkflow.solvers.api import solve
from parkflow.solvers.decompose import solve_decomposed
from parkflow.solvers.progress import PHASES, ProgressEvent
from parkflow.studies.generate import greedy_rates, with_tightness


@pytest.fixture
def binding(binding_province):
    """A small generated province whose target the least-cost plan misses (conftest.py)."""
    return binding_province


def test_tightness_sets_the_target_above_the_least_cost_rate(binding) -> None:
    least, reach = greedy_rates(binding)
    rate = binding.targets[0].rate
    assert least < rate < reach
    assert rate == pytest.approx(
        min(least + 0.04, reach - max(0.01, (reach - least) / 4)), abs=1e-3
    )
    assert with_tightness(binding, 0.0) is binding


def test_decompose_on_a_binding_case_gives_the_full_optimum(binding) -> None:
    full = solve(binding, gap=1e-6, time_limit_s=120, baseline=False, strategy="full")
    dec = solve_decomposed(binding, gap=1e-6, time_limit_s=120, jobs=1, cover=None)
    assert full.status.value == "optimal"
    assert dec.status.value in ("optimal", "feasible")
    assert dec.solver["iterations"][0]["step"] == "LP relaxation"
    assert dec.solver["n_iterations"] > 1  # a gap of 1e-6 needs more than the LP's multiplier
    assert dec.solver["multipliers"][0] > 0
    p, d = full.objective["total_cny_per_a"], dec.objective["total_cny_per_a"]
    assert abs(d - p) <= 1e-4 * abs(p) + 1.0
    assert dec.targets["met"].all()
    assert dec.solver["bound"] <= p + 1e-6 * abs(p)


@pytest.mark.parametrize("strategy", ["full", "decompose"])
def test_time_limit_returns_feasible_not_error(binding, strategy: str) -> None:
    res = solve(binding, gap=0.0, time_limit_s=0.05, baseline=False, strategy=strategy)
    assert res.status.value in ("feasible", "optimal")
    assert res.status.has_solution
    assert res.solver["time_limit_s"] == 0.05


def test_decompose_time_limit_keeps_the_start_at_worst(binding) -> None:
    res = solve_decomposed(binding, gap=0.0, time_limit_s=0.01, jobs=1)
    assert res.status.value in ("feasible", "optimal")
    assert np.isfinite(res.objective["total_cny_per_a"])
    assert "iterations" in res.solver  # one entry per multiplier tried (none when time is up)


def test_progress_events_arrive_in_order(binding) -> None:
    events: list[str] = []
    solve(binding, gap=1e-3, time_limit_s=60, strategy="decompose", progress=events.append)
    assert all(isinstance(e, str) for e in events)  # old text callbacks keep working
    assert all(isinstance(e, ProgressEvent) for e in events)
    phases = [e.phase for e in events]
    assert phases[0] == "network"
    assert phases[-1] == "done"
    rank = [PHASES.index(p) for p in phases]
    assert rank == sorted(rank)
    its = [e for e in events if e.phase == "iterate"]
    assert [e.iteration for e in its] == list(range(1, len(its) + 1))
    assert all(b.elapsed_s >= a.elapsed_s for a, b in zip(events, events[1:], strict=False))
    assert np.isfinite(its[-1].incumbent)
    assert events[-1].as_dict()["phase"] == "done"


def test_watchdog_returns_the_start_when_the_solver_overruns(monkeypatch) -> None:
    import scipy.sparse as sp
    from ortools.math_opt.core.python import solver as core_solver

    def deaf(*args, **kwargs):  # a solver that ignores its limit and the interrupter
        time.sleep(3.0)
        msg = "should have been abandoned"
        raise RuntimeError(msg)

    monkeypatch.setattr(core_solver, "solve", deaf)
    monkeypatch.setattr(backends, "WATCHDOG_GRACE_S", 0.1)
    model = backends.SparseModel(
        A=sp.csr_matrix(np.array([[1.0, 1.0]])),
        row_names=np.array(["r"], dtype=object),
        row_lower=np.array([-np.inf]),
        row_upper=np.array([1.5]),
        col_names=np.array(["x", "y"], dtype=object),
        col_lower=np.zeros(2),
        col_upper=np.array([1.0, 9.0]),
        integer=np.array([True, False]),
        c=np.array([-2.0, -1.0]),
    )
    t0 = time.perf_counter()
    res = backends.solve_model(model, "highs", time_limit_s=0.1, check=False, start=np.zeros(2))
    assert time.perf_counter() - t0 < 2.0
    assert res.status == "feasible"
    assert res.limit == "time"
    np.testing.assert_array_equal(res.x, np.zeros(2))


def test_time_budget_gives_no_call_more_than_is_left() -> None:
    """A fake clock: every call's limit, overrun as far as the watchdog lets it (5 %, its grace,
    then as long again for the interrupter), ends within the budget."""
    now = [0.0]
    budget = backends.TimeBudget(60.0, share=0.95, reserve_s=1.2, clock=lambda: now[0])
    assert budget.left() == pytest.approx(55.8)  # 0.95 × 60 − 1.2
    for t in np.linspace(0.0, 55.0, 12):
        now[0] = float(t)
        for fraction in (1 / 3, 1.0):
            call = budget.for_call(fraction)
            assert call <= fraction * budget.left() + 1e-12
            worst = 1.05 * call + 2 * backends.WATCHDOG_GRACE_S
            if call > 0.05:  # above the floor
                assert t + worst <= budget.deadline + 1e-9
    now[0] = 56.0
    assert budget.expired()
    assert budget.for_call() == 0.05  # the floor: a solver call needs some limit
    assert backends.TimeBudget(None).for_call() is None


def test_decompose_passes_no_block_more_time_than_is_left(binding, monkeypatch) -> None:
    """Every solver call of a decomposed solve gets at most what is left of the limit.

    Recorded at each call: the elapsed time plus 1.05 × the call's limit (the overrun the
    watchdog tolerates) stays within the 95 % of the limit that the loop may use.
    """
    from parkflow.solvers import decompose

    calls: list[tuple[float, float]] = []
    real = decompose.solve_model

    def recording(model, solver, time_limit_s, *args, **kwargs):
        calls.append((time.perf_counter() - t0, time_limit_s))
        return real(model, solver, time_limit_s, *args, **kwargs)

    monkeypatch.setattr(decompose, "solve_model", recording)
    limit = 30.0
    t0 = time.perf_counter()
    res = solve_decomposed(binding, gap=1e-6, time_limit_s=limit, jobs=1, price=False)
    assert res.status.has_solution
    assert calls
    for elapsed, call_limit in calls:
        assert call_limit is not None
        assert elapsed + 1.05 * call_limit <= 0.95 * limit


def test_greedy_pass_sees_the_binding_target_and_prices_it(binding) -> None:
    """The profitable links alone miss the binding target; a met row's price starts its multiplier.

    Any multiplier gives a valid Lagrangian bound, so the decomposed solve's bound stays below
    the full optimum whatever the price (test_decompose_on_a_binding_case_gives_the_full_optimum).
    """
    from parkflow.network import candidate_links
    from parkflow.solvers.formulation import build
    from parkflow.solvers.heuristic import greedy_pass

    net = candidate_links(binding)
    form = build(net, binding.targets, "cost")
    gp = greedy_pass(form, net)
    assert gp.binds.all()
    assert backends.is_feasible(form.model, gp.x)
    # a row the pass met (no slack) has a positive price; one it could not meet has none
    from parkflow.solvers.heuristic import row_slacks

    slack = gp.x[row_slacks(form)]
    met = slack <= 1e-6
    assert (gp.prices_cny_per_unit[met] > 0).all()
    assert (gp.prices_cny_per_unit[~met] == 0).all()
