"""The layers of a map, one function each.

Park boundaries, links per material, supply left unused, enterprises, and the title and
legend boxes.

Each function adds its layer to a :class:`folium.Map` and returns the layer names it added
(what the layer control lists); :func:`parkflow.maps.render.draw_on` calls them in drawing
order. Existing links are drawn in their material's layer as a double line (a white centre
stripe). Below :data:`NEAR_ZOOM` the links between two parks are replaced by one line per park
pair and material carrying their total; park names show there, enterprise names from
:data:`NEAR_ZOOM` on. See docs/maps.md, "What the map shows".
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import folium
import numpy as np
import pandas as pd

from parkflow.i18n import Names, sector_colours, sector_name
from parkflow.maps.elements import (
    MAP_CSS,
    BoxControl,
    Features,
    LabelZoom,
    MetricScale,
    TextTooltip,
    html_text,
)
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
from parkflow.report.investment import facility_plan, technology_name

#: Columns of a built link its popup shows (missing ones show as "–").
LINK_POPUP_COLUMNS = (
    "transport_cny_per_a",
    "fixed_cny_per_a",
    "purification_cny_per_a",
    "value_cny_per_a",
    "disposal_avoided_cny_per_a",
    "total_cny_per_a",
    "co2_avoided_t_per_a",
    "distance_km",
)


#: From this zoom level on: enterprise names and every link; below it park names and the
#: park-to-park totals (zoom 10 ≈ 150 m per pixel: one park fills a good part of the screen).
NEAR_ZOOM = 10

#: How a link of a comparison is marked (docs/maps.md, "Comparing two layouts"): a casing
#: beneath the line, and the line's own options.
CHANGE_STYLES: dict[str, dict[str, Any]] = {
    "added": {"under": {"color": "#ffd400", "opacity": 0.95, "grow": 9}},
    "removed": {
        "under": {
            "color": "#000000",
            "opacity": 0.85,
            "grow": 7,
            "dashArray": "5 5",
            "lineCap": "butt",
        },
        "style": {"dashArray": "14 6", "lineCap": "butt"},
    },
    "changed": {},
    "same": {"style": {"opacity": 0.3}},
}


def _group(m: folium.Map, name: str, show: bool = True) -> folium.FeatureGroup:
    """A layer named ``name`` in the layer control (Leaflet shows names as HTML: escaped)."""
    group = folium.FeatureGroup(name=html_text(name), show=show)
    group.add_to(m)
    return group


#: Makes the layer that a named layer's features go into: ``(name, show) -> group``.
GroupMaker = Callable[[str, bool], folium.FeatureGroup]


def _maker(m: folium.Map, group: GroupMaker | None) -> GroupMaker:
    """``group``, or a maker of plain layers of ``m`` (:func:`_group`)."""
    return group if group is not None else (lambda name, show: _group(m, name, show))


class YearLayers:
    """The layers of a pathway's years (docs/maps.md, "Pathways: the year switch").

    A named layer (a material's links, the unused supply, the new facilities) is one entry of
    the layer control, shared by every year; each year's features go into a child group of it,
    not in the control, of which the year switch (:class:`~parkflow.maps.elements.YearSwitch`)
    keeps only the chosen year's on the map. The ``default`` year's children start on.

    >>> import folium
    >>> m = folium.Map(tiles=None)
    >>> stack = YearLayers(m, default=2026)
    >>> a, b = stack.maker(2025)("links", True), stack.maker(2026)("links", True)
    >>> len(stack.parents), [(y, c.show) for y, _, c in stack.children]
    (1, [(2025, False), (2026, True)])
    """

    def __init__(self, m: folium.Map, default: int):
        self.m = m
        self.default = int(default)
        self.parents: dict[str, folium.FeatureGroup] = {}
        #: ``(year, parent, child)`` per child group, in drawing order
        self.children: list[tuple[int, folium.FeatureGroup, folium.FeatureGroup]] = []

    def maker(self, year: int) -> GroupMaker:
        """The :data:`GroupMaker` of ``year``: its child group of each named layer."""

        def make(name: str, show: bool = True) -> folium.FeatureGroup:
            parent = self.parents.get(name)
            if parent is None:
                parent = self.parents[name] = _group(self.m, name, show)
            child = folium.FeatureGroup(
                name=html_text(f"{name} {int(year)}"),
                control=False,
                show=int(year) == self.default,
            )
            child.add_to(parent)
            self.children.append((int(year), parent, child))
            return child

        return make


def park_centres(scenario: Scenario, pos: pd.DataFrame, tiles: str) -> pd.DataFrame:
    """Where a park's name and its park-to-park lines go: index park id, columns ``lon, lat``.

    The centroid of its polygon when it has one, else the mean position of its enterprises
    (in the base map's datum, as ``pos``).
    """
    park = _park_of(scenario).reindex(pos.index)
    centre = (
        pos.assign(park=park.to_numpy())
        .dropna(subset=["park"])
        .groupby("park")[["lon", "lat"]]
        .mean()
    )
    parks = scenario.parks
    if parks is not None and len(parks) and "geometry" in parks.columns:
        geoms = parks.geometry[parks.geometry.notna() & ~parks.geometry.is_empty]
        for pid, geom in zip(geoms.index.astype(str), geoms, strict=True):
            c = geom.representative_point() if not geom.centroid.within(geom) else geom.centroid
            x, y = display_lonlat(np.array([c.x]), np.array([c.y]), tiles)
            centre.loc[pid, ["lon", "lat"]] = [float(x[0]), float(y[0])]
    return centre


def _park_of(scenario: Scenario) -> pd.Series:
    """Park of each enterprise (index enterprise id); missing or blank parks dropped."""
    ent = scenario.enterprises
    if "park" not in ent.columns:
        return pd.Series(dtype=str)
    park = ent["park"].astype("string").str.strip()
    park.index = ent.index.astype(str)
    return park[park.notna() & (park != "") & (park.str.lower() != "nan")].astype(str)


def park_layer(
    m: folium.Map, scenario: Scenario, pos: pd.DataFrame, tiles: str, names: Names, lang: str
) -> list[str]:
    """Parks: outline, light fill and name.

    A park with a polygon is drawn from it (a dashed outline with a light fill); a park without
    one, from the hull of its enterprises widened by about 1 km (dotted, its tooltip saying the
    extent is approximate). The park's name is a label at its centre, shown below
    :data:`NEAR_ZOOM` (docs/maps.md). Nothing is added when no enterprise names a park.
    """
    import shapely

    park_of = _park_of(scenario).reindex(pos.index).dropna()
    parks = scenario.parks
    has_geom = parks is not None and len(parks) and "geometry" in parks.columns
    geoms = (
        parks.geometry[parks.geometry.notna() & ~parks.geometry.is_empty]
        if has_geom
        else pd.Series(dtype=object)
    )
    ids = list(dict.fromkeys([*geoms.index.astype(str), *park_of.unique()]))
    if not ids:
        return []

    def shift(xy: np.ndarray) -> np.ndarray:
        x, y = display_lonlat(xy[:, 0], xy[:, 1], tiles)
        return np.column_stack([x, y])

    name = map_label("parks", lang)
    group = _group(m, name)
    centres = park_centres(scenario, pos, tiles)
    labels = []
    for pid in ids:
        park = names.park_name(pid)  # name_en in English where the parks table has one
        if pid in geoms.index.astype(str):
            shape = shapely.transform(geoms[geoms.index.astype(str) == pid].iloc[0], shift)
            style = {
                "color": "#3d4f63",
                "weight": 2,
                "dashArray": "6 4",
                "lineCap": "butt",
                "fill": True,
                "fillColor": "#8fa3b8",
                "fillOpacity": 0.08,
            }
            tip = f"{park} ({pid})"
        else:
            at = pos.loc[park_of.index[park_of == pid], ["lon", "lat"]].to_numpy(float)
            shape = shapely.MultiPoint(at).convex_hull.buffer(0.01)
            style = {
                "color": "#3d4f63",
                "weight": 1.5,
                "dashArray": "2 4",
                "lineCap": "butt",
                "fill": True,
                "fillColor": "#8fa3b8",
                "fillOpacity": 0.05,
            }
            tip = f"{park} ({pid}) — {map_label('approx_outline', lang)}"
        layer = folium.GeoJson(
            shape.__geo_interface__,
            name=html_text(park),
            control=False,
            style_function=lambda _f, s=style: s,
        )
        TextTooltip(tip).add_to(layer)
        layer.add_to(group)
        if pid in centres.index:
            c = centres.loc[pid]
            labels.append(
                {
                    "at": [round(float(c["lat"]), 6), round(float(c["lon"]), 6)],
                    "style": {},
                    "label": park,
                }
            )
    if labels:
        Features(
            "marker",
            {"radius": 0, "opacity": 0, "fill": False, "interactive": False},
            labels,
            label_class="pf-lab-park",
            role="park",
        ).add_to(group)
    return [name]


def link_layers(
    m: folium.Map,
    scenario: Scenario,
    flows: pd.DataFrame,
    pos: pd.DataFrame,
    names: Names,
    lang: str,
    legend: list[tuple[str, str]],
    changes: pd.Series | None = None,
    centres: pd.DataFrame | None = None,
    group: GroupMaker | None = None,
) -> tuple[list[str], int]:
    """Built links, one layer per material: curved lines, width growing with the flow.

    Existing links are drawn as a double line (a white centre stripe). Links between two parks
    show from :data:`NEAR_ZOOM` on; below it, one line per (park → park, material) carries
    their total (:func:`park_flows`), its width on the same scale as the links'. ``changes``
    (a comparison: ``added | removed | changed | same`` per row of ``flows``) marks the lines as
    :data:`CHANGE_STYLES` says. Appends ``(material name, colour)`` to ``legend`` for every
    material drawn; returns the layer names and the number of links drawn. ``group`` makes the
    layer of each name (default: a layer of ``m``; a pathway's year: :class:`YearLayers`).
    """
    if flows.empty:
        return [], 0
    mat_order = list(scenario.catalogue.materials.index.astype(str))
    order = flows.sort_values(["material", "from", "to", "route"], kind="stable").index
    if changes is not None:
        changes = pd.Series(changes, index=flows.index).reindex(order)
    flows = flows.loc[order]
    frm = pos.loc[flows["from"]]
    to = pos.loc[flows["to"]]
    curves = link_curves(
        frm["lon"].to_numpy(),
        frm["lat"].to_numpy(),
        to["lon"].to_numpy(),
        to["lat"].to_numpy(),
        bends(flows),
    )
    unit = material_units(scenario, flows["material"])
    park_of = _park_of(scenario)
    pa = flows["from"].map(park_of)
    pb = flows["to"].map(park_of)
    between = (pa.notna() & pb.notna() & (pa != pb)).to_numpy()
    if centres is None:
        centres = park_centres(scenario, pos, "none")
    between = between & (pa.isin(centres.index) & pb.isin(centres.index)).to_numpy()
    agg = park_flows(flows[between], park_of, unit[between])
    # one width scale for links and park totals (within each unit)
    all_values = pd.concat([flows["flow"], agg["flow"]], ignore_index=True)
    all_units = pd.concat([unit, agg["unit"]], ignore_index=True)
    all_weights = scaled(all_values, all_units, 2.0, 12.0)
    weight = all_weights[: len(flows)]
    agg_weight = all_weights[len(flows) :]
    view = flows.assign(**{c: column(flows, c) for c in LINK_POPUP_COLUMNS}).rename(
        columns={"from": "from_"}
    )
    points = np.round(curves, 6).tolist()
    weights = np.round(weight, 2).tolist()
    per_material: dict[str, list[list[dict[str, Any]]]] = {}
    kinds = changes.to_numpy() if changes is not None else [None] * len(flows)
    for i, r in enumerate(view.itertuples(index=False)):
        style: dict[str, Any] = {"weight": weights[i]}
        feature: dict[str, Any] = {"at": points[i], "style": style}
        if r.existing:  # a double line: wide enough that both edges show round the stripe
            style["weight"] = max(weights[i], 4.5)
            feature["over"] = {
                "color": "#ffffff",
                "weight": round(max(1.5, style["weight"] / 3), 2),
                "opacity": 1.0,
            }
        mark = CHANGE_STYLES.get(kinds[i] or "", {})
        style.update(mark.get("style", {}))
        if "under" in mark:
            under = dict(mark["under"])
            under["weight"] = round(weights[i] + under.pop("grow"), 2)
            feature["under"] = under
        feature["tooltip"] = (
            f"{names.ent(r.from_)} → {names.ent(r.to)}: "
            f"{names.material(r.material)} {num(r.flow)} {unit.iat[i]}"
        )
        feature["popup"] = link_popup(r, names, unit.iat[i], lang)
        per_material.setdefault(r.material, [[], []])[int(between[i])].append(feature)
    agg_features = _park_flow_features(agg, agg_weight, centres, names, lang)
    make = _maker(m, group)
    layers = []
    n_links = 0
    for mat, (inside, across) in per_material.items():
        colour = material_colour(mat, mat_order)
        legend.append((names.material(mat), colour))
        name = f"{map_label('links', lang)}: {names.material(mat)}"
        layer = make(name, True)
        base = {"color": colour, "opacity": 0.85}
        if inside:
            Features("line", base, inside, 420).add_to(layer)
        if across:
            Features("line", base, across, 420, zoom={"min": NEAR_ZOOM}).add_to(layer)
            Features(
                "line",
                {**base, "opacity": 0.75},
                agg_features.get(mat, []),
                420,
                zoom={"max": NEAR_ZOOM},
                label_class="pf-lab-agg",
                role="aggregate",
            ).add_to(layer)
        layers.append(name)
        n_links += len(inside) + len(across)
    return layers, n_links


def park_flows(flows: pd.DataFrame, park_of: pd.Series, unit: pd.Series) -> pd.DataFrame:
    """Links between parks summed per (park → park, material).

    Parameters
    ----------
    flows : pandas.DataFrame
        Built links (:func:`parkflow.maps.popups.built_links`) whose ends lie in two parks.
    park_of : pandas.Series
        Park of each enterprise.
    unit : pandas.Series
        Unit of each link's flow (aligned with ``flows``).

    Returns
    -------
    pandas.DataFrame
        Columns ``park_from, park_to, material, unit, flow`` (the sum), ``links`` (how many),
        ``existing`` (how many of them exist today); sorted by material and parks.

    Examples
    --------
    >>> f = pd.DataFrame({"from": ["a", "b", "a"], "to": ["c", "c", "c"],
    ...                   "material": ["fly_ash"] * 3, "flow": [10.0, 5.0, 1.0],
    ...                   "existing": [False, True, False]})
    >>> park_flows(f, pd.Series({"a": "P", "b": "P", "c": "Q"}), pd.Series(["t/a"] * 3))
      park_from park_to material unit  flow  links  existing
    0         P       Q  fly_ash  t/a  16.0      3         1
    """
    cols = ["park_from", "park_to", "material", "unit", "flow", "links", "existing"]
    if flows.empty:
        return pd.DataFrame(columns=cols)
    frame = pd.DataFrame(
        {
            "park_from": flows["from"].map(park_of).to_numpy(),
            "park_to": flows["to"].map(park_of).to_numpy(),
            "material": flows["material"].astype(str).to_numpy(),
            "unit": pd.Series(unit).astype(str).to_numpy(),
            "flow": flows["flow"].astype(float).to_numpy(),
            "existing": flows["existing"].astype(bool).to_numpy(),
        }
    )
    out = frame.groupby(
        ["park_from", "park_to", "material", "unit"], as_index=False, sort=True
    ).agg(flow=("flow", "sum"), links=("flow", "size"), existing=("existing", "sum"))
    out["existing"] = out["existing"].astype(int)
    return out.sort_values(["material", "park_from", "park_to"], kind="stable").reset_index(
        drop=True
    )[cols]


def amount_text(value: float, unit: str, lang: str) -> str:
    """An amount per year for a label: 万t/a in Chinese from 10,000 t/a on, else as it is.

    >>> amount_text(259_200, "t/a", "zh"), amount_text(259_200, "t/a", "en")
    ('25.9 万t/a', '259,200 t/a')
    """
    if lang == "zh" and unit == "t/a" and abs(value) >= 1e4:
        return f"{num(value / 1e4, 1)} 万t/a"
    return f"{num(value)} {unit}"


def _park_flow_features(
    agg: pd.DataFrame,
    weight: np.ndarray,
    centres: pd.DataFrame,
    names: Names,
    lang: str,
) -> dict[str, list[dict[str, Any]]]:
    """The lines of :func:`park_flows`, per material, from park centre to park centre."""
    if agg.empty:
        return {}
    a = centres.loc[agg["park_from"]]
    b = centres.loc[agg["park_to"]]
    curves = link_curves(
        a["lon"].to_numpy(),
        a["lat"].to_numpy(),
        b["lon"].to_numpy(),
        b["lat"].to_numpy(),
        bends(agg.rename(columns={"park_from": "from", "park_to": "to"})),
    )
    points = np.round(curves, 6).tolist()
    out: dict[str, list[dict[str, Any]]] = {}
    for i, r in enumerate(agg.itertuples(index=False)):
        pa, pb = names.park_name(r.park_from), names.park_name(r.park_to)
        amount = amount_text(r.flow, r.unit, lang)
        count = f"{r.links} {map_label('n_links' if r.links != 1 else 'n_link', lang)}"
        text = f"{pa} → {pb}: {names.material(r.material)} {amount} ({count})"
        popup = (
            f'<div class="pf-pop"><b>{html_text(pa)} → {html_text(pb)}</b><br>'
            f"<i>{html_text(map_label('park_link', lang))}</i><br>"
            f"{html_text(names.material(r.material))}: {html_text(amount)} "
            f"({html_text(count)})</div>"
        )
        out.setdefault(r.material, []).append(
            {
                "at": points[i],
                "style": {"weight": round(float(weight[i]), 2)},
                "tooltip": text,
                "popup": popup,
                "label": amount,
            }
        )
    return out


def unused_layer(
    m: folium.Map,
    scenario: Scenario,
    sources: pd.DataFrame,
    pos: pd.DataFrame,
    names: Names,
    lang: str,
    legend: list[tuple[str, str]],
    group: GroupMaker | None = None,
) -> tuple[list[str], int]:
    """Supply left unused (stored or disposed): a dashed ring at the generating enterprise.

    The layer is off at first (the layer control turns it on): on a province map the rings
    would cover the links.

    The ring's area is proportional to what is left (within each unit). Remainders below 0.1 %
    of what the source had are rounding and not drawn. Returns the layer names and the number
    of rings. ``group``: as for :func:`link_layers`.
    """
    L = lambda k: map_label(k, lang)  # noqa: E731
    left = sources[
        (sources["left"] > 1e-3 * (sources["generated"] + sources["drawn"]))
        & (sources["left"] > 0)
        & sources["enterprise"].isin(pos.index)
    ]
    if not len(left):
        return [], 0
    mat_order = list(scenario.catalogue.materials.index.astype(str))
    radius = np.round(scaled(left["left"], left["unit"], 5.0, 26.0), 2).tolist()
    at = pos.loc[left["enterprise"], ["lat", "lon"]].to_numpy(float).tolist()
    features = []
    for i, r in enumerate(left.itertuples(index=False)):
        colour = material_colour(r.material, mat_order)
        text = (
            f"{names.ent(r.enterprise)}: {names.material(r.material)} — {L('left')} "
            f"{num(r.left)} {r.unit} ({L('rate')} {pct(r.rate)})"
        )
        features.append(
            {
                "at": at[i],
                "style": {"radius": radius[i], "color": colour, "fillColor": colour},
                "tooltip": text,
                "popup": f'<div class="pf-pop">{html_text(text)}</div>',
            }
        )
        if all(n != names.material(r.material) for n, _ in legend):
            legend.append((names.material(r.material), colour))
    Features(
        "marker",
        {"weight": 2, "dashArray": "4 3", "lineCap": "butt", "fill": True, "fillOpacity": 0.12},
        features,
        360,
    ).add_to(_maker(m, group)(L("unused"), False))
    return [L("unused")], len(left)


def enterprise_layer(
    m: folium.Map,
    scenario: Scenario,
    sources: pd.DataFrame,
    absorbs: pd.DataFrame,
    pos: pd.DataFrame,
    names: Names,
    lang: str,
) -> tuple[list[str], dict[str, str]]:
    """Enterprises: circle markers in their sector's colour, with a popup (drawn last: on top).

    Each carries its name as a label, shown from :data:`NEAR_ZOOM` on; where labels would
    overlap, the enterprise that generates or receives most keeps its label. Returns the layer
    names and the sector colours (for the legend).
    """
    ent = scenario.enterprises
    colours = sector_colours(ent["sector"].astype(str).tolist())
    popups = enterprise_popups(scenario, sources, absorbs, names, lang)
    size = (
        sources.groupby("enterprise")["generated"]
        .sum()
        .add(absorbs.groupby("enterprise")["received"].sum(), fill_value=0.0)
    )
    features: list[dict[str, Any]] = [
        {
            "at": [lat, lon],
            "style": {"fillColor": colours[sector]},
            "tooltip": f"{name} ({sector_name(sector, lang)})",
            "popup": popups[eid],
            "label": name,
            "_size": float(size.get(eid, 0.0)),
        }
        for eid, name, sector, lat, lon in zip(
            pos.index,
            [names.ent(e) for e in pos.index],
            ent["sector"].astype(str),
            pos["lat"].to_numpy(float).tolist(),
            pos["lon"].to_numpy(float).tolist(),
            strict=True,
        )
    ]
    # labels are placed in page order: the biggest first (sorted() is stable)
    features = [
        {k: v for k, v in f.items() if k != "_size"}
        for f in sorted(features, key=lambda f: -float(f["_size"]))
    ]
    name = map_label("enterprises", lang)
    Features(
        "marker",
        {"radius": 7, "color": "#222222", "weight": 1.5, "fill": True, "fillOpacity": 1.0},
        features,
        460,
        label_class="pf-lab-ent",
    ).add_to(_group(m, name))
    return [name], colours


# ---------------------------------------------------------------------------------------------
# new facilities (issue 12): diamonds, one layer per build year when the plan has periods
# ---------------------------------------------------------------------------------------------
#: Colour of a facility whose technology accepts no catalogue material.
FACILITY_COLOUR = "#d35400"


def facility_points(scenario: Scenario, result: Result, tiles: str) -> pd.DataFrame:
    """Where the built facilities are: index ``F:<facility_id>``, columns ``lon, lat``.

    The positions the links into a free-site facility end at (the network's synthetic
    enterprise ``F:<id>``), in the base map's datum. Empty without facilities.
    """
    plan = facility_plan(result)
    if plan.empty or not {"lon", "lat"} <= set(plan.columns):
        return pd.DataFrame(columns=["lon", "lat"])
    lon = pd.to_numeric(plan["lon"], errors="coerce").to_numpy(float)
    lat = pd.to_numeric(plan["lat"], errors="coerce").to_numpy(float)
    x, y = display_lonlat(lon, lat, tiles)
    out = pd.DataFrame({"lon": x, "lat": y}, index="F:" + plan["facility_id"].astype(str))
    return out[np.isfinite(out["lon"]) & np.isfinite(out["lat"])]


def _facility_popup(r: dict[str, Any], scenario: Scenario, names: Names, lang: str) -> str:
    """A facility's popup: technology, site, size, capex, cost, throughput, years (escaped)."""
    L = lambda k: map_label(k, lang)  # noqa: E731
    from parkflow.maps.popups import money

    tech = technology_name(scenario.catalogue, str(r.get("technology")), lang)
    site = r.get("site")
    site_text = (
        names.ent(str(site))
        if isinstance(site, str) and site.strip() and site in scenario.enterprises.index
        else L("free_site")
    )
    unit = str(r.get("unit") or "")
    capex = pd.to_numeric(pd.Series([r.get("capex_cny")]), errors="coerce").iloc[0]
    capex_text = f"{num(capex / 1e4, 1)} 万元" if lang == "zh" else f"{num(capex)} CNY"
    rows = [
        (L("technology"), tech),
        (L("site"), site_text),
        (L("size"), f"{num(r.get('size'))} {unit}"),
    ]
    existing = pd.to_numeric(pd.Series([r.get("existing_size")]), errors="coerce").iloc[0]
    if np.isfinite(existing) and existing > 0:
        rows.append((L("existing_size"), f"{num(existing)} {unit}"))
    rows += [
        (L("capex"), capex_text),
        (L("annual_cost"), money(r.get("annual_cost_cny_per_a"), lang)),
        (L("throughput"), f"{num(r.get('throughput'))} {unit}"),
        (L("load_factor"), pct(r.get("load_factor"))),
    ]
    for key in ("build_year", "expanded_year"):
        year = pd.to_numeric(pd.Series([r.get(key)]), errors="coerce").iloc[0]
        if np.isfinite(year):
            rows.append((L(key), f"{int(year)}"))
    body = "".join(f"<tr><th>{html_text(k)}</th><td>{html_text(v)}</td></tr>" for k, v in rows)
    return (
        f'<div class="pf-pop"><b>{html_text(tech)}</b> '
        f'<span class="pf-id">{html_text(r.get("facility_id"))}</span>'
        f'<table class="pf-t">{body}</table></div>'
    )


def _facility_colour(scenario: Scenario, technology: str) -> str:
    """The colour of the first material the technology accepts (the links' colour)."""
    techs = scenario.catalogue.technologies
    if techs is None or technology not in techs.index or "accepts" not in techs.columns:
        return FACILITY_COLOUR
    accepts = techs.at[technology, "accepts"]
    first = (
        next(iter(accepts), None)
        if isinstance(accepts, (list, tuple, set, frozenset))
        else (str(accepts).split(";")[0] if isinstance(accepts, str) and accepts else None)
    )
    if not first:
        return FACILITY_COLOUR
    return material_colour(first, list(scenario.catalogue.materials.index.astype(str)))


def facility_layer(
    m: folium.Map,
    scenario: Scenario,
    plan: pd.DataFrame,
    pos: pd.DataFrame,
    names: Names,
    lang: str,
    name: str,
    group: GroupMaker | None = None,
) -> int:
    """One layer of new facilities, ``name`` in the layer control: a diamond each.

    ``plan`` holds rows of :func:`parkflow.report.investment.facility_plan`; ``pos`` their
    positions (:func:`facility_points`). Each diamond has the colour of the material its
    technology takes first, a tooltip (plain text) and a popup with technology, site, size,
    capex, annual cost, throughput, load factor and build year (every string escaped).
    Returns the number of diamonds. ``group``: as for :func:`link_layers`.
    """
    features = []
    for r in plan.to_dict(orient="records"):
        key = f"F:{r['facility_id']}"
        if key not in pos.index:
            continue
        tech = technology_name(scenario.catalogue, str(r.get("technology")), lang)
        features.append(
            {
                "at": [round(float(pos.at[key, "lat"]), 6), round(float(pos.at[key, "lon"]), 6)],
                "style": {"fillColor": _facility_colour(scenario, str(r.get("technology")))},
                "tooltip": f"{r['facility_id']} {tech}: {num(r.get('size'))} {r.get('unit', '')}",
                "popup": _facility_popup(r, scenario, names, lang),
                "label": f"{r['facility_id']} {tech}",
            }
        )
    if not features:
        return 0
    Features("facility", {}, features, 420, label_class="pf-lab-ent", role="facility").add_to(
        _maker(m, group)(name, True)
    )
    return len(features)


def facility_layers(
    m: folium.Map,
    scenario: Scenario,
    result: Result,
    pos: pd.DataFrame,
    names: Names,
    lang: str,
) -> tuple[list[str], int]:
    """The new facilities: a layer per build year with periods, else one layer.

    With periods (facilities.csv with a ``year``) the layers are "built 2026", "built 2027" …;
    without, one layer "new facilities". Returns the layer names (in year order) and the
    number of facilities drawn.
    """
    plan = facility_plan(result)
    if plan.empty:
        return [], 0
    has_periods = "year" in plan.columns and pd.to_numeric(plan["year"], "coerce").notna().any()
    if not has_periods:
        name = map_label("new_facilities", lang)
        n = facility_layer(m, scenario, plan, pos, names, lang, name)
        return ([name] if n else []), n
    built = pd.to_numeric(plan.get("build_year"), errors="coerce")
    layers, total = [], 0
    for year in sorted(built.dropna().unique()):
        name = map_label("built_year", lang).format(year=int(year))
        n = facility_layer(m, scenario, plan[built == year], pos, names, lang, name)
        if n:
            layers.append(name)
            total += n
    return layers, total


def title_box(
    m: folium.Map,
    scenario: Scenario,
    result: Result,
    names: Names,
    lang: str,
    years: list[tuple[int, Result]] | None = None,
    default: int | None = None,
) -> None:
    """The title box (top right): scenario, status, links built, targets; carries the CSS.

    A pathway (``years``: :func:`~parkflow.maps.popups.year_views`) gets one block per year,
    ``<div class="pf-year" data-year="...">``, each with that year's links and rates; all but
    ``default``'s start hidden and the year switch shows the chosen one.
    """
    if not years:
        text = title_html(scenario, result, names, lang)
    else:
        text = "".join(
            f'<div class="pf-year" data-year="{int(year)}"{"" if year == default else " hidden"}>'
            f'<div class="pf-yh">{html_text(map_label("year_heading", lang).format(year=year))}'
            f"</div>{title_html(scenario, view, names, lang)}</div>"
            for year, view in years
        )
    BoxControl(text, "topright", "pf-title", css=MAP_CSS).add_to(m)


def legend_box(
    m: folium.Map,
    sectors: dict[str, str],
    materials: list[tuple[str, str]],
    lang: str,
    compact: bool = False,
    extra: str = "",
) -> None:
    """The legend box (bottom left): sector and material colours, line and ring styles.

    ``compact`` (the comparison's two maps): folded at first. ``extra``: HTML put first in
    the box (the comparison's line styles; its user strings escaped).
    """
    text = legend_html(sectors, materials, lang)
    if compact:
        text = text.replace("<details open>", "<details>", 1)
    BoxControl(extra + text, "bottomleft", "pf-legend" + (" pf-small" if compact else "")).add_to(m)


def behaviour(m: folium.Map) -> None:
    """The metric scale bar and the zoom-following labels (:class:`LabelZoom`)."""
    MetricScale().add_to(m)
    LabelZoom(NEAR_ZOOM).add_to(m)
