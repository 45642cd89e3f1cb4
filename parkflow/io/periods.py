"""Inputs of a multi-period scenario (docs/model.md "Periods").

``periods``, ``rate_by_year`` and the ``trajectories`` table. Checks collect problems (file,
row, column, fix), never raise; ``problems`` is a :class:`parkflow.io.checks.Problems` (typed
``Any``: checks imports this module).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from parkflow.io.cells import excel_row, number_cells, text_cells
from parkflow.models.periods import parse_periods
from parkflow.models.scenario import Catalogue
from parkflow.units import CANONICAL, to_canonical

__all__ = ["check_periods", "check_rate_by_year", "check_trajectories", "TRAJECTORY_KINDS"]

#: What a trajectories row may give by year.
TRAJECTORY_KINDS = ("supply", "use", "utilised_outside")


def check_periods(extra: dict[str, Any], file: str, problems: Any) -> None:
    """Rule: ``periods`` is a list of years or ``{from, to, step}``; a bad value is dropped."""
    if "periods" not in extra or extra["periods"] is None:
        return
    try:
        parse_periods(extra["periods"])
    except (TypeError, ValueError) as exc:
        problems.add(
            file,
            f"periods {extra['periods']!r}: {exc}",
            column="periods",
            fix="write e.g. `periods: [2025, 2026, 2027]` or `periods: {from: 2025, to: 2030}`",
        )
        extra.pop("periods")


def check_rate_by_year(
    value: Any, tid: str, where: str, file: str, problems: Any
) -> tuple[tuple[int, float], ...]:
    """Rule: ``rate_by_year`` maps years to rates in 0-1 (``{2025: 0.78, 2030: 0.82}``)."""
    if value is None:
        return ()
    fix = "write e.g. `rate_by_year: {2025: 0.78, 2030: 0.82}`"
    if not isinstance(value, Mapping) or not value:
        problems.add(
            file,
            f"target '{tid}': rate_by_year must map years to rates",
            column=f"{where}.rate_by_year",
            fix=fix,
        )
        return ()
    out: list[tuple[int, float]] = []
    for key, rate in value.items():
        try:
            year = int(str(key).strip())
            number = (
                float(str(rate).strip().rstrip("%")) / 100.0
                if isinstance(rate, str) and rate.strip().endswith("%")
                else float(rate)
            )
        except (TypeError, ValueError):
            problems.add(
                file,
                f"target '{tid}': rate_by_year {key!r}: {rate!r} is not a year and a rate",
                column=f"{where}.rate_by_year",
                fix=fix,
            )
            continue
        if not 0.0 <= number <= 1.0:
            problems.add(
                file,
                f"target '{tid}': rate_by_year {year}: {number:g} is outside 0-1",
                column=f"{where}.rate_by_year",
                fix="write the rate as a fraction: 0.78 for 78 %",
            )
            continue
        out.append((year, number))
    return tuple(sorted(out))


def check_trajectories(
    raw: pd.DataFrame | None,
    file: str,
    supplies: pd.DataFrame | None,
    uses: pd.DataFrame | None,
    catalogue: Catalogue,
    hours: float,
    problems: Any,
) -> pd.DataFrame | None:
    """Validate and convert the trajectories table (quantities to canonical units per year).

    Returns
    -------
    DataFrame or None
        Columns ``kind, id, year, quantity, unit`` (canonical), positional index; None when
        absent.
    """
    if raw is None:
        return None
    from parkflow.models.schema import TABLES

    schema = TABLES["trajectories"]
    df = raw.copy().reset_index(drop=True)
    rows = raw.attrs.get("rows")
    problems.set_rows(file, rows)
    df.columns = [schema.resolve_header(c) for c in df.columns]
    missing = [c for c in schema.required_columns if c not in df.columns]
    for column in missing:
        problems.add(
            file,
            f"missing required column '{column}'",
            column=column,
            fix="give the columns kind, id, year, quantity, unit",
        )
    if missing:
        return None
    kind = text_cells(df["kind"]).str.lower()
    ids = text_cells(df["id"])
    year, _, bad_year = number_cells(df["year"])
    qty, _, bad_qty = number_cells(df["quantity"])
    units = text_cells(df["unit"])
    sup_ids = supplies.index if supplies is not None else pd.Index([])
    use_ids = uses.index if uses is not None else pd.Index([])
    mats = catalogue.materials
    mat_of = pd.concat(
        [
            supplies["material"] if supplies is not None else pd.Series(dtype=str),
            pd.Series(dtype=str),
        ]
    )
    route_first = catalogue.routes["accepts"].map(lambda a: a[0] if len(a) else "")
    use_mat = uses["route"].map(route_first) if uses is not None else pd.Series(dtype=str)
    material = pd.Series(
        np.where(kind == "use", ids.map(use_mat).fillna(""), ids.map(mat_of).fillna("")),
        index=df.index,
    )
    for pos in range(len(df)):
        row = excel_row(pos)
        k, i = kind.iloc[pos], ids.iloc[pos]
        if k not in TRAJECTORY_KINDS:
            problems.add(
                file,
                f"unknown kind '{k}'",
                fix=f"use one of {', '.join(TRAJECTORY_KINDS)}",
                row=row,
                column="kind",
            )
        elif (k == "use" and i not in use_ids) or (k != "use" and i not in sup_ids):
            table = "uses" if k == "use" else "supplies"
            problems.add(
                file,
                f"{k} '{i}' is not a row of {table}",
                fix=f"write the id of a {table} row",
                row=row,
                column="id",
            )
        y = year.iloc[pos]
        if bad_year.iloc[pos] or not np.isfinite(y) or y != int(y) or not 1900 <= y <= 2200:
            problems.add(
                file,
                f"year {df['year'].iloc[pos]!r} is not a year",
                fix="e.g. 2027",
                row=row,
                column="year",
            )
        q = qty.iloc[pos]
        if bad_qty.iloc[pos] or not np.isfinite(q) or q < 0:
            problems.add(
                file,
                f"quantity {df['quantity'].iloc[pos]!r} must be a non-negative number",
                fix="write a plain number in the row's unit",
                row=row,
                column="quantity",
            )
    mkind = material.map(mats["kind"]).fillna("").astype(str)
    canon, fits = to_canonical(qty, units, mkind, material.map(mats["density_kg_per_nm3"]), hours)
    for bad in np.flatnonzero((~fits & (mkind != "")).to_numpy()):
        pos = int(bad)
        problems.add(
            file,
            f"unit '{units.iloc[pos]}' does not fit {material.iloc[pos]} ({mkind.iloc[pos]})",
            fix=f"use a unit of {CANONICAL.get(mkind.iloc[pos], 'the material')}",
            row=excel_row(pos),
            column="unit",
        )
    dup = pd.DataFrame({"k": kind, "i": ids, "y": year}).duplicated(keep="first")
    for bad in np.flatnonzero(dup.to_numpy()):
        pos = int(bad)
        problems.add(
            file,
            f"{kind.iloc[pos]} '{ids.iloc[pos]}' has year {year.iloc[pos]:g} twice",
            fix="give each (kind, id, year) once",
            row=excel_row(pos),
            column="year",
        )
    return pd.DataFrame(
        {
            "kind": kind,
            "id": ids,
            "year": year.fillna(0).astype(int),
            "quantity": canon.astype(float),
            "unit": mkind.map(CANONICAL).fillna("").astype(str),
        }
    )
