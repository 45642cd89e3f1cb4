r"""The folium pieces of parkflow's pages, and the two escapes every user string goes through.

A user's string (an enterprise, park, sector, material or scenario name or id) reaches a page
in one of two contexts, and each has one escape (docs/maps.md, "Names are shown as text"):

* HTML (popups, the title and legend boxes, the comparison's tables): :func:`html_text`, which
  escapes ``& < > " '``;
* a ``<script>`` element (the data of every layer, the title and legend boxes, tooltips):
  :func:`script_json`, JSON with ``<``, ``>``, ``&``, U+2028 and U+2029 written as ``\uXXXX``,
  so that no text can close the script or start a comment; never a JavaScript template literal,
  in which a backtick or ``${`` would run code.

Tooltips are set with ``textContent``, so they show their text literally.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

import folium
from branca.element import Element, Figure, MacroElement

BACKGROUND = "#f2efe9"

MAP_CSS = f"""
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
.pf-legend.pf-box {{ font-size: 11px; line-height: 1.3; }}
.pf-legend.pf-small {{ max-width: 230px; font-size: 11px; }}
.pf-cmp-legend {{ margin-bottom: 4px; }}
.pf-cmp-legend .ln {{ height: 4px; }}
.pf-lab {{ white-space: nowrap; pointer-events: none; font: 12px/1.2 system-ui,
           "Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", sans-serif; color: #222;
           text-shadow: 0 0 2px #fff, 0 0 2px #fff, 0 0 3px #fff, 0 0 4px #fff; }}
.pf-lab span {{ position: absolute; left: 8px; top: -8px; }}
.pf-lab-park {{ font-weight: bold; font-size: 13px; color: #1d3557; }}
.pf-lab-park span {{ left: 0; top: 0; transform: translate(-50%, -50%); white-space: normal;
                    width: max-content; max-width: 240px; text-align: center; }}
.pf-lab-park.pf-at-t span {{ top: -12px; transform: translate(-50%, -100%); }}
.pf-lab-park.pf-at-b span {{ top: 12px; transform: translate(-50%, 0); }}
.pf-lab-park.pf-at-r span {{ left: 12px; transform: translate(0, -50%); text-align: left; }}
.pf-lab-city {{ color: #6b6b6b; font-size: 11px; font-style: italic; }}
.pf-lab-city span {{ left: 6px; top: -7px; }}
.pf-lab-agg {{ font-size: 11px; color: #333; }}
.pf-lab-agg span {{ left: 0; top: 0; transform: translate(-50%, -50%); }}
.pf-lab-ent, .pf-lab-agg-near {{ display: none; }}
.pf-near .pf-lab-ent {{ display: block; }}
.pf-near .pf-lab-park, .pf-near .pf-lab-agg {{ display: none; }}
.pf-lab.pf-at-l span {{ left: auto; right: 8px; }}
.pf-lab.pf-at-t span {{ left: 0; top: -24px; transform: translateX(-50%); }}
.pf-lab.pf-at-b span {{ left: 0; top: 8px; transform: translateX(-50%); }}
.pf-lab.pf-hide {{ visibility: hidden; }}
.pf-fac {{ background: none; border: none; }}
.pf-fac-shape {{ position: absolute; left: 2px; top: 2px; width: 12px; height: 12px;
                 transform: rotate(45deg); border: 2px solid #1a1a1a;
                 box-shadow: 0 0 0 1.5px #fff; }}
.pf-years.pf-box {{ max-width: 680px; white-space: nowrap; }}
.pf-years label {{ margin-left: 6px; white-space: nowrap; cursor: pointer; }}
.pf-years input {{ margin: 0 2px 0 0; vertical-align: -2px; }}
.pf-box .sw-fac {{ display: inline-block; width: 9px; height: 9px; transform: rotate(45deg);
                   border: 2px solid #1a1a1a; background: #d35400; margin: 0 6px 0 2px; }}
"""
"""The style of the map's popups, title and legend boxes (a page holding maps includes it)."""


def html_text(text: Any) -> str:
    """``text`` as HTML text or attribute value: ``& < > " '`` escaped.

    >>> html_text('<img src=x onerror="alert(1)">')
    '&lt;img src=x onerror=&quot;alert(1)&quot;&gt;'
    """
    return html.escape(str(text), quote=True)


_SCRIPT_UNSAFE = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


def script_json(value: Any) -> str:
    r"""``value`` as JSON that is safe inside a ``<script>`` element.

    ``<``, ``>``, ``&``, U+2028 and U+2029 are written as ``\uXXXX`` escapes, so a string
    holding ``</script>`` or ``<!--`` cannot end the script; the result is a JavaScript
    expression (never put it inside a template literal).

    >>> script_json({"name": "</script>`${x}`"})
    '{"name":"\\u003c/script\\u003e`${x}`"}'
    """
    text = json.dumps(value, separators=(",", ":"), allow_nan=False)
    return re.sub("[<>&\u2028\u2029]", lambda m: _SCRIPT_UNSAFE[m.group(0)], text)


class Verbatim(Element):
    """Text put into the page as it is (not a template: fast, and ``{{`` in data is harmless)."""

    def __init__(self, text: str):
        super().__init__()
        self.text = text

    def render(self, **kwargs: Any) -> str:
        """The text, unchanged."""
        return self.text


class HtmlBlock(MacroElement):
    """Fixed HTML placed in the page body, in the order it is added to the figure.

    The caller escapes every user string in ``text`` (:func:`html_text`).
    """

    _template = folium.template.Template(
        """{% macro html(this, kwargs) %}{{ this.text }}{% endmacro %}"""
    )

    def __init__(self, text: str):
        super().__init__()
        self._name = "Html"
        self.text = text


class BoxControl(MacroElement):
    """A Leaflet control holding fixed HTML (the title or the legend), inside the map's frame.

    Parameters
    ----------
    html_text : str
        The box's HTML; every user string in it already escaped (:func:`html_text`). It goes
        into the page as :func:`script_json`.
    position : str
        Leaflet control position (``"topright"``...).
    css_class : str
        Class of the box (``pf-title``, ``pf-legend``).
    css : str
        Style put into the page's header (once, with the first box).
    """

    _template = folium.template.Template(
        """
        {% macro header(this, kwargs) %}
            {% if this.css %}<style>{{ this.css }}</style>{% endif %}
        {% endmacro %}
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = L.control({position: {{ this.position|tojson }}});
            {{ this.get_name() }}.onAdd = function (map) {
                var div = L.DomUtil.create("div", "pf-box {{ this.css_class }}");
                div.innerHTML = {{ this.html_json }};
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

    @property
    def html_json(self) -> str:
        """The box's HTML as a script-safe JSON string."""
        return script_json(self.html)


class TextTooltip(MacroElement):
    """A sticky tooltip showing ``text`` literally (``textContent``), for any folium layer.

    folium's own :class:`folium.Tooltip` puts its text into a JavaScript template literal, where a
    backtick or ``${`` in a park's name would run as code; this one writes the text as
    :func:`script_json`.
    """

    _template = folium.template.Template(
        """
        {% macro script(this, kwargs) %}
            (function (layer, text) {
                var tip = document.createElement("div");
                tip.textContent = text;
                layer.bindTooltip(tip, {sticky: true});
            })({{ this._parent.get_name() }}, {{ this.text_json }});
        {% endmacro %}
        """
    )

    def __init__(self, text: str):
        super().__init__()
        self._name = "TextTooltip"
        self.text = text

    @property
    def text_json(self) -> str:
        """The text as a script-safe JSON string."""
        return script_json(self.text)


class Features(MacroElement):
    """Many circle markers or lines in one layer, drawn in the page from one compact JSON array.

    Folium writes a few lines of JavaScript per marker, line, tooltip and popup; at thousands of
    enterprises that is tens of thousands of elements, slow to render in Python and in the page.
    This element writes its features as data instead (:func:`script_json`), and a short loop in
    the page builds the Leaflet ``circleMarker`` or ``polyline`` of each, its tooltip (as text),
    and its popup (whose HTML is only put into the page's DOM when the popup opens).

    Parameters
    ----------
    kind : {"marker", "line", "facility"}
        ``L.circleMarker`` (``at`` = ``[lat, lon]``), ``L.polyline`` (``at`` = a list of
        ``[lat, lon]``) or a new facility's diamond (``at`` = ``[lat, lon]``; its colour is
        ``style.fillColor``).
    style : dict
        Leaflet path options shared by every feature.
    features : list of dict
        One per feature: ``at`` (position or points), ``style`` (options that differ from
        ``style``), ``tooltip`` (plain text, shown literally) and ``popup`` (HTML, its user
        strings escaped with :func:`html_text`).
    max_width : int
        Popups' maximum width (px).
    zoom : dict, optional
        ``{"min": z}`` and/or ``{"max": z}``: the features show only at zoom levels
        ``min <= zoom < max`` (an inner group switched when the map zooms).
    label_class : str
        CSS class of the features' text labels (a feature's ``label``: a permanent text placed
        at the marker or at a line's middle, shown literally, ``textContent``).
    role : str
        ``"main"`` (enterprises, links, rings: what :func:`drawn_features` counts),
        ``"aggregate"`` (the park-to-park lines of a zoomed-out map), ``"context"`` (the
        context layer's cities) or ``"facility"`` (new facilities).

    A feature may also carry ``under`` and ``over``: path options of a copy drawn beneath or
    above it (a casing or a centre stripe), not interactive.
    """

    _SCRIPT = """
        (function (map, group, data) {
            // a facility: a diamond (a divIcon whose colour is set through the DOM, never HTML)
            var facility = function (at, opts) {
                var box = document.createElement("span");
                box.className = "pf-fac-shape";
                box.style.background = opts.fillColor || "#d35400";
                return L.marker(at, {icon: L.divIcon({className: "pf-fac", html: box,
                                                      iconSize: [18, 18]}),
                                     keyboard: false});
            };
            var make = data.kind === "line" ? L.polyline
                : (data.kind === "facility" ? facility : L.circleMarker);
            var target = group;
            if (data.zoom) {  // shown only within a zoom range: an inner group, switched on zoom
                target = L.featureGroup();
                var show = function () {
                    var z = map.getZoom();
                    var on = (data.zoom.min == null || z >= data.zoom.min)
                        && (data.zoom.max == null || z < data.zoom.max);
                    if (on && !group.hasLayer(target)) { group.addLayer(target); }
                    if (!on && group.hasLayer(target)) { group.removeLayer(target); }
                };
                map.on("zoomend", show);
                map.whenReady(show);
            }
            data.features.forEach(function (f) {
                if (f.under) {
                    target.addLayer(make(f.at, Object.assign({}, data.style, f.style, f.under,
                                                             {interactive: false})));
                }
                var layer = make(f.at, Object.assign({}, data.style, f.style));
                if (f.tooltip) {
                    var tip = document.createElement("div");
                    tip.textContent = f.tooltip;
                    layer.bindTooltip(tip, {sticky: true});
                }
                if (f.popup) {
                    layer.bindPopup(function () { return f.popup; }, {maxWidth: data.max_width});
                }
                target.addLayer(layer);
                if (f.over) {
                    target.addLayer(make(f.at, Object.assign({}, data.style, f.style, f.over,
                                                             {interactive: false})));
                }
                if (f.label) {
                    var text = document.createElement("span");
                    text.textContent = f.label;
                    var at = data.kind === "line" ? f.at[Math.floor(f.at.length / 2)] : f.at;
                    target.addLayer(L.marker(at, {
                        icon: L.divIcon({className: "pf-lab " + data.label_class, html: text,
                                         iconSize: null}),
                        interactive: false, keyboard: false}));
                }
            });
        })(%(map)s, %(group)s, %(data)s);
"""

    def __init__(
        self,
        kind: str,
        style: dict[str, Any],
        features: list[dict[str, Any]],
        max_width: int = 420,
        zoom: dict[str, int] | None = None,
        label_class: str = "",
        role: str = "main",
    ):
        super().__init__()
        self._name = "Features"
        self.kind = kind
        self.style = style
        self.features = features
        self.max_width = max_width
        self.zoom = zoom
        self.label_class = label_class
        self.role = role

    def data_json(self) -> str:
        """The features as JSON that is safe inside ``<script>`` (:func:`script_json`)."""
        data: dict[str, Any] = {
            "kind": self.kind,
            "style": self.style,
            "max_width": self.max_width,
            "features": self.features,
        }
        if self.zoom:
            data["zoom"] = self.zoom
        if self.label_class:
            data["label_class"] = self.label_class
        if self.role != "main":
            data["role"] = self.role
        return script_json(data)

    # branca types Element.render as returning str; MacroElement.render, which this replaces,
    # returns None (it adds to the figure), as this does
    def render(self, **kwargs: Any) -> None:  # type: ignore[override]
        """Add the script to the page as it is (branca would parse it as a Jinja template)."""
        group = self._parent
        figure = self.get_root()
        assert group is not None, "a Features sits in a map's group"
        m = group._parent  # a pathway's year group sits in a named layer (YearLayers)
        while m is not None and not isinstance(m, folium.Map):
            m = m._parent
        assert m is not None, "the group sits in a map"
        assert isinstance(figure, Figure), "a Features renders inside a Figure"
        script = self._SCRIPT % {
            "map": m.get_name(),
            "group": group.get_name(),
            "data": self.data_json(),
        }
        figure.script.add_child(Verbatim(script), name=self.get_name())


_FEATURE_DATA = re.compile(r"^\s*\}\)\((\w+), (\w+), (\{.*\})\);$", re.MULTILINE)


def drawn_features(page: str) -> dict[str, int]:
    """How many circle markers and lines a written map page draws (from the data it holds).

    Parameters
    ----------
    page : str
        HTML of a map (:func:`parkflow.maps.map_html`, :func:`parkflow.maps.write_map`) or a page
        holding several maps.

    Returns
    -------
    dict
        ``{"marker": n_markers, "line": n_lines}`` (enterprises and rings of supply left
        unused are markers; built links are lines). The park-to-park lines of the zoomed-out
        view and the context layer are not counted (:func:`feature_data` lists them).
    """
    counts = {"marker": 0, "line": 0}
    for parsed in feature_data(page):
        if parsed.get("role", "main") == "main":
            counts[parsed["kind"]] += len(parsed["features"])
    return counts


def feature_data(page: str) -> list[dict[str, Any]]:
    """The data of every :class:`Features` element in a written page, in page order.

    Each is a dict with ``kind``, ``style``, ``features`` and, when set, ``zoom``, ``role`` and
    ``label_class`` (for tests and for tools that read a map back).
    """
    return [json.loads(data) for _, _, data in _FEATURE_DATA.findall(page)]


class MetricScale(MacroElement):
    """Leaflet's scale bar in kilometres and metres only (folium's default adds miles)."""

    _template = folium.template.Template(
        """
        {% macro script(this, kwargs) %}
            L.control.scale({metric: true, imperial: false, position: "bottomright"})
                .addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "MetricScale"


class LabelZoom(MacroElement):
    """Labels that follow the zoom: enterprise names close up, park names farther out.

    From zoom ``near_zoom`` on, the map's container carries the class ``pf-near``: enterprise
    labels (``pf-lab-ent``) show, park labels and the park-to-park totals (``pf-lab-park``,
    ``pf-lab-agg``) hide (:data:`MAP_CSS`). After every move, labels that would overlap one
    already placed are hidden (``pf-hide``), in the order parks, park-to-park totals,
    enterprises, cities: a label is drawn whole or not at all, never on top of another nor
    under the title, legend or layer boxes. An enterprise's or city's label that does not fit
    to the right of its point is tried to the left, above and below; a park's name (wrapped
    at 240 px) above, below and to the right of its centre.
    """

    _template = folium.template.Template(
        """
        {% macro script(this, kwargs) %}
            (function (map, nearZoom) {
                var order = ["pf-lab-park", "pf-lab-agg", "pf-lab-ent", "pf-lab-city"];
                var place = function () {
                    var box = map.getContainer();
                    box.classList.toggle("pf-near", map.getZoom() >= nearZoom);
                    var view = box.getBoundingClientRect();
                    // the title, legend and layer boxes are obstacles too
                    var kept = Array.prototype.map.call(
                        box.querySelectorAll(".leaflet-control"),
                        function (c) { return c.getBoundingClientRect(); });
                    var hits = function (r) {
                        return kept.some(function (k) {
                            return r.left < k.right + 2 && r.right > k.left - 2
                                && r.top < k.bottom + 1 && r.bottom > k.top - 1;
                        });
                    };
                    order.forEach(function (cls) {
                        // a point's label may go right, left, above or below it
                        var spots = (cls === "pf-lab-ent" || cls === "pf-lab-city")
                            ? ["", "pf-at-l", "pf-at-t", "pf-at-b"]
                            : cls === "pf-lab-park" ? ["", "pf-at-t", "pf-at-b", "pf-at-r"]
                            : [""];
                        box.querySelectorAll(".pf-lab." + cls).forEach(function (el) {
                            el.classList.remove("pf-hide", "pf-at-l", "pf-at-t", "pf-at-b",
                                                "pf-at-r");
                            var span = el.firstChild;
                            if (!span || !span.getBoundingClientRect) { return; }
                            var r = span.getBoundingClientRect();
                            if (r.width === 0 || r.right < view.left || r.left > view.right
                                    || r.bottom < view.top || r.top > view.bottom) { return; }
                            for (var i = 0; i < spots.length; i++) {
                                if (spots[i]) { el.classList.add(spots[i]); }
                                r = span.getBoundingClientRect();
                                if (!hits(r)) { kept.push(r); return; }
                                if (spots[i]) { el.classList.remove(spots[i]); }
                            }
                            el.classList.add("pf-hide");
                        });
                    });
                };
                map.on("zoomend moveend overlayadd overlayremove layeradd", function () {
                    window.clearTimeout(map._pfLabelTimer);
                    map._pfLabelTimer = window.setTimeout(place, 30);
                });
                map.whenReady(function () { window.setTimeout(place, 0); });
            })({{ this._parent.get_name() }}, {{ this.near_zoom|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, near_zoom: int):
        super().__init__()
        self._name = "LabelZoom"
        self.near_zoom = int(near_zoom)


class YearSwitch(MacroElement):
    """A pathway's year switch: one radio button per year, the chosen year's layers shown.

    Choosing a year puts its child groups (:class:`parkflow.maps.layers.YearLayers`) into their
    named layers and takes the other years' out, and shows only the elements of class
    ``pf-year`` whose ``data-year`` is that year (the title box's rates). Offline: no library
    beyond Leaflet. The years are integers; the title text is the heading's (a map label).

    Parameters
    ----------
    years : list of int
        The years, in order.
    default : int
        The year shown at first.
    children : list of (int, folium.FeatureGroup, folium.FeatureGroup)
        ``(year, named layer, child group)``.
    title : str
        The switch's heading (plain text, set as ``textContent``).
    """

    _template = folium.template.Template(
        """
        {% macro script(this, kwargs) %}
            (function (map, years, start, layers, title) {
                var box = map.getContainer(), inputs = [];
                var show = function (year) {
                    layers.forEach(function (e) {
                        var on = e[0] === year;
                        if (on && !e[1].hasLayer(e[2])) { e[1].addLayer(e[2]); }
                        if (!on && e[1].hasLayer(e[2])) { e[1].removeLayer(e[2]); }
                    });
                    box.querySelectorAll(".pf-year").forEach(function (el) {
                        el.hidden = Number(el.getAttribute("data-year")) !== year;
                    });
                    inputs.forEach(function (i) { i.checked = Number(i.value) === year; });
                    box.setAttribute("data-pf-year", String(year));
                    map.fire("overlayadd");  // labels are placed again (LabelZoom)
                };
                var ctl = L.control({position: "topright"});
                ctl.onAdd = function () {
                    var div = L.DomUtil.create("div", "pf-box pf-years");
                    var head = document.createElement("b");
                    head.textContent = title;
                    div.appendChild(head);
                    years.forEach(function (y) {
                        var lab = document.createElement("label");
                        var input = document.createElement("input");
                        input.type = "radio";
                        input.name = {{ this.get_name()|tojson }};
                        input.value = String(y);
                        input.addEventListener("change", function () { show(y); });
                        inputs.push(input);
                        lab.appendChild(input);
                        lab.appendChild(document.createTextNode(String(y)));
                        div.appendChild(lab);
                    });
                    L.DomEvent.disableClickPropagation(div);
                    return div;
                };
                ctl.addTo(map);
                show(start);
                window.pfShowYear = show;
            })({{ this._parent.get_name() }}, {{ this.years_json }}, {{ this.default|tojson }},
               [{% for y, p, c in this.children %}[{{ y|tojson }}, {{ p.get_name() }},
                {{ c.get_name() }}]{% if not loop.last %}, {% endif %}{% endfor %}],
               {{ this.title_json }});
        {% endmacro %}
        """
    )

    def __init__(
        self,
        years: list[int],
        default: int,
        children: list[tuple[int, Any, Any]],
        title: str,
    ):
        super().__init__()
        self._name = "YearSwitch"
        self.years = [int(y) for y in years]
        self.default = int(default)
        self.children = [(int(y), p, c) for y, p, c in children]
        self.title = title

    @property
    def years_json(self) -> str:
        """The years as JSON."""
        return script_json(self.years)

    @property
    def title_json(self) -> str:
        """The heading as a script-safe JSON string."""
        return script_json(self.title)
