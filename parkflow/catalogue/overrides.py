"""Scenario overrides of the catalogue: override tables and ``scenario.yaml`` ``modes:``.

:func:`load_catalogue` merges a scenario's override tables (``materials.csv``, ``routes.csv``,
``modes.csv``) and ``scenario.yaml`` ``modes:`` overrides into the built-in tables
(:mod:`parkflow.catalogue.builtin`), validates the result and returns a
:class:`~parkflow.models.scenario.Catalogue`. A blank override cell keeps the built-in value.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from parkflow.catalogue.builtin import (
    _COSMETIC,
    _DEFAULT_SOLID_TAX_CNY_PER_T,
    _DEFAULTS,
    _REQUIRED_NEW,
    CANONICAL_UNITS,
    CATALOGUE_COLUMNS,
    COLUMN_UNITS,
    INDEX_NAMES,
    KINDS,
    _check_bounds,
    _parse,
    _typed,
    builtin_catalogue,
    suggest,
)
from parkflow.errors import Problem, ScenarioError
from parkflow.models.scenario import Catalogue
from parkflow.models.schema import CATALOGUE_TABLES, is_blank

Locator = Callable[[str, str], tuple[int | None, str]]


def _frame_with_ids(
    override: pd.DataFrame, table: str, file: str, problems: list[Problem]
) -> pd.DataFrame | None:
    """Index an override table by its id column ('id' or '<table>_id' or an already set index)."""
    index_name = INDEX_NAMES[table]
    df = override.copy()
    df.columns = [CATALOGUE_TABLES[table].resolve_header(c) for c in df.columns]
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
    df.attrs["rows"] = list(override.attrs.get("rows") or range(2, len(df) + 2))
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
            Problem(
                file=file,
                row=row,
                column="id",
                message=f"{label} '{dup}' appears twice",
                fix="keep one row per id",
            )
        )
    override = override[~override.index.duplicated()]
    numeric_given: dict[str, list[str]] = {}
    new_rows: dict[str, dict[str, Any]] = {}
    for ident, values in override.iterrows():  # override tables are a handful of rows
        ident = str(ident)
        row_no, _ = locate(ident, "id")
        touched[ident] = row_no
        if ident == "" or ident.lower() == "nan":
            problems.append(
                Problem(
                    file=file,
                    row=row_no,
                    column="id",
                    message="the id is empty",
                    fix=f"give each row a {INDEX_NAMES[table]}",
                )
            )
            continue
        is_new = ident not in out.index
        parsed: dict[str, Any] = {}
        for column, raw in values.items():
            column = str(column)
            if column not in dtypes or is_blank(raw):
                continue  # extra columns are kept on new rows only via the declared set
            value, error = _parse(raw, dtypes[column])
            row, col = locate(ident, column)
            if error is None and dtypes[column] == "float64":
                error = _check_bounds(column, value)
            if error is not None:
                problems.append(
                    Problem(
                        file=file,
                        row=row,
                        column=col,
                        message=f"{label} '{ident}': {column} {error}",
                        fix=f"give a {_dtype_words(dtypes[column])}"
                        + (f" in {COLUMN_UNITS[column]}" if column in COLUMN_UNITS else ""),
                    )
                )
                continue
            parsed[column] = value
        if is_new:
            missing = [c for c in _REQUIRED_NEW.get(table, ()) if c not in parsed]
            for column in missing:
                row, col = locate(ident, column)
                hint = suggest(ident, out.index)
                problems.append(
                    Problem(
                        file=file,
                        row=row,
                        column=col,
                        message=f"new {label} '{ident}' has no {column}{hint}",
                        fix=f"fill {column}, or use the id of a built-in {label}",
                    )
                )
            new_rows[ident] = parsed
        else:
            for column, value in parsed.items():
                out.at[ident, column] = value
            numeric_given[ident] = [
                c for c in parsed if c not in _COSMETIC and not c.endswith("source")
            ]
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
                Problem(
                    file=file,
                    row=row_no,
                    column="kind",
                    message=f"material '{ident}': kind '{kind}' is not one of "
                    f"{', '.join(KINDS)}" + suggest(kind, KINDS),
                    fix="use solid, heat or hydrogen",
                )
            )
            continue
        unit = row["canonical_unit"]
        if unit != CANONICAL_UNITS[kind]:
            problems.append(
                Problem(
                    file=file,
                    row=row_no,
                    column="canonical_unit",
                    message=f"material '{ident}': canonical_unit '{unit}' does not fit kind "
                    f"'{kind}'",
                    fix=f"use {CANONICAL_UNITS[kind]} (or leave the cell empty)",
                )
            )
        category = row["category"]
        if category not in categories.index and category not in new_categories:
            hint = suggest(category, categories.index)
            if hint:
                problems.append(
                    Problem(
                        file=file,
                        row=row_no,
                        column="category",
                        message=f"material '{ident}': category '{category}' is not a "
                        f"statistics category{hint}",
                        fix="use a category id from `parkflow catalogue --table categories`, "
                        "or a clearly new id to add a category",
                    )
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
                Problem(
                    file=file,
                    row=row,
                    column=col,
                    message=f"{label} '{ident}': {column} is empty",
                    fix=f"list {what} ids separated by ';'",
                )
            )
        for item in items:
            if item not in known:
                problems.append(
                    Problem(
                        file=file,
                        row=row,
                        column=col,
                        message=f"{label} '{ident}': {column} names unknown {what} "
                        f"'{item}'{suggest(item, known)}",
                        fix=f"use a {what} id from the catalogue, or add it to "
                        f"{'materials.csv' if what == 'material' else 'the catalogue'}",
                    )
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
        kinds = {
            str(materials.at[m, "kind"])
            for m in routes.at[ident, "accepts"]
            if m in materials.index
        }
        for mode in routes.at[ident, "modes"]:
            if mode not in modes.index:
                continue  # reported by _check_references
            carries = set(modes.at[mode, "carries"])
            if kinds and not kinds & carries:
                row, col = locate(ident, "modes")
                problems.append(
                    Problem(
                        file="routes.csv",
                        row=row,
                        column=col,
                        message=f"route '{ident}': mode '{mode}' carries "
                        f"{', '.join(sorted(carries))}, not {', '.join(sorted(kinds))}",
                        fix="list modes that carry what the route accepts, or leave modes "
                        "empty (any mode that carries it)",
                    )
                )


def _frame_locator(df: pd.DataFrame) -> Locator:
    rows = df.attrs.get("rows") or range(2, len(df) + 2)
    positions = {str(i): r for i, r in zip(df.index, rows, strict=False)}

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
            Problem(
                file="scenario.yaml",
                column="modes",
                message="modes must be a mapping of mode id to settings",
                fix="write e.g. `modes: {truck: {cost_cny_per_tkm: 0.45}}`",
            )
        )
        return pd.DataFrame(index=pd.Index([], name="mode_id"))
    for ident, settings in mode_overrides.items():
        if not isinstance(settings, Mapping):
            problems.append(
                Problem(
                    file="scenario.yaml",
                    column=f"modes.{ident}",
                    message=f"mode '{ident}' settings must be a mapping of column to value",
                    fix=f"write e.g. `{ident}: {{cost_cny_per_tkm: 0.45}}`",
                )
            )
            continue
        record: dict[str, Any] = {}
        for key, value in settings.items():
            if key not in known:
                problems.append(
                    Problem(
                        file="scenario.yaml",
                        column=f"modes.{ident}.{key}",
                        message=f"mode '{ident}': unknown setting '{key}'"
                        + suggest(str(key), known),
                        fix=f"use one of {', '.join(known)}",
                    )
                )
                continue
            record[key] = value
        records[str(ident)] = record
    frame = pd.DataFrame.from_dict(records, orient="index", dtype=object)
    frame.index.name = "mode_id"
    return frame


def _merge_keyed(
    base: pd.DataFrame, override: pd.DataFrame | None, table: str, problems: list[Problem]
) -> pd.DataFrame:
    """A fate table with a scenario's rows: same key replaces the given cells, new keys added."""
    if override is None or len(override) == 0:
        return base
    from parkflow.catalogue.builtin import KEY_COLUMNS, _typed, keyed

    file = CATALOGUE_TABLES[table].file
    df = override.copy()
    df.columns = [CATALOGUE_TABLES[table].resolve_header(c) for c in df.columns]
    keys = KEY_COLUMNS.get(table, ("id",))
    missing = [k for k in keys if k not in df.columns]
    if missing:
        problems.append(
            Problem(
                file=file,
                message=f"the table needs the column(s) {', '.join(missing)}",
                fix=f"add {', '.join(keys)}",
            )
        )
        return base
    df = keyed(df.replace("", np.nan), table)
    declared = [c for c in CATALOGUE_TABLES[table].column_names if c in df.columns]
    try:
        df = _typed(df[declared], table)
    except (TypeError, ValueError) as exc:
        problems.append(
            Problem(
                file=file,
                message=f"a value has the wrong type: {exc}",
                fix="write numbers in the numeric columns",
            )
        )
        return base
    out = base.copy()
    for key, row in df.iterrows():
        given = {c: v for c, v in row.items() if not is_blank(v)}
        if key in out.index:
            for c, v in given.items():
                out.loc[key, c] = v
        else:
            new = pd.DataFrame([given], index=pd.Index([key], name=out.index.name))
            out = pd.concat([out, new])
    return out


