"""One raw HiGHS call (scipy.optimize.milp) on bench.py's neutral problem (a script, not a test).

    python bench/highs_baseline.py PROBLEM_DIR --gap 0.01 --time-limit 120

The same model as bench/pulp_baseline.py (flow and build per link, draw per source, one elastic
target row), assembled with sparse matrices and handed to HiGHS once: no reduction, no
decomposition, no start. Prints one JSON line: build_s, solve_s, status, objective (without the
slack penalty), gap (HiGHS's own), slack, peak_rss_mb. Run in its own process (bench.py does).
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.optimize import Bounds, LinearConstraint, milp


def main(argv: list[str] | None = None) -> int:
    """Build and solve; print the JSON line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("problem", type=Path)
    parser.add_argument("--gap", type=float, default=0.01)
    parser.add_argument("--time-limit", type=float, default=600.0)
    args = parser.parse_args(argv)

    links = pd.read_parquet(args.problem / "links.parquet")
    sources = pd.read_parquet(args.problem / "sources.parquet")
    uses = pd.read_parquet(args.problem / "uses.parquet")
    meta = json.loads((args.problem / "meta.json").read_text())

    start = time.perf_counter()
    n_l, n_s, n_u = len(links), len(sources), len(uses)
    k = np.arange(n_l)
    src = links["source"].to_numpy()
    use = links["use"].to_numpy()
    eta = links["delivered_factor"].to_numpy(float)
    bound = links["bound"].to_numpy(float)
    # columns: flow [0, L), build [L, 2L), draw [2L, 2L + S), slack 2L + S
    n = 2 * n_l + n_s + 1
    c = np.concatenate(
        [
            links["unit_cost"].to_numpy(float),
            links["fixed_cost"].to_numpy(float),
            np.zeros(n_s),
            [meta["penalty_cny_per_unit"]],
        ]
    )
    draw_ub = sources["max_draw"].to_numpy(float)
    lb = np.zeros(n)
    ub = np.concatenate([np.full(n_l, np.inf), np.ones(n_l), draw_ub, [np.inf]])
    lb[n_l : 2 * n_l] = links["existing"].to_numpy(bool).astype(float)  # existing links built
    integrality = np.concatenate([np.zeros(n_l), np.ones(n_l), np.zeros(n_s + 1)])
    act = sp.csr_matrix(
        (
            np.concatenate([np.ones(n_l), -bound]),
            (np.concatenate([k, k]), np.concatenate([k, n_l + k])),
        ),
        shape=(n_l, n),
    )
    sup = sp.csr_matrix(
        (
            np.concatenate([np.ones(n_l), -np.ones(n_s)]),
            (np.concatenate([src, np.arange(n_s)]), np.concatenate([k, 2 * n_l + np.arange(n_s)])),
        ),
        shape=(n_s, n),
    )
    cap = sp.csr_matrix((eta, (use, k)), shape=(n_u, n))
    in_t = sources["in_target"].to_numpy(bool)
    rate = float(meta["rate"])
    t_row = np.zeros(n)
    t_row[:n_l] = links["in_target"].to_numpy(bool).astype(float)
    t_row[2 * n_l : 2 * n_l + n_s] = -rate * in_t
    t_row[-1] = 1.0
    generated_t = float(sources.loc[in_t, "generated"].sum())
    A = sp.vstack([act, sup, cap, sp.csr_matrix(t_row)], format="csr")
    lo = np.concatenate(
        [np.full(n_l, -np.inf), np.full(n_s, -np.inf), np.full(n_u, -np.inf), [rate * generated_t]]
    )
    hi = np.concatenate(
        [
            np.zeros(n_l),
            sources["generated"].to_numpy(float),
            uses["capacity"].to_numpy(float),
            [np.inf],
        ]
    )
    build_s = time.perf_counter() - start

    start = time.perf_counter()
    res = milp(
        c,
        constraints=LinearConstraint(A, lo, hi),
        integrality=integrality,
        bounds=Bounds(lb, ub),
        options={"time_limit": args.time_limit, "mip_rel_gap": args.gap, "disp": False},
    )
    solve_s = time.perf_counter() - start
    x = res.x
    slack = float(x[-1]) if x is not None else None
    obj = float(c @ x - meta["penalty_cny_per_unit"] * x[-1]) if x is not None else None
    print(
        json.dumps(
            {
                "build_s": build_s,
                "solve_s": solve_s,
                "status": str(res.message)[:60],
                "objective": obj,
                "objective_with_penalty": float(res.fun) if x is not None else None,
                "gap": getattr(res, "mip_gap", None),
                "slack": slack,
                "n_links": n_l,
                "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
