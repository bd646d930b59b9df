"""What every export shares: the workbook, its styles, the injection guard, sheet names and print setup."""

from __future__ import annotations

import io
import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

import pandas as pd
import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from metrics.evaluation import Evaluation
from metrics.export.formula import FORMULA_START, PLAIN_XLSX, needs_quote
from metrics.export.labels import text

__all__ = ["FORMULA_START", "needs_quote"]  # the one guard, re-exported for the exports that use common

# 等线 ships with every Chinese Office since 2016; GB2312 charset makes Excel and WPS substitute a CJK font
# (宋体) where it is missing, and LibreOffice falls back to Noto Sans CJK through fontconfig.
FONT = "等线"
FONT_CHARSET = 134
SHEET_NAME_MAX = 31
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\\x00-\x1f]")
_RESERVED_SHEETS = {"history"}

PERCENT = "0.0%"
ONE_DECIMAL = "0.0"
NUMBER = "#,##0.0"
INTEGER = "0"

_BASE = {"font_name": FONT, "font_charset": FONT_CHARSET, "font_size": 10, "valign": "vcenter"}
_BOX = {"border": 1, "border_color": "#808080"}
STYLES: dict[str, dict[str, Any]] = {
    "title": {"bold": True, "font_size": 16, "align": "center"},
    "subtitle": {"align": "center", "font_color": "#404040"},
    "label": {**_BOX, "bold": True, "bg_color": "#F2F2F2"},
    "value": {**_BOX, "text_wrap": True},
    "value_num": {**_BOX, "align": "left", "num_format": ONE_DECIMAL},
    "value_signed": {**_BOX, "align": "left", "num_format": "+0.0;-0.0;0.0"},
    "value_int": {**_BOX, "align": "left", "num_format": INTEGER},
    "value_pct": {**_BOX, "align": "left", "num_format": PERCENT},
    "th": {**_BOX, "bold": True, "bg_color": "#DDEBF7", "align": "center", "text_wrap": True},
    "td": {**_BOX, "text_wrap": True},
    "td_center": {**_BOX, "align": "center", "text_wrap": True},
    "td_int": {**_BOX, "align": "center", "num_format": INTEGER},
    "td_num": {**_BOX, "num_format": NUMBER},
    "td_score": {**_BOX, "num_format": ONE_DECIMAL},
    "td_signed": {**_BOX, "num_format": "+0.0;-0.0;0.0"},
    "td_pct": {**_BOX, "num_format": PERCENT},
    "td_date": {**_BOX, "align": "center", "num_format": "yyyy-mm-dd"},
    "td_bold_score": {**_BOX, "bold": True, "num_format": ONE_DECIMAL},
    "section": {"bold": True, "font_size": 12, "bottom": 2},
    "big_score": {**_BOX, "bold": True, "font_size": 18, "align": "center", "num_format": ONE_DECIMAL},
    "big_grade": {**_BOX, "bold": True, "font_size": 18, "align": "center"},
    "note": {"italic": True, "font_color": "#595959", "text_wrap": True, "valign": "top"},
    "plain": {},
    "sign_label": {"font_size": 11, "bold": True, "align": "right"},
    "sign_line": {"font_size": 11, "bottom": 1},
    "link": {**_BOX, "font_color": "#0563C1", "underline": 1},
}
# Fills of the grades, best first (green, blue, amber, red); further bands reuse the last.
GRADE_FILLS = ("#C6EFCE", "#DDEBF7", "#FFEB9C", "#FFC7CE")
GRADE_FONTS = ("#006100", "#1F4E78", "#7F6000", "#9C0006")
for _i, (_fill, _font) in enumerate(zip(GRADE_FILLS, GRADE_FONTS, strict=True)):
    STYLES[f"big_grade_{_i}"] = {**STYLES["big_grade"], "bg_color": _fill, "font_color": _font}
    STYLES[f"grade_{_i}"] = {**_BOX, "align": "center", "bg_color": _fill, "font_color": _font}


