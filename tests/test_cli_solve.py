"""`parkflow solve`, `parkflow run`, `parkflow solvers` through cli.main."""

from __future__ import annotations

import json

from _solve_helpers import tiny_park

from parkflow.cli import main
from parkflow.io import save_scenario
from parkflow.io.bundled import bundled_scenario_path
from parkflow.io.solution import SOLUTION_FILES


def test_solve_writes_the_files_outside_the_scenario(tmp_path):
    src = bundled_scenario_path()
    before = sorted(p.name for p in src.iterdir())
    out = tmp_path / "out"
    assert main(["solve", str(src), "--out", str(out), "--no-baseline"]) == 0
    assert {p.name for p in out.iterdir()} >= set(SOLUTION_FILES)
    assert sorted(p.name for p in src.iterdir()) == before


def test_solve_refuses_to_write_into_the_scenario(tmp_path, capsys):
    sc = tiny_park()
    folder = save_scenario(sc, tmp_path / "sc")
    before = sorted(p.name for p in folder.iterdir())
    assert main(["solve", str(folder), "--out", str(folder / "out")]) == 2
    assert "outside the scenario" in capsys.readouterr().err
    assert sorted(p.name for p in folder.iterdir()) == before


def test_solve_json_prints_the_summary(tmp_path, capsys):
    folder = save_scenario(tiny_park(cap_e2=70.0), tmp_path / "sc")
    code = main(["solve", str(folder), "--out", str(tmp_path / "o"), "--json", "--gap", "0"])
    assert code == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["status"] == "optimal"
    assert summary["objective"]["total_cny_per_a"] == -8450.0
    assert summary["solver"]["gap_limit"] == 0.0


def test_unreachable_target_still_exits_0(tmp_path, capsys):
    tg = [{"id": "t", "materials": "fly_ash", "rate": 0.78, "scope": "all"}]
    sc = tiny_park(cap_e2=0.0, value_e3=-50.0, fixed_l2=0.0, cap_e3=60.0, targets=tg, stock=False)
    folder = save_scenario(sc, tmp_path / "sc")
    assert main(["solve", str(folder), "--out", str(tmp_path / "o"), "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "target_unreachable" in out
    assert "short 18" in out


def test_bad_solver_and_bad_input_exit_2(tmp_path, capsys):
    assert main(["solve", str(tmp_path / "missing"), "--out", str(tmp_path / "o")]) == 2
    assert (
        main(
            [
                "solve",
                str(bundled_scenario_path()),
                "--out",
                str(tmp_path / "o"),
                "--solver",
                "cpsat",
            ]
        )
        == 2
    )


def test_solvers_lists_highs(capsys):
    assert main(["solvers"]) == 0
    assert "highs (default): works" in capsys.readouterr().out


def test_run_solves_the_default_scenario(tmp_path, capsys):
    out = tmp_path / "pf"
    assert main(["run", "--out", str(out)]) == 0
    assert (out / "summary.json").is_file()
    assert "bulk-2025" in capsys.readouterr().out


def test_solve_strategy_decompose_gives_the_same_optimum(tmp_path, capsys):
    folder = save_scenario(tiny_park(cap_e2=70.0), tmp_path / "sc")
    totals = {}
    for strategy in ("full", "decompose"):
        code = main(
            [
                "solve",
                str(folder),
                "--out",
                str(tmp_path / strategy),
                "--json",
                "--gap",
                "0",
                "--strategy",
                strategy,
            ]
        )
        assert code == 0
        summary = json.loads(capsys.readouterr().out)
        totals[strategy] = summary["objective"]["total_cny_per_a"]
        assert (tmp_path / strategy / "flows.csv").exists()
    assert totals == {"full": -8450.0, "decompose": -8450.0}


def test_strategy_choice():
    import pytest

    from parkflow.solvers.api import DECOMPOSE_MIN_LINKS, choose_strategy, solve_with_strategy

    big = DECOMPOSE_MIN_LINKS + 1
    assert choose_strategy(big, "cost", 1) == "decompose"
    assert choose_strategy(DECOMPOSE_MIN_LINKS, "cost", 1) == "full"  # not large
    assert choose_strategy(big, "co2", 1) == "full"  # only cost is decomposed
    # one multiplier per target entry (issue 13): each_park decomposes, up to 200 entries
    assert choose_strategy(big, "cost", 3) == "decompose"
    assert choose_strategy(big, "cost", 201) == "full"
    assert choose_strategy(10, "co2", 3, "decompose") == "decompose"  # forced
    with pytest.raises(ValueError, match="unknown strategy 'fast'"):
        choose_strategy(10, "cost", 1, "fast")
    res = solve_with_strategy(tiny_park(cap_e2=70.0), baseline=False)  # small: full
    assert res.solver["strategy"] == "full"
    res = solve_with_strategy(tiny_park(cap_e2=70.0), "decompose", gap=0.0)
    assert res.solver["strategy"] == "decompose"
    assert res.solver["method"] == "decomposed"
    assert res.objective["total_cny_per_a"] == pytest.approx(-8450.0)
    assert res.baseline is not None
    assert res.baseline.status.has_solution
