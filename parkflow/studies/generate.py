"""Synthetic but plausible Sichuan scenarios of any size, for tests, benchmarks and research.

:func:`generate_scenario` places ``n_parks`` industrial parks across the Sichuan Basin and the
Panxi corridor (the western plateau is left empty, as it is in reality), clusters ``n_enterprises``
plants within a few km of their park, gives each plant a sector and a size drawn from plausible
ranges, and derives its by-products (supplies) and what it can absorb (uses) from per-sector
coefficients. Everything is seeded: the same arguments give the same scenario, byte for byte.

Sector coefficients (per unit of plant size, all marked [E] estimates unless a source is given in
docs/research.md): see :data:`SECTORS`. Sizes are log-uniform between the ``size_low`` and
``size_high`` of each sector; every quantity then gets a ±15 % log-normal jitter and is rounded to
four significant figures.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely import affinity
from shapely.geometry import Point

from parkflow.models.scenario import Scenario

KM_PER_DEG_LAT = 111.32

#: Prefecture seats of eastern Sichuan and the Panxi corridor (lon, lat, weight for new parks).
CITIES: tuple[tuple[str, float, float, float], ...] = (
    ("Chengdu", 104.07, 30.67, 3.0),
    ("Deyang", 104.40, 31.13, 2.0),
    ("Mianyang", 104.68, 31.47, 1.5),
    ("Guangyuan", 105.84, 32.44, 0.8),
    ("Suining", 105.59, 30.53, 1.0),
    ("Neijiang", 105.06, 29.58, 1.0),
    ("Leshan", 103.77, 29.55, 1.8),
    ("Zigong", 104.78, 29.34, 1.2),
    ("Luzhou", 105.44, 28.87, 1.2),
    ("Yibin", 104.64, 28.75, 1.5),
    ("Nanchong", 106.11, 30.84, 1.2),
    ("Guang'an", 106.63, 30.46, 1.0),
    ("Dazhou", 107.47, 31.21, 1.2),
    ("Bazhong", 106.75, 31.87, 0.6),
    ("Ya'an", 103.00, 29.98, 0.6),
    ("Meishan", 103.85, 30.08, 1.2),
    ("Ziyang", 104.63, 30.13, 0.8),
    ("Panzhihua", 101.72, 26.58, 1.5),
    ("Liangshan", 102.27, 27.89, 1.0),
)

# Sector mixes ("profiles"): the generators that dominate a park, and how much more likely they are.
PROFILES: dict[str, dict[str, float]] = {
    "vti_steel": {"vti_steel": 6.0, "tio2_sulphate": 3.0, "metal_mine": 3.0, "coal_power": 2.0},
    "steel": {"steel": 6.0, "coal_power": 2.0, "coal_mine": 1.5},
    "phosphate": {"phosphate_chemicals": 6.0, "gypsum_board": 2.0, "tio2_sulphate": 1.5},
    "chlor_alkali": {"chlor_alkali": 5.0, "cement": 1.5, "hydrogen_hub": 2.0, "coal_power": 1.5},
    "energy": {"coal_power": 5.0, "coal_mine": 3.0, "district_heating": 2.0},
    "gas_chemicals": {"ammonia_methanol": 4.0, "chlor_alkali": 2.0, "coal_power": 1.5},
    "petrochemicals": {"refinery": 3.0, "process_steam_user": 2.0, "hydrogen_hub": 1.5},
    "mixed": {},
}

#: Real parks (docs/sources.md 44, tools/data/sichuan_parks.csv; coordinates ±5 km): used first.
KNOWN_PARKS: tuple[tuple[str, str, str, float, float, str, str], ...] = (
    (
        "PZH-VTHT",
        "Panzhihua V-Ti Hi-tech Zone",
        "Panzhihua",
        101.74,
        26.55,
        "national",
        "vti_steel",
    ),
    (
        "DY-SF",
        "Shifang Economic Development Zone",
        "Deyang",
        104.17,
        31.13,
        "provincial",
        "phosphate",
    ),
    (
        "LS-WTQ",
        "Leshan Wutongqiao Salt-Phosphorus Chemical Park",
        "Leshan",
        103.82,
        29.40,
        "provincial",
        "chlor_alkali",
    ),
    ("GA-ETDZ", "Guang'an ETDZ", "Guang'an", 106.64, 30.46, "national", "energy"),
    ("DZ-HT", "Dazhou Hi-tech Zone", "Dazhou", 107.42, 31.14, "provincial", "steel"),
    ("YB-LG", "Yibin Lingang ETDZ", "Yibin", 104.70, 28.73, "national", "chlor_alkali"),
    (
        "DY-MZ",
        "Mianzhu Economic Development Zone",
        "Deyang",
        104.24,
        31.29,
        "provincial",
        "phosphate",
    ),
    ("XC-VT", "Xichang V-Ti Industrial Park", "Liangshan", 102.20, 27.95, "provincial", "steel"),
    ("LZ-NX", "Luzhou Naxi Chemical Park", "Luzhou", 105.37, 28.77, "provincial", "gas_chemicals"),
    (
        "CD-PZ",
        "Pengzhou Petrochemical Base",
        "Chengdu",
        103.95,
        31.03,
        "provincial",
        "petrochemicals",
    ),
    ("ZG-HT", "Zigong Hi-tech Zone", "Zigong", 104.85, 29.33, "national", "chlor_alkali"),
    ("MS-HT", "Meishan Hi-tech Park", "Meishan", 103.90, 30.10, "provincial", "mixed"),
    ("LS-HT", "Leshan Hi-tech Zone", "Leshan", 103.76, 29.60, "national", "mixed"),
)


@dataclass(frozen=True)
class Sector:
    """A plant type: its size range and base weight in a park's mix."""

    label: str
    size_unit: str
    size_low: float
    size_high: float
    weight: float


