"""The solution folder: summary.json format 2 against its schema, typed read-back, portability."""

from __future__ import annotations

import json
import shutil
from importlib import resources

import jsonschema
import pytest

import parkflow as pf
from parkflow.io import load_scenario
from parkflow.io.bundled import bundled_scenario_path, bundled_scenarios
from parkflow.io.solution import (
    read_result,
    read_solution,
    scenario_path_of,
    scenario_sha256,
    write_solution,
)
from parkflow.solvers.api import solve


@pytest.fixture(scope="module")
def schema():
    text = resources.files("parkflow").joinpath("data/summary.schema.json").read_text("utf-8")
    s = json.loads(text)
    jsonschema.Draft202012Validator.check_schema(s)
    return s


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(n, marks=pytest.mark.slow) if "province" in n else n
        for n in bundled_scenarios()
    ],
)
def test_every_bundled_output_validates_against_the_schema(name, schema, tmp_path, solved_bundled):
    path = bundled_scenario_path(name)
    sc, res = solved_bundled(name)
    out = write_solution(sc, res, tmp_path / "out")
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    jsonschema.validate(summary, schema)
    assert summary["format_version"] == 2
    assert summary["parkflow_version"] == pf.__version__
    assert summary["scenario"] == sc.name
    assert not summary["scenario_path"].startswith("/")  # relative to the output folder
    assert (out / summary["scenario_path"]).resolve() == path.resolve()
    assert summary["scenario_sha256"] == scenario_sha256(path)


def test_a_copied_folder_still_finds_its_scenario(tmp_path):
    src = bundled_scenario_path("leshan-wutongqiao")
    here = tmp_path / "a"
    shutil.copytree(src, here / "scenarios" / "leshan")
    sc = load_scenario(here / "scenarios" / "leshan")
    write_solution(sc, solve(sc, baseline=False), here / "out" / "leshan")
    there = tmp_path / "elsewhere" / "b"
    shutil.copytree(here, there)
    shutil.rmtree(here)
    assert (
        scenario_path_of(there / "out" / "leshan").resolve()
        == (there / "scenarios" / "leshan").resolve()
    )
    scenario, result = read_solution(there / "out" / "leshan")
    assert scenario is not None
    assert scenario.name == sc.name
    assert result.status.has_solution


def test_results_read_back_typed(tmp_path, solved_bundled):
    sc, res = solved_bundled("leshan-wutongqiao")
    out = write_solution(sc, res, tmp_path / "o")
    back = read_result(out)
    assert back.flows["existing"].dtype == bool
    assert back.targets["met"].dtype == bool
    assert back.baseline is not None
    assert back.baseline.flows["existing"].dtype == bool
    assert all(isinstance(i, str) for i in back.flows.index)


def test_missing_scenario_gives_none_and_a_clear_lookup_error(tmp_path):
    sc = load_scenario(bundled_scenario_path("leshan-wutongqiao"))
    copy = tmp_path / "sc"
    shutil.copytree(bundled_scenario_path("leshan-wutongqiao"), copy)
    sc = load_scenario(copy)
    out = write_solution(sc, solve(sc, baseline=False), tmp_path / "o")
    shutil.rmtree(copy)
    with pytest.raises(FileNotFoundError, match="no longer there"):
        scenario_path_of(out)
    scenario, result = read_solution(out)
    assert scenario is None
    assert result.status.has_solution


def test_format_1_absolute_paths_still_resolve(tmp_path, solved_bundled):
    sc, res = solved_bundled("leshan-wutongqiao", baseline=False)
    out = write_solution(sc, res, tmp_path / "o")
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    summary["scenario_path"] = str(bundled_scenario_path("leshan-wutongqiao").resolve())
    for key in ("format_version", "parkflow_version", "scenario_sha256"):
        del summary[key]
    (out / "summary.json").write_text(json.dumps(summary), encoding="utf-8")
    assert scenario_path_of(out) == bundled_scenario_path("leshan-wutongqiao").resolve()


def test_public_names():
    assert pf.read_solution is read_solution
    assert pf.write_solution is write_solution
    from parkflow.report import write_reports

    assert pf.write_reports is write_reports
