"""Hand-checkable tiny parks for fates, counting classes and bases (docs/model.md#fates)."""

from __future__ import annotations

import pandas as pd
import pytest
from _solve_helpers import TRUCK

from parkflow.errors import ScenarioError
from parkflow.io import scenario_from_frames
from parkflow.network import candidate_links
from parkflow.solvers.api import solve
from parkflow.statistics.utilisation import basis_rate

ENT = pd.DataFrame(
    {
        "id": ["E1", "E2", "E3"],
        "name": ["a", "b", "c"],
        "park": "P1",
        "sector": ["power", "cement", "mine"],
        "lon": [104.0, 104.05, 104.1],
        "lat": [30.6, 30.6, 30.6],
        "city": "Chengdu",
    }
)


def _fly_ash(fate: str = "", **supply) -> object:
    sup = pd.DataFrame(
        {
            "id": ["S1"],
            "enterprise": ["E1"],
            "material": ["fly_ash"],
            "quantity": [100.0],
            "unit": ["t/a"],
            "fate": [fate],
            **supply,
        }
    )
    use = pd.DataFrame(
        {
            "id": ["U1"],
            "enterprise": ["E2"],
            "route": ["cement_admixture"],
            "capacity": [150.0],
            "unit": ["t/a"],
        }
    )
    links = pd.DataFrame(
        {
            "id": ["L1"],
            "from": ["E1"],
            "to": ["E2"],
            "material": ["fly_ash"],
            "route": ["cement_admixture"],
            "mode": ["truck"],
            "distance_km": [10.0],
        }
    )
    return scenario_from_frames(
        "fate",
        ENT,
        sup,
        use,
        links=links,
        candidates="links_only",
        modes={"truck": dict(TRUCK)},
        targets=[{"id": "t", "materials": "fly_ash", "rate": 0.0}],
    )


@pytest.mark.parametrize(
    ("fate", "credit"), [("", 8.0), ("stored", 8.0), ("landfilled", 60.0), ("dumped", 25.0)]
)
def test_fate_credit_by_hand(fate, credit):
    """5 + 10 − 120 − w per t, 100 t: stacking 8, landfill 60, the tax 25 only when dumped."""
    sc = _fly_ash(fate)
    res = solve(sc, baseline=False)
    assert res.objective["total_cny_per_a"] == pytest.approx(100 * (15 - 120 - credit))
    assert res.objective["disposal_avoided_cny_per_a"] == pytest.approx(100 * credit)
    assert res.co2_avoided_t_per_a == pytest.approx(100 * (0.75 - 0.001))


def test_fate_cost_and_stacking_override():
    assert (
        candidate_links(_fly_ash("stored", fate_cost=[30.0])).links["disposal_cny_per_unit"].iloc[0]
        == 30.0
    )


def test_unknown_fate_lists_the_allowed_ones():
    with pytest.raises(ScenarioError, match="stored, landfilled, dumped"):
        _fly_ash("vented")


def test_hydrogen_fuel_subtracts_the_replacement_fuel():
    sup = pd.DataFrame(
        {
            "id": ["S2"],
            "enterprise": ["E1"],
            "material": ["hydrogen"],
            "quantity": [10.0],
            "unit": ["t/a"],
            "purity": [0.9999],
            "fate": ["fuel"],
            "replacement": ["coal"],
        }
    )
    use = pd.DataFrame(
        {
            "id": ["U2"],
            "enterprise": ["E2"],
            "route": ["hydrogen_feedstock"],
            "capacity": [100.0],
            "unit": ["t/a"],
        }
    )
    sc = scenario_from_frames("h2", ENT, sup, use, targets=[])
    lk = candidate_links(sc).links
    assert lk["co2_reversed_t_per_unit"].tolist() == pytest.approx([120 * 0.0946] * len(lk))
    assert (lk["disposal_cny_per_unit"] == 0).all()


