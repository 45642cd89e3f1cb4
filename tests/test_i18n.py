"""The one name lookup (parkflow.i18n.Names) and the sector table."""

from __future__ import annotations

import dataclasses

import pytest
from _maps_hand import hand_result, hand_scenario

from parkflow.i18n import Names, family_name, sector_colours, sector_family, sector_name


def test_names_come_from_the_scenario_and_its_catalogue():
    sc = hand_scenario()
    zh, en = Names("zh", sc), Names("en", sc)
    assert zh.ent("E1") == "电厂 Power"
    assert zh.ent("E9") == "E9"
    assert zh.park_name("P1") == "五通桥园区"
    assert zh.park_name("P3") == "P3"
    assert zh.material("fly_ash") == "粉煤灰"
    assert en.material("fly_ash").lower() == "fly ash"
    assert zh.sector("E2") == "水泥"
    assert en.sector("E9") == ""
    assert zh.scope("park", "P1") == "五通桥园区"
    assert zh.scope("enterprise", "E1") == "电厂 Power"
    assert zh.scope("all", "") == "全情景合计"
    assert en.scope_type("park") == "Park"


def test_catalogue_names_win_then_labels_then_the_id():
    sc = hand_scenario()
    mats = sc.catalogue.materials.copy()
    mats.loc["fly_ash", "name_en"] = "PFA"
    mats.loc["steel_slag", "name_en"] = float("nan")  # no name: the label's
    sc = sc.replace(catalogue=dataclasses.replace(sc.catalogue, materials=mats))
    en = Names("en", sc)
    assert en.material("fly_ash") == "PFA"
    assert en.material("steel_slag") == "Steel slag"
    assert en.material("moon_dust") == "moon_dust"
    assert Names("en").route("road_base") == "Road base"  # no catalogue: labels
    assert Names("zh").category("bulk_total") == "大宗工业固体废物合计"


def test_parks_of_enterprises_from_a_result_without_scenario():
    names = Names("en", sources=hand_result().sources)
    assert names.enterprise_park["E3"] == "P2"
    assert names.ent("E3") == "E3"


def test_merged_names_take_both_scenarios():
    a, b = hand_scenario(), hand_scenario()
    ent = b.enterprises.copy()
    ent.loc["E1", "name"] = "new power"
    ent = ent.rename(index={"E4": "E5"})
    merged = Names("en", a).merged(Names("en", b.replace(enterprises=ent)))
    assert merged.ent("E1") == "new power"
    assert merged.ent("E4") == "钢厂 Steel"
    assert merged.ent("E5") == "钢厂 Steel"


def test_unsupported_language_is_refused():
    with pytest.raises(ValueError, match="not supported"):
        Names("fr")


def test_sector_table_names_families_and_colours():
    assert sector_name("cement", "en") == "Cement"
    assert sector_family("cement") == "building_materials"
    assert sector_family("coke_oven_gas") == "other"
    assert family_name("other", "zh") == "其他"
    assert list(sector_colours(["coal_power", "cement"])) == ["cement", "coal_power"]
