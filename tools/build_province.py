"""Build the bundled scenario ``scenarios/sichuan-province`` — deterministic and seeded.

Thirteen real Sichuan parks (``tools/data/sichuan_parks.csv``, a copy of
shared/data/sichuan_parks.csv, docs/sources.md 44) each get a *recipe*: which plant types the park
holds and how many (from the park's main industries in that file). Every plant is then drawn
with a seeded generator:

* position: the park point plus a normal offset (σ = 1.5 km), clipped to 4 km;
* size: log-uniform between the sector's ``size_low`` and ``size_high`` (:data:`SECTORS`);
* quantities: size × the sector's coefficients (:data:`STREAMS`), rounded to three significant
  figures. The coefficients come from docs/sources.md where it has one (PG 4.8 t/t P2O5, steel slag
  12 % of steel, Ti-gypsum 5 t/t TiO2, 25.2 kg H2/t NaOH, gypsum retarder 5 % of cement,
  admixture ≤ 20 % of cement for P·O, …) and are marked as estimates otherwise; each row's
  ``note`` column says which. (The notes still cite DOMAIN §n, the team's fact sheet: they are
  written into the bundled scenario, whose bytes tests/test_bundled.py pins; the items of
  docs/sources.md hold the same facts.)

The same seed gives the same files byte for byte. Usage::

    python tools/build_province.py                 # writes scenarios/sichuan-province/
    python tools/build_province.py --seed 7 --out /tmp/province-7

The script only needs numpy and pandas (plus ``tools/park_geojson.py`` for the park polygons).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from park_geojson import KM_PER_DEG_LAT, park_feature, park_table  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "scenarios" / "sichuan-province"
DEFAULT_SEED = 2025


@dataclass(frozen=True)
class Sector:
    """A plant type: Chinese label, size unit and the log-uniform size range."""

    label_zh: str
    size_unit: str
    size_low: float
    size_high: float


#: Plant types. Sizes are estimates unless the note in :data:`STREAMS` says otherwise.
SECTORS: dict[str, Sector] = {
    "vti_ironmaking": Sector("钒钛炼铁厂", "t iron/a", 1.5e6, 3.0e6),
    "ironmaking": Sector("炼铁厂", "t iron/a", 1.0e6, 2.0e6),
    "steelmaking": Sector("炼钢厂", "t crude steel/a", 1.0e6, 3.0e6),
    "coking": Sector("焦化厂", "t coke/a", 0.8e6, 2.0e6),
    "sintering": Sector("烧结厂", "t sinter/a", 2.0e6, 6.0e6),
    "tio2_sulphate": Sector("硫酸法钛白粉厂", "t TiO2/a", 20e3, 80e3),
    "phosphate": Sector("磷化工厂", "t P2O5/a", 50e3, 200e3),
    "yellow_phosphorus": Sector("黄磷厂", "t P4/a", 10e3, 30e3),
    "lithium_salt": Sector("锂盐厂(锂辉石硫酸法)", "t LCE/a", 15e3, 40e3),
    "coal_power": Sector("燃煤热电厂", "t coal/a", 0.3e6, 1.5e6),
    "coal_mine": Sector("煤矿", "t raw coal/a", 0.5e6, 1.5e6),
    "metal_mine": Sector("钒钛磁铁矿选矿厂", "t ore/a", 3e6, 8e6),
    "chlor_alkali": Sector("离子膜烧碱厂", "t NaOH/a", 100e3, 300e3),
    "pvc_carbide": Sector("电石法PVC厂", "t PVC/a", 100e3, 300e3),
    "polysilicon": Sector("多晶硅厂", "t Si/a", 20e3, 60e3),
    "carbon_black": Sector("导电炭黑厂", "t H2/a", 5.5e3, 5.5e3),
    "ammonia": Sector("合成氨/甲醇厂", "t NH3/a", 150e3, 450e3),
    "refinery": Sector("炼油厂", "t crude/a", 10e6, 10e6),
    "cracker": Sector("乙烯裂解装置", "t ethylene/a", 0.8e6, 0.8e6),
    "cement": Sector("水泥厂", "t cement/a", 1.0e6, 3.0e6),
    "cement_grinding": Sector("水泥粉磨站", "t cement/a", 0.5e6, 1.0e6),
    "gypsum_board": Sector("石膏板/建筑石膏厂", "t gypsum/a", 150e3, 500e3),
    "brick_works": Sector("新型墙材厂", "t by-product/a", 40e3, 150e3),
    "road_contractor": Sector("道路基层拌合站", "t by-product/a", 50e3, 250e3),
    "slag_processing": Sector("冶金渣骨料厂", "t slag/a", 0.4e6, 0.7e6),
    "ready_mix": Sector("商品混凝土站", "m3 concrete/a", 0.2e6, 0.5e6),
    "steam_user": Sector("蒸汽用户", "GJ/a", 50e3, 300e3),
    "hydrogen_station": Sector("加氢站", "t H2/a", 100.0, 600.0),
    "orc": Sector("余热ORC电站", "GJ/a", 100e3, 200e3),
}

#: Sectors whose plants have their own rail siding (enterprises.csv ``rail_siding``): the big
#: bulk plants of a Sichuan park (estimate). Rail between two sided plants pays the mode's
#: ``sided_handling_cny_per_t``, otherwise trucking and loading at both ends
#: (``handling_cny_per_t``, docs/sources.md 25; docs/catalogue.md, transport).
RAIL_SIDINGS: frozenset[str] = frozenset(
    {
        "vti_ironmaking",
        "ironmaking",
        "steelmaking",
        "coking",
        "sintering",
        "coal_power",
        "cement",
        "phosphate",
        "pvc_carbide",
        "refinery",
    }
)

#: Streams per unit of plant size: (sector, kind, item, coefficient, temperature_c or min_temp,
#: purity or min_purity, note). kind: supply (item = material), use (item = route),
#: stock (item = material; coefficient = years of generation held). "docs/sources.md n" is the
#: numbered item of that page, where the coefficient's URL is; everything else says "estimate".
#: Solids are on the basis stated in the note (dry unless "wet").
STREAMS: list[tuple[str, str, str, float, float, float, str]] = [
    (
        "vti_ironmaking",
        "supply",
        "vti_slag",
        0.55,
        np.nan,
        np.nan,
        "0.55 t dry high-Ti slag/t iron (derived: +3-4 Mt/a slag from ~6.5 Mt iron, "
        "docs/sources.md 17), as in scenarios/panzhihua-vti",
    ),
    (
        "vti_ironmaking",
        "stock",
        "vti_slag",
        10.0,
        np.nan,
        np.nan,
        "ten years of slag in the valley slag field (estimate; Panzhihua stock 60-70 Mt, "
        "docs/sources.md 17)",
    ),
    (
        "vti_ironmaking",
        "supply",
        "waste_heat",
        0.08,
        250.0,
        np.nan,
        "hot-stove flue gas 0.08 GJ/t iron (estimate)",
    ),
    (
        "ironmaking",
        "supply",
        "bf_slag",
        0.35,
        np.nan,
        np.nan,
        "0.35 t dry BF slag/t hot metal (269.9 Mt / 771 Mt in 2018, docs/sources.md 21)",
    ),
    (
        "steelmaking",
        "supply",
        "steel_slag",
        0.135,
        np.nan,
        np.nan,
        "13.5 % of crude steel, dry (12-15 %, docs/sources.md 19 and 21)",
    ),
    (
        "steelmaking",
        "supply",
        "waste_heat",
        0.05,
        300.0,
        np.nan,
        "converter-gas cooling 0.05 GJ/t steel (estimate)",
    ),
    (
        "coking",
        "supply",
        "hydrogen",
        0.00208,
        np.nan,
        0.995,
        "420 Nm3 COG/t coke (estimate) × 55 % H2 (docs/sources.md 47) × 10 % surplus (estimate) "
        "× 0.0899 kg/Nm3 = 2.08 kg/t; burnt as fuel today (≈98 % of COG used, docs/sources.md 11)",
    ),
    (
        "sintering",
        "use",
        "sinter_feed",
        0.02,
        np.nan,
        np.nan,
        "≈2 % steel slag in sinter (P and S limits, docs/sources.md 19; estimate)",
    ),
    (
        "sintering",
        "supply",
        "waste_heat",
        0.075,
        350.0,
        np.nan,
        "sinter-cooler exhaust 0.075 GJ/t (estimate)",
    ),
    (
        "tio2_sulphate",
        "supply",
        "titanium_gypsum",
        9.0,
        np.nan,
        np.nan,
        "9 t wet Ti-gypsum/t sulphate-route TiO2 (31.2 Mt / 3.468 Mt in 2023, docs/sources.md 16); "
        "wet as filtered (20-50 % water)",
    ),
    (
        "tio2_sulphate",
        "stock",
        "titanium_gypsum",
        3.0,
        np.nan,
        np.nan,
        "three years of Ti-gypsum in the stack (estimate)",
    ),
    ("tio2_sulphate", "use", "process_steam", 4.0, np.nan, np.nan, "4 GJ steam/t TiO2 (estimate)"),
    (
        "phosphate",
        "supply",
        "phosphogypsum",
        4.8,
        np.nan,
        np.nan,
        "4.8 t dry PG/t P2O5 (4.5-5.0, docs/sources.md 15)",
    ),
    (
        "phosphate",
        "stock",
        "phosphogypsum",
        5.0,
        np.nan,
        np.nan,
        "five years of PG in the stack (estimate)",
    ),
    (
        "phosphate",
        "supply",
        "waste_heat",
        2.8,
        420.0,
        np.nan,
        "sulphuric-acid steam: 2.8 t H2SO4/t P2O5 × 1 GJ/t surplus (estimate)",
    ),
    (
        "yellow_phosphorus",
        "supply",
        "phosphorus_slag",
        9.0,
        np.nan,
        np.nan,
        "≈9 t granulated slag/t P4 (8-10, estimate from memory, docs/sources.md, estimates)",
    ),
    (
        "lithium_salt",
        "supply",
        "lithium_slag",
        9.0,
        np.nan,
        np.nan,
        "≈9 t wet lithium slag/t LCE from spodumene (8-10, estimate from memory; the Sichuan "
        "plan names 锂渣, docs/sources.md 13)",
    ),
    (
        "coal_power",
        "supply",
        "fly_ash",
        0.16,
        np.nan,
        np.nan,
        "20 % ash × 80 % fly ash per t coal (estimate), dry",
    ),
    (
        "coal_power",
        "supply",
        "bottom_ash",
        0.04,
        np.nan,
        np.nan,
        "20 % ash × 20 % 炉渣 per t coal (pulverised-coal boiler, docs/sources.md 23; ash content "
        "estimate), dry",
    ),
    (
        "coal_power",
        "supply",
        "fgd_gypsum",
        0.081,
        np.nan,
        np.nan,
        "1.5 % S (estimate) × 5.4 t gypsum/t S per t coal (stoichiometric, derived)",
    ),
    (
        "coal_power",
        "supply",
        "waste_heat",
        0.3,
        130.0,
        np.nan,
        "condenser/extraction low-grade heat 0.3 GJ/t coal (estimate)",
    ),
    (
        "coal_mine",
        "supply",
        "coal_gangue",
        0.15,
        np.nan,
        np.nan,
        "gangue 15 % of raw coal (10-20 %, estimate)",
    ),
    (
        "coal_mine",
        "stock",
        "coal_gangue",
        2.0,
        np.nan,
        np.nan,
        "two years of gangue in the dump (estimate)",
    ),
    (
        "coal_mine",
        "use",
        "mine_backfill",
        0.08,
        np.nan,
        np.nan,
        "backfill of worked-out areas 0.08 t/t coal (estimate)",
    ),
    (
        "metal_mine",
        "supply",
        "tailings",
        0.6,
        np.nan,
        np.nan,
        "tailings 60 % of ore (estimate); excluded from the Sichuan target (docs/sources.md 4)",
    ),
    (
        "metal_mine",
        "use",
        "mine_backfill",
        0.05,
        np.nan,
        np.nan,
        "pit and dump restoration 0.05 t/t ore (estimate)",
    ),
    (
        "chlor_alkali",
        "supply",
        "hydrogen",
        0.0202,
        np.nan,
        0.999,
        "25.2 kg H2/t NaOH (docs/sources.md 48, derived) × 80 % not used in-house (estimate)",
    ),
    (
        "chlor_alkali",
        "use",
        "process_steam",
        2.5,
        np.nan,
        np.nan,
        "caustic evaporation 2.5 GJ/t NaOH (estimate)",
    ),
    (
        "pvc_carbide",
        "supply",
        "carbide_slag",
        1.75,
        np.nan,
        np.nan,
        "1.75 t dry carbide slag/t PVC (1.6-1.9: 1.4-1.6 t carbide/t PVC × ≈1.15 t Ca(OH)2/t "
        "carbide, docs/sources.md 22)",
    ),
    (
        "pvc_carbide",
        "supply",
        "hydrogen",
        0.0076,
        np.nan,
        0.999,
        "0.8 t NaOH/t PVC × 25.2 kg/t (docs/sources.md 48) × 30 % surplus after HCl synthesis "
        "(estimate)",
    ),
    (
        "polysilicon",
        "use",
        "hydrogen_feedstock",
        0.03,
        np.nan,
        0.99999,
        "H2 make-up 30 kg/t Si (estimate) at ≥ 99.999 % (high-purity grade, GB/T 3634.2; "
        "docs/sources.md, estimates)",
    ),
    (
        "polysilicon",
        "use",
        "process_steam",
        15.0,
        np.nan,
        np.nan,
        "distillation steam 15 GJ/t Si (estimate)",
    ),
    (
        "polysilicon",
        "supply",
        "waste_heat",
        6.0,
        150.0,
        np.nan,
        "reduction-furnace jacket water 6 GJ/t Si (estimate)",
    ),
    (
        "carbon_black",
        "supply",
        "hydrogen",
        1.0,
        np.nan,
        0.999,
        "Zigong carbon-black tail-gas H2 project 5,500 t/a (docs/sources.md 46); the tail gas is "
        "burnt in the plant's boilers today (estimate)",
    ),
    (
        "ammonia",
        "use",
        "hydrogen_feedstock",
        0.0178,
        np.nan,
        np.nan,
        "178 kg H2/t NH3 (docs/sources.md 48, derived) × 10 % displaceable by by-product H2 "
        "(estimate)",
    ),
    (
        "ammonia",
        "supply",
        "waste_heat",
        0.5,
        200.0,
        np.nan,
        "synthesis-loop and reformer heat 0.5 GJ/t NH3 (estimate)",
    ),
    (
        "refinery",
        "use",
        "hydrogen_feedstock",
        0.003,
        np.nan,
        0.99,
        "hydrotreating 3 kg H2/t crude beyond the reformer's (estimate)",
    ),
    (
        "refinery",
        "supply",
        "waste_heat",
        0.05,
        250.0,
        np.nan,
        "flue-gas heat 0.05 GJ/t crude (estimate)",
    ),
    (
        "cracker",
        "supply",
        "hydrogen",
        0.01,
        np.nan,
        0.95,
        "cracker off-gas H2 1 % of ethylene, 95 % pure (estimate); in the fuel-gas system today",
    ),
    (
        "cement",
        "use",
        "cement_retarder",
        0.05,
        np.nan,
        np.nan,
        "gypsum 5 % of cement (3-6 %, docs/sources.md 49)",
    ),
    (
        "cement",
        "use",
        "cement_admixture",
        0.2,
        np.nan,
        np.nan,
        "admixture 20 % of cement (P·O ≤ 20 %, GB 175, docs/sources.md 20)",
    ),
    (
        "cement",
        "use",
        "cement_raw_meal",
        0.06,
        np.nan,
        np.nan,
        "corrective raw materials 6 % of cement (estimate)",
    ),
    (
        "cement",
        "use",
        "calcium_substitute",
        0.03,
        np.nan,
        np.nan,
        "carbide slag for 3 % of the cement's calcium (estimate)",
    ),
    (
        "cement",
        "supply",
        "waste_heat",
        0.4,
        330.0,
        np.nan,
        "preheater/cooler heat 0.5 GJ/t clinker ≈ 0.4 GJ/t cement (estimate; 320-350 °C, "
        "docs/sources.md 34)",
    ),
    (
        "cement_grinding",
        "use",
        "cement_retarder",
        0.05,
        np.nan,
        np.nan,
        "gypsum 5 % of cement (docs/sources.md 49)",
    ),
    (
        "cement_grinding",
        "use",
        "cement_admixture",
        0.15,
        np.nan,
        np.nan,
        "admixture 15 % of cement (P·O 5-20 %, GB 175, docs/sources.md 20)",
    ),
    ("gypsum_board", "use", "gypsum_board", 1.0, np.nan, np.nan, "gypsum intake (estimate)"),
    ("brick_works", "use", "bricks", 1.0, np.nan, np.nan, "by-product intake (estimate)"),
    ("road_contractor", "use", "road_base", 1.0, np.nan, np.nan, "by-product intake (estimate)"),
    (
        "slag_processing",
        "use",
        "road_base",
        1.0,
        np.nan,
        np.nan,
        "slag crushed to aggregate and sand, the commercial low-value use of high-Ti slag "
        "(docs/sources.md 17); capacity estimate",
    ),
    (
        "ready_mix",
        "use",
        "cement_admixture",
        0.075,
        np.nan,
        np.nan,
        "75 kg fly ash or slag powder per m3 concrete (estimate)",
    ),
    (
        "ready_mix",
        "use",
        "concrete_scm",
        0.03,
        np.nan,
        np.nan,
        "30 kg steel-slag, phosphorus-slag or lithium-slag powder per m3 concrete (estimate)",
    ),
    ("steam_user", "use", "process_steam", 1.0, np.nan, np.nan, "steam demand (estimate)"),
    (
        "hydrogen_station",
        "use",
        "fuel_cell_hydrogen",
        1.0,
        np.nan,
        np.nan,
        "fuel-cell vehicle demand (estimate)",
    ),
    ("orc", "use", "orc_power", 1.0, np.nan, np.nan, "ORC heat intake (estimate)"),
]

#: Today's fate of each supply (supplies.csv ``fate``; docs/model.md, fates). Solids not named
#: here are ``stored`` in a compliant yard or stack (the stacks of PG, Ti-gypsum and high-Ti slag
#: included); heat is ``wasted`` (left empty: the format-2 default). Hydrogen: coke-oven gas,
#: carbon-black tail gas and cracker off-gas are burnt as fuel (docs/sources.md 11); chlor-alkali
#: surplus hydrogen is split into the ≈80 % burnt in boilers and the ≈20 % vented
#: (docs/sources.md 10) — two rows of one plant.
HYDROGEN_FATES: dict[str, list[tuple[str, float]]] = {
    "coking": [("fuel", 1.0)],
    "carbon_black": [("fuel", 1.0)],
    "cracker": [("fuel", 1.0)],
    "chlor_alkali": [("fuel", 0.8), ("vented", 0.2)],
    "pvc_carbide": [("fuel", 0.8), ("vented", 0.2)],
}

#: Share of each material's generation utilised today, per plant: by the existing links at their
#: ``baseline_quantity`` plus, for the rest, ``utilised_outside`` (buyers outside the 13 parks).
#: The shares are the published rates where there is one (docs/calibration.md; the source in
#: the text), estimates otherwise. They set the scenario's before rate per material.
TODAY_SHARE: dict[str, tuple[float, str]] = {
    "fly_ash": (0.85, "Sichuan slag and ash ≈85 % in 2022, docs/sources.md 5"),
    "bottom_ash": (
        0.80,
        "炉渣 a little below fly ash (estimate; Sichuan ≈85 %, docs/sources.md 5)",
    ),
    "steel_slag": (0.97, "key steel mills 97-98 % (CISA, docs/sources.md 53)"),
    "bf_slag": (
        0.95,
        "BF slag > 80 % nationally, nearly all at a mill with a slag-powder buyer "
        "(docs/sources.md 18; estimate)",
    ),
    "vti_slag": (
        0.36,
        "the same share as scenarios/panzhihua-vti: aggregate and sand only "
        "(docs/sources.md 17; estimate)",
    ),
    "carbide_slag": (0.90, "cement kilns and sorbent buyers (docs/sources.md 22 and 45; estimate)"),
    "coal_gangue": (0.70, "national 2019 70 % (docs/sources.md 2)"),
    "phosphogypsum": (0.46, "national 2021 45.6 % (docs/sources.md 15; no Sichuan figure found)"),
    "titanium_gypsum": (0.07, "national < 10 % (docs/sources.md 16)"),
    "fgd_gypsum": (
        0.75,
        "by-product gypsum 70 % nationally in 2019 (docs/sources.md 2); FGD "
        "gypsum above the PG-dominated average (estimate)",
    ),
    "phosphorus_slag": (0.50, "estimate: part sold as concrete admixture powder"),
    "lithium_slag": (
        0.30,
        "estimate: lithium slag is new and mostly stacked; the Sichuan plan "
        "asks for its full 消纳 (docs/sources.md 13)",
    ),
}

#: Share of each in-park use's capacity that today's buyers hold (estimate): the existing links
#: of :func:`_existing_links` fill uses up to this share, the rest is free for new links.
TODAY_CAPACITY_SHARE = 0.7

#: Existing links, per park: (from sector, to sector, material, route, share of the supply that
#: flows today, note). The first plant of each sector is used; a park without both sectors gets
#: no such link. ``baseline_quantity`` = min(share × generation, the use's capacity left).
EXISTING: list[tuple[str, str, str, str, float, str]] = [
    (
        "vti_ironmaking",
        "slag_processing",
        "vti_slag",
        "road_base",
        0.27,
        "high-Ti slag → aggregate and sand (docs/sources.md 17); 27 % of the slag as in "
        "scenarios/panzhihua-vti",
    ),
    (
        "steelmaking",
        "sintering",
        "steel_slag",
        "sinter_feed",
        0.28,
        "steel slag → sinter (docs/sources.md 19)",
    ),
    (
        "pvc_carbide",
        "cement",
        "carbide_slag",
        "calcium_substitute",
        0.6,
        "carbide slag → the park's cement plant (as Yongxiang in Wutongqiao, docs/sources.md 45)",
    ),
    (
        "phosphate",
        "gypsum_board",
        "phosphogypsum",
        "gypsum_board",
        0.35,
        "PG → the park's board or plaster plant (as Taishan Gypsum in Shifang, docs/sources.md 33)",
    ),
    (
        "coal_power",
        "cement",
        "fly_ash",
        "cement_admixture",
        0.5,
        "fly ash → the park's cement plant (as Fuhua → Yongxiang, docs/sources.md 45)",
    ),
]

#: Park recipes: sector -> number of plants, from the main industries in sichuan_parks.csv.
RECIPES: dict[str, dict[str, int]] = {
    "PZH-VTHT": {
        "vti_ironmaking": 1,
        "steelmaking": 1,
        "coking": 1,
        "sintering": 1,
        "tio2_sulphate": 3,
        "coal_power": 1,
        "metal_mine": 1,
        "cement": 2,
        "cement_grinding": 1,
        "road_contractor": 1,
        "slag_processing": 1,
        "brick_works": 1,
        "ready_mix": 1,
        "gypsum_board": 1,
        "hydrogen_station": 1,
        "steam_user": 1,
        "orc": 1,
    },
    "XC-VT": {
        "vti_ironmaking": 1,
        "steelmaking": 1,
        "coking": 1,
        "sintering": 1,
        "metal_mine": 1,
        "coal_power": 1,
        "cement": 1,
        "road_contractor": 1,
        "slag_processing": 1,
        "brick_works": 1,
        "ready_mix": 1,
        "steam_user": 1,
    },
    "DY-SF": {
        "phosphate": 2,
        "gypsum_board": 2,
        "cement": 1,
        "coal_power": 1,
        "road_contractor": 1,
        "brick_works": 1,
        "ready_mix": 1,
        "steam_user": 2,
    },
    "DY-MZ": {
        "phosphate": 2,
        "tio2_sulphate": 1,
        "cement": 1,
        "gypsum_board": 1,
        "brick_works": 1,
        "road_contractor": 1,
        "steam_user": 2,
        "coal_power": 1,
    },
    "LS-WTQ": {
        "pvc_carbide": 1,
        "chlor_alkali": 1,
        "polysilicon": 1,
        "cement": 2,
        "coal_power": 2,
        "ammonia": 1,
        "brick_works": 1,
        "road_contractor": 1,
        "ready_mix": 2,
        "steam_user": 2,
        "hydrogen_station": 1,
        "yellow_phosphorus": 1,
    },
    "LS-HT": {
        "polysilicon": 2,
        "cement_grinding": 1,
        "ready_mix": 1,
        "steam_user": 2,
        "hydrogen_station": 1,
        "coal_power": 1,
        "orc": 1,
    },
    "MS-HT": {
        "steam_user": 3,
        "coal_power": 1,
        "cement": 1,
        "ready_mix": 2,
        "brick_works": 1,
        "gypsum_board": 1,
        "road_contractor": 1,
        "lithium_salt": 1,
    },
    "DZ-HT": {
        "ironmaking": 1,
        "steelmaking": 1,
        "coking": 1,
        "sintering": 1,
        "ammonia": 2,
        "phosphate": 1,
        "coal_power": 1,
        "coal_mine": 1,
        "cement": 1,
        "road_contractor": 1,
        "brick_works": 1,
        "steam_user": 1,
        "ready_mix": 1,
    },
    "YB-LG": {
        "pvc_carbide": 1,
        "chlor_alkali": 1,
        "coal_power": 1,
        "cement": 2,
        "steam_user": 3,
        "ready_mix": 2,
        "brick_works": 1,
        "road_contractor": 1,
        "hydrogen_station": 1,
        "lithium_salt": 1,
    },
    "ZG-HT": {
        "carbon_black": 1,
        "chlor_alkali": 1,
        "hydrogen_station": 2,
        "cement": 1,
        "steam_user": 2,
        "ready_mix": 1,
        "brick_works": 1,
        "coal_power": 1,
    },
    "LZ-NX": {
        "ammonia": 2,
        "coal_power": 1,
        "cement": 1,
        "steam_user": 2,
        "ready_mix": 1,
        "road_contractor": 1,
        "brick_works": 1,
    },
    "CD-PZ": {
        "refinery": 1,
        "cracker": 1,
        "steam_user": 3,
        "ready_mix": 2,
        "cement_grinding": 1,
        "hydrogen_station": 2,
        "gypsum_board": 1,
    },
    "GA-ETDZ": {
        "coal_power": 2,
        "coal_mine": 2,
        "cement": 2,
        "brick_works": 2,
        "road_contractor": 1,
        "gypsum_board": 1,
        "steam_user": 2,
        "ready_mix": 1,
    },
}

#: Short Chinese place names for plant names.
PLACE_ZH: dict[str, str] = {
    "PZH-VTHT": "攀枝花",
    "XC-VT": "西昌",
    "DY-SF": "什邡",
    "DY-MZ": "绵竹",
    "LS-WTQ": "五通桥",
    "LS-HT": "乐山高新区",
    "MS-HT": "眉山",
    "DZ-HT": "达州",
    "YB-LG": "宜宾临港",
    "ZG-HT": "自贡",
    "LZ-NX": "泸州纳溪",
    "CD-PZ": "彭州",
    "GA-ETDZ": "广安",
}

MAX_OFFSET_KM = 4.0
SIGMA_KM = 1.5


def _round_sig(values: np.ndarray, digits: int = 3) -> np.ndarray:
    """Round to ``digits`` significant figures (zeros stay zero)."""
    values = np.asarray(values, dtype=float)
    mags = np.where(values == 0, 0, np.floor(np.log10(np.abs(np.where(values == 0, 1, values)))))
    scale = 10.0 ** (digits - 1 - mags)
    return np.round(values * scale) / scale


def build_enterprises(seed: int = DEFAULT_SEED) -> pd.DataFrame:
    """Draw every plant of every park: id, name, park, sector, lon, lat, city, size, size_unit."""
    rng = np.random.default_rng(seed)
    parks = park_table()
    rows = []
    for park_id, recipe in RECIPES.items():
        park = parks.loc[park_id]
        for sector, count in recipe.items():
            for k in range(count):
                rows.append((park_id, sector, k + 1, park["lon"], park["lat"], park["city"]))
    ent = pd.DataFrame(rows, columns=["park", "sector", "k", "park_lon", "park_lat", "city"])
    n = len(ent)
    offsets_km = rng.normal(0.0, SIGMA_KM, size=(n, 2))
    norm = np.hypot(offsets_km[:, 0], offsets_km[:, 1])
    offsets_km *= np.minimum(1.0, MAX_OFFSET_KM / np.maximum(norm, 1e-9))[:, None]
    km_per_deg_lon = KM_PER_DEG_LAT * np.cos(np.radians(ent["park_lat"].to_numpy()))
    ent["lon"] = np.round(ent["park_lon"].to_numpy() + offsets_km[:, 0] / km_per_deg_lon, 5)
    ent["lat"] = np.round(ent["park_lat"].to_numpy() + offsets_km[:, 1] / KM_PER_DEG_LAT, 5)
    low = ent["sector"].map(lambda s: SECTORS[s].size_low).to_numpy(dtype=float)
    high = ent["sector"].map(lambda s: SECTORS[s].size_high).to_numpy(dtype=float)
    ent["size"] = _round_sig(np.exp(rng.uniform(np.log(low), np.log(high))))
    ent["size_unit"] = ent["sector"].map(lambda s: SECTORS[s].size_unit)
    ent["id"] = [f"P{i + 1:03d}" for i in range(n)]
    ent["name"] = (
        ent["park"].map(PLACE_ZH)
        + ent["sector"].map(lambda s: SECTORS[s].label_zh)
        + ent["k"].astype(str)
        + "号(示例)"
    )
    ent["rail_siding"] = ent["sector"].isin(RAIL_SIDINGS)
    ent["note"] = (
        "synthetic plant (tools/build_province.py, seed "
        + str(seed)
        + "): size "
        + ent["size"].map(lambda v: f"{v:,.0f}")
        + " "
        + ent["size_unit"]
        + " drawn log-uniform (estimate)"
    )
    return ent[
        [
            "id",
            "name",
            "park",
            "sector",
            "lon",
            "lat",
            "city",
            "rail_siding",
            "size",
            "size_unit",
            "note",
            "k",
        ]
    ]


def _streams(ent: pd.DataFrame, kind: str) -> pd.DataFrame:
    """Join plants with their sector's streams of one kind and compute the quantities."""
    table = pd.DataFrame(
        STREAMS, columns=["sector", "kind", "item", "coef", "temperature_c", "purity", "basis"]
    )
    table = table[table["kind"] == kind]
    out = ent.merge(table, on="sector", how="inner", sort=False)
    out = out.sort_values(["id", "item"], kind="stable").reset_index(drop=True)
    out["quantity"] = _round_sig(out["size"].to_numpy() * out["coef"].to_numpy())
    out["note"] = (
        out["basis"] + "; size " + out["size"].map(lambda v: f"{v:,.0f}") + " " + out["size_unit"]
    )
    return out


