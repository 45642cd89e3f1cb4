"""One schema mechanism: the declarations drive validation, reading and docs."""

from __future__ import annotations

from pathlib import Path

import pytest

from parkflow.catalogue import CATALOGUE_COLUMNS, COLUMN_UNITS
from parkflow.models.schema import (
    CATALOGUE_TABLES,
    OUTPUT_TABLES,
    TABLES,
    markdown_columns,
    markdown_settings,
)

DOC = Path(__file__).resolve().parents[2] / "docs" / "scenario-format.md"


@pytest.mark.parametrize("name", list(TABLES))
def test_doc_column_table_is_the_schema(name):
    """docs/scenario-format.md shows each input table exactly as the schema declares it."""
    assert markdown_columns(TABLES[name]) in DOC.read_text(encoding="utf-8"), (
        f"docs/scenario-format.md's {name} table differs from parkflow/models/schema.py; "
        "regenerate the tables with `python -m parkflow.models.schema`"
    )


def test_doc_settings_table_is_the_schema():
    assert markdown_settings() in DOC.read_text(encoding="utf-8")


def test_catalogue_views_come_from_the_schema():
    for name, schema in CATALOGUE_TABLES.items():
        assert CATALOGUE_COLUMNS[name] == schema.dtypes()
    assert COLUMN_UNITS["reach_km"] == "km"


def test_output_tables_match_what_solve_writes():
    from parkflow.io.solution import FLOW_COLUMNS

    assert OUTPUT_TABLES["flows"].column_names == FLOW_COLUMNS
    from parkflow.statistics.utilisation import COLUMNS

    assert OUTPUT_TABLES["utilisation"].column_names == COLUMNS


def test_aliases_do_not_collide_within_a_table():
    for schema in TABLES.values():
        seen: dict[str, str] = {}
        for c in schema.columns:
            for alias in c.aliases:
                assert seen.setdefault(alias, c.name) == c.name, (schema.name, alias)


def test_catalogue_display_headers_are_read_back():
    """Each Chinese header the catalogue shows (HEADERS_ZH) is an alias of that column."""
    from parkflow.catalogue import HEADERS_ZH

    for schema in CATALOGUE_TABLES.values():
        for c in schema.columns:
            if c.name in HEADERS_ZH:
                assert schema.resolve_header(HEADERS_ZH[c.name]) == c.name
