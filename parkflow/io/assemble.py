"""Raw frames → :class:`~parkflow.models.scenario.Scenario`: typing, unit conversion, ids.

:func:`assemble` runs the rules of :mod:`parkflow.io.checks` table by table (enterprises, parks,
supplies and stockpiles, uses, links, then the targets), converts every quantity to its
material's canonical unit and coordinates to WGS-84, and returns the Scenario — or None when
any problem was found (the problems are collected, never raised here). Material, route, mode
and sector cells may hold the catalogue's Chinese (or English) names: 粉煤灰 → ``fly_ash``.
:func:`scenario_from_frames` builds a scenario from DataFrames in code through the same path.
"""

from __future__ import annotations

import dataclasses
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from parkflow.errors import Problem, ScenarioError
from parkflow.geo import gcj02_to_wgs84
from parkflow.io.cells import bool_cells, excel_row, extra_cells, number_cells, text_cells
from parkflow.io.checks import (
    Problems,
    assign_ids,
    check_bool_column,
    check_columns,
    check_in_china,
    check_links,
    check_park_given,
    check_parks_in_china,
    check_refs,
    check_settings,
    check_targets,
    enterprise_park_known,
    link_mode_carries,
    link_route_accepts,
    number_column,
    quantities,
    route_kind,
    stockpile_is_solid,
    supply_fates,
)
from parkflow.io.readers import CATALOGUE_FILES, RawScenario, read_source
from parkflow.models.scenario import Catalogue, Scenario, Settings, SolverSettings, Target
from parkflow.models.schema import DATA_TABLES, TABLES

__all__ = ["assemble", "scenario_from_frames", "catalogue_names", "validate_tables", "load_tables"]


@dataclass
class _Build:
    """What the table steps of :func:`assemble` share."""

    src: RawScenario
    problems: Problems
    catalogue: Catalogue
    settings: Settings
    files: dict[str, str]
    frames: dict[str, pd.DataFrame | None]
    ids: dict[str, pd.Index]
    built: dict[str, pd.DataFrame] = field(default_factory=dict)
    parks: gpd.GeoDataFrame | None = None


def _norm(text: object) -> str:
    return unicodedata.normalize("NFKC", str(text)).strip().lower()


def catalogue_names(table: pd.DataFrame) -> dict[str, str]:
    """``name → id`` for a catalogue table's Chinese and English names (NFKC, lower-case).

    Examples
    --------
    >>> from parkflow.catalogue import builtin_catalogue
    >>> catalogue_names(builtin_catalogue().materials)["粉煤灰"]
    'fly_ash'
    """
    names: dict[str, str] = {}
    for column in ("name_en", "name_zh"):
        if column not in table.columns:
            continue
        for ident, name in zip(table.index, table[column], strict=True):
            key = _norm(name)
            if key and key not in ("nan", "none"):
                names.setdefault(key, str(ident))
    return names


def _to_ids(df: pd.DataFrame, column: str, known: pd.Index, names: dict[str, str]) -> None:
    """Replace cells of ``column`` that hold a catalogue name (not an id) by the id, in place."""
    if column not in df.columns or not names:
        return
    values = text_cells(df[column])
    unknown = ~values.isin(known) & (values != "")
    if not unknown.any():
        return
    mapped = values[unknown].map(lambda v: names.get(_norm(v)))
    hit = mapped.notna()
    if hit.any():
        df[column] = df[column].astype(object)
        df.loc[mapped.index[hit], column] = mapped[hit]


def _sector_names() -> dict[str, str]:
    from parkflow.i18n import sector_table

    try:
        return catalogue_names(sector_table())
    except (OSError, ValueError, KeyError):
        return {}


