"""大项 drill-down (issue 15): each street's score per major item (大项) of its duty list, and the district's spread.

A 大项 score is the §4 score over that major item's included items: 100 · Σ w_i c_i / Σ w_i, missing rows 0.
Lists without 大项 give no rows; 未报送 streets (FORMATS.md §6) have no score, so no 大项 scores either."""

from __future__ import annotations

import numpy as np
import pandas as pd

from loaders.schema import Dataset
from metrics.keys import KEY

MAJOR_COLUMNS: list[str] = [*KEY, "major_item", "function", "items", "weight", "score"]
MAJOR_DISTRICT_COLUMNS: list[str] = ["district", "period", "major_item", "function", "items", "weight", "streets"]
MAJOR_DISTRICT_COLUMNS += ["median", "min", "max"]


def _majors_of(ds: Dataset) -> pd.DataFrame:
    """(district, year, item_code) → 大项 of the duty lists."""
    li = ds.list_items
    duty = li.loc[li["list_type"].eq("duty").fillna(False).to_numpy(dtype=bool) & li["major_item"].notna().to_numpy()]
    return pd.DataFrame(
        {
            "district": duty["district"].astype("string").to_numpy(),
            "list_year": duty["year"].astype("Int64").to_numpy(),
            "item_code": duty["item_code"].astype("string").to_numpy(),
            "major_item": duty["major_item"].astype("string").to_numpy(),
        }
    ).drop_duplicates(["district", "list_year", "item_code"])


def major_scores(ds: Dataset, items: pd.DataFrame, scores: pd.DataFrame) -> pd.DataFrame:
    """Per (district, street, period, 大项): included items, their weight and the weighted score (0–100)."""
    majors = _majors_of(ds)
    keys = scores.loc[scores["submitted"].to_numpy(dtype=bool), [*KEY, "list_year"]]
    if majors.empty or keys.empty or items.empty:
        return pd.DataFrame(
            {c: pd.Series(dtype="float64" if c in ("weight", "score") else "string") for c in MAJOR_COLUMNS}
        ).astype({"items": "int64"})
    inc = items.loc[items["included"].to_numpy(dtype=bool), [*KEY, "item_code", "function", "weight", "c"]]
    inc = pd.DataFrame({k: inc[k].astype("string") if k != "weight" and k != "c" else inc[k] for k in inc.columns})
    inc = inc.merge(keys.astype({k: "string" for k in KEY}), on=KEY, how="inner")
    inc = inc.merge(majors, on=["district", "list_year", "item_code"], how="inner")
    w = inc["weight"].astype("float64").fillna(1.0).to_numpy()
    inc = inc.assign(w=w, wc=w * inc["c"].astype("float64").fillna(0.0).to_numpy(), n=1)
    grouped = inc.groupby([*KEY, "major_item"], sort=True)
    out = grouped[["n", "w", "wc"]].sum()
    out["function"] = grouped["function"].first()
    out = out.reset_index().rename(columns={"n": "items", "w": "weight"})
    with np.errstate(invalid="ignore", divide="ignore"):
        out["score"] = np.where(out["weight"] > 0, 100 * out["wc"] / out["weight"], np.nan)
    texts = dict.fromkeys([*KEY, "major_item", "function"], "category")  # a province: 620 k rows of few names
    return out.astype({"items": "int64", **texts})[MAJOR_COLUMNS]


def major_district(by_street: pd.DataFrame) -> pd.DataFrame:
    """Per (district, period, 大项): its items and weight (the most common count) and the streets' median, min, max."""
    if by_street.empty:
        return pd.DataFrame({c: pd.Series(dtype="string") for c in MAJOR_DISTRICT_COLUMNS})
    grouped = by_street.groupby(["district", "period", "major_item"], sort=True)
    out = grouped["score"].agg(["median", "min", "max"])
    out["streets"] = grouped["street"].nunique()
    out["items"] = grouped["items"].max()  # 适用类型 may leave an item out of some streets' lists
    out["weight"] = grouped["weight"].max()
    out["function"] = grouped["function"].first()
    texts = dict.fromkeys(["district", "period", "major_item", "function"], "string")  # by_street holds categories
    return out.reset_index().astype(texts)[MAJOR_DISTRICT_COLUMNS]
