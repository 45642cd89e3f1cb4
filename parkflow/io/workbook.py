"""The scenario workbook: one sheet per table, bilingual headers, drop-downs, instructions.

:func:`write_workbook` writes what ``parkflow template``, ``parkflow convert`` and
:func:`parkflow.io.save_scenario` produce for an ``.xlsx`` path (docs/scenario-format.md, "The
workbook"):

* a sheet per table, named in the chosen language (``enterprises`` or ``企业``, ...). Row 1 holds
  the column headers in that language (the English id, or the schema's first Chinese alias); a
  note on each header cell gives the other language's header, the meaning and the unit. The
  reader accepts both, so a workbook in either language loads the same;
* a ``scenario`` sheet (``key | value | meaning`` rows; nested settings as dotted keys such as
  ``solver.time_limit_s``) and a ``targets`` sheet, one target per row: no cell holds YAML;
* drop-downs (data validation, warnings only: Chinese names typed by hand are accepted too)
  for materials, routes, modes, sectors, units, park levels and true/false, from a hidden
  ``lists`` sheet that also shows each id's Chinese and English name;
* an ``instructions`` sheet (what each sheet is, its units, how to fill it).

Files are written through :func:`write_output_file`: whole or not at all, with the user's
umask, never over an input, and never over an existing file that parkflow did not write (a
workbook counts as parkflow's only while its document properties still say that parkflow
created and last saved it) unless ``--force``.
"""

from __future__ import annotations

import math
import re
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from parkflow.errors import OutputError
from parkflow.models.schema import (
    CATALOGUE_TABLES,
    DATA_TABLES,
    SCENARIO_SHEET,
    SETTINGS,
    TABLES,
    TARGETS_SHEET,
    Column,
    TableSchema,
)

__all__ = [
    "LANGS",
    "sheet_name",
    "header",
    "write_workbook",
    "write_output_file",
    "written_by_parkflow",
    "example_scenario",
    "targets_frame",
]

#: Languages of a workbook's sheet names, headers and instructions.
LANGS = ("zh", "en")
#: The creator recorded in a workbook's document properties.
CREATOR = "parkflow"
INSTRUCTIONS = {"en": "instructions", "zh": "说明"}
LISTS = {"en": "lists", "zh": "列表"}
_ROWS_VALIDATED = 2000
_HEADER_FILL = "DDEBF7"


def sheet_name(schema: TableSchema, lang: str) -> str:
    """The sheet name of a table in ``lang`` (its id, or its first Chinese alias).

    Examples
    --------
    >>> sheet_name(TABLES["supplies"], "zh"), sheet_name(TABLES["supplies"], "en")
    ('产生', 'supplies')
    """
    return schema.aliases[0] if lang == "zh" and schema.aliases else schema.name


def header(schema: TableSchema, column: str, lang: str) -> str:
    """The header of ``column`` in ``lang``; the reader resolves it back to ``column``.

    Examples
    --------
    >>> header(TABLES["enterprises"], "lon", "zh"), header(TABLES["supplies"], "id", "zh")
    ('经度', '编号')
    """
    if lang != "zh":
        return column
    try:
        col = schema.column(column)
    except KeyError:
        return "编号" if column == "id" else column
    return col.aliases[0] if col.aliases else column


def _note(schema: TableSchema, column: str, lang: str) -> str:
    try:
        col: Column | None = schema.column(column)
    except KeyError:
        col = None
    other = column if lang == "zh" else ", ".join(col.aliases if col else ("编号",)) or column
    parts = [f"{'English' if lang == 'zh' else '中文'}: {other}"]
    if col is None and column == "id":
        parts.append(
            "Row id (optional; generated when empty)."
            if lang == "en"
            else "行编号（可空，空则自动生成）。"
        )
    if col is not None:
        parts.append(
            ("required" if lang == "en" else "必填")
            if col.required
            else ("optional" if lang == "en" else "选填")
        )
        if col.doc:
            parts.append(col.doc)
        if col.unit:
            parts.append(f"unit: {col.unit}" if lang == "en" else f"单位：{col.unit}")
    return "\n".join(parts)


