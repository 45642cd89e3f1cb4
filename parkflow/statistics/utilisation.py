"""Utilisation indicators: the official comprehensive-utilisation rate per scope and category.

综合利用率 = 综合利用量 / (产生量 + 综合利用往年贮存量),
i.e. ``rate = utilised / (generated + drawn)``, per statistics category and per scope
(enterprise, park, city, all). Two totals are added: all bulk
industrial solid waste (``bulk_total``) and the same without tailings (``bulk_excl_tailings``, what
the Sichuan 2025/2030 targets count).

>>> import pandas as pd
>>> src = pd.DataFrame({"enterprise": ["E1", "E2"], "material": ["fly_ash", "tailings"],
...                     "category": ["fly_ash", "tailings"], "generated": [100.0, 50.0],
...                     "drawn": [0.0, 0.0], "utilised": [80.0, 5.0], "unit": ["t/a", "t/a"],
...                     "park": ["P1", "P1"], "city": ["C", "C"]})
>>> t = utilisation_table(src)
>>> t[(t.scope_type == "all") & (t.category == "bulk_excl_tailings")]["rate"].item()
0.8
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from parkflow.models.scenario import BULK_GROUP, Catalogue

__all__ = ["utilisation_table", "tailings_materials", "is_tailings", "BULK_TOTAL",
           "BULK_EXCL_TAILINGS", "SCOPE_TYPES", "TAILINGS"]

BULK_TOTAL = "bulk_total"
BULK_EXCL_TAILINGS = "bulk_excl_tailings"
SCOPE_TYPES = ("enterprise", "park", "city", "all")
COLUMNS = ["scope_type", "scope_id", "category", "generated", "utilised", "drawn", "rate", "unit"]
#: The category id (and built-in material id) of tailings.
TAILINGS = "tailings"
_DEFAULT_BULK = {"coal_gangue", "fly_ash", "tailings", "steel_slag", "bf_slag", "vti_slag",
                 "phosphogypsum", "titanium_gypsum", "fgd_gypsum", "red_mud", "carbide_slag"}


def is_tailings(materials: pd.DataFrame) -> pd.Series:
    """Whether each material of a materials table counts as tailings — the one rule used everywhere.

    A material is tailings when its ``is_tailings`` flag is true **or** its ``category`` is
    ``"tailings"``. The Sichuan targets exclude tailings (SPEC §2); target expansion
    (:func:`parkflow.solvers.solve.expand_targets`), the utilisation indicators
    (``bulk_excl_tailings``) and the report all use this rule.

    Parameters
    ----------
    materials : DataFrame
        ``Catalogue.materials`` (index material id; columns ``is_tailings`` and/or ``category``,
        either may be missing).

    Returns
    -------
    Series of bool
        Indexed like ``materials``.

    >>> import pandas as pd
    >>> m = pd.DataFrame({"category": ["tailings", "fly_ash", "other"],
    ...                   "is_tailings": [False, False, True]}, index=["a", "b", "c"])
    >>> is_tailings(m).tolist()
    [True, False, True]
    """
    flag = materials["is_tailings"] if "is_tailings" in materials.columns else \
        pd.Series(False, index=materials.index)
    flag = flag.map(lambda v: str(v).strip().lower() in ("true", "1", "1.0", "yes")) \
        if flag.dtype != bool else flag
    cat = materials["category"].astype(str) == TAILINGS if "category" in materials.columns else \
        pd.Series(False, index=materials.index)
    return (flag.astype(bool) | cat).astype(bool)


def tailings_materials(catalogue: Catalogue | None) -> set[str]:
    """Material ids that count as tailings (:func:`is_tailings`).

    ``{"tailings"}`` without a catalogue.
    """
    if catalogue is None:
        return {TAILINGS}
    m = catalogue.materials
    return set(m.index[is_tailings(m).to_numpy()].astype(str))


def _bulk_sets(catalogue: Catalogue | None) -> tuple[set[str], set[str]]:
    """(bulk material ids, tailings material ids)."""
    if catalogue is None:
        return set(_DEFAULT_BULK), {TAILINGS}
    m = catalogue.materials
    bulk = set(m.index[m["group"].astype(str) == BULK_GROUP].astype(str))
    return bulk, tailings_materials(catalogue)


def utilisation_table(sources: pd.DataFrame, catalogue: Catalogue | None = None) -> pd.DataFrame:
    """Generated, utilised, drawn and rate per (scope_type, scope_id, category).

    Parameters
    ----------
    sources : DataFrame
        One row per source with ``enterprise, material, category, generated, drawn, utilised,
        unit, park, city`` (canonical unit/a) — ``Result.sources``.
    catalogue : Catalogue, optional
        Says which materials are bulk solid waste and which are tailings (default: the built-in
        list of SPEC §2).

    Returns
    -------
    DataFrame
        Columns ``scope_type`` (enterprise | park | city | all), ``scope_id`` (``"all"`` for
        the whole scenario), ``category``, ``generated, utilised, drawn`` (unit/a), ``rate``
        (utilised / (generated + drawn), NaN when both are 0) and ``unit``. The categories
        ``bulk_total`` and ``bulk_excl_tailings`` (t/a) are added per scope.
    """
    src = sources.copy()
    for col in ("generated", "drawn", "utilised"):
        src[col] = pd.to_numeric(src[col], errors="coerce").fillna(0.0).astype(float) \
            if col in src.columns else 0.0
    for col in ("enterprise", "park", "city", "category", "material", "unit"):
        src[col] = src[col].fillna("").astype(str) if col in src.columns else ""
    bulk, tail = _bulk_sets(catalogue)
    rows = [src.assign(_cat=src["category"])]
    is_bulk = src["material"].isin(list(bulk))
    rows.append(src[is_bulk].assign(_cat=BULK_TOTAL, unit="t/a"))
    rows.append(src[is_bulk & ~src["material"].isin(list(tail))].assign(
        _cat=BULK_EXCL_TAILINGS, unit="t/a"))
    long = pd.concat(rows, ignore_index=True)
    parts = []
    for scope_type in SCOPE_TYPES:
        key = "all" if scope_type == "all" else scope_type
        frame = long.assign(scope_id="all") if scope_type == "all" else long.assign(
            scope_id=long[key])
        if scope_type in ("park", "city"):
            frame = frame[frame["scope_id"] != ""]
        g = (frame.groupby(["scope_id", "_cat"], sort=True)
             .agg(generated=("generated", "sum"), utilised=("utilised", "sum"),
                  drawn=("drawn", "sum"), unit=("unit", "first"))
             .reset_index().rename(columns={"_cat": "category"}))
        g.insert(0, "scope_type", scope_type)
        parts.append(g)
    out = pd.concat(parts, ignore_index=True)
    denom = (out["generated"] + out["drawn"]).to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["rate"] = np.where(denom > 0, out["utilised"].to_numpy(dtype=float) / denom, np.nan)
    out["scope_type"] = out["scope_type"].astype(str)
    out["scope_id"] = out["scope_id"].astype(str)
    out["category"] = out["category"].astype(str)
    return out[COLUMNS].reset_index(drop=True)
