r"""The mixed-integer linear programme of parkflow (docs/model.md), as one solver-neutral model.

Sets
----
* :math:`S` — sources (``network.sources``): a solid material pooled per enterprise, or one heat /
  hydrogen supply row;
* :math:`U` — uses (``network.sinks``), each an enterprise's capacity on one route;
* :math:`K` — stockpiles (``network.stock``), :math:`K(s)` those attached to source :math:`s`;
* :math:`L` — candidate links (``network.links``); :math:`L^{out}(s)`, :math:`L^{in}(u)` the links
  leaving source :math:`s` and arriving at use :math:`u`; :math:`L^{ex} \subseteq L` the existing
  ones;
* :math:`E` — target entries (a target with scope ``each_park`` gives one entry per park);
  :math:`S(e)` the sources of entry :math:`e`'s materials inside its scope.

Parameters (per year; canonical units: t for solids and hydrogen, GJ for heat)
------------------------------------------------------------------------------
* :math:`G_s` generated (unit/a); :math:`D_k` most that may be drawn from stockpile :math:`k` (t/a);
* :math:`C_u` capacity of use :math:`u` (unit/a, delivered);
* :math:`\eta_l = \max(0, 1 - \lambda_{m(l)} d_l)` delivered fraction, :math:`d_l` distance (km),
  :math:`\lambda` the mode's loss per km;
* :math:`t_l` transport (CNY/unit: cost per t·km × :math:`d_l` + handling), :math:`p_l`
  purification (CNY/unit), :math:`v_l` value of the route (CNY per *delivered* unit),
  :math:`w_l` disposal cost avoided (CNY/unit sent), :math:`F_l` fixed cost (CNY/a);
* :math:`B_l = \min(G_{s(l)} + \sum_{k \in K(s(l))} D_k,\ C_{u(l)} / \eta_l)` — the tight big-M;
* :math:`q_l` minimum economic flow of a built link (unit/a, optional, ``min(q, B_l)``);
* :math:`\rho_e` target rate of entry :math:`e` (0–1); :math:`P` the penalty of target slack
  (CNY per t short, default :data:`DEFAULT_PENALTY_CNY_PER_T`).

Variables
---------
* :math:`f_l \ge 0` ``flow[l]`` — unit/a leaving the source on link :math:`l`;
* :math:`b_l \in \{0, 1\}` ``build[l]`` — link :math:`l` is built (open);
* :math:`r_k \ge 0` ``draw[k]`` — t/a drawn from stockpile :math:`k`;
* :math:`\sigma_e \ge 0` ``slack[e]`` — t/a by which target entry :math:`e` is missed (elastic).

Objective ``cost`` (CNY/a, minimised; docs/model.md "Objective" plus the slack penalty)
------------------------------------------------------------------------------------
.. math::

    \min \sum_l f_l (t_l + p_l - \eta_l v_l - w_l) + \sum_l F_l b_l + P \sum_e \sigma_e

Constraint families (one function each, same name in rows ``family[id]``, docs and tests)
-----------------------------------------------------------------------------------------
* ``supply_limit[s]``:      :math:`\sum_{l \in L^{out}(s)} f_l - \sum_{k \in K(s)} r_k \le G_s`
* ``use_capacity[u]``:      :math:`\sum_{l \in L^{in}(u)} \eta_l f_l \le C_u`
* ``link_activation[l]``:   :math:`f_l - B_l b_l \le 0`
* ``min_flow[l]``:          :math:`f_l - \min(q, B_l) b_l \ge 0` (only when :math:`q > 0`)
* ``stock_draw_limit[k]``:  :math:`r_k \le D_k`
* ``existing_links[l]``:    :math:`b_l \ge 1,\ l \in L^{ex}`
* ``target_rate[e]``:       :math:`\sum_{s \in S(e)} \sum_{l \in L^{out}(s)} f_l
  - \rho_e \sum_{s \in S(e)} \sum_{k \in K(s)} r_k + \sigma_e \ge \rho_e \sum_{s \in S(e)} G_s`

which is the official 综合利用率 = 综合利用量 / (产生量 + 综合利用往年贮存量) ≥ ρ with the
utilised amount counted where it leaves the source.

Fates, classes, bases and today's outlets (docs/model.md#fates, #counting-classes, #bases)
-----------------------------------------------------------------------------------------
* :math:`w_l` is the avoided cost of the fate of :math:`s(l)` (stacking cost for ``stored``, the
  disposal fee for ``landfilled``, the environmental-protection tax only for ``dumped``, 0 for
  gases and heat); the CO₂ of a link is :math:`\eta_l a_l - e^{tr}_l - \rho_s` with
  :math:`\rho_s` the CO₂ the fate already gives (``fuel``: LHV × the replacement fuel's factor).
* :math:`O_s` ``utilised_outside`` is a constant: ``supply_limit`` has :math:`G'_s = G_s - O_s`
  on the right, and every rate counts :math:`O` in the numerator and in :math:`G`.
* :math:`L^U, L^D` the links of class ``utilisation`` and ``safe_disposal``; per entry
  :math:`U_e = \sum_{S(e)} \sum_{L^{out} \cap L^U} f_l`, :math:`X_e` the same over
  :math:`L^D`, :math:`R_e = \sum_{S(e)} \sum_{K(s)} r_k`, :math:`O_e`, :math:`G_e`.
* ``target_rate[e]`` by the entry's basis, one linear row each:

  - ``nbs`` (综合利用率, :math:`(U+O)/(G+R)`): :math:`U - \rho R + \sigma \ge \rho G - O`
  - ``new`` (新增, :math:`(U-R+O)/G`): :math:`U - R + \sigma \ge \rho G - O`
  - ``consumption`` (综合消纳率, :math:`(U+X+O)/(G+R)`):
    :math:`U + X - \rho R + \sigma \ge \rho G - O`

  Only entries that bind (the target's ``year`` is the scenario's, or ``enforce: true``) and are
  applicable (their scope generates or stores their materials) get a row; the slack column of
  the others is fixed at 0.
* ``existing_flows[l]`` (``existing_flows: keep``): :math:`f_l \ge q^0_l` for existing links
  with a ``baseline_quantity``.
* ``draw_disposal[k]`` = :math:`r'_k \ge 0`, stock drawn to safe disposal, only for stockpiles
  whose source has a safe-disposal out-link (:func:`disposal_stockpiles`); it enters
  ``supply_limit``, ``stock_draw_limit`` and the ``consumption`` target rows
  (:func:`with_disposal_draws`), and ``stock_use[s]`` / ``stock_use[s:disposal]`` hold
  :math:`\sum_{K(s)} r_k \le U_s`, :math:`\sum_{K(s)} r'_k \le X_s` for those sources
  (:func:`stock_use`; docs/model.md, "Draws to safe disposal"). A model without them has
  today's matrix.

The alternative objectives (``utilisation``, ``co2``) reuse this model with another objective
vector (:func:`objective_vectors`) and one extra row (:func:`with_row`); see
:mod:`parkflow.solvers.full`.

:func:`build` returns a :class:`Formulation`: the :class:`SparseModel` (rows and columns only),
its :class:`~parkflow.solvers.layout.Layout` (which column block is ``flow``, ``build``, ``draw``,
``slack``), the target entries with their source membership, and the per-link objective parts.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from parkflow.models.scenario import Target
from parkflow.solvers.layout import VARIABLES, Layout, Names

if TYPE_CHECKING:
    from parkflow.network import CandidateNetwork

__all__ = [
    "Block",
    "SparseModel",
    "Formulation",
    "Layout",
    "build",
    "supply_limit",
    "use_capacity",
    "link_activation",
    "min_flow",
    "stock_draw_limit",
    "stock_use",
    "disposal_stockpiles",
    "with_disposal_draws",
    "family_blocks",
    "assemble",
    "vstack_csr",
    "Rows",
    "supply_rhs",
    "column_upper",
    "target_rate_years",
    "facility_link_years",
    "link_class_masks",
    "existing_links",
    "existing_flows",
    "target_rate",
    "facility_open",
    "facility_capacity",
    "facility_link",
    "facility_market",
    "facility_vectors",
    "target_entries",
    "objective_vectors",
    "with_row",
    "with_objective",
    "DEFAULT_PENALTY_CNY_PER_T",
    "FAMILIES",
    "VARIABLES",
]

#: Penalty of one t/a of target shortfall in the ``cost`` objective (CNY per t). Larger than any
#: per-t economics of bulk solids; a shortfall is confirmed by a second solve (see full.py).
DEFAULT_PENALTY_CNY_PER_T = 1.0e4

FAMILIES = (
    "supply_limit",
    "use_capacity",
    "link_activation",
    "min_flow",
    "stock_draw_limit",
    "stock_use",
    "existing_links",
    "existing_flows",
    "facility_open",
    "facility_capacity",
    "facility_link",
    "facility_market",
    # -- periods only (issue 12; parkflow.solvers.periods) --
    "build_persists",
    "stock_balance",
    "stock_available",
    # --
    "target_rate",
)


@dataclass
class Block:
    """Rows of one constraint family: ``lower ≤ A[rows, cols] · x ≤ upper``.

    ``rows`` are positions in ``0..len(row_ids)-1``, ``cols`` global column positions.
    """

    name: str
    row_ids: pd.Index
    rows: np.ndarray
    cols: np.ndarray
    vals: np.ndarray
    lower: np.ndarray
    upper: np.ndarray

    @property
    def n_rows(self) -> int:
        """Number of rows."""
        return len(self.row_ids)

    @property
    def row_names(self) -> np.ndarray:
        """``family[id]`` for each row."""
        return (self.name + "[" + pd.Index(self.row_ids).astype(str) + "]").to_numpy(dtype=object)

    def csr(self, n_cols: int) -> sp.csr_matrix:
        """The block's rows as a canonical CSR matrix (duplicates summed; rows < 0 dropped)."""
        ok = self.rows >= 0
        m = sp.csr_matrix(
            (self.vals[ok], (self.rows[ok], self.cols[ok])), shape=(self.n_rows, n_cols)
        )
        m.sum_duplicates()
        return m


