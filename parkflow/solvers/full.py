"""The whole-model solve: one MILP per phase of the chosen objective, on a prepared network.

Objectives (all deterministic; each phase gets what is left of the time limit):

* ``cost`` — minimise the cost of docs/model.md ("Objective") plus a penalty on target slack.
  If a slack is used, two more solves make the answer exact instead of penalty-dependent:
  minimise the total slack summed over all target entries (the best reachable rates — with
  several entries one trade-off among many, see docs/model.md "Unreachable targets"), then
  minimise cost with the slacks held at that minimum. A slack left > 0 gives status
  ``target_unreachable`` and a ``diagnosis`` table.
* ``utilisation`` — maximise the official rate of the first target's materials and scope
  (``each_park`` → the whole scenario): ``U(x) / (G + D(x))`` is linear-fractional once stock may be
  drawn, so it is maximised with Dinkelbach's method (a short sequence of MILPs
  ``max U − r (G + D)``, ``r ← U/(G+D)`` until the optimum is 0); then least cost at that rate.
* ``co2`` — maximise net CO₂ avoided (t/a), then least cost with CO₂ held at that maximum.

The solution vector becomes a :class:`~parkflow.models.result.Result` in
:mod:`parkflow.solvers.solution`. Public API: :func:`solve_network` (a prepared network),
:func:`solve_baseline`, :func:`resolve_options`, :func:`expand_targets` and
:func:`trivial_start`. The strategy choice and :func:`parkflow.solve` live in
:mod:`parkflow.solvers.api`.
"""

from __future__ import annotations

import math
import threading
import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import NamedTuple

import numpy as np
import pandas as pd

from parkflow.errors import ParkflowWarning
from parkflow.models.enums import OBJECTIVES, Objective, SolveStatus
from parkflow.models.result import Result
from parkflow.models.scenario import BULK_GROUP, Scenario, Target, expand_targets
from parkflow.network import CandidateNetwork
from parkflow.solvers.backends import BackendResult, TimeBudget, check_solver, solve_model
from parkflow.solvers.formulation import (
    Formulation,
    SparseModel,
    build,
    link_class_masks,
    supply_rhs,
    with_objective,
    with_row,
)
from parkflow.solvers.heuristic import greedy_start
from parkflow.solvers.periods import (
    build_periods,
    clean_periods,
    period_start,
    result_from_periods,
    scenario_years,
    yearly_networks,
)
from parkflow.solvers.progress import Reporter, parse_highs_line
from parkflow.solvers.solution import (
    ABS_TOL_T_PER_A,
    clean_solution,
    empty_result,
    result_from_solution,
)
from parkflow.statistics.utilisation import tailings_materials

__all__ = [
    "solve_network",
    "solve_baseline",
    "evaluate_baseline",
    "has_baseline_quantities",
    "resolve_options",
    "SolveOptions",
    "expand_targets",
    "trivial_start",
    "keeps_existing_flows",
]

_ABS_TOL = ABS_TOL_T_PER_A


def keeps_existing_flows(scenario: Scenario) -> bool:
    """Whether the scenario says ``existing_flows: keep`` (existing links hold their baseline).

    The default is ``free`` (docs/model.md, "Today's outlets").
    """
    extra = scenario.settings.extra or {}
    return str(extra.get("existing_flows", "free") or "free") == "keep"


#: Time kept after the last MILP of a whole-model solve for its result tables (s, and s per
#: model column): 0.64 s at 637,000 columns (N = 2,000, docs/performance.md "Time limit").
RESULT_RESERVE_S = 0.1
RESULT_S_PER_COLUMN = 1.5e-6


