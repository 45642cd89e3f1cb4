"""Stock drawn to safe disposal: ``draw_disposal`` columns, ``stock_use`` rows, the cleaner.

docs/model.md, "Draws to safe disposal". The park: E1 generates 100 t/a of phosphogypsum and
keeps an old stack K1 on site (100 t, at most ``max_draw`` t/a). E2 makes gypsum board (link A,
0 km: 10 − 60 − 20 = −70 CNY/t), E3 backfills a mine (link X, 0 km: 10 + 5 − 20 = −5 CNY/t;
PG backfill is safe disposal). Both are profitable, so E1 sends all the capacity and draws
the rest from its stack.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from _domain_parks import ENT
from _solve_helpers import tiny_park
from hypothesis import given, settings
from hypothesis import strategies as st

from parkflow.examples import (
    links_frame,
    links_only_park,
    stockpiles_frame,
    supplies_frame,
    uses_frame,
)
from parkflow.network import candidate_links
from parkflow.solvers.api import solve
from parkflow.solvers.formulation import build
from parkflow.solvers.full import expand_targets


def _park(board: float, backfill: float, max_draw: float = 50.0, targets=None):
    sup = supplies_frame([("S1", "E1", "phosphogypsum", 100.0)])
    stk = stockpiles_frame([("K1", "E1", "phosphogypsum", 100.0, max_draw)])
    use = uses_frame([("U2", "E2", "gypsum_board", board), ("U3", "E3", "mine_backfill", backfill)])
    links = links_frame(
        [
            ("A", "E1", "E2", "phosphogypsum", "gypsum_board", 0.0),
            ("X", "E1", "E3", "phosphogypsum", "mine_backfill", 0.0),
        ]
    )
    if targets is None:
        targets = [
            {"id": "nbs", "materials": "phosphogypsum", "rate": 0.0},
            {
                "id": "cons",
                "materials": "phosphogypsum",
                "rate": 0.0,
                "basis": "consumption",
                "enforce": False,
            },
        ]
    return links_only_park("stock-use", ENT, sup, use, links, stockpiles=stk, targets=targets)


def _formulation(sc):
    net = candidate_links(sc)
    return build(net, expand_targets(sc.targets, sc), year=sc.settings.year), net


def test_version_1_model_matrix_is_unchanged():
    """tiny_park (fly ash, no safe-disposal link): no draw_disposal column, no stock_use row.

    Columns flow L1, L2, build L1, L2, draw K1, slack; B = min(100 + 20, capacity) = 120.
    """
    form, _ = _formulation(tiny_park())
    m = form.model
    assert list(m.col_names) == [
        "flow[L1]",
        "flow[L2]",
        "build[L1]",
        "build[L2]",
        "draw[K1]",
        "slack[t@all]",
    ]
    assert list(m.row_names) == [
        "supply_limit[E1:fly_ash]",
        "use_capacity[U1]",
        "use_capacity[U2]",
        "link_activation[L1]",
        "link_activation[L2]",
        "stock_draw_limit[K1]",
        "target_rate[t@all]",
    ]
    expected = np.array(
        [
            [1, 1, 0, 0, -1, 0],
            [1, 0, 0, 0, 0, 0],
            [0, 1, 0, 0, 0, 0],
            [1, 0, -120, 0, 0, 0],
            [0, 1, 0, -120, 0, 0],
            [0, 0, 0, 0, 1, 0],
            [1, 1, 0, 0, 0, 1],
        ],
        dtype=float,
    )
    np.testing.assert_array_equal(m.A.toarray(), expected)
    np.testing.assert_array_equal(m.row_upper, [100, 150, 1000, 0, 0, 20, np.inf])


def test_columns_and_rows_of_a_stack_that_feeds_backfill():
    """K1's source has a safe-disposal link: draw_disposal[K1], stock_use rows.

    supply_limit: A + X − r − r' ≤ 100; stock_draw_limit: r + r' ≤ 50;
    stock_use[s]: r − A ≤ 0; stock_use[s:disposal]: r' − X ≤ 0;
    consumption row (not enforced: no row); nbs row: A − 0·r + σ ≥ 0 (rate 0).
    """
    form, _ = _formulation(_park(60.0, 80.0))
    m = form.model
    cols = list(m.col_names)
    assert "draw_disposal[K1]" in cols
    rows = list(m.row_names)
    s = "E1:phosphogypsum"
    assert rows[m.rows("stock_use")] == [f"stock_use[{s}]", f"stock_use[{s}:disposal]"]
    A = pd.DataFrame(m.A.toarray(), index=rows, columns=cols)
    assert A.loc[
        f"supply_limit[{s}]", ["flow[A]", "flow[X]", "draw[K1]", "draw_disposal[K1]"]
    ].tolist() == [
        1,
        1,
        -1,
        -1,
    ]
    assert A.loc["stock_draw_limit[K1]", ["draw[K1]", "draw_disposal[K1]"]].tolist() == [1, 1]
    assert A.loc[f"stock_use[{s}]", ["draw[K1]", "flow[A]", "flow[X]"]].tolist() == [1, -1, 0]
    assert A.loc[
        f"stock_use[{s}:disposal]", ["draw_disposal[K1]", "flow[X]", "flow[A]"]
    ].tolist() == [1, -1, 0]


def test_drawn_stock_goes_to_safe_disposal_first():
    """Board 60 + backfill 80 = 140 sent, G = 100 → D* = 40 drawn; r' = min(40, 80) = 40, r = 0.

    Cost 60 × −70 + 80 × −5 = −4,600 CNY/a. nbs = 60/(100 + 0) = 60 %; consumption
    = (60 + 80)/(100 + 0 + 40) = 100 %. Booking the 40 t as drawn to utilisation instead would
    give nbs 60/140 = 42.9 %.
    """
    res = solve(_park(60.0, 80.0), baseline=False)
    assert res.objective["total_cny_per_a"] == pytest.approx(-4600.0)
    assert res.draws.loc["K1", "drawn"] == pytest.approx(40.0)
    assert res.draws.loc["K1", "drawn_disposed"] == pytest.approx(40.0)
    assert res.draws.loc["K1", "drawn_utilised"] == pytest.approx(0.0)
    t = res.targets.set_index("id")
    assert t.loc["nbs", "rate"] == pytest.approx(0.60)
    assert t.loc["cons", "rate"] == pytest.approx(1.0)
    assert t.loc["nbs", "drawn_disposed"] == pytest.approx(40.0)


def test_draws_to_disposal_never_exceed_what_is_disposed():
    """Board 120 + backfill 10 = 130 sent (draw limit 50) → D* = 30; r' = min(30, 10) = 10, r = 20.

    nbs = 120/(100 + 20) = 100 %, not 120/100 (what booking all 30 t to disposal would give:
    ``stock_use[s:disposal]`` holds r' ≤ X = 10).
    """
    res = solve(_park(120.0, 10.0), baseline=False)
    assert res.draws.loc["K1", "drawn_disposed"] == pytest.approx(10.0)
    assert res.draws.loc["K1", "drawn_utilised"] == pytest.approx(20.0)
    assert res.targets.set_index("id").loc["nbs", "rate"] == pytest.approx(1.0)


def test_an_enforced_nbs_target_cannot_be_met_by_booking():
    """nbs 0.7 enforced with board 60: U ≤ 60, so the best is 60/100 = 60 %, 10 t short."""
    res = solve(
        _park(60.0, 80.0, targets=[{"id": "nbs", "materials": "phosphogypsum", "rate": 0.7}]),
        baseline=False,
    )
    t = res.targets.iloc[0]
    assert res.status.value == "target_unreachable"
    assert t["rate"] == pytest.approx(0.60)
    assert t["shortfall"] == pytest.approx(10.0)


@settings(max_examples=15, deadline=None)
@given(
    board=st.floats(0.0, 150.0),
    backfill=st.floats(0.0, 150.0),
    max_draw=st.floats(0.0, 100.0),
)
def test_rates_stay_within_one_and_rows_hold(board, backfill, max_draw):
    """Any capacities: 0 ≤ every rate ≤ 1, r' ≤ X, r ≤ U, r + r' = max(0, sent − G)."""
    res = solve(_park(board, backfill, max_draw), baseline=False)
    t = res.targets.set_index("id")
    for key in ("nbs", "cons"):
        assert -1e-9 <= t.loc[key, "rate"] <= 1 + 1e-9
    d = res.draws.loc["K1"]
    sent = float(res.links["flow"].sum())
    assert d["drawn"] == pytest.approx(max(0.0, sent - 100.0), abs=1e-6)
    assert d["drawn_disposed"] <= res.links.loc["X", "flow"] + 1e-6
    assert d["drawn_utilised"] <= res.links.loc["A", "flow"] + 1e-6
