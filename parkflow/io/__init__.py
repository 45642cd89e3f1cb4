"""Scenario files: loading, validating and saving (the only module that knows file formats).

A scenario is a folder (``scenario.yaml`` + CSV tables + optional ``parks.geojson``) or one
``.xlsx`` workbook (the same tables as sheets, a ``scenario`` sheet of ``key | value`` rows and a
``parks`` sheet with a WKT ``geometry`` column) — see docs/scenario-format.md and SPEC §2.

:func:`validate` collects every problem (file, spreadsheet row, column, fix) before giving up;
:func:`load_scenario` raises one :class:`~parkflow.errors.ScenarioError` holding all of them.
After loading, the :class:`~parkflow.models.scenario.Scenario` is trusted: ids unique, references
resolved, quantities finite, non-negative and canonical (t/a, GJ/a for heat), coordinates WGS-84.
Loading never writes anything; saving goes through :func:`parkflow.io.atomic.output_dir`.
"""

from __future__ import annotations

import dataclasses
import io as _stdio
import json
import math
import os
import tempfile
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
import yaml as pyyaml  # not `yaml`: the submodule parkflow.io.yaml would shadow it
from shapely.geometry import mapping, shape

from parkflow.errors import ParkflowWarning, Problem, ScenarioError
from parkflow.geo import gcj02_to_wgs84, geodesic_km, locate
from parkflow.models.quality import quality_rule
from parkflow.models.scenario import (
    BULK_GROUP,
    OBJECTIVES,
    Catalogue,
    Scenario,
    Settings,
    SolverSettings,
    Target,
)
from parkflow.models.schema import TABLES, TableSchema
from parkflow.units import CANONICAL, is_known_unit, to_canonical, units_for_kind

__all__ = [
    "load_scenario",
    "validate",
    "scenario_from_frames",
    "save_scenario",
    "summarise",
    "read_csv_any",
]

#: Keys of scenario.yaml that parkflow reads; any other key is kept in ``Settings.extra``.
YAML_KEYS = ("name", "description", "year", "coordinates", "operating_hours", "candidates",
             "targets", "modes", "objective", "solver")
TARGET_KEYS = ("id", "materials", "exclude", "rate", "scope")
SOLVER_KEYS = ("name", "time_limit_s", "gap")
SOLVER_NAMES = ("highs", "scip")
CANDIDATES = ("auto", "links_only")
COORDINATES = ("wgs84", "gcj02")
CATALOGUE_FILES = {"materials": "materials.csv", "routes": "routes.csv", "modes": "modes.csv"}
# the order of the data tables (parks last: it comes from GeoJSON)
DATA_TABLES = ("enterprises", "supplies", "uses", "stockpiles", "links")
_LABEL = {"enterprises": "enterprise", "supplies": "supply", "uses": "use",
          "stockpiles": "stockpile", "links": "link", "parks": "park"}
_TRUE = {"true", "t", "yes", "y", "1", "1.0", "是"}
_FALSE = {"false", "f", "no", "n", "0", "0.0", "否", ""}


# --------------------------------------------------------------------------------------------
# small helpers
# --------------------------------------------------------------------------------------------


def _suggest(name: str, known: Iterable[str]) -> str:
    from parkflow.catalogue import suggest

    return suggest(name, known)


