"""The multi-period model built fast (year 0 once, its pattern repeated) equals the model built
the straightforward way: every year's single-year model, stacked (docs/model.md "How the
multi-period model is built")."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp

import parkflow as pf
from parkflow.models.periods import period_lengths, pv_weights
from parkflow.models.scenario import expand_targets
from parkflow.network import candidate_links, discount_rate
from parkflow.solvers.formulation import DEFAULT_PENALTY_CNY_PER_T, FAMILIES, build
from parkflow.solvers.periods import (
    LINKING_FAMILIES,
    Periods,
    _linking,
    build_periods,
    scenario_years,
    yearly_networks,
)
from tests.solvers.test_periods import carry_park, mill_a

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"


def straightforward(network, scenario, targets, penalty=DEFAULT_PENALTY_CNY_PER_T):
    """Every year's single-year model built on its own and stacked row by row (the reference)."""
    years = scenario_years(scenario)
    views, q, receiving = yearly_networks(scenario, network, years)
    forms = [
        build(v, targets, "cost", penalty=penalty, year=t)
        for v, t in zip(views, years, strict=True)
    ]
    single = forms[0].layout
    lay = dataclasses.replace(single, years=years)
    colmap = []
    for k in range(len(years)):
        parts = []
        for v in ("flow", "build", "draw", "draw_disposal", "open", "slack"):
            nv = len(single.index(v))
            parts.append(lay.offset(v) + k * nv + np.arange(nv))
        colmap.append(np.concatenate(parts))
    weights = pv_weights(years, discount_rate(scenario))
    lengths = period_lengths(years)
    p = Periods(years, weights, lengths, tuple(views), tuple(forms), tuple(colmap), q, receiving)
    linking = _linking(lay, p)
    mats, names, lower, upper = [], [], [], []
    for fam in FAMILIES:
        if fam in LINKING_FAMILIES:
            r = linking[fam]
            mats.append(r.matrix)
            names += list(r.names)
            lower.append(r.lower)
            upper.append(r.upper)
            continue
        for k, f in enumerate(forms):
            if fam == "existing_links" and k > 0:
                continue
            sl = f.model.rows(fam)
            block = f.model.A[sl].tocoo()
            mats.append(
                sp.csr_matrix(
                    (block.data, (block.row, colmap[k][block.col])), shape=(block.shape[0], lay.n)
                )
            )
            names += [str(n)[:-1] + f",{years[k]}]" for n in f.model.row_names[sl]]
            lower.append(f.model.row_lower[sl])
            upper.append(f.model.row_upper[sl])
    A = sp.vstack(mats, format="csr")
    A.eliminate_zeros()
    c = np.zeros(lay.n)
    col_upper = np.full(lay.n, np.inf)
    for k, f in enumerate(forms):
        c[colmap[k]] = weights[k] * f.model.c
        c[lay.offset("slack") + k * single.n_slack + np.arange(single.n_slack)] = (
            lengths[k] * penalty
        )
        col_upper[colmap[k]] = f.model.col_upper
    return A, c, col_upper, np.concatenate(lower), np.concatenate(upper), names


def _province(n: int = 60):
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "bench_periods", Path(__file__).resolve().parents[2] / "bench" / "periods.py"
    )
    mod = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(mod)
    return mod.periods_province(n, seed=1, years=4)


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda: pf.load_scenario(SCENARIOS / "panzhihua-vti"), id="panzhihua-vti"),
        pytest.param(lambda: carry_park(30.0), id="carry-park"),
        pytest.param(lambda: mill_a(), id="mill-a"),
        pytest.param(_province, id="generated-province"),
    ],
)
def test_fast_stacking_equals_each_year_built_and_stacked(make):
    sc = make()
    tg = expand_targets(sc.targets, sc)
    net = candidate_links(sc)
    fast = build_periods(net, sc, tg).model
    A, c, col_upper, lower, upper, names = straightforward(net, sc, tg)
    assert fast.A.shape == A.shape
    assert (fast.A != A).nnz == 0
    assert np.array_equal(fast.c, c)
    assert np.array_equal(fast.col_upper, col_upper)
    assert np.array_equal(fast.row_lower, lower)
    assert np.array_equal(fast.row_upper, upper)
    assert list(fast.row_names) == names
    assert len(fast.row_names) == fast.n_constraints
    assert len(fast.col_names) == fast.n_variables


def test_a_year_model_is_that_years_single_year_model():
    """forms[k].model, cut from the stacked model on first use, is year k's single-year model
    (its existing_links rows only in the first year)."""
    sc = carry_park(30.0)
    tg = expand_targets(sc.targets, sc)
    net = candidate_links(sc)
    form = build_periods(net, sc, tg)
    p = form.periods
    views, _, _ = yearly_networks(sc, net, p.years)
    ref = build(views[1], tg, "cost", year=p.years[1])
    m = p.forms[1].model
    keep = np.ones(ref.model.n_constraints, dtype=bool)
    keep[ref.model.rows("existing_links")] = False
    assert (ref.model.A[keep] != m.A).nnz == 0
    assert list(m.row_names) == list(np.asarray(ref.model.row_names)[keep])
    assert np.array_equal(m.row_upper, ref.model.row_upper[keep])
    assert np.array_equal(m.c, ref.model.c)