def grade_style(grade: object, grades: tuple[str, ...], prefix: str = "grade") -> str:
    """The style name of a grade cell (plain when there is no grade)."""
    if not isinstance(grade, str) or grade not in grades:
        return "big_grade" if prefix == "big_grade" else "td_center"
    return f"{prefix}_{min(grades.index(grade), len(GRADE_FILLS) - 1)}"


class Styles:
    """The formats of one workbook, created once; each has a quote-prefixed twin for hostile text."""

    def __init__(self, wb: Workbook) -> None:
        self._wb = wb
        self._cache: dict[tuple[str, bool], Format] = {}

    def __call__(self, name: str, quote: bool = False) -> Format:
        key = (name, quote)
        if key not in self._cache:
            props = {**_BASE, **STYLES[name]}
            if quote:
                # Excel's own "'" marker: the cell shows the text and stays text when edited.
                props["quote_prefix"] = True
            self._cache[key] = self._wb.add_format(props)
        return self._cache[key]


def new_workbook() -> tuple[Workbook, io.BytesIO]:
    """An in-memory workbook that never turns a string into a formula, number or link."""
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(
        buf,
        {
            "in_memory": True,
            **PLAIN_XLSX,
            "default_date_format": "yyyy-mm-dd",
        },
    )
    return wb, buf


def finish(wb: Workbook, buf: io.BytesIO, title: str) -> bytes:
    """Close the workbook (with its document title) and return the file's bytes."""
    wb.set_properties({"title": title, "company": "", "comments": "街道履职评价看板 / Street Duty Scorecard"})
    wb.close()
    return buf.getvalue()


def is_missing(value: object) -> bool:
    """True for None, NA and NaN."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def write_text(ws: Worksheet, row: int, col: int, value: object, styles: Styles, style: str) -> None:
    """Write value as a text cell (never a formula); text that looks like one gets Excel's quote prefix."""
    if is_missing(value):
        ws.write_blank(row, col, None, styles(style))
        return
    s = str(value)
    ws.write_string(row, col, s, styles(style, quote=needs_quote(s)))


def write_number(ws: Worksheet, row: int, col: int, value: object, styles: Styles, style: str) -> None:
    """Write a number (blank when missing or not finite)."""
    if is_missing(value) or not math.isfinite(float(value)):
        ws.write_blank(row, col, None, styles(style))
    else:
        ws.write_number(row, col, float(value), styles(style))


# The cell style of each kind of column a labels module declares (its KINDS: text, int, num, pct).
KIND_STYLES = {"text": "td", "int": "td_int", "num": "td_score", "pct": "td_pct"}


def pick(lang: str, pair: tuple[str, str]) -> str:
    """The English or the Chinese of a (中文, English) pair."""
    return pair[1] if lang == "en" else pair[0]


def write_kind_table(
    ws: Worksheet,
    styles: Styles,
    row: int,
    df: pd.DataFrame,
    keys: Sequence[str],
    caption: Callable[[str, str], str],
    kinds: Mapping[str, str],
    lang: str,
) -> int:
    """Captioned header and the rows of df[keys] from row, each column written as its kind (int when not
    named); returns the next free row, one blank row below the table."""
    for col, key in enumerate(keys):
        write_text(ws, row, col, caption(key, lang), styles, "th")
    for r, rec in enumerate(df[list(keys)].astype(object).itertuples(index=False), start=row + 1):
        for col, (key, value) in enumerate(zip(keys, rec, strict=True)):
            kind = kinds.get(key, "int")
            write = write_text if kind == "text" else write_number
            write(ws, r, col, value, styles, KIND_STYLES[kind])
    return row + 1 + max(len(df), 1) + 1


def merge_text(ws: Worksheet, row: int, first: int, last: int, value: object, styles: Styles, style: str) -> None:
    """Merge cells first..last of row and write value into them as text."""
    # merge_range() writes through write(), which would read "=…" as a formula: merge empty, then write text.
    ws.merge_range(row, first, row, last, "", styles(style))
    write_text(ws, row, first, value, styles, style)


