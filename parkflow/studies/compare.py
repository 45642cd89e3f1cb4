"""Compare two layouts of a park: a synchronised dual map and a table of differences.

:func:`compare` solves two scenarios (typically a base and an overlay variant, see
:mod:`parkflow.io.overlay`) and returns a :class:`Comparison`:

* ``differences`` — one row per link built in either solution, keyed by
  ``(from, to, material, route)``, with ``change`` in ``added | removed | changed | same`` and the
  flow, distance, net cost and CO₂ avoided on both sides and their change (B − A);
* ``indicators`` — the key figures on both sides: each target's rate and utilised amount, the net
  cost, its parts, CO₂ avoided and the number of links built.

:meth:`Comparison.write` writes ``compare.html`` (two Leaflet maps side by side whose views move
together, then both tables), ``differences.csv`` and ``indicators.csv``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import folium
import numpy as np
import pandas as pd
from branca.element import Figure, MacroElement

from parkflow.i18n import Names, label
from parkflow.maps import (
    MAP_CSS,
    HtmlBlock,
    built_links,
    draw_on,
    html_text,
    links_built_count,
    map_html,
    map_label,
)
from parkflow.maps.layers import CHANGE_STYLES
from parkflow.models.result import Result
from parkflow.models.scenario import Scenario

KEY = ["from", "to", "material", "route"]
CHANGES = ("added", "removed", "changed", "same")


MONEY_KEYS = (
    "total_cny_per_a",
    "transport_cny_per_a",
    "fixed_cny_per_a",
    "value_cny_per_a",
    "disposal_avoided_cny_per_a",
)


def _l(key: str, lang: str) -> str:
    return label(f"compare:{key}", lang)


_esc = html_text


# ---------------------------------------------------------------------------------------------
# tables
# ---------------------------------------------------------------------------------------------
def _side(result: Result) -> pd.DataFrame:
    flows = built_links(result)
    cols = {
        "flow": 0.0,
        "delivered": np.nan,
        "distance_km": np.nan,
        "total_cny_per_a": 0.0,
        "co2_avoided_t_per_a": 0.0,
    }
    out = pd.DataFrame({c: flows[c].astype(str) for c in KEY})
    for c, default in cols.items():
        out[c] = (
            flows[c].astype(float)
            if c in flows.columns  # typed by io.solution
            else pd.Series(default, index=flows.index, dtype=float)
        )
    out["mode"] = flows["mode"].astype(str) if "mode" in flows.columns else ""
    # two built links with the same key (different modes) count as one
    agg = {
        "flow": "sum",
        "delivered": "sum",
        "distance_km": "mean",
        "total_cny_per_a": "sum",
        "co2_avoided_t_per_a": "sum",
        "mode": lambda s: "+".join(sorted(set(s))),
    }
    return out.groupby(KEY, as_index=False, sort=True).agg(agg)


def link_differences(result_a: Result, result_b: Result, rel_tol: float = 1e-6) -> pd.DataFrame:
    """Links built in A or B, matched on ``(from, to, material, route)``.

    Parameters
    ----------
    result_a, result_b : Result
        The two solutions.
    rel_tol : float
        Flows or distances that differ by less than this fraction count as the same.

    Returns
    -------
    pandas.DataFrame
        Columns ``from, to, material, route, change`` (added | removed | changed | same),
        ``flow_a, flow_b, flow_change, distance_km_a, distance_km_b, mode_a, mode_b,
        total_cny_per_a_a, total_cny_per_a_b, cost_change_cny_per_a, co2_avoided_t_per_a_a,
        co2_avoided_t_per_a_b, co2_change_t_per_a``. Amounts per year in the material's
        canonical unit; a side without the link has 0 flow, cost and CO₂ and no distance.
        Sorted by change (added, removed, changed, same), then by material and enterprises.
    """
    a, b = _side(result_a), _side(result_b)
    both = a.merge(b, on=KEY, how="outer", suffixes=("_a", "_b"), indicator=True)
    for col in ("flow", "delivered", "total_cny_per_a", "co2_avoided_t_per_a"):
        for s in ("_a", "_b"):
            both[col + s] = both[col + s].fillna(0.0)
    for s in ("_a", "_b"):
        both["mode" + s] = both["mode" + s].fillna("")
    fa, fb = both["flow_a"].to_numpy(float), both["flow_b"].to_numpy(float)
    da = both["distance_km_a"].to_numpy(float)
    db = both["distance_km_b"].to_numpy(float)
    scale = np.maximum(np.maximum(np.abs(fa), np.abs(fb)), 1.0)
    flow_same = np.abs(fb - fa) <= rel_tol * scale
    dist_same = np.abs(np.nan_to_num(db) - np.nan_to_num(da)) <= rel_tol * np.maximum(
        np.nan_to_num(np.maximum(da, db)), 1.0
    )
    side = both["_merge"].astype(str).to_numpy()
    change = np.select(
        [side == "right_only", side == "left_only", flow_same & dist_same],
        ["added", "removed", "same"],
        default="changed",
    )
    out = both[KEY].copy()
    out["change"] = change
    out["flow_a"], out["flow_b"] = fa, fb
    out["flow_change"] = fb - fa
    out["distance_km_a"], out["distance_km_b"] = da, db
    out["mode_a"], out["mode_b"] = both["mode_a"], both["mode_b"]
    out["total_cny_per_a_a"] = both["total_cny_per_a_a"]
    out["total_cny_per_a_b"] = both["total_cny_per_a_b"]
    out["cost_change_cny_per_a"] = out["total_cny_per_a_b"] - out["total_cny_per_a_a"]
    out["co2_avoided_t_per_a_a"] = both["co2_avoided_t_per_a_a"]
    out["co2_avoided_t_per_a_b"] = both["co2_avoided_t_per_a_b"]
    out["co2_change_t_per_a"] = out["co2_avoided_t_per_a_b"] - out["co2_avoided_t_per_a_a"]
    order = pd.Categorical(out["change"], categories=list(CHANGES), ordered=True)
    out = (
        out.assign(_o=order)
        .sort_values(["_o", "material", "from", "to", "route"], kind="stable")
        .drop(columns="_o")
        .reset_index(drop=True)
    )
    return out


def _target_rows(result: Result) -> pd.DataFrame:
    t = result.targets if result.targets is not None else pd.DataFrame()
    if t.empty or not {"id", "rate"} <= set(t.columns):
        return pd.DataFrame(columns=["key", "rate", "utilised", "unit"])
    scope = t["scope"].astype(str) if "scope" in t.columns else pd.Series("all", index=t.index)
    return pd.DataFrame(
        {
            "key": t["id"].astype(str) + " (" + scope + ")",
            "rate": t["rate"].astype(float),  # typed by io.solution
            "utilised": (
                t["utilised"].astype(float)
                if "utilised" in t.columns
                else pd.Series(np.nan, index=t.index)
            ),
            "unit": t["unit"].astype(str) if "unit" in t.columns else "t/a",
        }
    )


def indicators(result_a: Result, result_b: Result, lang: str = "zh") -> pd.DataFrame:
    """Key figures of both solutions and their change (B − A).

    Returns
    -------
    pandas.DataFrame
        Columns ``indicator`` (a stable id such as ``rate:bulk-2025 (all)`` or
        ``total_cny_per_a``), ``label`` (in ``lang``), ``a, b, change, unit``. Rates are
        fractions (0.78), their change in fractions too (0.02 = 2 percentage points).
    """
    rows: list[dict[str, Any]] = []
    ta, tb = _target_rows(result_a), _target_rows(result_b)
    keys = list(dict.fromkeys([*ta["key"], *tb["key"]]))
    ia, ib = ta.set_index("key"), tb.set_index("key")
    for key in keys:
        for col, unit in (("rate", "fraction"), ("utilised", None)):
            a = float(ia.at[key, col]) if key in ia.index else np.nan
            b = float(ib.at[key, col]) if key in ib.index else np.nan
            u = unit or str((ia if key in ia.index else ib).at[key, "unit"])
            rows.append(
                {
                    "indicator": f"{col}:{key}",
                    "label": f"{_l(col, lang)} {key}",
                    "a": a,
                    "b": b,
                    "unit": u,
                }
            )
    for key in MONEY_KEYS:
        rows.append(
            {
                "indicator": key,
                "label": _l(key, lang),
                "a": float(result_a.objective.get(key, np.nan)),
                "b": float(result_b.objective.get(key, np.nan)),
                "unit": "CNY/a",
            }
        )
    rows.append(
        {
            "indicator": "co2_avoided_t_per_a",
            "label": _l("co2_avoided_t_per_a", lang),
            "a": float(result_a.co2_avoided_t_per_a),
            "b": float(result_b.co2_avoided_t_per_a),
            "unit": "t CO2/a",
        }
    )
    rows.append(
        {
            "indicator": "links_built",
            "label": _l("links_built", lang),
            "a": float(links_built_count(result_a)),
            "b": float(links_built_count(result_b)),
            "unit": "count",
        }
    )
    out = pd.DataFrame(rows, columns=["indicator", "label", "a", "b", "unit"])
    out.insert(4, "change", out["b"] - out["a"])
    return out


# ---------------------------------------------------------------------------------------------
# the comparison
# ---------------------------------------------------------------------------------------------
class _Sync(MacroElement):
    """Make two maps move together (Leaflet.Sync, vendored and inlined on writing)."""

    _template = folium.template.Template(
        """
        {% macro header(this, kwargs) %}
            <script src="https://cdn.jsdelivr.net/npm/leaflet.sync@0.2.4/L.Map.Sync.js"></script>
        {% endmacro %}
        {% macro script(this, kwargs) %}
            {{ this.m1.get_name() }}.sync({{ this.m2.get_name() }});
            {{ this.m2.get_name() }}.sync({{ this.m1.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, m1: folium.Map, m2: folium.Map):
        super().__init__()
        self._name = "Sync"
        self.m1, self.m2 = m1, m2


def _fmt(x: Any, unit: str = "") -> str:
    try:
        v = float(x)
    except (TypeError, ValueError):
        return _esc(x)
    if not np.isfinite(v):
        return "–"
    if unit == "fraction":
        return f"{100 * v:.2f} %"
    return f"{v:,.0f}"


def _fmt_change(x: Any, unit: str = "") -> str:
    try:
        v = float(x)
    except (TypeError, ValueError):
        return "–"
    if not np.isfinite(v):
        return "–"
    if unit == "fraction":
        return f"{100 * v:+.2f} pp"
    return f"{v:+,.0f}"


@dataclass
class Comparison:
    """Two solved layouts and their differences (see :func:`compare`)."""

    scenario_a: Scenario
    scenario_b: Scenario
    result_a: Result
    result_b: Result
    differences: pd.DataFrame
    indicators: pd.DataFrame
    lang: str = "zh"

    def differences_named(self) -> pd.DataFrame:
        """:attr:`differences` with enterprise, material and route names in :attr:`lang`."""
        names = Names(self.lang, self.scenario_b)
        ents = Names(self.lang, self.scenario_a).merged(names).enterprise
        d = self.differences
        named = d.copy()
        named.insert(1, "from_name", d["from"].map(ents).fillna(d["from"]))
        named.insert(3, "to_name", d["to"].map(ents).fillna(d["to"]))
        named.insert(5, "material_name", d["material"].map(names.material))
        named.insert(7, "route_name", d["route"].map(names.route))
        return named

    def link_marks(self, side: str) -> pd.Series:
        """How each link built on ``side`` (``"a"`` or ``"b"``) is marked on its map.

        Map A marks the links B no longer builds (``removed``), map B the links it adds
        (``added``); links built on both sides are ``changed`` (flow or distance differ) or
        ``same`` (dimmed). The index is that of :func:`~parkflow.maps.popups.built_links`.
        """
        flows = built_links(self.result_a if side == "a" else self.result_b)
        kind = self.differences.set_index(KEY)["change"]
        key = pd.MultiIndex.from_frame(flows[KEY].astype(str))
        return pd.Series(
            kind.reindex(key).fillna("same").to_numpy(), index=flows.index, dtype=object
        )

    def tables_html(self) -> str:
        """The indicators and the link differences as HTML tables."""
        lang = self.lang
        a_name, b_name = _esc(self.scenario_a.name), _esc(self.scenario_b.name)
        head = (
            f"<tr><th>{_l('indicator', lang)}</th><th>{_l('a', lang)}: {a_name}</th>"
            f"<th>{_l('b', lang)}: {b_name}</th><th>{_l('change', lang)}</th>"
            f"<th>{_l('unit', lang)}</th></tr>"
        )
        rows = "".join(
            f"<tr><th>{_esc(r.label)}</th><td>{_fmt(r.a, r.unit)}</td><td>{_fmt(r.b, r.unit)}"
            f"</td><td>{_fmt_change(r.change, r.unit)}</td><td>{_esc(r.unit)}</td></tr>"
            for r in self.indicators.itertuples(index=False)
        )
        parts = [
            f"<h2>{_l('indicators', lang)}</h2>",
            f'<table class="pf-cmp">{head}{rows}</table>',
            f"<h2>{_l('differences', lang)}</h2>",
        ]
        d = self.differences_named()
        d = d[d["change"] != "same"]
        if d.empty:
            parts.append(f"<p>{_l('no_rows', lang)}</p>")
        else:
            cols = ["kind", "from", "to", "material", "route"]
            head = "".join(f"<th>{_l(c, lang)}</th>" for c in cols)
            for key in ("flow", "distance", "cost", "co2"):
                head += "".join(f"<th>{_l(key, lang)} {_l(s, lang)}</th>" for s in ("a", "b"))
            body = []
            for r in d.itertuples(index=False):
                cells = [_l(r.change, lang), r.from_name, r.to_name, r.material_name, r.route_name]
                nums = [
                    r.flow_a,
                    r.flow_b,
                    r.distance_km_a,
                    r.distance_km_b,
                    r.total_cny_per_a_a,
                    r.total_cny_per_a_b,
                    r.co2_avoided_t_per_a_a,
                    r.co2_avoided_t_per_a_b,
                ]
                body.append(
                    f'<tr class="pf-{r.change}">'
                    + "".join(f"<td>{_esc(c)}</td>" for c in cells)
                    + "".join(f"<td>{_fmt(v)}</td>" for v in nums)
                    + "</tr>"
                )
            parts.append(f'<table class="pf-cmp"><tr>{head}</tr>{"".join(body)}</table>')
        return "".join(parts)

    def figure(self, tiles: str = "none", tianditu_key: str | None = None) -> Figure:
        """The dual-map page as a branca Figure (A on the left, B on the right)."""
        lang = self.lang
        fig = Figure(title=_esc(f"{self.scenario_a.name} ⇄ {self.scenario_b.name} — parkflow"))
        top = (
            f'<div class="pf-head"><b>{_l("title", lang)}</b>: '
            f"{_l('a', lang)} = {_esc(self.scenario_a.name)} · "
            f"{_l('b', lang)} = {_esc(self.scenario_b.name)}. "
            f'<span class="pf-note">{_l("sync_note", lang)}</span></div>'
        )
        fig.add_child(HtmlBlock(top))
        maps, bounds = [], []
        for side, sc, res in (
            ("a", self.scenario_a, self.result_a),
            ("b", self.scenario_b, self.result_b),
        ):
            m = folium.Map(
                tiles=None,
                control_scale=False,
                width="50%",
                height="72vh",
                left="0%",
                top="0%",
                position="relative",
            )
            fig.add_child(m)
            drawn = draw_on(
                m,
                sc,
                res,
                lang=lang,
                tiles=tiles,
                tianditu_key=tianditu_key,
                changes=self.link_marks(side),
                compact_legend=True,
                legend_extra=change_legend_html(side, lang),
            )
            maps.append(m)
            bounds.append(drawn["bounds"])
        both = np.array(bounds, dtype=float).reshape(-1, 2)
        box = [[both[:, 0].min(), both[:, 1].min()], [both[:, 0].max(), both[:, 1].max()]]
        for m in maps:
            m.fit_bounds(box, padding_top_left=(40, 40), padding_bottom_right=(40, 40), max_zoom=15)
        css = (
            MAP_CSS + f"#{maps[0].get_name()}, #{maps[1].get_name()} "
            "{ float: left; box-sizing: border-box; border-right: 2px solid #fff; }"
            "body { font: 13px/1.45 system-ui, 'Microsoft YaHei', 'PingFang SC', "
            "'Noto Sans CJK SC', sans-serif; overflow: auto; }"
            ".pf-head { padding: 6px 10px; background: #2b3a4a; color: #fff; }"
            ".pf-note { color: #cfd8e3; }"
            ".pf-tables { clear: both; padding: 4px 12px 24px; }"
            ".pf-cmp { border-collapse: collapse; margin-bottom: 8px; }"
            ".pf-cmp th, .pf-cmp td { border: 1px solid #ccc; padding: 2px 6px; }"
            ".pf-cmp td { text-align: right; } .pf-added { background: #e5f5e0; }"
            ".pf-removed { background: #fde0dd; } .pf-changed { background: #fff7bc; }"
        )
        fig.add_child(
            HtmlBlock(f'<style>{css}</style><div class="pf-tables">{self.tables_html()}</div>')
        )
        fig.add_child(_Sync(maps[0], maps[1]))
        return fig

    def to_html(self, tiles: str = "none", tianditu_key: str | None = None) -> str:
        """The self-contained compare.html text."""
        return map_html(self.figure(tiles=tiles, tianditu_key=tianditu_key))

    def write(
        self,
        out: str | Path,
        tiles: str = "none",
        tianditu_key: str | None = None,
        merge: bool = False,
    ) -> list[Path]:
        """Write ``compare.html``, ``differences.csv`` and ``indicators.csv`` into ``out``.

        Written whole or not at all (:func:`parkflow.io.atomic.output_dir`), never over an input.
        CSV files are UTF-8 with BOM, which Excel opens correctly.
        """
        from parkflow.io.atomic import output_dir

        page = self.to_html(tiles=tiles, tianditu_key=tianditu_key)
        inputs = [self.scenario_a.source, self.scenario_b.source]
        names = ["compare.html", "differences.csv", "indicators.csv"]
        with output_dir(out, inputs, merge=merge) as tmp:
            (tmp / names[0]).write_text(page, encoding="utf-8")
            self.differences_named().to_csv(tmp / names[1], index=False, encoding="utf-8-sig")
            self.indicators.to_csv(tmp / names[2], index=False, encoding="utf-8-sig")
        return [Path(out) / n for n in names]


def change_legend_html(side: str, lang: str) -> str:
    """The comparison's line styles, first in each map's legend (A: removed, B: added)."""
    own = "removed" if side == "a" else "added"
    rows = []
    for kind in (own, "changed", "same"):
        mark = CHANGE_STYLES[kind]
        under = mark.get("under", {})
        line = mark.get("style", {})
        halo = f"box-shadow: 0 0 0 3px {under['color']};" if under else ""
        dash = (
            "background: repeating-linear-gradient(90deg, #1f77b4 0 7px, transparent 7px 10px);"
            if "dashArray" in line
            else "background: #1f77b4;"
        )
        opacity = f"opacity: {line.get('opacity', 1.0)};"
        rows.append(
            f'<span class="pf-it"><span class="ln" style="{dash}{halo}{opacity}">'
            f"</span>{html_text(map_label('compare_' + kind, lang))}</span>"
        )
    return (
        f'<div class="pf-cmp-legend"><b>{html_text(map_label("compare_legend", lang))}'
        f"</b>{''.join(rows)}</div>"
    )


def compare(
    scenario_a: Scenario,
    scenario_b: Scenario,
    lang: str = "zh",
    result_a: Result | None = None,
    result_b: Result | None = None,
    **solve_kwargs: Any,
) -> Comparison:
    """Solve two layouts (unless their results are given) and compare them.

    Parameters
    ----------
    scenario_a, scenario_b : Scenario
        The two layouts, e.g. a bundled scenario and an overlay variant of it.
    lang : {"zh", "en"}
        Language of the labels.
    result_a, result_b : Result, optional
        Solutions already computed; solved with :func:`parkflow.solve` when absent.
    **solve_kwargs
        Passed to :func:`parkflow.solve` (``objective=``, ``time_limit_s=`` ...).

    Returns
    -------
    Comparison

    Examples
    --------
    >>> from parkflow.examples import tiny_park
    >>> cmp = compare(tiny_park(), tiny_park(cap_e2=70.0), lang="en")  # L2 added in B
    >>> cmp.differences[["from", "to", "change"]].to_dict("records")
    [{'from': 'E1', 'to': 'E3', 'change': 'added'}, {'from': 'E1', 'to': 'E2', 'change': 'changed'}]
    """
    if lang not in ("zh", "en"):
        msg = f"lang must be 'zh' or 'en', not {lang!r}"
        raise ValueError(msg)
    if result_a is None or result_b is None:
        from parkflow.solvers.api import solve

        if result_a is None:
            result_a = solve(scenario_a, **solve_kwargs)
        if result_b is None:
            result_b = solve(scenario_b, **solve_kwargs)
    return Comparison(
        scenario_a=scenario_a,
        scenario_b=scenario_b,
        result_a=result_a,
        result_b=result_b,
        differences=link_differences(result_a, result_b),
        indicators=indicators(result_a, result_b, lang=lang),
        lang=lang,
    )


__all__ = ["Comparison", "compare", "indicators", "link_differences", "map_label"]
