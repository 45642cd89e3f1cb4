"""Maps of a solved scenario: enterprises, built links, supply left unused and park boundaries.

:func:`render_map` draws one :class:`folium.Map` from a :class:`~parkflow.models.scenario.Scenario`
and the :class:`~parkflow.models.result.Result` of its solve:

* enterprises as circle markers coloured by sector, with a popup (name, what it generates and how
  much of it is utilised, what it can absorb and what it receives);
* built links as lines whose width grows with the flow (square root, within each unit) and whose
  colour shows the material, with a popup (t/a or GJ/a, distance, money terms, CO₂ avoided).
  Links bend slightly to the right of their direction of travel, so that A→B and B→A, or two
  materials on the same pair, stay apart; existing links are dashed;
* supply left unused (stored or disposed) as dashed rings at the generating enterprise, their area
  proportional to the amount left;
* park boundaries when the scenario's ``parks`` table has polygons;
* one layer per material (its links) under a layer control, plus layers for enterprises, supply
  left unused and parks; a legend; labels in Chinese or English; the view fitted to the data.

Maps written by :func:`write_map` are self-contained (Leaflet inlined, no CDN) and every user
string in them is escaped for its context. The package:

* :mod:`~parkflow.maps.layers` — one function per layer, and the title and legend boxes;
* :mod:`~parkflow.maps.render` — :func:`draw_on`, :func:`render_map`, :func:`write_map`,
  :func:`map_html`, ``python -m parkflow.maps``;
* :mod:`~parkflow.maps.offline` — vendored Leaflet inlining and the base-map tiles;
* :mod:`~parkflow.maps.popups` — labels, colours, the tables behind the popups, popup HTML;
* :mod:`~parkflow.maps.elements` — the folium pieces, :data:`MAP_CSS` and the two escapes
  (:func:`html_text`, :func:`script_json`);
* :mod:`~parkflow.maps.geometry` — positions, curved links, sizes.

See docs/maps.md.
"""

from __future__ import annotations

from parkflow.i18n import LANGS
from parkflow.maps.elements import (
    BACKGROUND,
    MAP_CSS,
    BoxControl,
    Features,
    HtmlBlock,
    TextTooltip,
    drawn_features,
    html_text,
    script_json,
)
from parkflow.maps.geometry import enterprise_positions, link_curves
from parkflow.maps.offline import TILES, VENDOR_DIR, external_references, inline_assets
from parkflow.maps.popups import (
    MATERIAL_COLOURS,
    built_links,
    legend_html,
    links_built_count,
    map_label,
    material_colour,
    title_html,
)
from parkflow.maps.render import (
    OfflineMap,
    draw_on,
    make_bundled_maps,
    map_html,
    render_map,
    write_map,
    write_text_atomic,
)

__all__ = [
    "BACKGROUND",
    "LANGS",
    "MAP_CSS",
    "MATERIAL_COLOURS",
    "TILES",
    "VENDOR_DIR",
    "BoxControl",
    "Features",
    "HtmlBlock",
    "OfflineMap",
    "TextTooltip",
    "built_links",
    "draw_on",
    "drawn_features",
    "enterprise_positions",
    "external_references",
    "html_text",
    "inline_assets",
    "legend_html",
    "link_curves",
    "links_built_count",
    "make_bundled_maps",
    "map_html",
    "map_label",
    "material_colour",
    "render_map",
    "script_json",
    "title_html",
    "write_map",
    "write_text_atomic",
]
