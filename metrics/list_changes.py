"""List changes between two years of a district: items added, dropped, reweighted, moved between functions."""

from __future__ import annotations

import numpy as np
import pandas as pd

# What changed about one item between two list years (the list page shows these columns).
ITEM_CHANGE_COLUMNS: list[str] = [
    "item_code",
    "change",
    "item_name_from",
    "item_name_to",
    "function_from",
    "function_to",
    "weight_from",
    "weight_to",
]
LIST_CHANGE_COLUMNS: list[str] = [
    "district",
    "year_from",
    "year_to",
    *ITEM_CHANGE_COLUMNS,
    "added",
    "dropped",
    "reweighted",
    "moved",
]
_SIDE = ["item_code", "item_name", "function", "weight"]


def list_changes(
    list_items: pd.DataFrame, district: str, year_from: int, year_to: int, list_type: str = "duty"
) -> pd.DataFrame:
    """Items that differ between two years' lists of one district, matched by item code (weight absent = 1)."""
    pairs = pd.DataFrame({"district": [district], "year_from": [year_from], "year_to": [year_to]})
    return _changes(list_items, pairs, list_type)


def all_list_changes(list_items: pd.DataFrame, list_type: str = "duty") -> pd.DataFrame:
    """list_changes for every district and each pair of its consecutive list years, in one pass."""
    years = _lists(list_items, list_type)[["district", "year"]].drop_duplicates().sort_values(["district", "year"])
    nxt = years.groupby("district", sort=False)["year"].shift(-1)
    pairs = pd.DataFrame({"district": years["district"], "year_from": years["year"], "year_to": nxt}).dropna()
    return _changes(list_items, pairs, list_type)


def _lists(list_items: pd.DataFrame, list_type: str) -> pd.DataFrame:
    mask = list_items["list_type"].eq(list_type).fillna(False).to_numpy(dtype=bool)
    lists = list_items.loc[mask, ["district", "year", *_SIDE]]
    return lists.astype({"district": "string", "year": "int64", "item_code": "string"})


def _changes(list_items: pd.DataFrame, pairs: pd.DataFrame, list_type: str) -> pd.DataFrame:
    lists = _lists(list_items, list_type)
    pairs = pairs.astype({"district": "string", "year_from": "int64", "year_to": "int64"})
    pair_keys = ["district", "year_from", "year_to", "item_code"]
    old = pairs.merge(lists.rename(columns={"year": "year_from"}), on=["district", "year_from"])
    new = pairs.merge(lists.rename(columns={"year": "year_to"}), on=["district", "year_to"])
    both = old.merge(new, on=pair_keys, how="outer", suffixes=("_from", "_to"), indicator=True)
    w_from = both["weight_from"].astype("float64").fillna(1.0).to_numpy()
    w_to = both["weight_to"].astype("float64").fillna(1.0).to_numpy()
    present = both["_merge"].eq("both").to_numpy()
    both["added"] = both["_merge"].eq("right_only").to_numpy()
    both["dropped"] = both["_merge"].eq("left_only").to_numpy()
    both["reweighted"] = present & ~np.isclose(w_from, w_to)
    moved = both["function_from"].astype("string") != both["function_to"].astype("string")
    both["moved"] = present & moved.fillna(False).to_numpy(dtype=bool)
    labels = np.select(
        [both["added"], both["dropped"], both["reweighted"] & both["moved"], both["reweighted"], both["moved"]],
        ["added", "dropped", "moved+reweighted", "reweighted", "moved"],
        default="",
    )
    both["change"] = pd.array(labels, dtype="string")
    # show the weights that count: absent = 1 on the side where the item exists
    both["weight_from"] = np.where(both["dropped"] | present, w_from, np.nan)
    both["weight_to"] = np.where(both["added"] | present, w_to, np.nan)
    both = both.loc[both["change"].ne("").to_numpy(dtype=bool)]
    both = both.astype({"year_from": "Int64", "year_to": "Int64"})
    return both.sort_values(pair_keys, ignore_index=True)[LIST_CHANGE_COLUMNS]
