"""parkflow's own model written for the baselines (``model.npz``; a bench helper, not a test).

bench.py and bench/periods.py write the model parkflow solves; bench/pulp_baseline.py and
bench/highs_baseline.py read it, so every baseline solves exactly that model.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np


def save_model(path: Path, model: Any, slack: Any = None) -> None:
    """Write a :class:`parkflow.solvers.formulation.SparseModel` (CSR matrix, bounds, costs).

    ``slack``: the target slack columns (their cost is the penalty), to report shortfalls.
    """
    A = model.A.tocsr()
    np.savez(
        path,
        data=A.data,
        indices=A.indices,
        indptr=A.indptr,
        shape=np.asarray(A.shape),
        row_lower=model.row_lower,
        row_upper=model.row_upper,
        col_lower=model.col_lower,
        col_upper=model.col_upper,
        c=model.c,
        integer=model.integer,
        offset=np.asarray([model.offset]),
        slack=np.asarray([] if slack is None else slack, dtype=np.int64),
    )
