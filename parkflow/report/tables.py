"""The filing tables of a solve, built from the statistics frames and translated.

:func:`build_report` turns a :class:`~parkflow.models.result.Result` (and, when available, its
:class:`~parkflow.models.scenario.Scenario`) into a :class:`Report`: named DataFrames with headers
in Chinese or English (units in the headers) plus metadata. No formulas here: every number comes
from :mod:`parkflow.statistics` (docs/reporting.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from parkflow.catalogue import builtin_catalogue
from parkflow.i18n import LANGS, Names, label
from parkflow.models.result import Result
from parkflow.models.scenario import Catalogue, Scenario
from parkflow.network import discount_rate
from parkflow.report.console import cost_parts
from parkflow.report.format import UNITS, default_units
from parkflow.report.investment import (
    diagnosis_facilities,
    diagnosis_lookup,
    diagnosis_reason,
    facility_plan,
    result_periods,
    technology_name,
    text_of,
    trajectory_rows,
)
from parkflow.statistics.diagnosis import plan_target_gaps, scenario_target_gaps
from parkflow.statistics.economics import MONEY_COLUMNS, enterprise_economics, link_economics
from parkflow.statistics.links import (
    existing_built,
    grid_factors,
    link_effects,
    link_table,
    links_built,
)
from parkflow.statistics.scorecard import INVESTMENT_PER_ANNUAL_FIXED, project_list, scorecard
from parkflow.statistics.utilisation import (
    BULK_EXCL_TAILINGS,
    SICHUAN_TARGETS,
    category_sets,
    utilisation_rows,
)

__all__ = [
    "Report",
    "build_report",
    "TABLE_ORDER",
    "ScenarioNames",
    "facility_plan",
    "result_periods",
    "trajectory_rows",
]

# table keys in the order they appear in every format
TABLE_ORDER = (
    "overview",
    "targets",
    "scenario_targets",
    "solid_waste",
    "energy_gas",
    "before_after",
    "links",
    "effects",
    "economics_links",
    "economics_enterprises",
    "scorecard",
    "build_plan",
    "projects",
    "trajectory",
    "diagnosis",
)
#: The tables of ``parkflow report --scorecard``.
SCORECARD_TABLES = ("scorecard", "build_plan", "projects")


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
    #: The unit policy of md, html and xlsx: ``"wan"`` (万t/a, 万元/a) or ``"t"`` (t/a, CNY/a).
    units: str = ""

    def table(self, key: str) -> pd.DataFrame:
        """The table ``key`` (KeyError naming the available ones when absent)."""
        if key not in self.tables:
            msg = f"no table {key!r}; the report has {', '.join(self.tables)}"
            raise KeyError(msg)
        return self.tables[key]


#: The report's names: :class:`parkflow.i18n.Names` with ``own_language=True`` (``name_zh`` /
#: ``name_en`` and ``city_zh`` read; docs/reporting.md, "Names"), the one lookup of parkflow.
ScenarioNames = Names


def _park_name(names: ScenarioNames, enterprise: str) -> str:
    """The name of an enterprise's park ("" when it has none)."""
    park = names.enterprise_park.get(str(enterprise), "")
    return names.scope("park", park) if park and park != "nan" else ""


_UNIT_OF_KIND = {
    "t": "u_t",
    "pct": "u_pct",
    "pp": "u_pp",
    "cny": "u_cny",
    "price": "u_cny_per_unit",
    "tco2": "u_tco2",
    "mwh": "u_mwh",
    "tce": "u_tce",
    "km": "u_km",
    "gj": "u_gj",
    "yuan": "u_yuan",
}


class _Builder:
    def __init__(self, lang: str):
        self.lang = lang
        self.tables: dict[str, pd.DataFrame] = {}
        self.kinds: dict[str, dict[str, str]] = {}
        self.titles: dict[str, str] = {}

    def header(self, key: str, kind: str) -> str:
        name = label(key, self.lang)
        unit = _UNIT_OF_KIND.get(kind)
        return f"{name} ({label(unit, self.lang)})" if unit else name

    def add(self, name: str, frame: pd.DataFrame, spec: Sequence[tuple[str, str]]) -> None:
        """Store ``frame[[keys]]`` under translated headers; spec = [(column key, kind)]."""
        headers = {k: self.header(k, kind) for k, kind in spec}
        out = frame[[k for k, _ in spec]].rename(columns=headers).reset_index(drop=True)
        self.tables[name] = out
        self.kinds[name] = {headers[k]: kind for k, kind in spec}
        self.titles[name] = label(f"t_{name}", self.lang)


