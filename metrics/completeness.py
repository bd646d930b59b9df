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


def reporting_completeness(scores: pd.DataFrame, on_time: pd.DataFrame) -> pd.DataFrame:
    """completeness = items_reported / items_listed; on_time_rate = on-time / scored rows with 是否按时 filled.

    on_time: KEY + on_time_known, on_time_count (score.Scored.on_time).
    """
    out = scores[KEY].merge(on_time[[*KEY, "on_time_known", "on_time_count"]], on=KEY, how="left")
    listed = scores["items_listed"].to_numpy(dtype="float64")
    known = out["on_time_known"].to_numpy(dtype="float64")
    with np.errstate(invalid="ignore", divide="ignore"):
        out["completeness"] = np.where(listed > 0, scores["items_reported"].to_numpy() / listed, np.nan)
        out["on_time_rate"] = np.where(known > 0, out["on_time_count"].to_numpy() / known, np.nan)
    return out[COMPLETENESS_COLUMNS]
