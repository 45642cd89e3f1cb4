"""Former home of the strategy choice, folded into :mod:`parkflow.solvers.api`.

Kept for callers not yet switched (remove at the next wave); it re-exports, holds no logic.
"""

from __future__ import annotations

from parkflow.solvers.api import (
    DECOMPOSE_MIN_LINKS,
    STRATEGIES,
    choose_strategy,
    solve_with_strategy,
)

__all__ = ["STRATEGIES", "DECOMPOSE_MIN_LINKS", "choose_strategy", "solve_with_strategy"]