#: Plant types. Sizes: crude steel, coal or ore, P2O5, TiO2, NaOH, clinker in t/a; power in MW;
#: board in m2/a; heat in GJ/a; hydrogen in t/a. Weights give the base mix of a park.
SECTORS: dict[str, Sector] = {
    "steel": Sector("Steel works", "t crude steel/a", 0.8e6, 6.0e6, 0.025),
    "vti_steel": Sector("V-Ti steel works", "t crude steel/a", 1.0e6, 6.5e6, 0.0),
    "coal_power": Sector("Coal power plant", "MW", 300.0, 2400.0, 0.04),
    "coal_mine": Sector("Coal mine", "t coal/a", 0.3e6, 3.0e6, 0.04),
    "metal_mine": Sector("Metal mine", "t ore/a", 0.5e6, 5.0e6, 0.02),
    "phosphate_chemicals": Sector("Phosphate chemicals", "t P2O5/a", 0.05e6, 0.4e6, 0.025),
    "tio2_sulphate": Sector("TiO2 plant (sulphate)", "t TiO2/a", 30e3, 150e3, 0.02),
    "chlor_alkali": Sector("Chlor-alkali & PVC", "t NaOH/a", 100e3, 400e3, 0.03),
    "cement": Sector("Cement plant", "t clinker/a", 0.9e6, 3.5e6, 0.12),
    "gypsum_board": Sector("Gypsum board plant", "m2 board/a", 10e6, 50e6, 0.07),
    "brick_works": Sector("Brick and block works", "t product/a", 100e3, 500e3, 0.12),
    "road_contractor": Sector("Road contractor", "t base course/a", 200e3, 1.5e6, 0.10),
    "district_heating": Sector("District heating company", "GJ/a", 0.2e6, 2.0e6, 0.08),
    "process_steam_user": Sector("Steam user (food, paper, pharma)", "GJ/a", 0.1e6, 1.0e6, 0.10),
    "ammonia_methanol": Sector("Ammonia/methanol plant", "t NH3/a", 150e3, 500e3, 0.03),
    "refinery": Sector("Refinery", "t crude/a", 5e6, 10e6, 0.0),
    "hydrogen_hub": Sector("Hydrogen refuelling hub", "t H2/a", 200.0, 2000.0, 0.03),
    "agri_coop": Sector("Agricultural co-operative", "t soil conditioner/a", 20e3, 100e3, 0.03),
}

