"""Invariants of the optimiser on generated parks (Hypothesis)."""

from __future__ import annotations

import json
import tempfile
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import scenarios

from parkflow.io.solution import write_solution
from parkflow.network import CandidateNetwork, candidate_links
from parkflow.solvers.api import solve
from parkflow.solvers.full import expand_targets, solve_network

_SETTINGS = settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
TOL = 1e-5


@_SETTINGS
@given(scenarios())
def test_flows_respect_supply_links_and_rates(sc):
    res = solve(sc, baseline=False, gap=0.0)
    assert res.status.has_solution
    src = res.sources
    # outflow ≤ generated + drawn; drawn ≤ what may be drawn
    out = res.links.groupby("source_id")["flow"].sum().reindex(src.index).fillna(0.0)
    assert (out <= src["generated"] + src["drawn"] + TOL * (1 + src["generated"])).all()
    assert (src["drawn"] <= src["drawable"] + TOL).all()
    # flow only on built links
    assert (res.links.loc[res.links["flow"] > TOL, "build"] == 1).all()
    # capacity after losses
    got = res.links.groupby("use_id")["delivered"].sum()
    cap = candidate_links(sc).sinks["capacity"].reindex(got.index)
    assert (got <= cap + TOL * (1 + cap)).all()
    rates = res.targets["rate"].dropna()
    assert ((rates >= -TOL) & (rates <= 1 + TOL)).all()
    u = res.utilisation["rate"].dropna()
    assert ((u >= -TOL) & (u <= 1 + TOL)).all()


@_SETTINGS
@given(scenarios())
def test_summary_rate_equals_the_flows_csv(sc):
    res = solve(sc, baseline=False, gap=0.0)
    with tempfile.TemporaryDirectory() as tmp:
        out = write_solution(sc, res, Path(tmp) / "o")
        summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
        flows = pd.read_csv(out / "flows.csv", encoding="utf-8-sig")
        sources = pd.read_csv(out / "sources.csv", encoding="utf-8-sig", index_col="source_id")
    targets = expand_targets(sc.targets, sc)
    for t, row in zip(targets, summary["targets"], strict=False):
        if row["scope"] != "all" or row["rate"] is None:
            continue
        mats = set(t.materials)
        utilised = flows.loc[flows["material"].isin(mats), "quantity"].sum()
        s = sources[sources["material"].isin(mats)]
        assert row["rate"] == np.float64(row["rate"])
        assert abs(row["rate"] - utilised / (s["generated"].sum() + s["drawn"].sum())) < 1e-9


@_SETTINGS
@given(scenarios(), st.data())
def test_adding_a_candidate_link_never_worsens_the_optimum(sc, data):
    net = candidate_links(sc)
    if len(net.links) < 2:
        return
    drop = data.draw(st.sampled_from(list(net.links.index[~net.links["existing"]]) or [None]))
    if drop is None:
        return
    tg = expand_targets(sc.targets, sc)
    full = solve_network(sc, net, "cost", "highs", 30, 0.0, tg)
    less = CandidateNetwork(
        net.sources, net.sinks, net.stock, net.links.drop(index=drop), net.enterprises
    )
    fewer = solve_network(sc, less, "cost", "highs", 30, 0.0, tg)
    pen = 1e4

    def score(r):  # noqa: E306 - cost plus the shortfall penalty: what the model minimises
        return r.objective["total_cny_per_a"] + pen * r.targets["shortfall"].sum()

    if full.status.value == fewer.status.value == "optimal":
        assert full.objective["total_cny_per_a"] <= fewer.objective["total_cny_per_a"] + 1e-6 * (
            1 + abs(fewer.objective["total_cny_per_a"])
        )
    else:
        assert (
            full.targets["shortfall"].sum() <= fewer.targets["shortfall"].sum() + 1e-6
            or score(full) <= score(fewer) + 1e-6
        )


@_SETTINGS
@given(scenarios(), st.floats(0.0, 0.5), st.floats(0.0, 0.5))
def test_raising_a_target_never_lowers_the_cost(sc, r1, dr):
    tg = expand_targets(sc.targets, sc)[:1]
    if not tg:
        return
    low = solve(sc, targets=[replace(tg[0], rate=r1)], baseline=False, gap=0.0)
    high = solve(sc, targets=[replace(tg[0], rate=r1 + dr)], baseline=False, gap=0.0)
    if low.status.value == high.status.value == "optimal":
        lo, hi = low.objective["total_cny_per_a"], high.objective["total_cny_per_a"]
        assert hi >= lo - 1e-6 * (1 + abs(lo))


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(scenarios())
def test_the_baseline_read_back_from_a_folder_gives_the_same_before_after(sc):
    from parkflow.io.solution import read_result as read_solution
    from parkflow.report import build_report

    res = solve(sc, gap=0.0)
    with tempfile.TemporaryDirectory() as tmp:
        back = read_solution(write_solution(sc, res, Path(tmp) / "o"))
    live = build_report(sc, res, lang="en")
    saved = build_report(sc, back, lang="en")
    assert ("before_after" in live.tables) == ("before_after" in saved.tables)
    if "before_after" in live.tables:
        pd.testing.assert_frame_equal(
            live.tables["before_after"], saved.tables["before_after"], check_dtype=False, atol=1e-6
        )
    assert live.charts["rates"]["rate_baseline"].to_numpy() == pytest.approx(
        saved.charts["rates"]["rate_baseline"].to_numpy(), nan_ok=True
    )
