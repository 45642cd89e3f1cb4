"""`parkflow compare A B --out DIR` — solve two layouts; dual map and table of differences."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from parkflow.models.enums import OBJECTIVES

HELP = (
    "solve two scenarios (e.g. a park and an overlay variant.yaml) and write a side-by-side "
    "map and the table of differences"
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the command's arguments."""
    from parkflow.maps import LANGS, TILES

    parser.add_argument(
        "a", metavar="SCENARIO_A", help="first scenario (folder, .xlsx or overlay .yaml)"
    )
    parser.add_argument("b", metavar="SCENARIO_B", help="second scenario")
    parser.add_argument(
        "--out",
        required=True,
        metavar="DIR",
        help="folder for compare.html, differences.csv, indicators.csv",
    )
    parser.add_argument("--lang", choices=LANGS, default="zh")
    parser.add_argument(
        "--tiles",
        choices=TILES,
        default=None,
        help="base map (default: none, works offline; tianditu when a key is given)",
    )
    parser.add_argument(
        "--tianditu-key",
        default=None,
        metavar="KEY",
        help="Tianditu (天地图) key (or PARKFLOW_TIANDITU_KEY); never required",
    )
    parser.add_argument(
        "--objective",
        choices=OBJECTIVES,
        default=None,
        help="objective of both solves (default: each scenario's own)",
    )
    parser.add_argument(
        "--time-limit", type=float, default=None, metavar="S", help="time limit per solve, seconds"
    )


def run(args: argparse.Namespace) -> int:
    """Solve both, write the comparison (exit 0; 2 bad input; 3 when a side has no solution)."""
    from parkflow.io import load_scenario
    from parkflow.io.atomic import preflight
    from parkflow.maps.offline import choose_tiles
    from parkflow.studies.compare import compare

    a, b = load_scenario(args.a), load_scenario(args.b)
    preflight(Path(args.out), [a.source, b.source, Path(args.a), Path(args.b)])
    kwargs = {}
    if args.objective:
        kwargs["objective"] = args.objective
    if args.time_limit is not None:
        kwargs["time_limit_s"] = args.time_limit
    cmp = compare(a, b, lang=args.lang, **kwargs)
    bad = [
        (sc, res)
        for sc, res in ((a, cmp.result_a), (b, cmp.result_b))
        if not res.status.has_solution
    ]
    for sc, res in bad:
        print(f"error: {sc.name}: {res.status.value}. {res.message}", file=sys.stderr)
    if bad:
        return 3
    try:
        paths = cmp.write(
            args.out,
            tiles=choose_tiles(args.tiles, args.tianditu_key),
            tianditu_key=args.tianditu_key,
        )
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    d = cmp.differences
    counts = d["change"].value_counts()
    print(
        f"{a.name} → {b.name}: {counts.get('added', 0)} links added, "
        f"{counts.get('removed', 0)} removed, {counts.get('changed', 0)} changed"
    )
    for p in paths:
        print(p)
    return 0
