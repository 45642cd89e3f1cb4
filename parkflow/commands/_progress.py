"""A live progress line for long solves on a terminal (phase, incumbent, bound, gap, elapsed).

Fed by the :class:`~parkflow.solvers.progress.ProgressEvent` values that
:func:`parkflow.solvers.api.solve_with_strategy` sends to its ``progress`` callback. Quiet (a
no-op callback) under ``--json`` or when stdout is not a terminal, so piped output stays clean.
"""

from __future__ import annotations

import contextlib
import math
import sys
from collections.abc import Callable, Iterator


def _money(v: float) -> str:
    return "—" if not math.isfinite(v) else f"{v:,.0f}"


def describe(event: str) -> str:
    """One line for an event: its text, then incumbent, bound and gap when known.

    >>> from parkflow.solvers.progress import ProgressEvent
    >>> describe(ProgressEvent("multiplier 3", phase="iterate", incumbent=-10.0, bound=-12.0,
    ...                        gap=0.2, elapsed_s=5.0))
    '[5s] iterate: multiplier 3 · incumbent -10 CNY/a · bound -12 · gap 20.00%'
    """
    phase = getattr(event, "phase", "")
    parts = [f"[{getattr(event, 'elapsed_s', 0.0):.0f}s] {phase + ': ' if phase else ''}{event}"]
    inc = getattr(event, "incumbent", math.nan)
    if math.isfinite(inc):
        parts.append(f"incumbent {_money(inc)} CNY/a")
    bound = getattr(event, "bound", math.nan)
    if math.isfinite(bound):
        parts.append(f"bound {_money(bound)}")
    gap = getattr(event, "gap", math.nan)
    if math.isfinite(gap):
        parts.append(f"gap {gap:.2%}")
    return " · ".join(parts)


@contextlib.contextmanager
def solve_progress(enabled: bool = True) -> Iterator[Callable[[str], None]]:
    """Yield a ``progress`` callback that shows a rich status line while the block runs.

    Parameters
    ----------
    enabled : bool
        False (``--json``) gives a silent callback; so does a stdout that is not a terminal.
    """
    if not enabled or not sys.stdout.isatty():
        yield lambda event: None
        return
    from rich.console import Console

    console = Console()
    with console.status("starting", spinner="dots") as status:

        def show(event: str) -> None:
            status.update(describe(event))

        yield show
