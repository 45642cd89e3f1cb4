"""The closed vocabularies of parkflow, each defined once.

Every word a user can type or read back for these choices comes from here: the CLI's argparse
``choices``, scenario validation, the docs and the solver code all use these enums (or the tuples
of their values below), so that a new objective or back-end is added in one place.

* :class:`SolveStatus` — the status of a :class:`~parkflow.models.result.Result`
  (docs/cli.md, "Exit codes"; docs/model.md, "Unreachable targets");
* :class:`Termination` — why the back-end stopped (MathOpt's termination reasons, in our words);
* :class:`Objective` — what is optimised (``cost``, ``utilisation``, ``co2``);
* :class:`SolverName` — the back-ends offered (``highs``, ``scip``);
* :class:`Strategy` — how the model is solved (``auto``, ``full``, ``decompose``).

All are ``str`` enums: a member compares equal to its value (``Objective.COST == "cost"``), so
code and files that hold plain strings keep working.

Examples
--------
>>> Objective("co2") is Objective.CO2
True
>>> OBJECTIVES, SOLVER_NAMES, STRATEGIES
(('cost', 'utilisation', 'co2'), ('highs', 'scip'), ('auto', 'full', 'decompose'))
>>> SolveStatus.TARGET_UNREACHABLE.has_solution, SolveStatus.INFEASIBLE.has_solution
(True, False)
"""

from __future__ import annotations

from enum import Enum

__all__ = [
    "SolveStatus",
    "Termination",
    "Objective",
    "SolverName",
    "Strategy",
    "OBJECTIVES",
    "SOLVER_NAMES",
    "STRATEGIES",
    "DEFAULT_STRATEGY",
    "DEFAULT_SOLVER",
    "values",
]


class SolveStatus(str, Enum):
    """The status of a solve (docs/cli.md, "Exit codes")."""

    OPTIMAL = "optimal"
    FEASIBLE = "feasible"  # stopped at a limit with a solution; the gap is reported
    TARGET_UNREACHABLE = "target_unreachable"  # elastic slack used on a target row
    INFEASIBLE = "infeasible"
    ERROR = "error"

    @property
    def has_solution(self) -> bool:
        """True when flows are available."""
        return self in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE, SolveStatus.TARGET_UNREACHABLE)


class Termination(str, Enum):
    """Why a back-end stopped: MathOpt's ``TerminationReason``, named once.

    The numbers of :meth:`from_mathopt` are those of MathOpt's ``TerminationReasonProto``.
    """

    OPTIMAL = "optimal"
    INFEASIBLE = "infeasible"
    UNBOUNDED = "unbounded"
    INFEASIBLE_OR_UNBOUNDED = "infeasible_or_unbounded"
    IMPRECISE = "imprecise"
    NO_SOLUTION_FOUND = "no_solution_found"
    NUMERICAL_ERROR = "numerical_error"
    OTHER_ERROR = "other_error"
    FEASIBLE = "feasible"

    @classmethod
    def from_mathopt(cls, reason: int) -> Termination | None:
        """The member of a ``TerminationReasonProto`` number, None for one we do not know.

        >>> Termination.from_mathopt(9), Termination.from_mathopt(42)
        (<Termination.FEASIBLE: 'feasible'>, None)
        """
        return _MATHOPT_TERMINATION.get(int(reason))


_MATHOPT_TERMINATION = {
    1: Termination.OPTIMAL,
    2: Termination.INFEASIBLE,
    3: Termination.UNBOUNDED,
    4: Termination.INFEASIBLE_OR_UNBOUNDED,
    5: Termination.IMPRECISE,
    6: Termination.NO_SOLUTION_FOUND,
    7: Termination.NUMERICAL_ERROR,
    8: Termination.OTHER_ERROR,
    9: Termination.FEASIBLE,
}

#: MathOpt's ``LimitProto`` numbers → the word we report (``solver["limit"]``).
MATHOPT_LIMITS = {
    0: "",
    1: "undetermined",
    2: "iteration",
    3: "time",
    4: "node",
    5: "solution",
    6: "memory",
    7: "objective",
    8: "norm",
    9: "interrupted",
    10: "slow_progress",
    11: "other",
    12: "cutoff",
}


class Objective(str, Enum):
    """What a solve optimises (docs/model.md, "Objective `cost`" and "Alternative objectives")."""

    COST = "cost"
    UTILISATION = "utilisation"
    CO2 = "co2"


class SolverName(str, Enum):
    """The back-ends offered; CP-SAT is not one (wrong optima with continuous variables)."""

    HIGHS = "highs"
    SCIP = "scip"

    @property
    def mathopt(self) -> str:
        """The member name of MathOpt's ``SolverType``."""
        return {"highs": "HIGHS", "scip": "GSCIP"}[self.value]


class Strategy(str, Enum):
    """How a scenario is solved: chosen by size, one whole MILP, or decomposed."""

    AUTO = "auto"
    FULL = "full"
    DECOMPOSE = "decompose"


def values(enum: type[Enum]) -> tuple[str, ...]:
    """The values of an enum, in declaration order (for argparse ``choices`` and messages).

    >>> values(Strategy)
    ('auto', 'full', 'decompose')
    """
    return tuple(str(m.value) for m in enum)


OBJECTIVES = values(Objective)
SOLVER_NAMES = values(SolverName)
STRATEGIES = values(Strategy)
#: The strategy of ``parkflow solve`` and of :func:`parkflow.solve` when none is given.
DEFAULT_STRATEGY = Strategy.AUTO.value
#: The back-end used when neither the caller nor the scenario names one.
DEFAULT_SOLVER = SolverName.HIGHS.value
