r"""The multi-period model (docs/model.md "Periods"): each year's single-year blocks, stacked.

With ``periods`` :math:`T` in scenario.yaml every single-year family of
:mod:`parkflow.solvers.formulation` is written per year on that year's data (a per-year view of
the candidate network with :math:`G_{s,t}`, :math:`C_{u,t}`, :math:`\rho_{e,t}`), the year blocks
are stacked block-diagonally year-major (position = offset + k·n + i inside each variable
family), and three linking families join the years:

* ``build_persists[l,t]``: :math:`b_{l,t^-} - b_{l,t} \le 0` and ``build_persists[f:S,t]``:
  :math:`y_{f,z,t^-} - y_{f,z,t} \le 0` — built stays built, sizes only grow;
* ``stock_balance[k,t]``: :math:`s_{k,t} - s_{k,t^-} + n_{t^-} r_{k,t^-} - [k = k_0(s)]\,
  n_{t^-}\,\mathrm{stored}_{s,t^-} = 0` (:math:`s_{k,t_0} = Q_k`), with
  :math:`\mathrm{stored}_{s,t} = G'_{s,t} - \sum_{L^{out}(s)} f_{l,t} + \sum_{K(s)} r_{k,t}`;
* ``stock_available[k,t]``: :math:`n_t r_{k,t} - s_{k,t} \le 0`.

Objective (CNY, present value): :math:`\sum_t \omega_t\, c_t \cdot x_t + P \sum_{e,t} n_t
\sigma_{e,t}`; ``co2`` maximises :math:`\sum_t n_t\, \mathrm{co2}_t`. With one period every
linking family is empty and the model is today's (same A, c, bounds, integrality; the names
carry ``,year``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, cast

import numpy as np
import pandas as pd
import scipy.sparse as sp

from parkflow.models.enums import SolveStatus
from parkflow.models.periods import interp_held, parse_periods, period_lengths, pv_weights
from parkflow.models.result import Result
from parkflow.models.scenario import Scenario, Target
from parkflow.network import CandidateNetwork, _sources, discount_rate
from parkflow.solvers.formulation import (
    DEFAULT_PENALTY_CNY_PER_T,
    FAMILIES,
    Block,
    Formulation,
    Rows,
    SparseModel,
    _positions,
    assemble,
    build,
    column_upper,
    facility_link_years,
    link_activation,
    min_flow,
    stock_draw_limit,
    supply_rhs,
    target_entries,
    target_rate_years,
    with_disposal_draws,
)
from parkflow.solvers.layout import VARIABLES, Layout, Names
from parkflow.solvers.solution import clean_solution, result_from_solution

__all__ = [
    "Periods",
    "scenario_years",
    "yearly_networks",
    "build_periods",
    "period_start",
    "clean_periods",
    "stock_levels",
    "result_from_periods",
    "LINKING_FAMILIES",
]

#: Families that join the years (no rows in a single-period model).
LINKING_FAMILIES = ("build_persists", "stock_balance", "stock_available")
#: The single-year column order (every family but the stock levels).
_SINGLE = tuple(v for v in VARIABLES if v != "stock")


@dataclass(frozen=True)
class Periods:
    r"""What a multi-period :class:`Formulation` knows beyond its model.

    Attributes
    ----------
    years : tuple of int
    weights, lengths : ndarray
        :math:`\omega_t` (present-value weight) and :math:`n_t` (years a period stands for).
    networks, forms : tuple
        Each year's network view and single-year formulation.
    colmap : tuple of ndarray
        Per year: the global column of each single-year column.
    quantity : ndarray
        :math:`Q_k`, the stock at the start of the first year (t), per stockpile.
    receiving : ndarray of int
        Per stockpile: the position of the receiving pile of its source (itself when it is the
        receiving pile :math:`k_0(s)`), -1 for a pile of a source that stores nothing.
    """

    years: tuple[int, ...]
    weights: np.ndarray
    lengths: np.ndarray
    networks: tuple[CandidateNetwork, ...]
    forms: tuple[Formulation, ...]
    colmap: tuple[np.ndarray, ...]
    quantity: np.ndarray
    receiving: np.ndarray

    def x_of(self, x: np.ndarray, k: int) -> np.ndarray:
        """Year ``k``'s single-year solution vector."""
        return np.asarray(x)[self.colmap[k]]


def scenario_years(scenario: Scenario) -> tuple[int, ...]:
    """The scenario's ``periods`` (empty: the single-year model)."""
    return parse_periods((scenario.settings.extra or {}).get("periods"))


# ---------------------------------------------------------------------------------------------
# yearly data
# ---------------------------------------------------------------------------------------------
def _yearly(
    base: pd.Series,
    growth: pd.Series | None,
    traj: pd.DataFrame | None,
    years: Sequence[int],
    y0: int,
) -> pd.DataFrame:
    """Ids × years: ``base·(1+g)^(t−Y)``, or the trajectory rows where given.

    Linear between the given years, constant outside).
    """
    yrs = np.asarray(years, dtype=float)
    g = np.zeros(len(base)) if growth is None else growth.fillna(0.0).to_numpy(dtype=float)
    vals = base.to_numpy(dtype=float)[:, None] * np.power(1.0 + g[:, None], (yrs - y0)[None, :])
    out = pd.DataFrame(vals, index=base.index, columns=list(years))
    if traj is not None and len(traj):
        t = traj[traj["id"].isin(out.index)]
        for ident, rows in t.groupby("id", sort=False):  # one per trajectory, not per row
            out.loc[ident] = interp_held(rows["year"], rows["quantity"], list(yrs))
    return out


