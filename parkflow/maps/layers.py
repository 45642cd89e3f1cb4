"""The layers of a map, one function each: park boundaries, links per material, supply left
unused, enterprises, and the title and legend boxes.

Each function adds its layer to a :class:`folium.Map` and returns the layer names it added
(what the layer control lists); :func:`parkflow.maps.render.draw_on` calls them in drawing
order. Existing links are drawn in their material's layer, dashed. See docs/maps.md, "What the
map shows".
"""

from __future__ import annotations

from typing import Any

import folium
import numpy as np
import pandas as pd

from parkflow.i18n import Names, sector_colours, sector_name
from parkflow.maps.elements import MAP_CSS, BoxControl, Features, TextTooltip, html_text
from parkflow.maps.geometry import bends, link_curves, scaled
from parkflow.maps.offline import display_lonlat
from parkflow.maps.popups import (
    column,
    enterprise_popups,
    legend_html,
    link_popup,
    map_label,
    material_colour,
    material_units,
    num,
    pct,
    title_html,
)
from parkflow.models.result import Result
from parkflow.models.scenario import Scenario

#: Columns of a built link its popup shows (missing ones show as "–").
LINK_POPUP_COLUMNS = ("transport_cny_per_a", "fixed_cny_per_a", "purification_cny_per_a",
                      "value_cny_per_a", "disposal_avoided_cny_per_a", "total_cny_per_a",
                      "co2_avoided_t_per_a", "distance_km")


def _group(m: folium.Map, name: str) -> folium.FeatureGroup:
    """A layer named ``name`` in the layer control (Leaflet shows names as HTML: escaped)."""
    group = folium.FeatureGroup(name=html_text(name), show=True)
    group.add_to(m)
    return group


def park_layer(m: folium.Map, scenario: Scenario, tiles: str, lang: str) -> list[str]:
    """Park boundaries: a dashed outline with a light fill per park that has a polygon.

    The tooltip gives the park's name and id. Nothing is added when no park has a polygon.
    """
    parks = scenario.parks
    if parks is None or not len(parks) or "geometry" not in parks.columns:
        return []
    geoms = parks[parks.geometry.notna() & ~parks.geometry.is_empty]
    if not len(geoms):
        return []
    import shapely

    def shift(xy: np.ndarray) -> np.ndarray:
        x, y = display_lonlat(xy[:, 0], xy[:, 1], tiles)
        return np.column_stack([x, y])

    name = map_label("parks", lang)
    group = _group(m, name)
    for pid, park, geom in zip(geoms.index.astype(str), geoms["name"].astype(str),
                               geoms.geometry, strict=True):
        shape = shapely.transform(geom, shift)
        layer = folium.GeoJson(
            shape.__geo_interface__, name=html_text(park), control=False,
            style_function=lambda _f: {"color": "#555555", "weight": 2, "dashArray": "6 4",
                                       "fill": True, "fillColor": "#999999",
                                       "fillOpacity": 0.06})
        TextTooltip(f"{park} ({pid})").add_to(layer)
        layer.add_to(group)
    return [name]


def link_layers(m: folium.Map, scenario: Scenario, flows: pd.DataFrame, pos: pd.DataFrame,
                names: Names, lang: str, legend: list[tuple[str, str]]) -> tuple[list[str], int]:
    """Built links, one layer per material: curved lines, width growing with the flow.

    Existing links are dashed. Appends ``(material name, colour)`` to ``legend`` for every
    material drawn; returns the layer names and the number of links drawn.
    """
    if flows.empty:
        return [], 0
    mat_order = list(scenario.catalogue.materials.index.astype(str))
    flows = flows.sort_values(["material", "from", "to", "route"], kind="stable")
    frm = pos.loc[flows["from"]]
    to = pos.loc[flows["to"]]
    curves = link_curves(frm["lon"].to_numpy(), frm["lat"].to_numpy(), to["lon"].to_numpy(),
                         to["lat"].to_numpy(), bends(flows))
    unit = material_units(scenario, flows["material"])
    weight = scaled(flows["flow"], unit, 2.0, 12.0)
    view = flows.assign(**{c: column(flows, c) for c in LINK_POPUP_COLUMNS}).rename(
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
                        f"{names.material(r.material)} {num(r.flow)} {unit.iat[i]}"),
            "popup": link_popup(r, names, unit.iat[i], lang)})
    layers = []
    n_links = 0
    for mat, features in per_material.items():
        colour = material_colour(mat, mat_order)
        legend.append((names.material(mat), colour))
        name = f"{map_label('links', lang)}: {names.material(mat)}"
        Features("line", {"color": colour, "opacity": 0.85}, features, 420).add_to(
            _group(m, name))
        layers.append(name)
        n_links += len(features)
    return layers, n_links


