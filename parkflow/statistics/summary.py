"""The headline numbers of a result (``summary.json``), computed once.

:func:`summary_dict` is the dictionary :func:`parkflow.io.solution.write_solution` writes as
``summary.json`` (format 2, declared by the JSON Schema ``parkflow/data/summary.schema.json``);
:func:`link_counts` is the one definition of how many links a solution builds, which the
console, the map title and the report also show (docs/reporting.md, "summary.json").
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from parkflow.models.enums import SolveStatus
from parkflow.models.result import OBJECTIVE_KEYS, TARGET_COLUMNS, Result
from parkflow.models.schema import parse_bool

__all__ = ["SUMMARY_FORMAT_VERSION", "json_safe", "link_counts", "summary_dict"]

#: Version of the summary.json layout: 2 adds ``format_version``, ``parkflow_version`` and the
#: scenario reference (relative path, name, content hash).
SUMMARY_FORMAT_VERSION = 2


def json_safe(value: Any) -> Any:
    """JSON-safe: numpy scalars to Python, NaN/inf to None.

    >>> json_safe({"a": np.float64(1.5), "b": [np.int64(2), float("nan")]})
    {'a': 1.5, 'b': [2, None]}
    """
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    if isinstance(value, (np.bool_, bool)):
        return bool(value)
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        f = float(value)
        return f if math.isfinite(f) else None
    if isinstance(value, SolveStatus):
        return value.value
    return value


def _targets_list(result: Result) -> list[dict[str, Any]]:
    t = result.targets
    if t is None or t.empty:
        return []
    cols = TARGET_COLUMNS
    out = []
    for r in t.to_dict(orient="records"):
        row = {c: r.get(c) for c in cols if c in r or c in cols[:10]}
        if r.get("status") == "not_applicable":
            row["rate"] = None
            row["rate_nbs"] = None
            row["met"] = None
        out.append(json_safe(row))
    return out


def link_counts(result: Result) -> dict[str, int]:
    """How many links the solution builds, by the one definition used everywhere.

    A link is **built** when it is open in the solution (``build = 1``): it carries flow, or it
    exists already (existing links are forced open and pay their fixed cost even when the optimum
    sends nothing over them). ``flows.csv`` has one row per built link, so
    ``links_built = len(flows.csv)``. The parts:

    * ``links_existing`` — built links that exist already (all existing links);
    * ``links_new`` — built links that do not exist yet (they all carry flow);
    * ``links_used`` — built links that carry flow (> 0);
    * ``links_idle`` — built links with no flow (existing links the optimum leaves unused).

    ``links_built = links_existing + links_new = links_used + links_idle``.

    >>> import pandas as pd
    >>> from parkflow.models.result import Result, SolveStatus
    >>> f = pd.DataFrame({"flow": [0.0, 5.0, 7.0], "existing": [True, True, False]})
    >>> r = Result("x", SolveStatus.OPTIMAL, "cost", f, f, *[pd.DataFrame()] * 4, {}, 0.0, {})
    >>> link_counts(r)
    {'links_built': 3, 'links_existing': 2, 'links_new': 1, 'links_used': 2, 'links_idle': 1}
    """
    f = result.flows
    if f is None or len(f) == 0:
        return dict.fromkeys(
            ("links_built", "links_existing", "links_new", "links_used", "links_idle"), 0
        )
    flow = (
        pd.to_numeric(f["flow"], errors="coerce").fillna(0.0)
        if "flow" in f.columns
        else pd.to_numeric(
            f.get("quantity", pd.Series(0.0, index=f.index)), errors="coerce"
        ).fillna(0.0)
    )
    existing = (
        f["existing"].map(lambda v: bool(parse_bool(v)))
        if "existing" in f.columns
        else pd.Series(False, index=f.index)
    )
    used = int((flow > 0).sum())
    n_existing = int(existing.sum())
    return {
        "links_built": int(len(f)),
        "links_existing": n_existing,
        "links_new": int(len(f)) - n_existing,
        "links_used": used,
        "links_idle": int(len(f)) - used,
    }


def _period_dict(result: Result, period: dict[str, Any]) -> dict[str, Any]:
    """One ``periods`` entry of summary.json: the year's totals, targets and the before."""
    year = int(period["year"])
    obj = period.get("objective") or {}
    keys = [*(f"{k}_cny_per_a" for k in OBJECTIVE_KEYS), "facility_cny_per_a", "variable_cny_per_a"]
    before: dict[str, Any] = dict(period.get("before") or {})  # kept when no before is solved
    b = result.baseline
    if b is not None:
        tables = [bp["targets"] for bp in b.periods if int(bp["year"]) == year]
        if not b.periods and b.targets is not None:  # a single-year before: the same each year
            tables = [b.targets]
        for t in tables:
            if len(t):
                before.update({f"{r.id}@{r.scope}": r.rate for r in t.itertuples()})
    stub = Result(
        scenario_name="",
        status=result.status,
        objective_name="",
        links=pd.DataFrame(),
        flows=pd.DataFrame(),
        draws=pd.DataFrame(),
        sources=pd.DataFrame(),
        utilisation=pd.DataFrame(),
        targets=pd.DataFrame(period.get("targets", [])),  # a frame, or summary.json's list
        objective={},
        co2_avoided_t_per_a=0.0,
        solver={},
    )
    return {
        "year": year,
        "objective": {k: obj.get(k) for k in keys if k in obj or k in keys[:6]},
        "co2_avoided_t_per_a": period.get("co2_avoided_t_per_a"),
        "capex_cny": period.get("capex_cny", 0.0),
        "targets": _targets_list(stub),
        "before": before,
    }


