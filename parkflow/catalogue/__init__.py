"""The built-in catalogue of materials, statistics categories, use routes and transport modes.

The four tables ship as package data (``parkflow/data/materials.csv``, ``categories.csv``,
``routes.csv``, ``modes.csv``); every row names its source (a URL from DOMAIN.md) or says
``estimate: ...`` with the reasoning. :func:`load_catalogue` reads them once, merges a scenario's
override tables (``materials.csv``, ``routes.csv``) and ``scenario.yaml`` ``modes:`` overrides,
validates the result and returns a :class:`~parkflow.models.scenario.Catalogue`.

Units: every per-unit number is per canonical unit of the material (t for solids and hydrogen, GJ
for heat). ``value_cny_per_unit`` is the displaced product's worth net of processing (negative for
a gate fee); ``co2_avoided_t_per_unit`` is tCO2 per canonical unit absorbed; mode costs are CNY per
canonical unit and km (``cost_cny_per_tkm``) or per canonical unit (``handling_cny_per_t``).

>>> cat = builtin_catalogue()
>>> cat.materials.loc["phosphogypsum", "name_zh"]
'磷石膏'
>>> "steel_slag" in cat.routes.loc["cement_admixture", "accepts"]
False
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Callable, Iterable, Mapping
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np
import pandas as pd

from parkflow.errors import Problem, ScenarioError
from parkflow.models.scenario import Catalogue

#: Grid CO2 emission factors, tCO2/MWh (= kgCO2/kWh): MEE/NBS 2023 location-based values.
GRID_CO2_T_PER_MWH: dict[str, float] = {"sichuan": 0.1564, "national": 0.5306}
#: Tonnes of standard coal equivalent per GJ (1 tce = 29.3076 GJ).
TCE_PER_GJ: float = 0.03412

TABLES: tuple[str, ...] = ("materials", "categories", "routes", "modes")
INDEX_NAMES: dict[str, str] = {
    "materials": "material_id",
    "categories": "category_id",
    "routes": "route_id",
    "modes": "mode_id",
}
KINDS: tuple[str, ...] = ("solid", "heat", "hydrogen")
CANONICAL_UNITS: dict[str, str] = {"solid": "t/a", "heat": "GJ/a", "hydrogen": "t/a"}

#: table -> column -> dtype ("str", "float64", "bool", "list"); "list" is ';'-separated in CSV and a
#: tuple of str after loading.
CATALOGUE_COLUMNS: dict[str, dict[str, str]] = {
    "materials": {
        "name_zh": "str",
        "name_en": "str",
        "group": "str",
        "category": "str",
        "kind": "str",
        "canonical_unit": "str",
        "is_tailings": "bool",
        "env_tax_cny_per_t": "float64",
        "density_kg_per_nm3": "float64",
        "source": "str",
        "env_tax_source": "str",
    },
    "categories": {
        "name_zh": "str",
        "name_en": "str",
        "group": "str",
        "kind": "str",
        "source": "str",
    },
    "routes": {
        "name_zh": "str",
        "name_en": "str",
        "accepts": "list",
        "modes": "list",
        "value_cny_per_unit": "float64",
        "co2_avoided_t_per_unit": "float64",
        "displaces_zh": "str",
        "displaces_en": "str",
        "min_temperature_c": "float64",
        "delta_t_c": "float64",
        "min_purity": "float64",
        "purification_cny_per_unit": "float64",
        "quality_rule": "str",
        "source": "str",
        "value_source": "str",
        "co2_source": "str",
    },
    "modes": {
        "name_zh": "str",
        "name_en": "str",
        "carries": "list",
        "cost_cny_per_tkm": "float64",
        "handling_cny_per_t": "float64",
        "fixed_cny_per_a": "float64",
        "fixed_cny_per_km_a": "float64",
        "co2_t_per_tkm": "float64",
        "reach_km": "float64",
        "detour": "float64",
        "loss_per_km": "float64",
        "source": "str",
        "cost_source": "str",
        "co2_source": "str",
    },
}

#: Units of the numeric columns (for docs and display).
COLUMN_UNITS: dict[str, str] = {
    "env_tax_cny_per_t": "CNY per canonical unit",
    "density_kg_per_nm3": "kg/Nm³",
    "value_cny_per_unit": "CNY per canonical unit absorbed",
    "co2_avoided_t_per_unit": "tCO2 per canonical unit absorbed",
    "min_temperature_c": "°C",
    "delta_t_c": "K",
    "min_purity": "fraction",
    "purification_cny_per_unit": "CNY per canonical unit",
    "cost_cny_per_tkm": "CNY per canonical unit·km",
    "handling_cny_per_t": "CNY per canonical unit",
    "fixed_cny_per_a": "CNY/a per link",
    "fixed_cny_per_km_a": "CNY/a per km",
    "co2_t_per_tkm": "tCO2 per canonical unit·km",
    "reach_km": "km",
    "detour": "factor ≥ 1",
    "loss_per_km": "fraction per km",
}

# column -> (lowest, highest, NaN allowed, inclusive upper bound)
_BOUNDS: dict[str, tuple[float, float, bool, bool]] = {
    "env_tax_cny_per_t": (0.0, math.inf, False, True),
    "density_kg_per_nm3": (0.0, math.inf, True, True),
    "value_cny_per_unit": (-math.inf, math.inf, False, True),
    "co2_avoided_t_per_unit": (-math.inf, math.inf, False, True),
    "min_temperature_c": (-273.15, math.inf, True, True),
    "delta_t_c": (0.0, math.inf, True, True),
    "min_purity": (0.0, 1.0, True, True),
    "purification_cny_per_unit": (0.0, math.inf, True, True),
    "cost_cny_per_tkm": (0.0, math.inf, False, True),
    "handling_cny_per_t": (0.0, math.inf, False, True),
    "fixed_cny_per_a": (0.0, math.inf, False, True),
    "fixed_cny_per_km_a": (0.0, math.inf, False, True),
    "co2_t_per_tkm": (0.0, math.inf, False, True),
    "reach_km": (0.0, math.inf, False, True),
    "detour": (1.0, math.inf, False, True),
    "loss_per_km": (0.0, 1.0, False, False),
}

# Columns a *new* row (an id not in the built-in table) must give.
_REQUIRED_NEW: dict[str, tuple[str, ...]] = {
    "materials": ("category", "kind"),
    "routes": ("accepts",),
    "modes": ("carries", "cost_cny_per_tkm", "reach_km"),
}

# Defaults for new rows (numbers); str columns default to "" and names to the id.
_DEFAULTS: dict[str, float | bool] = {
    "is_tailings": False,
    "density_kg_per_nm3": math.nan,
    "value_cny_per_unit": 0.0,
    "co2_avoided_t_per_unit": 0.0,
    "min_temperature_c": math.nan,
    "delta_t_c": math.nan,
    "min_purity": math.nan,
    "purification_cny_per_unit": math.nan,
    "handling_cny_per_t": 0.0,
    "fixed_cny_per_a": 0.0,
    "fixed_cny_per_km_a": 0.0,
    "co2_t_per_tkm": 0.0,
    "detour": 1.0,
    "loss_per_km": 0.0,
}
# environmental-protection tax of "other solid waste" (CNY/t) — the default for a new solid
_DEFAULT_SOLID_TAX_CNY_PER_T = 25.0

# text columns whose override does not change what the source vouches for
_COSMETIC = {"name_zh", "name_en", "displaces_zh", "displaces_en", "quality_rule"}

_TRUE = {"true", "t", "yes", "y", "1", "1.0"}
_FALSE = {"false", "f", "no", "n", "0", "0.0"}


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


def _is_blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    if value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, str) and value.strip() == ""


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
        if isinstance(value, (bool, np.bool_)):
            return bool(value), None
        text = str(value).strip().lower()
        if text in _TRUE:
            return True, None
        if text in _FALSE:
            return False, None
        return None, f"{value!r} is not true/false"
    if dtype == "list":
        return _split_list(value), None
    return str(value).strip(), None


def _check_bounds(column: str, number: float) -> str | None:
    """Return an error message when ``number`` is outside the column's allowed range."""
    if column not in _BOUNDS:
        return None
    lo, hi, nan_ok, hi_inclusive = _BOUNDS[column]
    unit = COLUMN_UNITS.get(column, "")
    if math.isnan(number):
        return None if nan_ok else "must be a number (it is empty or NaN)"
    if math.isinf(number):
        return f"{number} is not finite"
    if number < lo:
        return f"{number:g} must be >= {lo:g} ({unit})"
    if number > hi or (not hi_inclusive and number >= hi):
        op = "<=" if hi_inclusive else "<"
        return f"{number:g} must be {op} {hi:g} ({unit})"
    return None


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
                [_split_list("" if _is_blank(v) else v) for v in out[column]],
                index=out.index,
                dtype=object,
            )
        else:
            out[column] = out[column].map(lambda v: "" if _is_blank(v) else str(v)).astype(str)
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
    for table in TABLES:
        with (data / f"{table}.csv").open("r", encoding="utf-8") as fh:
            raw = pd.read_csv(fh, dtype=str, keep_default_na=False)
        raw = raw.set_index("id")
        declared = list(CATALOGUE_COLUMNS[table])
        raw = raw[[c for c in declared if c in raw.columns]]
        tables[table] = _typed(raw.replace("", np.nan), table)
    return tables


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
    return Catalogue(**{t: tables[t].copy() for t in TABLES})