def _catalogue_ids(b: _Build) -> None:
    """Catalogue names written in material, route, mode and sector cells become ids."""
    cat = b.catalogue
    mats, routes, modes = (
        catalogue_names(cat.materials),
        catalogue_names(cat.routes),
        catalogue_names(cat.modes),
    )
    for t, df in b.frames.items():
        if df is None:
            continue
        _to_ids(df, "material", cat.materials.index, mats)
        _to_ids(df, "route", cat.routes.index, routes)
        _to_ids(df, "mode", cat.modes.index, modes)
        if t == "enterprises":
            sectors = _sector_names()
            _to_ids(df, "sector", pd.Index(sorted(set(sectors.values()))), sectors)


def build_catalogue(src: RawScenario, problems: Problems) -> Catalogue:
    """The scenario's catalogue: the built-in one with its overrides (problems collected)."""
    from parkflow.catalogue import builtin_catalogue, load_catalogue

    if src.catalogue is not None:
        return src.catalogue
    raw_modes = src.config.get("modes")
    try:
        return load_catalogue(
            materials=src.tables.get("materials"),
            routes=src.tables.get("routes"),
            modes=src.tables.get("modes"),
            mode_overrides=raw_modes if raw_modes else None,
            fates=src.tables.get("fates"),
            stacking_costs=src.tables.get("stacking_costs"),
            replacement_fuels=src.tables.get("replacement_fuels"),
            route_classes=src.tables.get("route_classes"),
        )
    except ScenarioError as exc:
        rename = {file: src.files.get(name, file) for name, file in CATALOGUE_FILES.items()}
        rename["scenario.yaml"] = src.config_file
        for p in exc.problems:
            problems.add(rename.get(p.file, p.file), p.message, p.fix, p.row, p.column)
        return builtin_catalogue()


def finish_table(
    name: str, df: pd.DataFrame, ids: pd.Index, typed: dict[str, pd.Series]
) -> pd.DataFrame:
    """Declared columns (typed) then extra columns; indexed by id."""
    schema = TABLES[name]
    data: dict[str, Any] = {}
    for column in schema.columns:
        if column.name == "id":
            continue
        if column.name in typed:
            data[column.name] = typed[column.name].to_numpy()
        elif column.dtype == "float64":
            data[column.name] = number_cells(df[column.name])[0].to_numpy()
        elif column.dtype == "bool":
            data[column.name] = bool_cells(df[column.name])[0].to_numpy()
        else:
            data[column.name] = text_cells(df[column.name]).to_numpy()
    for column in df.columns:
        if column in schema.column_names or column in ("id", "geometry"):
            continue
        data[column] = extra_cells(df[column]).to_numpy()
    out = pd.DataFrame(data, index=ids)
    for column in schema.columns:
        if column.name == "id":
            continue
        if column.dtype == "float64":
            out[column.name] = out[column.name].astype(float)
        elif column.dtype == "bool":
            out[column.name] = out[column.name].astype(bool)
        else:
            out[column.name] = out[column.name].astype(str)
    return out


def _enterprises(b: _Build) -> None:
    """enterprises: coordinates inside China (or swapped), GCJ-02 converted, a park each."""
    problems, settings = b.problems, b.settings
    frames, ids, built, files = b.frames, b.ids, b.built, b.files
    ent = frames["enterprises"]
    if ent is not None:
        file = files["enterprises"]
        eids = ids["enterprises"]
        lon = number_column(
            "enterprises", ent, eids, "lon", file, problems, required=True, unit="degrees"
        )
        lat = number_column(
            "enterprises", ent, eids, "lat", file, problems, required=True, unit="degrees"
        )
        have = lon.notna() & lat.notna()
        check_in_china(eids, lon, lat, file, problems)
        if settings.coordinates == "gcj02":
            w_lon, w_lat = gcj02_to_wgs84(lon.to_numpy(), lat.to_numpy())
            lon = pd.Series(np.where(have, w_lon, lon), index=ent.index)
            lat = pd.Series(np.where(have, w_lat, lat), index=ent.index)
        park = text_cells(ent["park"])
        check_park_given(eids, park, file, problems)
        names = text_cells(ent["name"])
        names = names.where(names != "", pd.Series(list(eids), index=ent.index, dtype=str))
        built["enterprises"] = finish_table(
            "enterprises",
            ent,
            eids,
            {"lon": lon, "lat": lat, "park": park, "name": names},
        )

    # parks ----------------------------------------------------------------------------------


