"""Every layout DOMAIN.md and docs/FORMATS.md call normal input, written as a real .xlsx and read back."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loaders import read_file
from loaders import values as v

TITLE = "武侯区街道履职情况季度报表"
HEADER = ["事项编号", "事项名称", "目标值", "完成值", "完成率", "完成状态", "是否按时"]
ROWS = [
    ["WH-001", "社区党组织建设", 10, 8, None, None, "是"],
    ["WH-002", "老旧院落改造", None, None, "85%", None, "否"],
    ["WH-003", "网格化服务管理", None, None, None, "已完成", "是"],
]


def perf_sheet(xlsx, title_line: str = "填报单位：玉林街道    报告期：2019年第二季度", name: str = "履职情况", **kw):
    """The template's 履职情况 sheet: a merged title row, a title line, the header and three rows."""
    return xlsx.Sheet(name, [[TITLE], [title_line], HEADER, *ROWS], merges=["A1:G1"], **kw)


def performance(parsed) -> pd.DataFrame:
    assert parsed.ok, [f.text() for f in parsed.errors]
    return parsed.tables["performance"]


# ---- title rows and title lines


@pytest.mark.parametrize(
    "line",
    [
        "填报单位：玉林街道    报告期：2019年第二季度",
        "填报单位:玉林街道  报告期:2019年第二季度",
        "填报单位： 玉林街道　　报告期： 2019年第二季度",
        "区(市)县：武侯区  填报单位：玉林街道办事处  报告期：2019-Q2",
        "街道（镇）：玉林   考核期：2019年6月",
    ],
)
def test_title_line_with_several_pairs(xlsx, read_with_register, accounted, line: str) -> None:
    parsed = read_with_register(xlsx("玉林_2019Q2.xlsx", perf_sheet(xlsx, line)))
    df = performance(parsed)
    assert list(df["item_code"]) == ["WH-001", "WH-002", "WH-003"]
    assert set(df["district"]) == {"武侯区"}
    assert set(df["street"]) == {"玉林街道"}
    assert set(df["period"]) == {"2019Q2"}
    assert list(df["source_row"]) == [4, 5, 6]
    accounted(parsed)


def test_title_line_merged_across_the_sheet(xlsx, read_with_register, accounted) -> None:
    sheet = perf_sheet(xlsx, "填报单位：簇桥街道    报告期：2019年第三季度")
    sheet.merges = ["A1:G1", "A2:G2"]
    df = performance(parsed := read_with_register(xlsx("簇桥.xlsx", sheet)))
    assert set(zip(df["street"], df["period"], strict=True)) == {("簇桥街道", "2019Q3")}
    accounted(parsed)


def test_name_and_value_in_adjacent_cells(xlsx, read_with_register, accounted) -> None:
    sheet = xlsx.Sheet(
        "履职情况",
        [[TITLE], ["填报单位：", "红牌楼街道", None, "报告期:", "2019Q4"], HEADER, *ROWS],
        merges=["A1:G1"],
    )
    df = performance(parsed := read_with_register(xlsx("红牌楼.xlsx", sheet)))
    assert set(df["street"]) == {"红牌楼街道"}
    assert set(df["period"]) == {"2019Q4"}
    accounted(parsed)


def test_several_title_rows_and_an_empty_row_above_the_header(xlsx, read_with_register, accounted) -> None:
    rows = [[TITLE], ["（2019年度第二季度）"], ["填报单位：玉林街道"], ["报告期：2019Q2"], [], HEADER, *ROWS]
    df = performance(parsed := read_with_register(xlsx("t.xlsx", xlsx.Sheet("履职情况", rows, merges=["A1:G1"]))))
    assert len(df) == 3 and set(df["period"]) == {"2019Q2"}
    accounted(parsed)


# ---- headers


@pytest.mark.parametrize("vertical_merges", [True, False])
def test_two_row_header_with_merged_group_cell(xlsx, read_with_register, accounted, vertical_merges) -> None:
    top = ["事项编号", "事项名称", "完成情况", None, None, "完成状态", "是否按时"]
    low = [None, None, "目标值", "完成值", "完成率(%)", None, None]
    merges = ["A1:G1", "C3:E3"] + (["A3:A4", "B3:B4", "F3:F4", "G3:G4"] if vertical_merges else [])
    sheet = xlsx.Sheet("履职情况", [[TITLE], ["填报单位：玉林街道 报告期：2019Q2"], top, low, *ROWS], merges=merges)
    df = performance(parsed := read_with_register(xlsx("two_rows.xlsx", sheet)))
    assert list(df["item_code"]) == ["WH-001", "WH-002", "WH-003"]
    assert df["target"].iloc[0] == 10 and df["actual"].iloc[0] == 8
    assert df["completion"].iloc[1] == pytest.approx(0.85)
    assert list(df["source_row"]) == [5, 6, 7]
    assert not [f for f in parsed.findings if f.code == "unknown_column"]
    accounted(parsed)


@pytest.mark.parametrize(
    "header",
    [
        ["事项 编号", "事项名称", "目标 值", "完成值", "完成率\n(%)", "完成\n状态", "是否按时"],
        ["事项编号", "事项名称", "目标值", "完成值", "完成率（％）", "完成状态", "是否按时"],
        ["*事项编号", " 事项名称 ", "目标值（件）", "完成值（件）", "完成率(%)", "完成状态", "是否\n按时"],
        ["编号", "职责事项", "目标", "实际完成", "完成比例", "进度", "按时完成"],
        ["事项代码", "事项内容", "目标", "实际完成", "完成率(%)", "进度", "按时完成"],
    ],
)
def test_header_variants(xlsx, read_with_register, accounted, header: list[str]) -> None:
    sheet = xlsx.Sheet("履职情况", [["填报单位：玉林街道 报告期：2019Q2"], header, *ROWS])
    df = performance(parsed := read_with_register(xlsx("h.xlsx", sheet)))
    assert list(df["item_code"]) == ["WH-001", "WH-002", "WH-003"]
    assert list(df["item_name"]) == ["社区党组织建设", "老旧院落改造", "网格化服务管理"]
    assert df["target"].iloc[0] == 10 and df["actual"].iloc[0] == 8
    assert df["completion"].iloc[1] == pytest.approx(0.85)
    assert df["status"].iloc[2] == "已完成"
    assert list(df["on_time"]) == [True, False, True]
    assert not [f for f in parsed.findings if f.code == "unknown_column"]
    accounted(parsed)


