"""The built-in catalogue: materials, categories, use routes and transport modes (package data).

The four tables ship as package data (``parkflow/data/materials.csv``, ``categories.csv``,
``routes.csv``, ``modes.csv``); every row names its source or says ``estimate: ...`` with the
reasoning (docs/catalogue.md). Their columns are declared in
:data:`parkflow.models.schema.CATALOGUE_TABLES`; the dicts below are views of those declarations.

Units: every per-unit number is per canonical unit of the material (t for solids and hydrogen, GJ
for heat).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np
import pandas as pd

from parkflow.models.scenario import Catalogue
from parkflow.models.schema import CATALOGUE_TABLES, is_blank, parse_bool
from parkflow.units import CANONICAL

#: Grid CO2 emission factors, tCO2/MWh (= kgCO2/kWh): MEE/NBS 2023 location-based values.
GRID_CO2_T_PER_MWH: dict[str, float] = {"sichuan": 0.1564, "national": 0.5306}
#: Tonnes of standard coal equivalent per GJ (1 tce = 29.3076 GJ).
TCE_PER_GJ: float = 0.03412

TABLES: tuple[str, ...] = ("materials", "categories", "routes", "modes")
#: The catalogue tables of fates and counting classes (docs/model.md#fates), keyed tables.
FATE_TABLES: tuple[str, ...] = ("fates", "stacking_costs", "replacement_fuels", "route_classes")
INDEX_NAMES: dict[str, str] = {
    "materials": "material_id",
    "categories": "category_id",
    "routes": "route_id",
    "modes": "mode_id",
    "fates": "fate_id",
    "stacking_costs": "material",
    "replacement_fuels": "fuel_id",
    "route_classes": "route_material",
    "technologies": "technology_id",
}
#: The key column(s) of each table's CSV file (``id`` unless given).
KEY_COLUMNS: dict[str, tuple[str, ...]] = {
    "stacking_costs": ("material",),
    "route_classes": ("route", "material"),
}


def keyed(raw: pd.DataFrame, table: str) -> pd.DataFrame:
    """Index a fate table's rows by their key (``id``, ``material`` or ``route:material``)."""
    keys = KEY_COLUMNS.get(table, ("id",))
    df = raw.copy()
    key = df[keys[0]].astype(str).str.strip()
    for k in keys[1:]:
        key = key + ":" + df[k].astype(str).str.strip()
    if keys == ("id",) or keys == ("material",):
        df = df.drop(columns=list(keys))
    df.index = pd.Index(key.to_numpy(), name=INDEX_NAMES[table])
    return df


KINDS: tuple[str, ...] = ("solid", "heat", "hydrogen")
#: Canonical unit per material kind (one table: :data:`parkflow.units.CANONICAL`).
CANONICAL_UNITS: dict[str, str] = CANONICAL

#: table -> column -> dtype ("str", "float64", "bool", "list"); "list" is ';'-separated in CSV and a
#: tuple of str after loading. A view of :data:`parkflow.models.schema.CATALOGUE_TABLES`.
CATALOGUE_COLUMNS: dict[str, dict[str, str]] = {
    name: schema.dtypes() for name, schema in CATALOGUE_TABLES.items()
}

#: Units of the numeric columns (for docs and display).
COLUMN_UNITS: dict[str, str] = {
    c.name: c.unit for schema in CATALOGUE_TABLES.values() for c in schema.columns if c.unit
}

# Defaults for new rows (numbers and flags); str columns default to "" and names to the id.
_DEFAULTS: dict[str, Any] = {
    c.name: c.default
    for schema in CATALOGUE_TABLES.values()
    for c in schema.columns
    if c.default is not None
}
_COLUMNS = {c.name: c for schema in CATALOGUE_TABLES.values() for c in schema.columns}

# Columns a *new* row (an id not in the built-in table) must give.
_REQUIRED_NEW: dict[str, tuple[str, ...]] = {
    "materials": ("category", "kind"),
    "routes": ("accepts",),
    "modes": ("carries", "cost_cny_per_tkm", "reach_km"),
}

# environmental-protection tax of "other solid waste" (CNY/t) — the default for a new solid
_DEFAULT_SOLID_TAX_CNY_PER_T = 25.0

# text columns whose override does not change what the source vouches for
_COSMETIC = {"name_zh", "name_en", "displaces_zh", "displaces_en", "quality_rule"}


# --------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------


