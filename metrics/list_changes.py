"""List changes between two years of a district: items added, dropped, reweighted, moved between functions."""

from __future__ import annotations

import numpy as np
import pandas as pd

LIST_CHANGE_COLUMNS: list[str] = [
    "district",
    "year_from",
    "year_to",
    "item_code",
    "change",
    "item_name_from",
    "item_name_to",
    "function_from",
    "function_to",
    "weight_from",
    "weight_to",
    "added",
    "dropped",
    "reweighted",
    "moved",
]
_SIDE = ["item_code", "item_name", "function", "weight"]


def list_changes(
    list_items: pd.DataFrame, district: str, year_from: int, year_to: int, list_type: str = "duty"
) -> pd.DataFrame:
    """Items that differ between the two years' lists, matched by item code (weight absent = 1)."""
    mask = list_items["district"].eq(district) & list_items["list_type"].eq(list_type)
    lists = list_items.loc[mask.fillna(False).to_numpy(dtype=bool)]
    old = lists.loc[lists["year"].eq(year_from).fillna(False).to_numpy(dtype=bool), _SIDE]
    new = lists.loc[lists["year"].eq(year_to).fillna(False).to_numpy(dtype=bool), _SIDE]
    both = old.merge(new, on="item_code", how="outer", suffixes=("_from", "_to"), indicator=True)
    w_from = both["weight_from"].astype("float64").fillna(1.0).to_numpy()
    w_to = both["weight_to"].astype("float64").fillna(1.0).to_numpy()
    present = both["_merge"].eq("both").to_numpy()
    both["added"] = both["_merge"].eq("right_only").to_numpy()
    both["dropped"] = both["_merge"].eq("left_only").to_numpy()
    both["reweighted"] = present & ~np.isclose(w_from, w_to)
    both["moved"] = present & (both["function_from"].astype("string") != both["function_to"].astype("string")).fillna(
        False
    ).to_numpy(dtype=bool)
    labels = np.select(
        [
            both["added"],
            both["dropped"],
            both["reweighted"] & both["moved"],
            both["reweighted"],
            both["moved"],
        ],
        ["added", "dropped", "moved+reweighted", "reweighted", "moved"],
        default="",
    )
    both["change"] = pd.array(labels, dtype="string")
    both = both.loc[both["change"].ne("").to_numpy(dtype=bool)].copy()
    both["district"] = pd.array([district] * len(both), dtype="string")
    both["year_from"] = pd.array([year_from] * len(both), dtype="Int64")
    both["year_to"] = pd.array([year_to] * len(both), dtype="Int64")
    return both.sort_values("item_code", ignore_index=True)[LIST_CHANGE_COLUMNS]


def all_list_changes(list_items: pd.DataFrame, list_type: str = "duty") -> pd.DataFrame:
    """list_changes for every district and each pair of its consecutive list years."""
    years = (
        list_items.loc[list_items["list_type"].eq(list_type).fillna(False).to_numpy(dtype=bool), ["district", "year"]]
        .drop_duplicates()
        .sort_values(["district", "year"])
    )
    frames = [
        list_changes(list_items, district, int(a), int(b), list_type)
        for district, group in years.groupby("district", sort=True)
        for a, b in zip(group["year"].iloc[:-1], group["year"].iloc[1:], strict=True)
    ]
    frames = [f for f in frames if len(f)]
    if not frames:
        return _empty()
    return pd.concat(frames, ignore_index=True)


def _empty() -> pd.DataFrame:
    dtypes = {
        "district": "string",
        "year_from": "Int64",
        "year_to": "Int64",
        "item_code": "string",
        "change": "string",
    }
    return pd.DataFrame({c: pd.Series(dtype=dtypes.get(c, "object")) for c in LIST_CHANGE_COLUMNS})
