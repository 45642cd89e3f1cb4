"""PuLP/CBC baseline for bench/bench.py: the same model, written one variable at a time.

Run in its own process (importing pulp next to OR-Tools makes every HiGHS path crash, STYLE.md):

    python bench/pulp_baseline.py PROBLEM_DIR --gap 0.01 --time-limit 600

PROBLEM_DIR holds the neutral problem that bench.py exported from parkflow's candidate network
(``links.parquet, sources.parquet, uses.parquet, meta.json``). Prints one JSON line:
``build_s, solve_s, objective, status, gap, peak_rss_mb``.

The model (docs/model.md, the first target only, scope all):

    min  Σ_l c_l f_l + Σ_l F_l b_l + P s
    s.t. Σ_{l ∈ out(k)} f_l − d_k ≤ G_k                   supply_limit[k]
         Σ_{l ∈ in(u)} η_l f_l ≤ C_u                      use_capacity[u]
         f_l ≤ M_l b_l                                    link_activation[l]
         0 ≤ d_k ≤ D_k                                    stockpile draw
         b_l = 1 for existing links
         Σ_{l ∈ T} f_l + s ≥ r (Σ_{k ∈ T} G_k + Σ_{k ∈ T} d_k)   target
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

import pandas as pd


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


def main(argv: list[str] | None = None) -> int:
    """Build and solve the baseline; print the JSON line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("problem", type=Path)
    parser.add_argument("--gap", type=float, default=0.01)
    parser.add_argument("--time-limit", type=float, default=600.0)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args(argv)

    import pulp

    links = pd.read_parquet(args.problem / "links.parquet")
    sources = pd.read_parquet(args.problem / "sources.parquet")
    uses = pd.read_parquet(args.problem / "uses.parquet")
    meta = json.loads((args.problem / "meta.json").read_text())

    start = time.perf_counter()
    prob = pulp.LpProblem("parkflow_baseline", pulp.LpMinimize)
    flow, build = {}, {}
    out_of: dict[int, list] = {}
    into: dict[int, list] = {}
    objective = []
    target_flow = []
    # one variable at a time, the way a hand-written PuLP model is usually written
    for row in links.itertuples(index=False):
        f = pulp.LpVariable(f"flow_{row.link}", lowBound=0)
        b = pulp.LpVariable(f"build_{row.link}", cat="Binary")
        flow[row.link], build[row.link] = f, b
        objective.append(row.unit_cost * f)
        objective.append(row.fixed_cost * b)
        prob += f <= row.bound * b, f"link_activation_{row.link}"
        if row.existing:
            prob += b == 1, f"existing_{row.link}"
        out_of.setdefault(int(row.source), []).append(f)
        into.setdefault(int(row.use), []).append(row.delivered_factor * f)
        if row.in_target:
            target_flow.append(f)
    draw = {}
    for k, row in enumerate(sources.itertuples(index=False)):
        if row.max_draw > 0:
            draw[k] = pulp.LpVariable(f"draw_{k}", lowBound=0, upBound=row.max_draw)
        if k in out_of:
            prob += (pulp.lpSum(out_of[k]) - draw.get(k, 0) <= row.generated, f"supply_limit_{k}")
    for u, row in enumerate(uses.itertuples(index=False)):
        if u in into:
            prob += pulp.lpSum(into[u]) <= row.capacity, f"use_capacity_{u}"
    slack = pulp.LpVariable("target_slack", lowBound=0)
    objective.append(meta["penalty_cny_per_unit"] * slack)
    in_t = sources["in_target"].to_numpy()
    generated_t = float(sources.loc[in_t, "generated"].sum())
    drawn_t = [draw[k] for k in draw if in_t[k]]
    prob += (
        pulp.lpSum(target_flow) + slack >= meta["rate"] * (generated_t + pulp.lpSum(drawn_t)),
        "target",
    )
    prob += pulp.lpSum(objective)
    build_s = time.perf_counter() - start

    solve_s, value, peak_mb, child_mb = solve_cbc(prob, args.gap, args.time_limit, args.threads)
    slack_v = slack.value() or 0.0
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
                "objective": None
                if value is None
                else float(value) - meta["penalty_cny_per_unit"] * slack_v,
                "slack": slack_v,
                "n_links": len(links),
                "peak_rss_mb": peak_mb,
                "cbc_peak_rss_mb": child_mb,
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
