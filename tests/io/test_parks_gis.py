"""Park boundaries from GeoJSON, GeoPackage and Shapefile, reprojected to WGS-84 and checked."""

from __future__ import annotations

import json

import geopandas as gpd
import pytest
from conftest import write_scenario
from shapely.geometry import Polygon

from parkflow.io import load_scenario, validate

BOX = Polygon([(103.9, 30.5), (104.2, 30.5), (104.2, 30.7), (103.9, 30.7)])


def _layer(crs: str = "EPSG:4326") -> gpd.GeoDataFrame:
    layer = gpd.GeoDataFrame(
        {"id": ["P1"], "name": ["园区"], "level": ["provincial"]}, geometry=[BOX], crs="EPSG:4326"
    )
    return layer.to_crs(crs)


@pytest.mark.parametrize(
    ("file", "driver"), [("parks.gpkg", "GPKG"), ("parks.shp", "ESRI Shapefile")]
)
@pytest.mark.parametrize("crs", ["EPSG:4326", "EPSG:4547"])
def test_gpkg_and_shp_are_read_and_reprojected(tmp_path, tiny_files, file, driver, crs):
    folder = write_scenario(tmp_path / "sc", tiny_files)
    _layer(crs).to_file(folder / file, driver=driver)
    sc = load_scenario(folder)
    assert list(sc.parks.index) == ["P1"]
    assert sc.parks.crs.to_epsg() == 4326
    assert sc.parks.geometry.iloc[0].symmetric_difference(BOX).area < 1e-8


def test_geojson_in_epsg_4547_is_reprojected_not_read_as_degrees(tmp_path, tiny_files):
    data = json.loads(_layer("EPSG:4547").to_json())
    data["crs"] = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::4547"}}
    tiny_files["parks.geojson"] = json.dumps(data)
    sc = load_scenario(write_scenario(tmp_path / "sc", tiny_files))
    bounds = sc.parks.geometry.iloc[0].bounds
    assert bounds == pytest.approx(BOX.bounds, abs=1e-6)


def test_projected_boundary_without_its_crs_is_reported(tmp_path, tiny_files):
    data = json.loads(_layer("EPSG:4547").to_json())
    data.pop("crs", None)  # no crs member: metres read as degrees
    tiny_files["parks.geojson"] = json.dumps(data)
    _, problems = validate(write_scenario(tmp_path / "sc", tiny_files))
    assert [(p.file, p.column) for p in problems] == [("parks.geojson", "geometry")]
    assert "in metres, not degrees" in problems[0].message


def test_boundary_outside_china_is_reported(tmp_path, tiny_files):
    layer = _layer()
    layer["geometry"] = [Polygon([(2.3, 48.8), (2.4, 48.8), (2.4, 48.9)])]
    tiny_files["parks.geojson"] = layer.to_json()
    _, problems = validate(write_scenario(tmp_path / "sc", tiny_files))
    assert [p.message for p in problems] == [
        "park 'P1': its boundary (at 2.375, 48.85) is outside China (checked against its outline)"
    ]


def test_two_park_files_are_reported(tmp_path, tiny_files):
    tiny_files["parks.geojson"] = _layer().to_json()
    folder = write_scenario(tmp_path / "sc", tiny_files)
    _layer().to_file(folder / "parks.gpkg", driver="GPKG")
    _, problems = validate(folder)
    assert [p.file for p in problems] == ["parks.gpkg"]
