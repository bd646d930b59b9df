"""事权财权匹配 per district and per department: delegated list items with and without funds, money sent (下放经费,
万元) with list items and with unlisted tasks, against the workdays streets report on the department's tasks."""

from __future__ import annotations

import numpy as np
import pandas as pd

from loaders.schema import Dataset
from metrics.burden import NO_DEPARTMENT
from metrics.config import Config
from metrics.funds import NO_SOURCE, delegated_items
from metrics.validate import check_not_negative

_ITEM_SUMS = ["delegated", "delegated_with_funds", "delegated_without_funds", "delegated_funds_unknown"]
_TASK_SUMS = ["tasks", "tasks_with_funds", "task_workdays", "unfunded_workdays"]
_MONEY = ["list_funds_wan", "task_funds_wan"]  # NaN where no amount was given (not 0)
_RATIOS = ["funds_sent_wan", "share_delegated_with_funds", "yuan_per_workday"]
FUND_MATCH_COLUMNS: list[str] = ["district", "year", *_ITEM_SUMS, *_TASK_SUMS, *_MONEY, *_RATIOS]
FUND_MATCH_DEPARTMENT_COLUMNS: list[str] = ["district", "year", "department", *FUND_MATCH_COLUMNS[2:]]


def _items(ds: Dataset, config: Config | None) -> pd.DataFrame:
    """Delegated list items per (district, year, source department): with funds, without, unknown, and 万元 sent."""
    rows = delegated_items(ds, config)
    rows = rows.loc[rows["delegated"].eq(1).to_numpy(dtype=bool)]
    check_not_negative(rows, ["funds_amount"], "清单")
    funded = rows["funds_matched"].to_numpy(dtype=bool) | (rows["funds_amount"].fillna(0).to_numpy() > 0)
    known = rows["funds_known"].to_numpy(dtype=bool) | rows["funds_amount"].notna().to_numpy()
    out = pd.DataFrame(
        {
            "district": rows["district"].to_numpy(),
            "year": rows["year"].to_numpy(),
            "department": rows["source_department"].fillna(NO_SOURCE).to_numpy(),
            "delegated": 1,
            "delegated_with_funds": funded.astype("int64"),
            "delegated_without_funds": (known & ~funded).astype("int64"),
            "delegated_funds_unknown": (~known).astype("int64"),
            "list_funds_wan": rows["funds_amount"].to_numpy(),
        }
    )
    return _sum(out, _ITEM_SUMS, ["list_funds_wan"])


def _tasks(ds: Dataset) -> pd.DataFrame:
    """Unlisted tasks per (district, year, assigning department): funded or not, workdays, 万元 sent."""
    un = ds.unlisted
    check_not_negative(un, ["workdays", "funds_amount"], "清单外事项")
    amount = un["funds_amount"].astype("float64")
    funded = un["funds_matched"].astype("boolean").eq(True).fillna(False).to_numpy(dtype=bool) | (
        amount.fillna(0).to_numpy() > 0
    )
    workdays = un["workdays"].astype("float64").fillna(0.0).to_numpy()
    out = pd.DataFrame(
        {
            "district": un["district"].astype("string").to_numpy(),
            "year": pd.array(un["period"].astype("string").str.slice(0, 4).astype("Int64")),
            "department": un["assigning_department"].astype("string").fillna(NO_DEPARTMENT).to_numpy(),
            "tasks": 1,
            "tasks_with_funds": funded.astype("int64"),
            "task_workdays": workdays,
            "unfunded_workdays": np.where(funded, 0.0, workdays),
            "task_funds_wan": amount.to_numpy(),
        }
    )
    return _sum(out, _TASK_SUMS, ["task_funds_wan"])


def _sum(rows: pd.DataFrame, counts: list[str], money: list[str]) -> pd.DataFrame:
    by = ["district", "year", "department"]
    grouped = rows.groupby(by, sort=False, dropna=False)
    agg = grouped[counts].sum()
    agg[money] = grouped[money].sum(min_count=1)  # no amount given anywhere: NaN, not 0
    return agg.reset_index()


def _finish(df: pd.DataFrame) -> pd.DataFrame:
    """Fill absent counts with 0, then the money sent, the share with funds and 元 per reported workday."""
    counts = [*_ITEM_SUMS, *_TASK_SUMS]
    df[counts] = df[counts].fillna(0)
    df = df.astype({c: "int64" for c in counts if "workdays" not in c} | {c: "float64" for c in _MONEY})
    df["funds_sent_wan"] = df[_MONEY].sum(axis=1, min_count=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        known = (df["delegated"] - df["delegated_funds_unknown"]).to_numpy(dtype="float64")
        df["share_delegated_with_funds"] = np.where(known > 0, df["delegated_with_funds"] / known, np.nan)
        days = df["task_workdays"].to_numpy(dtype="float64")
        df["yuan_per_workday"] = np.where(days > 0, df["task_funds_wan"].to_numpy(dtype="float64") * 1e4 / days, np.nan)
    return df


def fund_match_by_department(ds: Dataset, config: Config | None = None) -> pd.DataFrame:
    """Per (district, year, department): delegated items with / without funds, 万元 sent, tasks and workdays.

    A department is the 来源部门 of list items and the 交办部门 of unlisted tasks (the same names in a district).
    An item or task counts as funded when 财权/经费同步下放 is 是 or a 下放经费 above 0 is given.
    """
    merged = _items(ds, config).merge(_tasks(ds), on=["district", "year", "department"], how="outer")
    out = _finish(merged).astype({"district": "string", "department": "string", "year": "Int64"})
    return out.sort_values(["district", "year", "department"], ignore_index=True)[FUND_MATCH_DEPARTMENT_COLUMNS]


def fund_match_by_district(by_department: pd.DataFrame) -> pd.DataFrame:
    """The department rows pooled per (district, year), shares and 元 per workday computed again from the sums."""
    if by_department.empty:
        return pd.DataFrame({c: pd.Series(dtype=by_department[c].dtype) for c in FUND_MATCH_COLUMNS})
    grouped = by_department.groupby(["district", "year"], sort=True)
    agg = grouped[[*_ITEM_SUMS, *_TASK_SUMS]].sum()
    agg[_MONEY] = grouped[_MONEY].sum(min_count=1)
    return _finish(agg.reset_index())[FUND_MATCH_COLUMNS]
