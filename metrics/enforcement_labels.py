"""Captions of the 执法情况 columns (issue 15 point 3), Chinese and English: the exports and the dashboard both read
them from here."""

from __future__ import annotations

import pandas as pd

ENFORCEMENT_LABELS: dict[str, tuple[str, str]] = {
    "cases": ("案件数", "Cases"),
    "cases_on_time": ("按时办结数", "Closed on time"),
    "corrections": ("复议/诉讼纠错数", "Corrected on review or in court"),
    "joint_operations": ("联合执法次数", "Joint operations"),
    "officers": ("执法人员数", "Enforcement officers"),
    "on_time_rate": ("按时办结率", "On-time rate"),
    "correction_rate": ("纠错率", "Correction rate"),
    "cases_per_officer": ("人均案件数", "Cases per officer"),
    "list_year": ("执法监管清单年度", "Enforcement list year"),
    "on_time_target": ("按时办结率目标", "On-time target"),
    "correction_ceiling": ("纠错率上限", "Correction ceiling"),
    "on_time_met": ("按时办结达标", "On-time target met"),
    "correction_met": ("纠错率达标", "Correction ceiling kept"),
    "enforcement_score": ("执法得分", "Enforcement score"),
    "indicator": ("指标", "Indicator"),
    "value": ("本街道", "This street"),
    "target": ("清单目标", "List target"),
    "median": ("区(市)县中位数", "District median"),
    "met": ("是否达标", "Target met"),
}
# How each column is printed: int, num (one decimal), pct, text.
KINDS: dict[str, str] = {
    "on_time_rate": "pct",
    "correction_rate": "pct",
    "on_time_target": "pct",
    "correction_ceiling": "pct",
    "cases_per_officer": "num",
    "enforcement_score": "num",
}
# The rows of a street's 执法情况 block: (figure, its list target or None, whether a district median is shown).
STREET_ROWS: tuple[tuple[str, str | None, bool], ...] = (
    ("cases", None, True),
    ("cases_on_time", None, False),
    ("on_time_rate", "on_time_target", True),
    ("corrections", None, False),
    ("correction_rate", "correction_ceiling", True),
    ("joint_operations", None, True),
    ("officers", None, True),
    ("cases_per_officer", None, True),
    ("enforcement_score", None, True),
)
MET = {"on_time_target": "on_time_met", "correction_ceiling": "correction_met"}
# The comparison table's columns.
COMPARE_FIELDS = (
    "cases",
    "on_time_rate",
    "correction_rate",
    "joint_operations",
    "officers",
    "cases_per_officer",
    "on_time_target",
    "correction_ceiling",
    "enforcement_score",
)
YES_NO = {True: ("达标", "met"), False: ("未达标", "not met")}


def caption(key: str, lang: str) -> str:
    """The printed name of a 执法情况 column in lang."""
    pair = ENFORCEMENT_LABELS[key]
    return pair[1] if lang == "en" else pair[0]


def formatted(key: str, value: object) -> str:
    """A figure as both the screen and the export print it ('' when missing)."""
    if pd.isna(value):  # type: ignore[arg-type]
        return ""
    kind = KINDS.get(key, "int")
    number = float(value)  # type: ignore[arg-type]
    if kind == "pct":
        return f"{number:.1%}"
    if kind == "num":
        return f"{number:.1f}"
    return f"{number:,.0f}"


def street_lines(enforcement: pd.DataFrame, district: str, street: str, period: str, lang: str) -> list[dict[str, str]]:
    """One line per figure of a street's 执法情况 in a period (empty: none reported): indicator, value, the list's
    target, the district median and whether the target is met, as printed."""
    from metrics.enforcement import district_medians

    same = enforcement.loc[(enforcement["district"].eq(district) & enforcement["period"].eq(period)).fillna(False)]
    mine = same.loc[same["street"].eq(street).fillna(False)]
    if mine.empty:
        return []
    row, median = mine.iloc[0], district_medians(same).iloc[0]
    out = []
    for key, target, with_median in STREET_ROWS:
        met = row[MET[target]] if target else pd.NA
        out.append(
            {
                "indicator": caption(key, lang),
                "value": formatted(key, row[key]),
                "target": formatted(target, row[target]) if target else "",
                "median": formatted(key, median[f"{key}_median"]) if with_median else "",
                "met": "" if pd.isna(met) else YES_NO[bool(met)][lang == "en"],
            }
        )
    return out
