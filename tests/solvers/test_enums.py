"""One registry of names (parkflow.models.enums), used by the CLI, validation and the solvers."""

from __future__ import annotations

import inspect

import pytest

import parkflow as pf
from parkflow.models import enums


def test_solve_status_has_one_definition_and_the_old_names_work():
    from parkflow.models.result import SolveStatus

    assert SolveStatus is enums.SolveStatus is pf.SolveStatus


def test_the_cli_choices_are_the_registry():
    from parkflow.cli import build_parser

    sub = build_parser()._subparsers._group_actions[0].choices["solve"]  # noqa: SLF001
    choices = {a.dest: tuple(a.choices) for a in sub._actions if a.choices}  # noqa: SLF001
    assert choices["objective"] == enums.OBJECTIVES
    assert choices["solver"] == enums.SOLVER_NAMES
    assert choices["strategy"] == enums.STRATEGIES
    default = next(a.default for a in sub._actions if a.dest == "strategy")  # noqa: SLF001
    assert default == enums.DEFAULT_STRATEGY


def test_scenario_validation_knows_the_same_objectives():
    from parkflow.io import checks

    assert tuple(checks.OBJECTIVES) == enums.OBJECTIVES
    assert tuple(checks.SOLVER_NAMES) == enums.SOLVER_NAMES


def test_backends_offer_the_registered_solvers():
    from parkflow.solvers.backends import SOLVERS

    assert tuple(SOLVERS) == enums.SOLVER_NAMES


def test_pf_solve_defaults_to_the_cli_strategy():
    default = inspect.signature(pf.solve).parameters["strategy"].default
    assert default == enums.DEFAULT_STRATEGY == "auto"


def test_the_private_mathopt_call_still_has_the_signature_we_use():
    from parkflow.solvers.backends import core_solve_signature_problem

    problem = core_solve_signature_problem()
    assert problem == "", problem


def test_a_changed_signature_is_reported_by_name(monkeypatch):
    from ortools.math_opt.core.python import solver as core_solver

    from parkflow.solvers import backends

    class Fake:
        __doc__ = "solve(model: M, solver_type: T, interrupter: I) -> R"

    monkeypatch.setattr(core_solver, "solve", Fake())
    problem = backends.core_solve_signature_problem()
    assert "ortools.math_opt.core.python.solver.solve changed" in problem
    assert "model, solver_type, interrupter" in problem


@pytest.mark.parametrize("reason", range(1, 10))
def test_every_mathopt_termination_reason_has_a_name(reason):
    assert enums.Termination.from_mathopt(reason) is not None
