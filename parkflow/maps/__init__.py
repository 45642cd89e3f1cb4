"""Maps of a solved scenario: enterprises, built links, supply left unused and park boundaries.

:func:`render_map` draws one :class:`folium.Map` from a :class:`~parkflow.models.scenario.Scenario`
and the :class:`~parkflow.models.result.Result` of its solve:

* enterprises as circle markers coloured by sector, with a popup (name, what it generates and how
  much of it is utilised, what it can absorb and what it receives);
* built links as lines whose width grows with the flow (square root, within each unit) and whose
  colour shows the material, with a popup (t/a or GJ/a, distance, money terms, CO₂ avoided).
  Links bend slightly to the right of their direction of travel, so that A→B and B→A, or two
  materials on the same pair, stay apart; existing links are dashed;
* supply left unused (stored or disposed) as dashed rings at the generating enterprise, their area
  proportional to the amount left;
* park boundaries when the scenario's ``parks`` table has polygons;
* one layer per material (its links) under a layer control, plus layers for enterprises, supply
  left unused and parks; a legend; labels in Chinese or English; the view fitted to the data.

Maps written by :func:`write_map` are self-contained: Leaflet's script and style (vendored in
``parkflow/data/vendor/``) are inlined, and the CDN links folium adds by default (jQuery, Bootstrap,
Font Awesome) are left out, so the file opens offline and on networks where public CDNs fail. Only
base-map tiles (``tiles="osm" | "tianditu" | "gaode"``) need the network; the default
``tiles="none"`` needs none.

``python -m parkflow.maps --bundled maps/`` solves every bundled scenario and writes
``maps/<name>.html``.
"""

from __future__ import annotations

import argparse
import base64
import html
import json
import os
import re
import sys
import tempfile
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

import folium
import numpy as np
import pandas as pd
from branca.element import Element, Figure, MacroElement

from parkflow.i18n import LANGS, label
from parkflow.models.result import Result
from parkflow.models.scenario import Scenario
from parkflow.sectors import family_name, sector_colours, sector_family, sector_name  # noqa: F401

TILES = ("none", "osm", "tianditu", "gaode")
VENDOR_DIR = Path(__file__).resolve().parent.parent / "data" / "vendor"

# ---------------------------------------------------------------------------------------------
# labels and colours
# ---------------------------------------------------------------------------------------------

MATERIAL_COLOURS: dict[str, str] = {
    "coal_gangue": "#8c564b",
    "fly_ash": "#1f77b4",
    "tailings": "#a6a61c",
    "steel_slag": "#d62728",
    "bf_slag": "#ff7f0e",
    "vti_slag": "#e377c2",
    "phosphogypsum": "#2ca02c",
    "titanium_gypsum": "#00695c",
    "fgd_gypsum": "#9467bd",
    "red_mud": "#7f0000",
    "carbide_slag": "#525252",
    "waste_heat": "#c51b7d",
    "hydrogen": "#17becf",
}
_EXTRA_COLOURS = ("#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173", "#3182bd", "#e6550d",
                  "#31a354", "#756bb1", "#636363")
BACKGROUND = "#f2efe9"
_FLAT_LEGEND = 8  # more sectors than this: the legend groups them by family
_ONE_COLUMN = 12  # more sectors than this: the legend lists them in two columns
_FEW_POINTS = 13  # points per drawn link (a quadratic Bézier curve)


def map_label(key: str, lang: str) -> str:
    """Text of a map label in ``lang`` (``"zh"`` or ``"en"``); the texts live in
    :mod:`parkflow.i18n` under ``map:<key>``.

    >>> map_label("enterprises", "en")
    'Enterprises'
    """
    return label(f"map:{key}", lang)


def material_colour(material: str, order: Sequence[str] = ()) -> str:
    """Colour of a material's links: fixed for catalogue materials, else from a spare palette.

    >>> material_colour("fly_ash")
    '#1f77b4'
    """
    if material in MATERIAL_COLOURS:
        return MATERIAL_COLOURS[material]
    others = [m for m in order if m not in MATERIAL_COLOURS]
    i = others.index(material) if material in others else abs(hash(material))
    return _EXTRA_COLOURS[i % len(_EXTRA_COLOURS)]


class _Names:
    """Display names from the scenario's catalogue (falling back to :mod:`parkflow.i18n`)."""

    def __init__(self, scenario: Scenario, lang: str):
        from parkflow.i18n import label

        self.lang = lang
        self._label = label
        self.catalogue = scenario.catalogue
        self._memo: dict[tuple[str, str], str] = {}
        ent = scenario.enterprises
        self.enterprise = dict(zip(ent.index.astype(str), ent["name"].astype(str), strict=True))
        parks = scenario.parks
        self.park: dict[str, str] = {}
        if parks is not None and len(parks) and "name" in parks.columns:
            self.park = {str(k): str(v) for k, v in zip(parks.index, parks["name"], strict=True)
                         if isinstance(v, str) and v}

    def _cat(self, table: str, key: str, prefix: str) -> str:
        if (table, key) not in self._memo:
            self._memo[table, key] = self._lookup(table, key, prefix)
        return self._memo[table, key]

    def _lookup(self, table: str, key: str, prefix: str) -> str:
        frame = getattr(self.catalogue, table)
        col = f"name_{self.lang}"
        if key in frame.index and col in frame.columns:
            value = frame.at[key, col]
            if isinstance(value, str) and value:
                return value
        return self._label(f"{prefix}:{key}", self.lang, default=str(key))

    def material(self, key: str) -> str:
        return self._cat("materials", key, "mat")

    def route(self, key: str) -> str:
        return self._cat("routes", key, "route")

    def mode(self, key: str) -> str:
        return self._cat("modes", key, "mode")

    def ent(self, key: str) -> str:
        return self.enterprise.get(str(key), str(key))

    def park_name(self, key: str) -> str:
        return self.park.get(str(key), str(key))


def _num(x: Any, decimals: int = 0) -> str:
    try:
        value = float(x)
    except (TypeError, ValueError):
        return "–"
    if not np.isfinite(value):
        return "–"
    return f"{value:,.{decimals}f}"


