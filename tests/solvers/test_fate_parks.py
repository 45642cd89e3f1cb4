"""One tiny park per fate, the credit and the CO₂ by hand (docs/model.md, "Fates").

Solids: 100 t/a fly ash E1 → E2 cement admixture over 10 km by truck (0.5 CNY/t·km + 10 CNY/t,
0.0001 t CO₂/t·km): per t 5 + 10 − 120 − w, CO₂ 0.75 − 0.001 = 0.749 t
(the stored/landfilled/dumped credits are in tests/solvers/test_fates.py).

Hydrogen: 10 t/a (purity 0.999) E4 → E5 feedstock over a 1 km pipeline that costs only
1,000 CNY/t handling: per t 1,000 − 11,000 = −10,000 CNY whatever the fate; CO₂ per t 10 − ρ
with ρ = 0 (vented, flared), 120 GJ/t × 0.0555 = 6.66 (fuel, natural gas) or
120 × 0.0946 = 11.352 (fuel, coal).

Heat: 1,000 GJ/a at 250 °C (wasted) E6 → E7 process steam over a 1 km steam pipe losing
2 %/km: η = 0.98, per GJ sent −0.98 × 60 = −58.8 CNY, CO₂ 0.98 × 0.062 = 0.06076 t.
"""

from __future__ import annotations

import pandas as pd
import pytest
from _solve_helpers import TRUCK

from parkflow.io import scenario_from_frames
from parkflow.solvers.api import solve

ENT = pd.DataFrame(
    {
        "id": ["E1", "E2", "E4", "E5", "E6", "E7"],
        "name": ["power", "cement", "chlor-alkali", "ammonia", "glass", "chemicals"],
        "park": "P1",
        "sector": ["power", "cement", "chlor_alkali", "ammonia", "chemicals", "chemicals"],
        "lon": [104.0, 104.05, 104.0, 104.01, 104.0, 104.01],
        "lat": [30.6, 30.6, 30.61, 30.61, 30.62, 30.62],
        "city": "Chengdu",
    }
)
PIPE = {
    "cost_cny_per_tkm": 0.0,
    "handling_cny_per_t": 1000.0,
    "fixed_cny_per_a": 0.0,
    "fixed_cny_per_km_a": 0.0,
    "co2_t_per_tkm": 0.0,
    "loss_per_km": 0.0,
}
STEAM = {
    "cost_cny_per_tkm": 0.0,
    "handling_cny_per_t": 0.0,
    "fixed_cny_per_a": 0.0,
    "fixed_cny_per_km_a": 0.0,
    "co2_t_per_tkm": 0.0,
    "loss_per_km": 0.02,
}


def _link(lid, a, b, material, route, mode, km):
    return {
        "id": lid,
        "from": a,
        "to": b,
        "material": material,
        "route": route,
        "mode": mode,
        "distance_km": km,
    }


def _fly_ash(**supply):
    sup = pd.DataFrame(
        [{"id": "S1", "enterprise": "E1", "material": "fly_ash", "quantity": 100.0, **supply}]
    ).assign(unit="t/a")
    use = pd.DataFrame(
        [{"id": "U1", "enterprise": "E2", "route": "cement_admixture", "capacity": 150.0}]
    ).assign(unit="t/a")
    links = pd.DataFrame([_link("L1", "E1", "E2", "fly_ash", "cement_admixture", "truck", 10.0)])
    return sup, use, links


def _scenario(sup, use, links, **extra):
    return scenario_from_frames(
        "fates",
        ENT,
        sup,
        use,
        links=links,
        candidates="links_only",
        modes={"truck": dict(TRUCK), "hydrogen_pipeline": PIPE, "steam_pipe": STEAM},
        targets=[],
        **extra,
    )


