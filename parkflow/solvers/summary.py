"""The solution folder (SPEC §5): ``summary.json`` and the CSV tables, written and read back.

Files: ``summary.json`` (status, solver, objective and its parts, CO₂, targets, baseline),
``flows.csv`` (one row per built link), ``utilisation.csv``, ``sources.csv``, ``draws.csv``,
``targets.csv``, ``diagnosis.csv``, and the existing-links-only baseline's ``baseline_flows.csv``,
``baseline_utilisation.csv`` and ``baseline_sources.csv`` (its targets are in
``summary.json["baseline"]["targets"]``). CSVs are UTF-8 with BOM (Excel in China opens them as
they are). :func:`read_solution` is the inverse used by ``parkflow report DIR`` and
``parkflow map DIR``; the result it gives holds the built links only, and its ``baseline`` holds
the baseline's flows, utilisation, sources and targets (so a report from a folder has the same
before/after tables as one made right after the solve).
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from parkflow.io.atomic import output_dir
from parkflow.models.result import Result, SolveStatus
from parkflow.models.scenario import Scenario

__all__ = ["summary_dict", "link_counts", "write_solution", "write_solution_files",
           "read_solution", "FLOW_COLUMNS", "SOLUTION_FILES"]

SOLUTION_FILES = ("summary.json", "flows.csv", "utilisation.csv", "sources.csv", "draws.csv",
                  "targets.csv", "diagnosis.csv", "baseline_flows.csv", "baseline_utilisation.csv",
                  "baseline_sources.csv")
FLOW_COLUMNS = ["link_id", "from", "to", "material", "route", "quantity", "unit", "distance_km",
                "mode", "existing", "flow", "delivered", "efficiency", "transport_cny_per_a",
                "fixed_cny_per_a", "purification_cny_per_a", "value_cny_per_a",
                "disposal_avoided_cny_per_a", "total_cny_per_a", "co2_avoided_t_per_a",
                "source_id", "use_id", "from_park", "to_park"]
_OBJ_KEYS = ("total", "transport", "fixed", "purification", "value", "disposal_avoided")
_ENCODING = "utf-8-sig"


def _plain(value: Any) -> Any:
    """JSON-safe: numpy scalars to Python, NaN/inf to None."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (np.bool_, bool)):
        return bool(value)
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        f = float(value)
        return f if math.isfinite(f) else None
    if isinstance(value, SolveStatus):
        return value.value
    return value


def _targets_list(result: Result) -> list[dict[str, Any]]:
    t = result.targets
    if t is None or t.empty:
        return []
    cols = ["id", "scope", "target", "rate", "met", "utilised", "generated", "drawn", "shortfall",
            "unit"]
    return [_plain({c: r.get(c) for c in cols}) for r in t.to_dict(orient="records")]


def link_counts(result: Result) -> dict[str, int]:
    """How many links the solution builds, by the one definition used everywhere.

    A link is **built** when it is open in the solution (``build = 1``): it carries flow, or it
    exists already (existing links are forced open and pay their fixed cost even when the optimum
    sends nothing over them). ``flows.csv`` has one row per built link, so
    ``links_built = len(flows.csv)``. The parts:

    * ``links_existing`` — built links that exist already (all existing links);
    * ``links_new`` — built links that do not exist yet (they all carry flow);
    * ``links_used`` — built links that carry flow (> 0);
    * ``links_idle`` — built links with no flow (existing links the optimum leaves unused).

    ``links_built = links_existing + links_new = links_used + links_idle``.

    >>> import pandas as pd
    >>> from parkflow.models.result import Result, SolveStatus
    >>> f = pd.DataFrame({"flow": [0.0, 5.0, 7.0], "existing": [True, True, False]})
    >>> r = Result("x", SolveStatus.OPTIMAL, "cost", f, f, *[pd.DataFrame()] * 4, {}, 0.0, {})
    >>> link_counts(r)
    {'links_built': 3, 'links_existing': 2, 'links_new': 1, 'links_used': 2, 'links_idle': 1}
    """
    f = result.flows
    if f is None or len(f) == 0:
        return dict.fromkeys(("links_built", "links_existing", "links_new", "links_used",
                              "links_idle"), 0)
    flow = pd.to_numeric(f["flow"], errors="coerce").fillna(0.0) if "flow" in f.columns else \
        pd.to_numeric(f.get("quantity", pd.Series(0.0, index=f.index)), errors="coerce").fillna(0.0)
    existing = f["existing"].map(lambda v: str(v).strip().lower() in ("true", "1", "1.0")) \
        if "existing" in f.columns else pd.Series(False, index=f.index)
    used = int((flow > 0).sum())
    n_existing = int(existing.sum())
    return {"links_built": int(len(f)), "links_existing": n_existing,
            "links_new": int(len(f)) - n_existing, "links_used": used,
            "links_idle": int(len(f)) - used}


