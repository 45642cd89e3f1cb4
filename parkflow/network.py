"""The candidate network: which supply could go to which use, by which mode.

The rules are those of docs/model.md, "Candidate links".

:func:`candidate_links` turns a :class:`~parkflow.models.scenario.Scenario` into a
:class:`CandidateNetwork`:

* ``sources`` — what can leave an enterprise. Solids are pooled per (enterprise, material): a
  plant's fly ash is one heap whatever boiler made it, and its stockpiles of that material attach
  to the same source (a source with ``generated = 0`` is created for a stockpile alone). Heat and
  hydrogen keep one source per supply row, because their quality (temperature, purity) matters.
* ``sinks`` — the use rows (index ``use_id``) with their effective value and quality minimum.
* ``stock`` — the stockpiles (index ``stockpile_id``) with their ``source_id`` and ``max_draw``.
* ``links`` — one row per (source, use, mode) that passes the rules below, index ``link_id``.
* ``graph`` — an ``nx.MultiDiGraph``: enterprises as nodes, each candidate link an edge keyed by
  its ``link_id`` and carrying the link's columns as attributes.

Rules: the route accepts the material; heat: source temperature ≥ the sink's minimum
(the use's ``min_temperature_c``, else the route's) + the route's ΔT; hydrogen: purity ≥ the
minimum (the use's ``min_purity``, else the route's), or — when the route has
``purification_cny_per_unit`` — allowed at that extra cost per unit; one candidate per mode that
carries the material's kind, that the route allows (the route's ``modes``; empty = any mode that
carries the kind: process steam goes by steam pipe only, district heating by hot-water or steam
pipe) and that reaches: geodesic WGS-84 distance × the mode's detour ≤ its ``reach_km``. A plant
may also use its own by-product (distance 0). Links across parks are allowed.

With ``candidates: links_only`` only the scenario's links table is used. Links-table rows keep
their id, use their ``distance_km`` and ``fixed_cost`` overrides and their mode as written (or,
when no mode is given, the cheapest mode that carries the material and that the route allows); an
automatic candidate that duplicates a links-table row (same source, use and mode) is dropped.
Automatic candidates get ids ``C00001, C00002, ...`` in a deterministic order (sorted by from, to,
material, route, mode, source, use).

Pairs are found with a KD-tree on unit-sphere (ECEF) coordinates — chord ≤ arc, so a query with
the largest reach / detour finds every pair within reach — and measured with ``pyproj.Geod``
on the WGS-84 ellipsoid, vectorised. There is no Python loop over pairs.

Per-unit link parameters (CNY or t CO₂ per canonical unit leaving the source):

* ``efficiency = max(0, 1 − loss_per_km · distance_km)`` (delivered / sent);
* ``transport_cny_per_unit = cost_cny_per_tkm · distance_km + handling_cny_per_t``, door to
  door: a mode with ``sided_handling_cny_per_t`` (rail) charges that instead of
  ``handling_cny_per_t`` when both plants have ``rail_siding`` (docs/catalogue.md, transport);
* ``fixed_cny_per_a = fixed_cny_per_a(mode) + fixed_cny_per_km_a(mode) · distance_km`` (or the
  links table's ``fixed_cost``);
* ``value_cny_per_unit`` — per *delivered* unit (the use's ``value``, else the route's);
* ``disposal_cny_per_unit`` — the avoided cost of the source's fate per unit sent (the stacking
  cost for ``stored``, the disposal fee for ``landfilled``, the environmental-protection tax only
  for ``dumped``; docs/model.md#fates); ``fate`` the source's fate;
* ``co2_reversed_t_per_unit`` — CO₂ the fate already gives per unit sent (fate ``fuel``: the
  replacement fuel's emissions), subtracted from the link's CO₂;
* ``class`` — ``utilisation`` (综合利用) or ``safe_disposal`` (无害化处置), from ``route_classes``
  else ``routes.class``; ``baseline_quantity`` — today's flow of an existing link (NaN if none);
* ``co2_avoided_t_per_unit`` — per delivered unit; ``co2_transport_t_per_unit`` — per unit sent;
* ``bound = min(generated + drawable, capacity / efficiency)`` — the tight big-M of the link.

>>> from parkflow.examples import tiny_park
>>> net = candidate_links(tiny_park())
>>> net.links[["from", "to", "route", "distance_km"]]
        from  to             route  distance_km
link_id
L1        E1  E2  cement_admixture         10.0
L2        E1  E3            bricks         20.0
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

from parkflow.geo import geodesic_km
from parkflow.models.quality import quality_rule
from parkflow.models.scenario import Catalogue, Scenario

__all__ = [
    "CandidateNetwork",
    "candidate_links",
    "max_candidates",
    "DEFAULT_MAX_CANDIDATES",
    "LINK_COLUMNS",
    "SOURCE_COLUMNS",
    "FACILITY_COLUMNS",
    "LADDER_COLUMNS",
    "crf",
    "discount_rate",
    "facility_ladder",
]

#: Sphere radius used for the KD-tree search (km); the query radius is padded for the ellipsoid.
_EARTH_KM = 6371.0088
_PAD = 1.01

SOURCE_COLUMNS = [
    "enterprise",
    "material",
    "category",
    "kind",
    "generated",
    "drawable",
    "unit",
    "temperature_c",
    "purity",
    "park",
    "city",
    "fate",
    "replacement",
    "fate_cost_cny_per_unit",
    "co2_reversed_t_per_unit",
    "utilised_outside",
]
SINK_COLUMNS = [
    "enterprise",
    "route",
    "kind",
    "capacity",
    "unit",
    "value_cny_per_unit",
    "min_temperature_c",
    "min_purity",
    "park",
    "city",
]
LINK_COLUMNS = [
    "from",
    "to",
    "source_id",
    "use_id",
    "material",
    "route",
    "mode",
    "distance_km",
    "existing",
    "efficiency",
    "transport_cny_per_unit",
    "purification_cny_per_unit",
    "value_cny_per_unit",
    "disposal_cny_per_unit",
    "fixed_cny_per_a",
    "co2_avoided_t_per_unit",
    "co2_transport_t_per_unit",
    "bound",
    "from_park",
    "to_park",
    "class",
    "fate",
    "co2_reversed_t_per_unit",
    "baseline_quantity",
]


@dataclass
class CandidateNetwork:
    """The candidate network of a scenario (see the module docstring for the tables)."""

    sources: pd.DataFrame
    sinks: pd.DataFrame
    stock: pd.DataFrame
    links: pd.DataFrame
    enterprises: pd.DataFrame = field(repr=False, default_factory=pd.DataFrame)
    _graph: nx.MultiDiGraph | None = field(default=None, repr=False)
    #: Candidate facilities (index ``facility_id``, :data:`FACILITY_COLUMNS`; issue 12).
    facilities: pd.DataFrame = field(repr=False, default_factory=pd.DataFrame)
    #: Their size ladders (index ``f:S``, :data:`LADDER_COLUMNS`; docs/model.md "Facilities").
    ladder: pd.DataFrame = field(repr=False, default_factory=pd.DataFrame)

    @property
    def graph(self) -> nx.MultiDiGraph:
        """Enterprises as nodes, candidate links as edges keyed by ``link_id`` (built lazily)."""
        if self._graph is None:
            self._graph = _graph(self.enterprises, self.links)
        return self._graph


def _graph(enterprises: pd.DataFrame, links: pd.DataFrame) -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    cols = [c for c in ("name", "park", "sector", "lon", "lat", "city") if c in enterprises.columns]
    attrs = enterprises[cols].to_dict(orient="index")
    g.add_nodes_from(attrs.items())
    if len(links):
        data = links.to_dict(orient="records")
        g.add_edges_from(
            (d["from"], d["to"], lid, d) for lid, d in zip(links.index, data, strict=True)
        )
    return g


# ---------------------------------------------------------------------------------------------
# sources, sinks, stock
# ---------------------------------------------------------------------------------------------
def _sources(scenario: Scenario) -> tuple[pd.DataFrame, pd.DataFrame]:
    cat = scenario.catalogue
    mat = cat.materials
    ent = scenario.enterprises
    sup = scenario.supplies
    kind = sup["material"].map(mat["kind"]).astype(str)
    solid = sup[kind == "solid"]
    other = sup[kind != "solid"]

    solid = solid.assign(
        fate=_col(solid, "fate", "stored").replace("", "stored"),
        fate_cost=_col(solid, "fate_cost", np.nan).astype(float),
        utilised_outside=_col(solid, "utilised_outside", 0.0).astype(float),
    )
    keys = ["enterprise", "material", "fate"]
    pooled = solid.groupby(keys, sort=True, as_index=False).agg(
        generated=("quantity", "sum"),
        utilised_outside=("utilised_outside", "sum"),
        fate_cost=("fate_cost", "max"),
        fate_cost_min=("fate_cost", "min"),
    )
    clash = pooled["fate_cost"].notna() & (pooled["fate_cost"] != pooled["fate_cost_min"])
    if clash.any():
        from parkflow.errors import Problem, ScenarioError

        bad = pooled[clash]
        raise ScenarioError(
            [
                Problem(
                    file="supplies.csv",
                    message=(
                        f"supplies of {m} at {e} ({f}) give different fate_cost values; "
                        "they are one heap"
                    ),
                    fix="give the same fate_cost on every row of the heap, or leave it blank",
                )
                for e, m, f in zip(bad["enterprise"], bad["material"], bad["fate"], strict=True)
            ]
        )
    pooled = pooled.drop(columns="fate_cost_min")
    stk = scenario.stockpiles
    if len(stk):
        draw_sum = (
            stk.groupby(["enterprise", "material"], sort=True, as_index=False)["max_draw"]
            .sum()
            .rename(columns={"max_draw": "drawable"})
        )
        draw_sum["fate"] = "stored"
        pooled = pooled.merge(draw_sum, on=keys, how="outer")
    else:
        pooled["drawable"] = 0.0
    for c in ("generated", "drawable", "utilised_outside"):
        pooled[c] = pooled[c].fillna(0.0).astype(float)
    # one id per (enterprise, material) when it has one fate (today's ids), else one per fate
    n_fates = pooled.groupby(["enterprise", "material"])["fate"].transform("size")
    base_id = pooled["enterprise"].astype(str) + ":" + pooled["material"].astype(str)
    pooled.index = pd.Index(
        base_id.where(n_fates == 1, base_id + ":" + pooled["fate"]), name="source_id"
    )
    pooled["temperature_c"] = np.nan
    pooled["purity"] = np.nan
    pooled["replacement"] = ""

    single = pd.DataFrame(
        {
            "enterprise": other["enterprise"].to_numpy(),
            "material": other["material"].to_numpy(),
            "generated": other["quantity"].to_numpy(dtype=float),
            "drawable": 0.0,
            "temperature_c": other["temperature_c"].to_numpy(dtype=float),
            "purity": other["purity"].to_numpy(dtype=float),
            "fate": _col(other, "fate", "").to_numpy(),
            "replacement": _col(other, "replacement", "").to_numpy(),
            "fate_cost": _col(other, "fate_cost", np.nan).to_numpy(dtype=float),
            "utilised_outside": _col(other, "utilised_outside", 0.0).to_numpy(dtype=float),
        },
        index=pd.Index(
            other["enterprise"].astype(str)
            + ":"
            + other["material"].astype(str)
            + ":"
            + other.index.astype(str),
            name="source_id",
        ),
    )
    src = pd.concat([pooled, single]) if len(single) else pooled
    src["enterprise"] = src["enterprise"].astype(str)
    src["material"] = src["material"].astype(str)
    src["category"] = src["material"].map(mat["category"]).astype(str)
    src["kind"] = src["material"].map(mat["kind"]).astype(str)
    src["unit"] = src["kind"].map({"heat": "GJ/a"}).fillna("t/a").astype(str)
    src["park"] = src["enterprise"].map(ent["park"]).fillna("").astype(str)
    city = ent["city"] if "city" in ent.columns else pd.Series("", index=ent.index)
    src["city"] = src["enterprise"].map(city).fillna("").astype(str)
    src = _fate_terms(src, cat)
    src = src[SOURCE_COLUMNS]

    stored = src[(src["kind"] == "solid") & (src["fate"] == "stored")]
    stored_id = pd.Series(stored.index, index=stored["enterprise"] + ":" + stored["material"])
    stock_key = stk["enterprise"].astype(str) + ":" + stk["material"].astype(str)
    stock = pd.DataFrame(
        {
            "source_id": stock_key.map(stored_id).fillna(stock_key).to_numpy(),
            "enterprise": stk["enterprise"].astype(str).to_numpy(),
            "material": stk["material"].astype(str).to_numpy(),
            "max_draw": stk["max_draw"].to_numpy(dtype=float) if len(stk) else np.zeros(0),
        },
        index=pd.Index(stk.index.astype(str), name="stockpile_id"),
    )
    return src, stock


def _col(df: pd.DataFrame, column: str, default: object) -> pd.Series:
    """A column of a supplies frame, or ``default`` (version-1 frames built in code)."""
    if column in df.columns:
        out = df[column]
        return out.fillna(default) if not isinstance(default, float) or default == default else out
    return pd.Series(default, index=df.index)


def _fate_terms(src: pd.DataFrame, cat: Catalogue) -> pd.DataFrame:
    r"""Add each source's fate cost :math:`w_s` and CO₂ reversed :math:`\rho_s`.

    ``fate_cost_cny_per_unit``: the supply's ``fate_cost``, else the fate's rule — stacking cost
    (``stored``), the fate's ``avoided_cost_cny_per_unit`` (``landfilled`` 60), the material's
    environmental-protection tax (``dumped``), 0 for gases and heat. ``co2_reversed_t_per_unit``:
    LHV × the replacement fuel's factor for ``fuel``, else the fate's column (0).
    """
    from parkflow.models.schema import DEFAULT_FATE

    out = src.copy()
    out["fate"] = out["fate"].fillna("").astype(str)
    out["fate"] = out["fate"].where(out["fate"] != "", out["kind"].map(DEFAULT_FATE)).fillna("")
    fates = cat.fates
    stack = (
        cat.stacking_costs["cost_cny_per_t"] if len(cat.stacking_costs) else pd.Series(dtype=float)
    )
    tax = cat.materials["env_tax_cny_per_t"].astype(float)
    rule = (
        out["fate"].map(fates["avoided_cost_rule"]).fillna("fixed")
        if len(fates)
        else pd.Series("fixed", index=out.index)
    )
    fixed = (
        out["fate"].map(fates["avoided_cost_cny_per_unit"]).astype(float)
        if len(fates)
        else pd.Series(0.0, index=out.index)
    )
    w = np.select(
        [rule == "stacking_costs", rule == "env_tax"],
        [
            out["material"].map(stack).astype(float).fillna(0.0).to_numpy(),
            out["material"].map(tax).astype(float).fillna(0.0).to_numpy(),
        ],
        fixed.fillna(0.0).to_numpy(),
    )
    given = out["fate_cost"].astype(float)
    out["fate_cost_cny_per_unit"] = np.where(given.notna(), given, w)
    out["replacement"] = out["replacement"].fillna("").astype(str)
    is_fuel = (
        (out["fate"].map(fates["co2_rule"]) == "lhv_times_replacement").fillna(False)
        if len(fates)
        else pd.Series(False, index=out.index)
    )
    repl = out["replacement"].where(
        out["replacement"] != "",
        out["fate"].map(fates["replacement"]).fillna("natural_gas")
        if len(fates)
        else "natural_gas",
    )
    fuels = cat.replacement_fuels
    if len(fuels):
        lhv_ef = (fuels["hydrogen_lhv_gj_per_t"] * fuels["co2_t_per_gj"]).astype(float)
        by_fuel = repl.map(lhv_ef).astype(float).fillna(0.0).to_numpy()
    else:
        by_fuel = np.zeros(len(out))
    plain = (
        out["fate"].map(fates["co2_reversed_t_per_unit"]).astype(float).fillna(0.0).to_numpy()
        if len(fates)
        else np.zeros(len(out))
    )
    out["co2_reversed_t_per_unit"] = np.where(is_fuel.to_numpy(dtype=bool), by_fuel, plain)
    out.loc[is_fuel.to_numpy(dtype=bool), "replacement"] = repl[is_fuel.to_numpy(dtype=bool)]
    out["utilised_outside"] = out["utilised_outside"].astype(float).fillna(0.0)
    return out


def _sinks(scenario: Scenario) -> pd.DataFrame:
    cat = scenario.catalogue
    routes = cat.routes
    uses = scenario.uses
    ent = scenario.enterprises
    value = uses["value"].astype(float).fillna(uses["route"].map(routes["value_cny_per_unit"]))
    out = pd.DataFrame(
        {
            "enterprise": uses["enterprise"].astype(str),
            "route": uses["route"].astype(str),
            "capacity": uses["capacity"].astype(float),
            "unit": uses["unit"].astype(str),
            "value_cny_per_unit": value.astype(float).fillna(0.0),
            "min_temperature_c": uses["min_temperature_c"]
            .astype(float)
            .fillna(uses["route"].map(routes["min_temperature_c"]).astype(float)),
            "min_purity": uses["min_purity"]
            .astype(float)
            .fillna(uses["route"].map(routes["min_purity"]).astype(float)),
        },
        index=pd.Index(uses.index.astype(str), name="use_id"),
    )
    first = routes["accepts"].map(lambda a: a[0] if len(a) else "")
    out["kind"] = out["route"].map(first).map(cat.materials["kind"]).fillna("solid").astype(str)
    out["park"] = out["enterprise"].map(ent["park"]).fillna("").astype(str)
    city = ent["city"] if "city" in ent.columns else pd.Series("", index=ent.index)
    out["city"] = out["enterprise"].map(city).fillna("").astype(str)
    return out[SINK_COLUMNS]


def _modes(scenario: Scenario) -> pd.DataFrame:
    """Modes exploded by the kinds they carry: one row per (mode, kind)."""
    modes = scenario.catalogue.modes.copy()
    modes.index.name = "mode"
    m = modes.reset_index()
    m["kind"] = m["carries"].map(
        lambda c: (
            tuple(c) if isinstance(c, (tuple, list)) else tuple(str(c).replace(",", ";").split(";"))
        )
    )
    m = m.explode("kind")
    m["kind"] = m["kind"].astype(str).str.strip()
    for col in (
        "cost_cny_per_tkm",
        "handling_cny_per_t",
        "fixed_cny_per_a",
        "fixed_cny_per_km_a",
        "co2_t_per_tkm",
        "reach_km",
        "detour",
        "loss_per_km",
    ):
        m[col] = pd.to_numeric(m[col], errors="coerce").fillna(1.0 if col == "detour" else 0.0)
    sided = m.get("sided_handling_cny_per_t", np.nan)
    m["sided_handling_cny_per_t"] = pd.to_numeric(sided, errors="coerce")
    return m[
        [
            "mode",
            "kind",
            "cost_cny_per_tkm",
            "handling_cny_per_t",
            "fixed_cny_per_a",
            "fixed_cny_per_km_a",
            "co2_t_per_tkm",
            "reach_km",
            "detour",
            "loss_per_km",
            "sided_handling_cny_per_t",
        ]
    ].reset_index(drop=True)


def _door_to_door(df: pd.DataFrame, scenario: Scenario) -> pd.DataFrame:
    """Handling per unit, door to door: the sided handling where both plants have a siding.

    Rail's ``handling_cny_per_t`` (70 CNY/t) pays trucking to and from the stations and loading
    at both ends; when the ``from`` and the ``to`` enterprise both have ``rail_siding`` the mode's
    ``sided_handling_cny_per_t`` (25 CNY/t) applies instead (docs/catalogue.md, transport).

    Parameters
    ----------
    df : pandas.DataFrame
        Link rows with ``from``, ``to``, ``handling_cny_per_t`` and
        ``sided_handling_cny_per_t``.
    scenario : Scenario
        Gives ``enterprises.rail_siding`` (absent: no plant has a siding).

    Returns
    -------
    pandas.DataFrame
        ``df`` with ``handling_cny_per_t`` replaced where both ends have a siding.
    """
    if len(df) == 0 or "sided_handling_cny_per_t" not in df:
        return df
    ent = scenario.enterprises
    if "rail_siding" not in ent.columns:
        return df
    siding = ent["rail_siding"].fillna(False).astype(bool)
    both = (
        df["from"].map(siding).fillna(False).astype(bool).to_numpy()
        & df["to"].map(siding).fillna(False).astype(bool).to_numpy()
    )
    sided = df["sided_handling_cny_per_t"].to_numpy(dtype=float)
    use = both & ~np.isnan(sided)
    if use.any():
        df["handling_cny_per_t"] = np.where(
            use, sided, df["handling_cny_per_t"].to_numpy(dtype=float)
        )
    return df


def _route_mode_ok(df: pd.DataFrame, routes: pd.DataFrame) -> np.ndarray:
    """Mask of rows whose ``mode`` the ``route`` allows (a route with no ``modes`` allows any)."""
    if "modes" not in routes.columns or len(df) == 0:
        return np.ones(len(df), dtype=bool)
    allowed = routes["modes"].map(lambda m: tuple(m) if isinstance(m, (tuple, list)) else ())
    restricted = allowed[allowed.map(len) > 0]
    if restricted.empty:
        return np.ones(len(df), dtype=bool)
    pairs = {f"{r}|{m}" for r, ms in restricted.items() for m in ms}  # a few routes
    route = df["route"].astype(str)
    key = route + "|" + df["mode"].astype(str)
    return (~route.isin(list(restricted.index)) | key.isin(list(pairs))).to_numpy(dtype=bool)


def _accepts(scenario: Scenario) -> pd.DataFrame:
    r = scenario.catalogue.routes["accepts"]
    acc = pd.DataFrame({"route": r.index.astype(str), "material": r.to_numpy()}).explode("material")
    return acc.dropna().astype(str).drop_duplicates()


# ---------------------------------------------------------------------------------------------
# geometry
# ---------------------------------------------------------------------------------------------
def _unit_xyz(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    lo = np.radians(lon)
    la = np.radians(lat)
    return np.column_stack([np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)])


def _pairs(
    ent: pd.DataFrame, from_ids: np.ndarray, to_ids: np.ndarray, radius_km: float
) -> pd.DataFrame:
    """Enterprise pairs (from, to) within ``radius_km`` geodesic, with their distance (km)."""
    if len(from_ids) == 0 or len(to_ids) == 0 or radius_km < 0:
        return pd.DataFrame({"from": [], "to": [], "geodesic_km": []})
    lon = ent["lon"].astype(float)
    lat = ent["lat"].astype(float)
    a = _unit_xyz(lon.loc[from_ids].to_numpy(), lat.loc[from_ids].to_numpy())
    b = _unit_xyz(lon.loc[to_ids].to_numpy(), lat.loc[to_ids].to_numpy())
    chord = min(2.0, radius_km * _PAD / _EARTH_KM + 1e-9)
    hits = cKDTree(a).sparse_distance_matrix(cKDTree(b), chord, output_type="ndarray")
    i = hits["i"].astype(np.int64)
    j = hits["j"].astype(np.int64)
    # zero chord distances are dropped by some scipy versions: add same-point pairs explicitly
    same = pd.Index(to_ids).get_indexer(from_ids)
    keep = same >= 0
    i = np.concatenate([i, np.flatnonzero(keep)])
    j = np.concatenate([j, same[keep]])
    pairs = pd.DataFrame({"i": i, "j": j}).drop_duplicates()
    fr = from_ids[pairs["i"].to_numpy()]
    to = to_ids[pairs["j"].to_numpy()]
    d = geodesic_km(
        lon.loc[fr].to_numpy(),
        lat.loc[fr].to_numpy(),
        lon.loc[to].to_numpy(),
        lat.loc[to].to_numpy(),
    )
    out = pd.DataFrame({"from": fr, "to": to, "geodesic_km": d})
    return out[out["geodesic_km"] <= radius_km].reset_index(drop=True)


#: Default bound on automatic candidates per (source, route): the nearest uses kept.
DEFAULT_MAX_CANDIDATES = 50


def max_candidates(scenario: Scenario) -> int | None:
    """The scenario's ``max_candidates_per_supply`` (``Settings.extra``); None = unbounded.

    Default :data:`DEFAULT_MAX_CANDIDATES`; ``0``, ``none`` or ``all`` in scenario.yaml lift the
    bound.

    >>> from types import SimpleNamespace as NS
    >>> max_candidates(NS(settings=NS(extra={"max_candidates_per_supply": 30})))
    30
    >>> max_candidates(NS(settings=NS(extra={"max_candidates_per_supply": "none"}))) is None
    True
    """
    extra = scenario.settings.extra or {}
    value = extra.get("max_candidates_per_supply", DEFAULT_MAX_CANDIDATES)
    if value is None or str(value).strip().lower() in ("none", "all", "0", ""):
        return None
    try:
        k = int(float(value))
    except (TypeError, ValueError) as exc:
        msg = f"max_candidates_per_supply {value!r} is not a whole number"
        raise ValueError(msg) from exc
    return k if k > 0 else None


def _knn_pairs(
    ent: pd.DataFrame,
    ks: pd.DataFrame,
    ku: pd.DataFrame,
    accepts: pd.DataFrame,
    radius_km: float,
    k: int,
) -> pd.DataFrame:
    """Per route, each supplying enterprise's ``k`` nearest using enterprises within ``radius_km``.

    A KD-tree ``k``-nearest query per route (a handful of routes; never all pairs): at most
    ``k`` pairs per (enterprise, route). Columns ``from``, ``to``, ``route``, ``geodesic_km``.
    """
    lon = ent["lon"].astype(float)
    lat = ent["lat"].astype(float)
    chord = min(2.0, radius_km * _PAD / _EARTH_KM + 1e-9)
    parts = []
    for route, ru in ku.groupby("route", sort=True):
        mats = accepts.loc[accepts["route"] == route, "material"]
        rs = ks[ks["material"].isin(list(mats))]
        if rs.empty:
            continue
        f_ids = np.asarray(pd.unique(rs["enterprise"].to_numpy()), dtype=object)
        t_ids = np.asarray(pd.unique(ru["enterprise"].to_numpy()), dtype=object)
        kk = min(k, len(t_ids))
        a = _unit_xyz(lon.loc[f_ids].to_numpy(), lat.loc[f_ids].to_numpy())
        b = _unit_xyz(lon.loc[t_ids].to_numpy(), lat.loc[t_ids].to_numpy())
        _, j = cKDTree(b).query(a, k=kk, distance_upper_bound=chord)
        j = np.asarray(j).reshape(len(f_ids), kk)
        i = np.repeat(np.arange(len(f_ids)), kk)
        j = j.ravel()
        hit = j < len(t_ids)
        fr, to = f_ids[i[hit]], t_ids[j[hit]]
        parts.append(pd.DataFrame({"from": fr, "to": to, "route": str(route)}))
    if not parts:
        return pd.DataFrame({"from": [], "to": [], "route": [], "geodesic_km": []})
    out = pd.concat(parts, ignore_index=True)
    out["geodesic_km"] = geodesic_km(
        lon.loc[out["from"]].to_numpy(),
        lat.loc[out["from"]].to_numpy(),
        lon.loc[out["to"]].to_numpy(),
        lat.loc[out["to"]].to_numpy(),
    )
    return out[out["geodesic_km"] <= radius_km].reset_index(drop=True)


def _nearest_per_source(df: pd.DataFrame, k: int) -> pd.DataFrame:
    """Keep per (source, route) the ``k`` nearest (source, use) rows (ties: use id)."""
    df = df.sort_values(["source_id", "route", "geodesic_km", "use_id"], kind="stable")
    rank = df.groupby(["source_id", "route"], sort=False).cumcount().to_numpy()
    return df[rank < k]


# ---------------------------------------------------------------------------------------------
# links
# ---------------------------------------------------------------------------------------------
#: The source columns a (source, use) pair carries, for the candidate and the hand-given links.
_PAIR_SOURCE_COLUMNS = [
    "source_id",
    "enterprise",
    "material",
    "kind",
    "generated",
    "drawable",
    "temperature_c",
    "purity",
    "park",
]


def _source_sink_pairs(
    src: pd.DataFrame, snk: pd.DataFrame, pairs: pd.DataFrame, accepts: pd.DataFrame
) -> pd.DataFrame:
    s = src.reset_index()[_PAIR_SOURCE_COLUMNS]
    u = snk.reset_index()[
        [
            "use_id",
            "enterprise",
            "route",
            "capacity",
            "value_cny_per_unit",
            "min_temperature_c",
            "min_purity",
            "park",
        ]
    ]
    df = pairs.merge(s.rename(columns={"enterprise": "from", "park": "from_park"}), on="from")
    df = df.merge(accepts, on=["material", "route"] if "route" in pairs else "material")
    df = df.merge(u.rename(columns={"enterprise": "to", "park": "to_park"}), on=["to", "route"])
    return df


def _with_modes(df: pd.DataFrame, modes: pd.DataFrame) -> pd.DataFrame:
    return df.merge(modes, on="kind")


def _finish(df: pd.DataFrame, scenario: Scenario) -> pd.DataFrame:
    """Compute the per-unit parameters of link rows that hold distance_km and the mode columns."""
    mat = scenario.catalogue.materials
    routes = scenario.catalogue.routes
    df = _door_to_door(df, scenario)
    d = df["distance_km"].to_numpy(dtype=float)
    eff = np.clip(1.0 - df["loss_per_km"].to_numpy(dtype=float) * d, 0.0, 1.0)
    df["efficiency"] = eff
    df["transport_cny_per_unit"] = df["cost_cny_per_tkm"].to_numpy(dtype=float) * d + df[
        "handling_cny_per_t"
    ].to_numpy(dtype=float)
    mode_fixed = (
        df["fixed_cny_per_a"].to_numpy(dtype=float)
        + df["fixed_cny_per_km_a"].to_numpy(dtype=float) * d
    )
    override = (
        df["fixed_override"].to_numpy(dtype=float)
        if "fixed_override" in df
        else np.full(len(df), np.nan)
    )
    df["fixed_cny_per_a"] = np.where(np.isnan(override), mode_fixed, override)
    df["disposal_cny_per_unit"] = (
        df["material"].map(mat["env_tax_cny_per_t"]).astype(float).fillna(0.0).to_numpy()
    )
    df["co2_avoided_t_per_unit"] = (
        df["route"].map(routes["co2_avoided_t_per_unit"]).astype(float).fillna(0.0).to_numpy()
    )
    df["co2_transport_t_per_unit"] = df["co2_t_per_tkm"].to_numpy(dtype=float) * d
    supply = df["generated"].to_numpy(dtype=float) + df["drawable"].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        cap = np.where(eff > 0, df["capacity"].to_numpy(dtype=float) / eff, 0.0)
    df["bound"] = np.minimum(supply, cap)
    df["existing"] = df["existing"].astype(bool)
    return df


def _table_links(
    scenario: Scenario, src: pd.DataFrame, snk: pd.DataFrame, modes: pd.DataFrame
) -> pd.DataFrame:
    """The scenario's links table as candidate rows (ids kept)."""
    lk = scenario.links
    if len(lk) == 0:
        return pd.DataFrame()
    ent = scenario.enterprises
    routes = scenario.catalogue.routes
    t = pd.DataFrame(
        {
            "link_id": lk.index.astype(str),
            "from": lk["from"].astype(str).to_numpy(),
            "to": lk["to"].astype(str).to_numpy(),
            "material": lk["material"].astype(str).to_numpy(),
            "route": lk["route"].astype(str).to_numpy(),
            "mode_given": lk["mode"].fillna("").astype(str).to_numpy(),
            "existing": lk["existing"].fillna(False).astype(bool).to_numpy(),
            "fixed_override": lk["fixed_cost"].astype(float).to_numpy(),
            "distance_given": lk["distance_km"].astype(float).to_numpy(),
            "order": np.arange(len(lk)),
        }
    )
    t["geodesic_km"] = geodesic_km(
        ent["lon"].reindex(t["from"]).to_numpy(dtype=float),
        ent["lat"].reindex(t["from"]).to_numpy(dtype=float),
        ent["lon"].reindex(t["to"]).to_numpy(dtype=float),
        ent["lat"].reindex(t["to"]).to_numpy(dtype=float),
    )
    s = src.reset_index()[_PAIR_SOURCE_COLUMNS]
    s = s.rename(columns={"enterprise": "from", "park": "from_park"})
    df = t.merge(s, on=["from", "material"], how="inner")
    u = snk.reset_index()[
        [
            "use_id",
            "enterprise",
            "route",
            "capacity",
            "value_cny_per_unit",
            "min_temperature_c",
            "min_purity",
            "park",
        ]
    ]
    df = df.merge(
        u.rename(columns={"enterprise": "to", "park": "to_park"}), on=["to", "route"], how="inner"
    )
    ok, purification = quality_rule(df, routes)
    df["purification_cny_per_unit"] = purification
    # prefer a (source, use) pair that meets the quality rule, then the first in table order
    df["_bad"] = ~ok
    df = df.sort_values(["order", "_bad", "source_id", "use_id"], kind="stable")
    df = df.drop_duplicates("order", keep="first")
    df = df.merge(modes, on="kind", how="inner")
    given = df["mode_given"] != ""
    # a mode written in the table is kept as written; otherwise one the route allows
    df = df[
        (given & (df["mode"] == df["mode_given"])) | (~given & _route_mode_ok(df, routes))
    ].copy()
    df["distance_km"] = df["distance_given"].where(
        df["distance_given"].notna(), df["geodesic_km"] * df["detour"]
    )
    df = _door_to_door(df, scenario)
    df["_unit_cost"] = df["cost_cny_per_tkm"] * df["distance_km"] + df["handling_cny_per_t"]
    df["_fixed"] = df["fixed_override"].where(
        df["fixed_override"].notna(),
        df["fixed_cny_per_a"] + df["fixed_cny_per_km_a"] * df["distance_km"],
    )
    df = df.sort_values(["order", "_unit_cost", "_fixed", "mode"], kind="stable")
    df = df.drop_duplicates("order", keep="first")
    return df.drop(
        columns=["_bad", "_unit_cost", "_fixed", "mode_given", "distance_given", "order"]
    )


