"""Why did my score change? A change in score split into parts that add up to it exactly, and changes across a
list revision on the items common to both years.

Public:
- `decompose(before, after)` → PART_COLUMNS, one row per part (pure; two item-detail frames of one street).
- `change_parts(ev, district, street, period, lag=4)` → the same for a street against lag quarters earlier
  (4: the same quarter last year, the headline; 1: the previous quarter, seasonal).
- `common_item_changes(items, scores)` → KEY + COMMON_CHANGE_COLUMNS for every street and period.

The parts are steps of one path from the earlier state (its items, weights, c) to the later one; each part is the
change in the score when that step is taken, so they telescope to the change exactly:
1. items_added_dropped: the list's items change (an added item enters with its later c and weight);
2. weights: the weights of the common items change;
3. newly_unreported: common items reported before and not now drop to 0;
4. newly_reported: common items not reported before and reported now take their c;
5. status: common items reported both times with c from a status word both times take their new c;
6. completion: the other common items reported both times take their new c (ratio or completion rate).
The order of the steps is fixed (a different order would move points between parts, never the total).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from metrics.keys import KEY, period_ordinal

PARTS: dict[str, tuple[str, str]] = {
    "items_added_dropped": ("清单事项增减", "items added to or dropped from the list"),
    "weights": ("权重调整", "weight changes"),
    "newly_unreported": ("新增未报送事项", "items newly unreported"),
    "newly_reported": ("新报送事项", "items newly reported"),
    "status": ("完成状态变化", "status changes"),
    "completion": ("完成率 / 完成值变化", "completion changes"),
}
PART_COLUMNS: list[str] = ["part", "label_zh", "label_en", "points", "items"]
COMMON_CHANGE_COLUMNS: list[str] = ["change_year_ago_common", "change_prev_quarter_common"]


def _state(items: pd.DataFrame) -> pd.DataFrame:
    rows = items.loc[items["included"].to_numpy(dtype=bool)]
    return pd.DataFrame(
        {
            "w": rows["weight"].to_numpy(dtype="float64"),
            "c": rows["c"].to_numpy(dtype="float64"),
            "reported": rows["category"].astype("string").eq("scored").to_numpy(dtype=bool, na_value=False),
            "status": rows["c_source"].astype("string").isin(["status", "none"]).to_numpy(dtype=bool, na_value=False),
        },
        index=pd.Index(rows["item_code"].astype("string").to_numpy(dtype=object), name="item_code"),
    )


def _score(w: np.ndarray, c: np.ndarray) -> float:
    total = float(w.sum())
    return 100.0 * float((w * c).sum()) / total if total > 0 else np.nan


def decompose(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """PART_COLUMNS: the change from before to after (item-detail rows of one street) in parts summing to it."""
    a, b = _state(before), _state(after)
    both = a.index.intersection(b.index)
    added = b.index.difference(a.index)
    dropped = a.index.difference(b.index)
    # the path runs over the later list's items; common items start at their earlier weight and c
    index = b.index
    w = b["w"].copy()
    c = b["c"].copy()
    w.loc[both] = a.loc[both, "w"].to_numpy()
    c.loc[both] = a.loc[both, "c"].to_numpy()
    ra, rb = a["reported"].reindex(both), b["reported"].reindex(both)
    sa, sb = a["status"].reindex(both), b["status"].reindex(both)
    masks = {
        "weights": both,
        "newly_unreported": both[(ra & ~rb).to_numpy()],
        "newly_reported": both[(~ra & rb).to_numpy()],
        "status": both[(ra & rb & sa & sb).to_numpy()],
    }
    masks["completion"] = both[(ra & rb).to_numpy()].difference(masks["status"])
    points = {"items_added_dropped": _score(w.to_numpy(), c.to_numpy()) - _score(a["w"].to_numpy(), a["c"].to_numpy())}
    counts = {"items_added_dropped": len(added) + len(dropped)}
    current = _score(w.to_numpy(), c.to_numpy())
    for part, codes in masks.items():
        if part == "weights":
            w.loc[codes] = b.loc[codes, "w"].to_numpy()
            changed = int((a.loc[codes, "w"].to_numpy() != b.loc[codes, "w"].to_numpy()).sum())
        else:
            c.loc[codes] = b.loc[codes, "c"].to_numpy()
            changed = len(codes) if part.startswith("newly") else int((a.loc[codes, "c"] != b.loc[codes, "c"]).sum())
        step = _score(w.reindex(index).to_numpy(), c.reindex(index).to_numpy())
        points[part], counts[part] = step - current, changed
        current = step
    return pd.DataFrame(
        {
            "part": list(PARTS),
            "label_zh": [v[0] for v in PARTS.values()],
            "label_en": [v[1] for v in PARTS.values()],
            "points": [points[p] for p in PARTS],
            "items": [counts[p] for p in PARTS],
        }
    )


def earlier_period(period: str, lag: int) -> str:
    """The period lag quarters before period ("2020Q1", 1 → "2019Q4")."""
    year, quarter = int(period[:4]), int(period[-1])
    ordinal = year * 4 + quarter - 1 - lag
    return f"{ordinal // 4}Q{ordinal % 4 + 1}"


def change_parts(ev, district: str, street: str, period: str, lag: int = 4) -> pd.DataFrame:
    """PART_COLUMNS of a street's score change against lag quarters earlier; empty when either score is missing."""
    before = ev.items_for(district, street, earlier_period(period, lag))
    after = ev.items_for(district, street, period)
    if before.empty or after.empty or not before["included"].any() or not after["included"].any():
        return pd.DataFrame(columns=PART_COLUMNS)
    return decompose(before, after)


