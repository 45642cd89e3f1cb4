"""Candidate-set reductions (parkflow.solvers.reduce): counts by rule, same optimum."""

from __future__ import annotations

import pandas as pd
import pytest

from parkflow.models.scenario import Target
from parkflow.network import CandidateNetwork, candidate_links
from parkflow.solvers.full import expand_targets, solve_network
from parkflow.solvers.reduce import reduce_links
from parkflow.studies.generate import generate_scenario


def hand_network() -> CandidateNetwork:
    """S1 (fly ash 100 t/a) and S2 (slag 100 t/a) → uses U1..U4 (capacity 50 t/a each).

    Net CNY per t (transport − 25 disposal avoided): L1 truck S1→U1 −20, its rail twin L2 −10
    (dominated); L3 slag → U2 +5 (unprofitable, slag in no target); L4 slag → U3 +5 but existing
    (kept); L5, L6, L7 fly ash → U2, U3, U4 at −8, −6, −4.
    """
    sources = pd.DataFrame(
        {"generated": [100.0, 100.0], "drawable": [0.0, 0.0], "material": ["fly_ash", "slag"]},
        index=pd.Index(["S1", "S2"], name="source_id"),
    )
    sinks = pd.DataFrame(
        {"capacity": [50.0] * 4}, index=pd.Index(["U1", "U2", "U3", "U4"], name="use_id")
    )
    rows = [  # id, source, use, mode, transport, existing
        ("L1", "S1", "U1", "truck", 5.0, False),
        ("L2", "S1", "U1", "rail", 15.0, False),
        ("L3", "S2", "U2", "truck", 30.0, False),
        ("L4", "S2", "U3", "truck", 30.0, True),
        ("L5", "S1", "U2", "truck", 17.0, False),
        ("L6", "S1", "U3", "truck", 19.0, False),
        ("L7", "S1", "U4", "truck", 21.0, False),
    ]
    links = pd.DataFrame(
        rows,
        columns=["link_id", "source_id", "use_id", "mode", "transport_cny_per_unit", "existing"],
    ).set_index("link_id")
    links["material"] = links["source_id"].map(sources["material"])
    links["route"] = "bricks"
    links["efficiency"] = 1.0
    links["purification_cny_per_unit"] = 0.0
    links["value_cny_per_unit"] = 0.0
    links["disposal_cny_per_unit"] = 25.0
    links["fixed_cny_per_a"] = 0.0
    links["co2_avoided_t_per_unit"] = 0.0
    links["co2_transport_t_per_unit"] = 0.0
    links["bound"] = 50.0
    return CandidateNetwork(sources=sources, sinks=sinks, stock=pd.DataFrame(), links=links)


FLY_ASH_TARGET = [Target(id="t", rate=0.5, materials=("fly_ash",))]


def test_counts_per_rule_and_existing_kept() -> None:
    net, rep = reduce_links(hand_network(), FLY_ASH_TARGET, cover=None)
    assert rep.dropped == {"dominated_mode": 1, "unprofitable": 1}
    assert sorted(net.links.index) == ["L1", "L4", "L5", "L6", "L7"]
    assert rep.exact
    assert rep.n_before == 7
    assert rep.n_after == 5
    assert "7 → 5 candidate links" in str(rep)


def test_target_material_is_never_unprofitable() -> None:
    slag_target = [Target(id="t", rate=0.5, materials=("slag",))]
    net, rep = reduce_links(hand_network(), slag_target, cover=None)
    assert rep.dropped["unprofitable"] == 0
    assert "L3" in net.links.index


def test_k_cheapest_keeps_enough_capacity() -> None:
    net, rep = reduce_links(hand_network(), FLY_ASH_TARGET, cover=1.0, min_keep=1)
    # S1 (100 t/a): U1 (net −20) and U2 (−8) cover 100 t; U3 and U4 are dropped
    assert rep.dropped["k_cheapest"] == 2
    assert not rep.exact
    assert sorted(net.links.index) == ["L1", "L4", "L5"]
    net2, rep2 = reduce_links(hand_network(), FLY_ASH_TARGET, cover=2.0, min_keep=1)
    assert rep2.dropped["k_cheapest"] == 0  # 150 t kept capacity < 2 × 100 t: nothing dropped


def test_co2_objective_keeps_cleaner_mode() -> None:
    base = hand_network()
    base.links.loc["L2", "co2_avoided_t_per_unit"] = 0.1  # rail avoids more CO2
    _, rep = reduce_links(base, objective="co2", cover=None)
    assert rep.dropped == {"dominated_mode": 0}


def test_exact_reduction_keeps_generated_optimum() -> None:
    sc = generate_scenario(60, 3, seed=2)
    tg = expand_targets(sc.targets, sc)
    full = candidate_links(sc)
    reduced, rep = reduce_links(full, tg, cover=None)
    assert rep.n_after < rep.n_before
    a = solve_network(sc, full, "cost", "highs", 60, 1e-4, tg)
    b = solve_network(sc, reduced, "cost", "highs", 60, 1e-4, tg)
    pa, pb = a.objective["total_cny_per_a"], b.objective["total_cny_per_a"]
    assert pb == pytest.approx(pa, rel=2e-4)
