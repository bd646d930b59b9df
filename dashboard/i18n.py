"""Every string the UI shows, in Chinese (default) and English."""

from __future__ import annotations

import pandas as pd

from dashboard.i18n_collect import COLLECT_STRINGS
from dashboard.i18n_coverage import COVERAGE_STRINGS
from dashboard.i18n_departments import DEPARTMENT_STRINGS
from dashboard.i18n_enforcement import ENFORCEMENT_STRINGS
from dashboard.i18n_evidence import EVIDENCE_STRINGS
from dashboard.i18n_funding import FUNDING_STRINGS
from dashboard.i18n_offices import OFFICE_STRINGS
from dashboard.i18n_preview import PREVIEW_STRINGS
from dashboard.i18n_views import VIEW_STRINGS
from metrics.labels import FIELD_LABELS, pairs, with_labels

LANGS = ("zh", "en")
# The coded values of the data shown in the UI: one place for them, metrics.labels (the exports use it too).
DATA_COLUMNS = ("street_type", "grade", "status", "function")

# key: (中文, English)
STRINGS: dict[str, tuple[str, str]] = {
    # shell
    "app_title": ("街道履职评价看板", "Street Duty Scorecard"),
    # shown in both languages at once: the shell is built before a page knows its language
    "sample_banner": (
        "示例数据（合成）/ synthetic sample data — 数据库中只有系统自带的示例工作簿，不是真实报送"
        "（the store holds only the shipped sample workbooks, not real reports）",
        "示例数据（合成）/ synthetic sample data — the store holds only the shipped sample workbooks, not real reports",
    ),
    "app_subtitle": ("成都市街道（镇）依清单履职评价", "Evaluating Chengdu streets against their duty lists"),
    "lang_switch": ("English", "中文"),
    "source": ("数据来源：各街道季度履职报表", "Source: quarterly duty reports of the streets"),
    "source_lists": ("数据来源：各区(市)县职责任务清单", "Source: the districts' duty lists"),
    "chart_table": ("数据表", "Data table"),
    "synthetic_note": ("示例数据为合成数据", "sample data are synthetic"),
    "recomputing_note": (
        "数据已更新，新结果正在计算中；此处暂显示上一版本的结果。",
        "The data changed and new results are being computed; the previous results are shown meanwhile.",
    ),
    "results_failed_note": (
        "新数据的结果计算失败，此处显示上一版本的结果；请联系管理员。",
        "The results of the new data could not be computed; the previous results are shown. Tell the administrator.",
    ),
    "program_changed_note": (
        "程序文件已更新，本进程仍运行旧版本，不能计算新数据的结果；此处显示上一版本的结果。请重启看板。",
        "The program was updated on disk; this process still runs the old version and cannot compute the new data's "
        "results, so the previous results are shown. Restart the dashboard.",
    ),
    # pages
    "overview": ("总览", "Overview"),
    "compare": ("区县对比", "District comparison"),
    "street": ("街道画像", "Street scorecard"),
    "burden": ("减负监测", "Burden monitor"),
    "lists": ("清单变化", "List changes"),
    "data": ("数据管理", "Data"),
    "whatif": ("权重模拟", "What-if"),
    "not_found": ("页面不存在", "Page not found"),
    "not_found_text": ("没有这个页面。请从上方菜单选择。", "There is no such page. Pick one from the menu above."),
    "back_home": ("返回总览", "Back to the overview"),
    # column headers whose key is also a page name
    # filters
    "districts": ("区(市)县", "Districts"),
    "all": ("全部", "All"),
    "all_functions": ("总分", "Overall"),
    "mode": ("比较口径", "Compare"),
    "mode_own": ("各区县按本区清单", "Each district on its own list"),
    "mode_type": ("全市按街道类型", "City-wide by street type"),
    "street_pick": ("街道(镇)", "Street"),
    "year_from": ("基准年度", "From year"),
    "year_to": ("对比年度", "To year"),
    "pick_districts_hint": ("请选择 2–4 个区(市)县", "Choose 2–4 districts"),
    # function names, grades, street types and statuses: metrics.labels (DATA_LABELS below)
    # headline
    "streets_evaluated": ("参评街道(镇)", "Streets evaluated"),
    "median_score": ("得分中位数", "Median score"),
    "grade_shares": ("等次分布", "Grade shares"),
    "removed_still_reported": ("仍报送的已取消指标", "Removed indicators still reported"),
    "items": ("项", "items"),
    "streets_unit": ("个", ""),
    "points": ("分", "points"),
    # columns
    "completeness": ("报送完整率", "Completeness"),
    "n_overlap_city": ("无明显差别", "Not clearly different"),
    "band_tip": (
        "全市排名的 5%–95% 区间（权重、汇总方式、“{s}”折算值变化 {n} 次模拟）",
        "5th–95th percentile city rank over {n} scenarios (weights, aggregation, value of '{s}')",
    ),
    "overlap_tip": ("排名区间与本街道重叠的街道(镇)数", "Streets whose rank band overlaps this one's"),
    "category": ("计分情况", "Scoring"),
    "streets_count": ("{n} 个街道(镇)", "{n} streets"),
    "change": ("较上季度", "Change on last quarter"),
    "change_year": ("较上年同期", "Change on a year before"),
    "streets_n": ("街道数", "Streets"),
    "online_rate": ("网上办理率", "Online rate"),
    "one_visit_rate": ("一次办结率", "One-visit rate"),
    "no_visit_approvals": ("不见面审批量", "No-visit approvals"),
    "satisfaction": ("群众满意度", "Satisfaction"),
    "cases": ("办件量", "Cases"),
    "share_not_approved": ("未经准入比例", "Share not approved"),
    "share_without_funds": ("经费未下放比例", "Share without funds"),
    "unlisted_workdays": ("耗用工作日", "Workdays spent"),
    "no": ("否", "no"),
    "download_xlsx": ("下载 Excel", "Download Excel"),
    "download_scorecard": ("下载考核评分表（打印版）", "Download scorecard (print)"),
    "download_items": ("下载事项明细", "Download items"),
    "item_detail": ("事项明细", "Items"),
    # chart titles (period appended)
    "fig_ranking": ("全市街道(镇)得分排名", "City ranking of streets"),
    "fig_ranking_in": ("{scope}街道(镇)得分排名", "Ranking of streets in {scope}"),
    "fig_movers": ("较去年同期变化最大的街道(镇)", "Biggest movers on the same quarter last year"),
    "fig_strip": ("街道(镇)得分分布", "Street score distribution"),
    "fig_functions": ("五大职能得分（中位数）", "Five functions (median)"),
    "fig_grades": ("等次构成", "Grade shares"),
    "fig_service": ("便民服务效率", "Service efficiency"),
    "fig_burden_cmp": ("清单外事项（每街道平均）", "Unlisted tasks per street"),
    "fig_street_functions": ("五大职能得分与区县中位数", "Five functions vs district median"),
    "fig_trend": ("得分走势", "Score trend"),
    "fig_burden_dept": ("交办清单外事项最多的部门", "Departments assigning most unlisted tasks"),
    "fig_burden_street": ("清单外事项最多的街道(镇)", "Streets with most unlisted tasks"),
    "fig_burden_shares": ("未经准入、经费未下放比例", "Shares not approved and without funds"),
    "fig_burden_trend": ("清单外事项走势", "Unlisted tasks over time"),
    "fig_lists": ("清单变化（按职能）", "List changes by function"),
    "fig_sensitivity": ("排名受哪项评分选择影响最大", "Which scoring choice moves the ranks most"),
    "share_rank_variance": ("占全市排名方差的比例（%）", "Share of the city rank variance (%)"),
    "unit_score": ("单位：分（百分制）", "Unit: points (0–100)"),
    "unit_tasks": ("单位：项", "Unit: tasks"),
    "unit_share": ("单位：%", "Unit: %"),
    "unit_items": ("单位：项", "Unit: items"),
    "click_hint": ("点击散点查看街道画像", "Click a point to open the street's scorecard"),
    # empty states
    "empty_no_data": ("暂无数据。请到“数据管理”上传报表。", "No data yet. Upload reports on the Data page."),
    "empty_period": ("所选报告期没有评分数据。", "No scores for the chosen period."),
    "empty_filters": ("没有符合筛选条件的街道(镇)。", "No street matches the filters."),
    "empty_previous": ("没有去年同期数据，无法计算同比变化。", "No same quarter last year to compare with."),
    "empty_service": ("所选报告期没有便民服务数据。", "No service figures for the chosen period."),
    "empty_burden": ("所选范围没有清单外事项。", "No unlisted tasks in the chosen scope."),
    "empty_street": ("请选择一个街道(镇)。", "Choose a street."),
    "empty_items": ("该街道本期没有事项数据。", "No items for this street and period."),
    "empty_lists": ("所选区县没有两个年度的清单可比较。", "This district has no two list years to compare."),
    "empty_history": ("尚无导入记录。", "Nothing ingested yet."),
    # street page
    "flag_missing": ("未报送的清单事项（计 0 分）", "Listed items not reported (count 0)"),
    "flag_removed": ("仍在报送的已取消指标（不计分）", "Removed indicators still reported (not scored)"),
    "flag_unlisted": ("清单外事项", "Unlisted tasks"),
    "flag_none": ("无", "none"),
    "rank_with_band": ("第 {rank} 名（区间 {band}）", "No. {rank} (band {band})"),
    "of_streets": ("共 {n} 个街道(镇)", "of {n} streets"),
    "not_clearly_different": ("排名与本街道无明显差别的街道(镇)", "Streets not clearly different in rank"),
    "not_clearly_different_none": (
        "没有：本街道的排名区间与其他街道(镇)都不重叠。",
        "None: this street's rank band overlaps no other street's.",
    ),
    "band_note": (
        "排名区间为 {n} 次模拟（权重扰动、清单权重/等权、算术/几何平均、“{s}”折算 {low}–{high}）的第 5–95 百分位。",
        "The band is the 5th–95th percentile rank over {n} scenarios (weights perturbed, list or equal weights, "
        "arithmetic or geometric mean, '{s}' counted {low}–{high}).",
    ),
    "peers_switch": ("与近邻比较", "Compare with peers"),
    "peers_title": (
        "近邻街道(镇)（按类型、人口、清单长度、办件量最相近）",
        "Nearest peers (type, population, list length, cases)",
    ),
    "peers_scope_note": ("仅显示本账户可见区县内的近邻。", "Only peers within this account's districts are shown."),
    "peers_none": ("本期没有可比较的近邻。", "No peers to compare with in this period."),
    "peer_rank": ("近邻序", "Peer"),
    "peer_median": ("近邻中位数", "Peer median"),
    "gap_peers": ("与近邻差", "Gap to peers"),
    "n_peers": ("近邻数", "Peers"),
    "fig_peer_gap": ("街道(镇)得分与近邻中位数之差", "Street score minus its peers' median"),
    "gap_axis": ("与近邻差（分）", "Gap to peers (points)"),
    "unit_gap": ("单位：分；0 = 与近邻中位数持平", "Unit: points; 0 = level with the peers' median"),
    "peers_compare_note": (
        "近邻：全市按街道类型、常住人口、清单长度、办件量最相近的 8 个街道(镇)，"
        "只看背景、不看得分（方法见 METHODOLOGY）。与近邻差 = 本街道得分 − 近邻得分中位数，正数表示好于近邻。",
        "Peers: the 8 streets across the city most alike by type, population, list length and cases — context "
        "only, never the score (see METHODOLOGY). Gap to peers = the street's score − its peers' median; "
        "positive means better than its peers.",
    ),
    "distance": ("相似距离", "Distance"),
    "this_street": ("本街道", "this street"),
    "list_fallback": ("本年度无清单，沿用 {year} 年清单", "No list for this year; the {year} list is used"),
    # lists page
    "added": ("新增", "Added"),
    "dropped": ("取消", "Dropped"),
    "reweighted": ("调整权重", "Reweighted"),
    "moved": ("调整职能", "Moved function"),
    "change_kind": ("变化", "Change"),
    "items_changed": ("变化事项数", "Items changed"),
    "old_value": ("原", "Before"),
    "new_value": ("新", "After"),
    # what-if page
    "whatif_subtitle": (
        "调整五大职能的权重，看排名如何变化；正式得分和排名不受影响",
        "Set the weights of the five functions and see the ranking change; official scores never change",
    ),
    "whatif_weights": ("五大职能权重（0–5）", "Weights of the five functions (0–5)"),
    "whatif_note": (
        "模拟得分 = Σ 权重 × 职能得分 / Σ 权重（街道没有得分的职能不计）。初始值为各职能在清单权重中的占比 × 5"
        "（取 0.5 的倍数）。名次为全市名次。",
        "What-if score = Σ weight × function score / Σ weight (functions a street has no score for are left out). "
        "Sliders start at each function's share of the list weights × 5 (to 0.5). Ranks are city ranks.",
    ),
    "whatif_official": ("正式排名（不变）", "Official ranking (unchanged)"),
    "whatif_ranking": ("模拟排名", "What-if ranking"),
    "whatif_all_zero": ("至少一个职能的权重须大于 0。", "At least one function weight must be above 0."),
    "whatif_summary": (
        "{n} 个街道(镇)中 {moved} 个名次改变，最大变化 {most} 位。",
        "{moved} of {n} streets change rank; the largest move is {most} places.",
    ),
    "whatif_rank": ("模拟名次", "What-if rank"),
    "whatif_score": ("模拟得分", "What-if score"),
    "rank_official": ("正式名次", "Official rank"),
    "rank_change": ("名次变化", "Rank change"),
    # data page
    "upload_prompt": (
        "将 Excel 报表拖到此处，或点击选择文件（可多选）",
        "Drop Excel workbooks here, or click to choose (several at once)",
    ),
    "check_title": ("检查结果（尚未入库）", "Check result (nothing stored yet)"),
    "check_ok": ("可以入库", "ready to store"),
    "check_bad": ("有错误，不能入库", "has errors, will not be stored"),
    "confirm_ingest": ("确认入库", "Confirm and store"),
    "nothing_to_ingest": ("没有可入库的文件。", "No file can be stored."),
    "upload_malformed": ("上传内容不完整或已损坏，未读取。", "The upload is incomplete or damaged: nothing was read."),
    "upload_not_allowed": ("本账户只读，不能上传。", "This account is read-only: it cannot upload."),
    "logout": ("退出", "Log out"),
    "ingested": ("已入库", "Stored"),
    "history_title": ("导入记录（全部批次，最新在前）", "Ingest history (every batch, newest first)"),
    "superseded_title": ("被替代的报表（保留在历史中）", "Superseded reports (kept in history)"),
    "outcome_ingested": ("已入库", "stored"),
    "outcome_duplicate": ("与已入库文件相同，未改变数据", "same as a stored file, nothing changed"),
    "outcome_refused": ("拒收", "refused"),
    "outcome_skipped": ("不是报表，已跳过", "not a report, skipped"),
    "outcome_reactivated": ("与曾被替换的文件相同，已重新启用", "same as a replaced file: active again"),
    "outcome_counts": ("新增 {added} 批，替代 {superseded} 批", "{added} batches added, {superseded} superseded"),
    "level": ("类别", "Level"),
    "location": ("位置", "Location"),
    "message": ("问题", "Problem"),
    "error": ("错误", "error"),
    "warning": ("警告", "warning"),
    "skipped": ("跳过", "skipped"),
    "file": ("文件", "File"),
    "rows_used": ("使用行数", "Rows used"),
    "rows_skipped": ("跳过行数", "Rows skipped"),
    "store_summary": ("库中数据", "In the store"),
    "periods_n": ("报告期", "Periods"),
}