class _Run:
    """The solves of one whole-model solve: back-end, clock, gap, the runs so far, progress.

    Each MILP goes through :meth:`solve`, which reports it live as ``solve`` events
    (:mod:`parkflow.solvers.progress`): one per row of HiGHS's MIP progress table while it
    runs, then one with its outcome.
    """

    def __init__(
        self,
        solver: str,
        clock: TimeBudget,
        gap: float | None,
        progress: Callable[[str], None] | None = None,
    ):
        self.solver, self.clock, self.gap = solver, clock, gap
        self.runs: list[BackendResult] = []
        self.say = Reporter(progress) if progress is not None else None
        self._lock = threading.Lock()

    def solve(
        self, model: SparseModel, start: np.ndarray | None, step: str, unit: str = "CNY/a"
    ) -> BackendResult:
        """Solve one MILP of the objective's sequence; ``step`` names it in the events.

        ``unit`` is that MILP's objective unit: events carry ``incumbent`` and ``bound`` only
        for a CNY/a objective (displays show them as money); otherwise the values are in the
        text, with their unit, and the event has the gap alone.
        """
        say = self.say
        step_no = len(self.runs) + 1
        open_ = [True]

        def event(text: str, incumbent: float, bound: float, gap: float) -> None:
            if say is None:
                return
            if unit != "CNY/a":
                known = [
                    f"{name} {v:,.6g} {unit}"
                    for name, v in (("incumbent", incumbent), ("bound", bound))
                    if math.isfinite(v)
                ]
                text = ", ".join([text, *known])
                incumbent = bound = math.nan
            say(
                f"MILP {step_no} ({step}): {text}",
                "solve",
                incumbent=incumbent,
                bound=bound,
                gap=gap,
            )

        def line(text: str) -> None:
            row = parse_highs_line(text)
            if row is None:
                return
            with self._lock:  # one event at a time, none after the solve returned
                if open_[0]:
                    event(f"{row.nodes} B&B nodes", row.incumbent, row.bound, row.gap)

        res = solve_model(
            model,
            self.solver,
            self.clock.for_call(),
            self.gap,
            check=False,
            start=start,
            log=line if say is not None else None,
        )
        with self._lock:
            open_[0] = False
        self.runs.append(res)
        event(res.status, res.objective, res.bound, res.gap)
        return res


def trivial_start(form: Formulation, network: CandidateNetwork) -> np.ndarray:
    """The do-nothing-new solution: no flow, existing links open, no draw, slacks = the targets.

    With ``existing_flows: keep`` the floored existing links carry their ``baseline_quantity``
    instead of nothing (today's practice). The solver gets it as a hint,
    so that a time limit always leaves a solution to report (status ``feasible``).

    Parameters
    ----------
    form : Formulation
        From :func:`parkflow.solvers.formulation.build`.
    network : CandidateNetwork
        The network it was built from.

    Returns
    -------
    ndarray
        One value per column.
    """
    if form.periods is not None:  # issue 12: every year's start, stock levels from the balance
        return period_start(form)
    model = form.model
    slack = np.zeros(form.layout.n_slack)
    if len(form.entries):
        active = form.entries["binds"].to_numpy(dtype=bool) & form.entries["applicable"].to_numpy(
            dtype=bool
        )
        slack[active] = np.clip(model.row_lower[model.rows("target_rate")], 0.0, None)
    flow = np.zeros(form.layout.n_links)
    if (
        "existing_flows" in model.families
        and model.rows("existing_flows").stop > model.rows("existing_flows").start
    ):
        # existing_flows: keep — the floored links carry their baseline_quantity (today's
        # practice), which fits supplies and capacities when the scenario's outlets do
        rows = model.rows("existing_flows")
        floors = model.A[rows].tocoo()
        flow[floors.col - form.layout.offset("flow")] = model.row_lower[rows][floors.row]
    return form.layout.vector(
        flow=flow, build=network.links["existing"].to_numpy(dtype=float), slack=slack
    )


