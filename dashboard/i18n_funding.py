"""UI strings of 事权财权匹配, the 准入 ledger and the 大项 drill-down (issue 15): zh, en."""

from __future__ import annotations

from metrics.funding_labels import FUNDING_COLUMNS

# column captions: metrics.funding_labels (the exports print the same); "district" and the shares the UI has already
FUNDING_STRINGS: dict[str, tuple[str, str]] = {
    **{k: v for k, v in FUNDING_COLUMNS.items() if k not in ("district", "share_not_approved")},
    # 事权财权匹配
    "fund_match": ("事权财权匹配（{year}年）", "Duties and funds ({year})"),
    "fund_match_note": (
        "下放事项：清单中填了来源部门或准入审批的事项；下放经费单位万元；"
        "每工作日经费 = 清单外事项下放经费 ÷ 街道报告的耗用工作日。",
        "Delegated items: list items with a delegating department or an access decision; money in 10,000 yuan; "
        "per workday = money sent with unlisted tasks ÷ the workdays the streets report.",
    ),
    "fund_match_departments": ("按部门", "By department"),
    # 准入 ledger
    "access_ledger": ("准入台账：交办部门", "Access ledger by assigning department"),
    "access_ledger_note": (
        "退回：街道把未经准入的事项退回交办部门；有文号：填了准入文号的事项。",
        "Returned: tasks a street sent back to the department; with reference: tasks with an approval number.",
    ),
    "no_entry": ("非准禁入名单", "Departments pushing unapproved tasks"),
    "no_entry_note": (
        "连续 {n} 个及以上季度向街道交办未经准入审批事项的部门（截至本期；规则文件 [access] no_entry_quarters）。",
        "Departments that pushed unapproved tasks onto streets in {n} or more consecutive quarters up to this "
        "period (rules file [access] no_entry_quarters).",
    ),
    "no_entry_none": (
        "本期没有部门连续 {n} 个季度交办未经准入事项。",
        "No department pushed unapproved tasks {n} quarters running.",
    ),
    # 大项
    "major_item": ("大项", "Major item"),
    "major_scores": ("大项得分", "Scores by major item"),
    "major_scores_of": ("大项得分（{what}）", "Scores by major item ({what})"),
    "major_note": (
        "每个大项的得分 = 该大项下计分事项的加权完成度 × 100（未报送事项计 0）；"
        "街道中位数为同区(市)县已报送街道的中位数。",
        "A major item's score = the weighted completion of its scored items × 100 (unreported items 0); the street "
        "median is over the district's reporting streets.",
    ),
    "major_items_n": ("事项数", "Items"),
    "major_weight": ("权重合计", "Weight"),
    "major_score": ("得分", "Score"),
    "major_median": ("街道中位数", "Street median"),
    "major_min": ("最低", "Lowest"),
    "major_max": ("最高", "Highest"),
    "major_none": ("该清单没有大项。", "This list has no major items."),
}
