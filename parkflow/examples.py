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

The frame builders (:func:`enterprises_frame`, :func:`supplies_frame`, :func:`uses_frame`,
:func:`stockpiles_frame`, :func:`links_frame`) and :func:`links_only_park` build any other tiny
park of that kind in a few lines; the tests' hand-checked parks are made with them.
"""

from __future__ import annotations

from collections.abc import Sequence
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


def _frame(
    names: Sequence[str], rows: Sequence[Sequence[Any]], columns: dict[str, Any]
) -> pd.DataFrame:
    """A frame of ``rows`` under ``names``, then ``columns`` (a value a row, or one for all)."""
    frame = pd.DataFrame([tuple(row) for row in rows], columns=list(names))
    for column, value in columns.items():
        frame[column] = value
    return frame


def enterprises_frame(
    names: Sequence[str],
    sectors: Sequence[str],
    lon: Sequence[float] | None = None,
    lat: float | Sequence[float] = 30.6,
    park: str | Sequence[str] = "P1",
    city: str | Sequence[str] = "Chengdu",
    ids: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Enterprises E1, E2, … of park P1 in Chengdu at 30.6° N, 0.05° apart from 104.0° E.

    Parameters
    ----------
    names, sectors : sequence of str
        One name and one sector a row.
    lon : sequence of float, optional
        Longitudes, degrees east (default 104.0, 104.05, 104.1, …).
    lat : float or sequence of float
        Latitude, degrees north: one for all or one a row.
    park, city : str or sequence of str
        Park id and city: one for all or one a row.
    ids : sequence of str, optional
        Enterprise ids (default E1, E2, …).

    Returns
    -------
    DataFrame
        Columns ``id, name, park, sector, lon, lat, city`` (docs/scenario-format.md).

    Examples
    --------
    >>> enterprises_frame(["power", "cement"], ["power", "cement"])[["id", "lon"]].values.tolist()
    [['E1', 104.0], ['E2', 104.05]]
    """
    n = len(names)
    return pd.DataFrame(
        {
            "id": list(ids) if ids is not None else [f"E{i + 1}" for i in range(n)],
            "name": list(names),
            "park": park if isinstance(park, str) else list(park),
            "sector": list(sectors),
            "lon": list(lon) if lon is not None else [round(104.0 + 0.05 * i, 2) for i in range(n)],
            "lat": [lat] * n if isinstance(lat, float | int) else list(lat),
            "city": city if isinstance(city, str) else list(city),
        }
    )


def supplies_frame(
    rows: Sequence[tuple[str, str, str, float]], unit: str = "t/a", **columns: Any
) -> pd.DataFrame:
    """Supplies from ``(id, enterprise, material, quantity)`` rows, quantity in ``unit``.

    Parameters
    ----------
    rows : sequence of tuple
        ``(id, enterprise, material, quantity)``.
    unit : str
        The unit of every row.
    **columns
        Further columns (``utilised_outside``, ``fate``, ``purity``, …): a list, one value a
        row, or one value for all.

    Returns
    -------
    DataFrame

    Examples
    --------
    >>> supplies_frame([("S1", "E1", "fly_ash", 100.0)], fate="stored").columns.tolist()
    ['id', 'enterprise', 'material', 'quantity', 'unit', 'fate']
    """
    return _frame(("id", "enterprise", "material", "quantity"), rows, {"unit": unit, **columns})


def uses_frame(
    rows: Sequence[tuple[str, str, str, float]], unit: str = "t/a", **columns: Any
) -> pd.DataFrame:
    """Uses from ``(id, enterprise, route, capacity)`` rows, capacity in ``unit``.

    Parameters
    ----------
    rows : sequence of tuple
        ``(id, enterprise, route, capacity)``.
    unit : str
        The unit of every row.
    **columns
        Further columns (``value`` in CNY/t, …): a list, one value a row, or one for all.

    Returns
    -------
    DataFrame

    Examples
    --------
    >>> uses_frame([("U1", "E2", "bricks", 60.0)], value=[20.0])["value"].tolist()
    [20.0]
    """
    return _frame(("id", "enterprise", "route", "capacity"), rows, {"unit": unit, **columns})


