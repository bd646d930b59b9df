"""事权财权匹配 with money and workdays, and the 准入 ledger (returned tasks, 非准禁入), on hand-built datasets."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from metrics_test_data import dataset, item

from metrics.access_ledger import ledger_by_department, no_entry_list
from metrics.config import ConfigError, load_config, parse_config
from metrics.fund_match import fund_match_by_department, fund_match_by_district

ITEMS = [
    item("A1", source_department="区民政局", funds_matched=True, funds_amount=20.0),
    item("A2", source_department="区民政局", funds_matched=False, funds_amount=0.0),
    item("A3", source_department="区民政局"),  # funds not stated
    item("A4", source_department="区城管局", funds_amount=5.0),  # an amount alone counts as funded
    item("A5"),  # not delegated
    item("E1", "investment_attraction", source_department="区投促局", funds_matched=True, funds_amount=99.0),
]


def task(period: str, dept: str | None, **kw) -> dict:
    return {"street": "玉林街道", "period": period, "assigning_department": dept, **kw}


TASKS = [
    task("2019Q2", "区民政局", funds_matched=True, funds_amount=1.5, workdays=3, access_approved=True),
    task("2019Q2", "区民政局", funds_matched=False, funds_amount=0.0, workdays=7, access_approved=False),
    task("2019Q3", "区城管局", workdays=2, access_approved=False, returned=True),
    task("2020Q1", "区城管局", workdays=4, access_approved=False, returned=False),
]


def test_fund_match_per_department_counts_items_money_and_workdays() -> None:
    out = fund_match_by_department(dataset(ITEMS, unlisted=TASKS)).set_index(["year", "department"])
    mz = out.loc[(2019, "区民政局")]
    assert (mz["delegated"], mz["delegated_with_funds"], mz["delegated_without_funds"]) == (3, 1, 1)
    assert mz["delegated_funds_unknown"] == 1 and mz["share_delegated_with_funds"] == 0.5
    assert (mz["list_funds_wan"], mz["task_funds_wan"], mz["funds_sent_wan"]) == (20.0, 1.5, 21.5)
    assert (mz["tasks"], mz["tasks_with_funds"], mz["task_workdays"], mz["unfunded_workdays"]) == (2, 1, 10.0, 7.0)
    assert mz["yuan_per_workday"] == pytest.approx(1.5e4 / 10)
    cg = out.loc[(2019, "区城管局")]
    assert (cg["delegated_with_funds"], cg["list_funds_wan"], cg["tasks"]) == (1, 5.0, 1)
    assert math.isnan(cg["task_funds_wan"]) and math.isnan(cg["yuan_per_workday"])  # no amount given: not 0
    assert "区投促局" not in out.index.get_level_values("department")  # removed indicator left out
    assert out.loc[(2020, "区城管局"), "delegated"] == 0  # the 2020 task; no 2020 list


def test_fund_match_per_district_pools_the_departments() -> None:
    by_dept = fund_match_by_department(dataset(ITEMS, unlisted=TASKS))
    d = fund_match_by_district(by_dept).set_index("year").loc[2019]
    assert (d["delegated"], d["delegated_with_funds"], d["tasks"], d["task_workdays"]) == (4, 2, 3, 12.0)
    assert d["share_delegated_with_funds"] == pytest.approx(2 / 3)
    assert d["funds_sent_wan"] == pytest.approx(26.5)


def test_negative_money_is_refused() -> None:
    with pytest.raises(ValueError, match="负数"):
        fund_match_by_department(dataset(unlisted=[task("2019Q2", "区民政局", funds_amount=-1.0)]))


def test_ledger_counts_returned_and_unapproved_per_department() -> None:
    tasks = [*TASKS, task("2019Q3", "区城管局", access_approved=True, access_ref="武府准〔2019〕3号", returned=False)]
    out = ledger_by_department(dataset(unlisted=tasks)).set_index(["period", "department"])
    q3 = out.loc[("2019Q3", "区城管局")]
    assert (q3["tasks"], q3["returned"], q3["returned_known"], q3["share_returned"]) == (2, 1, 2, 0.5)
    assert (q3["not_approved"], q3["with_ref"], q3["share_not_approved"]) == (1, 1, 0.5)
    assert math.isnan(out.loc[("2019Q2", "区民政局"), "share_returned"])  # nothing said about returning


def unapproved(dept: str, *periods: str) -> list[dict]:
    return [task(p, dept, access_approved=False) for p in periods]


def test_no_entry_needs_n_consecutive_quarters_across_years() -> None:
    tasks = unapproved("区城管局", "2019Q3", "2019Q4", "2020Q1", "2020Q2")
    tasks += unapproved("区民政局", "2019Q1", "2019Q2", "2019Q4", "2020Q1")  # a gap at 2019Q3
    tasks += [task("2019Q3", "区民政局", access_approved=True)]  # approved tasks break no run, make none
    ledger = ledger_by_department(dataset(unlisted=tasks))
    out = no_entry_list(ledger, parse_config({**_raw(), "access": {"no_entry_quarters": 3}}))
    assert out[["period", "department", "quarters", "since"]].values.tolist() == [
        ["2020Q1", "区城管局", 3, "2019Q3"],
        ["2020Q2", "区城管局", 4, "2019Q3"],
    ]
    two = no_entry_list(ledger, parse_config({**_raw(), "access": {"no_entry_quarters": 2}}))
    assert set(two.loc[two["department"].eq("区民政局"), "period"]) == {"2019Q2", "2020Q1"}


@settings(max_examples=40, deadline=None)
@given(st.lists(st.booleans(), min_size=1, max_size=10), st.integers(1, 5))
def test_no_entry_run_lengths_match_a_plain_count(flags: list[bool], need: int) -> None:
    quarters = [f"{2019 + k // 4}Q{k % 4 + 1}" for k in range(len(flags))]
    tasks = [task(q, "区城管局", access_approved=not bad) for q, bad in zip(quarters, flags, strict=True)]
    out = no_entry_list(
        ledger_by_department(dataset(unlisted=tasks)), parse_config({**_raw(), "access": {"no_entry_quarters": need}})
    )
    run, expected = 0, {}
    for q, bad in zip(quarters, flags, strict=True):
        run = run + 1 if bad else 0
        if run >= need:
            expected[q] = run
    assert dict(zip(out["period"], out["quarters"], strict=True)) == expected


@pytest.mark.parametrize("value", [0, -1, 2.5, "3", True, 41])
def test_no_entry_quarters_is_validated(value) -> None:
    with pytest.raises(ConfigError, match="no_entry_quarters"):
        parse_config({**_raw(), "access": {"no_entry_quarters": value}})
    with pytest.raises(ConfigError, match="access"):
        parse_config({**_raw(), "access": {"quarters": 3}})


def test_the_shipped_rules_set_three_quarters() -> None:
    assert load_config().no_entry_quarters == 3


def _raw() -> dict:
    import tomllib

    from metrics.config import DEFAULT_RULES

    with open(DEFAULT_RULES, "rb") as fh:
        return tomllib.load(fh)