def _official(util: pd.DataFrame) -> pd.DataFrame:
    """The report's 其中：综合利用往年贮存量 column is the stock drawn *to utilisation*.

    ``drawn`` in the data is all stock drawn (to utilisation and to safe disposal,
    docs/model.md#bases); the official forms show the part drawn to utilisation, the one in
    the nbs rate's denominator. ``rate`` is the nbs rate (utilised_outside counted).
    """
    if "drawn_utilised" in util.columns:
        return util.assign(drawn=util["drawn_utilised"])
    return util


def _scope_columns(frame: pd.DataFrame, names: ScenarioNames) -> pd.DataFrame:
    out = frame.copy()
    out["scope"] = [
        names.scope(t, i) for t, i in zip(out["scope_type"], out["scope_id"], strict=True)
    ]
    out["scope_type"] = out["scope_type"].map(names.scope_type)
    return out


# ---------------------------------------------------------------------------------------------
# build_report
# ---------------------------------------------------------------------------------------------
def build_report(
    scenario: Scenario | None, result: Result, lang: str = "zh", units: str | None = None
) -> Report:
    """Build the filing tables of a solve.

    Parameters
    ----------
    scenario : Scenario or None
        The solved scenario, for enterprise and park names and the catalogue. ``None`` works
        (ids are shown, the built-in catalogue is used).
    result : Result
        What :func:`parkflow.solve` or :func:`parkflow.read_solution` returned;
        ``result.baseline`` (the before: today's practice) gives the before/after tables.
    lang : {"zh", "en"}
        Language of headers and names; Chinese uses the official statistical terms.
    units : {"wan", "t"}, optional
        The unit policy of the displayed tables (default
        :func:`parkflow.report.format.default_units`: 万 units for a Chinese report of
        100,000 t/a or more, else t/a; docs/reporting.md, "Units"). The tables themselves
        always hold canonical units.

    Returns
    -------
    Report
    """
    if lang not in LANGS:
        msg = f"language {lang!r} is not supported; use one of {', '.join(LANGS)}"
        raise ValueError(msg)
    catalogue = scenario.catalogue if scenario is not None else builtin_catalogue()
    names = Names(lang, scenario, catalogue, result.sources, own_language=True)
    b = _Builder(lang)
    util = _official(utilisation_rows(result, catalogue))
    if units is None:
        tonnes = (
            util[util["unit"].astype(str).str.startswith("t")]["generated"]
            if "unit" in util.columns
            else util.get("generated", pd.Series(dtype=float))
        )
        biggest = float(pd.to_numeric(tonnes, errors="coerce").max()) if len(tonnes) else 0.0
        units = default_units(lang, biggest if np.isfinite(biggest) else 0.0)
    if units not in UNITS:
        msg = f"unit policy {units!r} is not supported; use one of {', '.join(UNITS)}"
        raise ValueError(msg)
    notes = [label("formula_note", lang), label(f"unit_note_{units}", lang)]
    if scenario is None:
        notes.append(label("no_scenario_note", lang))

    _bulk, _tail, apart = category_sets(catalogue)
    base_util = (
        _official(utilisation_rows(result.baseline, catalogue))
        if result.baseline is not None
        else None
    )
    if base_util is not None and base_util.empty:
        base_util = None
    if base_util is None:
        notes.append(label("no_baseline_note", lang))

    links = link_table(result, catalogue)
    econ = link_economics(links)

    _overview(b, util, base_util, links, result, names)
    _targets(b, util, names)
    _scenario_targets(b, result, names)
    _solid_and_energy(b, util, apart, names)
    _before_after(b, util, base_util, names)
    _links(b, links, names)
    _effects(b, links, catalogue, names)
    _economics_tables(b, econ, names)
    _scorecard(b, util, links, scenario, catalogue, names)
    _build_plan(b, result, scenario, catalogue, names)
    if "build_plan" in b.tables:
        rate = discount_rate(scenario) if scenario is not None else 0.08
        notes.append(label("build_plan_note", lang).format(rate=rate))
    _projects(b, links, catalogue, names)
    notes.append(label("projects_note", lang).format(factor=INVESTMENT_PER_ANNUAL_FIXED))
    trajectory = trajectory_rows(result)
    _trajectory(b, trajectory, names)
    _diagnosis(b, result, catalogue, names)
    notes.append(label("allocation_note", lang))
    g = grid_factors()
    notes.append(label("grid_note", lang).format(national=g["national"], sichuan=g["sichuan"]))

    rates = util[
        (util["category"] == BULK_EXCL_TAILINGS) & util["scope_type"].isin(["all", "park"])
    ][["scope_type", "scope_id", "rate"]]
    if base_util is not None:
        br = base_util[base_util["category"] == BULK_EXCL_TAILINGS][
            ["scope_type", "scope_id", "rate"]
        ].rename(columns={"rate": "rate_baseline"})
        rates = rates.merge(br, on=["scope_type", "scope_id"], how="left")
    else:
        rates = rates.assign(rate_baseline=np.nan)
    rates = rates.assign(
        scope=[
            names.scope(t, i) for t, i in zip(rates["scope_type"], rates["scope_id"], strict=True)
        ]
    )
    sankey = links[links["flow"] > 0].assign(
        from_name=lambda d: d["from"].map(names.ent),
        to_name=lambda d: d["to"].map(names.ent),
        route_name=lambda d: d["route"].map(names.route),
        material_name=lambda d: d["material"].map(names.material),
        from_park=lambda d: d["from"].map(lambda e: _park_name(names, e)),
        to_park=lambda d: d["to"].map(lambda e: _park_name(names, e)),
    )
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
    return Report(
        lang=lang,
        title=label("report_title", lang),
        meta=meta,
        tables=ordered,
        titles=b.titles,
        kinds=b.kinds,
        charts={"sankey": sankey, "rates": rates, "trajectory": trajectory},
        units=units,
    )