def _stock_table(
    network: CandidateNetwork, scenario: Scenario, n_years: int
) -> tuple[pd.DataFrame, np.ndarray]:
    """The stockpiles, with implicit stacks, and Q per pile.

    With several years an implicit ``<source>:stack`` (Q = 0, no draw limit) is added for each
    stored source with out-links and no stockpile.
    """
    stock = network.stock
    q = scenario.stockpiles["quantity"].astype(float).reindex(stock.index).fillna(0.0).to_numpy()
    if n_years <= 1:
        return stock, q
    src = network.sources
    stored = src.index[(src["kind"] == "solid").to_numpy() & (src["fate"] == "stored").to_numpy()]
    sending = pd.Index(network.links["source_id"].unique())
    new = stored[stored.isin(sending) & ~stored.isin(stock["source_id"])]
    extra = pd.DataFrame(
        {
            "source_id": new.to_numpy(dtype=object),
            "enterprise": src.loc[new, "enterprise"].to_numpy(),
            "material": src.loc[new, "material"].to_numpy(),
            "max_draw": np.inf,
        },
        index=pd.Index((new + ":stack").to_numpy(dtype=object), name=stock.index.name),
    )
    return pd.concat([stock, extra]), np.concatenate([q, np.zeros(len(extra))])


def _receiving(network: CandidateNetwork, stock: pd.DataFrame) -> np.ndarray:
    """Position of the receiving pile :math:`k_0(s)` of each pile's source (-1: none)."""
    src = network.sources
    fate = src["fate"].reindex(stock["source_id"]).fillna("").to_numpy()
    kind = src["kind"].reindex(stock["source_id"]).fillna("").to_numpy()
    pos = pd.Series(np.arange(len(stock)), index=stock.index)
    first = pos.groupby(stock["source_id"].to_numpy()).transform("first").to_numpy()
    return np.where((fate == "stored") & (kind == "solid"), first, -1).astype(np.int64)


def _pooling(scenario: Scenario, sources: pd.DataFrame) -> sp.csr_matrix | None:
    """``sources × supplies`` 0/1: which supply row is pooled into which source.

    The ids are those of :func:`parkflow.network._sources`; None when a supply matches none.
    """
    sup = scenario.supplies
    kind = sup["material"].map(scenario.catalogue.materials["kind"]).astype(str).to_numpy()
    fate = sup["fate"].fillna("").astype(str) if "fate" in sup else pd.Series("", index=sup.index)
    fate = fate.where(fate != "", "stored").to_numpy(dtype=object)
    base = (sup["enterprise"].astype(str) + ":" + sup["material"].astype(str)).to_numpy(object)
    single = base + ":" + sup.index.astype(str).to_numpy(dtype=object)
    by_fate = base + ":" + fate
    idx = sources.index
    ids = np.where(kind != "solid", single, np.where(idx.isin(by_fate), by_fate, base))
    pos = idx.get_indexer(pd.Index(ids, dtype=object))
    if (pos < 0).any():
        return None
    return sp.csr_matrix(
        (np.ones(len(pos)), (pos, np.arange(len(pos)))), shape=(len(idx), len(pos))
    )


