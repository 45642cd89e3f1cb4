"""`parkflow pareto` — the ε-constraint front of annual cost against the utilisation rate."""

from __future__ import annotations

import argparse
from pathlib import Path

HELP = "ε-constraint Pareto front of annual cost against the utilisation rate (csv, png, html)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the command's arguments."""
    parser.add_argument("scenario", metavar="SCENARIO", help="scenario folder or .xlsx workbook")
    parser.add_argument("--out", required=True, metavar="DIR", help="output folder")
    parser.add_argument(
        "--points",
        type=int,
        default=9,
        help="evenly spaced rates from the least-cost plan's to the best "
        "(default 9; 78 %% and 82 %% are added when in range)",
    )
    parser.add_argument(
        "--rates",
        default=None,
        help="comma-separated rates (0-1) to solve at instead, e.g. 0.7,0.78,0.82",
    )
    parser.add_argument("--solver", default=None, choices=["highs", "scip"])
    parser.add_argument(
        "--time-limit", type=float, default=None, metavar="S", help="time limit per solve, s"
    )
    parser.add_argument("--gap", type=float, default=None, help="relative MIP gap per solve")
    parser.add_argument(
        "--lang",
        choices=("zh", "en"),
        default="zh",
        help="language of the chart and the notice (default: zh)",
    )
    parser.add_argument(
        "--plotly",
        choices=("inline", "cdn"),
        default="inline",
        help="pareto.html: plotly.js embedded once (inline, default: works "
        "offline) or referenced from the plotly CDN (cdn: small, needs "
        "the network)",
    )


def run(args: argparse.Namespace) -> int:
    """Solve the front and write pareto.csv, pareto.png and pareto.html."""
    from rich.console import Console

    from parkflow.cli import EXIT_BAD_INPUT, EXIT_NO_SOLUTION, EXIT_OK
    from parkflow.io import load_scenario
    from parkflow.io.atomic import output_dir, preflight
    from parkflow.studies.pareto import pareto_front, trade_off_notice, write_front

    rates = None
    if args.rates:
        try:
            rates = [float(x) for x in args.rates.split(",") if x.strip()]
        except ValueError:
            print(f"error: --rates must be numbers between 0 and 1, got {args.rates!r}")
            return EXIT_BAD_INPUT
        if not all(0.0 <= r <= 1.0 for r in rates):
            print(f"error: --rates must lie between 0 and 1, got {args.rates!r}")
            return EXIT_BAD_INPUT
    preflight(args.out, [Path(args.scenario)])
    scenario = load_scenario(args.scenario)
    console = Console(stderr=True)
    with console.status("solving the Pareto front") as status:
        front = pareto_front(
            scenario,
            n_points=args.points,
            rates=rates,
            solver=args.solver,
            time_limit_s=args.time_limit,
            gap=args.gap,
            progress=lambda msg: status.update(f"Pareto front: {msg}"),
        )
    if front["cost_cny_per_a"].notna().sum() == 0:
        print("error: no point of the front could be solved")
        return EXIT_NO_SOLUTION
    out = Path(args.out)
    with output_dir(out, inputs=[Path(args.scenario)]) as tmp:
        write_front(front, tmp, lang=args.lang, plotly=args.plotly)
    a = front.attrs
    if args.lang == "zh":
        print(
            f"现状利用率 {a['rate_today']:.1%}，最低成本方案 {a['rate_least_cost']:.1%}，"
            f"最高可达 {a['rate_best']:.1%}；{len(front)} 个点已写入 {out}/pareto.csv、"
            "pareto.png、pareto.html"
        )
    else:
        print(
            f"rate today {a['rate_today']:.1%}, least-cost plan {a['rate_least_cost']:.1%}, "
            f"best reachable {a['rate_best']:.1%}; {len(front)} points written to "
            f"{out}/pareto.csv, pareto.png, pareto.html"
        )
    notice = trade_off_notice(front, args.lang)
    if notice:
        print(notice)
    return EXIT_OK
