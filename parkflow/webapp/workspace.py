"""The workspace folder: projects, their workbooks, runs and variants. Nothing is written elsewhere.

Layout (every name below is made by the server, never taken from the user)::

    <workspace>/
      projects/<pid>/
        project.json          name, origin, created
        base.xlsx             the scenario as opened (a bundled scenario, a folder, an upload)
        work.xlsx             the edited copy (the table editor rewrites its table sheets)
        variants/<slug>.yaml  layout-variant overlays of base.xlsx (see docs/maps.md)
        runs/<rid>/           one solve: report.*, map.html, scenario.xlsx, summary.json ...
        compares/<cid>/       one comparison: compare.html, differences.csv, indicators.csv

A project's working form is a workbook because an upload is one, and because a workbook that
does not validate can still be shown and edited: problems name the sheet, the spreadsheet row and
the column, which the editor turns into a link to the cell.
"""

from __future__ import annotations

import csv
import datetime as _dt
import json
import math
import os
import re
import secrets
import shutil
import tempfile
from pathlib import Path
from typing import Any

import openpyxl
import yaml

import parkflow as pf
import parkflow.webapp._deps as _deps
from parkflow.models.schema import TARGETS_SHEET

TABLES = ("enterprises", "supplies", "uses", "stockpiles", "links", "facilities")
#: Tables a layout-variant overlay carries (docs/maps.md); facilities are not among them.
OVERLAY_TABLES = ("enterprises", "supplies", "uses", "stockpiles", "links")
#: Tables a scenario folder may hold that parkflow's workbook does not (yet) read: the web app
#: keeps them as sheets of work.xlsx and hands them to the loader as CSV files of a folder.
FOLDER_ONLY = {"facilities": "facilities.csv", "technologies": "technologies.csv"}
#: scenario.yaml keys the settings form shows generically (the others have their own fields).
OWN_FIELDS = ("name", "description", "targets", "modes", "objective", "solver")
ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
_NUMBER = re.compile(r"^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?$")


class WorkspaceError(ValueError):
    """A request the workspace refuses (unknown project, a path outside the workspace...)."""


def slug(text: str, fallback: str = "item") -> str:
    """A safe file-name part made from ``text`` (ASCII letters, digits and dashes)."""
    s = re.sub(r"[^a-z0-9]+", "-", str(text).lower()).strip("-")[:40]
    return s or fallback


def new_id(text: str = "") -> str:
    """A fresh id: the slug of ``text`` and a random suffix."""
    return f"{slug(text, 'p')[:30]}-{secrets.token_hex(3)}"


def check_id(ident: str) -> str:
    """Return ``ident`` when it is a well-formed id, else raise :class:`WorkspaceError`."""
    if not isinstance(ident, str) or not ID_RE.match(ident):
        msg = f"not a valid id: {ident!r}"
        raise WorkspaceError(msg)
    return ident


