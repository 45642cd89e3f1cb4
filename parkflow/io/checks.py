"""Validation as named rules: each function checks one rule and adds a :class:`Problem` per breach.

Validate once, at load time: the assembler (:mod:`parkflow.io.assemble`) calls these rules on
the raw frames, collects every problem in one :class:`Problems` list and gives up only at the
end, so the planner sees every problem at once — each naming the file, the spreadsheet row (the
header is row 1), the column and the fix. The messages are listed in docs/scenario-format.md
("Validation messages"). After loading, the core trusts its data.
"""

from __future__ import annotations

import difflib
import math
import unicodedata
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, SupportsIndex

import geopandas as gpd
import numpy as np
import pandas as pd

from parkflow.catalogue import suggest
from parkflow.errors import ParkflowWarning, Problem
from parkflow.geo import geodesic_km, locate
from parkflow.io.cells import (
    bool_cells,
    drop_empty_rows,
    excel_row,
    is_blank,
    number_cells,
    text_cells,
)
from parkflow.models.enums import OBJECTIVES, SOLVER_NAMES
from parkflow.models.quality import quality_rule
from parkflow.models.scenario import (
    BULK_GROUP,
    Catalogue,
    Settings,
    SolverSettings,
    Target,
    default_targets_config,
    expand_materials,
)
from parkflow.models.schema import CORE_SETTINGS, SETTINGS, TABLES, TableSchema
from parkflow.units import CANONICAL, is_known_unit, to_canonical, units_for_kind

if TYPE_CHECKING:
    from parkflow.io.readers import RawScenario

#: Keys of scenario.yaml that parkflow reads into Settings; any other key is kept in
#: ``Settings.extra`` (the declared ones, such as ``min_flow``, are checked first).
YAML_KEYS = CORE_SETTINGS
TARGET_KEYS = (
    "id",
    "materials",
    "exclude",
    "rate",
    "scope",
    "basis",
    "year",
    "enforce",
    "rate_by_year",
)
SOLVER_KEYS = ("name", "time_limit_s", "gap")
CANDIDATES = SETTINGS["candidates"].choices
COORDINATES = SETTINGS["coordinates"].choices