@dataclass
class SparseModel:
    """A solver-neutral MILP.

    ``min/max c·x + offset`` s.t. ``row_lower ≤ A x ≤ row_upper``, ``col_lower ≤ x ≤ col_upper``,
    ``x[integer]`` integral.

    Rows and columns only: matrix, bounds, names, integrality, objective, and ``families`` (the
    row block of each constraint family, by name). What the columns mean is the
    :class:`~parkflow.solvers.layout.Layout` of the :class:`Formulation`.
    """

    A: sp.csr_matrix
    row_names: np.ndarray | Names
    row_lower: np.ndarray
    row_upper: np.ndarray
    col_names: np.ndarray | Names
    col_lower: np.ndarray
    col_upper: np.ndarray
    integer: np.ndarray
    c: np.ndarray
    offset: float = 0.0
    maximise: bool = False
    families: dict[str, slice] = field(default_factory=dict)

    @property
    def n_variables(self) -> int:
        """Number of columns."""
        return int(self.A.shape[1])

    @property
    def n_constraints(self) -> int:
        """Number of rows."""
        return int(self.A.shape[0])

    @property
    def n_binaries(self) -> int:
        """Number of integer columns."""
        return int(self.integer.sum())

    def rows_of(self, family: str) -> np.ndarray:
        """Row names of one family."""
        return np.asarray(self.row_names[self.families.get(family, slice(0, 0))])

    def rows(self, family: str) -> slice:
        """Row block of one family (empty when the model has none)."""
        return self.families.get(family, slice(0, 0))


@dataclass(frozen=True)
class Formulation:
    """What :func:`build` returns: the sparse model and what its rows and columns mean.

    Attributes
    ----------
    model : SparseModel
        The MILP (rows and columns only).
    layout : Layout
        Column blocks ``flow[l], build[l], draw[k], slack[e]``.
    entries : pandas.DataFrame
        Target entries (index ``entry_id``): ``id, scope, target, generated``
        (:func:`target_entries`).
    members : scipy.sparse.csr_matrix
        ``entries × sources`` 0/1 membership.
    vectors : dict of str to ndarray
        Per-link objective parts (:func:`objective_vectors`) and ``cost`` (all columns). With
        periods only ``co2`` (each year's × n_t) and ``cost``; each year's parts are in
        ``periods.forms[k].vectors``.
    periods : parkflow.solvers.periods.Periods or None
        With periods (docs/model.md "Periods"): the years, weights and each year's single-year
        formulation and network; None for the single-year model.
    """

    model: SparseModel
    layout: Layout
    entries: pd.DataFrame
    members: sp.csr_matrix
    vectors: dict[str, np.ndarray]
    periods: Any = None

    def with_model(self, model: SparseModel) -> Formulation:
        """The same formulation around another model of the same columns (a variant)."""
        return replace(self, model=model)


# ---------------------------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------------------------
def _positions(keys: pd.Series | np.ndarray, index: pd.Index) -> np.ndarray:
    """Position of each key in ``index`` (-1: not there).

    The keys are factorised first: a million link keys name a few thousand sources, and
    looking up the distinct ones is some 30 times faster than looking up each.
    """
    codes, uniques = pd.factorize(keys)
    if len(uniques) == 0:
        return np.full(len(codes), -1, dtype=np.int64)
    at = index.get_indexer(pd.Index(np.asarray(uniques, dtype=object))).astype(np.int64)
    return np.where(codes >= 0, at[np.maximum(codes, 0)], -1).astype(np.int64)