def _split_hydrogen(sup: pd.DataFrame) -> pd.DataFrame:
    """One row per (plant, material, fate): hydrogen split by :data:`HYDROGEN_FATES`."""
    rows = []
    for _, row in sup.iterrows():
        if row["item"] != "hydrogen":
            row = row.copy()
            row["fate"] = "" if row["item"] == "waste_heat" else "stored"
            rows.append(row)
            continue
        shares = HYDROGEN_FATES[row["sector"]]
        for fate, share in shares:
            part = row.copy()
            part["fate"] = fate
            part["quantity"] = float(_round_sig(np.array([row["quantity"] * share]))[0])
            if len(shares) > 1:
                part["note"] = (
                    f"{share:.0%} of the plant's surplus, {fate} today (docs/sources.md 10); "
                    + row["note"]
                )
            else:
                part["note"] = f"{fate} today (docs/sources.md 11); " + row["note"]
            rows.append(part)
    return pd.DataFrame(rows).reset_index(drop=True)


def _route_table() -> tuple[dict[str, set[str]], set[tuple[str, str]]]:
    """Materials each catalogue route accepts, and the (route, material) pairs that are safe
    disposal (无害化处置, not 综合利用: PG and Ti-gypsum backfill), from parkflow/data."""
    data = ROOT / "parkflow" / "data"
    routes = pd.read_csv(data / "routes.csv")
    accepts = {
        r: set(str(a).split(";")) for r, a in zip(routes["id"], routes["accepts"], strict=True)
    }
    classes = pd.read_csv(data / "route_classes.csv")
    safe = classes[classes["class"] == "safe_disposal"]
    return accepts, set(zip(safe["route"], safe["material"], strict=True))