@pytest.mark.parametrize(
    ("street_h", "period_h"),
    [
        ("街道(镇)", "报告期"),
        ("街道", "考核期"),
        ("街镇", "期间"),
        ("镇街", "报告期"),
        ("街道（镇）", "报告期"),
        ("填报单位", "报告期"),
    ],
)
def test_street_and_period_as_columns_with_short_forms(xlsx, read_with_register, accounted, street_h, period_h) -> None:
    header = [street_h, period_h, "事项编号", "完成率", "佐证", "说明"]
    rows = [["玉林街道", "2019Q2", "A1", "90%", "台账", "按期"], ["簇桥", "2019Q2", "A1", 0.5, None, None]]
    df = performance(parsed := read_with_register(xlsx("c.xlsx", xlsx.Sheet("履职情况", [header, *rows]))))
    assert list(df["street"]) == ["玉林街道", "簇桥街道"]
    assert list(df["completion"]) == pytest.approx([0.9, 0.5])
    assert df["evidence"].iloc[0] == "台账" and df["note"].iloc[0] == "按期"
    accounted(parsed)


def test_full_template_columns_of_performance(xlsx, read_with_register, accounted) -> None:
    header = [
        "街道(镇)",
        "报告期",
        "事项编号",
        "事项名称",
        "目标值",
        "完成值",
        "完成率",
        "完成状态",
        "是否按时",
        "佐证材料",
        "备注",
    ]
    row = ["玉林街道", "2019Q2", "A1", "社区党组织建设", 4, 3, "75%", "进行中", "√", "会议记录", "见附件"]
    df = performance(parsed := read_with_register(xlsx("full.xlsx", xlsx.Sheet("履职情况", [header, row]))))
    got = df.iloc[0]
    assert (got["target"], got["actual"], got["completion"], got["status"]) == (4, 3, 0.75, "进行中")
    assert got["on_time"] and got["evidence"] == "会议记录" and got["note"] == "见附件"
    accounted(parsed)


# ---- values


def test_percent_forms_and_a_percent_formatted_cell(xlsx, read_with_register, accounted) -> None:
    rows = [[f"P{i}", v] for i, v in enumerate(["85%", 85, 0.85, "８５％", "0.85", 1.05, "105%"])]
    sheet = xlsx.Sheet(
        "履职情况",
        [["填报单位：玉林街道 报告期：2019Q2"], ["事项编号", "完成率"], *rows],
        formats={"B8": "0%", "B5": "0%"},  # 1.05 shows as 105%, 0.85 as 85%
    )
    df = performance(parsed := read_with_register(xlsx("pct.xlsx", sheet)))
    assert list(df["completion"]) == pytest.approx([0.85, 0.85, 0.85, 0.85, 0.85, 1.05, 1.05])
    accounted(parsed)


def test_yes_no_forms(xlsx, read_with_register, accounted) -> None:
    answers = ["是", "否", "√", "×", "Y", "N", "y", "n", None]
    rows = [[f"Y{i}", "已完成", a] for i, a in enumerate(answers)]
    sheet = xlsx.Sheet("履职情况", [["填报单位：玉林街道 报告期：2019Q2"], ["事项编号", "完成状态", "是否按时"], *rows])
    df = performance(parsed := read_with_register(xlsx("yn.xlsx", sheet)))
    assert df["on_time"].tolist()[:8] == [True, False, True, False, True, False, True, False]
    assert pd.isna(df["on_time"].iloc[8])
    assert str(df["on_time"].dtype) == "boolean"
    accounted(parsed)


@pytest.mark.parametrize(
    ("written", "period"),
    [
        ("2019Q2", "2019Q2"),
        ("2019-Q2", "2019Q2"),
        ("2019年第二季度", "2019Q2"),
        ("2019年二季度", "2019Q2"),
        ("2019年6月", "2019Q2"),
        ("2020年11月", "2020Q4"),
        (dt.datetime(2019, 9, 30), "2019Q3"),
    ],
)
def test_every_period_form_in_a_column_and_in_a_title_line(xlsx, read_with_register, written, period) -> None:
    column = xlsx.Sheet("履职情况", [["街道", "报告期", "事项编号", "完成率"], ["玉林", written, "A1", "80%"]])
    assert set(performance(read_with_register(xlsx("col.xlsx", column)))["period"]) == {period}
    if isinstance(written, str):
        title = xlsx.Sheet("履职情况", [[f"填报单位：玉林 报告期：{written}"], ["事项编号", "完成率"], ["A1", "80%"]])
        assert set(performance(read_with_register(xlsx("title.xlsx", title)))["period"]) == {period}


@pytest.mark.parametrize(
    ("written", "district", "canonical"),
    [
        ("玉林", "武侯区", "玉林街道"),
        ("玉林街道", "武侯区", "玉林街道"),
        ("玉林街道办事处", "武侯区", "玉林街道"),
        ("白鹿", "彭州市", "白鹿镇"),
        ("白鹿镇", "彭州市", "白鹿镇"),
        ("白鹿镇人民政府", "彭州市", "白鹿镇"),
        ("白鹿镇政府", "彭州市", "白鹿镇"),
    ],
)
def test_street_suffixes(xlsx, read_with_register, written, district, canonical) -> None:
    sheet = xlsx.Sheet("履职情况", [["街道(镇)", "报告期", "事项编号", "完成率"], [written, "2019Q2", "A1", 1]])
    df = performance(read_with_register(xlsx("s.xlsx", sheet)))
    assert (df["district"].iloc[0], df["street"].iloc[0]) == (district, canonical)


def test_street_suffix_in_a_title_line_with_the_district(xlsx, read_with_register) -> None:
    sheet = perf_sheet(xlsx, "区(市)县：彭州  填报单位：白鹿镇人民政府  报告期：2020年第一季度")
    df = performance(read_with_register(xlsx("白鹿.xlsx", sheet)))
    assert set(zip(df["district"], df["street"], df["period"], strict=True)) == {("彭州市", "白鹿镇", "2020Q1")}


# ---- footer, blank and note rows


FOOTERS = [
    "合计",
    "小计",
    "总计",
    "填表人：张三",
    "填报人：李四",
    "审核人：王五",
    "负责人：赵六",
    "注：本表季度末报送",
    "说明：完成率按季度计",
    "备注：无",
]