def _pct(x: Any) -> str:
    try:
        value = float(x)
    except (TypeError, ValueError):
        return "–"
    return "–" if not np.isfinite(value) else f"{100 * value:.1f} %"


def _money(x: Any, lang: str) -> str:
    try:
        value = float(x)
    except (TypeError, ValueError):
        return "–"
    if lang == "zh":
        return f"{_num(value / 1e4, 1)} 万元/a"
    return f"{_num(value)} CNY/a"


def _esc(text: Any) -> str:
    return html.escape(str(text))


# ---------------------------------------------------------------------------------------------
# geometry
# ---------------------------------------------------------------------------------------------
def _display_lonlat(lon: np.ndarray, lat: np.ndarray, tiles: str) -> tuple[np.ndarray, np.ndarray]:
    """WGS-84 → the datum of the base map: GCJ-02 for Gaode tiles, unchanged otherwise."""
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    if tiles == "gaode":
        from parkflow.geo import wgs84_to_gcj02

        glon, glat = wgs84_to_gcj02(lon, lat)
        return np.asarray(glon, dtype=float), np.asarray(glat, dtype=float)
    return lon, lat


def enterprise_positions(scenario: Scenario, tiles: str = "none") -> pd.DataFrame:
    """Map position of each enterprise: index ``enterprise_id``, columns ``lon, lat`` (degrees).

    WGS-84, or GCJ-02 when ``tiles="gaode"`` (Gaode's tiles are drawn in GCJ-02).
    """
    ent = scenario.enterprises
    lon, lat = _display_lonlat(ent["lon"].to_numpy(float), ent["lat"].to_numpy(float), tiles)
    return pd.DataFrame({"lon": lon, "lat": lat}, index=ent.index.astype(str))


def link_curves(x0: np.ndarray, y0: np.ndarray, x1: np.ndarray, y1: np.ndarray,
                bend: np.ndarray, n_points: int = _FEW_POINTS) -> np.ndarray:
    """Points of gently curved links (quadratic Bézier curves), all links at once.

    Parameters
    ----------
    x0, y0, x1, y1 : arrays of float, shape (n,)
        Ends of each link (lon, lat degrees).
    bend : array of float, shape (n,)
        Offset of the control point from the midpoint, as a fraction of the link's length, to
        the right of the direction of travel (0: a straight line).
    n_points : int
        Points per curve.

    Returns
    -------
    numpy.ndarray, shape (n, n_points, 2)
        ``[lat, lon]`` pairs, as Leaflet wants them.

    Examples
    --------
    >>> pts = link_curves(np.array([0.0]), np.array([0.0]), np.array([1.0]), np.array([0.0]),
    ...                   np.array([0.0]), n_points=3)
    >>> pts[0].tolist()
    [[0.0, 0.0], [0.0, 0.5], [0.0, 1.0]]
    """
    x0, y0, x1, y1, bend = (np.asarray(a, dtype=float) for a in (x0, y0, x1, y1, bend))
    # local equirectangular frame, so that "to the right" is to the right on the screen
    k = np.cos(np.radians((y0 + y1) / 2))
    k = np.where(k > 1e-6, k, 1e-6)
    dx, dy = (x1 - x0) * k, y1 - y0
    mx, my = (x0 + x1) / 2, (y0 + y1) / 2
    cx = mx + bend * dy / k  # right-hand normal of (dx, dy) is (dy, -dx)
    cy = my - bend * dx
    t = np.linspace(0.0, 1.0, n_points)[None, :]
    a, b, c = (1 - t) ** 2, 2 * (1 - t) * t, t**2
    lon = a * x0[:, None] + b * cx[:, None] + c * x1[:, None]
    lat = a * y0[:, None] + b * cy[:, None] + c * y1[:, None]
    return np.stack([lat, lon], axis=-1)


def _bends(flows: pd.DataFrame) -> np.ndarray:
    """Bend of each link, to the right of its direction of travel.

    A→B and B→A therefore fall on opposite sides; several links the same way (several
    materials) fan out, each further than the one before.
    """
    if flows.empty:
        return np.zeros(0)
    pair = flows["from"].astype(str) + "\x00" + flows["to"].astype(str)
    rank = pair.groupby(pair.to_numpy()).cumcount().to_numpy()
    return 0.08 + 0.12 * rank


def _scaled(values: pd.Series, units: pd.Series, low: float, high: float) -> np.ndarray:
    """``low + (high − low) · sqrt(value / max value of the same unit)``; 0 → ``low``."""
    v = pd.to_numeric(values, errors="coerce").fillna(0.0).clip(lower=0.0)
    top = v.groupby(units.astype(str).to_numpy()).transform("max").to_numpy()
    frac = np.divide(v.to_numpy(), top, out=np.zeros(len(v)), where=top > 0)
    return low + (high - low) * np.sqrt(frac)


# ---------------------------------------------------------------------------------------------
# tables behind the popups (vectorised)
# ---------------------------------------------------------------------------------------------
def _column(frame: pd.DataFrame, name: str, default: Any = np.nan) -> pd.Series:
    if name in frame.columns:
        return frame[name]
    return pd.Series(default, index=frame.index)


def built_links(result: Result) -> pd.DataFrame:
    """The built links of a result with positive flow, with the columns the map needs."""
    flows = result.flows if result.flows is not None else pd.DataFrame()
    if flows.empty or not {"from", "to", "material"} <= set(flows.columns):
        return pd.DataFrame(columns=["from", "to", "material", "route", "flow", "delivered"])
    flows = flows.copy()
    flows["flow"] = pd.to_numeric(_column(flows, "flow", 0.0), errors="coerce").fillna(0.0)
    if "build" in flows.columns:
        flows = flows[pd.to_numeric(flows["build"], errors="coerce").fillna(0) > 0.5]
    flows["delivered"] = pd.to_numeric(_column(flows, "delivered"), errors="coerce")
    flows["delivered"] = flows["delivered"].fillna(flows["flow"])
    for col in ("from", "to", "material", "route", "mode"):
        flows[col] = _column(flows, col, "").astype(str)
    flows["existing"] = _column(flows, "existing", False).fillna(False).astype(bool)
    return flows


