"""The one place where the web app imports parkflow beyond ``import parkflow as pf``.

The package internals are being reorganised; when a name below moves, this file is the only one
to change.
"""

from __future__ import annotations

from typing import Any

import pandas as pd


def write_reports(*args: Any, **kwargs: Any) -> Any:
    """:func:`parkflow.report.write_reports` (report.md, report.html, report.xlsx)."""
    from parkflow.report import write_reports as _write

    return _write(*args, **kwargs)


def compare(*args: Any, **kwargs: Any) -> Any:
    """:func:`parkflow.studies.compare.compare` (the dual map and the difference table)."""
    from parkflow.studies.compare import compare as _compare

    return _compare(*args, **kwargs)


def sector_table() -> pd.DataFrame:
    """The sector names, columns ``id, name_zh, name_en``; empty when not available."""
    try:
        from parkflow.i18n import sector_table as _table
    except ImportError:  # pragma: no cover - a refactor moved it
        return pd.DataFrame(columns=["id", "name_zh", "name_en"])
    table = _table()
    return table.reset_index() if "id" not in table.columns else table


def read_csv_rows(path: Any) -> tuple[list[str], list[list[Any]]]:
    """A CSV file's header and rows as texts (decoded as the loader decodes it)."""
    import csv
    import io
    from pathlib import Path

    from parkflow.io.readers import decode_bytes

    text, _ = decode_bytes(Path(path).read_bytes())
    rows = list(csv.reader(io.StringIO(text)))
    header = [h.strip().lstrip("\ufeff") for h in rows[0]] if rows else []
    return header, [[c if c != "" else None for c in r] for r in rows[1:] if any(r)]


def targets_frame(targets: list[dict[str, Any]]) -> pd.DataFrame:
    """:func:`parkflow.io.workbook.targets_frame` (the targets sheet's rows, every field)."""
    from parkflow.io.workbook import targets_frame as _frame

    return _frame(targets)


def catalogue_files() -> dict[str, str]:
    """The catalogue override tables a scenario folder may hold and their file names."""
    from parkflow.io.readers import CATALOGUE_FILES

    return dict(CATALOGUE_FILES)


def geojson_rows(path: Any) -> tuple[list[str], list[list[Any]]] | None:
    """A parks.geojson as a ``parks`` sheet (properties and geometry as WKT); None if unread."""
    import json
    from pathlib import Path

    try:
        from shapely.geometry import shape

        data = json.loads(Path(path).read_text(encoding="utf-8"))
        features = data.get("features") or []
        keys: list[str] = []
        for f in features:
            for k in f.get("properties") or {}:
                if k not in keys:
                    keys.append(k)
        rows = [
            [(f.get("properties") or {}).get(k) for k in keys]
            + [shape(f["geometry"]).wkt if f.get("geometry") else None]
            for f in features
        ]
    except (OSError, ValueError, KeyError, TypeError, AttributeError, ImportError):
        return None
    return [*keys, "geometry"], rows
