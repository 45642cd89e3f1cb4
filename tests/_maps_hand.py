"""A hand-built scenario and result for the map and compare tests (no solver needed).

=====  =========  ===========  ======================================================
id     sector     park         by-product / use
=====  =========  ===========  ======================================================
E1     power      P1           fly ash 100 000 t/a → E2 cement admixture 60 000 (existing)
E2     cement     P1           absorbs fly ash (cement_admixture 80 000) and gypsum
                               (cement_retarder 30 000)
E3     chemicals  P2           phosphogypsum 50 000 t/a → E2 retarder 20 000; 30 000 left
E4     steel      P2           steel slag 40 000 t/a → E1? no: → E2? no: left entirely
=====  =========  ===========  ======================================================

So: 4 enterprises, 2 built links (fly ash, phosphogypsum), unused supply at E1 (40 000 fly ash),
E3 (30 000 phosphogypsum) and E4 (40 000 steel slag); park P1 has a polygon, P2 none.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
from shapely.geometry import Polygon

from parkflow.catalogue import builtin_catalogue
from parkflow.models.result import Result, SolveStatus
from parkflow.models.scenario import Scenario, Target


def hand_scenario(name: str = "hand park") -> Scenario:
    ent = pd.DataFrame(
        {
            "name": ["电厂 Power", "水泥厂 Cement", "磷化工 Chem", "钢厂 Steel"],
            "park": ["P1", "P1", "P2", "P2"],
            "sector": ["power", "cement", "chemicals", "steel"],
            "lon": [103.70, 103.74, 103.80, 103.84],
            "lat": [29.40, 29.42, 29.38, 29.44],
            "city": ["Leshan"] * 4,
        },
        index=pd.Index(["E1", "E2", "E3", "E4"], name="enterprise_id"),
    )
    ent = gpd.GeoDataFrame(
        ent, geometry=gpd.points_from_xy(ent["lon"], ent["lat"]), crs="EPSG:4326"
    )
    supplies = pd.DataFrame(
        {
            "enterprise": ["E1", "E3", "E4"],
            "material": ["fly_ash", "phosphogypsum", "steel_slag"],
            "quantity": [100_000.0, 50_000.0, 40_000.0],
            "unit": ["t/a"] * 3,
            "temperature_c": [float("nan")] * 3,
            "purity": [float("nan")] * 3,
        },
        index=pd.Index(["S1", "S2", "S3"], name="supply_id"),
    )
    uses = pd.DataFrame(
        {
            "enterprise": ["E2", "E2"],
            "route": ["cement_admixture", "cement_retarder"],
            "capacity": [80_000.0, 30_000.0],
            "unit": ["t/a", "t/a"],
            "min_temperature_c": [float("nan")] * 2,
            "min_purity": [float("nan")] * 2,
            "value": [float("nan")] * 2,
        },
        index=pd.Index(["U1", "U2"], name="use_id"),
    )
    empty = pd.DataFrame(columns=["enterprise", "material", "quantity", "unit", "max_draw"])
    links = pd.DataFrame(
        columns=["from", "to", "material", "route", "mode", "existing", "fixed_cost", "distance_km"]
    )
    parks = gpd.GeoDataFrame(
        {
            "name": ["五通桥园区", "P2 park"],
            "level": ["provincial", "municipal"],
            "city": ["Leshan", "Leshan"],
            "geometry": [
                Polygon([(103.68, 29.38), (103.76, 29.38), (103.76, 29.45), (103.68, 29.45)]),
                None,
            ],
        },
        index=pd.Index(["P1", "P2"], name="park_id"),
        crs="EPSG:4326",
    )
    return Scenario(
        name=name,
        enterprises=ent,
        supplies=supplies,
        uses=uses,
        stockpiles=empty,
        links=links,
        parks=parks,
        catalogue=builtin_catalogue(),
        targets=(
            Target(id="bulk-2025", materials=("fly_ash", "phosphogypsum", "steel_slag"), rate=0.78),
        ),
    )


def link_rows(rows: list[dict]) -> pd.DataFrame:
    base = {
        "mode": "truck",
        "distance_km": 5.0,
        "existing": False,
        "build": 1,
        "transport_cny_per_a": 0.0,
        "fixed_cny_per_a": 0.0,
        "purification_cny_per_a": 0.0,
        "value_cny_per_a": 0.0,
        "disposal_avoided_cny_per_a": 0.0,
        "co2_avoided_t_per_a": 0.0,
    }
    df = pd.DataFrame([{**base, **r} for r in rows]).set_index("link_id")
    df["delivered"] = df["flow"]
    df["total_cny_per_a"] = (
        df["transport_cny_per_a"]
        + df["fixed_cny_per_a"]
        + df["purification_cny_per_a"]
        - df["value_cny_per_a"]
        - df["disposal_avoided_cny_per_a"]
    )
    return df


def hand_result(links: pd.DataFrame | None = None, name: str = "hand park") -> Result:
    """Sources are derived from the built links, so the numbers stay consistent."""
    if links is None:
        links = link_rows(
            [
                {
                    "link_id": "L1",
                    "from": "E1",
                    "to": "E2",
                    "material": "fly_ash",
                    "route": "cement_admixture",
                    "flow": 60_000.0,
                    "existing": True,
                    "transport_cny_per_a": 600_000.0,
                    "value_cny_per_a": 7_200_000.0,
                    "disposal_avoided_cny_per_a": 1_500_000.0,
                    "co2_avoided_t_per_a": 45_000.0,
                },
                {
                    "link_id": "L2",
                    "from": "E3",
                    "to": "E2",
                    "material": "phosphogypsum",
                    "route": "cement_retarder",
                    "flow": 20_000.0,
                    "distance_km": 12.0,
                    "transport_cny_per_a": 400_000.0,
                    "fixed_cny_per_a": 100_000.0,
                    "value_cny_per_a": 1_000_000.0,
                    "disposal_avoided_cny_per_a": 500_000.0,
                    "co2_avoided_t_per_a": 60.0,
                },
                {
                    "link_id": "L3",
                    "from": "E4",
                    "to": "E2",
                    "material": "steel_slag",
                    "route": "road_base",
                    "flow": 0.0,
                    "build": 0,
                },
            ]
        )
    flows = links[links["build"] == 1]
    gen = pd.DataFrame(
        {
            "enterprise": ["E1", "E3", "E4"],
            "material": ["fly_ash", "phosphogypsum", "steel_slag"],
            "generated": [100_000.0, 50_000.0, 40_000.0],
        }
    )
    used = flows.groupby(["from", "material"])["flow"].sum()
    gen["utilised"] = [
        float(used.get((e, m), 0.0))
        for e, m in zip(gen["enterprise"], gen["material"], strict=True)
    ]
    sources = gen.assign(
        drawn=0.0,
        category=["fly_ash", "byproduct_gypsum", "smelting_slag"],
        unit="t/a",
        park=["P1", "P2", "P2"],
        city="Leshan",
    )
    sources["left"] = sources["generated"] - sources["utilised"]
    sources.index = pd.Index([f"Q{i}" for i in range(len(sources))], name="source_id")
    utilised, generated = float(sources["utilised"].sum()), float(sources["generated"].sum())
    targets = pd.DataFrame(
        [
            {
                "id": "bulk-2025",
                "scope": "all",
                "target": 0.78,
                "rate": utilised / generated,
                "met": utilised >= 0.78 * generated,
                "utilised": utilised,
                "generated": generated,
                "drawn": 0.0,
                "shortfall": max(0.0, 0.78 * generated - utilised),
                "unit": "t/a",
            }
        ]
    )
    return Result(
        scenario_name=name,
        status=SolveStatus.TARGET_UNREACHABLE,
        objective_name="cost",
        links=links,
        flows=flows,
        draws=pd.DataFrame(),
        sources=sources,
        utilisation=pd.DataFrame(),
        targets=targets,
        objective={
            "total_cny_per_a": float(flows["total_cny_per_a"].sum()),
            "transport_cny_per_a": float(flows["transport_cny_per_a"].sum()),
            "fixed_cny_per_a": float(flows["fixed_cny_per_a"].sum()),
            "purification_cny_per_a": 0.0,
            "value_cny_per_a": float(flows["value_cny_per_a"].sum()),
            "disposal_avoided_cny_per_a": float(flows["disposal_avoided_cny_per_a"].sum()),
        },
        co2_avoided_t_per_a=float(flows["co2_avoided_t_per_a"].sum()),
        solver={},
    )
