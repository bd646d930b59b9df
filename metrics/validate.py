"""Defensive checks on the canonical tables: the loader already refuses these, the scorer refuses them too."""

from __future__ import annotations

import re

import pandas as pd

from metrics.config import FUNCTIONS, Config

PERIOD_RE = re.compile(r"^\d{4}Q[1-4]$")
_WHAT = {
    "target": "目标值",
    "actual": "完成值",
    "completion": "完成率",
    "weight": "权重",
    "cases": "办件量",
    "online_cases": "网上办理量",
    "one_visit_cases": "一次办结量",
    "no_visit_approvals": "不见面审批量",
    "satisfaction": "群众满意度",
    "workdays": "耗用工作日",
}


def check_not_negative(df: pd.DataFrame, columns: list[str], table: str) -> None:
    """Raise ValueError naming the first row of `table` with a negative value in one of `columns`."""
    for col in columns:
        values = pd.to_numeric(df[col], errors="raise")
        bad = values.lt(0).fillna(False).to_numpy(dtype=bool)
        if bad.any():
            row = df.loc[bad].iloc[0]
            where = ", ".join(str(row[k]) for k in ("district", "street", "period", "item_code") if k in row)
            raise ValueError(
                f"{table}：{_WHAT.get(col, col)}为负数（{where}：{row[col]}） / "
                f"{table}: negative {col} ({where}: {row[col]})"
            )


def check_required(df: pd.DataFrame, columns: list[str], table: str) -> None:
    """Raise ValueError if a required key column has an empty cell."""
    for col in columns:
        if df[col].isna().any():
            raise ValueError(f"{table}：{col} 有空值 / {table}: empty {col}")


def check_periods(periods: pd.Series, table: str) -> None:
    """Raise ValueError if a period is not written like 2019Q2."""
    values = periods.dropna().unique()
    bad = [p for p in values if not PERIOD_RE.match(str(p))]
    if bad or periods.isna().any():
        shown = bad[:3] if bad else ["<空>"]
        raise ValueError(
            f"{table}：报告期格式应为 2019Q2，见 {shown} / {table}: periods must look like 2019Q2: {shown}"
        )


def check_duty_list(duty: pd.DataFrame, config: Config) -> None:
    """Raise ValueError for repeated codes, unknown function keys or weights that are not > 0."""
    dup = duty.duplicated(["district", "year", "item_code"])
    if dup.any():
        row = duty.loc[dup].iloc[0]
        raise ValueError(
            f"职责任务清单事项编号重复：{row['district']} {row['year']} {row['item_code']} / "
            f"duplicate item code on a duty list: {row['district']} {row['year']} {row['item_code']}"
        )
    known = set(FUNCTIONS) | set(config.removed_categories)
    unknown = sorted(set(duty["function"].dropna().unique()) - known)
    if unknown or duty["function"].isna().any():
        raise ValueError(f"未知的职能板块 {unknown or ['<空>']} / unknown function keys {unknown or ['<NA>']}")
    weight = duty["weight"]
    bad = weight.notna() & ~weight.gt(0).fillna(False)
    if bad.any():
        row = duty.loc[bad].iloc[0]
        raise ValueError(
            f"权重必须大于 0：{row['district']} {row['year']} {row['item_code']}（{row['weight']}） / "
            f"weight must be > 0: {row['district']} {row['year']} {row['item_code']} ({row['weight']})"
        )
