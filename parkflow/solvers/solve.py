"""``solve(scenario)``: the candidate network, the MILP, its solution and the result tables.

Objectives (all deterministic; each phase gets what is left of the time limit):

* ``cost`` — minimise the SPEC §4 cost plus a penalty on target slack. If a slack is used, two more
  solves make the answer exact instead of penalty-dependent: minimise the total slack summed over
  all target entries (the best reachable rates — with several entries one trade-off among many,
  see docs/model.md "Unreachable targets"), then minimise cost with the slacks held at that
  minimum. A slack left > 0 gives status ``target_unreachable`` and a ``diagnosis`` table.
* ``utilisation`` — maximise the official rate of the first target's materials and scope
  (``each_park`` → the whole scenario): ``U(x) / (G + D(x))`` is linear-fractional once stock may be
  drawn, so it is maximised with Dinkelbach's method (a short sequence of MILPs
  ``max U − r (G + D)``, ``r ← U/(G+D)`` until the optimum is 0); then least cost at that rate.
* ``co2`` — maximise net CO₂ avoided (t/a), then least cost with CO₂ held at that maximum.

Solutions are cleaned before they are reported: a link counts as built when it carries flow or
exists already (a zero-fixed-cost link the solver left "open" with no flow is not built), and the
stock drawn is what the source sends beyond what it generates (generation is used first), which
never changes the cost and never breaks a constraint.

Public API besides :func:`solve`: :func:`solve_network` (a prepared network),
:func:`expand_targets`, :func:`result_from_solution` (a :class:`Result` from any solution vector of
the model, used by :mod:`parkflow.solvers.decompose`), :func:`empty_result` and
:func:`trivial_start`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from parkflow.models.result import Result, SolveStatus
from parkflow.models.scenario import BULK_GROUP, OBJECTIVES, Scenario, Target
from parkflow.network import CandidateNetwork
from parkflow.solvers.backends import BackendResult, check_solver, solve_model
from parkflow.solvers.formulation import SparseModel, build, with_objective, with_row
from parkflow.statistics.utilisation import TAILINGS, tailings_materials, utilisation_table

__all__ = ["solve", "solve_network", "expand_targets", "trivial_start",
           "result_from_solution", "empty_result", "UNREACHABLE_NOTE"]

_REL_TOL = 1e-7
_ABS_TOL = 1e-4  # t/a: slack below this is round-off


def expand_targets(targets: Sequence[Target], scenario: Scenario) -> list[Target]:
    """Fill a target's material list from its ``spec`` and ``exclude`` when it is empty.

    ``spec`` and ``exclude`` name groups, categories or material ids
    (:meth:`~parkflow.models.scenario.Catalogue.group_members`). Excluding ``"tailings"``
    drops every material that counts as tailings by the one rule of
    :func:`parkflow.statistics.utilisation.is_tailings` (``is_tailings`` flag true or category
    ``tailings``), the rule the indicators and the report use too. Targets that already list
    their materials are returned as they are.

    Parameters
    ----------
    targets : sequence of Target
    scenario : Scenario
        Its catalogue resolves the names.

    Returns
    -------
    list of Target
        One per target, in order, each with its ``materials`` filled.
    """
    out = []
    cat = scenario.catalogue
    for t in targets:
        if t.materials:
            out.append(t)
            continue
        spec = t.spec or BULK_GROUP
        mats = cat.group_members([s.strip() for s in str(spec).split(",") if s.strip()])
        excl = set(cat.group_members(list(t.exclude))) if t.exclude else set()
        if TAILINGS in t.exclude:
            excl |= tailings_materials(cat)
        out.append(replace(t, materials=tuple(m for m in mats if m not in excl)))
    return out


class _Clock:
    def __init__(self, limit_s: float | None):
        self.t0 = time.perf_counter()
        self.limit_s = limit_s

    def left(self) -> float | None:
        if self.limit_s is None:
            return None
        return max(0.05, self.limit_s - (time.perf_counter() - self.t0))


def _clean(model: SparseModel, network: CandidateNetwork, x: np.ndarray) -> np.ndarray:
    """Built = flow > 0 or existing; draws = outflow beyond generation (in stockpile order)."""
    cols = model.columns
    assert cols is not None
    x = x.copy()
    nl = cols.n_links
    flow = np.clip(x[:nl], 0.0, None)
    flow[flow < 1e-7] = 0.0
    x[:nl] = flow
    existing = network.links["existing"].to_numpy(dtype=bool)
    x[cols.build:cols.build + nl] = ((flow > 0) | existing).astype(float)
    if cols.n_stock:
        src = network.sources
        out = pd.Series(flow, index=network.links["source_id"].to_numpy()).groupby(level=0).sum()
        need = (out.reindex(src.index).fillna(0.0) - src["generated"]).clip(lower=0.0)
        stock = network.stock
        cap = np.minimum(np.clip(x[cols.draw:cols.draw + cols.n_stock], 0.0, None),
                         stock["max_draw"].to_numpy(dtype=float))
        cap_s = pd.Series(cap, index=stock.index)
        before = cap_s.groupby(stock["source_id"].to_numpy()).cumsum() - cap_s
        want = need.reindex(stock["source_id"]).fillna(0.0).to_numpy()
        drawn = np.clip(want - before.to_numpy(), 0.0, cap)
        x[cols.draw:cols.draw + cols.n_stock] = drawn
    return x


def _slack(model: SparseModel, x: np.ndarray) -> np.ndarray:
    cols = model.columns
    assert cols is not None
    return x[cols.slack:cols.slack + cols.n_slack]


def _entry_totals(model: SparseModel, network: CandidateNetwork, x: np.ndarray
                  ) -> pd.DataFrame:
    """Per target entry: utilised, generated, drawn, rate, shortfall."""
    cols = model.columns
    assert cols is not None
    e = model.entries.copy()
    if e.empty:
        return pd.DataFrame(columns=["id", "scope", "target", "rate", "met", "utilised",
                                     "generated", "drawn", "shortfall", "unit"])
    src = network.sources
    flow = x[:cols.n_links]
    out = pd.Series(flow, index=network.links["source_id"].to_numpy()).groupby(level=0).sum()
    util_s = out.reindex(src.index).fillna(0.0).to_numpy()
    drawn_k = x[cols.draw:cols.draw + cols.n_stock]
    drawn_s = pd.Series(drawn_k, index=network.stock["source_id"].to_numpy()).groupby(
        level=0).sum().reindex(src.index).fillna(0.0).to_numpy() if cols.n_stock else np.zeros(
        len(src))
    M = model.members
    e["utilised"] = M @ util_s
    e["generated"] = M @ src["generated"].to_numpy(dtype=float)
    e["drawn"] = M @ drawn_s
    denom = e["generated"] + e["drawn"]
    e["rate"] = np.where(denom > 0, e["utilised"] / denom.where(denom > 0, 1.0), np.nan)
    need = e["target"] * denom - e["utilised"]
    tol = _ABS_TOL + 1e-6 * denom
    e["shortfall"] = np.where(need > tol, need, 0.0)
    e["met"] = e["shortfall"] <= 0
    kinds = M @ (src["kind"] != "heat").to_numpy(dtype=float)
    e["unit"] = np.where(kinds >= M.sum(axis=1).A1, "t/a", "mixed")
    return e[["id", "scope", "target", "rate", "met", "utilised", "generated", "drawn",
              "shortfall", "unit"]].reset_index(drop=True)


def trivial_start(model: SparseModel, network: CandidateNetwork) -> np.ndarray:
    """The do-nothing-new solution: no flow, existing links open, no draw, slacks = the targets.

    Feasible unless a minimum flow is imposed on an existing link; the solver gets it as a hint,
    so that a time limit always leaves a solution to report (status ``feasible``).
    """
    cols = model.columns
    assert cols is not None
    x = np.zeros(cols.n)
    x[cols.build:cols.build + cols.n_links] = network.links["existing"].to_numpy(dtype=float)
    rows = model.families.get("target_rate", slice(0, 0))
    x[cols.slack:cols.slack + cols.n_slack] = np.clip(model.row_lower[rows], 0.0, None)
    return x


def _cost_phase(model: SparseModel, network: CandidateNetwork, solver: str, clock: _Clock,
                gap: float | None, runs: list[BackendResult], start: np.ndarray | None = None
                ) -> tuple[BackendResult, str]:
    """Least cost with elastic targets; exact best reachable rates when a slack is needed."""
    if start is None:
        start = trivial_start(model, network)
    res = solve_model(model, solver, clock.left(), gap, check=False, start=start)
    runs.append(res)
    if res.x is None:
        return res, res.status
    cols = model.columns
    assert cols is not None
    denom = model.entries["generated"].to_numpy(dtype=float) if len(model.entries) else 0.0
    tol = _ABS_TOL + 1e-6 * np.asarray(denom)
    if cols.n_slack == 0 or np.all(_slack(model, res.x) <= tol):
        return res, res.status
    # B: the least total slack (best reachable rates), independent of the penalty
    c = np.zeros(cols.n)
    c[cols.slack:cols.slack + cols.n_slack] = 1.0
    res_b = solve_model(with_objective(model, c), solver, clock.left(), gap, check=False,
                        start=res.x)
    runs.append(res_b)
    if res_b.x is None:
        return res, "target_unreachable"
    best = _slack(model, res_b.x)
    # C: least cost with the slacks held at that minimum
    upper = model.col_upper.copy()
    upper[cols.slack:cols.slack + cols.n_slack] = best * (1 + 1e-9) + 0.5 * tol
    res_c = solve_model(replace(model, col_upper=upper), solver, clock.left(), gap, check=False,
                        start=res_b.x)
    runs.append(res_c)
    chosen = res_c if res_c.x is not None else res_b
    if np.all(best <= tol):
        return chosen, chosen.status
    if res_b.status != "optimal":
        # a limit stopped the least-slack solve: the shortfall is not proven, only found
        return chosen, "feasible"
    return chosen, "target_unreachable"


def _scope_vectors(model: SparseModel, network: CandidateNetwork, targets: Sequence[Target],
                   scenario: Scenario) -> tuple[np.ndarray, np.ndarray, float]:
    """(coefficients of utilised, coefficients of drawn, generated) of the rate to maximise."""
    cols = model.columns
    assert cols is not None
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
    a = np.zeros(cols.n)
    a[:cols.n_links] = in_scope.reindex(network.links["source_id"]).fillna(False).to_numpy(
        dtype=float)
    d = np.zeros(cols.n)
    if cols.n_stock:
        d[cols.draw:cols.draw + cols.n_stock] = in_scope.reindex(
            network.stock["source_id"]).fillna(False).to_numpy(dtype=float)
    g = float(src["generated"].to_numpy(dtype=float)[mask].sum())
    return a, d, g


def _run_objective(objective: str, model: SparseModel, network: CandidateNetwork,
                   targets: Sequence[Target], scenario: Scenario, solver: str, clock: _Clock,
                   gap: float | None, runs: list[BackendResult]) -> tuple[BackendResult, str]:
    if objective == "cost":
        return _cost_phase(model, network, solver, clock, gap, runs)
    cols = model.columns
    assert cols is not None
    if objective == "co2":
        c = np.zeros(cols.n)
        c[:cols.n_links] = model.vectors["co2"]
        first = solve_model(with_objective(model, c, maximise=True), solver, clock.left(), gap,
                            check=False, start=trivial_start(model, network))
        runs.append(first)
        if first.x is None:
            return first, first.status
        x1 = _clean(model, network, first.x)
        best = float(c @ x1)
        floor = best - max(abs(best), 1.0) * 1e-9
        return _cost_phase(with_row(model, c, floor, np.inf, "co2_floor[all]"), network, solver,
                           clock, gap, runs, start=x1)
    # utilisation: Dinkelbach on U / (G + D)
    a, d, g = _scope_vectors(model, network, targets, scenario)
    rate = 0.0
    best_x = None
    for _ in range(30):
        res = solve_model(with_objective(model, a - rate * d, maximise=True), solver,
                          clock.left(), gap, check=False,
                          start=trivial_start(model, network) if best_x is None else best_x)
        runs.append(res)
        if res.x is None:
            if best_x is None:
                return res, res.status
            break
        x = _clean(model, network, res.x)
        u, dr = float(a @ x), float(d @ x)
        new = u / (g + dr) if g + dr > 0 else 0.0
        best_x = x
        if new <= rate + 1e-9:
            rate = max(rate, new)
            break
        rate = new
    held = rate * (1 - 1e-9)
    row_model = with_row(model, a - held * d, held * g - 1e-7, np.inf,
                         "rate_floor[objective]")
    return _cost_phase(row_model, network, solver, clock, gap, runs, start=best_x)


def _diagnosis(network: CandidateNetwork, model: SparseModel, targets_df: pd.DataFrame,
               sources: pd.DataFrame, scenario: Scenario) -> pd.DataFrame:
    """Where the unmet targets' by-products have no use within reach or no capacity left."""
    cols = ["target", "scope", "material", "park", "city", "generated", "drawn", "utilised",
            "left", "reason", "routes", "capacity_needed", "unit"]
    unmet = targets_df[~targets_df["met"]] if len(targets_df) else targets_df
    if unmet.empty or model.members is None:
        return pd.DataFrame(columns=cols)
    routes = scenario.catalogue.routes["accepts"]
    by_mat: dict[str, list[str]] = {}
    for rid, acc in routes.items():
        for m in acc:
            by_mat.setdefault(str(m), []).append(str(rid))
    linked = set(network.links["source_id"])
    entry_pos = {k: i for i, k in enumerate(model.entries["id"] + "@" + model.entries["scope"])}
    parts = []
    for _, e in unmet.iterrows():  # one iteration per unmet target entry (a handful)
        mask = model.members[entry_pos[f"{e['id']}@{e['scope']}"]].toarray().ravel() > 0
        s = sources[mask].copy()
        s["has_use"] = s.index.isin(list(linked))
        g = (s.groupby(["material", "park", "city"], sort=True)
             .agg(generated=("generated", "sum"), drawn=("drawn", "sum"),
                  utilised=("utilised", "sum"), has_use=("has_use", "any"))
             .reset_index())
        g["left"] = g["generated"] + g["drawn"] - g["utilised"]
        g = g[g["left"] > _ABS_TOL]
        if g.empty:
            continue
        g["reason"] = np.where(g["has_use"], "no capacity left within reach",
                               "no use within reach")
        g["routes"] = g["material"].map(lambda m: ";".join(by_mat.get(m, [])))
        share = g["left"] / g["left"].sum()
        g["capacity_needed"] = share * float(e["shortfall"])
        g.insert(0, "scope", e["scope"])
        g.insert(0, "target", e["id"])
        g["unit"] = "t/a"
        parts.append(g[cols])
    if not parts:
        return pd.DataFrame(columns=cols)
    return pd.concat(parts, ignore_index=True)