def _cell(value: Any) -> Any:
    """A workbook cell as JSON (numbers, text, booleans or None)."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return None if math.isnan(value) else value
    if isinstance(value, (_dt.datetime, _dt.date)):
        return value.isoformat()
    return str(value)


def coerce(value: Any) -> Any:
    """A value sent by the editor, as it is written into a cell (a number when it is one)."""
    if value is None or isinstance(value, (bool, int, float)):
        return value
    text = str(value).strip()
    if text == "":
        return None
    if _NUMBER.match(text):
        number = float(text)
        return (
            int(number)
            if number.is_integer() and "." not in text and "e" not in text.lower()
            else number
        )
    return text


def _sheet_for(wb: openpyxl.Workbook, table: str) -> str | None:
    if table in wb.sheetnames:
        return table
    for name in wb.sheetnames:  # e.g. "企业 enterprises" in a bilingual template
        if table in name.lower():
            return name
    return None


def read_tables(workbook: Path) -> dict[str, dict[str, Any]]:
    """The editable tables of a workbook: ``{table: {"sheet", "columns", "rows"}}``.

    Rows are lists of JSON values in column order; row ``k`` (0-based) is spreadsheet row k + 2.
    A table without a sheet comes back with no columns and no rows.
    """
    wb = openpyxl.load_workbook(workbook, read_only=True, data_only=True)
    out: dict[str, dict[str, Any]] = {}
    try:
        for table in TABLES:
            sheet = _sheet_for(wb, table)
            if sheet is None:
                out[table] = {"sheet": table, "columns": default_columns(table), "rows": []}
                continue
            values = list(wb[sheet].iter_rows(values_only=True))
            header = [str(c) if c is not None else "" for c in (values[0] if values else ())]
            while header and header[-1] == "":
                header.pop()
            rows = [[_cell(v) for v in row[: len(header)]] for row in values[1:]]
            rows = [
                r + [None] * (len(header) - len(r))
                for r in rows
                if any(v not in (None, "") for v in r)
            ]
            out[table] = {"sheet": sheet, "columns": header, "rows": rows}
    finally:
        wb.close()
    return out


def default_columns(table: str) -> list[str]:
    """The columns of an absent table: its declared columns for ``facilities``, else none."""
    if table != "facilities":
        return []
    from parkflow.models.schema import TABLES as SCHEMAS

    return ["id", *SCHEMAS["facilities"].column_names, "note"]


def _atomic_save(wb: openpyxl.Workbook, path: Path) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.tmp-", suffix=".xlsx", dir=path.parent)
    os.close(fd)
    try:
        wb.save(tmp)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def write_tables(workbook: Path, tables: dict[str, Any]) -> None:
    """Replace the sheets of ``tables`` (``{table: {"columns", "rows"}}``) in ``workbook``."""
    wb = openpyxl.load_workbook(workbook)
    for table, data in tables.items():
        if table not in TABLES:
            msg = f"unknown table {table!r}; editable: {', '.join(TABLES)}"
            raise WorkspaceError(msg)
        columns = [str(c) for c in data.get("columns", [])]
        rows = data.get("rows", [])
        sheet = _sheet_for(wb, table)
        if sheet is not None:
            index = wb.sheetnames.index(sheet)
            del wb[sheet]
            ws = wb.create_sheet(sheet, index)
        else:
            ws = wb.create_sheet(table)
        ws.append(columns)
        for row in rows:
            if not isinstance(row, list):
                msg = f"{table}: each row must be a list of cells"
                raise WorkspaceError(msg)
            ws.append([coerce(v) for v in row[: len(columns)]])
    _atomic_save(wb, workbook)


def _config_sheet(wb: openpyxl.Workbook) -> Any:
    for name in ("scenario", "settings"):
        if name in wb.sheetnames:
            return wb[name]
    return None


def read_settings(workbook: Path) -> dict[str, Any]:
    """Targets, objective and solver settings from the workbook's ``scenario`` sheet."""
    wb = openpyxl.load_workbook(workbook, read_only=True, data_only=True)
    try:
        ws = _config_sheet(wb)
        config: dict[str, Any] = {}
        if ws is not None:
            for row in list(ws.iter_rows(values_only=True))[1:]:
                if row and row[0] is not None:
                    config[str(row[0])] = row[1] if len(row) > 1 else None
        sheet_targets = _read_targets_sheet(wb)
    finally:
        wb.close()

    def parsed(value: Any) -> Any:
        if isinstance(value, str):
            try:
                return yaml.safe_load(value)
            except yaml.YAMLError:
                return value
        return value

    # the workbook writer flattens a mapping into dotted rows (solver.name | highs): nest them
    config = _nested(config)
    extra = {
        key: _flow(config[key])
        for key in setting_keys()
        if key in config and config[key] not in (None, "")
    }
    solver = parsed(config.get("solver")) or {}
    targets = sheet_targets if sheet_targets is not None else parsed(config.get("targets"))
    return {
        "name": str(config.get("name") or ""),
        "objective": str(config.get("objective") or "cost"),
        "time_limit_s": float(solver.get("time_limit_s", 60.0))
        if isinstance(solver, dict)
        else 60.0,
        "gap": float(solver.get("gap", 0.001)) if isinstance(solver, dict) else 0.001,
        "extra": extra,
        "targets": [
            {  # the form edits rate and scope; basis, year, enforce... are kept as they are
                **{
                    k: v if isinstance(v, (dict, list)) else _cell(v)
                    for k, v in t.items()
                    if k in TARGETS_SHEET.column_names
                },
                "id": str(t.get("id", "")),
                "materials": t.get("materials", ""),
                "exclude": t.get("exclude", []),
                "rate": t.get("rate"),
                "scope": str(t.get("scope", "all")),
            }
            for t in (targets if isinstance(targets, list) else [])
            if isinstance(t, dict)
        ],
    }


