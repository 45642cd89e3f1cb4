"""The outcome of a solve: pure data, no solver objects.

Written by :func:`parkflow.solve`; read by the report, the maps, the CLI and researchers.
All quantities per year, in canonical units (t/a for solids and hydrogen, GJ/a for heat).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

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
    "drawn_utilised",
    "drawn_disposed",
]

#: Reason codes of a diagnosis row (column ``kind``) and the words of its ``reason``.
DIAGNOSIS_KINDS = {
    "no_capacity": "no capacity left within reach",
    "only_disposal": "only safe-disposal uses within reach",
    "no_use": "no use within reach",
}

#: Columns of ``Result.diagnosis_facilities`` (diagnosis_facilities.csv): one row per facility
#: or technology that would take a diagnosed material (docs/model.md "Facilities", diagnosis).
DIAGNOSIS_FACILITY_COLUMNS = [
    "target",
    "scope",
    "year",
    "material",
    "park",
    "kind",
    "facility_id",
    "technology",
    "site",
    "max_size",
    "unit",
]


#: The parts of ``Result.objective`` (each as ``<part>_cny_per_a``), in the order of summary.json:
#: ``total = transport + fixed + purification − value − disposal_avoided``.
OBJECTIVE_KEYS = ("total", "transport", "fixed", "purification", "value", "disposal_avoided")


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
    #: The diagnosis' facilities, one row per facility or technology that would take a
    #: diagnosed material (diagnosis_facilities.csv: ``target, scope, year, material, park,
    #: kind`` — ``candidate`` or ``technology`` —, ``facility_id, technology, site, max_size,
    #: unit``). Empty when nothing is diagnosed, and for folders written before it existed.
    diagnosis_facilities: pd.DataFrame = field(default_factory=pd.DataFrame)
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


def _flows_gdf(flows: pd.DataFrame, points: pd.DataFrame) -> Any:
    import geopandas as gpd
    from shapely.geometry import LineString

    lon, lat = points["lon"], points["lat"]
    lines = [
        LineString([(float(lon[a]), float(lat[a])), (float(lon[b]), float(lat[b]))])
        for a, b in zip(flows["from"], flows["to"], strict=True)
    ]
    return gpd.GeoDataFrame(flows.copy(), geometry=lines, crs="EPSG:4326")