def yearly_networks(
    scenario: Scenario, network: CandidateNetwork, years: Sequence[int]
) -> tuple[list[CandidateNetwork], np.ndarray, np.ndarray]:
    """Per-year views of the candidate network (docs/model.md "Yearly data").

    Returns (views, Q per stockpile, receiving pile per stockpile).
    """
    years = tuple(years)
    y0 = int(scenario.settings.year or years[0])
    n = period_lengths(years)
    traj = scenario.trajectories
    by_kind = {
        k: (traj[traj["kind"] == k] if traj is not None and len(traj) else None)
        for k in ("supply", "use", "utilised_outside")
    }
    sup = scenario.supplies
    g_sup = sup.get("growth_per_a", None)
    qty = _yearly(sup["quantity"].astype(float), g_sup, by_kind["supply"], years, y0)
    out0 = (
        sup["utilised_outside"].astype(float)
        if "utilised_outside" in sup
        else pd.Series(0.0, index=sup.index)
    )
    outside = _yearly(out0, None, by_kind["utilised_outside"], years, y0)
    outside = outside.clip(upper=qty)  # decision: held constant, never above the generation
    uses = scenario.uses
    g_use = uses.get("growth_per_a", None)
    cap = _yearly(uses["capacity"].astype(float), g_use, by_kind["use"], years, y0)
    stock, q = _stock_table(network, scenario, len(years))
    receiving = _receiving(network, stock)
    src0 = network.sources
    pool = _pooling(scenario, src0)
    if pool is not None:  # one sparse product for every year
        gen = np.asarray(pool @ qty.to_numpy(dtype=float))
        out = np.asarray(pool @ outside.to_numpy(dtype=float))
    else:  # a supply the pooling rule does not name: pool each year as the network does
        gen = np.zeros((len(src0), len(years)))
        out = np.zeros((len(src0), len(years)))
        for k, t in enumerate(years):
            sup_t = sup.assign(quantity=qty[t].to_numpy(), utilised_outside=outside[t].to_numpy())
            src_t, _ = _sources(scenario.replace(supplies=sup_t))
            gen[:, k] = src_t["generated"].reindex(src0.index).fillna(0.0).to_numpy(dtype=float)
            out[:, k] = (
                src_t["utilised_outside"].reindex(src0.index).fillna(0.0).to_numpy(dtype=float)
            )
    g_net = gen - out
    # D̄ = min(D, Q + [k0]·Σ_{t'<t} n G'): what a pile can give at most
    spos = _positions(stock["source_id"], src0.index)
    cum = np.concatenate(
        [np.zeros((len(src0), 1)), np.cumsum(g_net * n[None, :], axis=1)[:, :-1]], axis=1
    )
    is_k0 = receiving == np.arange(len(stock))
    add = np.where((is_k0 & (spos >= 0))[:, None], cum[np.maximum(spos, 0)], 0.0)
    dbar = np.minimum(stock["max_draw"].to_numpy(dtype=float)[:, None], q[:, None] + add)
    links = network.links
    lsrc = _positions(links["source_id"], src0.index)
    luse = _positions(links["use_id"], network.sinks.index)
    eff = links["efficiency"].to_numpy(dtype=float)
    # each sink's row in the yearly capacities (-1: a sink that is not a uses row)
    cap_pos = _positions(network.sinks.index, cap.index)
    uses_in = cap_pos >= 0
    cap_np = cap.to_numpy(dtype=float)
    cap0 = network.sinks["capacity"].to_numpy(dtype=float)
    views = []
    for k, t in enumerate(years):
        src_t = src0.copy()
        src_t["generated"] = gen[:, k]
        src_t["utilised_outside"] = out[:, k]
        drawable = np.zeros(len(src0))
        ok = spos >= 0
        np.add.at(drawable, spos[ok], dbar[ok, k])
        src_t["drawable"] = drawable
        stock_t = stock.assign(max_draw=dbar[:, k])
        capacity_t = cap0.copy()
        capacity_t[uses_in] = cap_np[cap_pos[uses_in], k]
        sinks_t = network.sinks.assign(capacity=capacity_t)
        supply = gen[lsrc, k] + drawable[lsrc]
        capacity = capacity_t[luse]
        with np.errstate(divide="ignore", invalid="ignore"):
            ucap = np.where(eff > 0, capacity / eff, 0.0)
        links_t = links.assign(bound=np.minimum(supply, ucap))
        ladder = network.ladder
        if ladder is not None and len(ladder):
            avail = network.facilities["available_from"].reindex(ladder["facility_id"])
            ladder = ladder.assign(available=(avail.isna() | (avail <= t)).to_numpy(dtype=bool))
        views.append(
            dataclasses.replace(
                network,
                sources=src_t,
                sinks=sinks_t,
                stock=stock_t,
                links=links_t,
                ladder=ladder,
                _graph=None,
            )
        )
    return views, q, receiving


# ---------------------------------------------------------------------------------------------
# build
# ---------------------------------------------------------------------------------------------
def _coo_rows(
    name: str,
    ids: Any,
    years: Sequence[int],
    rows: np.ndarray,
    cols: np.ndarray,
    vals: np.ndarray,
    lower: np.ndarray,
    upper: np.ndarray,
    n_cols: int,
) -> Rows:
    """One linking family's :class:`Rows` from its entries (duplicates summed)."""
    m = sp.csr_matrix((vals, (rows, cols)), shape=(len(lower), n_cols))
    m.sum_duplicates()
    return Rows(name, m, lower, upper, Names([(name, ids, tuple(years))]))


