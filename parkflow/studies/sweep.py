"""Parameter sweeps and Monte Carlo runs on Dask, gathered into one Parquet table.

A *grid file* (YAML) declares the runs::

    objective: cost                       # optional, default the scenario's
    solver: {time_limit_s: 30, gap: 0.01} # optional, per run
    grid:                                 # cartesian product of the lists
      target_rate: [0.78, 0.82]
      mode.truck.cost_cny_per_tkm: [0.35, 0.45, 0.60]
    samples: 50                           # optional Monte Carlo draws (× every grid point)
    seed: 1
    parameters:
      route_value.cement_retarder: {distribution: uniform, low: 30, high: 90}
      capacity_scale: {distribution: normal, mean: 1.0, sd: 0.1}

Parameter names (see :data:`PARAMETER_FORMS`) set route values, transport-mode keys (costs,
reach), scale capacities or supplies, and set target rates. Each run is keyed by a stable hash of
its parameters (``run_id``); a rerun into the same folder skips runs that finished (any status but
``error``) and retries failed ones. A run that fails is recorded with its error; the others go on.
The table is written whole (a temporary file renamed into place, through
:func:`parkflow.io.atomic.output_dir`) after every few runs and at the end, so an interrupted sweep
loses at most the runs in flight.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from parkflow.errors import Problem, ScenarioError
from parkflow.models.scenario import Scenario

TABLE_NAME = "sweep.parquet"

PARAMETER_FORMS = {
    "route_value.<route>": "value of a use route, CNY per canonical unit (sets the catalogue's "
    "value and every use's own value on that route)",
    "route_value_scale[.<route>]": "multiply route values (all routes, or one)",
    "mode.<mode>.<key>": "set a transport-mode key: cost_cny_per_tkm, handling_cny_per_t, "
    "fixed_cny_per_a, fixed_cny_per_km_a, co2_t_per_tkm, reach_km, detour, "
    "loss_per_km",
    "reach_scale[.<mode>]": "multiply the reach of every mode (or one), km",
    "capacity_scale[.<route>]": "multiply use capacities (all, or one route's)",
    "supply_scale[.<material>]": "multiply generated quantities (all, or one material's)",
    "disposal_cost.<material>": "disposal cost (environmental tax) avoided, CNY per unit",
    "target_rate": "rate of every target, 0-1",
    "target.<id>.rate": "rate of one target, 0-1",
}

MODE_KEYS = (
    "cost_cny_per_tkm",
    "handling_cny_per_t",
    "fixed_cny_per_a",
    "fixed_cny_per_km_a",
    "co2_t_per_tkm",
    "reach_km",
    "detour",
    "loss_per_km",
)

RESULT_COLUMNS = [
    "run_id",
    "status",
    "rate",
    "cost_cny_per_a",
    "co2_avoided_t_per_a",
    "links_built",
    "targets_met",
    "gap",
    "time_s",
    "error",
    "params_json",
]


@dataclass(frozen=True)
class SweepPlan:
    """The runs of a sweep and how to solve each."""

    runs: list[dict[str, Any]]
    objective: str | None = None
    solver: dict[str, Any] = field(default_factory=dict)

    @property
    def parameter_names(self) -> list[str]:
        """Every parameter name, in first-seen order."""
        return list(dict.fromkeys(k for run in self.runs for k in run))


# ----------------------------------------------------------------------------------- the plan
def run_id(params: dict[str, Any]) -> str:
    """Stable 16-hex-digit key of a run's parameters (order of keys does not matter).

    >>> run_id({"a": 1.0, "b": "x"}) == run_id({"b": "x", "a": 1.0})
    True
    >>> len(run_id({}))
    16
    """
    canonical = json.dumps(params, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


def _sample(rng: np.random.Generator, name: str, spec: Any, n: int, where: str) -> list[Any]:
    if not isinstance(spec, dict):
        return [spec] * n  # a constant
    dist = str(spec.get("distribution", spec.get("dist", ""))).lower()
    try:
        if dist == "uniform":
            values = rng.uniform(float(spec["low"]), float(spec["high"]), n)
        elif dist == "loguniform":
            values = np.exp(
                rng.uniform(math.log(float(spec["low"])), math.log(float(spec["high"])), n)
            )
        elif dist == "normal":
            values = rng.normal(float(spec["mean"]), float(spec["sd"]), n)
        elif dist == "lognormal":
            values = rng.lognormal(float(spec["mean"]), float(spec["sigma"]), n)
        elif dist == "triangular":
            values = rng.triangular(float(spec["low"]), float(spec["mode"]), float(spec["high"]), n)
        elif dist == "choice":
            options = list(spec["values"])
            return [options[i] for i in rng.integers(0, len(options), n)]
        else:
            raise ScenarioError(
                Problem(
                    where,
                    f"parameter {name!r}: unknown distribution {dist!r}",
                    fix="use uniform, loguniform, normal, lognormal, triangular or choice",
                )
            )
    except KeyError as exc:
        raise ScenarioError(
            Problem(
                where,
                f"parameter {name!r}: distribution {dist!r} needs the key {exc.args[0]!r}",
                fix="uniform/loguniform: low, high; normal: mean, sd; lognormal: mean, sigma; "
                "triangular: low, mode, high; choice: values",
            )
        ) from None
    return [float(v) for v in values]


def plan_from_dict(spec: dict[str, Any], where: str = "grid") -> SweepPlan:
    """Expand a grid specification (see the module docstring) into its runs.

    Examples
    --------
    >>> plan = plan_from_dict({"grid": {"target_rate": [0.78, 0.82], "capacity_scale": [1, 2]}})
    >>> len(plan.runs), plan.runs[0]
    (4, {'target_rate': 0.78, 'capacity_scale': 1})
    """
    if not isinstance(spec, dict):
        raise ScenarioError(
            Problem(
                where,
                "the grid file must be a mapping",
                fix="write keys grid:, samples:, parameters:",
            )
        )
    known = {"grid", "samples", "seed", "parameters", "objective", "solver", "description"}
    unknown = sorted(set(spec) - known)
    problems = [
        Problem(where, f"unknown key {k!r}", fix=f"use one of {sorted(known)}") for k in unknown
    ]
    grid = spec.get("grid") or {}
    if not isinstance(grid, dict):
        problems.append(Problem(where, "grid: must map parameter names to lists of values"))
        grid = {}
    for name, values in grid.items():
        if not isinstance(values, list) or not values:
            problems.append(
                Problem(
                    where,
                    f"grid: {name!r} must be a non-empty list",
                    fix=f"{name}: [value1, value2]",
                )
            )
    if problems:
        raise ScenarioError(problems, source=where)
    names = list(grid)
    points = [dict(zip(names, combo, strict=True)) for combo in itertools.product(*grid.values())]
    n_samples = int(spec.get("samples") or 0)
    if n_samples > 0:
        rng = np.random.default_rng(int(spec.get("seed", 0)))
        params = spec.get("parameters") or {}
        drawn = {
            name: _sample(rng, name, params[name], n_samples, where) for name in sorted(params)
        }
        samples = [{name: drawn[name][i] for name in sorted(params)} for i in range(n_samples)]
        runs = [{**p, **s, "sample": i} for p in points for i, s in enumerate(samples)]
    else:
        runs = points
    if not runs:
        raise ScenarioError(
            Problem(
                where,
                "the grid holds no run",
                fix="give grid: with lists, or samples: N with parameters:",
            )
        )
    solver = dict(spec.get("solver") or {})
    return SweepPlan(runs=runs, objective=spec.get("objective"), solver=solver)


def load_plan(path: str | Path) -> SweepPlan:
    """Read a grid YAML file into a :class:`SweepPlan`."""
    from parkflow.io.yaml import load_yaml_file

    path = Path(path)
    if not path.is_file():
        msg = f"grid file {path} not found"
        raise FileNotFoundError(msg)
    spec = load_yaml_file(path)
    return plan_from_dict(spec, where=str(path))


def check_parameters(scenario: Scenario, names: Iterable[str], where: str = "grid") -> None:
    """Raise one ScenarioError naming every parameter that does not fit the scenario."""
    cat = scenario.catalogue
    target_ids = {t.id for t in scenario.targets}
    problems = []
    for name in names:
        parts = name.split(".")
        head = parts[0]
        ok = False
        if head == "sample" and len(parts) == 1 or name == "target_rate":
            ok = True
        elif head == "route_value" and len(parts) == 2:
            ok = parts[1] in cat.routes.index
        elif head in ("route_value_scale", "capacity_scale") and len(parts) in (1, 2):
            ok = len(parts) == 1 or parts[1] in cat.routes.index
        elif head == "reach_scale" and len(parts) in (1, 2):
            ok = len(parts) == 1 or parts[1] in cat.modes.index
        elif head == "mode" and len(parts) == 3:
            ok = parts[1] in cat.modes.index and parts[2] in MODE_KEYS
        elif head == "supply_scale" and len(parts) in (1, 2):
            ok = len(parts) == 1 or parts[1] in cat.materials.index
        elif head == "disposal_cost" and len(parts) == 2:
            ok = parts[1] in cat.materials.index
        elif head == "target" and len(parts) == 3:
            ok = parts[1] in target_ids and parts[2] == "rate"
        if not ok:
            forms = "; ".join(PARAMETER_FORMS)
            problems.append(
                Problem(
                    where,
                    f"parameter {name!r} does not name anything in scenario {scenario.name!r}",
                    fix=f"use one of: {forms} (with ids from the catalogue)",
                )
            )
    if problems:
        raise ScenarioError(problems, source=where)


# ---------------------------------------------------------------------------- applying a run
def _scale(value: Any, name: str) -> float:
    x = float(value)
    if not math.isfinite(x) or x < 0:
        msg = f"{name} must be a finite number >= 0, got {value!r}"
        raise ValueError(msg)
    return x


def apply_parameters(scenario: Scenario, params: dict[str, Any]) -> Scenario:
    """A copy of the scenario with a run's parameters applied (tables copied where changed).

    Raises
    ------
    ValueError
        When a value is out of range (a negative scale, a rate outside 0-1).
    """
    cat = scenario.catalogue
    routes, modes, materials = cat.routes, cat.modes, cat.materials
    uses, supplies = scenario.uses, scenario.supplies
    overrides = {k: dict(v) for k, v in (scenario.mode_overrides or {}).items()}
    targets = list(scenario.targets)
    copied: set[str] = set()

    def own(frame_name: str, frame: pd.DataFrame) -> pd.DataFrame:
        if frame_name in copied:
            return frame
        copied.add(frame_name)
        return frame.copy()

    def set_mode(mode: str, key: str, value: float) -> None:
        nonlocal modes
        modes = own("modes", modes)
        modes.loc[mode, key] = value
        if mode in overrides:
            overrides[mode][key] = value

    for name, value in params.items():
        parts = name.split(".")
        head = parts[0]
        if head == "sample":
            continue
        if head == "route_value":
            route = parts[1]
            routes = own("routes", routes)
            routes.loc[route, "value_cny_per_unit"] = float(value)
            if "value" in uses:
                uses = own("uses", uses)
                on_route = (uses["route"] == route) & uses["value"].notna()
                uses.loc[on_route, "value"] = float(value)
        elif head == "route_value_scale":
            x = _scale(value, name)
            sel = routes.index if len(parts) == 1 else [parts[1]]
            routes = own("routes", routes)
            routes.loc[sel, "value_cny_per_unit"] = routes.loc[sel, "value_cny_per_unit"] * x
            if "value" in uses:
                uses = own("uses", uses)
                on = uses["route"].isin(sel) & uses["value"].notna()
                uses.loc[on, "value"] = uses.loc[on, "value"] * x
        elif head == "mode":
            x = float(value)
            if parts[2] in ("reach_km", "detour") and not x > 0:
                msg = f"{name} must be > 0, got {value!r}"
                raise ValueError(msg)
            set_mode(parts[1], parts[2], x)
        elif head == "reach_scale":
            x = _scale(value, name)
            for mode in modes.index if len(parts) == 1 else [parts[1]]:
                set_mode(mode, "reach_km", float(modes.loc[mode, "reach_km"]) * x)
        elif head == "capacity_scale":
            x = _scale(value, name)
            uses = own("uses", uses)
            on = slice(None) if len(parts) == 1 else (uses["route"] == parts[1])
            uses.loc[on, "capacity"] = uses.loc[on, "capacity"] * x
        elif head == "supply_scale":
            x = _scale(value, name)
            supplies = own("supplies", supplies)
            on = slice(None) if len(parts) == 1 else (supplies["material"] == parts[1])
            supplies.loc[on, "quantity"] = supplies.loc[on, "quantity"] * x
        elif head == "disposal_cost":
            materials = own("materials", materials)
            materials.loc[parts[1], "env_tax_cny_per_t"] = float(value)
        elif head in ("target_rate", "target"):
            x = float(value)
            if not 0.0 <= x <= 1.0:
                msg = f"{name} must lie between 0 and 1, got {value!r}"
                raise ValueError(msg)
            targets = [
                replace(t, rate=x) if head == "target_rate" or t.id == parts[1] else t
                for t in targets
            ]
        else:
            msg = f"unknown parameter {name!r}"
            raise ValueError(msg)
    catalogue = replace(cat, routes=routes, modes=modes, materials=materials)
    return scenario.replace(
        catalogue=catalogue,
        uses=uses,
        supplies=supplies,
        targets=tuple(targets),
        mode_overrides=overrides,
    )


def run_one(
    scenario: Scenario,
    params: dict[str, Any],
    objective: str | None = None,
    solver: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Solve one run; never raises: a failure is returned as ``status = "error"`` with the error.

    Returns
    -------
    dict
        ``run_id, status, rate`` (first target, lowest entry), ``cost_cny_per_a``,
        ``co2_avoided_t_per_a``, ``links_built``, ``targets_met``, ``gap``, ``time_s`` (wall
        time of the whole run), ``error`` and ``params_json``.
    """
    solver = dict(solver or {})
    row: dict[str, Any] = {
        "run_id": run_id(params),
        "status": "error",
        "rate": np.nan,
        "cost_cny_per_a": np.nan,
        "co2_avoided_t_per_a": np.nan,
        "links_built": 0,
        "targets_met": False,
        "gap": np.nan,
        "time_s": np.nan,
        "error": "",
        "params_json": json.dumps(params, sort_keys=True, default=str),
    }
    start = time.perf_counter()
    try:
        from parkflow.solvers.api import solve
        from parkflow.statistics.diagnosis import target_rate
        from parkflow.studies.pareto import total_cost

        sc = apply_parameters(scenario, params)
        res = solve(
            sc,
            objective=objective or sc.settings.objective,
            solver=solver.get("name"),
            time_limit_s=solver.get("time_limit_s"),
            gap=solver.get("gap"),
            baseline=False,
        )
        row["status"] = res.status.value
        if res.status.has_solution:
            t = res.targets
            if len(t):
                row["rate"] = target_rate(res, sc.targets[0].id if sc.targets else None)
                row["targets_met"] = bool(t["met"].astype(bool).all())
            row["cost_cny_per_a"] = float(total_cost(res))
            row["co2_avoided_t_per_a"] = float(res.co2_avoided_t_per_a)
            row["links_built"] = int(len(res.flows))
            gap = res.solver.get("gap")
            row["gap"] = float(gap) if gap is not None else np.nan
        elif res.message:
            row["error"] = res.message
    except Exception as exc:  # a failed run is a row, not the end of the sweep
        row["status"] = "error"
        row["error"] = f"{type(exc).__name__}: {exc}"
    row["time_s"] = time.perf_counter() - start
    return row


