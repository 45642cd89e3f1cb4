"""`parkflow serve [SCENARIO]` — the local web app (edit, solve, compare in the browser)."""

from __future__ import annotations

import argparse

HELP = (
    "run the local web app: open a scenario or a workbook, edit it, solve, see the map and "
    "the report, compare variants (http://127.0.0.1:8765)"
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the command's arguments."""
    from parkflow.webapp.server import DEFAULT_HOST, DEFAULT_PORT

    parser.add_argument(
        "scenario",
        metavar="SCENARIO",
        nargs="?",
        default=None,
        help="opened at start: a bundled scenario's name, a folder, .xlsx or "
        "overlay .yaml (optional)",
    )
    parser.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help=f"TCP port (default {DEFAULT_PORT})"
    )
    parser.add_argument(
        "--host",
        default=DEFAULT_HOST,
        help=f"address to bind (default {DEFAULT_HOST}: this computer only; "
        "another address prints a warning)",
    )
    parser.add_argument(
        "--workspace",
        metavar="DIR",
        default=None,
        help="the only folder the app writes into (default: ./parkflow-workspace)",
    )
    parser.add_argument(
        "--max-upload-mb",
        type=float,
        default=20.0,
        metavar="MB",
        help="largest workbook accepted by the upload (default 20)",
    )


def run(args: argparse.Namespace) -> int:
    """Serve until Ctrl-C (exit 0)."""
    from parkflow.webapp.server import serve

    serve(
        args.scenario,
        host=args.host,
        port=args.port,
        workspace=args.workspace,
        max_upload_mb=args.max_upload_mb,
    )
    return 0