def load_catalogue(
    materials: pd.DataFrame | None = None,
    routes: pd.DataFrame | None = None,
    modes: pd.DataFrame | None = None,
    mode_overrides: dict[str, dict] | None = None,
    fates: pd.DataFrame | None = None,
    stacking_costs: pd.DataFrame | None = None,
    replacement_fuels: pd.DataFrame | None = None,
    route_classes: pd.DataFrame | None = None,
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
    fates, stacking_costs, replacement_fuels, route_classes : DataFrame, optional
        Override rows of the fate tables (docs/model.md#fates), by ``id``, ``material`` or
        (``route``, ``material``).

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
    fate_overrides = {
        "fates": fates,
        "stacking_costs": stacking_costs,
        "replacement_fuels": replacement_fuels,
        "route_classes": route_classes,
    }
    if (
        materials is None
        and routes is None
        and modes is None
        and not mode_overrides
        and all(v is None for v in fate_overrides.values())
    ):
        return base
    problems: list[Problem] = []
    fate_tables = {
        t: _merge_keyed(getattr(base, t), v, t, problems) for t, v in fate_overrides.items()
    }
    mats, cats, rts, mds = base.materials, base.categories, base.routes, base.modes

    if materials is not None:
        frame = _frame_with_ids(materials, "materials", "materials.csv", problems)
        if frame is not None:
            locate = _frame_locator(frame)
            mats, touched = _merge_table(
                mats, frame, "materials", "materials.csv", locate, problems
            )
            cats = _check_materials(mats, cats, touched, "materials.csv", problems)

    route_locate: Locator | None = None
    route_touched: dict[str, int | None] = {}
    if routes is not None:
        frame = _frame_with_ids(routes, "routes", "routes.csv", problems)
        if frame is not None:
            route_locate = _frame_locator(frame)
            rts, route_touched = _merge_table(
                rts, frame, "routes", "routes.csv", route_locate, problems
            )
            _check_references(
                rts,
                "accepts",
                mats.index,
                "material",
                route_touched,
                "routes.csv",
                route_locate,
                problems,
            )

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
        _check_references(
            rts, "modes", mds.index, "mode", route_touched, "routes.csv", route_locate, problems
        )
        _check_route_mode_kinds(rts, mds, mats, route_touched, route_locate, problems)

    if problems:
        files = list(dict.fromkeys(p.file for p in problems))
        raise ScenarioError(problems, source=", ".join(files))
    from parkflow.catalogue.builtin import builtin_technologies

    return Catalogue(
        materials=mats,
        categories=cats,
        routes=rts,
        modes=mds,
        **fate_tables,
        technologies=builtin_technologies(),
    )