@pytest.mark.parametrize("footer", FOOTERS)
def test_footer_row_anywhere_is_skipped_reported_and_reading_goes_on(
    xlsx, read_with_register, accounted, footer
) -> None:
    rows = [
        ["填报单位：玉林街道 报告期：2019Q2"],
        ["事项编号", "目标值", "完成值", "完成率"],
        ["A1", 10, 5, None],
        [footer, 10, 5, "50%"],  # a 合计 row carries sums: still not data
        ["A2", None, None, "90%"],
        [None, footer],  # first non-empty cell, not first cell
        ["A3", None, None, "70%"],
        [footer],
    ]
    parsed = read_with_register(xlsx("f.xlsx", xlsx.Sheet("履职情况", rows)))
    df = performance(parsed)
    assert list(df["item_code"]) == ["A1", "A2", "A3"]
    skipped = {f.cell for f in parsed.findings if f.code == "footer"}
    assert skipped == {"4", "6", "8"}
    assert all(f.sheet == "履职情况" and f.file == "f.xlsx" and f.zh and f.en for f in parsed.findings)
    assert parsed.rows_skipped == 3
    accounted(parsed)


def test_all_footers_at_the_end_as_in_a_real_form(xlsx, read_with_register, accounted) -> None:
    rows = [perf_row for perf_row in ROWS] + [[None]] + [[f] for f in FOOTERS]
    sheet = xlsx.Sheet("履职情况", [[TITLE], ["填报单位：玉林街道 报告期：2019Q2"], HEADER, *rows], merges=["A1:G1"])
    parsed = read_with_register(xlsx("end.xlsx", sheet))
    assert len(performance(parsed)) == 3
    assert len([f for f in parsed.findings if f.code == "footer"]) == len(FOOTERS)
    assert parsed.rows_skipped == len(FOOTERS) + 1
    accounted(parsed)


def test_blank_rows_between_blocks_and_a_block_title_line(xlsx, read_with_register, accounted) -> None:
    rows = [
        [TITLE],
        ["报告期：2019年第二季度"],
        ["街道", "事项编号", "完成率"],
        ["玉林", "A1", "80%"],
        ["玉林", "A2", "60%"],
        [],
        [],
        ["簇桥街道", "A1", "70%"],
        [],
        ["报告期：2019年第三季度"],  # a block title line: applies to the rows beneath it
        ["簇桥街道", "A1", "75%"],
    ]
    parsed = read_with_register(xlsx("blocks.xlsx", xlsx.Sheet("履职情况", rows, merges=["A1:C1"])))
    df = performance(parsed)
    assert list(zip(df["street"], df["period"], df["completion"], strict=True)) == [
        ("玉林街道", "2019Q2", 0.8),
        ("玉林街道", "2019Q2", 0.6),
        ("簇桥街道", "2019Q2", 0.7),
        ("簇桥街道", "2019Q3", 0.75),
    ]
    blank = next(f for f in parsed.findings if f.code == "blank")
    assert "3 blank rows" in blank.en and "6, 7, 9" in blank.en
    accounted(parsed)


def test_a_row_without_any_result_is_skipped_with_a_warning(xlsx, read_with_register, accounted) -> None:
    rows = [
        ["填报单位：玉林 报告期：2019Q2"],
        ["事项编号", "事项名称", "目标值", "完成值"],
        ["A0", "w", None, None],
        ["A1", "x", 5, 5],
        ["A2", "y", 5, None],
    ]
    parsed = read_with_register(xlsx("r.xlsx", xlsx.Sheet("履职情况", rows)))
    df = performance(parsed)
    assert list(df["item_code"]) == ["A1"] and list(df["source_row"]) == [4]
    warn = [f for f in parsed.findings if f.code == "no_result"]
    assert [f.cell for f in warn] == ["3", "5"] and warn[0].level == "warning"
    accounted(parsed)


# ---- consolidated district workbook


def test_consolidated_district_workbook_with_many_streets(xlsx, read_with_register, accounted) -> None:
    streets = ["玉林街道", "红牌楼", "簇桥街道办事处", "天彭", "白鹿镇人民政府", "军乐镇", "十陵街道", "临邛"]
    expected = ["玉林街道", "红牌楼街道", "簇桥街道", "天彭街道", "白鹿镇", "军乐镇", "十陵街道", "临邛街道"]
    districts = ["武侯区"] * 3 + ["彭州市"] * 3 + ["龙泉驿区", "邛崃市"]
    rows = [[s, "2019年第二季度", f"C{i:02d}", 0.5 + i / 20] for s in streets for i in range(5)]
    sheet = xlsx.Sheet(
        "履职情况汇总表", [["成都市街道履职情况汇总"], ["街道(镇)", "报告期", "事项编号", "完成率"], *rows]
    )
    parsed = read_with_register(xlsx("汇总.xlsx", sheet))
    df = performance(parsed)
    assert len(df) == 40
    got = df.drop_duplicates("street")[["district", "street"]]
    assert list(got["street"]) == expected
    assert list(got["district"]) == districts
    assert df.groupby("street")["item_code"].nunique().eq(5).all()
    accounted(parsed)


def test_district_column_given_in_a_consolidated_workbook(xlsx, read_with_register) -> None:
    rows = [
        ["区县", "街道", "报告期", "事项编号", "完成率"],
        ["彭州", "天彭", "2019Q1", "X1", 1],
        ["武侯", "玉林", "2019Q1", "X1", 1],
    ]
    df = performance(read_with_register(xlsx("d.xlsx", xlsx.Sheet("履职情况", rows))))
    assert list(df["district"]) == ["彭州市", "武侯区"]


# ---- sheet names


@pytest.mark.parametrize("name", ["履职情况", "履职情况表", "2019Q2履职情况", "玉林街道履职情况（二季度）"])
def test_performance_sheet_name_with_extra_words(xlsx, read_with_register, name: str) -> None:
    parsed = read_with_register(xlsx("n.xlsx", perf_sheet(xlsx, name=name)))
    assert len(performance(parsed)) == 3


