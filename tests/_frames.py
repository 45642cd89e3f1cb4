"""Small hand-checkable parks shared by several test modules."""

from __future__ import annotations

import pandas as pd


def tiny_frames():
    """One power plant (1,000 t/a fly ash), a cement plant 2 km away taking 600 t/a (profitable)
    and a brick works ~100 km away taking 400 t/a (transport dearer than its value + tax)."""
    enterprises = pd.DataFrame({
        "id": ["E1", "E2", "E3"], "name": ["power", "cement", "bricks"],
        "park": ["P1", "P1", "P1"], "sector": ["coal_power", "cement", "brick_works"],
        "lon": [104.0, 104.0, 104.0], "lat": [30.0, 30.02, 30.9],
    })
    supplies = pd.DataFrame({"enterprise": ["E1"], "material": ["fly_ash"],
                             "quantity": [1000.0], "unit": ["t/a"]})
    uses = pd.DataFrame({"enterprise": ["E2", "E3"], "route": ["cement_admixture", "bricks"],
                         "capacity": [600.0, 400.0], "unit": ["t/a", "t/a"]})
    return enterprises, supplies, uses
