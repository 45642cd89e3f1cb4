"""The report's charts as inline SVG (no scripts): the Sankey of flows and the rate bars.

Every text that reaches the SVG (enterprise, route, material, scope names) is escaped with
:func:`esc`.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

import pandas as pd

from parkflow.i18n import label

__all__ = ["sankey_svg", "rate_chart_svg", "target_label_y", "text_width", "esc"]

_PALETTE = (
    "#4e79a7",
    "#f28e2b",
    "#59a14f",
    "#e15759",
    "#76b7b2",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#bab0ac",
)


def esc(text: Any) -> str:
    """``text`` escaped for HTML and SVG text and attributes (``& < > " '``).

    >>> esc('<img src=x onerror="alert(1)">')
    '&lt;img src=x onerror=&quot;alert(1)&quot;&gt;'
    """
    return html.escape(str(text), quote=True)


def text_width(text: Any, font_px: float = 11.0) -> float:
    """Rough width of a label in px: CJK and full-width characters 1 em, others 0.6 em.

    >>> text_width("ab"), text_width("水泥")
    (13.2, 22.0)
    """
    return round(sum(font_px if ord(c) >= 0x2E80 else 0.6 * font_px for c in str(text)), 3)


def sankey_svg(flows: pd.DataFrame, unit: str, width: int = 900, title: str = "") -> str:
    """An SVG Sankey diagram: generators → routes → users, band width ∝ flow.

    ``flows`` has columns ``from_name, route_name, to_name, material_name, flow``; all flows
    in one ``unit``.
    """
    f = flows[flows["flow"] > 0]
    if f.empty:
        return ""
    cols = [
        ("from_name", f.groupby("from_name")["flow"].sum()),
        ("route_name", f.groupby("route_name")["flow"].sum()),
        ("to_name", f.groupby("to_name")["flow"].sum()),
    ]
    n_max = max(len(s) for _, s in cols)
    height = max(240, 36 * n_max + 60)
    pad, top, node_w = 14.0, 30.0, 14.0
    # room for the longest generator (left) and user (right) names, so that none is cut off
    left = max(150.0, max(text_width(n) for n in cols[0][1].index) + 12)
    right = max(150.0, max(text_width(n) for n in cols[2][1].index) + 12)
    width = int(max(width, left + right + 320))
    xs = [left, (left + width - right) / 2 - node_w / 2, width - right - node_w]
    total = float(f["flow"].sum())
    usable = height - top - 20 - pad * (n_max - 1)
    k = usable / total if total > 0 else 0.0
    pos: dict[tuple[int, str], list[float]] = {}  # (column, name) -> [x, y, h, out_y, in_y]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" class="sankey" role="img">',
        f"<title>{esc(title)}</title>",
    ]
    for ci, (_, sizes) in enumerate(cols):
        y = top
        for name, size in sizes.items():
            h = max(1.0, float(size) * k)
            pos[(ci, str(name))] = [xs[ci], y, h, y, y]
            y += h + pad
    materials = {
        m: _PALETTE[i % len(_PALETTE)]
        for i, m in enumerate(sorted(f["material_name"].astype(str).unique()))
    }
    bands = []
    for a, bcol, ca, cb in ((0, 1, "from_name", "route_name"), (1, 2, "route_name", "to_name")):
        g = f.groupby([ca, cb, "material_name"], sort=True)["flow"].sum()
        for (na, nb, mat), q in g.items():
            h = float(q) * k
            sa, sb = pos[(a, str(na))], pos[(bcol, str(nb))]
            x0, x1 = sa[0] + node_w, sb[0]
            y0, y1 = sa[3] + h / 2, sb[4] + h / 2
            sa[3] += h
            sb[4] += h
            xm = (x0 + x1) / 2
            bands.append(
                f'<path d="M{x0:.1f},{y0:.1f} C{xm:.1f},{y0:.1f} {xm:.1f},{y1:.1f} '
                f'{x1:.1f},{y1:.1f}" stroke="{materials[str(mat)]}" stroke-opacity="0.45" '
                f'stroke-width="{max(h, 1.0):.1f}" fill="none"><title>{esc(na)} → {esc(nb)}'
                f" ({esc(mat)}): {float(q):,.0f} {esc(unit)}</title></path>"
            )
    parts += bands
    for (ci, name), (x, y, h, _, _) in pos.items():
        anchor, tx = ("end", x - 4) if ci == 0 else ("start", x + node_w + 4)
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{node_w}" height="{h:.1f}" '
            f'fill="#555"><title>{esc(name)}</title></rect>'
        )
        parts.append(
            f'<text x="{tx:.1f}" y="{y + h / 2 + 4:.1f}" font-size="11" '
            f'text-anchor="{anchor}" paint-order="stroke" stroke="#fff" '
            f'stroke-width="3" stroke-linejoin="round">{esc(name)}</text>'
        )
    lx = 10.0
    for mat, colour in materials.items():
        parts.append(
            f'<rect x="{lx:.0f}" y="8" width="10" height="10" fill="{colour}"/>'
            f'<text x="{lx + 14:.0f}" y="17" font-size="11">{esc(mat)}</text>'
        )
        lx += 14 + text_width(mat) + 16
    parts.append(
        f'<text x="{width - 10}" y="17" font-size="11" text-anchor="end">{esc(unit)}</text></svg>'
    )
    return "\n".join(parts)


def target_label_y(ys: Sequence[float], gap: float = 14.0) -> list[float]:
    """Vertical positions of labels wanted at ``ys`` (px), moved apart to at least ``gap``.

    Labels keep their order; a pair too close is spread evenly about its middle.

    >>> target_label_y([100.0, 108.0])
    [97.0, 111.0]
    >>> target_label_y([50.0, 100.0])
    [50.0, 100.0]
    """
    order = sorted(range(len(ys)), key=lambda i: ys[i])
    clusters: list[list[float]] = []  # [first y, number of labels, sum of wanted ys]
    for i in order:
        clusters.append([float(ys[i]), 1.0, float(ys[i])])
        while len(clusters) > 1 and clusters[-2][0] + clusters[-2][1] * gap > clusters[-1][0]:
            last = clusters.pop()
            prev = clusters[-1]
            prev[1] += last[1]
            prev[2] += last[2]
            prev[0] = prev[2] / prev[1] - gap * (prev[1] - 1) / 2
    placed = [c[0] + k * gap for c in clusters for k in range(int(c[1]))]
    out = [0.0] * len(ys)
    for i, y in zip(order, placed, strict=True):
        out[i] = round(y, 3)
    return out


def rate_chart_svg(
    rates: pd.DataFrame, targets: dict[int, float], lang: str, width: int = 900
) -> str:
    """An SVG bar chart: rate (before and after) per scope, with the target lines."""
    if rates.empty:
        return ""
    n = len(rates)
    # the target labels sit in a right margin, one below the other, never on top of each other
    height, left, bottom, top, right = 320, 60, 70, 20, 120
    plot_w, plot_h = width - left - right, height - bottom - top
    x_end = left + plot_w
    slot = plot_w / n
    bar = min(40.0, slot / 3)

    def y_of(rate: float) -> float:
        return top + plot_h * (1 - min(max(rate, 0.0), 1.0))

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" class="rate-chart" role="img">',
        f"<title>{esc(label('t_rate_chart', lang))}</title>",
    ]
    for tick in range(0, 101, 20):
        y = y_of(tick / 100)
        parts.append(
            f'<line x1="{left}" x2="{x_end}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="#ddd"/><text x="{left - 6}" y="{y + 4:.1f}" font-size="11" '
            f'text-anchor="end">{tick}%</text>'
        )
    for i, row in enumerate(rates.itertuples(index=False)):
        x = left + i * slot + slot / 2
        for j, (value, colour, key) in enumerate(
            ((row.rate_baseline, "#bab0ac", "baseline"), (row.rate, "#4e79a7", "optimised"))
        ):
            if value is None or pd.isna(value):
                continue
            bx = x - bar + j * bar
            parts.append(
                f'<rect x="{bx:.1f}" y="{y_of(value):.1f}" width="{bar - 2:.1f}" '
                f'height="{top + plot_h - y_of(value):.1f}" fill="{colour}">'
                f"<title>{esc(row.scope)} {esc(label(key, lang))}: "
                f"{value * 100:.1f}%</title></rect>"
            )
        parts.append(
            f'<text x="{x:.1f}" y="{top + plot_h + 16}" font-size="11" '
            f'text-anchor="middle">{esc(row.scope)}</text>'
        )
    for (year, target), ty in zip(
        targets.items(), target_label_y([y_of(t) for t in targets.values()]), strict=True
    ):
        y = y_of(target)
        parts.append(
            f'<line x1="{left}" x2="{x_end}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="#e15759" stroke-dasharray="6,3" class="target-line"/>'
            f'<text x="{x_end + 6}" y="{ty + 4:.1f}" font-size="11" fill="#e15759" '
            f'class="target-label">{esc(label(f"rate_{year}", lang))} '
            f"{target * 100:.0f}%</text>"
        )
    ly = height - 20
    for k, (colour, key) in enumerate((("#bab0ac", "baseline"), ("#4e79a7", "optimised"))):
        parts.append(
            f'<rect x="{left + k * 220}" y="{ly - 9}" width="10" height="10" '
            f'fill="{colour}"/><text x="{left + k * 220 + 14}" y="{ly}" '
            f'font-size="11">{esc(label(key, lang))}</text>'
        )
    parts.append("</svg>")
    return "\n".join(parts)