def _units(scenario: Scenario, materials: pd.Series) -> pd.Series:
    mats = scenario.catalogue.materials
    unit = mats["canonical_unit"] if "canonical_unit" in mats.columns else pd.Series(dtype=str)
    return materials.astype(str).map(unit).fillna("t/a").astype(str)


def _sources(scenario: Scenario, result: Result) -> pd.DataFrame:
    """Per (enterprise, material): generated, drawn, utilised, left, unit, rate."""
    src = result.sources if result.sources is not None else pd.DataFrame()
    if not src.empty and {"enterprise", "material"} <= set(src.columns):
        out = pd.DataFrame({
            "enterprise": src["enterprise"].astype(str), "material": src["material"].astype(str),
            "generated": pd.to_numeric(_column(src, "generated", 0.0), errors="coerce"),
            "drawn": pd.to_numeric(_column(src, "drawn", 0.0), errors="coerce"),
            "utilised": pd.to_numeric(_column(src, "utilised", 0.0), errors="coerce"),
        }).fillna({"generated": 0.0, "drawn": 0.0, "utilised": 0.0})
        out = out.groupby(["enterprise", "material"], as_index=False, sort=True).sum()
        if "left" in src.columns:
            left = (src.assign(enterprise=src["enterprise"].astype(str),
                               material=src["material"].astype(str))
                    .groupby(["enterprise", "material"])["left"].sum())
            out["left"] = pd.MultiIndex.from_frame(out[["enterprise", "material"]]).map(left)
            out["left"] = pd.to_numeric(out["left"], errors="coerce")
        else:
            out["left"] = np.nan
    else:  # no solution: everything generated is left
        sup = scenario.supplies
        out = (pd.DataFrame({"enterprise": sup["enterprise"].astype(str),
                             "material": sup["material"].astype(str),
                             "generated": sup["quantity"].astype(float)})
               .groupby(["enterprise", "material"], as_index=False, sort=True).sum())
        out["drawn"] = 0.0
        out["utilised"] = 0.0
        out["left"] = np.nan
    out["left"] = out["left"].fillna(out["generated"] + out["drawn"] - out["utilised"])
    out["left"] = out["left"].clip(lower=0.0)
    out["unit"] = _units(scenario, out["material"]).to_numpy()
    base = out["generated"] + out["drawn"]
    out["rate"] = np.divide(out["utilised"].to_numpy(float), base.to_numpy(float),
                            out=np.full(len(out), np.nan), where=base.to_numpy(float) > 0)
    return out


def _absorbs(scenario: Scenario, flows: pd.DataFrame) -> pd.DataFrame:
    """Per (enterprise, route): capacity and what it receives."""
    uses = scenario.uses
    cap = (pd.DataFrame({"enterprise": uses["enterprise"].astype(str),
                         "route": uses["route"].astype(str),
                         "capacity": uses["capacity"].astype(float),
                         "unit": uses["unit"].astype(str)})
           .groupby(["enterprise", "route"], as_index=False, sort=True)
           .agg(capacity=("capacity", "sum"), unit=("unit", "first")))
    if flows.empty:
        cap["received"] = 0.0
        return cap
    got = flows.groupby(["to", "route"])["delivered"].sum()
    cap["received"] = pd.MultiIndex.from_frame(cap[["enterprise", "route"]]).map(got)
    cap["received"] = pd.to_numeric(cap["received"], errors="coerce").fillna(0.0)
    return cap


