"""The two workbook writers: same cells, merges and formats as read back by calamine and openpyxl."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import openpyxl
import pytest
import python_calamine as pc
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from data.xlsx import Sheet, Styled, write_workbook, write_workbook_fast

WRITERS = [write_workbook, write_workbook_fast]


def _sample() -> list[Sheet]:
    sheet = Sheet("2019年履职情况表", widths={1: 26})
    r = sheet.add(["武侯区街道履职情况季度报表"], "title")
    sheet.merge(r, 0, r, 4)
    top = sheet.add(["事项编号", "事项名称", "完成情况", None, None], "header")
    sheet.add([None, None, "目标值 ", "完成率\n(%)", "交办日期"], "header")
    sheet.merge(top, 0, top + 1, 0)
    sheet.merge(top, 1, top + 1, 1)
    sheet.merge(top, 2, top, 3)
    sheet.add(["WHZZ001", "A&B <测试> _x0041_", 12, Styled(0.85, "pct"), Styled(dt.datetime(2019, 8, 2), "date")])
    sheet.blank()
    sheet.add(["合计", None, 12.5, True, dt.date(2020, 2, 29)])
    return [sheet, Sheet("便民服务", rows=[["办件量"], [4507]])]


@pytest.mark.parametrize("writer", WRITERS, ids=["xlsxwriter", "fast"])
def test_cells_merges_and_formats_read_back(writer, tmp_path: Path) -> None:
    path = writer(tmp_path / "a.xlsx", _sample())
    book = pc.CalamineWorkbook.from_path(path)
    assert book.sheet_names == ["2019年履职情况表", "便民服务"]
    sheet = book.get_sheet_by_name("2019年履职情况表")
    rows = sheet.to_python(skip_empty_area=False)
    assert rows[0][0] == "武侯区街道履职情况季度报表"
    assert rows[2][2:4] == ["目标值 ", "完成率\n(%)"]
    assert rows[3][:4] == ["WHZZ001", "A&B <测试> _x0041_", 12.0, 0.85]
    assert rows[3][4] in (dt.date(2019, 8, 2), dt.datetime(2019, 8, 2))  # calamine gives dates for midnight
    assert all(v == "" for v in rows[4])
    assert rows[5][:4] == ["合计", "", 12.5, True]
    assert sorted(sheet.merged_cell_ranges) == [((0, 0), (0, 4)), ((1, 0), (2, 0)), ((1, 1), (2, 1)), ((1, 2), (1, 3))]
    ws = openpyxl.load_workbook(path)["2019年履职情况表"]
    assert ws["D4"].number_format == "0%"
    assert ws["E4"].is_date
    assert ws["E6"].value.date() == dt.date(2020, 2, 29)


@pytest.mark.parametrize("writer", WRITERS, ids=["xlsxwriter", "fast"])
def test_writers_are_deterministic(writer, tmp_path: Path) -> None:
    a = writer(tmp_path / "a.xlsx", _sample()).read_bytes()
    b = writer(tmp_path / "b.xlsx", _sample()).read_bytes()
    assert a == b


text = st.text(st.characters(exclude_categories=("Cs", "Cc", "Cn")), max_size=12)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(st.lists(st.one_of(text, st.integers(0, 10**6), st.floats(0, 1e6)), min_size=1, max_size=5), max_size=6)
)
def test_fast_writer_matches_xlsxwriter(tmp_path: Path, rows: list[list[object]]) -> None:
    sheets = [Sheet("表", rows=[list(r) for r in rows])]
    a = pc.CalamineWorkbook.from_path(write_workbook(tmp_path / "a.xlsx", sheets)).get_sheet_by_name("表")
    b = pc.CalamineWorkbook.from_path(write_workbook_fast(tmp_path / "b.xlsx", sheets)).get_sheet_by_name("表")
    cells_a = [c for row in a.to_python(skip_empty_area=False) for c in row]
    cells_b = [c for row in b.to_python(skip_empty_area=False) for c in row]
    assert len(cells_a) == len(cells_b)
    for x, y in zip(cells_a, cells_b, strict=True):
        # xlsxwriter writes 16 significant digits, the fast writer repr(): equal up to the last digit.
        assert x == y or (isinstance(x, float) and math.isclose(x, y, rel_tol=1e-15))