def _cost_phase(
    form: Formulation,
    network: CandidateNetwork,
    run: _Run,
    start: np.ndarray | None = None,
) -> tuple[BackendResult, str]:
    """Least cost with elastic targets; exact best reachable rates when a slack is needed."""
    model, lay = form.model, form.layout
    if start is None and form.periods is not None:  # issue 12: no greedy plan over years
        start = period_start(form)
    if start is None:  # issue 13: the greedy heuristic's plan (else the no-action start)
        start = greedy_start(form, network, fallback=trivial_start(form, network))
    res = run.solve(model, start, "least cost")
    if res.x is None:
        return res, res.status
    denom = form.entries["generated"].to_numpy(dtype=float) if len(form.entries) else 0.0
    tol = _ABS_TOL + 1e-6 * np.asarray(denom)
    if lay.n_slack == 0 or np.all(lay.array(res.x, "slack") <= tol):
        return res, res.status
    # B: the least total slack (best reachable rates), independent of the penalty
    res_b = run.solve(
        with_objective(model, slack_weights(form)), res.x, "least target shortfall", "t/a"
    )
    if res_b.x is None:
        return res, "target_unreachable"
    best = lay.array(res_b.x, "slack")
    # C: least cost with the slacks held at that minimum
    upper = lay.assign(model.col_upper, slack=best * (1 + 1e-9) + 0.5 * tol)
    res_c = run.solve(replace(model, col_upper=upper), res_b.x, "least cost at that shortfall")
    chosen = res_c if res_c.x is not None else res_b
    if np.all(best <= tol):
        return chosen, chosen.status
    if res_b.status != "optimal":
        # a limit stopped the least-slack solve: the shortfall is not proven, only found
        return chosen, "feasible"
    return chosen, "target_unreachable"


def slack_weights(form: Formulation) -> np.ndarray:
    r"""The reach objective :math:`\sum_{e,t} n_t \sigma_{e,t}` over all columns (t short).

    Each year's shortfall counts for the years its period stands for (docs/model.md
    "Unreachable targets"); without periods every slack weighs 1.
    """
    lay, p = form.layout, form.periods
    if p is None:
        return lay.vector(slack=1.0)
    return lay.vector(slack=np.repeat(np.asarray(p.lengths, dtype=float), lay.n_slack))


def _clean(form: Formulation, network: CandidateNetwork, x: np.ndarray) -> np.ndarray:
    """The solution cleaner of the model (per year with periods)."""
    if form.periods is not None:
        return clean_periods(form, x)
    return clean_solution(form, network, x)


def _scope_vectors(
    form: Formulation, network: CandidateNetwork, targets: Sequence[Target], scenario: Scenario
) -> tuple[np.ndarray, np.ndarray, float, float]:
    """(coefficients of U, of R_U, G, O) of the nbs rate (U + O) / (G + R_U) to maximise.

    With periods: the pooled horizon rate, each year weighted by the years it stands for.
    """
    p = form.periods
    if p is not None:
        a, d, g, o = np.zeros(form.layout.n), np.zeros(form.layout.n), 0.0, 0.0
        for k, f in enumerate(p.forms):
            ak, dk, gk, ok = _scope_vectors(f, p.networks[k], targets, scenario)
            a[p.colmap[k]] += p.lengths[k] * ak
            d[p.colmap[k]] += p.lengths[k] * dk
            g += float(p.lengths[k]) * gk
            o += float(p.lengths[k]) * ok
        return a, d, g, o
    lay = form.layout
    src = network.sources
    if targets:
        t = targets[0]
        mats = set(t.materials)
        scope = t.scope
    else:
        cat = scenario.catalogue
        m = cat.materials
        mats = set(m.index[(m["group"] == BULK_GROUP)].astype(str)) - tailings_materials(cat)
        scope = "all"
    mask = src["material"].isin(list(mats)).to_numpy()
    if scope.startswith("park:"):
        mask &= (src["park"] == scope.split(":", 1)[1]).to_numpy()
    elif scope.startswith("city:"):
        mask &= (src["city"] == scope.split(":", 1)[1]).to_numpy()
    in_scope = pd.Series(mask, index=src.index)
    # 综合利用量 counts utilisation-class flows only (docs/model.md#bases)
    util, _ = link_class_masks(network)
    a = lay.vector(
        flow=in_scope.reindex(network.links["source_id"]).fillna(False).to_numpy(dtype=float) * util
    )
    d = (
        lay.vector(
            draw=in_scope.reindex(network.stock["source_id"]).fillna(False).to_numpy(dtype=float)
        )
        if lay.n_stock
        else lay.vector()
    )
    g = float(src["generated"].to_numpy(dtype=float)[mask].sum())
    outside = src.get("utilised_outside", pd.Series(0.0, index=src.index))
    o = float(outside.to_numpy(dtype=float)[mask].sum())
    return a, d, g, o


