"""GCJ-02 ↔ WGS-84, the China bounding test and geodesic distances."""

from __future__ import annotations

import numpy as np
import pytest

from parkflow.geo import gcj02_to_wgs84, geodesic_km, in_china, wgs84_to_gcj02


def test_gcj02_offset_in_chengdu_is_a_few_hundred_metres():
    lon, lat = wgs84_to_gcj02([104.0657], [30.6595])
    shift_km = geodesic_km(104.0657, 30.6595, lon, lat)[0]
    assert 0.1 < shift_km < 0.8
    assert lon[0] > 104.0657  # the published offset points east-ish in Sichuan


def test_inverse_is_within_a_metre_across_sichuan():
    rng = np.random.default_rng(3)
    lon = rng.uniform(97.3, 108.5, 500)
    lat = rng.uniform(26.0, 34.3, 500)
    back_lon, back_lat = gcj02_to_wgs84(*wgs84_to_gcj02(lon, lat))
    assert geodesic_km(lon, lat, back_lon, back_lat).max() * 1000 < 0.01  # < 1 cm, spec: < 1 m


def test_outside_china_is_unchanged():
    lon, lat = wgs84_to_gcj02([2.35, 139.7], [48.85, 35.7])
    assert lon.tolist() == [2.35, 139.7]
    assert lat.tolist() == [48.85, 35.7]
    back = gcj02_to_wgs84([2.35], [48.85])
    assert back[0][0] == 2.35


def test_in_china_bounding_box():
    assert in_china(
        [104.0, 73.0, 135.1, 30.6, 104.0, np.nan], [30.6, 18.0, 53.6, 104.0, 60.0, 30.0]
    ).tolist() == [True, True, True, False, False, False]


def test_geodesic_km_on_the_ellipsoid():
    # one degree of latitude at 30°N on WGS-84 is 110.86 km; one of longitude 96.49 km
    d = geodesic_km([104.0, 104.0], [30.0, 30.0], [104.0, 105.0], [31.0, 30.0])
    assert d.tolist() == pytest.approx([110.86, 96.49], abs=0.01)
    assert geodesic_km(104.0, 30.0, 104.0, 30.0)[0] == 0.0


def test_inside_china_outline_catches_a_latitude_typo():
    from parkflow.geo import inside_china

    # Chongqing, Chengdu, Shanghai, Haikou, Taipei, Hong Kong, Urumqi, Harbin, Lhasa, Zhoushan
    ok_lon = [106.55, 104.07, 121.47, 110.3, 121.5, 114.17, 87.6, 126.6, 91.1, 122.2]
    ok_lat = [29.56, 30.66, 31.23, 20.0, 25.03, 22.3, 43.8, 45.75, 29.65, 30.0]
    assert inside_china(ok_lon, ok_lat).all()
    # 31.13 typed as 21.13 (northern Vietnam), Hanoi, Seoul, Ulaanbaatar: all inside the box
    bad_lon, bad_lat = [106.55, 105.85, 127.0, 106.9], [21.13, 21.03, 37.5, 47.9]
    assert in_china(bad_lon, bad_lat).all()
    assert not inside_china(bad_lon, bad_lat).any()
    assert not inside_china([np.nan], [30.0]).any()


def test_locate_gives_the_hints():
    from parkflow.geo import locate

    got = locate(
        [104.0, 30.6, np.radians(104.0), 106.55, np.nan],
        [30.6, 104.0, np.radians(30.6), 21.13, 1.0],
    )
    assert got.tolist() == ["inside", "swapped", "radians", "outside", "missing"]


def test_inside_china_is_fast_for_50000_points():
    import time

    from parkflow.geo import inside_china

    rng = np.random.default_rng(0)
    lon, lat = rng.uniform(73, 135, 50_000), rng.uniform(18, 53, 50_000)
    inside_china(lon[:10], lat[:10])  # load the outline
    start = time.perf_counter()
    inside = inside_china(lon, lat)
    assert time.perf_counter() - start < 1.0
    assert 0.3 < inside.mean() < 0.8


def test_bundled_scenarios_lie_inside_china():
    from parkflow.geo import inside_china
    from parkflow.io import load_scenario
    from parkflow.io.bundled import bundled_scenario_path, bundled_scenarios

    for name in bundled_scenarios():
        ent = load_scenario(bundled_scenario_path(name)).enterprises
        assert inside_china(ent["lon"], ent["lat"]).all(), name


def test_a_plant_in_vietnam_is_a_validation_error(tmp_path):
    from conftest import TINY_FILES, write_scenario

    from parkflow.io import validate

    files = dict(TINY_FILES)
    files["enterprises.csv"] = files["enterprises.csv"].replace("104.05,30.62", "106.05,21.13")
    _, problems = validate(write_scenario(tmp_path / "s", files))
    (p,) = [p for p in problems if "outside China" in p.message]
    assert p.row == 3
    assert p.column == "lon"