# (sector, kind, item, coefficient per size unit, unit, temperature_c, purity, min_temperature_c,
#  min_purity). kind: supply (item = material), use (item = route), stock (years of output held).
_STREAM_ROWS: list[tuple] = [
    # steel: BF slag ~0.3 t/t iron (docs/sources.md 18) × 0.9 t iron/t steel; steel slag 10-15 %
    # of steel
    ("steel", "supply", "bf_slag", 0.27, "t/a", np.nan, np.nan, np.nan, np.nan),
    ("steel", "supply", "steel_slag", 0.12, "t/a", np.nan, np.nan, np.nan, np.nan),
    ("steel", "supply", "waste_heat", 0.6, "GJ/a", 350.0, np.nan, np.nan, np.nan),  # [E]
    ("steel", "use", "sinter_feed", 0.03, "t/a", np.nan, np.nan, np.nan, np.nan),  # [E]
    # Panzhihua high-Ti BF slag: 3-4 Mt/a at ~6.5 Mt iron (docs/sources.md 17, 49) -> ~0.5 t/t steel
    ("vti_steel", "supply", "vti_slag", 0.5, "t/a", np.nan, np.nan, np.nan, np.nan),
    ("vti_steel", "supply", "steel_slag", 0.12, "t/a", np.nan, np.nan, np.nan, np.nan),
    ("vti_steel", "supply", "waste_heat", 0.6, "GJ/a", 350.0, np.nan, np.nan, np.nan),
    ("vti_steel", "use", "sinter_feed", 0.03, "t/a", np.nan, np.nan, np.nan, np.nan),
    ("vti_steel", "stock", "vti_slag", 3.0, "t", np.nan, np.nan, np.nan, np.nan),
    # coal power per MW at 5000 h: ~1.5 kt coal/MW/a at 0.3 t/MWh, ~20 % ash (fly ash 80 %);
    # Sichuan coal 1.5-3 % S -> FGD gypsum ~5.4 t/t S [derived, E]; extraction heat for heating
    ("coal_power", "supply", "fly_ash", 250.0, "t/a", np.nan, np.nan, np.nan, np.nan),
    ("coal_power", "supply", "fgd_gypsum", 120.0, "t/a", np.nan, np.nan, np.nan, np.nan),
    ("coal_power", "supply", "waste_heat", 1500.0, "GJ/a", 130.0, np.nan, np.nan, np.nan),
    # coal mine: gangue 10-20 % of raw coal [E]; backfill of worked-out areas
    ("coal_mine", "supply", "coal_gangue", 0.15, "t/a", np.nan, np.nan, np.nan, np.nan),
    ("coal_mine", "use", "mine_backfill", 0.08, "t/a", np.nan, np.nan, np.nan, np.nan),
    ("coal_mine", "stock", "coal_gangue", 2.0, "t", np.nan, np.nan, np.nan, np.nan),
    # metal mine: tailings ~80 % of ore (excluded from the Sichuan KPI); paste backfill
    ("metal_mine", "supply", "tailings", 0.8, "t/a", np.nan, np.nan, np.nan, np.nan),
    ("metal_mine", "use", "mine_backfill", 0.25, "t/a", np.nan, np.nan, np.nan, np.nan),
    # phosphate: 4.5-5.0 t PG/t P2O5 (docs/sources.md 15); sulphuric-acid plant steam ~3 GJ/t
    # P2O5 [E]
    ("phosphate_chemicals", "supply", "phosphogypsum", 4.8, "t/a", np.nan, np.nan, np.nan, np.nan),
    ("phosphate_chemicals", "supply", "waste_heat", 3.0, "GJ/a", 250.0, np.nan, np.nan, np.nan),
    ("phosphate_chemicals", "stock", "phosphogypsum", 8.0, "t", np.nan, np.nan, np.nan, np.nan),
    # TiO2 sulphate route: 3-15 t Ti-gypsum/t TiO2 (docs/sources.md 49)
    ("tio2_sulphate", "supply", "titanium_gypsum", 7.0, "t/a", np.nan, np.nan, np.nan, np.nan),
    ("tio2_sulphate", "stock", "titanium_gypsum", 6.0, "t", np.nan, np.nan, np.nan, np.nan),
    ("tio2_sulphate", "use", "process_steam", 4.0, "GJ/a", np.nan, np.nan, 180.0, np.nan),
    # chlor-alkali: 25.2 kg H2/t NaOH (docs/sources.md 48, derived); carbide-route PVC ~1.2 t
    # slag/t PVC
    # at ~0.75 t PVC/t NaOH [E]; evaporation steam ~2.5 GJ/t NaOH [E]
    ("chlor_alkali", "supply", "hydrogen", 0.0252, "t/a", np.nan, 0.999, np.nan, np.nan),
    ("chlor_alkali", "supply", "carbide_slag", 0.9, "t/a", np.nan, np.nan, np.nan, np.nan),
    ("chlor_alkali", "use", "process_steam", 2.5, "GJ/a", np.nan, np.nan, 180.0, np.nan),
    # cement per t clinker: cement ~1.25 t; gypsum retarder ~4 % of cement (docs/sources.md 49);
    # admixture 15-25 % of cement; raw-meal substitutes ~8 %; cooler/preheater heat 0.5 GJ/t [E]
    ("cement", "use", "cement_retarder", 0.05, "t/a", np.nan, np.nan, np.nan, np.nan),
    ("cement", "use", "cement_admixture", 0.25, "t/a", np.nan, np.nan, np.nan, np.nan),
    ("cement", "use", "cement_raw_meal", 0.08, "t/a", np.nan, np.nan, np.nan, np.nan),
    ("cement", "use", "calcium_substitute", 0.03, "t/a", np.nan, np.nan, np.nan, np.nan),
    ("cement", "supply", "waste_heat", 0.5, "GJ/a", 320.0, np.nan, np.nan, np.nan),
    # gypsum board ~8 kg gypsum/m2 [E]
    ("gypsum_board", "use", "gypsum_board", 0.008, "t/a", np.nan, np.nan, np.nan, np.nan),
    ("brick_works", "use", "bricks", 0.7, "t/a", np.nan, np.nan, np.nan, np.nan),
    ("road_contractor", "use", "road_base", 0.5, "t/a", np.nan, np.nan, np.nan, np.nan),
    ("district_heating", "use", "district_heating", 1.0, "GJ/a", np.nan, np.nan, 90.0, np.nan),
    ("process_steam_user", "use", "process_steam", 1.0, "GJ/a", np.nan, np.nan, 180.0, np.nan),
    # ammonia: 178 kg H2/t NH3 (docs/sources.md 48); by-product H2 may replace ~10 % of it [E]
    (
        "ammonia_methanol",
        "use",
        "hydrogen_feedstock",
        0.0178,
        "t/a",
        np.nan,
        np.nan,
        np.nan,
        np.nan,
    ),
    ("ammonia_methanol", "use", "process_steam", 1.5, "GJ/a", np.nan, np.nan, 180.0, np.nan),
    # refinery: hydrotreating ~0.8 % of crude, by-product may cover ~10 % [E]
    ("refinery", "use", "hydrogen_feedstock", 0.0008, "t/a", np.nan, np.nan, np.nan, np.nan),
    ("refinery", "use", "process_steam", 0.3, "GJ/a", np.nan, np.nan, 180.0, np.nan),
    ("hydrogen_hub", "use", "fuel_cell_hydrogen", 1.0, "t/a", np.nan, np.nan, np.nan, 0.9997),
    ("agri_coop", "use", "soil_conditioner", 1.0, "t/a", np.nan, np.nan, np.nan, np.nan),
]
STREAMS = pd.DataFrame(
    _STREAM_ROWS,
    columns=[
        "sector",
        "kind",
        "item",
        "coefficient",
        "unit",
        "temperature_c",
        "purity",
        "min_temperature_c",
        "min_purity",
    ],
)

