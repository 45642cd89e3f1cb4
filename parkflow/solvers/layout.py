"""Which column of the model is which variable: the layout of ``flow, build, draw, slack``.

:class:`~parkflow.solvers.formulation.SparseModel` knows rows and columns only. A
:class:`Layout` knows the domain: the column blocks of the four variable families
(docs/model.md, "Variables") and the ids they are indexed by, so that code reads
``layout.values(x, "flow")`` instead of slicing ``x`` by hand.

Examples
--------
>>> import numpy as np
>>> import pandas as pd
>>> lay = Layout(links=pd.Index(["L1", "L2"]), stock=pd.Index(["K1"]),
...              entries=pd.Index(["bulk@all"]))
>>> lay.n, lay.columns("draw")
(6, slice(4, 5, None))
>>> x = np.array([3.0, 0.0, 1.0, 0.0, 2.0, 0.5])
>>> lay.values(x, "flow").to_dict()
{'L1': 3.0, 'L2': 0.0}
>>> lay.vector(slack=1.0).tolist()
[0.0, 0.0, 0.0, 0.0, 0.0, 1.0]
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["VARIABLES", "Layout", "Names"]

#: The variable families, in column order (``draw_disposal``: stock drawn to safe disposal,
#: docs/model.md "Draws to safe disposal"; ``stock``: start-of-year stock levels, only with
#: periods; ``open``: facility size steps; issue 12).
VARIABLES = ("flow", "build", "draw", "draw_disposal", "stock", "open", "slack")


@dataclass(frozen=True)
class Layout:
    """The column blocks of the model: ``flow[l], build[l], draw[k], open[f:S], slack[e]``.

    Parameters
    ----------
    links : pandas.Index
        ``link_id`` of the candidate links (``flow`` and ``build``).
    stock : pandas.Index
        ``stockpile_id`` (``draw``).
    entries : pandas.Index
        ``entry_id`` of the target entries (``slack``).
    ladder : pandas.Index
        ``f:S`` ids of the facility size steps (``open``; docs/model.md "Facilities"); empty
        without facilities, and then the columns are those of the model without facilities.
    draw_disposal : pandas.Index
        ``stockpile_id`` of the stockpiles whose source has a safe-disposal out-link
        (``draw_disposal``, r'_k; docs/model.md "Draws to safe disposal"); empty otherwise, and
        then the columns are those of a version-1 model.
    years : tuple of int
        The periods (docs/model.md "Periods"); empty for the single-year model. With years every
        family has one block per year, year-major (position = offset + k·n + i), ``stock`` has
        the years after the first, and :meth:`values` is indexed by (id, year).
    """

    links: pd.Index
    stock: pd.Index
    entries: pd.Index
    ladder: pd.Index = field(default_factory=lambda: pd.Index([], dtype=object))
    draw_disposal: pd.Index = field(default_factory=lambda: pd.Index([], dtype=object))
    years: tuple[int, ...] = ()

    # -- sizes and positions ----------------------------------------------------------------
    @property
    def n_links(self) -> int:
        """Number of candidate links."""
        return len(self.links)

    @property
    def n_stock(self) -> int:
        """Number of stockpiles."""
        return len(self.stock)

    @property
    def n_slack(self) -> int:
        """Number of target entries (slack columns)."""
        return len(self.entries)

    @property
    def n_draw_disposal(self) -> int:
        """Number of ``draw_disposal`` columns (stockpiles that may feed safe disposal)."""
        return len(self.draw_disposal)

    @property
    def n_open(self) -> int:
        """Number of facility size steps (``open`` columns)."""
        return len(self.ladder)

    @property
    def n_years(self) -> int:
        """Number of periods (1 without periods)."""
        return max(1, len(self.years))

    def size(self, variable: str) -> int:
        """Number of columns of one family (ids × years)."""
        if variable == "stock":
            return self.n_stock * (len(self.years) - 1) if self.years else 0
        return len(self._ids(variable)) * self.n_years

    @property
    def n(self) -> int:
        """Number of columns."""
        return sum(self.size(v) for v in VARIABLES)

    def offset(self, variable: str) -> int:
        """Position of the first column of ``variable``."""
        return self.columns(variable).start

    def columns(self, variable: str) -> slice:
        """The column block of one variable family."""
        if variable not in VARIABLES:
            msg = f"unknown variable {variable!r}; use one of {', '.join(VARIABLES)}"
            raise KeyError(msg)
        start = 0
        for v in VARIABLES:
            if v == variable:
                break
            start += self.size(v)
        return slice(start, start + self.size(variable))

    def positions(self, variable: str) -> np.ndarray:
        """Column positions of one family, as an integer array."""
        s = self.columns(variable)
        return np.arange(s.start, s.stop)

    def _ids(self, variable: str) -> pd.Index:
        return {
            "flow": self.links,
            "build": self.links,
            "draw": self.stock,
            "draw_disposal": self.draw_disposal,
            "stock": self.stock,
            "open": self.ladder,
            "slack": self.entries,
        }[variable]

    def index(self, variable: str) -> pd.Index:
        """The ids one variable family is indexed by: (id, year) pairs, year-major, with years."""
        ids = self._ids(variable)
        if not self.years:
            return ids[:0] if variable == "stock" else ids
        years = self.years[1:] if variable == "stock" else self.years
        return pd.MultiIndex.from_arrays(
            [np.tile(ids.to_numpy(dtype=object), len(years)), np.repeat(years, len(ids))],
            names=[ids.name, "year"],
        )

    # -- reading and writing solution vectors -----------------------------------------------
    def array(self, x: np.ndarray, variable: str) -> np.ndarray:
        """The part of a column vector that belongs to ``variable`` (a view)."""
        return np.asarray(x)[self.columns(variable)]

    def values(self, x: np.ndarray, variable: str) -> pd.Series:
        """One family's values of a solution vector, indexed by its ids.

        Parameters
        ----------
        x : ndarray
            One value per column.
        variable : {"flow", "build", "draw", "slack"}

        Returns
        -------
        pandas.Series
            Indexed by ``link_id``, ``stockpile_id`` or ``entry_id``.
        """
        return pd.Series(self.array(x, variable), index=self.index(variable), name=variable)

    def vector(self, fill: float = 0.0, **parts: Any) -> np.ndarray:
        """A full column vector with the given families set (scalars or arrays), others ``fill``."""
        out = np.full(self.n, float(fill))
        for variable, value in parts.items():
            out[self.columns(variable)] = value
        return out

    def assign(self, x: np.ndarray, **parts: Any) -> np.ndarray:
        """A copy of ``x`` with the given families replaced."""
        out = np.array(x, dtype=float, copy=True)
        for variable, value in parts.items():
            out[self.columns(variable)] = value
        return out

    def column_names(self) -> Names:
        """``family[id]`` (``family[id,year]`` with years) for every column, in order (lazy)."""
        parts: list[tuple[str, Any, tuple[int, ...] | None]] = []
        for v in VARIABLES:
            ids = self._ids(v)
            if not self.years:
                parts.append((v, [] if v == "stock" else ids, None))
            else:
                parts.append((v, ids, self.years[1:] if v == "stock" else self.years))
        return Names(parts)

    def labels(self, per_family: Mapping[str, np.ndarray], fill: int = -1) -> np.ndarray:
        """An integer label per column from per-family arrays (e.g. a component per link)."""
        out = np.full(self.n, fill, dtype=np.int64)
        for variable, value in per_family.items():
            out[self.columns(variable)] = value
        return out


class Names:
    """Row or column names ``family[id]`` / ``family[id,year]``, made only when first read.

    A model of 10 M columns spends seconds on its names, which only an LP file, a diagnosis or
    a test reads (docs/model.md "How the multi-period model is built"). A :class:`Names` holds
    the parts — per family its ids and years (year-major) — and behaves as the object array of
    the names wherever one is read (indexing, iteration, ``np.asarray``, ``tolist``); the array
    is made once and kept.

    Examples
    --------
    >>> names = Names([("flow", ["L1", "L2"], None), ("stock", ["K1"], (2026, 2027))])
    >>> len(names), names[1], list(names[2:])
    (4, 'flow[L2]', ['stock[K1,2026]', 'stock[K1,2027]'])
    """

    def __init__(self, parts: list[tuple[str, Any, tuple[int, ...] | None]]) -> None:
        self._parts = [(f, ids, None if y is None else tuple(y)) for f, ids, y in parts]
        self._array: np.ndarray | None = None

    def __len__(self) -> int:
        """Number of names."""
        return sum(len(ids) * (1 if y is None else len(y)) for _, ids, y in self._parts)

    @property
    def array(self) -> np.ndarray:
        """The names as an object array (made on first use)."""
        if self._array is None:
            out: list[str] = []
            for fam, ids, years in self._parts:  # plain Python strings: faster than Arrow
                raw = ids.tolist() if hasattr(ids, "tolist") else list(ids)
                sid = [str(i) for i in raw]
                if years is None:
                    out.extend([f"{fam}[{i}]" for i in sid])
                else:
                    for y in years:
                        out.extend([f"{fam}[{i},{y}]" for i in sid])
            self._array = np.array(out, dtype=object)
        return self._array

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        """The names as an array (NumPy protocol)."""
        return self.array if dtype is None else self.array.astype(dtype)

    def __getitem__(self, key: Any) -> Any:
        """Names by position, slice or mask."""
        return self.array[key]

    def __iter__(self) -> Any:
        """Iterate over the names."""
        return iter(self.array)

    def tolist(self) -> list[str]:
        """The names as a list."""
        return self.array.tolist()

    def astype(self, dtype: Any) -> np.ndarray:
        """The names as an array of ``dtype``."""
        return self.array.astype(dtype)

    def __add__(self, other: Names) -> Names:
        """The names of both, in order."""
        return Names([*self._parts, *other._parts])