def link_class(routes: pd.Series, materials: pd.Series, catalogue: Catalogue) -> np.ndarray:
    """The counting class of each (route, material): ``route_classes``, else ``routes.class``.

    Parameters
    ----------
    routes, materials : Series
        Route and material id per link.
    catalogue : Catalogue

    Returns
    -------
    ndarray of str
        ``utilisation`` or ``safe_disposal`` per link (docs/model.md#counting-classes).
    """
    # one answer per distinct (route, material): a province has millions of links, a few pairs
    r_codes, r_uni = pd.factorize(np.asarray(routes, dtype=str))
    m_codes, m_uni = pd.factorize(np.asarray(materials, dtype=str))
    pair = r_codes.astype(np.int64) * max(1, len(m_uni)) + m_codes
    uniq, inv = np.unique(pair, return_inverse=True)
    u_routes = pd.Series(np.asarray(r_uni, dtype=str)[uniq // max(1, len(m_uni))])
    u_mats = pd.Series(np.asarray(m_uni, dtype=str)[uniq % max(1, len(m_uni))])
    rc = catalogue.route_classes
    by_route = (
        catalogue.routes["class"] if "class" in catalogue.routes.columns else pd.Series(dtype=str)
    ).replace("", np.nan)
    out = u_routes.map(by_route).fillna("utilisation").astype(str)
    if len(rc):
        key = u_routes + ":" + u_mats
        over = key.map(rc["class"].replace("", np.nan))
        out = over.where(over.notna(), out)
    return out.to_numpy(dtype=object).astype(str)[inv.reshape(-1)]


def _fate_and_class(links: pd.DataFrame, src: pd.DataFrame, scenario: Scenario) -> pd.DataFrame:
    """The fate terms of each link's source, its class, the bound on G − O, baseline flows."""
    # one look-up of each link's source (a map per column costs a hash of every id each time)
    pos = src.index.get_indexer(links["source_id"])
    found = pos >= 0
    at = np.maximum(pos, 0)

    def of_source(values: pd.Series, fill: Any) -> np.ndarray:
        arr = values.to_numpy()
        return np.where(found, arr[at] if len(arr) else fill, fill)

    links["disposal_cny_per_unit"] = of_source(
        src["fate_cost_cny_per_unit"].astype(float).fillna(0.0), 0.0
    ).astype(float)
    links["co2_reversed_t_per_unit"] = of_source(
        src["co2_reversed_t_per_unit"].astype(float).fillna(0.0), 0.0
    ).astype(float)
    links["fate"] = of_source(src["fate"].fillna("").astype(str).astype(object), "").astype(str)
    links["class"] = link_class(links["route"], links["material"], scenario.catalogue)
    supply = of_source(
        (src["generated"] - src["utilised_outside"] + src["drawable"]).astype(float).fillna(0.0),
        0.0,
    ).astype(float)
    links["bound"] = np.minimum(links["bound"].to_numpy(dtype=float), supply)
    lk = scenario.links
    if "baseline_quantity" in lk.columns and len(lk):
        base = lk["baseline_quantity"].astype(float)
        b_pos = pd.Index(base.index.astype(str)).get_indexer(links.index.astype(str))
        vals = base.to_numpy(dtype=float)
        links["baseline_quantity"] = np.where(
            b_pos >= 0, vals[np.maximum(b_pos, 0)] if len(vals) else np.nan, np.nan
        )
    else:
        links["baseline_quantity"] = np.nan
    return links


def candidate_links(scenario: Scenario) -> CandidateNetwork:
    """Build the candidate network of a scenario (docs/model.md, "Candidate links").

    Parameters
    ----------
    scenario : Scenario
        A loaded scenario (canonical units, WGS-84 coordinates).

    Returns
    -------
    CandidateNetwork
        ``sources`` (index ``source_id``), ``sinks`` (index ``use_id``), ``stock`` (index
        ``stockpile_id``), ``links`` (index ``link_id``, columns :data:`LINK_COLUMNS`; money in
        CNY per canonical unit or CNY/a, distances in km, CO₂ in t per unit) and ``graph``.

    Examples
    --------
    >>> import parkflow as pf
    >>> net = candidate_links(pf.load_scenario(pf.bundled_scenario_path()))
    >>> sorted(net.links["mode"].unique())
    ['hot_water_pipe', 'hydrogen_pipeline', 'rail', 'steam_pipe', 'truck', 'tube_trailer']
    """
    src, stock = _sources(scenario)
    snk = _sinks(scenario)
    modes = _modes(scenario)
    ent = scenario.enterprises
    accepts = _accepts(scenario)
    uses_only = snk
    ent, snk, facilities, ladder = _facility_sinks(scenario, ent, snk)  # issue 12

    parts = []
    table = _table_links(scenario, src, uses_only, modes)
    if len(table):
        table = table.set_index("link_id")
        parts.append(table)

    if scenario.settings.candidates != "links_only" and len(src) and len(snk):
        k_max = max_candidates(scenario)
        autos = []
        for kind, mk in modes.groupby("kind", sort=True):
            ks = src[(src["kind"] == kind) & ((src["generated"] + src["drawable"]) > 0)]
            ku = snk[(snk["kind"] == kind) & (snk["capacity"] > 0)]
            if ks.empty or ku.empty:
                continue
            radius = float((mk["reach_km"] / mk["detour"].where(mk["detour"] > 0, 1.0)).max())
            if k_max is None:
                f_ids = np.asarray(pd.unique(ks["enterprise"].to_numpy()), dtype=object)
                t_ids = np.asarray(pd.unique(ku["enterprise"].to_numpy()), dtype=object)
                pairs = _pairs(ent, f_ids, t_ids, radius)
            else:
                pairs = _knn_pairs(ent, ks, ku, accepts, radius, k_max)
            if pairs.empty:
                continue
            df = _source_sink_pairs(ks, ku, pairs, accepts)
            if df.empty:
                continue
            if k_max is not None:
                df = _nearest_per_source(df, k_max)
            ok, purification = quality_rule(df, scenario.catalogue.routes)
            df = df[ok].assign(purification_cny_per_unit=purification[ok])
            df = _with_modes(df, mk)
            df = df[_route_mode_ok(df, scenario.catalogue.routes)]
            df["distance_km"] = df["geodesic_km"] * df["detour"]
            df = df[df["distance_km"] <= df["reach_km"]]
            autos.append(df)
        if autos:
            auto = pd.concat(autos, ignore_index=True)
            auto["existing"] = False
            auto["fixed_override"] = np.nan
            if len(table):
                key = table["source_id"] + "|" + table["use_id"] + "|" + table["mode"]
                akey = auto["source_id"] + "|" + auto["use_id"] + "|" + auto["mode"]
                auto = auto[~akey.isin(set(key))]
            auto = auto.sort_values(
                ["from", "to", "material", "route", "mode", "source_id", "use_id"], kind="stable"
            ).reset_index(drop=True)
            width = max(5, len(str(len(auto))))
            auto.index = pd.Index([f"C{k + 1:0{width}d}" for k in range(len(auto))], name="link_id")
            parts.append(auto)

    if parts:
        links = pd.concat(parts)
        links = _finish(links, scenario)
        links = _fate_and_class(links, src, scenario)
        links = links[LINK_COLUMNS]
    else:
        links = pd.DataFrame({c: pd.Series(dtype=float) for c in LINK_COLUMNS})
    links.index = links.index.astype(str)
    links.index.name = "link_id"
    for c in (
        "from",
        "to",
        "source_id",
        "use_id",
        "material",
        "route",
        "mode",
        "from_park",
        "to_park",
        "class",
        "fate",
    ):
        links[c] = links[c].astype(str)
    links["existing"] = links["existing"].astype(bool)
    return CandidateNetwork(
        sources=src,
        sinks=snk,
        stock=stock,
        links=links,
        enterprises=ent,
        facilities=facilities,
        ladder=ladder,
    )


# ---------------------------------------------------------------------------------------------
# candidate facilities (issue 12, docs/model.md "Facilities")
# ---------------------------------------------------------------------------------------------
#: Columns of ``CandidateNetwork.facilities`` (one row per candidate facility).
FACILITY_COLUMNS = [
    "use_id",
    "technology",
    "route",
    "enterprise",
    "site",
    "park",
    "lon",
    "lat",
    "existing_size",
    "max_size",
    "unit",
    "variable_cny_per_unit",
    "co2_t_per_unit",
    "max_output_unit_per_a",
    "available_from",
]
#: Columns of ``CandidateNetwork.ladder`` (one row per facility × size step, index ``f:S``).
LADDER_COLUMNS = [
    "facility_id",
    "use_id",
    "technology",
    "step",
    "size",
    "prev_size",
    "delta_size",
    "delta_capex_cny",
    "annual_cny_per_a",
    "available",
]


def crf(rate: float | np.ndarray, life_a: float | np.ndarray) -> np.ndarray:
    r"""Capital-recovery factor :math:`r(1+r)^n / ((1+r)^n - 1)`, :math:`1/n` at :math:`r = 0`.

    Examples
    --------
    >>> round(float(crf(0.08, 20)), 6), round(float(crf(0.10, 10)), 6), float(crf(0.0, 10))
    (0.101852, 0.162745, 0.1)
    """
    r = np.asarray(rate, dtype=float)
    n = np.asarray(life_a, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        g = np.power(1.0 + r, n)
        out = np.where(r > 0, r * g / (g - 1.0), 1.0 / n)
    return out


def discount_rate(scenario: Scenario) -> float:
    """The scenario's ``discount_rate`` (scenario.yaml; default 0.08)."""
    value = (scenario.settings.extra or {}).get("discount_rate", 0.08)
    return 0.08 if value is None else float(value)


def facility_ladder(
    facilities: pd.DataFrame, technologies: pd.DataFrame, rate: float, year: int | None = None
) -> pd.DataFrame:
    r"""The size ladder of every candidate facility (docs/model.md "Facilities").

    Sizes above the existing size :math:`C^0_f`, ascending, step :math:`z = 1, 2, \dots`;
    :math:`\Delta K_{f,z} = K_0 [C^0_f = 0, z = 1] + k_1 \Delta S_{f,z}` (CNY) and
    :math:`A_{f,z} = (\mathrm{CRF}(r, n) + \varphi)\,\Delta K_{f,z} + \mathrm{FOM}\,[C^0_f = 0,
    z = 1]` (CNY/a). Vectorised (explode, cumcount, shift). ``available`` is false for a
    facility whose ``available_from`` is after ``year`` (its steps get upper bound 0).

    Returns
    -------
    DataFrame
        Index ``f:S`` (e.g. ``F1:100000``), columns :data:`LADDER_COLUMNS`.
    """
    if facilities is None or len(facilities) == 0:
        return pd.DataFrame(
            {c: pd.Series(dtype=float) for c in LADDER_COLUMNS}, index=pd.Index([], name="step_id")
        )
    f = facilities.reset_index()
    f["size"] = f["sizes"].astype(str).str.split(";")
    f = f.explode("size")
    f = f[f["size"].astype(str).str.strip() != ""].copy()
    f["size"] = f["size"].astype(float)
    f = f[f["size"] > f["existing"]].sort_values(["facility_id", "size"], kind="stable")
    f["step"] = f.groupby("facility_id").cumcount() + 1
    f["prev_size"] = f.groupby("facility_id")["size"].shift(1)
    f["prev_size"] = f["prev_size"].fillna(f["existing"]).astype(float)
    f["delta_size"] = f["size"] - f["prev_size"]
    t = technologies.reindex(f["technology"])
    first = ((f["step"] == 1) & (f["existing"] <= 0)).to_numpy()
    k0 = t["capex_cny"].to_numpy(dtype=float)
    k1 = t["capex_cny_per_unit_a"].to_numpy(dtype=float)
    dk = np.where(first, k0, 0.0) + k1 * f["delta_size"].to_numpy(dtype=float)
    factor = crf(rate, t["life_a"].to_numpy(dtype=float)) + t["fixed_om_frac_capex_per_a"].to_numpy(
        dtype=float
    )
    fom = np.where(first, t["fixed_om_cny_per_a"].to_numpy(dtype=float), 0.0)
    f["delta_capex_cny"] = dk
    f["annual_cny_per_a"] = factor * dk + fom
    f["use_id"] = "F:" + f["facility_id"].astype(str)
    avail = f["available_from"] if "available_from" in f else pd.Series(np.nan, index=f.index)
    f["available"] = (avail.isna() | (year is None) | (avail <= (year or 0))).to_numpy(bool)
    out = f[LADDER_COLUMNS].copy()
    out.index = pd.Index(
        out["facility_id"].astype(str) + ":" + out["size"].map(lambda v: f"{v:g}"), name="step_id"
    )
    return out


def _facility_sinks(
    scenario: Scenario, ent: pd.DataFrame, snk: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Candidate facilities as sinks ``F:<id>`` (+ synthetic enterprises for free sites).

    Returns (enterprises, sinks, facilities, ladder).
    """
    fac = scenario.facilities
    techs = scenario.catalogue.technologies
    empty = pd.DataFrame(
        {c: pd.Series(dtype=object) for c in FACILITY_COLUMNS},
        index=pd.Index([], name="facility_id"),
    )
    if fac is None or len(fac) == 0 or techs is None:
        return ent, snk, empty, facility_ladder(None, None, 0.0)  # type: ignore[arg-type]
    routes = scenario.catalogue.routes
    fac = fac[fac["technology"].isin(techs.index)]
    t = techs.reindex(fac["technology"])
    t.index = fac.index
    fac = fac[t["route"].isin(routes.index).to_numpy()]
    t = t.loc[fac.index]
    use_id = "F:" + fac.index.astype(str)
    free = fac["site"].astype(str) == ""
    node = np.where(free, use_id, fac["site"].astype(str))
    park = np.where(
        free, fac["park"].astype(str), fac["site"].map(ent["park"]).fillna("").astype(str)
    )
    lon = np.where(free, fac["lon"].astype(float), fac["site"].map(ent["lon"]).astype(float))
    lat = np.where(free, fac["lat"].astype(float), fac["site"].map(ent["lat"]).astype(float))
    sizes = (
        fac["sizes"]
        .astype(str)
        .map(lambda s: max([float(v) for v in s.split(";") if v.strip()] or [0.0]))
    )
    max_size = np.maximum(sizes.to_numpy(dtype=float), fac["existing"].to_numpy(dtype=float))
    facilities = pd.DataFrame(
        {
            "use_id": use_id,
            "technology": fac["technology"].astype(str).to_numpy(),
            "route": t["route"].astype(str).to_numpy(),
            "enterprise": node,
            "site": fac["site"].astype(str).to_numpy(),
            "park": park,
            "lon": lon,
            "lat": lat,
            "existing_size": fac["existing"].to_numpy(dtype=float),
            "max_size": max_size,
            "unit": t["unit"].astype(str).to_numpy(),
            "variable_cny_per_unit": t["variable_cny_per_unit"].to_numpy(dtype=float),
            "co2_t_per_unit": t["co2_t_per_unit"].to_numpy(dtype=float),
            "max_output_unit_per_a": t["max_output_unit_per_a"].to_numpy(dtype=float),
            "available_from": fac["available_from"].to_numpy(dtype=float),
        },
        index=pd.Index(fac.index.astype(str), name="facility_id"),
    )
    new_nodes = facilities[free.to_numpy()]
    if len(new_nodes):
        city = (
            new_nodes["park"].map(scenario.parks["city"])
            if "city" in scenario.parks
            else pd.Series("", index=new_nodes.index)
        )
        extra = pd.DataFrame(
            {
                "name": new_nodes["technology"].to_numpy(),
                "park": new_nodes["park"].to_numpy(),
                "sector": "facility",
                "lon": new_nodes["lon"].to_numpy(),
                "lat": new_nodes["lat"].to_numpy(),
                "city": city.fillna("").astype(str).to_numpy(),
            },
            index=pd.Index(new_nodes["use_id"].to_numpy(), name=ent.index.name),
        )
        if hasattr(ent, "geometry"):
            import geopandas as gpd

            extra = gpd.GeoDataFrame(
                extra,
                geometry=gpd.points_from_xy(extra["lon"], extra["lat"]),
                crs=getattr(ent, "crs", None),
            )
        ent = pd.concat([ent, extra[[c for c in extra.columns if c in ent.columns]]])
    value = (
        t["value_cny_per_unit"]
        .astype(float)
        .fillna(t["route"].map(routes["value_cny_per_unit"]).astype(float))
        .fillna(0.0)
    )
    purity = np.where(
        t["purity_out"].notna(), 0.0, t["route"].map(routes["min_purity"]).astype(float)
    )
    first = routes["accepts"].map(lambda a: a[0] if len(a) else "")
    kind = t["route"].map(first).map(scenario.catalogue.materials["kind"]).fillna("solid")
    city_of = ent["city"] if "city" in ent.columns else pd.Series("", index=ent.index)
    sinks = pd.DataFrame(
        {
            "enterprise": node,
            "route": t["route"].astype(str).to_numpy(),
            "kind": kind.astype(str).to_numpy(),
            "capacity": max_size,
            "unit": t["unit"].astype(str).to_numpy(),
            "value_cny_per_unit": value.to_numpy(),
            "min_temperature_c": t["route"]
            .map(routes["min_temperature_c"])
            .astype(float)
            .to_numpy(),
            "min_purity": purity,
            "park": park,
            "city": pd.Series(node).map(city_of).fillna("").astype(str).to_numpy(),
        },
        index=pd.Index(use_id, name="use_id"),
    )
    snk = pd.concat([snk, sinks[SINK_COLUMNS]])
    ladder = facility_ladder(fac, techs, discount_rate(scenario), scenario.settings.year)
    return ent, snk, facilities[FACILITY_COLUMNS], ladder
