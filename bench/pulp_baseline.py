"""PuLP/CBC baseline for bench/bench.py: the same model, written one variable at a time.

Run in its own process (importing pulp next to OR-Tools makes every HiGHS path crash, STYLE.md):

    python bench/pulp_baseline.py PROBLEM_DIR --gap 0.01 --time-limit 600

PROBLEM_DIR holds ``model.npz``: parkflow's own model of the bounded candidate network
(``bench.export_model``: the matrix, row and column bounds, costs, integrality and the target
slack columns of ``parkflow.solvers.formulation.build``, no reduction), so CBC solves exactly the
model parkflow solves — every constraint family of docs/model.md, the target row on its basis
(utilisation-class links only) — written one variable and one constraint at a time. Prints one
JSON line: ``build_s, solve_s, objective`` (without the slack penalty), ``objective_with_penalty,
slack, status, sol_status, proven, stop, peak_rss_mb, cbc_peak_rss_mb``.

An earlier version rebuilt a simplified model from ``links.parquet`` (every link of a target
material counted, safe-disposal ones too): on targets where safe disposal matters it solved an
easier problem than parkflow's (docs/performance.md, session 11).
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp


def solve_cbc(prob, gap: float, time_limit_s: float, threads: int) -> tuple:
    """Solve a PuLP problem with CBC: (solve_s, objective or None, peak RSS MB, CBC's peak MB)."""
    import pulp

    solver = pulp.PULP_CBC_CMD(msg=False, gapRel=gap, timeLimit=time_limit_s, threads=threads)
    start = time.perf_counter()
    prob.solve(solver)
    solve_s = time.perf_counter() - start
    value = pulp.value(prob.objective)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # CBC runs as a child
    return solve_s, value, peak_mb, child_mb


def pulp_model(model: Any, name: str) -> tuple[Any, list[Any], float]:
    """A PuLP problem from a ``model.npz`` (bench/model_npz.py): (problem, variables, build s).

    One ``LpVariable`` per column and one constraint per row, the way a hand-written PuLP model
    is built, so build and solve are measured on exactly the model parkflow solves.
    """
    import pulp

    A = sp.csr_matrix(
        (model["data"], model["indices"], model["indptr"]), shape=tuple(model["shape"])
    )
    c = model["c"]
    col_lo, col_hi = model["col_lower"], model["col_upper"]
    row_lo, row_hi = model["row_lower"], model["row_upper"]
    integer = model["integer"]
    start = time.perf_counter()
    prob = pulp.LpProblem(name, pulp.LpMinimize)
    x = [
        pulp.LpVariable(
            f"x{j}",
            lowBound=None if np.isinf(col_lo[j]) else float(col_lo[j]),
            upBound=None if np.isinf(col_hi[j]) else float(col_hi[j]),
            cat="Integer" if integer[j] else "Continuous",
        )
        for j in range(A.shape[1])
    ]
    for i in range(A.shape[0]):
        lo, hi = A.indptr[i], A.indptr[i + 1]
        if hi == lo:
            continue
        expr = pulp.LpAffineExpression(
            zip((x[j] for j in A.indices[lo:hi]), A.data[lo:hi].tolist(), strict=True)
        )
        if np.isfinite(row_lo[i]) and np.isfinite(row_hi[i]) and row_lo[i] == row_hi[i]:
            prob += expr == float(row_lo[i]), f"r{i}"
            continue
        if np.isfinite(row_lo[i]):
            prob += expr >= float(row_lo[i]), f"r{i}_lo"
        if np.isfinite(row_hi[i]):
            prob += expr <= float(row_hi[i]), f"r{i}_hi"
    nz = np.flatnonzero(c)
    prob += pulp.LpAffineExpression(zip((x[j] for j in nz), c[nz].tolist(), strict=True))
    return prob, x, time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    """Build and solve the baseline; print the JSON line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("problem", type=Path)
    parser.add_argument("--gap", type=float, default=0.01)
    parser.add_argument("--time-limit", type=float, default=600.0)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args(argv)

    import pulp

    model = np.load(args.problem / "model.npz")
    prob, x, build_s = pulp_model(model, "parkflow_baseline")
    c, slack_cols = model["c"], model["slack"]
    A_shape = tuple(model["shape"])

    solve_s, value, peak_mb, child_mb = solve_cbc(prob, args.gap, args.time_limit, args.threads)
    values = np.array([v.value() or 0.0 for v in x]) if value is not None else None
    slack_v = float(values[slack_cols].sum()) if values is not None else 0.0
    penalty_v = float(c[slack_cols] @ values[slack_cols]) if values is not None else 0.0
    value = None if value is None else float(value) + float(model["offset"][0])
    # PuLP reports CBC's "Stopped on time - objective value …" as status "Optimal" with the
    # solution status "integer feasible": only solution status "optimal" is CBC's proof of the gap
    proven = prob.sol_status == pulp.LpSolutionOptimal
    stop = (
        "gap proven (CBC: Optimal)"
        if proven
        else f"stopped without the proof ({pulp.LpSolution.get(prob.sol_status, prob.sol_status)})"
    )
    print(
        json.dumps(
            {
                "build_s": build_s,
                "solve_s": solve_s,
                "status": pulp.LpStatus[prob.status],
                "sol_status": pulp.LpSolution.get(prob.sol_status, str(prob.sol_status)),
                "proven": proven,
                "stop": stop,
                "objective_with_penalty": None if value is None else float(value),
                "objective": None if value is None else float(value) - penalty_v,
                "slack": slack_v,
                "n_columns": int(A_shape[1]),
                "peak_rss_mb": peak_mb,
                "cbc_peak_rss_mb": child_mb,
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
