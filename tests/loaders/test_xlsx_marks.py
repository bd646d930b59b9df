"""The .xlsx marks' extent check on tall sheets, where the cells are counted to bound the area."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from loaders.xlsx_marks import AREA_FLOOR, XlsxMarks

TALL = AREA_FLOOR // 702 + 200  # rows beyond which columns up to ZZ no longer fit under the floor


def _tall(tmp_path: Path, stray: str | None) -> XlsxMarks:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "履职情况"
    for r in range(1, TALL + 1):
        ws.cell(r, 1, r)
    if stray:
        ws[stray] = "x"
    path = tmp_path / "tall.xlsx"
    wb.save(path)
    return XlsxMarks(str(path))


def test_tall_sheet_reads_with_its_cells_counted(tmp_path: Path) -> None:
    marks = _tall(tmp_path, None).sheet("履职情况")
    assert marks is not None and not marks.too_large
    assert (marks.rows, marks.cols, marks.cells) == (TALL, 26, TALL)


def test_tall_sheet_with_a_stray_cell_far_right_is_refused_at_that_cell(tmp_path: Path) -> None:
    marks = _tall(tmp_path, f"ZZ{TALL}").sheet("履职情况")
    assert marks is not None and marks.too_large
    assert marks.far == (TALL - 1, 701)


def test_three_letter_column_is_always_measured(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    wb.active.title = "履职情况"
    wb.active["A1"] = 1
    wb.active["AAA2"] = "x"
    path = tmp_path / "wide.xlsx"
    wb.save(path)
    marks = XlsxMarks(str(path)).sheet("履职情况")
    assert marks is not None and not marks.too_large
    assert (marks.rows, marks.cols, marks.cells) == (2, 703, 2)