def test_longest_sheet_name_wins_and_unknown_sheets_are_reported(xlsx, read_with_register, accounted) -> None:
    service_list = xlsx.Sheet(
        "便民服务清单",
        [["区(市)县：武侯区 年度：2019年"], ["事项编号", "职能板块", "事项名称"], ["S1", "公共服务", "居住证办理"]],
    )
    service_figures = xlsx.Sheet(
        "便民服务",
        [
            ["街道", "报告期", "办件量", "网上办理量", "一次办结量", "不见面审批量", "群众满意度(%)"],
            ["玉林", "2019Q2", 1200, 800, 1100, 300, "96%"],
        ],
    )
    notes = xlsx.Sheet("填表说明", [["本表由街道办事处填报"]])  # instructions: known, never read, not reported
    chart = xlsx.Sheet("统计图", [["本表由街道办事处填报"]])
    duty_list = xlsx.Sheet(
        "职责任务清单",
        [["区(市)县：武侯区 年度：2019年"], ["事项编号", "职能板块", "事项名称"], ["D1", "社区发展", "社区党组织建设"]],
    )
    parsed = read_with_register(xlsx("svc.xlsx", duty_list, service_list, service_figures, notes, chart))
    assert parsed.ok, [f.text() for f in parsed.errors]
    items, service = parsed.tables["list_items"], parsed.tables["service"]
    assert (items["list_type"].iloc[1], items["item_code"].iloc[1]) == ("service", "S1")
    row = service.iloc[0]
    assert (row["street"], row["cases"], row["online_cases"], row["satisfaction"]) == ("玉林街道", 1200, 800, 0.96)
    assert [f.sheet for f in parsed.findings if f.code == "unknown_sheet"] == ["统计图"]
    accounted(parsed)


# ---- duty lists

LIST_HEADER = ["事项编号", "职能板块", "大项", "事项名称", "责任科室", "权重", "来源部门", "准入审批", "财权同步下放"]


def list_sheet(xlsx, name: str, prefix: str, title: str = "区(市)县：武侯区    年度：2019年", weight: bool = True):
    header = LIST_HEADER if weight else [h for h in LIST_HEADER if h != "权重"]
    rows = [
        [f"{prefix}01", "统筹社区发展", "社区建设", "社区党组织建设", "党群办公室", 2, "区委组织部", "是", "是"],
        [f"{prefix}02", "优化营商环境", "营商服务", "企业开办帮办", "社区发展办公室", 1.5, "区市场监管局", "√", "×"],
        [f"{prefix}03", "招商引资", "经济", "招商引资任务", "综合办公室", 1, "区投促局", "否", "否"],
    ]
    if not weight:
        rows = [r[:5] + r[6:] for r in rows]
    return xlsx.Sheet(name, [["武侯区街道职责任务清单"], [title], header, *rows], merges=["A1:I1"])


def test_duty_lists_in_three_sheets(xlsx, read_with_register, accounted) -> None:
    path = xlsx(
        "武侯区_2019_清单.xlsx",
        list_sheet(xlsx, "2019年职责任务清单", "ZZ"),
        list_sheet(xlsx, "便民服务清单", "BM"),
        list_sheet(xlsx, "执法监管清单", "ZF"),
    )
    parsed = read_with_register(path)
    assert parsed.ok, [f.text() for f in parsed.errors]
    items = parsed.tables["list_items"]
    assert items.groupby("list_type")["item_code"].apply(list).to_dict() == {
        "duty": ["ZZ01", "ZZ02", "ZZ03"],
        "enforcement": ["ZF01", "ZF02", "ZF03"],
        "service": ["BM01", "BM02", "BM03"],
    }
    assert set(items["district"]) == {"武侯区"} and set(items["year"]) == {2019}
    duty = items[items["list_type"] == "duty"].set_index("item_code")
    assert list(duty["function"]) == ["community_development", "business_environment", "investment_attraction"]
    assert list(duty["weight"]) == [2.0, 1.5, 1.0]
    assert list(duty["access_approved"]) == [True, True, False]
    assert list(duty["funds_matched"]) == [True, False, False]
    assert duty.loc["ZZ01", "office"] == "党群办公室" and duty.loc["ZZ02", "source_department"] == "区市场监管局"
    accounted(parsed)


@pytest.mark.parametrize("sheet_name", ["三张清单", "清单", "职责任务清单"])
def test_duty_lists_in_one_sheet_with_list_category(xlsx, read_with_register, accounted, sheet_name) -> None:
    header = ["清单类别", "编号", "职能", "事项名称"]
    rows = [
        ["职责任务", "D1", "社区平安", "矛盾纠纷调解"],
        ["职责任务清单", "D2", "综合管理", "市容秩序"],
        ["便民服务", "S1", "公共服务", "社保卡办理"],
        ["执法监管", "E1", "综合管理", "占道经营查处"],
    ]
    sheet = xlsx.Sheet(sheet_name, [["区县：彭州市 年度：2020"], header, *rows])
    parsed = read_with_register(xlsx("one.xlsx", sheet))
    assert parsed.ok, [f.text() for f in parsed.errors]
    items = parsed.tables["list_items"]
    assert list(items["list_type"]) == ["duty", "duty", "service", "enforcement"]
    assert set(items["year"]) == {2020} and set(items["district"]) == {"彭州市"}
    assert list(items["function"]) == [
        "community_safety",
        "comprehensive_management",
        "public_services",
        "comprehensive_management",
    ]
    accounted(parsed)


def test_weight_absent_is_one_and_list_short_forms(xlsx, read_with_register, accounted) -> None:
    header = [
        "事项代码",
        "所属职能",
        "事项大类",
        "小项",
        "牵头科室",
        "下放部门",
        "是否经准入审批",
        "经费同步下放",
        "分值",
    ]
    rows = [
        ["L1", "社区发展", "大项一", "小项一", "民生服务办公室", "区民政局", "是", "否", None],
        ["L2", "板块外", "x", "y", None, None, None, None, 3],
    ]
    rows[1][1] = "维护社区平安"
    sheet = xlsx.Sheet("职责任务清单", [["所属区县：龙泉驿区"], ["清单年度：2019年度"], header, *rows])
    parsed = read_with_register(xlsx("lq.xlsx", sheet))
    items = parsed.tables["list_items"]
    assert parsed.ok, [f.text() for f in parsed.errors]
    assert list(items["weight"]) == [1.0, 3.0]
    assert list(items["major_item"]) == ["大项一", "x"] and list(items["item_name"]) == ["小项一", "y"]
    assert items["office"].iloc[0] == "民生服务办公室" and items["source_department"].iloc[0] == "区民政局"
    assert (items["access_approved"].iloc[0], items["funds_matched"].iloc[0]) == (True, False)
    assert set(items["district"]) == {"龙泉驿区"} and set(items["year"]) == {2019}
    accounted(parsed)


