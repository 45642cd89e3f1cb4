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
3. **LP relaxation first** (:mod:`parkflow.solvers.relax`) — the LP of the whole reduced
   model (every integrality dropped, one scipy/HiGHS call) gives a lower bound, the target
   rows' duals :math:`\lambda_{LP}` (the first multipliers of step 4:
   :math:`L(\lambda_{LP})` is at least the LP bound) and a plan: integers rounded up, flows
   re-optimised with the integers fixed, built links that carry nothing closed. When that plan
   is within ``gap`` of the LP bound nothing else is solved (the generated provinces of
   docs/performance.md: 0.3–0.6 % after one LP); otherwise the binaries the LP left fractional
   (a few hundred) are solved as a small MILP with the others fixed at their LP values
   (*LP-and-fix*), and if the gap is still open the Lagrangian search starts from
   :math:`\lambda_{LP}` and that plan. A row the LP misses is unreachable in the same sense as
   a block answer at λ = P. Without the LP (``lp_start=False``, or the LP stopped by the limit)
   the search starts from the greedy plan (step 4).
4. **Lagrangian relaxation** of the target rows :math:`a_i \cdot x + \sigma_i \ge r_i`
   (penalty :math:`P_i` on the slack :math:`\sigma_i`; every target row with ``relax_target``,
   else those that couple components — so ``each_park`` targets and several targets decompose
   too), one multiplier :math:`\lambda_i` (CNY per t utilised) per row:

   .. math:: L(\lambda) = \lambda \cdot r + \sum_b \min_{x_b} (c_b - \lambda^T A_b) \cdot x_b,
             \qquad 0 \le \lambda \le P

   is a lower bound of the optimum for every :math:`\lambda` (taken from each block's *dual*
   bound, so it stays valid when blocks stop at their gap; the blocks' gaps are scaled so that
   together they lose at most half of ``gap``). The multipliers are searched by a bundle method
   (cutting planes in a trust region): every iterate
   :math:`x_k` gives the cut :math:`L(\lambda) \le c \cdot x_k + \lambda \cdot (r - A x_k)`;
   the next :math:`\lambda` maximises the minimum of the cuts in the box
   :math:`|\lambda - \lambda_c|_\infty \le \Delta` (one small LP); the centre :math:`\lambda_c`
   moves on a *serious* step (the bound rose by ≥ 10 % of what the model promised; Δ doubles
   when the step reached the box's edge) and Δ halves on a *null* step. The first multiplier is
   :math:`\lambda_{LP}`; without the LP it is 0, except for a row that the greedy pass's
   profitable links leave short (the target binds) and that its target pass meets: there it is
   the mean price per unit of the links the greedy took to meet it
   (:func:`parkflow.solvers.heuristic.greedy_pass`), which saves the λ = 0 iteration whose
   answer would miss the target; a pricing round starts from the last round's multipliers and
   plan. The next step is the Polyak step :math:`\lambda_1 = \lambda_0 + (U - L_0) g_0 /
   \|g_0\|^2` with the incumbent's cost as the target :math:`U`. Blocks are warm-started
   from the previous iterate; every multiplier gets a third of the time left, and no solver call
   more than what is left / 1.05 (:class:`parkflow.solvers.backends.TimeBudget`).
5. **Primal side** — every iterate is feasible with the slacks taking the shortfall; a
   component mix takes whole components from another iterate where that lowers the penalised
   cost (cheapest extra cost per useful t first); RINS fixes the binaries on which the
   incumbent and the iterate agree and solves the rest whole, with the target rows — only while
   the gap is open and not at a first iterate from a price that misses the relaxed
   rows (moving the multiplier is cheaper). The best
   plan is the upper bound. The loop stops when (upper − lower) / \|upper\| ≤ ``gap``, at the
   time limit, after ``max_iterations`` or when the trust region has shrunk to nothing.
6. **Pricing** (:func:`parkflow.solvers.reduce.price_left_out`) — the candidates that
   ``max_candidates_per_supply`` left out are priced under the LP relaxation's duals (or, without
   it, the duals of the plan's fixed-binary LP); the LP bound lowered by every negative reduced
   cost × bound is a bound for the whole candidate set, so when the plan is within the gap of
   it the gap is proven against every candidate; otherwise the links that could improve the plan
   are added and the solve runs again (docs/performance.md, "Pricing").

The reported ``solver["gap"]`` is that proven gap (against the reduced network: the exact
reduction rules keep its optimum; the heuristic one may raise it slightly, see reduce.py). With no
target row the blocks' own gaps give the bound. A non-target row that couples components (a
facility product market shared by facilities of several components) makes the reduced network
be solved whole with :func:`parkflow.solvers.full.solve_network` (``message`` says so); so are
objectives other than ``cost``. A candidate facility lies inside the component of its use
``F:<id>`` (its ``open`` columns join that block). Scenarios with periods are refused
(:class:`~parkflow.errors.ScenarioError`): the decomposed solve is single-year.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import gc
import multiprocessing
import signal
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
from pandas.api.types import union_categoricals
from scipy.optimize import linprog
from scipy.sparse.csgraph import connected_components

from parkflow import interrupt
from parkflow.errors import Problem, ScenarioError, SolverUnavailableError
from parkflow.models.enums import SolveStatus
from parkflow.models.result import Result
from parkflow.models.scenario import Scenario, Target
from parkflow.network import CandidateNetwork, candidate_links, max_candidates
from parkflow.solvers.backends import TimeBudget, is_feasible, solve_model
from parkflow.solvers.formulation import (
    Formulation,
    SparseModel,
)
from parkflow.solvers.full import (
    resolve_options,
    scenario_formulation,
    solve_network,
    trivial_start,
)
from parkflow.solvers.heuristic import greedy_pass, row_slacks
from parkflow.solvers.progress import ProgressEvent, Reporter
from parkflow.solvers.reduce import (
    candidate_model,
    left_out,
    price_left_out,
    reduce_links,
    unbounded_network,
)
from parkflow.solvers.relax import Relaxation, lp_relaxation, rounded_plan
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


def _column_labels(
    form: Formulation, network: CandidateNetwork, src_lab: np.ndarray, snk_lab: np.ndarray
) -> np.ndarray:
    """Component of each model column; -1 for the target slacks.

    A candidate facility is a use (``F:<id>``) of the candidate graph: its size steps (``open``)
    belong to the component of that use, so a facility lies inside one block.
    """
    ls = src_lab[network.sources.index.get_indexer(pd.Index(network.links["source_id"]))]
    ks = network.sources.index.get_indexer(pd.Index(network.stock["source_id"]))
    draw = np.where(ks >= 0, src_lab[np.maximum(ks, 0)], -1) if len(ks) else ks
    parts = {"flow": ls, "build": ls, "draw": draw}
    if form.layout.n_draw_disposal:  # a stockpile's disposal draw is in its source's block
        kd = network.stock.index.get_indexer(form.layout.draw_disposal)
        parts["draw_disposal"] = draw[kd]
    lad = network.ladder
    if form.layout.n_open and lad is not None and len(lad):
        ku = network.sinks.index.get_indexer(pd.Index(lad["use_id"]))
        parts["open"] = np.where(ku >= 0, snk_lab[np.maximum(ku, 0)], -1)
    return form.layout.labels(parts)


