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
    assert lon.tolist() == [2.35, 139.7] and lat.tolist() == [48.85, 35.7]
    back = gcj02_to_wgs84([2.35], [48.85])
    assert back[0][0] == 2.35


def test_in_china_bounding_box():
    assert in_china([104.0, 73.0, 135.1, 30.6, 104.0, np.nan],
                    [30.6, 18.0, 53.6, 104.0, 60.0, 30.0]).tolist() == [
        True, True, True, False, False, False]


def test_geodesic_km_on_the_ellipsoid():
    # one degree of latitude at 30°N on WGS-84 is 110.86 km; one of longitude 96.49 km
    d = geodesic_km([104.0, 104.0], [30.0, 30.0], [104.0, 105.0], [31.0, 30.0])
    assert d.tolist() == pytest.approx([110.86, 96.49], abs=0.01)
    assert geodesic_km(104.0, 30.0, 104.0, 30.0)[0] == 0.0
