"""Link effects: flows, money and CO₂ per link, before and after, and the energy effects.

Computed once from a :class:`~parkflow.models.result.Result` (and its baseline) in canonical units
(t/a or GJ/a, CNY/a, t CO₂/a); the report translates them (docs/reporting.md, "The tables" and
"Effects").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from parkflow.catalogue import GRID_CO2_T_PER_MWH, TCE_PER_GJ
from parkflow.models.scenario import Catalogue
from parkflow.models.schema import parse_bool
from parkflow.statistics.summary import link_counts

if TYPE_CHECKING:
    from parkflow.models.result import Result

__all__ = [
    "link_table",
    "link_effects",
    "link_counts",
    "links_built",
    "existing_built",
    "flows_of",
    "grid_factors",
    "TCE_PER_MWH_ELECTRICITY",
    "ORC_MWH_PER_GJ_DEFAULT",
    "is_true",
]

#: Electricity's calorific equivalent, 0.1229 kgce/kWh (GB/T 2589-2020) = tce per MWh.
TCE_PER_MWH_ELECTRICITY = 0.1229
#: ORC heat-to-power efficiency ≈10 % → 27.8 kWh per GJ of heat
#: (estimate [E], routes.csv orc_power).
ORC_MWH_PER_GJ_DEFAULT = 0.10 / 3.6


def is_true(value: object) -> bool:
    """Whether a flag cell (bool, 1, "true", "yes") is true — for hand-built frames.

    >>> [is_true(v) for v in (True, "TRUE", "1", 0, "no")]
    [True, True, True, False, False]
    """
    return bool(parse_bool(value))  # the one boolean parser (blank and unknown: False)


def grid_factors() -> dict[str, float]:
    """Grid CO₂ factors, t CO₂ per MWh: ``{"national": 0.5306, "sichuan": 0.1564}``.

    Returns
    -------
    dict of str to float
        From the catalogue (docs/reporting.md, "Effects").
    """
    return dict(GRID_CO2_T_PER_MWH)


def _col(frame: pd.DataFrame, name: str, default: float = 0.0) -> pd.Series:
    if name in frame.columns:
        return pd.to_numeric(frame[name], errors="coerce").fillna(default).astype(float)
    return pd.Series(default, index=frame.index, dtype=float)


def flows_of(result: Result | None) -> pd.DataFrame:
    """The built links of a result, indexed by ``link_id`` (str), with a ``flow`` column.

    Parameters
    ----------
    result : Result or None

    Returns
    -------
    DataFrame
        ``result.flows`` (or the ``build = 1`` rows of ``result.links`` when flows is empty).
    """
    if result is None:
        return pd.DataFrame()
    flows = result.flows
    if (
        (flows is None or flows.empty)
        and result.links is not None
        and not result.links.empty
        and "build" in result.links.columns
    ):
        flows = result.links[_col(result.links, "build") > 0.5]
    if flows is None or flows.empty:
        return pd.DataFrame(columns=["from", "to", "material", "route", "flow"])
    f = flows.copy()
    if "link_id" in f.columns:
        f = f.set_index("link_id")
    if "flow" not in f.columns and "quantity" in f.columns:
        f["flow"] = f["quantity"]
    f.index = f.index.astype(str)
    f.index.name = "link_id"
    return f


def links_built(result: Result) -> int:
    """Links built, the number ``summary.json`` gives (:func:`link_counts`).

    That is one per row of the flows table: an existing link is built (forced open) even when
    it carries no flow.

    Parameters
    ----------
    result : Result

    Returns
    -------
    int
    """
    try:
        return int(link_counts(result)["links_built"])
    except (AttributeError, KeyError, TypeError, ValueError):
        return len(flows_of(result))


def existing_built(result: Result) -> int:
    """How many of the built links (rows of the flows table) exist already.

    Parameters
    ----------
    result : Result

    Returns
    -------
    int
    """
    flows = flows_of(result)
    if "existing" not in flows.columns:
        return 0
    return int(flows["existing"].map(is_true).sum())


def _material_units(catalogue: Catalogue | None) -> dict[str, str]:
    if catalogue is None or "canonical_unit" not in catalogue.materials.columns:
        return {"waste_heat": "GJ/a"}
    return dict(
        zip(
            catalogue.materials.index.astype(str),
            catalogue.materials["canonical_unit"].astype(str),
            strict=True,
        )
    )


def link_table(result: Result, catalogue: Catalogue | None) -> pd.DataFrame:
    """One row per link built before or after, with flows, money and CO₂ terms (canonical).

    Parameters
    ----------
    result : Result
        The solve; ``result.baseline`` (the before: today's practice) gives ``flow_baseline``.
    catalogue : Catalogue or None
        Units of the materials and CO₂ per t·km of the modes.

    Returns
    -------
    DataFrame
        Index ``link_id``; columns ``from, to, material, route, mode, distance_km, unit, flow,
        delivered``, the ``*_cny_per_a`` terms, ``co2_avoided_t_per_a``,
        ``transport_co2_t_per_a``, ``flow_baseline``, ``existing`` (bool), ``flow_change``;
        existing links first.
    """
    flows = flows_of(result)
    base_flows = flows_of(result.baseline) if result.baseline is not None else None
    return _link_table(flows, base_flows, catalogue)


def _link_table(
    flows: pd.DataFrame, base_flows: pd.DataFrame | None, catalogue: Catalogue | None
) -> pd.DataFrame:
    """One row per link built before or after, with flows, money and CO₂ terms (canonical)."""
    cols = ["from", "to", "material", "route", "mode", "distance_km", "unit"]
    f = flows.copy()
    if base_flows is not None and not base_flows.empty:
        missing = base_flows.index.difference(f.index)
        if len(missing):
            add = base_flows.loc[missing].copy()
            add["flow"] = 0.0
            for c in add.columns:
                if c.endswith(("_cny_per_a", "_t_per_a")) or c == "delivered":
                    add[c] = 0.0
            f = pd.concat([f, add])
    out = pd.DataFrame(index=f.index)
    for c in cols:
        out[c] = f[c].astype(object).where(f[c].notna(), "").astype(str) if c in f.columns else ""
    out["distance_km"] = _col(f, "distance_km", np.nan)
    units = _material_units(catalogue)
    if "unit" not in f.columns:
        out["unit"] = out["material"].map(units).fillna("t/a")
    out["unit"] = out["unit"].where(out["unit"].str.endswith("/a"), out["unit"] + "/a")
    out["flow"] = _col(f, "flow")
    out["delivered"] = (
        _col(f, "delivered", np.nan).fillna(out["flow"])
        if "delivered" in f.columns
        else out["flow"]
    )
    for name in ("transport", "fixed", "purification", "value", "disposal_avoided", "total"):
        out[f"{name}_cny_per_a"] = _col(f, f"{name}_cny_per_a")
    out["co2_avoided_t_per_a"] = _col(f, "co2_avoided_t_per_a")
    if "transport_co2_t_per_a" in f.columns:
        out["transport_co2_t_per_a"] = _col(f, "transport_co2_t_per_a")
    elif catalogue is not None and "co2_t_per_tkm" in catalogue.modes.columns:
        per_tkm = (
            pd.to_numeric(out["mode"].map(catalogue.modes["co2_t_per_tkm"]), errors="coerce")
            .astype(float)
            .fillna(0.0)
        )
        out["transport_co2_t_per_a"] = per_tkm * out["flow"] * out["distance_km"].fillna(0.0)
    else:
        out["transport_co2_t_per_a"] = 0.0
    if base_flows is not None and not base_flows.empty:
        out["flow_baseline"] = _col(base_flows, "flow").reindex(out.index).fillna(0.0)
        existing = out.index.isin(base_flows.index)
    else:
        out["flow_baseline"] = 0.0
        existing = np.zeros(len(out), dtype=bool)
    if "existing" in f.columns:
        flag = f["existing"].map(lambda v: str(v).strip().lower() in ("true", "1", "yes"))
        existing = existing | flag.to_numpy(dtype=bool)
    out["existing"] = existing
    out["flow_change"] = out["flow"] - out["flow_baseline"]
    return out.sort_values(["existing", "from", "to"], ascending=[False, True, True], kind="stable")


def link_effects(links: pd.DataFrame, catalogue: Catalogue | None) -> pd.DataFrame:
    """CO₂ and energy effects per link (canonical units).

    Adds ``electricity_mwh_per_a`` (orc_power links: delivered GJ × MWh per GJ of the ORC),
    ``co2_national_t_per_a`` and ``co2_sichuan_t_per_a`` (for orc_power: electricity × grid
    factor − transport CO₂; other links: the modelled CO₂ avoided, which involves no grid power)
    and ``energy_saved_tce_per_a`` (heat delivered × tce per GJ; electricity × 0.1229 tce/MWh).

    Parameters
    ----------
    links : DataFrame
        Rows of :func:`link_table`.
    catalogue : Catalogue or None
        The kind of each material (heat or not).

    Returns
    -------
    DataFrame
        ``links`` with the four columns added.
    """
    g = grid_factors()
    tce_per_gj = float(TCE_PER_GJ)
    mwh_per_gj = ORC_MWH_PER_GJ_DEFAULT
    kinds: dict[str, str] = {"waste_heat": "heat", "hydrogen": "hydrogen"}
    if catalogue is not None and "kind" in catalogue.materials.columns:
        kinds.update(
            zip(
                catalogue.materials.index.astype(str),
                catalogue.materials["kind"].astype(str),
                strict=True,
            )
        )
    out = links.copy()
    is_orc = out["route"].astype(str).eq("orc_power").to_numpy()
    is_heat = out["material"].map(kinds).eq("heat").to_numpy()
    delivered = out["delivered"].to_numpy(dtype=float)
    elec = np.where(is_orc, delivered * mwh_per_gj, 0.0)
    out["electricity_mwh_per_a"] = elec
    modelled = out["co2_avoided_t_per_a"].to_numpy(dtype=float)
    transport = out["transport_co2_t_per_a"].to_numpy(dtype=float)
    out["co2_national_t_per_a"] = np.where(is_orc, elec * g["national"] - transport, modelled)
    out["co2_sichuan_t_per_a"] = np.where(is_orc, elec * g["sichuan"] - transport, modelled)
    out["energy_saved_tce_per_a"] = np.where(
        is_orc, elec * TCE_PER_MWH_ELECTRICITY, np.where(is_heat, delivered * tce_per_gj, 0.0)
    )
    return out