def _nested(config: dict[str, Any]) -> dict[str, Any]:
    """``{"solver.gap": 0.1}`` as ``{"solver": {"gap": 0.1}}`` (as the loader reads the sheet)."""
    out: dict[str, Any] = {}
    for key, value in config.items():
        parts = key.split(".")
        target = out
        for part in parts[:-1]:
            inner = target.get(part)
            if not isinstance(inner, dict):
                inner = {}
                target[part] = inner
            target = inner
        if isinstance(target.get(parts[-1]), dict) and isinstance(value, str):
            try:  # a whole mapping row next to dotted rows: merged, the dotted ones win
                loaded = yaml.safe_load(value)
            except yaml.YAMLError:
                loaded = None
            if isinstance(loaded, dict):
                target[parts[-1]] = {**loaded, **target[parts[-1]]}
                continue
        target[parts[-1]] = value
    return out


def _flow(value: Any) -> Any:
    """A setting as the form shows it: a mapping or list as YAML flow text, else the cell."""
    if isinstance(value, (dict, list)):
        return yaml.safe_dump(
            value, allow_unicode=True, default_flow_style=True, width=10**6
        ).strip()
    return _cell(value)


def write_settings(workbook: Path, settings: dict[str, Any]) -> None:
    """Write objective, solver time limit and gap, and the targets into the ``scenario`` sheet."""
    wb = openpyxl.load_workbook(workbook)
    ws = _config_sheet(wb)
    if ws is None:
        ws = wb.create_sheet("scenario", 0)
        ws.append(["key", "value"])
    rows = {str(r[0].value): r for r in ws.iter_rows(min_row=2) if r[0].value is not None}

    def put(key: str, value: Any) -> None:
        text = (
            value
            if isinstance(value, str)
            else yaml.safe_dump(
                value, allow_unicode=True, default_flow_style=True, width=10**6
            ).strip()
        )
        if key in rows:
            rows[key][1].value = text
        else:
            ws.append([key, text])

    def dotted(key: str) -> list[int]:
        """The rows of ``key.*`` (a mapping the workbook writer flattened)."""
        return [r[0].row for k, r in rows.items() if k.startswith(f"{key}.")]

    old = _nested({k: r[1].value for k, r in rows.items()})
    old_solver = old.get("solver")
    if isinstance(old_solver, str):
        try:
            old_solver = yaml.safe_load(old_solver) or {}
        except yaml.YAMLError:
            old_solver = {}
    drop: list[int] = []
    if "objective" in settings:
        put("objective", str(settings["objective"]))
    if "time_limit_s" in settings or "gap" in settings:
        solver = dict(old_solver) if isinstance(old_solver, dict) else {}
        for key in ("time_limit_s", "gap"):
            if settings.get(key) is not None:
                solver[key] = float(settings[key])
        put("solver", solver)
        drop += dotted("solver")  # one row now holds the whole mapping
    for key, value in (settings.get("extra") or {}).items():
        if key not in setting_keys():
            msg = f"unknown setting {key!r}"
            raise WorkspaceError(msg)
        value = coerce(value)
        if value == _flow(old.get(key)) and key not in rows:
            continue  # a flattened mapping shown as text and not changed: its rows stay
        drop += dotted(key)
        if value is None:
            if key in rows:
                drop.append(rows[key][0].row)
        elif isinstance(value, str):
            put(key, value)  # a list or mapping as YAML flow text, e.g. [2025, 2030]
        elif key in rows:
            rows[key][1].value = value
        else:
            ws.append([key, value])
    if "targets" in settings:
        targets = []
        for t in settings["targets"]:
            entry = {
                **{
                    k: t[k]
                    for k in ("basis", "year", "enforce", "rate_by_year")
                    if t.get(k) not in (None, "")
                },
                "id": str(t.get("id", "")),
                "materials": t.get("materials") or "bulk_solid_waste",
                "rate": coerce(t.get("rate")),
                "scope": str(t.get("scope") or "all"),
            }
            if t.get("exclude"):
                entry["exclude"] = list(t["exclude"])
            targets.append(entry)
        _write_targets_sheet(wb, targets)
        if "targets" in rows:  # one place only: the targets sheet (no YAML in a cell)
            drop.append(rows["targets"][0].row)
    for row in sorted(set(drop), reverse=True):
        ws.delete_rows(row)
    _atomic_save(wb, workbook)


def setting_keys() -> list[str]:
    """The scenario.yaml keys of the generic settings form: every declared one but OWN_FIELDS."""
    from parkflow.models.schema import SETTINGS

    return [k for k in SETTINGS if k not in OWN_FIELDS]