def _tables(scenario: Scenario, network: CandidateNetwork, model: SparseModel, x: np.ndarray
            ) -> dict[str, Any]:
    cols = model.columns
    assert cols is not None
    nl = cols.n_links
    links = network.links.rename(columns={"fixed_cny_per_a": "fixed_cost_cny_per_a"}).copy()
    flow = x[:nl]
    build_ = np.rint(x[cols.build:cols.build + nl]).astype(int)
    v = model.vectors
    links["build"] = build_
    links["flow"] = flow
    links["delivered"] = flow * links["efficiency"].to_numpy(dtype=float)
    links["transport_cny_per_a"] = flow * v["transport"]
    links["fixed_cny_per_a"] = build_ * v["fixed"]
    links["purification_cny_per_a"] = flow * v["purification"]
    links["value_cny_per_a"] = flow * v["value"]
    links["disposal_avoided_cny_per_a"] = flow * v["disposal"]
    links["total_cny_per_a"] = (links["transport_cny_per_a"] + links["fixed_cny_per_a"]
                                + links["purification_cny_per_a"] - links["value_cny_per_a"]
                                - links["disposal_avoided_cny_per_a"])
    links["co2_avoided_t_per_a"] = flow * v["co2"]
    links["unit"] = links["material"].map(network.sources.drop_duplicates("material").set_index(
        "material")["unit"]).fillna("t/a")
    flows = links[links["build"] == 1].copy()

    stock = network.stock
    drawn = x[cols.draw:cols.draw + cols.n_stock]
    draws = pd.DataFrame({"enterprise": stock["enterprise"], "material": stock["material"],
                          "drawn": drawn, "max_draw": stock["max_draw"],
                          "source_id": stock["source_id"]}, index=stock.index)
    src = network.sources.copy()
    out = pd.Series(flow, index=network.links["source_id"].to_numpy()).groupby(level=0).sum()
    src["utilised"] = out.reindex(src.index).fillna(0.0).to_numpy()
    src["drawn"] = (pd.Series(drawn, index=stock["source_id"].to_numpy()).groupby(level=0).sum()
                    .reindex(src.index).fillna(0.0).to_numpy()) if len(stock) else 0.0
    src["left"] = src["generated"] + src["drawn"] - src["utilised"]
    src.loc[src["left"].abs() < 1e-6, "left"] = 0.0
    sources = src[["enterprise", "material", "category", "kind", "generated", "drawn", "utilised",
                   "left", "unit", "park", "city", "drawable", "temperature_c", "purity"]]
    objective = {f"{k}_cny_per_a": float(links[f"{k}_cny_per_a"].sum()) for k in
                 ("total", "transport", "fixed", "purification", "value", "disposal_avoided")}
    return {"links": links, "flows": flows, "draws": draws, "sources": sources,
            "utilisation": utilisation_table(sources, scenario.catalogue),
            "objective": objective, "co2": float(links["co2_avoided_t_per_a"].sum())}


