"""Hand-checkable tiny parks for the optimiser tests (links_only, explicit distances)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from parkflow.io import scenario_from_frames

#: The hand numbers of these parks were computed with a fly-ash credit of 25 CNY/t (the
#: environmental-protection tax). Fate ``stored`` now credits the stacking cost
#: (docs/model.md#fates), so the tiny parks state a stacking cost of 25 CNY/t to keep them.
STACK_25 = pd.DataFrame({"material": ["fly_ash", "bf_slag", "coal_gangue", "steel_slag"],
                         "cost_cny_per_t": [25.0, 25.0, 5.0, 25.0]})

#: truck: 0.5 CNY/t·km + 10 CNY/t handling, no fixed cost, 0.0001 t CO2/t·km
TRUCK = {"cost_cny_per_tkm": 0.5, "handling_cny_per_t": 10.0, "fixed_cny_per_a": 0.0,
         "fixed_cny_per_km_a": 0.0, "co2_t_per_tkm": 0.0001, "reach_km": 100.0, "detour": 1.0,
         "loss_per_km": 0.0}


def tiny_park(cap_e2: float = 150.0, value_e3: float = 20.0, fixed_l2: float = 500.0,
              l2_existing: bool = False, cap_e3: float = 1000.0, stock: bool = True,
              targets: list[dict[str, Any]] | None = None, value_e2: float = 100.0,
              **settings: Any):
    """E1 power (fly ash 100 t/a, stock 50 t, draw ≤ 20 t/a) → E2 cement (L1, 10 km) and E3 bricks
    (L2, 20 km). Fly ash disposal cost (environmental tax) 25 CNY/t.

    Per t: L1 = 0.5·10 + 10 − value_e2 − 25; L2 = 0.5·20 + 10 − value_e3 − 25, + fixed_l2 if built.
    """
    ent = pd.DataFrame({"id": ["E1", "E2", "E3"], "name": ["power", "cement", "bricks"],
                        "park": ["P1", "P1", "P1"], "sector": ["power", "cement", "bricks"],
                        "lon": [104.0, 104.05, 104.1], "lat": [30.6, 30.6, 30.6],
                        "city": ["Chengdu"] * 3})
    sup = pd.DataFrame({"id": ["S1"], "enterprise": ["E1"], "material": ["fly_ash"],
                        "quantity": [100.0], "unit": ["t/a"]})
    use = pd.DataFrame({"id": ["U1", "U2"], "enterprise": ["E2", "E3"],
                        "route": ["cement_admixture", "bricks"], "capacity": [cap_e2, cap_e3],
                        "unit": ["t/a", "t/a"], "value": [value_e2, value_e3]})
    stk = pd.DataFrame({"id": ["K1"], "enterprise": ["E1"], "material": ["fly_ash"],
                        "quantity": [50.0], "unit": ["t/a"], "max_draw": [20.0]}) if stock else None
    links = pd.DataFrame({"id": ["L1", "L2"], "from": ["E1", "E1"], "to": ["E2", "E3"],
                          "material": ["fly_ash", "fly_ash"],
                          "route": ["cement_admixture", "bricks"], "mode": ["truck", "truck"],
                          "existing": [False, l2_existing], "fixed_cost": [float("nan"), fixed_l2],
                          "distance_km": [10.0, 20.0]})
    if targets is None:
        targets = [{"id": "t", "materials": "fly_ash", "rate": 0.0, "scope": "all"}]
    sc = scenario_from_frames("tiny", ent, sup, use, stockpiles=stk, links=links,
                              targets=targets, candidates="links_only",
                              modes={"truck": dict(TRUCK)}, stacking_costs=STACK_25.copy(),
                              **settings)
    assert sc.catalogue.materials.loc["fly_ash", "env_tax_cny_per_t"] == 25.0
    return sc