def test_list_without_weight_column(xlsx, read_with_register) -> None:
    parsed = read_with_register(xlsx("nw.xlsx", list_sheet(xlsx, "职责任务清单", "N", weight=False)))
    assert list(parsed.tables["list_items"]["weight"]) == [1.0, 1.0, 1.0]


# ---- register


def test_two_column_register_and_a_report_resolved_against_it(xlsx, read_many) -> None:
    reg = xlsx(
        "名册.xlsx", xlsx.Sheet("街道名册", [["区县", "街道"], ["青羊区", "少城街道"], ["青羊区", "草市街街道"]])
    )
    one = read_file(reg)
    assert one.ok
    assert list(one.tables["register"]["street"]) == ["少城街道", "草市街街道"]
    assert one.tables["register"]["street_type"].isna().all()
    report = xlsx(
        "少城.xlsx", xlsx.Sheet("履职情况", [["填报单位：少城 报告期：2019Q1"], ["编号", "完成率"], ["Q1", "50%"]])
    )
    result = read_many(reg, report)
    assert result.ok, [f.text() for f in result.findings if f.level == "error"]
    assert list(result.dataset.performance["street"]) == ["少城街道"]
    assert list(result.dataset.performance["district"]) == ["青羊区"]
    # The new register replaces only its own district: the fixture's streets are still known.
    assert {"玉林街道", "少城街道"} <= set(result.dataset.register["street"])


@pytest.mark.parametrize(
    "header",
    [
        ["区(市)县", "街道(镇)", "类型", "常住人口", "试点"],
        ["区（市）县", "街道（镇）", "街道类型", "人口", "是否试点"],
        ["所属区县", "街镇", "类型", "人口", "试点"],
    ],
)
def test_register_header_forms(xlsx, accounted, header) -> None:
    rows = [["彭州市", "丹景山镇", "镇", "32,000", "√"], ["彭州市", "三界镇", "涉农", 18000, "×"]]
    parsed = read_file(xlsx("reg.xlsx", xlsx.Sheet("街道名册", [header, *rows])))
    reg = parsed.tables["register"]
    assert list(reg["street"]) == ["丹景山镇", "三界镇"]
    assert list(reg["street_type"]) == ["镇", "涉农街道"]
    assert list(reg["population"]) == [32000, 18000] and str(reg["population"].dtype) == "Int64"
    assert list(reg["pilot"]) == [True, False]
    accounted(parsed)


# ---- 清单外事项 and dates


def test_unlisted_tasks_with_every_date_form(xlsx, read_with_register, accounted) -> None:
    header = ["事项名称", "交办部门", "交办日期", "经准入审批", "经费同步下放", "耗用工作日"]
    dates = [dt.datetime(2019, 8, 2), "2019-08-02", "2019/8/2", "2019年8月2日", "八月初"]
    rows = [[f"临时任务{i}", "区住建局", d, "否", "否", 3] for i, d in enumerate(dates)]
    sheet = xlsx.Sheet("清单外事项", [["填报单位：玉林街道 报告期：2019年第三季度"], header, *rows])
    parsed = read_with_register(xlsx("unlisted.xlsx", sheet))
    assert parsed.ok, [f.text() for f in parsed.errors]
    df = parsed.tables["unlisted"]
    assert len(df) == 5
    assert list(df["assigned_date"].iloc[:4]) == [pd.Timestamp(2019, 8, 2)] * 4
    assert pd.isna(df["assigned_date"].iloc[4])
    warn = [f for f in parsed.findings if f.code == "bad_assigned_date"]
    assert [(f.level, f.cell) for f in warn] == [("warning", "C7")]
    assert "八月初" in warn[0].zh and "八月初" in warn[0].en
    assert set(df["period"]) == {"2019Q3"} and not df["access_approved"].any()
    assert list(df["workdays"]) == [3.0] * 5
    accounted(parsed)


def test_a_whole_submission_read_together(xlsx, read_many) -> None:
    lists = xlsx("清单.xlsx", list_sheet(xlsx, "职责任务清单", "WH-0"))
    reports = [
        xlsx(f"{s}.xlsx", perf_sheet(xlsx, f"填报单位：{s}  报告期：2019年二季度")) for s in ("玉林", "红牌楼", "簇桥")
    ]
    result = read_many(lists, *reports)
    assert result.ok, [f.text() for f in result.findings if f.level == "error"]
    ds = result.dataset
    assert len(ds.list_items) == 3 and len(ds.performance) == 9
    assert sorted(ds.performance["street"].unique()) == sorted(["玉林街道", "红牌楼街道", "簇桥街道"])
    for parsed in result.files:
        assert parsed.rows_read == parsed.rows_used + parsed.rows_skipped


# ---- what officers also do (found while testing)


def test_title_values_as_number_and_date_cells_beside_their_names(xlsx, read_with_register, accounted) -> None:
    lists = xlsx.Sheet(
        "职责任务清单", [["区县：", "武侯区", "年度：", 2019], ["编号", "职能", "事项名称"], ["A1", "社区发展", "x"]]
    )
    items = read_with_register(xlsx("l.xlsx", lists)).tables["list_items"]
    assert list(items["year"]) == [2019]
    report = xlsx.Sheet(
        "履职情况",
        [["报告期：", dt.datetime(2019, 6, 30), "填报单位：", "玉林"], ["编号", "完成率"], ["A1", "50%"]],
    )
    df = performance(parsed := read_with_register(xlsx("p.xlsx", report)))
    assert list(df["period"]) == ["2019Q2"]
    accounted(parsed)