def _overview(
    b: _Builder,
    util: pd.DataFrame,
    base_util: pd.DataFrame | None,
    links: pd.DataFrame,
    result: Result,
    names: ScenarioNames,
) -> None:
    lang = b.lang

    def whole(frame: pd.DataFrame | None, col: str) -> float:
        if frame is None:
            return float("nan")
        row = frame[(frame["scope_type"] == "all") & (frame["category"] == BULK_EXCL_TAILINGS)]
        return float(row[col].iloc[0]) if len(row) else float("nan")

    base = result.baseline
    # the count summary.json gives (every built link, also an existing one carrying no flow)
    n_opt = links_built(result)
    n_new = n_opt - existing_built(result)
    n_base = links_built(base) if base is not None else float("nan")
    rows = [
        ("rate", "u_pct", whole(base_util, "rate") * 100, whole(util, "rate") * 100),
        ("generated", "u_t", whole(base_util, "generated"), whole(util, "generated")),
        ("utilised", "u_t", whole(base_util, "utilised"), whole(util, "utilised")),
        ("drawn", "u_t", whole(base_util, "drawn"), whole(util, "drawn")),
        (
            "stored_disposed",
            "u_t",
            whole(base_util, "stored_disposed"),
            whole(util, "stored_disposed"),
        ),
        ("links_built", "u_count", n_base, n_opt),
        ("links_proposed", "u_count", 0 if base is not None else float("nan"), n_new),
        (
            "co2_avoided",
            "u_tco2",
            base.co2_avoided_t_per_a if base is not None else float("nan"),
            result.co2_avoided_t_per_a,
        ),
        (
            "total_cost",
            "u_cny",
            base.objective.get("total_cny_per_a", float("nan"))
            if base is not None
            else float("nan"),
            result.objective.get("total_cny_per_a", float("nan")),
        ),
    ]
    # the parts of the net cost, signed so that they add up to it (purification included)
    for name, _, sign in cost_parts(result.objective or {}):
        key = f"{name}_cny_per_a"
        rows.append(
            (
                f"cost_{'disposal' if name == 'disposal_avoided' else name}",
                "u_cny",
                sign * base.objective.get(key, 0.0) if base is not None else float("nan"),
                sign * result.objective.get(key, 0.0) if result.objective else float("nan"),
            )
        )
    bulk_name = label(BULK_EXCL_TAILINGS, lang)
    frame = pd.DataFrame(
        {
            "indicator": [
                label(k, lang) + (f" — {bulk_name}" if u in ("u_pct", "u_t") else "")
                for k, u, _, _ in rows
            ],
            "baseline": [float(x) for _, _, x, _ in rows],
            "optimised": [float(y) for _, _, _, y in rows],
            "unit": [label(u, lang) for _, u, _, _ in rows],
        }
    )
    frame["change"] = frame["optimised"] - frame["baseline"]
    b.add(
        "overview",
        frame,
        [
            ("indicator", "text"),
            ("baseline", "q"),
            ("optimised", "q"),
            ("change", "q"),
            ("unit", "text"),
        ],
    )


