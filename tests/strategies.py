"""Hypothesis strategies producing small VALID scenarios (reused by the optimiser properties).

:func:`scenarios` places 2-6 enterprises within ~20 km around 30.6N 104.0E (Chengdu plain) in one
or two parks. Every by-product gets at least one matching use at another plant within reach:
solids (t/a) by truck (reach 150 km), hydrogen (t/a) by tube trailer or pipeline, waste heat
(GJ/a) only between plants at most 7 km apart (steam pipes reach 10 km with a detour of 1.2).
Stockpiles (solids) and targets are drawn sometimes.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import strategies as st

from parkflow.geo import geodesic_km

CENTRE_LON, CENTRE_LAT = 104.0, 30.6
KM_PER_DEG_LAT = 110.9
SOLIDS = (
    "fly_ash",
    "fgd_gypsum",
    "steel_slag",
    "bf_slag",
    "phosphogypsum",
    "carbide_slag",
    "coal_gangue",
    "titanium_gypsum",
    "red_mud",
    "tailings",
)
# material -> routes that accept it (from the built-in catalogue)
ROUTES = {
    "fly_ash": ("cement_admixture", "bricks", "road_base"),
    "fgd_gypsum": ("cement_retarder", "gypsum_board"),
    "steel_slag": ("road_base", "sinter_feed"),
    "bf_slag": ("cement_admixture", "road_base"),
    "phosphogypsum": ("cement_retarder", "gypsum_board", "road_base"),
    "carbide_slag": ("cement_raw_meal", "calcium_substitute"),
    "coal_gangue": ("bricks", "road_base"),
    "titanium_gypsum": ("cement_retarder", "gypsum_board"),
    "red_mud": ("road_base", "bricks"),
    "tailings": ("mine_backfill", "bricks"),
    "waste_heat": ("process_steam", "district_heating"),
    "hydrogen": ("hydrogen_feedstock", "fuel_cell_hydrogen"),
}
HEAT_NEIGHBOUR_KM = 7.0

_amount_t = st.floats(min_value=100.0, max_value=200_000.0, allow_nan=False, allow_infinity=False)
_amount_gj = st.floats(
    min_value=1_000.0, max_value=500_000.0, allow_nan=False, allow_infinity=False
)
_amount_h2_t = st.floats(min_value=5.0, max_value=3_000.0, allow_nan=False, allow_infinity=False)


@st.composite
def scenarios(draw, max_enterprises: int = 6):
    """A small valid :class:`~parkflow.models.scenario.Scenario` built by scenario_from_frames.

    Parameters
    ----------
    max_enterprises : int
        At most this many enterprises (at least 2).
    """
    from parkflow.io import scenario_from_frames

    n = draw(st.integers(min_value=2, max_value=max(2, max_enterprises)))
    n_parks = draw(st.integers(min_value=1, max_value=2))
    offsets = draw(
        st.lists(st.tuples(st.floats(-8.0, 8.0), st.floats(-8.0, 8.0)), min_size=n, max_size=n)
    )
    dx = np.array([o[0] for o in offsets])
    dy = np.array([o[1] for o in offsets])
    lat = np.round(CENTRE_LAT + dy / KM_PER_DEG_LAT, 6)
    lon = np.round(CENTRE_LON + dx / (KM_PER_DEG_LAT * np.cos(np.radians(CENTRE_LAT))), 6)
    ids = [f"E{k + 1}" for k in range(n)]
    parks = [f"P{(k % n_parks) + 1}" for k in range(n)]
    enterprises = pd.DataFrame(
        {
            "id": ids,
            "name": [f"plant {k + 1}" for k in range(n)],
            "park": parks,
            "sector": draw(
                st.lists(
                    st.sampled_from(
                        ["power", "steel", "cement", "chemicals", "building_materials"]
                    ),
                    min_size=n,
                    max_size=n,
                )
            ),
            "lon": lon,
            "lat": lat,
            "city": ["Chengdu" if p == "P1" else "Deyang" for p in parks],
        }
    )
    dist = geodesic_km(lon[:, None], lat[:, None], lon[None, :], lat[None, :])
    np.fill_diagonal(dist, np.inf)
    nearest = dist.argmin(axis=1)

    sup_rows: list[dict] = []
    use_rows: list[dict] = []
    stock_rows: list[dict] = []
    for i in range(n):
        k_min = 1 if i == 0 else 0
        count = draw(st.integers(min_value=k_min, max_value=2))
        for _ in range(count):
            heat_ok = dist[i, nearest[i]] <= HEAT_NEIGHBOUR_KM
            kinds = ["solid", "solid", "hydrogen"] + (["heat"] if heat_ok else [])
            kind = "solid" if i == 0 and not sup_rows else draw(st.sampled_from(kinds))
            if kind == "solid":
                material = draw(st.sampled_from(SOLIDS))
                quantity = draw(_amount_t)
                sup_rows.append(
                    {
                        "enterprise": ids[i],
                        "material": material,
                        "quantity": quantity,
                        "unit": "t/a",
                    }
                )
                if draw(st.booleans()):
                    stock = draw(_amount_t)
                    max_draw = draw(
                        st.one_of(st.just(np.nan), st.floats(0.0, stock, allow_nan=False))
                    )
                    stock_rows.append(
                        {
                            "enterprise": ids[i],
                            "material": material,
                            "quantity": stock,
                            "unit": "t",
                            "max_draw": max_draw,
                        }
                    )
                j = draw(st.sampled_from([k for k in range(n) if k != i]))
                capacity = draw(_amount_t)
                unit = "t/a"
            elif kind == "heat":
                material = "waste_heat"
                sup_rows.append(
                    {
                        "enterprise": ids[i],
                        "material": material,
                        "quantity": draw(_amount_gj),
                        "unit": "GJ/a",
                        "temperature_c": draw(st.floats(250.0, 450.0)),
                    }
                )
                j = int(nearest[i])
                capacity = draw(_amount_gj)
                unit = "GJ/a"
            else:
                material = "hydrogen"
                sup_rows.append(
                    {
                        "enterprise": ids[i],
                        "material": material,
                        "quantity": draw(_amount_h2_t),
                        "unit": "t/a",
                        "purity": draw(st.floats(0.99, 0.99999)),
                    }
                )
                j = draw(st.sampled_from([k for k in range(n) if k != i]))
                capacity = draw(_amount_h2_t)
                unit = "t/a"
            route = draw(st.sampled_from(ROUTES[material]))
            use_rows.append(
                {"enterprise": ids[j], "route": route, "capacity": capacity, "unit": unit}
            )
    supplies = pd.DataFrame(sup_rows)
    uses = pd.DataFrame(use_rows)
    stockpiles = pd.DataFrame(stock_rows) if stock_rows else None
    targets = None
    if draw(st.booleans()):
        scope = draw(st.sampled_from(["all", "each_park", "park:P1", "city:Chengdu"]))
        targets = [
            {
                "id": "t1",
                "materials": "bulk_solid_waste",
                "exclude": ["tailings"],
                "rate": draw(st.floats(0.0, 0.95)),
                "scope": scope,
            }
        ]
    return scenario_from_frames(
        "hypothesis park",
        enterprises,
        supplies,
        uses,
        stockpiles=stockpiles,
        targets=targets,
        year=2025,
    )
