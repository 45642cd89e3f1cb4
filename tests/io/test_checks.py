"""Validation rules as named functions (parkflow.io.checks): one test per rule, with its message."""

from __future__ import annotations

import pytest

from parkflow.io.checks import (
    Problems,
    check_choice,
    check_coordinates,
    check_declared_extras,
    check_name,
    check_operating_hours,
    check_solver,
    check_year,
)


def _one(problems: Problems):
    (p,) = problems
    return p


def test_check_name():
    problems = Problems()
    assert check_name({}, "scenario.yaml", problems) == ""
    assert _one(problems).message == "the scenario has no name"


def test_check_coordinates():
    problems = Problems()
    assert check_coordinates({"coordinates": "gcj2"}, "f", problems) == "wgs84"
    assert (
        "coordinates 'gcj2' is not wgs84 or gcj02 (did you mean 'gcj02'?)" in _one(problems).message
    )


@pytest.mark.parametrize("hours", [0, 9000, "many"])
def test_check_operating_hours(hours):
    problems = Problems()
    assert check_operating_hours({"operating_hours": hours}, "f", problems) == 8000.0
    assert "must be a number of hours per year, 0-8784" in _one(problems).message


def test_check_year():
    problems = Problems()
    assert check_year({"year": "next"}, "f", problems) is None
    assert _one(problems).message == "year 'next' is not a year"


def test_check_choice():
    problems = Problems()
    assert check_choice({"objective": "profit"}, "objective", "f", problems) == "cost"
    assert "objective 'profit' is not one of cost, utilisation, co2" in _one(problems).message


def test_check_solver():
    problems = Problems()
    check_solver({"solver": {"name": "gurobi"}}, "f", problems)
    assert _one(problems).message == "unknown solver 'gurobi'"


def test_declared_setting_min_flow():
    problems = Problems()
    extra = {"min_flow": -5}
    check_declared_extras(extra, "scenario.yaml", problems)
    p = _one(problems)
    assert p.message == "min_flow -5 must be a non-negative number (canonical unit/a)"
    assert p.column == "min_flow"
    assert "min_flow" not in extra


def test_declared_setting_max_candidates():
    problems = Problems()
    extra = {"max_candidates_per_supply": "many"}
    check_declared_extras(extra, "scenario.yaml", problems)
    assert _one(problems).message == "max_candidates_per_supply 'many' is not a whole number"
    ok = {"max_candidates_per_supply": "none", "min_flow": 60}
    check_declared_extras(ok, "f", problems := Problems())
    assert not problems
    assert ok == {"max_candidates_per_supply": "none", "min_flow": 60}


def test_problems_translate_rows_after_dropped_rows():
    problems = Problems()
    problems.set_rows("s.csv", [2, 5])
    problems.add("s.csv", "x", row=3)
    assert problems[0].row == 5
    assert problems.row("s.csv", 1) == 5


def test_a_key_close_to_a_declared_one_is_named():
    from parkflow.errors import ParkflowWarning
    from parkflow.io.checks import check_unknown_keys

    with pytest.warns(
        ParkflowWarning,
        match=r"unknown key 'objectve' \(did you mean "
        r"'objective'\?\); it is kept but not used",
    ):
        check_unknown_keys({"objectve": "co2"}, "scenario.yaml")
    check_unknown_keys({"notes": "kept quietly"}, "scenario.yaml")