def test_merged_note_rows_are_skipped_and_reported(xlsx, read_with_register, accounted) -> None:
    rows = [
        ["填报单位：玉林 报告期：2019Q2"],
        ["事项编号", "目标值", "完成值", "完成率"],
        ["A1", 4, 2, None],
        ["以上数据截至季度末，由街道党工委审定"],
        ["A2", None, None, "100%"],
        ["填报说明：完成率保留两位小数"],
    ]
    sheet = xlsx.Sheet("履职情况", rows, merges=["A4:D4", "A6:D6"])
    parsed = read_with_register(xlsx("note.xlsx", sheet))
    assert list(performance(parsed)["item_code"]) == ["A1", "A2"]
    assert {(f.code, f.cell) for f in parsed.findings if f.level == "skipped"} == {("note", "4"), ("footer", "6")}
    accounted(parsed)


def test_merged_block_title_line_between_blocks(xlsx, read_with_register, accounted) -> None:
    rows = [
        ["报告期：2019Q1"],
        ["街道", "事项编号", "完成率"],
        ["玉林", "A1", "80%"],
        ["报告期：2019Q2"],
        ["玉林", "A1", "90%"],
    ]
    parsed = read_with_register(xlsx("m.xlsx", xlsx.Sheet("履职情况", rows, merges=["A4:C4"])))
    df = performance(parsed)
    assert list(zip(df["period"], df["completion"], strict=True)) == [("2019Q1", 0.8), ("2019Q2", 0.9)]
    assert [f.cell for f in parsed.findings if f.code == "title_line"] == ["4"]
    accounted(parsed)


def test_vertically_merged_function_cells_in_a_list(xlsx, read_with_register) -> None:
    rows = [
        ["区(市)县：邛崃市 年度：2019"],
        ["事项编号", "职能板块", "事项名称"],
        ["Q1", "组织公共服务", "养老服务"],
        ["Q2", None, "就业服务"],
        ["Q3", "维护社区平安", "安全生产"],
    ]
    sheet = xlsx.Sheet("职责任务清单", rows, merges=["B3:B4"])
    items = read_with_register(xlsx("v.xlsx", sheet)).tables["list_items"]
    assert list(items["function"]) == ["public_services", "public_services", "community_safety"]


def test_title_name_with_a_bracketed_remark(xlsx, read_with_register) -> None:
    sheet = perf_sheet(xlsx, "填报单位（盖章）：玉林街道    报告期：2019年第二季度")
    assert set(performance(read_with_register(xlsx("seal.xlsx", sheet)))["street"]) == {"玉林街道"}


def test_empty_list_category_on_a_named_list_sheet_is_that_list(xlsx, read_with_register) -> None:
    rows = [
        ["区县：武侯区 年度：2019"],
        ["清单类别", "编号", "职能", "事项名称"],
        [None, "D1", "社区发展", "x"],
        ["执法监管", "E1", "综合管理", "y"],
    ]
    items = read_with_register(xlsx("l.xlsx", xlsx.Sheet("职责任务清单", rows))).tables["list_items"]
    assert list(items["list_type"]) == ["duty", "enforcement"]


# ---- any layout: every row is used or reported


