"""The column layout of the model (parkflow.solvers.layout)."""

from __future__ import annotations

import numpy as np
import pytest
from _solve_helpers import tiny_park

from parkflow.network import candidate_links
from parkflow.solvers.backends import solve_model
from parkflow.solvers.formulation import build
from parkflow.solvers.full import expand_targets


def test_layout_names_the_blocks_of_the_built_model():
    sc = tiny_park()
    net = candidate_links(sc)
    form = build(net, expand_targets(sc.targets, sc))
    lay = form.layout
    assert lay.n == form.model.n_variables
    assert list(lay.column_names()) == list(form.model.col_names)
    x = solve_model(form.model, "highs", None, 0.0).x
    flow = lay.values(x, "flow")
    assert list(flow.index) == list(net.links.index)
    assert flow.sum() == pytest.approx(120.0)  # tiny park: 100 t generated + 20 t drawn
    assert lay.values(x, "draw").sum() == pytest.approx(20.0)
    assert set(np.rint(lay.values(x, "build"))) <= {0.0, 1.0}


def test_an_unknown_variable_is_refused():
    import pandas as pd

    from parkflow.solvers.layout import Layout

    lay = Layout(pd.Index(["L1"]), pd.Index([]), pd.Index([]))
    with pytest.raises(KeyError, match="unknown variable 'unmet'"):
        lay.columns("unmet")
