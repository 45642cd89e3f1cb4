"""Filing tables from a solve: utilisation rates, targets, before/after, effects and economics.

Translate and render only; every number comes from :mod:`parkflow.statistics`.

* :mod:`~parkflow.report.tables` — :func:`build_report`: the :class:`Report` (named DataFrames
  with translated headers, units in the headers);
* :mod:`~parkflow.report.format` — display of numbers and units (万t/a, one-decimal %);
* :mod:`~parkflow.report.charts` — the SVG Sankey and rate charts;
* :mod:`~parkflow.report.render` — :func:`write_reports`: Markdown, HTML, XLSX, CSV.

Definitions and the cost-allocation rule are in docs/reporting.md. The official formula::

    综合利用率 = 综合利用量 / (产生量 + 综合利用往年贮存量)

>>> utilisation_rate(80.0, 100.0, 0.0), utilisation_rate(90.0, 100.0, 20.0)
(0.8, 0.75)
"""

from __future__ import annotations

from parkflow.report.charts import rate_chart_svg, sankey_svg, target_label_y, text_width
from parkflow.report.format import display_frame
from parkflow.report.render import FORMATS, to_html, to_markdown, write_reports, write_xlsx
from parkflow.report.tables import TABLE_ORDER, Report, build_report
from parkflow.statistics.links import (
    ORC_MWH_PER_GJ_DEFAULT,
    TCE_PER_MWH_ELECTRICITY,
    grid_factors,
    link_effects,
    links_built,
)
from parkflow.statistics.utilisation import (
    BULK_EXCL_TAILINGS,
    BULK_TOTAL,
    FALLBACK_APART_CATEGORIES,
    FALLBACK_BULK_CATEGORIES,
    SCOPE_ORDER,
    SICHUAN_TARGETS,
    gap_to_target,
    utilisation_rate,
    utilisation_rows,
)

__all__ = [
    "BULK_EXCL_TAILINGS",
    "BULK_TOTAL",
    "FALLBACK_APART_CATEGORIES",
    "FALLBACK_BULK_CATEGORIES",
    "FORMATS",
    "ORC_MWH_PER_GJ_DEFAULT",
    "Report",
    "SCOPE_ORDER",
    "SICHUAN_TARGETS",
    "TABLE_ORDER",
    "TCE_PER_MWH_ELECTRICITY",
    "build_report",
    "display_frame",
    "gap_to_target",
    "grid_factors",
    "link_effects",
    "links_built",
    "rate_chart_svg",
    "sankey_svg",
    "target_label_y",
    "text_width",
    "to_html",
    "to_markdown",
    "utilisation_rate",
    "utilisation_rows",
    "write_reports",
    "write_xlsx",
]
