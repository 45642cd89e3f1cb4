"""Saving a scenario: a folder (scenario.yaml + CSV + parks.geojson) or one ``.xlsx`` workbook.

:func:`save_scenario` writes what :func:`parkflow.io.load_scenario` reads back equal (the
round-trip property in tests/properties/test_roundtrip.py): quantities in canonical units with
their units, coordinates WGS-84, catalogue rows that differ from the built-in ones as override
tables. Written whole or not at all, never over the scenario's own source. :func:`summarise`
is the plain-text summary ``parkflow validate`` prints.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml
from shapely.geometry import mapping

from parkflow.errors import ScenarioError
from parkflow.io.readers import CATALOGUE_FILES
from parkflow.models.scenario import Catalogue, Scenario, Target, expand_materials
from parkflow.models.schema import DATA_TABLES, TABLES

__all__ = ["save_scenario", "summarise"]


def _target_dict(t: Target, catalogue: Catalogue) -> dict[str, Any]:
    spec: Any = t.spec
    members, _, _ = expand_materials(catalogue, spec, t.exclude)
    if tuple(members) != tuple(t.materials):
        spec = list(t.materials)
        again, _, _ = expand_materials(catalogue, spec, t.exclude)
        exclude = list(t.exclude) if tuple(again) == tuple(t.materials) else []
    else:
        spec = spec if "," not in spec else [s.strip() for s in spec.split(",")]
        exclude = list(t.exclude)
    out = {"id": t.id, "materials": spec, "exclude": exclude, "rate": float(t.rate),
           "scope": t.scope}
    if getattr(t, "basis", "nbs") != "nbs":
        out["basis"] = t.basis
    if getattr(t, "year", None) is not None:
        out["year"] = int(t.year)
    if getattr(t, "enforce", None) is not None:
        out["enforce"] = bool(t.enforce)
    return out


def _plain(value: Any) -> Any:
    """numpy scalars → Python scalars, for YAML."""
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def _catalogue_overrides(scenario: Scenario) -> tuple[dict[str, pd.DataFrame], dict[str, Any]]:
    """Rows of materials/routes/modes that differ from what the saved settings reproduce.

    Returns the override tables (full rows, sources included) and the ``modes:`` mapping.
    """
    from parkflow.catalogue import CATALOGUE_COLUMNS, builtin_catalogue, load_catalogue
    from parkflow.models.compare import frames_equal

    cat = scenario.catalogue
    modes = _plain(dict(scenario.mode_overrides))
    base = builtin_catalogue()
    try:
        with_modes = load_catalogue(mode_overrides=modes) if modes else base
    except ScenarioError:
        with_modes, modes = base, {}
    tables: dict[str, pd.DataFrame] = {}
    for table, reference in (("materials", base.materials), ("routes", base.routes),
                             ("modes", with_modes.modes)):
        mine: pd.DataFrame = getattr(cat, table)
        if frames_equal(mine, reference):
            continue
        differ = [i for i in mine.index
                  if i not in reference.index
                  or not frames_equal(mine.loc[[i]], reference.loc[[i]])]
        rows = mine.loc[differ, [c for c in CATALOGUE_COLUMNS[table] if c in mine.columns]]
        tables[table] = rows
    for table in ("fates", "stacking_costs", "replacement_fuels", "route_classes"):
        mine = getattr(cat, table)
        reference = getattr(base, table)
        if len(mine) == 0 or frames_equal(mine, reference):
            continue
        differ = [i for i in mine.index
                  if i not in reference.index
                  or not frames_equal(mine.loc[[i]], reference.loc[[i]])]
        rows = mine.loc[differ, [c for c in CATALOGUE_COLUMNS[table] if c in mine.columns]]
        if table == "stacking_costs":
            rows = rows.rename_axis("material").reset_index()
        elif table == "route_classes":
            rows = rows.reset_index(drop=True)
        tables[table] = rows
    return tables, modes


def _catalogue_csv_frame(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    for column in out.columns:
        if out[column].map(lambda v: isinstance(v, tuple)).any():
            out[column] = out[column].map(lambda v: ";".join(v) if isinstance(v, tuple) else v)
    out.index.name = "id"
    return out.reset_index()


def _config(scenario: Scenario, modes: dict[str, Any]) -> dict[str, Any]:
    s = scenario.settings
    config: dict[str, Any] = {"name": scenario.name}
    if s.description:
        config["description"] = s.description
    if s.year is not None:
        config["year"] = int(s.year)
    config.update({
        "coordinates": "wgs84",
        "operating_hours": float(s.operating_hours),
        "candidates": s.candidates,
        "objective": s.objective,
        "solver": {"name": s.solver.name, "time_limit_s": float(s.solver.time_limit_s),
                   "gap": float(s.solver.gap)},
        "targets": [_target_dict(t, scenario.catalogue) for t in scenario.targets],
    })
    if modes:
        config["modes"] = modes
    for key, value in s.extra.items():
        config.setdefault(key, value)
    return _plain(config)


def _table_frame(name: str, df: pd.DataFrame) -> pd.DataFrame:
    """A scenario table as written: the id first, no geometry."""
    out = pd.DataFrame(df.drop(columns="geometry", errors="ignore")).copy()
    out.index.name = "id"
    return out.reset_index()


def _write_folder(scenario: Scenario, folder: Path) -> None:
    tables, modes = _catalogue_overrides(scenario)
    config = _config(scenario, modes)
    (folder / "scenario.yaml").write_text(
        yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    for name in DATA_TABLES:
        frame = _table_frame(name, getattr(scenario, name))
        frame.to_csv(folder / TABLES[name].file, index=False, encoding="utf-8",
                     lineterminator="\n")
    if len(scenario.parks):
        features = []
        parks = scenario.parks
        props = pd.DataFrame(parks.drop(columns=parks.geometry.name))
        for ident, geom, row in zip(parks.index, parks.geometry, props.to_dict("records"),
                                    strict=True):
            properties = {"id": str(ident)}
            properties.update({k: (None if isinstance(v, float) and math.isnan(v)
                                   else _plain(v)) for k, v in row.items()})
            features.append({"type": "Feature", "properties": properties,
                             "geometry": None if geom is None else mapping(geom)})
        (folder / "parks.geojson").write_text(
            json.dumps({"type": "FeatureCollection", "features": features},
                       ensure_ascii=False, default=_plain), encoding="utf-8")
    for table, rows in tables.items():
        frame = (rows if table in ("stacking_costs", "route_classes")
                 else _catalogue_csv_frame(rows))
        frame.to_csv(folder / CATALOGUE_FILES[table], index=False, encoding="utf-8",
                     lineterminator="\n")


def _write_workbook(scenario: Scenario, file: Path) -> None:
    tables, modes = _catalogue_overrides(scenario)
    config = _config(scenario, modes)

    def cell(value: Any) -> Any:
        if isinstance(value, (dict, list)):
            return yaml.safe_dump(value, allow_unicode=True, default_flow_style=True,
                                  width=10**6).strip()
        return value

    sheet = pd.DataFrame({"key": list(config), "value": [cell(v) for v in config.values()]},
                         dtype=object)
    with pd.ExcelWriter(file, engine="openpyxl") as writer:
        sheet.to_excel(writer, sheet_name="scenario", index=False)
        for name in DATA_TABLES:
            _table_frame(name, getattr(scenario, name)).to_excel(writer, sheet_name=name,
                                                                  index=False)
        parks = scenario.parks
        frame = _table_frame("parks", parks)
        frame["geometry"] = [None if g is None else g.wkt for g in parks.geometry]
        frame.to_excel(writer, sheet_name="parks", index=False)
        for table, rows in tables.items():
            _catalogue_csv_frame(rows).to_excel(writer, sheet_name=table, index=False)


def save_scenario(scenario: Scenario, path: str | Path) -> Path:
    """Save a scenario as a folder or (suffix ``.xlsx``) one workbook; load gives it back equal.

    Written whole or not at all (through :func:`parkflow.io.atomic.output_dir`), never over the
    scenario's own source. Quantities are written in canonical units with their units.

    Parameters
    ----------
    scenario : Scenario
    path : path
        A folder (created or replaced) or an ``.xlsx`` file.

    Returns
    -------
    Path
        ``path``.

    Raises
    ------
    OutputError
        When ``path`` is, holds or lies in the scenario's source.
    """
    from parkflow.io.atomic import check_not_input, output_dir

    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        check_not_input(path, [scenario.source])
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.tmp-", suffix=".xlsx",
                                        dir=path.parent)
        os.close(fd)
        tmp = Path(tmp_name)
        try:
            _write_workbook(scenario, tmp)
            os.replace(tmp, path)
        finally:
            if tmp.exists():
                tmp.unlink()
        return path
    with output_dir(path, inputs=[scenario.source]) as tmp_dir:
        _write_folder(scenario, tmp_dir)
    return path



def summarise(scenario: Scenario) -> str:
    """A short plain-text summary: enterprises per park, streams per material, generated per
    statistics category and the targets.

    Parameters
    ----------
    scenario : Scenario

    Returns
    -------
    str
    """
    sc = scenario
    mats = sc.catalogue.materials
    lines = [
        f"Scenario '{sc.name}': {len(sc.enterprises)} enterprises in {len(sc.parks)} parks, "
        f"{len(sc.supplies)} supplies, {len(sc.uses)} uses, {len(sc.stockpiles)} stockpiles, "
        f"{len(sc.links)} links",
    ]
    if sc.settings.description:
        lines.append(f"  {sc.settings.description}")
    lines.append("Enterprises per park:")
    per_park = sc.enterprises.groupby("park").size()
    for park, n in per_park.items():
        name = sc.parks["name"].get(park, park) if len(sc.parks) else park
        label = f"{park} ({name})" if name and name != park else str(park)
        lines.append(f"  {label}: {n}")
    lines.append("Streams per material:")
    supplied = sc.supplies.groupby("material").agg(n=("quantity", "size"),
                                                  total=("quantity", "sum"))
    stocked = sc.stockpiles.groupby("material")["quantity"].sum()
    route_kind = sc.uses.assign(
        material=sc.uses["route"].map(sc.catalogue.routes["accepts"])).explode("material")
    absorbable = route_kind.groupby("material")["capacity"].sum()
    for material, row in supplied.iterrows():
        unit = mats.loc[material, "canonical_unit"]
        extra = ""
        if material in stocked.index:
            extra += f", stock {stocked[material]:,.0f} {unit.removesuffix('/a')}"
        extra += f", use capacity {absorbable.get(material, 0.0):,.0f} {unit}"
        lines.append(f"  {material}: {int(row['n'])} supplies, {row['total']:,.0f} {unit}{extra}")
    lines.append("Generated per statistics category:")
    cats = sc.supplies.assign(category=sc.supplies["material"].map(mats["category"]),
                              unit_=sc.supplies["material"].map(mats["canonical_unit"]))
    for (category, unit), total in cats.groupby(["category", "unit_"])["quantity"].sum().items():
        name = sc.catalogue.categories["name_en"].get(category, category)
        lines.append(f"  {category} ({name}): {total:,.0f} {unit}")
    lines.append("Targets:")
    for t in sc.targets:
        excl = f", excluding {', '.join(t.exclude)}" if t.exclude else ""
        lines.append(f"  {t.id}: {t.rate:.0%} of {t.spec}{excl} ({len(t.materials)} materials), "
                     f"scope {t.scope}")
    return "\n".join(lines)