_LON_RANGE = (101.5, 107.5)
_LAT_RANGE = (26.5, 32.5)


def _round_sig(values: np.ndarray, digits: int = 4) -> np.ndarray:
    """Round to ``digits`` significant figures (vectorised; zeros stay zero)."""
    values = np.asarray(values, dtype=float)
    out = np.zeros_like(values)
    nz = values != 0
    mag = np.floor(np.log10(np.abs(values[nz])))
    scale = 10.0 ** (digits - 1 - mag)
    out[nz] = np.round(values[nz] * scale) / scale
    return out


def _offset(
    lon: np.ndarray, lat: np.ndarray, dx_km: np.ndarray, dy_km: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Move points by (east, north) km on a local tangent plane (good to < 0.1 % at < 50 km)."""
    lat2 = lat + dy_km / KM_PER_DEG_LAT
    lon2 = lon + dx_km / (KM_PER_DEG_LAT * np.cos(np.radians(lat)))
    return lon2, lat2


def _parks(n_parks: int, rng: np.random.Generator) -> pd.DataFrame:
    """Park centres: the known Sichuan parks first (seeded order), then parks near city seats."""
    known = pd.DataFrame(
        list(KNOWN_PARKS), columns=["id", "name", "city", "lon", "lat", "level", "profile"]
    )
    order = rng.permutation(len(known))
    parks = known.iloc[order[: min(n_parks, len(known))]].reset_index(drop=True)
    n_new = n_parks - len(parks)
    if n_new > 0:
        cities = pd.DataFrame(list(CITIES), columns=["city", "lon", "lat", "weight"])
        pick = rng.choice(len(cities), size=n_new, p=cities["weight"] / cities["weight"].sum())
        base = cities.iloc[pick].reset_index(drop=True)
        radius_km = rng.uniform(5.0, 35.0, n_new)
        bearing = rng.uniform(0.0, 2 * np.pi, n_new)
        lon, lat = _offset(
            base["lon"].to_numpy(),
            base["lat"].to_numpy(),
            radius_km * np.sin(bearing),
            radius_km * np.cos(bearing),
        )
        profiles = list(PROFILES)
        weights = np.array([1.0, 2.0, 1.5, 1.5, 2.0, 1.0, 0.5, 3.0])
        prof = rng.choice(profiles, size=n_new, p=weights / weights.sum())
        # Panxi parks are V-Ti parks, as in reality
        prof = np.where(
            base["city"].isin(["Panzhihua", "Liangshan"]) & (prof == "steel"), "vti_steel", prof
        )
        number = np.arange(len(parks) + 1, n_parks + 1)
        new = pd.DataFrame(
            {
                "id": [f"GP{k:04d}" for k in number],
                "name": [
                    f"{c} Industrial Park {k}" for c, k in zip(base["city"], number, strict=True)
                ],
                "city": base["city"],
                "lon": np.clip(lon, *_LON_RANGE),
                "lat": np.clip(lat, *_LAT_RANGE),
                "level": rng.choice(["provincial", "municipal"], size=n_new, p=[0.4, 0.6]),
                "profile": prof,
            }
        )
        parks = pd.concat([parks, new], ignore_index=True)
    return parks


def _sector_probabilities(profiles: pd.Series) -> np.ndarray:
    """One row of sector probabilities per park (base weights boosted by the park's profile)."""
    names = list(SECTORS)
    base = np.array([SECTORS[s].weight for s in names])
    boost = np.ones((len(profiles), len(names)))
    for p, factors in PROFILES.items():
        rows = (profiles == p).to_numpy()
        for sector, factor in factors.items():
            boost[rows, names.index(sector)] = factor
    prob = base * boost
    # sectors with a zero base weight appear only where a profile names them
    for p, factors in PROFILES.items():
        rows = (profiles == p).to_numpy()
        for sector, factor in factors.items():
            if SECTORS[sector].weight == 0:
                prob[rows, names.index(sector)] = 0.04 * factor
    return prob / prob.sum(axis=1, keepdims=True)


def generate_frames(n_enterprises: int, n_parks: int, seed: int = 0) -> dict[str, pd.DataFrame]:
    """The tables of a generated scenario, before loading (see :func:`generate_scenario`).

    Returns
    -------
    dict
        ``enterprises, supplies, uses, stockpiles, parks`` as plain (Geo)DataFrames in the input
        format of docs/scenario-format.md (quantities in t/a or GJ/a, units named in a ``unit``
        column).
    """
    if n_parks < 1:
        msg = f"n_parks must be >= 1, got {n_parks}"
        raise ValueError(msg)
    if n_enterprises < n_parks:
        msg = f"n_enterprises ({n_enterprises}) must be >= n_parks ({n_parks})"
        raise ValueError(msg)
    rng = np.random.default_rng(seed)
    parks = _parks(n_parks, rng)

    # enterprises per park: at least 2 where possible, the rest by Dirichlet shares
    floor = 2 if n_enterprises >= 2 * n_parks else 1
    shares = rng.dirichlet(np.full(n_parks, 2.0))
    counts = floor + rng.multinomial(n_enterprises - floor * n_parks, shares)
    park_idx = np.repeat(np.arange(n_parks), counts)

    # sectors: the first plant of each park is its anchor generator, the second a cement plant
    sector_names = np.array(list(SECTORS))
    prob = _sector_probabilities(parks["profile"])[park_idx]
    u = rng.random(n_enterprises)
    sector = sector_names[(prob.cumsum(axis=1) < u[:, None]).sum(axis=1).clip(0, len(SECTORS) - 1)]
    first = np.r_[0, np.cumsum(counts)[:-1]]
    anchors = np.array([next(iter(PROFILES[p]), "cement") for p in parks["profile"]])
    sector[first] = anchors
    second = first[counts >= 2] + 1
    sector[second] = "cement"

    # position: within a few km of the park centre (exponential radius, mean 1.5 km, max 6 km)
    radius_km = np.minimum(rng.exponential(1.5, n_enterprises), 6.0)
    bearing = rng.uniform(0.0, 2 * np.pi, n_enterprises)
    lon, lat = _offset(
        parks["lon"].to_numpy()[park_idx],
        parks["lat"].to_numpy()[park_idx],
        radius_km * np.sin(bearing),
        radius_km * np.cos(bearing),
    )

    low = np.array([SECTORS[s].size_low for s in sector])
    high = np.array([SECTORS[s].size_high for s in sector])
    size = np.exp(rng.uniform(np.log(low), np.log(high)))

    width = max(4, len(str(n_enterprises)))
    ids = np.array([f"E{k:0{width}d}" for k in range(1, n_enterprises + 1)])
    rank = pd.Series(sector).groupby([park_idx, sector]).cumcount().to_numpy() + 1
    labels = np.array([SECTORS[s].label for s in sector])
    park_ids = parks["id"].to_numpy()[park_idx]
    enterprises = pd.DataFrame(
        {
            "id": ids,
            "name": [f"{lab} {r} ({p})" for lab, r, p in zip(labels, rank, park_ids, strict=True)],
            "park": park_ids,
            "sector": sector,
            "lon": np.round(lon, 5),
            "lat": np.round(lat, 5),
            "city": parks["city"].to_numpy()[park_idx],
            "size": _round_sig(size, 3),
            "size_unit": [SECTORS[s].size_unit for s in sector],
        }
    )

    streams = enterprises[["id", "sector", "size"]].merge(STREAMS, on="sector", how="inner")
    streams = streams.sort_values(["id", "kind", "item"], kind="stable").reset_index(drop=True)
    jitter = np.exp(rng.normal(0.0, 0.15, len(streams)))
    streams["quantity"] = _round_sig(streams["size"] * streams["coefficient"] * jitter)

    sup = streams[streams["kind"] == "supply"].reset_index(drop=True)
    supplies = pd.DataFrame(
        {
            "enterprise": sup["id"],
            "material": sup["item"],
            "quantity": sup["quantity"],
            "unit": sup["unit"],
            "temperature_c": sup["temperature_c"],
            "purity": sup["purity"],
        }
    )
    use = streams[streams["kind"] == "use"].reset_index(drop=True)
    uses = pd.DataFrame(
        {
            "enterprise": use["id"],
            "route": use["item"],
            "capacity": use["quantity"],
            "unit": use["unit"],
            "min_temperature_c": use["min_temperature_c"],
            "min_purity": use["min_purity"],
        }
    )

    # legacy stacks: about half of the plants that stack hold some; years of output in stock
    stk = streams[streams["kind"] == "stock"].reset_index(drop=True)
    held = rng.random(len(stk)) < 0.5
    years = rng.uniform(0.5, 1.5, len(stk))
    stk = stk[held].reset_index(drop=True)
    annual = streams[streams["kind"] == "supply"].set_index(["id", "item"])["quantity"]
    stock_t = _round_sig(
        annual.reindex(pd.MultiIndex.from_frame(stk[["id", "item"]])).to_numpy()
        * stk["coefficient"].to_numpy()
        * years[held]
    )
    stockpiles = pd.DataFrame(
        {
            "enterprise": stk["id"],
            "material": stk["item"],
            "quantity": stock_t,
            "unit": "t",
            "max_draw": _round_sig(stock_t * 0.1),
        }
    )

    radius_deg = 3.0 / KM_PER_DEG_LAT
    polygons = [
        affinity.scale(
            Point(x, y).buffer(radius_deg, resolution=8),
            xfact=1.0 / np.cos(np.radians(y)),
            yfact=1.0,
        )
        for x, y in zip(parks["lon"], parks["lat"], strict=True)
    ]
    parks_gdf = gpd.GeoDataFrame(
        {
            "id": parks["id"],
            "name": parks["name"],
            "level": parks["level"],
            "city": parks["city"],
            "profile": parks["profile"],
        },
        geometry=polygons,
        crs="EPSG:4326",
    )
    return {
        "enterprises": enterprises,
        "supplies": supplies,
        "uses": uses,
        "stockpiles": stockpiles,
        "parks": parks_gdf,
    }


#: Where the copies of the layout go (degrees east, north of the generated Sichuan box, itself
#: 101.5–107.5° E, 26.5–32.5° N): central China, the north-west of the basin, north China and
#: Qinghai — each box inside China's outline, 2–3° (≈ 220–290 km) from its neighbours.
PROVINCE_OFFSETS_DEG = ((0.0, 0.0), (9.0, 0.0), (0.0, 8.0), (9.0, 8.0), (-13.0, 8.0))


def _provinces_frames(
    n_enterprises: int, n_parks: int, seed: int, provinces: int
) -> dict[str, pd.DataFrame]:
    """``provinces`` copies of the generated layout (seeds ``seed + 1000 k``).

    Province ``k`` is shifted by ``PROVINCE_OFFSETS_DEG[k]`` and its ids prefixed ``Vk-``.
    """
    per_e = np.diff(np.linspace(0, n_enterprises, provinces + 1).round().astype(int))
    per_p = np.diff(np.linspace(0, n_parks, provinces + 1).round().astype(int))
    parts: dict[str, list[pd.DataFrame]] = {}
    for k in range(provinces):
        f = generate_frames(int(per_e[k]), max(1, int(per_p[k])), seed + 1000 * k)
        dx, dy = PROVINCE_OFFSETS_DEG[k]
        pre = f"V{k + 1}-"
        ent = f["enterprises"].copy()
        ent["id"] = pre + ent["id"].astype(str)
        ent["park"] = pre + ent["park"].astype(str)
        ent["lon"] = ent["lon"] + dx
        ent["lat"] = ent["lat"] + dy
        parts.setdefault("enterprises", []).append(ent)
        for name in ("supplies", "uses", "stockpiles"):
            t = f[name].copy()
            t["enterprise"] = pre + t["enterprise"].astype(str)
            parts.setdefault(name, []).append(t)
        pk = f["parks"].copy()
        pk["id"] = pre + pk["id"].astype(str)
        pk["name"] = f"Province {k + 1} " + pk["name"].astype(str)
        pk["geometry"] = pk.geometry.translate(xoff=dx, yoff=dy)
        parts.setdefault("parks", []).append(pk)
    out: dict[str, pd.DataFrame] = {
        k: pd.concat(v, ignore_index=True) for k, v in parts.items() if k != "parks"
    }
    out["parks"] = gpd.GeoDataFrame(
        pd.concat(parts["parks"], ignore_index=True), geometry="geometry", crs="EPSG:4326"
    )
    return out


def generate_scenario(
    n_enterprises: int, n_parks: int, seed: int = 0, provinces: int = 1
) -> Scenario:
    """A synthetic Sichuan scenario with realistic sector mixes, seeded and deterministic.

    Parameters
    ----------
    n_enterprises : int
        Number of plants (>= ``n_parks``).
    n_parks : int
        Number of parks (>= 1). The first 13 are real Sichuan parks (docs/sources.md 44) in a seeded
        order; more are placed 5-35 km from prefecture seats of the Basin and Panxi.
    seed : int
        Seed of the random generator; the same arguments give the same scenario.
    provinces : int
        Several provinces (a China-scale case, docs/performance.md "Distributed blocks (Dask)"):
        that many copies of the layout (at most 5), each with its share of enterprises and parks
        and its own seed, placed by :data:`PROVINCE_OFFSETS_DEG`, ids prefixed ``V1-``, ….

    Returns
    -------
    Scenario
        Loaded and validated through :func:`parkflow.io.scenario_from_frames`, with the default
        target (bulk solid waste, tailings excluded, 78 %).

    Examples
    --------
    >>> sc = generate_scenario(30, 3, seed=1)
    >>> len(sc.enterprises)
    30
    """
    from parkflow.io import scenario_from_frames

    if not 1 <= provinces <= min(n_parks, len(PROVINCE_OFFSETS_DEG)):
        msg = (
            f"need 1 <= provinces <= min(n_parks, {len(PROVINCE_OFFSETS_DEG)}), got "
            f"{provinces} provinces, {n_parks} parks"
        )
        raise ValueError(msg)
    if provinces == 1:
        frames = generate_frames(n_enterprises, n_parks, seed)
        name = f"generated-{n_enterprises}e-{n_parks}p-s{seed}"
    else:
        frames = _provinces_frames(n_enterprises, n_parks, seed, provinces)
        name = f"generated-{n_enterprises}e-{n_parks}p-{provinces}v-s{seed}"
    return scenario_from_frames(
        name,
        frames["enterprises"],
        frames["supplies"],
        frames["uses"],
        stockpiles=frames["stockpiles"],
        parks=frames["parks"],
        description=(
            f"Synthetic scenario from parkflow.studies.generate: "
            f"{n_enterprises} enterprises in "
            f"{n_parks} parks{f' in {provinces} provinces' if provinces > 1 else ''}, seed "
            f"{seed}. Plausible, not real, plants."
        ),
    )


def greedy_rates(scenario: Scenario) -> tuple[float, float]:
    """Estimated utilisation rates of a scenario's first target: least-cost and reachable.

    A greedy pass over the candidate network (:func:`parkflow.network.candidate_links`): links
    are taken in ascending order of their cost per unit at full use (unit cost + annualised fixed
    cost / bound) while that is negative — an estimate of the least-cost plan *without* the
    target — then every remaining link of a target material is taken (an estimate of the best
    reachable rate). Each taken link carries what its source and its use have left. Stock draws
    are ignored (rate = utilised / generated).

    Returns
    -------
    least_cost, reachable : float
        Rates, 0-1.
    """
    from parkflow.network import candidate_links

    net = candidate_links(scenario)
    lk, src, snk = net.links, net.sources, net.sinks
    mats = set(scenario.targets[0].materials) if scenario.targets else set()
    in_src = src["material"].isin(list(mats)).to_numpy()
    generated = float(src["generated"].to_numpy(float)[in_src].sum())
    if generated <= 0 or not len(lk):
        return 0.0, 0.0
    s = src.index.get_indexer(lk["source_id"])
    u = snk.index.get_indexer(lk["use_id"])
    eta = lk["efficiency"].to_numpy(float)
    unit = (
        lk["transport_cny_per_unit"]
        + lk["purification_cny_per_unit"]
        - eta * lk["value_cny_per_unit"]
        - lk["disposal_cny_per_unit"]
    ).to_numpy(float)
    bound = lk["bound"].to_numpy(float)
    score = unit + lk["fixed_cny_per_a"].to_numpy(float) / np.maximum(bound, 1e-9)
    in_t = lk["material"].isin(list(mats)).to_numpy()
    left_s = src["generated"].to_numpy(float).copy()
    left_u = snk["capacity"].to_numpy(float).copy()
    used = 0.0
    order = np.argsort(score, kind="stable")

    def take(i: int) -> float:
        q = max(0.0, min(left_s[s[i]], left_u[u[i]] / max(eta[i], 1e-9), bound[i]))
        left_s[s[i]] -= q
        left_u[u[i]] -= q * eta[i]
        return q if in_t[i] else 0.0

    for i in order[score[order] < 0]:  # one step per link: a few 10,000 at most
        used += take(int(i))
    least = used / generated
    for i in order[in_t[order]]:
        used += take(int(i))
    return least, used / generated


def with_tightness(scenario: Scenario, tightness: float) -> Scenario:
    """The scenario with its first target's rate set ``tightness`` above its least-cost rate.

    The least-cost plan without the target then misses the target by about ``tightness``
    (0.1 = 10 percentage points): the rate is :func:`greedy_rates`' least-cost estimate +
    ``tightness``, capped a quarter of the way (at least 1 point) below the estimated reachable
    rate, so the target stays reachable with room to choose. ``tightness <= 0`` returns the
    scenario unchanged (the default 78 % target, which the least-cost plan usually meets: the
    "easy" family of docs/performance.md).

    Parameters
    ----------
    scenario : Scenario
        E.g. from :func:`generate_scenario`.
    tightness : float
        Margin, 0-1.

    Returns
    -------
    Scenario
    """
    from dataclasses import replace

    if tightness <= 0 or not scenario.targets:
        return scenario
    least, reach = greedy_rates(scenario)
    headroom = max(0.01, 0.25 * (reach - least))  # keep the target clear of the reachable rate
    rate = float(np.clip(min(least + tightness, reach - headroom), 0.0, 1.0))
    rate = float(np.floor(rate * 1000) / 1000)  # three decimals: a readable target
    first = replace(scenario.targets[0], rate=rate)
    return replace(scenario, targets=(first, *scenario.targets[1:]))
