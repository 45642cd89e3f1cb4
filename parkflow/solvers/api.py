"""``solve(scenario)``: choose how to solve (``--strategy``), solve, add the baseline.

The only module that knows both ways of solving. :func:`solve` (also ``parkflow.solve``) and
:func:`solve_with_strategy` build the candidate network once, then

* ``full`` — solves it whole with :func:`parkflow.solvers.full.solve_network`;
* ``decompose`` — :func:`parkflow.solvers.decompose.solve_decomposed` (reduction, independent
  blocks, Lagrangian relaxation of the target) with the *exact* reduction rules only
  (``cover=None``): the heuristic ``k_cheapest`` rule lost 2.9 % of the objective on a
  5,000-plant scenario (docs/performance.md), so the gap reported is proven against the whole
  candidate network;
* ``auto`` — ``decompose`` when the model is large (more than :data:`DECOMPOSE_MIN_LINKS`
  candidate links), the objective is ``cost`` and there are at most
  :data:`DECOMPOSE_MAX_TARGET_ROWS` target entries (one Lagrange multiplier each, so
  ``each_park`` targets and several targets decompose too); ``full`` otherwise, and always
  ``full`` for a scenario with candidate facilities or periods (docs/performance.md,
  "Strategy choice").

Both give the same :class:`~parkflow.models.result.Result`; its ``baseline`` (the report's
before) is today's practice, evaluated from the existing links' ``baseline_quantity``, or for a
version-1 scenario without that column the least-cost solve on the existing links, solved whole
(it is small; :func:`parkflow.solvers.full.solve_baseline`, docs/model.md "The before").
``result.solver["strategy"]`` records the path taken. The default strategy of :func:`solve` is
the CLI's (``auto``, :data:`~parkflow.models.enums.DEFAULT_STRATEGY`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from parkflow.models.enums import DEFAULT_STRATEGY, STRATEGIES, Objective, Strategy
from parkflow.models.result import Result
from parkflow.models.scenario import Scenario, Target
from parkflow.network import candidate_links, max_candidates
from parkflow.solvers.decompose import solve_decomposed
from parkflow.solvers.full import resolve_options, solve_baseline, solve_network
from parkflow.solvers.periods import scenario_years
from parkflow.solvers.progress import Reporter

__all__ = [
    "solve",
    "solve_with_strategy",
    "choose_strategy",
    "STRATEGIES",
    "DECOMPOSE_MIN_LINKS",
    "DECOMPOSE_MAX_TARGET_ROWS",
]

#: ``auto`` decomposes above this many candidate links.
DECOMPOSE_MIN_LINKS = 20_000

#: ``auto`` decomposes with at most this many target entries (multipliers).
DECOMPOSE_MAX_TARGET_ROWS = 200


def choose_strategy(
    n_links: int, objective: str, n_target_entries: int, strategy: str = "auto"
) -> str:
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
    >>> choose_strategy(50_000, "cost", 40)  # an each_park target over 40 parks
    'decompose'
    """
    if strategy not in STRATEGIES:
        msg = f"unknown strategy {strategy!r}; use one of {', '.join(STRATEGIES)}"
        raise ValueError(msg)
    if strategy != Strategy.AUTO:
        return Strategy(strategy).value
    if (
        n_links > DECOMPOSE_MIN_LINKS
        and objective == Objective.COST
        and n_target_entries <= DECOMPOSE_MAX_TARGET_ROWS
    ):
        return Strategy.DECOMPOSE.value
    return Strategy.FULL.value


