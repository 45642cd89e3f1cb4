r"""Decomposed solve: reduced candidates, independent blocks, Lagrangian relaxation of the target.

:func:`solve_decomposed` gives the same :class:`~parkflow.models.result.Result` as
:func:`parkflow.solvers.full.solve_network` (``objective="cost"``), computed differently:

1. **Reduction** — :func:`parkflow.solvers.reduce.reduce_links` drops dominated, unprofitable and
   (heuristically) far-and-expensive candidates.
2. **Blocks** — the full sparse model of the reduced network is built once
   (:func:`parkflow.solvers.formulation.build`); its columns are labelled with the connected
   component of the candidate graph (sources and uses joined by links) they belong to. Every row
   whose columns lie in one component belongs to that component; a row spanning components — in
   practice the ``target_rate`` row of a scenario-wide target — is *coupling*. Components are
   packed into ``jobs`` blocks (block-diagonal sub-models sliced from the full model), solved in
   a process pool (``jobs > 1``) or in turn.
3. **Lagrangian relaxation** of a single coupling target row
   :math:`a \cdot x + \sigma \ge r` (penalty :math:`P` on the slack :math:`\sigma`):

   .. math:: L(\lambda) = \lambda r + \sum_b \min_{x_b} (c_b - \lambda a_b) \cdot x_b,
             \qquad 0 \le \lambda \le P

   is a lower bound of the optimum for every :math:`\lambda` (taken from each block's *dual*
   bound, so it stays valid when blocks stop at their gap). The multiplier (CNY per t utilised)
   is found by bisection on the sign of :math:`a \cdot x(\lambda) - r`, on a log scale.
   **Repair**: components are independent, so a primal solution may take each component's part
   from the last solution below the target (λ low) or above it (λ high); components are switched
   to their "high" part in order of extra cost per extra t utilised until the target holds — a
   feasible solution, whose cost is the upper bound. The loop stops when (upper − lower) /
   \|upper\| ≤ ``gap``, at the time limit or after ``max_iterations``.

The reported ``solver["gap"]`` is that proven gap (against the reduced network: the exact
reduction rules keep its optimum; the heuristic one may raise it slightly, see reduce.py). With no
coupling row the blocks' own gaps give the bound. With several coupling rows (e.g. ``each_park``
targets spanning components) the reduced network is solved whole with
:func:`parkflow.solvers.full.solve_network` (``message`` says so). Objectives other than
``cost`` are solved that way too.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import signal
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from parkflow import interrupt
from parkflow.models.enums import SolveStatus
from parkflow.models.result import Result
from parkflow.models.scenario import Scenario, Target
from parkflow.network import CandidateNetwork, candidate_links
from parkflow.solvers.backends import solve_model
from parkflow.solvers.formulation import (
    DEFAULT_PENALTY_CNY_PER_T,
    Formulation,
    SparseModel,
    build,
)
from parkflow.solvers.full import (
    keeps_existing_flows,
    resolve_options,
    solve_network,
    trivial_start,
)
from parkflow.solvers.heuristic import greedy_start
from parkflow.solvers.progress import Reporter
from parkflow.solvers.reduce import reduce_links
from parkflow.solvers.solution import empty_result, result_from_solution

__all__ = ["solve_decomposed", "component_labels", "BlockSolution", "solve_block"]

_ABS_TOL = 1e-4


# ---------------------------------------------------------------------------------------------
# block solving (a MathOpt call with the gap passed as MathOpt's *tolerance* fields)
# ---------------------------------------------------------------------------------------------
@dataclass
class BlockSolution:
    """One block's answer: ``x`` (None without a solution), primal objective, dual bound."""

    status: str
    x: np.ndarray | None
    objective: float
    bound: float
    time_s: float