def empty_result(scenario: Scenario, network: CandidateNetwork, objective: str,
                 status: SolveStatus, solver_info: dict[str, Any], message: str) -> Result:
    """The :class:`Result` of a solve that found no solution (``infeasible``, ``error``).

    Parameters
    ----------
    scenario : Scenario
    network : CandidateNetwork
        Its links become ``result.links`` (none built) and its sources ``result.sources``.
    objective : str
        The objective name reported.
    status : SolveStatus
        A status without a solution.
    solver_info : dict
        ``result.solver``.
    message : str
        Why there is no solution, in words for the user.

    Returns
    -------
    Result
        With empty flows, draws, utilisation and targets, and ``co2_avoided_t_per_a`` NaN.
    """
    links = network.links.rename(columns={"fixed_cny_per_a": "fixed_cost_cny_per_a"}).copy()
    return Result(scenario_name=scenario.name, status=status, objective_name=objective,
                  links=links, flows=links.iloc[0:0], draws=pd.DataFrame(),
                  sources=network.sources.copy(), utilisation=pd.DataFrame(),
                  targets=pd.DataFrame(), objective={}, co2_avoided_t_per_a=float("nan"),
                  solver=solver_info, message=message)


_empty_result = empty_result  # the former private name, kept for callers not yet switched

