"""The ε-constraint Pareto front of annual cost against the official utilisation rate.

The rate is the scenario's first target's (its materials and scope; docs/scenario-format.md,
"scenario.yaml"): for each rate ``r`` on a grid from the least-cost plan's rate (the cheapest plan
with no rate required: below it every point would be that same plan) to the best reachable rate
(objective ``utilisation``), the least annual cost is found subject to ``rate ≥ r``. The grid
always holds the Sichuan milestones 0.78 (2025) and 0.82 (2030) when they lie in that range.

When every point is one plan (the least-cost plan already reaches the best rate, or every point
costs the same at the same rate) there is no trade-off: :func:`trade_off_notice` says so, and
the csv, the png, the html and the console repeat it. The png (matplotlib) and the html (plotly)
draw the same chart: the same points, axes, milestones and texts, in Chinese or English
(docs/research.md, "Pareto front").

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
from typing import Any

import numpy as np
import pandas as pd

from parkflow.i18n import LANGS, label
from parkflow.models.result import Result
from parkflow.models.scenario import Scenario, Target
from parkflow.statistics.diagnosis import target_rate

MILESTONES = (0.78, 0.82)

COLUMNS = [
    "point",
    "rate_required",
    "rate",
    "cost_cny_per_a",
    "co2_avoided_t_per_a",
    "links_built",
    "status",
    "dominated",
    "solve_time_s",
    "gap",
    "plan",
]

MILESTONE_COLOURS = ("#d62728", "#9467bd")
PLOTLY_INCLUDE = ("inline", "cdn")


def total_cost(result: Result) -> float:
    """The objective's total of a Result, CNY/a (``total_cny_per_a``; ``total`` also accepted)."""
    obj = getattr(result, "objective", None) or {}
    for key in ("total_cny_per_a", "total"):
        if key in obj and obj[key] is not None:
            return float(obj[key])
    return float("nan")


def rate_grid(
    rate_low: float, rate_best: float, n_points: int = 9, milestones: Sequence[float] = MILESTONES
) -> np.ndarray:
    """Rates to solve at: ``n_points`` evenly from ``rate_low`` to the best.

    ``rate_low`` is the least-cost plan's rate; the milestones in range are added.

    >>> rate_grid(0.5, 0.9, n_points=5).tolist()
    [0.5, 0.6, 0.7, 0.78, 0.8, 0.82, 0.9]
    >>> rate_grid(0.5, 0.7, n_points=3).tolist()
    [0.5, 0.6, 0.7]
    """
    lo, hi = float(rate_low), float(max(rate_best, rate_low))
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
    cols = [c for c in ("rate", "cost_cny_per_a", "co2_avoided_t_per_a", "links_built") if c in out]
    src = best[take]
    for c in cols:
        values = out[c].to_numpy(copy=True)
        values[take] = out[c].to_numpy()[src]
        out[c] = values
    out["dominated"] = take
    return out


