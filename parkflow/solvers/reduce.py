"""Candidate-set reductions: fewer links, (nearly) the same optimum.

:func:`reduce_links` takes a :class:`~parkflow.network.CandidateNetwork` and returns a smaller one
(same ``sources``, ``sinks``, ``stock``; a subset of ``links``) with a :class:`Reduction` report of
how many links each rule dropped. Existing links are never dropped. All rules are vectorised group
operations on the links table.

Rules, in the order they are applied
------------------------------------
1. ``dominated_mode`` — **exact** (the optimum is unchanged). Among the links of one
   (source, use) pair, a link is dropped when another link of the pair has the same efficiency
   (hence the same bound and the same use of capacity) and is no worse in unit cost and in fixed
   cost — and, for the ``co2`` objective, in net CO₂ avoided per unit. Any flow on the dropped
   link can move to the dominating one without breaking a constraint or worsening the objective.
   (Example: a 20 km truck haul costs 0.585 · 20 + 15 CNY/t, a 20 km rail haul 0.21 · 20 + 25
   CNY/t: the rail link is dominated for the cost objective; beyond ≈ 27 km the truck link is.)
2. ``unprofitable`` — **exact for the ``cost`` objective only** (skipped otherwise). A link whose
   net unit cost (transport + purification − efficiency × value − disposal avoided) is > 0 and
   whose material is in no target never carries flow in a least-cost solution: removing its flow
   lowers the cost, frees capacity, and touches no target row.
3. ``k_cheapest`` — **heuristic** (near-exact). For each (source, route) the links are ranked by
   cost per unit at full use (net unit cost + fixed cost / bound) and kept until the capacity of
   the kept uses (in source units, ``capacity / efficiency``) covers ``cover`` × what the source
   can send (generated + drawable), and at least ``min_keep`` of them. The far, expensive uses
   dropped here could only matter when nearer uses are filled by *other* sources, which ``cover``
   (default 10×) guards against but does not exclude. Set ``cover=None`` to skip this rule.

The reduced optimum is an upper bound (a minimisation over fewer links); rules 1–2 keep it equal
to the full optimum, rule 3 may make it slightly worse. :func:`parkflow.solvers.decompose
.solve_decomposed` reports the gap against its own bound on the reduced network.

Examples
--------
>>> from parkflow.studies.generate import generate_scenario
>>> from parkflow.network import candidate_links
>>> net, rep = reduce_links(candidate_links(generate_scenario(30, 3, seed=1)))
>>> rep.dropped
{'dominated_mode': 53, 'unprofitable': 45, 'k_cheapest': 0}
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from parkflow.models.scenario import Scenario, Target
from parkflow.network import CandidateNetwork, candidate_links
from parkflow.solvers.formulation import Formulation, SparseModel, build
from parkflow.solvers.relax import fixed_binary_lp

__all__ = [
    "Reduction",
    "reduce_links",
    "net_unit_cost",
    "Pricing",
    "price_left_out",
    "left_out",
    "unbounded_network",
    "fixed_binary_duals",
]

_EFF_TOL = 1e-12


@dataclass
class Reduction:
    """How many links each rule dropped (``dropped``), and the counts before and after."""

    n_before: int
    n_after: int
    dropped: dict[str, int] = field(default_factory=dict)
    exact: bool = True

    def __str__(self) -> str:
        """One line: how many links each rule dropped."""
        parts = ", ".join(f"{k} {v:,}" for k, v in self.dropped.items())
        return (
            f"{self.n_before:,} → {self.n_after:,} candidate links ({parts}; "
            f"{'exact' if self.exact else 'heuristic'})"
        )


def net_unit_cost(links: pd.DataFrame) -> np.ndarray:
    """CNY per unit sent: transport + purification − efficiency × value − disposal.

    The per-unit part of the ``cost`` objective (docs/model.md, "Objective `cost`").
    """
    eff = links["efficiency"].to_numpy(dtype=float)
    return (
        links["transport_cny_per_unit"].to_numpy(dtype=float)
        + links["purification_cny_per_unit"].to_numpy(dtype=float)
        - eff * links["value_cny_per_unit"].to_numpy(dtype=float)
        - links["disposal_cny_per_unit"].to_numpy(dtype=float)
    )


def _co2_per_unit(links: pd.DataFrame) -> np.ndarray:
    return links["efficiency"].to_numpy(dtype=float) * links["co2_avoided_t_per_unit"].to_numpy(
        dtype=float
    ) - links["co2_transport_t_per_unit"].to_numpy(dtype=float)


def _dominated(links: pd.DataFrame, objective: str) -> np.ndarray:
    """Boolean mask of links dominated by another mode of the same (source, use) pair."""
    n = len(links)
    if n == 0:
        return np.zeros(0, dtype=bool)
    pair = links["source_id"].astype(str) + "|" + links["use_id"].astype(str)
    multi = pair.duplicated(keep=False).to_numpy()
    if not multi.any():
        return np.zeros(n, dtype=bool)
    pos = np.flatnonzero(multi)
    d = pd.DataFrame(
        {
            "pos": pos,
            "pair": pair.to_numpy()[pos],
            "eff": links["efficiency"].to_numpy(dtype=float)[pos],
            "unit": net_unit_cost(links)[pos],
            "fixed": links["fixed_cny_per_a"].to_numpy(dtype=float)[pos],
            "co2": _co2_per_unit(links)[pos],
            "existing": links["existing"].to_numpy(dtype=bool)[pos],
        }
    )
    # pairs are few (one row per mode): a self-merge within pairs stays small
    m = d.merge(d, on="pair", suffixes=("", "_o"))
    m = m[m["pos"] != m["pos_o"]]
    no_worse = (
        (np.abs(m["eff"] - m["eff_o"]) <= _EFF_TOL)
        & (m["unit_o"] <= m["unit"])
        & (m["fixed_o"] <= m["fixed"])
    )
    if objective == "co2":
        no_worse &= m["co2_o"] >= m["co2"]
    strictly = (m["unit_o"] < m["unit"]) | (m["fixed_o"] < m["fixed"])
    if objective == "co2":
        strictly |= m["co2_o"] > m["co2"]
    # ties: the later row (in link order) gives way to the earlier one
    beats = no_worse & (strictly | (m["pos_o"] < m["pos"])) & ~m["existing"]
    out = np.zeros(n, dtype=bool)
    out[m.loc[beats, "pos"].to_numpy(dtype=np.int64)] = True
    return out


def _target_materials(targets: Iterable[Target]) -> set[str]:
    mats: set[str] = set()
    for t in targets:
        mats.update(str(m) for m in t.materials)
    return mats


def _k_cheapest(
    links: pd.DataFrame, network: CandidateNetwork, cover: float, min_keep: int
) -> np.ndarray:
    """Boolean mask of links beyond the ``cover`` × supply cheapest uses of each (source, route)."""
    n = len(links)
    if n == 0:
        return np.zeros(0, dtype=bool)
    src = network.sources
    supply = (src["generated"] + src["drawable"]).astype(float)
    bound = links["bound"].to_numpy(dtype=float)
    eff = links["efficiency"].to_numpy(dtype=float)
    cap = network.sinks["capacity"].reindex(links["use_id"]).to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        cap_src = np.where(eff > 0, cap / eff, 0.0)
        score = net_unit_cost(links) + np.where(
            bound > 0, links["fixed_cny_per_a"].to_numpy(dtype=float) / bound, np.inf
        )
    d = pd.DataFrame(
        {
            "source_id": links["source_id"].to_numpy(),
            "route": links["route"].to_numpy(),
            "score": score,
            "cap": cap_src,
            "pos": np.arange(n),
        }
    )
    d = d.sort_values(["source_id", "route", "score", "pos"], kind="stable")
    g = d.groupby(["source_id", "route"], sort=False)
    before = g["cap"].cumsum().to_numpy() - d["cap"].to_numpy()
    rank = g.cumcount().to_numpy()
    need = cover * supply.reindex(d["source_id"]).fillna(0.0).to_numpy()
    keep = (before < need) | (rank < min_keep)
    out = np.zeros(n, dtype=bool)
    out[d["pos"].to_numpy()[~keep]] = True
    return out


def reduce_links(
    network: CandidateNetwork,
    targets: Sequence[Target] = (),
    objective: str = "cost",
    cover: float | None = 10.0,
    min_keep: int = 3,
) -> tuple[CandidateNetwork, Reduction]:
    """Drop candidate links that cannot (or almost surely do not) carry flow in an optimum.

    Parameters
    ----------
    network : CandidateNetwork
        From :func:`parkflow.network.candidate_links`.
    targets : sequence of Target
        The targets of the solve (with their material lists filled, see
        :func:`parkflow.solvers.full.expand_targets`); links of target materials are never
        dropped as unprofitable.
    objective : {"cost", "utilisation", "co2"}
        The objective the reduced network will be solved for (rules 1–2 depend on it).
    cover : float or None
        Rule 3 keeps, per (source, route), the cheapest uses whose capacity covers ``cover`` ×
        the source's generated + drawable amount; ``None`` skips this heuristic rule.
    min_keep : int
        Rule 3 keeps at least this many links per (source, route).

    Returns
    -------
    network : CandidateNetwork
        Same sources, sinks and stock; the kept links (original ids and order).
    reduction : Reduction
        Links dropped per rule; ``exact`` is False when rule 3 dropped any.
    """
    links = network.links
    n0 = len(links)
    existing = links["existing"].to_numpy(dtype=bool)
    keep = np.ones(n0, dtype=bool)
    dropped: dict[str, int] = {}

    dom = _dominated(links, objective) & ~existing
    dropped["dominated_mode"] = int(dom.sum())
    keep &= ~dom

    if objective == "cost":
        mats = _target_materials(targets)
        unprof = (
            (net_unit_cost(links) > 0)
            & ~links["material"].isin(list(mats)).to_numpy()
            & ~existing
            & keep
        )
        dropped["unprofitable"] = int(unprof.sum())
        keep &= ~unprof

    exact = True
    if cover is not None and keep.any():
        pos = np.flatnonzero(keep)
        far = _k_cheapest(links.iloc[pos], network, float(cover), int(min_keep))
        far &= ~existing[pos]
        dropped["k_cheapest"] = int(far.sum())
        keep[pos[far]] = False
        exact = not far.any()

    kept = links[keep]
    # same sources, sinks, stock and candidate facilities (issue 12); fewer links
    reduced = replace(network, links=kept, _graph=None)
    return reduced, Reduction(n0, int(keep.sum()), dropped, exact)


# ---------------------------------------------------------------------------------------------
# pricing of the candidates the bound left out (issue 13; docs/performance.md, "Pricing")
# ---------------------------------------------------------------------------------------------
def unbounded_network(scenario: Scenario, k: int | None = None) -> CandidateNetwork:
    """The scenario's candidate network with ``max_candidates_per_supply`` lifted (or ``k``)."""
    extra = dict(getattr(scenario.settings, "extra", None) or {})
    extra["max_candidates_per_supply"] = "none" if k is None else int(k)
    return candidate_links(replace(scenario, settings=replace(scenario.settings, extra=extra)))


