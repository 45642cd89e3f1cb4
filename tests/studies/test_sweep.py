"""Sweeps: plans from grids and samples, parameters applied, a Dask run that survives a failure
and a rerun that skips finished runs."""

from __future__ import annotations

import importlib

import numpy as np
import pandas as pd
import pytest
from _frames import tiny_frames

from parkflow.errors import ScenarioError
from parkflow.studies.sweep import plan_from_dict, run_id


def test_grid_is_the_cartesian_product():
    plan = plan_from_dict({"grid": {"a": [1, 2, 3], "b": ["x", "y"]}})
    assert len(plan.runs) == 6
    assert plan.runs[-1] == {"a": 3, "b": "y"}
    assert len({run_id(p) for p in plan.runs}) == 6


def test_samples_are_seeded_and_cross_the_grid():
    spec = {
        "grid": {"target_rate": [0.78, 0.82]},
        "samples": 5,
        "seed": 4,
        "parameters": {"capacity_scale": {"distribution": "uniform", "low": 0.5, "high": 1.5}},
    }
    a, b = plan_from_dict(spec), plan_from_dict(spec)
    assert a.runs == b.runs
    assert len(a.runs) == 10
    scales = [r["capacity_scale"] for r in a.runs[:5]]
    assert all(0.5 <= s <= 1.5 for s in scales)
    assert len(set(scales)) == 5
    assert [r["capacity_scale"] for r in a.runs[5:]] == scales  # same draws at each grid point


def test_bad_grid_files_name_the_problem():
    with pytest.raises(ScenarioError, match="unknown distribution 'gamma'"):
        plan_from_dict({"samples": 2, "parameters": {"x": {"distribution": "gamma"}}})
    with pytest.raises(ScenarioError, match="needs the key 'high'"):
        plan_from_dict({"samples": 2, "parameters": {"x": {"distribution": "uniform", "low": 1}}})
    with pytest.raises(ScenarioError, match="'a' must be a non-empty list"):
        plan_from_dict({"grid": {"a": 3}})
    with pytest.raises(ScenarioError, match="unknown key 'gird'"):
        plan_from_dict({"gird": {"a": [1]}})


@pytest.fixture(scope="module")
def tiny_scenario():
    io = importlib.import_module("parkflow.io")
    return io.scenario_from_frames("tiny-sweep", *tiny_frames())


def test_parameters_are_applied_to_a_copy(tiny_scenario):
    from parkflow.studies.sweep import apply_parameters

    sc = apply_parameters(
        tiny_scenario,
        {
            "capacity_scale.bricks": 2.0,
            "mode.truck.cost_cny_per_tkm": 0.3,
            "route_value.bricks": 35.0,
            "target_rate": 0.82,
            "reach_scale": 0.5,
        },
    )
    caps = sc.uses.set_index("route")["capacity"]
    assert caps["bricks"] == 800.0
    assert caps["cement_admixture"] == 600.0
    assert sc.catalogue.modes.loc["truck", "cost_cny_per_tkm"] == 0.3
    assert sc.catalogue.modes.loc["truck", "reach_km"] == pytest.approx(
        tiny_scenario.catalogue.modes.loc["truck", "reach_km"] * 0.5
    )
    assert sc.catalogue.routes.loc["bricks", "value_cny_per_unit"] == 35.0
    assert all(t.rate == 0.82 for t in sc.targets)
    # the original is untouched
    assert tiny_scenario.uses.set_index("route")["capacity"]["bricks"] == 400.0
    with pytest.raises(ValueError, match="capacity_scale must be a finite number >= 0"):
        apply_parameters(tiny_scenario, {"capacity_scale": -1})


def test_unknown_parameter_names_are_refused_before_running(tiny_scenario):
    from parkflow.studies.sweep import check_parameters

    with pytest.raises(ScenarioError, match="'route_value.no_such_route' does not name"):
        check_parameters(tiny_scenario, ["route_value.no_such_route", "target_rate"])


def test_sweep_on_two_workers_survives_a_failed_run_and_resumes(tiny_scenario, tmp_path):
    importlib.import_module("parkflow.solvers.api")
    from parkflow.studies.sweep import read_table, run_sweep

    out = tmp_path / "sweep"
    plan = plan_from_dict({"grid": {"capacity_scale": [0.5, 1.0, -1.0], "target_rate": [0.78]}})
    table = run_sweep(tiny_scenario, plan, out, workers=2, processes=False, show_progress=False)
    assert len(table) == 3
    assert table["run_id"].is_unique
    by_scale = table.set_index("capacity_scale")
    assert by_scale.loc[-1.0, "status"] == "error"
    assert "capacity_scale must be a finite number >= 0" in by_scale.loc[-1.0, "error"]
    # half the capacity: at most 300 + 200 of 1,000 t/a can be used, so 50 %, short of 78 %
    assert by_scale.loc[0.5, "status"] == "target_unreachable"
    assert by_scale.loc[0.5, "rate"] == pytest.approx(0.5, abs=1e-6)
    assert by_scale.loc[1.0, "status"] == "optimal"
    assert by_scale.loc[1.0, "rate"] >= 0.78 - 1e-6
    pd.testing.assert_frame_equal(read_table(out), table)

    bigger = plan_from_dict(
        {"grid": {"capacity_scale": [0.5, 1.0, -1.0], "target_rate": [0.78, 0.82]}}
    )
    again = run_sweep(tiny_scenario, bigger, out, workers=2, processes=False, show_progress=False)
    assert len(again) == 6
    old = table.set_index("run_id")
    kept = again.set_index("run_id").loc[old.index]
    finished = old["status"] != "error"
    # finished runs were not run again: their timings are the stored ones
    np.testing.assert_array_equal(kept.loc[finished, "time_s"], old.loc[finished, "time_s"])
    assert set(again["target_rate"]) == {0.78, 0.82}
