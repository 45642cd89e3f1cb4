"""The outcome of a solve: pure data, no solver objects.

Written by :func:`parkflow.solve`; read by the report, the maps, the CLI and researchers.
All quantities per year, in canonical units (t/a for solids and hydrogen, GJ/a for heat).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from parkflow.errors import InfeasibleError
from parkflow.models.enums import SolveStatus  # defined once there; re-exported here

#: The columns of ``Result.targets`` (one row per target entry), in order: targets.csv and
#: summary.json ``targets`` (docs/reporting.md).
TARGET_COLUMNS: list[str] = [
    "id",
    "scope",
    "target",
    "rate",
    "met",
    "utilised",
    "generated",
    "drawn",
    "shortfall",
    "unit",
    "basis",
    "year",
    "enforced",
    "applicable",
    "status",
    "rate_nbs",
    "utilised_outside",
    "safe_disposal",
]


@dataclass
class Result:
    """What ``parkflow.solve`` returns.

    Attributes
    ----------
    scenario_name : str
    status : SolveStatus
    objective_name : str
        ``"cost"``, ``"utilisation"`` or ``"co2"``.
    links : pandas.DataFrame
        Every candidate link (index ``link_id``), the network's columns plus ``build`` (0/1),
        ``flow`` (canonical unit/a leaving the source), ``delivered`` (after losses) and the
        per-link money and CO₂ terms: ``transport_cny_per_a, fixed_cny_per_a,
        purification_cny_per_a, value_cny_per_a, disposal_avoided_cny_per_a, total_cny_per_a,
        co2_avoided_t_per_a``.
    flows : pandas.DataFrame
        The built links only (``links[links.build == 1]``) — what flows.csv holds.
    draws : pandas.DataFrame
        Index ``stockpile_id``: ``enterprise, material, drawn`` (t/a drawn from earlier stock).
    sources : pandas.DataFrame
        Index ``source_id``: ``enterprise, material, category, generated, drawn, utilised, left,
        unit, park, city`` (``left`` = generated + drawn − utilised: stored or disposed).
    utilisation : pandas.DataFrame
        One row per (scope_type, scope_id, category): ``generated, utilised, drawn, rate, unit``;
        scope_type in enterprise | park | city | all; the rate is utilised / (generated + drawn).
    targets : pandas.DataFrame
        One row per target entry (each_park expands): ``id, scope, target, rate, met, utilised,
        generated, drawn, shortfall, unit``.
    objective : dict
        ``total_cny_per_a, transport_cny_per_a, fixed_cny_per_a, purification_cny_per_a,
        value_cny_per_a, disposal_avoided_cny_per_a`` (total = transport + fixed + purification −
        value − disposal_avoided).
    co2_avoided_t_per_a : float
    solver : dict
        ``name, time_s, gap, termination, build_s, n_variables, n_constraints, n_binaries``.
    diagnosis : pandas.DataFrame
        For unreachable targets: per material and area, what has no use within reach and the use
        capacity that would close the gap. Empty otherwise.
    baseline : Result or None
        The existing-links-only solution, when computed.
    """

    scenario_name: str
    status: SolveStatus
    objective_name: str
    links: pd.DataFrame
    flows: pd.DataFrame
    draws: pd.DataFrame
    sources: pd.DataFrame
    utilisation: pd.DataFrame
    targets: pd.DataFrame
    objective: dict[str, float]
    co2_avoided_t_per_a: float
    solver: dict[str, Any]
    diagnosis: pd.DataFrame = field(default_factory=pd.DataFrame)
    baseline: Result | None = None
    message: str = ""
    #: Index ``enterprise_id``, columns ``lon, lat`` (WGS-84): where the flows start and end,
    #: for :attr:`flows_gdf`. Set by the solver; None when unknown.
    enterprise_points: pd.DataFrame | None = field(default=None, repr=False)

    def __repr__(self) -> str:
        """One line: scenario, status, net cost, CO₂ and the first target's rate."""
        parts = [f"Result({self.scenario_name!r}: {self.status.value}"]
        if self.status.has_solution:
            total = self.objective.get("total_cny_per_a", float("nan"))
            parts.append(f"net cost {total:,.0f} CNY/a")
            parts.append(f"CO2 avoided {self.co2_avoided_t_per_a:,.0f} t/a")
            parts.append(f"{len(self.flows)} links built")
            for t in self.targets.head(2).itertuples():
                parts.append(
                    f"target {t.id} {t.rate:.1%} vs {t.target:.0%}{'' if t.met else ' (not met)'}"
                )
        return ", ".join(parts) + ")"

    def _repr_html_(self) -> str:
        """A short summary table for notebooks (status, money, CO₂, targets)."""
        from html import escape

        rows = [("status", self.status.value), ("objective", self.objective_name)]
        if self.status.has_solution:
            for key, value in self.objective.items():
                rows.append((key, f"{value:,.0f}"))
            rows.append(("co2_avoided_t_per_a", f"{self.co2_avoided_t_per_a:,.0f}"))
            rows.append(("links built", str(len(self.flows))))
            for t in self.targets.itertuples():
                mark = "met" if t.met else f"not met, short {t.shortfall:,.0f} {t.unit}"
                rows.append(
                    (f"target {t.id} ({t.scope})", f"{t.rate:.1%} vs {t.target:.0%}: {mark}")
                )
        if self.message:
            rows.append(("message", self.message))
        body = "".join(
            f"<tr><th style='text-align:left'>{escape(str(k))}</th>"
            f"<td style='text-align:right'>{escape(str(v))}</td></tr>"
            for k, v in rows
        )
        return (
            f"<div><strong>Result: {escape(self.scenario_name)}</strong><table>{body}</table></div>"
        )

    @property
    def flows_gdf(self) -> Any:
        """The built links as a GeoDataFrame of LineStrings (source → use enterprise), EPSG:4326.

        The columns of :attr:`flows` plus ``geometry``. Needs :attr:`enterprise_points` (set by
        the solver); see :meth:`flows_geodataframe` to give the scenario instead.
        """
        if self.enterprise_points is None:
            msg = (
                "this result does not know where its enterprises are; use "
                "result.flows_geodataframe(scenario)"
            )
            raise ValueError(msg)
        return _flows_gdf(self.flows, self.enterprise_points)

    def flows_geodataframe(self, scenario: Any) -> Any:
        """:attr:`flows_gdf` with the enterprises' coordinates taken from ``scenario``."""
        return _flows_gdf(self.flows, scenario.enterprises[["lon", "lat"]])

    #: Built facilities (facilities.csv; empty DataFrame without candidate facilities, issue 12).
    facilities: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: With periods (docs/model.md "Periods"): one dict per year (``year, objective,
    #: co2_avoided_t_per_a, capex_cny, targets`` (a DataFrame), ``weight``); empty without.
    periods: list[dict[str, Any]] = field(default_factory=list)
    #: With periods: stock.csv (``stockpile_id, year, start, drawn, stored, end``, t).
    stock: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: With periods: the present value of the yearly costs (CNY); NaN without.
    present_value_cny: float = float("nan")

    def raise_for_status(self) -> Result:
        """Raise :class:`InfeasibleError` when there is no solution; return self otherwise."""
        if not self.status.has_solution:
            msg = f"{self.scenario_name}: {self.status.value}. {self.message}"
            raise InfeasibleError(msg)
        return self

    @property
    def summary(self) -> dict[str, Any]:
        """The summary.json dictionary (:func:`summary_dict`, without the scenario reference)."""
        return summary_dict(self)


def _flows_gdf(flows: pd.DataFrame, points: pd.DataFrame) -> Any:
    import geopandas as gpd
    from shapely.geometry import LineString

    lon, lat = points["lon"], points["lat"]
    lines = [
        LineString([(float(lon[a]), float(lat[a])), (float(lon[b]), float(lat[b]))])
        for a, b in zip(flows["from"], flows["to"], strict=True)
    ]
    return gpd.GeoDataFrame(flows.copy(), geometry=lines, crs="EPSG:4326")


_OBJ_KEYS = ("total", "transport", "fixed", "purification", "value", "disposal_avoided")
#: Version of the summary.json layout: 2 adds ``format_version``, ``parkflow_version`` and the
#: scenario reference (relative path, name, content hash).
SUMMARY_FORMAT_VERSION = 2


def _plain(value: Any) -> Any:
    """JSON-safe: numpy scalars to Python, NaN/inf to None."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
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
        out.append(_plain(row))
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
        f["existing"].map(lambda v: str(v).strip().lower() in ("true", "1", "1.0"))
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
    keys = [*(f"{k}_cny_per_a" for k in _OBJ_KEYS), "facility_cny_per_a", "variable_cny_per_a"]
    before: dict[str, Any] = {}
    b = result.baseline
    if b is not None:
        tables = [bp["targets"] for bp in b.periods if int(bp["year"]) == year]
        if not b.periods and b.targets is not None:  # a single-year before: the same each year
            tables = [b.targets]
        for t in tables:
            if len(t):
                before = {f"{r.id}@{r.scope}": r.rate for r in t.itertuples()}
    stub = Result(
        scenario_name="",
        status=result.status,
        objective_name="",
        links=pd.DataFrame(),
        flows=pd.DataFrame(),
        draws=pd.DataFrame(),
        sources=pd.DataFrame(),
        utilisation=pd.DataFrame(),
        targets=period.get("targets", pd.DataFrame()),
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
        "objective": {f"{k}_cny_per_a": obj.get(f"{k}_cny_per_a") for k in _OBJ_KEYS},
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
                f"{k}_cny_per_a": (b.objective or {}).get(f"{k}_cny_per_a") for k in _OBJ_KEYS
            },
            "co2_avoided_t_per_a": b.co2_avoided_t_per_a,
            **link_counts(b),
            "targets": _targets_list(b),
        }
    else:
        out["baseline"] = None
    return _plain(out)
