"""The console summary of `parkflow solve` and `parkflow run`, in the report's language.

The cost line lists every part of the objective, so that the parts add up to the net cost:
``net = transport + fixed + purification − value − disposal avoided`` (docs/reporting.md,
"Economics").
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from parkflow.i18n import label, stopped_message

__all__ = ["cost_parts", "diagnosis_lines", "summary_lines", "summary_table"]

#: The parts of the objective, with their sign in the net cost.
COST_PARTS = (
    ("transport", 1.0),
    ("fixed", 1.0),
    ("purification", 1.0),
    ("value", -1.0),
    ("disposal_avoided", -1.0),
)
#: Parts a result has only with candidate facilities (docs/model.md, "Facilities").
FACILITY_COST_PARTS = (("facility", 1.0), ("variable", 1.0))


def cost_parts(objective: dict[str, float]) -> list[tuple[str, float, float]]:
    """The parts of the net cost as ``(name, amount, sign)``; Σ sign × amount = total.

    Parameters
    ----------
    objective : dict
        ``Result.objective`` (``*_cny_per_a`` keys; a missing part counts as 0).

    Returns
    -------
    list of tuple

    Examples
    --------
    >>> parts = cost_parts({"transport_cny_per_a": 10, "fixed_cny_per_a": 5,
    ...                     "purification_cny_per_a": 2, "value_cny_per_a": 30,
    ...                     "disposal_avoided_cny_per_a": 4})
    >>> sum(a * s for _, a, s in parts)
    -17.0
    """
    extra = tuple(p for p in FACILITY_COST_PARTS if f"{p[0]}_cny_per_a" in objective)
    return [
        (name, float(objective.get(f"{name}_cny_per_a", 0.0) or 0.0), sign)
        for name, sign in (*COST_PARTS, *extra)
    ]


def _links_text(result: Any, lang: str) -> str:
    from parkflow.statistics.links import link_counts

    n = link_counts(result)
    idle = label("c_idle", lang).format(n=n["links_idle"]) if n["links_idle"] else ""
    return label("c_links_detail", lang).format(
        built=n["links_built"], existing=n["links_existing"], new=n["links_new"], idle=idle
    )


def _status(result: Any, lang: str) -> str:
    """The status: its id in English (what scripts grep for), its label in Chinese."""
    if lang == "en":
        return str(result.status.value)
    return label(result.status.value, lang, default=result.status.value)


def summary_lines(result: Any, lang: str = "en", out: Path | None = None) -> list[str]:
    """The plain-text summary of a result: status, cost and its parts, CO₂, links, targets.

    Parameters
    ----------
    result : Result
    lang : {"zh", "en"}
    out : path, optional
        The folder written (a last line says so).

    Returns
    -------
    list of str
    """
    lines = [f"{result.scenario_name}: {_status(result, lang)}"]
    if result.status.has_solution:
        obj = result.objective
        sep = "，" if lang == "zh" else ", "
        parts = sep.join(
            f"{label(f'c_{_short(n)}', lang)} {'−' if s < 0 else ''}{a:,.0f}"
            for n, a, s in cost_parts(obj)
        )
        left, right, semi = ("（", "）", "；") if lang == "zh" else (" (", ")", "; ")
        lines.append(
            f"  {label('c_net_cost', lang)} {obj.get('total_cny_per_a', 0.0):,.0f} "
            f"{label('c_cny', lang)}{left}{parts}{right}"
        )
        lines.append(
            f"  {label('c_co2', lang)} {result.co2_avoided_t_per_a:,.0f} "
            f"{label('c_tco2', lang)}{semi}{label('c_links', lang)} "
            f"{_links_text(result, lang)}"
        )
        for t in result.targets.itertuples():
            status = getattr(t, "status", "")
            if status == "not_applicable":
                lines.append(
                    f"  {label('c_target', lang)} {t.id} ({t.scope}): "
                    f"{label('c_not_applicable', lang)}"
                )
                continue
            mark = (
                label("c_met", lang)
                if t.met
                else label("c_not_met", lang).format(short=f"{t.shortfall:,.0f}", unit=t.unit)
            )
            if status == "not_enforced":
                mark += label("c_not_enforced", lang)
            basis = getattr(t, "basis", "nbs")
            rate = label("c_rate_vs", lang).format(rate=f"{t.rate:.1%}", target=f"{t.target:.0%}")
            if basis not in ("nbs", None, ""):
                rate = f"({basis}) {rate}"
            lines.append(f"  {label('c_target', lang)} {t.id} ({t.scope}): {rate} — {mark}")
        lines += diagnosis_lines(result, lang)
    message = _message(result, lang)
    if message:
        lines.append(f"  {message}")
    if out is not None:
        lines.append(f"  {label('c_written', lang)} {out}")
    return lines


def _message(result: Any, lang: str) -> str:
    """The solver's message in the summary's language.

    English: as the solver wrote it (scripts read it). Chinese: an unreachable target's
    message restates the target and diagnosis lines above it (best reachable rate, shortfall),
    so it is left out; a solve stopped at its limit says so in Chinese with its gap; any other
    message is shown as written.
    """
    msg = str(result.message or "")
    if lang == "en" or not msg:
        return msg
    status = result.status.value
    if status == "target_unreachable":
        return ""
    if status == "feasible" and msg.startswith("stopped at the "):
        info = getattr(result, "solver", None) or {}
        limit = str(info.get("limit") or "time")
        return stopped_message(limit, float(info.get("gap", float("nan"))), lang)
    return msg


def diagnosis_lines(result: Any, lang: str = "en") -> list[str]:
    """Per unmet target, the material left and the facilities that would close it.

    One line per row of ``result.diagnosis`` that names facilities (candidate sites not at
    their largest size, catalogue technologies with no site; docs/model.md "Facilities"),
    in ``lang`` with the names of technologies and sites.
    """
    d = getattr(result, "diagnosis", None)
    if d is None or len(d) == 0 or "material" not in d.columns:
        return []
    from parkflow.i18n import catalogue_name
    from parkflow.report.investment import diagnosis_facilities, diagnosis_lookup

    lookup = diagnosis_lookup(result)
    out = []
    for r in d.to_dict(orient="records"):
        park = str(r.get("park") or "")
        words = diagnosis_facilities(r, lookup, None, lang, park_name=park)
        if not words:
            continue
        material = catalogue_name(None, "materials", str(r.get("material")), lang, "mat")
        needed = float(r.get("capacity_needed") or 0.0)
        year = pd.to_numeric(pd.Series([r.get("year")]), errors="coerce").iloc[0]
        when = f"{year:.0f} " if pd.notna(year) else ""
        out.append(
            f"    {when}{r.get('target')} {material} ({park}) "
            f"{needed:,.0f} {r.get('unit') or 't/a'} — {label('c_diag', lang)}{words}"
        )
    return out


def _short(name: str) -> str:
    return "disposal" if name == "disposal_avoided" else name


def summary_table(result: Any, lang: str = "en") -> Any:
    """The summary of `parkflow run` as a rich Table, in ``lang``; the cost parts add up."""
    from rich.table import Table

    t = Table(title=f"{result.scenario_name} — {_status(result, lang)}")
    t.add_column(label("indicator", lang))
    t.add_column(label("sc_value", lang), justify="right")
    if result.status.has_solution:
        obj = result.objective
        t.add_row(
            f"{label('c_net_cost', lang)} ({label('c_cny', lang)})",
            f"{obj.get('total_cny_per_a', 0.0):,.0f}",
        )
        for name, amount, sign in cost_parts(obj):
            t.add_row(f"  {label(f'c_{_short(name)}', lang)}", f"{sign * amount:,.0f}")
        t.add_row(
            f"{label('c_co2', lang)} ({label('c_tco2', lang)})",
            f"{result.co2_avoided_t_per_a:,.0f}",
        )
        t.add_row(label("c_links", lang), _links_text(result, lang))
        for r in result.targets.itertuples():
            if getattr(r, "status", "") == "not_applicable":
                t.add_row(
                    f"{label('c_target', lang)} {r.id} ({r.scope})", label("c_not_applicable", lang)
                )
                continue
            state = (
                label("c_met", lang)
                if r.met
                else label("c_not_met", lang).format(short=f"{r.shortfall:,.0f}", unit=r.unit)
            )
            t.add_row(
                f"{label('c_target', lang)} {r.id} ({r.scope}) {r.target:.0%}",
                f"{r.rate:.1%} {state}",
            )
        b = result.baseline
        if b is not None and b.status.has_solution:
            for r in b.targets.itertuples():
                if getattr(r, "status", "") != "not_applicable":
                    t.add_row(f"{label('c_today', lang)} {r.id}", f"{r.rate:.1%}")
    return t


def build_plan_lines(result: Any, lang: str = "en") -> list[str]:
    """The build plan (项目清单): what, where, when, how big, capex; empty without facilities."""
    from parkflow.report.investment import facility_plan, technology_name

    fac = getattr(result, "facilities", None)
    zh = lang == "zh"
    if fac is None or not len(fac.columns):
        return []
    if fac.empty:
        return [f"  {'项目清单：不新建设施' if zh else 'build plan: no facility built'}"]
    plan = facility_plan(result).set_index("facility_id")  # one row per facility, its last year
    total = float(plan["capex_cny"].sum())
    head = (
        f"  项目清单（{len(plan)} 项设施，建设投资 {total:,.0f} 元）："
        if zh
        else f"  build plan ({len(plan)} facilities, capex {total:,.0f} CNY):"
    )
    lines = [head]
    for f_id, f in plan.sort_values("build_year", kind="stable").iterrows():
        # a single-year plan has no build or expansion years (absent or blank)
        built, grown_in = (
            pd.to_numeric(f.get(k), errors="coerce") for k in ("build_year", "expanded_year")
        )
        when = f"{built:.0f} " if pd.notna(built) else ""
        grown = ""
        if pd.notna(grown_in):
            grown = f"，{grown_in:.0f}年扩建" if zh else f", expanded {grown_in:.0f}"
        tech = technology_name(None, str(f.technology), lang)
        where = f.site if isinstance(f.site, str) and f.site else f.park
        if zh:
            lines.append(
                f"    {when}{f_id} {tech}（{where}）：{f['size']:,.0f} {f.unit}{grown}，"
                f"投资 {f.capex_cny:,.0f} 元，负荷率 {f.load_factor:.0%}"
            )
        else:
            lines.append(
                f"    {when}{f_id} {tech} at {where}: {f['size']:,.0f} {f.unit}{grown}, "
                f"capex {f.capex_cny:,.0f} CNY, load {f.load_factor:.0%}"
            )
    return lines


def period_lines(result: Any, lang: str = "en") -> list[str]:
    """With periods (issue 12): each year's rates, cost and capex, then the build plan.

    The build plan — what, where, when, how big, capex (项目清单). Empty without periods.
    """
    periods = getattr(result, "periods", None) or []
    if not periods:
        return []
    zh = lang == "zh"
    pv = getattr(result, "present_value_cny", float("nan"))
    lines = [f"  现值 {pv:,.0f} 元" if zh else f"  present value {pv:,.0f} CNY"]
    for p in periods:
        t = pd.DataFrame(p.get("targets") if p.get("targets") is not None else [])
        rates = []
        if len(t):
            for r in t.itertuples():
                if getattr(r, "status", "") == "not_applicable" or r.rate != r.rate:
                    continue
                mark = "✓" if r.met else "✗"
                rates.append(f"{r.id} {r.rate:.1%}/{r.target:.1%} {mark}")
        cost = (p.get("objective") or {}).get("total_cny_per_a", float("nan"))
        capex = float(p.get("capex_cny") or 0.0)
        if zh:
            lines.append(
                f"  {p['year']}年：{'；'.join(rates) or '-'}；年净成本 {cost:,.0f} 元/a"
                + (f"；建设投资 {capex:,.0f} 元" if capex else "")
            )
        else:
            lines.append(
                f"  {p['year']}: {'; '.join(rates) or '-'}; cost {cost:,.0f} CNY/a"
                + (f"; capex {capex:,.0f} CNY" if capex else "")
            )
    return lines + build_plan_lines(result, lang)
