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
    "brick_works": Sector("新型墙材厂", "t by-product/a", 60e3, 200e3),
    "road_contractor": Sector("道路基层拌合站", "t by-product/a", 100e3, 400e3),
    "slag_processing": Sector("冶金渣骨料厂", "t slag/a", 0.6e6, 1.5e6),
    "ready_mix": Sector("商品混凝土站", "m3 concrete/a", 0.2e6, 0.5e6),
    "steam_user": Sector("蒸汽用户", "GJ/a", 50e3, 300e3),
    "hydrogen_station": Sector("加氢站", "t H2/a", 100.0, 600.0),
    "orc": Sector("余热ORC电站", "GJ/a", 100e3, 200e3),
}

#: Streams per unit of plant size: (sector, kind, item, coefficient, temperature_c or min_temp,
#: purity or min_purity, note). kind: supply (item = material), use (item = route),
#: stock (item = material; coefficient = years of generation held), link (existing link to the
#: first plant of another sector in the same park: item = "material>route>sector").
STREAMS: list[tuple[str, str, str, float, float, float, str]] = [
    (
        "vti_ironmaking",
        "supply",
        "vti_slag",
        0.55,
        np.nan,
        np.nan,
        "0.55 t high-Ti slag/t iron (derived: +3-4 Mt/a from ~6.5 Mt iron, DOMAIN §3)",
    ),
    (
        "vti_ironmaking",
        "stock",
        "vti_slag",
        10.0,
        np.nan,
        np.nan,
        "ten years of slag in the yard (estimate; Panzhihua stock 60-70 Mt, DOMAIN §3)",
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
    ("ironmaking", "supply", "bf_slag", 0.3, np.nan, np.nan, "0.3 t BF slag/t iron (DOMAIN §3)"),
    (
        "steelmaking",
        "supply",
        "steel_slag",
        0.12,
        np.nan,
        np.nan,
        "12 % of crude steel (10-15 %, DOMAIN §3)",
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
        "420 Nm3 COG/t coke × 55 % H2 (DOMAIN §3) × 10 % surplus × 0.0899 kg/Nm3 = 2.08 kg/t",
    ),
    (
        "sintering",
        "use",
        "sinter_feed",
        0.02,
        np.nan,
        np.nan,
        "≈2 % steel slag in sinter (P, S limits, DOMAIN §3; estimate)",
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
        5.0,
        np.nan,
        np.nan,
        "5 t Ti-gypsum/t TiO2 (3-15, DOMAIN §3)",
    ),
    (
        "tio2_sulphate",
        "stock",
        "titanium_gypsum",
        3.0,
        np.nan,
        np.nan,
        "three years of Ti-gypsum stacked (estimate)",
    ),
    ("tio2_sulphate", "use", "process_steam", 4.0, np.nan, np.nan, "4 GJ steam/t TiO2 (estimate)"),
    (
        "phosphate",
        "supply",
        "phosphogypsum",
        4.8,
        np.nan,
        np.nan,
        "4.8 t PG/t P2O5 (4.5-5.0, DOMAIN §3)",
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
        "coal_power",
        "supply",
        "fly_ash",
        0.16,
        np.nan,
        np.nan,
        "20 % ash × 80 % fly ash per t coal (estimate)",
    ),
    (
        "coal_power",
        "supply",
        "fgd_gypsum",
        0.081,
        np.nan,
        np.nan,
        "1.5 % S × 5.4 t gypsum/t S per t coal (derived, S content estimate)",
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
        "tailings 60 % of ore (estimate); excluded from the Sichuan target (DOMAIN §1)",
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
        "25.2 kg H2/t NaOH (DOMAIN §3, derived) × 80 % not used in-house (estimate)",
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
        1.4,
        np.nan,
        np.nan,
        "1.4 t dry carbide slag/t PVC (estimate)",
    ),
    (
        "pvc_carbide",
        "supply",
        "hydrogen",
        0.0076,
        np.nan,
        0.999,
        "0.8 t NaOH/t PVC × 25.2 kg/t (DOMAIN §3) × 30 % surplus after HCl synthesis (estimate)",
    ),
    (
        "polysilicon",
        "use",
        "hydrogen_feedstock",
        0.03,
        np.nan,
        0.9999,
        "H2 make-up 30 kg/t Si at 4N purity (estimate)",
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
        "Zigong carbon-black tail-gas H2 project 5,500 t/a (DOMAIN §5)",
    ),
    (
        "ammonia",
        "use",
        "hydrogen_feedstock",
        0.0178,
        np.nan,
        np.nan,
        "178 kg H2/t NH3 (DOMAIN §3, derived) × 10 % displaceable by by-product H2 (estimate)",
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
        "cracker off-gas H2 1 % of ethylene, 95 % pure (estimate)",
    ),
    (
        "cement",
        "use",
        "cement_retarder",
        0.05,
        np.nan,
        np.nan,
        "gypsum 5 % of cement (3-6 %, DOMAIN §3)",
    ),
    (
        "cement",
        "use",
        "cement_admixture",
        0.2,
        np.nan,
        np.nan,
        "admixture 20 % of cement (P·O ≤ 20 %, GB 175, DOMAIN §3)",
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
        "preheater/cooler heat 0.5 GJ/t clinker ≈ 0.4 GJ/t cement "
        "(estimate; 320-350 °C, DOMAIN §3)",
    ),
    (
        "cement_grinding",
        "use",
        "cement_retarder",
        0.05,
        np.nan,
        np.nan,
        "gypsum 5 % of cement (DOMAIN §3)",
    ),
    (
        "cement_grinding",
        "use",
        "cement_admixture",
        0.15,
        np.nan,
        np.nan,
        "admixture 15 % of cement (P·O 5-20 %, GB 175)",
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
        "(DOMAIN §3); capacity estimate",
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

#: Existing links, per park: (from sector, to sector, material, route). The first plant of each
#: sector is used; a park without both sectors gets no such link.
EXISTING: list[tuple[str, str, str, str, str]] = [
    ("steelmaking", "sintering", "steel_slag", "sinter_feed", "steel slag → sinter (DOMAIN §3)"),
    (
        "pvc_carbide",
        "cement",
        "carbide_slag",
        "calcium_substitute",
        "carbide slag → cement (Yongxiang, DOMAIN §3)",
    ),
    (
        "phosphate",
        "gypsum_board",
        "phosphogypsum",
        "gypsum_board",
        "PG → gypsum board (Taishan Gypsum, DOMAIN §5)",
    ),
    ("coal_power", "cement", "fly_ash", "cement_admixture", "fly ash → cement (Fuhua, DOMAIN §5)"),
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
        "road_contractor": 2,
        "slag_processing": 1,
        "brick_works": 2,
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
        "road_contractor": 2,
        "slag_processing": 1,
        "brick_works": 2,
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
        ["id", "name", "park", "sector", "lon", "lat", "city", "size", "size_unit", "note", "k"]
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


def build_tables(seed: int = DEFAULT_SEED) -> dict[str, pd.DataFrame]:
    """All scenario tables of the province, as DataFrames ready to write."""
    ent = build_enterprises(seed)
    heat = {"waste_heat", "district_heating", "process_steam", "orc_power"}

    sup = _streams(ent, "supply")
    sup["unit"] = np.where(sup["item"] == "waste_heat", "GJ/a", "t/a")
    supplies = sup.rename(columns={"id": "enterprise", "item": "material"})[
        ["enterprise", "material", "quantity", "unit", "temperature_c", "purity", "note"]
    ]

    use = _streams(ent, "use")
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
    gen = sup.set_index(["id", "item"])["quantity"]
    annual = gen.reindex(pd.MultiIndex.from_arrays([stock["id"], stock["item"]])).to_numpy()
    stock["quantity"] = _round_sig(annual * stock["coef"].to_numpy())
    stock["max_draw"] = _round_sig(0.1 * annual)  # reclaim at most 10 % of a year's output
    stock["unit"] = "t"
    stock["note"] = stock["basis"] + "; reclaim at most 10 % of a year's generation (estimate)"
    stockpiles = stock.rename(columns={"id": "enterprise", "item": "material"})[
        ["enterprise", "material", "quantity", "unit", "max_draw", "note"]
    ]

    first = ent[ent["k"] == 1].set_index(["park", "sector"])["id"]
    rows = []
    for park in RECIPES:
        for src, dst, material, route, note in EXISTING:
            if (park, src) in first.index and (park, dst) in first.index:
                rows.append(
                    (first[(park, src)], first[(park, dst)], material, route, "truck", True, note)
                )
    links = pd.DataFrame(
        rows, columns=["from", "to", "material", "route", "mode", "existing", "note"]
    )
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
targets:
  - id: bulk-2025
    materials: bulk_solid_waste
    exclude: [tailings]
    rate: 0.78
    scope: all
  - id: bulk-2030
    materials: bulk_solid_waste
    exclude: [tailings]
    rate: 0.82
    scope: all
  - id: park-floor-2025
    materials: bulk_solid_waste
    exclude: [tailings]
    rate: 0.60
    scope: each_park
modes:
  rail: {{reach_km: 400}}
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
