"""考核权 (issue 15 point 1): the streets' ratings of departments, their intervals and rank bands, the scorecard's
task and funds columns, and the 建议权 summary, on hand-built datasets."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from metrics_test_data import D, dataset, item

from loaders.schema import ADVICE, DEPT_RATINGS
from metrics import departments as dep
from metrics.evaluation import evaluate

STREETS = ("玉林街道", "红牌楼街道", "簇桥街道")


def rating(street: str, dept: str, scale: float, *scores, period: str = "2019Q2") -> dict:
    g, r, f, c = (*scores, None, None, None, None)[:4]
    return {
        "district": D,
        "street": street,
        "period": period,
        "department": dept,
        "scale": scale,
        "guidance": g,
        "responsiveness": r,
        "funding": f,
        "coordination": c,
    }


def with_ratings(rows: list[dict], **kw):
    ds = dataset(streets=STREETS, **kw)
    ds.dept_ratings = DEPT_RATINGS.conform(pd.DataFrame(rows))
    return ds


THREE = [
    rating("玉林街道", "区民政局", 5, 4, 5, 3, 4),  # 80, 100, 60, 80 → 80
    rating("红牌楼街道", "区民政局", 100, 100, 100, 100, 100),  # 百分制 → 100
    rating("簇桥街道", "区民政局", 5, 3, 4, None, 3),  # 60, 80, —, 60 → 66.67
]


def test_scores_are_put_on_0_100_by_their_full_mark_and_averaged_over_streets() -> None:
    out = dep.department_ratings(with_ratings(THREE)).iloc[0]
    assert out["n_streets"] == 3 and out["guidance"] == pytest.approx(80.0)
    assert out["funding"] == pytest.approx(80.0)  # the street that gave no 经费保障 score is left out of that mean
    streets = np.array([80.0, 100.0, 200 / 3])
    assert out["overall"] == pytest.approx(streets.mean())
    half = 2.920 * streets.std(ddof=1) / math.sqrt(3)
    assert out["low"] == pytest.approx(streets.mean() - half) and out["high"] == pytest.approx(
        min(100, streets.mean() + half)
    )
    assert out["enough"]


def test_fewer_than_three_streets_give_a_mean_but_no_interval_and_no_rank() -> None:
    ds = with_ratings(
        [*THREE, rating("玉林街道", "区城管局", 5, 5, 5, 5, 5), rating("簇桥街道", "区城管局", 5, 1, 1, 1, 1)]
    )
    ratings = dep.department_ratings(ds).set_index("department")
    assert ratings.loc["区城管局", "overall"] == pytest.approx(60.0) and not ratings.loc["区城管局", "enough"]
    assert math.isnan(ratings.loc["区城管局", "low"]) and math.isnan(ratings.loc["区城管局", "high"])
    ev = evaluate(ds)
    card = ev.departments.set_index("department")
    assert pd.isna(card.loc["区城管局", "rank"]) and card.loc["区民政局", "rank"] == 1
    assert card.loc["区民政局", "n_ranked"] == 1


def test_the_change_is_against_the_departments_previous_rated_quarter() -> None:
    later = [{**r, "period": "2019Q4", "guidance": 5 if r["scale"] == 5 else 100} for r in THREE]
    out = dep.department_ratings(with_ratings([*THREE, *later])).set_index("period")
    assert math.isnan(out.loc["2019Q2", "change_prev"])
    assert out.loc["2019Q4", "overall_prev"] == pytest.approx(out.loc["2019Q2", "overall"])
    assert out.loc["2019Q4", "change_prev"] == pytest.approx(
        out.loc["2019Q4", "overall"] - out.loc["2019Q2", "overall"]
    )
    assert out.loc["2019Q4", "change_prev"] > 0


def test_the_scorecard_sets_the_departments_tasks_and_funds_beside_its_rating() -> None:
    tasks = [
        {"street": "玉林街道", "period": "2019Q2", "assigning_department": "区民政局", "access_approved": False,
         "funds_matched": False, "workdays": 3, "returned": True},
        {"street": "簇桥街道", "period": "2019Q2", "assigning_department": "区民政局", "access_approved": True,
         "funds_matched": True, "workdays": 1, "returned": False},
        {"street": "簇桥街道", "period": "2019Q2", "assigning_department": "区住建局", "access_approved": False,
         "funds_matched": False, "workdays": 2},
    ]  # fmt: skip
    items = [
        item("A1", source_department="区民政局", funds_matched=True),
        item("A2", source_department="区民政局", funds_matched=False),
        item("A3", source_department="区民政局", funds_matched=False),
    ]
    ev = evaluate(with_ratings(THREE, items=items, unlisted=tasks))
    card = ev.departments.set_index("department")
    mz = card.loc["区民政局"]
    assert (mz["unlisted_tasks"], mz["unlisted_workdays"], mz["returned"]) == (2, 4.0, 1)
    assert mz["share_not_approved"] == 0.5 and mz["share_without_funds"] == 0.5 and mz["share_returned"] == 0.5
    assert mz["delegated"] == 3 and mz["share_delegated_with_funds"] == pytest.approx(1 / 3)
    zj = card.loc["区住建局"]  # assigns tasks, rated by no street: in the scorecard, without a rating or a rank
    assert zj["n_streets"] == 0 and math.isnan(zj["overall"]) and pd.isna(zj["rank"]) and zj["unlisted_tasks"] == 1
    assert ev.departments["district"].eq(D).all()


def test_a_department_clearly_above_the_others_has_a_band_of_one_rank() -> None:
    rows = [rating(s, "区民政局", 5, 5, 5, 5, 5) for s in STREETS]
    rows += [
        rating(s, d, 5, x, x, x, x)
        for d, xs in (("区城管局", (2, 3, 2)), ("区住建局", (3, 2, 2)))
        for s, x in zip(STREETS, xs, strict=True)
    ]
    card = evaluate(with_ratings(rows)).departments.set_index("department")
    assert (card.loc["区民政局", "rank"], card.loc["区民政局", "rank_best"], card.loc["区民政局", "rank_worst"]) == (
        1,
        1,
        1,
    )
    assert card.loc["区城管局", "rank_best"] == 2 and card.loc["区城管局", "rank_worst"] == 3  # not told apart


@settings(max_examples=25, deadline=None)
@given(st.lists(st.lists(st.integers(1, 5), min_size=3, max_size=6), min_size=1, max_size=6))
def test_every_rank_lies_in_its_band_and_the_bands_in_1_to_n(departments: list[list[int]]) -> None:
    streets = [f"街道{k}" for k in range(6)]
    rows = [
        {**rating(streets[k], f"部门{d}", 5, x, x, x, x)} for d, xs in enumerate(departments) for k, x in enumerate(xs)
    ]
    ds = with_ratings(rows)
    ratings = dep.department_ratings(ds)
    bands = dep.rank_bands(ratings)
    assert (bands["rank_best"] <= bands["rank"]).all() and (bands["rank"] <= bands["rank_worst"]).all()
    assert (bands["rank_best"] >= 1).all() and (bands["rank_worst"] <= len(departments)).all()
    assert ((ratings["low"] <= ratings["overall"] + 1e-9) & (ratings["overall"] <= ratings["high"] + 1e-9)).all()
    assert ratings["low"].ge(0).all() and ratings["high"].le(100).all()


def test_t_quantiles_fall_towards_the_normal_one() -> None:
    q = dep.t_quantile(np.array([1, 2, 10, 30, 31, 1000]))
    assert math.isnan(q[0]) and q[1] == 2.920 and q[2] == 1.812 and q[3] == 1.697
    assert 1.645 < q[5] < q[4] < q[3]


def test_the_advice_summary_counts_answers_and_leaves_unanswered_out_of_the_share() -> None:
    rows = [
        {"district": D, "street": "玉林街道", "decision": "规划甲", "adopted": "采纳"},
        {"district": D, "street": "簇桥街道", "decision": "规划甲", "adopted": "部分采纳"},
        {"district": D, "street": "簇桥街道", "decision": "规划乙", "adopted": "未采纳"},
        {"district": D, "street": "玉林街道", "decision": "规划丙", "adopted": None},
    ]
    ds = dataset(streets=STREETS)
    ds.advice = ADVICE.conform(pd.DataFrame(rows))
    ev = evaluate(ds)
    s = ev.advice_summary.iloc[0]
    assert (s["records"], s["n_adopted"], s["n_partly_adopted"], s["n_not_adopted"], s["n_unanswered"]) == (
        4,
        1,
        1,
        1,
        1,
    )
    assert s["share_adopted"] == pytest.approx(2 / 3) and len(ev.advice) == 4
