"""Which list each district's streets are scored on (issue 15, several scored lists).

A district declares its evaluation list by sending a 事务清单 for a year (邛崃); for that district and year the
§4 score is computed on it, by the same formula. Everywhere else the 职责任务清单 is the scored list, so a
district that declares nothing scores exactly as before.

- `scored_list(list_items)` → the list_items rows §4 scores on: each (district, year)'s 事务清单 where it has one,
  else its duty list (list_type kept as given).
- `evaluating(list_items, crosswalk, duties)` → which 事务 the crosswalk pairs with the chosen duties.
- `evaluation_lists(list_items)` → EVALUATION_LIST_COLUMNS: per (district, year), the list scored and its size.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

DUTY, AFFAIRS = "duty", "affairs"
EVALUATION_LIST_COLUMNS: list[str] = ["district", "year", "scored_list", "items", "duty_items"]


def _kind(list_items: pd.DataFrame, kind: str) -> pd.Series:
    return list_items["list_type"].eq(kind).fillna(False).astype(bool)


def _declared(list_items: pd.DataFrame) -> pd.MultiIndex:
    """(district, year) pairs that hold a 事务清单."""
    affairs = list_items.loc[_kind(list_items, AFFAIRS).to_numpy(), ["district", "year"]]
    return pd.MultiIndex.from_frame(affairs.drop_duplicates().astype("object"))


def scored_list(list_items: pd.DataFrame) -> pd.DataFrame:
    """The rows §4 scores on: a district–year's 事务清单 when it declared one, else its 职责任务清单."""
    duty, affairs = _kind(list_items, DUTY).to_numpy(), _kind(list_items, AFFAIRS).to_numpy()
    if not affairs.any():
        return list_items.loc[duty]  # nothing declared: exactly the duty list, as before issue 15
    pairs = pd.MultiIndex.from_frame(list_items[["district", "year"]].astype("object"))
    declared = pairs.isin(_declared(list_items))
    return list_items.loc[(duty & ~declared) | affairs]


def evaluation_lists(list_items: pd.DataFrame) -> pd.DataFrame:
    """EVALUATION_LIST_COLUMNS: for every district–year with a duty list, which list its streets are scored on."""
    keys = ["district", "year"]
    duty = list_items.loc[_kind(list_items, DUTY).to_numpy()].groupby(keys, sort=True).size().rename("duty_items")
    affairs = list_items.loc[_kind(list_items, AFFAIRS).to_numpy()].groupby(keys, sort=True).size().rename("items")
    out = duty.to_frame().join(affairs, how="left").reset_index()
    out["scored_list"] = pd.array([AFFAIRS if n == n and n > 0 else DUTY for n in out["items"]], dtype="string")
    out["items"] = out["items"].fillna(out["duty_items"]).astype("int64")
    out["duty_items"] = out["duty_items"].astype("int64")
    out["district"] = out["district"].astype("string")
    out["year"] = out["year"].astype("Int64")
    return out[EVALUATION_LIST_COLUMNS]


def evaluating(list_items: pd.DataFrame, crosswalk: pd.DataFrame, duties: np.ndarray) -> np.ndarray:
    """For each row of list_items: is it a 事务 that the crosswalk pairs with one of the duty rows marked in
    `duties` (same district and year)? A view on a subset of duties (the common core) keeps these 事务."""
    keys = ["district", "year"]
    chosen = list_items.loc[duties, [*keys, "item_code"]].rename(columns={"item_code": "duty_code"})
    pairs = crosswalk[[*keys, "affairs_code", "duty_code"]].astype({"year": "Int64"})
    hit = pairs.merge(chosen.astype({"year": "Int64"}), on=[*keys, "duty_code"])[[*keys, "affairs_code"]]
    wanted = pd.MultiIndex.from_frame(hit.astype("object"))
    here = pd.MultiIndex.from_frame(list_items[[*keys, "item_code"]].astype("object"))
    return _kind(list_items, AFFAIRS).to_numpy() & here.isin(wanted)
