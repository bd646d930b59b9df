"""Coverage between a district's evaluation list (事务清单) and its duty list (职责任务清单), both ways (issue 15).

The crosswalk is data (sheet 清单对照: 事务编码 ↔ 清单编码 per district and year). For every district–year that
declared a 事务清单:
- `crosswalk_rows(ds)` → CROSSWALK_COLUMNS: each pair with both items' names, and whether each code is on its list.
- `coverage_gaps(ds, config)` → GAP_COLUMNS: the duty items no 事务 evaluates (side `duty_not_evaluated`; `removed`
  marks economic duties §4 rule 1 excludes anyway) and the 事务 with no duty behind them (`affairs_without_duty`).
- `coverage_summary(gaps, lists, crosswalk)` → SUMMARY_COLUMNS: the counts, and the share of duties evaluated.
Every frame has a `district` column, so a district account sees its own rows only (dashboard/auth/scope.py).
"""

from __future__ import annotations

import pandas as pd

from loaders.schema import Dataset
from metrics.config import Config, load_config
from metrics.eval_lists import AFFAIRS, DUTY
from metrics.removed import is_removed

NOT_EVALUATED, WITHOUT_DUTY = "duty_not_evaluated", "affairs_without_duty"
SIDES = (NOT_EVALUATED, WITHOUT_DUTY)
CROSSWALK_COLUMNS: list[str] = [
    "district", "year", "affairs_code", "affairs_name", "duty_code", "duty_name", "affairs_listed", "duty_listed",
]  # fmt: skip
GAP_COLUMNS: list[str] = ["district", "year", "side", "item_code", "item_name", "function", "weight", "removed"]
SUMMARY_COLUMNS: list[str] = [
    "district", "year", "duty_items", "duty_evaluated", "duty_not_evaluated", "share_duty_evaluated",
    "affairs_items", "affairs_with_duty", "affairs_without_duty", "pairs", "pairs_off_list",
]  # fmt: skip
_KEYS = ["district", "year"]


def _items(ds: Dataset, kind: str) -> pd.DataFrame:
    li = ds.list_items
    rows = li.loc[li["list_type"].eq(kind).fillna(False).to_numpy(dtype=bool)]
    out = rows[[*_KEYS, "item_code", "item_name", "function", "weight"]].astype(
        {"district": "string", "year": "Int64", "item_code": "string", "item_name": "string", "function": "string"}
    )
    return out.drop_duplicates([*_KEYS, "item_code"]).reset_index(drop=True)


def _declared(ds: Dataset) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The 事务清单 items, the duty items and the crosswalk pairs of the district–years that declared a 事务清单."""
    affairs = _items(ds, AFFAIRS)
    years = affairs[_KEYS].drop_duplicates()
    duty = _items(ds, DUTY).merge(years, on=_KEYS)
    pairs = ds.crosswalk[[*_KEYS, "affairs_code", "duty_code"]].astype(
        {"district": "string", "year": "Int64", "affairs_code": "string", "duty_code": "string"}
    )
    return affairs, duty, pairs.dropna().drop_duplicates().merge(years, on=_KEYS)


def crosswalk_rows(ds: Dataset) -> pd.DataFrame:
    """CROSSWALK_COLUMNS: the pairs of declaring district–years, with names; a code off its list is marked."""
    affairs, duty, pairs = _declared(ds)
    a = affairs[[*_KEYS, "item_code", "item_name"]].rename(columns={"item_code": "affairs_code"})
    d = duty[[*_KEYS, "item_code", "item_name"]].rename(columns={"item_code": "duty_code"})
    out = pairs.merge(a.rename(columns={"item_name": "affairs_name"}), on=[*_KEYS, "affairs_code"], how="left")
    out = out.merge(d.rename(columns={"item_name": "duty_name"}), on=[*_KEYS, "duty_code"], how="left")
    out["affairs_listed"] = _same_year(out, a, "affairs_code")
    out["duty_listed"] = _same_year(out, d, "duty_code")
    return out.sort_values([*_KEYS, "affairs_code", "duty_code"], ignore_index=True)[CROSSWALK_COLUMNS]


def _same_year(pairs: pd.DataFrame, items: pd.DataFrame, code: str) -> pd.Series:
    """Is each pair's code on the list of its own district and year."""
    keys = pd.MultiIndex.from_frame(items[[*_KEYS, code]].astype("object"))
    return pd.Series(pd.MultiIndex.from_frame(pairs[[*_KEYS, code]].astype("object")).isin(keys), index=pairs.index)


def coverage_gaps(ds: Dataset, config: Config | None = None) -> pd.DataFrame:
    """GAP_COLUMNS: duties no 事务 evaluates, then 事务 with no duty, per declaring district–year."""
    config = config or load_config()
    affairs, duty, pairs = _declared(ds)
    evaluated = pd.MultiIndex.from_frame(pairs[[*_KEYS, "duty_code"]].astype("object"))
    backed = pd.MultiIndex.from_frame(pairs[[*_KEYS, "affairs_code"]].astype("object"))
    parts = []
    for side, items, linked in ((NOT_EVALUATED, duty, evaluated), (WITHOUT_DUTY, affairs, backed)):
        keys = pd.MultiIndex.from_frame(items[[*_KEYS, "item_code"]].astype("object"))
        gap = items.loc[~keys.isin(linked)].assign(side=side)
        gap["removed"] = is_removed(gap["function"], gap["item_name"], config).to_numpy(dtype=bool)
        parts.append(gap)
    out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=GAP_COLUMNS)
    out["side"] = out["side"].astype("string")
    out["weight"] = pd.to_numeric(out["weight"], errors="coerce").fillna(1.0).astype("float64")
    out["removed"] = out["removed"].astype(bool)
    return out.sort_values([*_KEYS, "side", "item_code"], ignore_index=True)[GAP_COLUMNS]


def coverage_summary(ds: Dataset, gaps: pd.DataFrame, crosswalk: pd.DataFrame) -> pd.DataFrame:
    """SUMMARY_COLUMNS per declaring district–year: list sizes, both gaps and the share of duties evaluated."""
    affairs, duty, _ = _declared(ds)
    out = affairs.groupby(_KEYS).size().rename("affairs_items").to_frame()
    out = out.join(duty.groupby(_KEYS).size().rename("duty_items"), how="left")
    for side, name in ((NOT_EVALUATED, "duty_not_evaluated"), (WITHOUT_DUTY, "affairs_without_duty")):
        out = out.join(gaps.loc[gaps["side"].eq(side).to_numpy(dtype=bool)].groupby(_KEYS).size().rename(name))
    out = out.join(crosswalk.groupby(_KEYS).size().rename("pairs"))
    off = crosswalk.loc[~(crosswalk["affairs_listed"] & crosswalk["duty_listed"]).to_numpy(dtype=bool)]
    out = out.join(off.groupby(_KEYS).size().rename("pairs_off_list")).fillna(0).astype("int64").reset_index()
    out["duty_evaluated"] = out["duty_items"] - out["duty_not_evaluated"]
    out["affairs_with_duty"] = out["affairs_items"] - out["affairs_without_duty"]
    share = out["duty_evaluated"] / out["duty_items"].where(out["duty_items"] > 0)
    out["share_duty_evaluated"] = share.astype("float64")
    out["district"] = out["district"].astype("string")
    out["year"] = out["year"].astype("Int64")
    return out[SUMMARY_COLUMNS]
