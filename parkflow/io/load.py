"""Loading a scenario from any path: a folder, a workbook or a layout variant (``.yaml``).

The only module that knows every kind of scenario path: folders and workbooks go through
:mod:`parkflow.io.readers` and :mod:`parkflow.io.assemble`, layout variants through
:mod:`parkflow.io.overlay` (which loads its base through the same two). Keeping the dispatch
here, above both, is what keeps ``overlay`` and ``assemble`` free of an import cycle.
"""

from __future__ import annotations

from pathlib import Path

from parkflow.errors import Problem, ScenarioError
from parkflow.io.assemble import validate_tables
from parkflow.io.overlay import load_overlay
from parkflow.models.scenario import Scenario

__all__ = ["validate", "load_scenario"]


def validate(path: str | Path) -> tuple[Scenario | None, list[Problem]]:
    """Check a scenario and collect every problem.

    Parameters
    ----------
    path : path
        A scenario folder, an ``.xlsx`` workbook, or a layout-variant ``.yaml`` file.

    Returns
    -------
    scenario : Scenario or None
        The loaded scenario when there is no problem, else None.
    problems : list of Problem
        Every problem found (file, spreadsheet row, column, message, fix); empty when valid.
    """
    path = Path(path)
    if path.is_file() and path.suffix.lower() in (".yaml", ".yml"):
        try:
            return load_overlay(path), []
        except ScenarioError as exc:
            return None, list(exc.problems)
    return validate_tables(path)


def load_scenario(path: str | Path) -> Scenario:
    """Load a scenario folder, an ``.xlsx`` workbook or a layout-variant ``.yaml``.

    Parameters
    ----------
    path : path
        See :func:`validate`. Nothing is written; the input files are only read.

    Returns
    -------
    Scenario
        Validated, quantities in canonical units, coordinates WGS-84.

    Raises
    ------
    ScenarioError
        Holding every problem found (see :func:`validate`).
    """
    scenario, problems = validate(path)
    if problems or scenario is None:
        raise ScenarioError(problems, source=str(path))
    return scenario
