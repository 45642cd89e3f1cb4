"""Texts of the report added for the unit policy, the console summary and the scorecard.

Looked up with :func:`text`, which falls back to :func:`parkflow.i18n.label` for every key it
does not hold, so that report code needs one lookup. Every key has a Chinese and an English text
(tests/report/test_policy.py checks it). A text that :mod:`parkflow.i18n` already holds under
another key is referenced from there (``LABELS[...]``), not written again.

>>> text("u_wtco2", "zh"), text("generated", "en")
('万tCO₂/a', 'Generated')
"""

from __future__ import annotations

from parkflow.i18n import CITY_ZH, LABELS, label  # CITY_ZH: re-exported (home: parkflow.i18n)

__all__ = ["TEXTS", "text", "CITY_ZH"]

TEXTS: dict[str, dict[str, str]] = {
    # ---- units of the 万 policy ---------------------------------------------------------
    "u_wtco2": {"zh": "万tCO₂/a", "en": "10⁴ t CO₂/a"},
    "u_yuan": {"zh": "元", "en": "CNY"},
    "u_wyuan": {"zh": "万元", "en": "10⁴ CNY"},
    "u_wtce": {"zh": "万吨标准煤/a", "en": "10⁴ tce/a"},
    "unit_note_wan": {
        "zh": "单位：固体废物以万t/a（万吨/年）、金额以万元/a、CO₂以万tCO₂/a表示；"
        "余热 GJ/a。吨与元为单位的原始数据见 report_<表>.csv，"
        "或以 parkflow report --units t 输出。",
        "en": "Units: solid waste in 10⁴ t/a, money in 10⁴ CNY/a, CO₂ in "
        "10⁴ t CO₂/a; waste heat GJ/a. The raw t/a and CNY/a figures are in "
        "report_<table>.csv, or written with parkflow report --units t.",
    },
    "unit_note_t": {
        "zh": "单位：固体废物 t/a，金额 元/a，余热 GJ/a，副产氢 t/a。",
        "en": "Units: solid waste t/a, money CNY/a, waste heat GJ/a, hydrogen t/a.",
    },
    # ---- console summary ----------------------------------------------------------------
    "c_net_cost": {"zh": "年净成本", "en": "net cost"},
    "c_transport": {"zh": "运输装卸", "en": "transport"},
    "c_fixed": {"zh": "固定费用（年化）", "en": "fixed"},
    "c_purification": {"zh": "提纯", "en": "purification"},
    "c_facility": {"zh": "设施（年化投资与运维）", "en": "facilities"},
    "c_variable": {"zh": "设施可变成本", "en": "facility variable"},
    "c_value": {"zh": "替代产品价值", "en": "value"},
    "c_disposal": {"zh": "免缴处置费", "en": "disposal avoided"},
    "c_co2": {"zh": "CO₂减排", "en": "CO2 avoided"},
    "c_links": {"zh": "建成链接", "en": "links built"},
    "c_links_detail": {
        "zh": "{built}（现有 {existing}，新建 {new}{idle}）",
        "en": "{built} ({existing} existing, {new} new{idle})",
    },
    "c_idle": {"zh": "，闲置 {n}", "en": "; {n} idle"},
    "c_target": LABELS["map:target"],
    "c_rate_vs": {"zh": "综合利用率 {rate} ／目标 {target}", "en": "rate {rate} vs {target}"},
    "c_met": {"zh": "达标", "en": "met"},
    "c_not_applicable": {
        "zh": "不适用——其范围内不产生该目标的物料",
        "en": "n/a — its scope generates none of its materials",
    },
    "c_not_enforced": {"zh": "（未约束：另一目标年份）", "en": " (not enforced: another year)"},
    "c_not_met": {"zh": "未达标，差 {short} {unit}", "en": "NOT met, short {short} {unit}"},
    "c_written": {"zh": "已写入", "en": "written to"},
    "c_today": {"zh": "现状", "en": "today (current practice)"},
    "c_cny": LABELS["u_cny"],
    "c_tco2": {"zh": "tCO₂/a", "en": "t/a"},
    # ---- cost breakdown rows of the overview --------------------------------------------
    "cost_transport": {"zh": "  其中：运输装卸费用", "en": "  of which transport and handling"},
    "cost_fixed": {
        "zh": "  其中：链接固定费用（年化）",
        "en": "  of which fixed cost (annualised)",
    },
    "cost_purification": {"zh": "  其中：提纯费用", "en": "  of which purification"},
    "cost_facility": {
        "zh": "  其中：新建设施（年化投资与运维）",
        "en": "  of which facilities (annualised capex and O&M)",
    },
    "cost_variable": {"zh": "  其中：设施可变成本", "en": "  of which facility variable cost"},
    "cost_value": {
        "zh": "  其中：替代产品价值（记负）",
        "en": "  of which value of products displaced (negative)",
    },
    "cost_disposal": {
        "zh": "  其中：免缴处置费（记负）",
        "en": "  of which disposal cost avoided (negative)",
    },
    # ---- scorecard ----------------------------------------------------------------------
    "t_scorecard": {
        "zh": "十一、园区循环化改造评价指标",
        "en": "11. Park circular-transformation scorecard",
    },
    "t_projects": {
        "zh": "十二、项目清单（二）拟建共生链接",
        "en": "12. Project list (b): proposed links",
    },
    "scorecard_title": {
        "zh": "园区循环化改造评价指标与项目清单",
        "en": "Park circular-transformation scorecard and project list",
    },
    "sc_indicator": LABELS["indicator"],
    "sc_value": {"zh": "数值", "en": "Value"},
    "sc_unit": LABELS["unit"],
    "sc_reference": {"zh": "参考值", "en": "Reference"},
    "sc_assessment": {"zh": "对照", "en": "Assessment"},
    "sc_source": {"zh": "参考值来源", "en": "Source of the reference"},
    "sc_basis": {"zh": "口径", "en": "Basis"},
    "sc_needs": {"zh": "无数据 — 需要列 {cols}", "en": "n/a — needs column {cols}"},
    "sc_meets": {"zh": "达到", "en": "meets"},
    "sc_below": {"zh": "未达到", "en": "below"},
    "sc_info": {"zh": "—", "en": "—"},
    "ind_bulk_rate": {
        "zh": "大宗工业固废综合利用率（不含尾矿）",
        "en": "Bulk solid-waste utilisation (tailings excluded)",
    },
    "ind_waste_heat_rate": {"zh": "余热利用率", "en": "Waste-heat recovery rate"},
    "ind_energy_saved": LABELS["energy_saved"],
    "ind_co2_avoided": LABELS["compare:co2_avoided_t_per_a"],
    "ind_water_reuse": {"zh": "水重复利用率", "en": "Water reuse rate"},
    "ind_resource_productivity": {"zh": "资源产出率", "en": "Resource productivity"},
    "ind_energy_productivity": {"zh": "能源产出率", "en": "Energy productivity"},
    "ind_water_productivity": {"zh": "水资源产出率", "en": "Water productivity"},
    "basis_nbs": {"zh": "国家统计口径（产生量+往年贮存量）", "en": "NBS (generated + drawn)"},
    "basis_new": {"zh": "新增综合利用率（当年产生量口径）", "en": "new (this year's generation)"},
    "basis_consumption": {
        "zh": "综合消纳率（含无害化处置）",
        "en": "consumption (safe disposal included)",
    },
    "basis_links": {"zh": "按产废方所在园区计", "en": "counted at the generator's park"},
    "basis_gj": {"zh": "余热利用量÷产生量（GJ）", "en": "heat utilised ÷ generated (GJ)"},
    "basis_inputs": {"zh": "企业填报列", "en": "enterprise columns"},
    "u_tce_a": LABELS["u_tce"],
    "u_tco2_a": LABELS["u_tco2"],
    "u_cny_per_t": {"zh": "元/t", "en": "CNY/t"},
    "u_wcny_per_tce": {"zh": "万元/吨标准煤", "en": "10⁴ CNY/tce"},
    "u_cny_per_m3": {"zh": "元/m³", "en": "CNY/m³"},
    "src_S1": {
        "zh": "四川省大宗固废综合利用目标（2025年78%，不含尾矿）",
        "en": "Sichuan bulk solid-waste target (78 % by 2025, tailings excluded)",
    },
    "src_S2": {
        "zh": "HJ 274-2015 国家生态工业示范园区标准（参考值待核对原文）",
        "en": "HJ 274-2015 national eco-industrial park standard (value to be checked "
        "against the text)",
    },
    "src_S3": {
        "zh": "项目填报量（1004号式），无限值",
        "en": "reported project quantity, no threshold",
    },
    "src_S4": {
        "zh": "发改环资〔2021〕循环化改造指标，按园区自身逐年提高",
        "en": "NDRC 2021 circular-transformation indicator: to rise year on year",
    },
    "sc_no_ref": {"zh": "—（报告值）", "en": "— (reported)"},
    "u_wcny_per_tce_short": {"zh": "万元/吨标准煤", "en": "10⁴ CNY/tce"},
    # ---- project list -------------------------------------------------------------------
    "project_id": {"zh": "项目编号", "en": "Project"},
    "annual_fixed": {"zh": "年化固定费用", "en": "Annualised fixed cost"},
    "investment": {"zh": "估算投资", "en": "Estimated investment"},
    "investment_basis": {"zh": "投资口径", "en": "Investment basis"},
    "inv_capex": {"zh": "链接给定投资", "en": "capex of the link"},
    "inv_factor": {"zh": "年化固定费用 × {factor:g}", "en": "annualised fixed cost × {factor:g}"},
    "projects_note": {
        "zh": "估算投资 = 年化固定费用 × {factor:g}（目录按约10%年金率年化，"
        "见 docs/reporting.md）；链接给出 capex_cny 时采用之。资金来源待填。",
        "en": "Estimated investment = annualised fixed cost × {factor:g} (the "
        "catalogue annualises at ≈10 %, docs/reporting.md); a link's "
        "capex_cny is used when given. Funding source to be filled in.",
    },
    "funding": {"zh": "资金来源", "en": "Funding source"},
    # ---- build plan: the new facilities (issue 12) ----------------------------------------
    "t_build_plan": {
        "zh": "十二、项目清单（一）新建与扩建设施",
        "en": "12. Project list (a): new and expanded facilities",
    },
    "facility_id": {"zh": "设施编号", "en": "Facility"},
    "technology": {"zh": "技术（工艺）", "en": "Technology"},
    "fac_site": {"zh": "建设地点（企业）", "en": "Site (enterprise)"},
    "fac_park": {"zh": "园区", "en": "Park"},
    "fac_city": {"zh": "市（州）", "en": "City"},
    "build_year": {"zh": "建设年份", "en": "Build year"},
    "expanded_year": {"zh": "扩建年份", "en": "Expanded"},
    "fac_size": {"zh": "规模", "en": "Size"},
    "fac_existing": {"zh": "现有规模", "en": "Existing size"},
    "capex": {"zh": "建设投资", "en": "Capex"},
    "annual_cost": {"zh": "年成本（年化投资、运维与可变成本）", "en": "Annual cost"},
    "throughput": {"zh": "处理量", "en": "Throughput"},
    "load_factor": {"zh": "负荷率", "en": "Load factor"},
    "free_site": {"zh": "园区空地", "en": "free site in the park"},
    "build_plan_note": {
        "zh": "新建设施的建设投资为隔夜投资（扩建为规模差额投资）；年成本 = 投资 × 资本回收系数"
        "（折现率 {rate:.0%}）+ 固定运维 + 可变成本；负荷率 = 处理量 ÷ 规模。",
        "en": "Capex of a facility is overnight capex (an expansion: the difference); annual "
        "cost = capex × capital-recovery factor (discount rate {rate:.0%}) + fixed O&M + "
        "variable cost; load factor = throughput ÷ size.",
    },
    # ---- the pathway by year (periods, issue 12) ----------------------------------------
    "t_trajectory": {"zh": "十三、逐年达标路径", "en": "13. Pathway by year"},
    "t_trajectory_chart": {
        "zh": "逐年综合利用率与建设投资",
        "en": "Utilisation rate and capex by year",
    },
    "tr_year": {"zh": "年份", "en": "Year"},
    "tr_target_id": {"zh": "目标", "en": "Target"},
    "tr_before": {"zh": "现状综合利用率", "en": "Rate today"},
    "tr_rate": {"zh": "综合利用率", "en": "Rate"},
    "tr_required": {"zh": "目标值", "en": "Required"},
    "tr_met": {"zh": "是否达标", "en": "Met"},
    "tr_capex": {"zh": "当年建设投资", "en": "Capex built that year"},
    "tr_cost": {"zh": "当年净成本", "en": "Net cost that year"},
    "tr_co2": {"zh": "CO₂减排", "en": "CO₂ avoided"},
    "tr_line": {"zh": "{id} 目标值", "en": "{id} required"},
    "tr_capex_axis": {"zh": "建设投资（万元）", "en": "Capex (million CNY)"},
    "tr_rate_axis": {"zh": "综合利用率（%）", "en": "Utilisation rate (%)"},
    "present_value": {"zh": "现值（全期）", "en": "Present value (all years)"},
    # ---- diagnosis of an unreachable target (issue 12 item 4) ----------------------------
    "t_diagnosis": {
        "zh": "十四、不可达目标诊断（缺少的利用能力与可补足的设施）",
        "en": "14. Why a target is out of reach (missing capacity, facilities that would close it)",
    },
    "dg_target": {"zh": "目标", "en": "Target"},
    "dg_material": {"zh": "物料", "en": "Material"},
    "dg_left": {"zh": "剩余未利用量", "en": "Left unused"},
    "dg_needed": {"zh": "需补足利用能力", "en": "Capacity needed"},
    "dg_reason": {"zh": "原因", "en": "Reason"},
    "dg_facilities": {"zh": "可补足的设施类型与地点", "en": "Facilities that would close it"},
    "dg_no_use": {"zh": "可达范围内无利用途径", "en": "no use within reach"},
    "dg_no_capacity": {"zh": "可达范围内利用能力已用尽", "en": "no capacity left within reach"},
    "dg_candidate": {
        "zh": "{fid} {tech}（{site}），最大 {size} {unit}",
        "en": "{fid} {tech} at {site}, up to {size} {unit}",
    },
    "dg_add_row": {"zh": "新增候选设施：{tech}", "en": "add a candidate site: {tech}"},
    "c_diag": {"zh": "可补足：", "en": "would close it: "},
    # ---- charts -------------------------------------------------------------------------
    "other": {"zh": "其他", "en": "other"},
    "sankey_grouped": {
        "zh": "（按{by}汇总，前 {n} 个，其余并入“其他”）",
        "en": " (grouped by {by}, top {n}, the rest as “other”)",
    },
    "sankey_by_park": {"zh": "（按{by}汇总）", "en": " (grouped by {by})"},
    "by_park": {"zh": "园区", "en": "park"},
}


def text(key: str, lang: str, default: str | None = None) -> str:
    """The text of ``key`` in ``lang``: from :data:`TEXTS`, else :func:`parkflow.i18n.label`.

    Parameters
    ----------
    key : str
    lang : {"zh", "en"}
    default : str, optional
        Returned for an unknown key (without it, ``KeyError``).

    Returns
    -------
    str
    """
    entry = TEXTS.get(key)
    if entry is not None and lang in entry:
        return entry[lang]
    return label(key, lang, default=default)