def _targets(b: _Builder, util: pd.DataFrame, names: ScenarioNames) -> None:
    t = _scope_columns(plan_target_gaps(util, SICHUAN_TARGETS), names)
    t["rate"] = t["rate"] * 100
    # 其中：综合利用往年贮存量 is a sub-item of 综合利用量: it comes right after it (official forms)
    spec: list[tuple[str, str]] = [
        ("scope_type", "text"),
        ("scope", "text"),
        ("generated", "t"),
        ("utilised", "t"),
        ("drawn", "t"),
        ("rate", "pct"),
    ]
    for year in SICHUAN_TARGETS:
        t[f"rate_{year}"] = t[f"target_{year}"] * 100
        spec += [(f"rate_{year}", "pct"), (f"gap_pp_{year}", "pp"), (f"gap_t_{year}", "t")]
    b.add("targets", t, spec)


def _scenario_targets(b: _Builder, result: Result, names: ScenarioNames) -> None:
    t = scenario_target_gaps(result)
    if t.empty:
        return
    t = _official(t)
    # each target's rate is on its own basis (docs/model.md#bases); the nbs rate is the rate
    # of every other table and chart
    t["sc_basis"] = t["basis"].map(lambda k: label(f"basis_{k}", b.lang))
    t["scope"] = [names.scope(k, i) for k, i in zip(t["scope_type"], t["scope_id"], strict=True)]
    t["scope_type"] = t["scope_type"].map(names.scope_type)
    t["rate"] = t["rate"] * 100
    t["target"] = t["target"] * 100
    t["met"] = [label("yes" if m else "no", b.lang) for m in t["met"]]
    b.add(
        "scenario_targets",
        t,
        [
            ("target_id", "text"),
            ("scope_type", "text"),
            ("scope", "text"),
            ("generated", "q"),
            ("utilised", "q"),
            ("drawn", "q"),
            ("sc_basis", "text"),
            ("rate", "pct"),
            ("target", "pct"),
            ("gap_pp", "pp"),
            ("shortfall", "q"),
            ("unit", "text"),
            ("met", "text"),
        ],
    )


def _solid_and_energy(
    b: _Builder, util: pd.DataFrame, apart: set[str], names: ScenarioNames
) -> None:
    spec_q = [
        ("generated", "t"),
        ("utilised", "t"),
        ("drawn", "t"),
        ("stored_disposed", "t"),
        ("rate", "pct"),
    ]
    solid = util[~util["category"].isin(apart)]
    solid = _scope_columns(solid, names).assign(
        category=lambda d: d["category"].map(names.category), rate=lambda d: d["rate"] * 100
    )
    b.add(
        "solid_waste",
        solid,
        [("scope_type", "text"), ("scope", "text"), ("category", "text"), *spec_q],
    )
    energy = util[util["category"].isin(apart)]
    if energy.empty:
        return
    energy = _scope_columns(energy, names).assign(
        category=lambda d: d["category"].map(names.category), rate=lambda d: d["rate"] * 100
    )
    b.add(
        "energy_gas",
        energy,
        [
            ("scope_type", "text"),
            ("scope", "text"),
            ("category", "text"),
            *[(k, "q" if kind == "t" else kind) for k, kind in spec_q],
            ("unit", "text"),
        ],
    )