# --------------------------------------------------------------------------------------------
# overrides
# --------------------------------------------------------------------------------------------

Locator = Callable[[str, str], tuple[int | None, str]]


def _frame_with_ids(
    override: pd.DataFrame, table: str, file: str, problems: list[Problem]
) -> pd.DataFrame | None:
    """Index an override table by its id column ('id' or '<table>_id' or an already set index)."""
    index_name = INDEX_NAMES[table]
    df = override.copy()
    if "id" in df.columns:
        df = df.set_index("id")
    elif index_name in df.columns:
        df = df.set_index(index_name)
    elif df.index.name not in (index_name, "id") and not isinstance(df.index, pd.RangeIndex):
        pass  # an unnamed but explicit string index: accept it
    elif isinstance(df.index, pd.RangeIndex) and df.index.name is None:
        problems.append(
            Problem(
                file=file,
                message=f"the table has no 'id' column (the {index_name} of each row)",
                fix=f"add a first column 'id' holding the {index_name}",
            )
        )
        return None
    df.index = pd.Index([str(i).strip() for i in df.index], name=index_name)
    return df


def _merge_table(
    base: pd.DataFrame,
    override: pd.DataFrame,
    table: str,
    file: str,
    locate: Locator,
    problems: list[Problem],
) -> tuple[pd.DataFrame, dict[str, int | None]]:
    """Merge ``override`` (indexed by id) into ``base``; return the table and the rows touched.

    Blank override cells keep the built-in value (or take the default on new rows).
    """
    dtypes = CATALOGUE_COLUMNS[table]
    label = table[:-1]
    out = base.copy()
    touched: dict[str, int | None] = {}
    duplicated = override.index[override.index.duplicated()].unique()
    for dup in duplicated:
        row, _ = locate(dup, "id")
        problems.append(
            Problem(file=file, row=row, column="id", message=f"{label} '{dup}' appears twice",
                    fix="keep one row per id")
        )
    override = override[~override.index.duplicated()]
    numeric_given: dict[str, list[str]] = {}
    new_rows: dict[str, dict[str, Any]] = {}
    for ident, values in override.iterrows():  # override tables are a handful of rows
        ident = str(ident)
        row_no, _ = locate(ident, "id")
        touched[ident] = row_no
        if ident == "" or ident.lower() == "nan":
            problems.append(Problem(file=file, row=row_no, column="id", message="the id is empty",
                                    fix=f"give each row a {INDEX_NAMES[table]}"))
            continue
        is_new = ident not in out.index
        parsed: dict[str, Any] = {}
        for column, raw in values.items():
            column = str(column)
            if column not in dtypes or _is_blank(raw):
                continue  # extra columns are kept on new rows only via the declared set
            value, error = _parse(raw, dtypes[column])
            row, col = locate(ident, column)
            if error is None and dtypes[column] == "float64":
                error = _check_bounds(column, value)
            if error is not None:
                problems.append(
                    Problem(file=file, row=row, column=col,
                            message=f"{label} '{ident}': {column} {error}",
                            fix=f"give a {_dtype_words(dtypes[column])}"
                            + (f" in {COLUMN_UNITS[column]}" if column in COLUMN_UNITS else ""))
                )
                continue
            parsed[column] = value
        if is_new:
            missing = [c for c in _REQUIRED_NEW.get(table, ()) if c not in parsed]
            for column in missing:
                row, col = locate(ident, column)
                hint = suggest(ident, out.index)
                problems.append(
                    Problem(file=file, row=row, column=col,
                            message=f"new {label} '{ident}' has no {column}{hint}",
                            fix=f"fill {column}, or use the id of a built-in {label}")
                )
            new_rows[ident] = parsed
        else:
            for column, value in parsed.items():
                out.at[ident, column] = value
            numeric_given[ident] = [c for c in parsed if c not in _COSMETIC
                                    and not c.endswith("source")]
            if "source" not in parsed and numeric_given[ident]:
                cols = ", ".join(numeric_given[ident])
                out.at[ident, "source"] = (
                    f"scenario override of {cols} ({file}); built-in: {base.at[ident, 'source']}"
                )
    if new_rows:
        out = pd.concat([out, _new_rows_frame(new_rows, table, file)])
    return _typed(out, table), touched


