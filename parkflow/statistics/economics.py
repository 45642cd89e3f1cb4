"""Economics: the objective's parts per link, and who pays and who earns.

The allocation rule (docs/reporting.md, "Economics: the allocation rule"): the generator saves the
disposal cost and pays transport and the link's fixed cost; the user earns the use value and pays
the purification. The transfer price range ``[price_min, price_max]`` (CNY per unit shipped, user →
generator) leaves neither side worse off. All money in CNY/a.
"""

from __future__ import annotations

import pandas as pd

__all__ = ["link_economics", "enterprise_economics", "MONEY_COLUMNS"]

#: The per-enterprise money columns of :func:`enterprise_economics` (CNY/a).
MONEY_COLUMNS = (
    "as_generator_saved",
    "as_generator_paid",
    "as_user_value",
    "as_user_paid",
    "net_benefit",
)


def link_economics(links: pd.DataFrame) -> pd.DataFrame:
    """Per link carrying flow: the generator's and the user's net, and the fair price range.

    Parameters
    ----------
    links : DataFrame
        Rows of :func:`parkflow.statistics.links.link_table`.

    Returns
    -------
    DataFrame
        The rows with ``flow > 0``, plus ``generator_net, user_net, net_benefit`` (CNY/a) and
        ``price_min, price_max`` (CNY per unit shipped).

    Examples
    --------
    >>> import pandas as pd
    >>> l = pd.DataFrame({"flow": [10.0], "disposal_avoided_cny_per_a": [100.0],
    ...                   "transport_cny_per_a": [30.0], "fixed_cny_per_a": [10.0],
    ...                   "value_cny_per_a": [50.0], "purification_cny_per_a": [20.0]})
    >>> link_economics(l)[["generator_net", "user_net", "price_min", "price_max"]].iloc[0].tolist()
    [60.0, 30.0, -6.0, 3.0]
    """
    e = links[links["flow"] > 0].copy()
    e["generator_net"] = (
        e["disposal_avoided_cny_per_a"] - e["transport_cny_per_a"] - e["fixed_cny_per_a"]
    )
    e["user_net"] = e["value_cny_per_a"] - e["purification_cny_per_a"]
    e["net_benefit"] = e["generator_net"] + e["user_net"]
    qty = e["flow"].where(e["flow"] > 0)
    # transfer price p (CNY per unit shipped, user → generator) leaving neither side worse off
    e["price_min"] = -e["generator_net"] / qty
    e["price_max"] = e["user_net"] / qty
    return e


def enterprise_economics(econ: pd.DataFrame) -> pd.DataFrame:
    """Per enterprise: what it saves and pays as generator, earns and pays as user (CNY/a).

    Parameters
    ----------
    econ : DataFrame
        :func:`link_economics` rows (columns ``from, to`` and the ``*_cny_per_a`` terms).

    Returns
    -------
    DataFrame
        Index enterprise id (str, sorted); columns :data:`MONEY_COLUMNS`.
    """
    gen = econ.groupby("from").agg(
        as_generator_saved=("disposal_avoided_cny_per_a", "sum"),
        transport=("transport_cny_per_a", "sum"),
        fixed=("fixed_cny_per_a", "sum"),
    )
    gen["as_generator_paid"] = gen.pop("transport") + gen.pop("fixed")
    use = econ.groupby("to").agg(
        as_user_value=("value_cny_per_a", "sum"), as_user_paid=("purification_cny_per_a", "sum")
    )
    ent = gen.join(use, how="outer").fillna(0.0)
    ent["net_benefit"] = (
        ent["as_generator_saved"]
        - ent["as_generator_paid"]
        + ent["as_user_value"]
        - ent["as_user_paid"]
    )
    ent.index = ent.index.astype(str)
    return ent.sort_index()