def _before_after(
    b: _Builder, util: pd.DataFrame, base_util: pd.DataFrame | None, names: ScenarioNames
) -> None:
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
    b.add(
        "before_after",
        m,
        [
            ("scope_type", "text"),
            ("scope", "text"),
            ("rate_baseline", "pct"),
            ("rate_optimised", "pct"),
            ("rate_change", "pp"),
            ("utilised_baseline", "t"),
            ("utilised_optimised", "t"),
            ("utilised_change", "t"),
        ],
    )


def _link_names(links: pd.DataFrame, names: ScenarioNames) -> pd.DataFrame:
    out = links.copy()
    out["link_id"] = out.index.astype(str)
    out["link_status"] = np.where(
        out["existing"], label("existing", names.lang), label("proposed", names.lang)
    )
    out["from"] = out["from"].map(names.ent)
    out["to"] = out["to"].map(names.ent)
    out["material"] = out["material"].map(names.material)
    out["route_id"] = out["route"]
    out["route"] = out["route"].map(names.route)
    out["mode"] = out["mode"].map(lambda m: names.mode(m) if m else "")
    return out


def _links(b: _Builder, links: pd.DataFrame, names: ScenarioNames) -> None:
    out = _link_names(links, names)
    b.add(
        "links",
        out,
        [
            ("link_id", "text"),
            ("link_status", "text"),
            ("from", "text"),
            ("to", "text"),
            ("material", "text"),
            ("route", "text"),
            ("mode", "text"),
            ("distance_km", "km"),
            ("flow_baseline", "q"),
            ("flow", "q"),
            ("flow_change", "q"),
            ("unit", "text"),
        ],
    )


def _effects(
    b: _Builder, links: pd.DataFrame, catalogue: Catalogue | None, names: ScenarioNames
) -> None:
    eff = _link_names(link_effects(links[links["flow"] > 0], catalogue), names)
    sums = [
        "co2_avoided_t_per_a",
        "electricity_mwh_per_a",
        "co2_national_t_per_a",
        "co2_sichuan_t_per_a",
        "energy_saved_tce_per_a",
    ]
    total = pd.DataFrame(
        [{**{c: eff[c].sum() for c in sums}, "link_id": label("total_row", b.lang)}]
    )
    eff = pd.concat([eff, total], ignore_index=True)
    eff = eff.rename(
        columns={
            "co2_avoided_t_per_a": "co2_avoided",
            "electricity_mwh_per_a": "electricity",
            "co2_national_t_per_a": "co2_national",
            "co2_sichuan_t_per_a": "co2_sichuan",
            "energy_saved_tce_per_a": "energy_saved",
        }
    )
    for c in ("link_status", "from", "to", "route", "unit"):
        eff[c] = eff[c].fillna("")
    b.add(
        "effects",
        eff,
        [
            ("link_id", "text"),
            ("link_status", "text"),
            ("from", "text"),
            ("to", "text"),
            ("route", "text"),
            ("delivered", "q"),
            ("unit", "text"),
            ("co2_avoided", "tco2"),
            ("electricity", "mwh"),
            ("co2_national", "tco2"),
            ("co2_sichuan", "tco2"),
            ("energy_saved", "tce"),
        ],
    )


def _economics_tables(b: _Builder, econ: pd.DataFrame, names: ScenarioNames) -> None:
    e = _link_names(econ, names).rename(
        columns={
            "transport_cny_per_a": "transport_cost",
            "fixed_cny_per_a": "fixed_cost",
            "purification_cny_per_a": "purification_cost",
            "value_cny_per_a": "value",
            "disposal_avoided_cny_per_a": "disposal_avoided",
        }
    )
    b.add(
        "economics_links",
        e,
        [
            ("link_id", "text"),
            ("link_status", "text"),
            ("from", "text"),
            ("to", "text"),
            ("route", "text"),
            ("flow", "q"),
            ("unit", "text"),
            ("disposal_avoided", "cny"),
            ("transport_cost", "cny"),
            ("fixed_cost", "cny"),
            ("generator_net", "cny"),
            ("value", "cny"),
            ("purification_cost", "cny"),
            ("user_net", "cny"),
            ("net_benefit", "cny"),
            ("price_min", "price"),
            ("price_max", "price"),
        ],
    )
    ent = enterprise_economics(econ)
    ent["enterprise_id"] = ent.index
    ent["enterprise"] = ent.index.map(names.ent)
    ent["park"] = ent.index.map(lambda i: names.scope("park", names.enterprise_park.get(i, "")))
    ent["sector"] = ent.index.map(names.sector)
    money = list(MONEY_COLUMNS)
    total = pd.DataFrame(
        [
            {
                **{c: ent[c].sum() for c in money},
                "enterprise_id": label("total_row", b.lang),
                "enterprise": "",
                "park": "",
                "sector": "",
            }
        ]
    )
    ent = pd.concat([ent.reset_index(drop=True), total], ignore_index=True)
    b.add(
        "economics_enterprises",
        ent,
        [
            ("enterprise_id", "text"),
            ("enterprise", "text"),
            ("sector", "text"),
            ("park", "text"),
            *[(c, "cny") for c in money],
        ],
    )