def _linking(lay: Layout, p: Periods) -> dict[str, Rows]:
    """The rows joining the years, per family."""
    years, n = p.years, p.lengths
    T = len(years)
    nl, no, nk = lay.n_links, lay.n_open, lay.n_stock
    out: dict[str, Rows] = {}
    K = np.arange(1, T)[:, None]
    # build_persists: links then ladder steps, per year after the first
    base0 = np.concatenate(
        [lay.offset("build") + np.arange(nl), lay.offset("open") + np.arange(no)]
    )
    step = np.concatenate([np.full(nl, nl), np.full(no, no)])
    m = nl + no
    n_rows = (T - 1) * m
    # two entries a row, the earlier year's column first: a canonical CSR without a sort
    cols = np.stack([(base0 + (K - 1) * step).ravel(), (base0 + K * step).ravel()], axis=1).ravel()
    ids = lay.links.append(lay.ladder)
    out["build_persists"] = Rows(
        "build_persists",
        sp.csr_matrix(
            (np.tile([1.0, -1.0], n_rows), cols, np.arange(0, 2 * n_rows + 1, 2)),
            shape=(n_rows, lay.n),
        ),
        np.full(n_rows, -np.inf),
        np.zeros(n_rows),
        Names([("build_persists", ids, years[1:])]),
    )
    if nk == 0 or T == 1:
        for fam in ("stock_balance", "stock_available"):
            out[fam] = Rows(fam, sp.csr_matrix((0, lay.n)), np.zeros(0), np.zeros(0), Names([]))
        return out
    kid = lay.stock.astype(str)
    kpos = np.arange(nk)
    stock_col = lambda j: lay.offset("stock") + (j - 1) * nk + kpos  # noqa: E731
    draw_col = lambda j: lay.offset("draw") + j * nk + kpos  # noqa: E731
    r_all, c_all, v_all, rhs_all = [], [], [], []
    net0 = p.networks[0]
    src = net0.sources
    links = net0.links
    lsrc = _positions(links["source_id"], src.index)
    spos = _positions(net0.stock["source_id"], src.index)
    # the receiving pile of each source (-1: none)
    k0_of_src = np.full(len(src), -1, dtype=np.int64)
    has = (p.receiving >= 0) & (spos >= 0)
    k0_of_src[spos[has]] = p.receiving[has]
    l_k0 = np.where(lsrc >= 0, k0_of_src[np.maximum(lsrc, 0)], -1)
    d_k0 = np.where(spos >= 0, k0_of_src[np.maximum(spos, 0)], -1)
    lk = np.flatnonzero(l_k0 >= 0)
    dk = np.flatnonzero(d_k0 >= 0)
    # stock drawn to safe disposal (r'_k, docs/model.md "Draws to safe disposal") leaves the
    # pile like r_k: the same terms on the piles that have the column
    nd = lay.n_draw_disposal
    dd_pile = lay.stock.get_indexer(lay.draw_disposal) if nd else np.zeros(0, dtype=np.int64)
    dd_pos = np.arange(nd)
    dd_col = lambda j: lay.offset("draw_disposal") + j * nd + dd_pos  # noqa: E731
    dd_k0 = d_k0[dd_pile] if nd else np.zeros(0, dtype=np.int64)
    ddk = np.flatnonzero(dd_k0 >= 0)
    for j in range(1, T):  # one block per year, vectorised over piles
        row0 = (j - 1) * nk
        nj = float(n[j - 1])
        r_all += [row0 + kpos, row0 + kpos]
        c_all += [stock_col(j), draw_col(j - 1)]
        v_all += [np.ones(nk), np.full(nk, nj)]
        if j >= 2:
            r_all.append(row0 + kpos)
            c_all.append(stock_col(j - 1))
            v_all.append(-np.ones(nk))
        r_all += [row0 + l_k0[lk], row0 + d_k0[dk]]
        c_all += [lay.offset("flow") + (j - 1) * nl + lk, draw_col(j - 1)[dk]]
        v_all += [np.full(lk.size, nj), np.full(dk.size, -nj)]
        if nd:
            r_all += [row0 + dd_pile, row0 + dd_k0[ddk]]
            c_all += [dd_col(j - 1), dd_col(j - 1)[ddk]]
            v_all += [np.full(nd, nj), np.full(ddk.size, -nj)]
        view = p.networks[j - 1]
        g_net = (view.sources["generated"] - view.sources["utilised_outside"]).to_numpy(float)
        rhs = np.zeros(nk)
        k0 = np.flatnonzero(p.receiving == kpos)
        rhs[k0] = nj * g_net[spos[k0]]
        if j == 1:
            rhs = rhs + p.quantity
        rhs_all.append(rhs)
    rhs = np.concatenate(rhs_all)
    out["stock_balance"] = _coo_rows(
        "stock_balance",
        kid,
        years[1:],
        np.concatenate(r_all),
        np.concatenate(c_all),
        np.concatenate(v_all),
        rhs,
        rhs.copy(),
        lay.n,
    )
    jj = np.repeat(np.arange(1, T), nk)
    kk = np.tile(kpos, T - 1)
    rows = np.arange(nk * (T - 1))
    jd = np.repeat(np.arange(1, T), nd)
    kd = np.tile(dd_pos, T - 1)
    rows_d = (jd - 1) * nk + np.tile(dd_pile, T - 1)  # the row of the pile in year j
    out["stock_available"] = _coo_rows(
        "stock_available",
        kid,
        years[1:],
        np.concatenate([rows, rows, rows_d]),
        np.concatenate(
            [
                lay.offset("draw") + jj * nk + kk,
                lay.offset("stock") + (jj - 1) * nk + kk,
                lay.offset("draw_disposal") + jd * nd + kd,
            ]
        ),
        np.concatenate([n[jj].astype(float), -np.ones(rows.size), n[jd].astype(float)]),
        np.full(rows.size, -np.inf),
        np.zeros(rows.size),
        lay.n,
    )
    return out


