"""Maps that open offline: vendored Leaflet inlined, CDN links dropped, and the base-map tiles.

Maps written by :func:`parkflow.maps.write_map` are self-contained: Leaflet's script and style
(vendored in ``parkflow/data/vendor/``) are inlined by :func:`inline_assets`, and the CDN links
folium adds by default (jQuery, Bootstrap, Font Awesome) are left out, so the file opens offline
and on networks where public CDNs fail. Only base-map tiles (:data:`TILES`: ``"osm"``,
``"tianditu"``, ``"gaode"``) need the network; the default ``"none"`` needs none. See
docs/maps.md, "Tiles and offline use".
"""

from __future__ import annotations

import base64
import os
import re
from functools import cache
from pathlib import Path

import folium
import numpy as np

TILES = ("none", "osm", "tianditu", "gaode")
VENDOR_DIR = Path(__file__).resolve().parent.parent / "data" / "vendor"

VENDOR_FILES: dict[str, str] = {
    "leaflet.js": "leaflet/leaflet.js",
    "leaflet.css": "leaflet/leaflet.css",
    "L.Map.Sync.js": "leaflet.sync/L.Map.Sync.js",
    "L.Map.Sync.min.js": "leaflet.sync/L.Map.Sync.js",
}
# folium links these by default; the maps do not use them (no icons, no Bootstrap widgets)
DROPPED = (
    "jquery",
    "bootstrap",
    "awesome-markers",
    "awesome_markers",
    "fontawesome",
    "font-awesome",
    "glyphicons",
    "awesome.rotate",
)

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

    Parameters
    ----------
    page : str
        HTML as folium renders it.

    Returns
    -------
    str
        The page with the vendored files inline.
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


# ---------------------------------------------------------------------------------------------
# tiles and their datum
# ---------------------------------------------------------------------------------------------
def display_lonlat(lon: np.ndarray, lat: np.ndarray, tiles: str) -> tuple[np.ndarray, np.ndarray]:
    """WGS-84 → the datum of the base map: GCJ-02 for Gaode tiles, unchanged otherwise.

    >>> display_lonlat(np.array([103.7]), np.array([29.4]), "none")
    (array([103.7]), array([29.4]))
    """
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    if tiles == "gaode":
        from parkflow.geo import wgs84_to_gcj02

        glon, glat = wgs84_to_gcj02(lon, lat)
        return np.asarray(glon, dtype=float), np.asarray(glat, dtype=float)
    return lon, lat


TIANDITU_ENV = ("PARKFLOW_TIANDITU_KEY", "TIANDITU_KEY")


def tianditu_key_from(key: str | None = None) -> str:
    """The Tianditu key: ``key``, else ``PARKFLOW_TIANDITU_KEY``, else ``TIANDITU_KEY``; or "".

    >>> tianditu_key_from("abc")
    'abc'
    """
    if key:
        return key
    return next((os.environ[v] for v in TIANDITU_ENV if os.environ.get(v)), "")


def choose_tiles(tiles: str | None, tianditu_key: str | None = None) -> str:
    """The base map when the user named none: Tianditu when a key is given, else none.

    A key given as ``--tianditu-key`` or in ``PARKFLOW_TIANDITU_KEY`` turns Tianditu on; with
    no key the map stays offline (no tiles). A ``tiles`` the user named is kept.

    >>> choose_tiles(None, None) in ("none", "tianditu"), choose_tiles("osm", "k")
    (True, 'osm')
    """
    if tiles is not None:
        return tiles
    return "tianditu" if tianditu_key_from(tianditu_key) else "none"


def tile_layers(m: folium.Map, tiles: str, lang: str, tianditu_key: str | None) -> None:
    """Add the base-map tile layers of ``tiles`` (one of :data:`TILES`) to ``m``.

    Raises
    ------
    ValueError
        ``tiles="tianditu"`` without a key (argument or ``PARKFLOW_TIANDITU_KEY``).
    """
    if tiles == "none":
        return
    if tiles == "osm":
        folium.TileLayer("OpenStreetMap", name="OpenStreetMap", control=False).add_to(m)
        return
    if tiles == "gaode":
        folium.TileLayer(
            tiles=(
                "https://webrd0{s}.is.autonavi.com/appmaptile?"
                f"lang={'zh_cn' if lang == 'zh' else 'en'}&size=1&scale=1&style=8"
                "&x={x}&y={y}&z={z}"
            ),
            attr="© 高德地图 AutoNavi (GCJ-02)",
            name="Gaode",
            subdomains="1234",
            max_zoom=18,
            control=False,
        ).add_to(m)
        return
    # tianditu: CGCS2000, which differs from WGS-84 by centimetres: no shift
    key = tianditu_key_from(tianditu_key)
    if not key:
        msg = (
            "tiles='tianditu' needs a Tianditu key (天地图 tk): pass "
            "tianditu_key=... (parkflow map --tianditu-key KEY) or set "
            "PARKFLOW_TIANDITU_KEY; or use tiles='none' (offline) or 'osm'"
        )
        raise ValueError(msg)
    for layer in ("vec", "cva" if lang == "zh" else "eva"):
        folium.TileLayer(
            tiles=(
                f"https://t{{s}}.tianditu.gov.cn/{layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile"
                f"&VERSION=1.0.0&LAYER={layer}&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles"
                f"&TILEMATRIX={{z}}&TILEROW={{y}}&TILECOL={{x}}&tk={key}"
            ),
            attr="© 天地图 Tianditu",
            name=f"Tianditu {layer}",
            subdomains="01234567",
            max_zoom=18,
            overlay=layer != "vec",
            control=False,
        ).add_to(m)
