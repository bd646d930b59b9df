"""UI strings of the upload preview (what confirming would change), merged into dashboard.i18n.STRINGS."""

from __future__ import annotations

# key: (中文, English)
PREVIEW_STRINGS: dict[str, tuple[str, str]] = {
    "pv_title": (
        "确认入库后将发生的变化（按当前库内数据试算，尚未入库）",
        "What confirming will change (worked out on a copy; nothing stored yet)",
    ),
    "pv_replaces": ("将替换的已入库数据", "Stored data it replaces"),
    "pv_replaces_none": ("不替换任何已入库数据（新增）", "Replaces nothing stored (new data)"),
    "pv_unit": ("数据单元", "Unit"),
    "pv_file": ("原文件", "Stored file"),
    "pv_by": ("导入人", "Stored by"),
    "pv_when": ("导入时间 (UTC)", "Stored at (UTC)"),
    "pv_changes": ("得分变化", "Score changes"),
    "pv_changes_none": ("没有街道的得分或等次改变", "No street's score or grade changes"),
    "pv_street": ("街道(镇)", "Street"),
    "pv_period": ("报告期", "Period"),
    "pv_score": ("得分 原→新", "Score old → new"),
    "pv_grade": ("等次 原→新", "Grade old → new"),
    "pv_rank": ("全市排名 原→新", "City rank old → new"),
    "pv_tier": ("全市档次 原→新", "City tier old → new"),
    "pv_others": (
        "另有 {n} 个街道-季度的全市排名随之变动（其自身得分不变）",
        "{n} other street-quarters move in the city ranking (their own scores unchanged)",
    ),
    "pv_no_tiers": (
        "涉及的报告期较多，档次在入库后计算",
        "Many periods are touched: tiers are computed after the confirm",
    ),
    "pv_failed": ("无法试算变化：{error}", "The changes could not be worked out: {error}"),
}