_SCORE_UNITS = {
    "pct": "u_pct",
    "tce": "u_tce",
    "tco2": "u_tco2",
    "cny_per_t": "u_cny_per_t",
    "wcny_per_tce": "u_wcny_per_tce",
    "cny_per_m3": "u_cny_per_m3",
}


def _scorecard(
    b: _Builder,
    util: pd.DataFrame,
    links: pd.DataFrame,
    scenario: Scenario | None,
    catalogue: Catalogue | None,
    names: ScenarioNames,
) -> None:
    lang = b.lang
    ent = scenario.enterprises if scenario is not None else None
    if ent is not None and "park" not in ent.columns and names.enterprise_park:
        ent = ent.assign(park=ent.index.astype(str).map(names.enterprise_park))
    elif ent is None and names.enterprise_park:
        ent = pd.DataFrame({"park": pd.Series(names.enterprise_park)})
    sc = scorecard(util, links, ent, catalogue)
    if sc.empty:
        return
    sc = sc.assign(
        scope=[names.scope(t, i) for t, i in zip(sc["scope_type"], sc["scope_id"], strict=True)],
        sc_indicator=sc["indicator"].map(lambda k: label(f"ind_{k}", lang)),
        sc_basis=sc["basis"].map(lambda k: label(f"basis_{k}", lang)),
        unit=sc["unit"].map(lambda u: label(_SCORE_UNITS[u], lang)),
        sc_value=sc["value"],
        sc_reference=sc["reference"],
        sc_assessment=[
            label("sc_needs", lang).format(cols=n)
            if n
            else (
                label("sc_meets" if m else "sc_below", lang)
                if isinstance(m, bool)
                else label("sc_no_ref", lang)
            )
            for n, m in zip(sc["needs"], sc["meets"], strict=True)
        ],
        sc_source=sc["source"].map(lambda k: label(f"src_{k}", lang)),
    )
    b.add(
        "scorecard",
        sc,
        [
            ("scope", "text"),
            ("sc_indicator", "text"),
            ("sc_basis", "text"),
            ("sc_value", "q"),
            ("sc_reference", "q"),
            ("unit", "text"),
            ("sc_assessment", "text"),
            ("sc_source", "text"),
        ],
    )


def _projects(
    b: _Builder, links: pd.DataFrame, catalogue: Catalogue | None, names: ScenarioNames
) -> None:
    p = project_list(links, catalogue)
    if p.empty:
        return
    out = _link_names(p, names)
    factor = INVESTMENT_PER_ANNUAL_FIXED
    out = out.assign(
        project_id=out["link_id"],
        annual_fixed=out["fixed_cny_per_a"],
        investment=out["investment_cny"],
        energy_saved=out["energy_saved_tce_per_a"],
        co2_avoided=out["co2_avoided_t_per_a"],
        investment_basis=[
            label("inv_capex", b.lang)
            if k == "capex"
            else label("inv_factor", b.lang).format(factor=factor)
            for k in out["investment_basis"]
        ],
        funding="",
    )
    b.add(
        "projects",
        out,
        [
            ("project_id", "text"),
            ("from", "text"),
            ("to", "text"),
            ("material", "text"),
            ("route", "text"),
            ("flow", "q"),
            ("unit", "text"),
            ("energy_saved", "tce"),
            ("co2_avoided", "tco2"),
            ("annual_fixed", "cny"),
            ("investment", "cny"),
            ("investment_basis", "text"),
            ("funding", "text"),
        ],
    )


