"""`parkflow catalogue` — print the built-in catalogue (materials, categories, routes, modes)."""

from __future__ import annotations

import argparse
import math
import sys

import pandas as pd

HELP = "show the built-in catalogue of materials, categories, use routes and transport modes"

_TITLES = {
    "en": {
        "materials": "Materials",
        "categories": "Statistics categories",
        "routes": "Use routes",
        "modes": "Transport modes",
    },
    "zh": {
        "materials": "物料",
        "categories": "统计类别",
        "routes": "利用途径",
        "modes": "运输方式",
    },
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the command's arguments."""
    parser.add_argument(
        "--lang",
        choices=("en", "zh"),
        default="en",
        help="language of names and headers (default: en)",
    )
    parser.add_argument(
        "--table",
        choices=("materials", "categories", "routes", "modes", "all"),
        default="all",
        help="which table to show (default: all)",
    )
    parser.add_argument(
        "--format",
        dest="fmt",
        choices=("table", "csv"),
        default="table",
        help="table (default; rich when on a terminal) or csv with every column including sources",
    )


def _cell(value: object) -> str:
    if isinstance(value, float):
        return "" if math.isnan(value) else f"{value:g}"
    if isinstance(value, tuple):
        return "; ".join(value)
    return str(value)


def _print_rich(title: str, df: pd.DataFrame) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, show_lines=False)
    table.add_column(str(df.index.name))
    for column in df.columns:
        table.add_column(str(column), overflow="fold")
    for ident, row in zip(df.index, df.itertuples(index=False), strict=True):
        table.add_row(str(ident), *(_cell(v) for v in row))
    Console().print(table)


def _print_plain(title: str, df: pd.DataFrame) -> None:
    shown = df.map(_cell)
    print(title)
    print(shown.to_string())
    print()


def run(args: argparse.Namespace) -> int:
    """Print the requested catalogue table(s); return 0."""
    from parkflow.catalogue import TABLES, builtin_catalogue, catalogue_table

    cat = builtin_catalogue()
    tables = TABLES if args.table == "all" else (args.table,)
    if args.fmt == "csv":
        for i, name in enumerate(tables):
            if i:
                print()
            df = getattr(cat, name).copy()
            for column in df.columns:
                if df[column].dtype == object:
                    df[column] = df[column].map(_cell)
            sys.stdout.write(df.to_csv(lineterminator="\n"))
        return 0
    show = _print_rich if sys.stdout.isatty() else _print_plain
    for name in tables:
        show(_TITLES[args.lang][name], catalogue_table(cat, name, lang=args.lang))
    return 0
