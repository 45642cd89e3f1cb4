"""The quality rule that joins a by-product supply to a use.

Used by the candidate network (docs/model.md, "Candidate links") and by the validation of
hand-written links.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def quality_rule(df: pd.DataFrame, routes: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    r"""Apply the quality rule to (supply, use) pairs: which pass, and at what purification cost.

    Heat passes when the source temperature is at least the sink's minimum plus the route's ΔT;
    hydrogen when its purity is at least the minimum, or else when the route offers purification
    (then at ``purification_cny_per_unit``). Other kinds always pass.

    Parameters
    ----------
    df : pandas.DataFrame
        One row per pair: ``kind, route, temperature_c, purity`` of the supply and
        ``min_temperature_c, min_purity`` of the use, already filled from the route where the
        use leaves them empty.
    routes : pandas.DataFrame
        The catalogue's routes (``delta_t_c``, ``purification_cny_per_unit``).

    Returns
    -------
    ok : numpy.ndarray of bool
    purification_cny_per_unit : numpy.ndarray of float
        0 where no purification is needed.
    """
    delta = df["route"].map(routes["delta_t_c"]).astype(float).fillna(0.0).to_numpy()
    need_t = df["min_temperature_c"].to_numpy(dtype=float)
    temp = df["temperature_c"].to_numpy(dtype=float)
    heat = (df["kind"] == "heat").to_numpy()
    with np.errstate(invalid="ignore"):
        heat_ok = np.isnan(need_t) | (temp >= need_t + delta)
    need_p = df["min_purity"].to_numpy(dtype=float)
    purity = df["purity"].to_numpy(dtype=float)
    hyd = (df["kind"] == "hydrogen").to_numpy()
    with np.errstate(invalid="ignore"):
        pure_ok = np.isnan(need_p) | (purity >= need_p - 1e-12)
    pur_cost = df["route"].map(routes["purification_cny_per_unit"]).astype(float).to_numpy()
    can_purify = ~np.isnan(pur_cost)
    ok = np.where(heat, heat_ok, True) & np.where(hyd, pure_ok | can_purify, True)
    purification = np.where(hyd & ~pure_ok & can_purify, pur_cost, 0.0)
    return ok, np.nan_to_num(purification)
