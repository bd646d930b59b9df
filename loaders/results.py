"""Rules on a report's result columns and on cells calamine reads as empty (FORMATS.md §5): which column a
`完成情况` header is, a sheet without any result column, formulas without a saved result and error values,
and a completion column whose numbers mix scales."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from loaders import values as v
from loaders.findings import Level, cell_name
from loaders.sheet import Header, column_cells
from loaders.xlsx_marks import SheetMarks

AMBIGUOUS_RESULT = "completion_or_status"  # columns.csv key of 完成情况 / 完成进度
# Columns no score, count or check reads: a formula without a result there is a warning, not an error.
NOT_SCORED = frozenset(
    {
        *("evidence", "note", "on_time", "office", "source_department", "major_item", "access_approved"),
        *("funds_matched", "assigned_date", "assigning_department", "population", "pilot"),
    }
)
SHOWN = 5  # cells named in one finding


class _Adds(Protocol):
    def add(self, level: Level, code: str, zh: str, en: str, where: str = "") -> None: ...


def settle_completion_or_status(rows: list[list], header: Header, data_rows: Sequence[int]) -> None:
    """A `完成情况`/`完成进度` column is 完成率 when its cells are numbers or percents, 完成状态 when words."""
    c = header.columns.pop(AMBIGUOUS_RESULT, None)
    if c is None:
        return
    words = False
    for r in data_rows:
        raw = rows[r][c] if c < len(rows[r]) else None
        if isinstance(raw, str) and raw.strip():
            try:
                v.parse_percent(raw)
            except v.BadValue:
                words = True
                break
    k = "status" if words else "completion"
    if k in header.columns:
        header.duplicates.append((c, header.labels[c], k))
    else:
        header.columns[k] = c


def has_result_column(ctx: _Adds, header: Header) -> bool:
    """True when a 履职情况 header has 目标值 and 完成值, 完成率 or 完成状态; else an error listing the headers."""
    cols = header.columns
    if ("target" in cols and "actual" in cols) or "completion" in cols or "status" in cols:
        return True
    found = "、".join(t for t in header.labels if t) or "无"
    ctx.add(
        "error",
        "no_result_column",
        f"第 {header.last_row + 1} 行表头没有可识别的结果列（应有：目标值和完成值、完成率、完成状态 之一；"
        f"已有：{found}）",
        f"header row {header.last_row + 1} has no result column (expected 目标值 and 完成值, 完成率 or "
        f"完成状态; found: {found})",
        str(header.last_row + 1),
    )
    return False


def formula_findings(
    ctx: _Adds, rows: list[list], header: Header, data_rows: Sequence[int], marks: SheetMarks, table: str
) -> None:
    """A formula without a saved result, or an error value, in a data cell of a known column: an error where
    the score reads the column, else a warning; the cell is read as empty either way."""
    if not marks.no_result and not marks.errors:
        return
    keys = {c: k for k, c in header.columns.items()}
    data = set(data_rows)
    fix_zh = "请在 Excel 或 WPS 中打开该文件、保存后重新发送"
    fix_en = "open the file in Excel or WPS, save it, send it again"
    found = [(at, None) for at in marks.no_result] + list(marks.errors.items())
    for (r, c), error in sorted(found):
        if r not in data or c not in keys:
            continue
        k = keys[c]
        level: Level = "warning" if k in NOT_SCORED else "error"
        if c < len(rows[r]):
            rows[r][c] = ""
        if error is None:
            zh, en = f"公式没有保存的计算结果；{fix_zh}", f"formula without a saved result; {fix_en}"
        else:
            zh, en = f"单元格为错误值 {error}；请更正后保存再发送", f"error value {error}; correct it, save, send again"
        ctx.add(level, "formula_no_result" if error is None else "error_value", zh, en, cell_name(r, c))


PERCENT_KEYS = ("completion", "satisfaction")  # the columns read as shares, where a percent format matters


def mark_percent(rows: list[list], header: Header, marks: SheetMarks) -> None:
    """Numbers above 2 in percent-formatted cells of the share columns become Percent: 2.5 shown as 250 % is
    250 %. (At or below 2 both readings give the same fraction, so those cells are left as they are.)"""
    for k in PERCENT_KEYS:
        c = header.columns.get(k)
        if c is None or not _any_above_two(column_cells(rows, c)) or not marks.percent_styles:
            continue  # nothing to change: styles.xml and the sheet XML are not searched (shares are 0.85 mostly)
        for r in marks.percent_rows(c):
            if r < len(rows) and c < len(rows[r]):
                x = rows[r][c]
                if (x.__class__ is float or x.__class__ is int) and x > 2:
                    rows[r][c] = v.Percent(x)


def _any_above_two(cells: list) -> bool:
    """True when a number above 2 stands among the cells (floats compared at C speed)."""
    types = set(map(type, cells))
    if float in types and any(map(_ABOVE_TWO, filter(float.__instancecheck__, cells))):
        return True
    return int in types and any(x > 2 for x in cells if x.__class__ is int)


_ABOVE_TWO = (2.0).__lt__


def _plain_number(raw: object) -> float | None:
    """A cell's number when nothing in it says its scale (no % sign, not a percent text); else None."""
    if raw.__class__ is float or raw.__class__ is int:
        return raw
    if isinstance(raw, str) and raw.strip() and "%" not in raw and "％" not in raw:
        try:
            return v.parse_number(raw)
        except v.BadValue:
            return None
    return None


def _scale(raw: object) -> str | None:
    """'small' for a plain number in (0, 2], 'large' above 2, None for anything that says its scale or is 0."""
    x = _plain_number(raw)
    if x is None or x <= 0:
        return None
    return "small" if x <= 2 else "large"


def mixed_scale(ctx: _Adds, rows: list[list], header: Header, data_rows: Sequence[int]) -> None:
    """A warning when a completion column's plain numbers mix scales: some ≤ 2 (fractions) and some > 2
    (percents), 0 aside; percent-formatted cells and texts with % say their scale and are left out."""
    c = header.columns.get("completion")
    if c is None:
        return
    scales = set(map(_scale, set(column_cells(rows, c, data_rows))))
    if not {"small", "large"} <= scales:
        return  # one scale (the usual column), judged on its distinct values: nothing to say
    small, large = [], []
    for r in data_rows:
        scale = _scale(rows[r][c] if c < len(rows[r]) else None)
        if scale is not None:
            (small if scale == "small" else large).append(cell_name(r, c))
    if small and large:
        s, g = "、".join(small[:SHOWN]), "、".join(large[:SHOWN])
        ctx.add(
            "warning",
            "mixed_scale",
            f"完成率列数值口径不一：{s} 等按小数读（≤2，如 0.85 = 85%），{g} 等按百分数读（>2，如 85 = 85%）；请核对",
            f"completion column mixes scales: {s} read as fractions (≤ 2), {g} as percents (> 2); please check",
            small[0],
        )
