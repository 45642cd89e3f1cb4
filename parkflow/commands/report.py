"""`parkflow report` — not yet implemented."""

from __future__ import annotations

import argparse
import sys

HELP = "report (not yet implemented)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the command's arguments."""


def run(args: argparse.Namespace) -> int:
    """Run the command."""
    print("parkflow report: not implemented yet", file=sys.stderr)
    return 1
