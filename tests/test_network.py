"""The candidate network: rules of docs/model.md, "Candidate links", on hand-placed plants."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from _solve_helpers import tiny_park

from parkflow.io import scenario_from_frames
from parkflow.network import candidate_links, geodesic_km


def _scenario(ent_extra=None, supplies=None, uses=None, stockpiles=None, links=None, **kw):
    ent = pd.DataFrame(
        {
            "id": ["E1", "E2", "E3", "E4"],
            "name": ["a", "b", "c", "far"],
            "park": ["P1", "P1", "P2", "P2"],
            "sector": ["x"] * 4,
            "lon": [104.0, 104.02, 104.04, 104.0],
            "lat": [30.6, 30.6, 30.6, 32.0],
        }
    )
    sup = (
        supplies
        if supplies is not None
        else pd.DataFrame(
            {
                "enterprise": ["E1", "E1", "E1", "E2"],
                "material": ["fly_ash", "fly_ash", "waste_heat", "hydrogen"],
                "quantity": [10.0, 5.0, 1000.0, 50.0],
                "unit": ["t/a", "t/a", "GJ/a", "t/a"],
                "temperature_c": [np.nan, np.nan, 150.0, np.nan],
                "purity": [np.nan, np.nan, np.nan, 0.999],
            }
        )
    )
    use = (
        uses
        if uses is not None
        else pd.DataFrame(
            {
                "enterprise": ["E2", "E3", "E3", "E4", "E3", "E1"],
                "route": [
                    "cement_admixture",
                    "process_steam",
                    "district_heating",
                    "cement_admixture",
                    "fuel_cell_hydrogen",
                    "hydrogen_feedstock",
                ],
                "capacity": [100.0, 500.0, 500.0, 100.0, 10.0, 10.0],
                "unit": ["t/a", "GJ/a", "GJ/a", "t/a", "t/a", "t/a"],
            }
        )
    )
    return scenario_from_frames("net", ent, sup, use, stockpiles=stockpiles, links=links, **kw)


def test_solids_pool_per_enterprise_and_material():
    net = candidate_links(_scenario())
    assert net.sources.loc["E1:fly_ash", "generated"] == 15.0
    assert net.sources.loc["E1:fly_ash", "category"] == "fly_ash"
    heat = net.sources[net.sources["kind"] == "heat"]
    assert len(heat) == 1
    assert heat["temperature_c"].iloc[0] == 150.0


def test_heat_temperature_rule():
    links = candidate_links(_scenario()).links
    heat = links[links["material"] == "waste_heat"]
    # 150 °C < 180 + 20 for process steam; ≥ 70 + 10 for district heating
    assert set(heat["route"]) == {"district_heating"}
    assert set(heat["mode"]) == {"steam_pipe", "hot_water_pipe"}
    pipe = heat[heat["mode"] == "hot_water_pipe"].iloc[0]
    # hot-water loss re-estimated 0.01 → 0.002 per km (pre-insulated mains, docs/catalogue.md)
    assert pipe["efficiency"] == pytest.approx(1 - 0.002 * pipe["distance_km"])
    assert pipe["fixed_cny_per_a"] == pytest.approx(200000 + 300000 * pipe["distance_km"])


def test_hydrogen_purity_rule_adds_purification():
    links = candidate_links(_scenario()).links
    h = links[links["material"] == "hydrogen"]
    fc = h[h["route"] == "fuel_cell_hydrogen"]
    feed = h[h["route"] == "hydrogen_feedstock"]
    assert (fc["purification_cny_per_unit"] == 5000.0).all()  # 0.999 < 0.9997: purified
    assert (feed["purification_cny_per_unit"] == 0.0).all()  # 0.999 ≥ 0.99


def test_reach_and_detour():
    links = candidate_links(_scenario()).links
    far = links[links["to"] == "E4"]
    # E1 → E4 is ≈155 km: × 1.3 beyond the truck's 150 km, within rail's 800 km
    assert set(far["mode"]) == {"rail"}
    d = geodesic_km([104.0], [30.6], [104.0], [32.0])[0]
    assert far["distance_km"].iloc[0] == pytest.approx(d * 1.4)
    near = links[(links["to"] == "E2") & (links["mode"] == "truck")].iloc[0]
    assert near["distance_km"] == pytest.approx(
        geodesic_km([104.0], [30.6], [104.02], [30.6])[0] * 1.3
    )
    assert near["transport_cny_per_unit"] == pytest.approx(0.45 * near["distance_km"] + 15)
    assert near["from_park"] == "P1"
    assert near["to_park"] == "P1"


def test_stockpile_alone_creates_a_source():
    stk = pd.DataFrame(
        {
            "enterprise": ["E3"],
            "material": ["fly_ash"],
            "quantity": [30.0],
            "unit": ["t/a"],
            "max_draw": [7.0],
        }
    )
    net = candidate_links(_scenario(stockpiles=stk))
    assert net.sources.loc["E3:fly_ash", "generated"] == 0.0
    assert net.sources.loc["E3:fly_ash", "drawable"] == 7.0
    assert net.stock["source_id"].tolist() == ["E3:fly_ash"]
    from_e3 = net.links[net.links["source_id"] == "E3:fly_ash"]
    assert len(from_e3)
    assert (from_e3["bound"] <= 7.0).all()


def test_ids_are_deterministic_and_graph_keys_them():
    a = candidate_links(_scenario()).links
    b = candidate_links(_scenario()).links
    assert a.index.tolist() == b.index.tolist()
    assert a.index[0] == "C00001"
    net = candidate_links(_scenario())
    g = net.graph
    assert g.number_of_edges() == len(net.links)
    lid = net.links.index[0]
    u, v = net.links.loc[lid, ["from", "to"]]
    assert g.edges[u, v, lid]["route"] == net.links.loc[lid, "route"]
    assert g.nodes["E1"]["park"] == "P1"


def test_links_only_uses_the_table_with_overrides():
    net = candidate_links(tiny_park())
    assert net.links.index.tolist() == ["L1", "L2"]
    assert net.links.loc["L2", "distance_km"] == 20.0
    assert net.links.loc["L2", "fixed_cny_per_a"] == 500.0
    assert net.links.loc["L1", "transport_cny_per_unit"] == pytest.approx(0.5 * 10 + 10)


def test_table_link_without_mode_takes_the_cheapest():
    links = pd.DataFrame(
        {
            "id": ["L9"],
            "from": ["E1"],
            "to": ["E2"],
            "material": ["fly_ash"],
            "route": ["cement_admixture"],
            "existing": [True],
        }
    )
    net = candidate_links(_scenario(links=links))
    assert net.links.loc["L9", "mode"] == "truck"  # 15 CNY/t handling beats rail's 25
    assert bool(net.links.loc["L9", "existing"])
    # the automatic truck candidate for the same pair is not duplicated
    same = net.links[
        (net.links["source_id"] == "E1:fly_ash")
        & (net.links["use_id"] == net.links.loc["L9", "use_id"])
        & (net.links["mode"] == "truck")
    ]
    assert same.index.tolist() == ["L9"]


def test_kd_tree_pairs_match_brute_force():
    rng = np.random.default_rng(3)
    n = 120
    lon = 104.0 + rng.uniform(-2.5, 2.5, n)
    lat = 30.6 + rng.uniform(-2.0, 2.0, n)
    ent = pd.DataFrame(
        {
            "id": [f"E{k}" for k in range(n)],
            "name": "p",
            "park": "P1",
            "sector": "x",
            "lon": lon,
            "lat": lat,
        }
    )
    sup = pd.DataFrame(
        {"enterprise": ent["id"][: n // 2], "material": "fly_ash", "quantity": 10.0, "unit": "t/a"}
    )
    use = pd.DataFrame(
        {
            "enterprise": ent["id"][n // 2 :],
            "route": "cement_admixture",
            "capacity": 10.0,
            "unit": "t/a",
        }
    )
    sc = scenario_from_frames("kd", ent, sup, use, max_candidates_per_supply="none")
    links = candidate_links(sc).links
    truck = links[links["mode"] == "truck"]
    grid = np.broadcast_arrays(
        lon[: n // 2, None], lat[: n // 2, None], lon[None, n // 2 :], lat[None, n // 2 :]
    )
    d = geodesic_km(*(g.ravel() for g in grid)) * 1.3
    assert len(truck) == int((d <= 150.0).sum())
    # rail reach 800 → 400 km (useful door-to-door reach 300–400 km, docs/catalogue.md)
    assert len(links[links["mode"] == "rail"]) == int((d / 1.3 * 1.4 <= 400.0).sum())


def _heat_scenario(links=None):
    ent = pd.DataFrame(
        {
            "id": ["H1", "H2"],
            "name": ["boiler", "user"],
            "park": ["P1", "P2"],
            "sector": ["x", "y"],
            "lon": [104.0, 104.02],
            "lat": [30.6, 30.6],
        }
    )
    sup = pd.DataFrame(
        {
            "enterprise": ["H1"],
            "material": ["waste_heat"],
            "quantity": [1000.0],
            "unit": ["GJ/a"],
            "temperature_c": [250.0],
        }
    )
    use = pd.DataFrame(
        {
            "id": ["U1", "U2", "U3"],
            "enterprise": ["H2"] * 3,
            "route": ["process_steam", "district_heating", "orc_power"],
            "capacity": [500.0] * 3,
            "unit": ["GJ/a"] * 3,
        }
    )
    return scenario_from_frames("heat", ent, sup, use, links=links)


def test_route_modes_rule_keeps_hot_water_off_process_steam():
    cat = _heat_scenario().catalogue
    assert cat.routes.loc["process_steam", "modes"] == ("steam_pipe",)
    assert cat.routes.loc["cement_admixture", "modes"] == ()  # empty: any mode carrying solids
    links = candidate_links(_heat_scenario()).links
    modes = links.groupby("route")["mode"].agg(lambda m: set(m)).to_dict()
    # 250 °C qualifies for all three routes (≥ 180 + 20, 70 + 10, 90 + 10)
    assert modes == {
        "process_steam": {"steam_pipe"},
        "district_heating": {"steam_pipe", "hot_water_pipe"},
        "orc_power": {"steam_pipe", "hot_water_pipe"},
    }
    # across parks: H1 is in P1, H2 in P2
    assert set(zip(links["from_park"], links["to_park"], strict=True)) == {("P1", "P2")}


def test_route_modes_rule_picks_the_allowed_mode_for_a_table_link():
    # hot water is the cheaper pipe (200,000 + 300,000/km < 300,000 + 400,000/km), but process
    # steam allows steam only; a mode written in the table is kept as written
    table = pd.DataFrame(
        {
            "id": ["L1", "L2"],
            "from": ["H1", "H1"],
            "to": ["H2", "H2"],
            "material": ["waste_heat"] * 2,
            "route": ["process_steam", "district_heating"],
            "mode": ["", ""],
        }
    )
    links = candidate_links(_heat_scenario(links=table)).links
    assert links.loc["L1", "mode"] == "steam_pipe"
    assert links.loc["L2", "mode"] == "hot_water_pipe"


def _many_uses(k=None, links=None):
    """One fly-ash source at E0 and 12 cement plants 1, 2, ..., 12 km east of it."""
    n = 12
    lon = 104.0 + np.arange(n + 1) / (111.32 * np.cos(np.radians(30.6)))
    ent = pd.DataFrame(
        {
            "id": [f"E{i}" for i in range(n + 1)],
            "name": "p",
            "park": "P1",
            "sector": "x",
            "lon": lon,
            "lat": 30.6,
        }
    )
    sup = pd.DataFrame(
        {
            "enterprise": ["E0", "E0"],
            "material": ["fly_ash", "bf_slag"],
            "quantity": 10.0,
            "unit": "t/a",
        }
    )
    use = pd.DataFrame(
        {
            "enterprise": ent["id"][1:].tolist() * 2,
            "route": ["cement_admixture"] * n + ["road_base"] * n,
            "capacity": 10.0,
            "unit": "t/a",
        }
    )
    extra = {} if k is None else {"max_candidates_per_supply": k}
    return scenario_from_frames("many", ent, sup, use, links=links, **extra)


def test_candidates_are_bounded_per_source_and_route_to_the_nearest_uses():
    links = candidate_links(_many_uses(k=3)).links
    per = links[links["mode"] == "truck"].groupby(["source_id", "route"])["to"].agg(sorted)
    # each source keeps its 3 nearest plants on each route it can reach
    assert per.to_dict() == {
        ("E0:bf_slag", "cement_admixture"): ["E1", "E2", "E3"],
        ("E0:bf_slag", "road_base"): ["E1", "E2", "E3"],
        ("E0:fly_ash", "cement_admixture"): ["E1", "E2", "E3"],
        ("E0:fly_ash", "road_base"): ["E1", "E2", "E3"],
    }
    assert set(links["mode"]) == {"truck", "rail"}  # both modes of each kept pair
    assert len(links) == 4 * 3 * 2


def test_candidate_bound_default_and_lifted():
    from parkflow.network import DEFAULT_MAX_CANDIDATES

    assert DEFAULT_MAX_CANDIDATES == 50
    full = candidate_links(_many_uses()).links  # 12 uses < 50: all kept
    assert len(full) == 4 * 12 * 2
    assert len(candidate_links(_many_uses(k="none")).links) == len(full)
    assert len(candidate_links(_many_uses(k=12)).links) == len(full)


def test_candidate_bound_keeps_table_links():
    links = pd.DataFrame(
        {
            "from": ["E0"],
            "to": ["E12"],
            "material": ["fly_ash"],
            "route": ["cement_admixture"],
            "mode": ["truck"],
            "existing": [True],
        }
    )
    sc = _many_uses(k=1, links=links)
    net = candidate_links(sc).links
    assert "L1" in net.index
    assert net.loc["L1", "to"] == "E12"
    assert set(net.loc[net.index != "L1", "to"]) == {"E1"}


def _rail_scenario(sidings):
    # two plants 200 km apart (beyond truck reach 150 km, within rail 400 km)
    ent = pd.DataFrame(
        {
            "id": ["A", "B"],
            "name": ["mill", "kiln"],
            "park": ["P1", "P2"],
            "sector": ["x", "y"],
            "lon": [104.0, 104.0],
            "lat": [30.0, 31.8],
            "rail_siding": sidings,
        }
    )
    sup = pd.DataFrame(
        {"enterprise": ["A"], "material": ["bf_slag"], "quantity": [1000.0], "unit": ["t/a"]}
    )
    use = pd.DataFrame(
        {"enterprise": ["B"], "route": ["cement_admixture"], "capacity": [1000.0], "unit": ["t/a"]}
    )
    return scenario_from_frames("rail", ent, sup, use)


@pytest.mark.parametrize(
    ("sidings", "handling"),
    [([False, False], 70.0), ([True, False], 70.0), ([False, True], 70.0), ([True, True], 25.0)],
)
def test_rail_is_priced_door_to_door(sidings, handling):
    links = candidate_links(_rail_scenario(sidings)).links
    rail = links[links["mode"] == "rail"].iloc[0]
    # by hand: 0.15 CNY/t·km × distance + 70 CNY/t (trucking and loading at both ends), or
    # 25 CNY/t when both plants have a siding
    assert rail["transport_cny_per_unit"] == pytest.approx(0.15 * rail["distance_km"] + handling)
    assert (links["mode"] == "truck").sum() == 0  # 200 km × 1.3 detour is beyond truck reach


def test_rail_siding_column_defaults_to_false():
    sc = _heat_scenario()
    assert not sc.enterprises["rail_siding"].any()
