"""Hand-checkable tiny parks with candidate facilities (design §8.4, today's economics)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from parkflow.io import scenario_from_frames
from tests._solve_helpers import STACK_25, TRUCK

#: A slag mill like design §8.4's mill_b: sizes 100;200 t/a, capex 8,000 + 60 CNY per t/a,
#: life 10 a, variable 5 CNY/t, value 5 CNY/t (so the margin per t is 5 − 5 − 10 + 25 = 15).
MILL_B = {
    "name_zh": "矿渣微粉线",
    "name_en": "slag mill",
    "route": "cement_admixture",
    "accepts": ("bf_slag",),
    "unit": "t/a",
    "sizes": "100;200",
    "capex_cny": 8000.0,
    "capex_cny_per_unit_a": 60.0,
    "life_a": 10.0,
    "fixed_om_cny_per_a": 0.0,
    "fixed_om_frac_capex_per_a": 0.0,
    "variable_cny_per_unit": 5.0,
    "value_cny_per_unit": 5.0,
    "max_output_unit_per_a": float("nan"),
    "co2_t_per_unit": 0.0,
    "purity_out": float("nan"),
    "source": "test",
    "capex_source": "test",
    "cost_source": "test",
    "co2_source": "test",
}


def mill_frames(
    generated_t: float, **supply_columns: Any
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The mill park's enterprise E1 (iron works, P1), its bf_slag supply S1 of
    ``generated_t`` t/a (with ``supply_columns``, e.g. ``growth_per_a``) and an empty use U0."""
    ent = pd.DataFrame(
        {
            "id": ["E1"],
            "name": ["iron"],
            "park": ["P1"],
            "sector": ["steel"],
            "lon": [104.0],
            "lat": [30.6],
        }
    )
    sup = pd.DataFrame(
        {
            "id": ["S1"],
            "enterprise": ["E1"],
            "material": ["bf_slag"],
            "quantity": [generated_t],
            "unit": ["t/a"],
            **{k: [v] for k, v in supply_columns.items()},
        }
    )
    use = pd.DataFrame(
        {
            "id": ["U0"],
            "enterprise": ["E1"],
            "route": ["bricks"],
            "capacity": [0.0],
            "unit": ["t/a"],
        }
    )
    return ent, sup, use


def mill_park(
    generated_t: float = 130.0,
    sizes: str = "",
    existing: float = 0.0,
    tech: dict[str, Any] | None = None,
    targets: list[dict[str, Any]] | None = None,
    **settings: Any,
):
    """E1 iron works, bf_slag ``generated_t`` t/a, one candidate mill F1 co-located at E1.

    Per t into the mill (0 km truck): 10 handling + 5 variable − 5 value − 25 disposal = −15.
    """
    ent, sup, use = mill_frames(generated_t)
    fac = pd.DataFrame(
        {
            "id": ["F1"],
            "technology": ["mill_b"],
            "site": ["E1"],
            "sizes": [sizes],
            "existing": [existing],
        }
    )
    if targets is None:
        targets = [{"id": "t", "materials": "bf_slag", "rate": 0.0, "scope": "all"}]
    settings.setdefault("discount_rate", 0.0)
    modes = {"truck": dict(TRUCK)}
    techs = pd.DataFrame([{"id": "mill_b", **(tech or MILL_B)}])
    techs["accepts"] = techs["accepts"].map(";".join)
    # fate stored: the credit is the stacking cost (docs/model.md, "Fates"); 25 CNY/t keeps the
    # hand numbers, which were worked out with the 25 CNY/t tax credit of the first version
    settings.setdefault("stacking_costs", STACK_25)
    return scenario_from_frames(
        "mill",
        ent,
        sup,
        use,
        targets=targets,
        modes=modes,
        facilities=fac,
        technologies=techs,
        **settings,
    )
