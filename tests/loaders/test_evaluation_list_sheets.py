"""Several scored lists (issue 15): the 事务清单 declares a district's evaluation list, the 清单对照 sheet pairs its
items with the duty list's; both read with located errors, and reports are checked against the declared list."""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loaders.store import Store
from loaders.store_schema import SCHEMA_VERSION, store_meta

LIST_HEADER = ["事项编号", "职能板块", "事项名称", "权重"]
DUTY = [
    ["QL-001", "社区发展", "社区营造", 2],
    ["QL-002", "公共服务", "就业服务", 1],
    ["QL-003", "社区平安", "矛盾调解", 1],
]
AFFAIRS = [
    ["SW-001", "社区发展", "社区营造（日常）", 3],
    ["SW-002", "公共服务", "就业服务", 1],
    ["SW-009", "社区发展", "党建", 2],
]
TITLE = [["区(市)县：邛崃市"], ["年度：2019"]]


def _pairs(rows, header=("事务编码", "清单编码", "备注")):
    return [*TITLE, list(header), *rows]


def _list_book(xlsx, pairs=None, *, affairs=True, name="清单.xlsx", pair_rows=None):
    sheets = [xlsx.Sheet("职责任务清单", [*TITLE, LIST_HEADER, *DUTY])]
    if affairs:
        sheets.append(xlsx.Sheet("事务清单", [*TITLE, LIST_HEADER, *AFFAIRS]))
    if pairs is not None or pair_rows is not None:
        rows = pair_rows if pair_rows is not None else _pairs(pairs)
        sheets.append(xlsx.Sheet("清单对照", rows))
    return xlsx(name, *sheets)


GOOD = [["SW-001", "QL-001", None], ["SW-002", "QL-002", "合并"]]


def test_the_affairs_list_and_its_crosswalk_are_read(xlsx, read_many):
    result = read_many(_list_book(xlsx, GOOD))
    assert result.ok, [f.text() for f in result.findings]
    li = result.dataset.list_items
    assert sorted(li.loc[li["list_type"].eq("affairs"), "item_code"]) == ["SW-001", "SW-002", "SW-009"]
    cw = result.dataset.crosswalk
    assert list(zip(cw["affairs_code"], cw["duty_code"], strict=True)) == [("SW-001", "QL-001"), ("SW-002", "QL-002")]
    assert set(cw["district"]) == {"邛崃市"} and set(cw["year"]) == {2019} and cw["note"].iloc[1] == "合并"


def test_a_pair_given_twice_is_an_error_at_its_cell(xlsx, read_many):
    result = read_many(_list_book(xlsx, [*GOOD, ["SW-001", "QL-001", None]]))
    errors = [f for f in result.findings if f.level == "error"]
    assert not result.ok and errors[0].code == "duplicate_affairs_code"
    assert errors[0].location == "清单.xlsx › 清单对照!A6" and "对照关系重复" in errors[0].zh and errors[0].en


def test_a_crosswalk_without_its_duty_code_column_is_refused_naming_it(xlsx, read_many):
    result = read_many(_list_book(xlsx, pair_rows=[*TITLE, ["事务编码", "备注"], ["SW-001", "x"]]))
    errors = [f for f in result.findings if f.level == "error"]
    assert not result.ok and any("清单编码" in f.zh and "清单对照" in f.location for f in errors), errors


def test_an_empty_code_is_an_error_at_its_cell(xlsx, read_many):
    result = read_many(_list_book(xlsx, [*GOOD, ["SW-009", None, None]]))
    errors = [f for f in result.findings if f.level == "error"]
    assert [f.location for f in errors] == ["清单.xlsx › 清单对照!B6"] and "清单编码" in errors[0].zh


def test_an_unknown_district_is_an_error_at_its_cell(xlsx, read_many):
    rows = [["区(市)县", "年度", "事务编码", "清单编码"], ["邛睐市", 2019, "SW-001", "QL-001"]]
    result = read_many(_list_book(xlsx, pair_rows=rows))
    errors = [f for f in result.findings if f.level == "error" and f.sheet == "清单对照"]
    assert errors and errors[0].code == "unknown_district" and errors[0].cell == "A2"


def test_an_affairs_list_alone_is_refused_like_any_list_without_the_duty_list(xlsx, read_many):
    path = xlsx("事务.xlsx", xlsx.Sheet("事务清单", [*TITLE, LIST_HEADER, *AFFAIRS]))
    result = read_many(path)
    assert not result.ok and any(f.code == "no_duty_list" for f in result.findings)


def test_affairs_rows_in_a_single_category_sheet(xlsx, read_many):
    rows = [
        [*TITLE[0]],
        [*TITLE[1]],
        ["清单类别", *LIST_HEADER],
        *[["职责任务", *r] for r in DUTY],
        *[["事务", *r] for r in AFFAIRS],
    ]
    result = read_many(xlsx("三张清单.xlsx", xlsx.Sheet("三张清单", rows)))
    assert result.ok, [f.text() for f in result.findings]
    assert result.dataset.list_items["list_type"].value_counts().to_dict() == {"duty": 3, "affairs": 3}