def _table(headers: list[str], rows: list[list[str]], lang: str) -> str:
    if not rows:
        return f"<i>{_esc(map_label('none', lang))}</i>"
    head = "".join(f"<th>{_esc(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
    return f'<table class="pf-t"><tr>{head}</tr>{body}</table>'


def _enterprise_popups(scenario: Scenario, sources: pd.DataFrame, absorbs: pd.DataFrame,
                       names: _Names, lang: str) -> dict[str, str]:
    L = lambda k: map_label(k, lang)  # noqa: E731
    gen_rows: dict[str, list[list[str]]] = {}
    for r in sources.itertuples(index=False):
        gen_rows.setdefault(r.enterprise, []).append([
            _esc(names.material(r.material)), _num(r.generated), _num(r.utilised),
            _pct(r.rate), _esc(r.unit)])
    abs_rows: dict[str, list[list[str]]] = {}
    for r in absorbs.itertuples(index=False):
        abs_rows.setdefault(r.enterprise, []).append([
            _esc(names.route(r.route)), _num(r.capacity), _num(r.received), _esc(r.unit)])
    ent = scenario.enterprises
    popups: dict[str, str] = {}
    for eid, name, sector, park in zip(ent.index.astype(str), ent["name"].astype(str),
                                       ent["sector"].astype(str), ent["park"].astype(str),
                                       strict=True):
        popups[eid] = (
            f'<div class="pf-pop"><b>{_esc(name)}</b> <span class="pf-id">{_esc(eid)}</span><br>'
            f"{_esc(L('sector'))}: {_esc(sector_name(sector, lang))} · {_esc(L('park'))}: "
            f"{_esc(names.park_name(park))}"
            f"<h4>{_esc(L('generates'))}</h4>"
            + _table([L("material"), L("generated"), L("utilised"), L("rate"), L("unit")],
                     gen_rows.get(eid, []), lang)
            + f"<h4>{_esc(L('absorbs'))}</h4>"
            + _table([L("route"), L("capacity"), L("received"), L("unit")],
                     abs_rows.get(eid, []), lang)
            + "</div>")
    return popups


def _link_popup(r: Any, names: _Names, unit: str, lang: str) -> str:
    L = lambda k: map_label(k, lang)  # noqa: E731
    kind = L("existing") if r.existing else L("proposed")
    rows = [
        (L("material"), _esc(names.material(r.material))),
        (L("route"), _esc(names.route(r.route))),
        (L("flow"), f"{_num(r.flow)} {_esc(unit)}"),
        (L("delivered"), f"{_num(r.delivered)} {_esc(unit)}"),
        (L("distance"), f"{_num(r.distance_km, 1)} km"),
        (L("mode"), _esc(names.mode(r.mode)) if r.mode else "–"),
        (L("transport"), _money(r.transport_cny_per_a, lang)),
        (L("fixed"), _money(r.fixed_cny_per_a, lang)),
        (L("purification"), _money(r.purification_cny_per_a, lang)),
        (L("value"), _money(r.value_cny_per_a, lang)),
        (L("disposal"), _money(r.disposal_avoided_cny_per_a, lang)),
        (L("net_cost"), _money(r.total_cny_per_a, lang)),
        (L("co2"), f"{_num(r.co2_avoided_t_per_a, 1)} {L('co2_unit')}"),
    ]
    body = "".join(f"<tr><th>{_esc(k)}</th><td>{v}</td></tr>" for k, v in rows)
    return (f'<div class="pf-pop"><b>{_esc(names.ent(r.from_))} → '
            f"{_esc(names.ent(r.to))}</b><br><i>{_esc(kind)}</i>"
            f'<table class="pf-t">{body}</table></div>')


# ---------------------------------------------------------------------------------------------
# folium pieces
# ---------------------------------------------------------------------------------------------
_CSS = f"""
.leaflet-container {{ background: {BACKGROUND}; }}
.pf-pop {{ font: 12px/1.35 system-ui, "Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC",
           sans-serif; }}
.pf-pop h4 {{ margin: 6px 0 2px; font-size: 12px; }}
.pf-id {{ color: #777; }}
.pf-t {{ border-collapse: collapse; }}
.pf-t th, .pf-t td {{ border-bottom: 1px solid #ddd; padding: 1px 6px 1px 0; text-align: left;
                      white-space: nowrap; }}
.pf-t td {{ text-align: right; }}
.pf-box {{ background: rgba(255,255,255,0.92); padding: 6px 9px; border-radius: 4px;
           box-shadow: 0 1px 4px rgba(0,0,0,0.35); font: 12px/1.4 system-ui, "Microsoft YaHei",
           "PingFang SC", "Noto Sans CJK SC", sans-serif; max-width: 300px; }}
.pf-box h3 {{ margin: 0 0 3px; font-size: 14px; }}
.pf-box .sw {{ display: inline-block; width: 12px; height: 12px; border-radius: 50%;
               border: 1px solid #333; vertical-align: -2px; margin-right: 4px; }}
.pf-box .ln {{ display: inline-block; width: 22px; height: 4px; vertical-align: 3px;
               margin-right: 4px; }}
.pf-box summary {{ cursor: pointer; font-weight: bold; margin-bottom: 2px; }}
.pf-box .pf-it {{ display: block; white-space: nowrap; overflow: hidden;
                  text-overflow: ellipsis; }}
.pf-box .pf-fam {{ display: block; color: #555; font-size: 11px; margin-top: 2px;
                   break-after: avoid; }}
.pf-box .pf-2col {{ column-count: 2; column-gap: 10px; }}
.pf-legend {{ max-height: calc(100vh - 120px); overflow-y: auto; }}
.pf-legend.pf-box {{ max-width: 360px; }}
.pf-title.pf-box {{ max-width: 680px; }}
.pf-title .pf-tg {{ border-collapse: collapse; margin-top: 2px; }}
.pf-title .pf-tg td {{ padding: 0 6px 0 0; white-space: nowrap; }}
"""


class _BoxControl(MacroElement):
    """A Leaflet control holding fixed HTML (the title or the legend), inside the map's frame."""

    _template = folium.template.Template(
        """
        {% macro header(this, kwargs) %}
            {% if this.css %}<style>{{ this.css }}</style>{% endif %}
        {% endmacro %}
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = L.control({position: {{ this.position|tojson }}});
            {{ this.get_name() }}.onAdd = function (map) {
                var div = L.DomUtil.create("div", "pf-box {{ this.css_class }}");
                div.innerHTML = {{ this.html|tojson }};
                L.DomEvent.disableClickPropagation(div);
                L.DomEvent.disableScrollPropagation(div);
                return div;
            };
            {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, html_text: str, position: str, css_class: str, css: str = ""):
        super().__init__()
        self._name = "BoxControl"
        self.html = html_text
        self.position = position
        self.css_class = css_class
        self.css = css


class _Features(MacroElement):
    """Many circle markers or lines in one layer, drawn in the page from one compact JSON array.

    Folium writes a few lines of JavaScript per marker, line, tooltip and popup; at thousands of
    enterprises that is tens of thousands of elements, slow to render in Python and in the page.
    This element writes its features as data instead, and a short loop in the page builds the
    Leaflet ``circleMarker`` or ``polyline`` of each, its tooltip, and its popup (whose HTML is
    only put into the page's DOM when the popup opens).

    Parameters
    ----------
    kind : {"marker", "line"}
        ``L.circleMarker`` (``at`` = ``[lat, lon]``) or ``L.polyline`` (``at`` = a list of
        ``[lat, lon]``).
    style : dict
        Leaflet path options shared by every feature.
    features : list of dict
        One per feature: ``at`` (position or points), ``style`` (options that differ from
        ``style``), ``tooltip`` (plain text) and ``popup`` (HTML).
    max_width : int
        Popups' maximum width (px).
    """

    _SCRIPT = """
        (function (group, data) {
            var make = data.kind === "line" ? L.polyline : L.circleMarker;
            data.features.forEach(function (f) {
                var layer = make(f.at, Object.assign({}, data.style, f.style));
                if (f.tooltip) {
                    var tip = document.createElement("div");
                    tip.textContent = f.tooltip;
                    layer.bindTooltip(tip, {sticky: true});
                }
                if (f.popup) {
                    layer.bindPopup(function () { return f.popup; }, {maxWidth: data.max_width});
                }
                group.addLayer(layer);
            });
        })(%(group)s, %(data)s);
"""

    def __init__(self, kind: str, style: dict[str, Any], features: list[dict[str, Any]],
                 max_width: int = 420):
        super().__init__()
        self._name = "Features"
        self.kind = kind
        self.style = style
        self.features = features
        self.max_width = max_width

    def data_json(self) -> str:
        """The features as JSON that is safe inside ``<script>`` (``<``, ``>``, ``&`` escaped)."""
        text = json.dumps({"kind": self.kind, "style": self.style, "max_width": self.max_width,
                           "features": self.features}, separators=(",", ":"), allow_nan=False)
        return (text.replace("<", "\\u003c").replace(">", "\\u003e")
                .replace("&", "\\u0026").replace("\u2028", "\\u2028")
                .replace("\u2029", "\\u2029"))

    def render(self, **kwargs: Any) -> None:
        """Add the script to the page as it is (branca would parse it as a Jinja template)."""
        script = self._SCRIPT % {"group": self._parent.get_name(), "data": self.data_json()}
        self.get_root().script.add_child(_Verbatim(script), name=self.get_name())


_FEATURE_DATA = re.compile(r"^\s*\}\)\((\w+), (\{.*\})\);$", re.MULTILINE)


def drawn_features(page: str) -> dict[str, int]:
    """How many circle markers and lines a written map page draws (from the data it holds).

    Parameters
    ----------
    page : str
        HTML of a map (:func:`map_html`, :func:`write_map`) or a page holding several maps.

    Returns
    -------
    dict
        ``{"marker": n_markers, "line": n_lines}`` (enterprises and rings of supply left
        unused are markers; built links are lines).
    """
    counts = {"marker": 0, "line": 0}
    for _, data in _FEATURE_DATA.findall(page):
        parsed = json.loads(data)
        counts[parsed["kind"]] += len(parsed["features"])
    return counts


class _Verbatim(Element):
    """Text put into the page as it is (not a template: fast, and ``{{`` in data is harmless)."""

    def __init__(self, text: str):
        super().__init__()
        self.text = text

    def render(self, **kwargs: Any) -> str:
        return self.text


def _tile_layers(m: folium.Map, tiles: str, lang: str, tianditu_key: str | None) -> None:
    if tiles == "none":
        return
    if tiles == "osm":
        folium.TileLayer("OpenStreetMap", name="OpenStreetMap", control=False).add_to(m)
        return
    if tiles == "gaode":
        folium.TileLayer(
            tiles=("https://webrd0{s}.is.autonavi.com/appmaptile?"
                   f"lang={'zh_cn' if lang == 'zh' else 'en'}&size=1&scale=1&style=8"
                   "&x={x}&y={y}&z={z}"),
            attr="© 高德地图 AutoNavi (GCJ-02)", name="Gaode", subdomains="1234", max_zoom=18,
            control=False).add_to(m)
        return
    # tianditu: CGCS2000, which differs from WGS-84 by centimetres: no shift
    key = tianditu_key or os.environ.get("TIANDITU_KEY", "")
    if not key:
        raise ValueError("tiles='tianditu' needs a Tianditu key (天地图 tk): pass "
                         "tianditu_key=... (parkflow map --tianditu-key KEY) or set "
                         "TIANDITU_KEY; or use tiles='none' (offline) or 'osm'")
    for layer in ("vec", "cva" if lang == "zh" else "eva"):
        folium.TileLayer(
            tiles=(f"https://t{{s}}.tianditu.gov.cn/{layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile"
                   f"&VERSION=1.0.0&LAYER={layer}&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles"
                   f"&TILEMATRIX={{z}}&TILEROW={{y}}&TILECOL={{x}}&tk={key}"),
            attr="© 天地图 Tianditu", name=f"Tianditu {layer}", subdomains="01234567",
            max_zoom=18, overlay=layer != "vec", control=False).add_to(m)


def links_built_count(result: Result) -> int:
    """Links built, as ``summary.json`` counts them (``result.summary["links_built"]``)."""
    try:
        return int(result.summary["links_built"])
    except (AttributeError, KeyError, TypeError, ValueError):
        return len(built_links(result))


def _scope_text(scope: str, names: _Names, lang: str) -> str:
    kind, _, key = str(scope).partition(":")
    if kind == "all" or not key:
        return map_label("all_scope", lang)
    return names.park_name(key) if kind == "park" else key


def _title_html(scenario: Scenario, result: Result, names: _Names, lang: str) -> str:
    """Scenario name, status, links built and one line per target.

    A target with one row per park (scope ``each_park``) takes one line: how many parks meet
    it and the lowest rate, so that a province-wide map keeps a small title.
    """
    L = lambda k: map_label(k, lang)  # noqa: E731
    from parkflow.i18n import label

    status = getattr(result.status, "value", str(result.status))
    parts = [f"<h3>{_esc(scenario.name)}</h3>",
             f"{_esc(L('status'))}: {_esc(label(status, lang, default=status))} · "
             f"{_esc(L('links_built'))}: {links_built_count(result)}"]
    targets = result.targets if result.targets is not None else pd.DataFrame()
    if targets.empty or not {"id", "rate", "target"} <= set(targets.columns):
        return "".join(parts)
    t = targets.reset_index(drop=True).assign(
        id=lambda d: d["id"].astype(str),
        scope=lambda d: (d["scope"] if "scope" in d.columns else "all"),
        met=lambda d: (d["met"] if "met" in d.columns else False))
    t["met"] = t["met"].map(lambda v: str(v).strip().lower() in ("true", "1", "1.0", "yes"))
    rows = []
    for tid, group in t.groupby("id", sort=False):
        lowest = group.loc[pd.to_numeric(group["rate"], errors="coerce").fillna(-1).idxmin()]
        all_met = bool(group["met"].all())
        if len(group) == 1:
            where = _scope_text(lowest["scope"], names, lang)
            rate = f"{_esc(L('rate'))} {_pct(lowest['rate'])}"
        else:
            where = L("parks_met").format(met=int(group["met"].sum()), n=len(group))
            park = _scope_text(lowest["scope"], names, lang)
            short = park if len(park) <= 14 else park[:13] + "…"
            rate = (f"{_esc(L('lowest'))} {_pct(lowest['rate'])} "
                    f'(<span title="{_esc(park)}">{_esc(short)}</span>)')
        ok = '<span style="color:#1a7f37">✔</span>' if all_met else \
            '<span style="color:#c62828">✘</span>'
        rows.append(f"<tr><td><b>{_esc(tid)}</b></td><td>{_esc(where)}</td><td>{rate}</td>"
                    f"<td>{_esc(L('target'))} {_pct(group['target'].iloc[0])} {ok}</td></tr>")
    parts.append(f'<table class="pf-tg">{"".join(rows)}</table>')
    return "".join(parts)


def _legend_html(sectors: dict[str, str], materials: list[tuple[str, str]], lang: str) -> str:
    """The legend: sectors (grouped by family when there are many), materials, line styles.

    It sits in a ``<details>`` element, open at first, that a click on its heading folds away
    (a legend can cover part of a province-wide map).
    """
    L = lambda k: map_label(k, lang)  # noqa: E731

    def swatch(sector: str, colour: str) -> str:
        return (f'<span class="pf-it"><span class="sw" style="background:{colour}"></span>'
                f"{_esc(sector_name(sector, lang))}</span>")

    parts = [f"<details open><summary>{_esc(L('legend'))}</summary>",
             f"<b>{_esc(L('legend_sectors'))}</b>"]
    grouped = len(sectors) > _FLAT_LEGEND
    body: list[str] = []
    family = None
    for sector, colour in sectors.items():  # already ordered by family
        if grouped and sector_family(sector) != family:
            family = sector_family(sector)
            body.append(f'<span class="pf-fam">{_esc(family_name(family, lang))}</span>')
        body.append(swatch(sector, colour))
    cols = " pf-2col" if len(sectors) > _ONE_COLUMN else ""
    parts.append(f'<div class="pf-sectors{cols}">{"".join(body)}</div>')
    if materials:
        parts.append(f"<b>{_esc(L('legend_materials'))}</b><div>")
        parts += [f'<span class="pf-it"><span class="ln" style="background:{c}"></span>'
                  f"{_esc(_capital(n, lang))}</span>" for n, c in materials]
        parts.append("</div>")
    parts.append(f"<i>{_esc(L('legend_width'))}<br>{_esc(L('legend_unused'))}</i></details>")
    return "".join(parts)


def _capital(text: str, lang: str) -> str:
    """First letter upper-case in English ("fly ash" → "Fly ash"); Chinese unchanged."""
    return text[:1].upper() + text[1:] if lang == "en" else text


def draw_on(m: folium.Map, scenario: Scenario, result: Result, lang: str = "zh",
            tiles: str = "none", tianditu_key: str | None = None) -> dict[str, Any]:
    """Draw a solved scenario onto an existing :class:`folium.Map` (used by the dual map).

    Returns a dictionary of what was drawn: ``enterprises``, ``links`` and ``unused`` (counts),
    ``layers`` (layer names) and ``bounds`` (``[[south, west], [north, east]]``).
    """
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, not {lang!r}")
    if tiles not in TILES:
        raise ValueError(f"tiles must be one of {TILES}, not {tiles!r}")
    L = lambda k: map_label(k, lang)  # noqa: E731
    names = _Names(scenario, lang)
    pos = enterprise_positions(scenario, tiles)
    _tile_layers(m, tiles, lang, tianditu_key)
    flows = built_links(result)
    flows = flows[flows["from"].isin(pos.index) & flows["to"].isin(pos.index)]
    sources = _sources(scenario, result)
    absorbs = _absorbs(scenario, flows)
    layers: list[str] = []

    # park boundaries ---------------------------------------------------------------------
    parks = scenario.parks
    # the view fits the enterprises (a park polygon may reach beyond it)
    bounds_pts = [pos[["lat", "lon"]].to_numpy(float)]
    if parks is not None and len(parks) and "geometry" in parks.columns:
        geoms = parks[parks.geometry.notna() & ~parks.geometry.is_empty] if len(parks) else parks
        if len(geoms):
            import shapely

            def shift(xy: np.ndarray) -> np.ndarray:
                x, y = _display_lonlat(xy[:, 0], xy[:, 1], tiles)
                return np.column_stack([x, y])

            group = folium.FeatureGroup(name=L("parks"), show=True)
            for pid, name, geom in zip(geoms.index.astype(str), geoms["name"].astype(str),
                                       geoms.geometry, strict=True):
                shape = shapely.transform(geom, shift)
                folium.GeoJson(
                    shape.__geo_interface__, name=name,
                    style_function=lambda _f: {"color": "#555555", "weight": 2,
                                               "dashArray": "6 4", "fill": True,
                                               "fillColor": "#999999", "fillOpacity": 0.06},
                    tooltip=f"{name} ({pid})").add_to(group)
            group.add_to(m)
            layers.append(L("parks"))

    # links, one layer per material -----------------------------------------------------------
    mat_order = list(scenario.catalogue.materials.index.astype(str))
    legend_materials: list[tuple[str, str]] = []
    n_links = 0
    if not flows.empty:
        flows = flows.sort_values(["material", "from", "to", "route"], kind="stable")
        frm = pos.loc[flows["from"]]
        to = pos.loc[flows["to"]]
        curves = link_curves(frm["lon"].to_numpy(), frm["lat"].to_numpy(), to["lon"].to_numpy(),
                             to["lat"].to_numpy(), _bends(flows))
        unit = _units(scenario, flows["material"])
        weight = _scaled(flows["flow"], unit, 2.0, 12.0)
        cols = ["transport_cny_per_a", "fixed_cny_per_a", "purification_cny_per_a",
                "value_cny_per_a", "disposal_avoided_cny_per_a", "total_cny_per_a",
                "co2_avoided_t_per_a", "distance_km"]
        view = flows.assign(**{c: _column(flows, c) for c in cols}).rename(
            columns={"from": "from_"})
        points = np.round(curves, 6).tolist()
        weights = np.round(weight, 2).tolist()
        per_material: dict[str, list[dict[str, Any]]] = {}
        for i, r in enumerate(view.itertuples(index=False)):
            style: dict[str, Any] = {"weight": weights[i]}
            if r.existing:
                style["dashArray"] = "10 7"
            per_material.setdefault(r.material, []).append({
                "at": points[i], "style": style,
                "tooltip": (f"{names.ent(r.from_)} → {names.ent(r.to)}: "
                            f"{names.material(r.material)} {_num(r.flow)} {unit.iat[i]}"),
                "popup": _link_popup(r, names, unit.iat[i], lang)})
        for mat, features in per_material.items():
            colour = material_colour(mat, mat_order)
            legend_materials.append((names.material(mat), colour))
            group = folium.FeatureGroup(name=f"{L('links')}: {names.material(mat)}", show=True)
            _Features("line", {"color": colour, "opacity": 0.85}, features, 420).add_to(group)
            group.add_to(m)
            layers.append(group.layer_name)
            n_links += len(features)

    # supply left unused ------------------------------------------------------------------------
    # small remainders (< 0.1 % of what the source had) are rounding, not supply left over
    left = sources[(sources["left"] > 1e-3 * (sources["generated"] + sources["drawn"]))
                   & (sources["left"] > 0) & sources["enterprise"].isin(pos.index)]
    n_unused = len(left)
    if len(left):
        group = folium.FeatureGroup(name=L("unused"), show=True)
        radius = np.round(_scaled(left["left"], left["unit"], 5.0, 26.0), 2).tolist()
        at = pos.loc[left["enterprise"], ["lat", "lon"]].to_numpy(float).tolist()
        features = []
        for i, r in enumerate(left.itertuples(index=False)):
            colour = material_colour(r.material, mat_order)
            text = (f"{names.ent(r.enterprise)}: {names.material(r.material)} — {L('left')} "
                    f"{_num(r.left)} {r.unit} ({L('rate')} {_pct(r.rate)})")
            features.append({"at": at[i], "style": {"radius": radius[i], "color": colour,
                                                     "fillColor": colour},
                             "tooltip": text, "popup": f'<div class="pf-pop">{_esc(text)}</div>'})
            if all(n != names.material(r.material) for n, _ in legend_materials):
                legend_materials.append((names.material(r.material), colour))
        _Features("marker", {"weight": 2, "dashArray": "4 3", "fill": True, "fillOpacity": 0.12},
                  features, 360).add_to(group)
        group.add_to(m)
        layers.append(L("unused"))

    # enterprises (drawn last: on top) -----------------------------------------------------------
    ent = scenario.enterprises
    colours = sector_colours(ent["sector"].astype(str).tolist())
    popups = _enterprise_popups(scenario, sources, absorbs, names, lang)
    group = folium.FeatureGroup(name=L("enterprises"), show=True)
    features = [{"at": [lat, lon], "style": {"fillColor": colours[sector]},
                 "tooltip": f"{name} ({sector_name(sector, lang)})", "popup": popups[eid]}
                for eid, name, sector, lat, lon in zip(
                    pos.index, ent["name"].astype(str), ent["sector"].astype(str),
                    pos["lat"].to_numpy(float).tolist(), pos["lon"].to_numpy(float).tolist(),
                    strict=True)]
    _Features("marker", {"radius": 7, "color": "#222222", "weight": 1.5, "fill": True,
                         "fillOpacity": 1.0}, features, 460).add_to(group)
    group.add_to(m)
    layers.append(L("enterprises"))

    _BoxControl(_title_html(scenario, result, names, lang), "topright", "pf-title",
                css=_CSS).add_to(m)
    folium.LayerControl(collapsed=True, position="topright").add_to(m)
    _BoxControl(_legend_html(colours, legend_materials, lang), "bottomleft", "pf-legend").add_to(m)

    pts = np.vstack(bounds_pts) if bounds_pts else np.zeros((0, 2))
    pts = pts[np.isfinite(pts).all(axis=1)]
    bounds = ([[float(pts[:, 0].min()), float(pts[:, 1].min())],
               [float(pts[:, 0].max()), float(pts[:, 1].max())]] if len(pts) else
              [[26.0, 97.0], [34.5, 108.5]])  # Sichuan, when there is nothing to draw
    return {"enterprises": len(ent), "links": n_links, "unused": n_unused, "layers": layers,
            "bounds": bounds}


def render_map(scenario: Scenario, result: Result, lang: str = "zh", tiles: str = "none",
               tianditu_key: str | None = None) -> folium.Map:
    """Draw a solved scenario as a :class:`folium.Map`.

    Parameters
    ----------
    scenario : Scenario
        The scenario that was solved (coordinates WGS-84, as loaded).
    result : Result
        Its solve (:func:`parkflow.solve` or :func:`parkflow.read_solution`).
    lang : {"zh", "en"}
        Language of the labels, popups and legend.
    tiles : {"none", "osm", "tianditu", "gaode"}
        Base map. ``"none"`` needs no network (a plain background). ``"gaode"`` draws everything
        shifted to GCJ-02, the datum of Gaode's tiles. ``"tianditu"`` needs a key.
    tianditu_key : str, optional
        Tianditu (天地图) key; default: the ``TIANDITU_KEY`` environment variable.

    Returns
    -------
    folium.Map
        Its ``.save(path)`` writes one self-contained HTML file (Leaflet inlined, no CDN), as
        :func:`write_map` does.

    Examples
    --------
    >>> m = render_map(sc, res, lang="en")          # doctest: +SKIP
    >>> write_map(sc, res, "map.html")              # doctest: +SKIP
    """
    m = OfflineMap(tiles=None, control_scale=True, prefer_canvas=False)
    drawn = draw_on(m, scenario, result, lang=lang, tiles=tiles, tianditu_key=tianditu_key)
    m.fit_bounds(drawn["bounds"], padding_top_left=(40, 40), padding_bottom_right=(40, 40),
                 max_zoom=15)
    m.parkflow_drawn = drawn  # counts for callers and tests
    return m


# ---------------------------------------------------------------------------------------------
# self-contained HTML
# ---------------------------------------------------------------------------------------------
VENDOR_FILES: dict[str, str] = {
    "leaflet.js": "leaflet/leaflet.js",
    "leaflet.css": "leaflet/leaflet.css",
    "L.Map.Sync.js": "leaflet.sync/L.Map.Sync.js",
    "L.Map.Sync.min.js": "leaflet.sync/L.Map.Sync.js",
}
# folium links these by default; the maps do not use them (no icons, no Bootstrap widgets)
DROPPED = ("jquery", "bootstrap", "awesome-markers", "awesome_markers", "fontawesome",
           "font-awesome", "glyphicons", "awesome.rotate")

_SCRIPT_TAG = re.compile(r'<script\s+src="([^"]+)"\s*>\s*</script>\s*', re.IGNORECASE)
_LINK_TAG = re.compile(r'<link\s+rel="stylesheet"\s+href="([^"]+)"\s*/?>\s*', re.IGNORECASE)


@cache
def _vendor_text(name: str) -> str:
    path = VENDOR_DIR / VENDOR_FILES[name]
    text = path.read_text(encoding="utf-8")
    if name.endswith(".css"):
        def data_uri(match: re.Match[str]) -> str:
            img = path.parent / match.group(1)
            b64 = base64.b64encode(img.read_bytes()).decode("ascii")
            return f"url(data:image/png;base64,{b64})"

        text = re.sub(r"url\((images/[^)]+\.png)\)", data_uri, text)
    return text.replace("</script", "<\\/script").replace("</style", "<\\/style")


def inline_assets(page: str) -> str:
    """Replace the CDN ``<script>``/``<link>`` tags folium writes by the vendored files, inline.

    Leaflet (and Leaflet.Sync) are inlined from ``parkflow/data/vendor/``; jQuery, Bootstrap and
    Font Awesome, which parkflow's maps do not use, are dropped. Any other external script or style
    is left as it is (and shows up in :func:`external_references`).
    """
    def basename(url: str) -> str:
        return url.split("?")[0].rstrip("/").rsplit("/", 1)[-1]

    def script(match: re.Match[str]) -> str:
        url = match.group(1)
        name = basename(url)
        if name in VENDOR_FILES:
            return f"<script>/* {name} (vendored) */\n{_vendor_text(name)}\n</script>\n"
        if any(d in url.lower() for d in DROPPED):
            return ""
        return match.group(0)

    def style(match: re.Match[str]) -> str:
        url = match.group(1)
        name = basename(url)
        if name in VENDOR_FILES:
            return f"<style>/* {name} (vendored) */\n{_vendor_text(name)}\n</style>\n"
        if any(d in url.lower() for d in DROPPED):
            return ""
        return match.group(0)

    return _LINK_TAG.sub(style, _SCRIPT_TAG.sub(script, page))


def external_references(page: str) -> list[str]:
    """URLs of scripts and styles a page would load from the network (empty: self-contained).

    >>> external_references('<script src="https://x.org/a.js"></script><p>hi</p>')
    ['https://x.org/a.js']
    """
    refs = re.findall(r'<script[^>]*\bsrc="(https?:)?//([^"]+)"', page, flags=re.IGNORECASE)
    refs += re.findall(r'<link[^>]*\bhref="(https?:)?//([^"]+)"', page, flags=re.IGNORECASE)
    refs += re.findall(r"@import\s+url\([\"']?(https?:)?//([^\"')]+)", page, flags=re.IGNORECASE)
    return [f"{scheme}//{rest}" for scheme, rest in refs]


def map_html(m: folium.Map | Figure, title: str | None = None) -> str:
    """The self-contained HTML text of a map (or a figure holding maps)."""
    root = m if isinstance(m, Figure) else m.get_root()
    if title is not None and isinstance(root, Figure):
        root.title = title
    return inline_assets(root.render())


def write_text_atomic(path: str | Path, text: str) -> Path:
    """Write ``text`` to ``path`` whole or not at all (a temporary file, then a rename)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.tmp-", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


class OfflineMap(folium.Map):
    """A :class:`folium.Map` whose ``save`` writes self-contained HTML (works with no network)."""

    def save(self, outfile: Any, close_file: bool = True, **kwargs: Any) -> None:
        """Write the map with Leaflet inlined: to a path (whole or not at all) or a file object."""
        html = map_html(self)
        if hasattr(outfile, "write"):
            outfile.write(html.encode("utf-8") if "b" in getattr(outfile, "mode", "") else html)
            if close_file:
                outfile.close()
            return
        write_text_atomic(outfile, html)


def write_map(scenario: Scenario, result: Result, path: str | Path, lang: str = "zh",
              tiles: str = "none", tianditu_key: str | None = None) -> Path:
    """Render the map and write it to ``path`` as one self-contained HTML file.

    Parameters
    ----------
    scenario, result, lang, tiles, tianditu_key
        As for :func:`render_map`.
    path : path
        The HTML file to write (its folder is created). Never an input of the scenario.

    Returns
    -------
    pathlib.Path
        ``path``.
    """
    from parkflow.io.atomic import check_not_input

    check_not_input(Path(path), [scenario.source])
    m = render_map(scenario, result, lang=lang, tiles=tiles, tianditu_key=tianditu_key)
    return write_text_atomic(path, map_html(m, title=f"{scenario.name} — parkflow"))


# ---------------------------------------------------------------------------------------------
# python -m parkflow.maps --bundled maps/
# ---------------------------------------------------------------------------------------------
def make_bundled_maps(out: str | Path, names: Sequence[str] = (), lang: str = "zh",
                      tiles: str = "none") -> list[Path]:
    """Solve bundled scenarios and write ``<out>/<name>.html`` for each (all when ``names`` empty).

    Returns the paths written.
    """
    from parkflow.io import load_scenario
    from parkflow.io.bundled import bundled_scenario_path, bundled_scenarios
    from parkflow.solvers.solve import solve

    written = []
    for name in names or bundled_scenarios():
        scenario = load_scenario(bundled_scenario_path(name))
        result = solve(scenario)
        written.append(write_map(scenario, result, Path(out) / f"{name}.html", lang=lang,
                                 tiles=tiles))
        print(f"{written[-1]}  ({result.status.value}, {len(built_links(result))} links)")
    return written


def main(argv: Sequence[str] | None = None) -> int:
    """Command line of ``python -m parkflow.maps``."""
    parser = argparse.ArgumentParser(prog="python -m parkflow.maps",
                                     description="Write the maps of the bundled scenarios.")
    parser.add_argument("--bundled", metavar="DIR", required=True,
                        help="folder to write <scenario>.html into (e.g. maps/)")
    parser.add_argument("names", nargs="*", help="bundled scenario names (default: all)")
    parser.add_argument("--lang", choices=LANGS, default="zh")
    parser.add_argument("--tiles", choices=TILES, default="none")
    args = parser.parse_args(argv)
    make_bundled_maps(args.bundled, args.names, lang=args.lang, tiles=args.tiles)
    return 0


if __name__ == "__main__":
    sys.exit(main())