def _backfill(pg_class: str | None = None):
    sup = pd.DataFrame(
        {
            "id": ["S1", "S2"],
            "enterprise": ["E1", "E2"],
            "material": ["coal_gangue", "phosphogypsum"],
            "quantity": [100.0, 100.0],
            "unit": ["t/a", "t/a"],
        }
    )
    use = pd.DataFrame(
        {
            "id": ["U3"],
            "enterprise": ["E3"],
            "route": ["mine_backfill"],
            "capacity": [200.0],
            "unit": ["t/a"],
            "value": [20.0],
        }
    )
    links = pd.DataFrame(
        {
            "id": ["A", "B"],
            "from": ["E1", "E2"],
            "to": ["E3", "E3"],
            "material": ["coal_gangue", "phosphogypsum"],
            "route": ["mine_backfill", "mine_backfill"],
            "mode": ["truck", "truck"],
            "distance_km": [0.0, 0.0],
        }
    )
    extra = {}
    if pg_class:
        extra["route_classes"] = pd.DataFrame(
            {"route": ["mine_backfill"], "material": ["phosphogypsum"], "class": [pg_class]}
        )
    return scenario_from_frames(
        "class",
        ENT,
        sup,
        use,
        links=links,
        candidates="links_only",
        modes={"truck": dict(TRUCK)},
        targets=[
            {"id": "bulk", "materials": "coal_gangue,phosphogypsum", "rate": 0.78},
            {
                "id": "cons",
                "materials": "coal_gangue,phosphogypsum",
                "rate": 0.95,
                "basis": "consumption",
                "enforce": False,
            },
        ],
        **extra,
    )


def test_pg_backfill_is_safe_disposal_and_caps_the_nbs_rate():
    """Gangue −13, PG −30 per t → both 100 t, −4,300; nbs 50 % (56 t short), consumption 100 %."""
    res = solve(_backfill(), baseline=False)
    assert res.objective["total_cny_per_a"] == pytest.approx(-4300.0)
    t = res.targets.set_index("id")
    assert res.status.value == "target_unreachable"
    assert t.loc["bulk", "rate"] == pytest.approx(0.5)
    assert t.loc["bulk", "shortfall"] == pytest.approx(56.0)
    assert t.loc["cons", "rate"] == pytest.approx(1.0)
    assert t.loc["cons", "status"] == "not_enforced"
    d = res.diagnosis.set_index("material")
    assert d.loc["phosphogypsum", "reason"] == "only safe-disposal uses within reach"


def test_route_class_override_counts_pg_backfill():
    res = solve(_backfill("utilisation"), baseline=False)
    assert res.status.value == "optimal"
    assert res.targets.set_index("id").loc["bulk", "rate"] == pytest.approx(1.0)


def test_three_bases_by_hand():
    """U 150, X 50, O 20, G 200, R 30 (docs/model.md#bases)."""
    assert basis_rate("nbs", 150, 200, 30, 20, 50) == pytest.approx(170 / 230)
    assert basis_rate("new", 150, 200, 30, 20, 50) == pytest.approx(140 / 200)
    assert basis_rate("consumption", 150, 200, 30, 20, 50) == pytest.approx(220 / 230)


def test_hydrogen_only_park_with_the_bulk_target_is_not_applicable():
    sup = pd.DataFrame(
        {
            "id": ["S2"],
            "enterprise": ["E1"],
            "material": ["hydrogen"],
            "quantity": [10.0],
            "unit": ["t/a"],
            "purity": [0.9999],
        }
    )
    use = pd.DataFrame(
        {
            "id": ["U2"],
            "enterprise": ["E2"],
            "route": ["hydrogen_feedstock"],
            "capacity": [100.0],
            "unit": ["t/a"],
        }
    )
    res = solve(scenario_from_frames("h2", ENT, sup, use), baseline=False)
    assert res.status.value == "optimal"
    assert res.targets.iloc[0]["status"] == "not_applicable"


def test_utilisation_objective_does_not_count_pg_backfill():
    """Maximising the nbs rate: gangue 100/200 = 50 % is the most (PG backfill is disposal).

    Then least cost at that rate: PG backfill still pays (−30/t), so both 100 t, −4,300 CNY/a.
    """
    res = solve(_backfill(), objective="utilisation", baseline=False)
    t = res.targets.set_index("id")
    assert t.loc["bulk", "rate"] == pytest.approx(0.5)
    assert res.objective["total_cny_per_a"] == pytest.approx(-4300.0)