# ---------------------------------------------------------------------------------------------
# investment planning (issue 12): the build plan, the pathway by year, the diagnosis
# ---------------------------------------------------------------------------------------------
def _year_text(value: Any) -> str:
    """A year cell as text ("2026"; "" when empty)."""
    v = pd.to_numeric(pd.Series([value]), errors="coerce").iloc[0]
    return "" if pd.isna(v) else f"{int(v)}"


def _city_of(scenario: Scenario | None, result: Result) -> tuple[dict[str, str], dict[str, str]]:
    """Enterprise → city and park → city, from the scenario and the result's sources."""
    ent_city: dict[str, str] = {}
    park_city: dict[str, str] = {}
    src = result.sources
    if src is not None and len(src) and {"park", "city"} <= set(src.columns):
        pairs = src[["park", "city"]].dropna().drop_duplicates("park")
        park_city.update(zip(pairs["park"].astype(str), pairs["city"].astype(str), strict=True))
    if scenario is not None and "city" in scenario.enterprises.columns:
        ent = scenario.enterprises
        ent_city.update(
            {
                str(k): t
                for k, v in zip(ent.index, ent["city"], strict=True)
                if (t := text_of(v)) is not None
            }
        )
        if "park" in ent.columns:
            for p, c in zip(ent["park"], ent["city"], strict=True):
                if (pt := text_of(p)) and (ct := text_of(c)):
                    park_city.setdefault(pt, ct)
    return ent_city, park_city


def _build_plan(
    b: _Builder,
    result: Result,
    scenario: Scenario | None,
    catalogue: Catalogue | None,
    names: ScenarioNames,
) -> None:
    """项目清单（一）: the facilities the plan builds or expands — what, where, when, how big."""
    plan = facility_plan(result)
    if plan.empty:
        return
    lang = b.lang
    ent_city, park_city = _city_of(scenario, result)

    def cell(row: dict[str, Any], key: str) -> Any:
        return row.get(key)

    rows = []
    for r in plan.to_dict(orient="records"):
        site = text_of(cell(r, "site"))
        park = text_of(cell(r, "park")) or (names.enterprise_park.get(site, "") if site else "")
        city = (ent_city.get(site) if site else None) or park_city.get(park or "", "")
        rows.append(
            {
                "facility_id": str(r["facility_id"]),
                "technology": technology_name(catalogue, str(cell(r, "technology")), lang),
                "fac_site": names.ent(site) if site else label("free_site", lang),
                "fac_park": names.scope("park", park) if park else "",
                "fac_city": names.city_name(city) if city else "",
                "build_year": _year_text(cell(r, "build_year")),
                "expanded_year": _year_text(cell(r, "expanded_year")),
                "fac_existing": cell(r, "existing_size"),
                "fac_size": cell(r, "size"),
                "unit": str(cell(r, "unit") or ""),
                "capex": cell(r, "capex_cny"),
                "annual_cost": cell(r, "annual_cost_cny_per_a"),
                "throughput": cell(r, "throughput"),
                "load_factor": 100.0 * float(pd.to_numeric(cell(r, "load_factor"), "coerce") or 0),
            }
        )
    frame = pd.DataFrame(rows)
    total = {k: "" for k in frame.columns} | {
        "facility_id": label("total_row", lang),
        "capex": float(pd.to_numeric(frame["capex"], errors="coerce").sum()),
        "annual_cost": float(pd.to_numeric(frame["annual_cost"], errors="coerce").sum()),
        "fac_existing": np.nan,
        "fac_size": np.nan,
        "throughput": np.nan,
        "load_factor": np.nan,
    }
    frame = pd.concat([frame, pd.DataFrame([total])], ignore_index=True)
    spec: list[tuple[str, str]] = [
        ("facility_id", "text"),
        ("technology", "text"),
        ("fac_site", "text"),
        ("fac_park", "text"),
        ("fac_city", "text"),
        ("build_year", "text"),
    ]
    if frame["expanded_year"].astype(str).str.len().gt(0).any():
        spec.append(("expanded_year", "text"))
    if pd.to_numeric(frame["fac_existing"], errors="coerce").fillna(0).gt(0).any():
        spec.append(("fac_existing", "q"))
    spec += [
        ("fac_size", "q"),
        ("throughput", "q"),
        ("unit", "text"),
        ("load_factor", "pct"),
        ("capex", "yuan"),
        ("annual_cost", "cny"),
    ]
    b.add("build_plan", frame, spec)