def _parks(b: _Build) -> None:
    """parks: from parks.geojson (every enterprise's park in it) or derived from enterprises."""
    src, problems = b.src, b.problems
    ids, built, files = b.ids, b.built, b.files
    ent_ids = ids.get("enterprises", pd.Index([], dtype=str))
    parks_raw = src.tables.get("parks")
    ent_tab = built.get("enterprises")
    if parks_raw is not None:
        pfile = files.get("parks", "parks")
        pdf = check_columns("parks", parks_raw, pfile, problems)
        if pdf is not None:
            geometry = (
                pdf["geometry"].to_numpy() if "geometry" in pdf.columns else [None] * len(pdf)
            )
            pids = assign_ids("parks", pdf, pfile, problems)
            for pos in np.flatnonzero((text_cells(pdf["id"]) == "").to_numpy()):
                problems.add(
                    pfile,
                    "a park has no id",
                    fix="give every park its id",
                    row=excel_row(pos),
                    column="id",
                )
            parks = gpd.GeoDataFrame(
                finish_table("parks", pdf, pids, {}), geometry=list(geometry), crs="EPSG:4326"
            )
            parks = parks[~parks.index.duplicated()]
            check_parks_in_china(parks, pfile, problems)
        else:
            parks = None
        if parks is not None and ent_tab is not None:
            enterprise_park_known(
                ent_ids, ent_tab["park"], parks.index, files["enterprises"], pfile, problems
            )
    else:
        parks = None
    if parks is None:
        if ent_tab is not None:
            named = ent_tab[ent_tab["park"] != ""]
            pid = pd.Index(named["park"].unique(), dtype=str, name="park_id")
            city = (
                named[named["city"] != ""]
                .groupby("park")["city"]
                .first()
                .reindex(pid)
                .fillna("")
                .astype(str)
            )
            parks = gpd.GeoDataFrame(
                {
                    "name": pd.Series(list(pid), index=pid, dtype=str),
                    "level": pd.Series([""] * len(pid), index=pid, dtype=str),
                    "city": city.to_numpy(),
                    "name_zh": pd.Series([""] * len(pid), index=pid, dtype=str),
                    "city_zh": pd.Series([""] * len(pid), index=pid, dtype=str),
                },
                index=pid,
                geometry=[None] * len(pid),
                crs="EPSG:4326",
            )
            parks["city"] = parks["city"].astype(str)
        else:
            parks = gpd.GeoDataFrame(
                {"name": [], "level": [], "city": [], "name_zh": [], "city_zh": []},
                geometry=[],
                crs="EPSG:4326",
                index=pd.Index([], dtype=str, name="park_id"),
            )
    parks.index.name = "park_id"
    if ent_tab is not None:
        park_city = parks["city"].reindex(ent_tab["park"]).fillna("").astype(str).to_numpy()
        ent_tab["city"] = ent_tab["city"].where(ent_tab["city"] != "", park_city).astype(str)
        geometry = gpd.points_from_xy(ent_tab["lon"], ent_tab["lat"])
        built["enterprises"] = gpd.GeoDataFrame(ent_tab, geometry=geometry, crs="EPSG:4326")
    b.parks = parks


