"""Coordinates: GCJ-02 ↔ WGS-84, the test "inside China" and geodesic distances (all vectorised).

Two tests of "in China": :func:`in_china` is the bounding box that the published GCJ-02 formula
uses to decide where to shift; :func:`inside_china` checks points against a simplified outline of
China's land area (package data ``parkflow/data/geo/china.geojson``, from Natural Earth, public
domain; see the README there), so a plant typed at latitude 21.13 instead of 31.13 (northern
Vietnam, inside the box) is caught. :func:`locate` adds the hints that validation prints
(latitude and longitude swapped, radians instead of degrees).

Chinese web maps (Amap/Gaode, Tencent) publish GCJ-02 ("Mars") coordinates, offset from WGS-84 by
up to ~700 m. :func:`wgs84_to_gcj02` is the published forward formula (Krasovsky 1940 ellipsoid
constants); :func:`gcj02_to_wgs84` inverts it by fixed-point iteration to well under 1 m.
Outside China the offset is not applied (GCJ-02 equals WGS-84 there).

>>> lon, lat = wgs84_to_gcj02(104.0, 30.6)
>>> back = gcj02_to_wgs84(lon, lat)
>>> round(float(back[0][0]), 7), round(float(back[1][0]), 7)
(104.0, 30.6)
"""

from __future__ import annotations

import functools
import json
from importlib import resources
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike, NDArray
from pyproj import Geod

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry

#: Bounding box used for "in China" (degrees).
CHINA_LON = (73.0, 135.1)
CHINA_LAT = (18.0, 53.6)

_A = 6378245.0  # semi-major axis of the Krasovsky ellipsoid used by GCJ-02 (m)
_EE = 0.00669342162296594323  # its first eccentricity squared
_GEOD = Geod(ellps="WGS84")


def in_china(lon: ArrayLike, lat: ArrayLike) -> NDArray[np.bool_]:
    """True where (lon, lat) lies in China's bounding box (lon 73–135.1, lat 18–53.6).

    >>> in_china([104.0, 30.6], [30.6, 104.0]).tolist()
    [True, False]
    """
    lon_a = np.asarray(lon, dtype=float)
    lat_a = np.asarray(lat, dtype=float)
    with np.errstate(invalid="ignore"):
        return (
            (lon_a >= CHINA_LON[0])
            & (lon_a <= CHINA_LON[1])
            & (lat_a >= CHINA_LAT[0])
            & (lat_a <= CHINA_LAT[1])
        )


@functools.lru_cache(maxsize=1)
def china_outline() -> BaseGeometry:
    """The simplified outline of China's land area (a prepared shapely MultiPolygon, WGS-84).

    Mainland China with Hainan, Taiwan, Hong Kong and Macao from Natural Earth's 1:50m admin-0
    countries, widened by about 10 km for coastal plants and small islands. The South China Sea
    islands are not in it (Natural Earth draws them apart at this scale).
    """
    import shapely
    from shapely.geometry import shape

    text = resources.files("parkflow").joinpath("data/geo/china.geojson").read_text("utf-8")
    geometry = shape(json.loads(text)["features"][0]["geometry"])
    shapely.prepare(geometry)
    return geometry