# what goes into a cell ----------------------------------------------------------------------


def _cell_value(value: Any) -> Any:
    """A frame value as an Excel cell value (None for blanks, Python scalars)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, (list, tuple)):
        return ";".join(str(v) for v in value)
    return value


def _put(ws: Any, row: int, col: int, value: Any) -> Any:
    """Write one cell; a text is always stored as text (never as a formula)."""
    cell = ws.cell(row=row, column=col)
    value = _cell_value(value)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


def _flatten(prefix: str, value: Any, out: list[tuple[str, Any]]) -> None:
    if isinstance(value, dict) and value:
        for key, inner in value.items():
            _flatten(f"{prefix}.{key}", inner, out)
    else:
        out.append((prefix, value))


def _setting_cell(value: Any) -> Any:
    import yaml

    if isinstance(value, (dict, list)):
        return yaml.safe_dump(
            value, allow_unicode=True, default_flow_style=True, width=10**6
        ).strip()
    return value


# the sheets ---------------------------------------------------------------------------------


def _style_table(ws: Any, n_rows: int, n_cols: int, widths: list[int]) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    for k in range(1, n_cols + 1):
        cell = ws.cell(row=1, column=k)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=_HEADER_FILL)
        cell.alignment = Alignment(vertical="center")
        ws.column_dimensions[get_column_letter(k)].width = max(8, min(48, widths[k - 1] + 2))
    ws.freeze_panes = "A2"
    if n_cols:
        ws.auto_filter.ref = f"A1:{get_column_letter(n_cols)}{max(n_rows + 1, 2)}"


def _text_width(value: Any) -> int:
    text = "" if value is None else str(value)
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def _write_frame(ws: Any, schema: TableSchema | None, frame: pd.DataFrame, lang: str) -> None:
    from openpyxl.comments import Comment

    columns = list(frame.columns)
    widths = []
    for k, column in enumerate(columns, start=1):
        text = header(schema, column, lang) if schema is not None else column
        cell = _put(ws, 1, k, text)
        if schema is not None:
            cell.comment = Comment(_note(schema, column, lang), CREATOR, width=320, height=130)
        widths.append(_text_width(text))
    for r, row in enumerate(frame.itertuples(index=False), start=2):
        for k, value in enumerate(row, start=1):
            _put(ws, r, k, value)
            widths[k - 1] = max(widths[k - 1], min(_text_width(_cell_value(value)), 46))
    _style_table(ws, len(frame), len(columns), widths)


def _lists(catalogue: Any, lang: str) -> dict[str, list[tuple[str, str, str]]]:
    """The drop-down lists: ``name → [(id, name_zh, name_en)]``."""
    from parkflow.i18n import sector_table
    from parkflow.units import UNITS_BY_KIND

    def rows(df: pd.DataFrame) -> list[tuple[str, str, str]]:
        return [
            (
                str(i),
                str(df.at[i, "name_zh"]) if "name_zh" in df.columns else "",
                str(df.at[i, "name_en"]) if "name_en" in df.columns else "",
            )
            for i in df.index
        ]

    units = list(
        dict.fromkeys([u for kind in UNITS_BY_KIND.values() for u in kind] + ["t", "万t", "GJ"])
    )
    try:
        sectors = sector_table()
        sectors = sectors.set_index("id") if "id" in sectors.columns else sectors
        sector_rows = rows(sectors[~sectors.index.duplicated()])
    except (OSError, ValueError, KeyError):
        sector_rows = []
    out = {
        "material": rows(catalogue.materials),
        "route": rows(catalogue.routes),
        "mode": rows(catalogue.modes),
        "sector": sector_rows,
        "unit": [(u, "", "") for u in units],
        "level": [
            ("national", "国家级", "national"),
            ("provincial", "省级", "provincial"),
            ("municipal", "市级", "municipal"),
        ],
        "bool": [("TRUE", "是", "yes"), ("FALSE", "否", "no")],
    }
    fates = getattr(catalogue, "fates", None)
    if isinstance(fates, pd.DataFrame) and len(fates):
        out["fate"] = rows(fates)
    techs = getattr(catalogue, "technologies", None)
    if isinstance(techs, pd.DataFrame) and len(techs):  # issue 12: candidate facilities
        out["technology"] = rows(techs)
    return out


#: (table, column) → the list its cells are chosen from.
_VALIDATED: dict[tuple[str, str], str] = {
    ("enterprises", "sector"): "sector",
    ("supplies", "material"): "material",
    ("supplies", "unit"): "unit",
    ("uses", "route"): "route",
    ("uses", "unit"): "unit",
    ("stockpiles", "material"): "material",
    ("stockpiles", "unit"): "unit",
    ("links", "material"): "material",
    ("links", "route"): "route",
    ("links", "mode"): "mode",
    ("links", "existing"): "bool",
    ("parks", "level"): "level",
    ("supplies", "fate"): "fate",
    ("stockpiles", "fate"): "fate",
    ("facilities", "technology"): "technology",
    ("technologies", "route"): "route",
}


def _write_lists(wb: Any, catalogue: Any, lang: str) -> dict[str, str]:
    """The hidden lists sheet; returns ``list name → range formula``."""
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(LISTS[lang])
    refs: dict[str, str] = {}
    col = 1
    for name, items in _lists(catalogue, lang).items():
        heads = (name, f"{name} 中文", f"{name} English")
        for k, text in enumerate(heads):
            _put(ws, 1, col + k, text)
        for r, item in enumerate(items, start=2):
            for k, text in enumerate(item):
                _put(ws, r, col + k, text)
        letter = get_column_letter(col)
        refs[name] = f"'{ws.title}'!${letter}$2:${letter}${max(len(items), 1) + 1}"
        _style_table(ws, len(items), 0, [])
        for k in range(3):
            ws.column_dimensions[get_column_letter(col + k)].width = 22
        col += 4
    ws.freeze_panes = "A2"
    ws.sheet_state = "hidden"
    return refs


def _validate(ws: Any, table: str, columns: list[str], refs: dict[str, str], lang: str) -> None:
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    for k, column in enumerate(columns, start=1):
        source = _VALIDATED.get((table, column))
        if source is None or source not in refs:
            continue
        dv = DataValidation(
            type="list",
            formula1=refs[source],
            allow_blank=True,
            errorStyle="warning",
            showErrorMessage=True,
        )
        dv.errorTitle = "parkflow"
        dv.error = (
            "不在目录列表中；也可填写目录中的中文名称。"
            if lang == "zh"
            else "Not in the catalogue list; the catalogue's Chinese names are accepted too."
        )
        letter = get_column_letter(k)
        dv.add(f"{letter}2:{letter}{_ROWS_VALIDATED}")
        ws.add_data_validation(dv)


_TEXTS: dict[str, dict[str, Any]] = {
    "en": {
        "title": "parkflow scenario workbook",
        "intro": [
            "Fill one sheet per table; row 1 holds the headers (English ids or the Chinese "
            "names, both are read). Hover a header for its meaning and unit.",
            "The example rows show the format: replace them with your plants, or delete them.",
            "Drop-downs offer the catalogue's ids; the catalogue's Chinese names may be typed "
            "instead. The hidden sheet 'lists' holds the lists.",
            "Quantities: give each row's unit (t/a, 万t/a, kt/a, GJ/a, MW, Nm3/a ...); they are "
            "converted to t/a (solids, hydrogen) or GJ/a (heat). Rates: 0.78 or 78%.",
            "Coordinates: WGS-84 degrees (GPS); set coordinates = gcj02 in 'scenario' for "
            "Amap / Tencent coordinates.",
            "Check the workbook with `parkflow validate FILE.xlsx`, then `parkflow solve "
            "FILE.xlsx --out result`. Reference: docs/scenario-format.md.",
        ],
        "head": ("sheet", "required", "what it holds", "required columns"),
        "yes": "yes",
        "no": "no",
    },
    "zh": {
        "title": "parkflow 情景工作簿",
        "intro": [
            "每个表一个工作表；第 1 行为表头（中文名称或英文编号均可识别）。将鼠标停在表头上可"
            "看到含义和单位。",
            "示例行说明填写格式：请替换为贵园区企业的数据，或删除。",
            "下拉列表给出目录中的编号；也可直接填写目录中的中文名称。列表在隐藏工作表“列表”中。",
            "数量：每行注明单位（t/a、万t/a、kt/a、GJ/a、MW、Nm3/a 等），读入时换算为 t/a（固废、"
            "氢气）或 GJ/a（余热）。比率写 0.78 或 78%。",
            "坐标：WGS-84 经纬度（GPS）；高德/腾讯地图坐标请在“情景”表中设 coordinates = gcj02。",
            "填好后运行 `parkflow validate 文件.xlsx` 检查，再运行 `parkflow solve 文件.xlsx "
            "--out result`。格式说明：docs/scenario-format.md。",
        ],
        "head": ("工作表", "必需", "内容", "必填列"),
        "yes": "是",
        "no": "否",
    },
}

_SHEET_DOCS = {
    "zh": {
        "scenario": "情景设置：名称、年份、运行小时数、目标函数、求解器（键 | 值）",
        "targets": "利用率目标，每行一个（物料、排除、目标利用率、范围）",
        "enterprises": "企业：每行一个工厂（园区、行业、经纬度）",
        "supplies": "产生量：每年产生的副产物（固废、余热、氢气）",
        "uses": "利用能力：企业每年可通过某利用途径消纳的量",
        "stockpiles": "往年贮存量（可选）：可逐年取用的堆存",
        "links": "现有或手工提出的连接（可选；现有连接强制开启）",
        "parks": "园区（可选）：编号、名称、级别、城市，边界为 WKT",
        "facilities": "候选设施（可选）：技术、建设地点（企业或园区内经纬度）、可选规模",
        "technologies": "技术目录补充（可选）：规模、投资、寿命、运维、产品价值（同编号覆盖内置）",
        "trajectories": "逐年数据（可选，多期）：类型、编号、年份、数量、单位",
    },
}


def _write_instructions(ws: Any, lang: str, sheets: list[tuple[TableSchema, str]]) -> None:
    from openpyxl.styles import Alignment, Font

    texts = _TEXTS[lang]
    _put(ws, 1, 1, texts["title"]).font = Font(bold=True, size=14)
    row = 3
    for line in texts["intro"]:
        _put(ws, row, 1, line).alignment = Alignment(wrap_text=True, vertical="top")
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=4)
        ws.row_dimensions[row].height = 32
        row += 1
    row += 1
    for k, text in enumerate(texts["head"], start=1):
        _put(ws, row, k, text).font = Font(bold=True)
    for schema, name in sheets:
        row += 1
        doc = _SHEET_DOCS.get(lang, {}).get(schema.name, schema.doc)
        required = schema.name in ("scenario", "enterprises", "supplies", "uses")
        columns = [header(schema, c, lang) for c in schema.required_columns]
        if schema.name == "scenario":
            columns = ["name"]
        for k, text in enumerate(
            (name, texts["yes"] if required else texts["no"], doc, ", ".join(columns)), start=1
        ):
            _put(ws, row, k, text).alignment = Alignment(wrap_text=True, vertical="top")
    for letter, width in zip("ABCD", (16, 8, 70, 50), strict=True):
        ws.column_dimensions[letter].width = width


def _settings_rows(config: dict[str, Any]) -> list[tuple[str, Any]]:
    rows: list[tuple[str, Any]] = []
    for key, value in config.items():
        if key == "targets":
            continue
        _flatten(key, value, rows)
    return [(k, _setting_cell(v)) for k, v in rows if v is not None]


def _rate_by_year_cell(value: Any) -> str:
    """``{2025: 0.78, 2030: 0.82}`` → ``"2025:0.78;2030:0.82"`` (a cell's text as it is)."""
    if isinstance(value, dict):
        return ";".join(
            f"{y}:{r:g}" if isinstance(r, float) else f"{y}:{r}" for y, r in value.items()
        )
    return "" if value is None else str(value)


def targets_frame(targets: list[dict[str, Any]]) -> pd.DataFrame:
    """scenario.yaml ``targets:`` mappings as the rows of a workbook's targets sheet.

    Every key of the schema's targets sheet (``TARGETS_SHEET``): lists ``;``-separated,
    ``rate_by_year`` as ``year:rate`` pairs. The optional columns no target fills (``basis``,
    ``year``, ``enforce``, ``rate_by_year``) are left out, so a plain sheet stays as before.

    >>> targets_frame([{"id": "t", "rate": 0.8, "year": 2030, "enforce": False}]).iloc[0].tolist()
    ['t', None, '', 0.8, 'all', 2030, False]
    """
    rows = []
    for t in targets:
        materials = t.get("materials")
        rows.append(
            {
                "id": t.get("id"),
                "materials": ";".join(materials) if isinstance(materials, list) else materials,
                "exclude": ";".join(t.get("exclude") or []),
                "rate": t.get("rate"),
                "scope": t.get("scope", "all"),
                "basis": t.get("basis"),
                "year": t.get("year"),
                "enforce": t.get("enforce"),
                "rate_by_year": _rate_by_year_cell(t.get("rate_by_year")),  # issue 12
            }
        )
    frame = pd.DataFrame(rows, columns=TARGETS_SHEET.column_names, dtype=object)
    unused = [
        c
        for c in ("basis", "year", "enforce", "rate_by_year")
        if not frame[c].map(lambda v: v is not None and v != "").any()
    ]
    return frame.drop(columns=unused)


def write_workbook(
    scenario: Any, file: str | Path, lang: str = "en", empty_optional: bool = False
) -> Path:
    """Write ``scenario`` as a scenario workbook.

    No safety checks: see :func:`write_output_file`.

    Parameters
    ----------
    scenario : Scenario
    file : path
        The ``.xlsx`` file to write (created or overwritten).
    lang : {"en", "zh"}
        Language of the sheet names, headers, notes and instructions.
    empty_optional : bool
        Also write the optional tables the scenario has no rows in (the candidate
        ``facilities``), headers only: the template shows every table a planner may fill.

    Returns
    -------
    Path
    """
    from openpyxl import Workbook

    from parkflow.io.saved import (
        _catalogue_csv_frame,
        _catalogue_overrides,
        _config,
        _table_frame,
        optional_tables,
        technology_overrides,
    )

    if lang not in LANGS:
        msg = f"lang must be one of {LANGS}, not {lang!r}"
        raise ValueError(msg)
    tables, modes = _catalogue_overrides(scenario)
    config = _config(scenario, modes)
    wb = Workbook()
    wb.properties.creator = CREATOR
    wb.properties.lastModifiedBy = CREATOR
    wb.properties.title = str(scenario.name)
    instructions = wb.active
    instructions.title = INSTRUCTIONS[lang]
    refs = _write_lists(wb, scenario.catalogue, lang)
    written: list[tuple[TableSchema, str]] = []

    # scenario: key | value | meaning
    ws = wb.create_sheet(sheet_name(SCENARIO_SHEET, lang), 1)
    heads = ("key", "value", "meaning") if lang == "en" else ("键", "值", "说明")
    for k, text in enumerate(heads, start=1):
        _put(ws, 1, k, text)
    rows = _settings_rows(config)
    for r, (key, value) in enumerate(rows, start=2):
        _put(ws, r, 1, key)
        _put(ws, r, 2, value)
        setting = SETTINGS.get(key.split(".")[0])
        if setting is not None:
            _put(ws, r, 3, setting.doc)
    _style_table(ws, len(rows), 3, [26, 30, 90])
    written.append((SCENARIO_SHEET, ws.title))

    ws = wb.create_sheet(sheet_name(TARGETS_SHEET, lang), 2)
    frame = targets_frame(list(config.get("targets") or []))
    _write_frame(ws, TARGETS_SHEET, frame, lang)
    written.append((TARGETS_SHEET, ws.title))

    position = 3
    for name in (*DATA_TABLES, "parks"):
        schema = TABLES[name]
        frame = _table_frame(name, getattr(scenario, name))
        if name == "parks":
            frame["geometry"] = [None if g is None else g.wkt for g in scenario.parks.geometry]
        ws = wb.create_sheet(sheet_name(schema, lang), position)
        position += 1
        _write_frame(ws, schema, frame, lang)
        _validate(ws, name, list(frame.columns), refs, lang)
        written.append((schema, ws.title))
    # optional tables with rows (issue 12: facilities; trajectories with periods)
    optional = optional_tables(scenario)
    if empty_optional and "facilities" not in optional:
        optional["facilities"] = pd.DataFrame(columns=["id", *TABLES["facilities"].column_names])
    for name, frame in optional.items():
        schema = TABLES[name]
        ws = wb.create_sheet(sheet_name(schema, lang), position)
        position += 1
        _write_frame(ws, schema, frame, lang)
        _validate(ws, name, list(frame.columns), refs, lang)
        written.append((schema, ws.title))
    techs = technology_overrides(scenario)
    if techs is not None:  # the scenario's technology rows (merged over the catalogue's)
        schema = CATALOGUE_TABLES["technologies"]
        ws = wb.create_sheet(sheet_name(schema, lang), position)
        position += 1
        _write_frame(ws, schema, techs, lang)
        written.append((schema, ws.title))
    for table, rows_frame in tables.items():
        ws = wb.create_sheet(table, position)
        position += 1
        _write_frame(ws, None, _catalogue_csv_frame(rows_frame), lang)
    _write_instructions(instructions, lang, written)
    file = Path(file)
    wb.save(file)
    return file


# the safe single-file writer ----------------------------------------------------------------


def written_by_parkflow(path: str | Path) -> bool:
    """Whether ``path`` is a workbook parkflow wrote and nobody has saved since.

    True when its document properties (``docProps/core.xml``) name parkflow both as creator
    and as last modifier: Excel and WPS record the user as last modifier on every save, so a
    filled-in template is not parkflow's any more.
    """
    try:
        with zipfile.ZipFile(path) as zf:
            core = zf.read("docProps/core.xml").decode("utf-8", "replace")
    except (OSError, KeyError, zipfile.BadZipFile):
        return False
    creator = re.search(r"<dc:creator>(.*?)</dc:creator>", core)
    modifier = re.search(r"<cp:lastModifiedBy>(.*?)</cp:lastModifiedBy>", core)
    return bool(
        creator and modifier and creator.group(1) == CREATOR and modifier.group(1) == CREATOR
    )


def write_output_file(
    path: str | Path, write: Callable[[Path], Any], inputs: Iterable[Path | None] = ()
) -> Path:
    """Write one output file whole or not at all, through :func:`parkflow.io.atomic.output_dir`.

    Parameters
    ----------
    path : path
        The file to write.
    write : callable
        ``write(tmp_path)`` writes the file's content at ``tmp_path``.
    inputs : paths
        Inputs that must not be written over.

    Raises
    ------
    OutputError
        When ``path`` is an input or a folder, or exists and was not written by parkflow (unless
        the ``--force`` setting is on), or cannot be written.
    """
    from parkflow.io.atomic import _FORCE, check_not_input, output_dir

    path = Path(path)
    check_not_input(path, list(inputs))
    if path.is_dir():
        msg = f"{path} is a folder; give a file name such as park.xlsx"
        raise OutputError(msg)
    force = _FORCE.get()
    if path.exists() and not force and not written_by_parkflow(path):
        msg = (
            f"{path} exists and was not written by parkflow (or was edited since); "
            "choose another file name, or add --force to replace it"
        )
        raise OutputError(msg)
    # replacing: the file is parkflow's (or --force); a new file never replaces anything
    # (the inputs were checked against the file; the folder may well hold them)
    with output_dir(path.parent, merge=True, force=path.exists()) as tmp:
        write(tmp / path.name)
    return path


# the template's example -----------------------------------------------------------------------


def example_scenario(lang: str = "en") -> Any:
    """The example rows of ``parkflow template``: a valid three-plant park near Leshan.

    Examples
    --------
    >>> sc = example_scenario("zh")
    >>> sorted(sc.enterprises.index), len(sc.targets)
    (['E01', 'E02', 'E03'], 1)
    """
    import geopandas as gpd
    from shapely.geometry import Polygon

    from parkflow.io.assemble import scenario_from_frames

    zh = lang == "zh"
    enterprises = pd.DataFrame(
        {
            "id": ["E01", "E02", "E03"],
            "name": ["示例电厂", "示例水泥厂", "示例砖厂"]
            if zh
            else ["Example power plant", "Example cement plant", "Example brick works"],
            "park": ["P1", "P1", "P1"],
            "sector": ["coal_power", "cement", "brick_works"],
            "lon": [103.760, 103.775, 103.790],
            "lat": [29.560, 29.552, 29.545],
            "city": ["乐山市" if zh else "Leshan"] * 3,
        }
    )
    supplies = pd.DataFrame(
        {
            "id": ["S1", "S2"],
            "enterprise": ["E01", "E01"],
            "material": ["fly_ash", "waste_heat"],
            "quantity": [12.0, 5.0],
            "unit": ["万t/a", "MW"],
        }
    )
    uses = pd.DataFrame(
        {
            "id": ["U1", "U2"],
            "enterprise": ["E02", "E03"],
            "route": ["cement_admixture", "bricks"],
            "capacity": [8.0, 30000.0],
            "unit": ["万t/a", "t/a"],
        }
    )
    stockpiles = pd.DataFrame(
        {
            "id": ["K1"],
            "enterprise": ["E01"],
            "material": ["fly_ash"],
            "quantity": [20.0],
            "unit": ["万t"],
            "max_draw": [20000.0],
        }
    )
    links = pd.DataFrame(
        {
            "id": ["L1"],
            "from": ["E01"],
            "to": ["E02"],
            "material": ["fly_ash"],
            "route": ["cement_admixture"],
            "mode": ["truck"],
            "existing": [True],
        }
    )
    parks = gpd.GeoDataFrame(
        {
            "id": ["P1"],
            "name": ["示例工业园区" if zh else "Example industrial park"],
            "level": ["provincial"],
            "city": ["乐山市" if zh else "Leshan"],
        },
        geometry=[Polygon([(103.74, 29.53), (103.81, 29.53), (103.81, 29.58), (103.74, 29.58)])],
        crs="EPSG:4326",
    )
    targets = [
        {
            "id": "bulk-2025",
            "materials": "bulk_solid_waste",
            "exclude": ["tailings"],
            "rate": 0.78,
            "scope": "all",
        }
    ]
    return scenario_from_frames(
        "示例园区 2025" if zh else "Example park 2025",
        enterprises,
        supplies,
        uses,
        stockpiles=stockpiles,
        links=links,
        parks=parks,
        targets=targets,
        year=2025,
    )
