"""Sector names and colours: ``parkflow/data/sectors.csv`` with a readable fallback.

Enterprises carry a free-text ``sector`` id (``cement_grinding``, ``tio2_sulphate``...). Maps and
reports show it by name, in Chinese or English, and maps colour the enterprise markers by sector.
``sectors.csv`` holds ``id, name_zh, name_en, family, colour`` for every sector the bundled
scenarios and :mod:`parkflow.studies.generate` use; sectors of the same family (building materials,
energy, iron and steel...) share a hue, so that a park with many sectors still reads by family.

A sector missing from the table keeps a readable name (``"coke_oven_gas"`` → ``"Coke oven gas"``,
in both languages), falls in the family ``other`` and gets a colour from a spare palette.

>>> sector_name("cement_grinding", "zh"), sector_name("cement_grinding", "en")
('水泥粉磨站', 'Cement grinding')
>>> sector_name("coke_oven_gas", "zh")
'Coke oven gas'
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from pathlib import Path

import pandas as pd

SECTORS_CSV = Path(__file__).resolve().parent / "data" / "sectors.csv"

#: Display order and names of the sector families (legend groups).
FAMILIES: dict[str, dict[str, str]] = {
    "building_materials": {"zh": "建材", "en": "Building materials"},
    "energy": {"zh": "电力热力", "en": "Power and heat"},
    "mining": {"zh": "采矿", "en": "Mining"},
    "iron_steel": {"zh": "钢铁", "en": "Iron and steel"},
    "vti_nonferrous": {"zh": "钒钛及有色", "en": "V-Ti and non-ferrous"},
    "salt_chemicals": {"zh": "盐化工及硅材料", "en": "Salt chemicals and silicon"},
    "phosphorus_chemicals": {"zh": "磷化工", "en": "Phosphorus chemicals"},
    "gas_petrochemicals": {"zh": "天然气化工及石化", "en": "Gas and petrochemicals"},
    "hydrogen": {"zh": "氢能", "en": "Hydrogen"},
    "agri_consumer": {"zh": "农业及消费品", "en": "Agriculture and consumer goods"},
    "other": {"zh": "其他", "en": "Other"},
}

#: Colours for sectors missing from ``sectors.csv`` (assigned in sorted order).
SPARE_COLOURS = ("#e6ab02", "#66a61e", "#1b9e77", "#d95f02", "#7570b3", "#a6761d", "#666666",
                 "#e31a1c", "#fdbf6f", "#cab2d6")


@cache
def sector_table() -> pd.DataFrame:
    """The bundled sector table, indexed by sector id.

    Returns
    -------
    pandas.DataFrame
        Columns ``name_zh, name_en, family, colour`` (``#rrggbb``).
    """
    table = pd.read_csv(SECTORS_CSV, dtype=str, keep_default_na=False, encoding="utf-8")
    return table.set_index("id")


def readable(sector_id: str) -> str:
    """A readable name made from an id: underscores to spaces, first letter capitalised.

    >>> readable("coke_oven_gas")
    'Coke oven gas'
    """
    text = str(sector_id).replace("_", " ").strip()
    return text[:1].upper() + text[1:] if text else "–"


def sector_name(sector_id: str, lang: str = "zh") -> str:
    """Display name of a sector in ``lang`` ("zh" or "en"), or :func:`readable` of the id."""
    if lang not in ("zh", "en"):
        raise ValueError(f"language {lang!r} is not supported; use zh or en")
    table = sector_table()
    key = str(sector_id)
    if key in table.index:
        value = table.at[key, f"name_{lang}"]
        if value:
            return str(value)
    return readable(key)


def sector_family(sector_id: str) -> str:
    """Family id of a sector (a key of :data:`FAMILIES`; ``"other"`` for unknown sectors)."""
    table = sector_table()
    key = str(sector_id)
    if key in table.index and table.at[key, "family"] in FAMILIES:
        return str(table.at[key, "family"])
    return "other"


def family_name(family: str, lang: str = "zh") -> str:
    """Display name of a sector family.

    >>> family_name("energy", "en")
    'Power and heat'
    """
    return FAMILIES.get(family, FAMILIES["other"])[lang]


def sector_colours(sectors: Iterable[str]) -> dict[str, str]:
    """Marker colour of each sector: from ``sectors.csv``, else a spare colour (stable order).

    Parameters
    ----------
    sectors : iterable of str
        Sector ids (repeats allowed).

    Returns
    -------
    dict of str to str
        ``sector id → "#rrggbb"``, sorted by family (in :data:`FAMILIES` order) then by name,
        the order a legend lists them in.

    Examples
    --------
    >>> sector_colours(["cement", "coal_power", "cement"])
    {'cement': '#08519c', 'coal_power': '#a50f15'}
    """
    table = sector_table()
    ids = sorted({str(s) for s in sectors})
    unknown = [s for s in ids if s not in table.index]
    colours = {s: str(table.at[s, "colour"]) for s in ids if s in table.index}
    colours.update({s: SPARE_COLOURS[i % len(SPARE_COLOURS)] for i, s in enumerate(unknown)})
    family_rank = {f: i for i, f in enumerate(FAMILIES)}
    order = sorted(ids, key=lambda s: (family_rank[sector_family(s)], sector_name(s, "en"), s))
    return {s: colours[s] for s in order}
