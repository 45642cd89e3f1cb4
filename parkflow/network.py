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
* ``transport_cny_per_unit = cost_cny_per_tkm · distance_km + handling_cny_per_t``;
* ``fixed_cny_per_a = fixed_cny_per_a(mode) + fixed_cny_per_km_a(mode) · distance_km`` (or the
  links table's ``fixed_cost``);
* ``value_cny_per_unit`` — per *delivered* unit (the use's ``value``, else the route's);
* ``disposal_cny_per_unit`` — the material's ``env_tax_cny_per_t`` per unit sent;
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

import networkx as nx
import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

from parkflow.geo import geodesic_km
from parkflow.models.quality import quality_rule
from parkflow.models.scenario import Scenario

__all__ = ["CandidateNetwork", "candidate_links", "max_candidates", "DEFAULT_MAX_CANDIDATES",
           "LINK_COLUMNS", "SOURCE_COLUMNS"]

#: Sphere radius used for the KD-tree search (km); the query radius is padded for the ellipsoid.
_EARTH_KM = 6371.0088
_PAD = 1.01

SOURCE_COLUMNS = ["enterprise", "material", "category", "kind", "generated", "drawable", "unit",
                  "temperature_c", "purity", "park", "city"]
SINK_COLUMNS = ["enterprise", "route", "kind", "capacity", "unit", "value_cny_per_unit",
                "min_temperature_c", "min_purity", "park", "city"]
LINK_COLUMNS = ["from", "to", "source_id", "use_id", "material", "route", "mode", "distance_km",
                "existing", "efficiency", "transport_cny_per_unit", "purification_cny_per_unit",
                "value_cny_per_unit", "disposal_cny_per_unit", "fixed_cny_per_a",
                "co2_avoided_t_per_unit", "co2_transport_t_per_unit", "bound", "from_park",
                "to_park"]


@dataclass
class CandidateNetwork:
    """The candidate network of a scenario (see the module docstring for the tables)."""

    sources: pd.DataFrame
    sinks: pd.DataFrame
    stock: pd.DataFrame
    links: pd.DataFrame
    enterprises: pd.DataFrame = field(repr=False, default_factory=pd.DataFrame)
    _graph: nx.MultiDiGraph | None = field(default=None, repr=False)

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
            (d["from"], d["to"], lid, d) for lid, d in zip(links.index, data, strict=True))
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

    pooled = (solid.groupby(["enterprise", "material"], sort=True, as_index=False)["quantity"].sum()
              .rename(columns={"quantity": "generated"}))
    stk = scenario.stockpiles
    if len(stk):
        draw_sum = (stk.groupby(["enterprise", "material"], sort=True, as_index=False)["max_draw"]
                    .sum().rename(columns={"max_draw": "drawable"}))
        pooled = pooled.merge(draw_sum, on=["enterprise", "material"], how="outer")
    else:
        pooled["drawable"] = 0.0
    pooled["generated"] = pooled["generated"].fillna(0.0).astype(float)
    pooled["drawable"] = pooled["drawable"].fillna(0.0).astype(float)
    pooled.index = pd.Index(pooled["enterprise"].astype(str) + ":" + pooled["material"].astype(str),
                            name="source_id")
    pooled["temperature_c"] = np.nan
    pooled["purity"] = np.nan

    single = pd.DataFrame({
        "enterprise": other["enterprise"].to_numpy(), "material": other["material"].to_numpy(),
        "generated": other["quantity"].to_numpy(dtype=float), "drawable": 0.0,
        "temperature_c": other["temperature_c"].to_numpy(dtype=float),
        "purity": other["purity"].to_numpy(dtype=float)},
        index=pd.Index(other["enterprise"].astype(str) + ":" + other["material"].astype(str)
                       + ":" + other.index.astype(str), name="source_id"))
    src = pd.concat([pooled, single]) if len(single) else pooled
    src["enterprise"] = src["enterprise"].astype(str)
    src["material"] = src["material"].astype(str)
    src["category"] = src["material"].map(mat["category"]).astype(str)
    src["kind"] = src["material"].map(mat["kind"]).astype(str)
    src["unit"] = src["kind"].map({"heat": "GJ/a"}).fillna("t/a").astype(str)
    src["park"] = src["enterprise"].map(ent["park"]).fillna("").astype(str)
    city = ent["city"] if "city" in ent.columns else pd.Series("", index=ent.index)
    src["city"] = src["enterprise"].map(city).fillna("").astype(str)
    src = src[SOURCE_COLUMNS]

    stock = pd.DataFrame({
        "source_id": (stk["enterprise"].astype(str) + ":" + stk["material"].astype(str)).to_numpy(),
        "enterprise": stk["enterprise"].astype(str).to_numpy(),
        "material": stk["material"].astype(str).to_numpy(),
        "max_draw": stk["max_draw"].to_numpy(dtype=float) if len(stk) else np.zeros(0)},
        index=pd.Index(stk.index.astype(str), name="stockpile_id"))
    return src, stock


