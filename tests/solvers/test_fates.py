"""Hand-checkable tiny parks for fates, counting classes and bases (docs/model.md#fates)."""

from __future__ import annotations

import pandas as pd
import pytest
from _domain_parks import hydrogen_park

from parkflow.errors import ScenarioError
from parkflow.examples import (
    enterprises_frame,
    links_frame,
    links_only_park,
    supplies_frame,
    uses_frame,
)
from parkflow.network import candidate_links
from parkflow.solvers.api import solve
from parkflow.statistics.utilisation import basis_rate

ENT = enterprises_frame(["a", "b", "c"], ["power", "cement", "mine"])


def _fly_ash(fate: str = "", **supply) -> object:
    sup = supplies_frame([("S1", "E1", "fly_ash", 100.0)], fate=[fate], **supply)
    use = uses_frame([("U1", "E2", "cement_admixture", 150.0)])
    links = links_frame([("L1", "E1", "E2", "fly_ash", "cement_admixture", 10.0)])
    return links_only_park(
        "fate",
        ENT,
        sup,
        use,
        links,
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
    sc = hydrogen_park(ENT, targets=[], fate=["fuel"], replacement=["coal"])
    lk = candidate_links(sc).links
    assert lk["co2_reversed_t_per_unit"].tolist() == pytest.approx([120 * 0.0946] * len(lk))
    assert (lk["disposal_cny_per_unit"] == 0).all()


def _backfill(pg_class: str | None = None):
    sup = supplies_frame([("S1", "E1", "coal_gangue", 100.0), ("S2", "E2", "phosphogypsum", 100.0)])
    use = uses_frame([("U3", "E3", "mine_backfill", 200.0)], value=[20.0])
    links = links_frame(
        [
            ("A", "E1", "E3", "coal_gangue", "mine_backfill", 0.0),
            ("B", "E2", "E3", "phosphogypsum", "mine_backfill", 0.0),
        ]
    )
    extra = {}
    if pg_class:
        extra["route_classes"] = pd.DataFrame(
            {"route": ["mine_backfill"], "material": ["phosphogypsum"], "class": [pg_class]}
        )
    return links_only_park(
        "class",
        ENT,
        sup,
        use,
        links,
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
    res = solve(hydrogen_park(ENT), baseline=False)
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
