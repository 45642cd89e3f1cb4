"""Benchmark parkflow against a PuLP/CBC model and a greedy heuristic (a script, not a test).

    python bench/bench.py                       # N = 200 and 1,000
    python bench/bench.py --sizes 200,1000,5000 --gap 0.01 --time-limit 600
    python bench/bench.py --sizes 2000,5000 --families 0,0.15 --gap 0.01 --time-limit 120

``--families`` lists ``--tightness`` values (``parkflow generate --tightness``): 0 is the easy
family (the 78 % target, usually met by the least-cost plan), 0.15 the binding one (the target
15 points above the least-cost plan's estimated rate; docs/performance.md "Benchmark families").

For each N it generates a scenario (``generate_scenario(N, N // 25, seed)``) and, each in its own
process so that peak memory is clean and pulp never meets OR-Tools' HiGHS in one process:

* parkflow: candidate-network build, model build, solve to the gap, whole ``solve()``, peak RSS;
  the neutral problem is exported for the others;
* the greedy heuristic (bench/greedy.py) on the same problem: objective and rate reached;
* PuLP/CBC (bench/pulp_baseline.py): the same model written one variable at a time;
* one raw HiGHS call (bench/highs_baseline.py, scipy.optimize.milp) on the same model.

All get the same gap and time limit; the ratios are measured back to back in one run.

It prints one table per N with ratios against the baseline measured in the same run, and writes
all numbers as JSON (``--json``).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def export_problem(scenario: Any, net: Any, folder: Path) -> dict[str, Any]:
    """Write the neutral problem (links, sources, uses, meta) that the baselines read.

    Taken from parkflow's candidate network, so all three solve the same model: unit cost per
    unit sent = transport + purification − value × efficiency − disposal (docs/model.md,
    "Objective `cost`"); the fixed cost is the link's annualised fixed cost; the bound is the
    network's tight big-M.
    """
    import numpy as np
    import pandas as pd

    from parkflow.solvers.formulation import DEFAULT_PENALTY_CNY_PER_T

    lk, src, snk, stock = net.links, net.sources, net.sinks, net.stock
    target = scenario.targets[0]
    draw = stock.groupby("source_id")["max_draw"].sum() if len(stock) else pd.Series(dtype=float)
    sources = pd.DataFrame(
        {
            "generated": src["generated"].to_numpy(float),
            "max_draw": draw.reindex(src.index).fillna(0.0).to_numpy(float),
            "in_target": src["material"].isin(list(target.materials)).to_numpy(),
        }
    )
    eff = lk["efficiency"].to_numpy(float)
    out = pd.DataFrame(
        {
            "link": np.arange(len(lk)),
            "source": src.index.get_indexer(lk["source_id"]),
            "use": snk.index.get_indexer(lk["use_id"]),
            "unit_cost": (
                lk["transport_cny_per_unit"]
                + lk["purification_cny_per_unit"]
                - eff * lk["value_cny_per_unit"]
                - lk["disposal_cny_per_unit"]
            ).to_numpy(float),
            "fixed_cost": lk["fixed_cny_per_a"].to_numpy(float),
            "delivered_factor": eff,
            "bound": lk["bound"].to_numpy(float),
            "existing": lk["existing"].to_numpy(bool),
            "in_target": lk["material"].isin(list(target.materials)).to_numpy(),
        }
    )
    folder.mkdir(parents=True, exist_ok=True)
    out.to_parquet(folder / "links.parquet")
    sources.to_parquet(folder / "sources.parquet")
    pd.DataFrame({"capacity": snk["capacity"].to_numpy(float)}).to_parquet(folder / "uses.parquet")
    meta = {"rate": float(target.rate), "penalty_cny_per_unit": float(DEFAULT_PENALTY_CNY_PER_T)}
    (folder / "meta.json").write_text(json.dumps(meta))
    return {"n_links": len(out)}


def export_model(scenario: Any, net: Any, folder: Path) -> dict[str, Any]:
    """Write parkflow's own model of the bounded network (``model.npz``) for the baselines.

    The matrix, bounds, costs and integrality of :func:`parkflow.solvers.formulation.build` on
    the candidate network (no reduction): CBC and raw HiGHS then solve exactly the model
    parkflow solves (its target row counts utilisation-class links only, on the basis of the
    target, with today's outlets), not a simplification of it. ``slack`` holds the target
    slack columns (their cost is the penalty).
    """
    sys.path.insert(0, str(HERE))
    from model_npz import save_model

    from parkflow.solvers.full import resolve_options, scenario_formulation
    from parkflow.solvers.heuristic import row_slacks

    _, _, _, _, tg, min_flow = resolve_options(scenario, "cost", None, None, None, None)
    form = scenario_formulation(scenario, net, tg, min_flow)
    m = form.model
    folder.mkdir(parents=True, exist_ok=True)
    save_model(folder / "model.npz", m, slack=row_slacks(form))
    return {"n_columns": m.n_variables, "n_rows": m.n_constraints}


def measure_parkflow(
    n: int,
    seed: int,
    gap: float,
    time_limit_s: float,
    folder: Path,
    decompose: bool,
    strategy: str = "auto",
    tightness: float = 0.0,
    per_park: int = 25,
    skip_greedy: bool = False,
) -> dict[str, Any]:
    """Child process: time parkflow's steps, export the problem, run the greedy heuristic."""
    import pandas as pd

    sys.path.insert(0, str(HERE))
    from greedy import greedy

    from parkflow.network import candidate_links
    from parkflow.solvers.api import solve_with_strategy
    from parkflow.studies.generate import generate_scenario, with_tightness
    from parkflow.studies.pareto import total_cost

    row: dict[str, Any] = {"n_enterprises": n}
    t = time.perf_counter()
    sc = with_tightness(generate_scenario(n, max(3, n // per_park), seed=seed), tightness)
    row["tightness"] = tightness
    row["target_rate"] = float(sc.targets[0].rate)
    row["generate_s"] = time.perf_counter() - t
    t = time.perf_counter()
    # what `parkflow solve --strategy STRATEGY` runs (auto: decompose above 20,000 links); first,
    # so that its peak memory is its own (the export's network below is built after it)
    res = solve_with_strategy(
        sc, strategy=strategy, objective="cost", gap=gap, time_limit_s=time_limit_s, baseline=False
    )
    row["whole_solve_s"] = time.perf_counter() - t
    row["network_s"] = res.solver.get("network_s")
    row["strategy"] = res.solver.get("strategy")
    row["model_build_s"] = res.solver.get("build_s")
    row["solver_s"] = res.solver.get("time_s")
    row["gap"] = res.solver.get("gap")
    row["status"] = res.status.value
    row["n_iterations"] = res.solver.get("n_iterations")
    row["multipliers"] = res.solver.get("multipliers")
    row["gap_against"] = res.solver.get("gap_against")
    row["pricing"] = res.solver.get("pricing")
    row["termination"] = res.solver.get("termination")
    row["objective"] = total_cost(res)
    row["rate"] = float(res.targets["rate"].iloc[0]) if len(res.targets) else None
    # the objective the baselines minimise: the plan's cost plus the penalty of any shortfall
    from parkflow.solvers.formulation import DEFAULT_PENALTY_CNY_PER_T

    short = float(res.targets["shortfall"].sum()) if "shortfall" in res.targets else 0.0
    row["shortfall_t_per_a"] = short
    row["objective_with_penalty"] = row["objective"] + DEFAULT_PENALTY_CNY_PER_T * short
    row["lp_s"] = next(
        (it.get("lp_s") for it in res.solver.get("iterations") or [] if "lp_s" in it), None
    )
    row["n_variables"] = res.solver.get("n_variables")
    row["n_binaries"] = res.solver.get("n_binaries")
    row["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    net = candidate_links(sc)
    row["n_links"] = len(net.links)
    if decompose:
        from parkflow.solvers.decompose import solve_decomposed
        from parkflow.solvers.full import expand_targets, solve_network
        from parkflow.solvers.reduce import reduce_links

        tg = expand_targets(sc.targets, sc)
        t = time.perf_counter()
        red, rep = reduce_links(candidate_links(sc), tg)
        rres = solve_network(sc, red, "cost", "highs", time_limit_s, gap, tg)
        row["reduced_s"] = time.perf_counter() - t
        row["reduction"] = str(rep)
        row["reduced_objective"] = total_cost(rres)
        row["reduced_status"] = rres.status.value
        for jobs in (1, 2):
            t = time.perf_counter()
            dres = solve_decomposed(sc, gap=gap, time_limit_s=time_limit_s, jobs=jobs)
            row[f"decomposed_{jobs}_s"] = time.perf_counter() - t
            row[f"decomposed_{jobs}_objective"] = total_cost(dres)
            row[f"decomposed_{jobs}_status"] = dres.status.value
            row[f"decomposed_{jobs}_gap"] = dres.solver.get("gap")
            row[f"decomposed_{jobs}_info"] = {
                k: dres.solver.get(k)
                for k in (
                    "n_links_full",
                    "n_components",
                    "n_blocks",
                    "n_iterations",
                    "multiplier",
                    "bound",
                    "build_s",
                    "time_s",
                )
            }
    export_problem(sc, net, folder)
    export_model(sc, net, folder)
    if skip_greedy:
        row["peak_rss_mb_end"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        return row
    links_p = pd.read_parquet(folder / "links.parquet")
    t = time.perf_counter()
    g = greedy(
        links_p,
        pd.read_parquet(folder / "sources.parquet"),
        pd.read_parquet(folder / "uses.parquet"),
        sc.targets[0].rate,
    )
    row["greedy_s"] = time.perf_counter() - t
    row.update({f"greedy_{k}": v for k, v in g.items()})
    row["peak_rss_mb_end"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return row


def _child(cmd: list[str], timeout_s: float) -> dict[str, Any]:
    env = dict(os.environ, PYTHONHASHSEED="0")
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout_s, env=env)
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout_s:.0f} s"}
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    if proc.returncode != 0 or not lines:
        return {"error": (proc.stderr or proc.stdout).strip().splitlines()[-1:] or ["failed"]}
    return json.loads(lines[-1])


def _fmt(x: Any, spec: str = ".2f") -> str:
    if x is None or (isinstance(x, float) and x != x):
        return "—"
    return format(x, spec) if isinstance(x, (int, float)) else str(x)


def report(row: dict[str, Any]) -> str:
    """One N as a Markdown table with ratios against PuLP/CBC and greedy."""
    p = row.get("pulp", {})
    h = row.get("highs", {})
    lines = [
        f"### N = {row['n_enterprises']:,} enterprises, {row.get('n_links', 0):,} candidate "
        f"links, tightness {row.get('tightness', 0)} (target "
        f"{_fmt(row.get('target_rate'), '.3f')})",
        "",
        "| step | parkflow | PuLP/CBC | ratio (PuLP / parkflow) |",
        "| --- | --- | --- | --- |",
    ]

    def ratio(a: Any, b: Any) -> str:
        return _fmt(a / b, ".1f") + "×" if a and b else "—"

    lines.append(f"| candidate network, s | {_fmt(row.get('network_s'))} | (shared) | |")
    lines.append(
        f"| model build, s | {_fmt(row.get('model_build_s'))} | {_fmt(p.get('build_s'))}"
        f" | {ratio(p.get('build_s'), row.get('model_build_s'))} |"
    )
    lines.append(
        f"| solve to {row['gap_asked']:.0%} gap, s | {_fmt(row.get('solver_s'))} | "
        f"{_fmt(p.get('solve_s'))} | {ratio(p.get('solve_s'), row.get('solver_s'))} |"
    )
    pulp_total = (p.get("build_s") or 0) + (p.get("solve_s") or 0) if p.get("solve_s") else None
    lines.append(
        f"| whole solve() ({row.get('strategy')}), s | "
        f"{_fmt(row.get('whole_solve_s'))} | {_fmt(pulp_total)} | "
        f"{ratio(pulp_total, row.get('whole_solve_s'))} |"
    )
    lines.append(
        f"| peak memory, MB | {_fmt(row.get('peak_rss_mb'), '.0f')} | "
        f"{_fmt(p.get('peak_rss_mb'), '.0f')} "
        f"(+ CBC {_fmt(p.get('cbc_peak_rss_mb'), '.0f')})"
        f" | |"
    )
    lines.append(
        f"| objective, CNY/a | {_fmt(row.get('objective'), ',.0f')} | "
        f"{_fmt(p.get('objective'), ',.0f')} | |"
    )
    lines.append(
        f"| status | {row.get('status')} (gap {_fmt(row.get('gap'), '.4f')}) | "
        f"{p.get('stop', p.get('status', p.get('error')))} | |"
    )
    lines.append(
        f"| target shortfall, t/a | {_fmt(row.get('shortfall_t_per_a'), ',.0f')} | "
        f"{_fmt(p.get('slack'), ',.0f')} | |"
    )
    if h:
        lines.append(
            f"| one raw HiGHS call (scipy milp) | {_fmt(h.get('solve_s'))} s, "
            f"{_fmt(h.get('objective'), ',.0f')} CNY/a, gap {_fmt(h.get('gap'), '.4f')}"
            f", {h.get('status', h.get('error'))} | | ratio HiGHS / parkflow "
            f"{ratio(h.get('solve_s'), row.get('whole_solve_s'))} |"
        )
    # compared with the penalty of any shortfall (what every model minimises): a plan that
    # misses the target is not cheaper for it
    best = [
        v
        for v in (p.get("objective_with_penalty"), h.get("objective_with_penalty"))
        if v is not None
    ]
    if best and row.get("objective_with_penalty") is not None:
        worse = (row["objective_with_penalty"] - min(best)) / max(abs(min(best)), 1e-9)
        lines.append(
            f"| parkflow objective (with the shortfall's penalty) vs best of "
            f"{'CBC and HiGHS' if h else 'CBC'} | {worse:+.4%} "
            f"(gap asked {row['gap_asked']:.0%}) | | |"
        )
    if "reduced_s" in row:
        lines.append(
            f"| reduced network, solved whole, s | {_fmt(row['reduced_s'])} "
            f"({_fmt(row.get('reduced_objective'), ',.0f')} CNY/a, "
            f"{row.get('reduced_status')}) | | {ratio(pulp_total, row['reduced_s'])} |"
        )
        for jobs in (1, 2):
            key = f"decomposed_{jobs}"
            lines.append(
                f"| decomposed, {jobs} process(es), s | {_fmt(row.get(key + '_s'))} "
                f"({_fmt(row.get(key + '_objective'), ',.0f')} CNY/a, "
                f"{row.get(key + '_status')}, proven gap "
                f"{_fmt(row.get(key + '_gap'), '.4f')}) | | "
                f"{ratio(pulp_total, row.get(key + '_s'))} |"
            )
        lines.append(f"| reduction | {row.get('reduction')} | | |")
    lines.append(
        f"| parkflow iterations, termination | {row.get('n_iterations')}, "
        f"{row.get('termination')} | | |"
    )
    lines.append(f"| gap proven against | {row.get('gap_against')} | | |")
    if row.get("pricing"):
        lines.append(f"| pricing | {row.get('pricing')} | | |")
    if "greedy_s" in row:
        lines.append(
            f"| greedy heuristic | {_fmt(row.get('greedy_s'))} s, "
            f"{_fmt(row.get('greedy_objective'), ',.0f')} CNY/a, rate "
            f"{_fmt(row.get('greedy_rate'), '.3f')} | | |"
        )
    if row.get("error"):
        lines.append(f"\nparkflow error: {row['error']}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark (or, with --child, one measurement)."""
    parser = argparse.ArgumentParser(description="parkflow benchmark")
    parser.add_argument("--sizes", default="200,1000", help="comma list of N (default 200,1000)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--gap", type=float, default=0.01)
    parser.add_argument("--time-limit", type=float, default=600.0, help="per solve, s")
    parser.add_argument("--skip-pulp", action="store_true")
    parser.add_argument(
        "--decompose",
        action="store_true",
        help="also time the reduced network (reduce_links + solve_network) and "
        "solve_decomposed with 1 and 2 processes",
    )
    parser.add_argument(
        "--strategy",
        choices=("auto", "full", "decompose"),
        default="auto",
        help="parkflow's solve path, as `parkflow solve --strategy` (default auto)",
    )
    parser.add_argument(
        "--families",
        default="0",
        help="comma list of --tightness values (0 easy, 0.15 binding; default 0)",
    )
    parser.add_argument(
        "--per-park",
        type=int,
        default=25,
        help="enterprises per park (parks = N // this; default 25)",
    )
    parser.add_argument("--skip-highs", action="store_true")
    parser.add_argument(
        "--skip-greedy",
        action="store_true",
        help="skip bench/greedy.py (its target pass takes minutes at N = 2,000)",
    )
    parser.add_argument("--tightness", type=float, default=0.0, help=argparse.SUPPRESS)
    parser.add_argument("--json", type=Path, default=None, help="write all numbers here")
    parser.add_argument("--child", type=int, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--folder", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child is not None:
        row = measure_parkflow(
            args.child,
            args.seed,
            args.gap,
            args.time_limit,
            args.folder,
            args.decompose,
            args.strategy,
            args.tightness,
            args.per_park,
            args.skip_greedy,
        )
        print(json.dumps(row, default=str))
        return 0

    rows = []
    cases = [
        (int(s), float(f))
        for f in args.families.split(",")
        if f.strip()
        for s in args.sizes.split(",")
        if s.strip()
    ]
    for n, tightness in cases:
        with tempfile.TemporaryDirectory(prefix=f"parkflow-bench-{n}-") as tmp:
            cmd = [
                sys.executable,
                str(Path(__file__).resolve()),
                "--child",
                str(n),
                "--seed",
                str(args.seed),
                "--gap",
                str(args.gap),
                "--time-limit",
                str(args.time_limit),
                "--folder",
                tmp,
                "--strategy",
                args.strategy,
                "--tightness",
                str(tightness),
                "--per-park",
                str(args.per_park),
            ]
            cmd += ["--decompose"] if args.decompose else []
            cmd += ["--skip-greedy"] if args.skip_greedy else []
            row = _child(cmd, timeout_s=4 * args.time_limit + 600)
            row.setdefault("n_enterprises", n)
            row["gap_asked"] = args.gap
            if not args.skip_pulp and "error" not in row:
                row["pulp"] = _child(
                    [
                        sys.executable,
                        str(HERE / "pulp_baseline.py"),
                        tmp,
                        "--gap",
                        str(args.gap),
                        "--time-limit",
                        str(args.time_limit),
                    ],
                    timeout_s=2 * args.time_limit + 600,
                )
            if not args.skip_highs and "error" not in row:
                row["highs"] = _child(
                    [
                        sys.executable,
                        str(HERE / "highs_baseline.py"),
                        tmp,
                        "--gap",
                        str(args.gap),
                        "--time-limit",
                        str(args.time_limit),
                    ],
                    timeout_s=2 * args.time_limit + 600,
                )
        rows.append(row)
        print(report(row), flush=True)
        print(flush=True)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
