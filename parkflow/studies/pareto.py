"""The ε-constraint Pareto front of annual cost against the official utilisation rate.

The rate is the scenario's first target's (its materials and scope; docs/scenario-format.md,
"scenario.yaml"): for each rate ``r`` on a grid from today's rate (the existing links only) to the
best reachable rate (objective ``utilisation``), the least annual cost is found subject to
``rate ≥ r``. The grid always holds the Sichuan milestones 0.78 (2025) and 0.82 (2030) when they
lie in that range.

The least cost subject to ``rate ≥ r`` cannot fall as ``r`` rises (the feasible set shrinks). A MIP
stopped at a gap may still return a dearer point below a cheaper one; such a point is replaced by
the cheaper solution found at the higher rate, which is feasible for it too, and flagged
``dominated``. The front is therefore monotone by construction and every point is a real solution.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from parkflow.models.result import Result
from parkflow.models.scenario import Scenario, Target
from parkflow.statistics.diagnosis import target_rate

MILESTONES = (0.78, 0.82)

COLUMNS = [
    "point", "rate_required", "rate", "cost_cny_per_a", "co2_avoided_t_per_a", "links_built",
    "status", "dominated", "solve_time_s", "gap",
]


def total_cost(result: Result) -> float:
    """The objective's total of a Result, CNY/a (``total_cny_per_a``; ``total`` also accepted)."""
    obj = getattr(result, "objective", None) or {}
    for key in ("total_cny_per_a", "total"):
        if key in obj and obj[key] is not None:
            return float(obj[key])
    return float("nan")


def rate_grid(rate_today: float, rate_best: float, n_points: int = 9,
              milestones: Sequence[float] = MILESTONES) -> np.ndarray:
    """Rates to solve at: ``n_points`` evenly from today to the best, plus the milestones in range.

    >>> rate_grid(0.5, 0.9, n_points=5).tolist()
    [0.5, 0.6, 0.7, 0.78, 0.8, 0.82, 0.9]
    >>> rate_grid(0.5, 0.7, n_points=3).tolist()
    [0.5, 0.6, 0.7]
    """
    lo, hi = float(rate_today), float(max(rate_best, rate_today))
    grid = np.linspace(lo, hi, max(int(n_points), 2)) if hi > lo else np.array([lo])
    extra = [m for m in milestones if lo <= m <= hi]
    return np.unique(np.round(np.concatenate([grid, extra]), 6))


def monotone_front(points: pd.DataFrame) -> pd.DataFrame:
    """Replace every point that a cheaper point at a higher rate dominates (see module doc).

    Parameters
    ----------
    points : DataFrame
        ``rate_required`` ascending, ``rate, cost_cny_per_a, co2_avoided_t_per_a, links_built``.

    Returns
    -------
    DataFrame
        The same rows; dominated ones carry the dominating solution and ``dominated = True``.

    Examples
    --------
    >>> df = pd.DataFrame({"rate_required": [0.1, 0.2, 0.3], "rate": [0.1, 0.2, 0.3],
    ...                    "cost_cny_per_a": [5.0, 7.0, 6.0], "co2_avoided_t_per_a": [1, 2, 3],
    ...                    "links_built": [1, 2, 3]})
    >>> monotone_front(df)[["cost_cny_per_a", "dominated"]].values.tolist()
    [[5.0, False], [6.0, True], [6.0, False]]
    """
    out = points.sort_values("rate_required", kind="stable").reset_index(drop=True)
    cost = out["cost_cny_per_a"].to_numpy(dtype=float)
    valid = np.isfinite(cost)
    # index of the cheapest valid point at or above each position (suffix arg-min)
    best = np.full(len(out), -1)
    best_i = -1
    for i in range(len(out) - 1, -1, -1):  # a handful of points: a loop is clearest
        if valid[i] and (best_i < 0 or cost[i] <= cost[best_i]):
            best_i = i
        best[i] = best_i
    take = (best >= 0) & valid & (best != np.arange(len(out)))
    take &= cost[np.where(best >= 0, best, 0)] < cost - 1e-9 * np.maximum(1.0, np.abs(cost))
    cols = [c for c in ("rate", "cost_cny_per_a", "co2_avoided_t_per_a", "links_built")
            if c in out]
    src = best[take]
    for c in cols:
        values = out[c].to_numpy(copy=True)
        values[take] = out[c].to_numpy()[src]
        out[c] = values
    out["dominated"] = take
    return out


