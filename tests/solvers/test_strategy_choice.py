"""Which strategy solves what: facilities and periods (parkflow.solvers.api, decompose)."""

from __future__ import annotations

import pytest

import parkflow as pf
from parkflow.errors import ScenarioError
from parkflow.solvers import api
from parkflow.solvers.decompose import solve_decomposed
from tests.solvers._facility_parks import mill_park

TARGET_90 = [{"id": "t", "materials": "bf_slag", "rate": 0.9, "scope": "all"}]


def test_auto_chooses_full_for_candidate_facilities(monkeypatch) -> None:
    """Even above the size threshold, ``auto`` solves a facility scenario whole."""
    monkeypatch.setattr(api, "DECOMPOSE_MIN_LINKS", 0)
    r = pf.solve(mill_park(), baseline=False, strategy="auto")
    assert r.solver["strategy"] == "full"
    assert r.objective["total_cny_per_a"] == pytest.approx(-100.0)


@pytest.mark.parametrize(
    ("targets", "cost", "size"),
    [(None, -100.0, 100.0), (TARGET_90, 50.0, 200.0)],
)
def test_decompose_handles_a_facility_inside_one_block(targets, cost: float, size: float) -> None:
    """The mill F1 is in E1's block: same optima as test_facilities (size 100: −15·100 + 1,400
    = −100 CNY/a; a 90 % target forces size 200: −15·130 + 2,000 = +50 CNY/a)."""
    r = pf.solve(mill_park(targets=targets), baseline=False, strategy="decompose", gap=1e-6)
    assert r.solver["strategy"] == "decompose"
    assert "solved whole" not in r.message
    assert r.objective["total_cny_per_a"] == pytest.approx(cost, abs=1e-6)
    assert list(r.facilities["size"]) == [size]


def test_decompose_refuses_periods_in_one_line() -> None:
    """A scenario with periods (several years) is refused with a ScenarioError (exit 2)."""

    with pytest.raises(
        ScenarioError, match="decompose solves one year and this scenario has periods"
    ) as err:
        solve_decomposed(WithPeriods(mill_park()), jobs=1)  # type: ignore[arg-type]
    assert len(err.value.problems) == 1
    assert "\n" not in str(err.value.problems[0])


class WithPeriods:
    """A scenario seen with ``periods`` (what the periods work adds), otherwise unchanged."""

    def __init__(self, sc: object) -> None:
        self._sc = sc
        self.periods = [2025, 2030]

    def __getattr__(self, name: str) -> object:
        return getattr(self._sc, name)


def test_cli_decompose_with_periods_exits_2(monkeypatch, tmp_path, capsys) -> None:
    import parkflow.io
    from parkflow import cli

    real = parkflow.io.load_scenario
    monkeypatch.setattr(parkflow.io, "load_scenario", lambda p: WithPeriods(real(p)))
    out = tmp_path / "out"
    code = cli.main(
        ["solve", str(pf.bundled_scenario_path()), "--out", str(out), "--strategy", "decompose"]
    )
    err = capsys.readouterr().err
    assert code == 2
    assert "decompose solves one year" in err
    assert "use --strategy full" in err
    assert not out.exists()
