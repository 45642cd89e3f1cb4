"""Reading scenario files into raw frames: bytes → text, CSV / workbook / folder → tables.

Nothing here validates a value: the readers only turn what a planner's files really are into
frames of cells and a settings mapping (:class:`RawScenario`), collecting the problems that stop
a file from being read at all. See docs/scenario-format.md ("Files, encodings, rows").

* Text files may be UTF-8 (with or without BOM), UTF-16 with BOM (Excel's "Unicode text"),
  GB18030 (a superset of GBK, what Excel in China writes), or what charset-normalizer guesses.
* CSV delimiters are sniffed: comma, tab or semicolon.
* Workbook sheets are found by name in any case, or by their Chinese names
  (:attr:`parkflow.models.schema.TableSchema.aliases`).
"""

from __future__ import annotations

import csv
import io as _stdio
import json
import math
import re
import unicodedata
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import shapely
from shapely.geometry import shape

from parkflow.errors import ScenarioError
from parkflow.io.cells import drop_empty_rows, excel_row, is_blank, parse_bool, parse_number
from parkflow.io.checks import Problems
from parkflow.io.yaml import load_yaml
from parkflow.models.scenario import Catalogue
from parkflow.models.schema import (
    ALL_TABLES,
    DATA_TABLES,
    SCENARIO_SHEET,
    TABLES,
    TARGETS_SHEET,
    TableSchema,
)

__all__ = [
    "decode_bytes",
    "read_csv_any",
    "read_frame",
    "load_yaml_text",
    "RawScenario",
    "read_source",
    "CATALOGUE_FILES",
]

#: Catalogue override tables a scenario may hold, and their file names.
CATALOGUE_FILES = {
    "materials": "materials.csv",
    "routes": "routes.csv",
    "modes": "modes.csv",
    "fates": "fates.csv",
    "stacking_costs": "stacking_costs.csv",
    "replacement_fuels": "replacement_fuels.csv",
    "route_classes": "route_classes.csv",
}

#: Headers of the ``scenario`` sheet's two columns, in English or Chinese.
_SHEET_HEADER = {
    "key": "key",
    "键": "key",
    "参数": "key",
    "项目": "key",
    "value": "value",
    "值": "value",
    "取值": "value",
    "数值": "value",
}

_BOMS = ((b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))


def load_yaml_text(text: str, path: str | Path) -> Any:
    """Parse YAML text: the one place in parkflow.io that calls a YAML parser.

    Parameters
    ----------
    text : str
        The document.
    path : path
        The file it came from (for messages).

    Returns
    -------
    object
        The parsed document (a mapping for scenario.yaml).

    Raises
    ------
    ScenarioError
        When the text is not YAML or is refused by the hardened loader (:mod:`parkflow.io.yaml`:
        alias bombs, duplicate keys, Python tags, oversized documents).
    """
    return load_yaml(text, str(path))


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode a text file: UTF-16 with BOM, UTF-8 (BOM or not), GB18030, else a guess.

    Returns
    -------
    text, encoding : str, str

    Raises
    ------
    UnicodeDecodeError
        When no encoding fits.

    Examples
    --------
    >>> decode_bytes("粉煤灰".encode("gbk"))
    ('粉煤灰', 'gb18030')
    >>> decode_bytes("粉煤灰".encode("utf-16"))
    ('粉煤灰', 'utf-16')
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding), encoding
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        msg = "unknown"
        raise UnicodeDecodeError(msg, data, 0, 1, "not UTF-8, GB18030 or a known encoding")
    return str(best), str(best.encoding)


def _delimiter(text: str) -> str:
    """The delimiter of a CSV text: comma, tab or semicolon, judged on its first lines."""
    sample = "\n".join(text.splitlines()[:20])
    try:
        return csv.Sniffer().sniff(sample, delimiters=",\t;").delimiter
    except csv.Error:
        header = sample.split("\n", 1)[0]
        counts = {d: header.count(d) for d in (",", "\t", ";")}
        best = max(counts, key=lambda d: counts[d])
        return best if counts[best] else ","


