"""Cell parsing: what a spreadsheet cell means, the one place that decides it.

Every table cell parkflow reads — from a CSV file, a workbook, a DataFrame given in code, the
catalogue's package data or a scenario override — goes through these functions, so "yes" means
true and "60,000" means sixty thousand in every file (see docs/scenario-format.md, "Files,
encodings, rows").

* Blank: an empty cell, whitespace, ``None``/NaN, and the texts ``nan``, ``NA``, ``#N/A``...
  in a number column.
* Numbers: full-width digits and punctuation are normalised (NFKC: ``６０，０００`` is
  ``60,000``); a comma is a thousands separator only in strict groups of three (``60,000`` and
  ``1,234,567.5`` are read, ``1,5`` is an error: write ``1.5``); a rate or fraction column also
  reads ``78%`` as 0.78.
* Booleans: ``true/t/yes/y/1/是`` and ``false/f/no/n/0/否`` in any case; blank is false.

The true/false vocabulary and :func:`parse_bool` are part of the schema
(:mod:`parkflow.models.schema`, so that the catalogue and the statistics can read a flag without
importing parkflow.io); they are re-exported here with the other cell parsers.
"""

from __future__ import annotations

import math
import re
import unicodedata
from typing import Any, SupportsIndex

import numpy as np
import pandas as pd

from parkflow.models.schema import FALSE_TEXTS, TRUE_TEXTS, is_blank, parse_bool

__all__ = [
    "TRUE_TEXTS",
    "FALSE_TEXTS",
    "is_blank",
    "parse_bool",
    "parse_number",
    "normalise_number_text",
    "text_cells",
    "number_cells",
    "bool_cells",
    "extra_cells",
    "excel_row",
    "drop_empty_rows",
]

#: Texts a number column reads as blank.
NAN_TEXTS = frozenset({"nan", "na", "n/a", "#n/a", "none", "null"})

_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$")


def normalise_number_text(text: str, percent: bool = False) -> str | float:
    """Normalise a number as typed: full-width forms, thousands groups, ``%`` for a rate.

    Parameters
    ----------
    text : str
        The cell text.
    percent : bool
        Read ``78%`` as 0.78 (rate and fraction columns only).

    Returns
    -------
    str or float
        The text to hand to a number parser, or the value already (for a percentage).

    Examples
    --------
    >>> normalise_number_text("６０，０００"), normalise_number_text("1,5")
    ('60000', '1,5')
    >>> normalise_number_text("78%", percent=True)
    0.78
    """
    s = unicodedata.normalize("NFKC", text).strip().replace("\u2212", "-")
    if _GROUPED.match(s):
        s = s.replace(",", "")
    if percent and s.endswith("%"):
        body = s[:-1].strip()
        try:
            return float(body) / 100.0
        except ValueError:
            return s
    return s


def parse_number(value: Any, percent: bool = False) -> float | None:
    """Read one number cell; NaN for blank, None when it is not a number.

    Examples
    --------
    >>> parse_number("60,000"), parse_number("78%", percent=True), parse_number("lots")
    (60000.0, 0.78, None)
    """
    if isinstance(value, (bool, np.bool_)):
        return None
    if is_blank(value) or (isinstance(value, str) and value.strip().lower() in NAN_TEXTS):
        return math.nan
    if isinstance(value, str):
        value = normalise_number_text(value, percent=percent)
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def text_cells(series: pd.Series) -> pd.Series:
    """Cells as stripped str, blanks as ""; whole numbers typed in Excel lose their '.0'.

    Examples
    --------
    >>> text_cells(pd.Series([" E1 ", 3.0, None])).tolist()
    ['E1', '3', '']
    """

    def cell(v: Any) -> str:
        if is_blank(v):
            return ""
        if isinstance(v, float) and v.is_integer():
            return str(int(v))
        return str(v).strip()

    return series.astype(object).map(cell).astype(str)


def number_cells(
    series: pd.Series, percent: bool = False
) -> tuple[pd.Series, pd.Series, pd.Series]:
    """(float values, blank mask, not-a-number mask) of a column of cells ('NaN' is blank).

    Parameters
    ----------
    series : Series
        The raw cells.
    percent : bool
        Read ``78%`` as 0.78 (rate and fraction columns).

    Examples
    --------
    >>> values, blank, bad = number_cells(pd.Series(["60,000", "", "1,5"]))
    >>> values.tolist()[0], blank.tolist(), bad.tolist()
    (60000.0, [False, True, False], [False, False, True])
    """
    obj = series.astype(object)
    blank = obj.map(
        lambda v: is_blank(v) or (isinstance(v, str) and v.strip().lower() in NAN_TEXTS)
    ).astype(bool)
    stripped = obj.map(lambda v: normalise_number_text(v, percent) if isinstance(v, str) else v)
    bools = stripped.map(lambda v: isinstance(v, (bool, np.bool_)))
    values = pd.to_numeric(stripped.where(~blank & ~bools, np.nan), errors="coerce")
    values = values.astype(float)
    bad = (~blank & values.isna()) | bools
    return values, blank, bad


def bool_cells(series: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(bool values, unreadable mask) of a true/false column; blank is False (:func:`parse_bool`).

    Examples
    --------
    >>> values, bad = bool_cells(pd.Series(["yes", "", "maybe"]))
    >>> values.tolist(), bad.tolist()
    ([True, False, False], [False, False, True])
    """
    parsed = series.astype(object).map(parse_bool)
    bad = parsed.isna()
    return parsed.where(~bad, False).astype(bool), bad


def extra_cells(series: pd.Series) -> pd.Series:
    """An extra (undeclared) column, typed the same way whether it came from a file or a frame."""
    if pd.api.types.is_bool_dtype(series):
        return series.astype(bool)
    if pd.api.types.is_numeric_dtype(series):
        return series.astype(float)
    values, blank, bad = number_cells(series)
    if not bad.any() and not blank.all():
        return values
    return text_cells(series)


def excel_row(pos: SupportsIndex) -> int:
    """Spreadsheet row of the data row at position ``pos`` (header = row 1).

    Examples
    --------
    >>> excel_row(0)
    2
    """
    return int(pos) + 2


def drop_empty_rows(df: pd.DataFrame) -> pd.DataFrame:
    """Drop rows whose every cell is blank (Excel's cleared rows, ``,,,``).

    The spreadsheet row of each kept row is noted in ``attrs["rows"]``, so that messages count
    rows as Excel does.

    Examples
    --------
    >>> out = drop_empty_rows(pd.DataFrame({"a": ["1", "", "3"], "b": ["x", " ", "y"]}))
    >>> out["a"].tolist(), out.attrs["rows"]
    (['1', '3'], [2, 4])
    """
    df = df.reset_index(drop=True)
    rows = [excel_row(p) for p in range(len(df))]
    if len(df.columns) and len(df):
        empty = df.apply(lambda col: col.map(is_blank)).all(axis=1).to_numpy()
        df = df.loc[~empty].reset_index(drop=True)
        rows = [r for r, e in zip(rows, empty, strict=True) if not e]
    df.attrs["rows"] = rows
    return df