def _new_rows_frame(rows: dict[str, dict[str, Any]], table: str, file: str) -> pd.DataFrame:
    dtypes = CATALOGUE_COLUMNS[table]
    records = []
    for ident, given in rows.items():
        record: dict[str, Any] = {}
        for column, dtype in dtypes.items():
            if column in given:
                record[column] = given[column]
            elif column in ("name_zh", "name_en"):
                record[column] = ident
            elif column == "source":
                record[column] = f"scenario override ({file})"
            elif column == "env_tax_cny_per_t":
                solid = given.get("kind", "solid") == "solid"
                record[column] = _DEFAULT_SOLID_TAX_CNY_PER_T if solid else 0.0
            elif column == "canonical_unit":
                record[column] = CANONICAL_UNITS.get(str(given.get("kind", "solid")), "t/a")
            elif column == "group":
                record[column] = "other"
            elif dtype == "list":
                record[column] = ()
            elif dtype == "str":
                record[column] = ""
            else:
                record[column] = _DEFAULTS.get(column, math.nan)
        records.append(record)
    frame = pd.DataFrame.from_records(records, index=list(rows))
    frame.index.name = INDEX_NAMES[table]
    return frame


def _dtype_words(dtype: str) -> str:
    return {
        "float64": "number",
        "bool": "true or false",
        "list": "';'-separated list of ids",
        "str": "text",
    }[dtype]


