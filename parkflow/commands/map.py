"""`parkflow map DIR` — the folium map of a solve's output folder, written to DIR/map.html."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from parkflow.commands._outputs import is_solve_folder
from parkflow.io.solution import scenario_path_of  # the one lookup of a folder's scenario

HELP = "write map.html (enterprises, built links, supply left unused) into a solve's output folder"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the command's arguments."""
    from parkflow.maps import LANGS, TILES

    parser.add_argument("dir", metavar="DIR", help="output folder of `parkflow solve`")
    parser.add_argument(
        "--lang", choices=LANGS, default="zh", help="language of the labels (default: zh)"
    )
    parser.add_argument(
        "--tiles",
        choices=TILES,
        default=None,
        help="base map: none (works offline; the default without a Tianditu "
        "key), osm, tianditu (the default when a key is given: "
        "--tianditu-key or PARKFLOW_TIANDITU_KEY) or gaode (GCJ-02, "
        "shifted for you)",
    )
    parser.add_argument(
        "--tianditu-key",
        default=None,
        metavar="KEY",
        help="Tianditu (天地图) key; with it the base map is Tianditu unless "
        "--tiles says otherwise (never required)",
    )


def run(args: argparse.Namespace) -> int:
    """Read DIR and its scenario, write DIR/map.html (exit 0; 2 when DIR is not a solve)."""
    folder = Path(args.dir)
    if not is_solve_folder(folder):
        return 2
    from parkflow.io import load_scenario
    from parkflow.io.atomic import output_dir
    from parkflow.io.solution import read_result
    from parkflow.maps import map_html, render_map
    from parkflow.maps.offline import choose_tiles

    result = read_result(folder)
    try:
        source = scenario_path_of(folder)
    except FileNotFoundError as exc:
        msg = f"{exc}; the map needs the scenario's coordinates"
        raise FileNotFoundError(msg) from exc
    scenario = load_scenario(source)
    try:
        m = render_map(
            scenario,
            result,
            lang=args.lang,
            tiles=choose_tiles(args.tiles, args.tianditu_key),
            tianditu_key=args.tianditu_key,
        )
    except ValueError as exc:  # e.g. tianditu without a key
        print(f"error: {exc}", file=sys.stderr)
        return 2
    page = map_html(m, title=f"{scenario.name} — parkflow")
    with output_dir(folder, [source], merge=True) as tmp:
        (tmp / "map.html").write_text(page, encoding="utf-8")
    print(folder / "map.html")
    return 0
