"""Progress events of a solve: a text message that also carries the numbers.

:func:`parkflow.solve` calls its ``progress`` callback with :class:`ProgressEvent` values. An
event *is* a ``str`` (the short message callers printed before, e.g. the web app), and also has
the structured fields ``phase``, ``incumbent``, ``bound``, ``gap``, ``elapsed_s`` (and
``iteration``, ``multiplier`` for a decomposed solve), so a display can show them
(docs/performance.md, "Progress").

Phases, in the order they arrive: ``network`` (candidate links), ``strategy`` (the chosen
way to solve), ``reduce``, ``build``,
``start`` (the no-action / heuristic start), ``solve`` (one whole-model MILP) or ``iterate``
(one multiplier of a decomposed solve; repeated), ``price`` (pricing the candidates the
candidate bound left out, and the re-solves it asks for), ``baseline``, ``done``.

A whole-model solve reports live (``solve`` events while HiGHS runs): MathOpt's HiGHS back-end
raises no MIP callback events (ortools 9.15: a registered ``Event.MIP`` callback is never
called), but it hands every HiGHS log line to a message callback. :func:`parse_highs_line`
reads HiGHS's MIP progress table (``BestBound``, ``BestSol``, ``Gap`` columns) from those lines
(docs/performance.md, "Progress").
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Callable
from typing import Any, NamedTuple

__all__ = ["ProgressEvent", "PHASES", "Reporter", "MipLogLine", "parse_highs_line"]

#: The phases in the order a solve goes through them (``iterate`` repeats).
PHASES = (
    "network",
    "strategy",
    "reduce",
    "build",
    "start",
    "solve",
    "iterate",
    "price",
    "baseline",
    "done",
)


class ProgressEvent(str):
    """A progress message (``str``) with structured fields.

    Parameters
    ----------
    text : str
        The human-readable message.
    phase : str
        One of :data:`PHASES`.
    incumbent, bound, gap : float
        Best feasible objective so far (CNY/a, incl. target penalty), proven lower bound, and
        relative gap; NaN when not known yet.
    elapsed_s : float
        Seconds since the solve started.
    iteration : int
        Multiplier iteration of a decomposed solve (0 otherwise).
    multiplier : float
        Its multiplier (CNY/t), NaN otherwise.

    Examples
    --------
    >>> e = ProgressEvent("multiplier 0", phase="iterate", iteration=1)
    >>> e, e.phase, f"solve: {e}"
    ('multiplier 0', 'iterate', 'solve: multiplier 0')
    """

    phase: str
    incumbent: float
    bound: float
    gap: float
    elapsed_s: float
    iteration: int
    multiplier: float

    def __new__(
        cls,
        text: str,
        phase: str = "solve",
        incumbent: float = math.nan,
        bound: float = math.nan,
        gap: float = math.nan,
        elapsed_s: float = 0.0,
        iteration: int = 0,
        multiplier: float = math.nan,
    ) -> ProgressEvent:
        """The text as a ``str``, with the fields as attributes (floats as ``float``)."""
        self = super().__new__(cls, text)
        self.phase = phase
        self.incumbent = float(incumbent)
        self.bound = float(bound)
        self.gap = float(gap)
        self.elapsed_s = float(elapsed_s)
        self.iteration = int(iteration)
        self.multiplier = float(multiplier)
        return self

    def as_dict(self) -> dict[str, Any]:
        """The event as a JSON-friendly dict (NaN → None)."""

        def num(v: float) -> float | None:
            return None if not math.isfinite(v) else v

        return {
            "text": str(self),
            "phase": self.phase,
            "incumbent": num(self.incumbent),
            "bound": num(self.bound),
            "gap": num(self.gap),
            "elapsed_s": self.elapsed_s,
            "iteration": self.iteration,
            "multiplier": num(self.multiplier),
        }


class Reporter:
    """Send :class:`ProgressEvent` values to a callback (or nowhere), timing from creation.

    Parameters
    ----------
    callback : callable or None
        Called with each event; ``None`` drops them.
    t0 : float, optional
        ``time.perf_counter()`` at the start of the solve.
    """

    def __init__(self, callback: Callable[[str], None] | None, t0: float | None = None):
        self.callback = callback
        self.t0 = time.perf_counter() if t0 is None else t0
        if isinstance(callback, Reporter):  # nested: one clock for the whole solve
            self.t0 = callback.t0

    def __call__(self, text: str, phase: str = "solve", **fields: Any) -> None:
        """Send ``text`` as a :class:`ProgressEvent` timed from ``t0`` (an event as it is)."""
        if self.callback is None:
            return
        if isinstance(text, ProgressEvent):
            self.callback(text)
            return
        self.callback(
            ProgressEvent(text, phase=phase, elapsed_s=time.perf_counter() - self.t0, **fields)
        )


class MipLogLine(NamedTuple):
    """One row of HiGHS's MIP progress table (objective values in the model's own sense)."""

    nodes: int
    bound: float
    incumbent: float
    gap: float
    time_s: float


_COUNT = r"\d+[km]?"  # HiGHS prints large counts as 1234k or 12m
_VALUE = r"-?(?:inf|\d+(?:\.\d*)?(?:e[-+]?\d+)?)\*?"
_HIGHS_ROW = re.compile(
    rf"""^\s*(?:[A-Za-z]\s+)?(?P<nodes>{_COUNT})\s+{_COUNT}\s+{_COUNT}\s+[\d.]+%\s+
    (?P<bound>{_VALUE})\s+(?P<sol>{_VALUE})\s+(?P<gap>Large|inf|[\d.]+%?)\s+
    \d+\s+\d+\s+\d+\s+{_COUNT}(?:\s+(?P<time>[\d.]+)s)?\s*$""",
    re.IGNORECASE | re.VERBOSE,
)


def _count(text: str) -> int:
    scale = {"k": 1000, "m": 1_000_000}.get(text[-1:].lower(), 1)
    return int(text.rstrip("kmKM")) * scale


def _value(text: str) -> float:
    v = float(text.rstrip("*"))
    return v if math.isfinite(v) else math.nan


def parse_highs_line(line: str) -> MipLogLine | None:
    """Read one row of HiGHS's MIP progress table; None for any other log line.

    Infinite bounds and a missing incumbent are NaN. The gap is HiGHS's own (``6.85%`` →
    0.0685); ``Large`` (≥ 9999 %) is worked out from the bound and incumbent when both are
    known, NaN otherwise.

    Examples
    --------
    >>> r = parse_highs_line(" L       0       0         0   0.00%   253.2338976     237"
    ...                      "                6.85%      619     14      4        95     0.1s")
    >>> r.nodes, r.bound, r.incumbent, round(r.gap, 6), r.time_s
    (0, 253.2338976, 237.0, 0.0685, 0.1)
    >>> parse_highs_line(" z  0  0  0   0.00%   inf   -0   Large   0  0  0  0   0.0s").gap
    nan
    >>> parse_highs_line("Presolving model") is None
    True
    """
    m = _HIGHS_ROW.match(line)
    if m is None:
        return None
    bound, incumbent = _value(m["bound"]), _value(m["sol"])
    word = m["gap"]
    if word.endswith("%"):
        gap = float(word[:-1]) / 100.0
    elif math.isfinite(bound) and math.isfinite(incumbent):
        gap = abs(incumbent - bound) / max(abs(incumbent), 1e-9)
    else:
        gap = math.nan
    return MipLogLine(
        nodes=_count(m["nodes"]),
        bound=bound,
        incumbent=incumbent,
        gap=gap,
        time_s=float(m["time"]) if m["time"] else math.nan,
    )
