"""The investment parts of a result, as the report and the maps read them (issue 12).

* :func:`facility_plan` — one row per built facility (facilities.csv; with periods the row of
  its last year);
* :func:`result_periods` and :func:`trajectory_rows` — summary.json's ``periods`` as a table;
* :func:`technology_name` and :func:`diagnosis_facilities` — names for the ids the solver
  writes into the diagnosis.

No formulas: the numbers are the solver's (docs/reporting.md, "Build plan", "Periods").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from parkflow.catalogue import builtin_catalogue
from parkflow.i18n import label
from parkflow.models.result import DIAGNOSIS_KINDS, Result
from parkflow.models.scenario import Catalogue
from parkflow.statistics.summary import summary_dict

__all__ = [
    "TRAJECTORY_COLUMNS",
    "text_of",
    "diagnosis_facilities",
    "diagnosis_lookup",
    "diagnosis_reason",
    "facility_plan",
    "result_periods",
    "technology_name",
    "trajectory_rows",
]


def text_of(value: Any) -> str | None:
    """A non-empty text, or None (NaN, None, "" and "nan" are none)."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    out = str(value).strip()
    return out if out and out.lower() != "nan" else None


def facility_plan(result: Any) -> pd.DataFrame:
    """The built facilities of a result, one row per facility (facilities.csv columns).

    Without periods, ``result.facilities`` as it is. With periods (a ``year`` column that is
    filled), the row of the facility's last year: its final size, throughput, load factor and
    annual cost, with ``build_year`` and ``expanded_year`` saying when it was built and grown
    (docs/reporting.md, "Build plan"). Empty without facilities.

    >>> import pandas as pd
    >>> fac = pd.DataFrame({"facility_id": ["F1", "F1", "F2"], "year": [2026, 2027, 2027],
    ...                     "size": [1.0, 2.0, 5.0]})
    >>> facility_plan(type("R", (), {"facilities": fac})())[["facility_id", "size"]].values.tolist()
    [['F1', 2.0], ['F2', 5.0]]
    """
    fac = getattr(result, "facilities", None)
    if fac is None or len(fac) == 0 or "facility_id" not in fac.columns:
        return pd.DataFrame()
    out = fac.copy()
    if "year" in out.columns:
        years = pd.to_numeric(out["year"], errors="coerce")
        if years.notna().any():
            out = (
                out.assign(_year=years)
                .sort_values(["facility_id", "_year"], kind="stable")
                .groupby("facility_id", sort=False)
                .tail(1)
                .drop(columns="_year")
            )
    return out.reset_index(drop=True)


def technology_name(catalogue: Catalogue | None, tid: str, lang: str) -> str:
    """A technology's name in ``lang`` (its id when the catalogue has none)."""
    techs = getattr(catalogue, "technologies", None) if catalogue is not None else None
    if techs is None:
        techs = builtin_catalogue().technologies
    col = f"name_{lang}"
    if techs is not None and tid in techs.index and col in techs.columns:
        name = text_of(techs.at[tid, col])
        if name:
            return name
    return str(tid)


def result_periods(result: Result) -> list[dict[str, Any]]:
    """The ``periods`` list of a result (summary.json's, docs/reporting.md "Periods").

    The ``periods`` key of :func:`parkflow.statistics.summary.summary_dict` (the contract)
    when it has one; else ``result.periods`` when the result carries the list itself (a folder
    read back, a hand-built result); empty for a single-year result.
    """
    try:
        found = summary_dict(result).get("periods")
    except (AttributeError, KeyError, TypeError, ValueError):
        found = None
    if found:
        return [dict(p) for p in found]
    periods = getattr(result, "periods", None)
    if isinstance(periods, (list, tuple)):
        return [dict(p) for p in periods if isinstance(p, dict)]
    return []


#: Columns of :func:`trajectory_rows`.
TRAJECTORY_COLUMNS = (
    "year",
    "target_id",
    "scope",
    "rate",
    "target",
    "before",
    "met",
    "status",
    "capex_cny",
    "total_cny_per_a",
    "co2_avoided_t_per_a",
)


def trajectory_rows(result: Result) -> pd.DataFrame:
    """The pathway by year: one row per (year, target entry) of ``summary["periods"]``.

    Columns :data:`TRAJECTORY_COLUMNS`: ``rate``, ``target`` (the rate required that year) and
    ``before`` (today's rate) as fractions; ``capex_cny`` (overnight capex built that year),
    ``total_cny_per_a`` and ``co2_avoided_t_per_a`` of the year. Empty without periods.

    >>> r = type("R", (), {"periods": [{"year": 2025, "capex_cny": 5.0, "objective": {},
    ...     "co2_avoided_t_per_a": 1.0, "before": {"t1": 0.5},
    ...     "targets": [{"id": "t1", "scope": "all", "rate": 0.8, "target": 0.78,
    ...                  "met": True}]}]})()
    >>> trajectory_rows(r)[["year", "target_id", "rate", "before", "capex_cny"]].values.tolist()
    [[2025, 't1', 0.8, 0.5, 5.0]]
    """
    rows = []
    for p in result_periods(result):
        year = int(p["year"])
        before = p.get("before") or {}
        obj = p.get("objective") or {}
        for t in p.get("targets") or [{}]:
            tid = t.get("id")
            rows.append(
                {
                    "year": year,
                    "target_id": tid,
                    "scope": t.get("scope"),
                    "rate": t.get("rate"),
                    "target": t.get("target"),
                    # summary.json keys the before by "id@scope"; a bare id is read too
                    "before": (
                        before.get(f"{tid}@{t.get('scope')}", before.get(tid))
                        if tid is not None
                        else None
                    ),
                    "met": t.get("met"),
                    "status": t.get("status"),
                    "capex_cny": p.get("capex_cny"),
                    "total_cny_per_a": obj.get("total_cny_per_a"),
                    "co2_avoided_t_per_a": p.get("co2_avoided_t_per_a"),
                }
            )
    frame = pd.DataFrame(rows, columns=list(TRAJECTORY_COLUMNS))
    for col in ("rate", "target", "before", "capex_cny", "total_cny_per_a", "co2_avoided_t_per_a"):
        frame[col] = pd.to_numeric(frame[col], errors="coerce")
    return frame


