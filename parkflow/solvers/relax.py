r"""The LP relaxation of a model: its bound, its duals, and plans rounded from it.

The candidate-link model is a fixed-charge network flow with a tight big-M per link
(:math:`f_l \le B_l b_l`, :math:`B_l` = the least of supply, capacity and the link's own bound).
Its LP relaxation spreads a link's fixed cost over its bound (:math:`F_l b_l = F_l f_l / B_l` at
the LP optimum) and is close to the MILP on the generated provinces of docs/performance.md: at
2,000 enterprises the LP bound and the rounded plan below are 0.5 % apart, after one LP of
1.5 s. The decomposed solve (:func:`parkflow.solvers.decompose.solve_decomposed`) starts from it:

1. :func:`lp_relaxation` — the LP with every integrality dropped (scipy's HiGHS): its optimum
   is a lower bound of the MILP, its row duals give the target rows' multipliers (the best
   start of the Lagrangian search: :math:`L(\lambda_{LP}) \ge` the LP bound) and price the
   candidates left out of the model (:func:`parkflow.solvers.reduce.price_left_out`).
2. :func:`round_up` — every integer column at the ceiling of its LP value (a link that carries
   LP flow is built): feasible whenever raising an integer column cannot break a row (true of
   ``link_activation``, ``min_flow`` for flows at their floor, ``existing_links``); checked.
3. :func:`fixed_binary_lp` — the LP left when every integer column is fixed (only the columns
   not switched off by a closed link: small); re-optimises the flows of the rounded plan.
4. :func:`close_unused` — closes the built columns that carry nothing and cost something.

Convention for duals (as :func:`parkflow.solvers.reduce.fixed_binary_duals`): the reduced cost
of column :math:`j` is :math:`c_j - y \cdot A_j`, so :math:`y \le 0` on a binding ``≤`` row and
:math:`y \ge 0` on a binding ``≥`` row.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.optimize import linprog

from parkflow.solvers.backends import is_feasible
from parkflow.solvers.formulation import SparseModel

__all__ = [
    "Relaxation",
    "lp_relaxation",
    "round_up",
    "fixed_binary_lp",
    "close_unused",
    "rounded_plan",
]

#: An integer column whose LP value is within this of an integer counts as integral.
INTEGRAL_TOL = 1e-6


@dataclass
class Relaxation:
    """Outcome of :func:`lp_relaxation`.

    ``status`` is ``optimal`` (then ``bound`` is a valid lower bound of the MILP and ``x``,
    ``duals`` are the LP's), ``time`` (stopped at its limit: nothing is valid) or ``failed``.
    """

    status: str
    bound: float
    x: np.ndarray | None
    duals: np.ndarray
    time_s: float

    @property
    def ok(self) -> bool:
        """Whether the LP was solved to optimality (its bound and duals are valid)."""
        return self.status == "optimal" and self.x is not None

    def fractional(self, model: SparseModel) -> np.ndarray:
        """Mask of the integer columns whose LP value is not integral (none without an LP x)."""
        if self.x is None:
            return np.zeros(model.n_variables, dtype=bool)
        return model.integer & (np.abs(self.x - np.round(self.x)) > INTEGRAL_TOL)

    def n_fractional(self, model: SparseModel) -> int:
        """Integer columns whose LP value is not integral."""
        return int(self.fractional(model).sum())


def _split_rows(lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(equality, ≤, ≥) row masks; a ranged row is in both ≤ and ≥."""
    fin_lo, fin_hi = np.isfinite(lo), np.isfinite(hi)
    eq = fin_lo & fin_hi & (lo == hi)
    return eq, fin_hi & ~eq, fin_lo & ~eq


def _linprog(
    A: sp.csr_matrix,
    c: np.ndarray,
    lo: np.ndarray,
    hi: np.ndarray,
    col_lo: np.ndarray,
    col_hi: np.ndarray,
    time_limit_s: float | None,
) -> tuple[str, np.ndarray | None, float, np.ndarray]:
    """One scipy/HiGHS LP over rows ``lo ≤ A x ≤ hi``: (status, x, objective, row duals)."""
    eq, le, ge = _split_rows(lo, hi)
    A_ub = sp.vstack([A[le], -A[ge]], format="csr")
    b_ub = np.concatenate([hi[le], -lo[ge]])
    options: dict[str, float] = {}
    if time_limit_s is not None and np.isfinite(time_limit_s):
        options["time_limit"] = max(0.05, float(time_limit_s))
    res = linprog(
        c,
        A_ub=A_ub if A_ub.shape[0] else None,
        b_ub=b_ub if A_ub.shape[0] else None,
        A_eq=A[eq] if eq.any() else None,
        b_eq=hi[eq] if eq.any() else None,
        bounds=np.column_stack([col_lo, col_hi]),
        method="highs",
        options=options,
    )
    y = np.zeros(A.shape[0])
    if res.status != 0 or res.x is None:
        return ("time" if res.status == 1 else "failed"), None, float("nan"), y
    if A_ub.shape[0]:
        marg = np.asarray(res.ineqlin.marginals)
        n_le = int(le.sum())
        y[np.flatnonzero(le)] += marg[:n_le]
        y[np.flatnonzero(ge)] -= marg[n_le:]
    if eq.any():
        y[np.flatnonzero(eq)] += np.asarray(res.eqlin.marginals)
    return "optimal", np.asarray(res.x, dtype=float), float(res.fun), y


def lp_relaxation(model: SparseModel, time_limit_s: float | None = None) -> Relaxation:
    """Solve the LP relaxation of ``model`` (a minimisation) with scipy's HiGHS.

    Parameters
    ----------
    model : SparseModel
    time_limit_s : float, optional

    Returns
    -------
    Relaxation
        ``bound`` includes the model's ``offset``.

    Examples
    --------
    A link of 10 t that earns 5 CNY/t and costs 30 CNY/a to build: the LP builds 1/1 of it
    (−50 + 30 = −20), the MILP too.

    >>> import numpy as np, scipy.sparse as sp
    >>> m = SparseModel(A=sp.csr_matrix(np.array([[1.0, -10.0]])), row_names=np.array(["a"]),
    ...     row_lower=np.array([-np.inf]), row_upper=np.array([0.0]),
    ...     col_names=np.array(["f", "b"]), col_lower=np.zeros(2), col_upper=np.array([10.0, 1.0]),
    ...     integer=np.array([False, True]), c=np.array([-5.0, 30.0]))
    >>> r = lp_relaxation(m)
    >>> r.status, round(r.bound, 6), r.x.round(6).tolist()
    ('optimal', -20.0, [10.0, 1.0])
    """
    if model.maximise:
        msg = "lp_relaxation expects a minimisation"
        raise ValueError(msg)
    t0 = time.perf_counter()
    status, x, fun, y = _linprog(
        model.A.tocsr(),
        model.c,
        model.row_lower,
        model.row_upper,
        model.col_lower,
        model.col_upper,
        time_limit_s,
    )
    bound = fun + float(model.offset) if status == "optimal" else float("nan")
    return Relaxation(status, bound, x, y, time.perf_counter() - t0)


def round_up(model: SparseModel, x: np.ndarray) -> np.ndarray | None:
    """``x`` with every integer column raised to the ceiling of its value, if that is feasible.

    Returns
    -------
    ndarray or None
        None when a row breaks (e.g. ``min_flow`` on a link whose LP flow is below its floor).
    """
    out = np.asarray(x, dtype=float).copy()
    ints = model.integer
    out[ints] = np.minimum(np.ceil(out[ints] - INTEGRAL_TOL), model.col_upper[ints])
    out[ints] = np.maximum(out[ints], model.col_lower[ints])
    return out if is_feasible(model, out) else None


def fixed_binary_lp(
    model: SparseModel, x: np.ndarray, time_limit_s: float | None = None
) -> tuple[np.ndarray | None, np.ndarray]:
    r"""The LP left when every integer column is fixed at its (rounded) value in ``x``.

    It keeps only the continuous columns not forced to 0 by a closed link (the built links,
    draws and slacks: small). A continuous column is *dead* when a row with one continuous
    entry and a right-hand side ≤ 0 after the fixed part (``link_activation`` of a closed link)
    holds it at 0.

    Returns
    -------
    (ndarray or None, ndarray)
        The LP's solution over all columns (integers as fixed; None when the LP failed) and one
        dual per row of ``model`` (rows the LP does not see get 0).
    """
    A = model.A.tocsc()
    ints = model.integer
    xb = np.where(ints, np.round(x), 0.0)
    lo, hi = model.col_lower.copy(), model.col_upper.copy()
    lo[ints], hi[ints] = xb[ints], xb[ints]
    fixed_part = A[:, ints] @ xb[ints]
    row_lo = model.row_lower - fixed_part
    row_hi = model.row_upper - fixed_part
    cont = np.flatnonzero(~ints)
    Ac = A[:, cont].tocsr()
    single = np.diff(Ac.indptr) == 1
    sr = np.flatnonzero(single & np.isfinite(row_hi) & (row_hi <= 1e-12))
    dead = np.zeros(len(cont), dtype=bool)
    if len(sr):
        sub = Ac[sr]
        dead[sub.indices[sub.data > 0]] = True
    live = cont[~dead]
    y = np.zeros(model.n_constraints)
    out = xb.copy()
    if not len(live):
        return (out if is_feasible(model, out) else None), y
    Al = A[:, live].tocsr()
    rows = np.flatnonzero(np.diff(Al.indptr) > 0)
    status, xl, _, yl = _linprog(
        Al[rows],
        model.c[live],
        row_lo[rows],
        row_hi[rows],
        lo[live],
        hi[live],
        time_limit_s,
    )
    if status != "optimal" or xl is None:
        return None, y
    y[rows] = yl
    out[live] = xl
    return out, y


def close_unused(model: SparseModel, x: np.ndarray) -> np.ndarray:
    r"""Close (set to 0) the integer columns at 1 with a positive cost whose closing breaks no row.

    A link built by the rounding whose flow the re-optimisation moved elsewhere costs its fixed
    cost for nothing. Each is tested on its own rows (closing one never makes another's test
    pass or fail: a column's rows hold its own flow, ``f_l - B_l b_l \le 0``), and the result
    is checked as a whole.
    """
    out = np.asarray(x, dtype=float).copy()
    ints = model.integer
    cand = np.flatnonzero(ints & (out > 0.5) & (model.c > 0) & (model.col_lower < 0.5))
    if not len(cand):
        return out
    A = model.A.tocsc()
    act = model.A @ out
    sub = A[:, cand]
    # activity of each of the candidate's rows after closing it
    coo = sub.tocoo()
    after = act[coo.row] - coo.data * out[cand[coo.col]]
    bad = (after < model.row_lower[coo.row] - 1e-7) | (after > model.row_upper[coo.row] + 1e-7)
    ok = np.ones(len(cand), dtype=bool)
    ok[np.unique(coo.col[bad])] = False
    trial = out.copy()
    trial[cand[ok]] = 0.0
    return trial if is_feasible(model, trial) else out


def rounded_plan(
    model: SparseModel, relaxation: Relaxation, time_limit_s: float | None = None
) -> np.ndarray | None:
    """A feasible plan from the LP: round up, re-optimise the flows, close what carries nothing.

    Returns
    -------
    ndarray or None
        None when the LP was not solved or its rounding breaks a row.
    """
    if not relaxation.ok or relaxation.x is None:
        return None
    x = round_up(model, relaxation.x)
    if x is None:
        return None
    polished, _ = fixed_binary_lp(model, x, time_limit_s)
    if polished is not None and is_feasible(model, polished) and model.c @ polished <= model.c @ x:
        x = polished
    return close_unused(model, x)