def suggest(name: str, known: Iterable[str]) -> str:
    """A "did you mean" hint for an unknown name.

    Parameters
    ----------
    name : str
        The unknown name as the user wrote it.
    known : iterable of str
        The valid names.

    Returns
    -------
    str
        ``" (did you mean 'x'?)"`` for the closest known name, or ``""`` when none is close.

    Examples
    --------
    >>> suggest("phosphogypsm", ["phosphogypsum", "fly_ash"])
    " (did you mean 'phosphogypsum'?)"
    >>> suggest("zzz", ["fly_ash"])
    ''
    """
    match = difflib.get_close_matches(str(name), [str(k) for k in known], n=1, cutoff=0.6)
    return f" (did you mean '{match[0]}'?)" if match else ""


def _split_list(value: Any) -> tuple[str, ...]:
    """A ';'- (or ',')-separated string, or a list/tuple, as a tuple of stripped str."""
    if isinstance(value, (list, tuple, np.ndarray, pd.Series)):
        items = [str(v).strip() for v in value]
    else:
        items = str(value).replace(",", ";").split(";")
    return tuple(i.strip() for i in items if i.strip())


def _parse(value: Any, dtype: str) -> tuple[Any, str | None]:
    """Parse one override value; return (value, None) or (None, error message)."""
    if dtype == "float64":
        if isinstance(value, bool):
            return None, f"{value!r} is not a number"
        try:
            number = float(str(value).strip()) if isinstance(value, str) else float(value)
        except (TypeError, ValueError):
            return None, f"{value!r} is not a number"
        return number, None
    if dtype == "bool":
        flag = parse_bool(value, blank=None)
        if flag is None:
            return None, f"{value!r} is not true/false"
        return flag, None
    if dtype == "list":
        return _split_list(value), None
    return str(value).strip(), None


def _check_bounds(column: str, number: float) -> str | None:
    """Return an error message when ``number`` is outside the column's declared range."""
    spec = _COLUMNS.get(column)
    if spec is None or spec.dtype != "float64":
        return None
    return spec.bounds_error(number)


def _typed(df: pd.DataFrame, table: str) -> pd.DataFrame:
    """Cast a table's declared columns to their dtypes (str NaN -> "")."""
    out = df.copy()
    for column, dtype in CATALOGUE_COLUMNS[table].items():
        if column not in out.columns:
            continue
        if dtype == "float64":
            out[column] = pd.to_numeric(out[column], errors="raise").astype("float64")
        elif dtype == "bool":
            out[column] = out[column].map(lambda v: _parse(v, "bool")[0]).astype(bool)
        elif dtype == "list":
            out[column] = pd.Series(
                [_split_list("" if is_blank(v) else v) for v in out[column]],
                index=out.index,
                dtype=object,
            )
        else:
            out[column] = out[column].map(lambda v: "" if is_blank(v) else str(v)).astype(str)
    out.index = out.index.astype(str)
    out.index.name = INDEX_NAMES[table]
    return out


# --------------------------------------------------------------------------------------------
# built-in tables
# --------------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _builtin_tables() -> dict[str, pd.DataFrame]:
    tables: dict[str, pd.DataFrame] = {}
    data = resources.files("parkflow") / "data"
    for table in (*TABLES, *FATE_TABLES):
        with (data / f"{table}.csv").open("r", encoding="utf-8") as fh:
            raw = pd.read_csv(fh, dtype=str, keep_default_na=False)
        raw = keyed(raw, table)
        declared = list(CATALOGUE_COLUMNS[table])
        for c in declared:  # a declared column the file lacks gets its default (routes.class)
            if c not in raw.columns:
                default = CATALOGUE_TABLES[table].column(c).default
                raw[c] = "" if default is None or default != default else str(default)
        raw = raw[[c for c in declared if c in raw.columns]]
        tables[table] = _typed(raw.replace("", np.nan), table)
    return tables


@lru_cache(maxsize=1)
def _builtin_technologies() -> pd.DataFrame:
    data = resources.files("parkflow") / "data"
    with (data / "technologies.csv").open("r", encoding="utf-8") as fh:
        raw = pd.read_csv(fh, dtype=str, keep_default_na=False)
    raw = raw.set_index("id")
    declared = list(CATALOGUE_COLUMNS["technologies"])
    raw = raw[[c for c in declared if c in raw.columns]]
    out = _typed(raw.replace("", np.nan), "technologies")
    for column, spec in CATALOGUE_TABLES["technologies"].dtypes().items():
        if spec == "float64" and column in out:
            default = _DEFAULTS.get(column)
            if default is not None:
                out[column] = out[column].fillna(float(default))
    return out


def builtin_technologies() -> pd.DataFrame:
    """The built-in technologies of candidate facilities (``parkflow/data/technologies.csv``).

    Returns
    -------
    DataFrame
        Index ``technology_id``; the columns of
        :data:`parkflow.models.schema.CATALOGUE_TABLES` ``["technologies"]``; ``sizes`` stays
        a ``;`` text (parsed by :func:`parkflow.network.facility_ladder`).

    Examples
    --------
    >>> t = builtin_technologies()
    >>> t.loc["slag_powder_mill_s95", "route"], float(t.loc["orc_unit", "life_a"])
    ('cement_admixture', 20.0)
    """
    return _builtin_technologies().copy()