def _block(
    name: str,
    row_ids: Iterable[Any],
    rows: np.ndarray,
    cols: np.ndarray,
    vals: np.ndarray,
    lower: Any,
    upper: Any,
) -> Block:
    ids = pd.Index(row_ids)
    n = len(ids)
    lo = np.broadcast_to(np.asarray(lower, dtype=float), (n,)).copy()
    up = np.broadcast_to(np.asarray(upper, dtype=float), (n,)).copy()
    return Block(
        name,
        ids,
        np.asarray(rows, dtype=np.int64),
        np.asarray(cols, dtype=np.int64),
        np.asarray(vals, dtype=float),
        lo,
        up,
    )


def _empty(name: str) -> Block:
    """A family without rows."""
    return _block(name, [], np.zeros(0), np.zeros(0), np.zeros(0), -np.inf, 0.0)


# ---------------------------------------------------------------------------------------------
# constraint families
# ---------------------------------------------------------------------------------------------
def supply_limit(network: CandidateNetwork, lay: Layout) -> Block:
    r"""Outflow of each source stays within what it generates plus what it draws from stock.

    .. math:: \sum_{l \in L^{out}(s)} f_l - \sum_{k \in K(s)} r_k \le G_s \qquad \forall s \in S
    """
    src = network.sources
    lr = _positions(network.links["source_id"], src.index)
    kr = _positions(network.stock["source_id"], src.index)
    keep = kr >= 0
    rows = np.concatenate([lr, kr[keep]])
    cc = np.concatenate([lay.positions("flow"), lay.offset("draw") + np.flatnonzero(keep)])
    vals = np.concatenate([np.ones(len(lr)), -np.ones(int(keep.sum()))])
    return _block("supply_limit", src.index, rows, cc, vals, -np.inf, supply_rhs(network))


def supply_rhs(network: CandidateNetwork) -> np.ndarray:
    r""":math:`G'_s = G_s - O_s`, the right-hand side of ``supply_limit`` (unit/a)."""
    src = network.sources
    outside = src["utilised_outside"].to_numpy(dtype=float) if "utilised_outside" in src else 0.0
    return np.asarray(src["generated"].to_numpy(dtype=float) - outside, dtype=float)


def use_capacity(network: CandidateNetwork, lay: Layout) -> Block:
    r"""What each use receives after losses stays within its capacity.

    .. math:: \sum_{l \in L^{in}(u)} \eta_l f_l \le C_u \qquad \forall u \in U
    """
    snk = network.sinks
    rows = _positions(network.links["use_id"], snk.index)
    vals = network.links["efficiency"].to_numpy(dtype=float)
    return _block(
        "use_capacity",
        snk.index,
        rows,
        lay.offset("flow") + np.arange(len(rows)),
        vals,
        -np.inf,
        snk["capacity"].to_numpy(dtype=float),
    )


def link_activation(network: CandidateNetwork, lay: Layout) -> Block:
    r"""Flow only on a built link, up to its tight bound.

    .. math:: f_l - B_l b_l \le 0 \qquad \forall l \in L
    """
    links = network.links
    n = len(links)
    k = np.arange(n)
    return _block(
        "link_activation",
        links.index,
        np.concatenate([k, k]),
        np.concatenate([lay.offset("flow") + k, lay.offset("build") + k]),
        np.concatenate([np.ones(n), -links["bound"].to_numpy(dtype=float)]),
        -np.inf,
        0.0,
    )


def min_flow(network: CandidateNetwork, lay: Layout, min_flow_per_a: float = 0.0) -> Block:
    r"""A built link carries at least the minimum economic flow (capped at its bound).

    .. math:: f_l - \min(q, B_l)\, b_l \ge 0 \qquad \forall l \in L \quad (q > 0)
    """
    links = network.links
    if not min_flow_per_a or min_flow_per_a <= 0 or len(links) == 0:
        return _block("min_flow", [], np.zeros(0), np.zeros(0), np.zeros(0), 0.0, np.inf)
    n = len(links)
    k = np.arange(n)
    q = np.minimum(float(min_flow_per_a), links["bound"].to_numpy(dtype=float))
    return _block(
        "min_flow",
        links.index,
        np.concatenate([k, k]),
        np.concatenate([lay.offset("flow") + k, lay.offset("build") + k]),
        np.concatenate([np.ones(n), -q]),
        0.0,
        np.inf,
    )


def stock_draw_limit(network: CandidateNetwork, lay: Layout) -> Block:
    r"""Each stockpile gives at most its yearly draw limit.

    .. math:: r_k \le D_k \qquad \forall k \in K
    """
    stock = network.stock
    k = np.arange(len(stock))
    return _block(
        "stock_draw_limit",
        stock.index,
        k,
        lay.positions("draw"),
        np.ones(len(stock)),
        0.0,
        stock["max_draw"].to_numpy(dtype=float),
    )


def existing_links(network: CandidateNetwork, lay: Layout) -> Block:
    r"""Links that exist already are open.

    .. math:: b_l \ge 1 \qquad \forall l \in L^{ex}
    """
    links = network.links
    pos = np.flatnonzero(links["existing"].to_numpy(dtype=bool))
    return _block(
        "existing_links",
        links.index[pos],
        np.arange(len(pos)),
        lay.offset("build") + pos,
        np.ones(len(pos)),
        1.0,
        np.inf,
    )


def existing_flows(network: CandidateNetwork, lay: Layout, keep: bool = False) -> Block:
    r"""With ``existing_flows: keep``, today's contracts are not cut: a floor, not a fixed flow.

    .. math:: f_l \ge q^0_l \qquad \forall l \in L^{ex},\ q^0_l \text{ given}
    """
    links = network.links
    if not keep or "baseline_quantity" not in links or len(links) == 0:
        return _block("existing_flows", [], np.zeros(0), np.zeros(0), np.zeros(0), 0.0, np.inf)
    q0 = links["baseline_quantity"].to_numpy(dtype=float)
    pos = np.flatnonzero(links["existing"].to_numpy(dtype=bool) & np.isfinite(q0) & (q0 > 0))
    return _block(
        "existing_flows",
        links.index[pos],
        np.arange(len(pos)),
        lay.offset("flow") + pos,
        np.ones(len(pos)),
        q0[pos],
        np.inf,
    )


