"""Cell parsing: one rule per test (parkflow.io.cells)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from parkflow.io.cells import (
    bool_cells,
    drop_empty_rows,
    normalise_number_text,
    number_cells,
    parse_bool,
    parse_number,
)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("60,000", 60000.0),
        ("1,234,567.5", 1234567.5),
        ("６０，０００", 60000.0),
        ("２．５", 2.5),
        (" 7 ", 7.0),
        ("-1,000", -1000.0),
        ("1e3", 1000.0),
    ],
)
def test_numbers_are_normalised(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize("text", ["1,5", "12,34", "1,0000", "lots", "3 t", "1.5.2"])
def test_bad_numbers_stay_errors(text):
    assert parse_number(text) is None


def test_percent_only_for_fractions():
    assert parse_number("78%", percent=True) == pytest.approx(0.78)
    assert parse_number("７８％", percent=True) == pytest.approx(0.78)
    assert parse_number("78%") is None


@pytest.mark.parametrize("text", ["", " ", "nan", "NA", "#N/A", "null"])
def test_blank_numbers(text):
    assert math.isnan(parse_number(text))


def test_number_cells_masks():
    values, blank, bad = number_cells(pd.Series(["60,000", "", "1,5", True]))
    assert values.iloc[0] == 60000.0
    assert blank.tolist() == [False, True, False, False]
    assert bad.tolist() == [False, False, True, True]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("true", True),
        ("Yes", True),
        ("Y", True),
        ("1", True),
        ("1.0", True),
        ("是", True),
        ("false", False),
        ("no", False),
        ("0", False),
        ("否", False),
        ("", False),
        (True, True),
        ("ＹＥＳ", True),
        ("maybe", None),
    ],
)
def test_one_boolean_parser(text, value):
    assert parse_bool(text) is value


def test_bool_cells_flags_unreadable():
    values, bad = bool_cells(pd.Series(["yes", "perhaps"]))
    assert values.tolist() == [True, False]
    assert bad.tolist() == [False, True]


def test_the_catalogue_uses_the_same_parser():
    from parkflow.catalogue.builtin import _parse

    assert _parse("是", "bool") == (True, None)
    assert _parse("perhaps", "bool")[0] is None


def test_empty_rows_are_dropped_and_rows_remembered():
    df = pd.DataFrame({"a": ["1", "", "", "4"], "b": ["x", "", " ", "y"]})
    out = drop_empty_rows(df)
    assert out["a"].tolist() == ["1", "4"]
    assert out.attrs["rows"] == [2, 5]


def test_normalise_keeps_a_decimal_comma_for_the_error():
    assert normalise_number_text("1,5") == "1,5"
