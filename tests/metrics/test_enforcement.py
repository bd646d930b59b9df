"""执法情况 against the 执法监管清单's targets (issue 15 point 3): rates, list in force, attainment, score."""

from __future__ import annotations

import math
from dataclasses import replace

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loaders.schema import ENFORCEMENT
from metrics.enforcement import ENFORCEMENT_COLUMNS, enforcement_scores
from metrics.evaluation import evaluate
from tests.metrics.metrics_test_data import D, dataset, item

FIGURES = {"cases": 40, "cases_on_time": 36, "corrections": 1, "joint_operations": 3, "officers": 8}


def _with_enforcement(ds, rows):
    frame = ENFORCEMENT.conform(pd.DataFrame([{"district": D, **r} for r in rows]))
    return replace(ds, enforcement=frame)


def _enf_items(year=2019, on_time=(0.95, None), ceiling=(0.05, None), weights=(1, 1)):
    return [
        item(f"ZF{year}{n}", "comprehensive_management", year=year, list_type="enforcement", weight=w,
             on_time_target=t, correction_ceiling=c)
        for n, (t, c, w) in enumerate(zip(on_time, ceiling, weights, strict=True))
    ]  # fmt: skip


def _base(items=()):
    return dataset(items=[item("A1"), *items], streets=("玉林街道", "簇桥街道"))


def test_rates_targets_and_score() -> None:
    ds = _with_enforcement(_base(_enf_items()), [{"street": "玉林街道", "period": "2019Q2", **FIGURES}])
    row = enforcement_scores(ds).iloc[0]
    assert row["on_time_rate"] == pytest.approx(0.9) and row["correction_rate"] == pytest.approx(0.025)
    assert row["cases_per_officer"] == pytest.approx(5.0)
    assert row["list_year"] == 2019
    # only the items stating a target make it: one item says 95 %, the other nothing
    assert row["on_time_target"] == pytest.approx(0.95) and row["correction_ceiling"] == pytest.approx(0.05)
    assert not row["on_time_met"] and row["correction_met"]
    assert row["on_time_attainment"] == pytest.approx(0.9 / 0.95)
    assert row["enforcement_score"] == pytest.approx(100 * (0.9 / 0.95 + 1) / 2)


def test_weighted_list_target_and_correction_over_ceiling() -> None:
    items = _enf_items(on_time=(0.9, 0.6), ceiling=(0.02, None), weights=(3, 1))
    figures = FIGURES | {"cases_on_time": 40, "corrections": 4}
    ds = _with_enforcement(_base(items), [{"street": "玉林街道", "period": "2019Q2", **figures}])
    row = enforcement_scores(ds).iloc[0]
    assert row["on_time_target"] == pytest.approx((3 * 0.9 + 0.6) / 4)
    assert row["on_time_attainment"] == 1.0 and row["on_time_met"]
    assert row["correction_attainment"] == pytest.approx(0.02 / 0.1) and not row["correction_met"]


def test_no_list_no_target_no_cases_give_no_score_not_zero() -> None:
    rows = [
        {"street": "玉林街道", "period": "2019Q2", **FIGURES},
        {"street": "簇桥街道", "period": "2019Q2", **FIGURES, "cases": 0, "cases_on_time": 0, "corrections": 0},
    ]
    no_list = enforcement_scores(_with_enforcement(_base(), rows))
    assert no_list["list_year"].isna().all() and no_list["enforcement_score"].isna().all()
    assert no_list["on_time_met"].isna().all()
    with_list = enforcement_scores(_with_enforcement(_base(_enf_items()), rows)).set_index("street")
    assert math.isnan(with_list.loc["簇桥街道", "on_time_rate"])
    assert math.isnan(with_list.loc["簇桥街道", "enforcement_score"])
    assert not math.isnan(with_list.loc["玉林街道", "enforcement_score"])


def test_an_earlier_years_list_is_in_force() -> None:
    items = [*_enf_items(2018, on_time=(0.8, None)), *_enf_items(2020, on_time=(0.99, None))]
    ds = _with_enforcement(_base(items), [{"street": "玉林街道", "period": "2019Q4", **FIGURES}])
    row = enforcement_scores(ds).iloc[0]
    assert row["list_year"] == 2018 and row["on_time_target"] == pytest.approx(0.8)


def test_duplicate_and_negative_figures_are_refused() -> None:
    row = {"street": "玉林街道", "period": "2019Q2", **FIGURES}
    with pytest.raises(ValueError, match="执法情况"):
        enforcement_scores(_with_enforcement(_base(), [row, row]))
    with pytest.raises(ValueError, match="执法情况"):
        enforcement_scores(_with_enforcement(_base(), [row | {"officers": -1}]))


def test_evaluation_carries_the_frame_with_a_district_column() -> None:
    ds = _with_enforcement(_base(_enf_items()), [{"street": "玉林街道", "period": "2019Q2", **FIGURES}])
    ev = evaluate(ds)
    assert list(ev.enforcement.columns) == ENFORCEMENT_COLUMNS
    assert ev.enforcement["district"].tolist() == [D]


@settings(max_examples=40, deadline=None)
@given(
    cases=st.integers(0, 500),
    on_time=st.integers(0, 500),
    corrections=st.integers(0, 500),
    target=st.one_of(st.none(), st.floats(0, 1)),
    ceiling=st.one_of(st.none(), st.floats(0, 1)),
)
def test_score_is_bounded_and_follows_the_targets(cases, on_time, corrections, target, ceiling) -> None:
    on_time, corrections = min(on_time, cases), min(corrections, cases)
    items = _enf_items(on_time=(target, None), ceiling=(ceiling, None))
    figures = FIGURES | {"cases": cases, "cases_on_time": on_time, "corrections": corrections}
    row = enforcement_scores(_with_enforcement(_base(items), [{"street": "玉林街道", "period": "2019Q2", **figures}]))
    score = row["enforcement_score"].iloc[0]
    if cases == 0 or (target is None and ceiling is None):
        assert math.isnan(score)
    else:
        attainments = [a for a in row[["on_time_attainment", "correction_attainment"]].iloc[0] if not math.isnan(a)]
        assert min(attainments) >= 0 and max(attainments) <= 1
        assert score == pytest.approx(100 * sum(attainments) / len(attainments))
        met = [m for m in (row["on_time_met"].iloc[0], row["correction_met"].iloc[0]) if m is not pd.NA]
        assert all(met) == (min(attainments) >= 1)
