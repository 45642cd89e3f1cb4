"""parkflow — optimise by-product exchange between the enterprises of an industrial park.

>>> import parkflow as pf
>>> sc = pf.load_scenario(pf.bundled_scenario_path("leshan-wutongqiao"))
>>> sc.name
'Leshan Wutongqiao 2025'
>>> from parkflow.examples import tiny_park
>>> res = pf.solve(tiny_park(), objective="cost")  # the hand-checkable park of parkflow.examples
>>> float(res.objective["total_cny_per_a"])
-13200.0
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

# public name -> module that defines it; imported on first use so that `parkflow --help` is fast
_EXPORTS = {
    "Scenario": "parkflow.models.scenario",
    "Target": "parkflow.models.scenario",
    "Catalogue": "parkflow.models.scenario",
    "Result": "parkflow.models.result",
    "SolveStatus": "parkflow.models.enums",
    "ScenarioError": "parkflow.errors",
    "InfeasibleError": "parkflow.errors",
    "SolverUnavailableError": "parkflow.errors",
    "ParkflowWarning": "parkflow.errors",
    "load_scenario": "parkflow.io",
    "save_scenario": "parkflow.io",
    "scenario_from_frames": "parkflow.io",
    "validate": "parkflow.io",
    "load_catalogue": "parkflow.catalogue",
    "bundled_scenarios": "parkflow.io.bundled",
    "bundled_scenario_path": "parkflow.io.bundled",
    "candidate_links": "parkflow.network",
    "solve": "parkflow.solvers.api",
    "available_solvers": "parkflow.solvers.backends",
    "render_map": "parkflow.maps",
    "read_solution": "parkflow.io.solution",
    "write_solution": "parkflow.io.solution",
    "summary_dict": "parkflow.statistics.summary",
    "write_reports": "parkflow.report",
}

__all__ = sorted(_EXPORTS) + ["__version__"]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    msg = f"module 'parkflow' has no attribute {name!r}"
    raise AttributeError(msg)
