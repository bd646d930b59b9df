"""The comparison's three views of one street-quarter: official, common core, within-district standardised.

Public:
- `VIEWS`: the view keys, official first.
- `comparison_views(scores, core)` → VIEW_COLUMNS: each scored street-quarter's overall and city rank in every view,
  and the rank shift of each view against the official one (positive = the street moves up), as COINr's
  compare_coins shows.
"""

from __future__ import annotations

import pandas as pd

from metrics.keys import KEY
from metrics.standardised import standardised

VIEWS: tuple[str, ...] = ("official", "core", "standardised")
VIEW_COLUMNS: list[str] = [
    *KEY,
    "overall",
    "rank_city",
    "overall_core",
    "rank_city_core",
    "z_district",
    "percentile_district",
    "rank_city_z",
    "shift_core",
    "shift_z",
]


def comparison_views(scores: pd.DataFrame, core: pd.DataFrame) -> pd.DataFrame:
    """VIEW_COLUMNS for every street-quarter with an official score (core: metrics.common_core CORE_COLUMNS)."""
    official = scores.loc[scores["overall"].notna().to_numpy(dtype=bool), [*KEY, "overall", "rank_city"]]
    z = standardised(scores)[[*KEY, "z_district", "percentile_district", "rank_city_z"]]
    out = official.merge(core[[*KEY, "overall_core", "rank_city_core"]], on=KEY, how="left").merge(z, on=KEY)
    rank = out["rank_city"].astype("Int64")
    out["shift_core"] = (rank - out["rank_city_core"].astype("Int64")).astype("Int64")
    out["shift_z"] = (rank - out["rank_city_z"].astype("Int64")).astype("Int64")
    return out[VIEW_COLUMNS].sort_values(KEY, ignore_index=True)
