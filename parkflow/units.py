"""Units of scenario quantities, converted to each material's canonical unit with pint.

Canonical units (docs/scenario-format.md, "Units"): t/a for solids and hydrogen, GJ/a for heat
(:data:`CANONICAL`, the one table of them). Accepted inputs:

* solids: ``t/a``, ``kg/a``, ``kt/a``, ``万t/a`` (= ``wan_t/a`` = ``10kt/a`` = 10⁴ t/a), ``Mt/a``;
* heat: ``GJ/a``, ``TJ/a``, ``MWh/a`` (3.6 GJ), and a thermal power ``MW`` / ``kW`` that runs the
  scenario's ``operating_hours`` per year (1 MW × 8000 h = 28,800 GJ/a);
* hydrogen: ``t/a``, ``kg/a``, ``Nm3/a`` (normal cubic metres, times the material's density in
  kg/Nm³, 0.0899 for hydrogen).

An amount without ``/a`` (``t``, ``GJ``, ``Nm3``) is read as per year; stockpiles use it for the
amount in stock. Chinese spellings ``吨/年``, ``万吨/年`` and ``Nm³`` are accepted too. A unit of
the wrong kind (``GJ/a`` for slag, ``t/a`` for heat) does not fit and is reported by the loader.

>>> float(convert_one(2.5, "万t/a", "solid"))
25000.0
>>> float(convert_one(1.0, "MW", "heat", operating_hours=8000))
28800.0
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
import pandas as pd
import pint

#: The module-level registry with parkflow's definitions (万t, Nm3).
ureg: pint.UnitRegistry = pint.UnitRegistry()
ureg.define("wan_tonne = 1e4 * tonne")
ureg.define("normal_cubic_metre = [normal_volume] = Nm3")

#: Canonical unit per material kind — the one table (the catalogue's ``CANONICAL_UNITS`` is
#: this same object).
CANONICAL: dict[str, str] = {"solid": "t/a", "heat": "GJ/a", "hydrogen": "t/a"}

#: Units offered in messages, per kind.
UNITS_BY_KIND: dict[str, tuple[str, ...]] = {
    "solid": ("t/a", "kt/a", "万t/a", "Mt/a", "kg/a"),
    "heat": ("GJ/a", "TJ/a", "MWh/a", "MW"),
    "hydrogen": ("t/a", "kg/a", "Nm3/a"),
}

# token spelling -> pint name (pint reads 'kt' as knot, so spell every mass unit out)
_ALIASES: dict[str, str] = {
    "t": "tonne",
    "吨": "tonne",
    "kg": "kilogram",
    "公斤": "kilogram",
    "千克": "kilogram",
    "kt": "kilotonne",
    "千吨": "kilotonne",
    "10kt": "wan_tonne",
    "万t": "wan_tonne",
    "万吨": "wan_tonne",
    "wan_t": "wan_tonne",
    "wan_tonne": "wan_tonne",
    "mt": "megatonne",
    "Mt": "megatonne",
    "百万吨": "megatonne",
    "GJ": "gigajoule",
    "TJ": "terajoule",
    "MJ": "megajoule",
    "MWh": "megawatt_hour",
    "kWh": "kilowatt_hour",
    "GWh": "gigawatt_hour",
    "MW": "megawatt",
    "kW": "kilowatt",
    "GW": "gigawatt",
    "Nm3": "Nm3",
    "Nm³": "Nm3",
    "nm3": "Nm3",
    "标方": "Nm3",
    "万Nm3": "10000 * Nm3",
    "a": "year",
    "yr": "year",
    "year": "year",
    "y": "year",
    "年": "year",
    "d": "day",
    "day": "day",
    "天": "day",
    "h": "hour",
    "小时": "hour",
}

_DIM_MASS = ureg.parse_units("tonne").dimensionality
_DIM_ENERGY = ureg.parse_units("gigajoule").dimensionality
_DIM_POWER = ureg.parse_units("megawatt").dimensionality
_DIM_NVOL = ureg.parse_units("Nm3").dimensionality
_DIM_TIME = ureg.parse_units("year").dimensionality


@lru_cache(maxsize=512)
def _parse(unit: str) -> tuple[str, float] | None:
    """Parse a unit string into (quantity kind, factor to the canonical amount per year).

    The kinds are ``"mass"`` (factor to t/a), ``"energy"`` (to GJ/a), ``"power"`` (to GJ/h: the
    caller multiplies by operating hours) and ``"nvol"`` (to Nm3/a). None when unknown.
    """
    text = str(unit).strip().replace(" ", "")
    if not text:
        return None
    parts = text.split("/")
    if len(parts) > 2 or not parts[0]:
        return None
    names = []
    for part in parts:
        name = _ALIASES.get(part)
        if name is None:
            return None
        names.append(name)
    try:
        num = ureg.parse_expression(names[0])
        den = ureg.parse_expression(names[1]) if len(names) == 2 else None
    except (pint.errors.PintError, ValueError, TypeError, SyntaxError, AttributeError):
        return None
    if den is not None and den.dimensionality != _DIM_TIME:
        return None
    per_year = den.to("year").magnitude if den is not None else 1.0  # amount per `den`
    dim = num.dimensionality
    if dim == _DIM_MASS:
        return "mass", float(num.to("tonne").magnitude / per_year)
    if dim == _DIM_ENERGY:
        return "energy", float(num.to("gigajoule").magnitude / per_year)
    if dim == _DIM_NVOL:
        return "nvol", float(num.to("Nm3").magnitude / per_year)
    if dim == _DIM_POWER and den is None:
        return "power", float(num.to("gigajoule/hour").magnitude)
    return None


_FITS: dict[str, tuple[str, ...]] = {
    "solid": ("mass",),
    "heat": ("energy", "power"),
    "hydrogen": ("mass", "nvol"),
}


def is_known_unit(unit: str) -> bool:
    """True when parkflow can read ``unit`` at all (for any kind of material).

    >>> is_known_unit("万t/a"), is_known_unit("furlong")
    (True, False)
    """
    return _parse(str(unit)) is not None


def unit_fits(unit: str, material_kind: str) -> bool:
    """True when ``unit`` can measure a material of ``material_kind`` (solid|heat|hydrogen).

    >>> unit_fits("GJ/a", "solid"), unit_fits("Nm3/a", "hydrogen")
    (False, True)
    """
    parsed = _parse(str(unit))
    return parsed is not None and parsed[0] in _FITS.get(str(material_kind), ())


def _factor(unit: str, kind: str, operating_hours: float) -> tuple[float, bool]:
    """(factor, times density) for one (unit, kind) pair; NaN factor when it does not fit."""
    parsed = _parse(str(unit))
    if parsed is None or parsed[0] not in _FITS.get(str(kind), ()):
        return math.nan, False
    dim, factor = parsed
    if dim == "power":
        return factor * float(operating_hours), False
    if dim == "nvol":
        return factor / 1000.0, True  # Nm3 × kg/Nm3 = kg; /1000 = t
    return factor, False


def to_canonical(
    quantity: pd.Series,
    unit: pd.Series,
    material_kind: pd.Series,
    density_kg_per_nm3: pd.Series,
    operating_hours: float = 8000.0,
) -> tuple[pd.Series, pd.Series]:
    """Convert quantities to their material's canonical unit (t/a, or GJ/a for heat).

    One conversion factor is computed per distinct (unit, kind) pair, then applied to all rows.

    Parameters
    ----------
    quantity : Series of float
        Amounts as given.
    unit : Series of str
        Their units, e.g. ``"万t/a"``, ``"MW"``, ``"Nm3/a"``.
    material_kind : Series of str
        ``"solid"``, ``"heat"`` or ``"hydrogen"`` per row.
    density_kg_per_nm3 : Series of float
        Material density for ``Nm3`` inputs (kg/Nm³); ignored for other units.
    operating_hours : float
        Hours per year a thermal power (``MW``) runs, default 8000 h.

    Returns
    -------
    values : Series of float
        Canonical amounts (NaN where the unit does not fit).
    fits : Series of bool
        False where the unit is unknown or does not fit the material's kind.

    Examples
    --------
    >>> q, ok = to_canonical(pd.Series([3.0, 1.0, 1000.0]), pd.Series(["kt/a", "MW", "Nm3/a"]),
    ...                      pd.Series(["solid", "heat", "hydrogen"]),
    ...                      pd.Series([np.nan, np.nan, 0.0899]), operating_hours=8000)
    >>> [round(v, 4) for v in q], ok.tolist()
    ([3000.0, 28800.0, 0.0899], [True, True, True])
    """
    index = quantity.index
    units = (
        pd.Series(unit, index=index)
        .astype(object)
        .map(
            lambda u: (
                "" if u is None or (isinstance(u, float) and math.isnan(u)) else str(u).strip()
            )
        )
    )
    kinds = pd.Series(material_kind, index=index).astype(object).map(str)
    pairs = pd.MultiIndex.from_arrays([units, kinds]).unique()
    table = pd.DataFrame(
        [_factor(u, k, operating_hours) for u, k in pairs],
        index=pairs,
        columns=["factor", "density"],
    )
    key = pd.MultiIndex.from_arrays([units, kinds])
    looked = table.reindex(key)
    factor = looked["factor"].to_numpy(dtype=float)
    uses_density = looked["density"].to_numpy(dtype=bool)
    density = pd.to_numeric(pd.Series(density_kg_per_nm3, index=index), errors="coerce").to_numpy(
        dtype=float
    )
    factor = np.where(uses_density, factor * density, factor)
    values = pd.to_numeric(quantity, errors="coerce").to_numpy(dtype=float) * factor
    fits = ~np.isnan(factor)
    return pd.Series(values, index=index, dtype=float), pd.Series(fits, index=index, dtype=bool)


def convert_one(
    value: float,
    unit: str,
    material_kind: str,
    density_kg_per_nm3: float = math.nan,
    operating_hours: float = 8000.0,
) -> float:
    """Convert one amount (see :func:`to_canonical`); NaN when the unit does not fit."""
    q, _ = to_canonical(
        pd.Series([float(value)]),
        pd.Series([unit]),
        pd.Series([material_kind]),
        pd.Series([density_kg_per_nm3]),
        operating_hours,
    )
    return float(q.iloc[0])


def units_for_kind(material_kind: str) -> str:
    """The units a material of this kind may use, comma-separated, for messages."""
    return ", ".join(UNITS_BY_KIND.get(str(material_kind), ("t/a",)))