def build_periods(
    network: CandidateNetwork,
    scenario: Scenario,
    targets: Sequence[Target],
    years: Sequence[int] | None = None,
    objective: str = "cost",
    penalty: float = DEFAULT_PENALTY_CNY_PER_T,
    min_flow_per_a: float = 0.0,
    parks: Iterable[str] = (),
    keep_existing_flows: bool = False,
) -> Formulation:
    r"""The multi-period model (module docstring) as one :class:`Formulation`.

    Parameters
    ----------
    network : CandidateNetwork
        The candidate network of the scenario.
    scenario : Scenario
        Its yearly data (growth, trajectories, ``discount_rate``).
    targets : sequence of Target
        Expanded targets; ``rate_by_year`` gives :math:`\rho_{e,t}`.
    years : sequence of int, optional
        Default: the scenario's ``periods``.
    objective, penalty, min_flow_per_a, parks, keep_existing_flows
        As :func:`parkflow.solvers.formulation.build`.

    Returns
    -------
    Formulation
        Columns ``flow, build, draw, stock, open, slack``, each year-major; rows in
        :data:`~parkflow.solvers.formulation.FAMILIES` order, year-major in each family;
        ``periods`` set.
    """
    years = tuple(years or scenario_years(scenario))
    parks = list(parks)
    T = len(years)
    views, q, receiving = yearly_networks(scenario, network, years)
    v0 = views[0]
    # year 0 once (docs/model.md "How the multi-period model is built"); the other years
    # repeat its pattern with their own values
    f0, rows0 = build(
        v0,
        targets,
        "cost",
        penalty=penalty,
        min_flow_per_a=min_flow_per_a,
        parks=parks,
        year=years[0],
        keep_existing_flows=keep_existing_flows,
        with_rows=True,
    )
    single = f0.layout
    lay = dataclasses.replace(single, years=years)  # every column family of the year, by year
    n1 = single.n
    # global column of single-year column j in year k: base[j] + k·step[j]
    base = np.zeros(n1, dtype=np.int64)
    step = np.zeros(n1, dtype=np.int64)
    for v in _SINGLE:
        sl = single.columns(v)
        nv = sl.stop - sl.start
        base[sl] = lay.offset(v) + np.arange(nv)
        step[sl] = nv
    colmap = tuple(base + k * step for k in range(T))
    idx = np.int32 if lay.n < np.iinfo(np.int32).max else np.int64
    base_i, step_i = base.astype(idx), step.astype(idx)
    entries_by_year = [f0.entries] + [
        target_entries(targets, views[k].sources, parks, years[k])[0] for k in range(1, T)
    ]
    weights = pv_weights(years, discount_rate(scenario))
    lengths = period_lengths(years)
    # per family and year: the single-year Rows (shared with year 0 where nothing changes)
    by_year: dict[str, list[Rows]] = {}
    fl = facility_link_years(views, single)
    tr = target_rate_years(v0, single, entries_by_year, f0.members)
    for r0 in rows0:
        fam = r0.name
        if fam in LINKING_FAMILIES:
            continue
        if fam == "existing_links":
            by_year[fam] = [r0]  # only in the first year: persistence carries it
        elif fam == "supply_limit":
            by_year[fam] = [dataclasses.replace(r0, upper=supply_rhs(v)) for v in views]
        elif fam == "use_capacity":
            by_year[fam] = [
                dataclasses.replace(r0, upper=v.sinks["capacity"].to_numpy(dtype=float))
                for v in views
            ]
        elif fam in _PER_YEAR:
            blocks = [_PER_YEAR[fam](v, single, min_flow_per_a) for v in views]
            by_year[fam] = [r0, *_same_pattern(r0, blocks[0], blocks[1:], n1)]
        elif fam == "facility_link":
            by_year[fam] = [r0] + [Rows.of(b, n1) for b in fl[1:]]
        elif fam == "target_rate":
            by_year[fam] = [r0] + [Rows.of(b, n1) for b in tr[1:]]
        else:  # the same rows every year (stock_use, existing_flows, facility_open, …)
            by_year[fam] = [r0] * T
    p = Periods(
        years=years,
        weights=weights,
        lengths=lengths,
        networks=tuple(views),
        forms=(),
        colmap=colmap,
        quantity=q,
        receiving=receiving,
    )
    linking = _linking(lay, p)
    parts: list[Rows] = []
    year_rows: list[list[tuple[str, int, int]]] = [[] for _ in range(T)]
    offset = 0
    for fam in FAMILIES:
        if fam in linking:
            parts.append(linking[fam])
            offset += linking[fam].matrix.shape[0]
            continue
        shifted: dict[int, tuple[np.ndarray, np.ndarray]] = {}  # per shared index array
        for k, r in enumerate(by_year[fam]):
            m = r.matrix
            size = m.shape[0]
            key = id(m.indices)
            if key not in shifted:
                shifted[key] = (base_i[m.indices], step_i[m.indices])
            b_k, s_k = shifted[key]
            parts.append(
                Rows(
                    fam,
                    sp.csr_matrix((m.data, b_k + s_k * k, m.indptr), shape=(size, lay.n)),
                    r.lower,
                    r.upper,
                    Names([(fam, r.ids, (years[k],))]),
                )
            )
            year_rows[k].append((fam, offset, size))
            offset += size
    A, row_names, row_lower, row_upper, families = assemble(parts, lay.n)
    c = np.zeros(lay.n)
    col_upper = np.full(lay.n, np.inf)
    integer = np.zeros(lay.n, dtype=bool)
    sl = single.columns("slack")
    for k in range(T):
        ck = weights[k] * f0.model.c
        ck[sl] = lengths[k] * penalty
        c[colmap[k]] = ck
        col_upper[colmap[k]] = (
            f0.model.col_upper if k == 0 else column_upper(views[k], single, entries_by_year[k])
        )
        integer[colmap[k]] = f0.model.integer
    # the objectives over all columns; each year's per-link parts are in forms[k].vectors
    co2 = f0.vectors["co2"]
    vectors = {"co2": np.concatenate([co2 * lengths[k] for k in range(T)]), "cost": c}
    model = SparseModel(
        A=A,
        row_names=row_names,
        row_lower=row_lower,
        row_upper=row_upper,
        col_names=lay.column_names(),
        col_lower=np.zeros(lay.n),
        col_upper=col_upper,
        integer=integer,
        c=c,
        families=families,
    )
    forms = tuple(
        dataclasses.replace(
            f0,
            entries=entries_by_year[k],
            model=f0.model
            if k == 0
            else cast(SparseModel, _YearModel(model, year_rows[k], colmap[k], f0.model)),
        )
        for k in range(T)
    )
    p = dataclasses.replace(p, forms=forms)
    if objective == "co2":
        model = dataclasses.replace(
            model, c=lay.vector(flow=vectors["co2"]), maximise=True, offset=0.0
        )
    entries = pd.concat(
        [e.assign(year=t) for e, t in zip(entries_by_year, years, strict=True)]
    ).set_index("year", append=True)
    return Formulation(
        model=model,
        layout=lay,
        entries=entries,
        members=f0.members,
        vectors=vectors,
        periods=p,
    )


