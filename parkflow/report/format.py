"""Number and unit display of the filing tables: 万t/a, 万元/a, one-decimal percentages.

Used by the Markdown and HTML writers; the XLSX and CSV files keep the raw numbers in canonical
units (docs/reporting.md, "Formats").
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from parkflow.i18n import label

if TYPE_CHECKING:
    from parkflow.report.tables import Report

__all__ = ["display_frame", "meta_lines", "unscaled_header"]


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




def meta_lines(report: Report) -> list[tuple[str, str]]:
    """The report's metadata as (label, value) lines: scenario, status, objective, year."""
    lang = report.lang
    items = [(label("scenario", lang), str(report.meta["scenario"])),
             (label("status", lang), str(report.meta["status"])),
             (label("objective_name", lang), str(report.meta["objective"]))]
    if report.meta.get("year"):
        items.append((label("year", lang), str(report.meta["year"])))
    return items




def unscaled_header(header: str, lang: str) -> str:
    """The header with 万t/a (万元/a) put back to t/a (CNY/a), to find its kind."""
    return (header.replace(f"({label('u_wt', lang)})", f"({label('u_t', lang)})")
            .replace(f"({label('u_wcny', lang)})", f"({label('u_cny', lang)})"))


