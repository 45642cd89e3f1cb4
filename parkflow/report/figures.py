"""The report's charts drawn with matplotlib: SVG for report.html, PNG files for Word.

* :func:`rate_figure` — utilisation rate before and after per scope, horizontal bars (one row per
  park, so that labels never overlap at province scale), with the target lines;
* :func:`sankey_figure` — material flows generators → routes → users, aggregated by park (top-N
  plus "other") above :data:`SANKEY_MAX_NODES` nodes a column, so that its height is bounded;
* :func:`figure_svg` (text kept as text, escaped by matplotlib) and :func:`save_png`.

Colours: one per material id (:func:`parkflow.colours.material_colour`), the same as the map's.
Fonts: a CJK font found on the system (:func:`cjk_font`); without one, a warning and the
default font (Chinese then shows as boxes in the PNG; the HTML's SVG text still uses the
browser's fonts). See docs/reporting.md, "Charts".
"""

from __future__ import annotations

import io
import re
import warnings
from functools import cache
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from parkflow.colours import OTHER_COLOUR, material_colour
from parkflow.i18n import label

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType

__all__ = [
    "CJK_FONTS",
    "SANKEY_MAX_NODES",
    "SANKEY_TOP_N",
    "cjk_font",
    "rate_figure",
    "sankey_figure",
    "trajectory_figure",
    "aggregate_flows",
    "figure_svg",
    "save_png",
]

#: CJK font families looked for, in order (Debian's fonts-noto-cjk first).
CJK_FONTS = (
    "Noto Sans CJK SC",
    "Noto Sans CJK JP",
    "Noto Serif CJK SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Microsoft YaHei",
    "PingFang SC",
    "SimHei",
    "Heiti SC",
)
#: Above this many nodes in the generator or user column, the Sankey groups by park.
SANKEY_MAX_NODES = 20
#: The Sankey keeps this many nodes a column (by flow) and puts the rest into "other".
SANKEY_TOP_N = 15
_BASE, _OPT = "#bab0ac", "#4e79a7"
_TARGET = "#e15759"


@cache
def cjk_font() -> str | None:
    """The first CJK font family of :data:`CJK_FONTS` that matplotlib finds, else None.

    Warns (once) when there is none: Chinese in the PNG charts would show as boxes; install
    ``fonts-noto-cjk`` (Debian) or any of :data:`CJK_FONTS`.
    """
    from matplotlib import font_manager

    for attempt in range(2):
        have = {f.name for f in font_manager.fontManager.ttflist}
        for name in CJK_FONTS:
            if name in have:
                return name
        if attempt == 0:
            # matplotlib's font cache may predate the font's installation: add system fonts
            # whose file name says CJK (fonts-noto-cjk's .ttc files, Source Han, WenQuanYi)
            for path in font_manager.findSystemFonts():
                if re.search(r"CJK|SourceHan|wqy|WenQuanYi|msyh|simhei|PingFang", path, re.I):
                    try:
                        font_manager.fontManager.addfont(path)
                    except (OSError, RuntimeError, ValueError):
                        continue
    warnings.warn(
        "no CJK font found (looked for " + ", ".join(CJK_FONTS[:3]) + " ...): "
        "Chinese text in the PNG charts will show as boxes; install fonts-noto-cjk",
        RuntimeWarning,
        stacklevel=2,
    )
    return None


def _rc() -> dict[RcKeyType, Any]:
    font = cjk_font()
    families = [font, "DejaVu Sans"] if font else ["DejaVu Sans"]
    return {
        "font.family": "sans-serif",
        "font.sans-serif": families,
        "svg.fonttype": "none",
        "axes.unicode_minus": False,
        "svg.hashsalt": "parkflow",
    }


def _figure(width_in: float, height_in: float) -> Any:
    from matplotlib.figure import Figure

    return Figure(figsize=(width_in, height_in), dpi=100)