def read_csv_any(path: str | Path) -> pd.DataFrame:
    """Read a CSV written by Excel or by hand: any encoding above, comma/tab/semicolon.

    Parameters
    ----------
    path : path
        The CSV file (only read).

    Returns
    -------
    DataFrame
        Column names stripped; cells as str ("" when blank); the frame's ``attrs["rows"]`` holds
        each data row's spreadsheet row number, because rows whose every cell is empty (Excel's
        cleared rows, ``,,,``) are dropped.
    """
    text, _ = decode_bytes(Path(path).read_bytes())
    sep = _delimiter(text)
    df = pd.read_csv(_stdio.StringIO(text), dtype=str, keep_default_na=False, sep=sep)
    df.columns = [str(c).strip().lstrip("\ufeff") for c in df.columns]
    return drop_empty_rows(drop_unnamed_empty_columns(df))


def drop_unnamed_empty_columns(df: pd.DataFrame) -> pd.DataFrame:
    """Drop columns with no header and no value (Excel's trailing ``,,`` columns).

    Examples
    --------
    >>> df = pd.DataFrame({"a": ["1"], "Unnamed: 1": [""]})
    >>> drop_unnamed_empty_columns(df).columns.tolist()
    ['a']
    """
    unnamed = [
        c
        for c in df.columns
        if (str(c).startswith("Unnamed: ") or is_blank(c)) and df[c].map(is_blank).all()
    ]
    return df.drop(columns=unnamed)


def read_frame(table: str | TableSchema, df: pd.DataFrame) -> pd.DataFrame:
    """Type a frame read from a file by its declared columns (the schema's dtypes).

    For reading parkflow's own tables back (output tables such as ``flows``, catalogue tables):
    numbers as float, ``true/false`` as bool (:func:`parkflow.io.cells.parse_bool`), texts as str.
    Undeclared columns are kept as they are; declared columns that are missing are not added.

    Parameters
    ----------
    table : str or TableSchema
        A key of :data:`parkflow.models.schema.ALL_TABLES` (``"flows"``, ``"utilisation"``,
        ``"supplies"``, ``"catalogue:routes"``) or the schema itself.
    df : DataFrame
        The cells.

    Returns
    -------
    DataFrame

    Examples
    --------
    >>> f = read_frame("utilisation", pd.DataFrame({"scope_type": ["all"], "rate": ["0.5"]}))
    >>> f["rate"].dtype.name
    'float64'
    """
    schema = ALL_TABLES[table] if isinstance(table, str) else table
    out = df.copy()
    for column in schema.columns:
        if column.name not in out.columns:
            continue
        cells = out[column.name].astype(object)
        if column.dtype == "float64":
            percent = column.percent
            values = cells.map(lambda v, p=percent: parse_number(v, percent=p))
            out[column.name] = values.map(lambda v: math.nan if v is None else v).astype(float)
        elif column.dtype == "bool":
            out[column.name] = cells.map(lambda v: bool(parse_bool(v))).astype(bool)
        elif column.dtype == "str":
            out[column.name] = cells.map(lambda v: "" if is_blank(v) else str(v)).astype(str)
    return out


@dataclass
class RawScenario:
    """Raw tables and settings of a scenario, before validation.

    Attributes
    ----------
    config : dict
        scenario.yaml (or the ``scenario`` sheet) as a mapping.
    config_file : str
        Where the settings came from, for messages.
    tables : dict of str to DataFrame or None
        Raw cells per table name (None: no such table).
    files : dict of str to str
        The file (or ``book.xlsx[sheet]``) each table came from, for messages.
    source : Path or None
        The folder or workbook read.
    catalogue : Catalogue or None
        A ready catalogue to use as it is (from code).
    """

    config: dict[str, Any]
    config_file: str
    tables: dict[str, pd.DataFrame | None]
    files: dict[str, str]
    source: Path | None = None
    catalogue: Catalogue | None = None
    extra_catalogue: dict[str, pd.DataFrame] = field(default_factory=dict)


