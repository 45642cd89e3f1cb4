"""The built-in catalogue of materials, statistics categories, use routes and transport modes.

The four tables ship as package data (``parkflow/data/materials.csv``, ``categories.csv``,
``routes.csv``, ``modes.csv``); every row names its source (docs/sources.md) or says
``estimate: ...`` with the reasoning. :func:`load_catalogue` reads them once, merges a scenario's
override tables (``materials.csv``, ``routes.csv``) and ``scenario.yaml`` ``modes:`` overrides,
validates the result and returns a :class:`~parkflow.models.scenario.Catalogue`.

Units: every per-unit number is per canonical unit of the material (t for solids and hydrogen, GJ
for heat). ``value_cny_per_unit`` is the displaced product's worth net of processing (negative for
a gate fee); ``co2_avoided_t_per_unit`` is tCO2 per canonical unit absorbed; mode costs are CNY per
canonical unit and km (``cost_cny_per_tkm``) or per canonical unit (``handling_cny_per_t``).

>>> cat = builtin_catalogue()
>>> cat.materials.loc["phosphogypsum", "name_zh"]
'磷石膏'
>>> "steel_slag" in cat.routes.loc["cement_admixture", "accepts"]
False
"""

from parkflow.catalogue.builtin import (
    CANONICAL_UNITS,
    CATALOGUE_COLUMNS,
    COLUMN_UNITS,
    GRID_CO2_T_PER_MWH,
    HEADERS_ZH,
    INDEX_NAMES,
    KINDS,
    TABLES,
    TCE_PER_GJ,
    builtin_catalogue,
    builtin_technologies,
    catalogue_table,
    suggest,
)
from parkflow.catalogue.overrides import load_catalogue

__all__ = [
    "CANONICAL_UNITS",
    "CATALOGUE_COLUMNS",
    "COLUMN_UNITS",
    "GRID_CO2_T_PER_MWH",
    "HEADERS_ZH",
    "INDEX_NAMES",
    "KINDS",
    "TABLES",
    "TCE_PER_GJ",
    "builtin_catalogue",
    "builtin_technologies",
    "catalogue_table",
    "load_catalogue",
    "suggest",
]