def _existing_links(ent: pd.DataFrame, sup: pd.DataFrame, use: pd.DataFrame) -> pd.DataFrame:
    """Today's links with their ``baseline_quantity`` (t/a).

    First the named couplings of :data:`EXISTING`; then each solid supply's remaining
    :data:`TODAY_SHARE` goes to the nearest uses in its own park that accept it (utilisation
    routes only), each taking at most :data:`TODAY_CAPACITY_SHARE` of its capacity: today's
    buyers inside the park hold that capacity, so the optimiser cannot count it twice. What is
    left of the share is ``utilised_outside`` (:func:`build_tables`).
    """
    first = ent[ent["k"] == 1].set_index(["park", "sector"])["id"]
    generation = sup.groupby(["id", "item"])["quantity"].sum()
    capacity = use.set_index(["id", "item"])["quantity"].astype(float)
    capacity_left = capacity.to_dict()
    rows = []
    for park in RECIPES:
        for src, dst, material, route, share, note in EXISTING:
            if (park, src) not in first.index or (park, dst) not in first.index:
                continue
            a, b = first[(park, src)], first[(park, dst)]
            wanted = share * float(generation[(a, material)])
            base = float(_round_sig(np.array([min(wanted, capacity_left[(b, route)])]))[0])
            capacity_left[(b, route)] -= base
            rows.append((a, b, material, route, "truck", True, base, note))
    sent = pd.DataFrame(rows, columns=["a", "b", "m", "r", "mode", "e", "q", "n"])
    sent = sent.groupby(["a", "m"])["q"].sum()

    accepts, safe = _route_table()
    where = ent.set_index("id")[["park", "lon", "lat"]]
    held = {key: (1.0 - TODAY_CAPACITY_SHARE) * cap for key, cap in capacity.items()}
    for (sid, material), gen in generation.items():
        if material not in TODAY_SHARE:
            continue
        left = TODAY_SHARE[material][0] * gen - float(sent.get((sid, material), 0.0))
        if left <= 0:
            continue
        park, lon, lat = where.loc[sid]
        cands = use[
            (use["park"] == park)
            & use["item"].map(lambda r, m=material: m in accepts.get(r, set()))
            & ~use["item"].map(lambda r, m=material: (r, m) in safe)
        ]
        if cands.empty:
            continue
        dist = np.hypot(
            (cands["lon"] - lon) * np.cos(np.radians(lat)), cands["lat"] - lat
        ).to_numpy()
        for pos in np.argsort(dist, kind="stable"):
            uid, route = cands["id"].iloc[pos], cands["item"].iloc[pos]
            free = capacity_left[(uid, route)] - held[(uid, route)]
            base = float(_round_sig(np.array([min(left, free)]))[0])
            if base < 1000.0:
                continue
            capacity_left[(uid, route)] -= base
            left -= base
            rows.append(
                (
                    sid,
                    uid,
                    material,
                    route,
                    "truck",
                    True,
                    base,
                    "today's outlet in the park: the nearest use that accepts it, up to "
                    f"{TODAY_CAPACITY_SHARE:.0%} of its capacity (estimate)",
                )
            )
            if left < 1000.0:
                break
    return pd.DataFrame(
        rows,
        columns=[
            "from",
            "to",
            "material",
            "route",
            "mode",
            "existing",
            "baseline_quantity",
            "note",
        ],
    )


