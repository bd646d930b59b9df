"""UI strings of the collection loop (submission tracker, template download), merged into dashboard.i18n.STRINGS."""

from __future__ import annotations

# key: (中文, English)
COLLECT_STRINGS: dict[str, tuple[str, str]] = {
    "submissions": ("报送情况", "Submissions"),
    "submissions_subtitle": (
        "本期每个街道(镇)是否已报送履职报表、何时由谁报送、是否逾期",
        "Which streets have sent the period's report, when and by whom, and who is late",
    ),
    "sub_expected": ("应报", "Expected"),
    "sub_received": ("已报", "Received"),
    "sub_missing": ("未报", "Missing"),
    "sub_late": ("逾期", "Late"),
    "sub_deadline": ("截止日期", "Deadline"),
    "sub_state": ("状态", "State"),
    "sub_state_missing": ("未报送", "missing"),
    "sub_state_on_time": ("按时", "on time"),
    "sub_state_late": ("逾期", "late"),
    "sub_received_at": ("报送时间（北京时间）", "Received (Beijing time)"),
    "sub_first_at": ("首次报送", "First received"),
    "sub_user": ("报送人", "Sent by"),
    "sub_file": ("文件", "File"),
    "sub_superseded": ("替换次数", "Times superseded"),
    "sub_by_district": ("各区(市)县报送进度", "Progress by district"),
    "sub_streets": ("全部街道(镇)", "Every street"),
    "sub_download_missing": ("下载催报名单", "Download the missing list"),
    "sub_progress": (
        "{period} 报送进度：已报 {received}/{expected}，未报 {missing}，逾期 {late}",
        "{period} submissions: {received} of {expected} received, {missing} missing, {late} late",
    ),
    "sub_progress_link": ("查看报送情况", "See submissions"),
    "sub_none_missing": ("全部街道(镇)均已报送。", "Every street has sent its report."),
    "tpl_title": ("下载报表模板", "Download a report template"),
    "tpl_note": (
        "按本期适用的清单预填事项编号和名称（已锁定），含下拉选项和填报说明；不选街道则生成全区汇总表。",
        "Pre-filled with the codes and names of the list in force (locked), with drop-downs and a 填报说明 sheet; "
        "without a street, one workbook for the whole district.",
    ),
    "tpl_street_all": ("全区（汇总表）", "Whole district (one workbook)"),
    "tpl_button": ("下载模板", "Download template"),
    "tpl_pick": ("请选择区(市)县和报告期。", "Choose a district and a period."),
}
