"""`parkflow generate` — write a synthetic Sichuan scenario of any size.

For tests and benchmarks.
"""

from __future__ import annotations

import argparse
from pathlib import Path

HELP = "write a synthetic but plausible Sichuan scenario (N enterprises in M parks) to a folder"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the command's arguments."""
    parser.add_argument("out", metavar="OUT", help="scenario folder to write")
    parser.add_argument(
        "--enterprises",
        type=int,
        default=200,
        metavar="N",
        help="number of enterprises (default 200)",
    )
    parser.add_argument(
        "--parks", type=int, default=10, metavar="M", help="number of parks (default 10)"
    )
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument(
        "--provinces",
        type=int,
        default=1,
        help="copies of the province layout, up to 5, placed across China (a China-scale case)",
    )
    parser.add_argument(
        "--tightness",
        type=float,
        default=0.0,
        metavar="X",
        help="set the target X above the least-cost plan's estimated rate "
        "(0.15 = 15 points), so the target binds; 0 (default) keeps the 78 %% "
        "target (docs/performance.md, 'Benchmark families')",
    )


def run(args: argparse.Namespace) -> int:
    """Generate the scenario and save it through parkflow.io.atomic (whole or not at all)."""
    from parkflow.cli import EXIT_BAD_INPUT, EXIT_OK
    from parkflow.io import save_scenario
    from parkflow.io.atomic import output_dir, preflight
    from parkflow.studies.generate import generate_scenario, with_tightness

    if args.parks < 1 or args.enterprises < args.parks:
        print(
            f"error: need 1 <= --parks <= --enterprises (got {args.parks} parks, "
            f"{args.enterprises} enterprises)"
        )
        return EXIT_BAD_INPUT
    if not 0.0 <= args.tightness < 1.0:
        print(f"error: --tightness must be in [0, 1) (got {args.tightness})")
        return EXIT_BAD_INPUT
    preflight(args.out)
    if not 1 <= args.provinces <= min(5, args.parks):
        print(f"error: need 1 <= --provinces <= min(5, --parks) (got {args.provinces})")
        return EXIT_BAD_INPUT
    scenario = generate_scenario(
        args.enterprises, args.parks, seed=args.seed, provinces=args.provinces
    )
    if args.tightness > 0:
        scenario = with_tightness(scenario, args.tightness)
        print(
            f"target {scenario.targets[0].id}: rate {scenario.targets[0].rate:.1%} "
            f"(least-cost estimate + {args.tightness:.0%})"
        )
    out = Path(args.out)
    with output_dir(out) as tmp:
        save_scenario(scenario, tmp)
    print(f"wrote {scenario!r} to {out}")
    return EXIT_OK