def left_out(bounded: CandidateNetwork, whole: CandidateNetwork) -> pd.DataFrame:
    """The links of ``whole`` that ``bounded`` lacks (same source, use and mode).

    They are re-numbered ``X1, X2, …`` so that their ids never clash with the bounded network's.
    """

    def key(lk: pd.DataFrame) -> pd.MultiIndex:
        return pd.MultiIndex.from_arrays(
            [lk["source_id"].astype(str), lk["use_id"].astype(str), lk["mode"].astype(str)]
        )

    out = whole.links[~key(whole.links).isin(key(bounded.links))].copy()
    out.index = pd.Index([f"X{k + 1}" for k in range(len(out))], name="link_id")
    return out


def fixed_binary_duals(model: SparseModel, x: np.ndarray) -> np.ndarray:
    r"""Row duals ``y`` of the LP left when every binary is fixed at its value in ``x``.

    The LP keeps only the continuous columns not forced to 0 by a closed link (so it is small:
    the built links, draws and slacks); :func:`parkflow.solvers.relax.fixed_binary_lp` solves it
    with scipy's HiGHS. Convention: the reduced cost of a column :math:`j` is
    :math:`c_j - y \cdot A_j` (``y ≤ 0`` on a binding ``≤`` row, ``≥ 0`` on a binding ``≥``
    row); rows the LP does not see get 0.

    Returns
    -------
    ndarray
        One dual per row of ``model`` (CNY per row unit).
    """
    return fixed_binary_lp(model, x)[1]