def _slack_of_rows(model: SparseModel, rows: np.ndarray, slack_cols: np.ndarray) -> np.ndarray:
    """The slack column of each target row (each row has exactly one)."""
    if not len(rows):
        return np.zeros(0, dtype=np.int64)
    S = abs(model.A[rows][:, slack_cols]).tocsr()
    if np.any(S.getnnz(axis=1) != 1):
        msg = "a target row without exactly one slack column"
        raise AssertionError(msg)
    return slack_cols[np.asarray(S.argmax(axis=1)).ravel()]


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
def _solve_remote(
    model: SparseModel,
    c: np.ndarray,
    solver: str,
    time_limit_s: float | None,
    gap: float | None,
    start: np.ndarray | None,
) -> BlockSolution:
    """One block on a Dask worker: the block was scattered once, only ``c`` and ``start`` travel."""
    return solve_block(replace(model, c=c), solver, time_limit_s, gap, start)


class _Runner:
    """Solve the blocks for one objective vector: on a Dask cluster, in a pool or in turn.

    On an interrupt (:mod:`parkflow.interrupt`) the worker processes are killed at once (the
    cluster's tasks are cancelled).
    """

    def __init__(
        self,
        blocks: list[tuple[SparseModel, np.ndarray]],
        solver: str,
        jobs: int,
        scheduler: str | None = None,
    ):
        self.blocks = blocks
        self.solver = solver
        self.pool: ProcessPoolExecutor | None = None
        self.client: Any = None
        self._remote: list[Any] = []
        self._futures: list[Any] = []
        self._stack = contextlib.ExitStack()
        if scheduler:
            try:
                from dask.distributed import Client
            except ImportError as exc:  # pragma: no cover - dask is installed with parkflow
                msg = "--scheduler needs dask.distributed: pip install 'parkflow[dask]'"
                raise SolverUnavailableError(msg) from exc
            try:
                self.client = Client(scheduler, set_as_default=False, timeout=10)
            except (OSError, TimeoutError) as exc:
                msg = f"cannot reach the Dask scheduler at {scheduler}: {exc}"
                raise SolverUnavailableError(msg) from exc
            # each block travels once; an iteration sends only its cost vector and start
            self._remote = self.client.scatter([m for m, _ in blocks], hash=False)
            self._stack.enter_context(interrupt.on_interrupt(self.kill))
        elif jobs > 1 and len(blocks) > 1:
            interrupt.quiet_resource_tracker()  # no "leaked semaphore" line when interrupted
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
        if self.client is not None:
            # the vectors travel as scattered data, not inside the task graph
            # hash=False: fresh keys, so that releasing the last iteration's equal vectors
            # never drops this one's
            costs = self.client.scatter([c_full[cols] for _, cols in self.blocks], hash=False)
            starts = (
                [None] * len(self.blocks)
                if start is None
                else self.client.scatter([start[cols] for _, cols in self.blocks], hash=False)
            )
            self._futures = [
                self.client.submit(
                    _solve_remote, fm, fc, self.solver, time_limit_s, gap, fs, pure=False
                )
                for fm, fc, fs in zip(self._remote, costs, starts, strict=True)
            ]
            out = list(self.client.gather(self._futures))
            self._futures = []
            return out
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
                # map submits every job, starting the workers, at once: no signal may cut a
                # worker's start in two (it would print a traceback, docs/cli.md exit codes)
                with _spawning(), interrupt.deferred():
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
        if self.client is not None:
            with contextlib.suppress(Exception):
                self.client.cancel(self._futures)
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
        if self.client is not None:
            with contextlib.suppress(Exception):
                self.client.cancel(self._remote)
            self.client.close()
            self.client = None


