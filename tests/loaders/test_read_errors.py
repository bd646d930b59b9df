"""Real errors (DOMAIN.md) are refused with file, sheet, cell and the fault, in Chinese with English beside it."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import msoffcrypto.format.ooxml
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loaders import read_file
from loaders.fileguard import MAX_BYTES

CJK = re.compile(r"[\u4e00-\u9fff]")
FILE = "玉林街道_2019Q2.xlsx"
HEADER = ["事项编号", "事项名称", "目标值", "完成值", "完成率", "完成状态"]


def refused_for(parsed, code: str, cell: str, sheet: str = "履职情况"):
    """The one error with `code`: the file is refused, located at sheet!cell, worded in Chinese and English."""
    assert not parsed.ok
    found = [f for f in parsed.findings if f.level == "error" and f.code == code]
    assert len(found) == 1, [f.text() for f in parsed.errors]
    f = found[0]
    assert (f.file, f.sheet, f.cell) == (parsed.name, sheet, cell)
    assert CJK.search(f.zh) and re.search(r"[a-z]{3}", f.en), f.text()
    assert f"{sheet}!{cell}" in f.location and parsed.name in f.location
    assert parsed.rows_read == parsed.rows_used + parsed.rows_skipped
    return f


def report(xlsx, rows, title="填报单位：玉林街道    报告期：2019年第二季度", name=FILE, sheet="履职情况"):
    """A 履职情况 sheet: title row A1, title line A2, header row 3, data from row 4."""
    return xlsx(name, xlsx.Sheet(sheet, [["武侯区街道履职情况季度报表"], [title], HEADER, *rows], merges=["A1:F1"]))


GOOD = [["A1", "社区党组织建设", 10, 8, None, None], ["A2", "老旧院落改造", None, None, "85%", None]]


# ---- content errors


def test_missing_required_column_lists_missing_and_unrecognised(xlsx, read_with_register) -> None:
    sheet = xlsx.Sheet(
        "履职情况",
        [["报告期：2019Q2"], ["街道", "事项", "目标值", "完成值", "完成情况说明"], ["玉林", "A1", 1, 1, "好"]],
    )
    parsed = read_with_register(xlsx(FILE, sheet))
    f = refused_for(parsed, "missing_column", "2")
    assert "事项编号" in f.zh and "item_code" in f.en
    assert "事项" in f.zh.split("未识别")[1] and "完成情况说明" in f.zh.split("未识别")[1]
    assert "unrecognised: 事项、完成情况说明" in f.en
    assert "目标值" in f.zh.split("已识别")[1]  # what was recognised is listed too
    assert parsed.tables["performance"].empty


def test_missing_street_and_period_when_no_title_line_gives_them(xlsx, read_with_register) -> None:
    parsed = read_with_register(xlsx(FILE, xlsx.Sheet("履职情况", [HEADER, *GOOD])))
    f = refused_for(parsed, "missing_column", "1")
    assert "街道(镇)" in f.zh and "报告期" in f.zh and "street" in f.en and "period" in f.en


def test_list_missing_function_column(xlsx, read_with_register) -> None:
    rows = [["区(市)县：武侯区 年度：2019"], ["事项编号", "事项名称", "权重"], ["A1", "x", 1]]
    parsed = read_with_register(xlsx("清单.xlsx", xlsx.Sheet("职责任务清单", rows)))
    f = refused_for(parsed, "missing_column", "2", sheet="职责任务清单")
    assert "职能板块" in f.zh and "function" in f.en


def test_street_not_in_register_in_a_column(xlsx, read_with_register) -> None:
    rows = [["街道(镇)", "报告期", "事项编号", "完成率"], ["玉林", "2019Q2", "A1", 1], ["双楠街道", "2019Q2", "A1", 1]]
    parsed = read_with_register(xlsx(FILE, xlsx.Sheet("履职情况", rows)))
    f = refused_for(parsed, "unknown_street", "A3")
    assert "双楠街道" in f.zh and "双楠街道" in f.en and "不在街道名册" in f.zh and "register" in f.en


def test_street_not_in_register_in_a_title_line(xlsx, read_with_register) -> None:
    parsed = read_with_register(report(xlsx, GOOD, title="填报单位：火车南站街道    报告期：2019Q2"))
    f = refused_for(parsed, "unknown_street", "A2")
    assert "火车南站街道" in f.zh


def test_street_of_another_district_is_not_in_its_register(xlsx, read_with_register) -> None:
    parsed = read_with_register(report(xlsx, GOOD, title="区(市)县：彭州市 填报单位：玉林街道 报告期：2019Q2"))
    refused_for(parsed, "unknown_street", "A2")


def test_item_code_twice_for_one_street_and_period(xlsx, read_with_register) -> None:
    rows = [*GOOD, ["A3", "x", 1, 1, None, None], ["A1", "社区党组织建设（重复）", 10, 9, None, None]]
    parsed = read_with_register(report(xlsx, rows))
    f = refused_for(parsed, "duplicate_item_code", "A7")
    assert "A4" in f.zh and "A7" in f.zh and "A1" in f.en and "repeated" in f.en


def test_same_item_code_for_two_streets_or_two_periods_is_fine(xlsx, read_with_register) -> None:
    rows = [
        ["街道", "报告期", "事项编号", "完成率"],
        ["玉林", "2019Q2", "A1", 1],
        ["簇桥", "2019Q2", "A1", 1],
        ["玉林", "2019Q3", "A1", 1],
    ]
    parsed = read_with_register(xlsx(FILE, xlsx.Sheet("履职情况", rows)))
    assert parsed.ok and len(parsed.tables["performance"]) == 3


def test_item_code_twice_in_a_duty_list(xlsx, read_with_register) -> None:
    rows = [
        ["区县：武侯区 年度：2019"],
        ["事项编号", "职能", "事项名称"],
        ["D1", "社区发展", "x"],
        ["D1", "社区平安", "y"],
    ]
    parsed = read_with_register(xlsx("清单.xlsx", xlsx.Sheet("职责任务清单", rows)))
    refused_for(parsed, "duplicate_item_code", "A4", sheet="职责任务清单")


@pytest.mark.parametrize("bad", ["八十五", "好", "85%%", "约85%"])
def test_completion_not_a_number(xlsx, read_with_register, bad) -> None:
    parsed = read_with_register(report(xlsx, [*GOOD, ["A3", "x", None, None, bad, None]]))
    f = refused_for(parsed, "bad_completion", "E6")
    assert bad in f.zh and bad in f.en


@pytest.mark.parametrize("bad", ["-5%", -0.1, "-85"])
def test_negative_completion(xlsx, read_with_register, bad) -> None:
    parsed = read_with_register(report(xlsx, [["A3", "x", None, None, bad, None], *GOOD]))
    f = refused_for(parsed, "bad_completion", "E4")
    assert "负数" in f.zh and "negative" in f.en


def test_negative_actual(xlsx, read_with_register) -> None:
    parsed = read_with_register(report(xlsx, [*GOOD, ["A3", "x", 10, -2, None, None]]))
    refused_for(parsed, "bad_actual", "D6")


@pytest.mark.parametrize("bad", ["2019年上半年", "2019Q5", "二季度", "2019年13月"])
def test_unreadable_period_in_a_cell(xlsx, read_with_register, bad) -> None:
    rows = [["街道", "报告期", "事项编号", "完成率"], ["玉林", "2019Q2", "A1", 1], ["玉林", bad, "A2", 1]]
    parsed = read_with_register(xlsx(FILE, xlsx.Sheet("履职情况", rows)))
    f = refused_for(parsed, "bad_period", "B3")
    assert bad in f.zh and "报告期" in f.zh and "period" in f.en


def test_unreadable_period_in_a_title_line(xlsx, read_with_register) -> None:
    parsed = read_with_register(report(xlsx, GOOD, title="填报单位：玉林街道    报告期：2019年第五季度"))
    f = refused_for(parsed, "bad_period", "A2")
    assert "2019年第五季度" in f.zh


def test_unreadable_period_beside_its_name(xlsx, read_with_register) -> None:
    sheet = xlsx.Sheet("履职情况", [["填报单位：", "玉林", "报告期：", "今年二季度"], HEADER, *GOOD])
    refused_for(read_with_register(xlsx(FILE, sheet)), "bad_period", "D1")


def test_no_register_loaded_refuses_a_report(xlsx) -> None:
    parsed = read_file(report(xlsx, GOOD))
    f = next(f for f in parsed.errors if f.code == "no_register")
    assert "街道名册" in f.zh and "register" in f.en


def test_refused_file_in_a_submission_leaves_the_others(xlsx, read_many) -> None:
    bad = report(xlsx, [*GOOD, ["A3", "x", None, None, "八十五", None]], name="bad.xlsx")
    good = report(xlsx, GOOD, title="填报单位：簇桥街道 报告期：2019Q2", name="good.xlsx")
    result = read_many(bad, good)
    assert not result.ok
    assert [p.name for p in result.files if not p.ok] == ["bad.xlsx"]
    assert set(result.dataset.performance["street"]) == {"簇桥街道"}


def test_no_known_sheet(xlsx, read_with_register) -> None:
    parsed = read_with_register(xlsx("x.xlsx", xlsx.Sheet("Sheet1", [HEADER, *GOOD])))
    f = next(f for f in parsed.errors if f.code == "no_known_sheet")
    assert f.file == "x.xlsx" and "履职情况" in f.zh


# ---- files that are not plain .xlsx workbooks, refused before parsing


def workbook_bytes(xlsx) -> bytes:
    return report(xlsx, GOOD, name="src.xlsx").read_bytes()


def assert_refused_file(path: Path, code: str, register) -> None:
    parsed = read_file(path, register)
    assert not parsed.ok and not parsed.tables and parsed.rows_read == 0
    assert [f.code for f in parsed.findings] == [code]
    f = parsed.findings[0]
    assert f.file == path.name and path.name in f.zh and path.name in f.en
    assert CJK.search(f.zh) and re.search(r"[a-z]{3}", f.en)


def test_csv_renamed_to_xlsx(tmp_path, register) -> None:
    path = tmp_path / "玉林.xlsx"
    path.write_text("街道,报告期,事项编号,完成率\n玉林街道,2019Q2,A1,85%\n", encoding="gbk")
    assert_refused_file(path, "not_xlsx_csv", register)


@pytest.mark.parametrize("keep", [0.5, 0.95])
def test_truncated_zip(tmp_path, xlsx, register, keep) -> None:
    data = workbook_bytes(xlsx)
    path = tmp_path / "cut.xlsx"
    path.write_bytes(data[: int(len(data) * keep)])
    assert_refused_file(path, "truncated_zip", register)


def test_broken_ole2_file_is_unreadable(tmp_path, register) -> None:
    # An OLE2 signature with no real BIFF workbook inside: let through by the guard (.xls is read), refused
    # by the reader with why.
    path = tmp_path / "old.xls"
    path.write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + bytes(504) + "Workbook".encode("utf-16-le") + bytes(1024))
    parsed = read_file(path, register)
    assert not parsed.ok and [f.code for f in parsed.errors] == ["unreadable"]


def test_empty_file_is_skipped_with_a_note(tmp_path, register) -> None:
    path = tmp_path / "empty.xlsx"
    path.write_bytes(b"")
    parsed = read_file(path, register)
    assert parsed.ok and parsed.skipped and not parsed.tables
    assert [(f.level, f.code) for f in parsed.findings] == [("skipped", "empty")]


def test_macro_enabled(tmp_path, xlsx, register) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(workbook_bytes(xlsx))) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info))
        dst.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0" + bytes(600))
    path = tmp_path / "宏.xlsm"
    path.write_bytes(out.getvalue())
    assert_refused_file(path, "macro_enabled", register)


def test_password_protected(tmp_path, xlsx, register) -> None:
    out = io.BytesIO()
    msoffcrypto.format.ooxml.OOXMLFile(io.BytesIO(workbook_bytes(xlsx))).encrypt("密码123", out)
    path = tmp_path / "加密.xlsx"
    path.write_bytes(out.getvalue())
    assert_refused_file(path, "encrypted", register)


def test_oversized(tmp_path, xlsx, register) -> None:
    path = tmp_path / "big.xlsx"
    path.write_bytes(workbook_bytes(xlsx))
    with path.open("r+b") as fh:
        fh.truncate(MAX_BYTES + 1)
    assert_refused_file(path, "too_large", register)


def test_missing_file(tmp_path, register) -> None:
    assert_refused_file(tmp_path / "nowhere.xlsx", "not_found", register)


def test_empty_list_category_where_the_sheet_name_does_not_say(xlsx, read_with_register) -> None:
    rows = [
        ["区县：武侯区 年度：2019"],
        ["清单类别", "编号", "职能", "事项名称"],
        ["职责任务", "D1", "社区发展", "x"],
        [None, "D2", "社区发展", "y"],
    ]
    parsed = read_with_register(xlsx("l.xlsx", xlsx.Sheet("三张清单", rows)))
    f = refused_for(parsed, "empty_list_type", "A4", sheet="三张清单")
    assert "清单类别" in f.zh and "list_type" in f.en


def test_street_in_two_districts_without_the_district_is_ambiguous(xlsx) -> None:
    reg = xlsx("名册.xlsx", xlsx.Sheet("街道名册", [["区县", "街道"], ["武侯区", "华兴街道"], ["锦江区", "华兴街道"]]))
    register = read_file(reg).tables["register"]
    parsed = read_file(report(xlsx, GOOD, title="填报单位：华兴 报告期：2019Q2"), register)
    f = refused_for(parsed, "ambiguous_street", "A2")
    assert "区(市)县" in f.zh and "district" in f.en
    with_district = report(xlsx, GOOD, title="区县：锦江区 填报单位：华兴 报告期：2019Q2", name="ok.xlsx")
    assert set(read_file(with_district, register).tables["performance"]["district"]) == {"锦江区"}


def test_district_not_in_register(xlsx, read_with_register) -> None:
    parsed = read_with_register(report(xlsx, GOOD, title="区(市)县：锦江区 填报单位：玉林街道 报告期：2019Q2"))
    assert not parsed.ok
    f = next(f for f in parsed.errors if f.code == "unknown_district")
    assert (f.sheet, f.cell) == ("履职情况", "A2") and "锦江区" in f.zh and "锦江区" in f.en


def test_unreadable_list_year_in_a_title_line(xlsx, read_with_register) -> None:
    rows = [
        ["区(市)县：武侯区    年度：二〇一九"],
        ["事项编号", "职能板块", "事项名称"],
        ["D1", "社区发展", "x"],
        ["D2", "社区发展", "y"],
    ]
    parsed = read_with_register(xlsx("清单.xlsx", xlsx.Sheet("职责任务清单", rows)))
    f = refused_for(parsed, "bad_year", "A1", sheet="职责任务清单")
    assert "二〇一九" in f.zh and "year" in f.en


def test_unknown_function_in_a_list(xlsx, read_with_register) -> None:
    rows = [
        ["区县：武侯区 年度：2019"],
        ["事项编号", "职能板块", "事项名称"],
        ["D1", "社区发展", "x"],
        ["D2", "党的建设", "y"],
    ]
    parsed = read_with_register(xlsx("清单.xlsx", xlsx.Sheet("职责任务清单", rows)))
    f = refused_for(parsed, "bad_function", "B4", sheet="职责任务清单")
    assert "党的建设" in f.zh


def test_zero_weight_in_a_list(xlsx, read_with_register) -> None:
    rows = [["区县：武侯区 年度：2019"], ["事项编号", "职能板块", "事项名称", "权重"], ["D1", "社区发展", "x", 0]]
    parsed = read_with_register(xlsx("清单.xlsx", xlsx.Sheet("职责任务清单", rows)))
    refused_for(parsed, "bad_weight", "D3", sheet="职责任务清单")


# ---- whatever the grid holds, reading reports, never raises


WORDS = [
    "事项编号", "事项名称", "职能板块", "权重", "街道", "报告期", "完成率", "完成状态", "目标值", "完成值", "区县",
    "年度", "清单类别", "交办日期", "办件量", "群众满意度", "是否按时", "填报单位：玉林", "报告期：2019Q2",
    "年度：2019", "区县：武侯区", "合计", "注：说明", "玉林街道", "双楠", "社区发展", "招商引资", "已完成", "是",
    "85%", "-1", "2019年第二季度", "2019Q9", "职责任务", "（件）", "A1", "A1", "",
]  # fmt: skip
CELL = st.one_of(
    st.none(),
    st.sampled_from(WORDS),
    st.integers(-5, 3000),
    st.floats(-2, 200, allow_nan=False),
    st.datetimes(dt.datetime(2018, 1, 1), dt.datetime(2021, 12, 31)),
)
REQUIRED_HEADERS = {
    "履职情况": ["街道", "报告期", "事项编号"],
    "职责任务清单": ["区县", "年度", "事项编号", "职能板块", "事项名称"],
    "三张清单": ["区县", "年度", "清单类别", "事项编号", "职能板块", "事项名称"],
    "街道名册": ["区县", "街道"],
    "便民服务": ["街道", "报告期"],
    "清单外事项": ["街道", "报告期", "事项名称"],
}
SHEETS = list(REQUIRED_HEADERS)


@st.composite
def grids(draw: st.DrawFn) -> tuple[str, list[list]]:
    """A sheet name and a grid: cells above, a header holding the sheet's required columns and more, rows."""
    sheet = draw(st.sampled_from(SHEETS))
    extra = draw(st.lists(st.sampled_from(WORDS[:19]), max_size=4))
    header = draw(st.permutations(REQUIRED_HEADERS[sheet] + extra))
    above = draw(st.lists(st.lists(CELL, max_size=4), max_size=3))
    body = draw(st.lists(st.lists(CELL, max_size=len(header) + 1), max_size=10))
    return sheet, [*above, header, *body]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sheet_grid=grids(), merge=st.booleans())
