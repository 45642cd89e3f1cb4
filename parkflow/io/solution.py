"""The solution folder: ``summary.json`` and the CSV tables, written and read back.

Files: ``summary.json`` (format 2: ``format_version``, ``parkflow_version``, status, solver,
objective and its parts, CO₂, targets, baseline, and the scenario reference), ``flows.csv`` (one
row per built link), ``utilisation.csv``, ``sources.csv``, ``draws.csv``, ``targets.csv``,
``diagnosis.csv``, ``diagnosis_facilities.csv``, and the existing-links-only baseline's
``baseline_flows.csv``, ``baseline_utilisation.csv`` and ``baseline_sources.csv`` (its targets
are in ``summary.json["baseline"]["targets"]``). CSVs are UTF-8 with BOM (Excel in China opens
them as they are). The layout of summary.json is the JSON Schema
``parkflow/data/summary.schema.json`` (docs/reporting.md, "summary.json").

The scenario is referenced by its path **relative to the output folder** (``scenario_path``,
POSIX separators), its name (``scenario``) and a content hash (``scenario_sha256``): an output
folder copied elsewhere together with its scenario still maps and reports.
:func:`scenario_path_of` is the one lookup of a folder's scenario.

:func:`read_solution` is the inverse of :func:`write_solution`; the result it gives holds the
built links only, typed as declared in :data:`OUTPUT_DTYPES` (``existing`` and ``met`` are bool),
and its ``baseline`` holds the baseline's flows, utilisation, sources and targets.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from parkflow.io.atomic import output_dir
from parkflow.models.result import OBJECTIVE_KEYS, Result, SolveStatus
from parkflow.models.scenario import Scenario
from parkflow.models.schema import OUTPUT_TABLES
from parkflow.statistics.summary import summary_dict

__all__ = [
    "write_solution",
    "write_solution_files",
    "read_solution",
    "read_result",
    "scenario_path_of",
    "scenario_sha256",
    "FLOW_COLUMNS",
    "SOLUTION_FILES",
    "OUTPUT_DTYPES",
]

SOLUTION_FILES = (
    "summary.json",
    "flows.csv",
    "utilisation.csv",
    "sources.csv",
    "draws.csv",
    "targets.csv",
    "diagnosis.csv",
    "diagnosis_facilities.csv",
    "baseline_flows.csv",
    "baseline_utilisation.csv",
    "baseline_sources.csv",
)
#: flows.csv columns, in order, as declared once in :data:`parkflow.models.schema.OUTPUT_TABLES`.
FLOW_COLUMNS = OUTPUT_TABLES["flows"].column_names
_ID_COLUMNS = (
    "from",
    "to",
    "link_id",
    "source_id",
    "use_id",
    "stockpile_id",
    "enterprise",
    "park",
    "city",
    "scope_id",
    "id",
    "scope",
)
#: Declared types of the output tables' non-numeric columns, applied when they are read back
#: (a minimal declaration; the full output-table schema is ``parkflow.models.schema``'s).
OUTPUT_DTYPES: dict[str, dict[str, str]] = {
    "flows.csv": {"existing": "bool", **dict.fromkeys(_ID_COLUMNS, "str")},
    "baseline_flows.csv": {"existing": "bool", **dict.fromkeys(_ID_COLUMNS, "str")},
    "targets.csv": {"met": "bool", **dict.fromkeys(_ID_COLUMNS, "str")},
    "diagnosis_facilities.csv": dict.fromkeys(
        (*_ID_COLUMNS, "target", "material", "kind", "facility_id", "technology", "site"), "str"
    ),
}
_ENCODING = "utf-8-sig"


def scenario_sha256(source: str | Path) -> str | None:
    """Content hash of a scenario: its file, or every file of its folder (hidden ones skipped).

    Parameters
    ----------
    source : path
        The scenario's folder or workbook.

    Returns
    -------
    str or None
        ``"sha256:<hex>"`` over the relative paths and bytes, in sorted order; ``None`` when the
        path is not there.
    """
    path = Path(source)
    if path.is_file():
        files = [(path.name, path)]
    elif path.is_dir():
        files = sorted(
            (p.relative_to(path).as_posix(), p)
            for p in path.rglob("*")
            if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts)
        )
    else:
        return None
    h = hashlib.sha256()
    for rel, p in files:
        h.update(rel.encode("utf-8") + b"\0")
        h.update(p.read_bytes())
        h.update(b"\0")
    return "sha256:" + h.hexdigest()


def _relative_to(source: Path, folder: Path) -> str:
    """``source`` relative to ``folder`` (POSIX), or absolute when no relative path exists."""
    try:
        return Path(os.path.relpath(source.resolve(), folder.resolve())).as_posix()
    except ValueError:  # another drive (Windows)
        return source.resolve().as_posix()


def _flows_frame(result: Result) -> pd.DataFrame:
    f = result.flows
    if f is None or f.empty:
        return pd.DataFrame(columns=FLOW_COLUMNS)
    f = f.copy()
    f["link_id"] = f.index.astype(str)
    f["quantity"] = f["flow"]
    for c in FLOW_COLUMNS:
        if c not in f.columns:
            f[c] = np.nan
    cols = [*FLOW_COLUMNS, "year"] if "year" in f.columns else FLOW_COLUMNS  # issue 12: periods
    return f[cols].reset_index(drop=True)


def _yearly_frame(result: Result, table: str) -> pd.DataFrame:
    """Flows.csv / utilisation.csv: the result's table, or every year's with periods.

    With a ``year`` column (issue 12; the top-level tables of a result are its first year's).
    """

    def one(r: Any) -> pd.DataFrame:
        if table == "flows":
            return _flows_frame(r)
        return r.utilisation if r.utilisation is not None else pd.DataFrame()

    if not getattr(result, "periods", None):
        return one(result)
    frames = []
    for p in result.periods:
        stub = Result(
            scenario_name="",
            status=result.status,
            objective_name="",
            links=pd.DataFrame(),
            flows=p.get("flows", pd.DataFrame()),
            draws=pd.DataFrame(),
            sources=pd.DataFrame(),
            utilisation=p.get("utilisation", pd.DataFrame()),
            targets=pd.DataFrame(),
            objective={},
            co2_avoided_t_per_a=0.0,
            solver={},
        )
        frames.append(one(stub).assign(year=int(p["year"])))
    return pd.concat(frames, ignore_index=True)


def _yearly_sources(result: Result) -> pd.DataFrame:
    """sources.csv (index ``source_id``): the result's, or every year's with a ``year`` column.

    A pathway's map and report of a folder read back need each year's unused supply; periods
    that do not carry their sources (built by hand) fall back to the top-level table.
    """
    src = result.sources.copy() if result.sources is not None else pd.DataFrame()
    periods = getattr(result, "periods", None) or []
    yearly = [p.get("sources") for p in periods]
    if periods and all(isinstance(s, pd.DataFrame) for s in yearly):
        src = pd.concat(
            [s.assign(year=int(p["year"])) for p, s in zip(periods, yearly, strict=True)]
        )
    src.index.name = "source_id"
    return src


def _csv(df: pd.DataFrame | None, path: Path, index: bool = False) -> None:
    (df if df is not None else pd.DataFrame()).to_csv(path, index=index, encoding=_ENCODING)


def write_solution_files(
    scenario: Scenario | None,
    result: Result,
    folder: str | Path,
    final_dir: str | Path | None = None,
) -> list[Path]:
    """Write the solution files into an existing folder (the caller manages atomicity).

    Use :func:`write_solution` unless you already hold a :func:`parkflow.io.atomic.output_dir`.

    Parameters
    ----------
    scenario : Scenario or None
        Its ``source`` goes into summary.json, relative to ``final_dir``, with its hash.
    result : Result
    folder : path
        Where to write now (an ``output_dir`` temporary folder).
    final_dir : path, optional
        Where the files will end up; the scenario path is made relative to it. Default
        ``folder`` (right for ``output_dir``, whose temporary folder is a sibling of the final
        one).

    Returns
    -------
    list of Path
        The files written.
    """
    folder = Path(folder)
    final = Path(final_dir) if final_dir is not None else folder
    source = Path(scenario.source) if scenario is not None and scenario.source else None
    summary = summary_dict(
        result,
        scenario_path=_relative_to(source, final) if source else None,
        scenario_sha256=scenario_sha256(source) if source else None,
    )
    (folder / "summary.json").write_text(
        json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    _csv(_yearly_frame(result, "flows"), folder / "flows.csv")
    _csv(_yearly_frame(result, "utilisation"), folder / "utilisation.csv")
    _csv(_yearly_sources(result), folder / "sources.csv", index=True)
    dr = result.draws.copy() if result.draws is not None else pd.DataFrame()
    dr.index.name = "stockpile_id"
    _csv(dr, folder / "draws.csv", index=True)
    _csv(result.targets, folder / "targets.csv")
    _csv(result.diagnosis, folder / "diagnosis.csv")
    _csv(result.diagnosis_facilities, folder / "diagnosis_facilities.csv")
    b = result.baseline
    base = _flows_frame(b) if b is not None else pd.DataFrame(columns=FLOW_COLUMNS)
    _csv(base, folder / "baseline_flows.csv")
    _csv(b.utilisation if b is not None else None, folder / "baseline_utilisation.csv")
    bsrc = b.sources.copy() if b is not None and b.sources is not None else pd.DataFrame()
    bsrc.index.name = "source_id"
    _csv(bsrc, folder / "baseline_sources.csv", index=True)
    written = [folder / n for n in SOLUTION_FILES]
    fac = result.facilities
    if fac is not None and len(fac.columns):  # issue 12: the build plan
        _csv(fac, folder / "facilities.csv")
        written.append(folder / "facilities.csv")
    stock = getattr(result, "stock", None)
    if result.periods and stock is not None and len(stock.columns):  # issue 12: periods
        _csv(stock, folder / "stock.csv")
        written.append(folder / "stock.csv")
    return written


def write_solution(scenario: Scenario | None, result: Result, out_dir: str | Path) -> Path:
    """Write the solution folder whole or not at all, never over the scenario's files.

    Parameters
    ----------
    scenario : Scenario or None
        Its ``source`` path is protected from being written over and goes into the summary.
    result : Result
    out_dir : path
        The output folder (created; an earlier parkflow output there is replaced).

    Returns
    -------
    Path
        ``out_dir``.
    """
    inputs = [scenario.source] if scenario is not None and scenario.source is not None else []
    with output_dir(out_dir, inputs=inputs) as tmp:
        write_solution_files(scenario, result, tmp, final_dir=out_dir)
    return Path(out_dir)


def _as_bool(values: pd.Series) -> pd.Series:
    return values.astype(str).str.strip().str.lower().isin(["true", "1", "1.0"])


def _read_csv(path: Path, index: str | None = None) -> pd.DataFrame:
    if not path.is_file() or path.stat().st_size == 0:
        return pd.DataFrame()
    try:
        df = pd.read_csv(path, encoding=_ENCODING, keep_default_na=True)
    except pd.errors.EmptyDataError:
        return pd.DataFrame()
    dtypes = OUTPUT_DTYPES.get(path.name, dict.fromkeys(_ID_COLUMNS, "str"))
    for c, dtype in dtypes.items():
        if c in df.columns:
            df[c] = _as_bool(df[c]) if dtype == "bool" else df[c].fillna("").astype(str)
    if index and index in df.columns:
        df = df.set_index(index)
    return df


def _result_from(summary: dict[str, Any], flows: pd.DataFrame, **tables: pd.DataFrame) -> Result:
    if not flows.empty:
        flows["build"] = 1
    obj = summary.get("objective") or {}
    return Result(
        scenario_name=str(summary.get("scenario", "")),
        status=SolveStatus(summary.get("status", "error")),
        objective_name=str(summary.get("objective_name", "cost")),
        links=flows,
        flows=flows,
        draws=tables.get("draws", pd.DataFrame()),
        sources=tables.get("sources", pd.DataFrame()),
        utilisation=tables.get("utilisation", pd.DataFrame()),
        targets=tables.get("targets", pd.DataFrame()),
        objective={
            f"{k}_cny_per_a": (
                float(obj[f"{k}_cny_per_a"])
                if obj.get(f"{k}_cny_per_a") is not None
                else float("nan")
            )
            for k in OBJECTIVE_KEYS
        },
        co2_avoided_t_per_a=float(summary.get("co2_avoided_t_per_a") or 0.0),
        solver=dict(summary.get("solver") or {}),
        diagnosis=tables.get("diagnosis", pd.DataFrame()),
        diagnosis_facilities=tables.get("diagnosis_facilities", pd.DataFrame()),
        message=str(summary.get("message") or ""),
    )


def read_result(out_dir: str | Path) -> Result:
    """Read a solution folder back into a :class:`Result` (``links`` = the built links only).

    The tables come back typed (:data:`OUTPUT_DTYPES`): ids as str, ``existing`` and ``met`` as
    bool.

    Raises
    ------
    FileNotFoundError
        When ``out_dir`` holds no ``summary.json``.
    """
    folder = Path(out_dir)
    path = folder / "summary.json"
    if not path.is_file():
        msg = f"{folder} holds no summary.json; run `parkflow solve` first"
        raise FileNotFoundError(msg)
    summary = json.loads(path.read_text(encoding="utf-8"))
    flows = _read_csv(folder / "flows.csv", "link_id")
    targets = _read_csv(folder / "targets.csv")
    res = _result_from(
        summary,
        flows,
        draws=_read_csv(folder / "draws.csv", "stockpile_id"),
        sources=_read_csv(folder / "sources.csv", "source_id"),
        utilisation=_read_csv(folder / "utilisation.csv"),
        targets=targets,
        diagnosis=_read_csv(folder / "diagnosis.csv"),
        # absent from folders written before it existed: read as empty
        diagnosis_facilities=_read_csv(folder / "diagnosis_facilities.csv"),
    )
    _read_periods(res, summary, folder)
    base = summary.get("baseline")
    if base:
        bflows = _read_csv(folder / "baseline_flows.csv", "link_id")
        btargets = pd.DataFrame(base.get("targets") or [])
        # folders written before baseline_utilisation/sources.csv existed read back without them
        res.baseline = _result_from(
            {**base, "scenario": summary.get("scenario"), "objective_name": "cost"},
            bflows,
            targets=btargets,
            utilisation=_read_csv(folder / "baseline_utilisation.csv"),
            sources=_read_csv(folder / "baseline_sources.csv", "source_id"),
        )
    return res


def _read_periods(res: Result, summary: dict[str, Any], folder: Path) -> None:
    """Facilities, stock and the yearly plan of a folder, when it has them (issue 12)."""
    fac = _read_csv(folder / "facilities.csv")
    if len(fac.columns):
        res.facilities = fac
    periods = summary.get("periods") or []
    if not periods:
        return
    res.present_value_cny = float(summary.get("present_value_cny") or float("nan"))
    res.stock = _read_csv(folder / "stock.csv")

    def of_year(df: pd.DataFrame, year: int) -> pd.DataFrame:
        if "year" not in df.columns:
            return df
        return df[df["year"].astype(int) == year].drop(columns="year")

    flows, util, sources = res.flows, res.utilisation, res.sources
    res.periods = [
        {
            "year": int(p["year"]),
            "objective": dict(p.get("objective") or {}),
            "co2_avoided_t_per_a": p.get("co2_avoided_t_per_a"),
            "capex_cny": p.get("capex_cny", 0.0),
            "targets": pd.DataFrame(p.get("targets") or []),
            "before": dict(p.get("before") or {}),
            "flows": of_year(flows, int(p["year"])),
            "utilisation": of_year(util, int(p["year"])),
            # folders written before sources.csv had a year column: every year sees the first's
            "sources": of_year(sources, int(p["year"])),
        }
        for p in periods
    ]
    first = res.periods[0]  # the top-level tables are the first year's, as written
    res.flows = res.links = first["flows"]
    res.utilisation = first["utilisation"]
    res.sources = first["sources"]


def _summary_of(folder: Path) -> dict[str, Any]:
    path = folder / "summary.json"
    if not path.is_file():
        msg = f"{folder} holds no summary.json; run `parkflow solve` first"
        raise FileNotFoundError(msg)
    return json.loads(path.read_text(encoding="utf-8"))


def scenario_path_of(folder: str | Path) -> Path:
    """The scenario a solve folder was made from — the one lookup, for maps and reports.

    ``summary.json["scenario_path"]`` is read relative to the folder (format 2); an absolute
    path (format 1 folders) is taken as it is, and a relative one that is not found next to the
    folder is also tried from the working directory.

    Parameters
    ----------
    folder : path
        A ``parkflow solve`` output folder.

    Returns
    -------
    Path

    Raises
    ------
    FileNotFoundError
        When summary.json is missing or names no scenario, or the scenario is no longer there;
        the message says which.
    """
    folder = Path(folder)
    try:
        summary = _summary_of(folder)
    except ValueError as exc:
        msg = f"{folder / 'summary.json'} is not valid JSON ({exc})"
        raise FileNotFoundError(msg) from exc
    path = summary.get("scenario_path")
    if not path:
        msg = f"{folder / 'summary.json'} names no scenario_path; solve again with `parkflow solve`"
        raise FileNotFoundError(msg)
    p = Path(path)
    candidates = [p] if p.is_absolute() else [folder / p, p]
    for c in candidates:
        if c.exists():
            return c
    msg = f"the scenario {path} named in {folder / 'summary.json'} is no longer there"
    raise FileNotFoundError(msg)


def read_solution(folder: str | Path) -> tuple[Scenario | None, Result]:
    """Read a solve's output folder: its scenario (when it still loads) and its result.

    Parameters
    ----------
    folder : path
        A ``parkflow solve`` output folder (or one written by :func:`write_solution`).

    Returns
    -------
    (Scenario or None, Result)
        The scenario is ``None`` when summary.json names none, it is no longer there
        (:func:`scenario_path_of`) or it no longer loads.

    Raises
    ------
    FileNotFoundError
        When ``folder`` holds no ``summary.json``.
    """
    from parkflow.errors import ScenarioError
    from parkflow.io import load_scenario

    result = read_result(folder)
    try:
        scenario = load_scenario(scenario_path_of(folder))
    except (FileNotFoundError, ScenarioError):
        scenario = None
    if scenario is not None:  # so that result.flows_gdf works on a folder read back
        result = dataclasses.replace(
            result, enterprise_points=scenario.enterprises[["lon", "lat"]].copy()
        )
    return scenario, result
