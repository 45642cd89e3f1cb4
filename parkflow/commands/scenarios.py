"""`parkflow scenarios` — list the bundled scenarios with their size and description."""

from __future__ import annotations

import argparse

HELP = "list the bundled scenarios (name, enterprises, description)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the command's arguments (none)."""


def _describe(name: str) -> tuple[str, str]:
    """(enterprise count, description) read from the files, without a full load."""
    from parkflow.errors import ScenarioError
    from parkflow.io import decode_bytes, read_csv_any
    from parkflow.io.bundled import bundled_scenario_path
    from parkflow.io.yaml import load_yaml

    folder = bundled_scenario_path(name)
    file = folder / "scenario.yaml"
    try:
        config = load_yaml(decode_bytes(file.read_bytes())[0], str(file)) or {}
    except (OSError, ScenarioError):
        config = {}
    if not isinstance(config, dict):
        config = {}
    description = str(config.get("description") or "").strip().splitlines()
    try:
        count = str(len(read_csv_any(folder / "enterprises.csv")))
    except (OSError, ValueError):
        count = "?"
    title = str(config.get("name") or name)
    text = f"{title}: {description[0]}" if description else title
    if len(text) > 110:
        text = text[:109].rstrip() + "…"
    return count, text


def run(args: argparse.Namespace) -> int:
    """Print one line per bundled scenario."""
    from parkflow.cli import EXIT_OK
    from parkflow.io.bundled import DEFAULT_SCENARIO, bundled_scenarios

    names = bundled_scenarios()
    if not names:
        print("no bundled scenarios found")
        return EXIT_OK
    width = max(len(n) for n in names)
    print(f"{'scenario':<{width}}  enterprises  description")
    for name in names:
        count, text = _describe(name)
        mark = " (default)" if name == DEFAULT_SCENARIO else ""
        print(f"{name:<{width}}  {count:>11}  {text}{mark}")
    return EXIT_OK
