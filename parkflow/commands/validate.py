"""`parkflow validate SCENARIO` — list every problem of a scenario, or summarise a clean one."""

from __future__ import annotations

import argparse
import sys

HELP = "check a scenario: every problem with file, row, column and the fix (writes nothing)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the command's arguments."""
    parser.add_argument(
        "scenario",
        metavar="SCENARIO",
        help="scenario folder, .xlsx workbook or layout-variant .yaml",
    )


def run(args: argparse.Namespace) -> int:
    """Validate; exit 0 and print the summary when clean, else print the problems and exit 2."""
    from parkflow.cli import EXIT_BAD_INPUT, EXIT_OK
    from parkflow.io import summarise, validate

    scenario, problems = validate(args.scenario)
    if problems or scenario is None:
        n = len(problems)
        print(f"{args.scenario}: {n} problem{'s' if n != 1 else ''}", file=sys.stderr)
        for problem in problems:
            print(f"  - {problem}", file=sys.stderr)
        print("Nothing was written.", file=sys.stderr)
        return EXIT_BAD_INPUT
    print(summarise(scenario))
    print(f"{args.scenario}: no problems found.")
    return EXIT_OK