def test_scenario_stacking_cost_overrides_the_catalogue():
    """stacking_costs fly_ash 15: 5 + 10 − 120 − 15 = −120 per t → −12,000 CNY/a."""
    stack = pd.DataFrame({"material": ["fly_ash"], "cost_cny_per_t": [15.0]})
    res = solve(_scenario(*_fly_ash(fate="stored"), stacking_costs=stack), baseline=False)
    assert res.objective["total_cny_per_a"] == pytest.approx(-12000.0)
    assert res.objective["disposal_avoided_cny_per_a"] == pytest.approx(1500.0)
    assert res.co2_avoided_t_per_a == pytest.approx(74.9)


def test_supply_fate_cost_overrides_the_fate():
    """fate_cost 30: 5 + 10 − 120 − 30 = −135 per t → −13,500 CNY/a."""
    res = solve(_scenario(*_fly_ash(fate="stored", fate_cost=30.0)), baseline=False)
    assert res.objective["total_cny_per_a"] == pytest.approx(-13500.0)
    assert res.co2_avoided_t_per_a == pytest.approx(74.9)


def _hydrogen(fate, replacement=None):
    row = {
        "id": "S2",
        "enterprise": "E4",
        "material": "hydrogen",
        "quantity": 10.0,
        "purity": 0.999,
        "fate": fate,
    }
    if replacement:
        row["replacement"] = replacement
    sup = pd.DataFrame([row]).assign(unit="t/a")
    use = pd.DataFrame(
        [{"id": "U2", "enterprise": "E5", "route": "hydrogen_feedstock", "capacity": 100.0}]
    ).assign(unit="t/a")
    links = pd.DataFrame(
        [_link("L2", "E4", "E5", "hydrogen", "hydrogen_feedstock", "hydrogen_pipeline", 1.0)]
    )
    return _scenario(sup, use, links)


@pytest.mark.parametrize(
    ("fate", "replacement", "co2"),
    [
        ("vented", None, 100.0),
        ("flared", None, 100.0),
        ("fuel", None, 10 * (10 - 6.66)),
        ("fuel", "coal", 10 * (10 - 11.352)),
    ],
)
def test_hydrogen_fate_changes_the_co2_not_the_cost(fate, replacement, co2):
    """−10,000 CNY/t × 10 t = −100,000 CNY/a for every fate; CO₂ 10 × (10 − ρ)."""
    res = solve(_hydrogen(fate, replacement), baseline=False)
    assert res.objective["total_cny_per_a"] == pytest.approx(-100000.0)
    assert res.objective["disposal_avoided_cny_per_a"] == pytest.approx(0.0)
    assert res.co2_avoided_t_per_a == pytest.approx(co2)


def test_co2_objective_leaves_a_co2_negative_hydrogen_link_unbuilt():
    """fuel/coal: −13.52 t CO₂ if built, so ``--objective co2`` builds nothing: cost 0."""
    res = solve(_hydrogen("fuel", "coal"), objective="co2", baseline=False)
    assert res.links.loc["L2", "flow"] == pytest.approx(0.0)
    assert res.objective["total_cny_per_a"] == pytest.approx(0.0)
    assert res.co2_avoided_t_per_a == pytest.approx(0.0)


def test_wasted_heat_by_hand():
    """1,000 GJ × −58.8 = −58,800 CNY/a; CO₂ 1,000 × 0.98 × 0.062 = 60.76 t/a."""
    sup = pd.DataFrame(
        [
            {
                "id": "S3",
                "enterprise": "E6",
                "material": "waste_heat",
                "quantity": 1000.0,
                "unit": "GJ/a",
                "temperature_c": 250.0,
                "fate": "wasted",
            }
        ]
    )
    use = pd.DataFrame(
        [
            {
                "id": "U3",
                "enterprise": "E7",
                "route": "process_steam",
                "capacity": 5000.0,
                "unit": "GJ/a",
            }
        ]
    )
    links = pd.DataFrame(
        [_link("L3", "E6", "E7", "waste_heat", "process_steam", "steam_pipe", 1.0)]
    )
    res = solve(_scenario(sup, use, links), baseline=False)
    assert res.links.loc["L3", "efficiency"] == pytest.approx(0.98)
    assert res.objective["total_cny_per_a"] == pytest.approx(-58800.0)
    assert res.co2_avoided_t_per_a == pytest.approx(60.76)