def disposal_stockpiles(network: CandidateNetwork) -> pd.Index:
    """Stockpiles whose source has a safe-disposal out-link: they get a ``draw_disposal`` column.

    None in a model without safe-disposal links from a source with stock (every version-1
    scenario), so that its columns are today's (docs/model.md, "Draws to safe disposal").
    """
    stock, links = network.stock, network.links
    if len(stock) == 0 or len(links) == 0 or "class" not in links:
        return pd.Index([], dtype=object, name="stockpile_id")
    disp = links["class"].to_numpy(dtype=object) == "safe_disposal"
    feeds = set(links["source_id"].to_numpy()[disp])
    keep = stock["source_id"].isin(list(feeds)).to_numpy()
    return pd.Index(stock.index[keep], name="stockpile_id")


def link_class_masks(network: CandidateNetwork) -> tuple[np.ndarray, np.ndarray]:
    """(utilisation, safe-disposal) masks of the links."""
    links = network.links
    if "class" not in links:
        return np.ones(len(links), dtype=bool), np.zeros(len(links), dtype=bool)
    disp = (links["class"] == "safe_disposal").fillna(False).to_numpy(dtype=bool)
    return ~disp, disp


def with_disposal_draws(block: Block, network: CandidateNetwork, lay: Layout) -> Block:
    r"""Add the ``draw_disposal`` columns r'_k to a family that holds the draws r_k.

    * ``supply_limit[s]``: :math:`\ldots - \sum_{k \in K(s)} r'_k \le G'_s`;
    * ``stock_draw_limit[k]``: :math:`r_k + r'_k \le D_k`;

    and :func:`target_rate_years` writes :math:`-\rho_e \sum_{S(e)} \sum_{K(s)} r'_k` into
    ``target_rate[e]`` of ``consumption`` entries (the only basis whose denominator counts
    stock drawn to disposal).

    The block is returned unchanged when the model has no ``draw_disposal`` columns.
    """
    if lay.n_draw_disposal == 0 or block.n_rows == 0:
        return block
    stock = network.stock
    kd = lay.draw_disposal
    cols = lay.positions("draw_disposal")
    if block.name == "supply_limit":
        keys = stock.loc[kd, "source_id"].to_numpy()
        vals = -np.ones(len(kd))
    elif block.name == "stock_draw_limit":
        keys = np.asarray(kd, dtype=object)
        vals = np.ones(len(kd))
    else:
        return block
    pos = block.row_ids.get_indexer(pd.Index(keys))
    ok = pos >= 0
    return replace(
        block,
        rows=np.concatenate([block.rows, pos[ok]]),
        cols=np.concatenate([block.cols, cols[ok]]),
        vals=np.concatenate([block.vals, vals[ok]]),
    )


def stock_use(network: CandidateNetwork, lay: Layout) -> Block:
    r"""Stock is drawn only for what the source sends on that class (docs/model.md#bases).

    For each source with ``draw_disposal`` columns (its stock may feed safe disposal):

    .. math::

        \text{stock\_use}[s]:\ \sum_{k \in K(s)} r_k - \sum_{l \in L^{out}(s) \cap L^U} f_l \le 0
        \qquad
        \text{stock\_use}[s{:}disposal]:\ \sum_{k \in K(s)} r'_k
        - \sum_{l \in L^{out}(s) \cap L^D} f_l \le 0

    Without the second row a model could book draws to disposal it never made and lift the nbs
    rate (whose denominator counts only r) above what was utilised. Sources without such
    columns get no row — there ``supply_limit`` and the objectives' preference for fewer draws
    make the first row redundant — so a version-1 model's matrix is unchanged.
    """
    if lay.n_draw_disposal == 0:
        return _block("stock_use", [], np.zeros(0), np.zeros(0), np.zeros(0), -np.inf, 0.0)
    stock, links = network.stock, network.links
    sids = pd.Index(pd.unique(stock.loc[lay.draw_disposal, "source_id"].to_numpy()))
    n = len(sids)
    util, disp = link_class_masks(network)
    lsrc = _positions(links["source_id"], sids)
    ksrc = _positions(stock["source_id"], sids)
    kdsrc = _positions(stock.loc[lay.draw_disposal, "source_id"], sids)
    fu = np.flatnonzero((lsrc >= 0) & util)
    fx = np.flatnonzero((lsrc >= 0) & disp)
    kr = np.flatnonzero(ksrc >= 0)
    rows = np.concatenate([ksrc[kr], lsrc[fu], n + kdsrc, n + lsrc[fx]])
    cols = np.concatenate(
        [
            lay.offset("draw") + kr,
            lay.offset("flow") + fu,
            lay.positions("draw_disposal"),
            lay.offset("flow") + fx,
        ]
    )
    vals = np.concatenate(
        [np.ones(len(kr)), -np.ones(len(fu)), np.ones(len(kdsrc)), -np.ones(len(fx))]
    )
    ids = [*[str(i) for i in sids], *[f"{i}:disposal" for i in sids]]
    return _block("stock_use", ids, rows, cols, vals, -np.inf, 0.0)


def target_entries(
    targets: Sequence[Target],
    sources: pd.DataFrame,
    parks: Iterable[str] = (),
    year: int | None = None,
) -> tuple[pd.DataFrame, sp.csr_matrix]:
    """Expand targets into entries (``each_park`` → one per park) and their source membership.

    Returns
    -------
    entries : DataFrame
        One row per entry: ``entry_id, id, scope, target`` (rate 0-1), ``generated`` (unit/a),
        ``basis``, ``year``, ``binds`` (a constraint of a scenario of ``year``),
        ``utilised_outside``, ``drawable`` (unit/a) and ``applicable`` (the scope generates,
        stores or utilises outside some of its materials).
    members : csr_matrix
        ``entries × sources`` 0/1: the sources whose material and place the entry covers.
    """
    rows: list[dict[str, Any]] = []
    masks: list[np.ndarray] = []
    park = sources["park"].astype(str).to_numpy()
    city = sources["city"].astype(str).to_numpy()
    material = sources["material"].astype(str)
    known_parks = list(dict.fromkeys([*parks, *sorted(set(park) - {""})]))
    for t in targets:
        in_mat = material.isin(list(t.materials)).to_numpy()
        scope = str(t.scope)
        if scope == "each_park":
            scoped = [(f"park:{p}", park == p) for p in known_parks]
            scoped = [(s, m) for s, m in scoped if (m & in_mat).any()]
        elif scope.startswith("park:"):
            scoped = [(scope, park == scope.split(":", 1)[1])]
        elif scope.startswith("city:"):
            scoped = [(scope, city == scope.split(":", 1)[1])]
        else:
            scoped = [("all", np.ones(len(sources), dtype=bool))]
        for s, m in scoped:
            mask = m & in_mat
            rate_now = t.rate_in(year) if t.rate_by_year else None  # periods (issue 12)
            rows.append(
                {
                    "id": t.id,
                    "scope": s,
                    "target": float(t.rate if rate_now is None else rate_now),
                    "basis": getattr(t, "basis", "nbs") or "nbs",
                    "year": getattr(t, "year", None),
                    "binds": t.binds(year) if hasattr(t, "binds") else True,
                }
            )
            masks.append(mask)
    entries = pd.DataFrame(rows, columns=["id", "scope", "target", "basis", "year", "binds"])
    entries["binds"] = entries["binds"].astype(bool)
    entries.index = pd.Index([f"{r['id']}@{r['scope']}" for r in rows], name="entry_id")
    if masks:
        members = sp.csr_matrix(np.vstack(masks).astype(float))
    else:
        members = sp.csr_matrix((0, len(sources)))

    def per_entry(column: str) -> Any:
        if not masks:
            return []
        vals = (
            sources[column].to_numpy(dtype=float) if column in sources else np.zeros(len(sources))
        )
        return members @ vals

    entries["generated"] = per_entry("generated")
    entries["utilised_outside"] = per_entry("utilised_outside")
    entries["drawable"] = per_entry("drawable")
    g = np.asarray(entries["generated"], dtype=float)
    denom = np.where(
        entries["basis"] == "new",
        g,
        g
        + np.asarray(entries["drawable"], dtype=float)
        + np.asarray(entries["utilised_outside"], dtype=float),
    )
    entries["applicable"] = denom > 0
    return entries, members