#: Appended to the message of a ``target_unreachable`` result
#: (docs/model.md, "Unreachable targets").
UNREACHABLE_NOTE = ("best reachable rates minimise the total shortfall (t/a) summed over all "
                    "target entries, so with several entries (each_park) one entry's rate is one "
                    "trade-off among many, not its own maximum")


def _unreachable_message(targets_df: pd.DataFrame) -> str:
    miss = targets_df[~targets_df["met"]] if len(targets_df) else targets_df
    text = "; ".join(f"{r.id} ({r.scope}): best reachable rate {r.rate:.4f} < "
                     f"{r.target:.4f}, short {r.shortfall:,.0f} {r.unit}"
                     for r in miss.itertuples())
    if text and len(targets_df) > 1:
        text += f" ({UNREACHABLE_NOTE})"
    return text


def result_from_solution(scenario: Scenario, network: CandidateNetwork, model: SparseModel,
                         x: np.ndarray, status: SolveStatus, solver_info: dict[str, Any],
                         message: str | None = None, objective: str = "cost") -> Result:
    """The :class:`Result` of a solution vector of ``model`` (built from ``network``).

    The public assembly step shared by :func:`solve_network` and the decomposed solve
    (:mod:`parkflow.solvers.decompose`). ``x`` is cleaned first (module docstring: a link is
    built when it carries flow or exists; stock drawn = what a source sends beyond its
    generation), then the link, flow, draw, source, utilisation and target tables, the money
    and CO₂ totals and, for ``target_unreachable``, the diagnosis are computed from it.

    Parameters
    ----------
    scenario : Scenario
        The scenario solved (name, catalogue).
    network : CandidateNetwork
        The candidate network ``model`` was built from.
    model : SparseModel
        From :func:`parkflow.solvers.formulation.build` (its column layout and target entries).
    x : ndarray
        A solution, one value per column of ``model`` (not changed).
    status : SolveStatus
        A status with a solution (optimal, feasible, target_unreachable).
    solver_info : dict
        ``result.solver`` (name, time_s, gap, termination, ...).
    message : str, optional
        ``result.message``. For ``target_unreachable`` the message always names the unmet
        entries, their best reachable rates and shortfalls (``message`` is the fallback when no
        entry is unmet); ``None`` with ``feasible`` gives the "stopped at the limit" text made
        from ``solver_info["limit"]`` and ``solver_info["gap"]``.
    objective : str
        The objective name reported (default ``"cost"``).

    Returns
    -------
    Result
        Without ``baseline``.
    """
    x = _clean(model, network, np.asarray(x, dtype=float))
    tables = _tables(scenario, network, model, x)
    targets_df = _entry_totals(model, network, x)
    diagnosis = pd.DataFrame()
    if status == SolveStatus.TARGET_UNREACHABLE:
        diagnosis = _diagnosis(network, model, targets_df, tables["sources"], scenario)
        message = _unreachable_message(targets_df) or (message or "")
    elif message is None and status == SolveStatus.FEASIBLE:
        word = solver_info.get("limit") or "time"
        gap = float(solver_info.get("gap", np.nan))
        gap_text = f"{gap:.4g}" if np.isfinite(gap) else "unknown (no bound yet)"
        message = f"stopped at the {word} limit; best solution found, relative gap {gap_text}"
        miss = targets_df[~targets_df["met"]] if len(targets_df) else targets_df
        if len(miss):
            message += "; not met in this solution (unproven): " + ", ".join(
                f"{r.id} ({r.scope}) rate {r.rate:.4f}" for r in miss.itertuples())
    return Result(scenario_name=scenario.name, status=status, objective_name=objective,
                  links=tables["links"], flows=tables["flows"], draws=tables["draws"],
                  sources=tables["sources"], utilisation=tables["utilisation"],
                  targets=targets_df, objective=tables["objective"],
                  co2_avoided_t_per_a=tables["co2"], solver=solver_info, diagnosis=diagnosis,
                  message=message or "",
                  enterprise_points=scenario.enterprises[["lon", "lat"]].copy())


