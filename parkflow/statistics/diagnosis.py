"""Target gaps: how far each scope is from the plan targets and from the scenario's targets.

Computed from a :class:`~parkflow.models.result.Result`'s utilisation rows
(:func:`parkflow.statistics.utilisation.utilisation_rows`) and target rows; rates with
:func:`~parkflow.statistics.utilisation.basis_rate`, the target's basis (docs/reporting.md,
"Targets"; docs/model.md#bases). The
solve-time diagnosis of unreachable targets (what has no use within reach) is made by the solver.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from parkflow.statistics.utilisation import (
    BULK_EXCL_TAILINGS,
    SICHUAN_TARGETS,
    basis_rate,
    gap_to_target,
)

if TYPE_CHECKING:
    from parkflow.models.result import Result

__all__ = ["plan_target_gaps", "scenario_target_gaps", "target_rate"]


def plan_target_gaps(util: pd.DataFrame, targets: dict[int, float] | None = None) -> pd.DataFrame:
    """Bulk solid waste (tailings excluded) of the whole scenario and each park vs the targets.

    Parameters
    ----------
    util : DataFrame
        :func:`~parkflow.statistics.utilisation.utilisation_rows`.
    targets : dict of int to float, optional
        Year → target rate (default :data:`~parkflow.statistics.utilisation.SICHUAN_TARGETS`).

    Returns
    -------
    DataFrame
        The ``bulk_excl_tailings`` rows of scope ``all`` and ``park`` with, per year,
        ``target_<year>`` (fraction), ``gap_pp_<year>`` (percentage points) and ``gap_t_<year>``
        (t/a).
    """
    targets = SICHUAN_TARGETS if targets is None else targets
    t = util[
        (util["category"] == BULK_EXCL_TAILINGS) & util["scope_type"].isin(["all", "park"])
    ].copy()
    for year, target in targets.items():
        drawn = t["drawn_utilised"] if "drawn_utilised" in t.columns else t["drawn"]
        gap_pp, gap_t = gap_to_target(t["utilised"], t["generated"], drawn, target)
        t[f"target_{year}"] = target
        t[f"gap_pp_{year}"] = gap_pp
        t[f"gap_t_{year}"] = gap_t
    return t


def scenario_target_gaps(result: Result) -> pd.DataFrame:
    """The scenario's own target rows, with the rate recomputed and the gap in points.

    Parameters
    ----------
    result : Result
        Its ``targets`` frame (one row per target entry).

    Returns
    -------
    DataFrame
        Columns ``target_id, scope_type, scope_id, basis, target, rate`` (the rate of the
        target's basis) and ``rate_nbs`` (fractions), ``gap_pp`` (percentage points),
        ``generated, utilised, drawn, shortfall`` (unit/a), ``unit`` and ``met`` (bool). Empty
        when the result has no targets.
    """
    tg = result.targets
    if tg is None or tg.empty:
        return pd.DataFrame()
    t = tg.reset_index(drop="id" in tg.columns).copy()
    for col in (
        "target",
        "rate",
        "utilised",
        "generated",
        "drawn",
        "shortfall",
        "safe_disposal",
        "drawn_utilised",
        "drawn_disposed",
    ):
        t[col] = (
            pd.to_numeric(t[col], errors="coerce").astype(float)
            if col in t.columns
            else pd.Series(np.nan, index=t.index, dtype=float)
        )
    # a folder of an earlier version: no safe disposal, all stock drawn to utilisation
    t["safe_disposal"] = t["safe_disposal"].fillna(0.0)
    t["drawn_utilised"] = t["drawn_utilised"].fillna(t["drawn"])
    t["drawn_disposed"] = t["drawn_disposed"].fillna(0.0)
    basis = t["basis"].fillna("nbs").astype(str) if "basis" in t.columns else "nbs"
    scope = t.get("scope", pd.Series("all", index=t.index)).astype(str)
    t["scope_type"] = scope.str.split(":", n=1).str[0]
    t["scope_id"] = scope.str.split(":", n=1).str[1].fillna("all")
    # ``utilised`` already counts utilised_outside (docs/model.md#bases)
    args = (t["utilised"], t["generated"], t["drawn_utilised"], 0.0, t["safe_disposal"])
    rate = basis_rate(np.asarray(basis, dtype=object), *args, t["drawn_disposed"])
    t["rate"] = rate
    t["rate_nbs"] = basis_rate("nbs", *args, t["drawn_disposed"])
    t["basis"] = basis
    t["gap_pp"] = ((t["target"] * 100 - rate * 100).clip(lower=0.0)).fillna(0.0)
    met = t["met"] if "met" in t.columns else t["shortfall"] <= 1e-9
    t["met"] = [str(m).strip().lower() in ("true", "1", "1.0", "yes") for m in met]
    t["target_id"] = t["id"].astype(str) if "id" in t.columns else ""
    t["unit"] = t.get("unit", "t/a")
    return t


def target_rate(result: Result, target_id: str | None = None) -> float:
    """The achieved rate of one target: the lowest of its entries (each_park expands).

    Parameters
    ----------
    result : Result
        Its ``targets`` rows (rates computed by :func:`utilisation_rate` at solve time).
    target_id : str, optional
        The target's id; default the first row's. When no row has this id, all rows count.

    Returns
    -------
    float
        Fraction; NaN without targets.

    Examples
    --------
    >>> import pandas as pd
    >>> from types import SimpleNamespace
    >>> r = SimpleNamespace(targets=pd.DataFrame({"id": ["a", "a", "b"],
    ...                                           "rate": [0.9, 0.7, 0.1]}))
    >>> target_rate(r, "a"), target_rate(r)
    (0.7, 0.7)
    """
    t = result.targets
    if t is None or len(t) == 0:
        return float("nan")
    if target_id is None and "id" in t.columns:
        target_id = str(t["id"].iloc[0])
    rows = t[t["id"] == target_id] if "id" in t.columns else t
    if len(rows) == 0:
        rows = t
    return float(pd.to_numeric(rows["rate"], errors="coerce").min())