def _check_materials(
    materials: pd.DataFrame,
    categories: pd.DataFrame,
    touched: Mapping[str, int | None],
    file: str,
    problems: list[Problem],
) -> pd.DataFrame:
    """Check kinds, units and categories of overridden materials; add new categories."""
    new_categories: dict[str, dict[str, Any]] = {}
    for ident, row_no in touched.items():
        if ident not in materials.index:
            continue
        row = materials.loc[ident]
        kind = row["kind"]
        if kind not in KINDS:
            problems.append(
                Problem(file=file, row=row_no, column="kind",
                        message=f"material '{ident}': kind '{kind}' is not one of "
                        f"{', '.join(KINDS)}"
                        + suggest(kind, KINDS),
                        fix="use solid, heat or hydrogen")
            )
            continue
        unit = row["canonical_unit"]
        if unit != CANONICAL_UNITS[kind]:
            problems.append(
                Problem(file=file, row=row_no, column="canonical_unit",
                        message=f"material '{ident}': canonical_unit '{unit}' does not fit kind "
                        f"'{kind}'",
                        fix=f"use {CANONICAL_UNITS[kind]} (or leave the cell empty)")
            )
        category = row["category"]
        if category not in categories.index and category not in new_categories:
            hint = suggest(category, categories.index)
            if hint:
                problems.append(
                    Problem(file=file, row=row_no, column="category",
                            message=f"material '{ident}': category '{category}' is not a "
                            f"statistics category{hint}",
                            fix="use a category id from `parkflow catalogue --table categories`, "
                            "or a clearly new id to add a category")
                )
            else:
                new_categories[category] = {
                    "name_zh": category,
                    "name_en": category,
                    "group": row["group"],
                    "kind": kind,
                    "source": f"scenario override ({file})",
                }
    if not new_categories:
        return categories
    extra = pd.DataFrame.from_dict(new_categories, orient="index")
    extra.index.name = INDEX_NAMES["categories"]
    return _typed(pd.concat([categories, extra]), "categories")


def _check_references(
    table: pd.DataFrame,
    column: str,
    known: Iterable[str],
    what: str,
    touched: Mapping[str, int | None],
    file: str,
    locate: Locator,
    problems: list[Problem],
) -> None:
    """Every item of the list column ``column`` in touched rows must be in ``known``."""
    known = list(known)
    label = "route" if column in ("accepts", "modes") else "mode"
    for ident in touched:
        if ident not in table.index:
            continue
        items = table.at[ident, column]
        row, col = locate(ident, column)
        if not items and column != "modes":  # an empty route mode list means "any mode"
            problems.append(
                Problem(file=file, row=row, column=col,
                        message=f"{label} '{ident}': {column} is empty",
                        fix=f"list {what} ids separated by ';'")
            )
        for item in items:
            if item not in known:
                problems.append(
                    Problem(file=file, row=row, column=col,
                            message=f"{label} '{ident}': {column} names unknown {what} "
                            f"'{item}'{suggest(item, known)}",
                            fix=f"use a {what} id from the catalogue, or add it to "
                            f"{'materials.csv' if what == 'material' else 'the catalogue'}")
                )