def _incidence(keys: pd.Series, index: pd.Index) -> sp.csr_matrix:
    """``len(index) × len(keys)`` 0/1 matrix: which item belongs to which index entry."""
    pos = _positions(keys, index)
    ok = pos >= 0
    return sp.csr_matrix(
        (np.ones(int(ok.sum())), (pos[ok], np.flatnonzero(ok))), shape=(len(index), len(keys))
    )


def target_rate(
    network: CandidateNetwork, lay: Layout, entries: pd.DataFrame, members: sp.csr_matrix
) -> Block:
    r"""Each target entry: utilised ≥ rate × (generated + drawn), elastic.

    .. math:: \sum_{s \in S(e)} \sum_{l \in L^{out}(s)} f_l - \rho_e \sum_{s \in S(e)}
              \sum_{k \in K(s)} r_k + \sigma_e \ge \rho_e G_e \qquad \forall e \in E

    by the entry's basis (module docstring), with the ``draw_disposal`` terms of
    ``consumption`` entries (:func:`with_disposal_draws`). One year of :func:`target_rate_years`.
    """
    return target_rate_years(network, lay, [entries], members)[0]


def _sorted_coo(m: sp.spmatrix) -> sp.coo_matrix:
    """A sparse matrix as COO in row-major, column-sorted order."""
    m = sp.csr_matrix(m)
    m.sort_indices()
    return m.tocoo()


def target_rate_years(
    network: CandidateNetwork,
    lay: Layout,
    entries_by_year: Sequence[pd.DataFrame],
    members: sp.csr_matrix,
) -> list[Block]:
    r"""``target_rate`` of several years of the same network, its incidences built once.

    Every year's entries have the same ids, bases and members (docs/model.md "Periods"); what
    changes is :math:`\rho_{e,t}`, :math:`G_{e,t}`, :math:`O_{e,t}` and which entries bind. The
    E×L and E×K patterns are products of incidences, made once; per year only the draw
    coefficients (:math:`-\rho_{e,t}` or -1), the right-hand sides and the rows kept change.
    """
    n = len(entries_by_year[0])
    if n == 0:
        return [
            _block("target_rate", [], np.zeros(0), np.zeros(0), np.zeros(0), 0.0, np.inf)
            for _ in entries_by_year
        ]
    e0 = entries_by_year[0]
    basis = e0["basis"].to_numpy(dtype=object) if "basis" in e0 else np.full(n, "nbs")
    src = network.sources
    util_m, disp_m = link_class_masks(network)
    inc = _incidence(network.links["source_id"], src.index)
    util = sp.diags(util_m.astype(float))
    disp = sp.diags(disp_m.astype(float))
    is_cons = basis == "consumption"
    consumption = sp.diags(is_cons.astype(float))
    # sorted once here (a product's rows are not), so no year's conversion sorts its long rows
    fl = _sorted_coo(members @ inc @ util + consumption @ members @ inc @ disp)
    dr = _sorted_coo(members @ _incidence(network.stock["source_id"], src.index))
    # stock drawn to safe disposal counts in the denominator of consumption entries only
    if lay.n_draw_disposal:
        kd = lay.draw_disposal
        inc_d = _incidence(network.stock.loc[kd, "source_id"], src.index)
        dd = (consumption @ members @ inc_d).tocoo()
        dd_cols = lay.positions("draw_disposal")[dd.col]
    k = np.arange(n)
    cc = [lay.offset("flow") + fl.col, lay.offset("draw") + dr.col, lay.positions("slack")]
    out = []
    for entries in entries_by_year:
        rate = entries["target"].to_numpy(dtype=float)
        draw_coef = np.where(basis == "new", -1.0, -rate)
        rows = [fl.row, dr.row, k]
        cols = list(cc)
        vals = [fl.data, draw_coef[dr.row] * dr.data, np.ones(n)]
        if lay.n_draw_disposal:
            dval = np.where(is_cons, -rate, 0.0)[dd.row] * dd.data
            nz = dval != 0
            rows.append(dd.row[nz])
            cols.append(dd_cols[nz])
            vals.append(dval[nz])
        outside = (
            entries["utilised_outside"].to_numpy(dtype=float)
            if "utilised_outside" in entries
            else 0.0
        )
        rhs = rate * entries["generated"].to_numpy(dtype=float) - outside
        # a target that does not bind this year, or whose scope has none of its materials: no row
        keep = np.ones(n, dtype=bool)
        if "binds" in entries:
            keep &= entries["binds"].to_numpy(dtype=bool)
        if "applicable" in entries:
            keep &= entries["applicable"].to_numpy(dtype=bool)
        row_map = np.where(keep, np.cumsum(keep) - 1, -1)
        out.append(
            _block(
                "target_rate",
                entries.index[keep],
                row_map[np.concatenate(rows)],
                np.concatenate(cols),
                np.concatenate(vals),
                rhs[keep],
                np.inf,
            )
        )
    return out


