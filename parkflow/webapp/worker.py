"""What runs in the worker process: one solve or one comparison, through parkflow's public API.

The server starts one process per job (:mod:`parkflow.webapp.jobs`), so that cancel is a real
kill. The process reports on a queue: ``("phase", text)`` messages while it works (and
``("progress", event)`` with the solver's phase, incumbent, bound and gap), then one
``("done", figures)`` or ``("error", message)``. It writes only into the job's output folder.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import traceback
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import parkflow as pf
import parkflow.webapp._deps as _deps

# imported here so that the fork server has them loaded before it forks a worker
import parkflow.io  # noqa: F401  isort: skip
import parkflow.solvers.api  # noqa: F401  isort: skip


def _num(value: Any) -> float | None:
    try:
        v = float(value)
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) else None


def key_figures(result: Any) -> dict[str, Any]:
    """The figures the results page shows: rates against targets, links, net cost, CO₂.

    Parameters
    ----------
    result : parkflow.Result

    Returns
    -------
    dict
        ``status, message, objective, targets (id, scope, target, rate, met, baseline_rate),
        links_built, net_cost_cny_per_a, co2_avoided_t_per_a, cost parts, solver time and gap``.
    """
    base_rates: dict[tuple[str, str], float | None] = {}
    baseline = getattr(result, "baseline", None)
    if baseline is not None and baseline.targets is not None and len(baseline.targets):
        for r in baseline.targets.to_dict("records"):
            base_rates[(str(r.get("id")), str(r.get("scope")))] = _num(r.get("rate"))
    targets = []
    if result.targets is not None and len(result.targets):
        for r in result.targets.to_dict("records"):
            key = (str(r.get("id")), str(r.get("scope")))
            targets.append(
                {
                    "id": key[0],
                    "scope": key[1],
                    "target": _num(r.get("target")),
                    "rate": _num(r.get("rate")),
                    "met": bool(r.get("met")),
                    "shortfall": _num(r.get("shortfall")),
                    "unit": str(r.get("unit")),
                    "baseline_rate": base_rates.get(key),
                }
            )
    objective = {k: _num(v) for k, v in (result.objective or {}).items()}
    solver = result.solver or {}
    return {
        "status": result.status.value,
        "message": str(result.message or ""),
        "objective": result.objective_name,
        "targets": targets,
        "links_built": int(len(result.flows)) if result.flows is not None else 0,
        "net_cost_cny_per_a": objective.get("total_cny_per_a"),
        "cost": objective,
        "co2_avoided_t_per_a": _num(result.co2_avoided_t_per_a),
        "solver_time_s": _num(solver.get("time_s")),
        "gap": _num(solver.get("gap")),
    }


def progress_dict(event: Any) -> dict[str, Any]:
    """A solver progress event (:class:`parkflow.solvers.progress.ProgressEvent`) as JSON.

    An event is a ``str`` with ``phase, incumbent, bound, gap, elapsed_s``; a plain message
    (an older solver) comes back with only its text and the phase ``solve``.
    """
    if hasattr(event, "as_dict"):
        d = dict(event.as_dict())
    else:
        d = {"text": str(event), "phase": "solve"}
    return {k: (_num(v) if isinstance(v, float) else v) for k, v in d.items()}


def _plain(value: Any) -> Any:
    """A summary value as JSON: numbers finite or None, the rest as text (lists kept)."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, (int, float)):
        return _num(value)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    number = _num(value)
    return number if number is not None else str(value)


def result_tables(summary: dict[str, Any]) -> dict[str, Any]:
    """The opened facilities and the yearly figures of a summary (when it has them).

    ``summary`` is :func:`parkflow.statistics.summary.summary_dict` of the result.
    ``facilities``: one facilities.csv row per facility, its last year with periods
    (facility_id, technology, site, lon, lat, size, unit, capex_cny, ...); ``periods``: one
    dict per year (year, objective, co2_avoided_t_per_a, capex_cny, targets, before). Both
    empty for a single-year scenario without candidates.
    """
    import pandas as pd

    from parkflow.report.investment import facility_plan

    rows = summary.get("facilities") or []
    if rows:  # one row per facility: its last year with periods (the build plan's rows)
        plan = facility_plan(SimpleNamespace(facilities=pd.DataFrame(rows)))
        rows = plan.to_dict(orient="records")
    return {
        "facilities": _plain(rows),
        "capex_cny": _num(summary.get("capex_cny")),
        "present_value_cny": _num(summary.get("present_value_cny")),
        "periods": _plain(summary.get("periods") or []),
    }


