"""UI strings of the department scorecard page (issue 15, 考核权): zh, en. Column captions: metrics.department_labels
(the export prints the same)."""

from __future__ import annotations

DEPARTMENT_STRINGS: dict[str, tuple[str, str]] = {
    "departments": ("部门评价", "Department ratings"),
    "departments_subtitle": (
        "街道评价区级部门（考核权）及部门交办、下放情况",
        "Streets rate the district departments (考核权), beside the tasks and duties the departments hand down",
    ),
    "dept_ranking": ("部门评价排名", "Department ranking"),
    "dept_ranking_note": (
        "评分按满分折算为百分制；综合评分为各评价街道的平均，横线为 {level} 区间（反映街道之间的分歧）。"
        "名次区间：只有区间不重叠的部门才算分出先后；评价街道不足 {n} 个的部门只列平均分，不给区间、不排名。",
        "Scores are put on 0–100 by their full mark; the overall rating is the mean of the rating streets, the line "
        "its {level} interval (how far the streets disagree). Rank band: departments count as ordered only when their "
        "intervals do not overlap; departments rated by fewer than {n} streets get a mean, no interval and no rank.",
    ),
    "dept_choose": ("部门", "Department"),
    "dept_detail": ("部门详情：{name}", "Department: {name}"),
    "dept_dims": ("分项评分", "Ratings by dimension"),
    "dept_trend": ("综合评分趋势", "Overall rating over time"),
    "dept_facts": ("交办与下放", "Tasks and delegated duties"),
    "dept_facts_note": (
        "清单外交办事项：本期该部门向街道交办的清单外事项；未经准入、无经费比例按已填写的事项计算；"
        "下放事项经费匹配率：本年度清单中该部门下放的事项里同步下放经费的比例。",
        "Tasks outside the lists: tasks this department pushed onto streets this period; the shares are over the tasks "
        "where the street said; delegated items with funds: the share of this year's list items the department "
        "delegated that came with funds.",
    ),
    "dept_none": ("所选范围内没有街道评价部门的数据。", "No street rated a department in the chosen scope."),
    "dept_too_few": ("评价街道不足 {n} 个，不给区间、不排名。", "Fewer than {n} rating streets: no interval, no rank."),
    "dept_score_axis": ("评分（百分制）", "Rating (0–100)"),
    "dept_unit": ("单位：分（百分制）", "Unit: points (0–100)"),
    "source_dept_ratings": (
        "数据来源：各街道部门评价表、清单外事项与清单",
        "Source: the streets' department ratings, unlisted tasks and lists",
    ),
    "advice": ("建议权：重大规划/决策征求街道意见", "Advice: streets consulted on major plans"),
    "advice_none": ("所选区(市)县没有建议权记录。", "No consultation recorded for the chosen districts."),
}
