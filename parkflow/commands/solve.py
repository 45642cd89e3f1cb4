"""`parkflow solve SCENARIO --out DIR` — optimise a scenario and write its solution folder."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from parkflow.models.enums import DEFAULT_STRATEGY, OBJECTIVES, SOLVER_NAMES, STRATEGIES

HELP = "optimise a scenario and write summary.json, flows.csv, utilisation.csv... into --out"

EXIT_OK = 0
EXIT_NO_SOLUTION = 3


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the command's arguments."""
    parser.add_argument("scenario", metavar="SCENARIO", help="scenario folder or .xlsx workbook")
    parser.add_argument("--out", required=True, metavar="DIR",
                        help="output folder (outside the scenario; replaced whole)")
    parser.add_argument("--objective", choices=OBJECTIVES, default=None,
                        help="what to optimise (default: the scenario's objective)")
    parser.add_argument("--time-limit", type=float, default=None, metavar="S",
                        help="solver time limit in seconds (default: the scenario's)")
    parser.add_argument("--gap", type=float, default=None, metavar="G",
                        help="relative MIP gap at which to stop (default: the scenario's)")
    parser.add_argument("--solver", choices=SOLVER_NAMES, default=None,
                        help="back-end (default: the scenario's, else highs)")
    parser.add_argument("--strategy", choices=STRATEGIES, default=DEFAULT_STRATEGY,
                        help="auto (default): decompose large cost models (> 20,000 candidate "
                        "links, one target) into independent blocks; full: one MILP; decompose: "
                        "always (docs/performance.md)")
    parser.add_argument("--lang", choices=("zh", "en"), default="zh",
                        help="language of report.md, report.html and map.html (default zh)")
    parser.add_argument("--json", action="store_true",
                        help="print summary.json to stdout instead of a text summary")
    parser.add_argument("--no-baseline", action="store_true",
                        help="skip the existing-links-only baseline solve")


def print_summary(result, out: Path | None = None, file=None) -> None:  # noqa: ANN001
    """A short plain-text summary of a result (status, cost, CO2, targets)."""
    file = file or sys.stdout
    print(f"{result.scenario_name}: {result.status.value}", file=file)
    if result.status.has_solution:
        obj = result.objective
        print(f"  net cost {obj['total_cny_per_a']:,.0f} CNY/a "
              f"(transport {obj['transport_cny_per_a']:,.0f}, fixed {obj['fixed_cny_per_a']:,.0f},"
              f" value {obj['value_cny_per_a']:,.0f}, disposal avoided "
              f"{obj['disposal_avoided_cny_per_a']:,.0f})", file=file)
        from parkflow.commands.run import _links_text

        print(f"  CO2 avoided {result.co2_avoided_t_per_a:,.0f} t/a; "
              f"links built {_links_text(result)}", file=file)
        for t in result.targets.itertuples():
            mark = "met" if t.met else f"NOT met, short {t.shortfall:,.0f} {t.unit}"
            print(f"  target {t.id} ({t.scope}): rate {t.rate:.1%} vs {t.target:.0%} — {mark}",
                  file=file)
    if result.message:
        print(f"  {result.message}", file=file)
    if out is not None:
        print(f"  written to {out}", file=file)


def run(args: argparse.Namespace) -> int:
    """Load, solve, write (exit 0 solved, also with unreachable targets; 2 bad input; 3 none)."""
    from parkflow.commands._outputs import write_solve_folder
    from parkflow.io import load_scenario
    from parkflow.io.atomic import output_dir, preflight
    from parkflow.models.result import summary_dict
    from parkflow.solvers.api import solve_with_strategy

    path = Path(args.scenario)
    out = Path(args.out)
    preflight(out, [path])  # fail before a long solve, not after
    scenario = load_scenario(path)
    # progress line on a terminal (issue 13; quiet under --json or when piped)
    from parkflow.commands._progress import solve_progress

    with solve_progress(enabled=not args.json) as progress:
        result = solve_with_strategy(scenario, strategy=args.strategy, objective=args.objective,
                                     solver=args.solver, time_limit_s=args.time_limit,
                                     gap=args.gap, baseline=not args.no_baseline,
                                     progress=progress)
    with output_dir(out, inputs=[path]) as tmp:
        write_solve_folder(scenario, result, tmp, lang=args.lang)
    if args.json:
        print(json.dumps(summary_dict(result, scenario_path=path.resolve()), ensure_ascii=False,
                         indent=2))
    else:
        print_summary(result, out)
    return EXIT_OK if result.status.has_solution else EXIT_NO_SOLUTION