# ---------------------------------------------------------------------------------------------
# facilities (issue 12; docs/model.md "Facilities") — the size ladder y[f,z] = open[f:S_z]
# ---------------------------------------------------------------------------------------------
def _facility_links(network: CandidateNetwork) -> tuple[np.ndarray, np.ndarray]:
    """(positions of the links into a facility, the facility's row in ``network.facilities``)."""
    fac = network.facilities
    if fac is None or len(fac) == 0 or len(network.links) == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    pos = _positions(network.links["use_id"], pd.Index(fac["use_id"]))
    into = np.flatnonzero(pos >= 0)
    return into, pos[into].astype(np.int64)


def facility_open(network: CandidateNetwork, lay: Layout) -> Block:
    r"""A facility grows by steps: size step :math:`z \ge 2` only on top of step :math:`z-1`.

    .. math:: y_{f,z} - y_{f,z-1} \le 0 \qquad z \ge 2

    so :math:`\sum_z o_{f,z} = y_{f,1} \le 1` with :math:`o_{f,z} = y_{f,z} - y_{f,z+1}`: at
    most one size per facility.
    """
    lad = network.ladder
    if lad is None or len(lad) == 0:
        return _block("facility_open", [], np.zeros(0), np.zeros(0), np.zeros(0), -np.inf, 0.0)
    step = lad["step"].to_numpy(dtype=int)
    k = np.flatnonzero(step >= 2)
    n = len(k)
    r = np.arange(n)
    off = lay.offset("open")
    return _block(
        "facility_open",
        lad.index[k],
        np.concatenate([r, r]),
        np.concatenate([off + k, off + k - 1]),
        np.concatenate([np.ones(n), -np.ones(n)]),
        -np.inf,
        0.0,
    )


def facility_capacity(network: CandidateNetwork, lay: Layout) -> Block:
    r"""What a facility takes in stays within the size it is built (or expanded) to.

    .. math:: \sum_{l \in L^{in}(f)} \eta_l f_l - \sum_z \Delta S_{f,z}\, y_{f,z} \le C^0_f
    """
    fac, lad = network.facilities, network.ladder
    if fac is None or len(fac) == 0:
        return _block("facility_capacity", [], np.zeros(0), np.zeros(0), np.zeros(0), -np.inf, 0.0)
    into, frow = _facility_links(network)
    eff = network.links["efficiency"].to_numpy(dtype=float)
    lrow = _positions(lad["facility_id"], fac.index)
    rows = np.concatenate([frow, lrow])
    cols = np.concatenate([lay.offset("flow") + into, lay.offset("open") + np.arange(len(lad))])
    vals = np.concatenate([eff[into], -lad["delta_size"].to_numpy(dtype=float)])
    return _block(
        "facility_capacity",
        fac.index,
        rows,
        cols,
        vals,
        -np.inf,
        fac["existing_size"].to_numpy(dtype=float),
    )


def _source_bound(networks: Sequence[CandidateNetwork], links: np.ndarray) -> np.ndarray:
    r""":math:`B^{src}_l = G_s + \sum_{K(s)} D_k` of the links at positions ``links``, per year.

    One column per network (the same links and sources, each year's amounts; unit/a).
    """
    src = networks[0].sources
    pos = _positions(networks[0].links["source_id"].to_numpy()[links], src.index)
    out = np.zeros((len(links), len(networks)))
    for k, net in enumerate(networks):
        supply = (net.sources["generated"] + net.sources["drawable"]).to_numpy(dtype=float)
        out[:, k] = np.where(pos >= 0, supply[np.maximum(pos, 0)], 0.0)
    return out


def facility_link(network: CandidateNetwork, lay: Layout) -> Block:
    r"""Tight per-link big-M into a facility: a link carries nothing into a closed facility.

    .. math:: \eta_l f_l - \sum_z \beta_{l,z} y_{f,z} \le \min(C^0_f, \eta_l B^{src}_l),\quad
              \beta_{l,z} = \min(\Delta S_{f,z}, \max(0, \eta_l B^{src}_l - S_{f,z-1}))

    Rows whose every :math:`\beta` is 0 are redundant and dropped. One year of
    :func:`facility_link_years`.
    """
    return facility_link_years([network], lay)[0]


def facility_link_years(networks: Sequence[CandidateNetwork], lay: Layout) -> list[Block]:
    """``facility_link`` of several years of the same network (only :math:`B^{src}` changes).

    The links-into-facilities × ladder frame is merged once; per year the β, the rows kept and
    the right-hand sides are numpy operations on it.
    """
    network = networks[0]
    lad = network.ladder
    into, _ = _facility_links(network)
    if lad is None or len(lad) == 0 or len(into) == 0:
        return [
            _block("facility_link", [], np.zeros(0), np.zeros(0), np.zeros(0), -np.inf, 0.0)
            for _ in networks
        ]
    links = network.links
    eff = links["efficiency"].to_numpy(dtype=float)[into]
    caps = eff[:, None] * _source_bound(networks, into)
    li = pd.DataFrame({"pos": into, "use_id": links["use_id"].to_numpy()[into]})
    ll = lad.reset_index(drop=True).assign(lpos=np.arange(len(lad)))[
        ["use_id", "lpos", "prev_size", "delta_size"]
    ]
    m = li.reset_index().rename(columns={"index": "row"}).merge(ll, on="use_id")
    m_row = m["row"].to_numpy()
    m_lpos = m["lpos"].to_numpy()
    delta = m["delta_size"].to_numpy(dtype=float)
    prev = m["prev_size"].to_numpy(dtype=float)
    fac = network.facilities
    c0 = (
        fac["existing_size"]
        .reindex(fac.index[_positions(li["use_id"], pd.Index(fac["use_id"]))])
        .to_numpy(dtype=float)
    )
    out = []
    for k in range(len(networks)):
        cap = caps[:, k]
        beta = np.minimum(delta, np.maximum(0.0, cap[m_row] - prev))
        nz = beta > 0
        keep_row = np.zeros(len(li), dtype=bool)
        keep_row[m_row[nz]] = True
        rows_kept = np.flatnonzero(keep_row)
        new_row = np.full(len(li), -1, dtype=np.int64)
        new_row[rows_kept] = np.arange(len(rows_kept))
        rows = np.concatenate([np.arange(len(rows_kept)), new_row[m_row[nz]]])
        cols = np.concatenate(
            [lay.offset("flow") + into[rows_kept], lay.offset("open") + m_lpos[nz]]
        )
        vals = np.concatenate([eff[rows_kept], -beta[nz]])
        rhs = np.minimum(c0, cap)[rows_kept]
        out.append(
            _block("facility_link", links.index[into[rows_kept]], rows, cols, vals, -np.inf, rhs)
        )
    return out


