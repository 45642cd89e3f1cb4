"""LP relaxation, rounding and the LP start of the decomposed solve (parkflow.solvers.relax)."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from parkflow.solvers.formulation import SparseModel
from parkflow.solvers.relax import (
    close_unused,
    fixed_binary_lp,
    lp_relaxation,
    round_up,
    rounded_plan,
)

INF = np.inf


def two_links(min_flow_t: float = 0.0) -> SparseModel:
    """One source of 100 t, a target of 70 t, two links (hand-checked).

    Columns fA, fB (t/a), yA, yB (built), s (target slack, 10,000 CNY/t). Link A: bound 100 t,
    1 CNY/t, 1,000 CNY/a to build; link B: bound 60 t (its use's capacity), 2 CNY/t, free to
    build. MILP: A alone carries the 70 t (B cannot) = 70 + 1,000 = 1,070 CNY/a. LP: A costs
    1 + 1,000 / 100 = 11 CNY/t spread, so B takes 60 t (120) and A 10 t (110, yA = 0.1):
    230 CNY/a, the target's dual 11 CNY/t. With ``min_flow_t`` link A also has the row
    fA − q·yA ≥ 0.
    """
    rows = [
        [1, 1, 0, 0, 0],  # supply_limit  ≤ 100
        [1, 0, -100, 0, 0],  # link_activation A ≤ 0
        [0, 1, 0, -60, 0],  # link_activation B ≤ 0
        [1, 1, 0, 0, 1],  # target_rate ≥ 70
    ]
    lo = [-INF, -INF, -INF, 70.0]
    hi = [100.0, 0.0, 0.0, INF]
    names = ["supply_limit[S]", "link_activation[A]", "link_activation[B]", "target_rate[t]"]
    if min_flow_t:
        rows.append([1, 0, -min_flow_t, 0, 0])
        lo.append(0.0)
        hi.append(INF)
        names.append("min_flow[A]")
    return SparseModel(
        A=sp.csr_matrix(np.array(rows, dtype=float)),
        row_names=np.array(names),
        row_lower=np.array(lo),
        row_upper=np.array(hi),
        col_names=np.array(["flow[A]", "flow[B]", "build[A]", "build[B]", "slack[t]"]),
        col_lower=np.zeros(5),
        col_upper=np.array([INF, INF, 1.0, 1.0, INF]),
        integer=np.array([False, False, True, True, False]),
        c=np.array([1.0, 2.0, 1000.0, 0.0, 10_000.0]),
    )


def test_the_lp_spreads_the_fixed_cost_and_prices_the_target() -> None:
    m = two_links()
    lp = lp_relaxation(m)
    assert lp.ok
    assert lp.bound == pytest.approx(230.0)
    assert lp.x is not None
    np.testing.assert_allclose(lp.x, [10.0, 60.0, 0.1, 1.0, 0.0], atol=1e-7)
    assert lp.n_fractional(m) == 1
    assert lp.duals[3] == pytest.approx(11.0)  # CNY per t of target: A's spread cost
    assert lp.duals[0] == pytest.approx(0.0)  # the source has 30 t left


def test_rounding_up_then_re_optimising_gives_the_milp_optimum() -> None:
    m = two_links()
    lp = lp_relaxation(m)
    up = round_up(m, lp.x)
    assert up is not None
    np.testing.assert_allclose(up[2:4], [1.0, 1.0])
    assert m.c @ up == pytest.approx(10 + 120 + 1000)  # the LP's flows, both links built
    polished, y = fixed_binary_lp(m, up)
    assert polished is not None
    np.testing.assert_allclose(polished[:2], [70.0, 0.0], atol=1e-7)
    assert m.c @ polished == pytest.approx(1070.0)
    assert y[3] == pytest.approx(1.0)  # with both built, a target t costs A's 1 CNY/t
    plan = rounded_plan(m, lp)
    assert plan is not None
    assert m.c @ plan == pytest.approx(1070.0)


def test_a_rounding_that_breaks_a_floor_is_refused() -> None:
    """With a floor of 50 t on A the LP carries 10 t at yA = 0.1 (10 ≥ 50·0.1 + 5); built
    whole, A would need 50 t: the rounding breaks ``min_flow`` and is refused."""
    m = two_links(min_flow_t=50.0)
    lp = lp_relaxation(m)
    assert lp.x is not None
    assert round_up(m, lp.x) is None
    assert rounded_plan(m, lp) is None


def test_closing_an_unused_paid_link_keeps_the_plan_feasible() -> None:
    m = two_links()
    x = np.array([0.0, 60.0, 1.0, 1.0, 10.0])  # A built, carrying nothing
    closed = close_unused(m, x)
    np.testing.assert_allclose(closed, [0.0, 60.0, 0.0, 1.0, 10.0])
    assert m.c @ closed == pytest.approx(m.c @ x - 1000.0)
    busy = np.array([70.0, 0.0, 1.0, 1.0, 0.0])  # A carries: closing it breaks its row
    np.testing.assert_allclose(close_unused(m, busy), busy)
