"""Tiny hand-checkable parks of the domain model: bases, classes, diagnosis under ``co2``.

Every park uses explicit links (``candidates: links_only``) and distances, the truck of
:data:`parkflow.examples.TRUCK` (0.5 CNY/t·km, 10 CNY/t handling, 0.0001 t CO₂/t·km) and the
catalogue's values: gypsum_board 60 CNY/t, mine_backfill −5 CNY/t (a gate fee), cement_admixture
120 CNY/t and 0.75 t CO₂/t; stacking costs phosphogypsum 20, fly ash 8, coal gangue 3 CNY/t.
Per-t cost c = transport + handling − value − stacking cost. The hand numbers are in the
docstrings of the tests that use them.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from parkflow.examples import TRUCK
from parkflow.io import scenario_from_frames

__all__ = ["ENT", "bases_park", "co2_park", "links_frame"]

ENT = pd.DataFrame(
    {
        "id": ["E1", "E2", "E3", "E4"],
        "name": ["phosphate", "board", "mine", "old stack"],
        "park": "P1",
        "sector": ["phosphate_chemicals", "gypsum_board", "mine_backfill", "phosphate"],
        "lon": [104.0, 104.05, 104.1, 104.02],
        "lat": [30.6, 30.6, 30.6, 30.6],
        "city": "Chengdu",
    }
)


def links_frame(rows: list[tuple[str, str, str, str, str, float]]) -> pd.DataFrame:
    """Truck links from ``(id, from, to, material, route, distance_km)`` tuples."""
    return pd.DataFrame(
        {
            "id": [r[0] for r in rows],
            "from": [r[1] for r in rows],
            "to": [r[2] for r in rows],
            "material": [r[3] for r in rows],
            "route": [r[4] for r in rows],
            "mode": "truck",
            "distance_km": [r[5] for r in rows],
        }
    )


def bases_park(targets: list[dict[str, Any]] | None = None, **settings: Any):
    """The park of the three bases (docs/model.md#bases).

    E1 generates 200 t/a of phosphogypsum, 20 t/a of which outside buyers take
    (``utilised_outside``; G' = 180). E4 is an old stack of 100 t (max draw 30 t/a), its source
    ``E4:phosphogypsum`` generates nothing. E2 makes gypsum board (150 t/a), E3 backfills a mine
    (50 t/a; PG backfill is safe disposal). Links: A E1→E2 10 km, Y E4→E2 0 km, X E1→E3 0 km.

    Per t: A = 5 + 10 − 60 − 20 = −65, Y = 10 − 60 − 20 = −70, X = 10 + 5 − 20 = −5.
    """
    sup = pd.DataFrame(
        {
            "id": ["S1"],
            "enterprise": ["E1"],
            "material": ["phosphogypsum"],
            "quantity": [200.0],
            "unit": ["t/a"],
            "utilised_outside": [20.0],
        }
    )
    stk = pd.DataFrame(
        {
            "id": ["K4"],
            "enterprise": ["E4"],
            "material": ["phosphogypsum"],
            "quantity": [100.0],
            "unit": ["t"],
            "max_draw": [30.0],
        }
    )
    use = pd.DataFrame(
        {
            "id": ["U2", "U3"],
            "enterprise": ["E2", "E3"],
            "route": ["gypsum_board", "mine_backfill"],
            "capacity": [150.0, 50.0],
            "unit": ["t/a", "t/a"],
        }
    )
    links = links_frame(
        [
            ("A", "E1", "E2", "phosphogypsum", "gypsum_board", 10.0),
            ("Y", "E4", "E2", "phosphogypsum", "gypsum_board", 0.0),
            ("X", "E1", "E3", "phosphogypsum", "mine_backfill", 0.0),
        ]
    )
    if targets is None:
        targets = [
            {"id": "nbs", "materials": "phosphogypsum", "rate": 0.78, "enforce": False},
            {
                "id": "new",
                "materials": "phosphogypsum",
                "rate": 0.60,
                "basis": "new",
                "enforce": False,
            },
            {
                "id": "cons",
                "materials": "phosphogypsum",
                "rate": 0.95,
                "basis": "consumption",
                "enforce": False,
            },
        ]
    return scenario_from_frames(
        "bases",
        ENT,
        sup,
        use,
        stockpiles=stk,
        links=links,
        candidates="links_only",
        modes={"truck": dict(TRUCK)},
        targets=targets,
        **settings,
    )


def co2_park(backfill_capacity: float = 100.0, **settings: Any):
    """The park of the diagnosis under ``co2`` (docs/model.md, "Diagnosis under every objective").

    E1 generates 100 t/a of fly ash; E2 takes 30 t/a as cement admixture (10 km), E3 backfills
    a mine (``backfill_capacity`` t/a, 20 km). Target: fly ash, nbs 78 %.

    Per t: admixture 5 + 10 − 120 − 8 = −113 CNY, CO₂ 0.75 − 0.001 = 0.749 t;
    backfill 10 + 10 + 5 − 8 = +17 CNY, CO₂ 0 − 0.002 = −0.002 t.
    """
    sup = pd.DataFrame(
        {
            "id": ["S1"],
            "enterprise": ["E1"],
            "material": ["fly_ash"],
            "quantity": [100.0],
            "unit": ["t/a"],
        }
    )
    use = pd.DataFrame(
        {
            "id": ["U2", "U3"],
            "enterprise": ["E2", "E3"],
            "route": ["cement_admixture", "mine_backfill"],
            "capacity": [30.0, backfill_capacity],
            "unit": ["t/a", "t/a"],
        }
    )
    links = links_frame(
        [
            ("C", "E1", "E2", "fly_ash", "cement_admixture", 10.0),
            ("B", "E1", "E3", "fly_ash", "mine_backfill", 20.0),
        ]
    )
    return scenario_from_frames(
        "co2",
        ENT,
        sup,
        use,
        links=links,
        candidates="links_only",
        modes={"truck": dict(TRUCK)},
        targets=[{"id": "ash", "materials": "fly_ash", "rate": 0.78}],
        **settings,
    )
