"""The scenarios bundled in the repository's ``scenarios/`` folder."""

from __future__ import annotations

from pathlib import Path

DEFAULT_SCENARIO = "leshan-wutongqiao"


def scenarios_root() -> Path:
    """The ``scenarios/`` folder (a source checkout, or an installed copy of it)."""
    here = Path(__file__).resolve().parent.parent
    for candidate in (here.parent / "scenarios", here / "data" / "scenarios"):
        if candidate.is_dir():
            return candidate
    msg = "bundled scenarios not found: run parkflow from a source checkout"
    raise FileNotFoundError(msg)


def bundled_scenarios() -> list[str]:
    """Names of the bundled scenarios (folders under ``scenarios/`` holding a scenario.yaml)."""
    root = scenarios_root()
    return sorted(p.name for p in root.iterdir() if (p / "scenario.yaml").is_file())


def bundled_scenario_path(name: str = DEFAULT_SCENARIO) -> Path:
    """Path of a bundled scenario by name."""
    path = scenarios_root() / name
    if not (path / "scenario.yaml").is_file():
        known = ", ".join(bundled_scenarios())
        msg = f"no bundled scenario {name!r}; known: {known}"
        raise FileNotFoundError(msg)
    return path
