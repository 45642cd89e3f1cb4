"""Writers of the report: Markdown, self-contained HTML, XLSX and CSV.

:func:`write_reports` builds the report (:func:`parkflow.report.tables.build_report`) and writes the
asked formats. User strings (enterprise, park, sector, scenario names) are HTML-escaped in the page
and its SVG; in report.xlsx and the report CSVs a text cell that begins with ``= + - @``, a tab or
a carriage return is written as text, never as a formula (docs/reporting.md, "Formats").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd

from parkflow.i18n import label
from parkflow.models.result import Result
from parkflow.models.scenario import Scenario
from parkflow.report.charts import esc
from parkflow.report.figures import (
    figure_svg,
    rate_figure,
    sankey_figure,
    save_png,
    trajectory_figure,
)
from parkflow.report.format import (
    display_frame,
    meta_lines,
    number_format,
    scaled_table,
    unscaled_header,
)
from parkflow.report.tables import Report, build_report
from parkflow.statistics.utilisation import SICHUAN_TARGETS

__all__ = [
    "FORMATS",
    "to_markdown",
    "to_html",
    "write_xlsx",
    "write_csv",
    "write_reports",
    "formula_safe",
]

FORMATS = ("md", "html", "xlsx", "csv")
#: First characters that make a spreadsheet read a cell as a formula (OWASP CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def formula_safe(value: Any) -> Any:
    """A CSV cell that a spreadsheet will not run: text starting with ``= + - @ TAB CR`` gets ``'``.

    Numbers and other text are returned as they are.

    >>> formula_safe("=1+1"), formula_safe("@SUM(A1)"), formula_safe("水泥厂"), formula_safe(-3.0)
    ("'=1+1", "'@SUM(A1)", '水泥厂', -3.0)
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _md_table(frame: pd.DataFrame) -> str:
    def cell(v: Any) -> str:
        return str(v).replace("|", "\\|").replace("\n", " ")

    head = "| " + " | ".join(cell(c) for c in frame.columns) + " |"
    sep = "| " + " | ".join("---" for _ in frame.columns) + " |"
    rows = [
        "| " + " | ".join(cell(v) for v in row) + " |"
        for row in frame.itertuples(index=False, name=None)
    ]
    return "\n".join([head, sep, *rows])


def to_markdown(report: Report, images: dict[str, str] | None = None) -> str:
    """The report as one Markdown document (pipe tables).

    ``images`` maps a table id to a PNG file beside the document, shown above that table
    (``{"trajectory": "report_trajectory.png"}``: the pathway chart above the pathway table).
    """
    lines = [f"# {report.title}", ""]
    lines += [f"- **{k}**: {v}" for k, v in meta_lines(report)]
    lines.append("")
    for key in report.tables:
        lines += [f"## {report.titles[key]}", ""]
        if images and key in images:
            lines += [f"![{label('t_trajectory_chart', report.lang)}]({images[key]})", ""]
        frame = display_frame(report, key)
        lines.append(_md_table(frame) if len(frame) else label("no_rows", report.lang))
        lines.append("")
    lines += [f"> {n}" for n in report.meta["notes"]]
    lines += ["", f"*{label('generated_by', report.lang)}*", ""]
    return "\n".join(lines)


