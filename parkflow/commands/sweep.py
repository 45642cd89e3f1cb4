"""`parkflow sweep` — a parameter grid or Monte Carlo runs on Dask, into one Parquet table."""

from __future__ import annotations

import argparse
from pathlib import Path

HELP = "sweep prices, reach, capacities and targets over a grid (YAML) on Dask; one Parquet table"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the command's arguments."""
    parser.add_argument("scenario", metavar="SCENARIO", help="scenario folder or .xlsx workbook")
    parser.add_argument(
        "--grid",
        required=True,
        metavar="GRID.yaml",
        help="grid file: grid: (cartesian lists) and/or samples: N with "
        "parameters: (distributions); see docs/research.md",
    )
    parser.add_argument(
        "--out",
        default="parkflow-sweep",
        metavar="DIR",
        help="output folder (default ./parkflow-sweep); a rerun skips finished runs",
    )
    parser.add_argument(
        "--scheduler",
        default=None,
        metavar="ADDRESS",
        help="address of a running Dask scheduler (default: a LocalCluster)",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=2,
        metavar="N",
        help="LocalCluster worker processes (default 2)",
    )


def run(args: argparse.Namespace) -> int:
    """Run the sweep and print a short summary."""
    from parkflow.cli import EXIT_BAD_INPUT, EXIT_OK
    from parkflow.io import load_scenario
    from parkflow.studies.sweep import TABLE_NAME, load_plan, run_sweep

    if args.workers < 1:
        print(f"error: --workers must be >= 1, got {args.workers}")
        return EXIT_BAD_INPUT
    from parkflow.io.atomic import preflight

    preflight(args.out, [Path(args.scenario), Path(args.grid)], merge=True)
    plan = load_plan(args.grid)
    scenario = load_scenario(args.scenario)
    out = Path(args.out)
    table = run_sweep(
        scenario,
        plan,
        out,
        scheduler=args.scheduler,
        workers=args.workers,
        inputs=[Path(args.scenario), Path(args.grid)],
    )
    counts = table["status"].value_counts().to_dict()
    text = ", ".join(f"{n} {s}" for s, n in counts.items())
    print(f"{len(table)} runs ({text}) in {out / TABLE_NAME}")
    return EXIT_OK
