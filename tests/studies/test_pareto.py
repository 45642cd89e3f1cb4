"""The ε-constraint front: grid, monotone repair, and a solved front on a hand-made park."""

from __future__ import annotations

import importlib
import re

import numpy as np
import pandas as pd
import pytest
from _frames import tiny_frames

from parkflow.studies.pareto import MILESTONES, monotone_front, rate_grid


def test_rate_grid_holds_the_milestones_in_range_only():
    assert rate_grid(0.5, 0.9, 5).tolist() == [0.5, 0.6, 0.7, 0.78, 0.8, 0.82, 0.9]
    assert rate_grid(0.2, 0.6, 3).tolist() == [0.2, 0.4, 0.6]
    assert rate_grid(0.8, 0.8, 5).tolist() == [0.8]


def test_monotone_front_replaces_a_dearer_point_below_a_cheaper_one():
    df = pd.DataFrame(
        {
            "rate_required": [0.1, 0.2, 0.3, 0.4],
            "rate": [0.1, 0.2, 0.35, 0.4],
            "cost_cny_per_a": [1.0, 9.0, 4.0, np.nan],
            "co2_avoided_t_per_a": [1.0, 2.0, 3.0, np.nan],
            "links_built": [1, 2, 3, 0],
        }
    )
    out = monotone_front(df)
    assert out["cost_cny_per_a"].tolist()[:3] == [1.0, 4.0, 4.0]
    assert out["rate"].tolist()[:3] == [0.1, 0.35, 0.35]  # the point carries the real solution
    assert out["dominated"].tolist() == [False, True, False, False]
    assert np.isnan(out["cost_cny_per_a"].iloc[3])


@pytest.fixture(scope="module")
def tiny_scenario():
    io = importlib.import_module("parkflow.io")
    importlib.import_module("parkflow.solvers.api")
    return io.scenario_from_frames("tiny-pareto", *tiny_frames())


def test_front_is_monotone_from_today_to_the_best_rate(tiny_scenario):
    from parkflow.studies.pareto import pareto_front

    front = pareto_front(tiny_scenario, n_points=5)
    assert front.attrs["rate_today"] == pytest.approx(0.0, abs=1e-9)  # no existing link
    assert front.attrs["rate_best"] == pytest.approx(1.0, abs=1e-6)  # 600 + 400 t/a of 1,000
    assert set(MILESTONES) <= set(front["rate_required"].round(6))
    ok = front.dropna(subset=["cost_cny_per_a"])
    assert len(ok) == len(front)
    assert (ok["rate"] >= ok["rate_required"] - 1e-6).all()
    assert (np.diff(ok["cost_cny_per_a"].to_numpy()) >= -1e-6).all()
    # up to 60 % the cement plant alone is the free optimum: the front is flat there, then rises
    flat = ok[ok["rate_required"] <= 0.6]["cost_cny_per_a"]
    assert flat.max() - flat.min() == pytest.approx(0.0, abs=1e-3)
    assert ok["cost_cny_per_a"].iloc[-1] > flat.max() + 1.0