def solve_block(
    model: SparseModel,
    solver: str = "highs",
    time_limit_s: float | None = None,
    gap: float | None = None,
    start: np.ndarray | None = None,
) -> BlockSolution:
    """Solve a (minimisation) sparse model with :func:`parkflow.solvers.backends.solve_model`.

    Parameters
    ----------
    model : SparseModel
    solver : {"highs", "scip"}
    time_limit_s, gap : float, optional
    start : ndarray, optional
        A known solution of the block (the previous multiplier's, or the no-action start): the
        solver's hint, and the answer when a limit stops the solver before it finds one.

    Returns
    -------
    BlockSolution
        ``bound`` is the solver's dual bound (a valid lower bound even when stopped early).
    """
    t0 = time.perf_counter()
    if model.n_variables == 0:
        return BlockSolution("optimal", np.zeros(0), float(model.offset), float(model.offset), 0.0)
    res = solve_model(model, solver, time_limit_s, gap, check=False, start=start)
    x = res.x
    obj = float(model.c @ x + model.offset) if x is not None else float("nan")
    bound = float(res.bound)
    if res.status == "optimal" and not np.isfinite(bound):
        bound = obj
    return BlockSolution(res.status, x, obj, bound, time.perf_counter() - t0)


def _solve_job(
    args: tuple[SparseModel, str, float | None, float | None, np.ndarray | None],
) -> BlockSolution:
    return solve_block(*args)


_STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM}


