"""Duty–fund matching (事权财权匹配) of delegated list items: share with funds and with access approval."""

from __future__ import annotations

import pandas as pd

from loaders.schema import Dataset
from metrics.config import Config, load_config
from metrics.removed import is_removed
from metrics.shares import add_shares

NO_SOURCE = "（未填来源部门）"
_SUMS = ["delegated", "funds_matched", "funds_known", "access_approved", "approval_known"]
_SHARES = ["share_funds_matched", "share_access_approved"]
FUNDS_COLUMNS: list[str] = ["district", "year", "list_type", "items", *_SUMS, *_SHARES]
FUNDS_DEPARTMENT_COLUMNS: list[str] = ["district", "year", "source_department", *_SUMS, *_SHARES]


def _delegated(ds: Dataset, config: Config) -> pd.DataFrame:
    items = ds.list_items
    kept = ~is_removed(items["function"], items["item_name"], config).to_numpy()
    items = items.loc[kept]
    # delegated (下放): a delegating department is named, or the item went through the access check (准入)
    delegated = items["source_department"].notna().to_numpy() | items["access_approved"].notna().to_numpy()
    funds = items["funds_matched"].astype("boolean")
    approved = items["access_approved"].astype("boolean")
    return pd.DataFrame(
        {
            "district": items["district"].astype("string"),
            "year": items["year"].astype("Int64"),
            "list_type": items["list_type"].astype("string"),
            "source_department": items["source_department"].astype("string"),
            "items": 1,
            "delegated": delegated.astype("int64"),
            "funds_matched": (funds.eq(True).fillna(False).to_numpy() & delegated).astype("int64"),
            "funds_known": (funds.notna().to_numpy() & delegated).astype("int64"),
            "access_approved": (approved.eq(True).fillna(False).to_numpy() & delegated).astype("int64"),
            "approval_known": (approved.notna().to_numpy() & delegated).astype("int64"),
            "funds_amount": items["funds_amount"].astype("float64").to_numpy(),  # 下放经费 (万元), NaN = not given
        }
    )


def delegated_items(ds: Dataset, config: Config | None = None) -> pd.DataFrame:
    """One row per list item (removed indicators left out) with its delegated / funds / approval flags and 万元."""
    return _delegated(ds, config or load_config())


def _shares(df: pd.DataFrame) -> pd.DataFrame:
    return add_shares(
        df,
        (
            ("share_funds_matched", "funds_matched", "funds_known"),
            ("share_access_approved", "access_approved", "approval_known"),
        ),
    )


def duty_fund_matching(ds: Dataset, config: Config | None = None) -> pd.DataFrame:
    """Per (district, year, list): items, delegated items (来源部门 or 准入审批 filled), with funds / approval.

    Removed indicators are left out. Shares are over delegated items whose flag is filled.
    """
    rows = _delegated(ds, config or load_config())
    agg = rows.groupby(["district", "year", "list_type"], sort=True)[["items", *_SUMS]].sum().reset_index()
    return _shares(agg)[FUNDS_COLUMNS]


def funds_by_department(ds: Dataset, config: Config | None = None) -> pd.DataFrame:
    """Per (district, year, delegating department): delegated items and the shares with funds / approval."""
    rows = _delegated(ds, config or load_config())
    rows = rows.loc[rows["delegated"].eq(1)].assign(
        source_department=lambda df: df["source_department"].fillna(NO_SOURCE)
    )
    agg = rows.groupby(["district", "year", "source_department"], sort=True)[_SUMS].sum().reset_index()
    return _shares(agg)[FUNDS_DEPARTMENT_COLUMNS]