def _check_route_mode_kinds(
    routes: pd.DataFrame,
    modes: pd.DataFrame,
    materials: pd.DataFrame,
    touched: Mapping[str, int | None],
    locate: Locator,
    problems: list[Problem],
) -> None:
    """A route's allowed modes must each carry the kind of a material the route accepts."""
    for ident in touched:
        if ident not in routes.index:
            continue
        kinds = {str(materials.at[m, "kind"]) for m in routes.at[ident, "accepts"]
                 if m in materials.index}
        for mode in routes.at[ident, "modes"]:
            if mode not in modes.index:
                continue  # reported by _check_references
            carries = set(modes.at[mode, "carries"])
            if kinds and not kinds & carries:
                row, col = locate(ident, "modes")
                problems.append(
                    Problem(file="routes.csv", row=row, column=col,
                            message=f"route '{ident}': mode '{mode}' carries "
                            f"{', '.join(sorted(carries))}, not {', '.join(sorted(kinds))}",
                            fix="list modes that carry what the route accepts, or leave modes "
                            "empty (any mode that carries it)")
                )


def _frame_locator(df: pd.DataFrame) -> Locator:
    positions = {str(i): p + 2 for p, i in enumerate(df.index)}

    def locate(ident: str, column: str) -> tuple[int | None, str]:
        return positions.get(str(ident)), column

    return locate


def _yaml_locator(ident: str, column: str) -> tuple[int | None, str]:
    return None, f"modes.{ident}" + ("" if column == "id" else f".{column}")


def _mode_overrides_frame(
    mode_overrides: Mapping[str, Any], problems: list[Problem]
) -> pd.DataFrame:
    """scenario.yaml ``modes:`` (mode_id -> {column: value}) as an override frame."""
    known = list(CATALOGUE_COLUMNS["modes"])
    records: dict[str, dict[str, Any]] = {}
    if not isinstance(mode_overrides, Mapping):
        problems.append(
            Problem(file="scenario.yaml", column="modes",
                    message="modes must be a mapping of mode id to settings",
                    fix="write e.g. `modes: {truck: {cost_cny_per_tkm: 0.45}}`")
        )
        return pd.DataFrame(index=pd.Index([], name="mode_id"))
    for ident, settings in mode_overrides.items():
        if not isinstance(settings, Mapping):
            problems.append(
                Problem(file="scenario.yaml", column=f"modes.{ident}",
                        message=f"mode '{ident}' settings must be a mapping of column to value",
                        fix=f"write e.g. `{ident}: {{cost_cny_per_tkm: 0.45}}`")
            )
            continue
        record: dict[str, Any] = {}
        for key, value in settings.items():
            if key not in known:
                problems.append(
                    Problem(file="scenario.yaml", column=f"modes.{ident}.{key}",
                            message=f"mode '{ident}': unknown setting '{key}'"
                            + suggest(str(key), known),
                            fix=f"use one of {', '.join(known)}")
                )
                continue
            record[key] = value
        records[str(ident)] = record
    frame = pd.DataFrame.from_dict(records, orient="index", dtype=object)
    frame.index.name = "mode_id"
    return frame