def _same_pattern(r0: Rows, b0: Block, blocks: Sequence[Block], n_cols: int) -> list[Rows]:
    """Later years' :class:`Rows` of a family whose entries sit where year 0's do.

    When a year's block has year 0's rows and columns in the same order (and year 0 has no
    duplicate entries), its values are put in year 0's CSR order by one gather instead of a
    conversion; otherwise it is converted on its own.
    """
    ok0 = b0.rows >= 0
    perm = None
    if int(ok0.sum()) == r0.matrix.nnz:
        # where each COO entry of year 0 lands in its CSR: its values become a permutation
        order = sp.csr_matrix(
            (np.arange(1, r0.matrix.nnz + 1, dtype=float), (b0.rows[ok0], b0.cols[ok0])),
            shape=r0.matrix.shape,
        )
        order.sum_duplicates()
        perm = order.data.astype(np.int64) - 1
    out = []
    for b in blocks:
        same = (
            perm is not None
            and np.array_equal(b0.rows, b.rows)
            and np.array_equal(b0.cols, b.cols)
            and (b.row_ids is b0.row_ids or b0.row_ids.equals(b.row_ids))
        )
        if not same:
            out.append(Rows.of(b, n_cols))
            continue
        vals = b.vals[b.rows >= 0][perm]
        m = sp.csr_matrix((vals, r0.matrix.indices, r0.matrix.indptr), shape=r0.matrix.shape)
        out.append(dataclasses.replace(r0, matrix=m, lower=b.lower, upper=b.upper))
    return out


#: Families whose coefficients change by year, rebuilt on each year's view (cheap ones).
_PER_YEAR = {
    "link_activation": lambda v, lay, q: link_activation(v, lay),
    "min_flow": lambda v, lay, q: min_flow(v, lay, q),
    "stock_draw_limit": lambda v, lay, q: with_disposal_draws(stock_draw_limit(v, lay), v, lay),
}


class _YearModel:
    """Year k's single-year model, cut from the stacked one on first use.

    Its rows are that year's rows of every single-year family (``existing_links`` only in the
    first year), its columns the year's (``Periods.colmap``); objective and column bounds are
    the year's single-year ones.
    """

    def __init__(
        self,
        stacked: SparseModel,
        rows: list[tuple[str, int, int]],
        cols: np.ndarray,
        first: SparseModel,
    ) -> None:
        self._args = (stacked, rows, cols, first)
        self._model: SparseModel | None = None

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        if self._model is None:
            stacked, rows, cols, first = self._args
            pos = np.concatenate([np.arange(o, o + n) for _, o, n in rows])
            fams: dict[str, slice] = {}
            at = 0
            for fam, _, n in rows:
                fams[fam] = slice(at, at + n)
                at += n
            names = np.array(
                [str(x).rsplit(",", 1)[0] + "]" for x in stacked.row_names[pos]], dtype=object
            )
            self._model = SparseModel(
                A=stacked.A[pos][:, cols].tocsr(),
                row_names=names,
                row_lower=stacked.row_lower[pos],
                row_upper=stacked.row_upper[pos],
                col_names=first.col_names,
                col_lower=stacked.col_lower[cols],
                col_upper=stacked.col_upper[cols],
                integer=stacked.integer[cols],
                c=first.c,
                families=fams,
            )
        return getattr(self._model, name)