def _reach(form: Formulation, network: CandidateNetwork, run: _Run) -> Formulation:
    """Phase A of every objective but ``cost``: the least total slack, then slack caps.

    The best reachable rate of a target does not depend on the objective (docs/model.md,
    "Unreachable targets"): with the caps σ ≤ σ*(1 + 1e-9) + ½ tol the objective is optimised
    at the best reachable rates (σ* = 0: the targets are hard).
    """
    model, lay = form.model, form.layout
    if lay.n_slack == 0 or not np.any(lay.array(model.col_upper, "slack") > 0):
        return form
    res = run.solve(
        with_objective(model, slack_weights(form)),
        trivial_start(form, network),
        "least target shortfall",
        "t/a",
    )
    if res.x is None:
        return form
    denom = form.entries["generated"].to_numpy(dtype=float)
    tol = _ABS_TOL + 1e-6 * np.asarray(denom)
    best = lay.array(res.x, "slack")
    cap = np.minimum(lay.array(model.col_upper, "slack"), best * (1 + 1e-9) + 0.5 * tol)
    return form.with_model(replace(model, col_upper=lay.assign(model.col_upper, slack=cap)))


def _run_objective(
    objective: str,
    form: Formulation,
    network: CandidateNetwork,
    targets: Sequence[Target],
    scenario: Scenario,
    run: _Run,
) -> tuple[BackendResult, str]:
    if objective == "cost":
        return _cost_phase(form, network, run)
    # issue 11 item 6: the reach first, whatever the objective, so that "best reachable" and
    # the diagnosis are those of the rate, not of the objective's plan
    form = _reach(form, network, run)
    model, lay = form.model, form.layout
    if objective == "co2":
        c = lay.vector(flow=form.vectors["co2"])
        first = run.solve(
            with_objective(model, c, maximise=True),
            trivial_start(form, network),
            "most CO2 avoided",
            "t/a",
        )
        if first.x is None:
            return first, first.status
        x1 = _clean(form, network, first.x)
        best = float(c @ x1)
        floor = best - max(abs(best), 1.0) * 1e-9
        floored = form.with_model(with_row(model, c, floor, np.inf, "co2_floor[all]"))
        return _cost_phase(floored, network, run, start=x1)
    # utilisation: Dinkelbach on (U + O) / (G + D), the nbs rate
    a, d, g, o = _scope_vectors(form, network, targets, scenario)
    rate = 0.0
    best_x = None
    for _ in range(30):
        res = run.solve(
            with_objective(model, a - rate * d, maximise=True),
            trivial_start(form, network) if best_x is None else best_x,
            f"utilisation above rate {rate:.4f}",
            "t/a",
        )
        if res.x is None:
            if best_x is None:
                return res, res.status
            break
        x = _clean(form, network, res.x)
        u, dr = float(a @ x), float(d @ x)
        new = (u + o) / (g + dr) if g + dr > 0 else 0.0
        best_x = x
        if new <= rate + 1e-9:
            rate = max(rate, new)
            break
        rate = new
    held = rate * (1 - 1e-9)
    row_form = form.with_model(
        with_row(model, a - held * d, held * g - o - 1e-7, np.inf, "rate_floor[objective]")
    )
    return _cost_phase(row_form, network, run, start=best_x)


