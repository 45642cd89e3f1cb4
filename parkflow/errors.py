"""Exceptions and warnings raised by parkflow."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One problem found in a scenario: where it is and how to fix it.

    ``row`` counts as a spreadsheet user does: the header is row 1, the first data row is row 2.
    ``row`` and ``column`` are ``None`` when the problem concerns a whole file or table.
    """

    file: str
    message: str
    fix: str = ""
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        """The message as printed: ``file: row ...: message``."""
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column is not None:
            where += f", column '{self.column}'"
        text = f"{where}: {self.message}"
        if self.fix:
            text += f" — fix: {self.fix}"
        return text


class ParkflowError(Exception):
    """Base class of parkflow's errors."""


class ScenarioError(ParkflowError, ValueError):
    """A scenario has one or more problems; ``problems`` lists every one of them."""

    def __init__(self, problems: list[Problem] | Problem | str, source: str | None = None):
        if isinstance(problems, str):
            problems = [Problem(file=source or "scenario", message=problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = list(problems)
        self.source = source
        n = len(self.problems)
        head = f"{source or 'scenario'}: {n} problem{'s' if n != 1 else ''}"
        super().__init__("\n".join([head] + [f"  - {p}" for p in self.problems]))


class InfeasibleError(ParkflowError):
    """The model has no feasible solution (raised by ``Result.raise_for_status``)."""


class SolverUnavailableError(ParkflowError):
    """The requested back-end does not work on this machine."""


class OutputError(ParkflowError):
    """An output cannot be written (it would overwrite an input, or the folder is not usable)."""


class ParkflowWarning(UserWarning):
    """Input that is suspicious but valid."""