# ---------------------------------------------------------------------------------------------
# solutions
# ---------------------------------------------------------------------------------------------
def _drawn(lay: Layout, x: np.ndarray) -> np.ndarray:
    """r_k + r'_k per stockpile of one year's columns (both leave the pile)."""
    r = np.array(lay.array(x, "draw"), dtype=float, copy=True)
    if lay.n_draw_disposal:
        r[lay.stock.get_indexer(lay.draw_disposal)] += lay.array(x, "draw_disposal")
    return r


def stock_levels(form: Formulation, x: np.ndarray) -> np.ndarray:
    """``x`` with the stock levels that ``stock_balance`` gives for its flows and draws."""
    p, lay = form.periods, form.layout
    x = np.array(x, dtype=float, copy=True)
    T, nk = len(p.years), lay.n_stock
    if nk == 0 or T == 1:
        return x
    net0 = p.networks[0]
    src = net0.sources
    lsrc = _positions(net0.links["source_id"], src.index)
    spos = _positions(net0.stock["source_id"], src.index)
    is_k0 = p.receiving == np.arange(nk)
    level = p.quantity.astype(float).copy()
    for j in range(T - 1):  # one step per year, vectorised over piles
        xj = p.x_of(x, j)
        f = p.forms[j].layout.array(xj, "flow")
        r = _drawn(p.forms[j].layout, xj)
        view = p.networks[j]
        g_net = (view.sources["generated"] - view.sources["utilised_outside"]).to_numpy(float)
        out = np.bincount(lsrc[lsrc >= 0], weights=f[lsrc >= 0], minlength=len(src))
        drawn = np.bincount(spos[spos >= 0], weights=r[spos >= 0], minlength=len(src))
        stored = np.clip(g_net - out + drawn, 0.0, None)
        nj = float(p.lengths[j])
        level = (
            level - nj * r + np.where(is_k0 & (spos >= 0), nj * stored[np.maximum(spos, 0)], 0.0)
        )
        x[lay.offset("stock") + j * nk + np.arange(nk)] = level
    return x


def period_start(form: Formulation) -> np.ndarray:
    """The do-nothing-new start of every year.

    No flow, existing links open, no draw, slacks at the targets' right-hand sides, stock levels
    from the balance.
    """
    p, lay = form.periods, form.layout
    x = np.zeros(lay.n)
    rhs = form.model.row_lower[form.model.rows("target_rate")]  # year-major, binding rows
    at = 0
    for k, f in enumerate(p.forms):
        xs = f.layout.vector(build=p.networks[k].links["existing"].to_numpy(dtype=float))
        if len(f.entries):
            active = f.entries["binds"].to_numpy(dtype=bool) & f.entries["applicable"].to_numpy(
                dtype=bool
            )
            slack = np.zeros(f.layout.n_slack)
            n = int(active.sum())
            slack[active] = np.clip(rhs[at : at + n], 0.0, None)
            at += n
            xs = f.layout.assign(xs, slack=slack)
        x[p.colmap[k]] = xs
    return stock_levels(form, x)


def clean_periods(form: Formulation, x: np.ndarray) -> np.ndarray:
    """Built = flowing or existing from the first such year on (built stays built).

    Draws and the stock levels of each year as the per-year cleaner books them (generation first).
    """
    p, lay = form.periods, form.layout
    x = np.array(x, dtype=float, copy=True)
    nl = lay.n_links
    used = np.zeros(nl, dtype=bool)
    for k, f in enumerate(p.forms):
        xk = clean_solution(f, p.networks[k], p.x_of(x, k))
        flow = f.layout.array(xk, "flow")
        used |= flow > 0
        xk = f.layout.assign(xk, build=(used | p.networks[k].links["existing"].to_numpy(bool)))
        if f.layout.n_open:
            xk = f.layout.assign(xk, open=np.rint(np.clip(f.layout.array(xk, "open"), 0, 1)))
        x[p.colmap[k]] = xk
    return stock_levels(form, x)


def _facilities(form: Formulation, x: np.ndarray, per_year: list[Result]) -> pd.DataFrame:
    """facilities.csv with periods: one row per open facility × year, build and expansion years."""
    from parkflow.solvers.solution import YEARLY_FACILITY_COLUMNS

    fac = _stacked([r.facilities for r in per_year], form.periods.years)
    if fac.empty:
        return pd.DataFrame(columns=YEARLY_FACILITY_COLUMNS)
    fac = fac.reset_index(drop=True)
    first = fac.groupby("facility_id")["year"].transform("min")
    fac["build_year"] = first
    first_size = fac.groupby("facility_id")["size"].transform("first")
    grown = fac["year"].where(fac["size"] > first_size)
    fac["expanded_year"] = grown.groupby(fac["facility_id"]).transform("min")
    return fac[YEARLY_FACILITY_COLUMNS].reset_index(drop=True)


def _stacked(frames: list[pd.DataFrame], years: Sequence[int]) -> pd.DataFrame:
    """Each year's table with its ``year`` set, one below the other; empty when all are."""
    parts = [f.assign(year=t) for f, t in zip(frames, years, strict=True) if len(f)]
    return pd.concat(parts) if parts else pd.DataFrame()