def builtin_catalogue() -> Catalogue:
    """The built-in catalogue, without overrides.

    Returns
    -------
    Catalogue
        Fresh copies of the four built-in tables (safe to modify).

    Examples
    --------
    >>> float(builtin_catalogue().modes.loc["steam_pipe", "reach_km"])
    10.0
    """
    tables = _builtin_tables()
    return Catalogue(
        **{t: tables[t].copy() for t in (*TABLES, *FATE_TABLES)},
        technologies=builtin_technologies(),
    )


# --------------------------------------------------------------------------------------------
# display
# --------------------------------------------------------------------------------------------

_DISPLAY: dict[str, list[str]] = {
    "materials": [
        "name",
        "category",
        "group",
        "kind",
        "canonical_unit",
        "is_tailings",
        "env_tax_cny_per_t",
    ],
    "categories": ["name", "group", "kind"],
    "routes": [
        "name",
        "accepts",
        "modes",
        "value_cny_per_unit",
        "co2_avoided_t_per_unit",
        "displaces",
        "min_temperature_c",
        "delta_t_c",
        "min_purity",
        "purification_cny_per_unit",
    ],
    "modes": [
        "name",
        "carries",
        "cost_cny_per_tkm",
        "handling_cny_per_t",
        "fixed_cny_per_a",
        "fixed_cny_per_km_a",
        "co2_t_per_tkm",
        "reach_km",
        "detour",
        "loss_per_km",
    ],
}

HEADERS_ZH: dict[str, str] = {
    "material_id": "物料编号",
    "category_id": "类别编号",
    "route_id": "利用途径编号",
    "mode_id": "运输方式编号",
    "name": "名称",
    "category": "统计类别",
    "group": "分组",
    "kind": "形态",
    "canonical_unit": "计量单位",
    "is_tailings": "是否尾矿",
    "env_tax_cny_per_t": "环境保护税(元/单位)",
    "accepts": "可接收物料",
    "modes": "允许运输方式",
    "value_cny_per_unit": "价值(元/单位)",
    "co2_avoided_t_per_unit": "减排CO2(t/单位)",
    "displaces": "替代产品",
    "min_temperature_c": "最低温度(°C)",
    "delta_t_c": "温差(K)",
    "min_purity": "最低纯度",
    "purification_cny_per_unit": "提纯成本(元/单位)",
    "carries": "运输形态",
    "cost_cny_per_tkm": "运费(元/单位·km)",
    "handling_cny_per_t": "装卸费(元/单位)",
    "fixed_cny_per_a": "固定费(元/年)",
    "fixed_cny_per_km_a": "每公里固定费(元/km·年)",
    "co2_t_per_tkm": "运输CO2(t/单位·km)",
    "reach_km": "最大运距(km)",
    "detour": "绕行系数",
    "loss_per_km": "每公里损耗",
}


def catalogue_table(cat: Catalogue, table: str, lang: str = "en") -> pd.DataFrame:
    """One catalogue table prepared for display, in Chinese or English.

    Parameters
    ----------
    cat : Catalogue
        The catalogue to show.
    table : str
        ``"materials"``, ``"categories"``, ``"routes"`` or ``"modes"``.
    lang : str
        ``"en"`` or ``"zh"``: the language of names, displaced products and headers.

    Returns
    -------
    DataFrame
        Index = ids; list columns joined with ``"; "``; numbers unchanged.

    Examples
    --------
    >>> t = catalogue_table(builtin_catalogue(), "categories", lang="zh")
    >>> t.loc["smelting_slag", "名称"]
    '冶炼废渣'
    """
    if table not in TABLES:
        msg = f"unknown catalogue table {table!r}; use one of {', '.join(TABLES)}"
        raise ValueError(msg)
    if lang not in ("en", "zh"):
        msg = f"unknown language {lang!r}; use 'en' or 'zh'"
        raise ValueError(msg)
    df: pd.DataFrame = getattr(cat, table)
    out = pd.DataFrame(index=df.index.copy())
    for column in _DISPLAY[table]:
        if column in ("name", "displaces"):
            out[column] = df[f"{column}_{lang}"]
        elif CATALOGUE_COLUMNS[table].get(column) == "list":
            out[column] = df[column].map("; ".join)
        else:
            out[column] = df[column]
    if lang == "zh":
        out = out.rename(columns=HEADERS_ZH)
        out.index.name = HEADERS_ZH.get(str(df.index.name), df.index.name)
    return out