def build_tables(seed: int = DEFAULT_SEED) -> dict[str, pd.DataFrame]:
    """All scenario tables of the province, as DataFrames ready to write."""
    ent = build_enterprises(seed)
    heat = {"waste_heat", "district_heating", "process_steam", "orc_power"}

    sup = _split_hydrogen(_streams(ent, "supply"))
    use = _streams(ent, "use")
    links = _existing_links(ent, sup, use)

    # today's outlets: TODAY_SHARE of each plant's generation is used, by its existing links at
    # baseline first and by buyers outside the scenario for the rest (utilised_outside)
    sent = links.groupby(["from", "material"])["baseline_quantity"].sum()
    outside, notes = [], []
    for _, row in sup.iterrows():
        share = TODAY_SHARE.get(row["item"])
        if share is None:
            outside.append(np.nan)
            notes.append(row["note"])
            continue
        by_link = float(sent.get((row["id"], row["item"]), 0.0))
        rest = max(0.0, share[0] * row["quantity"] - by_link)
        value = float(_round_sig(np.array([rest]))[0])
        outside.append(value)
        notes.append(
            row["note"]
            + f"; used today {share[0]:.0%} ({share[1]}): "
            + (f"{by_link:,.0f} t/a by existing links, " if by_link else "")
            + f"utilised_outside {value:,.0f} t/a; fate {row['fate']}"
        )
    sup["utilised_outside"] = outside
    sup["note"] = notes
    sup["unit"] = np.where(sup["item"] == "waste_heat", "GJ/a", "t/a")
    supplies = sup.rename(columns={"id": "enterprise", "item": "material"})[
        [
            "enterprise",
            "material",
            "quantity",
            "unit",
            "temperature_c",
            "purity",
            "fate",
            "utilised_outside",
            "note",
        ]
    ]

    use["unit"] = np.where(use["item"].isin(heat), "GJ/a", "t/a")
    uses = use.rename(
        columns={
            "id": "enterprise",
            "item": "route",
            "quantity": "capacity",
            "temperature_c": "min_temperature_c",
            "purity": "min_purity",
        }
    )
    uses["value"] = np.nan
    uses = uses[
        [
            "enterprise",
            "route",
            "capacity",
            "unit",
            "min_temperature_c",
            "min_purity",
            "value",
            "note",
        ]
    ]

    stock = _streams(ent, "stock")
    gen = sup.groupby(["id", "item"])["quantity"].sum()
    annual = gen.reindex(pd.MultiIndex.from_arrays([stock["id"], stock["item"]])).to_numpy()
    stock["quantity"] = _round_sig(annual * stock["coef"].to_numpy())
    stock["max_draw"] = _round_sig(0.1 * annual)  # reclaim at most 10 % of a year's output
    stock["unit"] = "t"
    stock["note"] = stock["basis"] + "; reclaim at most 10 % of a year's generation (estimate)"
    stockpiles = stock.rename(columns={"id": "enterprise", "item": "material"})[
        ["enterprise", "material", "quantity", "unit", "max_draw", "note"]
    ]

    enterprises = ent.drop(columns=["k"])
    return {
        "enterprises": enterprises,
        "supplies": supplies,
        "uses": uses,
        "stockpiles": stockpiles,
        "links": links,
    }


