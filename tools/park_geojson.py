"""Write a scenario's ``parks.geojson``: one plausible polygon per park, covering its plants.

The polygons are estimates (no official boundaries were retrieved): an irregular 12-gon around the
park point of ``tools/data/sichuan_parks.csv`` (a copy of shared/data/sichuan_parks.csv,
docs/sources.md 44), large enough to hold every enterprise of the park with a margin of
``margin_km``. The irregularity is seeded by the park id, so the same inputs always give the same
file.

Usage::

    python tools/park_geojson.py scenarios/leshan-wutongqiao
"""

from __future__ import annotations

import json
import sys
import zlib
from pathlib import Path

import numpy as np
import pandas as pd

KM_PER_DEG_LAT = 111.32
PARKS_CSV = Path(__file__).resolve().parent / "data" / "sichuan_parks.csv"


def park_table() -> pd.DataFrame:
    """The candidate parks (id, name_zh, name_en, city, lat, lon, level), indexed by park id."""
    parks = pd.read_csv(PARKS_CSV, encoding="utf-8").set_index("park_id")
    parks["level"] = parks["level"].str.split(" ").str[0]  # "provincial (verify)" -> "provincial"
    parks["city"] = parks["city"].str.split(" ").str[0]  # "Deyang (Shifang)" -> "Deyang"
    return parks


def park_polygon(
    lon: float, lat: float, radius_km: float, seed: str, n_vertices: int = 12
) -> list[list[float]]:
    """An irregular closed ring (lon, lat degrees) whose vertices lie 1.0–1.3 × radius_km away.

    Parameters
    ----------
    lon, lat : float
        Centre, WGS-84 degrees.
    radius_km : float
        Smallest distance of a vertex from the centre, km (the ring contains this circle's
        inscribed polygon, so every point closer than ``radius_km · cos(π/n)`` is inside).
    seed : str
        Seeds the irregularity (the park id).
    n_vertices : int
        Number of vertices.
    """
    rng = np.random.default_rng(zlib.crc32(seed.encode("utf-8")))
    angles = np.linspace(0.0, 2.0 * np.pi, n_vertices, endpoint=False)
    radii = radius_km * rng.uniform(1.0, 1.3, n_vertices)
    km_per_deg_lon = KM_PER_DEG_LAT * np.cos(np.radians(lat))
    xs = lon + radii * np.cos(angles) / km_per_deg_lon
    ys = lat + radii * np.sin(angles) / KM_PER_DEG_LAT
    ring = [[round(float(x), 5), round(float(y), 5)] for x, y in zip(xs, ys, strict=True)]
    return ring + [ring[0]]


def parks_feature_collection(enterprises: pd.DataFrame, margin_km: float = 1.0) -> dict:
    """GeoJSON FeatureCollection of the parks named in ``enterprises`` (columns park, lon, lat)."""
    parks = park_table()
    features = []
    for park_id, group in enterprises.groupby("park", sort=True):
        row = parks.loc[park_id]
        km_per_deg_lon = KM_PER_DEG_LAT * np.cos(np.radians(row["lat"]))
        dist_km = np.hypot(
            (group["lon"] - row["lon"]) * km_per_deg_lon,
            (group["lat"] - row["lat"]) * KM_PER_DEG_LAT,
        )
        # the 12-gon with vertices >= r contains the circle of radius r·cos(15°)
        radius_km = (float(dist_km.max()) + margin_km) / np.cos(np.pi / 12)
        features.append(park_feature(park_id, row, radius_km))
    return {"type": "FeatureCollection", "features": features}


def park_feature(park_id: str, row: pd.Series, radius_km: float) -> dict:
    """The GeoJSON feature of one park: its polygon and the properties parks.geojson carries."""
    return {
        "type": "Feature",
        "properties": {
            "id": park_id,
            "name": row["name_zh"],
            "name_en": row["name_en"],
            "level": row["level"],
            "city": row["city"],
            "note": "boundary estimate: polygon around the park point of "
            "sichuan_parks.csv covering its plants",
        },
        "geometry": {
            "type": "Polygon",
            "coordinates": [park_polygon(row["lon"], row["lat"], radius_km, park_id)],
        },
    }


def write_parks_geojson(folder: Path) -> Path:
    """Write ``folder/parks.geojson`` from ``folder/enterprises.csv``."""
    enterprises = pd.read_csv(folder / "enterprises.csv", encoding="utf-8")
    path = folder / "parks.geojson"
    text = json.dumps(parks_feature_collection(enterprises), ensure_ascii=False, indent=1)
    path.write_text(text + "\n", encoding="utf-8")
    return path


if __name__ == "__main__":
    for arg in sys.argv[1:]:
        print(write_parks_geojson(Path(arg)))