def _sinks(scenario: Scenario) -> pd.DataFrame:
    cat = scenario.catalogue
    routes = cat.routes
    uses = scenario.uses
    ent = scenario.enterprises
    value = uses["value"].astype(float).fillna(uses["route"].map(routes["value_cny_per_unit"]))
    out = pd.DataFrame({
        "enterprise": uses["enterprise"].astype(str),
        "route": uses["route"].astype(str),
        "capacity": uses["capacity"].astype(float),
        "unit": uses["unit"].astype(str),
        "value_cny_per_unit": value.astype(float).fillna(0.0),
        "min_temperature_c": uses["min_temperature_c"].astype(float).fillna(
            uses["route"].map(routes["min_temperature_c"]).astype(float)),
        "min_purity": uses["min_purity"].astype(float).fillna(
            uses["route"].map(routes["min_purity"]).astype(float)),
    }, index=pd.Index(uses.index.astype(str), name="use_id"))
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
    m["kind"] = m["carries"].map(lambda c: tuple(c) if isinstance(c, (tuple, list)) else
                                 tuple(str(c).replace(",", ";").split(";")))
    m = m.explode("kind")
    m["kind"] = m["kind"].astype(str).str.strip()
    for col in ("cost_cny_per_tkm", "handling_cny_per_t", "fixed_cny_per_a", "fixed_cny_per_km_a",
                "co2_t_per_tkm", "reach_km", "detour", "loss_per_km"):
        m[col] = pd.to_numeric(m[col], errors="coerce").fillna(1.0 if col == "detour" else 0.0)
    return m[["mode", "kind", "cost_cny_per_tkm", "handling_cny_per_t", "fixed_cny_per_a",
              "fixed_cny_per_km_a", "co2_t_per_tkm", "reach_km", "detour", "loss_per_km"]
             ].reset_index(drop=True)


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