def _read_yaml(path: Path, label: str, problems: Problems) -> dict[str, Any]:
    try:
        text, _ = decode_bytes(path.read_bytes())
        config = load_yaml_text(text, label)
    except ScenarioError as exc:
        problems.extend(exc.problems)
        return {}
    except UnicodeDecodeError as exc:
        problems.add(label, f"the file is not text: {exc}", fix="save it as UTF-8")
        return {}
    if config is None:
        config = {}
    if not isinstance(config, dict):
        problems.add(
            label,
            "the file must hold 'key: value' lines (a mapping)",
            fix="start with `name: <scenario name>`",
        )
        return {}
    return config


_RAGGED = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")


def _read_table_file(path: Path, label: str, problems: Problems) -> pd.DataFrame | None:
    try:
        head = path.read_bytes()[:4]
    except OSError as exc:
        problems.add(
            label,
            f"the file cannot be read: {exc.strerror or exc}",
            fix="check that the file exists and may be read",
        )
        return None
    if head.startswith(b"PK\x03\x04") or head.startswith(b"\xd0\xcf\x11\xe0"):
        problems.add(
            label,
            "the file is an Excel workbook, not CSV text",
            fix="in Excel choose Save As → 'CSV UTF-8 (*.csv)', or give the .xlsx "
            "workbook itself as the scenario",
        )
        return None
    try:
        return read_csv_any(path)
    except pd.errors.EmptyDataError:
        problems.add(
            label,
            "the file is empty (not even a header row)",
            fix="write the header row with the column names",
        )
    except UnicodeDecodeError:
        problems.add(
            label,
            "the file is not text in UTF-8, UTF-16 or GB18030",
            fix="save it from Excel as 'CSV UTF-8 (*.csv)'",
        )
    except pd.errors.ParserError as exc:
        ragged = _RAGGED.search(str(exc))
        if ragged:
            want, line, saw = ragged.groups()
            problems.add(
                label,
                f"row {line} has {saw} cells but the header has {want}",
                fix="remove the extra cells, or put a cell that holds the delimiter "
                'in quotes ("60,000")',
                row=int(line),
            )
        else:
            problems.add(
                label,
                f"the file cannot be read as CSV: {str(exc).splitlines()[0]}",
                fix="save it from Excel as 'CSV UTF-8' (or GBK)",
            )
    return None


def _read_geojson(path: Path, label: str, problems: Problems) -> pd.DataFrame | None:
    try:
        text, _ = decode_bytes(path.read_bytes())
        data = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        problems.add(
            label,
            f"the GeoJSON cannot be read: {exc}",
            fix="export the park boundaries as GeoJSON (FeatureCollection)",
        )
        return None
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list):
        problems.add(
            label,
            "not a GeoJSON FeatureCollection (no 'features' list)",
            fix="export the park boundaries as a FeatureCollection",
        )
        return None
    crs = _geojson_crs(data)
    records: list[dict[str, Any]] = []
    for k, feature in enumerate(features):
        props = dict(feature.get("properties") or {}) if isinstance(feature, dict) else {}
        geom = feature.get("geometry") if isinstance(feature, dict) else None
        try:
            props["geometry"] = shape(geom) if geom else None
        except (ValueError, TypeError, AttributeError, shapely.errors.ShapelyError) as exc:
            problems.add(
                label,
                f"feature {k + 1}: the geometry cannot be read ({exc})",
                fix="give a Polygon or MultiPolygon",
                row=excel_row(k),
                column="geometry",
            )
            props["geometry"] = None
        records.append(props)
    if not records:
        return pd.DataFrame(columns=["id", "name", "level", "geometry"])
    frame = pd.DataFrame.from_records(records)
    return _to_wgs84(frame, crs, label, problems)


