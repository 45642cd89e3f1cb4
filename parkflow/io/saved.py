"""What a saved scenario holds: its settings, tables and catalogue overrides as plain data.

Shared by the folder writer (:mod:`parkflow.io.writers`) and the workbook writer
(:mod:`parkflow.io.workbook`), so both save the same things.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from parkflow.errors import ScenarioError
from parkflow.models.scenario import Catalogue, Scenario, Target, expand_materials


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
    out = {
        "id": t.id,
        "materials": spec,
        "exclude": exclude,
        "rate": float(t.rate),
        "scope": t.scope,
    }
    if getattr(t, "basis", "nbs") != "nbs":
        out["basis"] = t.basis
    year = getattr(t, "year", None)
    if year is not None:
        out["year"] = int(year)
    if getattr(t, "enforce", None) is not None:
        out["enforce"] = bool(t.enforce)
    if getattr(t, "rate_by_year", ()):
        out["rate_by_year"] = {int(y): float(r) for y, r in t.rate_by_year}
    return out


def _plain(value: Any) -> Any:
    """Numpy scalars → Python scalars, for YAML."""
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
    for table, reference in (
        ("materials", base.materials),
        ("routes", base.routes),
        ("modes", with_modes.modes),
    ):
        mine: pd.DataFrame = getattr(cat, table)
        if frames_equal(mine, reference):
            continue
        differ = [
            i
            for i in mine.index
            if i not in reference.index or not frames_equal(mine.loc[[i]], reference.loc[[i]])
        ]
        rows = mine.loc[differ, [c for c in CATALOGUE_COLUMNS[table] if c in mine.columns]]
        tables[table] = rows
    for table in ("fates", "stacking_costs", "replacement_fuels", "route_classes"):
        mine = getattr(cat, table)
        reference = getattr(base, table)
        if len(mine) == 0 or frames_equal(mine, reference):
            continue
        differ = [
            i
            for i in mine.index
            if i not in reference.index or not frames_equal(mine.loc[[i]], reference.loc[[i]])
        ]
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
    config.update(
        {
            "coordinates": "wgs84",
            "operating_hours": float(s.operating_hours),
            "candidates": s.candidates,
            "objective": s.objective,
            "solver": {
                "name": s.solver.name,
                "time_limit_s": float(s.solver.time_limit_s),
                "gap": float(s.solver.gap),
            },
            "targets": [_target_dict(t, scenario.catalogue) for t in scenario.targets],
        }
    )
    if modes:
        config["modes"] = modes
    for key, value in s.extra.items():
        config.setdefault(key, value)
    return _plain(config)


def _table_frame(name: str, df: pd.DataFrame) -> pd.DataFrame:
    """A scenario table as written: the id first, no geometry.

    A table whose rows have no id of their own (``trajectories``: its ``id`` column names the
    supplies or uses row) is written without its index.
    """
    out = pd.DataFrame(df.drop(columns="geometry", errors="ignore")).copy()
    if "id" in out.columns:
        return out.reset_index(drop=True)
    out.index.name = "id"
    return out.reset_index()


def optional_tables(scenario: Scenario) -> dict[str, pd.DataFrame]:
    """The scenario's optional tables with rows, as written (id first): ``facilities`` ...

    Every table of :data:`parkflow.models.schema.TABLES` other than the data tables and the
    parks that the scenario holds as a non-empty attribute of the same name (issue 12: the
    candidate facilities; a periods scenario's ``trajectories`` once the schema declares it).
    """
    from parkflow.models.schema import DATA_TABLES, TABLES

    out: dict[str, pd.DataFrame] = {}
    for name in TABLES:
        if name in DATA_TABLES or name == "parks":
            continue
        df = getattr(scenario, name, None)
        if isinstance(df, pd.DataFrame) and len(df):
            out[name] = _table_frame(name, df)
    return out


def technology_overrides(scenario: Scenario) -> pd.DataFrame | None:
    """The scenario's ``technologies`` rows that differ from the built-in catalogue's (or None).

    Written as technologies.csv (a folder) or a ``technologies`` sheet (a workbook), which the
    reader merges over the built-in technologies again (docs/scenario-format.md).
    """
    from parkflow.catalogue import builtin_catalogue
    from parkflow.models.compare import frames_equal

    mine = scenario.catalogue.technologies
    if mine is None or len(mine) == 0:
        return None
    base = builtin_catalogue().technologies
    if base is not None and frames_equal(mine, base):
        return None
    differ = [
        i
        for i in mine.index
        if base is None
        or i not in base.index
        or not frames_equal(mine.loc[[i]], base.loc[[i], mine.columns])
    ]
    if not differ:
        return None
    return _catalogue_csv_frame(mine.loc[differ])