def pareto_front(scenario: Scenario, n_points: int = 9, rates: Sequence[float] | None = None,
                 solver: str | None = None, time_limit_s: float | None = None,
                 gap: float | None = None,
                 progress: Callable[[str], None] | None = None) -> pd.DataFrame:
    """Least annual cost at each utilisation rate from today's to the best reachable.

    Parameters
    ----------
    scenario : Scenario
        Its first target gives the materials and scope of the rate.
    n_points : int
        Evenly spaced rates between today's and the best (0.78 and 0.82 are added when in range).
    rates : sequence of float, optional
        Solve at exactly these rates (0-1) instead.
    solver, time_limit_s, gap
        Passed to :func:`parkflow.solve`; default the scenario's settings.
    progress : callable, optional
        Called with a short message before each solve.

    Returns
    -------
    DataFrame
        One row per rate (columns :data:`COLUMNS`): ``rate_required`` (the ε bound), ``rate``
        achieved, ``cost_cny_per_a`` (the objective's total, negative = net saving),
        ``co2_avoided_t_per_a``, ``links_built``, ``status``, ``dominated``, ``solve_time_s``,
        ``gap``. Attributes ``rate_today`` and ``rate_best`` are in ``df.attrs``.
    """
    from parkflow.solvers.api import solve

    if not scenario.targets:
        raise ValueError(f"{scenario.name}: the scenario has no target to draw a front against")
    target: Target = scenario.targets[0]
    say = progress or (lambda message: None)
    opts = {"solver": solver, "time_limit_s": time_limit_s, "gap": gap}

    say("today's rate (existing links) and the unconstrained least cost")
    free = solve(scenario, objective="cost", targets=[replace(target, rate=0.0)], baseline=True,
                 **opts)
    base = free.baseline
    rate_today = target_rate(base, target.id) if base is not None else 0.0
    if not np.isfinite(rate_today):
        rate_today = 0.0
    say("best reachable rate (objective utilisation)")
    best = solve(scenario, objective="utilisation", targets=[target], baseline=False, **opts)
    rate_best = target_rate(best, target.id) if best.status.has_solution else rate_today
    if not np.isfinite(rate_best):
        rate_best = rate_today
    grid = (np.unique(np.round(np.asarray(rates, dtype=float), 6)) if rates is not None
            else rate_grid(rate_today, rate_best, n_points))

    rows = []
    for k, r in enumerate(grid):
        say(f"rate ≥ {r:.2%} ({k + 1}/{len(grid)})")
        # the best rate is met exactly; shave a hair off so round-off does not touch the slack
        bound = float(min(r, rate_best * (1 - 1e-7))) if r >= rate_best else float(r)
        res = solve(scenario, objective="cost", targets=[replace(target, rate=bound)],
                    baseline=False, **opts)
        ok = res.status.has_solution and res.status.value != "target_unreachable"
        rows.append({
            "point": k,
            "rate_required": float(r),
            "rate": target_rate(res, target.id) if ok else float("nan"),
            "cost_cny_per_a": float(total_cost(res))
            if ok else float("nan"),
            "co2_avoided_t_per_a": float(res.co2_avoided_t_per_a) if ok else float("nan"),
            "links_built": int(len(res.flows)) if ok else 0,
            "status": res.status.value,
            "solve_time_s": float(res.solver.get("time_s", np.nan)),
            "gap": float(res.solver.get("gap", np.nan) or 0.0),
        })
    front = monotone_front(pd.DataFrame(rows))[COLUMNS]
    front.attrs.update({"rate_today": float(rate_today), "rate_best": float(rate_best),
                        "target_id": target.id, "scope": target.scope,
                        "scenario": scenario.name})
    return front


def _title(front: pd.DataFrame) -> str:
    a = front.attrs
    return (f"{a.get('scenario', '')}: least annual cost vs utilisation rate "
            f"(target {a.get('target_id', '')}, scope {a.get('scope', '')})")


def plot_png(front: pd.DataFrame, path: Path) -> None:
    """Draw the front with matplotlib (Agg) and the 78 % / 82 % milestones into ``path``."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    fig = Figure(figsize=(8, 5), dpi=120)
    ax = fig.subplots()
    ok = front[np.isfinite(front["cost_cny_per_a"])]
    ax.plot(ok["rate"] * 100, ok["cost_cny_per_a"] / 1e6, "o-", color="#1f77b4",
            label="least cost (ε-constraint)")
    for m, colour in zip(MILESTONES, ("#d62728", "#9467bd"), strict=True):
        ax.axvline(m * 100, color=colour, linestyle="--",
                   label=f"{m:.0%} target ({'2025' if m == 0.78 else '2030'})")
    if np.isfinite(front.attrs.get("rate_today", np.nan)):
        ax.axvline(front.attrs["rate_today"] * 100, color="grey", linestyle=":",
                   label="today (existing links)")
    ax.set_xlabel("utilisation rate (%)")
    ax.set_ylabel("net annual cost (million CNY/a; negative = net saving)")
    ax.set_title(_title(front), fontsize=9)
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path)


def plot_html(front: pd.DataFrame, path: Path) -> None:
    """Write a self-contained plotly page (plotly.js embedded, no CDN) with the milestones."""
    import plotly.graph_objects as go

    ok = front[np.isfinite(front["cost_cny_per_a"])]
    fig = go.Figure()
    fig.add_trace(go.Scatter(
        x=ok["rate"] * 100, y=ok["cost_cny_per_a"] / 1e6, mode="lines+markers",
        name="least cost",
        customdata=np.stack([ok["rate_required"] * 100, ok["co2_avoided_t_per_a"],
                             ok["links_built"]], axis=-1) if len(ok) else None,
        hovertemplate=("rate %{x:.2f} % (required ≥ %{customdata[0]:.2f} %)<br>"
                       "cost %{y:.3f} M CNY/a<br>CO₂ avoided %{customdata[1]:,.0f} t/a<br>"
                       "links %{customdata[2]}<extra></extra>"),
    ))
    for m, colour in zip(MILESTONES, ("#d62728", "#9467bd"), strict=True):
        fig.add_vline(x=m * 100, line_dash="dash", line_color=colour,
                      annotation_text=f"{m:.0%} ({'2025' if m == 0.78 else '2030'})")
    # plotly reads a title as its own small HTML (<b>, <br>...): the names are escaped as text
    fig.update_layout(title=html.escape(_title(front), quote=False),
                      xaxis_title="utilisation rate (%)",
                      yaxis_title="net annual cost (M CNY/a; negative = net saving)",
                      template="plotly_white")
    path.write_text(fig.to_html(include_plotlyjs=True, full_html=True), encoding="utf-8")


def write_front(front: pd.DataFrame, folder: Path) -> list[Path]:
    """Write pareto.csv, pareto.png and pareto.html into ``folder`` (already a temp folder)."""
    folder = Path(folder)
    paths = [folder / "pareto.csv", folder / "pareto.png", folder / "pareto.html"]
    front.to_csv(paths[0], index=False)
    plot_png(front, paths[1])
    plot_html(front, paths[2])
    return paths