@dataclass
class Pricing:
    """Outcome of :func:`price_left_out`: the left-out links that could improve the plan."""

    n_checked: int
    links: pd.DataFrame
    best_cny_per_a: float
    #: Sum of the (negative) first-order gains of every link that could improve the plan (not
    #: only those picked): how much the left-out candidates could lower the plan, to first order.
    total_cny_per_a: float = 0.0

    def __str__(self) -> str:
        """One line: how many left-out links were priced and how many could improve."""
        return (
            f"{self.n_checked:,} left-out links priced, {len(self.links):,} could improve the "
            f"plan (best {self.best_cny_per_a:,.0f} CNY/a)"
        )


def candidate_model(
    network: CandidateNetwork,
    candidates: pd.DataFrame,
    targets: Sequence[Target],
    parks: Sequence[str] = (),
    year: int | None = None,
) -> Formulation:
    """The model of the left-out ``candidates`` alone, on ``network``'s sources and uses.

    Its columns and rows (named as the full model's) give each candidate's cost and the rows it
    would enter; :func:`price_left_out` prices it.
    """
    cand_net = replace(network, links=candidates, facilities=pd.DataFrame(), ladder=pd.DataFrame())
    return build(cand_net, targets, "cost", parks=list(parks), year=year)


def price_left_out(
    model: SparseModel,
    network: CandidateNetwork,
    x: np.ndarray,
    candidates: pd.DataFrame,
    targets: Sequence[Target],
    parks: Sequence[str] = (),
    year: int | None = None,
    tolerance_cny_per_a: float = 1.0,
    max_per_source: int = 20,
    duals: np.ndarray | None = None,
    candidate_form: Formulation | None = None,
    skip: np.ndarray | None = None,
) -> Pricing:
    r"""Price links that are not in the model under the duals of the plan ``x``.

    For a left-out link :math:`l` the reduced cost of its flow is
    :math:`d_l = c_l - y \cdot A_l` over the rows it would enter (its source's
    ``supply_limit``, its use's ``use_capacity``, the ``target_rate`` rows of its material),
    with :math:`y` from :func:`fixed_binary_duals` (or ``duals``). Built at full bound it
    changes the objective by :math:`d_l B_l + F_l` to first order; the links where that is below
    ``−tolerance_cny_per_a`` could improve the plan (at most ``max_per_source`` per source,
    most negative first).

    With the duals of the model's *LP relaxation* (``duals``) the test is exact for the LP:
    a left-out link enters it as the column pair (flow, build) with the activation row
    :math:`f_l \le B_l b_l`, whose reduced cost is :math:`d_l + F_l / B_l` per unit; by weak
    duality over the box :math:`0 \le f_l \le B_l` the LP of the whole candidate set is at
    least the LP bound plus :math:`\sum_l \min(0, d_l B_l + F_l)`, which
    ``total_cny_per_a`` holds (every negative term, not only those below the tolerance). That
    sum plus the LP bound is a lower bound of the MILP over every candidate.

    Parameters
    ----------
    model : SparseModel
        The model ``x`` solves (its rows are named ``family[id]``).
    network : CandidateNetwork
        The network it was built from (sources, sinks, stock).
    x : ndarray
    candidates : DataFrame
        Links table rows (:func:`left_out`).
    targets, parks, year
        As :func:`parkflow.solvers.formulation.build`.
    duals : ndarray, optional
        Row duals of ``model`` to price under (default: :func:`fixed_binary_duals` of ``x``).
    candidate_form : Formulation, optional
        :func:`candidate_model` of the candidates, when built already.
    skip : ndarray of bool, optional
        Candidates not to price (those an earlier round added to the model already).

    Returns
    -------
    Pricing
    """
    if not len(candidates):
        return Pricing(0, candidates, 0.0)
    y = fixed_binary_duals(model, x) if duals is None else np.asarray(duals, dtype=float)
    form = (
        candidate_model(network, candidates, targets, parks, year)
        if candidate_form is None
        else candidate_form
    )
    cm, lay = form.model, form.layout
    y_by_name = pd.Series(y, index=pd.Index(model.row_names.astype(str)))
    # a pricing round's model can repeat a row name (seen at N = 5,000 after links were added
    # back): the first row of a name gives its dual
    y_by_name = y_by_name[~y_by_name.index.duplicated()]
    shared = y_by_name.reindex(pd.Index(cm.row_names.astype(str))).fillna(0.0).to_numpy()
    fpos, bpos = lay.positions("flow"), lay.positions("build")
    d = cm.c[fpos] - cm.A[:, fpos].T @ shared
    bound = candidates["bound"].to_numpy(dtype=float)
    gain = np.minimum(d, 0.0) * bound + cm.c[bpos]
    live = np.ones(len(candidates), dtype=bool) if skip is None else ~np.asarray(skip, dtype=bool)
    good = np.flatnonzero(live & (d < 0) & (gain < -tolerance_cny_per_a))
    picked = candidates.iloc[good].assign(_gain=gain[good])
    picked = (
        picked.sort_values("_gain", kind="stable")
        .groupby("source_id", sort=False)
        .head(max_per_source)
        .drop(columns="_gain")
    )
    best = float(gain[good].min()) if len(good) else 0.0
    total = gain[live & (d < 0) & (gain < 0)].sum() if duals is not None else gain[good].sum()
    return Pricing(int(live.sum()), picked, best, float(total))
