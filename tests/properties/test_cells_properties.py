"""Hypothesis properties of cell parsing: what Excel shows is what parkflow reads."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from parkflow.io.cells import parse_number

_FULL = {ord(c): chr(ord(c) + 0xFEE0) for c in "0123456789,.%"}


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_thousands_groups_read_back(n):
    assert parse_number(f"{n:,}") == float(n)


@given(st.decimals(min_value=0, max_value=10**9, places=3, allow_nan=False))
def test_full_width_digits_read_as_ascii(d):
    text = f"{d:,}"
    full = text.translate(_FULL)
    assert unicodedata.normalize("NFKC", full) == text
    assert parse_number(full) == parse_number(text) == float(d)


@given(st.integers(min_value=0, max_value=100))
def test_percent_is_a_hundredth(p):
    assert parse_number(f"{p}%", percent=True) == p / 100.0


@given(st.integers(min_value=1, max_value=99), st.integers(min_value=0, max_value=99))
def test_a_decimal_comma_is_never_a_number(a, b):
    assert parse_number(f"{a},{b}") is None  # 1,5 or 12,34: never read as 15 or 1234
