"""`parkflow convert SCENARIO OUT` — a scenario folder to a workbook (OUT.xlsx) and back."""

from __future__ import annotations

import argparse
from pathlib import Path

HELP = (
    "convert a scenario between a folder (CSV + scenario.yaml) and a workbook: OUT ending "
    "in .xlsx is a workbook, anything else a folder"
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the command's arguments."""
    parser.add_argument(
        "scenario",
        metavar="SCENARIO",
        help="scenario folder, .xlsx workbook or layout-variant .yaml",
    )
    parser.add_argument("out", metavar="OUT", help="OUT.xlsx (a workbook) or a folder")
    parser.add_argument(
        "--lang",
        choices=("zh", "en"),
        default="en",
        help="language of a workbook's sheet names and headers (default en)",
    )


def run(args: argparse.Namespace) -> int:
    """Load (validated), then save in the other form (exit 0; 2 bad input or output)."""
    from parkflow.cli import EXIT_OK
    from parkflow.io import load_scenario, save_scenario

    scenario = load_scenario(args.scenario)
    out = save_scenario(scenario, Path(args.out), lang=args.lang)
    print(f"wrote {out}")
    return EXIT_OK