class Problems(list):
    """A list of :class:`~parkflow.errors.Problem` with a short way to add one.

    When a table's empty rows were dropped on reading, :meth:`set_rows` records the spreadsheet
    row of each remaining data row, and :meth:`add` turns a positional row (data row ``k`` →
    ``k + 2``) into the row the planner sees in Excel.
    """

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.rows: dict[str, list[int]] = {}

    def set_rows(self, file: str, rows: list[int] | None) -> None:
        """Remember the spreadsheet rows of ``file``'s data rows (None: consecutive)."""
        if rows is not None and rows != list(range(2, len(rows) + 2)):
            self.rows[file] = list(rows)

    def row(self, file: str, pos: SupportsIndex) -> int:
        """The spreadsheet row of ``file``'s data row at position ``pos``."""
        rows = self.rows.get(file)
        i = int(pos)
        return rows[i] if rows is not None and 0 <= i < len(rows) else excel_row(i)

    def add(
        self,
        file: str,
        message: str,
        fix: str = "",
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        """Add one problem (``row`` as if data rows were consecutive from row 2)."""
        rows = self.rows.get(file)
        if rows is not None and row is not None and 0 <= row - 2 < len(rows):
            row = rows[row - 2]
        self.append(Problem(file=file, message=message, fix=fix, row=row, column=column))


def _label(name: str) -> str:
    return TABLES[name].label


def check_name(cfg: Mapping[str, Any], file: str, problems: Problems) -> str:
    """Rule: the scenario has a ``name``."""
    name = cfg.get("name")
    if is_blank(name):
        problems.add(
            file,
            "the scenario has no name",
            column="name",
            fix="add a line `name: <scenario name>`",
        )
        return ""
    return str(name)


def check_coordinates(cfg: Mapping[str, Any], file: str, problems: Problems) -> str:
    """Rule: ``coordinates`` is wgs84 or gcj02."""
    coordinates = str(cfg.get("coordinates") or "wgs84").strip().lower()
    if coordinates not in COORDINATES:
        problems.add(
            file,
            f"coordinates '{coordinates}' is not wgs84 or gcj02"
            + suggest(coordinates, COORDINATES),
            column="coordinates",
            fix="write `coordinates: wgs84` (GPS) or `coordinates: gcj02` (Amap/Tencent)",
        )
        return "wgs84"
    return coordinates


def check_operating_hours(cfg: Mapping[str, Any], file: str, problems: Problems) -> float:
    """Rule: ``operating_hours`` is a number of hours per year, more than 0 and at most 8784."""
    spec = SETTINGS["operating_hours"]
    hours = cfg.get("operating_hours", spec.default)
    try:
        hours = float(spec.default if hours is None else hours)
        if not 0 < hours <= float(spec.maximum or math.inf):
            raise ValueError
    except (TypeError, ValueError):
        problems.add(
            file,
            f"operating_hours {hours!r} must be a number of hours per year, 0-8784",
            column="operating_hours",
            fix="write e.g. `operating_hours: 8000`",
        )
        return float(spec.default)
    return hours


def check_year(cfg: Mapping[str, Any], file: str, problems: Problems) -> int | None:
    """Rule: ``year``, when given, is a whole year."""
    year: Any = cfg.get("year")
    if is_blank(year):
        return None
    try:
        return int(year)
    except (TypeError, ValueError):
        problems.add(
            file, f"year {year!r} is not a year", column="year", fix="write e.g. `year: 2025`"
        )
        return None


def check_choice(cfg: Mapping[str, Any], key: str, file: str, problems: Problems) -> str:
    """Rule: a choice setting (``candidates``, ``objective``) is one of its declared values."""
    spec = SETTINGS[key]
    choices = OBJECTIVES if key == "objective" else spec.choices
    value = str(cfg.get(key) or spec.default).strip()
    if value not in choices:
        fixes = {
            "candidates": "write `candidates: auto` or `candidates: links_only`",
            "objective": "write `objective: cost`, `utilisation` or `co2`",
        }
        problems.add(
            file,
            f"{key} '{value}' is not one of {', '.join(choices)}" + suggest(value, choices),
            column=key,
            fix=fixes.get(key, f"write one of {', '.join(choices)}"),
        )
        return str(spec.default)
    return value


def check_solver(cfg: Mapping[str, Any], file: str, problems: Problems) -> SolverSettings:
    """Rule: ``solver`` names a known back-end, with positive time limit and gap."""
    solver_cfg = cfg.get("solver") or {}
    if isinstance(solver_cfg, str):
        solver_cfg = {"name": solver_cfg}
    if not isinstance(solver_cfg, Mapping):
        problems.add(
            file,
            "solver must be a mapping",
            column="solver",
            fix="write e.g. `solver: {name: highs, time_limit_s: 60, gap: 0.001}`",
        )
        return SolverSettings()
    values: dict[str, Any] = {}
    for key, value in solver_cfg.items():
        if key not in SOLVER_KEYS:
            problems.add(
                file,
                f"unknown solver setting '{key}'" + suggest(str(key), SOLVER_KEYS),
                column=f"solver.{key}",
                fix=f"use {', '.join(SOLVER_KEYS)}",
            )
        elif key == "name":
            sname = str(value).strip().lower()
            if sname not in SOLVER_NAMES:
                problems.add(
                    file,
                    f"unknown solver '{value}'" + suggest(sname, SOLVER_NAMES),
                    column="solver.name",
                    fix="use highs or scip",
                )
            else:
                values["name"] = sname
        else:
            try:
                number = float(value)
                if not number >= 0 or (key == "time_limit_s" and number == 0):
                    raise ValueError
                values[key] = number
            except (TypeError, ValueError):
                problems.add(
                    file,
                    f"solver {key} {value!r} must be a positive number",
                    column=f"solver.{key}",
                    fix="write e.g. `time_limit_s: 60` or `gap: 0.001`",
                )
    return SolverSettings(**values)


def check_unknown_keys(extra: Mapping[str, Any], file: str) -> None:
    """Rule (a warning only): a key that is not declared but close to one is probably a typo.

    Undeclared keys are kept in ``Settings.extra`` and saved back (docs/scenario-format.md);
    ``objectve: co2`` would silently keep the default objective, so it is named.
    """
    for key in extra:
        if str(key) in SETTINGS:
            continue
        close = difflib.get_close_matches(str(key), list(SETTINGS), n=1, cutoff=0.85)
        if close:
            warnings.warn(
                f"{file}: unknown key '{key}' (did you mean '{close[0]}'?); it is "
                "kept but not used",
                ParkflowWarning,
                stacklevel=2,
            )


def check_declared_extras(extra: dict[str, Any], file: str, problems: Problems) -> None:
    """Rule: the declared settings kept in ``Settings.extra`` have their declared type and bounds.

    ``max_candidates_per_supply`` is a whole number (``none``, ``all`` or 0: no bound);
    ``min_flow`` a non-negative number. A bad value is reported and dropped.
    """
    if "max_candidates_per_supply" in extra:
        value = extra["max_candidates_per_supply"]
        if not (value is None or str(value).strip().lower() in ("none", "all", "0", "")):
            try:
                int(float(value))
            except (TypeError, ValueError):
                problems.add(
                    file,
                    f"max_candidates_per_supply {value!r} is not a whole number",
                    column="max_candidates_per_supply",
                    fix="write e.g. `max_candidates_per_supply: 50`, or `none` for no bound",
                )
                extra.pop("max_candidates_per_supply")
    if "min_flow" in extra:
        value = extra["min_flow"]
        number = None if isinstance(value, bool) else _number(value)
        if number is None or not number >= 0 or math.isinf(number):
            problems.add(
                file,
                f"min_flow {value!r} must be a non-negative number ({SETTINGS['min_flow'].unit})",
                column="min_flow",
                fix="write e.g. `min_flow: 60` (0 for no minimum)",
            )
            extra.pop("min_flow")
    if "discount_rate" in extra:  # issue 12
        value = extra["discount_rate"]
        number = None if isinstance(value, bool) else _number(value)
        if number is None or not 0 <= number < 1:
            problems.add(
                file,
                f"discount_rate {value!r} must be a number in [0, 1)",
                column="discount_rate",
                fix="write e.g. `discount_rate: 0.08` (8 % a year)",
            )
            extra.pop("discount_rate")
    from parkflow.io.periods import check_periods  # issue 12

    check_periods(extra, file, problems)


def _number(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def check_settings(src: RawScenario, problems: Problems) -> tuple[str, Settings, dict[str, Any]]:
    """Every scenario.yaml rule.

    Returns (name, Settings, mode overrides), with defaults for the values in error.
    """
    cfg = src.config
    file = src.config_file
    name = check_name(cfg, file, problems)
    extra = {k: v for k, v in cfg.items() if k not in YAML_KEYS}
    check_declared_extras(extra, file, problems)
    check_unknown_keys(extra, file)
    coordinates = check_coordinates(cfg, file, problems)
    hours = check_operating_hours(cfg, file, problems)
    year = check_year(cfg, file, problems)
    candidates = check_choice(cfg, "candidates", file, problems)
    objective = check_choice(cfg, "objective", file, problems)
    solver = check_solver(cfg, file, problems)
    modes = cfg.get("modes") or {}
    if not isinstance(modes, Mapping):
        modes = {}  # load_catalogue reports it
    settings = Settings(
        description="" if is_blank(cfg.get("description")) else str(cfg.get("description")),
        year=year,
        coordinates=coordinates,
        operating_hours=hours,
        candidates=candidates,
        objective=objective,
        solver=solver,
        extra=extra,
    )
    return (
        name,
        settings,
        {str(k): dict(v) if isinstance(v, Mapping) else v for k, v in modes.items()},
    )


def check_columns(
    name: str, df: pd.DataFrame | None, file: str, problems: Problems
) -> pd.DataFrame | None:
    """Rules on a raw table's header: every required column present, none twice, rows present.

    Headers are read in English (any case) or by their Chinese names (the schema's aliases) and
    renamed to the English names; rows whose every cell is empty are dropped (their spreadsheet
    rows are remembered for the messages). Returns the table with a positional index, or None
    when it is unusable.
    """
    schema: TableSchema = TABLES[name]
    rows = df.attrs.get("rows") if df is not None else None
    if df is None:
        if schema.required_table:
            return None
        df = pd.DataFrame({c: pd.Series(dtype=object) for c in schema.required_columns})
    df = df.copy()
    if isinstance(df, gpd.GeoDataFrame):
        geometry = df.geometry
        df = pd.DataFrame(df.drop(columns=df.geometry.name))
        if name == "parks":
            df["geometry"] = geometry.to_numpy()
    named_index = df.index.name in (schema.index_name, "id")
    if named_index and "id" not in df.columns:
        df = df.reset_index().rename(columns={df.index.name: "id"})
    df = df.reset_index(drop=True)
    if rows is None:
        df = drop_empty_rows(df)
        rows = df.attrs.get("rows")
    problems.set_rows(file, rows)
    headers = [str(c).strip() for c in df.columns]
    df.columns = [schema.resolve_header(c) for c in headers]
    if name == "enterprises" and "geometry" in df.columns:
        df = df.drop(columns="geometry")
    missing = [c for c in schema.required_columns if c not in df.columns]
    docs = {c.name: c.doc for c in schema.columns}
    zh = {c.name: f" (or {' / '.join(c.aliases)})" if c.aliases else "" for c in schema.columns}
    for column in missing:
        hint = suggest(column, [c for c in df.columns if c not in schema.column_names])
        problems.add(
            file,
            f"missing required column '{column}'{hint}",
            column=column,
            fix=f"add a column '{column}'{zh[column]} ({docs[column]})",
        )
    dup_cols = df.columns[df.columns.duplicated()].unique()
    for column in dup_cols:
        given = [h for h, c in zip(headers, df.columns, strict=True) if c == column]
        heads = ", ".join(f"'{h}'" for h in dict.fromkeys(given))
        said = "" if len(set(given)) == 1 else f" (as {heads})"
        problems.add(
            file,
            f"the column '{column}' appears twice{said}",
            column=column,
            fix="keep one column of that name",
        )
    if missing or len(dup_cols):
        return None
    if schema.required_table and len(df) == 0:
        problems.add(
            file,
            f"the table is empty: a scenario needs at least one {TABLES[name].label}",
            fix="add rows under the header",
        )
        return None
    for declared in schema.columns:
        if declared.name not in df.columns:
            df[declared.name] = declared.default
    return df


def assign_ids(name: str, df: pd.DataFrame, file: str, problems: Problems) -> pd.Index:
    """Ids from the ``id`` column (blank: generated), or ``<prefix><row number>``."""
    schema = TABLES[name]
    generated = pd.Series(
        [f"{schema.id_prefix}{k + 1}" for k in range(len(df))], index=df.index, dtype=str
    )
    if "id" in df.columns:
        given = text_cells(df["id"])
        if name == "enterprises":
            for pos in np.flatnonzero((given == "").to_numpy()):
                problems.add(
                    file,
                    f"{TABLES[name].label} in row {problems.row(file, pos)} has no id",
                    fix="give every enterprise a unique id, e.g. E01",
                    row=excel_row(pos),
                    column="id",
                )
        ids = given.where(given != "", generated)
    else:
        ids = generated
    dup = ids.duplicated(keep="first") & (ids != "")
    first_row = ids.drop_duplicates(keep="first")
    first = {v: problems.row(file, p) for p, v in zip(first_row.index, first_row, strict=True)}
    for pos in np.flatnonzero(dup.to_numpy()):
        ident = ids.iloc[pos]
        problems.add(
            file,
            f"duplicate id: {TABLES[name].label} '{ident}' already appears in row {first[ident]}",
            fix="give every row a unique id",
            row=excel_row(pos),
            column="id",
        )
    return pd.Index(ids.to_numpy(dtype=object), name=schema.index_name, dtype=str)


def number_column(
    name: str,
    df: pd.DataFrame,
    ids: pd.Index,
    column: str,
    file: str,
    problems: Problems,
    required: bool,
    unit: str = "",
) -> pd.Series:
    """Rules on a number column: a number, present when required, finite, within the bounds.

    The bounds are the ones the schema declares (:class:`parkflow.models.schema.Column`
    ``minimum``, ``maximum``).

    A fraction column (the schema's ``percent``) also reads ``78%``.
    """
    spec = TABLES[name].column(column)
    percent, minimum, maximum = spec.percent, spec.minimum, spec.maximum
    values, blank, bad = number_cells(df[column], percent=percent)
    label = TABLES[name].label
    raw = df[column].astype(object)
    unit_txt = f" ({unit})" if unit else ""
    for pos in np.flatnonzero(bad.to_numpy()):
        problems.add(
            file,
            f"{label} '{ids[pos]}': {column} '{raw.iloc[pos]}' is not a number",
            fix=f"write a plain number{unit_txt} without units, e.g. 60000 or 60,000 "
            "(a comma only between groups of three digits; 1.5, not 1,5)",
            row=excel_row(pos),
            column=column,
        )
    if required:
        for pos in np.flatnonzero((blank | values.isna() & ~bad).to_numpy()):
            problems.add(
                file,
                f"{label} '{ids[pos]}': {column} is empty (or NaN)",
                fix=f"write the {column}{unit_txt}",
                row=excel_row(pos),
                column=column,
            )
    finite = np.isfinite(values) | values.isna()
    for pos in np.flatnonzero(~finite.to_numpy()):
        problems.add(
            file,
            f"{label} '{ids[pos]}': {column} {values.iloc[pos]} is not finite",
            fix=f"write a finite number{unit_txt}",
            row=excel_row(pos),
            column=column,
        )
    if minimum is not None:
        for pos in np.flatnonzero((values < minimum).to_numpy()):
            problems.add(
                file,
                f"{label} '{ids[pos]}': {column} {values.iloc[pos]:g} must be "
                f">= {minimum:g}{unit_txt}",
                fix=f"write a non-negative {column}",
                row=excel_row(pos),
                column=column,
            )
    if maximum is not None:
        for pos in np.flatnonzero((values > maximum).to_numpy()):
            problems.add(
                file,
                f"{label} '{ids[pos]}': {column} {values.iloc[pos]:g} must be "
                f"<= {maximum:g}{unit_txt}",
                fix=f"write the {column} as a fraction (0.999, not 99.9)"
                if maximum == 1.0
                else f"write at most {maximum:g}",
                row=excel_row(pos),
                column=column,
            )
    return values.where(np.isfinite(values), np.nan) if len(values) else values


def check_refs(
    name: str,
    df: pd.DataFrame,
    ids: pd.Index,
    column: str,
    known: pd.Index,
    what: str,
    file: str,
    known_file: str,
    problems: Problems,
    allow_blank: bool = False,
) -> pd.Series:
    """Rule: each value of ``column`` names a known id; returns the mask of good rows."""
    values = text_cells(df[column])
    blank = values == ""
    ok = values.isin(known) | (blank & allow_blank)
    known_list = [str(k) for k in known]
    for pos in np.flatnonzero(~ok.to_numpy()):
        value = values.iloc[pos]
        if value == "":
            problems.add(
                file,
                f"{TABLES[name].label} '{ids[pos]}': {column} is empty",
                fix=f"write a {what} id",
                row=excel_row(pos),
                column=column,
            )
        else:
            problems.add(
                file,
                f"{TABLES[name].label} '{ids[pos]}': {what} '{value}' is not in "
                f"{known_file}{suggest(value, known_list)}",
                fix=f"use a {what} id from {known_file}, or add it there",
                row=excel_row(pos),
                column=column,
            )
    return ok


def route_kind(catalogue: Catalogue) -> pd.Series:
    """Kind of material each route takes (kind of its first accepted material)."""
    kinds = catalogue.materials["kind"]
    first = catalogue.routes["accepts"].map(lambda acc: acc[0] if len(acc) else "")
    return first.map(kinds).fillna("").astype(str)


def quantities(
    name: str,
    df: pd.DataFrame,
    ids: pd.Index,
    qty_col: str,
    kind: pd.Series,
    density: pd.Series,
    what: pd.Series,
    hours: float,
    file: str,
    problems: Problems,
    also: tuple[str, ...] = (),
) -> dict[str, pd.Series]:
    """Rule: each unit is known and fits its material.

    Returns ``qty_col`` (and ``also``) converted to canonical units, and the canonical ``unit``.
    """
    label = TABLES[name].label
    units = text_cells(df["unit"])
    known_kind = kind != ""
    out: dict[str, pd.Series] = {}
    fits_all = None
    for column in (qty_col, *also):
        values = pd.to_numeric(df[column], errors="coerce").astype(float)
        canon, fits = to_canonical(values, units, kind, density, hours)
        out[column] = canon
        fits_all = fits
    assert fits_all is not None
    for pos in np.flatnonzero((~fits_all & known_kind).to_numpy()):
        unit = units.iloc[pos]
        k = kind.iloc[pos]
        allowed = units_for_kind(k)
        if unit == "":
            msg = f"{label} '{ids[pos]}': unit is empty"
        elif not is_known_unit(unit):
            msg = f"{label} '{ids[pos]}': unknown unit '{unit}'" + suggest(
                unit, allowed.split(", ")
            )
        else:
            msg = (
                f"{label} '{ids[pos]}': unit '{unit}' does not fit {what.iloc[pos]} "
                f"({k}, measured in {CANONICAL[k]})"
            )
        problems.add(file, msg, fix=f"use one of {allowed}", row=excel_row(pos), column="unit")
    out["unit"] = kind.map(CANONICAL).fillna("").astype(str)
    return out


def check_in_china(
    ids: pd.Index, lon: pd.Series, lat: pd.Series, file: str, problems: Problems
) -> None:
    """Rule: each enterprise lies in China, checked against its land outline.

    The outline test is :func:`parkflow.geo.locate`; swapped values and radians are named as such.
    """
    have = (lon.notna() & lat.notna()).to_numpy()
    where = locate(lon.to_numpy(dtype=float), lat.to_numpy(dtype=float))
    for pos in np.flatnonzero(have & (where != "inside")):
        said = f"enterprise '{ids[pos]}': lon {lon.iloc[pos]:g}, lat {lat.iloc[pos]:g}"
        if where[pos] == "swapped":
            problems.add(
                file,
                f"{said} look swapped (latitude and longitude)",
                fix="swap the two values: lon is 73-135 in China, lat 18-54",
                row=excel_row(pos),
                column="lon",
            )
        elif where[pos] == "radians":
            problems.add(
                file,
                f"{said} look like radians",
                fix="give decimal degrees (multiply by 180/π: lon 73-135, lat 18-54 in China)",
                row=excel_row(pos),
                column="lon",
            )
        else:
            problems.add(
                file,
                f"{said} is outside China (checked against its outline)",
                fix="give decimal degrees, WGS-84 (or GCJ-02 with `coordinates: "
                "gcj02`), of a place inside China; check for a mistyped digit",
                row=excel_row(pos),
                column="lon",
            )


def check_park_given(ids: pd.Index, park: pd.Series, file: str, problems: Problems) -> None:
    """Rule: every enterprise names its park."""
    for pos in np.flatnonzero((park == "").to_numpy()):
        problems.add(
            file,
            f"enterprise '{ids[pos]}': park is empty",
            fix="write the park id the plant belongs to",
            row=excel_row(pos),
            column="park",
        )


def enterprise_park_known(
    ids: pd.Index, park: pd.Series, parks: pd.Index, file: str, parks_file: str, problems: Problems
) -> None:
    """Rule: with a parks table, every enterprise's park is one of its ids."""
    unknown = ~park.isin(parks) & (park != "")
    for pos in np.flatnonzero(unknown.to_numpy()):
        value = park.iloc[pos]
        problems.add(
            file,
            f"enterprise '{ids[pos]}': park '{value}' is not in {parks_file}"
            + suggest(value, list(parks)),
            fix=f"use a park id from {parks_file}, or add the park there",
            row=excel_row(pos),
            column="park",
        )


def stockpile_is_solid(
    ids: pd.Index, material: pd.Series, kind: pd.Series, file: str, problems: Problems
) -> None:
    """Rule: only solids are stockpiled (heat and hydrogen are not stored from earlier years)."""
    for pos in np.flatnonzero(((kind != "solid") & (kind != "")).to_numpy()):
        problems.add(
            file,
            f"stockpile '{ids[pos]}': material '{material.iloc[pos]}' "
            f"is {kind.iloc[pos]}, not a solid; only solids can be stockpiled",
            fix="remove the row (heat and hydrogen cannot be stored from earlier years)",
            row=excel_row(pos),
            column="material",
        )


def supply_fates(
    df: pd.DataFrame,
    ids: pd.Index,
    kind: pd.Series,
    conv: dict[str, pd.Series],
    catalogue: Catalogue,
    file: str,
    problems: Problems,
) -> dict[str, pd.Series]:
    """Rule: a supply's fate fits its material's kind.

    Also: ``replacement`` only with ``fuel``; 0 ≤ ``utilised_outside`` ≤ ``quantity``. Returns
    ``fate`` (defaults filled by kind), ``replacement``, ``fate_cost`` and ``utilised_outside``
    (docs/model.md#fates).
    """
    from parkflow.models.schema import DEFAULT_FATE, FATES_BY_KIND

    n = len(df)
    fate = (
        (
            text_cells(df["fate"])
            if "fate" in df.columns
            else pd.Series("", index=df.index, dtype=str)
        )
        .str.strip()
        .str.lower()
    )
    fate = fate.where(fate != "", kind.map(DEFAULT_FATE).fillna("")).astype(str)
    repl = (
        (
            text_cells(df["replacement"])
            if "replacement" in df.columns
            else pd.Series("", index=df.index, dtype=str)
        )
        .str.strip()
        .str.lower()
    )
    cost = (
        number_column(
            "supplies",
            df,
            ids,
            "fate_cost",
            file,
            problems,
            required=False,
            unit="CNY per canonical unit",
        )
        if "fate_cost" in df.columns
        else pd.Series(np.nan, index=df.index)
    )
    known = set(catalogue.fates.index) if len(catalogue.fates) else set()
    applies = (
        catalogue.fates["applies_to"] if "applies_to" in catalogue.fates else pd.Series(dtype=str)
    )
    fuels = set(catalogue.replacement_fuels.index) if len(catalogue.replacement_fuels) else set()
    for pos in range(n):
        k, f, r = kind.iloc[pos], fate.iloc[pos], repl.iloc[pos]
        if k == "":
            continue
        allowed = [x for x in FATES_BY_KIND.get(k, ()) if x in known] + sorted(
            x for x in known if applies.get(x) == k and x not in FATES_BY_KIND.get(k, ())
        )
        if f not in known or (applies.get(f, k) not in ("", k)):
            problems.add(
                file,
                f"supply '{ids[pos]}': fate '{f}' is not a fate of a {k} "
                f"material" + suggest(f, allowed),
                column="fate",
                row=excel_row(pos),
                fix=f"use one of {', '.join(allowed)}",
            )
        if r and f != "fuel":
            problems.add(
                file,
                f"supply '{ids[pos]}': replacement '{r}' is given but the fate is '{f}'",
                column="replacement",
                row=excel_row(pos),
                fix="give a replacement only with fate fuel, or clear it",
            )
        elif r and r not in fuels:
            problems.add(
                file,
                f"supply '{ids[pos]}': unknown replacement fuel '{r}'" + suggest(r, sorted(fuels)),
                column="replacement",
                row=excel_row(pos),
                fix=f"use one of {', '.join(sorted(fuels))}",
            )
    outside = conv.get("utilised_outside", pd.Series(0.0, index=df.index)).fillna(0.0)
    qty = conv["quantity"]
    for pos in np.flatnonzero(
        ((outside > qty * (1 + 1e-9) + 1e-9) & (qty >= 0)).to_numpy()
    ).tolist():
        problems.add(
            file,
            f"supply '{ids[pos]}': utilised_outside {outside.iloc[pos]:g} is more "
            f"than the quantity {qty.iloc[pos]:g}",
            column="utilised_outside",
            row=excel_row(pos),
            fix="utilised_outside is a part of quantity",
        )
    repl = repl.where((repl != "") | (fate != "fuel"), "natural_gas")
    return {
        "fate": fate,
        "replacement": repl,
        "fate_cost": cost.astype(float),
        "utilised_outside": outside.astype(float),
    }


def link_route_accepts(
    ids: pd.Index,
    material: pd.Series,
    route: pd.Series,
    known: np.ndarray,
    catalogue: Catalogue,
    file: str,
    problems: Problems,
) -> None:
    """Rule: a link's route accepts its material."""
    accepts = route.map(catalogue.routes["accepts"])
    for pos in np.flatnonzero(known):
        if material.iloc[pos] not in accepts.iloc[pos]:
            problems.add(
                file,
                f"link '{ids[pos]}': route '{route.iloc[pos]}' does not "
                f"accept {material.iloc[pos]}",
                fix=f"use a route that accepts it, or one of the materials "
                f"{', '.join(accepts.iloc[pos])}",
                row=excel_row(pos),
                column="route",
            )


def link_mode_carries(
    ids: pd.Index,
    material: pd.Series,
    mode: pd.Series,
    known: np.ndarray,
    catalogue: Catalogue,
    file: str,
    problems: Problems,
) -> None:
    """Rule: a link's mode, when written, carries its material's kind."""
    carries = mode.map(catalogue.modes["carries"])
    kind = material.map(catalogue.materials["kind"])
    for pos in np.flatnonzero(known & (mode != "").to_numpy()):
        if kind.iloc[pos] not in carries.iloc[pos]:
            problems.add(
                file,
                f"link '{ids[pos]}': mode '{mode.iloc[pos]}' does not "
                f"carry {kind.iloc[pos]} ({material.iloc[pos]})",
                fix="choose a mode that carries it, or leave mode empty",
                row=excel_row(pos),
                column="mode",
            )


def check_bool_column(
    name: str, df: pd.DataFrame, ids: pd.Index, column: str, file: str, problems: Problems
) -> pd.Series:
    """Rule: a true/false column reads as true or false; returns the values.

    The cells are read by :func:`parkflow.io.cells.bool_cells`.
    """
    values, bad = bool_cells(df[column])
    for pos in np.flatnonzero(bad.to_numpy()):
        problems.add(
            file,
            f"{TABLES[name].label} '{ids[pos]}': {column} "
            f"'{df[column].iloc[pos]}' is not true or false",
            fix="write true or false (yes/no, 1/0, 是/否)",
            row=excel_row(pos),
            column=column,
        )
    return values


@dataclass
class LinkRows:
    """The links table with what its rules need: the built tables and the rows to check."""

    links: pd.DataFrame
    ent: pd.DataFrame
    sup: pd.DataFrame
    uses: pd.DataFrame
    stk: pd.DataFrame | None
    catalogue: Catalogue
    file: str
    sup_file: str
    use_file: str
    tids: pd.Index
    good: np.ndarray
    frm: pd.Series
    to: pd.Series
    material: pd.Series
    route: pd.Series
    mode: pd.Series
    kind: pd.Series


def link_rows(
    built: dict[str, Any],
    catalogue: Catalogue,
    file: str,
    files: dict[str, str],
    tids: pd.Index,
    refs_ok: np.ndarray,
) -> LinkRows | None:
    """The links rows whose references resolve (None when there is nothing to check)."""
    links = built.get("links")
    ent = built.get("enterprises")
    sup = built.get("supplies")
    uses = built.get("uses")
    if links is None or ent is None or sup is None or uses is None or len(links) == 0:
        return None
    ent = ent[~ent.index.duplicated()]  # duplicates are reported already
    routes = catalogue.routes
    good = (
        refs_ok & links["from"].isin(ent.index).to_numpy() & links["to"].isin(ent.index).to_numpy()
    )
    accepts = links["route"].map(routes["accepts"])
    good &= np.array(
        [
            m in (a if isinstance(a, tuple | list) else ())
            for m, a in zip(links["material"], accepts, strict=True)
        ],
        dtype=bool,
    )
    material = links["material"].astype(str)
    return LinkRows(
        links=links,
        ent=ent,
        sup=sup,
        uses=uses,
        stk=built.get("stockpiles"),
        catalogue=catalogue,
        file=file,
        sup_file=files.get("supplies", "supplies.csv"),
        use_file=files.get("uses", "uses.csv"),
        tids=tids,
        good=good,
        frm=links["from"].astype(str),
        to=links["to"].astype(str),
        material=material,
        route=links["route"].astype(str),
        mode=links["mode"].astype(str),
        kind=material.map(catalogue.materials["kind"]).fillna("").astype(str),
    )


def link_has_supply(lr: LinkRows, problems: Problems) -> np.ndarray:
    """Rule: a link's ``from`` has a supply or stockpile of its material. Returns the mask."""
    have = set(zip(lr.sup["enterprise"].astype(str), lr.sup["material"].astype(str), strict=True))
    if lr.stk is not None and len(lr.stk):
        have |= set(
            zip(lr.stk["enterprise"].astype(str), lr.stk["material"].astype(str), strict=True)
        )
    has_supply = np.array(
        [(f, m) in have for f, m in zip(lr.frm, lr.material, strict=True)], dtype=bool
    )
    for pos in np.flatnonzero(lr.good & ~has_supply):
        problems.add(
            lr.file,
            f"link '{lr.tids[pos]}': enterprise '{lr.frm.iloc[pos]}' has no "
            f"supply or stockpile of {lr.material.iloc[pos]}",
            fix=f"add the supply to {lr.sup_file} (or a stockpile), or correct from or material",
            row=excel_row(pos),
            column="from",
        )
    return has_supply


def link_has_use(lr: LinkRows, problems: Problems) -> np.ndarray:
    """Rule: a link's ``to`` has a use on its route. Returns the mask."""
    used = set(zip(lr.uses["enterprise"].astype(str), lr.uses["route"].astype(str), strict=True))
    has_use = np.array([(t, r) in used for t, r in zip(lr.to, lr.route, strict=True)], dtype=bool)
    for pos in np.flatnonzero(lr.good & ~has_use):
        problems.add(
            lr.file,
            f"link '{lr.tids[pos]}': enterprise '{lr.to.iloc[pos]}' has no use "
            f"on route '{lr.route.iloc[pos]}'",
            fix=f"add the use to {lr.use_file}, or correct to or route",
            row=excel_row(pos),
            column="to",
        )
    return has_use


def link_quality(
    lr: LinkRows, has_supply: np.ndarray, has_use: np.ndarray, problems: Problems
) -> None:
    """Rule: some (supply, use) pair of a heat or hydrogen link meets the quality rule.

    Heat: temperature ≥ the use's minimum, else the route's, + the route's ΔT; hydrogen: purity
    ≥ the minimum unless the route offers purification (:func:`parkflow.models.quality`).
    """
    links, sup, uses, routes = lr.links, lr.sup, lr.uses, lr.catalogue.routes
    frm, to, material, route, kind = lr.frm, lr.to, lr.material, lr.route, lr.kind
    file, tids, sup_file, use_file, good = lr.file, lr.tids, lr.sup_file, lr.use_file, lr.good
    rows = pd.DataFrame(
        {
            "pos": np.arange(len(links)),
            "frm": frm.to_numpy(),
            "to": to.to_numpy(),
            "material": material.to_numpy(),
            "route": route.to_numpy(),
            "kind": kind.to_numpy(),
        }
    )
    rows = rows[good & has_supply & has_use & rows["kind"].isin(["heat", "hydrogen"]).to_numpy()]
    if len(rows):
        s = pd.DataFrame(
            {
                "frm": sup["enterprise"].astype(str).to_numpy(),
                "material": sup["material"].astype(str).to_numpy(),
                "temperature_c": sup["temperature_c"].to_numpy(dtype=float),
                "purity": sup["purity"].to_numpy(dtype=float),
            }
        )
        u = pd.DataFrame(
            {
                "to": uses["enterprise"].astype(str).to_numpy(),
                "route": uses["route"].astype(str).to_numpy(),
                "min_temperature_c": uses["min_temperature_c"].to_numpy(dtype=float),
                "min_purity": uses["min_purity"].to_numpy(dtype=float),
            }
        )
        pairs = rows.merge(s, on=["frm", "material"]).merge(u, on=["to", "route"])
        need_t = (
            pairs["min_temperature_c"]
            .fillna(pairs["route"].map(routes["min_temperature_c"]).astype(float))
            .to_numpy(dtype=float)
        )
        delta = pairs["route"].map(routes["delta_t_c"]).astype(float).fillna(0.0).to_numpy()
        need_p = (
            pairs["min_purity"]
            .fillna(pairs["route"].map(routes["min_purity"]).astype(float))
            .to_numpy(dtype=float)
        )
        pairs["min_temperature_c"], pairs["min_purity"] = need_t, need_p
        pairs["ok"], _ = quality_rule(pairs, routes)
        pairs["need_t"], pairs["need_all_t"] = need_t, need_t + delta
        pairs["need_p"] = need_p
        best = pairs.sort_values("ok", ascending=False, kind="stable").drop_duplicates("pos")
        for r in best[~best["ok"]].itertuples():
            p = int(r.pos)
            if r.kind == "heat":
                have_t = (
                    "no temperature_c" if np.isnan(r.temperature_c) else f"{r.temperature_c:g} °C"
                )
                msg = (
                    f"link '{tids[p]}': the heat of '{r.frm}' ({have_t}) is too cool for "
                    f"route '{r.route}' at '{r.to}': it needs ≥ {r.need_all_t:g} °C "
                    f"(minimum {r.need_t:g} + ΔT {r.need_all_t - r.need_t:g})"
                )
                fix = (
                    f"use a route with a lower minimum, correct temperature_c in {sup_file} "
                    "or min_temperature_c in " + use_file
                )
            else:
                have_p = "no purity" if np.isnan(r.purity) else f"purity {r.purity:g}"
                msg = (
                    f"link '{tids[p]}': the hydrogen of '{r.frm}' ({have_p}) is below the "
                    f"minimum purity {r.need_p:g} of route '{r.route}' at '{r.to}', which "
                    "offers no purification"
                )
                fix = (
                    f"correct purity in {sup_file} or min_purity in {use_file}, or use a "
                    "route with purification_cny_per_unit"
                )
            problems.add(file, msg, fix=fix, row=excel_row(p), column="route")


def link_mode_allowed(lr: LinkRows, problems: Problems) -> None:
    """Rule: a written mode is one the link's route allows.

    A route with no modes allows any mode that carries the kind.
    """
    routes, file, tids = lr.catalogue.routes, lr.file, lr.tids
    route, mode, kind, good = lr.route, lr.mode, lr.kind, lr.good
    allowed = route.map(routes["modes"]).map(
        lambda m: tuple(m) if isinstance(m, tuple | list) else ()
    )
    carries = mode.map(lr.catalogue.modes["carries"]).map(
        lambda c: tuple(c) if isinstance(c, tuple | list) else ()
    )
    given = (mode != "").to_numpy()
    for pos in np.flatnonzero(good & given):
        ok_modes = allowed.iloc[pos]
        if kind.iloc[pos] in carries.iloc[pos] and ok_modes and mode.iloc[pos] not in ok_modes:
            problems.add(
                file,
                f"link '{tids[pos]}': route '{route.iloc[pos]}' does not allow "
                f"mode '{mode.iloc[pos]}'",
                fix=f"use one of {', '.join(ok_modes)}, or leave mode empty",
                row=excel_row(pos),
                column="mode",
            )


def link_reach(lr: LinkRows) -> None:
    """Rule (a warning only): a link without ``distance_km`` lies within its mode's reach.

    Beyond the reach of every mode it may use is a :class:`~parkflow.errors.ParkflowWarning`;
    with an explicit ``distance_km`` the planner knows better.
    """
    links, ent, file, tids = lr.links, lr.ent, lr.file, lr.tids
    frm, to, mode, kind, good = lr.frm, lr.to, lr.mode, lr.kind, lr.good
    allowed = route_modes(lr)
    given = (mode != "").to_numpy()
    blank_d = links["distance_km"].isna().to_numpy()
    check = np.flatnonzero(good & blank_d)
    if len(check) == 0:
        return
    geo = geodesic_km(
        ent["lon"].reindex(frm.iloc[check]).to_numpy(dtype=float),
        ent["lat"].reindex(frm.iloc[check]).to_numpy(dtype=float),
        ent["lon"].reindex(to.iloc[check]).to_numpy(dtype=float),
        ent["lat"].reindex(to.iloc[check]).to_numpy(dtype=float),
    )
    modes = lr.catalogue.modes
    for pos, g in zip(check, geo, strict=True):
        if given[pos]:
            names = [mode.iloc[pos]]
        else:
            names = [
                m
                for m in modes.index
                if kind.iloc[pos] in tuple(modes.at[m, "carries"])
                and (not allowed.iloc[pos] or m in allowed.iloc[pos])
            ]
        if not names:
            continue
        reach = {m: float(modes.at[m, "reach_km"]) for m in names}
        dist = {m: g * float(modes.at[m, "detour"] or 1.0) for m in names}
        if all(dist[m] > reach[m] for m in names):
            m = min(names, key=lambda k: dist[k] - reach[k])
            warnings.warn(
                f"{file} row {excel_row(pos)}: link '{tids[pos]}' is {dist[m]:.1f} km by {m}, "
                f"beyond its reach of {reach[m]:g} km; write distance_km to keep it on purpose",
                ParkflowWarning,
                stacklevel=2,
            )


def route_modes(lr: LinkRows) -> pd.Series:
    """The modes each link's route allows (empty: any that carries the kind)."""
    return lr.route.map(lr.catalogue.routes["modes"]).map(
        lambda m: tuple(m) if isinstance(m, tuple | list) else ()
    )


def check_links(
    built: dict[str, Any],
    catalogue: Catalogue,
    file: str,
    files: dict[str, str],
    tids: pd.Index,
    refs_ok: np.ndarray,
    problems: Problems,
) -> None:
    """The rules a links-table row must meet to become a candidate.

    They are (docs/scenario-format.md, "links"): :func:`link_has_supply`, :func:`link_has_use`,
    :func:`link_quality`, :func:`link_mode_allowed`, and — only for an otherwise loadable
    scenario — the :func:`link_reach` warning.
    """
    lr = link_rows(built, catalogue, file, files, tids, refs_ok)
    if lr is None:
        return
    has_supply = link_has_supply(lr, problems)
    has_use = link_has_use(lr, problems)
    link_quality(lr, has_supply, has_use, problems)
    link_mode_allowed(lr, problems)
    if not problems:
        link_reach(lr)


def check_targets(
    src: RawScenario, catalogue: Catalogue, parks: pd.Index, cities: set[str], problems: Problems
) -> tuple[Target, ...]:
    """Rules on ``targets``; returns the expanded targets.

    Known keys, unique ids, known materials, a rate in 0-1 (``0.78`` or ``78%``), a scope that
    names a known park or city.
    """
    file = src.config_file
    raw = src.config.get("targets")
    if raw is None:
        raw = default_targets_config()
    if isinstance(raw, Mapping):
        raw = [raw]
    if not isinstance(raw, list):
        problems.add(
            file,
            "targets must be a list of targets",
            column="targets",
            fix="write `targets:` then lines `- {id: bulk-2025, materials: "
            "bulk_solid_waste, exclude: [tailings], rate: 0.78, scope: all}`",
        )
        return ()
    mats = catalogue.materials
    known_names = sorted(set(mats.index) | set(mats["group"]) | set(mats["category"]))
    out: list[Target] = []
    seen: set[str] = set()
    for k, item in enumerate(raw):
        where = f"targets[{k + 1}]"
        if isinstance(item, Target):
            out.append(item)
            continue
        if not isinstance(item, Mapping):
            problems.add(
                file,
                f"{where} must be a mapping of id, materials, exclude, rate, scope",
                column=where,
                fix="write `- {id: t1, materials: bulk_solid_waste, rate: 0.78}`",
            )
            continue
        for key in item:
            if key not in TARGET_KEYS:
                problems.add(
                    file,
                    f"{where}: unknown key '{key}'" + suggest(str(key), TARGET_KEYS),
                    column=f"{where}.{key}",
                    fix=f"use {', '.join(TARGET_KEYS)}",
                )
        tid = str(item.get("id") or f"target-{k + 1}")
        if tid in seen:
            problems.add(
                file,
                f"duplicate target id '{tid}'",
                column=f"{where}.id",
                fix="give each target its own id",
            )
        seen.add(tid)
        spec = item.get("materials", BULK_GROUP)
        spec = BULK_GROUP if is_blank(spec) else spec
        exclude = item.get("exclude") or []
        exclude = [exclude] if isinstance(exclude, str) else list(exclude)
        members, unknown, unknown_ex = expand_materials(catalogue, spec, exclude)
        for name in unknown:
            problems.add(
                file,
                f"target '{tid}': unknown material, category or group '{name}'"
                + suggest(name, known_names),
                column=f"{where}.materials",
                fix="use a material id, a statistics category or a group (bulk_solid_waste)",
            )
        for name in unknown_ex:
            problems.add(
                file,
                f"target '{tid}': cannot exclude unknown '{name}'" + suggest(name, known_names),
                column=f"{where}.exclude",
                fix="name material or category ids, e.g. [tailings]",
            )
        if not unknown and not members:
            problems.add(
                file,
                f"target '{tid}' covers no material",
                column=f"{where}.materials",
                fix="check materials and exclude",
            )
        from parkflow.io.periods import check_rate_by_year  # issue 12

        by_year = check_rate_by_year(item.get("rate_by_year"), tid, where, file, problems)
        rate = item.get("rate")
        if by_year and is_blank(rate):
            rate = by_year[0][1]
        try:
            rate = _rate(rate)
            if not 0.0 <= rate <= 1.0:
                problems.add(
                    file,
                    f"target '{tid}': rate {rate:g} is outside 0-1",
                    column=f"{where}.rate",
                    fix="write the rate as a fraction: 0.78 for 78 %",
                )
        except (TypeError, ValueError):
            problems.add(
                file,
                f"target '{tid}': rate {rate!r} is not a number",
                column=f"{where}.rate",
                fix="write e.g. `rate: 0.78`",
            )
            rate = math.nan
        scope = str(item.get("scope") or "all").strip()
        kind, _, arg = scope.partition(":")
        if scope in ("all", "each_park"):
            pass
        elif kind == "park" and arg:
            if arg not in parks:
                problems.add(
                    file,
                    f"target '{tid}': scope names unknown park '{arg}'"
                    + suggest(arg, [str(p) for p in parks]),
                    column=f"{where}.scope",
                    fix="use a park id from enterprises.park / parks.geojson",
                )
        elif kind == "city" and arg:
            if arg not in cities:
                problems.add(
                    file,
                    f"target '{tid}': scope names city '{arg}' that no "
                    "enterprise or park is in" + suggest(arg, sorted(cities)),
                    column=f"{where}.scope",
                    fix="use a city from enterprises.city",
                )
        else:
            problems.add(
                file,
                f"target '{tid}': scope '{scope}' is not all, each_park, park:<id> or city:<name>",
                column=f"{where}.scope",
                fix="write e.g. `scope: all` or `scope: park:P1`",
            )
        spec_text = spec if isinstance(spec, str) else ",".join(str(s) for s in spec)
        from parkflow.models.schema import TARGET_BASES, parse_bool

        basis = str(item.get("basis") or "nbs").strip().lower()
        if basis not in TARGET_BASES:
            problems.add(
                file,
                f"target '{tid}': unknown basis '{basis}'" + suggest(basis, TARGET_BASES),
                column=f"{where}.basis",
                fix=f"use one of {', '.join(TARGET_BASES)}",
            )
        year: Any = item.get("year")
        try:
            year = None if is_blank(year) else int(year)
        except (TypeError, ValueError):
            problems.add(
                file,
                f"target '{tid}': year {year!r} is not a year",
                column=f"{where}.year",
                fix="write e.g. `year: 2030`",
            )
            year = None
        enforce = item.get("enforce")
        try:
            enforce = parse_bool(enforce, blank=None)
        except (TypeError, ValueError):
            problems.add(
                file,
                f"target '{tid}': enforce {enforce!r} is not true or false",
                column=f"{where}.enforce",
                fix="write `enforce: true` or leave it out",
            )
            enforce = None
        out.append(
            Target(
                id=tid,
                materials=members,
                rate=rate,
                scope=scope,
                exclude=tuple(exclude),
                spec=spec_text,
                basis=basis,
                year=year,
                enforce=enforce,
                rate_by_year=by_year,
            )
        )
    return tuple(out)


def _rate(value: Any) -> float:
    """A target rate: a number, or a percentage text (``78%`` → 0.78)."""
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, str):
        text = unicodedata.normalize("NFKC", value).strip()
        if text.endswith("%"):
            return float(text[:-1].strip()) / 100.0
        return float(text)
    return float(value)


def check_parks_in_china(parks: pd.DataFrame, file: str, problems: Problems) -> None:
    """Rule: each park boundary lies in China, checked like enterprise coordinates.

    The test is :func:`parkflow.geo.locate` on a point inside the boundary. Boundaries in a
    projected CRS read as degrees (metres far beyond ±180) are named as such.
    """
    geoms = list(parks.geometry) if "geometry" in parks.columns else []
    for pos, geom in enumerate(geoms):
        if geom is None or geom.is_empty:
            continue
        point = geom.representative_point()
        where = locate([point.x], [point.y])[0]
        if where == "inside":
            continue
        said = f"park '{parks.index[pos]}': its boundary (at {point.x:g}, {point.y:g})"
        if abs(point.x) > 180 or abs(point.y) > 90:
            problems.add(
                file,
                f"{said} is in metres, not degrees",
                fix="the file's coordinate reference system is missing: save the layer "
                "with its CRS (e.g. EPSG:4547, CGCS2000 Gauss-Kruger) or in EPSG:4326",
                row=excel_row(pos),
                column="geometry",
            )
        elif where == "swapped":
            problems.add(
                file,
                f"{said} looks swapped (latitude and longitude)",
                fix="write each point as lon lat (x y)",
                row=excel_row(pos),
                column="geometry",
            )
        else:
            problems.add(
                file,
                f"{said} is outside China (checked against its outline)",
                fix="give the boundary in WGS-84 degrees, or in a file that names its "
                "CRS (GeoPackage, Shapefile with .prj, GeoJSON)",
                row=excel_row(pos),
                column="geometry",
            )