_CSS = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei","PingFang SC",Arial,sans-serif;
margin:2em;color:#222}
table{border-collapse:collapse;margin:0.5em 0 1.5em;font-size:13px}
th,td{border:1px solid #bbb;padding:3px 6px}th{background:#eef1f5}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.chart svg{max-width:100%;height:auto}
h2{font-size:16px;margin-top:1.6em}.notes{font-size:12px;color:#555}
"""


def _html_table(frame: pd.DataFrame, kinds: dict[str, str], lang: str) -> str:
    if frame.empty:
        return f"<p>{esc(label('no_rows', lang))}</p>"
    numeric = [
        kinds.get(c, kinds.get(unscaled_header(c, lang), "text")) != "text" for c in frame.columns
    ]
    head = "".join(f"<th>{esc(c)}</th>" for c in frame.columns)
    body = []
    for row in frame.itertuples(index=False, name=None):
        cells = "".join(
            f'<td class="num">{esc(v)}</td>' if num else f"<td>{esc(v)}</td>"
            for v, num in zip(row, numeric, strict=True)
        )
        body.append(f"<tr>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _sankey_units(report: Report, unit: str, flows: pd.DataFrame) -> tuple[str, pd.DataFrame]:
    """The Sankey's unit under the report's policy: t/a flows in 万t/a in a 万 report."""
    if report.units == "wan" and unit == "t/a":
        return label("u_wt", report.lang), flows.assign(flow=flows["flow"] / 1e4)
    return unit, flows


def chart_figures(report: Report) -> list[tuple[str, Any, str]]:
    """The report's charts as ``(title, matplotlib figure, css class)``, in page order.

    The rate chart (``rates``) and one Sankey per unit (``sankey_t``, ``sankey_gj`` ...); the
    keys name the PNG files (``report_<chart>.png``, :func:`chart_names`).
    """
    lang = report.lang
    out: list[tuple[str, Any, str]] = []
    rates = report.charts.get("rates", pd.DataFrame())
    if rates is not None and not rates.empty:
        out.append(
            (label("t_rate_chart", lang), rate_figure(rates, SICHUAN_TARGETS, lang), "rate-chart")
        )
    trajectory = report.charts.get("trajectory")
    if trajectory is not None and not trajectory.empty:
        out.append(
            (
                label("t_trajectory_chart", lang),
                trajectory_figure(trajectory, SICHUAN_TARGETS, lang),
                "trajectory-chart",
            )
        )
    sankey = report.charts.get("sankey", pd.DataFrame())
    if sankey is not None and not sankey.empty:
        for unit, part in sankey.groupby("unit", sort=True):
            shown_unit, part = _sankey_units(report, str(unit), part)
            out.append(
                (
                    f"{label('t_sankey', lang)} ({shown_unit})",
                    sankey_figure(part, shown_unit, lang),
                    "sankey",
                )
            )
    return out


def chart_names(report: Report) -> list[str]:
    """The chart keys of :func:`chart_figures`: ``rates``, ``trajectory``, ``sankey_t`` ..."""
    names = []
    if report.charts.get("rates") is not None and not report.charts["rates"].empty:
        names.append("rates")
    trajectory = report.charts.get("trajectory")
    if trajectory is not None and not trajectory.empty:
        names.append("trajectory")
    sankey = report.charts.get("sankey")
    if sankey is not None and not sankey.empty:
        names += [
            "sankey_" + re.sub(r"[^a-z0-9]+", "", str(u).split("/")[0].lower())
            for u in sorted(sankey["unit"].astype(str).unique())
        ]
    return names


def to_html(report: Report, charts: list[tuple[str, Any, str]] | None = None) -> str:
    """The report as one self-contained HTML page (inline CSS and SVG, no scripts).

    ``charts`` are :func:`chart_figures` when already drawn (drawn here otherwise).
    """
    lang = report.lang
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">',
        f"<title>{esc(report.title)} — {esc(report.meta['scenario'])}</title>",
        f"<style>{_CSS}</style></head><body>",
        f"<h1>{esc(report.title)}</h1>",
        "<ul>",
    ]
    parts += [f"<li><b>{esc(k)}</b>: {esc(v)}</li>" for k, v in meta_lines(report)]
    parts.append("</ul>")
    for title, fig, css in chart_figures(report) if charts is None else charts:
        parts += [f"<h2>{esc(title)}</h2>", f'<div class="chart">{figure_svg(fig, css)}</div>']
    for key in report.tables:
        frame = display_frame(report, key)
        parts += [
            f'<h2 id="{esc(key)}">{esc(report.titles[key])}</h2>',
            _html_table(frame, report.kinds[key], lang),
        ]
    parts.append('<div class="notes">')
    parts += [f"<p>{esc(n)}</p>" for n in report.meta["notes"]]
    parts += [f"<p><i>{esc(label('generated_by', lang))}</i></p>", "</div></body></html>"]
    return "\n".join(parts)


def _sheet_name(title: str, used: set[str]) -> str:
    bad = str.maketrans({c: " " for c in "[]:*?/\\"})
    name = title.translate(bad).strip()
    for sep in ("、", ". "):
        if sep in name[:5]:
            name = name.split(sep, 1)[1]
    name = name[:31]
    base, i = name, 2
    while name in used:
        name = f"{base[:28]}~{i}"
        i += 1
    used.add(name)
    return name


def _as_text(ws: Any) -> None:
    """Make every text cell of a worksheet a string cell, never a formula.

    openpyxl turns a string starting with ``=`` into a formula; such cells (and any text starting
    with ``+ - @``, a tab or a carriage return) are stored as strings with Excel's quote prefix,
    so that Excel neither runs them on opening nor on editing.
    """
    for row in ws.iter_rows():
        for cell in row:
            value = cell.value
            if isinstance(value, str) and value.startswith(FORMULA_STARTS):
                cell.data_type = "s"
                cell.quotePrefix = True


def cell_width(value: Any) -> float:
    """Width of a cell's text in Excel character units: CJK and full-width characters count 2.

    >>> cell_width("ab"), cell_width("水泥厂"), cell_width(1234.5)
    (2.0, 6.0, 7.0)
    """
    if isinstance(value, float):
        value = f"{value:,.1f}"
    return float(sum(2 if ord(c) >= 0x2E80 else 1 for c in str(value)))


#: Column widths of report.xlsx, in characters: at least, at most, and the margin added.
XLSX_WIDTH = (8.0, 60.0, 2.0)


def _format_sheet(ws: Any, values: pd.DataFrame, decimals: pd.DataFrame | None) -> None:
    """Frozen header row, auto-filter, number formats and column widths that fit the text."""
    from openpyxl.utils import get_column_letter

    n_rows, n_cols = len(values), len(values.columns)
    if n_cols == 0:
        return
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(n_cols)}{n_rows + 1}"
    low, high, margin = XLSX_WIDTH
    for j, col in enumerate(values.columns, start=1):
        decs = decimals[col].tolist() if decimals is not None else [None] * n_rows
        widths = [cell_width(col)]
        for i, (v, d) in enumerate(zip(values[col], decs, strict=True), start=2):
            fmt = number_format(d) if d is not None else None
            if fmt:
                ws.cell(row=i, column=j).number_format = fmt
                widths.append(cell_width(_num_text(v, int(d))))
            else:
                widths.append(cell_width(v))
        ws.column_dimensions[get_column_letter(j)].width = min(high, max(low, max(widths) + margin))


def _num_text(v: Any, decimals: int) -> str:
    try:
        return f"{float(v):,.{decimals}f}"
    except (TypeError, ValueError):
        return str(v)


def write_xlsx(report: Report, path: Path) -> None:
    """One sheet per table, plus a first sheet with metadata and notes.

    Every sheet has its header row frozen, an auto-filter, columns as wide as their longest text
    (CJK characters counted double) and real numbers with number formats — in the report's unit
    policy (万t/a in a Chinese filing, :func:`parkflow.report.format.scaled_table`), not rounded.
    Text is written as text: a name such as ``=1+1`` or ``@SUM(A1)`` is a string cell, never a
    formula (:func:`_as_text`).
    """
    used: set[str] = set()
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        info = pd.DataFrame(
            meta_lines(report) + [("", n) for n in report.meta["notes"]],
            columns=[label("indicator", report.lang), ""],
        )
        first = _sheet_name(report.title, used)
        info.to_excel(writer, sheet_name=first, index=False)
        _as_text(writer.sheets[first])
        _format_sheet(writer.sheets[first], info, None)
        for key in report.tables:
            values, decimals = scaled_table(report, key)
            sheet = _sheet_name(report.titles[key], used)
            values.to_excel(writer, sheet_name=sheet, index=False)
            ws = writer.sheets[sheet]
            _as_text(ws)
            _format_sheet(ws, values, decimals)
            if key == "trajectory":
                _add_trajectory_image(ws, report, len(values.columns))


def _add_trajectory_image(ws: Any, report: Report, n_cols: int) -> None:
    """The pathway chart as a picture to the right of the pathway table (report.xlsx)."""
    import io

    from openpyxl.drawing.image import Image
    from openpyxl.utils import get_column_letter

    rows = report.charts.get("trajectory")
    if rows is None or rows.empty:
        return
    buf = io.BytesIO()
    save_png(trajectory_figure(rows, SICHUAN_TARGETS, report.lang), buf, dpi=90)
    buf.seek(0)
    ws.add_image(Image(buf), f"{get_column_letter(n_cols + 2)}2")


def write_reports(
    scenario: Scenario | None,
    result: Result,
    out_dir: str | Path,
    lang: str = "zh",
    formats: Iterable[str] = ("md", "html"),
    inputs: Iterable[Path | None] = (),
    units: str | None = None,
    only: Iterable[str] | None = None,
    stem: str = "report",
) -> list[Path]:
    """Write the report into ``out_dir`` (whole or not at all) and return the written paths.

    Parameters
    ----------
    scenario : Scenario or None
    result : Result
    out_dir : path
        The folder (created if absent; files are added to it through
        :func:`parkflow.io.atomic.output_dir` with ``merge=True``).
    lang : {"zh", "en"}
    formats : iterable of {"md", "html", "xlsx", "csv"}
        ``md`` → report.md, ``html`` → report.html, ``xlsx`` → report.xlsx, ``csv`` →
        ``report_<table>.csv`` (UTF-8 with BOM, which Excel in China opens) for every table.
    inputs : paths
        Inputs that must not be written over (the scenario's source is always added).
    units : {"wan", "t"}, optional
        The unit policy of md, html and xlsx (default by language and size,
        :func:`parkflow.report.format.default_units`); the CSVs are always in canonical units.
    only : iterable of str, optional
        Write only these tables (e.g. :data:`~parkflow.report.tables.SCORECARD_TABLES`), no
        charts.
    stem : str
        File name stem: ``report`` (report.md ...) or e.g. ``scorecard``.

    Returns
    -------
    list of pathlib.Path
        The files written, inside ``out_dir``.
    """
    from parkflow.io.atomic import output_dir

    formats = tuple(dict.fromkeys(formats))
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        msg = f"unknown report format {unknown[0]!r}; use one of {', '.join(FORMATS)}"
        raise ValueError(msg)
    report = build_report(scenario, result, lang=lang, units=units)
    if only is not None:
        keep = tuple(only)
        report.tables = {k: v for k, v in report.tables.items() if k in keep}
        report.charts = {}
        report.title = label("scorecard_title", lang)
    out_dir = Path(out_dir)
    names: list[str] = []
    protected = [*inputs, getattr(scenario, "source", None)]
    with output_dir(out_dir, inputs=protected, merge=True) as tmp:
        if "md" in formats:
            # the pathway chart's PNG is written with the html (below): the md shows it
            keys = chart_names(report) if "html" in formats else []
            images = {"trajectory": f"{stem}_trajectory.png"} if "trajectory" in keys else None
            (tmp / f"{stem}.md").write_text(to_markdown(report, images), encoding="utf-8")
            names.append(f"{stem}.md")
        if "html" in formats:
            charts = chart_figures(report)
            (tmp / f"{stem}.html").write_text(to_html(report, charts), encoding="utf-8")
            names.append(f"{stem}.html")
            # the same charts as PNG beside the page, for Word
            for key, (_, fig, _) in zip(chart_names(report), charts, strict=True):
                save_png(fig, tmp / f"{stem}_{key}.png")
                names.append(f"{stem}_{key}.png")
        if "xlsx" in formats:
            write_xlsx(report, tmp / f"{stem}.xlsx")
            names.append(f"{stem}.xlsx")
        if "csv" in formats:
            names += write_csv(report, tmp, stem)
    return [out_dir / n for n in names]


def write_csv(report: Report, folder: Path, stem: str = "report") -> list[str]:
    """One ``report_<table>.csv`` per table (UTF-8 with BOM, which Excel in China opens).

    These files are meant for Excel: a text cell beginning with ``= + - @``, a tab or a carriage
    return gets a leading ``'`` (:func:`formula_safe`), so Excel shows it as text instead of
    running it. Numbers stay raw.

    Returns
    -------
    list of str
        The file names written into ``folder``.
    """
    names = []
    for key, frame in report.tables.items():
        name = f"{stem}_{key}.csv"
        safe = frame.copy()
        for col in safe.columns:
            if not pd.api.types.is_numeric_dtype(safe[col]):
                safe[col] = safe[col].map(formula_safe)
        safe.columns = [formula_safe(c) for c in safe.columns]
        safe.to_csv(folder / name, index=False, encoding="utf-8-sig")
        names.append(name)
    return names
