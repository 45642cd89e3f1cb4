"""Texts of the map's new layers and legend, in Chinese and English.

:func:`parkflow.maps.popups.map_label` looks here first, then in :mod:`parkflow.i18n`
(``map:<key>``); the keys here override the older ones there (the legend's line styles).
"""

from __future__ import annotations

MAP_TEXT: dict[str, dict[str, str]] = {
    "legend_width": {
        "zh": "线宽 ∝ 流量；双线（白色中线）= 现有链接",
        "en": "Line width ∝ flow; double line (white centre) = existing link",
    },
    "legend_unused": {
        "zh": "虚线圈 = 未利用量（面积 ∝ 数量；图层默认关闭）",
        "en": "Dashed ring = supply left unused (area ∝ amount; layer off at first)",
    },
    "legend_zoom": {
        "zh": "缩小时：园区间同类物料合并为一条线（标注合计）",
        "en": "Zoomed out: links between two parks merged per material (total shown)",
    },
    "park_links": {"zh": "园区间流量（缩小时）", "en": "Flows between parks (zoomed out)"},
    "park_link": {"zh": "园区间合计", "en": "Total between parks"},
    "n_links": {"zh": "条链接", "en": "links"},
    "n_link": {"zh": "条链接", "en": "link"},
    "context": {"zh": "背景：四川省市（州）", "en": "Context: cities of Sichuan"},
    "seat": {"zh": "驻地", "en": "seat"},
    "approx": {"zh": "位置为近似值", "en": "position approximate"},
    "approx_outline": {
        "zh": "范围示意（按企业位置）",
        "en": "approximate extent (from the enterprises)",
    },
    "tianditu": {"zh": "天地图底图", "en": "Tianditu base map"},
    "compare_added": {"zh": "新增链接（仅B）", "en": "Added link (B only)"},
    "compare_removed": {"zh": "取消链接（仅A）", "en": "Removed link (A only)"},
    "compare_changed": {"zh": "流量调整", "en": "Flow changed"},
    "compare_same": {"zh": "不变（淡显）", "en": "Unchanged (dimmed)"},
    "compare_legend": {"zh": "对比图例", "en": "Comparison"},
}