def _supplies_and_stockpiles(b: _Build) -> None:
    """Supplies and stockpiles: known enterprise and material, quantities in canonical units."""
    problems, catalogue, settings = b.problems, b.catalogue, b.settings
    frames, ids, built, files = b.frames, b.ids, b.built, b.files
    mats = catalogue.materials
    hours = settings.operating_hours
    ent_ids = ids.get("enterprises", pd.Index([], dtype=str))
    mat_ids = mats.index
    mat_kind = mats["kind"]
    density = mats["density_kg_per_nm3"]
    known_mat_file = "the catalogue (parkflow catalogue --table materials)"
    ent_file = files["enterprises"]
    for t in ("supplies", "stockpiles"):
        df = frames[t]
        if df is None:
            continue
        file, tids = files[t], ids[t]
        check_refs(t, df, tids, "enterprise", ent_ids, "enterprise", file, ent_file, problems)
        mat_ok = check_refs(
            t, df, tids, "material", mat_ids, "material", file, known_mat_file, problems
        )
        material = text_cells(df["material"])
        kind = material.map(mat_kind).where(mat_ok, "").fillna("").astype(str)
        qty = number_column(t, df, tids, "quantity", file, problems, required=True)
        typed: dict[str, pd.Series] = {
            "enterprise": text_cells(df["enterprise"]),
            "material": material,
        }
        if t == "stockpiles":
            # max_draw is in the canonical unit per year (schema), whatever the row's unit
            draw = number_column(
                t,
                df,
                tids,
                "max_draw",
                file,
                problems,
                required=False,
                unit="canonical unit per year",
            )
            stockpile_is_solid(tids, material, kind, file, problems)
        else:
            typed["temperature_c"] = number_column(
                t, df, tids, "temperature_c", file, problems, required=False, unit="°C"
            )
            typed["purity"] = number_column(
                t, df, tids, "purity", file, problems, required=False, unit="fraction"
            )
        frame = df.assign(quantity=qty)
        what = material.map(lambda m: f"material '{m}'")
        also: tuple[str, ...] = ()
        if t == "supplies":
            outside = (
                number_column(
                    t, df, tids, "utilised_outside", file, problems, required=False, unit="see unit"
                )
                if "utilised_outside" in df.columns
                else pd.Series(0.0, index=df.index)
            )
            frame = frame.assign(utilised_outside=outside.fillna(0.0))
            also = ("utilised_outside",)
            typed["growth_per_a"] = number_column(  # issue 12 (periods)
                t, df, tids, "growth_per_a", file, problems, required=False, unit="1/a"
            ).fillna(0.0)
        conv = quantities(
            t,
            frame,
            tids,
            "quantity",
            kind,
            material.map(density),
            what,
            hours,
            file,
            problems,
            also=also,
        )
        typed.update(conv)
        if t == "supplies":
            typed.update(supply_fates(df, tids, kind, conv, catalogue, file, problems))
        if t == "stockpiles":
            q = conv["quantity"]
            if (settings.extra or {}).get("periods") is not None:
                # issue 12: a yearly limit; stock_available bounds each year by the stock level
                typed["max_draw"] = draw.where(draw.notna(), q)
            else:
                typed["max_draw"] = draw.where(draw.notna(), q).clip(upper=q)
        built[t] = finish_table(t, df, tids, typed)

    # uses -------------------------------------------------------------------------------------


def _uses(b: _Build) -> None:
    """uses: known enterprise and route, capacities in canonical units."""
    problems, catalogue, settings = b.problems, b.catalogue, b.settings
    frames, ids, built, files = b.frames, b.ids, b.built, b.files
    mats = catalogue.materials
    hours = settings.operating_hours
    ent_ids = ids.get("enterprises", pd.Index([], dtype=str))
    density = mats["density_kg_per_nm3"]
    known_route_file = "the catalogue (parkflow catalogue --table routes)"
    ent_file = files["enterprises"]
    df = frames["uses"]
    kind_of_route = route_kind(catalogue)
    if df is not None:
        file, tids = files["uses"], ids["uses"]
        check_refs("uses", df, tids, "enterprise", ent_ids, "enterprise", file, ent_file, problems)
        route_ok = check_refs(
            "uses",
            df,
            tids,
            "route",
            catalogue.routes.index,
            "route",
            file,
            known_route_file,
            problems,
        )
        route = text_cells(df["route"])
        kind = route.map(kind_of_route).where(route_ok, "").fillna("").astype(str)
        cap = number_column("uses", df, tids, "capacity", file, problems, required=True)
        typed = {
            "enterprise": text_cells(df["enterprise"]),
            "route": route,
            "min_temperature_c": number_column(
                "uses", df, tids, "min_temperature_c", file, problems, required=False, unit="°C"
            ),
            "min_purity": number_column(
                "uses", df, tids, "min_purity", file, problems, required=False, unit="fraction"
            ),
            "value": number_column("uses", df, tids, "value", file, problems, required=False),
            "growth_per_a": number_column(  # issue 12 (periods)
                "uses", df, tids, "growth_per_a", file, problems, required=False, unit="1/a"
            ).fillna(0.0),
        }
        # Nm3 for a hydrogen route: the density of the first hydrogen material it accepts
        first_mat = route.map(catalogue.routes["accepts"].map(lambda a: a[0] if a else ""))
        what = route.map(lambda r: f"route '{r}'")
        conv = quantities(
            "uses",
            df.assign(capacity=cap),
            tids,
            "capacity",
            kind,
            first_mat.map(density),
            what,
            hours,
            file,
            problems,
        )
        typed.update(conv)
        built["uses"] = finish_table("uses", df, tids, typed)

    # links ------------------------------------------------------------------------------------


