"""Unit conversion to canonical units (t/a for solids and hydrogen, GJ/a for heat)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from parkflow.units import convert_one, is_known_unit, to_canonical, unit_fits


@pytest.mark.parametrize(
    ("unit", "expected_t_per_a"),
    [
        ("t/a", 1.0),
        ("t", 1.0),
        ("kg/a", 0.001),
        ("kt/a", 1000.0),
        ("Mt/a", 1e6),
        ("万t/a", 1e4),
        ("wan_t/a", 1e4),
        ("10kt/a", 1e4),
        ("万吨/年", 1e4),
        ("吨/年", 1.0),
    ],
)
def test_solid_units(unit, expected_t_per_a):
    assert convert_one(1.0, unit, "solid") == pytest.approx(expected_t_per_a, rel=1e-12)


def test_thermal_megawatt_runs_the_operating_hours():
    # 1 MW × 3600 s/h × 8000 h = 28,800 GJ per year
    assert convert_one(1.0, "MW", "heat", operating_hours=8000) == pytest.approx(28800.0)
    assert convert_one(2.5, "MW", "heat", operating_hours=6000) == pytest.approx(54000.0)
    assert convert_one(500.0, "kW", "heat", operating_hours=8000) == pytest.approx(14400.0)


@pytest.mark.parametrize(
    ("unit", "expected_gj_per_a"),
    [
        ("GJ/a", 1.0),
        ("TJ/a", 1000.0),
        ("MWh/a", 3.6),
        ("GJ", 1.0),
    ],
)
def test_heat_units(unit, expected_gj_per_a):
    assert convert_one(1.0, unit, "heat") == pytest.approx(expected_gj_per_a, rel=1e-12)


def test_hydrogen_normal_cubic_metres_use_the_density():
    # 1,000,000 Nm3 × 0.0899 kg/Nm3 = 89,900 kg = 89.9 t
    assert convert_one(1e6, "Nm3/a", "hydrogen", density_kg_per_nm3=0.0899) == pytest.approx(89.9)
    assert convert_one(2000.0, "t/a", "hydrogen") == 2000.0
    # without a density the Nm3 amount cannot be converted
    assert math.isnan(convert_one(1.0, "Nm3/a", "hydrogen"))


@pytest.mark.parametrize(
    ("unit", "kind"),
    [
        ("GJ/a", "solid"),
        ("MW", "solid"),
        ("t/a", "heat"),
        ("Nm3/a", "solid"),
        ("MWh/a", "hydrogen"),
    ],
)
def test_units_that_do_not_fit_the_kind(unit, kind):
    assert not unit_fits(unit, kind)
    assert math.isnan(convert_one(1.0, unit, kind, density_kg_per_nm3=0.09))


def test_unknown_units():
    for unit in ("furlong", "", "t/km", "t/a/a", "MW/a"):
        assert not is_known_unit(unit), unit
    assert is_known_unit("Nm³/a")


def test_to_canonical_is_vectorised_over_mixed_rows():
    quantity = pd.Series([2.0, 3.0, 1.0, 1e6, 5.0, 7.0], index=list("abcdef"))
    unit = pd.Series(["万t/a", "kt/a", "MW", "Nm3/a", "GJ/a", "万t/a"], index=quantity.index)
    kind = pd.Series(["solid", "solid", "heat", "hydrogen", "solid", "solid"], index=quantity.index)
    density = pd.Series([np.nan, np.nan, np.nan, 0.0899, np.nan, np.nan], index=quantity.index)
    values, fits = to_canonical(quantity, unit, kind, density, operating_hours=8000)
    assert values.index.tolist() == list("abcdef")
    np.testing.assert_allclose(
        values.to_numpy()[[0, 1, 2, 3, 5]], [20000.0, 3000.0, 28800.0, 89.9, 70000.0]
    )
    assert math.isnan(values["e"])
    assert fits.tolist() == [True, True, True, True, False, True]