SCENARIO_YAML = (
    "# Sichuan province: {n_parks} parks, {n_ent} plants, written by tools/build_province.py "
    "(seed {seed}).\n"
    """\
# Do not edit the CSV files by hand: change the script and run it again (see README.md).
name: Sichuan province 2025
description: >-
  Thirteen Sichuan industrial parks (sichuan_parks.csv) with synthetic but plausible plants, for
  cross-park exchange: cement plants and board, brick and road-base works taking slag, fly ash
  and by-product gypsum from other parks within truck or rail reach.
year: 2025
coordinates: wgs84
operating_hours: 8000
candidates: auto
# today's outlets: existing links keep at least their baseline_quantity (format 2)
existing_flows: keep
targets:
  - id: bulk-2025
    materials: bulk_solid_waste
    exclude: [tailings]
    rate: 0.78
    scope: all
  - id: park-floor-2025
    materials: bulk_solid_waste
    exclude: [tailings]
    rate: 0.60
    scope: each_park
  # one enforced target year: the 2030 target is reported with its gap, not enforced
  - {{id: bulk-2030, materials: bulk_solid_waste, exclude: [tailings], rate: 0.82, scope: all,
     year: 2030}}
# rail door to door (catalogue: both-end handling unless both plants have a siding); here a
# rail contract also costs 300,000 CNY/a per link (wagon lease, station slot; estimate), so that
# a rail haul carries trainloads, and the reach is the low end of the 300-400 km band
modes:
  rail: {{reach_km: 300, fixed_cny_per_a: 300000}}
objective: cost
solver: {{name: highs, time_limit_s: 60, gap: 0.001}}
"""
)


