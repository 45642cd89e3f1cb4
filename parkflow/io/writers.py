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
from pathlib import Path

import pandas as pd
import yaml
from shapely.geometry import mapping

from parkflow.io.readers import CATALOGUE_FILES
from parkflow.io.saved import (
    _catalogue_csv_frame,
    _catalogue_overrides,
    _config,
    _plain,
    _table_frame,
)
from parkflow.models.scenario import Scenario
from parkflow.models.schema import DATA_TABLES, TABLES

__all__ = ["save_scenario", "summarise"]


def _write_folder(scenario: Scenario, folder: Path) -> None:
    tables, modes = _catalogue_overrides(scenario)
    config = _config(scenario, modes)
    (folder / "scenario.yaml").write_text(
        yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    for name in DATA_TABLES:
        frame = _table_frame(name, getattr(scenario, name))
        frame.to_csv(folder / TABLES[name].file, index=False, encoding="utf-8", lineterminator="\n")
    traj = getattr(scenario, "trajectories", None)  # issue 12: written only when present
    if traj is not None and len(traj):
        traj.to_csv(
            folder / TABLES["trajectories"].file, index=False, encoding="utf-8", lineterminator="\n"
        )
    if len(scenario.parks):
        features = []
        parks = scenario.parks
        props = pd.DataFrame(parks.drop(columns=parks.geometry.name))
        for ident, geom, row in zip(
            parks.index, parks.geometry, props.to_dict("records"), strict=True
        ):
            properties = {"id": str(ident)}
            properties.update(
                {
                    k: (None if isinstance(v, float) and math.isnan(v) else _plain(v))
                    for k, v in row.items()
                }
            )
            features.append(
                {
                    "type": "Feature",
                    "properties": properties,
                    "geometry": None if geom is None else mapping(geom),
                }
            )
        (folder / "parks.geojson").write_text(
            json.dumps(
                {"type": "FeatureCollection", "features": features},
                ensure_ascii=False,
                default=_plain,
            ),
            encoding="utf-8",
        )
    for table, rows in tables.items():
        frame = rows if table in ("stacking_costs", "route_classes") else _catalogue_csv_frame(rows)
        frame.to_csv(
            folder / CATALOGUE_FILES[table], index=False, encoding="utf-8", lineterminator="\n"
        )


def save_scenario(scenario: Scenario, path: str | Path, lang: str = "en") -> Path:
    """Save a scenario as a folder or (suffix ``.xlsx``) one workbook; load gives it back equal.

    Written whole or not at all (through :func:`parkflow.io.atomic.output_dir`), never over the
    scenario's own source. Quantities are written in canonical units with their units.

    Parameters
    ----------
    scenario : Scenario
    path : path
        A folder (created or replaced) or an ``.xlsx`` file (the workbook of
        :mod:`parkflow.io.workbook`: bilingual headers, drop-downs, a targets sheet).
    lang : {"en", "zh"}
        Language of a workbook's sheet names, headers and instructions (both read back).

    Returns
    -------
    Path
        ``path``.

    Raises
    ------
    OutputError
        When ``path`` is, holds or lies in the scenario's source.
    """
    from parkflow.io.atomic import output_dir

    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        from parkflow.io.workbook import write_output_file, write_workbook

        return write_output_file(
            path, lambda tmp: write_workbook(scenario, tmp, lang=lang), inputs=[scenario.source]
        )
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
    supplied = sc.supplies.groupby("material").agg(
        n=("quantity", "size"), total=("quantity", "sum")
    )
    stocked = sc.stockpiles.groupby("material")["quantity"].sum()
    route_kind = sc.uses.assign(
        material=sc.uses["route"].map(sc.catalogue.routes["accepts"])
    ).explode("material")
    absorbable = route_kind.groupby("material")["capacity"].sum()
    for material, row in supplied.iterrows():
        unit = mats.loc[material, "canonical_unit"]
        extra = ""
        if material in stocked.index:
            extra += f", stock {stocked[material]:,.0f} {unit.removesuffix('/a')}"
        extra += f", use capacity {absorbable.get(material, 0.0):,.0f} {unit}"
        lines.append(f"  {material}: {int(row['n'])} supplies, {row['total']:,.0f} {unit}{extra}")
    lines.append("Generated per statistics category:")
    cats = sc.supplies.assign(
        category=sc.supplies["material"].map(mats["category"]),
        unit_=sc.supplies["material"].map(mats["canonical_unit"]),
    )
    for (category, unit), total in cats.groupby(["category", "unit_"])["quantity"].sum().items():
        name = sc.catalogue.categories["name_en"].get(category, category)
        lines.append(f"  {category} ({name}): {total:,.0f} {unit}")
    lines.append("Targets:")
    for t in sc.targets:
        excl = f", excluding {', '.join(t.exclude)}" if t.exclude else ""
        lines.append(
            f"  {t.id}: {t.rate:.0%} of {t.spec}{excl} ({len(t.materials)} materials), "
            f"scope {t.scope}"
        )
    return "\n".join(lines)