def unused_layer(m: folium.Map, scenario: Scenario, sources: pd.DataFrame, pos: pd.DataFrame,
                 names: Names, lang: str, legend: list[tuple[str, str]]) -> tuple[list[str], int]:
    """Supply left unused (stored or disposed): a dashed ring at the generating enterprise.

    The ring's area is proportional to what is left (within each unit). Remainders below 0.1 %
    of what the source had are rounding and not drawn. Returns the layer names and the number
    of rings.
    """
    L = lambda k: map_label(k, lang)  # noqa: E731
    left = sources[(sources["left"] > 1e-3 * (sources["generated"] + sources["drawn"]))
                   & (sources["left"] > 0) & sources["enterprise"].isin(pos.index)]
    if not len(left):
        return [], 0
    mat_order = list(scenario.catalogue.materials.index.astype(str))
    radius = np.round(scaled(left["left"], left["unit"], 5.0, 26.0), 2).tolist()
    at = pos.loc[left["enterprise"], ["lat", "lon"]].to_numpy(float).tolist()
    features = []
    for i, r in enumerate(left.itertuples(index=False)):
        colour = material_colour(r.material, mat_order)
        text = (f"{names.ent(r.enterprise)}: {names.material(r.material)} — {L('left')} "
                f"{num(r.left)} {r.unit} ({L('rate')} {pct(r.rate)})")
        features.append({"at": at[i], "style": {"radius": radius[i], "color": colour,
                                                 "fillColor": colour},
                         "tooltip": text, "popup": f'<div class="pf-pop">{html_text(text)}</div>'})
        if all(n != names.material(r.material) for n, _ in legend):
            legend.append((names.material(r.material), colour))
    Features("marker", {"weight": 2, "dashArray": "4 3", "fill": True, "fillOpacity": 0.12},
             features, 360).add_to(_group(m, L("unused")))
    return [L("unused")], len(left)


def enterprise_layer(m: folium.Map, scenario: Scenario, sources: pd.DataFrame,
                     absorbs: pd.DataFrame, pos: pd.DataFrame, names: Names,
                     lang: str) -> tuple[list[str], dict[str, str]]:
    """Enterprises: circle markers in their sector's colour, with a popup (drawn last: on top).

    Returns the layer names and the sector colours (for the legend).
    """
    ent = scenario.enterprises
    colours = sector_colours(ent["sector"].astype(str).tolist())
    popups = enterprise_popups(scenario, sources, absorbs, names, lang)
    features = [{"at": [lat, lon], "style": {"fillColor": colours[sector]},
                 "tooltip": f"{name} ({sector_name(sector, lang)})", "popup": popups[eid]}
                for eid, name, sector, lat, lon in zip(
                    pos.index, ent["name"].astype(str), ent["sector"].astype(str),
                    pos["lat"].to_numpy(float).tolist(), pos["lon"].to_numpy(float).tolist(),
                    strict=True)]
    name = map_label("enterprises", lang)
    Features("marker", {"radius": 7, "color": "#222222", "weight": 1.5, "fill": True,
                        "fillOpacity": 1.0}, features, 460).add_to(_group(m, name))
    return [name], colours


def title_box(m: folium.Map, scenario: Scenario, result: Result, names: Names,
              lang: str) -> None:
    """The title box (top right): scenario, status, links built, targets; carries the CSS."""
    BoxControl(title_html(scenario, result, names, lang), "topright", "pf-title",
               css=MAP_CSS).add_to(m)


def legend_box(m: folium.Map, sectors: dict[str, str], materials: list[tuple[str, str]],
               lang: str) -> None:
    """The legend box (bottom left): sector and material colours, line and ring styles."""
    BoxControl(legend_html(sectors, materials, lang), "bottomleft", "pf-legend").add_to(m)