def summary_dict(
    result: Result, scenario_path: str | Path | None = None, scenario_sha256: str | None = None
) -> dict[str, Any]:
    """The ``summary.json`` dictionary, format 2 (docs/reporting.md, "summary.json").

    ``links_built`` and its parts are those of :func:`link_counts`.
    ``objective.total_cny_per_a = transport + fixed + purification − value − disposal_avoided``.
    The layout is declared by the JSON Schema ``parkflow/data/summary.schema.json``.

    Parameters
    ----------
    result : Result
    scenario_path : str or Path, optional
        Where the scenario is; :func:`parkflow.io.solution.write_solution` stores it relative to
        the output folder (POSIX separators), so that a copied folder still finds it.
    scenario_sha256 : str, optional
        Content hash of the scenario's files (:func:`parkflow.io.solution.scenario_sha256`).

    Returns
    -------
    dict
        JSON-safe (NaN and inf become ``None``).
    """
    from parkflow import __version__

    obj = result.objective or {}
    out: dict[str, Any] = {
        "format_version": SUMMARY_FORMAT_VERSION,
        "parkflow_version": __version__,
        "scenario": result.scenario_name,
        "scenario_path": (Path(scenario_path).as_posix() if scenario_path is not None else None),
        "scenario_sha256": scenario_sha256,
        "status": result.status.value,
        "objective_name": result.objective_name,
        "message": result.message,
        "solver": {
            k: result.solver.get(k)
            for k in (
                "name",
                "time_s",
                "gap",
                "termination",
                "build_s",
                "network_s",
                "n_variables",
                "n_constraints",
                "n_binaries",
                "n_solves",
                "time_limit_s",
                "gap_limit",
                "limit",
                "strategy",
                "method",
                # decomposed solves and the candidate bound (issue 13, docs/performance.md)
                "wall_s",
                "bound",
                "multipliers",
                "n_iterations",
                "iterations",
                "max_candidates_per_supply",
                "gap_against",
            )
            if k in result.solver
        },
        "objective": {f"{k}_cny_per_a": obj.get(f"{k}_cny_per_a") for k in OBJECTIVE_KEYS},
        "co2_avoided_t_per_a": result.co2_avoided_t_per_a,
        **link_counts(result),
        "targets": _targets_list(result),
    }
    fac = result.facilities
    if fac is not None and len(fac.columns):  # issue 12: only with candidate facilities
        out["objective"]["facility_cny_per_a"] = obj.get("facility_cny_per_a", 0.0)
        out["objective"]["variable_cny_per_a"] = obj.get("variable_cny_per_a", 0.0)
        out["facilities"] = fac.to_dict(orient="records")
        out["capex_cny"] = float(fac["capex_cny"].sum()) if len(fac) else 0.0
    if result.periods:  # issue 12: the yearly plan (docs/reporting.md "summary.json")
        out["present_value_cny"] = result.present_value_cny
        out["periods"] = [_period_dict(result, p) for p in result.periods]
        out["capex_cny"] = float(sum(float(p.get("capex_cny") or 0.0) for p in result.periods))
    b = result.baseline
    if b is not None:
        out["baseline"] = {
            "status": b.status.value,
            "objective": {
                f"{k}_cny_per_a": (b.objective or {}).get(f"{k}_cny_per_a") for k in OBJECTIVE_KEYS
            },
            "co2_avoided_t_per_a": b.co2_avoided_t_per_a,
            **link_counts(b),
            "targets": _targets_list(b),
        }
    else:
        out["baseline"] = None
    return json_safe(out)