def summary_dict(result: Result, scenario_path: str | Path | None = None) -> dict[str, Any]:
    """The ``summary.json`` dictionary (SPEC §5 keys, plus ``scenario_path`` and ``baseline``).

    ``links_built`` and its parts are those of :func:`link_counts`.

    ``objective.total_cny_per_a = transport + fixed + purification − value − disposal_avoided``.
    """
    obj = result.objective or {}
    out: dict[str, Any] = {
        "scenario": result.scenario_name,
        "scenario_path": str(scenario_path) if scenario_path is not None else None,
        "status": result.status.value,
        "objective_name": result.objective_name,
        "message": result.message,
        "solver": {k: result.solver.get(k) for k in
                   ("name", "time_s", "gap", "termination", "build_s", "network_s",
                    "n_variables", "n_constraints", "n_binaries", "n_solves", "time_limit_s",
                    "gap_limit", "limit", "strategy", "method") if k in result.solver},
        "objective": {f"{k}_cny_per_a": obj.get(f"{k}_cny_per_a") for k in _OBJ_KEYS},
        "co2_avoided_t_per_a": result.co2_avoided_t_per_a,
        **link_counts(result),
        "targets": _targets_list(result),
    }
    b = result.baseline
    if b is not None:
        out["baseline"] = {
            "status": b.status.value,
            "objective": {f"{k}_cny_per_a": (b.objective or {}).get(f"{k}_cny_per_a")
                          for k in _OBJ_KEYS},
            "co2_avoided_t_per_a": b.co2_avoided_t_per_a,
            **link_counts(b),
            "targets": _targets_list(b),
        }
    else:
        out["baseline"] = None
    return _plain(out)


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
    return f[FLOW_COLUMNS].reset_index(drop=True)


def _csv(df: pd.DataFrame | None, path: Path, index: bool = False) -> None:
    (df if df is not None else pd.DataFrame()).to_csv(path, index=index, encoding=_ENCODING)


def write_solution_files(scenario: Scenario | None, result: Result,
                         folder: str | Path) -> list[Path]:
    """Write the solution files into an existing folder (the caller manages atomicity).

    Use :func:`write_solution` unless you already hold a :func:`parkflow.io.atomic.output_dir`.
    """
    folder = Path(folder)
    source = Path(scenario.source).resolve() if scenario is not None and scenario.source else None
    summary = summary_dict(result, scenario_path=source)
    (folder / "summary.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2),
                                         encoding="utf-8")
    _csv(_flows_frame(result), folder / "flows.csv")
    _csv(result.utilisation, folder / "utilisation.csv")
    src = result.sources.copy() if result.sources is not None else pd.DataFrame()
    src.index.name = "source_id"
    _csv(src, folder / "sources.csv", index=True)
    dr = result.draws.copy() if result.draws is not None else pd.DataFrame()
    dr.index.name = "stockpile_id"
    _csv(dr, folder / "draws.csv", index=True)
    _csv(result.targets, folder / "targets.csv")
    _csv(result.diagnosis, folder / "diagnosis.csv")
    b = result.baseline
    base = _flows_frame(b) if b is not None else pd.DataFrame(columns=FLOW_COLUMNS)
    _csv(base, folder / "baseline_flows.csv")
    _csv(b.utilisation if b is not None else None, folder / "baseline_utilisation.csv")
    bsrc = b.sources.copy() if b is not None and b.sources is not None else pd.DataFrame()
    bsrc.index.name = "source_id"
    _csv(bsrc, folder / "baseline_sources.csv", index=True)
    return [folder / n for n in SOLUTION_FILES]


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
        write_solution_files(scenario, result, tmp)
    return Path(out_dir)