def common_item_changes(items: pd.DataFrame, scores: pd.DataFrame) -> pd.DataFrame:
    """KEY + COMMON_CHANGE_COLUMNS: the change against 4 and 1 quarters earlier scored on the items both lists share
    (each period with its own weights and c); NaN where both periods use the same list year or a score is missing."""
    rows = items.loc[items["included"].to_numpy(dtype=bool)]
    frame = pd.DataFrame(
        {
            "district": rows["district"].astype("string").to_numpy(dtype=object),
            "street": rows["street"].astype("string").to_numpy(dtype=object),
            "ord": period_ordinal(rows["period"].astype("string")),
            "item_code": rows["item_code"].astype("string").to_numpy(dtype=object),
            "w": rows["weight"].to_numpy(dtype="float64"),
            "wc": rows["weight"].to_numpy(dtype="float64") * rows["c"].to_numpy(dtype="float64"),
        }
    )
    years = scores[[*KEY, "list_year"]].assign(ord=period_ordinal(scores["period"]))
    years = years.astype({"district": "object", "street": "object"})
    out = scores[KEY].copy()
    for lag, col in ((4, "change_year_ago_common"), (1, "change_prev_quarter_common")):
        earlier = frame.assign(ord=frame["ord"] + lag)
        pair = frame.merge(earlier, on=["district", "street", "ord", "item_code"], suffixes=("", "_0"))
        sums = pair.groupby(["district", "street", "ord"], sort=False)[["w", "wc", "w_0", "wc_0"]].sum().reset_index()
        with np.errstate(invalid="ignore", divide="ignore"):
            sums[col] = 100.0 * (sums["wc"] / sums["w"] - sums["wc_0"] / sums["w_0"])
        y0 = years[["district", "street", "ord", "list_year"]].assign(ord=years["ord"] + lag)
        sums = sums.merge(years[["district", "street", "ord", "list_year"]], on=["district", "street", "ord"])
        sums = sums.merge(y0, on=["district", "street", "ord"], suffixes=("", "_0"))
        revised = sums["list_year"].ne(sums["list_year_0"]).to_numpy(dtype=bool, na_value=False)
        sums = sums.loc[revised, ["district", "street", "ord", col]]
        keyed = years[["district", "street", "ord"]].merge(sums, on=["district", "street", "ord"], how="left")
        out[col] = keyed[col].to_numpy(dtype="float64")
    return out[[*KEY, *COMMON_CHANGE_COLUMNS]]