def solve_network(scenario: Scenario, network: CandidateNetwork, objective: str, solver: str,
                  time_limit_s: float | None, gap: float | None, targets: Sequence[Target],
                  min_flow_per_a: float = 0.0) -> Result:
    """Solve a prepared candidate network (the work of :func:`solve`, without the baseline).

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

    Returns
    -------
    Result
        Without ``baseline``; :func:`result_from_solution` or :func:`empty_result`.
    """
    t0 = time.perf_counter()
    parks = [str(p) for p in scenario.parks.index] if scenario.parks is not None else []
    model = build(network, targets, "cost", min_flow_per_a=min_flow_per_a, parks=parks)
    build_s = time.perf_counter() - t0
    clock = _Clock(time_limit_s)
    runs: list[BackendResult] = []
    res, status_word = _run_objective(objective, model, network, targets, scenario, solver, clock,
                                      gap, runs)
    info = {"name": solver, "time_s": float(sum(r.time_s for r in runs)), "gap": float(res.gap),
            "termination": res.termination, "build_s": build_s,
            "n_variables": model.n_variables, "n_constraints": model.n_constraints,
            "n_binaries": model.n_binaries, "n_solves": len(runs),
            "time_limit_s": time_limit_s, "gap_limit": gap,
            "limit": next((r.limit for r in runs if r.limit), "")}
    if res.x is None:
        status = {"infeasible": SolveStatus.INFEASIBLE, "unbounded": SolveStatus.ERROR}.get(
            status_word, SolveStatus.ERROR)
        msg = {"infeasible": "the model has no feasible solution (existing links or stock "
               "limits contradict each other)",
               "no_solution": f"no solution was found within the {info['limit'] or 'time'} "
               "limit"}.get(
            status_word, f"the solver stopped: {res.termination}")
        return empty_result(scenario, network, objective, status, info, msg)
    if status_word == "target_unreachable":
        status = SolveStatus.TARGET_UNREACHABLE
    elif status_word == "feasible" or any(r.status == "feasible" for r in runs):
        status = SolveStatus.FEASIBLE
    else:
        status = SolveStatus.OPTIMAL
    return result_from_solution(scenario, network, model, res.x, status, info, None, objective)


