"""Candidate facilities: the size ladder by hand (design §8.4 with today's economics) and
properties (docs/model.md "Facilities")."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import parkflow as pf
from parkflow.network import candidate_links, crf, facility_ladder
from parkflow.solvers.formulation import build
from tests.solvers._facility_parks import mill_park

# Per t into the mill: 10 handling + 5 variable − 5 value − 25 disposal = −15 CNY.
# discount_rate 0, life 10: A(100) = (8,000 + 6,000)/10 = 1,400; A(200) = 2,000 (steps 1,400 + 600).


def _solve(**kw):
    return pf.solve(mill_park(**kw), baseline=False)


def test_crf_values():
    assert crf(0.08, 20) == pytest.approx(0.101852, abs=1e-6)
    assert crf(0.10, 10) == pytest.approx(0.162745, abs=1e-6)
    assert crf(0.0, 10) == pytest.approx(0.1)


def test_open_at_100_not_200():
    """Size 100: −15·100 + 1,400 = −100; size 200: −15·130 + 2,000 = +50; none: 0."""
    r = _solve()
    assert r.status.value == "optimal"
    assert r.objective["total_cny_per_a"] == pytest.approx(-100.0)
    assert r.objective["facility_cny_per_a"] == pytest.approx(1400.0)
    f = r.facilities
    assert list(f["size"]) == [100.0]
    assert f["capex_cny"].iloc[0] == pytest.approx(14000.0)
    assert f["throughput"].iloc[0] == pytest.approx(100.0)
    assert f["load_factor"].iloc[0] == pytest.approx(1.0)


def test_size_200_only_is_not_opened():
    r = _solve(sizes="200")
    assert r.objective["total_cny_per_a"] == pytest.approx(0.0)
    assert r.facilities.empty


def test_target_forces_the_larger_size():
    r = _solve(targets=[{"id": "t", "materials": "bf_slag", "rate": 0.9, "scope": "all"}])
    assert r.status.value == "optimal"
    assert r.objective["total_cny_per_a"] == pytest.approx(50.0)
    assert list(r.facilities["size"]) == [200.0]


@pytest.mark.parametrize(
    ("generated", "expanded", "cost"), [(130.0, False, -1500.0), (150.0, True, -1650.0)]
)
def test_expansion_pays_the_capex_difference(generated, expanded, cost):
    """existing 100, size 200: ΔK = 60·100 = 6,000, A = 600; 30 t × 15 = 450 < 600."""
    r = _solve(existing=100.0, sizes="200", generated_t=generated)
    assert r.objective["total_cny_per_a"] == pytest.approx(cost)
    assert (len(r.facilities) == 1) == expanded
    if expanded:
        assert r.facilities["capex_cny"].iloc[0] == pytest.approx(6000.0)


def test_ladder_and_tight_link_row():
    """facility_link row: η f − 100 y_1 − 30 y_2 ≤ 0 (β_2 = min(100, 130 − 100) = 30)."""
    net = candidate_links(mill_park())
    lad = net.ladder
    assert list(lad.index) == ["F1:100", "F1:200"]
    assert list(lad["annual_cny_per_a"]) == pytest.approx([1400.0, 600.0])
    form = build(net, [])
    m = form.model
    rows = m.rows("facility_link")
    A = m.A[rows].toarray()
    opens = A[:, form.layout.columns("open")]
    assert opens.tolist()[0] == pytest.approx([-100.0, -30.0])
    assert m.row_upper[rows] == pytest.approx(0.0)
    assert "facility_open[F1:200]" in set(m.rows_of("facility_open"))


def test_discount_rate_annualises_with_crf():
    net = candidate_links(mill_park(discount_rate=0.08))
    assert net.ladder["annual_cny_per_a"].iloc[0] == pytest.approx(14000.0 * crf(0.08, 10))


def test_no_facilities_keeps_the_model():
    from tests._solve_helpers import tiny_park

    form = build(candidate_links(tiny_park()), [])
    assert form.layout.n_open == 0
    assert not any(n.startswith("open[") for n in form.model.col_names)
    assert (
        form.model.rows("facility_capacity") == slice(0, 0)
        or form.model.rows("facility_capacity").stop == form.model.rows("facility_capacity").start
    )


def test_ladder_is_empty_without_facilities():
    assert len(facility_ladder(None, None, 0.0)) == 0  # type: ignore[arg-type]


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    generated=st.floats(20.0, 400.0),
    value=st.floats(-20.0, 60.0),
    rate=st.sampled_from([0.0, 0.5, 0.9]),
)
def test_flow_into_a_facility_only_when_open(generated, value, rate):
    from tests.solvers._facility_parks import MILL_B

    tech = {**MILL_B, "value_cny_per_unit": value}
    sc = mill_park(
        generated_t=generated,
        tech=tech,
        targets=[{"id": "t", "materials": "bf_slag", "rate": rate, "scope": "all"}],
    )
    r = pf.solve(sc, baseline=False)
    into = r.flows[r.flows["use_id"] == "F:F1"]["flow"].sum() if len(r.flows) else 0.0
    size = float(r.facilities["size"].max()) if len(r.facilities) else 0.0
    assert into <= size + 1e-6
    # every year's rate ≥ its target, or the shortfall is reported
    t = r.targets.iloc[0]
    assert t["rate"] >= rate - 1e-6 or t["shortfall"] > 0
    assert np.isfinite(r.objective["total_cny_per_a"])
