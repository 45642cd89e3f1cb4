"""Table schemas and settings: every column and every scenario.yaml key, declared once.

One mechanism declares the input tables (enterprises, supplies, uses, stockpiles, links, parks),
the catalogue tables (materials, categories, routes, modes) and the output tables (flows.csv,
utilisation.csv). Validation, the loader, the saver, the reading of a solution folder and the
docs (docs/scenario-format.md, whose column tables are tested against these declarations) all
read them.

A :class:`Column` is *required* when the file must have it; optional columns are filled with
their default when absent. Extra columns in an input file are kept and ignored. A column may be
headed by its English name (any case) or one of its Chinese ``aliases``; a table's sheet in a
workbook by its name or one of the table's ``aliases``.

After loading, every quantity is in its material's canonical unit (t/a for solids and hydrogen,
GJ/a for heat) and the ``unit`` column holds that canonical unit.

>>> TABLES["supplies"].column("quantity").unit
'see unit'
>>> TABLES["enterprises"].resolve_header("经度")
'lon'
>>> SETTINGS["min_flow"].default
0.0
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

#: Texts a true/false cell reads as true / false (compared after NFKC, strip, lower-case).
TRUE_TEXTS = frozenset({"true", "t", "yes", "y", "1", "1.0", "是"})
FALSE_TEXTS = frozenset({"false", "f", "no", "n", "0", "0.0", "否"})


def is_blank(value: Any) -> bool:
    """True for an empty cell: None, NaN, NA, NaT or a text of only whitespace.

    Examples
    --------
    >>> is_blank(" "), is_blank(float("nan")), is_blank(0)
    (True, True, False)
    """
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and value.strip() == ""


def parse_bool(value: Any, blank: bool | None = False) -> bool | None:
    """Read one true/false cell — the one boolean parser of parkflow.

    Parameters
    ----------
    value : object
        The cell (a bool, a number or a text such as ``"yes"``, ``"否"``).
    blank : bool or None
        What a blank cell means (default False).

    Returns
    -------
    bool or None
        None when the cell is neither true nor false.

    Examples
    --------
    >>> parse_bool("Yes"), parse_bool("否"), parse_bool(""), parse_bool("maybe")
    (True, False, False, None)
    """
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if is_blank(value):
        return blank
    text = unicodedata.normalize("NFKC", str(value)).strip().lower()
    if text in TRUE_TEXTS:
        return True
    if text in FALSE_TEXTS:
        return False
    return None


def _key(text: object) -> str:
    """A header or sheet name as compared: NFKC, stripped, lower-case."""
    return unicodedata.normalize("NFKC", str(text)).strip().lower()


@dataclass(frozen=True)
class Column:
    """One column of a table.

    Attributes
    ----------
    name : str
        The English header (the id used in code).
    dtype : str
        ``"str"``, ``"float64"``, ``"bool"`` or ``"list"`` (``;``-separated in a file).
    required : bool
        Whether a file must have the column.
    unit : str
        Unit of the values ("" for texts).
    doc : str
        One line for the docs.
    default : object
        The value of a missing optional column.
    minimum, maximum : float or None
        Bounds of a number (inclusive, unless ``exclusive_maximum``).
    exclusive_maximum : bool
        The maximum itself is not allowed.
    allow_nan : bool
        A number may be blank (NaN).
    percent : bool
        A fraction: ``78%`` is read as 0.78.
    aliases : tuple of str
        Chinese (or other) headers read as this column.
    """

    name: str
    dtype: str  # "str", "float64", "bool", "list"
    required: bool = True
    unit: str = ""
    doc: str = ""
    default: object = None
    minimum: float | None = None
    maximum: float | None = None
    exclusive_maximum: bool = False
    allow_nan: bool = True
    percent: bool = False
    aliases: tuple[str, ...] = ()

    def bounds_error(self, number: float) -> str | None:
        """The message when ``number`` breaks the column's bounds, else None.

        Examples
        --------
        >>> Column("purity", "float64", minimum=0.0, maximum=1.0, unit="fraction"
        ...        ).bounds_error(1.5)
        '1.5 must be <= 1 (fraction)'
        """
        if math.isnan(number):
            return None if self.allow_nan else "must be a number (it is empty or NaN)"
        if math.isinf(number):
            return f"{number} is not finite"
        if self.minimum is not None and number < self.minimum:
            return f"{number:g} must be >= {self.minimum:g} ({self.unit})"
        if self.maximum is not None and (
            number > self.maximum or (self.exclusive_maximum and number >= self.maximum)
        ):
            op = "<" if self.exclusive_maximum else "<="
            return f"{number:g} must be {op} {self.maximum:g} ({self.unit})"
        return None


@dataclass(frozen=True)
class TableSchema:
    """The columns of one table, its file name and its index.

    Attributes
    ----------
    name : str
        Table name (``"supplies"``), also its workbook sheet.
    file : str
        File name in a scenario or output folder.
    index_name : str
        Name of the index after loading (``"supply_id"``).
    id_prefix : str
        Prefix of generated ids (``"S"`` → S1, S2...).
    columns : tuple of Column
    required_table : bool
        Whether a scenario must have the table.
    doc : str
    label : str
        The word for one row in messages (``"supply"``).
    aliases : tuple of str
        Other sheet names (Chinese) read as this table.
    kind : str
        ``"input"``, ``"catalogue"`` or ``"output"``.
    id_aliases : tuple of str
        Other headers of the ``id`` column (besides 编号 and 代码).
    """

    name: str
    file: str
    index_name: str
    id_prefix: str = ""
    columns: tuple[Column, ...] = field(default_factory=tuple)
    required_table: bool = True
    doc: str = ""
    label: str = ""
    aliases: tuple[str, ...] = ()
    kind: str = "input"
    id_aliases: tuple[str, ...] = ()

    @property
    def required_columns(self) -> list[str]:
        """Names of the columns an input file must have."""
        return [c.name for c in self.columns if c.required]

    @property
    def column_names(self) -> list[str]:
        """Names of all declared columns, in order."""
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        """The declared column ``name`` (KeyError when there is none)."""
        for c in self.columns:
            if c.name == name:
                return c
        msg = f"table {self.name} has no column {name!r}"
        raise KeyError(msg)

    def dtypes(self) -> dict[str, str]:
        """``column name → dtype`` of the declared columns."""
        return {c.name: c.dtype for c in self.columns}

    def resolve_header(self, header: object) -> str:
        """The column name a header means (English in any case, or an alias); else as given.

        Examples
        --------
        >>> TABLES["supplies"].resolve_header(" Quantity "), TABLES["supplies"].resolve_header("x")
        ('quantity', 'x')
        """
        text = str(header).strip().lstrip("\ufeff")
        key = _key(text)
        for c in self.columns:
            if key == c.name.lower() or key in (_key(a) for a in c.aliases):
                return c.name
        if key == "id" or key in ("编号", "代码", *(_key(a) for a in self.id_aliases)):
            return "id"
        return text

    def matches_sheet(self, sheet: object) -> bool:
        """Whether a workbook sheet name names this table (any case, or a Chinese alias)."""
        key = _key(sheet)
        return key == self.name or key in (_key(a) for a in self.aliases)


@dataclass(frozen=True)
class Setting:
    """One scenario.yaml key: its type, default, bounds and meaning.

    Attributes
    ----------
    name : str
        The key (``"min_flow"``).
    type : str
        ``"str"``, ``"int"``, ``"float"``, ``"choice"``, ``"mapping"``, ``"list"`` or
        ``"int_or_none"``.
    default : object
    doc : str
    unit : str
    minimum, maximum : float or None
        Bounds (inclusive) of a number.
    choices : tuple of str
        The allowed values of a ``"choice"``.
    used_by : str
        The module that reads it (for the docs).
    """

    name: str
    type: str
    default: Any = None
    doc: str = ""
    unit: str = ""
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()
    used_by: str = "parkflow.io"


NAN = float("nan")
_ID = ("编号", "代码")

# columns that several tables share, declared once (a Column is immutable, so tables share it)
_CITY_ZH = Column(
    "city_zh",
    "str",
    required=False,
    default="",
    doc="Chinese city name, shown in Chinese reports (default: city).",
    aliases=("城市中文名",),
)
_NAME_ZH = Column("name_zh", "str", required=False, aliases=("中文名称", "名称"))
_NAME_EN = Column("name_en", "str", required=False, aliases=("英文名称",))
_GROUP = Column("group", "str", required=False, aliases=("分组",))
_KIND = Column("kind", "str", required=False, aliases=("形态",))
_SOURCE = Column("source", "str", required=False, aliases=("来源",))
_CO2_SOURCE = Column("co2_source", "str", required=False)
_COST_SOURCE = Column("cost_source", "str", required=False)


def _growth_per_a(of: str) -> Column:
    """``growth_per_a`` of supplies and uses (docs/model.md#periods): ``of`` names what grows."""
    return Column(
        "growth_per_a",
        "float64",
        required=False,
        default=0.0,
        unit="fraction per year",
        minimum=-0.99,
        maximum=10.0,
        percent=True,
        doc=f"With periods: yearly growth of {of} from the scenario's year "
        "(0.05 = +5 %/a; docs/model.md#periods).",
        aliases=("年增长率",),
    )


ENTERPRISES = TableSchema(
    name="enterprises",
    file="enterprises.csv",
    index_name="enterprise_id",
    id_prefix="E",
    label="enterprise",
    aliases=("企业", "企业表"),
    doc="One row per plant.",
    columns=(
        Column("id", "str", doc="Unique enterprise id, e.g. 'E01'.", aliases=("企业编号", *_ID)),
        Column("name", "str", doc="Plant name (Chinese or English).", aliases=("名称", "企业名称")),
        Column("park", "str", doc="Park id; matches parks.geojson when given.", aliases=("园区",)),
        Column(
            "sector",
            "str",
            doc="Sector, e.g. 'steel', 'cement', 'phosphate_chemicals'.",
            aliases=("行业",),
        ),
        Column(
            "lon",
            "float64",
            unit="degree",
            doc="Longitude (WGS-84 unless coordinates: gcj02).",
            aliases=("经度",),
        ),
        Column(
            "lat",
            "float64",
            unit="degree",
            doc="Latitude (WGS-84 unless coordinates: gcj02).",
            aliases=("纬度",),
        ),
        Column(
            "city",
            "str",
            required=False,
            default="",
            doc="City (prefecture), for city scopes.",
            aliases=("城市", "市"),
        ),
        Column(
            "name_zh",
            "str",
            required=False,
            default="",
            doc="Chinese plant name, shown in Chinese reports (default: name).",
            aliases=("中文名称",),
        ),
        _CITY_ZH,
        Column(
            "value_added_cny_per_a",
            "float64",
            required=False,
            default=NAN,
            unit="CNY/a",
            minimum=0.0,
            doc="Industrial value added, for resource and energy productivity "
            "in the scorecard (docs/reporting.md).",
            aliases=("工业增加值", "增加值"),
        ),
        Column(
            "energy_use_tce_per_a",
            "float64",
            required=False,
            default=NAN,
            unit="tce/a",
            minimum=0.0,
            doc="Energy use in tonnes of coal equivalent, for the scorecard.",
            aliases=("综合能耗", "能耗"),
        ),
        Column(
            "water_use_t_per_a",
            "float64",
            required=False,
            default=NAN,
            unit="t/a",
            minimum=0.0,
            doc="Water use, for the scorecard's water reuse rate.",
            aliases=("用水量",),
        ),
        Column(
            "water_reused_t_per_a",
            "float64",
            required=False,
            default=NAN,
            unit="t/a",
            minimum=0.0,
            doc="Water reused or recycled, for the scorecard's water reuse rate.",
            aliases=("重复利用水量", "回用水量"),
        ),
        Column(
            "rail_siding",
            "bool",
            required=False,
            default=False,
            doc="True: the plant has a rail siding (铁路专用线); rail between two such plants "
            "pays the sided handling (docs/catalogue.md, transport).",
            aliases=("铁路专用线",),
        ),
    ),
)

SUPPLIES = TableSchema(
    name="supplies",
    file="supplies.csv",
    index_name="supply_id",
    id_prefix="S",
    label="supply",
    aliases=("产生", "产生量", "供给"),
    doc="By-product generated per year (产生量).",
    columns=(
        Column(
            "enterprise",
            "str",
            doc="Enterprise id that generates the by-product.",
            aliases=("企业", "企业编号"),
        ),
        Column(
            "material",
            "str",
            doc="Material id from the catalogue.",
            aliases=("物料", "材料", "种类"),
        ),
        Column(
            "quantity",
            "float64",
            unit="see unit",
            doc="Amount generated per year.",
            minimum=0.0,
            aliases=("产生量", "数量"),
        ),
        Column(
            "unit",
            "str",
            doc="Unit of quantity: t/a, kt/a, 万t/a, Mt/a, kg/a, GJ/a, TJ/a, MWh/a, MW, Nm3/a.",
            aliases=("单位",),
        ),
        Column(
            "temperature_c",
            "float64",
            required=False,
            default=NAN,
            unit="°C",
            minimum=-273.15,
            doc="Heat: source temperature.",
            aliases=("温度",),
        ),
        Column(
            "purity",
            "float64",
            required=False,
            default=NAN,
            unit="fraction",
            minimum=0.0,
            maximum=1.0,
            percent=True,
            doc="Hydrogen: purity (0-1), e.g. 0.999.",
            aliases=("纯度",),
        ),
        Column(
            "fate",
            "str",
            required=False,
            default="",
            doc="What happens today to what is not utilised: a fates id (stored, landfilled, "
            "dumped for solids; vented, flared, fuel for hydrogen; wasted for heat). Default "
            "by kind: stored, vented, wasted (docs/model.md#fates).",
            aliases=("去向现状", "处置现状"),
        ),
        Column(
            "replacement",
            "str",
            required=False,
            default="",
            doc="With fate fuel: the fuel burnt instead (replacement_fuels id; default "
            "natural_gas).",
            aliases=("替代燃料",),
        ),
        Column(
            "fate_cost",
            "float64",
            required=False,
            default=NAN,
            unit="CNY per canonical unit",
            minimum=0.0,
            doc="Avoided cost of the fate per unit utilised; overrides the catalogue's.",
            aliases=("现状处置成本",),
        ),
        Column(
            "utilised_outside",
            "float64",
            required=False,
            default=0.0,
            unit="see unit",
            minimum=0.0,
            doc="Amount utilised today by buyers outside the scenario "
            "(综合利用量, not re-optimised; same unit as quantity).",
            aliases=("外部利用量", "场外利用量"),
        ),
        _growth_per_a("the amount generated"),
    ),
)

USES = TableSchema(
    name="uses",
    file="uses.csv",
    index_name="use_id",
    id_prefix="U",
    label="use",
    aliases=("利用", "利用能力", "消纳"),
    doc="What a plant can absorb per year through a use route.",
    columns=(
        Column(
            "enterprise",
            "str",
            doc="Enterprise id that absorbs the by-product.",
            aliases=("企业", "企业编号"),
        ),
        Column(
            "route", "str", doc="Use-route id from the catalogue.", aliases=("利用途径", "途径")
        ),
        Column(
            "capacity",
            "float64",
            unit="see unit",
            doc="Amount it can absorb per year.",
            minimum=0.0,
            aliases=("能力", "利用能力", "消纳能力"),
        ),
        Column("unit", "str", doc="Unit of capacity.", aliases=("单位",)),
        Column(
            "min_temperature_c",
            "float64",
            required=False,
            default=NAN,
            unit="°C",
            minimum=-273.15,
            doc="Heat: minimum supply temperature the sink needs (overrides the route's).",
            aliases=("最低温度",),
        ),
        Column(
            "min_purity",
            "float64",
            required=False,
            default=NAN,
            unit="fraction",
            minimum=0.0,
            maximum=1.0,
            percent=True,
            doc="Hydrogen: minimum purity (overrides the route's).",
            aliases=("最低纯度",),
        ),
        Column(
            "value",
            "float64",
            required=False,
            default=NAN,
            unit="CNY per canonical unit",
            doc="Value per unit absorbed (overrides the route's).",
            aliases=("价值", "单价"),
        ),
        _growth_per_a("the capacity"),
    ),
)

STOCKPILES = TableSchema(
    name="stockpiles",
    file="stockpiles.csv",
    index_name="stockpile_id",
    id_prefix="K",
    label="stockpile",
    aliases=("贮存", "贮存量", "堆存"),
    required_table=False,
    doc="Legacy storage from earlier years (往年贮存量) that may be drawn down.",
    columns=(
        Column(
            "enterprise",
            "str",
            doc="Enterprise id that holds the stock.",
            aliases=("企业", "企业编号"),
        ),
        Column(
            "material", "str", doc="Material id (solids only).", aliases=("物料", "材料", "种类")
        ),
        Column(
            "quantity",
            "float64",
            unit="see unit",
            doc="Amount in stock.",
            minimum=0.0,
            aliases=("贮存量", "数量"),
        ),
        Column(
            "unit",
            "str",
            doc="Unit; '/a' units are read as the amount in stock.",
            aliases=("单位",),
        ),
        Column(
            "max_draw",
            "float64",
            required=False,
            default=NAN,
            unit="canonical/a",
            minimum=0.0,
            doc="Most that may be drawn per year (default: the whole stock).",
            aliases=("最大取用量", "年取用上限"),
        ),
    ),
)

LINKS = TableSchema(
    name="links",
    file="links.csv",
    index_name="link_id",
    id_prefix="L",
    label="link",
    aliases=("连接", "线路", "链接"),
    required_table=False,
    doc="Links that exist already (existing: true, forced open) or are proposed by hand.",
    columns=(
        Column("from", "str", doc="Generating enterprise id.", aliases=("来源", "起点")),
        Column("to", "str", doc="Absorbing enterprise id.", aliases=("去向", "终点")),
        Column("material", "str", doc="Material id.", aliases=("物料", "材料")),
        Column(
            "route",
            "str",
            doc="Use-route id at the absorbing enterprise.",
            aliases=("利用途径", "途径"),
        ),
        Column(
            "mode",
            "str",
            required=False,
            default="",
            doc="Transport mode id (default: the cheapest mode that carries the material).",
            aliases=("运输方式",),
        ),
        Column(
            "existing",
            "bool",
            required=False,
            default=False,
            doc="True: built already, forced open.",
            aliases=("现有", "已建"),
        ),
        Column(
            "fixed_cost",
            "float64",
            required=False,
            default=NAN,
            unit="CNY/a",
            minimum=0.0,
            doc="Annualised fixed cost, overrides the mode's.",
            aliases=("固定成本",),
        ),
        Column(
            "distance_km",
            "float64",
            required=False,
            default=NAN,
            unit="km",
            minimum=0.0,
            doc="Distance, overrides geodesic distance × detour.",
            aliases=("距离", "距离_km"),
        ),
        Column(
            "baseline_quantity",
            "float64",
            required=False,
            default=NAN,
            unit="canonical unit/a",
            minimum=0.0,
            doc="Existing links: what flows today, leaving the source (the report's before; "
            "with existing_flows: keep a floor).",
            aliases=("现状流量",),
        ),
    ),
)

PARKS = TableSchema(
    name="parks",
    file="parks.geojson",
    index_name="park_id",
    id_prefix="P",
    label="park",
    aliases=("园区",),
    required_table=False,
    doc="Park boundaries (GeoJSON features with properties id, name, level[, city]).",
    columns=(
        Column(
            "id", "str", doc="Park id, as used in enterprises.park.", aliases=("园区编号", *_ID)
        ),
        Column("name", "str", doc="Park name.", aliases=("名称", "园区名称")),
        Column("level", "str", doc="national | provincial | municipal.", aliases=("级别",)),
        Column(
            "city",
            "str",
            required=False,
            default="",
            doc="City (prefecture).",
            aliases=("城市", "市"),
        ),
        Column(
            "name_zh",
            "str",
            required=False,
            default="",
            doc="Chinese park name, shown in Chinese reports (default: name).",
            aliases=("中文名称",),
        ),
        _CITY_ZH,
    ),
)

#: Candidate facilities (issue 12, docs/model.md "Facilities"): optional and not in
#: DATA_TABLES, so version-1 folders round-trip unchanged (read and written only when present).
FACILITIES = TableSchema(
    name="facilities",
    file="facilities.csv",
    index_name="facility_id",
    id_prefix="F",
    label="facility",
    aliases=("设施", "候选设施", "项目"),
    required_table=False,
    doc="Candidate facilities: a technology at a site (an enterprise, or lon/lat in a park).",
    columns=(
        Column(
            "technology", "str", doc="Technology id from the catalogue.", aliases=("技术", "工艺")
        ),
        Column(
            "site",
            "str",
            required=False,
            default="",
            doc="Enterprise id of a co-located facility (else give lon, lat, park).",
            aliases=("厂址", "依托企业"),
        ),
        Column(
            "lon",
            "float64",
            required=False,
            default=NAN,
            unit="degree",
            doc="Free site: longitude.",
            aliases=("经度",),
        ),
        Column(
            "lat",
            "float64",
            required=False,
            default=NAN,
            unit="degree",
            doc="Free site: latitude.",
            aliases=("纬度",),
        ),
        Column(
            "park", "str", required=False, default="", doc="Free site: park id.", aliases=("园区",)
        ),
        Column(
            "sizes",
            "str",
            required=False,
            default="",
            doc="Sizes to choose from, ';'-separated, in the technology's unit (default: "
            "the technology's).",
            aliases=("规模",),
        ),
        Column(
            "existing",
            "float64",
            required=False,
            default=0.0,
            minimum=0.0,
            unit="technology unit/a",
            doc="Current size of an existing facility (0: new).",
            aliases=("现有规模",),
        ),
        Column(
            "available_from",
            "float64",
            required=False,
            default=NAN,
            unit="year",
            doc="First year it may be built (periods).",
            aliases=("最早建设年份",),
        ),
    ),
)

#: Yearly quantities of a multi-period scenario (issue 12, docs/model.md "Periods"): optional,
#: not in DATA_TABLES, read and written only when present. No row ids (``id`` names the row of
#: ``supplies`` or ``uses`` the quantity is for).
TRAJECTORIES = TableSchema(
    name="trajectories",
    file="trajectories.csv",
    index_name="row",
    label="trajectory row",
    aliases=("逐年数据", "年度轨迹"),
    required_table=False,
    doc="Quantities by year: linear between the given years, constant outside.",
    columns=(
        Column(
            "kind",
            "str",
            doc="supply (generated), use (capacity) or utilised_outside (of a supply).",
            aliases=("类型",),
        ),
        Column("id", "str", doc="The supplies or uses row id.", aliases=("编号",)),
        Column("year", "float64", unit="year", doc="The year of the quantity.", aliases=("年份",)),
        Column(
            "quantity",
            "float64",
            unit="see unit",
            minimum=0.0,
            doc="Amount per year in that year.",
            aliases=("数量",),
        ),
        Column("unit", "str", doc="Unit of quantity (as in supplies / uses).", aliases=("单位",)),
    ),
)

#: The input tables of a scenario, by name.
TABLES: dict[str, TableSchema] = {
    t.name: t for t in (ENTERPRISES, SUPPLIES, USES, STOCKPILES, LINKS, PARKS)
}
TABLES["facilities"] = FACILITIES  # issue 12 (optional; see FACILITIES)
TABLES["trajectories"] = TRAJECTORIES  # issue 12 (optional; see TRAJECTORIES)
#: The CSV data tables, in the order they are read and written (parks come from GeoJSON).
DATA_TABLES: tuple[str, ...] = ("enterprises", "supplies", "uses", "stockpiles", "links")
#: The ``scenario`` sheet of a workbook (key | value rows) and its other names.
SCENARIO_SHEET = TableSchema(
    name="scenario",
    file="scenario.yaml",
    index_name="key",
    label="setting",
    aliases=("情景", "设置", "参数"),
    doc="scenario.yaml as key | value rows.",
)
#: The ``targets`` sheet of a workbook: one utilisation target per row (scenario.yaml
#: ``targets:``), so that no cell holds YAML.
TARGETS_SHEET = TableSchema(
    name="targets",
    file="scenario.yaml",
    index_name="target",
    label="target",
    aliases=("目标", "利用目标"),
    kind="settings",
    required_table=False,
    doc="Utilisation targets, one per row (scenario.yaml `targets:`).",
    columns=(
        Column("id", "str", doc="Target id, e.g. 'bulk-2025'.", aliases=("目标编号", *_ID)),
        Column(
            "materials",
            "list",
            required=False,
            default="bulk_solid_waste",
            doc="Material ids, statistics categories or a group, ';'-separated "
            "(default bulk_solid_waste).",
            aliases=("物料", "物料范围"),
        ),
        Column(
            "exclude",
            "list",
            required=False,
            default="",
            doc="Material or category ids left out, ';'-separated, e.g. tailings.",
            aliases=("排除", "不含"),
        ),
        Column(
            "rate",
            "float64",
            unit="fraction",
            minimum=0.0,
            maximum=1.0,
            percent=True,
            doc="The utilisation rate to reach: 0.78 or 78%.",
            aliases=("利用率", "目标利用率"),
        ),
        Column(
            "scope",
            "str",
            required=False,
            default="all",
            doc="all, a park id or a city name: where the rate is counted.",
            aliases=("范围", "统计范围"),
        ),
        Column(
            "basis",
            "str",
            required=False,
            default="nbs",
            doc="Which rate (docs/model.md#bases): nbs (综合利用率, default), new (this "
            "year's generation only) or consumption (综合消纳率, safe disposal counted).",
            aliases=("口径", "统计口径"),
        ),
        Column(
            "year",
            "float64",
            unit="year",
            required=False,
            default=None,
            doc="The year the target is for (blank: the scenario's year).",
            aliases=("年份", "目标年份"),
        ),
        Column(
            "enforce",
            "bool",
            required=False,
            default=None,
            doc="true: always a constraint; false: only reported; blank: a constraint when "
            "its year is the scenario's year.",
            aliases=("约束", "是否约束"),
        ),
        Column(
            "rate_by_year",
            "str",
            required=False,
            default="",
            doc="With periods: year:rate pairs, ';'-separated, e.g. 2025:0.78;2030:0.82 "
            "(linear between the years; docs/model.md#periods).",
            aliases=("逐年目标",),
        ),
    ),
)
#: Tables that exist only as workbook sheets (they are settings in a folder's scenario.yaml).
SHEET_TABLES: dict[str, TableSchema] = {"targets": TARGETS_SHEET}


# catalogue tables (package data in parkflow/data/, overridable per scenario: docs/catalogue.md)

CAT_MATERIALS = TableSchema(
    name="materials",
    file="materials.csv",
    id_aliases=("物料编号",),
    index_name="material_id",
    label="material",
    kind="catalogue",
    required_table=False,
    doc="Materials: one canonical unit each, the disposal cost per unit.",
    columns=(
        _NAME_ZH,
        _NAME_EN,
        _GROUP,
        Column("category", "str", required=False, aliases=("统计类别",)),
        _KIND,
        Column("canonical_unit", "str", required=False, aliases=("计量单位",)),
        Column("is_tailings", "bool", required=False, default=False, aliases=("是否尾矿",)),
        Column(
            "env_tax_cny_per_t",
            "float64",
            required=False,
            unit="CNY per canonical unit",
            minimum=0.0,
            allow_nan=False,
            aliases=("环境保护税(元/单位)",),
        ),
        Column(
            "density_kg_per_nm3", "float64", required=False, unit="kg/Nm³", minimum=0.0, default=NAN
        ),
        _SOURCE,
        Column("env_tax_source", "str", required=False),
        Column(
            "basis",
            "str",
            required=False,
            doc="Quantities are 'dry' or 'wet' (as weighed at "
            "the plant); blank for heat and hydrogen.",
            aliases=("计量基准",),
        ),
        Column(
            "moisture_frac",
            "float64",
            required=False,
            unit="fraction",
            minimum=0.0,
            maximum=1.0,
            default=NAN,
            doc="Typical free water of the material as it leaves the plant (fraction of wet mass).",
        ),
        Column("basis_source", "str", required=False),
    ),
)

CAT_CATEGORIES = TableSchema(
    name="categories",
    file="categories.csv",
    id_aliases=("类别编号",),
    index_name="category_id",
    label="category",
    kind="catalogue",
    required_table=False,
    doc="Statistics categories of materials.",
    columns=(
        _NAME_ZH,
        _NAME_EN,
        _GROUP,
        _KIND,
        _SOURCE,
    ),
)

CAT_ROUTES = TableSchema(
    name="routes",
    file="routes.csv",
    id_aliases=("利用途径编号",),
    index_name="route_id",
    label="route",
    kind="catalogue",
    required_table=False,
    doc="Use routes: what a use absorbs, its value and CO2 effect per unit.",
    columns=(
        _NAME_ZH,
        _NAME_EN,
        Column("accepts", "list", required=False, aliases=("可接收物料",)),
        Column("modes", "list", required=False, aliases=("允许运输方式",)),
        Column(
            "value_cny_per_unit",
            "float64",
            required=False,
            unit="CNY per canonical unit absorbed",
            allow_nan=False,
            default=0.0,
            aliases=("价值(元/单位)",),
        ),
        Column(
            "co2_avoided_t_per_unit",
            "float64",
            required=False,
            unit="tCO2 per canonical unit absorbed",
            allow_nan=False,
            default=0.0,
            aliases=("减排CO2(t/单位)",),
        ),
        Column("displaces_zh", "str", required=False, aliases=("替代产品",)),
        Column("displaces_en", "str", required=False, aliases=("替代产品(英文)",)),
        Column(
            "min_temperature_c",
            "float64",
            required=False,
            unit="°C",
            minimum=-273.15,
            default=NAN,
            aliases=("最低温度(°C)",),
        ),
        Column(
            "delta_t_c",
            "float64",
            required=False,
            unit="K",
            minimum=0.0,
            default=NAN,
            aliases=("温差(K)",),
        ),
        Column(
            "min_purity",
            "float64",
            required=False,
            unit="fraction",
            minimum=0.0,
            maximum=1.0,
            default=NAN,
            aliases=("最低纯度",),
        ),
        Column(
            "purification_cny_per_unit",
            "float64",
            required=False,
            unit="CNY per canonical unit",
            minimum=0.0,
            default=NAN,
            aliases=("提纯成本(元/单位)",),
        ),
        Column("quality_rule", "str", required=False),
        _SOURCE,
        Column("value_source", "str", required=False),
        _CO2_SOURCE,
        Column("class", "str", required=False, default="utilisation", aliases=("统计口径",)),
    ),
)

CAT_MODES = TableSchema(
    name="modes",
    file="modes.csv",
    id_aliases=("运输方式编号",),
    index_name="mode_id",
    label="mode",
    kind="catalogue",
    required_table=False,
    doc="Transport modes: costs per unit and km, reach, detour, loss.",
    columns=(
        _NAME_ZH,
        _NAME_EN,
        Column("carries", "list", required=False, aliases=("运输形态",)),
        Column(
            "cost_cny_per_tkm",
            "float64",
            required=False,
            unit="CNY per canonical unit·km",
            minimum=0.0,
            allow_nan=False,
            aliases=("运费(元/单位·km)",),
        ),
        Column(
            "handling_cny_per_t",
            "float64",
            required=False,
            unit="CNY per canonical unit",
            minimum=0.0,
            allow_nan=False,
            default=0.0,
            aliases=("装卸费(元/单位)",),
        ),
        Column(
            "fixed_cny_per_a",
            "float64",
            required=False,
            unit="CNY/a per link",
            minimum=0.0,
            allow_nan=False,
            default=0.0,
            aliases=("固定费(元/年)",),
        ),
        Column(
            "fixed_cny_per_km_a",
            "float64",
            required=False,
            unit="CNY/a per km",
            minimum=0.0,
            allow_nan=False,
            default=0.0,
            aliases=("每公里固定费(元/km·年)",),
        ),
        Column(
            "co2_t_per_tkm",
            "float64",
            required=False,
            unit="tCO2 per canonical unit·km",
            minimum=0.0,
            allow_nan=False,
            default=0.0,
            aliases=("运输CO2(t/单位·km)",),
        ),
        Column(
            "reach_km",
            "float64",
            required=False,
            unit="km",
            minimum=0.0,
            allow_nan=False,
            aliases=("最大运距(km)",),
        ),
        Column(
            "detour",
            "float64",
            required=False,
            unit="factor ≥ 1",
            minimum=1.0,
            allow_nan=False,
            default=1.0,
            aliases=("绕行系数",),
        ),
        Column(
            "loss_per_km",
            "float64",
            required=False,
            unit="fraction per km",
            minimum=0.0,
            maximum=1.0,
            exclusive_maximum=True,
            allow_nan=False,
            default=0.0,
            aliases=("每公里损耗",),
        ),
        Column(
            "sided_handling_cny_per_t",
            "float64",
            required=False,
            unit="CNY per canonical unit",
            minimum=0.0,
            default=NAN,
            doc="Handling when both plants have a rail siding (enterprises.rail_siding); "
            "blank: handling_cny_per_t always (docs/catalogue.md, transport).",
            aliases=("专用线装卸费(元/单位)",),
        ),
        _SOURCE,
        _COST_SOURCE,
        _CO2_SOURCE,
    ),
)

CAT_FATES = TableSchema(
    name="fates",
    file="fates.csv",
    index_name="fate_id",
    label="fate",
    kind="catalogue",
    required_table=False,
    doc="Fates: what happens today to what is not utilised, what utilising one unit saves.",
    columns=(
        _NAME_ZH,
        _NAME_EN,
        Column("applies_to", "str", required=False, aliases=("适用形态",)),
        Column(
            "avoided_cost_cny_per_unit",
            "float64",
            required=False,
            minimum=0.0,
            unit="CNY per canonical unit",
            aliases=("避免成本",),
        ),
        Column("avoided_cost_rule", "str", required=False, default="fixed"),
        Column(
            "co2_reversed_t_per_unit",
            "float64",
            required=False,
            default=0.0,
            unit="tCO2 per canonical unit",
        ),
        Column("co2_rule", "str", required=False, default="none"),
        Column("replacement", "str", required=False),
        Column("counts_as", "str", required=False),
        Column("default_for", "str", required=False),
        _SOURCE,
    ),
)

CAT_STACKING_COSTS = TableSchema(
    name="stacking_costs",
    file="stacking_costs.csv",
    index_name="material",
    label="stacking cost",
    kind="catalogue",
    required_table=False,
    doc="Stacking cost per material (a stored tonne utilised saves it), with its range.",
    columns=(
        Column(
            "cost_cny_per_t",
            "float64",
            required=False,
            minimum=0.0,
            unit="CNY per canonical unit",
            aliases=("堆存成本",),
        ),
        Column("low", "float64", required=False, minimum=0.0, unit="CNY per canonical unit"),
        Column("high", "float64", required=False, minimum=0.0, unit="CNY per canonical unit"),
        _SOURCE,
    ),
)

CAT_REPLACEMENT_FUELS = TableSchema(
    name="replacement_fuels",
    file="replacement_fuels.csv",
    index_name="fuel_id",
    label="replacement fuel",
    kind="catalogue",
    required_table=False,
    doc="Fuels burnt instead of a by-product gas taken off a boiler (fate fuel).",
    columns=(
        _NAME_ZH,
        _NAME_EN,
        Column("co2_t_per_gj", "float64", required=False, minimum=0.0, unit="tCO2/GJ"),
        Column("hydrogen_lhv_gj_per_t", "float64", required=False, minimum=0.0, unit="GJ/t"),
        _SOURCE,
    ),
)

CAT_ROUTE_CLASSES = TableSchema(
    name="route_classes",
    file="route_classes.csv",
    index_name="route_material",
    label="route class",
    kind="catalogue",
    required_table=False,
    doc="Per-material counting class of a route (utilisation | safe_disposal), over routes.class.",
    columns=(
        Column("route", "str", required=False, aliases=("利用途径",)),
        Column("material", "str", required=False, aliases=("物料",)),
        Column("class", "str", required=False, aliases=("统计口径",)),
        _SOURCE,
    ),
)


# ---- investment planning (issue 12, docs/model.md "Facilities") ---------------------------
CAT_TECHNOLOGIES = TableSchema(
    name="technologies",
    file="technologies.csv",
    id_aliases=("技术编号",),
    index_name="technology_id",
    label="technology",
    kind="catalogue",
    required_table=False,
    doc="Technologies a candidate facility may be built with: sizes, capex, O&M, life, value.",
    columns=(
        _NAME_ZH,
        _NAME_EN,
        Column(
            "route",
            "str",
            required=False,
            aliases=("利用途径",),
            doc="The use route the facility offers.",
        ),
        Column(
            "accepts",
            "list",
            required=False,
            aliases=("可接收物料",),
            doc="Materials taken in (intersected with the route's).",
        ),
        Column(
            "unit",
            "str",
            required=False,
            aliases=("单位",),
            doc="Unit of the sizes (t/a or GJ/a, by-product taken in).",
        ),
        Column(
            "sizes",
            "str",
            required=False,
            aliases=("规模",),
            doc="Discrete sizes, ';'-separated, in unit (by-product taken in per year).",
        ),
        Column(
            "capex_cny",
            "float64",
            required=False,
            unit="CNY",
            minimum=0.0,
            default=0.0,
            allow_nan=False,
            aliases=("固定投资(元)",),
            doc="Fixed part of the capex.",
        ),
        Column(
            "capex_cny_per_unit_a",
            "float64",
            required=False,
            unit="CNY per unit/a",
            minimum=0.0,
            default=0.0,
            allow_nan=False,
            aliases=("单位投资(元/单位·年)",),
            doc="Capex per unit of yearly capacity.",
        ),
        Column(
            "life_a",
            "float64",
            required=False,
            unit="a",
            minimum=1.0,
            default=20.0,
            allow_nan=False,
            aliases=("寿命(年)",),
            doc="Economic life (CRF).",
        ),
        Column(
            "fixed_om_cny_per_a",
            "float64",
            required=False,
            unit="CNY/a",
            minimum=0.0,
            default=0.0,
            allow_nan=False,
            aliases=("固定运维(元/年)",),
        ),
        Column(
            "fixed_om_frac_capex_per_a",
            "float64",
            required=False,
            unit="fraction of capex/a",
            minimum=0.0,
            maximum=1.0,
            default=0.0,
            allow_nan=False,
        ),
        Column(
            "variable_cny_per_unit",
            "float64",
            required=False,
            unit="CNY per unit taken in",
            minimum=0.0,
            default=0.0,
            allow_nan=False,
            aliases=("可变成本(元/单位)",),
        ),
        Column(
            "value_cny_per_unit",
            "float64",
            required=False,
            unit="CNY per unit taken in",
            default=NAN,
            aliases=("价值(元/单位)",),
            doc="Product value (replaces the route's when given).",
        ),
        Column(
            "max_output_unit_per_a",
            "float64",
            required=False,
            unit="unit/a",
            minimum=0.0,
            default=NAN,
            aliases=("市场容量",),
            doc="Product market: most taken in per year by all facilities of the technology.",
        ),
        Column(
            "co2_t_per_unit",
            "float64",
            required=False,
            unit="tCO2 per unit taken in",
            default=0.0,
            allow_nan=False,
            doc="The facility's own emissions.",
        ),
        Column(
            "purity_out",
            "float64",
            required=False,
            unit="fraction",
            minimum=0.0,
            maximum=1.0,
            default=NAN,
        ),
        _SOURCE,
        Column("capex_source", "str", required=False),
        _COST_SOURCE,
        _CO2_SOURCE,
    ),
)

#: The catalogue tables, by name.
CATALOGUE_TABLES: dict[str, TableSchema] = {
    t.name: t
    for t in (
        CAT_MATERIALS,
        CAT_CATEGORIES,
        CAT_ROUTES,
        CAT_MODES,
        CAT_FATES,
        CAT_STACKING_COSTS,
        CAT_REPLACEMENT_FUELS,
        CAT_ROUTE_CLASSES,
    )
}
#: Fate ids allowed per material kind.
FATES_BY_KIND: dict[str, tuple[str, ...]] = {
    "solid": ("stored", "landfilled", "dumped"),
    "hydrogen": ("vented", "flared", "fuel"),
    "heat": ("wasted",),
}
#: The default fate per material kind (docs/model.md#fates).
DEFAULT_FATE: dict[str, str] = {"solid": "stored", "hydrogen": "vented", "heat": "wasted"}
#: Counting classes of a route (docs/model.md#counting-classes).
ROUTE_CLASSES: tuple[str, ...] = ("utilisation", "safe_disposal")
#: Target bases (docs/model.md#bases).
TARGET_BASES: tuple[str, ...] = ("nbs", "new", "consumption")
CATALOGUE_TABLES["technologies"] = CAT_TECHNOLOGIES  # issue 12


# output tables (written by parkflow solve; see docs/reporting.md)

FLOWS = TableSchema(
    name="flows",
    file="flows.csv",
    index_name="link_id",
    label="flow",
    kind="output",
    doc="One row per built link of the plan: what flows, its costs and effects per year.",
    columns=(
        Column("link_id", "str", doc="Link id (L… from links.csv, else generated)."),
        Column("from", "str", doc="Generating enterprise id."),
        Column("to", "str", doc="Absorbing enterprise id."),
        Column("material", "str", doc="Material id."),
        Column("route", "str", doc="Use-route id."),
        Column("quantity", "float64", unit="canonical unit/a", doc="Amount sent per year."),
        Column("unit", "str", doc="The material's canonical unit."),
        Column("distance_km", "float64", unit="km", doc="Distance used for the costs."),
        Column("mode", "str", doc="Transport mode id."),
        Column("existing", "bool", doc="True: the link exists already."),
        Column("flow", "float64", unit="canonical unit/a", doc="Amount sent (= quantity)."),
        Column(
            "delivered",
            "float64",
            unit="canonical unit/a",
            doc="Amount arriving after transport losses.",
        ),
        Column(
            "efficiency",
            "float64",
            unit="fraction",
            minimum=0.0,
            maximum=1.0,
            doc="delivered ÷ flow.",
        ),
        Column("transport_cny_per_a", "float64", unit="CNY/a", doc="Transport cost."),
        Column("fixed_cny_per_a", "float64", unit="CNY/a", doc="Annualised fixed cost."),
        Column("purification_cny_per_a", "float64", unit="CNY/a", doc="Purification cost."),
        Column("value_cny_per_a", "float64", unit="CNY/a", doc="Value of what is absorbed."),
        Column("disposal_avoided_cny_per_a", "float64", unit="CNY/a", doc="Disposal cost avoided."),
        Column("total_cny_per_a", "float64", unit="CNY/a", doc="Net cost (negative: a gain)."),
        Column("co2_avoided_t_per_a", "float64", unit="tCO2/a", doc="CO₂ avoided."),
        Column("source_id", "str", doc="Source (supply or stockpile group) id."),
        Column("use_id", "str", doc="Use id."),
        Column("from_park", "str", doc="Park of the generating enterprise."),
        Column("to_park", "str", doc="Park of the absorbing enterprise."),
    ),
)

UTILISATION = TableSchema(
    name="utilisation",
    file="utilisation.csv",
    index_name="row",
    label="rate",
    kind="output",
    doc="Utilisation per scope (enterprise, park, city, all) and category: 综合利用率.",
    columns=(
        Column("scope_type", "str", doc="enterprise | park | city | all."),
        Column("scope_id", "str", doc="Id of the scope ('all' for the whole scenario)."),
        Column("category", "str", doc="Statistics category, bulk_total or bulk_excl_tailings."),
        Column("generated", "float64", unit="unit/a", minimum=0.0, doc="产生量."),
        Column(
            "utilised",
            "float64",
            unit="unit/a",
            minimum=0.0,
            doc="综合利用量: utilisation-class flows + utilised_outside (drawn stock included).",
        ),
        Column("drawn", "float64", unit="unit/a", minimum=0.0, doc="Stock drawn (往年贮存量)."),
        Column(
            "rate",
            "float64",
            unit="fraction",
            minimum=0.0,
            maximum=1.0,
            doc="The nbs rate 综合利用率: utilised ÷ (generated + drawn_utilised).",
        ),
        Column("unit", "str", doc="The canonical unit of the amounts."),
        Column(
            "utilised_outside",
            "float64",
            required=False,
            default=0.0,
            unit="unit/a",
            minimum=0.0,
            doc="Of utilised: what outside buyers take today (supplies utilised_outside).",
        ),
        Column(
            "safe_disposal",
            "float64",
            required=False,
            default=0.0,
            unit="unit/a",
            minimum=0.0,
            doc="无害化处置量: flows on safe-disposal links (not in utilised).",
        ),
        Column(
            "drawn_utilised",
            "float64",
            required=False,
            default=0.0,
            unit="unit/a",
            minimum=0.0,
            doc="Of drawn: 其中综合利用往年贮存量 (drawn to utilisation).",
        ),
        Column(
            "drawn_disposed",
            "float64",
            required=False,
            default=0.0,
            unit="unit/a",
            minimum=0.0,
            doc="Of drawn: 其中处置往年贮存量 (drawn to safe disposal).",
        ),
        Column(
            "stored",
            "float64",
            required=False,
            default=0.0,
            unit="unit/a",
            minimum=0.0,
            doc="贮存量 (or landfilled, dumped): generated − utilised − safe_disposal + drawn.",
        ),
        Column(
            "rate_nbs",
            "float64",
            required=False,
            unit="fraction",
            minimum=0.0,
            maximum=1.0,
            doc="综合利用率 (U + O) ÷ (G + R_U) (= rate).",
        ),
        Column(
            "rate_new",
            "float64",
            required=False,
            unit="fraction",
            minimum=0.0,
            maximum=1.0,
            doc="新增综合利用率 (U − R_U + O) ÷ G; only when a target has basis new.",
        ),
        Column(
            "rate_consumption",
            "float64",
            required=False,
            unit="fraction",
            minimum=0.0,
            maximum=1.0,
            doc="综合消纳率 (U + X + O) ÷ (G + R_U + R_D); only when a target has basis "
            "consumption.",
        ),
    ),
)

#: The output tables read back from a solution folder, by name.
OUTPUT_TABLES: dict[str, TableSchema] = {t.name: t for t in (FLOWS, UTILISATION)}
#: Every declared table: input, catalogue (``catalogue:<name>`` keys) and output.
ALL_TABLES: dict[str, TableSchema] = {
    **TABLES,
    **{f"catalogue:{k}": v for k, v in CATALOGUE_TABLES.items()},
    **OUTPUT_TABLES,
}


# scenario.yaml keys

_SETTINGS = (
    Setting("name", "str", None, "Scenario name (required)."),
    Setting("description", "str", "", "Free text."),
    Setting("year", "int", None, "The statistics year, e.g. 2025."),
    Setting(
        "coordinates",
        "choice",
        "wgs84",
        "Datum of lon/lat: wgs84 (GPS) or gcj02 (Amap / Tencent maps; converted on load).",
        choices=("wgs84", "gcj02"),
    ),
    Setting(
        "operating_hours",
        "float",
        8000.0,
        "Hours per year a thermal power (MW) runs.",
        unit="h/a",
        minimum=0.0,
        maximum=8784.0,
    ),
    Setting(
        "candidates",
        "choice",
        "auto",
        "auto: candidate links from the catalogue rules; links_only: only the links table.",
        choices=("auto", "links_only"),
    ),
    Setting(
        "targets",
        "list",
        None,
        "Utilisation targets (id, materials, exclude, rate, "
        "scope); default: bulk-2025, 78 %, tailings excluded.",
    ),
    Setting("modes", "mapping", None, "Transport-mode overrides (catalogue columns)."),
    Setting(
        "objective",
        "choice",
        "cost",
        "What the optimiser minimises or maximises.",
        choices=("cost", "utilisation", "co2"),
    ),
    Setting(
        "solver",
        "mapping",
        None,
        "Back-end and stopping rules: name (highs | scip), time_limit_s, gap.",
    ),
    Setting(
        "max_candidates_per_supply",
        "int_or_none",
        50,
        "Automatic candidates kept per (source, route): the nearest uses; none (or 0) = all.",
        minimum=0.0,
        used_by="parkflow.network",
    ),
    Setting(
        "existing_flows",
        "choice",
        "free",
        "Existing links: free (stay built, flow "
        "re-optimised) or keep (flow at least its baseline_quantity).",
        choices=("free", "keep"),
        used_by="parkflow.solvers",
    ),
    Setting(
        "discount_rate",
        "float",
        0.08,
        "Discount rate of the capital-recovery factor "
        "(facility capex) and of the present value over periods.",
        unit="1/a",
        minimum=0.0,
        maximum=0.99,
        used_by="parkflow.solvers",
    ),
    Setting(
        "periods",
        "list",
        None,
        "Years of a multi-period plan: a list [2025, 2026, ...] or {from, to, step}; "
        "none: the single-year model (docs/model.md#periods).",
        unit="year",
        used_by="parkflow.solvers",
    ),
    Setting(
        "min_flow",
        "float",
        0.0,
        "Minimum flow of a built link (0 = none), capped at the link's bound.",
        unit="canonical unit/a",
        minimum=0.0,
        used_by="parkflow.solvers",
    ),
)
#: Every declared scenario.yaml key, by name.
SETTINGS: dict[str, Setting] = {s.name: s for s in _SETTINGS}
#: Keys the loader turns into :class:`~parkflow.models.scenario.Settings` fields (the others of
#: SETTINGS are validated and kept in ``Settings.extra`` for the modules that read them).
CORE_SETTINGS: tuple[str, ...] = (
    "name",
    "description",
    "year",
    "coordinates",
    "operating_hours",
    "candidates",
    "targets",
    "modes",
    "objective",
    "solver",
)


def markdown_columns(table: TableSchema) -> str:
    """The column table of ``table`` as docs/scenario-format.md shows it.

    Examples
    --------
    >>> print(markdown_columns(TABLES["parks"]).splitlines()[2])
    | `id` | yes | str |  | 园区编号, 编号, 代码 | Park id, as used in enterprises.park. |
    """
    lines = [
        "| column | required | type | unit | Chinese headers | meaning |",
        "|---|---|---|---|---|---|",
    ]
    for c in table.columns:
        lines.append(
            f"| `{c.name}` | {'yes' if c.required else 'no'} | {c.dtype} | {c.unit} | "
            f"{', '.join(c.aliases)} | {c.doc.replace('|', chr(92) + '|')} |"
        )
    return "\n".join(lines)


def markdown_settings() -> str:
    """The scenario.yaml key table of docs/scenario-format.md."""
    lines = ["| key | type | default | unit | meaning |", "|---|---|---|---|---|"]
    for s in SETTINGS.values():
        kind = s.type if not s.choices else " \\| ".join(s.choices)
        default = "" if s.default is None else f"`{s.default}`"
        lines.append(
            f"| `{s.name}` | {kind} | {default} | {s.unit} | {s.doc.replace('|', chr(92) + '|')} |"
        )
    return "\n".join(lines)


def markdown_sheets() -> str:
    """The sheet-name table of docs/scenario-format.md (English and Chinese names)."""
    lines = ["| table | sheet names |", "|---|---|"]
    for t in (SCENARIO_SHEET, TARGETS_SHEET, *TABLES.values()):
        lines.append(f"| `{t.name}` | {', '.join([t.name, *t.aliases])} |")
    return "\n".join(lines)


def refresh_doc(text: str) -> str:
    """``text`` (docs/scenario-format.md) with every generated table replaced by the schema's.

    A column table follows its ``### <table>`` heading; the settings and sheet tables start
    with their header rows. Everything else is kept as written.
    """
    blocks = {
        "| key | type | default |": markdown_settings(),
        "| table | sheet names |": markdown_sheets(),
    }
    lines = text.split("\n")
    out: list[str] = []
    table: str | None = None
    k = 0
    while k < len(lines):
        line = lines[k]
        if line.startswith("### "):
            word = line[4:].split(" ")[0]
            table = word if word in TABLES or word in SHEET_TABLES else None
        fresh = None
        if line.startswith("| column | required |") and table is not None:
            fresh = markdown_columns(TABLES.get(table) or SHEET_TABLES[table])
        for start, block in blocks.items():
            if line.startswith(start):
                fresh = block
        if fresh is None:
            out.append(line)
            k += 1
            continue
        out.extend(fresh.split("\n"))
        while k < len(lines) and lines[k].startswith("|"):
            k += 1
    return "\n".join(out)


if __name__ == "__main__":  # python -m parkflow.models.schema [--write docs/scenario-format.md]
    import sys
    from pathlib import Path

    if len(sys.argv) in (1, 3) and (len(sys.argv) == 1 or sys.argv[1] == "--write"):
        _doc = (
            Path(sys.argv[2])
            if len(sys.argv) == 3
            else Path(__file__).resolve().parents[2] / "docs" / "scenario-format.md"
        )
        _doc.write_text(refresh_doc(_doc.read_text(encoding="utf-8")), encoding="utf-8")
        raise SystemExit(0)
    for _t in (*TABLES.values(), *SHEET_TABLES.values()):
        print(f"### {_t.name}\n\n{markdown_columns(_t)}\n")
    print(markdown_settings(), "\n")
    print(markdown_sheets())
