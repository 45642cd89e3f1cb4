"""The console summary speaks its language to the end: the solver's message too (issue 14)."""

from __future__ import annotations

import dataclasses

from parkflow.models.enums import SolveStatus
from parkflow.report.console import summary_lines
from parkflow.solvers.api import solve
from tests.solvers._facility_parks import mill_park

TARGET = [{"id": "t", "materials": "bf_slag", "rate": 0.9, "scope": "all"}]


def test_an_unreachable_targets_english_message_is_not_repeated_in_chinese():
    res = solve(mill_park(300.0, sizes="100;200", targets=TARGET))
    assert "best reachable rate" in res.message
    en = "\n".join(summary_lines(res, "en"))
    zh = "\n".join(summary_lines(res, "zh"))
    assert "best reachable rate" in en  # scripts read the English message
    assert "best reachable" not in zh
    assert "未达标，差 70 t/a" in zh  # the target line above says it in Chinese


def test_a_solve_stopped_at_its_limit_says_so_in_chinese():
    res = solve(mill_park(130.0, sizes="100;200"))
    stopped = dataclasses.replace(
        res,
        status=SolveStatus.FEASIBLE,
        message="stopped at the time limit; best solution found, relative gap 0.0123",
        solver={**res.solver, "gap": 0.0123, "limit": "time"},
    )
    zh = summary_lines(stopped, "zh")
    assert "  求解在时间上限处停止：给出已找到的最优方案，相对间隙 0.0123" in zh
    assert not [ln for ln in zh if "stopped at" in ln]
    assert "  stopped at the time limit; best solution found, relative gap 0.0123" in (
        summary_lines(stopped, "en")
    )