def solve_with_strategy(
    scenario: Scenario,
    strategy: str = DEFAULT_STRATEGY,
    objective: str | None = None,
    solver: str | None = None,
    time_limit_s: float | None = None,
    gap: float | None = None,
    targets: Sequence[Target] | None = None,
    baseline: bool = True,
    jobs: int = 2,
    progress: Callable[[str], None] | None = None,
    scheduler: str | None = None,
) -> Result:
    """Optimise a scenario the ``full`` or ``decompose`` way (module docstring).

    Parameters
    ----------
    scenario : Scenario
    strategy : {"auto", "full", "decompose"}
    objective, solver, time_limit_s, gap, targets
        As :func:`solve` (default: the scenario's settings).
    baseline : bool
        Also compute today's practice (the before) into ``result.baseline``.
    jobs : int
        Blocks solved in parallel by the decomposed path.
    progress : callable, optional
        Called at each stage and multiplier iteration with a
        :class:`~parkflow.solvers.progress.ProgressEvent` (a ``str`` message with ``phase``,
        ``incumbent``, ``bound``, ``gap``, ``elapsed_s`` fields).
    scheduler : str, optional
        A Dask scheduler address: the decomposed path solves its blocks on that cluster.

    Returns
    -------
    Result
        ``solver["strategy"]`` is ``full`` or ``decompose``; ``solver["network_s"]`` the time
        to build the candidate network (s).
    """
    t_start = time.perf_counter()
    say = Reporter(progress, t_start)
    objective, solver_name, limit, gap, tg, min_flow = resolve_options(
        scenario, objective, solver, time_limit_s, gap, targets
    )

    def left(share: float = 1.0) -> float | None:
        """What is left of the limit (s) for the next step, at least 5 % of the limit."""
        if limit is None:
            return None
        rest = float(limit) - (time.perf_counter() - t_start)
        return max(0.05 * float(limit), share * rest)

    say("building the candidate network", "network")
    t0 = time.perf_counter()
    network = candidate_links(scenario)
    net_s = time.perf_counter() - t0
    n_parks = len(scenario.parks) if scenario.parks is not None else 1
    n_entries = sum(n_parks if t.scope == "each_park" else 1 for t in tg)
    chosen = choose_strategy(len(network.links), objective, n_entries, strategy)
    if strategy == Strategy.AUTO and (len(network.facilities) or scenario_years(scenario)):
        # facilities: the blocks handle them, but their market rows often couple blocks and
        # the greedy start knows no facility; periods: decompose.py solves one year
        chosen = Strategy.FULL.value
    if scenario_years(scenario) and chosen == Strategy.DECOMPOSE.value:
        from parkflow.errors import Problem, ScenarioError

        raise ScenarioError(
            Problem(
                file="scenario.yaml",
                message="--strategy decompose does not handle periods (a multi-year "
                "scenario): the decomposition does not know the years",
                column="periods",
                fix="use --strategy full or auto (both solve a periods scenario whole)",
            )
        )
    say(
        f"solving ({len(network.links)} candidate links, objective {objective}, {solver_name}, "
        f"{chosen})",
        "strategy",
    )
    # the baseline (existing links only, small) gets what the main solve leaves, at least 5 %
    main_limit = left(0.95 if baseline else 1.0)
    if chosen == "decompose":
        result = solve_decomposed(
            scenario,
            objective=objective,
            solver=solver_name,
            time_limit_s=main_limit,
            gap=gap,
            targets=tg,
            network=network,
            jobs=jobs,
            cover=None,
            progress=say,
            scheduler=scheduler,
        )
    else:
        result = solve_network(
            scenario, network, objective, solver_name, main_limit, gap, tg, min_flow, progress=say
        )
    result.solver["network_s"] = net_s
    result.solver["strategy"] = chosen
    result.solver["time_limit_s"] = limit  # the caller's limit (the solve got what was left)
    bound_k = max_candidates(scenario)
    result.solver["max_candidates_per_supply"] = bound_k
    result.solver.setdefault(  # the decomposed path prices the left-out ones and says so
        "gap_against",
        "all candidates"
        if bound_k is None
        else f"candidates bounded to the {bound_k} nearest per supply (max_candidates_per_supply)",
    )
    if baseline:
        say("evaluating today's practice (the before)", "baseline")
        result.baseline = solve_baseline(scenario, network, solver_name, left(), gap, tg, min_flow)
    result.solver["wall_s"] = time.perf_counter() - t_start
    say(
        f"done: {result.status.value}",
        "done",
        incumbent=(result.objective or {}).get("total_cny_per_a", float("nan"))
        if result.status.has_solution
        else float("nan"),
        gap=result.solver.get("gap", float("nan")),
    )
    return result


def solve(
    scenario: Scenario,
    objective: str | None = None,
    solver: str | None = None,
    time_limit_s: float | None = None,
    gap: float | None = None,
    targets: Sequence[Target] | None = None,
    baseline: bool = True,
    progress: Callable[[str], None] | None = None,
    strategy: str = DEFAULT_STRATEGY,
    jobs: int = 2,
) -> Result:
    """Optimise a scenario: which links to build and how much flows on each.

    Parameters
    ----------
    scenario : Scenario
        A loaded scenario.
    objective : {"cost", "utilisation", "co2"}, optional
        Default: the scenario's ``objective``.
    solver : {"highs", "scip"}, optional
        Default: the scenario's ``solver.name``.
    time_limit_s, gap : float, optional
        Wall-clock limit (s) and relative MIP gap; default: the scenario's settings.
    targets : sequence of Target, optional
        Default: the scenario's targets.
    baseline : bool
        Also compute today's practice (the before) into ``result.baseline``.
    progress : callable, optional
        Called with a :class:`~parkflow.solvers.progress.ProgressEvent` — a ``str`` (the short
        message) with structured fields — at each step (phases in
        :data:`~parkflow.solvers.progress.PHASES` order).
    strategy : {"auto", "full", "decompose"}
        As ``parkflow solve --strategy`` (module docstring); default ``auto``, as the CLI:
        ``full`` (one MILP) except for large cost models with one coupling target.
    jobs : int
        Blocks solved in parallel by the decomposed path.

    Returns
    -------
    Result
        Always a result, also when there is no solution (check ``result.status``);
        ``solver["strategy"]`` says which way it was solved.

    Raises
    ------
    SolverUnavailableError
        When the back-end does not work here.
    ValueError
        For an unknown objective.
    """
    return solve_with_strategy(
        scenario,
        strategy=strategy,
        objective=objective,
        solver=solver,
        time_limit_s=time_limit_s,
        gap=gap,
        targets=targets,
        baseline=baseline,
        jobs=jobs,
        progress=progress,
    )