def scenario_formulation(
    scenario: Scenario,
    network: CandidateNetwork,
    targets: Sequence[Target],
    min_flow_per_a: float = 0.0,
) -> Formulation:
    """The single-year cost model of ``network`` as ``solve`` builds it for ``scenario``.

    Its parks, its year and its ``existing_flows`` setting
    (:func:`parkflow.solvers.formulation.build`); the whole and the decomposed solve and the
    benchmark's baselines all solve this model.
    """
    parks = [str(p) for p in scenario.parks.index] if scenario.parks is not None else []
    return build(
        network,
        targets,
        "cost",
        min_flow_per_a=min_flow_per_a,
        parks=parks,
        year=scenario.settings.year,
        keep_existing_flows=keeps_existing_flows(scenario),
    )


def solve_network(
    scenario: Scenario,
    network: CandidateNetwork,
    objective: str,
    solver: str,
    time_limit_s: float | None,
    gap: float | None,
    targets: Sequence[Target],
    min_flow_per_a: float = 0.0,
    progress: Callable[[str], None] | None = None,
) -> Result:
    """Solve a prepared candidate network whole (the ``full`` strategy, without the baseline).

    Public: the decomposed solve calls it for what it does not decompose.

    Parameters
    ----------
    scenario : Scenario
    network : CandidateNetwork
        From :func:`parkflow.network.candidate_links` (possibly reduced or restricted).
    objective : {"cost", "utilisation", "co2"}
    solver : {"highs", "scip"}
        A checked back-end name (:func:`parkflow.solvers.backends.check_solver`).
    time_limit_s, gap : float or None
        Wall-clock limit for all the phases together (s) and relative MIP gap.
    targets : sequence of Target
        Expanded targets (:func:`expand_targets`).
    min_flow_per_a : float
        Minimum flow of a built link (unit/a); 0 for none.
    progress : callable, optional
        Gets live ``solve`` events (:class:`~parkflow.solvers.progress.ProgressEvent`) while
        each MILP runs and when it ends (docs/performance.md, "Progress").

    Returns
    -------
    Result
        Without ``baseline``; :func:`result_from_solution` or :func:`empty_result`.
    """
    t0 = time.perf_counter()
    parks = [str(p) for p in scenario.parks.index] if scenario.parks is not None else []
    years = scenario_years(scenario)
    if years:  # issue 12: the multi-period model (docs/model.md "Periods")
        form = build_periods(
            network,
            scenario,
            targets,
            years,
            min_flow_per_a=min_flow_per_a,
            parks=parks,
            keep_existing_flows=keeps_existing_flows(scenario),
        )
    else:
        form = scenario_formulation(scenario, network, targets, min_flow_per_a)
    model = form.model
    build_s = time.perf_counter() - t0
    budget = TimeBudget(time_limit_s, start=t0)  # the build counts against the limit
    # kept for the result tables after the last solve (≈ 1 µs per column, measured at 637,000)
    budget.keep(RESULT_RESERVE_S + RESULT_S_PER_COLUMN * len(model.c))
    run = _Run(solver, budget, gap, progress)
    res, status_word = _run_objective(objective, form, network, targets, scenario, run)
    runs = run.runs
    info = {
        "name": solver,
        "time_s": float(sum(r.time_s for r in runs)),
        "gap": float(res.gap),
        "termination": res.termination,
        "build_s": build_s,
        "n_variables": model.n_variables,
        "n_constraints": model.n_constraints,
        "n_binaries": model.n_binaries,
        "n_solves": len(runs),
        "time_limit_s": time_limit_s,
        "gap_limit": gap,
        "limit": next((r.limit for r in runs if r.limit), ""),
    }
    if res.x is None:
        status = {"infeasible": SolveStatus.INFEASIBLE, "unbounded": SolveStatus.ERROR}.get(
            status_word, SolveStatus.ERROR
        )
        msg = {
            "infeasible": "the model has no feasible solution (existing links or stock "
            "limits contradict each other)",
            "no_solution": f"no solution was found within the {info['limit'] or 'time'} limit",
        }.get(status_word, f"the solver stopped: {res.termination}")
        return empty_result(scenario, network, objective, status, info, msg)
    if status_word == "target_unreachable":
        status = SolveStatus.TARGET_UNREACHABLE
    elif status_word == "feasible" or any(r.status == "feasible" for r in runs):
        status = SolveStatus.FEASIBLE
    else:
        status = SolveStatus.OPTIMAL
    if form.periods is not None:
        return result_from_periods(scenario, form, res.x, status, info, None, objective)
    return result_from_solution(scenario, network, form, res.x, status, info, None, objective)