# ------------------------------------------------------------------------------ the table
def _table(rows: Sequence[dict[str, Any]], plan: SweepPlan) -> pd.DataFrame:
    """Rows → one DataFrame: run_id, the parameters (one column each), then the results."""
    order = {run_id(p): i for i, p in enumerate(plan.runs)}
    params = {run_id(p): p for p in plan.runs}
    df = pd.DataFrame(list(rows))
    if df.empty:
        df = pd.DataFrame(columns=RESULT_COLUMNS)
    names = plan.parameter_names
    for name in names:
        df[name] = [
            params.get(r, {}).get(name, np.nan) if r in params else json.loads(pj).get(name, np.nan)
            for r, pj in zip(df["run_id"], df["params_json"], strict=True)
        ]
        if df[name].map(lambda v: isinstance(v, str)).any():
            df[name] = df[name].astype("string")
        else:
            df[name] = pd.to_numeric(df[name], errors="coerce")
    df["_order"] = df["run_id"].map(order).fillna(len(order)).astype(int)
    df = df.sort_values("_order", kind="stable").drop(columns="_order").reset_index(drop=True)
    df["links_built"] = pd.to_numeric(df["links_built"]).fillna(0).astype("int64")
    df["targets_met"] = df["targets_met"].astype(bool)
    for c in ("rate", "cost_cny_per_a", "co2_avoided_t_per_a", "gap", "time_s"):
        df[c] = pd.to_numeric(df[c], errors="coerce").astype("float64")
    for c in ("run_id", "status", "error", "params_json"):
        df[c] = df[c].astype("string")
    extra = [c for c in df.columns if c not in RESULT_COLUMNS and c not in names]
    return df[["run_id", *names, *RESULT_COLUMNS[1:], *extra]]