def test_any_grid_is_read_or_refused_with_locations_never_raising(xlsx, register, sheet_grid, merge) -> None:
    sheet, grid = sheet_grid
    merges = ["A1:C1"] if merge and grid and len(grid[0]) >= 3 else []
    parsed = read_file(xlsx("fuzz.xlsx", xlsx.Sheet(sheet, grid, merges=merges)), register)
    assert parsed.rows_read == parsed.rows_used + parsed.rows_skipped
    assert sum(len(t) for t in parsed.tables.values()) == parsed.rows_used
    for f in parsed.findings:
        assert f.file == "fuzz.xlsx" and f.zh and f.en
        assert f.level in ("error", "warning", "skipped")
    if not parsed.ok:
        assert all(f.sheet == sheet for f in parsed.errors)


def test_same_report_on_two_sheets_of_one_workbook(xlsx, read_with_register) -> None:
    rows = [["填报单位：玉林街道 报告期：2019Q2"], ["事项编号", "完成率"], ["A1", "80%"], ["A2", "90%"]]
    copy = [["填报单位：玉林街道 报告期：2019Q2"], ["事项编号", "完成率"], ["A9", "10%"], ["A2", "95%"]]
    path = xlsx(FILE, xlsx.Sheet("履职情况", rows), xlsx.Sheet("履职情况 (2)", copy))
    f = refused_for(read_with_register(path), "duplicate_item_code", "4", sheet="履职情况 (2)")
    assert "A2" in f.zh and "履职情况、履职情况 (2)" in f.zh and "several sheets" in f.en


def test_item_code_on_two_list_sheets(xlsx, read_with_register) -> None:
    def sheet(name: str, code: str):
        rows = [
            ["区县：武侯区 年度：2019"],
            ["事项编号", "职能板块", "事项名称"],
            [code, "社区发展", "x"],
            ["Z9", "社区平安", "y"],
        ]
        return xlsx.Sheet(name, rows)

    parsed = read_with_register(xlsx("清单.xlsx", sheet("职责任务清单", "D1"), sheet("便民服务清单", "S1")))
    f = next(f for f in parsed.errors if f.code == "duplicate_item_code")
    assert f.sheet == "便民服务清单" and "Z9" in f.zh and "Z9" in f.en


def test_different_streets_on_different_sheets_are_fine(xlsx, read_with_register) -> None:
    def sheet(street: str):
        return xlsx.Sheet(
            f"履职情况（{street}）", [[f"填报单位：{street} 报告期：2019Q2"], ["事项编号", "完成率"], ["A1", 1]]
        )

    parsed = read_with_register(xlsx("many.xlsx", sheet("玉林"), sheet("簇桥")))
    assert parsed.ok and list(parsed.tables["performance"]["street"]) == ["玉林街道", "簇桥街道"]
