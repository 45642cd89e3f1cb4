"""Write the tables of docs/catalogue.md from the built-in catalogue (parkflow/data/*.csv).

Each table sits between ``<!-- table:NAME -->`` and ``<!-- /table:NAME -->`` in the page; this
script replaces what is between the markers, so the page shows the catalogue as it ships.
tests/catalogue/test_catalogue_doc.py checks that the page is up to date. Usage::

    python tools/catalogue_tables.py          # rewrites docs/catalogue.md in place
    python tools/catalogue_tables.py --check  # exit 1 if the page is out of date
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "parkflow" / "data"
PAGE = ROOT / "docs" / "catalogue.md"

#: Table name -> (csv file, columns shown). Sources stay in the CSV (``parkflow catalogue
#: --format csv`` prints them); the page shows the numbers.
TABLES: dict[str, tuple[str, list[str]]] = {
    "materials": (
        "materials.csv",
        [
            "id",
            "name_en",
            "name_zh",
            "category",
            "group",
            "kind",
            "canonical_unit",
            "is_tailings",
            "env_tax_cny_per_t",
            "basis",
            "moisture_frac",
        ],
    ),
    "categories": ("categories.csv", ["id", "name_en", "name_zh", "group", "kind"]),
    "routes": (
        "routes.csv",
        [
            "id",
            "name_en",
            "accepts",
            "modes",
            "value_cny_per_unit",
            "co2_avoided_t_per_unit",
            "displaces_en",
            "min_temperature_c",
            "delta_t_c",
            "min_purity",
            "purification_cny_per_unit",
        ],
    ),
    "route_classes": ("route_classes.csv", ["route", "material", "class"]),
    "modes": (
        "modes.csv",
        [
            "id",
            "name_en",
            "carries",
            "cost_cny_per_tkm",
            "handling_cny_per_t",
            "sided_handling_cny_per_t",
            "fixed_cny_per_a",
            "fixed_cny_per_km_a",
            "co2_t_per_tkm",
            "reach_km",
            "detour",
            "loss_per_km",
        ],
    ),
    "fates": (
        "fates.csv",
        [
            "id",
            "name_en",
            "applies_to",
            "avoided_cost_cny_per_unit",
            "avoided_cost_rule",
            "co2_reversed_t_per_unit",
            "co2_rule",
            "counts_as",
            "default_for",
        ],
    ),
    "stacking_costs": ("stacking_costs.csv", ["material", "cost_cny_per_t", "low", "high"]),
    "hydrogen_grades": ("hydrogen_grades.csv", ["id", "name_en", "min_purity", "standard"]),
    "replacement_fuels": (
        "replacement_fuels.csv",
        ["id", "name_en", "co2_t_per_gj", "hydrogen_lhv_gj_per_t"],
    ),
    "technologies": (
        "technologies.csv",
        [
            "id",
            "name_en",
            "route",
            "unit",
            "sizes",
            "capex_cny",
            "capex_cny_per_unit_a",
            "life_a",
            "variable_cny_per_unit",
            "value_cny_per_unit",
        ],
    ),
}


def _cell(value: object) -> str:
    if pd.isna(value):
        return ""
    text = str(value).replace("|", "\\|").replace(";", "; ")
    return text


def table(name: str) -> str:
    """The Markdown table of one catalogue table."""
    file, columns = TABLES[name]
    df = pd.read_csv(DATA / file, dtype=str, keep_default_na=False)
    columns = [c for c in columns if c in df.columns]
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    for _, row in df[columns].iterrows():
        lines.append("| " + " | ".join(_cell(v or None) for v in row) + " |")
    return "\n".join(lines)


def render(text: str) -> str:
    """The page with every marked table replaced by the current one."""
    for name in TABLES:
        pattern = re.compile(rf"(<!-- table:{name} -->\n)(?:.*?\n)?(<!-- /table:{name} -->)", re.S)
        text = pattern.sub(lambda m, n=name: m.group(1) + table(n) + "\n" + m.group(2), text)
    return text


def main(argv: list[str] | None = None) -> int:
    """Rewrite docs/catalogue.md, or with ``--check`` say whether it is up to date."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)
    text = PAGE.read_text(encoding="utf-8")
    new = render(text)
    if args.check:
        return 0 if new == text else 1
    PAGE.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
