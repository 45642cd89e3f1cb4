"""The ``facilities`` table (candidate facilities, docs/model.md "Facilities"): checks and typing.

A facility is a technology of the catalogue (``catalogue.technologies``) at a site: either
co-located with an enterprise (``site``) or free (``lon, lat, park``). ``sizes`` (a ``;`` list
in the technology's unit, by-product taken in per year) overrides the technology's sizes;
``existing`` is the size built already (0 = new). Every problem names the file, row, column and
a fix, as for the other tables (:mod:`parkflow.io.checks`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from parkflow.io.cells import excel_row, text_cells
from parkflow.io.checks import Problems, check_refs, number_column
from parkflow.models.scenario import Catalogue

__all__ = ["check_facilities", "parse_sizes"]


def parse_sizes(text: object) -> tuple[float, ...] | None:
    """A ``;`` list of positive sizes as floats (sorted, unique); None when a cell is bad.

    Examples
    --------
    >>> parse_sizes("200;100"), parse_sizes(""), parse_sizes("100;x")
    ((100.0, 200.0), (), None)
    """
    s = "" if text is None or (isinstance(text, float) and np.isnan(text)) else str(text)
    parts = [p.strip() for p in s.replace(",", ";").split(";") if p.strip()]
    try:
        values = [float(p) for p in parts]
    except ValueError:
        return None
    if any(not np.isfinite(v) or v <= 0 for v in values):
        return None
    return tuple(sorted(set(values)))


def check_facilities(
    df: pd.DataFrame,
    ids: pd.Index,
    file: str,
    catalogue: Catalogue,
    enterprises: pd.Index,
    parks: pd.Index,
    problems: Problems,
) -> pd.DataFrame:
    """Validate and type the facilities table (problems collected, never raised).

    Parameters
    ----------
    df : DataFrame
        The raw table (positional index, English headers).
    ids : Index
        Its ids (``F1, F2, ...`` when not given).
    file : str
        The file name for the messages.
    catalogue : Catalogue
        Its ``technologies`` (and routes).
    enterprises, parks : Index
        Known enterprise and park ids.
    problems : Problems

    Returns
    -------
    DataFrame
        Index ``facility_id``; ``technology, site, lon, lat, park, sizes`` (``;`` text of the
        sizes that apply), ``existing`` (unit/a), ``available_from``.
    """
    techs = (
        catalogue.technologies
        if catalogue.technologies is not None
        else pd.DataFrame(index=pd.Index([], name="technology_id"))
    )
    check_refs(
        "facilities",
        df,
        ids,
        "technology",
        techs.index,
        "technology",
        file,
        "the catalogue (parkflow catalogue --table technologies)",
        problems,
    )
    tech = text_cells(df["technology"])
    site = text_cells(df["site"]) if "site" in df else pd.Series("", index=df.index)
    park = text_cells(df["park"]) if "park" in df else pd.Series("", index=df.index)
    lon = (
        number_column("facilities", df, ids, "lon", file, problems, required=False, unit="degrees")
        if "lon" in df
        else pd.Series(np.nan, index=df.index)
    )
    lat = (
        number_column("facilities", df, ids, "lat", file, problems, required=False, unit="degrees")
        if "lat" in df
        else pd.Series(np.nan, index=df.index)
    )
    existing = (
        number_column(
            "facilities", df, ids, "existing", file, problems, required=False, unit="unit/a"
        ).fillna(0.0)
        if "existing" in df
        else pd.Series(0.0, index=df.index)
    )
    avail = (
        number_column(
            "facilities", df, ids, "available_from", file, problems, required=False, unit="year"
        )
        if "available_from" in df
        else pd.Series(np.nan, index=df.index)
    )
    sizes_raw = text_cells(df["sizes"]) if "sizes" in df else pd.Series("", index=df.index)
    free = lon.notna() | lat.notna() | (park != "")
    colocated = site != ""
    for pos in np.flatnonzero((colocated & ~site.isin(enterprises)).to_numpy()).tolist():
        problems.add(
            file,
            f"facility '{ids[pos]}': site '{site.iloc[pos]}' is not an enterprise id",
            fix="write the id of the enterprise it is built at "
            "(enterprises.csv), or leave site empty and give lon, lat, park",
            row=excel_row(pos),
            column="site",
        )
    for pos in np.flatnonzero((colocated & free).to_numpy()).tolist():
        problems.add(
            file,
            f"facility '{ids[pos]}' has both a site and lon/lat/park",
            fix="give either site (co-located) or lon, lat and park (a free site)",
            row=excel_row(pos),
            column="site",
        )
    incomplete = ~colocated & (lon.isna() | lat.isna() | (park == ""))
    for pos in np.flatnonzero(incomplete.to_numpy()).tolist():
        problems.add(
            file,
            f"facility '{ids[pos]}' has no site",
            fix="give site (an enterprise id) or all of lon, lat and park",
            row=excel_row(pos),
            column="site",
        )
    for pos in np.flatnonzero((~colocated & (park != "") & ~park.isin(parks)).to_numpy()).tolist():
        problems.add(
            file,
            f"facility '{ids[pos]}': park '{park.iloc[pos]}' is unknown",
            fix="use a park id of enterprises.csv or parks.geojson",
            row=excel_row(pos),
            column="park",
        )
    tech_sizes = tech.map(techs["sizes"]) if "sizes" in techs else pd.Series("", index=df.index)
    chosen = sizes_raw.where(sizes_raw != "", tech_sizes.fillna("").astype(str))
    out_sizes = []
    for pos, (own, text) in enumerate(zip(sizes_raw, chosen, strict=True)):  # cell parsing
        parsed = parse_sizes(text)
        if parsed is None:
            problems.add(
                file,
                f"facility '{ids[pos]}': sizes '{text}' is not a ';' list of positive numbers",
                fix="write e.g. 100000;200000 (in the technology's unit per year)",
                row=excel_row(pos),
                column="sizes" if own else "technology",
            )
            parsed = ()
        out_sizes.append(";".join(f"{v:g}" for v in parsed))
    sizes = pd.Series(out_sizes, index=df.index)
    no_size = (sizes == "") & tech.isin(techs.index)
    for pos in np.flatnonzero(no_size.to_numpy()).tolist():
        problems.add(
            file,
            f"facility '{ids[pos]}' has no size to build",
            fix="give sizes (e.g. 100000;200000)",
            row=excel_row(pos),
            column="sizes",
        )
    out = pd.DataFrame(
        {
            "technology": tech.to_numpy(),
            "site": site.to_numpy(),
            "lon": lon.to_numpy(dtype=float),
            "lat": lat.to_numpy(dtype=float),
            "park": park.to_numpy(),
            "sizes": sizes.to_numpy(),
            "existing": existing.to_numpy(dtype=float),
            "available_from": avail.to_numpy(dtype=float),
        },
        index=pd.Index(ids.astype(str), name="facility_id"),
    )
    return out


def merge_technologies(
    builtin: pd.DataFrame | None, rows: pd.DataFrame, file: str, problems: Problems
) -> pd.DataFrame | None:
    """The catalogue's technologies with a scenario's ``technologies`` rows (same id replaces).

    ``rows`` has an ``id`` column (or index) and any declared columns; missing numbers take the
    schema's defaults. A bad number is reported (file, row, column, fix).
    """
    from parkflow.models.schema import CATALOGUE_TABLES

    schema = CATALOGUE_TABLES["technologies"]
    df = rows.copy()
    df.columns = [schema.resolve_header(c) for c in df.columns]
    if "id" not in df.columns:
        df = df.reset_index().rename(columns={df.index.name or "index": "id"})
    df = df.reset_index(drop=True)
    out = pd.DataFrame(index=pd.Index(text_cells(df["id"]).to_numpy(), name="technology_id"))
    for c in schema.columns:
        raw = df[c.name] if c.name in df.columns else pd.Series([None] * len(df))
        if c.dtype == "float64":
            values = pd.to_numeric(raw, errors="coerce")
            bad = values.isna() & raw.notna() & (raw.astype(str).str.strip() != "")
            for pos in np.flatnonzero(bad.to_numpy()).tolist():
                problems.add(
                    file,
                    f"technology '{out.index[pos]}': {c.name} '{raw.iloc[pos]}' is not a number",
                    fix=f"write a number ({c.unit})",
                    row=excel_row(pos),
                    column=c.name,
                )
            default = c.default if isinstance(c.default, float) else np.nan
            out[c.name] = values.fillna(default).to_numpy(dtype=float)
        elif c.dtype == "list":
            out[c.name] = [
                tuple(p.strip() for p in str(v).split(";") if p.strip())
                if isinstance(v, str)
                else tuple(v)
                if isinstance(v, (list, tuple))
                else ()
                for v in raw
            ]
        else:
            out[c.name] = [
                ("" if v is None or (isinstance(v, float) and np.isnan(v)) else str(v)) for v in raw
            ]
    if builtin is None or len(builtin) == 0:
        return out
    return pd.concat([builtin[~builtin.index.isin(out.index)], out[builtin.columns]])