def pareto_front(
    scenario: Scenario,
    n_points: int = 9,
    rates: Sequence[float] | None = None,
    solver: str | None = None,
    time_limit_s: float | None = None,
    gap: float | None = None,
    progress: Callable[[str], None] | None = None,
) -> pd.DataFrame:
    """Least annual cost at each utilisation rate from the least-cost plan's to the best.

    Parameters
    ----------
    scenario : Scenario
        Its first target gives the materials and scope of the rate.
    n_points : int
        Evenly spaced rates between the least-cost plan's and the best (0.78 and 0.82 are added
        when in range).
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
        ``gap``, ``plan`` (points with the same cost and rate are one plan: the same number).
        ``df.attrs`` holds ``rate_today`` (existing links only), ``rate_least_cost`` (the
        cheapest plan's), ``rate_best``, ``trade_off`` (False when every point is one plan),
        the target and the scenario's name.
    """
    from parkflow.solvers.api import solve

    if not scenario.targets:
        msg = f"{scenario.name}: the scenario has no target to draw a front against"
        raise ValueError(msg)
    target: Target = scenario.targets[0]
    say = progress or (lambda message: None)
    opts: dict[str, Any] = {"solver": solver, "time_limit_s": time_limit_s, "gap": gap}

    say("today's rate (existing links) and the unconstrained least cost")
    free = solve(
        scenario, objective="cost", targets=[replace(target, rate=0.0)], baseline=True, **opts
    )
    base = free.baseline
    rate_today = target_rate(base, target.id) if base is not None else 0.0
    if not np.isfinite(rate_today):
        rate_today = 0.0
    rate_free = target_rate(free, target.id) if free.status.has_solution else rate_today
    if not np.isfinite(rate_free):
        rate_free = rate_today
    say("best reachable rate (objective utilisation)")
    best = solve(scenario, objective="utilisation", targets=[target], baseline=False, **opts)
    rate_best = target_rate(best, target.id) if best.status.has_solution else rate_today
    if not np.isfinite(rate_best):
        rate_best = rate_free
    # below the least-cost plan's rate every point would be that plan: start there
    rate_low = min(max(rate_free, rate_today), rate_best)
    grid = (
        np.unique(np.round(np.asarray(rates, dtype=float), 6))
        if rates is not None
        else rate_grid(np.floor(rate_low * 1e6) / 1e6, rate_best, n_points)
    )

    rows = []
    for k, r in enumerate(grid):
        say(f"rate ≥ {r:.2%} ({k + 1}/{len(grid)})")
        # the best rate is met exactly; shave a hair off so round-off does not touch the slack
        bound = float(min(r, rate_best * (1 - 1e-7))) if r >= rate_best else float(r)
        res = solve(
            scenario,
            objective="cost",
            targets=[replace(target, rate=bound)],
            baseline=False,
            **opts,
        )
        ok = res.status.has_solution and res.status.value != "target_unreachable"
        rows.append(
            {
                "point": k,
                "rate_required": float(r),
                "rate": target_rate(res, target.id) if ok else float("nan"),
                "cost_cny_per_a": float(total_cost(res)) if ok else float("nan"),
                "co2_avoided_t_per_a": float(res.co2_avoided_t_per_a) if ok else float("nan"),
                "links_built": int(len(res.flows)) if ok else 0,
                "status": res.status.value,
                "solve_time_s": float(res.solver.get("time_s", np.nan)),
                "gap": float(res.solver.get("gap", np.nan) or 0.0),
            }
        )
    front = monotone_front(pd.DataFrame(rows))
    front["plan"] = plan_numbers(front)
    front = front[COLUMNS]
    front.attrs.update(
        {
            "rate_today": float(rate_today),
            "rate_least_cost": float(rate_low),
            "rate_best": float(rate_best),
            "target_id": target.id,
            "scope": target.scope,
            "scenario": scenario.name,
            "trade_off": has_trade_off(front),
        }
    )
    return front


def plan_numbers(front: pd.DataFrame, rel_tol: float = 1e-6) -> np.ndarray:
    """Number the distinct plans of a front: equal cost and rate (within ``rel_tol``) → one plan.

    Unsolved points get -1.

    >>> plan_numbers(pd.DataFrame({"rate": [0.5, 0.5, 0.7, np.nan],
    ...                            "cost_cny_per_a": [1.0, 1.0, 3.0, np.nan]})).tolist()
    [0, 0, 1, -1]
    """
    out = np.full(len(front), -1)
    seen: list[tuple[float, float]] = []
    for i, (rate, cost) in enumerate(
        zip(front["rate"].astype(float), front["cost_cny_per_a"].astype(float), strict=True)
    ):
        if not (np.isfinite(rate) and np.isfinite(cost)):
            continue
        for k, (r0, c0) in enumerate(seen):
            if abs(rate - r0) <= rel_tol and abs(cost - c0) <= rel_tol * max(1.0, abs(c0)):
                out[i] = k
                break
        else:
            seen.append((rate, cost))
            out[i] = len(seen) - 1
    return out


def has_trade_off(front: pd.DataFrame) -> bool:
    """False when the solved points of a front are all one plan (nothing to trade).

    >>> has_trade_off(pd.DataFrame({"rate": [0.9, 0.9], "cost_cny_per_a": [-5.0, -5.0]}))
    False
    """
    plans = plan_numbers(front)
    return len(set(plans[plans >= 0].tolist())) > 1


def trade_off_notice(front: pd.DataFrame, lang: str = "en") -> str:
    """The notice of a front without trade-off ("" when there is one).

    >>> f = pd.DataFrame({"rate": [0.9, 0.9], "cost_cny_per_a": [-5e6, -5e6]})
    >>> trade_off_notice(f)
    'No trade-off: the least-cost plan already reaches the best reachable rate (90.0 %, net \
cost -5.000 M CNY/a); all 2 points are this one plan.'
    """
    if lang not in LANGS:
        msg = f"lang must be 'zh' or 'en', not {lang!r}"
        raise ValueError(msg)
    ok = front[np.isfinite(front["cost_cny_per_a"].astype(float))]
    if not len(ok) or has_trade_off(front):
        return ""
    points = (
        label("pareto:points_one", lang)
        if len(ok) == 1
        else label("pareto:points_all", lang).format(n=len(ok))
    )
    return label("pareto:no_trade_off", lang).format(
        points=points,
        rate=f"{100 * float(ok['rate'].iloc[0]):.1f} %",
        cost=f"{float(ok['cost_cny_per_a'].iloc[0]) / 1e6:.3f}",
    )