# ---------------------------------------------------------------------------------------------
# rate chart
# ---------------------------------------------------------------------------------------------
def rate_figure(rates: pd.DataFrame, targets: dict[int, float], lang: str) -> Any:
    """Rate before and after per scope as horizontal bars, with the target lines.

    Parameters
    ----------
    rates : DataFrame
        Columns ``scope, rate, rate_baseline`` (fractions); the first row is the whole scenario.
    targets : dict of int to float
        Year → target rate (fraction).
    lang : {"zh", "en"}

    Returns
    -------
    matplotlib.figure.Figure
        One row per scope, 0.32 in a row: the height grows with the parks, labels never
        overlap. The target lines have gid ``target-line-<year>``, their labels
        ``target-label-<year>``.
    """
    import matplotlib

    with matplotlib.rc_context(_rc()):
        n = len(rates)
        names = [str(s) for s in rates["scope"]]
        label_w = max([_text_in(s) for s in names] + [1.0])
        fig = _figure(9.0, 1.3 + 0.32 * n)
        left = min(0.5, (label_w + 0.2) / 9.0)
        ax = fig.add_axes(
            (left, 0.9 / (1.3 + 0.32 * n), 0.96 - left - 0.02, 0.32 * n / (1.3 + 0.32 * n))
        )
        y = np.arange(n)[::-1].astype(float)
        h = 0.38
        base = pd.to_numeric(rates["rate_baseline"], errors="coerce").to_numpy(dtype=float)
        opt = pd.to_numeric(rates["rate"], errors="coerce").to_numpy(dtype=float)
        ax.barh(
            y + h / 2,
            np.nan_to_num(base) * 100,
            height=h,
            color=_BASE,
            label=label("baseline", lang),
        )
        ax.barh(
            y - h / 2,
            np.nan_to_num(opt) * 100,
            height=h,
            color=_OPT,
            label=label("optimised", lang),
        )
        ax.set_xlim(0, 100)
        ax.set_ylim(-0.7, n - 0.3)
        ax.set_yticks([])
        for yi, name in zip(y, names, strict=True):
            ax.text(
                -1.5,
                yi,
                name,
                ha="right",
                va="center",
                fontsize=9,
                parse_math=False,
                gid="rate-scope-label",
            )
        ax.set_xticks(range(0, 101, 20))
        ax.set_xticklabels([f"{t}%" for t in range(0, 101, 20)])
        ax.grid(axis="x", color="#ddd")
        ax.set_axisbelow(True)
        for k, (year, target) in enumerate(sorted(targets.items())):
            ax.axvline(
                target * 100,
                color=_TARGET,
                linestyle=(0, (6, 3)),
                linewidth=1.2,
                gid=f"target-line-{year}",
            )
            # labels above the plot, on two levels so that close targets do not collide
            ax.text(
                target * 100,
                n - 0.3 + 0.2 + 0.6 * (k % 2),
                f"{label(f'rate_{year}', lang)} {target * 100:.0f}%",
                ha="center",
                va="bottom",
                fontsize=8,
                color=_TARGET,
                parse_math=False,
                gid=f"target-label-{year}",
                clip_on=False,
            )
        ax.legend(
            loc="upper center",
            bbox_to_anchor=(0.5, -0.35 / (0.32 * max(n, 1))),
            ncol=2,
            frameon=False,
            fontsize=9,
        )
        for spine in ("top", "right"):
            ax.spines[spine].set_visible(False)
    return fig


#: Colours of the target lines of the trajectory chart (one per target entry, in order).
_TRAJ_COLOURS = ("#4e79a7", "#f28e2b", "#59a14f", "#b07aa1", "#76b7b2", "#edc948")
_CAPEX = "#d4d4d4"


