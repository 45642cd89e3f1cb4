"""The diagnosis names only facilities that could still take the material (issue 12).

The tiny mill park (tests/solvers/_facility_parks.py): E1 generates 300 t/a of bf_slag, its only
use is the candidate mill F1 (sizes 100 and 200 t/a; each tonne into it earns 15 CNY, so the
mill is built at 200 t/a and runs full). The target asks 90 %: 270 t/a, so 70 t/a are short.

* F1 is at its largest size and fully loaded: it cannot close the gap and is not named.
* With no market cap on mill_b, another mill_b site would: "add a facilities row: mill_b"
  (beside the built-in technologies that accept slag, which are named either way).
* With mill_b's market capped at 200 t/a (all of it taken by F1), another site would take
  nothing either: mill_b is not named; the kind stays ``no_capacity``.
"""

from __future__ import annotations

from _facility_parks import MILL_B, mill_park

from parkflow.solvers.api import solve

TARGET = [{"id": "t", "materials": "bf_slag", "rate": 0.9, "scope": "all"}]


def test_a_full_candidate_is_not_named_but_another_site_is():
    res = solve(mill_park(300.0, sizes="100;200", targets=TARGET))
    assert res.status.value == "target_unreachable"
    assert res.facilities["size"].tolist() == [200.0]
    assert res.targets["shortfall"].iloc[0] == 70.0
    d = res.diagnosis
    assert d["kind"].tolist() == ["no_capacity"]
    assert "add a facilities row: mill_b" in d["facilities"].iloc[0].split("; ")
    f = res.diagnosis_facilities
    assert set(f["kind"]) == {"technology"}  # F1, the candidate, is full
    assert "mill_b" in f["technology"].tolist()


def test_a_full_market_names_nothing():
    capped = {**MILL_B, "max_output_unit_per_a": 200.0}
    res = solve(mill_park(300.0, sizes="100;200", tech=capped, targets=TARGET))
    assert res.status.value == "target_unreachable"
    assert res.targets["shortfall"].iloc[0] == 70.0
    assert res.diagnosis["kind"].tolist() == ["no_capacity"]
    f = res.diagnosis_facilities
    assert set(f["kind"]) == {"technology"}
    assert "mill_b" not in f["technology"].tolist()  # its market is full
    assert "mill_b" not in res.diagnosis["facilities"].iloc[0]


def test_room_on_the_ladder_but_none_in_the_market_is_not_room():
    """Ladder 100;400, market 250 t/a: F1 opens at 400 and takes 250 (the market), 20 t/a
    short of 270. F1 has 150 t/a left on its size but none in its market: not named. Without
    the cap F1 takes all 300 t/a and the target is met (no diagnosis)."""
    capped = {**MILL_B, "sizes": "100;400", "max_output_unit_per_a": 250.0}
    res = solve(mill_park(300.0, sizes="100;400", tech=capped, targets=TARGET))
    assert res.targets["shortfall"].iloc[0] == 20.0
    assert "F1" not in res.diagnosis["facilities"].iloc[0]
    assert "candidate" not in set(res.diagnosis_facilities["kind"])
    free = {**MILL_B, "sizes": "100;400"}
    met = solve(mill_park(300.0, sizes="100;400", tech=free, targets=TARGET))
    assert met.targets["met"].all()
    assert met.diagnosis.empty
