"""Build time of the multi-period model (issue 12; a script, not a test).

    nice -n 10 python bench/periods.py                      # 5,000 plants × 6 periods
    nice -n 10 python bench/periods.py --n 1000 --solve     # and a time-limited solve
    nice -n 10 python bench/periods.py --n 1000 --pulp      # the same model in HiGHS and PuLP/CBC

A generated province (``generate_scenario(N, N // 25, seed)``) gets candidate facilities — one
road-base mixing station and one cement grinding station at a free site in each park (their sizes
from the catalogue) — supplies growing 3 %/a, and ``periods: {from: 2025, to: 2030}``. The script
times the candidate network, the six yearly network views and the stacked model
(:func:`parkflow.solvers.periods.build_periods`, target < 2 s for 5,000 plants × 6 periods,
docs/performance.md), and prints the model's size. ``--solve`` also solves it whole with HiGHS
within ``--time-limit``. ``build_cpu_s_min`` is the CPU time of the build (the wall time grows
on a shared machine). ``--pulp`` solves the built model with HiGHS (parkflow's back-end,
:func:`parkflow.solvers.backends.solve_model`) and writes the same matrix to PuLP/CBC in its own
process (bench/pulp_baseline.py on the same model.npz), both with ``--gap`` and
``--time-limit``, and prints build and solve time, objective and gap of both and their ratios
(docs/performance.md).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import time

import numpy as np
import pandas as pd


def periods_province(n: int, seed: int = 0, years: int = 6):
    """The generated province with facilities, growth and periods."""
    from parkflow.io import scenario_from_frames  # noqa: F401  (validates like any scenario)
    from parkflow.studies.generate import generate_scenario

    sc = generate_scenario(n, max(1, n // 25), seed)
    ent = sc.enterprises
    parks = ent.groupby("park")[["lon", "lat"]].mean()
    rows = []
    for park, pos in parks.iterrows():
        for tech in ("road_base_mixing_station", "cement_grinding_station"):
            rows.append(
                {
                    "technology": tech,
                    "site": "",
                    "lon": float(pos["lon"]) + 0.01,
                    "lat": float(pos["lat"]) + 0.01,
                    "park": str(park),
                    "sizes": "",
                    "existing": 0.0,
                    "available_from": np.nan,
                }
            )
    fac = pd.DataFrame(
        rows, index=pd.Index([f"F{k + 1}" for k in range(len(rows))], name="facility_id")
    )
    techs = sc.catalogue.technologies
    fac["sizes"] = fac["technology"].map(techs["sizes"]).astype(str)
    sup = sc.supplies.assign(growth_per_a=0.03)
    extra = dict(sc.settings.extra, periods={"from": 2025, "to": 2025 + years - 1})
    return sc.replace(
        supplies=sup,
        facilities=fac,
        settings=dataclasses.replace(sc.settings, year=2025, extra=extra),
    )


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; print one JSON line."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=5000)
    ap.add_argument("--years", type=int, default=6)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--solve", action="store_true")
    ap.add_argument("--time-limit", type=float, default=60.0)
    ap.add_argument("--gap", type=float, default=0.01)
    ap.add_argument("--pulp", action="store_true", help="compare with PuLP/CBC on the same model")
    args = ap.parse_args(argv)

    from parkflow.models.scenario import expand_targets
    from parkflow.network import candidate_links
    from parkflow.solvers.periods import build_periods, scenario_years, yearly_networks

    t0 = time.perf_counter()
    sc = periods_province(args.n, args.seed, args.years)
    gen_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    net = candidate_links(sc)
    net_s = time.perf_counter() - t0
    years = scenario_years(sc)
    tg = expand_targets(sc.targets, sc)
    t0 = time.perf_counter()
    yearly_networks(sc, net, years)
    views_s = time.perf_counter() - t0
    builds, cpu = [], []
    form = None
    for _ in range(args.repeat):
        form = None  # the previous model's memory back first
        t0, c0 = time.perf_counter(), time.process_time()
        form = build_periods(net, sc, tg, years)
        builds.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    assert form is not None
    m = form.model
    out = {
        "n_enterprises": args.n,
        "periods": len(years),
        "facilities": len(net.facilities),
        "candidate_links": len(net.links),
        "generate_s": round(gen_s, 3),
        "network_s": round(net_s, 3),
        "yearly_views_s": round(views_s, 3),
        "build_s_min": round(min(builds), 3),
        "build_s_all": [round(b, 3) for b in builds],
        # CPU seconds of this process: the wall time above grows on a shared machine
        "build_cpu_s_min": round(min(cpu), 3),
        "n_variables": m.n_variables,
        "n_constraints": m.n_constraints,
        "n_binaries": m.n_binaries,
        "nnz": int(m.A.nnz),
    }
    if args.solve:
        import parkflow as pf

        t0 = time.perf_counter()
        res = pf.solve(sc, baseline=False, time_limit_s=args.time_limit, gap=args.gap)
        out["solve_wall_s"] = round(time.perf_counter() - t0, 3)
        out["status"] = res.status.value
        out["present_value_cny"] = res.present_value_cny
        out["gap"] = res.solver.get("gap")
    if args.pulp:
        from parkflow.solvers.periods import period_start

        out.update(_compare(m, period_start(form), min(builds), args))
    print(json.dumps(out))
    return 0


def _compare(m, start, build_s: float, args) -> dict:
    """HiGHS on the built model here; PuLP/CBC on the same matrix in its own process."""
    import subprocess
    import sys
    import tempfile
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).parent))
    from model_npz import save_model

    from parkflow.solvers.backends import solve_model

    t0 = time.perf_counter()
    # with the start pf.solve gives it (every year's do-nothing-new plan); CBC gets none
    res = solve_model(m, "highs", args.time_limit, args.gap, check=False, start=start)
    highs_s = time.perf_counter() - t0
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "model.npz"
        save_model(path, m)
        cmd = [
            sys.executable,
            str(Path(__file__).with_name("pulp_baseline.py")),
            str(path.parent),
            "--gap",
            str(args.gap),
            "--time-limit",
            str(args.time_limit),
        ]
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    try:
        pulp = json.loads(proc.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        pulp = {"error": proc.stderr[-2000:]}
    out = {
        "gap_asked": args.gap,
        "time_limit_s": args.time_limit,
        "parkflow_build_s": round(build_s, 3),
        "highs_solve_s": round(highs_s, 3),
        "highs_status": res.status,
        "highs_objective": res.objective,
        "highs_gap": res.gap,
        "pulp_build_s": pulp.get("build_s"),
        "cbc_solve_s": pulp.get("solve_s"),
        "cbc_status": pulp.get("status"),
        "cbc_solution": pulp.get("sol_status"),
        "cbc_objective": pulp.get("objective"),
        "pulp": pulp,
    }
    if pulp.get("build_s"):
        out["build_ratio_pulp_over_parkflow"] = round(pulp["build_s"] / build_s, 1)
        out["solve_ratio_cbc_over_highs"] = round(pulp["solve_s"] / highs_s, 2)
    return out


if __name__ == "__main__":
    raise SystemExit(main())
