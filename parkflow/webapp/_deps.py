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
