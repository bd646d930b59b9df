"""The indicators around the core score, each on a hand-computed example."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from metrics_test_data import dataset, item, one, row

from metrics import evaluate
from metrics.burden import NO_DEPARTMENT, burden_by_department, burden_by_street
from metrics.districts import district_summary
from metrics.funds import NO_SOURCE, duty_fund_matching, funds_by_department
from metrics.list_changes import all_list_changes, list_changes
from metrics.ranks import rank_scores, score_changes
from metrics.score import score_streets
from metrics.service import service_efficiency

STREETS = ("玉林街道", "簇桥街道", "华兴街道")


def test_reporting_completeness_and_on_time_rate():
    # 4 listed items; 3 reported → completeness 3/4 = 0.75.
    # on time: A1 yes, A2 no, A3 unknown → 1 of 2 known = 0.5 (A3 not in the denominator)
    ds = dataset(
        [item(f"A{i}") for i in range(1, 5)],
        [row("A1", completion=1, on_time=True), row("A2", completion=1, on_time=False), row("A3", completion=1)],
    )
    s = one(evaluate(ds).scores)
    assert s["completeness"] == 0.75
    assert (s["on_time_known"], s["on_time_count"], s["on_time_rate"]) == (2, 1, 0.5)


def test_on_time_of_removed_or_unlisted_rows_is_not_counted():
    ds = dataset(
        [item("A1"), item("E1", "investment_attraction")],
        [
            row("A1", completion=1, on_time=False),
            row("E1", completion=1, on_time=True),
            row("X1", on_time=True, status="已完成"),
        ],
    )
    s = one(evaluate(ds).scores)
    assert (s["on_time_known"], s["on_time_rate"]) == (1, 0.0)


def test_service_efficiency():
    # cases 200, online 150 → 0.75; one visit 180 → 0.9; no cases → rates NaN
    svc = [
        {"street": "玉林街道", "period": "2019Q2", "cases": 200, "online_cases": 150, "one_visit_cases": 180,
         "no_visit_approvals": 12, "satisfaction": 0.96},
        {"street": "簇桥街道", "period": "2019Q2", "cases": 0, "online_cases": 0},
    ]  # fmt: skip
    out = service_efficiency(dataset(service=svc, streets=STREETS)).set_index("street")
    assert out.loc["玉林街道", "online_rate"] == 0.75
    assert out.loc["玉林街道", "one_visit_rate"] == 0.9
    assert out.loc["玉林街道", "no_visit_approvals"] == 12
    assert math.isnan(out.loc["簇桥街道", "online_rate"])


def test_service_negative_and_repeated_refused():
    with pytest.raises(ValueError, match="负数"):
        service_efficiency(dataset(service=[{"street": "玉林街道", "period": "2019Q2", "cases": -1}]))
    twice = [{"street": "玉林街道", "period": "2019Q2", "cases": 1}] * 2
    with pytest.raises(ValueError, match="多行"):
        service_efficiency(dataset(service=twice))


TASKS = [
    # 玉林 2019Q2: 3 tasks, 2 + 3 + 5 = 10 workdays; approved: no, yes, unknown → 1 of 2 known not approved
    # funds: no, no, yes → 2 of 3 without funds
    {"street": "玉林街道", "period": "2019Q2", "assigning_department": "区住建局", "access_approved": False,
     "funds_matched": False, "workdays": 2},
    {"street": "玉林街道", "period": "2019Q2", "assigning_department": "区住建局", "access_approved": True,
     "funds_matched": False, "workdays": 3},
    {"street": "玉林街道", "period": "2019Q2", "assigning_department": None, "funds_matched": True, "workdays": 5},
    # 簇桥 2019Q2: 1 task from 区住建局
    {"street": "簇桥街道", "period": "2019Q2", "assigning_department": "区住建局", "access_approved": False,
     "funds_matched": False, "workdays": 1},
]  # fmt: skip


def test_burden_by_street():
    ds = dataset([item("A1")], [row("A1", completion=1)], streets=STREETS, unlisted=TASKS)
    out = burden_by_street(ds, score_streets(ds)).set_index("street")
    y = out.loc["玉林街道"]
    assert (y["unlisted_tasks"], y["unlisted_workdays"]) == (3, 10.0)
    assert (y["tasks_not_approved"], y["approval_known"], y["share_not_approved"]) == (1, 2, 0.5)
    assert (y["tasks_without_funds"], y["funds_known"]) == (2, 3)
    assert y["share_without_funds"] == pytest.approx(2 / 3)
    h = out.loc["华兴街道"]  # registered, no tasks: 0 tasks, shares NaN
    assert h["unlisted_tasks"] == 0 and math.isnan(h["share_not_approved"])


def test_burden_by_department_most_tasks_first():
    # 区住建局: 3 tasks (2 玉林 + 1 簇桥), 2 streets, 6 workdays, not approved 2 of 3; then the unnamed one
    out = burden_by_department(dataset(unlisted=TASKS, streets=STREETS))
    assert out["assigning_department"].tolist() == ["区住建局", NO_DEPARTMENT]
    top = out.iloc[0]
    assert (top["unlisted_tasks"], top["streets"], top["unlisted_workdays"]) == (3, 2, 6.0)
    assert top["share_not_approved"] == pytest.approx(2 / 3)


def test_burden_negative_workdays_refused():
    with pytest.raises(ValueError, match="负数"):
        burden_by_street(dataset(unlisted=[{"street": "玉林街道", "period": "2019Q2", "workdays": -2}]))


def test_duty_fund_matching():
    # Delegated (来源部门 or 准入审批 filled): A1 funds yes approved yes, A2 funds no approved yes,
    # A3 funds unknown approved no, A6 (no 来源部门) approved yes funds unknown.
    # A4 not delegated; E1 delegated but a removed indicator → left out.
    # funds matched 1 of 2 known = 0.5; approved 3 of 4 = 0.75
    items = [
        item("A1", source_department="区民政局", funds_matched=True, access_approved=True),
        item("A2", source_department="区民政局", funds_matched=False, access_approved=True),
        item("A3", source_department="区城管局", access_approved=False),
        item("A4"),
        item("A6", access_approved=True),
        item("E1", "investment_attraction", source_department="区投促局", funds_matched=False),
    ]
    f = duty_fund_matching(dataset(items)).iloc[0]
    assert (f["items"], f["delegated"], f["funds_matched"], f["funds_known"]) == (5, 4, 1, 2)
    assert f["share_funds_matched"] == 0.5
    assert (f["access_approved"], f["approval_known"], f["share_access_approved"]) == (3, 4, 0.75)
    by_dept = funds_by_department(dataset(items)).set_index("source_department")
    assert by_dept.loc["区民政局", "share_funds_matched"] == 0.5
    assert by_dept.loc[NO_SOURCE, "delegated"] == 1  # A6
    assert "区投促局" not in by_dept.index


def three_street_scores() -> pd.DataFrame:
    # 2019Q2: 玉林 100, 簇桥 50, 华兴 50 (ties share rank 2); 2019Q1: 玉林 80
    items = [item("A1"), item("A2")]
    perf = [row("A1", completion=1), row("A2", completion=1)]
    perf += [row("A1", "簇桥街道", completion=1), row("A1", "华兴街道", completion=1)]
    perf += [row("A1", period="2019Q1", completion=0.8), row("A2", period="2019Q1", completion=0.8)]
    perf += [row("A1", period="2018Q2", completion=0.5)]
    register = [{"street": "玉林街道", "street_type": "城区街道"}, {"street": "簇桥街道", "street_type": "涉农街道"}]
    register += [{"street": "华兴街道", "street_type": "城区街道"}]
    return score_streets(dataset([*items, item("A1", year=2018)], perf, register=register))


def test_ranks_ties_min_and_percentile_and_peer():
    r = rank_scores(three_street_scores()).set_index(["street", "period"])
    assert r.loc[("玉林街道", "2019Q2"), "rank_district"] == 1
    assert r.loc[("簇桥街道", "2019Q2"), "rank_city"] == 2 and r.loc[("华兴街道", "2019Q2"), "rank_city"] == 2
    assert r.loc[("玉林街道", "2019Q2"), "n_city"] == 3
    # percentile: share of streets at or below: 玉林 3/3 = 100, 簇桥 and 华兴 2/3 = 66.7
    assert r.loc[("玉林街道", "2019Q2"), "percentile_city"] == 100.0
    assert r.loc[("簇桥街道", "2019Q2"), "percentile_city"] == pytest.approx(200 / 3)
    # peers: 城区街道 玉林 (1) and 华兴 (2); 簇桥 alone among 涉农街道
    assert r.loc[("华兴街道", "2019Q2"), "rank_peer"] == 2 and r.loc[("华兴街道", "2019Q2"), "n_peer"] == 2
    assert r.loc[("簇桥街道", "2019Q2"), "rank_peer"] == 1 and r.loc[("簇桥街道", "2019Q2"), "peer_group"] == "涉农街道"


def test_changes_against_previous_quarter_and_year_before():
    c = score_changes(three_street_scores()).set_index(["street", "period"])
    y = c.loc[("玉林街道", "2019Q2")]
    assert y["overall_prev_quarter"] == 80.0 and y["change_prev_quarter"] == pytest.approx(20.0)  # 100 − 80
    assert y["overall_year_ago"] == 50.0 and y["change_year_ago"] == 50.0  # 2018Q2: (0.5 + 0) / 1 → 50
    assert math.isnan(c.loc[("玉林街道", "2019Q1"), "change_prev_quarter"])  # 2018Q4 not reported


def test_previous_quarter_crosses_the_year():
    perf = [row("A1", period="2019Q4", completion=0.5), row("A1", period="2020Q1", completion=0.75)]
    c = score_changes(score_streets(dataset([item("A1")], perf))).set_index("period")
    assert c.loc["2020Q1", "change_prev_quarter"] == 25.0


def test_list_changes_between_years():
    # 2019: A1 (w1, public), A2 (w1, public), A3 (w2, safety), A4 (absent weight = 1)
    # 2020: A1 same, A2 weight 3 (reweighted), A3 moved to comprehensive_management, A4 weight 1 (no change), A5 new
    items = [item("A1"), item("A2"), item("A3", "community_safety", weight=2), item("A4")]
    items += [
        item("A1", year=2020), item("A2", year=2020, weight=3),
        item("A3", "comprehensive_management", weight=2, year=2020), item("A4", weight=1, year=2020),
        item("A5", year=2020),
    ]  # fmt: skip
    items += [item("A9", year=2021)]  # 2021 keeps only A9: everything else dropped
    ds = dataset(items)
    ch = list_changes(ds.list_items, "武侯区", 2019, 2020).set_index("item_code")
    assert ch["change"].to_dict() == {"A2": "reweighted", "A3": "moved", "A5": "added"}
    assert (ch.loc["A2", "weight_from"], ch.loc["A2", "weight_to"]) == (1.0, 3.0)  # absent weight shown as 1
    assert ch.loc["A3", "function_to"] == "comprehensive_management"
    every = all_list_changes(ds.list_items)
    assert set(zip(every["year_from"], every["year_to"], strict=True)) == {(2019, 2020), (2020, 2021)}
    later = every.loc[every["year_from"].eq(2020)].set_index("item_code")["change"].to_dict()
    assert later == {"A1": "dropped", "A2": "dropped", "A3": "dropped", "A4": "dropped", "A5": "dropped", "A9": "added"}


def test_district_summary():
    # 2019Q2 scores 100, 50, 50: median 50, mean 66.67, q1 50, q3 75; grades 优秀 1, 不合格 2
    s = district_summary(three_street_scores()).set_index(["district", "period"]).loc[("武侯区", "2019Q2")]
    assert (s["n_streets"], s["n_scored"], s["median"], s["q1"], s["q3"]) == (3, 3, 50.0, 50.0, 75.0)
    assert s["mean"] == pytest.approx(200 / 3)
    assert (s["n_优秀"], s["n_良好"], s["n_不合格"]) == (1, 0, 2)
    assert s["share_不合格"] == pytest.approx(2 / 3)
    assert s["median_public_services"] == 50.0
