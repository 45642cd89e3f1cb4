"""Former home of ``solve`` (kept for callers not yet switched; remove at the next wave).

The code moved: :mod:`parkflow.solvers.api` (``solve``), :mod:`parkflow.solvers.full` (the
whole-model solve) and :mod:`parkflow.solvers.solution` (a solution vector → ``Result``).
This module only re-exports those names; it holds no logic.
"""

from __future__ import annotations

from parkflow.solvers.api import solve
from parkflow.solvers.full import (
    SolveOptions,
    expand_targets,
    resolve_options,
    solve_baseline,
    solve_network,
    trivial_start,
)
from parkflow.solvers.solution import UNREACHABLE_NOTE, empty_result, result_from_solution

__all__ = ["solve", "solve_network", "solve_baseline", "resolve_options", "SolveOptions",
           "expand_targets", "trivial_start", "result_from_solution", "empty_result",
           "UNREACHABLE_NOTE"]