def _is_blank(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and value.strip() == ""


def _text(series: pd.Series) -> pd.Series:
    """Cells as stripped str, blanks as ""; whole numbers typed in Excel lose their '.0'."""

    def cell(v: Any) -> str:
        if _is_blank(v):
            return ""
        if isinstance(v, float) and v.is_integer():
            return str(int(v))
        return str(v).strip()

    return series.astype(object).map(cell).astype(str)


_NAN_TEXT = {"nan", "na", "n/a", "#n/a", "none", "null"}


def _numbers(series: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """(float values, blank mask, not-a-number mask) of a column of cells ('NaN' is blank)."""
    obj = series.astype(object)
    blank = obj.map(lambda v: _is_blank(v) or (isinstance(v, str)
                                               and v.strip().lower() in _NAN_TEXT)).astype(bool)
    stripped = obj.map(lambda v: v.strip() if isinstance(v, str) else v)
    bools = stripped.map(lambda v: isinstance(v, (bool, np.bool_)))
    values = pd.to_numeric(stripped.where(~blank & ~bools, np.nan), errors="coerce")
    values = values.astype(float)
    bad = (~blank & values.isna()) | bools
    return values, blank, bad


def _bools(series: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(bool values, unreadable mask) of a true/false column; blank is False."""

    def cell(v: Any) -> Any:
        if isinstance(v, (bool, np.bool_)):
            return bool(v)
        if _is_blank(v):
            return False
        text = str(v).strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        return None

    parsed = series.astype(object).map(cell)
    bad = parsed.isna()
    return parsed.where(~bad, False).astype(bool), bad


def _extra(series: pd.Series) -> pd.Series:
    """An extra (undeclared) column, typed the same way whether it came from a file or a frame."""
    if pd.api.types.is_bool_dtype(series):
        return series.astype(bool)
    if pd.api.types.is_numeric_dtype(series):
        return series.astype(float)
    values, blank, bad = _numbers(series)
    if not bad.any() and not blank.all():
        return values
    return _text(series)


def _row(pos: int) -> int:
    """Spreadsheet row of the data row at position ``pos`` (header = row 1)."""
    return int(pos) + 2


class _Problems(list):
    """A list of :class:`Problem` with a short way to add one."""

    def add(self, file: str, message: str, fix: str = "", row: int | None = None,
            column: str | None = None) -> None:
        self.append(Problem(file=file, message=message, fix=fix, row=row, column=column))


# --------------------------------------------------------------------------------------------
# reading files
# --------------------------------------------------------------------------------------------


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode a text file: UTF-8 (with or without BOM), else GBK, else charset-normalizer's guess.

    Returns
    -------
    text, encoding : str, str

    Examples
    --------
    >>> decode_bytes("粉煤灰".encode("gbk"))
    ('粉煤灰', 'gbk')
    """
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gbk"), "gbk"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise UnicodeDecodeError("unknown", data, 0, 1, "not UTF-8, GBK or a known encoding")
    return str(best), str(best.encoding)


def read_csv_any(path: str | Path) -> pd.DataFrame:
    """Read a CSV written by Excel or by hand: UTF-8/UTF-8-BOM/GBK, LF or CRLF, all cells as text.

    Parameters
    ----------
    path : path
        The CSV file (only read).

    Returns
    -------
    DataFrame
        Column names stripped; cells as str ("" when blank).
    """
    text, _ = decode_bytes(Path(path).read_bytes())
    df = pd.read_csv(_stdio.StringIO(text), dtype=str, keep_default_na=False)
    df.columns = [str(c).strip().lstrip("\ufeff") for c in df.columns]
    return df


@dataclass
class _Source:
    """Raw tables and settings, before validation."""

    config: dict[str, Any]
    config_file: str
    tables: dict[str, pd.DataFrame | None]
    files: dict[str, str]
    source: Path | None = None
    catalogue: Catalogue | None = None
    parks_from_frames: bool = False
    extra_catalogue: dict[str, pd.DataFrame] = field(default_factory=dict)


def _read_yaml(path: Path, label: str, problems: _Problems) -> dict[str, Any]:
    try:
        text, _ = decode_bytes(path.read_bytes())
        config = pyyaml.safe_load(text)
    except pyyaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        problems.add(label, f"the YAML cannot be read{where}: {reason}",
                     fix="check the indentation and the ':' after each key on that line "
                     "(quote texts that hold ':' or '#')",
                     row=mark.line + 1 if mark is not None else None)
        return {}
    except UnicodeDecodeError as exc:
        problems.add(label, f"the file is not text: {exc}", fix="save it as UTF-8")
        return {}
    if config is None:
        config = {}
    if not isinstance(config, dict):
        problems.add(label, "the file must hold 'key: value' lines (a mapping)",
                     fix="start with `name: <scenario name>`")
        return {}
    return config


def _read_table_file(path: Path, label: str, problems: _Problems) -> pd.DataFrame | None:
    try:
        return read_csv_any(path)
    except pd.errors.EmptyDataError:
        problems.add(label, "the file is empty (not even a header row)",
                     fix="write the header row with the column names")
    except (UnicodeDecodeError, pd.errors.ParserError) as exc:
        problems.add(label, f"the file cannot be read as CSV: {str(exc).splitlines()[0]}",
                     fix="save it from Excel as 'CSV UTF-8' (or GBK)")
    return None


def _read_geojson(path: Path, label: str, problems: _Problems) -> pd.DataFrame | None:
    try:
        text, _ = decode_bytes(path.read_bytes())
        data = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        problems.add(label, f"the GeoJSON cannot be read: {exc}",
                     fix="export the park boundaries as GeoJSON (FeatureCollection)")
        return None
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list):
        problems.add(label, "not a GeoJSON FeatureCollection (no 'features' list)",
                     fix="export the park boundaries as a FeatureCollection")
        return None
    records: list[dict[str, Any]] = []
    for k, feature in enumerate(features):
        props = dict(feature.get("properties") or {}) if isinstance(feature, dict) else {}
        geom = feature.get("geometry") if isinstance(feature, dict) else None
        try:
            props["geometry"] = shape(geom) if geom else None
        except (ValueError, TypeError, AttributeError, shapely.errors.ShapelyError) as exc:
            problems.add(label, f"feature {k + 1}: the geometry cannot be read ({exc})",
                         fix="give a Polygon or MultiPolygon", row=_row(k), column="geometry")
            props["geometry"] = None
        records.append(props)
    if not records:
        return pd.DataFrame(columns=["id", "name", "level", "geometry"])
    return pd.DataFrame.from_records(records)


def _read_folder(path: Path, problems: _Problems) -> _Source:
    yaml_path = path / "scenario.yaml"
    if not yaml_path.is_file() and (path / "scenario.yml").is_file():
        yaml_path = path / "scenario.yml"
    if yaml_path.is_file():
        config = _read_yaml(yaml_path, yaml_path.name, problems)
    else:
        problems.add("scenario.yaml", "missing file: the scenario folder has no scenario.yaml",
                     fix="add scenario.yaml with at least `name: <scenario name>`")
        config = {}
    tables: dict[str, pd.DataFrame | None] = {}
    files: dict[str, str] = {}
    for name in DATA_TABLES:
        schema = TABLES[name]
        files[name] = schema.file
        file = path / schema.file
        if not file.is_file():
            tables[name] = None
            if schema.required_table:
                problems.add(schema.file, f"missing file: the scenario needs {schema.file}",
                             fix=f"add {schema.file} with the columns "
                             f"{', '.join(schema.required_columns)}")
            continue
        tables[name] = _read_table_file(file, schema.file, problems)
        if tables[name] is None and not schema.required_table:
            tables[name] = pd.DataFrame(columns=schema.required_columns)
    files["parks"] = "parks.geojson"
    parks_file = path / "parks.geojson"
    tables["parks"] = (_read_geojson(parks_file, "parks.geojson", problems)
                       if parks_file.is_file() else None)
    for name, file_name in CATALOGUE_FILES.items():
        files[name] = file_name
        file = path / file_name
        tables[name] = _read_table_file(file, file_name, problems) if file.is_file() else None
    return _Source(config=config, config_file=yaml_path.name, tables=tables, files=files,
                   source=path)


def _config_from_sheet(df: pd.DataFrame, label: str, problems: _Problems) -> dict[str, Any]:
    """The ``scenario`` sheet (key | value rows) as a scenario.yaml mapping."""
    config: dict[str, Any] = {}
    if df.shape[1] < 2:
        problems.add(label, "the sheet needs two columns: key and value",
                     fix="write one setting per row: key in column A, value in column B")
        return config
    for pos, (key, value) in enumerate(zip(df.iloc[:, 0], df.iloc[:, 1], strict=True)):
        if _is_blank(key):
            continue
        key = str(key).strip()
        if isinstance(value, float) and math.isnan(value):
            value = None
        if isinstance(value, str) and value.strip()[:1] in ("{", "["):
            try:
                value = pyyaml.safe_load(value)
            except pyyaml.YAMLError as exc:
                problems.add(label, f"the value of '{key}' cannot be read as YAML: "
                             f"{getattr(exc, 'problem', exc)}",
                             fix="write a YAML flow value, e.g. [{id: t1, rate: 0.78}]",
                             row=_row(pos), column="value")
                continue
        elif isinstance(value, str):
            value = value.strip()
        if isinstance(value, float) and value.is_integer() and key == "year":
            value = int(value)
        target: dict[str, Any] = config
        parts = key.split(".")
        for part in parts[:-1]:
            target = target.setdefault(part, {})
        target[parts[-1]] = value
    return config


def _read_workbook(path: Path, problems: _Problems) -> _Source:
    book = path.name
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            sheets = pd.read_excel(path, sheet_name=None, dtype=object, engine="openpyxl")
    except Exception as exc:  # openpyxl raises many kinds on a broken file
        problems.add(book, f"the workbook cannot be read: {exc}",
                     fix="save it from Excel as .xlsx")
        return _Source(config={}, config_file=f"{book}[scenario]", tables={}, files={},
                       source=path)
    sheets = {str(k).strip(): v for k, v in sheets.items()}
    files = {name: f"{book}[{name}]" for name in (*DATA_TABLES, "parks", *CATALOGUE_FILES)}
    config_file = f"{book}[scenario]"
    if "scenario" in sheets:
        raw = sheets["scenario"]
        # the header row is the first key row when the sheet has no 'key | value' header
        if [str(c).strip().lower() for c in raw.columns[:2]] != ["key", "value"]:
            raw = pd.concat([pd.DataFrame([list(raw.columns)], columns=raw.columns), raw])
        config = _config_from_sheet(raw.reset_index(drop=True), config_file, problems)
    else:
        problems.add(book, "missing sheet 'scenario' (key | value rows)",
                     fix="add a sheet named 'scenario' with at least the row name | <name>")
        config = {}
    tables: dict[str, pd.DataFrame | None] = {}
    for name in DATA_TABLES:
        schema = TABLES[name]
        if name in sheets:
            df = sheets[name]
            df.columns = [str(c).strip() for c in df.columns]
            tables[name] = df
        else:
            tables[name] = None
            if schema.required_table:
                problems.add(book, f"missing sheet '{name}'",
                             fix=f"add a sheet '{name}' with the columns "
                             f"{', '.join(schema.required_columns)}")
    tables["parks"] = None
    if "parks" in sheets:
        parks = sheets["parks"].copy()
        parks.columns = [str(c).strip() for c in parks.columns]
        if "geometry" in parks.columns:
            geoms = []
            for pos, wkt in enumerate(parks["geometry"]):
                if _is_blank(wkt):
                    geoms.append(None)
                    continue
                try:
                    geoms.append(shapely.from_wkt(str(wkt)))
                except shapely.errors.ShapelyError as exc:
                    problems.add(files["parks"], f"the geometry is not valid WKT ({exc})",
                                 fix="write e.g. POLYGON ((104 30.6, 104.1 30.6, 104.1 30.7, "
                                 "104 30.6)) or leave the cell empty",
                                 row=_row(pos), column="geometry")
                    geoms.append(None)
            parks["geometry"] = pd.Series(geoms, index=parks.index, dtype=object)
        tables["parks"] = parks
    for name in CATALOGUE_FILES:
        tables[name] = sheets.get(name)
    return _Source(config=config, config_file=config_file, tables=tables, files=files,
                   source=path)


# --------------------------------------------------------------------------------------------
# validation and assembly
# --------------------------------------------------------------------------------------------


def _settings(src: _Source, problems: _Problems) -> tuple[str, Settings, dict[str, Any]]:
    cfg = src.config
    file = src.config_file
    name = cfg.get("name")
    if _is_blank(name):
        problems.add(file, "the scenario has no name", column="name",
                     fix="add a line `name: <scenario name>`")
        name = ""
    extra = {k: v for k, v in cfg.items() if k not in YAML_KEYS}
    if "max_candidates_per_supply" in extra:
        from parkflow.network import max_candidates

        try:
            max_candidates(SimpleNamespace(settings=SimpleNamespace(extra=extra)))
        except ValueError:
            problems.add(file, f"max_candidates_per_supply {extra['max_candidates_per_supply']!r}"
                         " is not a whole number", column="max_candidates_per_supply",
                         fix="write e.g. `max_candidates_per_supply: 50`, or `none` for no bound")
            extra.pop("max_candidates_per_supply")
    coordinates = str(cfg.get("coordinates") or "wgs84").strip().lower()
    if coordinates not in COORDINATES:
        problems.add(file, f"coordinates '{coordinates}' is not wgs84 or gcj02"
                     + _suggest(coordinates, COORDINATES), column="coordinates",
                     fix="write `coordinates: wgs84` (GPS) or `coordinates: gcj02` (Amap/Tencent)")
        coordinates = "wgs84"
    hours = cfg.get("operating_hours", 8000.0)
    try:
        hours = float(8000.0 if hours is None else hours)
        if not 0 < hours <= 8784:
            raise ValueError
    except (TypeError, ValueError):
        problems.add(file, f"operating_hours {hours!r} must be a number of hours per year, "
                     "0-8784", column="operating_hours", fix="write e.g. `operating_hours: 8000`")
        hours = 8000.0
    year = cfg.get("year")
    if not _is_blank(year):
        try:
            year = int(year)
        except (TypeError, ValueError):
            problems.add(file, f"year {year!r} is not a year", column="year",
                         fix="write e.g. `year: 2025`")
            year = None
    else:
        year = None
    candidates = str(cfg.get("candidates") or "auto").strip()
    if candidates not in CANDIDATES:
        problems.add(file, f"candidates '{candidates}' is not one of {', '.join(CANDIDATES)}"
                     + _suggest(candidates, CANDIDATES), column="candidates",
                     fix="write `candidates: auto` or `candidates: links_only`")
        candidates = "auto"
    objective = str(cfg.get("objective") or "cost").strip()
    if objective not in OBJECTIVES:
        problems.add(file, f"objective '{objective}' is not one of {', '.join(OBJECTIVES)}"
                     + _suggest(objective, OBJECTIVES), column="objective",
                     fix="write `objective: cost`, `utilisation` or `co2`")
        objective = "cost"
    solver_cfg = cfg.get("solver") or {}
    solver = SolverSettings()
    if isinstance(solver_cfg, str):
        solver_cfg = {"name": solver_cfg}
    if not isinstance(solver_cfg, Mapping):
        problems.add(file, "solver must be a mapping", column="solver",
                     fix="write e.g. `solver: {name: highs, time_limit_s: 60, gap: 0.001}`")
    else:
        values: dict[str, Any] = {}
        for key, value in solver_cfg.items():
            if key not in SOLVER_KEYS:
                problems.add(file, f"unknown solver setting '{key}'"
                             + _suggest(str(key), SOLVER_KEYS), column=f"solver.{key}",
                             fix=f"use {', '.join(SOLVER_KEYS)}")
            elif key == "name":
                sname = str(value).strip().lower()
                if sname not in SOLVER_NAMES:
                    problems.add(file, f"unknown solver '{value}'"
                                 + _suggest(sname, SOLVER_NAMES), column="solver.name",
                                 fix="use highs or scip")
                else:
                    values["name"] = sname
            else:
                try:
                    number = float(value)
                    if not number >= 0 or (key == "time_limit_s" and number == 0):
                        raise ValueError
                    values[key] = number
                except (TypeError, ValueError):
                    problems.add(file, f"solver {key} {value!r} must be a positive number",
                                 column=f"solver.{key}",
                                 fix="write e.g. `time_limit_s: 60` or `gap: 0.001`")
        solver = SolverSettings(**values)
    modes = cfg.get("modes") or {}
    if not isinstance(modes, Mapping):
        modes = {}  # load_catalogue reports it
    settings = Settings(
        description="" if _is_blank(cfg.get("description")) else str(cfg.get("description")),
        year=year, coordinates=coordinates, operating_hours=hours, candidates=candidates,
        objective=objective, solver=solver, extra=extra,
    )
    return str(name), settings, {str(k): dict(v) if isinstance(v, Mapping) else v
                                 for k, v in modes.items()}


def _catalogue(src: _Source, mode_overrides: dict[str, Any], problems: _Problems) -> Catalogue:
    from parkflow.catalogue import builtin_catalogue, load_catalogue

    if src.catalogue is not None:
        return src.catalogue
    raw_modes = src.config.get("modes")
    try:
        return load_catalogue(materials=src.tables.get("materials"),
                              routes=src.tables.get("routes"),
                              modes=src.tables.get("modes"),
                              mode_overrides=raw_modes if raw_modes else None)
    except ScenarioError as exc:
        rename = {file: src.files.get(name, file) for name, file in CATALOGUE_FILES.items()}
        rename["scenario.yaml"] = src.config_file
        for p in exc.problems:
            problems.add(rename.get(p.file, p.file), p.message, p.fix, p.row, p.column)
        return builtin_catalogue()


def _prepare(name: str, df: pd.DataFrame | None, file: str, problems: _Problems
             ) -> pd.DataFrame | None:
    """Check a raw table's columns; return it with positional index, or None when unusable."""
    schema: TableSchema = TABLES[name]
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
    df.columns = [str(c).strip() for c in df.columns]
    if name == "enterprises" and "geometry" in df.columns:
        df = df.drop(columns="geometry")
    missing = [c for c in schema.required_columns if c not in df.columns]
    docs = {c.name: c.doc for c in schema.columns}
    for column in missing:
        hint = _suggest(column, [c for c in df.columns if c not in schema.column_names])
        problems.add(file, f"missing required column '{column}'{hint}", column=column,
                     fix=f"add a column '{column}' ({docs[column]})")
    dup_cols = df.columns[df.columns.duplicated()].unique()
    for column in dup_cols:
        problems.add(file, f"the column '{column}' appears twice", column=column,
                     fix="keep one column of that name")
    if missing or len(dup_cols):
        return None
    if schema.required_table and len(df) == 0:
        problems.add(file, f"the table is empty: a scenario needs at least one {_LABEL[name]}",
                     fix="add rows under the header")
        return None
    for column in schema.columns:
        if column.name not in df.columns:
            df[column.name] = column.default
    return df


def _assign_ids(name: str, df: pd.DataFrame, file: str, problems: _Problems) -> pd.Index:
    """Ids from the ``id`` column (blank: generated), or ``<prefix><row number>``."""
    schema = TABLES[name]
    generated = pd.Series([f"{schema.id_prefix}{k + 1}" for k in range(len(df))], index=df.index,
                          dtype=str)
    if "id" in df.columns:
        given = _text(df["id"])
        if name == "enterprises":
            for pos in np.flatnonzero((given == "").to_numpy()):
                problems.add(file, f"{_LABEL[name]} in row {_row(pos)} has no id",
                             fix="give every enterprise a unique id, e.g. E01",
                             row=_row(pos), column="id")
        ids = given.where(given != "", generated)
    else:
        ids = generated
    dup = ids.duplicated(keep="first") & (ids != "")
    first_row = ids.drop_duplicates(keep="first")
    first = {v: _row(p) for p, v in zip(first_row.index, first_row, strict=True)}
    for pos in np.flatnonzero(dup.to_numpy()):
        ident = ids.iloc[pos]
        problems.add(file, f"duplicate id: {_LABEL[name]} '{ident}' already appears in row "
                     f"{first[ident]}", fix="give every row a unique id",
                     row=_row(pos), column="id")
    return pd.Index(ids.to_numpy(dtype=object), name=schema.index_name, dtype=str)


def _number_column(name: str, df: pd.DataFrame, ids: pd.Index, column: str, file: str,
                   problems: _Problems, required: bool, minimum: float | None = 0.0,
                   maximum: float | None = None, unit: str = "") -> pd.Series:
    values, blank, bad = _numbers(df[column])
    label = _LABEL[name]
    raw = df[column].astype(object)
    unit_txt = f" ({unit})" if unit else ""
    for pos in np.flatnonzero(bad.to_numpy()):
        problems.add(file, f"{label} '{ids[pos]}': {column} '{raw.iloc[pos]}' is not a number",
                     fix=f"write a plain number{unit_txt}, without units or thousands separators",
                     row=_row(pos), column=column)
    if required:
        for pos in np.flatnonzero((blank | values.isna() & ~bad).to_numpy()):
            problems.add(file, f"{label} '{ids[pos]}': {column} is empty (or NaN)",
                         fix=f"write the {column}{unit_txt}", row=_row(pos), column=column)
    finite = np.isfinite(values) | values.isna()
    for pos in np.flatnonzero(~finite.to_numpy()):
        problems.add(file, f"{label} '{ids[pos]}': {column} {values.iloc[pos]} is not finite",
                     fix=f"write a finite number{unit_txt}", row=_row(pos), column=column)
    if minimum is not None:
        for pos in np.flatnonzero((values < minimum).to_numpy()):
            problems.add(file, f"{label} '{ids[pos]}': {column} {values.iloc[pos]:g} must be "
                         f">= {minimum:g}{unit_txt}", fix=f"write a non-negative {column}",
                         row=_row(pos), column=column)
    if maximum is not None:
        for pos in np.flatnonzero((values > maximum).to_numpy()):
            problems.add(file, f"{label} '{ids[pos]}': {column} {values.iloc[pos]:g} must be "
                         f"<= {maximum:g}{unit_txt}",
                         fix=f"write the {column} as a fraction (0.999, not 99.9)"
                         if maximum == 1.0 else f"write at most {maximum:g}",
                         row=_row(pos), column=column)
    return values.where(np.isfinite(values), np.nan) if len(values) else values


def _check_refs(name: str, df: pd.DataFrame, ids: pd.Index, column: str, known: pd.Index,
                what: str, file: str, known_file: str, problems: _Problems,
                allow_blank: bool = False) -> pd.Series:
    """Flag values of ``column`` not in ``known``; return the mask of good rows."""
    values = _text(df[column])
    blank = values == ""
    ok = values.isin(known) | (blank & allow_blank)
    known_list = [str(k) for k in known]
    for pos in np.flatnonzero(~ok.to_numpy()):
        value = values.iloc[pos]
        if value == "":
            problems.add(file, f"{_LABEL[name]} '{ids[pos]}': {column} is empty",
                         fix=f"write a {what} id", row=_row(pos), column=column)
        else:
            problems.add(file, f"{_LABEL[name]} '{ids[pos]}': {what} '{value}' is not in "
                         f"{known_file}{_suggest(value, known_list)}",
                         fix=f"use a {what} id from {known_file}, or add it there",
                         row=_row(pos), column=column)
    return ok


def _route_kind(catalogue: Catalogue) -> pd.Series:
    """Kind of material each route takes (kind of its first accepted material)."""
    kinds = catalogue.materials["kind"]
    first = catalogue.routes["accepts"].map(lambda acc: acc[0] if len(acc) else "")
    return first.map(kinds).fillna("").astype(str)


def _quantities(name: str, df: pd.DataFrame, ids: pd.Index, qty_col: str, kind: pd.Series,
                density: pd.Series, what: pd.Series, hours: float, file: str,
                problems: _Problems, also: tuple[str, ...] = ()) -> dict[str, pd.Series]:
    """Check units and convert ``qty_col`` (and ``also`` columns) to canonical units."""
    label = _LABEL[name]
    units = _text(df["unit"])
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
            msg = (f"{label} '{ids[pos]}': unknown unit '{unit}'"
                   + _suggest(unit, allowed.split(", ")))
        else:
            msg = (f"{label} '{ids[pos]}': unit '{unit}' does not fit {what.iloc[pos]} "
                   f"({k}, measured in {CANONICAL[k]})")
        problems.add(file, msg, fix=f"use one of {allowed}", row=_row(pos), column="unit")
    out["unit"] = kind.map(CANONICAL).fillna("").astype(str)
    return out


def _finish_table(name: str, df: pd.DataFrame, ids: pd.Index, typed: dict[str, pd.Series]
                  ) -> pd.DataFrame:
    """Declared columns (typed) then extra columns; indexed by id."""
    schema = TABLES[name]
    data: dict[str, Any] = {}
    for column in schema.columns:
        if column.name == "id":
            continue
        if column.name in typed:
            data[column.name] = typed[column.name].to_numpy()
        elif column.dtype == "float64":
            data[column.name] = _numbers(df[column.name])[0].to_numpy()
        elif column.dtype == "bool":
            data[column.name] = _bools(df[column.name])[0].to_numpy()
        else:
            data[column.name] = _text(df[column.name]).to_numpy()
    for column in df.columns:
        if column in schema.column_names or column in ("id", "geometry"):
            continue
        data[column] = _extra(df[column]).to_numpy()
    out = pd.DataFrame(data, index=ids)
    for column in schema.columns:
        if column.name == "id":
            continue
        if column.dtype == "float64":
            out[column.name] = out[column.name].astype(float)
        elif column.dtype == "bool":
            out[column.name] = out[column.name].astype(bool)
        else:
            out[column.name] = out[column.name].astype(str)
    return out


def _check_links(built: dict[str, Any], catalogue: Catalogue, file: str, files: dict[str, str],
                 tids: pd.Index, refs_ok: np.ndarray, problems: _Problems) -> None:
    """The rules a links-table row must meet to become a candidate (SPEC §3).

    ``from`` has a supply or stockpile of ``material``; ``to`` has a use on ``route``; some
    (supply, use) pair of the row meets the quality rule (heat: temperature ≥ the use's minimum,
    else the route's, + the route's ΔT; hydrogen: purity ≥ the minimum unless the route offers
    purification); a written mode is one the route allows. Beyond the mode's reach with no
    ``distance_km`` override is only a :class:`~parkflow.errors.ParkflowWarning` (with an
    explicit distance the planner knows better).
    """
    links = built.get("links")
    ent = built.get("enterprises")
    sup = built.get("supplies")
    uses = built.get("uses")
    if links is None or ent is None or sup is None or uses is None or len(links) == 0:
        return
    ent = ent[~ent.index.duplicated()]  # duplicates are reported already
    stk = built.get("stockpiles")
    routes = catalogue.routes
    mat_kind = catalogue.materials["kind"]
    good = (refs_ok & links["from"].isin(ent.index).to_numpy()
            & links["to"].isin(ent.index).to_numpy())
    accepts = links["route"].map(routes["accepts"])
    good &= np.array([m in (a if isinstance(a, tuple | list) else ())
                      for m, a in zip(links["material"], accepts, strict=True)], dtype=bool)
    frm, to = links["from"].astype(str), links["to"].astype(str)
    material, route, mode = (links["material"].astype(str), links["route"].astype(str),
                             links["mode"].astype(str))
    kind = material.map(mat_kind).fillna("").astype(str)
    sup_file = files.get("supplies", "supplies.csv")
    use_file = files.get("uses", "uses.csv")

    have = set(zip(sup["enterprise"].astype(str), sup["material"].astype(str), strict=True))
    if stk is not None and len(stk):
        have |= set(zip(stk["enterprise"].astype(str), stk["material"].astype(str), strict=True))
    has_supply = np.array([(f, m) in have for f, m in zip(frm, material, strict=True)],
                          dtype=bool)
    for pos in np.flatnonzero(good & ~has_supply):
        problems.add(file, f"link '{tids[pos]}': enterprise '{frm.iloc[pos]}' has no supply or "
                     f"stockpile of {material.iloc[pos]}",
                     fix=f"add the supply to {sup_file} (or a stockpile), or correct from or "
                     "material", row=_row(pos), column="from")
    used = set(zip(uses["enterprise"].astype(str), uses["route"].astype(str), strict=True))
    has_use = np.array([(t, r) in used for t, r in zip(to, route, strict=True)], dtype=bool)
    for pos in np.flatnonzero(good & ~has_use):
        problems.add(file, f"link '{tids[pos]}': enterprise '{to.iloc[pos]}' has no use on "
                     f"route '{route.iloc[pos]}'",
                     fix=f"add the use to {use_file}, or correct to or route", row=_row(pos),
                     column="to")

    # quality: some (supply row, use row) pair of the link must pass
    rows = pd.DataFrame({"pos": np.arange(len(links)), "frm": frm.to_numpy(),
                         "to": to.to_numpy(), "material": material.to_numpy(),
                         "route": route.to_numpy(), "kind": kind.to_numpy()})
    rows = rows[good & has_supply & has_use & rows["kind"].isin(["heat", "hydrogen"]).to_numpy()]
    if len(rows):
        s = pd.DataFrame({"frm": sup["enterprise"].astype(str).to_numpy(),
                          "material": sup["material"].astype(str).to_numpy(),
                          "temperature_c": sup["temperature_c"].to_numpy(dtype=float),
                          "purity": sup["purity"].to_numpy(dtype=float)})
        u = pd.DataFrame({"to": uses["enterprise"].astype(str).to_numpy(),
                          "route": uses["route"].astype(str).to_numpy(),
                          "min_temperature_c": uses["min_temperature_c"].to_numpy(dtype=float),
                          "min_purity": uses["min_purity"].to_numpy(dtype=float)})
        pairs = rows.merge(s, on=["frm", "material"]).merge(u, on=["to", "route"])
        need_t = pairs["min_temperature_c"].fillna(
            pairs["route"].map(routes["min_temperature_c"]).astype(float)).to_numpy(dtype=float)
        delta = pairs["route"].map(routes["delta_t_c"]).astype(float).fillna(0.0).to_numpy()
        need_p = pairs["min_purity"].fillna(
            pairs["route"].map(routes["min_purity"]).astype(float)).to_numpy(dtype=float)
        pairs["min_temperature_c"], pairs["min_purity"] = need_t, need_p
        pairs["ok"], _ = quality_rule(pairs, routes)
        pairs["need_t"], pairs["need_all_t"] = need_t, need_t + delta
        pairs["need_p"] = need_p
        best = pairs.sort_values("ok", ascending=False, kind="stable").drop_duplicates("pos")
        for r in best[~best["ok"]].itertuples():
            p = int(r.pos)
            if r.kind == "heat":
                have_t = "no temperature_c" if np.isnan(r.temperature_c) else \
                    f"{r.temperature_c:g} °C"
                msg = (f"link '{tids[p]}': the heat of '{r.frm}' ({have_t}) is too cool for "
                       f"route '{r.route}' at '{r.to}': it needs ≥ {r.need_all_t:g} °C "
                       f"(minimum {r.need_t:g} + ΔT {r.need_all_t - r.need_t:g})")
                fix = (f"use a route with a lower minimum, correct temperature_c in {sup_file} "
                       "or min_temperature_c in " + use_file)
            else:
                have_p = "no purity" if np.isnan(r.purity) else f"purity {r.purity:g}"
                msg = (f"link '{tids[p]}': the hydrogen of '{r.frm}' ({have_p}) is below the "
                       f"minimum purity {r.need_p:g} of route '{r.route}' at '{r.to}', which "
                       "offers no purification")
                fix = (f"correct purity in {sup_file} or min_purity in {use_file}, or use a "
                       "route with purification_cny_per_unit")
            problems.add(file, msg, fix=fix, row=_row(p), column="route")

    # mode: the route must allow it (a route with no modes allows any that carries the kind)
    allowed = route.map(routes["modes"]).map(
        lambda m: tuple(m) if isinstance(m, tuple | list) else ())
    carries = mode.map(catalogue.modes["carries"]).map(
        lambda c: tuple(c) if isinstance(c, tuple | list) else ())
    given = (mode != "").to_numpy()
    for pos in np.flatnonzero(good & given):
        ok_modes = allowed.iloc[pos]
        if kind.iloc[pos] in carries.iloc[pos] and ok_modes and mode.iloc[pos] not in ok_modes:
            problems.add(file, f"link '{tids[pos]}': route '{route.iloc[pos]}' does not allow "
                         f"mode '{mode.iloc[pos]}'",
                         fix=f"use one of {', '.join(ok_modes)}, or leave mode empty",
                         row=_row(pos), column="mode")

    # reach: a warning only, only without a distance_km override, only for a loadable scenario
    if problems:
        return

    blank_d = links["distance_km"].isna().to_numpy()
    check = np.flatnonzero(good & blank_d)
    if len(check) == 0:
        return
    geo = geodesic_km(ent["lon"].reindex(frm.iloc[check]).to_numpy(dtype=float),
                      ent["lat"].reindex(frm.iloc[check]).to_numpy(dtype=float),
                      ent["lon"].reindex(to.iloc[check]).to_numpy(dtype=float),
                      ent["lat"].reindex(to.iloc[check]).to_numpy(dtype=float))
    modes = catalogue.modes
    for pos, g in zip(check, geo, strict=True):
        if given[pos]:
            names = [mode.iloc[pos]]
        else:
            names = [m for m in modes.index if kind.iloc[pos] in tuple(modes.at[m, "carries"])
                     and (not allowed.iloc[pos] or m in allowed.iloc[pos])]
        if not names:
            continue
        reach = {m: float(modes.at[m, "reach_km"]) for m in names}
        dist = {m: g * float(modes.at[m, "detour"] or 1.0) for m in names}
        if all(dist[m] > reach[m] for m in names):
            m = min(names, key=lambda k: dist[k] - reach[k])
            warnings.warn(
                f"{file} row {_row(pos)}: link '{tids[pos]}' is {dist[m]:.1f} km by {m}, beyond "
                f"its reach of {reach[m]:g} km; write distance_km to keep it on purpose",
                ParkflowWarning, stacklevel=2)


def _expand_materials(catalogue: Catalogue, spec: Any, exclude: Iterable[str]
                      ) -> tuple[tuple[str, ...], list[str], list[str]]:
    """Materials of a target: (materials, unknown spec items, unknown exclude items)."""
    mats = catalogue.materials
    known = set(mats.index) | set(mats["group"]) | set(mats["category"])
    items = [spec] if isinstance(spec, str) else list(spec)
    items = [str(i).strip() for i in items if str(i).strip()]
    if len(items) == 1 and "," in items[0]:
        items = [i.strip() for i in items[0].split(",") if i.strip()]
    unknown = [i for i in items if i not in known]
    members = catalogue.group_members([i for i in items if i in known])
    excl = [str(e).strip() for e in exclude]
    unknown_ex = [e for e in excl if e not in known]
    dropped = set(catalogue.group_members([e for e in excl if e in known]))
    if "tailings" in excl:
        dropped |= set(mats.index[mats["is_tailings"].astype(bool)])
    return tuple(m for m in members if m not in dropped), unknown, unknown_ex


def _targets(src: _Source, catalogue: Catalogue, parks: pd.Index, cities: set[str],
             problems: _Problems) -> tuple[Target, ...]:
    file = src.config_file
    raw = src.config.get("targets")
    if raw is None:
        raw = [{"id": "bulk-2025", "materials": BULK_GROUP, "exclude": ["tailings"],
                "rate": 0.78, "scope": "all"}]
    if isinstance(raw, Mapping):
        raw = [raw]
    if not isinstance(raw, list):
        problems.add(file, "targets must be a list of targets", column="targets",
                     fix="write `targets:` then lines `- {id: bulk-2025, materials: "
                     "bulk_solid_waste, exclude: [tailings], rate: 0.78, scope: all}`")
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
            problems.add(file, f"{where} must be a mapping of id, materials, exclude, rate, scope",
                         column=where, fix="write `- {id: t1, materials: bulk_solid_waste, "
                         "rate: 0.78}`")
            continue
        for key in item:
            if key not in TARGET_KEYS:
                problems.add(file, f"{where}: unknown key '{key}'"
                             + _suggest(str(key), TARGET_KEYS), column=f"{where}.{key}",
                             fix=f"use {', '.join(TARGET_KEYS)}")
        tid = str(item.get("id") or f"target-{k + 1}")
        if tid in seen:
            problems.add(file, f"duplicate target id '{tid}'", column=f"{where}.id",
                         fix="give each target its own id")
        seen.add(tid)
        spec = item.get("materials", BULK_GROUP)
        spec = BULK_GROUP if _is_blank(spec) else spec
        exclude = item.get("exclude") or []
        exclude = [exclude] if isinstance(exclude, str) else list(exclude)
        members, unknown, unknown_ex = _expand_materials(catalogue, spec, exclude)
        for name in unknown:
            problems.add(file, f"target '{tid}': unknown material, category or group '{name}'"
                         + _suggest(name, known_names), column=f"{where}.materials",
                         fix="use a material id, a statistics category or a group "
                         "(bulk_solid_waste)")
        for name in unknown_ex:
            problems.add(file, f"target '{tid}': cannot exclude unknown '{name}'"
                         + _suggest(name, known_names), column=f"{where}.exclude",
                         fix="name material or category ids, e.g. [tailings]")
        if not unknown and not members:
            problems.add(file, f"target '{tid}' covers no material", column=f"{where}.materials",
                         fix="check materials and exclude")
        rate = item.get("rate")
        try:
            rate = float(rate)
            if not 0.0 <= rate <= 1.0:
                problems.add(file, f"target '{tid}': rate {rate:g} is outside 0-1",
                             column=f"{where}.rate",
                             fix="write the rate as a fraction: 0.78 for 78 %")
        except (TypeError, ValueError):
            problems.add(file, f"target '{tid}': rate {rate!r} is not a number",
                         column=f"{where}.rate", fix="write e.g. `rate: 0.78`")
            rate = math.nan
        scope = str(item.get("scope") or "all").strip()
        kind, _, arg = scope.partition(":")
        if scope in ("all", "each_park"):
            pass
        elif kind == "park" and arg:
            if arg not in parks:
                problems.add(file, f"target '{tid}': scope names unknown park '{arg}'"
                             + _suggest(arg, [str(p) for p in parks]), column=f"{where}.scope",
                             fix="use a park id from enterprises.park / parks.geojson")
        elif kind == "city" and arg:
            if arg not in cities:
                problems.add(file, f"target '{tid}': scope names city '{arg}' that no "
                             "enterprise or park is in" + _suggest(arg, sorted(cities)),
                             column=f"{where}.scope", fix="use a city from enterprises.city")
        else:
            problems.add(file, f"target '{tid}': scope '{scope}' is not all, each_park, "
                         "park:<id> or city:<name>", column=f"{where}.scope",
                         fix="write e.g. `scope: all` or `scope: park:P1`")
        spec_text = spec if isinstance(spec, str) else ",".join(str(s) for s in spec)
        out.append(Target(id=tid, materials=members, rate=rate, scope=scope,
                          exclude=tuple(exclude), spec=spec_text))
    return tuple(out)


def _build(src: _Source, problems: _Problems) -> Scenario | None:
    """Validate the raw source and assemble the Scenario (None when any problem was found)."""
    name, settings, mode_overrides = _settings(src, problems)
    catalogue = _catalogue(src, mode_overrides, problems)
    mats = catalogue.materials
    hours = settings.operating_hours
    files = src.files
    frames = {t: _prepare(t, src.tables.get(t), files.get(t, t), problems)
              for t in DATA_TABLES}
    ids = {t: _assign_ids(t, df, files[t], problems) for t, df in frames.items()
           if df is not None}
    built: dict[str, pd.DataFrame] = {}

    # enterprises ----------------------------------------------------------------------------
    ent = frames["enterprises"]
    ent_ids = ids.get("enterprises", pd.Index([], dtype=str))
    if ent is not None:
        file = files["enterprises"]
        eids = ids["enterprises"]
        lon = _number_column("enterprises", ent, eids, "lon", file, problems, required=True,
                             minimum=None, unit="degrees")
        lat = _number_column("enterprises", ent, eids, "lat", file, problems, required=True,
                             minimum=None, unit="degrees")
        have = lon.notna() & lat.notna()
        where = locate(lon.to_numpy(dtype=float), lat.to_numpy(dtype=float))
        for pos in np.flatnonzero(have.to_numpy() & (where != "inside")):
            if where[pos] == "swapped":
                problems.add(file, f"enterprise '{eids[pos]}': lon {lon.iloc[pos]:g}, lat "
                             f"{lat.iloc[pos]:g} look swapped (latitude and longitude)",
                             fix="swap the two values: lon is 73-135 in China, lat 18-54",
                             row=_row(pos), column="lon")
            elif where[pos] == "radians":
                problems.add(file, f"enterprise '{eids[pos]}': lon {lon.iloc[pos]:g}, lat "
                             f"{lat.iloc[pos]:g} look like radians", fix="give decimal degrees "
                             "(multiply by 180/π: lon 73-135, lat 18-54 in China)",
                             row=_row(pos), column="lon")
            else:
                problems.add(file, f"enterprise '{eids[pos]}': lon {lon.iloc[pos]:g}, lat "
                             f"{lat.iloc[pos]:g} is outside China (checked against its outline)",
                             fix="give decimal degrees (lon 73-135, lat 18-54), WGS-84 or "
                             "GCJ-02 with `coordinates: gcj02`", row=_row(pos), column="lon")
        if settings.coordinates == "gcj02":
            w_lon, w_lat = gcj02_to_wgs84(lon.to_numpy(), lat.to_numpy())
            lon = pd.Series(np.where(have, w_lon, lon), index=ent.index)
            lat = pd.Series(np.where(have, w_lat, lat), index=ent.index)
        park = _text(ent["park"])
        for pos in np.flatnonzero((park == "").to_numpy()):
            problems.add(file, f"enterprise '{eids[pos]}': park is empty",
                         fix="write the park id the plant belongs to", row=_row(pos),
                         column="park")
        names = _text(ent["name"])
        names = names.where(names != "", pd.Series(list(eids), index=ent.index, dtype=str))
        built["enterprises"] = _finish_table(
            "enterprises", ent, eids,
            {"lon": lon, "lat": lat, "park": park, "name": names},
        )

    # parks ----------------------------------------------------------------------------------
    parks_raw = src.tables.get("parks")
    ent_tab = built.get("enterprises")
    if parks_raw is not None:
        pfile = files.get("parks", "parks")
        pdf = _prepare("parks", parks_raw, pfile, problems)
        if pdf is not None:
            geometry = (pdf["geometry"].to_numpy() if "geometry" in pdf.columns
                        else [None] * len(pdf))
            pids = _assign_ids("parks", pdf, pfile, problems)
            for pos in np.flatnonzero((_text(pdf["id"]) == "").to_numpy()):
                problems.add(pfile, "a park has no id", fix="give every park its id",
                             row=_row(pos), column="id")
            parks = gpd.GeoDataFrame(_finish_table("parks", pdf, pids, {}),
                                     geometry=list(geometry), crs="EPSG:4326")
            parks = parks[~parks.index.duplicated()]
        else:
            parks = None
        if parks is not None and ent_tab is not None:
            unknown = ~ent_tab["park"].isin(parks.index) & (ent_tab["park"] != "")
            for pos in np.flatnonzero(unknown.to_numpy()):
                value = ent_tab["park"].iloc[pos]
                problems.add(files["enterprises"], f"enterprise '{ent_ids[pos]}': park "
                             f"'{value}' is not in {pfile}"
                             + _suggest(value, list(parks.index)),
                             fix=f"use a park id from {pfile}, or add the park there",
                             row=_row(pos), column="park")
    else:
        parks = None
    if parks is None:
        if ent_tab is not None:
            named = ent_tab[ent_tab["park"] != ""]
            pid = pd.Index(named["park"].unique(), dtype=str, name="park_id")
            city = (named[named["city"] != ""].groupby("park")["city"].first()
                    .reindex(pid).fillna("").astype(str))
            parks = gpd.GeoDataFrame(
                {"name": pd.Series(list(pid), index=pid, dtype=str),
                 "level": pd.Series([""] * len(pid), index=pid, dtype=str),
                 "city": city.to_numpy()},
                index=pid, geometry=[None] * len(pid), crs="EPSG:4326")
            parks["city"] = parks["city"].astype(str)
        else:
            parks = gpd.GeoDataFrame({"name": [], "level": [], "city": []},
                                     geometry=[], crs="EPSG:4326",
                                     index=pd.Index([], dtype=str, name="park_id"))
    parks.index.name = "park_id"
    if ent_tab is not None:
        park_city = parks["city"].reindex(ent_tab["park"]).fillna("").astype(str).to_numpy()
        ent_tab["city"] = ent_tab["city"].where(ent_tab["city"] != "", park_city).astype(str)
        geometry = gpd.points_from_xy(ent_tab["lon"], ent_tab["lat"])
        built["enterprises"] = gpd.GeoDataFrame(ent_tab, geometry=geometry, crs="EPSG:4326")

    mat_ids = mats.index
    mat_kind = mats["kind"]
    density = mats["density_kg_per_nm3"]
    known_mat_file = "the catalogue (parkflow catalogue --table materials)"
    known_route_file = "the catalogue (parkflow catalogue --table routes)"
    ent_file = files["enterprises"]

    # supplies, stockpiles ---------------------------------------------------------------------
    for t in ("supplies", "stockpiles"):
        df = frames[t]
        if df is None:
            continue
        file, tids = files[t], ids[t]
        _check_refs(t, df, tids, "enterprise", ent_ids, "enterprise", file, ent_file, problems)
        mat_ok = _check_refs(t, df, tids, "material", mat_ids, "material", file, known_mat_file,
                             problems)
        material = _text(df["material"])
        kind = material.map(mat_kind).where(mat_ok, "").fillna("").astype(str)
        qty = _number_column(t, df, tids, "quantity", file, problems, required=True)
        typed: dict[str, pd.Series] = {"enterprise": _text(df["enterprise"]),
                                       "material": material}
        if t == "stockpiles":
            # max_draw is in the canonical unit per year (schema), whatever the row's unit
            draw = _number_column(t, df, tids, "max_draw", file, problems, required=False,
                                  unit="canonical unit per year")
            for pos in np.flatnonzero(((kind != "solid") & (kind != "")).to_numpy()):
                problems.add(file, f"stockpile '{tids[pos]}': material '{material.iloc[pos]}' "
                             f"is {kind.iloc[pos]}, not a solid; only solids can be stockpiled",
                             fix="remove the row (heat and hydrogen cannot be stored from "
                             "earlier years)", row=_row(pos), column="material")
        else:
            typed["temperature_c"] = _number_column(t, df, tids, "temperature_c", file,
                                                    problems, required=False, minimum=-273.15,
                                                    unit="°C")
            typed["purity"] = _number_column(t, df, tids, "purity", file, problems,
                                             required=False, minimum=0.0, maximum=1.0,
                                             unit="fraction")
        frame = df.assign(quantity=qty)
        what = material.map(lambda m: f"material '{m}'")
        conv = _quantities(t, frame, tids, "quantity", kind, material.map(density), what, hours,
                           file, problems)
        typed.update(conv)
        if t == "stockpiles":
            q = conv["quantity"]
            typed["max_draw"] = draw.where(draw.notna(), q).clip(upper=q)
        built[t] = _finish_table(t, df, tids, typed)

    # uses -------------------------------------------------------------------------------------
    df = frames["uses"]
    route_kind = _route_kind(catalogue)
    if df is not None:
        file, tids = files["uses"], ids["uses"]
        _check_refs("uses", df, tids, "enterprise", ent_ids, "enterprise", file, ent_file,
                    problems)
        route_ok = _check_refs("uses", df, tids, "route", catalogue.routes.index, "route", file,
                               known_route_file, problems)
        route = _text(df["route"])
        kind = route.map(route_kind).where(route_ok, "").fillna("").astype(str)
        cap = _number_column("uses", df, tids, "capacity", file, problems, required=True)
        typed = {"enterprise": _text(df["enterprise"]), "route": route,
                 "min_temperature_c": _number_column("uses", df, tids, "min_temperature_c", file,
                                                     problems, required=False,
                                                     minimum=-273.15, unit="°C"),
                 "min_purity": _number_column("uses", df, tids, "min_purity", file, problems,
                                              required=False, minimum=0.0, maximum=1.0,
                                              unit="fraction"),
                 "value": _number_column("uses", df, tids, "value", file, problems,
                                         required=False, minimum=None)}
        # Nm3 for a hydrogen route: the density of the first hydrogen material it accepts
        first_mat = route.map(catalogue.routes["accepts"].map(lambda a: a[0] if a else ""))
        what = route.map(lambda r: f"route '{r}'")
        conv = _quantities("uses", df.assign(capacity=cap), tids, "capacity", kind,
                           first_mat.map(density), what, hours, file, problems)
        typed.update(conv)
        built["uses"] = _finish_table("uses", df, tids, typed)

    # links ------------------------------------------------------------------------------------
    df = frames["links"]
    if df is not None:
        file, tids = files["links"], ids["links"]
        _check_refs("links", df, tids, "from", ent_ids, "enterprise", file, ent_file, problems)
        _check_refs("links", df, tids, "to", ent_ids, "enterprise", file, ent_file, problems)
        m_ok = _check_refs("links", df, tids, "material", mat_ids, "material", file,
                           known_mat_file, problems)
        r_ok = _check_refs("links", df, tids, "route", catalogue.routes.index, "route", file,
                           known_route_file, problems)
        mode_ok = _check_refs("links", df, tids, "mode", catalogue.modes.index, "mode", file,
                              "the transport modes (parkflow catalogue --table modes)",
                              problems, allow_blank=True)
        material, route, mode = _text(df["material"]), _text(df["route"]), _text(df["mode"])
        accepts = route.map(catalogue.routes["accepts"])
        for pos in np.flatnonzero((m_ok & r_ok).to_numpy()):
            if material.iloc[pos] not in accepts.iloc[pos]:
                problems.add(file, f"link '{tids[pos]}': route '{route.iloc[pos]}' does not "
                             f"accept {material.iloc[pos]}",
                             fix=f"use a route that accepts it, or one of the materials "
                             f"{', '.join(accepts.iloc[pos])}", row=_row(pos), column="route")
        carries = mode.map(catalogue.modes["carries"])
        kind = material.map(mat_kind)
        for pos in np.flatnonzero((m_ok & mode_ok & (mode != "")).to_numpy()):
            if kind.iloc[pos] not in carries.iloc[pos]:
                problems.add(file, f"link '{tids[pos]}': mode '{mode.iloc[pos]}' does not "
                             f"carry {kind.iloc[pos]} ({material.iloc[pos]})",
                             fix="choose a mode that carries it, or leave mode empty",
                             row=_row(pos), column="mode")
        existing, bad = _bools(df["existing"])
        for pos in np.flatnonzero(bad.to_numpy()):
            problems.add(file, f"link '{tids[pos]}': existing '{df['existing'].iloc[pos]}' is "
                         "not true or false", fix="write true or false", row=_row(pos),
                         column="existing")
        typed = {"from": _text(df["from"]), "to": _text(df["to"]), "material": material,
                 "route": route, "mode": mode, "existing": existing,
                 "fixed_cost": _number_column("links", df, tids, "fixed_cost", file, problems,
                                              required=False, unit="CNY/a"),
                 "distance_km": _number_column("links", df, tids, "distance_km", file,
                                               problems, required=False, unit="km")}
        built["links"] = _finish_table("links", df, tids, typed)
        _check_links(built, catalogue, file, files, tids,
                     (m_ok & r_ok & mode_ok).to_numpy(dtype=bool), problems)

    cities = set()
    if ent_tab is not None:
        cities |= set(built["enterprises"]["city"])
    cities |= set(parks["city"])
    cities.discard("")
    targets = _targets(src, catalogue, parks.index, cities, problems)
    settings = dataclasses.replace(settings, coordinates="wgs84")  # converted above
    if problems:
        return None
    return Scenario(
        name=name,
        enterprises=built["enterprises"],
        supplies=built["supplies"],
        uses=built["uses"],
        stockpiles=built["stockpiles"],
        links=built["links"],
        parks=parks,
        catalogue=catalogue,
        targets=targets,
        settings=settings,
        mode_overrides=mode_overrides,
        source=src.source,
    )


# --------------------------------------------------------------------------------------------
# public API: load, validate, from frames
# --------------------------------------------------------------------------------------------


def _read(path: Path, problems: _Problems) -> _Source | None:
    if not path.exists():
        problems.add(str(path), "no such file or folder",
                     fix="give a scenario folder (holding scenario.yaml) or an .xlsx workbook")
        return None
    if path.is_dir():
        return _read_folder(path, problems)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return _read_workbook(path, problems)
    problems.add(path.name, f"cannot read a scenario from a '{path.suffix}' file",
                 fix="give a scenario folder, an .xlsx workbook or a layout-variant .yaml")
    return None


def validate(path: str | Path) -> tuple[Scenario | None, list[Problem]]:
    """Check a scenario and collect every problem.

    Parameters
    ----------
    path : path
        A scenario folder, an ``.xlsx`` workbook, or a layout-variant ``.yaml`` file.

    Returns
    -------
    scenario : Scenario or None
        The loaded scenario when there is no problem, else None.
    problems : list of Problem
        Every problem found (file, spreadsheet row, column, message, fix); empty when valid.
    """
    path = Path(path)
    problems = _Problems()
    if path.is_file() and path.suffix.lower() in (".yaml", ".yml"):
        from parkflow.io.overlay import load_overlay

        try:
            return load_overlay(path), []
        except ScenarioError as exc:
            return None, list(exc.problems)
    src = _read(path, problems)
    if src is None:
        return None, list(problems)
    scenario = _build(src, problems)
    return (scenario if not problems else None), list(problems)


def load_scenario(path: str | Path) -> Scenario:
    """Load a scenario folder, an ``.xlsx`` workbook or a layout-variant ``.yaml``.

    Parameters
    ----------
    path : path
        See :func:`validate`. Nothing is written; the input files are only read.

    Returns
    -------
    Scenario
        Validated, quantities in canonical units, coordinates WGS-84.

    Raises
    ------
    ScenarioError
        Holding every problem found (see :func:`validate`).
    """
    scenario, problems = validate(path)
    if problems or scenario is None:
        raise ScenarioError(problems, source=str(path))
    return scenario


def scenario_from_frames(
    name: str,
    enterprises: pd.DataFrame,
    supplies: pd.DataFrame,
    uses: pd.DataFrame,
    stockpiles: pd.DataFrame | None = None,
    links: pd.DataFrame | None = None,
    parks: pd.DataFrame | None = None,
    targets: list[dict[str, Any]] | None = None,
    catalogue: Catalogue | None = None,
    **settings: Any,
) -> Scenario:
    """Build a scenario in code from DataFrames, with the same validation as the files.

    Parameters
    ----------
    name : str
        Scenario name.
    enterprises, supplies, uses : DataFrame
        The tables, with the columns of the files (an ``id`` column, or an index named ``id``
        or ``<table>_id``, gives the ids; otherwise they are generated as S1, U1...).
    stockpiles, links : DataFrame, optional
    parks : DataFrame or GeoDataFrame, optional
        Columns ``id, name, level[, city]`` (+ geometry); derived from enterprises when absent.
    targets : list of dict, optional
        As in scenario.yaml (``id, materials, exclude, rate, scope``); default: bulk-2025.
    catalogue : Catalogue, optional
        Use this catalogue as it is (else the built-in one with ``materials``/``routes``/
        ``modes`` overrides given as keyword frames and ``modes=`` dict overrides).
    **settings
        scenario.yaml keys: ``description, year, coordinates, operating_hours, candidates,
        objective, solver, modes``; ``materials=`` and ``routes=`` override tables.

    Returns
    -------
    Scenario

    Raises
    ------
    ScenarioError
        With every problem; file names are the table names (``supplies``...), rows as if the
        frame were saved as CSV (first data row = row 2).

    Examples
    --------
    >>> ent = pd.DataFrame({"id": ["E1", "E2"], "name": ["power", "cement"], "park": "P1",
    ...                     "sector": ["power", "cement"], "lon": [104.0, 104.02],
    ...                     "lat": [30.6, 30.6]})
    >>> sup = pd.DataFrame({"enterprise": ["E1"], "material": ["fly_ash"], "quantity": [2.0],
    ...                     "unit": ["万t/a"]})
    >>> use = pd.DataFrame({"enterprise": ["E2"], "route": ["cement_admixture"],
    ...                     "capacity": [30000.0], "unit": ["t/a"]})
    >>> sc = scenario_from_frames("demo", ent, sup, use)
    >>> float(sc.supplies.loc["S1", "quantity"]), sc.supplies.loc["S1", "unit"]
    (20000.0, 't/a')
    """
    config: dict[str, Any] = {"name": name}
    overrides = {k: settings.pop(k) for k in ("materials", "routes") if k in settings}
    if isinstance(settings.get("modes"), pd.DataFrame):
        overrides["modes"] = settings.pop("modes")
    solver = settings.get("solver")
    if isinstance(solver, SolverSettings):
        settings["solver"] = {"name": solver.name, "time_limit_s": solver.time_limit_s,
                              "gap": solver.gap}
    extra = settings.pop("extra", None) or {}
    config.update(extra)
    config.update(settings)
    if targets is not None:
        config["targets"] = [t if isinstance(t, (Mapping, Target)) else t for t in targets]
    tables: dict[str, pd.DataFrame | None] = {
        "enterprises": enterprises, "supplies": supplies, "uses": uses,
        "stockpiles": stockpiles, "links": links, "parks": parks, **overrides,
    }
    files = {t: t for t in (*DATA_TABLES, "parks", *CATALOGUE_FILES)}
    src = _Source(config=config, config_file="settings", tables=tables, files=files,
                  catalogue=catalogue)
    problems = _Problems()
    scenario = _build(src, problems)
    if problems or scenario is None:
        raise ScenarioError(problems, source=f"scenario '{name}'")
    return scenario


# --------------------------------------------------------------------------------------------
# saving
# --------------------------------------------------------------------------------------------


def _target_dict(t: Target, catalogue: Catalogue) -> dict[str, Any]:
    spec: Any = t.spec
    members, _, _ = _expand_materials(catalogue, spec, t.exclude)
    if tuple(members) != tuple(t.materials):
        spec = list(t.materials)
        again, _, _ = _expand_materials(catalogue, spec, t.exclude)
        exclude = list(t.exclude) if tuple(again) == tuple(t.materials) else []
    else:
        spec = spec if "," not in spec else [s.strip() for s in spec.split(",")]
        exclude = list(t.exclude)
    return {"id": t.id, "materials": spec, "exclude": exclude, "rate": float(t.rate),
            "scope": t.scope}


def _plain(value: Any) -> Any:
    """numpy scalars → Python scalars, for YAML."""
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def _catalogue_overrides(scenario: Scenario) -> tuple[dict[str, pd.DataFrame], dict[str, Any]]:
    """Rows of materials/routes/modes that differ from what the saved settings reproduce.

    Returns the override tables (full rows, sources included) and the ``modes:`` mapping.
    """
    from parkflow.catalogue import CATALOGUE_COLUMNS, builtin_catalogue, load_catalogue
    from parkflow.models.compare import frames_equal

    cat = scenario.catalogue
    modes = _plain(dict(scenario.mode_overrides))
    base = builtin_catalogue()
    try:
        with_modes = load_catalogue(mode_overrides=modes) if modes else base
    except ScenarioError:
        with_modes, modes = base, {}
    tables: dict[str, pd.DataFrame] = {}
    for table, reference in (("materials", base.materials), ("routes", base.routes),
                             ("modes", with_modes.modes)):
        mine: pd.DataFrame = getattr(cat, table)
        if frames_equal(mine, reference):
            continue
        differ = [i for i in mine.index
                  if i not in reference.index
                  or not frames_equal(mine.loc[[i]], reference.loc[[i]])]
        rows = mine.loc[differ, [c for c in CATALOGUE_COLUMNS[table] if c in mine.columns]]
        tables[table] = rows
    return tables, modes


def _catalogue_csv_frame(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    for column in out.columns:
        if out[column].map(lambda v: isinstance(v, tuple)).any():
            out[column] = out[column].map(lambda v: ";".join(v) if isinstance(v, tuple) else v)
    out.index.name = "id"
    return out.reset_index()


def _config(scenario: Scenario, modes: dict[str, Any]) -> dict[str, Any]:
    s = scenario.settings
    config: dict[str, Any] = {"name": scenario.name}
    if s.description:
        config["description"] = s.description
    if s.year is not None:
        config["year"] = int(s.year)
    config.update({
        "coordinates": "wgs84",
        "operating_hours": float(s.operating_hours),
        "candidates": s.candidates,
        "objective": s.objective,
        "solver": {"name": s.solver.name, "time_limit_s": float(s.solver.time_limit_s),
                   "gap": float(s.solver.gap)},
        "targets": [_target_dict(t, scenario.catalogue) for t in scenario.targets],
    })
    if modes:
        config["modes"] = modes
    for key, value in s.extra.items():
        config.setdefault(key, value)
    return _plain(config)


def _table_frame(name: str, df: pd.DataFrame) -> pd.DataFrame:
    """A scenario table as written: the id first, no geometry."""
    out = pd.DataFrame(df.drop(columns="geometry", errors="ignore")).copy()
    out.index.name = "id"
    return out.reset_index()


def _write_folder(scenario: Scenario, folder: Path) -> None:
    tables, modes = _catalogue_overrides(scenario)
    config = _config(scenario, modes)
    (folder / "scenario.yaml").write_text(
        pyyaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    for name in DATA_TABLES:
        frame = _table_frame(name, getattr(scenario, name))
        frame.to_csv(folder / TABLES[name].file, index=False, encoding="utf-8",
                     lineterminator="\n")
    if len(scenario.parks):
        features = []
        parks = scenario.parks
        props = pd.DataFrame(parks.drop(columns=parks.geometry.name))
        for ident, geom, row in zip(parks.index, parks.geometry, props.to_dict("records"),
                                    strict=True):
            properties = {"id": str(ident)}
            properties.update({k: (None if isinstance(v, float) and math.isnan(v)
                                   else _plain(v)) for k, v in row.items()})
            features.append({"type": "Feature", "properties": properties,
                             "geometry": None if geom is None else mapping(geom)})
        (folder / "parks.geojson").write_text(
            json.dumps({"type": "FeatureCollection", "features": features},
                       ensure_ascii=False, default=_plain), encoding="utf-8")
    for table, rows in tables.items():
        _catalogue_csv_frame(rows).to_csv(folder / CATALOGUE_FILES[table], index=False,
                                          encoding="utf-8", lineterminator="\n")


def _write_workbook(scenario: Scenario, file: Path) -> None:
    tables, modes = _catalogue_overrides(scenario)
    config = _config(scenario, modes)

    def cell(value: Any) -> Any:
        if isinstance(value, (dict, list)):
            return pyyaml.safe_dump(value, allow_unicode=True, default_flow_style=True,
                                  width=10**6).strip()
        return value

    sheet = pd.DataFrame({"key": list(config), "value": [cell(v) for v in config.values()]},
                         dtype=object)
    with pd.ExcelWriter(file, engine="openpyxl") as writer:
        sheet.to_excel(writer, sheet_name="scenario", index=False)
        for name in DATA_TABLES:
            _table_frame(name, getattr(scenario, name)).to_excel(writer, sheet_name=name,
                                                                  index=False)
        parks = scenario.parks
        frame = _table_frame("parks", parks)
        frame["geometry"] = [None if g is None else g.wkt for g in parks.geometry]
        frame.to_excel(writer, sheet_name="parks", index=False)
        for table, rows in tables.items():
            _catalogue_csv_frame(rows).to_excel(writer, sheet_name=table, index=False)


def save_scenario(scenario: Scenario, path: str | Path) -> Path:
    """Save a scenario as a folder or (suffix ``.xlsx``) one workbook; load gives it back equal.

    Written whole or not at all (through :func:`parkflow.io.atomic.output_dir`), never over the
    scenario's own source. Quantities are written in canonical units with their units.

    Parameters
    ----------
    scenario : Scenario
    path : path
        A folder (created or replaced) or an ``.xlsx`` file.

    Returns
    -------
    Path
        ``path``.

    Raises
    ------
    OutputError
        When ``path`` is, holds or lies in the scenario's source.
    """
    from parkflow.io.atomic import check_not_input, output_dir

    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        check_not_input(path, [scenario.source])
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.tmp-", suffix=".xlsx",
                                        dir=path.parent)
        os.close(fd)
        tmp = Path(tmp_name)
        try:
            _write_workbook(scenario, tmp)
            os.replace(tmp, path)
        finally:
            if tmp.exists():
                tmp.unlink()
        return path
    with output_dir(path, inputs=[scenario.source]) as tmp_dir:
        _write_folder(scenario, tmp_dir)
    return path


# --------------------------------------------------------------------------------------------
# summary
# --------------------------------------------------------------------------------------------


def summarise(scenario: Scenario) -> str:
    """A short plain-text summary: enterprises per park, streams per material, generated per
    statistics category and the targets.

    Parameters
    ----------
    scenario : Scenario

    Returns
    -------
    str
    """
    sc = scenario
    mats = sc.catalogue.materials
    lines = [
        f"Scenario '{sc.name}': {len(sc.enterprises)} enterprises in {len(sc.parks)} parks, "
        f"{len(sc.supplies)} supplies, {len(sc.uses)} uses, {len(sc.stockpiles)} stockpiles, "
        f"{len(sc.links)} links",
    ]
    if sc.settings.description:
        lines.append(f"  {sc.settings.description}")
    lines.append("Enterprises per park:")
    per_park = sc.enterprises.groupby("park").size()
    for park, n in per_park.items():
        name = sc.parks["name"].get(park, park) if len(sc.parks) else park
        label = f"{park} ({name})" if name and name != park else str(park)
        lines.append(f"  {label}: {n}")
    lines.append("Streams per material:")
    supplied = sc.supplies.groupby("material").agg(n=("quantity", "size"),
                                                  total=("quantity", "sum"))
    stocked = sc.stockpiles.groupby("material")["quantity"].sum()
    route_kind = sc.uses.assign(
        material=sc.uses["route"].map(sc.catalogue.routes["accepts"])).explode("material")
    absorbable = route_kind.groupby("material")["capacity"].sum()
    for material, row in supplied.iterrows():
        unit = mats.loc[material, "canonical_unit"]
        extra = ""
        if material in stocked.index:
            extra += f", stock {stocked[material]:,.0f} {unit.removesuffix('/a')}"
        extra += f", use capacity {absorbable.get(material, 0.0):,.0f} {unit}"
        lines.append(f"  {material}: {int(row['n'])} supplies, {row['total']:,.0f} {unit}{extra}")
    lines.append("Generated per statistics category:")
    cats = sc.supplies.assign(category=sc.supplies["material"].map(mats["category"]),
                              unit_=sc.supplies["material"].map(mats["canonical_unit"]))
    for (category, unit), total in cats.groupby(["category", "unit_"])["quantity"].sum().items():
        name = sc.catalogue.categories["name_en"].get(category, category)
        lines.append(f"  {category} ({name}): {total:,.0f} {unit}")
    lines.append("Targets:")
    for t in sc.targets:
        excl = f", excluding {', '.join(t.exclude)}" if t.exclude else ""
        lines.append(f"  {t.id}: {t.rate:.0%} of {t.spec}{excl} ({len(t.materials)} materials), "
                     f"scope {t.scope}")
    return "\n".join(lines)
