"""The best reachable rate and the diagnosis do not depend on the objective.

docs/model.md, "Diagnosis under every objective". The park is :func:`_domain_parks.co2_park`:
per t, admixture (C, 30 t/a) −113 CNY and +0.749 t CO₂; backfill (B) +17 CNY and −0.002 t CO₂
(a CO₂-negative use). Target fly ash nbs 78 %: 78 t/a of the 100 t/a.
"""

from __future__ import annotations

import pytest
from _domain_parks import co2_park, hydrogen_park

from parkflow.solvers.api import solve


@pytest.mark.parametrize("objective", ["cost", "co2"])
def test_reachable_target_is_met_under_co2_too(objective):
    """σ* = 0: the target is hard. 30 t on C, 48 t on B (the target's 78 t).

    CO₂ = 30 × 0.749 − 48 × 0.002 = 22.374 t/a; cost = −3,390 + 816 = −2,574 CNY/a. The old
    co2 pipeline (CO₂ first, then the slack under a CO₂ floor) left B out: "best 30 %".
    """
    res = solve(co2_park(), objective=objective, baseline=False)
    assert res.status.value == "optimal"
    # phase B may use the round-off allowance of the slack cap (½ tol = 1e-4 t/a): co2 then
    # sends 47.9999 t on B, which is 78 % to 1e-6
    assert res.targets.iloc[0]["rate"] == pytest.approx(0.78, abs=2e-6)
    assert res.links.loc["B", "flow"] == pytest.approx(48.0, abs=2e-4)
    assert res.co2_avoided_t_per_a == pytest.approx(22.374, abs=1e-6)
    assert res.objective["total_cny_per_a"] == pytest.approx(-2574.0, abs=1e-2)


def test_utilisation_objective_uses_everything():
    """The rate itself is maximised: 30 + 70 = 100 %, cost −3,390 + 70 × 17 = −2,200 CNY/a."""
    res = solve(co2_park(), objective="utilisation", baseline=False)
    assert res.targets.iloc[0]["rate"] == pytest.approx(1.0)
    assert res.objective["total_cny_per_a"] == pytest.approx(-2200.0)


@pytest.mark.parametrize("objective", ["cost", "co2", "utilisation"])
def test_unreachable_target_same_best_rate_and_diagnosis(objective):
    """Backfill capacity 40: best reachable 70 % under every objective, 78 − 70 = 8 t short.

    Plan 30 + 40: CO₂ 22.47 − 0.08 = 22.39 t/a, cost −3,390 + 680 = −2,710 CNY/a; diagnosis
    "fly_ash: no capacity left within reach" with 8 t/a of capacity needed.
    """
    res = solve(co2_park(backfill_capacity=40.0), objective=objective, baseline=False)
    assert res.status.value == "target_unreachable"
    t = res.targets.iloc[0]
    assert t["rate"] == pytest.approx(0.70)
    assert t["shortfall"] == pytest.approx(8.0)
    assert res.co2_avoided_t_per_a == pytest.approx(22.39)
    assert res.objective["total_cny_per_a"] == pytest.approx(-2710.0)
    d = res.diagnosis
    assert d["material"].tolist() == ["fly_ash"]
    assert d["reason"].tolist() == ["no capacity left within reach"]
    assert d["capacity_needed"].tolist() == pytest.approx([8.0])
    assert "0.7000 < 0.7800" in res.message


def test_hydrogen_only_park_reports_the_bulk_target_not_applicable():
    """10 t/a of vented hydrogen into a feedstock use; the default bulk target has no material.

    Status ``optimal``; the target is ``not_applicable`` with rate null (no ``target_rate``
    row, no slack), and no text says "nan% — met".
    """
    import pandas as pd

    from parkflow.report.console import summary_lines
    from parkflow.statistics.summary import summary_dict

    res = solve(hydrogen_park())
    assert res.status.value == "optimal"
    t = res.targets.iloc[0]
    assert t["status"] == "not_applicable"
    assert pd.isna(t["rate"])
    assert res.solver["n_constraints"] > 0
    text = "\n".join(summary_lines(res, "en"))
    assert "nan" not in text.lower()
    assert summary_dict(res)["targets"][0]["rate"] is None
    assert res.baseline.targets.iloc[0]["status"] == "not_applicable"
