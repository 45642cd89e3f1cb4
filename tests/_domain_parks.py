"""Tiny hand-checkable parks of the domain model: bases, classes, diagnosis under ``co2``, hydrogen.

Built with the frame builders of :mod:`parkflow.examples`. Every park but :func:`hydrogen_park`
uses explicit links (``candidates: links_only``) and distances, the truck of
:data:`parkflow.examples.TRUCK` (0.5 CNY/t·km, 10 CNY/t handling, 0.0001 t CO₂/t·km) and the
catalogue's values: gypsum_board 60 CNY/t, mine_backfill −5 CNY/t (a gate fee), cement_admixture
120 CNY/t and 0.75 t CO₂/t; stacking costs phosphogypsum 20, fly ash 8, coal gangue 3 CNY/t.
Per-t cost c = transport + handling − value − stacking cost. The hand numbers are in the
docstrings of the tests that use them.
"""

from __future__ import annotations

from typing import Any

from parkflow.examples import (
    enterprises_frame,
    links_frame,
    links_only_park,
    stockpiles_frame,
    supplies_frame,
    uses_frame,
)
from parkflow.io import scenario_from_frames

__all__ = ["ENT", "bases_park", "co2_park", "hydrogen_park"]

ENT = enterprises_frame(
    ["phosphate", "board", "mine", "old stack"],
    ["phosphate_chemicals", "gypsum_board", "mine_backfill", "phosphate"],
    lon=[104.0, 104.05, 104.1, 104.02],
)


def bases_park(targets: list[dict[str, Any]] | None = None, **settings: Any):
    """The park of the three bases (docs/model.md#bases).

    E1 generates 200 t/a of phosphogypsum, 20 t/a of which outside buyers take
    (``utilised_outside``; G' = 180). E4 is an old stack of 100 t (max draw 30 t/a), its source
    ``E4:phosphogypsum`` generates nothing. E2 makes gypsum board (150 t/a), E3 backfills a mine
    (50 t/a; PG backfill is safe disposal). Links: A E1→E2 10 km, Y E4→E2 0 km, X E1→E3 0 km.

    Per t: A = 5 + 10 − 60 − 20 = −65, Y = 10 − 60 − 20 = −70, X = 10 + 5 − 20 = −5.
    """
    sup = supplies_frame([("S1", "E1", "phosphogypsum", 200.0)], utilised_outside=[20.0])
    stk = stockpiles_frame([("K4", "E4", "phosphogypsum", 100.0, 30.0)])
    use = uses_frame([("U2", "E2", "gypsum_board", 150.0), ("U3", "E3", "mine_backfill", 50.0)])
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
    return links_only_park(
        "bases", ENT, sup, use, links, stockpiles=stk, targets=targets, **settings
    )


def co2_park(backfill_capacity: float = 100.0, **settings: Any):
    """The park of the diagnosis under ``co2`` (docs/model.md, "Diagnosis under every objective").

    E1 generates 100 t/a of fly ash; E2 takes 30 t/a as cement admixture (10 km), E3 backfills
    a mine (``backfill_capacity`` t/a, 20 km). Target: fly ash, nbs 78 %.

    Per t: admixture 5 + 10 − 120 − 8 = −113 CNY, CO₂ 0.75 − 0.001 = 0.749 t;
    backfill 10 + 10 + 5 − 8 = +17 CNY, CO₂ 0 − 0.002 = −0.002 t.
    """
    sup = supplies_frame([("S1", "E1", "fly_ash", 100.0)])
    use = uses_frame(
        [("U2", "E2", "cement_admixture", 30.0), ("U3", "E3", "mine_backfill", backfill_capacity)]
    )
    links = links_frame(
        [
            ("C", "E1", "E2", "fly_ash", "cement_admixture", 10.0),
            ("B", "E1", "E3", "fly_ash", "mine_backfill", 20.0),
        ]
    )
    return links_only_park(
        "co2",
        ENT,
        sup,
        use,
        links,
        targets=[{"id": "ash", "materials": "fly_ash", "rate": 0.78}],
        **settings,
    )


def hydrogen_park(enterprises=ENT, targets: list[dict[str, Any]] | None = None, **supply: Any):
    """10 t/a of hydrogen (purity 0.9999) at E1 into a 100 t/a feedstock use at E2.

    Candidate links come from the catalogue (no ``links``); ``targets`` default to the
    scenario default (the bulk target, which names no hydrogen); ``supply`` adds supply
    columns (``fate``, ``replacement``).
    """
    sup = supplies_frame([("S2", "E1", "hydrogen", 10.0)], purity=[0.9999], **supply)
    use = uses_frame([("U2", "E2", "hydrogen_feedstock", 100.0)])
    return scenario_from_frames("h2", enterprises, sup, use, targets=targets)
