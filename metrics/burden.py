"""Burden (基层减负) from 清单外事项: tasks pushed onto streets outside their list."""

from __future__ import annotations

import pandas as pd

from loaders.schema import Dataset
from metrics import shares
from metrics.keys import KEY
from metrics.validate import check_not_negative

NO_DEPARTMENT = "（未填交办部门）"
_FLAGS = [
    "unlisted_workdays",
    "tasks_not_approved",
    "approval_known",
    "share_not_approved",
    "tasks_without_funds",
    "funds_known",
    "share_without_funds",
]
BURDEN_STREET_COLUMNS: list[str] = [*KEY, "unlisted_tasks", *_FLAGS]
BURDEN_DEPARTMENT_COLUMNS: list[str] = [
    "district",
    "period",
    "assigning_department",
    "unlisted_tasks",
    "streets",
    *_FLAGS,
]


def _tasks(ds: Dataset) -> pd.DataFrame:
    un = ds.unlisted
    check_not_negative(un, ["workdays"], "清单外事项")
    approved = un["access_approved"].astype("boolean")
    funded = un["funds_matched"].astype("boolean")
    dept = un["assigning_department"].astype("string").fillna(NO_DEPARTMENT)
    return pd.DataFrame(
        {
            **{k: un[k].astype("string") for k in KEY},
            "assigning_department": dept,
            "unlisted_tasks": 1,
            "unlisted_workdays": un["workdays"].astype("float64").fillna(0.0),
            "tasks_not_approved": approved.eq(False).fillna(False).astype("int64"),
            "approval_known": approved.notna().astype("int64"),
            "tasks_without_funds": funded.eq(False).fillna(False).astype("int64"),
            "funds_known": funded.notna().astype("int64"),
        }
    )


BURDEN_SHARES = (
    ("share_not_approved", "tasks_not_approved", "approval_known"),
    ("share_without_funds", "tasks_without_funds", "funds_known"),
)


def add_shares(df: pd.DataFrame) -> pd.DataFrame:
    """Set share_not_approved and share_without_funds from the counts (NaN where nothing is known)."""
    return shares.add_shares(df, BURDEN_SHARES)


BURDEN_COUNTS: list[str] = [
    "unlisted_tasks",
    "unlisted_workdays",
    "tasks_not_approved",
    "approval_known",
    "tasks_without_funds",
    "funds_known",
]


def burden_by_street(ds: Dataset, keys: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per (district, street, period): tasks, workdays, and the shares not approved / without funds.

    With `keys` (district, street, period) every key gets a row, 0 tasks where none were reported.
    """
    agg = _tasks(ds).groupby(KEY, sort=False)[BURDEN_COUNTS].sum().reset_index()
    if keys is not None:
        agg = keys[KEY].astype("string").merge(agg, on=KEY, how="left")
        agg[BURDEN_COUNTS] = agg[BURDEN_COUNTS].fillna(0)
    agg = agg.astype({c: "int64" for c in BURDEN_COUNTS if c != "unlisted_workdays"})
    return add_shares(agg).sort_values(KEY, ignore_index=True)[BURDEN_STREET_COLUMNS]


def burden_by_department(ds: Dataset) -> pd.DataFrame:
    """Per (district, period, assigning department): tasks, streets reached, workdays, shares; most tasks first."""
    tasks = _tasks(ds)
    by = ["district", "period", "assigning_department"]
    agg = tasks.groupby(by, sort=False)[BURDEN_COUNTS].sum()
    agg["streets"] = tasks.groupby(by, sort=False)["street"].nunique()
    agg = add_shares(agg.reset_index())
    agg = agg.sort_values(["district", "period", "unlisted_tasks"], ascending=[True, True, False], ignore_index=True)
    return agg[BURDEN_DEPARTMENT_COLUMNS]
