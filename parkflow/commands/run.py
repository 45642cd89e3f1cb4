"""`parkflow run` — solve the bundled default scenario end to end, with a progress display."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from parkflow.models.enums import DEFAULT_STRATEGY, SOLVER_NAMES, STRATEGIES

if TYPE_CHECKING:
    from parkflow.models.result import Result

HELP = "solve the bundled default scenario and write its results into ./parkflow-out"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the command's arguments."""
    parser.add_argument(
        "--out",
        default="parkflow-out",
        metavar="DIR",
        help="output folder (default: ./parkflow-out)",
    )
    parser.add_argument(
        "--scenario",
        default=None,
        metavar="NAME",
        help="bundled scenario name (default: leshan-wutongqiao)",
    )
    parser.add_argument(
        "--lang",
        choices=("zh", "en"),
        default="zh",
        help="language of report.md, report.html and map.html (default zh)",
    )
    parser.add_argument(
        "--solver", choices=SOLVER_NAMES, default=None, help="back-end (default: the scenario's)"
    )
    parser.add_argument(
        "--strategy",
        choices=STRATEGIES,
        default=DEFAULT_STRATEGY,
        help="auto (default): decompose large cost models; full: one MILP; "
        "decompose: always (see parkflow solve)",
    )


def _links_text(result: Result) -> str:
    """``22 (3 existing, 19 new; 1 idle)`` — the counts of summary.json (see link_counts)."""
    from parkflow.statistics.links import link_counts

    n = link_counts(result)
    idle = f"; {n['links_idle']} idle" if n["links_idle"] else ""
    return f"{n['links_built']} ({n['links_existing']} existing, {n['links_new']} new{idle})"


def run(args: argparse.Namespace) -> int:
    """Load the default scenario, solve, write the folder, print a summary table."""
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from parkflow.commands._outputs import write_solve_folder
    from parkflow.i18n import label
    from parkflow.io import load_scenario
    from parkflow.io.atomic import output_dir, preflight
    from parkflow.io.bundled import DEFAULT_SCENARIO, bundled_scenario_path
    from parkflow.report.console import summary_table
    from parkflow.solvers.api import solve_with_strategy

    console = Console(stderr=True)
    path = bundled_scenario_path(args.scenario or DEFAULT_SCENARIO)
    out = Path(args.out)
    preflight(out, [path])
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as progress:
        task = progress.add_task(f"loading {path.name}", total=None)
        scenario = load_scenario(path)

        def say(message: str) -> None:
            progress.update(task, description=message)

        result = solve_with_strategy(
            scenario, strategy=args.strategy, solver=args.solver, progress=say
        )
        say(f"writing {out}")
        with output_dir(out, inputs=[path]) as tmp:
            write_solve_folder(scenario, result, tmp, lang=args.lang)
    Console().print(summary_table(result, args.lang))
    if result.message:
        Console().print(result.message)
    Console().print(f"{label('c_written', args.lang)} {out}")
    return 0 if result.status.has_solution else 3
