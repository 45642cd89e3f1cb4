"""`parkflow template OUT.xlsx [--lang zh|en]` — an empty scenario workbook to fill in."""

from __future__ import annotations

import argparse
from pathlib import Path

HELP = (
    "write a scenario workbook to fill in: bilingual headers, drop-downs from the catalogue, "
    "instructions, a targets sheet and example rows"
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the command's arguments."""
    parser.add_argument("out", metavar="OUT.xlsx", help="the workbook to write")
    parser.add_argument(
        "--lang",
        choices=("zh", "en"),
        default="zh",
        help="language of the sheet names, headers and instructions (default zh; both are read)",
    )


def run(args: argparse.Namespace) -> int:
    """Write the template (exit 0; 2 when OUT is not .xlsx or cannot be written)."""
    from parkflow.cli import EXIT_BAD_INPUT, EXIT_OK
    from parkflow.io.workbook import example_scenario, write_output_file, write_workbook

    out = Path(args.out)
    if out.suffix.lower() != ".xlsx":
        print(f"error: {out}: the template is an Excel workbook; give a name ending in .xlsx")
        return EXIT_BAD_INPUT
    example = example_scenario(args.lang)
    write_output_file(
        out, lambda tmp: write_workbook(example, tmp, lang=args.lang, empty_optional=True)
    )
    print(
        f"wrote {out}: fill in the sheets (the example rows show the format), then "
        f"`parkflow validate {out}`"
    )
    return EXIT_OK
