"""Write workbooks from plain sheet specs with xlsxwriter: fixed properties, merged cells, number formats."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import xlsxwriter

# A fixed timestamp keeps the files byte-identical from run to run.
FIXED_TIME = dt.datetime(2021, 1, 15, 9, 0, 0)

NUM_FORMATS = {
    "pct": "0%",
    "pct1": "0.0%",
    "date": "yyyy-mm-dd",
    "date_cn": 'yyyy"年"m"月"d"日"',
    "int": "0",
    "num2": "0.00",
}


@dataclass(frozen=True)
class Styled:
    """A cell value written with a named number format (see NUM_FORMATS)."""

    value: object
    fmt: str


@dataclass
class Sheet:
    """One worksheet as rows of values, with merged ranges and styled row roles."""

    name: str
    rows: list[list[object]] = field(default_factory=list)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # r1, c1, r2, c2 (0-based)
    title_rows: set[int] = field(default_factory=set)
    header_rows: set[int] = field(default_factory=set)
    widths: dict[int, float] = field(default_factory=dict)

    def add(self, row: list[object], role: str = "") -> int:
        """Append a row; role 'title' or 'header' styles it. Returns its 0-based index."""
        self.rows.append(row)
        r = len(self.rows) - 1
        if role == "title":
            self.title_rows.add(r)
        elif role == "header":
            self.header_rows.add(r)
        return r

    def blank(self) -> None:
        """Append an empty row."""
        self.rows.append([])

    def merge(self, r1: int, c1: int, r2: int, c2: int) -> None:
        """Merge a range; the value is the one in its top-left cell."""
        self.merges.append((r1, c1, r2, c2))


class _Formats:
    """Cached xlsxwriter formats keyed by (role, number format)."""

    def __init__(self, wb: xlsxwriter.Workbook):
        self.wb = wb
        self.cache: dict[tuple[str, str], object] = {}

    def get(self, role: str, num: str = "") -> object | None:
        if not role and not num:
            return None
        key = (role, num)
        if key not in self.cache:
            props: dict[str, object] = {}
            if role == "title":
                props.update(bold=True, font_size=13, align="center", valign="vcenter")
            elif role == "header":
                props.update(bold=True, align="center", valign="vcenter", text_wrap=True, border=1)
            if num:
                props["num_format"] = NUM_FORMATS[num]
            self.cache[key] = self.wb.add_format(props)
        return self.cache[key]


def _write_cell(ws, r: int, c: int, value: object, fmt: object | None, fmts: _Formats, role: str) -> None:
    if isinstance(value, Styled):
        fmt = fmts.get(role, value.fmt)
        value = value.value
    if value is None or value == "":
        if fmt is not None:
            ws.write_blank(r, c, None, fmt)
        return
    if isinstance(value, bool):
        ws.write_boolean(r, c, value, fmt)
    elif isinstance(value, int | float):
        ws.write_number(r, c, value, fmt)
    elif isinstance(value, dt.datetime | dt.date):
        ws.write_datetime(r, c, value, fmt or fmts.get("", "date"))
    else:
        ws.write_string(r, c, str(value), fmt)


def _write_sheet(wb: xlsxwriter.Workbook, sheet: Sheet, fmts: _Formats) -> None:
    ws = wb.add_worksheet(sheet.name)
    for c, width in sheet.widths.items():
        ws.set_column(c, c, width)
    # Officers print these: landscape, one page wide, header rows kept in view and repeated.
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    if sheet.header_rows:
        last_header = max(sheet.header_rows)
        ws.freeze_panes(last_header + 1, 0)
        ws.repeat_rows(min(sheet.header_rows), last_header)
    merges_at: dict[int, list[tuple[int, int, int, int]]] = {}
    for m in sheet.merges:
        merges_at.setdefault(m[0], []).append(m)
    for r, row in enumerate(sheet.rows):
        role = "title" if r in sheet.title_rows else "header" if r in sheet.header_rows else ""
        base = fmts.get(role)
        merged_cols: set[int] = set()
        # Merges go first so that constant-memory mode still sees rows in order.
        for r1, c1, r2, c2 in merges_at.get(r, []):
            value = row[c1] if c1 < len(row) else None
            if isinstance(value, Styled):
                value = value.value
            ws.merge_range(r1, c1, r2, c2, "" if value is None else value, base or fmts.get("header"))
            merged_cols.update(range(c1, c2 + 1))
        for c, value in enumerate(row):
            if c not in merged_cols:
                _write_cell(ws, r, c, value, base, fmts, role)


def write_workbook(path: Path, sheets: list[Sheet], constant_memory: bool = False) -> Path:
    """Write sheets to path as .xlsx with fixed document properties; returns the path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    options = {"constant_memory": constant_memory, "strings_to_numbers": False, "strings_to_formulas": False}
    wb = xlsxwriter.Workbook(str(path), options)
    wb.set_properties(
        {
            "title": "示例数据（合成） Synthetic sample data",
            "author": "street-duty-scorecard data generator",
            "comments": "Synthetic data, not real figures",
            "created": FIXED_TIME,
        }
    )
    fmts = _Formats(wb)
    for sheet in sheets:
        _write_sheet(wb, sheet, fmts)
    wb.close()
    return path
