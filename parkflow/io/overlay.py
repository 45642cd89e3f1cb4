"""Layout variants: a small YAML file that changes a base scenario (add, move, remove).

A planner testing "what if we add a gypsum-board plant" or "what if the cement grinding station
moves next to the power plant" writes only the change, not a copy of the whole park::

    # scenarios/leshan-wutongqiao-variants/gypsum-board.yaml
    base: ../leshan-wutongqiao          # relative to this file; a folder, .xlsx or another overlay
    name: Wutongqiao + gypsum-board plant
    description: ...                    # optional
    coordinates: wgs84                  # of the lon/lat below; or gcj02 (converted on load)
    add:
      enterprises:
        - {id: E90, name: 石膏板厂, park: wutongqiao, sector: building_materials,
           lon: 103.82, lat: 29.41}
      supplies: []                      # rows as in supplies.csv (enterprise, material, ...)
      uses:
        - {enterprise: E90, route: gypsum_board, capacity: 30, unit: 万t/a}
      stockpiles: []
      links: []
    move:
      enterprises:
        - {id: E07, lon: 103.80, lat: 29.42}
    remove:
      enterprises: [E12]                # with its supplies, uses, stockpiles and links
      supplies: [{enterprise: E03, material: phosphogypsum}]   # rows matching every key given
      uses: [U5]                        # or ids

The order is remove, then move, then add. :func:`load_overlay` applies the changes to the base's
tables and builds the variant through :func:`parkflow.io.assemble.scenario_from_frames` with the
base's catalogue, targets and settings, so the variant is validated like any scenario; every problem
names the overlay file and the entry (``add.uses[1].unit``). :func:`parkflow.load_scenario`
calls :func:`load_overlay` for ``.yaml`` paths, so ``parkflow solve variant.yaml`` works.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from parkflow.errors import Problem, ScenarioError
from parkflow.io.assemble import load_tables, scenario_from_frames
from parkflow.io.readers import load_yaml_text
from parkflow.models.scenario import Scenario

TOP_KEYS = ("base", "name", "description", "coordinates", "add", "move", "remove")
ADD_TABLES = ("enterprises", "supplies", "uses", "stockpiles", "links")
REMOVE_TABLES = ("enterprises", "supplies", "uses", "stockpiles", "links")
MOVE_TABLES = ("enterprises",)
ID_PREFIX = {"enterprises": "E", "supplies": "S", "uses": "U", "stockpiles": "K", "links": "L"}

_loading = threading.local()


class _Collect:
    def __init__(self, file: str):
        self.file = file
        self.items: list[Problem] = []

    def add(self, message: str, fix: str = "", column: str | None = None) -> None:
        self.items.append(Problem(file=self.file, message=message, fix=fix, column=column))


def _read(path: Path, problems: _Collect) -> dict[str, Any]:
    try:
        data = load_yaml_text(path.read_bytes().decode("utf-8-sig"), problems.file)
    except (OSError, UnicodeDecodeError) as exc:
        problems.add(f"cannot read the file: {exc}")
        return {}
    except ScenarioError as exc:
        problems.items.extend(exc.problems)
        return {}
    if not isinstance(data, Mapping):
        problems.add(
            "an overlay must be a mapping with at least `base:`",
            fix="start the file with `base: ../<scenario folder>`",
        )
        return {}
    for key in data:
        if key not in TOP_KEYS:
            problems.add(f"unknown key '{key}'", column=str(key), fix=f"use {', '.join(TOP_KEYS)}")
    if not data.get("base"):
        problems.add(
            "missing `base:` (the scenario this variant changes)",
            column="base",
            fix="add `base: ../leshan-wutongqiao` (a path relative to this file)",
        )
    if data.get("coordinates", "wgs84") not in ("wgs84", "gcj02"):
        problems.add(
            f"coordinates must be wgs84 or gcj02, not {data.get('coordinates')!r}",
            column="coordinates",
            fix="write `coordinates: wgs84`",
        )
    return dict(data)


def _section(
    data: dict[str, Any], key: str, tables: tuple[str, ...], problems: _Collect
) -> dict[str, list[Any]]:
    raw = data.get(key) or {}
    if not isinstance(raw, Mapping):
        problems.add(f"`{key}` must be a mapping of tables ({', '.join(tables)})", column=key)
        return {}
    out: dict[str, list[Any]] = {}
    for table, items in raw.items():
        if table not in tables:
            problems.add(
                f"{key}: unknown table '{table}'",
                column=f"{key}.{table}",
                fix=f"use {', '.join(tables)}",
            )
            continue
        if items is None:
            continue
        if isinstance(items, Mapping) and key == "move":  # {E07: {lon, lat}} also accepted
            items = [{"id": k, **(v if isinstance(v, Mapping) else {})} for k, v in items.items()]
        if not isinstance(items, list):
            problems.add(
                f"{key}.{table} must be a list",
                column=f"{key}.{table}",
                fix="write one `- ...` line per entry",
            )
            continue
        out[str(table)] = list(items)
    return out


def _table(df: pd.DataFrame) -> pd.DataFrame:
    """A loaded table back as input rows: ids in an ``id`` column, no geometry."""
    out = pd.DataFrame(df.drop(columns="geometry", errors="ignore")).copy()
    out.index = out.index.astype(str)
    out.index.name = "id"
    return out


def _matches(frame: pd.DataFrame, item: Any) -> np.ndarray:
    if isinstance(item, (str, int)):
        return frame.index == str(item)
    mask = np.ones(len(frame), dtype=bool)
    for col, value in item.items():
        if col == "id":
            mask &= frame.index == str(value)
        elif col in frame.columns:
            mask &= frame[col].astype(str).to_numpy() == str(value)
        else:
            return np.zeros(len(frame), dtype=bool)
    return mask


def _remove(
    tables: dict[str, pd.DataFrame], remove: dict[str, list[Any]], problems: _Collect
) -> None:
    for table in REMOVE_TABLES:
        frame = tables[table]
        drop = np.zeros(len(frame), dtype=bool)
        for k, item in enumerate(remove.get(table, [])):
            where = f"remove.{table}[{k + 1}]"
            if not isinstance(item, (str, int, Mapping)):
                problems.add(f"{where}: give an id or a mapping of column: value", column=where)
                continue
            bad = [
                c
                for c in (item if isinstance(item, Mapping) else {})
                if c != "id" and c not in frame.columns
            ]
            if bad:
                problems.add(
                    f"{where}: unknown column '{bad[0]}' of {table}",
                    column=where,
                    fix=f"use {', '.join(['id', *map(str, frame.columns)])}",
                )
                continue
            hit = _matches(frame, item)
            if not hit.any():
                problems.add(
                    f"{where}: no row of {table} matches {item!r}",
                    column=where,
                    fix=f"check the id or the values against the base's {table}",
                )
            drop |= hit
        tables[table] = frame[~drop]
    # an enterprise removed takes its supplies, uses, stockpiles and links with it
    kept = set(tables["enterprises"].index)
    for table, cols in (
        ("supplies", ("enterprise",)),
        ("uses", ("enterprise",)),
        ("stockpiles", ("enterprise",)),
        ("links", ("from", "to")),
    ):
        frame = tables[table]
        keep = np.ones(len(frame), dtype=bool)
        for col in cols:
            if col in frame.columns:
                keep &= frame[col].astype(str).isin(kept).to_numpy()
        tables[table] = frame[keep]


def _move(
    tables: dict[str, pd.DataFrame], move: dict[str, list[Any]], gcj02: bool, problems: _Collect
) -> None:
    ent = tables["enterprises"].copy()
    ent["lon"] = ent["lon"].astype(float)
    ent["lat"] = ent["lat"].astype(float)
    for k, item in enumerate(move.get("enterprises", [])):
        where = f"move.enterprises[{k + 1}]"
        if not isinstance(item, Mapping) or "id" not in item:
            problems.add(f"{where}: give `{{id: E07, lon: ..., lat: ...}}`", column=where)
            continue
        eid = str(item["id"])
        if eid not in ent.index:
            problems.add(
                f"{where}: enterprise '{eid}' is not in the base scenario",
                column=f"{where}.id",
                fix="check the id against enterprises.csv",
            )
            continue
        extra = [c for c in item if c not in ("id", "lon", "lat")]
        if extra:
            problems.add(
                f"{where}: move changes lon and lat only, not '{extra[0]}'",
                column=where,
                fix="remove the enterprise and add it again to change more than its place",
            )
        try:
            lon, lat = float(item["lon"]), float(item["lat"])
        except (KeyError, TypeError, ValueError):
            problems.add(
                f"{where}: lon and lat must both be numbers (degrees)",
                column=where,
                fix="write e.g. `lon: 103.80, lat: 29.42`",
            )
            continue
        if gcj02:
            from parkflow.geo import gcj02_to_wgs84

            glon, glat = gcj02_to_wgs84(lon, lat)
            lon, lat = float(np.ravel(glon)[0]), float(np.ravel(glat)[0])
        ent.loc[eid, ["lon", "lat"]] = [lon, lat]
    tables["enterprises"] = ent


def _add(
    tables: dict[str, pd.DataFrame], add: dict[str, list[Any]], gcj02: bool, problems: _Collect
) -> dict[str, dict[int, str]]:
    """Append the added rows; return, per table, position in the new frame → overlay entry."""
    origin: dict[str, dict[int, str]] = {}
    for table in ADD_TABLES:
        items = add.get(table, [])
        if not items:
            continue
        frame = tables[table]
        rows, ids, where_of = [], [], []
        used = set(frame.index)
        prefix = ID_PREFIX[table]
        n = len(frame) + 1
        for k, item in enumerate(items):
            where = f"add.{table}[{k + 1}]"
            if not isinstance(item, Mapping):
                problems.add(f"{where}: each entry is a mapping of column: value", column=where)
                continue
            row = {str(c): v for c, v in item.items() if c != "id"}
            ident = item.get("id")
            if ident is None:
                if table == "enterprises":
                    problems.add(
                        f"{where}: an added enterprise needs an `id`",
                        column=where,
                        fix="add `id: E90` (any id not used in the base)",
                    )
                    continue
                while f"{prefix}{n}" in used:
                    n += 1
                ident = f"{prefix}{n}"
            ident = str(ident)
            if ident in used:
                problems.add(
                    f"{where}: id '{ident}' is already used in {table}",
                    column=f"{where}.id",
                    fix="choose a new id, or `move`/`remove` the existing row",
                )
                continue
            if table == "enterprises" and gcj02 and {"lon", "lat"} <= set(row):
                from parkflow.geo import gcj02_to_wgs84

                try:
                    glon, glat = gcj02_to_wgs84(float(row["lon"]), float(row["lat"]))
                    row["lon"], row["lat"] = float(np.ravel(glon)[0]), float(np.ravel(glat)[0])
                except (TypeError, ValueError):
                    pass  # reported by the loader
            used.add(ident)
            rows.append(row)
            ids.append(ident)
            where_of.append(where)
        if not rows:
            continue
        new = pd.DataFrame(rows, index=pd.Index(ids, name="id"))
        start = len(frame)
        combined = pd.concat([frame, new.astype(object)], axis=0) if len(frame) else new
        combined.index.name = "id"
        tables[table] = combined
        origin[table] = {start + i: w for i, w in enumerate(where_of)}
    return origin


def _translate(
    exc: ScenarioError,
    origin: dict[str, dict[int, str]],
    file: str,
    base_label: str,
    tables: dict[str, pd.DataFrame],
) -> list[Problem]:
    """Problems of the combined tables → the overlay entry (or the base table) they come from."""
    out = []
    for p in exc.problems:
        table = p.file
        pos = None if p.row is None else p.row - 2
        entry = origin.get(table, {}).get(pos) if pos is not None else None
        if entry is not None:
            column = f"{entry}.{p.column}" if p.column else entry
            out.append(
                Problem(file=file, message=f"{entry}: {p.message}", fix=p.fix, column=column)
            )
        elif table in tables and pos is not None and 0 <= pos < len(tables[table]):
            ident = tables[table].index[pos]
            out.append(
                Problem(
                    file=file,
                    message=f"{table} '{ident}' of the base ({base_label}),"
                    f" after the overlay's changes: {p.message}",
                    fix=p.fix,
                    column=p.column,
                )
            )
        else:
            out.append(
                Problem(file=file, message=f"{p.file}: {p.message}", fix=p.fix, column=p.column)
            )
    return out


def _load_base(path: Path) -> Scenario:
    """The base of an overlay: another overlay, or a folder or workbook."""
    if path.is_file() and path.suffix.lower() in (".yaml", ".yml"):
        return load_overlay(path)
    return load_tables(path)


def _optional_of(base: Scenario) -> dict[str, pd.DataFrame]:
    """The base's candidate facilities, own technology rows and trajectories, kept by a variant."""
    from parkflow.io.saved import optional_tables, technology_overrides

    out: dict[str, pd.DataFrame] = dict(optional_tables(base))
    techs = technology_overrides(base)
    if techs is not None:
        out["technologies"] = techs
    return out