def _report(xlsx, codes):
    rows = [["填报单位：临邛街道    报告期：2019Q2"], ["事项编号", "完成率"], *[[c, "80%"] for c in codes]]
    return xlsx("报表.xlsx", xlsx.Sheet("履职情况", rows))


def test_a_report_is_checked_against_the_declared_list(xlsx, read_many):
    on_affairs = read_many(_list_book(xlsx, GOOD), _report(xlsx, ["SW-001", "SW-002", "SW-009"]))
    assert on_affairs.ok, [f.text() for f in on_affairs.findings]
    on_duty = read_many(_list_book(xlsx, GOOD, name="b.xlsx"), _report(xlsx, ["QL-001", "QL-002", "QL-003"]))
    assert any(f.code == "codes_unmatched" for f in on_duty.findings)
    undeclared = read_many(_list_book(xlsx, None, affairs=False, name="c.xlsx"), _report(xlsx, ["QL-001", "QL-002"]))
    assert undeclared.ok, [f.text() for f in undeclared.findings]


HEADERS = st.tuples(
    st.sampled_from(["事务编码", "事务编号", "事务清单编码"]), st.sampled_from(["清单编码", "清单编号", "职责任务编号"])
)
CODES = st.lists(st.tuples(st.integers(1, 30), st.integers(1, 30)), min_size=1, max_size=12, unique=True)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(headers=HEADERS, pairs=CODES, blank_after=st.integers(0, 12))
def test_any_set_of_pairs_reads_back_in_any_accepted_header(xlsx, read_many, headers, pairs, blank_after):
    rows = [[f"SW-{a:03d}", f"QL-{d:03d}", None] for a, d in pairs]
    rows.insert(min(blank_after, len(rows)), [None, None, None])  # a blank row anywhere is read past
    result = read_many(_list_book(xlsx, pair_rows=_pairs(rows, (*headers, "说明"))))
    assert result.ok, [f.text() for f in result.findings]
    cw = result.dataset.crosswalk
    got = set(zip(cw["affairs_code"], cw["duty_code"], strict=True))
    assert got == {(f"SW-{a:03d}", f"QL-{d:03d}") for a, d in pairs}


def test_a_version_3_store_gains_the_crosswalk_table_on_opening(url, xlsx, read_many):
    ds_files = read_many(_list_book(xlsx, GOOD)).files
    with Store(url) as store:
        for parsed in ds_files[:1]:  # the register only
            store.ingest(parsed)
        before = store.fingerprint()
    with sa.create_engine(url).begin() as conn:  # as version 3 left it: no crosswalk table
        conn.execute(sa.text("DROP TABLE crosswalk"))
        conn.execute(store_meta.update().values(value="3"))
    with Store(url) as store:
        assert store.fingerprint() == before and store.load_dataset().crosswalk.empty
        store.ingest(ds_files[1])
        cw = store.load_dataset().crosswalk
        assert len(cw) == 2 and pd.api.types.is_string_dtype(cw["affairs_code"])
    with sa.create_engine(url).connect() as conn:
        assert conn.execute(sa.select(store_meta.c.value)).scalar() == str(SCHEMA_VERSION) == "6"
        assert "crosswalk" in sa.inspect(conn).get_table_names()


def test_a_code_the_workbooks_lists_lack_is_a_warning_at_its_cell(xlsx, read_many):
    result = read_many(_list_book(xlsx, [*GOOD, ["SW-077", "QL-003", None], ["SW-009", "QL-099", None]]))
    assert result.ok, [f.text() for f in result.findings]
    off = [f for f in result.findings if f.code == "crosswalk_code_off_list"]
    assert [f.location for f in off] == ["清单.xlsx › 清单对照!A6", "清单.xlsx › 清单对照!B7"]
    assert "SW-077" in off[0].zh and "事务清单" in off[0].zh and "affairs list" in off[0].en
    assert "QL-099" in off[1].zh and "职责任务清单" in off[1].zh


def test_the_report_template_lists_the_declared_list(xlsx, read_many):
    from loaders.template import list_in_force

    declared = read_many(_list_book(xlsx, GOOD)).dataset
    items, year = list_in_force(declared, "邛崃市", "2019Q2")
    assert year == 2019 and items["item_code"].tolist() == ["SW-001", "SW-002", "SW-009"]
    plain = read_many(_list_book(xlsx, None, affairs=False, name="d.xlsx")).dataset
    assert list_in_force(plain, "邛崃市", "2019Q2")[0]["item_code"].tolist() == ["QL-001", "QL-002", "QL-003"]
