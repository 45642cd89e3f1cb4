"""Filing tables from a solve: utilisation rates, targets, before/after, effects and economics.

:func:`build_report` turns a :class:`~parkflow.models.result.Result` (and, when available, its
:class:`~parkflow.models.scenario.Scenario`) into a :class:`Report`: named pandas DataFrames with
headers in Chinese or English (units in the headers) plus metadata. :func:`write_reports` writes
it as Markdown, self-contained HTML (inline SVG charts, no scripts), XLSX (one sheet per table) and
CSV (one file per table). Definitions and the cost-allocation rule are in docs/reporting.md.

The official formula (国家统计局/生态环境部, DOMAIN §1)::

    综合利用率 = 综合利用量 / (产生量 + 综合利用往年贮存量)

where 综合利用量 already includes what was drawn from prior-year stock.

>>> utilisation_rate(80.0, 100.0, 0.0), utilisation_rate(90.0, 100.0, 20.0)
(0.8, 0.75)
"""

from __future__ import annotations

import html
import importlib
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from parkflow.i18n import LANGS, label, sector_name
from parkflow.models.result import Result
from parkflow.models.scenario import BULK_GROUP, Catalogue, Scenario
from parkflow.statistics.utilisation import TAILINGS, is_tailings

#: Sichuan plan targets for bulk industrial solid waste, tailings excluded (DOMAIN §1, [M]).
SICHUAN_TARGETS: dict[int, float] = {2025: 0.78, 2030: 0.82}

#: Categories counted in the bulk total when no catalogue is at hand (DOMAIN §1, SPEC §2).
FALLBACK_BULK_CATEGORIES = ("coal_gangue", "fly_ash", "tailings", "smelting_slag",
                            "byproduct_gypsum", "red_mud", "chemical_residue")
FALLBACK_APART_CATEGORIES = ("waste_heat", "hydrogen")
BULK_TOTAL = "bulk_total"
BULK_EXCL_TAILINGS = "bulk_excl_tailings"

#: Electricity's calorific equivalent, 0.1229 kgce/kWh (GB/T 2589-2020) = tce per MWh.
TCE_PER_MWH_ELECTRICITY = 0.1229
#: ORC heat-to-power efficiency ≈10 % → 27.8 kWh per GJ of heat
#: (estimate [E], routes.csv orc_power).
ORC_MWH_PER_GJ_DEFAULT = 0.10 / 3.6

SCOPE_ORDER = {"all": 0, "park": 1, "city": 2, "enterprise": 3}
FORMATS = ("md", "html", "xlsx", "csv")

# table keys in the order they appear in every format
TABLE_ORDER = ("overview", "targets", "scenario_targets", "solid_waste", "energy_gas",
               "before_after", "links", "effects", "economics_links", "economics_enterprises")

_UTIL_COLUMNS = ("scope_type", "scope_id", "category", "generated", "utilised", "drawn", "unit")


