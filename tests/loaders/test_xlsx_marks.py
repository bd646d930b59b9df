"""The .xlsx marks' extent check on tall sheets, where the cells are counted to bound the area."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest

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


def _grid_book(tmp_path: Path, at: str, value: str, compression: int = zipfile.ZIP_DEFLATED) -> Path:
    """A 3 x 4 sheet of numbers with the cell `at` holding a formula without a saved result (as openpyxl
    writes them) or, for "#N/A", that error value; zipped as asked."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "履职情况"
    for row in ws["A1:D3"]:
        for c in row:
            c.value = 1.5
    ws[at] = 7.25 if value == "#N/A" else value
    plain = tmp_path / "plain.xlsx"
    wb.save(plain)
    path = tmp_path / f"{at}.xlsx"
    error = (f'<c r="{at}" t="n"><v>7.25</v></c>'.encode(), f'<c r="{at}" t="e"><v>#N/A</v></c>'.encode())
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(path, "w", compression) as out:
        for name in src.namelist():
            data = src.read(name)
            if name == "xl/worksheets/sheet1.xml" and value == "#N/A":
                assert error[0] in data
                data = data.replace(*error)
            out.writestr(name, data)
    return path


@pytest.mark.parametrize("compression", [zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED])
@pytest.mark.parametrize("at", ["A1", "C2", "D3"])  # the first cell, one in between, the last cell
def test_formula_without_result_and_error_value_are_found_wherever_they_stand(
    tmp_path: Path, at: str, compression: int
) -> None:
    where = (int(at[1]) - 1, ord(at[0]) - 65)
    formula = XlsxMarks(str(_grid_book(tmp_path, at, "=1/0", compression))).sheet("履职情况")
    assert formula is not None and formula.no_result == {where} and not formula.errors
    error = XlsxMarks(str(_grid_book(tmp_path, at, "#N/A", compression))).sheet("履职情况")
    assert error is not None and error.errors == {where: "#N/A"} and not error.no_result


def test_a_sheet_of_plain_cells_has_no_marks(tmp_path: Path) -> None:
    marks = XlsxMarks(str(_grid_book(tmp_path, "B2", "fee"))).sheet("履职情况")  # a text with f and e
    assert marks is not None and not marks.no_result and not marks.errors
    assert (marks.rows, marks.cols) == (3, 702)