def _trajectory(b: _Builder, rows: pd.DataFrame, names: ScenarioNames) -> None:
    """十三、逐年达标路径: each year's rate per target against the rate it must reach."""
    if rows.empty:
        return
    lang = b.lang
    t = rows.copy()
    first = ~t["year"].duplicated()
    t["tr_year"] = t["year"].map(str)
    t["tr_target_id"] = t["target_id"].fillna("").astype(str)
    t["scope"] = [
        label("all_scope", lang) if s == "all" else names.scope("park", str(s))
        for s in t["scope"].fillna("all")
    ]
    t["tr_rate"] = t["rate"] * 100
    t["tr_required"] = t["target"] * 100
    t["tr_before"] = t["before"] * 100
    t["tr_met"] = [
        ""
        if m is None or (isinstance(m, float) and np.isnan(m))
        else label("yes" if m else "no", lang)
        for m in t["met"]
    ]
    # the year's money and CO₂ once per year (on its first target row), not once per target
    t["tr_capex"] = t["capex_cny"].where(first)
    t["tr_cost"] = t["total_cny_per_a"].where(first)
    t["tr_co2"] = t["co2_avoided_t_per_a"].where(first)
    spec: list[tuple[str, str]] = [
        ("tr_year", "text"),
        ("tr_target_id", "text"),
        ("scope", "text"),
    ]
    if t["tr_before"].notna().any():
        spec.append(("tr_before", "pct"))
    spec += [
        ("tr_rate", "pct"),
        ("tr_required", "pct"),
        ("tr_met", "text"),
        ("tr_capex", "yuan"),
        ("tr_cost", "cny"),
        ("tr_co2", "tco2"),
    ]
    b.add("trajectory", t, spec)


def _diagnosis(
    b: _Builder, result: Result, catalogue: Catalogue | None, names: ScenarioNames
) -> None:
    """十四、不可达目标诊断: per material and park, what is left and what would take it."""
    d = result.diagnosis
    if d is None or len(d) == 0 or "material" not in d.columns:
        return
    lang = b.lang
    out = d.copy()
    records = out.to_dict(orient="records")
    lookup = diagnosis_lookup(result)
    park_col = out["park"] if "park" in out.columns else pd.Series("", index=out.index)
    out["dg_target"] = out["target"].astype(str) if "target" in out.columns else ""
    out["scope"] = [names.scope("park", str(p)) if text_of(p) else "" for p in park_col]
    out["dg_material"] = out["material"].astype(str).map(names.material)
    out["dg_left"] = pd.to_numeric(out.get("left"), errors="coerce")
    out["dg_needed"] = pd.to_numeric(out.get("capacity_needed"), errors="coerce")
    out["unit"] = out["unit"].astype(str) if "unit" in out.columns else "t/a"
    out["dg_reason"] = [diagnosis_reason(r, lang) for r in records]
    out["dg_facilities"] = [
        diagnosis_facilities(
            r, lookup, catalogue, lang, names.ent, names.scope("park", str(p)) if text_of(p) else ""
        )
        for r, p in zip(records, park_col, strict=True)
    ]
    # a pathway diagnoses each year that misses its target: the year is a column then
    year = pd.to_numeric(out.get("year", pd.Series(np.nan, index=out.index)), errors="coerce")
    by_year = bool(year.notna().any())
    if by_year:
        out["tr_year"] = [f"{y:.0f}" if pd.notna(y) else "" for y in year]
    b.add(
        "diagnosis",
        out,
        [
            ("dg_target", "text"),
            *([("tr_year", "text")] if by_year else []),
            ("scope", "text"),
            ("dg_material", "text"),
            ("dg_left", "q"),
            ("dg_needed", "q"),
            ("unit", "text"),
            ("dg_reason", "text"),
            ("dg_facilities", "text"),
        ],
    )