def load_overlay(path: str | Path) -> Scenario:
    """Load a layout variant: the base scenario with the overlay's changes, validated.

    Parameters
    ----------
    path : path
        The overlay ``.yaml`` file (see the module docstring for its format).

    Returns
    -------
    Scenario
        Named after the overlay's ``name`` (default: ``"<base name> + <file stem>"``), with the
        base's catalogue, targets and settings; ``source`` is the overlay file.

    Raises
    ------
    ScenarioError
        Every problem, each naming the overlay file and the entry (``add.uses[1].capacity``).

    Examples
    --------
    >>> from parkflow.io.bundled import scenarios_root
    >>> sc = load_overlay(scenarios_root() / "leshan-wutongqiao-variants" / "gypsum-board.yaml")
    >>> sc.name
    'Leshan Wutongqiao 2025 + gypsum-board plant'
    """
    path = Path(path)
    file = str(path)
    problems = _Collect(file)
    stack: set[Path] = getattr(_loading, "stack", set())
    here = path.resolve()
    if here in stack:
        raise ScenarioError(
            Problem(
                file=file,
                message="the overlay's base leads back to itself",
                column="base",
                fix="point `base:` at a scenario folder",
            ),
            source=file,
        )
    data = _read(path, problems)
    if not data or not data.get("base"):
        raise ScenarioError(problems.items, source=file)
    base_path = (path.parent / str(data["base"])).resolve()
    if not base_path.exists():
        raise ScenarioError(
            Problem(
                file=file,
                message=f"base '{data['base']}' not found (looked for {base_path})",
                column="base",
                fix="give the base scenario's path relative to this file",
            ),
            source=file,
        )
    _loading.stack = stack | {here}
    try:
        base = _load_base(base_path)
    except ScenarioError as exc:
        head = Problem(
            file=file,
            column="base",
            message=f"the base scenario {data['base']} has "
            f"{len(exc.problems)} problem(s), listed below",
        )
        raise ScenarioError([head, *exc.problems], source=file) from exc
    finally:
        _loading.stack = stack
    gcj02 = data.get("coordinates", "wgs84") == "gcj02"
    add = _section(data, "add", ADD_TABLES, problems)
    move = _section(data, "move", MOVE_TABLES, problems)
    remove = _section(data, "remove", REMOVE_TABLES, problems)
    tables = {t: _table(getattr(base, t)) for t in ADD_TABLES}
    _remove(tables, remove, problems)
    _move(tables, move, gcj02, problems)
    origin = _add(tables, add, gcj02, problems)
    if problems.items:
        raise ScenarioError(problems.items, source=file)

    parks = pd.DataFrame(base.parks).copy()
    parks.index = parks.index.astype(str)
    parks.index.name = "id"
    if "geometry" in parks.columns and parks["geometry"].isna().all():
        parks = None  # derived from the enterprises again (the base had no parks.geojson)
    else:
        import geopandas as gpd

        parks = gpd.GeoDataFrame(parks.reset_index(), geometry="geometry", crs="EPSG:4326")
    s = base.settings
    name = str(data.get("name") or f"{base.name} + {path.stem}")
    description = str(data.get("description") or s.description)
    try:
        scenario = scenario_from_frames(
            name,
            tables["enterprises"].reset_index(),
            tables["supplies"].reset_index(),
            tables["uses"].reset_index(),
            stockpiles=tables["stockpiles"].reset_index(),
            links=tables["links"].reset_index(),
            parks=parks,
            targets=list(base.targets),
            catalogue=base.catalogue,
            description=description,
            year=s.year,
            operating_hours=s.operating_hours,
            candidates=s.candidates,
            objective=s.objective,
            solver=s.solver,
            modes=dict(base.mode_overrides),
            extra=dict(s.extra),
            **_optional_of(base),
        )
    except ScenarioError as exc:
        raise ScenarioError(
            _translate(exc, origin, file, str(data["base"]), tables), source=file
        ) from exc
    return scenario.replace(source=path)
