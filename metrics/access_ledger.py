"""The 准入 ledger (issue 15): tasks streets returned (退回) per department, and the 非准禁入 list of departments
that pushed unapproved tasks onto streets quarter after quarter."""

from __future__ import annotations

import numpy as np
import pandas as pd

from loaders.schema import Dataset
from metrics.burden import NO_DEPARTMENT
from metrics.config import Config, load_config
from metrics.shares import add_shares

_COUNTS = ["tasks", "returned", "returned_known", "not_approved", "approval_known", "with_ref", "streets"]
LEDGER_COLUMNS: list[str] = [
    "district",
    "period",
    "department",
    *_COUNTS,
    "funds_wan",
    "share_returned",
    "share_not_approved",
]
NO_ENTRY_COLUMNS: list[str] = ["district", "period", "department", "quarters", "since", "not_approved_in_run"]


def _tasks(ds: Dataset) -> pd.DataFrame:
    un = ds.unlisted
    returned = un["returned"].astype("boolean")
    approved = un["access_approved"].astype("boolean")
    return pd.DataFrame(
        {
            "district": un["district"].astype("string"),
            "period": un["period"].astype("string"),
            "department": un["assigning_department"].astype("string").fillna(NO_DEPARTMENT),
            "street": un["street"].astype("string"),
            "tasks": 1,
            "returned": returned.eq(True).fillna(False).astype("int64"),
            "returned_known": returned.notna().astype("int64"),
            "not_approved": approved.eq(False).fillna(False).astype("int64"),
            "approval_known": approved.notna().astype("int64"),
            "with_ref": un["access_ref"].notna().astype("int64"),
            "funds_wan": un["funds_amount"].astype("float64"),
        }
    )


def ledger_by_department(ds: Dataset) -> pd.DataFrame:
    """Per (district, period, 交办部门): tasks, returned by streets, not approved, with a 准入文号, 万元 sent."""
    tasks = _tasks(ds)
    by = ["district", "period", "department"]
    grouped = tasks.groupby(by, sort=True)
    agg = grouped[[c for c in _COUNTS if c != "streets"]].sum()
    agg["streets"] = grouped["street"].nunique()
    agg["funds_wan"] = grouped["funds_wan"].sum(min_count=1)
    agg = add_shares(
        agg.reset_index(),
        (("share_returned", "returned", "returned_known"), ("share_not_approved", "not_approved", "approval_known")),
    )
    return agg.astype({c: "int64" for c in _COUNTS})[LEDGER_COLUMNS]


def _quarter_number(period: pd.Series) -> np.ndarray:
    """2019Q1 → 2019·4 + 0: consecutive quarters are consecutive numbers, across years too."""
    text = period.astype("string")
    return text.str.slice(0, 4).astype("int64").to_numpy() * 4 + text.str.slice(-1).astype("int64").to_numpy() - 1


def no_entry_list(ledger: pd.DataFrame, config: Config | None = None) -> pd.DataFrame:
    """非准禁入: (district, period, department) where the department pushed unapproved tasks in each of the last
    `no_entry_quarters` quarters up to that period (config, metrics/rules.toml [access]); the run's length and start.
    """
    need = (config or load_config()).no_entry_quarters
    rows = ledger.loc[ledger["not_approved"].gt(0).to_numpy(dtype=bool), ["district", "department", "period"]]
    rows = rows.assign(q=_quarter_number(rows["period"]), n=ledger.loc[rows.index, "not_approved"].to_numpy())
    rows = rows.sort_values(["district", "department", "q"], ignore_index=True)
    same = rows["district"].eq(rows["district"].shift()) & rows["department"].eq(rows["department"].shift())
    starts = ~(same.fillna(False).to_numpy(dtype=bool) & (rows["q"].diff().to_numpy() == 1))
    run = np.cumsum(starts)
    rows["quarters"] = rows.groupby(run).cumcount().to_numpy() + 1
    rows["since"] = rows["period"].groupby(run).transform("first")
    rows["not_approved_in_run"] = rows["n"].groupby(run).cumsum()
    out = rows.loc[rows["quarters"].ge(need).to_numpy(dtype=bool)]
    out = out.astype({"quarters": "int64", "not_approved_in_run": "int64", "since": "string"})
    return out.sort_values(["district", "period", "quarters", "department"], ascending=[True, True, False, True])[
        NO_ENTRY_COLUMNS
    ].reset_index(drop=True)