_WGS84_NAMES = ("EPSG:4326", "OGC:CRS84", "OGC:1.3:CRS84", "CRS84", "EPSG:4490")


def _geojson_crs(data: dict[str, Any]) -> str | None:
    """The CRS a GeoJSON file names (the 2008 ``crs`` member QGIS and ArcGIS still write)."""
    crs = data.get("crs")
    if not isinstance(crs, dict):
        return None
    name = (crs.get("properties") or {}).get("name")
    return str(name) if name else None


def _to_wgs84(frame: pd.DataFrame, crs: Any, label: str, problems: Problems) -> pd.DataFrame:
    """Park geometries reprojected from ``crs`` to WGS-84 degrees (EPSG:4326).

    CGCS2000 geographic (EPSG:4490) is taken as WGS-84: the two differ by centimetres.
    """
    if crs is None:
        return frame
    import geopandas as gpd
    import pyproj

    try:
        source = pyproj.CRS.from_user_input(crs)
    except pyproj.exceptions.CRSError as exc:
        problems.add(
            label,
            f"the coordinate reference system {crs!r} is not known ({exc})",
            fix="save the layer in EPSG:4326 (WGS-84), or with a known EPSG code",
        )
        return frame
    if (
        source.to_string() in _WGS84_NAMES
        or source.to_epsg() in (4326, 4490)
        or (source.is_geographic and source.name.upper().startswith(("WGS 84", "CGCS2000")))
    ):
        return frame
    geoms = gpd.GeoSeries(list(frame["geometry"]), crs=source)
    out = frame.copy()
    out["geometry"] = pd.Series(list(geoms.to_crs("EPSG:4326")), index=frame.index, dtype=object)
    return out


def _read_gis(path: Path, label: str, problems: Problems) -> pd.DataFrame | None:
    """Park boundaries from a GeoPackage or Shapefile (geopandas), reprojected to WGS-84."""
    import geopandas as gpd

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            layer = gpd.read_file(path)
    except Exception as exc:  # the GDAL drivers raise many kinds on a broken file
        problems.add(
            label,
            f"the file cannot be read: {type(exc).__name__}: {exc}",
            fix="export the park boundaries again (GeoPackage, Shapefile with its "
            ".shx/.dbf/.prj, or GeoJSON)",
        )
        return None
    frame = pd.DataFrame(layer.drop(columns=layer.geometry.name))
    frame["geometry"] = pd.Series(list(layer.geometry), index=layer.index, dtype=object)
    frame = frame.astype({c: object for c in frame.columns if c != "geometry"})
    return _to_wgs84(frame, layer.crs, label, problems)


#: The park files of a folder, in the order they are looked for (one of them may be given).
PARK_FILES = ("parks.geojson", "parks.gpkg", "parks.shp")


