"""Tiny hand-checkable parks built in memory, for doctests, tests and notebooks.

:func:`tiny_park` is the park of docs/model.md, "Worked example": one power plant with 100 t/a of
fly ash (and 50 t in stock, of which 20 t/a may be drawn), a cement plant 10 km away (link ``L1``)
and a brick works 20 km away (link ``L2``), by truck at 0.5 CNY/t·km + 10 CNY/t handling, with
explicit links and distances so that every number can be checked by hand.

>>> from parkflow.examples import tiny_park
>>> from parkflow.solvers.api import solve
>>> res = solve(tiny_park(), baseline=False)
>>> float(res.objective["total_cny_per_a"])  # 120 t on L1 at 5 + 10 − 100 − 25 CNY/t
-13200.0
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from parkflow.io import scenario_from_frames
from parkflow.models.scenario import Scenario

#: truck: 0.5 CNY/t·km + 10 CNY/t handling, no fixed cost, 0.0001 t CO2/t·km
TRUCK = {
    "cost_cny_per_tkm": 0.5,
    "handling_cny_per_t": 10.0,
    "fixed_cny_per_a": 0.0,
    "fixed_cny_per_km_a": 0.0,
    "co2_t_per_tkm": 0.0001,
    "reach_km": 100.0,
    "detour": 1.0,
    "loss_per_km": 0.0,
}

#: The hand numbers of the tiny parks were computed with a fly-ash credit of 25 CNY/t (the
#: environmental-protection tax). Fate ``stored`` credits the stacking cost instead
#: (docs/model.md, "Fates"), so the tiny parks state a stacking cost of 25 CNY/t to keep them.
STACK_25 = pd.DataFrame(
    {
        "material": ["fly_ash", "bf_slag", "coal_gangue", "steel_slag"],
        "cost_cny_per_t": [25.0, 25.0, 5.0, 25.0],
    }
)


def tiny_park(
    cap_e2: float = 150.0,
    value_e3: float = 20.0,
    fixed_l2: float = 500.0,
    l2_existing: bool = False,
    cap_e3: float = 1000.0,
    stock: bool = True,
    targets: list[dict[str, Any]] | None = None,
    value_e2: float = 100.0,
    **settings: Any,
) -> Scenario:
    """E1 power (fly ash 100 t/a, stock 50 t, draw ≤ 20 t/a) → E2 cement (L1) and E3 bricks (L2).

    L1 is 10 km long, L2 20 km. Fly ash disposal cost (environmental tax) 25 CNY/t. Per t sent:
    L1 = 0.5·10 + 10 − value_e2 − 25; L2 = 0.5·20 + 10 − value_e3 − 25, + fixed_l2 (CNY/a) if
    built. Candidates are the two links only (``candidates="links_only"``).

    Parameters
    ----------
    cap_e2, cap_e3 : float
        Capacity of the cement plant's and the brick works' use, t/a.
    value_e3, value_e2 : float
        Value of the delivered fly ash to the brick works and the cement plant, CNY/t.
    fixed_l2 : float
        Annual fixed cost of link L2, CNY/a.
    l2_existing : bool
        Whether L2 exists today (then it is in the baseline and costs no fixed cost to build).
    stock : bool
        Whether E1 has its 50 t stockpile (``K1``, at most 20 t/a drawn).
    targets : list of dict, optional
        The scenario's targets; by default one fly-ash target of rate 0 over the whole scenario.
    **settings
        Further settings for :func:`parkflow.io.scenario_from_frames`.

    Returns
    -------
    Scenario

    Examples
    --------
    >>> sc = tiny_park()
    >>> sorted(sc.links.index)
    ['L1', 'L2']
    >>> float(sc.catalogue.materials.loc["fly_ash", "env_tax_cny_per_t"])
    25.0
    """
    ent = pd.DataFrame(
        {
            "id": ["E1", "E2", "E3"],
            "name": ["power", "cement", "bricks"],
            "park": ["P1", "P1", "P1"],
            "sector": ["power", "cement", "bricks"],
            "lon": [104.0, 104.05, 104.1],
            "lat": [30.6, 30.6, 30.6],
            "city": ["Chengdu"] * 3,
        }
    )
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
            "id": ["U1", "U2"],
            "enterprise": ["E2", "E3"],
            "route": ["cement_admixture", "bricks"],
            "capacity": [cap_e2, cap_e3],
            "unit": ["t/a", "t/a"],
            "value": [value_e2, value_e3],
        }
    )
    stk = (
        pd.DataFrame(
            {
                "id": ["K1"],
                "enterprise": ["E1"],
                "material": ["fly_ash"],
                "quantity": [50.0],
                "unit": ["t/a"],
                "max_draw": [20.0],
            }
        )
        if stock
        else None
    )
    links = pd.DataFrame(
        {
            "id": ["L1", "L2"],
            "from": ["E1", "E1"],
            "to": ["E2", "E3"],
            "material": ["fly_ash", "fly_ash"],
            "route": ["cement_admixture", "bricks"],
            "mode": ["truck", "truck"],
            "existing": [False, l2_existing],
            "fixed_cost": [float("nan"), fixed_l2],
            "distance_km": [10.0, 20.0],
        }
    )
    if targets is None:
        targets = [{"id": "t", "materials": "fly_ash", "rate": 0.0, "scope": "all"}]
    return scenario_from_frames(
        "tiny",
        ent,
        sup,
        use,
        stockpiles=stk,
        links=links,
        targets=targets,
        candidates="links_only",
        modes={"truck": dict(TRUCK)},
        stacking_costs=settings.pop("stacking_costs", STACK_25.copy()),
        **settings,
    )


def tiny_frames() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Enterprises, supplies and uses of a park whose candidate links come from the catalogue.

    One power plant (1,000 t/a fly ash), a cement plant 2 km away taking 600 t/a (profitable) and a
    brick works ~100 km away taking 400 t/a (transport dearer than its value + tax).

    Returns
    -------
    tuple of DataFrame
        ``(enterprises, supplies, uses)`` in the scenario-file layout (docs/scenario-format.md).

    Examples
    --------
    >>> enterprises, supplies, uses = tiny_frames()
    >>> list(enterprises["id"]), float(supplies["quantity"].sum())
    (['E1', 'E2', 'E3'], 1000.0)
    """
    enterprises = pd.DataFrame(
        {
            "id": ["E1", "E2", "E3"],
            "name": ["power", "cement", "bricks"],
            "park": ["P1", "P1", "P1"],
            "sector": ["coal_power", "cement", "brick_works"],
            "lon": [104.0, 104.0, 104.0],
            "lat": [30.0, 30.02, 30.9],
        }
    )
    supplies = pd.DataFrame(
        {"enterprise": ["E1"], "material": ["fly_ash"], "quantity": [1000.0], "unit": ["t/a"]}
    )
    uses = pd.DataFrame(
        {
            "enterprise": ["E2", "E3"],
            "route": ["cement_admixture", "bricks"],
            "capacity": [600.0, 400.0],
            "unit": ["t/a", "t/a"],
        }
    )
    return enterprises, supplies, uses


def tiny_network_park() -> Scenario:
    """The park of :func:`tiny_frames` as a :class:`Scenario` (candidate links from the catalogue).

    Examples
    --------
    >>> from parkflow.network import candidate_links
    >>> net = candidate_links(tiny_network_park())
    >>> sorted(net.links["to"].unique())
    ['E2', 'E3']
    """
    enterprises, supplies, uses = tiny_frames()
    return scenario_from_frames("tiny-network", enterprises, supplies, uses)
