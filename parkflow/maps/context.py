"""The light, offline context layer: the prefecture-level cities of Sichuan with their names.

The 21 市/州 of Sichuan are drawn as small grey points at their seats, each labelled with its
name in the map's language (the tooltip gives both). The data ship with parkflow
(``parkflow/data/context/sichuan_cities.csv``; source, licence and accuracy in the README beside
it: the positions are approximate). No outline is drawn (none was at hand under a public-domain
licence). See docs/maps.md, "Context layer".
"""

from __future__ import annotations

import folium
import pandas as pd

from parkflow.i18n import CITIES_CSV, city_table
from parkflow.maps.elements import Features, html_text
from parkflow.maps.offline import display_lonlat
from parkflow.maps.popups import map_label

CONTEXT_DIR = CITIES_CSV.parent
_cities = city_table  # the one reader of the table: the report names its cities from it too


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
