"""Within-district standardised scores and the rank shift they cause (a second view beside the official score).

Public:
- `standardised(scores)` → STANDARDISED_COLUMNS: overall as a z-score and as a percentile within its district and
  period (未报送 streets: NaN), and the city rank by that z-score.
- `rank_shift(scores)` → SHIFT_COLUMNS: official city rank, rank by the standardised view, and the shift
  (positive = the street moves up when districts are put on one scale), like COINr's compare_coins.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from metrics.keys import KEY

STANDARDISED_COLUMNS: list[str] = [*KEY, "overall", "z_district", "percentile_district", "rank_city_z"]
SHIFT_COLUMNS: list[str] = [*KEY, "overall", "rank_city", "rank_city_z", "rank_shift"]


def standardised(scores: pd.DataFrame) -> pd.DataFrame:
    """STANDARDISED_COLUMNS: z = (overall − district mean) / district sd (population sd; sd 0 → z 0)."""
    df = scores[[*KEY, "overall"]].copy()
    df["overall"] = df["overall"].astype("float64")
    g = df.groupby(["district", "period"], sort=False)["overall"]
    mean, sd = g.transform("mean"), g.transform(lambda x: x.std(ddof=0))
    df["z_district"] = np.where(sd > 0, (df["overall"] - mean) / sd.where(sd > 0), 0.0)
    df.loc[df["overall"].isna(), "z_district"] = np.nan
    df["percentile_district"] = 100.0 * g.rank(method="max", pct=True)
    df["rank_city_z"] = (
        df.groupby("period", sort=False)["z_district"].rank(ascending=False, method="min").astype("Int64")
    )
    return df[STANDARDISED_COLUMNS]


def rank_shift(scores: pd.DataFrame) -> pd.DataFrame:
    """SHIFT_COLUMNS for every street with a score: official city rank vs the rank by within-district z."""
    z = standardised(scores)
    official = scores[[*KEY, "overall"]].copy()
    official["rank_city"] = official.groupby("period", sort=False)["overall"].rank(ascending=False, method="min")
    out = official.merge(z[[*KEY, "rank_city_z"]], on=KEY, how="left")
    out["rank_city"] = out["rank_city"].astype("Int64")
    out["rank_shift"] = (out["rank_city"] - out["rank_city_z"]).astype("Int64")
    out = out.loc[out["overall"].notna().to_numpy()]
    return out[SHIFT_COLUMNS].reset_index(drop=True)