def setting_schema() -> list[dict[str, Any]]:
    """The declarations of :func:`setting_keys` as JSON, for the page to build its form from.

    The form follows the schema: a key declared in ``parkflow.models.schema.SETTINGS`` (e.g.
    ``periods`` or ``discount_rate``) appears without a change here.
    """
    from parkflow.models.schema import SETTINGS

    out = []
    for key in setting_keys():
        s = SETTINGS[key]
        default = s.default
        if isinstance(default, float) and not math.isfinite(default):
            default = None
        elif not isinstance(default, (str, int, float, bool, type(None))):
            default = yaml.safe_dump(default, default_flow_style=True).strip()
        out.append(
            {
                "name": s.name,
                "type": s.type,
                "default": default,
                "doc": s.doc,
                "unit": s.unit,
                "minimum": s.minimum,
                "maximum": s.maximum,
                "choices": list(s.choices),
            }
        )
    return out


def _targets_sheet_name(wb: openpyxl.Workbook) -> str | None:
    for name in wb.sheetnames:
        if TARGETS_SHEET.matches_sheet(name):
            return name
    return None


def _read_targets_sheet(wb: openpyxl.Workbook) -> list[dict[str, Any]] | None:
    """The targets sheet's rows (headers in English or Chinese), or None without one."""
    name = _targets_sheet_name(wb)
    if name is None:
        return None
    rows = list(wb[name].iter_rows(values_only=True))
    if not rows:
        return []
    header = [TARGETS_SHEET.resolve_header(str(h)) if h is not None else "" for h in rows[0]]
    out = []
    for row in rows[1:]:
        item = {k: v for k, v in zip(header, row, strict=False) if k and v not in (None, "")}
        for key in ("exclude",):
            if isinstance(item.get(key), str):
                item[key] = [x.strip() for x in item[key].split(";") if x.strip()]
        if item:
            out.append(item)
    return out


def _write_targets_sheet(wb: openpyxl.Workbook, targets: list[dict[str, Any]]) -> None:
    """Replace the targets sheet with one row per target (``materials`` a list or a text)."""
    name = _targets_sheet_name(wb)
    index = len(wb.sheetnames)
    if name is not None:
        index = wb.sheetnames.index(name)
        del wb[name]
    ws = wb.create_sheet("targets", index)
    frame = _deps.targets_frame(targets)  # every field of the targets sheet (basis, year...)
    ws.append(list(frame.columns))
    for row in frame.itertuples(index=False):
        ws.append([None if v == "" else v for v in row])


# ---------------------------------------------------------------------------------------------
# problems
# ---------------------------------------------------------------------------------------------
def problem_dict(p: Any) -> dict[str, Any]:
    """A :class:`parkflow.errors.Problem` as JSON, with the editor table it points at."""
    file = str(p.file)
    table = None
    m = re.search(r"\[([^\]]+)\]$", file)
    name = (m.group(1) if m else Path(file).stem).lower()
    for t in TABLES:
        if name == t or t in name:
            table = t
    return {
        "file": file,
        "table": table,
        "row": p.row,
        "column": p.column,
        "message": str(p.message),
        "fix": str(p.fix or ""),
    }


