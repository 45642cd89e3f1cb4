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
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Any

__all__ = ["ProgressEvent", "PHASES", "Reporter"]

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
