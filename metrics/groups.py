"""Aggregates over any group of scored streets the dashboard shows (a district, a street type, a period).

Every figure is a median or a sum of metrics' own per-street outputs, so a view that groups streets
differently from the Evaluation's district summary still shows numbers defined here, once.
"""

from __future__ import annotations

import pandas as pd

from metrics.burden import BURDEN_COUNTS, add_shares
from metrics.config import FUNCTIONS

SERVICE_RATES = ["online_rate", "one_visit_rate", "satisfaction"]


def group_medians(scores: pd.DataFrame, group: str) -> pd.DataFrame:
    """Median overall and function scores per group (named like the district summary's columns)."""
    cols = ["overall", *FUNCTIONS]
    out = scores.groupby(group, sort=False, observed=True)[cols].median().reset_index()
    return out.rename(columns={f: f"median_{f}" for f in FUNCTIONS} | {"overall": "median"})


def group_service(scores: pd.DataFrame, group: str) -> pd.DataFrame:
    """Median service rates per group."""
    return scores.groupby(group, sort=False, observed=True)[SERVICE_RATES].median().reset_index()


def group_burden(scores: pd.DataFrame, group: str) -> pd.DataFrame:
    """Unlisted tasks, streets and tasks per street in each group."""
    out = scores.groupby(group, sort=False, observed=True).agg(
        unlisted_tasks=("unlisted_tasks", "sum"), streets=("street", "size")
    )
    out["tasks_per_street"] = out["unlisted_tasks"] / out["streets"]
    return out.reset_index()


def pooled_burden(burden: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Burden counts summed per `by`, with the shares recomputed from the pooled counts (not averaged)."""
    if burden.empty:
        return pd.DataFrame(columns=[*by, *BURDEN_COUNTS, "share_not_approved", "share_without_funds"])
    out = add_shares(burden.groupby(by, sort=False, observed=True)[BURDEN_COUNTS].sum().reset_index())
    return out.sort_values(by[:1] if by[0] == "period" else "unlisted_tasks", ascending=by[0] == "period")