def sheet_name(name: object, taken: set[str]) -> str:
    """A valid sheet name for name, unique within taken (compared case-insensitively); adds it to taken."""
    base = _BAD_SHEET_CHARS.sub("_", str(name) if not is_missing(name) else "").strip().strip("'").strip()
    base = _fit(base, SHEET_NAME_MAX) or "Sheet"
    candidate, n = base, 1
    while candidate.casefold() in taken or candidate.casefold() in _RESERVED_SHEETS:
        n += 1
        suffix = f"({n})"
        candidate = _fit(base, SHEET_NAME_MAX - len(suffix)).rstrip("'") + suffix
    taken.add(candidate.casefold())
    return candidate


def _fit(name: str, limit: int) -> str:
    """name cut to limit UTF-16 code units (how Excel counts a sheet name's length)."""
    out, used = [], 0
    for ch in name:
        used += 2 if ord(ch) > 0xFFFF else 1
        if used > limit:
            break
        out.append(ch)
    return "".join(out).rstrip().rstrip("'")


def header_footer_text(value: str) -> str:
    """value safe inside an Excel page header or footer (& starts a control code there)."""
    return value.replace("&", "&&")


def print_setup(ws: Worksheet, lang: str, title_rows: tuple[int, int] | None, landscape: bool = False) -> None:
    """A4, one page wide, title rows repeated on every page, page numbers in the footer."""
    ws.set_paper(9)
    if landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.7)
    ws.center_horizontally()
    if title_rows is not None:
        ws.repeat_rows(*title_rows)
    ws.set_footer(f"&C&9{text('page', lang)}", {"margin": 0.3})


def generated_at() -> str:
    """The local time printed as 'generated at'."""
    return datetime.now().strftime("%Y-%m-%d %H:%M")


def score_row(ev: Evaluation, district: str, street: str, period: str) -> pd.Series:
    """The Evaluation's score row of one street and period; KeyError naming it when there is none."""
    rows = ev.scores_for(period=period, district=district)
    rows = rows.loc[rows["street"].eq(street).to_numpy(dtype=bool, na_value=False)]
    if rows.empty:
        raise KeyError(
            f"没有该街道该期的评分：{district} {street} {period} / no score for {district} {street} {period}"
        )
    return rows.iloc[0]


def district_row(ev: Evaluation, district: str, period: str) -> pd.Series | None:
    """The district_summary row of one district and period, or None."""
    ds = ev.district_summary
    mask = ds["district"].eq(district).to_numpy(dtype=bool, na_value=False) & ds["period"].eq(period).to_numpy(
        dtype=bool, na_value=False
    )
    rows = ds.loc[mask]
    return None if rows.empty else rows.iloc[0]


def check_period(ev: Evaluation, period: str) -> str:
    """period itself, or KeyError when the Evaluation has no score for it."""
    if period not in ev.periods:
        known = "、".join(ev.periods) or "—"
        raise KeyError(f"没有该考核期的评分：{period}（已有：{known}） / no scores for period {period}")
    return period


def text_width(value: str) -> float:
    """Width of 10-point text in column-width units (a CJK character ≈ 1.9, a Latin one ≈ 0.8)."""
    return sum(1.9 if unicodedata.east_asian_width(ch) in "WF" else 0.8 for ch in value)


def row_height(values: Iterable[tuple[object, float]], line: float = 13.5) -> float | None:
    """The row height that shows every (text, column width) pair wrapped in full; None for one line."""
    lines = 1
    for value, width in values:
        if isinstance(value, str) and value:
            lines = max(lines, math.ceil(text_width(value) / max(width - 0.3, 1)))
    return None if lines == 1 else line * lines + 3


def set_widths(ws: Worksheet, widths: Iterable[float]) -> None:
    """Column widths in characters, from column A."""
    for i, w in enumerate(widths):
        ws.set_column(i, i, w)
