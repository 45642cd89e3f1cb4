"""Table schemas: every column of every table, declared once.

Validation, the loader, the saver, the docs (docs/scenario-format.md) and the tests read these
declarations. A ``Column`` is *required* when the scenario file must have it; optional columns are
filled with their default when absent. Extra columns in an input file are kept and ignored.

After loading, every quantity is in its material's canonical unit (t/a for solids and hydrogen,
GJ/a for heat) and the ``unit`` column holds that canonical unit.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Column:
    """One column of a scenario table."""

    name: str
    dtype: str  # "str", "float64", "bool"
    required: bool = True
    unit: str = ""
    doc: str = ""
    default: object = None


@dataclass(frozen=True)
class TableSchema:
    """The columns of one table, its file name and its index."""

    name: str
    file: str
    index_name: str
    id_prefix: str
    columns: tuple[Column, ...] = field(default_factory=tuple)
    required_table: bool = True
    doc: str = ""

    @property
    def required_columns(self) -> list[str]:
        """Names of the columns an input file must have."""
        return [c.name for c in self.columns if c.required]

    @property
    def column_names(self) -> list[str]:
        """Names of all declared columns, in order."""
        return [c.name for c in self.columns]


ENTERPRISES = TableSchema(
    name="enterprises",
    file="enterprises.csv",
    index_name="enterprise_id",
    id_prefix="E",
    doc="One row per plant.",
    columns=(
        Column("id", "str", doc="Unique enterprise id, e.g. 'E01'."),
        Column("name", "str", doc="Plant name (Chinese or English)."),
        Column("park", "str", doc="Park id; matches parks.geojson when given."),
        Column("sector", "str", doc="Sector, e.g. 'steel', 'cement', 'phosphate_chemicals'."),
        Column("lon", "float64", unit="degree",
               doc="Longitude (WGS-84 unless coordinates: gcj02)."),
        Column("lat", "float64", unit="degree", doc="Latitude (WGS-84 unless coordinates: gcj02)."),
        Column("city", "str", required=False, default="",
               doc="City (prefecture), for city scopes."),
    ),
)

SUPPLIES = TableSchema(
    name="supplies",
    file="supplies.csv",
    index_name="supply_id",
    id_prefix="S",
    doc="By-product generated per year (产生量).",
    columns=(
        Column("enterprise", "str", doc="Enterprise id that generates the by-product."),
        Column("material", "str", doc="Material id from the catalogue."),
        Column("quantity", "float64", unit="see unit", doc="Amount generated per year."),
        Column("unit", "str", doc="Unit of quantity: t/a, kt/a, 万t/a, Mt/a, kg/a, GJ/a, TJ/a, "
               "MWh/a, MW, Nm3/a."),
        Column("temperature_c", "float64", required=False, default=float("nan"), unit="°C",
               doc="Heat: source temperature."),
        Column("purity", "float64", required=False, default=float("nan"), unit="fraction",
               doc="Hydrogen: purity (0-1), e.g. 0.999."),
    ),
)

USES = TableSchema(
    name="uses",
    file="uses.csv",
    index_name="use_id",
    id_prefix="U",
    doc="What a plant can absorb per year through a use route.",
    columns=(
        Column("enterprise", "str", doc="Enterprise id that absorbs the by-product."),
        Column("route", "str", doc="Use-route id from the catalogue."),
        Column("capacity", "float64", unit="see unit", doc="Amount it can absorb per year."),
        Column("unit", "str", doc="Unit of capacity."),
        Column("min_temperature_c", "float64", required=False, default=float("nan"), unit="°C",
               doc="Heat: minimum supply temperature the sink needs (overrides the route's)."),
        Column("min_purity", "float64", required=False, default=float("nan"), unit="fraction",
               doc="Hydrogen: minimum purity (overrides the route's)."),
        Column("value", "float64", required=False, default=float("nan"),
               unit="CNY per canonical unit",
               doc="Value per unit absorbed (overrides the route's)."),
    ),
)

STOCKPILES = TableSchema(
    name="stockpiles",
    file="stockpiles.csv",
    index_name="stockpile_id",
    id_prefix="K",
    required_table=False,
    doc="Legacy storage from earlier years (往年贮存量) that may be drawn down.",
    columns=(
        Column("enterprise", "str", doc="Enterprise id that holds the stock."),
        Column("material", "str", doc="Material id (solids only)."),
        Column("quantity", "float64", unit="see unit", doc="Amount in stock."),
        Column("unit", "str", doc="Unit; '/a' units are read as the amount in stock."),
        Column("max_draw", "float64", required=False, default=float("nan"), unit="canonical/a",
               doc="Most that may be drawn per year (default: the whole stock)."),
    ),
)

LINKS = TableSchema(
    name="links",
    file="links.csv",
    index_name="link_id",
    id_prefix="L",
    required_table=False,
    doc="Links that exist already (existing: true, forced open) or are proposed by hand.",
    columns=(
        Column("from", "str", doc="Generating enterprise id."),
        Column("to", "str", doc="Absorbing enterprise id."),
        Column("material", "str", doc="Material id."),
        Column("route", "str", doc="Use-route id at the absorbing enterprise."),
        Column("mode", "str", required=False, default="", doc="Transport mode id (default: the "
               "cheapest mode that carries the material)."),
        Column("existing", "bool", required=False, default=False, doc="True: built already, "
               "forced open."),
        Column("fixed_cost", "float64", required=False, default=float("nan"), unit="CNY/a",
               doc="Annualised fixed cost, overrides the mode's."),
        Column("distance_km", "float64", required=False, default=float("nan"), unit="km",
               doc="Distance, overrides geodesic distance × detour."),
    ),
)

PARKS = TableSchema(
    name="parks",
    file="parks.geojson",
    index_name="park_id",
    id_prefix="P",
    required_table=False,
    doc="Park boundaries (GeoJSON features with properties id, name, level[, city]).",
    columns=(
        Column("id", "str", doc="Park id, as used in enterprises.park."),
        Column("name", "str", doc="Park name."),
        Column("level", "str", doc="national | provincial | municipal."),
        Column("city", "str", required=False, default="", doc="City (prefecture)."),
    ),
)

TABLES: dict[str, TableSchema] = {
    t.name: t for t in (ENTERPRISES, SUPPLIES, USES, STOCKPILES, LINKS, PARKS)
}
