"""`parkflow report DIR` — the filing tables of a solve's output folder, in Chinese or English."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from parkflow.commands._outputs import is_solve_folder
from parkflow.errors import ScenarioError

HELP = "write the utilisation-rate filing tables (md, html, xlsx, csv) into a solve's output folder"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the command's arguments."""
    parser.add_argument("dir", metavar="DIR", help="output folder of `parkflow solve`")
    parser.add_argument(
        "--lang",
        choices=("zh", "en"),
        default="zh",
        help="language of the tables (default: zh, the official terms)",
    )
    parser.add_argument(
        "--format",
        dest="formats",
        action="append",
        choices=("md", "html", "xlsx", "csv"),
        help="format to write; repeat for several (default: all four)",
    )
    parser.add_argument(
        "--scorecard",
        action="store_true",
        help="write only the circular-transformation scorecard and the project "
        "list, as scorecard.md/.html/.xlsx (every report includes them too)",
    )
    parser.add_argument(
        "--units",
        choices=("wan", "t"),
        default=None,
        help="units of md, html and xlsx: wan (万t/a, 万元/a) or t (t/a, CNY/a); "
        "default wan for a Chinese report of 100,000 t/a or more, else t "
        "(the CSVs are always in t/a and CNY/a)",
    )


def _scenario_from_summary(folder: Path) -> Any:
    """The solved scenario, when summary.json names a path that still loads; else None."""
    from parkflow.io import load_scenario
    from parkflow.io.solution import scenario_path_of

    try:
        path = scenario_path_of(folder)
    except FileNotFoundError as exc:
        if "no longer there" in str(exc):
            print(f"note: {exc}; the report shows ids instead of names", file=sys.stderr)
        return None
    except OSError:
        return None

    try:
        return load_scenario(path)
    except ScenarioError as exc:
        print(
            f"note: the scenario {path} no longer loads ({len(exc.problems)} problems); "
            "the report shows ids instead of names",
            file=sys.stderr,
        )
        return None


def run(args: argparse.Namespace) -> int:
    """Read DIR, build the report and write it into DIR (exit 0; 2 when DIR is not a solve).

    The before/after tables and the chart's "before" bars come from the baseline files of DIR
    (``baseline_utilisation.csv``, ``baseline_sources.csv``, ``summary.json["baseline"]``); a
    folder without a baseline (``--no-baseline``) gives a report that says so.
    """
    folder = Path(args.dir)
    if not is_solve_folder(folder):
        return 2
    from parkflow.io.solution import read_result
    from parkflow.report import FORMATS, write_reports

    result = read_result(folder)
    scenario = _scenario_from_summary(folder)
    formats = tuple(args.formats) if args.formats else FORMATS
    from parkflow.report.tables import SCORECARD_TABLES

    extra: dict[str, Any] = (
        {"only": SCORECARD_TABLES, "stem": "scorecard"} if args.scorecard else {}
    )
    paths = write_reports(
        scenario, result, folder, lang=args.lang, formats=formats, units=args.units, **extra
    )
    for p in paths:
        print(p)
    return 0