_CANDIDATE = re.compile(
    r"^(?P<fid>\S+) (?P<tech>\S+) @ (?P<site>\S+) up to (?P<size>[\d,.]+) (?P<unit>\S+)$"
)
_ADD_ROW = re.compile(r"^add a facilities row: (?P<tech>\S+)$")

#: The report label of each diagnosis ``kind`` (:data:`parkflow.models.result.DIAGNOSIS_KINDS`).
_KIND_LABELS = {
    "no_capacity": "dg_no_capacity",
    "no_use": "dg_no_use",
    "only_disposal": "dg_only_disposal",
}


def _year_key(value: Any) -> int | None:
    """A diagnosis row's year as a key: an int, or None (a single-year solve, NaN, blank)."""
    year = pd.to_numeric(pd.Series([value]), errors="coerce").iloc[0]
    return int(year) if np.isfinite(year) else None


def _row_key(row: dict[str, Any]) -> tuple[str, str, str, str, int | None]:
    return (
        str(row.get("target")),
        str(row.get("scope")),
        str(row.get("material")),
        str(text_of(row.get("park")) or ""),
        _year_key(row.get("year")),
    )


def diagnosis_lookup(result: Any) -> dict[tuple[str, str, str, str, int | None], list[dict]]:
    """The diagnosis' facilities (``result.diagnosis_facilities``) per diagnosis row.

    Keyed by ``(target, scope, material, park, year)`` of the diagnosis row. Empty when the
    result has no such table (a folder written before it existed): then
    :func:`diagnosis_facilities` reads the row's ``facilities`` words instead.
    """
    table = getattr(result, "diagnosis_facilities", None)
    out: dict[tuple[str, str, str, str, int | None], list[dict]] = {}
    if table is None or len(table) == 0 or "technology" not in table.columns:
        return out
    for r in table.to_dict(orient="records"):
        out.setdefault(_row_key(r), []).append(r)
    return out


def diagnosis_reason(row: dict[str, Any], lang: str) -> str:
    """A diagnosis row's reason in ``lang``: from its ``kind`` code; an older row's words."""
    kind = text_of(row.get("kind"))
    if kind is None:  # written before ``kind``: the solver's words
        words = str(row.get("reason") or "")
        kind = next((k for k, w in DIAGNOSIS_KINDS.items() if w == words), None)
        if kind is None:
            return words
    return label(_KIND_LABELS[kind], lang) if kind in _KIND_LABELS else kind


def diagnosis_facilities(
    row: dict[str, Any],
    lookup: dict[tuple[str, str, str, str, int | None], list[dict]],
    catalogue: Catalogue | None,
    lang: str,
    enterprise_name: Callable[[str], str] = str,
    park_name: str = "",
) -> str:
    """The facilities that would close a diagnosis row's gap, in the report's language.

    From the structured table (``lookup``: :func:`diagnosis_lookup`): a candidate facility
    (``kind`` ``candidate``: its id, technology, site, largest size) or a technology with no
    candidate site (``technology``), each with the technology's name and the site's
    (``enterprise_name``; a free site ``F:<id>``: ``park_name``). A row of a folder written
    before that table existed has only the words ``F1 tech @ SITE up to 200,000 t/a; add a
    facilities row: tech`` (docs/model.md "Facilities", diagnosis): they are read instead, and
    parts in another form are kept as written.
    """
    rows = lookup.get(_row_key(row))
    if rows is None:
        rows = []
        for part in (w.strip() for w in (text_of(row.get("facilities")) or "").split(";")):
            if m := _CANDIDATE.match(part):
                rows.append({"kind": "candidate", **m.groupdict()})
            elif m := _ADD_ROW.match(part):
                rows.append({"kind": "technology", "tech": m["tech"]})
            elif part:
                rows.append({"kind": "words", "text": part})
    out = []
    for r in rows:
        tech = technology_name(catalogue, str(r.get("technology", r.get("tech"))), lang)
        if r["kind"] == "candidate":
            site = str(r.get("site"))
            size = r.get("max_size", r.get("size"))
            out.append(
                label("dg_candidate", lang).format(
                    fid=r.get("facility_id", r.get("fid")),
                    tech=tech,
                    site=f"{label('free_site', lang)} {park_name}".strip()
                    if site.startswith("F:")
                    else enterprise_name(site),
                    size=size if isinstance(size, str) or size is None else f"{float(size):,.0f}",
                    unit=r.get("unit"),
                )
            )
        elif r["kind"] == "technology":
            out.append(label("dg_add_row", lang).format(tech=tech))
        else:
            out.append(str(r.get("text")))
    return "；".join(out) if lang == "zh" else "; ".join(out)
