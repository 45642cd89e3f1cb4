"""The light, offline context layers: the cities of Sichuan with their names, and its outline.

The 21 市/州 of Sichuan are drawn as small grey points at their seats, each labelled with its
name in the map's language (the tooltip gives both). The data ship with parkflow
(``parkflow/data/context/sichuan_cities.csv``; source, licence and accuracy in the README beside
it: the positions are approximate). The province outline is package data,
``parkflow/data/geo/sichuan.geojson`` (Natural Earth admin-1, public domain, built by
``tools/sichuan_outline.py``; see parkflow/data/geo/README.md); a map is drawn without it
when the file is missing. See docs/maps.md,
"Context layer".
"""

from __future__ import annotations

from pathlib import Path

import folium
import pandas as pd

from parkflow.i18n import CITIES_CSV, city_table
from parkflow.maps.elements import Features, html_text
from parkflow.maps.offline import display_lonlat
from parkflow.maps.popups import map_label

CONTEXT_DIR = CITIES_CSV.parent
_cities = city_table  # the one reader of the table: the report names its cities from it too
#: The province outline (GeoJSON, WGS-84), package data when built by tools/sichuan_outline.py.
OUTLINE_GEOJSON = Path(__file__).resolve().parent.parent / "data" / "geo" / "sichuan.geojson"


def sichuan_cities() -> pd.DataFrame:
    """The 21 prefecture-level divisions of Sichuan (a copy).

    Returns
    -------
    pandas.DataFrame
        Index ``city_id``; columns ``name_zh, name_en, kind`` (``city`` or ``prefecture``),
        ``seat_zh, seat_en, lon, lat`` (WGS-84 degrees, approximate), ``short_zh, aliases``
        (the report's city names, :data:`parkflow.i18n.CITY_ZH`).

    Examples
    --------
    >>> cities = sichuan_cities()
    >>> len(cities), cities.at["leshan", "name_zh"]
    (21, '乐山市')
    """
    return _cities().copy()


def short_name(row: pd.Series, lang: str) -> str:
    """The label of a city on the map: 乐山市 in Chinese, Leshan in English."""
    return str(row["name_zh"] if lang == "zh" else row["name_en"])


def context_layer(m: folium.Map, tiles: str, lang: str) -> list[str]:
    """Add the context layer (cities of Sichuan) to ``m``; return its layer name.

    Parameters
    ----------
    m : folium.Map
        The map.
    tiles : str
        The base map (positions are shifted to GCJ-02 for Gaode tiles).
    lang : {"zh", "en"}
        Language of the labels.

    Returns
    -------
    list of str
        The layer's name (plain text), as the layer control lists it.
    """
    cities = _cities()
    lon, lat = display_lonlat(cities["lon"].to_numpy(float), cities["lat"].to_numpy(float), tiles)
    seat = map_label("seat", lang)
    features = []
    for (_, row), x, y in zip(cities.iterrows(), lon.tolist(), lat.tolist(), strict=True):
        tip = (
            f"{row['name_zh']} {row['name_en']} — {seat} {row['seat_zh']} "
            f"{row['seat_en']} ({map_label('approx', lang)})"
        )
        features.append(
            {
                "at": [round(y, 4), round(x, 4)],
                "style": {},
                "tooltip": tip,
                "label": short_name(row, lang),
            }
        )
    name = map_label("context", lang)
    group = folium.FeatureGroup(name=html_text(name), show=True)
    group.add_to(m)
    Features(
        "marker",
        {
            "radius": 3,
            "color": "#7a7a7a",
            "weight": 1,
            "fill": True,
            "fillColor": "#ffffff",
            "fillOpacity": 1.0,
        },
        features,
        label_class="pf-lab-city",
        role="context",
    ).add_to(group)
    return [name]


def province_outline(path: Path | None = None) -> object | None:
    """Sichuan's outline as a shapely geometry (WGS-84), or None when the file is missing.

    Parameters
    ----------
    path : Path, optional
        Default :data:`OUTLINE_GEOJSON`.
    """
    import json

    import shapely.geometry

    path = OUTLINE_GEOJSON if path is None else path
    if not path.is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    shapes = [shapely.geometry.shape(f["geometry"]) for f in data.get("features", [])]
    shapes = [g for g in shapes if not g.is_empty]
    if not shapes:
        return None
    return shapely.union_all(shapes)


def province_layer(m: folium.Map, tiles: str, lang: str, path: Path | None = None) -> list[str]:
    """Add Sichuan's outline (a grey dashed line, no fill, not clickable); return its layer name.

    Nothing is added (and ``[]`` returned) when the outline's data is not there
    (:func:`province_outline`). Positions are shifted to GCJ-02 for Gaode tiles.
    """
    import numpy as np
    import shapely

    shape = province_outline(path)
    if shape is None:
        return []

    def shift(xy: np.ndarray) -> np.ndarray:
        x, y = display_lonlat(xy[:, 0], xy[:, 1], tiles)
        return np.column_stack([x, y])

    shape = shapely.transform(shape, shift)
    name = map_label("province", lang)
    group = folium.FeatureGroup(name=html_text(name), show=True)
    group.add_to(m)
    style = {
        "color": "#6b6b6b",
        "weight": 2,
        "dashArray": "8 4 2 4",
        "lineCap": "butt",
        "fill": False,
        "interactive": False,
    }
    folium.GeoJson(
        shapely.geometry.mapping(shape),
        name=html_text(name),
        control=False,
        style_function=lambda _f: style,
    ).add_to(group)
    return [name]
