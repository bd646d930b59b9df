"""The 部门评价 sheet of a report template (issue 15, 考核权): for districts whose streets rate the district's
departments, one row per street and department rated before, the 满分 the district used last, scores to fill."""

from __future__ import annotations

from typing import TYPE_CHECKING

from loaders import guide
from loaders.rating_values import SCORE_KEYS
from loaders.schema import Dataset

if TYPE_CHECKING:
    from loaders.template import Unit, _Formats

SHEET = "部门评价"


def rating_plan(ds: Dataset, district: str) -> tuple[list[str], float] | None:
    """The departments the district's streets have rated and the 满分 of its latest ratings; None when its streets
    have never rated a department (the template then has no 部门评价 sheet)."""
    from loaders.streets import StreetResolver

    district = StreetResolver(ds.register).district(district) or district
    r = ds.dept_ratings
    mine = r[(r["district"] == district).fillna(False)]
    if mine.empty:
        return None
    latest = mine[(mine["period"] == mine["period"].max()).fillna(False)]
    return sorted(mine["department"].dropna().unique().tolist()), float(latest["scale"].mode().iloc[0])


def ratings_sheet(
    wb, fmt: _Formats, district: str, period: str, us: list[Unit], combined: bool, plan: tuple[list[str], float]
) -> None:
    """One row per (street, department): street and department locked, 满分 locked at the plan's, scores 0–满分."""
    from loaders.template import _header, _page, _title, period_zh

    departments, scale = plan
    ws = wb.add_worksheet(SHEET)
    keys = [c.key for c in guide.columns("dept_ratings") if c.key not in ("district", "street", "period")]
    if combined:
        keys = ["street", *keys]
    meta = f"区(市)县：{district}    报告期：{period_zh(period)}"
    if not combined:
        meta = f"区(市)县：{district}    填报单位：{us[0].street}    报告期：{period_zh(period)}"
    title = f"{district if combined else us[0].street}评价区级部门（{period_zh(period)}，满分 {scale:g} 分）"
    _title(ws, fmt, title, meta, len(keys))
    for c, k in enumerate(keys):
        ws.write(2, c, _header(k, "dept_ratings"), fmt.head)
        ws.set_column(c, c, {"street": 14, "department": 16, "comment": 30}.get(k, 10))
    r = 3
    for u in us:
        for dept in departments:
            for c, k in enumerate(keys):
                if k in ("street", "department", "scale"):
                    ws.write(r, c, {"street": u.street, "department": dept, "scale": scale}[k], fmt.locked)
                else:
                    ws.write_blank(r, c, None, fmt.number if k in SCORE_KEYS else fmt.text)
            r += 1
    for c, k in enumerate(keys):
        if k in SCORE_KEYS:
            rule = {"validate": "decimal", "criteria": "between", "minimum": 0, "maximum": scale}
            ws.data_validation(3, c, max(r - 1, 3), c, rule)
    ws.freeze_panes(3, 2 if combined else 1)
    _page(ws)
    ws.protect("", {"format_columns": True, "format_rows": True, "select_locked_cells": True})