def read_folder(path: Path, problems: Problems) -> RawScenario:
    """Read a scenario folder's files into a :class:`RawScenario` (problems collected)."""
    yaml_path = path / "scenario.yaml"
    if not yaml_path.is_file() and (path / "scenario.yml").is_file():
        yaml_path = path / "scenario.yml"
    if yaml_path.is_file():
        config = _read_yaml(yaml_path, yaml_path.name, problems)
    else:
        problems.add(
            "scenario.yaml",
            "missing file: the scenario folder has no scenario.yaml",
            fix="add scenario.yaml with at least `name: <scenario name>`",
        )
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
                problems.add(
                    schema.file,
                    f"missing file: the scenario needs {schema.file}",
                    fix=f"add {schema.file} with the columns {', '.join(schema.required_columns)}",
                )
            continue
        tables[name] = _read_table_file(file, schema.file, problems)
        if tables[name] is None and not schema.required_table:
            tables[name] = pd.DataFrame(columns=schema.required_columns)
    fac_file = path / TABLES["facilities"].file  # issue 12: optional, read when present
    files["facilities"] = TABLES["facilities"].file
    if fac_file.is_file():
        tables["facilities"] = _read_table_file(fac_file, fac_file.name, problems)
    traj_file = path / TABLES["trajectories"].file  # issue 12: optional, read when present
    if traj_file.is_file():
        files["trajectories"] = traj_file.name
        tables["trajectories"] = _read_table_file(traj_file, traj_file.name, problems)
    tech_file = path / "technologies.csv"
    if tech_file.is_file():
        files["technologies"] = "technologies.csv"
        tables["technologies"] = _read_table_file(tech_file, tech_file.name, problems)
    present = [name for name in PARK_FILES if (path / name).is_file()]
    files["parks"] = present[0] if present else "parks.geojson"
    tables["parks"] = None
    if len(present) > 1:
        problems.add(
            present[1],
            f"the folder holds park boundaries twice ({', '.join(present)})",
            fix=f"keep one of them ({present[0]} is the one read)",
        )
    if present:
        reader = _read_geojson if present[0].endswith(".geojson") else _read_gis
        tables["parks"] = reader(path / present[0], present[0], problems)
    for name, file_name in CATALOGUE_FILES.items():
        files[name] = file_name
        file = path / file_name
        tables[name] = _read_table_file(file, file_name, problems) if file.is_file() else None
    return RawScenario(
        config=config, config_file=yaml_path.name, tables=tables, files=files, source=path
    )


def _config_from_sheet(df: pd.DataFrame, label: str, problems: Problems) -> dict[str, Any]:
    """The ``scenario`` sheet (key | value rows) as a scenario.yaml mapping."""
    config: dict[str, Any] = {}
    if df.shape[1] < 2:
        problems.add(
            label,
            "the sheet needs two columns: key and value",
            fix="write one setting per row: key in column A, value in column B",
        )
        return config
    for pos, (key, value) in enumerate(zip(df.iloc[:, 0], df.iloc[:, 1], strict=True)):
        if is_blank(key):
            continue
        key = str(key).strip()
        if isinstance(value, float) and math.isnan(value):
            value = None
        if isinstance(value, str) and value.strip()[:1] in ("{", "["):
            try:
                value = load_yaml_text(value, label)
            except ScenarioError as exc:
                problems.add(
                    label,
                    f"the value of '{key}' cannot be read as YAML: {exc.problems[0].message}",
                    fix="write a YAML flow value, e.g. [{id: t1, rate: 0.78}]",
                    row=excel_row(pos),
                    column="value",
                )
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


def _split_cell_list(value: Any) -> list[str]:
    """A ``;``-separated cell (also ``,``, ``；``, ``，`` or ``、``) as a list of texts."""
    if is_blank(value):
        return []
    text = re.sub(r"[;,；，、]", ";", unicodedata.normalize("NFKC", str(value)))
    return [part.strip() for part in text.split(";") if part.strip()]


def targets_from_sheet(df: pd.DataFrame, label: str, problems: Problems) -> list[dict[str, Any]]:
    """The rows of a workbook's ``targets`` sheet as scenario.yaml ``targets:`` mappings.

    One target per row (columns id, materials, exclude, rate, scope, or their Chinese headers);
    blank rows are skipped, a blank cell leaves its key out (the default applies). The rules on
    the values are those of scenario.yaml (``parkflow.io.checks.check_targets``).
    """
    frame = drop_empty_rows(drop_unnamed_empty_columns(df))
    frame.columns = [TARGETS_SHEET.resolve_header(c) for c in frame.columns]
    known = set(TARGETS_SHEET.column_names)
    for column in frame.columns:
        if column not in known:
            problems.add(
                label,
                f"unknown column '{column}'",
                fix=f"use the columns {', '.join(TARGETS_SHEET.column_names)}",
            )
    out: list[dict[str, Any]] = []
    for row in frame.to_dict("records"):
        item: dict[str, Any] = {}
        for key, value in row.items():
            if key not in known or is_blank(value):
                continue
            if key in ("materials", "exclude"):
                parts = _split_cell_list(value)
                item[key] = parts[0] if key == "materials" and len(parts) == 1 else parts
            elif key == "rate_by_year":  # issue 12: "2025:0.78;2030:0.82"
                pairs = [part.split(":", 1) for part in _split_cell_list(value)]
                item[key] = {p[0].strip(): (p[1].strip() if len(p) > 1 else "") for p in pairs}
            elif isinstance(value, str):
                item[key] = value.strip()
            else:
                item[key] = value.item() if isinstance(value, np.generic) else value
        if item:
            out.append(item)
    return out


