"""The ``parkflow`` command line: argument parsing and exit codes, no logic.

Each sub-command lives in ``parkflow/commands/<name>.py`` with ``HELP``, ``add_arguments(parser)``
and ``run(args) -> int``. Exit codes (docs/cli.md): 0 solved or done, 1 a bug in parkflow,
2 bad input or an output that cannot be written, 3 no solution, 130 interrupted.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from parkflow import interrupt
from parkflow.errors import OutputError, ScenarioError, SolverUnavailableError

COMMANDS = (
    "run",
    "validate",
    "template",
    "convert",
    "solve",
    "report",
    "map",
    "compare",
    "pareto",
    "sweep",
    "generate",
    "scenarios",
    "catalogue",
    "solvers",
    "serve",
)

#: Commands that write files: they take ``--force`` (replace an --out folder, or a file,
#: holding what parkflow did not write).
WRITERS = (
    "run",
    "solve",
    "report",
    "map",
    "compare",
    "pareto",
    "sweep",
    "generate",
    "template",
    "convert",
)

EXIT_OK = 0
EXIT_BUG = 1
EXIT_BAD_INPUT = 2
EXIT_NO_SOLUTION = 3
EXIT_INTERRUPTED = 130


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser, one sub-parser per command."""
    from parkflow import __version__

    parser = argparse.ArgumentParser(
        prog="parkflow",
        description="Optimise by-product exchange between the enterprises of an industrial park.",
    )
    parser.add_argument("--version", action="version", version=f"parkflow {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        module = importlib.import_module(f"parkflow.commands.{name}")
        p = sub.add_parser(name, help=module.HELP, description=module.HELP)
        module.add_arguments(p)
        if name in WRITERS:
            p.add_argument(
                "--force",
                action="store_true",
                help="replace the output folder even when it holds files parkflow "
                "did not write (they are deleted)",
            )
        p.set_defaults(_run=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code (tests call this directly)."""
    parser = build_parser()
    try:
        args = parser.parse_args(list(argv) if argv is not None else None)
    except SystemExit as exc:  # argparse: --help (0) or a usage error (2)
        return int(exc.code or 0)
    if not getattr(args, "_run", None):
        parser.print_help()
        return EXIT_BAD_INPUT
    from parkflow.io.atomic import settings

    try:
        with settings(force=getattr(args, "force", False), command=args.command):
            return int(args._run(args))
    except ScenarioError as exc:
        print(f"error: {exc}", file=sys.stderr)
        print("Nothing was written.", file=sys.stderr)
        return EXIT_BAD_INPUT
    except (OutputError, SolverUnavailableError, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:  # SIGINT or SIGTERM (parkflow.interrupt): one line, exit 130
        return interrupt.report()
    except BrokenPipeError:  # e.g. `parkflow solve ... --json | head`
        sys.stderr.close()
        return EXIT_OK
    except OSError as exc:  # reading or writing a file: the path and the cause, one line
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"error: {where}{exc.strerror or exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except Exception as exc:
        if os.environ.get("PARKFLOW_DEBUG"):
            raise
        print(
            f"internal error: {type(exc).__name__}: {exc}\n"
            "This is a bug in parkflow; set PARKFLOW_DEBUG=1 to see the traceback and please "
            "report it.",
            file=sys.stderr,
        )
        return EXIT_BUG


def main_entry() -> None:
    """Console-script entry point: SIGINT/SIGTERM at any moment exit 130 with one line."""
    interrupt.install()
    try:
        code = main()
    except KeyboardInterrupt:  # during imports or parsing, before main's own handler
        interrupt.exit_interrupted()
    if interrupt.requested():  # do not wait for native solver threads at shutdown
        interrupt.exit_interrupted()
    sys.exit(code)


if __name__ == "__main__":
    main_entry()