def write_province(out: Path = DEFAULT_OUT, seed: int = DEFAULT_SEED) -> dict[str, pd.DataFrame]:
    """Write the province scenario folder (CSV tables, parks.geojson, scenario.yaml)."""
    tables = build_tables(seed)
    out.mkdir(parents=True, exist_ok=True)
    for name, df in tables.items():
        df.to_csv(
            out / f"{name}.csv",
            index=False,
            encoding="utf-8",
            lineterminator="\n",
            float_format="%.10g",
        )
    parks = park_table()
    ent = tables["enterprises"]
    features = []
    for park_id in RECIPES:
        park = parks.loc[park_id]
        radius_km = (MAX_OFFSET_KM + 1.0) / math.cos(math.pi / 12)
        features.append(park_feature(park_id, park, radius_km))
    geojson = {"type": "FeatureCollection", "features": features}
    (out / "parks.geojson").write_text(
        json.dumps(geojson, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    (out / "scenario.yaml").write_text(
        SCENARIO_YAML.format(n_parks=len(RECIPES), n_ent=len(ent), seed=seed), encoding="utf-8"
    )
    return tables


def main(argv: list[str] | None = None) -> int:
    """Command-line entry: write the province scenario."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    tables = write_province(args.out, args.seed)
    print(f"{args.out}: " + ", ".join(f"{len(df)} {name}" for name, df in tables.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