STRINGS |= pairs(DATA_COLUMNS)
STRINGS |= COLLECT_STRINGS
STRINGS |= EVIDENCE_STRINGS
STRINGS |= PREVIEW_STRINGS
STRINGS |= VIEW_STRINGS
STRINGS |= FUNDING_STRINGS
STRINGS |= COVERAGE_STRINGS
STRINGS |= DEPARTMENT_STRINGS
STRINGS |= ENFORCEMENT_STRINGS
STRINGS |= OFFICE_STRINGS
# The field names the exports print too (metrics.labels); a key the screen uses for something else (street: the
# page) gets its column name as col_<key>, which column() prefers.
STRINGS |= {(f"col_{k}" if k in STRINGS else k): v for k, v in FIELD_LABELS.items()}


def shown(df: pd.DataFrame, lang: str, columns: tuple[str, ...] = DATA_COLUMNS) -> pd.DataFrame:
    """df with the coded values of columns (street type, grade, status, function) as displayed in lang.

    For display only: filters, URLs and row ids keep the codes. A 未报送 row's grade shows as 未报送.
    """
    from dashboard.unsubmitted import label_grades

    return label_grades(with_labels(df, lang, columns), lang)


def t(key: str, lang: str = "zh", **fmt: object) -> str:
    """The UI string for key in lang; the key itself when it has no entry (a data value)."""
    pair = STRINGS.get(key)
    if pair is None:
        return key
    text = pair[1] if lang == "en" else pair[0]
    return text.format(**fmt) if fmt else text


def paren(text: object, lang: str) -> str:
    """text as a bracketed addition: （text） in Chinese, " (text)" in English."""
    return f" ({text})" if lang == "en" else f"（{text}）"


def colon(lang: str) -> str:
    """The colon after a label: ： in Chinese, ": " in English."""
    return ": " if lang == "en" else "："


def norm_lang(lang: str | None) -> str:
    """A supported language code; Chinese for anything else."""
    return lang if lang in LANGS else "zh"


def column(key: str, lang: str = "zh") -> str:
    """The header of a data column (a few column keys are also page names, hence col_ entries first)."""
    return t(f"col_{key}", lang) if f"col_{key}" in STRINGS else t(key, lang)