def _links(b: _Build) -> None:
    """links: known ends, material, route and mode that fit each other, then the link rules."""
    problems, catalogue = b.problems, b.catalogue
    frames, ids, built, files = b.frames, b.ids, b.built, b.files
    mats = catalogue.materials
    ent_ids = ids.get("enterprises", pd.Index([], dtype=str))
    mat_ids = mats.index
    known_mat_file = "the catalogue (parkflow catalogue --table materials)"
    known_route_file = "the catalogue (parkflow catalogue --table routes)"
    ent_file = files["enterprises"]
    df = frames["links"]
    if df is not None:
        file, tids = files["links"], ids["links"]
        check_refs("links", df, tids, "from", ent_ids, "enterprise", file, ent_file, problems)
        check_refs("links", df, tids, "to", ent_ids, "enterprise", file, ent_file, problems)
        m_ok = check_refs(
            "links", df, tids, "material", mat_ids, "material", file, known_mat_file, problems
        )
        r_ok = check_refs(
            "links",
            df,
            tids,
            "route",
            catalogue.routes.index,
            "route",
            file,
            known_route_file,
            problems,
        )
        mode_ok = check_refs(
            "links",
            df,
            tids,
            "mode",
            catalogue.modes.index,
            "mode",
            file,
            "the transport modes (parkflow catalogue --table modes)",
            problems,
            allow_blank=True,
        )
        material, route = text_cells(df["material"]), text_cells(df["route"])
        mode = text_cells(df["mode"])
        link_route_accepts(
            tids, material, route, (m_ok & r_ok).to_numpy(), catalogue, file, problems
        )
        link_mode_carries(
            tids, material, mode, (m_ok & mode_ok).to_numpy(), catalogue, file, problems
        )
        existing = check_bool_column("links", df, tids, "existing", file, problems)
        typed = {
            "from": text_cells(df["from"]),
            "to": text_cells(df["to"]),
            "material": material,
            "route": route,
            "mode": mode,
            "existing": existing,
            "fixed_cost": number_column(
                "links", df, tids, "fixed_cost", file, problems, required=False, unit="CNY/a"
            ),
            "distance_km": number_column(
                "links", df, tids, "distance_km", file, problems, required=False, unit="km"
            ),
        }
        built["links"] = finish_table("links", df, tids, typed)
        check_links(
            built,
            catalogue,
            file,
            files,
            tids,
            (m_ok & r_ok & mode_ok).to_numpy(dtype=bool),
            problems,
        )


def _facilities(b: _Build) -> pd.DataFrame | None:
    """Facilities (optional, issue 12): technology known, a site or lon/lat/park, sizes."""
    from parkflow.io.facilities import check_facilities

    raw = b.src.tables.get("facilities")
    if raw is None:
        return None
    file = b.files.get("facilities", "facilities.csv")
    df = check_columns("facilities", raw, file, b.problems)
    if df is None:
        return None
    ids = assign_ids("facilities", df, file, b.problems)
    ent_ids = b.ids.get("enterprises", pd.Index([], dtype=str))
    parks = b.parks.index if b.parks is not None else pd.Index([], dtype=str)
    return check_facilities(df, ids, file, b.catalogue, ent_ids, parks, b.problems)


