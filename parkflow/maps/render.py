"""Drawing a solved scenario and writing it as one self-contained page.

:func:`render_map` draws one :class:`folium.Map` from a :class:`~parkflow.models.scenario.Scenario`
and the :class:`~parkflow.models.result.Result` of its solve, layer by layer
(:mod:`parkflow.maps.layers`); :func:`write_map` writes it with Leaflet inlined
(:mod:`parkflow.maps.offline`). ``python -m parkflow.maps --bundled maps/`` solves every bundled
scenario and writes ``maps/<name>.html``. See docs/maps.md.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import folium
import numpy as np
import pandas as pd
from branca.element import Figure

from parkflow.i18n import LANGS, Names
from parkflow.maps.context import context_layer, province_layer
from parkflow.maps.elements import YearSwitch, html_text
from parkflow.maps.geometry import enterprise_positions
from parkflow.maps.layers import (
    YearLayers,
    behaviour,
    enterprise_layer,
    facility_layer,
    facility_layers,
    facility_points,
    legend_box,
    link_layers,
    park_centres,
    park_layer,
    title_box,
    unused_layer,
)
from parkflow.maps.offline import TILES, inline_assets, tile_layers
from parkflow.maps.popups import (
    absorbs_table,
    built_links,
    map_label,
    sources_table,
    year_views,
)
from parkflow.models.result import Result
from parkflow.models.scenario import Scenario

#: The view when there is nothing to draw: Sichuan, ``[[south, west], [north, east]]``.
EMPTY_BOUNDS = [[26.0, 97.0], [34.5, 108.5]]


def draw_on(
    m: folium.Map,
    scenario: Scenario,
    result: Result,
    lang: str = "zh",
    tiles: str = "none",
    tianditu_key: str | None = None,
    changes: pd.Series | None = None,
    compact_legend: bool = False,
    legend_extra: str = "",
) -> dict[str, Any]:
    """Draw a solved scenario onto an existing :class:`folium.Map` (used by the dual map).

    Parameters
    ----------
    m : folium.Map
        The map to draw on (made with ``control_scale=False``: the metric scale is added here).
    scenario, result, lang, tiles, tianditu_key
        As for :func:`render_map`.
    changes : pandas.Series, optional
        A comparison's mark of each built link (index: the rows of
        :func:`~parkflow.maps.popups.built_links`; ``added | removed | changed | same``).
    compact_legend : bool
        Fold the legend at first (the comparison's two maps).
    legend_extra : str
        HTML put first into the legend (escaped by the caller).

    Returns
    -------
    dict
        What was drawn: ``enterprises``, ``links``, ``unused`` and ``facilities`` (counts),
        ``layers`` (layer
        names, plain text) and ``bounds`` (``[[south, west], [north, east]]``).

    Raises
    ------
    ValueError
        An unknown ``lang`` or ``tiles``.
    """
    if lang not in LANGS:
        msg = f"lang must be one of {LANGS}, not {lang!r}"
        raise ValueError(msg)
    if tiles not in TILES:
        msg = f"tiles must be one of {TILES}, not {tiles!r}"
        raise ValueError(msg)
    # name_en / name_zh where the tables have them, as the report (docs/maps.md)
    names = Names(lang, scenario, own_language=True)
    pos = enterprise_positions(scenario, tiles)
    tile_layers(m, tiles, lang, tianditu_key)
    flows = built_links(result)
    # links into a facility on a free site end at its position (the network's ``F:<id>``)
    fac_pos = facility_points(scenario, result, tiles)
    ends = pd.concat([pos, fac_pos[~fac_pos.index.isin(pos.index)]])
    flows = flows[flows["from"].isin(ends.index) & flows["to"].isin(ends.index)]
    sources = sources_table(scenario, result)
    absorbs = absorbs_table(scenario, flows)
    legend_materials: list[tuple[str, str]] = []

    if changes is not None:
        changes = changes.reindex(flows.index)
    drawn = province_layer(m, tiles, lang)
    drawn += context_layer(m, tiles, lang)
    drawn += park_layer(m, scenario, pos, tiles, names, lang)
    centres = park_centres(scenario, pos, tiles)
    years = year_views(result)
    stack = YearLayers(m, default=years[-1][0]) if years else None
    names_links, n_links, names_unused, n_unused = [], 0, [], 0
    each: list[tuple[int | None, Result]] = [*years] or [(None, result)]
    for year, view in each:
        group = stack.maker(year) if stack is not None and year is not None else None
        vflows = flows if year is None else built_links(view)
        vflows = vflows[vflows["from"].isin(ends.index) & vflows["to"].isin(ends.index)]
        shown = year is None or year == years[-1][0]
        layers, n = link_layers(
            m,
            scenario,
            vflows,
            ends,
            names,
            lang,
            legend_materials,
            changes=changes if year is None else None,
            centres=centres,
            group=group,
        )
        names_links += [x for x in layers if x not in names_links]
        # a pathway folder written before sources.csv had a year column: no rings then
        vsources = sources if year is None else None
        if year is not None and view.sources is not None:
            vsources = sources_table(scenario, view)
        k = 0
        if vsources is not None:
            layers, k = unused_layer(
                m, scenario, vsources, pos, names, lang, legend_materials, group
            )
            names_unused += [x for x in layers if x not in names_unused]
        if shown:  # the counts of the year shown first; its enterprises' popups
            n_links, n_unused = n, k
            if year is not None:
                sources = vsources if vsources is not None else sources
                absorbs = absorbs_table(scenario, vflows)
    names_ent, colours = enterprise_layer(m, scenario, sources, absorbs, pos, names, lang)
    if stack is None:
        names_fac, n_fac = facility_layers(m, scenario, result, fac_pos, names, lang)
    else:
        names_fac, n_fac = [], 0
        fac_name = map_label("new_facilities", lang)
        for year, view in years:
            n = facility_layer(
                m,
                scenario,
                view.facilities if view.facilities is not None else pd.DataFrame(),
                fac_pos,
                names,
                lang,
                fac_name,
                group=stack.maker(year),
            )
            if n and not names_fac:
                names_fac = [fac_name]
            if year == stack.default:
                n_fac = n
    title_box(m, scenario, result, names, lang, years, stack.default if stack else None)
    if stack is not None:
        YearSwitch(
            [y for y, _ in years], stack.default, stack.children, map_label("year_switch", lang)
        ).add_to(m)
    folium.LayerControl(collapsed=True, position="topright").add_to(m)
    if n_fac or names_fac:
        key = "legend_facility" if stack is None else "legend_facility_years"
        legend_extra += f'<div><span class="sw-fac"></span>{html_text(map_label(key, lang))}</div>'
    legend_materials = list(dict.fromkeys(legend_materials))
    legend_box(m, colours, legend_materials, lang, compact=compact_legend, extra=legend_extra)
    behaviour(m)

    # the view fits the enterprises (a park polygon may reach beyond it)
    pts = pos[["lat", "lon"]].to_numpy(float)
    pts = pts[np.isfinite(pts).all(axis=1)]
    bounds = (
        [
            [float(pts[:, 0].min()), float(pts[:, 1].min())],
            [float(pts[:, 0].max()), float(pts[:, 1].max())],
        ]
        if len(pts)
        else EMPTY_BOUNDS
    )
    return {
        "enterprises": len(scenario.enterprises),
        "links": n_links,
        "unused": n_unused,
        "facilities": n_fac,
        "layers": drawn + names_links + names_unused + names_ent + names_fac,
        "bounds": bounds,
    }


def render_map(
    scenario: Scenario,
    result: Result,
    lang: str = "zh",
    tiles: str = "none",
    tianditu_key: str | None = None,
) -> folium.Map:
    """Draw a solved scenario as a :class:`folium.Map`.

    Parameters
    ----------
    scenario : Scenario
        The scenario that was solved (coordinates WGS-84, as loaded).
    result : Result
        Its solve (:func:`parkflow.solve` or :func:`parkflow.read_result`).
    lang : {"zh", "en"}
        Language of the labels, popups and legend.
    tiles : {"none", "osm", "tianditu", "gaode"}
        Base map. ``"none"`` needs no network (a plain background). ``"gaode"`` draws everything
        shifted to GCJ-02, the datum of Gaode's tiles. ``"tianditu"`` needs a key.
    tianditu_key : str, optional
        Tianditu (天地图) key; default: the ``PARKFLOW_TIANDITU_KEY`` (or ``TIANDITU_KEY``)
        environment variable.

    Returns
    -------
    folium.Map
        Its ``.save(path)`` writes one self-contained HTML file (Leaflet inlined, no CDN), as
        :func:`write_map` does.

    Examples
    --------
    >>> from parkflow.examples import tiny_park
    >>> from parkflow.solvers.api import solve
    >>> sc = tiny_park()
    >>> m = render_map(sc, solve(sc), lang="en")
    >>> type(m).__name__
    'OfflineMap'
    """
    m = OfflineMap(tiles=None, control_scale=False, prefer_canvas=False)
    drawn = draw_on(m, scenario, result, lang=lang, tiles=tiles, tianditu_key=tianditu_key)
    m.fit_bounds(
        drawn["bounds"], padding_top_left=(40, 40), padding_bottom_right=(40, 40), max_zoom=15
    )
    m.parkflow_drawn = drawn  # counts for callers and tests
    return m


def map_html(m: folium.Map | Figure, title: str | None = None) -> str:
    """The self-contained HTML text of a map (or a figure holding maps).

    Parameters
    ----------
    m : folium.Map or branca.element.Figure
        What to write.
    title : str, optional
        The page's title, plain text (it is HTML-escaped here).

    Returns
    -------
    str
    """
    root = m if isinstance(m, Figure) else m.get_root()
    if title is not None and isinstance(root, Figure):
        root.title = page_title(title)
    return inline_assets(root.render())


def page_title(text: str) -> str:
    """``text`` for a page's ``<title>`` (branca writes the title unescaped): HTML-escaped.

    >>> page_title("</title><script>x</script>")
    '&lt;/title&gt;&lt;script&gt;x&lt;/script&gt;'
    """
    return html_text(text)


def write_text_atomic(path: str | Path, text: str) -> Path:
    """Write ``text`` to ``path`` whole or not at all (a temporary file, then a rename)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.tmp-", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


class OfflineMap(folium.Map):
    """A :class:`folium.Map` whose ``save`` writes self-contained HTML (works with no network)."""

    #: what :func:`draw_on` drew (counts for callers and tests), set by :func:`render_map`
    parkflow_drawn: dict[str, Any]

    def save(self, outfile: Any, close_file: bool = True, **kwargs: Any) -> None:
        """Write the map with Leaflet inlined: to a path (whole or not at all) or a file object."""
        html = map_html(self)
        if hasattr(outfile, "write"):
            outfile.write(html.encode("utf-8") if "b" in getattr(outfile, "mode", "") else html)
            if close_file:
                outfile.close()
            return
        write_text_atomic(outfile, html)

    def _repr_html_(self, **kwargs: Any) -> str:
        """The notebook display: the self-contained page in an iframe ``srcdoc``.

        Vendored Leaflet is inlined, as :meth:`save` writes it, so it shows with no network.

        folium's own display loads Leaflet and its plugins from CDNs and stays blank offline.
        """
        return self.offline_iframe()

    def offline_iframe(self, height_px: int = 500) -> str:
        """The map page inlined into ``<iframe srcdoc=...>`` (no network needed)."""
        from html import escape

        page = escape(map_html(self), quote=True)
        return (
            f'<div style="width:100%;"><iframe srcdoc="{page}" style="width:100%; '
            f'height:{int(height_px)}px; border:none;" sandbox="allow-scripts" '
            "allowfullscreen></iframe></div>"
        )


def write_map(
    scenario: Scenario,
    result: Result,
    path: str | Path,
    lang: str = "zh",
    tiles: str = "none",
    tianditu_key: str | None = None,
) -> Path:
    """Render the map and write it to ``path`` as one self-contained HTML file.

    Parameters
    ----------
    scenario, result, lang, tiles, tianditu_key
        As for :func:`render_map`.
    path : path
        The HTML file to write (its folder is created). Never an input of the scenario.

    Returns
    -------
    pathlib.Path
        ``path``.
    """
    from parkflow.io.atomic import check_not_input

    check_not_input(Path(path), [scenario.source])
    m = render_map(scenario, result, lang=lang, tiles=tiles, tianditu_key=tianditu_key)
    return write_text_atomic(path, map_html(m, title=f"{scenario.name} — parkflow"))


# ---------------------------------------------------------------------------------------------
# python -m parkflow.maps --bundled maps/
# ---------------------------------------------------------------------------------------------
def make_bundled_maps(
    out: str | Path, names: Sequence[str] = (), lang: str = "zh", tiles: str = "none"
) -> list[Path]:
    """Solve bundled scenarios and write ``<out>/<name>.html`` for each (all when ``names`` empty).

    Returns
    -------
    list of pathlib.Path
        The paths written.
    """
    from parkflow.io import load_scenario
    from parkflow.io.bundled import bundled_scenario_path, bundled_scenarios
    from parkflow.solvers.api import solve

    written = []
    for name in names or bundled_scenarios():
        scenario = load_scenario(bundled_scenario_path(name))
        result = solve(scenario)
        written.append(
            write_map(scenario, result, Path(out) / f"{name}.html", lang=lang, tiles=tiles)
        )
        print(f"{written[-1]}  ({result.status.value}, {len(built_links(result))} links)")
    return written


def main(argv: Sequence[str] | None = None) -> int:
    """Command line of ``python -m parkflow.maps``."""
    parser = argparse.ArgumentParser(
        prog="python -m parkflow.maps", description="Write the maps of the bundled scenarios."
    )
    parser.add_argument(
        "--bundled",
        metavar="DIR",
        required=True,
        help="folder to write <scenario>.html into (e.g. maps/)",
    )
    parser.add_argument("names", nargs="*", help="bundled scenario names (default: all)")
    parser.add_argument("--lang", choices=LANGS, default="zh")
    parser.add_argument("--tiles", choices=TILES, default="none")
    args = parser.parse_args(argv)
    make_bundled_maps(args.bundled, args.names, lang=args.lang, tiles=args.tiles)
    return 0
