"""The ranking export's 事权财权匹配 and 准入台账 sheets (issue 15), read back with openpyxl."""

from __future__ import annotations

import pytest
from metrics_test_data import dataset, item
from test_export_common import assert_no_formulas, open_xlsx

from metrics import evaluate
from metrics.export import ranking

HOSTILE = '=HYPERLINK("http://x","区城管局")'


@pytest.fixture(scope="module")
def ev():
    items = [
        item("A1", source_department="区民政局", funds_matched=True, funds_amount=20.0),
        item("A2", source_department=HOSTILE, funds_matched=False, funds_amount=0.0),
        item("B1", district="彭州市", source_department="市民政局", funds_matched=True, funds_amount=7.0),
    ]
    perf = [{"street": "玉林街道", "period": p, "item_code": "A1", "completion": 1} for p in ("2019Q1", "2019Q2")]
    perf += [{"district": "彭州市", "street": "白鹿镇", "period": "2019Q2", "item_code": "B1", "completion": 1}]
    tasks = [
        {"street": "玉林街道", "period": p, "assigning_department": HOSTILE, "access_approved": False, "workdays": 2}
        for p in ("2019Q1", "2019Q2")
    ]
    tasks += [
        {"street": "玉林街道", "period": "2019Q2", "assigning_department": "区民政局", "access_approved": True,
         "access_ref": "武府准〔2019〕1号", "funds_amount": 3.0, "workdays": 6, "returned": False},
        {"district": "彭州市", "street": "白鹿镇", "period": "2019Q2", "assigning_department": "市民政局",
         "access_approved": False, "returned": True, "workdays": 1},
    ]  # fmt: skip
    register = [{"street": "玉林街道", "street_type": "城区街道"}]
    register += [{"district": "彭州市", "street": "白鹿镇", "street_type": "镇"}]
    ds = dataset(items, perf, unlisted=tasks, register=register)
    from metrics.config import load_config, parse_config

    raw = {**_raw(), "access": {"no_entry_quarters": 2}}
    assert load_config().no_entry_quarters == 3
    return evaluate(ds, parse_config(raw))


def _raw() -> dict:
    import tomllib

    from metrics.config import DEFAULT_RULES

    with open(DEFAULT_RULES, "rb") as fh:
        return tomllib.load(fh)


def rows_of(ws) -> list[list]:
    return [list(r) for r in ws.iter_rows(values_only=True)]


def find(rows: list[list], first: object, second: object) -> list:
    return next(r for r in rows if r[0] == first and r[1] == second)


def test_the_fund_sheet_has_the_district_and_department_figures(ev) -> None:
    wb = open_xlsx(ranking(ev, "2019Q2"))
    assert {"事权财权匹配", "准入台账"} <= set(wb.sheetnames)
    rows = rows_of(wb["事权财权匹配"])
    head = next(r for r in rows if r[0] == "区(市)县")
    assert head[:7] == ["区(市)县", "部门", "下放事项", "经费同步下放", "未下放经费", "未填经费", "经费匹配率"]
    total = find(rows, "武侯区", "（合计）")
    expected = ev.fund_match.set_index(["district", "year"]).loc[("武侯区", 2019)]
    assert total[2:5] == [expected["delegated"], expected["delegated_with_funds"], expected["delegated_without_funds"]]
    assert total[2:5] == [2, 1, 1] and total[6] == pytest.approx(0.5)
    mz = find(rows, "武侯区", "区民政局")
    col = head.index("每工作日经费(元)")
    assert mz[col] == pytest.approx(3.0 * 1e4 / 6) and mz[head.index("下放经费合计(万元)")] == pytest.approx(23.0)
    assert find(rows, "彭州市", "市民政局")[2] == 1
    assert_no_formulas(wb)  # the hostile department name stays text


def test_the_ledger_sheet_counts_returned_tasks_and_lists_no_entry_departments(ev) -> None:
    rows = rows_of(open_xlsx(ranking(ev, "2019Q2"))["准入台账"])
    head = next(r for r in rows if r[0] == "区(市)县")
    returned = find(rows, "彭州市", "市民政局")
    assert returned[head.index("街道退回")] == 1 and returned[head.index("退回比例")] == 1
    start = next(i for i, r in enumerate(rows) if r[0] == "非准禁入名单")
    listed = [r for r in rows[start + 2 :] if r[0]]
    assert [(r[0], r[1], r[2], r[3]) for r in listed] == [("武侯区", HOSTILE, 2, "2019Q1")]


def test_a_district_ranking_shows_only_that_districts_departments(ev) -> None:
    wb = open_xlsx(ranking(ev, "2019Q2", district="彭州市", lang="en"))
    assert {"Duties and funds", "Access ledger"} <= set(wb.sheetnames)
    text = " ".join(str(v) for name in ("Duties and funds", "Access ledger") for r in rows_of(wb[name]) for v in r)
    assert "市民政局" in text and "区民政局" not in text and "武侯区" not in text
