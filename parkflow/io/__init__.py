"""Scenario files: loading, validating and saving (the only package that knows file formats).

A scenario is a folder (``scenario.yaml`` + CSV tables + optional ``parks.geojson``), one
``.xlsx`` workbook (the same tables as sheets, a ``scenario`` sheet of ``key | value`` rows), or a
layout variant (a ``.yaml`` that changes a base) — see docs/scenario-format.md.

The stages, one module each:

* :mod:`~parkflow.io.cells` — what a cell means (numbers, true/false, blanks);
* :mod:`~parkflow.io.readers` — bytes → text, CSV / workbook / folder → raw frames;
* :mod:`~parkflow.io.checks` — validation, one named function per rule, collecting problems;
* :mod:`~parkflow.io.assemble` — raw frames → :class:`~parkflow.models.scenario.Scenario`;
* :mod:`~parkflow.io.overlay` — layout variants; :mod:`~parkflow.io.load` — any path;
* :mod:`~parkflow.io.writers` — :func:`save_scenario`, :func:`summarise`;
* :mod:`~parkflow.io.bundled`, :mod:`~parkflow.io.atomic` — shipped scenarios, safe output.

:func:`validate` collects every problem (file, spreadsheet row, column, fix) before giving up;
:func:`load_scenario` raises one :class:`~parkflow.errors.ScenarioError` holding all of them.
Loading never writes anything; saving goes through :func:`parkflow.io.atomic.output_dir`.

This package only re-exports the public names, lazily: importing a stage module (say
``parkflow.io.cells`` from the catalogue) does not import the others.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from parkflow.io.assemble import scenario_from_frames
    from parkflow.io.load import load_scenario, validate
    from parkflow.io.readers import decode_bytes, read_csv_any, read_frame
    from parkflow.io.writers import save_scenario, summarise

__all__ = [
    "load_scenario",
    "validate",
    "scenario_from_frames",
    "save_scenario",
    "summarise",
    "read_csv_any",
    "decode_bytes",
    "read_frame",
]

_HOME = {
    "load_scenario": "parkflow.io.load",
    "validate": "parkflow.io.load",
    "scenario_from_frames": "parkflow.io.assemble",
    "save_scenario": "parkflow.io.writers",
    "summarise": "parkflow.io.writers",
    "read_csv_any": "parkflow.io.readers",
    "decode_bytes": "parkflow.io.readers",
    "read_frame": "parkflow.io.readers",
}


def __getattr__(name: str) -> Any:
    """Import a public name from its stage module on first use."""
    if name in _HOME:
        value = getattr(import_module(_HOME[name]), name)
        globals()[name] = value
        return value
    msg = f"module 'parkflow.io' has no attribute {name!r}"
    raise AttributeError(msg)


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
