"""Build parkflow/data/geo/china.geojson from Natural Earth's admin-0 countries (1:50m).

The input is ``countries-50m.json`` of the npm package ``world-atlas`` 2.0.2 (ISC; a TopoJSON
redistribution of Natural Earth 4.1.0, which is public domain)::

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python tools/china_outline.py package/countries-50m.json parkflow/data/geo/china.geojson

The outline is the union of the units China (156), Taiwan (158), Hong Kong (344) and Macao (446),
widened by ``BUFFER_DEG`` (coastal plants, reclaimed land and small islands that the 1:50m scale
drops) and simplified to ``SIMPLIFY_DEG``. See parkflow/data/geo/README.md.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import shapely
from shapely.geometry import MultiPolygon, Polygon, mapping

UNITS = {"156": "China", "158": "Taiwan", "344": "Hong Kong", "446": "Macao"}
BUFFER_DEG = 0.1  # about 10 km
SIMPLIFY_DEG = 0.02  # about 2 km


def _arcs(topo: dict) -> list[list[tuple[float, float]]]:
    """Decode the quantised, delta-encoded arcs into lon/lat lists."""
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    out = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        out.append(points)
    return out


def _ring(indices: list[int], arcs: list[list[tuple[float, float]]]) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for i in indices:
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def _polygon(rings: list[list[int]], arcs: list[list[tuple[float, float]]]) -> Polygon:
    shell, *holes = (_ring(r, arcs) for r in rings)
    return Polygon(shell, holes)


def build(src: Path) -> dict:
    """The GeoJSON feature collection of the outline."""
    topo = json.loads(src.read_text(encoding="utf-8"))
    arcs = _arcs(topo)
    parts = []
    for geom in topo["objects"]["countries"]["geometries"]:
        if str(geom.get("id")) not in UNITS:
            continue
        if geom["type"] == "Polygon":
            parts.append(_polygon(geom["arcs"], arcs))
        else:
            parts.extend(_polygon(p, arcs) for p in geom["arcs"])
    shape = shapely.union_all([shapely.make_valid(p) for p in parts])
    shape = shape.buffer(BUFFER_DEG).simplify(SIMPLIFY_DEG)
    shape = shapely.set_precision(shape, 1e-4)
    if isinstance(shape, Polygon):
        shape = MultiPolygon([shape])
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {
                    "name": "China (incl. Hainan, Taiwan, Hong Kong, Macao), widened by "
                    f"{BUFFER_DEG} degrees",
                    "source": "Natural Earth 4.1.0 admin-0 countries 1:50m "
                    "via npm world-atlas 2.0.2",
                    "licence": "public domain (Natural Earth); world-atlas packaging ISC",
                },
                "geometry": mapping(shape),
            }
        ],
    }


if __name__ == "__main__":
    out = Path(sys.argv[2])
    out.write_text(json.dumps(build(Path(sys.argv[1])), separators=(",", ":")), encoding="utf-8")
    print(f"{out}: {out.stat().st_size} bytes")
