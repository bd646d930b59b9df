"""Issue 15's new columns: 下放经费(万元) on lists and 清单外事项, and the 准入 ledger (文号, 审批日期, 是否退回)."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import pytest
import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st

from loaders import ledger_values as lv
from loaders import read_files
from loaders.store import Store
from loaders.store_schema import SCHEMA_VERSION, store_meta
from loaders.values import BadValue, parse_date
from loaders.vocab import vocabulary

CJK = re.compile(r"[\u4e00-\u9fff]")
FILE = "玉林街道_2019Q2.xlsx"
TITLE = "填报单位：玉林街道    报告期：2019年第二季度"
HEADER = [
    "事项名称",
    "交办部门",
    "交办日期",
    "经准入审批",
    "准入文号",
    "审批日期",
    "下放经费(万元)",
    "是否退回",
    "耗用工作日",
]


def unlisted(xlsx, rows, header=HEADER):
    """A report with a 履职情况 sheet and a 清单外事项 sheet (title row 1, title line 2, header 3, data from 4)."""
    perf = xlsx.Sheet("履职情况", [[TITLE], ["事项编号", "事项名称", "完成率"], ["A1", "社区党组织建设", "85%"]])
    tasks = xlsx.Sheet("清单外事项", [["武侯区清单外事项统计表"], [TITLE], header, *rows])
    return xlsx(FILE, perf, tasks)


def located(parsed, level: str, cell: str, sheet: str = "清单外事项"):
    """The one finding of `level` at sheet!cell, worded in Chinese and English, naming the file."""
    found = [f for f in parsed.findings if f.level == level and f.sheet == sheet and f.cell == cell]
    assert len(found) == 1, [f.text() for f in parsed.findings if f.level in ("error", "warning")]
    f = found[0]
    assert f.file == parsed.name and f"{sheet}!{cell}" in f.location and parsed.name in f.location
    assert CJK.search(f.zh) and re.search(r"[a-z]{3}", f.en), f.text()
    return f


GOOD = ["协助开展专项检查", "区城管局", "2019-05-06", "是", "武府准(2019)12号", "2019/4/28", "3.5万元", "已承接", 2]


def test_the_ledger_columns_are_read_in_their_written_forms(xlsx, read_with_register) -> None:
    rows = [GOOD, ["代为收集企业信息", "区统计局", "2019-06-02", "否", None, None, 0, "已退回", 1]]
    parsed = read_with_register(unlisted(xlsx, rows))
    assert parsed.ok, [f.text() for f in parsed.errors]
    un = parsed.tables["unlisted"]
    assert un["access_ref"].tolist()[0] == "武府准〔2019〕12号" and pd.isna(un["access_ref"].iloc[1])
    assert un["approval_date"].iloc[0] == pd.Timestamp(2019, 4, 28) and pd.isna(un["approval_date"].iloc[1])
    assert un["funds_amount"].tolist() == [3.5, 0.0]
    assert un["returned"].tolist() == [False, True]


def test_short_header_forms_are_accepted(xlsx, read_with_register) -> None:
    header = ["事项名称", "交办部门", "审批文号", "批准日期", "下放资金", "退回"]
    parsed = read_with_register(
        unlisted(xlsx, [["协助检查", "区城管局", "武府准〔2019〕3号", "2019年4月2日", 8, "否"]], header)
    )
    un = parsed.tables["unlisted"]
    assert parsed.ok and un["access_ref"].iloc[0] == "武府准〔2019〕3号" and un["funds_amount"].iloc[0] == 8.0
    assert un["approval_date"].iloc[0] == pd.Timestamp(2019, 4, 2) and not un["returned"].iloc[0]


def test_negative_funds_are_an_error_at_the_cell(xlsx, read_with_register) -> None:
    parsed = read_with_register(unlisted(xlsx, [GOOD, [*GOOD[:6], -2, "否", 1]]))
    assert not parsed.ok
    f = located(parsed, "error", "G5")
    assert "负数" in f.zh and "negative" in f.en


def test_funds_that_are_no_amount_are_an_error_at_the_cell(xlsx, read_with_register) -> None:
    parsed = read_with_register(unlisted(xlsx, [[*GOOD[:6], "约五万元", "否", 1]]))
    f = located(parsed, "error", "G4")
    assert "约五万元" in f.zh and "amount" in f.en


def test_a_document_number_excel_made_a_date_is_a_warning_at_the_cell(xlsx, read_with_register) -> None:
    parsed = read_with_register(unlisted(xlsx, [[*GOOD[:4], dt.datetime(2019, 12, 1), *GOOD[5:]]]))
    assert parsed.ok  # optional column: the cell is read as empty, the file still goes in
    f = located(parsed, "warning", "E4")
    assert "文号" in f.zh and "date" in f.en
    assert pd.isna(parsed.tables["unlisted"]["access_ref"].iloc[0])


def test_an_unreadable_returned_flag_and_approval_date_are_warnings_at_their_cells(xlsx, read_with_register) -> None:
    parsed = read_with_register(unlisted(xlsx, [[*GOOD[:5], "四月底", GOOD[6], "不清楚", 2]]))
    assert parsed.ok
    assert "不清楚" in located(parsed, "warning", "H4").zh
    assert "四月底" in located(parsed, "warning", "F4").zh


def test_list_funds_are_read_and_a_negative_amount_is_an_error_at_the_cell(xlsx) -> None:
    rows = [
        ["区(市)县：武侯区    年度：2019"],
        ["事项编号", "职能板块", "事项名称", "来源部门", "财权同步下放", "下放经费(万元)"],
        ["A1", "社区发展", "社区营造", "区民政局", "是", "12.5"],
        ["A2", "公共服务", "就业服务", "区人社局", "否", 0],
        ["A3", "公共服务", "养老服务", None, None, None],
    ]
    good = read_files([xlsx("清单.xlsx", xlsx.Sheet("职责任务清单", rows))])
    assert good.ok
    amounts = good.dataset.list_items.set_index("item_code")["funds_amount"]
    assert amounts["A1"] == 12.5 and amounts["A2"] == 0 and pd.isna(amounts["A3"])
    bad = read_files(
        [xlsx("清单2.xlsx", xlsx.Sheet("职责任务清单", [*rows[:3], ["A2", "公共服务", "就业", "区人社局", "否", -1]]))]
    )
    errors = [f for f in bad.findings if f.level == "error"]
    assert not bad.ok and len(errors) == 1 and "职责任务清单!F4" in errors[0].location and "负数" in errors[0].zh


# ---- the parsers, as properties

AMOUNTS = st.decimals(min_value=0, max_value=100_000, places=2).map(float)


@settings(max_examples=60, deadline=None)
@given(AMOUNTS)
def test_funds_in_wan_read_the_same_in_every_written_form(x: float) -> None:
    assert lv.parse_funds_wan(x) == x
    for text in (f"{x}", f"{x}万元", f"{x}万", f" {x} 万元 ", f"{x * 10000:.0f}元"):
        assert lv.parse_funds_wan(text) == pytest.approx(x, abs=1e-6), text
    if x > 0:
        for text in (-x, f"-{x}万元", f"-{x}"):
            with pytest.raises(BadValue):
                lv.parse_funds_wan(text)


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from(["龙府准", "武府准", "邛府准", "彭府准", "区减负办准"]),
    st.integers(1990, 2099),
    st.integers(1, 999),
    st.sampled_from(["({})", "（{}）", "[{}]", "【{}】", "〔{}〕", "［{}］", "( {} )"]),
)
def test_document_numbers_read_the_year_brackets_as_printed(prefix: str, year: int, n: int, brackets: str) -> None:
    got = lv.parse_doc_ref(f" {prefix}{brackets.format(year)}{n}号 ")
    assert got == f"{prefix}〔{year}〕{n}号"
    assert lv.parse_doc_ref(got) == got  # idempotent


@settings(max_examples=30, deadline=None)
@given(st.one_of(st.integers(-(10**6), 10**6), st.floats(allow_nan=False, allow_infinity=False), st.dates()))
def test_numbers_and_dates_are_never_document_numbers(value: object) -> None:
    with pytest.raises(BadValue):
        lv.parse_doc_ref(value)


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(sorted({*vocabulary("returned"), *vocabulary("yesno")})), st.sampled_from(["", " ", "\u200b"]))
def test_every_returned_word_reads_as_a_flag(word: str, pad: str) -> None:
    expected = (vocabulary("returned") | vocabulary("yesno"))[word] == "true"
    assert lv.parse_returned(pad + word + pad) is expected


@settings(max_examples=40, deadline=None)
@given(st.text(alphabet="甲乙丙丁天地", min_size=1, max_size=4))
def test_other_words_are_not_a_returned_flag(word: str) -> None:
    with pytest.raises(BadValue):
        lv.parse_returned(word)


@settings(max_examples=40, deadline=None)
@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2099, 12, 31)))
def test_approval_dates_read_in_every_written_form(day: dt.date) -> None:
    want = dt.datetime(day.year, day.month, day.day)
    for form in (f"{day:%Y-%m-%d}", f"{day.year}/{day.month}/{day.day}", f"{day.year}年{day.month}月{day.day}日", day):
        assert parse_date(form) == want


# ---- the store


def test_a_version_2_store_gains_the_ledger_columns_in_place(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 's.sqlite'}"
    Store(url).engine.dispose()
    new = {"list_items": ("funds_amount",), "unlisted": ("access_ref", "approval_date", "funds_amount", "returned")}
    with sa.create_engine(url).begin() as conn:  # make it a version-2 store: without issue 15's columns
        for table, cols in new.items():
            for col in cols:
                conn.exec_driver_sql(f'ALTER TABLE "{table}" DROP COLUMN "{col}"')
        conn.execute(store_meta.update().values(value="2"))
    with Store(url) as store:
        assert "returned" in store.load_dataset().unlisted.columns
    with sa.create_engine(url).connect() as conn:
        inspector = sa.inspect(conn)
        for table, cols in new.items():
            assert set(cols) <= {c["name"] for c in inspector.get_columns(table)}
        version = conn.execute(sa.select(store_meta.c.value)).scalar()
    assert version == str(SCHEMA_VERSION) == "6"
