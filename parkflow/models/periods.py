"""Periods of a multi-year scenario (docs/model.md "Periods").

The years, their weights, and piecewise-linear yearly values. Pure functions, no tables.

Examples
--------
>>> parse_periods({"from": 2025, "to": 2030, "step": 1})
(2025, 2026, 2027, 2028, 2029, 2030)
>>> period_lengths((2025, 2027, 2030))
array([2, 3, 1])
>>> [round(float(w), 6) for w in pv_weights((2025, 2026), 0.10)]
[1.0, 0.909091]
>>> rate_at({2025: 0.78, 2030: 0.82}, 2027), rate_at({2025: 0.78}, 2024)
(0.796, None)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

__all__ = ["parse_periods", "period_lengths", "pv_weights", "rate_at", "interp_held"]


def parse_periods(value: Any) -> tuple[int, ...]:
    """The sorted years of scenario.yaml ``periods`` (a list, or ``{from, to, step}``).

    Raises
    ------
    ValueError
        With the reason in words (not years, empty, repeated, bad step).
    """
    if value is None:
        return ()
    if isinstance(value, Mapping):
        unknown = set(map(str, value)) - {"from", "to", "step"}
        if unknown:
            msg = f"unknown key(s) {', '.join(sorted(unknown))} (use from, to, step)"
            raise ValueError(msg)
        try:
            start, stop = _year(value["from"]), _year(value["to"])
            step = int(value.get("step", 1))
        except KeyError as exc:
            msg = f"missing key {exc.args[0]!r}"
            raise ValueError(msg) from None
        if step <= 0 or stop < start:
            msg = "needs from <= to and a positive step"
            raise ValueError(msg)
        return tuple(range(start, stop + 1, step))
    if isinstance(value, (str, bytes)) or not isinstance(value, Sequence):
        value = [value]
    years = [_year(v) for v in value]
    if not years:
        msg = "is empty"
        raise ValueError(msg)
    if len(set(years)) != len(years):
        msg = "repeats a year"
        raise ValueError(msg)
    return tuple(sorted(years))


def _year(value: Any) -> int:
    if isinstance(value, bool):
        raise ValueError(value)
    number = float(value)
    if number != int(number) or not 1900 <= number <= 2200:
        msg = f"{value!r} is not a year"
        raise ValueError(msg)
    return int(number)


def period_lengths(years: Sequence[int]) -> np.ndarray:
    """:math:`n_t = t^+ - t` years each period stands for (the last one: 1)."""
    y = np.asarray(years, dtype=np.int64)
    if len(y) == 0:
        return np.zeros(0, dtype=np.int64)
    return np.append(np.diff(y), 1)


def pv_weights(years: Sequence[int], rate: float) -> np.ndarray:
    r""":math:`\omega_t = \sum_{y=t}^{t+n_t-1} (1+r)^{-(y-t_0)}` (1 for every year at r = 0)."""
    y = np.asarray(years, dtype=np.int64)
    if len(y) == 0:
        return np.zeros(0)
    n = period_lengths(list(years))
    out = np.empty(len(y))
    for k, (t, nt) in enumerate(zip(y, n, strict=True)):  # one per period, not per row
        out[k] = float(np.sum((1.0 + rate) ** -(np.arange(t, t + nt) - y[0])))
    return out


def interp_held(keys: Sequence[float], values: Sequence[float], at: Sequence[float]) -> np.ndarray:
    """Linear between the given years, constant outside (``np.interp``)."""
    k = np.asarray(keys, dtype=float)
    order = np.argsort(k)
    return np.interp(np.asarray(at, dtype=float), k[order], np.asarray(values, dtype=float)[order])


def rate_at(by_year: Mapping[int, float], year: int | None) -> float | None:
    """A ``rate_by_year`` target's rate in ``year``.

    Linear between the given years, held after the last, undefined (None) before the first.
    """
    if not by_year or year is None:
        return None
    keys = sorted(int(k) for k in by_year)
    if year < keys[0]:
        return None
    return float(interp_held(keys, [float(by_year[k]) for k in keys], [year])[0])