def trajectory_figure(rows: pd.DataFrame, targets: dict[int, float], lang: str) -> Any:
    """Rate by year for each target entry against the rate it must reach, capex as bars.

    Parameters
    ----------
    rows : DataFrame
        :func:`parkflow.report.tables.trajectory_rows`: ``year, target_id, scope, rate, target,
        capex_cny`` (rates as fractions).
    targets : dict of int to float
        The official target lines (year → rate), drawn as horizontal dashed lines labelled
        "2025 78%" (``target-line-<year>``).
    lang : {"zh", "en"}

    Returns
    -------
    matplotlib.figure.Figure
        One line per target entry (points with gid ``trajectory-<target>``, its required rate
        dotted), the capex built each year as bars on the right axis (gid ``capex-bars``) in
        10⁴ CNY (万元) in Chinese, million CNY in English.
    """
    import matplotlib

    with matplotlib.rc_context(_rc()):
        fig = _figure(9.0, 4.6)
        ax = fig.add_axes((0.09, 0.2, 0.8, 0.68))
        years = sorted(int(y) for y in rows["year"].dropna().unique())
        per_year = rows.drop_duplicates("year").set_index("year")["capex_cny"]
        # capex in 10⁴ CNY (万元) in Chinese, in million CNY in English
        scale = 1e4 if lang == "zh" else 1e6
        capex = np.array([float(per_year.get(y, 0.0) or 0.0) for y in years]) / scale
        axc = ax.twinx()
        axc.bar(years, np.nan_to_num(capex), width=0.5, color=_CAPEX, gid="capex-bars", zorder=1)
        axc.set_ylabel(label("tr_capex_axis", lang), fontsize=9)
        top = float(np.nanmax(capex)) if len(capex) and np.nanmax(capex) > 0 else 1.0
        axc.set_ylim(0, top * 2.2)
        ax.set_zorder(axc.get_zorder() + 1)
        ax.patch.set_visible(False)
        entries = list(dict.fromkeys(rows["target_id"].dropna().astype(str)))
        lows = [float(np.nanmin(rows[c])) for c in ("rate", "target") if rows[c].notna().any()]
        low = min([*lows, *targets.values()]) if lows or targets else 0.5
        for k, tid in enumerate(entries):
            part = rows[rows["target_id"].astype(str) == tid].sort_values("year")
            colour = _TRAJ_COLOURS[k % len(_TRAJ_COLOURS)]
            ax.plot(
                part["year"],
                part["rate"] * 100,
                marker="o",
                color=colour,
                linewidth=1.8,
                label=tid,
                gid=f"trajectory-{tid}",
            )
            if part["target"].notna().any():
                ax.plot(
                    part["year"],
                    part["target"] * 100,
                    linestyle=(0, (1, 2)),
                    color=colour,
                    linewidth=1.2,
                    label=label("tr_line", lang).format(id=tid),
                    gid=f"required-{tid}",
                )
        for year, target in sorted(targets.items()):
            ax.axhline(
                target * 100,
                color=_TARGET,
                linestyle=(0, (6, 3)),
                linewidth=1.1,
                gid=f"target-line-{year}",
            )
            # inside the plot at its left edge, just above its line: clear of both axes
            ax.text(
                years[0] - 0.55 if years else 0,
                target * 100 + 0.4,
                f"{label(f'rate_{year}', lang)} {target * 100:.0f}%",
                ha="left",
                va="bottom",
                fontsize=8,
                color=_TARGET,
                parse_math=False,
                gid=f"target-label-{year}",
                clip_on=False,
            )
        ax.set_ylim(max(0.0, np.floor(low * 10 - 1) * 10), 100)
        ax.set_xticks(years)
        ax.set_xticklabels([str(y) for y in years])
        if years:
            ax.set_xlim(years[0] - 0.6, years[-1] + 0.6)
        ax.set_ylabel(label("tr_rate_axis", lang), fontsize=9)
        ax.grid(axis="y", color="#e5e5e5")
        from matplotlib.patches import Patch

        handles, labels = ax.get_legend_handles_labels()
        handles.append(Patch(color=_CAPEX))
        labels.append(label("tr_capex", lang))
        ax.legend(
            handles,
            labels,
            loc="upper center",
            bbox_to_anchor=(0.5, -0.1),
            ncol=min(4, len(labels)),
            frameon=False,
            fontsize=8.5,
        )
        for spine in ("top",):
            ax.spines[spine].set_visible(False)
            axc.spines[spine].set_visible(False)
    return fig


def _text_in(s: str, size_pt: float = 9.0) -> float:
    """Rough width of a label in inches (CJK 1 em, others 0.6 em)."""
    em = size_pt / 72.0
    return sum(em if ord(c) >= 0x2E80 else 0.6 * em for c in s)


# ---------------------------------------------------------------------------------------------
# Sankey
# ---------------------------------------------------------------------------------------------
def _top(series: pd.Series, n: int, other: str) -> dict[str, str]:
    """Name → kept name: the ``n`` largest by flow, the rest → ``other``."""
    order = series.sort_values(ascending=False)
    keep = set(order.index[:n].astype(str)) if len(order) > n + 1 else set(order.index.astype(str))
    return {str(k): (str(k) if str(k) in keep else other) for k in order.index}


def aggregate_flows(
    flows: pd.DataFrame, lang: str, max_nodes: int = SANKEY_MAX_NODES, top_n: int = SANKEY_TOP_N
) -> tuple[pd.DataFrame, bool]:
    """The Sankey's flows, grouped when a column has more than ``max_nodes`` nodes.

    Generators and users are then replaced by their park (columns ``from_park``, ``to_park``;
    an enterprise without a park keeps its name), and each column keeps its ``top_n`` largest
    nodes by flow, the rest as "other" (其他). Routes are cut the same way.

    Parameters
    ----------
    flows : DataFrame
        Columns ``from_name, route_name, to_name, material, material_name, flow`` and,
        optionally, ``from_park, to_park``.
    lang : {"zh", "en"}
    max_nodes, top_n : int

    Returns
    -------
    (DataFrame, bool)
        The flows (same columns) and whether they were grouped.
    """
    f = flows[flows["flow"] > 0].copy()
    n_max = max(f["from_name"].nunique(), f["to_name"].nunique(), f["route_name"].nunique())
    if n_max <= max_nodes:
        return f, False
    other = label("other", lang)
    for col, park in (("from_name", "from_park"), ("to_name", "to_park")):
        if park in f.columns:
            f[col] = f[park].where(f[park].astype(str).str.len() > 0, f[col]).astype(str)
        f[col] = f[col].map(_top(f.groupby(col)["flow"].sum(), top_n, other))
    f["route_name"] = f["route_name"].map(_top(f.groupby("route_name")["flow"].sum(), top_n, other))
    return f, True