# ---------------------------------------------------------------------------------------------
# the formula
# ---------------------------------------------------------------------------------------------
def utilisation_rate(utilised: Any, generated: Any, drawn: Any = 0.0) -> Any:
    """综合利用率 = 综合利用量 / (产生量 + 综合利用往年贮存量).

    Parameters
    ----------
    utilised : float or array-like
        综合利用量 (t/a), *including* what was drawn from prior-year stock.
    generated : float or array-like
        产生量 (t/a).
    drawn : float or array-like
        其中：综合利用往年贮存量 (t/a).

    Returns
    -------
    float or numpy.ndarray
        The rate as a fraction (0.78 = 78 %); NaN where nothing was generated or drawn.

    Examples
    --------
    >>> utilisation_rate(0.0, 0.0, 0.0)
    nan
    """
    u = np.asarray(utilised, dtype=float)
    d = np.asarray(generated, dtype=float) + np.asarray(drawn, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        r = np.where(d > 0, u / np.where(d > 0, d, 1.0), np.nan)
    return float(r) if r.ndim == 0 else r


def gap_to_target(utilised: Any, generated: Any, drawn: Any, target: float) -> tuple[Any, Any]:
    """Gap to a target rate, in percentage points and in t/a (both 0 when the target is met).

    The t/a gap is the extra utilisation of this year's generation that reaches the target:
    ``max(0, target × (generated + drawn) − utilised)``.

    Examples
    --------
    >>> gap_to_target(70.0, 100.0, 0.0, 0.78)
    (8.0, 8.0)
    """
    u = np.asarray(utilised, dtype=float)
    base = np.asarray(generated, dtype=float) + np.asarray(drawn, dtype=float)
    rate = utilisation_rate(u, generated, drawn)
    gap_pp = np.clip((target - np.nan_to_num(np.asarray(rate, dtype=float), nan=1.0)) * 100.0,
                     0.0, None)
    gap_t = np.clip(target * base - u, 0.0, None)
    gap_pp = np.round(gap_pp, 10)
    gap_t = np.round(gap_t, 9)
    if gap_pp.ndim == 0:
        return float(gap_pp), float(gap_t)
    return gap_pp, gap_t


# ---------------------------------------------------------------------------------------------
# the report object
# ---------------------------------------------------------------------------------------------
@dataclass
class Report:
    """The filing tables of one solve, in one language.

    Attributes
    ----------
    lang : str
        ``"zh"`` or ``"en"``.
    title : str
    meta : dict
        ``scenario, status, objective, year`` (already translated) and ``notes`` (list of str).
    tables : dict of str to pandas.DataFrame
        Keyed by table id (see :data:`TABLE_ORDER`); headers translated, units in the headers
        (or in a unit column where rows differ), numbers raw in canonical units (t/a, GJ/a, CNY/a,
        rates in %).
    titles : dict of str to str
        The translated title of each table.
    kinds : dict of str to dict
        Per table, header → kind (``t, q, pct, pp, cny, price, tco2, mwh, tce, km, int, text``),
        which drives the display format (万t/a, one-decimal percentages...).
    charts : dict
        ``sankey`` (flows: from, to, route, material, flow, unit) and ``rates`` (scope, rate,
        rate_baseline) for the HTML charts.
    """

    lang: str
    title: str
    meta: dict[str, Any]
    tables: dict[str, pd.DataFrame]
    titles: dict[str, str]
    kinds: dict[str, dict[str, str]]
    charts: dict[str, pd.DataFrame] = field(default_factory=dict)

    def table(self, key: str) -> pd.DataFrame:
        """The table ``key`` (KeyError naming the available ones when absent)."""
        if key not in self.tables:
            raise KeyError(f"no table {key!r}; the report has {', '.join(self.tables)}")
        return self.tables[key]


class _Names:
    """Translated names of enterprises, parks, categories, materials, routes and modes."""

    def __init__(self, scenario: Scenario | None, result: Result, catalogue: Catalogue | None,
                 lang: str):
        self.lang = lang
        self.catalogue = catalogue
        self.enterprise: dict[str, str] = {}
        self.enterprise_sector: dict[str, str] = {}
        self.enterprise_park: dict[str, str] = {}
        self.park: dict[str, str] = {}
        src = result.sources
        if src is not None and not src.empty and {"enterprise", "park"} <= set(src.columns):
            pairs = src[["enterprise", "park"]].dropna().drop_duplicates("enterprise")
            self.enterprise_park.update(zip(pairs["enterprise"].astype(str),
                                            pairs["park"].astype(str), strict=True))
        if scenario is not None:
            ent = scenario.enterprises
            if "name" in ent.columns:
                self.enterprise.update(zip(ent.index.astype(str), ent["name"].astype(str),
                                           strict=True))
            if "sector" in ent.columns:
                self.enterprise_sector.update(zip(ent.index.astype(str),
                                                  ent["sector"].astype(str), strict=True))
            if "park" in ent.columns:
                self.enterprise_park.update(zip(ent.index.astype(str), ent["park"].astype(str),
                                                strict=True))
            parks = scenario.parks
            if parks is not None and "name" in parks.columns and len(parks):
                names = parks["name"].astype(str)
                self.park.update({str(k): v for k, v in zip(parks.index, names, strict=True)
                                  if v and v != "nan"})

    def _catalogue_name(self, table: str, key: str, prefix: str) -> str:
        cat = self.catalogue
        col = f"name_{self.lang}"
        if cat is not None:
            frame = getattr(cat, table)
            if key in frame.index and col in frame.columns:
                value = frame.at[key, col]
                if isinstance(value, str) and value:
                    return value
        return label(f"{prefix}:{key}", self.lang, default=str(key))

    def category(self, key: str) -> str:
        if key in (BULK_TOTAL, BULK_EXCL_TAILINGS):
            return label(key, self.lang)
        return self._catalogue_name("categories", key, "cat")

    def material(self, key: str) -> str:
        return self._catalogue_name("materials", key, "mat")

    def route(self, key: str) -> str:
        return self._catalogue_name("routes", key, "route")

    def mode(self, key: str) -> str:
        return self._catalogue_name("modes", key, "mode")

    def ent(self, key: str) -> str:
        return self.enterprise.get(str(key), str(key))

    def sector(self, enterprise: str) -> str:
        """The enterprise's sector by name (sectors.csv), or "" when the scenario is absent."""
        sector = self.enterprise_sector.get(str(enterprise))
        return sector_name(sector, self.lang) if sector else ""

    def scope(self, scope_type: str, scope_id: str) -> str:
        if scope_type == "all":
            return label("all_scope", self.lang)
        if scope_type == "park":
            return self.park.get(str(scope_id), str(scope_id))
        if scope_type == "enterprise":
            return self.ent(scope_id)
        return str(scope_id)

    def scope_type(self, scope_type: str) -> str:
        key = "all_type" if scope_type == "all" else f"{scope_type}_scope"
        return label(key, self.lang, default=scope_type)


# ---------------------------------------------------------------------------------------------
# catalogue helpers
# ---------------------------------------------------------------------------------------------
def _catalogue_for(scenario: Scenario | None) -> Catalogue | None:
    if scenario is not None:
        return scenario.catalogue
    try:
        mod = importlib.import_module("parkflow.catalogue")
    except ImportError:
        return None
    loader = getattr(mod, "builtin_catalogue", None) or getattr(mod, "load_catalogue", None)
    return loader() if loader is not None else None


def _constant(name: str, default: Any) -> Any:
    try:
        mod = importlib.import_module("parkflow.catalogue")
    except ImportError:
        return default
    return getattr(mod, name, default)


def grid_factors() -> dict[str, float]:
    """Grid CO₂ factors, t CO₂ per MWh: ``{"national": 0.5306, "sichuan": 0.1564}`` (DOMAIN §4)."""
    return dict(_constant("GRID_CO2_T_PER_MWH", {"sichuan": 0.1564, "national": 0.5306}))


def _bulk_sets(catalogue: Catalogue | None) -> tuple[set[str], set[str], set[str]]:
    """(bulk categories, tailings categories, categories reported apart: heat, hydrogen)."""
    if catalogue is not None and {"group", "kind"} <= set(catalogue.categories.columns):
        cats = catalogue.categories
        bulk = set(cats.index[cats["group"].astype(str) == BULK_GROUP].astype(str))
        apart = set(cats.index[cats["kind"].astype(str) != "solid"].astype(str))
        mats = catalogue.materials
        # the one tailings rule (parkflow.statistics.utilisation.is_tailings), at category level
        tail = set(mats.loc[is_tailings(mats).to_numpy(), "category"].astype(str))
        return bulk, tail | {TAILINGS}, apart
    return set(FALLBACK_BULK_CATEGORIES), {TAILINGS}, set(FALLBACK_APART_CATEGORIES)


def _material_units(catalogue: Catalogue | None) -> dict[str, str]:
    if catalogue is None or "canonical_unit" not in catalogue.materials.columns:
        return {"waste_heat": "GJ/a"}
    return dict(zip(catalogue.materials.index.astype(str),
                    catalogue.materials["canonical_unit"].astype(str), strict=True))


# ---------------------------------------------------------------------------------------------
# utilisation rows
# ---------------------------------------------------------------------------------------------
def _normalise_utilisation(util: pd.DataFrame) -> pd.DataFrame:
    u = util.reset_index(drop=("scope_type" in util.columns)).copy()
    if "scope_id" not in u.columns and "scope" in u.columns:
        parts = u["scope"].astype(str).str.split(":", n=1, expand=True)
        u["scope_id"] = parts[1] if parts.shape[1] > 1 else ""
        u["scope_type"] = u.get("scope_type", parts[0])
    for col in ("generated", "utilised", "drawn"):
        u[col] = pd.to_numeric(u.get(col, 0.0), errors="coerce").fillna(0.0).astype(float)
    if "unit" not in u.columns:
        u["unit"] = "t/a"
    u["scope_id"] = u["scope_id"].fillna("").astype(str)
    u.loc[u["scope_type"] == "all", "scope_id"] = "all"
    return u[list(_UTIL_COLUMNS)].astype({"scope_type": str, "category": str, "unit": str})


def utilisation_rows(result: Result, catalogue: Catalogue | None) -> pd.DataFrame:
    """Per scope × category: generated, utilised, drawn, stored_disposed, rate (fraction).

    Takes ``result.utilisation``; when it is empty, computes it from ``result.sources`` with
    :func:`parkflow.statistics.utilisation.utilisation_table`. Adds the ``bulk_total`` and
    ``bulk_excl_tailings`` rows when the table lacks them, and recomputes every rate with
    :func:`utilisation_rate` so that the tables always agree with the official formula.
    """
    util = result.utilisation
    if (util is None or util.empty) and result.sources is not None and not result.sources.empty:
        indicators = importlib.import_module("parkflow.statistics.utilisation")
        util = indicators.utilisation_table(result.sources, catalogue)
    if util is None or util.empty:
        return pd.DataFrame(columns=[*_UTIL_COLUMNS, "stored_disposed", "rate"])
    u = _normalise_utilisation(util)
    bulk, tail, _ = _bulk_sets(catalogue)
    have = set(u["category"])
    extra = []
    keys = ["scope_type", "scope_id"]
    if BULK_TOTAL not in have:
        part = u[u["category"].isin(bulk)]
        extra.append(part.groupby(keys, as_index=False)[["generated", "utilised", "drawn"]].sum()
                     .assign(category=BULK_TOTAL, unit="t/a"))
    if BULK_EXCL_TAILINGS not in have:
        part = u[u["category"].isin(bulk - tail)]
        extra.append(part.groupby(keys, as_index=False)[["generated", "utilised", "drawn"]].sum()
                     .assign(category=BULK_EXCL_TAILINGS, unit="t/a"))
    if extra:
        u = pd.concat([u, *[e[list(_UTIL_COLUMNS)] for e in extra]], ignore_index=True)
    u["stored_disposed"] = (u["generated"] + u["drawn"] - u["utilised"]).clip(lower=0.0)
    u["rate"] = utilisation_rate(u["utilised"], u["generated"], u["drawn"])
    cat_order = {c: i for i, c in enumerate(
        list(catalogue.categories.index) if catalogue is not None else FALLBACK_BULK_CATEGORIES)}
    cat_order.update({BULK_TOTAL: 900, BULK_EXCL_TAILINGS: 901})
    u["_s"] = u["scope_type"].map(SCOPE_ORDER).fillna(9)
    u["_c"] = u["category"].map(cat_order).fillna(500)
    u = u.sort_values(["_s", "scope_id", "_c", "category"], kind="stable")
    return u.drop(columns=["_s", "_c"]).reset_index(drop=True)


# ---------------------------------------------------------------------------------------------
# table building helpers
# ---------------------------------------------------------------------------------------------
_UNIT_OF_KIND = {"t": "u_t", "pct": "u_pct", "pp": "u_pp", "cny": "u_cny",
                 "price": "u_cny_per_unit", "tco2": "u_tco2", "mwh": "u_mwh", "tce": "u_tce",
                 "km": "u_km", "gj": "u_gj"}


class _Builder:
    def __init__(self, lang: str):
        self.lang = lang
        self.tables: dict[str, pd.DataFrame] = {}
        self.kinds: dict[str, dict[str, str]] = {}
        self.titles: dict[str, str] = {}

    def header(self, key: str, kind: str) -> str:
        text = label(key, self.lang)
        unit = _UNIT_OF_KIND.get(kind)
        return f"{text} ({label(unit, self.lang)})" if unit else text

    def add(self, name: str, frame: pd.DataFrame, spec: Sequence[tuple[str, str]]) -> None:
        """Store ``frame[[keys]]`` under translated headers; spec = [(column key, kind)]."""
        headers = {k: self.header(k, kind) for k, kind in spec}
        out = frame[[k for k, _ in spec]].rename(columns=headers).reset_index(drop=True)
        self.tables[name] = out
        self.kinds[name] = {headers[k]: kind for k, kind in spec}
        self.titles[name] = label(f"t_{name}", self.lang)


def _col(frame: pd.DataFrame, name: str, default: float = 0.0) -> pd.Series:
    if name in frame.columns:
        return pd.to_numeric(frame[name], errors="coerce").fillna(default).astype(float)
    return pd.Series(default, index=frame.index, dtype=float)


def _flows_of(result: Result | None) -> pd.DataFrame:
    if result is None:
        return pd.DataFrame()
    flows = result.flows
    if (flows is None or flows.empty) and result.links is not None and not result.links.empty \
            and "build" in result.links.columns:
        flows = result.links[_col(result.links, "build") > 0.5]
    if flows is None or flows.empty:
        return pd.DataFrame(columns=["from", "to", "material", "route", "flow"])
    f = flows.copy()
    if "link_id" in f.columns:
        f = f.set_index("link_id")
    if "flow" not in f.columns and "quantity" in f.columns:
        f["flow"] = f["quantity"]
    f.index = f.index.astype(str)
    f.index.name = "link_id"
    return f


def _scope_columns(frame: pd.DataFrame, names: _Names) -> pd.DataFrame:
    out = frame.copy()
    out["scope"] = [names.scope(t, i) for t, i in zip(out["scope_type"], out["scope_id"],
                                                       strict=True)]
    out["scope_type"] = out["scope_type"].map(names.scope_type)
    return out


# ---------------------------------------------------------------------------------------------
# build_report
# ---------------------------------------------------------------------------------------------
def build_report(scenario: Scenario | None, result: Result, lang: str = "zh") -> Report:
    """Build the filing tables of a solve.

    Parameters
    ----------
    scenario : Scenario or None
        The solved scenario, for enterprise and park names and the catalogue. ``None`` works
        (ids are shown, the built-in catalogue is used).
    result : Result
        What :func:`parkflow.solve` or :func:`parkflow.solvers.summary.read_solution` returned;
        ``result.baseline`` (existing links only) gives the before/after tables.
    lang : {"zh", "en"}
        Language of headers and names; Chinese uses the official statistical terms.

    Returns
    -------
    Report
    """
    if lang not in LANGS:
        raise ValueError(f"language {lang!r} is not supported; use one of {', '.join(LANGS)}")
    catalogue = _catalogue_for(scenario)
    names = _Names(scenario, result, catalogue, lang)
    b = _Builder(lang)
    notes = [label("formula_note", lang), label("unit_note", lang)]
    if scenario is None:
        notes.append(label("no_scenario_note", lang))

    util = utilisation_rows(result, catalogue)
    bulk, _tail, apart = _bulk_sets(catalogue)
    base_util = (utilisation_rows(result.baseline, catalogue)
                 if result.baseline is not None else None)
    if base_util is not None and base_util.empty:
        base_util = None
    if base_util is None:
        notes.append(label("no_baseline_note", lang))

    flows = _flows_of(result)
    base_flows = _flows_of(result.baseline) if result.baseline is not None else None
    links = _link_table(flows, base_flows, catalogue)
    econ = _economics(links)

    _overview(b, util, base_util, links, result, names)
    _targets(b, util, names)
    _scenario_targets(b, result, names)
    _solid_and_energy(b, util, apart, names)
    _before_after(b, util, base_util, names)
    _links(b, links, names)
    _effects(b, links, catalogue, names)
    _economics_tables(b, econ, names)
    notes.append(label("allocation_note", lang))
    g = grid_factors()
    notes.append(label("grid_note", lang).format(national=g["national"], sichuan=g["sichuan"]))

    rates = util[(util["category"] == BULK_EXCL_TAILINGS)
                 & util["scope_type"].isin(["all", "park"])][["scope_type", "scope_id", "rate"]]
    if base_util is not None:
        br = base_util[base_util["category"] == BULK_EXCL_TAILINGS][
            ["scope_type", "scope_id", "rate"]].rename(columns={"rate": "rate_baseline"})
        rates = rates.merge(br, on=["scope_type", "scope_id"], how="left")
    else:
        rates = rates.assign(rate_baseline=np.nan)
    rates = rates.assign(scope=[names.scope(t, i) for t, i in
                                zip(rates["scope_type"], rates["scope_id"], strict=True)])
    sankey = links[links["flow"] > 0].assign(
        from_name=lambda d: d["from"].map(names.ent), to_name=lambda d: d["to"].map(names.ent),
        route_name=lambda d: d["route"].map(names.route),
        material_name=lambda d: d["material"].map(names.material))
    objective_key = f"obj_{result.objective_name}"
    meta = {
        "scenario": result.scenario_name,
        "status": label(result.status.value, lang, default=result.status.value),
        "objective": label(objective_key, lang, default=result.objective_name),
        "year": getattr(getattr(scenario, "settings", None), "year", None),
        "notes": notes,
        "message": result.message,
    }
    ordered = {k: b.tables[k] for k in TABLE_ORDER if k in b.tables}
    return Report(lang=lang, title=label("report_title", lang), meta=meta, tables=ordered,
                  titles=b.titles, kinds=b.kinds, charts={"sankey": sankey, "rates": rates})


def links_built(result: Result) -> int:
    """Links built, the number ``summary.json`` gives (``result.summary["links_built"]``).

    That is one per row of the flows table: an existing link is built (forced open) even when
    it carries no flow.
    """
    try:
        return int(result.summary["links_built"])
    except (AttributeError, KeyError, TypeError, ValueError):
        return len(_flows_of(result))


def _existing_built(result: Result) -> int:
    """How many of the built links (rows of the flows table) exist already."""
    flows = _flows_of(result)
    if "existing" not in flows.columns:
        return 0
    return int(flows["existing"].map(
        lambda v: str(v).strip().lower() in ("true", "1", "1.0", "yes")).sum())


def _overview(b: _Builder, util: pd.DataFrame, base_util: pd.DataFrame | None,
              links: pd.DataFrame, result: Result, names: _Names) -> None:
    lang = b.lang

    def whole(frame: pd.DataFrame | None, col: str) -> float:
        if frame is None:
            return float("nan")
        row = frame[(frame["scope_type"] == "all") & (frame["category"] == BULK_EXCL_TAILINGS)]
        return float(row[col].iloc[0]) if len(row) else float("nan")

    base = result.baseline
    # the count summary.json gives (every built link, also an existing one carrying no flow)
    n_opt = links_built(result)
    n_new = n_opt - _existing_built(result)
    n_base = links_built(base) if base is not None else float("nan")
    rows = [
        ("rate", "u_pct", whole(base_util, "rate") * 100, whole(util, "rate") * 100),
        ("generated", "u_t", whole(base_util, "generated"), whole(util, "generated")),
        ("utilised", "u_t", whole(base_util, "utilised"), whole(util, "utilised")),
        ("drawn", "u_t", whole(base_util, "drawn"), whole(util, "drawn")),
        ("stored_disposed", "u_t", whole(base_util, "stored_disposed"),
         whole(util, "stored_disposed")),
        ("links_built", "u_count", n_base, n_opt),
        ("links_proposed", "u_count", 0 if base is not None else float("nan"), n_new),
        ("co2_avoided", "u_tco2",
         base.co2_avoided_t_per_a if base is not None else float("nan"),
         result.co2_avoided_t_per_a),
        ("total_cost", "u_cny",
         base.objective.get("total_cny_per_a", float("nan")) if base is not None else float("nan"),
         result.objective.get("total_cny_per_a", float("nan"))),
    ]
    bulk_name = label(BULK_EXCL_TAILINGS, lang)
    frame = pd.DataFrame({
        "indicator": [label(k, lang) + (f" — {bulk_name}" if u in ("u_pct", "u_t") else "")
                      for k, u, _, _ in rows],
        "baseline": [float(x) for _, _, x, _ in rows],
        "optimised": [float(y) for _, _, _, y in rows],
        "unit": [label(u, lang) for _, u, _, _ in rows],
    })
    frame["change"] = frame["optimised"] - frame["baseline"]
    b.add("overview", frame, [("indicator", "text"), ("baseline", "q"), ("optimised", "q"),
                              ("change", "q"), ("unit", "text")])


def _targets(b: _Builder, util: pd.DataFrame, names: _Names) -> None:
    t = util[(util["category"] == BULK_EXCL_TAILINGS) & util["scope_type"].isin(["all", "park"])]
    t = _scope_columns(t, names)
    t["rate"] = t["rate"] * 100
    # 其中：综合利用往年贮存量 is a sub-item of 综合利用量: it comes right after it (official forms)
    spec: list[tuple[str, str]] = [("scope_type", "text"), ("scope", "text"), ("generated", "t"),
                                   ("utilised", "t"), ("drawn", "t"), ("rate", "pct")]
    for year, target in SICHUAN_TARGETS.items():
        gap_pp, gap_t = gap_to_target(t["utilised"], t["generated"], t["drawn"], target)
        t[f"rate_{year}"] = target * 100
        t[f"gap_pp_{year}"] = gap_pp
        t[f"gap_t_{year}"] = gap_t
        spec += [(f"rate_{year}", "pct"), (f"gap_pp_{year}", "pp"), (f"gap_t_{year}", "t")]
    b.add("targets", t, spec)


def _scenario_targets(b: _Builder, result: Result, names: _Names) -> None:
    tg = result.targets
    if tg is None or tg.empty:
        return
    t = tg.reset_index(drop="id" in tg.columns).copy()
    for col in ("target", "rate", "utilised", "generated", "drawn", "shortfall"):
        t[col] = _col(t, col, np.nan)
    scope = t.get("scope", pd.Series("all", index=t.index)).astype(str)
    kind = scope.str.split(":", n=1).str[0]
    sid = scope.str.split(":", n=1).str[1].fillna("all")
    t["scope"] = [names.scope(k, i) for k, i in zip(kind, sid, strict=True)]
    t["scope_type"] = kind.map(names.scope_type)
    t["rate"] = utilisation_rate(t["utilised"], t["generated"], t["drawn"]) * 100
    t["gap_pp"] = ((t["target"] * 100 - t["rate"]).clip(lower=0.0)).fillna(0.0)
    t["target"] = t["target"] * 100
    met = t["met"] if "met" in t.columns else t["shortfall"] <= 1e-9
    t["met"] = [label("yes" if str(m).strip().lower() in ("true", "1", "1.0", "yes") else "no",
                      b.lang) for m in met]
    t["target_id"] = t["id"].astype(str) if "id" in t.columns else ""
    t["unit"] = t.get("unit", "t/a")
    b.add("scenario_targets", t, [
        ("target_id", "text"), ("scope_type", "text"), ("scope", "text"), ("generated", "q"),
        ("utilised", "q"), ("drawn", "q"), ("rate", "pct"), ("target", "pct"),
        ("gap_pp", "pp"), ("shortfall", "q"), ("unit", "text"), ("met", "text")])


def _solid_and_energy(b: _Builder, util: pd.DataFrame, apart: set[str], names: _Names) -> None:
    spec_q = [("generated", "t"), ("utilised", "t"), ("drawn", "t"), ("stored_disposed", "t"),
              ("rate", "pct")]
    solid = util[~util["category"].isin(apart)]
    solid = _scope_columns(solid, names).assign(
        category=lambda d: d["category"].map(names.category), rate=lambda d: d["rate"] * 100)
    b.add("solid_waste", solid, [("scope_type", "text"), ("scope", "text"),
                                 ("category", "text"), *spec_q])
    energy = util[util["category"].isin(apart)]
    if energy.empty:
        return
    energy = _scope_columns(energy, names).assign(
        category=lambda d: d["category"].map(names.category), rate=lambda d: d["rate"] * 100)
    b.add("energy_gas", energy, [("scope_type", "text"), ("scope", "text"), ("category", "text"),
                                 *[(k, "q" if kind == "t" else kind) for k, kind in spec_q],
                                 ("unit", "text")])


def _before_after(b: _Builder, util: pd.DataFrame, base_util: pd.DataFrame | None,
                  names: _Names) -> None:
    if base_util is None:
        return
    keys = ["scope_type", "scope_id"]
    sel = util[(util["category"] == BULK_EXCL_TAILINGS) & (util["scope_type"] != "enterprise")]
    base = base_util[base_util["category"] == BULK_EXCL_TAILINGS][[*keys, "rate", "utilised"]]
    m = sel.merge(base, on=keys, how="left", suffixes=("_optimised", "_baseline"))
    m["rate_optimised"] *= 100
    m["rate_baseline"] *= 100
    m["rate_change"] = m["rate_optimised"] - m["rate_baseline"]
    m["utilised_change"] = m["utilised_optimised"] - m["utilised_baseline"]
    m = _scope_columns(m, names)
    b.add("before_after", m, [
        ("scope_type", "text"), ("scope", "text"), ("rate_baseline", "pct"),
        ("rate_optimised", "pct"), ("rate_change", "pp"), ("utilised_baseline", "t"),
        ("utilised_optimised", "t"), ("utilised_change", "t")])


def _link_table(flows: pd.DataFrame, base_flows: pd.DataFrame | None,
                catalogue: Catalogue | None) -> pd.DataFrame:
    """One row per link built before or after, with flows, money and CO₂ terms (canonical)."""
    cols = ["from", "to", "material", "route", "mode", "distance_km", "unit"]
    f = flows.copy()
    if base_flows is not None and not base_flows.empty:
        missing = base_flows.index.difference(f.index)
        if len(missing):
            add = base_flows.loc[missing].copy()
            add["flow"] = 0.0
            for c in add.columns:
                if c.endswith(("_cny_per_a", "_t_per_a")) or c == "delivered":
                    add[c] = 0.0
            f = pd.concat([f, add])
    out = pd.DataFrame(index=f.index)
    for c in cols:
        out[c] = f[c].astype(object).where(f[c].notna(), "").astype(str) \
            if c in f.columns else ""
    out["distance_km"] = _col(f, "distance_km", np.nan)
    units = _material_units(catalogue)
    if "unit" not in f.columns:
        out["unit"] = out["material"].map(units).fillna("t/a")
    out["unit"] = out["unit"].where(out["unit"].str.endswith("/a"), out["unit"] + "/a")
    out["flow"] = _col(f, "flow")
    out["delivered"] = _col(f, "delivered", np.nan).fillna(out["flow"]) \
        if "delivered" in f.columns else out["flow"]
    for name in ("transport", "fixed", "purification", "value", "disposal_avoided", "total"):
        out[f"{name}_cny_per_a"] = _col(f, f"{name}_cny_per_a")
    out["co2_avoided_t_per_a"] = _col(f, "co2_avoided_t_per_a")
    if "transport_co2_t_per_a" in f.columns:
        out["transport_co2_t_per_a"] = _col(f, "transport_co2_t_per_a")
    elif catalogue is not None and "co2_t_per_tkm" in catalogue.modes.columns:
        per_tkm = pd.to_numeric(out["mode"].map(catalogue.modes["co2_t_per_tkm"]),
                                errors="coerce").astype(float).fillna(0.0)
        out["transport_co2_t_per_a"] = per_tkm * out["flow"] * out["distance_km"].fillna(0.0)
    else:
        out["transport_co2_t_per_a"] = 0.0
    if base_flows is not None and not base_flows.empty:
        out["flow_baseline"] = _col(base_flows, "flow").reindex(out.index).fillna(0.0)
        existing = out.index.isin(base_flows.index)
    else:
        out["flow_baseline"] = 0.0
        existing = np.zeros(len(out), dtype=bool)
    if "existing" in f.columns:
        flag = f["existing"].map(lambda v: str(v).strip().lower() in ("true", "1", "yes"))
        existing = existing | flag.to_numpy(dtype=bool)
    out["existing"] = existing
    out["flow_change"] = out["flow"] - out["flow_baseline"]
    return out.sort_values(["existing", "from", "to"], ascending=[False, True, True],
                           kind="stable")


def _link_names(links: pd.DataFrame, names: _Names) -> pd.DataFrame:
    out = links.copy()
    out["link_id"] = out.index.astype(str)
    out["link_status"] = np.where(out["existing"], label("existing", names.lang),
                                  label("proposed", names.lang))
    out["from"] = out["from"].map(names.ent)
    out["to"] = out["to"].map(names.ent)
    out["material"] = out["material"].map(names.material)
    out["route_id"] = out["route"]
    out["route"] = out["route"].map(names.route)
    out["mode"] = out["mode"].map(lambda m: names.mode(m) if m else "")
    return out


def _links(b: _Builder, links: pd.DataFrame, names: _Names) -> None:
    out = _link_names(links, names)
    b.add("links", out, [
        ("link_id", "text"), ("link_status", "text"), ("from", "text"), ("to", "text"),
        ("material", "text"), ("route", "text"), ("mode", "text"), ("distance_km", "km"),
        ("flow_baseline", "q"), ("flow", "q"), ("flow_change", "q"), ("unit", "text")])


def link_effects(links: pd.DataFrame, catalogue: Catalogue | None) -> pd.DataFrame:
    """CO₂ and energy effects per link (canonical units).

    Adds ``electricity_mwh_per_a`` (orc_power links: delivered GJ × MWh per GJ of the ORC),
    ``co2_national_t_per_a`` and ``co2_sichuan_t_per_a`` (for orc_power: electricity × grid
    factor − transport CO₂; other links: the modelled CO₂ avoided, which involves no grid power)
    and ``energy_saved_tce_per_a`` (heat delivered × tce per GJ; electricity × 0.1229 tce/MWh).
    """
    g = grid_factors()
    tce_per_gj = float(_constant("TCE_PER_GJ", 1.0 / 29.3076))
    mwh_per_gj = float(_constant("ORC_MWH_PER_GJ", ORC_MWH_PER_GJ_DEFAULT))
    kinds: dict[str, str] = {"waste_heat": "heat", "hydrogen": "hydrogen"}
    if catalogue is not None and "kind" in catalogue.materials.columns:
        kinds.update(zip(catalogue.materials.index.astype(str),
                         catalogue.materials["kind"].astype(str), strict=True))
    out = links.copy()
    is_orc = out["route"].astype(str).eq("orc_power").to_numpy()
    is_heat = out["material"].map(kinds).eq("heat").to_numpy()
    delivered = out["delivered"].to_numpy(dtype=float)
    elec = np.where(is_orc, delivered * mwh_per_gj, 0.0)
    out["electricity_mwh_per_a"] = elec
    modelled = out["co2_avoided_t_per_a"].to_numpy(dtype=float)
    transport = out["transport_co2_t_per_a"].to_numpy(dtype=float)
    out["co2_national_t_per_a"] = np.where(is_orc, elec * g["national"] - transport, modelled)
    out["co2_sichuan_t_per_a"] = np.where(is_orc, elec * g["sichuan"] - transport, modelled)
    out["energy_saved_tce_per_a"] = np.where(
        is_orc, elec * TCE_PER_MWH_ELECTRICITY, np.where(is_heat, delivered * tce_per_gj, 0.0))
    return out


def _effects(b: _Builder, links: pd.DataFrame, catalogue: Catalogue | None,
             names: _Names) -> None:
    eff = _link_names(link_effects(links[links["flow"] > 0], catalogue), names)
    sums = ["co2_avoided_t_per_a", "electricity_mwh_per_a", "co2_national_t_per_a",
            "co2_sichuan_t_per_a", "energy_saved_tce_per_a"]
    total = pd.DataFrame([{**{c: eff[c].sum() for c in sums},
                           "link_id": label("total_row", b.lang)}])
    eff = pd.concat([eff, total], ignore_index=True)
    eff = eff.rename(columns={"co2_avoided_t_per_a": "co2_avoided",
                              "electricity_mwh_per_a": "electricity",
                              "co2_national_t_per_a": "co2_national",
                              "co2_sichuan_t_per_a": "co2_sichuan",
                              "energy_saved_tce_per_a": "energy_saved"})
    for c in ("link_status", "from", "to", "route", "unit"):
        eff[c] = eff[c].fillna("")
    b.add("effects", eff, [
        ("link_id", "text"), ("link_status", "text"), ("from", "text"), ("to", "text"),
        ("route", "text"), ("delivered", "q"), ("unit", "text"), ("co2_avoided", "tco2"),
        ("electricity", "mwh"), ("co2_national", "tco2"), ("co2_sichuan", "tco2"),
        ("energy_saved", "tce")])


def _economics(links: pd.DataFrame) -> pd.DataFrame:
    """Per built link: who pays and who earns (allocation rule of docs/reporting.md)."""
    e = links[links["flow"] > 0].copy()
    e["generator_net"] = (e["disposal_avoided_cny_per_a"] - e["transport_cny_per_a"]
                          - e["fixed_cny_per_a"])
    e["user_net"] = e["value_cny_per_a"] - e["purification_cny_per_a"]
    e["net_benefit"] = e["generator_net"] + e["user_net"]
    qty = e["flow"].where(e["flow"] > 0)
    # transfer price p (CNY per unit shipped, user → generator) leaving neither side worse off
    e["price_min"] = -e["generator_net"] / qty
    e["price_max"] = e["user_net"] / qty
    return e


def _economics_tables(b: _Builder, econ: pd.DataFrame, names: _Names) -> None:
    e = _link_names(econ, names).rename(columns={
        "transport_cny_per_a": "transport_cost", "fixed_cny_per_a": "fixed_cost",
        "purification_cny_per_a": "purification_cost", "value_cny_per_a": "value",
        "disposal_avoided_cny_per_a": "disposal_avoided"})
    b.add("economics_links", e, [
        ("link_id", "text"), ("link_status", "text"), ("from", "text"), ("to", "text"),
        ("route", "text"), ("flow", "q"), ("unit", "text"), ("disposal_avoided", "cny"),
        ("transport_cost", "cny"), ("fixed_cost", "cny"), ("generator_net", "cny"),
        ("value", "cny"), ("purification_cost", "cny"), ("user_net", "cny"),
        ("net_benefit", "cny"), ("price_min", "price"), ("price_max", "price")])
    gen = econ.groupby("from").agg(
        as_generator_saved=("disposal_avoided_cny_per_a", "sum"),
        transport=("transport_cny_per_a", "sum"), fixed=("fixed_cny_per_a", "sum"))
    gen["as_generator_paid"] = gen.pop("transport") + gen.pop("fixed")
    use = econ.groupby("to").agg(as_user_value=("value_cny_per_a", "sum"),
                                 as_user_paid=("purification_cny_per_a", "sum"))
    ent = gen.join(use, how="outer").fillna(0.0)
    ent["net_benefit"] = (ent["as_generator_saved"] - ent["as_generator_paid"]
                          + ent["as_user_value"] - ent["as_user_paid"])
    ent.index = ent.index.astype(str)
    ent = ent.sort_index()
    ent["enterprise_id"] = ent.index
    ent["enterprise"] = ent.index.map(names.ent)
    ent["park"] = ent.index.map(lambda i: names.scope("park", names.enterprise_park.get(i, "")))
    ent["sector"] = ent.index.map(names.sector)
    money = ["as_generator_saved", "as_generator_paid", "as_user_value", "as_user_paid",
             "net_benefit"]
    total = pd.DataFrame([{**{c: ent[c].sum() for c in money},
                           "enterprise_id": label("total_row", b.lang), "enterprise": "",
                           "park": "", "sector": ""}])
    ent = pd.concat([ent.reset_index(drop=True), total], ignore_index=True)
    b.add("economics_enterprises", ent, [
        ("enterprise_id", "text"), ("enterprise", "text"), ("sector", "text"), ("park", "text"),
        *[(c, "cny") for c in money]])


# ---------------------------------------------------------------------------------------------
# display formatting (md, html): 万t/a, 万元/a, one-decimal percentages
# ---------------------------------------------------------------------------------------------
def _fmt(x: Any, decimals: int) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return ""
    if isinstance(x, str):
        return x
    if not isinstance(x, (int, float, np.integer, np.floating)):
        return str(x)
    v = float(x)
    if abs(v) < 0.5 * 10 ** (-decimals):
        v = 0.0
    return f"{v:,.{decimals}f}"


def display_frame(report: Report, key: str) -> pd.DataFrame:
    """The table ``key`` as text, formatted as a filing writes it.

    Chinese: a t/a column whose largest value reaches 100,000 t is shown in 万t/a (two
    decimals), a CNY/a column reaching 100,000 CNY in 万元/a; percentages and percentage points
    have one decimal.
    """
    df = report.tables[key]
    kinds = report.kinds[key]
    lang = report.lang
    unit_col = label("unit", lang)
    row_units = df[unit_col].astype(str) if unit_col in df.columns else None
    out = pd.DataFrame(index=df.index)

    def biggest_of(kind: str) -> float:
        cols = [c for c in df.columns if kinds.get(c) == kind]
        values = df[cols].apply(pd.to_numeric, errors="coerce").abs().max().max() if cols else 0
        return float(values) if pd.notna(values) else 0.0

    # a whole table switches to 万t/a (万元/a) together, so that its columns read alike
    wan = {k: lang == "zh" and biggest_of(k) >= 1e5 for k in ("t", "cny")}
    for col in df.columns:
        kind = kinds.get(col, "text")
        s = df[col]
        head = col
        if kind == "text":
            out[head] = s.astype(object).where(s.notna(), "").astype(str)
            continue
        values = pd.to_numeric(s, errors="coerce").astype(float)
        finite = values.dropna()
        biggest = float(finite.abs().max()) if len(finite) else 0.0
        integral = bool(np.allclose(finite, np.round(finite))) if len(finite) else True
        scale, decimals = 1.0, 0
        if kind in ("pct", "pp"):
            decimals = 1
        elif kind in ("t", "cny") and wan[kind]:
            scale, decimals = 1e4, 2
            old = label("u_t" if kind == "t" else "u_cny", lang)
            new = label("u_wt" if kind == "t" else "u_wcny", lang)
            head = col.replace(f"({old})", f"({new})")
        elif kind in ("price", "km", "tce", "mwh"):
            decimals = 1
        elif kind in ("q", "tco2"):
            decimals = 0 if biggest >= 100 or integral else 2
        if kind == "q" and row_units is not None:
            per_row = row_units.map(lambda u, dec=decimals: 1 if u in (label("u_pct", lang),
                                                                       label("u_pp", lang))
                                    else (0 if u == label("u_count", lang) else dec))
            out[head] = [_fmt(v, int(d)) for v, d in zip(values, per_row, strict=True)]
            continue
        out[head] = [_fmt(v / scale if pd.notna(v) else np.nan, decimals) for v in values]
    return out


def _md_table(frame: pd.DataFrame) -> str:
    def cell(v: Any) -> str:
        return str(v).replace("|", "\\|").replace("\n", " ")

    head = "| " + " | ".join(cell(c) for c in frame.columns) + " |"
    sep = "| " + " | ".join("---" for _ in frame.columns) + " |"
    rows = ["| " + " | ".join(cell(v) for v in row) + " |"
            for row in frame.itertuples(index=False, name=None)]
    return "\n".join([head, sep, *rows])


def _meta_lines(report: Report) -> list[tuple[str, str]]:
    lang = report.lang
    items = [(label("scenario", lang), str(report.meta["scenario"])),
             (label("status", lang), str(report.meta["status"])),
             (label("objective_name", lang), str(report.meta["objective"]))]
    if report.meta.get("year"):
        items.append((label("year", lang), str(report.meta["year"])))
    return items


def to_markdown(report: Report) -> str:
    """The report as one Markdown document (pipe tables)."""
    lines = [f"# {report.title}", ""]
    lines += [f"- **{k}**: {v}" for k, v in _meta_lines(report)]
    lines.append("")
    for key in report.tables:
        lines += [f"## {report.titles[key]}", ""]
        frame = display_frame(report, key)
        lines.append(_md_table(frame) if len(frame) else label("no_rows", report.lang))
        lines.append("")
    lines += [f"> {n}" for n in report.meta["notes"]]
    lines += ["", f"*{label('generated_by', report.lang)}*", ""]
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# charts (inline SVG, no scripts)
# ---------------------------------------------------------------------------------------------
_PALETTE = ("#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1",
            "#ff9da7", "#9c755f", "#bab0ac")


def _esc(text: Any) -> str:
    return html.escape(str(text), quote=True)


def text_width(text: Any, font_px: float = 11.0) -> float:
    """Rough width of a label in px: CJK and full-width characters 1 em, others 0.6 em.

    >>> text_width("ab"), text_width("水泥")
    (13.2, 22.0)
    """
    return round(sum(font_px if ord(c) >= 0x2E80 else 0.6 * font_px for c in str(text)), 3)


def sankey_svg(flows: pd.DataFrame, unit: str, width: int = 900, title: str = "") -> str:
    """An SVG Sankey diagram: generators → routes → users, band width ∝ flow.

    ``flows`` has columns ``from_name, route_name, to_name, material_name, flow``; all flows
    in one ``unit``.
    """
    f = flows[flows["flow"] > 0]
    if f.empty:
        return ""
    cols = [("from_name", f.groupby("from_name")["flow"].sum()),
            ("route_name", f.groupby("route_name")["flow"].sum()),
            ("to_name", f.groupby("to_name")["flow"].sum())]
    n_max = max(len(s) for _, s in cols)
    height = max(240, 36 * n_max + 60)
    pad, top, node_w = 14.0, 30.0, 14.0
    # room for the longest generator (left) and user (right) names, so that none is cut off
    left = max(150.0, max(text_width(n) for n in cols[0][1].index) + 12)
    right = max(150.0, max(text_width(n) for n in cols[2][1].index) + 12)
    width = int(max(width, left + right + 320))
    xs = [left, (left + width - right) / 2 - node_w / 2, width - right - node_w]
    total = float(f["flow"].sum())
    usable = height - top - 20 - pad * (n_max - 1)
    k = usable / total if total > 0 else 0.0
    pos: dict[tuple[int, str], list[float]] = {}  # (column, name) -> [x, y, h, out_y, in_y]
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" class="sankey" role="img">',
             f'<title>{_esc(title)}</title>']
    for ci, (_, sizes) in enumerate(cols):
        y = top
        for name, size in sizes.items():
            h = max(1.0, float(size) * k)
            pos[(ci, str(name))] = [xs[ci], y, h, y, y]
            y += h + pad
    materials = {m: _PALETTE[i % len(_PALETTE)]
                 for i, m in enumerate(sorted(f["material_name"].astype(str).unique()))}
    bands = []
    for a, bcol, ca, cb in ((0, 1, "from_name", "route_name"), (1, 2, "route_name", "to_name")):
        g = f.groupby([ca, cb, "material_name"], sort=True)["flow"].sum()
        for (na, nb, mat), q in g.items():
            h = float(q) * k
            sa, sb = pos[(a, str(na))], pos[(bcol, str(nb))]
            x0, x1 = sa[0] + node_w, sb[0]
            y0, y1 = sa[3] + h / 2, sb[4] + h / 2
            sa[3] += h
            sb[4] += h
            xm = (x0 + x1) / 2
            bands.append(
                f'<path d="M{x0:.1f},{y0:.1f} C{xm:.1f},{y0:.1f} {xm:.1f},{y1:.1f} '
                f'{x1:.1f},{y1:.1f}" stroke="{materials[str(mat)]}" stroke-opacity="0.45" '
                f'stroke-width="{max(h, 1.0):.1f}" fill="none"><title>{_esc(na)} → {_esc(nb)}'
                f' ({_esc(mat)}): {float(q):,.0f} {_esc(unit)}</title></path>')
    parts += bands
    for (ci, name), (x, y, h, _, _) in pos.items():
        anchor, tx = (("end", x - 4) if ci == 0 else ("start", x + node_w + 4))
        parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{node_w}" height="{h:.1f}" '
                     f'fill="#555"><title>{_esc(name)}</title></rect>')
        parts.append(f'<text x="{tx:.1f}" y="{y + h / 2 + 4:.1f}" font-size="11" '
                     f'text-anchor="{anchor}" paint-order="stroke" stroke="#fff" '
                     f'stroke-width="3" stroke-linejoin="round">{_esc(name)}</text>')
    lx = 10.0
    for mat, colour in materials.items():
        parts.append(f'<rect x="{lx:.0f}" y="8" width="10" height="10" fill="{colour}"/>'
                     f'<text x="{lx + 14:.0f}" y="17" font-size="11">{_esc(mat)}</text>')
        lx += 14 + text_width(mat) + 16
    parts.append(f'<text x="{width - 10}" y="17" font-size="11" text-anchor="end">'
                 f'{_esc(unit)}</text></svg>')
    return "\n".join(parts)