def _read_csv(path: Path, index: str | None = None) -> pd.DataFrame:
    if not path.is_file() or path.stat().st_size == 0:
        return pd.DataFrame()
    try:
        df = pd.read_csv(path, encoding=_ENCODING, keep_default_na=True)
    except pd.errors.EmptyDataError:
        return pd.DataFrame()
    for c in ("from", "to", "link_id", "source_id", "use_id", "stockpile_id", "enterprise",
              "park", "city", "scope_id", "id", "scope"):
        if c in df.columns:
            df[c] = df[c].fillna("").astype(str)
    if index and index in df.columns:
        df = df.set_index(index)
    return df


def _result_from(summary: dict[str, Any], flows: pd.DataFrame, **tables: pd.DataFrame) -> Result:
    if not flows.empty:
        flows["build"] = 1
        if "existing" in flows.columns:
            flows["existing"] = flows["existing"].astype(str).str.lower().isin(["true", "1"])
    obj = summary.get("objective") or {}
    return Result(
        scenario_name=str(summary.get("scenario", "")),
        status=SolveStatus(summary.get("status", "error")),
        objective_name=str(summary.get("objective_name", "cost")),
        links=flows, flows=flows,
        draws=tables.get("draws", pd.DataFrame()),
        sources=tables.get("sources", pd.DataFrame()),
        utilisation=tables.get("utilisation", pd.DataFrame()),
        targets=tables.get("targets", pd.DataFrame()),
        objective={f"{k}_cny_per_a": (float(obj[f"{k}_cny_per_a"])
                                      if obj.get(f"{k}_cny_per_a") is not None
                                      else float("nan")) for k in _OBJ_KEYS},
        co2_avoided_t_per_a=float(summary.get("co2_avoided_t_per_a") or 0.0),
        solver=dict(summary.get("solver") or {}),
        diagnosis=tables.get("diagnosis", pd.DataFrame()),
        message=str(summary.get("message") or ""),
    )


def read_solution(out_dir: str | Path) -> Result:
    """Read a solution folder back into a :class:`Result` (``links`` = the built links only).

    Raises
    ------
    FileNotFoundError
        When ``out_dir`` holds no ``summary.json``.
    """
    folder = Path(out_dir)
    path = folder / "summary.json"
    if not path.is_file():
        raise FileNotFoundError(f"{folder} holds no summary.json; run `parkflow solve` first")
    summary = json.loads(path.read_text(encoding="utf-8"))
    flows = _read_csv(folder / "flows.csv", "link_id")
    targets = _read_csv(folder / "targets.csv")
    if "met" in targets.columns:
        targets["met"] = targets["met"].astype(str).str.lower().isin(["true", "1"])
    res = _result_from(summary, flows, draws=_read_csv(folder / "draws.csv", "stockpile_id"),
                       sources=_read_csv(folder / "sources.csv", "source_id"),
                       utilisation=_read_csv(folder / "utilisation.csv"), targets=targets,
                       diagnosis=_read_csv(folder / "diagnosis.csv"))
    base = summary.get("baseline")
    if base:
        bflows = _read_csv(folder / "baseline_flows.csv", "link_id")
        btargets = pd.DataFrame(base.get("targets") or [])
        # folders written before baseline_utilisation/sources.csv existed read back without them
        res.baseline = _result_from({**base, "scenario": summary.get("scenario"),
                                     "objective_name": "cost"}, bflows, targets=btargets,
                                    utilisation=_read_csv(folder / "baseline_utilisation.csv"),
                                    sources=_read_csv(folder / "baseline_sources.csv",
                                                      "source_id"))
    return res
