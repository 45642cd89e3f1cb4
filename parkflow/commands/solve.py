"""`parkflow solve SCENARIO --out DIR` — optimise a scenario and write its solution folder."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from parkflow.models.enums import DEFAULT_STRATEGY, OBJECTIVES, SOLVER_NAMES, STRATEGIES

if TYPE_CHECKING:
    from parkflow.models.result import Result

HELP = "optimise a scenario and write summary.json, flows.csv, utilisation.csv... into --out"

EXIT_OK = 0
EXIT_NO_SOLUTION = 3


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the command's arguments."""
    parser.add_argument("scenario", metavar="SCENARIO", help="scenario folder or .xlsx workbook")
    parser.add_argument(
        "--out",
        required=True,
        metavar="DIR",
        help="output folder (outside the scenario; replaced whole)",
    )
    parser.add_argument(
        "--objective",
        choices=OBJECTIVES,
        default=None,
        help="what to optimise (default: the scenario's objective)",
    )
    parser.add_argument(
        "--time-limit",
        type=float,
        default=None,
        metavar="S",
        help="solver time limit in seconds (default: the scenario's)",
    )
    parser.add_argument(
        "--gap",
        type=float,
        default=None,
        metavar="G",
        help="relative MIP gap at which to stop (default: the scenario's)",
    )
    parser.add_argument(
        "--solver",
        choices=SOLVER_NAMES,
        default=None,
        help="back-end (default: the scenario's, else highs)",
    )
    parser.add_argument(
        "--strategy",
        choices=STRATEGIES,
        default=DEFAULT_STRATEGY,
        help="auto (default): decompose large cost models (> 20,000 candidate "
        "links, one target) into independent blocks; full: one MILP; decompose: "
        "always (docs/performance.md)",
    )
    parser.add_argument(
        "--scheduler",
        default=None,
        metavar="ADDRESS",
        help="address of a running Dask scheduler (tcp://host:8786): the blocks of a "
        "decomposed solve run on its workers (default: local processes)",
    )
    parser.add_argument(
        "--lang",
        choices=("zh", "en"),
        default="zh",
        help="language of report.md, report.html, map.html and of the summary printed (default zh)",
    )
    parser.add_argument(
        "--json", action="store_true", help="print summary.json to stdout instead of a text summary"
    )
    parser.add_argument(
        "--no-baseline",
        action="store_true",
        help="skip the before (today's practice; the existing-links-only solve for a "
        "scenario without baseline_quantity)",
    )


def print_build_plan(result: Result, file: TextIO | None = None, lang: str = "en") -> None:
    """The build plan (项目清单) of a result with candidate facilities (issue 12); else nothing.

    With periods, each year's rates and the dated plan
    (:func:`parkflow.report.console.period_lines`).
    """
    from parkflow.report.console import build_plan_lines, period_lines

    file = file or sys.stdout
    lines = period_lines(result, lang) if getattr(result, "periods", None) else []
    lines = lines or build_plan_lines(result, lang)
    for line in lines:
        print(line, file=file)


def print_summary(
    result: Result,
    out: Path | None = None,
    file: TextIO | None = None,
    lang: str = "en",
) -> None:
    """A short plain-text summary of a result (status, cost and all its parts, CO2, targets).

    Parameters
    ----------
    result : Result
    out : path, optional
        The folder written.
    file : text stream, optional
        Default stdout.
    lang : {"zh", "en"}
        Language of the summary (the command's ``--lang``); see
        :func:`parkflow.report.console.summary_lines`.
    """
    from parkflow.report.console import summary_lines

    file = file or sys.stdout
    for line in summary_lines(result, lang, out):
        print(line, file=file)
    print_build_plan(result, file=file, lang=lang)


def run(args: argparse.Namespace) -> int:
    """Load, solve, write (exit 0 solved, also with unreachable targets; 2 bad input; 3 none)."""
    from parkflow.commands._outputs import write_solve_folder
    from parkflow.io import load_scenario
    from parkflow.io.atomic import output_dir, preflight
    from parkflow.solvers.api import solve_with_strategy
    from parkflow.statistics.summary import summary_dict

    path = Path(args.scenario)
    out = Path(args.out)
    preflight(out, [path])  # fail before a long solve, not after
    scenario = load_scenario(path)
    # progress line on a terminal (issue 13; quiet under --json or when piped)
    from parkflow.commands._progress import solve_progress

    with solve_progress(enabled=not args.json) as progress:
        result = solve_with_strategy(
            scenario,
            strategy=args.strategy,
            objective=args.objective,
            solver=args.solver,
            time_limit_s=args.time_limit,
            gap=args.gap,
            baseline=not args.no_baseline,
            progress=progress,
            scheduler=args.scheduler,
        )
    with output_dir(out, inputs=[path]) as tmp:
        write_solve_folder(scenario, result, tmp, lang=args.lang)
    if args.json:
        print(
            json.dumps(
                summary_dict(result, scenario_path=path.resolve()), ensure_ascii=False, indent=2
            )
        )
    else:
        print_summary(result, out, lang=args.lang)
    return EXIT_OK if result.status.has_solution else EXIT_NO_SOLUTION
