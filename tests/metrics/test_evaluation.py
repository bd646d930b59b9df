"""The Evaluation bundle: stable names and columns, cheap filters that agree with plain filtering."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest
from metrics_test_data import dataset, item, row

from metrics import Evaluation, evaluate
from metrics.burden import BURDEN_DEPARTMENT_COLUMNS, BURDEN_STREET_COLUMNS
from metrics.evaluation import SCORES_COLUMNS
from metrics.funds import FUNDS_COLUMNS
from metrics.list_changes import LIST_CHANGE_COLUMNS
from metrics.score import ITEM_COLUMNS, SCORE_COLUMNS
from metrics.service import SERVICE_COLUMNS

STREETS = ("玉林街道", "簇桥街道")


@pytest.fixture(scope="module")
def ev() -> Evaluation:
    items = [item("A1"), item("A2", "community_safety", weight=2), item("E1", "tax_assistance")]
    items += [item("A1", year=2020), item("A3", year=2020)]
    perf = [row("A1", completion=0.5), row("A2", status="已完成"), row("X1", item_name="创卫")]
    perf += [row("A1", "簇桥街道", completion=1.0), row("A1", period="2019Q3", completion=0.9)]
    perf += [row("A3", period="2020Q1", completion=0.4)]
    svc = [{"street": "玉林街道", "period": "2019Q2", "cases": 10, "online_cases": 4}]
    tasks = [{"street": "簇桥街道", "period": "2019Q3", "assigning_department": "区城管局", "workdays": 2}]
    return evaluate(dataset(items, perf, streets=STREETS, service=svc, unlisted=tasks))


def test_names_and_columns(ev):
    assert list(ev.scores.columns) == SCORES_COLUMNS
    assert SCORES_COLUMNS[: len(SCORE_COLUMNS)] == SCORE_COLUMNS
    assert list(ev.items.columns) == ITEM_COLUMNS
    assert list(ev.service.columns) == SERVICE_COLUMNS
    assert list(ev.burden_by_street.columns) == BURDEN_STREET_COLUMNS
    assert list(ev.burden_by_department.columns) == BURDEN_DEPARTMENT_COLUMNS
    assert list(ev.funds.columns) == FUNDS_COLUMNS
    assert list(ev.list_changes.columns) == LIST_CHANGE_COLUMNS
    assert ev.periods == ("2019Q2", "2019Q3", "2020Q1")
    assert ev.districts == ("武侯区",)
    assert ev.grades == ("优秀", "良好", "合格", "不合格")
    assert list(ev.streets["street"]) == ["玉林街道", "簇桥街道"]
    assert ev.list_years.to_dict("records") == [
        {"district": "武侯区", "year": 2019, "items": 3},
        {"district": "武侯区", "year": 2020, "items": 2},
    ]


def test_frozen(ev):
    with pytest.raises(dataclasses.FrozenInstanceError):
        ev.scores = pd.DataFrame()


def test_items_for_equals_plain_filter(ev):
    for (d, s, p), _ in ev.scores.groupby(["district", "street", "period"]):
        fast = ev.items_for(d, s, p)
        mask = ev.items["district"].eq(d) & ev.items["street"].eq(s) & ev.items["period"].eq(p)
        pd.testing.assert_frame_equal(fast, ev.items.loc[mask])
    assert ev.items_for("武侯区", "无此街道", "2019Q2").empty
    # 玉林 2019Q2: A1 scored, A2 scored, E1 removed, X1 unlisted — sorted by item code
    got = ev.items_for("武侯区", "玉林街道", "2019Q2")
    assert got["item_code"].tolist() == ["A1", "A2", "E1", "X1"]
    assert got["category"].tolist() == ["scored", "scored", "removed", "unlisted"]


def test_scores_for_and_history(ev):
    q2 = ev.scores_for(period="2019Q2")
    assert set(q2["street"]) == set(STREETS)
    # 玉林 2019Q2: A1 (w1, 0.5), A2 (w2, 1) → 100 · 2.5 / 3 = 83.33
    assert q2.set_index("street").loc["玉林街道", "overall"] == pytest.approx(250 / 3)
    assert ev.scores_for(district="别的区").empty
    hist = ev.street_history("武侯区", "玉林街道")
    assert hist["period"].tolist() == ["2019Q2", "2019Q3", "2020Q1"]
    # 2019Q3: A1 0.9, A2 missing → 100 · 0.9 / 3 = 30; change vs 2019Q2 = 30 − 83.33
    assert hist["change_prev_quarter"].iloc[1] == pytest.approx(30 - 250 / 3)


def test_indicators_merged_into_scores(ev):
    s = ev.scores.set_index(["street", "period"])
    assert s.loc[("玉林街道", "2019Q2"), "online_rate"] == 0.4  # 4 / 10
    assert s.loc[("簇桥街道", "2019Q3"), "unlisted_workdays"] == 2.0
    assert s.loc[("玉林街道", "2019Q2"), "completeness"] == 1.0  # A1, A2 of 2 listed
    # 簇桥 2019Q2: A1 (w1, 1.0), A2 (w2, missing) → 100 · 1 / 3 = 33.33, so 玉林 (83.33) ranks first
    assert s.loc[("玉林街道", "2019Q2"), "rank_district"] == 1
    assert s.loc[("簇桥街道", "2019Q2"), "rank_district"] == 2
