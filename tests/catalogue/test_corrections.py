"""The 2026-12 catalogue corrections: bases, new streams, hydrogen grades (docs/catalogue.md)."""

from __future__ import annotations

from importlib import resources

import pandas as pd
import pytest

from parkflow.catalogue import builtin_catalogue


@pytest.fixture(scope="module")
def cat():
    return builtin_catalogue()


def _data(name: str) -> pd.DataFrame:
    with (resources.files("parkflow") / "data" / name).open("r", encoding="utf-8") as fh:
        return pd.read_csv(fh, dtype=str, keep_default_na=False).set_index("id")


def test_every_solid_states_its_basis(cat):
    m = cat.materials
    solid = m[m["kind"] == "solid"]
    assert set(solid["basis"]) <= {"dry", "wet"}
    assert (solid["basis"] != "").all()
    assert (m.loc[m["kind"] != "solid", "basis"] == "").all()
    assert m.loc["titanium_gypsum", "basis"] == "wet"  # ≈9 t/t as filtered
    assert m.loc["carbide_slag", "basis"] == "dry"  # 1.75 t dry per t PVC
    assert m["moisture_frac"].dropna().between(0, 0.6).all()


@pytest.mark.parametrize(
    ("material", "category", "group"),
    [
        ("bottom_ash", "furnace_slag", "bulk_solid_waste"),
        ("lithium_slag", "lithium_slag", "bulk_solid_waste"),
        ("phosphorus_slag", "smelting_slag", "bulk_solid_waste"),
        ("manganese_residue", "smelting_slag", "bulk_solid_waste"),
        ("nonferrous_slag", "smelting_slag", "bulk_solid_waste"),
        ("zinc_leach_residue", "hazardous_residue", "hazardous_waste"),
    ],
)
def test_new_streams_have_a_category_and_a_route(cat, material, category, group):
    m = cat.materials.loc[material]
    assert (m["category"], m["group"], m["kind"]) == (category, group, "solid")
    assert cat.categories.loc[category, "group"] == group
    routes = [r for r, acc in cat.routes["accepts"].items() if material in acc]
    assert routes, material


def test_categories_name_the_official_terms(cat):
    assert cat.categories.loc["furnace_slag", "name_zh"] == "炉渣"
    assert cat.categories.loc["lithium_slag", "name_zh"] == "锂渣"
    assert cat.materials.loc["phosphorus_slag", "name_zh"] == "磷渣"
    assert cat.materials.loc["manganese_residue", "name_zh"] == "电解锰渣"


def test_gb175_keeps_slags_out_of_cement_and_jc418_gives_masonry_cement(cat):
    r = cat.routes
    banned = {"vti_slag", "steel_slag", "phosphorus_slag", "lithium_slag"}
    assert not banned & set(r.loc["cement_admixture", "accepts"])
    assert "bottom_ash" in r.loc["cement_admixture", "accepts"]
    assert "vti_slag" in r.loc["masonry_cement_admixture", "accepts"]
    assert "JC 418" in r.loc["masonry_cement_admixture", "quality_rule"]
    assert {"steel_slag", "phosphorus_slag", "lithium_slag"} <= set(
        r.loc["concrete_scm", "accepts"]
    )


def test_hydrogen_grades_and_polysilicon():
    g = _data("hydrogen_grades.csv")
    assert set(g.index) == {"industrial", "pure", "high_purity", "ultra_pure", "fuel_cell"}
    purity = g["min_purity"].astype(float)
    assert purity["pure"] == pytest.approx(0.9999)
    assert purity["high_purity"] == pytest.approx(0.99999)
    assert purity["ultra_pure"] == pytest.approx(0.999999)
    assert purity["fuel_cell"] == pytest.approx(0.9997)
    assert purity["industrial"] < purity["fuel_cell"] < purity["pure"] < purity["high_purity"]
    assert "polysilicon" in g.loc["high_purity", "source"]
    assert (g["source"].str.startswith("http") | g["source"].str.contains("estimate:")).all()


def test_transport_re_estimates(cat):
    m = cat.modes
    assert m.loc["rail", "handling_cny_per_t"] == 70  # both-end trucking and loading
    assert m.loc["rail", "sided_handling_cny_per_t"] == 25  # both plants have a siding
    assert 300 <= m.loc["rail", "reach_km"] <= 400
    assert m.loc["hot_water_pipe", "loss_per_km"] == pytest.approx(0.002)
    h2 = m.loc["hydrogen_pipeline"]
    # a 1.3 km in-park line: fixed ≈0.3 M CNY/a, cheaper than tube trailers for 1,000 t/a
    line = h2["fixed_cny_per_a"] + h2["fixed_cny_per_km_a"] * 1.3 + h2["handling_cny_per_t"] * 1000
    trailer = (
        m.loc["tube_trailer", "cost_cny_per_tkm"] * 1.3
        + m.loc["tube_trailer", "handling_cny_per_t"]
    ) * 1000
    assert line == pytest.approx(100_000 + 195_000 + 200_000)
    assert line < trailer
    assert m["sided_handling_cny_per_t"].drop("rail").isna().all()