class SolveOptions(NamedTuple):
    """The options of one solve, with the scenario's settings filled in."""

    objective: str
    solver: str
    time_limit_s: float
    gap: float
    targets: list
    min_flow: float


def resolve_options(
    scenario: Scenario,
    objective: str | None = None,
    solver: str | None = None,
    time_limit_s: float | None = None,
    gap: float | None = None,
    targets: Sequence[Target] | None = None,
) -> SolveOptions:
    """Fill the options a caller left as None from ``scenario.settings``, and check them.

    Raises
    ------
    ValueError
        For an unknown objective.
    SolverUnavailableError
        When the back-end does not work here.
    """
    settings = scenario.settings
    objective = objective or settings.objective or Objective.COST.value
    if objective not in OBJECTIVES:
        msg = f"unknown objective {objective!r}; use one of {', '.join(OBJECTIVES)}"
        raise ValueError(msg)
    objective = Objective(objective).value
    solver_name = check_solver(solver or settings.solver.name)
    limit = settings.solver.time_limit_s if time_limit_s is None else time_limit_s
    gap = settings.solver.gap if gap is None else gap
    tg = expand_targets(scenario.targets if targets is None else targets, scenario)
    min_flow = float(settings.extra.get("min_flow", 0.0) or 0.0) if settings.extra else 0.0
    return SolveOptions(objective, solver_name, limit, gap, tg, min_flow)


def _existing_network(network: CandidateNetwork) -> CandidateNetwork:
    """The network restricted to its existing links (today's links; no candidate facilities)."""
    return CandidateNetwork(
        sources=network.sources,
        sinks=network.sinks,
        stock=network.stock,
        links=network.links[network.links["existing"].to_numpy(dtype=bool)],
        enterprises=network.enterprises,
    )


def has_baseline_quantities(network: CandidateNetwork) -> bool:
    """Whether any existing link gives a ``baseline_quantity`` (today's practice is known).

    False for a version-1 scenario (no ``baseline_quantity`` column, or the column left empty):
    its before is then today's least-cost solve on the existing links (docs/model.md,
    "The before").
    """
    links = network.links
    if "baseline_quantity" not in links or len(links) == 0:
        return False
    q0 = links["baseline_quantity"].to_numpy(dtype=float)
    return bool(np.isfinite(q0[links["existing"].to_numpy(dtype=bool)]).any())


