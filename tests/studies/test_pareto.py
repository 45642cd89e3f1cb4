"""The ε-constraint front: grid, monotone repair, and a solved front on a hand-made park."""

from __future__ import annotations

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
    df = pd.DataFrame({"rate_required": [0.1, 0.2, 0.3, 0.4], "rate": [0.1, 0.2, 0.35, 0.4],
                       "cost_cny_per_a": [1.0, 9.0, 4.0, np.nan],
                       "co2_avoided_t_per_a": [1.0, 2.0, 3.0, np.nan],
                       "links_built": [1, 2, 3, 0]})
    out = monotone_front(df)
    assert out["cost_cny_per_a"].tolist()[:3] == [1.0, 4.0, 4.0]
    assert out["rate"].tolist()[:3] == [0.1, 0.35, 0.35]  # the point carries the real solution
    assert out["dominated"].tolist() == [False, True, False, False]
    assert np.isnan(out["cost_cny_per_a"].iloc[3])


@pytest.fixture(scope="module")
def tiny_scenario():
    io = pytest.importorskip("parkflow.io")
    pytest.importorskip("parkflow.solvers.api")
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
    assert '<script src="http' not in html and len(html) > 1_000_000
    assert "78%" in html and "82%" in html
    assert main(["pareto", str(src), "--out", str(tmp_path / "y"), "--rates", "1.5"]) == 2
