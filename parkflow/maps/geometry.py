"""Where things are drawn: enterprise positions in the base map's datum, curved links, sizes."""

from __future__ import annotations

import numpy as np
import pandas as pd

from parkflow.maps.offline import display_lonlat
from parkflow.models.scenario import Scenario

FEW_POINTS = 13  # points per drawn link (a quadratic Bézier curve)


def enterprise_positions(scenario: Scenario, tiles: str = "none") -> pd.DataFrame:
    """Map position of each enterprise: index ``enterprise_id``, columns ``lon, lat`` (degrees).

    WGS-84, or GCJ-02 when ``tiles="gaode"`` (Gaode's tiles are drawn in GCJ-02).

    Parameters
    ----------
    scenario : Scenario
        Its ``enterprises`` table (``lon``, ``lat`` in WGS-84 degrees).
    tiles : str
        The base map (:data:`parkflow.maps.offline.TILES`).

    Returns
    -------
    pandas.DataFrame
    """
    ent = scenario.enterprises
    lon, lat = display_lonlat(ent["lon"].to_numpy(float), ent["lat"].to_numpy(float), tiles)
    return pd.DataFrame({"lon": lon, "lat": lat}, index=ent.index.astype(str))


def link_curves(
    x0: np.ndarray,
    y0: np.ndarray,
    x1: np.ndarray,
    y1: np.ndarray,
    bend: np.ndarray,
    n_points: int = FEW_POINTS,
) -> np.ndarray:
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


def bends(flows: pd.DataFrame) -> np.ndarray:
    """Bend of each link, to the right of its direction of travel.

    A→B and B→A therefore fall on opposite sides; several links the same way (several
    materials) fan out, each further than the one before.

    >>> bends(pd.DataFrame({"from": ["A", "A", "B"], "to": ["B", "B", "A"]})).round(2).tolist()
    [0.08, 0.2, 0.08]
    """
    if flows.empty:
        return np.zeros(0)
    pair = flows["from"].astype(str) + "\x00" + flows["to"].astype(str)
    rank = pair.groupby(pair.to_numpy()).cumcount().to_numpy()
    return 0.08 + 0.12 * rank


def scaled(values: pd.Series, units: pd.Series, low: float, high: float) -> np.ndarray:
    """``low + (high − low) · sqrt(value / max value of the same unit)``; 0 → ``low``.

    >>> scaled(pd.Series([0.0, 25.0, 100.0]), pd.Series(["t/a"] * 3), 2.0, 12.0).tolist()
    [2.0, 7.0, 12.0]
    """
    v = pd.to_numeric(values, errors="coerce").fillna(0.0).clip(lower=0.0)
    top = v.groupby(units.astype(str).to_numpy()).transform("max").to_numpy()
    frac = np.divide(v.to_numpy(), top, out=np.zeros(len(v)), where=top > 0)
    return low + (high - low) * np.sqrt(frac)