def _sheet(sheets: dict[str, pd.DataFrame], schema: TableSchema) -> str | None:
    """The name of the sheet holding ``schema``'s table.

    The exact name first, then the name in any case or a Chinese name.
    """
    if schema.name in sheets:
        return schema.name
    return next((s for s in sheets if schema.matches_sheet(s)), None)


def _open_workbook(path: Path, problems: Problems) -> dict[str, pd.DataFrame] | None:
    book = path.name
    if not zipfile.is_zipfile(path):
        problems.add(
            book,
            "the file is not an Excel workbook (.xlsx is a zip archive; this file is not one)",
            fix="open it in Excel or WPS and save it as 'Excel Workbook "
            "(*.xlsx)'; for CSV files, give the folder that holds them",
        )
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            sheets = pd.read_excel(path, sheet_name=None, dtype=object, engine="openpyxl")
    except Exception as exc:  # openpyxl raises many kinds on a broken file
        problems.add(
            book,
            f"the workbook cannot be read: {type(exc).__name__}: {exc}",
            fix="open it in Excel or WPS and save it again as .xlsx",
        )
        return None
    if not sheets:
        problems.add(
            book,
            "the workbook has no sheets",
            fix="add the sheets scenario, enterprises, supplies and uses "
            "(see docs/scenario-format.md)",
        )
        return None
    return {str(k).strip(): v for k, v in sheets.items()}