def evaluate_baseline(
    scenario: Scenario,
    network: CandidateNetwork,
    targets: Sequence[Target],
) -> Result:
    r"""Today's practice, evaluated, not optimised (docs/model.md, "The before").

    Flows :math:`f_l = q^0_l` (``baseline_quantity``) on the existing links, 0 on an existing
    link without one (one :class:`~parkflow.errors.ParkflowWarning` lists them), no other link;
    ``utilised_outside`` as given; the draws of the solution cleaner (generation first, drawn
    stock to safe disposal first). Costs, CO₂ and rates come from the same objective vectors
    and the same :func:`~parkflow.solvers.solution.result_from_solution` as the optimised plan,
    so before and after differ only by the flows. With periods every year is evaluated on its
    own data (that year's supplies, capacities and targets), :math:`q^0_l` scaled by
    :math:`\min(1, G'_{s,t} / \sum_{L^{out}(s)} q^0)` where the source shrinks below today's
    flows; the years are in ``periods`` (docs/model.md "The before").

    Parameters
    ----------
    scenario : Scenario
    network : CandidateNetwork
        The full candidate network (its existing links are taken).
    targets : sequence of Target
        Expanded targets: the before's rates and gaps are reported against them.

    Returns
    -------
    Result
        Status ``optimal`` (an evaluation has no solver status), ``solver["name"]`` =
        ``"evaluated"``.
    """
    base_net = _existing_network(network)
    links = base_net.links
    q0 = links["baseline_quantity"].to_numpy(dtype=float)
    missing = ~np.isfinite(q0)
    if missing.any():
        ids = ", ".join(str(i) for i in links.index[missing])
        warnings.warn(
            f"existing links without a baseline_quantity count as carrying 0 today: {ids} "
            "(give links.csv baseline_quantity for each existing link)",
            ParkflowWarning,
            stacklevel=2,
        )
    parks = [str(p) for p in scenario.parks.index] if scenario.parks is not None else []
    q0 = np.where(missing, 0.0, q0)
    years = scenario_years(scenario)
    if len(years) <= 1:
        return _evaluate(scenario, base_net, targets, parks, scenario.settings.year, q0)
    # with periods: each year on its own data, q0 scaled down where the source shrinks
    views, _, _ = yearly_networks(scenario, base_net, years)
    src = base_net.sources
    lsrc = src.index.get_indexer(links["source_id"]).astype(np.int64)
    per_year = []
    for view, t in zip(views, years, strict=True):
        own = np.asarray(supply_rhs(view), dtype=float)
        sent = np.bincount(lsrc[lsrc >= 0], weights=q0[lsrc >= 0], minlength=len(src))
        with np.errstate(divide="ignore", invalid="ignore"):
            scale = np.where(sent > own, own / sent, 1.0)
        q_t = q0 * np.where(lsrc >= 0, scale[np.maximum(lsrc, 0)], 1.0)
        sc_t = scenario.replace(settings=replace(scenario.settings, year=t))
        per_year.append(_evaluate(sc_t, view, targets, parks, t, q_t))
    periods = [
        {
            "year": int(t),
            "objective": dict(r.objective),
            "co2_avoided_t_per_a": float(r.co2_avoided_t_per_a),
            "targets": r.targets.copy(),
            "flows": r.flows,
            "utilisation": r.utilisation,
            "sources": r.sources,
            "draws": r.draws,
        }
        for r, t in zip(per_year, years, strict=True)
    ]
    return replace(per_year[0], periods=periods)


def _evaluate(
    scenario: Scenario,
    base_net: CandidateNetwork,
    targets: Sequence[Target],
    parks: list[str],
    year: int | None,
    q0: np.ndarray,
) -> Result:
    """One year's before: flows q0 on the existing links, evaluated (not optimised)."""
    t0 = time.perf_counter()
    form = build(base_net, targets, "cost", parks=parks, year=year)
    x = form.layout.vector(flow=q0, build=1.0)
    info = {
        "name": "evaluated",
        "time_s": 0.0,
        "gap": 0.0,
        "termination": "evaluated",
        "build_s": time.perf_counter() - t0,
        "n_variables": form.model.n_variables,
        "n_constraints": form.model.n_constraints,
        "n_binaries": 0,
        "n_solves": 0,
        "before": "today's practice (baseline_quantity on existing links)",
    }
    return result_from_solution(
        scenario,
        base_net,
        form,
        x,
        SolveStatus.OPTIMAL,
        info,
        "today's practice: baseline_quantity on the existing links, evaluated, not optimised",
        "cost",
    )


def solve_baseline(
    scenario: Scenario,
    network: CandidateNetwork,
    solver: str,
    time_limit_s: float | None,
    gap: float | None,
    targets: list,
    min_flow: float = 0.0,
) -> Result:
    """The report's "before": today's practice (docs/model.md, "The before").

    With ``baseline_quantity`` on the existing links (:func:`has_baseline_quantities`): today's
    flows evaluated by :func:`evaluate_baseline`. Without (a version-1 scenario): the
    documented fallback, the least-cost solution on the existing links only.
    """
    if has_baseline_quantities(network):
        return evaluate_baseline(scenario, network, targets)
    base_net = _existing_network(network)
    result = solve_network(scenario, base_net, "cost", solver, time_limit_s, gap, targets, min_flow)
    result.solver["before"] = "least cost on the existing links (no baseline_quantity given)"
    return result