def inside_china(lon: ArrayLike, lat: ArrayLike) -> NDArray[np.bool_]:
    """True where (lon, lat) in degrees lies inside China's land outline (:func:`china_outline`).

    Vectorised (``shapely.contains_xy`` on a prepared geometry): 50,000 points take a few
    milliseconds. NaN is False.

    >>> inside_china([106.55, 106.55, 104.0], [29.56, 21.13, 30.6]).tolist()  # Chongqing, Vietnam
    [True, False, True]
    """
    import shapely

    lon_a, lat_a = np.broadcast_arrays(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
    box = in_china(lon_a, lat_a)  # cheap pre-filter; also drops NaN
    out = np.zeros(lon_a.shape, dtype=bool)
    if box.any():
        out[box] = shapely.contains_xy(china_outline(), lon_a[box], lat_a[box])
    return out


def locate(lon: ArrayLike, lat: ArrayLike) -> NDArray[np.str_]:
    """Classify points for validation messages.

    Returns
    -------
    ndarray of str
        Per point: ``"inside"`` (inside China's outline), ``"swapped"`` (inside once latitude and
        longitude are exchanged), ``"radians"`` (inside once read as radians), ``"outside"``, or
        ``"missing"`` (NaN).

    >>> locate([104.0, 30.6, 1.815, 106.55], [30.6, 104.0, 0.534, 21.13]).tolist()
    ['inside', 'swapped', 'radians', 'outside']
    """
    lon_a, lat_a = np.broadcast_arrays(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
    out = np.full(lon_a.shape, "outside", dtype="<U7")
    out[np.isnan(lon_a) | np.isnan(lat_a)] = "missing"
    inside = inside_china(lon_a, lat_a)
    with np.errstate(invalid="ignore"):
        small = (np.abs(lon_a) <= np.pi) & (np.abs(lat_a) <= np.pi / 2)
    radians = small & inside_china(np.degrees(lon_a), np.degrees(lat_a))
    swapped = inside_china(lat_a, lon_a)
    out[radians] = "radians"
    out[swapped & ~radians] = "swapped"
    out[inside] = "inside"
    return out


def _offset(
    lon: NDArray[np.float64], lat: NDArray[np.float64]
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """GCJ-02 offset (degrees) at WGS-84 (lon, lat)."""
    x = lon - 105.0
    y = lat - 35.0
    dlat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * np.sqrt(np.abs(x))
    dlat += (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
    dlat += (20.0 * np.sin(y * np.pi) + 40.0 * np.sin(y / 3.0 * np.pi)) * 2.0 / 3.0
    dlat += (160.0 * np.sin(y / 12.0 * np.pi) + 320.0 * np.sin(y * np.pi / 30.0)) * 2.0 / 3.0
    dlon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * np.sqrt(np.abs(x))
    dlon += (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
    dlon += (20.0 * np.sin(x * np.pi) + 40.0 * np.sin(x / 3.0 * np.pi)) * 2.0 / 3.0
    dlon += (150.0 * np.sin(x / 12.0 * np.pi) + 300.0 * np.sin(x / 30.0 * np.pi)) * 2.0 / 3.0
    rad_lat = lat / 180.0 * np.pi
    magic = 1.0 - _EE * np.sin(rad_lat) ** 2
    sqrt_magic = np.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1.0 - _EE)) / (magic * sqrt_magic) * np.pi)
    dlon = (dlon * 180.0) / (_A / sqrt_magic * np.cos(rad_lat) * np.pi)
    return dlon, dlat


def wgs84_to_gcj02(
    lon: ArrayLike, lat: ArrayLike
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """WGS-84 → GCJ-02 (degrees); points outside China are returned unchanged.

    Parameters
    ----------
    lon, lat : array-like of float
        WGS-84 longitude and latitude, degrees.

    Returns
    -------
    lon, lat : ndarray of float
        GCJ-02 coordinates, degrees.
    """
    lon_a = np.atleast_1d(np.asarray(lon, dtype=float))
    lat_a = np.atleast_1d(np.asarray(lat, dtype=float))
    dlon, dlat = _offset(lon_a, lat_a)
    inside = in_china(lon_a, lat_a)
    return np.where(inside, lon_a + dlon, lon_a), np.where(inside, lat_a + dlat, lat_a)


def gcj02_to_wgs84(
    lon: ArrayLike, lat: ArrayLike, iterations: int = 8
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """GCJ-02 → WGS-84 by fixed-point iteration of the forward formula (error ≪ 1 m).

    Parameters
    ----------
    lon, lat : array-like of float
        GCJ-02 longitude and latitude, degrees.
    iterations : int
        Number of corrections; each gains about two orders of magnitude.

    Returns
    -------
    lon, lat : ndarray of float
        WGS-84 coordinates, degrees.

    Examples
    --------
    >>> g = wgs84_to_gcj02([104.0657], [30.6595])
    >>> w = gcj02_to_wgs84(*g)
    >>> float(geodesic_km(w[0], w[1], [104.0657], [30.6595])[0]) < 1e-3
    True
    """
    g_lon = np.atleast_1d(np.asarray(lon, dtype=float))
    g_lat = np.atleast_1d(np.asarray(lat, dtype=float))
    w_lon, w_lat = g_lon.copy(), g_lat.copy()
    for _ in range(iterations):
        f_lon, f_lat = wgs84_to_gcj02(w_lon, w_lat)
        w_lon = w_lon - (f_lon - g_lon)
        w_lat = w_lat - (f_lat - g_lat)
    inside = in_china(g_lon, g_lat)
    return np.where(inside, w_lon, g_lon), np.where(inside, w_lat, g_lat)


def geodesic_km(
    lon1: ArrayLike, lat1: ArrayLike, lon2: ArrayLike, lat2: ArrayLike
) -> NDArray[np.float64]:
    """Geodesic distance on the WGS-84 ellipsoid, km (pyproj.Geod, vectorised).

    >>> round(float(geodesic_km(104.0, 30.0, 104.0, 31.0)[0]), 2)
    110.86
    """
    arrays = np.broadcast_arrays(
        *(np.atleast_1d(np.asarray(a, dtype=float)) for a in (lon1, lat1, lon2, lat2))
    )
    lon1_a, lat1_a, lon2_a, lat2_a = (np.ascontiguousarray(a) for a in arrays)
    _, _, dist_m = _GEOD.inv(lon1_a, lat1_a, lon2_a, lat2_a)
    return np.asarray(dist_m, dtype=float) / 1000.0