def solve_job(params: dict[str, Any], say: Any) -> dict[str, Any]:
    """Load, solve and write the outputs of one run into ``params["out"]``."""
    out = Path(params["out"])
    lang = params.get("lang", "zh")
    say("phase", "load")
    scenario = pf.load_scenario(params["scenario"])
    say("phase", "solve")
    result = pf.solve(
        scenario,
        objective=params.get("objective"),
        time_limit_s=params.get("time_limit_s"),
        gap=params.get("gap"),
        progress=lambda event: say("progress", progress_dict(event)),
    )
    figures = {**key_figures(result), **result_tables(pf.summary_dict(result))}
    if not result.status.has_solution:
        msg = f"{result.status.value}: {result.message}"
        raise RuntimeError(msg)
    say("phase", "report")
    _deps.write_reports(scenario, result, out, lang=lang, formats=("md", "html", "xlsx"))
    say("phase", "map")
    pf.render_map(scenario, result, lang=lang).save(str(out / "map.html"))
    say("phase", "files")
    pf.save_scenario(scenario, out / "scenario.xlsx")
    # the workbook writer leaves the candidate facilities out: the web app's sheet keeps them
    from parkflow.webapp.workspace import add_folder_only_sheets

    source = Path(params["scenario"])
    add_folder_only_sheets(out / "scenario.xlsx", source if source.is_dir() else None, scenario)
    (out / "summary.json").write_text(
        json.dumps(pf.summary_dict(result), ensure_ascii=False, indent=1, default=str),
        encoding="utf-8",
    )
    result.flows.to_csv(out / "flows.csv", encoding="utf-8-sig")
    (out / "figures.json").write_text(json.dumps(figures, ensure_ascii=False), encoding="utf-8")
    return figures


def compare_job(params: dict[str, Any], say: Any) -> dict[str, Any]:
    """Solve two scenarios and write compare.html and the difference tables."""
    out = Path(params["out"])
    say("phase", "load")
    a = pf.load_scenario(params["a"])
    b = pf.load_scenario(params["b"])
    say("phase", "solve")
    kwargs = {
        k: params[k] for k in ("objective", "time_limit_s", "gap") if params.get(k) is not None
    }
    cmp = _deps.compare(a, b, lang=params.get("lang", "zh"), **kwargs)
    for sc, res in ((a, cmp.result_a), (b, cmp.result_b)):
        if not res.status.has_solution:
            msg = f"{sc.name}: {res.status.value}. {res.message}"
            raise RuntimeError(msg)
    say("phase", "files")
    cmp.write(out, merge=True)
    rows = []
    for r in cmp.indicators.to_dict("records"):
        rows.append(
            {
                "indicator": str(r["indicator"]),
                "label": str(r["label"]),
                "a": _num(r["a"]),
                "b": _num(r["b"]),
                "change": _num(r["change"]),
                "unit": str(r["unit"]),
            }
        )
    counts = cmp.differences["change"].value_counts()
    figures = {
        "a": a.name,
        "b": b.name,
        "indicators": rows,
        "changes": {k: int(counts.get(k, 0)) for k in ("added", "removed", "changed")},
    }
    (out / "figures.json").write_text(json.dumps(figures, ensure_ascii=False), encoding="utf-8")
    return figures


JOBS = {"solve": solve_job, "compare": compare_job}


def entry(kind: str, params: dict[str, Any], queue: Any) -> None:
    """Process entry point: run the job, report on ``queue``; never raise."""

    def say(what: str, payload: Any) -> None:
        queue.put((what, payload))

    if hasattr(os, "setsid"):  # its own process group: cancel kills a solve's pool with it
        with contextlib.suppress(OSError):
            os.setsid()

    try:
        say("done", JOBS[kind](params, say))
    except pf.ScenarioError as exc:
        say("error", "\n".join(str(p) for p in exc.problems) or str(exc))
    except Exception as exc:  # shown to the user as a message, never as a traceback
        text = str(exc) or type(exc).__name__
        say("error", text)
        if params.get("debug"):
            traceback.print_exc()
