"""What the map says.

Labels, colours, the tables behind the popups, and the popup, title and legend HTML.

Every user string (enterprise, park, sector, material, scenario names and ids) goes into the
HTML through :func:`~parkflow.maps.elements.html_text`; tooltips are plain text (shown with
``textContent``). See docs/maps.md, "What the map shows".
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd

from parkflow.colours import MATERIAL_COLOURS, material_colour  # noqa: F401
from parkflow.i18n import Names, family_name, label, sector_family, sector_name
from parkflow.maps.elements import html_text as _esc
from parkflow.models.result import Result
from parkflow.models.scenario import Scenario
from parkflow.statistics.summary import link_counts
from parkflow.statistics.utilisation import utilisation_rate

_FLAT_LEGEND = 8  # more sectors than this: the legend groups them by family
_ONE_COLUMN = 12  # more sectors than this: the legend lists them in two columns


def map_label(key: str, lang: str) -> str:
    """Text of a map label in ``lang`` (``"zh"`` or ``"en"``).

    The texts live in :mod:`parkflow.i18n` under ``map:<key>``.

    >>> map_label("enterprises", "en")
    'Enterprises'
    """
    return label(f"map:{key}", lang)


# ---------------------------------------------------------------------------------------------
# numbers as text
# ---------------------------------------------------------------------------------------------
def num(x: Any, decimals: int = 0) -> str:
    """A number with thousands separators; "–" for a missing or non-finite value.

    >>> num(1234.5), num(float("nan")), num(2.345, 1)
    ('1,234', '–', '2.3')
    """
    try:
        value = float(x)
    except (TypeError, ValueError):
        return "–"
    if not np.isfinite(value):
        return "–"
    return f"{value:,.{decimals}f}"


def pct(x: Any) -> str:
    """A fraction as a percentage (``0.785`` → ``"78.5 %"``); "–" when missing.

    >>> pct(0.785)
    '78.5 %'
    """
    try:
        value = float(x)
    except (TypeError, ValueError):
        return "–"
    return "–" if not np.isfinite(value) else f"{100 * value:.1f} %"


def money(x: Any, lang: str) -> str:
    """CNY/a as 万元/a in Chinese, CNY/a in English.

    >>> money(-1_000_000, "zh"), money(1234, "en")
    ('-100.0 万元/a', '1,234 CNY/a')
    """
    try:
        value = float(x)
    except (TypeError, ValueError):
        return "–"
    if lang == "zh":
        return f"{num(value / 1e4, 1)} 万元/a"
    return f"{num(value)} CNY/a"


# ---------------------------------------------------------------------------------------------
# tables behind the popups (vectorised)
# ---------------------------------------------------------------------------------------------
def column(frame: pd.DataFrame, name: str, default: Any = np.nan) -> pd.Series:
    """``frame[name]``, or a column of ``default`` when the frame has none."""
    if name in frame.columns:
        return frame[name]
    return pd.Series(default, index=frame.index)


def built_links(result: Result) -> pd.DataFrame:
    """The built links of a result, with the columns the map needs.

    Parameters
    ----------
    result : Result
        A solve, in-process or read back (:func:`parkflow.read_result`).

    Returns
    -------
    pandas.DataFrame
        Its ``flows`` rows with ``build`` set, and at least ``from, to, material, route, mode,
        flow, delivered, existing`` (``delivered`` defaults to ``flow``). With periods (a
        ``year`` column) the rows of the last year: the map shows the plan as finally built.
    """
    flows = result.flows if result.flows is not None else pd.DataFrame()
    if flows.empty or not {"from", "to", "material"} <= set(flows.columns):
        return pd.DataFrame(columns=["from", "to", "material", "route", "flow", "delivered"])
    flows = flows.copy()
    # typed by io.solution: numbers are numbers, in-process and read back
    flows["flow"] = column(flows, "flow", 0.0).astype(float).fillna(0.0)
    if "build" in flows.columns:
        flows = flows[flows["build"].astype(float).fillna(0) > 0.5]
    if "year" in flows.columns:  # with periods: the plan as built by its last year
        year = pd.to_numeric(flows["year"], errors="coerce")
        if year.notna().any():
            flows = flows[year == year.max()]
    flows["delivered"] = column(flows, "delivered").astype(float)
    flows["delivered"] = flows["delivered"].fillna(flows["flow"])
    for col in ("from", "to", "material", "route", "mode"):
        flows[col] = column(flows, col, "").astype(str)
    flows["existing"] = column(flows, "existing", False).fillna(False).astype(bool)
    return flows


def year_views(result: Result) -> list[tuple[int, Result]]:
    """A pathway's years, each as a result of that year alone (what the year switch shows).

    Parameters
    ----------
    result : Result
        A solve with ``periods`` (in-process or read back).

    Returns
    -------
    list of (int, Result)
        Per year of ``result.periods``, in order: the result with that year's flows,
        utilisation, targets, objective, CO₂ and facilities (the ``year`` rows of
        ``facilities``); its ``sources`` are the period's when it carries them (a solve, or a
        folder read back) and None otherwise (a folder written before ``sources.csv`` had a
        ``year`` column, docs/maps.md). Empty
        for a result with fewer than two years.

    Examples
    --------
    >>> from parkflow.examples import tiny_park
    >>> from parkflow.solvers.api import solve
    >>> year_views(solve(tiny_park()))
    []
    """
    periods = [p for p in (getattr(result, "periods", None) or []) if "year" in p]
    if len(periods) < 2:
        return []
    fac = result.facilities
    fac_year = (
        pd.to_numeric(fac["year"], errors="coerce")
        if fac is not None and "year" in fac.columns
        else None
    )
    views = []
    for p in periods:
        year = int(p["year"])
        targets = p.get("targets")
        flows = p.get("flows")
        views.append(
            (
                year,
                replace(
                    result,
                    flows=flows if flows is not None else result.flows,
                    links=flows if flows is not None else result.links,
                    sources=p.get("sources"),
                    utilisation=p.get("utilisation", result.utilisation),
                    targets=targets
                    if isinstance(targets, pd.DataFrame)
                    else pd.DataFrame(list(targets or [])),
                    objective=dict(p.get("objective") or {}),
                    co2_avoided_t_per_a=float(p.get("co2_avoided_t_per_a") or 0.0),
                    facilities=fac[fac_year == year] if fac_year is not None else fac,
                    periods=[],
                ),
            )
        )
    return views


def links_built_count(result: Result) -> int:
    """Links built, as ``summary.json`` counts them (``link_counts`` of statistics.summary)."""
    try:
        return int(link_counts(result)["links_built"])
    except (AttributeError, KeyError, TypeError, ValueError):
        return len(built_links(result))


def material_units(scenario: Scenario, materials: pd.Series) -> pd.Series:
    """Canonical unit of each material (``t/a`` when the catalogue does not say)."""
    mats = scenario.catalogue.materials
    unit = mats["canonical_unit"] if "canonical_unit" in mats.columns else pd.Series(dtype=str)
    return materials.astype(str).map(unit).fillna("t/a").astype(str)


def sources_table(scenario: Scenario, result: Result) -> pd.DataFrame:
    """Per (enterprise, material): ``generated, drawn, utilised, left, unit, rate``.

    Without a solution (no ``sources`` frame) everything generated is left.
    """
    src = result.sources if result.sources is not None else pd.DataFrame()
    if not src.empty and {"enterprise", "material"} <= set(src.columns):
        out = pd.DataFrame(
            {  # typed by io.solution
                "enterprise": src["enterprise"].astype(str),
                "material": src["material"].astype(str),
                "generated": column(src, "generated", 0.0).astype(float),
                # 其中综合利用往年贮存量: the nbs rate's drawn (docs/model.md#bases)
                "drawn": column(
                    src, "drawn_utilised" if "drawn_utilised" in src else "drawn", 0.0
                ).astype(float),
                "utilised": column(src, "utilised", 0.0).astype(float),
            }
        ).fillna({"generated": 0.0, "drawn": 0.0, "utilised": 0.0})
        out = out.groupby(["enterprise", "material"], as_index=False, sort=True).sum()
        if "left" in src.columns:
            left = (
                src.assign(
                    enterprise=src["enterprise"].astype(str), material=src["material"].astype(str)
                )
                .groupby(["enterprise", "material"])["left"]
                .sum()
            )
            out["left"] = pd.MultiIndex.from_frame(out[["enterprise", "material"]]).map(left)
            out["left"] = out["left"].astype(float)  # typed by io.solution
        else:
            out["left"] = np.nan
    else:  # no solution: everything generated is left
        sup = scenario.supplies
        out = (
            pd.DataFrame(
                {
                    "enterprise": sup["enterprise"].astype(str),
                    "material": sup["material"].astype(str),
                    "generated": sup["quantity"].astype(float),
                }
            )
            .groupby(["enterprise", "material"], as_index=False, sort=True)
            .sum()
        )
        out["drawn"] = 0.0
        out["utilised"] = 0.0
        out["left"] = np.nan
    out["left"] = out["left"].fillna(out["generated"] + out["drawn"] - out["utilised"])
    out["left"] = out["left"].clip(lower=0.0)
    out["unit"] = material_units(scenario, out["material"]).to_numpy()
    out["rate"] = utilisation_rate(
        out["utilised"].to_numpy(float),
        out["generated"].to_numpy(float),
        out["drawn"].to_numpy(float),
    )
    return out


def absorbs_table(scenario: Scenario, flows: pd.DataFrame) -> pd.DataFrame:
    """Per (enterprise, route): ``capacity, unit`` and what it ``received``."""
    uses = scenario.uses
    cap = (
        pd.DataFrame(
            {
                "enterprise": uses["enterprise"].astype(str),
                "route": uses["route"].astype(str),
                "capacity": uses["capacity"].astype(float),
                "unit": uses["unit"].astype(str),
            }
        )
        .groupby(["enterprise", "route"], as_index=False, sort=True)
        .agg(capacity=("capacity", "sum"), unit=("unit", "first"))
    )
    if flows.empty:
        cap["received"] = 0.0
        return cap
    got = flows.groupby(["to", "route"])["delivered"].sum()
    cap["received"] = pd.MultiIndex.from_frame(cap[["enterprise", "route"]]).map(got)
    cap["received"] = pd.to_numeric(cap["received"], errors="coerce").fillna(0.0)
    return cap


# ---------------------------------------------------------------------------------------------
# popups, title and legend (HTML; user strings escaped)
# ---------------------------------------------------------------------------------------------
def _table(headers: list[str], rows: list[list[str]], lang: str) -> str:
    if not rows:
        return f"<i>{_esc(map_label('none', lang))}</i>"
    head = "".join(f"<th>{_esc(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
    return f'<table class="pf-t"><tr>{head}</tr>{body}</table>'


def enterprise_popups(
    scenario: Scenario, sources: pd.DataFrame, absorbs: pd.DataFrame, names: Names, lang: str
) -> dict[str, str]:
    """Popup HTML of each enterprise: name, id, sector, park, what it generates and absorbs."""
    L = lambda k: map_label(k, lang)  # noqa: E731
    gen_rows: dict[str, list[list[str]]] = {}
    for r in sources.itertuples(index=False):
        gen_rows.setdefault(r.enterprise, []).append(
            [
                _esc(names.material(r.material)),
                num(r.generated),
                num(r.utilised),
                pct(r.rate),
                _esc(r.unit),
            ]
        )
    abs_rows: dict[str, list[list[str]]] = {}
    for r in absorbs.itertuples(index=False):
        abs_rows.setdefault(r.enterprise, []).append(
            [_esc(names.route(r.route)), num(r.capacity), num(r.received), _esc(r.unit)]
        )
    ent = scenario.enterprises
    popups: dict[str, str] = {}
    for eid, sector, park in zip(
        ent.index.astype(str),
        ent["sector"].astype(str),
        ent["park"].astype(str),
        strict=True,
    ):
        popups[eid] = (
            f'<div class="pf-pop"><b>{_esc(names.ent(eid))}</b> '
            f'<span class="pf-id">{_esc(eid)}</span><br>'
            f"{_esc(L('sector'))}: {_esc(sector_name(sector, lang))} · {_esc(L('park'))}: "
            f"{_esc(names.park_name(park))}"
            f"<h4>{_esc(L('generates'))}</h4>"
            + _table(
                [L("material"), L("generated"), L("utilised"), L("rate"), L("unit")],
                gen_rows.get(eid, []),
                lang,
            )
            + f"<h4>{_esc(L('absorbs'))}</h4>"
            + _table(
                [L("route"), L("capacity"), L("received"), L("unit")], abs_rows.get(eid, []), lang
            )
            + "</div>"
        )
    return popups


def link_popup(r: Any, names: Names, unit: str, lang: str) -> str:
    """Popup HTML of one built link (a row of :func:`built_links`, ``from`` as ``from_``)."""
    L = lambda k: map_label(k, lang)  # noqa: E731
    kind = L("existing") if r.existing else L("proposed")
    rows = [
        (L("material"), _esc(names.material(r.material))),
        (L("route"), _esc(names.route(r.route))),
        (L("flow"), f"{num(r.flow)} {_esc(unit)}"),
        (L("delivered"), f"{num(r.delivered)} {_esc(unit)}"),
        (L("distance"), f"{num(r.distance_km, 1)} km"),
        (L("mode"), _esc(names.mode(r.mode)) if r.mode else "–"),
        (L("transport"), money(r.transport_cny_per_a, lang)),
        (L("fixed"), money(r.fixed_cny_per_a, lang)),
        (L("purification"), money(r.purification_cny_per_a, lang)),
        (L("value"), money(r.value_cny_per_a, lang)),
        (L("disposal"), money(r.disposal_avoided_cny_per_a, lang)),
        (L("net_cost"), money(r.total_cny_per_a, lang)),
        (L("co2"), f"{num(r.co2_avoided_t_per_a, 1)} {L('co2_unit')}"),
    ]
    body = "".join(f"<tr><th>{_esc(k)}</th><td>{v}</td></tr>" for k, v in rows)
    return (
        f'<div class="pf-pop"><b>{_esc(names.ent(r.from_))} → '
        f"{_esc(names.ent(r.to))}</b><br><i>{_esc(kind)}</i>"
        f'<table class="pf-t">{body}</table></div>'
    )


def _scope_text(scope: str, names: Names, lang: str, scenario: Scenario | None = None) -> str:
    kind, _, key = str(scope).partition(":")
    if kind == "all" or not key:
        return map_label("all_scope", lang)
    if kind != "park":
        return key
    parks = getattr(scenario, "parks", None)
    if lang == "en" and parks is not None and "name_en" in parks.columns and key in parks.index:
        value = parks.at[key, "name_en"]
        if isinstance(value, str) and value.strip():
            return value.strip()
    return names.park_name(key)


def title_html(scenario: Scenario, result: Result, names: Names, lang: str) -> str:
    """Scenario name, status, links built and one line per target.

    A target with one row per park (scope ``each_park``) takes one line: how many parks meet
    it and the lowest rate, so that a province-wide map keeps a small title.
    """
    L = lambda k: map_label(k, lang)  # noqa: E731
    status = getattr(result.status, "value", str(result.status))
    parts = [
        f"<h3>{_esc(scenario.name)}</h3>",
        f"{_esc(L('status'))}: {_esc(label(status, lang, default=status))} · "
        f"{_esc(L('links_built'))}: {links_built_count(result)}",
    ]
    targets = result.targets if result.targets is not None else pd.DataFrame()
    if targets.empty or not {"id", "rate", "target"} <= set(targets.columns):
        return "".join(parts)
    t = targets.reset_index(drop=True).assign(
        id=lambda d: d["id"].astype(str),
        scope=lambda d: d["scope"] if "scope" in d.columns else "all",
        met=lambda d: d["met"] if "met" in d.columns else False,
    )
    t["met"] = t["met"].eq(True)  # typed by io.solution (read_solution parses it already)
    rows = []
    for tid, group in t.groupby("id", sort=False):
        lowest = group.loc[group["rate"].astype(float).fillna(-1).idxmin()]  # typed by io.solution
        all_met = bool(group["met"].all())
        if len(group) == 1:
            where = _scope_text(lowest["scope"], names, lang, scenario)
            rate = f"{_esc(L('rate'))} {pct(lowest['rate'])}"
        else:
            where = L("parks_met").format(met=int(group["met"].sum()), n=len(group))
            park = _scope_text(lowest["scope"], names, lang, scenario)
            short = park if len(park) <= 14 else park[:13] + "…"
            rate = (
                f"{_esc(L('lowest'))} {pct(lowest['rate'])} "
                f'(<span title="{_esc(park)}">{_esc(short)}</span>)'
            )
        ok = (
            '<span style="color:#1a7f37">✔</span>'
            if all_met
            else '<span style="color:#c62828">✘</span>'
        )
        rows.append(
            f"<tr><td><b>{_esc(tid)}</b></td><td>{_esc(where)}</td><td>{rate}</td>"
            f"<td>{_esc(L('target'))} {pct(group['target'].iloc[0])} {ok}</td></tr>"
        )
    parts.append(f'<table class="pf-tg">{"".join(rows)}</table>')
    return "".join(parts)


def legend_html(sectors: dict[str, str], materials: list[tuple[str, str]], lang: str) -> str:
    """The legend: sectors (grouped by family when there are many), materials, line styles.

    It sits in a ``<details>`` element, open at first, that a click on its heading folds away
    (a legend can cover part of a province-wide map).

    Parameters
    ----------
    sectors : dict of str to str
        Sector id → colour, in legend order (:func:`parkflow.i18n.sector_colours`).
    materials : list of (str, str)
        (material name, colour) of the materials drawn.
    lang : {"zh", "en"}
    """
    L = lambda k: map_label(k, lang)  # noqa: E731

    def swatch(sector: str, colour: str) -> str:
        return (
            f'<span class="pf-it"><span class="sw" style="background:{_esc(colour)}">'
            f"</span>{_esc(sector_name(sector, lang))}</span>"
        )

    parts = [
        f"<details open><summary>{_esc(L('legend'))}</summary>",
        f"<b>{_esc(L('legend_sectors'))}</b>",
    ]
    grouped = len(sectors) > _FLAT_LEGEND
    body: list[str] = []
    family = None
    for sector, colour in sectors.items():  # already ordered by family
        if grouped and sector_family(sector) != family:
            family = sector_family(sector)
            body.append(f'<span class="pf-fam">{_esc(family_name(family, lang))}</span>')
        body.append(swatch(sector, colour))
    cols = " pf-2col" if len(sectors) > _ONE_COLUMN else ""
    parts.append(f'<div class="pf-sectors{cols}">{"".join(body)}</div>')
    if materials:
        cols = ' class="pf-2col"' if len(materials) > 6 else ""
        parts.append(f"<b>{_esc(L('legend_materials'))}</b><div{cols}>")
        parts += [
            f'<span class="pf-it"><span class="ln" style="background:{_esc(c)}"></span>'
            f"{_esc(_capital(n, lang))}</span>"
            for n, c in materials
        ]
        parts.append("</div>")
    parts.append(
        f"<i>{_esc(L('legend_width'))}<br>{_esc(L('legend_zoom'))}<br>"
        f"{_esc(L('legend_unused'))}</i></details>"
    )
    return "".join(parts)


def _capital(text: str, lang: str) -> str:
    """First letter upper-case in English ("fly ash" → "Fly ash"); Chinese unchanged."""
    return text[:1].upper() + text[1:] if lang == "en" else text