def _capex_by_year(form: Formulation, x: np.ndarray) -> np.ndarray:
    r"""Overnight capex built each year: :math:`\sum \Delta K (y_t - y_{t^-})` (CNY)."""
    p, lay = form.periods, form.layout
    T = len(p.years)
    if lay.n_open == 0:
        return np.zeros(T)
    dk = p.networks[0].ladder["delta_capex_cny"].to_numpy(dtype=float)
    y = np.rint(np.clip(lay.array(x, "open"), 0, 1)).reshape(T, lay.n_open)
    new = np.diff(np.vstack([np.zeros((1, lay.n_open)), y]), axis=0).clip(min=0)
    return new @ dk


def result_from_periods(
    scenario: Scenario,
    form: Formulation,
    x: np.ndarray,
    status: SolveStatus,
    solver_info: dict[str, Any],
    message: str | None = None,
    objective: str = "cost",
) -> Result:
    """The :class:`Result` of a multi-period solution.

    Each year's tables in ``periods``, the first year's totals and targets at the top,
    ``periods`` and ``stock``.
    """
    p = form.periods
    x = clean_periods(form, np.asarray(x, dtype=float))
    per_year = []
    for k, t in enumerate(p.years):
        sc_t = scenario.replace(settings=dataclasses.replace(scenario.settings, year=t))
        per_year.append(
            result_from_solution(
                sc_t,
                p.networks[k],
                p.forms[k],
                p.x_of(x, k),
                status,
                solver_info,
                None if status == SolveStatus.TARGET_UNREACHABLE else message,
                objective,
            )
        )
    first = per_year[0]
    years = p.years

    capex = _capex_by_year(form, x)
    periods = []
    for k, (r, t) in enumerate(zip(per_year, years, strict=True)):
        periods.append(
            {
                "year": int(t),
                "objective": dict(r.objective),
                "co2_avoided_t_per_a": float(r.co2_avoided_t_per_a),
                "capex_cny": float(capex[k]),
                "targets": r.targets.copy(),
                "weight": float(p.weights[k]),
                "flows": r.flows,
                "utilisation": r.utilisation,
                "sources": r.sources,
                "draws": r.draws,
            }
        )
    pv = float(
        sum(
            p.weights[k] * float(r.objective.get("total_cny_per_a", 0.0))
            for k, r in enumerate(per_year)
        )
    )
    lay = form.layout
    if lay.n_stock and len(years) > 1:
        nk = lay.n_stock
        T = len(years)
        draw = np.vstack([_drawn(p.forms[k].layout, p.x_of(x, k)) for k in range(T)])
        levels = np.vstack([p.quantity[None, :], lay.array(x, "stock").reshape(T - 1, nk)])
        end = np.vstack([levels[1:], np.full((1, nk), np.nan)])
        n = p.lengths.astype(float)[:, None]
        stored = (end - levels + n * draw) / n
        # the last year: its own balance (no next level); the same rule
        x_last = p.x_of(x, T - 1)
        net = p.networks[T - 1]
        src = net.sources
        lsrc = _positions(net.links["source_id"], src.index)
        spos = _positions(net.stock["source_id"], src.index)
        f_last = p.forms[T - 1].layout.array(x_last, "flow")
        r_last = _drawn(p.forms[T - 1].layout, x_last)
        g_net = (src["generated"] - src["utilised_outside"]).to_numpy(float)
        out = np.bincount(lsrc[lsrc >= 0], weights=f_last[lsrc >= 0], minlength=len(src))
        dr = np.bincount(spos[spos >= 0], weights=r_last[spos >= 0], minlength=len(src))
        st = np.clip(g_net - out + dr, 0.0, None)
        is_k0 = p.receiving == np.arange(nk)
        stored[-1] = np.where(is_k0 & (spos >= 0), st[np.maximum(spos, 0)], 0.0)
        end[-1] = levels[-1] - draw[-1] + stored[-1]
        stock = pd.DataFrame(
            {
                "stockpile_id": np.tile(lay.stock.astype(str), T),
                "year": np.repeat(years, nk),
                "start": levels.ravel(),
                "drawn": draw.ravel(),
                "stored": stored.ravel(),
                "end": end.ravel(),
            }
        )
    else:
        stock = pd.DataFrame(columns=["stockpile_id", "year", "start", "drawn", "stored", "end"])
    msg = first.message
    if status == SolveStatus.TARGET_UNREACHABLE:
        parts = [f"{t}: {r.message}" for r, t in zip(per_year, years, strict=True) if r.message]
        msg = "; ".join(parts) or (message or "")
    # the first year's tables and totals at the top, as a single-year solve gives them
    return dataclasses.replace(
        first,
        objective=dict(first.objective),
        solver=solver_info,
        diagnosis=_stacked([r.diagnosis for r in per_year], years),
        diagnosis_facilities=_stacked([r.diagnosis_facilities for r in per_year], years),
        message=msg,
        facilities=_facilities(form, x, per_year),
        periods=periods,
        stock=stock,
        present_value_cny=pv,
    )