def _scale(
    cols: list[tuple[str, pd.Series]], avail: float, pad: float, min_h: float, total: float
) -> float:
    """Inches per unit of flow such that every column, small nodes raised to ``min_h``, fits."""
    k = float("inf")
    for _, sizes in cols:
        v = sizes.to_numpy(dtype=float)
        room = avail - pad * (len(v) - 1)
        kk = room / v.sum() if v.sum() > 0 else 1.0
        for _ in range(5):  # nodes below one label line take min_h; the rest share what is left
            small = v * kk < min_h
            rest = v[~small].sum()
            if rest <= 0:
                break
            kk = max(room - min_h * small.sum(), 0.0) / rest
        k = min(k, kk)
    return k if np.isfinite(k) and k > 0 else avail / max(total, 1e-9)


def sankey_figure(flows: pd.DataFrame, unit: str, lang: str, title: str = "") -> Any:
    """The Sankey diagram: generators → routes → users, band width ∝ flow, coloured by material.

    Parameters
    ----------
    flows : DataFrame
        See :func:`aggregate_flows` (applied here); all in one ``unit``.
    unit : str
    lang : {"zh", "en"}
    title : str

    Returns
    -------
    matplotlib.figure.Figure
        At most ``SANKEY_TOP_N + 1`` nodes a column when grouped: its height is bounded
        (≤ 14 in).
    """
    import matplotlib
    from matplotlib.patches import PathPatch, Rectangle
    from matplotlib.path import Path as MPath

    f, grouped = aggregate_flows(flows, lang)
    other = label("other", lang)
    cols = []
    for col in ("from_name", "route_name", "to_name"):
        sizes = f.groupby(col)["flow"].sum().sort_values(ascending=False)
        if other in sizes.index:  # "other" last
            sizes = pd.concat([sizes.drop(other), sizes.loc[[other]]])
        cols.append((col, sizes))
    n_max = max(len(s) for _, s in cols)
    total = float(f["flow"].sum())
    with matplotlib.rc_context(_rc()):
        left_w = max(_text_in(str(n)) for n in cols[0][1].index) + 0.3
        right_w = max(_text_in(str(n)) for n in cols[2][1].index) + 0.3
        width = max(9.0, left_w + right_w + 5.0)
        n_mat = f["material"].nunique()
        top_in, bottom_in = 0.15 + 0.25 * -(-n_mat // 6), 0.3  # legend rows; unit line
        height = min(14.0, max(3.2, 0.3 * n_max + 0.4) + top_in + bottom_in)
        avail = height - top_in - bottom_in
        fig = _figure(width, height)
        ax = fig.add_axes(
            (left_w / width, bottom_in / height, 1 - (left_w + right_w) / width, avail / height)
        )
        ax.set_axis_off()
        # y in inches: a node takes max(flow × k, one label line) so that labels never overlap
        pad, min_h = 0.05, 0.17
        k = _scale(cols, avail, pad, min_h, total)
        xs = [0.0, 0.47, 0.94]
        node_w = 0.06
        pos: dict[tuple[int, str], list[float]] = {}
        for ci, (_, sizes) in enumerate(cols):
            slots = [max(float(v) * k, min_h) for v in sizes]
            used = sum(slots) + pad * (len(slots) - 1)
            yy = avail - (avail - used) / 2
            for (name, size), slot in zip(sizes.items(), slots, strict=True):
                h = float(size) * k
                top = yy - (slot - h) / 2
                pos[(ci, str(name))] = [top, top, top, h]  # top, out cursor, in cursor, height
                yy -= slot + pad
        order = list(dict.fromkeys(f["material"].astype(str)))
        names_of = dict(
            zip(f["material"].astype(str), f["material_name"].astype(str), strict=False)
        )
        for a, b, ca, cb in ((0, 1, "from_name", "route_name"), (1, 2, "route_name", "to_name")):
            g = f.groupby([ca, cb, "material"], sort=False)["flow"].sum()
            # bands leave each node in the order of the nodes they reach (fewer crossings)
            rank = {str(n): i for i, n in enumerate(cols[b][1].index)}
            for (na, nb, mat), q in sorted(
                g.items(), key=lambda kv: (rank[str(kv[0][1])], str(kv[0][2]))
            ):
                q = float(q) * k
                sa, sb = pos[(a, str(na))], pos[(b, str(nb))]
                y0, y1 = sa[1], sb[2]
                sa[1] -= q
                sb[2] -= q
                x0, x1 = xs[a] + node_w, xs[b]
                xm = (x0 + x1) / 2
                verts = [
                    (x0, y0),
                    (xm, y0),
                    (xm, y1),
                    (x1, y1),
                    (x1, y1 - q),
                    (xm, y1 - q),
                    (xm, y0 - q),
                    (x0, y0 - q),
                    (x0, y0),
                ]
                codes = [
                    MPath.MOVETO,
                    MPath.CURVE4,
                    MPath.CURVE4,
                    MPath.CURVE4,
                    MPath.LINETO,
                    MPath.CURVE4,
                    MPath.CURVE4,
                    MPath.CURVE4,
                    MPath.CLOSEPOLY,
                ]
                colour = OTHER_COLOUR if str(mat) == other else material_colour(str(mat), order)
                ax.add_patch(
                    PathPatch(
                        MPath(verts, codes),
                        facecolor=colour,
                        alpha=0.55,
                        edgecolor="none",
                        gid=f"band-{mat}",
                    )
                )
        for (ci, name), (top, _, _, h) in pos.items():
            ax.add_patch(
                Rectangle(
                    (xs[ci], top - h), node_w, max(h, 0.01), facecolor="#555", edgecolor="none"
                )
            )
            ha, tx = ("right", xs[ci] - 0.01) if ci == 0 else ("left", xs[ci] + node_w + 0.01)
            box = (
                {"facecolor": "white", "alpha": 0.75, "edgecolor": "none", "pad": 0.5}
                if ci == 1
                else None
            )
            ax.text(
                tx,
                top - h / 2,
                name,
                ha=ha,
                va="center",
                fontsize=8.5,
                bbox=box,
                parse_math=False,
                gid="sankey-label",
                clip_on=False,
            )
        ax.set_xlim(0, 1.0)
        ax.set_ylim(0, avail)
        handles = []
        from matplotlib.patches import Patch

        for m in order:
            handles.append(Patch(color=material_colour(m, order), label=names_of.get(m, m)))
        fig.legend(
            handles=handles,
            loc="upper left",
            ncol=min(6, max(1, len(handles))),
            frameon=False,
            fontsize=8.5,
            bbox_to_anchor=(0.01, 0.995),
        )
        has_other = any(other in set(sizes.index) for _, sizes in cols)
        note = (
            label("sankey_grouped" if has_other else "sankey_by_park", lang).format(
                by=label("by_park", lang), n=SANKEY_TOP_N
            )
            if grouped
            else ""
        )
        # the unit (and the grouping) at the foot, clear of the legend at the top
        fig.text(
            0.99, 0.005, f"{unit}{note}", ha="right", va="bottom", fontsize=8.5, parse_math=False
        )
        if title:
            fig.suptitle("")
    return fig


# ---------------------------------------------------------------------------------------------
# output
# ---------------------------------------------------------------------------------------------
def figure_svg(fig: Any, css_class: str = "") -> str:
    """The figure as an inline SVG element (no XML prolog), text kept as ``<text>``.

    Elements drawn with a gid ``target-line-*`` / ``target-label-*`` also get the class
    ``target-line`` / ``target-label``.
    """
    import matplotlib

    buf = io.StringIO()
    with matplotlib.rc_context(_rc()), warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"Glyph .* missing", category=UserWarning)
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    svg = buf.getvalue()
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r'<g id="(target-(?:line|label))-(\d+)"', r'<g id="\1-\2" class="\1"', svg)
    if css_class:
        svg = svg.replace("<svg ", f'<svg class="{css_class}" role="img" ', 1)
    return svg


def save_png(fig: Any, path: Any, dpi: int = 150) -> None:
    """Write the figure as PNG (for Word), ``dpi`` dots per inch."""
    import matplotlib

    with matplotlib.rc_context(_rc()), warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"Glyph .* missing", category=UserWarning)
        fig.savefig(path, format="png", dpi=dpi)
