"""Live progress of a whole-model solve: HiGHS's MIP table read from its log, events in order.

MathOpt's HiGHS raises no MIP callback, so :func:`parse_highs_line` reads the rows of the
progress table HiGHS logs (docs/performance.md, "Progress"); the events are behaviour, not
timing: a real solve sends at least one while a MILP runs, before that MILP's outcome.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

import parkflow
from parkflow.solvers.progress import PHASES, ProgressEvent, parse_highs_line

#: Lines recorded from HiGHS 1.11 (ortools 9.15) solving a 30 × 60 knapsack-like maximisation.
RECORDED = (Path(__file__).parent / "data" / "highs_mip.log").read_text(encoding="utf-8")


def test_the_parser_reads_each_table_row_of_a_recorded_log() -> None:
    rows = [r for r in map(parse_highs_line, RECORDED.splitlines()) if r is not None]
    assert len(rows) == 7  # the seven table rows; headers, restarts and the report are not rows
    first, solved, last = rows[0], rows[2], rows[-1]
    # no incumbent bound yet ("inf"), gap "Large": NaN, not a number made up
    assert math.isnan(first.bound)
    assert first.incumbent == 0.0
    assert math.isnan(first.gap)
    assert (solved.bound, solved.incumbent, solved.gap) == (967.0, 163.0, pytest.approx(4.9325))
    assert (last.nodes, last.bound, last.incumbent, last.gap, last.time_s) == (
        554,
        240.0,
        240.0,
        0.0,
        1.7,
    )
    assert [r.time_s for r in rows] == sorted(r.time_s for r in rows)


@pytest.mark.parametrize(
    ("line", "nodes", "bound", "incumbent", "gap"),
    [
        # counts over 10^6 print as 1234k (HiGHS convertToPrintString); no time (timeless_log)
        (
            " B   1234k     56k     600k  42.00%   -1.5e+08        -1.49e+08          0.67%"
            "     12     30    400     9876k",
            1_234_000,
            -1.5e8,
            -1.49e8,
            0.0067,
        ),
        # an objective_bound cut-off is starred; "Large" is worked out from the two values
        (
            " T       3       1         2  10.00%   1              401*              Large"
            "        0      0      0        10     0.2s",
            3,
            1.0,
            401.0,
            400 / 401,
        ),
    ],
)
def test_the_parser_reads_highs_count_and_value_formats(line, nodes, bound, incumbent, gap):
    row = parse_highs_line(line)
    assert row is not None
    assert (row.nodes, row.bound, row.incumbent) == (nodes, bound, incumbent)
    assert row.gap == pytest.approx(gap)


@pytest.mark.parametrize(
    "line", ["", "Solving report", "  Gap               0%", "Coefficient ranges:", "0 0 0"]
)
def test_other_log_lines_are_not_rows(line: str) -> None:
    assert parse_highs_line(line) is None


def test_a_real_full_solve_reports_live_before_its_end() -> None:
    """Leshan solved whole with HiGHS: the least-cost MILP's table rows arrive as ``solve``
    events with incumbent, bound and gap, before the MILP's outcome and before ``done``."""
    scenario = parkflow.load_scenario(parkflow.bundled_scenario_path("leshan-wutongqiao"))
    events: list[ProgressEvent] = []
    res = parkflow.solve(scenario, strategy="full", baseline=False, progress=events.append)
    assert res.status.value == "optimal"
    phases = [e.phase for e in events]
    assert phases[-1] == "done"
    outcome = next(i for i, e in enumerate(events) if str(e) == "MILP 1 (least cost): optimal")
    live = [e for e in events[:outcome] if e.phase == "solve"]
    assert live, "no event while the MILP ran"
    assert any(math.isfinite(e.bound) and math.isfinite(e.gap) for e in live)
    # in order: elapsed never goes back, and phases follow PHASES
    assert [e.elapsed_s for e in events] == sorted(e.elapsed_s for e in events)
    order = [PHASES.index(p) for p in phases]
    assert order == sorted(order)
    # the outcome event carries the result's numbers
    total = res.objective["total_cny_per_a"]
    assert events[outcome].incumbent == pytest.approx(total, rel=1e-9)


def test_steps_not_in_money_keep_their_values_in_the_text() -> None:
    """Under ``utilisation`` the shortfall and Dinkelbach MILPs are in t/a: their events carry
    the gap alone (a display shows incumbent and bound as money), the values in the text."""
    scenario = parkflow.load_scenario(parkflow.bundled_scenario_path("leshan-wutongqiao"))
    events: list[ProgressEvent] = []
    parkflow.solve(
        scenario, strategy="full", objective="utilisation", baseline=False, progress=events.append
    )
    tonnes = [e for e in events if e.phase == "solve" and "t/a" in e]
    assert tonnes
    assert all(math.isnan(e.incumbent) and math.isnan(e.bound) for e in tonnes)
    money = [e for e in events if str(e).startswith("MILP") and "least cost): optimal" in e]
    assert len(money) == 1
    assert math.isfinite(money[0].incumbent)