def assemble(src: RawScenario, problems: Problems) -> Scenario | None:
    """Validate a raw scenario and assemble the Scenario (None when any problem was found).

    Parameters
    ----------
    src : RawScenario
        What the readers (or :func:`scenario_from_frames`) produced.
    problems : Problems
        Every problem found is added here.

    Returns
    -------
    Scenario or None
    """
    name, settings, mode_overrides = check_settings(src, problems)
    catalogue = build_catalogue(src, problems)
    if src.tables.get("technologies") is not None:  # issue 12: scenario technologies rows
        from parkflow.io.facilities import merge_technologies

        catalogue = dataclasses.replace(
            catalogue,
            technologies=merge_technologies(
                catalogue.technologies,
                src.tables["technologies"],
                src.files.get("technologies", "technologies.csv"),
                problems,
            ),
        )
    files = src.files
    frames = {
        t: check_columns(t, src.tables.get(t), files.get(t, t), problems) for t in DATA_TABLES
    }
    ids = {t: assign_ids(t, df, files[t], problems) for t, df in frames.items() if df is not None}
    b = _Build(
        src=src,
        problems=problems,
        catalogue=catalogue,
        settings=settings,
        files=files,
        frames=frames,
        ids=ids,
    )
    _catalogue_ids(b)
    _enterprises(b)
    _parks(b)
    _supplies_and_stockpiles(b)
    _uses(b)
    _links(b)
    facilities = _facilities(b)  # issue 12
    from parkflow.io.periods import check_trajectories  # issue 12

    trajectories = check_trajectories(
        b.src.tables.get("trajectories"),
        b.files.get("trajectories", "trajectories.csv"),
        b.built.get("supplies"),
        b.built.get("uses"),
        catalogue,
        settings.operating_hours,
        problems,
    )
    built, parks = b.built, b.parks
    assert parks is not None
    cities = set(parks["city"])
    if "enterprises" in built:
        cities |= set(built["enterprises"]["city"])
    cities.discard("")
    targets = check_targets(src, catalogue, parks.index, cities, problems)
    settings = dataclasses.replace(settings, coordinates="wgs84")  # converted above
    if problems:
        return None
    return Scenario(
        name=name,
        enterprises=built["enterprises"],
        supplies=built["supplies"],
        uses=built["uses"],
        stockpiles=built["stockpiles"],
        links=built["links"],
        parks=parks,
        catalogue=catalogue,
        targets=targets,
        settings=settings,
        mode_overrides=mode_overrides,
        source=src.source,
        facilities=facilities,
        trajectories=trajectories,
    )


