"""PuLP/CBC baseline for bench/periods.py: the same multi-period model, one row at a time.

Run in its own process (importing pulp next to OR-Tools makes every HiGHS path crash, STYLE.md):

    python bench/pulp_periods.py MODEL.npz --gap 0.01 --time-limit 600

MODEL.npz holds the stacked model that bench/periods.py built with parkflow
(:func:`parkflow.solvers.periods.build_periods`): the CSR matrix ``A`` (``data, indices,
indptr, shape``), row and column bounds, the objective ``c`` and ``integer``. The script writes
it the way a hand-written PuLP model is written — one ``LpVariable`` per column, one
``lpSum`` constraint per row — so build and solve are measured on exactly the model parkflow
solves. Prints one JSON line: ``build_s, solve_s, status, objective, peak_rss_mb``. CBC through
PuLP reports no bound, so no gap.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np


def main(argv: list[str] | None = None) -> int:
    """Build and solve the baseline; print the JSON line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model", type=Path)
    parser.add_argument("--gap", type=float, default=0.01)
    parser.add_argument("--time-limit", type=float, default=600.0)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args(argv)

    import pulp
    from pulp_baseline import pulp_model, solve_cbc  # bench/ is the script's folder

    z = np.load(args.model)
    if "shape" not in z:  # written by an older bench/periods.py
        msg = f"{args.model}: no 'shape' array; write it again with bench/periods.py"
        raise SystemExit(msg)
    prob, _, build_s = pulp_model(z, "parkflow_periods")

    solve_s, value, peak_mb, child_mb = solve_cbc(prob, args.gap, args.time_limit, args.threads)
    print(
        json.dumps(
            {
                "build_s": build_s,
                "solve_s": solve_s,
                "status": pulp.LpStatus[prob.status],
                # "Integer Feasible" when a limit stopped CBC with a solution (status says
                # "Optimal" then too)
                "solution": pulp.LpSolution.get(prob.sol_status, str(prob.sol_status)),
                "objective": None if value is None else float(value),
                "peak_rss_mb": peak_mb,
                "cbc_peak_rss_mb": child_mb,
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