def _worker_init() -> None:
    """Block workers ignore Ctrl-C; the parent stops them (:meth:`_Runner.kill`).

    The terminal sends Ctrl-C to the whole process group; ignoring it, a worker never prints a
    traceback.

    A worker starts with SIGINT and SIGTERM blocked (:func:`_spawning`), so one that arrives
    while it is still importing waits here and is then dropped by the ignore.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)


@contextlib.contextmanager
def _spawning() -> Iterator[None]:
    """Block SIGINT/SIGTERM while worker processes are started.

    The workers inherit the mask, and the parent gets a signal that arrived meanwhile as soon as
    the block ends.
    """
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


# ---------------------------------------------------------------------------------------------
# components and blocks
# ---------------------------------------------------------------------------------------------
def component_labels(network: CandidateNetwork) -> tuple[np.ndarray, np.ndarray, int]:
    """Connected components of the candidate graph (sources and uses joined by links).

    Returns
    -------
    source_label, sink_label : ndarray of int
        Component of each source (``network.sources`` order) and use (``network.sinks`` order).
    n : int
        Number of components (isolated sources and uses count as their own).
    """
    ns, nu = len(network.sources), len(network.sinks)
    s = network.sources.index.get_indexer(pd.Index(network.links["source_id"]))
    u = network.sinks.index.get_indexer(pd.Index(network.links["use_id"])) + ns
    g = sp.coo_matrix((np.ones(len(s)), (s, u)), shape=(ns + nu, ns + nu))
    n, lab = connected_components(g, directed=False)
    return lab[:ns], lab[ns:], int(n)


def _column_labels(form: Formulation, network: CandidateNetwork, src_lab: np.ndarray) -> np.ndarray:
    """Component of each model column; -1 for the target slacks."""
    ls = src_lab[network.sources.index.get_indexer(pd.Index(network.links["source_id"]))]
    ks = network.sources.index.get_indexer(pd.Index(network.stock["source_id"]))
    draw = np.where(ks >= 0, src_lab[np.maximum(ks, 0)], -1) if len(ks) else ks
    return form.layout.labels({"flow": ls, "build": ls, "draw": draw})


def _row_labels(A: sp.csr_matrix, col_lab: np.ndarray) -> np.ndarray:
    """Component of each row: its columns' common label.

    -2 when they span several, -1 when the row has only slack columns (or none).
    """
    A = A.tocsr()
    lab = col_lab[A.indices]
    big = np.iinfo(np.int64).max
    lo_v = np.where(lab >= 0, lab, big)
    hi_v = np.where(lab >= 0, lab, -1)
    n = A.shape[0]
    starts = A.indptr[:-1]
    nonempty = np.diff(A.indptr) > 0
    lo = np.full(n, big, dtype=np.int64)
    hi = np.full(n, -1, dtype=np.int64)
    if len(lab):
        idx = starts[nonempty]
        lo[nonempty] = np.minimum.reduceat(lo_v, idx)
        hi[nonempty] = np.maximum.reduceat(hi_v, idx)
    out = np.where(hi < 0, -1, np.where(lo == hi, lo, -2))
    return out


def _pack(sizes: np.ndarray, n_bins: int) -> np.ndarray:
    """Bin of each component: largest first into the lightest bin (LPT)."""
    order = np.argsort(-sizes, kind="stable")
    load = np.zeros(n_bins)
    out = np.zeros(len(sizes), dtype=np.int64)
    for k in order:  # one step per component (a few thousand at most), not per link
        b = int(np.argmin(load))
        out[k] = b
        load[b] += sizes[k]
    return out


def _sub_model(model: SparseModel, rows: np.ndarray, cols: np.ndarray) -> SparseModel:
    A = model.A[rows][:, cols].tocsr()
    A.sort_indices()
    return replace(
        model,
        A=A,
        row_names=model.row_names[rows],
        row_lower=model.row_lower[rows],
        row_upper=model.row_upper[rows],
        col_names=model.col_names[cols],
        col_lower=model.col_lower[cols],
        col_upper=model.col_upper[cols],
        integer=model.integer[cols],
        c=model.c[cols].copy(),
        offset=0.0,
        maximise=False,
        families={},
    )


# ---------------------------------------------------------------------------------------------
# the decomposed solve
# ---------------------------------------------------------------------------------------------
class _Runner:
    """Solve the blocks for one objective vector, in a pool or in turn.

    On an interrupt (:mod:`parkflow.interrupt`) the worker processes are killed at once.
    """

    def __init__(self, blocks: list[tuple[SparseModel, np.ndarray]], solver: str, jobs: int):
        self.blocks = blocks
        self.solver = solver
        self.pool: ProcessPoolExecutor | None = None
        self._stack = contextlib.ExitStack()
        if jobs > 1 and len(blocks) > 1:
            self.pool = ProcessPoolExecutor(
                max_workers=min(jobs, len(blocks)),
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_worker_init,
            )
            self._stack.enter_context(interrupt.on_interrupt(self.kill))

    def run(
        self,
        c_full: np.ndarray,
        time_limit_s: float | None,
        gap: float | None,
        start: np.ndarray | None = None,
    ) -> list[BlockSolution]:
        args = [
            (
                replace(m, c=c_full[cols]),
                self.solver,
                time_limit_s,
                gap,
                None if start is None else start[cols],
            )
            for m, cols in self.blocks
        ]
        if self.pool is not None:
            try:
                with _spawning():  # map submits every job, starting the workers, at once
                    results = self.pool.map(_solve_job, args)
                return list(results)
            except BrokenProcessPool:  # e.g. a script without an ``if __name__ == "__main__"``
                self.pool.shutdown(cancel_futures=True)
                self.pool = None
            except KeyboardInterrupt:
                self.kill()
                raise
        return [_solve_job(a) for a in args]

    def kill(self) -> None:
        """Stop the worker processes now (safe from another thread)."""
        pool = self.pool
        if pool is None:
            return
        # ProcessPoolExecutor has no public way to stop running workers before Python 3.14
        for proc in list(getattr(pool, "_processes", {}).values()):
            with contextlib.suppress(Exception):
                proc.kill()
        with contextlib.suppress(Exception):
            # wait: the dead workers are reaped and the queues' semaphores released, so that
            # multiprocessing's resource tracker has no "leaked semaphore" warning to print
            pool.shutdown(wait=True, cancel_futures=True)
        self.pool = None

    def close(self) -> None:
        self._stack.close()
        if self.pool is not None:
            self.pool.shutdown()


def solve_decomposed(
    scenario: Scenario,
    objective: str | None = None,
    solver: str | None = None,
    time_limit_s: float | None = None,
    gap: float | None = None,
    targets: Sequence[Target] | None = None,
    reduce: bool = True,
    cover: float | None = 10.0,
    jobs: int = 2,
    max_iterations: int = 20,
    network: CandidateNetwork | None = None,
    relax_target: bool = True,
    progress: Callable[[str], None] | None = None,
) -> Result:
    """Optimise a scenario by reduction, decomposition and Lagrangian relaxation (module doc).

    Parameters
    ----------
    scenario : Scenario
    objective : {"cost", "utilisation", "co2"}, optional
        Only ``cost`` is decomposed; the others solve the reduced network whole.
    solver : {"highs", "scip"}, optional
    time_limit_s, gap : float, optional
        Wall-clock limit (s) for the whole call and the relative gap to prove; default: the
        scenario's settings.
    targets : sequence of Target, optional
    reduce : bool
        Apply :func:`~parkflow.solvers.reduce.reduce_links` first.
    cover : float or None
        Its heuristic rule's capacity cover; ``None`` keeps the reduction exact.
    jobs : int
        Blocks solved in parallel (a "spawn" process pool when > 1, so call it from under
        ``if __name__ == "__main__":`` in a script; without that guard, or when the pool breaks,
        the blocks are solved in turn); 1 solves them in turn.
    max_iterations : int
        Most multiplier values tried.
    network : CandidateNetwork, optional
        A prepared candidate network (skips :func:`~parkflow.network.candidate_links`).
    relax_target : bool
        Relax a single target row by the Lagrangian even when it lies inside one component
        (otherwise only a row that couples components is relaxed).
    progress : callable, optional

    Returns
    -------
    Result
        As :func:`parkflow.solve` (no ``baseline``). ``solver`` also holds
        ``bound`` (proven lower bound, CNY/a incl. penalty), ``multiplier`` (CNY/t),
        ``n_components``, ``n_blocks``, ``n_iterations``, ``reduction``, ``n_links_full``.
    """
    t_start = time.perf_counter()
    say = Reporter(progress, t_start)
    objective, solver_name, limit, gap, tg, min_flow = resolve_options(
        scenario, objective, solver, time_limit_s, gap, targets
    )
    gap_goal = 1e-4 if gap is None else float(gap)
    parks = [str(p) for p in scenario.parks.index] if scenario.parks is not None else []

    # stop the multiplier loop at 95 % of the limit minus a reserve for writing the result
    deadline = (
        None if limit is None else t_start + 0.95 * float(limit) - min(2.0, 0.02 * float(limit))
    )

    def left() -> float | None:
        if deadline is None:
            return None
        return max(0.05, deadline - time.perf_counter())

    def iteration_budget() -> float | None:
        """A share of what is left, so that later multipliers and the repair get time too."""
        rest = left()
        if rest is None:
            return None
        return max(0.05, rest / 3.0) if rest > 0.1 * float(limit) else rest

    if network is None:
        say("building the candidate network", "network")
    t = time.perf_counter()
    full = candidate_links(scenario) if network is None else network
    network_s = time.perf_counter() - t
    say("reducing the candidate links", "reduce")
    t = time.perf_counter()
    net, red = reduce_links(full, tg, objective, cover=cover) if reduce else (full, None)
    reduce_s = time.perf_counter() - t
    info: dict[str, Any] = {
        "name": solver_name,
        "network_s": network_s,
        "reduce_s": reduce_s,
        "n_links_full": len(full.links),
        "reduction": str(red or "none"),
        "time_limit_s": limit,
        "gap_limit": gap,
        "method": "decomposed",
    }

    if objective != "cost":
        res = solve_network(scenario, net, objective, solver_name, left(), gap, tg, min_flow)
        res.solver.update(info)
        res.message = (
            res.message + "; " if res.message else ""
        ) + f"objective {objective} is not decomposed: the reduced network was solved whole"
        return res

    say("building the model and its blocks", "build")
    t = time.perf_counter()
    form = build(
        net,
        tg,
        "cost",
        min_flow_per_a=min_flow,
        parks=parks,
        year=scenario.settings.year,
        keep_existing_flows=keeps_existing_flows(scenario),
    )
    model, lay = form.model, form.layout
    src_lab, _, n_comp = component_labels(net)
    col_lab = _column_labels(form, net, src_lab)
    row_lab = _row_labels(model.A, col_lab)
    if (
        relax_target
        and model.families["target_rate"].stop - model.families["target_rate"].start == 1
    ):
        row_lab[model.families["target_rate"]] = -2
    slack_pos = lay.positions("slack")
    target_rows = np.arange(model.families["target_rate"].start, model.families["target_rate"].stop)
    # a local target row takes its slack into its component
    col_lab[slack_pos] = np.where(row_lab[target_rows] >= 0, row_lab[target_rows], -1)
    coupling = target_rows[row_lab[target_rows] < 0]
    other_coupling = np.setdiff1d(np.flatnonzero(row_lab == -2), target_rows)
    info.update(
        {
            "build_s": time.perf_counter() - t,
            "n_variables": model.n_variables,
            "n_constraints": model.n_constraints,
            "n_binaries": model.n_binaries,
            "n_components": n_comp,
        }
    )

    if len(coupling) > 1 or len(other_coupling):
        say("several coupling rows: solving the reduced network whole", "solve")
        res = solve_network(scenario, net, "cost", solver_name, left(), gap, tg, min_flow)
        res.solver.update(info)
        res.message = (
            res.message + "; " if res.message else ""
        ) + f"{len(coupling)} target rows couple components: the reduced network was solved whole"
        return res

    # blocks: components packed into `jobs` bins by their number of non-zeros
    real = col_lab >= 0
    comp_nnz = np.bincount(
        col_lab[real], weights=np.diff(model.A.tocsc().indptr)[real], minlength=n_comp
    )
    n_bins = max(1, int(jobs))
    comp_bin = _pack(comp_nnz, n_bins)
    col_bin = np.where(real, comp_bin[np.maximum(col_lab, 0)], -1)
    row_bin = np.where(row_lab >= 0, comp_bin[np.maximum(row_lab, 0)], -1)
    blocks = []
    for b in range(n_bins):
        cb = np.flatnonzero(col_bin == b)
        if len(cb):
            blocks.append((_sub_model(model, np.flatnonzero(row_bin == b), cb), cb))
    info["n_blocks"] = len(blocks)

    # the coupling row a·x + σ ≥ r, its slack and penalty
    if len(coupling):
        row = model.A[coupling[0]].toarray().ravel()
        s_col = int(slack_pos[np.flatnonzero(target_rows == coupling[0])[0]])
        a = row.copy()
        a[s_col] = 0.0
        rhs = float(model.row_lower[coupling[0]])
        penalty = float(model.c[s_col])
    else:
        a, rhs, penalty, s_col = lay.vector(), 0.0, DEFAULT_PENALTY_CNY_PER_T, -1

    comp_of = col_lab  # per column, -1 for the coupling slack
    runner = _Runner(blocks, solver_name, jobs)
    n_iter = 0
    solver_s = 0.0
    best_lb = -np.inf
    best_ub, best_x = np.inf, None
    lo_x = hi_x = None
    lam_lo, lam_hi = 0.0, penalty
    lam = 0.0
    stopped = ""
    proven_unreachable = False
    history: list[dict[str, float | None]] = []
    # the no-action start: feasible (the target slack takes the shortfall); every block starts
    # from it, then from the previous multiplier's answer (warm start)
    start = greedy_start(form, net, fallback=trivial_start(form, net))
    if s_col >= 0:
        start[s_col] = 0.0
    warm = start.copy()

    def evaluate(lam_v: float) -> tuple[np.ndarray | None, float, float, bool]:
        """Solve the relaxed problem at λ.

        Returns x (full columns), its lower bound, U = a·x, and whether every block was solved
        to its gap.
        """
        nonlocal solver_s
        c_lam = model.c - lam_v * a
        sols = runner.run(c_lam, iteration_budget(), gap, warm)
        solver_s += max(s.time_s for s in sols)
        x = lay.vector()
        for (_, cb), s in zip(blocks, sols, strict=True):
            x[cb] = s.x if s.x is not None else warm[cb]
        if any(s.x is None and s.status in ("infeasible", "error") for s in sols):
            return None, -np.inf, np.nan, False
        lb = float(sum(s.bound for s in sols)) + lam_v * rhs
        if not np.isfinite(lb):
            lb = -np.inf
        return x, lb, float(a @ x), all(s.status == "optimal" for s in sols)

    def cost_of(x: np.ndarray) -> float:
        x = x.copy()
        if s_col >= 0:
            x[s_col] = max(0.0, rhs - float(a @ x))
        return float(model.c @ x)

    def with_slack(x: np.ndarray) -> np.ndarray:
        x = x.copy()
        if s_col >= 0:
            x[s_col] = max(0.0, rhs - float(a @ x))
        return x

    def repair() -> tuple[np.ndarray, float] | None:
        """Mix components of the low-λ and high-λ solutions to meet the target at least cost."""
        if lo_x is None or hi_x is None:
            return None
        comps = comp_of >= 0
        lab = comp_of[comps]
        d_cost = np.bincount(lab, weights=(model.c * (hi_x - lo_x))[comps], minlength=n_comp)
        d_u = np.bincount(lab, weights=(a * (hi_x - lo_x))[comps], minlength=n_comp)
        need = rhs - float(a @ lo_x)
        cand = np.flatnonzero(d_u > 1e-9)
        order = cand[np.argsort(d_cost[cand] / d_u[cand], kind="stable")]
        reach = np.cumsum(d_u[order])
        k = int(np.searchsorted(reach, need - 1e-9)) + 1
        switch = np.zeros(n_comp, dtype=bool)
        switch[order[:k]] = True
        take = np.zeros(lay.n, dtype=bool)
        take[comps] = switch[lab]
        x = np.where(take, hi_x, lo_x)
        return x, cost_of(x)

    def restricted() -> tuple[np.ndarray, float] | None:
        """Re-solve, with the target row, only the components whose λ parts differ.

        Those are the components whose low-λ and high-λ parts differ (the others stay at their
        low-λ part); None when that is all of them.
        """
        nonlocal solver_s
        if lo_x is None or hi_x is None:
            return None
        comps = comp_of >= 0
        differ = np.zeros(n_comp, dtype=bool)
        changed = comps & (np.abs(hi_x - lo_x) > 1e-7)
        differ[comp_of[changed]] = True
        cset = comps & differ[np.maximum(comp_of, 0)]
        if not cset.any() or cset.sum() > max(0.5 * comps.sum(), 5000):
            return None
        cc = np.flatnonzero(cset)
        rr = np.flatnonzero((row_lab >= 0) & differ[np.maximum(row_lab, 0)])
        sub = _sub_model(model, rr, cc)
        fixed_u = float(a[~cset] @ lo_x[~cset])
        row = sp.csr_matrix(np.append(a[cc], 1.0).reshape(1, -1))
        A = sp.vstack([sp.hstack([sub.A, sp.csr_matrix((sub.A.shape[0], 1))]), row], format="csr")
        A.sort_indices()
        sub = replace(
            sub,
            A=A,
            row_names=np.append(sub.row_names, "target_rate[coupling]"),
            row_lower=np.append(sub.row_lower, rhs - fixed_u),
            row_upper=np.append(sub.row_upper, np.inf),
            col_names=np.append(sub.col_names, "slack[coupling]"),
            col_lower=np.append(sub.col_lower, 0.0),
            col_upper=np.append(sub.col_upper, np.inf),
            integer=np.append(sub.integer, False),
            c=np.append(sub.c, penalty),
        )
        sol = solve_block(sub, solver_name, iteration_budget(), gap)
        solver_s += sol.time_s
        if sol.x is None:
            return None
        x = lo_x.copy()
        x[cc] = sol.x[:-1]
        return x, cost_of(x)

    def offer(x: np.ndarray, cost: float) -> None:
        nonlocal best_ub, best_x
        if cost < best_ub - 1e-9 * max(1.0, abs(cost)):
            best_ub, best_x = cost, with_slack(x)

    def gap_now() -> float:
        if not (np.isfinite(best_ub) and np.isfinite(best_lb)):
            return float("nan")
        return (best_ub - best_lb) / max(abs(best_ub), 1e-9)

    offer(start, cost_of(start))
    say("greedy start", "start", incumbent=best_ub)
    try:
        while n_iter < max_iterations:
            n_iter += 1
            x, lb, u, solved = evaluate(lam)
            if x is None:
                stopped = "a block has no solution"
                break
            warm = with_slack(x)
            best_lb = max(best_lb, lb)
            meets = s_col < 0 or u >= rhs - _ABS_TOL
            offer(x, cost_of(x))  # every iterate is feasible with the target slack
            if meets:
                hi_x, lam_hi = x, lam
            else:
                lo_x, lam_lo = x, lam
                if lam >= penalty and solved:
                    proven_unreachable = True
            rep = repair()
            if rep is not None:
                offer(*rep)
            rest = left()
            if rest is None or rest > 0.1:
                rep = restricted()
                if rep is not None:
                    offer(*rep)
            history.append(
                {
                    k: (float(v) if np.isfinite(v) else None)
                    for k, v in (
                        ("multiplier", lam),
                        ("bound", lb),
                        ("utilised", u),
                        ("incumbent", best_ub),
                    )
                }
            )
            say(
                f"multiplier {lam:,.4g} CNY/t (iteration {n_iter})",
                "iterate",
                incumbent=best_ub,
                bound=best_lb,
                gap=gap_now(),
                iteration=n_iter,
                multiplier=lam,
            )
            if np.isfinite(best_ub) and (best_ub - best_lb) <= gap_goal * max(abs(best_ub), 1e-9):
                break
            if deadline is not None and time.perf_counter() >= deadline - 0.05:
                stopped = "time limit"
                break
            if meets and lam == 0.0 and solved:
                break  # the target is not binding: x is the blocks' own optimum
            if hi_x is None:
                if lam_lo >= penalty:
                    break
                # first step from 0: try a moderate price before the penalty itself
                lam = min(penalty, 100.0) if lam_lo == 0.0 else min(penalty, max(lam * 16.0, 1.0))
                continue
            if lam_hi - lam_lo <= 1e-6 * max(1.0, lam_hi):
                break
            lam = float(np.sqrt(max(lam_lo, 1e-3) * lam_hi)) if lam_lo > 0 else lam_hi / 8.0
    finally:
        runner.close()

    total_s = time.perf_counter() - t_start
    proven = gap_now()
    info.update(
        {
            "time_s": solver_s,
            "gap": float(proven),
            "bound": float(best_lb),
            "multiplier": float(lam_hi if hi_x is not None else lam_lo),
            "multipliers": [float(lam_hi if hi_x is not None else lam_lo)],
            "n_iterations": n_iter,
            "n_solves": n_iter * len(blocks),
            "wall_s": total_s,
            "iterations": history,
            "termination": stopped
            or ("gap reached" if proven <= gap_goal + 1e-12 else "iterations"),
        }
    )
    if best_x is None:
        return empty_result(
            scenario,
            net,
            "cost",
            SolveStatus.ERROR,
            info,
            f"decomposed solve found no solution ({stopped})",
        )
    short = rhs - float(a @ best_x) if s_col >= 0 else 0.0
    if short > _ABS_TOL + 1e-6 * abs(rhs) and proven_unreachable:
        status = SolveStatus.TARGET_UNREACHABLE
    elif np.isfinite(proven) and proven <= gap_goal + 1e-12 and short <= _ABS_TOL + 1e-6 * abs(rhs):
        status = SolveStatus.OPTIMAL
    else:
        status = SolveStatus.FEASIBLE
    if status == SolveStatus.OPTIMAL:
        message = ""
    else:
        message = (
            f"stopped ({stopped or 'iterations'}); proven relative gap {proven:.4g}"
            if np.isfinite(proven)
            else f"stopped ({stopped or 'iterations'}); no bound"
        )
        if status == SolveStatus.FEASIBLE and short > _ABS_TOL + 1e-6 * abs(rhs):
            message += (
                f"; the best plan found misses the target by {short:,.0f} t/a "
                "(not proven unreachable)"
            )
    return result_from_solution(scenario, net, form, best_x, status, info, message)
