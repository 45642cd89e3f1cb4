"""Utilisation indicators: the official comprehensive-utilisation rate per scope and category.

:func:`utilisation_rate` is **the** rate formula: every table, summary, map and study that shows a
rate calls it (docs/reporting.md, "Definitions").

综合利用率 = 综合利用量 / (产生量 + 综合利用往年贮存量),
i.e. ``rate = utilised / (generated + drawn_utilised)``, per statistics category and per scope
(enterprise, park, city, all), where 综合利用量 ``utilised`` counts the utilisation-class flows
*and* ``utilised_outside`` (never a safe-disposal flow), and 产生量 ``generated`` includes
``utilised_outside``. The other two bases of docs/model.md#bases (新增 ``new`` and 综合消纳率
``consumption``) come from :func:`basis_rate` on the same sums. Two totals are added: all bulk
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

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from parkflow.models.scenario import BULK_GROUP, Catalogue, is_tailings
from parkflow.models.schema import OUTPUT_TABLES

if TYPE_CHECKING:
    from parkflow.models.result import Result

__all__ = [
    "utilisation_rate",
    "basis_rate",
    "add_rates",
    "BASES",
    "AMOUNTS",
    "gap_to_target",
    "utilisation_table",
    "utilisation_rows",
    "category_sets",
    "tailings_materials",
    "is_tailings",
    "BULK_TOTAL",
    "BULK_EXCL_TAILINGS",
    "SCOPE_TYPES",
    "TAILINGS",
    "SICHUAN_TARGETS",
    "FALLBACK_BULK_CATEGORIES",
    "FALLBACK_APART_CATEGORIES",
    "SCOPE_ORDER",
]

BULK_TOTAL = "bulk_total"
BULK_EXCL_TAILINGS = "bulk_excl_tailings"
SCOPE_TYPES = ("enterprise", "park", "city", "all")
#: utilisation.csv columns, as declared in :data:`parkflow.models.schema.OUTPUT_TABLES`.
COLUMNS = OUTPUT_TABLES["utilisation"].column_names
#: The target bases (docs/model.md#bases): ``nbs`` is the default and always reported.
BASES = ("nbs", "new", "consumption")
#: Per-basis rate columns shown only when a target uses that basis.
_OPTIONAL_RATES = ("rate_new", "rate_consumption")
#: The amounts (unit/a) summed per scope and category; every rate is computed from these sums.
AMOUNTS = (
    "generated",
    "utilised",
    "utilised_outside",
    "safe_disposal",
    "drawn",
    "drawn_utilised",
    "drawn_disposed",
)
#: The category id (and built-in material id) of tailings.
TAILINGS = "tailings"
#: Sichuan plan targets for bulk industrial solid waste, tailings excluded (docs/reporting.md).
SICHUAN_TARGETS: dict[int, float] = {2025: 0.78, 2030: 0.82}
#: Categories counted in the bulk total when no catalogue is at hand.
FALLBACK_BULK_CATEGORIES = (
    "coal_gangue",
    "fly_ash",
    "tailings",
    "smelting_slag",
    "byproduct_gypsum",
    "red_mud",
    "chemical_residue",
)
FALLBACK_APART_CATEGORIES = ("waste_heat", "hydrogen")
#: Order of the scope types in every table.
SCOPE_ORDER = {"all": 0, "park": 1, "city": 2, "enterprise": 3}
_UTIL_COLUMNS = (
    "scope_type",
    "scope_id",
    "category",
    "generated",
    "utilised",
    "drawn",
    "unit",
    "utilised_outside",
    "safe_disposal",
    "drawn_utilised",
    "drawn_disposed",
)
_DEFAULT_BULK = {
    "coal_gangue",
    "fly_ash",
    "tailings",
    "steel_slag",
    "bf_slag",
    "vti_slag",
    "phosphogypsum",
    "titanium_gypsum",
    "fgd_gypsum",
    "red_mud",
    "carbide_slag",
}


def utilisation_rate(utilised: Any, generated: Any, drawn: Any = 0.0) -> Any:
    """综合利用率 = 综合利用量 / (产生量 + 综合利用往年贮存量) — the one rate formula.

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
    >>> utilisation_rate(80.0, 100.0, 0.0), utilisation_rate(90.0, 100.0, 20.0)
    (0.8, 0.75)
    >>> utilisation_rate(0.0, 0.0, 0.0)
    nan
    """
    u = np.asarray(utilised, dtype=float)
    d = np.asarray(generated, dtype=float) + np.asarray(drawn, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        r = np.where(d > 0, u / np.where(d > 0, d, 1.0), np.nan)
    return float(r) if r.ndim == 0 else r


def basis_rate(
    basis: Any,
    utilised: Any,
    generated: Any,
    drawn: Any = 0.0,
    outside: Any = 0.0,
    safe_disposal: Any = 0.0,
    drawn_disposed: Any = 0.0,
) -> Any:
    """The rate of a target basis (docs/model.md#bases), through :func:`utilisation_rate`.

    Parameters
    ----------
    basis : {"nbs", "new", "consumption"} or array of them
        ``nbs`` 综合利用率 ``(U + O) / (G + R_U)``; ``new`` 新增综合利用率 ``(U − R_U + O) / G``;
        ``consumption`` 综合消纳率 ``(U + X + O) / (G + R_U + R_D)``.
    utilised : float or array-like
        U, utilisation-class flows in the model (t/a), drawn stock included.
    generated : float or array-like
        G, 产生量 (t/a), ``utilised_outside`` included.
    drawn : float or array-like
        R_U, stock drawn to utilisation (其中综合利用往年贮存量, t/a).
    outside : float or array-like
        O, ``utilised_outside`` (t/a); 0 when ``utilised`` already counts it.
    safe_disposal : float or array-like
        X, safe-disposal flows (t/a).
    drawn_disposed : float or array-like
        R_D, stock drawn to safe disposal (其中处置往年贮存量, t/a).

    Returns
    -------
    float or numpy.ndarray
        NaN where the denominator is 0 (not applicable).

    Examples
    --------
    >>> [round(basis_rate(b, 150.0, 200.0, 30.0, 20.0, 50.0), 4) for b in ("nbs", "new",
    ...                                                                     "consumption")]
    [0.7391, 0.7, 0.9565]
    >>> round(basis_rate("consumption", 150.0, 200.0, 30.0, 20.0, 50.0, 10.0), 4)  # R_D 10
    0.9167
    """
    b = np.asarray(basis, dtype=object)
    u = np.asarray(utilised, dtype=float) + np.asarray(outside, dtype=float)
    g = np.asarray(generated, dtype=float)
    r = np.asarray(drawn, dtype=float)
    x = np.asarray(safe_disposal, dtype=float)
    rd = np.asarray(drawn_disposed, dtype=float)
    nbs = utilisation_rate(u, g, r)
    new = utilisation_rate(u - r, g, 0.0)
    cons = utilisation_rate(u + x, g, r + rd)
    out = np.where(b == "new", new, np.where(b == "consumption", cons, nbs))
    return float(out) if np.ndim(out) == 0 else out


def _fill_amounts(frame: pd.DataFrame) -> pd.DataFrame:
    """Every column of :data:`AMOUNTS` as float; older tables get the version-1 meanings.

    A table without the new columns (an output folder of an earlier version) has no
    ``utilised_outside`` and no safe disposal, and all its stock was drawn to utilisation.
    """
    out = frame.copy()
    for col in ("generated", "utilised", "drawn", "utilised_outside", "safe_disposal"):
        out[col] = (
            pd.to_numeric(out[col], errors="coerce").fillna(0.0).astype(float)
            if col in out.columns
            else 0.0
        )
    if "drawn_utilised" in out.columns:
        out["drawn_utilised"] = pd.to_numeric(out["drawn_utilised"], errors="coerce").fillna(
            out["drawn"]
        )
    else:
        out["drawn_utilised"] = out["drawn"]
    out["drawn_utilised"] = out["drawn_utilised"].astype(float)
    if "drawn_disposed" in out.columns:
        out["drawn_disposed"] = (
            pd.to_numeric(out["drawn_disposed"], errors="coerce").fillna(0.0).astype(float)
        )
    else:
        out["drawn_disposed"] = (out["drawn"] - out["drawn_utilised"]).clip(lower=0.0)
    return out


def add_rates(frame: pd.DataFrame, bases: Any = ()) -> pd.DataFrame:
    """``rate`` and ``rate_nbs`` always, ``rate_<basis>`` for each other basis in ``bases``.

    Parameters
    ----------
    frame : DataFrame
        With the :data:`AMOUNTS` columns (``utilised`` already counts ``utilised_outside``).
    bases : iterable of str
        The bases the targets use (``nbs`` is always added).

    Returns
    -------
    DataFrame
        A copy with ``stored`` (= generated + drawn − utilised − safe_disposal, ≥ 0) and the rate
        columns, all from :func:`basis_rate`.
    """
    out = _fill_amounts(frame)
    args = (
        out["utilised"].to_numpy(float),
        out["generated"].to_numpy(float),
        out["drawn_utilised"].to_numpy(float),
        0.0,
        out["safe_disposal"].to_numpy(float),
        out["drawn_disposed"].to_numpy(float),
    )
    out["stored"] = (out["generated"] + out["drawn"] - out["utilised"] - out["safe_disposal"]).clip(
        lower=0.0
    )
    out.loc[out["stored"] < 1e-9, "stored"] = 0.0
    out["rate_nbs"] = basis_rate("nbs", *args)
    out["rate"] = out["rate_nbs"]
    for b in BASES[1:]:
        if b in set(bases):
            out[f"rate_{b}"] = basis_rate(b, *args)
    return out


def _bases_of(result: Result | None) -> list[str]:
    """The bases the result's targets use (``nbs`` first, always)."""
    t = result.targets if result is not None else None
    used = set()
    if t is not None and len(t) and "basis" in t.columns:
        used = set(t["basis"].dropna().astype(str))
    return ["nbs", *[b for b in BASES[1:] if b in used]]


def gap_to_target(utilised: Any, generated: Any, drawn: Any, target: float) -> tuple[Any, Any]:
    """Gap to a target rate, in percentage points and in t/a (both 0 when the target is met).

    The t/a gap is the extra utilisation of this year's generation that reaches the target:
    ``max(0, target × (generated + drawn) − utilised)``.

    Parameters
    ----------
    utilised, generated, drawn : float or array-like
        As for :func:`utilisation_rate` (t/a).
    target : float
        The target rate (fraction).

    Returns
    -------
    tuple
        ``(gap_pp, gap_t)``: floats, or arrays for array input.

    Examples
    --------
    >>> gap_to_target(70.0, 100.0, 0.0, 0.78)
    (8.0, 8.0)
    """
    u = np.asarray(utilised, dtype=float)
    base = np.asarray(generated, dtype=float) + np.asarray(drawn, dtype=float)
    rate = utilisation_rate(u, generated, drawn)
    gap_pp = np.clip(
        (target - np.nan_to_num(np.asarray(rate, dtype=float), nan=1.0)) * 100.0, 0.0, None
    )
    gap_t = np.clip(target * base - u, 0.0, None)
    gap_pp = np.round(gap_pp, 10)
    gap_t = np.round(gap_t, 9)
    if gap_pp.ndim == 0:
        return float(gap_pp), float(gap_t)
    return gap_pp, gap_t


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


def utilisation_table(
    sources: pd.DataFrame, catalogue: Catalogue | None = None, bases: Any = ()
) -> pd.DataFrame:
    """The amounts and rates per (scope_type, scope_id, category) — utilisation.csv.

    Parameters
    ----------
    sources : DataFrame
        One row per source with ``enterprise, material, category, generated, drawn, utilised,
        unit, park, city`` (canonical unit/a) — ``Result.sources`` — and, when known,
        ``utilised_outside, safe_disposal, drawn_utilised, drawn_disposed`` (``utilised``
        counts the utilisation-class flows and ``utilised_outside``; docs/model.md#bases).
    catalogue : Catalogue, optional
        Says which materials are bulk solid waste and which are tailings (default: the built-in
        list).
    bases : iterable of str
        The bases the targets use: ``rate_new`` / ``rate_consumption`` are added for them.

    Returns
    -------
    DataFrame
        Columns :data:`COLUMNS` (``rate`` = ``rate_nbs``, NaN where nothing was generated or
        drawn), plus ``rate_new`` / ``rate_consumption`` for the bases used. The categories
        ``bulk_total`` and ``bulk_excl_tailings`` (t/a) are added per scope.
    """
    src = _fill_amounts(sources)
    for col in ("enterprise", "park", "city", "category", "material", "unit"):
        src[col] = src[col].fillna("").astype(str) if col in src.columns else ""
    bulk, tail = _bulk_sets(catalogue)
    rows = [src.assign(_cat=src["category"])]
    is_bulk = src["material"].isin(list(bulk))
    rows.append(src[is_bulk].assign(_cat=BULK_TOTAL, unit="t/a"))
    rows.append(
        src[is_bulk & ~src["material"].isin(list(tail))].assign(_cat=BULK_EXCL_TAILINGS, unit="t/a")
    )
    long = pd.concat(rows, ignore_index=True)
    parts = []
    for scope_type in SCOPE_TYPES:
        key = "all" if scope_type == "all" else scope_type
        frame = (
            long.assign(scope_id="all") if scope_type == "all" else long.assign(scope_id=long[key])
        )
        if scope_type in ("park", "city"):
            frame = frame[frame["scope_id"] != ""]
        g = (
            frame.groupby(["scope_id", "_cat"], sort=True)
            .agg(**{c: (c, "sum") for c in AMOUNTS}, unit=("unit", "first"))
            .reset_index()
            .rename(columns={"_cat": "category"})
        )
        g.insert(0, "scope_type", scope_type)
        parts.append(g)
    out = add_rates(pd.concat(parts, ignore_index=True), bases)
    out["scope_type"] = out["scope_type"].astype(str)
    out["scope_id"] = out["scope_id"].astype(str)
    out["category"] = out["category"].astype(str)
    cols = [c for c in COLUMNS if c not in _OPTIONAL_RATES or c in out.columns]
    return out[cols].reset_index(drop=True)


def category_sets(catalogue: Catalogue | None) -> tuple[set[str], set[str], set[str]]:
    """(bulk categories, tailings categories, categories reported apart: heat, hydrogen).

    Parameters
    ----------
    catalogue : Catalogue or None
        Without one (or without ``group``/``kind`` columns) the built-in fallback lists.

    Returns
    -------
    tuple of three sets of str
    """
    if catalogue is not None and {"group", "kind"} <= set(catalogue.categories.columns):
        cats = catalogue.categories
        bulk = set(cats.index[cats["group"].astype(str) == BULK_GROUP].astype(str))
        apart = set(cats.index[cats["kind"].astype(str) != "solid"].astype(str))
        mats = catalogue.materials
        # the one tailings rule (is_tailings), at category level
        tail = set(mats.loc[is_tailings(mats).to_numpy(), "category"].astype(str))
        return bulk, tail | {TAILINGS}, apart
    return set(FALLBACK_BULK_CATEGORIES), {TAILINGS}, set(FALLBACK_APART_CATEGORIES)


def _normalise_utilisation(util: pd.DataFrame) -> pd.DataFrame:
    u = util.reset_index(drop=("scope_type" in util.columns)).copy()
    if "scope_id" not in u.columns and "scope" in u.columns:
        parts = u["scope"].astype(str).str.split(":", n=1, expand=True)
        u["scope_id"] = parts[1] if parts.shape[1] > 1 else ""
        u["scope_type"] = u.get("scope_type", parts[0])
    u = _fill_amounts(u)
    if "unit" not in u.columns:
        u["unit"] = "t/a"
    u["scope_id"] = u["scope_id"].fillna("").astype(str)
    u.loc[u["scope_type"] == "all", "scope_id"] = "all"
    return u[list(_UTIL_COLUMNS)].astype({"scope_type": str, "category": str, "unit": str})


def utilisation_rows(result: Result | None, catalogue: Catalogue | None) -> pd.DataFrame:
    """Per scope × category: the amounts, stored_disposed and every rate (fractions).

    Takes ``result.utilisation``; when it is empty, computes it from ``result.sources`` with
    :func:`utilisation_table`. Adds the ``bulk_total`` and ``bulk_excl_tailings`` rows when the
    table lacks them, and recomputes every rate with :func:`basis_rate` so that the tables
    always agree with the official formula and with the target rows: ``rate`` is the nbs rate
    (综合利用率, ``utilised_outside`` counted), and ``rate_new`` / ``rate_consumption`` are
    added when a target of the result uses that basis.

    Parameters
    ----------
    result : Result or None
        A solve, or one read back from its folder.
    catalogue : Catalogue or None
        Says which categories are bulk and which are tailings (:func:`category_sets`).

    Returns
    -------
    DataFrame
        Columns ``scope_type, scope_id, category,`` :data:`AMOUNTS` ``, unit, stored,
        stored_disposed, rate, rate_nbs[, rate_new, rate_consumption]`` (canonical unit/a; rates
        fractions), sorted by scope type (all, park, city, enterprise), scope id and catalogue
        order of the categories. ``stored_disposed`` = generated + drawn − utilised (what is
        not utilised: stored, landfilled or safely disposed).
    """
    bases = _bases_of(result)
    util = result.utilisation if result is not None else None
    if (
        (util is None or util.empty)
        and result is not None
        and result.sources is not None
        and not result.sources.empty
    ):
        util = utilisation_table(result.sources, catalogue)
    if util is None or util.empty:
        return pd.DataFrame(
            columns=[
                *_UTIL_COLUMNS,
                "stored",
                "stored_disposed",
                "rate",
                "rate_nbs",
                *[f"rate_{b}" for b in bases[1:]],
            ]
        )
    u = _normalise_utilisation(util)
    bulk, tail, _ = category_sets(catalogue)
    have = set(u["category"])
    extra = []
    keys = ["scope_type", "scope_id"]
    if BULK_TOTAL not in have:
        part = u[u["category"].isin(bulk)]
        extra.append(
            part.groupby(keys, as_index=False)[list(AMOUNTS)]
            .sum()
            .assign(category=BULK_TOTAL, unit="t/a")
        )
    if BULK_EXCL_TAILINGS not in have:
        part = u[u["category"].isin(bulk - tail)]
        extra.append(
            part.groupby(keys, as_index=False)[list(AMOUNTS)]
            .sum()
            .assign(category=BULK_EXCL_TAILINGS, unit="t/a")
        )
    if extra:
        u = pd.concat([u, *[e[list(_UTIL_COLUMNS)] for e in extra]], ignore_index=True)
    u["stored_disposed"] = (u["generated"] + u["drawn"] - u["utilised"]).clip(lower=0.0)
    u = add_rates(u, bases)
    cat_order = {
        c: i
        for i, c in enumerate(
            list(catalogue.categories.index) if catalogue is not None else FALLBACK_BULK_CATEGORIES
        )
    }
    cat_order.update({BULK_TOTAL: 900, BULK_EXCL_TAILINGS: 901})
    u["_s"] = u["scope_type"].map(SCOPE_ORDER).fillna(9)
    u["_c"] = u["category"].map(cat_order).fillna(500)
    u = u.sort_values(["_s", "scope_id", "_c", "category"], kind="stable")
    return u.drop(columns=["_s", "_c"]).reset_index(drop=True)
