"""`parkflow solve` and `parkflow run` write the whole solution folder: tables, report and map."""

from __future__ import annotations

import json

from parkflow.cli import main
from parkflow.io.bundled import bundled_scenario_path

EXPECTED = {"summary.json", "flows.csv", "utilisation.csv", "report.md", "report.html", "map.html"}


def test_solve_writes_report_and_map(tmp_path, capsys):
    out = tmp_path / "out"
    code = main(
        [
            "solve",
            str(bundled_scenario_path("leshan-wutongqiao")),
            "--out",
            str(out),
            "--lang",
            "en",
            "--no-baseline",
        ]
    )
    assert code == 0
    names = {p.name for p in out.iterdir()}
    assert names >= EXPECTED
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    html = (out / "map.html").read_text(encoding="utf-8")
    assert "leaflet" in html.lower()
    assert "cdn.jsdelivr" not in html
    assert summary["scenario"] in (out / "report.md").read_text(encoding="utf-8")
    assert summary["solver"]["strategy"] == "full"  # a small park is solved whole
    # the solver's native chatter stays out of what the user reads
    assert "HighsMipSolverData" not in capsys.readouterr().out


def test_run_writes_the_default_scenario(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["run"]) == 0
    out = tmp_path / "parkflow-out"
    assert {p.name for p in out.iterdir()} >= EXPECTED
    report = (out / "report.md").read_text(encoding="utf-8")
    assert "综合利用率" in report  # Chinese is the default for the filing tables
    # the console summary is in the report's language (zh by default; issue 14)
    assert "已写入" in capsys.readouterr().out


def test_render_map_save_is_self_contained(tmp_path, solved_bundled):
    import parkflow as pf

    sc, res = solved_bundled("leshan-wutongqiao", baseline=False)
    path = tmp_path / "map.html"
    pf.render_map(sc, res).save(str(path))
    from parkflow.maps import external_references

    assert external_references(path.read_text(encoding="utf-8")) == []