def _title(front: pd.DataFrame, lang: str = "en") -> str:
    a = front.attrs
    return label("pareto:title", lang).format(
        scenario=a.get("scenario", ""), target=a.get("target_id", ""), scope=a.get("scope", "")
    )


def _milestone_text(m: float, lang: str) -> str:
    return label("pareto:milestone", lang).format(
        rate=f"{m:.0%}", year="2025" if m == 0.78 else "2030"
    )


def chart(front: pd.DataFrame, lang: str = "en") -> dict:
    """What both charts draw (the png and the html draw exactly this).

    Returns
    -------
    dict
        ``x`` (rate, %), ``y`` (cost, million CNY/a) of the solved points in rate order;
        ``lines`` — ``(x, text, colour, dash)`` of the vertical lines (milestones in range of the
        axis, the least-cost plan's rate); ``title``, ``xlabel``, ``ylabel``, ``series``
        (the points' legend text), ``notice`` ("" unless there is no trade-off); ``xrange``.
    """
    ok = front[np.isfinite(front["cost_cny_per_a"].astype(float))].sort_values(
        "rate_required", kind="stable"
    )
    x = (ok["rate"].astype(float) * 100).round(6).tolist()
    y = (ok["cost_cny_per_a"].astype(float) / 1e6).round(9).tolist()
    lines = [
        (m * 100, _milestone_text(m, lang), colour, "dash")
        for m, colour in zip(MILESTONES, MILESTONE_COLOURS, strict=True)
    ]
    low = front.attrs.get("rate_least_cost", front.attrs.get("rate_today", np.nan))
    if np.isfinite(low):
        lines.append((float(low) * 100, label("pareto:least_cost", lang), "#7f7f7f", "dot"))
    xs = [v for v in x + [ln[0] for ln in lines] if np.isfinite(v)]
    lo, hi = (min(xs), max(xs)) if xs else (0.0, 100.0)
    pad = max(0.5, 0.05 * (hi - lo))
    return {
        "x": x,
        "y": y,
        "lines": lines,
        "title": _title(front, lang),
        "xlabel": label("pareto:x", lang),
        "ylabel": label("pareto:y", lang),
        "series": label("pareto:front", lang),
        "notice": trade_off_notice(front, lang),
        "xrange": [lo - pad, hi + pad],
        "customdata": np.stack(
            [
                ok["rate_required"].astype(float) * 100,
                ok["co2_avoided_t_per_a"].astype(float),
                ok["links_built"].astype(float),
            ],
            axis=-1,
        ).tolist()
        if len(ok)
        else [],
    }


def cjk_font() -> str | None:
    """The name of an installed font with Chinese glyphs, or None.

    Noto Sans CJK, from Debian's fonts-noto-cjk, or another known one.
    """
    from matplotlib import font_manager

    wanted = (
        "Noto Sans CJK SC",
        "Noto Sans CJK JP",
        "Noto Sans SC",
        "Source Han Sans SC",
        "WenQuanYi Zen Hei",
        "WenQuanYi Micro Hei",
        "Microsoft YaHei",
        "SimHei",
        "PingFang SC",
        "Noto Serif CJK SC",
    )
    have = {f.name for f in font_manager.fontManager.ttflist}
    found = next((name for name in wanted if name in have), None)
    if found is None:  # matplotlib's font cache may predate the font's installation
        # "ttf" lists .otf and .ttc files too (matplotlib's get_fontext_synonyms)
        for path in font_manager.findSystemFonts(fontext="ttf"):
            if any(k in Path(path).name for k in ("CJK", "wqy", "SourceHanSans")):
                try:
                    font_manager.fontManager.addfont(path)
                except (OSError, RuntimeError, ValueError):
                    continue
        have = {f.name for f in font_manager.fontManager.ttflist}
        found = next((name for name in wanted if name in have), None)
    return found