def dedupe(problems: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The problems without repeats (the loader can report one problem twice)."""
    seen, out = set(), []
    for p in problems:
        key = json.dumps(p, sort_keys=True, ensure_ascii=False)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out


def validate(path: Path) -> tuple[Any, list[dict[str, Any]]]:
    """:func:`parkflow.validate` with the problems as JSON."""
    try:
        scenario, problems = pf.validate(path)
    except pf.ScenarioError as exc:
        return None, dedupe([problem_dict(p) for p in exc.problems])
    return scenario, dedupe([problem_dict(p) for p in problems])


def _sheet_rows(wb: openpyxl.Workbook, table: str) -> tuple[list[str], list[list[Any]]] | None:
    """The header and the non-empty rows of ``table``'s sheet, or None without one."""
    sheet = _sheet_for(wb, table)
    if sheet is None:
        return None
    values = list(wb[sheet].iter_rows(values_only=True))
    header = [str(c) if c is not None else "" for c in (values[0] if values else ())]
    while header and header[-1] == "":
        header.pop()
    rows = [list(r[: len(header)]) for r in values[1:] if any(v not in (None, "") for v in r)]
    return header, rows


def _write_csv(path: Path, header: list[str], rows: list[list[Any]]) -> None:
    def text(v: Any) -> str:
        if v is None:
            return ""
        if isinstance(v, bool):
            return "true" if v else "false"
        return str(v)

    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(header)
        for row in rows:
            w.writerow([text(v) for v in row] + [""] * (len(header) - len(row)))


def _append_sheet(wb: openpyxl.Workbook, table: str, header: list[str], rows: list[Any]) -> None:
    sheet = _sheet_for(wb, table)
    if sheet is not None:
        del wb[sheet]
    ws = wb.create_sheet(table)
    ws.append(header)
    for row in rows:
        ws.append([coerce(v) for v in row])


def add_folder_only_sheets(workbook: Path, folder: Path | None, scenario: Any = None) -> None:
    """Copy a folder's ``facilities.csv`` / ``technologies.csv`` into sheets of ``workbook``.

    The workbook writer leaves these tables out, so the web app keeps them as sheets of its
    own (:data:`FOLDER_ONLY`); without the files, ``scenario.facilities`` is written instead.
    """
    wb = openpyxl.load_workbook(workbook)
    changed = False
    for table, file in FOLDER_ONLY.items():
        f = folder / file if folder is not None else None
        if f is not None and f.is_file():
            header, rows = _deps.read_csv_rows(f)
        elif table == "facilities" and getattr(scenario, "facilities", None) is not None:
            df = scenario.facilities
            header = ["id", *[str(c) for c in df.columns]]
            rows = [
                [str(i), *[_cell(v) for v in r]]
                for i, r in zip(df.index, df.itertuples(index=False), strict=True)
            ]
        else:
            continue
        _append_sheet(wb, table, header, rows)
        changed = True
    if changed:
        _atomic_save(wb, workbook)


def folder_files(folder: Path) -> dict[str, str]:
    """The sheets :func:`folder_to_workbook` makes of ``folder`` → the file each comes from.

    >>> folder_files(pf.bundled_scenario_path("leshan-wutongqiao"))["uses"]
    'uses.csv'
    """
    out = {"scenario": "scenario.yaml", "targets": "scenario.yaml"}
    files = {t: f"{t}.csv" for t in OVERLAY_TABLES} | FOLDER_ONLY | _deps.catalogue_files()
    out |= {table: file for table, file in files.items() if (folder / file).is_file()}
    if (folder / "parks.geojson").is_file():
        out["parks"] = "parks.geojson"
    return out


def own_files(problems: list[dict[str, Any]], files: dict[str, str]) -> list[dict[str, Any]]:
    """Problems of a workbook sheet renamed to the user's file it was copied from.

    A project opened from an invalid folder is validated as its workbook, whose problems name
    ``work.xlsx[uses]``; the user's file is ``uses.csv`` (same rows: :func:`folder_to_workbook`
    copies cell by cell), as ``parkflow validate`` says.

    >>> own_files([{"file": "/w/work.xlsx[uses]", "row": 4}], {"uses": "uses.csv"})
    [{'file': 'uses.csv', 'row': 4}]
    """
    out = []
    for p in problems:
        m = re.search(r"\.xlsx\[([^\]]+)\]$", str(p.get("file", "")))
        sheet = m.group(1) if m else None
        out.append(p | {"file": files[sheet]} if sheet in files else p)
    return out


def folder_to_workbook(folder: Path, workbook: Path) -> str:
    """A scenario folder's files, cell by cell, as a workbook; return the scenario's name.

    No validation: this is for a folder that does not load, so that its problems can be fixed
    in the editor.

    ``scenario.yaml`` becomes the ``scenario`` and ``targets`` sheets, each CSV file a sheet of
    the same name (rows unchanged, so a problem's row is the same in both), ``parks.geojson``
    the ``parks`` sheet (geometry as WKT).
    """
    config: dict[str, Any] = {}
    f = folder / "scenario.yaml"
    if f.is_file():
        try:
            loaded = yaml.safe_load(f.read_text(encoding="utf-8"))
        except (yaml.YAMLError, UnicodeDecodeError):
            loaded = None
        config = loaded if isinstance(loaded, dict) else {}
    name = str(config.get("name") or folder.name)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "scenario"
    ws.append(["key", "value"])
    for key, value in config.items():
        if key == "targets":
            continue
        if isinstance(value, (dict, list)):
            value = yaml.safe_dump(
                value, allow_unicode=True, default_flow_style=True, width=10**6
            ).strip()
        ws.append([str(key), _cell(value)])
    targets = config.get("targets")
    if isinstance(targets, list):
        _write_targets_sheet(wb, [t for t in targets if isinstance(t, dict)])
    for table, file in folder_files(folder).items():
        if file.endswith(".csv"):
            header, rows = _deps.read_csv_rows(folder / file)
            _append_sheet(wb, table, header, rows)
    if (folder / "parks.geojson").is_file():
        parks = _deps.geojson_rows(folder / "parks.geojson")
        if parks is not None:
            _append_sheet(wb, "parks", *parks)
    _atomic_save(wb, workbook)
    return name


def validate_project(work: Path) -> tuple[Any, list[dict[str, Any]], Path]:
    """Validate a project's ``work.xlsx`` with its folder-only sheets (:data:`FOLDER_ONLY`).

    Without such sheets this is :func:`validate` of the workbook. With them, the workbook that
    validates is saved as the folder ``<stem>.assembled/`` next to it, the sheets are written
    into it as CSV files and the folder is validated: facility problems name ``facilities.csv``
    and the row of the sheet.

    A project opened from an invalid folder (its ``project.json`` has ``files``) has its
    problems name the folder's own files (:func:`own_files`).

    Returns
    -------
    scenario or None, problems, path
        ``path`` is what a solve loads: the workbook, or the assembled folder.
    """
    scenario, problems, path = _validate_workbook(work)
    meta = work.parent / "project.json"
    files = json.loads(meta.read_text(encoding="utf-8")).get("files") if meta.is_file() else None
    return scenario, own_files(problems, files) if files else problems, path


def _validate_workbook(work: Path) -> tuple[Any, list[dict[str, Any]], Path]:
    scenario, problems = validate(work)
    wb = openpyxl.load_workbook(work, read_only=True, data_only=True)
    extra: dict[str, tuple[list[str], list[list[Any]]]] = {}
    try:
        for t in FOLDER_ONLY:
            sheet = _sheet_rows(wb, t)
            if sheet is not None and sheet[1]:
                extra[t] = sheet
    finally:
        wb.close()
    if scenario is None or not extra:
        return scenario, problems, work
    folder = work.parent / f"{work.stem}.assembled"
    if folder.exists():
        shutil.rmtree(folder)
    pf.save_scenario(scenario, folder)
    for table, (header, rows) in extra.items():
        _write_csv(folder / FOLDER_ONLY[table], header, rows)
    scenario2, problems2 = validate(folder)
    if scenario2 is None:
        return None, dedupe(problems + problems2), folder
    own = [p for p in problems2 if p["table"] == "facilities" or p["file"] in FOLDER_ONLY.values()]
    return scenario2, dedupe(problems + own), folder


# ---------------------------------------------------------------------------------------------
# the workspace
# ---------------------------------------------------------------------------------------------
class Workspace:
    """Projects kept under one folder; every path handed out is checked to lie inside it."""

    def __init__(self, root: str | Path):
        self.root = Path(root).resolve()
        self.root.mkdir(parents=True, exist_ok=True)
        (self.root / "projects").mkdir(exist_ok=True)

    # -- paths --------------------------------------------------------------------------------
    def inside(self, path: str | Path) -> Path:
        """``path`` resolved; :class:`WorkspaceError` when it lies outside the workspace."""
        p = (self.root / path).resolve() if not Path(path).is_absolute() else Path(path).resolve()
        if p != self.root and self.root not in p.parents:
            msg = "that path lies outside the workspace"
            raise WorkspaceError(msg)
        return p

    def project_dir(self, pid: str) -> Path:
        """The folder of project ``pid`` (which must exist)."""
        d = self.root / "projects" / check_id(pid)
        if not (d / "project.json").is_file():
            msg = f"no project {pid!r}"
            raise WorkspaceError(msg)
        return d

    # -- listing --------------------------------------------------------------------------------
    def projects(self) -> list[dict[str, Any]]:
        """Every project's metadata, newest first."""
        out = []
        for d in (self.root / "projects").iterdir():
            meta = d / "project.json"
            if meta.is_file():
                try:
                    out.append(json.loads(meta.read_text(encoding="utf-8")))
                except (OSError, ValueError):
                    continue
        return sorted(out, key=lambda m: m.get("created", ""), reverse=True)

    def folders(self) -> list[str]:
        """Scenarios the user put in the workspace: folders with a scenario.yaml, .xlsx files."""
        out = []
        for p in sorted(self.root.rglob("*")):
            rel = p.relative_to(self.root)
            if rel.parts and rel.parts[0] == "projects" or len(rel.parts) > 3:
                continue
            if (p.is_dir() and (p / "scenario.yaml").is_file()) or (
                p.is_file()
                and p.suffix.lower() in (".xlsx", ".yaml", ".yml")
                and not p.name.startswith((".", "~$"))
            ):
                out.append(rel.as_posix())
        return out

    # -- creating ------------------------------------------------------------------------------
    def _create(self, name: str, origin: str) -> tuple[str, Path]:
        pid = new_id(name)
        d = self.root / "projects" / pid
        d.mkdir(parents=True)
        meta = {
            "id": pid,
            "name": name,
            "origin": origin,
            "created": _dt.datetime.now().isoformat(timespec="seconds"),
        }
        (d / "project.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        return pid, d

    def open_scenario(self, path: Path, origin: str) -> tuple[str, list[dict[str, Any]]]:
        """Make a project from a scenario folder, workbook or overlay (validated like the CLI).

        Returns the project id and the problems. An invalid folder or overlay cannot become a
        project (raises :class:`pf.ScenarioError`); an invalid workbook can, to be fixed in the
        editor.
        """
        path = Path(path)
        if path.is_file() and path.suffix.lower() == ".xlsx":
            return self.add_workbook(path.read_bytes(), path.name, origin)
        try:
            scenario = pf.load_scenario(path)
        except pf.ScenarioError:
            if not (path.is_dir() and (path / "scenario.yaml").is_file()):
                raise
            return self._open_invalid_folder(path, origin)
        pid, d = self._create(scenario.name, origin)
        pf.save_scenario(scenario, d / "base.xlsx")
        add_folder_only_sheets(d / "base.xlsx", path if path.is_dir() else None, scenario)
        shutil.copyfile(d / "base.xlsx", d / "work.xlsx")
        return pid, []

    def _open_invalid_folder(self, path: Path, origin: str) -> tuple[str, list[dict[str, Any]]]:
        """A folder that does not validate, copied cell by cell into a project to be fixed."""
        pid, d = self._create(path.name, origin)
        try:
            name = folder_to_workbook(path, d / "base.xlsx")
        except Exception:
            shutil.rmtree(d)
            raise
        self._set_meta(pid, name=name, files=folder_files(path))
        shutil.copyfile(d / "base.xlsx", d / "work.xlsx")
        _, problems, _ = validate_project(d / "work.xlsx")
        return pid, problems

    def add_workbook(
        self, data: bytes, filename: str, origin: str
    ) -> tuple[str, list[dict[str, Any]]]:
        """Make a project from an uploaded workbook; return its id and its problems."""
        stem = Path(filename).stem or "upload"
        pid, d = self._create(stem, origin)
        (d / "base.xlsx").write_bytes(data)
        try:
            openpyxl.load_workbook(d / "base.xlsx", read_only=True).close()
        except Exception as exc:
            shutil.rmtree(d)
            msg = f"{filename} is not an .xlsx workbook ({exc})"
            raise WorkspaceError(msg) from None
        shutil.copyfile(d / "base.xlsx", d / "work.xlsx")
        scenario, problems, _ = validate_project(d / "work.xlsx")
        if scenario is not None:
            self._set_meta(pid, name=scenario.name)
        return pid, problems

    def _set_meta(self, pid: str, **changes: Any) -> dict[str, Any]:
        f = self.project_dir(pid) / "project.json"
        meta = json.loads(f.read_text(encoding="utf-8"))
        meta.update(changes)
        f.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        return meta

    def meta(self, pid: str) -> dict[str, Any]:
        """The project's metadata."""
        return json.loads((self.project_dir(pid) / "project.json").read_text(encoding="utf-8"))

    # -- variants ------------------------------------------------------------------------------
    def variants(self, pid: str) -> list[dict[str, str]]:
        """The project's saved variants (``id`` = file stem, ``name``)."""
        d = self.project_dir(pid) / "variants"
        out = []
        for f in sorted(d.glob("*.yaml")) if d.is_dir() else []:
            try:
                name = (yaml.safe_load(f.read_text(encoding="utf-8")) or {}).get("name", f.stem)
            except yaml.YAMLError:
                name = f.stem
            out.append({"id": f.stem, "name": str(name)})
        return out

    def scenario_path(self, pid: str, which: str) -> Path:
        """``base``, ``work`` or a variant id → the file to load."""
        d = self.project_dir(pid)
        if which in ("base", "work"):
            return d / f"{which}.xlsx"
        p = d / "variants" / f"{check_id(which)}.yaml"
        if not p.is_file():
            msg = f"no variant {which!r}"
            raise WorkspaceError(msg)
        return p

    def save_variant(self, pid: str, name: str) -> tuple[str, list[dict[str, Any]]]:
        """Save work.xlsx as an overlay of base.xlsx; return the variant id and its problems."""
        d = self.project_dir(pid)
        overlay = overlay_of(read_tables(d / "base.xlsx"), read_tables(d / "work.xlsx"))
        # with facilities the base is the assembled folder (the workbook reader skips them)
        base = d / "base.assembled"  # base.xlsx never changes: assembled once
        if not base.is_dir():
            base = validate_project(d / "base.xlsx")[2]
        overlay = {"base": f"../{base.name}", "name": str(name), **overlay}
        (d / "variants").mkdir(exist_ok=True)
        vid = slug(name, "variant")
        if vid in {v["id"] for v in self.variants(pid)}:
            vid = f"{vid[:50]}-{secrets.token_hex(2)}"
        target = d / "variants" / f"{vid}.yaml"
        text = (
            "# Layout variant saved by `parkflow serve` (an overlay of base.xlsx; "
            "see docs/maps.md)\n"
            + yaml.safe_dump(overlay, allow_unicode=True, sort_keys=False, width=100)
        )
        target.write_text(text, encoding="utf-8")
        _, problems = validate(target)
        return vid, problems


# ---------------------------------------------------------------------------------------------
# overlays: the difference of two sets of tables
# ---------------------------------------------------------------------------------------------
def _norm(value: Any) -> Any:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return float(value)
    v = coerce(value)
    return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else v


def _records(table: dict[str, Any]) -> dict[str, dict[str, Any]]:
    cols = table["columns"]
    out = {}
    for k, row in enumerate(table["rows"]):
        rec = {c: v for c, v in zip(cols, row, strict=False) if c and v not in (None, "")}
        ident = str(rec.pop("id", f"#{k + 2}"))  # a table without ids: its rows compare whole
        out[ident] = rec
    return out


def _same(a: dict[str, Any], b: dict[str, Any]) -> bool:
    keys = set(a) | set(b)
    return all(_norm(a.get(k)) == _norm(b.get(k)) for k in keys)


def overlay_of(base: dict[str, Any], work: dict[str, Any]) -> dict[str, Any]:
    """The ``add``/``move``/``remove`` sections that turn the ``base`` tables into ``work``.

    Parameters
    ----------
    base, work : dict
        As :func:`read_tables` returns them.

    Returns
    -------
    dict
        ``{"add": {...}, "move": {...}, "remove": {...}}`` (empty sections left out). A changed
        row is removed and added again under its id; an enterprise whose lon/lat alone changed
        is moved; an enterprise changed otherwise is removed and added with all its rows.
    """
    add: dict[str, list[Any]] = {}
    remove: dict[str, list[Any]] = {}
    move: list[dict[str, Any]] = []
    b = {t: _records(base[t]) for t in OVERLAY_TABLES}
    w = {t: _records(work[t]) for t in OVERLAY_TABLES}

    def row(ident: str, rec: dict[str, Any]) -> dict[str, Any]:
        return {"id": ident, **rec} if not ident.startswith("#") else dict(rec)

    readded: set[str] = set()
    for ident, rec in b["enterprises"].items():
        if ident not in w["enterprises"]:
            remove.setdefault("enterprises", []).append(ident)
            continue
        new = w["enterprises"][ident]
        if _same(rec, new):
            continue
        others = {k for k in set(rec) | set(new) if k not in ("lon", "lat")}
        if all(_norm(rec.get(k)) == _norm(new.get(k)) for k in others):
            move.append({"id": ident, "lon": new.get("lon"), "lat": new.get("lat")})
        else:
            remove.setdefault("enterprises", []).append(ident)
            add.setdefault("enterprises", []).append(row(ident, new))
            readded.add(ident)
    for ident, rec in w["enterprises"].items():
        if ident not in b["enterprises"]:
            add.setdefault("enterprises", []).append(row(ident, rec))

    def owners(table: str, rec: dict[str, Any]) -> set[str]:
        cols = ("from", "to") if table == "links" else ("enterprise",)
        return {str(rec.get(c)) for c in cols}

    for table in OVERLAY_TABLES[1:]:
        for ident, rec in b[table].items():
            if ident not in w[table]:
                if not owners(table, rec) & readded:
                    remove.setdefault(table, []).append(ident if not ident.startswith("#") else rec)
            elif not _same(rec, w[table][ident]) or owners(table, rec) & readded:
                if not owners(table, rec) & readded:
                    remove.setdefault(table, []).append(ident)
                add.setdefault(table, []).append(row(ident, w[table][ident]))
        for ident, rec in w[table].items():
            if ident not in b[table]:
                add.setdefault(table, []).append(row(ident, rec))
    out: dict[str, Any] = {}
    if add:
        out["add"] = add
    if move:
        out["move"] = {"enterprises": move}
    if remove:
        out["remove"] = remove
    return out
