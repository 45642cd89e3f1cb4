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
    # ---- new facilities (issue 12) ------------------------------------------------------
    "new_facilities": {"zh": "新建设施", "en": "New facilities"},
    "built_year": {"zh": "{year}年建成", "en": "built {year}"},
    "facility": {"zh": "设施", "en": "Facility"},
    "technology": {"zh": "技术", "en": "Technology"},
    "site": {"zh": "地点", "en": "Site"},
    "free_site": {"zh": "园区空地", "en": "free site in the park"},
    "size": {"zh": "规模", "en": "Size"},
    "existing_size": {"zh": "现有规模", "en": "Existing size"},
    "capex": {"zh": "建设投资", "en": "Capex"},
    "annual_cost": {"zh": "年成本", "en": "Annual cost"},
    "throughput": {"zh": "处理量", "en": "Throughput"},
    "load_factor": {"zh": "负荷率", "en": "Load factor"},
    "build_year": {"zh": "建设年份", "en": "Build year"},
    "expanded_year": {"zh": "扩建年份", "en": "Expanded"},
    "legend_facility": {
        "zh": "菱形 = 新建或扩建设施（按建成年份分图层）",
        "en": "Diamond = new or expanded facility (a layer per build year)",
    },
    "province": {"zh": "四川省界", "en": "Sichuan outline"},
    "prefectures": {"zh": "市（州）界", "en": "Prefecture outlines"},
}