def load_catalogue(
    materials: pd.DataFrame | None = None,
    routes: pd.DataFrame | None = None,
    modes: pd.DataFrame | None = None,
    mode_overrides: dict[str, dict] | None = None,
) -> Catalogue:
    """The built-in catalogue merged with a scenario's overrides.

    Rows whose id is in the built-in table replace the given columns of the built-in row (blank
    cells keep the built-in value); new ids are added (with defaults for optional columns).
    Override tables may have an ``id`` column, a ``<table>_id`` column or an id index, and may omit
    any optional column. Extra columns are ignored.

    Parameters
    ----------
    materials : DataFrame, optional
        Override rows for ``materials`` (a scenario's materials.csv). New materials need
        ``category`` and ``kind``; an unknown category that is not a near-miss of a known one is
        added to ``categories``.
    routes : DataFrame, optional
        Override rows for ``routes`` (a scenario's routes.csv). New routes need ``accepts``;
        ``modes`` (';'-separated mode ids) limits the transport modes a route may be served by
        (empty: any mode that carries the material's kind).
    modes : DataFrame, optional
        Override rows for ``modes``. New modes need ``carries``, ``cost_cny_per_tkm``,
        ``reach_km``.
    mode_overrides : dict, optional
        scenario.yaml ``modes:``: mode id -> {column: value}, applied after ``modes``.

    Returns
    -------
    Catalogue
        Copies of the merged tables; list columns (``accepts``, ``modes``, ``carries``) hold
        tuples of str.

    Raises
    ------
    ScenarioError
        With one :class:`~parkflow.errors.Problem` per bad value (file ``materials.csv``,
        ``routes.csv``, ``modes.csv`` or ``scenario.yaml``, its row and column): a value of the
        wrong type, a number out of range (negative cost, loss ≥ 1, detour < 1...), an unknown
        kind, a reference to an unknown material, mode or kind (with the nearest known id), or
        a route mode that does not carry what the route accepts.

    Examples
    --------
    >>> cat = load_catalogue(mode_overrides={"truck": {"cost_cny_per_tkm": 0.5}})
    >>> float(cat.modes.loc["truck", "cost_cny_per_tkm"])
    0.5
    """
    base = builtin_catalogue()
    if materials is None and routes is None and modes is None and not mode_overrides:
        return base
    problems: list[Problem] = []
    mats, cats, rts, mds = base.materials, base.categories, base.routes, base.modes

    if materials is not None:
        frame = _frame_with_ids(materials, "materials", "materials.csv", problems)
        if frame is not None:
            locate = _frame_locator(frame)
            mats, touched = _merge_table(mats, frame, "materials", "materials.csv", locate,
                                         problems)
            cats = _check_materials(mats, cats, touched, "materials.csv", problems)

    route_locate: Locator | None = None
    route_touched: dict[str, int | None] = {}
    if routes is not None:
        frame = _frame_with_ids(routes, "routes", "routes.csv", problems)
        if frame is not None:
            route_locate = _frame_locator(frame)
            rts, route_touched = _merge_table(rts, frame, "routes", "routes.csv", route_locate,
                                              problems)
            _check_references(rts, "accepts", mats.index, "material", route_touched,
                              "routes.csv", route_locate, problems)

    mode_sources: list[tuple[pd.DataFrame, str, Locator]] = []
    if modes is not None:
        frame = _frame_with_ids(modes, "modes", "modes.csv", problems)
        if frame is not None:
            mode_sources.append((frame, "modes.csv", _frame_locator(frame)))
    if mode_overrides:
        frame = _mode_overrides_frame(mode_overrides, problems)
        mode_sources.append((frame, "scenario.yaml", _yaml_locator))
    for frame, file, locate in mode_sources:
        mds, touched = _merge_table(mds, frame, "modes", file, locate, problems)
        _check_references(mds, "carries", KINDS, "kind", touched, file, locate, problems)

    if routes is not None and route_locate is not None:
        _check_references(rts, "modes", mds.index, "mode", route_touched, "routes.csv",
                          route_locate, problems)
        _check_route_mode_kinds(rts, mds, mats, route_touched, route_locate, problems)

    if problems:
        files = list(dict.fromkeys(p.file for p in problems))
        raise ScenarioError(problems, source=", ".join(files))
    return Catalogue(materials=mats, categories=cats, routes=rts, modes=mds)


# --------------------------------------------------------------------------------------------
# display
# --------------------------------------------------------------------------------------------

_DISPLAY: dict[str, list[str]] = {
    "materials": ["name", "category", "group", "kind", "canonical_unit", "is_tailings",
                  "env_tax_cny_per_t"],
    "categories": ["name", "group", "kind"],
    "routes": ["name", "accepts", "modes", "value_cny_per_unit", "co2_avoided_t_per_unit",
               "displaces", "min_temperature_c", "delta_t_c", "min_purity",
               "purification_cny_per_unit"],
    "modes": ["name", "carries", "cost_cny_per_tkm", "handling_cny_per_t", "fixed_cny_per_a",
              "fixed_cny_per_km_a", "co2_t_per_tkm", "reach_km", "detour", "loss_per_km"],
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
        raise ValueError(f"unknown catalogue table {table!r}; use one of {', '.join(TABLES)}")
    if lang not in ("en", "zh"):
        raise ValueError(f"unknown language {lang!r}; use 'en' or 'zh'")
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
