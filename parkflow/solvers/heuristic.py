"""A greedy primal heuristic: the MIP start of every strategy (issue 13).

:func:`greedy_start` builds a feasible solution of a built model in one pass over the links,
from the model's own cost vector (so it follows whatever the formulation prices):

1. existing links are opened;
2. links are taken in ascending order of their cost per unit at full use (unit cost + fixed
   cost / bound) while that is negative (profitable);
3. while a target row is short, links that count toward a short row are taken in the same order;
4. each taken link carries what its source and its use have left (and at most its bound); the
   target slacks take the remaining shortfall.

The vector is checked against every row (:func:`parkflow.solvers.backends.is_feasible`): when
another constraint family makes it infeasible, the no-action start
(:func:`parkflow.solvers.full.trivial_start`) is returned instead, so the start is always
feasible.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from parkflow.network import CandidateNetwork
from parkflow.solvers.backends import is_feasible
from parkflow.solvers.formulation import Formulation

__all__ = ["greedy_start", "greedy_pass", "GreedyStart", "fill_slacks", "row_slacks"]


def row_slacks(form: Formulation) -> np.ndarray:
    """Positions of the slacks that have a ``target_rate`` row, in row order.

    A target that does not bind this year, or does not apply, keeps its slack column (fixed at 0)
    but has no row (docs/model.md, "Target year").
    """
    slack_pos = form.layout.positions("slack")
    if len(form.entries) and "binds" in form.entries:
        active = form.entries["binds"].to_numpy(dtype=bool) & form.entries["applicable"].to_numpy(
            dtype=bool
        )
        return slack_pos[active]
    return slack_pos


def fill_slacks(form: Formulation, x: np.ndarray) -> np.ndarray:
    """``x`` with each target slack set to its row's shortfall (≥ 0)."""
    model, lay = form.model, form.layout
    x = x.copy()
    if lay.n_slack == 0:
        return x
    rows = model.rows("target_rate")
    x[lay.positions("slack")] = 0.0
    pos = row_slacks(form)
    ax = model.A[rows] @ x
    x[pos] = np.maximum(0.0, model.row_lower[rows] - ax)
    return x


@dataclass
class GreedyStart:
    """What the greedy pass found.

    Attributes
    ----------
    x : ndarray
        The start (one value per column), feasible.
    binds : ndarray of bool
        Per ``target_rate`` row (model order): the profitable links alone (step 2) left it short,
        so the target most likely binds.
    prices_cny_per_unit : ndarray
        Per ``target_rate`` row: the mean cost per unit of the row of the links step 3 took for
        it (their cost at full use / what they added to the row) — an estimate of the row's
        Lagrange multiplier (the greedy's *last* price overshoots it: the pass does not re-route);
        0 for a row the profitable links met and for one the pass could not meet.
    """

    x: np.ndarray
    binds: np.ndarray
    prices_cny_per_unit: np.ndarray


def greedy_start(
    form: Formulation, network: CandidateNetwork, fallback: np.ndarray | None = None
) -> np.ndarray:
    """A feasible start from the greedy pass of the module docstring.

    Parameters
    ----------
    form : Formulation
        From :func:`parkflow.solvers.formulation.build`.
    network : CandidateNetwork
        The network it was built from.
    fallback : ndarray, optional
        Returned when the greedy vector is not feasible (default: the no-action start).

    Returns
    -------
    ndarray
        One value per column.
    """
    return greedy_pass(form, network, fallback).x


def greedy_pass(
    form: Formulation, network: CandidateNetwork, fallback: np.ndarray | None = None
) -> GreedyStart:
    """:func:`greedy_start` and what the pass learnt about the target rows."""
    model, lay = form.model, form.layout
    lk = network.links
    if fallback is None:  # the no-action start (as parkflow.solvers.full.trivial_start)
        fallback = fill_slacks(form, lay.vector(build=lk["existing"].to_numpy(dtype=float)))
    rows = model.rows("target_rate") if lay.n_slack else slice(0, 0)
    short = model.row_lower[rows].astype(float).copy() if lay.n_slack else np.zeros(0)
    if not len(lk):
        return GreedyStart(fallback, short > 1e-6, np.zeros(len(short)))
    fpos, bpos = lay.positions("flow"), lay.positions("build")
    s = network.sources.index.get_indexer(pd.Index(lk["source_id"]))
    u = network.sinks.index.get_indexer(pd.Index(lk["use_id"]))
    eta = lk["efficiency"].to_numpy(float)
    bound = lk["bound"].to_numpy(float)
    unit = model.c[fpos]
    score = unit + model.c[bpos] / np.maximum(bound, 1e-9)
    left_s = network.sources["generated"].to_numpy(float).copy()
    left_u = network.sinks["capacity"].to_numpy(float).copy()
    flow = np.zeros(len(lk))
    built = lk["existing"].to_numpy(bool).copy()
    T = model.A[rows][:, fpos].tocsc()  # target coefficient of each link's flow
    t_ptr, t_row, t_val = T.indptr, T.indices, T.data  # plain arrays: no sparse slicing per link

    def take(i: int) -> float:
        q = max(0.0, min(left_s[s[i]], left_u[u[i]] / max(eta[i], 1e-9), bound[i]))
        if q <= 1e-9:
            return 0.0
        flow[i] += q
        built[i] = True
        left_s[s[i]] -= q
        left_u[u[i]] -= q * eta[i]
        a, b = t_ptr[i], t_ptr[i + 1]
        if b > a:
            short[t_row[a:b]] -= t_val[a:b] * q
        return q

    order = np.argsort(score, kind="stable")
    for i in order[score[order] < 0]:
        take(int(i))
    binds = short > 1e-6
    spent = np.zeros(len(short))  # step 3's cost and what it added, per row
    added = np.zeros(len(short))
    if len(short) and np.any(short > 1e-6):
        counts = np.asarray((T > 0).sum(axis=0)).ravel() > 0
        # Python scalars: one step per link
        rows_l, vals_l, ptr_l = t_row.tolist(), t_val.tolist(), t_ptr.tolist()
        n_short = int(np.sum(short > 1e-6))
        for i in order[counts[order] & (score[order] >= 0)].tolist():
            hit = [
                (r, v)
                for r, v in zip(
                    rows_l[ptr_l[i] : ptr_l[i + 1]], vals_l[ptr_l[i] : ptr_l[i + 1]], strict=True
                )
                if v > 0 and short[r] > 1e-6
            ]
            if not hit:
                continue
            q = take(i)
            if q <= 0:
                continue
            for r, v in hit:
                spent[r] += score[i] * q
                added[r] += v * q
                n_short -= short[r] <= 1e-6
            if n_short <= 0:  # every row met
                break
    # a row the pass could not meet has no price: the pass says nothing about its multiplier
    price = np.where((added > 0) & (short <= 1e-6), spent / np.maximum(added, 1e-12), 0.0)
    x = lay.vector(flow=flow, build=built.astype(float))
    x = fill_slacks(form, x)
    if is_feasible(model, x) and float(model.c @ x) <= float(model.c @ fallback):
        return GreedyStart(x, binds, price)
    return GreedyStart(fallback, binds, price)
