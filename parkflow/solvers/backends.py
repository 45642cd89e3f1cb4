"""Thin adapter: :class:`~parkflow.solvers.formulation.SparseModel` → OR-Tools MathOpt.

The model is written straight into a MathOpt ``ModelProto`` from the CSR arrays (repeated proto
fields filled from numpy arrays — no per-variable or per-term Python call) and handed to the
MathOpt core solver; the primal solution is read back from the result proto as a numpy vector.
Back-ends: ``highs`` (HiGHS, the default) and ``scip`` (GSCIP). CP-SAT is *not* offered: MathOpt's
CP-SAT returns wrong "optimal" answers on models with continuous variables.

Do not import PuLP in a process that uses this module: it loads another HiGHS library globally and
every OR-Tools HiGHS path then crashes.

The solve goes through ``ortools.math_opt.core.python.solver.solve``, a private pybind function
with nine positional arguments: the public ``mathopt.solve`` takes a Python ``Model`` and parses
the result into per-variable dictionaries, far too slow at 100,000 columns. Its signature is
checked by :func:`core_solve_signature_problem` (a test fails naming it when OR-Tools changes
it), and ``ortools`` is pinned in pyproject.toml to the versions tested.

Interrupts: the native solve runs in a worker thread while the calling (main) thread waits in
short steps, so that a signal handler can run; on :class:`KeyboardInterrupt` (or a SIGTERM
turned into one by :mod:`parkflow.interrupt`) the solve's MathOpt ``SolveInterrupter`` is
triggered and the interrupt is re-raised at once.

Watchdog: HiGHS was seen to run ~380 s past a 120 s limit on a 127,669-link whole model,
deaf to the interrupter too (the limit and the interrupter are checked by HiGHS's MIP loop and
simplex, not inside every presolve/probing pass). So when a solve is still running at 105 % of its
limit + :data:`WATCHDOG_GRACE_S`, the interrupter is triggered; if the thread has not returned
after another grace period it is abandoned (a daemon thread) and :func:`solve_model` returns the
start it was given as ``feasible`` (``limit="time"``, no bound), so a time limit always holds.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from parkflow import interrupt
from parkflow.errors import SolverUnavailableError
from parkflow.models.enums import DEFAULT_SOLVER, MATHOPT_LIMITS, SolverName, Termination
from parkflow.solvers.formulation import SparseModel

if TYPE_CHECKING:
    from ortools.math_opt import model_pb2, result_pb2
    from ortools.math_opt.python.parameters import SolveParameters

__all__ = [
    "TimeBudget",
    "SOLVERS",
    "BackendResult",
    "available_solvers",
    "check_solver",
    "solve_model",
    "solve_parameters",
    "is_feasible",
    "to_proto",
    "core_solve_signature_problem",
    "CORE_SOLVE_PARAMETERS",
]

#: Our solver names → MathOpt SolverType member names (from :class:`SolverName`).
SOLVERS: dict[str, str] = {m.value: m.mathopt for m in SolverName}
_ALIASES = {"gscip": "scip", "HiGHS": "highs", "SCIP": "scip"}


@dataclass
class BackendResult:
    """What a back-end returns: status, values, bounds, time.

    ``status`` is ``optimal`` | ``feasible`` (a limit stopped it with a solution) | ``infeasible``
    | ``unbounded`` | ``no_solution`` (a limit stopped it without one) | ``error``. ``limit`` is
    the limit that stopped the solver (``time``, ``node``, ``memory``..., "" when none did).
    """

    status: str
    x: np.ndarray | None
    objective: float
    bound: float
    gap: float
    time_s: float
    termination: str
    solver: str
    limit: str = ""


def canonical_name(name: str | None) -> str:
    """Normalise a solver name (``None`` → ``highs``)."""
    if not name:
        return DEFAULT_SOLVER
    name = str(name).strip()
    return _ALIASES.get(name, name.lower())


def to_proto(model: SparseModel) -> model_pb2.ModelProto:
    """The MathOpt ``ModelProto`` of a sparse model (vectorised field filling)."""
    from ortools.math_opt import model_pb2

    proto = model_pb2.ModelProto(name="parkflow")
    n = model.n_variables
    m = model.n_constraints
    v = proto.variables
    v.ids.extend(range(n))
    v.lower_bounds.extend(model.col_lower.tolist())
    v.upper_bounds.extend(model.col_upper.tolist())
    v.integers.extend(model.integer.tolist())
    v.names.extend(model.col_names.tolist())
    c = proto.linear_constraints
    c.ids.extend(range(m))
    c.lower_bounds.extend(model.row_lower.tolist())
    c.upper_bounds.extend(model.row_upper.tolist())
    c.names.extend(model.row_names.tolist())
    A = model.A.tocoo()  # from a CSR with sorted indices: row-major order, as MathOpt needs
    mat = proto.linear_constraint_matrix
    mat.row_ids.extend(A.row.tolist())
    mat.column_ids.extend(A.col.tolist())
    mat.coefficients.extend(A.data.tolist())
    obj = proto.objective
    obj.maximize = bool(model.maximise)
    obj.offset = float(model.offset)
    nz = np.flatnonzero(model.c)
    obj.linear_coefficients.ids.extend(nz.tolist())
    obj.linear_coefficients.values.extend(model.c[nz].tolist())
    return proto


def solve_parameters(time_limit_s: float | None, gap: float | None) -> SolveParameters:
    """MathOpt ``SolveParameters`` for a wall-clock limit (s) and a relative MIP gap.

    The gap goes into ``relative_gap_tolerance`` (HiGHS ``mip_rel_gap``, SCIP ``limits/gap``);
    ``absolute_gap_tolerance`` is set to 1e-6 CNY so that only the relative gap decides. Output is
    shown when ``PARKFLOW_SOLVER_LOG`` is set (see :func:`_quiet_stdout`).

    >>> p = solve_parameters(5, 0.01)
    >>> p.relative_gap_tolerance, p.time_limit.total_seconds()
    (0.01, 5.0)
    """
    from ortools.math_opt.python import parameters

    show = os.environ.get("PARKFLOW_SOLVER_LOG", "") not in ("", "0")
    params = parameters.SolveParameters(enable_output=show, random_seed=1)
    if time_limit_s is not None and np.isfinite(time_limit_s):
        params.time_limit = timedelta(seconds=max(0.01, float(time_limit_s)))
    if gap is not None:
        params.relative_gap_tolerance = max(0.0, float(gap))
        params.absolute_gap_tolerance = 1e-6
    return params


def is_feasible(model: SparseModel, x: np.ndarray, tol: float = 1e-6) -> bool:
    """True when ``x`` meets every bound, row and integrality of ``model`` (relative ``tol``).

    >>> import scipy.sparse as sp
    >>> m = SparseModel(A=sp.csr_matrix(np.array([[1.0, 1.0]])), row_names=np.array(["r"]),
    ...     row_lower=np.array([-np.inf]), row_upper=np.array([1.5]),
    ...     col_names=np.array(["x", "y"]), col_lower=np.zeros(2), col_upper=np.array([1.0, 9]),
    ...     integer=np.array([True, False]), c=np.zeros(2))
    >>> is_feasible(m, np.array([1.0, 0.5])), is_feasible(m, np.array([0.5, 0.0]))
    (True, False)
    """
    x = np.asarray(x, dtype=float)
    if x.shape != (model.n_variables,) or not np.all(np.isfinite(x)):
        return False
    scale = tol * (1.0 + np.abs(x))
    if np.any(x < model.col_lower - scale) or np.any(x > model.col_upper + scale):
        return False
    xi = x[model.integer]
    if np.any(np.abs(xi - np.rint(xi)) > tol):
        return False
    ax = model.A @ x
    rtol = tol * (1.0 + np.abs(ax))
    return bool(np.all(ax >= model.row_lower - rtol) and np.all(ax <= model.row_upper + rtol))


#: The parameters of ``ortools.math_opt.core.python.solver.solve``, in order, as this module
#: passes them (checked by :func:`core_solve_signature_problem`).
CORE_SOLVE_PARAMETERS = (
    "model",
    "solver_type",
    "solver_initializer",
    "parameters",
    "model_parameters",
    "message_callback",
    "callback_registration",
    "user_cb",
    "interrupter",
)


def core_solve_signature_problem() -> str:
    """Say what changed in the private MathOpt call this module makes; "" when nothing did.

    Otherwise a sentence naming the function, what was expected and what was found (the
    pybind docstring's parameter names).

    >>> core_solve_signature_problem()
    ''
    """
    import re

    from ortools.math_opt.core.python import solver as core_solver

    name = "ortools.math_opt.core.python.solver.solve"
    doc = (getattr(core_solver, "solve", None).__doc__ or "").strip()
    m = re.match(r"solve\((.*)\)\s*->", doc.splitlines()[0] if doc else "")
    if not m:
        return f"{name}: its signature could not be read (docstring {doc[:80]!r})"
    found = tuple(p.split(":")[0].strip() for p in re.split(r",\s*(?=\w+: )", m.group(1)))
    if found != CORE_SOLVE_PARAMETERS:
        expected = ", ".join(CORE_SOLVE_PARAMETERS)
        return (
            f"{name} changed: parkflow.solvers.backends passes {expected}"
            f" but OR-Tools now takes {', '.join(found)}; adapt _solve_proto"
        )
    return ""


#: Seconds the watchdog of :func:`_solve_proto` waits past 105 % of a solve's time limit before
#: it interrupts the solver, and again before it abandons the solve thread.
WATCHDOG_GRACE_S = 1.0


class TimeBudget:
    """The wall-clock budget of a solve: what is left, and what one solver call may be given.

    Parameters
    ----------
    limit_s : float or None
        The limit (s); ``None``: no limit (every method returns ``None``).
    share : float
        The budget ends at ``share`` × ``limit_s`` after the start, minus ``reserve_s`` (time kept
        for the steps after the last solver call: writing the result, closing a pool).
    reserve_s : float
    clock : callable
        Seconds (default :func:`time.perf_counter`; a test passes a fake clock).
    start : float, optional
        The start on that clock (default: now).

    Examples
    --------
    >>> now = [0.0]
    >>> b = TimeBudget(100.0, share=0.95, clock=lambda: now[0])
    >>> b.left()
    95.0
    >>> now[0] = 50.0
    >>> round(b.for_call(1 / 3), 3), round(b.for_call(), 3)  # 45 s left: 15; (45 - 2) / 1.05
    (15.0, 40.952)
    """

    def __init__(
        self,
        limit_s: float | None,
        share: float = 1.0,
        reserve_s: float = 0.0,
        clock: Callable[[], float] = time.perf_counter,
        start: float | None = None,
    ):
        self.clock = clock
        self.t0 = clock() if start is None else float(start)
        self.limit_s = limit_s
        self._end = None if limit_s is None else self.t0 + share * limit_s
        self.deadline = None if self._end is None else self._end - reserve_s

    def keep(self, reserve_s: float) -> None:
        """Keep at least ``reserve_s`` at the end (the deadline only moves earlier)."""
        if self._end is not None and self.deadline is not None:
            self.deadline = min(self.deadline, self._end - max(0.0, reserve_s))

    def left(self) -> float | None:
        """Seconds to the end of the budget (at least 0.05)."""
        if self.deadline is None:
            return None
        return max(0.05, self.deadline - self.clock())

    def expired(self, margin_s: float = 0.0) -> bool:
        """Whether the budget is used up (``margin_s`` before its end)."""
        return self.deadline is not None and self.clock() >= self.deadline - margin_s

    def for_call(self, fraction: float = 1.0) -> float | None:
        """The time limit for one solver call: ``fraction`` of what is left, at most.

        Also at most (what is left − 2 × :data:`WATCHDOG_GRACE_S`) / 1.05, so that a call that
        overruns its limit as far as the watchdog of :func:`solve_model` lets it (5 %, then
        its grace, then as long again for the interrupter) still ends within the budget.
        """
        rest = self.left()
        if rest is None:
            return None
        return max(0.05, min(fraction * rest, (rest - 2 * WATCHDOG_GRACE_S) / 1.05))


class SolverOverrunError(RuntimeError):
    """The native solver kept running past its time limit and the interrupter (watchdog)."""


#: Back-ends given the MathOpt interrupter: GSCIP with one prints "SCIPcatchEvent does not support
#: variable or row change events" on stderr (ortools 9.15); it is stopped by the process exit.
_INTERRUPTIBLE = frozenset({SolverName.HIGHS.value})


def _solve_proto(
    proto: model_pb2.ModelProto,
    solver: str,
    time_limit_s: float | None,
    gap: float | None,
    start: np.ndarray | None = None,
    log: Callable[[str], None] | None = None,
) -> result_pb2.SolveResultProto:
    """Run the native solve in a worker thread; the caller's thread waits, interruptible.

    ``log`` gets each line the solver logs, in the worker thread (MathOpt's message callback).
    """
    from ortools.math_opt import model_parameters_pb2
    from ortools.math_opt.core.python import solver as core_solver
    from ortools.math_opt.python import (
        callback,
        init_arguments,
        parameters,
    )
    from ortools.util.python import solve_interrupter

    params = solve_parameters(time_limit_s, gap)
    solver_type = getattr(parameters.SolverType, SOLVERS[solver])
    model_params = model_parameters_pb2.ModelSolveParametersProto()
    if start is not None:
        hint = model_params.solution_hints.add()
        hint.variable_values.ids.extend(range(len(start)))
        hint.variable_values.values.extend(np.asarray(start, dtype=float).tolist())
    stopper = solve_interrupter.SolveInterrupter()
    box: dict[str, object] = {}

    def lines(batch: list[str]) -> None:
        for line in batch:
            with contextlib.suppress(Exception):  # a display must never stop the solver
                log(line)  # type: ignore[misc]

    def work() -> None:
        try:
            box["result"] = core_solver.solve(
                proto,
                solver_type.value,
                init_arguments.StreamableSolverInitArguments().to_proto(),
                params.to_proto(),
                model_params,
                lines if log is not None else None,
                callback.CallbackRegistration().to_proto(),
                None,
                stopper.pybind_interrupter if solver in _INTERRUPTIBLE else None,
            )
        except BaseException as exc:  # noqa: BLE001 - handed to the waiting thread
            box["error"] = exc

    worker = threading.Thread(target=work, name="parkflow-solve", daemon=True)
    hard = None
    if time_limit_s is not None and np.isfinite(time_limit_s):
        hard = time.perf_counter() + 1.05 * float(time_limit_s) + WATCHDOG_GRACE_S
    with interrupt.on_interrupt(stopper.interrupt):
        worker.start()
        try:
            while worker.is_alive():
                worker.join(0.05)
                if hard is not None and time.perf_counter() > hard and worker.is_alive():
                    # the solver overran its own time limit (seen with HiGHS on 127,669
                    # links): interrupt it, and if it does not stop, leave it behind
                    stopper.interrupt()
                    worker.join(WATCHDOG_GRACE_S)
                    if worker.is_alive():
                        msg = (
                            f"the solver ignored its {time_limit_s:.3g} s time limit and the "
                            "interrupter; its answer was abandoned"
                        )
                        raise SolverOverrunError(msg)
        except KeyboardInterrupt:
            stopper.interrupt()
            worker.join(0.2)
            raise
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box["result"]  # type: ignore[return-value]


@contextlib.contextmanager
def _quiet_stdout() -> Iterator[None]:
    """Silence what the native solver prints on file descriptor 1 (keeps --json and tables clean).

    HiGHS writes debug lines straight to fd 1. Set ``PARKFLOW_SOLVER_LOG=1`` to see them on stderr.
    """
    try:
        sys.stdout.flush()
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):
        yield
        return
    show = os.environ.get("PARKFLOW_SOLVER_LOG", "") not in ("", "0")
    target = sys.stderr.fileno() if show and _has_fileno(sys.stderr) else None
    devnull = None
    if target is None:
        devnull = target = os.open(os.devnull, os.O_WRONLY)
    saved = os.dup(fd)
    try:
        os.dup2(target, fd)
        yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, fd)
        os.close(saved)
        if devnull is not None:
            os.close(devnull)


def _has_fileno(stream: object) -> bool:
    try:
        stream.fileno()  # type: ignore[attr-defined]
    except (AttributeError, OSError, ValueError):
        return False
    return True


@lru_cache(maxsize=1)
def available_solvers() -> list[str]:
    """Back-ends that solve a tiny MILP correctly here (``highs``, ``scip``).

    >>> "highs" in available_solvers()
    True
    """
    import scipy.sparse as sp

    tiny = SparseModel(
        A=sp.csr_matrix(np.array([[1.0, 1.0]])),
        row_names=np.array(["r"], dtype=object),
        row_lower=np.array([-np.inf]),
        row_upper=np.array([1.5]),
        col_names=np.array(["x", "y"], dtype=object),
        col_lower=np.zeros(2),
        col_upper=np.array([1.0, np.inf]),
        integer=np.array([True, False]),
        c=np.array([2.0, 1.0]),
        maximise=True,
    )
    works = []
    for name in SOLVERS:
        try:
            res = solve_model(tiny, name, time_limit_s=10, gap=0.0, check=False)
        except Exception:  # noqa: BLE001 - any failure means "does not work here"
            continue
        if res.status == "optimal" and abs(res.objective - 2.5) < 1e-6:
            works.append(name)
    return works


def check_solver(name: str | None) -> str:
    """Return the canonical name of a working back-end, else raise SolverUnavailableError."""
    name = canonical_name(name)
    works = available_solvers()
    if name not in works:
        known = ", ".join(works) or "none"
        extra = (
            " (CP-SAT is not offered: it returns wrong optima on this model)"
            if name in ("cpsat", "cp-sat", "cp_sat")
            else ""
        )
        msg = f"solver {name!r} is not available{extra}; solvers that work here: {known}"
        raise SolverUnavailableError(msg)
    return name


def solve_model(
    model: SparseModel,
    solver: str | None = DEFAULT_SOLVER,
    time_limit_s: float | None = None,
    gap: float | None = None,
    check: bool = True,
    start: np.ndarray | None = None,
    log: Callable[[str], None] | None = None,
) -> BackendResult:
    """Solve a sparse model with MathOpt.

    Parameters
    ----------
    model : SparseModel
    solver : {"highs", "scip"}
    time_limit_s : float, optional
        Wall-clock limit (s) for the whole call (converting the model counts against it); at the
        limit the best solution found is returned as ``feasible``.
    gap : float, optional
        Relative MIP gap at which to stop.
    check : bool
        Check first that the back-end works (raises :class:`SolverUnavailableError`).
    start : ndarray, optional
        A known solution (one value per column). When it is feasible it is passed to the solver
        as a hint, and if a limit stops the solver before it finds anything better this start
        comes back as the ``feasible`` answer, with the gap to the solver's bound.
    log : callable, optional
        Called with each line the solver logs while it runs (from the solve thread); errors
        it raises are ignored. :func:`parkflow.solvers.progress.parse_highs_line` reads
        HiGHS's progress rows.

    Returns
    -------
    BackendResult
    """
    name = check_solver(solver) if check else canonical_name(solver)
    t0 = time.perf_counter()
    proto = to_proto(model)
    if start is not None and not is_feasible(model, start):
        start = None
    if time_limit_s is not None and np.isfinite(time_limit_s):
        # the limit is for the whole call: handing the model over counts against it
        time_limit_s = max(0.05, float(time_limit_s) - (time.perf_counter() - t0))
    try:
        with _quiet_stdout():
            res = _solve_proto(proto, name, time_limit_s, gap, start, log)
    except SolverOverrunError as exc:
        elapsed = time.perf_counter() - t0
        if start is not None:  # the start is the best known solution
            known_x = np.asarray(start, dtype=float).copy()
            obj = float(model.c @ known_x + model.offset)
            return BackendResult(
                "feasible",
                known_x,
                obj,
                float("nan"),
                float("nan"),
                elapsed,
                "feasible",
                name,
                "time",
            )
        return BackendResult(
            "no_solution",
            None,
            float("nan"),
            float("nan"),
            float("nan"),
            elapsed,
            f"no_solution_found: {exc}",
            name,
            "time",
        )
    except Exception as exc:  # noqa: BLE001 - solver failures become an error status
        return BackendResult(
            "error",
            None,
            float("nan"),
            float("nan"),
            float("nan"),
            time.perf_counter() - t0,
            f"error: {exc}",
            name,
        )
    elapsed = time.perf_counter() - t0
    reason = int(res.termination.reason)
    known = Termination.from_mathopt(reason)
    term = known.value if known is not None else str(reason)
    limit = (
        MATHOPT_LIMITS.get(int(res.termination.limit), "other")
        if term in (Termination.FEASIBLE, Termination.NO_SOLUTION_FOUND)
        else ""
    )
    x: np.ndarray | None = None
    if len(res.solutions) and res.solutions[0].HasField("primal_solution"):
        ps = res.solutions[0].primal_solution
        if int(ps.feasibility_status) == 2:  # SOLUTION_STATUS_FEASIBLE
            x = np.zeros(model.n_variables)
            ids = np.asarray(ps.variable_values.ids, dtype=np.int64)
            x[ids] = np.asarray(ps.variable_values.values, dtype=float)
    if x is None and start is not None and term in ("feasible", "no_solution_found"):
        x = np.asarray(start, dtype=float).copy()  # stopped by a limit: the start is the best known
    bounds = res.termination.objective_bounds
    primal = float(bounds.primal_bound)
    dual = float(bounds.dual_bound)
    obj = float(model.c @ x + model.offset) if x is not None else float("nan")
    denom = max(abs(obj), 1e-9) if np.isfinite(obj) else float("nan")
    best = obj if np.isfinite(obj) else primal
    g = abs(best - dual) / denom if np.isfinite(best) and np.isfinite(dual) else float("nan")
    if term == "optimal":
        status = "optimal"
        g = 0.0 if not np.isfinite(g) else g
    elif term in ("infeasible",):
        status = "infeasible"
    elif term == "unbounded":
        status = "unbounded"
    elif term == "infeasible_or_unbounded":
        status = "infeasible"
    elif x is not None:
        status = "feasible"
    elif term == "no_solution_found":
        status = "no_solution"
    else:
        status = "error"
    return BackendResult(status, x, obj, dual, g, elapsed, term, name, limit)