def target_label_y(ys: Sequence[float], gap: float = 14.0) -> list[float]:
    """Vertical positions of labels wanted at ``ys`` (px), moved apart to at least ``gap``.

    Labels keep their order; a pair too close is spread evenly about its middle.

    >>> target_label_y([100.0, 108.0])
    [97.0, 111.0]
    >>> target_label_y([50.0, 100.0])
    [50.0, 100.0]
    """
    order = sorted(range(len(ys)), key=lambda i: ys[i])
    clusters: list[list[float]] = []  # [first y, number of labels, sum of wanted ys]
    for i in order:
        clusters.append([float(ys[i]), 1.0, float(ys[i])])
        while len(clusters) > 1 and clusters[-2][0] + clusters[-2][1] * gap > clusters[-1][0]:
            last = clusters.pop()
            prev = clusters[-1]
            prev[1] += last[1]
            prev[2] += last[2]
            prev[0] = prev[2] / prev[1] - gap * (prev[1] - 1) / 2
    placed = [c[0] + k * gap for c in clusters for k in range(int(c[1]))]
    out = [0.0] * len(ys)
    for i, y in zip(order, placed, strict=True):
        out[i] = round(y, 3)
    return out


def rate_chart_svg(rates: pd.DataFrame, targets: dict[int, float], lang: str,
                   width: int = 900) -> str:
    """An SVG bar chart: rate (before and after) per scope, with the target lines."""
    if rates.empty:
        return ""
    n = len(rates)
    # the target labels sit in a right margin, one below the other, never on top of each other
    height, left, bottom, top, right = 320, 60, 70, 20, 120
    plot_w, plot_h = width - left - right, height - bottom - top
    x_end = left + plot_w
    slot = plot_w / n
    bar = min(40.0, slot / 3)

    def y_of(rate: float) -> float:
        return top + plot_h * (1 - min(max(rate, 0.0), 1.0))

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" class="rate-chart" role="img">',
             f'<title>{_esc(label("t_rate_chart", lang))}</title>']
    for tick in range(0, 101, 20):
        y = y_of(tick / 100)
        parts.append(f'<line x1="{left}" x2="{x_end}" y1="{y:.1f}" y2="{y:.1f}" '
                     f'stroke="#ddd"/><text x="{left - 6}" y="{y + 4:.1f}" font-size="11" '
                     f'text-anchor="end">{tick}%</text>')
    for i, row in enumerate(rates.itertuples(index=False)):
        x = left + i * slot + slot / 2
        for j, (value, colour, key) in enumerate(((row.rate_baseline, "#bab0ac", "baseline"),
                                                  (row.rate, "#4e79a7", "optimised"))):
            if value is None or pd.isna(value):
                continue
            bx = x - bar + j * bar
            parts.append(f'<rect x="{bx:.1f}" y="{y_of(value):.1f}" width="{bar - 2:.1f}" '
                         f'height="{top + plot_h - y_of(value):.1f}" fill="{colour}">'
                         f'<title>{_esc(row.scope)} {_esc(label(key, lang))}: '
                         f'{value * 100:.1f}%</title></rect>')
        parts.append(f'<text x="{x:.1f}" y="{top + plot_h + 16}" font-size="11" '
                     f'text-anchor="middle">{_esc(row.scope)}</text>')
    for (year, target), ty in zip(targets.items(), target_label_y(
            [y_of(t) for t in targets.values()]), strict=True):
        y = y_of(target)
        parts.append(f'<line x1="{left}" x2="{x_end}" y1="{y:.1f}" y2="{y:.1f}" '
                     f'stroke="#e15759" stroke-dasharray="6,3" class="target-line"/>'
                     f'<text x="{x_end + 6}" y="{ty + 4:.1f}" font-size="11" fill="#e15759" '
                     f'class="target-label">{_esc(label(f"rate_{year}", lang))} '
                     f'{target * 100:.0f}%</text>')
    ly = height - 20
    for k, (colour, key) in enumerate((("#bab0ac", "baseline"), ("#4e79a7", "optimised"))):
        parts.append(f'<rect x="{left + k * 220}" y="{ly - 9}" width="10" height="10" '
                     f'fill="{colour}"/><text x="{left + k * 220 + 14}" y="{ly}" '
                     f'font-size="11">{_esc(label(key, lang))}</text>')
    parts.append("</svg>")
    return "\n".join(parts)