def _pairs(ent: pd.DataFrame, from_ids: np.ndarray, to_ids: np.ndarray, radius_km: float
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
    d = geodesic_km(lon.loc[fr].to_numpy(), lat.loc[fr].to_numpy(),
                    lon.loc[to].to_numpy(), lat.loc[to].to_numpy())
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
        raise ValueError(f"max_candidates_per_supply {value!r} is not a whole number") from exc
    return k if k > 0 else None


def _knn_pairs(ent: pd.DataFrame, ks: pd.DataFrame, ku: pd.DataFrame, accepts: pd.DataFrame,
               radius_km: float, k: int) -> pd.DataFrame:
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
    out["geodesic_km"] = geodesic_km(lon.loc[out["from"]].to_numpy(),
                                     lat.loc[out["from"]].to_numpy(),
                                     lon.loc[out["to"]].to_numpy(), lat.loc[out["to"]].to_numpy())
    return out[out["geodesic_km"] <= radius_km].reset_index(drop=True)


def _nearest_per_source(df: pd.DataFrame, k: int) -> pd.DataFrame:
    """Keep per (source, route) the ``k`` nearest (source, use) rows (ties: use id)."""
    df = df.sort_values(["source_id", "route", "geodesic_km", "use_id"], kind="stable")
    rank = df.groupby(["source_id", "route"], sort=False).cumcount().to_numpy()
    return df[rank < k]


# ---------------------------------------------------------------------------------------------
# links
# ---------------------------------------------------------------------------------------------
def _source_sink_pairs(src: pd.DataFrame, snk: pd.DataFrame, pairs: pd.DataFrame,
                       accepts: pd.DataFrame) -> pd.DataFrame:
    s = src.reset_index()[["source_id", "enterprise", "material", "kind", "generated", "drawable",
                           "temperature_c", "purity", "park"]]
    u = snk.reset_index()[["use_id", "enterprise", "route", "capacity", "value_cny_per_unit",
                           "min_temperature_c", "min_purity", "park"]]
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
    d = df["distance_km"].to_numpy(dtype=float)
    eff = np.clip(1.0 - df["loss_per_km"].to_numpy(dtype=float) * d, 0.0, 1.0)
    df["efficiency"] = eff
    df["transport_cny_per_unit"] = df["cost_cny_per_tkm"].to_numpy(dtype=float) * d + df[
        "handling_cny_per_t"].to_numpy(dtype=float)
    mode_fixed = df["fixed_cny_per_a"].to_numpy(dtype=float) + df[
        "fixed_cny_per_km_a"].to_numpy(dtype=float) * d
    override = df["fixed_override"].to_numpy(dtype=float) if "fixed_override" in df else np.full(
        len(df), np.nan)
    df["fixed_cny_per_a"] = np.where(np.isnan(override), mode_fixed, override)
    df["disposal_cny_per_unit"] = df["material"].map(mat["env_tax_cny_per_t"]).astype(
        float).fillna(0.0).to_numpy()
    df["co2_avoided_t_per_unit"] = df["route"].map(routes["co2_avoided_t_per_unit"]).astype(
        float).fillna(0.0).to_numpy()
    df["co2_transport_t_per_unit"] = df["co2_t_per_tkm"].to_numpy(dtype=float) * d
    supply = df["generated"].to_numpy(dtype=float) + df["drawable"].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        cap = np.where(eff > 0, df["capacity"].to_numpy(dtype=float) / eff, 0.0)
    df["bound"] = np.minimum(supply, cap)
    df["existing"] = df["existing"].astype(bool)
    return df


def _table_links(scenario: Scenario, src: pd.DataFrame, snk: pd.DataFrame, modes: pd.DataFrame
                 ) -> pd.DataFrame:
    """The scenario's links table as candidate rows (ids kept)."""
    lk = scenario.links
    if len(lk) == 0:
        return pd.DataFrame()
    ent = scenario.enterprises
    routes = scenario.catalogue.routes
    t = pd.DataFrame({
        "link_id": lk.index.astype(str), "from": lk["from"].astype(str).to_numpy(),
        "to": lk["to"].astype(str).to_numpy(), "material": lk["material"].astype(str).to_numpy(),
        "route": lk["route"].astype(str).to_numpy(),
        "mode_given": lk["mode"].fillna("").astype(str).to_numpy(),
        "existing": lk["existing"].fillna(False).astype(bool).to_numpy(),
        "fixed_override": lk["fixed_cost"].astype(float).to_numpy(),
        "distance_given": lk["distance_km"].astype(float).to_numpy(),
        "order": np.arange(len(lk))})
    t["geodesic_km"] = geodesic_km(ent["lon"].reindex(t["from"]).to_numpy(dtype=float),
                                   ent["lat"].reindex(t["from"]).to_numpy(dtype=float),
                                   ent["lon"].reindex(t["to"]).to_numpy(dtype=float),
                                   ent["lat"].reindex(t["to"]).to_numpy(dtype=float))
    s = src.reset_index()[["source_id", "enterprise", "material", "kind", "generated", "drawable",
                           "temperature_c", "purity", "park"]]
    s = s.rename(columns={"enterprise": "from", "park": "from_park"})
    df = t.merge(s, on=["from", "material"], how="inner")
    u = snk.reset_index()[["use_id", "enterprise", "route", "capacity", "value_cny_per_unit",
                           "min_temperature_c", "min_purity", "park"]]
    df = df.merge(u.rename(columns={"enterprise": "to", "park": "to_park"}), on=["to", "route"],
                  how="inner")
    ok, purification = quality_rule(df, routes)
    df["purification_cny_per_unit"] = purification
    # prefer a (source, use) pair that meets the quality rule, then the first in table order
    df["_bad"] = ~ok
    df = df.sort_values(["order", "_bad", "source_id", "use_id"], kind="stable")
    df = df.drop_duplicates("order", keep="first")
    df = df.merge(modes, on="kind", how="inner")
    given = df["mode_given"] != ""
    # a mode written in the table is kept as written; otherwise one the route allows
    df = df[(given & (df["mode"] == df["mode_given"]))
            | (~given & _route_mode_ok(df, routes))].copy()
    df["distance_km"] = df["distance_given"].where(df["distance_given"].notna(),
                                                   df["geodesic_km"] * df["detour"])
    df["_unit_cost"] = df["cost_cny_per_tkm"] * df["distance_km"] + df["handling_cny_per_t"]
    df["_fixed"] = df["fixed_override"].where(
        df["fixed_override"].notna(), df["fixed_cny_per_a"] + df["fixed_cny_per_km_a"]
        * df["distance_km"])
    df = df.sort_values(["order", "_unit_cost", "_fixed", "mode"], kind="stable")
    df = df.drop_duplicates("order", keep="first")
    return df.drop(columns=["_bad", "_unit_cost", "_fixed", "mode_given", "distance_given",
                            "order"])


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

    parts = []
    table = _table_links(scenario, src, snk, modes)
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
            auto = auto.sort_values(["from", "to", "material", "route", "mode", "source_id",
                                     "use_id"], kind="stable").reset_index(drop=True)
            width = max(5, len(str(len(auto))))
            auto.index = pd.Index([f"C{k + 1:0{width}d}" for k in range(len(auto))],
                                  name="link_id")
            parts.append(auto)

    if parts:
        links = pd.concat(parts)
        links = _finish(links, scenario)
        links = links[LINK_COLUMNS]
    else:
        links = pd.DataFrame({c: pd.Series(dtype=float) for c in LINK_COLUMNS})
    links.index = links.index.astype(str)
    links.index.name = "link_id"
    for c in ("from", "to", "source_id", "use_id", "material", "route", "mode", "from_park",
              "to_park"):
        links[c] = links[c].astype(str)
    links["existing"] = links["existing"].astype(bool)
    return CandidateNetwork(sources=src, sinks=snk, stock=stock, links=links, enterprises=ent)
