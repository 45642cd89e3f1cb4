"""One raw HiGHS call (scipy.optimize.milp) on parkflow's model (a script, not a test).

    python bench/highs_baseline.py PROBLEM_DIR --gap 0.01 --time-limit 120

PROBLEM_DIR holds ``model.npz`` (``bench.export_model``: parkflow's own model of the bounded
candidate network, no reduction), handed to HiGHS once as it is: no reduction, no
decomposition, no start. Prints one JSON line: build_s, solve_s, status, objective (without the
slack penalty), objective_with_penalty, gap (HiGHS's own), slack, peak_rss_mb. Run in its own
process (bench.py does).
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from scipy.optimize import Bounds, LinearConstraint, milp


def main(argv: list[str] | None = None) -> int:
    """Build and solve; print the JSON line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("problem", type=Path)
    parser.add_argument("--gap", type=float, default=0.01)
    parser.add_argument("--time-limit", type=float, default=600.0)
    args = parser.parse_args(argv)

    start = time.perf_counter()
    model = np.load(args.problem / "model.npz")
    A = sp.csr_matrix(
        (model["data"], model["indices"], model["indptr"]), shape=tuple(model["shape"])
    )
    c = model["c"]
    slack_cols = model["slack"]
    offset = float(model["offset"][0])
    build_s = time.perf_counter() - start

    start = time.perf_counter()
    res = milp(
        c,
        constraints=LinearConstraint(A, model["row_lower"], model["row_upper"]),
        integrality=model["integer"].astype(int),
        bounds=Bounds(model["col_lower"], model["col_upper"]),
        options={"time_limit": args.time_limit, "mip_rel_gap": args.gap, "disp": False},
    )
    solve_s = time.perf_counter() - start
    x = res.x
    slack = float(x[slack_cols].sum()) if x is not None else None
    penalty = float(c[slack_cols] @ x[slack_cols]) if x is not None else 0.0
    print(
        json.dumps(
            {
                "build_s": build_s,
                "solve_s": solve_s,
                "status": str(res.message)[:60],
                "objective": float(c @ x + offset - penalty) if x is not None else None,
                "objective_with_penalty": float(c @ x + offset) if x is not None else None,
                "gap": getattr(res, "mip_gap", None),
                "slack": slack,
                "n_columns": int(A.shape[1]),
                "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