def read_table(out: str | Path) -> pd.DataFrame:
    """The sweep table in ``out`` (empty when there is none yet)."""
    path = Path(out) / TABLE_NAME
    if not path.is_file():
        return pd.DataFrame(columns=RESULT_COLUMNS)
    return pd.read_parquet(path)


def _write_table(df: pd.DataFrame, out: Path, inputs: Sequence[Path | None]) -> None:
    from parkflow.io.atomic import output_dir

    with output_dir(out, inputs=inputs, merge=True) as tmp:
        df.to_parquet(tmp / TABLE_NAME, index=False)


def run_sweep(
    scenario: Scenario,
    plan: SweepPlan,
    out: str | Path,
    scheduler: str | None = None,
    workers: int = 2,
    processes: bool = True,
    inputs: Sequence[Path | None] = (),
    show_progress: bool = True,
    checkpoint_every: int = 10,
) -> pd.DataFrame:
    """Run every run of the plan on Dask and gather one Parquet table in ``out``.

    Parameters
    ----------
    scenario : Scenario
    plan : SweepPlan
    out : path
        Output folder; ``sweep.parquet`` there is read first (finished runs are skipped) and
        rewritten whole every ``checkpoint_every`` runs and at the end.
    scheduler : str, optional
        Address of a running Dask scheduler (``tcp://host:8786``); default a LocalCluster.
    workers : int
        Workers of the LocalCluster (one thread each).
    processes : bool
        LocalCluster workers as processes (default) or threads (faster to start; for tests).
    inputs : paths
        Input files that the output must not overwrite.

    Returns
    -------
    DataFrame
        One row per run of the plan: ``run_id``, one column per parameter, then ``status, rate,
        cost_cny_per_a, co2_avoided_t_per_a, links_built, targets_met, gap, time_s, error,
        params_json``.
    """
    from dask.distributed import Client, LocalCluster, as_completed
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    out = Path(out)
    check_parameters(scenario, plan.parameter_names)
    previous = read_table(out)
    keep = previous[previous["status"].astype("string") != "error"] if len(previous) else previous
    done_ids = set(keep["run_id"].astype(str)) if len(keep) else set()
    todo = [p for p in plan.runs if run_id(p) not in done_ids]
    todo = list({run_id(p): p for p in todo}.values())  # a grid may repeat a point
    rows: list[dict[str, Any]] = [dict(r) for r in keep.to_dict("records")] if len(keep) else []
    if not todo:
        table = _table(rows, plan)
        _write_table(table, out, inputs)
        return table

    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        # a free local port: dashboard_address=None still binds the scheduler's HTTP server to
        # 8787 and warns when another cluster holds it (an error under the tests' warning filter)
        cluster = LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=processes,
            dashboard_address="127.0.0.1:0",
        )
        client = Client(cluster)
    try:
        [scenario_future] = client.scatter([scenario], broadcast=True)
        futures = {
            client.submit(
                run_one,
                scenario_future,
                p,
                plan.objective,
                plan.solver,
                key=f"parkflow-run-{run_id(p)}",
                pure=False,
            ): p
            for p in todo
        }
        with Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            disable=not show_progress,
            transient=False,
        ) as bar:
            task = bar.add_task("sweep", total=len(futures))
            for n, future in enumerate(as_completed(futures), start=1):
                params = futures[future]
                try:
                    row = future.result()
                except Exception as exc:  # the worker died or the task could not run
                    row = {
                        "run_id": run_id(params),
                        "status": "error",
                        "error": f"{type(exc).__name__}: {exc}",
                        "links_built": 0,
                        "targets_met": False,
                        "params_json": json.dumps(params, sort_keys=True, default=str),
                    }
                rows.append(row)
                bar.advance(task)
                if checkpoint_every and n % checkpoint_every == 0 and n < len(futures):
                    _write_table(_table(rows, plan), out, inputs)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    table = _table(rows, plan)
    _write_table(table, out, inputs)
    return table
