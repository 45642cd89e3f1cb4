"""Choosing how to solve: the full MILP or the decomposed fast path (``--strategy``).

:func:`solve_with_strategy` builds the candidate network once, then

* ``full`` — solves it whole with :func:`parkflow.solvers.solve.solve_network`;
* ``decompose`` — :func:`parkflow.solvers.decompose.solve_decomposed` (reduction, independent
  blocks, Lagrangian relaxation of the target) with the *exact* reduction rules only
  (``cover=None``): the heuristic ``k_cheapest`` rule lost 2.9 % of the objective on a
  5,000-plant scenario (docs/performance.md), so the gap reported is proven against the whole
  candidate network;
* ``auto`` — ``decompose`` when the model is large (more than :data:`DECOMPOSE_MIN_LINKS`
  candidate links), the objective is ``cost`` and at most one target entry couples the network
  (one ``all``/``park``/``city`` target; an ``each_park`` target gives one entry per park and
  stays ``full``); ``full`` otherwise.

Both give the same :class:`~parkflow.models.result.Result`; the existing-links-only
``baseline`` is solved whole either way (it is small). ``result.solver["strategy"]`` records the
path taken.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from parkflow.models.result import Result
from parkflow.models.scenario import Scenario, Target
from parkflow.network import candidate_links

__all__ = ["STRATEGIES", "DECOMPOSE_MIN_LINKS", "choose_strategy", "solve_with_strategy"]

STRATEGIES = ("auto", "full", "decompose")
#: ``auto`` decomposes above this many candidate links.
DECOMPOSE_MIN_LINKS = 20_000


def choose_strategy(n_links: int, objective: str, n_target_entries: int,
                    strategy: str = "auto") -> str:
    """``full`` or ``decompose`` for a model of ``n_links`` candidate links.

    Parameters
    ----------
    n_links : int
        Candidate links of the network.
    objective : str
        ``cost``, ``utilisation`` or ``co2``.
    n_target_entries : int
        Target entries after expansion (``each_park`` gives one per park).
    strategy : {"auto", "full", "decompose"}
        A fixed choice is returned as is.

    Returns
    -------
    str

    Examples
    --------
    >>> choose_strategy(50_000, "cost", 1)
    'decompose'
    >>> choose_strategy(50_000, "co2", 1), choose_strategy(500, "cost", 1)
    ('full', 'full')
    """
    if strategy not in STRATEGIES:
        raise ValueError(f"unknown strategy {strategy!r}; use one of {', '.join(STRATEGIES)}")
    if strategy != "auto":
        return strategy
    if n_links > DECOMPOSE_MIN_LINKS and objective == "cost" and n_target_entries <= 1:
        return "decompose"
    return "full"


def solve_with_strategy(scenario: Scenario, strategy: str = "auto", objective: str | None = None,
                        solver: str | None = None, time_limit_s: float | None = None,
                        gap: float | None = None, targets: Sequence[Target] | None = None,
                        baseline: bool = True, jobs: int = 2,
                        progress: Callable[[str], None] | None = None) -> Result:
    """Optimise a scenario the ``full`` or ``decompose`` way (module docstring).

    Parameters
    ----------
    scenario : Scenario
    strategy : {"auto", "full", "decompose"}
    objective, solver, time_limit_s, gap, targets
        As :func:`parkflow.solvers.solve.solve` (default: the scenario's settings).
    baseline : bool
        Also solve the existing-links-only case into ``result.baseline``.
    jobs : int
        Blocks solved in parallel by the decomposed path.
    progress : callable, optional
        Called with a short message at each stage.

    Returns
    -------
    Result
        ``solver["strategy"]`` is ``full`` or ``decompose``; ``solver["network_s"]`` the time
        to build the candidate network (s).
    """
    from parkflow.solvers import solve as solve_mod
    from parkflow.solvers.decompose import solve_decomposed

    say = progress or (lambda message: None)
    objective, solver_name, limit, gap, tg, min_flow = solve_mod.resolve_options(
        scenario, objective, solver, time_limit_s, gap, targets)

    say("building the candidate network")
    t0 = time.perf_counter()
    network = candidate_links(scenario)
    net_s = time.perf_counter() - t0
    n_parks = len(scenario.parks) if scenario.parks is not None else 1
    n_entries = sum(n_parks if t.scope == "each_park" else 1 for t in tg)
    chosen = choose_strategy(len(network.links), objective, n_entries, strategy)
    say(f"solving ({len(network.links)} candidate links, objective {objective}, {solver_name}, "
        f"{chosen})")
    if chosen == "decompose":
        result = solve_decomposed(scenario, objective=objective, solver=solver_name,
                                  time_limit_s=limit, gap=gap, targets=tg, network=network,
                                  jobs=jobs, cover=None, progress=say)
    else:
        result = solve_mod.solve_network(scenario, network, objective, solver_name, limit, gap,
                                         tg, min_flow)
    result.solver["network_s"] = net_s
    result.solver["strategy"] = chosen
    if baseline:
        say("solving the existing-links-only baseline")
        result.baseline = solve_mod.solve_baseline(scenario, network, solver_name, limit, gap, tg,
                                                   min_flow)
    say(f"done: {result.status.value}")
    return result
