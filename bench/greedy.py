"""Greedy heuristic on bench.py's neutral problem, for solution quality (not a solver to ship).

1. Existing links are opened first. 2. Links are taken in ascending order of their cost per unit
at full use (unit cost + fixed cost / bound) while that is negative (profitable). 3. If the
target is not met, links carrying target materials are added in the same order until it is.
Each taken link carries as much as its source and its use have left.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def greedy(
    links: pd.DataFrame, sources: pd.DataFrame, uses: pd.DataFrame, rate: float
) -> dict[str, float]:
    """Return ``objective`` (CNY/a, same terms as the MILP without the slack), ``rate`` reached
    and ``links_built``."""
    left_supply = (sources["generated"] + sources["max_draw"]).to_numpy(dtype=float).copy()
    generated = sources["generated"].to_numpy(dtype=float)
    left_cap = uses["capacity"].to_numpy(dtype=float).copy()
    src = links["source"].to_numpy()
    use = links["use"].to_numpy()
    eta = links["delivered_factor"].to_numpy(dtype=float)
    unit = links["unit_cost"].to_numpy(dtype=float)
    fixed = links["fixed_cost"].to_numpy(dtype=float)
    bound = links["bound"].to_numpy(dtype=float)
    in_t = links["in_target"].to_numpy(dtype=bool)
    src_t = sources["in_target"].to_numpy(dtype=bool)
    flow = np.zeros(len(links))
    built = np.zeros(len(links), dtype=bool)
    score = unit + fixed / np.maximum(bound, 1e-9)

    def take(i: int) -> None:
        q = min(left_supply[src[i]], left_cap[use[i]] / max(eta[i], 1e-9), bound[i])
        if q <= 0 and not built[i]:
            return
        flow[i] += max(q, 0.0)
        built[i] = True
        left_supply[src[i]] -= max(q, 0.0)
        left_cap[use[i]] -= max(q, 0.0) * eta[i]

    for i in np.flatnonzero(links["existing"].to_numpy(dtype=bool)):
        take(i)
    order = np.argsort(score, kind="stable")
    for i in order:
        if score[i] >= 0:
            break
        take(i)

    def reached() -> float:
        drawn = np.maximum(0.0, (flow_by_source() - generated))[src_t].sum()
        denom = generated[src_t].sum() + drawn
        return float(flow[in_t].sum() / denom) if denom > 0 else 1.0

    def flow_by_source() -> np.ndarray:
        return np.bincount(src, weights=flow, minlength=len(sources))

    if reached() < rate:
        for i in order:
            if in_t[i] and score[i] >= 0:
                take(i)
                if reached() >= rate:
                    break
    objective = float(unit @ flow + fixed[built].sum())
    return {"objective": objective, "rate": reached(), "links_built": int(built.sum())}