_CSS = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei","PingFang SC",Arial,sans-serif;
margin:2em;color:#222}
table{border-collapse:collapse;margin:0.5em 0 1.5em;font-size:13px}
th,td{border:1px solid #bbb;padding:3px 6px}th{background:#eef1f5}
td.num{text-align:right;font-variant-numeric:tabular-nums}
h2{font-size:16px;margin-top:1.6em}.notes{font-size:12px;color:#555}
"""


def _html_table(frame: pd.DataFrame, kinds: dict[str, str], lang: str) -> str:
    if frame.empty:
        return f"<p>{_esc(label('no_rows', lang))}</p>"
    numeric = [kinds.get(c, kinds.get(_unscaled(c, lang), "text")) != "text"
               for c in frame.columns]
    head = "".join(f"<th>{_esc(c)}</th>" for c in frame.columns)
    body = []
    for row in frame.itertuples(index=False, name=None):
        cells = "".join(f'<td class="num">{_esc(v)}</td>' if num else f"<td>{_esc(v)}</td>"
                        for v, num in zip(row, numeric, strict=True))
        body.append(f"<tr>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _unscaled(header: str, lang: str) -> str:
    return (header.replace(f"({label('u_wt', lang)})", f"({label('u_t', lang)})")
            .replace(f"({label('u_wcny', lang)})", f"({label('u_cny', lang)})"))


def to_html(report: Report) -> str:
    """The report as one self-contained HTML page (inline CSS and SVG, no scripts)."""
    lang = report.lang
    parts = ["<!DOCTYPE html>",
             f'<html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">',
             f"<title>{_esc(report.title)} — {_esc(report.meta['scenario'])}</title>",
             f"<style>{_CSS}</style></head><body>", f"<h1>{_esc(report.title)}</h1>", "<ul>"]
    parts += [f"<li><b>{_esc(k)}</b>: {_esc(v)}</li>" for k, v in _meta_lines(report)]
    parts.append("</ul>")
    rates = report.charts.get("rates", pd.DataFrame())
    if not rates.empty:
        parts += [f"<h2>{_esc(label('t_rate_chart', lang))}</h2>",
                  rate_chart_svg(rates, SICHUAN_TARGETS, lang)]
    sankey = report.charts.get("sankey", pd.DataFrame())
    if not sankey.empty:
        for unit, part in sankey.groupby("unit", sort=True):
            parts += [f"<h2>{_esc(label('t_sankey', lang))} ({_esc(unit)})</h2>",
                      sankey_svg(part, str(unit), title=label("t_sankey", lang))]
    for key in report.tables:
        frame = display_frame(report, key)
        parts += [f'<h2 id="{_esc(key)}">{_esc(report.titles[key])}</h2>',
                  _html_table(frame, report.kinds[key], lang)]
    parts.append('<div class="notes">')
    parts += [f"<p>{_esc(n)}</p>" for n in report.meta["notes"]]
    parts += [f"<p><i>{_esc(label('generated_by', lang))}</i></p>", "</div></body></html>"]
    return "\n".join(parts)


# ---------------------------------------------------------------------------------------------
# writing
# ---------------------------------------------------------------------------------------------
def _sheet_name(title: str, used: set[str]) -> str:
    bad = str.maketrans({c: " " for c in "[]:*?/\\"})
    name = title.translate(bad).strip()
    for sep in ("、", ". "):
        if sep in name[:5]:
            name = name.split(sep, 1)[1]
    name = name[:31]
    base, i = name, 2
    while name in used:
        name = f"{base[:28]}~{i}"
        i += 1
    used.add(name)
    return name


def write_xlsx(report: Report, path: Path) -> None:
    """One sheet per table (headers with units), plus a first sheet with metadata and notes."""
    used: set[str] = set()
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        info = pd.DataFrame(_meta_lines(report) + [("", n) for n in report.meta["notes"]],
                            columns=[label("indicator", report.lang), ""])
        info.to_excel(writer, sheet_name=_sheet_name(report.title, used), index=False)
        for key, frame in report.tables.items():
            sheet = _sheet_name(report.titles[key], used)
            frame.to_excel(writer, sheet_name=sheet, index=False)
            ws = writer.sheets[sheet]
            for j, col in enumerate(frame.columns, start=1):
                kind = report.kinds[key].get(col, "text")
                fmt = {"pct": "0.0", "pp": "0.0", "t": "#,##0.00", "cny": "#,##0",
                       "q": "#,##0.00", "tco2": "#,##0.0", "tce": "#,##0.0", "mwh": "#,##0.0",
                       "price": "#,##0.00", "km": "0.0"}.get(kind)
                ws.column_dimensions[ws.cell(row=1, column=j).column_letter].width = \
                    max(10, min(40, len(str(col)) * 2))
                if fmt:
                    for r in range(2, len(frame) + 2):
                        ws.cell(row=r, column=j).number_format = fmt


def write_reports(scenario: Scenario | None, result: Result, out_dir: str | Path,
                  lang: str = "zh", formats: Iterable[str] = ("md", "html"),
                  inputs: Iterable[Path | None] = ()) -> list[Path]:
    """Write the report into ``out_dir`` (whole or not at all) and return the written paths.

    Parameters
    ----------
    scenario : Scenario or None
    result : Result
    out_dir : path
        The folder (created if absent; files are added to it through
        :func:`parkflow.io.atomic.output_dir` with ``merge=True``).
    lang : {"zh", "en"}
    formats : iterable of {"md", "html", "xlsx", "csv"}
        ``md`` → report.md, ``html`` → report.html, ``xlsx`` → report.xlsx, ``csv`` →
        ``report_<table>.csv`` (UTF-8 with BOM, which Excel in China opens) for every table.
    inputs : paths
        Inputs that must not be written over (the scenario's source is always added).

    Returns
    -------
    list of pathlib.Path
        The files written, inside ``out_dir``.
    """
    from parkflow.io.atomic import output_dir

    formats = tuple(dict.fromkeys(formats))
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise ValueError(f"unknown report format {unknown[0]!r}; use one of {', '.join(FORMATS)}")
    report = build_report(scenario, result, lang=lang)
    out_dir = Path(out_dir)
    names: list[str] = []
    protected = [*inputs, getattr(scenario, "source", None)]
    with output_dir(out_dir, inputs=protected, merge=True) as tmp:
        if "md" in formats:
            (tmp / "report.md").write_text(to_markdown(report), encoding="utf-8")
            names.append("report.md")
        if "html" in formats:
            (tmp / "report.html").write_text(to_html(report), encoding="utf-8")
            names.append("report.html")
        if "xlsx" in formats:
            write_xlsx(report, tmp / "report.xlsx")
            names.append("report.xlsx")
        if "csv" in formats:
            for key, frame in report.tables.items():
                name = f"report_{key}.csv"
                frame.to_csv(tmp / name, index=False, encoding="utf-8-sig")
                names.append(name)
    return [out_dir / n for n in names]
