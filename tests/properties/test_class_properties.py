"""A safe-disposal flow never raises the nbs rate (docs/model.md, "Counting classes", "Bases").

综合利用率 counts only utilisation-class flows: moving a tonne from a utilisation link to a
safe-disposal link (PG backfill) takes it out of the numerator and leaves the denominator
(G + R_U) as it is, so the nbs rate can only fall; the consumption rate, which counts both
classes, stays.
"""

from __future__ import annotations

import pandas as pd
import pytest
from _domain_parks import ENT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parkflow.examples import links_frame, links_only_park, supplies_frame, uses_frame
from parkflow.solvers.api import solve
from parkflow.statistics.utilisation import basis_rate

_AMOUNT = st.floats(0.0, 1000.0, allow_nan=False)


@settings(max_examples=200, deadline=None)
@given(
    u=_AMOUNT,
    x=_AMOUNT,
    o=_AMOUNT,
    g=st.floats(1.0, 3000.0),
    r=_AMOUNT,
    rd=_AMOUNT,
    share=st.floats(0.0, 1.0),
)
def test_moving_a_flow_to_safe_disposal_never_raises_the_nbs_rate(u, x, o, g, r, rd, share):
    delta = share * u
    before = basis_rate("nbs", u, g, r, o, x, rd)
    after = basis_rate("nbs", u - delta, g, r, o, x + delta, rd)
    assert after <= before + 1e-12
    cons_before = basis_rate("consumption", u, g, r, o, x, rd)
    cons_after = basis_rate("consumption", u - delta, g, r, o, x + delta, rd)
    assert cons_after == pytest.approx(cons_before)


def _park(gangue: float, pg: float, capacity: float, pg_class: str):
    sup = supplies_frame([("S1", "E1", "coal_gangue", gangue), ("S2", "E4", "phosphogypsum", pg)])
    use = uses_frame([("U3", "E3", "mine_backfill", capacity)], value=[20.0])
    links = links_frame(
        [
            ("A", "E1", "E3", "coal_gangue", "mine_backfill", 0.0),
            ("B", "E4", "E3", "phosphogypsum", "mine_backfill", 0.0),
        ]
    )
    route_classes = pd.DataFrame(
        {"route": ["mine_backfill"], "material": ["phosphogypsum"], "class": [pg_class]}
    )
    return links_only_park(
        "classes",
        ENT,
        sup,
        use,
        links,
        targets=[
            {
                "id": "bulk",
                "materials": "coal_gangue,phosphogypsum",
                "rate": 0.78,
                "enforce": False,
            }
        ],
        route_classes=route_classes,
    )


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    gangue=st.floats(1.0, 500.0),
    pg=st.floats(1.0, 500.0),
    capacity=st.floats(0.0, 800.0),
)
def test_a_solved_park_counts_pg_backfill_out_of_the_nbs_rate(gangue, pg, capacity):
    """The same park with PG backfill as utilisation and as safe disposal (same economics).

    Per t gangue 10 − 20 − 3 = −13, PG 10 − 20 − 20 = −30: PG first, the plan does not depend
    on the class (no target binds). nbs(safe) = gangue flow / G ≤ nbs(utilisation) = all / G.
    """
    as_util = solve(_park(gangue, pg, capacity, "utilisation"), baseline=False)
    as_safe = solve(_park(gangue, pg, capacity, "safe_disposal"), baseline=False)
    a = as_util.targets.iloc[0]
    b = as_safe.targets.iloc[0]
    assert b["rate_nbs"] <= a["rate_nbs"] + 1e-9
    g = gangue + pg
    flow_pg = as_safe.links.loc["B", "flow"]
    assert b["rate_nbs"] == pytest.approx(as_safe.links.loc["A", "flow"] / g, abs=1e-9)
    assert b["safe_disposal"] == pytest.approx(flow_pg, abs=1e-9)
