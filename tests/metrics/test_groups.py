"""Aggregates over groups of scored streets: pooled shares come from pooled counts, medians per group."""

from __future__ import annotations

import math

import pandas as pd

from metrics.groups import group_burden, group_medians, pooled_burden


def test_pooled_burden_recomputes_shares_from_summed_counts() -> None:
    # Street A: 1 of 1 task not approved (100 %); street B: 0 of 3 (0 %). Pooled: 1 / 4 = 25 %, not the 50 % mean.
    rows = pd.DataFrame(
        {
            "district": ["甲区", "甲区"],
            "unlisted_tasks": [1, 3],
            "unlisted_workdays": [2.0, 6.0],
            "tasks_not_approved": [1, 0],
            "approval_known": [1, 3],
            "tasks_without_funds": [0, 0],
            "funds_known": [0, 0],
        }
    )
    out = pooled_burden(rows, ["district"])
    assert out["share_not_approved"].tolist() == [0.25]
    assert math.isnan(out["share_without_funds"].iloc[0])  # nothing known: no share, not 0
    assert out["unlisted_workdays"].tolist() == [8.0]


def test_group_medians_and_tasks_per_street() -> None:
    scores = pd.DataFrame(
        {
            "street_type": ["镇", "镇", "镇", "城区街道"],
            "street": ["a", "b", "c", "d"],
            "overall": [60.0, 70.0, 95.0, 80.0],
            "community_development": [1.0, 2.0, 3.0, 4.0],
            "public_services": [1.0, 2.0, 3.0, 4.0],
            "comprehensive_management": [1.0, 2.0, 3.0, 4.0],
            "business_environment": [1.0, 2.0, 3.0, 4.0],
            "community_safety": [1.0, 2.0, 3.0, 4.0],
            "unlisted_tasks": [1, 2, 6, 0],
        }
    )
    med = group_medians(scores, "street_type").set_index("street_type")
    assert med.loc["镇", "median"] == 70.0
    assert med.loc["城区街道", "median_community_safety"] == 4.0
    burden = group_burden(scores, "street_type").set_index("street_type")
    assert burden.loc["镇", "tasks_per_street"] == 3.0