def read_workbook(path: Path, problems: Problems) -> RawScenario | None:
    """Read a scenario workbook's sheets into a :class:`RawScenario` (problems collected).

    None (with a problem naming the file) when the file is not a workbook, cannot be opened or
    has no sheets.
    """
    book = path.name
    sheets = _open_workbook(path, problems)
    if sheets is None:
        return None
    found = {
        name: _sheet(sheets, ALL_TABLES.get(name) or ALL_TABLES[f"catalogue:{name}"])
        for name in (*DATA_TABLES, "parks", *CATALOGUE_FILES)
    }
    files = {name: f"{book}[{found[name] or name}]" for name in found}
    scenario_sheet = _sheet(sheets, SCENARIO_SHEET)
    if scenario_sheet is None and not any(found.values()):
        listed = ", ".join(f"'{k}'" for k in sheets)
        problems.add(
            book,
            f"the workbook holds no scenario sheet (its sheets: {listed})",
            fix="name the sheets scenario, enterprises, supplies, uses (or 情景, 企业, "
            "产生, 利用), as docs/scenario-format.md shows",
        )
        return None
    config_file = f"{book}[{scenario_sheet or 'scenario'}]"
    if scenario_sheet is not None:
        raw = sheets[scenario_sheet]
        # the header row is the first key row when the sheet has no 'key | value' header
        header = [_SHEET_HEADER.get(str(c).strip().lower()) for c in raw.columns[:2]]
        if header != ["key", "value"]:
            raw = pd.concat([pd.DataFrame([list(raw.columns)], columns=raw.columns), raw])
        config = _config_from_sheet(raw.reset_index(drop=True), config_file, problems)
    else:
        problems.add(
            book,
            "missing sheet 'scenario' (key | value rows)",
            fix="add a sheet named 'scenario' (or 情景) with at least the row name | <name>",
        )
        config = {}
    targets_sheet = _sheet(sheets, TARGETS_SHEET)
    if targets_sheet is not None:
        label = f"{book}[{targets_sheet}]"
        rows = targets_from_sheet(sheets[targets_sheet], label, problems)
        if rows and "targets" in config:
            problems.add(
                label,
                "targets are given twice: in this sheet and in the scenario sheet's 'targets' row",
                fix="keep one of them (the targets sheet)",
            )
        elif rows:
            config["targets"] = rows
    tables: dict[str, pd.DataFrame | None] = {}
    for name in DATA_TABLES:
        schema = TABLES[name]
        sheet = found[name]
        if sheet is not None:
            df = sheets[sheet]
            df.columns = [str(c).strip() for c in df.columns]
            tables[name] = drop_empty_rows(drop_unnamed_empty_columns(df))
        else:
            tables[name] = None
            if schema.required_table:
                names = ", ".join(f"'{a}'" for a in (name, *schema.aliases))
                problems.add(
                    book,
                    f"missing sheet '{name}'",
                    fix=f"add a sheet {names} with the columns "
                    f"{', '.join(schema.required_columns)}",
                )
    tables["parks"] = None
    if found["parks"] is not None:
        parks = sheets[found["parks"]].copy()
        parks.columns = [str(c).strip() for c in parks.columns]
        if "geometry" in parks.columns:
            geoms: list[Any] = []
            for pos, wkt in enumerate(parks["geometry"]):
                if is_blank(wkt):
                    geoms.append(None)
                    continue
                try:
                    geoms.append(shapely.from_wkt(str(wkt)))
                except shapely.errors.ShapelyError as exc:
                    problems.add(
                        files["parks"],
                        f"the geometry is not valid WKT ({exc})",
                        fix="write e.g. POLYGON ((104 30.6, 104.1 30.6, 104.1 30.7, "
                        "104 30.6)) or leave the cell empty",
                        row=excel_row(pos),
                        column="geometry",
                    )
                    geoms.append(None)
            parks["geometry"] = pd.Series(geoms, index=parks.index, dtype=object)
        tables["parks"] = drop_empty_rows(parks)
    for name in CATALOGUE_FILES:
        sheet = found[name]
        tables[name] = sheets[sheet] if sheet is not None else None
    # optional tables (issue 12: facilities; trajectories with periods) and the scenario's
    # technology rows, read when their sheet is there, as read_folder reads their files
    optional = [n for n in TABLES if n not in DATA_TABLES and n != "parks"]
    for name, schema in [(n, TABLES[n]) for n in optional] + [
        ("technologies", ALL_TABLES["catalogue:technologies"])
    ]:
        sheet = _sheet(sheets, schema)
        if sheet is None:
            continue
        df = sheets[sheet]
        df.columns = [str(c).strip() for c in df.columns]
        tables[name] = drop_empty_rows(drop_unnamed_empty_columns(df))
        files[name] = f"{book}[{sheet}]"
    return RawScenario(
        config=config, config_file=config_file, tables=tables, files=files, source=path
    )


def read_source(path: Path, problems: Problems) -> RawScenario | None:
    """Read a scenario folder or workbook (None, with a problem, when it is neither)."""
    if not path.exists():
        problems.add(
            str(path),
            "no such file or folder",
            fix="give a scenario folder (holding scenario.yaml) or an .xlsx workbook",
        )
        return None
    if path.is_dir():
        return read_folder(path, problems)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return read_workbook(path, problems)
    problems.add(
        path.name,
        f"cannot read a scenario from a '{path.suffix}' file",
        fix="give a scenario folder, an .xlsx workbook or a layout-variant .yaml",
    )
    return None
