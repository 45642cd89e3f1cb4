"""Number and unit policy of the filing tables: 万t/a and 万元/a in Chinese, one-decimal %.

One policy per report (``Report.units``, by default from the language): the Markdown, HTML and XLSX
files show the same units — XLSX holds the scaled numbers unrounded, with number formats. The
report CSVs keep the raw numbers in canonical units (docs/reporting.md, "Units").
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from parkflow.i18n import label

if TYPE_CHECKING:
    from parkflow.report.tables import Report

__all__ = [
    "display_frame",
    "meta_lines",
    "unscaled_header",
    "scaled_table",
    "number_format",
    "default_units",
    "UNITS",
    "WAN_KINDS",
]


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


#: Kinds scaled by 10⁴ under the 万 policy, with the unit label before and after.
WAN_KINDS = {
    "t": ("u_t", "u_wt"),
    "cny": ("u_cny", "u_wcny"),
    "tco2": ("u_tco2", "u_wtco2"),
    "yuan": ("u_yuan", "u_wyuan"),  # a sum of money (capex), not per year
}
#: Unit texts (in a unit column) scaled by 10⁴ under the 万 policy → their 万 unit label.
_WAN_ROW_UNITS = {
    "t/a": "u_wt",
    "CNY/a": "u_wcny",
    "元/a": "u_wcny",
    "tCO₂/a": "u_wtco2",
    "t CO₂/a": "u_wtco2",
}
UNITS = ("wan", "t")
#: From this tonnage (t/a) a Chinese report is in 万 units (:func:`default_units`).
WAN_FROM_T = 1e5


def default_units(lang: str, biggest_t: float = float("inf")) -> str:
    """The unit policy of a report: ``"wan"`` (万t/a, 万元/a) or ``"t"`` (t/a, CNY/a).

    Chinese reports are in 万 units when the largest tonnage of the report (the whole scenario's
    generation) reaches :data:`WAN_FROM_T` (100,000 t/a) — a real filing — and in t/a for a small
    example, where 万t/a would print 0.01; English reports are in t/a. The policy holds for the
    whole report, in every table and format.

    >>> default_units("zh"), default_units("zh", 60.0), default_units("en")
    ('wan', 't', 't')
    """
    return "wan" if lang == "zh" and biggest_t >= WAN_FROM_T else "t"


def number_format(decimals: int | None) -> str | None:
    """The Excel number format of a cell shown with ``decimals`` decimals (None: text).

    >>> number_format(2), number_format(0), number_format(None)
    ('#,##0.00', '#,##0', None)
    """
    if decimals is None:
        return None
    return "#,##0" + ("." + "0" * decimals if decimals > 0 else "")


def scaled_table(
    report: Report, key: str, units: str | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The table ``key`` in the report's unit policy: numbers scaled, headers and units renamed.

    Under ``"wan"`` every t/a, CNY/a and t CO₂/a column (and every row of a mixed column whose
    unit cell says so) is divided by 10⁴ and labelled 万t/a, 万元/a, 万tCO₂/a with two decimals;
    under ``"t"`` nothing is scaled. The numbers are not rounded: the decimals are returned
    apart, for the text (:func:`display_frame`) and for Excel's number formats.

    Parameters
    ----------
    report : Report
    key : str
        A table id.
    units : {"wan", "t"}, optional
        Default ``report.units``.

    Returns
    -------
    (DataFrame, DataFrame)
        The values (numbers as float, text as str) under the displayed headers, and per cell the
        number of decimals (``None`` for a text cell).
    """
    df = report.tables[key]
    kinds = report.kinds[key]
    lang = report.lang
    units = units or getattr(report, "units", "") or default_units(lang)
    wan = units == "wan"
    unit_col = label("unit", lang)
    row_units = df[unit_col].astype(str) if unit_col in df.columns else None
    row_scale = (
        pd.Series(
            [1e4 if wan and u in _WAN_ROW_UNITS else 1.0 for u in row_units],
            index=df.index,
            dtype=float,
        )
        if row_units is not None
        else None
    )
    values = pd.DataFrame(index=df.index)
    decimals = pd.DataFrame(index=df.index)
    for col in df.columns:
        kind = kinds.get(col, "text")
        s = df[col]
        head = col
        if kind == "text":
            text_values = s.astype(object).where(s.notna(), "").astype(str)
            if col == unit_col and wan:
                text_values = text_values.map(
                    lambda u: _wan_unit(u, lang) if u in _WAN_ROW_UNITS else u
                )
            values[head] = text_values
            decimals[head] = None
            continue
        v = pd.to_numeric(s, errors="coerce").astype(float)
        finite = v.dropna()
        biggest = float(finite.abs().max()) if len(finite) else 0.0
        integral = bool(np.allclose(finite, np.round(finite))) if len(finite) else True
        scale, dec = 1.0, 0
        if kind in ("pct", "pp"):
            dec = 1
        elif kind in WAN_KINDS and wan:
            scale, dec = 1e4, 2
            old, new = WAN_KINDS[kind]
            head = col.replace(f"({label(old, lang)})", f"({label(new, lang)})")
        elif kind in ("price", "km", "tce", "mwh"):
            dec = 1
        elif kind in ("q", "tco2"):
            dec = 0 if biggest >= 100 or integral else 2
        if kind == "q" and row_units is not None and row_scale is not None:
            scaled = v / row_scale
            per_row = [
                1
                if u in (label("u_pct", lang), label("u_pp", lang))
                else (0 if u == label("u_count", lang) else (2 if k != 1.0 else dec))
                for u, k in zip(row_units, row_scale, strict=True)
            ]
            values[head] = scaled
            decimals[head] = pd.Series(per_row, index=df.index, dtype=object)
            continue
        values[head] = v / scale
        decimals[head] = pd.Series([dec] * len(df), index=df.index, dtype=object)
    return values, decimals


def _wan_unit(unit: str, lang: str) -> str:
    return label(_WAN_ROW_UNITS[unit], lang)


def display_frame(report: Report, key: str, units: str | None = None) -> pd.DataFrame:
    """The table ``key`` as text, formatted as a filing writes it.

    The unit policy of the report's language (:func:`default_units`, docs/reporting.md,
    "Units"): Chinese in 万t/a, 万元/a and 万tCO₂/a (two decimals), English in t/a and CNY/a;
    percentages and percentage points have one decimal.

    Parameters
    ----------
    report : Report
    key : str
    units : {"wan", "t"}, optional
        Override of ``report.units``.
    """
    values, decimals = scaled_table(report, key, units)
    out = pd.DataFrame(index=values.index)
    for col in values.columns:
        out[col] = [
            v if d is None else _fmt(v, int(d))
            for v, d in zip(values[col], decimals[col], strict=True)
        ]
    return out


def meta_lines(report: Report) -> list[tuple[str, str]]:
    """The report's metadata as (label, value) lines: scenario, status, objective, year."""
    lang = report.lang
    items = [
        (label("scenario", lang), str(report.meta["scenario"])),
        (label("status", lang), str(report.meta["status"])),
        (label("objective_name", lang), str(report.meta["objective"])),
    ]
    if report.meta.get("year"):
        items.append((label("year", lang), str(report.meta["year"])))
    return items


def unscaled_header(header: str, lang: str) -> str:
    """The header with 万t/a (万元/a, 万tCO₂/a) put back to t/a (CNY/a, t CO₂/a): its kind."""
    for old, new in WAN_KINDS.values():
        header = header.replace(f"({label(new, lang)})", f"({label(old, lang)})")
    return header