def facility_market(network: CandidateNetwork, lay: Layout) -> Block:
    r"""One product market per technology, shared by its facilities (``max_output_unit_per_a``).

    .. math:: \sum_{f \in F(\tau)} \sum_{l \in L^{in}(f)} \eta_l f_l \le M_\tau
    """
    fac = network.facilities
    into, frow = _facility_links(network)
    if fac is None or len(fac) == 0 or len(into) == 0:
        return _block("facility_market", [], np.zeros(0), np.zeros(0), np.zeros(0), -np.inf, 0.0)
    cap = fac.groupby("technology")["max_output_unit_per_a"].first()
    cap = cap[cap.notna()]
    techs = pd.Index(cap.index.astype(str))
    rows = _positions(fac["technology"].to_numpy()[frow], techs)
    ok = rows >= 0
    eff = network.links["efficiency"].to_numpy(dtype=float)[into]
    return _block(
        "facility_market",
        techs,
        rows[ok],
        lay.offset("flow") + into[ok],
        eff[ok],
        -np.inf,
        cap.to_numpy(dtype=float),
    )


def facility_vectors(network: CandidateNetwork) -> dict[str, np.ndarray]:
    r"""Per-link objective parts of flows into facilities (length ``n_links``).

    ``facility_variable``: :math:`\eta_l k_\tau` (CNY per unit sent); ``facility_co2``:
    :math:`-\eta_l e_\tau` (t CO₂ per unit sent, the facility's own emissions).
    """
    n = len(network.links)
    var = np.zeros(n)
    co2 = np.zeros(n)
    into, frow = _facility_links(network)
    if len(into):
        eff = network.links["efficiency"].to_numpy(dtype=float)[into]
        fac = network.facilities
        var[into] = eff * fac["variable_cny_per_unit"].to_numpy(dtype=float)[frow]
        co2[into] = -eff * fac["co2_t_per_unit"].to_numpy(dtype=float)[frow]
    return {"facility_variable": var, "facility_co2": co2}


# ---------------------------------------------------------------------------------------------
# objective
# ---------------------------------------------------------------------------------------------
def objective_vectors(network: CandidateNetwork) -> dict[str, np.ndarray]:
    """Per-link coefficient vectors (length ``n_links``) of the objective parts.

    ``transport, purification, value, disposal`` are CNY per unit of flow (value already × η),
    ``fixed`` CNY/a per built link, ``co2`` net t CO₂ avoided per unit of flow (η × factor −
    transport emissions).
    """
    lk = network.links
    eff = lk["efficiency"].to_numpy(dtype=float)
    return {
        "transport": lk["transport_cny_per_unit"].to_numpy(dtype=float),
        "purification": lk["purification_cny_per_unit"].to_numpy(dtype=float),
        "value": eff * lk["value_cny_per_unit"].to_numpy(dtype=float),
        "disposal": lk["disposal_cny_per_unit"].to_numpy(dtype=float),
        "fixed": lk["fixed_cny_per_a"].to_numpy(dtype=float),
        "co2": eff * lk["co2_avoided_t_per_unit"].to_numpy(dtype=float)
        - lk["co2_transport_t_per_unit"].to_numpy(dtype=float)
        - (
            lk["co2_reversed_t_per_unit"].to_numpy(dtype=float)
            if "co2_reversed_t_per_unit" in lk
            else 0.0
        ),
    }


def cost_vector(vectors: dict[str, np.ndarray], lay: Layout, penalty: float) -> np.ndarray:
    """The ``cost`` objective over all columns (CNY/a), slack penalised by ``penalty``."""
    return lay.vector(
        flow=(
            vectors["transport"] + vectors["purification"] - vectors["value"] - vectors["disposal"]
        ),
        build=vectors["fixed"],
        slack=penalty,
    )


def with_row(
    model: SparseModel, coefs: np.ndarray, lower: float, upper: float, name: str
) -> SparseModel:
    """A copy of ``model`` with one more dense-coefficient row ``lower ≤ coefs·x ≤ upper``."""
    row = sp.csr_matrix(np.asarray(coefs, dtype=float).reshape(1, -1))
    A = sp.vstack([model.A, row], format="csr")
    fam = dict(model.families)
    fam[name.split("[")[0]] = slice(model.n_constraints, model.n_constraints + 1)
    return replace(
        model,
        A=A,
        row_names=np.append(model.row_names, name),
        row_lower=np.append(model.row_lower, lower),
        row_upper=np.append(model.row_upper, upper),
        families=fam,
    )


def with_objective(model: SparseModel, c: np.ndarray, maximise: bool = False) -> SparseModel:
    """A copy of ``model`` with another objective vector."""
    return replace(model, c=np.asarray(c, dtype=float), maximise=maximise, offset=0.0)


# ---------------------------------------------------------------------------------------------
# assembly (shared with parkflow.solvers.periods)
# ---------------------------------------------------------------------------------------------
def family_blocks(
    network: CandidateNetwork,
    lay: Layout,
    entries: pd.DataFrame,
    members: sp.csr_matrix,
    min_flow_per_a: float = 0.0,
    keep_existing_flows: bool = False,
) -> list[Block]:
    """Every constraint family of one year, in :data:`FAMILIES` order (linking ones empty)."""
    return [
        with_disposal_draws(supply_limit(network, lay), network, lay),
        use_capacity(network, lay),
        link_activation(network, lay),
        min_flow(network, lay, min_flow_per_a),
        with_disposal_draws(stock_draw_limit(network, lay), network, lay),
        stock_use(network, lay),  # issue 11: draws only for what is sent on that class
        existing_links(network, lay),
        existing_flows(network, lay, keep_existing_flows),  # issue 11: today's outlets
        # -- facilities (issue 12) --
        facility_open(network, lay),
        facility_capacity(network, lay),
        facility_link(network, lay),
        facility_market(network, lay),
        # -- periods (issue 12): rows only in parkflow.solvers.periods --
        *(_empty(name) for name in ("build_persists", "stock_balance", "stock_available")),
        # --
        target_rate(network, lay, entries, members),
    ]


@dataclass(frozen=True)
class Rows:
    """One family's rows ready to stack: a CSR matrix over all columns, bounds and names."""

    name: str
    matrix: sp.csr_matrix
    lower: np.ndarray
    upper: np.ndarray
    names: Names
    ids: Any = None

    @classmethod
    def of(cls, block: Block, n_cols: int) -> Rows:
        """The rows of a single-year :class:`Block` (``ids`` its row ids)."""
        return cls(
            block.name,
            block.csr(n_cols),
            block.lower,
            block.upper,
            Names([(block.name, block.row_ids, None)]),
            block.row_ids,
        )