class SolveOptions(NamedTuple):
    """The options of one solve, with the scenario's settings filled in."""

    objective: str
    solver: str
    time_limit_s: float
    gap: float
    targets: list
    min_flow: float


def resolve_options(scenario: Scenario, objective: str | None = None, solver: str | None = None,
                    time_limit_s: float | None = None, gap: float | None = None,
                    targets: Sequence[Target] | None = None) -> SolveOptions:
    """Fill the options a caller left as None from ``scenario.settings``, and check them.

    Raises
    ------
    ValueError
        For an unknown objective.
    SolverUnavailableError
        When the back-end does not work here.
    """
    settings = scenario.settings
    objective = objective or settings.objective or "cost"
    if objective not in OBJECTIVES:
        raise ValueError(f"unknown objective {objective!r}; use one of {', '.join(OBJECTIVES)}")
    solver_name = check_solver(solver or settings.solver.name)
    limit = settings.solver.time_limit_s if time_limit_s is None else time_limit_s
    gap = settings.solver.gap if gap is None else gap
    tg = expand_targets(scenario.targets if targets is None else targets, scenario)
    min_flow = float(settings.extra.get("min_flow", 0.0) or 0.0) if settings.extra else 0.0
    return SolveOptions(objective, solver_name, limit, gap, tg, min_flow)


