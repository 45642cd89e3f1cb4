"""One colour per material, everywhere: maps, report charts, layout comparison, both languages.

The table is keyed by material **id** (never by a translated name), so that fly ash has the same
colour on the map, in the Chinese and the English report, and in a comparison (docs/reporting.md,
"Charts"; docs/maps.md).

>>> material_colour("fly_ash") == MATERIAL_COLOURS["fly_ash"]
True
>>> material_colour("my_new_residue") == material_colour("my_new_residue")
True
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence

__all__ = ["MATERIAL_COLOURS", "EXTRA_COLOURS", "OTHER_COLOUR", "material_colour"]

#: The colour of each catalogue material (hex, by material id).
MATERIAL_COLOURS: dict[str, str] = {
    "coal_gangue": "#8c564b",
    "fly_ash": "#1f77b4",
    "tailings": "#a6a61c",
    "steel_slag": "#d62728",
    "bf_slag": "#ff7f0e",
    "vti_slag": "#e377c2",
    "phosphogypsum": "#2ca02c",
    "titanium_gypsum": "#00695c",
    "fgd_gypsum": "#9467bd",
    "red_mud": "#7f0000",
    "carbide_slag": "#525252",
    "waste_heat": "#c51b7d",
    "hydrogen": "#17becf",
    "bottom_ash": "#aec7e8",
    "lithium_slag": "#f7b6d2",
    "phosphorus_slag": "#98df8a",
    "manganese_residue": "#c49c94",
    "nonferrous_slag": "#ffbb78",
    "zinc_leach_residue": "#bcbd22",
}
#: Spare colours for materials outside the table (scenario-defined materials).
EXTRA_COLOURS = (
    "#393b79",
    "#637939",
    "#8c6d31",
    "#843c39",
    "#7b4173",
    "#3182bd",
    "#e6550d",
    "#31a354",
    "#756bb1",
    "#636363",
)
#: The colour of an aggregated "other" band or node.
OTHER_COLOUR = "#bab0ac"


def material_colour(material_id: str, order: Sequence[str] = ()) -> str:
    """Colour of a material by id: fixed for catalogue materials, else from a spare palette.

    Parameters
    ----------
    material_id : str
        The material's id (``fly_ash``), not its display name.
    order : sequence of str, optional
        The materials of the drawing; an unknown material gets the spare colour of its place
        among the unknown ones (distinct colours in one drawing). Without it, a stable hash of
        the id picks the colour (the same in every process and run).

    Returns
    -------
    str
        A ``#rrggbb`` colour.

    Examples
    --------
    >>> material_colour("fly_ash")
    '#1f77b4'
    >>> material_colour("x", order=["fly_ash", "x"])
    '#393b79'
    """
    material_id = str(material_id)
    if material_id in MATERIAL_COLOURS:
        return MATERIAL_COLOURS[material_id]
    others = [m for m in order if m not in MATERIAL_COLOURS]
    i = (
        others.index(material_id)
        if material_id in others
        else zlib.crc32(material_id.encode("utf-8"))
    )
    return EXTRA_COLOURS[i % len(EXTRA_COLOURS)]
