"""Captions and coded values of the 机构设置 frames (issue 15 point 4), Chinese and English: the exports and the
dashboard both read them from here (the codes also through metrics.labels CODED)."""

from __future__ import annotations

import pandas as pd

OFFICE_LABELS: dict[str, tuple[str, str]] = {
    "office": ("科室", "Office"),
    "office_category": ("科室类别", "Kind"),
    "standard_office": ("基本科室", "Standard office"),
    "posts": ("编制人数", "Established posts"),
    "staff": ("在岗人数", "Staff in post"),
    "items": ("清单事项数", "List items"),
    "item_weight": ("事项权重合计", "Item weight"),
    "unlisted_tasks": ("清单外事项数", "Unlisted tasks"),
    "list_type": ("清单", "List"),
    "office_named": ("清单所写责任科室", "Office named on the list"),
    "office_reason": ("原因", "Reason"),
    "offices": ("科室数", "Offices"),
    "standard_present": ("基本科室数", "Standard offices"),
    "standard_missing": ("缺少的基本科室", "Standard offices missing"),
    "x_offices": ("X 科室数", "X offices"),
    "units": ("直属单位数", "Centres and teams"),
    "items_unmatched": ("无对应科室的事项数", "Items without an office"),
    "unlisted_unassigned": ("未分派科室的清单外事项", "Unlisted tasks without an office"),
    "office_verdict": ("5+X 判定", "5+X verdict"),
    "streets": ("街道数", "Streets"),
    "reported": ("已报机构设置", "With a 机构设置"),
    "follows": ("符合 5+X", "Following 5+X"),
    "share": ("符合比例", "Share following"),
    "not_following": ("不符合的街道", "Streets not following"),
}
OFFICE_CODES: dict[str, dict[str, tuple[str, str]]] = {
    "office_category": {
        "standard": ("基本科室", "Standard office"),
        "x": ("X 科室", "X office"),
        "unit": ("直属单位", "Centre or team"),
    },
    "standard_office": {
        "general": ("综合办公室", "General office"),
        "party": ("党群办公室", "Party and mass work office"),
        "development": ("社区发展办公室", "Community development office"),
        "governance": ("社区治理办公室", "Community governance office"),
        "livelihood": ("民生服务办公室", "Livelihood services office"),
    },
    "office_verdict": {
        "follows": ("符合 5+X", "Follows 5+X"),
        "missing_standard": ("缺少基本科室", "A standard office is missing"),
        "too_few_x": ("X 科室少于规则下限", "Fewer X offices than the rules allow"),
        "too_many_x": ("X 科室多于规则上限", "More X offices than the rules allow"),
        "not_reported": ("未报机构设置", "No 机构设置 sent"),
    },
    "office_reason": {
        "empty": ("清单未写责任科室", "No office named on the list"),
        "no_office": ("街道没有这个科室", "The street has no such office"),
    },
}
# The street scorecard's office table and the export's, in order; the 5+X summary lines of a street.
OFFICE_TABLE = ("office", "office_category", "posts", "staff", "items", "item_weight", "unlisted_tasks")
UNMATCHED_TABLE = ("list_type", "item_code", "item_name", "office_named", "office_reason")
COMPLIANCE_TABLE = ("district", "streets", "reported", "follows", "share", "not_following")


def caption(key: str, lang: str) -> str:
    """The printed name of a 机构设置 column in lang."""
    pair = OFFICE_LABELS[key]
    return pair[1] if lang == "en" else pair[0]


def code_label(column: str, value: object, lang: str) -> object:
    """The printed name of a coded 机构设置 value (NA and unknown values as they are)."""
    pair = OFFICE_CODES[column].get(value) if isinstance(value, str) else None
    return value if pair is None else pair[1] if lang == "en" else pair[0]


def missing_text(codes: object, lang: str) -> str:
    """The missing standard offices ('general,party') as printed names joined by 、 (', ' in English)."""
    if not isinstance(codes, str) or not codes:
        return ""
    return ("、" if lang != "en" else ", ").join(str(code_label("standard_office", c, lang)) for c in codes.split(","))


def verdict_text(row: pd.Series, x_range: tuple[int, int], lang: str) -> str:
    """One sentence on a street's 5+X verdict, as the scorecard and its export print it."""
    verdict = str(code_label("office_verdict", row["office_verdict"], lang))
    low, high = x_range
    if lang == "en":
        detail = (
            f"{row['standard_present']} of 5 standard offices, {row['x_offices']} X offices (accepted {low}–{high}), "
            f"{row['units']} centres or teams"
        )
        missing = missing_text(row["standard_missing"], lang)
        return f"{verdict}: {detail}" + (f"; missing: {missing}" if missing else "") + "."
    detail = (
        f"基本科室 {row['standard_present']}/5 个，X 科室 {row['x_offices']} 个（规则允许 {low}–{high} 个），"
        f"直属单位 {row['units']} 个"
    )
    missing = missing_text(row["standard_missing"], lang)
    return f"{verdict}：{detail}" + (f"；缺少 {missing}" if missing else "") + "。"