def solve(scenario: Scenario, objective: str | None = None, solver: str | None = None,
          time_limit_s: float | None = None, gap: float | None = None,
          targets: Sequence[Target] | None = None, baseline: bool = True,
          progress: Callable[[str], None] | None = None, strategy: str = "full") -> Result:
    """Optimise a scenario: which links to build and how much flows on each.

    Parameters
    ----------
    scenario : Scenario
        A loaded scenario.
    objective : {"cost", "utilisation", "co2"}, optional
        Default: the scenario's ``objective``.
    solver : {"highs", "scip"}, optional
        Default: the scenario's ``solver.name``.
    time_limit_s, gap : float, optional
        Wall-clock limit (s) and relative MIP gap; default: the scenario's settings.
    targets : sequence of Target, optional
        Default: the scenario's targets.
    baseline : bool
        Also solve the existing-links-only case into ``result.baseline``.
    progress : callable, optional
        Called with a short message before each step.
    strategy : {"full", "auto", "decompose"}
        ``full`` (default) solves one MILP; ``auto`` and ``decompose`` as ``parkflow solve
        --strategy`` (see :mod:`parkflow.solvers.strategy`), for provincial scale.

    Returns
    -------
    Result
        Always a result, also when there is no solution (check ``result.status``);
        ``solver["strategy"]`` says which way it was solved.

    Raises
    ------
    SolverUnavailableError
        When the back-end does not work here.
    ValueError
        For an unknown objective.
    """
    from parkflow.solvers.strategy import solve_with_strategy  # it builds on this module

    return solve_with_strategy(scenario, strategy=strategy, objective=objective, solver=solver,
                               time_limit_s=time_limit_s, gap=gap, targets=targets,
                               baseline=baseline, progress=progress)


def solve_baseline(scenario: Scenario, network: CandidateNetwork, solver: str,
                   time_limit_s: float | None, gap: float | None, targets: list,
                   min_flow: float = 0.0) -> Result:
    """Today's plan: the least-cost solution on the existing links only (the report's "before")."""
    existing = network.links[network.links["existing"]]
    base_net = CandidateNetwork(sources=network.sources, sinks=network.sinks,
                                stock=network.stock, links=existing,
                                enterprises=network.enterprises)
    return solve_network(scenario, base_net, "cost", solver, time_limit_s, gap, targets, min_flow)
