"""Every caption the exports print, in Chinese and English (same layout in both languages)."""

from __future__ import annotations

from metrics.config import FUNCTION_ZH
from metrics.labels import FIELD_LABELS, FUNCTION_EN, label

LANGS = ("zh", "en")

FUNCTION_SHORT_ZH: dict[str, str] = {
    "community_development": "社区发展",
    "public_services": "公共服务",
    "comprehensive_management": "综合管理",
    "business_environment": "营商环境",
    "community_safety": "社区平安",
}
FUNCTION_SHORT_EN: dict[str, str] = {
    "community_development": "Community dev.",
    "public_services": "Public services",
    "comprehensive_management": "Comprehensive mgmt.",
    "business_environment": "Business env.",
    "community_safety": "Community safety",
}

_TEXT: dict[str, tuple[str, str]] = {
    # titles and file names
    "scorecard": ("街道履职考核评分表", "Street Duty Scorecard"),
    "comparison": ("区县对比", "District Comparison"),
    "ranking": ("街道履职考核排名表", "Street Duty Ranking"),
    "batch": ("街道考核评分表汇总", "Street Scorecards"),
    "department_ranking": ("部门评价排名", "Department Ranking"),
    "index": ("目录", "Index"),
    "summary": ("汇总", "Summary"),
    # header block
    "list_fallback_note": ("（无当年清单，沿用{year}年）", " (no list for the year: {year} used)"),
    "no_list": ("无职责任务清单", "no duty list"),
    "not_scored": ("未评分", "not scored"),
    "generated": ("生成时间", "Generated"),
    "generated_at": ("生成时间：{at}", "Generated: {at}"),
    "band_district": ("区内排名区间", "District rank band"),
    "rank_of": ("{rank} / {n}", "{rank} of {n}"),
    "change_prev": ("较上季度", "vs. last quarter"),
    # five functions
    "sec_functions": ("一、五大职能得分", "1. Scores of the five functions"),
    "difference": ("与中位数之差", "Difference"),
    "items_n": ("事项数", "Items"),
    "no_items": ("无事项", "no items"),
    # counts
    "sec_counts": ("二、事项统计", "2. Item counts"),
    "on_time_rate": ("按时完成率", "On time"),
    # sections
    "sec_missing": ("三、未报送事项（按 0 分计）", "3. Items not reported (count as 0)"),
    "sec_removed": ("四、已取消指标（不计分）", "4. Removed indicators (not scored)"),
    "sec_unlisted": ("五、清单外事项", "5. Tasks and rows outside the list"),
    "sec_items": ("六、事项完成情况", "6. Item completion"),
    "none": ("无", "None"),
    "sep": ("；", "; "),
    # {names}: the rules' removed categories (rules.toml [removed] categories), never spelled here
    "removed_note": (
        "{names}类指标已取消，不计入得分。",
        "{names}: removed from street evaluation, not scored.",
    ),
    "assigned_date": ("交办日期", "Assigned on"),
    "access_approved": ("经准入审批", "Approved"),
    "funds_matched": ("经费同步下放", "Funded"),
    "unlisted_rows": ("清单外报送行（不计分）", "Report rows not on the list (not scored)"),
    "burden_line": (
        "清单外事项 {tasks} 项，耗用 {days} 个工作日；未经准入审批 {approved}，经费未同步下放 {funds}。",
        "Tasks outside the list: {tasks}; workdays spent: {days}; not approved: {approved}; without funds: {funds}.",
    ),
    "unknown": ("未知", "unknown"),
    "no_unlisted_tasks": ("本期无清单外事项。", "No tasks outside the list this period."),
    # item table
    "row_no": ("序号", "No."),
    "no_": ("否", "no"),
    "not_reported": ("未报送", "not reported"),
    "reason": ("原因", "Reason"),
    "removed_by_function": ("职能为取消类别", "removed category"),
    "removed_by_name": ("名称含取消指标关键词", "name names a removed indicator"),
    # signature
    "evaluator": ("评价人：", "Evaluated by:"),
    "reviewer": ("审核人：", "Reviewed by:"),
    "date": ("日期：", "Date:"),
    "seal": ("（盖章）", "(seal)"),
    "page": ("第 &P 页，共 &N 页", "Page &P of &N"),
    # comparison
    "n_streets": ("街道数", "Streets"),
    "n_scored": ("已评分", "Scored"),
    "mean": ("平均分", "Mean"),
    "median": ("中位数", "Median"),
    "min": ("最低分", "Lowest"),
    "max": ("最高分", "Highest"),
    "indicator": ("指标", "Figure"),
    "median_of": ("{f}（中位数）", "{f} (median)"),
    "n_grade": ("{g}（个）", "{g} (streets)"),
    "share_grade": ("{g}（占比）", "{g} (share)"),
    "chart_functions": ("五大职能得分（中位数）", "Five functions (median score)"),
    "chart_grades": ("等级分布（占比）", "Grade shares"),
    "streets_of": ("{d} 街道得分", "Streets of {d}"),
    # ranking
    "band": ("排名区间", "Rank band"),
    "ranking_scope_city": ("全市", "City"),
}
_TEXT |= FIELD_LABELS  # the field names the screen prints too (metrics.labels)


def text(key: str, lang: str, **kw: object) -> str:
    """The caption `key` in `lang` (zh or en), formatted with kw."""
    zh, en = _TEXT[key]
    out = en if lang == "en" else zh
    return out.format(**kw) if kw else out


def function_name(key: str, lang: str, short: bool = False) -> str:
    """A function key's printed name."""
    if lang == "en":
        return (FUNCTION_SHORT_EN if short else FUNCTION_EN).get(key, FUNCTION_EN.get(key, key))
    if short and key in FUNCTION_SHORT_ZH:
        return FUNCTION_SHORT_ZH[key]
    return FUNCTION_ZH.get(key, key)


def grade_name(grade: object, lang: str) -> str:
    """A grade's printed name (rules-file grades without a translation print as they are)."""
    return str(label("grade", grade, lang)) if isinstance(grade, str) else ""


def status_name(status: object, lang: str) -> str:
    """A report status's printed name."""
    return str(label("status", status, lang)) if isinstance(status, str) else ""


def street_type_name(street_type: object, lang: str) -> str:
    """A street type's printed name (城区街道 / 涉农街道 / 镇); '' when unknown."""
    return str(label("street_type", street_type, lang)) if isinstance(street_type, str) else ""


def check_lang(lang: str) -> str:
    """lang itself, or ValueError when it is neither zh nor en."""
    if lang not in LANGS:
        raise ValueError(f"不支持的语言：{lang!r} / unsupported language {lang!r} (zh or en)")
    return lang