def vstack_csr(
    mats: Sequence[tuple[np.ndarray, np.ndarray, np.ndarray]], n_cols: int
) -> sp.csr_matrix:
    """Stack CSR parts ``(indptr, indices, data)`` row-wise by concatenating their arrays.

    No sort and no conversion: each part's rows stay as they are (canonical parts give a
    canonical result), which is what makes stacking 40 M entries cheap.
    """
    nnz = sum(len(d) for _, _, d in mats)
    n_rows = sum(len(p) - 1 for p, _, _ in mats)
    idx = np.int32 if max(nnz, n_cols) < np.iinfo(np.int32).max else np.int64
    indptr = np.empty(n_rows + 1, dtype=idx)
    indptr[0] = 0
    r = 0
    base = 0
    for p, _, d in mats:
        k = len(p) - 1
        indptr[r + 1 : r + k + 1] = p[1:] - p[0] + base
        r += k
        base += len(d)
    indices = (
        np.concatenate([np.asarray(i, dtype=idx) for _, i, _ in mats])
        if mats
        else np.zeros(0, dtype=idx)
    )
    data = np.concatenate([d for _, _, d in mats]) if mats else np.zeros(0)
    return sp.csr_matrix((data, indices, indptr), shape=(n_rows, n_cols))


def assemble(
    parts: Sequence[Rows], n_cols: int
) -> tuple[sp.csr_matrix, Names, np.ndarray, np.ndarray, dict[str, slice]]:
    """One model's matrix, row names, bounds and family slices from its families' rows.

    Zeros are dropped (a coefficient of 0, e.g. :math:`-B_l` of a link with no supply, is no
    entry). Used by :func:`build` and by :func:`parkflow.solvers.periods.build_periods`.
    """
    A = vstack_csr([(m.matrix.indptr, m.matrix.indices, m.matrix.data) for m in parts], n_cols)
    A.eliminate_zeros()
    A.sort_indices()
    families: dict[str, slice] = {}
    offset = 0
    names = Names([])
    for m in parts:
        n = m.matrix.shape[0]
        prev = families.get(m.name)
        families[m.name] = slice(prev.start if prev else offset, offset + n)
        offset += n
        names = names + m.names
    lower = np.concatenate([m.lower for m in parts]) if parts else np.zeros(0)
    upper = np.concatenate([m.upper for m in parts]) if parts else np.zeros(0)
    return A, names, lower, upper, families


# ---------------------------------------------------------------------------------------------
# build
# ---------------------------------------------------------------------------------------------
def build(
    network: CandidateNetwork,
    targets: Sequence[Target],
    objective: str = "cost",
    penalty: float = DEFAULT_PENALTY_CNY_PER_T,
    min_flow_per_a: float = 0.0,
    parks: Iterable[str] = (),
    year: int | None = None,
    keep_existing_flows: bool = False,
    with_rows: bool = False,
) -> Any:
    """Stack the variables, every constraint family and the objective into one sparse model.

    Parameters
    ----------
    network : CandidateNetwork
        From :func:`parkflow.network.candidate_links`.
    targets : sequence of Target
        Utilisation targets (elastic rows ``target_rate``).
    objective : {"cost", "co2"}
        ``cost``: minimise CNY/a plus ``penalty`` × slack; ``co2``: maximise net t CO₂ avoided
        per year. (``utilisation`` is a sequence of solves built on this model, see solve.py;
        here it gives the cost model.)
    penalty : float
        CNY per t of target shortfall.
    min_flow_per_a : float
        Minimum economic flow of a built link (unit/a); 0 gives no ``min_flow`` rows.
    parks : iterable of str
        Park ids, in order, for ``each_park`` targets.
    year : int, optional
        The scenario's year: which targets bind (:meth:`Target.binds`).
    keep_existing_flows : bool
        ``existing_flows: keep`` — existing links carry at least their ``baseline_quantity``.
    with_rows : bool
        Also return each family's :class:`Rows` (the multi-period build repeats them).

    Returns
    -------
    Formulation or (Formulation, list of Rows)
        Its model has columns ``flow[l], build[l], draw[k], slack[e]`` (its layout) and rows in
        the order of :data:`FAMILIES`.
    """
    links = network.links
    entries, members = target_entries(targets, network.sources, parks, year)
    ladder = network.ladder if network.ladder is not None and len(network.ladder) else None
    lay = Layout(
        links=links.index,
        stock=network.stock.index,
        entries=entries.index,
        ladder=pd.Index([], dtype=object) if ladder is None else ladder.index,
        draw_disposal=disposal_stockpiles(network),  # issue 11: stock drawn to safe disposal
    )
    blocks = family_blocks(network, lay, entries, members, min_flow_per_a, keep_existing_flows)
    rows = [Rows.of(b, lay.n) for b in blocks]
    A, row_names, row_lower, row_upper, families = assemble(rows, lay.n)
    col_upper = column_upper(network, lay, entries)
    integer = lay.vector(0.0, build=1.0, open=1.0).astype(bool)
    vectors = objective_vectors(network)
    cost = cost_vector(vectors, lay, penalty)
    # -- facilities (issue 12): variable cost and own CO₂ of flows in, annualised steps --
    if lay.n_open or len(network.facilities):
        fv = facility_vectors(network)
        vectors.update(fv)
        vectors["co2"] = vectors["co2"] + fv["facility_co2"]
        vectors["open"] = (
            network.ladder["annual_cny_per_a"].to_numpy(dtype=float) if lay.n_open else np.zeros(0)
        )
        cost = cost + lay.vector(flow=fv["facility_variable"], open=vectors["open"])
    model = SparseModel(
        A=A,
        row_names=row_names,
        row_lower=row_lower,
        row_upper=row_upper,
        col_names=lay.column_names(),
        col_lower=np.zeros(lay.n),
        col_upper=col_upper,
        integer=integer,
        c=cost,
        families=families,
    )
    if objective == "co2":
        model = with_objective(model, lay.vector(flow=vectors["co2"]), maximise=True)
    form = Formulation(
        model=model, layout=lay, entries=entries, members=members, vectors={**vectors, "cost": cost}
    )
    if with_rows:
        return form, rows
    return form


def column_upper(network: CandidateNetwork, lay: Layout, entries: pd.DataFrame) -> np.ndarray:
    """Column upper bounds of one year: binaries 1, a facility not yet available 0, idle slack 0."""
    col_upper = lay.vector(np.inf, build=1.0, open=1.0)
    if lay.n_open:  # a facility not yet available (``available_from`` after the year): closed
        col_upper = lay.assign(col_upper, open=network.ladder["available"].to_numpy(dtype=float))
    # issue 11: no slack for a target that does not bind or does not apply (no row either)
    if len(entries):
        idle = ~(entries["binds"].to_numpy(dtype=bool) & entries["applicable"].to_numpy(dtype=bool))
        col_upper[lay.positions("slack")[idle]] = 0.0
    return col_upper