def _solve_decomposed(
    scenario: Scenario,
    objective: str | None = None,
    solver: str | None = None,
    time_limit_s: float | None = None,
    gap: float | None = None,
    targets: Sequence[Target] | None = None,
    reduce: bool = True,
    cover: float | None = 10.0,
    jobs: int = 2,
    max_iterations: int = 30,
    network: CandidateNetwork | None = None,
    relax_target: bool = True,
    progress: Callable[[str], None] | None = None,
    scheduler: str | None = None,
    n_blocks: int | None = None,
    price: bool = True,
    lp_start: bool = True,
    _round: int = 0,
    _pricing: dict[str, Any] | None = None,
    _warm: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None,
    _left: _LeftOut | None = None,
) -> Result | _Continue:
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
        Relax every target row by the Lagrangian, also one that lies inside one component
        (otherwise only the rows that couple components are relaxed).
    progress : callable, optional
    scheduler : str, optional
        Address of a running Dask scheduler (``tcp://host:8786``): the blocks are solved on its
        workers (``dask.distributed``) instead of local processes.
    n_blocks : int, optional
        Blocks to pack the components into (default ``jobs``; on a cluster, its worker count
        is a good choice).
    price : bool
        Price the candidates that ``max_candidates_per_supply`` left out and solve again with
        those that could improve the plan, until none can (module docstring, step 6).
    lp_start : bool
        Start from the LP relaxation (module docstring, step 3): its bound, its duals as the
        first multipliers, its rounded plan and a small MILP over its fractional binaries.
        Off, the search starts from the greedy plan (for tests of the search alone).

    Returns
    -------
    Result
        As :func:`parkflow.solve` (no ``baseline``). ``solver`` also holds
        ``bound`` (proven lower bound, CNY/a incl. penalty), ``multipliers`` (CNY/t, one per
        relaxed row, named in ``multiplier_rows``), ``multiplier`` (their largest),
        ``n_components``, ``n_blocks``, ``n_iterations``, ``iterations``, ``reduction``,
        ``n_links_full``.

    Raises
    ------
    ScenarioError
        For a scenario with periods (several years): the decomposed solve is single-year.
    """
    t_start = time.perf_counter()
    if getattr(scenario, "periods", None):
        problem = Problem(
            file="scenario.yaml",
            column="periods",
            message="--strategy decompose solves one year and this scenario has periods",
            fix="use --strategy full (or auto, which chooses full)",
        )
        raise ScenarioError(problem, source="scenario.yaml")
    say = Reporter(progress, t_start)
    objective, solver_name, limit, gap, tg, min_flow = resolve_options(
        scenario, objective, solver, time_limit_s, gap, targets
    )
    gap_goal = 1e-4 if gap is None else float(gap)
    parks = [str(p) for p in scenario.parks.index] if scenario.parks is not None else []

    # stop the multiplier loop at 95 % of the limit minus a reserve for writing the result
    budget = TimeBudget(
        limit,
        share=0.95,
        reserve_s=0.0 if limit is None else min(2.0, 0.02 * float(limit)),
        start=t_start,
    )
    left = budget.left

    def iteration_budget(share: float = 1.0 / 3.0) -> float | None:
        """A share of what is left, so that later multipliers and the repair get time too."""
        rest = left()
        if rest is None:
            return None
        return budget.for_call(share if rest > 0.1 * float(limit) else 1.0)

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
    if _pricing is not None:
        info["pricing"] = _pricing

    if objective != "cost":
        res = solve_network(
            scenario, net, objective, solver_name, left(), gap, tg, min_flow, progress=say
        )
        res.solver.update(info)
        res.message = (
            res.message + "; " if res.message else ""
        ) + f"objective {objective} is not decomposed: the reduced network was solved whole"
        return res

    say("building the model and its blocks", "build")
    t = time.perf_counter()
    form = scenario_formulation(scenario, net, tg, min_flow)
    model, lay = form.model, form.layout
    src_lab, snk_lab, n_comp = component_labels(net)
    col_lab = _column_labels(form, net, src_lab, snk_lab)
    row_lab = _row_labels(model.A, col_lab)
    target_rows = np.arange(model.families["target_rate"].start, model.families["target_rate"].stop)
    row_slack = _slack_of_rows(model, target_rows, row_slacks(form))
    # the Lagrangian relaxes every target row that couples components, and with relax_target
    # every target row (a row inside the one big component is still what makes its block hard)
    relaxed = target_rows if relax_target else target_rows[row_lab[target_rows] < 0]
    relaxed_slack = row_slack[np.isin(target_rows, relaxed)]
    kept_rows = np.setdiff1d(target_rows, relaxed)
    row_lab[relaxed] = -2
    # a target row kept in a block takes its slack into its component; relaxed slacks join none
    col_lab[row_slack[np.isin(target_rows, kept_rows)]] = row_lab[kept_rows]
    col_lab[relaxed_slack] = -1
    other_coupling = np.setdiff1d(np.flatnonzero(row_lab == -2), relaxed)
    info.update(
        {
            "build_s": time.perf_counter() - t,
            "n_variables": model.n_variables,
            "n_constraints": model.n_constraints,
            "n_binaries": model.n_binaries,
            "n_components": n_comp,
            "n_relaxed_rows": len(relaxed),
        }
    )

    if len(other_coupling):
        fams = sorted(
            {str(n).split("[")[0] for n in model.row_names[other_coupling[:1000]]}
        )  # e.g. facility_market: one product market shared by facilities in several blocks
        say("rows other than targets couple blocks: solving the reduced network whole", "solve")
        res = solve_network(
            scenario, net, "cost", solver_name, left(), gap, tg, min_flow, progress=say
        )
        res.solver.update(info)
        res.message = (res.message + "; " if res.message else "") + (
            f"{len(other_coupling)} {'/'.join(fams)} rows couple components: the reduced "
            "network was solved whole"
        )
        return res

    # the pricing network (step 6) is built on the other core while the LP runs
    background: _Background | None = None
    k_plan = _pricing_k(scenario, full) if price and _left is None else False
    if k_plan is not False and _time_to_price(len(full.links), left(), limit):
        background = _Background(
            _pricing_set, scenario, full, k_plan, tg, parks, scenario.settings.year
        )

    # blocks: components packed into `n_blocks` bins by their number of non-zeros
    real = col_lab >= 0
    comp_nnz = np.bincount(
        col_lab[real], weights=np.diff(model.A.tocsc().indptr)[real], minlength=n_comp
    )
    n_bins = max(1, int(jobs) if n_blocks is None else int(n_blocks))
    comp_bin = _pack(comp_nnz, n_bins)
    col_bin = np.where(real, comp_bin[np.maximum(col_lab, 0)], -1)
    row_bin = np.where(row_lab >= 0, comp_bin[np.maximum(row_lab, 0)], -1)
    blocks = []
    for b in range(n_bins):
        cb = np.flatnonzero(col_bin == b)
        if len(cb):
            blocks.append((_sub_model(model, np.flatnonzero(row_bin == b), cb), cb))
    info["n_blocks"] = len(blocks)

    # the relaxed rows  A_r x + σ ≥ r  (σ the slacks, penalty P each)
    keep_cols = np.ones(lay.n)
    keep_cols[relaxed_slack] = 0.0
    A_r = (model.A[relaxed] @ sp.diags(keep_cols)).tocsr()
    A_r.eliminate_zeros()
    rhs = model.row_lower[relaxed].astype(float)
    penalty = model.c[relaxed_slack].astype(float)
    m = len(relaxed)
    relaxed_names = [str(n) for n in model.row_names[relaxed]]

    runner = _Runner(blocks, solver_name, jobs, scheduler=scheduler)
    n_iter = 0
    solver_s = 0.0
    best_lb, best_lam = -np.inf, np.zeros(m)
    best_ub, best_x = np.inf, None
    stopped = ""
    unreachable = np.zeros(m, dtype=bool)  # short at λ = P with every block solved
    history: list[dict[str, Any]] = []
    cuts_v: list[float] = []  # cut k: L(λ) ≤ v_k + g_k · λ  (v_k = c·x_k, g_k = r − A_r x_k)
    cuts_g: list[np.ndarray] = []
    pool: list[np.ndarray] = []  # recent iterates, for the component mix
    # step 3, the LP relaxation (parkflow.solvers.relax): its bound, its duals (the first
    # multipliers) and the plan rounded from it, which on the generated provinces is already
    # within the gap; without it (off, or stopped by the limit) the greedy start
    t_lp = time.perf_counter()
    lp = lp_relaxation(model, budget.for_call(0.5)) if lp_start else None
    lp_plan = rounded_plan(model, lp, budget.for_call(0.5)) if lp is not None and lp.ok else None
    lp_s = time.perf_counter() - t_lp
    solver_s += lp_s
    trivial = trivial_start(form, net)
    if lp_plan is not None and model.c @ lp_plan <= model.c @ trivial:
        start = lp_plan.copy()
        binds = np.zeros(0, dtype=bool)
        greedy_prices = np.zeros(0)
    else:
        # the greedy start: feasible (the target slacks take the shortfall)
        greedy = greedy_pass(form, net, fallback=trivial)
        start = greedy.x.copy()
        binds, greedy_prices = greedy.binds, greedy.prices_cny_per_unit

    def with_slack(x: np.ndarray) -> np.ndarray:
        """``x`` with the relaxed rows' slacks taking their shortfall (a feasible plan)."""
        x = x.copy()
        x[relaxed_slack] = 0.0
        x[relaxed_slack] = np.maximum(0.0, rhs - A_r @ x)
        return x

    # every block starts from the start, then from the previous multiplier's answer (warm start)
    if _warm is not None:  # a pricing round: the previous plan, by column name, if it fits
        prev = pd.Series(_warm[1], index=pd.Index(_warm[0].astype(str)))
        prev = prev[~prev.index.duplicated()]
        mapped = with_slack(
            prev.reindex(pd.Index(model.col_names.astype(str))).fillna(0.0).to_numpy(copy=True)
        )
        if is_feasible(model, mapped) and model.c @ mapped <= model.c @ start:
            start = mapped
    start[relaxed_slack] = 0.0
    warm = start.copy()
    block_scale = 1.0  # |UB| / Σ|block objectives| of the last iterate (block gap scaling)
    last_call_s: float | None = None  # the limit the last iteration's blocks got

    def cost_of(x: np.ndarray) -> float:
        return float(model.c @ with_slack(x))

    def offer(x: np.ndarray, cost: float | None = None) -> None:
        nonlocal best_ub, best_x
        cost = cost_of(x) if cost is None else cost
        if cost < best_ub - 1e-9 * max(1.0, abs(cost)):
            best_ub, best_x = cost, with_slack(x)

    def meets(x: np.ndarray | None) -> bool:
        """Whether ``x`` meets every relaxed row (no slack needed)."""
        return x is not None and bool(np.all(A_r @ x >= rhs - _ABS_TOL - 1e-6 * np.abs(rhs)))

    def gap_now() -> float:
        if not (np.isfinite(best_ub) and np.isfinite(best_lb)):
            return float("nan")
        return (best_ub - best_lb) / max(abs(best_ub), 1e-9)

    def gap_reached() -> bool:
        return bool(
            np.isfinite(best_ub) and (best_ub - best_lb) <= gap_goal * max(abs(best_ub), 1e-9)
        )

    def block_gap() -> float | None:
        """The blocks' relative gap: their absolute gaps add up to half of ``gap`` × |UB|."""
        if gap is None:
            return None
        return max(1e-6, 0.5 * float(gap) * min(1.0, block_scale))

    def evaluate(lam: np.ndarray) -> tuple[np.ndarray | None, float, bool]:
        """Solve the relaxed problem at λ.

        Returns x (full columns, relaxed slacks 0), its lower bound, and whether every block was
        solved to its gap.
        """
        nonlocal solver_s, block_scale
        c_lam = model.c - A_r.T @ lam
        # λ = 0 when the greedy pass saw no target bind is most likely the only iteration
        nonlocal last_call_s
        first = n_iter == 1 and not lam.any() and not binds.any() and not lp_ok
        last_call_s = iteration_budget(2.0 / 3.0 if first else 1.0 / 3.0)
        sols = runner.run(c_lam, last_call_s, block_gap(), warm)
        solver_s += max(s.time_s for s in sols)
        x = lay.vector()
        for (_, cb), s in zip(blocks, sols, strict=True):
            x[cb] = s.x if s.x is not None else warm[cb]
        x[relaxed_slack] = 0.0
        if any(s.x is None and s.status in ("infeasible", "error") for s in sols):
            return None, -np.inf, False
        lb = float(sum(s.bound for s in sols) + lam @ rhs)
        total = sum(abs(s.objective) for s in sols if np.isfinite(s.objective))
        if np.isfinite(best_ub) and total > 0:
            block_scale = abs(best_ub) / total
        return x, (lb if np.isfinite(lb) else -np.inf), all(s.status == "optimal" for s in sols)

    def mix(base: np.ndarray, other: np.ndarray) -> None:
        """Take whole components from ``other`` into ``base`` where that lowers the cost.

        The penalised cost; cheapest extra cost per useful t first; offer the result.
        """
        if m == 0:
            return
        d = other - base
        d[relaxed_slack] = 0.0
        nz = np.flatnonzero((col_lab >= 0) & (np.abs(d) > 1e-9))
        if not len(nz):
            return
        comps, inv = np.unique(col_lab[nz], return_inverse=True)
        k = len(comps)
        d_cost = np.bincount(inv, weights=model.c[nz] * d[nz], minlength=k)
        P = sp.csr_matrix((d[nz], (np.arange(len(nz)), inv)), shape=(len(nz), k))
        d_u = np.asarray((A_r[:, nz] @ P).todense()).reshape(m, k)
        short = rhs - A_r @ base
        useful = np.minimum(np.maximum(d_u, 0.0), np.maximum(short, 0.0)[:, None]).sum(axis=0)
        key = np.where(useful > 1e-9, d_cost / np.maximum(useful, 1e-9), -np.inf)
        key = np.where((useful <= 1e-9) & (d_cost >= 0), np.inf, key)
        order = np.argsort(key, kind="stable")
        order = order[np.isfinite(key[order]) | (key[order] < 0)]
        take = np.zeros(k, dtype=bool)
        cur = short.copy()
        for j in order:  # one step per differing component (a few thousand at most)
            new = cur - d_u[:, j]
            delta = d_cost[j] + penalty @ (np.maximum(new, 0.0) - np.maximum(cur, 0.0))
            if delta < -1e-9 * max(1.0, abs(best_ub)):
                take[j] = True
                cur = new
        if take.any():
            x = base.copy()
            sel = nz[take[inv]]
            x[sel] = other[sel]
            offer(x)

    def rins(x: np.ndarray) -> None:
        """RINS: fix the binaries on which the incumbent and ``x`` agree, solve the rest.

        The rest is solved whole (with the target rows) from the incumbent; the answer is offered.
        """
        nonlocal solver_s
        if best_x is None:
            return
        ints = model.integer
        agree = ints & (np.abs(np.round(best_x) - np.round(x)) < 0.5)
        free = int((ints & ~agree).sum())
        if free == 0 or free > 0.5 * max(1, int(ints.sum())):
            return
        lo, hi = model.col_lower.copy(), model.col_upper.copy()
        val = np.round(best_x[agree])
        lo[agree], hi[agree] = val, val
        sub = replace(model, col_lower=lo, col_upper=hi)
        sol = solve_block(sub, solver_name, iteration_budget(), block_gap(), start=best_x)
        solver_s += sol.time_s
        if sol.x is not None:
            offer(sol.x)

    def lp_and_fix(relaxation: Relaxation) -> None:
        """Fix the binaries the LP left integral, solve the few fractional ones (a small MILP).

        With the target rows, from the incumbent; the answer is offered. Skipped when more than
        :data:`LP_FIX_MAX_FREE` binaries are fractional (the Lagrangian search is then cheaper).
        """
        nonlocal solver_s
        frac = relaxation.fractional(model)
        free = int(frac.sum())
        if free == 0 or free > LP_FIX_MAX_FREE or best_x is None or relaxation.x is None:
            return
        integral = model.integer & ~frac
        lo, hi = model.col_lower.copy(), model.col_upper.copy()
        lo[integral] = hi[integral] = np.round(relaxation.x[integral])
        hint = best_x.copy()
        hint[integral] = lo[integral]
        sub = replace(model, col_lower=lo, col_upper=hi)
        sol = solve_block(sub, solver_name, iteration_budget(0.5), 0.1 * gap_goal, start=hint)
        solver_s += sol.time_s
        if sol.x is not None:
            offer(sol.x)

    def next_multiplier(center: np.ndarray, delta: float) -> tuple[np.ndarray, float]:
        """The bundle (cutting-plane) step; returns λ and the model's value there.

        Maximise the model min_k (v_k + g_k·λ) in the box ``|λ − center|∞ ≤ delta`` ∩ [0, P].
        """
        lo = np.maximum(0.0, center - delta)
        hi = np.minimum(penalty, center + delta)
        G = np.asarray(cuts_g)
        V = np.asarray(cuts_v)
        A_ub = np.hstack([-G, np.ones((len(V), 1))])
        bounds = [(float(a), float(b)) for a, b in zip(lo, hi, strict=True)] + [(None, None)]
        cobj = np.zeros(m + 1)
        cobj[-1] = -1.0
        res = linprog(cobj, A_ub=A_ub, b_ub=V, bounds=bounds, method="highs")
        if res.status != 0 or res.x is None:  # fall back to a projected Polyak step
            g = G[-1]
            step = (best_ub - best_lb) / max(float(g @ g), 1e-12)
            lam = np.clip(center + step * g, lo, hi)
            return lam, float(np.min(V + G @ lam))
        return np.clip(res.x[:m], lo, hi), float(res.x[-1])

    offer(start)
    lam = np.zeros(m)
    lp_ok = lp is not None and lp.ok  # the LP's bound and multipliers start the search
    if lp is not None and lp.ok:
        # the LP's optimum bounds the MILP; its target rows' duals are the first multipliers
        # (L(λ_LP) ≥ the LP bound) and a row the LP misses is missed by every plan cheaper
        # than its penalty, as a block answer at λ = P
        best_lb = lp.bound
        lam = np.clip(lp.duals[relaxed], 0.0, penalty)
        best_lam = lam.copy()
        assert lp.x is not None
        lp_used = A_r @ lp.x
        unreachable |= rhs - lp_used > _ABS_TOL + 1e-6 * np.abs(rhs)
        n_frac = lp.n_fractional(model)
        history.append(
            {
                "multiplier": float(lam.max()) if m else 0.0,
                "multipliers": [float(v) for v in lam],
                "bound": float(lp.bound),
                "utilised": float(lp_used.sum()) if m else 0.0,
                "incumbent": float(best_ub),
                "step": "LP relaxation",
                "n_fractional": n_frac,
                "lp_s": lp_s,
                "iteration_s": lp_s,
            }
        )
        say(
            f"LP relaxation and its rounded plan ({n_frac:,} fractional binaries)",
            "start",
            incumbent=best_ub,
            bound=best_lb,
            gap=gap_now(),
            multiplier=float(lam.max()) if m else 0.0,
        )
        if not gap_reached():
            lp_and_fix(lp)
    else:
        say("greedy start", "start", incumbent=best_ub)
        if m and len(binds) == len(target_rows):
            # where the profitable links alone leave a row short, the target binds and λ = 0
            # would be a wasted iteration (its blocks' answer misses the target): start that
            # row's multiplier at the greedy pass's marginal price (any λ gives a valid bound)
            k = relaxed - target_rows[0]
            lam = np.where(binds[k], np.minimum(greedy_prices[k], penalty), 0.0)
    priced_start = bool(lam.any())
    if _warm is not None and len(_warm[2]) == m:  # a pricing round: the last multipliers
        lam = np.clip(np.asarray(_warm[2], dtype=float), 0.0, penalty)
    center, center_lb = lam.copy(), -np.inf
    delta = 0.0
    predicted = np.inf
    prev_x: np.ndarray | None = None
    # what comes after the loop (the result's tables) costs about as much as a fraction of the
    # set-up (reduction, build, blocks, greedy); an iteration costs its calls' limits plus a fixed
    # part (spawning the pool, handing the blocks over), estimated the same way and then measured
    setup_s = time.perf_counter() - t_start - network_s
    budget.keep(max(min(2.0, 0.02 * float(limit or 0.0)), 0.4 * setup_s))
    overhead_s = 0.25 * setup_s
    try:
        while n_iter < max_iterations and not gap_reached():
            if budget.expired(overhead_s):
                stopped = "time limit"
                break
            n_iter += 1
            t_it = time.perf_counter()
            x, lb, solved = evaluate(lam)
            blocks_s = time.perf_counter() - t_it
            overhead_s = max(overhead_s, blocks_s - (last_call_s or 0.0))
            if x is None:
                stopped = "a block has no solution"
                break
            warm = x.copy()
            u = A_r @ x
            g = rhs - u
            cuts_v.append(float(model.c @ x))
            cuts_g.append(g)
            if lb > best_lb:
                best_lb, best_lam = lb, lam.copy()
            offer(x)  # every iterate is feasible with the target slacks
            if solved:
                unreachable |= (lam >= penalty * (1 - 1e-9)) & (g > _ABS_TOL)
            for base, other in ((x, best_x), (best_x, x), (x, prev_x), (prev_x, x)):
                if base is not None and other is not None and base is not other:
                    mix(base, other)
            t_rins = time.perf_counter()
            # RINS only while the gap is open (it is the dearest step of an iteration)
            # and not at a first iterate from the greedy's price that misses the relaxed rows
            # (the multiplier moves next, which is cheaper)
            rest = left()
            if (
                m
                and (rest is None or rest > 0.1)
                and not gap_reached()
                and (n_iter > 1 or meets(x) or not priced_start)
            ):
                rins(x)
            rins_s = time.perf_counter() - t_rins
            pool.append(x)
            prev_x = x
            history.append(
                {
                    "multiplier": float(lam.max()) if m else 0.0,
                    "multipliers": [float(v) for v in lam],
                    "bound": float(lb) if np.isfinite(lb) else None,
                    "utilised": float(u.sum()) if m else 0.0,
                    "incumbent": float(best_ub) if np.isfinite(best_ub) else None,
                    "step": "start"
                    if n_iter == 1
                    else ("serious" if np.isfinite(lb) and lb >= center_lb else "null"),
                    "blocks_s": blocks_s,
                    "rins_s": rins_s,
                    "iteration_s": time.perf_counter() - t_it,
                }
            )
            say(
                f"multiplier {float(lam.max()) if m else 0.0:,.4g} CNY/t (iteration {n_iter})",
                "iterate",
                incumbent=best_ub,
                bound=best_lb,
                gap=gap_now(),
                iteration=n_iter,
                multiplier=float(lam.max()) if m else 0.0,
            )
            if gap_reached():
                break
            if budget.expired(0.05):
                stopped = "time limit"
                break
            if m == 0 or (n_iter == 1 and solved and not lam.any() and np.all(g <= _ABS_TOL)):
                break  # no target binds at λ = 0: x is the blocks' own optimum
            # trust region: a serious step moves the centre, a null step shrinks the box
            serious = np.isfinite(lb) and (
                not np.isfinite(center_lb) or lb >= center_lb + 0.1 * (predicted - center_lb)
            )
            if n_iter == 1:
                # Polyak: (U − L(0)) / ‖g‖²; without a block bound, L(0) ≈ c·x (the cut at 0)
                # (from λ > 0 the step may go down: |g|, not only its positive part)
                lb0 = lb if np.isfinite(lb) else cuts_v[-1]
                gs = g if lam.any() else np.maximum(g, 0)
                step = (best_ub - lb0) / max(float(gs @ gs), 1e-12)
                delta = float(np.clip(step * np.max(np.abs(gs)), 1.0, penalty.max()))
                center, center_lb = lam.copy(), lb
            elif serious:
                if np.max(np.abs(lam - center)) >= 0.9 * delta:
                    delta *= 2.0
                center, center_lb = lam.copy(), lb
            else:
                delta *= 0.5
            if delta <= 1e-6 * max(1.0, float(penalty.max())):
                break
            lam, predicted = next_multiplier(center, delta)
            if predicted - best_lb <= 0.1 * gap_goal * max(abs(best_ub), 1e-9) and delta < 1.0:
                break  # the cutting-plane model promises no better bound near the centre
    finally:
        runner.close()

    proven = gap_now()
    info.update(
        {
            "time_s": solver_s,
            "gap": float(proven),
            "bound": float(best_lb),
            "multiplier": float(best_lam.max()) if m else 0.0,
            "multipliers": [float(v) for v in best_lam],
            "multiplier_rows": relaxed_names,
            "multiplier_method": "bundle (cutting planes in a trust region, Polyak first step)",
            "n_iterations": n_iter,
            "n_solves": n_iter * len(blocks),
            "iterations": history,
            "scheduler": scheduler or "local",
            "termination": stopped
            or ("gap reached" if proven <= gap_goal + 1e-12 else "iterations"),
        }
    )
    info["wall_s"] = time.perf_counter() - t_start
    if best_x is None:
        return empty_result(
            scenario,
            net,
            "cost",
            SolveStatus.ERROR,
            info,
            f"decomposed solve found no solution ({stopped})",
        )
    short_rows = rhs - A_r @ best_x > _ABS_TOL + 1e-6 * np.abs(rhs)
    short = float(np.maximum(rhs - A_r @ best_x, 0.0).sum())
    if short_rows.any() and unreachable[short_rows].all():
        status = SolveStatus.TARGET_UNREACHABLE
    elif np.isfinite(proven) and proven <= gap_goal + 1e-12 and not short_rows.any():
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
        if status == SolveStatus.FEASIBLE and short_rows.any():
            message += (
                f"; the best plan found misses {int(short_rows.sum())} target row(s) by "
                f"{short:,.0f} t/a (not proven unreachable)"
            )
    result = result_from_solution(scenario, net, form, best_x, status, info, message)
    if not price:
        return result
    # pricing runs after this frame (its blocks, iterates and model) is gone; it keeps only what
    # it needs, and drops that before a pricing round solves again
    return _Continue(
        dict(
            result=result,
            scenario=scenario,
            bounded=full,
            model=model,
            x=best_x,
            tg=tg,
            parks=parks,
            rest_s=left(),
            limit=limit,
            say=say,
            options=dict(
                objective=objective,
                solver=solver_name,
                gap=gap,
                targets=tg,
                reduce=reduce,
                cover=cover,
                jobs=jobs,
                max_iterations=max_iterations,
                relax_target=relax_target,
                scheduler=scheduler,
                n_blocks=n_blocks,
            ),
            left_over=_left,
            round_=_round,
            multipliers=best_lam,
            lp=lp,
            background=background,
        )
    )


@functools.wraps(_solve_decomposed)
def solve_decomposed(*args: Any, **kwargs: Any) -> Result:
    """Optimise a scenario by reduction, decomposition and Lagrangian relaxation (module doc)."""
    # the work is _solve_decomposed's (its signature and docstring are this one's); pricing
    # (module docstring, step 6) runs from here, after the round's blocks and iterates are freed
    out = _solve_decomposed(*args, **kwargs)
    while isinstance(out, _Continue):
        out = out.run()
    return out


class _Continue:
    """What is left to do after a round of the decomposed solve: price it (and maybe solve again).

    Holds the arguments of :func:`_price_and_resolve` in a dict that the call empties, so that
    the round's model and LP can be freed before the next round is solved.
    """

    def __init__(self, ctx: dict[str, Any]):
        self.ctx: dict[str, Any] | None = ctx

    def run(self) -> Result:
        ctx, self.ctx = self.ctx, None
        assert ctx is not None
        return _price_and_resolve(ctx)


#: The LP-and-fix MILP (fractional binaries free, the others fixed) runs only up to this many
#: fractional binaries.
LP_FIX_MAX_FREE = 20_000

#: Most pricing rounds (re-solves with the links pricing added back).
MAX_PRICING_ROUNDS = 5

#: Pricing checks the whole (unbounded) candidate set up to this many bounded links; above, a
#: bound 4× ``max_candidates_per_supply``.
PRICE_UNBOUNDED_MAX_LINKS = 400_000

#: Seconds pricing takes per bounded candidate link (building the wider network and pricing what
#: it adds), an estimate from two runs on the loaded 2-core machine (N = 2,000: 10.6 s for 305,351
#: links; N = 5,000: 62 s for 868,130): pricing is skipped when less than that is left.
PRICE_S_PER_LINK = 80e-6

#: The pricing network is built for about this many bounded links' suppliers at a time.
PRICE_CHUNK_LINKS = 250_000

#: No pricing above this many bounded links (the wider network would not fit in memory).
PRICE_MAX_LINKS = 1_500_000


def _pricing_k(scenario: Scenario, bounded: CandidateNetwork) -> int | None | bool:
    """The bound pricing checks against (None: every candidate), or False when it does not price.

    Pricing is for automatic candidates bounded by ``max_candidates_per_supply``; a network of
    more than :data:`PRICE_MAX_LINKS` links is not priced (the wider one would not fit in memory).
    """
    k_bound = max_candidates(scenario)
    if (
        k_bound is None
        or scenario.settings.candidates == "links_only"
        or len(bounded.facilities)
        or len(bounded.links) > PRICE_MAX_LINKS
    ):
        return False
    return None if len(bounded.links) <= PRICE_UNBOUNDED_MAX_LINKS else 4 * k_bound


def _time_to_price(
    n_links: int, rest_s: float | None, limit: float | None, built: bool = False
) -> bool:
    """Whether what is left of the limit is enough to price ``n_links`` bounded links.

    ``built``: the wider network is there already (a pricing round), about a quarter of the work.
    """
    need_s = PRICE_S_PER_LINK * n_links * (0.25 if built else 1.0)
    return rest_s is None or limit is None or rest_s >= max(0.15 * float(limit), need_s)


def _pricing_set(
    scenario: Scenario,
    bounded: CandidateNetwork,
    k: int | None,
    targets: Sequence[Target] | None,
    parks: Sequence[str],
    year: int | None,
) -> tuple[pd.DataFrame, Formulation | None, int]:
    """The links a wider network adds to ``bounded``, their model, and its size (pricing's input).

    The wider network is built for :data:`PRICE_CHUNK_LINKS` bounded links' worth of supplying
    enterprises at a time (each enterprise's candidates depend on its own supplies and
    stockpiles and on the uses, not on the other suppliers) and never kept whole: at N = 5,000 it
    has 2.5 M links, 1.6 GB, where what it adds to the bounded set is what pricing needs.
    """
    sup = scenario.supplies
    ents = pd.unique(sup["enterprise"].astype(str))
    n_chunks = max(1, int(np.ceil(len(bounded.links) / PRICE_CHUNK_LINKS)))
    parts = []
    for chunk in np.array_split(np.asarray(ents, dtype=object), n_chunks):
        if not len(chunk):
            continue
        keep = set(chunk)
        piles = scenario.stockpiles
        sub = replace(
            scenario,
            supplies=sup[sup["enterprise"].astype(str).isin(keep)],
            stockpiles=piles[piles["enterprise"].astype(str).isin(keep)] if len(piles) else piles,
            links=scenario.links.iloc[0:0],  # hand-given links are in the bounded set anyway
        )
        wide = unbounded_network(sub, k)
        parts.append(_compact(left_out(bounded, wide)))
        del wide
    excluded = _concat_compact(parts) if parts else _compact(bounded.links.iloc[0:0].copy())
    excluded.index = pd.Index([f"X{i + 1}" for i in range(len(excluded))], name="link_id")
    n_whole = len(bounded.links) + len(excluded)  # the bounded set lies inside the wider one
    form = candidate_model(bounded, excluded, targets, parks, year) if targets is not None else None
    return excluded, form, n_whole


def _release_memory() -> None:
    """Hand freed heap memory back to the system (glibc's ``malloc_trim``; elsewhere nothing).

    A pricing round frees a model, an LP and a network of millions of rows before it solves
    again; without this glibc keeps the freed pages and the next round's peak adds to them.
    """
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def _compact(links: pd.DataFrame) -> pd.DataFrame:
    """``links`` with its text columns as categories (ids repeat: a quarter of the memory)."""
    text = [c for c in links.columns if pd.api.types.is_string_dtype(links[c].dtype)]
    return links.astype(dict.fromkeys(text, "category"))


def _concat_compact(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """Stack compact frames; category columns keep a category dtype (the union of theirs)."""
    first = parts[0]
    cols: dict[str, Any] = {}
    for c in first.columns:
        if isinstance(first[c].dtype, pd.CategoricalDtype):
            cols[c] = union_categoricals([p[c] for p in parts])
        else:
            cols[c] = np.concatenate([p[c].to_numpy() for p in parts])
    return pd.DataFrame(cols, columns=first.columns)


def _expand(links: pd.DataFrame) -> pd.DataFrame:
    """The inverse of :func:`_compact`: category columns back to text."""
    cats = [c for c in links.columns if isinstance(links[c].dtype, pd.CategoricalDtype)]
    return links.astype(dict.fromkeys(cats, str))


@dataclass
class _LeftOut:
    """The left-out candidates carried from one pricing round to the next.

    ``links`` compact (:func:`_compact`), their model ``form`` (priced again under the next
    round's duals, so never rebuilt), ``taken`` (those added to the model already) and the size
    of the wider network.
    """

    links: pd.DataFrame
    form: Formulation
    taken: np.ndarray
    n_whole: int


class _Background:
    """One function call on a daemon thread (the pricing network, built while the LP runs).

    scipy's HiGHS releases the GIL, so the LP on one core and the network on the other overlap
    (N = 2,000: 4.0 s for both instead of 6.7 s in turn). A daemon thread never holds up the
    process's exit (an interrupt).
    """

    def __init__(self, fn: Callable[..., Any], *args: Any):
        self._out: Any = None
        self._err: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(fn, args), daemon=True)
        self._thread.start()

    def _run(self, fn: Callable[..., Any], args: tuple[Any, ...]) -> None:
        try:
            self._out = fn(*args)
        except BaseException as exc:  # noqa: BLE001 - raised again in result()
            self._err = exc

    def result(self, timeout_s: float | None = None) -> Any:
        """Wait for the call (at most ``timeout_s``); its value, or its exception raised here.

        Raises :class:`TimeoutError` when the call has not finished in time.
        """
        self._thread.join(timeout_s)
        if self._thread.is_alive():
            msg = "the background call has not finished"
            raise TimeoutError(msg)
        if self._err is not None:
            raise self._err
        return self._out


def _price_and_resolve(ctx: dict[str, Any]) -> Result:
    """Price the candidates that ``max_candidates_per_supply`` left out, under the plan's duals.

    ``ctx`` (emptied here, see :class:`_Continue`): ``result``, ``scenario``, ``bounded`` (the
    bounded network), ``model`` and ``x`` (the round's model and plan), ``tg``, ``parks``,
    ``rest_s``, ``limit``, ``say``, ``options`` (of the next round), ``left_over`` (the left-out
    links still to price and the wider network's size, in a pricing round), ``round_``,
    ``multipliers``, ``lp`` (the round's LP relaxation) and ``background`` (the pricing set being
    built).

    Add back those that could improve it and solve again, until none can (module doc).

    Sets ``solver["gap_against"]`` (the candidate set the gap is proven against) and
    ``solver["pricing"]`` (rounds, links priced and added).

    With the model's LP relaxation ``lp`` the links are priced under its duals, and the LP bound
    plus the sum of every negative term is a lower bound over the priced set
    (:func:`~parkflow.solvers.reduce.price_left_out`): when the plan is within the gap of it,
    the gap is proven against that set and nothing is solved again.
    """
    result: Result = ctx.pop("result")
    scenario: Scenario = ctx.pop("scenario")
    bounded: CandidateNetwork = ctx.pop("bounded")
    model: SparseModel = ctx.pop("model")
    x: np.ndarray = ctx.pop("x")
    tg: Sequence[Target] = ctx.pop("tg")
    parks: list[str] = ctx.pop("parks")
    rest_s: float | None = ctx.pop("rest_s")
    limit: float | None = ctx.pop("limit")
    say: Reporter = ctx.pop("say")
    options: dict[str, Any] = ctx.pop("options")
    left_over: _LeftOut | None = ctx.pop("left_over")
    round_: int = ctx.pop("round_")
    multipliers: np.ndarray = ctx.pop("multipliers")
    lp: Relaxation | None = ctx.pop("lp")
    background: _Background | None = ctx.pop("background")
    k_bound = max_candidates(scenario)
    plan = _pricing_k(scenario, bounded)
    if (
        k_bound is None
        or not result.status.has_solution
        or (plan is False and len(bounded.links) <= PRICE_MAX_LINKS)
    ):
        return result
    pricing = dict(result.solver.get("pricing") or {"rounds": 0, "added": 0})
    if plan is False:
        pricing["skipped"] = f"more than {PRICE_MAX_LINKS:,} candidate links"
        result.solver["pricing"] = pricing
        return result
    if background is None:
        no_time = not _time_to_price(len(bounded.links), rest_s, limit, built=left_over is not None)
    else:  # the pricing set is being built already: only the pricing itself is left to do
        no_time = rest_s is not None and limit is not None and rest_s < 0.05 * float(limit)
    if no_time:
        pricing["skipped"] = "time limit"
        result.solver["pricing"] = pricing
        return result
    say(f"pricing the candidates the bound of {k_bound} per supply left out", "price")
    t = time.perf_counter()
    # the whole candidate set, unless the bounded one is already large: then a 4× wider bound
    # (the unbounded set of a dense 5,000-plant province has ≈ 5 M links)
    k_price = None if plan is None else int(plan)
    cand_form: Formulation | None
    taken: np.ndarray | None = None
    if left_over is not None:  # a pricing round: the last round's candidates, some added
        excluded, cand_form, taken = left_over.links, left_over.form, left_over.taken
        n_whole = left_over.n_whole
        del left_over
    elif background is not None:
        # wait for the pricing set no longer than the limit allows (then pricing is skipped)
        wait_s = None if rest_s is None else max(0.0, rest_s - (time.perf_counter() - t) - 0.5)
        try:
            excluded, cand_form, n_whole = background.result(wait_s)
        except TimeoutError:
            pricing["skipped"] = "time limit (the pricing network was not ready)"
            result.solver["pricing"] = pricing
            return result
    else:
        excluded, cand_form, n_whole = _pricing_set(
            scenario, bounded, k_price, tg, parks, scenario.settings.year
        )
    pricing["priced_set"] = "all candidates" if k_price is None else f"{k_price} nearest per supply"
    lp_ok = lp is not None and lp.ok
    priced = price_left_out(
        model,
        bounded,
        x,
        excluded,
        tg,
        parks,
        scenario.settings.year,
        duals=lp.duals if lp is not None and lp_ok else None,
        candidate_form=cand_form,
        skip=taken,
    )
    pricing["rounds"] = round_ + 1
    pricing["n_left_out"] = priced.n_checked
    pricing["price_s"] = pricing.get("price_s", 0.0) + time.perf_counter() - t
    say(str(priced), "price", incumbent=result.objective.get("total_cny_per_a", np.nan))
    # what the left-out links could gain, to first order, fits in what the gap leaves: count it
    # in the gap instead of solving again
    scale = max(abs(float(result.objective.get("total_cny_per_a", np.nan))), 1e-9)
    proven = float(result.solver.get("gap", np.nan))
    goal = 1e-4 if options.get("gap") is None else float(options["gap"])
    priced_set = (
        "all candidates"
        if k_price is None
        else f"candidates bounded to the {k_price} nearest per supply"
    )
    if lp is not None and lp_ok:
        # a valid bound over the priced set: the LP bound and every negative reduced cost
        ub = float(model.c @ x + model.offset)
        bound_all = lp.bound + priced.total_cny_per_a
        gap_all = (ub - bound_all) / max(abs(ub), 1e-9)
        pricing["bound_cny_per_a"] = bound_all
        if gap_all <= goal + 1e-12:
            pricing["converged"] = True
            pricing["within_gap_cny_per_a"] = priced.total_cny_per_a
            result.solver["pricing"] = pricing
            result.solver["gap"] = max(proven, gap_all) if np.isfinite(proven) else gap_all
            result.solver["gap_against"] = priced_set + (
                f": the LP relaxation's bound, lowered by what the candidates left out by "
                f"max_candidates_per_supply ({k_bound}) could gain under its duals "
                f"({-priced.total_cny_per_a:,.0f} CNY/a), is a bound for that set"
                + (f" ({pricing['added']} added back by pricing)" if pricing["added"] else "")
            )
            return result
    widened = proven + abs(priced.total_cny_per_a) / scale
    if len(priced.links) and np.isfinite(widened) and widened <= goal and not lp_ok:
        pricing["converged"] = True
        pricing["within_gap_cny_per_a"] = priced.total_cny_per_a
        result.solver["pricing"] = pricing
        result.solver["gap"] = widened
        result.solver["gap_against"] = (
            priced_set
            + f": the candidates left out by max_candidates_per_supply ({k_bound}) with a "
            f"negative reduced cost under the final duals could lower the plan by "
            f"{-priced.total_cny_per_a:,.0f} CNY/a to first order, counted in the gap"
        )
        return result
    if len(priced.links) == 0:
        pricing["converged"] = True
        result.solver["pricing"] = pricing
        result.solver["gap_against"] = (
            (
                "all candidates: no candidate left out by max_candidates_per_supply"
                if k_price is None
                else f"candidates bounded to the {k_price} nearest per supply: none of those "
                f"left out by max_candidates_per_supply ({k_bound})"
            )
            + " has a negative reduced cost under the final duals"
            + (f" ({pricing['added']} added back by pricing)" if pricing["added"] else "")
        )
        return result
    if round_ + 1 >= MAX_PRICING_ROUNDS:
        pricing["converged"] = False
        result.solver["pricing"] = pricing
        return result
    pricing["added"] += len(priced.links)
    grown = replace(bounded, links=pd.concat([bounded.links, _expand(priced.links)]), _graph=None)
    rest = None if rest_s is None else max(0.05, rest_s - (time.perf_counter() - t))
    warm = (np.asarray(model.col_names), x, multipliers)
    assert cand_form is not None
    now_taken = excluded.index.isin(priced.links.index)
    still_left = _LeftOut(
        _compact(excluded),
        cand_form,
        now_taken if taken is None else (taken | now_taken),
        n_whole,
    )
    # the round's model, LP and candidate model are not needed any more: free them first
    del model, lp, cand_form, bounded, excluded, priced
    _release_memory()

    def relabel(e: str) -> None:
        if isinstance(e, ProgressEvent) and e.phase == "iterate":
            say(
                f"pricing round {round_ + 1}: {e}",
                "price",
                incumbent=e.incumbent,
                bound=e.bound,
                gap=e.gap,
                iteration=e.iteration,
                multiplier=e.multiplier,
            )

    again = solve_decomposed(
        scenario,
        time_limit_s=rest,
        network=grown,
        progress=relabel,
        _round=round_ + 1,
        _pricing=pricing,
        _warm=warm,
        _left=still_left,
        **options,
    )
    if not again.status.has_solution or (
        again.objective["total_cny_per_a"] > result.objective["total_cny_per_a"] + 1e-9
        and "converged" not in (again.solver.get("pricing") or {})
    ):
        result.solver["pricing"] = pricing
        return result
    again.solver["n_links_full"] = n_whole
    return again
