"""The park circular-transformation scorecard (循环化改造评价) and the project list (项目清单).

Per park and for the whole scenario, the indicators that the data allows (docs/reporting.md,
"Scorecard"), each against its reference value with the reference's source (docs/sources.md,
"Scorecard references"):

* bulk solid-waste utilisation, tailings excluded: the ``nbs`` basis 综合利用量 ÷ (产生量 +
  综合利用往年贮存量) always, and ``new`` / ``consumption`` when a target uses them (the
  ``rate_new`` / ``rate_consumption`` columns of the utilisation rows);
* waste-heat recovery rate: waste heat utilised ÷ generated (GJ);
* energy saved (tce/a) and CO₂ avoided (t/a) by the links, counted at the generator's park;
* from optional enterprise columns — :data:`SCORECARD_COLUMNS` — water reuse rate, resource,
  energy and water productivity. Where a column is missing the value is NaN and ``needs`` names
  the column(s).

The project list is every proposed link (not existing, carrying flow) with its investment: the
link's ``capex_cny`` when the flows carry one, else the annualised fixed cost ×
:data:`INVESTMENT_PER_ANNUAL_FIXED`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from parkflow.statistics.links import link_effects
from parkflow.statistics.utilisation import BULK_EXCL_TAILINGS, SICHUAN_TARGETS

if TYPE_CHECKING:
    from parkflow.models.scenario import Catalogue

__all__ = [
    "SCORECARD_COLUMNS",
    "INDICATORS",
    "REFERENCES",
    "INVESTMENT_PER_ANNUAL_FIXED",
    "scorecard",
    "project_list",
    "enterprise_inputs",
]

#: Optional enterprise columns read by the scorecard (units in the names).
SCORECARD_COLUMNS = {
    "value_added_cny_per_a": "工业增加值 — industrial value added, CNY/a",
    "energy_use_tce_per_a": "综合能源消费量 — total energy use, tce/a",
    "water_use_t_per_a": "工业新鲜水用量 — fresh water taken, t/a (= m³/a)",
    "water_reused_t_per_a": "重复利用水量 — water reused (recirculated, reclaimed), t/a",
    "resource_use_t_per_a": "主要资源消费量 — primary resources consumed, t/a",
}
#: The indicators in their order: key → unit key.
INDICATORS = {
    "bulk_rate": "pct",
    "waste_heat_rate": "pct",
    "energy_saved": "tce",
    "co2_avoided": "tco2",
    "water_reuse": "pct",
    "resource_productivity": "cny_per_t",
    "energy_productivity": "wcny_per_tce",
    "water_productivity": "cny_per_m3",
}
#: Reference value per indicator: (value, "min" = at least / None = reported only, source key of
#: docs/sources.md "Scorecard references").
REFERENCES: dict[str, tuple[float, str | None, str]] = {
    "bulk_rate": (SICHUAN_TARGETS[2025] * 100, "min", "S1"),
    "waste_heat_rate": (np.nan, None, "S2"),
    "energy_saved": (np.nan, None, "S3"),
    "co2_avoided": (np.nan, None, "S3"),
    "water_reuse": (90.0, "min", "S2"),
    "resource_productivity": (np.nan, None, "S4"),
    "energy_productivity": (2.0, "min", "S2"),
    "water_productivity": (1250.0, "min", "S2"),
}
#: Investment per CNY/a of annualised fixed cost: the catalogue annualises pipelines and link
#: fixed costs at ≈10 % a year (docs/catalogue.md, modes.csv notes), so investment ≈ 10 × that.
INVESTMENT_PER_ANNUAL_FIXED = 10.0

_NEEDS = {
    "water_reuse": ("water_reused_t_per_a", "water_use_t_per_a"),
    "resource_productivity": ("value_added_cny_per_a", "resource_use_t_per_a"),
    "energy_productivity": ("value_added_cny_per_a", "energy_use_tce_per_a"),
    "water_productivity": ("value_added_cny_per_a", "water_use_t_per_a"),
}


def enterprise_inputs(enterprises: pd.DataFrame | None) -> pd.DataFrame:
    """The optional scorecard columns of the enterprises table, numeric (absent → all NaN).

    Parameters
    ----------
    enterprises : DataFrame or None
        ``Scenario.enterprises`` (index enterprise id; column ``park``; any of
        :data:`SCORECARD_COLUMNS`, read tolerantly: text and blanks become NaN).

    Returns
    -------
    DataFrame
        Index enterprise id (str); columns ``park`` and every key of :data:`SCORECARD_COLUMNS`.
    """
    if enterprises is None or len(enterprises) == 0:
        return pd.DataFrame(columns=["park", *SCORECARD_COLUMNS])
    out = pd.DataFrame(index=enterprises.index.astype(str))
    out["park"] = (
        enterprises["park"].astype(str).to_numpy() if "park" in enterprises.columns else ""
    )
    for col in SCORECARD_COLUMNS:
        out[col] = (
            pd.to_numeric(enterprises[col], errors="coerce").astype(float).to_numpy()
            if col in enterprises.columns
            else np.nan
        )
    return out


def _ratio(inputs: pd.DataFrame, num: str, den: str, scale: float = 1.0) -> float:
    both = inputs[[num, den]].dropna()
    if both.empty or float(both[den].sum()) <= 0:
        return float("nan")
    return float(both[num].sum()) / float(both[den].sum()) * scale


def _water_reuse(inputs: pd.DataFrame) -> float:
    both = inputs[["water_reused_t_per_a", "water_use_t_per_a"]].dropna()
    total = float(both.sum().sum()) if len(both) else 0.0
    return float(both["water_reused_t_per_a"].sum()) / total * 100 if total > 0 else float("nan")


def scorecard(
    util: pd.DataFrame,
    links: pd.DataFrame,
    enterprises: pd.DataFrame | None,
    catalogue: Catalogue | None = None,
) -> pd.DataFrame:
    """The scorecard: one row per scope (whole scenario, each park) and indicator.

    Parameters
    ----------
    util : DataFrame
        :func:`parkflow.statistics.utilisation.utilisation_rows` (a ``basis`` column, when
        present, gives one bulk-rate row per basis; else the basis is ``nbs``).
    links : DataFrame
        :func:`parkflow.statistics.links.link_table`.
    enterprises : DataFrame or None
        The scenario's enterprises (park of each generator; the optional columns).
    catalogue : Catalogue, optional
        For :func:`~parkflow.statistics.links.link_effects` (heat materials).

    Returns
    -------
    DataFrame
        Columns ``scope_type, scope_id, indicator, basis, value, unit, reference,
        reference_kind, meets, source, needs``. ``value`` is in the indicator's unit (rates in %,
        energy productivity in 10⁴ CNY/tce); ``meets`` is True/False against a ``min``
        reference, NaN otherwise; ``needs`` lists the missing columns ("" when computed).
    """
    inputs = enterprise_inputs(enterprises)
    park_of = inputs["park"].to_dict()
    if util is not None and len(util) and "scope_type" in util.columns:
        parks = sorted(util.loc[util["scope_type"] == "park", "scope_id"].astype(str).unique())
    else:
        parks = sorted({p for p in park_of.values() if p and p != "nan"})
    flowing = links[links["flow"] > 0] if len(links) else links
    eff = (
        link_effects(flowing, catalogue)
        if len(flowing)
        else flowing.assign(energy_saved_tce_per_a=[], co2_avoided_t_per_a=[])
    )
    eff = eff.assign(park=eff["from"].astype(str).map(park_of)) if len(eff) else eff.assign(park=[])
    rows: list[dict[str, Any]] = []
    for scope_type, scope_id in [("all", "all"), *[("park", p) for p in parks]]:
        in_scope = inputs if scope_type == "all" else inputs[inputs["park"] == scope_id]
        e = eff if scope_type == "all" else eff[eff["park"] == scope_id]
        u = (
            util[
                (util["scope_type"] == scope_type) & (util["scope_id"].astype(str) == str(scope_id))
            ]
            if util is not None and len(util)
            else pd.DataFrame(columns=["category"])
        )
        values: list[tuple[str, str, float, str]] = []
        bulk = u[u["category"] == BULK_EXCL_TAILINGS]
        if "basis" in bulk.columns and bulk["basis"].notna().any():
            for basis, part in bulk.groupby("basis", sort=True):
                values.append(("bulk_rate", str(basis), float(part["rate"].iloc[0]) * 100, ""))
        else:
            # the nbs rate always, then each basis a target uses (rate_new, rate_consumption:
            # utilisation_rows adds them; docs/model.md#bases)
            rate = float(bulk["rate"].iloc[0]) * 100 if len(bulk) else float("nan")
            values.append(("bulk_rate", "nbs", rate, ""))
            for other in ("new", "consumption"):
                if f"rate_{other}" in bulk.columns and len(bulk):
                    values.append(
                        ("bulk_rate", other, float(bulk[f"rate_{other}"].iloc[0]) * 100, "")
                    )
        heat = u[u["category"] == "waste_heat"]
        heat_rate = (
            float(heat["utilised"].sum()) / float(heat["generated"].sum()) * 100
            if len(heat) and float(heat["generated"].sum()) > 0
            else float("nan")
        )
        values.append(
            ("waste_heat_rate", "gj", heat_rate, "" if len(heat) else "waste_heat supplies")
        )
        values.append(
            (
                "energy_saved",
                "links",
                float(e["energy_saved_tce_per_a"].sum()) if len(e) else 0.0,
                "",
            )
        )
        values.append(
            ("co2_avoided", "links", float(e["co2_avoided_t_per_a"].sum()) if len(e) else 0.0, "")
        )
        computed = {
            "water_reuse": _water_reuse(in_scope),
            "resource_productivity": _ratio(
                in_scope, "value_added_cny_per_a", "resource_use_t_per_a"
            ),
            "energy_productivity": _ratio(
                in_scope, "value_added_cny_per_a", "energy_use_tce_per_a", 1e-4
            ),
            "water_productivity": _ratio(in_scope, "value_added_cny_per_a", "water_use_t_per_a"),
        }
        for key, value in computed.items():
            missing = [c for c in _NEEDS[key] if in_scope[c].isna().all()]
            values.append((key, "inputs", value, ", ".join(missing) if np.isnan(value) else ""))
        for key, basis, value, needs in values:
            ref, kind, source = REFERENCES[key]
            if key == "bulk_rate" and basis in ("new", "consumption"):
                # the Sichuan target counts on the nbs basis: the other bases are reported only
                ref, kind = np.nan, None
            meets = (
                bool(value >= ref)
                if kind == "min" and np.isfinite(value) and np.isfinite(ref)
                else np.nan
            )
            rows.append(
                {
                    "scope_type": scope_type,
                    "scope_id": scope_id,
                    "indicator": key,
                    "basis": basis,
                    "value": value,
                    "unit": INDICATORS[key],
                    "reference": ref,
                    "reference_kind": kind,
                    "meets": meets,
                    "source": source,
                    "needs": needs,
                }
            )
    return pd.DataFrame(
        rows,
        columns=[
            "scope_type",
            "scope_id",
            "indicator",
            "basis",
            "value",
            "unit",
            "reference",
            "reference_kind",
            "meets",
            "source",
            "needs",
        ],
    )


def project_list(
    links: pd.DataFrame,
    catalogue: Catalogue | None = None,
    factor: float = INVESTMENT_PER_ANNUAL_FIXED,
) -> pd.DataFrame:
    """The proposed links (not existing, carrying flow) as projects, with their investment.

    Parameters
    ----------
    links : DataFrame
        :func:`parkflow.statistics.links.link_table` (a ``capex_cny`` column, when the flows
        carry one, is the link's investment).
    catalogue : Catalogue, optional
    factor : float
        Investment per CNY/a of annualised fixed cost (default
        :data:`INVESTMENT_PER_ANNUAL_FIXED`).

    Returns
    -------
    DataFrame
        Index link id; columns of the link table plus ``energy_saved_tce_per_a``,
        ``investment_cny`` and ``investment_basis`` (``"capex"`` or ``"factor"``).

    Examples
    --------
    >>> import pandas as pd
    >>> l = pd.DataFrame({"from": ["A"], "to": ["B"], "material": ["fly_ash"], "route": ["r"],
    ...                   "delivered": [10.0], "flow": [10.0], "existing": [False],
    ...                   "fixed_cny_per_a": [5000.0], "co2_avoided_t_per_a": [1.0],
    ...                   "transport_co2_t_per_a": [0.0]}, index=["L1"])
    >>> project_list(l)["investment_cny"].tolist()
    [50000.0]
    """
    if links is None or len(links) == 0:
        return pd.DataFrame(columns=["investment_cny", "investment_basis"])
    p = links[(links["flow"] > 0) & ~links["existing"].astype(bool)]
    p = link_effects(p, catalogue) if len(p) else p.assign(energy_saved_tce_per_a=[])
    fixed = pd.to_numeric(p["fixed_cny_per_a"], errors="coerce").fillna(0.0)
    capex = (
        pd.to_numeric(p["capex_cny"], errors="coerce")
        if "capex_cny" in p.columns
        else pd.Series(np.nan, index=p.index)
    )
    p = p.assign(
        investment_cny=capex.where(capex.notna(), fixed * factor).astype(float),
        investment_basis=np.where(capex.notna(), "capex", "factor"),
    )
    return p
