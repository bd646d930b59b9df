"""UI strings of the 执法情况 sections (issue 15 point 3): zh, en. Column captions: metrics.enforcement_labels."""

from __future__ import annotations

from metrics.enforcement_labels import ENFORCEMENT_LABELS

ENFORCEMENT_STRINGS: dict[str, tuple[str, str]] = {
    **{f"enf_{k}": v for k, v in ENFORCEMENT_LABELS.items()},
    "enforcement": ("执法情况", "Law enforcement"),
    "enforcement_of": ("执法情况（{what}）", "Law enforcement ({what})"),
    "enforcement_note": (
        "一支队伍管执法：街道综合执法队伍本季度的案件和人员。按时办结率 = 按时办结数 ÷ 案件数，"
        "纠错率 = 复议/诉讼纠错数 ÷ 案件数；目标取区(市)县执法监管清单（{year}年）所列目标。"
        "执法得分 = 各项目标达成度的平均 × 100。",
        "The street's unified enforcement team in the quarter. On-time rate = cases closed on time ÷ cases; correction "
        "rate = cases corrected on review or in court ÷ cases; targets from the district's enforcement list ({year}). "
        "Enforcement score = the mean attainment of those targets × 100.",
    ),
    "enforcement_no_targets": (
        "区(市)县执法监管清单未列目标，只列数字、不计执法得分。",
        "The district's enforcement list states no targets: figures only, no enforcement score.",
    ),
    "enforcement_none": ("本期没有该街道的执法情况。", "No enforcement figures of this street for the period."),
    "enforcement_compare_note": (
        "每个街道一行；按时办结率目标、纠错率上限取各区(市)县执法监管清单。",
        "One row per street; targets from each district's enforcement list.",
    ),
    "enforcement_compare_none": (
        "所选区(市)县本期没有执法情况。",
        "No enforcement figures in the chosen districts for the period.",
    ),
}
