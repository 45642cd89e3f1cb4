"""A solution vector of the model → a :class:`~parkflow.models.result.Result`.

Shared by the whole-model solve (:mod:`parkflow.solvers.full`) and the decomposed one
(:mod:`parkflow.solvers.decompose`): both end in :func:`result_from_solution` (or
:func:`empty_result` when there is no solution).

Solutions are cleaned before they are reported: a link counts as built when it carries flow or
exists already (a zero-fixed-cost link the solver left "open" with no flow is not built), and the
stock drawn is what the source sends beyond what it generates (generation is used first), which
never changes the cost and never breaks a constraint.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from parkflow.i18n import stopped_message
from parkflow.models.enums import SolveStatus
from parkflow.models.result import (
    DIAGNOSIS_FACILITY_COLUMNS,
    DIAGNOSIS_KINDS,
    TARGET_COLUMNS,
    Result,
)
from parkflow.models.scenario import Scenario
from parkflow.network import CandidateNetwork
from parkflow.solvers.formulation import Formulation, link_class_masks
from parkflow.statistics.utilisation import basis_rate, utilisation_table

__all__ = [
    "result_from_solution",
    "empty_result",
    "clean_solution",
    "entry_totals",
    "source_amounts",
    "facility_table",
    "FACILITY_TABLE_COLUMNS",
    "YEARLY_FACILITY_COLUMNS",
    "UNREACHABLE_NOTE",
    "ABS_TOL_T_PER_A",
]

#: Slack or shortfall below this is round-off (t/a).
ABS_TOL_T_PER_A = 1e-4
_ABS_TOL = ABS_TOL_T_PER_A


def clean_solution(form: Formulation, network: CandidateNetwork, x: np.ndarray) -> np.ndarray:
    """Built = flow > 0 or existing; draws by the booking convention (docs/model.md#bases).

    Generation first: per source the stock drawn is D*_s = max(0, Σ_{L_out(s)} f − G'_s)
    (G' = G − utilised_outside). Drawn stock to safe disposal first: r'* = min(D*_s, X_s) on the
    ``draw_disposal`` columns (only where the model has them; X_s the source's safe-disposal
    flows), r* = D*_s − r'* on ``draw``. Per stockpile the total is spread over the source's
    piles in stockpile order, each up to what the solver drew from it (at most its max_draw),
    and within that the disposal part is taken first. This is the tie-breaking of equal-cost
    optima: it never changes the cost, never breaks a row (the solver's draws were at least
    D*, its disposal draws at most X) and never lowers a target row's left side (r and the
    total draws only fall).

    Parameters
    ----------
    form : Formulation
        The formulation ``x`` solves (its layout).
    network : CandidateNetwork
        The network it was built from.
    x : ndarray
        A solution vector (not changed).

    Returns
    -------
    ndarray
        The cleaned copy: same cost, same feasibility (module docstring).
    """
    lay = form.layout
    flow = np.clip(lay.array(x, "flow"), 0.0, None)
    flow[flow < 1e-7] = 0.0
    existing = network.links["existing"].to_numpy(dtype=bool)
    parts: dict[str, np.ndarray] = {"flow": flow, "build": ((flow > 0) | existing).astype(float)}
    if lay.n_stock:
        src = network.sources
        stock = network.stock
        sid = network.links["source_id"].to_numpy()
        out = pd.Series(flow, index=sid).groupby(level=0).sum()
        # G' = G − O: what outside buyers take is not the model's to send
        own = src["generated"] - src.get("utilised_outside", 0.0)
        need = (out.reindex(src.index).fillna(0.0) - own).clip(lower=0.0)
        r_x, rd_x = _draws(form, x)
        drawn = np.clip(r_x, 0.0, None)
        kd = np.zeros(len(stock), dtype=bool)
        if lay.n_draw_disposal:
            kd_pos = stock.index.get_indexer(lay.draw_disposal)
            kd[kd_pos] = True
            drawn = drawn + np.clip(rd_x, 0.0, None)
        cap = np.minimum(drawn, stock["max_draw"].to_numpy(dtype=float))
        ksrc = stock["source_id"].to_numpy()
        cap_s = pd.Series(cap, index=stock.index)
        before = cap_s.groupby(ksrc).cumsum() - cap_s
        want = need.reindex(ksrc).fillna(0.0).to_numpy()
        total = np.clip(want - before.to_numpy(), 0.0, cap)
        r_disp = np.zeros(len(stock))
        if lay.n_draw_disposal:
            _, disp = link_class_masks(network)
            xs = pd.Series(np.where(disp, flow, 0.0), index=sid).groupby(level=0).sum()
            disp_need = np.minimum(need, xs.reindex(src.index).fillna(0.0))
            t_kd = pd.Series(np.where(kd, total, 0.0), index=stock.index)
            before_d = t_kd.groupby(ksrc).cumsum() - t_kd
            want_d = disp_need.reindex(ksrc).fillna(0.0).to_numpy()
            r_disp = np.where(kd, np.clip(want_d - before_d.to_numpy(), 0.0, t_kd.to_numpy()), 0.0)
            parts["draw_disposal"] = r_disp[kd_pos]
        parts["draw"] = total - r_disp
    return lay.assign(x, **parts)


def _draws(form: Formulation, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(r_k drawn to utilisation, r'_k drawn to safe disposal) per stockpile (t/a)."""
    lay = form.layout
    r = np.asarray(lay.array(x, "draw"), dtype=float)
    rd = np.zeros(len(r))
    if lay.n_draw_disposal:  # only some stockpiles have the column: scatter to stock order
        rd[lay.stock.get_indexer(lay.draw_disposal)] = lay.array(x, "draw_disposal")
    return r, rd


def source_amounts(form: Formulation, network: CandidateNetwork, x: np.ndarray) -> pd.DataFrame:
    """Per source of a solution: the quantities every rate is made of (docs/model.md#bases).

    Returns
    -------
    DataFrame
        Index ``source_id``; columns ``generated`` G (utilised_outside included),
        ``utilised_model`` U (utilisation-class flows), ``utilised_outside`` O,
        ``utilised`` = U + O (综合利用量), ``safe_disposal`` X, ``drawn_utilised`` R_U,
        ``drawn_disposed`` R_D and ``drawn`` = R_U + R_D (unit/a).
    """
    lay = form.layout
    src = network.sources
    flow = np.asarray(lay.array(x, "flow"), dtype=float)
    links = network.links
    cls = (
        links["class"].to_numpy(dtype=object)
        if "class" in links
        else np.full(len(flow), "utilisation")
    )
    disp = cls == "safe_disposal"
    sid = links["source_id"].to_numpy()

    def per_source(values: np.ndarray, keys: np.ndarray) -> np.ndarray:
        if len(values) == 0:
            return np.zeros(len(src))
        summed = pd.Series(values, index=keys).groupby(level=0).sum()
        return summed.reindex(src.index).fillna(0.0).to_numpy(dtype=float)

    r, rd = _draws(form, x)
    ksid = network.stock["source_id"].to_numpy()
    out = pd.DataFrame(index=src.index)
    out["generated"] = src["generated"].to_numpy(dtype=float)
    out["utilised_model"] = per_source(np.where(disp, 0.0, flow), sid)
    out["utilised_outside"] = (
        src["utilised_outside"].to_numpy(dtype=float)
        if "utilised_outside" in src
        else np.zeros(len(src))
    )
    out["utilised"] = out["utilised_model"] + out["utilised_outside"]
    out["safe_disposal"] = per_source(np.where(disp, flow, 0.0), sid)
    out["drawn_utilised"] = per_source(r, ksid)
    out["drawn_disposed"] = per_source(rd, ksid)
    out["drawn"] = out["drawn_utilised"] + out["drawn_disposed"]
    return out


def entry_totals(form: Formulation, network: CandidateNetwork, x: np.ndarray) -> pd.DataFrame:
    """Per target entry of a solution: the amounts, the rate of its basis, rate_nbs, shortfall."""
    e = form.entries.copy()
    if e.empty:
        return pd.DataFrame(columns=TARGET_COLUMNS)
    src = network.sources
    amt = source_amounts(form, network, x)
    M = form.members
    for col in ("generated", "utilised_outside", "safe_disposal", "drawn_utilised"):
        e[col] = M @ amt[col].to_numpy(dtype=float)
    e["drawn_disposed"] = M @ amt["drawn_disposed"].to_numpy(dtype=float)
    e["drawn"] = e["drawn_utilised"] + e["drawn_disposed"]
    u_model = M @ amt["utilised_model"].to_numpy(dtype=float)
    basis = e["basis"].to_numpy(dtype=object) if "basis" in e else np.full(len(e), "nbs")
    o = e["utilised_outside"].to_numpy(float)
    xd = e["safe_disposal"].to_numpy(float)
    g, r = e["generated"].to_numpy(float), e["drawn_utilised"].to_numpy(float)
    rd = e["drawn_disposed"].to_numpy(float)
    # 综合利用量 = the model's utilisation flows + what outside buyers take (docs/model.md#bases)
    e["utilised"] = u_model + o
    e["rate"] = basis_rate(basis, u_model, g, r, o, xd, rd)
    e["rate_nbs"] = basis_rate("nbs", u_model, g, r, o, xd, rd)
    # numerator and denominator of each basis (the row of docs/model.md#bases)
    num = np.where(
        basis == "new",
        u_model - r + o,
        np.where(basis == "consumption", u_model + xd + o, u_model + o),
    )
    denom = np.where(basis == "new", g, np.where(basis == "consumption", g + r + rd, g + r))
    need = e["target"].to_numpy(float) * denom - num
    tol = _ABS_TOL + 1e-6 * denom
    e["shortfall"] = np.where(need > tol, need, 0.0)
    e["met"] = e["shortfall"] <= 0
    applicable = (
        e["applicable"].to_numpy(dtype=bool) if "applicable" in e else np.ones(len(e), dtype=bool)
    )
    binds = e["binds"].to_numpy(dtype=bool) if "binds" in e else np.ones(len(e), dtype=bool)
    e["applicable"] = applicable
    e["enforced"] = binds & applicable
    e["status"] = np.where(
        ~applicable,
        "not_applicable",
        np.where(~binds, "not_enforced", np.where(e["met"], "met", "not_met")),
    )
    e.loc[~applicable, "shortfall"] = 0.0
    e.loc[~applicable, ["rate", "rate_nbs"]] = np.nan
    if "basis" not in e:
        e["basis"] = "nbs"
    if "year" not in e:
        e["year"] = None
    kinds = M @ (src["kind"] != "heat").to_numpy(dtype=float)
    e["unit"] = np.where(kinds >= M.sum(axis=1).A1, "t/a", "mixed")
    return e[TARGET_COLUMNS].reset_index(drop=True)


def _enforced(targets_df: pd.DataFrame) -> pd.Series:
    """Entries that are constraints of this solve (not another year's, not n/a)."""
    if "enforced" in targets_df:
        return targets_df["enforced"].astype(bool)
    return pd.Series(True, index=targets_df.index)


def market_left(network: CandidateNetwork, built: pd.DataFrame) -> pd.Series:
    """Per technology of the candidate facilities: its product market left (unit/a).

    ``max_output_unit_per_a`` (shared by the technology's facilities) less what its built
    facilities take in (``built`` is :func:`facility_table` of the solution); ``inf`` for a
    technology with no market cap.
    """
    fac = network.facilities
    if fac is None or len(fac) == 0:
        return pd.Series(dtype=float)
    cap = fac.groupby("technology")["max_output_unit_per_a"].first().astype(float)
    taken = (
        built.groupby("technology")["throughput"].sum() if len(built) else pd.Series(dtype=float)
    )
    left = cap - taken.reindex(cap.index).fillna(0.0)
    return left.where(np.isfinite(left), np.inf).rename(index=str)


def facility_room(
    network: CandidateNetwork, built: pd.DataFrame, year: int | None = None
) -> pd.Series:
    """What each candidate facility could still take in a solution (unit/a), by facility id.

    ``max_size`` less its throughput, and no more than its technology's :func:`market_left`;
    0 for a facility not available in ``year`` (``available_from`` later). ``built`` is
    :func:`facility_table` of the solution.
    """
    fac = network.facilities
    if fac is None or len(fac) == 0:
        return pd.Series(dtype=float)
    through = (
        built.set_index("facility_id")["throughput"].astype(float)
        if len(built)
        else pd.Series(dtype=float)
    )
    used = through.reindex(fac.index.astype(str)).fillna(0.0).to_numpy()
    market = market_left(network, built).reindex(fac["technology"].astype(str)).to_numpy()
    room = np.minimum(fac["max_size"].to_numpy(dtype=float) - used, market)
    if year is not None and "available_from" in fac:
        avail = fac["available_from"].to_numpy(dtype=float)
        room = np.where(np.isfinite(avail) & (avail > year), 0.0, room)
    return pd.Series(np.maximum(room, 0.0), index=fac.index.astype(str))


def _facilities_for(
    network: CandidateNetwork,
    scenario: Scenario,
    left: pd.DataFrame,
    built: pd.DataFrame | None = None,
) -> tuple[pd.Series, list[list[dict[str, Any]]]]:
    """Per (material, park) row of a diagnosis: facilities and technologies that would take it.

    Candidate facilities accepting the material in the same park that could still take some
    of it (:func:`facility_room` > 0: room left on their size ladder and in their
    technology's market, available this year), ``F1 slag_powder_mill_s95 @ E1 up to 200,000
    t/a``, then catalogue technologies accepting it whose product market has room left
    (``add a facilities row: vti_slag_aggregate``: another site, or a first one).
    docs/model.md "Facilities", diagnosis. Returns the words (the ``facilities`` cell, for a
    person) and per row the same as records (``kind`` ``candidate`` or ``technology``,
    ``facility_id, technology, site, max_size, unit``), which outputs read.
    """
    techs = scenario.catalogue.technologies
    if techs is None or len(techs) == 0:
        return pd.Series("", index=left.index), [[] for _ in range(len(left))]
    fac = network.facilities
    routes = scenario.catalogue.routes["accepts"]
    built = built if built is not None else pd.DataFrame()
    room = facility_room(network, built, scenario.settings.year)
    # another site of a technology whose market is full takes nothing more (a technology with
    # no candidate facility has all of its market)
    market = market_left(network, built)

    def accepts(tid: str, material: str) -> bool:
        acc = techs.at[tid, "accepts"] or ()
        route = techs.at[tid, "route"]
        in_route = route in routes.index and material in routes[route]
        return material in acc and in_route

    out, records = [], []
    for material, park in zip(left["material"], left["park"], strict=True):  # a few rows
        words, rows = [], []
        if fac is not None and len(fac):
            for fid, f in fac.iterrows():  # candidate facilities: a handful per scenario
                tol = _ABS_TOL + 1e-6 * float(f["max_size"])
                if room.get(str(fid), 0.0) <= tol:
                    continue  # at its largest size, its market full, or not yet available
                if f["park"] == park and accepts(f["technology"], material):
                    words.append(
                        f"{fid} {f['technology']} @ {f['enterprise']} up to "
                        f"{f['max_size']:,.0f} {f['unit']}"
                    )
                    rows.append(
                        {
                            "kind": "candidate",
                            "facility_id": str(fid),
                            "technology": str(f["technology"]),
                            "site": str(f["enterprise"]),
                            "max_size": float(f["max_size"]),
                            "unit": str(f["unit"]),
                        }
                    )
        for tid in techs.index:
            if market.get(str(tid), np.inf) > _ABS_TOL and accepts(tid, material):
                words.append(f"add a facilities row: {tid}")
                rows.append({"kind": "technology", "technology": str(tid)})
        out.append("; ".join(words))
        records.append(rows)
    return pd.Series(out, index=left.index), records


def _diagnosis(
    network: CandidateNetwork,
    form: Formulation,
    targets_df: pd.DataFrame,
    sources: pd.DataFrame,
    scenario: Scenario,
    built: pd.DataFrame | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Where the unmet targets' by-products have no use within reach or no capacity left.

    Returns the diagnosis (one row per target, material and park: what is left, ``kind`` —
    a code of :data:`DIAGNOSIS_KINDS`, ``reason`` its words —, the target's
    ``shortfall_t_per_a``, the ``capacity_needed`` share of it, ``year`` (filled by a
    multi-period solve) and the ``facilities`` in words) and its facilities table
    (:data:`DIAGNOSIS_FACILITY_COLUMNS`).
    """
    cols = [
        "target",
        "scope",
        "material",
        "park",
        "city",
        "generated",
        "drawn",
        "utilised",
        "left",
        "reason",
        "routes",
        "capacity_needed",
        "unit",
        "facilities",
        "kind",
        "shortfall_t_per_a",
        "year",
    ]
    empty = (pd.DataFrame(columns=cols), pd.DataFrame(columns=DIAGNOSIS_FACILITY_COLUMNS))
    unmet = (
        targets_df[~targets_df["met"] & _enforced(targets_df)] if len(targets_df) else targets_df
    )
    if unmet.empty or form.members is None:
        return empty
    routes = scenario.catalogue.routes["accepts"]
    by_mat: dict[str, list[str]] = {}
    for rid, acc in routes.items():
        for m in acc:
            by_mat.setdefault(str(m), []).append(str(rid))
    linked = set(network.links["source_id"])
    util_mask, _ = link_class_masks(network)
    linked_util = set(network.links["source_id"].to_numpy()[util_mask])
    entry_pos = {k: i for i, k in enumerate(form.entries["id"] + "@" + form.entries["scope"])}
    parts, remedies = [], []
    for _, e in unmet.iterrows():  # one iteration per unmet target entry (a handful)
        mask = form.members[entry_pos[f"{e['id']}@{e['scope']}"]].toarray().ravel() > 0
        s = sources[mask].copy()
        s["has_use"] = s.index.isin(list(linked))
        s["has_util"] = s.index.isin(list(linked_util))
        g = (
            s.groupby(["material", "park", "city"], sort=True)
            .agg(
                generated=("generated", "sum"),
                drawn=("drawn", "sum"),
                utilised=("utilised", "sum"),
                has_use=("has_use", "any"),
                has_util=("has_util", "any"),
            )
            .reset_index()
        )
        g["left"] = g["generated"] + g["drawn"] - g["utilised"]
        g = g[g["left"] > _ABS_TOL]
        if g.empty:
            continue
        # a safe-disposal use (PG backfill) is not 综合利用: it cannot close an nbs gap
        g["kind"] = np.select(
            [g["has_util"], g["has_use"]], ["no_capacity", "only_disposal"], "no_use"
        )
        g["reason"] = g["kind"].map(DIAGNOSIS_KINDS)
        g["routes"] = g["material"].map(lambda m: ";".join(by_mat.get(m, [])))
        g["facilities"], records = _facilities_for(network, scenario, g, built)  # issue 12
        share = g["left"] / g["left"].sum()
        g["shortfall_t_per_a"] = float(e["shortfall"])
        g["capacity_needed"] = share * float(e["shortfall"])
        g.insert(0, "scope", e["scope"])
        g.insert(0, "target", e["id"])
        g["unit"] = "t/a"
        g["year"] = np.nan
        parts.append(g[cols])
        remedies += [
            {"target": e["id"], "scope": e["scope"], "material": m, "park": pk, **r}
            for m, pk, rows in zip(g["material"], g["park"], records, strict=True)
            for r in rows
        ]
    if not parts:
        return empty
    table = pd.DataFrame(remedies, columns=DIAGNOSIS_FACILITY_COLUMNS)
    return pd.concat(parts, ignore_index=True), table


def _tables(
    scenario: Scenario, network: CandidateNetwork, form: Formulation, x: np.ndarray
) -> dict[str, Any]:
    lay = form.layout
    links = network.links.rename(columns={"fixed_cny_per_a": "fixed_cost_cny_per_a"}).copy()
    flow = lay.array(x, "flow")
    build_ = np.rint(lay.array(x, "build")).astype(int)
    v = form.vectors
    links["build"] = build_
    links["flow"] = flow
    links["delivered"] = flow * links["efficiency"].to_numpy(dtype=float)
    links["transport_cny_per_a"] = flow * v["transport"]
    links["fixed_cny_per_a"] = build_ * v["fixed"]
    links["purification_cny_per_a"] = flow * v["purification"]
    links["value_cny_per_a"] = flow * v["value"]
    links["disposal_avoided_cny_per_a"] = flow * v["disposal"]
    links["total_cny_per_a"] = (
        links["transport_cny_per_a"]
        + links["fixed_cny_per_a"]
        + links["purification_cny_per_a"]
        - links["value_cny_per_a"]
        - links["disposal_avoided_cny_per_a"]
    )
    links["co2_avoided_t_per_a"] = flow * v["co2"]
    links["unit"] = (
        links["material"]
        .map(network.sources.drop_duplicates("material").set_index("material")["unit"])
        .fillna("t/a")
    )
    flows = links[links["build"] == 1].copy()

    stock = network.stock
    r, rd = _draws(form, x)
    draws = pd.DataFrame(
        {
            "enterprise": stock["enterprise"],
            "material": stock["material"],
            "drawn": r + rd,
            "max_draw": stock["max_draw"],
            "source_id": stock["source_id"],
            "drawn_utilised": r,
            "drawn_disposed": rd,
        },
        index=stock.index,
    )
    src = network.sources.copy()
    amt = source_amounts(form, network, x)
    for col in (
        "utilised",
        "utilised_outside",
        "safe_disposal",
        "drawn",
        "drawn_utilised",
        "drawn_disposed",
    ):
        src[col] = amt[col].to_numpy(dtype=float)
    # what is left of the year's generation: stored (or landfilled, dumped), not utilised or
    # safely disposed (docs/model.md#bases)
    src["left"] = src["generated"] + src["drawn"] - src["utilised"] - src["safe_disposal"]
    src.loc[src["left"].abs() < 1e-6, "left"] = 0.0
    sources = src[
        [
            "enterprise",
            "material",
            "category",
            "kind",
            "generated",
            "drawn",
            "utilised",
            "left",
            "unit",
            "park",
            "city",
            "drawable",
            "temperature_c",
            "purity",
            "utilised_outside",
            "safe_disposal",
            "drawn_utilised",
            "drawn_disposed",
        ]
    ]
    objective = {
        f"{k}_cny_per_a": float(links[f"{k}_cny_per_a"].sum())
        for k in ("total", "transport", "fixed", "purification", "value", "disposal_avoided")
    }
    if lay.n_open:  # -- facilities (issue 12): annualised steps and variable cost in total --
        facility = float(lay.array(x, "open") @ v["open"])
        variable = float(flow @ v["facility_variable"])
        objective["facility_cny_per_a"] = facility
        objective["variable_cny_per_a"] = variable
        objective["total_cny_per_a"] += facility + variable
        links["co2_avoided_t_per_a"] = flow * v["co2"]
    return {
        "links": links,
        "flows": flows,
        "draws": draws,
        "sources": sources,
        "utilisation": utilisation_table(
            sources, scenario.catalogue, set(form.entries.get("basis", pd.Series(dtype=str)))
        ),
        "objective": objective,
        "co2": float(links["co2_avoided_t_per_a"].sum()),
    }


#: facilities.csv columns (docs/model.md "Facilities", docs/reporting.md).
FACILITY_TABLE_COLUMNS = [
    "facility_id",
    "technology",
    "site",
    "park",
    "lon",
    "lat",
    "size",
    "unit",
    "build_year",
    "existing_size",
    "capex_cny",
    "annual_cost_cny_per_a",
    "throughput",
    "load_factor",
]
#: facilities.csv columns with periods (one row per facility and year): ``year`` before
#: ``size``, ``expanded_year`` after ``build_year``.
YEARLY_FACILITY_COLUMNS = [
    name
    for c in FACILITY_TABLE_COLUMNS
    for name in {"size": ("year", c), "build_year": (c, "expanded_year")}.get(c, (c,))
]


def facility_table(
    network: CandidateNetwork, form: Formulation, x: np.ndarray, year: int | None = None
) -> pd.DataFrame:
    """One row per built (or expanded) facility of a solution: size, capex, cost, throughput.

    ``capex_cny`` is the overnight capex of the steps built (an expansion: the difference);
    ``annual_cost_cny_per_a`` their annualised capex and fixed O&M plus the variable cost of
    what is taken in; ``load_factor`` = throughput ÷ size. Vectorised over the ladder.

    Returns
    -------
    DataFrame
        Columns :data:`FACILITY_TABLE_COLUMNS` (empty without facilities or builds).
    """
    lay, fac, lad = form.layout, network.facilities, network.ladder
    if lay.n_open == 0 or fac is None or len(fac) == 0:
        return pd.DataFrame(columns=FACILITY_TABLE_COLUMNS)
    y = np.rint(np.clip(lay.array(x, "open"), 0.0, 1.0))
    built = lad.assign(y=y)
    on = built[built["y"] > 0]
    per = on.groupby("facility_id").agg(
        size=("size", "max"),
        capex_cny=("delta_capex_cny", "sum"),
        annual=("annual_cny_per_a", "sum"),
    )
    flow = lay.array(x, "flow")
    eff = network.links["efficiency"].to_numpy(dtype=float)
    use_to_f = pd.Series(fac.index, index=fac["use_id"].to_numpy())
    f_of_link = network.links["use_id"].map(use_to_f)
    through = (
        pd.Series(flow * eff, index=network.links.index).groupby(f_of_link.to_numpy()).sum()
        if f_of_link.notna().any()
        else pd.Series(dtype=float)
    )
    var = form.vectors.get("facility_variable", np.zeros(len(flow)))
    var_f = (
        pd.Series(flow * var, index=network.links.index).groupby(f_of_link.to_numpy()).sum()
        if f_of_link.notna().any()
        else pd.Series(dtype=float)
    )
    out = fac.loc[per.index].copy() if len(per) else fac.iloc[0:0].copy()
    out["size"] = per["size"]
    out["capex_cny"] = per["capex_cny"]
    out["throughput"] = through.reindex(out.index).fillna(0.0)
    out["annual_cost_cny_per_a"] = per["annual"] + var_f.reindex(out.index).fillna(0.0)
    out["load_factor"] = np.where(out["size"] > 0, out["throughput"] / out["size"], 0.0)
    out["build_year"] = year
    out = out.rename(columns={"existing_size": "existing_size"})
    out["facility_id"] = out.index.astype(str)
    return out[FACILITY_TABLE_COLUMNS].reset_index(drop=True)


def empty_result(
    scenario: Scenario,
    network: CandidateNetwork,
    objective: str,
    status: SolveStatus,
    solver_info: dict[str, Any],
    message: str,
) -> Result:
    """The :class:`Result` of a solve that found no solution (``infeasible``, ``error``).

    Parameters
    ----------
    scenario : Scenario
    network : CandidateNetwork
        Its links become ``result.links`` (none built) and its sources ``result.sources``.
    objective : str
        The objective name reported.
    status : SolveStatus
        A status without a solution.
    solver_info : dict
        ``result.solver``.
    message : str
        Why there is no solution, in words for the user.

    Returns
    -------
    Result
        With empty flows, draws, utilisation and targets, and ``co2_avoided_t_per_a`` NaN.
    """
    links = network.links.rename(columns={"fixed_cny_per_a": "fixed_cost_cny_per_a"}).copy()
    return Result(
        scenario_name=scenario.name,
        status=status,
        objective_name=objective,
        links=links,
        flows=links.iloc[0:0],
        draws=pd.DataFrame(),
        sources=network.sources.copy(),
        utilisation=pd.DataFrame(),
        targets=pd.DataFrame(),
        objective={},
        co2_avoided_t_per_a=float("nan"),
        solver=solver_info,
        message=message,
    )


#: Appended to the message of a ``target_unreachable`` result
#: (docs/model.md, "Unreachable targets").
UNREACHABLE_NOTE = (
    "best reachable rates minimise the total shortfall (t/a) summed over all "
    "target entries, so with several entries (each_park) one entry's rate is one "
    "trade-off among many, not its own maximum"
)


def _unreachable_message(targets_df: pd.DataFrame) -> str:
    miss = targets_df[~targets_df["met"] & _enforced(targets_df)] if len(targets_df) else targets_df
    text = "; ".join(
        f"{r.id} ({r.scope}): best reachable rate {r.rate:.4f} < "
        f"{r.target:.4f}, short {r.shortfall:,.0f} {r.unit}"
        for r in miss.itertuples()
    )
    if text and len(targets_df) > 1:
        text += f" ({UNREACHABLE_NOTE})"
    return text


def result_from_solution(
    scenario: Scenario,
    network: CandidateNetwork,
    form: Formulation,
    x: np.ndarray,
    status: SolveStatus,
    solver_info: dict[str, Any],
    message: str | None = None,
    objective: str = "cost",
) -> Result:
    """The :class:`Result` of a solution vector of ``form`` (built from ``network``).

    The public assembly step shared by :func:`parkflow.solvers.full.solve_network` and the
    decomposed solve (:mod:`parkflow.solvers.decompose`). ``x`` is cleaned first
    (:func:`clean_solution`: a link is built when it carries flow or exists; stock drawn = what
    a source sends beyond its generation), then the link, flow, draw, source, utilisation and
    target tables, the money and CO₂ totals and, for ``target_unreachable``, the diagnosis are
    computed from it.

    Parameters
    ----------
    scenario : Scenario
        The scenario solved (name, catalogue).
    network : CandidateNetwork
        The candidate network ``form`` was built from.
    form : Formulation
        From :func:`parkflow.solvers.formulation.build` (its layout and target entries).
    x : ndarray
        A solution, one value per column of ``form.model`` (not changed).
    status : SolveStatus
        A status with a solution (optimal, feasible, target_unreachable).
    solver_info : dict
        ``result.solver`` (name, time_s, gap, termination, ...).
    message : str, optional
        ``result.message``. For ``target_unreachable`` the message always names the unmet
        entries, their best reachable rates and shortfalls (``message`` is the fallback when no
        entry is unmet); ``None`` with ``feasible`` gives the "stopped at the limit" text made
        from ``solver_info["limit"]`` and ``solver_info["gap"]``.
    objective : str
        The objective name reported (default ``"cost"``).

    Returns
    -------
    Result
        Without ``baseline``.
    """
    x = clean_solution(form, network, np.asarray(x, dtype=float))
    tables = _tables(scenario, network, form, x)
    targets_df = entry_totals(form, network, x)
    facilities = (
        facility_table(network, form, x, scenario.settings.year)
        if network.facilities is not None and len(network.facilities)
        else pd.DataFrame()
    )
    diagnosis = diag_facilities = pd.DataFrame()
    if status == SolveStatus.TARGET_UNREACHABLE:
        diagnosis, diag_facilities = _diagnosis(
            network, form, targets_df, tables["sources"], scenario, facilities
        )
        message = _unreachable_message(targets_df) or (message or "")
    elif message is None and status == SolveStatus.FEASIBLE:
        word = solver_info.get("limit") or "time"
        gap = float(solver_info.get("gap", np.nan))
        message = stopped_message(str(word), gap)
        miss = targets_df[~targets_df["met"]] if len(targets_df) else targets_df
        if len(miss):
            message += "; not met in this solution (unproven): " + ", ".join(
                f"{r.id} ({r.scope}) rate {r.rate:.4f}" for r in miss.itertuples()
            )
    return Result(
        scenario_name=scenario.name,
        status=status,
        objective_name=objective,
        links=tables["links"],
        flows=tables["flows"],
        draws=tables["draws"],
        sources=tables["sources"],
        utilisation=tables["utilisation"],
        targets=targets_df,
        objective=tables["objective"],
        co2_avoided_t_per_a=tables["co2"],
        solver=solver_info,
        diagnosis=diagnosis,
        diagnosis_facilities=diag_facilities,
        message=message or "",
        facilities=facilities,
        enterprise_points=scenario.enterprises[["lon", "lat"]].copy(),
    )
