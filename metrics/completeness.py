"""Reporting completeness (报送完整率) and on-time rate (按时完成率) per street and quarter."""

from __future__ import annotations

import numpy as np
import pandas as pd

from metrics.keys import KEY

COMPLETENESS_COLUMNS: list[str] = [
    *KEY,
    "completeness",
    "on_time_known",
    "on_time_count",
    "on_time_rate",
]


def reporting_completeness(scores: pd.DataFrame, items: pd.DataFrame) -> pd.DataFrame:
    """completeness = items_reported / items_listed; on_time_rate = on-time / scored rows with 是否按时 filled."""
    out = scores[KEY].copy()
    listed = scores["items_listed"].to_numpy(dtype="float64")
    with np.errstate(invalid="ignore", divide="ignore"):
        out["completeness"] = np.where(listed > 0, scores["items_reported"].to_numpy() / listed, np.nan)
    scored = items.loc[items["category"].eq("scored").to_numpy(dtype=bool) & items["on_time"].notna().to_numpy()]
    flags = scored[KEY].astype("string").assign(on_time=scored["on_time"].astype(bool).to_numpy())
    agg = flags.groupby(KEY, observed=True, sort=False)["on_time"].agg(on_time_known="size", on_time_count="sum")
    out = out.merge(agg.reset_index(), on=KEY, how="left")
    out["on_time_known"] = out["on_time_known"].fillna(0).astype("int64")
    out["on_time_count"] = out["on_time_count"].fillna(0).astype("int64")
    known = out["on_time_known"].to_numpy(dtype="float64")
    with np.errstate(invalid="ignore", divide="ignore"):
        out["on_time_rate"] = np.where(known > 0, out["on_time_count"].to_numpy() / known, np.nan)
    return out[COMPLETENESS_COLUMNS]