def stockpiles_frame(
    rows: Sequence[tuple[str, str, str, float, float]], unit: str = "t"
) -> pd.DataFrame:
    """Stockpiles from ``(id, enterprise, material, quantity, max_draw)`` rows.

    Parameters
    ----------
    rows : sequence of tuple
        ``(id, enterprise, material, quantity, max_draw)``: the stock in ``unit``, the most
        drawn a year in t/a.
    unit : str
        The unit of the stock.

    Returns
    -------
    DataFrame

    Examples
    --------
    >>> stockpiles_frame([("K1", "E1", "fly_ash", 50.0, 20.0)])["max_draw"].tolist()
    [20.0]
    """
    frame = _frame(("id", "enterprise", "material", "quantity", "max_draw"), rows, {})
    frame.insert(4, "unit", unit)
    return frame


def links_frame(
    rows: Sequence[tuple[str, str, str, str, str, float]], mode: str = "truck", **columns: Any
) -> pd.DataFrame:
    """Links from ``(id, from, to, material, route, distance_km)`` rows, all by ``mode``.

    Parameters
    ----------
    rows : sequence of tuple
        ``(id, from, to, material, route, distance_km)``.
    mode : str
        The transport mode of every link.
    **columns
        Further columns (``existing``, ``fixed_cost``, ``baseline_quantity``, …): a list, one
        value a row, or one value for all.

    Returns
    -------
    DataFrame

    Examples
    --------
    >>> links_frame([("L1", "E1", "E2", "fly_ash", "bricks", 10.0)])["mode"].tolist()
    ['truck']
    """
    frame = _frame(("id", "from", "to", "material", "route", "distance_km"), rows, columns)
    frame.insert(5, "mode", mode)
    return frame


def links_only_park(
    name: str,
    enterprises: pd.DataFrame,
    supplies: pd.DataFrame,
    uses: pd.DataFrame,
    links: pd.DataFrame,
    **settings: Any,
) -> Scenario:
    """A scenario whose candidates are ``links`` only, by the truck of :data:`TRUCK`.

    Parameters
    ----------
    name : str
        Scenario name.
    enterprises, supplies, uses, links : DataFrame
        The tables (see the frame builders of this module).
    **settings
        Further arguments of :func:`parkflow.io.scenario_from_frames` (``stockpiles``,
        ``targets``, ``stacking_costs``, …).

    Returns
    -------
    Scenario

    Examples
    --------
    >>> sc = links_only_park(
    ...     "one-link",
    ...     enterprises_frame(["power", "bricks"], ["power", "bricks"]),
    ...     supplies_frame([("S1", "E1", "fly_ash", 100.0)]),
    ...     uses_frame([("U1", "E2", "bricks", 60.0)]),
    ...     links_frame([("L1", "E1", "E2", "fly_ash", "bricks", 10.0)]),
    ...     targets=[],
    ... )
    >>> sorted(sc.links.index)
    ['L1']
    """
    return scenario_from_frames(
        name,
        enterprises,
        supplies,
        uses,
        links=links,
        candidates="links_only",
        modes={"truck": dict(TRUCK)},
        **settings,
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
    ent = enterprises_frame(["power", "cement", "bricks"], ["power", "cement", "bricks"])
    sup = supplies_frame([("S1", "E1", "fly_ash", 100.0)])
    use = uses_frame(
        [("U1", "E2", "cement_admixture", cap_e2), ("U2", "E3", "bricks", cap_e3)],
        value=[value_e2, value_e3],
    )
    stk = stockpiles_frame([("K1", "E1", "fly_ash", 50.0, 20.0)], unit="t/a") if stock else None
    links = links_frame(
        [
            ("L1", "E1", "E2", "fly_ash", "cement_admixture", 10.0),
            ("L2", "E1", "E3", "fly_ash", "bricks", 20.0),
        ],
        existing=[False, l2_existing],
        fixed_cost=[float("nan"), fixed_l2],
    )
    if targets is None:
        targets = [{"id": "t", "materials": "fly_ash", "rate": 0.0, "scope": "all"}]
    return links_only_park(
        "tiny",
        ent,
        sup,
        use,
        links,
        stockpiles=stk,
        targets=targets,
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
