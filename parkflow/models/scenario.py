"""The in-memory scenario: pure data, no file formats, no solver.

A :class:`Scenario` is what :func:`parkflow.load_scenario` returns and what every later step reads.
After loading it is trusted: ids are unique, references resolve, quantities are finite, non-negative
and in canonical units (t/a for solids and hydrogen, GJ/a for heat), coordinates are WGS-84.

Tables (PyPSA-style component tables, each indexed by a string id):

* ``enterprises`` — GeoDataFrame, index ``enterprise_id``; columns ``name, park, sector, lon, lat,
  city, geometry`` (points, EPSG:4326).
* ``supplies`` — index ``supply_id``; ``enterprise, material, quantity, unit, temperature_c,
  purity``.
* ``uses`` — index ``use_id``; ``enterprise, route, capacity, unit, min_temperature_c, min_purity,
  value``.
* ``stockpiles`` — index ``stockpile_id``; ``enterprise, material, quantity, unit, max_draw``
  (``max_draw`` filled: never NaN after loading, at most ``quantity``).
* ``links`` — index ``link_id``; ``from, to, material, route, mode, existing, fixed_cost,
  distance_km``.
* ``parks`` — GeoDataFrame, index ``park_id``; ``name, level, city, geometry`` (polygons, or None
  when the scenario has no parks.geojson: then one row per park named in enterprises).

Extra input columns are kept (after the declared ones).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from parkflow.models.schema import parse_bool

BULK_GROUP = "bulk_solid_waste"
#: The category id (and built-in material id) of tailings, which the Sichuan targets exclude.
TAILINGS = "tailings"

SCOPE_KINDS = ("all", "each_park", "park", "city")


@dataclass(frozen=True)
class Target:
    """One utilisation target: ``utilised ≥ rate × (generated + drawn)`` over a scope.

    Attributes
    ----------
    id : str
        Target id, e.g. ``"bulk-2025"``.
    materials : tuple of str
        Material ids the target covers, groups already expanded and ``exclude`` already removed.
    rate : float
        Required rate, 0-1 (0.78 = 78 %).
    scope : str
        ``"all"``, ``"each_park"``, ``"park:<id>"`` or ``"city:<name>"``.
    exclude : tuple of str
        What the scenario said to exclude (material or category ids), kept for reporting.
    spec : str
        The ``materials`` entry as written (a group id or a comma list), kept for saving.
    basis : {"nbs", "new", "consumption"}
        Which rate (docs/model.md#bases): 综合利用率 (default), 新增 (this year's generation
        only) or 综合消纳率 (safe disposal counted too).
    year : int or None
        The year the target is for (None: the scenario's year).
    enforce : bool or None
        True: always a constraint; False: only reported; None: a constraint when its year is
        the scenario's year (with ``rate_by_year``: every year from its first given year on).
    rate_by_year : tuple of (int, float)
        Rates by year (docs/model.md "Periods"): linear between the given years, held after the
        last, undefined before the first; empty for a target of one ``rate``.
    """

    id: str
    materials: tuple[str, ...]
    rate: float
    scope: str = "all"
    exclude: tuple[str, ...] = ()
    spec: str = BULK_GROUP
    basis: str = "nbs"
    year: int | None = None
    enforce: bool | None = None
    rate_by_year: tuple[tuple[int, float], ...] = ()

    def binds(self, scenario_year: int | None) -> bool:
        """Whether the target is a constraint of a scenario of ``scenario_year``."""
        if self.rate_by_year:
            if self.enforce is False:
                return False
            return scenario_year is None or self.rate_in(scenario_year) is not None
        if self.enforce is not None:
            return bool(self.enforce)
        return self.year is None or scenario_year is None or int(self.year) == int(scenario_year)

    def rate_in(self, year: int | None) -> float | None:
        """The rate in ``year`` (``rate`` without ``rate_by_year``; None before its first year)."""
        if not self.rate_by_year:
            return float(self.rate)
        from parkflow.models.periods import rate_at

        if year is None:
            return float(self.rate)
        return rate_at(dict(self.rate_by_year), int(year))


@dataclass(frozen=True)
class SolverSettings:
    """Back-end choice and stopping rules."""

    name: str = "highs"
    time_limit_s: float = 60.0
    gap: float = 0.001


@dataclass(frozen=True)
class Settings:
    """Everything in scenario.yaml except the tables, targets and mode overrides."""

    description: str = ""
    year: int | None = None
    coordinates: str = "wgs84"  # always "wgs84" after loading; the input frame is converted
    operating_hours: float = 8000.0
    candidates: str = "auto"  # "auto" | "links_only"
    objective: str = "cost"
    solver: SolverSettings = field(default_factory=SolverSettings)
    extra: dict[str, Any] = field(default_factory=dict)  # unknown keys, kept and saved back


@dataclass(frozen=True)
class Catalogue:
    """Materials, statistics categories, use routes and transport modes (built-in + overrides).

    * ``materials`` — index ``material_id``; ``name_zh, name_en, group, category, kind
      (solid|heat|hydrogen), canonical_unit, is_tailings, env_tax_cny_per_t (disposal cost per
      canonical unit), density_kg_per_nm3, source``.
    * ``categories`` — index ``category_id``; ``name_zh, name_en, group, kind, source``.
    * ``routes`` — index ``route_id``; ``name_zh, name_en, accepts (tuple of material ids),
      modes (tuple of mode ids the route may be served by; empty = any carrying mode),
      value_cny_per_unit, co2_avoided_t_per_unit, displaces_zh, displaces_en, min_temperature_c,
      delta_t_c, min_purity, purification_cny_per_unit, quality_rule, source``.
    * ``modes`` — index ``mode_id``; ``name_zh, name_en, carries (tuple of kinds), cost_cny_per_tkm,
      handling_cny_per_t, fixed_cny_per_a, fixed_cny_per_km_a, co2_t_per_tkm, reach_km, detour,
      loss_per_km, source``. Per-unit columns are per canonical unit (t, or GJ for heat).
    * ``fates`` (index ``fate_id``), ``stacking_costs`` (index ``material``),
      ``replacement_fuels`` (index ``fuel_id``), ``route_classes`` (index ``route:material``):
      what utilising a unit saves and how it is counted (docs/model.md#fates).
    """

    materials: pd.DataFrame
    categories: pd.DataFrame
    routes: pd.DataFrame
    modes: pd.DataFrame
    fates: pd.DataFrame = field(default_factory=pd.DataFrame)
    stacking_costs: pd.DataFrame = field(default_factory=pd.DataFrame)
    replacement_fuels: pd.DataFrame = field(default_factory=pd.DataFrame)
    route_classes: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: Technologies of candidate facilities (index ``technology_id``; issue 12), None = none.
    technologies: pd.DataFrame | None = None

    def group_members(self, group_or_ids: str | list[str] | tuple[str, ...]) -> tuple[str, ...]:
        """Expand a group id, a category id or material ids into material ids."""
        items = [group_or_ids] if isinstance(group_or_ids, str) else list(group_or_ids)
        out: list[str] = []
        m = self.materials
        for item in items:
            if item in m.index:
                out.append(item)
            else:
                out.extend(m.index[(m["group"] == item) | (m["category"] == item)].tolist())
        return tuple(dict.fromkeys(out))


@dataclass(frozen=True, eq=False)
class Scenario:
    """A park (or a province) ready to optimise. See the module docstring for the tables."""

    name: str
    enterprises: gpd.GeoDataFrame
    supplies: pd.DataFrame
    uses: pd.DataFrame
    stockpiles: pd.DataFrame
    links: pd.DataFrame
    parks: gpd.GeoDataFrame
    catalogue: Catalogue
    targets: tuple[Target, ...]
    settings: Settings = field(default_factory=Settings)
    mode_overrides: dict[str, dict[str, Any]] = field(default_factory=dict)
    source: Path | None = None
    #: Candidate facilities (index ``facility_id``; docs/model.md "Facilities"), None = none.
    facilities: pd.DataFrame | None = None
    #: Yearly quantities (``kind, id, year, quantity, unit``, canonical units; docs/model.md
    #: "Periods"), None = none.
    trajectories: pd.DataFrame | None = None

    def replace(self, **changes: Any) -> Scenario:
        """Return a copy with some fields changed (tables are not copied)."""
        return replace(self, **changes)

    def equals(self, other: Scenario, check_source: bool = False) -> bool:
        """True when both scenarios hold the same data (the round-trip notion of equality)."""
        from parkflow.models.compare import scenarios_equal

        return scenarios_equal(self, other, check_source=check_source)

    def __repr__(self) -> str:
        """``Scenario('name': n enterprises, ...)``: the name and the table sizes."""
        return (
            f"Scenario({self.name!r}: {len(self.enterprises)} enterprises, "
            f"{len(self.supplies)} supplies, {len(self.uses)} uses, "
            f"{len(self.stockpiles)} stockpiles, {len(self.links)} links, "
            f"{len(self.parks)} parks)"
        )

    def _repr_html_(self) -> str:
        """A short summary for notebooks: the table sizes, the parks and the targets."""
        from html import escape

        rows = [
            (name, len(getattr(self, name)))
            for name in ("enterprises", "supplies", "uses", "stockpiles", "links", "parks")
        ]
        body = "".join(
            f"<tr><th style='text-align:left'>{k}</th><td>{v}</td></tr>" for k, v in rows
        )
        targets = "".join(
            f"<li>{escape(t.id)}: {t.rate:.0%} of {escape(str(t.spec))}, scope "
            f"{escape(t.scope)}</li>"
            for t in self.targets
        )
        parks = ", ".join(escape(str(v)) for v in list(self.parks.get("name", []))[:10])
        return (
            f"<div><strong>Scenario: {escape(self.name)}</strong>"
            f"<table>{body}</table><div>parks: {parks}</div>"
            f"<div>targets:<ul>{targets}</ul></div></div>"
        )


def is_tailings(materials: pd.DataFrame) -> pd.Series:
    """Whether each material counts as tailings.

    Its ``is_tailings`` flag is true **or** its ``category`` is ``"tailings"`` — the one rule
    (docs/reporting.md, "不含尾矿").

    Parameters
    ----------
    materials : DataFrame
        ``Catalogue.materials`` (either column may be missing).

    Returns
    -------
    Series of bool
        Indexed like ``materials``.

    Examples
    --------
    >>> m = pd.DataFrame({"is_tailings": [True, False, False],
    ...                   "category": ["x", "tailings", "fly_ash"]}, index=["a", "b", "c"])
    >>> is_tailings(m).tolist()
    [True, True, False]
    """
    if "is_tailings" in materials.columns:
        flag = materials["is_tailings"].map(lambda v: bool(parse_bool(v)))
    else:
        flag = pd.Series(False, index=materials.index)
    if "category" in materials.columns:
        cat = materials["category"].astype(str) == TAILINGS
    else:
        cat = pd.Series(False, index=materials.index)
    return (flag.astype(bool) | cat).astype(bool)


def expand_materials(
    catalogue: Catalogue, spec: Any, exclude: Iterable[str] = ()
) -> tuple[tuple[str, ...], list[str], list[str]]:
    """The materials a target covers: ``spec`` expanded, ``exclude`` removed.

    ``spec`` and ``exclude`` name groups, statistics categories or material ids (a list, or a
    comma-separated text); excluding ``tailings`` drops every material :func:`is_tailings`
    marks (docs/scenario-format.md, "Targets").

    Parameters
    ----------
    catalogue : Catalogue
    spec : str or list of str
    exclude : iterable of str

    Returns
    -------
    materials : tuple of str
        In catalogue order.
    unknown : list of str
        Items of ``spec`` the catalogue does not know.
    unknown_exclude : list of str
        Items of ``exclude`` the catalogue does not know.
    """
    mats = catalogue.materials
    known = set(mats.index) | set(mats["group"]) | set(mats["category"])
    items = [spec] if isinstance(spec, str) else list(spec)
    items = [str(i).strip() for i in items if str(i).strip()]
    if len(items) == 1 and "," in items[0]:
        items = [i.strip() for i in items[0].split(",") if i.strip()]
    unknown = [i for i in items if i not in known]
    members = catalogue.group_members([i for i in items if i in known])
    excl = [str(e).strip() for e in exclude]
    unknown_ex = [e for e in excl if e not in known]
    dropped = set(catalogue.group_members([e for e in excl if e in known]))
    if TAILINGS in excl:
        dropped |= set(mats.index[is_tailings(mats).to_numpy()].astype(str))
    return tuple(m for m in members if m not in dropped), unknown, unknown_ex


def expand_targets(targets: Sequence[Target], scenario: Scenario | Catalogue) -> list[Target]:
    """Fill each target's material list from its ``spec`` and ``exclude`` when it is empty.

    The one target expansion (:func:`expand_materials`); targets that already list their
    materials are returned as they are.

    Parameters
    ----------
    targets : sequence of Target
    scenario : Scenario or Catalogue
        Its catalogue resolves the names.

    Returns
    -------
    list of Target
        One per target, in order, each with its ``materials`` filled.
    """
    cat = scenario.catalogue if isinstance(scenario, Scenario) else scenario
    out = []
    for t in targets:
        if t.materials:
            out.append(t)
            continue
        members, _, _ = expand_materials(cat, t.spec or BULK_GROUP, t.exclude)
        out.append(replace(t, materials=members))
    return out


def default_targets_config() -> list[dict[str, Any]]:
    """The target a scenario gets without ``targets:``: the Sichuan 2025 target.

    Bulk industrial solid waste, tailings excluded, 78 %, scope all.
    """
    return [
        {
            "id": "bulk-2025",
            "materials": BULK_GROUP,
            "exclude": [TAILINGS],
            "rate": 0.78,
            "scope": "all",
        }
    ]