def scenario_from_frames(
    name: str,
    enterprises: pd.DataFrame,
    supplies: pd.DataFrame,
    uses: pd.DataFrame,
    stockpiles: pd.DataFrame | None = None,
    links: pd.DataFrame | None = None,
    parks: pd.DataFrame | None = None,
    targets: Sequence[Mapping[str, Any] | Target] | None = None,
    catalogue: Catalogue | None = None,
    **settings: Any,
) -> Scenario:
    """Build a scenario in code from DataFrames, with the same validation as the files.

    Parameters
    ----------
    name : str
        Scenario name.
    enterprises, supplies, uses : DataFrame
        The tables, with the columns of the files (an ``id`` column, or an index named ``id``
        or ``<table>_id``, gives the ids; otherwise they are generated as S1, U1...).
    stockpiles, links : DataFrame, optional
    parks : DataFrame or GeoDataFrame, optional
        Columns ``id, name, level[, city]`` (+ geometry); derived from enterprises when absent.
    targets : list of dict or Target, optional
        As in scenario.yaml (``id, materials, exclude, rate, scope``); default: bulk-2025.
    catalogue : Catalogue, optional
        Use this catalogue as it is (else the built-in one with ``materials``/``routes``/
        ``modes`` overrides given as keyword frames and ``modes=`` dict overrides).
    **settings
        scenario.yaml keys: ``description, year, coordinates, operating_hours, candidates,
        objective, solver, modes``; ``materials=`` and ``routes=`` override tables.

    Returns
    -------
    Scenario

    Raises
    ------
    ScenarioError
        With every problem; file names are the table names (``supplies``...), rows as if the
        frame were saved as CSV (first data row = row 2).

    Examples
    --------
    >>> ent = pd.DataFrame({"id": ["E1", "E2"], "name": ["power", "cement"], "park": "P1",
    ...                     "sector": ["power", "cement"], "lon": [104.0, 104.02],
    ...                     "lat": [30.6, 30.6]})
    >>> sup = pd.DataFrame({"enterprise": ["E1"], "material": ["fly_ash"], "quantity": [2.0],
    ...                     "unit": ["万t/a"]})
    >>> use = pd.DataFrame({"enterprise": ["E2"], "route": ["cement_admixture"],
    ...                     "capacity": [30000.0], "unit": ["t/a"]})
    >>> sc = scenario_from_frames("demo", ent, sup, use)
    >>> float(sc.supplies.loc["S1", "quantity"]), sc.supplies.loc["S1", "unit"]
    (20000.0, 't/a')
    """
    config: dict[str, Any] = {"name": name}
    overrides: dict[str, Any] = {
        k: settings.pop(k)
        for k in (
            "materials",
            "routes",
            "fates",
            "stacking_costs",
            "replacement_fuels",
            "route_classes",
        )
        if k in settings
    }
    if isinstance(settings.get("modes"), pd.DataFrame):
        overrides["modes"] = settings.pop("modes")
    solver = settings.get("solver")
    if isinstance(solver, SolverSettings):
        settings["solver"] = {
            "name": solver.name,
            "time_limit_s": solver.time_limit_s,
            "gap": solver.gap,
        }
    facilities = settings.pop("facilities", None)  # issue 12: a DataFrame of candidates
    technologies = settings.pop("technologies", None)  # issue 12: technology rows
    trajectories = settings.pop("trajectories", None)  # issue 12: yearly quantities
    extra = settings.pop("extra", None) or {}
    config.update(extra)
    config.update(settings)
    if targets is not None:
        config["targets"] = list(targets)
    tables: dict[str, pd.DataFrame | None] = {
        "enterprises": enterprises,
        "supplies": supplies,
        "uses": uses,
        "stockpiles": stockpiles,
        "links": links,
        "parks": parks,
        **overrides,
    }
    if facilities is not None:
        tables["facilities"] = facilities
    if technologies is not None:
        tables["technologies"] = technologies
    if trajectories is not None:
        tables["trajectories"] = trajectories
    files = {t: t for t in (*DATA_TABLES, "parks", *CATALOGUE_FILES, "facilities", "technologies")}
    files["trajectories"] = "trajectories"
    src = RawScenario(
        config=config, config_file="settings", tables=tables, files=files, catalogue=catalogue
    )
    problems = Problems()
    scenario = assemble(src, problems)
    if problems or scenario is None:
        raise ScenarioError(problems, source=f"scenario '{name}'")
    return scenario


def validate_tables(path: Path) -> tuple[Scenario | None, list[Problem]]:
    """Read and check a scenario folder or workbook (not a layout variant).

    Parameters
    ----------
    path : Path

    Returns
    -------
    scenario : Scenario or None
        None when any problem was found.
    problems : list of Problem
    """
    problems = Problems()
    src = read_source(Path(path), problems)
    if src is None:
        return None, list(problems)
    scenario = assemble(src, problems)
    return (scenario if not problems else None), list(problems)


def load_tables(path: Path) -> Scenario:
    """Load a scenario folder or workbook (not a layout variant); raise every problem at once.

    Raises
    ------
    ScenarioError
    """
    scenario, problems = validate_tables(path)
    if problems or scenario is None:
        raise ScenarioError(problems, source=str(path))
    return scenario
