"""Equality of scenarios: the notion the save-then-load round trip keeps.

Two scenarios are equal when their tables have the same index and columns, equal text, booleans
and geometries, and numbers equal to 1e-9 relative (NaN equals NaN); the same name, targets,
settings and catalogue. ``source`` is compared only on request.
"""

from __future__ import annotations

import dataclasses
import math
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from parkflow.models.scenario import Scenario

RTOL = 1e-9


def _values_equal(a: pd.Series, b: pd.Series) -> bool:
    if (
        pd.api.types.is_numeric_dtype(a)
        and pd.api.types.is_numeric_dtype(b)
        and not (pd.api.types.is_bool_dtype(a) or pd.api.types.is_bool_dtype(b))
    ):
        x = a.to_numpy(dtype=float)
        y = b.to_numpy(dtype=float)
        return bool(np.allclose(x, y, rtol=RTOL, atol=0.0, equal_nan=True))
    if pd.api.types.is_bool_dtype(a) or pd.api.types.is_bool_dtype(b):
        return bool((a.astype(object).to_numpy() == b.astype(object).to_numpy()).all())
    return all(_cell_equal(x, y) for x, y in zip(a.tolist(), b.tolist(), strict=True))


def _cell_equal(x: Any, y: Any) -> bool:
    blank_x = x is None or (isinstance(x, float) and math.isnan(x))
    blank_y = y is None or (isinstance(y, float) and math.isnan(y))
    if blank_x or blank_y:
        return blank_x and blank_y
    if hasattr(x, "equals_exact") and hasattr(y, "equals_exact"):
        return bool(x.equals_exact(y, tolerance=1e-9))
    if isinstance(x, float) and isinstance(y, float):
        return math.isclose(x, y, rel_tol=RTOL, abs_tol=0.0)
    if isinstance(x, (tuple, list)) and isinstance(y, (tuple, list)):
        return len(x) == len(y) and all(_cell_equal(p, q) for p, q in zip(x, y, strict=True))
    return bool(x == y)


def frames_equal(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    """True when two tables have the same index, columns and values (numbers to 1e-9 relative).

    >>> frames_equal(pd.DataFrame({"q": [1.0]}), pd.DataFrame({"q": [1.0 + 1e-12]}))
    True
    >>> frames_equal(pd.DataFrame({"q": [1.0]}), pd.DataFrame({"q": [1.1]}))
    False
    """
    if list(a.columns) != list(b.columns):
        return False
    if len(a) != len(b) or [str(i) for i in a.index] != [str(i) for i in b.index]:
        return False
    if a.index.name != b.index.name:
        return False
    return all(_values_equal(a[c], b[c]) for c in a.columns)


def _diff(a: Scenario, b: Scenario, check_source: bool) -> list[str]:
    """Names of the parts that differ (empty when equal)."""
    out: list[str] = []
    if a.name != b.name:
        out.append("name")
    for table in ("enterprises", "supplies", "uses", "stockpiles", "links", "parks"):
        if not frames_equal(getattr(a, table), getattr(b, table)):
            out.append(table)
    for table in ("materials", "categories", "routes", "modes"):
        if not frames_equal(getattr(a.catalogue, table), getattr(b.catalogue, table)):
            out.append(f"catalogue.{table}")
    # optional tables (issue 12): absent and empty are the same; technologies in any order
    # (a scenario's own rows are merged over the catalogue's)
    for name, x, y in (
        ("facilities", a.facilities, b.facilities),
        ("catalogue.technologies", a.catalogue.technologies, b.catalogue.technologies),
    ):
        if (x is None or len(x) == 0) and (y is None or len(y) == 0):
            continue
        if name.startswith("catalogue") and x is not None and y is not None:
            x, y = x.sort_index(), y.sort_index()
        if x is None or y is None or not frames_equal(x, y):
            out.append(name)
    if len(a.targets) != len(b.targets):
        out.append("targets")
    else:
        for s, t in zip(a.targets, b.targets, strict=True):
            # every field of Target (basis, year, enforce, rate_by_year too); rate to RTOL
            if _target_fields(s) != _target_fields(t) or not math.isclose(
                s.rate, t.rate, rel_tol=RTOL
            ):
                out.append("targets")
                break
    ta, tb = getattr(a, "trajectories", None), getattr(b, "trajectories", None)
    if (ta is None or len(ta) == 0) != (tb is None or len(tb) == 0) or (
        ta is not None
        and tb is not None
        and len(ta)
        and not frames_equal(ta.reset_index(drop=True), tb.reset_index(drop=True))
    ):
        out.append("trajectories")
    if a.settings != b.settings:
        out.append("settings")
    if check_source and a.source != b.source:
        out.append("source")
    return out


def scenarios_equal(a: Scenario, b: Scenario, check_source: bool = False) -> bool:
    """True when two scenarios hold the same data.

    Parameters
    ----------
    a, b : Scenario
    check_source : bool
        Also require the same ``source`` path.

    Returns
    -------
    bool
        Tables equal (same index and columns; numbers to 1e-9 relative; geometries equal),
        same name, targets (every field; rates to 1e-9 relative), settings and catalogue.
        ``mode_overrides`` is not compared: the catalogue's modes table holds their effect.
    """
    return not _diff(a, b, check_source)


def scenario_differences(a: Scenario, b: Scenario, check_source: bool = False) -> list[str]:
    """The parts (``"supplies"``, ``"catalogue.modes"``, ``"settings"``...) where a and b differ."""
    return _diff(a, b, check_source)


def _target_fields(t: Any) -> tuple[Any, ...]:
    """A target's fields but ``rate`` (compared to a tolerance), ``spec`` (how it was written)."""
    return tuple(
        getattr(t, f.name) for f in dataclasses.fields(t) if f.name not in ("rate", "spec")
    )