def plot_png(front: pd.DataFrame, path: Path, lang: str = "en") -> None:
    """Draw :func:`chart` with matplotlib (Agg) into ``path`` (a CJK font for Chinese)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    c = chart(front, lang)
    font = cjk_font()
    families = ([font] if font else []) + ["DejaVu Sans"]
    with matplotlib.rc_context({"font.family": families, "axes.unicode_minus": False}):
        fig = Figure(figsize=(9, 5.6), dpi=120)
        ax = fig.subplots()
        ax.plot(c["x"], c["y"], "o-", color="#1f77b4", label=c["series"])
        for x, text, colour, dash in c["lines"]:
            ax.axvline(x, color=colour, linestyle="--" if dash == "dash" else ":", label=text)
        ax.set_xlim(*c["xrange"])
        ax.set_xlabel(c["xlabel"])
        ax.set_ylabel(c["ylabel"])
        ax.set_title(c["title"], fontsize=9)
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize=8, loc="lower right")
        if c["notice"]:
            ax.text(
                0.5,
                0.5,
                _wrap(c["notice"], 60 if lang == "zh" else 90),
                transform=ax.transAxes,
                ha="center",
                va="center",
                fontsize=9,
                bbox={"boxstyle": "round", "facecolor": "#fff3cd", "edgecolor": "#c9a227"},
            )
        fig.tight_layout()
        fig.savefig(path)


def _wrap(text: str, width: int) -> str:
    import textwrap

    return (
        "\n".join(textwrap.wrap(text, width))
        if " " in text
        else "\n".join(text[i : i + width // 2] for i in range(0, len(text), width // 2))
    )


def plot_html(front: pd.DataFrame, path: Path, lang: str = "en", plotly: str = "inline") -> None:
    """Write :func:`chart` as a plotly page.

    ``plotly="inline"`` (the default) embeds plotly.js once, so the page works with no network;
    ``"cdn"`` references it from the plotly CDN instead (a small file that needs the network).
    """
    import plotly.graph_objects as go

    if plotly not in PLOTLY_INCLUDE:
        msg = f"plotly must be one of {PLOTLY_INCLUDE}, not {plotly!r}"
        raise ValueError(msg)
    c = chart(front, lang)
    esc = lambda t: html.escape(t, quote=False)  # noqa: E731  plotly reads texts as small HTML
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=c["x"],
            y=c["y"],
            mode="lines+markers",
            name=esc(c["series"]),
            line={"color": "#1f77b4"},
            customdata=c["customdata"] or None,
            hovertemplate=label("pareto:hover", lang),
        )
    )
    for x, text, colour, dash in c["lines"]:
        # a legend entry per line, as in the png
        fig.add_trace(
            go.Scatter(
                x=[x, x],
                y=[0, 1],
                yaxis="y2",
                mode="lines",
                name=esc(text),
                line={"color": colour, "dash": dash},
                hoverinfo="skip",
            )
        )
    if c["notice"]:
        fig.add_annotation(
            text=esc(c["notice"]),
            xref="paper",
            yref="paper",
            x=0.5,
            y=0.5,
            showarrow=False,
            bgcolor="#fff3cd",
            bordercolor="#c9a227",
            font={"size": 13},
        )
    # plotly reads a title as its own small HTML (<b>, <br>...): the names are escaped as text
    fig.update_layout(
        title=esc(c["title"]),
        xaxis_title=esc(c["xlabel"]),
        yaxis_title=esc(c["ylabel"]),
        template="plotly_white",
        xaxis={"range": c["xrange"]},
        legend={
            "x": 0.99,
            "y": 0.02,
            "xanchor": "right",
            "yanchor": "bottom",
            "bgcolor": "rgba(255,255,255,0.85)",
        },
        yaxis2={"overlaying": "y", "range": [0, 1], "visible": False},
    )
    include: bool | str = True if plotly == "inline" else "cdn"
    path.write_text(fig.to_html(include_plotlyjs=include, full_html=True), encoding="utf-8")


def write_front(
    front: pd.DataFrame, folder: Path, lang: str = "en", plotly: str = "inline"
) -> list[Path]:
    """Write pareto.csv, pareto.png and pareto.html into ``folder`` (already a temp folder).

    The csv carries a ``note`` column: the no-trade-off notice on every row when the front is
    one plan, else empty.
    """
    folder = Path(folder)
    paths = [folder / "pareto.csv", folder / "pareto.png", folder / "pareto.html"]
    front.assign(note=trade_off_notice(front, lang)).to_csv(
        paths[0], index=False, encoding="utf-8-sig"
    )
    plot_png(front, paths[1], lang)
    plot_html(front, paths[2], lang, plotly)
    return paths