ROW_KINDS = st.lists(
    st.one_of(
        st.just(("data",)),
        st.just(("blank",)),
        st.tuples(st.just("footer"), st.sampled_from(FOOTERS)),
        st.tuples(st.just("note"), st.sampled_from(["以上数据截至季度末", "本表由街道党工委审定后报送"])),
        st.tuples(st.just("title"), st.sampled_from(["2019Q1", "2019年第三季度", "2020年6月"])),
    ),
    min_size=1,
    max_size=25,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(kinds=ROW_KINDS, title_rows=st.integers(0, 3))
def test_any_layout_reads_every_data_row_and_reports_every_other(xlsx, register, accounted, kinds, title_rows) -> None:
    rows: list[list] = [["履职情况季度报表"]] * title_rows + [
        ["填报单位：玉林街道 报告期：2019Q2"],
        ["事项编号", "完成率"],
    ]
    merges, expected, period = [], [], "2019Q2"
    for kind in kinds:
        r = len(rows) + 1
        if kind[0] == "data":
            code = f"C{len(expected):02d}"
            expected.append((code, period, r))
            rows.append([code, f"{len(expected)}%"])
        elif kind[0] == "blank":
            rows.append([])
        elif kind[0] == "note":
            rows.append([kind[1], kind[1]])
            merges.append(f"A{r}:B{r}")
        elif kind[0] == "title":
            period = v.parse_period(kind[1])
            rows.append([f"报告期：{kind[1]}"])
        else:
            rows.append([kind[1]])
    parsed = read_file(xlsx("any.xlsx", xlsx.Sheet("履职情况", rows, merges=merges)), register)
    assert parsed.ok, [f.text() for f in parsed.errors]
    df = parsed.tables["performance"]
    assert list(zip(df["item_code"], df["period"], df["source_row"], strict=True)) == expected
    accounted(parsed)
    reported = {f.cell for f in parsed.findings if f.level == "skipped" and f.code != "blank"}
    others = {
        str(i + 1) for i, row in enumerate(rows) if i >= title_rows + 2 and row and not str(row[0]).startswith("C")
    }
    assert reported == others


def test_percent_sign_without_brackets_in_headers(xlsx, read_with_register) -> None:
    sheet = xlsx.Sheet("履职情况", [["填报单位：玉林 报告期：2019Q2"], ["事项编号", "完成率%"], ["A1", 85]])
    parsed = read_with_register(xlsx("p.xlsx", sheet))
    assert list(performance(parsed)["completion"]) == [0.85]


def test_service_and_unlisted_headers_with_units_and_hints(xlsx, read_with_register, accounted) -> None:
    service = xlsx.Sheet(
        "便民服务情况",
        [
            ["填报单位：白鹿镇 报告期：2019年第四季度"],
            ["办件量（件）", "网上办理量（件）", "一次办结量", "不见面审批量", "群众满意度 (%)"],
            [320, 120, 300, 40, 98.5],
        ],
    )
    unlisted = xlsx.Sheet(
        "清单外事项（2019年四季度）",
        [
            ["填报单位：白鹿镇 报告期：2019年第四季度"],
            ["事项内容", "交办部门", "交办日期", "经准入审批（是/否）", "经费同步下放（是/否）", "耗用工作日（天）"],
            ["秸秆禁烧巡查", "区农业农村局", "2019年11月3日", "否", "否", 6.5],
        ],
    )
    parsed = read_with_register(xlsx("白鹿.xlsx", service, unlisted))
    assert parsed.ok, [f.text() for f in parsed.errors]
    svc, task = parsed.tables["service"].iloc[0], parsed.tables["unlisted"].iloc[0]
    assert (svc["district"], svc["street"], svc["period"]) == ("彭州市", "白鹿镇", "2019Q4")
    assert (svc["cases"], svc["online_cases"], svc["one_visit_cases"], svc["no_visit_approvals"]) == (320, 120, 300, 40)
    assert svc["satisfaction"] == pytest.approx(0.985)
    assert (task["task_name"], task["assigning_department"], task["workdays"]) == ("秸秆禁烧巡查", "区农业农村局", 6.5)
    assert task["assigned_date"] == pd.Timestamp(2019, 11, 3)
    assert not task["access_approved"] and not task["funds_matched"]
    accounted(parsed)


def test_reading_in_worker_processes_gives_the_same_dataset(xlsx, register_path) -> None:
    from loaders import read_files

    paths = [register_path] + [
        xlsx(f"{s}_{q}.xlsx", perf_sheet(xlsx, f"填报单位：{s} 报告期：2019Q{q}"))
        for s in ("玉林", "簇桥", "天彭")
        for q in (1, 2)
    ]
    one, many = read_files(paths, workers=1), read_files(paths, workers=2)
    assert one.ok and many.ok
    for name in ("register", "performance"):
        pd.testing.assert_frame_equal(one.dataset.table(name), many.dataset.table(name))
    assert [p.findings for p in one.files] == [p.findings for p in many.files]
    assert len(many.dataset.performance) == 18


def test_pre_numbered_template_rows_left_empty(xlsx, read_with_register, accounted) -> None:
    rows = [
        ["填报单位：玉林 报告期：2019Q2"],
        ["序号", "事项编号", "事项名称", "完成率"],
        [1, "A1", "社区党组织建设", "90%"],
        [2, "A2", "老旧院落改造", "70%"],
        [3],
        [4],
        [5, None, None, None, "（本行备用）"],
    ]
    parsed = read_with_register(xlsx("template.xlsx", xlsx.Sheet("履职情况", rows)))
    assert list(performance(parsed)["item_code"]) == ["A1", "A2"]
    assert [f.cell for f in parsed.findings if f.code == "no_known_values"] == ["5", "6", "7"]
    # 序号 is on nearly every form and means nothing to any table: known, ignored, not warned about.
    assert [f.cell for f in parsed.findings if f.code == "unknown_column"] == []
    accounted(parsed)


def test_register_population_that_is_not_a_whole_number_is_a_warning(xlsx) -> None:
    rows = [["区县", "街道", "常住人口"], ["武侯区", "玉林街道", 52000], ["武侯区", "簇锦街道", 123.5]]
    parsed = read_file(xlsx("reg.xlsx", xlsx.Sheet("街道名册", rows)))
    assert parsed.ok
    assert list(parsed.tables["register"]["population"].astype("object")) == [52000, pd.NA]
    assert [(f.level, f.cell) for f in parsed.findings if f.code == "bad_population"] == [("warning", "C3")]


def test_many_rows_without_result_are_counted_even_beyond_the_listed_ones(xlsx, read_with_register, accounted) -> None:
    rows = [[f"A{i:02d}", "x", None] for i in range(45)] + [["B1", "y", "80%"]]
    sheet = xlsx.Sheet("履职情况", [["填报单位：玉林 报告期：2019Q2"], ["事项编号", "事项名称", "完成率"], *rows])
    parsed = read_with_register(xlsx("many.xlsx", sheet))
    assert list(performance(parsed)["item_code"]) == ["B1"]
    warnings = [f for f in parsed.findings if f.code == "no_result"]
    assert len(warnings) == 31 and "15 more" in warnings[-1].en
    assert parsed.rows_skipped == 45
    accounted(parsed)


def test_district_column_with_blank_cells_takes_the_register_district(xlsx, read_with_register, accounted) -> None:
    rows = [
        ["区县", "街道", "报告期", "编号", "完成率"],
        ["武侯区", "玉林", "2019Q2", "A", 1],
        [None, "天彭", "2019Q2", "A", 1],
        ["", "白鹿", "2019Q2", "B", 0.5],
    ]
    parsed = read_with_register(xlsx("d.xlsx", xlsx.Sheet("履职情况", rows)))
    df = performance(parsed)
    assert list(zip(df["district"], df["street"], strict=True)) == [
        ("武侯区", "玉林街道"),
        ("彭州市", "天彭街道"),
        ("彭州市", "白鹿镇"),
    ]
    accounted(parsed)


def test_list_district_written_short_is_the_register_spelling(xlsx, read_with_register) -> None:
    rows = [["区县：武侯    年度：2020年"], ["事项编号", "职能板块", "事项名称"], ["D1", "营商环境", "x"]]
    items = read_with_register(xlsx("l.xlsx", xlsx.Sheet("职责任务清单", rows))).tables["list_items"]
    assert (items["district"].iloc[0], items["year"].iloc[0], items["function"].iloc[0]) == (
        "武侯区",
        2020,
        "business_environment",
    )


def test_units_on_a_second_header_row(xlsx, read_with_register, accounted) -> None:
    rows = [
        ["填报单位：玉林街道 报告期：2019Q2"],
        ["事项编号", "事项名称", "目标值", "完成值", "完成率"],
        [None, None, "（件）", "（件）", "（%）"],
        ["A1", "社区党组织建设", 10, 8, None],
        ["A2", "老旧院落改造", None, None, 85],
    ]
    parsed = read_with_register(xlsx("units.xlsx", xlsx.Sheet("履职情况", rows, merges=["A2:A3", "B2:B3"])))
    df = performance(parsed)
    assert list(df["item_code"]) == ["A1", "A2"] and list(df["source_row"]) == [4, 5]
    assert (df["target"].iloc[0], df["actual"].iloc[0], df["completion"].iloc[1]) == (10, 8, 0.85)
    assert not [f for f in parsed.findings if f.level == "warning"]
    accounted(parsed)


def test_street_and_period_cells_merged_down_their_block(xlsx, read_with_register, accounted) -> None:
    rows = [
        ["街道(镇)", "报告期", "事项编号", "完成率"],
        ["玉林街道", "2019年第二季度", "A1", "90%"],
        [None, None, "A2", "80%"],
        ["簇桥街道", None, "A1", "70%"],
        [None, None, "A2", "60%"],
    ]
    sheet = xlsx.Sheet("履职情况", rows, merges=["A2:A3", "A4:A5", "B2:B5"])
    df = performance(parsed := read_with_register(xlsx("merged.xlsx", sheet)))
    assert list(zip(df["street"], df["period"], df["item_code"], strict=True)) == [
        ("玉林街道", "2019Q2", "A1"),
        ("玉林街道", "2019Q2", "A2"),
        ("簇桥街道", "2019Q2", "A1"),
        ("簇桥街道", "2019Q2", "A2"),
    ]
    accounted(parsed)


# ---- every header and short form of docs/FORMATS.md's tables, as written there (not read from the maps)

FORMATS_HEADERS = {
    "register": {
        "district": ["区(市)县", "区县", "区（市）县", "所属区县"],
        "street": ["街道(镇)", "街道", "街镇", "镇街", "街道（镇）", "填报单位"],
        "street_type": ["类型", "街道类型"],
        "population": ["常住人口", "人口"],
        "pilot": ["试点", "是否试点"],
    },
    "list_items": {
        "item_code": ["事项编号", "编号", "事项代码"],
        "function": ["职能板块", "职能", "板块", "所属职能"],
        "major_item": ["大项", "事项大类"],
        "item_name": ["事项名称", "小项", "职责事项", "事项内容"],
        "office": ["责任科室", "责任部门", "牵头科室"],
        "weight": ["权重", "分值", "权重分值"],
        "source_department": ["来源部门", "下放部门"],
        "access_approved": ["准入审批", "是否经准入审批"],
        "funds_matched": ["财权同步下放", "经费同步下放"],
        "list_type": ["清单类别"],
        "district": ["区(市)县"],
        "year": ["年度"],
    },
    "performance": {
        "street": ["街道(镇)", "街道", "街镇", "镇街", "街道（镇）", "填报单位"],
        "period": ["报告期", "考核期", "期间"],
        "item_code": ["事项编号", "编号", "事项代码"],
        "item_name": ["事项名称", "职责事项", "事项内容"],
        "target": ["目标值", "目标"],
        "actual": ["完成值", "实际完成"],
        "completion": ["完成率", "完成率(%)", "完成比例", "完成率\n(%)", "完成率（％）"],
        "status": ["完成状态", "进度"],
        "on_time": ["是否按时", "按时完成"],
        "evidence": ["佐证材料", "佐证"],
        "note": ["备注", "说明"],
    },
    "service": {
        "street": ["街道(镇)"],
        "period": ["报告期"],
        "cases": ["办件量"],
        "online_cases": ["网上办理量"],
        "one_visit_cases": ["一次办结量"],
        "no_visit_approvals": ["不见面审批量"],
        "satisfaction": ["群众满意度 (%)", "群众满意度"],
    },
    "unlisted": {
        "street": ["街道(镇)"],
        "period": ["报告期"],
        "task_name": ["事项名称"],
        "assigning_department": ["交办部门"],
        "assigned_date": ["交办日期"],
        "access_approved": ["经准入审批 (是/否)", "经准入审批"],
        "funds_matched": ["经费同步下放 (是/否)", "经费同步下放"],
        "workdays": ["耗用工作日"],
    },
}


@pytest.mark.parametrize(
    ("table", "key", "text"),
    [(t, k, h) for t, keys in FORMATS_HEADERS.items() for k, forms in keys.items() for h in forms],
)
def test_every_formats_md_header_form_is_recognised(table: str, key: str, text: str) -> None:
    from loaders.sheet import header_key
    from loaders.vocab import column_aliases

    assert header_key(text, column_aliases(table)) == key
    assert header_key(f" {text.replace('(', '（').replace(')', '）')}\n", column_aliases(table)) == key


def test_title_pair_far_to_the_right_of_the_title(xlsx, read_with_register, accounted) -> None:
    sheet = xlsx.Sheet(
        "履职情况",
        [[TITLE], [], HEADER, *ROWS],
        merges=["A1:E1"],
        cells={"A2": "填报单位：红牌楼街道", "G2": "报告期：2020年第一季度", "F1": "单位：件"},
    )
    df = performance(parsed := read_with_register(xlsx("right.xlsx", sheet)))
    assert set(zip(df["street"], df["period"], strict=True)) == {("红牌楼街道", "2020Q1")}
    accounted(parsed)


def test_usual_rows_told_at_once_read_as_row_by_row(xlsx, read_with_register, accounted, monkeypatch) -> None:
    # split_rows tells the usual data rows apart column-wise (sheet._unusual_rows); every other kind of row
    # between them must come out as the row-by-row checks say: the same findings, rows and title values.
    head = ["街道(镇)", "报告期", "事项编号", "完成状态"]
    rows = [
        ["填报单位：玉林街道 报告期：2019Q2"],
        head,
        ["玉林街道", "2019Q2", "A-01", "已完成"],
        ["", "", "", ""],
        ["玉林街道", "2019Q2", "A-02", "进行中"],
        ["以下为补报事项", "以下为补报事项", "以下为补报事项", "以下为补报事项"],  # a merged note
        ["红牌楼街道", "红牌楼街道", "A-03", "已完成"],  # k1 equal to the first cell: checked row by row
        head,  # repeated header
        ["报告期：2019Q3"],  # a block's title line: the rows below are 2019Q3
        ["玉林街道", "", "A-04", "已完成"],
        ["  ", "2019Q3", "A-05", "已完成"],  # first cell blank, the row is not
        ["玉林街道", "2019Q3", "A-06", "已完成"],
        ["合计", "", "", ""],
        [None, None, "序号", None],
        ["填表人：张三"],
    ]
    path = xlsx("r.xlsx", xlsx.Sheet("履职情况", rows))
    fast = read_with_register(path)
    from loaders import sheet

    monkeypatch.setattr(sheet, "_unusual_rows", lambda *args: None)  # every row checked one by one
    slow = read_with_register(path)
    assert fast.findings == slow.findings
    assert fast.tables["performance"].equals(slow.tables["performance"])
    assert fast.tables["performance"]["item_code"].tolist() == ["A-01", "A-02", "A-03", "A-04", "A-05", "A-06"]
    assert {"note", "repeated_header", "title_line", "footer", "blank"} <= {f.code for f in fast.findings}
    accounted(fast)