def test_cli_writes_csv_png_and_self_contained_html(tiny_scenario, tmp_path):
    from parkflow.cli import main
    from parkflow.io import save_scenario

    src = tmp_path / "sc"
    save_scenario(tiny_scenario, src)
    out = tmp_path / "front"
    assert main(["pareto", str(src), "--out", str(out), "--rates", "0.5,0.78,0.82,0.9"]) == 0
    table = pd.read_csv(out / "pareto.csv")
    assert table["rate_required"].tolist() == [0.5, 0.78, 0.82, 0.9]
    assert (out / "pareto.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    html = (out / "pareto.html").read_text(encoding="utf-8")
    # plotly.js is embedded (megabytes), not fetched from a CDN
    assert '<script src="http' not in html
    assert len(html) > 1_000_000
    assert "78%" in html
    assert "82%" in html
    assert main(["pareto", str(src), "--out", str(tmp_path / "y"), "--rates", "1.5"]) == 2


def test_grid_starts_at_the_least_cost_plans_rate(tiny_scenario):
    from parkflow.studies.pareto import pareto_front

    front = pareto_front(tiny_scenario, n_points=5)
    # the free optimum already uses 600 of 1,000 t/a: no solve is spent below 60 %
    assert front.attrs["rate_least_cost"] == pytest.approx(0.6, abs=1e-6)
    assert front["rate_required"].min() == pytest.approx(0.6, abs=1e-6)
    assert front["rate_required"].max() == pytest.approx(1.0, abs=1e-6)
    assert front.attrs["trade_off"] is True
    assert len(set(front["plan"])) > 1


@pytest.fixture(scope="module")
def no_trade_off():
    io = importlib.import_module("parkflow.io")
    importlib.import_module("parkflow.solvers.api")
    ent, sup, uses = tiny_frames()
    ent = ent.assign(lat=[30.0, 30.02, 30.01])  # the brick works next door: both uses pay
    return io.scenario_from_frames("one-plan", ent, sup, uses)


def test_no_trade_off_is_said_in_csv_png_html_and_console(no_trade_off, tmp_path, capsys):
    from parkflow.cli import main
    from parkflow.io import save_scenario
    from parkflow.studies.pareto import pareto_front, trade_off_notice

    front = pareto_front(no_trade_off, n_points=5)
    assert front.attrs["trade_off"] is False
    assert set(front["plan"]) == {0}
    assert trade_off_notice(front, "en").startswith("No trade-off: the least-cost plan")
    assert trade_off_notice(front, "zh").startswith("无权衡")
    src = tmp_path / "sc"
    save_scenario(no_trade_off, src)
    capsys.readouterr()
    assert main(["pareto", str(src), "--out", str(tmp_path / "f"), "--lang", "en"]) == 0
    said = capsys.readouterr().out
    assert "No trade-off" in said
    table = pd.read_csv(tmp_path / "f" / "pareto.csv")
    assert table["note"].str.startswith("No trade-off").all()
    html = (tmp_path / "f" / "pareto.html").read_text(encoding="utf-8")
    assert "No trade-off: the least-cost plan" in html


def _front(lang_scenario="S"):
    front = pd.DataFrame(
        {
            "point": [0, 1, 2],
            "rate_required": [0.6, 0.78, 0.9],
            "rate": [0.6, 0.8, 0.9],
            "cost_cny_per_a": [-2e6, 1e6, 3e6],
            "co2_avoided_t_per_a": [1.0, 2.0, 3.0],
            "links_built": [1, 2, 3],
        }
    )
    front.attrs.update(
        {
            "scenario": lang_scenario,
            "target_id": "bulk",
            "scope": "all",
            "rate_today": 0.3,
            "rate_least_cost": 0.6,
            "rate_best": 0.9,
        }
    )
    return front


def test_png_and_html_draw_the_same_chart_in_chinese(tmp_path):
    import json
    import re

    from parkflow.studies.pareto import chart, cjk_font, plot_html, plot_png

    assert cjk_font() is not None  # fonts-noto-cjk (.ci/run installs it)
    front = _front("乐山")
    c = chart(front, "zh")
    assert c["x"] == pytest.approx([60.0, 80.0, 90.0])
    assert c["y"] == pytest.approx([-2, 1, 3])
    assert c["xlabel"] == "综合利用率（%）"
    assert c["notice"] == ""
    plot_png(front, tmp_path / "p.png", "zh")  # warnings are errors: a missing glyph fails
    plot_html(front, tmp_path / "p.html", "zh")
    page = (tmp_path / "p.html").read_text(encoding="utf-8")
    spec = json.loads(
        re.search(r"Plotly\.newPlot\(\s*\"[^\"]+\",\s*(\[.*?\]),\s*\{", page, re.DOTALL).group(1)
    )
    assert spec[0]["x"] == pytest.approx(c["x"])
    assert spec[0]["y"] == pytest.approx(c["y"])
    # the vertical lines: 78 %, 82 % and the least-cost plan, named as in the png's legend
    assert [t["name"] for t in spec[1:]] == [text for _, text, _, _ in c["lines"]]


def test_plotly_is_included_once_or_referenced(tmp_path):
    from parkflow.studies.pareto import plot_html

    plot_html(_front(), tmp_path / "inline.html")
    inline = (tmp_path / "inline.html").read_text(encoding="utf-8")
    assert inline.count("plotly.js v") == 1  # plotly's banner: the library once
    assert '<script src="http' not in inline
    plot_html(_front(), tmp_path / "cdn.html", plotly="cdn")
    cdn = (tmp_path / "cdn.html").read_text(encoding="utf-8")
    assert "plotly.js v" not in cdn
    assert len(cdn) < 100_000
    assert re.search(r'<script[^>]+src="https://cdn\.plot\.ly/plotly-[^"]+\.js"', cdn)
    with pytest.raises(ValueError, match="plotly"):
        plot_html(_front(), tmp_path / "x.html", plotly="none")
