"""`parkflow solvers` — the optimisation back-ends that work on this machine."""

from __future__ import annotations

import argparse

HELP = "list the solver back-ends that work here (highs, scip)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the command's arguments (none)."""


def run(args: argparse.Namespace) -> int:
    """Print one working back-end per line (exit 0; 3 when none works)."""
    from parkflow.solvers.backends import SOLVERS, available_solvers

    works = available_solvers()
    for name in SOLVERS:
        state = "works" if name in works else "not available"
        default = " (default)" if name == "highs" else ""
        print(f"{name}{default}: {state}")
    return 0 if works else 3
