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

    def raise_for_status(self) -> Result:
        """Raise :class:`InfeasibleError` when there is no solution; return self otherwise."""
        if not self.status.has_solution:
            raise InfeasibleError(f"{self.scenario_name}: {self.status.value}. {self.message}")
        return self

    @property
    def summary(self) -> dict[str, Any]:
        """The summary.json dictionary (SPEC §5)."""
        from parkflow.solvers.summary import summary_dict

        return summary_dict(self)
